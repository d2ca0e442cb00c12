from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pointpats.spacetime import Knox

from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.nearrepeat import KNOX_COLUMNS, knox, knox_counts

CRS = "EPSG:5514"
T0 = pd.Timestamp("2024-03-01 08:00", tz="Europe/Prague")

# Five points, hand-counted with distance_m = 100, days = 2:
#   close in space (≤ 100 m): A–B 50 m, A–C 80 m, B–C 94.3 m, D–E 20 m           → 4 pairs
#   close in time (≤ 2 d):    A–B 1 d, A–D 0.5 d, B–D 0.5 d                       → 3 pairs
#   close in both:            A–B                                                 → 1 pair
#   pairs 5·4/2 = 10, expected 4·3/10 = 1.2, ratio 1/1.2
_XY = np.array([[0, 0], [50, 0], [0, 80], [500, 500], [520, 500]], dtype=float)
_T = np.array([0.0, 1.0, 10.0, 0.5, 30.0])


def _frame(xy: np.ndarray, t_days: np.ndarray, cats: list[str] | None = None) -> gpd.GeoDataFrame:
    data: dict[str, object] = {
        "reported_at": pd.Series([T0 + pd.Timedelta(days=float(d)) for d in t_days]),
    }
    if cats is not None:
        data["category"] = cats
    return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS)


def _exact_p(xy: np.ndarray, t: np.ndarray, distance_m: float, days: float) -> float:
    """P(sim ≥ observed) over all n! permutations of the times (an exact reference)."""
    n = len(t)
    close_s = [
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if np.hypot(*(xy[i] - xy[j])) <= distance_m
    ]

    def count(tt: np.ndarray) -> int:
        return sum(abs(tt[i] - tt[j]) <= days for i, j in close_s)

    obs = count(t)
    sims = [count(t[list(p)]) for p in itertools.permutations(range(n))]
    return float(np.mean([s >= obs for s in sims]))


def test_knox_counts_hand_example() -> None:
    r = knox_counts(_XY, _T, distance_m=100, days=2, permutations=0)
    assert (r.n_points, r.n_pairs, r.n_close_space, r.n_close_time, r.observed) == (5, 10, 4, 3, 1)
    assert r.expected == pytest.approx(1.2)
    assert r.ratio == pytest.approx(1 / 1.2)
    assert np.isnan(r.p_value)


def test_knox_thresholds_are_inclusive() -> None:
    xy = np.array([[0, 0], [100, 0]], dtype=float)
    at = knox_counts(xy, np.array([0.0, 2.0]), distance_m=100, days=2, permutations=0)
    beyond = knox_counts(xy, np.array([0.0, 2.01]), distance_m=100, days=2, permutations=0)
    assert (at.observed, beyond.observed) == (1, 0)


def test_knox_pseudo_p_close_to_exact_permutation_p() -> None:
    exact = _exact_p(_XY, _T, 100, 2)
    r = knox_counts(_XY, _T, distance_m=100, days=2, permutations=9999, seed=3)
    # (1 + k)/(1 + 9999) with k ~ Bin(9999, exact): within 4 standard errors
    assert abs(r.p_value - exact) < 4 * np.sqrt(exact * (1 - exact) / 9999) + 1e-3
    # the permutation mean is exactly the analytic expectation
    assert r.simulated.mean() == pytest.approx(r.expected, abs=0.05)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_knox_counts_match_pointpats(seed: int) -> None:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1000, size=(60, 2))
    t = rng.integers(0, 60, size=60).astype(float)
    ours = knox_counts(xy, t, distance_m=150, days=3, permutations=0)
    ref = Knox(xy, t[:, None], delta=150, tau=3, permutations=0)
    assert ours.observed == ref.nst
    assert ours.expected == pytest.approx(ref.expected[0, 0])
    assert ours.n_close_space == ref.observed[0].sum()
    assert ours.n_close_time == ref.observed[0, 0] + ref.observed[1, 0]


def test_knox_is_seeded() -> None:
    rng = np.random.default_rng(9)
    xy, t = rng.uniform(0, 500, size=(40, 2)), rng.uniform(0, 30, size=40)
    a = knox_counts(xy, t, distance_m=100, days=5, permutations=199, seed=11)
    b = knox_counts(xy, t, distance_m=100, days=5, permutations=199, seed=11)
    np.testing.assert_array_equal(a.simulated, b.simulated)
    assert a.p_value == b.p_value


