"""The route planner: :func:`plan_route` and the OR-Tools prize-collecting routing model.

:func:`plan_route` runs its steps in order — check the candidates and options, choose the metric
CRS, read the candidates' visits and time windows (:mod:`~apk_geo.routes.places`), measure the legs
(:mod:`~apk_geo.routes.network`), solve, and build the route from the solved order
(:mod:`~apk_geo.routes.assemble`).

Every candidate is an optional visit (a disjunction whose penalty is its priority), the dwell time
is the service time of a time dimension whose horizon is the shift, and a count dimension caps the
number of stops. A candidate may be visited a second time through a duplicate node that may start
no sooner than ``revisit_interval_minutes`` after the first visit started (and only together with
it); the second visit is worth ``revisit_value`` × its priority. With revisits the model without
them is solved first and its route starts the search of the larger model, so revisits never
collect less.

The objective is lexicographic: first the collected priority (resolved to one millionth of the
largest priority), then the shortest travel time. Travel times are rounded up to whole seconds,
so the reported schedule never exceeds the shift, the walk to the end point included.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649–672.

Perron, L., & Furnon, V. OR-Tools routing library (``ortools.constraint_solver.pywrapcp``),
https://developers.google.com/optimization/routing.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from apk_geo import _validate
from apk_geo.coords import metric_crs
from apk_geo.errors import ParameterError, RouteInfeasibleError
from apk_geo.routes.assemble import _assemble
from apk_geo.routes.model import (
    DEFAULT_COVERAGE_RADIUS_M,
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_DWELL_MINUTES,
    DEFAULT_SPEED_KMH,
    Mode,
    Route,
    _Options,
    _Visit,
)
from apk_geo.routes.network import StreetNetwork, _Legs, load_network
from apk_geo.routes.places import (
    _as_shift_start,
    _check_candidates,
    _latlon_to_xy,
    _plan_candidates,
    _PlanCandidates,
)

__all__ = ["plan_route"]

logger = logging.getLogger(__name__)

#: Relative resolution of priorities in the objective (one millionth of the largest).
_PRIORITY_RESOLUTION: Final = 1_000_000
#: OR-Tools routing status codes (``RoutingModel.status()``) in words.
_STATUS: Final[Mapping[int, str]] = {
    0: "not solved",
    1: "success",
    2: "stopped before a local optimum",
    3: "no solution",
    4: "no solution within the time limit",
    5: "invalid model",
    6: "infeasible",
    7: "optimal",
}


# --------------------------------------------------------------------------------------------
# The public entry point
# --------------------------------------------------------------------------------------------
def plan_route(
    candidates: gpd.GeoDataFrame,
    *,
    start: tuple[float, float],
    end: tuple[float, float] | None = None,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    dwell_minutes: float = DEFAULT_DWELL_MINUTES,
    mode: Mode = "foot",
    speed_kmh: float | None = None,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    max_stops: int | None = None,
    revisit_interval_minutes: float | None = None,
    revisit_value: float = 0.5,
    network: StreetNetwork | str | Path | None = None,
    demand: gpd.GeoDataFrame | None = None,
    demand_col: str = "expected_shift",
    coverage_radius_m: float = DEFAULT_COVERAGE_RADIUS_M,
    revisit_top_n: int = 10,
    time_limit_s: float = 2.0,
    solution_limit: int = 200,
) -> Route:
    """Plan a patrol route through the candidates that collects the most priority in a shift.

    Parameters
    ----------
    candidates
        Points with a numeric ``priority`` (>= 0) and optional ``id``, ``name``, ``must_visit``,
        ``window_start``/``window_end`` (``"HH:MM"`` or ISO; the stop must *start* inside the
        window). Any CRS; planning happens in a metric CRS (the layer's own if projected,
        EPSG:5514 in Czechia, else local UTM).
    start, end
        ``(lat, lon)`` in WGS84 of the start and end point (e.g. the APK base); ``end`` defaults
        to ``start``.
    shift_start
        Start of the shift; naive values are Europe/Prague local time (a time in the spring
        daylight-saving gap moves forward by the gap, 02:30 → 03:30).
    shift_minutes
        Length of the shift; the route, walk back included, never exceeds it.
    dwell_minutes
        Time spent at each stop (Koper 1995: 10–16 min).
    mode
        ``"foot"`` or ``"car"``; chooses the default speed and whether one-way streets count.
    speed_kmh
        Travel speed; default :data:`DEFAULT_SPEED_KMH` for ``mode`` (logged).
    detour_factor
        Street distance / straight distance, used when no ``network`` is given.
    max_stops
        At most this many visits (revisits count); ``None`` for no cap.
    revisit_interval_minutes
        When given, each candidate may be visited a second time, starting at least this long
        after the first visit started; ``None`` forbids revisits.
    revisit_value
        Share of a candidate's priority that its second visit collects.
    network
        A :class:`StreetNetwork` or the path of a GraphML / GeoPackage edge file; distances are
        then shortest paths on it (``detour_factor`` is not applied).
    demand
        Layer of the shift's expected incidents (points or cells) with column ``demand_col``,
        used for ``coverage_share``; default: the candidates weighted by ``priority``.
    demand_col
        Column of ``demand`` with the expected incidents.
    coverage_radius_m
        Radius around a stop within which expected incidents count as covered.
    revisit_top_n
        Only the ``revisit_top_n`` candidates of highest priority (must-visits excepted) get a
        second-visit node; this keeps the model small enough to solve within seconds.
    time_limit_s
        Wall-clock budget of the local search. With revisits it is shared: the search without
        second visits runs first (half the budget), then the search with them starts from its
        route, so allowing revisits never collects less than forbidding them.
    solution_limit
        Number of local-search solutions after which the search stops. The search is
        deterministic when this limit, not ``time_limit_s``, ends it; the default ends a
        50-candidate, 8-hour plan in about one second. ``params["solver_status"]`` tells
        which limit ended the search.

    Returns
    -------
    Route
        The ordered stops with times, the path, totals and parameters.

    Raises
    ------
    SchemaError, CRSError
        If the candidates are malformed.
    ParameterError
        If an option is out of range (a subclass of ``ValueError``).
    RouteInfeasibleError
        If the shift is too short to go from start to end, or a must-visit place cannot be fitted.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> cand = gpd.GeoDataFrame({"id": ["a"], "priority": [1.0]},
    ...                         geometry=[Point(18.2920, 49.8353)], crs="EPSG:4326")
    >>> r = plan_route(cand, start=(49.8350, 18.2900), shift_start="2026-11-24T08:00",
    ...                shift_minutes=60)
    >>> r.stops["id"].tolist()
    ['a']
    """
    _check_candidates(candidates)
    opts = _check_options(
        start=start, end=end, shift_start=shift_start, shift_minutes=shift_minutes,
        dwell_minutes=dwell_minutes, mode=mode, speed_kmh=speed_kmh, detour_factor=detour_factor,
        max_stops=max_stops, revisit_interval_minutes=revisit_interval_minutes,
        revisit_value=revisit_value, revisit_top_n=revisit_top_n,
        coverage_radius_m=coverage_radius_m, time_limit_s=time_limit_s,
        solution_limit=solution_limit,
    )  # fmt: skip
    net = load_network(network) if isinstance(network, str | Path) else network
    crs = _plan_crs(candidates, net)
    cands = _plan_candidates(candidates, crs=crs, shift_start=opts.t0, horizon_s=opts.horizon_s)
    legs, travel_loc = _leg_times(cands, crs=crs, net=net, opts=opts)
    visits = _candidate_visits(cands, opts)
    chosen, status = _solve_visits(
        visits, n_first=len(cands.frame), travel_loc=travel_loc, opts=opts
    )
    _require_must_visits(chosen, visits, cands=cands, opts=opts)
    return _assemble(
        _relabel(chosen),
        cands=cands,
        legs=legs,
        travel_loc=travel_loc,
        opts=opts,
        crs=crs,
        demand=demand,
        demand_col=demand_col,
        params=_params(opts, net=net, crs=crs, status=status),
    )


# --------------------------------------------------------------------------------------------
# Steps of plan_route
# --------------------------------------------------------------------------------------------
def _check_options(
    *,
    start: tuple[float, float],
    end: tuple[float, float] | None,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    dwell_minutes: float,
    mode: Mode,
    speed_kmh: float | None,
    detour_factor: float,
    max_stops: int | None,
    revisit_interval_minutes: float | None,
    revisit_value: float,
    revisit_top_n: int,
    coverage_radius_m: float,
    time_limit_s: float,
    solution_limit: int,
) -> _Options:
    """Check the options of :func:`plan_route` (in their documented order) and derive the rest."""
    _validate.require_positive(shift_minutes, name="shift_minutes")
    if not (dwell_minutes >= 0 and math.isfinite(dwell_minutes)):
        raise ParameterError(f"dwell_minutes must be a finite number >= 0, got {dwell_minutes!r}")
    speed = _speed(mode, speed_kmh)
    if not (detour_factor >= 1 and math.isfinite(detour_factor)):
        raise ParameterError(f"detour_factor must be a finite number >= 1, got {detour_factor!r}")
    if max_stops is not None and (int(max_stops) != max_stops or max_stops < 1):
        raise ParameterError(f"max_stops must be a whole number >= 1 or None, got {max_stops!r}")
    if revisit_interval_minutes is not None:
        _validate.require_positive(revisit_interval_minutes, name="revisit_interval_minutes")
    if not 0 <= revisit_value <= 1:
        raise ParameterError(f"revisit_value must lie in [0, 1], got {revisit_value!r}")
    _validate.require_positive(coverage_radius_m, name="coverage_radius_m")
    _validate.require_positive(time_limit_s, name="time_limit_s")
    return _Options(
        t0=_as_shift_start(shift_start),
        start=start,
        end=start if end is None else end,
        shift_minutes=shift_minutes,
        horizon_s=math.floor(shift_minutes * 60),
        dwell_minutes=dwell_minutes,
        dwell_s=round(dwell_minutes * 60),
        mode=mode,
        speed_kmh=speed,
        detour_factor=detour_factor,
        max_stops=max_stops,
        revisit_interval_minutes=revisit_interval_minutes,
        revisit_s=(
            None if revisit_interval_minutes is None else math.ceil(revisit_interval_minutes * 60)
        ),
        revisit_value=revisit_value,
        revisit_top_n=revisit_top_n,
        coverage_radius_m=coverage_radius_m,
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
    )


def _speed(mode: Mode, speed_kmh: float | None) -> float:
    """Return the travel speed: ``speed_kmh``, or the mode's default (logged)."""
    if mode not in DEFAULT_SPEED_KMH:
        raise ParameterError(f"mode must be one of {sorted(DEFAULT_SPEED_KMH)}, got {mode!r}")
    if speed_kmh is None:
        speed_kmh = DEFAULT_SPEED_KMH[mode]
        logger.info("speed not given; using %.1f km/h for mode %r", speed_kmh, mode)
    _validate.require_positive(speed_kmh, name="speed_kmh")
    return speed_kmh


