"""Shared pieces of the dashboard: the one app state, store access, cached results, the sidebar.

Every page imports from here; the sidebar is drawn once by ``main.py``. The session holds one
:class:`apk_geo.app_state.AppState` under :data:`K_STATE` (filters, language, each page's
options); widgets are bound to a field of it (:func:`bound`): each run a widget shows the
state's value, and its change callback writes the new value back. The widget keys carry the
language, so a language switch draws fresh widgets with the new labels from the same state,
and a page switch cannot reset a filter. The URL mirrors the state on every change.

Large frames are cached with ``st.cache_resource`` (shared, never mutated: every apk_geo function
is pure). Every cache is shared by all sessions of the server, so every key starts with
:func:`cache_key`: ``(store location, signed-in user or "local", the store's change token)`` —
a mentor's incidents are never served to an analyst, and an import invalidates them.
Derived results are cached with ``st.cache_data`` under the parts of the state they depend on;
large arguments start with ``_`` and stay out of the cache key.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import streamlit as st

from apk_geo import app_state, indicators, io, selection
from apk_geo.app_state import AppState
from apk_geo.basemap import LocalBasemap, open_basemap
from apk_geo.config import Config, load_config
from apk_geo.context import risk_layers
from apk_geo.coords import located
from apk_geo.errors import ApkGeoError, StoreError
from apk_geo.i18n import LANGS, normalize_lang, t
from apk_geo.map_style import hidden_from_selected
from apk_geo.schema import CATEGORY_CODES, CRS_METRIC, OUTCOME_CODES, label_of

logger = logging.getLogger("apk_geo.dashboard")

#: Session-state keys (initialised once in :func:`init_state`).
K_STATE: Final = "app_state"
K_INIT: Final = "state_initialised"
K_LANG_WIDGET: Final = "w.lang"
K_SESSION: Final = "auth.session"
K_SESSION_STORE: Final = "auth.session_store"

DEFAULT_STORE: Final = "var/demo.gpkg"
CONTEXT_LAYERS: Final = (
    "districts",
    "city",
    "svl",
    "hostels",
    "mdt_areas",
    "stops",
    "schools",
    "address_points",
)
#: A named start for the route planner (the APK office at the city hall) until the
#: configuration carries one (``Config.route_base``, reported to the coordinator).
ROUTE_BASE: Final = ("Magistrát (Nová radnice)", "Prokešovo náměstí 8, Ostrava")


@dataclass(frozen=True)
class AppArgs:
    """Command-line options after ``--`` in ``streamlit run main.py -- --store PATH``."""

    store: str
    config: Path | None
    presenter: bool = False
    basemap: Path | None = None


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def app_args() -> AppArgs:
    """Return the options: ``--store``/``--config``/``--presenter``/``--basemap``, then env."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    parser.add_argument("--config")
    parser.add_argument("--presenter", action="store_true")
    parser.add_argument("--basemap")
    known, _ = parser.parse_known_args(sys.argv[1:])
    store = known.store or os.environ.get("APK_GEO_STORE") or DEFAULT_STORE
    basemap = known.basemap or os.environ.get("APK_GEO_BASEMAP")
    return AppArgs(
        str(store),
        Path(known.config) if known.config else None,
        presenter=bool(known.presenter) or _truthy(os.environ.get("APK_GEO_PRESENTER")),
        basemap=Path(basemap) if basemap else None,
    )


def presenter_mode() -> bool:
    """Return whether the app is locked to the MDT page: ``--presenter``, or a presenter's role."""
    return app_args().presenter or tuple(access().pages) == ("presenter",)


@st.cache_resource
def config(path: str | None) -> Config:
    """Return the configuration (defaults when ``path`` is ``None``)."""
    return load_config(path)


def app_config() -> Config:
    """Return the configuration named on the command line."""
    cfg = app_args().config
    return config(str(cfg) if cfg else None)


@st.cache_resource
def _basemap(path: str) -> LocalBasemap | None:
    found = open_basemap(path)
    return None if found is None else found.describe()


def local_basemap() -> LocalBasemap | None:
    """Return the local MBTiles base map the app serves (``--basemap``), or ``None``."""
    path = app_args().basemap
    if path is None:
        return None
    try:
        return _basemap(str(path))
    except (ApkGeoError, ValueError) as exc:
        logger.warning("base map %s not used: %s", path, exc)
        return None


