"""Places of a patrol: start/end points, must-visit places, candidate layers and time windows.

* :func:`resolve_point` reads a point given as ``LAT,LON`` or as an address, and
  :func:`describe_point` names a point for the print sheet (the nearest address, else a
  landmark, else the coordinates in Czech notation);
* :func:`parse_places` / :func:`add_places` turn short texts into must-visit candidates; a
  must-visit place absorbs the candidates next to it (their priority adds up, its window stays);
* :func:`read_candidates` reads a candidate layer and checks it with the planner's rules;
* the private helpers check a candidate layer, read its time windows (``"HH:MM"`` or ISO) as
  seconds after the plan's origin, its dwell times, and project a ``(lat, lon)`` pair.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from shapely.geometry import Point

from apk_geo import _validate
from apk_geo.context import PlaceLayers
from apk_geo.coords import located_mask, metric_crs
from apk_geo.errors import (
    GeocodingError,
    InputFileError,
    ParameterError,
    RouteInfeasibleError,
    SchemaError,
)
from apk_geo.routes import _messages as msg
from apk_geo.schema import CRS_WEB
from apk_geo.times import as_timestamp

__all__ = ["add_places", "describe_point", "parse_places", "read_candidates", "resolve_point"]

#: Optional time-window columns of a candidate layer.
_WINDOW_COLS: Final = ("window_start", "window_end")
_WINDOW = re.compile(r"^\s*(\d{1,2}:\d{2})?\s*[-–]\s*(\d{1,2}:\d{2})?\s*$")
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")
#: Optional per-candidate dwell column (minutes), e.g. of a place merged from several cells.
DWELL_COL: Final = "dwell_min"
#: An address point further than this from a point does not name it, metres.
ADDRESS_RADIUS_M: Final = 80.0


# --------------------------------------------------------------------------------------------
# Points and must-visit places
# --------------------------------------------------------------------------------------------
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
            raise GeocodingError(msg.point_not_degrees(text))
        return lat, lon
    if gazetteer is None or len(gazetteer) == 0:
        raise GeocodingError(msg.point_needs_gazetteer(text))
    from apk_geo.geocode import geocode

    row = geocode(pd.DataFrame({"address": [text]}), gazetteer).iloc[0]
    if row["match"] == "failed" or pd.isna(row["lat"]):
        raise GeocodingError(msg.address_not_found(text, row.get("geocode_reason", "")))
    return float(row["lat"]), float(row["lon"])


def describe_point(
    lat: float,
    lon: float,
    *,
    addresses: pd.DataFrame | None = None,
    context: PlaceLayers | None = None,
    lang: str = "cs",
    radius_m: float = ADDRESS_RADIUS_M,
) -> str:
    """Return how a print sheet names a point: its address, else a landmark, else coordinates.

    Parameters
    ----------
    lat, lon
        WGS84 degrees.
    addresses
        Address points (:func:`apk_geo.geocode.load_ruian_csv` or a store's
        ``address_points``): the nearest one within ``radius_m`` names the point
        (``"30. dubna 635/35, Moravská Ostrava"``).
    context
        Context layers (``svl``, ``hostels``, ``stops``) for a landmark
        (:func:`apk_geo.labels.place_labels`) when no address is near.
    lang
        ``"cs"`` (decimal comma in the coordinates) or ``"en"``.
    radius_m
        Largest distance to the naming address point.

    Returns
    -------
    str
        The address, the landmark, or the coordinates (``"49,83530° s. š., 18,29200° v. d."``,
        in English ``"49.83530° N, 18.29200° E"``).

    Examples
    --------
    >>> describe_point(49.8353, 18.292)
    '49,83530° s. š., 18,29200° v. d.'
    """
    xy = _latlon_to_xy((lat, lon), CRS("EPSG:5514"), name="point")
    if addresses is not None and len(addresses):
        found = nearest_addresses(np.array([xy]), addresses, radius_m=radius_m, kind="address")
        if found[0]:
            return found[0]
    if context is not None:
        from apk_geo.labels import place_labels

        pts = gpd.GeoSeries([Point(*xy)], crs="EPSG:5514")
        label = place_labels(pts, context=context, ids=[""], lang=lang)[0]
        if label != place_labels(pts, ids=[""], lang=lang)[0]:
            return label
    return _coordinates_text(lat, lon, lang=lang)


def _coordinates_text(lat: float, lon: float, *, lang: str) -> str:
    """Return ``lat, lon`` in words of ``lang`` (Czech: decimal comma, "s. š.", "v. d.")."""
    if lang == "en":
        ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
        return f"{abs(lat):.5f}° {ns}, {abs(lon):.5f}° {ew}"
    ns, ew = ("s. š." if lat >= 0 else "j. š."), ("v. d." if lon >= 0 else "z. d.")
    lat_cs, lon_cs = (f"{abs(v):.5f}".replace(".", ",") for v in (lat, lon))
    return f"{lat_cs}° {ns}, {lon_cs}° {ew}"


def nearest_addresses(
    xy_5514: np.ndarray,
    addresses: pd.DataFrame,
    *,
    radius_m: float,
    kind: str = "address",
) -> list[str]:
    """Return per point the nearest address (``kind="address"``) or street (``"street"``).

    Parameters
    ----------
    xy_5514
        ``(n, 2)`` EPSG:5514 coordinates.
    addresses
        Address points with ``x_5514``, ``y_5514``, ``street``, ``house_no``, ``orient_no``,
        ``orient_letter`` and ``part`` (the gazetteer's columns; missing ones are skipped).
    radius_m
        Largest distance; farther points get ``""``.
    kind
        ``"address"`` (``"Hulvácká 1234/8, Zábřeh"``) or ``"street"`` (``"Hulvácká"``, the
        part of the town when the address has no street).
    """
    from scipy.spatial import cKDTree

    if len(addresses) == 0 or len(xy_5514) == 0 or not {"x_5514", "y_5514"} <= set(addresses):
        return [""] * len(xy_5514)
    ax = pd.to_numeric(addresses["x_5514"], errors="coerce").to_numpy(dtype=float)
    ay = pd.to_numeric(addresses["y_5514"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(ax) & np.isfinite(ay)
    if not ok.any():
        return [""] * len(xy_5514)
    rows = addresses.loc[ok].reset_index(drop=True)
    dist, idx = cKDTree(np.column_stack([ax[ok], ay[ok]])).query(np.asarray(xy_5514, dtype=float))
    out = []
    for d, i in zip(np.atleast_1d(dist), np.atleast_1d(idx), strict=True):
        out.append(_address_text(rows.iloc[int(i)], kind=kind) if d <= radius_m else "")
    return out


def _text_of(row: pd.Series, col: str) -> str:
    """Return a gazetteer field as text (``""`` when missing)."""
    value = row.get(col)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return text.removesuffix(".0") if col in ("house_no", "orient_no") else text


def _address_text(row: pd.Series, *, kind: str) -> str:
    """Return ``"Street 12/3, Part"`` (``kind="address"``) or the street (``"street"``)."""
    street, part = _text_of(row, "street"), _text_of(row, "part")
    if kind == "street":
        return street or part
    number = _text_of(row, "house_no")
    orient = _text_of(row, "orient_no")
    if orient:
        number = f"{number}/{orient}{_text_of(row, 'orient_letter')}"
    lead = " ".join(x for x in (street or part, number) if x)
    return f"{lead}, {part}" if street and part and part != street else lead


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
        if spec.strip():
            rows.append(_place_row(spec, number=len(rows) + 1, gazetteer=gazetteer))
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


def _place_row(spec: str, *, number: int, gazetteer: pd.DataFrame | None) -> dict[str, Any]:
    """Return one must-visit place of :func:`parse_places` as a row."""
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) not in (2, 3) or not parts[1]:
        raise GeocodingError(msg.must_visit_format(spec))
    window = _parse_window(spec, parts[2]) if len(parts) == 3 and parts[2] else (None, None)
    try:
        lat, lon = resolve_point(parts[1], gazetteer=gazetteer)
    except GeocodingError as exc:
        raise GeocodingError(msg.must_visit(spec, exc.args[0] if exc.args else exc)) from exc
    return {
        "id": f"must-{number}",
        "name": parts[0] or parts[1],
        "priority": 0.0,
        "must_visit": True,
        "window_start": window[0],
        "window_end": window[1],
        "lon": lon,
        "lat": lat,
    }


def _parse_window(spec: str, text: str) -> tuple[str | None, str | None]:
    """Return the ``(from, to)`` of a ``"HH:MM-HH:MM"`` window (either end may be missing)."""
    m = _WINDOW.match(text)
    if m is None or not (m.group(1) or m.group(2)):
        raise GeocodingError(msg.must_visit_window(spec, text))
    return m.group(1), m.group(2)


def add_places(
    candidates: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    merge_radius_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Return the candidates with must-visit ``places`` (:func:`parse_places`) appended.

    A candidate within ``merge_radius_m`` of a must-visit place is the same stop: it is removed
    and its priority is added to the place's, which keeps its own name and time window (the
    nearest place takes it when two are near). The result is in the candidates' CRS; columns
    missing on either side are left empty (``must_visit`` False for the candidates). Neither
    input is modified.

    Parameters
    ----------
    candidates
        Candidate points with ``priority``.
    places
        Must-visit places.
    merge_radius_m
        Distance within which a candidate joins a must-visit place; default the
        ``merge_radius_m`` recorded in ``candidates.attrs["params"]`` (hot cells merged into
        places), else :data:`~apk_geo.routes.model.DEFAULT_COVERAGE_RADIUS_M`; ``0`` merges
        nothing.

    Returns
    -------
    geopandas.GeoDataFrame
        The candidates, then the places; ``attrs["params"]["absorbed"]`` maps each place id to
        the candidate ids it absorbed.
    """
    _check_candidates(candidates)
    if len(places) == 0:
        return candidates
    _check_candidates(places)
    radius = _merge_radius(candidates, merge_radius_m)
    base = candidates.copy()
    if "must_visit" not in base.columns:
        base["must_visit"] = False
    extra = places.to_crs(base.crs).reset_index(drop=True)
    base, extra, absorbed = _absorb(base, extra, radius_m=radius)
    out = pd.concat([base, extra], ignore_index=True)
    out["must_visit"] = out["must_visit"].fillna(False).astype(bool)
    result = gpd.GeoDataFrame(out, geometry=base.geometry.name, crs=base.crs)
    result.attrs = dict(candidates.attrs)
    result.attrs["params"] = {**candidates.attrs.get("params", {}), "absorbed": absorbed}
    _check_candidates(result)
    return result


def _merge_radius(candidates: gpd.GeoDataFrame, merge_radius_m: float | None) -> float:
    """Return the radius within which a candidate joins a must-visit place."""
    from apk_geo.routes.model import DEFAULT_COVERAGE_RADIUS_M

    if merge_radius_m is None:
        recorded = candidates.attrs.get("params", {}).get("merge_radius_m")
        return float(recorded) if recorded else DEFAULT_COVERAGE_RADIUS_M
    if not (merge_radius_m >= 0 and math.isfinite(merge_radius_m)):
        raise ParameterError(f"merge_radius_m must be a finite number >= 0, got {merge_radius_m!r}")
    return float(merge_radius_m)


def _absorb(
    base: gpd.GeoDataFrame, extra: gpd.GeoDataFrame, *, radius_m: float
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, list[str]]]:
    """Move the priority of candidates near a must-visit place onto the place."""
    absorbed: dict[str, list[str]] = {}
    if radius_m <= 0 or len(base) == 0:
        return base, extra, absorbed
    metric = metric_crs(base, keep_projected=True, name="candidates")
    here, there = base.geometry.to_crs(metric), extra.geometry.to_crs(metric)
    cx, cy = here.x.to_numpy(), here.y.to_numpy()
    px, py = there.x.to_numpy(), there.y.to_numpy()
    dist = np.hypot(cx[:, None] - px[None, :], cy[:, None] - py[None, :])
    nearest = dist.argmin(axis=1)
    take = dist[np.arange(len(base)), nearest] <= radius_m
    take &= ~base["must_visit"].fillna(False).astype(bool).to_numpy()
    if not take.any():
        return base, extra, absorbed
    extra = extra.copy()
    prio = pd.to_numeric(base["priority"]).to_numpy(dtype=float)
    ids = base["id"].astype(str).to_numpy() if "id" in base.columns else base.index.astype(str)
    for place in np.unique(nearest[take]):
        rows = np.flatnonzero(take & (nearest == place))
        extra.loc[place, "priority"] = float(extra.loc[place, "priority"]) + float(prio[rows].sum())
        absorbed[str(extra.loc[place, "id"]) if "id" in extra.columns else str(place)] = [
            str(ids[r]) for r in rows
        ]
    return base.loc[~take], extra, absorbed


