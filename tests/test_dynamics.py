"""The ``[dynamics]`` table of a model file: parameters moving with time ``t``.

A good table gives each moving parameter a sympy expression in ``t`` and the other parameters
(syria_deal_repeated: ``iran_cost = iran_cost_start + entrench_rate * t``).  Bad tables are
refused by the loader with one ``redline:`` line naming the file and the offending key, exit 1:
an unknown parameter, a parameter called ``t`` (the time variable), a cycle (a moving parameter
inside a dynamics expression), an expression that does not parse or calls something outside the
whitelist, and a value that is neither a number nor an expression string.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp
from hostile import assert_one_line_error, run_cli

from solver.core.expr import symbol
from solver.formats import load

BASE = """[model]
name = "d"
title = "d"
kind = "normal"
[parameters]
c = { value = 1, range = [0, 9], doc = "cost" }
g = { value = 1, range = [0, 9], doc = "growth" }
[players]
A = ["X", "Y"]
B = ["X", "Y"]
[payoffs]
"X, X" = ["c", "1"]
"X, Y" = ["0", "0"]
"Y, X" = ["0", "0"]
"Y, Y" = ["1", "c"]
"""


def test_shipped_dynamics_parse_to_the_documented_line() -> None:
    m = load("syria_deal_repeated")
    t, start, rate = symbol("t"), symbol("iran_cost_start"), symbol("entrench_rate")
    assert set(m.dynamics) == {"iran_cost"}
    assert sp.simplify(m.dynamics["iran_cost"] - (start + rate * t)) == 0
    values = m.values()
    assert (values["iran_cost_start"], values["entrench_rate"]) == (6, 1)
    assert values["iran_cost"] == values["iran_cost_start"]  # t = 0 is the article's moment


def test_models_without_dynamics_have_an_empty_table() -> None:
    assert load("syria_deconfliction").dynamics == {}


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ('[dynamics]\nz = "1 + t"\n', ("dynamics.z", "not a parameter")),
        ('[dynamics]\nc = "c + t"\n', ("dynamics.c", "moving parameter")),
        ('[dynamics]\nc = "g*t"\ng = "c"\n', ("dynamics.", "moving parameter")),
        ('[dynamics]\nc = "g +* t"\n', ("dynamics.c", "cannot parse")),
        ('[dynamics]\nc = "__import__(1)"\n', ("dynamics.c", "not allowed")),
        ('[dynamics]\nc = ["1"]\n', ("dynamics.c", "list")),
        ("[dynamics]\nc = true\n", ("dynamics.c", "boolean")),
        ("TIME", ("parameters.t", "time variable")),
    ],
    ids=["unknown-parameter", "self-cycle", "two-cycle", "syntax", "call", "list", "boolean", "parameter-t"],
)
def test_bad_dynamics_one_line(tmp_path: Path, body: str, needles: tuple[str, ...]) -> None:
    text = BASE + body
    if body == "TIME":
        text = BASE.replace(
            'g = { value = 1, range = [0, 9], doc = "growth" }', 't = { value = 1, range = [0, 9], doc = "t" }'
        )
        text += '[dynamics]\nc = "2*t"\n'
    (tmp_path / "bad.toml").write_text(text)
    out = run_cli("repeated", "bad.toml", "--target", "X, X", cwd=tmp_path)
    assert_one_line_error(out, "bad.toml", *needles, code=1)
