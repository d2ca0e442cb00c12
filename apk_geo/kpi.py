"""Dashboard logic without Streamlit: filters, KPI cards, trend tables and hotspot tables.

Everything here is a pure function of a GeoDataFrame of incidents (the store's incidents layer,
``reported_at`` tz-aware in Europe/Prague) and a frozen :class:`Filters`, so the dashboard pages
stay thin and the logic is tested without a browser. Filters round-trip through URL query parameters
(:func:`filters_to_query`, :func:`filters_from_query`) so a view can be shared as a link.

Date ranges are inclusive calendar days in Europe/Prague. The "previous period" of a range is the
range of equal length that ends the day before it starts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Final, Literal, get_args

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo._validate import require_columns
from apk_geo.emerging import CATEGORIES as EMERGING_CATEGORIES
from apk_geo.errors import SchemaError
from apk_geo.labels import place_labels
from apk_geo.schema import TIMEZONE

logger = logging.getLogger(__name__)

Preset = Literal["7d", "30d", "90d", "this_month", "last_month", "custom"]
PRESETS: Final[tuple[str, ...]] = get_args(Preset)
Freq = Literal["week", "month"]
AreaKind = Literal["city", "district", "svl", "hostel"]
AREA_KINDS: Final[tuple[str, ...]] = get_args(AreaKind)

#: Outcome codes behind the two share cards.
RESOLVED: Final = "resolved_on_spot"
PATROL: Final = "patrol_called"


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects; empty tuples mean "all".

    Attributes
    ----------
    start, end
        First and last day (inclusive); ``None`` leaves that side open.
    preset
        How the range was chosen (one of :data:`PRESETS`); ``"custom"`` keeps ``start``/``end``.
    categories, outcomes
        Category and outcome codes.
    districts, mdt_areas
        District names (``district_name``) and MDT-area names.
    weekdays
        0 = Monday … 6 = Sunday.
    hours
        First and last hour of the day (inclusive, 0–23).
    """

    start: date | None = None
    end: date | None = None
    preset: str = "30d"
    categories: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    mdt_areas: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()
    hours: tuple[int, int] = field(default=(0, 23))

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise ValueError(f"preset must be one of {PRESETS}; got {self.preset!r}")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}; swap them")
        lo, hi = self.hours
        if not 0 <= lo <= hi <= 23:
            raise ValueError(
                f"hours must be (first, last) with 0 <= first <= last <= 23; got {self.hours!r}"
            )
        bad = [d for d in self.weekdays if not 0 <= d <= 6]
        if bad:
            raise ValueError(f"weekdays must be 0 (Monday) … 6 (Sunday); got {bad}")


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


def preset_range(preset: Preset, *, today: date) -> tuple[date, date]:
    """Return the inclusive ``(start, end)`` of a preset ending on ``today``.

    Examples
    --------
    >>> preset_range("7d", today=date(2024, 3, 10))
    (datetime.date(2024, 3, 4), datetime.date(2024, 3, 10))
    >>> preset_range("last_month", today=date(2024, 3, 10))
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    if preset in ("7d", "30d", "90d"):
        days = int(preset[:-1])
        return today - timedelta(days=days - 1), today
    first = today.replace(day=1)
    if preset == "this_month":
        return first, today
    if preset == "last_month":
        last = first - timedelta(days=1)
        return last.replace(day=1), last
    raise ValueError(f"preset {preset!r} has no fixed range; expected one of {PRESETS[:-1]}")


def previous_period(start: date, end: date) -> tuple[date, date]:
    """Return the period of equal length that ends the day before ``start``.

    Examples
    --------
    >>> previous_period(date(2024, 3, 1), date(2024, 3, 31))
    (datetime.date(2024, 1, 30), datetime.date(2024, 2, 29))
    """
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def data_span(incidents: pd.DataFrame) -> tuple[date, date] | None:
    """Return the first and last local day with an incident, or ``None`` when empty."""
    if incidents.empty:
        return None
    local = _local_times(incidents)
    return local.min().date(), local.max().date()


def _local_times(incidents: pd.DataFrame) -> pd.Series:
    require_columns(incidents, ["reported_at"], name="incidents")
    times = incidents["reported_at"]
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        raise SchemaError(
            f"incidents.reported_at must be tz-aware datetimes; got {times.dtype}; "
            f"use .dt.tz_localize('{TIMEZONE}')"
        )
    local: pd.Series = times.dt.tz_convert(TIMEZONE)
    return local


def filter_incidents(incidents: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    """Return the incidents that pass ``filters`` (a new frame; the input is not changed).

    Parameters
    ----------
    incidents
        Store incidents with ``reported_at``, ``category``, ``outcome``, ``district_name``,
        ``mdt_area``.
    filters
        The selection.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows that pass, same columns.
    """
    local = _local_times(incidents)
    mask = pd.Series(True, index=incidents.index)
    if filters.start is not None:
        mask &= local >= pd.Timestamp(filters.start).tz_localize(TIMEZONE)
    if filters.end is not None:
        mask &= local < pd.Timestamp(filters.end + timedelta(days=1)).tz_localize(TIMEZONE)
    for col, values in (
        ("category", filters.categories),
        ("outcome", filters.outcomes),
        ("district_name", filters.districts),
        ("mdt_area", filters.mdt_areas),
    ):
        if values:
            require_columns(incidents, [col], name="incidents")
            mask &= incidents[col].isin(list(values)).fillna(False).astype(bool)
    if filters.weekdays:
        mask &= local.dt.day_of_week.isin(list(filters.weekdays))
    lo, hi = filters.hours
    if (lo, hi) != (0, 23):
        mask &= local.dt.hour.between(lo, hi)
    return incidents[mask.to_numpy(dtype=bool)].copy()


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


def select_area(
    incidents: gpd.GeoDataFrame, *, kind: AreaKind, name: str | None = None
) -> gpd.GeoDataFrame:
    """Return the incidents of the city, one district, one SVL or one hostel's buffer."""
    if kind not in AREA_KINDS:
        raise ValueError(f"kind must be one of {AREA_KINDS}; got {kind!r}")
    if kind == "city":
        return incidents.copy()
    if not name:
        raise ValueError(f"name is required for kind={kind!r}")
    col = {"district": "district_name", "svl": "svl_name", "hostel": "hostel_name"}[kind]
    require_columns(incidents, [col], name="incidents")
    mask = (incidents[col] == name).fillna(False).astype(bool)
    if kind == "hostel":
        require_columns(incidents, ["in_hostel_buffer"], name="incidents")
        mask &= incidents["in_hostel_buffer"].fillna(False).astype(bool)
    return incidents[mask.to_numpy(dtype=bool)].copy()


