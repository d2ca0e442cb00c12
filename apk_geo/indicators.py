"""What the dashboard pages show, without Streamlit: KPI cards, trends, hotspot runs and tables.

Pure functions of the store's incidents and a :class:`apk_geo.selection.Filters`, tested without a
browser. Hotspot runs go through the method registry (:func:`apk_geo.methods.run_method`), so the
dashboard analyses the same grid as the command line for the same data and options.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo import fmt
from apk_geo._validate import require_columns
from apk_geo.context import PlaceLayers
from apk_geo.coords import located
from apk_geo.emerging import CATEGORIES as EMERGING_CATEGORIES
from apk_geo.errors import InsufficientDataError, ParameterError
from apk_geo.gistar import neighbour_weights
from apk_geo.i18n import t
from apk_geo.labels import place_labels
from apk_geo.methods import METHODS as METHODS_REGISTRY
from apk_geo.methods import HotspotMethod, method_names, run_method
from apk_geo.placenames import date_text, place_names
from apk_geo.schema import TIMEZONE
from apk_geo.selection import (
    Filters,
    data_span,
    filter_history,
    filter_incidents,
    local_times,
    previous_period,
    reference_month,
)

logger = logging.getLogger(__name__)

Freq = Literal["week", "month"]

#: Outcome codes behind the two share cards.
RESOLVED: Final = "resolved_on_spot"
PATROL: Final = "patrol_called"


@dataclass(frozen=True)
class Kpis:
    """The KPI cards of the map page.

    Attributes
    ----------
    n
        Incidents in the filtered period.
    n_previous
        Incidents in the previous period of equal length (same other filters).
    change_pct
        ``100 * (n - n_previous) / n_previous``; ``None`` when ``n_previous`` is 0.
    share_resolved, share_patrol
        Share (0–1) of ``n`` resolved on the spot by assistants / with a patrol called;
        ``None`` when ``n`` is 0.
    """

    n: int
    n_previous: int
    change_pct: float | None
    share_resolved: float | None
    share_patrol: float | None


def compute_kpis(incidents: gpd.GeoDataFrame, filters: Filters) -> Kpis:
    """Return the KPI cards for ``filters`` (needs a closed date range for the change card).

    The previous period applies the same non-date filters to :func:`previous_period`.
    """
    current = filter_incidents(incidents, filters)
    n = len(current)
    n_prev = 0
    if filters.start is not None and filters.end is not None:
        p_start, p_end = previous_period(filters.start, filters.end)
        prev_filters = replace(filters, start=p_start, end=p_end, preset="custom")
        n_prev = len(filter_incidents(incidents, prev_filters))
    change = None if n_prev == 0 else 100.0 * (n - n_prev) / n_prev
    if n == 0:
        return Kpis(0, n_prev, change, None, None)
    outcome = current["outcome"]
    return Kpis(
        n,
        n_prev,
        change,
        float((outcome == RESOLVED).sum()) / n,
        float((outcome == PATROL).sum()) / n,
    )


def _period_start(local: pd.Series, freq: Freq) -> pd.Series:
    naive = local.dt.tz_localize(None)
    if freq not in ("week", "month"):
        raise ParameterError(f"freq must be 'week' or 'month'; got {freq!r}")
    start: pd.Series = naive.dt.to_period("W-SUN" if freq == "week" else "M").dt.start_time
    return start


def trend_table(
    incidents: pd.DataFrame,
    *,
    freq: Freq = "month",
    by: Literal["category", "outcome"] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Count incidents per week (Monday start) or month, optionally per category or outcome.

    Parameters
    ----------
    incidents
        Incidents with ``reported_at`` (and the ``by`` column).
    freq
        ``"week"`` or ``"month"``.
    by
        Split by this column, or ``None`` for the total.
    start, end
        Fill zero periods from ``start`` to ``end`` (default: the data's span).

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (naive Timestamp of the period's first day), ``by`` value column when
        requested (named as ``by``), ``n`` (int64); every period × value, zeros included.
    """
    local = local_times(incidents)
    periods = _period_start(local, freq)
    span = data_span(incidents)
    lo = start if start is not None else (span[0] if span else None)
    hi = end if end is not None else (span[1] if span else None)
    if lo is None or hi is None:
        cols = ["period", *([by] if by else []), "n"]
        return pd.DataFrame({c: pd.Series([], dtype="int64" if c == "n" else object) for c in cols})
    rule = "W-MON" if freq == "week" else "MS"
    first = _period_start(pd.Series([pd.Timestamp(lo).tz_localize(TIMEZONE)]), freq).iloc[0]
    all_periods = pd.date_range(first, pd.Timestamp(hi), freq=rule)
    if by is None:
        counts = periods.value_counts().reindex(all_periods, fill_value=0)
        return pd.DataFrame({"period": all_periods, "n": counts.to_numpy().astype("int64")})
    require_columns(incidents, [by], name="incidents")
    values = sorted(incidents[by].dropna().astype(str).unique())
    frame = pd.DataFrame({"period": periods.to_numpy(), by: incidents[by].astype(str).to_numpy()})
    counts = frame.value_counts()
    index = pd.MultiIndex.from_product([all_periods, values], names=["period", by])
    out = counts.reindex(index, fill_value=0).rename("n").reset_index()
    out["n"] = out["n"].astype("int64")
    return out


