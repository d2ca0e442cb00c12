"""Square and hexagonal grids over a study area, and point counts per cell.

A grid is a GeoDataFrame of cells with ``cell_id`` (0..n-1, row-major from the south-west) and
the cell polygons in the study area's metric CRS. Cells are whole cells: every lattice cell that
intersects the study area is kept (as in sfhotspot's ``create_grid``), so all cells have the same
area and neighbouring centroids are exactly one cell size apart.

Cell size
---------
``cell_size_m`` is the side of a square cell, and for hexagons the distance between the centres
of two neighbouring cells (the width across flats; pointy-top hexagons with area √3/2 · size²).
Automatic size (:func:`auto_cell_size_m`): the shorter side of the study area's bounding box / 50,
rounded down to a multiple of 50 m, as in sfhotspot (Langton 2023). The grid is capped at
``max_cells``: a stray point far from the others enlarges the study area, and the cell size is
then enlarged (with a warning) instead of building millions of cells.

Generation is vectorised: for each row of the lattice the polygon's extent along that row is
found by one vectorised intersection, cells are built only inside that extent, and a final
vectorised ``intersects`` keeps the cells that touch the area. Point-to-cell assignment uses
integer arithmetic on square grids and a k-d tree of cell centres on hexagonal ones.

References
----------
Langton, S. (2023). sfhotspot: Hot-spot analysis with simple features. R package.
"""

from __future__ import annotations

import logging
import math
import warnings
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy.spatial import cKDTree

from apk_geo import _validate
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError

__all__ = [
    "AUTO_CELL_DIVISOR",
    "AUTO_CELL_ROUND_M",
    "CellRule",
    "GridShape",
    "assign_cells",
    "auto_cell_size_m",
    "cell_size_of",
    "convex_hull_of",
    "count_points",
    "make_grid",
    "study_area",
]

logger = logging.getLogger(__name__)

GridShape = Literal["square", "hex"]
#: Which lattice cells a grid keeps: every cell that overlaps the study area (``"intersects"``) or
#: the cells whose centre lies in it (``"centre"``, the rule of the evaluation literature: every
#: cell whole and of one size, none counted twice along the boundary).
CellRule = Literal["intersects", "centre"]

#: The automatic cell size is the shorter side of the bounding box divided by this number …
AUTO_CELL_DIVISOR: Final = 50
#: … rounded down to a multiple of this many metres.
AUTO_CELL_ROUND_M: Final = 50.0

_SQRT3: Final = math.sqrt(3.0)


def auto_cell_size_m(area: gpd.GeoDataFrame | gpd.GeoSeries) -> float:
    """Return the automatic cell size: shorter bounding-box side / 50, floored to 50 m.

    Parameters
    ----------
    area
        The study area or the points themselves, in a projected CRS (metres).

    Returns
    -------
    float
        The cell size in metres. When the shorter side is below 2.5 km (so that the rounding
        would give 0), the size is rounded down to a whole metre instead (at least 1 m).

    Raises
    ------
    CRSError
        If ``area`` has no CRS or a geographic one.
    InsufficientDataError
        If the bounding box has no extent in one direction (a single point, a straight line).

    Examples
    --------
    Ten Memphis robberies in EPSG:2843 span 15 193 m × 19 652 m: 15 193 / 50 = 303.9 → 300 m.
    """
    _validate.require_projected(_as_frame(area), name="area")
    minx, miny, maxx, maxy = area.total_bounds
    side = float(min(maxx - minx, maxy - miny))
    if not np.isfinite(side) or side <= 0:
        raise InsufficientDataError(
            f"the study area's bounding box has no extent ({maxx - minx:.1f} m × "
            f"{maxy - miny:.1f} m); pass cell_size_m explicitly"
        )
    raw = side / AUTO_CELL_DIVISOR
    size = math.floor(raw / AUTO_CELL_ROUND_M) * AUTO_CELL_ROUND_M
    if size <= 0:
        size = max(1.0, float(math.floor(raw)))
    logger.info(
        "automatic cell size: %.3f m (shorter side %.1f m / %d) -> %.0f m",
        raw,
        side,
        AUTO_CELL_DIVISOR,
        size,
    )
    return float(size)