def _period_start(local: pd.Series, freq: Freq) -> pd.Series:
    naive = local.dt.tz_localize(None)
    if freq not in ("week", "month"):
        raise ValueError(f"freq must be 'week' or 'month'; got {freq!r}")
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
    local = _local_times(incidents)
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
    local = _local_times(incidents)
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
    local = _local_times(incidents)
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


def latest_complete_month(incidents: pd.DataFrame) -> pd.Period | None:
    """Return the last calendar month fully covered by the data (``None`` when empty).

    A month counts as complete when the data go on to its last day.
    """
    span = data_span(incidents)
    return None if span is None else complete_month_until(span[1])


def complete_month_until(day: date) -> pd.Period:
    """Return the last calendar month that ends on or before ``day``.

    Examples
    --------
    >>> complete_month_until(date(2024, 6, 30)), complete_month_until(date(2024, 6, 29))
    (Period('2024-06', 'M'), Period('2024-05', 'M'))
    """
    stamp = pd.Timestamp(day)
    month = stamp.to_period("M")
    return month if stamp.day == stamp.days_in_month else month - 1


def reference_month(incidents: pd.DataFrame, filters: Filters) -> pd.Period | None:
    """Return the latest complete month of the selected period (``None`` without data).

    The period ends on the filter's last day, or on the store's last day with data when that is
    earlier (the data decide what is complete, not the calendar). The evaluation figures of the
    Hotspots page and the year-on-year table of the Trends page are about this month.

    Examples
    --------
    With data up to 30 June 2024: the last 30 days end on 30 June, so June 2024 is complete;
    a custom range that ends on 15 June refers to May 2024.
    """
    span = data_span(incidents)
    if span is None:
        return None
    last = span[1] if filters.end is None else min(filters.end, span[1])
    return complete_month_until(last)


def filter_history(
    incidents: gpd.GeoDataFrame, filters: Filters, *, until: date | None = None
) -> gpd.GeoDataFrame:
    """Return every incident up to the end of the filtered period that passes the other filters.

    The start of the date filter is dropped (a forecast, an evaluation or a trend test needs the
    history before the period looked at); categories, outcomes, areas, weekdays and hours still
    apply. ``until`` replaces the filter's last day.
    """
    end = filters.end if until is None else until
    return filter_incidents(incidents, replace(filters, start=None, end=end, preset="custom"))


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
    located = points[~points.geometry.isna() & ~points.geometry.is_empty]
    return located, month


