"""The dashboard's selection: filters, date presets, areas and their round trip through the URL.

Everything here is a pure function of a GeoDataFrame of incidents (the store's incidents layer,
``reported_at`` tz-aware in Europe/Prague) and a frozen :class:`Filters`, so the dashboard pages
stay thin and the logic is tested without a browser. Filters round-trip through URL query parameters
(:func:`filters_to_query`, :func:`filters_from_query`) so a view can be shared as a link.

Date ranges are inclusive calendar days in Europe/Prague. The "previous period" of a range is the
range of equal length that ends the day before it starts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Final, Literal, get_args

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo._validate import require_columns
from apk_geo.errors import ParameterError, SchemaError
from apk_geo.schema import TIMEZONE

logger = logging.getLogger(__name__)

Preset = Literal["7d", "30d", "90d", "this_month", "last_month", "custom"]
PRESETS: Final[tuple[str, ...]] = get_args(Preset)
AreaKind = Literal["city", "district", "svl", "hostel"]
AREA_KINDS: Final[tuple[str, ...]] = get_args(AreaKind)


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
            raise ParameterError(f"preset must be one of {PRESETS}; got {self.preset!r}")
        if self.start and self.end and self.start > self.end:
            raise ParameterError(f"start {self.start} is after end {self.end}; swap them")
        lo, hi = self.hours
        if not 0 <= lo <= hi <= 23:
            raise ParameterError(
                f"hours must be (first, last) with 0 <= first <= last <= 23; got {self.hours!r}"
            )
        bad = [d for d in self.weekdays if not 0 <= d <= 6]
        if bad:
            raise ParameterError(f"weekdays must be 0 (Monday) … 6 (Sunday); got {bad}")


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
    raise ParameterError(f"preset {preset!r} has no fixed range; expected one of {PRESETS[:-1]}")


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
    local = local_times(incidents)
    return local.min().date(), local.max().date()


def local_times(incidents: pd.DataFrame) -> pd.Series:
    """Return ``incidents.reported_at`` in Europe/Prague; refuse naive or missing times."""
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
        The rows that pass, same columns (a new frame: pandas' copy-on-write keeps the input
        unchanged whatever is done with it).

    Notes
    -----
    Incidents in time order (as the store writes them and the dashboard keeps them) are cut to
    the period by binary search, so a month of a million incidents costs a month.
    """
    part, local = _period_rows(incidents, filters)
    mask = pd.Series(True, index=part.index)
    for col, values in (
        ("category", filters.categories),
        ("outcome", filters.outcomes),
        ("district_name", filters.districts),
        ("mdt_area", filters.mdt_areas),
    ):
        if values:
            require_columns(part, [col], name="incidents")
            mask &= part[col].isin(list(values)).fillna(False).astype(bool)
    if filters.weekdays:
        mask &= local.dt.day_of_week.isin(list(filters.weekdays))
    lo, hi = filters.hours
    if (lo, hi) != (0, 23):
        mask &= local.dt.hour.between(lo, hi)
    if bool(mask.all()):
        return part.copy(deep=False)
    return part[mask.to_numpy(dtype=bool)]


def _period_rows(
    incidents: gpd.GeoDataFrame, filters: Filters
) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Return the rows of the filter's days and their local times.

    Rows in time order (no NaT) are cut by binary search; others are masked.
    """
    local = local_times(incidents)
    lo = None if filters.start is None else pd.Timestamp(filters.start).tz_localize(TIMEZONE)
    hi = None
    if filters.end is not None:
        hi = pd.Timestamp(filters.end + timedelta(days=1)).tz_localize(TIMEZONE)
    if lo is None and hi is None:
        return incidents, local
    if local.is_monotonic_increasing and not local.hasnans:
        i = 0 if lo is None else int(local.searchsorted(lo, side="left"))
        j = len(local) if hi is None else int(local.searchsorted(hi, side="left"))
        return incidents.iloc[i:j], local.iloc[i:j]
    keep = pd.Series(True, index=incidents.index)
    if lo is not None:
        keep &= local >= lo
    if hi is not None:
        keep &= local < hi
    rows = keep.to_numpy(dtype=bool)
    return incidents[rows], local[rows]


def in_time_order(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``incidents`` sorted by ``reported_at`` (stable; itself when already in order).

    :func:`filter_incidents` then cuts every period by binary search: with a million incidents
    a filter change costs the period, not the store. Missing times go last.
    """
    times = local_times(incidents)
    if times.is_monotonic_increasing:
        return incidents
    order = np.argsort(times.to_numpy(dtype="datetime64[ns]"), kind="stable")
    return incidents.iloc[order]


