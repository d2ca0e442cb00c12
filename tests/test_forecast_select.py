"""The forecast's selection rule, its terms and its kernels, on cases known by hand."""

from __future__ import annotations

from collections.abc import Hashable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose

from apk_geo import forecast_kernels, forecast_select, riskterms
from apk_geo.capture import coverage_weights
from apk_geo.evaluate import evaluate
from apk_geo.forecast import ensemble, forecast
from apk_geo.forecast_kernels import _top_weights
from apk_geo.grid import make_grid
from apk_geo.surfaces import _Data, _Surfaces

X0, Y0 = -470_000.0, -1_105_000.0  # central Ostrava, EPSG:5514
TZ = "Europe/Prague"
T0 = pd.Timestamp("2024-01-01", tz=TZ)


def _cells(n: int = 10) -> gpd.GeoDataFrame:
    area = gpd.GeoDataFrame(
        geometry=[shapely.box(X0, Y0, X0 + 100 * n, Y0 + 100 * n)], crs="EPSG:5514"
    )
    return make_grid(area, cell_size_m=100)


def _points(rows: list[tuple[int, int, float]]) -> gpd.GeoDataFrame:
    """Points at the centre of cell (column, row) of 100 m, at ``day`` days after T0."""
    return gpd.GeoDataFrame(
        {"reported_at": [T0 + pd.Timedelta(days=r[2]) for r in rows]},
        geometry=gpd.points_from_xy(
            [X0 + 100 * r[0] + 50 for r in rows], [Y0 + 100 * r[1] + 50 for r in rows]
        ),
        crs="EPSG:5514",
    )


def _cell_of(cells: gpd.GeoDataFrame, col: int, row: int) -> int:
    c = cells.geometry.centroid
    hit = np.flatnonzero(
        np.isclose(c.x, X0 + 100 * col + 50) & np.isclose(c.y, Y0 + 100 * row + 50)
    )
    return int(hit[0])


def _moving_hotspot() -> gpd.GeoDataFrame:
    """Cell A busy on days 0-30 (3.5 a day), cell B steady from day 10 to day 150 (1 a day).

    Without recency weighting A keeps more incidents than B at every fold origin (105 against
    at most 90), so the ensemble's top cell is A; with a 10-day half-life B is on top at every
    origin (A's last incident is at least 20 days, two half-lives, old). Every held-out incident
    after day 30 falls in B: only the recency-weighted candidate captures them in its top cell.
    """
    rows = [(2, 2, d / 3.5) for d in range(105)]
    rows += [(7, 7, 10.0 + d) for d in range(141)]
    return _points(rows)


ONLY_DECAY = {
    "bandwidths_m": [100.0],
    "blends": [0.5],
    "half_life_shares": [None],
    "half_lives_days": [10.0],
    "objective": "pai",
    "objective_coverage": 0.01,
    "near_repeat": False,
}


def test_selection_picks_the_candidate_that_wins_on_every_fold() -> None:
    cells, pts = _cells(), _moving_hotspot()
    out = forecast(pts, cells, **ONLY_DECAY)  # type: ignore[arg-type]
    params = out.attrs["params"]
    sel = params["selection"]
    assert sel["chosen"] == "best"
    assert params["half_life_days"] == 10.0
    assert params["components"]["time_decay"] is True
    # by hand: every held-out incident is in B; the ensemble's top cell (A) captures none
    assert sel["reference"]["score"] == pytest.approx(0.0)
    assert sel["best"]["score"] == pytest.approx(100.0)  # PAI at 1 % = hit rate 1 / 0.01
    assert all(g > 0 for g in sel["gain_per_fold"])
    assert sel["nested_check"]["confirmed"] is True
    assert out["rank"].iloc[_cell_of(cells, 7, 7)] == 1
    # the ensemble before day 100 keeps A (105 incidents against B's 90) on top
    base = ensemble(pts, cells, at=T0 + pd.Timedelta(days=100))
    assert base["rank"].iloc[_cell_of(cells, 2, 2)] == 1
    assert base.attrs["params"]["method"] == "ensemble"


