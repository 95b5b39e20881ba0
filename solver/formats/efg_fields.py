"""The fields of a ``.efg`` file's nodes decoded a column at a time, for :mod:`.efg_bulk`.

Gambit documentation, "The extensive game (.efg) file format": a leaf's payoffs are those of
its outcome, given at the outcome's first use; an information set's actions at its first node.
Each function takes one kind of field for every node of the file (as :data:`.efg_syntax.NODE`
captures them) and decodes it as reading node by node would, once per distinct text where
texts repeat; where that reading would go its own way (a number or list it does not take
plainly, an error) it gives None or raises ``ValueError``, and the file is read node by node.

>>> leaf_payoffs([1, 2, 1], ["{ 1, 2 }", "{ 0 1/2 }", None], 2)[2] == (1, 2)
True
>>> leaf_payoffs([1, 1], ["{ 1, 2 }", "{ 0 0 }"], 2) is None  # outcome 1 given other payoffs
True
"""

from __future__ import annotations

from fractions import Fraction
from itertools import islice
from typing import Any

from solver.core.tree import CHANCE, Infoset, Node, Tree, check_probabilities
from solver.formats.efg_syntax import LIST_RUN, SHORT_NUMBER, STRINGS, number, plain_actions, unquote
from solver.formats.labels import player, position, renamed, set_labels, set_words, unique

_new = object.__new__  # frozen Node and Infoset filled through __dict__, as in .efg

#: the information sets while they are read: (player, number) -> [name, actions,
#: probabilities, members, index] (a tuple where nothing is added)
Sets = dict[tuple[int, int], Any]


def leaf_payoffs(outs: list[int], texts: list[str | None], n: int) -> list[tuple[Fraction, ...]] | None:
    """Each leaf's payoffs from its outcome number and payoff list (None where not given): an
    outcome's payoffs are those at its first use, given before any use without them, the
    same at every use with them (else None: the node-by-node reader names the error)."""
    vectors = payoff_lists([t for t in texts if t is not None], n)
    if None not in texts and len(set(outs)) == len(outs) and 0 not in outs:
        return vectors  # every leaf its own outcome, its payoffs given: nothing to match
    zero = (Fraction(0),) * n
    known: dict[int, tuple[Fraction, ...]] = {}
    given = iter(vectors)
    out: list[tuple[Fraction, ...]] = []
    for which, text in zip(outs, texts, strict=True):
        if text is not None:
            vec = next(given)
            if which and known.setdefault(which, vec) != vec:
                return None
        elif which:
            if (found := known.get(which)) is None:
                return None
            vec = found
        else:
            vec = zero
        out.append(vec)
    return out


def payoff_lists(texts: list[str], n: int) -> list[tuple[Fraction, ...]]:
    """The ``n`` numbers of each braced payoff list (ValueError where one is not plain or has
    another count: the tokens read it), all lists split in one pass, integers by ``int``."""
    if not texts:
        return []
    joined = ";".join(texts).replace("{", " ").replace("}", " ").replace(",", " ")
    tokens = joined.split()
    if len(tokens) != len(texts) * (n + 1) - 1 or tokens[n :: n + 1] != [";"] * (len(texts) - 1):
        raise ValueError("a payoff list of another length")
    del tokens[n :: n + 1]
    values: list[Fraction]
    if max(map(len, tokens)) <= SHORT_NUMBER and not any(c in joined for c in "./eE"):
        ints = list(map(int, tokens))  # [+-]?[0-9]+ as the plain reader takes it (int refuses the rest)
        distinct = set(ints)
        if 4 * len(distinct) < len(ints):  # few values: one Fraction each
            table = {v: Fraction(v) for v in distinct}
            values = list(map(table.__getitem__, ints))
        else:
            values = list(map(Fraction, ints))
    else:
        cache: dict[str, Fraction] = {}
        values = [number(t, cache) for t in tokens]
    return list(zip(*[iter(values)] * n, strict=True))


def action_lists(kind: list[str | None], block: list[str | None]) -> dict[str, dict[str, Any]]:
    """Per node type ``p`` and ``c``: each distinct action list's (names, probabilities)."""
    own = list(dict.fromkeys(b for k, b in zip(kind, block, strict=True) if k == "p" and b is not None))
    odds = dict.fromkeys(b for k, b in zip(kind, block, strict=True) if k == "c" and b is not None)
    cache: dict[str, Fraction] = {}
    joined = "".join(own)
    if "\\" in joined or LIST_RUN.fullmatch(joined) is None:  # each list by itself, or the error
        names = [plain_actions(b, False, cache)[0] for b in own]
    else:  # one match for all: no escapes, so each list has half its quotes' count of names
        flat = STRINGS.findall(joined)
        counts = [b.count('"') >> 1 for b in own]
        if len(set(counts)) == 1:
            names = list(zip(*[iter(flat)] * counts[0], strict=True))
        else:
            it = iter(flat)
            names = [tuple(islice(it, c)) for c in counts]
    return {
        "p": {b: (a, ()) for b, a in zip(own, names, strict=True)},
        "c": {b: plain_actions(b, True, cache) for b in odds},
    }


