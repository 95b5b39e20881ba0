"""``python -m solver.cli``: the same entry point as the ``redline`` script."""

from solver.cli import main

main()
