"""The array joins of apk_geo.enrich give exactly what geopandas' sjoin and sjoin_nearest give.

Every path of ``_first_containing`` (the plain STRtree query for invalid layers, the exact
"covers" query, the lattice shortcut) is compared with ``geopandas.sjoin(predicate=
"intersects")`` on points placed on purpose on vertices, edges, shared borders and holes; and
``enrich`` on the real Ostrava districts is compared column by column with a geopandas
formulation of the same rules.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from apk_geo import enrich as enrich_module
from apk_geo.config import Config
from apk_geo.enrich import Context, enrich, load_context

CRS = "EPSG:5514"
X0, Y0 = -470_000.0, -1_101_000.0


def _layer(geoms: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    shifted = [shapely.transform(g, lambda c: np.add(c, (X0, Y0))) for g in geoms]
    return gpd.GeoDataFrame(
        {"name": [f"P{i}" for i in range(len(geoms))]}, geometry=shifted, crs=CRS
    )


def _valid_layer() -> gpd.GeoDataFrame:
    """Shared edges, an overlap (first in layer order wins), a hole, a concave part, a gap."""
    ring = shapely.Polygon(
        [(200, 0), (300, 0), (300, 100), (200, 100)],
        holes=[[(230, 30), (270, 30), (270, 70), (230, 70)]],
    )
    ell = shapely.Polygon([(0, 100), (100, 100), (100, 150), (40, 150), (40, 250), (0, 250)])
    return _layer(
        [
            shapely.box(0, 0, 100, 100),
            shapely.box(100, 0, 200, 100),
            shapely.box(50, 50, 150, 160),  # overlaps the first two
            ring,
            ell,
            shapely.MultiPolygon([shapely.box(400, 0, 450, 50), shapely.box(450, 50, 500, 100)]),
        ]
    )


def _invalid_layer() -> gpd.GeoDataFrame:
    bowtie = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    overlapping = shapely.MultiPolygon(
        [shapely.box(150, 0, 250, 100), shapely.box(200, 50, 300, 150)]
    )
    return _layer([bowtie, overlapping, shapely.box(50, 50, 220, 120)])


def _probe_points(layer: gpd.GeoDataFrame, n_random: int, seed: int = 0) -> np.ndarray:
    """Random points over the layer plus every vertex and points along every edge."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = layer.total_bounds
    rand = np.column_stack(
        [rng.uniform(minx - 20, maxx + 20, n_random), rng.uniform(miny - 20, maxy + 20, n_random)]
    )
    geoms = layer.geometry.to_numpy()
    edges = shapely.get_coordinates(shapely.segmentize(shapely.boundary(geoms), 2.5))
    xy = np.vstack([rand, shapely.get_coordinates(geoms), edges])
    return np.asarray(shapely.points(xy))


def _sjoin_first(points: np.ndarray, layer: gpd.GeoDataFrame) -> np.ndarray:
    """Reference: geopandas.sjoin(predicate="intersects"), the first polygon row per point."""
    pts = gpd.GeoDataFrame(geometry=points, crs=CRS)
    joined = gpd.sjoin(pts, layer.reset_index(drop=True), how="inner", predicate="intersects")
    first = joined["index_right"].groupby(level=0).min()
    rows = np.full(len(points), -1)
    rows[first.index.to_numpy()] = first.to_numpy()
    return rows


