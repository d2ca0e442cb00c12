"""The attacker: the range of every hidden count given everything a view shows.

A view (a pack, a page) is turned into a :class:`LinearSystem`: non-negative integer unknowns
(the true counts, known to the publisher), linear facts a reader can state from what is shown
(row and column totals, cross-table totals, exact cells, ``1 ≤ x ≤ k − 1`` for a ``"<k"``
cell, rank order, rounded percentages) and the *targets*: every count the view hides (shown
``"<k"`` or withheld, or merged into a pooled row). :func:`attack` solves, for every target, the
integer programs ``min a·x`` and ``max a·x`` subject to the facts (:func:`scipy.optimize.milp`,
HiGHS), block by block (targets only share a program with the unknowns linked to theirs), and
reports the targets whose range breaks :func:`safe_range`.

This is the audit of cell suppression by linear programming that statistical offices run
(tau-ARGUS, sdcTable's ``attack``), with integer unknowns instead of the LP relaxation (the
integer range is never wider, so a view that passes here passes the relaxation's audit too).

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*, ch. 4 (cell suppression,
audit). Wiley.
Meindl, B. *sdcTable: Methods for Statistical Disclosure Control in Tabular Data* (R package),
``attack()``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from apk_geo.errors import ParameterError

__all__ = [
    "MIN_COUNT",
    "Audit",
    "Finding",
    "LinearSystem",
    "Shown",
    "Target",
    "attack",
    "safe_range",
]

#: Default threshold: counts in ``1 … MIN_COUNT − 1`` are shown as ``"<MIN_COUNT"``
#: (:attr:`apk_geo.config.Config.min_public_count`).
MIN_COUNT: Final = 3
#: Time limit of one integer program, in seconds (a program that hits it counts as unsafe
#: unless the best solution found already proves the range wide enough).
SOLVE_TIME_LIMIT_S: Final = 5.0
#: How a target is shown: ``"small"`` as ``"<k"``; ``"hidden"`` withheld (``"–"``) or merged
#: into a pooled row.
Shown = Literal["small", "hidden"]
_EXACT: Final = re.compile(r"^\d+$")
_TOL: Final = 1e-6


def safe_range(low: float, high: float, *, shown: Shown, min_count: int = MIN_COUNT) -> bool:
    """Return whether a hidden count's range ``[low, high]`` keeps it hidden.

    The rule: a count shown as ``"<k"`` keeps its whole interval (``low ≤ 1`` and
    ``high ≥ k − 1``; for ``k = 3`` both 1 and 2 stay possible); any other hidden count keeps
    at least ``max(2, k − 1)`` values (``high − low ≥ max(1, k − 2)``), so none is ever pinned
    — except a count that must be zero (``high ≤ 0``): an empty place reveals nobody.

    Examples
    --------
    >>> safe_range(1, 2, shown="small"), safe_range(1, 1, shown="small")
    (True, False)
    >>> safe_range(4, 5, shown="hidden"), safe_range(5, 5, shown="hidden")
    (True, False)
    >>> safe_range(0, 0, shown="hidden")
    True
    """
    if shown == "small":
        return low <= 1 + _TOL and high >= min_count - 1 - _TOL
    return high <= _TOL or high - low >= max(1, min_count - 2) - _TOL


@dataclass(frozen=True)
class Target:
    """A hidden count: ``coeffs`` (unknown → coefficient), how it is shown, its true value."""

    name: str
    coeffs: Mapping[int, float]
    shown: Shown
    truth: int


@dataclass(frozen=True)
class Finding:
    """A target whose range breaks :func:`safe_range`; ``table`` is its name's first part."""

    name: str
    shown: Shown
    truth: int
    low: float
    high: float

    @property
    def table(self) -> str:
        """The part of the view the target belongs to (``"categories"`` of ``"categories:…"``)."""
        return self.name.split(":", 1)[0]


@dataclass(frozen=True)
class Audit:
    """The result of :func:`attack`: the findings and how much was solved."""

    findings: tuple[Finding, ...]
    targets: int
    unknowns: int
    facts: int
    solves: int

    @property
    def safe(self) -> bool:
        """Whether the attacker narrowed no target below :func:`safe_range`."""
        return not self.findings


