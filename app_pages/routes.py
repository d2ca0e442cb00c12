"""Trasy: plan a patrol route for one shift from an address, a named base or a click on the map.

The start is geocoded against the store's address points with the import's matcher
(:func:`apk_geo.placenames.find_address`); an inexact address offers the nearest matches to
pick. Downloads of demo data say so (a ``synthetic`` flag in the JSON, the GPX metadata and a
line at the top of the printed sheet). The sidebar filters do not apply here and are not shown.
"""

from __future__ import annotations

import json
import math
from datetime import time

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from apk_geo import indicators, maps, routes
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.placenames import AddressMatch, find_address
from app_pages import _common as c

K_ROUTE = "route_plan"
K_BASE = "route_base"
K_TEXT = "route_start_text"
K_PICK = "route_pick"
K_FOUND = "route_start_found"
CUSTOM = "custom"


def tr(key: str, **fields: object) -> str:
    return t(f"route.{key}", lang, **fields)


def view(route: routes.Route) -> tuple[tuple[float, float], int]:
    """Return the centre and zoom that fit the route into the 480-px map (Web Mercator)."""
    minx, miny, maxx, maxy = (float(v) for v in route.line.to_crs("EPSG:4326").total_bounds)

    def merc(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x = max(maxx - minx, 1e-4)
    span_y = max(merc(maxy) - merc(miny), 1e-4)
    zoom = math.floor(min(math.log2(700 * 360 / 256 / span_x), math.log2(440 * 360 / 256 / span_y)))
    return ((miny + maxy) / 2, (minx + maxx) / 2), max(8, min(zoom, 18))


def picked() -> None:
    """A click on the small map becomes the start (as coordinates)."""
    value = st.session_state.get(K_PICK) or {}
    click = value.get("last_clicked") if isinstance(value, dict) else None
    if click:
        st.session_state[K_BASE] = CUSTOM
        st.session_state[K_TEXT] = f"{click['lat']:.5f}, {click['lng']:.5f}"


def use(text: str) -> None:
    st.session_state[K_BASE] = CUSTOM
    st.session_state[K_TEXT] = text


def locate(text: str) -> AddressMatch:
    return find_address(text, gazetteer=c.layers().get("address_points"))


lang = c.lang()
st.title(tr("title"))
c.require_store()
c.synthetic_banner()
base_name, base_address = c.ROUTE_BASE
st.session_state.setdefault(K_BASE, base_name)
st.session_state.setdefault(K_TEXT, "")

a, b = st.columns([1, 2])
a.radio(
    tr("base"),
    [base_name, CUSTOM],
    key=K_BASE,
    format_func=lambda v: tr("base_custom") if v == CUSTOM else f"{v} ({base_address})",
)
b.text_input(tr("start"), key=K_TEXT, disabled=st.session_state[K_BASE] != CUSTOM)
with b.expander(tr("start_click")):
    pick = maps.base_map(lang=lang, synthetic=c.is_synthetic(), height_px=320)
    maps.add_context(pick, districts=c.layers().get("districts"), city=c.layers().get("city"))
    st_folium(pick, key=K_PICK, height=320, use_container_width=True,
              returned_objects=["last_clicked"], on_change=picked)  # fmt: skip

with st.form("route_form"):
    a, b, d, e = st.columns(4)
    day = a.date_input(tr("date"), c.anchor_day(), format="DD.MM.YYYY")
    begin = b.time_input(tr("start_time"), time(8, 0))
    minutes = d.number_input(tr("minutes"), 30, 720, 360, step=30)
    dwell = e.number_input(tr("dwell"), 0, 60, 15)
    a, b, d, e = st.columns(4)
    end_text = a.text_input(tr("end"), "")
    mode = b.radio(tr("mode"), ("foot", "car"), horizontal=True, format_func=tr)
    max_stops = d.number_input(tr("max_stops"), 0, 60, 0)
    revisit = e.number_input(tr("revisit"), 0, 480, 0, step=30)
    top_n = st.number_input(tr("top_n"), 5, 100, 50)
    must_text = st.text_area(tr("must"), "", placeholder=tr("must_example"), help=tr("must_help"))
    submitted = st.form_submit_button(tr("plan"), type="primary")

start_text = base_address if st.session_state[K_BASE] != CUSTOM else st.session_state[K_TEXT]
if submitted:
    start = locate(start_text)
    end = locate(end_text) if end_text.strip() else None
    st.session_state[K_FOUND] = start
    problem = next((m for m in (start, end) if m is not None and not m.found), None)
    if problem is not None or start.lat is None or start.lon is None:
        problem = problem or start
        st.error(tr("address_not_found", text=problem.label))
        st.session_state.pop(K_ROUTE, None)
    else:
        shift = pd.Timestamp.combine(day, begin).tz_localize("Europe/Prague")
        try:
            with st.spinner(tr("plan")):
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
                st.session_state[K_ROUTE] = routes.plan_route(
                    routes.add_places(cands, places),
                    start=start.point,
                    end=None if end is None else end.point,
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

found: AddressMatch | None = st.session_state.get(K_FOUND)
if found is not None:
    if found.found:
        st.caption(tr("found", address=found.label))
    if found.suggestions:
        st.caption(tr("suggest", options=", ".join(found.suggestions)))
        for col, option in zip(st.columns(len(found.suggestions)), found.suggestions, strict=True):
            col.button(option, key=f"suggest.{option}", on_click=use, args=(option,))

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
st_folium(m, key="route_map", height=480, use_container_width=True, center=centre, zoom=zoom,
          returned_objects=[])  # fmt: skip

gpx = routes.to_gpx(route)
doc = routes.route_to_json(route)
sheet = routes.to_html(route, lang="en" if lang == "en" else "cs")
stem = "trasa"
if c.is_synthetic():
    gpx = indicators.synthetic_gpx(gpx, lang=lang)
    doc = indicators.synthetic_json(doc)
    sheet = indicators.synthetic_html(sheet, lang=lang)
    stem = "trasa_synteticka"
c.audit("route", "routes.route", stops=len(doc.get("stops", [])) if isinstance(doc, dict) else 0)
cols = st.columns(3)
cols[0].download_button(tr("gpx"), gpx, f"{stem}.gpx", "application/gpx+xml",
                        on_click=c.audit, args=("download", f"{stem}.gpx"))  # fmt: skip
cols[1].download_button(
    tr("json"), json.dumps(doc, ensure_ascii=False, indent=2), f"{stem}.json", "application/json",
    on_click=c.audit, args=("download", f"{stem}.json"),
)  # fmt: skip
cols[2].download_button(tr("html"), sheet, f"{stem}.html", "text/html",
                        on_click=c.audit, args=("download", f"{stem}.html"))  # fmt: skip