def hotspot_table(
    result: gpd.GeoDataFrame,
    *,
    top: int = 10,
    districts: gpd.GeoDataFrame | None = None,
    context: Any | None = None,
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
        raise ValueError(f"top must be >= 1; got {top}")
    frame = result.copy()
    if "n" not in frame:
        frame["n"] = 0
    keys = [k for k in ("hotspot_class", "gi_z", "risk", "density_km2", "n") if k in frame]
    frame = frame.sort_values(keys, ascending=False, kind="stable")
    if "hotspot_class" in frame:
        frame = frame[frame["hotspot_class"] > 0]
    frame = frame.head(top)
    if "label" not in frame:
        ids = frame["cell_id"].tolist() if "cell_id" in frame else None
        frame["label"] = place_labels(
            frame, context=context, districts=districts, ids=ids, lang=lang
        )
    if "emerging_class" in frame:
        names = {c.code: c.label(lang) for c in EMERGING_CATEGORIES}
        frame["emerging_class"] = [
            names.get(str(v), str(v)) if isinstance(v, str) else v for v in frame["emerging_class"]
        ]
    extra = [
        c
        for c in (
            "hotspot_class",
            "gi_z",
            "risk",
            "density_km2",
            "trend_z",
            "emerging_class",
            "date_from",
            "date_to",
        )
        if c in frame
    ]
    out = frame[["label", "n", *extra, frame.geometry.name]].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=result.crs)


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


def status_table(summary: Mapping[str, object]) -> pd.DataFrame:
    """Return the store summary as readable text rows (``key``, ``value``).

    Dates show as ``DD.MM.YYYY HH:MM`` (the store's local time), lists as comma-separated text,
    anything else as ``str``; keys not in :data:`STATUS_KEYS` (the last imports, the raw
    metadata) are left out: the Data page shows the import log as a table of its own.

    Examples
    --------
    >>> summary = {"incidents": 3, "sources": ["a", "b"], "date_to": "2024-06-30T21:00+02:00"}
    >>> status_table(summary).to_numpy().tolist()
    [['incidents', '3'], ['sources', 'a, b'], ['date_to', '30.06.2024 21:00']]
    """
    rows = []
    for key in STATUS_KEYS:
        if key not in summary:
            continue
        value = summary[key]
        if key in ("date_from", "date_to") and value:
            text = pd.Timestamp(str(value)).strftime("%d.%m.%Y %H:%M")
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


# --- URL query parameters ---------------------------------------------------------------------

_LIST_KEYS: Final = {
    "cat": "categories",
    "out": "outcomes",
    "dist": "districts",
    "mdt": "mdt_areas",
}


def filters_to_query(filters: Filters) -> dict[str, str]:
    """Return the filters as URL query parameters (lists comma-separated, defaults omitted)."""
    q: dict[str, str] = {"preset": filters.preset}
    if filters.preset == "custom":
        if filters.start:
            q["from"] = filters.start.isoformat()
        if filters.end:
            q["to"] = filters.end.isoformat()
    for key, attr in _LIST_KEYS.items():
        values = getattr(filters, attr)
        if values:
            q[key] = ",".join(values)
    if filters.weekdays:
        q["wd"] = ",".join(str(d) for d in filters.weekdays)
    if filters.hours != (0, 23):
        q["h"] = f"{filters.hours[0]}-{filters.hours[1]}"
    return q


def filters_from_query(
    params: Mapping[str, str | Sequence[str]],
    *,
    today: date,
    allowed: Mapping[str, Sequence[str]] | None = None,
    span: tuple[date, date] | None = None,
) -> Filters:
    """Rebuild :class:`Filters` from URL query parameters; invalid parts are dropped and logged.

    Parameters
    ----------
    params
        ``st.query_params`` (or any mapping of str to str).
    today
        Anchor of the date presets (the last day with data, normally).
    allowed
        Permitted values per list key (``categories``, ``outcomes``, ``districts``,
        ``mdt_areas``); unknown values are dropped.
    span
        First and last day with data: a custom range is clipped to it (a date picker cannot show
        days outside it); a range entirely outside falls back to the last 30 days.
    """

    def get(key: str) -> str | None:
        value = params.get(key)
        if value is None:
            return None
        return value if isinstance(value, str) else (value[-1] if value else None)

    kwargs: dict[str, object] = {}
    preset = get("preset") or "30d"
    if preset not in PRESETS:
        logger.warning("query: unknown preset %r ignored", preset)
        preset = "30d"
    if preset == "custom":
        try:
            start = date.fromisoformat(get("from") or "")
            end = date.fromisoformat(get("to") or "")
        except ValueError:
            logger.warning("query: bad custom range %r–%r; using 30 days", get("from"), get("to"))
            preset, (start, end) = "30d", preset_range("30d", today=today)
        if start > end:
            start, end = end, start
        if span is not None:
            clipped = (max(start, span[0]), min(end, span[1]))
            if clipped[0] > clipped[1]:
                logger.warning("query: range %s–%s outside the data; using 30 days", start, end)
                preset, clipped = "30d", preset_range("30d", today=today)
            elif clipped != (start, end):
                logger.info("query: range %s–%s clipped to the data: %s–%s", start, end, *clipped)
            start, end = clipped
    else:
        start, end = preset_range(preset, today=today)  # type: ignore[arg-type]
    kwargs.update(preset=preset, start=start, end=end)
    for key, attr in _LIST_KEYS.items():
        raw = get(key)
        if not raw:
            continue
        values = tuple(v for v in raw.split(",") if v)
        if allowed is not None and attr in allowed:
            keep = set(allowed[attr])
            dropped = [v for v in values if v not in keep]
            if dropped:
                logger.warning("query: unknown %s %s ignored", attr, dropped)
            values = tuple(v for v in values if v in keep)
        kwargs[attr] = values
    wd = get("wd")
    if wd:
        kwargs["weekdays"] = tuple(
            sorted({int(v) for v in wd.split(",") if v.isdigit() and 0 <= int(v) <= 6})
        )
    h = get("h")
    if h:
        parts = h.split("-")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            lo, hi = sorted(min(int(p), 23) for p in parts)
            kwargs["hours"] = (lo, hi)
    return Filters(**kwargs)  # type: ignore[arg-type]


