"""Every perfect Bayesian equilibrium of a signalling game, by support patterns.

A pattern fixes each sender type's messages ``S_t`` and each receiver set's responses
``B[m][r]``.  Given it, the equilibrium conditions split (Fudenberg & Tirole 1991, §8.2; the
support-enumeration idea of Mangasarian 1964 and Dickhaut & Kaplan 1991 for bimatrix games):

* the sender's strategy ``sigma`` (support in ``S``) meets, at each set (m, r) on the path, the
  receiver's optimality of ``B[m][r]`` under Bayes' rule, which is *linear* in ``sigma`` once the
  normalising constant is multiplied out: ``sum_t prior(t, r) sigma(m|t) [u_R(t,r,m,a) -
  u_R(t,r,m,a')] >= 0`` for ``a`` in ``B``;
* the receiver's strategy ``rho`` (support in ``B``) makes each type indifferent among its
  messages and no better off with any other (off-path ones included): linear in ``rho``;
* an off-path set needs a belief under which ``B[m][r]`` is optimal: a polytope of beliefs that
  depends on neither strategy.

So a pattern's equilibria are a product of two polytopes ``P_sigma x P_rho``; where both contain a
point with exactly the pattern's supports, every point of the product is a PBE (a point with a
smaller support is a limit of such points, whose Bayes beliefs converge).  The union over the
patterns is every PBE: the extreme ones are the pairs of vertices, and each pattern's product is a
convex set of equilibria (its *component*, kept where no other pattern's contains it, like the
maximal Nash subsets of bimatrix games).  Patterns are pruned by the belief regions before any
polytope is built; at most ``max_patterns`` are examined and the budget is checked between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, product

from solver.core.budget import UNBOUNDED, Budget
from solver.equilibria.signalling.model import Exact, belief_region, best_responses, sender_value
from solver.equilibria.signalling.polytope import Point, Row, TooManyBases, vertices

#: examine at most this many support patterns (sender supports times receiver supports)
MAX_PATTERNS = 200_000

Key = tuple[tuple[Fraction, ...], ...]
RhoKey = tuple[tuple[tuple[Fraction, ...], ...], ...]


@dataclass
class Search:
    """What the enumeration found: per pattern, its vertex sets; and how it ended."""

    pieces: list[tuple[frozenset[Key], frozenset[RhoKey]]]
    patterns: int
    complete: bool
    limit: str = ""


def subsets(k: int) -> list[tuple[int, ...]]:
    return [c for size in range(1, k + 1) for c in combinations(range(k), size)]


def enumerate_patterns(ex: Exact, budget: Budget = UNBOUNDED, max_patterns: int = MAX_PATTERNS) -> Search:
    """Run the search (see the module docstring)."""
    found: list[tuple[frozenset[Key], frozenset[RhoKey]]] = []
    count = 0
    cells = [(m, r) for m in range(ex.nm) for r in range(ex.nr)]
    free = {c: [b for b in subsets(ex.na[c[0]]) if belief_region(ex, c[0], c[1], b)] for c in cells}
    sender = list(product(*(subsets(ex.nm) for _ in range(ex.nt))))
    for done, supp in enumerate(sender):
        budget.report("signalling support patterns", done / len(sender))
        on = {c: tuple(t for t in range(ex.nt) if c[0] in supp[t] and ex.prior[t][c[1]] > 0) for c in cells}
        on = {c: ts for c, ts in on.items() if ts}
        choices = {c: _on_path_choices(ex, supp, c, ts, free[c]) for c, ts in on.items()}
        on_cells = sorted(on)
        off_cells = [c for c in cells if c not in on]
        for b_on in product(*(choices[c] for c in on_cells)):
            if budget.expired() or count >= max_patterns:
                return Search(found, count, False, _limit(budget, count, max_patterns))
            count += 1
            bset = dict(zip(on_cells, b_on, strict=True))
            sig: list[Key] | None = None  # built once a receiver polytope is found: most are empty
            for b_off in product(*(free[c] for c in off_cells)):
                if budget.expired() or count >= max_patterns:
                    return Search(found, count, False, _limit(budget, count, max_patterns))
                count += 1
                full = {**bset, **dict(zip(off_cells, b_off, strict=True))}
                try:
                    rho = _rho_vertices(ex, supp, full)
                    if rho and sig is None:
                        sig = _sigma_vertices(ex, supp, bset)
                except TooManyBases:
                    return Search(found, count, False, "a polytope with too many bases to enumerate")
                if rho and not sig:
                    break
                if rho and sig:
                    found.append((frozenset(sig), frozenset(rho)))
    return Search(found, count, True)


def _limit(budget: Budget, count: int, cap: int) -> str:
    if count >= cap:
        return f"the first {cap:,} support patterns were examined: the others not searched"
    return budget.limit("the signalling support patterns", "the remaining patterns")


def _on_path_choices(
    ex: Exact, supp: tuple[tuple[int, ...], ...], cell: tuple[int, int], senders: tuple[int, ...],
    candidates: list[tuple[int, ...]],
) -> list[tuple[int, ...]]:
    """Receiver supports worth trying at an on-path set: optimal under some belief on the types
    that send the message; where those types all send it for sure, under Bayes' belief itself."""
    m, r = cell
    if all(len(supp[t]) == 1 for t in senders):
        total = sum((ex.prior[t][r] for t in senders), Fraction(0))
        mu = [ex.prior[t][r] / total if t in senders else Fraction(0) for t in range(ex.nt)]
        best = best_responses(ex, mu, m, r)
        return [b for b in candidates if set(b) <= set(best)]
    return [b for b in candidates if belief_region(ex, m, r, b, senders)]


