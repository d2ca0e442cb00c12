"""grid.convex_hull_of / study_area: the hull without a hull of every point equals shapely's."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from apk_geo import grid

CRS = "EPSG:5514"


def _same(coords: np.ndarray) -> None:
    ours = grid.convex_hull_of(coords)
    full = shapely.convex_hull(shapely.MultiPoint(coords))
    assert ours.geom_type == full.geom_type
    assert shapely.normalize(ours).equals_exact(shapely.normalize(full), tolerance=0.0)


def _circle(n: int, *, r: float = 1000.0) -> np.ndarray:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.column_stack([-470_000 + r * np.cos(a), -1_100_000 + r * np.sin(a)])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [1, 2, 3, 63, 64, 65, 1_000, 50_000])
def test_random_points(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    kind = seed % 3
    if kind == 0:
        xy = rng.uniform(-5_000, 5_000, (n, 2))
    elif kind == 1:
        xy = rng.normal(0, 1_000, (n, 2))  # long tails: few, far outliers
    else:
        xy = np.round(rng.uniform(0, 40, (n, 2)))  # a small lattice: many ties and collinear
    _same(xy + np.array([-470_000, -1_100_000]))


@pytest.mark.parametrize(
    "name",
    [
        "every point a vertex",
        "circle and centre cloud",
        "collinear",
        "two distinct repeated",
        "one repeated",
        "square edges dense",
        "outliers off the stride",
    ],
)
def test_adversarial_sets(name: str) -> None:
    rng = np.random.default_rng(7)
    if name == "every point a vertex":
        xy = _circle(10_000)
    elif name == "circle and centre cloud":
        xy = np.concatenate([rng.normal(0, 10, (20_000, 2)) + _circle(1)[0], _circle(333)])
        rng.shuffle(xy)
    elif name == "collinear":
        t = rng.uniform(0, 1, 5_000)
        xy = np.column_stack([-470_000 + 1_000 * t, -1_100_000 + 500 * t])
    elif name == "two distinct repeated":
        xy = np.repeat([[-470_000.0, -1_100_000.0], [-469_000.0, -1_100_500.0]], 500, axis=0)
    elif name == "one repeated":
        xy = np.full((300, 2), [-470_000.0, -1_100_000.0])
    elif name == "square edges dense":  # many points exactly on the hull's edges
        t = rng.uniform(0, 100, 4_000)
        edges = [
            np.column_stack(p) for p in ((t, 0 * t), (t, 0 * t + 100), (0 * t, t), (0 * t + 100, t))
        ]
        xy = np.concatenate([*edges, rng.uniform(1, 99, (4_000, 2))])
    else:  # the only far points sit between stride samples
        xy = rng.uniform(0, 100, (64 * 200, 2))
        xy[[1, 65, 130, 999]] = [[500, 50], [-400, 50], [50, 700], [50, -300]]
    _same(xy)


def test_study_area_equals_the_buffered_full_hull() -> None:
    rng = np.random.default_rng(3)
    xy = rng.normal(0, 2_000, (20_000, 2)) + np.array([-470_000, -1_100_000])
    geoms = list(shapely.points(xy))
    geoms[5], geoms[10] = None, shapely.Point()  # not located, empty
    pts = gpd.GeoDataFrame(geometry=geoms, crs=CRS)
    got = grid.study_area(pts, cell_size_m=100).geometry.iloc[0]
    kept = xy[[i for i in range(len(xy)) if i not in (5, 10)]]
    expected = shapely.buffer(shapely.convex_hull(shapely.MultiPoint(kept)), 100)
    assert shapely.normalize(got).equals_exact(shapely.normalize(expected), tolerance=0.0)
