"""Patrol places from hot cells: neighbouring hot cells around one spot become one named stop.

A grid cell is not a place a pair of assistants walks to: four adjacent hot cells around one
hostel are one stop, "okolí Ubytovna Hulvácká", not four stops under the same name. The rule of
:func:`merge_cells`:

1. rank the cells by expected incidents; the hot pool is the ``pool_factor × top_n`` best;
2. the best cell not yet taken seeds a place, and every pool cell whose centre lies within
   ``merge_radius_m`` of the seed's joins it (default 1.5 cell sides: the eight neighbours);
3. the place's priority is the sum over its cells, its point the priority-weighted mean of the
   cell centres, and its dwell the base dwell plus the time to walk across each extra cell at a
   patrol walk (cell side / 4.5 km/h), at most twice the base dwell — a dwell that fits a
   bigger place, within Koper's 10–16 minutes for a single cell;
4. repeat until ``top_n`` places or the pool is used up.

Names come from the city's context: the district, then the SVL, hostel or public-transport stop
(:func:`apk_geo.labels.place_labels`), else the street of the nearest address point, else the
cell; a name that repeats gets the street, then the seed cell, so no two stops read the same.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649–672.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from apk_geo import _validate
from apk_geo.context import PlaceLayers
from apk_geo.errors import ParameterError
from apk_geo.routes.model import DEFAULT_DWELL_MINUTES, DEFAULT_SPEED_KMH
from apk_geo.routes.places import nearest_addresses

__all__ = ["PLACE_COLUMNS", "merge_cells", "name_places"]

logger = logging.getLogger(__name__)

#: Columns of :func:`merge_cells`'s result, in this order (``geometry`` last).
PLACE_COLUMNS: Final = (
    "id",
    "name",
    "priority",
    "dwell_min",
    "n_cells",
    "cell_ids",
    "cell_id",
    "expected_shift",
    "geometry",
)
#: Merge radius in cell sides: the eight neighbours of a square cell (diagonal 1.41 sides).
MERGE_RADIUS_CELLS: Final = 1.5
#: Size of the hot pool in multiples of the number of places asked for.
POOL_FACTOR: Final = 4
#: Distance within which the nearest address point names a place by its street, metres.
STREET_RADIUS_M: Final = 150.0


def cell_side_m(cells: gpd.GeoDataFrame) -> float:
    """Return the side of the grid's cells (the square root of the median cell area), metres."""
    _validate.require_projected(cells, name="cells")
    return float(math.sqrt(float(np.median(cells.geometry.area)))) if len(cells) else 0.0


def merge_cells(
    expected: gpd.GeoDataFrame,
    *,
    top_n: int = 50,
    value_col: str = "expected_shift",
    merge_radius_m: float | None = None,
    dwell_minutes: float = DEFAULT_DWELL_MINUTES,
    pool_factor: int = POOL_FACTOR,
    context: PlaceLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
    addresses: pd.DataFrame | None = None,
    lang: str = "cs",
) -> gpd.GeoDataFrame:
    """Return the ``top_n`` patrol places made of neighbouring hot cells, best first.

    Parameters
    ----------
    expected
        Cells in a projected CRS with ``cell_id`` and ``value_col`` (e.g. from
        :func:`~apk_geo.routes.shift_expected`).
    top_n
        Number of places (fewer when the hot pool runs out).
    value_col
        Column with each cell's expected incidents.
    merge_radius_m
        Cells whose centre lies this close to a place's seed join the place; default
        :data:`MERGE_RADIUS_CELLS` cell sides (logged and recorded); ``0`` keeps cells apart.
    dwell_minutes
        Dwell of a one-cell place.
    pool_factor
        The hot pool is the ``pool_factor × top_n`` cells with the most expected incidents.
    context, districts, addresses
        Context layers (``svl``, ``hostels``, ``stops``), district polygons (``NAZEV``) and
        address points (gazetteer columns) for the names (:func:`name_places`).
    lang
        Language of the names' words.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`PLACE_COLUMNS`: ``id`` ``"place-<seed cell>"``, ``name``, ``priority``
        (summed ``value_col``), ``dwell_min``, ``n_cells``, ``cell_ids`` (``"12;13;45"``), the
        seed ``cell_id``, ``expected_shift`` (= ``priority``), points in the cells' CRS.
        ``attrs["params"]`` is the input's plus ``merge_radius_m``, ``cell_side_m``,
        ``pool``, ``top_n``.

    Raises
    ------
    ParameterError
        If an option is out of range.
    SchemaError
        If a column is missing.
    """
    _check_merge(expected, top_n=top_n, value_col=value_col, pool_factor=pool_factor)
    side = cell_side_m(expected)
    radius = _radius(merge_radius_m, side)
    ranked = (
        expected[pd.to_numeric(expected[value_col]) > 0]
        .sort_values([value_col, "cell_id"], ascending=[False, True], kind="stable")
        .head(int(top_n) * int(pool_factor))
    )
    groups = _groups(ranked, radius_m=radius, top_n=int(top_n))
    places = _place_frame(ranked, groups, value_col=value_col, side_m=side, dwell=dwell_minutes)
    places["name"] = pd.Series(
        name_places(places, context=context, districts=districts, addresses=addresses, lang=lang),
        dtype="string",
    )
    places.attrs["params"] = {
        **expected.attrs.get("params", {}),
        "top_n": int(top_n),
        "merge_radius_m": radius,
        "cell_side_m": side,
        "pool": len(ranked),
        "places": len(places),
    }
    logger.info(
        "%d places from %d hot cells (merge radius %.0f m, cell side %.0f m)",
        len(places),
        len(ranked),
        radius,
        side,
    )
    return places


