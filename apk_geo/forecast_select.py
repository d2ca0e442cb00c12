"""Inner validation of the forecast: rolling-origin folds and a data-snooping-safe choice.

Private to :mod:`apk_geo.forecast`. The training period is cut at several *origins* (shares of its
span, :data:`FOLD_ORIGINS`); in each fold every candidate surface is fitted on the incidents
before the origin and scored on the incidents from the origin to the end of the training period.
A candidate's score is the mean over the folds; its per-day contributions (whole days of the
training period, shared by the folds whose windows overlap) are kept so that a day-block
bootstrap can resample them together.

The choice among many candidates is a multiple comparison: the best of two hundred candidates
beats the reference on held-out data by chance alone. A candidate therefore replaces the
reference only when White's (2000) *reality check* for data snooping rejects, at level
:data:`REALITY_CHECK_ALPHA`, the hypothesis that no candidate beats the reference (the bootstrap
distribution of the largest centred gain over all candidates, whole days of the training period
resampled), and when the best candidate gains on every fold. The plain (not studentized) check
is conservative where some candidates are poor and noisy (Hansen 2005); that is deliberate: the
folds fit on less data than the final surface, so their verdicts lean towards smoother
candidates, and the forecast should stay with the reference unless the evidence is strong.

References
----------
White, H. (2000). A reality check for data snooping. *Econometrica*, 68(5), 1097-1126.

Hansen, P. R. (2005). A test for superior predictive ability. *Journal of Business & Economic
Statistics*, 23(4), 365-380.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

#: Fold origins as shares of the training span: fit before, validate from there to the end.
FOLD_ORIGINS: Final = (0.5, 2 / 3)

#: Level of the reality check that lets a candidate replace the reference.
REALITY_CHECK_ALPHA: Final = 0.05


@dataclass(frozen=True)
class Fold:
    """One fold: its origin (days) and its held-out incidents' cells and days."""

    origin_days: float
    cell_pos: NDArray[np.intp]  # cell of each held-out incident
    day: NDArray[np.intp]  # day (since the first training incident) of each held-out incident

    def day_sums(self, weights: NDArray[np.float64], n_days: int) -> NDArray[np.float64]:
        """Return, per day, the held-out incidents' summed cell weights over the fold's size."""
        sums = np.bincount(self.day, weights=weights[self.cell_pos], minlength=n_days)
        out: NDArray[np.float64] = np.asarray(sums, dtype=float) / max(len(self.cell_pos), 1)
        return out


@dataclass(frozen=True)
class Pool:
    """The folds of one training period and the day-block bootstrap resamples of its days."""

    folds: tuple[Fold, ...]
    n_days: int
    day_weight: NDArray[np.float64]  # per day: held-out share summed over folds / n_folds
    resample: NDArray[np.float64]  # (n_boot, n_days) multiplicity of each day in a resample

    def pooled(self, per_fold: list[NDArray[np.float64]]) -> NDArray[np.float64]:
        """Return the per-day sums averaged over the folds (their total is the score)."""
        out: NDArray[np.float64] = np.sum(per_fold, axis=0) / len(self.folds)
        return out


