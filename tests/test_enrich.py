"""Tests of apk_geo.enrich on tiny hand-made layers (distances computed by hand)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from apk_geo.config import Config, Layers
from apk_geo.enrich import (
    ENRICH_COLUMNS,
    Context,
    enrich,
    load_context,
    load_layer,
    mdt_area_polygons,
)
from apk_geo.errors import ConfigError, CRSError, InputFileError, SchemaError
from apk_geo.store import open_store

# A realistic origin inside Ostrava (EPSG:5514) so reprojection to WGS84 stays meaningful.
X0, Y0 = -470_000.0, -1_101_000.0
CRS = "EPSG:5514"


def box(x1: float, y1: float, x2: float, y2: float) -> shapely.Polygon:
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def pt(x: float, y: float) -> shapely.Point:
    return shapely.Point(X0 + x, Y0 + y)


@pytest.fixture(scope="module")
def config() -> Config:
    return Config(mdt_areas={"Alfa": "Area 1", "Beta": "Area 2"}, hostel_buffer_m=250.0)


@pytest.fixture(scope="module")
def context(config: Config) -> Context:
    districts = gpd.GeoDataFrame(
        {"KOD": ["111", "222"], "NAZEV": ["Alfa", "Beta"]},
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
        crs=CRS,
    )
    svl = gpd.GeoDataFrame(
        {"name": ["S1"], "source": ["test"], "synthetic": [True]},
        geometry=[box(10, 10, 40, 40)],
        crs=CRS,
    )
    hostels = gpd.GeoDataFrame(
        {"name": ["H1", "H2"], "kind": ["hostel", "hostel"], "synthetic": [True, True]},
        geometry=[pt(150, 50), pt(0, 300)],
        crs=CRS,
    )
    empty_points = gpd.GeoDataFrame(
        {"zast_jm": pd.Series([], dtype="string")}, geometry=[], crs=CRS
    )
    return Context(
        districts=districts,
        city=gpd.GeoDataFrame(geometry=[box(0, 0, 200, 100)], crs=CRS),
        mdt_areas=mdt_area_polygons(districts, config.mdt_areas),
        svl=svl,
        hostels=hostels,
        schools=gpd.GeoDataFrame(geometry=[pt(50, 50)], crs=CRS),
        stops=empty_points,
        sports=gpd.GeoDataFrame(geometry=[pt(60, 60)], crs=CRS),
    )


@pytest.fixture
def incidents() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["a", "b", "c", "d", "e"]},
        geometry=[pt(20, 20), pt(190, 90), pt(50, 700), None, pt(100, 50)],
        crs=CRS,
        index=[10, 11, 12, 13, 14],
    )


def test_enrich_matches_hand_computed_values(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    out = enrich(incidents, context, config=config)
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert out["district_code"].tolist()[:3] == ["111", "222", pd.NA]
    assert out["district_name"].tolist()[:3] == ["Alfa", "Beta", pd.NA]
    assert out["mdt_area"].tolist()[:3] == ["Area 1", "Area 2", pd.NA]
    assert out["svl_name"].tolist()[:3] == ["S1", pd.NA, pd.NA]
    assert out["hostel_name"].tolist()[:3] == ["H1", "H1", "H2"]
    expected = [math.hypot(130, 30), math.hypot(40, 40), math.hypot(50, 400)]
    np.testing.assert_allclose(out["hostel_distance_m"].to_numpy()[:3], expected, atol=1e-6)
    assert out["in_hostel_buffer"].tolist()[:3] == [True, True, False]


def test_point_without_geometry_gets_empty_fields(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    row = enrich(incidents, context, config=config).loc[13]
    assert pd.isna(row["district_code"]) and pd.isna(row["hostel_name"])
    assert np.isnan(row["hostel_distance_m"]) and pd.isna(row["in_hostel_buffer"])


def test_border_point_takes_first_district_in_layer_order(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    assert enrich(incidents, context, config=config).loc[14, "district_name"] == "Alfa"


def test_output_schema_and_params(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    out = enrich(incidents, context, config=config)
    for col in ENRICH_COLUMNS[:5]:
        assert out[col].dtype == "string", col
    assert out["hostel_distance_m"].dtype == np.float64
    assert out["in_hostel_buffer"].dtype == "boolean"
    params = out.attrs["params"]["enrich"]
    assert params == {
        "hostel_buffer_m": 250.0,
        "n_points": 4,
        "n_without_geometry": 1,
        "n_outside_districts": 1,
        "n_in_svl": 1,
        "n_in_hostel_buffer": 3,
    }
    json.dumps(out.attrs["params"])


def test_buffer_follows_config(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    out = enrich(incidents, context, config=replace(config, hostel_buffer_m=100.0))
    assert out["in_hostel_buffer"].tolist()[:3] == [False, True, False]


def test_input_is_not_mutated(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    before = incidents.copy()
    enrich(incidents, context, config=config)
    pd.testing.assert_frame_equal(incidents, before)
    assert list(incidents.columns) == ["id", "geometry"]


def test_geographic_input_is_reprojected_not_misread(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    wgs = incidents.to_crs("EPSG:4326")
    out = enrich(wgs, context, config=config)
    assert out.crs.to_epsg() == 4326  # the caller's geometry is returned unchanged
    ref = enrich(incidents, context, config=config)
    np.testing.assert_allclose(out["hostel_distance_m"], ref["hostel_distance_m"], atol=0.01)
    # the border point (row 14) may move a nanometre across the border: compare the others
    assert out["district_name"].tolist()[:4] == ref["district_name"].tolist()[:4]


def test_no_hostels_gives_false_buffer(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    ctx = replace(context, hostels=context.hostels.iloc[0:0])
    out = enrich(incidents, ctx, config=config)
    assert out["hostel_name"].isna().all()
    assert out["in_hostel_buffer"].tolist() == [False, False, False, pd.NA, False]


def test_incidents_without_crs_are_refused(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    with pytest.raises(CRSError, match="incidents has no CRS"):
        enrich(incidents.set_crs(None, allow_override=True), context, config=config)


def test_non_point_incidents_are_refused(context: Context, config: Config) -> None:
    polys = gpd.GeoDataFrame(geometry=[box(0, 0, 5, 5)], crs=CRS)
    with pytest.raises(SchemaError, match="Point"):
        enrich(polys, context, config=config)


def test_context_refuses_layer_not_in_5514(context: Context) -> None:
    with pytest.raises(CRSError, match="'svl' is in EPSG:4326"):
        replace(context, svl=context.svl.to_crs("EPSG:4326"))


def test_context_refuses_missing_columns(context: Context) -> None:
    with pytest.raises(SchemaError, match="missing column"):
        replace(context, hostels=context.hostels.drop(columns=["kind"]))


def test_mdt_areas_must_cover_every_district(context: Context) -> None:
    with pytest.raises(ConfigError, match=r"without an MDT area: \['Beta'\]"):
        mdt_area_polygons(context.districts, {"Alfa": "Area 1"})
    with pytest.raises(ConfigError, match="not in the districts layer"):
        mdt_area_polygons(context.districts, {"Alfa": "A", "Beta": "B", "Gama": "C"})


def test_mdt_area_polygon_is_union_of_districts(context: Context) -> None:
    one = mdt_area_polygons(context.districts, {"Alfa": "Both", "Beta": "Both"})
    assert one["name"].tolist() == ["Both"]
    assert one.geometry.iloc[0].area == pytest.approx(200 * 100)


# ---------------------------------------------------------------- files and CRS


def test_crs84_geojson_is_lon_lat(tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Magistrát"},
                        "geometry": {"type": "Point", "coordinates": [18.2893, 49.8413]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    layer = load_layer(path, name="test")
    assert layer.crs.to_epsg() == 5514
    x, y = Transformer.from_crs(4326, 5514, always_xy=True).transform(18.2893, 49.8413)
    assert layer.geometry.iloc[0].x == pytest.approx(x, abs=0.01)
    assert layer.geometry.iloc[0].y == pytest.approx(y, abs=0.01)
    assert -480_000 < x < -460_000 and -1_110_000 < y < -1_090_000  # Ostrava, not swapped


def test_shapefile_without_prj_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nocrs.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        gpd.GeoDataFrame({"name": ["x"]}, geometry=[pt(1, 1)]).to_file(path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(CRSError, match="declares no CRS"):
        load_layer(path, name="svl")


def test_geopackage_and_shapefile_are_read_and_reprojected(tmp_path: Path) -> None:
    layer = gpd.GeoDataFrame({"name": ["x"]}, geometry=[pt(1, 1)], crs=CRS).to_crs(4326)
    for suffix in (".gpkg", ".shp"):
        path = tmp_path / f"layer{suffix}"
        layer.to_file(path)
        back = load_layer(path, name="hostels")
        assert back.crs.to_epsg() == 5514
        assert back.geometry.iloc[0].distance(pt(1, 1)) < 0.01


@pytest.mark.parametrize(
    ("name", "message"),
    [("layer.csv", "use one of"), ("missing.geojson", "does not exist")],
    ids=["wrong-format", "missing-file"],
)
def test_unreadable_layer_files(tmp_path: Path, name: str, message: str) -> None:
    if name.endswith(".csv"):
        (tmp_path / name).write_text("a;b\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        load_layer(tmp_path / name, name="svl")


def test_city_files_replace_demo_layers_through_configuration(tmp_path: Path) -> None:
    svl_path = tmp_path / "city_svl.shp"
    gpd.GeoDataFrame({"name": ["Real SVL"]}, geometry=[box(0, 0, 50, 50)], crs=CRS).to_file(
        svl_path
    )
    cfg = Config(layers=replace(Layers(), svl=svl_path, svl_synthetic=False))
    ctx = load_context(cfg)
    assert ctx.svl["name"].tolist() == ["Real SVL"]
    assert ctx.svl["synthetic"].tolist() == [False]
    assert ctx.svl["source"].tolist() == ["city_svl.shp"]
    out = enrich(gpd.GeoDataFrame(geometry=[pt(25, 25)], crs=CRS), ctx, config=cfg)
    assert out["svl_name"].iloc[0] == "Real SVL"


# ---------------------------------------------------------------- the real districts


def test_real_districts_magistrat_lies_in_moravska_ostrava() -> None:
    cfg = Config()
    ctx = load_context(cfg)
    assert len(ctx.districts) == 23
    assert ctx.districts["KOD"].str.fullmatch(r"\d{6}").all()
    assert len(ctx.mdt_areas) == len(cfg.mdt_area_names)
    here = gpd.GeoDataFrame(geometry=gpd.points_from_xy([18.2893], [49.8413]), crs=4326)
    out = enrich(here, ctx, config=cfg)
    assert out["district_name"].iloc[0] == "Moravská Ostrava a Přívoz"
    assert out["district_code"].iloc[0] == "545911"
    assert out["mdt_area"].iloc[0] == cfg.mdt_areas["Moravská Ostrava a Přívoz"]


def test_context_round_trips_through_a_store(tmp_path: Path, context: Context) -> None:
    store = open_store(tmp_path / "ctx.gpkg")
    store.write_layers(context.layers())
    back = Context.from_store(store)
    assert back.districts["NAZEV"].tolist() == ["Alfa", "Beta"]
    assert back.hostels["name"].tolist() == ["H1", "H2"]
    assert back.svl.geometry.iloc[0].equals_exact(context.svl.geometry.iloc[0], 1e-6)


def test_from_store_names_missing_layers(tmp_path: Path, context: Context) -> None:
    store = open_store(tmp_path / "partial.gpkg")
    store.write_layers({"districts": context.districts})
    with pytest.raises(SchemaError, match="no context layer"):
        Context.from_store(store)
