from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from scipy.spatial import cKDTree

from apk_geo import grid
from apk_geo.errors import CRSError, InsufficientDataError, SchemaError
from apk_geo.grid import make_grid

DATA = Path(__file__).resolve().parent.parent / "data"
MEMPHIS = DATA / "real_crime" / "memphis_robberies_sfhotspot.gpkg"
CITY = DATA / "ostrava_obec_dissolved_wgs84.geojson"


def _area(minx: float, miny: float, maxx: float, maxy: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[shapely.box(minx, miny, maxx, maxy)], crs="EPSG:5514")


def _points(xs: list[float], ys: list[float], **cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(xs, ys), crs="EPSG:5514")


# ----------------------------------------------------------------- automatic cell size


def test_auto_cell_size_memphis_reference() -> None:
    pts = gpd.read_file(MEMPHIS).head(10).to_crs("EPSG:2843")
    minx, miny, maxx, maxy = pts.total_bounds
    raw = min(maxx - minx, maxy - miny) / 50
    assert raw == pytest.approx(303.875566835128, abs=1e-6)
    assert grid.auto_cell_size_m(pts) == 300.0


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [(10_000, 20_000, 200.0), (12_499, 30_000, 200.0), (12_500, 12_500, 250.0), (1_000, 900, 18.0)],
    ids=["floor-200", "just-below-250", "exact-250", "small-area-whole-metres"],
)
def test_auto_cell_size_rounding(width: float, height: float, expected: float) -> None:
    assert grid.auto_cell_size_m(_area(0, 0, width, height)) == expected


def test_auto_cell_size_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="apk_geo.grid"):
        grid.auto_cell_size_m(_area(0, 0, 10_000, 10_000))
    assert "automatic cell size" in caplog.text


def test_auto_cell_size_refuses_geographic_and_degenerate() -> None:
    with pytest.raises(CRSError, match="geographic"):
        grid.auto_cell_size_m(_area(0, 0, 1, 1).set_crs("EPSG:4326", allow_override=True))
    with pytest.raises(InsufficientDataError, match="no extent"):
        grid.auto_cell_size_m(_points([5, 5], [1, 9]))


# ----------------------------------------------------------------- study area and grids


def test_study_area_hull_buffered_by_one_cell() -> None:
    pts = _points([0, 1000, 0], [0, 0, 1000])
    sa = grid.study_area(pts, cell_size_m=100)
    assert len(sa) == 1
    # triangle 500 000 m² + perimeter (2000 + 1414.2) × 100 + π·100²
    expected = 500_000 + (2000 + math.sqrt(2) * 1000) * 100 + math.pi * 100**2
    assert sa.geometry.iloc[0].area == pytest.approx(expected, rel=2e-3)
    assert sa.attrs["params"]["study_area"] == "convex_hull"


def test_study_area_uses_given_area_in_points_crs() -> None:
    pts = _points([-470_000], [-1_103_000])
    area = _area(-470_500, -1_103_500, -469_500, -1_102_500).to_crs("EPSG:4326")
    sa = grid.study_area(pts, cell_size_m=100, area=area)
    assert sa.crs == pts.crs
    assert sa.geometry.iloc[0].area == pytest.approx(1e6, rel=1e-4)


def test_square_grid_3x3_schema() -> None:
    g = grid.make_grid(_area(0, 0, 300, 300), cell_size_m=100)
    assert list(g.columns) == ["cell_id", "geometry"]
    assert g["cell_id"].dtype == np.int64
    assert g["cell_id"].tolist() == list(range(9))
    assert (g.geometry.area == 10_000).all()
    # row-major from the south-west
    assert g.geometry.iloc[0].bounds == (0.0, 0.0, 100.0, 100.0)
    assert g.geometry.iloc[2].bounds == (200.0, 0.0, 300.0, 100.0)
    assert g.geometry.iloc[3].bounds == (0.0, 100.0, 100.0, 200.0)
    p = g.attrs["params"]
    assert p["shape"] == "square" and p["cell_size_m"] == 100.0 and p["n_cells"] == 9
    assert p["cell_size_auto"] is False and p["capped"] is False


def test_grid_keeps_whole_cells_that_overlap_and_drops_edge_touching() -> None:
    g = grid.make_grid(_area(0, 0, 250, 100), cell_size_m=100)
    assert len(g) == 3  # the third cell is only half covered but kept whole
    assert g.geometry.area.sum() == 30_000


