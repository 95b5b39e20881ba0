"""Labels are unique, whatever the input: blank, whitespace-only and repeated names in crafted
Gambit .nfg and .efg files are shown under unique, stable names (solver/formats/labels.py), the
renaming is reported as notes naming the file, and writing the model back keeps the file's own
labels.  pygambit (through tests/oracle.py) reads the same files to the same payoffs and pure
equilibria."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from oracle import CHILD_PRELUDE, nfg_reference, run_child

from solver.core.symbolic import evaluate
from solver.formats import load
from solver.formats.efg import format_efg, parse_efg_labelled, read_efg, same_tree, write_efg
from solver.formats.gambit_tokens import STRING, tokenize
from solver.formats.labels import is_blank, player, position, unique
from solver.formats.nfg import format_nfg, parse_nfg, read_nfg, relabel, write_nfg


def distinct(labels: tuple[str, ...]) -> bool:
    return len(set(labels)) == len(labels) and not any(is_blank(a) for a in labels)


def padded(text: str) -> bool:
    """Some string in the file begins or ends with whitespace (which Gambit refuses)."""
    return any(t.kind == STRING and t.value != str(t.value).strip() for t in tokenize(text))


# --- the naming scheme ------------------------------------------------------------------------

SCHEME = [
    ("distinct", ("A", "B"), player, ("A", "B")),
    ("blank-players", ("", ""), player, ("Player 1", "Player 2")),
    ("whitespace-players", (" ", "\t", "\n "), player, ("Player 1", "Player 2", "Player 3")),
    ("repeated", ("Defect", "Defect", "Defect"), position, ("Defect", "Defect (2)", "Defect (3)")),
    ("blank-takes-given-name", ("", "Player 1"), player, ("Player 1 (2)", "Player 1")),
    ("blank-position-taken", ("", "1", ""), position, ("1 (2)", "1", "3")),
    ("suffix-taken", ("D", "D", "D (2)"), position, ("D", "D (3)", "D (2)")),
    ("suffix-taken-twice", ("D (2)", "D", "D", "D (3)"), position, ("D (2)", "D", "D (4)", "D (3)")),
    ("padded-is-a-name", (" A", "A", "A "), position, (" A", "A", "A ")),
]


@pytest.mark.parametrize(("given", "default", "shown"), [c[1:] for c in SCHEME], ids=[c[0] for c in SCHEME])
def test_naming_scheme(given: tuple[str, ...], default: Callable[[int], str], shown: tuple[str, ...]) -> None:
    got = unique(given, default)
    assert got == shown and distinct(got)
    assert unique(given, default) == got  # stable
    for a, b in zip(given, got, strict=True):  # a distinct given name keeps its place
        if not is_blank(a) and given.count(a) == 1:
            assert a == b


# --- .nfg files -------------------------------------------------------------------------------

PD = "3 3 5 0 0 5 1 1"  # prisoner's dilemma, payoff list, first player fastest
NFG = [
    # id, text, players shown, strategies shown, how many labels renamed
    (
        "clean",
        f'NFG 1 R "pd" {{ "A" "B" }} {{ {{ "C" "D" }} {{ "c" "d" }} }} {PD}',
        ("A", "B"),
        (("C", "D"), ("c", "d")),
        0,
    ),
    ("blank-players", f'NFG 1 R "pd" {{ "" "" }} {{ 2 2 }} {PD}', ("Player 1", "Player 2"), (("1", "2"),) * 2, 2),
    (
        "whitespace-players",
        f'NFG 1 R "pd" {{ " " "  " }} {{ 2 2 }} {PD}',
        ("Player 1", "Player 2"),
        (("1", "2"),) * 2,
        2,
    ),
    ("repeated-players", f'NFG 1 R "pd" {{ "A" "A" }} {{ 2 2 }} {PD}', ("A", "A (2)"), (("1", "2"),) * 2, 1),
    (
        "blank-strategies",
        f'NFG 1 R "pd" {{ "A" "B" }} {{ {{ "" "" }} {{ "x" "\t" }} }} {PD}',
        ("A", "B"),
        (("1", "2"), ("x", "2")),
        3,
    ),
    (
        "repeated-strategies",
        f'NFG 1 R "pd" {{ "Joe" "Dan" }} {{ {{ "defect" "defect" }} {{ "c" "c" }} }} {PD}',
        ("Joe", "Dan"),
        (("defect", "defect (2)"), ("c", "c (2)")),
        2,
    ),
    (
        "collisions",
        f'NFG 1 R "pd" {{ "" "Player 1" }} {{ {{ "" "1" }} {{ "D" "D (2)" }} }} {PD}',
        ("Player 1 (2)", "Player 1"),
        (("1 (2)", "1"), ("D", "D (2)")),
        2,
    ),
    (
        "everything-blank-3-players",
        'NFG 1 R "" { "" "" "" } { { "" "" } { "" } { "a" "a" } } ' + " ".join(map(str, range(12))),
        ("Player 1", "Player 2", "Player 3"),
        (("1", "2"), ("1",), ("a", "a (2)")),
        7,
    ),
    (
        "outcome-names",
        'NFG 1 R "" { "A" "B" } { 2 2 }\n{ { "" 1 2 } { "" 3 4 } { " " 5 6 } { "o" 7 8 } { "o" 9 10 } }\n1 2 3 5',
        ("A", "B"),
        (("1", "2"), ("1", "2")),
        0,
    ),
    (
        "outcome-names-gambit-reads",  # no padded name: pygambit reads it too
        'NFG 1 R "t" { "A" "B" } { 2 2 }\n{ { "" 1 2 } { "" 3 4 } { "o" 7 8 } { "o" 9 10 } }\n1 2 0 4',
        ("A", "B"),
        (("1", "2"), ("1", "2")),
        0,
    ),
]
NFG_IDS = [c[0] for c in NFG]


@pytest.fixture
def nfg_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.node.callspec.id}.nfg"
    path.write_text(request.node.callspec.params["text"])
    return path


@pytest.mark.parametrize(("text", "players", "strategies", "renamed"), [c[1:] for c in NFG], ids=NFG_IDS)
def test_nfg_labels_are_unique_and_noted(
    nfg_file: Path, text: str, players: tuple[str, ...], strategies: tuple[tuple[str, ...], ...], renamed: int
) -> None:
    model = load(str(nfg_file))
    assert (model.players, model.strategies) == (players, strategies)
    assert distinct(model.players) and all(distinct(s) for s in model.strategies)
    assert len(model.notes) == renamed
    assert all(note.startswith(f"{nfg_file}: ") and " shown as " in note for note in model.notes)
    assert model.file_labels is not None or renamed == 0
    assert load(str(nfg_file)).notes == model.notes  # stable
    raw = read_nfg(nfg_file)  # the reader itself keeps the file's labels
    if model.file_labels is not None:  # the file's own labels, where they differ from those shown
        kept = model.file_labels
        assert (kept.players, kept.strategies or raw.strategies) == (raw.players, raw.strategies)
        assert kept.title is None or (kept.title == raw.title == "" and model.title == nfg_file.stem)


@pytest.mark.parametrize(("text", "players", "strategies", "renamed"), [c[1:] for c in NFG], ids=NFG_IDS)
def test_nfg_round_trip_keeps_the_files_labels(
    nfg_file: Path, tmp_path: Path, text: str, players: object, strategies: object, renamed: int
) -> None:
    raw = read_nfg(nfg_file)
    out = tmp_path / "out.nfg"
    write_nfg(load(str(nfg_file)), out)
    back = read_nfg(out)
    assert (back.players, back.strategies, back.title) == (raw.players, raw.strategies, raw.title)
    assert back.payoffs.tolist() == raw.payoffs.tolist()
    assert out.read_text() == format_nfg(raw)  # byte for byte what the file's own labels give
    again = load(str(out))
    assert (again.players, again.strategies, again.notes) == (
        players,
        strategies,
        tuple(n.replace(str(nfg_file), str(out)) for n in load(str(nfg_file)).notes),
    )


#: Gambit refuses labels that begin or end with whitespace (pygambit 16: "Invalid label")
NFG_GAMBIT = [pytest.param(*c[1:], id=c[0]) for c in NFG if not padded(c[1])]


@pytest.mark.parametrize(("text", "players", "strategies", "renamed"), NFG_GAMBIT)
def test_nfg_agrees_with_pygambit(nfg_file: Path, text: str, players: object, strategies: object, renamed: int) -> None:
    _, theirs, table = nfg_reference(nfg_file)
    game = evaluate(load(str(nfg_file)))
    assert game.shape == tuple(len(s) for s in theirs)
    assert set(table) == set(np.ndindex(*game.shape))
    for profile, expected in table.items():
        assert [game.payoffs[(i, *profile)] for i in range(game.n_players)] == expected, profile


def test_two_blank_players_keep_both_profiles(tmp_path: Path) -> None:
    from solver.equilibria import solve
    from solver.render.text import result_dict

    # matching pennies with both players unnamed: one mixed equilibrium, both players at 1/2
    path = tmp_path / "pennies.nfg"
    path.write_text('NFG 1 R "" { "" "" } { 2 2 } 1 -1 -1 1 -1 1 1 -1')
    model = load(str(path))
    assert model.notes == (
        f'{path}: unnamed player 1 shown as "Player 1"',
        f'{path}: unnamed player 2 shown as "Player 2"',
    )
    result = solve(evaluate(model))
    assert len(result) == 1
    (eq,) = result.equilibria
    assert eq.profile == {"Player 1": {"1": F(1, 2), "2": F(1, 2)}, "Player 2": {"1": F(1, 2), "2": F(1, 2)}}
    assert set(eq.payoffs) == {"Player 1", "Player 2"}
    doc = result_dict(result, model)
    assert set(doc["equilibria"][0]["profile"]) == set(doc["strategies"]) == {"Player 1", "Player 2"}


def test_repeated_strategies_keep_both_probabilities() -> None:
    from solver.equilibria import solve

    # the row player's two strategies are both "x": a mixed equilibrium must show two entries
    shown, _ = relabel(parse_nfg('NFG 1 R "" { "R" "C" } { { "x" "x" } { "l" "r" } } 1 -1 -1 1 -1 1 1 -1'))
    (eq,) = solve(shown).equilibria
    assert eq.profile["R"] == {"x": F(1, 2), "x (2)": F(1, 2)}


def test_write_nfg_refuses_labels_of_another_game() -> None:
    _, labels = relabel(parse_nfg('NFG 1 R "" { "" "" } { 2 2 } ' + PD))
    other = parse_nfg('NFG 1 R "" { "A" } { 3 } 1 2 3')
    with pytest.raises(ValueError, match="another game"):
        format_nfg(other, labels)


# --- .efg files -------------------------------------------------------------------------------


def efg(players: str, body: str) -> str:
    return f'EFG 2 R "crafted" {{ {players} }}\n""\n\n{body}\n'


TWO = 'p "" 1 1 "" { "L" "R" } 0\np "" 2 1 "" { "l" "r" } 0\nt "" 1 "" { 1, -1 }\nt "" 2 "" { -1, 1 }\n'
TWO += 'p "" 2 2 "" { "l" "r" } 0\nt "" 3 "" { -1, 1 }\nt "" 4 "" { 1, -1 }'
EFG = [
    # id, text, players shown, actions shown per information set, labels renamed, set labels
    ("clean", efg('"A" "B"', TWO), ("A", "B"), [("L", "R"), ("l", "r"), ("l", "r")], 0, ["#1", "#1", "#2"]),
    ("blank-players", efg('"" ""', TWO), ("Player 1", "Player 2"), [("L", "R"), ("l", "r"), ("l", "r")], 2, None),
    (
        "whitespace-players",
        efg('" " "\t"', TWO),
        ("Player 1", "Player 2"),
        [("L", "R"), ("l", "r"), ("l", "r")],
        2,
        None,
    ),
    ("repeated-players", efg('"A" "A"', TWO), ("A", "A (2)"), [("L", "R"), ("l", "r"), ("l", "r")], 1, None),
    (
        "blank-actions",
        efg('"A" "B"', TWO.replace('{ "L" "R" }', '{ "" " " }').replace('2 1 "" { "l" "r" }', '2 1 "" { "" "r" }')),
        ("A", "B"),
        [("1", "2"), ("1", "r"), ("l", "r")],
        3,
        None,
    ),
    (
        "repeated-actions",
        efg('"A" "B"', TWO.replace('{ "L" "R" }', '{ "L" "L" }').replace('2 2 "" { "l" "r" }', '2 2 "" { "1" "1" }')),
        ("A", "B"),
        [("L", "L (2)"), ("l", "r"), ("1", "1 (2)")],
        2,
        None,
    ),
    (
        "action-collisions",
        efg(
            '"A" "B"', TWO.replace('{ "L" "R" }', '{ "" "1" }').replace('2 1 "" { "l" "r" }', '2 1 "" { "x" "x (2)" }')
        ),
        ("A", "B"),
        [("1 (2)", "1"), ("x", "x (2)"), ("l", "r")],
        1,
        None,
    ),
    (
        "chance-probabilities-as-names",
        efg('"A"', 'c "" 1 "" { "1/2" 1/2 "1/2" 1/2 } 0\nt "" 1 "" { 1 }\nt "" 2 "" { 2 }'),
        ("A",),
        [("1/2", "1/2 (2)")],
        1,
        ["chance #1"],
    ),
    (
        "set-names",
        efg('"A" "B"', TWO.replace('2 1 ""', '2 1 "s"').replace('2 2 ""', '2 2 "s"').replace('1 1 ""', '1 1 " "')),
        ("A", "B"),
        [("L", "R"), ("l", "r"), ("l", "r")],
        1,
        ["#1", "s", "s (2)"],
    ),
    (
        "set-name-like-a-number",
        efg('"A" "B"', TWO.replace('2 1 ""', '2 1 "#2"')),
        ("A", "B"),
        [("L", "R"), ("l", "r"), ("l", "r")],
        0,
        ["#1", "#2", "#2 (2)"],
    ),
    (
        "outcome-names",
        efg(
            '"A" "B"',
            TWO.replace('t "" 1 ""', 't "" 1 " "')
            .replace('t "" 2 ""', 't "" 2 "o"')
            .replace('t "" 3 ""', 't "" 3 "o"'),
        ),
        ("A", "B"),
        [("L", "R"), ("l", "r"), ("l", "r")],
        0,
        None,
    ),
    (
        "outcome-names-gambit-reads",  # no padded name: pygambit reads it too
        efg('"A" "B"', TWO.replace('t "" 2 ""', 't "" 2 "o"').replace('t "" 3 ""', 't "" 3 "o"')),
        ("A", "B"),
        [("L", "R"), ("l", "r"), ("l", "r")],
        0,
        None,
    ),
]
EFG_IDS = [c[0] for c in EFG]


@pytest.fixture
def efg_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.node.callspec.id}.efg"
    path.write_text(request.node.callspec.params["text"])
    return path


EFG_PARAMS = [c[1:] for c in EFG]
EFG_ARGS = ("text", "players", "actions", "renamed", "sets")


@pytest.mark.parametrize(EFG_ARGS, EFG_PARAMS, ids=EFG_IDS)
def test_efg_labels_are_unique_and_noted(
    efg_file: Path, text: str, players: tuple[str, ...], actions: list[tuple[str, ...]], renamed: int, sets: object
) -> None:
    model = load(str(efg_file))
    tree = model.tree
    assert tree.players == model.players == players
    assert [h.actions for h in tree.infosets] == actions
    assert all(distinct(h.actions) for h in tree.infosets)
    for who in {h.player for h in tree.infosets}:
        assert distinct(tuple(h.label for h in tree.infosets if h.player == who))
    if sets is not None:
        assert [h.label for h in tree.infosets] == sets
    assert distinct(model.players) and all(distinct(s) for s in model.strategies)
    assert len(model.notes) == renamed
    assert all(note.startswith(f"{efg_file}: ") and " shown as " in note for note in model.notes)
    assert load(str(efg_file)).notes == model.notes


@pytest.mark.parametrize(EFG_ARGS, EFG_PARAMS, ids=EFG_IDS)
def test_efg_round_trip_keeps_the_files_labels(
    efg_file: Path, tmp_path: Path, text: str, players: object, actions: object, renamed: int, sets: object
) -> None:
    model = load(str(efg_file))
    _, mine = parse_efg_labelled(text)
    out = tmp_path / "out.efg"
    write_efg(model, out)
    tree, theirs = parse_efg_labelled(out.read_text())
    if mine is None:
        assert theirs is None
    else:
        assert theirs is not None
        assert (theirs.players, theirs.actions) == (mine.players, mine.actions)
        assert theirs.notes == tuple(n.replace(str(efg_file), "<string>") for n in model.notes)
    assert [h.name for h in tree.infosets] == [h.name for h in model.tree.infosets]
    assert same_tree(tree, model.tree) and tree.players == model.tree.players
    assert [h.label for h in tree.infosets] == [h.label for h in model.tree.infosets]
    assert format_efg(tree, theirs) == out.read_text()  # byte for byte: writing again changes nothing
    if mine is not None:  # the tree alone writes the labels shown (set names as in the file)
        plain = tmp_path / "plain.efg"
        write_efg(read_efg(efg_file), plain)
        again = load(str(plain))
        assert again.players == players and [h.actions for h in again.tree.infosets] == actions
        assert all(" information set name " in n for n in again.notes)


_PURE = (
    CHILD_PRELUDE
    + r"""
