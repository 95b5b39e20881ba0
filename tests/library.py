"""The shipped model library as the every-model tests see it."""

from __future__ import annotations

from solver.formats import models_dir

#: models that are games (strategic form or trees); ``kind = "bargaining"`` models are solved by
#: ``redline solve`` only (a continuous offer), and every other command refuses them in one line
BARGAINING = sorted(p.stem for p in models_dir().glob("*.toml") if 'kind = "bargaining"' in p.read_text())
GAME_MODELS = sorted(p.stem for p in models_dir().glob("*.toml") if p.stem not in BARGAINING)

#: trees whose whole analysis without a time budget (every threshold of every assumption by the
#: tree scan, the brief) takes tens of seconds to minutes: the every-model tests give them a
#: budget and check what they render, and their own test files check their results
HEAVY = [
    "fearon_audience_costs",
    "fearon_sinking_costs",
    "fearon_tying_hands",
    "kreps_wilson_reputation",
    "kydd_spiral_deterrence",
    "powell_brinkmanship",
    "spence_job_market",
    "syria_restraint",
    "syria_russia_signal",
    "zk_mutual_deterrence",
    "zk_tripartite_crisis",
    "zk_unilateral_deterrence",
]
LIGHT = [m for m in GAME_MODELS if m not in HEAVY]