def weekday_hour_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """Return a 7 × 24 table of counts: rows weekday 0 (Monday) … 6, columns hour 0 … 23."""
    local = local_times(incidents)
    frame = pd.crosstab(local.dt.day_of_week, local.dt.hour)
    out = frame.reindex(index=range(7), columns=range(24), fill_value=0).astype("int64")
    out.index.name, out.columns.name = "weekday", "hour"
    return out


def year_on_year(
    incidents: pd.DataFrame, *, month: pd.Period, by: Literal["category", "outcome"] = "category"
) -> pd.DataFrame:
    """Compare a month with the same month a year earlier, per category (or outcome).

    Returns
    -------
    pandas.DataFrame
        Columns ``by``, ``n`` (this month), ``n_year_before``, ``diff``; one row per value seen
        in either month, sorted by ``n`` descending.
    """
    local = local_times(incidents)
    months = local.dt.tz_localize(None).dt.to_period("M")
    before = month - 12
    rows = []
    for label, mon in (("n", month), ("n_year_before", before)):
        sub = incidents.loc[(months == mon).to_numpy(), by].astype(str)
        rows.append(sub.value_counts().rename(label))
    out = pd.concat(rows, axis=1).fillna(0).astype("int64")
    out.index.name = by
    out["diff"] = out["n"] - out["n_year_before"]
    table: pd.DataFrame = out.reset_index().sort_values(
        ["n", by], ascending=[False, True], ignore_index=True
    )
    return table


def evaluation_data(
    incidents: gpd.GeoDataFrame, filters: Filters
) -> tuple[gpd.GeoDataFrame, pd.Period] | None:
    """Return the located history and the month on which to evaluate a hotspot method.

    The test month is :func:`reference_month`; the training data are every earlier incident
    that passes the non-date filters (:func:`filter_history`), so a short date filter (the
    default last 30 days) does not leave the methods without training data.

    Returns
    -------
    tuple or None
        ``(points, month)``: geocoded incidents up to the month's last day, and the month;
        ``None`` when there are no incidents.
    """
    month = reference_month(incidents, filters)
    if month is None:
        return None
    points = filter_history(incidents, filters, until=month.end_time.date())
    return located(points), month


