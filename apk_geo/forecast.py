r"""Forecast where the next incidents are most likely: counts, a KDE and terms that earn a place.

Gi* tells where counts are *significantly clustered*; that is not the best guide to where the next
incidents will happen. :func:`forecast` builds the risk surface

.. math::

    p_j = (1 - \theta)\Big[(1 - \beta)\,\frac{c_j}{\sum_k c_k}
          + \beta\,\frac{m_j(h)}{\sum_k m_k(h)}\Big] + \theta\, r_j(\omega)

where :math:`c_j` is the (optionally recency-weighted, half-life :math:`\tau`) count of training
incidents in cell :math:`j`, :math:`m_j(h)` the kernel mass that a quartic kernel of bandwidth
:math:`h` puts in cell :math:`j`, :math:`\beta` the blend weight, and :math:`r_j(\omega)` an
optional self-exciting near-repeat term (Mohler et al. 2011; :mod:`apk_geo.riskterms`) with weight
:math:`\theta`. With context layers (hostels, SVL, stops, schools, any point layer) a Poisson GLM
of the counts on :math:`\log p_j` and the log distances to those layers may re-weight the surface
(risk terrain, Caplan et al. 2011).

Every choice is made on the training data alone: the training period is split at its own 2/3
point (``validation_share``), every candidate is fitted on the first part and scored on the second
by the mean hit rate over the coverages 1 %, 2 %, ..., 10 % (the area under the capture curve up
to 10 %; ``objective="pai"`` scores PAI at ``objective_coverage`` instead). No incident at or after
``at`` is ever used.

The selection rule (stated, never the order of the candidates)
    1. The *reference* is the honest ensemble of counts and KDE: blend 0.5 and no recency
       weighting, with the bandwidth that scores best (ties: the smaller bandwidth).
    2. The best-scoring candidate of all (ties: blend nearest 0.5, then no recency weighting,
       then the shorter half-life, then the smaller bandwidth) replaces the reference only if its
       gain exceeds one standard error of the paired gain, estimated by a day-block bootstrap of
       the held-out incidents (``n_boot`` resamples of whole days, seeded by ``seed``): Breiman's
       one-standard-error rule, which keeps the simpler model unless the data clearly say otherwise.
    3. The same test keeps the near-repeat term (best of its candidates against the chosen base)
       and, when ``context`` layers are given, the covariate GLM (fitted on one half of the
       held-out days and scored on the other, both ways; kept only if it wins on both halves).

Candidate bandwidths run from one cell to 24 cells and include the rule-of-thumb bandwidth of the
training incidents and 1.5 and 2 times it, so sparse data can choose the wide kernels they need.

Kernel computation: incidents are aggregated per cell and placed at the mean location of the
cell's incidents; the kernel is evaluated at cell centroids and weighted by cell area.

References
----------
Breiman, L., Friedman, J., Olshen, R., & Stone, C. (1984). *Classification and Regression Trees*
(the one-standard-error rule). Wadsworth.

Caplan, J. M., Kennedy, L. W., & Miller, J. (2011). Risk terrain modeling. *Justice Quarterly*,
28(2), 360-381.

Chainey, S., Tompson, L., & Uhlig, S. (2008). The utility of hotspot mapping for predicting spatial
patterns of crime. *Security Journal*, 21(1-2), 4-28.

Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P., & Tita, G. E. (2011).
Self-exciting point process modeling of crime. *JASA*, 106(493), 100-108.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apk_geo import _validate, grid, riskterms
from apk_geo.capture import capture_curve, coverage_weights, selection_weights
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.surfaces import _Data, _rank, _subset, _Surfaces

__all__ = [
    "DEFAULT_BANDWIDTH_CELLS",
    "DEFAULT_BLENDS",
    "DEFAULT_HALF_LIFE_SHARES",
    "FORECAST_COLUMNS",
    "align_time",
    "capture_curve",
    "forecast",
    "selection_weights",
]

logger = logging.getLogger(__name__)

#: Candidate bandwidths, in multiples of the cell size (plus the rule of thumb x 1, 1.5, 2).
DEFAULT_BANDWIDTH_CELLS: Final = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0)
#: Multiples of the rule-of-thumb bandwidth added to the candidates.
RULE_OF_THUMB_FACTORS: Final = (1.0, 1.5, 2.0)

#: Candidate blend weights of the KDE part (0 = counts only, 1 = KDE only).
DEFAULT_BLENDS: Final = (0.0, 0.25, 0.5, 0.75, 1.0)
#: The reference blend (the equal-weight ensemble of counts and KDE).
REFERENCE_BLEND: Final = 0.5

#: Candidate recency half-lives as shares of the training span (None = no recency weighting).
DEFAULT_HALF_LIFE_SHARES: Final[tuple[float | None, ...]] = (None, 1.0, 0.5)

#: Near-repeat candidates: weights theta, decay times omega (days), kernel radius in cells.
NEAR_REPEAT_WEIGHTS: Final = (0.1, 0.25)
NEAR_REPEAT_DECAY_DAYS: Final = (7.0, 30.0)
NEAR_REPEAT_RADIUS_CELLS: Final = 1.5

#: Share of the training period held out (at its end) to tune the parameters.
DEFAULT_VALIDATION_SHARE: Final = 1 / 3

#: Day-block bootstrap resamples of the held-out incidents (the one-standard-error rule).
DEFAULT_N_BOOT: Final = 200

#: Fewest incidents in the fitting and in the validation part for tuning to run.
MIN_FIT_INCIDENTS: Final = 20
MIN_VALIDATION_INCIDENTS: Final = 10

#: Used when there is too little data to tune: bandwidth in cells and blend weight.
FALLBACK: Final = (3.0, 0.5, None)

#: Columns added to the cells by :func:`forecast`.
FORECAST_COLUMNS: Final = ("risk", "expected_n", "rank")

#: Coverages averaged by the ``"capture"`` objective.
_CAPTURE_COVERAGES: Final = np.arange(1, 11) / 100

Objective = Literal["pai", "capture"]
_Key = tuple[float, float, float | None]


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
    near_repeat: bool = True,
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
    n_boot: int = DEFAULT_N_BOOT,
) -> gpd.GeoDataFrame:
    """Return a risk surface for the next period, every choice made on the training data alone.

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
        Seed of the day-block bootstrap of the selection rule.
    time_col
        Name of the incident time column.
    bandwidths_m
        Candidate KDE bandwidths in metres; default the cell size times
        :data:`DEFAULT_BANDWIDTH_CELLS` and the rule of thumb times
        :data:`RULE_OF_THUMB_FACTORS`. Values below the cell size are raised to it.
    blends
        Candidate weights of the KDE part, each in [0, 1].
    half_life_shares
        Candidate recency half-lives as shares of the training span (``None`` = every incident
        weighs the same). An incident ``d`` days old weighs ``0.5 ** (d / half_life_days)``.
    validation_share
        Share of the training period, at its end, held out to score the candidates.
    objective
        ``"capture"``: mean hit rate over the coverages 1 %, 2 %, ..., 10 %; ``"pai"``: PAI at
        ``objective_coverage``.
    objective_coverage
        Coverage for ``objective="pai"``, in (0, 1].
    horizon_days
        Length of the period that ``expected_n`` refers to; default the tuning horizon.
    near_repeat
        Whether to try the self-exciting near-repeat term (kept only if it validates).
    context
        Named context layers in the cells' CRS (e.g. ``{"hostels": ..., "stops": ...}``) for
        the covariate GLM; ``None`` or empty: no covariates.
    n_boot
        Bootstrap resamples of the selection rule (>= 20).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with the columns ``risk`` (float in [0, 1], highest cell 1),
        ``expected_n`` (float, expected incidents in the next ``horizon_days``) and ``rank``
        (int, 1 = highest risk, ties broken by ``cell_id``). ``attrs["params"]`` holds
        ``method``, ``at``, ``n_train``, ``bandwidth_m``, ``blend``, ``half_life_days``,
        ``components`` (``kde``, ``counts``, ``time_decay``, ``near_repeat``, ``covariates``:
        what was kept, with its parameters), ``selection`` (the rule, the reference's and the
        best candidate's scores, the bootstrap standard error, which won), ``tuned``,
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
    >>> risk.attrs["params"]["components"]  # doctest: +SKIP
    {'counts': True, 'kde': True, 'time_decay': False, 'near_repeat': None, 'covariates': None}
    """
    _check_inputs(points, cells, time_col=time_col)
    _check_options(blends, half_life_shares, validation_share, objective_coverage, bandwidths_m)
    if n_boot < 20:
        raise ParameterError(f"n_boot must be at least 20, got {n_boot!r}")
    at_ts = align_time(at, points[time_col], name="at") if at is not None else None
    space = _space(cells, context)
    train = _training(points, cells, time_col=time_col, at_ts=at_ts)
    bandwidths = _candidate_bandwidths(bandwidths_m, space.cell_size_m, train.data.xy)
    split_days = train.span_days * (1 - validation_share)
    horizon = float(horizon_days) if horizon_days is not None else train.span_days - split_days
    _validate.require_positive(horizon, name="horizon_days")
    tuning = _Tuning(
        bandwidths=bandwidths,
        blends=tuple(float(b) for b in blends),
        half_life_shares=tuple(half_life_shares),
        split_days=split_days,
        objective=objective,
        objective_coverage=objective_coverage,
        near_repeat=near_repeat,
        n_boot=n_boot,
        seed=seed,
    )
    choice = _choose(train, space, tuning)
    p = _final_surface(train, space, choice)
    rate_per_day = len(train.data.cell_pos) / train.span_days
    out = _risk_frame(cells, p, rate_per_day=rate_per_day, horizon_days=horizon)
    out.attrs["params"] = _params(train, space, choice, at_ts, horizon, tuning, validation_share)
    return out


# --------------------------------------------------------------------------------------------
# the steps of forecast
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Space:
    """What the surfaces need of the cells: their area, centroids, size and covariates."""

    area: NDArray[np.float64]
    centroids: NDArray[np.float64]
    cell_size_m: float
    covariates: NDArray[np.float64]
    covariate_names: list[str]


@dataclass(frozen=True)
class _Training:
    """The training incidents inside the grid and the period they span."""

    data: _Data
    t0: pd.Timestamp  # first training incident
    end: pd.Timestamp  # forecast time (``at``, else the latest training incident)
    span_days: float


@dataclass(frozen=True)
class _Tuning:
    """The candidates and the rule that chooses among them."""

    bandwidths: list[float]
    blends: tuple[float, ...]
    half_life_shares: tuple[float | None, ...]
    split_days: float
    objective: Objective
    objective_coverage: float
    near_repeat: bool
    n_boot: int
    seed: int


@dataclass
class _Choice:
    """The parameters chosen for the final surface and what the validation said."""

    bandwidth_m: float
    blend: float
    half_life_share: float | None
    tuned: bool
    scores: list[dict[str, Any]] = field(default_factory=list)
    selection: dict[str, Any] = field(default_factory=dict)
    near_repeat: dict[str, float] | None = None
    covariates: riskterms.CovariateModel | None = None


@dataclass(frozen=True)
class _Held:
    """The held-out part of the training data: its cells, days and bootstrap resamples."""

    counts: NDArray[np.float64]  # held-out incidents per cell
    cell_pos: NDArray[np.intp]  # cell of each held-out incident
    day: NDArray[np.intp]  # day index of each held-out incident
    n_per_day: NDArray[np.float64]
    resample: NDArray[np.float64]  # (n_boot, n_days) day multiplicities

    def day_sums(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return, per day, the sum over held-out incidents of their cell's weight."""
        out: NDArray[np.float64] = np.asarray(
            np.bincount(self.day, weights=weights[self.cell_pos], minlength=len(self.n_per_day)),
            dtype=float,
        )
        return out

    def boot(self, day_sums: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the bootstrap replicates of the score whose per-day sums are ``day_sums``."""
        out: NDArray[np.float64] = (self.resample @ day_sums) / (self.resample @ self.n_per_day)
        return out


def _space(cells: gpd.GeoDataFrame, context: Mapping[str, gpd.GeoDataFrame] | None) -> _Space:
    area = cells.geometry.area.to_numpy(dtype=float)
    centroids = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    size = _cell_size_m(cells, area)
    layers = {k: v.to_crs(cells.crs) for k, v in (context or {}).items() if len(v)}
    cov, names = riskterms.covariate_features(centroids, layers, floor_m=size)
    return _Space(area, centroids, size, cov, names)


def _candidate_bandwidths(
    bandwidths_m: Sequence[float] | None, cell_size_m: float, xy: NDArray[np.float64]
) -> list[float]:
    """Return the sorted distinct candidate bandwidths, none below the cell size."""
    if bandwidths_m is None:
        rot = riskterms.rule_of_thumb_m(xy)
        bandwidths_m = [cell_size_m * k for k in DEFAULT_BANDWIDTH_CELLS]
        bandwidths_m += [round(rot * f) for f in RULE_OF_THUMB_FACTORS if rot > 0]
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


def _choose(train: _Training, space: _Space, tuning: _Tuning) -> _Choice:
    """Tune on the split at ``tuning.split_days``, or fall back when either part is too small."""
    fit_mask = train.data.t_days < tuning.split_days
    n_fit, n_val = int(fit_mask.sum()), int((~fit_mask).sum())
    if n_fit < MIN_FIT_INCIDENTS or n_val < MIN_VALIDATION_INCIDENTS:
        return _fallback(tuning, space, n_fit, n_val)
    held = _held_out(train, space, ~fit_mask, tuning)
    fit = _subset(train.data, fit_mask)
    surfaces = _Surfaces(fit, space.centroids, space.area, max(tuning.bandwidths))
    candidates = _score_candidates(surfaces, held, space, tuning, span_days=train.span_days)
    choice = _one_se_choice(candidates, held, tuning)
    base = surfaces.share(
        choice.bandwidth_m,
        choice.blend,
        _half_life(choice.half_life_share, train.span_days),
        now_days=tuning.split_days,
    )
    if tuning.near_repeat:
        base = _try_near_repeat(choice, base, fit, held, space, tuning)
    if space.covariates.shape[1]:
        _try_covariates(choice, base, held, space, tuning)
    choice.scores = [
        {
            "bandwidth_m": bw,
            "blend": blend,
            "half_life_days": _half_life(hl, train.span_days),
            "score": None if math.isnan(c.score) else c.score,
            "pai": None if math.isnan(c.pai) else c.pai,
        }
        for (bw, blend, hl), c in candidates.items()
    ]
    logger.info(
        "forecast: tuned on %d + %d incidents: bandwidth %.0f m, blend %.2f, half-life %s, "
        "near repeat %s, covariates %s (%s)",
        n_fit,
        n_val,
        choice.bandwidth_m,
        choice.blend,
        choice.half_life_share,
        choice.near_repeat,
        choice.covariates is not None,
        choice.selection["chosen"],
    )
    return choice


def _fallback(tuning: _Tuning, space: _Space, n_fit: int, n_val: int) -> _Choice:
    """Return the candidates closest to :data:`FALLBACK` (too little data to tune)."""
    bw = min(tuning.bandwidths, key=lambda b: (abs(b - FALLBACK[0] * space.cell_size_m), b))
    blend = min(tuning.blends, key=lambda b: (abs(b - FALLBACK[1]), b))
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
        bandwidth_m=bw,
        blend=blend,
        half_life_share=tuning.half_life_shares[0],
        tuned=False,
        selection={"rule": "fallback (too little data to tune)", "chosen": "fallback"},
    )


def _held_out(
    train: _Training, space: _Space, val_mask: NDArray[np.bool_], tuning: _Tuning
) -> _Held:
    """Return the held-out incidents with their day blocks and the bootstrap resamples."""
    pos = train.data.cell_pos[val_mask]
    day = np.floor(train.data.t_days[val_mask] - tuning.split_days).astype(np.intp)
    day = np.clip(day, 0, None)
    n_days = int(day.max()) + 1
    rng = np.random.default_rng(tuning.seed)
    draws = rng.integers(0, n_days, size=(tuning.n_boot, n_days))
    resample = np.zeros((tuning.n_boot, n_days))
    np.add.at(resample, (np.repeat(np.arange(tuning.n_boot), n_days), draws.ravel()), 1.0)
    return _Held(
        counts=np.bincount(pos, minlength=len(space.area)).astype(float),
        cell_pos=pos,
        day=day,
        n_per_day=np.bincount(day, minlength=n_days).astype(float),
        resample=resample,
    )


def _weights(
    p: NDArray[np.float64], space: _Space, tuning: _Tuning
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return each cell's weight in the objective and its weight in PAI at the coverage."""
    cov = tuning.objective_coverage
    w = coverage_weights(p, cell_area=space.area, coverages=np.r_[_CAPTURE_COVERAGES, cov])
    pai_w = w[:, -1] / cov
    if tuning.objective == "pai":
        return pai_w, pai_w
    return w[:, :-1].mean(axis=1), pai_w


def _score_candidates(
    surfaces: _Surfaces, held: _Held, space: _Space, tuning: _Tuning, *, span_days: float
) -> dict[_Key, _Scored]:
    """Score every (bandwidth, blend, half-life share) on the held-out part."""
    out: dict[_Key, _Scored] = {}
    n_val = float(held.n_per_day.sum())
    for bw in tuning.bandwidths:
        kernel = surfaces.kernel(bw)
        for hl_share in tuning.half_life_shares:
            src_w = surfaces.source_weights(
                _half_life(hl_share, span_days), now_days=tuning.split_days
            )
            counts_share = surfaces.count_share(src_w)
            kde_share = surfaces.kde_share(kernel, src_w)
            for blend in tuning.blends:
                p = (1 - blend) * counts_share + blend * kde_share
                w, pai_w = _weights(p, space, tuning)
                sums = held.day_sums(w)
                out[(bw, blend, hl_share)] = _Scored(
                    score=float(sums.sum()) / n_val,
                    day_sums=sums,
                    pai=float(pai_w @ held.counts) / n_val,
                )
    return out


@dataclass(frozen=True)
class _Scored:
    """A candidate's objective score, its per-day sums and its PAI at the objective coverage."""

    score: float
    day_sums: NDArray[np.float64]
    pai: float


def _one_se_choice(candidates: dict[_Key, _Scored], held: _Held, tuning: _Tuning) -> _Choice:
    """Apply the selection rule of the module docstring to the scored candidates."""
    keys = list(candidates)
    ref_blend = min(tuning.blends, key=lambda b: (abs(b - REFERENCE_BLEND), b))
    ref_hl = None if None in tuning.half_life_shares else tuning.half_life_shares[0]
    reference = max(
        (k for k in keys if k[1] == ref_blend and k[2] == ref_hl),
        key=lambda k: (candidates[k].pai, -k[0]),
    )
    best = max(keys, key=lambda k: (candidates[k].score, *_simplicity(k)))
    gain, se = _paired_gain(candidates[best].day_sums, candidates[reference].day_sums, held)
    chosen = best if gain > se else reference
    return _Choice(
        bandwidth_m=chosen[0],
        blend=chosen[1],
        half_life_share=chosen[2],
        tuned=True,
        selection={
            "rule": "the ensemble (blend 0.5, no recency, bandwidth of the best held-out PAI at "
            "the objective coverage) unless the best candidate's held-out score gains more than "
            "one day-block bootstrap standard error",
            "reference": _key_record(reference, candidates[reference]),
            "best": _key_record(best, candidates[best]),
            "gain": gain,
            "standard_error": se,
            "chosen": "best" if chosen == best and best != reference else "reference",
        },
    )


def _simplicity(key: _Key) -> tuple[float, float, float, float]:
    """Tie-break order of candidates with equal scores (larger = preferred)."""
    bw, blend, hl = key
    return (-abs(blend - REFERENCE_BLEND), 1.0 if hl is None else 0.0, -(hl or 0.0), -bw)


def _paired_gain(
    a: NDArray[np.float64], b: NDArray[np.float64], held: _Held
) -> tuple[float, float]:
    """Return the gain of ``a`` over ``b`` (per-day sums) and its bootstrap standard error."""
    n = float(held.n_per_day.sum())
    gain = float((a.sum() - b.sum()) / n)
    se = float(np.std(held.boot(a - b), ddof=1))
    return gain, se


def _key_record(key: _Key, scored: _Scored) -> dict[str, Any]:
    return {
        "bandwidth_m": key[0],
        "blend": key[1],
        "half_life_share": key[2],
        "score": scored.score,
        "pai": scored.pai,
    }


def _try_near_repeat(
    choice: _Choice,
    base: NDArray[np.float64],
    fit: _Data,
    held: _Held,
    space: _Space,
    tuning: _Tuning,
) -> NDArray[np.float64]:
    """Keep the best near-repeat term if it gains more than one standard error over ``base``."""
    base_sums = held.day_sums(_weights(base, space, tuning)[0])
    radius = NEAR_REPEAT_RADIUS_CELLS * space.cell_size_m
    best: tuple[float, float, dict[str, float], NDArray[np.float64]] | None = None
    for omega in NEAR_REPEAT_DECAY_DAYS:
        nr = riskterms.near_repeat_share(
            fit.xy, fit.t_days, space.centroids,
            now_days=tuning.split_days, radius_m=radius, decay_days=omega,
        )  # fmt: skip
        for theta in NEAR_REPEAT_WEIGHTS:
            p = (1 - theta) * base + theta * nr
            gain, se = _paired_gain(held.day_sums(_weights(p, space, tuning)[0]), base_sums, held)
            if best is None or gain > best[0]:
                params = {"weight": theta, "decay_days": omega, "radius_m": radius}
                best = (gain, se, params, p)
    if best is not None and best[0] > best[1]:
        choice.near_repeat = best[2]
        choice.selection["near_repeat"] = {"gain": best[0], "standard_error": best[1]}
        return best[3]
    if best is not None:
        choice.selection["near_repeat"] = {"gain": best[0], "standard_error": best[1]}
    return base


def _try_covariates(
    choice: _Choice, base: NDArray[np.float64], held: _Held, space: _Space, tuning: _Tuning
) -> None:
    """Keep the covariate GLM if, fitted on half the held-out days, it wins on the other half."""
    halves = [held.day % 2 == k for k in (0, 1)]
    gains: list[float] = []
    for train_half, test_half in (halves, halves[::-1]):
        counts = np.bincount(held.cell_pos[train_half], minlength=len(base)).astype(float)
        model = riskterms.fit_covariate_model(base, space.covariates, counts)
        p = model.share(base, space.covariates)
        cells = held.cell_pos[test_half]
        n = max(len(cells), 1)
        gains.append(
            float(
                _weights(p, space, tuning)[cells].sum() - _weights(base, space, tuning)[cells].sum()
            )
            / n
        )
    choice.selection["covariates"] = {"gain_per_half": gains, "layers": space.covariate_names}
    if all(g > 0 for g in gains):
        choice.covariates = riskterms.fit_covariate_model(base, space.covariates, held.counts)


def _final_surface(train: _Training, space: _Space, choice: _Choice) -> NDArray[np.float64]:
    """Refit the chosen surface (and kept terms) on every training incident."""
    half_life = _half_life(choice.half_life_share, train.span_days)
    surfaces = _Surfaces(train.data, space.centroids, space.area, choice.bandwidth_m)
    p = surfaces.share(choice.bandwidth_m, choice.blend, half_life, now_days=train.span_days)
    if choice.near_repeat is not None:
        nr = riskterms.near_repeat_share(
            train.data.xy, train.data.t_days, space.centroids,
            now_days=train.span_days, radius_m=choice.near_repeat["radius_m"],
            decay_days=choice.near_repeat["decay_days"],
        )  # fmt: skip
        theta = choice.near_repeat["weight"]
        p = (1 - theta) * p + theta * nr
    if choice.covariates is not None:
        p = choice.covariates.share(p, space.covariates)
    return p


def _half_life(share: float | None, span_days: float) -> float | None:
    return None if share is None else share * span_days


def _params(
    train: _Training,
    space: _Space,
    choice: _Choice,
    at_ts: pd.Timestamp | None,
    horizon: float,
    tuning: _Tuning,
    validation_share: float,
) -> dict[str, Any]:
    """Return the JSON-ready ``attrs["params"]`` of the forecast."""
    half_life = _half_life(choice.half_life_share, train.span_days)
    covariates = None
    if choice.covariates is not None:
        coef = choice.covariates.coef.tolist()
        covariates = {
            "model": "Poisson GLM (log base share + log distance per layer)",
            "layers": space.covariate_names,
            "coef_log_base": coef[0],
            "coef_log_distance": dict(zip(space.covariate_names, coef[1:], strict=True)),
        }
    chosen = next(
        (s["score"] for s in choice.scores
         if (s["bandwidth_m"], s["blend"], s["half_life_days"])
         == (choice.bandwidth_m, choice.blend, half_life)),
        None,
    )  # fmt: skip
    return {
        "method": "forecast",
        "at": None if at_ts is None else str(at_ts),
        "train_start": str(train.t0),
        "train_end": str(train.end),
        "n_train": len(train.data.cell_pos),
        "cell_size_m": space.cell_size_m,
        "bandwidth_m": choice.bandwidth_m,
        "blend": choice.blend,
        "half_life_days": half_life,
        "components": {
            "counts": choice.blend < 1,
            "kde": choice.blend > 0,
            "time_decay": half_life is not None,
            "near_repeat": choice.near_repeat,
            "covariates": covariates,
        },
        "selection": choice.selection,
        "bandwidth_candidates_m": tuning.bandwidths,
        "horizon_days": horizon,
        "tuned": choice.tuned,
        "validation_share": validation_share,
        "objective": tuning.objective,
        "objective_coverage": tuning.objective_coverage,
        "validation_score": chosen,
        "validation_scores": choice.scores,
        "kernel": "quartic",
        "n_boot": tuning.n_boot,
        "seed": tuning.seed,
    }


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
# helpers
# --------------------------------------------------------------------------------------------


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