def test_ties_go_to_the_simpler_model() -> None:
    # one busy cell all along: every candidate puts it on top, so every score is equal
    cells = _cells()
    pts = _points([(4, 4, d * 0.5) for d in range(240)])
    out = forecast(pts, cells, bandwidths_m=[100.0, 300.0], near_repeat=False)
    params = out.attrs["params"]
    scores = {s["score"] for s in params["validation_scores"]}
    assert len(scores) == 1
    assert params["selection"]["chosen"] == "reference"
    best = params["selection"]["best"]
    # tie rule: blend nearest 0.5, then no recency weighting, then the smaller bandwidth
    assert (best["blend"], best["half_life_days"], best["bandwidth_m"]) == (0.5, None, 100.0)
    assert (params["blend"], params["half_life_days"], params["bandwidth_m"]) == (
        0.5,
        None,
        100.0,
    )


def test_reality_check_keeps_the_reference_when_the_best_gains_only_by_chance() -> None:
    rng = np.random.default_rng(3)
    n_days = 60
    day = np.repeat(np.arange(n_days), 5)
    fold = forecast_select.Fold(0.0, np.arange(len(day)) % 7, day)
    pool = forecast_select.make_pool([fold], n_days=n_days, n_boot=300, seed=0)
    ref = fold.day_sums(np.full(7, 0.5), n_days)
    # 50 candidates that are the reference plus noise: the best of them gains by chance
    sums: dict[Hashable, list[np.ndarray]] = {"ref": [ref]}
    for k in range(50):
        sums[k] = [ref + rng.normal(0, 0.002, n_days)]
    best = max(range(50), key=lambda k: sums[k][0].sum())
    verdict = forecast_select.reality_check(sums, "ref", best, pool)
    assert verdict.gain > 0
    assert verdict.replaces is False
    assert verdict.p_value > 0.05
    # a candidate that gains the same on every day passes
    sums["clear"] = [ref + 0.01]
    verdict = forecast_select.reality_check(sums, "ref", "clear", pool)
    assert verdict.replaces is True
    assert verdict.p_value < 0.05


def test_reality_check_leaves_out_resamples_of_days_without_weight() -> None:
    # days 0 and 1 hold the held-out incidents, day 2 none; the candidate gains 0.1 on day 0
    fold = forecast_select.Fold(0.0, np.array([0, 1]), np.array([0, 1]))
    resample = np.array([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]])
    pool = forecast_select.Pool((fold,), 3, np.array([0.5, 0.5, 0.0]), resample)
    sums: dict[Hashable, list[np.ndarray]] = {
        "ref": [np.zeros(3)],
        "b": [np.array([0.1, 0.0, 0.0])],
    }
    verdict = forecast_select.reality_check(sums, "ref", "b", pool)
    # by hand: resample 1 has centred 0.2 / 1 - 0.1 = 0.1 >= 0.1, resample 2 has -0.1, and
    # resample 3 drew only day 2 (no weight) and is left out: p = 1 / 2, not 1 / 3
    assert verdict.p_value == pytest.approx(0.5)
    assert verdict.gain == pytest.approx(0.1)
    assert verdict.replaces is False
    # no resample with weight at all: nothing can replace the reference
    empty = forecast_select.Pool((fold,), 3, np.array([0.5, 0.5, 0.0]), resample[2:])
    assert forecast_select.reality_check(sums, "ref", "b", empty).replaces is False


# ------------------------------------------------------------------ no test-month data
def test_evaluate_forecast_does_not_change_when_only_test_month_incidents_change() -> None:
    cells_area = gpd.GeoDataFrame(
        geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)], crs="EPSG:5514"
    )
    rng = np.random.default_rng(0)
    train = [(int(c), int(r), float(d)) for c, r, d in zip(
        rng.integers(0, 5, 150), rng.integers(0, 5, 150), rng.uniform(0, 90, 150), strict=True
    )]  # fmt: skip
    test_a = [(int(c), 9, 90 + float(d)) for c, d in zip(
        rng.integers(0, 10, 60), rng.uniform(0, 30, 60), strict=True
    )]  # fmt: skip
    test_b = [(9 - c, 0, d + 0.5) for c, _, d in test_a]
    split = T0 + pd.Timedelta(days=90)
    runs = [
        evaluate(_points(train + test), split_date=split, cell_size_m=100, area=cells_area,
                 methods=["forecast", "ensemble"], n_boot=100)
        for test in (test_a, test_b)
    ]  # fmt: skip
    a, b = (r.attrs["params"]["methods"] for r in runs)
    assert a["forecast"] == b["forecast"]
    assert a["ensemble"] == b["ensemble"]
    assert not runs[0]["hit_rate"].equals(runs[1]["hit_rate"])  # the test months did change


