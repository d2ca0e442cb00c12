"""The route page's second mode: a week of patrols for several pairs of assistants.

The mentor picks an ISO week and the number of pairs with their days and hours (or uploads a
teams file as ``apk-geo plan-week --teams`` reads it), and :func:`apk_geo.routes.plan_week`
spreads the week's shifts over the forecast. The page shows the shifts × places table
(:func:`apk_geo.routes.week_table`) and, for the shift picked, every pair's route on one map in
its own colour (:func:`apk_geo.route_maps.route_map`); the downloads are the files of
``apk-geo plan-week --out-dir`` (:func:`apk_geo.routes.weekexport.week_files`), demo data marked
as such. The plan is cached under the store's change token and every input of the form, so a
rerun (picking another shift, switching the language) does not plan again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from apk_geo import indicators, routes
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.map_style import fit_view
from apk_geo.placenames import find_address
from apk_geo.route_maps import route_map, routes_bounds
from apk_geo.routes.teams import rosters_for_week, week_choices
from apk_geo.routes.weekexport import uncovered_names, week_files, week_shift_routes, zip_bytes
from apk_geo.store import error_text
from app_pages import _common as c
from app_pages._grid import show_table
from app_pages._route_one import printed_name

K_INPUTS = "route_week_inputs"
K_SHIFT = "route_week_shift"
#: What the week's form says: week, start (lat, lon), start's name, days, shift, number of
#: pairs, the pairs' name pattern, the teams file (name, bytes) or None — the plan's cache key.
WeekInputs = tuple[str, tuple[float, float], str, str, str, int, str, tuple[str, bytes] | None]


@st.cache_data(max_entries=4, show_spinner=False)
def _week_plan(
    location: str,
    user: str,
    token: str,
    week: str,
    start: tuple[float, float],
    start_name: str,
    days: str,
    shift: str,
    n: int,
    team_name: str,
    teams_file: tuple[str, bytes] | None,
) -> routes.WeekPlan:
    """Return the week's plan (cached under the store and every input of the form)."""
    ly = c.layers()
    with tempfile.TemporaryDirectory() as folder:
        path = None
        if teams_file is not None:
            path = Path(folder) / Path(teams_file[0]).name
            path.write_bytes(teams_file[1])
        rosters = rosters_for_week(
            start=start, start_name=start_name, days=days, shift=shift, n=n, name=team_name,
            teams_file=path, gazetteer=ly.get("address_points"), context=c.context(),
        )  # fmt: skip
    incidents = c.incidents()
    before = incidents[incidents["reported_at"] < routes.parse_week(week)]
    return routes.plan_week(
        before, week=week, teams=rosters, area=ly.get("city"), context=c.context(),
        districts=ly.get("districts"), addresses=ly.get("address_points"),
    )  # fmt: skip


def _week_label(week: str, lang: str) -> str:
    """Return ``"49. týden 2026: 30. 11. 2026 – 6. 12. 2026"`` (dates in ``lang``)."""
    monday = routes.parse_week(week)
    year, number, _ = monday.isocalendar()
    last = monday + pd.Timedelta(days=6)
    return t("route.week_label", lang, number=number, year=str(year), first=monday.date(),
             last=last.date())  # fmt: skip


def week_form(lang: str) -> None:
    """Draw the week's form; when it is sent, keep its inputs in the session (or say why not)."""
    weeks, first = week_choices(c.anchor_day())
    base_name, base_address = c.ROUTE_BASE
    with st.form("route_week_form"):
        a, b = st.columns([1, 2])
        week = a.selectbox(t("route.week_pick", lang), weeks, index=weeks.index(first),
                           format_func=lambda w: _week_label(w, lang))  # fmt: skip
        start_text = b.text_input(t("route.start", lang), base_address)
        a, b, d = st.columns(3)
        n = a.number_input(t("route.week_teams", lang), 1, 8, 2)
        days = b.text_input(t("route.week_days", lang), "po-pá")
        shift = d.text_input(t("route.week_hours", lang), "08:00-14:00")
        upload = st.file_uploader(t("route.week_file", lang), type=["csv", "toml"],
                                  help=t("route.week_file_help", lang))  # fmt: skip
        if not st.form_submit_button(t("route.week_plan", lang), type="primary"):
            return
    found = find_address(start_text, gazetteer=c.layers().get("address_points"))
    if not found.found:
        st.error(found.not_found_text(lang))
        return
    on_base = start_text.strip() == base_address
    name = printed_name(found, base=base_name if on_base else None, lang=lang)
    st.session_state[K_INPUTS] = (
        str(week), found.point, name, days, shift, int(n), t("sheet.team_n", lang),
        None if upload is None else (upload.name, upload.getvalue()),
    )  # fmt: skip
    c.audit("route", "routes.week", week=str(week), teams=int(n))  # once per plan, not per rerun


