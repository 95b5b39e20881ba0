"""Readers and writers: the only modules that touch files.

:func:`load` resolves what a user types as MODEL: a shipped model's name (``chicken``), a
``.toml`` model file, a Gambit ``.nfg`` or ``.efg`` file.

>>> load("chicken").players
('Row', 'Column')
"""

from __future__ import annotations

from pathlib import Path

from solver.core.errors import ModelError
from solver.core.symbolic import Model

DEFAULT_MODEL = "syria_deconfliction"
SUFFIXES = (".toml", ".nfg", ".efg")


def models_dir() -> Path:
    """Folder of the shipped models: ``solver/models`` in an installed wheel (package data),
    the top-level ``models/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "models"
    if installed.is_dir() and any(installed.glob("*.toml")):
        return installed
    return package.parent / "models"


def shipped_models() -> dict[str, Path]:
    """Name -> path of every model shipped with Redline."""
    return {p.stem: p for p in sorted(models_dir().glob("*.toml"))}


def resolve(spec: str | None) -> Path:
    """The file a MODEL argument names."""
    if spec is None:
        spec = DEFAULT_MODEL
    path = Path(spec)
    if path.suffix.lower() in SUFFIXES or path.exists():
        if not path.exists():
            raise ModelError("no such file", source=spec)
        if path.is_dir():
            raise ModelError("is a directory, not a model file", source=spec)
        return path
    models = shipped_models()
    if spec in models:
        return models[spec]
    raise ModelError(
        f"no shipped model or file of that name (shipped: {', '.join(models)})", source=spec
    )


def load(spec: str | None = None) -> Model:
    """Load a model by shipped name or path (``.toml``, ``.nfg``, ``.efg``).

    Labels a Gambit file leaves blank or repeats are shown under unique names
    (:mod:`solver.formats.labels`); the model's ``notes`` say which, one line each naming the
    file, and its ``file_labels`` keep the file's own for the writers.

    Reading is bounded (:mod:`solver.formats.limits`): only a regular file of at most 64 MiB is
    read, numbers and game sizes are checked before anything is built from them, and any problem
    is one :class:`ModelError` naming the file."""
    path = resolve(spec)
    suffix = path.suffix.lower()
    try:
        if suffix == ".nfg":
            from solver.formats.nfg import read_nfg_model

            return read_nfg_model(path)
        if suffix == ".efg":
            from solver.formats.efg import read_efg_model

            return read_efg_model(path)
        from solver.formats.toml_model import read_model

        return read_model(path)
    except RecursionError:  # a last guard: each reader bounds its own nesting
        raise ModelError("nested too deeply to read", source=str(path)) from None