def is_database() -> bool:
    """Return whether the store is a PostGIS database (a ``postgresql://`` URL)."""
    return app_args().store.startswith(("postgresql://", "postgres://"))


def signed_in() -> Any:
    """Return the signed-in :class:`apk_geo.auth.Session` (``None``: nobody, or a GeoPackage)."""
    return st.session_state.get(K_SESSION)


def access() -> Any:
    """Return what may be shown: :data:`apk_geo.auth.LOCAL_ACCESS` for a GeoPackage store."""
    from apk_geo import auth

    if not is_database():
        return auth.LOCAL_ACCESS
    session = signed_in()
    return session.access if session is not None else auth.access_for(None)


def user_name() -> str:
    """Return the signed-in user's name, ``"local"`` for a GeoPackage store."""
    session = signed_in()
    return "local" if session is None or not is_database() else str(session.user)


@st.cache_resource(max_entries=4)
def _open(location: str) -> Any:
    from apk_geo.store import open_store

    return open_store(location)


def store() -> Any:
    """Return the open store: the signed-in user's (a database), else the GeoPackage file.

    Raises
    ------
    StoreError
        For a database store before anyone has signed in.
    """
    if not is_database():
        return _open(app_args().store)
    session = signed_in()
    if session is None:
        raise StoreError("nobody is signed in to the database store")
    kept = st.session_state.get(K_SESSION_STORE)
    if kept is None:
        kept = session.store()
        st.session_state[K_SESSION_STORE] = kept
    return kept


def store_exists() -> bool:
    """Return whether the store has been created (a database: and someone is signed in)."""
    if is_database() and signed_in() is None:
        return False
    try:
        return bool(store().exists())
    except ApkGeoError:
        logger.exception("the store could not be read")
        return False


def cache_key() -> tuple[str, str, str]:
    """Return ``(store location, user or "local", change token)``: the start of every cache key."""
    s = store()
    return str(s.location), user_name(), str(s.change_token())


@st.cache_resource(max_entries=4, show_spinner=False)
def _incidents(location: str, user: str, token: str) -> gpd.GeoDataFrame:
    frame: gpd.GeoDataFrame = store().incidents()
    return selection.in_time_order(frame)  # period filters then cut by binary search


@st.cache_resource(max_entries=4, show_spinner=False)
def _layers(location: str, user: str, token: str) -> dict[str, gpd.GeoDataFrame]:
    s = store()
    names = set(s.layer_names())
    return {n: s.layer(n) for n in CONTEXT_LAYERS if n in names}


@st.cache_data(max_entries=8, show_spinner=False)
def _metadata(location: str, user: str, token: str) -> dict[str, str]:
    meta: dict[str, str] = dict(store().metadata())
    return meta


def incidents() -> gpd.GeoDataFrame:
    """Return every incident of the store the user may read (shared; do not modify)."""
    return _incidents(*cache_key())


def layers() -> dict[str, gpd.GeoDataFrame]:
    """Return the store's context layers present (``districts``, ``address_points``, …)."""
    return _layers(*cache_key())


def context() -> SimpleNamespace:
    """Return the store's context layers (``svl``, ``hostels``, ``stops`` …) as attributes."""
    return SimpleNamespace(**layers())


def is_synthetic() -> bool:
    """Return whether the store holds synthetic demo data."""
    return _metadata(*cache_key()).get("synthetic", "").lower() == "true"


def audit(action: str, subject: str, **details: object) -> None:
    """Record that incident-level data was shown or downloaded (a database store only)."""
    if not is_database():
        return
    session = signed_in()
    try:
        store().audit(action, subject=subject, details=details, reason=session.reason)
    except ApkGeoError:
        logger.exception("audit %s %s failed", action, subject)


# --- the app state ----------------------------------------------------------------------------


def anchor_day() -> date:
    """Return the day the date presets end on: the last day with data (else today)."""
    span = data_span()
    return span[1] if span else date.today()


@st.cache_data(max_entries=4, show_spinner=False)
def _span(location: str, user: str, token: str) -> tuple[date, date] | None:
    return selection.data_span(_incidents(location, user, token))


