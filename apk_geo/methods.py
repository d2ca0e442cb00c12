"""The hotspot-method registry: one list of methods and one orchestration path.

Every caller that runs a hotspot method — the ``apk-geo hotspots`` command, the dashboard, the MDT
packs and :func:`apk_geo.evaluate.evaluate` — goes through :func:`run_method`, so the same points
and options give the same grid and the same result everywhere. :data:`METHODS` says, for each
method, whether it runs on a grid, which columns it adds and which map layer draws it
(``"classes"``: a diverging class per cell, ``"surface"``: a continuous value per cell,
``"polygons"``: one shape per cluster). Adding a method is one module plus one entry here.

The grid rule (:func:`build_grid`): the cell size is the caller's or
:func:`apk_geo.grid.auto_cell_size_m` of the study area (the area when given, else the points); the
study area is :func:`apk_geo.grid.study_area` (the area's union, else the points' convex hull
buffered by one cell); cells cover it whole.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo import _validate, grid
from apk_geo.coords import located
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError
from apk_geo.times import wall_clock

__all__ = [
    "METHODS",
    "HotspotMethod",
    "MapLayer",
    "build_grid",
    "cell_scores",
    "halves",
    "method_names",
    "run_method",
]

logger = logging.getLogger(__name__)

MapLayer = Literal["classes", "surface", "polygons"]
GridShape = Literal["square", "hex"]

#: Cap on the number of grid cells (a finer grid is refused with a message).
DEFAULT_MAX_CELLS: Final = 250_000

_Runner = Callable[[gpd.GeoDataFrame, "gpd.GeoDataFrame | None", dict[str, Any]], gpd.GeoDataFrame]


@dataclass(frozen=True)
class HotspotMethod:
    """One hotspot method as the registry describes it.

    Attributes
    ----------
    name
        Registry key (``"gistar"``, ``"kde"`` …), also the CLI's ``--method`` choice.
    run
        ``run(points, counted_cells_or_None, options) -> GeoDataFrame``; the grid is ``None`` for
        methods that do not run on one.
    on_grid
        Whether the method needs a grid (built by :func:`build_grid`).
    columns
        Columns the method adds to the grid (or, for polygons, the columns of its rows).
    layer
        Which map layer draws it: ``"classes"``, ``"surface"`` or ``"polygons"``.
    value_col
        The column the map layer draws.
    score_col
        The column that ranks cells from most to least hot (evaluation, top-cell tables), or
        ``None`` when cells are scored from polygons (:func:`cell_scores`).
    options
        Keyword options :func:`run_method` passes on; anything else is refused.
    needs_time
        Whether the points need a ``reported_at`` column.
    interactive
        Whether the dashboard offers it (methods that need two periods are CLI-only).
    predictive
        Whether its scores from a training period rank cells for a later period, so that
        :func:`apk_geo.evaluate.evaluate` compares it (hit rate, PAI).
    """

    name: str
    run: _Runner
    on_grid: bool
    columns: tuple[str, ...]
    layer: MapLayer
    value_col: str
    score_col: str | None
    options: frozenset[str]
    needs_time: bool = False
    interactive: bool = True
    predictive: bool = True


# --------------------------------------------------------------------------- the runners


def _run_gistar(
    points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None, options: dict[str, Any]
) -> gpd.GeoDataFrame:
    from apk_geo.gistar import gistar

    return gistar(_grid(cells, "gistar"), **options)


def _run_kde(
    points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None, options: dict[str, Any]
) -> gpd.GeoDataFrame:
    from apk_geo.kde import kde

    return kde(points, _grid(cells, "kde"), **options)


def _run_forecast(
    points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None, options: dict[str, Any]
) -> gpd.GeoDataFrame:
    from apk_geo.forecast import forecast

    return forecast(points, _grid(cells, "forecast"), **{"seed": 0, **options})


def _run_emerging(
    points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None, options: dict[str, Any]
) -> gpd.GeoDataFrame:
    from apk_geo.emerging import emerging

    return emerging(points, _bare(_grid(cells, "emerging")), **options)


def _run_change(
    points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None, options: dict[str, Any]
) -> gpd.GeoDataFrame:
    from apk_geo.change import change

    opts = dict(options)
    start, end = opts.pop("start", None), opts.pop("end", None)
    if "period_a" not in opts or "period_b" not in opts:
        opts["period_a"], opts["period_b"] = halves(points, start=start, end=end)
    return change(points, _bare(_grid(cells, "change")), **opts)


def _run_clusters(
    points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None, options: dict[str, Any]
) -> gpd.GeoDataFrame:
    from apk_geo.clusters import clusters

    opts = {"min_cluster_size": 15, **options}
    if "cluster_method" in opts:  # ``method`` is run_method's own argument
        opts["method"] = opts.pop("cluster_method")
    return clusters(points, **opts)


def _grid(cells: gpd.GeoDataFrame | None, method: str) -> gpd.GeoDataFrame:
    if cells is None:  # pragma: no cover - run_method always builds one for grid methods
        raise ParameterError(f"method {method!r} runs on a grid; none was built")
    return cells


def _bare(cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the grid without its count column (methods that count per period themselves)."""
    keep = [c for c in cells.columns if c in ("cell_id", cells.geometry.name)]
    out = cells[keep].copy()
    out.attrs = dict(cells.attrs)
    return out