def show(lang: str) -> None:
    """Draw the week mode: the form, the table, the map of the shift picked, the downloads."""
    week_form(lang)
    inputs = st.session_state.get(K_INPUTS)
    if inputs is None:
        st.info(t("route.week_none_yet", lang))
        return
    try:
        with st.spinner(t("route.week_planning", lang)):
            plan = _week_plan(*c.cache_key(), *inputs)
    except (ApkGeoError, ValueError) as exc:
        st.error(t("route.week_failed", lang, reason=error_text(exc, lang)))
        return
    data = routes.week_to_json(plan)
    fair = data["fairness"]
    st.subheader(_week_label(plan.week, lang))
    st.markdown(t("route.week_summary", lang, shifts=len(plan.shifts),
                   routes=sum(len(s["teams"]) for s in data["shifts"]),
                   covered=fair["covered"], places=fair["places"]))  # fmt: skip
    st.caption(t("route.week_fairness", lang))
    if plan.uncovered:
        st.warning(t("route.week_uncovered", lang, places=", ".join(uncovered_names(plan))))
    st.markdown(f"**{t('route.week_table', lang)}**")
    show_table(routes.week_table(plan, lang=lang), lang=lang, width="stretch")
    key = shift_picker(plan, lang)
    shown = week_shift_routes(plan, key)
    ly = c.layers()
    m = route_map(shown, lang=lang, synthetic=c.is_synthetic(), height_px=480,
                  districts=ly.get("districts"), city=ly.get("city"))  # fmt: skip
    centre, zoom = fit_view(routes_bounds(shown), width_px=700, height_px=440)
    st_folium(m, key="route_week_map", height=480, use_container_width=True, center=centre,
              zoom=zoom, returned_objects=[])  # fmt: skip
    downloads(plan, lang)


def shift_picker(plan: routes.WeekPlan, lang: str) -> str:
    """Draw the shift's picker; the shift picked survives a language switch (a new widget)."""
    labels = routes.shift_labels(plan, lang=lang)
    keys = list(labels)
    kept = st.session_state.get(K_SHIFT)
    key = st.selectbox(t("route.week_shift", lang), keys, format_func=labels.__getitem__,
                       index=keys.index(kept) if kept in keys else 0,
                       key=f"route_week_shift.{plan.week}.{lang}")  # fmt: skip
    st.session_state[K_SHIFT] = key
    return str(key)


@st.cache_data(max_entries=4, show_spinner=False)
def _week_files(
    location: str, user: str, token: str, inputs: WeekInputs, lang: str, synthetic: bool
) -> dict[str, str]:
    """Return the week's files (cached beside the plan: the sheets take a while to write)."""
    plan = _week_plan(location, user, token, *inputs)
    files = week_files(plan, lang="en" if lang == "en" else "cs")
    return indicators.synthetic_files(files, lang=lang) if synthetic else files


def downloads(plan: routes.WeekPlan, lang: str) -> None:
    """Offer every file of the week as one ZIP, and the table as CSV and printable HTML."""
    synthetic = c.is_synthetic()
    files = _week_files(*c.cache_key(), st.session_state[K_INPUTS], lang, synthetic)
    stem = f"tyden_{plan.week}" + ("_synteticky" if synthetic else "")
    items: list[tuple[str, str | bytes, str, str]] = [
        (
            t("route.week_zip", lang),
            zip_bytes(files, folder=stem),
            f"{stem}.zip",
            "application/zip",
        ),
        (t("route.week_csv", lang), files["table.csv"].encode("utf-8"), f"{stem}.csv", "text/csv"),
        (t("route.week_html", lang), files["table.html"], f"{stem}.html", "text/html"),
    ]
    for col, (label, body, name, mime) in zip(st.columns(len(items)), items, strict=True):
        col.download_button(label, body, name, mime, on_click=c.audit, args=("download", name))
