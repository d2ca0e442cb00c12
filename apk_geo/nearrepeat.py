"""Near-repeat analysis: the Knox test for space-time interaction, overall or per category.

Do incidents that are close in space also happen close in time more often than chance would
give? Knox (1964) counts the pairs of incidents that are *close in space* (distance
≤ ``distance_m``) and *close in time* (``|Δt| ≤ days``) and compares that count with what is
expected if the times were unrelated to the places. With ``N`` points, ``P = N(N−1)/2`` pairs,
``N_s`` pairs close in space and ``N_t`` pairs close in time, the expected number of pairs close
in both is ``N_s · N_t / P``; the ratio observed / expected is the *Knox ratio* (> 1: near repeats).

Inference is by permutation (Mantel 1967; Johnson et al. 2007, the Near Repeat Calculator): the
times are shuffled among the places ``permutations`` times, keeping both the spatial and the
temporal pattern, and the pseudo p-value is ``(1 + #{simulated ≥ observed}) / (1 + permutations)``
(one-sided, as near repeats mean *more* close pairs). The mean of the permutation distribution is
exactly ``N_s · N_t / P``.

Why not pointpats directly: :class:`pointpats.spacetime.Knox` computes the same counts (the tests
check ours against it), but permutes with NumPy's global random state (no ``seed``), loops over
points in Python for every permutation, and its Poisson p-value is ``P(X > observed)`` rather
than ``P(X ≥ observed)``. Here the spatial pairs are found once with a k-d tree and every
permutation is one vectorised comparison over those pairs, seeded with
:func:`numpy.random.default_rng`.

References
----------
Knox, E. G. (1964). The detection of space-time interactions. *Journal of the Royal Statistical
    Society C*, 13(1), 25-30.
Mantel, N. (1967). The detection of disease clustering and a generalized regression approach.
    *Cancer Research*, 27(2), 209-220.
Johnson, S. D. et al. (2007). Space-time patterns of risk: a cross national assessment of
    residential burglary victimization. *Journal of Quantitative Criminology*, 23(3), 201-219.
Rogerson, P. A. (2001). Monitoring point patterns for the development of space-time clusters.
    *Journal of the Royal Statistical Society A*, 164(1), 87-96.

Examples
--------
With ``points`` from the store (EPSG:5514)::

    table = knox(points, distance_m=200, days=7, by="category")
    table[["category", "observed", "expected", "ratio", "p_value"]]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from apk_geo import _validate
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError

__all__ = ["ALL", "KNOX_COLUMNS", "KnoxResult", "knox", "knox_counts"]

logger = logging.getLogger(__name__)

#: Value of the ``category`` column when the test runs on all points together (``by=None``).
ALL: Final = "all"

#: Columns of the table :func:`knox` returns, in this order.
KNOX_COLUMNS: Final = (
    "category",
    "n_points",
    "n_pairs",
    "n_close_space",
    "n_close_time",
    "observed",
    "expected",
    "ratio",
    "p_value",
)


@dataclass(frozen=True)
class KnoxResult:
    """Counts and inference of one Knox test (see :func:`knox_counts`).

    Attributes
    ----------
    n_points, n_pairs
        Number of points and of unordered pairs ``n(n−1)/2``.
    n_close_space, n_close_time
        Pairs within ``distance_m`` and within ``days``.
    observed
        Pairs close in both.
    expected
        ``n_close_space · n_close_time / n_pairs`` (NaN with fewer than two points).
    p_value
        Permutation pseudo p-value (NaN without permutations or with fewer than two points).
    simulated
        The permutation counts (empty without permutations).
    """

    n_points: int
    n_pairs: int
    n_close_space: int
    n_close_time: int
    observed: int
    expected: float
    p_value: float
    simulated: np.ndarray

    @property
    def ratio(self) -> float:
        """Knox ratio observed / expected (NaN when nothing is expected)."""
        return self.observed / self.expected if self.expected > 0 else float("nan")


def _close_in_time_pairs(t_days: np.ndarray, days: float) -> int:
    """Count unordered pairs with ``|t_i − t_j| ≤ days`` in O(n log n)."""
    s = np.sort(t_days)
    upto = np.searchsorted(s, s + days, side="right")
    return int((upto - np.arange(s.size) - 1).sum())


def knox_counts(
    xy_m: np.ndarray,
    t_days: np.ndarray,
    *,
    distance_m: float,
    days: float,
    permutations: int = 999,
    seed: int = 0,
) -> KnoxResult:
    """Knox test on plain arrays.

    Parameters
    ----------
    xy_m
        ``(n, 2)`` coordinates in metres.
    t_days
        ``(n,)`` times in days (any origin).
    distance_m, days
        A pair is close in space when its distance is ≤ ``distance_m`` and close in time when
        ``|Δt| ≤ days``.
    permutations
        Number of random permutations of the times (0 skips inference).
    seed
        Seed of the permutations.

    Returns
    -------
    KnoxResult
    """
    xy = np.asarray(xy_m, dtype=np.float64)
    t = np.asarray(t_days, dtype=np.float64)
    n = len(t)
    if xy.shape != (n, 2):
        raise ParameterError(f"xy_m must have shape ({n}, 2) to match t_days, got {xy.shape}")
    n_pairs = n * (n - 1) // 2
    if n < 2:
        return KnoxResult(n, 0, 0, 0, 0, float("nan"), float("nan"), np.empty(0))
    pairs = cKDTree(xy).query_pairs(r=distance_m, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    n_space = len(i)
    n_time = _close_in_time_pairs(t, days)
    observed = int((np.abs(t[i] - t[j]) <= days).sum())
    expected = n_space * n_time / n_pairs
    sims = np.empty(permutations, dtype=np.int64)
    if permutations > 0:
        rng = np.random.default_rng(seed)
        for k in range(permutations):
            tp = t[rng.permutation(n)]
            sims[k] = int((np.abs(tp[i] - tp[j]) <= days).sum())
        p_value = (1 + int((sims >= observed).sum())) / (1 + permutations)
    else:
        p_value = float("nan")
    return KnoxResult(n, n_pairs, n_space, n_time, observed, float(expected), float(p_value), sims)


def knox(
    points: gpd.GeoDataFrame,
    *,
    distance_m: float,
    days: float,
    permutations: int = 999,
    seed: int = 0,
    by: str | None = None,
    time_col: str = "reported_at",
) -> pd.DataFrame:
    """Knox test for near repeats, for all points or per category.

    Parameters
    ----------
    points
        Incident points in a projected CRS (metres) with a datetime column ``time_col``. Rows
        without a location or a time (or without a ``by`` value) are dropped (logged).
    distance_m
        Pairs at most this far apart are close in space.
    days
        Pairs at most this many days apart (fractional days allowed) are close in time.
    permutations
        Number of permutations of the times for the pseudo p-value (0 to skip).
    seed
        Seed of the permutations; each category uses the same seed.
    by
        Column to split the points by (e.g. ``"category"``); ``None`` tests all points together.
    time_col
        Name of the datetime column (tz-aware times are compared as absolute instants).

    Returns
    -------
    pandas.DataFrame
        One row per category (sorted; a single row ``category == "all"`` when ``by`` is None)
        with :data:`KNOX_COLUMNS`: ``category`` (string), ``n_points``, ``n_pairs``,
        ``n_close_space``, ``n_close_time``, ``observed`` (int64), ``expected``, ``ratio``
        (float; NaN for a category with fewer than two points) and ``p_value`` (float).
        ``attrs["params"]`` records the thresholds, permutations, seed and dropped rows.

    Raises
    ------
    SchemaError
        If a column is missing or the geometries are not points.
    CRSError
        If ``points`` has no CRS or a geographic one.
    InsufficientDataError
        If fewer than two usable points remain.
    ParameterError
        If ``permutations`` is negative.
    """
    _validate.require_columns(points, [time_col, *([by] if by else [])], name="points")
    _validate.require_projected(points, name="points")
    _validate.require_positive(distance_m, name="distance_m")
    _validate.require_positive(days, name="days")
    if int(permutations) != permutations or permutations < 0:
        raise ParameterError(f"permutations must be an integer >= 0, got {permutations!r}")
    _validate.require_points(points, name="points", minimum=0)
    try:
        times = pd.to_datetime(points[time_col])
    except (TypeError, ValueError) as exc:
        raise SchemaError(
            f"points[{time_col!r}] must hold dates/times; got dtype {points[time_col].dtype}"
        ) from exc
    geom = points.geometry
    ok = (~geom.isna() & ~geom.is_empty & times.notna()).to_numpy()
    if by is not None:
        ok = ok & points[by].notna().to_numpy()
    dropped = int((~ok).sum())
    if dropped:
        logger.info(
            "knox: %d point(s) without a location, a time or a %r value dropped", dropped, by
        )
    if ok.sum() < 2:
        raise InsufficientDataError(
            f"points has {int(ok.sum())} usable row(s) (location and time); at least 2 needed"
        )
    xy = shapely.get_coordinates(geom.to_numpy()[ok])
    t_ns = times.to_numpy()[ok]
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        t_ns = times[ok].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    t_days = (t_ns - t_ns.min()) / np.timedelta64(1, "D")
    labels = (
        np.full(int(ok.sum()), ALL, dtype=object)
        if by is None
        else (points.loc[ok, by].astype(str).to_numpy())
    )

    rows = []
    for label in sorted(set(labels.tolist())):
        m = labels == label
        r = knox_counts(
            xy[m],
            t_days[m],
            distance_m=distance_m,
            days=days,
            permutations=int(permutations),
            seed=seed,
        )
        rows.append(
            (
                label,
                r.n_points,
                r.n_pairs,
                r.n_close_space,
                r.n_close_time,
                r.observed,
                r.expected,
                r.ratio,
                r.p_value,
            )
        )
        logger.info(
            "knox %s: %d close pairs, %.2f expected, p = %.4g",
            label,
            r.observed,
            r.expected,
            r.p_value,
        )
    out = pd.DataFrame(rows, columns=list(KNOX_COLUMNS))
    out["category"] = out["category"].astype("string")
    for col in ("n_points", "n_pairs", "n_close_space", "n_close_time", "observed"):
        out[col] = out[col].astype(np.int64)
    for col in ("expected", "ratio", "p_value"):
        out[col] = out[col].astype(np.float64)
    out.attrs["params"] = {
        "method": "knox",
        "distance_m": float(distance_m),
        "days": float(days),
        "close": "distance <= distance_m and |time difference| <= days",
        "permutations": int(permutations),
        "seed": int(seed),
        "by": by,
        "time_col": time_col,
        "n_points": len(points),
        "n_points_dropped": dropped,
        "p_value": "one-sided permutation pseudo p-value (1 + #sim >= obs) / (1 + permutations)",
    }
    return out
