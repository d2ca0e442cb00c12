"""Shared pieces of the dashboard: store access, cached loaders, session state and the sidebar.

Every page imports from here; the sidebar is drawn once by ``dashboard.py``. Large frames are
cached with ``st.cache_resource`` (shared, never mutated: every apk_geo function is pure), keyed by
the store path and its modification time, so an import invalidates them. Derived results are
cached with ``st.cache_data``; large arguments start with ``_`` and stay out of the cache key.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import streamlit as st

from apk_geo import indicators, io, selection
from apk_geo.config import Config, load_config
from apk_geo.coords import located
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import LANGS, normalize_lang, t
from apk_geo.schema import CATEGORY_CODES, CRS_METRIC, OUTCOME_CODES, label_of

#: Session-state keys (initialised once in :func:`init_state`).
K_LANG: Final = "lang"
K_PRESET: Final = "f_preset"
K_RANGE: Final = "f_range"
K_CATS: Final = "f_categories"
K_OUTS: Final = "f_outcomes"
K_DISTS: Final = "f_districts"
K_MDT: Final = "f_mdt_areas"
K_WDAYS: Final = "f_weekdays"
K_HOURS: Final = "f_hours"
K_HOTSPOT: Final = "hotspot_run"
K_INIT: Final = "state_initialised"

DEFAULT_STORE: Final = "var/demo.gpkg"
CONTEXT_LAYERS: Final = ("districts", "city", "svl", "hostels", "mdt_areas")


@dataclass(frozen=True)
class AppArgs:
    """Command-line options after ``--`` in ``streamlit run dashboard.py -- --store PATH``."""

    store: Path
    config: Path | None


def app_args() -> AppArgs:
    """Return the store and config paths: ``--store``/``--config``, ``$APK_GEO_STORE``, default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    parser.add_argument("--config")
    known, _ = parser.parse_known_args(sys.argv[1:])
    store = known.store or os.environ.get("APK_GEO_STORE") or DEFAULT_STORE
    return AppArgs(Path(store), Path(known.config) if known.config else None)


@st.cache_resource
def config(path: str | None) -> Config:
    """Return the configuration (defaults when ``path`` is ``None``)."""
    return load_config(path)


def app_config() -> Config:
    """Return the configuration named on the command line."""
    cfg = app_args().config
    return config(str(cfg) if cfg else None)


def store_version(path: Path) -> int:
    """Return the store file's modification time (ns); changes after every import."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@st.cache_resource(max_entries=4)
def _open(path: str, version: int) -> Any:
    from apk_geo.store import open_store

    return open_store(path)


def store() -> Any:
    """Return the open store (an ``IncidentStore``) of the current path and version."""
    path = app_args().store
    return _open(str(path), store_version(path))


@st.cache_resource(max_entries=2, show_spinner=False)
def _incidents(path: str, version: int) -> gpd.GeoDataFrame:
    frame: gpd.GeoDataFrame = _open(path, version).incidents()
    return frame


@st.cache_resource(max_entries=2, show_spinner=False)
def _layers(path: str, version: int) -> dict[str, gpd.GeoDataFrame]:
    s = _open(path, version)
    names = set(s.layer_names())
    return {n: s.layer(n) for n in CONTEXT_LAYERS if n in names}


@st.cache_data(max_entries=4, show_spinner=False)
def _metadata(path: str, version: int) -> dict[str, str]:
    meta: dict[str, str] = dict(_open(path, version).metadata())
    return meta


def incidents() -> gpd.GeoDataFrame:
    """Return every incident of the store (shared; do not modify)."""
    path = app_args().store
    return _incidents(str(path), store_version(path))


def layers() -> dict[str, gpd.GeoDataFrame]:
    """Return the store's context layers present (``districts``, ``city``, …)."""
    path = app_args().store
    return _layers(str(path), store_version(path))