@dataclass
class LinearSystem:
    """What a reader knows of a view: integer unknowns ≥ 0, linear facts, hidden targets.

    Every unknown carries its true value; :meth:`fact` refuses a fact the true values break
    (the view would then contradict its own data), so the truth is always a solution.

    Examples
    --------
    >>> s = LinearSystem()
    >>> a, b = s.var("a", 5), s.var("b", 1)
    >>> s.show({a: 1}, "5", name="t:a")
    >>> s.show({b: 1}, "<3", name="t:b")
    >>> s.show({a: 1, b: 1}, "6", name="t:total")
    >>> [f.name for f in attack(s).findings]  # 6 − 5 = 1
    ['t:b']
    """

    names: list[str] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    facts: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    #: Disclosures that are not a count's range (a narrative line naming a hidden row).
    flags: list[str] = field(default_factory=list)
    min_count: int = MIN_COUNT
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def var(self, name: str, truth: int, *, upper: float = math.inf) -> int:
        """Return the index of the unknown ``name`` (added with its true value if new)."""
        if name in self._index:
            return self._index[name]
        value = int(truth)
        if value < 0 or value > upper:
            raise ParameterError(f"unknown {name!r}: true value {value} outside [0, {upper}]")
        self._index[name] = len(self.names)
        self.names.append(name)
        self.truth.append(value)
        self.upper.append(float(upper))
        return self._index[name]

    def find(self, name: str) -> int | None:
        """Return the index of the unknown ``name``, ``None`` if there is none."""
        return self._index.get(name)

    def value(self, coeffs: Mapping[int, float]) -> float:
        """Return the true value of the combination ``coeffs``."""
        return float(sum(c * self.truth[i] for i, c in coeffs.items()))

    def fact(
        self, coeffs: Mapping[int, float], *, low: float = -math.inf, high: float = math.inf
    ) -> None:
        """Add the fact ``low ≤ coeffs·x ≤ high`` a reader can state.

        Raises
        ------
        ParameterError
            If the true values break it.
        """
        terms = {int(i): float(c) for i, c in coeffs.items() if c != 0}
        value = self.value(terms)
        if not (low - _TOL <= value <= high + _TOL):
            names = {self.names[i]: c for i, c in terms.items()}
            raise ParameterError(
                f"fact {low} ≤ {names} ≤ {high} is false for the true counts ({value}); "
                "the view contradicts its data"
            )
        if terms:
            self.facts.append((terms, low, high))

    def equal(self, coeffs: Mapping[int, float], value: float) -> None:
        """Add the fact ``coeffs·x = value``."""
        self.fact(coeffs, low=value, high=value)

    def show(self, coeffs: Mapping[int, float], text: str, *, name: str) -> None:
        """Add what the displayed ``text`` of a count says: exact, ``"<k"`` or withheld.

        An exact number is a fact; ``"<k"`` is the fact ``1 ≤ x ≤ k − 1`` and a ``"small"``
        target; anything else (``"–"``, empty) is a ``"hidden"`` target.
        """
        text = text.strip()
        if _EXACT.match(text):
            self.equal(coeffs, float(text))
        elif text == f"<{self.min_count}":
            self.fact(coeffs, low=1, high=self.min_count - 1)
            self.protect(coeffs, name=name, shown="small")
        else:
            self.protect(coeffs, name=name, shown="hidden")

    def flag(self, name: str) -> None:
        """Record a disclosure that is not a count's range; :func:`attack` reports it."""
        self.flags.append(name)

    def protect(self, coeffs: Mapping[int, float], *, name: str, shown: Shown = "hidden") -> None:
        """Add a target: a count the view hides (withheld, or merged into a pooled row)."""
        terms = {int(i): float(c) for i, c in coeffs.items() if c != 0}
        self.targets.append(Target(name, terms, shown, round(self.value(terms))))