def hotspot_table(
    result: gpd.GeoDataFrame,
    *,
    top: int = 10,
    districts: gpd.GeoDataFrame | None = None,
    context: PlaceLayers | None = None,
    lang: str = "cs",
) -> gpd.GeoDataFrame:
    """Return the top hotspots of a result: label, counts, trend and emerging class.

    Parameters
    ----------
    result
        Cluster polygons (``label``, ``n``) or grid cells with ``n`` and optional ``gi_z``,
        ``hotspot_class``, ``density_km2``, ``trend_z``, ``emerging_class``.
    top
        Number of rows.
    districts
        District polygons (``NAZEV``) used to label grid cells that have no ``label``.
    context
        Context layers (``svl``, ``hostels``, ``stops``) for readable cell labels
        (:func:`apk_geo.labels.place_labels`).
    lang
        Language of the labels and of the emerging-hot-spot class.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``rank, label, n`` then whichever of ``hotspot_class, gi_z, density_km2, trend_z,
        emerging_class, date_from, date_to`` exist, plus geometry; hot cells first (by
        ``hotspot_class``/``gi_z``/``density_km2``/``n``).
    """
    if top < 1:
        raise ParameterError(f"top must be >= 1; got {top}")
    frame = _top_rows(result, top=top)
    if "label" not in frame:
        ids = frame["cell_id"].tolist() if "cell_id" in frame else None
        frame["label"] = place_labels(
            frame, context=context, districts=districts, ids=ids, lang=lang
        )
    if "emerging_class" in frame:
        frame["emerging_class"] = _emerging_names(frame["emerging_class"], lang=lang)
    extra = [c for c in _HOTSPOT_EXTRA_COLUMNS if c in frame]
    out = frame[["label", "n", *extra, frame.geometry.name]].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=result.crs)


#: Columns :func:`hotspot_table` keeps after ``rank, label, n`` when the result has them.
_HOTSPOT_EXTRA_COLUMNS: Final = (
    "hotspot_class",
    "gi_z",
    "risk",
    "density_km2",
    "trend_z",
    "emerging_class",
    "date_from",
    "date_to",
)


def _top_rows(result: gpd.GeoDataFrame, *, top: int) -> gpd.GeoDataFrame:
    """Return the ``top`` hottest rows (only hot spots when the result has ``hotspot_class``)."""
    frame = result.copy()
    if "n" not in frame:
        frame["n"] = 0
    keys = [k for k in ("hotspot_class", "gi_z", "risk", "density_km2", "n") if k in frame]
    frame = frame.sort_values(keys, ascending=False, kind="stable")
    if "hotspot_class" in frame:
        frame = frame[frame["hotspot_class"] > 0]
    return frame.head(top)


def _emerging_names(classes: pd.Series, *, lang: str) -> list[object]:
    """Return the emerging-hot-spot class codes as labels in ``lang`` (others unchanged)."""
    names = {c.code: c.label(lang) for c in EMERGING_CATEGORIES}
    return [names.get(str(v), str(v)) if isinstance(v, str) else v for v in classes]


#: Keys of ``IncidentStore.summary()`` shown as the store status, in order.
STATUS_KEYS: Final = (
    "store",
    "incidents",
    "geocoded",
    "not_geocoded",
    "quarantined",
    "sources",
    "date_from",
    "date_to",
    "imports",
    "synthetic",
)


def status_table(summary: Mapping[str, object], *, lang: str = "cs") -> pd.DataFrame:
    """Return the store summary as readable text rows (``key``, ``value``) in ``lang``.

    Dates show as ``30. 6. 2024 21:00`` (``30 Jun 2024 21:00`` in English; the time as the
    summary gives it), counts with the language's digit grouping, truth values as ``ano``/``ne``
    (``yes``/``no``), lists as comma-separated text, anything else as ``str``; keys not in
    :data:`STATUS_KEYS` (the last imports, the raw metadata) are left out: the Data page shows
    the import log as a table of its own.

    Examples
    --------
    >>> summary = {"incidents": 3, "sources": ["a", "b"], "date_to": "2024-06-30T21:00+02:00"}
    >>> status_table(summary).to_numpy().tolist()
    [['incidents', '3'], ['sources', 'a, b'], ['date_to', '30. 6. 2024 21:00']]
    """
    rows = []
    for key in STATUS_KEYS:
        if key not in summary:
            continue
        value = summary[key]
        if key in ("date_from", "date_to") and value:
            text = fmt.date_time(pd.Timestamp(str(value)), lang)
        elif isinstance(value, bool):
            text = fmt.boolean(value, lang)
        elif isinstance(value, int):
            text = fmt.integer(value, lang)
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        rows.append((key, text))
    return pd.DataFrame(rows, columns=["key", "value"])


