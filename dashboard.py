"""The apk-geo dashboard: ``streamlit run dashboard.py -- --store PATH``.

Routes the pages with ``st.navigation`` and draws the shared sidebar (language, filters) once.
The store comes from ``--store``, else ``$APK_GEO_STORE``, else ``var/demo.gpkg``. Pages that other
modules add (``app_pages/routes.py``: Trasy, ``app_pages/presenter.py``: MDT porady) appear in the
navigation as soon as their file exists.
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

pages = [
    st.Page(
        "app_pages/map.py",
        title=t("nav.map", lang),
        icon=":material/map:",
        url_path="mapa",
        default=True,
    ),
    st.Page(
        "app_pages/hotspots.py",
        title=t("nav.hotspots", lang),
        icon=":material/local_fire_department:",
        url_path="hotspoty",
    ),
    st.Page(
        "app_pages/trends.py",
        title=t("nav.trends", lang),
        icon=":material/trending_up:",
        url_path="trendy",
    ),
]
for name, key, icon, url in (
    ("routes", "nav.routes", ":material/route:", "trasy"),
    ("presenter", "nav.mdt", ":material/groups:", "mdt"),
):
    if c.page_file(name) is not None:
        pages.append(st.Page(f"app_pages/{name}.py", title=t(key, lang), icon=icon, url_path=url))
pages.append(
    st.Page(
        "app_pages/data.py", title=t("nav.data", lang), icon=":material/database:", url_path="data"
    )
)

page = st.navigation(pages)
c.draw_sidebar()
page.run()
