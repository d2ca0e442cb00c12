"""The map's pieces a reader can tell apart: grid cells cut by the SVLs and hostel buffers.

Each incident of a month lies in one grid cell and in some of the area's places (SVLs and
hostel buffers, which may overlap). The audit (:mod:`apk_geo.reports._system`) needs, for every
region it tracks (a listed hot cell, an unlisted hot cell, the rest of the area), every set of
places that can occur inside it — an *atom* — and the true count of each atom:
:func:`place_shapes` cuts the places to the area the way :func:`apk_geo.rates.context_rates`
counts them, :func:`atom_counts` counts the month's incidents per (cell, places) and
:func:`signatures` lists the sets of places that can occur in a region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from apk_geo import grid

__all__ = ["ATOM_COLUMNS", "atom_counts", "place_shapes", "signatures"]

#: Columns of :func:`atom_counts`: month offset (0 this month, 1 the month before), the cell
#: (−1: outside the grid), the places holding the incidents (sorted positions in the places
#: table) and their number.
ATOM_COLUMNS: Final = ("month", "cell_id", "places", "n")
#: Pieces smaller than this (m²) are slivers of shared edges, not places an incident can be.
_MIN_PIECE_M2: Final = 1.0
#: Vertices per quarter circle of a hostel buffer (as :mod:`apk_geo.rates`).
_QUAD_SEGS: Final = 64


def place_shapes(
    places: pd.DataFrame,
    svl: gpd.GeoDataFrame,
    hostels: gpd.GeoDataFrame,
    area: shapely.Geometry,
    *,
    buffer_m: float,
) -> list[shapely.Geometry]:
    """Return the polygon of each row of the places table, cut to the area.

    An SVL is its polygon inside the area, a hostel the disc of ``buffer_m`` around it inside
    the area (what :func:`apk_geo.rates.context_rates` counts). A row without a matching
    feature gets an empty polygon.
    """
    layers = {"svl": svl, "hostel": hostels}
    out: list[shapely.Geometry] = []
    for kind, name in zip(places["kind"].astype(str), places["name"].astype(str), strict=True):
        layer = layers.get(kind)
        geom = shapely.Polygon()
        if layer is not None and not layer.empty and "name" in layer:
            match = layer.loc[layer["name"].astype(str) == name]
            if not match.empty and match.geometry.iloc[0] is not None:
                geom = match.geometry.iloc[0]
                if kind == "hostel":
                    geom = shapely.buffer(geom, buffer_m, quad_segs=_QUAD_SEGS)
        out.append(shapely.intersection(geom, area))
    return out


def atom_counts(
    cells: gpd.GeoDataFrame,
    shapes: Sequence[shapely.Geometry],
    points: Mapping[int, gpd.GeoDataFrame],
) -> pd.DataFrame:
    """Return the incidents of each month per cell and set of places (:data:`ATOM_COLUMNS`)."""
    frames = []
    for month, pts in points.items():
        if pts.empty:
            continue
        cell = grid.assign_cells(cells[["cell_id", cells.geometry.name]], pts)
        geoms = pts.geometry.to_numpy()
        inside = [np.asarray(shapely.intersects(s, geoms)) for s in shapes]
        sig = [tuple(j for j, m in enumerate(inside) if m[i]) for i in range(len(pts))]
        frames.append(pd.DataFrame({"month": month, "cell_id": cell, "places": sig}))
    if not frames:
        return pd.DataFrame({c: [] for c in ATOM_COLUMNS})
    df = pd.concat(frames, ignore_index=True)
    out = df.groupby(["month", "cell_id", "places"], sort=True).size().rename("n").reset_index()
    return out[list(ATOM_COLUMNS)]


def signatures(
    region: shapely.Geometry, shapes: Sequence[shapely.Geometry]
) -> set[tuple[int, ...]]:
    """Return every set of places (sorted positions) that some part of ``region`` lies in."""
    pieces: list[tuple[shapely.Geometry, tuple[int, ...]]] = [(region, ())]
    for j, shape in enumerate(shapes):
        if shape.is_empty or not shapely.intersects(shape, region):
            continue
        split = []
        for geom, sig in pieces:
            inner = shapely.intersection(geom, shape)
            outer = shapely.difference(geom, shape)
            if inner.area > _MIN_PIECE_M2:
                split.append((inner, (*sig, j)))
            if outer.area > _MIN_PIECE_M2:
                split.append((outer, sig))
        pieces = split
    return {sig for geom, sig in pieces if geom.area > _MIN_PIECE_M2}
