from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from apk_geo import kde
from apk_geo.errors import CRSError, InsufficientDataError, SchemaError
from apk_geo.grid import make_grid

X0, Y0 = -470_000.0, -1_103_000.0  # central Ostrava, EPSG:5514


def _pts(xs: list[float], ys: list[float], **cols: list[float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        cols,
        geometry=gpd.points_from_xy(np.add(xs, X0), np.add(ys, Y0)),
        crs="EPSG:5514",
    )


def _cells(size: float = 50.0, extent: float = 2000.0) -> gpd.GeoDataFrame:
    area = gpd.GeoDataFrame(
        geometry=[shapely.box(X0, Y0, X0 + extent, Y0 + extent)], crs="EPSG:5514"
    )
    return make_grid(area, cell_size_m=size)


def test_auto_bandwidth_square_by_hand() -> None:
    pts = _pts([0, 200, 0, 200], [0, 0, 200, 200])
    # SD = sqrt(100² + 100²) = 141.42; D_m = 141.42; h = 0.9 · 141.42 · 4^-0.2
    expected = 0.9 * math.sqrt(2) * 100 * 4**-0.2
    assert kde.auto_bandwidth_m(pts) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(96.46, abs=0.005)


def test_auto_bandwidth_uses_both_axes_and_median_distance() -> None:
    rng = np.random.default_rng(5)
    xs, ys = rng.normal(0, 300, 400), rng.normal(0, 100, 400)
    pts = _pts(xs.tolist(), ys.tolist())
    cx, cy = xs.mean(), ys.mean()
    sd = math.sqrt(((xs - cx) ** 2 + (ys - cy) ** 2).mean())
    dm = float(np.median(np.hypot(xs - cx, ys - cy)))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * 400**-0.2
    assert kde.auto_bandwidth_m(pts) == pytest.approx(expected, rel=1e-9)
    # stretching only the y axis changes the bandwidth: both axes count
    stretched = _pts(xs.tolist(), (ys * 3).tolist())
    assert kde.auto_bandwidth_m(stretched) > kde.auto_bandwidth_m(pts)


def test_auto_bandwidth_weighted_equals_repeated_points() -> None:
    weighted = _pts([0, 100, 300], [0, 50, 0], w=[1.0, 2.0, 1.0])
    repeated = _pts([0, 100, 100, 300], [0, 50, 50, 0])
    assert kde.auto_bandwidth_m(weighted, weights="w") == pytest.approx(
        kde.auto_bandwidth_m(repeated), rel=1e-12
    )


def test_auto_bandwidth_degenerate() -> None:
    with pytest.raises(InsufficientDataError, match="at least two"):
        kde.auto_bandwidth_m(_pts([0], [0]))
    with pytest.raises(InsufficientDataError, match="one location"):
        kde.auto_bandwidth_m(_pts([5, 5, 5], [1, 1, 1]))


@pytest.mark.parametrize(("kernel", "bandwidth"), [("quartic", 250), ("gaussian", 150)])
def test_kde_schema_and_mass(kernel: kde.Kernel, bandwidth: float) -> None:
    cells = _cells()
    pts = _pts([1000, 700, 1300], [1000, 900, 1200])
    out = kde.kde(pts, cells, bandwidth_m=bandwidth, kernel=kernel)
    assert list(out.columns) == ["cell_id", "geometry", "density_km2", "expected_n"]
    assert out["density_km2"].dtype == np.float64 and out["expected_n"].dtype == np.float64
    assert (out["density_km2"] >= 0).all()
    # sum of expected incidents ≈ number of points inside the study area
    assert out["expected_n"].sum() == pytest.approx(3, rel=2e-3)
    assert np.allclose(out["expected_n"], out["density_km2"] / 1e6 * 2500)
    p = out.attrs["params"]
    assert p["kernel"] == kernel and p["bandwidth_m"] == bandwidth
    assert p["bandwidth_auto"] is False
    assert "density_km2" not in cells.columns


def test_quartic_value_by_hand() -> None:
    cells = _cells(size=100, extent=1000)
    # centroid of cell 0 is (50, 50); a point at (50, 150) is 100 m away
    out = kde.kde(_pts([50], [150]), cells, bandwidth_m=200)
    expected = 3 / (math.pi * 200**2) * (1 - (100 / 200) ** 2) ** 2 * 1e6
    assert out["density_km2"].iloc[0] == pytest.approx(expected, rel=1e-12)
    # the cell that holds the point (distance 0) and a cell 200 m+ away (outside the radius)
    assert out["density_km2"].iloc[10] == pytest.approx(3 / (math.pi * 200**2) * 1e6)
    assert out["density_km2"].iloc[3] == 0.0


def test_gaussian_matches_scipy_reference() -> None:
    from scipy.stats import multivariate_normal

    cells = _cells(size=100, extent=1000)
    pts = _pts([300, 620], [410, 555])
    out = kde.kde(pts, cells, bandwidth_m=150, kernel="gaussian")
    centres = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    # reference: scipy's normal pdf, truncated at 4 bandwidths as documented
    ref = sum(
        multivariate_normal(mean=[X0 + x, Y0 + y], cov=150**2 * np.eye(2)).pdf(centres)
        * (np.hypot(centres[:, 0] - X0 - x, centres[:, 1] - Y0 - y) <= 4 * 150)
        for x, y in [(300, 410), (620, 555)]
    )
    assert np.allclose(out["density_km2"] / 1e6, ref, rtol=1e-9, atol=0)


def test_weights_scale_density() -> None:
    cells = _cells(size=100, extent=1000)
    one = kde.kde(_pts([500], [500]), cells, bandwidth_m=300)
    weighted = kde.kde(_pts([500], [500], pop=[7.0]), cells, bandwidth_m=300, weights="pop")
    assert np.allclose(weighted["density_km2"], 7 * one["density_km2"])
    with pytest.raises(SchemaError, match="non-negative"):
        kde.kde(_pts([500], [500], pop=[-1.0]), cells, bandwidth_m=300, weights="pop")


def test_dual_kde_ratio() -> None:
    cells = _cells(size=100, extent=1000)
    incidents = _pts([500, 520], [500, 480])
    population = _pts([500, 510, 900], [500, 490, 900], population=[100.0, 100.0, 50.0])
    out = kde.dual_kde(
        incidents,
        population,
        cells,
        weight_col="population",
        bandwidth_m=300,
        min_denominator_share=0.0,
    )
    num = kde.kde(incidents, cells, bandwidth_m=300)["density_km2"]
    den = kde.kde(population, cells, bandwidth_m=300, weights="population")["density_km2"]
    mask = den > 0
    assert np.allclose(out["ratio"][mask], num[mask] / den[mask])
    assert out["ratio"][~mask].isna().all()
    assert out.attrs["params"]["method"] == "dual_kde"
    # near the incidents: about 2 incidents per 200 people
    centre = out.loc[out.geometry.contains(shapely.Point(X0 + 505, Y0 + 505)), "ratio"].iloc[0]
    assert 0.005 < centre < 0.02


def test_dual_kde_schema_and_ratio_by_hand() -> None:
    # one incident and 100 residents at the same place, same kernel: 1 incident per 100
    # residents wherever the ratio is shown
    cells = _cells(size=100, extent=1000)
    incident = _pts([550], [550])
    people = _pts([550], [550], population=[100.0])
    out = kde.dual_kde(incident, people, cells, weight_col="population", bandwidth_m=300)
    assert list(out.columns) == [
        "cell_id",
        "geometry",
        "density_km2",
        "expected_n",
        "denominator_density_km2",
        "ratio",
    ]
    assert out["ratio"].dtype == np.float64
    shown = out["ratio"].notna()
    assert shown.sum() > 0
    assert np.allclose(out.loc[shown, "ratio"], 0.01, rtol=1e-12)
    # the denominator density by hand: 100 · 3/(π h²) · (1 − d²/h²)² per m², d < h
    c = cells.geometry.centroid
    d2 = ((c.x - (X0 + 550)) ** 2 + (c.y - (Y0 + 550)) ** 2).to_numpy() / 300**2
    den_km2 = np.where(d2 < 1, 100 * 3 / (math.pi * 300**2) * (1 - d2) ** 2, 0.0) * 1e6
    assert np.allclose(out["denominator_density_km2"], den_km2, rtol=1e-9, atol=1e-12)
    # the ratio is hidden where the denominator is below 5 % of its mean positive density
    threshold = 0.05 * den_km2[den_km2 > 0].mean()
    expected_shown = den_km2 >= threshold
    assert shown.to_numpy().tolist() == expected_shown.tolist()
    assert ((den_km2 > 0) & ~expected_shown).sum() > 0  # the rule really masks fringe cells
    p = out.attrs["params"]
    assert p["min_denominator_share"] == 0.05
    assert p["min_denominator_km2"] == pytest.approx(threshold, rel=1e-9)
    assert p["n_cells_masked"] == int(((den_km2 > 0) & ~expected_shown).sum())
    assert p["weight_col"] == "population" and p["bandwidth_m"] == 300


def test_dual_kde_hides_ratios_over_an_empty_denominator() -> None:
    # incidents in the middle, residents far off: only the kernel's fringe overlaps, and
    # without the threshold the fringe shows an absurd rate
    cells = _cells(size=50, extent=2000)
    incidents = _pts([1000] * 20, [1000] * 20)
    people = _pts([1000, 1560], [300, 1000], population=[500.0, 500.0])
    raw = kde.dual_kde(
        incidents, people, cells, weight_col="population", bandwidth_m=600, min_denominator_share=0
    )
    out = kde.dual_kde(incidents, people, cells, weight_col="population", bandwidth_m=600)
    assert raw["ratio"].max() > 1.0  # more than one incident per resident: an artefact
    assert out["ratio"].max() < raw["ratio"].max() / 10
    with pytest.raises(ValueError, match="min_denominator_share"):
        kde.dual_kde(incidents, people, cells, bandwidth_m=600, min_denominator_share=1.0)


def test_kde_errors() -> None:
    cells = _cells(size=100, extent=1000)
    with pytest.raises(CRSError, match="reproject"):
        kde.kde(_pts([1], [1]).to_crs("EPSG:4326"), cells, bandwidth_m=100)
    with pytest.raises(ValueError, match="kernel must be"):
        kde.kde(_pts([1], [1]), cells, bandwidth_m=100, kernel="box")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bandwidth_m must be"):
        kde.kde(_pts([1], [1]), cells, bandwidth_m=0)


def test_auto_bandwidth_recorded(caplog: pytest.LogCaptureFixture) -> None:
    cells = _cells(size=100, extent=1000)
    with caplog.at_level("INFO", logger="apk_geo.kde"):
        out = kde.kde(_pts([0, 200, 0, 200], [0, 0, 200, 200]), cells)
    assert out.attrs["params"]["bandwidth_auto"] is True
    assert out.attrs["params"]["bandwidth_m"] == pytest.approx(96.46, abs=0.005)
    assert "automatic bandwidth" in caplog.text


def test_100k_points_expected_counts_sum_to_points_inside() -> None:
    # speed is measured in benchmarks/hotspots.py, never asserted here
    rng = np.random.default_rng(0)
    cells = _cells(size=100, extent=20_000)
    pts = _pts(
        rng.normal(10_000, 2500, 100_000).tolist(), rng.normal(10_000, 2500, 100_000).tolist()
    )
    out = kde.kde(pts, cells, bandwidth_m=500)
    inside = (
        pts.geometry.x.between(X0, X0 + 20_000) & pts.geometry.y.between(Y0, Y0 + 20_000)
    ).sum()
    assert out["expected_n"].sum() == pytest.approx(inside, rel=0.01)


def test_cli_kde_csv_in_czechia_writes_5514_gpkg(tmp_path: Path) -> None:
    import json

    from apk_geo import cli

    src = tmp_path / "pts.csv"
    src.write_text(
        "lat,lon\n" + "\n".join(f"{49.83 + i * 1e-4},{18.28 + (i % 7) * 1e-4}" for i in range(40))
    )
    out = tmp_path / "kde.gpkg"
    code = cli.main(
        [
            "hotspots",
            "--input",
            str(src),
            "--method",
            "kde",
            "--cell-size-m",
            "50",
            "--bandwidth-m",
            "300",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    result = gpd.read_file(out)
    assert result.crs.to_epsg() == 5514
    # the CLI result equals the library pipeline on the same study area
    from apk_geo import grid
    from apk_geo.points import read_points

    pts = read_points(src)
    cells = grid.make_grid(grid.study_area(pts, cell_size_m=50), cell_size_m=50)
    expected = kde.kde(pts, cells, bandwidth_m=300)
    np.testing.assert_allclose(result["expected_n"], expected["expected_n"], rtol=1e-9)
    assert 0 < result["expected_n"].sum() < 40  # the kernels reach beyond the hull + one cell
    params = json.loads(out.with_name(out.name + ".params.json").read_text(encoding="utf-8"))
    assert params["result"]["bandwidth_m"] == 300 and params["output_crs"] == "EPSG:5514"
