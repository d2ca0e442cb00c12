"""MDT porady: presenter mode — one area at a time, large type, this month against the last.

Built on the same functions as the meeting packs (``reports.build_pack`` → ``Pack``; the map is
``reports.map_html``, the downloads ``render_html``/``render_pdf``), presenter tier only. The
full-screen switch leaves the area's name and the map alone on a page as wide as the window;
the map's own button (under the zoom buttons) puts it on the whole screen.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from apk_geo import reports
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from app_pages import _common as c

K_AREA = "presenter_area_index"
K_MONTH = "presenter_month"
K_FULL = "presenter_fullscreen"
K_PDF = "presenter_pdf"
#: Large type for a meeting room; metric values and labels are set after the general rule.
LARGE_TYPE_CSS = """<style>
.stMainBlockContainer p, .stMainBlockContainer li {font-size: 1.25rem;}
.stMainBlockContainer h2 {font-size: 2.4rem;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {font-size: 3.2rem;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem;}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] p {font-size: 1.4rem;}
</style>"""
#: Full-screen map: no sidebar or app header, the page as wide as the window.
FULL_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] {display: none;}
.stMainBlockContainer {max-width: 100%; padding: 0.5rem 1.5rem 1rem;}
</style>"""
#: Map height in pixels, normally and in full-screen mode.
MAP_HEIGHT_PX = 560
FULL_MAP_HEIGHT_PX = 860

c.init_state()
lang = c.lang()
full = bool(st.session_state.get(K_FULL, False))
if not full:
    st.title(t("nav.mdt", lang))
c.require_store()
c.synthetic_banner()
st.markdown(LARGE_TYPE_CSS + (FULL_CSS if full else ""), unsafe_allow_html=True)


@st.cache_resource(max_entries=2, show_spinner=False)
def report_data(path: str, version: int) -> reports.ReportData:
    return reports.ReportData.from_store(c.store(), config=c.app_config())


@st.cache_resource(max_entries=32, show_spinner=False)
def pack_of(path: str, version: int, area: str, month: str, lg: str) -> reports.Pack:
    return reports.build_pack(
        report_data(path, version), area=area, month=month, lang=lg, tier="presenter"
    )


def step(delta: int, n: int) -> None:
    st.session_state[K_AREA] = (st.session_state.get(K_AREA, 0) + delta) % n


data = report_data(*c.cache_key())
areas = [a.name for a in reports.resolve_areas("all", config=data.config, districts=())]
months = [str(m) for m in data.months()]
if not months:
    st.info(reports.text("ui.no_month", lang))
    st.stop()
st.session_state.setdefault(K_AREA, 0)
idx = st.session_state[K_AREA] % len(areas)

left, mid, right = st.columns([2, 3, 2], vertical_alignment="bottom")
left.button(
    reports.text("ui.prev", lang),
    key="presenter_prev",
    on_click=step,
    args=(-1, len(areas)),
    width="stretch",
)
right.button(
    reports.text("ui.next", lang),
    key="presenter_next",
    on_click=step,
    args=(1, len(areas)),
    width="stretch",
)
month = mid.selectbox(reports.text("ui.month", lang), months, key=K_MONTH)
area = areas[idx]
try:
    pack = pack_of(*c.cache_key(), area, month, lang)
except (ApkGeoError, ValueError) as exc:
    st.error(reports.text("ui.failed", lang, reason=str(exc)))
    st.stop()

st.header(area)
st.caption(
    f"{reports.month_label(pack.month, lang)} · "
    f"{reports.text('ui.position', lang, i=idx + 1, n=len(areas))}"
)
if not full:
    figures = reports.tables(pack)["figures"].to_numpy().tolist()
    for col, (label, value, change) in zip(st.columns(3), figures, strict=True):
        # The pack writes a minus as "−" (U+2212); Streamlit reads the direction from "-".
        delta = change.replace("−", "-") if change and change != "–" else None
        arrow: Literal["auto", "off"] = "off" if delta is None or delta.startswith("±") else "auto"
        col.metric(label, value, delta=delta, delta_color="off", delta_arrow=arrow)

st.toggle(reports.text("ui.fullscreen", lang), key=K_FULL)
height = FULL_MAP_HEIGHT_PX if full else MAP_HEIGHT_PX
st.iframe(reports.map_html(pack, height_px=height), height=height + 10)
st.caption(reports.text("map_note", lang, cell=f"{pack.params['cell_size_m']:.0f}"))

if not full:
    tabs = reports.tables(pack)
    st.subheader(reports.text("hotspots", lang))
    if pack.hotspots.empty:
        st.write(reports.text("no_hotspots", lang))
    else:
        st.dataframe(tabs["hotspots"], hide_index=True, width="stretch")
    st.subheader(reports.text("changed", lang))
    for heading, items in reports.changed_items(pack):
        st.markdown(f"**{heading}:** " + ("; ".join(items) or reports.text("none", lang)))
    st.subheader(reports.text("categories", lang))
    st.dataframe(tabs["categories"], hide_index=True, width="stretch")

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
        st.session_state[K_PDF] = (pdf_name, reports.render_pdf(pack))
    except ApkGeoError as exc:
        st.error(reports.text("ui.failed", lang, reason=str(exc)))
made = st.session_state.get(K_PDF)
if made and made[0] == pdf_name:  # only the PDF of the area and month on screen
    b.download_button(
        reports.text("ui.download_pdf", lang),
        made[1],
        pdf_name,
        "application/pdf",
        key="presenter_pdf",
    )
