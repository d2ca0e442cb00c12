"""The demo calendar: Czech school days and holidays, "Jehla" weeks, day and hour rates.

:func:`school_days` and :func:`jehla_days` mark days; :func:`_day_weights` and
:func:`_hour_weights` give the relative rate of a category on each day and in each hour, which
:func:`apk_geo.demo.generate_incidents` samples from. Easter is computed with the anonymous
Gregorian algorithm (Meeus/Jones/Butcher).
"""

from __future__ import annotations

from datetime import date
from typing import Final

import numpy as np
import pandas as pd

__all__ = ["JEHLA_WEEKS", "default_end", "jehla_days", "school_days"]

#: ISO weeks of the municipal police's "Jehla" syringe-collection campaign (demo assumption).
JEHLA_WEEKS: Final = (15, 16, 39)

#: Czech public holidays (month, day); Easter is added per year.
_HOLIDAYS: Final = (
    (1, 1),
    (5, 1),
    (5, 8),
    (7, 5),
    (7, 6),
    (9, 28),
    (10, 28),
    (11, 17),
    (12, 24),
    (12, 25),
    (12, 26),
)
#: Categories that peak in the evening and on Friday/Saturday.
_EVENING: Final = frozenset({"alcohol", "noise"})
#: Categories with a summer peak.
_SUMMER: Final = frozenset({"alcohol", "noise", "littering", "dogs", "public_order"})


def _easter(year: int) -> date:
    """Return Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _easter_days_off(years: set[int]) -> pd.DatetimeIndex:
    """Return Maundy Thursday, Good Friday and Easter Monday of every year."""
    days = set()
    for year in years:
        sunday = pd.Timestamp(_easter(int(year)))
        days |= {
            sunday - pd.Timedelta(days=3),
            sunday - pd.Timedelta(days=2),
            sunday + pd.Timedelta(days=1),
        }
    return pd.DatetimeIndex(sorted(days))


def school_days(days: pd.DatetimeIndex) -> np.ndarray:
    """Return whether each day is a Czech school day (Mon–Fri, no holiday or school break).

    Breaks: July and August, 23 December – 2 January, the autumn break (29–30 October), Maundy
    Thursday, and public holidays including Good Friday and Easter Monday.
    """
    out = days.day_of_week.to_numpy() < 5
    out &= ~np.isin(days.month.to_numpy(), (7, 8))
    md = list(zip(days.month, days.day, strict=True))
    fixed = np.array([m_d in _HOLIDAYS for m_d in md])
    xmas = np.array([(m == 12 and d >= 23) or (m == 1 and d <= 2) for m, d in md])
    autumn = np.array([m == 10 and d in (29, 30) for m, d in md])
    east = np.isin(days.normalize(), _easter_days_off(set(days.year)))
    return np.asarray(out & ~fixed & ~xmas & ~autumn & ~east, dtype=bool)


def jehla_days(days: pd.DatetimeIndex) -> np.ndarray:
    """Return whether each day falls in a "Jehla" campaign week (:data:`JEHLA_WEEKS`)."""
    return np.isin(days.isocalendar().week.to_numpy(dtype=int), JEHLA_WEEKS)


def default_end(today: date | None = None) -> pd.Timestamp:
    """Return the first day of the current month: the exclusive end of the last complete month."""
    t = today or date.today()
    return pd.Timestamp(year=t.year, month=t.month, day=1)


def _day_weights(days: pd.DatetimeIndex, category: str) -> np.ndarray:
    """Relative rate of ``category`` on each day (seasonality, weekday, campaigns, school days)."""
    month = days.month.to_numpy()
    dow = days.day_of_week.to_numpy()
    w = np.ones(len(days))
    if category in _SUMMER:
        w *= 1 + 0.35 * np.cos(2 * np.pi * (month - 7) / 12)
    if category == "help_housing":
        w *= 1 + 0.35 * np.cos(2 * np.pi * (month - 1) / 12)
    if category in _EVENING:
        w *= np.select([dow == 4, dow == 5, dow == 6], [1.8, 2.0, 1.3], 1.0)
    elif category != "truancy":
        w *= np.where(dow >= 5, 0.7, 1.0)
    if category == "syringes":
        w *= np.where(jehla_days(days), 4.0, 1.0)
    if category == "truancy":
        w *= np.where(school_days(days), 1.0, 0.01)
    return np.asarray(w / w.sum(), dtype=float)


def _hour_weights(category: str) -> np.ndarray:
    """Relative rate of ``category`` in each hour of the day (assistants work 7–23 h)."""
    h = np.arange(24)
    base = np.where((h >= 7) & (h <= 21), 1.0, 0.02)
    if category == "truancy":
        base = np.where((h >= 7) & (h <= 11), 6.0, base * 0.25)
    elif category == "noise":
        base = np.where(h >= 20, 5.0, np.where(h <= 1, 3.0, base * 0.4))
    elif category == "alcohol":
        base = np.where((h >= 16) & (h <= 23), 4.0, base * 0.6)
    elif category == "syringes":
        base = np.where((h >= 7) & (h <= 13), 3.0, base)
    return np.asarray(base / base.sum(), dtype=float)
