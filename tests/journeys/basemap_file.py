"""A small MBTiles file for tests: light tiles with a street-like grid over part of Ostrava."""

from __future__ import annotations

import io
import math
import sqlite3
from pathlib import Path

from PIL import Image, ImageDraw


def tile_xy(lat: float, lon: float, z: int) -> tuple[int, int]:
    """Return the XYZ tile of a point (Web Mercator)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def png(z: int, x: int, y: int) -> bytes:
    """A 256-px tile: cream with grey "streets" and its own z/x/y written on it."""
    img = Image.new("RGB", (256, 256), (246, 241, 226))
    draw = ImageDraw.Draw(img)
    for i in range(0, 256, 64):
        draw.line([(i, 0), (i, 255)], fill=(160, 160, 160), width=3)
        draw.line([(0, i), (255, i)], fill=(160, 160, 160), width=3)
    draw.text((8, 8), f"{z}/{x}/{y}", fill=(90, 90, 90))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def make_mbtiles(
    path: Path,
    *,
    bounds: tuple[float, float, float, float] = (18.26, 49.82, 18.32, 49.86),
    zooms: range = range(12, 17),
) -> Path:
    """Write an MBTiles 1.3 raster file (TMS rows) covering ``bounds`` (lon/lat) at ``zooms``."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    )
    meta = {
        "name": "Test city",
        "format": "png",
        "attribution": "© Test city base map",
        "minzoom": str(zooms.start),
        "maxzoom": str(zooms.stop - 1),
        "bounds": ",".join(str(v) for v in bounds),
    }
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    minx, miny, maxx, maxy = bounds
    for z in zooms:
        x0, y0 = tile_xy(maxy, minx, z)
        x1, y1 = tile_xy(miny, maxx, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                row = (1 << z) - 1 - y  # MBTiles stores TMS rows
                db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, row, png(z, x, y)))
    db.commit()
    db.close()
    return path
