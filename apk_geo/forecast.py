r"""Forecast where the next incidents are most likely: a tuned blend of recent counts and a KDE.

Gi* tells where counts are *significantly clustered*; that is not the best guide to where the next
incidents will happen. Measured on real data (150 m cells, the first half of a period predicting
the second), a blend of the cells' own counts with a kernel density surface whose bandwidth is
chosen on the training data alone predicted better than Gi* or any single KDE, and the bandwidth
mattered more than the method (a bandwidth of several kilometres fell below plain counts).

:func:`forecast` therefore builds the risk surface

.. math::

    p_j = (1 - \beta)\,\frac{c_j}{\sum_k c_k} + \beta\,\frac{m_j(h)}{\sum_k m_k(h)}

where :math:`c_j` is the (optionally recency-weighted) count of training incidents in cell
:math:`j`, :math:`m_j(h)` the kernel mass that a quartic kernel of bandwidth :math:`h` puts in
cell :math:`j` (each incident spreads one unit of mass over the cells of the study area), and
:math:`\beta` the blend weight. The bandwidth :math:`h`, the blend :math:`\beta` and the recency
half-life are chosen by a time split *inside the training data only*: the training period is
split at its own 2/3 point, every combination is fitted on the first part and scored on the second,
and the best combination is refitted on all training data. No incident at or after ``at`` is ever
used. The default score is the mean hit rate over the coverages 1 %, 2 %, ..., 10 % of the area
(the area under the capture curve up to 10 %): a smooth proxy for PAI at 5 %. Scoring PAI at 5 %
directly (``objective="pai"``) is noisier on a few hundred held-out incidents: on the five real
data sets of ``notebooks/evaluation.ipynb`` it fell below plain counts once (San Francisco car
theft), the proxy never did.

Kernel computation: incidents are aggregated per cell and placed at the mean location of the
cell's incidents; the kernel is evaluated at cell centroids and weighted by cell area. The error of
this aggregation is below the within-cell spread of the incidents, small against bandwidths of at
least one cell.

References
----------
Chainey, S., Tompson, L., & Uhlig, S. (2008). The utility of hotspot mapping for predicting spatial
patterns of crime. *Security Journal*, 21(1-2), 4-28.

Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*. Chapman & Hall
(quartic kernel).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from apk_geo import _validate, grid
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError

logger = logging.getLogger(__name__)

#: Candidate bandwidths, in multiples of the cell size.
DEFAULT_BANDWIDTH_CELLS: Final = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)

#: Candidate blend weights of the KDE part (0 = counts only, 1 = KDE only).
DEFAULT_BLENDS: Final = (0.0, 0.25, 0.5, 0.75, 1.0)

#: Candidate recency half-lives as shares of the training span (None = no recency weighting).
DEFAULT_HALF_LIFE_SHARES: Final[tuple[float | None, ...]] = (None, 0.5)

#: Share of the training period held out (at its end) to tune the parameters.
DEFAULT_VALIDATION_SHARE: Final = 1 / 3

#: Fewest incidents in the fitting and in the validation part for tuning to run.
MIN_FIT_INCIDENTS: Final = 20
MIN_VALIDATION_INCIDENTS: Final = 10

#: Used when there is too little data to tune (the nearest candidates are taken): bandwidth in
#: cells, blend weight, half-life share (the first candidate half-life is taken).
FALLBACK: Final = (3.0, 0.5, None)

#: Columns added to the cells by :func:`forecast`.
FORECAST_COLUMNS: Final = ("risk", "expected_n", "rank")

_REL_TOL: Final = 1e-12

Objective = Literal["pai", "capture"]


@dataclass(frozen=True)
class _Data:
    """Training incidents reduced to what the surface needs (positions into the cells)."""

    cell_pos: NDArray[np.intp]  # cell position of each incident (inside the grid only)
    xy: NDArray[np.float64]  # incident coordinates, shape (n, 2)
    t_days: NDArray[np.float64]  # incident time in days since the first training incident


def forecast(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    at: pd.Timestamp | str | None = None,
    seed: int = 0,
    time_col: str = "reported_at",
    bandwidths_m: Sequence[float] | None = None,
    blends: Sequence[float] = DEFAULT_BLENDS,
    half_life_shares: Sequence[float | None] = DEFAULT_HALF_LIFE_SHARES,
    validation_share: float = DEFAULT_VALIDATION_SHARE,
    objective: Objective = "capture",
    objective_coverage: float = 0.05,
    horizon_days: float | None = None,
) -> gpd.GeoDataFrame:
    """Return a risk surface for the next period, tuned on the training data alone.

    Parameters
    ----------
    points
        Incident points in a projected CRS in metres, with a datetime column ``time_col``.
        Rows with an empty geometry or a missing time are ignored.
    cells
        The grid (``cell_id`` and polygon geometry, same CRS), e.g. from ``grid.make_grid``.
    at
        Time of the forecast: only incidents strictly before ``at`` are used. ``None`` uses every
        incident and forecasts from the latest one. A naive time is read in the time zone of
        ``time_col``.
    seed
        Recorded for reproducibility; the method itself is deterministic (no random step).
    time_col
        Name of the incident time column.
    bandwidths_m
        Candidate KDE bandwidths in metres; default the cell size times
        :data:`DEFAULT_BANDWIDTH_CELLS`. Values below the cell size are raised to it.
    blends
        Candidate weights of the KDE part, each in [0, 1].
    half_life_shares
        Candidate recency half-lives as shares of the training span (``None`` = every incident
        weighs the same). An incident ``d`` days old weighs ``0.5 ** (d / half_life_days)``.
    validation_share
        Share of the training period, at its end, held out to score the candidates.
    objective
        ``"pai"``: PAI at ``objective_coverage`` of the area on the held-out part;
        ``"capture"``: mean hit rate over the coverages 1 %, 2 %, ..., 10 % (a smoother proxy).
    objective_coverage
        Coverage for ``objective="pai"``, in (0, 1].
    horizon_days
        Length of the period that ``expected_n`` refers to; default the tuning horizon
        (``validation_share`` of the training span).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with the columns ``risk`` (float, the blended share scaled so that the
        highest cell is 1; in [0, 1]), ``expected_n`` (float, expected incidents in the next
        ``horizon_days``: share times the training rate of incidents inside the grid) and
        ``rank`` (int, 1 = highest risk, ties broken by ``cell_id``).
        ``attrs["params"]`` holds ``method``, ``at``, ``n_train``, ``bandwidth_m``, ``blend``,
        ``half_life_days``, ``horizon_days``, ``tuned`` (False when too little data to tune),
        ``objective``, ``validation_score`` and ``validation_scores`` (one dict per candidate).

    Raises
    ------
    CRSError
        If the CRS is missing, geographic, not in metres, or differs between the inputs.
    SchemaError
        If a required column is missing or ``time_col`` is not a datetime.
    InsufficientDataError
        If no training incident falls in the grid or the training incidents span no time.
    ValueError
        If an option is out of range.

    Examples
    --------
    >>> risk = forecast(points, cells, at="2019-07-01")  # doctest: +SKIP
    >>> risk.attrs["params"]["bandwidth_m"]  # doctest: +SKIP
    450.0
    """
    _check_inputs(points, cells, time_col=time_col)
    _check_options(blends, half_life_shares, validation_share, objective_coverage, bandwidths_m)
    at_ts = align_time(at, points[time_col], name="at") if at is not None else None
    space = _space(cells)
    bandwidths = _candidate_bandwidths(bandwidths_m, space.cell_size_m)
    train = _training(points, cells, time_col=time_col, at_ts=at_ts)
    split_days = train.span_days * (1 - validation_share)
    tuning_horizon = train.span_days - split_days
    horizon = float(horizon_days) if horizon_days is not None else tuning_horizon
    _validate.require_positive(horizon, name="horizon_days")

    choice = _choose(
        train,
        space,
        bandwidths=bandwidths,
        blends=blends,
        half_life_shares=half_life_shares,
        split_days=split_days,
        objective=objective,
        objective_coverage=objective_coverage,
    )
    half_life = None if choice.half_life_share is None else choice.half_life_share * train.span_days
    p = _Surfaces(train.data, space.centroids, space.area, choice.bandwidth_m).share(
        choice.bandwidth_m, choice.blend, half_life, now_days=train.span_days
    )
    rate_per_day = len(train.data.cell_pos) / train.span_days
    out = _risk_frame(cells, p, rate_per_day=rate_per_day, horizon_days=horizon)
    out.attrs["params"] = {
        "method": "forecast",
        "at": None if at_ts is None else str(at_ts),
        "train_start": str(train.t0),
        "train_end": str(train.end),
        "n_train": len(train.data.cell_pos),
        "cell_size_m": space.cell_size_m,
        "bandwidth_m": choice.bandwidth_m,
        "blend": choice.blend,
        "half_life_days": half_life,
        "horizon_days": horizon,
        "tuned": choice.tuned,
        "validation_share": validation_share,
        "objective": objective,
        "objective_coverage": objective_coverage,
        "validation_score": _chosen_score(choice, half_life),
        "validation_scores": choice.scores,
        "kernel": "quartic",
        "seed": seed,
    }
    return out


# --------------------------------------------------------------------------------------------
# the steps of forecast
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Space:
    """What the surfaces need of the cells: their area, centroids and size."""

    area: NDArray[np.float64]
    centroids: NDArray[np.float64]
    cell_size_m: float


@dataclass(frozen=True)
class _Training:
    """The training incidents inside the grid and the period they span."""

    data: _Data
    t0: pd.Timestamp  # first training incident
    end: pd.Timestamp  # forecast time (``at``, else the latest training incident)
    span_days: float


@dataclass(frozen=True)
class _Choice:
    """The parameters chosen for the final surface and every candidate's validation score."""

    bandwidth_m: float
    blend: float
    half_life_share: float | None
    tuned: bool
    scores: list[dict[str, Any]]


