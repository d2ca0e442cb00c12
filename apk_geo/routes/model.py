"""Result types and defaults of the patrol planner, shared by every job module of the package.

:class:`Route` (one team's walk) and :class:`TeamPlan` (the routes of several teams planned
together) are what :func:`~apk_geo.routes.plan_route` and :func:`~apk_geo.routes.plan_routes`
return and what the exporters read; :class:`Team` describes one pair of assistants on one shift;
the ``DEFAULT_*`` constants are the documented defaults of the options. The private types carry
one plan in solver units (seconds after the earliest shift start) between
:mod:`~apk_geo.routes.solver`, :mod:`~apk_geo.routes.exact`, :mod:`~apk_geo.routes.search` and
:mod:`~apk_geo.routes.assemble`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_COVERAGE_RADIUS_M",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_DWELL_MINUTES",
    "DEFAULT_SPEED_KMH",
    "STOP_COLUMNS",
    "TEAM_COLOURS",
    "Mode",
    "Route",
    "Team",
    "TeamPlan",
    "Waypoint",
    "team_colour",
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
#: Team colours on maps and sheets: the Okabe–Ito palette (readable with colour blindness),
#: without its yellow, which vanishes on a light base map.
TEAM_COLOURS: Final = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
)
#: Relative resolution of priorities in the objective (one millionth of the largest).
PRIORITY_RESOLUTION: Final = 1_000_000
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


def team_colour(index: int) -> str:
    """Return the map colour of the team at position ``index`` (0-based; the palette repeats).

    Examples
    --------
    >>> team_colour(0), team_colour(7)
    ('#0072B2', '#0072B2')
    """
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


@dataclass(frozen=True)
class Team:
    """One pair of assistants on one shift: where they start and end, when, and how they move.

    Attributes
    ----------
    name
        Shown on the sheets and the map (``"Dvojice 1"``).
    start, end
        ``(lat, lon)`` in WGS84; ``end`` ``None`` means back to the start.
    shift_start
        Start of the shift; naive values are Europe/Prague local time.
    shift_minutes
        Length of the shift; the route, the walk to the end point included, never exceeds it.
    mode
        ``"foot"`` or ``"car"``.
    speed_kmh
        Travel speed; ``None`` for the mode's default (:data:`DEFAULT_SPEED_KMH`).
    start_name, end_name
        The address or landmark of the start and end point, printed on the sheet (empty: the
        planner describes the point itself).
    colour
        Map colour (``"#RRGGBB"``); empty: :func:`team_colour` of the team's position.
    max_stops
        At most this many visits for this team (revisits count); ``None``: no cap.
    """

    name: str
    start: tuple[float, float]
    shift_start: pd.Timestamp | datetime | str
    shift_minutes: float
    end: tuple[float, float] | None = None
    mode: Mode = "foot"
    speed_kmh: float | None = None
    start_name: str = ""
    end_name: str = ""
    colour: str = ""
    max_stops: int | None = None


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
    name
        The address or landmark of the point (what the print sheet shows), or ``""``.
    """

    lat: float
    lon: float
    time: pd.Timestamp
    label: str
    name: str = ""


@dataclass(frozen=True)
class Route:
    """A planned patrol route of one team.

    Attributes
    ----------
    stops
        One row per visit in route order, columns :data:`STOP_COLUMNS`; geometry in the metric
        CRS of the plan (``params["crs"]``); ``arrive``/``depart`` tz-aware Europe/Prague;
        ``visit`` is 1 for a first visit and 2 for a revisit.
    line
        One row, the travelled path as a LineString in the same CRS (along the streets when a
        network was given), with ``distance_m``.
    start, end
        The start and end points with departure and arrival times and their names.
    totals
        ``distance_m``, ``duration_min`` (start to arrival at the end point), ``travel_min``,
        ``dwell_min``, ``wait_min``, ``priority_collected``, ``priority_available``, ``n_stops``,
        ``coverage_share`` (share of the expected incidents within ``coverage_radius_m`` of a
        stop), ``coverage_radius_m``, ``shift_start``, ``shift_end``.
    params
        Every option used, the automatically chosen ones included (JSON-serialisable); among
        them ``solver`` (``"exact"`` or ``"local search"``), ``optimal`` (proven optimal) and
        ``safety_limit_fired`` (the wall-clock safety net ended the search).
    not_visited
        Ids of the candidates no team of the plan visits.
    team
        The team's name (``""`` for a single route planned without teams).
    colour
        The team's map colour.
    """

    stops: gpd.GeoDataFrame
    line: gpd.GeoDataFrame
    start: Waypoint
    end: Waypoint
    totals: Mapping[str, Any]
    params: Mapping[str, Any]
    not_visited: tuple[str, ...] = field(default=())
    team: str = ""
    colour: str = TEAM_COLOURS[0]


