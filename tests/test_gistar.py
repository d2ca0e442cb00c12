from __future__ import annotations

import math
import warnings
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pytest
import shapely
from libpysal.weights import DistanceBand, fill_diagonal
from scipy import stats

from apk_geo import gistar, grid
from apk_geo.errors import InsufficientDataError, SchemaError

DATA = Path(__file__).resolve().parent.parent / "data"
X0, Y0 = -470_000.0, -1_103_000.0


def _grid(nx: int, ny: int, *, size: float = 100.0, shape: grid.GridShape = "square"):
    area = gpd.GeoDataFrame(
        geometry=[shapely.box(X0, Y0, X0 + nx * size, Y0 + ny * size)], crs="EPSG:5514"
    )
    return grid.make_grid(area, cell_size_m=size, shape=shape)


def _esda_z(cells: gpd.GeoDataFrame, values: np.ndarray, size: float) -> np.ndarray:
    """Reference: libpysal distance-band weights (own construction) + esda Gi*."""
    centres = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands warning
        w = DistanceBand.from_array(centres, threshold=size * math.sqrt(2) * 1.000001, binary=True)
        w = fill_diagonal(w, 1)
        g = esda.G_Local(values, w, transform="B", star=True, permutations=0)
    return np.asarray(g.Zs)


def test_hand_values_3x3() -> None:
    cells = _grid(3, 3)
    cells["n"] = [0, 0, 0, 0, 9, 0, 0, 0, 0]
    out = gistar.gistar(cells)
    # mean 1, S = sqrt(8); corner: W=4, sum=9 -> 5 / sqrt(20); edge: W=6 -> 3 / sqrt(18)
    corner, edge = 5 / math.sqrt(20), 3 / math.sqrt(18)
    expected = [corner, edge, corner, edge, 0.0, edge, corner, edge, corner]
    np.testing.assert_allclose(out["gi_z"], expected, rtol=1e-12, atol=1e-12)
    assert out["n_neighbours"].tolist() == [3, 5, 3, 5, 8, 5, 3, 5, 3]


def test_matches_esda_square_grid() -> None:
    cells = _grid(12, 9)
    rng = np.random.default_rng(42)
    cells["n"] = rng.poisson(2.0, len(cells))
    cells.loc[cells["cell_id"].isin([40, 41, 52, 53]), "n"] += 12
    out = gistar.gistar(cells, adjust="none")
    np.testing.assert_allclose(
        out["gi_z"], _esda_z(cells, cells["n"].to_numpy(float), 100), atol=1e-9
    )
    assert out["n_neighbours"].max() == 8


def test_matches_esda_hex_grid_with_six_neighbours() -> None:
    cells = _grid(10, 10, shape="hex")
    rng = np.random.default_rng(3)
    cells["n"] = rng.poisson(1.0, len(cells))
    out = gistar.gistar(cells)
    assert out["n_neighbours"].max() == 6
    # every fully interior hexagon has exactly 6 neighbours
    interior = cells.geometry.centroid.within(
        shapely.box(X0 + 200, Y0 + 200, X0 + 800, Y0 + 800)
    ).to_numpy()
    assert (out.loc[interior, "n_neighbours"] == 6).all()
    np.testing.assert_allclose(
        out["gi_z"], _esda_z(cells, cells["n"].to_numpy(float), 100), atol=1e-9
    )


def test_islands_do_not_crash_and_match_esda() -> None:
    cells = _grid(5, 5)
    cells = cells[cells["cell_id"].isin([0, 1, 12, 24])].reset_index(drop=True)
    cells["n"] = [3, 1, 0, 5]
    out = gistar.gistar(cells)
    assert out["n_neighbours"].tolist() == [1, 1, 0, 0]
    assert np.isfinite(out["gi_z"]).all()
    np.testing.assert_allclose(
        out["gi_z"], _esda_z(cells, np.array([3.0, 1, 0, 5]), 100), atol=1e-9
    )


def test_p_values_and_adjustments() -> None:
    cells = _grid(12, 9)
    rng = np.random.default_rng(7)
    cells["n"] = rng.poisson(1.0, len(cells))
    cells.loc[cells["cell_id"].isin([40, 41, 52, 53]), "n"] += 15
    raw = gistar.gistar(cells, adjust="none")
    expected_p = 2 * stats.norm.sf(np.abs(raw["gi_z"]))
    np.testing.assert_allclose(raw["p_value"], expected_p, rtol=1e-12)
    np.testing.assert_array_equal(raw["p_adjusted"], raw["p_value"])

    bh = gistar.gistar(cells)  # default fdr_bh
    np.testing.assert_allclose(
        bh["p_adjusted"], stats.false_discovery_control(raw["p_value"], method="bh"), rtol=1e-12
    )
    bonf = gistar.gistar(cells, adjust="bonferroni")
    np.testing.assert_allclose(
        bonf["p_adjusted"], np.minimum(raw["p_value"] * len(cells), 1), rtol=1e-12
    )
    assert (bonf["p_adjusted"] >= bh["p_adjusted"] - 1e-15).all()
    assert (bh["p_adjusted"] >= raw["p_value"] - 1e-15).all()


