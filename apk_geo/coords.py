"""Coordinate rules shared by reading, validation, geocoding and analysis.

* :func:`located_mask` / :func:`located` — the one definition of a "located" row (a non-missing,
  non-empty geometry); incidents that failed geocoding are kept in the store without one.
* :func:`metric_crs` — the one rule for the CRS to measure in: EPSG:5514 (S-JTSK / Krovak East
  North) when everything lies inside Czechia, otherwise the local UTM zone (optionally the layer's
  own CRS when it is already projected).
* :func:`resolve_coordinates` — the one rule for coordinates typed into an export: WGS84
  ``lat``/``lon`` or S-JTSK ``x``/``y`` (either sign convention) are placed inside the city extent
  (:func:`default_city_extent_5514`), fixing swapped axes and wrong signs, or rejected with a
  reason. :mod:`apk_geo.io` (validation) and :mod:`apk_geo.geocode` (pass-through) share it.
* :func:`transformer_to_wgs84` / :func:`transformer_to_5514` — the cached WGS 84 ↔ S-JTSK
  transformers.

This module sits below ``io`` and ``geocode``: it imports only the bottom tier (``errors``,
``schema``, ``config``) and numpy/pandas/geopandas/pyproj.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from apk_geo._strings_geo import note
from apk_geo.config import DATA_DIR
from apk_geo.errors import CRSError, GeocodingError, ParameterError
from apk_geo.schema import CRS_METRIC, CRS_WEB

__all__ = [
    "CITY_BOUNDARY_FILE",
    "CITY_EXTENT_MARGIN_M",
    "CZECHIA_BOUNDS_LONLAT",
    "Extent",
    "default_city_extent_5514",
    "located",
    "located_mask",
    "metric_crs",
    "resolve_coordinates",
    "transformer_to_5514",
    "transformer_to_wgs84",
]

logger = logging.getLogger(__name__)

#: Bounding box of Czechia in WGS 84 (min lon, min lat, max lon, max lat), slightly padded.
CZECHIA_BOUNDS_LONLAT: Final = (12.05, 48.50, 18.90, 51.10)

#: Boundary whose bounding box (plus :data:`CITY_EXTENT_MARGIN_M`) is the default city extent.
CITY_BOUNDARY_FILE: Final = DATA_DIR / "ostrava_obec_dissolved_wgs84.geojson"
#: Margin added around the city boundary's bounding box, in metres.
CITY_EXTENT_MARGIN_M: Final = 2_000.0

#: ``(min_x, min_y, max_x, max_y)`` in EPSG:5514 metres.
Extent = tuple[float, float, float, float]

_Frame = TypeVar("_Frame", gpd.GeoDataFrame, gpd.GeoSeries)


def located_mask(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> np.ndarray:
    """Return a boolean array: True where the row has a geometry that is not empty."""
    geom = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    return np.asarray(~(geom.isna().to_numpy() | geom.is_empty.to_numpy()), dtype=bool)


def located(gdf: _Frame) -> _Frame:
    """Return the rows of ``gdf`` that have a non-empty geometry (same columns, same index)."""
    return gdf[located_mask(gdf)]


def metric_crs(
    gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, keep_projected: bool = False, name: str = "points"
) -> CRS:
    """Return the metric CRS to analyse ``gdf`` in.

    Parameters
    ----------
    gdf
        Geometries with a CRS.
    keep_projected
        Return the layer's own CRS when it is already projected (the route planner keeps a city's
        own metric CRS); otherwise the rule below applies to every input.
    name
        What ``gdf`` is, for the error message.

    Returns
    -------
    pyproj.CRS
        EPSG:5514 when every located geometry lies inside Czechia, otherwise the local UTM zone.

    Raises
    ------
    CRSError
        If ``gdf`` has no CRS, or no located geometry to choose a UTM zone from.
    """
    if gdf.crs is None:
        raise CRSError(f"{name} have no CRS; set one with .set_crs(...) before projecting")
    crs = CRS.from_user_input(gdf.crs)
    if keep_projected and crs.is_projected:
        return crs
    lonlat = located(gdf).to_crs(CRS_WEB)
    if len(lonlat) == 0:
        raise CRSError(f"{name} have no located geometry to choose a metric CRS from")
    minx, miny, maxx, maxy = lonlat.total_bounds
    bx0, by0, bx1, by1 = CZECHIA_BOUNDS_LONLAT
    if minx >= bx0 and miny >= by0 and maxx <= bx1 and maxy <= by1:
        return CRS.from_user_input(CRS_METRIC)
    utm = lonlat.estimate_utm_crs()
    if utm is None:  # pragma: no cover - only for empty input, rejected above
        raise CRSError(f"cannot choose a UTM zone for {name}")
    logger.info("%s lie outside Czechia; measuring in %s", name, utm.to_string())
    return CRS.from_user_input(utm)


# ---------------------------------------------------------------------------------------------
# WGS 84 ↔ S-JTSK


@functools.cache
def transformer_to_wgs84() -> Transformer:
    """Return the (cached) transformer from EPSG:5514 metres to EPSG:4326 ``(lon, lat)``."""
    return Transformer.from_crs(CRS_METRIC, CRS_WEB, always_xy=True)


@functools.cache
def transformer_to_5514() -> Transformer:
    """Return the (cached) transformer from EPSG:4326 ``(lon, lat)`` to EPSG:5514 metres."""
    return Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)


# ---------------------------------------------------------------------------------------------
# City extent


@functools.cache
def default_city_extent_5514() -> Extent:
    """Return Ostrava's bounding box in EPSG:5514 plus :data:`CITY_EXTENT_MARGIN_M` (cached).

    Computed once from ``data/ostrava_obec_dissolved_wgs84.geojson``.

    Returns
    -------
    tuple of float
        ``(min_x, min_y, max_x, max_y)`` in metres.

    Raises
    ------
    GeocodingError
        If the boundary file cannot be read.
    """
    lonlat = _boundary_lonlat(CITY_BOUNDARY_FILE)
    ex, ny = transformer_to_5514().transform(lonlat[:, 0], lonlat[:, 1])
    m = CITY_EXTENT_MARGIN_M
    extent = (
        float(np.min(ex)) - m,
        float(np.min(ny)) - m,
        float(np.max(ex)) + m,
        float(np.max(ny)) + m,
    )
    logger.info(
        "default city extent (EPSG:5514, %.0f m margin): %s", m, tuple(round(v) for v in extent)
    )
    return extent


def _boundary_lonlat(path: Path) -> np.ndarray:
    """Every vertex of a GeoJSON file's features as an ``(n, 2)`` array of lon, lat."""
    try:
        geo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GeocodingError(
            f"cannot read the city boundary {path} for the default city extent "
            f"({exc}); pass city_extent_5514=(min_x, min_y, max_x, max_y)"
        ) from exc
    coords: list[list[float]] = []

    def _walk(node: object) -> None:
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            coords.append([float(node[0]), float(node[1])])
        elif isinstance(node, list):
            for item in node:
                _walk(item)

    for feature in geo.get("features", []):
        _walk(feature["geometry"]["coordinates"])
    return np.asarray(coords, dtype=float)