def _plan_crs(candidates: gpd.GeoDataFrame, net: StreetNetwork | None) -> CRS:
    """Return the CRS to plan in: the network's, else the candidates' metric CRS."""
    if net is not None:
        return net.crs
    return metric_crs(candidates, keep_projected=True, name="candidates")


def _leg_times(
    cands: _PlanCandidates, *, crs: CRS, net: StreetNetwork | None, opts: _Options
) -> tuple[_Legs, np.ndarray]:
    """Return the legs between start (0), end (1) and candidates (2…) and their seconds.

    Raises
    ------
    RouteInfeasibleError
        If going straight from the start to the end takes longer than the shift.
    """
    sx, sy = _latlon_to_xy(opts.start, crs, name="start")
    ex, ey = _latlon_to_xy(opts.end, crs, name="end")
    geom = cands.frame.geometry
    xy = np.vstack([[sx, sy], [ex, ey], np.column_stack([geom.x.to_numpy(), geom.y.to_numpy()])])
    legs = _Legs(
        xy,
        detour_factor=opts.detour_factor,
        network=net,
        directed=net is not None and net.directed and opts.mode == "car",
    )
    speed_ms = opts.speed_kmh / 3.6
    travel_loc = np.ceil(legs.dist_m / speed_ms - 1e-9).astype(np.int64)
    if travel_loc[0, 1] > opts.horizon_s:
        raise RouteInfeasibleError(
            f"going from start to end takes {travel_loc[0, 1] / 60:.0f} min, longer than the "
            f"{opts.shift_minutes:g}-min shift; lengthen the shift or move the end point"
        )
    return legs, travel_loc