# ------------------------------------------------------------------ near repeats
def test_near_repeat_share_matches_the_hand_formula() -> None:
    xy = np.array([[0.0, 0.0], [100.0, 0.0]])
    t_days = np.array([0.0, 9.0])
    centroids = np.array([[0.0, 0.0], [50.0, 0.0], [100.0, 0.0], [500.0, 0.0]])
    out = riskterms.near_repeat_share(
        xy, t_days, centroids, now_days=10.0, radius_m=150.0, decay_days=5.0
    )
    w = np.exp(-np.array([10.0, 1.0]) / 5.0)

    def k(d: float) -> float:
        return (1 - (d / 150.0) ** 2) ** 2 if d < 150 else 0.0

    mass = np.array(
        [
            w[0] * k(0) + w[1] * k(100),
            w[0] * k(50) + w[1] * k(50),
            w[0] * k(100) + w[1] * k(0),
            0.0,
        ]
    )
    assert_allclose(out, mass / mass.sum(), rtol=1e-12)


# ------------------------------------------------------------------ covariates
def test_covariate_model_ranks_cells_by_a_covariate_the_intensity_follows() -> None:
    rng = np.random.default_rng(1)
    cells = _cells(20)
    c = cells.geometry.centroid
    centroids = np.column_stack([c.x, c.y])
    stops = gpd.GeoDataFrame(geometry=[shapely.Point(X0 + 350, Y0 + 1450)], crs="EPSG:5514")
    features, names = riskterms.covariate_features(centroids, {"stops": stops}, floor_m=100.0)
    assert names == ["stops", "stops (density)"]
    features = features[:, :1]  # the proximity feature alone
    dist = np.hypot(centroids[:, 0] - (X0 + 350), centroids[:, 1] - (Y0 + 1450))
    assert_allclose(features[:, 0], np.log(100.0 + dist))
    # intensity ~ exp(-2 * log distance); the base surface knows nothing (uniform)
    mu = 5000 * np.exp(-2 * features[:, 0])
    counts = rng.poisson(mu / mu.sum() * 2000).astype(float)
    base = np.full(len(cells), 1 / len(cells))
    model = riskterms.fit_covariate_model(base, features, counts)
    share = model.share(base, features)
    assert model.coef[1] < 0  # nearer the stop, more incidents
    # the model ranks the cells exactly by distance to the stop
    assert np.all(np.diff(share[np.argsort(dist)]) <= 1e-15)
    assert_allclose(share.sum(), 1.0)


# ------------------------------------------------------------------ kernels and weights
def test_lattice_kernel_equals_the_pairwise_kernel_for_incidents_at_cell_centres() -> None:
    rng = np.random.default_rng(2)
    area = gpd.GeoDataFrame(  # an irregular area: clipped edge cells
        geometry=[shapely.Point(X0 + 700, Y0 + 700).buffer(640)], crs="EPSG:5514"
    )
    cells = make_grid(area, cell_size_m=100)
    c = cells.geometry.centroid
    centroids = np.column_stack([c.x, c.y])
    cell_area = cells.geometry.area.to_numpy()
    full = np.flatnonzero(cell_area >= cell_area.max() * (1 - 1e-9))
    pos = rng.choice(full, 80)
    data = _Data(cell_pos=pos, xy=centroids[pos], t_days=rng.uniform(0, 50, 80))
    lattice = forecast_kernels.lattice_index(centroids, cell_area, 100.0)
    assert lattice is not None
    fft = forecast_kernels._LatticeSurfaces(data, lattice[0], cell_area, lattice[1], 100.0)
    # the pairwise reference, with each clipped cell's centre moved to its lattice point
    lattice_xy = centroids.copy()
    lattice_xy[:, 0] = centroids[full[0], 0] + 100 * np.rint(
        (centroids[:, 0] - centroids[full[0], 0]) / 100
    )
    lattice_xy[:, 1] = centroids[full[0], 1] + 100 * np.rint(
        (centroids[:, 1] - centroids[full[0], 1]) / 100
    )
    pairs = _Surfaces(data, lattice_xy, cell_area, 450.0)
    for bw in (100.0, 250.0, 450.0):
        for half_life in (None, 10.0):
            assert_allclose(
                fft.share(bw, 0.7, half_life, now_days=50.0),
                pairs.share(bw, 0.7, half_life, now_days=50.0),
                rtol=1e-9, atol=1e-15,
            )  # fmt: skip


