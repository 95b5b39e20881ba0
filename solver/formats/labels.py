"""Unique names for the labels a Gambit file leaves blank or repeats, and the file's own labels.

Gambit's formats ("Game representation formats", Gambit documentation) let a file leave
players, strategies, actions, information sets and outcomes unnamed (``""``) or give two of
them one name (``{ "" "" }``).  Redline keys results by label (labels outside, indices
inside), so two players named ``""`` would be one JSON key.  The readers show each label as the
file gives it where it tells its thing apart from the others in its list, and otherwise:

* an unnamed label (empty or only whitespace) is shown by its place: player ``i`` as
  ``Player i``, strategy or action ``k`` as ``k`` (its 1-based position, the labels Gambit's
  ``{ 2 2 }`` counts stand for), information set number ``n`` as ``#n``;
* a repeat of an earlier label gets a suffix: the second ``Defect`` is ``Defect (2)``, the
  third ``Defect (3)``;
* a shown name never takes a label the file gives elsewhere in the same list: the suffix
  counts on until the name is free (``1 (2)`` where another strategy is named ``1``).

The names depend on the list alone, so the same file always shows the same names.  Outcome
names are not shown anywhere (payoffs are), so they are read and left as they are.
:class:`FileLabels` keeps the file's own labels, for the writers to write back unchanged, and
one note per renamed label, naming the file, for the command line to print.

>>> unique(("", "Defect", "Defect", "Defect (2)", " "), position)
('1', 'Defect', 'Defect (3)', 'Defect (2)', '5')
>>> unique(("", ""), player)
('Player 1', 'Player 2')
>>> renamed("g.nfg", "player", ("A", "", "A"), ("A", "Player 2", "A (2)"))
['g.nfg: unnamed player 2 shown as "Player 2"', 'g.nfg: repeated player name "A" (player 3) shown as "A (2)"']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from solver.core.tree_value import CHANCE
from solver.formats.gambit_tokens import quote


@dataclass(frozen=True)
class FileLabels:
    """A file's own labels where the reader shows others, and one note per renamed label.

    ``players`` are the file's player names; ``strategies`` each player's strategy labels
    (``.nfg``; empty for a tree); ``actions`` each information set's action labels in the
    tree's order (``.efg``; empty for a strategic game); ``title`` the file's title where a
    model shows another (an untitled ``.nfg`` game is shown by its file name; None: the same).
    Information set names need no place here: :class:`~solver.core.tree.Infoset` keeps the
    file's ``name`` beside its ``label``, as a tree keeps its ``title``.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...] = ()
    actions: tuple[tuple[str, ...], ...] = ()
    notes: tuple[str, ...] = ()
    title: str | None = None


def is_blank(label: str) -> bool:
    """Empty or only whitespace: the file gives no name."""
    return not label or label.isspace()


def player(k: int) -> str:
    """The name of unnamed player ``k`` (0-based): ``Player k+1``."""
    return f"Player {k + 1}"


def position(k: int) -> str:
    """The name of unnamed strategy or action ``k`` (0-based): its 1-based position."""
    return str(k + 1)


def unique(labels: Sequence[str], default: Callable[[int], str]) -> tuple[str, ...]:
    """``labels`` with each blank one named ``default(k)`` and each repeat suffixed ``(2)``,
    ``(3)``, ...; a given label keeps its name at its first place, and no shown name takes a
    label given elsewhere in the list (see the module docstring).  ``labels`` itself (as a
    tuple) when they are already distinct and named."""
    labels = tuple(labels)
    if all(labels) and not any(map(str.isspace, labels)) and len(set(labels)) == len(labels):
        return labels
    given = {a for a in labels if not is_blank(a)}
    used: set[str] = set()
    out: list[str] = []
    for k, label in enumerate(labels):
        if is_blank(label):
            base, count = default(k), 1
        elif label in used:
            base, count = label, 2
        else:  # a label's first place keeps it (``used`` holds it from here on)
            base, count = label, 1
            given.discard(label)
        name = base if count == 1 else f"{base} ({count})"
        while name in used or name in given:
            count += 1
            name = f"{base} ({count})"
        used.add(name)
        out.append(name)
    return tuple(out)


def renamed(
    source: str,
    what: str,
    given: Sequence[str],
    shown: Sequence[str],
    where: str = "",
    numbers: Sequence[int] | None = None,
    blanks: bool = True,
) -> list[str]:
    """One note per label shown otherwise than ``given``, naming ``source``: ``unnamed WHAT K
    WHERE shown as "NAME"`` or ``repeated WHAT name "LABEL" (WHAT K WHERE) shown as "NAME"``.
    ``K`` is the 1-based place, or ``numbers[k]`` where given; ``blanks=False`` leaves out the
    notes on unnamed labels (information sets, which Gambit itself shows by number)."""
    out = []
    for k, (g, s) in enumerate(zip(given, shown, strict=True)):
        if g == s:
            continue
        at = numbers[k] if numbers is not None else k + 1
        if is_blank(g):
            if blanks:
                out.append(f"{source}: unnamed {what} {at}{where} shown as {quote(s)}")
        else:
            out.append(f"{source}: repeated {what} name {quote(g)} ({what} {at}{where}) shown as {quote(s)}")
    return out


def set_words(players: Sequence[str], who: int) -> tuple[str, str]:
    """An information set of ``who`` in words, before and after its number:
    (``information set``, `` of player "A"``) or (``chance information set``, ``""``)."""
    if who == CHANCE:
        return "chance information set", ""
    return "information set", f" of player {quote(players[who])}"


def set_labels(
    players: Sequence[str], sets: Sequence[tuple[int, int, str]], source: str, notes: list[str] | None = None
) -> list[str]:
    """The display label of each information set ``(player, number, name)``, unique per player:
    its name, ``#number`` when it has none, a suffix on a repeat; a chance set's label begins
    ``chance``.  ``notes`` gets a line per repeated name, not per blank one: Gambit itself
    shows an unnamed set by its number.

    >>> set_labels(("A",), [(0, 1, "x"), (0, 2, ""), (0, 3, "x"), (CHANCE, 1, "")], "g.efg")
    ['x', '#2', 'x (2)', 'chance #1']
    """
    names = [name for _, _, name in sets]
    if not any(names):  # the usual cases first: no set named (all shown by number) ...
        return [f"chance #{n}" if who == CHANCE else f"#{n}" for who, n, _ in sets]
    if all(names) and not any(map(str.isspace, names)) and len({(w, a) for w, _, a in sets}) == len(sets):
        return [f"chance {a}" if who == CHANCE else a for who, _, a in sets]  # ... or all named apart
    mine: dict[int, list[int]] = {}
    for k, (who, _, _) in enumerate(sets):
        mine.setdefault(who, []).append(k)
    out = [""] * len(sets)
    for who, ks in mine.items():
        given = [sets[k][2] for k in ks]
        numbers = [sets[k][1] for k in ks]
        by_number = [f"#{n}" for n in numbers]
        shown = by_number if not any(given) else unique(given, by_number.__getitem__)  # numbers are distinct
        if notes is not None:
            what, where = set_words(players, who)
            notes += renamed(source, what, given, shown, where, numbers, blanks=False)
        for k, label in zip(ks, shown, strict=True):
            out[k] = f"chance {label}" if who == CHANCE else label
    return out


__all__ = ["FileLabels", "is_blank", "player", "position", "renamed", "set_labels", "set_words", "unique"]