def _positive_somewhere(points: list[Point], n: int) -> bool:
    return all(any(p[j] > 0 for p in points) for j in range(n))


def _sigma_vertices(
    ex: Exact, supp: tuple[tuple[int, ...], ...], bset: dict[tuple[int, int], tuple[int, ...]]
) -> list[Key]:
    """The vertices of ``P_sigma`` (full ``sigma[t][m]`` tuples), [] unless it has a point with the
    pattern's exact support."""
    index = [(t, m) for t in range(ex.nt) for m in supp[t]]
    pos = {v: k for k, v in enumerate(index)}
    n = len(index)
    one, zero = Fraction(1), Fraction(0)
    eqs: list[Row] = [([one if index[k][0] == t else zero for k in range(n)], one) for t in range(ex.nt)]
    ineqs: list[Row] = [([one if j == k else zero for j in range(n)], zero) for k in range(n)]
    for (m, r), b in bset.items():
        for a2 in range(ex.na[m]):  # b[0] as good as the rest of b (equal), better than others
            if a2 == b[0]:
                continue
            row = [zero] * n
            for t in range(ex.nt):
                if (t, m) in pos:
                    row[pos[t, m]] = ex.prior[t][r] * (ex.ur[t][r][m][b[0]] - ex.ur[t][r][m][a2])
            (eqs if a2 in b else ineqs).append((row, zero))
    points = vertices(n, eqs, ineqs)
    if not points or not _positive_somewhere(points, n):
        return []
    out = []
    for p in points:
        full = [[zero] * ex.nm for _ in range(ex.nt)]
        for (t, m), v in zip(index, p, strict=True):
            full[t][m] = v
        out.append(tuple(tuple(row) for row in full))
    return out


def _rho_vertices(
    ex: Exact, supp: tuple[tuple[int, ...], ...], bset: dict[tuple[int, int], tuple[int, ...]]
) -> list[RhoKey]:
    """The vertices of ``P_rho`` (full ``rho[m][r][a]``), [] unless it has a point with the
    pattern's exact support."""
    if all(len(b) == 1 for b in bset.values()):  # a point: check the sender's conditions on it
        point = tuple(
            tuple(tuple(Fraction(int(a == bset[m, r][0])) for a in range(ex.na[m])) for r in range(ex.nr))
            for m in range(ex.nm)
        )
        rho_list = [[list(p) for p in by_r] for by_r in point]
        for t in range(ex.nt):
            vals = [sender_value(ex, rho_list, t, m) for m in range(ex.nm)]
            if any(vals[m] != vals[supp[t][0]] for m in supp[t]) or max(vals) > vals[supp[t][0]]:
                return []
        return [point]
    index = [(m, r, a) for m in range(ex.nm) for r in range(ex.nr) for a in bset[m, r]]
    n = len(index)
    one, zero = Fraction(1), Fraction(0)
    eqs: list[Row] = [
        ([one if index[k][:2] == (m, r) else zero for k in range(n)], one) for m in range(ex.nm) for r in range(ex.nr)
    ]
    ineqs: list[Row] = [([one if j == k else zero for j in range(n)], zero) for k in range(n)]

    def value(t: int, m: int) -> list[Fraction]:  # V(t, m) as a row over the variables
        return [
            ex.weight[t][r] * ex.us[t][r][mm][a] if mm == m else zero for (mm, r, a) in index
        ]

    for t in range(ex.nt):  # its first message as good as its others, better than the rest
        first = value(t, supp[t][0])
        for m2 in range(ex.nm):
            if m2 != supp[t][0]:
                row = [x - y for x, y in zip(first, value(t, m2), strict=True)]
                (eqs if m2 in supp[t] else ineqs).append((row, zero))
    points = vertices(n, eqs, ineqs)
    if not points or not _positive_somewhere(points, n):
        return []
    out = []
    for p in points:
        full = [[[zero] * ex.na[m] for _ in range(ex.nr)] for m in range(ex.nm)]
        for (m, r, a), v in zip(index, p, strict=True):
            full[m][r][a] = v
        out.append(tuple(tuple(tuple(x) for x in by_r) for by_r in full))
    return out


def maximal(pieces: list[tuple[frozenset[Key], frozenset[RhoKey]]]) -> list[tuple[frozenset[Key], frozenset[RhoKey]]]:
    """The pattern products no other one contains (by their vertex sets), in the order found."""
    unique = list(dict.fromkeys(pieces))
    return [
        p for p in unique
        if not any(q != p and p[0] <= q[0] and p[1] <= q[1] for q in unique)
    ]


def _mixed(pair: tuple[Key, RhoKey]) -> int:
    """How many probabilities of a profile are strictly between 0 and 1 (pure ones list first)."""
    sig, rho = pair
    return sum(0 < p < 1 for row in sig for p in row) + sum(0 < p < 1 for by_r in rho for x in by_r for p in x)


def pairs(pieces: list[tuple[frozenset[Key], frozenset[RhoKey]]]) -> Iterator[tuple[Key, RhoKey]]:
    """The extreme PBE: every (sigma vertex, rho vertex) of every product, once each."""
    seen: set[tuple[Key, RhoKey]] = set()
    for sig, rho in pieces:
        for pair in sorted(product(sig, rho), key=lambda p: (_mixed(p), p)):
            if pair not in seen:
                seen.add(pair)
                yield pair
