r"""The optional terms of the forecast: near repeats, risk-terrain covariates, a bandwidth rule.

:func:`apk_geo.forecast.forecast` blends cell counts with a kernel density surface; these are the
extra terms it may add, each kept only when its inner validation (on the training data alone)
says so.

Near repeats (self-excitation)
    Mohler et al. (2011) model crime as a self-exciting point process: every incident raises the
    rate nearby for a while. :func:`near_repeat_share` is the triggering part of that model as a
    cell surface: each training incident contributes
    :math:`e^{-(T - t_i)/\omega}\,K_\sigma(x - x_i)` (quartic kernel of radius :math:`\sigma`,
    exponential decay with mean time :math:`\omega`, :math:`T` the forecast time), normalised
    to shares.
Risk-terrain covariates
    Caplan, Kennedy & Miller (2011): places near certain features (hostels, socially excluded
    localities, public-transport stops, schools, any point layer a city adds) attract
    incidents. :func:`covariate_features` gives each cell the log distance from its centre to
    the nearest feature of every layer; :func:`fit_covariate_model` fits a Poisson GLM
    (:class:`sklearn.linear_model.PoissonRegressor`) of held-out counts on those features and the
    log of the base surface, so the covariates can only re-weight the base, not replace it.
Rule-of-thumb bandwidth
    :func:`rule_of_thumb_m` is the spatial Silverman rule that ArcGIS Pro uses (the same formula
    as :func:`apk_geo.kde.auto_bandwidth_m`, restated here because the analysis modules are
    independent of each other).

References
----------
Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P., & Tita, G. E. (2011).
Self-exciting point process modeling of crime. *Journal of the American Statistical
Association*, 106(493), 100-108.

Caplan, J. M., Kennedy, L. W., & Miller, J. (2011). Risk terrain modeling: brokering
criminological theory and GIS methods for crime forecasting. *Justice Quarterly*, 28(2), 360-381.

Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*, eq. 3.31.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree

logger = logging.getLogger(__name__)

__all__ = [
    "CovariateModel",
    "covariate_features",
    "fit_covariate_model",
    "near_repeat_share",
    "rule_of_thumb_m",
]

#: Floor added to shares before taking logs (a cell with no mass still gets a finite feature).
_LOG_FLOOR: Final = 1e-6

#: L2 penalty of the Poisson GLM on standardised features (sklearn's ``alpha``).
GLM_ALPHA: Final = 1e-4


def rule_of_thumb_m(xy: NDArray[np.float64]) -> float:
    """Return ``0.9 · min(SD, sqrt(1/ln 2) · D_m) · n^-0.2`` for points ``xy`` (metres).

    ``SD`` is the standard distance, ``D_m`` the median distance to the mean centre. Returns 0
    for fewer than two distinct points.
    """
    if len(xy) < 2:
        return 0.0
    centre = xy.mean(axis=0)
    sd = float(math.sqrt(float(np.sum(xy.var(axis=0)))))
    dm = float(np.median(np.hypot(xy[:, 0] - centre[0], xy[:, 1] - centre[1])))
    return float(0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * len(xy) ** -0.2)


def near_repeat_share(
    xy: NDArray[np.float64],
    t_days: NDArray[np.float64],
    centroids: NDArray[np.float64],
    *,
    now_days: float,
    radius_m: float,
    decay_days: float,
) -> NDArray[np.float64]:
    """Return each cell's share of the self-exciting (near-repeat) triggering surface.

    Parameters
    ----------
    xy, t_days
        Incident coordinates (n, 2) and times in days.
    centroids
        Cell centres (m, 2).
    now_days
        Forecast time on the same day scale.
    radius_m
        Radius of the quartic spatial kernel.
    decay_days
        Mean time of the exponential decay (``omega``).

    Returns
    -------
    numpy.ndarray
        Shares summing to 1 (all zero when no incident reaches a cell centre).
    """
    weight = np.exp(-(now_days - t_days) / decay_days)
    pairs = cKDTree(centroids).sparse_distance_matrix(
        cKDTree(xy), radius_m, output_type="coo_matrix"
    )
    u = pairs.data / radius_m
    mass = np.bincount(
        pairs.row, weights=(1 - u * u) ** 2 * weight[pairs.col], minlength=len(centroids)
    )
    total = float(mass.sum())
    out: NDArray[np.float64] = np.asarray(mass / total if total > 0 else mass, dtype=float)
    return out


def covariate_features(
    centroids: NDArray[np.float64], layers: Mapping[str, gpd.GeoDataFrame], *, floor_m: float
) -> tuple[NDArray[np.float64], list[str]]:
    """Return ``log(floor_m + distance to the nearest feature)`` per cell and layer.

    Parameters
    ----------
    centroids
        Cell centres (m, 2), in the layers' CRS.
    layers
        Named context layers (points, lines or polygons); empty layers are skipped.
    floor_m
        Added to every distance (the cell size): being inside a feature's cell is "near".

    Returns
    -------
    (numpy.ndarray, list of str)
        The (m, k) feature matrix and the names of the k layers used.
    """
    columns: list[NDArray[np.float64]] = []
    names: list[str] = []
    points = shapely.points(centroids[:, 0], centroids[:, 1])
    for name, layer in layers.items():
        geoms = layer.geometry[~(layer.geometry.isna() | layer.geometry.is_empty)].to_numpy()
        if len(geoms) == 0:
            continue
        tree = shapely.STRtree(geoms)
        idx = tree.nearest(points)
        dist = shapely.distance(points, geoms[idx])
        columns.append(np.log(floor_m + np.asarray(dist, dtype=float)))
        names.append(str(name))
    if not columns:
        return np.empty((len(centroids), 0)), names
    return np.column_stack(columns), names


@dataclass(frozen=True)
class CovariateModel:
    """A fitted Poisson GLM of counts on ``log(base share)`` and the covariates."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float

    def share(
        self, base: NDArray[np.float64], covariates: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Return the model's surface for a base share and the covariates, as shares."""
        x = (_design(base, covariates) - self.mean) / self.scale
        eta = x @ self.coef + self.intercept
        mu = np.exp(eta - float(eta.max()))
        out: NDArray[np.float64] = mu / float(mu.sum())
        return out


def fit_covariate_model(
    base: NDArray[np.float64], covariates: NDArray[np.float64], counts: NDArray[np.float64]
) -> CovariateModel:
    """Fit the Poisson GLM ``counts ~ log(base) + covariates`` (standardised, lightly penalised).

    Parameters
    ----------
    base
        The base surface (shares) fitted before the held-out period.
    covariates
        Per-cell covariates from :func:`covariate_features`.
    counts
        Held-out incidents per cell.
    """
    from sklearn.linear_model import PoissonRegressor

    x = _design(base, covariates)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = PoissonRegressor(alpha=GLM_ALPHA, max_iter=500)
    model.fit((x - mean) / scale, counts)
    return CovariateModel(
        mean=mean,
        scale=scale,
        coef=np.asarray(model.coef_, dtype=float),
        intercept=float(model.intercept_),
    )


def _design(base: NDArray[np.float64], covariates: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.column_stack([np.log(base + _LOG_FLOOR), covariates])