# --- hotspot runs for the dashboard -----------------------------------------------------------

Method = Literal["gistar", "kde", "clusters", "forecast"]
METHODS: Final[tuple[str, ...]] = get_args(Method)


@dataclass(frozen=True)
class HotspotRun:
    """The result of one hotspot run of the dashboard.

    Attributes
    ----------
    method
        The method run.
    cells
        The grid with the method's columns (and ``emerging_class``/``trend_z`` when the emerging
        analysis could run), or ``None`` for clusters.
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
    def result(self) -> gpd.GeoDataFrame:
        """The layer the table and downloads use (cells or clusters)."""
        layer = self.clusters if self.cells is None else self.cells
        if layer is None:
            raise ValueError("a HotspotRun holds neither cells nor clusters")
        return layer


def run_hotspots(
    points: gpd.GeoDataFrame,
    *,
    method: Method,
    area: gpd.GeoDataFrame,
    cell_size_m: float | None = None,
    bandwidth_m: float | None = None,
    min_cluster_size: int = 15,
    with_emerging: bool = True,
    history: gpd.GeoDataFrame | None = None,
    seed: int = 0,
) -> HotspotRun:
    """Run one hotspot method on geocoded incidents, as the Hotspots page does.

    Parameters
    ----------
    points
        Incidents (``reported_at``, Point geometry in a projected CRS); empty geometries dropped.
    method
        ``"gistar"``, ``"kde"``, ``"clusters"`` or ``"forecast"``.
    area
        Study area (the city polygon) in the points' CRS.
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
        history up to the end of the filtered period (:func:`filter_history`): a trend over a
        few weeks of points means little (ArcGIS recommends at least 10 time periods).
    seed
        Seed for methods with a random step.

    Returns
    -------
    HotspotRun
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    from apk_geo import grid as grid_mod
    from apk_geo.errors import InsufficientDataError

    pts = points[~points.geometry.isna() & ~points.geometry.is_empty]
    if method == "clusters":
        from apk_geo import clusters as clusters_mod

        result = clusters_mod.clusters(pts, method="hdbscan", min_cluster_size=min_cluster_size)
        return HotspotRun(method, None, result, dict(result.attrs.get("params", {})))
    cells = grid_mod.make_grid(area.to_crs(pts.crs), cell_size_m=cell_size_m)
    counted = grid_mod.count_points(cells, pts)
    params: dict[str, object] = {"grid": dict(cells.attrs.get("params", {}))}
    if method == "gistar":
        from apk_geo import gistar as gistar_mod

        out = gistar_mod.gistar(counted)
    elif method == "kde":
        from apk_geo import kde as kde_mod

        out = kde_mod.kde(pts, counted, bandwidth_m=bandwidth_m)
    else:
        from apk_geo import forecast as forecast_mod

        out = forecast_mod.forecast(pts, counted, seed=seed)
    params[method] = dict(out.attrs.get("params", {}))
    if with_emerging:
        from apk_geo import emerging as emerging_mod

        try:
            src = pts if history is None else history
            src = src[~src.geometry.isna() & ~src.geometry.is_empty].to_crs(pts.crs)
            em = emerging_mod.emerging(src, cells)
        except InsufficientDataError as exc:
            logger.info("hotspots: emerging analysis skipped: %s", exc)
        else:
            keep = [c for c in ("emerging_class", "trend_z") if c in em]
            out = out.merge(pd.DataFrame(em[["cell_id", *keep]]), on="cell_id", how="left")
            params["emerging"] = dict(em.attrs.get("params", {}))
    logger.info("hotspots: %s on %d cells, params %s", method, len(out), params)
    return HotspotRun(method, out, None, params)
