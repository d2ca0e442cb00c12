from __future__ import annotations

import json
from math import comb

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import stats

from apk_geo.change import OUTPUT_COLUMNS, change, poisson_rate_test
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.grid import make_grid

CRS = "EPSG:5514"
TZ = "Europe/Prague"
A = ("2024-01-01", "2024-01-31")  # 30 days
B = ("2024-02-01", "2024-03-02")  # 30 days (2024 is a leap year)


def _grid(n: int = 5) -> gpd.GeoDataFrame:
    area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 100 * n, 100)], crs=CRS)
    return make_grid(area, cell_size_m=100)


def _points(
    spec: dict[int, tuple[int, int]], *, day_a: str = "2024-01-10", day_b: str = "2024-02-10"
) -> gpd.GeoDataFrame:
    """``spec[cell_index] = (n_a, n_b)``: points at the centre of cell ``cell_index``."""
    xs, times = [], []
    for cell, (na, nb) in spec.items():
        for k in range(na):
            xs.append(50.0 + 100 * cell)
            times.append(pd.Timestamp(day_a, tz=TZ) + pd.Timedelta(hours=k))
        for k in range(nb):
            xs.append(50.0 + 100 * cell)
            times.append(pd.Timestamp(day_b, tz=TZ) + pd.Timedelta(hours=k))
    return gpd.GeoDataFrame(
        {"reported_at": pd.Series(times, dtype=f"datetime64[ns, {TZ}]")},
        geometry=gpd.points_from_xy(xs, [50.0] * len(xs)),
        crs=CRS,
    )


def _by_x(out: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return out.assign(_x=out.geometry.centroid.x).sort_values("_x").reset_index(drop=True)


def test_poisson_rate_test_hand_values() -> None:
    # equal lengths: n_b | 12 ~ Bin(12, 1/2); P = 2 · (C(12,10) + C(12,11) + C(12,12)) / 2^12
    assert poisson_rate_test(2, 10, days_a=30, days_b=30) == pytest.approx(2 * 79 / 4096)
    # all five in A: 2 · 0.5^5
    assert poisson_rate_test(5, 0, days_a=7, days_b=7) == pytest.approx(0.0625)
    # B three times shorter with the same rate (3 vs 1): the most likely outcome → p = 1
    assert poisson_rate_test(3, 1, days_a=30, days_b=10) == pytest.approx(1.0)
    assert np.isnan(poisson_rate_test(0, 0, days_a=1, days_b=1))


@pytest.mark.parametrize(
    ("n_a", "n_b", "days_a", "days_b"),
    [(4, 9, 30, 30), (7, 2, 31, 29), (1, 6, 90, 30), (15, 40, 10, 20)],
)
def test_poisson_rate_test_matches_scipy_and_hand_sum(
    n_a: int, n_b: int, days_a: float, days_b: float
) -> None:
    n, p = n_a + n_b, days_b / (days_a + days_b)
    ref = stats.binomtest(n_b, n, p).pvalue
    assert poisson_rate_test(n_a, n_b, days_a=days_a, days_b=days_b) == pytest.approx(ref)
    # by hand: sum of the probabilities no larger than that of the observed count
    pmf = np.array([comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)])
    hand = pmf[pmf <= pmf[n_b] * (1 + 1e-7)].sum()
    assert ref == pytest.approx(min(hand, 1.0))


def test_change_hand_cases_and_schema() -> None:
    grid = _grid(5)
    pts = _points({0: (2, 10), 1: (5, 0), 3: (0, 20), 4: (20, 1)})
    out = change(pts, grid, period_a=A, period_b=B, adjust="none")
    assert list(out.columns) == [*grid.columns, *OUTPUT_COLUMNS]
    assert out["n_a"].dtype == np.int64 and out["diff"].dtype == np.int64
    assert out["significant"].dtype == bool
    assert out["direction"].dtype == "string"
    o = _by_x(out)
    assert o["n_a"].tolist() == [2, 5, 0, 0, 20]
    assert o["n_b"].tolist() == [10, 0, 0, 20, 1]
    assert o["diff"].tolist() == [8, -5, 0, 20, -19]
    assert o.loc[0, "p_value"] == pytest.approx(2 * 79 / 4096)
    assert o.loc[1, "p_value"] == pytest.approx(0.0625)
    assert np.isnan(o.loc[2, "p_value"]) and np.isnan(o.loc[2, "rate_ratio"])
    assert o.loc[3, "p_value"] == pytest.approx(2 * 0.5**20)
    assert o.loc[0, "rate_ratio"] == pytest.approx(5.0)
    assert o.loc[3, "rate_ratio"] == np.inf
    assert o["significant"].tolist() == [True, False, False, True, True]
    assert o["direction"].tolist() == ["up", "none", "none", "up", "down"]


def test_change_benjamini_hochberg_across_tested_cells() -> None:
    grid = _grid(5)
    pts = _points({0: (2, 10), 1: (5, 0), 3: (0, 20), 4: (20, 1)})
    out = _by_x(change(pts, grid, period_a=A, period_b=B))
    tested = out["p_value"].notna()
    assert tested.sum() == 4
    expected = stats.false_discovery_control(out.loc[tested, "p_value"].to_numpy(), method="bh")
    np.testing.assert_allclose(out.loc[tested, "p_adjusted"], expected)
    assert out.loc[~tested, "p_adjusted"].isna().all()
    # bonferroni: p · 4, capped at 1
    bonf = _by_x(change(pts, grid, period_a=A, period_b=B, adjust="bonferroni"))
    np.testing.assert_allclose(
        bonf.loc[tested, "p_adjusted"], np.minimum(out.loc[tested, "p_value"] * 4, 1)
    )
    assert bonf["significant"].tolist() == [False, False, False, True, True]


