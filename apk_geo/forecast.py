r"""Forecast where the next incidents are most likely: counts, a KDE and terms that earn a place.

Gi* tells where counts are *significantly clustered*; that is not the best guide to where the next
incidents will happen. :func:`forecast` builds the risk surface

.. math::

    p_j = (1 - \theta)\Big[(1 - \beta)\,\frac{c_j}{\sum_k c_k}
          + \beta\,\frac{m_j(h)}{\sum_k m_k(h)}\Big] + \theta\, r_j(\omega)

where :math:`c_j` is the (optionally recency-weighted, half-life :math:`\tau` days) count of
training incidents in cell :math:`j`, :math:`m_j(h)` the kernel mass that a quartic kernel of
bandwidth :math:`h` puts in cell :math:`j`, :math:`\beta` the blend weight, and :math:`r_j(\omega)`
an optional self-exciting near-repeat term (Mohler et al. 2011; :mod:`apk_geo.riskterms`) with
weight :math:`\theta`. With context layers (hostels, SVL, stops, schools, population, a city's
other incident types: any layer) a Poisson GLM of the counts on :math:`\log p_j`, the log
distance to every layer and the log kernel density of every point layer may re-weight the
surface (risk terrain, Caplan et al. 2011; :func:`apk_geo.riskterms.covariate_features`). With
``context_intensity=True`` the base may also be blended with one point layer's KDE (a leading
indicator, Cohen et al. 2007). A context layer's features dated at or after ``at`` (its
``time_col``) are dropped first: nothing from the forecast period reaches the covariates.

The reference: the honest ensemble
    :func:`ensemble` is the equal-weight ensemble of counts and KDE (:math:`\beta = 0.5`, no
    recency weighting, no other term) whose bandwidth is the one with the best PAI at
    ``objective_coverage`` on the last third of the training period when fitted on the first two
    thirds, among :func:`ensemble_bandwidths` (ties: the smaller bandwidth). It is the baseline
    that :mod:`apk_geo.evaluate` compares every method with, and the forecast's own reference.

Every choice is made on the training data alone (no incident at or after ``at`` is used), by a
rolling-origin inner validation (:mod:`apk_geo.forecast_select`): the training period is cut at
1/2 and at 2/3 of its span; in each fold every candidate is fitted before the cut and scored on
the incidents from the cut to the end by the mean hit rate over the coverages 1 %, 2 %, ..., 10 %
(``objective="pai"``: PAI at ``objective_coverage``); a candidate's score is its mean over the
folds.

The selection rule (stated, never the order of the candidates)
    1. The reference is the ensemble above.
    2. The best-scoring candidate (ties: blend nearest 0.5, then no recency weighting, then the
       longer half-life, then the smaller bandwidth) replaces the reference only if (a) a
       reality check over *all* candidates (White's 2000 check of the largest centred gain)
       rejects, at 5 %, that none beats the reference (day-block bootstrap of the held-out
       days, ``n_boot`` resamples seeded by ``seed``), (b) it gains on every fold, and (c) the
       same rule, run on the training incidents before the last fold, departs too and its
       choice wins on the last fold (a nested check: the folds fit on less data than the final
       surface, which favours smoother candidates). Choosing the best of hundreds of
       candidates on a few hundred held-out incidents otherwise picks noise; where the inner
       validation cannot tell the candidates apart, the forecast *is* the ensemble.
    3. The same test, against the chosen base, keeps the best near-repeat term, then (when
       asked for) the best context-intensity term; with ``context`` layers the covariate GLM is
       kept only if, fitted on one half of the last fold's held-out days (even or odd days), it
       wins on the other half, both ways, and the day-block bootstrap of its pooled per-day
       gains rejects "no gain" at 5 %.

Candidates: blends 0, 0.25, ..., 1; half-lives 30, 60, 120 days and none; bandwidths from one cell
to 24 cells, the rule of thumb times 1, 1.5 and 2, and 2 and 3 km (the wide kernels sparse data
need). Kernel computation: incidents are aggregated per cell and placed at the mean location of
the cell's incidents; the kernel is evaluated at cell centroids and weighted by cell area.

References
----------
Caplan, J. M., Kennedy, L. W., & Miller, J. (2011). Risk terrain modeling. *Justice Quarterly*,
28(2), 360-381.

Cohen, J., Gorr, W. L., & Olligschlaeger, A. M. (2007). Leading indicators and spatial
interactions: a crime-forecasting model for proactive police deployment. *Geographical
Analysis*, 39(1), 105-127.

Chainey, S., Tompson, L., & Uhlig, S. (2008). The utility of hotspot mapping for predicting spatial
patterns of crime. *Security Journal*, 21(1-2), 4-28.

Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P., & Tita, G. E. (2011).
Self-exciting point process modeling of crime. *JASA*, 106(493), 100-108.

White, H. (2000). A reality check for data snooping. *Econometrica*, 68(5), 1097-1126.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apk_geo import _validate, forecast_kernels, forecast_select, riskterms
from apk_geo.capture import capture_curve, selection_weights
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError
from apk_geo.forecast_inputs import (
    DEFAULT_BANDWIDTH_CELLS,
    _candidate_bandwidths,
    _candidate_half_lives,
    _cell_positions,
    _cell_size_m,
    _check_inputs,
    _check_options,
    _ensemble_candidates,
    align_time,
    ensemble_bandwidths,
    intensity_layers,
)
from apk_geo.forecast_terms import (
    Objective,
    _Choice,
    _FoldFit,
    _intensity_share,
    _Key,
    _Space,
    _Training,
    _try_covariates,
    _try_intensity,
    _try_near_repeat,
    _Tuning,
    _weights,
)
from apk_geo.surfaces import _Data, _rank, _subset

__all__ = [
    "DEFAULT_BANDWIDTH_CELLS",
    "DEFAULT_BLENDS",
    "DEFAULT_HALF_LIFE_SHARES",
    "DEFAULT_HALF_LIVES_DAYS",
    "FORECAST_COLUMNS",
    "align_time",
    "capture_curve",
    "ensemble",
    "ensemble_bandwidths",
    "forecast",
    "selection_weights",
]

logger = logging.getLogger(__name__)


#: Candidate blend weights of the KDE part (0 = counts only, 1 = KDE only).
DEFAULT_BLENDS: Final = (0.0, 0.25, 0.5, 0.75, 1.0)
#: The reference blend (the equal-weight ensemble of counts and KDE).
REFERENCE_BLEND: Final = 0.5

#: Candidate recency half-lives as shares of the training span (None = no recency weighting).
DEFAULT_HALF_LIFE_SHARES: Final[tuple[float | None, ...]] = (None,)
#: Candidate recency half-lives in days, tried besides :data:`DEFAULT_HALF_LIFE_SHARES`.
DEFAULT_HALF_LIVES_DAYS: Final = (30.0, 60.0, 120.0)

#: Share of the training period held out (at its end) by the ensemble's split and the last fold.
DEFAULT_VALIDATION_SHARE: Final = 1 / 3

#: Day-block bootstrap resamples of the held-out days (the reality check).
DEFAULT_N_BOOT: Final = 500

#: Fewest incidents in the fitting and in the validation part of a fold for it to be used.
MIN_FIT_INCIDENTS: Final = 20
MIN_VALIDATION_INCIDENTS: Final = 10

#: Used when there is too little data to tune: bandwidth in cells and blend weight.
FALLBACK: Final = (3.0, 0.5, None)

#: Columns added to the cells by :func:`forecast`.
FORECAST_COLUMNS: Final = ("risk", "expected_n", "rank")


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
    half_lives_days: Sequence[float] = DEFAULT_HALF_LIVES_DAYS,
    validation_share: float = DEFAULT_VALIDATION_SHARE,
    objective: Objective = "capture",
    objective_coverage: float = 0.05,
    horizon_days: float | None = None,
    near_repeat: bool = True,
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
    context_intensity: bool = False,
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
        Candidate KDE bandwidths in metres; default :func:`ensemble_bandwidths` and
        :data:`apk_geo.forecast_inputs.WIDE_BANDWIDTHS_M` (2 and 3 km). Values below the cell
        size are raised to it.
    blends
        Candidate weights of the KDE part, each in [0, 1].
    half_life_shares
        Candidate recency half-lives as shares of the training span (``None`` = every incident
        weighs the same). An incident ``d`` days old weighs ``0.5 ** (d / half_life_days)``.
    half_lives_days
        Further candidate half-lives in days (each > 0); ``()`` for none.
    validation_share
        Share of the training period, at its end, held out by the last fold (the first fold
        holds out 1.5 times as much).
    objective
        ``"capture"``: mean hit rate over the coverages 1 %, 2 %, ..., 10 %; ``"pai"``: PAI at
        ``objective_coverage``.
    objective_coverage
        Coverage for ``objective="pai"`` and for the ensemble's bandwidth rule, in (0, 1].
    horizon_days
        Length of the period that ``expected_n`` refers to; default the last fold's horizon.
    near_repeat
        Whether to try the self-exciting near-repeat term (kept only if it validates).
    context
        Named context layers in the cells' CRS (e.g. ``{"hostels": ..., "stops": ...}``) for
        the covariate GLM; ``None`` or empty: no covariates. A layer with a datetime column
        ``time_col`` (e.g. the city's other incident types) keeps only its rows before ``at``;
        a point layer with a ``weight`` column (e.g. population) gives a weighted density.
    context_intensity
        Whether to try the context-intensity term (the base blended with the KDE of one point
        context layer, or of the pool of the dated ones; kept only if it validates). Off by
        default: on the real sets of ``benchmarks/forecast_eval.py`` it passed the inner
        validation on San Francisco robbery and car theft and then lost 2.0 pp of hit rate at
        5 % on robbery's test months.
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
        best candidate's scores, the reality check's p-value, the gain per fold, which won),
        ``folds``, ``tuned``, ``objective``, ``validation_score`` and ``validation_scores`` (one
        dict per candidate).

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
    if any(not float(h) > 0 for h in half_lives_days):
        raise ParameterError(f"half_lives_days must be > 0, got {list(half_lives_days)!r}")
    if n_boot < 20:
        raise ParameterError(f"n_boot must be at least 20, got {n_boot!r}")
    at_ts = align_time(at, points[time_col], name="at") if at is not None else None
    layers = _context_before(context, at_ts, time_col=time_col)
    space = _space(cells, layers)
    train = _training(points, cells, time_col=time_col, at_ts=at_ts)
    intensity = intensity_layers(layers, cells, t0=train.t0, time_col=time_col)
    space = dataclasses.replace(space, intensity=tuple(intensity))
    tuning = _Tuning(
        bandwidths=_candidate_bandwidths(bandwidths_m, space.cell_size_m, train.data.xy),
        ensemble_bandwidths=_ensemble_candidates(bandwidths_m, space.cell_size_m, train.data.xy),
        blends=tuple(float(b) for b in blends),
        half_lives=_candidate_half_lives(half_life_shares, half_lives_days, train.span_days),
        validation_share=validation_share,
        objective=objective,
        objective_coverage=objective_coverage,
        near_repeat=near_repeat,
        n_boot=n_boot,
        seed=seed,
        context_intensity=context_intensity,
    )
    return _run(cells, train, space, tuning, at_ts=at_ts, horizon_days=horizon_days)


def ensemble(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    at: pd.Timestamp | str | None = None,
    time_col: str = "reported_at",
    validation_share: float = DEFAULT_VALIDATION_SHARE,
    objective_coverage: float = 0.05,
    horizon_days: float | None = None,
) -> gpd.GeoDataFrame:
    """Return the honest ensemble of counts and a quartic KDE (the forecast's reference).

    The equal-weight sum of each cell's share of the training incidents and of their quartic
    KDE, whose bandwidth is the one of :func:`ensemble_bandwidths` with the best PAI at
    ``objective_coverage`` on the last ``validation_share`` of the training period when fitted
    on the rest (ties: the smaller bandwidth). Parameters, output schema and errors are those of
    :func:`forecast`; ``attrs["params"]["method"]`` is ``"ensemble"``.

    Examples
    --------
    >>> base = ensemble(points, cells, at="2019-07-01")  # doctest: +SKIP
    >>> base.attrs["params"]["bandwidth_m"]  # doctest: +SKIP
    600.0
    """
    _check_inputs(points, cells, time_col=time_col)
    _check_options((REFERENCE_BLEND,), (None,), validation_share, objective_coverage, None)
    at_ts = align_time(at, points[time_col], name="at") if at is not None else None
    space = _space(cells, None)
    train = _training(points, cells, time_col=time_col, at_ts=at_ts)
    bandwidths = _ensemble_candidates(None, space.cell_size_m, train.data.xy)
    tuning = _Tuning(
        bandwidths=bandwidths,
        ensemble_bandwidths=bandwidths,
        blends=(REFERENCE_BLEND,),
        half_lives=(None,),
        validation_share=validation_share,
        objective="pai",
        objective_coverage=objective_coverage,
        near_repeat=False,
        n_boot=20,
        seed=0,
        reference_only=True,
    )
    out = _run(cells, train, space, tuning, at_ts=at_ts, horizon_days=horizon_days)
    out.attrs["params"]["method"] = "ensemble"
    return out


def _run(
    cells: gpd.GeoDataFrame,
    train: _Training,
    space: _Space,
    tuning: _Tuning,
    *,
    at_ts: pd.Timestamp | None,
    horizon_days: float | None,
) -> gpd.GeoDataFrame:
    """Choose on the inner folds, refit on every training incident and frame the result."""
    default_horizon = train.span_days * tuning.validation_share
    horizon = float(horizon_days) if horizon_days is not None else default_horizon
    _validate.require_positive(horizon, name="horizon_days")
    choice = _choose(train, space, tuning)
    p = _final_surface(train, space, choice)
    rate_per_day = len(train.data.cell_pos) / train.span_days
    out = _risk_frame(cells, p, rate_per_day=rate_per_day, horizon_days=horizon)
    out.attrs["params"] = _params(train, space, choice, at_ts, horizon, tuning)
    return out


# --------------------------------------------------------------------------------------------
# the steps of forecast
# --------------------------------------------------------------------------------------------
def _space(cells: gpd.GeoDataFrame, context: Mapping[str, gpd.GeoDataFrame] | None) -> _Space:
    area = cells.geometry.area.to_numpy(dtype=float)
    centroids = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    size = _cell_size_m(cells, area)
    layers = {k: v.to_crs(cells.crs) for k, v in (context or {}).items() if len(v)}
    cov, names = riskterms.covariate_features(centroids, layers, floor_m=size)
    lattice = forecast_kernels.lattice_index(centroids, area, size)
    return _Space(area, centroids, size, cov, names, lattice)


def _context_before(
    context: Mapping[str, gpd.GeoDataFrame] | None,
    at_ts: pd.Timestamp | None,
    *,
    time_col: str,
) -> dict[str, gpd.GeoDataFrame]:
    """Return the context layers without their features dated at or after ``at_ts``.

    A layer with a datetime column ``time_col`` (e.g. a city's other incident types) keeps only
    the rows strictly before the forecast time, so nothing from the forecast period reaches the
    covariates; undated rows of such a layer are dropped too. Layers without it are kept whole.
    """
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, layer in (context or {}).items():
        if at_ts is not None and time_col in layer.columns:
            times = layer[time_col]
            if not pd.api.types.is_datetime64_any_dtype(times):
                raise SchemaError(
                    f"context[{name!r}][{time_col!r}] must be a datetime column, got dtype "
                    f"{times.dtype}; parse it with pd.to_datetime or drop the column"
                )
            at_layer = align_time(at_ts, times, name="at")
            layer = layer.loc[(times < at_layer).fillna(False).to_numpy(dtype=bool)]
        out[str(name)] = layer
    return out


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


@dataclass(frozen=True)
class _Tuned:
    """The scored candidates of one training period and the reality check's verdict."""

    folds: list[_FoldFit]
    pool: forecast_select.Pool
    day_sums: dict[Hashable, list[NDArray[np.float64]]]
    scores: dict[Hashable, float]
    reference: _Key
    best: _Key
    verdict: forecast_select.Verdict


def _choose(train: _Training, space: _Space, tuning: _Tuning) -> _Choice:
    """Choose the surface on the inner folds, or fall back when no fold has enough data."""
    folds = _folds(train, space, tuning)
    if not folds:
        return _fallback(tuning, space, len(train.data.cell_pos))
    fold_records = [
        {"origin_days": f.fold.origin_days, "n_fit": len(f.fit.cell_pos),
         "n_validation": len(f.fold.cell_pos)}
        for f in folds
    ]  # fmt: skip
    if tuning.reference_only:
        return _Choice(
            *_reference(folds[-1], space, tuning), tuned=True, folds=fold_records,
            selection={"rule": forecast_select.ENSEMBLE_RULE, "chosen": "reference"},
        )  # fmt: skip
    tuned = _tune(train, space, tuning, folds)
    nested = _nested_check(train, space, tuning, tuned) if tuned.verdict.replaces else None
    replaces = nested is not None and bool(nested["confirmed"])
    chosen = tuned.best if replaces else tuned.reference
    choice = _Choice(*chosen, tuned=True, folds=fold_records)
    choice.selection = {
        "rule": forecast_select.SELECTION_RULE,
        "reference": forecast_select.key_record(tuned.reference, tuned.scores[tuned.reference]),
        "best": forecast_select.key_record(tuned.best, tuned.scores[tuned.best]),
        **forecast_select.verdict_record(tuned.verdict),
        "nested_check": nested,
        "chosen": "best" if replaces else "reference",
    }
    bases = [f.surfaces.share(*chosen, now_days=f.fold.origin_days) for f in folds]
    if tuning.near_repeat:
        bases = _try_near_repeat(choice, bases, folds, tuned.pool, space, tuning)
    if tuning.context_intensity and space.intensity:
        bases = _try_intensity(choice, bases, folds, tuned.pool, space, tuning)
    if space.covariates.shape[1]:
        _try_covariates(choice, bases[-1], folds[-1].fold, space, tuning)
    choice.scores = [
        {"bandwidth_m": k[0], "blend": k[1], "half_life_days": k[2], "score": v}
        for k, v in tuned.scores.items()
        if isinstance(k, tuple)
    ]
    logger.info(
        "forecast: %d folds: bandwidth %.0f m, blend %.2f, half-life %s days, near repeat %s, "
        "covariates %s (%s; reality check p = %.3f)",
        len(folds), choice.bandwidth_m, choice.blend, choice.half_life_days,
        choice.near_repeat, choice.covariates is not None, choice.selection["chosen"],
        tuned.verdict.p_value,
    )  # fmt: skip
    return choice


def _tune(train: _Training, space: _Space, tuning: _Tuning, folds: list[_FoldFit]) -> _Tuned:
    """Score every candidate on the folds and test the best against the reference."""
    reference = _reference(folds[-1], space, tuning)
    n_days = math.floor(train.span_days) + 1
    pool = forecast_select.make_pool(
        [f.fold for f in folds], n_days=n_days, n_boot=tuning.n_boot, seed=tuning.seed
    )
    day_sums: dict[Hashable, list[NDArray[np.float64]]] = dict(
        _score_candidates(folds, space, tuning, n_days).items()
    )
    scores = {k: float(pool.pooled(v).sum()) for k, v in day_sums.items()}
    keys: list[_Key] = [k for k in day_sums if isinstance(k, tuple)]
    best = max(keys, key=lambda k: (scores[k], *forecast_select.simplicity(k)))
    verdict = forecast_select.reality_check(day_sums, reference, best, pool)
    return _Tuned(folds, pool, day_sums, scores, reference, best, verdict)


def _nested_check(
    train: _Training, space: _Space, tuning: _Tuning, tuned: _Tuned
) -> dict[str, Any]:
    """Return whether the selection, repeated before the last fold, departs and wins there.

    The same rule is run on the training incidents before the last fold's origin (its own
    folds, its own reference); its choice and its reference, both fitted before that origin,
    are compared on the last fold's held-out incidents. A departure that would not have paid
    off one level down is not trusted (the inner folds fit on less data than the final
    surface, which favours smoother candidates).
    """
    origin = tuned.folds[-1].fold.origin_days
    sub = _Training(_subset(train.data, train.data.t_days < origin), train.t0, train.end, origin)
    sub_folds = _folds(sub, space, tuning)
    if not sub_folds:
        return {"confirmed": False, "inner": "too little data"}
    inner = _tune(sub, space, tuning, sub_folds)
    if not inner.verdict.replaces:
        return {"confirmed": False, "inner": "reference", "p": inner.verdict.p_value}
    last = {k: v[-1] for k, v in tuned.day_sums.items()}
    gain = float(last[inner.best].sum() - last[inner.reference].sum())
    record = forecast_select.key_record(inner.best, inner.scores[inner.best])
    return {"confirmed": gain > 0, "inner": record, "gain_on_last_fold": gain}


def _folds(train: _Training, space: _Space, tuning: _Tuning) -> list[_FoldFit]:
    """Return the usable rolling-origin folds, the last one at ``1 - validation_share``."""
    share = tuning.validation_share
    origins = [1 - share] if tuning.reference_only else [1 - 1.5 * share, 1 - share]
    max_bw = max([*tuning.bandwidths, *tuning.ensemble_bandwidths])
    out: list[_FoldFit] = []
    for o in origins:
        if o <= 0:
            continue
        origin = o * train.span_days
        fit_mask = train.data.t_days < origin
        n_fit, n_val = int(fit_mask.sum()), int((~fit_mask).sum())
        if n_fit < MIN_FIT_INCIDENTS or n_val < MIN_VALIDATION_INCIDENTS:
            continue
        fit = _subset(train.data, fit_mask)
        day = np.floor(train.data.t_days[~fit_mask]).astype(np.intp)
        fold = forecast_select.Fold(origin, train.data.cell_pos[~fit_mask], day)
        out.append(_FoldFit(fold, fit, space.surfaces(fit, max_bw)))
    if out and out[-1].fold.origin_days != (1 - share) * train.span_days:
        return []  # the ensemble's own split is too small: fall back
    return out


def _reference(last: _FoldFit, space: _Space, tuning: _Tuning) -> _Key:
    """Return the ensemble candidate: its bandwidth by held-out PAI on the last fold."""
    blend = min(tuning.blends, key=lambda b: (abs(b - REFERENCE_BLEND), b))
    half_life = None if None in tuning.half_lives else max(h or 0.0 for h in tuning.half_lives)
    cells = last.fold.cell_pos

    def pai(bw: float) -> float:
        p = last.surfaces.share(bw, blend, half_life, now_days=last.fold.origin_days)
        return float(_weights(p, space, tuning)[1][cells].sum())

    bw = max(tuning.ensemble_bandwidths, key=lambda b: (pai(b), -b))
    return (bw, blend, half_life)


def _fallback(tuning: _Tuning, space: _Space, n_train: int) -> _Choice:
    """Return the candidates closest to :data:`FALLBACK` (too little data to tune)."""
    bw = min(
        tuning.ensemble_bandwidths, key=lambda b: (abs(b - FALLBACK[0] * space.cell_size_m), b)
    )
    blend = min(tuning.blends, key=lambda b: (abs(b - FALLBACK[1]), b))
    half_life = None if None in tuning.half_lives else tuning.half_lives[-1]
    logger.warning(
        "forecast: too few incidents to tune (%d in all; a fold needs %d before and %d after its"
        " origin); using bandwidth %.0f m and blend %.2f",
        n_train, MIN_FIT_INCIDENTS, MIN_VALIDATION_INCIDENTS, bw, blend,
    )  # fmt: skip
    return _Choice(
        bandwidth_m=bw,
        blend=blend,
        half_life_days=half_life,
        tuned=False,
        selection={"rule": "fallback (too little data to tune)", "chosen": "fallback"},
    )


def _score_candidates(
    folds: list[_FoldFit], space: _Space, tuning: _Tuning, n_days: int
) -> dict[_Key, list[NDArray[np.float64]]]:
    """Return every (bandwidth, blend, half-life) candidate's per-day sums on every fold."""
    out: dict[_Key, list[NDArray[np.float64]]] = {}
    for f in folds:
        counts_only: dict[float | None, NDArray[np.float64]] = {}  # blend 0: no kernel at all
        for bw in tuning.bandwidths:
            kernel = f.surfaces.kernel(bw)
            for half_life in tuning.half_lives:
                src_w = f.surfaces.source_weights(half_life, now_days=f.fold.origin_days)
                counts_share = f.surfaces.count_share(src_w)
                kde_share = f.surfaces.kde_share(kernel, src_w)
                for blend in tuning.blends:
                    if blend == 0 and half_life in counts_only:
                        sums = counts_only[half_life]
                    else:
                        p = (1 - blend) * counts_share + blend * kde_share
                        sums = f.fold.day_sums(_weights(p, space, tuning)[0], n_days)
                        if blend == 0:
                            counts_only[half_life] = sums
                    out.setdefault((bw, blend, half_life), []).append(sums)
    return out


def _final_surface(train: _Training, space: _Space, choice: _Choice) -> NDArray[np.float64]:
    """Refit the chosen surface (and kept terms) on every training incident."""
    surfaces = space.surfaces(train.data, choice.bandwidth_m, exact=True)
    p = surfaces.share(
        choice.bandwidth_m, choice.blend, choice.half_life_days, now_days=train.span_days
    )
    if choice.near_repeat is not None:
        nr = riskterms.near_repeat_share(
            train.data.xy, train.data.t_days, space.centroids,
            now_days=train.span_days, radius_m=choice.near_repeat["radius_m"],
            decay_days=choice.near_repeat["decay_days"],
        )  # fmt: skip
        theta = choice.near_repeat["weight"]
        p = (1 - theta) * p + theta * nr
    if choice.intensity is not None:
        layer = next(la for la in space.intensity if la.name == choice.intensity["layer"])
        share = _intensity_share(layer, space, choice.bandwidth_m, before=train.span_days)
        if share is not None:
            gamma = choice.intensity["weight"]
            p = (1 - gamma) * p + gamma * share
    if choice.covariates is not None:
        p = choice.covariates.share(p, space.covariates)
    return p


def _params(
    train: _Training,
    space: _Space,
    choice: _Choice,
    at_ts: pd.Timestamp | None,
    horizon: float,
    tuning: _Tuning,
) -> dict[str, Any]:
    """Return the JSON-ready ``attrs["params"]`` of the forecast."""
    covariates = None
    if choice.covariates is not None:
        coef = dict(zip(space.covariate_names, choice.covariates.coef.tolist()[1:], strict=True))
        suffix = riskterms.DENSITY_SUFFIX
        covariates = {
            "model": "Poisson GLM (log base share + log distance and log density per layer)",
            "layers": list(dict.fromkeys(n.removesuffix(suffix) for n in space.covariate_names)),
            "features": space.covariate_names,
            "coef_log_base": choice.covariates.coef.tolist()[0],
            "coef_log_distance": {k: v for k, v in coef.items() if not k.endswith(suffix)},
            "coef_log_density": {
                k.removesuffix(suffix): v for k, v in coef.items() if k.endswith(suffix)
            },
        }
    key = (choice.bandwidth_m, choice.blend, choice.half_life_days)
    chosen = next(
        (s["score"] for s in choice.scores
         if (s["bandwidth_m"], s["blend"], s["half_life_days"]) == key),
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
        "half_life_days": choice.half_life_days,
        "components": {
            "counts": choice.blend < 1,
            "kde": choice.blend > 0,
            "time_decay": choice.half_life_days is not None,
            "near_repeat": choice.near_repeat,
            "context_intensity": choice.intensity,
            "covariates": covariates,
        },
        "selection": choice.selection,
        "folds": choice.folds,
        "bandwidth_candidates_m": tuning.bandwidths,
        "ensemble_bandwidth_candidates_m": tuning.ensemble_bandwidths,
        "half_life_candidates_days": list(tuning.half_lives),
        "horizon_days": horizon,
        "tuned": choice.tuned,
        "validation_share": tuning.validation_share,
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
