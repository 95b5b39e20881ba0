"""The layout stays as the README's Architecture section draws it.

Data flows down the floors: ``core`` < ``formats`` < ``equilibria`` < ``sweep`` < ``analysis`` <
``render`` < ``cli``/``web``.  No module imports from a floor above its own, and the module graph
has no cycle, counting imports inside functions and under ``TYPE_CHECKING``.  Float tolerances
are named in ``solver/core/tolerances.py`` only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "solver"
FLOORS = {"core": 1, "formats": 2, "equilibria": 3, "sweep": 4, "analysis": 5, "render": 6, "cli": 7, "web": 7}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every solver module ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for alias in node.names:
                full = f"{mod}.{alias.name}"
                found.add(full if full in MODULES else mod)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _floor(name: str) -> int | None:
    parts = name.split(".")
    return FLOORS.get(parts[1]) if len(parts) > 1 else None


def test_the_import_scanner_sees_function_level_imports() -> None:
    assert "solver.core.symbolic" in GRAPH["solver.cli.common"]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _floor(n) is not None))
def test_no_module_imports_from_a_floor_above(name: str) -> None:
    own = _floor(name)
    assert own is not None
    upward = sorted(m for m in GRAPH[name] if (_floor(m) or 0) > own)
    assert not upward, f"{name} (floor {own}) imports from above: {upward}"


def test_no_import_cycles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_float_tolerances_are_named_in_one_module() -> None:
    """No float literal below 1e-5 (a tolerance, in practice) outside core/tolerances.py."""
    stray = []
    for name, path in MODULES.items():
        if name == "solver.core.tolerances":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and 0 < abs(node.value) < 1e-5:
                stray.append(f"{name}:{node.lineno} {node.value!r}")
    assert not stray, stray


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 300, f"{name} has {lines} lines"
