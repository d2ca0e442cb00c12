"""Patrol planner: rank places for a shift and plan the routes of one or several teams.

Mentors plan where the crime-prevention assistants walk. Research on hot-spot patrol (Koper 1995)
found that stops of about 10–16 minutes give the longest residual deterrence and that a place
should be revisited within about two hours. This package

1. ranks places for a shift (:func:`shift_expected`, :func:`shift_candidates`,
   :func:`candidates_for_shift`, :func:`expected_for_shifts` for a week): the expected number of
   incidents in each grid cell during the shift's weekday and hours — :mod:`~apk_geo.routes.demand`;
   neighbouring hot cells around one spot become one named place (:func:`merge_cells`) —
   :mod:`~apk_geo.routes.merge`;
2. reads the places of a patrol: start and end points and their names, must-visit places with
   time windows, candidate layers (:func:`resolve_point`, :func:`describe_point`,
   :func:`parse_places`, :func:`add_places`, :func:`read_candidates`) —
   :mod:`~apk_geo.routes.places`; and the teams (:func:`read_teams`, :func:`make_teams`) —
   :mod:`~apk_geo.routes.teams`;
3. measures the legs between them, as straight lines times a detour factor (default 1.3) or as
   shortest paths on a local street network (:func:`load_network`, GraphML or a line layer,
   fully offline) — :mod:`~apk_geo.routes.network`;
4. plans (:func:`plan_route` for one team, :func:`plan_routes` for several) exactly by dynamic
   programming where that is cheap (:mod:`~apk_geo.routes.exact`), else by OR-Tools local search
   ended by a solution count (:mod:`~apk_geo.routes.search`) — :mod:`~apk_geo.routes.solver`;
   :mod:`~apk_geo.routes.assemble` turns the solved orders into the :class:`Route` s and
   :class:`TeamPlan` of :mod:`~apk_geo.routes.model`;
5. plans a week of shifts for several teams with a fairness rule (:func:`plan_week`) —
   :mod:`~apk_geo.routes.week`;
6. exports routes as JSON, GeoJSON, GPX 1.1 and printable HTML sheets, and a week as JSON, a
   shifts × places table and a map layer per shift — :mod:`~apk_geo.routes.export` and
   :mod:`~apk_geo.routes.weekexport`.

Job modules import one way (no cycles, none imports this ``__init__``): ``model``, ``network``
and ``places`` import no sibling but ``model``; ``exact`` and ``search`` import ``model``;
``merge``, ``teams`` and ``assemble`` import ``places``/``model``/``network``; ``demand`` imports
``merge``; ``solver`` imports the solvers and ``assemble``; ``week`` imports ``solver``,
``demand``, ``merge`` and ``teams``; the exporters import ``model`` (and ``week``).
Everything public is re-exported here, flat.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649–672.

Vansteenwegen, P., Souffriau, W., & Van Oudheusden, D. (2011). The orienteering problem: a survey.
*European Journal of Operational Research* 209(1), 1–10.

Perron, L., & Furnon, V. OR-Tools routing library (``ortools.constraint_solver.pywrapcp``),
https://developers.google.com/optimization/routing.
"""

from __future__ import annotations

from apk_geo.routes.demand import (
    _candidate_name as _candidate_name,
)
from apk_geo.routes.demand import (
    candidates_for_shift,
    expected_for_shifts,
    shift_candidates,
    shift_expected,
    top_candidates,
)
from apk_geo.routes.export import (
    plan_to_geojson,
    plan_to_json,
    route_to_geojson,
    route_to_json,
    to_gpx,
    to_html,
)
from apk_geo.routes.merge import PLACE_COLUMNS, merge_cells, name_places
from apk_geo.routes.model import (
    DEFAULT_COVERAGE_RADIUS_M,
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_DWELL_MINUTES,
    DEFAULT_SPEED_KMH,
    STOP_COLUMNS,
    TEAM_COLOURS,
    Mode,
    Route,
    Team,
    TeamPlan,
    Waypoint,
    team_colour,
)
from apk_geo.routes.network import StreetNetwork, load_network
from apk_geo.routes.places import (
    _as_shift_start as _as_shift_start,
)
from apk_geo.routes.places import (
    add_places,
    describe_point,
    parse_places,
    read_candidates,
    resolve_point,
)
from apk_geo.routes.solver import plan_route, plan_routes
from apk_geo.routes.teams import (
    ShiftTime,
    TeamRoster,
    make_teams,
    parse_days,
    parse_shift,
    parse_week,
    read_teams,
    rosters_for_week,
    shift_times,
    week_choices,
    week_shifts,
)
from apk_geo.routes.week import WeekPlan, WeekShift, plan_week
from apk_geo.routes.weekexport import (
    WEEK_TABLE_INDEX,
    shift_keys,
    shift_labels,
    uncovered_names,
    week_files,
    week_map_layers,
    week_shift_geojson,
    week_shift_routes,
    week_table,
    week_table_html,
    week_to_json,
    zip_bytes,
)

__all__ = [
    "DEFAULT_COVERAGE_RADIUS_M",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_DWELL_MINUTES",
    "DEFAULT_SPEED_KMH",
    "PLACE_COLUMNS",
    "STOP_COLUMNS",
    "TEAM_COLOURS",
    "WEEK_TABLE_INDEX",
    "Mode",
    "Route",
    "ShiftTime",
    "StreetNetwork",
    "Team",
    "TeamPlan",
    "TeamRoster",
    "Waypoint",
    "WeekPlan",
    "WeekShift",
    "add_places",
    "candidates_for_shift",
    "describe_point",
    "expected_for_shifts",
    "load_network",
    "make_teams",
    "merge_cells",
    "name_places",
    "parse_days",
    "parse_places",
    "parse_shift",
    "parse_week",
    "plan_route",
    "plan_routes",
    "plan_to_geojson",
    "plan_to_json",
    "plan_week",
    "read_candidates",
    "read_teams",
    "resolve_point",
    "rosters_for_week",
    "route_to_geojson",
    "route_to_json",
    "shift_candidates",
    "shift_expected",
    "shift_keys",
    "shift_labels",
    "shift_times",
    "team_colour",
    "to_gpx",
    "to_html",
    "top_candidates",
    "uncovered_names",
    "week_choices",
    "week_files",
    "week_map_layers",
    "week_shift_geojson",
    "week_shift_routes",
    "week_shifts",
    "week_table",
    "week_table_html",
    "week_to_json",
    "zip_bytes",
]
