"""Coordinate rules shared by reading, validation, geocoding and analysis.

* :func:`located_mask` / :func:`located` — the one definition of a "located" row (a non-missing,
  non-empty geometry); incidents that failed geocoding are kept in the store without one.
* :func:`metric_crs` — the one rule for the CRS to measure in: EPSG:5514 (S-JTSK / Krovak East
  North) when everything lies inside Czechia, otherwise the local UTM zone (optionally the layer's
  own CRS when it is already projected).
"""

from __future__ import annotations

import logging
from typing import Final, TypeVar

import geopandas as gpd
import numpy as np
from pyproj import CRS

from apk_geo.errors import CRSError
from apk_geo.schema import CRS_METRIC, CRS_WEB

__all__ = ["CZECHIA_BOUNDS_LONLAT", "located", "located_mask", "metric_crs"]

logger = logging.getLogger(__name__)

#: Bounding box of Czechia in WGS 84 (min lon, min lat, max lon, max lat), slightly padded.
CZECHIA_BOUNDS_LONLAT: Final = (12.05, 48.50, 18.90, 51.10)

_Frame = TypeVar("_Frame", gpd.GeoDataFrame, gpd.GeoSeries)


def located_mask(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> np.ndarray:
    """Return a boolean array: True where the row has a geometry that is not empty."""
    geom = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    return np.asarray(~(geom.isna().to_numpy() | geom.is_empty.to_numpy()), dtype=bool)


def located(gdf: _Frame) -> _Frame:
    """Return the rows of ``gdf`` that have a non-empty geometry (same columns, same index)."""
    return gdf[located_mask(gdf)]


def metric_crs(
    gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, keep_projected: bool = False, name: str = "points"
) -> CRS:
    """Return the metric CRS to analyse ``gdf`` in.

    Parameters
    ----------
    gdf
        Geometries with a CRS.
    keep_projected
        Return the layer's own CRS when it is already projected (the route planner keeps a city's
        own metric CRS); otherwise the rule below applies to every input.
    name
        What ``gdf`` is, for the error message.

    Returns
    -------
    pyproj.CRS
        EPSG:5514 when every located geometry lies inside Czechia, otherwise the local UTM zone.

    Raises
    ------
    CRSError
        If ``gdf`` has no CRS, or no located geometry to choose a UTM zone from.
    """
    if gdf.crs is None:
        raise CRSError(f"{name} have no CRS; set one with .set_crs(...) before projecting")
    crs = CRS.from_user_input(gdf.crs)
    if keep_projected and crs.is_projected:
        return crs
    lonlat = located(gdf).to_crs(CRS_WEB)
    if len(lonlat) == 0:
        raise CRSError(f"{name} have no located geometry to choose a metric CRS from")
    minx, miny, maxx, maxy = lonlat.total_bounds
    bx0, by0, bx1, by1 = CZECHIA_BOUNDS_LONLAT
    if minx >= bx0 and miny >= by0 and maxx <= bx1 and maxy <= by1:
        return CRS.from_user_input(CRS_METRIC)
    utm = lonlat.estimate_utm_crs()
    if utm is None:  # pragma: no cover - only for empty input, rejected above
        raise CRSError(f"cannot choose a UTM zone for {name}")
    logger.info("%s lie outside Czechia; measuring in %s", name, utm.to_string())
    return CRS.from_user_input(utm)
