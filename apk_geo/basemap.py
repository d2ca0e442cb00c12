"""A local street base map from an MBTiles file the city supplies, served by the dashboard.

Without internet the dashboard has no street map; a city can make one for its own area and
give it to the app as a single `MBTiles <https://github.com/mapbox/mbtiles-spec>`_ file (an
SQLite database of PNG or JPEG raster tiles, rows in the TMS scheme). ``apk-geo dashboard
--basemap FILE.mbtiles`` (or ``$APK_GEO_BASEMAP``) serves its tiles at
``/basemap/{z}/{x}/{y}.png`` beside the app, and the map offers "Místní podkladová mapa".
How a city makes such a file is in ``docs/basemap.md``.

This module reads the file (:class:`MBTiles`) and describes the layer to the map
(:class:`LocalBasemap`); :func:`tile_app_routes` gives the tile route the dashboard's server
mounts. Nothing here needs the network.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from apk_geo.errors import InputFileError, ParameterError

logger = logging.getLogger(__name__)

#: URL path of the tiles (``{z}/{x}/{y}`` in the XYZ scheme Leaflet uses).
TILE_PATH: Final = "/basemap/{z}/{x}/{y}.png"
#: Content type by the MBTiles ``format`` metadata value.
_MEDIA: Final[Mapping[str, str]] = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


@dataclass(frozen=True)
class LocalBasemap:
    """What the map needs to draw a local base map.

    Attributes
    ----------
    url
        Tile URL template (``/basemap/{z}/{x}/{y}.png``).
    attribution
        The file's ``attribution`` metadata (shown on the map), or its name.
    min_zoom, max_zoom
        Zoom levels the file holds.
    name
        The file's ``name`` metadata.
    """

    url: str
    attribution: str
    min_zoom: int
    max_zoom: int
    name: str


class MBTiles:
    """Read-only access to an MBTiles raster file (thread-safe; one connection per thread).

    Parameters
    ----------
    path
        The ``.mbtiles`` file.

    Raises
    ------
    InputFileError
        If the file is missing or is not an MBTiles database with raster tiles.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputFileError("the base-map file does not exist", path=str(self.path))
        self._local = threading.local()
        try:
            meta = dict(self._db().execute("SELECT name, value FROM metadata").fetchall())
            self._db().execute("SELECT 1 FROM tiles LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise InputFileError(
                f"not an MBTiles file ({exc}); see docs/basemap.md", path=str(self.path)
            ) from exc
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in _MEDIA:
            raise InputFileError(
                f"MBTiles format {fmt!r} is not a raster format (png or jpg); vector tiles "
                "need rendering first, see docs/basemap.md",
                path=str(self.path),
            )
        self.metadata: dict[str, str] = {str(k): str(v) for k, v in meta.items()}
        self.media_type = _MEDIA[fmt]

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            uri = f"file:{self.path}?mode=ro"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def zoom_range(self) -> tuple[int, int]:
        """Return the lowest and highest zoom level with tiles."""
        row = self._db().execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        if row is None or row[0] is None:
            raise InputFileError("the MBTiles file holds no tiles", path=str(self.path))
        return int(row[0]), int(row[1])

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """Return the tile at XYZ ``z/x/y`` (the file stores TMS rows: ``2**z - 1 - y``)."""
        if z < 0 or not (0 <= x < 2**z and 0 <= y < 2**z):
            return None
        row = (
            self._db()
            .execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, (1 << z) - 1 - y),
            )
            .fetchone()
        )
        return None if row is None else bytes(row[0])

    def describe(self) -> LocalBasemap:
        """Return the layer description for :func:`apk_geo.maps.base_map`."""
        lo, hi = self.zoom_range()
        name = self.metadata.get("name") or self.path.stem
        return LocalBasemap(
            url=TILE_PATH,
            attribution=self.metadata.get("attribution") or name,
            min_zoom=lo,
            max_zoom=hi,
            name=name,
        )


def tile_app_routes(basemap: MBTiles) -> list[Any]:
    """Return the Starlette route that serves ``basemap``'s tiles at :data:`TILE_PATH`.

    A missing tile is a 204 (no content), so Leaflet leaves that square empty without errors.
    """
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def tile(request: Request) -> Response:
        try:
            z, x = int(request.path_params["z"]), int(request.path_params["x"])
            y = int(str(request.path_params["y"]).split(".")[0])
        except ValueError:
            return Response(status_code=404)
        data = basemap.tile(z, x, y)
        if data is None:
            return Response(status_code=204)
        return Response(
            data, media_type=basemap.media_type, headers={"Cache-Control": "max-age=86400"}
        )

    return [Route("/basemap/{z}/{x}/{y}", tile)]


def open_basemap(path: str | Path | None) -> MBTiles | None:
    """Return the :class:`MBTiles` of ``path`` or ``None`` without one; bad files raise."""
    if path is None or str(path) == "":
        return None
    if not str(path).endswith(".mbtiles"):
        raise ParameterError(f"the base map must be an .mbtiles file; got {str(path)!r}")
    return MBTiles(path)