# --------------------------------------------------------------------------------------------
# Candidate layers
# --------------------------------------------------------------------------------------------
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
        :func:`~apk_geo.routes.plan_route`.

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
    """Validate a candidate layer (columns, geometry type, priority values, unique ids).

    Raises
    ------
    CRSError
        If the layer has no CRS.
    SchemaError
        If ``priority`` is missing or not a finite number >= 0, a geometry is empty or not a
        point, or an ``id`` repeats.
    InsufficientDataError
        If the layer is empty.
    """
    _validate.require_crs(candidates, name="candidates")
    _validate.require_columns(candidates, ["priority"], name="candidates")
    _validate.require_points(candidates, name="candidates")
    empty = ~located_mask(candidates)
    if empty.any():
        bad = [str(i) for i in candidates.index[empty]][:5]
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


@dataclass(frozen=True)
class _PlanCandidates:
    """The candidates as the solvers read them (row ``i`` is candidate ``i`` of the legs).

    Attributes
    ----------
    frame
        The candidates in the plan's metric CRS, index ``0..n-1``.
    ids, names
        String ids (``"c1"``, … when the layer has none) and names (the id when empty).
    priority, must
        Float priorities and the boolean must-visit flags.
    windows
        ``(earliest, latest)`` start of each visit, in seconds after the plan's origin, clipped
        to the plan's horizon.
    dwell_s
        Whole seconds at each stop: the candidate's ``dwell_min`` when it has one, else the
        plan's dwell.
    """

    frame: gpd.GeoDataFrame
    ids: pd.Series
    names: pd.Series
    priority: np.ndarray
    must: np.ndarray
    windows: list[tuple[float, float]]
    dwell_s: np.ndarray


