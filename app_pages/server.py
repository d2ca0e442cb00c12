"""The dashboard with a local street base map: ``apk-geo dashboard --basemap CITY.mbtiles``.

Streamlit runs this file as an ASGI app (``st.App``): the dashboard itself is ``main.py``, and the
route ``/basemap/{z}/{x}/{y}.png`` serves the raster tiles of the MBTiles file named by
``$APK_GEO_BASEMAP`` (:mod:`apk_geo.basemap`). Without a base map ``apk-geo dashboard`` runs
``main.py`` directly.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from apk_geo.basemap import open_basemap, tile_app_routes

_HERE = Path(__file__).resolve().parent
_BASEMAP = open_basemap(os.environ.get("APK_GEO_BASEMAP") or None)

app = st.App(
    str(_HERE / "main.py"), routes=tile_app_routes(_BASEMAP) if _BASEMAP is not None else []
)
