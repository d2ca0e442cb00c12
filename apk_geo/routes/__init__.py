"""Patrol planner: rank hotspots for one shift and plan a walking route through them.

Mentors plan where the crime-prevention assistants walk. Research on hot-spot patrol (Koper 1995)
found that stops of about 10–16 minutes give the longest residual deterrence and that a place
should be revisited within about two hours. This package

1. ranks places for a given shift (:func:`shift_expected`, :func:`shift_candidates`,
   :func:`candidates_for_shift`): the expected number of incidents in each grid cell during the
   shift's weekday and hours — module :mod:`~apk_geo.routes.demand`;
2. reads the places of a patrol: start and end points, must-visit places with time windows,
   candidate layers (:func:`resolve_point`, :func:`parse_places`, :func:`add_places`,
   :func:`read_candidates`) — :mod:`~apk_geo.routes.places`;
3. measures the legs between them, as straight lines times a detour factor (default 1.3) or as
   shortest paths on a local street network (:func:`load_network`, GraphML or GeoPackage, fully
   offline) — :mod:`~apk_geo.routes.network`;
4. plans the route (:func:`plan_route`) with Google OR-Tools routing, a prize-collecting
   vehicle-routing model with a time dimension, optional revisits and a stop cap —
   :mod:`~apk_geo.routes.solver`; :mod:`~apk_geo.routes.assemble` turns the solved order into
   the :class:`Route` of :mod:`~apk_geo.routes.model`;
5. exports the route as JSON (:func:`route_to_json`), GeoJSON (:func:`route_to_geojson`), GPX 1.1
   (:func:`to_gpx`) and a printable self-contained HTML sheet (:func:`to_html`) —
   :mod:`~apk_geo.routes.export`.

Job modules import one way (no cycles, none imports this ``__init__``): ``model``, ``places`` and
``network`` import no sibling; ``assemble`` imports those three, ``solver`` all four; ``demand``
imports ``places`` and ``export`` imports ``model``. Everything public is re-exported here, flat.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649–672.

Perron, L., & Furnon, V. OR-Tools routing library (``ortools.constraint_solver.pywrapcp``),
https://developers.google.com/optimization/routing.
"""

from __future__ import annotations

from apk_geo.routes.demand import (
    _candidate_name as _candidate_name,
)
from apk_geo.routes.demand import (
    candidates_for_shift,
    shift_candidates,
    shift_expected,
    top_candidates,
)
from apk_geo.routes.export import route_to_geojson, route_to_json, to_gpx, to_html
from apk_geo.routes.model import (
    DEFAULT_COVERAGE_RADIUS_M,
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_DWELL_MINUTES,
    DEFAULT_SPEED_KMH,
    STOP_COLUMNS,
    Mode,
    Route,
    Waypoint,
)
from apk_geo.routes.network import StreetNetwork, load_network
from apk_geo.routes.places import (
    _as_shift_start as _as_shift_start,
)
from apk_geo.routes.places import (
    add_places,
    parse_places,
    read_candidates,
    resolve_point,
)
from apk_geo.routes.solver import plan_route

__all__ = [
    "DEFAULT_COVERAGE_RADIUS_M",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_DWELL_MINUTES",
    "DEFAULT_SPEED_KMH",
    "STOP_COLUMNS",
    "Mode",
    "Route",
    "StreetNetwork",
    "Waypoint",
    "add_places",
    "candidates_for_shift",
    "load_network",
    "parse_places",
    "plan_route",
    "read_candidates",
    "resolve_point",
    "route_to_geojson",
    "route_to_json",
    "shift_candidates",
    "shift_expected",
    "to_gpx",
    "to_html",
    "top_candidates",
]
