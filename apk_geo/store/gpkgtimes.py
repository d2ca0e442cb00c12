"""DATETIME text of GeoPackage 1.3 in rows that GDAL appends to an existing layer.

GeoPackage 1.3 (requirement 5) writes a DATETIME as ``YYYY-MM-DDTHH:MM:SS.SSSZ``; 1.4 allows
the seconds or milliseconds to be left out. GDAL 3.12 writes milliseconds into a layer it
creates in a 1.3 file, but rows it *appends* to an existing layer get ``…T06:51:00Z``, which
the GDAL 3.6 of Debian 12 and QGIS 3.22–3.28 (``validate_gpkg.py --extra``) refuses. So after
an append, the new rows' DATETIME text is completed to milliseconds in SQL (the value is
unchanged: only its spelling).

The layer's R-tree triggers must compile for that ``UPDATE``: they call the GeoPackage SQL
functions ``ST_IsEmpty`` and ``ST_MinX`` … (GeoPackage 1.3, annex F.3), which plain SQLite
lacks. They are registered on the connection, implemented from the GeoPackage binary header
(clause 2.1.3) with shapely for a geometry without an envelope; an ``UPDATE`` that keeps
every ``fid`` never runs their bodies.
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import shapely

__all__ = ["max_fid", "pad_datetime_milliseconds", "register_gpkg_functions"]

#: Envelope sizes in doubles by the header's envelope indicator (flags bits 1–3).
_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}
#: ``YYYY-MM-DDTHH:MM:SSZ`` (20 characters) and ``YYYY-MM-DDTHH:MMZ`` (17) become ``…SS.000Z``.
_COMPLETE = (
    "CASE length({c}) WHEN 20 THEN substr({c}, 1, 19) || '.000Z' "
    "WHEN 17 THEN substr({c}, 1, 16) || ':00.000Z' ELSE {c} END"
)


def _header(blob: bytes) -> tuple[int, int, tuple[float, ...]]:
    """Return (flags, header length, envelope) of a GeoPackage geometry blob."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    doubles = _ENVELOPE_DOUBLES.get((flags >> 1) & 0x07)
    if doubles is None:
        raise ValueError("invalid envelope indicator in a GeoPackage geometry blob")
    order = "<" if flags & 0x01 else ">"
    envelope = struct.unpack_from(f"{order}{doubles}d", blob, 8) if doubles else ()
    return flags, 8 + 8 * doubles, envelope


def _is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    flags, _, _ = _header(blob)
    return 1 if flags & 0x10 else 0


def _bound(index: int) -> Callable[[bytes | None], float | None]:
    """ST_MinX (0), ST_MaxX (1), ST_MinY (2), ST_MaxY (3) of a GeoPackage blob."""

    def bound(blob: bytes | None) -> float | None:
        if blob is None:
            return None
        flags, size, envelope = _header(blob)
        if flags & 0x10:
            return None
        if envelope:  # stored as minx, maxx, miny, maxy
            return float(envelope[index])
        minx, miny, maxx, maxy = shapely.from_wkb(blob[size:]).bounds
        return float((minx, maxx, miny, maxy)[index])

    return bound


def register_gpkg_functions(con: sqlite3.Connection) -> None:
    """Register ``ST_IsEmpty`` and ``ST_MinX/MaxX/MinY/MaxY`` on ``con`` (GeoPackage F.3)."""
    con.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        con.create_function(name, 1, _bound(index), deterministic=True)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def max_fid(path: Path, layer: str) -> int:
    """Return the largest feature id of ``layer`` in ``path`` (0 for an empty layer)."""
    with contextlib.closing(sqlite3.connect(path)) as con:
        key = _primary_key(con, layer)
        row = con.execute(f"SELECT max({_quoted(key)}) FROM {_quoted(layer)}").fetchone()
    return int(row[0] or 0)


def _primary_key(con: sqlite3.Connection, layer: str) -> str:
    rows = con.execute("SELECT name, pk FROM pragma_table_info(?)", (layer,)).fetchall()
    keys = [str(name) for name, pk in rows if pk]
    return keys[0] if keys else "rowid"


def pad_datetime_milliseconds(path: Path, layer: str, *, after_fid: int) -> int:
    """Complete the DATETIME text of ``layer``'s rows with an id above ``after_fid``.

    ``path`` is the private temporary copy being written (SQLite's fsync is off here as in
    :mod:`apk_geo.store.gpkg`; the copy is fsynced before it replaces the store). Returns the
    number of rows looked at.
    """
    with contextlib.closing(sqlite3.connect(path)) as con:
        columns = [
            str(name)
            for name, kind in con.execute(
                "SELECT name, type FROM pragma_table_info(?)", (layer,)
            ).fetchall()
            if str(kind).upper() == "DATETIME"
        ]
        if not columns:
            return 0
        register_gpkg_functions(con)
        con.execute("PRAGMA synchronous = OFF")
        sets = ", ".join(f"{_quoted(c)} = {_COMPLETE.format(c=_quoted(c))}" for c in columns)
        key = _quoted(_primary_key(con, layer))
        with con:
            done = con.execute(f"UPDATE {_quoted(layer)} SET {sets} WHERE {key} > ?", (after_fid,))
        return int(done.rowcount)