def _plan_candidates(
    candidates: gpd.GeoDataFrame,
    *,
    crs: CRS,
    shift_start: pd.Timestamp,
    horizon_s: int,
    dwell_minutes: float,
) -> _PlanCandidates:
    """Return the candidates of a plan in ``crs`` with their ids, names, windows and dwells.

    Raises
    ------
    SchemaError
        If a window value is neither ``"HH:MM"`` nor an ISO date-time, or a dwell is negative.
    RouteInfeasibleError
        If a must-visit place's window does not overlap the plan's hours.
    """
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
    must = (
        cand["must_visit"].fillna(False).astype(bool).to_numpy()
        if "must_visit" in cand.columns
        else np.zeros(len(cand), dtype=bool)
    )
    windows = []
    for i, (_, row) in enumerate(cand.iterrows()):
        lo, hi = _window(row, i, shift_start=shift_start, horizon_s=horizon_s)
        if must[i] and lo > hi:
            raise _window_outside_shift(
                row, name=str(names[i]), id_=str(ids[i]), t0=shift_start, horizon_s=horizon_s
            )
        windows.append((lo, hi))
    return _PlanCandidates(
        frame=cand,
        ids=ids,
        names=names,
        priority=pd.to_numeric(cand["priority"]).to_numpy(dtype=float),
        must=must,
        windows=windows,
        dwell_s=_dwell_seconds(cand, dwell_minutes=dwell_minutes),
    )


