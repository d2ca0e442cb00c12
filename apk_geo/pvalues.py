"""Multiple-testing adjustment of p-values, shared by Gi*, the change test and emerging hot spots.

References
----------
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
powerful approach to multiple testing. *JRSS B*, 57(1), 289–300.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

import numpy as np
from scipy import stats

from apk_geo.errors import ParameterError

__all__ = ["ADJUSTMENTS", "Adjust", "adjust_p"]

Adjust = Literal["fdr_bh", "bonferroni", "none"]
#: The adjustment methods :func:`adjust_p` knows.
ADJUSTMENTS: Final[tuple[str, ...]] = get_args(Adjust)


def adjust_p(p: np.ndarray, *, method: Adjust = "fdr_bh") -> np.ndarray:
    """Adjust one family of p-values for multiple testing.

    Parameters
    ----------
    p
        Raw p-values (1-D).
    method
        ``"fdr_bh"`` (Benjamini–Hochberg, :func:`scipy.stats.false_discovery_control`),
        ``"bonferroni"`` (``min(1, p·m)``) or ``"none"``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in [0, 1], same order; a copy of ``p`` for ``"none"``.

    Raises
    ------
    ParameterError
        If ``method`` is unknown.
    """
    arr = np.asarray(p, dtype="float64")
    if method not in ADJUSTMENTS:
        raise ParameterError(f"adjust must be one of {list(ADJUSTMENTS)}, got {method!r}")
    if method == "none" or arr.size == 0:
        return arr.copy()
    if method == "bonferroni":
        return np.asarray(np.minimum(arr * arr.size, 1.0))
    return np.asarray(stats.false_discovery_control(arr, method="bh"))