def test_bh_by_hand() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20])
    # sorted 0.01, 0.03, 0.04, 0.20 -> ×4/rank = 0.04, 0.06, 0.0533, 0.20 -> cummin from the top
    np.testing.assert_allclose(
        gistar.adjust_p(p), [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.20], rtol=1e-12
    )
    with pytest.raises(ValueError, match="adjust must be"):
        gistar.adjust_p(p, method="holm")  # type: ignore[arg-type]


def test_hotspot_class_bins() -> None:
    z = np.array([3.0, -3.0, 2.0, 1.7, -1.7, 0.5, 2.2])
    p = np.array([0.005, 0.009, 0.03, 0.08, 0.099, 0.6, 0.01])
    assert gistar._classify(z, p).tolist() == [3, -3, 2, 1, -1, 0, 2]


def test_output_schema_and_ranges() -> None:
    # a 2×2 block of 10 incidents per cell in the middle of an 8×8 grid, one stray incident
    xs = [X0 + x for x in (350, 450) for _ in range(20)] + [X0 + 750]
    ys = [Y0 + y for _ in range(2) for y in (350, 450) * 10] + [Y0 + 50]
    cells = grid.count_points(
        _grid(8, 8), gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs="EPSG:5514")
    )
    assert cells.loc[cells["cell_id"].isin([27, 28, 35, 36]), "n"].tolist() == [10] * 4
    out = gistar.gistar(cells)
    assert list(out.columns) == [
        "cell_id",
        "geometry",
        "n",
        "gi_z",
        "p_value",
        "p_adjusted",
        "hotspot_class",
        "n_neighbours",
    ]
    assert out["gi_z"].dtype == np.float64
    assert out["p_value"].dtype == np.float64 and out["p_adjusted"].dtype == np.float64
    assert out["hotspot_class"].dtype == np.int64 and out["n_neighbours"].dtype == np.int64
    assert out["p_value"].between(0, 1).all() and out["p_adjusted"].between(0, 1).all()
    assert set(out["hotspot_class"]) <= {-3, -2, -1, 0, 1, 2, 3}
    assert (out.loc[out["cell_id"].isin([27, 28, 35, 36]), "hotspot_class"] == 3).all()
    p = out.attrs["params"]
    assert p["method"] == "gistar" and p["adjust"] == "fdr_bh"
    assert p["neighbour_distance_m"] == pytest.approx(141.421, abs=1e-3)
    assert p["cell_size_m"] == 100.0 and p["n_hot"] >= 1
    assert "gi_z" not in cells.columns


def test_errors() -> None:
    cells = _grid(3, 3)
    with pytest.raises(SchemaError, match="missing column"):
        gistar.gistar(cells)
    cells["n"] = 2
    with pytest.raises(InsufficientDataError, match="same value"):
        gistar.gistar(cells)
    cells["n"] = [1, 2, None, 0, 0, 0, 0, 0, 0]
    with pytest.raises(SchemaError, match="missing value"):
        gistar.gistar(cells)
    with pytest.raises(InsufficientDataError, match="at least 3"):
        gistar.gistar(_grid(2, 1).assign(n=[1, 0]))
    with pytest.raises(ValueError, match="adjust must be"):
        gistar.gistar(_grid(3, 3).assign(n=range(9)), adjust="holm")  # type: ignore[arg-type]


def test_concentrated_incidents_over_ostrava_give_a_hot_core() -> None:
    # speed is measured in benchmarks/hotspots.py, never asserted here
    city = gpd.read_file(DATA / "ostrava_obec_dissolved_wgs84.geojson").to_crs("EPSG:5514")
    rng = np.random.default_rng(0)
    minx, miny, maxx, maxy = city.total_bounds
    n_pts = 200_000
    xs = np.where(
        rng.random(n_pts) < 0.3, rng.normal(X0, 400, n_pts), rng.uniform(minx, maxx, n_pts)
    )
    ys = np.where(
        rng.random(n_pts) < 0.3, rng.normal(Y0, 400, n_pts), rng.uniform(miny, maxy, n_pts)
    )
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs="EPSG:5514")
    cells = grid.count_points(grid.make_grid(city, cell_size_m=100), pts)
    out = gistar.gistar(cells)
    assert len(out) > 21_000
    hot = out.loc[out["hotspot_class"] == 3]
    assert hot.geometry.centroid.distance(shapely.Point(X0, Y0)).min() < 200


