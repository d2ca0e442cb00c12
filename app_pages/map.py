"""Mapa: KPI cards and the offline folium map of the filtered incidents and hotspot results."""

from __future__ import annotations

from typing import cast

import streamlit as st
from streamlit_folium import st_folium

from apk_geo import indicators, maps
from apk_geo.i18n import t
from app_pages import _common as c

lang = c.lang()
st.title(t("nav.map", lang))
c.require_store()
c.synthetic_banner()

f = c.filters()
k = indicators.compute_kpis(c.incidents(), f)


def pct(x: float | None) -> str:
    return t("kpi.na", lang) if x is None else f"{100 * x:.0f} %"


cols = st.columns(4)
cols[0].metric(t("kpi.incidents", lang), f"{k.n}", help=t("kpi.previous", lang, n=k.n_previous))
change = t("kpi.na", lang) if k.change_pct is None else f"{k.change_pct:+.0f} %"
cols[1].metric(t("kpi.change", lang), change, help=t("kpi.previous", lang, n=k.n_previous))
cols[2].metric(t("kpi.resolved", lang), pct(k.share_resolved))
cols[3].metric(t("kpi.patrol", lang), pct(k.share_patrol))

data = c.filtered()
if data.empty:
    st.info(t("msg.empty_filter", lang))
no_geom = int((data.geometry.isna() | data.geometry.is_empty).sum())
if no_geom:
    st.caption(t("msg.no_geocoded", lang, n=no_geom))

left, right = st.columns([3, 1])
tiles = right.selectbox(
    t("map.tiles", lang),
    ["none", "osm", "cuzk_ortho"],
    key="map_tiles",
    format_func=lambda v: t(f"map.tiles_{v}", lang),
)
run: indicators.HotspotRun | None = st.session_state.get(c.K_HOTSPOT) or c.default_hotspots()
show_hot = right.toggle(
    t("map.show_hotspots", lang), value=True, disabled=run is None, key="map_show_hot"
)
if run is not None:
    right.caption(t("map.hotspot_method", lang, method=t(f"hot.method_{run.method}", lang)))
show_risk = right.toggle(t("map.show_risk", lang), value=False, key="map_show_risk")
risk = c.forecast_risk() if show_risk else None
MAX_POINTS = 2000
geocoded = int(len(data) - no_geom)
if geocoded > MAX_POINTS:
    right.caption(t("map.aggregated", lang, n=geocoded, cell=250))

ly = c.layers()
cfg = c.app_config()
hot = run if (run is not None and show_hot) else None
m = maps.incident_map(
    data,
    districts=ly.get("districts"),
    city=ly.get("city"),
    svl=ly.get("svl"),
    hostels=ly.get("hostels"),
    hostel_buffer_m=cfg.hostel_buffer_m,
    risk=risk,
    **(maps.method_layers(hot.result, method=hot.method, lang=lang) if hot is not None else {}),
    lang=lang,
    tiles=cast(maps.TileChoice, tiles),
    synthetic=c.is_synthetic(),
    max_points=MAX_POINTS,
)
with left:
    st_folium(m, key="map", height=600, use_container_width=True, returned_objects=[])
