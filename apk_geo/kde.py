r"""Kernel density estimation of incidents on a grid, and the dual (ratio) KDE.

The density is evaluated at each cell's centroid:

.. math:: \hat f(c) = \sum_i w_i K_h(\lVert c - p_i \rVert)

with kernels normalised to integrate to 1 over the plane (per m²):

* ``quartic`` (biweight, the default of ArcGIS and CrimeStat): ``K(d) = 3 / (π h²) · (1 − d²/h²)²``
  for ``d < h``, where the bandwidth ``h`` is the search radius;
* ``gaussian``: ``K(d) = 1 / (2π h²) · exp(−d² / 2h²)``, where ``h`` is the standard deviation;
  it is truncated at 4 h (the mass beyond is e⁻⁸ ≈ 0.03 %).

Outputs per cell: ``density_km2`` (incidents per km²) and ``expected_n`` (density × cell area,
incidents expected in the cell; their sum ≈ the number of points whose kernel lies inside the
grid). The dual KDE (:func:`dual_kde`) divides the incident density by the density of another,
weighted point layer (e.g. residents) estimated with the same kernel and bandwidth, and reports the
ratio only where that denominator density is not negligible (at least 5 % of its mean), so that
the fringe of a kernel over an empty area does not show an absurd rate. Pairs of points and
cells closer than the kernel's reach are found with a k-d tree
(:class:`scipy.spatial.cKDTree`), in chunks, so memory stays bounded.

Automatic bandwidth (:func:`auto_bandwidth_m`) — the spatial version of Silverman's rule of thumb
used by ArcGIS Pro's Kernel Density tool, which uses both axes::

    h = 0.9 · min(SD, sqrt(1 / ln 2) · D_m) · n^(−0.2)

where ``SD = sqrt(σx² + σy²)`` is the standard distance (the spread along both axes, weighted if
weights are given), ``D_m`` the (weighted) median distance to the (weighted) mean centre and
``n`` the number of points (or the sum of weights).

References
----------
Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis, eq. 3.31.
Chapman & Hall.
Esri (2024). How Kernel Density works. ArcGIS Pro 3 documentation, "Default search radius
(bandwidth)".
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for predicting spatial
patterns of crime. Security Journal 21, 4–28.
"""

from __future__ import annotations

import logging
import math
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import shapely
from scipy.spatial import cKDTree

from apk_geo import _validate
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError

__all__ = [
    "GAUSSIAN_CUTOFF",
    "MIN_DENOMINATOR_SHARE",
    "Kernel",
    "auto_bandwidth_m",
    "dual_kde",
    "kde",
]

logger = logging.getLogger(__name__)

Kernel = Literal["quartic", "gaussian"]

#: The Gaussian kernel is truncated at this many bandwidths.
GAUSSIAN_CUTOFF: Final = 4.0

#: Dual KDE: the ratio is reported only where the denominator density reaches this share of its
#: mean over the cells where it is positive.
MIN_DENOMINATOR_SHARE: Final = 0.05

#: Pairs of (point, cell) evaluated per chunk, bounding memory (~16 bytes each).
_PAIRS_PER_CHUNK: Final = 4_000_000


