"""The exact planner for small plans: a label-setting dynamic programme over subsets of stops.

Every team's route is one segment of a "giant tour": the programme visits the stops one at a time
and may close the current team's route and continue with a later team (the teams in between stay
at base). A label is a partial plan ``(S, last, k, time, travel, count)``: the set ``S`` of stops
visited, the last one, the team ``k`` walking now, the time it leaves the last stop, the travel
so far and (with a per-team stop cap) the current team's number of stops. A stop ``j`` can follow
if the team arrives in time for its window (waiting when early is allowed) and can still reach its
end point within its shift after the dwell. Labels are grouped by layer (``|S|``) and, within a
group of equal ``(S, last, k, count)``, only those not dominated in ``(time, travel)`` survive —
leaving earlier with less travel is never worse, because travel times are fixed and the windows
only bound when a stop *starts*.

The objective is lexicographic, as in the local search: first the collected priority in whole
units (:func:`~apk_geo.routes.model._priority_units`), then the least travel time; must-visit
stops have to be in ``S``. A label is dropped when even a fractional knapsack of the stops not in
``S`` (weights: dwell plus the cheapest way in, capacity: the time the current and the later teams
still have) cannot lift it above the best plan known — seeded with the plan that gives each team
in turn its own optimum on the stops left. So the result is optimal, not just good: every label
that could lead to a better plan is kept.

The work grows as ``2**n`` with ``n`` stops; :func:`solve_exact` stops with ``None`` once it has
made ``max_labels`` labels (a count, never a clock), and the planner then falls back to the local
search. Revisits (second visits that must start a while after the first) need the first visit's
start in the label, so this programme plans first visits only.

References
----------
Vansteenwegen, P., Souffriau, W., & Van Oudheusden, D. (2011). The orienteering problem: a survey.
*European Journal of Operational Research* 209(1), 1–10.

Righini, G., & Salani, M. (2009). Decremental state space relaxation strategies and initialization
heuristics for solving the orienteering problem with time windows with dynamic programming.
*Computers & Operations Research* 36(4), 1191–1203.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from apk_geo.routes.model import _Problem, _Solution

__all__: list[str] = []

#: Offset that keeps the groups apart in the segmented running minimum of the Pareto filter.
_GROUP_OFFSET: Final = 1 << 40
#: The smallest 64-bit value, "no plan".
_NONE: Final = np.iinfo(np.int64).min


@dataclass(frozen=True)
class _Tables:
    """The plan as arrays: stops ``j`` (0..m-1) and teams ``k`` (0..K-1), all in seconds."""

    lo: np.ndarray  # earliest start of each stop
    hi: np.ndarray  # latest start of each stop
    dwell: np.ndarray
    value: np.ndarray  # priority units
    must_mask: int
    a: np.ndarray  # shift start of each team
    b: np.ndarray  # shift end of each team
    ts: np.ndarray  # (K, m) travel from the team's start
    te: np.ndarray  # (K, m) travel to the team's end
    t: np.ndarray  # (K, m, m) travel between stops
    tse: np.ndarray  # (K,) travel start -> end of a team that stays at base
    max_stops: np.ndarray | None  # (K,) stop cap per team, or None

    @property
    def m(self) -> int:
        return len(self.lo)

    @property
    def n_teams(self) -> int:
        return len(self.a)


@dataclass(frozen=True)
class _Layer:
    """The labels of one layer (``|S|`` stops), as parallel arrays."""

    s: np.ndarray
    last: np.ndarray
    k: np.ndarray
    time: np.ndarray
    travel: np.ndarray
    cnt: np.ndarray
    parent: np.ndarray

    def __len__(self) -> int:
        return len(self.s)

    def take(self, idx: np.ndarray) -> _Layer:
        return _Layer(*(getattr(self, f)[idx] for f in _FIELDS))


_FIELDS: Final = ("s", "last", "k", "time", "travel", "cnt", "parent")


@dataclass(frozen=True)
class _Derived:
    """Quantities of the tables that every layer needs."""

    weight: int  # one priority unit is worth more than any total travel
    value_of: np.ndarray  # priority units of every subset mask
    tse_after: np.ndarray  # travel of the teams after k that stay at base
    tse_before: np.ndarray
    tse_between: np.ndarray  # (K, K): teams strictly between k and k2
    rest_after: np.ndarray  # shift seconds of the teams after k
    knap_w: np.ndarray  # dwell + cheapest way in, per stop
    knap_order: np.ndarray  # stops by value per second, best first
    track_count: bool


def solve_exact(problem: _Problem, *, max_labels: int) -> _Solution | None:
    """Return the optimal plan of the first visits of ``problem``, or ``None`` over the budget.

    Parameters
    ----------
    problem
        The plan; only its first visits (``visits[:n_first]``) are planned.
    max_labels
        Work budget: the number of labels after which the programme gives up (deterministic).

    Returns
    -------
    _Solution or None
        Visit indices per team in route order (``optimal`` true; no routes at all when the
        must-visit stops cannot all be fitted), or ``None`` when the budget ran out.
    """
    tables = _tables(problem)
    derived = _derive(tables)
    incumbent = _sequential_incumbent(tables, max_labels=max_labels) if tables.n_teams > 1 else None
    result = _label_dp(tables, derived, max_labels=max_labels, incumbent=incumbent)
    if result is None:
        return None
    orders, n_labels = result
    return _Solution(
        orders=orders,
        solver="exact",
        status="optimal" if any(orders) or tables.must_mask == 0 else "infeasible",
        optimal=True,
        safety_limit_fired=False,
        stats={"labels": n_labels},
    )


def _tables(problem: _Problem) -> _Tables:
    """Return the arrays of the first visits of ``problem`` (stop ``j`` is visit ``j``)."""
    visits = problem.visits[: problem.n_first]
    n_teams, m = len(problem.teams), len(visits)
    loc = np.array([problem.loc(v) for v in visits], dtype=np.int64)
    caps = [u.max_stops for u in problem.teams]

    def per_team(rows: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
        return np.array(rows, dtype=np.int64).reshape(shape)

    travel = problem.travel
    return _Tables(
        lo=np.array([math.ceil(v.window[0]) for v in visits], dtype=np.int64),
        hi=np.array([math.floor(v.window[1]) for v in visits], dtype=np.int64),
        dwell=np.array([v.dwell_s for v in visits], dtype=np.int64),
        value=problem.priority_units()[:m].astype(np.int64),
        must_mask=sum(1 << j for j, v in enumerate(visits) if v.must),
        a=np.array([u.shift_start_s for u in problem.teams], dtype=np.int64),
        b=np.array([u.shift_end_s for u in problem.teams], dtype=np.int64),
        ts=per_team([travel[k][2 * k, loc] for k in range(n_teams)], (n_teams, m)),
        te=per_team([travel[k][loc, 2 * k + 1] for k in range(n_teams)], (n_teams, m)),
        t=per_team([travel[k][np.ix_(loc, loc)] for k in range(n_teams)], (n_teams, m, m)),
        tse=per_team([travel[k][2 * k, 2 * k + 1] for k in range(n_teams)], (n_teams,)),
        max_stops=(
            None
            if all(c is None for c in caps)
            else np.array([m if c is None else int(c) for c in caps], dtype=np.int64)
        ),
    )


def _derive(tab: _Tables) -> _Derived:
    """Return the subset values, the stay-at-base travel sums and the knapsack data."""
    m, n_teams = tab.m, tab.n_teams
    masks = np.arange(1 << m, dtype=np.int64)
    value_of = np.zeros(1 << m, dtype=np.int64)
    for j in range(m):
        value_of += ((masks >> j) & 1) * int(tab.value[j])
    tse_cum = np.concatenate([[0], np.cumsum(tab.tse)])
    between = np.zeros((n_teams, n_teams), dtype=np.int64)
    for k in range(n_teams):
        for k2 in range(k + 1, n_teams):
            between[k, k2] = tse_cum[k2] - tse_cum[k + 1]
    span = tab.b - tab.a
    rest = np.array([int(span[k + 1 :].sum()) for k in range(n_teams)], dtype=np.int64)
    cheapest_in = tab.ts.min(axis=0) if m else np.zeros(0, dtype=np.int64)
    if m > 1:
        between_stops = tab.t.min(axis=0) + np.diag(np.full(m, np.iinfo(np.int64).max // 4))
        cheapest_in = np.minimum(cheapest_in, between_stops.min(axis=0))
    knap_w = np.maximum(tab.dwell + cheapest_in, 1)
    return _Derived(
        weight=int(span.sum()) + int(tab.tse.sum()) + 1,
        value_of=value_of,
        tse_after=np.array([tse_cum[-1] - tse_cum[k + 1] for k in range(n_teams)], dtype=np.int64),
        tse_before=tse_cum[:-1].astype(np.int64),
        tse_between=between,
        rest_after=rest,
        knap_w=knap_w,
        knap_order=np.argsort(-(tab.value / knap_w), kind="stable"),
        track_count=tab.max_stops is not None and n_teams > 1,
    )


# --------------------------------------------------------------------------------------------
# The programme
# --------------------------------------------------------------------------------------------
def _label_dp(
    tab: _Tables, der: _Derived, *, max_labels: int, incumbent: int | None
) -> tuple[tuple[tuple[int, ...], ...], int] | None:
    """Run the programme; return the best routes and the number of labels (``None``: budget)."""
    best = -int(tab.tse.sum()) if tab.must_mask == 0 else _NONE
    bound = best if incumbent is None else max(best, incumbent)
    best_at: tuple[int, int] | None = None
    history: list[_Layer] = []
    layer = _first_layer(tab, der)
    made = 0
    while len(layer):
        made += len(layer)
        if made > max_labels:
            return None
        history.append(layer)
        value, at = _best_completion(layer, tab, der)
        if value > best:
            best, best_at = value, (len(history) - 1, at)
            bound = max(bound, best)
        alive = _bounded(layer, tab, der, bound=bound)
        layer = _pareto(_extend(layer, tab, der, alive=alive), tab, der)
    return _routes(history, best_at, n_teams=tab.n_teams), made


def _first_layer(tab: _Tables, der: _Derived) -> _Layer:
    """Return the labels of one stop: any team starts with any stop it can reach in time."""
    k = np.repeat(np.arange(tab.n_teams, dtype=np.int64), tab.m)
    j = np.tile(np.arange(tab.m, dtype=np.int64), tab.n_teams)
    arrive = tab.a[k] + tab.ts[k, j]
    begin = np.maximum(arrive, tab.lo[j])
    ok = (begin <= tab.hi[j]) & (begin + tab.dwell[j] + tab.te[k, j] <= tab.b[k])
    if tab.max_stops is not None:
        ok &= tab.max_stops[k] >= 1
    k, j, begin = k[ok], j[ok], begin[ok]
    layer = _Layer(
        s=(np.int64(1) << j).astype(np.int64),
        last=j,
        k=k,
        time=begin + tab.dwell[j],
        travel=der.tse_before[k] + tab.ts[k, j],
        cnt=np.ones(len(j), dtype=np.int64) if der.track_count else np.zeros(len(j), np.int64),
        parent=np.full(len(j), -1, dtype=np.int64),
    )
    return _pareto(layer, tab, der)


def _best_completion(layer: _Layer, tab: _Tables, der: _Derived) -> tuple[int, int]:
    """Return the best objective of ending the plan at a label of ``layer``, and that label."""
    total = layer.travel + tab.te[layer.k, layer.last] + der.tse_after[layer.k]
    value = der.value_of[layer.s] * der.weight - total
    value = np.where((layer.s & tab.must_mask) == tab.must_mask, value, _NONE)
    at = int(np.argmax(value))
    return int(value[at]), at


def _bounded(layer: _Layer, tab: _Tables, der: _Derived, *, bound: int) -> np.ndarray:
    """Return which labels may still beat ``bound`` (fractional knapsack of the stops left)."""
    left = ((tab.b[layer.k] - layer.time) + der.rest_after[layer.k]).astype(np.float64)
    upper = der.value_of[layer.s].astype(np.float64)
    for j in der.knap_order:
        free = (((layer.s >> j) & 1) == 0) & (left > 0)
        take = np.where(free, np.minimum(1.0, left / der.knap_w[j]), 0.0)
        upper += take * float(tab.value[j])
        left -= take * float(der.knap_w[j])
    # floor: the priority collected is a whole number of units
    alive: np.ndarray = np.floor(upper + 1e-9) * der.weight - layer.travel >= bound
    return alive


def _extend(layer: _Layer, tab: _Tables, der: _Derived, *, alive: np.ndarray) -> _Layer:
    """Return every label one stop longer: the same team goes on, or a later team takes over."""
    parts: list[_Layer] = []
    idx_all = np.arange(len(layer), dtype=np.int64)
    for j in range(tab.m):
        free = alive & (((layer.s >> j) & 1) == 0)
        for k2 in range(tab.n_teams):
            sel = idx_all[free & (layer.k <= k2)]
            if len(sel):
                part = _step(layer, sel, j=j, k2=k2, tab=tab, der=der)
                if part is not None:
                    parts.append(part)
    if not parts:
        return _empty_layer()
    return _Layer(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))


def _step(
    layer: _Layer, sel: np.ndarray, *, j: int, k2: int, tab: _Tables, der: _Derived
) -> _Layer | None:
    """Return the labels ``sel`` extended by stop ``j`` walked by team ``k2`` (None: none fit)."""
    k, last = layer.k[sel], layer.last[sel]
    same = k == k2
    leg_same = tab.t[k2, last, j]
    handover = tab.te[k, last] + der.tse_between[k, k2] + tab.ts[k2, j]
    arrive = np.where(same, layer.time[sel] + leg_same, tab.a[k2] + tab.ts[k2, j])
    begin = np.maximum(arrive, tab.lo[j])
    ok = (begin <= tab.hi[j]) & (begin + tab.dwell[j] + tab.te[k2, j] <= tab.b[k2])
    cnt = np.where(same, layer.cnt[sel] + 1, 1)
    if tab.max_stops is not None:
        stops_now = cnt if der.track_count else _popcount(layer.s[sel]) + 1
        ok &= stops_now <= tab.max_stops[k2]
    if not ok.any():
        return None
    rows = sel[ok]
    return _Layer(
        s=layer.s[rows] | (np.int64(1) << j),
        last=np.full(len(rows), j, dtype=np.int64),
        k=np.full(len(rows), k2, dtype=np.int64),
        time=begin[ok] + tab.dwell[j],
        travel=layer.travel[rows] + np.where(same, leg_same, handover)[ok],
        cnt=cnt[ok] if der.track_count else np.zeros(len(rows), dtype=np.int64),
        parent=rows,
    )


def _pareto(layer: _Layer, tab: _Tables, der: _Derived) -> _Layer:
    """Keep, per ``(S, last, k, count)``, the labels not dominated in ``(time, travel)``."""
    if len(layer) == 0:
        return layer
    n_cnt = int(tab.max_stops.max()) + 1 if der.track_count and tab.max_stops is not None else 1
    key = ((layer.s * tab.m + layer.last) * tab.n_teams + layer.k) * n_cnt + layer.cnt
    order = np.lexsort((layer.travel, layer.time, key))
    key_sorted = key[order]
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = key_sorted[1:] != key_sorted[:-1]
    group = np.cumsum(new_group) - 1
    # each group sits below the one before, so a running minimum restarts at every group
    shifted = layer.travel[order] - group * _GROUP_OFFSET
    running = np.minimum.accumulate(shifted)
    keep = new_group.copy()
    keep[1:] |= shifted[1:] < running[:-1]
    return layer.take(order[keep])


def _routes(
    history: list[_Layer], best_at: tuple[int, int] | None, *, n_teams: int
) -> tuple[tuple[int, ...], ...]:
    """Walk back from the best label to the routes of the teams."""
    routes: list[list[int]] = [[] for _ in range(n_teams)]
    if best_at is None:
        return tuple(tuple(r) for r in routes)
    depth, i = best_at
    while depth >= 0:
        layer = history[depth]
        routes[int(layer.k[i])].append(int(layer.last[i]))
        i = int(layer.parent[i])
        depth -= 1
    return tuple(tuple(reversed(r)) for r in routes)


def _sequential_incumbent(tab: _Tables, *, max_labels: int) -> int | None:
    """Return the objective of giving each team in turn its own optimum on the stops left.

    A feasible plan (must-visits aside), so a valid bound to prune against; ``None`` when a
    must-visit stop is involved or the budget runs out.
    """
    if tab.must_mask:
        return None
    used = np.zeros(tab.m, dtype=bool)
    collected = travel = 0
    for k in range(tab.n_teams):
        one = replace(
            tab,
            value=np.where(used, 0, tab.value),
            a=tab.a[k : k + 1],
            b=tab.b[k : k + 1],
            ts=tab.ts[k : k + 1],
            te=tab.te[k : k + 1],
            t=tab.t[k : k + 1],
            tse=tab.tse[k : k + 1],
            max_stops=None if tab.max_stops is None else tab.max_stops[k : k + 1],
        )
        result = _label_dp(one, _derive(one), max_labels=max_labels, incumbent=None)
        if result is None:
            return None
        route = result[0][0]
        used[list(route)] = True
        collected += int(tab.value[list(route)].sum())
        travel += _route_travel(one, route)
    return collected * _derive(tab).weight - travel


def _route_travel(one: _Tables, route: tuple[int, ...]) -> int:
    """Return a one-team route's travel (start, stops, end)."""
    if not route:
        return int(one.tse[0])
    legs = [int(one.ts[0, route[0]]), int(one.te[0, route[-1]])]
    legs += [int(one.t[0, a, b]) for a, b in itertools.pairwise(route)]
    return sum(legs)


def _popcount(values: np.ndarray) -> np.ndarray:
    """Return the number of set bits of each value."""
    out = np.zeros(len(values), dtype=np.int64)
    v = values.copy()
    while v.any():
        out += v & 1
        v >>= 1
    return out


def _empty_layer() -> _Layer:
    empty = np.zeros(0, dtype=np.int64)
    return _Layer(empty, empty, empty, empty, empty, empty, empty)
