"""The method registry: one orchestration path; one grid and result in the CLI and dashboard."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from apk_geo import evaluate, indicators, maps, methods
from apk_geo.errors import InsufficientDataError, ParameterError
from apk_geo.methods import METHODS, build_grid, cell_scores, run_method


def _points(n: int = 300, seed: int = 3) -> gpd.GeoDataFrame:
    """Seeded points in a 2 × 2 km square of S-JTSK, a dense blob at one corner, over a year."""
    rng = np.random.default_rng(seed)
    x0, y0 = -470_000.0, -1_100_000.0
    xs = np.concatenate([x0 + rng.uniform(0, 2000, n - 100), x0 + 200 + rng.normal(0, 60, 100)])
    ys = np.concatenate([y0 + rng.uniform(0, 2000, n - 100), y0 + 200 + rng.normal(0, 60, 100)])
    days = rng.integers(0, 365, n)
    times = pd.Timestamp("2025-01-01 12:00", tz="Europe/Prague") + pd.to_timedelta(days, "D")
    return gpd.GeoDataFrame(
        {"reported_at": times, "category": "alcohol"},
        geometry=[Point(x, y) for x, y in zip(xs, ys, strict=True)],
        crs="EPSG:5514",
    )


AREA = gpd.GeoDataFrame(geometry=[box(-470_000, -1_100_000, -468_000, -1_098_000)], crs="EPSG:5514")


@pytest.mark.parametrize("name", list(METHODS))
def test_every_entry_describes_what_its_method_returns(name: str) -> None:
    spec = METHODS[name]
    result = run_method(_points(), method=name, area=AREA, cell_size_m=250)
    assert spec.layer in ("classes", "surface", "polygons")
    assert spec.value_col in result.columns
    missing = [c for c in spec.columns if c not in result.columns]
    assert not missing, f"{name} lacks {missing}"
    if spec.on_grid:
        assert result.attrs["params"]["grid"]["cell_size_m"] == 250
        assert len(result) == 64  # 2 km / 250 m = 8 × 8 cells, kept whole
    else:
        assert result.attrs["params"]["grid"] == {}
        assert spec.layer == "polygons"


def test_unknown_method_and_option_are_refused_with_the_choices() -> None:
    with pytest.raises(ParameterError, match=r"method must be one of .*'gistar'"):
        run_method(_points(), method="lisa")
    with pytest.raises(
        ParameterError, match=r"takes the options .*'adjust'.*got \['bandwidth_m'\]"
    ):
        run_method(_points(), method="gistar", bandwidth_m=100)


def test_no_located_point_is_an_insufficient_data_error() -> None:
    pts = _points(120)
    pts.geometry = [None] * len(pts)
    with pytest.raises(InsufficientDataError, match="no located incident"):
        run_method(pts, method="gistar", area=AREA)


def test_one_grid_rule_whatever_the_caller() -> None:
    pts = _points()
    cells = build_grid(pts, area=AREA)
    auto = cells.attrs["params"]
    assert auto["cell_size_auto"] is True
    again = run_method(pts, method="gistar", area=AREA)
    assert again.attrs["params"]["grid"] == auto
    assert np.array_equal(again["cell_id"], cells["cell_id"])
    given = run_method(pts, method="gistar", cells=cells)
    pd.testing.assert_series_equal(given["gi_z"], again["gi_z"])


def test_polygon_scores_are_the_densest_intersecting_cluster() -> None:
    cells = gpd.GeoDataFrame(
        {"cell_id": [0, 1]}, geometry=[box(0, 0, 1000, 1000), box(5000, 0, 6000, 1000)], crs=5514
    )
    clusters = gpd.GeoDataFrame(
        {"n": [10, 4]}, geometry=[box(0, 0, 1000, 500), box(0, 0, 2000, 1000)], crs=5514
    )
    score = cell_scores(clusters, cells, method="clusters")
    assert score[0] == pytest.approx(10 / 0.5)  # 10 incidents on 0.5 km² beat 4 on 2 km²
    assert np.isnan(score[1])


def test_evaluate_compares_the_predictive_methods_of_the_registry() -> None:
    predictive = [m for m, spec in METHODS.items() if spec.predictive]
    assert (*predictive, *evaluate.BASELINES) == evaluate.METHODS
    assert set(evaluate.BASELINES) == {"naive", "ensemble"}
    assert "change" not in evaluate.METHODS


@pytest.mark.parametrize("name", ["gistar", "kde", "forecast", "clusters"])
def test_the_map_draws_what_the_registry_says(name: str) -> None:
    pts = _points()
    result = run_method(pts, method=name, area=AREA, cell_size_m=250)
    layers = maps.method_layers(result, method=name, lang="cs")
    html = maps.render_html(maps.incident_map(pts, **layers))
    if METHODS[name].layer == "surface":
        assert layers["surface_col"] == METHODS[name].value_col
        # the surface is a layer of its own in the layer switch (names are JSON-escaped there)
        assert json.dumps(layers["surface_name"]) in html
    elif METHODS[name].layer == "polygons":
        assert "clusters" in layers
    else:
        assert "cells" in layers


# --- the same data and options give the same grid and result in the CLI and the dashboard ---


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("methods") / "demo.gpkg"
    build_demo_store(path, seed=11, n_incidents=1500, months=6)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gistar", "kde", "forecast"])
def test_cli_and_dashboard_give_the_same_cells(
    small_store: Path, tmp_path: Path, name: str
) -> None:
    from apk_geo.context import RISK_LAYERS, risk_layers
    from apk_geo.store import open_store

    out = tmp_path / f"{name}.gpkg"
    cli = [sys.executable, "-m", "apk_geo.cli", "hotspots", "--store", str(small_store)]
    subprocess.run([*cli, "--method", name, "--out", str(out)], check=True, capture_output=True)
    from_cli = gpd.read_file(out)

    store = open_store(small_store)
    points = store.incidents(geocoded_only=True)
    # the dashboard offers the forecast the store's risk layers (app_pages/_common.hotspots)
    context = risk_layers({n: store.layer(n) for n in RISK_LAYERS if n in store.layer_names()})
    run = indicators.run_hotspots(
        points, method=name, area=store.layer("city"), with_emerging=False, context=context
    )
    from_dashboard = run.result
    if name == "forecast":  # both offered the same five layers to the covariate check
        cli_params = json.loads(Path(f"{out}.params.json").read_text("utf-8"))
        offered = cli_params["result"]["selection"]["covariates"]["layers"]
        assert offered == run.params["forecast"]["selection"]["covariates"]["layers"]
        assert {n.removesuffix(" (density)") for n in offered} == set(RISK_LAYERS)
    assert len(from_cli) == len(from_dashboard) > 100
    assert from_cli["cell_id"].tolist() == from_dashboard["cell_id"].tolist()
    assert from_cli["n"].tolist() == from_dashboard["n"].tolist()
    value = METHODS[name].value_col
    np.testing.assert_allclose(from_cli[value], from_dashboard[value], rtol=1e-12)
    # the dashboard's download is the file the CLI writes (one writer, one schema)
    geojson = tmp_path / f"{name}.geojson"
    subprocess.run([*cli, "--method", name, "--out", str(geojson)], check=True, capture_output=True)
    from apk_geo.io import layer_bytes

    download = layer_bytes(from_dashboard, suffix=".geojson", layer="hotspots")
    assert json.loads(download) == json.loads(geojson.read_bytes())


def test_registry_module_has_no_streamlit() -> None:
    assert "streamlit" not in Path(methods.__file__).read_text(encoding="utf-8")
