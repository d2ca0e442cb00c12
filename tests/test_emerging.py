from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import shapely
from esda.getisord import G_Local
from libpysal.weights import W
from scipy import stats

from apk_geo import emerging as em
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.grid import make_grid

CRS = "EPSG:5514"


# ------------------------------------------------------------------------------------------
# Period choice and complete periods
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span_days", "code"),
    [(1, "D"), (14, "D"), (15, "W"), (91, "W"), (92, "M"), (731, "M"), (732, "Q"), (3000, "Q")],
    ids=lambda v: str(v),
)
def test_choose_period_follows_span_rules(span_days: float, code: str) -> None:
    chosen, reason = em.choose_period(span_days)
    assert chosen == code
    assert f"{span_days:g} days" in reason


def test_choose_period_rejects_non_positive_span() -> None:
    with pytest.raises(ValueError, match="span_days must be a finite number > 0"):
        em.choose_period(0)


def test_complete_periods_drop_partial_months() -> None:
    b = em.complete_periods(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-04-01"), period="M")
    assert [str(x.date()) for x in b] == ["2024-02-01", "2024-03-01", "2024-04-01"]


def test_complete_periods_weeks_start_on_monday() -> None:
    # 2024-01-03 is a Wednesday; the first complete ISO week starts Monday 2024-01-08
    b = em.complete_periods(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-29"), period="W")
    assert [str(x.date()) for x in b] == ["2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"]
    assert all(x.day_of_week == 0 for x in b)


def test_complete_periods_quarters_and_days() -> None:
    q = em.complete_periods(pd.Timestamp("2023-02-10"), pd.Timestamp("2024-01-01"), period="Q")
    assert [str(x.date()) for x in q] == ["2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01"]
    d = em.complete_periods(pd.Timestamp("2024-03-30"), pd.Timestamp("2024-04-02"), period="D")
    assert len(d) - 1 == 3  # 30, 31 March (DST change night) and 1 April, in wall-clock days


def test_complete_periods_rejects_unknown_code() -> None:
    with pytest.raises(ParameterError, match=r"period must be one of .* got 'Y'"):
        em.complete_periods(pd.Timestamp("2024-01-01"), pd.Timestamp("2025-01-01"), period="Y")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# Mann-Kendall
# ------------------------------------------------------------------------------------------


def test_mann_kendall_hand_values_without_ties() -> None:
    r = em.mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0])
    # S = 10 pairs all increasing; Var S = 5·4·15/18 = 16.667; Z = (10 − 1)/sqrt(16.667)
    assert r.s == 10
    assert r.var_s == pytest.approx(50 / 3)
    assert r.z == pytest.approx(9 / np.sqrt(50 / 3))
    assert r.p == pytest.approx(2 * stats.norm.sf(9 / np.sqrt(50 / 3)))


def test_mann_kendall_hand_values_with_ties() -> None:
    r = em.mann_kendall([1.0, 1.0, 2.0, 3.0])
    # S: (1,1) tie, five increasing pairs → 5; Var S = (4·3·13 − 2·1·9)/18 = 138/18
    assert r.s == 5
    assert r.var_s == pytest.approx(138 / 18)
    assert r.z == pytest.approx(4 / np.sqrt(138 / 18))


def test_mann_kendall_decreasing_is_negative() -> None:
    r = em.mann_kendall([5.0, 4.0, 3.0, 2.0, 1.0, 0.0])
    assert r.s == -15
    assert r.z < 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_mann_kendall_matches_scipy_kendalltau_on_time_index(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=15).astype(float)  # many ties
    r = em.mann_kendall(x, continuity=False)
    ref = stats.kendalltau(np.arange(x.size), x, method="asymptotic")
    assert r.p == pytest.approx(ref.pvalue, rel=1e-10)
    # tau-b with an untied time index: S / sqrt(n0 · (n0 − Σ t(t−1)/2))
    _, counts = np.unique(x, return_counts=True)
    n0 = x.size * (x.size - 1) / 2
    tau_b = r.s / np.sqrt(n0 * (n0 - (counts * (counts - 1) / 2).sum()))
    assert tau_b == pytest.approx(ref.statistic, rel=1e-10)


def test_mann_kendall_rows_equal_single_series() -> None:
    rng = np.random.default_rng(7)
    m = rng.normal(size=(4, 9))
    many = em.mann_kendall(m)
    for i in range(4):
        one = em.mann_kendall(m[i])
        assert many.z[i] == pytest.approx(one.z)
        assert many.p[i] == pytest.approx(one.p)


