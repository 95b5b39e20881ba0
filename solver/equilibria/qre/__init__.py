"""Logit quantal response equilibrium (McKelvey & Palfrey 1995; agent QRE for trees, 1998).

* :mod:`.form`: the logit equations as arrays (strategic games and trees alike);
* :mod:`.trace`: the predictor-corrector tracer of the principal branch (Turocy 2005);
* :mod:`.branch`: :func:`~.branch.trace_branch`, :func:`~.branch.qre_at`,
  :func:`~.branch.qre_all_at`;
* :mod:`.limit`: :func:`~.limit.logit_limit`, the Nash equilibrium the branch selects;
* :mod:`.batched2x2`: the principal-branch QRE of many 2x2 games at one lambda at once
  (:mod:`.arclength2x2` traces the games whose branch folds);
* :mod:`.many`: the same for many games of any one shape, or one tree's structure.
"""
