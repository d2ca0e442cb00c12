"""Hotspoty: one method on the filtered incidents, recomputed on every change of the state.

The method and its options are part of the app state (and of the URL); the result is cached
under the filters, the area and the options (:func:`_common.hotspots`), so the table, the map,
the downloads and the Mapa page always show the same, current result. The table names places
by street and house number or a landmark, shows a cell's own count next to its neighbourhood's,
and the evaluation (PAI, hit rate) is computed within the area analysed, named next to it.
"""

from __future__ import annotations

import math

import streamlit as st
from streamlit_folium import st_folium

from apk_geo import fmt, indicators, maps
from apk_geo.app_state import HOTSPOT_METHODS
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.store import error_text
from app_pages import _common as c
from app_pages._download import table_downloads
from app_pages._grid import selected_rows

lang = c.lang()
st.title(t("hot.title", lang))
c.require_store()
c.synthetic_banner()


def auto(value: float | None) -> float | None:
    """Return a size in metres, ``None`` (automatic) for an empty field or 0."""
    return float(value) if value else None


c.bound(
    st.radio,
    t("hot.method", lang),
    "hotspots.method",
    options=list(HOTSPOT_METHODS),
    horizontal=True,
    format_func=lambda m: t(f"hot.method_{m}", lang),
)
a, b, d, e = st.columns(4)
c.bound(a.number_input, t("hot.cell_size", lang), "hotspots.cell_size_m",
        min_value=0.0, max_value=2000.0, step=50.0, from_widget=auto)  # fmt: skip
c.bound(b.number_input, t("hot.bandwidth", lang), "hotspots.bandwidth_m",
        min_value=0.0, max_value=5000.0, step=50.0, from_widget=auto)  # fmt: skip
c.bound(d.number_input, t("hot.min_cluster", lang), "hotspots.min_cluster_size",
        min_value=3, max_value=500, step=1)  # fmt: skip
c.bound(e.number_input, t("hot.top", lang), "hotspots.top", min_value=3, max_value=50, step=1)
st.caption(t("hot.method_applies", lang))

area = c.analysis_area()
try:
    with st.spinner(t("hot.running", lang)):
        run = c.hotspots()
except ModuleNotFoundError as exc:
    st.warning(t("hot.module_missing", lang, name=exc.name))
    st.stop()
except (ApkGeoError, ValueError) as exc:
    st.error(t("hot.failed", lang, reason=error_text(exc, lang)))
    st.stop()
if run is None:
    st.info(t("msg.empty_filter", lang))
    st.stop()

opts = c.state().hotspots
table = indicators.readable_hotspots(run, top=opts.top, layers=c.layers(), lang=lang)
st.subheader(t("hot.table", lang))
st.caption(t("area.label", lang, area=area.name) + " · " + t("hot.select_hint", lang))
if run.method == "gistar":
    st.caption(t("hot.explain_note", lang))
shown = table.drop(columns=table.geometry.name)
shown = shown.rename(columns={col: t(f"column.{col}", lang) for col in shown.columns})
rows = selected_rows(
    shown,
    lang=lang,
    selection_mode="single-row",
    key=f"hot_table.{c.state().key('filters', 'hotspots')}",
)
prefix = "hotspots_synthetic" if c.is_synthetic() else "hotspots"
table_downloads(
    table.drop(columns=table.geometry.name),
    f"{prefix}_{run.method}_table",
    lang,
    audit_subject=f"{prefix}_{run.method}_table",
)
focus = table.iloc[rows] if rows else (None if area.whole_city else area.shape)
ly = c.layers()
m = maps.incident_map(
    c.filtered(),
    districts=ly.get("districts"),
    city=ly.get("city"),
    stops=ly.get("stops"),
    schools=ly.get("schools"),
    focus=focus,
    **maps.method_layers(run.result, method=run.method, lang=lang),
    lang=lang,
    synthetic=c.is_synthetic(),
    tier="internal",
)
st_folium(m, key="hot_map", height=480, use_container_width=True, returned_objects=[])

# The same files as `apk-geo hotspots --out`: one writer, one schema (GeoPackage in S-JTSK,
# GeoJSON and CSV in WGS 84 with the cell centres); demo data say so in a `synthetic` column.
downloads = (
    (".geojson", "hot.download_geojson", "application/geo+json"),
    (".gpkg", "hot.download_gpkg", "application/geopackage+sqlite3"),
    (".csv", "hot.download_csv", "text/csv"),
)
for col, (suffix, key, mime) in zip(st.columns(len(downloads)), downloads, strict=True):
    col.download_button(
        t(key, lang),
        c.hotspot_file(run, suffix),
        f"{prefix}_{run.method}{suffix}",
        mime,
        on_click=c.audit,
        args=("download", f"{prefix}_{run.method}{suffix}"),
    )
with st.expander(t("hot.params", lang)):
    st.json(run.params)

grid_params = run.params.get("grid")
cell_m = float(grid_params.get("cell_size_m", 150)) if isinstance(grid_params, dict) else 150.0
try:
    evaluated = c.evaluation(run.method, cell_size_m=cell_m)
except (ApkGeoError, ValueError, ModuleNotFoundError) as exc:
    st.subheader(t("hot.evaluation_title", lang))
    st.info(t("hot.eval_unavailable", lang, reason=error_text(exc, lang)))
else:
    if evaluated is not None:
        month, ev, ev_area = evaluated
        st.subheader(t("hot.evaluation", lang, month=month))
        st.caption(
            t("hot.evaluation_area", lang, area=ev_area.name)
            + " "
            + t("hot.evaluation_hint", lang, month=month)
        )
        values = ev[["coverage", "pai", "hit_rate"]].to_numpy(dtype=float)
        for col, (coverage, pai, hit_rate) in zip(st.columns(len(ev)), values, strict=True):
            col.metric(
                f"PAI – {t('hot.coverage', lang, pct=100 * float(coverage))}",
                t("kpi.na", lang) if math.isnan(pai) else fmt.number(pai, lang, digits=2),
                help=t("hot.pai", lang),
            )
            hit = t("kpi.na", lang) if math.isnan(hit_rate) else fmt.percent(hit_rate, lang)
            col.caption(f"{t('hot.hit_rate', lang)}: {hit} · {ev_area.name}")