@pytest.mark.parametrize("path", ["covers", "covers-in-small-blocks", "lattice"])
def test_first_containing_matches_sjoin_on_valid_polygons(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    layer = _valid_layer()
    if path == "lattice":
        monkeypatch.setattr(enrich_module, "_LATTICE_MIN_POINTS", 0)
    if path == "covers-in-small-blocks":
        monkeypatch.setattr(enrich_module, "_EXACT_BLOCK", 7)
    points = _probe_points(layer, 4000)
    got = enrich_module._first_containing(points, shapely.get_coordinates(points), layer)
    expected = _sjoin_first(points, layer)
    np.testing.assert_array_equal(got, expected)
    assert (expected == 2).any() and (expected == -1).any()  # the overlap and the gaps are probed


def test_lattice_decides_most_points_and_leaves_borders_to_the_exact_test() -> None:
    layer = _valid_layer()
    polys = shapely.from_wkb(shapely.to_wkb(layer.geometry.to_numpy()))
    shapely.prepare(polys)
    points = _probe_points(layer, 4000)
    xy = shapely.get_coordinates(points)
    decided = enrich_module._lattice_lookup(polys, xy)
    reference = _sjoin_first(points, layer)
    sure = decided != enrich_module._UNDECIDED
    np.testing.assert_array_equal(decided[sure], reference[sure])
    on_boundary = shapely.intersects(shapely.boundary(shapely.union_all(polys)), points)
    assert not sure[on_boundary].any()  # a point on a border is never decided by its cell
    assert sure[:4000].mean() > 0.5


def test_invalid_polygons_take_the_plain_sjoin_path(monkeypatch: pytest.MonkeyPatch) -> None:
    layer = _invalid_layer()
    assert not shapely.is_valid(layer.geometry.to_numpy()).all()
    monkeypatch.setattr(enrich_module, "_LATTICE_MIN_POINTS", 0)
    points = _probe_points(layer, 3000, seed=1)
    got = enrich_module._first_containing(points, shapely.get_coordinates(points), layer)
    np.testing.assert_array_equal(got, _sjoin_first(points, layer))


def _sjoin_nearest(points: np.ndarray, features: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Reference: geopandas.sjoin_nearest, the first row among equally near features."""
    ref = gpd.sjoin_nearest(
        gpd.GeoDataFrame(geometry=points, crs=CRS),
        features.reset_index(drop=True),
        how="inner",
        distance_col="d",
    )
    ref = ref.sort_values("index_right", kind="stable").groupby(level=0).first()
    rows = np.full(len(points), -1)
    dist = np.full(len(points), np.nan)
    rows[ref.index.to_numpy()] = ref["index_right"].to_numpy()
    dist[ref.index.to_numpy()] = ref["d"].to_numpy()
    return rows, dist


@pytest.mark.parametrize("path", ["distance", "tree"])
def test_nearest_ties_go_to_the_first_row_with_the_sjoin_nearest_distance(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if path == "tree":
        monkeypatch.setattr(enrich_module, "_NEAREST_BY_DISTANCE_MAX", 0)
    hostels = _layer([shapely.Point(0, 0), shapely.Point(100, 0), shapely.Point(50, 80)])
    # (50, 0) and (50, -40) are as far from hostel 0 as from hostel 1; (50, 24.375) is 55.625 m
    # from all three (exactly, in binary floating point); (75, 40) as far from 1 as from 2
    xy = np.array([[50.0, 0.0], [50.0, -40.0], [50.0, 24.375], [10.0, -3.0], [75.0, 40.0]])
    points = np.asarray(shapely.points(np.add(xy, (X0, Y0))))
    rows, dist = enrich_module._nearest(points, hostels)
    assert rows.tolist() == [0, 0, 0, 0, 1]
    assert dist[2] == 55.625
    ref_rows, ref_dist = _sjoin_nearest(points, hostels)
    np.testing.assert_array_equal(rows, ref_rows)
    np.testing.assert_array_equal(dist, ref_dist)


@pytest.mark.parametrize("n_features", [5, 40])  # measured to each / through the STRtree
def test_nearest_matches_sjoin_nearest_with_features_without_geometry(n_features: int) -> None:
    rng = np.random.default_rng(n_features)
    spots = np.round(rng.uniform(0, 1000, (n_features, 2)))
    geoms: list[shapely.Geometry] = [shapely.Point(*p) for p in spots]
    geoms[1] = shapely.Point()  # an empty point is never the nearest
    geoms[3] = shapely.box(400, 400, 450, 470)  # a polygon: the distance to its edge
    features = _layer(geoms)
    features.loc[2, "geometry"] = None
    xy = np.vstack([np.round(rng.uniform(-50, 1050, (3000, 2))), spots])  # ties on a grid
    points = np.asarray(shapely.points(np.add(xy, (X0, Y0))))
    rows, dist = enrich_module._nearest(points, features)
    ref_rows, ref_dist = _sjoin_nearest(points, features)
    np.testing.assert_array_equal(rows, ref_rows)
    np.testing.assert_array_equal(dist, ref_dist)
    assert not np.isin(rows, [1, 2]).any()


def test_nearest_without_any_located_feature_finds_none() -> None:
    features = _layer([shapely.Point(), shapely.Point()])
    points = np.asarray(shapely.points(np.array([[X0, Y0], [X0 + 5, Y0]])))
    rows, dist = enrich_module._nearest(points, features)
    assert rows.tolist() == [-1, -1] and np.isnan(dist).all()


def _geopandas_enrich(pts: gpd.GeoDataFrame, ctx: Context, cfg: Config) -> gpd.GeoDataFrame:
    """The enrichment rules written with geopandas' joins (the reference)."""
    out = pts.copy()
    located = pts.geometry.notna() & ~pts.geometry.is_empty
    geoms = pts.geometry.to_numpy()[located.to_numpy()]
    pos = np.flatnonzero(located.to_numpy())

    def column(rows: np.ndarray, values: pd.Series) -> pd.Series:
        full = np.full(len(pts), -1)
        full[pos] = rows
        words = values.astype("string").to_numpy(dtype=object)
        return pd.Series(
            [words[r] if r >= 0 else pd.NA for r in full], index=pts.index, dtype="string"
        )

    district = _sjoin_first(geoms, ctx.districts)
    out["district_code"] = column(district, ctx.districts["KOD"])
    out["district_name"] = column(district, ctx.districts["NAZEV"])
    out["mdt_area"] = out["district_name"].map(dict(cfg.mdt_areas)).astype("string")
    out["svl_name"] = column(_sjoin_first(geoms, ctx.svl), ctx.svl["name"])
    near = gpd.sjoin_nearest(
        gpd.GeoDataFrame(geometry=geoms, crs=CRS), ctx.hostels, how="inner", distance_col="d"
    )
    near = near.sort_values("index_right", kind="stable").groupby(level=0).first()
    out["hostel_name"] = column(near["index_right"].to_numpy(), ctx.hostels["name"])
    dist = np.full(len(pts), np.nan)
    dist[pos] = near["d"].to_numpy()
    out["hostel_distance_m"] = dist
    within = pd.Series(dist <= cfg.hostel_buffer_m, index=pts.index, dtype="boolean")
    out["in_hostel_buffer"] = within.where(located, pd.NA)
    return out


def test_enrich_on_ostrava_matches_the_geopandas_formulation() -> None:
    cfg = Config()
    ctx = load_context(cfg)
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = ctx.city.total_bounds
    n = 30_000  # above the lattice threshold
    assert n >= enrich_module._LATTICE_MIN_POINTS
    xy = np.column_stack([rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)])
    border = shapely.get_coordinates(ctx.districts.geometry.to_numpy())[::3]
    geoms = np.asarray(shapely.points(np.vstack([xy, border]))).astype(object)
    geoms[::997] = None
    pts = gpd.GeoDataFrame({"id": np.arange(len(geoms))}, geometry=geoms, crs=CRS)
    got = enrich(pts, ctx, config=cfg)
    expected = _geopandas_enrich(pts, ctx, cfg)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["district_code"].notna().sum() > n / 3