def test_grid_follows_non_rectangular_area() -> None:
    l_shape = shapely.Polygon([(0, 0), (300, 0), (300, 100), (100, 100), (100, 300), (0, 300)])
    g = grid.make_grid(gpd.GeoDataFrame(geometry=[l_shape], crs="EPSG:5514"), cell_size_m=100)
    assert len(g) == 5


def test_hex_grid_geometry() -> None:
    g = grid.make_grid(_area(0, 0, 1000, 1000), cell_size_m=100, shape="hex")
    area = math.sqrt(3) / 2 * 100**2
    assert np.allclose(g.geometry.area, area)
    assert np.allclose(g.geometry.bounds["maxx"] - g.geometry.bounds["minx"], 100)
    assert g.attrs["params"]["shape"] == "hex"
    # the cells cover the area without gaps or overlaps
    union = shapely.union_all(g.geometry.to_numpy())
    assert shapely.box(0, 0, 1000, 1000).difference(union).area < 1e-6
    assert union.area == pytest.approx(len(g) * area, rel=1e-9)


def test_auto_size_recorded_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="apk_geo.grid"):
        g = grid.make_grid(_area(0, 0, 5000, 10_000))
    assert g.attrs["params"]["cell_size_m"] == 100.0
    assert g.attrs["params"]["cell_size_auto"] is True
    assert len(g) == 50 * 100
    assert "automatic cell size" in caplog.text


def test_stray_point_caps_grid_with_warning() -> None:
    rng = np.random.default_rng(1)
    xs = [*rng.uniform(0, 2000, 50).tolist(), 900_000.0]
    ys = [*rng.uniform(0, 2000, 50).tolist(), 700_000.0]
    pts = _points(xs, ys)
    sa = grid.study_area(pts, cell_size_m=50)
    with pytest.warns(UserWarning, match="max_cells=10000"):
        g = grid.make_grid(sa, cell_size_m=50, max_cells=10_000)
    assert len(g) <= 10_000
    p = g.attrs["params"]
    assert p["capped"] is True and p["cell_size_m"] > 50 and p["cell_size_m"] % 50 == 0
    assert p["cell_size_requested_m"] == 50.0
    assert (grid.assign_cells(g, pts) >= 0).all()


def test_make_grid_errors() -> None:
    with pytest.raises(ValueError, match="shape must be"):
        grid.make_grid(_area(0, 0, 10, 10), cell_size_m=1, shape="triangle")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cell_size_m must be"):
        grid.make_grid(_area(0, 0, 10, 10), cell_size_m=-5)
    with pytest.raises(CRSError, match="no CRS"):
        grid.make_grid(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)]), cell_size_m=1)


# ----------------------------------------------------------------- assignment and counts


def test_assign_cells_square_by_hand() -> None:
    g = grid.make_grid(_area(0, 0, 300, 300), cell_size_m=100)
    pts = _points([50, 150, 250, 299.9, -5, 100, 300], [50, 50, 250, 299.9, 5, 100, 300])
    # (100, 100) sits on a corner: it belongs to the cell to its north-east
    assert grid.assign_cells(g, pts).tolist() == [0, 1, 8, 8, -1, 4, -1]


def test_assign_cells_hex_matches_polygons() -> None:
    g = grid.make_grid(_area(0, 0, 1000, 1000), cell_size_m=100, shape="hex")
    rng = np.random.default_rng(3)
    pts = _points(rng.uniform(-100, 1100, 500).tolist(), rng.uniform(-100, 1100, 500).tolist())
    got = grid.assign_cells(g, pts)
    for i, pt in enumerate(pts.geometry):
        holding = g.loc[g.geometry.contains(pt), "cell_id"].tolist()
        if holding:
            assert got[i] == holding[0]
        else:
            assert got[i] == -1


def test_assign_cells_arbitrary_polygons_fall_back_to_index() -> None:
    polys = gpd.GeoDataFrame(
        {"cell_id": [10, 20]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.Polygon([(1, 0), (3, 0), (1, 2)])],
        crs="EPSG:5514",
    )
    pts = _points([0.5, 1.5, 1.0, 5.0], [0.5, 0.2, 0.5, 5.0])
    assert grid.assign_cells(polys, pts).tolist() == [10, 20, 10, -1]


