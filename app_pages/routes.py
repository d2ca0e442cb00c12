"""Trasy: plan a patrol route for one shift; stops table, map, GPX / JSON / HTML downloads."""

from __future__ import annotations

import json
import math
from datetime import date, time

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from apk_geo import maps, routes
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from app_pages import _common as c

K_ROUTE = "route_plan"


def tr(key: str, **fields: object) -> str:
    return t(f"route.{key}", lang, **fields)


def point(text: str) -> tuple[float, float] | None:
    """Return (lat, lon) of coordinates or an address; None for an empty field."""
    if not text.strip():
        return None
    return routes.resolve_point(text, gazetteer=c.layers().get("address_points"))


def view(route: routes.Route) -> tuple[tuple[float, float], int]:
    """Return the centre and zoom that fit the route into the 480-px map (Web Mercator)."""
    minx, miny, maxx, maxy = (float(v) for v in route.line.to_crs("EPSG:4326").total_bounds)

    def merc(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x = max(maxx - minx, 1e-4)
    span_y = max(merc(maxy) - merc(miny), 1e-4)
    zoom = math.floor(min(math.log2(700 * 360 / 256 / span_x), math.log2(440 * 360 / 256 / span_y)))
    return ((miny + maxy) / 2, (minx + maxx) / 2), max(8, min(zoom, 18))


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
    must_text = st.text_area(tr("must"), "", placeholder=tr("must_example"), help=tr("must_help"))
    submitted = st.form_submit_button(tr("plan"), type="primary")

if submitted:
    shift = pd.Timestamp.combine(day, begin).tz_localize("Europe/Prague")
    try:
        start = point(start_text)
        if start is None:
            raise ValueError(tr("bad_point", text=start_text))
        cands, demand = c.shift_candidates(
            *c.cache_key(),
            shift.isoformat(),
            float(minutes),
            int(top_n),
            _incidents=c.incidents(),
            _area=c.layers().get("city"),
        )
        places = routes.parse_places(
            must_text.splitlines(), gazetteer=c.layers().get("address_points")
        )
        cands = routes.add_places(cands, places)
        st.session_state[K_ROUTE] = routes.plan_route(
            cands,
            start=start,
            end=point(end_text),
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
table = pd.DataFrame(
    {
        tr("col_order"): route.stops["order"],
        tr("col_name"): route.stops["name"],
        tr("col_visit"): route.stops["visit"].map({1: "", 2: tr("revisit_mark")}),
        tr("col_must"): route.stops["must_visit"].map({True: "✓", False: ""}),
        tr("col_arrive"): route.stops["arrive"].dt.strftime("%H:%M"),
        tr("col_wait"): route.stops["wait_min"].round(0),
        tr("col_depart"): route.stops["depart"].dt.strftime("%H:%M"),
        tr("col_priority"): route.stops["priority"].round(3),
        tr("col_leg"): route.stops["leg_distance_m"].round(0),
    }
)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(
    tr(
        "collected",
        got=float(tot["priority_collected"]),
        of=float(tot["priority_available"]),
        r=float(tot["coverage_radius_m"]),
    )
)

m = maps.route_map(route, lang=lang, synthetic=c.is_synthetic())
maps.add_context(m, districts=c.layers().get("districts"), city=c.layers().get("city"), lang=lang)
centre, zoom = view(route)
st_folium(
    m,
    key="route_map",
    height=480,
    use_container_width=True,
    center=centre,
    zoom=zoom,
    returned_objects=[],
)

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