def _candidate_visits(cands: _PlanCandidates, opts: _Options) -> list[_Visit]:
    """Return a first visit per candidate, then second visits of the top ones (if allowed)."""
    priority, must, windows = cands.priority, cands.must, cands.windows
    visits = [
        _Visit(i, 1, float(priority[i]), bool(must[i]), windows[i], float(priority[i]))
        for i in range(len(cands.frame))
    ]
    if opts.revisit_s is None:
        return visits
    if opts.revisit_s + opts.dwell_s > opts.horizon_s:
        logger.info(
            "revisit interval %s min does not fit the shift; no revisits",
            opts.revisit_interval_minutes,
        )
        return visits
    top = [int(i) for i in np.argsort(-priority, kind="stable") if not must[i]]
    return visits + [
        _Visit(i, 2, float(priority[i]) * opts.revisit_value, False, windows[i], float(priority[i]))
        for i in top[: opts.revisit_top_n]
    ]


def _solve_visits(
    visits: Sequence[_Visit], *, n_first: int, travel_loc: np.ndarray, opts: _Options
) -> tuple[list[_Visit], str]:
    """Return the visits of the solved route in order and the solver's status."""
    order, status = _solve_with_revisits(
        visits,
        n_first=n_first,
        travel_loc=travel_loc,
        dwell_s=opts.dwell_s,
        horizon_s=opts.horizon_s,
        max_stops=opts.max_stops,
        revisit_s=opts.revisit_s,
        time_limit_s=opts.time_limit_s,
        solution_limit=opts.solution_limit,
    )
    return [visits[k] for k in order], status