def test_change_periods_of_different_length() -> None:
    grid = _grid(2)
    # A = 30 days with 3, B = 10 days with 1: the same daily rate
    pts = _points({0: (3, 1)}, day_b="2024-02-05")
    out = _by_x(
        change(
            pts, grid, period_a=("2024-01-01", "2024-01-31"), period_b=("2024-02-01", "2024-02-11")
        )
    )
    assert out.loc[0, "rate_ratio"] == pytest.approx(1.0)
    assert out.loc[0, "p_value"] == pytest.approx(stats.binomtest(1, 4, 0.25).pvalue)
    assert out.loc[0, "direction"] == "none"
    params = out.attrs["params"]
    assert params["days_a"] == 30 and params["days_b"] == 10
    assert params["share_b_under_null"] == pytest.approx(0.25)
    json.dumps(params)


def test_change_periods_are_half_open() -> None:
    grid = _grid(1)
    t = pd.Series(pd.to_datetime(["2024-01-31 00:00", "2024-01-30 23:59"]).tz_localize(TZ))
    pts = gpd.GeoDataFrame({"reported_at": t}, geometry=[shapely.Point(50, 50)] * 2, crs=CRS)
    out = change(
        pts, grid, period_a=("2024-01-01", "2024-01-31"), period_b=("2024-01-31", "2024-02-10")
    )
    assert out["n_a"].tolist() == [1] and out["n_b"].tolist() == [1]


def test_change_reads_tz_aware_bounds_in_the_points_zone() -> None:
    grid = _grid(1)
    # 23:30 UTC on 31 Jan is 00:30 on 1 Feb in Prague → period B
    t = pd.Series([pd.Timestamp("2024-02-01 00:30", tz=TZ), pd.Timestamp("2024-01-15", tz=TZ)])
    pts = gpd.GeoDataFrame({"reported_at": t}, geometry=[shapely.Point(50, 50)] * 2, crs=CRS)
    out = change(
        pts,
        grid,
        period_a=(
            pd.Timestamp("2023-12-31 23:00", tz="UTC"),
            pd.Timestamp("2024-01-31 23:00", tz="UTC"),
        ),
        period_b=(
            pd.Timestamp("2024-01-31 23:00", tz="UTC"),
            pd.Timestamp("2024-02-29 23:00", tz="UTC"),
        ),
    )
    assert out["n_a"].tolist() == [1] and out["n_b"].tolist() == [1]
    assert out.attrs["params"]["period_b"][0] == "2024-02-01 00:00:00"


def test_change_ignores_points_outside_periods_and_grid() -> None:
    grid = _grid(2)
    pts = _points({0: (1, 2)})
    extra = gpd.GeoDataFrame(
        {
            "reported_at": pd.Series(
                [pd.Timestamp("2024-05-01", tz=TZ), pd.Timestamp("2024-01-05", tz=TZ)]
            )
        },
        geometry=[shapely.Point(50, 50), shapely.Point(5000, 50)],
        crs=CRS,
    )
    out = change(pd.concat([pts, extra], ignore_index=True), grid, period_a=A, period_b=B)
    assert out["n_a"].sum() == 1 and out["n_b"].sum() == 2
    assert out.attrs["params"]["n_points_outside_grid"] == 1


def test_change_does_not_mutate_inputs() -> None:
    grid, pts = _grid(3), _points({0: (2, 3), 2: (1, 0)})
    g0, p0 = grid.copy(), pts.copy()
    change(pts, grid, period_a=A, period_b=B)
    pd.testing.assert_frame_equal(grid, g0)
    pd.testing.assert_frame_equal(pts, p0)


def test_change_errors() -> None:
    grid, pts = _grid(3), _points({0: (2, 3)})
    with pytest.raises(ParameterError, match="overlap"):
        change(pts, grid, period_a=("2024-01-01", "2024-02-15"), period_b=B)
    with pytest.raises(ParameterError, match="is empty"):
        change(pts, grid, period_a=("2024-01-31", "2024-01-01"), period_b=B)
    with pytest.raises(ParameterError, match=r"must be a \(start, end\) pair"):
        change(pts, grid, period_a="2024-01", period_b=B)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="cannot read"):
        change(pts, grid, period_a=("soon", "later"), period_b=B)
    with pytest.raises(ParameterError, match="adjust must be one of"):
        change(pts, grid, period_a=A, period_b=B, adjust="holm")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="missing column"):
        change(pts.drop(columns="reported_at"), grid, period_a=A, period_b=B)
    with pytest.raises(CRSError, match="reproject"):
        change(pts.to_crs("EPSG:3857"), grid, period_a=A, period_b=B)
    with pytest.raises(InsufficientDataError, match="no incident"):
        change(
            pts, grid, period_a=("2023-01-01", "2023-02-01"), period_b=("2023-02-01", "2023-03-01")
        )
