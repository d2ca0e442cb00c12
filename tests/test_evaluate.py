from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from apk_geo import cli
from apk_geo.errors import CRSError, InsufficientDataError, SchemaError
from apk_geo.evaluate import (
    CELL_RULE,
    GAIN_COLUMNS,
    METHODS,
    capture_metrics,
    evaluate,
    mean_gain,
    metrics_by_method,
    selection_weights,
    winners,
)
from apk_geo.forecast import capture_curve

DATA = Path(__file__).resolve().parents[1] / "data" / "real_crime"
#: South-west corner of the tiny test city: central Ostrava in EPSG:5514 (a multiple of 100 m).
X0, Y0 = -470_000.0, -1_105_000.0


# ------------------------------------------------------------------ selection rule
@pytest.mark.parametrize(
    ("score", "area", "coverage", "expected"),
    [
        pytest.param([4, 3, 2, 1], [1, 1, 1, 1], 0.5, [1, 1, 0, 0], id="whole-cells"),
        pytest.param([3, 2, 2, 1], [1, 1, 1, 1], 0.5, [1, 0.5, 0.5, 0], id="tie-at-threshold"),
        pytest.param([1, 1, 1, 1], [1, 1, 1, 1], 0.25, [0.25] * 4, id="all-tied"),
        pytest.param([4, 3, 2, 1], [1, 1, 1, 1], 0.3, [1, 0.2, 0, 0], id="straddling-cell"),
        pytest.param([4, 3, 2, 1], [0.5, 1, 1, 1.5], 0.375, [1, 1, 0, 0], id="clipped-area"),
        pytest.param([np.nan, 3, 2, 1], [1, 1, 1, 1], 0.5, [0, 1, 1, 0], id="nan-never"),
        pytest.param([np.nan, np.nan, 2, 1], [1, 1, 1, 1], 1.0, [0, 0, 1, 1], id="too-few-finite"),
    ],
)
def test_selection_weights_by_hand(
    score: list[float], area: list[float], coverage: float, expected: list[float]
) -> None:
    w = selection_weights(score, cell_area=area, coverage=coverage)
    assert_allclose(w, expected)


def test_selection_does_not_depend_on_row_order() -> None:
    score = np.array([5.0, 1.0, 1.0, 3.0, 1.0, 0.0])
    area = np.array([1.0, 1.0, 2.0, 1.0, 1.0, 1.0])
    perm = np.array([3, 5, 0, 4, 2, 1])
    w = selection_weights(score, cell_area=area, coverage=0.5)
    w_perm = selection_weights(score[perm], cell_area=area[perm], coverage=0.5)
    assert_allclose(w_perm, w[perm])
    assert float(w @ area) == pytest.approx(3.5)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"score": [1, 2], "cell_area": [1], "coverage": 0.1}, "equal length"),
        ({"score": [1, 2], "cell_area": [1, 1], "coverage": 0.0}, r"coverage must be .*\(0, 1\]"),
        ({"score": [1, 2], "cell_area": [1, 1], "coverage": 5}, "coverage must be"),
        ({"score": [1, 2], "cell_area": [1, 0], "coverage": 0.5}, "cell_area must be"),
    ],
)
def test_selection_weights_rejects_bad_input(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        selection_weights(**kwargs)  # type: ignore[arg-type]


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 1.0, 2.0, 3.0, np.nan]),
            st.integers(0, 5),
            st.sampled_from([0.25, 0.5, 1.0]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.floats(0.01, 1.0),
)
def test_capture_curve_equals_the_selection_rule(
    cells: list[tuple[float, int, float]], coverage: float
) -> None:
    score = np.array([c[0] for c in cells])
    counts = np.array([c[1] for c in cells], dtype=float)
    area = np.array([c[2] for c in cells])
    w = selection_weights(score, cell_area=area, coverage=coverage)
    hits = capture_curve(score, counts=counts, cell_area=area, coverages=[coverage])
    assert hits[0] == pytest.approx(float(w @ counts), abs=1e-9)
    assert w.min() >= 0.0 and w.max() <= 1.0
    finite_area = float(area[np.isfinite(score)].sum())
    assert float(w @ area) == pytest.approx(min(coverage * area.sum(), finite_area), abs=1e-9)