def _require_must_visits(
    chosen: Sequence[_Visit], visits: Sequence[_Visit], *, cands: _PlanCandidates, opts: _Options
) -> None:
    """Raise :class:`RouteInfeasibleError` if the route leaves out a must-visit place."""
    missing = [v.cand for v in visits if v.must and v not in chosen]
    if not missing:
        return
    ids, names = cands.ids, cands.names
    raise RouteInfeasibleError(
        f"must-visit place(s) {[str(ids[i]) for i in missing]} "
        f"({', '.join(str(names[i]) for i in missing)}) cannot be fitted into the shift "
        f"({opts.shift_minutes:g} min, dwell {opts.dwell_minutes:g} min, {opts.speed_kmh:g} km/h) "
        f"with their time windows; lengthen the shift, widen the windows or drop must_visit"
    )


def _params(opts: _Options, *, net: StreetNetwork | None, crs: CRS, status: str) -> dict[str, Any]:
    """Return :attr:`Route.params`: every option used, the chosen ones included."""
    return {
        "method": "ortools-routing prize-collecting VRP with time dimension",
        "shift_start": opts.t0.isoformat(),
        "shift_minutes": float(opts.shift_minutes),
        "dwell_minutes": float(opts.dwell_minutes),
        "mode": opts.mode,
        "speed_kmh": float(opts.speed_kmh),
        "detour_factor": None if net is not None else float(opts.detour_factor),
        "network": net.source if net is not None else None,
        "max_stops": None if opts.max_stops is None else int(opts.max_stops),
        "revisit_interval_minutes": opts.revisit_interval_minutes,
        "revisit_value": opts.revisit_value,
        "coverage_radius_m": float(opts.coverage_radius_m),
        "time_limit_s": float(opts.time_limit_s),
        "solution_limit": int(opts.solution_limit),
        "solver_status": status,
        "crs": crs.to_string(),
        "start": [float(opts.start[0]), float(opts.start[1])],
        "end": [float(opts.end[0]), float(opts.end[1])],
    }