def auto_bandwidth_m(points: gpd.GeoDataFrame, *, weights: str | None = None) -> float:
    """Return the automatic bandwidth in metres (ArcGIS/Silverman spatial rule of thumb).

    ``h = 0.9 · min(SD, sqrt(1/ln 2) · D_m) · n^(−0.2)``; see the module docstring.

    Parameters
    ----------
    points
        Points in a projected CRS (at least two distinct locations).
    weights
        Optional column of non-negative point weights (e.g. population); ``n`` is then the sum
        of weights and SD, D_m are weighted.

    Returns
    -------
    float
        The bandwidth in metres (logged): the search radius of the quartic kernel and the
        standard deviation of the Gaussian one.

    Raises
    ------
    CRSError
        If ``points`` is not in a projected CRS.
    InsufficientDataError
        If there are fewer than two points or they all coincide.

    Examples
    --------
    Four points on the corners of a 200 m square (SD = 141.4 m, D_m = 141.4 m, n = 4):
    h = 0.9 · min(141.4, 1.2011 · 141.4) · 4^(−0.2) = 96.5 m.
    """
    _validate.require_projected(points, name="points")
    xy, w = _coords_weights(points, weights=weights)
    if len(xy) < 2 or w.sum() <= 0:
        raise InsufficientDataError(
            f"an automatic bandwidth needs at least two weighted points, got {len(xy)}; "
            f"pass bandwidth_m explicitly"
        )
    total = float(w.sum())
    centre = (xy * w[:, None]).sum(axis=0) / total
    dev = xy - centre
    sd = math.sqrt(float((w * (dev**2).sum(axis=1)).sum()) / total)
    dist = np.hypot(dev[:, 0], dev[:, 1])
    dm = _weighted_median(dist, w)
    spread = min(sd, math.sqrt(1.0 / math.log(2.0)) * dm)
    if spread <= 0:
        spread = sd  # more than half the weight sits on the mean centre
    if spread <= 0:
        raise InsufficientDataError(
            f"all {len(xy)} points lie at one location; pass bandwidth_m explicitly"
        )
    h = 0.9 * spread * total ** (-0.2)
    logger.info(
        "automatic bandwidth: %.1f m (SD %.1f m, median distance %.1f m, n %.1f)", h, sd, dm, total
    )
    return float(h)


def kde(
    points: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    bandwidth_m: float | None = None,
    kernel: Kernel = "quartic",
    weights: str | None = None,
) -> gpd.GeoDataFrame:
    """Estimate the kernel density of ``points`` at the centroid of every cell.

    Parameters
    ----------
    points
        Incident points in the same projected CRS as ``cells``; empty geometries are ignored.
    cells
        A grid from :func:`apk_geo.grid.make_grid` (any polygons work).
    bandwidth_m
        Search radius (quartic) or standard deviation (gaussian) in metres; ``None`` uses
        :func:`auto_bandwidth_m` (logged and recorded).
    kernel
        ``"quartic"`` (default) or ``"gaussian"``.
    weights
        Optional column of non-negative point weights.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with ``density_km2`` (float64, per km²) and ``expected_n``
        (float64, density × cell area). ``attrs["params"]`` adds ``method`` ("kde"),
        ``kernel``, ``bandwidth_m``, ``bandwidth_auto``, ``n_points`` and ``weights``.

    Raises
    ------
    CRSError
        If the CRSs differ or are not projected.
    SchemaError
        If ``weights`` is missing or holds negative values.
    ValueError
        If ``kernel`` is unknown or ``bandwidth_m`` is not positive.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from apk_geo.grid import make_grid
    >>> area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 2000, 2000)], crs="EPSG:5514")
    >>> cells = make_grid(area, cell_size_m=50)
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([1000], [1000]), crs="EPSG:5514")
    >>> round(kde(pts, cells, bandwidth_m=300)["expected_n"].sum(), 2)
    1.0
    """
    _validate.require_projected(cells, name="cells")
    _validate.require_same_crs(points, cells, names=("points", "cells"))
    if kernel not in ("quartic", "gaussian"):
        raise ParameterError(f"kernel must be 'quartic' or 'gaussian', got {kernel!r}")
    auto = bandwidth_m is None
    h = auto_bandwidth_m(points, weights=weights) if bandwidth_m is None else float(bandwidth_m)
    _validate.require_positive(h, name="bandwidth_m")

    xy, w = _coords_weights(points, weights=weights)
    geoms = cells.geometry.to_numpy()
    centres = shapely.get_coordinates(shapely.centroid(geoms))
    density_m2 = _density(xy, w, centres, bandwidth_m=h, kernel=kernel)

    out = cells.copy()
    out["density_km2"] = density_m2 * 1e6
    out["expected_n"] = density_m2 * shapely.area(geoms)
    params: dict[str, Any] = dict(cells.attrs.get("params", {}))
    params.update(
        {
            "method": "kde",
            "kernel": kernel,
            "bandwidth_m": round(h, 3),
            "bandwidth_auto": auto,
            "n_points": len(xy),
            "weights": weights,
        }
    )
    out.attrs["params"] = params
    return out