def test_mann_kendall_constant_series_has_no_trend() -> None:
    r = em.mann_kendall([2.0, 2.0, 2.0, 2.0])
    assert r.z == 0
    assert r.p == 1


# ------------------------------------------------------------------------------------------
# Space-time Gi*
# ------------------------------------------------------------------------------------------

_COUNTS = np.array([[0, 1, 3, 5], [2, 0, 1, 4], [0, 0, 0, 1]], dtype=float)
_PATH = np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]], dtype=float)  # three cells in a row


def _esda_space_time(counts: np.ndarray, adj: np.ndarray, time_steps: int) -> np.ndarray:
    n_cells, n_periods = counts.shape
    nbrs: dict[int, list[int]] = {}
    for i in range(n_cells):
        for t in range(n_periods):
            nbrs[t * n_cells + i] = [
                tt * n_cells + j
                for j in range(n_cells)
                if adj[i, j]
                for tt in range(t - time_steps, t + 1)
                if tt >= 0
            ]
    g = G_Local(counts.T.ravel(), W(nbrs), transform="B", star=True, permutations=0)
    return np.asarray(g.Zs).reshape(n_periods, n_cells).T


@pytest.mark.filterwarnings("ignore:The weights matrix is not fully connected")
@pytest.mark.parametrize("time_steps", [0, 1, 2])
def test_space_time_gistar_matches_esda(time_steps: int) -> None:
    z = em.space_time_gistar(_COUNTS, sp.csr_array(_PATH), time_steps=time_steps)
    np.testing.assert_allclose(z, _esda_space_time(_COUNTS, _PATH, time_steps), rtol=1e-10)


def test_space_time_gistar_hand_value() -> None:
    # bin (cell 0, period 1): neighbourhood = cells 0,1 in periods 0 and 1 → sum 0+2+1+0 = 3, k=4
    x = _COUNTS
    n, mean, sd = x.size, x.mean(), x.std()
    expected = (3 - mean * 4) / (sd * np.sqrt((n * 4 - 16) / (n - 1)))
    z = em.space_time_gistar(x, _PATH, time_steps=1)
    assert z[0, 1] == pytest.approx(expected)


def test_space_time_gistar_refuses_constant_cube() -> None:
    with pytest.raises(InsufficientDataError, match="same count"):
        em.space_time_gistar(np.ones((3, 4)), _PATH)


def test_space_time_gistar_checks_shapes() -> None:
    with pytest.raises(ParameterError, match="must be 3 × 3"):
        em.space_time_gistar(_COUNTS, np.eye(2))


def test_spatial_neighbours_are_queen_contiguity_with_self() -> None:
    area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 300, 300)], crs=CRS)
    grid = make_grid(area, cell_size_m=100)
    adj = em.spatial_neighbours(grid).toarray()
    assert adj.shape == (9, 9)
    cent = grid.geometry.centroid
    centre = int(np.argmin(cent.distance(shapely.Point(150, 150))))
    corner = int(np.argmin(cent.distance(shapely.Point(50, 50))))
    assert adj[centre].sum() == 9  # itself + 8 queen neighbours
    assert adj[corner].sum() == 4  # itself + 3
    assert (adj == adj.T).all()


def test_spatial_neighbours_on_hex_grid_have_six_neighbours() -> None:
    area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1000, 1000)], crs=CRS)
    grid = make_grid(area, cell_size_m=100, shape="hex")
    degree = np.asarray(em.spatial_neighbours(grid).sum(axis=1)).ravel()
    assert degree.max() == 7  # itself + 6
    assert (degree == 7).sum() > len(grid) / 2


# ------------------------------------------------------------------------------------------
# Classifier: every category on a constructed series
# ------------------------------------------------------------------------------------------

H, C, o = "H", "C", "."


def _flags(pattern: str) -> tuple[list[bool], list[bool]]:
    return [ch == H for ch in pattern], [ch == C for ch in pattern]