def data_span() -> tuple[date, date] | None:
    """Return the first and last day with data (``None`` without a store or data)."""
    if not store_exists():
        return None
    try:
        return _span(*cache_key())
    except ApkGeoError as exc:  # a role that may not read incidents (a presenter)
        logger.info("no data span: %s", exc)
        return None


@st.cache_data(max_entries=4, show_spinner=False)
def _choices_of(location: str, user: str, token: str) -> dict[str, list[str]]:
    inc = _incidents(location, user, token)
    cats = [*CATEGORY_CODES, *sorted(inc["category"].dropna().astype(str).unique())]
    return {
        "categories": list(dict.fromkeys(cats)),
        "outcomes": list(OUTCOME_CODES),
        "districts": sorted(inc["district_name"].dropna().astype(str).unique()),
        "mdt_areas": sorted(inc["mdt_area"].dropna().astype(str).unique()),
    }


def choices() -> dict[str, list[str]]:
    """Return the values each list filter offers (categories, outcomes, districts, MDT areas)."""
    fixed = {"categories": list(CATEGORY_CODES), "outcomes": list(OUTCOME_CODES)}
    if not store_exists():
        return fixed
    try:
        return _choices_of(*cache_key())
    except ApkGeoError as exc:  # a role that may not read incidents (a presenter)
        logger.info("no filter choices: %s", exc)
        return fixed


def init_state() -> None:
    """Initialise the app state once, from the URL query parameters (shared links)."""
    if st.session_state.get(K_INIT) and K_STATE in st.session_state:
        return
    has_store = store_exists()
    restored = app_state.state_from_query(
        dict(st.query_params),
        today=anchor_day(),
        allowed=choices() if has_store else None,
        span=data_span(),
    )
    st.session_state[K_STATE] = restored
    st.session_state[K_LANG_WIDGET] = restored.lang
    st.session_state[K_INIT] = True


def state() -> AppState:
    """Return the current app state."""
    init_state()
    current: AppState = st.session_state[K_STATE]
    return current


def set_state(new: AppState) -> None:
    """Store ``new`` (preset dates resolved; a new area resets the map view) and the URL."""
    old = state()
    new = replace(new, filters=app_state.resolved_filters(new.filters, today=anchor_day()))
    area_changed = (new.filters.districts, new.filters.mdt_areas) != (
        old.filters.districts,
        old.filters.mdt_areas,
    )
    if area_changed:  # zoom to the chosen districts
        new = new.with_value("map.zoom", None).with_value("map.center", None)
    st.session_state[K_STATE] = new
    sync_url()


def sync_url() -> None:
    """Write the state into the URL query parameters (a link reproduces the view)."""
    query = state().to_query()
    if dict(st.query_params) != query:
        st.query_params.from_dict(query)


def lang() -> str:
    """Return the current UI language."""
    return normalize_lang(state().lang)


def filters() -> selection.Filters:
    """Return the sidebar filters (dates resolved)."""
    return state().filters


def bound(
    factory: Callable[..., Any],
    label: str,
    path: str,
    *,
    to_widget: Callable[[Any], Any] = lambda v: v,
    from_widget: Callable[[Any], Any] = lambda v: v,
    **kwargs: Any,
) -> Any:
    """Draw a widget that shows and changes the state field ``path`` (see the module docstring).

    ``factory`` is a Streamlit widget function (``st.sidebar.multiselect``, ``col.toggle``…);
    ``to_widget``/``from_widget`` convert between the state's value and the widget's. A value
    the state refuses (:class:`ValueError`) is logged and leaves the state as it was.
    """
    key = f"w.{path}.{lang()}"
    st.session_state[key] = to_widget(state().value(path))

    def changed() -> None:
        try:
            set_state(state().with_value(path, from_widget(st.session_state[key])))
        except (ValueError, TypeError) as exc:
            logger.warning("widget %s: value refused: %s", path, exc)

    return factory(label, key=key, on_change=changed, **kwargs)


def _set_lang() -> None:
    set_state(state().with_value("lang", st.session_state[K_LANG_WIDGET]))