def attack(system: LinearSystem, *, time_limit_s: float = SOLVE_TIME_LIMIT_S) -> Audit:
    """Return the targets of ``system`` whose integer range breaks :func:`safe_range`.

    For each target ``a·x`` the attacker solves ``min`` and ``max`` over the non-negative
    integers that satisfy every fact (only the programs the verdict needs: the true value is a
    solution, so a bound it already meets is not solved for). Targets are solved in the block
    of unknowns linked to theirs by facts.

    Parameters
    ----------
    system
        The view's unknowns, facts and targets.
    time_limit_s
        Limit per integer program; an unfinished program proves only what its best solution
        shows.

    Returns
    -------
    Audit
        The findings (empty when the view is safe) and the problem's size.
    """
    blocks = _Blocks(system)
    findings = [Finding(name, "hidden", 0, math.nan, math.nan) for name in system.flags]
    solves = 0
    for target in system.targets:
        if not target.coeffs:
            continue
        low, high, n = _range(system, blocks, target, time_limit_s=time_limit_s)
        solves += n
        if not safe_range(low, high, shown=target.shown, min_count=system.min_count):
            findings.append(Finding(target.name, target.shown, target.truth, low, high))
    return Audit(tuple(findings), len(system.targets), len(system.names), len(system.facts), solves)


# ------------------------------------------------------------------------------ the solver


class _Blocks:
    """Connected blocks of unknowns (linked by a shared fact) and their programs."""

    def __init__(self, system: LinearSystem) -> None:
        self.system = system
        parent = list(range(len(system.names)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for terms, _lo, _hi in system.facts:
            first, *rest = terms
            for j in rest:
                ri, rj = find(first), find(j)
                if ri != rj:
                    parent[rj] = ri
        self._root = [find(i) for i in range(len(parent))]
        self._programs: dict[frozenset[int], _Program] = {}

    def program(self, variables: Mapping[int, float]) -> _Program:
        roots = frozenset(self._root[i] for i in variables)
        if roots not in self._programs:
            members = [i for i, r in enumerate(self._root) if r in roots]
            self._programs[roots] = _Program(self.system, members)
        return self._programs[roots]


class _Program:
    """The facts of one block as a sparse integer program."""

    def __init__(self, system: LinearSystem, members: list[int]) -> None:
        self.position = {v: k for k, v in enumerate(members)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lows: list[float] = []
        highs: list[float] = []
        for terms, lo, hi in system.facts:
            if next(iter(terms)) not in self.position:
                continue
            r = len(lows)
            for i, c in terms.items():
                rows.append(r)
                cols.append(self.position[i])
                vals.append(c)
            lows.append(lo)
            highs.append(hi)
        n = len(members)
        self.n = n
        self.bounds = Bounds(np.zeros(n), np.array([system.upper[i] for i in members]))
        self.constraints = (
            [LinearConstraint(csr_array((vals, (rows, cols)), shape=(len(lows), n)), lows, highs)]
            if lows
            else []
        )

    def optimum(self, coeffs: Mapping[int, float], *, sense: int, time_limit_s: float) -> float:
        """Return ``min`` (sense 1) or ``max`` (sense −1) of ``coeffs·x`` (±inf if unbounded).

        An unfinished program returns the best bound its solutions prove (the true optimum is
        at least as far out), or the objective at the true values when it found none.
        """
        c = np.zeros(self.n)
        for i, v in coeffs.items():
            c[self.position[i]] = sense * v
        res = milp(
            c,
            integrality=np.ones(self.n),
            bounds=self.bounds,
            constraints=self.constraints,
            options={"time_limit": time_limit_s, "presolve": True},
        )
        if res.status == 3:  # unbounded
            return -sense * math.inf
        if res.x is None:
            return math.nan
        return float(sense * res.fun)


def _range(
    system: LinearSystem, blocks: _Blocks, target: Target, *, time_limit_s: float
) -> tuple[float, float, int]:
    """Return the target's ``(low, high)`` as far as the verdict needs, and the solves made."""
    k, v = system.min_count, float(target.truth)
    program = blocks.program(target.coeffs)
    solves = 0

    def solve(sense: int) -> float:
        nonlocal solves
        solves += 1
        value = program.optimum(target.coeffs, sense=sense, time_limit_s=time_limit_s)
        return v if math.isnan(value) else value

    if target.shown == "small":
        low = v if v <= 1 else solve(1)
        high = v if v >= k - 1 else solve(-1)
        return low, high, solves
    width = max(1, k - 2)
    high = solve(-1)
    if high - v >= width:
        return v, high, solves
    return solve(1), high, solves