def test_assign_cells_requires_same_crs() -> None:
    g = grid.make_grid(_area(0, 0, 300, 300), cell_size_m=100)
    with pytest.raises(CRSError, match="reproject"):
        grid.assign_cells(g, _points([1], [1]).to_crs("EPSG:4326"))


def test_count_points_by_category_and_period() -> None:
    g = grid.make_grid(_area(0, 0, 200, 100), cell_size_m=100)
    pts = _points(
        [10, 20, 30, 150, 500],
        [10, 20, 30, 50, 50],
        category=["dogs", "noise", "dogs", "dogs", "dogs"],
        reported_at=["2024-01-05", "2024-02-01", "2024-02-03", "2024-02-09", "2024-01-01"],
    )
    pts["reported_at"] = gpd.pd.to_datetime(pts["reported_at"]).dt.tz_localize("Europe/Prague")
    c = grid.count_points(g, pts, by="category")
    assert c["n"].tolist() == [3, 1]
    assert c["n_dogs"].tolist() == [2, 1]
    assert c["n_noise"].tolist() == [1, 0]
    assert c["n"].dtype == np.int64 and c["n_dogs"].dtype == np.int64
    assert c.attrs["params"]["n_outside"] == 1
    per = grid.count_points(g, pts, period="M")
    assert per["n_2024-01"].tolist() == [1, 0]
    assert per["n_2024-02"].tolist() == [2, 1]
    assert "n" not in g.columns  # input untouched
    with pytest.raises(SchemaError, match="not both"):
        grid.count_points(g, pts, by="category", period="M")
    with pytest.raises(SchemaError, match="missing column"):
        grid.count_points(g, pts, by="outcome")


def test_count_points_matches_spatial_join() -> None:
    city = gpd.read_file(CITY).to_crs("EPSG:5514")
    g = grid.make_grid(city, cell_size_m=500)
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = city.total_bounds
    pts = _points(rng.uniform(minx, maxx, 3000).tolist(), rng.uniform(miny, maxy, 3000).tolist())
    c = grid.count_points(g, pts)
    joined = gpd.sjoin(pts, g, predicate="within")
    expected = joined.groupby("cell_id").size().reindex(g["cell_id"], fill_value=0)
    assert c["n"].tolist() == expected.tolist()


def test_ostrava_100m_grid_counts_every_point() -> None:
    # speed is measured in benchmarks/hotspots.py, never asserted here
    city = gpd.read_file(CITY).to_crs("EPSG:5514")
    rng = np.random.default_rng(0)
    minx, miny, maxx, maxy = city.total_bounds
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(
            rng.uniform(minx, maxx, 200_000), rng.uniform(miny, maxy, 200_000)
        ),
        crs="EPSG:5514",
    )
    g = grid.make_grid(city, cell_size_m=100)
    c = grid.count_points(g, pts)
    assert 21_000 < len(g) < 23_000
    assert c["n"].sum() + c.attrs["params"]["n_outside"] == 200_000


def test_written_hex_grid_shares_corners_bit_for_bit(tmp_path: Path) -> None:
    import libpysal

    area = gpd.GeoDataFrame(
        geometry=[shapely.Point(-470_000.0, -1_105_000.0).buffer(1_000)], crs="EPSG:5514"
    )
    cells = make_grid(area, cell_size_m=100, shape="hex")
    path = tmp_path / "hex.gpkg"
    cells.to_file(path)
    back = gpd.read_file(path)
    w = libpysal.weights.Rook.from_dataframe(back, use_index=False, silence_warnings=True)
    centres = np.column_stack([back.geometry.centroid.x, back.geometry.centroid.y])
    near = cKDTree(centres).query_pairs(100 * 1.0001)  # neighbouring centres are 100 m apart
    rook = {(i, j) for i, js in w.neighbors.items() for j in js if i < j}
    assert rook == {tuple(sorted(p)) for p in near}
    assert len(rook) > 300


def test_centre_rule_keeps_equal_cells_whose_centre_is_inside() -> None:
    area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 240, 240)], crs="EPSG:5514")
    touching = make_grid(area, cell_size_m=100)
    centre = make_grid(area, cell_size_m=100, keep="centre")
    assert len(touching) == 9 and len(centre) == 4  # centres at 50 and 150 only (250 is out)
    assert centre.attrs["params"]["keep"] == "centre"
    assert np.allclose(centre.area, 10_000)
