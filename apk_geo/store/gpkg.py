"""Low-level reading and writing of one GeoPackage file (pyogrio with Arrow).

The helpers take the path of the file they work on: the store itself when reading, the
temporary copy (see :mod:`apk_geo.store.lock`) when writing. Times are written as UTC.

Writes go to that private copy only, so SQLite's own fsync at every commit is switched off while
they run (GDAL's ``OGR_SQLITE_SYNCHRONOUS=OFF``): a crash leaves a half-written copy that is
discarded, never the store, and :func:`apk_geo.store.lock.transaction` fsyncs the copy once
before the atomic replace. Each commit's fsync of the whole file cost ~0.1–0.2 s of waiting per
small layer written after the incidents (versions, quarantine, log, metadata).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from apk_geo._validate import require_crs
from apk_geo.errors import StoreError
from apk_geo.schema import CRS_METRIC
from apk_geo.store.gpkgarrow import point_table
from apk_geo.store.gpkgtimes import max_fid, pad_datetime_milliseconds
from apk_geo.store.layers import CONTEXT_LAYERS, INCIDENTS, METADATA, QUARANTINE, VERSIONS
from apk_geo.store.lock import is_empty_geopackage

__all__ = [
    "fields_of",
    "layers_in",
    "not_yet_quarantined",
    "prepare_layers",
    "read_layer",
    "read_metadata",
    "read_points",
    "write_frame",
    "write_metadata",
    "write_prepared",
]

#: Layers whose geometry is always a point.
_POINT_LAYERS = (INCIDENTS, VERSIONS)

#: GDAL's options while it writes a temporary copy: SQLite's ``PRAGMA synchronous`` off (the
#: copy is fsynced once, see the module docstring) and a page cache of 64 MB instead of
#: SQLite's 2 MB (``OGR_SQLITE_CACHE``, in MB): a million incidents were written ~0.5 s faster
#: (fewer spills of dirty pages while the B-trees grow), with no higher peak memory; 128 MB
#: and more were no faster and cost memory (benchmarks/pipeline.py's incidents).
_WRITE_OPTIONS: Final[dict[str, str]] = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_CACHE": "64"}
#: The option of the synchronous setting (tests read it back while a write runs).
_SYNC_OPTION = "OGR_SQLITE_SYNCHRONOUS"
#: The file-creation mask while GDAL writes a copy: its side files are ``0600`` (see below).
_PRIVATE_UMASK = 0o077
#: GDAL's options and the umask are global to the process: writers in several threads share
#: one setting.
_SYNC_LOCK = threading.Lock()
_unsynced_writers = [0]
_options_before: dict[str, object] = {}  # pyogrio reads ON/OFF back as bool
_umask_before = [0o022]


@contextlib.contextmanager
def _unsynced() -> Iterator[None]:
    """Write to a temporary copy: GDAL's :data:`_WRITE_OPTIONS`, its side files private.

    GDAL creates files next to the copy while it writes: SQLite's rollback journal and, for a
    dataset's first layer, a background R-tree database (``<copy>.tmp_rtree_<layer>.db``,
    holding every incident's point). It creates them with the process's umask, so the umask
    is ``077`` meanwhile: they are ``0600`` like the copy (a killed writer's are removed by
    :func:`apk_geo.store.lock.cleanup_temp_files`, their names start like the copy's).

    The options and the umask are global to the process; the first writer in saves what it
    found, the last one out restores it, so a concurrent writer never leaves them changed for
    files elsewhere (a file another thread creates meanwhile is at most more private than
    asked).
    """
    with _SYNC_LOCK:
        if not _unsynced_writers[0]:
            _options_before.clear()
            _options_before.update({k: pyogrio.get_gdal_config_option(k) for k in _WRITE_OPTIONS})
            pyogrio.set_gdal_config_options(_WRITE_OPTIONS)
            _umask_before[0] = os.umask(_PRIVATE_UMASK)
        _unsynced_writers[0] += 1
    try:
        yield
    finally:
        with _SYNC_LOCK:
            _unsynced_writers[0] -= 1
            if not _unsynced_writers[0]:
                pyogrio.set_gdal_config_options(dict(_options_before))
                os.umask(_umask_before[0])


def layers_in(path: Path) -> set[str]:
    """Return the layer names of the GeoPackage at ``path`` (empty if it does not exist).

    A new store's temporary copy starts as a GeoPackage without layers, which GDAL writes
    into but does not open for reading: it has none.
    """
    if not path.exists() or is_empty_geopackage(path):
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


def read_points(
    path: Path, layer: str, *, where: str | None = None, label: Path | None = None
) -> gpd.GeoDataFrame:
    """Read a point layer in the order it is stored, times as the stored text.

    Like ``pyogrio.read_dataframe(..., use_arrow=True, datetime_as_string=True)``, but a
    little-endian 2-D point (21 bytes of WKB, the store's every located incident) becomes a
    shapely point from its two coordinates in one vectorised step instead of a WKB parse per
    row; anything else (NULL, an empty point, another type) is parsed by shapely.

    Raises
    ------
    StoreError
        If the layer cannot be read.
    """
    try:
        meta, table = pyogrio.read_arrow(
            path, layer=layer, where=where, datetime_as_string=True, return_fids=True
        )
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise StoreError(f"{label or path}: cannot read layer {layer!r}: {exc}") from exc
    fid, geom = str(meta["fid_column"] or "fid"), meta["geometry_name"]
    if fid in table.column_names:
        fids = table.column(fid).to_numpy()
        if len(fids) > 1 and not bool((np.diff(fids) > 0).all()):
            table = table.sort_by(fid)  # rows found through an index
        table = table.drop_columns([fid])
    wkb = None
    if geom and geom in table.column_names:
        wkb = table.column(geom).combine_chunks()
        table = table.drop_columns([geom])
    frame = table.to_pandas()
    geometry = np.full(len(frame), None, dtype=object) if wkb is None else _points_of(wkb)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=meta["crs"]))


def _points_of(wkb: pa.Array) -> np.ndarray:
    """Return the geometries of a WKB column (see :func:`read_points`)."""
    n = len(wkb)
    out = np.full(n, None, dtype=object)
    if n == 0:
        return out
    offsets = np.frombuffer(wkb.buffers()[1], dtype=np.int32)[wkb.offset : wkb.offset + n + 1]
    data = np.frombuffer(wkb.buffers()[2] or b"", dtype=np.uint8)
    valid = wkb.is_valid().to_numpy(zero_copy_only=False)
    lengths = np.diff(offsets)
    point = valid & (lengths == 21)
    rows = np.flatnonzero(point)
    if len(rows):
        if bool((lengths[valid] == 21).all()) and not bool(lengths[~valid].any()):
            # every value a 21-byte point, NULLs empty: the values lie back to back
            block = data[offsets[0] : offsets[-1]].reshape(-1, 21)
        else:
            block = data[offsets[rows][:, None] + np.arange(21)]
        head_ok = (block[:, 0] == 1) & (block[:, 1:5] == [1, 0, 0, 0]).all(axis=1)
        xy = np.ascontiguousarray(block[:, 5:21]).view("<f8")
        fast = head_ok & np.isfinite(xy).all(axis=1)
        out[rows[fast]] = shapely.points(xy[fast])
        point[rows[~fast]] = False
    slow = valid & ~point
    if slow.any():
        out[slow] = shapely.from_wkb(wkb.filter(pa.array(slow)).to_numpy(zero_copy_only=False))
    return out


def write_frame(path: Path, frame: pd.DataFrame, layer: str, *, append: bool) -> None:
    """Write (or append) ``frame`` as ``layer`` of a temporary copy; times are stored as UTC.

    Appended rows get the GeoPackage 1.3 DATETIME spelling with milliseconds (see
    :mod:`apk_geo.store.gpkgtimes`), as rows of a newly written layer do.

    SQLite's fsync per commit is off meanwhile (see the module docstring): ``path`` must be
    the private copy of :func:`apk_geo.store.lock.transaction`, which fsyncs it before the
    replace.
    """
    zoned = [c for c in frame.columns if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]
    # a shallow copy (pandas' copy-on-write keeps ``frame`` unchanged): only the time columns
    # are converted, nothing else is copied before pyogrio hands the columns to Arrow
    data = frame.copy(deep=False)
    for c in zoned:
        data[c] = frame[c].dt.tz_convert("UTC")
    for c in _date_columns(frame):
        data[c] = frame[c].dt.date  # a DATE field, not a naive DATETIME
    after_fid = max_fid(path, layer) if append and layer in layers_in(path) else None
    points = isinstance(data, gpd.GeoDataFrame) and layer in _POINT_LAYERS
    with _unsynced():
        if points and data.crs:
            table, geometry = point_table(data)  # WKB of the points in one step
            pyogrio.write_arrow(
                table, path, layer=layer, driver="GPKG", geometry_name=geometry,
                geometry_type="Point", crs=_crs_text(data), append=append,
            )  # fmt: skip
        else:
            kwargs: dict[str, Any] = {"geometry_type": "Point"} if points else {}
            pyogrio.write_dataframe(
                data, path, layer=layer, driver="GPKG", use_arrow=True, append=append, **kwargs
            )
    if after_fid is not None and len(data):  # GDAL appends seconds-only DATETIME text
        pad_datetime_milliseconds(path, layer, after_fid=after_fid)


def _crs_text(frame: gpd.GeoDataFrame) -> str:
    """Return the layer CRS as pyogrio's writer gives it (``EPSG:<code>``, else WKT1)."""
    epsg = frame.crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else str(frame.crs.to_wkt("WKT1_GDAL"))


def _date_columns(frame: pd.DataFrame) -> list[str]:
    """Return the naive date-time columns that hold dates only (every value at midnight).

    Such a column (``address_points.valid_from``) is a date: it is stored as a GeoPackage DATE.
    """
    found = []
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_datetime64_dtype(col.dtype) and not isinstance(
            col.dtype, pd.DatetimeTZDtype
        ):
            given = col.dropna()
            if len(given) and bool((given == given.dt.normalize()).all()):
                found.append(str(c))
    return found


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