# --------------------------------------------------------------------------------------------
# The OR-Tools model
# --------------------------------------------------------------------------------------------
def _solve(
    visits: Sequence[_Visit],
    *,
    travel_loc: np.ndarray,
    dwell_s: int,
    horizon_s: int,
    max_stops: int | None,
    revisit_s: int | None,
    time_limit_s: float,
    solution_limit: int,
    initial: Sequence[int] | None = None,
) -> tuple[list[int], str]:
    """Solve the prize-collecting routing model; return visit indices in route order.

    ``initial`` (visit indices in route order) is a feasible route the local search starts
    from instead of a first-solution heuristic; the search only ever returns a solution at
    least as good as its start.
    """
    from ortools.constraint_solver import pywrapcp

    if len(visits) == 0:
        return [], "no candidates"
    manager = pywrapcp.RoutingIndexManager(len(visits) + 2, 1, [0], [1])
    routing = pywrapcp.RoutingModel(manager)
    time_dim = _add_dimensions(
        routing,
        visits,
        travel_loc=travel_loc,
        dwell_s=dwell_s,
        horizon_s=horizon_s,
        max_stops=max_stops,
    )
    _add_visits(routing, manager, time_dim, visits, horizon_s=horizon_s, revisit_s=revisit_s)
    params = _search_parameters(
        n_visits=len(visits), time_limit_s=time_limit_s, solution_limit=solution_limit
    )
    began = time.perf_counter()
    if initial is not None:
        route = [manager.NodeToIndex(int(k) + 2) for k in initial]
        start = routing.ReadAssignmentFromRoutes([route], True)
        solution = routing.SolveFromAssignmentWithParameters(start, params) if start else None
    else:
        solution = routing.SolveWithParameters(params)
    elapsed = time.perf_counter() - began
    status = _status(routing, stopped_by_time=elapsed >= 0.95 * time_limit_s)
    logger.info("OR-Tools: %s after %.2f s", status, elapsed)
    if solution is None:
        # every candidate is optional, so this means the must-visits cannot all be fitted
        return [], status
    return _route_order(routing, manager, solution), status