def _dwell_seconds(cand: gpd.GeoDataFrame, *, dwell_minutes: float) -> np.ndarray:
    """Return each candidate's dwell in whole seconds (its ``dwell_min``, else the default)."""
    default = round(dwell_minutes * 60)
    if DWELL_COL not in cand.columns:
        return np.full(len(cand), default, dtype=np.int64)
    own = pd.to_numeric(cand[DWELL_COL], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isnan(own) & ~((own >= 0) & np.isfinite(own))
    if bad.any():
        raise SchemaError(
            f"candidates.{DWELL_COL} must be minutes >= 0; rows "
            f"{np.flatnonzero(bad)[:5].tolist()} hold {own[bad][:5].tolist()}"
        )
    secs: np.ndarray = np.rint(np.where(np.isnan(own), dwell_minutes, own) * 60).astype(np.int64)
    return secs


def _window(
    row: pd.Series, i: int, *, shift_start: pd.Timestamp, horizon_s: int
) -> tuple[float, float]:
    """Return a candidate's window in seconds after the shift start, clipped to the shift."""
    lo, hi = (
        _window_seconds(row.get(col), shift_start=shift_start, horizon_s=horizon_s, row=i, col=col)
        for col in _WINDOW_COLS
    )
    lo_c = 0.0 if math.isnan(lo) else max(lo, 0.0)
    hi_c = float(horizon_s) if math.isnan(hi) else min(hi, float(horizon_s))
    return lo_c, hi_c


def _window_outside_shift(
    row: pd.Series, *, name: str, id_: str, t0: pd.Timestamp, horizon_s: int
) -> RouteInfeasibleError:
    """Return the error for a must-visit place whose time window lies outside the shift."""
    shift_end = t0 + pd.Timedelta(seconds=horizon_s)
    shown = ["…" if pd.isna(row.get(c)) else str(row.get(c)) for c in _WINDOW_COLS]
    return RouteInfeasibleError(
        f"must-visit place {name!r} ({id_}) has the time window "
        f"{shown[0]}–{shown[1]}, which does not "
        f"overlap the shift {t0:%d.%m.%Y %H:%M}–{shift_end:%H:%M}; "
        f"correct the window or the shift"
    )


# --------------------------------------------------------------------------------------------
# Times and coordinates
# --------------------------------------------------------------------------------------------
def _as_shift_start(value: pd.Timestamp | datetime | str) -> pd.Timestamp:
    """Return ``value`` as a tz-aware Europe/Prague timestamp (naive values are local time).

    Raises
    ------
    ParameterError
        If ``value`` is not a date-time (see :func:`apk_geo.times.as_timestamp`).
    """
    return as_timestamp(value, name="shift_start")


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
            ts = _clock_time(text, shift_start=shift_start, horizon_s=horizon_s)
        else:
            ts = _as_shift_start(text)
    except (TypeError, ValueError) as exc:
        raise SchemaError(
            f"candidates.{col} at row {row!r} is {value!r}; expected 'HH:MM' or an ISO date-time"
        ) from exc
    return float((ts - shift_start).total_seconds())


def _clock_time(text: str, *, shift_start: pd.Timestamp, horizon_s: float) -> pd.Timestamp:
    """Return ``"HH:MM"`` on the shift's day, or the next day's if only that is in the shift."""
    hh, mm = text.split(":")
    if not (0 <= int(hh) <= 24 and 0 <= int(mm) < 60):
        raise ValueError(text)
    ts = shift_start.normalize() + pd.Timedelta(hours=int(hh), minutes=int(mm))
    next_day = ts + pd.Timedelta(days=1)
    if ts < shift_start and next_day <= shift_start + pd.Timedelta(seconds=horizon_s):
        ts = next_day
    return ts


def _latlon_to_xy(latlon: tuple[float, float], crs: CRS, *, name: str) -> tuple[float, float]:
    """Project a ``(lat, lon)`` pair to ``crs``.

    Raises
    ------
    ParameterError
        If ``latlon`` is not a pair of degrees (latitude first).
    """
    if len(latlon) != 2:
        raise ParameterError(f"{name} must be a (lat, lon) pair, got {latlon!r}")
    lat, lon = float(latlon[0]), float(latlon[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ParameterError(
            f"{name} = {latlon!r} is not a valid (lat, lon) in degrees; "
            f"give latitude first, e.g. (49.8353, 18.2920)"
        )
    x, y = _from_web(crs).transform(lon, lat)
    return float(x), float(y)


@functools.lru_cache(maxsize=16)
def _from_web(crs: CRS) -> Transformer:
    """Return the transformer from WGS84 to ``crs`` (made once: each costs about 30 ms)."""
    return Transformer.from_crs(CRS_WEB, crs, always_xy=True)