def _check_merge(
    expected: gpd.GeoDataFrame, *, top_n: int, value_col: str, pool_factor: int
) -> None:
    """Check the input and options of :func:`merge_cells`."""
    for name, value in (("top_n", top_n), ("pool_factor", pool_factor)):
        if int(value) != value or value < 1:
            raise ParameterError(f"{name} must be a whole number >= 1, got {value!r}")
    _validate.require_projected(expected, name="expected")
    _validate.require_columns(expected, ["cell_id", value_col], name="expected")


def _radius(merge_radius_m: float | None, side_m: float) -> float:
    """Return the merge radius: the one given, else 1.5 cell sides (logged)."""
    if merge_radius_m is None:
        radius = MERGE_RADIUS_CELLS * side_m
        logger.info("merge radius not given; using %.0f m (1.5 cell sides)", radius)
        return float(radius)
    if not (merge_radius_m >= 0 and math.isfinite(merge_radius_m)):
        raise ParameterError(f"merge_radius_m must be a finite number >= 0, got {merge_radius_m!r}")
    return float(merge_radius_m)


def _groups(ranked: gpd.GeoDataFrame, *, radius_m: float, top_n: int) -> list[list[int]]:
    """Return the row positions of each place's cells: seeds in rank order, then neighbours."""
    if len(ranked) == 0:
        return []
    centres = ranked.geometry.centroid
    xy = np.column_stack([centres.x.to_numpy(), centres.y.to_numpy()])
    tree = cKDTree(xy)
    taken = np.zeros(len(ranked), dtype=bool)
    groups: list[list[int]] = []
    for seed in range(len(ranked)):
        if taken[seed]:
            continue
        near = sorted(int(i) for i in tree.query_ball_point(xy[seed], r=radius_m + 1e-6))
        members = [seed] + [i for i in near if i != seed and not taken[i]]
        taken[members] = True
        groups.append(members)
        if len(groups) == top_n:
            break
    return groups


def _place_frame(
    ranked: gpd.GeoDataFrame,
    groups: Sequence[Sequence[int]],
    *,
    value_col: str,
    side_m: float,
    dwell: float,
) -> gpd.GeoDataFrame:
    """Return one row per group: summed priority, weighted centre, dwell, member cells."""
    centres = ranked.geometry.centroid
    x, y = centres.x.to_numpy(), centres.y.to_numpy()
    value = pd.to_numeric(ranked[value_col]).to_numpy(dtype=float)
    cell_ids = ranked["cell_id"].to_numpy()
    walk_min = side_m / (DEFAULT_SPEED_KMH["foot"] * 1000 / 60)
    rows = []
    for members in groups:
        w = value[members]
        rows.append(
            {
                "id": f"place-{int(cell_ids[members[0]])}",
                "name": "",
                "priority": float(w.sum()),
                "dwell_min": round(min(dwell + walk_min * (len(members) - 1), 2 * dwell), 1),
                "n_cells": len(members),
                "cell_ids": ";".join(str(int(cell_ids[i])) for i in members),
                "cell_id": int(cell_ids[members[0]]),
                "expected_shift": float(w.sum()),
                "x": float(np.average(x[members], weights=w)),
                "y": float(np.average(y[members], weights=w)),
            }
        )
    frame = pd.DataFrame(rows, columns=[*PLACE_COLUMNS[:-1], "x", "y"])
    out = gpd.GeoDataFrame(
        frame.drop(columns=["x", "y"]),
        geometry=gpd.points_from_xy(frame["x"], frame["y"]),
        crs=ranked.crs,
    )
    out["id"] = out["id"].astype("string")
    return out.astype({"priority": "float64", "dwell_min": "float64", "n_cells": "int64"})


