"""Read incident points from any file and project them to a metric CRS.

The hotspot methods work on points in metres. :func:`read_points` accepts

* a CSV with ``lat``/``lon`` columns (WGS 84) or ``x``/``y`` columns plus an explicit CRS
  (header names are matched through :data:`apk_geo.schema.HEADER_ALIASES`, so Czech headers such
  as ``zeměpisná šířka`` work too), or
* any point file that geopandas reads (GeoPackage, GeoJSON, Shapefile, …), whatever its CRS —
  including US feet (the San Francisco files are in EPSG:2227).

Points are projected to EPSG:5514 (S-JTSK / Krovak East North) when they all lie inside Czechia,
otherwise to the local UTM zone chosen by :meth:`geopandas.GeoSeries.estimate_utm_crs`. A date
column, when present, becomes a ``reported_at`` datetime column.

:func:`distinct_incidents` collapses files that repeat an incident once per charge (SF police data
carry one row per charge with the same ``IncidntNum``), so that counts are counts of incidents.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from apk_geo import _validate
from apk_geo.coords import CZECHIA_BOUNDS_LONLAT, metric_crs
from apk_geo.errors import CRSError, InputFileError, SchemaError
from apk_geo.io import read_csv
from apk_geo.schema import CRS_METRIC, CRS_WEB, HEADER_ALIASES, TIMEZONE, fold

__all__ = ["CZECHIA_BOUNDS_LONLAT", "distinct_incidents", "metric_crs_for", "read_points"]

logger = logging.getLogger(__name__)

_CSV_SUFFIXES: Final = {".csv", ".txt", ".tsv"}
_XY_5514_HEADERS: Final = {"x_5514", "y_5514"}


def read_points(
    path: str | Path,
    *,
    crs: str | None = None,
    date_col: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a point file and return its points projected to a metric CRS.

    Parameters
    ----------
    path
        A CSV file (``,`` ``;`` or tab separated, UTF-8 or cp1250) with ``lat``/``lon`` or
        ``x``/``y`` columns, or any point file geopandas reads.
    crs
        CRS of the ``x``/``y`` columns of a CSV (e.g. ``"EPSG:5514"``). Needed for ``x``/``y``
        unless the headers are ``x_5514``/``y_5514``. For a CSV with ``lat``/``lon`` it must be
        a geographic CRS if given (default EPSG:4326). For other files it overrides only a
        missing CRS.
    date_col
        Name of the date/time column. By default the first column named like ``reported_at``,
        ``datum``/``date`` is used, combined with a ``čas``/``time`` text column when present.

    Returns
    -------
    geopandas.GeoDataFrame
        The file's columns and Point geometries in EPSG:5514 (inside Czechia) or a UTM zone,
        plus ``reported_at`` (datetime64; naive times of points in Czechia are read as
        Europe/Prague, other files keep their own zone) when a date column exists, and
        ``category`` copied from a column named like a category (e.g. SF ``Category``) when
        absent. Rows without a
        location are dropped (logged). ``attrs["params"]`` records the source CRS, the chosen
        CRS, the date column and the number of rows dropped.

    Raises
    ------
    InputFileError
        If the file is missing, unreadable or has no coordinate columns.
    CRSError
        If the CRS is missing where one is needed.
    SchemaError
        If the geometries are not points or the date column cannot be parsed.

    Examples
    --------
    >>> pts = read_points("data/real_crime/memphis_robberies_sfhotspot.gpkg")  # doctest: +SKIP
    >>> pts.crs.to_string()  # doctest: +SKIP
    'EPSG:32616'
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError("file not found; check the path", path=str(p))
    if p.suffix.lower() in _CSV_SUFFIXES:
        gdf, source_crs = _read_csv_points(p, crs=crs)
    else:
        gdf, source_crs = _read_geo_points(p, crs=crs)

    n_read = len(gdf)
    located = ~(gdf.geometry.isna() | gdf.geometry.is_empty)
    if not located.all():
        logger.warning("%s: dropped %d row(s) without a location", p, int((~located).sum()))
        gdf = gdf.loc[located].copy()
    _validate.require_points(gdf, name=str(p))

    target = metric_crs_for(gdf)
    gdf = gdf.to_crs(target)
    logger.info("%s: projected %d point(s) from %s to %s", p, len(gdf), source_crs, target)

    used_date = _attach_dates(gdf, date_col=date_col, path=p)
    czech = CRS.from_user_input(target).equals(CRS.from_user_input(CRS_METRIC))
    if used_date is not None and czech and gdf["reported_at"].dt.tz is None:
        # local Czech times, as in the incident store
        gdf["reported_at"] = gdf["reported_at"].dt.tz_localize(
            TIMEZONE, ambiguous="NaT", nonexistent="shift_forward"
        )
    if "category" not in gdf.columns:
        for col in gdf.columns:
            if col != "geometry" and fold(col) in HEADER_ALIASES["category"]:
                gdf["category"] = gdf[col].astype("string")
                break

    gdf = gdf.reset_index(drop=True)
    gdf.attrs["params"] = {
        "source": str(p),
        "source_crs": source_crs,
        "crs": CRS.from_user_input(target).to_string(),
        "date_col": used_date,
        "rows_read": n_read,
        "rows_dropped": n_read - len(gdf),
    }
    return gdf


def metric_crs_for(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """Return EPSG:5514 if every point lies inside Czechia, else the local UTM zone.

    A thin name kept for callers; the rule is :func:`apk_geo.coords.metric_crs`.

    Parameters
    ----------
    gdf
        Geometries with a CRS.

    Returns
    -------
    pyproj.CRS
        The metric CRS to analyse these geometries in.

    Raises
    ------
    CRSError
        If ``gdf`` has no CRS (or no located geometry).
    """
    return metric_crs(gdf, name="points")


def distinct_incidents(gdf: gpd.GeoDataFrame, *, id_col: str) -> gpd.GeoDataFrame:
    """Keep one row per incident (the first one of each ``id_col`` value).

    Parameters
    ----------
    gdf
        Points where one incident may span several rows (one per charge).
    id_col
        Column identifying the incident, e.g. ``"IncidntNum"``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with the first row of every distinct ``id_col`` value, in input order, a fresh
        index, and ``attrs["params"]`` updated with ``rows_before`` and ``incidents``.

    Raises
    ------
    SchemaError
        If ``id_col`` is missing.

    Examples
    --------
    >>> sf = read_points("data/real_crime/sf_robbery_2012H2_geoda.gpkg")  # doctest: +SKIP
    >>> len(distinct_incidents(sf, id_col="IncidntNum"))  # doctest: +SKIP
    2046
    """
    _validate.require_columns(gdf, [id_col], name="points")
    out = gdf.loc[~gdf[id_col].duplicated(keep="first")].reset_index(drop=True)
    params: dict[str, Any] = dict(gdf.attrs.get("params", {}))
    params.update({"rows_before": len(gdf), "incidents": len(out), "id_col": id_col})
    out.attrs["params"] = params
    logger.info("%d row(s) collapse to %d distinct incident(s) by %s", len(gdf), len(out), id_col)
    return out


# --------------------------------------------------------------------------- helpers


def _read_geo_points(p: Path, *, crs: str | None) -> tuple[gpd.GeoDataFrame, str]:
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # pyogrio raises several unrelated types
        raise InputFileError(f"cannot read as a spatial file: {exc}", path=str(p)) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf.columns:
        raise InputFileError("the file has no geometry column; use a CSV with lat/lon", path=str(p))
    if gdf.crs is None:
        if crs is None:
            raise CRSError(f"{p}: the file has no CRS; pass --crs (e.g. EPSG:4326)")
        gdf = gdf.set_crs(crs)
    return gdf, CRS.from_user_input(gdf.crs).to_string()


def _read_csv_points(p: Path, *, crs: str | None) -> tuple[gpd.GeoDataFrame, str]:
    # the product's one CSV reader (encoding and delimiter detection), pandas' column types
    df = read_csv(p, dtype="infer")
    df.attrs = {}

    columns = _canonical_columns(df.columns)
    if "lat" in columns and "lon" in columns:
        source = CRS.from_user_input(crs or CRS_WEB)
        if not source.is_geographic:
            raise CRSError(
                f"{p}: lat/lon columns need a geographic CRS, got --crs {crs}; "
                f"drop --crs or rename the columns to x/y"
            )
        xs, ys = columns["lon"], columns["lat"]
    elif "x" in columns and "y" in columns:
        xs, ys = columns["x"], columns["y"]
        if crs is None:
            if {fold(xs), fold(ys)} == _XY_5514_HEADERS:
                crs = CRS_METRIC
            else:
                raise CRSError(
                    f"{p}: columns {xs!r}/{ys!r} hold projected coordinates but their CRS is "
                    f"unknown; pass --crs (e.g. EPSG:5514)"
                )
        source = CRS.from_user_input(crs)
    else:
        raise InputFileError(
            f"no coordinate columns: expected lat/lon or x/y, found {list(map(str, df.columns))}",
            path=str(p),
        )
    x = pd.to_numeric(df[xs], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    y = pd.to_numeric(df[ys], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    geometry = gpd.GeoSeries.from_xy(np.where(ok, x, np.nan), np.where(ok, y, np.nan), crs=source)
    geometry[~ok] = None
    return gpd.GeoDataFrame(df, geometry=geometry, crs=source), source.to_string()


def _canonical_columns(columns: pd.Index) -> dict[str, str]:
    """Map canonical coordinate names (lat, lon, x, y) to the file's column names."""
    found: dict[str, str] = {}
    folded = {fold(c): str(c) for c in columns}
    for canonical in ("lat", "lon", "x", "y"):
        for alias in HEADER_ALIASES[canonical]:
            if alias in folded:
                found[canonical] = folded[alias]
                break
    return found