def context() -> SimpleNamespace:
    """Return the store's context layers (``svl``, ``hostels``, ``stops`` …) as attributes."""
    return SimpleNamespace(**layers())


def is_synthetic() -> bool:
    """Return whether the store holds synthetic demo data."""
    path = app_args().store
    return _metadata(str(path), store_version(path)).get("synthetic", "").lower() == "true"


def lang() -> str:
    """Return the current UI language."""
    return normalize_lang(st.session_state.get(K_LANG, "cs"))


def require_store() -> None:
    """Stop the page with a clear message (and a demo button) when the store is missing."""
    path = app_args().store
    lg = lang()
    if path.is_file():
        try:
            store()
        except Exception as exc:  # any failure to open is shown, not raised
            st.error(t("msg.store_error", lg, reason=str(exc)))
            st.stop()
        return
    st.error(t("msg.no_store", lg, path=str(path)))
    st.markdown(t("msg.no_store_hint", lg))
    if st.button(t("msg.build_demo", lg), key="build_demo"):
        try:
            from apk_geo.demo import build_demo_store
        except ImportError:
            st.warning(t("msg.demo_missing", lg))
        else:
            with st.spinner(t("msg.build_demo", lg)):
                path.parent.mkdir(parents=True, exist_ok=True)
                build_demo_store(path)
            st.success(t("msg.demo_built", lg))
            st.rerun()
    st.stop()


def synthetic_banner() -> None:
    """Show the synthetic-data banner when the store holds demo data."""
    if is_synthetic():
        st.warning(t("banner.synthetic", lang()))


def anchor_day() -> date:
    """Return the day the date presets end on: the last day with data (else today)."""
    span = selection.data_span(incidents()) if app_args().store.is_file() else None
    return span[1] if span else date.today()


def _choices() -> dict[str, list[str]]:
    inc = incidents()
    districts = sorted(inc["district_name"].dropna().astype(str).unique())
    areas = sorted(inc["mdt_area"].dropna().astype(str).unique())
    cats = list(
        dict.fromkeys([*CATEGORY_CODES, *sorted(inc["category"].dropna().astype(str).unique())])
    )
    return {
        "categories": cats,
        "outcomes": list(OUTCOME_CODES),
        "districts": districts,
        "mdt_areas": areas,
    }


def init_state() -> None:
    """Initialise session state once, from the URL query parameters (shared links)."""
    if st.session_state.get(K_INIT):
        return
    st.session_state[K_LANG] = normalize_lang(st.query_params.get("lang", "cs"))
    if app_args().store.is_file():
        f = selection.filters_from_query(
            dict(st.query_params),
            today=anchor_day(),
            allowed=_choices(),
            span=selection.data_span(incidents()),
        )
        st.session_state[K_PRESET] = f.preset
        st.session_state[K_RANGE] = (f.start, f.end)
        st.session_state[K_CATS] = list(f.categories)
        st.session_state[K_OUTS] = list(f.outcomes)
        st.session_state[K_DISTS] = list(f.districts)
        st.session_state[K_MDT] = list(f.mdt_areas)
        st.session_state[K_WDAYS] = list(f.weekdays)
        st.session_state[K_HOURS] = f.hours
    st.session_state[K_INIT] = True


def filters() -> selection.Filters:
    """Return the filters selected in the sidebar."""
    preset = st.session_state.get(K_PRESET, "30d")
    if preset == "custom":
        rng = st.session_state.get(K_RANGE) or ()
        start, end = (*tuple(rng), None, None)[:2]
        end = end or start
    else:
        start, end = selection.preset_range(preset, today=anchor_day())
    return selection.Filters(
        start=start,
        end=end,
        preset=preset,
        categories=tuple(st.session_state.get(K_CATS, ())),
        outcomes=tuple(st.session_state.get(K_OUTS, ())),
        districts=tuple(st.session_state.get(K_DISTS, ())),
        mdt_areas=tuple(st.session_state.get(K_MDT, ())),
        weekdays=tuple(sorted(st.session_state.get(K_WDAYS, ()))),
        hours=tuple(st.session_state.get(K_HOURS, (0, 23))),
    )  # type: ignore[arg-type]


