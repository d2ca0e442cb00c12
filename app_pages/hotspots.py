"""Hotspoty: run one method per form submit; top-hotspot table linked to a map; downloads; PAI."""

from __future__ import annotations

import math

import streamlit as st
from streamlit_folium import st_folium

from apk_geo import indicators, maps
from apk_geo.coords import located
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from app_pages import _common as c

lang = c.lang()
st.title(t("hot.title", lang))
c.require_store()
c.synthetic_banner()

data = c.filtered()
points = located(data)
ly = c.layers()
with st.form("hotspot_form"):
    method = st.radio(
        t("hot.method", lang),
        indicators.METHODS,
        horizontal=True,
        format_func=lambda m: t(f"hot.method_{m}", lang),
    )
    a, b, d, e = st.columns(4)
    cell = a.number_input(t("hot.cell_size", lang), 0, 2000, 0, step=50)
    bandwidth = b.number_input(t("hot.bandwidth", lang), 0, 5000, 0, step=50)
    min_size = d.number_input(t("hot.min_cluster", lang), 3, 500, 15)
    top = e.number_input(t("hot.top", lang), 3, 50, 10)
    submitted = st.form_submit_button(t("hot.run", lang), type="primary")

if submitted or c.K_HOTSPOT not in st.session_state:  # Gi* with defaults on first visit
    if points.empty:
        st.info(t("msg.empty_filter", lang))
        st.stop()
    try:
        st.session_state[c.K_HOTSPOT] = c.run_hotspots(
            method,
            cell_size_m=float(cell) or None,
            bandwidth_m=float(bandwidth) or None,
            min_cluster_size=int(min_size),
        )
    except ModuleNotFoundError as exc:
        st.warning(t("hot.module_missing", lang, name=exc.name))
    except (ApkGeoError, ValueError) as exc:
        st.error(t("hot.failed", lang, reason=str(exc)))

run: indicators.HotspotRun | None = st.session_state.get(c.K_HOTSPOT)
if run is None:
    st.info(t("hot.none_yet", lang))
    st.stop()

table = indicators.hotspot_table(
    run.result, top=int(top), districts=ly.get("districts"), context=c.context(), lang=lang
)
st.subheader(t("hot.table", lang))
st.caption(t("hot.select_hint", lang))
shown = table.drop(columns=table.geometry.name)
shown = shown.rename(columns={col: t(f"column.{col}", lang) for col in shown.columns})
sel = st.dataframe(
    shown, hide_index=True, on_select="rerun", selection_mode="single-row", key="hot_table"
)
rows = sel.selection.rows if sel else []
focus = table.iloc[rows] if rows else None
m = maps.incident_map(
    points,
    districts=ly.get("districts"),
    city=ly.get("city"),
    focus=focus,
    **maps.method_layers(run.result, method=run.method, lang=lang),
    lang=lang,
    synthetic=c.is_synthetic(),
)
st_folium(m, key="hot_map", height=480, use_container_width=True, returned_objects=[])

# The same files as `apk-geo hotspots --out`: one writer, one schema (GeoPackage in S-JTSK,
# GeoJSON and CSV in WGS 84 with the cell centres).
downloads = (
    (".geojson", "hot.download_geojson", "application/geo+json"),
    (".gpkg", "hot.download_gpkg", "application/geopackage+sqlite3"),
    (".csv", "hot.download_csv", "text/csv"),
)
for col, (suffix, key, mime) in zip(st.columns(len(downloads)), downloads, strict=True):
    col.download_button(
        t(key, lang),
        c.hotspot_file(run, suffix),
        f"hotspots_{run.method}{suffix}",
        mime,
    )
with st.expander(t("hot.params", lang)):
    st.json(run.params)

grid_params = run.params.get("grid")
cell_m = float(grid_params.get("cell_size_m", 150)) if isinstance(grid_params, dict) else 150.0
try:
    evaluated = c.evaluation(run.method, cell_size_m=cell_m)
except (ApkGeoError, ValueError, ModuleNotFoundError) as exc:
    st.subheader(t("hot.evaluation_title", lang))
    st.info(t("hot.eval_unavailable", lang, reason=str(exc)))
else:
    if evaluated is not None:
        month, ev = evaluated
        st.subheader(t("hot.evaluation", lang, month=str(month)))
        st.caption(t("hot.evaluation_hint", lang, month=str(month)))
        values = ev[["coverage", "pai", "hit_rate"]].to_numpy(dtype=float)
        for col, (coverage, pai, hit_rate) in zip(st.columns(len(ev)), values, strict=True):
            col.metric(
                f"PAI – {t('hot.coverage', lang, pct=f'{100 * coverage:g}')}",
                t("kpi.na", lang) if math.isnan(pai) else f"{pai:.2f}",
                help=t("hot.pai", lang),
            )
            hit = t("kpi.na", lang) if math.isnan(hit_rate) else f"{hit_rate:.0%}"
            col.caption(f"{t('hot.hit_rate', lang)}: {hit}")
