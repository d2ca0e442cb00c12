"""Mapa: KPI cards and the offline folium map of the filtered incidents and hotspot results.

Everything drawn comes from the app state: the hotspots are those of the Hotspots page for the
same filter and options (:func:`_common.hotspots`), the map zooms to the filtered districts, and
its view and switched-off layers come back from ``st_folium`` into the state, so a rerun (any
filter change) keeps them.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from apk_geo import fmt, indicators, maps
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.store import error_text
from app_pages import _common as c

MAX_POINTS = 2000
MAP_HEIGHT_PX = 600

lang = c.lang()
st.title(t("nav.map", lang))
c.require_store()
c.synthetic_banner()

f = c.filters()
k = indicators.compute_kpis(c.incidents(), f)


def signed_pct(change_pct: float) -> str:
    """Return a change in per cent with its sign, in the page's language (``+12 %``, ``-3%``)."""
    sign = "-" if round(change_pct) < 0 else "+"
    return sign + fmt.percent(abs(change_pct) / 100, lang)


def pct(x: float | None) -> str:
    return t("kpi.na", lang) if x is None else fmt.percent(x, lang)


cols = st.columns(4)
cols[0].metric(
    t("kpi.incidents", lang), fmt.integer(k.n, lang), help=t("kpi.previous", lang, n=k.n_previous)
)
change = t("kpi.na", lang) if k.change_pct is None else signed_pct(k.change_pct)
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
basemap = c.local_basemap()
tile_options = ["none", *(["local"] if basemap else []), "osm", "cuzk_ortho"]
tiles = c.bound(
    right.selectbox,
    t("map.tiles", lang),
    "map.tiles",
    options=tile_options,
    to_widget=lambda v: v if v in tile_options else "none",
    format_func=lambda v: t(f"map.tiles_{v}", lang),
)
show_hot = c.bound(right.toggle, t("map.show_hotspots", lang), "map.show_hotspots")
show_risk = c.bound(right.toggle, t("map.show_risk", lang), "map.show_risk")
area = c.analysis_area()
run: indicators.HotspotRun | None = None
if show_hot:
    try:
        with st.spinner(t("hot.running", lang)):
            run = c.hotspots(with_emerging=False)
    except (ApkGeoError, ValueError, ModuleNotFoundError) as exc:
        right.caption(t("map.hotspots_unavailable", lang, reason=error_text(exc, lang)))
if run is not None:
    method = t(f"hot.method_{run.method}", lang)
    right.caption(t("map.hotspot_method_area", lang, method=method, area=area.name))
risk = c.forecast_risk() if show_risk else None
if show_risk and risk is None:
    right.caption(t("map.risk_unavailable", lang))
geocoded = int(len(data) - no_geom)
if geocoded > MAX_POINTS:
    right.caption(t("map.aggregated", lang, n=geocoded, cell=250))

ly = c.layers()
view = c.state().map
acc = c.access()
points_shown = "points" in acc.layers  # else the incidents are drawn as counts per cell only
if points_shown and geocoded:
    c.audit(
        "page_view", "map.points", n=min(geocoded, MAX_POINTS), filters=c.state().key("filters")
    )
m = maps.incident_map(
    data,
    districts=ly.get("districts"),
    city=ly.get("city"),
    svl=ly.get("svl"),
    hostels=ly.get("hostels"),
    stops=ly.get("stops"),
    schools=ly.get("schools"),
    hostel_buffer_m=c.app_config().hostel_buffer_m,
    risk=risk,
    **(maps.method_layers(run.result, method=run.method, lang=lang) if run is not None else {}),
    focus=None if area.whole_city else area.shape,
    lang=lang,
    tiles=tiles,
    synthetic=c.is_synthetic(),
    max_points=MAX_POINTS if points_shown else 0,
    hidden_layers=view.hidden_layers or None,
    tier="internal" if acc.incident_detail else "presenter",
    local_basemap=basemap,
    height_px=MAP_HEIGHT_PX,
)
with left:
    out = st_folium(
        m,
        key="map",
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=["zoom", "center", "selected_layers"],
        zoom=view.zoom,
        center=view.center,
    )
c.remember_view(out, initial=(tuple(m.location), m.options.get("zoom")))
