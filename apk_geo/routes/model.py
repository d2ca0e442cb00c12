"""Result types and defaults of the patrol planner, shared by every job module of the package.

:class:`Route` and :class:`Waypoint` are what :func:`~apk_geo.routes.plan_route` returns and what
the exporters read; the ``DEFAULT_*`` constants are the documented defaults of its options. The
private ``_Options`` (the checked options of one plan) and ``_Visit`` (one solver node) pass
between :mod:`~apk_geo.routes.solver` and :mod:`~apk_geo.routes.assemble`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import geopandas as gpd
import pandas as pd

__all__ = [
    "DEFAULT_COVERAGE_RADIUS_M",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_DWELL_MINUTES",
    "DEFAULT_SPEED_KMH",
    "STOP_COLUMNS",
    "Mode",
    "Route",
    "Waypoint",
]

#: Travel mode of a route.
Mode = Literal["foot", "car"]

#: Default travel speed per mode, km/h (on foot: a steady patrol walk; by car: city traffic).
DEFAULT_SPEED_KMH: Final[Mapping[str, float]] = {"foot": 4.5, "car": 25.0}
#: Default dwell time per stop, minutes (Koper 1995: 10–16 minutes).
DEFAULT_DWELL_MINUTES: Final = 15.0
#: Default ratio of street distance to straight-line distance.
DEFAULT_DETOUR_FACTOR: Final = 1.3
#: Radius around a stop within which expected incidents count as covered, metres.
DEFAULT_COVERAGE_RADIUS_M: Final = 150.0
#: Columns of :attr:`Route.stops`, in this order.
STOP_COLUMNS: Final = (
    "order",
    "id",
    "name",
    "visit",
    "arrive",
    "depart",
    "wait_min",
    "dwell_min",
    "priority",
    "must_visit",
    "leg_distance_m",
    "lat",
    "lon",
    "geometry",
)


@dataclass(frozen=True)
class Waypoint:
    """The start or end point of a route.

    Attributes
    ----------
    lat, lon
        WGS84 coordinates.
    time
        Departure (start point) or arrival (end point), tz-aware Europe/Prague.
    label
        ``"start"`` or ``"end"``.
    """

    lat: float
    lon: float
    time: pd.Timestamp
    label: str


@dataclass(frozen=True)
class Route:
    """A planned patrol route.

    Attributes
    ----------
    stops
        One row per visit in route order, columns :data:`STOP_COLUMNS`; geometry in the metric
        CRS of the plan (``params["crs"]``); ``arrive``/``depart`` tz-aware Europe/Prague;
        ``visit`` is 1 for a first visit and 2 for a revisit.
    line
        One row, the walked path as a LineString in the same CRS, with ``distance_m``.
    start, end
        The start and end points with departure and arrival times.
    totals
        ``distance_m``, ``duration_min`` (start to arrival at the end point), ``travel_min``,
        ``dwell_min``, ``wait_min``, ``priority_collected``, ``priority_available``, ``n_stops``,
        ``coverage_share`` (share of the expected incidents within ``coverage_radius_m`` of a
        stop), ``coverage_radius_m``, ``shift_start``, ``shift_end``.
    params
        Every option used, the automatically chosen ones included (JSON-serialisable).
    not_visited
        Ids of the candidates the route leaves out.
    """

    stops: gpd.GeoDataFrame
    line: gpd.GeoDataFrame
    start: Waypoint
    end: Waypoint
    totals: Mapping[str, Any]
    params: Mapping[str, Any]
    not_visited: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# Internal types shared by the solver and the route assembly
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Options:
    """The checked options of one plan, with the derived ones in solver units (seconds)."""

    t0: pd.Timestamp
    start: tuple[float, float]
    end: tuple[float, float]
    shift_minutes: float
    horizon_s: int
    dwell_minutes: float
    dwell_s: int
    mode: Mode
    speed_kmh: float
    detour_factor: float
    max_stops: int | None
    revisit_interval_minutes: float | None
    revisit_s: int | None
    revisit_value: float
    revisit_top_n: int
    coverage_radius_m: float
    time_limit_s: float
    solution_limit: int


@dataclass(frozen=True)
class _Visit:
    """One solver node that is a visit (a candidate's first or second visit)."""

    cand: int
    visit: int
    priority: float
    must: bool
    window: tuple[float, float]
    base_priority: float