def dual_kde(
    points: gpd.GeoDataFrame,
    denominators: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    weight_col: str | None = None,
    bandwidth_m: float | None = None,
    kernel: Kernel = "quartic",
    min_denominator_share: float = MIN_DENOMINATOR_SHARE,
) -> gpd.GeoDataFrame:
    """Estimate the ratio of the incident density to the density of another layer.

    Both densities use the same kernel and bandwidth, so the ratio is an incident rate
    smoothed over space (e.g. incidents per resident with ``weight_col="population"``).

    A ratio over an almost empty denominator is noise: at the edge of a kernel, a cell with a
    thousandth of a resident per km² and a few robberies nearby would show thousands of
    robberies per resident and dominate the map. The ratio is therefore reported only where the
    denominator density reaches ``min_denominator_share`` of its mean over the cells where it
    is positive (default 5 %); elsewhere it is NaN, like a cell with no denominator at all.
    The threshold (per km²) and the number of cells it masks are recorded in
    ``attrs["params"]``.

    Parameters
    ----------
    points
        Incident points (numerator), in the CRS of ``cells``.
    denominators
        Points of the denominator layer (e.g. census block centroids), in the same CRS.
    cells
        The grid.
    weight_col
        Column of ``denominators`` holding their weights (population); ``None`` counts them.
    bandwidth_m
        Shared bandwidth; ``None`` uses :func:`auto_bandwidth_m` of the incident points.
    kernel
        ``"quartic"`` or ``"gaussian"``.
    min_denominator_share
        Share (in [0, 1)) of the mean positive denominator density below which the ratio is
        not reported; ``0`` reports it wherever the denominator density is positive.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with ``density_km2`` and ``expected_n`` (incidents),
        ``denominator_density_km2`` (weight per km²) and ``ratio`` (float64, incidents per unit
        of weight; NaN where the denominator density is 0 or below the threshold).
        ``attrs["params"]`` as in :func:`kde` plus ``method`` ("dual_kde"), ``weight_col``,
        ``n_denominators``, ``min_denominator_share``, ``min_denominator_km2`` (the threshold
        used) and ``n_cells_masked`` (cells with a positive denominator density below it).

    Raises
    ------
    CRSError
        If the CRSs differ.
    SchemaError
        If ``weight_col`` is missing or negative.
    ValueError
        If ``min_denominator_share`` is outside [0, 1).

    Examples
    --------
    Incidents per resident, population points (census blocks) as the denominator::

        rate = dual_kde(robberies, blocks, cells, weight_col="population")
        rate.nlargest(10, "ratio")[["cell_id", "ratio", "denominator_density_km2"]]
    """
    _validate.require_same_crs(denominators, cells, names=("denominators", "cells"))
    share = float(min_denominator_share)
    if not 0.0 <= share < 1.0:
        raise ParameterError(
            f"min_denominator_share must be in [0, 1), got {min_denominator_share!r}"
        )
    num = kde(points, cells, bandwidth_m=bandwidth_m, kernel=kernel)
    h = float(num.attrs["params"]["bandwidth_m"])
    den = kde(denominators, cells, bandwidth_m=h, kernel=kernel, weights=weight_col)
    out = num
    out["denominator_density_km2"] = den["density_km2"].to_numpy()
    d = out["denominator_density_km2"].to_numpy()
    positive = d > 0
    threshold = share * float(d[positive].mean()) if positive.any() else 0.0
    shown = positive & (d >= threshold)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(shown, out["density_km2"].to_numpy() / d, np.nan)
    n_masked = int((positive & ~shown).sum())
    if n_masked:
        logger.info(
            "dual KDE: ratio not reported in %d cell(s) with a denominator density below "
            "%.6g per km² (%.0f %% of its mean)",
            n_masked,
            threshold,
            share * 100,
        )
    params = dict(num.attrs["params"])
    params.update(
        {
            "method": "dual_kde",
            "weight_col": weight_col,
            "n_denominators": len(denominators),
            "bandwidth_auto": bandwidth_m is None,
            "min_denominator_share": share,
            "min_denominator_km2": threshold,
            "n_cells_masked": n_masked,
        }
    )
    out.attrs["params"] = params
    return out


