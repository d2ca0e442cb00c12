"""Emerging hot-spot analysis: how hot and cold spots change over time.

The points are counted in a space-time cube (grid cells × complete time periods). Each bin of the
cube gets a Getis-Ord Gi* z-score computed over a *space-time* neighbourhood, each cell's series
of z-scores is tested for a monotonic trend with the Mann-Kendall test, and each cell is put in
one of the 17 categories of ArcGIS's Emerging Hot Spot Analysis.

Periods
-------
``period`` is ``"D"`` (calendar days), ``"W"`` (ISO weeks, Monday to Sunday), ``"M"`` (calendar
months) or ``"Q"`` (calendar quarters), in local wall-clock time of the ``reported_at`` column.
When it is not given it is chosen from the span of the data (first to last day, inclusive):
up to 14 days → daily, up to 91 days → weekly, up to two years (731 days) → monthly, longer →
quarterly. Only *complete* periods are analysed — a period that begins before the first day or
ends after the last day of the observation window is dropped, because a half-observed period
would look like a cold spot. If the automatic choice leaves fewer than :data:`MIN_PERIODS`
complete periods, the next finer period is used. The choice and the reason are logged and kept
in ``attrs["params"]``.

Space-time Gi*
--------------
The neighbourhood of the bin (cell *i*, period *t*) holds cell *i* and its queen-contiguous
neighbour cells (cells that share an edge or a corner) in period *t* and in the previous
``time_steps`` periods (default 1) — ArcGIS's "neighbourhood time step" of 1: the tool "first
finds neighbouring bins that fall within the specified neighbourhood distance; then, for each of
those bins, it includes bins at those same locations from N previous time steps". The first
period has no previous period and so a smaller neighbourhood. Weights are binary. As in ArcGIS's
default global window ("entire cube"), the mean and standard deviation of the Gi* statistic are
those of all bins of the cube (Getis & Ord 1992; Ord & Getis 1995)::

    z_it = (Σ_j w_ij,t x_j − x̄ k_it) / (s · sqrt((N k_it − k_it²) / (N − 1)))

with *N* the number of bins, *x̄* and *s* the mean and (population) standard deviation of all bin
counts, and *k_it* the number of bins in the neighbourhood. Two-sided p-values come from the
normal distribution and are adjusted per period (each period's map is one family, as one run of
Hot Spot Analysis would be) with Benjamini–Hochberg (``adjust="fdr_bh"``, ArcGIS's FDR correction),
Bonferroni or not at all. A bin is a *significant hot spot* when ``z > 0`` and its adjusted p-value
is below ``alpha`` (default 0.05), a *significant cold spot* when ``z < 0`` likewise.

Trend
-----
The Mann-Kendall test (Mann 1945; Kendall 1975) is applied to each cell's series of Gi* z-scores
in time order: ``S = Σ_{a<b} sign(z_b − z_a)``, ``Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18``
summed over groups of *t* tied values, ``Z = (S − sign(S)) / sqrt(Var S)`` (continuity correction),
two-sided p-value from the normal distribution. The trend is significant when ``trend_p <
trend_alpha`` (default 0.05).

Categories
----------
The rules follow the definitions published by Esri, *How Emerging Hot Spot Analysis works*
(ArcGIS Pro tool reference, Space Time Pattern Mining toolbox). With *n* periods, a cell is, for
hot spots (cold spots mirror them with "cold" for "hot" and the trend sign reversed):

``new_hot``
    significant hot spot in the final period and never before.
``consecutive_hot``
    a single uninterrupted run of at least two significant hot periods at the end of the series,
    never a significant hot spot before that run, and fewer than 90 % of periods hot.
``intensifying_hot``
    significant hot spot in at least 90 % of the periods, including the final one, and a
    significant *increasing* trend of the z-scores.
``persistent_hot``
    significant hot spot in at least 90 % of the periods, including the final one, and no
    significant trend.
``diminishing_hot``
    significant hot spot in at least 90 % of the periods, including the final one, and a
    significant *decreasing* trend of the z-scores.
``sporadic_hot``
    significant hot spot in the final period, on-again off-again before, fewer than 90 % of the
    periods hot, and never a significant cold spot.
``oscillating_hot``
    significant hot spot in the final period that was a significant cold spot in some earlier
    period, with fewer than 90 % of the periods hot.
``historical_hot``
    not a significant hot spot in the final period, but a significant hot spot in at least 90 %
    of the periods.
``no_pattern``
    none of the above, hot or cold.

Where Esri's wording leaves a case open, this module decides it as follows (and the tests pin it):

* "At least 90 %" is exact: ``n_hot ≥ 0.9 · n`` (with 5 periods, all 5 must be hot).
* Intensifying, persistent and diminishing need the final period hot; a cell that is not hot in
  the final period but hot in at least 90 % of the periods is *historical* — this keeps the
  categories disjoint.
* A cell that was ever a significant cold spot and is a hot spot in the final period is
  *oscillating*, even if it would otherwise be new or consecutive (as sfdep does) — a flip from
  cold to hot is what an analyst wants to see.
* The final period decides the side: a cell significant in the final period is classified on that
  side first; historical categories apply only to cells not significant in the final period.

References
----------
Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of distance
    statistics. *Geographical Analysis*, 24(3), 189-206.
Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues
    and an application. *Geographical Analysis*, 27(4), 286-306.
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica*, 13(3), 245-259.
Kendall, M. G. (1975). *Rank Correlation Methods*. 4th ed. London: Charles Griffin.
Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro tool reference,
    https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm

Examples
--------
>>> from apk_geo import emerging
>>> emerging.classify_series([False, False, True, True], [False] * 4, trend_z=1.0, trend_p=0.3)
'consecutive_hot'
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, get_args

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from apk_geo import _validate
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError
from apk_geo.grid import assign_cells
from apk_geo.pvalues import Adjust, adjust_p
from apk_geo.schema import Code
from apk_geo.times import naive_bound, wall_clock
from apk_geo.trend import MIN_SERIES_LENGTH, MannKendall, mann_kendall

__all__ = [
    "CATEGORIES",
    "MIN_PERIODS",
    "OUTPUT_COLUMNS",
    "MannKendall",
    "choose_period",
    "classify",
    "classify_series",
    "complete_periods",
    "emerging",
    "mann_kendall",
    "space_time_gistar",
    "spatial_neighbours",
]

logger = logging.getLogger(__name__)

Period = Literal["D", "W", "M", "Q"]

#: Longest span (days, inclusive) analysed with daily, weekly and monthly periods.
DAILY_MAX_DAYS: Final = 14
WEEKLY_MAX_DAYS: Final = 91
MONTHLY_MAX_DAYS: Final = 731

#: Fewest complete periods the analysis accepts (Mann-Kendall needs at least three values).
MIN_PERIODS: Final = MIN_SERIES_LENGTH
#: Fewest periods ArcGIS requires for the trend test to be meaningful; fewer is only logged.
RECOMMENDED_PERIODS: Final = 10
#: Share of periods that makes a cell "mostly" hot (or cold).
MOSTLY_SHARE: Final = 0.9

_FREQ: Final[dict[str, str]] = {"D": "D", "W": "W-MON", "M": "MS", "Q": "QS-JAN"}
_FINER: Final[dict[str, Period]] = {"Q": "M", "M": "W", "W": "D"}
_PERIOD_NAMES: Final[dict[str, str]] = {
    "D": "daily",
    "W": "weekly",
    "M": "monthly",
    "Q": "quarterly",
}

#: The 17 categories, hot spots first, with Czech and English labels.
CATEGORIES: Final[tuple[Code, ...]] = (
    Code("new_hot", "nové horké místo", "new hot spot"),
    Code("consecutive_hot", "souvislé horké místo", "consecutive hot spot"),
    Code("intensifying_hot", "sílící horké místo", "intensifying hot spot"),
    Code("persistent_hot", "trvalé horké místo", "persistent hot spot"),
    Code("diminishing_hot", "slábnoucí horké místo", "diminishing hot spot"),
    Code("sporadic_hot", "občasné horké místo", "sporadic hot spot"),
    Code("oscillating_hot", "střídavé horké místo", "oscillating hot spot"),
    Code("historical_hot", "dřívější horké místo", "historical hot spot"),
    Code("new_cold", "nové studené místo", "new cold spot"),
    Code("consecutive_cold", "souvislé studené místo", "consecutive cold spot"),
    Code("intensifying_cold", "sílící studené místo", "intensifying cold spot"),
    Code("persistent_cold", "trvalé studené místo", "persistent cold spot"),
    Code("diminishing_cold", "slábnoucí studené místo", "diminishing cold spot"),
    Code("sporadic_cold", "občasné studené místo", "sporadic cold spot"),
    Code("oscillating_cold", "střídavé studené místo", "oscillating cold spot"),
    Code("historical_cold", "dřívější studené místo", "historical cold spot"),
    Code("no_pattern", "bez zjištěného vzoru", "no pattern detected"),
)
_LABELS: Final = {c.code: c for c in CATEGORIES}

#: Columns added to the grid, in this order (``cell_id`` is the grid's own).
OUTPUT_COLUMNS: Final = (
    "cell_id",
    "emerging_class",
    "emerging_label_cs",
    "emerging_label_en",
    "trend_z",
    "trend_p",
    "n_periods_hot",
    "n_periods_cold",
    "n_total",
)


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


def choose_period(span_days: float) -> tuple[Period, str]:
    """Choose the period length for a span of data.

    Parameters
    ----------
    span_days
        Number of calendar days the data cover, first and last day included.

    Returns
    -------
    tuple of (str, str)
        The period code (``"D"``, ``"W"``, ``"M"`` or ``"Q"``) and the reason, in words.

    Examples
    --------
    >>> choose_period(60)
    ('W', 'the data span 60 days (at most 91 days): weekly periods')
    """
    _validate.require_positive(span_days, name="span_days")
    code: Period
    if span_days <= DAILY_MAX_DAYS:
        code, limit = "D", f"at most {DAILY_MAX_DAYS} days"
    elif span_days <= WEEKLY_MAX_DAYS:
        code, limit = "W", f"at most {WEEKLY_MAX_DAYS} days"
    elif span_days <= MONTHLY_MAX_DAYS:
        code, limit = "M", f"at most {MONTHLY_MAX_DAYS} days"
    else:
        code, limit = "Q", f"more than {MONTHLY_MAX_DAYS} days"
    days = f"{span_days:g}"
    return code, f"the data span {days} days ({limit}): {_PERIOD_NAMES[code]} periods"


def complete_periods(
    window_start: pd.Timestamp, window_end: pd.Timestamp, *, period: Period
) -> pd.DatetimeIndex:
    """Return the boundaries of the complete periods inside an observation window.

    Parameters
    ----------
    window_start, window_end
        The observed window ``[window_start, window_end)`` as naive local wall-clock times.
    period
        ``"D"``, ``"W"`` (weeks starting on Monday), ``"M"`` or ``"Q"`` (calendar months and
        quarters).

    Returns
    -------
    pandas.DatetimeIndex
        ``k + 1`` boundaries of ``k`` complete periods; period *p* is
        ``[bounds[p], bounds[p + 1])``. Empty or a single boundary when no period is complete.

    Examples
    --------
    >>> b = complete_periods(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-04-01"), period="M")
    >>> [str(x.date()) for x in b]
    ['2024-02-01', '2024-03-01', '2024-04-01']
    """
    if period not in _FREQ:
        raise ParameterError(
            f"period must be one of {sorted(_FREQ)} (day, week, month, quarter), got {period!r}"
        )
    return pd.date_range(window_start, window_end, freq=_FREQ[period])


def _window(
    times: pd.Series,
    start: pd.Timestamp | str | None,
    end: pd.Timestamp | str | None,
    *,
    tz: str | None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the observation window ``[start, end)`` as naive local times (whole days)."""
    day = pd.Timedelta(days=1)
    first, last = pd.Timestamp(times.min()).normalize(), pd.Timestamp(times.max()).normalize()
    lo = first if start is None else naive_bound(start, tz, name="start")
    hi = last + day if end is None else naive_bound(end, tz, name="end")
    if not hi > lo:
        raise ParameterError(f"the observation window is empty: start {lo} is not before end {hi}")
    return lo, hi


# --------------------------------------------------------------------------------------------
# Space-time Gi*
# --------------------------------------------------------------------------------------------


def spatial_neighbours(cells: gpd.GeoDataFrame) -> sp.csr_array:
    """Return the queen-contiguity matrix of grid cells, each cell its own neighbour.

    Parameters
    ----------
    cells
        Polygons of a grid (square or hex) in a projected CRS.

    Returns
    -------
    scipy.sparse.csr_array
        Binary ``n × n`` matrix in row order of ``cells``; entry ``(i, j)`` is 1 when cell *j*
        touches cell *i* (edge or corner) or ``i == j``. Cells closer than a millionth of the
        typical cell width count as touching, so floating-point seams do not break contiguity.
    """
    n = len(cells)
    geoms = cells.geometry.reset_index(drop=True)
    tol = 1e-6 * float(np.sqrt(np.median(geoms.area))) if n else 0.0
    left, right = geoms.sindex.query(geoms, predicate="dwithin", distance=tol)
    data = np.ones(len(left), dtype=np.float64)
    adj = sp.csr_array((data, (left, right)), shape=(n, n))
    adj.data[:] = 1.0
    adj.setdiag(1.0)
    return sp.csr_array(adj)


def space_time_gistar(
    counts: np.ndarray, neighbours: sp.sparray | np.ndarray, *, time_steps: int = 1
) -> np.ndarray:
    """Return space-time Gi* z-scores of a cells × periods count matrix.

    Parameters
    ----------
    counts
        Array of shape ``(n_cells, n_periods)``; column *t* holds the counts of period *t*.
    neighbours
        Binary ``n_cells × n_cells`` matrix of spatial neighbours including each cell itself
        (e.g. :func:`spatial_neighbours`).
    time_steps
        Number of previous periods whose bins (at the same neighbouring cells) join the
        neighbourhood; 0 gives a purely spatial Gi* per period (with the cube's mean and
        standard deviation).

    Returns
    -------
    numpy.ndarray
        z-scores, same shape as ``counts``.

    Raises
    ------
    InsufficientDataError
        If every bin holds the same count (the standard deviation is zero).
    """
    x = np.asarray(counts, dtype=np.float64)
    if x.ndim != 2:
        raise ParameterError(f"counts must be a 2-D cells × periods array, got shape {x.shape}")
    if time_steps < 0:
        raise ParameterError(f"time_steps must be >= 0, got {time_steps}")
    n_cells, n_periods = x.shape
    a = sp.csr_array(neighbours, dtype=np.float64)
    if a.shape != (n_cells, n_cells):
        raise ParameterError(
            f"neighbours must be {n_cells} × {n_cells} to match counts, got {a.shape}"
        )
    n_bins = x.size
    mean = float(x.mean())
    sd = float(x.std())
    if not sd > 0:
        raise InsufficientDataError(
            f"all {n_bins} space-time bins hold the same count ({mean:g}); Gi* needs variation: "
            "use more data, a longer window or a coarser grid"
        )
    spatial_sum = a @ x  # (n_cells, n_periods): sum over the spatial neighbourhood per period
    degree = np.asarray(a.sum(axis=1)).ravel()
    local = np.zeros_like(x)
    k = np.zeros_like(x)
    for lag in range(time_steps + 1):
        if lag >= n_periods:
            break
        local[:, lag:] += spatial_sum[:, : n_periods - lag]
        k[:, lag:] += degree[:, None]
    denom = sd * np.sqrt((n_bins * k - k**2) / (n_bins - 1))
    return np.asarray((local - mean * k) / denom)


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------


def _mostly_count(n_periods: int) -> int:
    """Return the fewest periods that are at least :data:`MOSTLY_SHARE` of ``n_periods``."""
    return math.ceil(MOSTLY_SHARE * n_periods - 1e-9)


def _trailing_run(flags: np.ndarray) -> np.ndarray:
    """Return the length of the run of True values that ends each row."""
    rev = flags[:, ::-1]
    return np.asarray(np.where(rev.all(axis=1), flags.shape[1], np.argmin(rev, axis=1)))


def _side(
    sig: np.ndarray, opposite: np.ndarray, trend_up: np.ndarray, trend_down: np.ndarray, name: str
) -> np.ndarray:
    """Classify the cells whose final period is significant on one side (else empty string)."""
    n = sig.shape[1]
    n_sig = sig.sum(axis=1)
    mostly = n_sig >= _mostly_count(n)
    final = sig[:, -1]
    run = _trailing_run(sig)
    conditions = [
        final & mostly & trend_up,
        final & mostly & trend_down,
        final & mostly,
        final & opposite.any(axis=1),
        final & (n_sig == 1),
        final & (run >= 2) & (run == n_sig),
        final,
    ]
    choices = [
        f"intensifying_{name}",
        f"diminishing_{name}",
        f"persistent_{name}",
        f"oscillating_{name}",
        f"new_{name}",
        f"consecutive_{name}",
        f"sporadic_{name}",
    ]
    return np.asarray(np.select(conditions, choices, default=""))


def classify(
    hot: np.ndarray,
    cold: np.ndarray,
    *,
    trend_z: np.ndarray,
    trend_p: np.ndarray,
    trend_alpha: float = 0.05,
) -> np.ndarray:
    """Classify cells into the 17 emerging hot-spot categories (rules in the module docstring).

    Parameters
    ----------
    hot, cold
        Boolean arrays ``(n_cells, n_periods)``: significant hot / cold spot per period, in time
        order. A bin cannot be both.
    trend_z, trend_p
        Mann-Kendall z-score and p-value of each cell's Gi* z-score series.
    trend_alpha
        Significance level of the trend.

    Returns
    -------
    numpy.ndarray
        One category code per cell (e.g. ``"new_hot"``), as Python strings.
    """
    h = np.atleast_2d(np.asarray(hot, dtype=bool))
    c = np.atleast_2d(np.asarray(cold, dtype=bool))
    if h.shape != c.shape:
        raise ParameterError(f"hot and cold must have one shape, got {h.shape} and {c.shape}")
    if (h & c).any():
        raise ParameterError("a bin cannot be both a significant hot spot and a cold spot")
    if h.shape[1] < 1:
        raise InsufficientDataError("at least one period is needed to classify")
    tz = np.atleast_1d(np.asarray(trend_z, dtype=np.float64))
    tp = np.atleast_1d(np.asarray(trend_p, dtype=np.float64))
    significant = tp < trend_alpha
    up, down = significant & (tz > 0), significant & (tz < 0)
    hot_class = _side(h, c, up, down, "hot")
    cold_class = _side(c, h, down, up, "cold")  # a cold spot intensifies as z falls
    n = h.shape[1]
    historical_hot = h.sum(axis=1) >= _mostly_count(n)
    historical_cold = c.sum(axis=1) >= _mostly_count(n)
    out = np.select(
        [hot_class != "", cold_class != "", historical_hot, historical_cold],
        [hot_class, cold_class, "historical_hot", "historical_cold"],
        default="no_pattern",
    )
    return np.asarray([str(v) for v in out], dtype=object)


def classify_series(
    hot: Sequence[bool] | np.ndarray,
    cold: Sequence[bool] | np.ndarray,
    *,
    trend_z: float,
    trend_p: float,
    trend_alpha: float = 0.05,
) -> str:
    """Classify one cell from its series of significance flags and its trend.

    Parameters
    ----------
    hot, cold
        Significant hot / cold spot per period, in time order.
    trend_z, trend_p
        Mann-Kendall z-score and p-value of the cell's Gi* z-scores.
    trend_alpha
        Significance level of the trend.

    Returns
    -------
    str
        The category code, e.g. ``"intensifying_hot"``.

    Examples
    --------
    >>> classify_series([True] * 10, [False] * 10, trend_z=3.1, trend_p=0.002)
    'intensifying_hot'
    """
    out = classify(
        np.asarray(hot, dtype=bool)[None, :],
        np.asarray(cold, dtype=bool)[None, :],
        trend_z=np.array([trend_z]),
        trend_p=np.array([trend_p]),
        trend_alpha=trend_alpha,
    )
    return str(out[0])


# --------------------------------------------------------------------------------------------
# GeoDataFrame wrapper
# --------------------------------------------------------------------------------------------


def emerging(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    period: Period | None = None,
    adjust: Adjust = "fdr_bh",
    alpha: float = 0.05,
    trend_alpha: float = 0.05,
    time_steps: int = 1,
    time_col: str = "reported_at",
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
) -> gpd.GeoDataFrame:
    """Classify grid cells into the 17 emerging hot-spot categories.

    Parameters
    ----------
    points
        Incident points (projected CRS, the grid's CRS) with a datetime column ``time_col``.
        Rows without a location or a time are dropped (logged).
    cells
        The grid (``grid.make_grid``): ``cell_id`` and polygons. Every cell is analysed, empty or
        not — the grid is the study area, like ArcGIS's polygon analysis mask.
    period
        ``"D"``, ``"W"``, ``"M"`` or ``"Q"``; ``None`` chooses it from the span of the data (see
        the module docstring).
    adjust
        Multiple-testing adjustment of the Gi* p-values within each period.
    alpha
        Significance level of a hot / cold spot bin.
    trend_alpha
        Significance level of the Mann-Kendall trend.
    time_steps
        Previous periods in the space-time neighbourhood (ArcGIS's neighbourhood time step).
    time_col
        Name of the datetime column of ``points`` (tz-aware times are read in their own zone).
    start, end
        Observation window ``[start, end)``; by default from the first to the last day of data.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` (same index and columns) with :data:`OUTPUT_COLUMNS`:
        ``emerging_class`` (code, see :data:`CATEGORIES`), ``emerging_label_cs``,
        ``emerging_label_en`` (str), ``trend_z``, ``trend_p`` (float, Mann-Kendall of the Gi*
        z-scores), ``n_periods_hot``, ``n_periods_cold`` (int, significant periods),
        ``n_total`` (int, incidents in the complete periods). ``attrs["params"]`` records the
        period chosen and why, the periods, the thresholds and the counts of points used and
        dropped.

    Raises
    ------
    SchemaError
        If ``points`` lacks ``time_col`` or ``cells`` lacks ``cell_id``.
    CRSError
        If either layer has no CRS, a geographic CRS, or they differ.
    InsufficientDataError
        If fewer than :data:`MIN_PERIODS` complete periods remain, or no incident falls in them.
    ParameterError
        If an option is invalid.

    Examples
    --------
    With ``points`` from the store and ``grid`` from ``grid.make_grid``::

        result = emerging(points, grid)
        result["emerging_class"].value_counts()
        result.attrs["params"]["period_reason"]
    """
    _check_emerging_options(
        points,
        cells,
        period=period,
        adjust=adjust,
        alpha=alpha,
        trend_alpha=trend_alpha,
        time_col=time_col,
    )
    times, geoms_ok, tz = _usable(points, time_col)
    usable = points.loc[geoms_ok]
    local = times[geoms_ok]
    if local.empty:
        raise InsufficientDataError(
            f"points has no row with both a location and a {time_col!r} time"
        )
    lo, hi = _window(local, start, end, tz=tz)
    span_days = (hi - lo) / pd.Timedelta(days=1)
    chosen, reason, auto, bounds = _choose_periods(lo, hi, period=period, span_days=span_days)
    n_periods = _check_periods(bounds, lo, hi, chosen=chosen, reason=reason)
    cube = _cube(cells, usable, local, bounds)
    hot, cold, mk, classes = _hot_cold_trend(
        cube.counts,
        cells,
        time_steps=time_steps,
        adjust=adjust,
        alpha=alpha,
        trend_alpha=trend_alpha,
    )
    out = _emerging_frame(cells, classes, mk, hot=hot, cold=cold, counts=cube.counts)
    out.attrs["params"] = {
        "method": "emerging_hot_spot_analysis",
        "period": chosen,
        "period_auto": auto,
        "period_reason": reason,
        "n_periods": n_periods,
        "periods": [str(b.date()) for b in bounds[:-1]],
        "window_start": str(lo),
        "window_end": str(hi),
        "span_days": float(span_days),
        "neighbourhood": "queen contiguity incl. the cell, same period and previous time_steps",
        "time_steps": int(time_steps),
        "global_window": "entire cube",
        "adjust": adjust,
        "alpha": float(alpha),
        "trend_alpha": float(trend_alpha),
        "n_cells": len(cells),
        "n_points": len(points),
        "n_points_used": int(cube.keep.sum()),
        "n_points_unusable": int(len(points) - len(usable)),
        "n_points_outside_periods": int((~cube.in_periods).sum()),
        "n_points_outside_grid": int((cube.in_periods & (cube.cell_pos < 0)).sum()),
    }
    return out


@dataclass(frozen=True)
class _Cube:
    """The space-time cube: counts per (cell, complete period) and where each point went."""

    counts: np.ndarray  # (n_cells, n_periods)
    in_periods: np.ndarray  # per usable point: inside a complete period
    cell_pos: np.ndarray  # per usable point: row position of its cell, -1 outside the grid
    keep: np.ndarray  # per usable point: counted in the cube


def _check_emerging_options(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    period: Period | None,
    adjust: Adjust,
    alpha: float,
    trend_alpha: float,
    time_col: str,
) -> None:
    """Check the layers and the options of :func:`emerging`."""
    _validate.require_columns(points, [time_col], name="points")
    _validate.require_columns(cells, ["cell_id"], name="cells")
    _validate.require_projected(cells, name="cells")
    _validate.require_same_crs(points, cells, names=("points", "cells"))
    if period is not None and period not in get_args(Period):
        raise ParameterError(f"period must be one of {get_args(Period)} or None, got {period!r}")
    if adjust not in get_args(Adjust):
        raise ParameterError(f"adjust must be one of {get_args(Adjust)}, got {adjust!r}")
    for name, value in (("alpha", alpha), ("trend_alpha", trend_alpha)):
        if not 0 < value < 1:
            raise ParameterError(f"{name} must be between 0 and 1, got {value!r}")
    if len(cells) < 2:
        raise InsufficientDataError(f"cells has {len(cells)} cell(s); at least 2 needed")


def _choose_periods(
    lo: pd.Timestamp, hi: pd.Timestamp, *, period: Period | None, span_days: float
) -> tuple[Period, str, bool, pd.DatetimeIndex]:
    """Return the period, the reason, whether it was chosen automatically, and its bounds.

    An automatic choice moves to the next finer period while fewer than :data:`MIN_PERIODS`
    complete periods fit in the window.
    """
    if period is not None:
        return period, "given by the caller", False, complete_periods(lo, hi, period=period)
    chosen, reason = choose_period(span_days)
    bounds = complete_periods(lo, hi, period=chosen)
    while len(bounds) - 1 < MIN_PERIODS and chosen in _FINER:
        finer = _FINER[chosen]
        reason += (
            f"; only {max(len(bounds) - 1, 0)} complete {_PERIOD_NAMES[chosen]} period(s), "
            f"fewer than {MIN_PERIODS}: {_PERIOD_NAMES[finer]} periods instead"
        )
        chosen = finer
        bounds = complete_periods(lo, hi, period=chosen)
    return chosen, reason, True, bounds


def _check_periods(
    bounds: pd.DatetimeIndex, lo: pd.Timestamp, hi: pd.Timestamp, *, chosen: Period, reason: str
) -> int:
    """Return the number of complete periods; refuse fewer than :data:`MIN_PERIODS`."""
    n_periods = len(bounds) - 1
    if n_periods < MIN_PERIODS:
        raise InsufficientDataError(
            f"the window {lo.date()} – {hi.date()} holds {max(n_periods, 0)} complete "
            f"{_PERIOD_NAMES[chosen]} period(s); at least {MIN_PERIODS} are needed: choose a "
            "shorter period (e.g. period='W' or 'D') or a longer window"
        )
    if n_periods < RECOMMENDED_PERIODS:
        logger.warning(
            "emerging: only %d %s periods; ArcGIS recommends at least %d for a trend test",
            n_periods,
            _PERIOD_NAMES[chosen],
            RECOMMENDED_PERIODS,
        )
    logger.info("emerging: %s (%d complete periods from %s)", reason, n_periods, bounds[0].date())
    return n_periods


def _cube(
    cells: gpd.GeoDataFrame, usable: gpd.GeoDataFrame, local: pd.Series, bounds: pd.DatetimeIndex
) -> _Cube:
    """Count the usable points per cell and complete period; refuse an empty cube."""
    n_periods = len(bounds) - 1
    period_idx = (
        np.searchsorted(bounds.values, local.to_numpy(dtype="datetime64[ns]"), side="right") - 1
    )
    in_periods = (period_idx >= 0) & (period_idx < n_periods)
    cell_pos = _cell_positions(cells, usable)
    keep = in_periods & (cell_pos >= 0)
    counts = np.zeros((len(cells), n_periods), dtype=np.float64)
    np.add.at(counts, (cell_pos[keep], period_idx[keep]), 1.0)
    if not keep.any():
        raise InsufficientDataError(
            f"none of the {len(usable)} points falls in a grid cell within the complete periods "
            f"{bounds[0].date()} – {bounds[-1].date()}"
        )
    return _Cube(counts=counts, in_periods=in_periods, cell_pos=cell_pos, keep=keep)


def _hot_cold_trend(
    counts: np.ndarray,
    cells: gpd.GeoDataFrame,
    *,
    time_steps: int,
    adjust: Adjust,
    alpha: float,
    trend_alpha: float,
) -> tuple[np.ndarray, np.ndarray, MannKendall, np.ndarray]:
    """Return the significant hot and cold bins, the trend of each cell and its category."""
    n_periods = counts.shape[1]
    z = space_time_gistar(counts, spatial_neighbours(cells), time_steps=time_steps)
    p = 2.0 * stats.norm.sf(np.abs(z))
    p_adj = np.column_stack([adjust_p(p[:, t], method=adjust) for t in range(n_periods)])
    significant = p_adj < alpha
    hot, cold = significant & (z > 0), significant & (z < 0)
    mk = mann_kendall(z)
    classes = classify(hot, cold, trend_z=mk.z, trend_p=mk.p, trend_alpha=trend_alpha)
    return hot, cold, mk, classes


def _emerging_frame(
    cells: gpd.GeoDataFrame,
    classes: np.ndarray,
    mk: MannKendall,
    *,
    hot: np.ndarray,
    cold: np.ndarray,
    counts: np.ndarray,
) -> gpd.GeoDataFrame:
    """Return a copy of ``cells`` with the columns of :data:`OUTPUT_COLUMNS`."""
    out = cells.copy()
    out["emerging_class"] = pd.array(classes, dtype="string")
    out["emerging_label_cs"] = pd.array([_LABELS[c].cs for c in classes], dtype="string")
    out["emerging_label_en"] = pd.array([_LABELS[c].en for c in classes], dtype="string")
    out["trend_z"] = np.asarray(mk.z, dtype=np.float64)
    out["trend_p"] = np.asarray(mk.p, dtype=np.float64)
    out["n_periods_hot"] = hot.sum(axis=1).astype(np.int64)
    out["n_periods_cold"] = cold.sum(axis=1).astype(np.int64)
    out["n_total"] = counts.sum(axis=1).astype(np.int64)
    return out


def _usable(points: gpd.GeoDataFrame, time_col: str) -> tuple[pd.Series, np.ndarray, str | None]:
    """Return wall-clock times, a mask of rows with a geometry and a time, and the times' zone."""
    try:
        times, tz = wall_clock(points[time_col])
    except (TypeError, ValueError) as exc:
        raise SchemaError(
            f"points[{time_col!r}] must hold dates/times; got dtype {points[time_col].dtype}: {exc}"
        ) from exc
    geom = points.geometry
    ok = (~geom.isna() & ~geom.is_empty & times.notna()).to_numpy()
    dropped = int((~ok).sum())
    if dropped:
        logger.info("emerging: %d point(s) without a location or a time dropped", dropped)
    return times, ok, tz


def _cell_positions(cells: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> np.ndarray:
    """Return the row position in ``cells`` of each point's cell, ``-1`` outside the grid."""
    ids = np.asarray(assign_cells(cells, points))
    pos = pd.Index(cells["cell_id"].to_numpy()).get_indexer(ids)
    return np.where(ids < 0, -1, pos).astype(np.int64)
