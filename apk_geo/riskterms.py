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
    the nearest feature of every layer and, for point layers, the log of their kernel density
    (weighted by a ``weight`` column such as population; RTM's two operationalisations,
    Caplan & Kennedy 2016); :func:`fit_covariate_model` fits a Poisson GLM
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

Caplan, J. M., & Kennedy, L. W. (2016). *Risk Terrain Modeling: Crime Prediction and Risk
Reduction*. University of California Press.

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
import pandas as pd
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

#: Column of a context layer holding each feature's weight (e.g. population); such a layer gives
#: a weighted density feature and no proximity feature.
WEIGHT_COLUMN: Final = "weight"

#: Suffix of a layer's density feature name.
DENSITY_SUFFIX: Final = " (density)"

#: Default radius of the density kernel, in multiples of ``floor_m`` (the cell size).
DENSITY_RADIUS_FLOORS: Final = 4.0

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
    return _quartic_share(centroids, xy, weight, radius_m=radius_m)


def _quartic_share(
    centroids: NDArray[np.float64],
    xy: NDArray[np.float64],
    weights: NDArray[np.float64],
    *,
    radius_m: float,
) -> NDArray[np.float64]:
    """Return each centre's share of the weighted quartic kernel sum of the points ``xy``.

    The kernel is ``(1 - (d / radius_m)**2)**2`` within ``radius_m``; all zero when no point
    reaches a centre.
    """
    pairs = cKDTree(centroids).sparse_distance_matrix(
        cKDTree(xy), radius_m, output_type="coo_matrix"
    )
    u = pairs.data / radius_m
    mass = np.bincount(
        pairs.row, weights=(1 - u * u) ** 2 * weights[pairs.col], minlength=len(centroids)
    )
    total = float(mass.sum())
    out: NDArray[np.float64] = np.asarray(mass / total if total > 0 else mass, dtype=float)
    return out


def covariate_features(
    centroids: NDArray[np.float64],
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    floor_m: float,
    density_radius_m: float | None = None,
) -> tuple[NDArray[np.float64], list[str]]:
    """Return the risk-terrain features of every cell: proximity and density per layer.

    Risk terrain modelling operationalises a risk factor as *proximity* to its features or as
    their *density* (Caplan & Kennedy 2016, ch. 3); both are given, on a log scale, so the
    GLM can use either:

    proximity (feature ``name``)
        ``log(floor_m + distance from the cell centre to the nearest feature)``, every layer
        without a :data:`WEIGHT_COLUMN`.
    density (feature ``name`` + :data:`DENSITY_SUFFIX`)
        point layers only: ``log(share + 1 / (100 m))`` where ``share`` is the cell's share
        of the layer's quartic kernel sum of radius ``density_radius_m`` (each point weighted
        by its :data:`WEIGHT_COLUMN` value when the layer has one, e.g. population) and ``m``
        the number of cells.

    Parameters
    ----------
    centroids
        Cell centres (m, 2), in the layers' CRS.
    layers
        Named context layers (points, lines or polygons); empty layers are skipped.
    floor_m
        Added to every distance (the cell size): being inside a feature's cell is "near".
    density_radius_m
        Radius of the density kernel; default :data:`DENSITY_RADIUS_FLOORS` times ``floor_m``.

    Returns
    -------
    (numpy.ndarray, list of str)
        The (m, k) feature matrix and the names of the k features.
    """
    radius = DENSITY_RADIUS_FLOORS * floor_m if density_radius_m is None else density_radius_m
    columns: list[NDArray[np.float64]] = []
    names: list[str] = []
    points = shapely.points(centroids[:, 0], centroids[:, 1])
    for name, layer in layers.items():
        located = layer.loc[~(layer.geometry.isna() | layer.geometry.is_empty).to_numpy()]
        geoms = located.geometry.to_numpy()
        if len(geoms) == 0:
            continue
        weights = _layer_weights(located)
        if weights is None:
            idx = shapely.STRtree(geoms).nearest(points)
            dist = shapely.distance(points, geoms[idx])
            columns.append(np.log(floor_m + np.asarray(dist, dtype=float)))
            names.append(str(name))
        if bool(np.all(shapely.get_type_id(geoms) == 0)):
            xy = shapely.get_coordinates(geoms)
            w = np.ones(len(xy)) if weights is None else weights
            columns.append(_log_density(centroids, xy, w, radius_m=radius))
            names.append(f"{name}{DENSITY_SUFFIX}")
    if not columns:
        return np.empty((len(centroids), 0)), names
    return np.column_stack(columns), names


def _layer_weights(layer: gpd.GeoDataFrame) -> NDArray[np.float64] | None:
    """Return the layer's non-negative :data:`WEIGHT_COLUMN` values, or None without one."""
    if WEIGHT_COLUMN not in layer.columns:
        return None
    values = pd.to_numeric(layer[WEIGHT_COLUMN], errors="coerce").to_numpy(dtype=float)
    out: NDArray[np.float64] = np.clip(np.nan_to_num(values, nan=0.0), 0.0, None)
    return out


def _log_density(
    centroids: NDArray[np.float64],
    xy: NDArray[np.float64],
    weights: NDArray[np.float64],
    *,
    radius_m: float,
) -> NDArray[np.float64]:
    """Return ``log(share + 1/(100 m))`` of the weighted quartic kernel sum at the centres."""
    share = _quartic_share(centroids, xy, weights, radius_m=radius_m)
    out: NDArray[np.float64] = np.log(share + 1.0 / (100 * len(centroids)))
    return out


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
    # Newton steps with a Cholesky solve: a few iterations for the handful of standardised risk
    # features (L-BFGS took ~60 on the demo's collinear log distances, 1.4 s for 3 fits)
    model = PoissonRegressor(alpha=GLM_ALPHA, max_iter=500, solver="newton-cholesky")
    model.fit((x - mean) / scale, counts)
    return CovariateModel(
        mean=mean,
        scale=scale,
        coef=np.asarray(model.coef_, dtype=float),
        intercept=float(model.intercept_),
    )


def _design(base: NDArray[np.float64], covariates: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.column_stack([np.log(base + _LOG_FLOOR), covariates])