def _find_column(
    columns: pd.Index,
    aliases: Mapping[str, tuple[str, ...]],
    keys: tuple[str, ...],
) -> str | None:
    folded = {fold(c): str(c) for c in columns if c != "geometry"}
    for key in keys:
        for alias in aliases[key]:
            if alias in folded:
                return folded[alias]
    return None


def _attach_dates(gdf: gpd.GeoDataFrame, *, date_col: str | None, path: Path) -> str | None:
    """Add ``reported_at`` in place (on the caller's private copy); return the column used."""
    if date_col is not None:
        _validate.require_columns(gdf, [date_col], name=str(path))
        col: str | None = date_col
    else:
        col = _find_column(gdf.columns, HEADER_ALIASES, ("reported_at", "date"))
    if col is None:
        return None
    raw = gdf[col]
    if pd.api.types.is_datetime64_any_dtype(raw):
        values = pd.Series(raw, index=gdf.index)
    else:
        text = raw.astype("string")
        time_col = _find_column(gdf.columns, HEADER_ALIASES, ("time",))
        if (
            time_col is not None
            and time_col != col
            and not pd.api.types.is_datetime64_any_dtype(gdf[time_col])
        ):
            text = text.str.strip() + " " + gdf[time_col].astype("string").fillna("").str.strip()
        values = pd.to_datetime(text, errors="coerce", dayfirst=_looks_dayfirst(text))
        bad = int((values.isna() & raw.notna()).sum())
        if bad == len(raw) and len(raw) > 0:
            raise SchemaError(
                f"{path}: date column {col!r} cannot be parsed (first value {raw.iloc[0]!r}); "
                f"use ISO dates (2024-03-31 14:05) or pass --date-col"
            )
        if bad:
            logger.warning("%s: %d date value(s) in %r could not be parsed", path, bad, col)
    gdf["reported_at"] = values
    return col


def _looks_dayfirst(text: pd.Series) -> bool:
    sample = text.dropna().head(20)
    return bool(len(sample)) and bool(sample.str.match(r"^\s*\d{1,2}\.\s*\d{1,2}\.").all())