METHODS: Final[Mapping[str, HotspotMethod]] = MappingProxyType(
    {
        "gistar": HotspotMethod(
            name="gistar",
            run=_run_gistar,
            on_grid=True,
            columns=("gi_z", "p_value", "p_adjusted", "hotspot_class", "n_neighbours"),
            layer="classes",
            value_col="hotspot_class",
            score_col="gi_z",
            options=frozenset({"adjust"}),
        ),
        "kde": HotspotMethod(
            name="kde",
            run=_run_kde,
            on_grid=True,
            columns=("density_km2", "expected_n"),
            layer="surface",
            value_col="density_km2",
            score_col="density_km2",
            options=frozenset({"bandwidth_m", "kernel", "weights"}),
        ),
        "forecast": HotspotMethod(
            name="forecast",
            run=_run_forecast,
            on_grid=True,
            columns=("risk", "expected_n"),
            layer="surface",
            value_col="risk",
            score_col="risk",
            options=frozenset(
                {
                    "at",
                    "seed",
                    "time_col",
                    "bandwidths_m",
                    "blends",
                    "half_life_shares",
                    "half_lives_days",
                    "near_repeat",
                    "context",
                    "objective",
                    "n_boot",
                }
            ),
            needs_time=True,
        ),
        "clusters": HotspotMethod(
            name="clusters",
            run=_run_clusters,
            on_grid=False,
            columns=("cluster_id", "n", "date_from", "date_to", "top_categories", "label"),
            layer="polygons",
            value_col="n",
            score_col=None,
            options=frozenset(
                {"cluster_method", "min_cluster_size", "min_samples", "eps_m", "context"}
            ),
        ),
        "change": HotspotMethod(
            name="change",
            run=_run_change,
            on_grid=True,
            columns=("n_a", "n_b", "diff", "rate_ratio", "p_value", "p_adjusted", "direction"),
            layer="classes",
            value_col="direction",
            score_col="diff",
            options=frozenset({"period_a", "period_b", "start", "end", "adjust", "alpha"}),
            needs_time=True,
            interactive=False,
            predictive=False,
        ),
        "emerging": HotspotMethod(
            name="emerging",
            run=_run_emerging,
            on_grid=True,
            columns=("emerging_class", "trend_z", "trend_p"),
            layer="classes",
            value_col="emerging_class",
            score_col="trend_z",
            options=frozenset({"period", "start", "end", "adjust", "alpha"}),
            needs_time=True,
            interactive=False,
            predictive=False,
        ),
    }
)


def method_names(*, interactive: bool | None = None, predictive: bool | None = None) -> list[str]:
    """Return the registry's method names: all, the dashboard's or the predictive ones."""
    return [
        m.name
        for m in METHODS.values()
        if (interactive is None or m.interactive == interactive)
        and (predictive is None or m.predictive == predictive)
    ]


# --------------------------------------------------------------------------- orchestration


def build_grid(
    points: gpd.GeoDataFrame,
    *,
    area: gpd.GeoDataFrame | None = None,
    cell_size_m: float | None = None,
    shape: GridShape = "square",
    max_cells: int = DEFAULT_MAX_CELLS,
) -> gpd.GeoDataFrame:
    """Return the grid every caller analyses ``points`` on (the one grid rule).

    Parameters
    ----------
    points
        Located incidents in a projected CRS.
    area
        Study area (the city, the chosen districts); ``None``: the points' convex hull buffered
        by one cell.
    cell_size_m
        Cell size; ``None`` chooses it from the study area (:func:`apk_geo.grid.auto_cell_size_m`).
    shape
        ``"square"`` or ``"hex"``.
    max_cells
        Refuse grids with more cells than this.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id``, geometry; ``attrs["params"]`` holds the grid's and the study area's
        parameters and ``cell_size_auto``.
    """
    crs = _validate.require_projected(points, name="points")
    if area is not None:
        area = area.to_crs(crs)
    size = cell_size_m if cell_size_m is not None else None
    if size is None:
        size = grid.auto_cell_size_m(area if area is not None else points)
    study = grid.study_area(points, cell_size_m=size, area=area)
    cells = grid.make_grid(study, cell_size_m=size, shape=shape, max_cells=max_cells)
    params = dict(cells.attrs["params"])
    params["cell_size_auto"] = cell_size_m is None
    params.update(study.attrs.get("params", {}))
    cells.attrs["params"] = params
    return cells