def _add_dimensions(
    routing: Any,
    visits: Sequence[_Visit],
    *,
    travel_loc: np.ndarray,
    dwell_s: int,
    horizon_s: int,
    max_stops: int | None,
) -> Any:
    """Add the travel cost, the time dimension (returned) and the stop count to the model.

    Solver node 0 is the start, node 1 the end and node ``k + 2`` visit ``k``.
    """
    n_visits = len(visits)
    loc = np.array([0, 1, *[v.cand + 2 for v in visits]])
    travel = travel_loc[np.ix_(loc, loc)]
    service = np.array([0, 0, *[dwell_s] * n_visits], dtype=np.int64)
    travel_cb = routing.RegisterTransitMatrix(travel.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(travel_cb)
    time_cb = routing.RegisterTransitMatrix((travel + service[:, None]).tolist())
    routing.AddDimension(time_cb, horizon_s, horizon_s, True, "time")
    if max_stops is not None:
        count_cb = routing.RegisterUnaryTransitVector([0, 0, *[1] * n_visits])
        routing.AddDimension(count_cb, 0, int(max_stops), True, "stops")
    return routing.GetDimensionOrDie("time")


def _penalties(visits: Sequence[_Visit], *, horizon_s: int) -> tuple[list[int], int]:
    """Return each visit's penalty for being left out, and the penalty of a must-visit.

    One unit of priority (one millionth of the largest) outweighs any total travel time, and
    leaving out a must-visit outweighs every other penalty together.
    """
    top = max((v.priority for v in visits), default=0.0)
    weight = horizon_s + 1
    penalties = [
        round(v.priority / top * _PRIORITY_RESOLUTION) * weight if top > 0 else 0 for v in visits
    ]
    return penalties, (sum(penalties) + weight) * 2


def _add_visits(
    routing: Any,
    manager: Any,
    time_dim: Any,
    visits: Sequence[_Visit],
    *,
    horizon_s: int,
    revisit_s: int | None,
) -> None:
    """Make every visit an optional node with its time window, penalty and revisit rule."""
    penalties, must_penalty = _penalties(visits, horizon_s=horizon_s)
    first_of = {v.cand: k for k, v in enumerate(visits) if v.visit == 1}
    for k, v in enumerate(visits):
        index = manager.NodeToIndex(k + 2)
        lo, hi = math.ceil(v.window[0]), math.floor(v.window[1])
        if lo > hi:  # an empty window (plan_route refuses must-visits with one)
            routing.AddDisjunction([index], 0)
            routing.ActiveVar(index).SetValue(0)
            continue
        time_dim.CumulVar(index).SetRange(lo, hi)
        routing.AddDisjunction([index], must_penalty if v.must else penalties[k])
        if v.visit == 2 and revisit_s is not None:
            # a second visit only together with the first, and starting >= revisit_s after it
            first = manager.NodeToIndex(first_of[v.cand] + 2)
            routing.solver().Add(routing.ActiveVar(index) <= routing.ActiveVar(first))
            time_dim.AddNodePrecedence(first, index, revisit_s)


def _search_parameters(*, n_visits: int, time_limit_s: float, solution_limit: int) -> Any:
    """Return the search parameters: cheapest arc, then guided local search within the limits."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    meta = routing_enums_pb2.LocalSearchMetaheuristic
    # with a single visit guided local search finds no further solution and would idle until
    # the time limit; plain descent is exact there
    params.local_search_metaheuristic = (
        meta.GUIDED_LOCAL_SEARCH if n_visits > 1 else meta.GREEDY_DESCENT
    )
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    params.solution_limit = int(solution_limit)
    return params


def _status(routing: Any, *, stopped_by_time: bool) -> str:
    """Return the solver status in words and which limit ended the search."""
    stopped_by = "time limit" if stopped_by_time else "solution limit"
    return f"{_STATUS.get(int(routing.status()), str(routing.status()))}; {stopped_by}"


def _route_order(routing: Any, manager: Any, solution: Any) -> list[int]:
    """Return the visit indices of a solution in route order."""
    order = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node >= 2:
            order.append(node - 2)
        index = solution.Value(routing.NextVar(index))
    return order


def _solve_with_revisits(
    visits: Sequence[_Visit],
    *,
    n_first: int,
    travel_loc: np.ndarray,
    dwell_s: int,
    horizon_s: int,
    max_stops: int | None,
    revisit_s: int | None,
    time_limit_s: float,
    solution_limit: int,
) -> tuple[list[int], str]:
    """Solve; with second-visit nodes, first without them, then improve on that route.

    The model with revisits contains the model without them (every second visit is optional),
    but a local search over the larger model can settle in a worse local optimum than the same
    search over the smaller one. So the search without revisits runs first (on half of the time
    budget) and the search with revisits starts from its route: allowing revisits then never
    collects less priority than forbidding them with the same search parameters.
    """

    def run(
        subset: Sequence[_Visit], limit_s: float, initial: Sequence[int] | None = None
    ) -> tuple[list[int], str]:
        return _solve(
            subset,
            travel_loc=travel_loc,
            dwell_s=dwell_s,
            horizon_s=horizon_s,
            max_stops=max_stops,
            revisit_s=revisit_s,
            time_limit_s=limit_s,
            solution_limit=solution_limit,
            initial=initial,
        )

    if len(visits) == n_first:
        return run(visits, time_limit_s)
    began = time.perf_counter()
    base, base_status = run(visits[:n_first], time_limit_s / 2)
    left = max(time_limit_s - (time.perf_counter() - began), 0.05 * time_limit_s)
    if not base and any(v.must for v in visits):  # no start: search the larger model afresh
        return run(visits, left)
    order, status = run(visits, left, base)

    def collected(chosen: Sequence[int]) -> float:
        return sum(v.priority for v in _relabel([visits[k] for k in chosen]))

    if collected(order) < collected(base):  # rounding of the objective only; keep the better
        return base, f"{base_status} (without revisits)"
    return order, f"{base_status}, then with revisits: {status}"


def _relabel(chosen: Sequence[_Visit]) -> list[_Visit]:
    """Make the first visit of each candidate in route order its ``visit == 1`` (full priority)."""
    seen: dict[int, _Visit] = {}
    out = []
    for v in chosen:
        if v.cand not in seen:
            first = (
                v
                if v.visit == 1
                else _Visit(v.cand, 1, v.base_priority, v.must, v.window, v.base_priority)
            )
            seen[v.cand] = first
            out.append(first)
        else:
            out.append(v)
    return out
