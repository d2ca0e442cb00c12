"""Shared input validators, called first by every public function (never ``assert``)."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, name: str = "data") -> None:
    """Raise :class:`SchemaError` if ``df`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{name} is missing column(s) {missing}; it has {list(map(str, df.columns))}"
        )


def require_crs(gdf: gpd.GeoDataFrame, *, name: str = "layer") -> CRS:
    """Return the CRS of ``gdf``; raise :class:`CRSError` if it has none."""
    if gdf.crs is None:
        raise CRSError(
            f"{name} has no CRS; set one with .set_crs('EPSG:5514') or .set_crs('EPSG:4326')"
        )
    return CRS.from_user_input(gdf.crs)


def require_projected(gdf: gpd.GeoDataFrame, *, name: str = "layer") -> CRS:
    """Return the CRS of ``gdf``; raise :class:`CRSError` unless it is projected (metres)."""
    crs = require_crs(gdf, name=name)
    if not crs.is_projected:
        raise CRSError(
            f"{name} is in {crs.to_string()}, a geographic CRS; distances need metres: "
            f"use .to_crs('EPSG:5514') (S-JTSK) or another projected CRS"
        )
    return crs


def require_same_crs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame, *, names: tuple[str, str]) -> None:
    """Raise :class:`CRSError` unless both layers share one CRS."""
    ca, cb = require_crs(a, name=names[0]), require_crs(b, name=names[1])
    if not ca.equals(cb):
        raise CRSError(
            f"{names[0]} is in {ca.to_string()} but {names[1]} is in {cb.to_string()}; "
            f"reproject one with .to_crs(...)"
        )


def require_points(gdf: gpd.GeoDataFrame, *, name: str = "points", minimum: int = 1) -> None:
    """Raise unless ``gdf`` holds at least ``minimum`` non-empty Point geometries."""
    if len(gdf) < minimum:
        raise InsufficientDataError(f"{name} has {len(gdf)} row(s); at least {minimum} needed")
    types = set(gdf.geom_type.dropna().unique())
    if not types <= {"Point"}:
        raise SchemaError(f"{name} must hold Point geometries; found {sorted(types)}")


def require_positive(value: float, *, name: str) -> None:
    """Raise :class:`~apk_geo.errors.ParameterError` unless ``value`` is a finite number > 0."""
    if not (value > 0 and value != float("inf")):
        raise ParameterError(f"{name} must be a finite number > 0, got {value!r}")
