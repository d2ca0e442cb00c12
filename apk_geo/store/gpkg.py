"""Low-level reading and writing of one GeoPackage file (pyogrio with Arrow).

The helpers take the path of the file they work on: the store itself when reading, the
temporary copy (see :mod:`apk_geo.store.lock`) when writing. Times are written as UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from apk_geo._validate import require_crs
from apk_geo.errors import StoreError
from apk_geo.schema import CRS_METRIC
from apk_geo.store.layers import CONTEXT_LAYERS, INCIDENTS, METADATA, QUARANTINE, VERSIONS

__all__ = [
    "fields_of",
    "layers_in",
    "not_yet_quarantined",
    "prepare_layers",
    "read_layer",
    "read_metadata",
    "write_frame",
    "write_metadata",
    "write_prepared",
]

#: Layers whose geometry is always a point.
_POINT_LAYERS = (INCIDENTS, VERSIONS)


def layers_in(path: Path) -> set[str]:
    """Return the layer names of the GeoPackage at ``path`` (empty if it does not exist)."""
    if not path.exists():
        return set()
    return {str(name) for name, _ in pyogrio.list_layers(path)}


def fields_of(path: Path, layer: str) -> set[str]:
    """Return the field names of ``layer``."""
    return {str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]}


def read_layer(
    path: Path,
    layer: str,
    *,
    columns: Sequence[str] | None = None,
    geometry: bool = True,
    label: Path | None = None,
) -> pd.DataFrame:
    """Read ``layer`` (only ``columns`` that exist, when given); raise StoreError on failure.

    ``label`` is the path named in the error (the store, when ``path`` is its temporary copy).
    """
    kwargs: dict[str, Any] = {"use_arrow": True, "read_geometry": geometry}
    if columns is not None:
        present = fields_of(path, layer)
        kwargs["columns"] = [c for c in columns if c in present]
    try:
        frame: pd.DataFrame = pyogrio.read_dataframe(path, layer=layer, **kwargs)
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise StoreError(f"{label or path}: cannot read layer {layer!r}: {exc}") from exc
    return frame


def write_frame(path: Path, frame: pd.DataFrame, layer: str, *, append: bool) -> None:
    """Write (or append) ``frame`` as ``layer``; tz-aware times are stored as UTC."""
    data = frame.copy()
    for c in data.columns:
        if isinstance(data[c].dtype, pd.DatetimeTZDtype):
            data[c] = data[c].dt.tz_convert("UTC")
    kwargs: dict[str, Any] = {"layer": layer, "driver": "GPKG", "use_arrow": True, "append": append}
    if isinstance(data, gpd.GeoDataFrame) and layer in _POINT_LAYERS:
        kwargs["geometry_type"] = "Point"
    pyogrio.write_dataframe(data, path, **kwargs)


def not_yet_quarantined(path: Path, quar: pd.DataFrame) -> pd.DataFrame:
    """Drop rows already in the quarantine layer (same source, raw cells and reason)."""
    if not len(quar):
        return quar
    key = ["source", "raw", "reason"]
    old = pyogrio.read_dataframe(
        path, layer=QUARANTINE, columns=key, read_geometry=False, use_arrow=True
    )
    if not len(old):
        return quar
    seen = quar[key].merge(old[key].drop_duplicates().assign(_seen=True), on=key, how="left")
    return quar.loc[seen["_seen"].isna().to_numpy()].reset_index(drop=True)


def prepare_layers(
    layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame],
) -> dict[str, gpd.GeoDataFrame]:
    """Return context layers as GeoDataFrames in EPSG:5514; refuse unknown names."""
    prepared: dict[str, gpd.GeoDataFrame] = {}
    for name, frame in layers.items():
        if name not in CONTEXT_LAYERS:
            raise StoreError(f"{name!r} is not a context layer; expected one of {CONTEXT_LAYERS}")
        if isinstance(frame, gpd.GeoDataFrame):
            require_crs(frame, name=name)
            gdf = frame.to_crs(CRS_METRIC)
        elif {"x_5514", "y_5514"} <= set(frame.columns):
            x = frame["x_5514"].to_numpy(dtype="float64")
            y = frame["y_5514"].to_numpy(dtype="float64")
            gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=CRS_METRIC)
        else:
            raise StoreError(
                f"layer {name!r} has no geometry; pass a GeoDataFrame or x_5514/y_5514 columns"
            )
        prepared[name] = gdf
    return prepared


def write_prepared(path: Path, prepared: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Write (replace) the prepared context layers."""
    for name, gdf in prepared.items():
        write_frame(path, gdf, name, append=False)


def read_metadata(path: Path) -> dict[str, str]:
    """Return the ``metadata`` layer as a dict (empty if absent)."""
    if METADATA not in layers_in(path):
        return {}
    meta = pyogrio.read_dataframe(path, layer=METADATA, read_geometry=False, use_arrow=True)
    return {str(k): str(v) for k, v in zip(meta["key"], meta["value"], strict=True)}


def write_metadata(path: Path, meta: Mapping[str, str]) -> None:
    """Write (replace) the ``metadata`` layer."""
    frame = pd.DataFrame(
        {
            "key": pd.Series(list(meta.keys()), dtype="str"),
            "value": pd.Series([str(v) for v in meta.values()], dtype="str"),
        }
    )
    write_frame(path, frame, METADATA, append=False)
