r"""Stacking of the forecast's surfaces: the mixture that best predicts held-out incidents.

Private to :mod:`apk_geo.forecast`. Instead of choosing *one* surface (a bandwidth and a blend of
counts and KDE), the forecast's default base is a convex mixture of all of them,

.. math::

    p_j(w) = \sum_k w_k\, s_{kj}, \qquad w_k \ge 0,\quad \sum_k w_k = 1,

whose weights maximise the held-out log score of the inner folds: fitted before each fold's
origin, the mixture is scored by the mean log share it gives the cells of the incidents after
the origin (a strictly proper scoring rule; Gneiting & Raftery 2007). This is *stacking* of
predictive distributions (Wolpert 1992; Breiman 1996; Yao, Vehtari, Simpson & Gelman 2018). The
log score uses every held-out incident, not only those that fall in the top few percent of the
cells, so it is far less noisy than a hit rate, and averaging surfaces is less variable than
picking the best of them.

The weights are shrunk towards a *prior* mixture (the honest ensemble: counts and its KDE, half
and half) by ``prior_incidents`` pseudo-incidents, a Dirichlet prior
:math:`\mathrm{Dir}(1 + \alpha\pi)`: where the folds hold few incidents the mixture stays near
the ensemble; where they hold hundreds, the data decide. The objective

.. math::

    \frac{1}{F}\sum_f \sum_j n_{fj} \log p^{(f)}_j(w) + \alpha \sum_k \pi_k \log w_k

(:math:`n_{fj}` held-out incidents of fold :math:`f` in cell :math:`j`, :math:`p^{(f)}` the
mixture of the surfaces fitted before its origin) is concave in :math:`w`; the EM iteration of
mixture weights (Dempster, Laird & Rubin 1977) climbs it monotonically to its maximum.

References
----------
Breiman, L. (1996). Stacked regressions. *Machine Learning*, 24(1), 49-64.

Dempster, A. P., Laird, N. M., & Rubin, D. B. (1977). Maximum likelihood from incomplete data
via the EM algorithm. *JRSS B*, 39(1), 1-38.

Gneiting, T., & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
estimation. *JASA*, 102(477), 359-378.

Wolpert, D. H. (1992). Stacked generalization. *Neural Networks*, 5(2), 241-259.

Yao, Y., Vehtari, A., Simpson, D., & Gelman, A. (2018). Using stacking to average Bayesian
predictive distributions. *Bayesian Analysis*, 13(3), 917-1007.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from apk_geo.errors import ParameterError

#: Most EM iterations, and the gain of the objective per incident (nats) below which the
#: iteration has converged (EM climbs the concave objective monotonically).
MAX_ITERATIONS: Final = 20_000
TOLERANCE: Final = 1e-10


@dataclass(frozen=True)
class StackFit:
    """The stacking weights and how they were found."""

    weights: NDArray[np.float64]  # one per component, >= 0, summing to 1
    iterations: int
    converged: bool


def stack_weights(
    components: Sequence[NDArray[np.float64]],
    counts: Sequence[NDArray[np.float64]],
    *,
    prior: NDArray[np.float64],
    prior_incidents: float,
    max_iterations: int = MAX_ITERATIONS,
    tolerance: float = TOLERANCE,
) -> StackFit:
    """Return the mixture weights with the best held-out log score, shrunk towards ``prior``.

    Parameters
    ----------
    components
        Per fold, an ``(n_cells, K)`` matrix whose column ``k`` is component ``k``'s share of
        each cell, fitted before the fold's origin (each column sums to 1). Every cell with a
        held-out incident must get a positive share from some component.
    counts
        Per fold, the held-out incidents in each cell (``n_cells``).
    prior
        The prior mixture: ``K`` weights >= 0 summing to 1.
    prior_incidents
        How many held-out incidents the prior counts as (>= 0; 0: the plain maximum).
    max_iterations, tolerance
        EM stops when an iteration raises the objective by at most ``tolerance`` nats per
        incident (held-out and pseudo), or after ``max_iterations``.

    Returns
    -------
    StackFit
        The weights, the number of iterations and whether they converged.

    Raises
    ------
    ParameterError
        If the shapes disagree, ``prior`` is not a mixture, ``prior_incidents`` is negative,
        there is nothing to fit (no held-out incident and no prior), or a cell with a held-out
        incident gets no share from any component.
    """
    prior = np.asarray(prior, dtype=float)
    n_comp = len(prior)
    _check(components, counts, prior, prior_incidents)
    # only the cells with held-out incidents matter
    rows = [(np.asarray(s)[n > 0], np.asarray(n)[n > 0]) for s, n in zip(components, counts)]
    n_folds = len(rows)
    total = sum(float(n.sum()) for _, n in rows) / n_folds + prior_incidents
    w = np.full(n_comp, 1.0 / n_comp)
    pseudo = prior_incidents * prior
    previous = -np.inf
    for it in range(1, max_iterations + 1):
        resp = np.zeros(n_comp)
        value = float(pseudo[pseudo > 0] @ np.log(w[pseudo > 0]))
        for s, n in rows:
            mix = s @ w
            resp += (n / mix) @ s * w
            value += float(n @ np.log(mix)) / n_folds
        if value - previous <= tolerance * total:
            return StackFit(w / w.sum(), it, converged=True)
        previous = value
        w = (resp / n_folds + pseudo) / total
    return StackFit(w / w.sum(), max_iterations, converged=False)


def log_score(
    components: Sequence[NDArray[np.float64]],
    counts: Sequence[NDArray[np.float64]],
    weights: NDArray[np.float64],
) -> float:
    """Return the mean over the folds of the held-out incidents' mean log share (nats).

    ``-inf`` when a held-out incident falls in a cell the mixture gives no share.
    """
    scores = []
    for s, n in zip(components, counts, strict=True):
        held = np.asarray(n) > 0
        if not held.any():
            continue
        mix = np.asarray(s)[held] @ weights
        with np.errstate(divide="ignore"):
            scores.append(float(np.asarray(n)[held] @ np.log(mix)) / float(np.sum(n)))
    return float(np.mean(scores)) if scores else float("nan")


def _check(
    components: Sequence[NDArray[np.float64]],
    counts: Sequence[NDArray[np.float64]],
    prior: NDArray[np.float64],
    prior_incidents: float,
) -> None:
    n_comp = len(prior)
    if len(components) != len(counts) or not components:
        raise ParameterError(
            f"components and counts need one entry per fold, got {len(components)} and "
            f"{len(counts)}"
        )
    for f, (s, n) in enumerate(zip(components, counts, strict=True)):
        if np.ndim(s) != 2 or np.shape(s)[1] != n_comp or np.shape(s)[0] != len(n):
            raise ParameterError(
                f"fold {f}: components must be (n_cells, {n_comp}) for {len(n)} cells, got "
                f"{np.shape(s)}"
            )
        held = np.asarray(n) > 0
        if np.any(np.asarray(s)[held].sum(axis=1) <= 0):
            raise ParameterError(
                f"fold {f}: a cell with held-out incidents gets no share from any component; "
                "add a component that covers every cell (e.g. a uniform one)"
            )
    if n_comp == 0 or np.any(prior < 0) or not np.isclose(prior.sum(), 1.0):
        raise ParameterError(f"prior must be weights >= 0 summing to 1, got {prior.tolist()}")
    if not prior_incidents >= 0:
        raise ParameterError(f"prior_incidents must be >= 0, got {prior_incidents!r}")
    if prior_incidents == 0 and not any(float(np.sum(n)) > 0 for n in counts):
        raise ParameterError("nothing to fit: no held-out incident and no prior")