def set_columns(
    inner: list[int], kind: list[str], first: list[str], second: list[str | None], label: list[str | None],
    block: list[Any], lists: dict[str, dict[str, Any]], n: int,
) -> tuple[Sets, list[int], list[Any]] | None:
    """The information sets of the ``inner`` nodes (their fields given in order), and each
    node's player and set entry; None for a player that does not exist, a set whose actions
    are not given at its first node or differ later, a node of the wrong shape."""
    chance = [k == "c" for k in kind]
    if [s is None for s in second] != chance:
        return None  # "p" has two integers, "c" one: else the tokens may read it otherwise
    ones = list(map(int, first))
    who = [CHANCE if c else w - 1 for c, w in zip(chance, ones, strict=True)]
    if any(not 0 <= w < n for w, c in zip(who, chance, strict=True) if not c):
        return None
    keys = list(zip(who, [w if s is None else int(s) for w, s in zip(ones, second, strict=True)], strict=True))
    names = [unquote(x) if x else "" for x in label]
    if None not in block and len(set(keys)) == len(keys):  # every node its own set, as one reads
        acts = [lists[k][b] for k, b in zip(kind, block, strict=True)]
        entries = list(zip(names, *zip(*acts, strict=True), ((k,) for k in inner), range(len(keys)), strict=True))
        return dict(zip(keys, entries, strict=True)), who, entries
    sets: Sets = {}
    out: list[Any] = []
    for k, key, what, called, text in zip(inner, keys, kind, names, block, strict=True):
        got = sets.get(key)
        if text is not None:
            acts = lists[what][text]
            if got is None:
                got = sets[key] = [called, acts[0], acts[1], [], len(sets)]
            elif got[1] != acts[0] or (acts[1] and got[2] != acts[1]):
                return None
        elif got is None:
            return None
        got[3].append(k)
        out.append(got)
    return sets, who, out


def infosets(shown: tuple[str, ...], sets: Sets, source: str, notes: list[str] | None) -> list[Infoset]:
    """The information sets of ``sets`` (keyed by (player, number)): blank and repeated set and
    action labels shown under unique names (:mod:`.labels`), a note per renamed one."""
    names = set_labels(shown, [(who, num, e[0]) for (who, num), e in sets.items()], source, notes)
    labels: dict[int, tuple[str, ...]] = {}  # per action tuple (lists read from one text share one)
    out = []
    for k, ((who, num), (name, actions, _, members, _)) in enumerate(sets.items()):
        shown_actions = labels.get(id(actions))
        if shown_actions is None:
            shown_actions = labels[id(actions)] = unique(actions, position)
        if notes is not None and shown_actions is not actions:
            what, where = set_words(shown, who)
            notes += renamed(source, "action", actions, shown_actions, f" at {what} {num}{where}")
        h = _new(Infoset)
        h.__dict__.update(
            player=who, label=names[k], actions=shown_actions, members=tuple(members), name=name, number=num
        )
        out.append(h)
    return out


# --- the tree ------------------------------------------------------------------------------
def build_tree(
    players: tuple[str, ...],
    title: str,
    raw: list[Any],
    sets: dict[tuple[int, int], list[Any]],
    parents: list[int],
    labels: dict[int, str],
    source: str,
    notes: list[str] | None = None,
) -> Tree:
    """The tree of a node-by-node reading, checked as :func:`solver.core.tree.validate` would:
    reading already gives one child per action and one payoff per player, so what is left is
    chance probabilities (once per list of them, at its set's first node).  Blank and repeated
    player, action and information set labels are shown under unique names (:mod:`.labels`);
    ``notes``, if given, gets one line per renamed player, action and repeated set name.
    ``labels``: leaf -> its outcome's name in the file."""
    shown = unique(players, player)
    if notes is not None:
        notes += renamed(source, "player", players, shown)
    chance: dict[int, tuple[int, tuple[Fraction, ...]]] = {}
    for (who, _), (_, _, probs, members, _) in sets.items():
        if who == CHANCE:
            chance.setdefault(id(probs), (members[0], probs))  # sets read from one text share
    nodes: list[Node] = []
    for r in raw:
        if r.__class__ is not Node:
            entry = r[2]
            node = _new(Node)
            node.__dict__.update(
                name=r[0], player=r[1], infoset=entry[4], children=tuple(r[3]), probs=entry[2], payoffs=()
            )
            r = node
        nodes.append(r)
    for first, probs in chance.values():
        check_probabilities(probs, source, f"nodes.{raw[first][0]}" if raw[first][0] else f"node {first + 1}")
    sets_shown = tuple(infosets(shown, sets, source, notes))
    return Tree(shown, tuple(nodes), sets_shown, title, False, tuple(parents), outcome_labels=labels)


def leaf_labels(leaves: list[int], outs: list[int], names: list[str | None]) -> dict[int, str]:
    """Leaf -> outcome name: an outcome's name is given at its first use (later uses may give only
    its number), so each number keeps the first non-blank name it is given.

    >>> leaf_labels([2, 4, 5], [1, 1, 0], ["Win", None, None])
    {2: 'Win', 4: 'Win'}
    """
    first: dict[int, str] = {}
    for out, name in zip(outs, names, strict=True):
        if out and name and name.strip():
            first.setdefault(out, unquote(name) if "\\" in name else name)
    return {k: first[out] for k, out in zip(leaves, outs, strict=True) if out in first}
