from __future__ import annotations

import json
import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose

from apk_geo.errors import CRSError, InsufficientDataError, SchemaError
from apk_geo.forecast import FORECAST_COLUMNS, align_time, forecast
from apk_geo.grid import make_grid

DATA = Path(__file__).resolve().parents[1] / "data" / "real_crime"
X0, Y0 = -470_000.0, -1_105_000.0  # central Ostrava, EPSG:5514, multiple of 100 m
TZ = "Europe/Prague"


def _cells(n: int = 10) -> gpd.GeoDataFrame:
    area = gpd.GeoDataFrame(
        geometry=[shapely.box(X0, Y0, X0 + 100 * n, Y0 + 100 * n)], crs="EPSG:5514"
    )
    return make_grid(area, cell_size_m=100)


def _points(rows: list[tuple[float, float, str]]) -> gpd.GeoDataFrame:
    """Points given as (column, row, time): at the centre of cell (column, row) of 100 m."""
    return gpd.GeoDataFrame(
        {"reported_at": pd.to_datetime([r[2] for r in rows]).tz_localize(TZ)},
        geometry=gpd.points_from_xy(
            [X0 + 100 * r[0] + 50 for r in rows], [Y0 + 100 * r[1] + 50 for r in rows]
        ),
        crs="EPSG:5514",
    )


def _cell_of(cells: gpd.GeoDataFrame, col: int, row: int) -> int:
    """Row position of the cell whose centre is at (col, row)."""
    c = cells.geometry.centroid
    hit = np.flatnonzero(
        np.isclose(c.x, X0 + 100 * col + 50) & np.isclose(c.y, Y0 + 100 * row + 50)
    )
    assert len(hit) == 1
    return int(hit[0])


def _many(center: tuple[int, int], days: range, *, month: str = "2024-01") -> list:
    return [(center[0], center[1], f"{month}-01") for _ in days]


def _ring_data() -> gpd.GeoDataFrame:
    """Early incidents in cell (5,5); later ones in the four cells around it."""
    t0 = pd.Timestamp("2024-01-01")
    rows: list[tuple[float, float, str]] = [
        (5, 5, str(t0 + pd.Timedelta(days=d))) for d in range(0, 60, 2)
    ]
    ring = [(4, 5), (6, 5), (5, 4), (5, 6)]
    rows += [(*ring[i % 4], str(t0 + pd.Timedelta(days=62 + i))) for i in range(28)]
    return _points(rows)


# ------------------------------------------------------------------ output schema
def test_output_schema_and_ranges() -> None:
    cells, pts = _cells(), _ring_data()
    out = forecast(pts, cells)
    assert list(out.columns) == ["cell_id", "geometry", *FORECAST_COLUMNS]
    assert out["risk"].between(0, 1).all() and out["risk"].max() == pytest.approx(1.0)
    assert out["expected_n"].ge(0).all()
    assert sorted(out["rank"]) == list(range(1, len(cells) + 1))
    assert out["rank"].dtype == np.int64
    top = out.loc[out["rank"] == 1, "risk"].iloc[0]
    assert top == out["risk"].max()
    params = out.attrs["params"]
    for key in ("bandwidth_m", "blend", "half_life_days", "validation_scores", "tuned"):
        assert key in params
    json.dumps(params)


def test_inputs_are_not_mutated_and_result_is_deterministic() -> None:
    cells, pts = _cells(), _ring_data()
    c0, p0 = cells.copy(), pts.copy()
    a = forecast(pts, cells, seed=1)
    b = forecast(pts, cells, seed=1)
    pd.testing.assert_frame_equal(cells, c0)
    pd.testing.assert_frame_equal(pts, p0)
    pd.testing.assert_frame_equal(a, b)
    assert "risk" not in cells.columns


def test_incidents_at_or_after_at_are_never_used() -> None:
    cells, pts = _cells(), _ring_data()
    at = pd.Timestamp("2024-04-01", tz=TZ)
    future = _points([(0, 0, "2024-04-01"), (9, 9, "2024-04-02"), (0, 9, "2024-06-01")] * 10)
    with_future = pd.concat([pts, future], ignore_index=True)
    a = forecast(pts, cells, at=at)
    b = forecast(with_future, cells, at=at)
    assert_allclose(a["risk"], b["risk"])
    assert a.attrs["params"]["validation_scores"] == b.attrs["params"]["validation_scores"]
    assert b.loc[_cell_of(cells, 0, 0), "risk"] < 0.05