@pytest.mark.parametrize(
    ("pattern", "trend_z", "trend_p", "expected"),
    [
        ("..........", 0.0, 1.0, "no_pattern"),
        (".........H", 1.0, 0.5, "new_hot"),
        (".......HHH", 2.0, 0.04, "consecutive_hot"),
        ("HHHHHHHHHH", 3.0, 0.001, "intensifying_hot"),
        ("HHHHHHHHHH", 0.5, 0.6, "persistent_hot"),
        ("HHHHHHHHHH", -3.0, 0.001, "diminishing_hot"),
        ("H..HH.H..H", 0.2, 0.8, "sporadic_hot"),
        ("CC.......H", 1.5, 0.1, "oscillating_hot"),
        ("HHHHHHHHH.", -1.0, 0.3, "historical_hot"),
        (".........C", -1.0, 0.5, "new_cold"),
        (".......CCC", -2.0, 0.04, "consecutive_cold"),
        ("CCCCCCCCCC", -3.0, 0.001, "intensifying_cold"),
        ("CCCCCCCCCC", 0.1, 0.9, "persistent_cold"),
        ("CCCCCCCCCC", 3.0, 0.001, "diminishing_cold"),
        ("C..CC.C..C", 0.2, 0.8, "sporadic_cold"),
        ("HH.......C", -1.5, 0.1, "oscillating_cold"),
        ("CCCCCCCCC.", 1.0, 0.3, "historical_cold"),
    ],
    ids=lambda v: v if isinstance(v, str) and "_" in v else None,
)
def test_classify_each_category(
    pattern: str, trend_z: float, trend_p: float, expected: str
) -> None:
    hot, cold = _flags(pattern)
    assert em.classify_series(hot, cold, trend_z=trend_z, trend_p=trend_p) == expected


def test_all_17_categories_have_labels() -> None:
    codes = [c.code for c in em.CATEGORIES]
    assert len(codes) == len(set(codes)) == 17
    assert all(c.cs and c.en for c in em.CATEGORIES)


@pytest.mark.parametrize(
    ("pattern", "trend_z", "trend_p", "expected"),
    [
        # 90 % is exact: 4 of 5 periods is 80 %, so not persistent but sporadic
        ("H.HHH", 0.0, 1.0, "sporadic_hot"),
        ("HHHHH", 0.0, 1.0, "persistent_hot"),
        # 9 of 10 with the final one hot is "mostly hot"
        ("H.HHHHHHHH", 0.0, 1.0, "persistent_hot"),
        # a significant trend without "mostly hot" does not make it intensifying
        ("....HHHHHH", 3.5, 0.0005, "consecutive_hot"),
        # a trend that is not significant at 0.05 leaves it persistent
        ("HHHHHHHHHH", 1.9, 0.0574, "persistent_hot"),
        # a cold history wins over "new": the flip is what matters
        ("C........H", 1.0, 0.3, "oscillating_hot"),
        # a hot spot interrupted before the final run is sporadic, not consecutive
        ("..H....HHH", 1.0, 0.3, "sporadic_hot"),
        # the final period decides the side: mostly hot but now cold → oscillating cold
        ("HHHHHHHHHHC", -2.0, 0.01, "oscillating_cold"),
        # a single hot period that is not the last one is no pattern
        ("....H.....", 0.0, 1.0, "no_pattern"),
    ],
)
def test_classify_decisions_where_the_definitions_are_open(
    pattern: str, trend_z: float, trend_p: float, expected: str
) -> None:
    hot, cold = _flags(pattern)
    assert em.classify_series(hot, cold, trend_z=trend_z, trend_p=trend_p) == expected


def test_classify_vectorised_matches_single_series() -> None:
    patterns = [".........H", "HHHHHHHHHH", "CC.......H", "HHHHHHHHH.", ".......CCC"]
    flags = [_flags(p) for p in patterns]
    hot = np.array([f[0] for f in flags])
    cold = np.array([f[1] for f in flags])
    tz = np.array([1.0, 3.0, 1.5, -1.0, -2.0])
    tp = np.array([0.5, 0.001, 0.1, 0.3, 0.04])
    out = em.classify(hot, cold, trend_z=tz, trend_p=tp)
    assert list(out) == [
        em.classify_series(h, c, trend_z=z, trend_p=p)
        for h, c, z, p in zip(hot, cold, tz, tp, strict=True)
    ]


def test_classify_rejects_bins_both_hot_and_cold() -> None:
    with pytest.raises(ParameterError, match="both a significant hot spot and a cold spot"):
        em.classify_series([True, True], [True, False], trend_z=0.0, trend_p=1.0)


# ------------------------------------------------------------------------------------------
# The GeoDataFrame wrapper
# ------------------------------------------------------------------------------------------


def _grid7() -> gpd.GeoDataFrame:
    area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 700, 700)], crs=CRS)
    return make_grid(area, cell_size_m=100)


