"""The route page's first mode: plan one patrol route for one shift.

The start is an address, a named base or a click on the map, geocoded against the store's address
points with the import's matcher (:func:`apk_geo.placenames.find_address`); an inexact address
offers the nearest matches to pick. The address found goes on the printed sheet as the start's
name (``start_name``/``end_name``), not the coordinates. Downloads of demo data say so (a
``synthetic`` flag in the JSON, the GPX metadata and a line at the top of the printed sheet).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time
from typing import Literal

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from apk_geo import fmt, indicators, maps, routes
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.map_style import fit_view
from apk_geo.placenames import AddressMatch, find_address
from apk_geo.route_maps import route_map, routes_bounds
from apk_geo.store import error_text
from app_pages import _common as c
from app_pages._grid import show_table

K_ROUTE = "route_plan"
K_BASE = "route_base"
K_TEXT = "route_start_text"
K_PICK = "route_pick"
K_FOUND = "route_start_found"
CUSTOM = "custom"


def tr(key: str, lang: str, **fields: object) -> str:
    return t(f"route.{key}", lang, **fields)


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


def printed_name(found: AddressMatch, *, base: str | None = None, lang: str = "cs") -> str:
    """Return the name the sheet prints for a point: the address found (with the base's name).

    For coordinates: the nearest address or landmark (:func:`apk_geo.routes.describe_point`).
    """
    if found.match == "coordinates" and found.lat is not None and found.lon is not None:
        addresses = c.layers().get("address_points")
        return routes.describe_point(
            found.lat, found.lon, addresses=addresses, context=c.context(), lang=lang
        )
    return f"{base}, {found.label}" if base else found.label


def show(lang: str) -> None:
    """Draw the one-route mode: the start, the shift's form, the route, its map and files."""
    base_name, base_address = c.ROUTE_BASE
    st.session_state.setdefault(K_BASE, base_name)
    st.session_state.setdefault(K_TEXT, "")
    a, b = st.columns([1, 2])
    a.radio(
        tr("base", lang),
        [base_name, CUSTOM],
        key=K_BASE,
        format_func=lambda v: tr("base_custom", lang) if v == CUSTOM else f"{v} ({base_address})",
    )
    b.text_input(tr("start", lang), key=K_TEXT, disabled=st.session_state[K_BASE] != CUSTOM)
    with b.expander(tr("start_click", lang)):
        pick = maps.base_map(lang=lang, synthetic=c.is_synthetic(), height_px=320)
        maps.add_context(pick, districts=c.layers().get("districts"), city=c.layers().get("city"))
        st_folium(pick, key=K_PICK, height=320, use_container_width=True,
                  returned_objects=["last_clicked"], on_change=picked)  # fmt: skip
    form = shift_form(lang)
    if form is not None:
        on_base = st.session_state[K_BASE] != CUSTOM
        text = base_address if on_base else st.session_state[K_TEXT]
        plan(text, form, base=base_name if on_base else None, lang=lang)
    suggestions(lang)
    route: routes.Route | None = st.session_state.get(K_ROUTE)
    if route is None:
        st.info(tr("none_yet", lang))
        return
    result(route, lang)


@dataclass(frozen=True)
class ShiftForm:
    """What the shift's form asks: when, how long, how, and which places must be visited."""

    shift: pd.Timestamp
    minutes: float
    dwell: float
    end_text: str
    mode: Literal["foot", "car"]
    max_stops: int | None
    revisit: float | None
    top_n: int
    must: str


def shift_form(lang: str) -> ShiftForm | None:
    """Draw the shift's form; return what it says once it is sent (else ``None``)."""
    with st.form("route_form"):
        a, b, d, e = st.columns(4)
        day = a.date_input(tr("date", lang), c.anchor_day(), format="DD.MM.YYYY")
        begin = b.time_input(tr("start_time", lang), time(8, 0))
        minutes = d.number_input(tr("minutes", lang), 30, 720, 360, step=30)
        dwell = e.number_input(tr("dwell", lang), 0, 60, 15)
        a, b, d, e = st.columns(4)
        end_text = a.text_input(tr("end", lang), "")
        mode = b.radio(tr("mode", lang), ("foot", "car"), horizontal=True,
                       format_func=lambda v: tr(v, lang))  # fmt: skip
        max_stops = d.number_input(tr("max_stops", lang), 0, 60, 0)
        revisit = e.number_input(tr("revisit", lang), 0, 480, 0, step=30)
        top_n = st.number_input(tr("top_n", lang), 5, 100, 50)
        must = st.text_area(tr("must", lang), "", placeholder=tr("must_example", lang),
                            help=tr("must_help", lang))  # fmt: skip
        if not st.form_submit_button(tr("plan", lang), type="primary"):
            return None
    return ShiftForm(
        shift=pd.Timestamp.combine(day, begin).tz_localize("Europe/Prague"),
        minutes=float(minutes),
        dwell=float(dwell),
        end_text=end_text,
        mode="car" if mode == "car" else "foot",
        max_stops=int(max_stops) or None,
        revisit=float(revisit) or None,
        top_n=int(top_n),
        must=must,
    )


def plan(start_text: str, form: ShiftForm, *, base: str | None, lang: str) -> None:
    """Locate the start and end, plan the route and keep it in the session (or say why not)."""
    start = locate(start_text)
    end = locate(form.end_text) if form.end_text.strip() else None
    st.session_state[K_FOUND] = start
    problem = next((m for m in (start, end) if m is not None and not m.found), None)
    if problem is not None:
        st.error(problem.not_found_text(lang))
        st.session_state.pop(K_ROUTE, None)
        return
    gazetteer = c.layers().get("address_points")
    try:
        with st.spinner(tr("plan", lang)):
            cands, demand = c.shift_candidates(
                *c.cache_key(), form.shift.isoformat(), form.minutes, form.top_n,
                _incidents=c.incidents(), _area=c.layers().get("city"),
            )  # fmt: skip
            places = routes.parse_places(form.must.splitlines(), gazetteer=gazetteer)
            st.session_state[K_ROUTE] = routes.plan_route(
                routes.add_places(cands, places),
                start=start.point,
                end=None if end is None else end.point,
                start_name=printed_name(start, base=base, lang=lang),
                end_name="" if end is None else printed_name(end, lang=lang),
                shift_start=form.shift,
                shift_minutes=form.minutes,
                dwell_minutes=form.dwell,
                mode=form.mode,
                max_stops=form.max_stops,
                revisit_interval_minutes=form.revisit,
                demand=demand,
            )
    except (ApkGeoError, ValueError) as exc:
        st.error(tr("failed", lang, reason=error_text(exc, lang)))


def suggestions(lang: str) -> None:
    """Say which address was found and offer the nearest ones when it was not exact."""
    found: AddressMatch | None = st.session_state.get(K_FOUND)
    if found is None:
        return
    if found.found:
        st.caption(tr("found", lang, address=found.label))
    if found.suggestions:
        st.caption(tr("suggest", lang, options=", ".join(found.suggestions)))
        for col, option in zip(st.columns(len(found.suggestions)), found.suggestions, strict=True):
            col.button(option, key=f"suggest.{option}", on_click=use, args=(option,))


def result(route: routes.Route, lang: str) -> None:
    """Show the planned route: its summary, stops, map and downloads."""
    tot = route.totals
    cov = fmt.percent(tot["coverage_share"], lang)  # "–" when the route has no coverage
    st.subheader(tr("summary", lang, n=tot["n_stops"], km=tot["distance_m"] / 1000,
                    min=tot["duration_min"], cov=cov))  # fmt: skip
    stops = route.stops
    table = pd.DataFrame(
        {
            tr("col_order", lang): stops["order"],
            tr("col_name", lang): stops["name"],
            tr("col_visit", lang): stops["visit"].map({1: "", 2: tr("revisit_mark", lang)}),
            tr("col_must", lang): stops["must_visit"].map({True: "✓", False: ""}),
            tr("col_arrive", lang): stops["arrive"].dt.strftime("%H:%M"),
            tr("col_wait", lang): stops["wait_min"].round(0),
            tr("col_depart", lang): stops["depart"].dt.strftime("%H:%M"),
            tr("col_priority", lang): stops["priority"].round(3),
            tr("col_leg", lang): stops["leg_distance_m"].round(0),
        }
    )
    show_table(table, lang=lang, width="stretch")
    got, of = float(tot["priority_collected"]), float(tot["priority_available"])
    st.caption(tr("collected", lang, got=got, of=of, r=float(tot["coverage_radius_m"])))
    ly = c.layers()
    m = route_map(route, lang=lang, synthetic=c.is_synthetic(), height_px=480,
                  districts=ly.get("districts"), city=ly.get("city"))  # fmt: skip
    centre, zoom = fit_view(routes_bounds([route]), width_px=700, height_px=440)
    st_folium(m, key="route_map", height=480, use_container_width=True, center=centre, zoom=zoom,
              returned_objects=[])  # fmt: skip
    downloads(route, lang)


def downloads(route: routes.Route, lang: str) -> None:
    """Offer the route as GPX, JSON and a printable sheet (demo data say so)."""
    gpx = routes.to_gpx(route)
    doc = routes.route_to_json(route)
    sheet = routes.to_html(route, lang="en" if lang == "en" else "cs")
    stem = "trasa"
    if c.is_synthetic():
        gpx = indicators.synthetic_gpx(gpx, lang=lang)
        doc = indicators.synthetic_json(doc)
        sheet = indicators.synthetic_html(sheet, lang=lang)
        stem = "trasa_synteticka"
    c.audit("route", "routes.route", stops=len(doc.get("stops", [])))
    cols = st.columns(3)
    cols[0].download_button(tr("gpx", lang), gpx, f"{stem}.gpx", "application/gpx+xml",
                            on_click=c.audit, args=("download", f"{stem}.gpx"))  # fmt: skip
    cols[1].download_button(
        tr("json", lang), json.dumps(doc, ensure_ascii=False, indent=2), f"{stem}.json",
        "application/json", on_click=c.audit, args=("download", f"{stem}.json"),
    )  # fmt: skip
    cols[2].download_button(tr("html", lang), sheet, f"{stem}.html", "text/html",
                            on_click=c.audit, args=("download", f"{stem}.html"))  # fmt: skip