# ------------------------------------------------------------------ metrics by hand
def test_metrics_hand_computed() -> None:
    # 4 unit cells; the ranking picks cells 0 and 1 at 50 %; test incidents sit in 0 and 2.
    m = capture_metrics(
        [4, 3, 2, 1],
        test_counts=[1, 0, 3, 0],
        train_counts=[2, 2, 0, 0],
        cell_area=[1, 1, 1, 1],
        coverages=[0.25, 0.5],
    )
    # 25 %: cell 0 -> 1 of 4 test incidents
    assert m.loc[0, "hit_rate"] == pytest.approx(0.25)
    assert m.loc[0, "pai"] == pytest.approx(0.25 / 0.25)
    assert m.loc[0, "pei"] == pytest.approx(1 / 3)  # best single cell holds 3
    assert m.loc[0, "rri"] == pytest.approx((1 / 2) / (4 / 4))
    # 50 %: cells 0, 1 -> 1 of 4; best two cells hold 4; training 4 of 4 in them
    assert m.loc[1, "area_share"] == pytest.approx(0.5)
    assert m.loc[1, "hits"] == pytest.approx(1.0)
    assert m.loc[1, "hit_rate"] == pytest.approx(0.25)
    assert m.loc[1, "pai"] == pytest.approx(0.5)
    assert m.loc[1, "pei"] == pytest.approx(0.25)
    assert m.loc[1, "rri"] == pytest.approx(0.25)
    assert list(m.columns) == ["coverage", "area_share", "hits", "hit_rate", "pai", "pei", "rri"]


def test_metrics_with_clipped_cells_use_area_not_cell_counts() -> None:
    # cell 0 is a clipped boundary cell of half the area; total area 4
    m = capture_metrics(
        [2, 1, 0, 0, 0],
        test_counts=[2, 1, 1, 0, 0],
        train_counts=[1, 1, 1, 1, 0],
        cell_area=[0.5, 1, 1, 1, 0.5],
        coverages=[0.375],
    )
    # 1.5 of 4 area units: cell 0 (0.5) + cell 1 (1.0) = 3 of 4 test incidents
    assert m.loc[0, "hit_rate"] == pytest.approx(0.75)
    assert m.loc[0, "pai"] == pytest.approx(0.75 / 0.375)
    # oracle by test density: cell 0 (4/unit), then cell 1 or 2 (1/unit): also 3
    assert m.loc[0, "pei"] == pytest.approx(1.0)
    assert m.loc[0, "rri"] == pytest.approx((3 / 2) / (4 / 4))


def test_perfect_ranking_has_pei_one_and_chance_ranking_has_pai_one() -> None:
    rng = np.random.default_rng(0)
    test = rng.poisson(2.0, 200).astype(float)
    area = np.ones(200)
    perfect = capture_metrics(test, test_counts=test, train_counts=test, cell_area=area)
    assert_allclose(perfect["pei"], 1.0)
    flat = capture_metrics(np.zeros(200), test_counts=test, train_counts=test, cell_area=area)
    assert_allclose(flat["pai"], 1.0)  # one tie group: every cell included pro rata
    assert_allclose(flat["rri"], 1.0)


def test_metrics_undefined_cases_are_nan() -> None:
    m = capture_metrics(
        [np.nan, np.nan],
        test_counts=[1, 0],
        train_counts=[1, 1],
        cell_area=[1, 1],
        coverages=[0.5],
    )
    row = m.iloc[0]
    assert row["hit_rate"] == 0 and math.isnan(float(row["pai"])) and math.isnan(float(row["rri"]))
    none = capture_metrics([1, 0], test_counts=[0, 0], train_counts=[1, 0], cell_area=[1, 1])
    assert none["hit_rate"].isna().all() and none["pei"].isna().all()


def test_metrics_reject_mismatched_arrays() -> None:
    with pytest.raises(ValueError, match="test_counts has shape"):
        capture_metrics([1, 2], test_counts=[1], train_counts=[1, 1], cell_area=[1, 1])
    with pytest.raises(ValueError, match=">= 0"):
        capture_metrics([1, 2], test_counts=[-1, 1], train_counts=[1, 1], cell_area=[1, 1])


# ------------------------------------------------------------------ evaluate() on a tiny city
def _tiny_city() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """10 x 10 cells of 100 m.

    Training: 5 incidents in cell (2,2), 3 in (7,7); test: 4 in (2,2), 2 in (5,5).
    """

    def at(col: int, row: int, k: int, start: str) -> list[tuple[float, float, pd.Timestamp]]:
        t0 = pd.Timestamp(start, tz="Europe/Prague")
        return [
            (
                X0 + col * 100 + 30 + 8 * i,
                Y0 + row * 100 + 40 + 5 * i,
                t0 + pd.Timedelta(days=3 * i),
            )
            for i in range(k)
        ]

    rows = (
        at(2, 2, 5, "2024-01-02")
        + at(7, 7, 3, "2024-02-01")
        + at(2, 2, 4, "2024-04-02")
        + at(5, 5, 2, "2024-05-01")
    )
    pts = gpd.GeoDataFrame(
        {"reported_at": pd.to_datetime([r[2] for r in rows])},
        geometry=gpd.points_from_xy([r[0] for r in rows], [r[1] for r in rows]),
        crs="EPSG:5514",
    )
    area = gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)], crs="EPSG:5514")
    return pts, area


