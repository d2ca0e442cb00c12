"""The route planner: :func:`plan_route` (one team) and :func:`plan_routes` (several teams).

:func:`plan_routes` runs its steps in order — check the candidates, the options and the teams,
choose the metric CRS, read the candidates' visits, windows and dwells
(:mod:`~apk_geo.routes.places`), measure the legs (:mod:`~apk_geo.routes.network`), solve, and
build one route per team from the solved orders (:mod:`~apk_geo.routes.assemble`).

Solving is exact where it is cheap and deterministic always:

1. the first visits are planned by the exact dynamic programme of :mod:`~apk_geo.routes.exact`
   when there are at most ``exact_max_stops`` of them (and it finishes within ``max_labels``
   labels), else by the OR-Tools local search of :mod:`~apk_geo.routes.search`, which ends after
   ``solution_limit`` solutions;
2. with revisits, the local search then plans the larger model (second visits of the hottest
   places) starting from that plan, so allowing revisits never collects less.

Both solvers optimise the same lexicographic objective: first the collected priority (in
millionths of the largest), then the least travel time. No limit that ends a search is measured
in seconds; ``time_limit_s`` is a safety net whose firing ``params["safety_limit_fired"]``
reports. A place is visited by one team at most (a second visit comes at least the revisit
interval later), so no two teams stand at the same stop at the same time. Travel times are whole
seconds rounded up, so the printed schedule never exceeds a shift, the walk to the end included.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649–672.

Vansteenwegen, P., Souffriau, W., & Van Oudheusden, D. (2011). The orienteering problem: a survey.
*European Journal of Operational Research* 209(1), 1–10.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import replace
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
from apk_geo.routes.assemble import _assemble_plan
from apk_geo.routes.exact import solve_exact
from apk_geo.routes.model import (
    DEFAULT_COVERAGE_RADIUS_M,
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_DWELL_MINUTES,
    DEFAULT_SPEED_KMH,
    Mode,
    Route,
    Team,
    TeamPlan,
    _Options,
    _Problem,
    _Solution,
    _TeamUnits,
    _Visit,
    team_colour,
)
from apk_geo.routes.network import StreetNetwork, _Legs, load_network
from apk_geo.routes.places import (
    _as_shift_start,
    _check_candidates,
    _latlon_to_xy,
    _plan_candidates,
    _PlanCandidates,
)
from apk_geo.routes.search import solve_search

__all__ = ["plan_route", "plan_routes"]

logger = logging.getLogger(__name__)

#: Largest ``exact_max_stops``: the programme's memory grows as ``2**n``.
_EXACT_CEILING: Final = 20
#: Default number of stops up to which plans are solved exactly.
DEFAULT_EXACT_MAX_STOPS: Final = 15
#: Default work budget of the exact programme, in labels (about 2 s on one core).
DEFAULT_MAX_LABELS: Final = 1_500_000
#: Default wall-clock safety net of a search, seconds (the solution limit ends it long before).
DEFAULT_TIME_LIMIT_S: Final = 60.0
#: A start or end farther than this from every candidate lies outside the study area, metres.
MAX_BASE_DISTANCE_M: Final = 25_000.0
#: What ``params["method"]`` says for each solver.
_METHODS: Final = {
    "exact": "exact label-setting dynamic programme over subsets of stops",
    "local search": "OR-Tools routing: prize-collecting VRP with time windows, guided local search",
}


# --------------------------------------------------------------------------------------------
# The public entry points
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
    revisit_within_minutes: float | None = None,
    revisit_value: float = 0.5,
    network: StreetNetwork | str | Path | None = None,
    demand: gpd.GeoDataFrame | None = None,
    demand_col: str = "expected_shift",
    coverage_radius_m: float = DEFAULT_COVERAGE_RADIUS_M,
    revisit_top_n: int = 10,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    solution_limit: int = 200,
    exact_max_stops: int = DEFAULT_EXACT_MAX_STOPS,
    max_labels: int = DEFAULT_MAX_LABELS,
    start_name: str = "",
    end_name: str = "",
) -> Route:
    """Plan a patrol route through the candidates that collects the most priority in a shift.

    Parameters
    ----------
    candidates
        Points with a numeric ``priority`` (>= 0) and optional ``id``, ``name``, ``must_visit``,
        ``window_start``/``window_end`` (``"HH:MM"`` or ISO; the stop must *start* inside the
        window) and ``dwell_min`` (this stop's dwell). Any CRS; planning happens in a metric
        CRS (the layer's own if projected, EPSG:5514 in Czechia, else local UTM).
    start, end
        ``(lat, lon)`` in WGS84 of the start and end point (e.g. the APK base); ``end`` defaults
        to ``start``.
    shift_start
        Start of the shift; naive values are Europe/Prague local time (a time in the spring
        daylight-saving gap moves forward by the gap, 02:30 → 03:30).
    shift_minutes
        Length of the shift; the route, walk back included, never exceeds it.
    dwell_minutes
        Time spent at each stop without its own ``dwell_min`` (Koper 1995: 10–16 min).
    mode
        ``"foot"`` or ``"car"``; chooses the default speed and whether one-way streets count.
    speed_kmh
        Travel speed; default :data:`DEFAULT_SPEED_KMH` for ``mode`` (logged).
    detour_factor
        Street distance / straight distance, used when no ``network`` is given.
    max_stops
        At most this many visits (revisits count); ``None`` for no cap.
    revisit_interval_minutes
        When given, the hottest places may be visited a second time, starting at least this
        long after the first visit started; ``None`` forbids revisits.
    revisit_within_minutes
        When given (with ``revisit_interval_minutes``), the second visit starts at most this
        long after the first (Koper 1995: come back within about two hours).
    revisit_value
        Share of a candidate's priority that its second visit collects.
    network
        A :class:`StreetNetwork` or the path of a GraphML / GeoPackage edge file; distances and
        the drawn path then follow the streets (``detour_factor`` is not applied).
    demand
        Layer of the shift's expected incidents (points or cells) with column ``demand_col``,
        used for ``coverage_share``; default: the candidates weighted by ``priority``.
    demand_col
        Column of ``demand`` with the expected incidents.
    coverage_radius_m
        Radius around a stop within which expected incidents count as covered.
    revisit_top_n
        Only the ``revisit_top_n`` candidates of highest priority (must-visits excepted) get a
        second-visit node.
    time_limit_s
        Wall-clock safety net of each search; the search normally ends long before, on
        ``solution_limit``. ``params["safety_limit_fired"]`` says when it did not.
    solution_limit
        Number of local-search solutions after which the search ends (deterministic).
    exact_max_stops
        Plans of at most this many candidates are solved exactly (:mod:`~apk_geo.routes.exact`).
    max_labels
        Work budget of the exact programme; beyond it the local search plans (deterministic).
    start_name, end_name
        Address or landmark of the start and end point, for the print sheet.

    Returns
    -------
    Route
        The ordered stops with times, the path, totals and parameters; ``params["optimal"]``
        is true when the plan is proven optimal.

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
    >>> r.stops["id"].tolist(), r.params["optimal"]
    (['a'], True)
    """
    team = Team(
        name="",
        start=start,
        end=end,
        shift_start=shift_start,
        shift_minutes=shift_minutes,
        mode=mode,
        speed_kmh=speed_kmh,
        start_name=start_name,
        end_name=end_name,
        max_stops=max_stops,
    )
    plan = plan_routes(
        candidates,
        teams=[team],
        dwell_minutes=dwell_minutes,
        detour_factor=detour_factor,
        revisit_interval_minutes=revisit_interval_minutes,
        revisit_within_minutes=revisit_within_minutes,
        revisit_value=revisit_value,
        network=network,
        demand=demand,
        demand_col=demand_col,
        coverage_radius_m=coverage_radius_m,
        revisit_top_n=revisit_top_n,
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
        exact_max_stops=exact_max_stops,
        max_labels=max_labels,
    )
    return plan.routes[0]


def plan_routes(
    candidates: gpd.GeoDataFrame,
    *,
    teams: Sequence[Team],
    dwell_minutes: float = DEFAULT_DWELL_MINUTES,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    revisit_interval_minutes: float | None = None,
    revisit_within_minutes: float | None = None,
    revisit_value: float = 0.5,
    network: StreetNetwork | str | Path | None = None,
    demand: gpd.GeoDataFrame | None = None,
    demand_col: str = "expected_shift",
    coverage_radius_m: float = DEFAULT_COVERAGE_RADIUS_M,
    revisit_top_n: int = 10,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    solution_limit: int = 200,
    exact_max_stops: int = DEFAULT_EXACT_MAX_STOPS,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> TeamPlan:
    """Plan the routes of several teams at once; each place is covered by one team at a time.

    The teams share the candidates: a place is visited by at most one team (and, with
    revisits, a second time at least ``revisit_interval_minutes`` later, by any team), so no
    two teams are at the same stop in the same hours. Each team has its own start, end, shift,
    mode and speed (:class:`~apk_geo.routes.model.Team`).

    Parameters
    ----------
    candidates
        As in :func:`plan_route`.
    teams
        One :class:`Team` per pair of assistants (at least one; names must differ).
    dwell_minutes, detour_factor, revisit_interval_minutes, revisit_within_minutes
        As in :func:`plan_route`.
    revisit_value, network, demand, demand_col, coverage_radius_m, revisit_top_n
        As in :func:`plan_route`.
    time_limit_s, solution_limit, exact_max_stops, max_labels
        As in :func:`plan_route`.

    Returns
    -------
    TeamPlan
        One :class:`Route` per team (in the order given) and the totals of the plan.

    Raises
    ------
    SchemaError, CRSError
        If the candidates are malformed.
    ParameterError
        If an option or a team is invalid.
    RouteInfeasibleError
        If a team cannot get from its start to its end within its shift, or a must-visit place
        cannot be fitted into any team's route.
    """
    _check_candidates(candidates)
    opts = _check_options(
        dwell_minutes=dwell_minutes,
        detour_factor=detour_factor,
        revisit_interval_minutes=revisit_interval_minutes,
        revisit_within_minutes=revisit_within_minutes,
        revisit_value=revisit_value,
        revisit_top_n=revisit_top_n,
        coverage_radius_m=coverage_radius_m,
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
        exact_max_stops=exact_max_stops,
        max_labels=max_labels,
    )
    units, origin = _team_units(teams)
    net = load_network(network) if isinstance(network, str | Path) else network
    crs = _plan_crs(candidates, net)
    horizon_s = max(u.shift_end_s for u in units)
    cands = _plan_candidates(
        candidates, crs=crs, shift_start=origin, horizon_s=horizon_s, dwell_minutes=dwell_minutes
    )
    legs, travel = _leg_times(cands, crs=crs, net=net, units=units, opts=opts)
    visits = _candidate_visits(cands, opts, horizon_s=horizon_s)
    problem = _Problem(
        visits=tuple(visits),
        n_first=len(cands.frame),
        teams=units,
        travel=travel,
        revisit_s=opts.revisit_s,
        revisit_within_s=opts.revisit_within_s,
    )
    solution = _solve(problem, opts)
    _require_must_visits(solution, problem, cands=cands)
    return _assemble_plan(
        solution,
        problem=problem,
        cands=cands,
        legs=legs,
        crs=crs,
        demand=demand,
        demand_col=demand_col,
        coverage_radius_m=opts.coverage_radius_m,
        params=_params(opts, net=net, crs=crs, solution=solution, n_teams=len(units)),
    )


# --------------------------------------------------------------------------------------------
# Steps of plan_routes
# --------------------------------------------------------------------------------------------
def _check_options(
    *,
    dwell_minutes: float,
    detour_factor: float,
    revisit_interval_minutes: float | None,
    revisit_within_minutes: float | None,
    revisit_value: float,
    revisit_top_n: int,
    coverage_radius_m: float,
    time_limit_s: float,
    solution_limit: int,
    exact_max_stops: int,
    max_labels: int,
) -> _Options:
    """Check the shared options of a plan (in their documented order) and derive the rest."""
    if not (dwell_minutes >= 0 and math.isfinite(dwell_minutes)):
        raise ParameterError(f"dwell_minutes must be a finite number >= 0, got {dwell_minutes!r}")
    if not (detour_factor >= 1 and math.isfinite(detour_factor)):
        raise ParameterError(f"detour_factor must be a finite number >= 1, got {detour_factor!r}")
    _check_revisits(revisit_interval_minutes, revisit_within_minutes, revisit_value)
    _validate.require_positive(coverage_radius_m, name="coverage_radius_m")
    _validate.require_positive(time_limit_s, name="time_limit_s")
    for name, value, low in (
        ("solution_limit", solution_limit, 1),
        ("exact_max_stops", exact_max_stops, 0),
        ("max_labels", max_labels, 1),
        ("revisit_top_n", revisit_top_n, 0),
    ):
        if int(value) != value or value < low:
            raise ParameterError(f"{name} must be a whole number >= {low}, got {value!r}")
    if exact_max_stops > _EXACT_CEILING:
        raise ParameterError(
            f"exact_max_stops must be at most {_EXACT_CEILING} (the exact planner's memory "
            f"doubles with every stop), got {exact_max_stops!r}"
        )
    return _Options(
        dwell_minutes=dwell_minutes,
        detour_factor=detour_factor,
        revisit_interval_minutes=revisit_interval_minutes,
        revisit_s=_seconds_up(revisit_interval_minutes),
        revisit_within_minutes=revisit_within_minutes,
        revisit_within_s=(
            None if revisit_within_minutes is None else math.floor(revisit_within_minutes * 60)
        ),
        revisit_value=revisit_value,
        revisit_top_n=int(revisit_top_n),
        coverage_radius_m=coverage_radius_m,
        time_limit_s=time_limit_s,
        solution_limit=int(solution_limit),
        exact_max_stops=int(exact_max_stops),
        max_labels=int(max_labels),
    )


def _seconds_up(minutes: float | None) -> int | None:
    """Return ``minutes`` in whole seconds, rounded up (``None`` stays ``None``)."""
    return None if minutes is None else math.ceil(minutes * 60)


def _check_revisits(
    interval_minutes: float | None, within_minutes: float | None, value: float
) -> None:
    """Check the revisit options."""
    if interval_minutes is not None:
        _validate.require_positive(interval_minutes, name="revisit_interval_minutes")
    if within_minutes is not None:
        if interval_minutes is None:
            raise ParameterError(
                "revisit_within_minutes needs revisit_interval_minutes (the earliest revisit)"
            )
        if not (within_minutes >= interval_minutes and math.isfinite(within_minutes)):
            raise ParameterError(
                f"revisit_within_minutes must be >= revisit_interval_minutes "
                f"({interval_minutes:g}), got {within_minutes!r}"
            )
    if not 0 <= value <= 1:
        raise ParameterError(f"revisit_value must lie in [0, 1], got {value!r}")


def _speed(mode: str, speed_kmh: float | None, *, who: str) -> float:
    """Return the travel speed: ``speed_kmh``, or the mode's default (logged)."""
    if mode not in DEFAULT_SPEED_KMH:
        raise ParameterError(f"mode must be one of {sorted(DEFAULT_SPEED_KMH)}, got {mode!r}")
    if speed_kmh is None:
        speed_kmh = DEFAULT_SPEED_KMH[mode]
        logger.info("%s: speed not given; using %.1f km/h for mode %r", who, speed_kmh, mode)
    _validate.require_positive(speed_kmh, name="speed_kmh")
    return float(speed_kmh)


def _team_units(teams: Sequence[Team]) -> tuple[tuple[_TeamUnits, ...], pd.Timestamp]:
    """Check the teams and return them in solver units, with the plan's origin (first start).

    Raises
    ------
    ParameterError
        If there is no team, two teams share a name, or a team's option is out of range.
    """
    if len(teams) == 0:
        raise ParameterError("teams is empty; give at least one Team")
    names = [t.name for t in teams]
    if len(set(names)) != len(names):
        raise ParameterError(f"team names must differ, got {names}")
    starts = []
    for team in teams:
        _validate.require_positive(team.shift_minutes, name="shift_minutes")
        if team.max_stops is not None and (
            int(team.max_stops) != team.max_stops or team.max_stops < 1
        ):
            raise ParameterError(
                f"max_stops must be a whole number >= 1 or None, got {team.max_stops!r}"
            )
        starts.append(_as_shift_start(team.shift_start))
    origin = min(starts)
    units = []
    for k, (team, t0) in enumerate(zip(teams, starts, strict=True)):
        offset = round((t0 - origin).total_seconds())
        units.append(
            _TeamUnits(
                team=team,
                index=k,
                t0=t0,
                shift_start_s=offset,
                shift_end_s=offset + math.floor(team.shift_minutes * 60),
                start=team.start,
                end=team.start if team.end is None else team.end,
                mode=team.mode,
                speed_kmh=_speed(team.mode, team.speed_kmh, who=team.name or "route"),
                colour=team.colour or team_colour(k),
                max_stops=None if team.max_stops is None else int(team.max_stops),
            )
        )
    return tuple(units), origin


def _plan_crs(candidates: gpd.GeoDataFrame, net: StreetNetwork | None) -> CRS:
    """Return the CRS to plan in: the network's, else the candidates' metric CRS."""
    if net is not None:
        return net.crs
    return metric_crs(candidates, keep_projected=True, name="candidates")


def _leg_times(
    cands: _PlanCandidates,
    *,
    crs: CRS,
    net: StreetNetwork | None,
    units: tuple[_TeamUnits, ...],
    opts: _Options,
) -> tuple[tuple[_Legs, ...], tuple[np.ndarray, ...]]:
    """Return each team's legs and whole-second travel times between all locations.

    Locations: team ``k``'s start ``2k`` and end ``2k + 1``, then the candidates. A car on a
    directed network respects one-way streets; on foot direction does not count.

    Raises
    ------
    RouteInfeasibleError
        If going straight from a team's start to its end takes longer than its shift.
    """
    ends = []
    for u in units:
        ends += [
            _latlon_to_xy(u.start, crs, name="start"),
            _latlon_to_xy(u.end, crs, name="end"),
        ]
    geom = cands.frame.geometry
    cxy = np.column_stack([geom.x.to_numpy(), geom.y.to_numpy()]).reshape(-1, 2)
    ends_xy = np.array(ends, dtype=float).reshape(-1, 2)
    _require_in_area(ends_xy, cxy, units=units)
    xy = np.vstack([ends_xy, cxy])
    by_flag: dict[bool, _Legs] = {}
    by_speed: dict[tuple[bool, float], np.ndarray] = {}
    legs, travel = [], []
    for u in units:
        directed = net is not None and net.directed and u.mode == "car"
        if directed not in by_flag:
            by_flag[directed] = _Legs(
                xy, detour_factor=opts.detour_factor, network=net, directed=directed
            )
        key = (directed, u.speed_kmh)
        if key not in by_speed:
            speed_ms = u.speed_kmh / 3.6
            by_speed[key] = np.ceil(by_flag[directed].dist_m / speed_ms - 1e-9).astype(np.int64)
        legs.append(by_flag[directed])
        travel.append(by_speed[key])
        _require_reachable_end(u, travel[-1])
    return tuple(legs), tuple(travel)


def _require_in_area(ends_xy: np.ndarray, cxy: np.ndarray, *, units: Sequence[_TeamUnits]) -> None:
    """Raise if a start or end lies farther than :data:`MAX_BASE_DISTANCE_M` from every candidate.

    Such a point is a typo (longitude first, a wrong sign) or another town, never a base.
    """
    if len(cxy) == 0:
        return
    dist = np.hypot(ends_xy[:, None, 0] - cxy[None, :, 0], ends_xy[:, None, 1] - cxy[None, :, 1])
    nearest = dist.min(axis=1)
    for i in np.flatnonzero(nearest > MAX_BASE_DISTANCE_M):
        unit = units[int(i) // 2]
        label = "start" if i % 2 == 0 else "end"
        lat, lon = unit.start if label == "start" else unit.end
        who = f" of team {unit.team.name!r}" if unit.team.name else ""
        raise RouteInfeasibleError(
            f"{label} point {lat:.4f}, {lon:.4f}{who} is {nearest[i] / 1000:.0f} km from the "
            f"nearest candidate; the start and end must lie in the study area (within "
            f"{MAX_BASE_DISTANCE_M / 1000:.0f} km of a candidate): check the coordinates "
            "(latitude first) or the address"
        )


def _require_reachable_end(u: _TeamUnits, travel: np.ndarray) -> None:
    """Raise if going from the team's start to its end takes longer than its shift."""
    need = int(travel[2 * u.index, 2 * u.index + 1])
    if need > u.shift_end_s - u.shift_start_s:
        who = f"team {u.team.name!r}: " if u.team.name else ""
        raise RouteInfeasibleError(
            f"{who}going from start to end takes {need / 60:.0f} min, longer than the "
            f"{u.team.shift_minutes:g}-min shift; lengthen the shift or move the end point"
        )


def _candidate_visits(cands: _PlanCandidates, opts: _Options, *, horizon_s: int) -> list[_Visit]:
    """Return a first visit per candidate, then second visits of the top ones (if allowed)."""
    priority, must, windows, dwell = cands.priority, cands.must, cands.windows, cands.dwell_s
    visits = [
        _Visit(
            i, 1, float(priority[i]), bool(must[i]), windows[i], float(priority[i]), int(dwell[i])
        )
        for i in range(len(cands.frame))
    ]
    if opts.revisit_s is None or opts.revisit_top_n == 0:
        return visits
    if opts.revisit_s + int(dwell.min(initial=0)) > horizon_s:
        logger.info(
            "revisit interval %s min does not fit the shift; no revisits",
            opts.revisit_interval_minutes,
        )
        return visits
    top = [int(i) for i in np.argsort(-priority, kind="stable") if not must[i] and priority[i] > 0]
    return visits + [
        _Visit(
            i,
            2,
            float(priority[i]) * opts.revisit_value,
            False,
            windows[i],
            float(priority[i]),
            int(dwell[i]),
        )
        for i in top[: opts.revisit_top_n]
    ]


def _solve(problem: _Problem, opts: _Options) -> _Solution:
    """Plan the first visits (exactly where cheap), then add revisits by local search."""
    first = replace(problem, visits=problem.visits[: problem.n_first])
    base = None
    if problem.n_first <= opts.exact_max_stops:
        base = solve_exact(first, max_labels=opts.max_labels)
        if base is None:
            logger.info("exact planner over its budget of %d labels; local search", opts.max_labels)
    if base is None:
        base = solve_search(
            first, solution_limit=opts.solution_limit, time_limit_s=opts.time_limit_s
        )
    if len(problem.visits) == problem.n_first:
        return base
    has_must = any(v.must for v in problem.visits)
    initial = base.orders if any(base.orders) or not has_must else None
    full = solve_search(
        problem,
        solution_limit=opts.solution_limit,
        time_limit_s=opts.time_limit_s,
        initial=initial,
    )
    fired = base.safety_limit_fired or full.safety_limit_fired
    if initial is not None and _collected(problem, full) < _collected(problem, base):
        # the rounding of the objective only; keep the better plan
        return replace(base, status=f"{base.status} (revisits found nothing better)")
    return _Solution(
        orders=full.orders,
        solver=f"{base.solver}, then local search with revisits",
        status=f"{base.status}; with revisits: {full.status}",
        optimal=False,
        safety_limit_fired=fired,
        stats={**base.stats, **{f"revisits_{k}": v for k, v in full.stats.items()}},
    )


def _collected(problem: _Problem, solution: _Solution) -> int:
    """Return the priority units a solution collects."""
    units = problem.priority_units()
    return int(sum(int(units[i]) for order in solution.orders for i in order))


def _require_must_visits(solution: _Solution, problem: _Problem, *, cands: _PlanCandidates) -> None:
    """Raise :class:`RouteInfeasibleError` if the plan leaves out a must-visit place."""
    served = {i for order in solution.orders for i in order}
    missing = [v.cand for k, v in enumerate(problem.visits) if v.must and k not in served]
    if not missing:
        return
    ids, names = cands.ids, cands.names
    shifts = ", ".join(
        f"{u.team.shift_minutes:g} min at {u.speed_kmh:g} km/h" for u in problem.teams
    )
    raise RouteInfeasibleError(
        f"must-visit place(s) {[str(ids[i]) for i in missing]} "
        f"({', '.join(str(names[i]) for i in missing)}) cannot be fitted into the shift "
        f"({shifts}; dwell {problem.visits[missing[0]].dwell_s / 60:g} min) with their time "
        f"windows; lengthen the shift, widen the windows or drop must_visit"
    )


def _params(
    opts: _Options, *, net: StreetNetwork | None, crs: CRS, solution: _Solution, n_teams: int
) -> dict[str, Any]:
    """Return the plan's shared parameters: every option used, the chosen ones included."""
    method = _METHODS[solution.solver.split(",")[0]]
    if "revisits" in solution.solver:
        method += ", then OR-Tools local search with revisits"
    return {
        "method": method,
        "solver": solution.solver,
        "optimal": bool(solution.optimal),
        "solver_status": solution.status,
        "safety_limit_fired": bool(solution.safety_limit_fired),
        "solver_stats": dict(solution.stats),
        "dwell_minutes": float(opts.dwell_minutes),
        "detour_factor": None if net is not None else float(opts.detour_factor),
        "network": net.source if net is not None else None,
        "revisit_interval_minutes": opts.revisit_interval_minutes,
        "revisit_within_minutes": opts.revisit_within_minutes,
        "revisit_value": opts.revisit_value,
        "revisit_top_n": opts.revisit_top_n,
        "coverage_radius_m": float(opts.coverage_radius_m),
        "time_limit_s": float(opts.time_limit_s),
        "solution_limit": int(opts.solution_limit),
        "exact_max_stops": int(opts.exact_max_stops),
        "max_labels": int(opts.max_labels),
        "n_teams": int(n_teams),
        "crs": crs.to_string(),
    }