def draw_sidebar(*, with_filters: bool = True) -> None:
    """Draw the language switch, and the filters on the pages they apply to."""
    sb = st.sidebar
    st.session_state[K_LANG_WIDGET] = lang()
    sb.selectbox(
        t("sidebar.language", lang()),
        LANGS,
        key=K_LANG_WIDGET,
        on_change=_set_lang,
        format_func=lambda c: {"cs": "čeština", "en": "English"}[c],
    )
    sync_url()
    if not with_filters or not store_exists():
        if with_filters is False and store_exists():
            sb.caption(t("sidebar.no_filters", lang()))
        return
    _draw_filters(sb)


def _keep(options: list[str]) -> Callable[[Any], list[Any]]:
    allowed = set(options)
    return lambda values: [v for v in values if v in allowed]


def _draw_filters(sb: Any) -> None:
    lg = lang()
    ch = choices()
    sb.header(t("sidebar.filters", lg))
    sb.caption(t("sidebar.data_until", lg, date=anchor_day()))
    bound(
        sb.selectbox,
        t("filter.period", lg),
        "filters.preset",
        options=selection.PRESETS,
        format_func=lambda p: t(f"preset.{p}", lg),
    )
    f = filters()
    if f.preset == "custom":
        _date_range(sb, lg, f)
    for path, label, options, fmt in (
        (
            "filters.categories",
            "filter.categories",
            ch["categories"],
            lambda c: label_of(c, lang=lg),
        ),
        ("filters.districts", "filter.districts", ch.get("districts", []), str),
        ("filters.mdt_areas", "filter.mdt_areas", ch.get("mdt_areas", []), str),
        (
            "filters.outcomes",
            "filter.outcomes",
            ch["outcomes"],
            lambda c: label_of(c, kind="outcome", lang=lg),
        ),
    ):
        bound(
            sb.multiselect,
            t(label, lg),
            path,
            options=options,
            to_widget=_keep(options),
            format_func=fmt,
            placeholder=t("filter.all", lg),
        )
    bound(
        sb.multiselect,
        t("filter.weekdays", lg),
        "filters.weekdays",
        options=list(range(7)),
        to_widget=list,
        from_widget=lambda v: tuple(sorted(v)),
        format_func=lambda d: t(f"weekday.{d}", lg),
        placeholder=t("filter.all", lg),
    )
    bound(
        sb.slider,
        t("filter.hours", lg),
        "filters.hours",
        min_value=0,
        max_value=23,
        to_widget=tuple,
        from_widget=lambda v: (int(v[0]), int(v[1])),
    )


def _date_range(sb: Any, lg: str, f: selection.Filters) -> None:
    """Draw the custom range picker; a complete pick (two days) sets both ends at once."""
    key = f"w.filters.range.{lg}"
    st.session_state[key] = (f.start, f.end)
    span = data_span()

    def changed() -> None:
        picked = st.session_state[key]
        if not isinstance(picked, list | tuple) or len(picked) != 2:
            return  # the second click is still to come
        start, end = sorted(picked)
        new = replace(state().filters, start=start, end=end, preset="custom")
        set_state(replace(state(), filters=new))

    sb.date_input(
        t("filter.range", lg),
        key=key,
        on_change=changed,
        format="DD.MM.YYYY",
        min_value=span[0] if span else None,
        max_value=span[1] if span else None,
    )


