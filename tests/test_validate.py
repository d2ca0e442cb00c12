import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from apk_geo import _validate
from apk_geo.errors import CRSError, InsufficientDataError, SchemaError


def _pts(crs: str | None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"a": [1, 2]}, geometry=[Point(0, 0), Point(1, 1)], crs=crs)


def test_require_columns_names_the_missing_ones() -> None:
    with pytest.raises(SchemaError, match=r"incidents is missing column\(s\) \['b'\]"):
        _validate.require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], name="incidents")


def test_require_crs_refuses_a_layer_without_crs() -> None:
    with pytest.raises(CRSError, match="has no CRS"):
        _validate.require_crs(_pts(None), name="svl")


def test_require_projected_refuses_degrees_and_names_the_fix() -> None:
    with pytest.raises(CRSError, match="to_crs\\('EPSG:5514'\\)"):
        _validate.require_projected(_pts("EPSG:4326"))
    assert _validate.require_projected(_pts("EPSG:5514")).to_epsg() == 5514


def test_require_same_crs_shows_both() -> None:
    with pytest.raises(CRSError, match=r"EPSG:4326.*EPSG:5514"):
        _validate.require_same_crs(_pts("EPSG:4326"), _pts("EPSG:5514"), names=("a", "b"))


def test_require_points() -> None:
    with pytest.raises(InsufficientDataError, match="at least 3"):
        _validate.require_points(_pts("EPSG:5514"), minimum=3)
    lines = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])], crs="EPSG:5514")
    with pytest.raises(SchemaError, match="Point"):
        _validate.require_points(lines)


@pytest.mark.parametrize("value", [0, -1, float("inf"), float("nan")])
def test_require_positive(value: float) -> None:
    with pytest.raises(ValueError, match="cell_size_m"):
        _validate.require_positive(value, name="cell_size_m")