def test_evaluate_naive_baseline_matches_hand_values() -> None:
    pts, area = _tiny_city()
    before = pts.copy()
    out = evaluate(
        pts,
        split_date="2024-04-01",
        cell_size_m=100,
        area=area,
        methods=["naive"],
        coverages=(0.01, 0.05),
    )
    pd.testing.assert_frame_equal(pts, before)
    one, five = out.iloc[0], out.iloc[1]
    # 1 %: one cell, the 5-incident training cell, holds 4 of the 6 test incidents
    assert one["hit_rate"] == pytest.approx(4 / 6)
    assert one["pai"] == pytest.approx((4 / 6) / 0.01)
    assert one["pei"] == pytest.approx(1.0)
    assert one["rri"] == pytest.approx((4 / 5) / (6 / 8))
    # 5 %: the two training cells, then 3 of the 98 tied zero cells pro rata (cell (5,5) among them)
    hits = 4 + 2 * 3 / 98
    assert five["hits"] == pytest.approx(hits)
    assert five["pai"] == pytest.approx((hits / 6) / 0.05)
    assert five["pei"] == pytest.approx(hits / 6)
    assert five["rri"] == pytest.approx((hits / 8) / (6 / 8))
    params = out.attrs["params"]
    assert (params["n_train"], params["n_test"], params["n_cells"]) == (8, 6, 100)
    json.dumps(params)


def test_evaluate_test_end_limits_the_test_period() -> None:
    pts, area = _tiny_city()
    out = evaluate(
        pts,
        split_date="2024-04-01",
        test_end="2024-04-30",
        cell_size_m=100,
        area=area,
        methods=["naive"],
        coverages=(0.01,),
    )
    assert out.attrs["params"]["n_test"] == 4
    assert out.loc[0, "hit_rate"] == pytest.approx(1.0)


def test_evaluate_schema_for_all_methods_on_real_memphis() -> None:
    from apk_geo.points import read_points

    pts = read_points(DATA / "memphis_robberies_sfhotspot.gpkg")
    out = evaluate(pts, split_date="2019-07-01")
    assert list(out.columns) == [
        "method",
        "coverage",
        "area_share",
        "hits",
        "hit_rate",
        "pai",
        "pei",
        "rri",
        *GAIN_COLUMNS,
    ]
    assert out.attrs["params"]["cell_rule"] == CELL_RULE
    assert out["method"].tolist() == [m for m in METHODS for _ in range(3)]
    assert out["coverage"].tolist() == [0.01, 0.05, 0.10] * len(METHODS)
    ok = out.dropna(subset=["pei"])
    assert ((ok["pei"] >= 0) & (ok["pei"] <= 1 + 1e-9)).all()
    assert (out["hit_rate"].between(0, 1)).all()
    pai5 = out[out["coverage"] == 0.05].set_index("method")["pai"]
    assert pai5["naive"] > 1.0  # robberies concentrate: even the baseline beats chance
    json.dumps(metrics_by_method(out))


@pytest.mark.parametrize(
    ("mutate", "kwargs", "error", "match"),
    [
        pytest.param(lambda g: g.to_crs("EPSG:4326"), {}, CRSError, "geographic", id="lonlat"),
        pytest.param(lambda g: g.to_crs("EPSG:2227"), {}, CRSError, "not metres", id="feet"),
        pytest.param(
            lambda g: g.drop(columns="reported_at"), {}, SchemaError, "reported_at", id="no-time"
        ),
        pytest.param(
            lambda g: g,
            {"split_date": "2030-01-01"},
            InsufficientDataError,
            "0 test incident",
            id="split-after-data",
        ),
        pytest.param(
            lambda g: g, {"methods": ["magic"]}, SchemaError, "unknown method", id="method"
        ),
        pytest.param(
            lambda g: g, {"split_date": "not a date"}, SchemaError, "cannot read", id="bad-date"
        ),
        pytest.param(
            lambda g: g,
            {"test_end": "2024-01-01"},
            ValueError,
            "must be after",
            id="end-before-split",
        ),
    ],
)
def test_evaluate_rejects_bad_input(mutate, kwargs, error, match) -> None:  # type: ignore[no-untyped-def]
    pts, _ = _tiny_city()
    args = {"split_date": "2024-04-01", "cell_size_m": 100, "methods": ["naive"]} | kwargs
    with pytest.raises(error, match=match):
        evaluate(mutate(pts), **args)