def study_area(
    points: gpd.GeoDataFrame,
    *,
    cell_size_m: float,
    area: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return the study area as one polygon row.

    Parameters
    ----------
    points
        Incident points in a projected CRS.
    cell_size_m
        Grid cell size; the convex hull of the points is buffered by one cell.
    area
        The city or the chosen districts. When given, its union is the study area (reprojected
        to the points' CRS); otherwise the points' convex hull buffered by ``cell_size_m``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row, column ``geometry`` (Polygon or MultiPolygon) in the points' CRS, and
        ``attrs["params"]`` with ``study_area`` ("area" or "convex_hull") and ``area_km2``.

    Raises
    ------
    CRSError
        If ``points`` is not in a projected CRS or ``area`` has no CRS.
    InsufficientDataError
        If ``points`` is empty and no ``area`` is given.
    """
    crs = _validate.require_projected(points, name="points")
    _validate.require_positive(cell_size_m, name="cell_size_m")
    if area is not None:
        _validate.require_crs(area, name="area")
        geom = shapely.union_all(area.to_crs(crs).geometry.to_numpy())
        kind = "area"
    else:
        coords = shapely.get_coordinates(points.geometry.to_numpy())  # None, empty: nothing
        if len(coords) == 0:
            raise InsufficientDataError(
                "points has no located point; a study area needs at least one point or an area"
            )
        geom = shapely.buffer(convex_hull_of(coords), cell_size_m)
        kind = "convex_hull"
    out = gpd.GeoDataFrame(geometry=[geom], crs=crs)
    out.attrs["params"] = {
        "study_area": kind,
        "area_km2": round(float(shapely.area(geom)) / 1e6, 6),
        "buffer_m": None if area is not None else float(cell_size_m),
    }
    return out


#: Every how many-th point the first hull of :func:`convex_hull_of` is taken from.
_HULL_STRIDE: Final = 64


def convex_hull_of(coords: np.ndarray) -> shapely.Geometry:
    """Return the convex hull of the points ``coords`` (n × 2) without a hull of all of them.

    The hull of a stride sample (every :data:`_HULL_STRIDE`-th point, and the points extreme in
    x, y, x + y and x − y) is a polygon whose vertices are input points, so no point strictly
    inside it (:func:`shapely.contains_xy`, exact predicates) can be a vertex of the full hull;
    the hull of the sample's vertices and the points not strictly inside is therefore the hull
    of every point, computed over a few of them. A sample whose hull is not a polygon
    (collinear points) falls back to the hull of all points.
    """
    x, y = coords[:, 0], coords[:, 1]
    extremes = [int(np.argmin(v)) for v in (x, y, x + y, x - y)]
    extremes += [int(np.argmax(v)) for v in (x, y, x + y, x - y)]
    sample = np.union1d(np.arange(0, len(coords), _HULL_STRIDE), extremes)
    first = shapely.convex_hull(shapely.multipoints(coords[sample]))
    if len(coords) <= _HULL_STRIDE or not isinstance(first, shapely.Polygon):
        return shapely.convex_hull(shapely.multipoints(coords))
    shapely.prepare(first)
    outside = coords[~shapely.contains_xy(first, x, y)]
    corners = shapely.get_coordinates(first)
    return shapely.convex_hull(shapely.multipoints(np.concatenate([corners, outside])))


def make_grid(
    area: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    cell_size_m: float | None = None,
    shape: GridShape = "square",
    max_cells: int = 250_000,
    keep: CellRule = "intersects",
) -> gpd.GeoDataFrame:
    """Build a square or hexagonal grid of whole cells covering ``area``.

    Parameters
    ----------
    area
        The study area (any polygons) in a projected CRS.
    cell_size_m
        Square side or hexagon centre spacing, in metres; ``None`` chooses it with
        :func:`auto_cell_size_m` (logged and recorded).
    shape
        ``"square"`` or ``"hex"`` (pointy-top hexagons).
    max_cells
        Upper bound on the number of cells. If the lattice over ``area`` would hold more, the
        cell size is enlarged (to a multiple of 50 m when ≥ 50 m) and a ``UserWarning`` issued.
    keep
        ``"intersects"`` (default): every cell that overlaps the area (a shared edge alone is
        not an overlap); ``"centre"``: the cells whose centre lies in the area or on its
        boundary (evaluation grids: equal cells, the area share is the cell share).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``cell_id`` (int64, 0..n-1, row-major from the south-west) and ``geometry``
        (Polygon) in the area's CRS. ``attrs["params"]``: ``shape``, ``cell_size_m``,
        ``cell_size_auto``, ``cell_size_requested_m``, ``capped``, ``max_cells``, ``n_cells``,
        ``origin_x``, ``origin_y``, ``crs``, ``keep``.

    Raises
    ------
    CRSError
        If ``area`` is not in a projected CRS.
    ValueError
        If ``shape`` is unknown or ``cell_size_m``/``max_cells`` is not positive.
    InsufficientDataError
        If ``area`` is empty.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> sq = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 300, 300)], crs="EPSG:5514")
    >>> len(make_grid(sq, cell_size_m=100))
    9
    """
    frame = _as_frame(area)
    crs = _validate.require_projected(frame, name="area")
    if shape not in ("square", "hex"):
        raise ParameterError(f"shape must be 'square' or 'hex', got {shape!r}")
    if keep not in ("intersects", "centre"):
        raise ParameterError(f"keep must be 'intersects' or 'centre', got {keep!r}")
    if not isinstance(max_cells, int | np.integer) or max_cells < 1:
        raise ParameterError(f"max_cells must be a positive integer, got {max_cells!r}")
    geoms = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if len(geoms) == 0:
        raise InsufficientDataError("area is empty; a grid needs a study area with a polygon")
    geom = shapely.union_all(geoms.to_numpy())

    auto = cell_size_m is None
    size = auto_cell_size_m(frame) if cell_size_m is None else float(cell_size_m)
    _validate.require_positive(size, name="cell_size_m")
    requested = size

    minx, miny, maxx, maxy = shapely.bounds(geom)
    origin = _origin(minx, miny, size)
    spans = _row_spans(geom, size=size, shape=shape, origin=origin, bounds=(minx, miny, maxx, maxy))
    capped = False
    for _ in range(20):
        n_candidates = int(sum(int(hi - lo + 1) for lo, hi in spans.values()))
        if n_candidates <= max_cells:
            break
        capped = True
        size = _enlarge(size, factor=math.sqrt(n_candidates / max_cells) * 1.02)
        origin = _origin(minx, miny, size)
        spans = _row_spans(
            geom, size=size, shape=shape, origin=origin, bounds=(minx, miny, maxx, maxy)
        )
    if capped:
        message = (
            f"a {requested:g} m {shape} grid over this study area "
            f"({shapely.area(geom) / 1e6:.1f} km², bounding box "
            f"{(maxx - minx) / 1000:.1f} km × {(maxy - miny) / 1000:.1f} km) would exceed "
            f"max_cells={max_cells}; using {size:g} m cells instead. A stray point far from the "
            f"others often causes this: check the input or pass a study area"
        )
        warnings.warn(message, UserWarning, stacklevel=2)
        logger.warning(message)

    cells = _build_cells(spans, size=size, shape=shape, origin=origin)
    cells = cells[_kept(geom, cells, keep)]
    if len(cells) == 0:  # pragma: no cover - spans always hold the area
        raise InsufficientDataError("no grid cell intersects the area")
    grid = gpd.GeoDataFrame(
        {"cell_id": np.arange(len(cells), dtype="int64")}, geometry=cells, crs=crs
    )
    params: dict[str, Any] = {
        "shape": shape,
        "cell_size_m": float(size),
        "cell_size_auto": auto,
        "cell_size_requested_m": None if auto else float(requested),
        "capped": capped,
        "max_cells": int(max_cells),
        "n_cells": len(grid),
        "origin_x": float(origin[0]),
        "origin_y": float(origin[1]),
        "crs": CRS.from_user_input(crs).to_string(),
        "keep": keep,
    }
    grid.attrs["params"] = params
    logger.info("grid: %d %s cells of %g m", len(grid), shape, size)
    return grid


def assign_cells(grid: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> np.ndarray:
    """Return the ``cell_id`` of the cell holding each point, ``-1`` outside the grid.

    Parameters
    ----------
    grid
        A grid from :func:`make_grid` (or any polygons with a unique ``cell_id``).
    points
        Points in the grid's CRS. Empty geometries get ``-1``.

    Returns
    -------
    numpy.ndarray
        int64 array aligned with ``points``. A point on a shared edge goes to exactly one cell.

    Raises
    ------
    CRSError
        If the CRSs differ.
    SchemaError
        If ``grid`` lacks a unique ``cell_id`` or ``points`` holds non-point geometries.
    """
    _check_grid(grid)
    _validate.require_same_crs(grid, points, names=("grid", "points"))
    if len(points) == 0:
        return np.empty(0, dtype="int64")
    _validate.require_points(points, name="points", minimum=0)
    xy = shapely.get_coordinates(points.geometry.to_numpy(), include_z=False)
    valid = ~(points.geometry.isna().to_numpy() | points.geometry.is_empty.to_numpy())
    px = np.full(len(points), np.nan)
    py = np.full(len(points), np.nan)
    px[valid] = xy[:, 0]
    py[valid] = xy[:, 1]

    out = np.full(len(points), -1, dtype="int64")
    ids = grid["cell_id"].to_numpy(dtype="int64")
    geoms = grid.geometry.to_numpy()
    ok = valid & np.isfinite(px) & np.isfinite(py)
    if not ok.any():
        return out
    lattice = _lattice(grid)
    if lattice is not None and lattice[0] == "square":
        _, size, x0, y0 = lattice
        bounds = shapely.bounds(geoms)
        ccol = np.rint((bounds[:, 0] - x0) / size).astype("int64")
        crow = np.rint((bounds[:, 1] - y0) / size).astype("int64")
        ncol = int(ccol.max()) + 2
        keys = crow * ncol + ccol
        order = np.argsort(keys)
        skeys = keys[order]
        col = np.floor((px[ok] - x0) / size).astype("int64")
        row = np.floor((py[ok] - y0) / size).astype("int64")
        inside = (col >= 0) & (col < ncol) & (row >= 0)
        k = np.where(inside, row * ncol + col, -1)
        pos = np.clip(np.searchsorted(skeys, k), 0, len(skeys) - 1)
        hit = inside & (skeys[pos] == k)
        res = np.where(hit, ids[order[pos]], -1)
        out[ok] = res
        return out
    if lattice is not None and lattice[0] == "hex":
        centres = shapely.get_coordinates(shapely.centroid(geoms))
        tree = cKDTree(centres)
        _, nearest = tree.query(np.column_stack([px[ok], py[ok]]), k=1)
        nearest = np.asarray(nearest, dtype="int64")
        inside = shapely.intersects_xy(geoms[nearest], px[ok], py[ok])
        out[ok] = np.where(inside, ids[nearest], -1)
        return out
    # any other polygons: a spatial index, lowest cell_id wins on shared edges
    tree_idx = shapely.STRtree(geoms)
    pts = shapely.points(px[ok], py[ok])
    pt_idx, cell_idx = tree_idx.query(pts, predicate="intersects")
    found = np.full(int(ok.sum()), -1, dtype="int64")
    if len(pt_idx):
        frame = pd.DataFrame({"p": pt_idx, "c": ids[cell_idx]}).groupby("p")["c"].min()
        found[frame.index.to_numpy()] = frame.to_numpy()
    out[ok] = found
    return out


def count_points(
    grid: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    *,
    by: str | None = None,
    period: str | None = None,
) -> gpd.GeoDataFrame:
    """Count points per cell, optionally per value of a column or per time period.

    Parameters
    ----------
    grid
        A grid from :func:`make_grid`.
    points
        Points in the grid's CRS.
    by
        Column whose values get their own count column ``n_<value>`` (e.g. ``"category"``).
    period
        A pandas period alias (``"M"`` months, ``"W"`` weeks, ``"Q"`` quarters) applied to
        ``reported_at``; adds ``n_<period>`` columns such as ``n_2024-03``. Not combinable
        with ``by``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``grid`` with ``n`` (int64, zeros included) and the ``n_<value>`` columns
        (int64, sorted by value). ``attrs["params"]`` adds ``n_points``, ``n_outside``,
        ``by`` and ``period``.

    Raises
    ------
    SchemaError
        If ``by``/``reported_at`` is missing or both ``by`` and ``period`` are given.
    CRSError
        If the CRSs differ.
    """
    _check_grid(grid)
    if by is not None and period is not None:
        raise SchemaError("count by a column or by a period, not both; got by and period")
    if by is not None:
        _validate.require_columns(points, [by], name="points")
    if period is not None:
        _validate.require_columns(points, ["reported_at"], name="points")
    cell = assign_cells(grid, points)
    index = pd.Index(grid["cell_id"].to_numpy(dtype="int64"))
    pos = index.get_indexer(cell)
    inside = pos >= 0
    out = grid.copy()
    out["n"] = np.bincount(pos[inside], minlength=len(grid)).astype("int64")
    labels: pd.Series | None = None
    if by is not None:
        labels = points[by].astype("string")
    elif period is not None:
        stamps = pd.to_datetime(points["reported_at"])
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_localize(None)
        labels = stamps.dt.to_period(period).astype("string")
    if labels is not None:
        cpos = pos[inside]
        for value in sorted(str(v) for v in labels.dropna().unique()):
            mask = (labels == value).fillna(False).to_numpy(dtype=bool)[inside]
            out[f"n_{value}"] = np.bincount(cpos[mask], minlength=len(grid)).astype("int64")
    params: dict[str, Any] = dict(grid.attrs.get("params", {}))
    params.update(
        {
            "n_points": len(points),
            "n_outside": int((~inside).sum()),
            "by": by,
            "period": period,
        }
    )
    out.attrs["params"] = params
    if (~inside).any():
        logger.info("%d of %d point(s) fall outside the grid", int((~inside).sum()), len(points))
    return out


# --------------------------------------------------------------------------- helpers


def _as_frame(area: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame:
    if isinstance(area, gpd.GeoSeries):
        return gpd.GeoDataFrame(geometry=area)
    if isinstance(area, gpd.GeoDataFrame):
        return area
    raise TypeError(f"expected a GeoDataFrame or GeoSeries, got {type(area).__name__}")


def _check_grid(grid: gpd.GeoDataFrame) -> None:
    _validate.require_columns(grid, ["cell_id"], name="grid")
    if not grid["cell_id"].is_unique:
        raise SchemaError("grid has duplicate cell_id values; build it with grid.make_grid")


def _origin(minx: float, miny: float, size: float) -> tuple[float, float]:
    """Lattice origin: aligned to multiples of the cell size, so grids of one size line up."""
    return math.floor(minx / size) * size, math.floor(miny / size) * size


def _enlarge(size: float, *, factor: float) -> float:
    new = size * max(factor, 1.0001)
    if new >= AUTO_CELL_ROUND_M:
        return math.ceil(new / AUTO_CELL_ROUND_M) * AUTO_CELL_ROUND_M
    return float(math.ceil(new))


def _row_geometry(shape: GridShape, size: float) -> tuple[float, float, float]:
    """Return (row spacing, half height of a cell, half width) of the lattice."""
    if shape == "square":
        return size, size / 2, size / 2
    return size * _SQRT3 / 2, size / _SQRT3, size / 2


def _row_spans(
    geom: shapely.Geometry,
    *,
    size: float,
    shape: GridShape,
    origin: tuple[float, float],
    bounds: tuple[float, float, float, float],
) -> dict[int, tuple[int, int]]:
    """Return, per lattice row, the inclusive column range of cells that may touch ``geom``."""
    minx, miny, maxx, maxy = bounds
    dy, half_h, half_w = _row_geometry(shape, size)
    x0, y0 = origin
    # cell centre of (row r, col c): square (x0 + (c + .5) s, y0 + (r + .5) s);
    # hex (x0 + c s + (r odd) s/2, y0 + r dy)
    if shape == "square":
        r_lo, r_hi = math.floor((miny - y0) / size) - 1, math.ceil((maxy - y0) / size) + 1
    else:
        r_lo, r_hi = (
            math.floor((miny - y0 - half_h) / dy) - 1,
            math.ceil((maxy - y0 + half_h) / dy) + 1,
        )
    rows = np.arange(r_lo, r_hi + 1)
    if len(rows) > 5_000_000:
        raise InsufficientDataError(
            f"{len(rows)} grid rows of {size:g} m over this area; choose a larger cell_size_m"
        )
    cy = y0 + (rows + 0.5) * size if shape == "square" else y0 + rows * dy
    strips = shapely.box(minx - size, cy - half_h, maxx + size, cy + half_h)
    parts = shapely.intersection(geom, strips)
    pb = shapely.bounds(parts)
    spans: dict[int, tuple[int, int]] = {}
    for r, (bx0, _, bx1, _) in zip(rows.tolist(), pb, strict=True):
        if not np.isfinite(bx0):
            continue
        shift = 0.0 if shape == "square" else (size / 2 if r % 2 else 0.0)
        if shape == "square":
            c_lo = math.floor((bx0 - x0) / size) - 1
            c_hi = math.ceil((bx1 - x0) / size)
        else:
            c_lo = math.floor((bx0 - x0 - shift - half_w) / size) - 1
            c_hi = math.ceil((bx1 - x0 - shift + half_w) / size) + 1
        spans[r] = (c_lo, c_hi)
    return spans


def _build_cells(
    spans: dict[int, tuple[int, int]],
    *,
    size: float,
    shape: GridShape,
    origin: tuple[float, float],
) -> np.ndarray:
    if not spans:
        return np.empty(0, dtype=object)
    counts = np.array([hi - lo + 1 for lo, hi in spans.values()], dtype="int64")
    rows = np.repeat(np.fromiter(spans.keys(), dtype="int64", count=len(spans)), counts)
    starts = np.repeat(np.array([lo for lo, _ in spans.values()], dtype="int64"), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    cols = starts + offsets
    x0, y0 = origin
    if shape == "square":
        xs = x0 + cols * size
        ys = y0 + rows * size
        return np.asarray(shapely.box(xs, ys, xs + size, ys + size))
    # every corner is computed from integer lattice indices (x in half cell widths, y in half
    # circumradii), so neighbouring cells share their corners bit for bit
    half_w = size / 2
    half_r = size / (2 * _SQRT3)
    kx = 2 * cols + (rows % 2)
    ky = 3 * rows
    dx = np.array([1, 0, -1, -1, 0, 1, 1], dtype="int64")
    dyk = np.array([1, 2, 1, -1, -2, -1, 1], dtype="int64")
    ring_x = x0 + (kx[:, None] + dx[None, :]).astype(float) * half_w
    ring_y = y0 + (ky[:, None] + dyk[None, :]).astype(float) * half_r
    coords = np.stack([ring_x, ring_y], axis=-1)
    return np.asarray(shapely.polygons(coords))


def _kept(geom: shapely.Geometry, cells: np.ndarray, keep: CellRule) -> np.ndarray:
    """Return which candidate cells the grid keeps under the rule ``keep``."""
    shapely.prepare(geom)
    if keep == "centre":
        centre = shapely.get_coordinates(shapely.centroid(cells))
        return np.asarray(shapely.intersects_xy(geom, centre[:, 0], centre[:, 1]))
    mask = np.asarray(shapely.intersects(geom, cells))
    mask[mask] = ~shapely.touches(geom, cells[mask])  # a shared edge alone is not an overlap
    return mask


def _lattice(grid: gpd.GeoDataFrame) -> tuple[GridShape, float, float, float] | None:
    """Return (shape, size, origin x, origin y) if ``grid`` is a regular lattice, else None."""
    geoms = grid.geometry.to_numpy()
    if len(geoms) == 0:
        return None
    nverts = shapely.get_num_coordinates(geoms)
    bounds = shapely.bounds(geoms)
    width = bounds[:, 2] - bounds[:, 0]
    height = bounds[:, 3] - bounds[:, 1]
    area = shapely.area(geoms)
    if (nverts == 5).all():
        size = float(width[0])
        if (
            size > 0
            and np.allclose(width, size, rtol=1e-9, atol=1e-6)
            and np.allclose(height, size, rtol=1e-9, atol=1e-6)
            and np.allclose(area, size * size, rtol=1e-9)
        ):
            return "square", size, float(bounds[:, 0].min()), float(bounds[:, 1].min())
        return None
    if (nverts == 7).all():
        size = float(width[0])
        hex_area = _SQRT3 / 2 * size * size
        if (
            size > 0
            and np.allclose(width, size, rtol=1e-9)
            and np.allclose(area, hex_area, rtol=1e-6)
        ):
            return "hex", size, float(bounds[:, 0].min()), float(bounds[:, 1].min())
    return None


def cell_size_of(grid: gpd.GeoDataFrame) -> float:
    """Return the cell size (square side / hexagon centre spacing) of a lattice grid.

    Parameters
    ----------
    grid
        A grid from :func:`make_grid`.

    Returns
    -------
    float
        ``attrs["params"]["cell_size_m"]`` when present, else read from the geometry.

    Raises
    ------
    SchemaError
        If the grid is not a regular square or hexagonal lattice.
    """
    params = grid.attrs.get("params", {})
    if params.get("cell_size_m"):
        return float(params["cell_size_m"])
    lattice = _lattice(grid)
    if lattice is None:
        raise SchemaError(
            "grid is not a regular square or hexagonal lattice; build it with grid.make_grid"
        )
    return lattice[1]
