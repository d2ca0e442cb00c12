"""The coverage selection rule: which cells a ranking selects at a share of the study area.

Shared by :mod:`apk_geo.forecast` (its inner validation) and :mod:`apk_geo.evaluate` (hit rate,
PAI, PEI). Cells are taken in descending score order until their area reaches the coverage times
the total area; the tie group that straddles the threshold is included *fractionally* (the
expected result of breaking the tie at random, independent of row order). Cells with a NaN score
are never selected.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from apk_geo.errors import ParameterError

__all__ = ["capture_curve", "coverage_weights", "selection_weights"]

_REL_TOL: Final = 1e-12


def selection_weights(
    score: ArrayLike, *, cell_area: ArrayLike, coverage: float
) -> NDArray[np.float64]:
    """Return the inclusion weight (0 to 1) of every cell at one coverage of the study area.

    Cells are taken in descending ``score`` order until their area reaches ``coverage`` times the
    total area of all cells; the tie group that straddles the threshold is included fractionally
    (see the module docstring). Cells with a NaN score are never selected.

    Parameters
    ----------
    score
        One score per cell; higher means "more likely a hotspot"; NaN means "never select".
    cell_area
        Area of each cell (any unit, > 0); clipped boundary cells are smaller.
    coverage
        Share of the total area to select, in (0, 1].

    Returns
    -------
    numpy.ndarray
        Weights in [0, 1], aligned with ``score``.

    Raises
    ------
    ValueError
        If the arrays differ in length, an area is not positive, or ``coverage`` is out of range.

    Examples
    --------
    >>> selection_weights([3.0, 2.0, 2.0, 1.0], cell_area=[1, 1, 1, 1], coverage=0.5)
    array([1. , 0.5, 0.5, 0. ])
    """
    s = np.asarray(score, dtype=float)
    area = np.asarray(cell_area, dtype=float)
    if s.ndim != 1 or s.shape != area.shape:
        raise ParameterError(
            f"score and cell_area must be 1-d arrays of equal length; got shapes {s.shape} "
            f"and {area.shape}"
        )
    if not (0.0 < coverage <= 1.0):
        raise ParameterError(
            f"coverage must be a share in (0, 1], got {coverage!r}; e.g. 0.05 = 5 %"
        )
    if area.size and not (np.all(np.isfinite(area)) and np.all(area > 0)):
        raise ParameterError("every cell_area must be a finite number > 0; drop empty cells first")
    weights = np.zeros(s.size, dtype=float)
    eligible = np.flatnonzero(np.isfinite(s))
    if eligible.size == 0:
        return weights
    budget = coverage * float(area.sum())
    order = eligible[np.argsort(-s[eligible], kind="stable")]
    sorted_scores = s[order]
    # tie groups: runs of equal scores in the sorted order
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    group_area = np.add.reduceat(area[order], starts)
    cum_after = np.cumsum(group_area)
    cum_before = cum_after - group_area
    full = cum_after <= budget * (1 + _REL_TOL)
    group_w = np.where(full, 1.0, 0.0)
    partial = np.flatnonzero(~full)
    if partial.size:
        g = partial[0]
        group_w[g] = max(0.0, (budget - cum_before[g]) / group_area[g])
        group_w[g + 1 :] = 0.0
    sizes = np.diff(np.r_[starts, order.size])
    weights[order] = np.repeat(group_w, sizes)
    return weights


def capture_curve(
    score: ArrayLike, *, counts: ArrayLike, cell_area: ArrayLike, coverages: ArrayLike
) -> NDArray[np.float64]:
    """Return the incidents captured at each coverage under :func:`selection_weights`' rule.

    With tie groups included fractionally, the captured count is the piecewise-linear
    interpolation of the cumulative (area, count) curve through the ends of the tie groups, so
    one sort serves every coverage.

    Parameters
    ----------
    score
        Ranking score per cell (NaN = never selected).
    counts
        Incidents per cell.
    cell_area
        Area of each cell (> 0).
    coverages
        Shares of the total area, each in (0, 1].

    Returns
    -------
    numpy.ndarray
        Captured incidents (fractional at ties), one per coverage; equal to
        ``selection_weights(score, cell_area=cell_area, coverage=c) @ counts``.
    """
    s = np.asarray(score, dtype=float)
    c = np.asarray(counts, dtype=float)
    area = np.asarray(cell_area, dtype=float)
    budgets = np.asarray(coverages, dtype=float) * float(area.sum())
    eligible = np.flatnonzero(np.isfinite(s))
    if eligible.size == 0:
        return np.zeros(budgets.shape)
    order = eligible[np.argsort(-s[eligible], kind="stable")]
    sorted_scores = s[order]
    ends = np.flatnonzero(np.r_[sorted_scores[1:] != sorted_scores[:-1], True])
    cum_area = np.r_[0.0, np.cumsum(area[order])[ends]]
    cum_count = np.r_[0.0, np.cumsum(c[order])[ends]]
    return np.asarray(np.interp(budgets, cum_area, cum_count), dtype=float)


def coverage_weights(
    score: NDArray[np.float64], *, cell_area: NDArray[np.float64], coverages: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return the inclusion weight of every cell at every coverage, one sort for all.

    Column ``k`` equals ``selection_weights(score, cell_area=cell_area, coverage=coverages[k])``
    for a finite ``score``; the row mean is the cell's weight in the mean hit rate over
    ``coverages`` (the area under the capture curve at those coverages). Summing a column over
    the incidents of a day gives that day's hits, which is what a day-block bootstrap resamples.

    Parameters
    ----------
    score
        Finite ranking score per cell.
    cell_area
        Area of each cell (> 0).
    coverages
        Shares of the total area, each in (0, 1].

    Returns
    -------
    numpy.ndarray
        Shape (cells, coverages), weights in [0, 1].
    """
    order = np.argsort(-score, kind="stable")
    sorted_scores = score[order]
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    group_area = np.add.reduceat(cell_area[order], starts)
    cum_before = np.cumsum(group_area) - group_area
    budgets = np.asarray(coverages, dtype=float) * float(cell_area.sum())
    group_w = np.clip((budgets[None, :] - cum_before[:, None]) / group_area[:, None], 0.0, 1.0)
    sizes = np.diff(np.r_[starts, order.size])
    out = np.empty((score.size, budgets.size), dtype=float)
    out[order] = np.repeat(group_w, sizes, axis=0)
    return out