def _cell_at(grid: gpd.GeoDataFrame, x: float, y: float) -> int:
    return int(grid.loc[grid.contains(shapely.Point(x, y)), "cell_id"].iloc[0])


def _weekly_points() -> gpd.GeoDataFrame:
    """12 ISO weeks (1 Jan – 24 Mar 2024) on the 7 × 7 grid of 100 m cells.

    * growing cluster: the 3 × 3 block of cells around (150, 150) gets 8 + w points a cell in
      week w (w = 0..11);
    * late cluster: the 3 × 3 block around (550, 550) gets 10 points a cell in the last 3 weeks;
    * background: Poisson(0.3) points per cell and week (seed 1);
    * one point on Sunday of the last week at (650, 50), so the last week is complete.
    """
    rng = np.random.default_rng(1)
    week0 = pd.Timestamp("2024-01-01 10:00", tz="Europe/Prague")
    rows: list[tuple[float, float, pd.Timestamp]] = []
    for w in range(12):
        t = week0 + pd.Timedelta(days=7 * w)
        for cx in (50.0, 150.0, 250.0):
            for cy in (50.0, 150.0, 250.0):
                rows += [(cx, cy, t + pd.Timedelta(hours=h)) for h in range(8 + w)]
                if w >= 9:
                    rows += [(cx + 400, cy + 400, t + pd.Timedelta(hours=h)) for h in range(10)]
        for i in range(7):
            for j in range(7):
                rows += [
                    (50.0 + 100 * i, 50.0 + 100 * j, t + pd.Timedelta(days=2))
                    for _ in range(rng.poisson(0.3))
                ]
    rows.append((650.0, 50.0, week0 + pd.Timedelta(days=7 * 11 + 6)))
    x, y, t = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"reported_at": pd.Series(t), "category": "public_order"},
        geometry=gpd.points_from_xy(x, y),
        crs=CRS,
    )


def test_emerging_schema_and_params() -> None:
    grid, pts = _grid7(), _weekly_points()
    out = em.emerging(pts, grid)
    assert list(out.columns) == [*grid.columns, *em.OUTPUT_COLUMNS[1:]]
    assert len(out) == len(grid)
    assert out["emerging_class"].dtype == "string"
    assert out["n_total"].dtype == np.int64
    assert set(out["emerging_class"]) <= {c.code for c in em.CATEGORIES}
    assert out["trend_p"].between(0, 1).all()
    assert ((out["n_periods_hot"] + out["n_periods_cold"]) <= 12).all()
    params = out.attrs["params"]
    assert params["period"] == "W" and params["period_auto"] is True
    assert "84 days" in params["period_reason"]
    assert params["n_periods"] == 12
    assert params["periods"][0] == "2024-01-01"
    assert params["n_points_used"] == len(pts)
    import json

    json.dumps(params)


def test_emerging_finds_the_constructed_patterns() -> None:
    grid, pts = _grid7(), _weekly_points()
    out = em.emerging(pts, grid).set_index("cell_id")
    growing, late, quiet = (
        _cell_at(grid, 150, 150),
        _cell_at(grid, 550, 550),
        _cell_at(grid, 350, 350),
    )
    assert out.loc[growing, "emerging_class"] == "intensifying_hot"
    assert out.loc[growing, "emerging_label_en"] == "intensifying hot spot"
    assert out.loc[growing, "trend_z"] > 0
    assert out.loc[growing, "n_periods_hot"] >= 11
    assert out.loc[late, "emerging_class"] == "consecutive_hot"
    assert out.loc[late, "n_periods_hot"] == 2
    assert out.loc[late, "emerging_label_cs"] == "souvislé horké místo"
    # a significant trend alone, without significant bins, is no pattern
    assert out.loc[quiet, "trend_p"] < 0.05
    assert out.loc[quiet, "emerging_class"] == "no_pattern"
    inside = [int(grid.geometry.iloc[i].contains(pts.geometry).sum()) for i in range(len(grid))]
    assert out["n_total"].tolist() == inside
    assert out["n_total"].sum() == len(pts)


