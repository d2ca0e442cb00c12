"""The forecast's shared records and the terms it may add to its base surface.

Private to :mod:`apk_geo.forecast`: what the surfaces need of the cells (:class:`_Space`), the
training incidents (:class:`_Training`), the candidates and the rule (:class:`_Tuning`), the
choice being built (:class:`_Choice`), one inner fold (:class:`_FoldFit`), the objective's cell
weights (:func:`_weights`), and the three terms tried after the base is chosen, each kept only
if the inner validation says so: the self-exciting near-repeat term (Mohler et al. 2011), the
context-intensity term (a point context layer's KDE as a leading indicator; Cohen, Gorr &
Olligschlaeger 2007) and the risk-terrain covariate GLM (Caplan, Kennedy & Miller 2011).

References
----------
Cohen, J., Gorr, W. L., & Olligschlaeger, A. M. (2007). Leading indicators and spatial
interactions: a crime-forecasting model for proactive police deployment. *Geographical
Analysis*, 39(1), 105-127.

Caplan, J. M., Kennedy, L. W., & Miller, J. (2011). Risk terrain modeling. *Justice Quarterly*,
28(2), 360-381.

Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P., & Tita, G. E. (2011).
Self-exciting point process modeling of crime. *JASA*, 106(493), 100-108.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apk_geo import forecast_kernels, forecast_select, riskterms
from apk_geo.forecast_inputs import INTENSITY_WEIGHTS, IntensityLayer
from apk_geo.forecast_kernels import _top_weights
from apk_geo.surfaces import _Data

#: Near-repeat candidates: weights theta, decay times omega (days), kernel radius in cells.
NEAR_REPEAT_WEIGHTS: Final = (0.1, 0.25)
NEAR_REPEAT_DECAY_DAYS: Final = (7.0, 30.0)
NEAR_REPEAT_RADIUS_CELLS: Final = 1.5

#: Coverages averaged by the ``"capture"`` objective.
_CAPTURE_COVERAGES: Final = np.arange(1, 11) / 100

Objective = Literal["pai", "capture"]
_Key = tuple[float, float, float | None]  # bandwidth (m), blend, half-life (days) or None


@dataclass(frozen=True)
class _Space:
    """What the surfaces need of the cells: their area, centroids, size and covariates."""

    area: NDArray[np.float64]
    centroids: NDArray[np.float64]
    cell_size_m: float
    covariates: NDArray[np.float64]
    covariate_names: list[str]
    lattice: tuple[tuple[NDArray[np.intp], NDArray[np.intp]], tuple[int, int]] | None
    intensity: tuple[IntensityLayer, ...] = ()

    def surfaces(
        self, data: _Data, max_bandwidth_m: float, *, exact: bool = False
    ) -> forecast_kernels.Surfaces:
        """Return the kernel surfaces of ``data`` (FFT on a square lattice, else pairwise).

        ``exact`` asks for the pairwise surfaces (each source at the mean location of its
        cell's incidents) unless they would need more than
        :data:`~apk_geo.forecast_kernels.MAX_EXACT_PAIRS` (source, cell) pairs.
        """
        lattice = self.lattice
        if exact and forecast_kernels.exact_is_affordable(
            data, max_bandwidth_m=max_bandwidth_m, cell_size_m=self.cell_size_m
        ):
            lattice = None
        return forecast_kernels.make_surfaces(
            data, self.centroids, self.area, max_bandwidth_m=max_bandwidth_m,
            cell_size_m=self.cell_size_m, lattice=lattice,
        )  # fmt: skip


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
    ensemble_bandwidths: list[float]
    blends: tuple[float, ...]
    half_lives: tuple[float | None, ...]  # days
    validation_share: float
    objective: Objective
    objective_coverage: float
    near_repeat: bool
    n_boot: int
    seed: int
    reference_only: bool = False
    context_intensity: bool = False


@dataclass
class _Choice:
    """The parameters chosen for the final surface and what the validation said."""

    bandwidth_m: float
    blend: float
    half_life_days: float | None
    tuned: bool
    scores: list[dict[str, Any]] = field(default_factory=list)
    selection: dict[str, Any] = field(default_factory=dict)
    near_repeat: dict[str, float] | None = None
    intensity: dict[str, Any] | None = None
    covariates: riskterms.CovariateModel | None = None
    folds: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _FoldFit:
    """One inner fold: its held-out incidents, its fitting incidents and their surfaces."""

    fold: forecast_select.Fold
    fit: _Data
    surfaces: forecast_kernels.Surfaces


def _weights(
    p: NDArray[np.float64], space: _Space, tuning: _Tuning
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return each cell's weight in the objective and its weight in PAI at the coverage."""
    cov = tuning.objective_coverage
    n_obj = len(_CAPTURE_COVERAGES)
    combine = np.zeros((n_obj + 1, 2))
    combine[:n_obj, 0] = 1 / n_obj  # the mean hit rate over 1 %, ..., 10 %
    combine[n_obj, 1] = 1 / cov  # PAI at the objective coverage
    w = _top_weights(p, space.area, np.r_[_CAPTURE_COVERAGES, cov], combine)
    if tuning.objective == "pai":
        return w[:, 1], w[:, 1]
    return w[:, 0], w[:, 1]


_Surfaces = list[NDArray[np.float64]]


def _best_term(
    candidates: dict[Hashable, _Surfaces],
    folds: list[_FoldFit],
    pool: forecast_select.Pool,
    space: _Space,
    tuning: _Tuning,
) -> tuple[Hashable, forecast_select.Verdict]:
    """Return the best candidate and its reality check against the base.

    ``candidates``: one surface per fold for each key, ``"base"`` among them; the best has the
    highest pooled score over the folds (a tie goes to the base).
    """
    day_sums = {
        key: [
            f.fold.day_sums(_weights(p, space, tuning)[0], pool.n_days)
            for p, f in zip(surfaces, folds, strict=True)
        ]
        for key, surfaces in candidates.items()
    }
    scores = {k: float(pool.pooled(v).sum()) for k, v in day_sums.items()}
    best = max(day_sums, key=lambda k: (scores[k], k == "base"))
    return best, forecast_select.reality_check(day_sums, "base", best, pool)


def _try_near_repeat(
    choice: _Choice,
    bases: _Surfaces,
    folds: list[_FoldFit],
    pool: forecast_select.Pool,
    space: _Space,
    tuning: _Tuning,
) -> _Surfaces:
    """Keep the best near-repeat term if it passes the reality check against the base."""
    radius = NEAR_REPEAT_RADIUS_CELLS * space.cell_size_m
    surfaces: dict[Hashable, _Surfaces] = {"base": bases}
    for omega in NEAR_REPEAT_DECAY_DAYS:
        nrs = [
            riskterms.near_repeat_share(
                f.fit.xy, f.fit.t_days, space.centroids,
                now_days=f.fold.origin_days, radius_m=radius, decay_days=omega,
            )
            for f in folds
        ]  # fmt: skip
        for theta in NEAR_REPEAT_WEIGHTS:
            surfaces[(theta, omega)] = [
                (1 - theta) * b + theta * nr for b, nr in zip(bases, nrs, strict=True)
            ]
    best, verdict = _best_term(surfaces, folds, pool, space, tuning)
    choice.selection["near_repeat"] = {"best": best, **forecast_select.verdict_record(verdict)}
    if not verdict.replaces or not isinstance(best, tuple):
        return bases
    choice.near_repeat = {"weight": best[0], "decay_days": best[1], "radius_m": radius}
    return surfaces[best]


def _try_intensity(
    choice: _Choice,
    bases: _Surfaces,
    folds: list[_FoldFit],
    pool: forecast_select.Pool,
    space: _Space,
    tuning: _Tuning,
) -> _Surfaces:
    """Keep the best context-intensity term if it passes the reality check against the base.

    A candidate blends the base with the KDE share of one point context layer (or of the pool
    of the dated ones), at the base's bandwidth, from the layer's features before each fold's
    origin: a city's other incident types as leading indicators (Cohen et al. 2007), or the
    population at risk.
    """
    bw = choice.bandwidth_m
    surfaces: dict[Hashable, _Surfaces] = {"base": bases}
    for layer in space.intensity:
        maybe = [_intensity_share(layer, space, bw, before=f.fold.origin_days) for f in folds]
        shares = [s for s in maybe if s is not None]
        if len(shares) < len(folds):
            continue
        for gamma in INTENSITY_WEIGHTS:
            surfaces[(layer.name, gamma)] = [
                (1 - gamma) * b + gamma * s for b, s in zip(bases, shares, strict=True)
            ]
    best, verdict = _best_term(surfaces, folds, pool, space, tuning)
    record = {"best": best, "layers": [la.name for la in space.intensity]}
    choice.selection["context_intensity"] = {**record, **forecast_select.verdict_record(verdict)}
    if not verdict.replaces or not isinstance(best, tuple):
        return bases
    choice.intensity = {"layer": best[0], "weight": best[1], "bandwidth_m": bw}
    return surfaces[best]


def _intensity_share(
    layer: IntensityLayer, space: _Space, bandwidth_m: float, *, before: float
) -> NDArray[np.float64] | None:
    """Return each cell's share of the layer's KDE from its features before ``before`` days."""
    data, weight = layer.before(before)
    if len(data.cell_pos) == 0 or not float(weight.sum()) > 0:
        return None
    surf = space.surfaces(data, bandwidth_m)
    src_w = np.bincount(surf.inverse, weights=weight, minlength=len(surf.occupied))
    return surf.kde_share(surf.kernel(bandwidth_m), np.asarray(src_w, dtype=float))


def _try_covariates(
    choice: _Choice,
    base: NDArray[np.float64],
    fold: forecast_select.Fold,
    space: _Space,
    tuning: _Tuning,
) -> None:
    """Keep the covariate GLM if, cross-fitted on halves of the held-out days, it wins clearly.

    The GLM is fitted on the even days of the last fold's held-out period and scored on the odd
    ones, and the other way round; it is kept only if it gains on both halves *and* the
    day-block bootstrap of the pooled per-day gains rejects "no gain" at
    :data:`~apk_geo.forecast_select.REALITY_CHECK_ALPHA` (the rule every other term meets).
    """
    halves = [fold.day % 2 == k for k in (0, 1)]
    w_base = _weights(base, space, tuning)[0]
    n_days = int(fold.day.max()) + 1 if len(fold.day) else 1
    gains: list[float] = []
    per_day = np.zeros(n_days)
    for fit_half, test_half in (halves, halves[::-1]):
        counts = np.bincount(fold.cell_pos[fit_half], minlength=len(base)).astype(float)
        model = riskterms.fit_covariate_model(base, space.covariates, counts)
        w = _weights(model.share(base, space.covariates), space, tuning)[0]
        cells = fold.cell_pos[test_half]
        diff = (w[cells] - w_base[cells]) / max(len(cells), 1)
        per_day += np.bincount(fold.day[test_half], weights=diff, minlength=n_days)
        gains.append(float(diff.sum()))
    p = forecast_select.gain_p_value(per_day, n_boot=tuning.n_boot, seed=tuning.seed)
    choice.selection["covariates"] = {
        "gain_per_half": gains, "bootstrap_p": p, "layers": space.covariate_names,
    }  # fmt: skip
    if all(g > 0 for g in gains) and p < forecast_select.REALITY_CHECK_ALPHA:
        counts = np.bincount(fold.cell_pos, minlength=len(base)).astype(float)
        choice.covariates = riskterms.fit_covariate_model(base, space.covariates, counts)