def _city_extent(city_extent_5514: Extent | None) -> Extent:
    """Return the extent to check coordinates against (the default one when ``None``)."""
    if city_extent_5514 is None:
        return default_city_extent_5514()
    extent = tuple(float(v) for v in city_extent_5514)
    if len(extent) != 4 or not (extent[0] < extent[2] and extent[1] < extent[3]):
        raise ParameterError(
            f"city_extent_5514 must be (min_x, min_y, max_x, max_y) with min < max, got "
            f"{city_extent_5514!r}"
        )
    return (extent[0], extent[1], extent[2], extent[3])


def _inside(x: np.ndarray, y: np.ndarray, extent: Extent) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])


# ---------------------------------------------------------------------------------------------
# Coordinate pass-through: swapped axes and wrong signs


def _numeric(values: pd.Series) -> np.ndarray:
    """A column of numbers or number text (decimal comma allowed) → float array, NaN if not."""
    if pd.api.types.is_numeric_dtype(values):
        return pd.to_numeric(values, errors="coerce").to_numpy(float)
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(",", ".", regex=False)
    return np.asarray(pd.to_numeric(text.mask(text == ""), errors="coerce"), dtype=float)


@dataclass
class _Coords:
    x: np.ndarray
    y: np.ndarray
    ok: np.ndarray
    reason: np.ndarray  # object: "" or why fixed/rejected

    @classmethod
    def empty(cls, n: int) -> _Coords:
        return cls(
            x=np.full(n, np.nan),
            y=np.full(n, np.nan),
            ok=np.zeros(n, dtype=bool),
            reason=np.full(n, "", dtype=object),
        )


