"""The apk-geo dashboard's entry script: ``apk-geo dashboard --store PATH`` runs it.

Routes the pages with ``st.navigation`` and draws the shared sidebar (language, and the filters
on the pages they apply to) once. The store comes from ``--store``, else ``$APK_GEO_STORE``, else
``var/demo.gpkg``. Every page is a short script in this package that calls :mod:`apk_geo`.
Streamlit serves the map's front-end files from ``static/vendor/`` beside this file
(``apk-geo assets install`` puts them there).

``--presenter`` (or ``$APK_GEO_PRESENTER=1``) locks the app to the MDT page for a projector: no
navigation, no other page reachable by URL, no raw data and no incident points.

Deep links work for every page path (``/mapa?cat=truancy``): Streamlit serves its default page
at ``/`` only, so the map is also registered, hidden from the menu, at ``/mapa``. A page that
fails shows one Czech (or English) sentence; the details go to the log, never to the screen
(``client.showErrorDetails = "none"``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Final

import streamlit as st

from apk_geo import assets
from apk_geo.i18n import t
from app_pages import _chrome, _signin
from app_pages import _common as c

HERE = Path(__file__).resolve().parent
logger = logging.getLogger("apk_geo.dashboard")

PAGES: Final = (  # file, title key, icon, URL path
    ("map", "nav.map", ":material/map:", "mapa"),
    ("hotspots", "nav.hotspots", ":material/local_fire_department:", "hotspoty"),
    ("trends", "nav.trends", ":material/trending_up:", "trendy"),
    ("routes", "nav.routes", ":material/route:", "trasy"),
    ("presenter", "nav.mdt", ":material/groups:", "mdt"),
    ("admin", "nav.admin", ":material/admin_panel_settings:", "sprava"),  # an admin's first
    ("data", "nav.data", ":material/database:", "data"),
)
BY_NAME: Final[dict[str, tuple[str, str, str, str]]] = {p[0]: p for p in PAGES}
#: The roles' page names (``apk_geo.auth.PAGES``) the admin page stands for: its two tabs.
ADMIN_VIEWS: Final = frozenset({"audit", "users"})
#: Pages the sidebar filters apply to (elsewhere they are not shown).
FILTER_PAGES: Final = frozenset({"map", "hotspots", "trends"})


def _offered(name: str, pages: tuple[str, ...]) -> bool:
    """Return whether the page ``name`` is among a role's ``pages`` (admin: audit or users)."""
    return name in pages or (name == "admin" and bool(ADMIN_VIEWS & set(pages)))


def _pages(lang: str) -> dict[str, Any]:
    """Return the pages by name (the map also as a hidden deep-link alias ``map_link``)."""
    if c.presenter_mode():  # the MDT page alone; any other page's path shows it too
        name, key, icon, url = BY_NAME["presenter"]
        mdt = st.Page(
            HERE / f"{name}.py", title=t(key, lang), icon=icon, url_path=url, default=True
        )
        aliases = {
            f"{other}_link": st.Page(
                HERE / f"{name}.py", title=t(key, lang), url_path=path, visibility="hidden"
            )
            for other, _, _, path in PAGES
            if other != name
        }
        return {name: mdt, **aliases}
    allowed = [p for p in PAGES if _offered(p[0], c.access().pages)]  # the role's pages only
    pages = {  # the default page is served at "/"; its own path only names it internally
        name: st.Page(
            HERE / f"{name}.py",
            title=t(key, lang),
            icon=icon,
            url_path=f"{url}-start" if i == 0 else url,
            default=i == 0,
        )
        for i, (name, key, icon, url) in enumerate(allowed)
    }
    if "map" in pages and allowed[0][0] == "map":
        pages["map_link"] = st.Page(
            HERE / "map.py", title=t("nav.map", lang), url_path="mapa", visibility="hidden"
        )
    return pages


def main() -> None:
    """Draw the app once (Streamlit runs the entry script on every interaction)."""
    # A local image as the favicon: Material-icon and emoji favicons are fetched from Google/CDNs.
    icon = assets.vendor_dir() / "leaflet" / "images" / "marker-icon.png"
    st.set_page_config(
        page_title="APK geo", page_icon=str(icon) if icon.is_file() else None, layout="wide"
    )
    c.init_state()
    lang = c.lang()
    _chrome.apply(lang)  # Streamlit's own texts (uploader, multiselect, page not found)
    missing = assets.missing_files()
    if missing:
        st.error(t("msg.assets_missing", lang, n=len(missing)))
    _signin.require_session()  # a database store: signed in, or the form and a stop
    pages = _pages(lang)
    if not pages:
        st.error(t("auth.no_pages", lang, role=c.access().tier))
        _signin.draw_user()
        st.stop()
    page = st.navigation(
        list(pages.values()), position="hidden" if c.presenter_mode() else "sidebar"
    )
    name = next((n for n, p in pages.items() if p is page), "map")
    _signin.draw_user()
    c.draw_sidebar(
        with_filters=not c.presenter_mode() and name.removesuffix("_link") in FILTER_PAGES
    )
    try:
        page.run()
    except Exception:  # st.stop/st.rerun are BaseExceptions and pass through
        logger.exception("dashboard page %s failed", name)
        st.error(t("msg.page_failed", c.lang()))


if __name__ == "__main__":
    main()