def test_knox_detects_planted_near_repeats() -> None:
    rng = np.random.default_rng(5)
    base_xy = rng.uniform(0, 5000, size=(40, 2))
    base_t = rng.uniform(0, 365, size=40)
    # every event is followed by a repeat 20 m and 1 day away
    xy = np.vstack([base_xy, base_xy + 20])
    t = np.concatenate([base_t, base_t + 1])
    r = knox_counts(xy, t, distance_m=100, days=3, permutations=199, seed=0)
    assert r.observed >= 40
    assert r.ratio > 5
    assert r.p_value == pytest.approx(1 / 200)


def test_knox_frame_schema_and_per_category() -> None:
    cats = ["noise", "noise", "noise", "dogs", "dogs"]
    out = knox(_frame(_XY, _T, cats), distance_m=100, days=2, permutations=99, by="category")
    assert list(out.columns) == list(KNOX_COLUMNS)
    assert out["category"].tolist() == ["dogs", "noise"]
    assert out["observed"].dtype == np.int64 and out["p_value"].dtype == np.float64
    dogs, noise = out.iloc[0], out.iloc[1]
    # dogs: D–E 20 m apart but 29.5 days apart → 1 spatial pair, 0 temporal
    assert (dogs["n_points"], dogs["n_close_space"], dogs["n_close_time"], dogs["observed"]) == (
        2,
        1,
        0,
        0,
    )
    # noise: A, B, C → 3 spatial pairs, A–B the only temporal pair → observed 1, expected 1
    assert (noise["n_pairs"], noise["n_close_space"], noise["n_close_time"]) == (3, 3, 1)
    assert noise["observed"] == 1 and noise["expected"] == pytest.approx(1.0)
    assert noise["ratio"] == pytest.approx(1.0)
    assert noise["p_value"] == pytest.approx(1.0)  # every permutation has one close pair
    params = out.attrs["params"]
    assert params["by"] == "category" and params["seed"] == 0
    json.dumps(params)


def test_knox_frame_all_points_matches_hand_count() -> None:
    out = knox(_frame(_XY, _T), distance_m=100, days=2, permutations=0)
    assert out["category"].tolist() == ["all"]
    row = out.iloc[0]
    assert (row["observed"], row["n_close_space"], row["n_close_time"]) == (1, 4, 3)
    assert row["expected"] == pytest.approx(1.2)


def test_knox_category_with_one_point_gets_nan() -> None:
    out = knox(
        _frame(_XY, _T, ["a", "b", "b", "b", "b"]),
        distance_m=100,
        days=2,
        permutations=9,
        by="category",
    )
    a = out.set_index("category").loc["a"]
    assert a["n_points"] == 1 and a["observed"] == 0
    assert np.isnan(a["expected"]) and np.isnan(a["p_value"])


def test_knox_compares_absolute_instants_across_dst() -> None:
    # 30 Mar 2024 23:30 and 31 Mar 2024 03:30 Prague time are 3 h apart (DST starts at 02:00)
    t = pd.Series(
        pd.to_datetime(["2024-03-30 23:30", "2024-03-31 03:30"]).tz_localize("Europe/Prague")
    )
    pts = gpd.GeoDataFrame({"reported_at": t}, geometry=[shapely.Point(0, 0)] * 2, crs=CRS)
    assert knox(pts, distance_m=1, days=3 / 24, permutations=0)["observed"].iloc[0] == 1
    # (wall-clock times differ by 4 h, which would not be close)
    assert knox(pts, distance_m=1, days=2.9 / 24, permutations=0)["observed"].iloc[0] == 0


def test_knox_drops_unusable_rows_and_does_not_mutate() -> None:
    pts = _frame(_XY, _T)
    pts.loc[2, "reported_at"] = pd.NaT
    p0 = pts.copy()
    out = knox(pts, distance_m=100, days=2, permutations=0)
    assert out["n_points"].iloc[0] == 4
    assert out.attrs["params"]["n_points_dropped"] == 1
    pd.testing.assert_frame_equal(pts, p0)


def test_knox_errors() -> None:
    pts = _frame(_XY, _T)
    with pytest.raises(CRSError, match="geographic CRS"):
        knox(pts.to_crs("EPSG:4326"), distance_m=100, days=2)
    with pytest.raises(SchemaError, match="missing column"):
        knox(pts, distance_m=100, days=2, by="category")
    with pytest.raises(ValueError, match="distance_m must be a finite number > 0"):
        knox(pts, distance_m=0, days=2)
    with pytest.raises(ParameterError, match="permutations must be an integer >= 0"):
        knox(pts, distance_m=100, days=2, permutations=-1)
    with pytest.raises(InsufficientDataError, match="at least 2 needed"):
        knox(pts.iloc[:1], distance_m=100, days=2)