def draw_sidebar() -> None:
    """Draw the language switch and the filters (once per run, from ``dashboard.py``)."""
    init_state()
    sb = st.sidebar
    sb.selectbox(
        t("sidebar.language", lang()),
        LANGS,
        key=K_LANG,
        format_func=lambda c: {"cs": "čeština", "en": "English"}[c],
    )
    lg = lang()
    if not app_args().store.is_file():
        st.query_params.from_dict({"lang": lg})
        return
    ch = _choices()
    sb.header(t("sidebar.filters", lg))
    sb.caption(t("sidebar.data_until", lg, date=anchor_day().strftime("%d.%m.%Y")))
    sb.selectbox(
        t("filter.period", lg),
        selection.PRESETS,
        key=K_PRESET,
        format_func=lambda p: t(f"preset.{p}", lg),
    )
    if st.session_state[K_PRESET] == "custom":
        if not st.session_state.get(K_RANGE):
            st.session_state[K_RANGE] = selection.preset_range("30d", today=anchor_day())
        span = selection.data_span(incidents())
        sb.date_input(
            t("filter.range", lg),
            key=K_RANGE,
            format="DD.MM.YYYY",
            min_value=span[0] if span else None,
            max_value=span[1] if span else None,
        )
    sb.multiselect(
        t("filter.categories", lg),
        ch["categories"],
        key=K_CATS,
        format_func=lambda c: label_of(c, lang=lg),
        placeholder=t("filter.all", lg),
    )
    sb.multiselect(
        t("filter.districts", lg), ch["districts"], key=K_DISTS, placeholder=t("filter.all", lg)
    )
    sb.multiselect(
        t("filter.mdt_areas", lg), ch["mdt_areas"], key=K_MDT, placeholder=t("filter.all", lg)
    )
    sb.multiselect(
        t("filter.outcomes", lg),
        ch["outcomes"],
        key=K_OUTS,
        format_func=lambda c: label_of(c, kind="outcome", lang=lg),
        placeholder=t("filter.all", lg),
    )
    sb.multiselect(
        t("filter.weekdays", lg),
        list(range(7)),
        key=K_WDAYS,
        format_func=lambda d: t(f"weekday.{d}", lg),
        placeholder=t("filter.all", lg),
    )
    sb.slider(t("filter.hours", lg), 0, 23, key=K_HOURS)
    st.query_params.from_dict({"lang": lg, **selection.filters_to_query(filters())})


def filtered() -> gpd.GeoDataFrame:
    """Return the incidents passing the sidebar filters."""
    return selection.filter_incidents(incidents(), filters())


@st.cache_data(max_entries=8, show_spinner=False)
def hotspot_run(
    path: str,
    version: int,
    filters_key: str,
    method: str,
    cell_size_m: float | None,
    bandwidth_m: float | None,
    min_cluster_size: int,
    _points: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame,
    _history: gpd.GeoDataFrame | None = None,
) -> indicators.HotspotRun:
    """Run (and cache by its inputs) one hotspot analysis; ``_history`` feeds the trend."""
    return indicators.run_hotspots(
        _points,
        method=method,
        area=_area,
        cell_size_m=cell_size_m,
        bandwidth_m=bandwidth_m,
        min_cluster_size=min_cluster_size,
        history=_history,
    )


def hotspot_file(run: indicators.HotspotRun, suffix: str) -> bytes:
    """Return a hotspot result as the file ``apk-geo hotspots --out x<suffix>`` writes."""
    return io.layer_bytes(run.result, suffix=suffix, layer="hotspots", crs=CRS_METRIC)


