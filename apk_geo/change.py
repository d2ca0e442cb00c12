"""Change between two periods per grid cell, with an exact test for two Poisson counts.

For each cell, the incidents of period A (``n_a``, length ``t_a``) and period B (``n_b``, length
``t_b``) are modelled as independent Poisson counts with rates λ_a and λ_b per day. Under the null
hypothesis of an unchanged rate (λ_a = λ_b), the count of period B given the cell's total is
binomial (Przyborowski & Wilenski 1940; the conditional test of Lehmann & Romano 2005, §4.5)::

    n_b | n_a + n_b = n  ~  Binomial(n, t_b / (t_a + t_b))

so periods of different length are compared fairly. The test is two-sided
(:func:`scipy.stats.binomtest`, exact), applied to every cell with at least one incident in either
period; the p-values are then adjusted across those cells (Benjamini–Hochberg by default). Cells
with no incident in either period are not tested: their p-values are NaN and they are never
significant.

Periods are half-open, ``[start, end)``, in local wall-clock time of the points' time column
(naive bounds are read as local time; tz-aware bounds are converted to the points' zone). They
must not overlap.

References
----------
Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in testing samples from Poisson
    series. *Biometrika*, 31(3/4), 313-323.
Lehmann, E. L. and Romano, J. P. (2005). *Testing Statistical Hypotheses*. 3rd ed. Springer.
Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate. *Journal of the
    Royal Statistical Society B*, 57(1), 289-300.

Examples
--------
With ``points`` from the store and ``grid`` from ``grid.make_grid``::

    result = change(points, grid, period_a=("2024-01-01", "2024-04-01"),
                    period_b=("2024-04-01", "2024-07-01"))
    result.loc[result["significant"], ["cell_id", "n_a", "n_b", "direction"]]
"""

from __future__ import annotations

import logging
from typing import Final, get_args

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

from apk_geo import _validate
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError
from apk_geo.grid import assign_cells
from apk_geo.pvalues import Adjust, adjust_p
from apk_geo.times import naive_bound, wall_clock

__all__ = ["OUTPUT_COLUMNS", "change", "poisson_rate_test"]

logger = logging.getLogger(__name__)

TimeLike = pd.Timestamp | str
PeriodBounds = tuple[TimeLike, TimeLike]

#: Columns added to the grid, in this order.
OUTPUT_COLUMNS: Final = (
    "n_a",
    "n_b",
    "diff",
    "rate_ratio",
    "p_value",
    "p_adjusted",
    "significant",
    "direction",
)


def poisson_rate_test(n_a: int, n_b: int, *, days_a: float, days_b: float) -> float:
    """Two-sided exact p-value for equal Poisson rates of two counts with exposures.

    Parameters
    ----------
    n_a, n_b
        Counts of period A and period B.
    days_a, days_b
        Lengths of the periods (any common unit).

    Returns
    -------
    float
        ``binomtest(n_b, n_a + n_b, days_b / (days_a + days_b)).pvalue``; NaN when both counts
        are zero (nothing to test).

    Examples
    --------
    >>> round(poisson_rate_test(2, 10, days_a=30, days_b=30), 4)
    0.0386
    """
    if n_a < 0 or n_b < 0:
        raise ParameterError(f"counts must be >= 0, got n_a={n_a}, n_b={n_b}")
    _validate.require_positive(days_a, name="days_a")
    _validate.require_positive(days_b, name="days_b")
    n = n_a + n_b
    if n == 0:
        return float("nan")
    share_b = days_b / (days_a + days_b)
    return float(stats.binomtest(int(n_b), int(n), share_b, alternative="two-sided").pvalue)