def name_places(
    places: gpd.GeoDataFrame,
    *,
    context: PlaceLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
    addresses: pd.DataFrame | None = None,
    lang: str = "cs",
) -> list[str]:
    """Return a distinct readable name per place: district – landmark, street or cell.

    Parameters
    ----------
    places
        Points in a projected CRS with ``cell_id`` (the fallback name).
    context
        ``svl``, ``hostels``, ``stops`` layers for the landmark.
    districts
        District polygons (``NAZEV``) that lead the name.
    addresses
        Address points: the street of the nearest one within :data:`STREET_RADIUS_M` names a
        place without a landmark, and tells two places of one landmark apart.
    lang
        ``"cs"`` or ``"en"``.

    Returns
    -------
    list of str
        ``"Zábřeh – okolí Ubytovna Hulvácká"``, ``"Poruba – Hlavní třída"``, ``"čtverec 12"``.
    """
    from apk_geo.labels import place_labels

    n = len(places)
    if n == 0:
        return []
    ids = [int(c) for c in places["cell_id"]]
    plain = place_labels(places, ids=ids, lang=lang)
    landmark = (
        place_labels(places, context=context, ids=ids, lang=lang) if context is not None else plain
    )
    xy = np.column_stack([places.geometry.x.to_numpy(), places.geometry.y.to_numpy()])
    streets = (
        nearest_addresses(_to_5514(places, xy), addresses, radius_m=STREET_RADIUS_M, kind="street")
        if addresses is not None
        else [""] * n
    )
    lead = _districts(places, districts)
    names = [m if m != p else (s or p) for m, p, s in zip(landmark, plain, streets, strict=True)]
    return _distinct(names, lead=lead, streets=streets, plain=plain)


def _to_5514(places: gpd.GeoDataFrame, xy: np.ndarray) -> np.ndarray:
    """Return the places' coordinates in EPSG:5514 (where the gazetteer's ``x_5514`` live)."""
    if places.crs is not None and places.crs.to_epsg() == 5514:
        return xy
    pts = places.geometry.to_crs("EPSG:5514")
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


def _districts(places: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None) -> list[str]:
    """Return the name of the district that contains each place (``""`` outside)."""
    if districts is None or len(districts) == 0:
        return [""] * len(places)
    _validate.require_columns(districts, ["NAZEV"], name="districts")
    pts = gpd.GeoDataFrame({"_pos": np.arange(len(places))}, geometry=places.geometry.to_numpy(),
                           crs=places.crs)  # fmt: skip
    joined = gpd.sjoin(pts, districts[["NAZEV", districts.geometry.name]].to_crs(places.crs),
                       how="left", predicate="within")  # fmt: skip
    first = joined.drop_duplicates("_pos").sort_values("_pos")["NAZEV"]
    return ["" if pd.isna(d) else str(d) for d in first]


def _distinct(
    names: list[str], *, lead: list[str], streets: list[str], plain: list[str]
) -> list[str]:
    """Return the names with their districts; repeats get the street, then the cell."""
    full = [f"{d} – {n}" if d else n for d, n in zip(lead, names, strict=True)]
    counts = pd.Series(full).value_counts()
    out = []
    for name, street in zip(full, streets, strict=True):
        if counts[name] > 1 and street and street not in name:
            name = f"{name}, {street}"
        out.append(name)
    counts = pd.Series(out).value_counts()
    seen: dict[str, int] = {}
    final = []
    for name, cell in zip(out, plain, strict=True):
        seen[name] = seen.get(name, 0) + 1
        final.append(f"{name} · {cell}" if counts[name] > 1 and seen[name] > 1 else name)
    return final
