"""Tree equilibria as text: each one's path of play, subgame perfection (Selten 1965) and, with
incomplete information, the weak perfect Bayesian test (Fudenberg & Tirole 1991, §8.2).

>>> from solver.formats import load
>>> from solver.equilibria.trees.sequential import solve_tree
>>> print("\\n".join(tree_lines(solve_tree(load("entry_deterrence")))))
<BLANKLINE>
#1 path: In > Accommodate  [subgame perfect]
#2 path: Out  [NOT subgame perfect]
"""

from __future__ import annotations

from solver.core.result import Result


def tree_lines(result: Result) -> list[str]:
    """Text lines for tree equilibria: path of play, subgame perfection, beliefs."""
    lines = [""]
    for k, e in enumerate(result.equilibria, 1):
        x = e.extra
        path = x.get("path")
        if path is None:
            continue
        if path and isinstance(path[0], dict):
            shown = "; ".join(f"{' > '.join(p['path'])} ({p['probability']:.4g})" for p in path)
        else:
            shown = " > ".join(path) if path else "(empty)"
        flags = []
        if x.get("subgame_perfect") is not None:
            flags.append("subgame perfect" if x["subgame_perfect"] else "NOT subgame perfect")
        elif "subgame_perfect" in x:
            flags.append("subgame perfection unknown")
        if x.get("perfect_bayesian") is not None:
            flags.append("perfect Bayesian" if x["perfect_bayesian"] else "not perfect Bayesian")
        lines.append(f"#{k} path: {shown}  [{', '.join(flags)}]")
    return lines