def _pass_through(
    df: pd.DataFrame,
    *,
    lat_col: str,
    lon_col: str,
    x_col: str,
    y_col: str,
    extent: Extent,
) -> _Coords:
    """Use coordinates present in the input, fixing swapped axes and signs against ``extent``.

    WGS84 ``lat``/``lon`` are tried first; S-JTSK ``x``/``y`` place the rows still unplaced.
    """
    coords = _Coords.empty(len(df))
    if lat_col in df.columns and lon_col in df.columns:
        _place_lonlat(
            coords,
            _numeric(df[lat_col]),
            _numeric(df[lon_col]),
            lat_col=lat_col,
            lon_col=lon_col,
            extent=extent,
        )
    if x_col in df.columns and y_col in df.columns:
        _place_xy(
            coords,
            _numeric(df[x_col]),
            _numeric(df[y_col]),
            x_col=x_col,
            y_col=y_col,
            extent=extent,
        )
    return coords


def _place_lonlat(
    coords: _Coords,
    lat: np.ndarray,
    lon: np.ndarray,
    *,
    lat_col: str,
    lon_col: str,
    extent: Extent,
) -> None:
    """Place WGS84 pairs inside ``extent``: as given, swapped, then with the signs dropped."""
    given = np.isfinite(lat) & np.isfinite(lon)
    if not given.any():
        return
    idx = np.flatnonzero(given)
    la, lo = lat[idx], lon[idx]
    # (latitude, longitude, what was fixed)
    candidates = (
        (la, lo, ""),
        (lo, la, "geo.note.latlon_swapped"),
        (np.abs(la), np.abs(lo), "geo.note.latlon_signs"),
        (np.abs(lo), np.abs(la), "geo.note.latlon_swapped_signs"),
    )
    done = np.zeros(len(idx), dtype=bool)
    for cla, clo, fixed in candidates:
        plausible = ~done & (np.abs(cla) <= 90) & (np.abs(clo) <= 180)
        if not plausible.any():
            continue
        ex, ny = transformer_to_5514().transform(
            np.where(plausible, clo, 0.0), np.where(plausible, cla, 0.0)
        )
        ex, ny = np.asarray(ex), np.asarray(ny)
        hit = plausible & _inside(ex, ny, extent)
        coords.x[idx[hit]], coords.y[idx[hit]] = ex[hit], ny[hit]
        if fixed:
            coords.reason[idx[hit]] = [
                note(fixed, lat_col=lat_col, lon_col=lon_col, a=f"{a:g}", b=f"{b:g}")
                for a, b in zip(la[hit], lo[hit], strict=True)
            ]
        done |= hit
    coords.ok[idx[done]] = True
    bad = ~done
    coords.reason[idx[bad]] = [
        note("geo.note.outside", col1=lat_col, col2=lon_col, a=f"{a:g}", b=f"{b:g}")
        for a, b in zip(la[bad], lo[bad], strict=True)
    ]