def _period(value: object, tz: str | None, *, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if not (isinstance(value, tuple | list) and len(value) == 2):
        raise ParameterError(
            f"{name} must be a (start, end) pair such as ('2024-01-01', '2024-04-01'), "
            f"got {value!r}"
        )
    start, end = naive_bound(value[0], tz, name=name), naive_bound(value[1], tz, name=name)
    if not end > start:
        raise ParameterError(f"{name} is empty: start {start} is not before end {end}")
    return start, end


def change(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    period_a: PeriodBounds,
    period_b: PeriodBounds,
    alpha: float = 0.05,
    adjust: Adjust = "fdr_bh",
    time_col: str = "reported_at",
) -> gpd.GeoDataFrame:
    """Compare incident counts per cell between two periods.

    Parameters
    ----------
    points
        Incident points in the grid's (projected) CRS with a datetime column ``time_col``. Rows
        without a location or a time are ignored.
    cells
        The grid (``grid.make_grid``) with ``cell_id``.
    period_a, period_b
        ``(start, end)`` of the earlier/reference period A and the period B compared with it,
        half-open ``[start, end)``; anything :class:`pandas.Timestamp` reads. They may differ in
        length but must not overlap.
    alpha
        Significance level applied to the adjusted p-values.
    adjust
        ``"fdr_bh"`` (Benjamini–Hochberg), ``"bonferroni"`` or ``"none"``, across the cells with
        at least one incident.
    time_col
        Name of the datetime column of ``points``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with :data:`OUTPUT_COLUMNS` added: ``n_a``, ``n_b`` (int64 counts),
        ``diff`` (int64, ``n_b − n_a``), ``rate_ratio`` (float, ``(n_b / t_b) / (n_a / t_a)``;
        ``inf`` when only B has incidents, NaN when neither has), ``p_value``, ``p_adjusted``
        (float, NaN for untested cells), ``significant`` (bool), ``direction`` (string:
        ``"up"``, ``"down"`` or ``"none"``; only significant cells go up or down).
        ``attrs["params"]`` records the periods, their lengths in days, the test and counts.

    Raises
    ------
    SchemaError
        If ``points`` lacks ``time_col`` or ``cells`` lacks ``cell_id``.
    CRSError
        If either layer has no CRS or a geographic one, or they differ.
    ParameterError
        If a period is malformed, empty or overlaps the other, or an option is invalid.
    InsufficientDataError
        If no incident of either period falls in the grid.
    """
    _validate.require_columns(points, [time_col], name="points")
    _validate.require_columns(cells, ["cell_id"], name="cells")
    _validate.require_projected(cells, name="cells")
    _validate.require_same_crs(points, cells, names=("points", "cells"))
    if adjust not in get_args(Adjust):
        raise ParameterError(f"adjust must be one of {get_args(Adjust)}, got {adjust!r}")
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must be between 0 and 1, got {alpha!r}")
    try:
        times, tz = wall_clock(points[time_col])
    except (TypeError, ValueError) as exc:
        raise SchemaError(
            f"points[{time_col!r}] must hold dates/times; got dtype {points[time_col].dtype}"
        ) from exc
    a0, a1 = _period(period_a, tz, name="period_a")
    b0, b1 = _period(period_b, tz, name="period_b")
    if a0 < b1 and b0 < a1:
        raise ParameterError(
            f"period_a [{a0}, {a1}) and period_b [{b0}, {b1}) overlap; incidents would be "
            "counted twice: choose disjoint periods"
        )
    day = pd.Timedelta(days=1)
    days_a, days_b = (a1 - a0) / day, (b1 - b0) / day

    geom = points.geometry
    usable = (~geom.isna() & ~geom.is_empty & times.notna()).to_numpy()
    t = times.to_numpy(dtype="datetime64[ns]")
    in_a = usable & (t >= a0.to_datetime64()) & (t < a1.to_datetime64())
    in_b = usable & (t >= b0.to_datetime64()) & (t < b1.to_datetime64())
    pos = np.full(len(points), -1, dtype=np.int64)
    sel = in_a | in_b
    if sel.any():
        ids = np.asarray(assign_cells(cells, points.loc[sel]))
        found = pd.Index(cells["cell_id"].to_numpy()).get_indexer(ids)
        pos[sel] = np.where(ids < 0, -1, found)
    n_cells = len(cells)
    n_a = np.bincount(pos[in_a & (pos >= 0)], minlength=n_cells).astype(np.int64)
    n_b = np.bincount(pos[in_b & (pos >= 0)], minlength=n_cells).astype(np.int64)
    if n_a.sum() + n_b.sum() == 0:
        raise InsufficientDataError(
            f"no incident of period_a [{a0}, {a1}) or period_b [{b0}, {b1}) falls in the grid "
            f"({int(in_a.sum())} and {int(in_b.sum())} points in the periods, anywhere)"
        )

    tested = (n_a + n_b) > 0
    cache: dict[tuple[int, int], float] = {}
    p_value = np.full(n_cells, np.nan)
    for i in np.flatnonzero(tested):
        key = (int(n_a[i]), int(n_b[i]))
        if key not in cache:
            cache[key] = poisson_rate_test(key[0], key[1], days_a=days_a, days_b=days_b)
        p_value[i] = cache[key]
    p_adjusted = np.full(n_cells, np.nan)
    p_adjusted[tested] = adjust_p(p_value[tested], method=adjust)
    significant = tested & (np.nan_to_num(p_adjusted, nan=1.0) < alpha)
    rate_a, rate_b = n_a / days_a, n_b / days_b
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_ratio = np.where(tested, rate_b / rate_a, np.nan)
    direction = np.where(
        significant & (rate_b > rate_a),
        "up",
        np.where(significant & (rate_b < rate_a), "down", "none"),
    )

    out = cells.copy()
    out["n_a"] = n_a
    out["n_b"] = n_b
    out["diff"] = n_b - n_a
    out["rate_ratio"] = rate_ratio.astype(np.float64)
    out["p_value"] = p_value
    out["p_adjusted"] = p_adjusted
    out["significant"] = significant.astype(bool)
    out["direction"] = pd.array(direction.tolist(), dtype="string")
    out.attrs["params"] = {
        "method": "change",
        "test": "conditional binomial test of two Poisson counts (exact, two-sided)",
        "period_a": [str(a0), str(a1)],
        "period_b": [str(b0), str(b1)],
        "days_a": float(days_a),
        "days_b": float(days_b),
        "share_b_under_null": float(days_b / (days_a + days_b)),
        "time_zone": tz,
        "adjust": adjust,
        "alpha": float(alpha),
        "n_cells": n_cells,
        "n_cells_tested": int(tested.sum()),
        "n_significant": int(significant.sum()),
        "n_points_a": int(n_a.sum()),
        "n_points_b": int(n_b.sum()),
        "n_points_outside_grid": int((sel & (pos < 0)).sum()),
    }
    logger.info(
        "change: %d of %d cells tested, %d significant (%s, alpha %.3g)",
        int(tested.sum()),
        n_cells,
        int(significant.sum()),
        adjust,
        alpha,
    )
    return out
