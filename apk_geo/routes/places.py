"""Places of a patrol: start/end points, must-visit places, candidate layers and time windows.

* :func:`resolve_point` reads a point given as ``LAT,LON`` or as an address;
* :func:`parse_places` / :func:`add_places` turn short texts into must-visit candidates;
* :func:`read_candidates` reads a candidate layer and checks it with the planner's rules;
* the private helpers check a candidate layer, read its time windows (``"HH:MM"`` or ISO) as
  seconds after the shift start and project a ``(lat, lon)`` pair, for the solver.
"""

from __future__ import annotations

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

from apk_geo import _validate
from apk_geo.coords import located_mask
from apk_geo.errors import (
    GeocodingError,
    InputFileError,
    ParameterError,
    RouteInfeasibleError,
    SchemaError,
)
from apk_geo.schema import CRS_WEB
from apk_geo.times import as_timestamp

__all__ = ["add_places", "parse_places", "read_candidates", "resolve_point"]

#: Optional time-window columns of a candidate layer.
_WINDOW_COLS: Final = ("window_start", "window_end")
_WINDOW = re.compile(r"^\s*(\d{1,2}:\d{2})?\s*[-–]\s*(\d{1,2}:\d{2})?\s*$")
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")
_PLACE_FORMAT: Final = "'NAME | LAT,LON or address | HH:MM-HH:MM' (the time window is optional)"


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
        raise GeocodingError(f"must-visit place {spec!r}: expected {_PLACE_FORMAT}")
    window = _parse_window(spec, parts[2]) if len(parts) == 3 and parts[2] else (None, None)
    try:
        lat, lon = resolve_point(parts[1], gazetteer=gazetteer)
    except GeocodingError as exc:
        raise GeocodingError(f"must-visit place {spec!r}: {exc}") from exc
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
        raise GeocodingError(
            f"must-visit place {spec!r}: the time window {text!r} is not "
            "HH:MM-HH:MM (e.g. 07:30-07:50)"
        )
    return m.group(1), m.group(2)


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
    """The candidates as the solver reads them (row ``i`` is location ``i + 2`` of the legs).

    Attributes
    ----------
    frame
        The candidates in the plan's metric CRS, index ``0..n-1``.
    ids, names
        String ids (``"c1"``, … when the layer has none) and names (the id when empty).
    priority, must
        Float priorities and the boolean must-visit flags.
    windows
        ``(earliest, latest)`` start of each visit, in seconds after the shift start, clipped
        to the shift.
    """

    frame: gpd.GeoDataFrame
    ids: pd.Series
    names: pd.Series
    priority: np.ndarray
    must: np.ndarray
    windows: list[tuple[float, float]]


def _plan_candidates(
    candidates: gpd.GeoDataFrame, *, crs: CRS, shift_start: pd.Timestamp, horizon_s: int
) -> _PlanCandidates:
    """Return the candidates of a plan in ``crs`` with their ids, names and time windows.

    Raises
    ------
    SchemaError
        If a window value is neither ``"HH:MM"`` nor an ISO date-time.
    RouteInfeasibleError
        If a must-visit place's window does not overlap the shift.
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
    )


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
    x, y = Transformer.from_crs(CRS_WEB, crs, always_xy=True).transform(lon, lat)
    return float(x), float(y)