@dataclass(frozen=True)
class TeamPlan:
    """The routes of several teams planned together (no place visited twice at one time).

    Attributes
    ----------
    routes
        One :class:`Route` per team, in the order the teams were given (a team may have no stop).
    totals
        ``priority_collected`` (all teams), ``priority_available``, ``n_stops``,
        ``distance_m``, ``coverage_share`` (of the union of the stops), ``n_teams``.
    params
        The options of the plan (as in :attr:`Route.params`, without the team's own ones).
    not_visited
        Ids of the candidates no team visits.
    """

    routes: tuple[Route, ...]
    totals: Mapping[str, Any]
    params: Mapping[str, Any]
    not_visited: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# Internal types shared by the solvers and the route assembly
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Options:
    """The checked options of one plan that are shared by its teams, in solver units."""

    dwell_minutes: float
    detour_factor: float
    revisit_interval_minutes: float | None
    revisit_s: int | None
    revisit_within_minutes: float | None
    revisit_within_s: int | None
    revisit_value: float
    revisit_top_n: int
    coverage_radius_m: float
    time_limit_s: float
    solution_limit: int
    exact_max_stops: int
    max_labels: int


@dataclass(frozen=True)
class _TeamUnits:
    """One team in solver units: its shift as seconds after the plan's origin, its speed."""

    team: Team
    index: int
    t0: pd.Timestamp
    shift_start_s: int
    shift_end_s: int
    start: tuple[float, float]
    end: tuple[float, float]
    mode: Mode
    speed_kmh: float
    colour: str
    max_stops: int | None


@dataclass(frozen=True)
class _Visit:
    """One solver node that is a visit (a candidate's first or second visit)."""

    cand: int
    visit: int
    priority: float
    must: bool
    window: tuple[float, float]
    base_priority: float
    dwell_s: int


@dataclass(frozen=True)
class _Problem:
    """A plan in solver units.

    Location ``2k`` is team ``k``'s start, ``2k + 1`` its end, ``2K + c`` candidate ``c``;
    ``travel[k]`` holds team ``k``'s whole seconds between every two locations.
    """

    visits: tuple[_Visit, ...]
    n_first: int
    teams: tuple[_TeamUnits, ...]
    travel: tuple[np.ndarray, ...]
    revisit_s: int | None
    revisit_within_s: int | None

    def loc(self, visit: _Visit) -> int:
        """Return the location index of a visit."""
        return 2 * len(self.teams) + visit.cand

    def priority_units(self) -> np.ndarray:
        """Return each visit's priority in whole objective units (see :func:`_priority_units`)."""
        return _priority_units(self.visits)


def _priority_units(visits: tuple[_Visit, ...] | list[_Visit]) -> np.ndarray:
    """Return the visits' priorities as whole numbers: one unit is a millionth of the largest.

    Both solvers optimise these integers, so they agree on which of two routes is better; two
    routes whose priorities differ by less than a millionth of the largest may tie.
    """
    prio = np.array([v.priority for v in visits], dtype=float)
    top = float(prio.max()) if len(prio) else 0.0
    if top <= 0:
        return np.zeros(len(prio), dtype=np.int64)
    return np.rint(prio / top * PRIORITY_RESOLUTION).astype(np.int64)


@dataclass(frozen=True)
class _Solution:
    """The visit indices each team serves, in route order, and how the search ended."""

    orders: tuple[tuple[int, ...], ...]
    solver: str
    status: str
    optimal: bool
    safety_limit_fired: bool
    stats: Mapping[str, Any] = field(default_factory=dict)