# ------------------------------------------------------------------ the surface by hand
def test_counts_only_surface_is_proportional_to_counts() -> None:
    cells = _cells()
    rows = _many((2, 2), range(5)) + _many((7, 7), range(3)) + [(9, 9, "2024-01-02")]
    out = forecast(_points(rows), cells, blends=[0.0], half_life_shares=[None], horizon_days=1.0)
    risk = out["risk"].to_numpy()
    assert risk[_cell_of(cells, 2, 2)] == pytest.approx(1.0)
    assert risk[_cell_of(cells, 7, 7)] == pytest.approx(3 / 5)
    assert risk[_cell_of(cells, 9, 9)] == pytest.approx(1 / 5)
    assert np.count_nonzero(risk) == 3
    # 9 incidents over the 1-day span before the latest one: 9 expected in the next day
    assert out["expected_n"].sum() == pytest.approx(9.0)


def test_kde_surface_matches_the_quartic_kernel_by_hand() -> None:
    # one incident at a cell centre, bandwidth 150 m on 100 m cells: the kernel reaches the
    # 4 edge neighbours (d = 100 m) and the 4 diagonal ones (d = 141.4 m)
    cells = _cells()
    pts = _points([(5, 5, "2024-01-01"), (5, 5, "2024-01-03")])
    out = forecast(pts, cells, bandwidths_m=[150.0], blends=[1.0], half_life_shares=[None])
    k_edge = (1 - (100 / 150) ** 2) ** 2
    k_diag = (1 - (np.hypot(100, 100) / 150) ** 2) ** 2
    risk = out["risk"].to_numpy()
    assert risk[_cell_of(cells, 5, 5)] == pytest.approx(1.0)
    assert risk[_cell_of(cells, 4, 5)] == pytest.approx(k_edge)
    assert risk[_cell_of(cells, 6, 6)] == pytest.approx(k_diag)
    assert np.count_nonzero(risk) == 9
    total = 1 + 4 * k_edge + 4 * k_diag
    # expected_n: 2 incidents in a 2-day span -> 1 per day; the horizon is 1/3 of the span
    assert out["expected_n"].sum() == pytest.approx(2 / 3)
    assert out["expected_n"].iloc[_cell_of(cells, 5, 5)] == pytest.approx(2 / 3 / total)


def test_blend_mixes_the_two_shares() -> None:
    cells = _cells()
    pts = _points([(5, 5, "2024-01-01"), (5, 5, "2024-01-03")])
    out = forecast(pts, cells, bandwidths_m=[150.0], blends=[0.5], half_life_shares=[None])
    k_edge = (1 - (100 / 150) ** 2) ** 2
    total = 1 + 4 * k_edge + 4 * (1 - (np.hypot(100, 100) / 150) ** 2) ** 2
    centre = 0.5 * 1.0 + 0.5 / total
    edge = 0.5 * k_edge / total
    assert out["risk"].iloc[_cell_of(cells, 4, 5)] == pytest.approx(edge / centre)


def test_recency_half_life_weights_recent_incidents() -> None:
    cells = _cells()
    # span 40 days (day 0 .. day 40); half-life 0.5 * 40 = 20 days
    pts = _points([(1, 1, "2024-01-01"), (8, 8, "2024-01-21"), (3, 3, "2024-02-10")])
    out = forecast(pts, cells, blends=[0.0], half_life_shares=[0.5], half_lives_days=())
    risk = out["risk"].to_numpy()
    assert risk[_cell_of(cells, 3, 3)] == pytest.approx(1.0)
    assert risk[_cell_of(cells, 8, 8)] == pytest.approx(0.5)  # 20 days old
    assert risk[_cell_of(cells, 1, 1)] == pytest.approx(0.25)  # 40 days old
    assert out.attrs["params"]["half_life_days"] == pytest.approx(20.0)


# ------------------------------------------------------------------ tuning
def test_tuning_prefers_a_kde_when_incidents_move_to_the_neighbours() -> None:
    cells, pts = _cells(), _ring_data()
    out = forecast(pts, cells)
    params = out.attrs["params"]
    assert params["tuned"] is True
    # counts alone would put the neighbours in the big zero tie; a KDE ranks them second
    assert params["blend"] > 0
    counts_only = [s["score"] for s in params["validation_scores"] if s["blend"] == 0.0]
    assert params["validation_score"] > max(counts_only)
    assert out["rank"].iloc[_cell_of(cells, 5, 5)] == 1
    ring = [_cell_of(cells, c, r) for c, r in [(4, 5), (6, 5), (5, 4), (5, 6)]]
    assert set(out["rank"].iloc[ring]) == {2, 3, 4, 5}


