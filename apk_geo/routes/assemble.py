"""The route from a solved visit order: earliest schedule, stop table, path, totals, coverage.

:func:`_assemble` walks the order the solver returned, starts each visit as early as its time
window and the revisit rule allow, and builds the :class:`~apk_geo.routes.model.Route`: the stops
(:data:`~apk_geo.routes.model.STOP_COLUMNS`), the walked line, the start and end waypoints, the
totals and ``coverage_share`` (the share of the expected incidents within a radius of a stop).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from apk_geo import _validate
from apk_geo.errors import RouteInfeasibleError
from apk_geo.routes.model import STOP_COLUMNS, Route, Waypoint, _Options, _Visit
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


@dataclass
class _Schedule:
    """The earliest schedule of a visit order (times in seconds after the shift start)."""

    rows: list[dict[str, Any]]
    path: list[tuple[float, float]]
    distance_m: float
    travel_s: int
    wait_s: int
    end_arrive_s: int


def _schedule(
    chosen: Sequence[_Visit],
    *,
    cands: _PlanCandidates,
    legs: _Legs,
    travel_loc: np.ndarray,
    opts: _Options,
) -> _Schedule:
    """Walk the order, starting each visit as early as its window and revisit rule allow.

    ``chosen`` is in route order with each candidate's first visit labelled ``visit == 1``.
    """
    out = _Schedule(rows=[], path=[], distance_m=0.0, travel_s=0, wait_s=0, end_arrive_s=0)
    t = 0  # seconds after the shift start
    prev = 0  # location index (0 = start)
    first_start: dict[int, int] = {}
    for order, v in enumerate(chosen, start=1):
        loc = v.cand + 2
        arrive = t + int(travel_loc[prev, loc])
        begin = max(arrive, math.ceil(v.window[0]))
        if v.visit == 2 and opts.revisit_s is not None:
            begin = max(begin, first_start[v.cand] + opts.revisit_s)
        first_start.setdefault(v.cand, begin)
        depart = begin + opts.dwell_s
        leg = float(legs.dist_m[prev, loc])
        out.rows.append(
            {
                "order": order,
                "id": str(cands.ids[v.cand]),
                "name": str(cands.names[v.cand]),
                "visit": v.visit,
                "arrive": opts.t0 + pd.Timedelta(seconds=arrive),
                "depart": opts.t0 + pd.Timedelta(seconds=depart),
                "wait_min": (begin - arrive) / 60,
                "dwell_min": opts.dwell_s / 60,
                "priority": v.priority,
                "must_visit": v.must,
                "leg_distance_m": round(leg, 1),
                "geometry": cands.frame.geometry.iloc[v.cand],
            }
        )
        _walk(out, legs, travel_loc, prev, loc)
        out.wait_s += begin - arrive
        t, prev = depart, loc
    out.end_arrive_s = t + int(travel_loc[prev, 1])
    if out.end_arrive_s > opts.horizon_s:  # cannot happen: the solver's schedule is never earlier
        raise RouteInfeasibleError(
            f"internal error: the route ends {out.end_arrive_s} s > {opts.horizon_s} s"
        )
    _walk(out, legs, travel_loc, prev, 1)
    return out


def _walk(sched: _Schedule, legs: _Legs, travel_loc: np.ndarray, a: int, b: int) -> None:
    """Add the leg from location ``a`` to ``b`` to the schedule's path, distance and travel."""
    sched.path.extend(legs.path(a, b)[(1 if sched.path else 0) :])
    sched.distance_m += float(legs.dist_m[a, b])
    sched.travel_s += int(travel_loc[a, b])


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
    """Return :attr:`Route.line`: the walked path (a degenerate line when it has one point)."""
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
    opts: _Options,
    coverage: float | None,
    priority_available: float,
) -> dict[str, Any]:
    """Return :attr:`Route.totals`."""
    return {
        "distance_m": round(sched.distance_m, 1),
        "duration_min": round(sched.end_arrive_s / 60, 2),
        "travel_min": round(sched.travel_s / 60, 2),
        "dwell_min": round(len(stops) * opts.dwell_s / 60, 2),
        "wait_min": round(sched.wait_s / 60, 2),
        "priority_collected": float(stops["priority"].sum()) if len(stops) else 0.0,
        "priority_available": priority_available,
        "n_stops": len(stops),
        "coverage_share": coverage,
        "coverage_radius_m": float(opts.coverage_radius_m),
        "shift_start": opts.t0.isoformat(),
        "shift_end": (opts.t0 + pd.Timedelta(seconds=opts.horizon_s)).isoformat(),
    }


def _waypoints(
    legs: _Legs, *, crs: CRS, opts: _Options, end_arrive_s: int
) -> tuple[Waypoint, Waypoint]:
    """Return the start and end :class:`Waypoint` with departure and arrival times."""
    to_web = Transformer.from_crs(crs, CRS_WEB, always_xy=True)
    slon, slat = to_web.transform(*legs.xy[0])
    elon, elat = to_web.transform(*legs.xy[1])
    return (
        Waypoint(float(slat), float(slon), opts.t0, "start"),
        Waypoint(float(elat), float(elon), opts.t0 + pd.Timedelta(seconds=end_arrive_s), "end"),
    )


def _assemble(
    chosen: Sequence[_Visit],
    *,
    cands: _PlanCandidates,
    legs: _Legs,
    travel_loc: np.ndarray,
    opts: _Options,
    crs: CRS,
    demand: gpd.GeoDataFrame | None,
    demand_col: str,
    params: dict[str, Any],
) -> Route:
    """Build the earliest schedule for the chosen order and the route's frames and totals.

    ``chosen`` are the solved visits in route order, relabelled so that each candidate's first
    visit is its ``visit == 1``.
    """
    sched = _schedule(chosen, cands=cands, legs=legs, travel_loc=travel_loc, opts=opts)
    stops = _stops_frame(sched.rows, crs=crs)
    line = _path_line(sched, crs=crs)
    start, end = _waypoints(legs, crs=crs, opts=opts, end_arrive_s=sched.end_arrive_s)
    coverage = _coverage_share(
        stops,
        cand=cands.frame,
        demand=demand,
        demand_col=demand_col,
        radius_m=float(opts.coverage_radius_m),
        crs=crs,
    )
    totals = _totals(
        sched, stops, opts=opts, coverage=coverage, priority_available=float(cands.priority.sum())
    )
    logger.info(
        "route: %d stops, %.0f m, %.1f min, priority %.3f of %.3f",
        len(stops),
        sched.distance_m,
        sched.end_arrive_s / 60,
        totals["priority_collected"],
        totals["priority_available"],
    )
    stops.attrs["params"] = dict(params)
    visited = set(stops["id"].tolist())
    return Route(
        stops=stops,
        line=line,
        start=start,
        end=end,
        totals=totals,
        params=params,
        not_visited=tuple(i for i in cands.ids.tolist() if str(i) not in visited),
    )


def _coverage_share(
    stops: gpd.GeoDataFrame,
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
    if len(stops) == 0:
        return 0.0
    tree = cKDTree(np.column_stack([stops.geometry.x, stops.geometry.y]))
    d, _ = tree.query(np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()]))
    return float(weight[d <= radius_m].sum() / total)
