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
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from apk_geo import _validate
from apk_geo.coords import CZECHIA_BOUNDS_LONLAT, metric_crs
from apk_geo.errors import CRSError, InputFileError, SchemaError
from apk_geo.io import read_csv
from apk_geo.io.cells import parse_numbers
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
        gdf, source_crs, n_read = _read_csv_points(p, crs=crs)
    else:
        gdf, source_crs, n_read = _read_geo_points(p, crs=crs)
    target = gdf.crs
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


def _read_geo_points(p: Path, *, crs: str | None) -> tuple[gpd.GeoDataFrame, str, int]:
    """Return a spatial file's located points in their metric CRS, the source CRS, rows read."""
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
    source_crs = CRS.from_user_input(gdf.crs).to_string()
    n_read = len(gdf)
    located = ~(gdf.geometry.isna() | gdf.geometry.is_empty)
    if not located.all():
        logger.warning("%s: dropped %d row(s) without a location", p, int((~located).sum()))
        gdf = gdf.loc[located].copy()
    _validate.require_points(gdf, name=str(p))
    return gdf.to_crs(metric_crs_for(gdf)), source_crs, n_read


def _read_csv_points(p: Path, *, crs: str | None) -> tuple[gpd.GeoDataFrame, str, int]:
    """Return the located points of a CSV in their metric CRS, the source CRS, rows read.

    The points are built once, from coordinates already projected with pyproj: the same
    numbers :meth:`geopandas.GeoSeries.to_crs` gives (the same ``always_xy`` transformation).
    """
    # the product's one CSV reader (encoding and delimiter detection), pandas' column types
    df = read_csv(p, dtype="infer")
    df.attrs = {}
    xs, ys, source = _coordinate_columns(p, df, crs=crs)
    x, y = _coordinate_values(df[xs]), _coordinate_values(df[ys])
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.all():
        logger.warning("%s: dropped %d row(s) without a location", p, int((~ok).sum()))
        df, x, y = df.loc[ok], x[ok], y[ok]
    if len(df) == 0:
        _validate.require_points(gpd.GeoDataFrame(df, geometry=[], crs=source), name=str(p))
    target = _metric_crs_of_xy(x, y, source=source)
    if not source.is_exact_same(target):
        x, y = Transformer.from_crs(source, target, always_xy=True).transform(x, y)
    points = gpd.GeoSeries(shapely.points(x, y), index=df.index, crs=target)
    return gpd.GeoDataFrame(df, geometry=points, crs=target), source.to_string(), len(ok)


def _coordinate_values(col: pd.Series) -> np.ndarray:
    """Return a coordinate column as float64 (NaN where empty or unreadable).

    A numeric column is taken as it is; text (a Czech CSV's decimal commas, ``"49,83"``, as
    ``apk-geo geocode`` writes them) goes through the importer's number parser.
    """
    if pd.api.types.is_numeric_dtype(col.dtype):
        return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    values, _ = parse_numbers(col.astype("string").fillna("").str.strip())
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _coordinate_columns(p: Path, df: pd.DataFrame, *, crs: str | None) -> tuple[str, str, CRS]:
    """Return the x (or lon) and y (or lat) column names of a CSV and their CRS."""
    columns = _canonical_columns(df.columns)
    if "lat" in columns and "lon" in columns:
        source = CRS.from_user_input(crs or CRS_WEB)
        if not source.is_geographic:
            raise CRSError(
                f"{p}: lat/lon columns need a geographic CRS, got --crs {crs}; "
                f"drop --crs or rename the columns to x/y"
            )
        return columns["lon"], columns["lat"], source
    if "x" in columns and "y" in columns:
        xs, ys = columns["x"], columns["y"]
        if crs is None:
            if {fold(xs), fold(ys)} != _XY_5514_HEADERS:
                raise CRSError(
                    f"{p}: columns {xs!r}/{ys!r} hold projected coordinates but their CRS is "
                    f"unknown; pass --crs (e.g. EPSG:5514)"
                )
            crs = CRS_METRIC
        return xs, ys, CRS.from_user_input(crs)
    raise InputFileError(
        f"no coordinate columns: expected lat/lon or x/y, found {list(map(str, df.columns))}",
        path=str(p),
    )


def _metric_crs_of_xy(x: np.ndarray, y: np.ndarray, *, source: CRS) -> CRS:
    """Return :func:`apk_geo.coords.metric_crs` of these points without building them all.

    The rule needs only the points' bounding box in longitude/latitude, so it is given two
    points, the corners of that box: the same box, hence the same answer.
    """
    wgs84 = CRS.from_user_input(CRS_WEB)
    lon, lat = (x, y)
    if not source.is_exact_same(wgs84):
        lon, lat = Transformer.from_crs(source, wgs84, always_xy=True).transform(x, y)
    if len(lon) == 0:
        corners = gpd.GeoSeries([], crs=wgs84)
    else:
        with warnings.catch_warnings():  # all-NaN (failed) transformations, as total_bounds
            warnings.simplefilter("ignore", RuntimeWarning)
            box = [np.nanmin(lon), np.nanmin(lat), np.nanmax(lon), np.nanmax(lat)]
        corners = gpd.GeoSeries(shapely.points([box[0], box[2]], [box[1], box[3]]), crs=wgs84)
    return metric_crs_for(corners)


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
