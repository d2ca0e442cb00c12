"""Trasy: one patrol route for one shift, or a week of patrols for several pairs.

The first mode (:mod:`app_pages._route_one`) plans one route from an address, a named base or a
click on the map; the second, "Týden / Week" (:mod:`app_pages._route_week`), plans an ISO week
for several pairs and shows the shifts × places table and a map per shift, each pair in its own
colour. The sidebar filters do not apply here and are not shown.
"""

from __future__ import annotations

import streamlit as st

from apk_geo.i18n import t
from app_pages import _common as c
from app_pages import _route_one, _route_week

K_VIEW = "route_view"

lang = c.lang()
st.title(t("route.title", lang))
c.require_store()
c.synthetic_banner()
view = st.radio(
    t("route.view", lang),
    ("one", "week"),
    key=K_VIEW,
    horizontal=True,
    format_func=lambda v: t(f"route.view_{v}", lang),
)
if view == "week":
    _route_week.show(lang)
else:
    _route_one.show(lang)
