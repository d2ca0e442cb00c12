"""Patrol planner: rank hotspots for one shift and plan a walking route through them.

Mentors plan where the crime-prevention assistants walk. Research on hot-spot patrol (Koper 1995)
found that stops of about 10–16 minutes give the longest residual deterrence and that a place
should be revisited within about two hours. This module

1. ranks places for a given shift (:func:`shift_expected`, :func:`shift_candidates`): the expected
   number of incidents in each grid cell during the shift's weekday and hours, from a spatial
   rate (the forecast's ``expected_n`` when :mod:`apk_geo.forecast` is available, decay-weighted
   counts otherwise) times a weekday × hour profile per cell, shrunk towards the city-wide
   profile, with incidents weighted by ``2 ** (-age_weeks / recent_weeks)`` (half-life
   ``recent_weeks``);
2. plans the route (:func:`plan_route`) with Google OR-Tools routing: a prize-collecting
   vehicle-routing model in which every candidate is an optional visit (a disjunction whose
   penalty is its priority), the dwell time is the service time of a time dimension whose horizon
   is the shift, and a count dimension caps the number of stops. A candidate may be visited a
   second time through a duplicate node that may start no sooner than ``revisit_interval_minutes``
   after the first visit started (and only together with it); the second visit is worth
   ``revisit_value`` × its priority. With revisits the model without them is solved first and
   its route starts the search of the larger model, so revisits never collect less.
3. exports the route as JSON (:func:`route_to_json`), GeoJSON (:func:`route_to_geojson`), GPX 1.1
   (:func:`to_gpx`) and a printable self-contained HTML sheet (:func:`to_html`).

Distances are straight lines times a detour factor (default 1.3) unless a street network is
supplied as a local GraphML or GeoPackage file (:func:`load_network`); then shortest paths on it
are used (Dijkstra, :func:`scipy.sparse.csgraph.dijkstra`), fully offline.

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
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from apk_geo import _validate
from apk_geo.errors import (
    GeocodingError,
    InputFileError,
    InsufficientDataError,
    RouteInfeasibleError,
    SchemaError,
)
from apk_geo.schema import CRS_METRIC, CRS_WEB, TIMEZONE

__all__ = [
    "DEFAULT_SPEED_KMH",
    "STOP_COLUMNS",
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

logger = logging.getLogger(__name__)

Mode = Literal["foot", "car"]

#: Default travel speed per mode, km/h (on foot: a steady patrol walk; by car: city traffic).
DEFAULT_SPEED_KMH: Final[Mapping[str, float]] = {"foot": 4.5, "car": 25.0}
#: Default dwell time per stop, minutes (Koper 1995: 10–16 minutes).
DEFAULT_DWELL_MINUTES: Final = 15.0
#: Default ratio of street distance to straight-line distance.
DEFAULT_DETOUR_FACTOR: Final = 1.3
#: Radius around a stop within which expected incidents count as covered, metres.
DEFAULT_COVERAGE_RADIUS_M: Final = 150.0
#: Relative resolution of priorities in the objective (one millionth of the largest).
_PRIORITY_RESOLUTION: Final = 1_000_000
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
#: Rough bounding box of Czechia in EPSG:4326 (lon_min, lat_min, lon_max, lat_max).
_CZECHIA_BBOX: Final = (12.0, 48.5, 18.9, 51.1)
_GPX_NS: Final = "http://www.topografix.com/GPX/1/1"
_WINDOW_COLS: Final = ("window_start", "window_end")
_WINDOW = re.compile(r"^\s*(\d{1,2}:\d{2})?\s*[-–]\s*(\d{1,2}:\d{2})?\s*$")


# --------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------
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


@dataclass(frozen=True)
class StreetNetwork:
    """A street network in a projected CRS, ready for shortest paths.

    Attributes
    ----------
    crs
        Projected CRS of ``node_xy`` (metres).
    node_xy
        ``(n, 2)`` node coordinates.
    weights
        ``(n, n)`` sparse matrix of edge lengths in metres (the shortest of parallel edges).
    directed
        Whether edges are one-way as stored (used by car); foot routing ignores direction.
    source
        File the network was read from.
    """

    crs: CRS
    node_xy: np.ndarray
    weights: sparse.csr_matrix
    directed: bool
    source: str

    @property
    def n_nodes(self) -> int:
        """Return the number of nodes."""
        return int(self.node_xy.shape[0])


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")


def resolve_point(text: str, *, gazetteer: pd.DataFrame | None = None) -> tuple[float, float]:
    """Return ``(lat, lon)`` of a start or end point given as coordinates or as an address.

    Parameters
    ----------
    text
        ``"49.8353, 18.2920"`` (WGS84 latitude, longitude) or a Czech address such as
        ``"30. dubna 635/35"`` (geocoded against ``gazetteer``).
    gazetteer
        Address points (:func:`apk_geo.geocode.load_ruian_csv` or a store's ``address_points``).

    Returns
    -------
    tuple of float
        Latitude and longitude in degrees.

    Raises
    ------
    GeocodingError
        If ``text`` is no coordinate pair and cannot be geocoded (the reason is given).

    Examples
    --------
    >>> resolve_point("49.8353; 18.2920")
    (49.8353, 18.292)
    """
    m = _LATLON.match(text)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GeocodingError(f"{text!r} is not a latitude, longitude pair in degrees")
        return lat, lon
    if gazetteer is None or len(gazetteer) == 0:
        raise GeocodingError(
            f"{text!r} is not LAT,LON (e.g. 49.8353,18.2920); an address needs a gazetteer "
            "(a store with address points, or --gazetteer RUIAN.csv)"
        )
    from apk_geo.geocode import geocode

    row = geocode(pd.DataFrame({"address": [text]}), gazetteer).iloc[0]
    if row["match"] == "failed" or pd.isna(row["lat"]):
        raise GeocodingError(f"address {text!r} not found: {row.get('geocode_reason', '')}")
    return float(row["lat"]), float(row["lon"])


def parse_places(
    specs: Sequence[str], *, gazetteer: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """Return must-visit places (a hostel, a school at the start of lessons) from short texts.

    Parameters
    ----------
    specs
        One place per item: ``"NAME | PLACE | FROM-TO"``, where ``PLACE`` is ``LAT,LON`` or an
        address (see :func:`resolve_point`) and the optional window ``FROM-TO`` (``"07:30-07:50"``,
        either end may be left out) is when the stop must start; e.g.
        ``"ZŠ Ostrčilova | 49.8405, 18.2856 | 07:35-07:50"``. Empty items are skipped.
    gazetteer
        Address points for places given as addresses.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 points with ``id`` (``"must-1"``, …), ``name``, ``priority`` (0: a must-visit
        is kept for its own sake, not for the priority it collects), ``must_visit`` (True),
        ``window_start`` and ``window_end`` (``"HH:MM"`` or missing); add them to the
        candidates with :func:`add_places`.

    Raises
    ------
    GeocodingError
        If an item is malformed or its place cannot be located (the item is quoted).

    Examples
    --------
    >>> parse_places(["Škola | 49.8405, 18.2856 | 07:35-07:50"])[["name", "window_start"]]
        name window_start
    0  Škola        07:35
    """
    rows: list[dict[str, Any]] = []
    for spec in specs:
        if not spec.strip():
            continue
        parts = [p.strip() for p in spec.split("|")]
        if len(parts) not in (2, 3) or not parts[1]:
            raise GeocodingError(
                f"must-visit place {spec!r}: expected 'NAME | LAT,LON or address | HH:MM-HH:MM' "
                "(the time window is optional)"
            )
        window: tuple[str | None, str | None] = (None, None)
        if len(parts) == 3 and parts[2]:
            m = _WINDOW.match(parts[2])
            if m is None or not (m.group(1) or m.group(2)):
                raise GeocodingError(
                    f"must-visit place {spec!r}: the time window {parts[2]!r} is not "
                    "HH:MM-HH:MM (e.g. 07:30-07:50)"
                )
            window = (m.group(1), m.group(2))
        try:
            lat, lon = resolve_point(parts[1], gazetteer=gazetteer)
        except GeocodingError as exc:
            raise GeocodingError(f"must-visit place {spec!r}: {exc}") from exc
        rows.append(
            {
                "id": f"must-{len(rows) + 1}",
                "name": parts[0] or parts[1],
                "priority": 0.0,
                "must_visit": True,
                "window_start": window[0],
                "window_end": window[1],
                "lon": lon,
                "lat": lat,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["id", "name", "priority", "must_visit", *_WINDOW_COLS, "lon", "lat"]
    )
    out = gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs=CRS_WEB,
    )
    for col in ("id", "name", *_WINDOW_COLS):
        out[col] = out[col].astype("string")
    return out.astype({"priority": "float64", "must_visit": "bool"})


def add_places(candidates: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the candidates with must-visit ``places`` (:func:`parse_places`) appended.

    The result is in the candidates' CRS; columns missing on either side are left empty
    (``must_visit`` False for the candidates). Neither input is modified.
    """
    _check_candidates(candidates)
    if len(places) == 0:
        return candidates
    _check_candidates(places)
    base = candidates.copy()
    if "must_visit" not in base.columns:
        base["must_visit"] = False
    extra = places.to_crs(base.crs)
    out = pd.concat([base, extra], ignore_index=True)
    out["must_visit"] = out["must_visit"].fillna(False).astype(bool)
    result = gpd.GeoDataFrame(out, geometry=base.geometry.name, crs=base.crs)
    result.attrs = dict(candidates.attrs)
    _check_candidates(result)
    return result


def read_candidates(path: str | Path) -> gpd.GeoDataFrame:
    """Read patrol candidates from a file (GeoJSON, GeoPackage, …).

    Parameters
    ----------
    path
        A point layer with a numeric ``priority`` and optional ``id``, ``name``, ``must_visit``
        (bool), ``window_start`` and ``window_end`` (``"HH:MM"`` on the shift's day, or an ISO
        timestamp) columns.

    Returns
    -------
    geopandas.GeoDataFrame
        The candidates as read (CRS as in the file), checked with the same rules as
        :func:`plan_route`.

    Raises
    ------
    InputFileError
        If the file cannot be read or holds no CRS.
    SchemaError
        If ``priority`` is missing, not numeric or negative, or a geometry is not a point.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError("file not found; give a GeoJSON or GeoPackage of points", path=str(p))
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # pyogrio raises several unrelated types
        raise InputFileError(f"cannot read candidates: {exc}", path=str(p)) from exc
    if gdf.crs is None:
        raise InputFileError(
            "the layer has no CRS; save it with one (GeoJSON is EPSG:4326)", path=str(p)
        )
    _check_candidates(gdf)
    return gdf


def _check_candidates(candidates: gpd.GeoDataFrame) -> None:
    """Validate a candidate layer (columns, geometry type, priority values)."""
    _validate.require_crs(candidates, name="candidates")
    _validate.require_columns(candidates, ["priority"], name="candidates")
    _validate.require_points(candidates, name="candidates")
    if candidates.geometry.isna().any() or candidates.geometry.is_empty.any():
        bad = [
            str(i)
            for i in candidates.index[candidates.geometry.isna() | candidates.geometry.is_empty]
        ][:5]
        raise SchemaError(f"candidates have empty geometries at rows {bad}; drop or fix them")
    prio = pd.to_numeric(candidates["priority"], errors="coerce")
    bad_mask = prio.isna() | ~np.isfinite(prio.to_numpy(dtype=float, na_value=np.nan)) | (prio < 0)
    if bad_mask.any():
        rows = candidates.index[bad_mask].tolist()[:5]
        values = candidates.loc[bad_mask, "priority"].tolist()[:5]
        raise SchemaError(
            f"candidates.priority must be a finite number >= 0; rows {rows} hold {values}"
        )
    if "id" in candidates.columns:
        ids = candidates["id"].astype(str)
        if ids.duplicated().any():
            dup = sorted(set(ids[ids.duplicated()]))[:5]
            raise SchemaError(f"candidates.id must be unique; repeated: {dup}")


def _metric_crs(gdf: gpd.GeoDataFrame) -> CRS:
    """Return the CRS to plan in: the layer's own if projected, else S-JTSK or local UTM."""
    crs = _validate.require_crs(gdf, name="candidates")
    if crs.is_projected:
        return crs
    lon, lat = gdf.to_crs(CRS_WEB).geometry.union_all().centroid.coords[0]
    lo0, la0, lo1, la1 = _CZECHIA_BBOX
    if lo0 <= lon <= lo1 and la0 <= lat <= la1:
        return CRS.from_user_input(CRS_METRIC)
    utm = gdf.to_crs(CRS_WEB).estimate_utm_crs()
    logger.info("candidates lie outside Czechia; planning in %s", utm.to_string())
    return CRS.from_user_input(utm)


def _as_shift_start(value: pd.Timestamp | datetime | str) -> pd.Timestamp:
    """Return ``value`` as a tz-aware Europe/Prague timestamp (naive values are local time)."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"shift_start must be a date-time such as '2026-11-24T08:00', got {value!r}"
        ) from exc
    if pd.isna(ts):
        raise ValueError(f"shift_start must be a date-time, got {value!r}")
    if ts.tzinfo is None:
        return ts.tz_localize(TIMEZONE, ambiguous=False, nonexistent="shift_forward")
    return ts.tz_convert(TIMEZONE)


def _window_seconds(
    value: object, *, shift_start: pd.Timestamp, horizon_s: float, row: object, col: str
) -> float:
    """Return a window bound in seconds after the shift start (``NaN`` for an empty value).

    ``"HH:MM"`` is a time on the shift's day, or on the next day when the shift runs past
    midnight and only the next day's time falls inside it (a night shift from 22:00 and a
    visit at 01:30).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return math.nan
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        if len(text) <= 5 and ":" in text:
            hh, mm = text.split(":")
            if not (0 <= int(hh) <= 24 and 0 <= int(mm) < 60):
                raise ValueError(text)
            ts = shift_start.normalize() + pd.Timedelta(hours=int(hh), minutes=int(mm))
            next_day = ts + pd.Timedelta(days=1)
            if ts < shift_start and next_day <= shift_start + pd.Timedelta(seconds=horizon_s):
                ts = next_day
        else:
            ts = _as_shift_start(text)
    except (TypeError, ValueError) as exc:
        raise SchemaError(
            f"candidates.{col} at row {row!r} is {value!r}; expected 'HH:MM' or an ISO date-time"
        ) from exc
    return float((ts - shift_start).total_seconds())


