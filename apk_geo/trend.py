"""The Mann-Kendall trend test with tie correction, for one series or many at once.

Emerging hot-spot analysis (:mod:`apk_geo.emerging`) tests the trend of each cell's Gi* z-scores
over time with it; it is a test of its own, pinned against ``pymannkendall`` in the tests.

References
----------
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica*, 13(3), 245–259.
Kendall, M. G. (1975). *Rank Correlation Methods* (4th ed.). Charles Griffin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy import stats

from apk_geo.errors import ParameterError

__all__ = ["MIN_SERIES_LENGTH", "MannKendall", "mann_kendall"]

#: Shortest series with a trend test (shorter ones get z = 0, p = 1).
MIN_SERIES_LENGTH: Final = 3
#: Largest number of pairwise differences held in memory at once by :func:`mann_kendall`.
_MK_CHUNK_ELEMENTS: Final = 4_000_000


@dataclass(frozen=True)
class MannKendall:
    """Result of :func:`mann_kendall`; each field is an array with one value per series."""

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray


def mann_kendall(series: np.ndarray | Sequence[float], *, continuity: bool = True) -> MannKendall:
    """Mann-Kendall trend test with tie correction, for one series or many.

    Parameters
    ----------
    series
        1-D series in time order, or 2-D array with one series per row. No missing values.
    continuity
        Subtract 1 from ``|S|`` before standardising (the usual continuity correction).

    Returns
    -------
    MannKendall
        ``s``, ``var_s``, ``z`` and the two-sided ``p``, each an array with one value per series
        (shape ``()`` for a 1-D input). A series of fewer than 3 values, or of constant values,
        gets ``z = 0`` and ``p = 1``.

    Notes
    -----
    ``Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18``, summed over groups of *t* tied values.
    With ``c_i`` the number of values equal to value *i*, ``Σ t² = Σ c_i`` and ``Σ t³ = Σ c_i²``,
    so ``Σ t(t−1)(2t+5) = 2 Σ c_i² + 3 Σ c_i − 5 n``, computed without sorting.

    Examples
    --------
    >>> r = mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> float(r.s), round(float(r.var_s), 4), round(float(r.z), 4)
    (10.0, 16.6667, 2.2045)
    """
    x = np.asarray(series, dtype=np.float64)
    one = x.ndim == 1
    x2 = np.atleast_2d(x)
    if x2.ndim != 2:
        raise ParameterError(f"series must be 1-D or 2-D, got shape {x.shape}")
    if np.isnan(x2).any():
        raise ParameterError("series must not contain NaN")
    n = x2.shape[1]
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    s = np.empty(x2.shape[0])
    ties = np.empty(x2.shape[0])
    step = max(1, _MK_CHUNK_ELEMENTS // max(n * n, 1))  # bound the (rows, n, n) temporaries
    for lo in range(0, x2.shape[0], step):
        rows = x2[lo : lo + step]
        diff = rows[:, None, :] - rows[:, :, None]  # diff[r, a, b] = x[b] - x[a]
        s[lo : lo + step] = np.sign(diff)[:, upper].sum(axis=1)
        c = (diff == 0).sum(axis=2)  # c[r, i]: values equal to x[i] (itself included)
        ties[lo : lo + step] = 2.0 * (c**2).sum(axis=1) + 3.0 * c.sum(axis=1) - 5.0 * n
    var_s = (n * (n - 1.0) * (2.0 * n + 5.0) - ties) / 18.0
    shift = np.sign(s) if continuity else np.zeros_like(s)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(var_s > 0, (s - shift) / np.sqrt(np.where(var_s > 0, var_s, 1.0)), 0.0)
    if n < MIN_SERIES_LENGTH:
        z = np.zeros_like(z)
    p = 2.0 * stats.norm.sf(np.abs(z))
    if one:
        return MannKendall(s=s[0], var_s=var_s[0], z=z[0], p=p[0])
    return MannKendall(s=s, var_s=var_s, z=z, p=p)
