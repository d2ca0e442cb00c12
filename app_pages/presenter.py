"""MDT porady: presenter mode — one area at a time, large type, this month against the last.

Built on the same functions as the meeting packs (``reports.build_pack`` → ``Pack``; the map is
``reports.map_html``, the downloads ``render_html``/``render_pdf``), presenter tier only: counts
below the threshold are "<3", incidents are grid cells, never points, and no note, address or
assistant code enters a pack. Tables are HTML in large type (a data grid would draw 16-px
canvas text). The full-screen switch leaves the area's name and the map alone, the map as tall
as the window (``100vh``), so it fits 1366×768 as well as 1920×1080. ``apk-geo dashboard
--presenter`` starts the app with this page alone (no navigation, no other page by URL).

With a database store the page shows the packs published for presenters (:mod:`_published`):
a presenter's role may read no incident, so nothing is built from incidents for them; a mentor
may also publish the pack of an area and month from here.
"""

from __future__ import annotations

import logging
from typing import Literal

import pandas as pd
import streamlit as st

from apk_geo import reports
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.store import error_text
from app_pages import _common as c
from app_pages import _published

logger = logging.getLogger("apk_geo.dashboard")

K_AREA = "presenter_area_index"
K_MONTH = "presenter_month"
K_MONTH_KEPT = "presenter_month_kept"  # the month while full screen hides its picker
K_FULL = "presenter_fullscreen"
K_PDF = "presenter_pdf_file"  # the made PDF (name, bytes); not a widget key
#: Large type for a meeting room, tables included; metric values and labels after the rule.
LARGE_TYPE_CSS = """<style>
.stMainBlockContainer p, .stMainBlockContainer li {font-size: 1.35rem;}
.stMainBlockContainer h2 {font-size: 2.4rem;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {font-size: 3.2rem;}
[data-testid="stMetricLabel"] p {font-size: 1.4rem;}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] p {font-size: 1.5rem;}
table.apk-big {border-collapse: collapse; width: 100%; font-size: 1.45rem; line-height: 1.35;}
table.apk-big th, table.apk-big td {border-bottom: 1px solid #ccc; padding: .35rem .6rem;
  text-align: left; vertical-align: top;}
table.apk-big th {background: #f0f2f6;}
.stMainBlockContainer button p {font-size: 1.3rem;}
</style>"""
#: Full-screen map: no sidebar, header or toolbar; the map as tall as the window.
FULL_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] {display: none;}
.stMainBlockContainer {max-width: 100%; padding: 0.3rem 1rem 0;}
iframe[data-testid="stIFrame"] {height: calc(100vh - 6.5rem) !important;}
.stMainBlockContainer h3 {font-size: 1.9rem; margin: 0; padding: 0;}
.stMainBlockContainer h3 small {font-size: 1.1rem; color: #555; font-weight: normal;}
</style>"""
#: Map height in pixels outside full-screen mode.
MAP_HEIGHT_PX = 560

lang = c.lang()
full = bool(st.session_state.get(K_FULL, False))
if not full:
    st.title(t("nav.mdt", lang))
c.require_store()
if not full:
    c.synthetic_banner()
st.markdown(LARGE_TYPE_CSS + (FULL_CSS if full else ""), unsafe_allow_html=True)


@st.cache_resource(max_entries=2, show_spinner=False)
def report_data(location: str, user: str, token: str) -> reports.ReportData:
    return reports.ReportData.from_store(c.store(), config=c.app_config())


@st.cache_resource(max_entries=32, show_spinner=False)
def pack_of(location: str, user: str, token: str, area: str, month: str, lg: str) -> reports.Pack:
    return reports.build_pack(
        report_data(location, user, token), area=area, month=month, lang=lg, tier="presenter"
    )


def _month_label(month: str, lg: str) -> str:
    """Return ``2026-11`` as the pack names it (``listopad 2026`` / ``November 2026``)."""
    return reports.month_label(pd.Period(month, freq="M"), lg)


def step(delta: int, n: int) -> None:
    st.session_state[K_AREA] = (st.session_state.get(K_AREA, 0) + delta) % n


def big_table(frame: pd.DataFrame) -> None:
    """Show a pack table as escaped HTML in large type."""
    st.markdown(frame.to_html(index=False, classes="apk-big", border=0), unsafe_allow_html=True)


def full_height(page: str, height_px: int) -> str:
    """Return the map page with its map as tall as its frame (the frame is sized by CSS)."""
    return page.replace(f"height: {float(height_px)}px;", "height: 100vh;", 1)


def publish_form() -> None:
    """Let a mentor publish the pack of an area and month (built from the live data)."""
    with st.expander(t("packs.publish_title", lang)):
        live = report_data(*c.cache_key())
        choices = [a.name for a in reports.resolve_areas("all", config=live.config, districts=())]
        months = [str(m) for m in live.months()]
        if not months:
            st.info(reports.text("ui.no_month", lang))
            return
        a, m = st.columns(2)
        area = a.selectbox(t("packs.area", lang), choices, key="publish_area")
        month = m.selectbox(reports.text("ui.month", lang), months, key="publish_month",
                            format_func=lambda v: _month_label(v, lang))  # fmt: skip
        if st.button(t("packs.publish", lang), key="publish_button", type="primary"):
            try:
                with st.spinner(t("packs.publish", lang)):
                    _published.publish(pack_of(*c.cache_key(), area, month, lang))
            except (ApkGeoError, ValueError) as exc:
                st.error(reports.text("ui.failed", lang, reason=error_text(exc, lang)))
                return
            st.success(t("packs.published", lang, area=area, month=month))


if c.is_database():  # a team's store: the published packs, never a query of incidents
    if c.access().incident_detail:
        publish_form()
    _published.draw(lang)
    st.stop()

try:
    data = report_data(*c.cache_key())
except ApkGeoError as exc:  # a presenter of a database store may not read incidents
    logger.warning("MDT data not available: %s", exc)
    st.info(reports.text("ui.failed", lang, reason=t("auth.no_pack_data", lang)))
    st.stop()
areas = [a.name for a in reports.resolve_areas("all", config=data.config, districts=())]
months = [str(m) for m in data.months()]
if not months:
    st.info(reports.text("ui.no_month", lang))
    st.stop()
st.session_state.setdefault(K_AREA, 0)
idx = st.session_state[K_AREA] % len(areas)

if full:  # one compact row above a map as tall as the window
    left, mid, right, switch = st.columns([2, 6, 2, 2], vertical_alignment="center")
    month = st.session_state.get(K_MONTH_KEPT) or months[0]
else:
    left, mid, right = st.columns([2, 3, 2], vertical_alignment="bottom")
    if st.session_state.get(K_MONTH_KEPT) in months and K_MONTH not in st.session_state:
        st.session_state[K_MONTH] = st.session_state[K_MONTH_KEPT]  # back from full screen
    month = mid.selectbox(reports.text("ui.month", lang), months, key=K_MONTH,
                          format_func=lambda v: _month_label(v, lang))  # fmt: skip
    st.session_state[K_MONTH_KEPT] = month
left.button(reports.text("ui.prev", lang), key="presenter_prev", on_click=step,
            args=(-1, len(areas)), width="stretch")  # fmt: skip
right.button(reports.text("ui.next", lang), key="presenter_next", on_click=step,
             args=(1, len(areas)), width="stretch")  # fmt: skip
area = areas[idx]
try:
    pack = pack_of(*c.cache_key(), area, month, lang)
except (ApkGeoError, ValueError) as exc:
    st.error(reports.text("ui.failed", lang, reason=error_text(exc, lang)))
    st.stop()

where = (
    f"{reports.month_label(pack.month, lang)} · "
    f"{reports.text('ui.position', lang, i=idx + 1, n=len(areas))}"
)
if full:
    demo = f" · {t('map.synthetic_data', lang)}" if c.is_synthetic() else ""
    mid.markdown(f"### {area} <small>{where}{demo}</small>", unsafe_allow_html=True)
    switch.toggle(reports.text("ui.fullscreen", lang), key=K_FULL)
else:
    st.header(area)
    st.caption(where)
if not full:
    figures = reports.tables(pack)["figures"].to_numpy().tolist()
    for col, (label, value, change) in zip(st.columns(3), figures, strict=True):
        # The pack writes a minus as "−" (U+2212); Streamlit reads the direction from "-".
        delta = change.replace("−", "-") if change and change != "–" else None
        arrow: Literal["auto", "off"] = "off" if delta is None or delta.startswith("±") else "auto"
        col.metric(label, value, delta=delta, delta_color="off", delta_arrow=arrow)

if not full:
    st.toggle(reports.text("ui.fullscreen", lang), key=K_FULL)
st.iframe(full_height(reports.map_html(pack, height_px=MAP_HEIGHT_PX), MAP_HEIGHT_PX),
          height=MAP_HEIGHT_PX + 10)  # fmt: skip
if not full:
    st.caption(reports.text("map_note", lang, cell=round(float(pack.params["cell_size_m"]))))
    tabs = reports.tables(pack)
    st.subheader(reports.text("hotspots", lang))
    if pack.hotspots.empty:
        st.write(reports.text("no_hotspots", lang))
    else:
        big_table(tabs["hotspots"])
    st.subheader(reports.text("changed", lang))
    for heading, items in reports.changed_items(pack):
        st.markdown(f"**{heading}:** " + ("; ".join(items) or reports.text("none", lang)))
    st.subheader(reports.text("categories", lang))
    big_table(tabs["categories"])

if full:  # the map alone; the downloads come back with the rest of the page
    st.stop()
a, b = st.columns(2)
a.download_button(
    reports.text("ui.download_html", lang),
    reports.render_html(pack),
    reports.pack_filename(pack, "html"),
    "text/html",
    key="presenter_html",
)
pdf_name = reports.pack_filename(pack, "pdf")
if b.button(reports.text("ui.make_pdf", lang), key="presenter_make_pdf"):
    try:
        with st.spinner(reports.text("ui.make_pdf", lang)):
            st.session_state[K_PDF] = (pdf_name, reports.render_pdf(pack))
    except ApkGeoError as exc:
        st.error(reports.text("ui.failed", lang, reason=error_text(exc, lang)))
made = st.session_state.get(K_PDF)
if made and made[0] == pdf_name:  # only the PDF of the area and month on screen
    b.download_button(
        reports.text("ui.download_pdf", lang),
        made[1],
        pdf_name,
        "application/pdf",
        key="presenter_pdf",
    )