def filtered() -> gpd.GeoDataFrame:
    """Return the incidents passing the sidebar filters (cached per filter; do not modify)."""
    return _filtered(
        *cache_key(), state().key("filters"), _incidents=incidents(), _filters=filters()
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def _filtered(
    location: str,
    user: str,
    token: str,
    filters_key: str,
    _incidents: gpd.GeoDataFrame,
    _filters: selection.Filters,
) -> gpd.GeoDataFrame:
    return selection.filter_incidents(_incidents, _filters)


def history() -> gpd.GeoDataFrame:
    """Return the incidents up to the end of the filtered period passing the other filters.

    Located incidents only; cached per filter (a million rows are not cut again on every run).
    """
    return _history(
        *cache_key(), state().key("filters"), _incidents=incidents(), _filters=filters()
    )


@st.cache_resource(max_entries=4, show_spinner=False)
def _history(
    location: str,
    user: str,
    token: str,
    filters_key: str,
    _incidents: gpd.GeoDataFrame,
    _filters: selection.Filters,
) -> gpd.GeoDataFrame:
    return located(selection.filter_history(_incidents, _filters))


def analysis_area() -> indicators.AnalysisArea:
    """Return the area analysed: the filtered districts / MDT areas, else the city (cached)."""
    f = filters()
    return _area(*cache_key(), f.districts, f.mdt_areas, lang())


@st.cache_resource(max_entries=16, show_spinner=False)
def _area(
    location: str,
    user: str,
    token: str,
    districts: tuple[str, ...],
    mdt_areas: tuple[str, ...],
    lg: str,
) -> indicators.AnalysisArea:
    ly = _layers(location, user, token)
    return indicators.analysis_area(
        selection.Filters(districts=districts, mdt_areas=mdt_areas),
        city=ly["city"],
        districts=ly.get("districts"),
        mdt_areas=ly.get("mdt_areas"),
        lang=lg,
    )


# --- cached results ---------------------------------------------------------------------------


@st.cache_data(max_entries=8, show_spinner=False)
def hotspot_run(
    location: str,
    user: str,
    token: str,
    filters_key: str,
    options_key: str,
    area_name: str,
    with_emerging: bool,
    _options: app_state.HotspotOptions,
    _points: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame,
    _history: gpd.GeoDataFrame | None = None,
    _context: dict[str, gpd.GeoDataFrame] | None = None,
) -> indicators.HotspotRun:
    """Run (and cache by the state it comes from) one hotspot analysis.

    ``_context``: the store's risk layers for the forecast (the store's token is in the key).
    """
    return indicators.run_hotspots(
        _points,
        method=_options.method,
        area=_area,
        cell_size_m=_options.cell_size_m,
        bandwidth_m=_options.bandwidth_m,
        min_cluster_size=_options.min_cluster_size,
        history=_history,
        emerging_period="M",
        with_emerging=with_emerging,
        context=_context,
    )


def hotspots(*, with_emerging: bool = True) -> indicators.HotspotRun | None:
    """Return the hotspot result of the current state (filters, area, Hotspots-page options).

    The map and the Hotspots page show the same result for the same state (the map skips the
    emerging-trend columns it does not draw: the cells and classes are the same); ``None`` when
    fewer than 3 incidents are located. Errors of the method propagate (the page says them).
    """
    points = located(filtered())
    if len(points) < 3:
        return None
    s = state()
    area = analysis_area()
    return hotspot_run(
        *cache_key(),
        s.key("filters"),
        s.key("hotspots"),
        area.name,
        with_emerging,
        _options=s.hotspots,
        _points=points,
        _area=area.shape,
        _history=history() if with_emerging else None,
        _context=risk_layers(layers()) if s.hotspots.method == "forecast" else None,
    )


def hotspot_file(run: indicators.HotspotRun, suffix: str) -> bytes:
    """Return a hotspot result as the file ``apk-geo hotspots --out x<suffix>`` writes.

    Demo stores add ``synthetic = true`` to every feature.
    """
    layer = indicators.mark_synthetic(run.result, synthetic=is_synthetic())
    return io.layer_bytes(layer, suffix=suffix, layer="hotspots", crs=CRS_METRIC, lang=lang())


@st.cache_data(max_entries=8, show_spinner=False)
def _evaluation(
    location: str,
    user: str,
    token: str,
    filters_key: str,
    method: str,
    month: str,
    cell_size_m: float,
    area_name: str,
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


def evaluation(
    method: str, *, cell_size_m: float
) -> tuple[pd.Period, pd.DataFrame, indicators.AnalysisArea] | None:
    """Evaluate ``method`` on the latest complete month of the filtered period, in the area.

    PAI and hit rate are computed within :func:`analysis_area` (the filtered districts, not
    the whole city). It is trained on every earlier incident passing the other filters
    (:func:`indicators.evaluation_data`). Returns ``(month, table, area)`` or ``None``.
    """
    found = indicators.evaluation_data(incidents(), filters())
    if found is None:
        return None
    points, month = found
    area = analysis_area()
    table = _evaluation(
        *cache_key(),
        state().key("filters"),
        method,
        str(month),
        cell_size_m,
        area.name,
        _points=points,
        _area=area.shape,
    )
    return month, table, area


@st.cache_data(max_entries=8, show_spinner=False)
def _forecast(
    location: str,
    user: str,
    token: str,
    filters_key: str,
    area_name: str,
    _points: gpd.GeoDataFrame,
    _area: gpd.GeoDataFrame,
    _context: dict[str, gpd.GeoDataFrame] | None = None,
) -> gpd.GeoDataFrame:
    return indicators.run_hotspots(
        _points, method="forecast", area=_area, with_emerging=False, context=_context
    ).result


def forecast_risk() -> gpd.GeoDataFrame | None:
    """Return the forecast risk surface for the period after the filtered one (cached), or None.

    It is trained on every incident up to the end of the filtered period that passes the other
    filters, over the analysis area: a forecast needs history.
    """
    points = history()
    if len(points) < 10:
        return None
    area = analysis_area()
    try:
        return _forecast(
            *cache_key(),
            state().key("filters"),
            area.name,
            _points=points,
            _area=area.shape,
            _context=risk_layers(layers()),
        )
    except (ApkGeoError, ValueError):
        return None


@st.cache_data(max_entries=8, show_spinner=False)
def shift_candidates(
    location: str,
    user: str,
    token: str,
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
        addresses=layers().get("address_points"),  # places named by street, as the CLI does
    )


def remember_view(out: Any, *, initial: tuple[Any, Any] | None = None, prefix: str = "map") -> None:
    """Keep the map's view and switched-off layers that ``st_folium`` returned in the state.

    Only a value the browser sent counts (it carries a centre). A freshly drawn map first
    reports the view it was built with (``initial``: the folium map's location and zoom) before
    it moves to the kept view; that report is ignored while the state holds another view.
    """
    if not isinstance(out, dict) or not isinstance(out.get("center"), dict):
        return
    try:
        centre = (round(float(out["center"]["lat"]), 5), round(float(out["center"]["lng"]), 5))
        zoom = int(out["zoom"])
    except (KeyError, TypeError, ValueError):
        return
    kept = state().value(prefix)
    if initial is not None and kept.zoom is not None and _same_view((centre, zoom), initial):
        return
    new = state().with_value(f"{prefix}.center", centre).with_value(f"{prefix}.zoom", zoom)
    hidden = hidden_from_selected(out.get("selected_layers"))
    if hidden is not None:
        new = new.with_value(f"{prefix}.hidden_layers", hidden)
    if new != state():
        st.session_state[K_STATE] = new
        sync_url()


def _same_view(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    (lat1, lon1), z1 = a
    (lat2, lon2), z2 = b
    return int(z1) == int(z2) and abs(lat1 - lat2) < 1e-4 and abs(lon1 - lon2) < 1e-4


# --- the store and messages -------------------------------------------------------------------


def require_store() -> None:
    """Stop the page with a clear message (and a demo button) when the store is missing."""
    lg = lang()
    if store_exists():
        try:
            cache_key()
        except Exception:  # any failure to open is shown as one sentence and logged
            logger.exception("the store %s could not be opened", store().location)
            st.error(t("msg.store_error", lg, reason=Path(app_args().store).name))
            st.stop()
        return
    if is_database():  # the database store is made by `apk-geo db init`, not here
        st.error(t("msg.store_error", lg, reason=store().location if signed_in() else "?"))
        st.stop()
    path = Path(app_args().store)
    st.error(t("msg.no_store", lg, path=str(path)))
    st.markdown(t("msg.no_store_hint", lg))
    if st.button(t("msg.build_demo", lg), key="build_demo"):
        _build_demo(path, lg)
    st.stop()


def _build_demo(path: Path, lg: str) -> None:
    try:
        from apk_geo.demo import build_demo_store
    except ImportError:
        st.warning(t("msg.demo_missing", lg))
        return
    with st.spinner(t("msg.build_demo", lg)):
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo_store(path)
    st.success(t("msg.demo_built", lg))
    st.rerun()


def synthetic_banner() -> None:
    """Show the synthetic-data banner when the store holds demo data."""
    if is_synthetic():
        st.warning(t("banner.synthetic", lang()))