def _place_xy(
    coords: _Coords,
    xv: np.ndarray,
    yv: np.ndarray,
    *,
    x_col: str,
    y_col: str,
    extent: Extent,
) -> None:
    """Place S-JTSK pairs (rows not placed yet) inside ``extent`` in either sign convention."""
    given = np.isfinite(xv) & np.isfinite(yv) & ~coords.ok
    if not given.any():
        return
    idx = np.flatnonzero(given)
    a, b = xv[idx], yv[idx]
    # (easting, northing, what was fixed)
    cols = {"x_col": x_col, "y_col": y_col}
    candidates = (
        (a, b, ""),
        (-a, -b, note("geo.note.xy_signs", **cols)),
        (b, a, note("geo.note.xy_swapped", **cols)),
        (-b, -a, note("geo.note.xy_czech", **cols)),
        (-np.abs(a), -np.abs(b), note("geo.note.xy_mixed", **cols)),
        (-np.abs(b), -np.abs(a), note("geo.note.xy_swapped_mixed", **cols)),
    )
    done = np.zeros(len(idx), dtype=bool)
    for cx, cy, why in candidates:
        hit = ~done & _inside(cx, cy, extent)
        coords.x[idx[hit]], coords.y[idx[hit]] = cx[hit], cy[hit]
        if why:
            coords.reason[idx[hit]] = why
        done |= hit
    coords.ok[idx[done]] = True
    rej = idx[~done]
    prior = coords.reason[rej]
    coords.reason[rej] = [
        (f"{p}; " if p else "")
        + note("geo.note.outside", col1=x_col, col2=y_col, a=f"{u:.10g}", b=f"{v:.10g}")
        for p, u, v in zip(prior, xv[rej], yv[rej], strict=True)
    ]


def resolve_coordinates(
    df: pd.DataFrame,
    *,
    city_extent_5514: Extent | None = None,
    lat_col: str = "lat",
    lon_col: str = "lon",
    x_col: str = "x",
    y_col: str = "y",
) -> pd.DataFrame:
    """Place the coordinates given in ``df`` inside the city extent, as geocoding does.

    WGS84 ``lat``/``lon`` are tried first, then S-JTSK ``x``/``y``; swapped axes and wrong signs
    (including the Czech positive S-JTSK convention) are fixed when that puts the point inside
    the extent, otherwise the pair is rejected. :func:`apk_geo.io.validate` uses this to
    quarantine rows whose only location is such a rejected pair, and
    :func:`apk_geo.geocode.geocode` to pass coordinates through, so that validation and
    geocoding agree on every row.

    Parameters
    ----------
    df
        Table with (some of) the coordinate columns; not modified. Missing columns count as
        not given.
    city_extent_5514
        ``(min_x, min_y, max_x, max_y)`` in EPSG:5514; ``None``: :func:`default_city_extent_5514`.
    lat_col, lon_col, x_col, y_col
        Input coordinate columns.

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``: ``x_5514``, ``y_5514`` (float, NaN unless placed), ``placed``
        (bool) and ``reason`` (str: what was fixed or why the coordinates were rejected, ``""``
        when nothing needed saying or no coordinates were given).

    Raises
    ------
    ParameterError
        If ``city_extent_5514`` is malformed (a ``ValueError``).

    Examples
    --------
    >>> out = resolve_coordinates(pd.DataFrame({"lat": [18.2893, 50.0875],
    ...                                         "lon": [49.8413, 14.4213]}))
    >>> out["placed"].tolist()
    [True, False]
    >>> out["reason"].iloc[0]
    'lat/lon swapped (given lat=18.2893, lon=49.8413); fixed'
    """
    coords = _pass_through(
        df,
        lat_col=lat_col,
        lon_col=lon_col,
        x_col=x_col,
        y_col=y_col,
        extent=_city_extent(city_extent_5514),
    )
    return pd.DataFrame(
        {
            "x_5514": np.where(coords.ok, coords.x, np.nan),
            "y_5514": np.where(coords.ok, coords.y, np.nan),
            "placed": coords.ok,
            "reason": pd.array(coords.reason, dtype="str"),
        },
        index=df.index,
    )
