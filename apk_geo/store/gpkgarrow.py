"""The Arrow table of a point layer, its WKB built from the coordinates in one step.

``pyogrio.write_dataframe(..., use_arrow=True)`` turns a GeoDataFrame into an Arrow table whose
geometry is ``shapely.to_wkb`` of every geometry (0.3 s for a million points, plus its checks
of geometry types and dimensions), then calls :func:`pyogrio.write_arrow`. A store's incidents
are 2-D points (or missing): their well-known binary is 21 bytes each (byte order, type 1,
x, y), written here with numpy; any other geometry (an empty or 3-D point) goes through shapely
as before. The table is otherwise what ``write_dataframe`` builds (``pa.Table.from_pandas``,
null-typed columns as text), so GDAL writes the same layer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from geopandas import GeoDataFrame

__all__ = ["point_table", "point_wkb"]

#: Little-endian WKB of a 2-D point: byte order 1, geometry type 1, then x and y as float64.
_POINT_HEAD = np.frombuffer(b"\x01\x01\x00\x00\x00", dtype=np.uint8)
_POINT_SIZE = 21


def point_wkb(geoms: np.ndarray) -> pa.BinaryArray:
    """Return the well-known binary of ``geoms`` (shapely geometries or ``None``), as Arrow.

    Non-empty 2-D points are encoded from their coordinates (the bytes ``shapely.to_wkb``
    writes for them, little endian); anything else by shapely; ``None`` is null.

    Examples
    --------
    >>> wkb = point_wkb(np.array([shapely.Point(1, 2), None], dtype=object))
    >>> wkb[0].as_py() == shapely.to_wkb(shapely.Point(1, 2), byte_order=1), wkb[1].is_valid
    (True, False)
    """
    n = len(geoms)
    present = ~shapely.is_missing(geoms)
    point = present & (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    point &= ~shapely.has_z(geoms)
    raw = _point_bytes(shapely.get_coordinates(geoms[point]))
    if n and bool(point.all()):  # every row a point: one buffer as it is
        offsets = np.arange(0, (n + 1) * _POINT_SIZE, _POINT_SIZE, dtype=np.int32)
        return _binary(n, offsets, raw.reshape(-1), None)
    other = present & ~point
    if other.any():  # rare (an empty or a 3-D point): shapely writes those rows
        values = np.full(n, None, dtype=object)
        values[point] = list(raw.view(f"S{_POINT_SIZE}").reshape(-1))
        values[other] = shapely.to_wkb(geoms[other], byte_order=1)
        return pa.array(values, type=pa.binary())
    # points and missing rows: the points' bytes in row order, a missing row 0 bytes long
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.where(point, _POINT_SIZE, 0), out=offsets[1:])
    return _binary(n, offsets, raw.reshape(-1), present)


def _point_bytes(xy: np.ndarray) -> np.ndarray:
    """Return the (m, 21) WKB bytes of 2-D points with coordinates ``xy`` (m, 2)."""
    m = len(xy)
    raw = np.empty((m, _POINT_SIZE), dtype=np.uint8)
    raw[:, :5] = _POINT_HEAD
    raw[:, 5:] = np.ascontiguousarray(xy, dtype="<f8").view(np.uint8).reshape(m, 16)
    return raw


def _binary(
    n: int, offsets: np.ndarray, data: np.ndarray, valid: np.ndarray | None
) -> pa.BinaryArray:
    """Return an Arrow binary array from its offsets, bytes and validity (``None``: all)."""
    bitmap = None
    nulls = 0
    if valid is not None and not bool(valid.all()):
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        nulls = int((~valid).sum())
    return pa.BinaryArray.from_buffers(
        pa.binary(), n, [bitmap, pa.py_buffer(offsets), pa.py_buffer(data)], null_count=nulls
    )


def point_table(frame: GeoDataFrame) -> tuple[pa.Table, str]:
    """Return ``frame`` as the Arrow table ``pyogrio.write_arrow`` takes, and its geometry name.

    The attribute columns as ``pa.Table.from_pandas`` makes them (columns without a type, all
    missing, become text as pyogrio does), the geometry last as WKB (:func:`point_wkb`).
    """
    name = str(frame.geometry.name)
    attributes = pd.DataFrame(frame.drop(columns=[name]), copy=False)
    table = pa.Table.from_pandas(attributes, preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):  # GDAL has no null type
            table = table.set_column(i, field.with_type(pa.string()), table[i].cast(pa.string()))
    wkb = point_wkb(np.asarray(frame.geometry.array, dtype=object))
    return table.append_column(pa.field(name, pa.binary()), wkb), name