def test_too_little_data_falls_back_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    cells = _cells()
    pts = _points([(2, 2, "2024-01-01"), (2, 3, "2024-01-05"), (7, 7, "2024-01-09")])
    with caplog.at_level(logging.WARNING, logger="apk_geo.forecast"):
        out = forecast(pts, cells)
    assert out.attrs["params"]["tuned"] is False
    assert out.attrs["params"]["bandwidth_m"] == pytest.approx(300.0)
    assert "too few incidents to tune" in caplog.text


@pytest.mark.slow
def test_real_memphis_forecast_beats_counts_on_the_second_half() -> None:
    from apk_geo.evaluate import capture_metrics
    from apk_geo.grid import count_points, study_area
    from apk_geo.points import read_points

    pts = read_points(DATA / "memphis_robberies_sfhotspot.gpkg")
    split = align_time("2019-07-01", pts["reported_at"], name="split")
    area = study_area(pts, cell_size_m=150)
    cells = make_grid(area, cell_size_m=150)
    train, test = pts[pts["reported_at"] < split], pts[pts["reported_at"] >= split]
    out = forecast(pts, cells, at=split)
    assert out.attrs["params"]["n_train"] == len(train)
    assert 150 <= out.attrs["params"]["bandwidth_m"] <= 1200
    kwargs = {
        "test_counts": count_points(cells, test)["n"].to_numpy(),
        "train_counts": count_points(cells, train)["n"].to_numpy(),
        "cell_area": cells.area.to_numpy(),
        "coverages": [0.05],
    }
    pai_forecast = capture_metrics(out["risk"].to_numpy(), **kwargs)["pai"].iloc[0]
    pai_counts = capture_metrics(kwargs["train_counts"], **kwargs)["pai"].iloc[0]
    assert pai_forecast > pai_counts > 1


# ------------------------------------------------------------------ input checks
@pytest.mark.parametrize(
    ("mutate", "kwargs", "error", "match"),
    [
        pytest.param(lambda p: p.to_crs("EPSG:4326"), {}, CRSError, "geographic", id="lonlat"),
        pytest.param(
            lambda p: p.set_crs(None, allow_override=True), {}, CRSError, "no CRS", id="no-crs"
        ),
        pytest.param(
            lambda p: p.drop(columns="reported_at"), {}, SchemaError, "reported_at", id="no-time"
        ),
        pytest.param(
            lambda p: p.assign(reported_at="2024"), {}, SchemaError, "datetime", id="text-time"
        ),
        pytest.param(
            lambda p: p,
            {"at": "2023-01-01"},
            InsufficientDataError,
            "no training",
            id="at-before-data",
        ),
        pytest.param(lambda p: p, {"blends": [1.5]}, ValueError, "blends", id="blend"),
        pytest.param(
            lambda p: p,
            {"validation_share": 1.0},
            ValueError,
            "validation_share",
            id="validation-share",
        ),
        pytest.param(
            lambda p: p, {"bandwidths_m": [-5]}, ValueError, "bandwidths_m", id="bandwidth"
        ),
        pytest.param(lambda p: p, {"at": "soon"}, SchemaError, "cannot read", id="bad-at"),
    ],
)
def test_rejects_bad_input(mutate, kwargs, error, match) -> None:  # type: ignore[no-untyped-def]
    cells, pts = _cells(), _ring_data()
    with pytest.raises(error, match=match):
        forecast(mutate(pts), cells, **kwargs)


def test_rejects_points_in_feet_and_points_outside_the_grid() -> None:
    cells, pts = _cells(), _ring_data()
    with pytest.raises(CRSError, match="not metres"):
        forecast(pts.to_crs("EPSG:2227"), cells.to_crs("EPSG:2227"))
    far = pts.set_geometry(pts.geometry.translate(50_000, 0))
    with pytest.raises(InsufficientDataError, match="inside the 100 cells"):
        forecast(far, cells)
    same_time = _points([(1, 1, "2024-01-01"), (2, 2, "2024-01-01")])
    with pytest.raises(InsufficientDataError, match="span no time"):
        forecast(same_time, cells)


def test_align_time_follows_the_time_zone_of_the_data() -> None:
    aware = pd.Series(pd.to_datetime(["2024-01-01"]).tz_localize(TZ))
    naive = pd.Series(pd.to_datetime(["2024-01-01"]))
    assert align_time("2024-07-01", aware, name="x") == pd.Timestamp("2024-07-01", tz=TZ)
    utc = pd.Timestamp("2024-07-01 00:00", tz="UTC")
    assert align_time(utc, aware, name="x") == utc
    assert align_time("2024-07-01", naive, name="x").tzinfo is None
