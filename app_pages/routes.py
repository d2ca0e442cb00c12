"""Trasy: plan a patrol route for one shift; stops table, map, GPX / JSON / HTML downloads."""

from __future__ import annotations

import json
from datetime import date, time

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from apk_geo import maps, routes
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from app_pages import _common as c

K_ROUTE = "route_plan"
#: Labels until they move into apk_geo.i18n.STRINGS as "route.<key>" (then i18n wins).
_LABELS = {
    "title": ("Trasy hlídky", "Patrol routes"),
    "date": ("Datum směny", "Shift date"),
    "start_time": ("Začátek", "Start"),
    "minutes": ("Délka směny (min)", "Shift (min)"),
    "start": ("Start (šířka, délka)", "Start (lat, lon)"),
    "end": ("Cíl (prázdné = start)", "End (empty = start)"),
    "dwell": ("Zastávka (min)", "Stop (min)"),
    "mode": ("Pohyb", "Travel"),
    "foot": ("pěšky", "on foot"),
    "car": ("autem", "by car"),
    "max_stops": ("Max. zastávek", "Max. stops"),
    "revisit": ("Opakovaná návštěva po (min, 0 = ne)", "Revisit after (min, 0 = no)"),
    "top_n": ("Kandidátů", "Candidates"),
    "plan": ("Naplánovat", "Plan"),
    "none_yet": ("Vyplňte formulář a naplánujte trasu.", "Fill in the form and plan a route."),
    "failed": ("Trasu nelze naplánovat: {reason}", "Cannot plan the route: {reason}"),
    "summary": (
        "{n} zastávek · {km:.1f} km · {min:.0f} min · pokrytí {cov}",
        "{n} stops · {km:.1f} km · {min:.0f} min · coverage {cov}",
    ),
    "gpx": ("Stáhnout GPX", "Download GPX"),
    "json": ("Stáhnout JSON", "Download JSON"),
    "html": ("Tisk (HTML)", "Print (HTML)"),
}


def tr(key: str, **fields: object) -> str:
    try:
        return t(f"route.{key}", lang, **fields)
    except KeyError:
        cs, en = _LABELS[key]
        return (en if lang == "en" else cs).format(**fields)


def parse_latlon(text: str) -> tuple[float, float] | None:
    if not text.strip():
        return None
    lat, lon = (float(v) for v in text.replace(";", ",").split(","))
    return lat, lon


@st.cache_data(max_entries=8, show_spinner=False)
def shift_candidates(
    path: str,
    version: int,
    start: str,
    minutes: float,
    top_n: int,
    _incidents: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame | None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    ts = pd.Timestamp(start)
    return routes.candidates_for_shift(
        _incidents[_incidents["reported_at"] < ts],
        shift_start=ts,
        shift_minutes=minutes,
        area=_area,
        top_n=top_n,
    )


lang = c.lang()
st.title(tr("title"))
c.require_store()
c.synthetic_banner()
with st.form("route_form"):
    a, b, d, e = st.columns(4)
    day = a.date_input(tr("date"), date.today())
    begin = b.time_input(tr("start_time"), time(8, 0))
    minutes = d.number_input(tr("minutes"), 30, 720, 360, step=30)
    dwell = e.number_input(tr("dwell"), 0, 60, 15)
    a, b, d, e = st.columns(4)
    start_text = a.text_input(tr("start"), "49.8353, 18.2920")
    end_text = b.text_input(tr("end"), "")
    mode = d.radio(tr("mode"), ("foot", "car"), horizontal=True, format_func=tr)
    max_stops = e.number_input(tr("max_stops"), 0, 60, 0)
    a, b = st.columns(2)
    revisit = a.number_input(tr("revisit"), 0, 480, 0, step=30)
    top_n = b.number_input(tr("top_n"), 5, 100, 50)
    submitted = st.form_submit_button(tr("plan"), type="primary")

if submitted:
    shift = pd.Timestamp.combine(day, begin).tz_localize("Europe/Prague")
    try:
        start = parse_latlon(start_text)
        if start is None:
            raise ValueError(start_text)
        cands, demand = shift_candidates(
            *c.cache_key(),
            shift.isoformat(),
            float(minutes),
            int(top_n),
            _incidents=c.incidents(),
            _area=c.layers().get("city"),
        )
        st.session_state[K_ROUTE] = routes.plan_route(
            cands,
            start=start,
            end=parse_latlon(end_text),
            shift_start=shift,
            shift_minutes=float(minutes),
            dwell_minutes=float(dwell),
            mode="car" if mode == "car" else "foot",
            max_stops=int(max_stops) or None,
            revisit_interval_minutes=float(revisit) or None,
            demand=demand,
        )
    except (ApkGeoError, ValueError) as exc:
        st.error(tr("failed", reason=str(exc)))

route: routes.Route | None = st.session_state.get(K_ROUTE)
if route is None:
    st.info(tr("none_yet"))
    st.stop()

tot = route.totals
cov = "–" if tot["coverage_share"] is None else f"{100 * tot['coverage_share']:.0f} %"
st.subheader(
    tr("summary", n=tot["n_stops"], km=tot["distance_m"] / 1000, min=tot["duration_min"], cov=cov)
)
table = route.stops.drop(columns=["geometry", "lat", "lon"]).assign(
    arrive=route.stops["arrive"].dt.strftime("%H:%M"),
    depart=route.stops["depart"].dt.strftime("%H:%M"),
)
st.dataframe(table, hide_index=True)

line = route.line.to_crs("EPSG:4326")
m = maps.base_map(bounds_4326=tuple(line.total_bounds), lang=lang, synthetic=c.is_synthetic())
folium.GeoJson(
    line.geometry.iloc[0].__geo_interface__,
    style_function=lambda _: {"color": "#1f5fa8", "weight": 4},
).add_to(m)
for row in route.stops.itertuples():
    folium.Marker(
        [row.lat, row.lon],
        tooltip=maps.esc(f"{row.order}. {row.name} {row.arrive:%H:%M}"),
        icon=folium.DivIcon(
            html=f'<div style="background:#c0392b;color:#fff;border-radius:50%;'
            f'width:22px;text-align:center">{int(row.order)}</div>'
        ),
    ).add_to(m)
st_folium(m, key="route_map", height=480, use_container_width=True, returned_objects=[])

cols = st.columns(3)
cols[0].download_button(tr("gpx"), routes.to_gpx(route), "trasa.gpx", "application/gpx+xml")
cols[1].download_button(
    tr("json"),
    json.dumps(routes.route_to_json(route), ensure_ascii=False, indent=2),
    "trasa.json",
    "application/json",
)
cols[2].download_button(
    tr("html"),
    routes.to_html(route, lang="en" if lang == "en" else "cs"),
    "trasa.html",
    "text/html",
)