def make_pool(folds: list[Fold], *, n_days: int, n_boot: int, seed: int) -> Pool:
    """Return the pool of ``folds`` with ``n_boot`` day-block resamples seeded by ``seed``."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_days, size=(n_boot, n_days))
    resample = np.zeros((n_boot, n_days))
    np.add.at(resample, (np.repeat(np.arange(n_boot), n_days), draws.ravel()), 1.0)
    weight = np.zeros(n_days)
    for fold in folds:
        weight += np.bincount(fold.day, minlength=n_days) / max(len(fold.cell_pos), 1)
    return Pool(tuple(folds), n_days, weight / len(folds), resample)


@dataclass(frozen=True)
class Verdict:
    """What the reality check said about the best candidate against the reference."""

    best: Hashable
    gain: float  # pooled score of the best minus the reference's
    fold_gains: list[float]
    p_value: float
    standard_error: float
    replaces: bool


def reality_check(
    day_sums: Mapping[Hashable, list[NDArray[np.float64]]],
    reference: Hashable,
    best: Hashable,
    pool: Pool,
    *,
    alpha: float = REALITY_CHECK_ALPHA,
) -> Verdict:
    """Return whether ``best`` replaces ``reference`` (White's reality check over every candidate).

    Parameters
    ----------
    day_sums
        Per candidate, the per-fold per-day sums (:meth:`Fold.day_sums`).
    reference
        The key of the reference candidate (kept unless the data clearly say otherwise).
    best
        The key of the best-scoring candidate.
    pool
        The folds and the bootstrap resamples.
    alpha
        Level of the test.
    """
    ref = pool.pooled(day_sums[reference])
    others = [k for k in day_sums if k != reference]
    if not others or best == reference:
        return Verdict(reference, 0.0, [0.0] * len(pool.folds), 1.0, 0.0, replaces=False)
    diffs = np.column_stack([pool.pooled(day_sums[k]) - ref for k in others])  # (days, K)
    gains = diffs.sum(axis=0)
    totals = pool.resample @ pool.day_weight
    # a resample that drew only days without weight says nothing: it is left out of the p-value
    # (counting it as "did not exceed" would make the test too eager to replace the reference)
    boot = (pool.resample[totals > 0] @ diffs) / totals[totals > 0][:, None]
    if len(boot) < 2:
        return Verdict(reference, 0.0, [0.0] * len(pool.folds), 1.0, 0.0, replaces=False)
    centred_max = (boot - gains[None, :]).max(axis=1)
    p_value = float(np.mean(centred_max >= gains.max()))
    k_best = others.index(best)
    fold_gains = [
        float(a.sum() - b.sum()) for a, b in zip(day_sums[best], day_sums[reference], strict=True)
    ]
    replaces = p_value < alpha and all(g > 0 for g in fold_gains)
    se = float(np.std(boot[:, k_best], ddof=1))
    return Verdict(best, float(gains[k_best]), fold_gains, p_value, se, replaces=replaces)


def gain_p_value(per_day: NDArray[np.float64], *, n_boot: int, seed: int) -> float:
    """Return the day-block bootstrap p-value of "no gain" for per-day gains ``per_day``.

    The one-candidate case of :func:`reality_check`: days resampled with replacement
    ``n_boot`` times (seeded by ``seed``), the share of centred resampled totals at least the
    observed total. 1 when the observed total is not positive.
    """
    observed = float(per_day.sum())
    if not observed > 0:
        return 1.0
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(per_day), size=(n_boot, len(per_day)))
    boot = per_day[draws].sum(axis=1)
    return float(np.mean(boot - observed >= observed))


#: The ensemble's bandwidth rule, as ``attrs["params"]["selection"]["rule"]`` states it.
ENSEMBLE_RULE: Final = (
    "the ensemble: blend 0.5, no recency weighting, the bandwidth with the best held-out PAI at "
    "the objective coverage on the last fold (ties: the smaller)"
)
#: The forecast's selection rule, as ``attrs["params"]["selection"]["rule"]`` states it.
SELECTION_RULE: Final = (
    "the ensemble unless the best candidate (mean score over the rolling-origin folds) passes "
    "White's reality check over all candidates at 5 % (day-block bootstrap), "
    "gains on every fold, and the same rule run before the last fold departs too and wins on "
    "it; ties: blend nearest 0.5, no recency, the longer half-life, the smaller bandwidth"
)


def simplicity(key: tuple[float, float, float | None]) -> tuple[float, float, float, float]:
    """Tie-break order of candidates with equal scores (larger = preferred)."""
    bw, blend, half_life = key
    no_decay = 1.0 if half_life is None else 0.0
    return (-abs(blend - 0.5), no_decay, half_life or 0.0, -bw)


def key_record(key: tuple[float, float, float | None], score: float) -> dict[str, Any]:
    """Return a candidate (bandwidth, blend, half-life) and its score as a JSON record."""
    return {"bandwidth_m": key[0], "blend": key[1], "half_life_days": key[2], "score": score}


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """Return what the reality check said, as a JSON record."""
    return {
        "gain": verdict.gain,
        "gain_per_fold": verdict.fold_gains,
        "standard_error": verdict.standard_error,
        "reality_check_p": verdict.p_value,
    }