# --------------------------------------------------------------------------- helpers


def _coords_weights(
    points: gpd.GeoDataFrame, *, weights: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return (n×2 coordinates, weights) of the located points."""
    _validate.require_points(points, name="points", minimum=0)
    geom = points.geometry
    located = ~(geom.isna() | geom.is_empty).to_numpy()
    xy = shapely.get_coordinates(geom.to_numpy()[located])
    if weights is None:
        w = np.ones(len(xy))
    else:
        _validate.require_columns(points, [weights], name="points")
        w = points[weights].to_numpy(dtype="float64", na_value=np.nan)[located]
        if np.isnan(w).any() or (w < 0).any():
            raise SchemaError(
                f"weights column {weights!r} must be non-negative numbers; found "
                f"{int(np.isnan(w).sum())} missing and {int((w < 0).sum())} negative value(s)"
            )
    return xy, w


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    half = 0.5 * cum[-1]
    k = int(np.searchsorted(cum, half))
    if k + 1 < len(v) and math.isclose(cum[k], half, rel_tol=1e-12):
        return float(0.5 * (v[k] + v[k + 1]))  # even split: as numpy.median does
    return float(v[k])


def _density(
    xy: np.ndarray,
    w: np.ndarray,
    centres: np.ndarray,
    *,
    bandwidth_m: float,
    kernel: Kernel,
) -> np.ndarray:
    """Return the density (per m²) at ``centres``."""
    out = np.zeros(len(centres))
    if len(xy) == 0 or len(centres) == 0:
        return out
    reach = bandwidth_m if kernel == "quartic" else GAUSSIAN_CUTOFF * bandwidth_m
    # collapse coincident points (common in rounded or geocoded data) into one weighted point
    uniq, inverse = np.unique(xy, axis=0, return_inverse=True)
    wsum = np.bincount(inverse.ravel(), weights=w, minlength=len(uniq))
    keep = wsum > 0
    uniq, wsum = uniq[keep], wsum[keep]
    cell_tree = cKDTree(centres)
    # expected cells per point bounds the chunk size
    spacing = _typical_spacing(centres)
    per_point = max(1.0, math.pi * (reach / spacing) ** 2)
    chunk = max(1, int(_PAIRS_PER_CHUNK / per_point))
    for start in range(0, len(uniq), chunk):
        part = uniq[start : start + chunk]
        tree = cKDTree(part)
        pairs = tree.sparse_distance_matrix(cell_tree, reach, output_type="ndarray")
        if len(pairs) == 0:
            continue
        d2 = (pairs["v"] / bandwidth_m) ** 2
        if kernel == "quartic":
            k = np.where(d2 < 1.0, (1.0 - d2) ** 2, 0.0) * (3.0 / (math.pi * bandwidth_m**2))
        else:
            k = np.exp(-0.5 * d2) / (2.0 * math.pi * bandwidth_m**2)
        out += np.bincount(pairs["j"], weights=k * wsum[start + pairs["i"]], minlength=len(out))
    return out


def _typical_spacing(centres: np.ndarray) -> float:
    if len(centres) < 2:
        return 1.0
    minx, miny = centres.min(axis=0)
    maxx, maxy = centres.max(axis=0)
    extent = max((maxx - minx) * (maxy - miny), 1.0)
    return max(math.sqrt(extent / len(centres)), 1e-6)
