"""Routes from solved visit orders: earliest schedules, stop tables, paths, totals, coverage.

:func:`_assemble_plan` turns the orders the solver returned into one
:class:`~apk_geo.routes.model.Route` per team and the :class:`~apk_geo.routes.model.TeamPlan`.
Each visit starts as early as its window, the team's walk and the revisit rules allow; a second
visit that must come *within* a time of the first can delay the first (the earliest schedule that
keeps every rule, found by raising lower bounds until nothing changes). Each route carries its
stops (:data:`~apk_geo.routes.model.STOP_COLUMNS`), the path (along the streets when the legs come
from a network), the start and end waypoints, the totals and ``coverage_share`` (the share of the
expected incidents within a radius of a stop).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from apk_geo import _validate
from apk_geo.errors import RouteInfeasibleError
from apk_geo.routes.model import (
    STOP_COLUMNS,
    Route,
    TeamPlan,
    Waypoint,
    _Problem,
    _Solution,
    _TeamUnits,
)
from apk_geo.routes.network import _Legs
from apk_geo.routes.places import _PlanCandidates
from apk_geo.schema import CRS_WEB, TIMEZONE

__all__: list[str] = []

logger = logging.getLogger(__name__)

#: Dtypes of :attr:`Route.stops` (``id``/``name`` are strings, the times tz-aware).
_STOP_DTYPES: Final[Mapping[str, str]] = {
    "order": "int64",
    "visit": "int64",
    "wait_min": "float64",
    "dwell_min": "float64",
    "priority": "float64",
    "must_visit": "bool",
    "leg_distance_m": "float64",
    "lat": "float64",
    "lon": "float64",
}
#: Rounds of raising lower bounds before the schedule is declared inconsistent.
_MAX_ROUNDS: Final = 1000


@dataclass
class _Schedule:
    """The schedule of one team (times in seconds after the plan's origin)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    path: list[tuple[float, float]] = field(default_factory=list)
    distance_m: float = 0.0
    travel_s: int = 0
    wait_s: int = 0
    dwell_s: int = 0
    end_arrive_s: int = 0


# --------------------------------------------------------------------------------------------
# Start times
# --------------------------------------------------------------------------------------------
def _begin_times(solution: _Solution, problem: _Problem) -> dict[int, int]:
    """Return the start of every served visit: the earliest that keeps every rule.

    Visits start as early as the walk, the window and "no sooner than the interval after the
    first visit" allow; when a second visit would then come later than the latest interval
    after the first, the first is held back and the schedule recomputed.
    """
    lower: dict[int, int] = {}
    first_of = {v.cand: k for k, v in enumerate(problem.visits) if v.visit == 1}
    for _ in range(_MAX_ROUNDS):
        begin = _forward(solution, problem, lower=lower, first_of=first_of)
        late = _late_revisits(begin, problem, first_of=first_of)
        if not late:
            return begin
        for first, earliest in late:
            lower[first] = max(lower.get(first, 0), earliest)
    raise RouteInfeasibleError("internal error: the revisit times of the plan do not settle")


def _forward(
    solution: _Solution, problem: _Problem, *, lower: Mapping[int, int], first_of: Mapping[int, int]
) -> dict[int, int]:
    """Return the earliest start of every visit given extra lower bounds.

    A second visit's start depends on its first visit's, which another team may make, so the
    teams are walked again until no start moves.
    """
    begin: dict[int, int] = {}
    for _ in range(len(problem.visits) + 1):
        changed = False
        for k, order in enumerate(solution.orders):
            unit, travel = problem.teams[k], problem.travel[k]
            t, prev = unit.shift_start_s, 2 * k
            for i in order:
                v = problem.visits[i]
                loc = problem.loc(v)
                start = max(t + int(travel[prev, loc]), int(np.ceil(v.window[0])), lower.get(i, 0))
                if v.visit == 2 and problem.revisit_s is not None:
                    start = max(start, begin.get(first_of[v.cand], 0) + problem.revisit_s)
                changed |= begin.get(i) != start
                begin[i] = start
                t, prev = start + v.dwell_s, loc
        if not changed:
            return begin
    return begin


def _late_revisits(
    begin: Mapping[int, int], problem: _Problem, *, first_of: Mapping[int, int]
) -> list[tuple[int, int]]:
    """Return ``(first visit, earliest start it needs)`` for second visits that come too late."""
    if problem.revisit_within_s is None:
        return []
    late = []
    for i, start in begin.items():
        v = problem.visits[i]
        if v.visit == 2:
            first = first_of[v.cand]
            if start > begin[first] + problem.revisit_within_s:
                late.append((first, start - problem.revisit_within_s))
    return late


# --------------------------------------------------------------------------------------------
# One team's route
# --------------------------------------------------------------------------------------------
def _schedule(
    order: Sequence[int],
    *,
    k: int,
    begin: Mapping[int, int],
    problem: _Problem,
    cands: _PlanCandidates,
    legs: _Legs,
) -> _Schedule:
    """Walk team ``k``'s order with the given start times; record stops, path and totals."""
    unit, travel = problem.teams[k], problem.travel[k]
    out = _Schedule()
    t, prev = unit.shift_start_s, 2 * k
    origin = unit.t0 - pd.Timedelta(seconds=unit.shift_start_s)
    for n, i in enumerate(order, start=1):
        v = problem.visits[i]
        loc = problem.loc(v)
        arrive = t + int(travel[prev, loc])
        start = begin[i]
        out.rows.append(
            {
                "order": n,
                "id": str(cands.ids[v.cand]),
                "name": str(cands.names[v.cand]),
                "visit": v.visit,
                "arrive": origin + pd.Timedelta(seconds=arrive),
                "depart": origin + pd.Timedelta(seconds=start + v.dwell_s),
                "wait_min": (start - arrive) / 60,
                "dwell_min": v.dwell_s / 60,
                "priority": v.priority,
                "must_visit": v.must,
                "leg_distance_m": round(float(legs.dist_m[prev, loc]), 1),
                "geometry": cands.frame.geometry.iloc[v.cand],
            }
        )
        _walk(out, legs, travel, prev, loc)
        out.wait_s += start - arrive
        out.dwell_s += v.dwell_s
        t, prev = start + v.dwell_s, loc
    out.end_arrive_s = t + int(travel[prev, 2 * k + 1])
    if out.end_arrive_s > unit.shift_end_s:  # cannot happen: the solver's plan is feasible
        raise RouteInfeasibleError(
            f"internal error: the route ends {out.end_arrive_s} s > {unit.shift_end_s} s"
        )
    _walk(out, legs, travel, prev, 2 * k + 1)
    return out


def _walk(sched: _Schedule, legs: _Legs, travel: np.ndarray, a: int, b: int) -> None:
    """Add the leg from location ``a`` to ``b`` to the schedule's path, distance and travel."""
    sched.path.extend(legs.path(a, b)[(1 if sched.path else 0) :])
    sched.distance_m += float(legs.dist_m[a, b])
    sched.travel_s += int(travel[a, b])


def _stops_frame(rows: list[dict[str, Any]], *, crs: CRS) -> gpd.GeoDataFrame:
    """Return :attr:`Route.stops` (columns :data:`STOP_COLUMNS`, fixed dtypes) from the rows."""
    stops = gpd.GeoDataFrame(rows, columns=list(STOP_COLUMNS), geometry="geometry", crs=crs)
    if len(stops):
        web = stops.geometry.to_crs(CRS_WEB)
        stops["lat"], stops["lon"] = web.y.to_numpy(), web.x.to_numpy()
    stops = stops.astype(dict(_STOP_DTYPES))
    stops["id"] = stops["id"].astype("string")
    stops["name"] = stops["name"].astype("string")
    for col in ("arrive", "depart"):
        stops[col] = (
            pd.to_datetime(stops[col]).dt.tz_convert(TIMEZONE)
            if len(stops)
            else pd.Series([], dtype=f"datetime64[ns, {TIMEZONE}]")
        )
    return stops


def _path_line(sched: _Schedule, *, crs: CRS) -> gpd.GeoDataFrame:
    """Return :attr:`Route.line`: the travelled path (a degenerate line when it has one point)."""
    path = sched.path
    if len(path) < 2:
        path = [path[0], path[0]] if path else [(0.0, 0.0), (0.0, 0.0)]
    return gpd.GeoDataFrame(
        {"distance_m": [round(sched.distance_m, 1)]}, geometry=[LineString(path)], crs=crs
    )


def _totals(
    sched: _Schedule,
    stops: gpd.GeoDataFrame,
    *,
    unit: _TeamUnits,
    coverage: float | None,
    coverage_radius_m: float,
    priority_available: float,
) -> dict[str, Any]:
    """Return :attr:`Route.totals`."""
    return {
        "distance_m": round(sched.distance_m, 1),
        "duration_min": round((sched.end_arrive_s - unit.shift_start_s) / 60, 2),
        "travel_min": round(sched.travel_s / 60, 2),
        "dwell_min": round(sched.dwell_s / 60, 2),
        "wait_min": round(sched.wait_s / 60, 2),
        "priority_collected": float(stops["priority"].sum()) if len(stops) else 0.0,
        "priority_available": priority_available,
        "n_stops": len(stops),
        "coverage_share": coverage,
        "coverage_radius_m": float(coverage_radius_m),
        "shift_start": unit.t0.isoformat(),
        "shift_end": (
            unit.t0 + pd.Timedelta(seconds=unit.shift_end_s - unit.shift_start_s)
        ).isoformat(),
    }


def _waypoints(
    legs: _Legs, *, k: int, crs: CRS, unit: _TeamUnits, end_arrive_s: int
) -> tuple[Waypoint, Waypoint]:
    """Return the start and end :class:`Waypoint` with their times and names."""
    to_web = Transformer.from_crs(crs, CRS_WEB, always_xy=True)
    slon, slat = to_web.transform(*legs.xy[2 * k])
    elon, elat = to_web.transform(*legs.xy[2 * k + 1])
    team = unit.team
    end_name = team.end_name or (team.start_name if team.end is None else "")
    arrive = unit.t0 + pd.Timedelta(seconds=end_arrive_s - unit.shift_start_s)
    return (
        Waypoint(float(slat), float(slon), unit.t0, "start", team.start_name),
        Waypoint(float(elat), float(elon), arrive, "end", end_name),
    )


def _team_params(unit: _TeamUnits, params: Mapping[str, Any]) -> dict[str, Any]:
    """Return one route's parameters: the plan's, and the team's own."""
    return {
        **params,
        "team": unit.team.name,
        "shift_start": unit.t0.isoformat(),
        "shift_minutes": float(unit.team.shift_minutes),
        "mode": unit.mode,
        "speed_kmh": float(unit.speed_kmh),
        "max_stops": unit.max_stops,
        "start": [float(unit.start[0]), float(unit.start[1])],
        "end": [float(unit.end[0]), float(unit.end[1])],
        "start_name": unit.team.start_name,
        "colour": unit.colour,
    }


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------
def _assemble_plan(
    solution: _Solution,
    *,
    problem: _Problem,
    cands: _PlanCandidates,
    legs: Sequence[_Legs],
    crs: CRS,
    demand: gpd.GeoDataFrame | None,
    demand_col: str,
    coverage_radius_m: float,
    params: dict[str, Any],
) -> TeamPlan:
    """Build every team's earliest schedule and route, and the plan's totals."""
    begin = _begin_times(solution, problem)
    available = float(cands.priority.sum())
    routes = []
    for k, order in enumerate(solution.orders):
        unit = problem.teams[k]
        sched = _schedule(order, k=k, begin=begin, problem=problem, cands=cands, legs=legs[k])
        stops = _stops_frame(sched.rows, crs=crs)
        coverage = _coverage_share(
            [stops],
            cand=cands.frame,
            demand=demand,
            demand_col=demand_col,
            radius_m=coverage_radius_m,
            crs=crs,
        )
        team_params = _team_params(unit, params)
        stops.attrs["params"] = team_params
        start, end = _waypoints(legs[k], k=k, crs=crs, unit=unit, end_arrive_s=sched.end_arrive_s)
        routes.append(
            Route(
                stops=stops,
                line=_path_line(sched, crs=crs),
                start=start,
                end=end,
                totals=_totals(
                    sched,
                    stops,
                    unit=unit,
                    coverage=coverage,
                    coverage_radius_m=coverage_radius_m,
                    priority_available=available,
                ),
                params=team_params,
                team=unit.team.name,
                colour=unit.colour,
            )
        )
    return _plan_of(routes, cands=cands, demand=demand, demand_col=demand_col, crs=crs,
                    coverage_radius_m=coverage_radius_m, params=params)  # fmt: skip


def _plan_of(
    routes: list[Route],
    *,
    cands: _PlanCandidates,
    demand: gpd.GeoDataFrame | None,
    demand_col: str,
    crs: CRS,
    coverage_radius_m: float,
    params: dict[str, Any],
) -> TeamPlan:
    """Return the :class:`TeamPlan` of the routes, each told what no team visits."""
    visited = {str(i) for r in routes for i in r.stops["id"].tolist()}
    not_visited = tuple(str(i) for i in cands.ids.tolist() if str(i) not in visited)
    routes = [_with_not_visited(r, not_visited) for r in routes]
    coverage = _coverage_share(
        [r.stops for r in routes],
        cand=cands.frame,
        demand=demand,
        demand_col=demand_col,
        radius_m=coverage_radius_m,
        crs=crs,
    )
    totals = {
        "priority_collected": float(sum(r.totals["priority_collected"] for r in routes)),
        "priority_available": float(cands.priority.sum()),
        "n_stops": int(sum(r.totals["n_stops"] for r in routes)),
        "distance_m": round(float(sum(r.totals["distance_m"] for r in routes)), 1),
        "coverage_share": coverage,
        "n_teams": len(routes),
    }
    for r in routes:
        logger.info(
            "route %s: %d stops, %.0f m, %.1f min, priority %.3f",
            r.team or "-",
            r.totals["n_stops"],
            r.totals["distance_m"],
            r.totals["duration_min"],
            r.totals["priority_collected"],
        )
    return TeamPlan(routes=tuple(routes), totals=totals, params=params, not_visited=not_visited)


def _with_not_visited(route: Route, not_visited: tuple[str, ...]) -> Route:
    """Return ``route`` with the plan's unvisited candidates."""
    from dataclasses import replace

    return replace(route, not_visited=not_visited)


def _coverage_share(
    stops: Sequence[gpd.GeoDataFrame],
    *,
    cand: gpd.GeoDataFrame,
    demand: gpd.GeoDataFrame | None,
    demand_col: str,
    radius_m: float,
    crs: CRS,
) -> float | None:
    """Share of the expected incidents whose location lies within ``radius_m`` of a stop."""
    if demand is None:
        pts = cand.geometry
        weight = pd.to_numeric(cand["priority"]).to_numpy(dtype=float)
    else:
        _validate.require_crs(demand, name="demand")
        _validate.require_columns(demand, [demand_col], name="demand")
        pts = demand.to_crs(crs).geometry.centroid
        weight = pd.to_numeric(demand[demand_col], errors="coerce").fillna(0.0).to_numpy(float)
    total = float(weight.sum())
    if total <= 0:
        return None
    xs = np.concatenate([s.geometry.x.to_numpy() for s in stops]) if stops else np.zeros(0)
    ys = np.concatenate([s.geometry.y.to_numpy() for s in stops]) if stops else np.zeros(0)
    if len(xs) == 0:
        return 0.0
    tree = cKDTree(np.column_stack([xs, ys]))
    d, _ = tree.query(np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()]))
    return float(weight[d <= radius_m].sum() / total)