def test_hexagons_use_the_pairwise_kernel() -> None:
    area = gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)], crs="EPSG:5514")
    hexes = make_grid(area, cell_size_m=100, shape="hex")
    c = hexes.geometry.centroid
    centroids = np.column_stack([c.x, c.y])
    assert forecast_kernels.lattice_index(centroids, hexes.area.to_numpy(), 100.0) is None


@pytest.mark.parametrize("kind", ["continuous", "ties", "zeros", "clipped"])
def test_top_weights_equal_the_full_sort(kind: str) -> None:
    rng = np.random.default_rng(len(kind))
    cov = np.r_[np.arange(1, 11) / 100, 0.05]
    for _ in range(40):
        n = int(rng.integers(30, 2000))
        p = rng.random(n)
        area = np.ones(n)
        if kind == "ties":
            p = np.round(p * 4) / 4
        if kind == "zeros":
            p[rng.random(n) < 0.95] = 0.0
        if kind == "clipped":
            area = np.where(rng.random(n) < 0.2, rng.uniform(0.1, 1, n), 1.0)
        assert_allclose(
            _top_weights(p, area, cov), coverage_weights(p, cell_area=area, coverages=cov),
            atol=1e-12,
        )  # fmt: skip


@pytest.mark.slow
def test_forecast_keeps_covariates_when_the_intensity_follows_them() -> None:
    # 25 stops, too many for 600 incidents to show each one: the covariate knows them all
    rng = np.random.default_rng(2)
    cells = _cells(20)
    c = cells.geometry.centroid
    centroids = np.column_stack([c.x, c.y])
    at = rng.integers(0, 20, (25, 2))
    stops = gpd.GeoDataFrame(
        geometry=[shapely.Point(X0 + 100 * x + 50, Y0 + 100 * y + 50) for x, y in at],
        crs="EPSG:5514",
    )
    features, _ = riskterms.covariate_features(centroids, {"stops": stops}, floor_m=100.0)
    mu = np.exp(-3 * features[:, 0])
    pos = rng.choice(len(cells), 600, p=mu / mu.sum())
    col = np.rint((centroids[pos, 0] - X0 - 50) / 100).astype(int)
    row = np.rint((centroids[pos, 1] - Y0 - 50) / 100).astype(int)
    days = rng.uniform(0, 120, 600)
    pts = _points([(int(a), int(b), float(d)) for a, b, d in zip(col, row, days, strict=True)])
    out = forecast(pts, cells, context={"stops": stops}, near_repeat=False)
    kept = out.attrs["params"]["components"]["covariates"]
    assert kept is not None
    assert kept["layers"] == ["stops"]
    assert kept["coef_log_distance"]["stops"] < 0
    record = out.attrs["params"]["selection"]["covariates"]
    assert all(g > 0 for g in record["gain_per_half"])
    assert record["bootstrap_p"] < 0.05
    # the covariate re-weighting ranks cells closer to the true intensity than the ensemble
    base = ensemble(pts, cells)
    rho_forecast = pd.Series(out["risk"].to_numpy()).corr(pd.Series(mu), method="spearman")
    rho_base = pd.Series(base["risk"].to_numpy()).corr(pd.Series(mu), method="spearman")
    assert rho_forecast > rho_base
