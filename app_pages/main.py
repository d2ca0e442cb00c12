"""The apk-geo dashboard's entry script: ``apk-geo dashboard --store PATH`` runs it.

Routes the pages with ``st.navigation`` and draws the shared sidebar (language, filters) once.
The store comes from ``--store``, else ``$APK_GEO_STORE``, else ``var/demo.gpkg``. Every page is a
short script in this package that calls :mod:`apk_geo`. Streamlit serves the map's front-end
files from ``static/vendor/`` beside this file (``apk-geo assets install`` puts them there).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from apk_geo import assets
from apk_geo.i18n import t
from app_pages import _common as c

HERE = Path(__file__).resolve().parent

PAGES = (  # file, title key, icon, URL path
    ("map", "nav.map", ":material/map:", "mapa"),
    ("hotspots", "nav.hotspots", ":material/local_fire_department:", "hotspoty"),
    ("trends", "nav.trends", ":material/trending_up:", "trendy"),
    ("routes", "nav.routes", ":material/route:", "trasy"),
    ("presenter", "nav.mdt", ":material/groups:", "mdt"),
    ("data", "nav.data", ":material/database:", "data"),
)


def main() -> None:
    """Draw the app once (Streamlit runs the entry script on every interaction)."""
    # A local image as the favicon: Material-icon and emoji favicons are fetched from Google/CDNs.
    icon = assets.vendor_dir() / "leaflet" / "images" / "marker-icon.png"
    st.set_page_config(
        page_title="APK geo", page_icon=str(icon) if icon.is_file() else None, layout="wide"
    )
    c.init_state()
    lang = c.lang()
    missing = assets.missing_files()
    if missing:
        st.error(t("msg.assets_missing", lang, n=len(missing)))
    pages = [
        st.Page(HERE / f"{name}.py", title=t(key, lang), icon=icon_, url_path=url, default=i == 0)
        for i, (name, key, icon_, url) in enumerate(PAGES)
    ]
    page = st.navigation(pages)
    c.draw_sidebar()
    page.run()


if __name__ == "__main__":
    main()