def _latlon_to_xy(latlon: tuple[float, float], crs: CRS, *, name: str) -> tuple[float, float]:
    """Project a ``(lat, lon)`` pair to ``crs``."""
    if len(latlon) != 2:
        raise ValueError(f"{name} must be a (lat, lon) pair, got {latlon!r}")
    lat, lon = float(latlon[0]), float(latlon[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(
            f"{name} = {latlon!r} is not a valid (lat, lon) in degrees; "
            f"give latitude first, e.g. (49.8353, 18.2920)"
        )
    x, y = Transformer.from_crs(CRS_WEB, crs, always_xy=True).transform(lon, lat)
    return float(x), float(y)


# --------------------------------------------------------------------------------------------
# Street network
# --------------------------------------------------------------------------------------------
def load_network(path: str | Path, *, crs: str | None = None) -> StreetNetwork:
    """Read a street network from a local GraphML or GeoPackage file.

    Parameters
    ----------
    path
        ``.graphml`` (e.g. saved by osmnx: node attributes ``x``/``y``, edge attribute
        ``length`` in metres, graph attribute ``crs``) or any vector file of LineString edges
        (GeoPackage, GeoJSON, Shapefile); edge endpoints that coincide (to 1 cm) are joined.
    crs
        CRS of a GraphML file's ``x``/``y`` when the graph carries none (default EPSG:4326).

    Returns
    -------
    StreetNetwork
        Nodes projected to a metric CRS (EPSG:5514 in Czechia, else local UTM).

    Raises
    ------
    InputFileError
        If the file is missing, cannot be read or holds no edges.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError("street network file not found", path=str(p))
    if p.suffix.lower() == ".graphml":
        xy, edges, lengths, directed, src_crs = _read_graphml(p, crs=crs)
    else:
        xy, edges, lengths, directed, src_crs = _read_edge_layer(p)
    if len(edges) == 0:
        raise InputFileError("the street network has no edges", path=str(p))
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=src_crs)
    metric = _metric_crs(pts)
    if not src_crs.equals(metric):
        pts = pts.to_crs(metric)
    node_xy = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()])
    if np.isnan(lengths).any():
        seg = node_xy[edges[:, 0]] - node_xy[edges[:, 1]]
        straight = np.hypot(seg[:, 0], seg[:, 1])
        lengths = np.where(np.isnan(lengths), straight, lengths)
    n = node_xy.shape[0]
    # keep the shortest of parallel edges: sort by length descending so the last write wins
    order = np.argsort(-lengths, kind="stable")
    mat = sparse.lil_matrix((n, n))
    for k in order:
        a, b = int(edges[k, 0]), int(edges[k, 1])
        if a != b:
            mat[a, b] = max(float(lengths[k]), 1e-3)
    logger.info(
        "street network %s: %d nodes, %d edges, CRS %s", p.name, n, len(edges), metric.to_string()
    )
    return StreetNetwork(
        crs=metric, node_xy=node_xy, weights=mat.tocsr(), directed=directed, source=str(p)
    )


def _read_graphml(
    p: Path, *, crs: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, CRS]:
    import networkx as nx

    try:
        graph = nx.read_graphml(p)
    except Exception as exc:  # networkx raises plain exceptions for malformed XML
        raise InputFileError(f"cannot read GraphML: {exc}", path=str(p)) from exc
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    try:
        xy = np.array([[float(graph.nodes[v]["x"]), float(graph.nodes[v]["y"])] for v in nodes])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputFileError(
            "every GraphML node needs numeric 'x' and 'y' attributes (as saved by osmnx)",
            path=str(p),
        ) from exc
    edges, lengths = [], []
    for u, v, data in graph.edges(data=True):
        edges.append((index[u], index[v]))
        raw = data.get("length")
        lengths.append(float(raw) if raw is not None else math.nan)
    src_crs = CRS.from_user_input(graph.graph.get("crs") or crs or CRS_WEB)
    return (
        xy.reshape(-1, 2),
        np.array(edges, dtype=int).reshape(-1, 2),
        np.array(lengths, dtype=float),
        bool(graph.is_directed()),
        src_crs,
    )


def _read_edge_layer(p: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, CRS]:
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # pyogrio raises several unrelated types
        raise InputFileError(f"cannot read the street layer: {exc}", path=str(p)) from exc
    if gdf.crs is None:
        raise InputFileError("the street layer has no CRS; save it with one", path=str(p))
    gdf = gdf.explode(index_parts=False)
    gdf = gdf[gdf.geom_type == "LineString"]
    metric = _metric_crs(gdf) if len(gdf) else CRS.from_user_input(gdf.crs)
    gdf = gdf.to_crs(metric)
    keys: dict[tuple[float, float], int] = {}
    coords: list[tuple[float, float]] = []
    edges, lengths = [], []
    for geom in gdf.geometry:
        ends = []
        for x, y in (geom.coords[0][:2], geom.coords[-1][:2]):
            key = (round(x, 2), round(y, 2))
            if key not in keys:
                keys[key] = len(coords)
                coords.append((x, y))
            ends.append(keys[key])
        edges.append(tuple(ends))
        lengths.append(float(geom.length))
    return (
        np.array(coords, dtype=float).reshape(-1, 2),
        np.array(edges, dtype=int).reshape(-1, 2),
        np.array(lengths, dtype=float),
        False,
        metric,
    )


class _Legs:
    """Leg distances (metres) and leg geometries between a set of locations."""

    def __init__(
        self, xy: np.ndarray, *, detour_factor: float, network: StreetNetwork | None, directed: bool
    ) -> None:
        self.xy = xy
        self.network = network
        if network is None:
            diff = xy[:, None, :] - xy[None, :, :]
            self.dist_m = np.hypot(diff[..., 0], diff[..., 1]) * detour_factor
            return
        weights = network.weights
        if not directed:
            weights = weights.maximum(weights.T)
        _n_comp, labels = connected_components(weights, directed=directed, connection="weak")
        biggest = np.bincount(labels).argmax()
        keep = np.flatnonzero(labels == biggest)
        tree = cKDTree(network.node_xy[keep])
        snap_d, snap_i = tree.query(xy)
        self.snap_node = keep[snap_i]
        self.snap_d = snap_d
        dist, pred = dijkstra(
            weights, directed=directed, indices=self.snap_node, return_predecessors=True
        )
        self.pred = pred
        sub = dist[:, self.snap_node]
        self.dist_m = sub + snap_d[:, None] + snap_d[None, :]
        np.fill_diagonal(self.dist_m, 0.0)
        if not np.isfinite(self.dist_m).all():
            raise RouteInfeasibleError(
                f"some stops cannot be reached on the street network {network.source} "
                f"(one-way streets?); check the network or plan without it"
            )
        logger.info(
            "snapped %d locations to the network (largest snap %.0f m)",
            len(xy),
            float(snap_d.max()),
        )

    def path(self, a: int, b: int) -> list[tuple[float, float]]:
        """Return the coordinates walked from location ``a`` to location ``b``."""
        pa, pb = (
            (float(self.xy[a, 0]), float(self.xy[a, 1])),
            (float(self.xy[b, 0]), float(self.xy[b, 1])),
        )
        if self.network is None or a == b:
            return [pa, pb]
        src, dst = int(self.snap_node[a]), int(self.snap_node[b])
        nodes = [dst]
        while nodes[-1] != src:
            nodes.append(int(self.pred[a, nodes[-1]]))
        nodes.reverse()
        inner = [
            (float(self.network.node_xy[v, 0]), float(self.network.node_xy[v, 1])) for v in nodes
        ]
        return [pa, *inner, pb]


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Visit:
    """One solver node that is a visit (a candidate's first or second visit)."""

    cand: int
    visit: int
    priority: float
    must: bool
    window: tuple[float, float]
    base_priority: float


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
        Start of the shift; naive values are Europe/Prague local time.
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
    revisit_top_n
        Only the ``revisit_top_n`` candidates of highest priority (must-visits excepted) get a
        second-visit node; this keeps the model small enough to solve within seconds.
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
    ValueError
        If an option is out of range.
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
    _validate.require_positive(shift_minutes, name="shift_minutes")
    if not (dwell_minutes >= 0 and math.isfinite(dwell_minutes)):
        raise ValueError(f"dwell_minutes must be a finite number >= 0, got {dwell_minutes!r}")
    if mode not in DEFAULT_SPEED_KMH:
        raise ValueError(f"mode must be one of {sorted(DEFAULT_SPEED_KMH)}, got {mode!r}")
    if speed_kmh is None:
        speed_kmh = DEFAULT_SPEED_KMH[mode]
        logger.info("speed not given; using %.1f km/h for mode %r", speed_kmh, mode)
    _validate.require_positive(speed_kmh, name="speed_kmh")
    if not (detour_factor >= 1 and math.isfinite(detour_factor)):
        raise ValueError(f"detour_factor must be a finite number >= 1, got {detour_factor!r}")
    if max_stops is not None and (int(max_stops) != max_stops or max_stops < 1):
        raise ValueError(f"max_stops must be a whole number >= 1 or None, got {max_stops!r}")
    if revisit_interval_minutes is not None:
        _validate.require_positive(revisit_interval_minutes, name="revisit_interval_minutes")
    if not 0 <= revisit_value <= 1:
        raise ValueError(f"revisit_value must lie in [0, 1], got {revisit_value!r}")
    _validate.require_positive(coverage_radius_m, name="coverage_radius_m")
    _validate.require_positive(time_limit_s, name="time_limit_s")
    t0 = _as_shift_start(shift_start)
    end = start if end is None else end

    net: StreetNetwork | None
    net = load_network(network) if isinstance(network, str | Path) else network
    crs = net.crs if net is not None else _metric_crs(candidates)
    cand = candidates.to_crs(crs).reset_index(drop=True)
    ids = (
        cand["id"].astype(str)
        if "id" in cand.columns
        else pd.Series([f"c{i + 1}" for i in range(len(cand))], dtype="string")
    )
    names = (
        cand["name"].fillna("").astype(str)
        if "name" in cand.columns
        else pd.Series([""] * len(cand), dtype="string")
    )
    names = pd.Series([n if n else i for n, i in zip(names, ids, strict=True)], dtype="string")
    priority = pd.to_numeric(cand["priority"]).to_numpy(dtype=float)
    must = (
        cand["must_visit"].fillna(False).astype(bool).to_numpy()
        if "must_visit" in cand.columns
        else np.zeros(len(cand), dtype=bool)
    )
    horizon_s = math.floor(shift_minutes * 60)
    windows = []
    for i, (_, row) in enumerate(cand.iterrows()):
        lo, hi = (
            _window_seconds(row.get(col), shift_start=t0, horizon_s=horizon_s, row=i, col=col)
            for col in _WINDOW_COLS
        )
        lo_c = 0.0 if math.isnan(lo) else max(lo, 0.0)
        hi_c = float(horizon_s) if math.isnan(hi) else min(hi, float(horizon_s))
        if must[i] and lo_c > hi_c:
            shift_end = t0 + pd.Timedelta(seconds=horizon_s)
            shown = ["…" if pd.isna(row.get(c)) else str(row.get(c)) for c in _WINDOW_COLS]
            raise RouteInfeasibleError(
                f"must-visit place {names[i]!r} ({ids[i]}) has the time window "
                f"{shown[0]}–{shown[1]}, which does not "
                f"overlap the shift {t0:%d.%m.%Y %H:%M}–{shift_end:%H:%M}; "
                f"correct the window or the shift"
            )
        windows.append((lo_c, hi_c))

    sx, sy = _latlon_to_xy(start, crs, name="start")
    ex, ey = _latlon_to_xy(end, crs, name="end")
    xy = np.vstack(
        [
            [sx, sy],
            [ex, ey],
            np.column_stack([cand.geometry.x.to_numpy(), cand.geometry.y.to_numpy()]),
        ]
    )
    legs = _Legs(
        xy,
        detour_factor=detour_factor,
        network=net,
        directed=net is not None and net.directed and mode == "car",
    )
    speed_ms = speed_kmh / 3.6
    travel_loc = np.ceil(legs.dist_m / speed_ms - 1e-9).astype(np.int64)
    dwell_s = round(dwell_minutes * 60)
    if travel_loc[0, 1] > horizon_s:
        raise RouteInfeasibleError(
            f"going from start to end takes {travel_loc[0, 1] / 60:.0f} min, longer than the "
            f"{shift_minutes:g}-min shift; lengthen the shift or move the end point"
        )

    visits = [
        _Visit(i, 1, float(priority[i]), bool(must[i]), windows[i], float(priority[i]))
        for i in range(len(cand))
    ]
    revisit_s = None
    if revisit_interval_minutes is not None:
        revisit_s = math.ceil(revisit_interval_minutes * 60)
        if revisit_s + dwell_s <= horizon_s:
            top = [int(i) for i in np.argsort(-priority, kind="stable") if not must[i]]
            visits += [
                _Visit(
                    i, 2, float(priority[i]) * revisit_value, False, windows[i], float(priority[i])
                )
                for i in top[:revisit_top_n]
            ]
        else:
            logger.info(
                "revisit interval %s min does not fit the shift; no revisits",
                revisit_interval_minutes,
            )

    order, status = _solve_with_revisits(
        visits,
        n_first=len(cand),
        travel_loc=travel_loc,
        dwell_s=dwell_s,
        horizon_s=horizon_s,
        max_stops=max_stops,
        revisit_s=revisit_s,
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
    )
    chosen = [visits[k] for k in order]
    missing = [v.cand for v in visits if v.must and v not in chosen]
    missing_must = [str(ids[i]) for i in missing]
    if missing_must:
        raise RouteInfeasibleError(
            f"must-visit place(s) {missing_must} ({', '.join(str(names[i]) for i in missing)}) "
            f"cannot be fitted into the shift "
            f"({shift_minutes:g} min, dwell {dwell_minutes:g} min, {speed_kmh:g} km/h) with "
            f"their time windows; lengthen the shift, widen the windows or drop must_visit"
        )
    params: dict[str, Any] = {
        "method": "ortools-routing prize-collecting VRP with time dimension",
        "shift_start": t0.isoformat(),
        "shift_minutes": float(shift_minutes),
        "dwell_minutes": float(dwell_minutes),
        "mode": mode,
        "speed_kmh": float(speed_kmh),
        "detour_factor": None if net is not None else float(detour_factor),
        "network": net.source if net is not None else None,
        "max_stops": None if max_stops is None else int(max_stops),
        "revisit_interval_minutes": revisit_interval_minutes,
        "revisit_value": revisit_value,
        "coverage_radius_m": float(coverage_radius_m),
        "time_limit_s": float(time_limit_s),
        "solution_limit": int(solution_limit),
        "solver_status": status,
        "crs": crs.to_string(),
        "start": [float(start[0]), float(start[1])],
        "end": [float(end[0]), float(end[1])],
    }
    return _assemble(
        chosen,
        cand=cand,
        ids=ids,
        names=names,
        legs=legs,
        travel_loc=travel_loc,
        dwell_s=dwell_s,
        horizon_s=horizon_s,
        revisit_s=revisit_s,
        t0=t0,
        crs=crs,
        priority_available=float(priority.sum()),
        demand=demand,
        demand_col=demand_col,
        params=params,
    )


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
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n_visits = len(visits)
    if n_visits == 0:
        return [], "no candidates"
    loc = np.array([0, 1, *[v.cand + 2 for v in visits]])
    travel = travel_loc[np.ix_(loc, loc)]
    service = np.array([0, 0, *[dwell_s] * n_visits], dtype=np.int64)
    manager = pywrapcp.RoutingIndexManager(n_visits + 2, 1, [0], [1])
    routing = pywrapcp.RoutingModel(manager)
    travel_cb = routing.RegisterTransitMatrix(travel.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(travel_cb)
    time_cb = routing.RegisterTransitMatrix((travel + service[:, None]).tolist())
    routing.AddDimension(time_cb, horizon_s, horizon_s, True, "time")
    time_dim = routing.GetDimensionOrDie("time")
    if max_stops is not None:
        count_cb = routing.RegisterUnaryTransitVector([0, 0, *[1] * n_visits])
        routing.AddDimension(count_cb, 0, int(max_stops), True, "stops")

    top = max((v.priority for v in visits), default=0.0)
    weight = horizon_s + 1  # one priority unit outweighs any total travel time
    penalties = [
        round(v.priority / top * _PRIORITY_RESOLUTION) * weight if top > 0 else 0 for v in visits
    ]
    must_penalty = (sum(penalties) + weight) * 2
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
    began = time.perf_counter()
    if initial is not None:
        route = [manager.NodeToIndex(int(k) + 2) for k in initial]
        start = routing.ReadAssignmentFromRoutes([route], True)
        solution = routing.SolveFromAssignmentWithParameters(start, params) if start else None
    else:
        solution = routing.SolveWithParameters(params)
    elapsed = time.perf_counter() - began
    stopped_by = "time limit" if elapsed >= 0.95 * time_limit_s else "solution limit"
    status = f"{_STATUS.get(int(routing.status()), str(routing.status()))}; {stopped_by}"
    logger.info("OR-Tools: %s after %.2f s", status, elapsed)
    if solution is None:
        # every candidate is optional, so this means the must-visits cannot all be fitted
        return [], status
    order = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node >= 2:
            order.append(node - 2)
        index = solution.Value(routing.NextVar(index))
    return order, status


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


def _assemble(
    chosen: Sequence[_Visit],
    *,
    cand: gpd.GeoDataFrame,
    ids: pd.Series,
    names: pd.Series,
    legs: _Legs,
    travel_loc: np.ndarray,
    dwell_s: int,
    horizon_s: int,
    revisit_s: int | None,
    t0: pd.Timestamp,
    crs: CRS,
    priority_available: float,
    demand: gpd.GeoDataFrame | None,
    demand_col: str,
    params: dict[str, Any],
) -> Route:
    """Build the earliest schedule for the chosen order and the route's frames and totals."""
    rows: list[dict[str, Any]] = []
    t = 0  # seconds after the shift start
    prev = 0  # location index (0 = start)
    first_start: dict[int, int] = {}
    path: list[tuple[float, float]] = []
    distance = 0.0
    travel_total = wait_total = 0
    for order, v in enumerate(_relabel(chosen), start=1):
        loc = v.cand + 2
        arrive = t + int(travel_loc[prev, loc])
        begin = max(arrive, math.ceil(v.window[0]))
        if v.visit == 2 and revisit_s is not None:
            begin = max(begin, first_start[v.cand] + revisit_s)
        first_start.setdefault(v.cand, begin)
        depart = begin + dwell_s
        leg = float(legs.dist_m[prev, loc])
        rows.append(
            {
                "order": order,
                "id": str(ids[v.cand]),
                "name": str(names[v.cand]),
                "visit": v.visit,
                "arrive": t0 + pd.Timedelta(seconds=arrive),
                "depart": t0 + pd.Timedelta(seconds=depart),
                "wait_min": (begin - arrive) / 60,
                "dwell_min": dwell_s / 60,
                "priority": v.priority,
                "must_visit": v.must,
                "leg_distance_m": round(leg, 1),
                "geometry": cand.geometry.iloc[v.cand],
            }
        )
        path.extend(legs.path(prev, loc)[(1 if path else 0) :])
        distance += leg
        travel_total += int(travel_loc[prev, loc])
        wait_total += begin - arrive
        t, prev = depart, loc
    end_arrive = t + int(travel_loc[prev, 1])
    if end_arrive > horizon_s:  # cannot happen: the solver's schedule is never earlier
        raise RouteInfeasibleError(f"internal error: the route ends {end_arrive} s > {horizon_s} s")
    path.extend(legs.path(prev, 1)[(1 if path else 0) :])
    distance += float(legs.dist_m[prev, 1])
    travel_total += int(travel_loc[prev, 1])

    stops = gpd.GeoDataFrame(rows, columns=list(STOP_COLUMNS), geometry="geometry", crs=crs)
    if len(stops):
        web = stops.geometry.to_crs(CRS_WEB)
        stops["lat"], stops["lon"] = web.y.to_numpy(), web.x.to_numpy()
    stops = stops.astype(
        {
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
    )
    stops["id"] = stops["id"].astype("string")
    stops["name"] = stops["name"].astype("string")
    for col in ("arrive", "depart"):
        stops[col] = (
            pd.to_datetime(stops[col]).dt.tz_convert(TIMEZONE)
            if len(stops)
            else pd.Series([], dtype=f"datetime64[ns, {TIMEZONE}]")
        )
    if len(path) < 2:
        path = [path[0], path[0]] if path else [(0.0, 0.0), (0.0, 0.0)]
    line = gpd.GeoDataFrame(
        {"distance_m": [round(distance, 1)]}, geometry=[LineString(path)], crs=crs
    )
    to_web = Transformer.from_crs(crs, CRS_WEB, always_xy=True)
    slon, slat = to_web.transform(*legs.xy[0])
    elon, elat = to_web.transform(*legs.xy[1])
    coverage = _coverage_share(
        stops,
        cand=cand,
        demand=demand,
        demand_col=demand_col,
        radius_m=float(params["coverage_radius_m"]),
        crs=crs,
    )
    visited = set(stops["id"].tolist())
    collected = float(stops["priority"].sum()) if len(stops) else 0.0
    totals = {
        "distance_m": round(distance, 1),
        "duration_min": round(end_arrive / 60, 2),
        "travel_min": round(travel_total / 60, 2),
        "dwell_min": round(len(stops) * dwell_s / 60, 2),
        "wait_min": round(wait_total / 60, 2),
        "priority_collected": collected,
        "priority_available": priority_available,
        "n_stops": len(stops),
        "coverage_share": coverage,
        "coverage_radius_m": float(params["coverage_radius_m"]),
        "shift_start": t0.isoformat(),
        "shift_end": (t0 + pd.Timedelta(seconds=horizon_s)).isoformat(),
    }
    logger.info(
        "route: %d stops, %.0f m, %.1f min, priority %.3f of %.3f",
        len(stops),
        distance,
        end_arrive / 60,
        collected,
        priority_available,
    )
    stops.attrs["params"] = dict(params)
    return Route(
        stops=stops,
        line=line,
        start=Waypoint(float(slat), float(slon), t0, "start"),
        end=Waypoint(float(elat), float(elon), t0 + pd.Timedelta(seconds=end_arrive), "end"),
        totals=totals,
        params=params,
        not_visited=tuple(i for i in ids.tolist() if str(i) not in visited),
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


# --------------------------------------------------------------------------------------------
# Candidates for a shift
# --------------------------------------------------------------------------------------------
#: Pseudo-count added to each of the 168 weekday × hour slots of the city-wide profile.
_PROFILE_PSEUDOCOUNT: Final = 0.5
_SLOTS: Final = 7 * 24


def _shift_slots(t0: pd.Timestamp, shift_minutes: float) -> np.ndarray:
    """Return, per weekday × hour slot (Monday 0–1 h = 0), the share of it the shift covers."""
    cover = np.zeros(_SLOTS)
    end = t0 + pd.Timedelta(minutes=shift_minutes)
    cur = t0
    while cur < end:
        nxt = min(cur.floor("h") + pd.Timedelta(hours=1), end)
        cover[cur.day_of_week * 24 + cur.hour] += (nxt - cur) / pd.Timedelta(hours=1)
        cur = nxt
    return cover


def shift_expected(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    recent_weeks: float = 8.0,
    prior_strength: float = 5.0,
    spatial: Literal["forecast", "counts"] = "forecast",
    time_col: str = "reported_at",
) -> gpd.GeoDataFrame:
    """Return the expected number of incidents in every cell during one shift.

    Only incidents before ``shift_start`` are used, each weighted by
    ``w = 0.5 ** (age_weeks / recent_weeks)`` (``recent_weeks`` is the half-life). Then

    * ``weekly_rate`` – expected incidents per week in the cell: the decay-weighted count over
      the decay-weighted length of the history, ``sum(w) / E`` with
      ``E = h / ln 2 * (1 - 0.5 ** (T / h))`` (``T`` the history span in weeks, ``h`` the
      half-life). With ``spatial="forecast"`` the city total of this rate is shared among the
      cells in proportion to :func:`apk_geo.forecast.forecast`'s ``expected_n`` (blend of
      counts and a KDE, tuned on the history); with ``"counts"`` each cell keeps its own rate.
    * ``shift_share`` – the share of the cell's week that falls in the shift's weekday × hour
      slots, from a 168-slot profile of its weighted incidents shrunk towards the city-wide
      profile: ``p_cell(s) = (W_cell(s) + k * P(s)) / (W_cell + k)``, ``k = prior_strength``,
      ``P(s) = (W(s) + 0.5) / (W + 84)``; slots the shift covers only in part count in part.
    * ``expected_shift = weekly_rate * shift_share``.

    Parameters
    ----------
    incidents
        Incident points in a projected CRS with a datetime column ``time_col``
        (naive values are Europe/Prague local time).
    cells
        Grid cells (``cell_id``, polygons) in the same CRS, e.g. from ``grid.make_grid``.
    shift_start
        Start of the shift; naive values are Europe/Prague local time.
    shift_minutes
        Length of the shift.
    recent_weeks
        Half-life of the incident weights, in weeks.
    prior_strength
        Weight (in decay-weighted incidents) of the city-wide profile in each cell's profile.
    spatial
        Where the spatial distribution comes from (see above).
    time_col
        Name of the incident time column.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with float columns ``weekly_rate``, ``shift_share`` (in [0, 1]) and
        ``expected_shift``; ``attrs["params"]`` records every option, the effective number of
        weeks and the number of incidents used.

    Raises
    ------
    CRSError
        If a CRS is missing, geographic or differs between the inputs.
    SchemaError
        If a column is missing.
    InsufficientDataError
        If no incident before the shift falls in the cells.
    """
    from apk_geo import grid

    _validate.require_projected(incidents, name="incidents")
    _validate.require_same_crs(incidents, cells, names=("incidents", "cells"))
    _validate.require_columns(incidents, [time_col], name="incidents")
    _validate.require_columns(cells, ["cell_id"], name="cells")
    _validate.require_positive(shift_minutes, name="shift_minutes")
    _validate.require_positive(recent_weeks, name="recent_weeks")
    if not prior_strength >= 0:
        raise ValueError(f"prior_strength must be >= 0, got {prior_strength!r}")
    if spatial not in ("forecast", "counts"):
        raise ValueError(f"spatial must be 'forecast' or 'counts', got {spatial!r}")
    t0 = _as_shift_start(shift_start)
    times = pd.to_datetime(incidents[time_col])
    if times.dt.tz is None:
        times = times.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="shift_forward")
    times = times.dt.tz_convert(TIMEZONE)
    geom = incidents.geometry
    keep = (~(geom.isna() | geom.is_empty) & times.notna() & (times < t0)).to_numpy(dtype=bool)
    pts = incidents.loc[keep]
    pos_of = pd.Series(np.arange(len(cells)), index=cells["cell_id"].to_numpy())
    cell_ids = grid.assign_cells(cells, pts) if len(pts) else np.array([], dtype=np.int64)
    inside = cell_ids >= 0
    if not inside.any():
        raise InsufficientDataError(
            f"no incident before the shift start {t0} falls inside the {len(cells)} cells "
            f"({int(keep.sum())} incident(s) before it); import incidents or enlarge the grid"
        )
    pos = pos_of.reindex(cell_ids[inside].tolist()).to_numpy(dtype=np.int64)
    t_in = times[keep][inside]
    age_w = ((t0 - t_in) / pd.Timedelta(weeks=1)).to_numpy(dtype=float)
    w = 0.5 ** (age_w / recent_weeks)
    span_w = float(age_w.max())
    eff_weeks = recent_weeks / math.log(2) * (1 - 0.5 ** (span_w / recent_weeks))
    n = len(cells)
    cell_w = np.bincount(pos, weights=w, minlength=n)
    total_rate = float(w.sum()) / eff_weeks
    if spatial == "forecast":
        from apk_geo import forecast as fc

        risk = fc.forecast(pts.loc[inside], cells, at=t0, time_col=time_col)
        share = risk["expected_n"].to_numpy(dtype=float)
        share = share / share.sum() if share.sum() > 0 else cell_w / cell_w.sum()
        weekly = total_rate * share
    else:
        weekly = cell_w / eff_weeks
    slot = (t_in.dt.day_of_week * 24 + t_in.dt.hour).to_numpy(dtype=np.int64)
    city = (np.bincount(slot, weights=w, minlength=_SLOTS) + _PROFILE_PSEUDOCOUNT) / (
        w.sum() + _SLOTS * _PROFILE_PSEUDOCOUNT
    )
    cover = _shift_slots(t0, shift_minutes)
    cell_slot = sparse.coo_matrix((w, (pos, slot)), shape=(n, _SLOTS)).tocsr()
    with np.errstate(invalid="ignore", divide="ignore"):
        num = np.asarray(cell_slot @ cover).ravel() + prior_strength * float(city @ cover)
        den = cell_w + prior_strength
        share_shift = np.where(den > 0, num / np.where(den > 0, den, 1.0), float(city @ cover))
    out = cells.copy()
    out["weekly_rate"] = weekly
    out["shift_share"] = np.clip(share_shift, 0.0, 1.0)
    out["expected_shift"] = out["weekly_rate"] * out["shift_share"]
    params = {
        "method": "decay-weighted weekly rate x shrunk weekday-hour profile",
        "shift_start": t0.isoformat(),
        "shift_minutes": float(shift_minutes),
        "recent_weeks": float(recent_weeks),
        "prior_strength": float(prior_strength),
        "spatial": spatial,
        "n_incidents": int(inside.sum()),
        "history_weeks": span_w,
        "effective_weeks": eff_weeks,
        "weekly_rate_total": total_rate,
        "expected_total": float(out["expected_shift"].sum()),
    }
    logger.info(
        "shift %s + %g min: %.2f expected incidents in %d cells (%d incidents, half-life %g weeks)",
        t0,
        shift_minutes,
        params["expected_total"],
        n,
        params["n_incidents"],
        recent_weeks,
    )
    out.attrs["params"] = params
    return out


def shift_candidates(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    recent_weeks: float = 8.0,
    top_n: int = 50,
    prior_strength: float = 5.0,
    spatial: Literal["forecast", "counts"] = "forecast",
    time_col: str = "reported_at",
) -> gpd.GeoDataFrame:
    """Return the ``top_n`` cells with the most expected incidents in a shift, as candidates.

    Parameters
    ----------
    incidents, cells, shift_start, shift_minutes, recent_weeks, prior_strength, spatial, time_col
        As in :func:`shift_expected`.
    top_n
        Number of candidates (cells with no expected incident are never candidates).

    Returns
    -------
    geopandas.GeoDataFrame
        Points at the cell centroids, highest priority first, columns ``id`` (``"cell-<id>"``),
        ``name`` (the most frequent ``district_name`` of the cell's incidents when known, and
        the cell id), ``priority`` (= ``expected_shift``), ``cell_id``, ``weekly_rate``,
        ``shift_share``, ``expected_shift``; CRS of the cells. ``attrs["params"]`` is that of
        :func:`shift_expected` plus ``top_n``; ``expected_total`` there covers all cells.
    """
    exp = shift_expected(
        incidents,
        cells,
        shift_start=shift_start,
        shift_minutes=shift_minutes,
        recent_weeks=recent_weeks,
        prior_strength=prior_strength,
        spatial=spatial,
        time_col=time_col,
    )
    return top_candidates(exp, top_n=top_n, incidents=incidents)


def candidates_for_shift(
    incidents: gpd.GeoDataFrame,
    *,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    area: gpd.GeoDataFrame | None = None,
    cell_size_m: float = 150.0,
    recent_weeks: float = 8.0,
    top_n: int = 50,
    context: Any | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Grid the study area and return the shift's candidates and expected incidents per cell.

    Parameters
    ----------
    incidents
        Incident points in a projected CRS with ``reported_at``; located ones are used.
    shift_start, shift_minutes, recent_weeks, top_n
        As in :func:`shift_candidates`.
    area
        Study area (e.g. the city); default the incidents' convex hull plus one cell.
    cell_size_m
        Grid cell size.
    context, districts
        As in :func:`top_candidates`: readable candidate names.

    Returns
    -------
    tuple of geopandas.GeoDataFrame
        ``(candidates, expected)``: the :func:`top_candidates` points and the
        :func:`shift_expected` cells (use them as ``demand`` in :func:`plan_route`).
    """
    from apk_geo import grid

    located = incidents.loc[~(incidents.geometry.isna() | incidents.geometry.is_empty)]
    if len(located) == 0:
        raise InsufficientDataError("no located incident; import or geocode incidents first")
    region = grid.study_area(located, cell_size_m=cell_size_m, area=area)
    cells = grid.make_grid(region, cell_size_m=cell_size_m)
    expected = shift_expected(
        located,
        cells,
        shift_start=shift_start,
        shift_minutes=shift_minutes,
        recent_weeks=recent_weeks,
    )
    candidates = top_candidates(
        expected, top_n=top_n, incidents=located, context=context, districts=districts
    )
    return candidates, expected


def _candidate_name(label: str | None, cell_id: int) -> str:
    """Return ``"<label> · <cell id>"`` (the id tells neighbouring cells apart), never twice."""
    if label is None:
        return f"cell {cell_id}"
    return label if label.endswith(f" {cell_id}") else f"{label} · {cell_id}"


def top_candidates(
    expected: gpd.GeoDataFrame,
    *,
    top_n: int = 50,
    incidents: gpd.GeoDataFrame | None = None,
    context: Any | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return the ``top_n`` cells of :func:`shift_expected`'s result as candidate points.

    Parameters
    ----------
    expected
        Output of :func:`shift_expected` (``cell_id``, ``expected_shift``, ...).
    top_n
        Number of candidates (cells with no expected incident are never candidates).
    incidents
        When given with a ``district_name`` column (and no ``context``/``districts``), names
        the candidates by district.
    context, districts
        Context layers (``svl``, ``hostels``, ``stops``) and district polygons: when either is
        given, candidates get readable names (:func:`apk_geo.labels.place_labels`).

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`shift_candidates`.
    """
    if int(top_n) != top_n or top_n < 1:
        raise ValueError(f"top_n must be a whole number >= 1, got {top_n!r}")
    _validate.require_columns(
        expected, ["cell_id", "expected_shift", "weekly_rate", "shift_share"], name="expected"
    )
    exp, cells = expected, expected
    ranked = (
        exp[exp["expected_shift"] > 0]
        .sort_values(["expected_shift", "cell_id"], ascending=[False, True], kind="stable")
        .head(int(top_n))
    )
    names: dict[Any, str] = {}
    if (context is not None or districts is not None) and len(ranked):
        from apk_geo.labels import place_labels

        cell_ids = [int(c) for c in ranked["cell_id"]]
        labels = place_labels(ranked, context=context, districts=districts, ids=cell_ids)
        names = dict(zip(cell_ids, labels, strict=True))
    elif incidents is not None and "district_name" in incidents.columns and len(ranked):
        from apk_geo import grid

        geo = incidents[~(incidents.geometry.isna() | incidents.geometry.is_empty)]
        ids = grid.assign_cells(cells, geo)
        dist = pd.DataFrame({"cell_id": ids, "d": geo["district_name"].astype("string")})
        dist = dist[(dist["cell_id"] >= 0) & dist["d"].notna()]
        if len(dist):
            top = dist.groupby("cell_id")["d"].agg(lambda s: s.value_counts().index[0])
            names = {int(str(k)): str(v) for k, v in top.items()}
    out = gpd.GeoDataFrame(
        {
            "id": [f"cell-{c}" for c in ranked["cell_id"]],
            "name": [_candidate_name(names.get(int(c)), int(c)) for c in ranked["cell_id"]],
            "priority": ranked["expected_shift"].to_numpy(dtype=float),
            "cell_id": ranked["cell_id"].to_numpy(),
            "weekly_rate": ranked["weekly_rate"].to_numpy(dtype=float),
            "shift_share": ranked["shift_share"].to_numpy(dtype=float),
            "expected_shift": ranked["expected_shift"].to_numpy(dtype=float),
        },
        geometry=ranked.geometry.centroid.to_numpy(),
        crs=cells.crs,
    )
    out["id"] = out["id"].astype("string")
    out["name"] = out["name"].astype("string")
    out.attrs["params"] = {**exp.attrs.get("params", {}), "top_n": int(top_n)}
    return out


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------
def _iso(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).tz_convert(TIMEZONE).isoformat()


def route_to_json(route: Route) -> dict[str, Any]:
    """Return the route as a JSON-serialisable dict.

    Returns
    -------
    dict
        ``{"version": 1, "shift": {start, end, minutes}, "start": {lat, lon, depart},
        "end": {lat, lon, arrive}, "stops": [{order, id, name, visit, arrive, depart, wait_min,
        dwell_min, priority, must_visit, leg_distance_m, lat, lon}], "totals": {...},
        "not_visited": [...], "params": {...}}``; times are ISO 8601 with the UTC offset.
    """
    stops = []
    for row in route.stops.itertuples(index=False):
        stops.append(
            {
                "order": int(row.order),
                "id": str(row.id),
                "name": str(row.name),
                "visit": int(row.visit),
                "arrive": _iso(row.arrive),
                "depart": _iso(row.depart),
                "wait_min": float(row.wait_min),
                "dwell_min": float(row.dwell_min),
                "priority": float(row.priority),
                "must_visit": bool(row.must_visit),
                "leg_distance_m": float(row.leg_distance_m),
                "lat": round(float(row.lat), 7),
                "lon": round(float(row.lon), 7),
            }
        )
    return {
        "version": 1,
        "shift": {
            "start": route.totals["shift_start"],
            "end": route.totals["shift_end"],
            "minutes": route.params["shift_minutes"],
        },
        "start": {
            "lat": round(route.start.lat, 7),
            "lon": round(route.start.lon, 7),
            "depart": _iso(route.start.time),
        },
        "end": {
            "lat": round(route.end.lat, 7),
            "lon": round(route.end.lon, 7),
            "arrive": _iso(route.end.time),
        },
        "stops": stops,
        "totals": dict(route.totals),
        "not_visited": list(route.not_visited),
        "params": dict(route.params),
    }


def route_to_geojson(route: Route) -> dict[str, Any]:
    """Return the route as a GeoJSON FeatureCollection in EPSG:4326 for web maps.

    The first feature is the path (``kind = "route"``, LineString, ``distance_m``); then the
    start point (``kind = "start"``), the stops in order (``kind = "stop"``, ``order``, ``id``,
    ``name``, ``visit``, ``arrive``, ``depart``, ``priority``) and the end point
    (``kind = "end"``).
    """
    line = route.line.to_crs(CRS_WEB).geometry.iloc[0]
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {"kind": "route", "distance_m": float(route.totals["distance_m"])},
            "geometry": {
                "type": "LineString",
                "coordinates": [[round(x, 7), round(y, 7)] for x, y, *_ in line.coords],
            },
        }
    ]

    def point(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
        }

    features.append(
        point(route.start.lat, route.start.lon, {"kind": "start", "depart": _iso(route.start.time)})
    )
    for stop in route_to_json(route)["stops"]:
        props = {"kind": "stop", **{k: v for k, v in stop.items() if k not in ("lat", "lon")}}
        features.append(point(stop["lat"], stop["lon"], props))
    features.append(
        point(route.end.lat, route.end.lon, {"kind": "end", "arrive": _iso(route.end.time)})
    )
    return {"type": "FeatureCollection", "features": features}


def to_gpx(route: Route, *, name: str = "APK hlídka") -> str:
    """Return the route as a GPX 1.1 document (waypoints for the stops + the walked track).

    Waypoints carry the stop number and name (``<name>``), the arrival time (``<time>``, UTC)
    and a description with arrival, departure and priority; the start and end point are
    waypoints of ``<type>start</type>`` / ``<type>end</type>``. The track follows the path.
    """
    ET.register_namespace("", _GPX_NS)

    def q(tag: str) -> str:
        return f"{{{_GPX_NS}}}{tag}"

    def utc(ts: pd.Timestamp) -> str:
        return pd.Timestamp(ts).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")

    root = ET.Element(q("gpx"), {"version": "1.1", "creator": "apk-geo"})
    meta = ET.SubElement(root, q("metadata"))
    ET.SubElement(meta, q("name")).text = name
    ET.SubElement(meta, q("time")).text = utc(route.start.time)

    def wpt(lat: float, lon: float, when: pd.Timestamp, title: str, desc: str, kind: str) -> None:
        el = ET.SubElement(root, q("wpt"), {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"})
        ET.SubElement(el, q("time")).text = utc(when)
        ET.SubElement(el, q("name")).text = title
        ET.SubElement(el, q("desc")).text = desc
        ET.SubElement(el, q("type")).text = kind

    local = "%H:%M"
    wpt(
        route.start.lat,
        route.start.lon,
        route.start.time,
        "Start",
        f"odchod {route.start.time.strftime(local)}",
        "start",
    )
    for row in route.stops.itertuples(index=False):
        revisit = " (2. návštěva)" if int(row.visit) == 2 else ""
        wpt(
            float(row.lat),
            float(row.lon),
            row.arrive,
            f"{int(row.order)}. {row.name}{revisit}",
            f"příchod {row.arrive.strftime(local)}, odchod {row.depart.strftime(local)}, "
            f"priorita {float(row.priority):.3g}",
            "stop",
        )
    wpt(
        route.end.lat,
        route.end.lon,
        route.end.time,
        "Cíl",
        f"příchod {route.end.time.strftime(local)}",
        "end",
    )
    trk = ET.SubElement(root, q("trk"))
    ET.SubElement(trk, q("name")).text = name
    seg = ET.SubElement(trk, q("trkseg"))
    for x, y, *_ in route.line.to_crs(CRS_WEB).geometry.iloc[0].coords:
        ET.SubElement(seg, q("trkpt"), {"lat": f"{y:.7f}", "lon": f"{x:.7f}"})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


_SHEET_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "cs": {
        "title": "Trasa hlídky",
        "shift": "Směna",
        "start": "Start",
        "end": "Cíl",
        "order": "č.",
        "place": "Místo",
        "arrive": "Příchod",
        "depart": "Odchod",
        "wait": "Čekání",
        "priority": "Priorita",
        "leg": "Úsek",
        "distance": "Vzdálenost",
        "duration": "Trvání",
        "stops": "Zastávek",
        "collected": "Získaná priorita",
        "coverage": "Podíl očekávaných událostí do {r} m od zastávky",
        "revisit": "2. návštěva",
        "must": "povinné",
        "notes": "Poznámky",
        "generated": "Vytvořeno programem apk-geo",
        "min": "min",
        "signature": "Podpis mentora",
    },
    "en": {
        "title": "Patrol route",
        "shift": "Shift",
        "start": "Start",
        "end": "End",
        "order": "No.",
        "place": "Place",
        "arrive": "Arrive",
        "depart": "Depart",
        "wait": "Wait",
        "priority": "Priority",
        "leg": "Leg",
        "distance": "Distance",
        "duration": "Duration",
        "stops": "Stops",
        "collected": "Priority collected",
        "coverage": "Share of expected incidents within {r} m of a stop",
        "revisit": "revisit",
        "must": "must visit",
        "notes": "Notes",
        "generated": "Made with apk-geo",
        "min": "min",
        "signature": "Mentor's signature",
    },
}


def _route_svg(route: Route, *, width: int = 640, height: int = 420, pad: int = 24) -> str:
    """Return an inline SVG sketch of the route (path, numbered stops, start and end)."""
    line = route.line.geometry.iloc[0]
    xs = [c[0] for c in line.coords]
    ys = [c[1] for c in line.coords]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 1.0)
    scale = min(
        (width - 2 * pad) / max(x1 - x0, span * 1e-3),
        (height - 2 * pad) / max(y1 - y0, span * 1e-3),
    )

    def sx(x: float) -> float:
        return round(float(pad + (x - x0) * scale), 1)

    def sy(y: float) -> float:
        return round(float(height - pad - (y - y0) * scale), 1)

    pts = " ".join(f"{sx(x)},{sy(y)}" for x, y in zip(xs, ys, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="route">',
        f'<polyline points="{pts}" fill="none" stroke="#1f5fa8" stroke-width="3" '
        f'stroke-linejoin="round"/>',
    ]
    sbar = 10 ** math.floor(math.log10(span / 3)) if span > 3 else 1.0
    parts.append(
        f'<line x1="{pad}" y1="{height - 8}" x2="{pad + sbar * scale:.1f}" '
        f'y2="{height - 8}" stroke="#333" stroke-width="2"/>'
        f'<text x="{pad + sbar * scale + 4:.1f}" y="{height - 4}" font-size="11">'
        f"{sbar:g} m</text>"
    )
    for label, x, y in (("S", xs[0], ys[0]), ("C", xs[-1], ys[-1])):
        parts.append(
            f'<rect x="{sx(x) - 9}" y="{sy(y) - 9}" width="18" height="18" '
            f'fill="#222"/><text x="{sx(x)}" y="{sy(y) + 4}" font-size="11" '
            f'fill="#fff" text-anchor="middle">{label}</text>'
        )
    for row in route.stops.itertuples(index=False):
        px, py = sx(row.geometry.x), sy(row.geometry.y)
        fill = "#c0392b" if int(row.visit) == 1 else "#e67e22"
        parts.append(
            f'<circle cx="{px}" cy="{py}" r="10" fill="{fill}" stroke="#fff"/>'
            f'<text x="{px}" y="{py + 4}" font-size="11" fill="#fff" '
            f'text-anchor="middle">{int(row.order)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(route: Route, *, title: str | None = None, lang: Literal["cs", "en"] = "cs") -> str:
    """Return a printable, self-contained HTML route sheet (no external URLs).

    Parameters
    ----------
    route
        The planned route.
    title
        Heading; default "Trasa hlídky" / "Patrol route".
    lang
        Language of the labels.

    Returns
    -------
    str
        HTML with inline CSS and an inline SVG sketch of the route, the stop table with times,
        the totals and space for notes; every text from the data is HTML-escaped.
    """
    import jinja2

    if lang not in _SHEET_LABELS:
        raise ValueError(f"lang must be one of {sorted(_SHEET_LABELS)}, got {lang!r}")
    labels = _SHEET_LABELS[lang]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("apk_geo", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("route.html.j2")
    data = route_to_json(route)
    for stop in data["stops"]:
        stop["arrive_hm"] = pd.Timestamp(stop["arrive"]).strftime("%H:%M")
        stop["depart_hm"] = pd.Timestamp(stop["depart"]).strftime("%H:%M")
    cov = route.totals.get("coverage_share")
    return template.render(
        title=title or labels["title"],
        lang=lang,
        L=labels,
        data=data,
        shift_from=route.start.time.strftime("%d. %m. %Y %H:%M"),
        shift_to=pd.Timestamp(route.totals["shift_end"]).strftime("%H:%M"),
        end_hm=route.end.time.strftime("%H:%M"),
        coverage=None if cov is None else f"{100 * cov:.0f} %",
        coverage_label=labels["coverage"].format(r=f"{route.totals['coverage_radius_m']:g}"),
        svg=_route_svg(route),
    )
