"""Context layers and metadata of a PostGIS store (``apk.layers``, ``apk.layer_features``).

A layer of any schema fits one pair of tables: ``apk.layers`` keeps its columns and their pandas
dtypes, ``apk.layer_features`` one row per feature (the attributes as JSON, the geometry in
EPSG:5514, GiST-indexed). :func:`read_layer` restores the dtypes, so a layer reads back as it was
written (as a GeoPackage round trip does).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from apk_geo.errors import StoreError
from apk_geo.schema import CRS_METRIC
from apk_geo.store.pg import copy_frame, fetch_frame, python_values

__all__ = ["layer_names", "merge_metadata", "read_layer", "read_metadata", "write_layers"]

_GEOMETRY = "geometry"


def layer_names(conn: psycopg.Connection[Any]) -> set[str]:
    """Return the names of the layers stored."""
    return {str(r[0]) for r in conn.execute("SELECT name FROM apk.layers").fetchall()}


def write_layers(conn: psycopg.Connection[Any], prepared: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Replace each layer of ``prepared`` (GeoDataFrames in EPSG:5514)."""
    for name, gdf in prepared.items():
        attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        columns = [[str(c), str(attrs[c].dtype)] for c in attrs.columns]
        conn.execute("DELETE FROM apk.layers WHERE name = %s", [name])
        conn.execute(
            "INSERT INTO apk.layers (name, columns) VALUES (%s, %s::jsonb)",
            [name, json.dumps(columns, ensure_ascii=False)],
        )
        if not len(gdf):
            continue
        geoms = shapely.set_srid(gdf.geometry.to_numpy(), 5514)
        wkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
        copy_frame(
            conn,
            sql.SQL("apk.layer_features"),
            ["name", "fid", "props", "geom"],
            {
                "name": [name] * len(gdf),
                "fid": list(range(len(gdf))),
                "props": _json_rows(attrs),
                "geom": python_values(pd.Series(wkb, dtype=object)),
            },
        )


def read_layer(conn: psycopg.Connection[Any], name: str) -> gpd.GeoDataFrame:
    """Return the layer ``name`` in EPSG:5514 with the dtypes it was written with.

    Raises
    ------
    StoreError
        If no such layer is stored (the caller names the store).
    """
    row = conn.execute("SELECT columns FROM apk.layers WHERE name = %s", [name]).fetchone()
    if row is None:
        raise StoreError(f"no context layer {name!r}")
    columns: list[list[str]] = row[0]
    names = [c for c, _ in columns]
    rows = fetch_frame(
        conn,
        "SELECT props, public.ST_AsBinary(geom) AS wkb FROM apk.layer_features "
        "WHERE name = %s ORDER BY fid",
        [name],
    )
    attrs = pd.DataFrame.from_records(list(rows["props"]), columns=names)
    attrs = pd.DataFrame(
        {c: _restore(attrs[c], dtype) for c, dtype in columns}, index=pd.RangeIndex(len(rows))
    )
    wkb = [None if v is None else bytes(v) for v in rows["wkb"]]
    geometry = gpd.GeoSeries(shapely.from_wkb(wkb), crs=CRS_METRIC)
    return gpd.GeoDataFrame(attrs, geometry=geometry.rename(_GEOMETRY))


def read_metadata(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """Return the store's metadata, in the order the keys were first written."""
    rows = conn.execute("SELECT key, value FROM apk.metadata ORDER BY pos").fetchall()
    return {str(k): str(v) for k, v in rows}


def merge_metadata(conn: psycopg.Connection[Any], meta: Mapping[str, str]) -> None:
    """Add or replace the key/value pairs of ``meta``."""
    for key, value in meta.items():
        conn.execute(
            "INSERT INTO apk.metadata (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [str(key), str(value)],
        )


def _json_rows(attrs: pd.DataFrame) -> list[object]:
    """Return one JSON object (text) per row: NaN as null, times as ISO 8601 (UTC)."""
    if not len(attrs.columns):
        return ["{}"] * len(attrs)
    text = attrs.to_json(
        orient="records", lines=True, date_format="iso", date_unit="us", force_ascii=False
    )
    lines: list[object] = list((text or "").splitlines())
    if len(lines) != len(attrs):  # pragma: no cover - pandas writes one line per record
        raise StoreError(f"cannot serialise the layer's attributes ({len(lines)} lines)")
    return lines


def _restore(values: pd.Series, dtype: str) -> pd.Series:
    """Return ``values`` (from JSON) as ``dtype``; as they are if they do not fit it."""
    if dtype.startswith("datetime64"):
        times = pd.to_datetime(values, utc=True, format="ISO8601")
        tz = dtype.rpartition(", ")[2].rstrip("]") if ", " in dtype else None
        return times.dt.tz_convert(tz) if tz else times.dt.tz_localize(None)
    has_missing = bool(values.isna().any())
    if has_missing and dtype in ("int64", "int32", "int16", "int8", "bool"):
        return values
    with contextlib.suppress(TypeError, ValueError):
        restored: pd.Series = values.astype(dtype)  # type: ignore[call-overload]
        return restored
    return values