def history() -> gpd.GeoDataFrame:
    """Return the incidents up to the end of the filtered period passing the other filters."""
    return located(selection.filter_history(incidents(), filters()))


def run_hotspots(
    method: str,
    *,
    cell_size_m: float | None = None,
    bandwidth_m: float | None = None,
    min_cluster_size: int = 15,
) -> indicators.HotspotRun:
    """Run one method on the filtered incidents, the trend on their history (cached)."""
    return hotspot_run(
        *cache_key(),
        filters_key(),
        method,
        cell_size_m,
        bandwidth_m,
        min_cluster_size,
        _points=located(filtered()),
        _area=layers()["city"],
        _history=history(),
    )


@st.cache_data(max_entries=8, show_spinner=False)
def _evaluation(
    path: str,
    version: int,
    filters_key: str,
    method: str,
    month: str,
    cell_size_m: float,
    _points: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame,
) -> pd.DataFrame:
    from apk_geo.evaluate import evaluate

    period = pd.Period(month, freq="M")
    return evaluate(
        _points,
        split_date=period.start_time,
        test_end=(period + 1).start_time,
        cell_size_m=cell_size_m,
        area=_area,
        methods=(method,),
    )


def evaluation(method: str, *, cell_size_m: float) -> tuple[pd.Period, pd.DataFrame] | None:
    """Evaluate ``method`` on the latest complete month of the filtered period (cached).

    It is trained on every earlier incident passing the other filters
    (:func:`indicators.evaluation_data`), not only on the date-filtered ones. Returns
    ``(month, table)`` or ``None`` without data.
    """
    found = indicators.evaluation_data(incidents(), filters())
    if found is None:
        return None
    points, month = found
    table = _evaluation(
        *cache_key(),
        filters_key(),
        method,
        str(month),
        cell_size_m,
        _points=points,
        _area=layers()["city"],
    )
    return month, table


def filters_key() -> str:
    """Return the sidebar filters as a stable string (a cache key)."""
    return json.dumps(selection.filters_to_query(filters()), sort_keys=True)


def default_hotspots() -> indicators.HotspotRun | None:
    """Return Gi* with default parameters on the filtered incidents (cached), or None.

    The map shows it until the user runs another method on the Hotspots page.
    """
    if len(located(filtered())) < 3:
        return None
    try:
        return run_hotspots("gistar")
    except (ApkGeoError, ValueError):
        return None


@st.cache_data(max_entries=8, show_spinner=False)
def _forecast(
    path: str,
    version: int,
    filters_key: str,
    _points: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    return indicators.run_hotspots(
        _points, method="forecast", area=_area, with_emerging=False
    ).result


def forecast_risk() -> gpd.GeoDataFrame | None:
    """Return the forecast risk surface for the period after the filtered one (cached), or None.

    It is trained on every incident up to the end of the filtered period that passes the other
    filters (categories, areas, outcome, weekdays, hours): a forecast needs history.
    """
    points = history()
    if len(points) < 10:
        return None
    try:
        return _forecast(*cache_key(), filters_key(), _points=points, _area=layers()["city"])
    except (ApkGeoError, ValueError):
        return None


@st.cache_data(max_entries=8, show_spinner=False)
def shift_candidates(
    path: str,
    version: int,
    shift_start: str,
    shift_minutes: float,
    top_n: int,
    _incidents: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame | None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the patrol candidates and expected-incident surface of a shift (cached)."""
    from apk_geo import routes

    ts = pd.Timestamp(shift_start)
    return routes.candidates_for_shift(
        _incidents[_incidents["reported_at"] < ts],
        shift_start=ts,
        shift_minutes=shift_minutes,
        area=_area,
        top_n=top_n,
        context=context(),
        districts=layers().get("districts"),
    )


def cache_key() -> tuple[str, int]:
    """Return ``(store path, version)`` for cached helpers."""
    path = app_args().store
    return str(path), store_version(path)