def _space(cells: gpd.GeoDataFrame) -> _Space:
    area = cells.geometry.area.to_numpy(dtype=float)
    centroids = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    return _Space(area=area, centroids=centroids, cell_size_m=_cell_size_m(cells, area))


def _candidate_bandwidths(bandwidths_m: Sequence[float] | None, cell_size_m: float) -> list[float]:
    """Return the sorted distinct candidate bandwidths, none below the cell size."""
    if bandwidths_m is None:
        bandwidths_m = [cell_size_m * k for k in DEFAULT_BANDWIDTH_CELLS]
    return sorted({max(float(b), cell_size_m) for b in bandwidths_m})


def _training(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    time_col: str,
    at_ts: pd.Timestamp | None,
) -> _Training:
    """Return the located incidents before ``at_ts`` that fall in the grid, and their span."""
    times = points[time_col]
    keep = ~(points.geometry.is_empty | points.geometry.isna() | times.isna()).to_numpy()
    if at_ts is not None:
        keep = keep & (times < at_ts).fillna(False).to_numpy(dtype=bool)
    train = points.loc[keep]
    pos = _cell_positions(cells, train)
    inside = pos >= 0
    if not inside.any():
        raise InsufficientDataError(
            f"no training incident (of {int(keep.sum())} before {at_ts}) falls inside the "
            f"{len(cells)} cells; check that points and cells cover the same place"
        )
    t_train = train[time_col]
    t0 = t_train.min()
    end = at_ts if at_ts is not None else t_train.max()
    span_days = (end - t0) / pd.Timedelta(days=1)
    if not span_days > 0:
        raise InsufficientDataError(
            f"the training incidents span no time (first {t0}, forecast time {end}); "
            "forecasting needs incidents over a period"
        )
    t_days = ((t_train - t0) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    xy = np.column_stack([train.geometry.x.to_numpy(), train.geometry.y.to_numpy()])
    data = _Data(cell_pos=pos[inside], xy=xy[inside], t_days=t_days[inside])
    return _Training(data=data, t0=t0, end=end, span_days=span_days)


def _choose(
    train: _Training,
    space: _Space,
    *,
    bandwidths: list[float],
    blends: Sequence[float],
    half_life_shares: Sequence[float | None],
    split_days: float,
    objective: Objective,
    objective_coverage: float,
) -> _Choice:
    """Tune on the split at ``split_days``, or fall back when either part is too small."""
    fit_mask = train.data.t_days < split_days
    n_fit, n_val = int(fit_mask.sum()), int((~fit_mask).sum())
    if n_fit >= MIN_FIT_INCIDENTS and n_val >= MIN_VALIDATION_INCIDENTS:
        by_candidate = _validation_scores(
            train,
            space,
            fit_mask,
            bandwidths=bandwidths,
            blends=blends,
            half_life_shares=half_life_shares,
            split_days=split_days,
            objective=objective,
            objective_coverage=objective_coverage,
        )
        candidates = list(itertools.product(bandwidths, blends, half_life_shares))
        scores = _score_records(candidates, by_candidate, span_days=train.span_days)
        best = max(
            range(len(scores)),
            key=lambda i: (-math.inf if scores[i]["score"] is None else scores[i]["score"], -i),
        )
        bw, blend, hl_share = candidates[best]
        logger.info(
            "forecast: tuned on %d + %d incidents: bandwidth %.0f m, blend %.2f, half-life %s "
            "(%s %.3f)",
            n_fit,
            n_val,
            bw,
            blend,
            hl_share,
            objective,
            scores[best]["score"],
        )
        return _Choice(
            bandwidth_m=bw, blend=blend, half_life_share=hl_share, tuned=True, scores=scores
        )
    # the candidates closest to the fallback (a single candidate is used as given)
    bw = min(bandwidths, key=lambda b: (abs(b - FALLBACK[0] * space.cell_size_m), b))
    blend = min(blends, key=lambda b: (abs(b - FALLBACK[1]), b))
    logger.warning(
        "forecast: too few incidents to tune (%d before / %d after the split; need %d / %d);"
        " using bandwidth %.0f m and blend %.2f",
        n_fit,
        n_val,
        MIN_FIT_INCIDENTS,
        MIN_VALIDATION_INCIDENTS,
        bw,
        blend,
    )
    return _Choice(
        bandwidth_m=bw, blend=blend, half_life_share=half_life_shares[0], tuned=False, scores=[]
    )


def _validation_scores(
    train: _Training,
    space: _Space,
    fit_mask: NDArray[np.bool_],
    *,
    bandwidths: list[float],
    blends: Sequence[float],
    half_life_shares: Sequence[float | None],
    split_days: float,
    objective: Objective,
    objective_coverage: float,
) -> dict[tuple[float, float, float | None], float]:
    """Score every (bandwidth, blend, half-life share) fitted before the split on the part after."""
    data = train.data
    val_counts = np.bincount(data.cell_pos[~fit_mask], minlength=len(space.area)).astype(float)
    surfaces = _Surfaces(_subset(data, fit_mask), space.centroids, space.area, max(bandwidths))
    by_candidate: dict[tuple[float, float, float | None], float] = {}
    # one kernel matrix per bandwidth, one weighting per half-life, then every blend
    for bw in bandwidths:
        kernel = surfaces.kernel(bw)
        for hl_share in half_life_shares:
            hl = None if hl_share is None else hl_share * train.span_days
            src_w = surfaces.source_weights(hl, now_days=split_days)
            counts_share = surfaces.count_share(src_w)
            kde_share = surfaces.kde_share(kernel, src_w) if any(blends) else counts_share
            for blend in blends:
                p = (1 - blend) * counts_share + blend * kde_share
                by_candidate[(bw, blend, hl_share)] = _objective(
                    p, val_counts, space.area, objective, objective_coverage
                )
    return by_candidate


def _score_records(
    candidates: list[tuple[float, float, float | None]],
    by_candidate: dict[tuple[float, float, float | None], float],
    *,
    span_days: float,
) -> list[dict[str, Any]]:
    """Return one JSON-ready record per candidate, in candidate order (NaN score as None)."""
    scores: list[dict[str, Any]] = []
    for bw, blend, hl_share in candidates:
        score = by_candidate[(bw, blend, hl_share)]
        scores.append(
            {
                "bandwidth_m": bw,
                "blend": blend,
                "half_life_days": None if hl_share is None else hl_share * span_days,
                "score": None if math.isnan(score) else score,
            }
        )
    return scores


def _chosen_score(choice: _Choice, half_life: float | None) -> float | None:
    """Return the validation score of the chosen candidate (None when untuned)."""
    key = (choice.bandwidth_m, choice.blend, half_life)
    return next(
        (
            s["score"]
            for s in choice.scores
            if (s["bandwidth_m"], s["blend"], s["half_life_days"]) == key
        ),
        None,
    )


def _risk_frame(
    cells: gpd.GeoDataFrame, p: NDArray[np.float64], *, rate_per_day: float, horizon_days: float
) -> gpd.GeoDataFrame:
    """Return a copy of ``cells`` with ``risk``, ``expected_n`` and ``rank`` from the shares."""
    out = cells.copy()
    peak = float(p.max())
    out["risk"] = p / peak if peak > 0 else p
    out["expected_n"] = p * rate_per_day * horizon_days
    out["rank"] = _rank(p, cells)
    return out


# --------------------------------------------------------------------------------------------
# the coverage selection rule (shared with apk_geo.evaluate, which imports it from here)
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
class _Surfaces:
    """Kernel masses from the incidents of one period to every cell, for bandwidths <= max_bw."""

    def __init__(
        self,
        data: _Data,
        centroids: NDArray[np.float64],
        area: NDArray[np.float64],
        max_bandwidth_m: float,
    ) -> None:
        self.data = data
        self.n_cells = len(area)
        self.area = area
        # one source per occupied cell, at the mean location of its incidents
        occupied, inverse = np.unique(data.cell_pos, return_inverse=True)
        self.occupied = occupied
        self.inverse = inverse
        n_src = len(occupied)
        sx = np.bincount(inverse, weights=data.xy[:, 0], minlength=n_src)
        sy = np.bincount(inverse, weights=data.xy[:, 1], minlength=n_src)
        k = np.bincount(inverse, minlength=n_src).astype(float)
        src = np.column_stack([sx / k, sy / k])
        pairs = cKDTree(src).sparse_distance_matrix(
            cKDTree(centroids), max_bandwidth_m, output_type="ndarray"
        )
        self.src = np.asarray(pairs["i"], dtype=np.intp)
        self.dst = np.asarray(pairs["j"], dtype=np.intp)
        self.dist = np.asarray(pairs["v"], dtype=float)

    def kernel(self, bandwidth_m: float) -> sp.csr_array:
        """Return the (sources x cells) matrix of quartic kernel shares; each row sums to 1.

        A source whose kernel reaches no cell centroid keeps its whole mass in its own cell.
        """
        near = self.dist < bandwidth_m
        src, dst = self.src[near], self.dst[near]
        u = self.dist[near] / bandwidth_m
        k = (1 - u * u) ** 2 * self.area[dst]
        n_src = len(self.occupied)
        row = np.bincount(src, weights=k, minlength=n_src)
        lonely = np.flatnonzero(row <= 0)
        values = np.r_[k / row[src], np.ones(len(lonely))]
        rows = np.r_[src, lonely]
        cols = np.r_[dst, self.occupied[lonely]]
        return sp.csr_array((values, (rows, cols)), shape=(n_src, self.n_cells))

    def source_weights(
        self, half_life_days: float | None, *, now_days: float
    ) -> NDArray[np.float64]:
        """Return the (recency-weighted) number of incidents of each source."""
        if half_life_days is None:
            w = np.ones(len(self.data.cell_pos))
        else:
            w = 0.5 ** ((now_days - self.data.t_days) / half_life_days)
        out: NDArray[np.float64] = np.bincount(
            self.inverse, weights=w, minlength=len(self.occupied)
        ).astype(float)
        return out

    def count_share(self, src_w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each cell's share of the weighted counts."""
        counts: NDArray[np.float64] = np.zeros(self.n_cells)
        counts[self.occupied] = src_w
        out: NDArray[np.float64] = counts / float(counts.sum())
        return out

    def kde_share(self, kernel: sp.csr_array, src_w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each cell's share of the kernel mass."""
        mass: NDArray[np.float64] = np.asarray(kernel.T @ src_w, dtype=float)
        out: NDArray[np.float64] = mass / float(mass.sum())
        return out

    def share(
        self, bandwidth_m: float, blend: float, half_life_days: float | None, *, now_days: float
    ) -> NDArray[np.float64]:
        """Return the blended share of each cell (sums to 1)."""
        src_w = self.source_weights(half_life_days, now_days=now_days)
        counts = self.count_share(src_w)
        if blend == 0:
            return counts
        kde = self.kde_share(self.kernel(bandwidth_m), src_w)
        return (1 - blend) * counts + blend * kde


def _subset(data: _Data, mask: NDArray[np.bool_]) -> _Data:
    return _Data(cell_pos=data.cell_pos[mask], xy=data.xy[mask], t_days=data.t_days[mask])


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


#: Coverages averaged by the ``"capture"`` objective.
_CAPTURE_COVERAGES: Final = np.arange(1, 11) / 100


def _objective(
    p: NDArray[np.float64],
    counts: NDArray[np.float64],
    area: NDArray[np.float64],
    objective: Objective,
    coverage: float,
) -> float:
    n = float(counts.sum())
    if n <= 0:
        return math.nan
    if objective == "pai":
        hits = capture_curve(p, counts=counts, cell_area=area, coverages=[coverage])[0]
        return float(hits / n / coverage)
    hits_all = capture_curve(p, counts=counts, cell_area=area, coverages=_CAPTURE_COVERAGES)
    return float(np.mean(hits_all) / n)


def _rank(p: NDArray[np.float64], cells: gpd.GeoDataFrame) -> NDArray[np.int64]:
    ids = cells["cell_id"].to_numpy()
    order = np.lexsort((ids, -p))
    rank = np.empty(len(p), dtype=np.int64)
    rank[order] = np.arange(1, len(p) + 1)
    return rank


def _cell_positions(cells: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> NDArray[np.intp]:
    """Return the row position of the cell holding each point, -1 outside the grid."""
    ids = grid.assign_cells(cells, points)
    pos = pd.Index(cells["cell_id"].to_numpy()).get_indexer(ids)
    return np.where(ids >= 0, pos, -1).astype(np.intp)


def _cell_size_m(cells: gpd.GeoDataFrame, area: NDArray[np.float64]) -> float:
    params = cells.attrs.get("params", {})
    if isinstance(params, dict) and params.get("cell_size_m"):
        return float(params["cell_size_m"])
    return float(math.sqrt(float(np.max(area)))) if len(area) else 1.0


def _check_inputs(points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, *, time_col: str) -> None:
    _validate.require_points(points, name="points")
    _validate.require_columns(points, [time_col], name="points")
    _validate.require_columns(cells, ["cell_id"], name="cells")
    if len(cells) == 0:
        raise InsufficientDataError("cells is empty; build a grid with grid.make_grid first")
    crs = _validate.require_projected(points, name="points")
    _validate.require_same_crs(points, cells, names=("points", "cells"))
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if unit not in ("metre", "meter"):
        raise CRSError(
            f"points are in {crs.to_string()}, whose unit is {unit!r}, not metres; reproject "
            "with .to_crs(...) to a metric CRS (EPSG:5514 in Czechia, a UTM zone elsewhere)"
        )
    if not pd.api.types.is_datetime64_any_dtype(points[time_col]):
        raise SchemaError(
            f"points[{time_col!r}] must be a datetime column, got dtype "
            f"{points[time_col].dtype}; parse it with pd.to_datetime"
        )


def _check_options(
    blends: Sequence[float],
    half_life_shares: Sequence[float | None],
    validation_share: float,
    objective_coverage: float,
    bandwidths_m: Sequence[float] | None,
) -> None:
    if not blends or any(not (0.0 <= b <= 1.0) for b in blends):
        raise ParameterError(
            f"blends must be a non-empty list of weights in [0, 1], got {blends!r}"
        )
    if not half_life_shares or any(h is not None and not h > 0 for h in half_life_shares):
        raise ParameterError(
            f"half_life_shares must hold None or shares > 0, got {half_life_shares!r}"
        )
    if not (0.0 < validation_share < 1.0):
        raise ParameterError(f"validation_share must be in (0, 1), got {validation_share!r}")
    if not (0.0 < objective_coverage <= 1.0):
        raise ParameterError(f"objective_coverage must be in (0, 1], got {objective_coverage!r}")
    if bandwidths_m is not None:
        if len(bandwidths_m) == 0:
            raise ParameterError("bandwidths_m is empty; pass None for the default candidates")
        for b in bandwidths_m:
            _validate.require_positive(float(b), name="bandwidths_m[...]")


def align_time(value: pd.Timestamp | str, like: pd.Series, *, name: str) -> pd.Timestamp:
    """Return ``value`` as a Timestamp comparable with the datetime series ``like``.

    A naive value is read in the time zone of ``like``; an aware value is converted to it, or
    loses its zone (keeping its wall-clock time) when ``like`` is naive.

    Raises
    ------
    SchemaError
        If ``value`` cannot be read as a time.
    """
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise SchemaError(
            f"{name}: cannot read {value!r} as a date/time; use e.g. '2019-07-01'"
        ) from exc
    if pd.isna(ts):
        raise SchemaError(f"{name}: got a missing time {value!r}; pass a date such as '2019-07-01'")
    tz = getattr(like.dt, "tz", None)
    if tz is not None:
        return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)
    return ts.tz_localize(None) if ts.tzinfo is not None else ts