def test_cli_gistar_on_memphis(tmp_path: Path) -> None:
    import json

    from apk_geo import cli

    out = tmp_path / "memphis.geojson"
    code = cli.main(
        [
            "hotspots",
            "--input",
            str(DATA / "real_crime" / "memphis_robberies_sfhotspot.gpkg"),
            "--method",
            "gistar",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    result = gpd.read_file(out)
    assert result.crs.to_epsg() == 4326
    for col in ("cell_id", "n", "gi_z", "p_value", "p_adjusted", "hotspot_class"):
        assert col in result.columns
    assert result["n"].sum() == 2245
    params = json.loads(out.with_name(out.name + ".params.json").read_text(encoding="utf-8"))
    assert params["grid"]["cell_size_m"] == 550.0 and params["grid"]["cell_size_auto"] is True
    assert params["result"]["adjust"] == "fdr_bh"
    assert params["analysis_crs"] == "EPSG:32616"


def test_cli_rejects_unknown_output_suffix(tmp_path: Path) -> None:
    from apk_geo import cli

    code = cli.main(
        [
            "hotspots",
            "--input",
            str(DATA / "real_crime" / "memphis_robberies_sfhotspot.gpkg"),
            "--out",
            str(tmp_path / "x.shp"),
        ]
    )
    assert code == 2


#: Columns each ``hotspots --method`` writes besides the grid's ``cell_id``/``n``.
_CLI_COLUMNS = {
    "gistar": ("gi_z", "p_value", "p_adjusted", "hotspot_class"),
    "kde": ("density_km2", "expected_n"),
    "forecast": ("risk", "expected_n"),
    "change": ("n_a", "n_b", "diff", "p_value", "p_adjusted", "significant", "direction"),
    "emerging": ("emerging_class", "trend_z", "trend_p"),
}


@pytest.mark.parametrize("shape", ["square", "hex"])
@pytest.mark.parametrize("method", sorted(_CLI_COLUMNS))
def test_cli_every_grid_method_on_square_and_hex_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], method: str, shape: str
) -> None:
    import json

    from apk_geo import cli

    out = tmp_path / f"{method}.gpkg"
    code = cli.main(
        [
            "hotspots",
            "--input",
            str(DATA / "real_crime" / "memphis_robberies_sfhotspot.gpkg"),
            "--method",
            method,
            "--grid",
            shape,
            "--cell-size-m",
            "1000",
            "--out",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    result = gpd.read_file(out)
    assert result.crs.to_epsg() == 32616
    for col in ("cell_id", *_CLI_COLUMNS[method]):
        assert col in result.columns, col
    # whole hexagons (6 corners + closing point) or squares of the requested size
    corners = 7 if shape == "hex" else 5
    assert (shapely.get_num_coordinates(result.geometry.to_numpy()) == corners).all()
    area = 1000.0**2 * (math.sqrt(3) / 2 if shape == "hex" else 1.0)
    assert np.allclose(result.geometry.area, area, rtol=1e-9)
    assert summary["rows"] == len(result) == summary["params"]["grid"]["n_cells"]
    params = json.loads(out.with_name(out.name + ".params.json").read_text(encoding="utf-8"))
    assert params["grid"]["shape"] == shape and params["grid"]["cell_size_m"] == 1000.0
    assert params["result"]["method"] in (method, "emerging_hot_spot_analysis")
    if method == "gistar":
        assert summary["hot_99"] + summary["hot_95"] + summary["hot_90"] == int(
            (result["hotspot_class"] > 0).sum()
        )
        assert result["n"].sum() == 2245
    if method == "change":
        assert summary["significant_up"] == int((result["direction"] == "up").sum())
        assert summary["significant_down"] == int((result["direction"] == "down").sum())
        assert result["n_a"].sum() + result["n_b"].sum() == 2245
    if method == "emerging":
        classes = result["emerging_class"].value_counts()
        shown = {k: int(v) for k, v in classes.items() if k != "no_pattern"}
        expected = ", ".join(f"{k} {v}" for k, v in sorted(shown.items())) or "none"
        assert summary["patterns"] == expected
    if method == "forecast":
        assert summary["bandwidth_m"] == params["result"]["bandwidth_m"]
        assert result["risk"].between(0, 1).all()
