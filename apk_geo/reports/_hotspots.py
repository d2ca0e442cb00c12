"""The hotspot analysis of a pack's area: the grid's classes, then the ranked, named hot cells.

:func:`_hotspot_grid` is the analysis itself, kept as one step: a square grid over the area,
the month's and the previous month's counts, Getis-Ord Gi* classes (Getis & Ord 1992) of the
month's counts and the emerging hot-spot class over the last :data:`EMERGING_MONTHS` months
(:mod:`apk_geo.emerging`). Its output — the columns of :data:`CELL_COLUMNS` and geometry, and
the note of a skipped emerging analysis — is all the rest of the pack relies on.
:func:`rank` then picks the top hot cells with incidents this month and names them and the
new and intensifying hot spots (district and the SVL, hostel or stop nearby).

References
----------
Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance
statistics. Geographical Analysis 24(3), 189–206.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo.errors import InsufficientDataError, ParameterError
from apk_geo.labels import place_labels

__all__ = [
    "CELL_COLUMNS",
    "EMERGING_MONTHS",
    "INTENSIFYING_CLASSES",
    "NEW_CLASSES",
    "STOP_LABEL_RADIUS_M",
    "Hotspots",
    "analyse",
    "rank",
]

logger = logging.getLogger(__name__)

#: Months of the emerging hot-spot analysis, ending with the pack's month.
EMERGING_MONTHS: Final = 12
#: Nearest stop within this distance names a hot cell.
STOP_LABEL_RADIUS_M: Final = 400.0
#: Emerging classes listed as "new" and as "intensifying" hot spots.
NEW_CLASSES: Final = ("new_hot", "consecutive_hot")
INTENSIFYING_CLASSES: Final = ("intensifying_hot",)
#: Study-area parameters of :func:`apk_geo.methods.build_grid` a pack does not report (its area
#: is the pack's area).
_STUDY_KEYS: Final = frozenset({"study_area", "area_km2", "buffer_m", "grid"})
#: Columns of the area's grid in a pack (with geometry).
CELL_COLUMNS: Final = (
    "cell_id",
    "n",
    "n_previous",
    "diff",
    "gi_z",
    "hotspot_class",
    "emerging_class",
)


@dataclass(frozen=True)
class Hotspots:
    """The area's analysed grid, its ranked hot cells and the new and intensifying ones."""

    #: The grid: :data:`CELL_COLUMNS` and geometry (EPSG:5514).
    cells: gpd.GeoDataFrame
    #: The top hot cells: ``rank, cell_id, label, n, n_previous, diff, hotspot_class,
    #: emerging_class`` and geometry.
    table: gpd.GeoDataFrame
    new: tuple[str, ...]
    intensifying: tuple[str, ...]
    #: Hot cells with incidents this month (the table holds the top of them).
    n_hot: int
    #: Why the emerging analysis was skipped, if it was.
    emerging_note: str | None


def analyse(
    area: gpd.GeoDataFrame,
    month_pts: gpd.GeoDataFrame,
    prev_pts: gpd.GeoDataFrame,
    window_pts: gpd.GeoDataFrame,
    *,
    month: pd.Period,
    cell_size_m: float,
    top: int,
    lang: str,
    layers: Mapping[str, gpd.GeoDataFrame],
    hostel_radius_m: float,
    params: dict[str, Any],
    min_n: int = 1,
    signal_min: int | None = None,
) -> Hotspots:
    """Analyse the area's grid (:func:`_hotspot_grid`), then rank and name its hot cells.

    ``min_n`` and ``signal_min`` are passed to :func:`rank` (the presenter tier's rules).
    """
    cells, note = _hotspot_grid(
        area,
        month_pts,
        prev_pts,
        window_pts,
        month=month,
        cell_size_m=cell_size_m,
        params=params,
    )
    return rank(
        cells,
        area,
        top=top,
        lang=lang,
        layers=layers,
        hostel_radius_m=hostel_radius_m,
        emerging_note=note,
        min_n=min_n,
        signal_min=signal_min,
    )


# ===================================================================== the hotspot analysis


def _hotspot_grid(
    area: gpd.GeoDataFrame,
    month_pts: gpd.GeoDataFrame,
    prev_pts: gpd.GeoDataFrame,
    window_pts: gpd.GeoDataFrame,
    *,
    month: pd.Period,
    cell_size_m: float,
    params: dict[str, Any],
) -> tuple[gpd.GeoDataFrame, str | None]:
    """Return the area's grid with counts, Gi* and emerging classes, and a skip note.

    ``params`` gets the ``grid``, ``gistar`` and ``emerging`` parameters (or why a step was
    skipped).
    """
    from apk_geo import grid
    from apk_geo.methods import build_grid, run_method

    cells = build_grid(month_pts, area=area, cell_size_m=cell_size_m)
    params["grid"] = {k: v for k, v in cells.attrs["params"].items() if k not in _STUDY_KEYS}
    counted = grid.count_points(cells, month_pts)
    try:
        result = run_method(month_pts, method="gistar", cells=cells)
        params["gistar"] = {k: v for k, v in result.attrs["params"].items() if k not in _STUDY_KEYS}
    except InsufficientDataError as exc:
        logger.info("report: Gi* skipped for %s: %s", month, exc)
        params["gistar"] = {"skipped": str(exc)}
        result = counted.assign(gi_z=np.nan, hotspot_class=0)
    result["n_previous"] = grid.count_points(cells, prev_pts)["n"].to_numpy()
    result["diff"] = result["n"] - result["n_previous"]
    note = None
    start = (month - (EMERGING_MONTHS - 1)).start_time
    try:
        em = run_method(
            window_pts,
            method="emerging",
            cells=cells,
            period="M",
            start=start,
            end=(month + 1).start_time,
        )
        skip = {"periods", "grid"}
        params["emerging"] = {k: v for k, v in em.attrs["params"].items() if k not in skip}
        result["emerging_class"] = em["emerging_class"].to_numpy()
    except (InsufficientDataError, ParameterError) as exc:
        logger.info("report: emerging analysis skipped: %s", exc)
        params["emerging"] = {"skipped": str(exc)}
        note = str(exc)
        result["emerging_class"] = pd.array([pd.NA] * len(result), dtype="string")
    keep = [*CELL_COLUMNS, result.geometry.name]
    out = gpd.GeoDataFrame(result[keep], geometry=result.geometry.name, crs=cells.crs)
    out["hotspot_class"] = out["hotspot_class"].astype("int64")
    return out, note