def export_frame(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``layer`` in EPSG:4326 that GeoJSON, GeoPackage and CSV writers accept.

    Datetimes become ISO 8601 text (with their UTC offset); lists, tuples and dicts become JSON
    text. The input is not changed.
    """
    out = layer.to_crs("EPSG:4326")
    for col in out.columns:
        if col == out.geometry.name:
            continue
        values = out[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[col] = values.map(lambda v: v.isoformat() if pd.notna(v) else None)
        elif values.dtype == object:
            out[col] = values.map(
                lambda v: (
                    json.dumps(v, ensure_ascii=False, default=str)
                    if isinstance(v, list | tuple | dict)
                    else (v.isoformat() if isinstance(v, pd.Timestamp | date) else v)
                )
            )
    return out


#: The methods the Hotspots page offers (the registry's interactive ones).
METHODS: Final[tuple[str, ...]] = tuple(method_names(interactive=True))


@dataclass(frozen=True)
class HotspotRun:
    """The result of one hotspot run of the dashboard.

    Attributes
    ----------
    method
        The method run (a key of :data:`apk_geo.methods.METHODS`).
    cells
        The grid with the method's columns (and ``emerging_class``/``trend_z`` when the emerging
        analysis could run), or ``None`` for methods drawn as polygons.
    clusters
        Cluster polygons, or ``None`` for grid methods.
    params
        Parameters used, including automatically chosen ones (JSON-serialisable).
    """

    method: str
    cells: gpd.GeoDataFrame | None
    clusters: gpd.GeoDataFrame | None
    params: dict[str, object]

    @property
    def spec(self) -> HotspotMethod:
        """The registry entry of the method (which map layer draws it, its value column)."""
        return METHODS_REGISTRY[self.method]

    @property
    def result(self) -> gpd.GeoDataFrame:
        """The layer the table and downloads use (cells or clusters)."""
        layer = self.clusters if self.cells is None else self.cells
        if layer is None:
            raise ParameterError("a HotspotRun holds neither cells nor clusters")
        return layer


def run_hotspots(
    points: gpd.GeoDataFrame,
    *,
    method: str,
    area: gpd.GeoDataFrame | None,
    cell_size_m: float | None = None,
    bandwidth_m: float | None = None,
    min_cluster_size: int = 15,
    with_emerging: bool = True,
    history: gpd.GeoDataFrame | None = None,
    seed: int = 0,
    emerging_period: str | None = None,
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> HotspotRun:
    """Run one hotspot method on geocoded incidents, as the Hotspots page does.

    The grid and the method run through :func:`apk_geo.methods.run_method`: the same points,
    area and options give the same cells and values as ``apk-geo hotspots``.

    Parameters
    ----------
    points
        Incidents (``reported_at``, Point geometry in a projected CRS); empty geometries dropped.
    method
        One of :data:`METHODS`.
    area
        Study area (the city polygon or the chosen districts) in any CRS.
    cell_size_m
        Grid cell size; ``None`` chooses it automatically (``grid.auto_cell_size_m``, logged).
    bandwidth_m
        KDE bandwidth; ``None`` chooses it automatically.
    min_cluster_size
        HDBSCAN's minimum cluster size.
    with_emerging
        Add ``emerging_class`` and ``trend_z`` to grid results (skipped with a log line when the
        data are too short).
    history
        Incidents for the emerging analysis (default: ``points``). The dashboard passes the
        history up to the end of the filtered period (:func:`apk_geo.selection.filter_history`): a
        trend over a few weeks of points means little (ArcGIS recommends at least 10 periods).
    seed
        Seed for methods with a random step.
    emerging_period
        Period of the emerging analysis (``"M"``: calendar months, so the last complete
        month counts; ``None`` lets :func:`apk_geo.emerging.choose_period` choose, which
        uses quarters for long histories and leaves the months of an unfinished quarter out).
    context
        Named context layers for the forecast's risk terms (:func:`apk_geo.context.risk_layers`
        of the store); other methods ignore them.

    Returns
    -------
    HotspotRun
    """
    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}; got {method!r}")
    spec = METHODS_REGISTRY[method]
    by_method: dict[str, dict[str, Any]] = {
        "gistar": {},
        "kde": {"bandwidth_m": bandwidth_m},
        "forecast": {"seed": seed, "context": dict(context or {})},
        "clusters": {"cluster_method": "hdbscan", "min_cluster_size": min_cluster_size},
    }
    options = by_method[method]
    result = run_method(points, method=method, area=area, cell_size_m=cell_size_m, **options)
    if not spec.on_grid:
        return HotspotRun(method, None, result, dict(result.attrs.get("params", {})))
    params: dict[str, object] = {"grid": result.attrs["params"].get("grid", {})}
    params[method] = {k: v for k, v in result.attrs["params"].items() if k != "grid"}
    if with_emerging:
        source = points if history is None else history
        result = _with_emerging(result, source, params, period=emerging_period)
    logger.info("hotspots: %s on %d cells, params %s", method, len(result), params)
    return HotspotRun(method, result, None, params)


def _with_emerging(
    cells: gpd.GeoDataFrame,
    history: gpd.GeoDataFrame,
    params: dict[str, object],
    *,
    period: str | None = None,
) -> gpd.GeoDataFrame:
    """Add ``emerging_class`` and ``trend_z`` of the history on the same cells (when it can run)."""
    grid_cells = cells[["cell_id", cells.geometry.name]]
    try:
        src = located(history).to_crs(cells.crs)
        options: dict[str, Any] = {} if period is None else {"period": period}
        em = run_method(src, method="emerging", cells=grid_cells, **options)
    except InsufficientDataError as exc:
        logger.info("hotspots: emerging analysis skipped: %s", exc)
        return cells
    keep = [c for c in ("emerging_class", "trend_z") if c in em]
    out = cells.merge(pd.DataFrame(em[["cell_id", *keep]]), on="cell_id", how="left")
    params["emerging"] = {k: v for k, v in em.attrs.get("params", {}).items() if k != "grid"}
    return out


# --- the area analysed, readable hotspot tables, complete trend periods, synthetic labels -----


@dataclass(frozen=True)
class AnalysisArea:
    """The area a hotspot analysis, the evaluation (PAI, hit rate) and the forecast cover.

    Attributes
    ----------
    shape
        One polygon row (EPSG of the layers): the filtered districts and/or MDT areas, else
        the city.
    name
        What to call it next to the figures ("Poruba", "celé město").
    whole_city
        ``True`` when no district or MDT-area filter narrows it.
    """

    shape: gpd.GeoDataFrame
    name: str
    whole_city: bool


def analysis_area(
    filters: Filters,
    *,
    city: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    mdt_areas: gpd.GeoDataFrame | None = None,
    lang: str = "cs",
) -> AnalysisArea:
    """Return the area of the filtered districts and MDT areas (both: their intersection).

    Parameters
    ----------
    filters
        The selection; ``districts`` match ``NAZEV`` of ``districts``, ``mdt_areas`` match
        ``name`` of ``mdt_areas``.
    city
        The city polygon (the area without an area filter).
    districts, mdt_areas
        The store's context layers.
    lang
        Language of the name of the whole city.

    Returns
    -------
    AnalysisArea
    """
    shape = city[[city.geometry.name]].dissolve()
    parts: list[str] = []
    for names, layer, column in (
        (filters.districts, districts, "NAZEV"),
        (filters.mdt_areas, mdt_areas, "name"),
    ):
        if not names or layer is None or layer.empty:
            continue
        require_columns(layer, [column], name="area layer")
        chosen = layer[layer[column].isin(list(names))]
        if chosen.empty:
            continue
        union = chosen.to_crs(shape.crs).geometry.union_all()
        shape = gpd.GeoDataFrame(
            geometry=[shape.geometry.iloc[0].intersection(union)], crs=shape.crs
        )
        parts.append(", ".join(sorted(str(v) for v in chosen[column])))
    if not parts or shape.geometry.iloc[0].is_empty:
        return AnalysisArea(city[[city.geometry.name]].dissolve(), t("area.city", lang), True)
    return AnalysisArea(shape, " ∩ ".join(parts), False)


def neighbourhood_counts(cells: gpd.GeoDataFrame) -> pd.Series:
    """Return per cell the incidents in it and its neighbours (the window Gi* looks at).

    The same binary weights as :func:`apk_geo.gistar.gistar` (self included), aligned to
    ``cells``' index.
    """
    require_columns(cells, ["n"], name="cells")
    weights = neighbour_weights(cells)
    totals = weights @ cells["n"].to_numpy(dtype="float64")
    return pd.Series(np.rint(totals).astype("int64"), index=cells.index, name="n_area")


def readable_hotspots(
    run: HotspotRun,
    *,
    top: int = 10,
    layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame] | None = None,
    lang: str = "cs",
) -> gpd.GeoDataFrame:
    """Return the Hotspots page's table: places by street or landmark, counts that explain it.

    Grid methods: ``rank, label, n`` (incidents in the cell), ``n_area`` (in the cell and its
    neighbours), then the method's columns and ``explain`` (one line: what the row means).
    Gi* hot cells rank by class, then by ``n_area``, then ``n``, so a cell with one incident
    whose neighbours are busy does not outrank the busy cells. Clusters: ``rank, label`` ("place
    · first – last day"), ``n``, ``period`` in the language's date format, ``top_categories``.

    Parameters
    ----------
    run
        A hotspot run (:func:`run_hotspots`).
    top
        Rows.
    layers
        The store's context layers: ``address_points``, ``stops``, ``schools``, ``districts``
        name the places; ``svl``, ``hostels`` are passed to :func:`hotspot_table`.
    lang
        Language.
    """
    ly = dict(layers or {})
    if top < 1:
        raise ParameterError(f"top must be >= 1; got {top}")
    if run.cells is None:
        return _readable_clusters(run.result, top=top, layers=ly, lang=lang)
    cells = run.result.copy()
    if "hotspot_class" in cells:
        cells["n_area"] = neighbourhood_counts(cells)
        cells = cells[cells["hotspot_class"] > 0]
        keys = ["hotspot_class", "n_area", "n"]
    else:
        keys = [k for k in ("risk", "density_km2", "n") if k in cells]
    cells = cells.sort_values(keys, ascending=False, kind="stable").head(top)
    columns = ["n", "n_area", "hotspot_class", "gi_z", "risk", "density_km2", "trend_z"]
    table = gpd.GeoDataFrame(
        {
            "rank": np.arange(1, len(cells) + 1),
            "label": place_names(cells, **_naming_layers(ly), lang=lang),
            **{c: cells[c].to_numpy() for c in columns if c in cells},
        },
        geometry=cells.geometry.to_numpy(),
        crs=cells.crs,
    )
    if "emerging_class" in cells:
        names = {c.code: c.label(lang) for c in EMERGING_CATEGORIES}
        table["emerging_class"] = [
            names.get(str(v), str(v)) if isinstance(v, str) else "" for v in cells["emerging_class"]
        ]
    table["explain"] = [_explain(row, lang) for row in table.to_dict("records")]
    return table


def _naming_layers(ly: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "address_points": ly.get("address_points"),
        "stops": ly.get("stops"),
        "schools": ly.get("schools"),
        "districts": ly.get("districts"),
    }


def _readable_clusters(
    clusters: gpd.GeoDataFrame, *, top: int, layers: Mapping[str, Any], lang: str
) -> gpd.GeoDataFrame:
    table = clusters.sort_values("n", ascending=False, kind="stable").head(top).copy()
    places = place_names(table, **_naming_layers(layers), lang=lang)
    start = [date_text(v, lang) for v in table.get("date_from", [None] * len(table))]
    end = [date_text(v, lang) for v in table.get("date_to", [None] * len(table))]
    period = [f"{a} – {b}" if a and b else a or b for a, b in zip(start, end, strict=True)]
    out = gpd.GeoDataFrame(
        {
            "rank": np.arange(1, len(table) + 1),
            "label": [f"{p} · {d}" if d else p for p, d in zip(places, period, strict=True)],
            "n": table["n"].to_numpy(),
            "period": period,
        },
        geometry=table.geometry.to_numpy(),
        crs=clusters.crs,
    )
    if "top_categories" in table:
        out.insert(4, "top_categories", [_text_list(v) for v in table["top_categories"]])
    return out


def _text_list(value: object) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _explain(row: Mapping[str, Any], lang: str) -> str:
    if "hotspot_class" in row and "n_area" in row:
        cls = int(row["hotspot_class"])
        return t(
            "hot.explain_gistar", lang, n=int(row["n"]), area=int(row["n_area"]),
            cls=t(f"gistar.class_{cls}", lang),
        )  # fmt: skip
    if "risk" in row:
        return t("hot.explain_risk", lang, n=int(row["n"]), risk=float(row["risk"]))
    if "density_km2" in row:
        return t("hot.explain_kde", lang, n=int(row["n"]), d=float(row["density_km2"]))
    return ""


def mark_synthetic(layer: gpd.GeoDataFrame, *, synthetic: bool) -> gpd.GeoDataFrame:
    """Return ``layer`` with a ``synthetic`` column (``True`` for demo data) before writing it."""
    out = layer.copy()
    out["synthetic"] = bool(synthetic)
    return out


def synthetic_gpx(gpx: str, *, lang: str = "cs") -> str:
    """Return a GPX document whose metadata says that it holds synthetic demo data."""
    line = escape(t("route.synthetic_line", lang))
    tags = f"<desc>{line}</desc><keywords>synthetic</keywords>"
    if "</metadata>" in gpx:
        return gpx.replace("</metadata>", f"{tags}</metadata>", 1)
    return gpx.replace(">", f"><metadata>{tags}</metadata>", 1) if "<gpx" in gpx else gpx


def synthetic_json(route: Mapping[str, Any]) -> dict[str, Any]:
    """Return a route JSON with ``"synthetic": true`` at its top level."""
    return {**dict(route), "synthetic": True}


def synthetic_html(page: str, *, lang: str = "cs") -> str:
    """Return a printed sheet with a line at its top: synthetic demo data, not real incidents."""
    banner = (
        '<p class="synthetic" style="border:2px solid #b00;color:#b00;font-weight:bold;'
        f'padding:1.5mm 2mm;margin:0 0 3mm">{escape(t("route.synthetic_line", lang))}</p>'
    )
    if "<body>" in page:
        return page.replace("<body>", f"<body>\n{banner}", 1)
    return banner + page


def synthetic_files(files: Mapping[str, str], *, lang: str = "cs") -> dict[str, str]:
    """Return a set of route files (name → text) each saying that it holds synthetic demo data.

    GPX files get it in their metadata, printed sheets (``.html``) a line at the top, JSON files
    ``"synthetic": true``; other files (a CSV table) are returned as they are.
    """
    marked: dict[str, str] = {}
    for name, text in files.items():
        if name.endswith(".gpx"):
            marked[name] = synthetic_gpx(text, lang=lang)
        elif name.endswith(".html"):
            marked[name] = synthetic_html(text, lang=lang)
        elif name.endswith(".json"):
            data = synthetic_json(json.loads(text))
            marked[name] = json.dumps(data, ensure_ascii=False, indent=2)
        else:
            marked[name] = text
    return marked
