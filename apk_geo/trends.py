"""The Trends page's series: complete periods only, an interval that suits the range.

A trend of the last 30 days in months is one dot; a week cut by the range's start or end looks
like a fall to zero. :func:`trend_view` chooses the interval from the length of the range
(days up to a month, weeks up to half a year, then months) unless asked, counts only the
complete periods inside the range (:func:`complete_range`) and says which partial ones it left
out. :data:`CATEGORY_PALETTE` colours up to twelve categories apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.indicators import trend_table
from apk_geo.selection import local_times

#: Twelve categorical colours that stay apart (Tableau 10 and two more): one per category.
CATEGORY_PALETTE: Final = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#3b3b3b",
    "#17becf",
    "#bcbd22",
)


@dataclass(frozen=True)
class TrendView:
    """A trend series over complete periods only, and what was left out.

    Attributes
    ----------
    series
        :func:`trend_table` over the complete periods (``period`` is the period's first day).
    freq
        ``"day"``, ``"week"`` or ``"month"`` (the choice when ``"auto"`` was asked).
    dropped
        ``(first day, last day)`` of each partial period left out (at most two: the start and
        the end of the range).
    """

    series: pd.DataFrame
    freq: str
    dropped: tuple[tuple[date, date], ...]


def choose_trend_freq(start: date, end: date) -> str:
    """Return ``"day"`` up to 31 days, ``"week"`` up to 26 weeks, else ``"month"``."""
    days = (end - start).days + 1
    return "day" if days <= 31 else ("week" if days <= 183 else "month")


def complete_range(start: date, end: date, *, freq: str) -> tuple[date, date] | None:
    """Return the first and last day of the complete periods within ``start``–``end``.

    Weeks run Monday–Sunday, months from the 1st. ``None`` when no period is complete.

    Examples
    --------
    >>> complete_range(date(2024, 6, 5), date(2024, 6, 26), freq="week")
    (datetime.date(2024, 6, 10), datetime.date(2024, 6, 23))
    """
    if freq == "day":
        return start, end
    if freq == "week":
        first = start + timedelta(days=(7 - start.weekday()) % 7)
        last = end - timedelta(days=(end.weekday() + 1) % 7)
    elif freq == "month":
        first = start if start.day == 1 else (pd.Timestamp(start) + pd.offsets.MonthBegin(1)).date()
        month_end = (pd.Timestamp(end) + pd.offsets.MonthEnd(0)).date()
        last = end if end == month_end else (pd.Timestamp(end) - pd.offsets.MonthEnd(1)).date()
    else:
        raise ParameterError(f"freq must be 'day', 'week' or 'month'; got {freq!r}")
    return (first, last) if first <= last else None


def trend_view(
    incidents: pd.DataFrame,
    *,
    start: date,
    end: date,
    freq: str = "auto",
    by: Literal["category", "outcome"] | None = None,
) -> TrendView:
    """Return the trend of ``start``–``end`` over complete periods only (partial ones dropped).

    ``freq="auto"`` chooses by the length of the range (:func:`choose_trend_freq`), so the
    default last 30 days show 30 daily points rather than one monthly dot.
    """
    chosen = choose_trend_freq(start, end) if freq == "auto" else freq
    full = complete_range(start, end, freq=chosen)
    dropped: list[tuple[date, date]] = []
    if full is None:
        empty = trend_table(incidents.iloc[:0], freq="month", by=by)
        return TrendView(empty, chosen, ((start, end),))
    if full[0] > start:
        dropped.append((start, full[0] - timedelta(days=1)))
    if full[1] < end:
        dropped.append((full[1] + timedelta(days=1), end))
    local = local_times(incidents).dt.date
    inside = incidents[((local >= full[0]) & (local <= full[1])).to_numpy(dtype=bool)]
    if chosen == "day":
        series = _daily(inside, by=by, start=full[0], end=full[1])
    else:
        series = trend_table(inside, freq=chosen, by=by, start=full[0], end=full[1])  # type: ignore[arg-type]
    return TrendView(series, chosen, tuple(dropped))


def _daily(incidents: pd.DataFrame, *, by: str | None, start: date, end: date) -> pd.DataFrame:
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    local = local_times(incidents).dt.tz_localize(None).dt.normalize()
    if by is None:
        counts = local.value_counts().reindex(days, fill_value=0)
        return pd.DataFrame({"period": days, "n": counts.to_numpy().astype("int64")})
    values = sorted(incidents[by].dropna().astype(str).unique())
    frame = pd.DataFrame({"period": local.to_numpy(), by: incidents[by].astype(str).to_numpy()})
    index = pd.MultiIndex.from_product([days, values], names=["period", by])
    out = frame.value_counts().reindex(index, fill_value=0).rename("n").reset_index()
    out["n"] = out["n"].astype("int64")
    return out
