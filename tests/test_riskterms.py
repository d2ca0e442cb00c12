"""Risk-terrain features of the forecast's context layers, on cases known by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from numpy.testing import assert_allclose

from apk_geo import riskterms

X0, Y0 = -470_000.0, -1_105_000.0  # central Ostrava, EPSG:5514


def _centroids() -> np.ndarray:
    """Centres of a 5 x 5 grid of 100 m cells."""
    xs, ys = np.meshgrid(np.arange(5) * 100 + 50.0, np.arange(5) * 100 + 50.0)
    return np.column_stack([X0 + xs.ravel(), Y0 + ys.ravel()])


def _hand_log_density(
    centroids: np.ndarray, xy: np.ndarray, w: np.ndarray, radius: float
) -> np.ndarray:
    """The quartic kernel sum by a double loop, as shares, logged with the 1/(100 m) floor."""
    mass = np.zeros(len(centroids))
    for j, c in enumerate(centroids):
        for p, wp in zip(xy, w, strict=True):
            d = float(np.hypot(*(c - p)))
            if d < radius:
                mass[j] += wp * (1 - (d / radius) ** 2) ** 2
    out: np.ndarray = np.log(mass / mass.sum() + 1 / (100 * len(centroids)))
    return out


def test_a_point_layer_gives_proximity_and_density_features() -> None:
    centroids = _centroids()
    xy = np.array([[X0 + 120.0, Y0 + 80.0], [X0 + 330.0, Y0 + 410.0]])
    stops = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:5514")
    features, names = riskterms.covariate_features(
        centroids, {"stops": stops}, floor_m=100.0, density_radius_m=250.0
    )
    assert names == ["stops", "stops (density)"]
    dist = np.min(np.hypot(*(centroids[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)), axis=1)
    assert_allclose(features[:, 0], np.log(100.0 + dist))
    assert_allclose(features[:, 1], _hand_log_density(centroids, xy, np.ones(2), 250.0))
    # the default density radius is 4 cell sizes (floor_m)
    default, _ = riskterms.covariate_features(centroids, {"stops": stops}, floor_m=100.0)
    assert_allclose(default[:, 1], _hand_log_density(centroids, xy, np.ones(2), 400.0))


def test_a_weighted_layer_gives_a_weighted_density_and_no_proximity() -> None:
    centroids = _centroids()
    xy = np.array([[X0 + 50.0, Y0 + 50.0], [X0 + 450.0, Y0 + 450.0], [X0 + 250.0, Y0 + 50.0]])
    w = np.array([1000.0, 10.0, 0.0])
    population = gpd.GeoDataFrame(
        {riskterms.WEIGHT_COLUMN: w},
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs="EPSG:5514",
    )
    features, names = riskterms.covariate_features(
        centroids, {"population": population}, floor_m=100.0, density_radius_m=300.0
    )
    assert names == ["population (density)"]
    assert_allclose(features[:, 0], _hand_log_density(centroids, xy, w, 300.0))
    # the populous corner is denser than the sparse one
    assert features[0, 0] > features[-1, 0]


def test_a_polygon_layer_gives_proximity_only() -> None:
    centroids = _centroids()
    svl = gpd.GeoDataFrame(
        geometry=[shapely.box(X0 + 300, Y0 + 300, X0 + 500, Y0 + 500)], crs="EPSG:5514"
    )
    features, names = riskterms.covariate_features(centroids, {"svl": svl}, floor_m=100.0)
    assert names == ["svl"]
    inside = (centroids[:, 0] > X0 + 300) & (centroids[:, 1] > Y0 + 300)
    assert_allclose(features[inside, 0], np.log(100.0))
    assert np.all(features[~inside, 0] > np.log(100.0))