def test_emerging_wrapper_agrees_with_array_core() -> None:
    grid, pts = _grid7(), _weekly_points()
    out = em.emerging(pts, grid, period="W", adjust="none", alpha=0.05)
    # rebuild the cube by hand
    week = (
        (pts["reported_at"].dt.tz_localize(None) - pd.Timestamp("2024-01-01"))
        // pd.Timedelta(days=7)
    ).to_numpy()
    ids = np.array([_cell_at(grid, p.x, p.y) for p in pts.geometry])
    pos = pd.Index(grid["cell_id"]).get_indexer(ids)
    cube = np.zeros((len(grid), 12))
    np.add.at(cube, (pos, week), 1)
    z = em.space_time_gistar(cube, em.spatial_neighbours(grid))
    hot = (2 * stats.norm.sf(np.abs(z)) < 0.05) & (z > 0)
    np.testing.assert_array_equal(out["n_periods_hot"].to_numpy(), hot.sum(axis=1))
    np.testing.assert_allclose(out["trend_z"].to_numpy(), em.mann_kendall(z).z)


def test_emerging_does_not_mutate_inputs() -> None:
    grid, pts = _grid7(), _weekly_points()
    g0, p0 = grid.copy(), pts.copy()
    em.emerging(pts, grid)
    pd.testing.assert_frame_equal(grid, g0)
    pd.testing.assert_frame_equal(pts, p0)


def test_emerging_drops_partial_periods() -> None:
    grid, pts = _grid7(), _weekly_points()
    # one extra point on Wednesday after the last complete week: its week is incomplete
    extra = gpd.GeoDataFrame(
        {
            "reported_at": [pd.Timestamp("2024-03-27 09:00", tz="Europe/Prague")],
            "category": ["public_order"],
        },
        geometry=[shapely.Point(150, 150)],
        crs=CRS,
    )
    out = em.emerging(pd.concat([pts, extra], ignore_index=True), grid, period="W")
    assert out.attrs["params"]["n_periods"] == 12
    assert out.attrs["params"]["n_points_outside_periods"] == 1
    assert out["n_total"].sum() == len(pts)


def test_emerging_steps_down_when_too_few_periods(caplog: pytest.LogCaptureFixture) -> None:
    grid = _grid7()
    t0 = pd.Timestamp("2024-01-01 12:00", tz="Europe/Prague")
    # 16 Jan – 18 Apr: a 94-day span → monthly, but only February and March are complete,
    # fewer than MIN_PERIODS = 3, so weekly periods are used instead
    times = [t0 + pd.Timedelta(days=15 + d) for d in range(0, 95, 3)]
    pts = gpd.GeoDataFrame(
        {"reported_at": times},
        geometry=[shapely.Point(150 + 100 * (i % 3), 150) for i in range(len(times))],
        crs=CRS,
    )
    with caplog.at_level(logging.INFO, logger="apk_geo.emerging"):
        out = em.emerging(pts, grid)
    params = out.attrs["params"]
    assert params["period"] == "W"
    assert "94 days" in params["period_reason"]
    assert "only 2 complete monthly" in params["period_reason"]
    assert "weekly periods instead" in params["period_reason"]
    assert "weekly periods instead" in caplog.text


def test_emerging_errors() -> None:
    grid, pts = _grid7(), _weekly_points()
    with pytest.raises(SchemaError, match="missing column"):
        em.emerging(pts.drop(columns="reported_at"), grid)
    with pytest.raises(CRSError, match="reproject"):
        em.emerging(pts.to_crs("EPSG:3857"), grid)
    with pytest.raises(ParameterError, match="period must be one of"):
        em.emerging(pts, grid, period="Y")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="alpha must be between 0 and 1"):
        em.emerging(pts, grid, alpha=5)
    with pytest.raises(InsufficientDataError, match="complete monthly period"):
        em.emerging(pts, grid, period="M")


def test_mann_kendall_many_rows_in_chunks_equal_row_by_row() -> None:
    rng = np.random.default_rng(11)
    m = rng.integers(0, 5, size=(3000, 40)).astype(float)  # 3000 × 40² > one chunk
    many = em.mann_kendall(m)
    for i in (0, 1234, 2499, 2500, 2999):
        one = em.mann_kendall(m[i])
        assert many.s[i] == one.s
        assert many.var_s[i] == pytest.approx(one.var_s)


def test_emerging_adjustment_order() -> None:
    grid, pts = _grid7(), _weekly_points()
    hot = {
        adj: int(em.emerging(pts, grid, adjust=adj)["n_periods_hot"].sum())
        for adj in ("none", "fdr_bh", "bonferroni")
    }
    assert hot["none"] >= hot["fdr_bh"] >= hot["bonferroni"]
    assert hot["none"] > hot["bonferroni"]