def test_metrics_by_method_and_winners() -> None:
    table = pd.DataFrame(
        {
            "method": ["a", "a", "b", "b"],
            "coverage": [0.01, 0.05, 0.01, 0.05],
            "area_share": [0.01, 0.05, 0.01, 0.05],
            "hits": [1.0, 2.0, 2.0, 1.0],
            "hit_rate": [0.1, 0.2, 0.2, 0.1],
            "pai": [10.0, 4.0, 20.0, 2.0],
            "pei": [0.5, 0.5, 1.0, 0.25],
            "rri": [1.0, np.nan, 1.0, 1.0],
        }
    )
    nested = metrics_by_method(table)
    assert nested["b"]["0.01"]["pai"] == 20.0
    assert nested["a"]["0.05"]["rri"] is None
    win = winners(table)
    assert win["method"].tolist() == ["b", "a"]


# ------------------------------------------------------------------ CLI
def test_cli_json_keyed_by_method_and_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pts, _ = _tiny_city()
    path = tmp_path / "tiny.gpkg"
    pts.assign(reported_at=pts["reported_at"].dt.tz_convert("UTC")).to_file(path)
    code = cli.main(
        [
            "evaluate",
            "--input",
            str(path),
            "--split-date",
            "2024-04-01",
            "--cell-size-m",
            "100",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == set(METHODS)
    assert set(out["naive"]) == {"0.01", "0.05", "0.1"}
    metrics = {"area_share", "hits", "hit_rate", "pai", "pei", "rri", *GAIN_COLUMNS}
    assert set(out["naive"]["0.05"]) == metrics


def test_cli_counts_incidents_not_rows_and_prints_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pts, _ = _tiny_city()
    pts["case"] = np.arange(len(pts))
    pts["reported_at"] = pts["reported_at"].dt.tz_convert("UTC")
    doubled = pd.concat([pts, pts.iloc[:5]], ignore_index=True)  # 5 incidents charged twice
    path = tmp_path / "charges.gpkg"
    gpd.GeoDataFrame(doubled, crs=pts.crs).to_file(path)
    args = [
        "evaluate",
        "--input",
        str(path),
        "--split-date",
        "2024-04-01",
        "--cell-size-m",
        "100",
        "--id-col",
        "case",
    ]
    code = cli.main(["--lang", "en", *args])
    text = capsys.readouterr().out
    assert code == 0
    assert "8 training incidents" in text and "6 test incidents" in text
    assert "forecast" in text and "naive" in text
    assert cli.main(args) == 0  # Czech by default
    text = capsys.readouterr().out
    assert "8 trénovacích událostí" in text and "6 testovacích událostí" in text


def test_cli_bad_coverages_exit_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(
            ["evaluate", "--input", "x.gpkg", "--split-date", "2024-01-01", "--coverages", "5,abc"]
        )
    assert exc.value.code == 2


def test_bootstrap_gain_against_the_baselines_by_hand() -> None:
    pts, area = _tiny_city()
    out = evaluate(
        pts,
        split_date="2024-04-01",
        cell_size_m=100,
        area=area,
        methods=["naive", "ensemble"],
        coverages=(0.01,),
        n_boot=200,
        seed=3,
    )
    naive = out.set_index("method").loc["naive"]
    assert naive["gain_vs_naive"] == 0 and naive["gain_vs_naive_lo"] == 0
    ens = out.set_index("method").loc["ensemble"]
    assert ens["gain_vs_naive"] == pytest.approx(ens["hit_rate"] - naive["hit_rate"])
    assert ens["gain_vs_naive_lo"] <= ens["gain_vs_naive"] <= ens["gain_vs_naive_hi"]
    again = evaluate(
        pts,
        split_date="2024-04-01",
        cell_size_m=100,
        area=area,
        methods=["naive", "ensemble"],
        coverages=(0.01,),
        n_boot=200,
        seed=3,
    )
    pd.testing.assert_frame_equal(out, again)  # seeded
    gain = mean_gain([out, again], method="ensemble", against="naive", coverage=0.01)
    assert gain["mean"] == pytest.approx(ens["gain_vs_naive"])


def test_cli_area_file_sets_the_study_area(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pts, area = _tiny_city()
    path, area_path = tmp_path / "tiny.gpkg", tmp_path / "area.gpkg"
    pts.assign(reported_at=pts["reported_at"].dt.tz_convert("UTC")).to_file(path)
    area.to_file(area_path)
    args = ["evaluate", "--input", str(path), "--split-date", "2024-04-01", "--cell-size-m", "100"]
    assert cli.main(["--lang", "en", *args, "--area", str(area_path)]) == 0
    text = capsys.readouterr().out
    assert "100 cells of 100 m" in text and "study area: area, 1.0 km²" in text
    assert cli.main(["--lang", "en", *args]) == 0
    assert "study area: convex_hull" in capsys.readouterr().out
    assert cli.main([*args, "--area", str(area_path)]) == 0  # Czech by default
    text = capsys.readouterr().out
    assert "100 buněk o straně 100 m" in text and "území: zadané území, 1,0 km²" in text
