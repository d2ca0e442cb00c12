"""The apk-geo dashboard: ``streamlit run dashboard.py -- --store PATH``.

Routes the pages with ``st.navigation`` and draws the shared sidebar (language, filters) once.
The store comes from ``--store``, else ``$APK_GEO_STORE``, else ``var/demo.gpkg``. Every page is a
short script in ``app_pages/`` that calls :mod:`apk_geo`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from apk_geo.i18n import t
from app_pages import _common as c

# A local image as the favicon: Material-icon and emoji favicons are fetched from Google/CDNs.
ICON = (
    Path(__file__).resolve().parent / "static" / "vendor" / "leaflet" / "images" / "marker-icon.png"
)
st.set_page_config(
    page_title="APK geo", page_icon=str(ICON) if ICON.is_file() else None, layout="wide"
)
c.init_state()
lang = c.lang()

PAGES = (  # file, title key, icon, URL path
    ("map", "nav.map", ":material/map:", "mapa"),
    ("hotspots", "nav.hotspots", ":material/local_fire_department:", "hotspoty"),
    ("trends", "nav.trends", ":material/trending_up:", "trendy"),
    ("routes", "nav.routes", ":material/route:", "trasy"),
    ("presenter", "nav.mdt", ":material/groups:", "mdt"),
    ("data", "nav.data", ":material/database:", "data"),
)
pages = [
    st.Page(f"app_pages/{name}.py", title=t(key, lang), icon=icon, url_path=url, default=i == 0)
    for i, (name, key, icon, url) in enumerate(PAGES)
]
page = st.navigation(pages)
c.draw_sidebar()
page.run()