def select_area(
    incidents: gpd.GeoDataFrame, *, kind: AreaKind, name: str | None = None
) -> gpd.GeoDataFrame:
    """Return the incidents of the city, one district, one SVL or one hostel's buffer."""
    if kind not in AREA_KINDS:
        raise ParameterError(f"kind must be one of {AREA_KINDS}; got {kind!r}")
    if kind == "city":
        return incidents.copy()
    if not name:
        raise ParameterError(f"name is required for kind={kind!r}")
    col = {"district": "district_name", "svl": "svl_name", "hostel": "hostel_name"}[kind]
    require_columns(incidents, [col], name="incidents")
    mask = (incidents[col] == name).fillna(False).astype(bool)
    if kind == "hostel":
        require_columns(incidents, ["in_hostel_buffer"], name="incidents")
        mask &= incidents["in_hostel_buffer"].fillna(False).astype(bool)
    return incidents[mask.to_numpy(dtype=bool)].copy()


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
    query = {k: _last(v) for k, v in params.items()}
    kwargs: dict[str, object] = dict(_query_dates(query, today=today, span=span))
    for key, attr in _LIST_KEYS.items():
        values = _query_list(query.get(key), attr=attr, allowed=allowed)
        if values:
            kwargs[attr] = values
    wd = query.get("wd")
    if wd:
        kwargs["weekdays"] = tuple(
            sorted({int(v) for v in wd.split(",") if v.isdigit() and 0 <= int(v) <= 6})
        )
    hours = _query_hours(query.get("h"))
    if hours is not None:
        kwargs["hours"] = hours
    return Filters(**kwargs)  # type: ignore[arg-type]


def _last(value: str | Sequence[str] | None) -> str | None:
    """Return a query value (the last one when a key is repeated)."""
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def _query_dates(
    query: Mapping[str, str | None], *, today: date, span: tuple[date, date] | None
) -> dict[str, object]:
    """Return ``preset``, ``start`` and ``end``; bad or out-of-data ranges become 30 days."""
    preset = query.get("preset") or "30d"
    if preset not in PRESETS:
        logger.warning("query: unknown preset %r ignored", preset)
        preset = "30d"
    if preset != "custom":
        start, end = preset_range(preset, today=today)  # type: ignore[arg-type]
        return {"preset": preset, "start": start, "end": end}
    try:
        start = date.fromisoformat(query.get("from") or "")
        end = date.fromisoformat(query.get("to") or "")
    except ValueError:
        logger.warning(
            "query: bad custom range %r–%r; using 30 days", query.get("from"), query.get("to")
        )
        return _last_30_days(today)
    start, end = min(start, end), max(start, end)
    if span is None:
        return {"preset": "custom", "start": start, "end": end}
    clipped = (max(start, span[0]), min(end, span[1]))
    if clipped[0] > clipped[1]:
        logger.warning("query: range %s–%s outside the data; using 30 days", start, end)
        return _last_30_days(today)
    if clipped != (start, end):
        logger.info("query: range %s–%s clipped to the data: %s–%s", start, end, *clipped)
    return {"preset": "custom", "start": clipped[0], "end": clipped[1]}


def _last_30_days(today: date) -> dict[str, object]:
    start, end = preset_range("30d", today=today)
    return {"preset": "30d", "start": start, "end": end}


def _query_list(
    raw: str | None, *, attr: str, allowed: Mapping[str, Sequence[str]] | None
) -> tuple[str, ...]:
    """Return the comma-separated values of one list key, without values not ``allowed``."""
    values = tuple(v for v in (raw or "").split(",") if v)
    if allowed is None or attr not in allowed:
        return values
    keep = set(allowed[attr])
    dropped = [v for v in values if v not in keep]
    if dropped:
        logger.warning("query: unknown %s %s ignored", attr, dropped)
    return tuple(v for v in values if v in keep)


def _query_hours(raw: str | None) -> tuple[int, int] | None:
    """Return ``(first, last)`` hour from ``"8-17"`` (capped at 23, sorted), else ``None``."""
    parts = (raw or "").split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    lo, hi = sorted(min(int(p), 23) for p in parts)
    return lo, hi
