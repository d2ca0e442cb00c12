"""Located rows and the metric CRS rule."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point
from shapely.geometry import Polygon as ShapelyPolygon

from apk_geo.coords import located, located_mask, metric_crs
from apk_geo.errors import CRSError


def test_located_drops_missing_and_empty_geometries() -> None:
    gdf = gpd.GeoDataFrame(
        {"id": [1, 2, 3]}, geometry=[Point(0, 0), None, ShapelyPolygon()], crs="EPSG:5514"
    )
    assert located_mask(gdf).tolist() == [True, False, False]
    assert located(gdf)["id"].tolist() == [1]
    assert located(gdf.geometry).index.tolist() == [0]


def test_metric_crs_is_sjtsk_in_czechia_and_utm_elsewhere() -> None:
    ostrava = gpd.GeoDataFrame(geometry=[Point(18.29, 49.84)], crs="EPSG:4326")
    assert metric_crs(ostrava).to_epsg() == 5514
    memphis = gpd.GeoDataFrame(geometry=[Point(-90.05, 35.15)], crs="EPSG:4326")
    assert metric_crs(memphis).to_epsg() == 32615  # UTM 15 N
    feet = memphis.to_crs("EPSG:2227")
    assert metric_crs(feet, keep_projected=True).to_epsg() == 2227
    assert metric_crs(feet).to_epsg() == 32615


def test_metric_crs_needs_a_crs_and_a_located_row() -> None:
    with pytest.raises(CRSError, match="points have no CRS"):
        metric_crs(gpd.GeoDataFrame(geometry=[Point(0, 0)]))
    empty = gpd.GeoDataFrame(geometry=[None], crs="EPSG:4326")
    with pytest.raises(CRSError, match="no located geometry"):
        metric_crs(empty)