import json
answers = []
for path in sys.argv[1:]:
    g = gbt.read_efg(path)
    res = gbt.nash.enumpure_solve(g)
    answers.append(sorted({tuple(str(gc.profile_payoff(eq, p)) for p in gc.players(g)) for eq in gc.equilibria(res)}))
print(json.dumps(answers))
"""
)
#: Gambit refuses padded labels and a name given to two information sets of one player
EFG_GAMBIT = [c for c in EFG if not padded(c[1]) and c[0] != "set-names"]


@pytest.fixture(scope="module")
def gambit_pure(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[F, ...]]]:
    """pygambit's pure equilibrium payoffs of every case it reads, in one child process."""
    folder = tmp_path_factory.mktemp("gambit")
    paths = []
    for name, text, *_ in EFG_GAMBIT:
        paths.append(folder / f"{name}.efg")
        paths[-1].write_text(text)
    rows = json.loads(run_child(_PURE, *map(str, paths), timeout=60))
    return {c[0]: {tuple(F(x) for x in row) for row in r} for c, r in zip(EFG_GAMBIT, rows, strict=True)}


@pytest.mark.parametrize(EFG_ARGS, [c[1:] for c in EFG_GAMBIT], ids=[c[0] for c in EFG_GAMBIT])
def test_efg_pure_equilibria_agree_with_pygambit(
    efg_file: Path,
    gambit_pure: dict[str, set[tuple[F, ...]]],
    text: str,
    players: object,
    actions: object,
    renamed: int,
    sets: object,
) -> None:
    from solver.equilibria.trees.sequential import solve_tree

    result = solve_tree(load(str(efg_file)), nash="pure")
    ours = {tuple(F(v) for v in e.values) for e in result.equilibria if e.is_pure}
    assert ours == gambit_pure[efg_file.stem]


def test_efg_two_blank_players_keep_both_profiles(tmp_path: Path) -> None:
    from solver.equilibria.trees.sequential import solve_tree

    path = tmp_path / "blank.efg"
    path.write_text(efg('"" ""', TWO))
    result = solve_tree(load(str(path)))
    assert result.equilibria
    for eq in result.equilibria:
        assert set(eq.profile) == set(eq.payoffs) == {"Player 1", "Player 2"}