def run_method(
    points: gpd.GeoDataFrame,
    *,
    method: str,
    area: gpd.GeoDataFrame | None = None,
    cell_size_m: float | None = None,
    cells: gpd.GeoDataFrame | None = None,
    shape: GridShape = "square",
    max_cells: int = DEFAULT_MAX_CELLS,
    **options: Any,
) -> gpd.GeoDataFrame:
    """Run one hotspot method: the one orchestration path (grid → count → method).

    Parameters
    ----------
    points
        Incidents in a projected CRS; rows without a location are dropped.
    method
        A key of :data:`METHODS`.
    area, cell_size_m, shape, max_cells
        The grid (see :func:`build_grid`); ignored when ``cells`` is given or the method runs
        without a grid.
    cells
        A grid to use as it is (``cell_id``, geometry), e.g. one fixed for a train/test split.
    **options
        The method's own options (``METHODS[method].options``), e.g. ``adjust`` for Gi*,
        ``bandwidth_m`` for KDE, ``min_cluster_size`` for clusters.

    Returns
    -------
    geopandas.GeoDataFrame
        The method's result (the counted grid with its columns, or cluster polygons);
        ``attrs["params"]`` holds the method's own parameters and ``grid`` (the grid's, empty for
        methods without one).

    Raises
    ------
    ParameterError
        If ``method`` or an option is unknown.
    InsufficientDataError
        If no point is located.
    """
    spec = _spec(method, options)
    pts = _located_points(points, spec)
    counted = None
    grid_params: dict[str, Any] = {}
    if spec.on_grid:
        base = (
            cells
            if cells is not None
            else build_grid(
                pts, area=area, cell_size_m=cell_size_m, shape=shape, max_cells=max_cells
            )
        )
        grid_params = dict(base.attrs.get("params", {}))
        counted = grid.count_points(base, pts)
    result = spec.run(pts, counted, dict(options))
    method_params = dict(result.attrs.get("params", {}))
    result.attrs["params"] = {**method_params, "grid": grid_params}
    logger.info("%s on %d incidents: %s", spec.name, len(pts), result.attrs["params"])
    return result


def cell_scores(result: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, *, method: str) -> np.ndarray:
    """Return one score per cell of ``cells`` (higher = hotter) for a method's result.

    Grid methods give their ``score_col``; polygon methods give each cell the highest incident
    density (incidents per km²) of the polygons it intersects, NaN elsewhere.
    """
    spec = _spec(method, {})
    if spec.score_col is not None:
        return np.asarray(result[spec.score_col].to_numpy(dtype=float))
    score = np.full(len(cells), np.nan)
    if len(result) == 0:
        return score
    area_km2 = result.geometry.area.to_numpy(dtype=float) / 1e6
    density = result["n"].to_numpy(dtype=float) / np.where(area_km2 > 0, area_km2, np.nan)
    cell_idx, poly_idx = result.sindex.query(cells.geometry, predicate="intersects")
    if len(cell_idx):
        best = pd.DataFrame({"c": cell_idx, "d": density[poly_idx]}).groupby("c")["d"].max()
        score[best.index.to_numpy()] = best.to_numpy()
    return score


def halves(
    points: gpd.GeoDataFrame, *, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
    """Split ``[start, end)`` (default: the data's span in whole days) into two equal halves.

    Bounds are naive wall-clock times in the column's own zone; the middle falls on midnight when
    the span is two days or more.
    """
    if "reported_at" not in points.columns:
        raise SchemaError("the change method needs dates (reported_at); pass --date-col")
    stamps = wall_clock(points["reported_at"])[0].dropna()
    if len(stamps) == 0:
        raise InsufficientDataError("the change method needs incidents with a date")
    lo = start if start is not None else stamps.min().normalize()
    hi = end if end is not None else stamps.max().normalize() + pd.Timedelta(days=1)
    mid = lo + (hi - lo) / 2
    if (hi - lo) >= pd.Timedelta(days=2):
        mid = mid.normalize()
    logger.info("change: period A %s – %s, period B %s – %s", lo, mid, mid, hi)
    return (lo, mid), (mid, hi)


def _spec(method: str, options: Mapping[str, Any]) -> HotspotMethod:
    """Return the registry entry of ``method``; refuse unknown methods and options."""
    spec = METHODS.get(method)
    if spec is None:
        raise ParameterError(f"method must be one of {list(METHODS)}; got {method!r}")
    unknown = sorted(set(options) - spec.options)
    if unknown:
        raise ParameterError(
            f"method {method!r} takes the options {sorted(spec.options)}; got {unknown}"
        )
    return spec


def _located_points(points: gpd.GeoDataFrame, spec: HotspotMethod) -> gpd.GeoDataFrame:
    """Return the located rows; refuse an empty set or missing times for time-based methods."""
    pts = located(points)
    if len(pts) == 0:
        raise InsufficientDataError(
            f"{spec.name}: no located incident; widen the filters (dates, categories, districts)"
        )
    if spec.needs_time and "reported_at" not in pts.columns:
        raise SchemaError(f"{spec.name} needs dates (a reported_at column)")
    return pts
