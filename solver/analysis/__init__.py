"""Symbolic red-line analysis: closed-form regions, thresholds, sensitivity, uncertainty.

Submodules load sympy lazily; import them directly (``from solver.analysis.regions import regions``).
"""
