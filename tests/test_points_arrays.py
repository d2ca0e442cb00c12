"""read_points builds the points of a CSV once, from pyproj-projected arrays, as geopandas would.

The reference is the geopandas formulation (``GeoSeries.from_xy(...).to_crs(...)`` and
:func:`apk_geo.coords.metric_crs` on those points); coordinates must agree bit for bit.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS

from apk_geo.coords import metric_crs
from apk_geo.errors import InsufficientDataError
from apk_geo.points import read_points


def _geopandas_points(x: np.ndarray, y: np.ndarray, crs: str) -> gpd.GeoSeries:
    """Reference: located points built by geopandas and projected with GeoSeries.to_crs."""
    ok = np.isfinite(x) & np.isfinite(y)
    pts = gpd.GeoSeries.from_xy(x[ok], y[ok], crs=crs)
    return pts.to_crs(metric_crs(pts))


def _assert_same_points(got: gpd.GeoDataFrame, expected: gpd.GeoSeries) -> None:
    assert CRS.from_user_input(got.crs).equals(CRS.from_user_input(expected.crs))
    a = shapely.get_coordinates(got.geometry.to_numpy())
    b = shapely.get_coordinates(expected.to_numpy())
    np.testing.assert_array_equal(a, b)


@pytest.fixture
def ostrava_lonlat() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    lon = np.round(rng.uniform(18.15, 18.35, 500), 6)
    lat = np.round(rng.uniform(49.75, 49.90, 500), 6)
    lat[::17] = np.nan  # rows without a location are dropped
    return lon, lat


def test_lat_lon_csv_gives_the_geopandas_points(
    tmp_path: Path, ostrava_lonlat: tuple[np.ndarray, np.ndarray]
) -> None:
    lon, lat = ostrava_lonlat
    path = tmp_path / "p.csv"
    pd.DataFrame({"id": np.arange(len(lon)), "lat": lat, "lon": lon}).to_csv(path, index=False)
    got = read_points(path)
    _assert_same_points(got, _geopandas_points(lon, lat, "EPSG:4326"))
    assert got.crs.to_epsg() == 5514
    assert got["id"].tolist() == np.flatnonzero(np.isfinite(lat)).tolist()
    assert got.attrs["params"]["rows_dropped"] == int(np.isnan(lat).sum())


def test_projected_xy_with_crs_gives_the_geopandas_points(
    tmp_path: Path, ostrava_lonlat: tuple[np.ndarray, np.ndarray]
) -> None:
    lon, lat = ostrava_lonlat
    utm = gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs("EPSG:32633")
    x, y = utm.x.to_numpy(), utm.y.to_numpy()
    path = tmp_path / "utm.csv"
    pd.DataFrame({"x": x, "y": y}).to_csv(path, index=False)
    got = read_points(path, crs="EPSG:32633")
    expected = _geopandas_points(
        pd.read_csv(path)["x"].to_numpy(), pd.read_csv(path)["y"].to_numpy(), "EPSG:32633"
    )
    _assert_same_points(got, expected)


def test_points_outside_czechia_get_the_utm_zone_geopandas_chooses(tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    lon = np.round(rng.uniform(-122.52, -122.36, 300), 6)  # San Francisco
    lat = np.round(rng.uniform(37.70, 37.81, 300), 6)
    path = tmp_path / "sf.csv"
    pd.DataFrame({"latitude": lat, "longitude": lon}).to_csv(path, index=False)
    got = read_points(path)
    _assert_same_points(got, _geopandas_points(lon, lat, "EPSG:4326"))
    assert got.crs.to_epsg() == 32610


def test_x_5514_headers_keep_the_coordinates(tmp_path: Path) -> None:
    x = np.array([-470_000.25, -471_234.5, -469_999.125])
    y = np.array([-1_101_000.5, -1_100_100.75, -1_102_000.0])
    path = tmp_path / "s.csv"
    pd.DataFrame({"x_5514": x, "y_5514": y}).to_csv(path, index=False)
    got = read_points(path)
    np.testing.assert_array_equal(shapely.get_coordinates(got.geometry.to_numpy()), np.c_[x, y])


def test_csv_without_any_location_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    pd.DataFrame({"lat": [np.nan, np.nan], "lon": [18.2, np.nan]}).to_csv(path, index=False)
    with pytest.raises(InsufficientDataError, match="0 row"):
        read_points(path)