# =========================================================================================


def rank(
    cells: gpd.GeoDataFrame,
    area: gpd.GeoDataFrame,
    *,
    top: int,
    lang: str,
    layers: Mapping[str, gpd.GeoDataFrame],
    hostel_radius_m: float,
    emerging_note: str | None = None,
    min_n: int = 1,
    signal_min: int | None = None,
) -> Hotspots:
    """Rank the hot cells with incidents this month and name them and the emerging ones.

    The table lists hot cells that had at least ``min_n`` incidents this month (a cell can be
    hot through its neighbours alone; the map shows every hot cell), by class, count, z-score
    and cell id. New and intensifying hot spots are the cells whose centre lies in the area
    and whose emerging class is in :data:`NEW_CLASSES` / :data:`INTENSIFYING_CLASSES`.

    With ``signal_min`` (the presenter tier's threshold) a cell's Gi* and emerging classes are
    cleared (class 0, no trend) where the month's incidents in its Gi* neighbourhood (the cell
    and its neighbours) number ``1 … signal_min − 1``: a marked cell never points to fewer
    than ``signal_min`` incidents. A listed cell (``min_n ≥ signal_min``) is never cleared.
    """
    if signal_min is not None:
        cells = _clear_small_signals(cells, signal_min)
    hot = cells.loc[(cells["hotspot_class"] > 0) & (cells["n"] >= max(1, min_n))]
    top_cells = hot.sort_values(
        ["hotspot_class", "n", "gi_z", "cell_id"], ascending=[False, False, False, True]
    ).head(top)
    emerging_class = cells["emerging_class"].astype("string")
    geom = area.geometry.iloc[0]
    centre_in = cells.geometry.representative_point().within(geom).to_numpy(dtype=bool)
    is_new = emerging_class.isin(NEW_CLASSES).fillna(False).to_numpy(dtype=bool) & centre_in
    is_intens = (
        emerging_class.isin(INTENSIFYING_CLASSES).fillna(False).to_numpy(dtype=bool) & centre_in
    )
    named = cells.loc[cells.index.isin(top_cells.index) | is_new | is_intens]
    names = _place_labels(named, layers, lang=lang, hostel_radius_m=hostel_radius_m)
    labels = pd.Series(names, index=named.index, dtype="string")
    return Hotspots(
        cells=cells,
        table=_hotspot_table(top_cells, labels.loc[top_cells.index].to_numpy(), crs=cells.crs),
        new=tuple(dict.fromkeys(labels.loc[cells.index[is_new]].astype(str))),
        intensifying=tuple(dict.fromkeys(labels.loc[cells.index[is_intens]].astype(str))),
        n_hot=len(hot),
        emerging_note=emerging_note,
    )


def _clear_small_signals(cells: gpd.GeoDataFrame, signal_min: int) -> gpd.GeoDataFrame:
    """Return ``cells`` with classes cleared where the neighbourhood holds 1 … signal_min − 1."""
    from apk_geo.gistar import neighbour_weights

    if cells.empty:
        return cells
    weights = neighbour_weights(cells)
    near = weights @ cells["n"].to_numpy(dtype=float)
    small = (near > 0) & (near < signal_min)
    if not small.any():
        return cells
    out = cells.copy()
    out.loc[small, "hotspot_class"] = 0
    out["emerging_class"] = out["emerging_class"].astype("string")
    out.loc[small, "emerging_class"] = pd.NA
    return out


def _hotspot_table(
    top_cells: gpd.GeoDataFrame, labels: np.ndarray, *, crs: Any
) -> gpd.GeoDataFrame:
    """Return the hot-cell table (:attr:`Hotspots.table`) of the ranked cells."""
    return gpd.GeoDataFrame(
        {
            "rank": np.arange(1, len(top_cells) + 1, dtype="int64"),
            "cell_id": top_cells["cell_id"].to_numpy(),
            "label": labels,
            "n": top_cells["n"].to_numpy(),
            "n_previous": top_cells["n_previous"].to_numpy(),
            "diff": top_cells["diff"].to_numpy(),
            "hotspot_class": top_cells["hotspot_class"].to_numpy(),
            "emerging_class": top_cells["emerging_class"].to_numpy(),
        },
        geometry=top_cells.geometry.to_numpy(),
        crs=crs,
    )


def _place_labels(
    cells: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    lang: str,
    hostel_radius_m: float,
) -> list[str]:
    """Return a readable label per cell: district and the SVL, hostel or stop nearby."""
    return place_labels(
        cells,
        context=SimpleNamespace(**layers),
        districts=layers.get("districts"),
        ids=[int(c) for c in cells["cell_id"]],
        lang=lang,
        hostel_radius_m=hostel_radius_m,
        stop_radius_m=STOP_LABEL_RADIUS_M,
    )
