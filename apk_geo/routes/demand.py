"""Demand of a shift: how many incidents each grid cell can expect, and the best candidates.

:func:`shift_expected` gives the expected number of incidents in each grid cell during one shift:
a spatial rate (the forecast's ``expected_n`` when :mod:`apk_geo.forecast` is available,
decay-weighted counts otherwise) times a weekday × hour profile per cell, shrunk towards the
city-wide profile, with incidents weighted by ``2 ** (-age_weeks / recent_weeks)`` (half-life
``recent_weeks``). :func:`top_candidates` turns the best cells into patrol candidates;
:func:`shift_candidates` and :func:`candidates_for_shift` chain the two (the latter grids the area
first, and merges neighbouring hot cells into named places with :mod:`~apk_geo.routes.merge`);
:func:`expected_for_shifts` fits the model once and gives every shift of a week its expected
incidents per cell.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

from apk_geo import _validate
from apk_geo.context import PlaceLayers, risk_layers
from apk_geo.coords import located, located_mask
from apk_geo.errors import InsufficientDataError, ParameterError
from apk_geo.routes.places import _as_shift_start
from apk_geo.schema import TIMEZONE

__all__ = [
    "candidates_for_shift",
    "expected_for_shifts",
    "shift_candidates",
    "shift_expected",
    "top_candidates",
]

logger = logging.getLogger(__name__)

#: Pseudo-count added to each of the 168 weekday × hour slots of the city-wide profile.
_PROFILE_PSEUDOCOUNT: Final = 0.5
#: Number of weekday × hour slots of a week (Monday 0–1 h is slot 0).
_SLOTS: Final = 7 * 24


@dataclass(frozen=True)
class _History:
    """The decay-weighted incidents before a shift that fall inside the cells."""

    pts: gpd.GeoDataFrame  # the located incidents before the shift (some may lie outside)
    inside: np.ndarray  # which of ``pts`` lie inside a cell
    pos: np.ndarray  # row position of the cell of each incident inside
    times: pd.Series  # local time of each incident inside
    weight: np.ndarray  # 0.5 ** (age_weeks / recent_weeks)
    span_weeks: float  # age of the oldest incident used
    effective_weeks: float  # decay-weighted length of the history


def _shift_slots(t0: pd.Timestamp, shift_minutes: float) -> np.ndarray:
    """Return, per weekday × hour slot (Monday 0–1 h = 0), the share of it the shift covers."""
    cover = np.zeros(_SLOTS)
    end = t0 + pd.Timedelta(minutes=shift_minutes)
    cur = t0
    while cur < end:
        nxt = min(cur.floor("h") + pd.Timedelta(hours=1), end)
        cover[cur.day_of_week * 24 + cur.hour] += (nxt - cur) / pd.Timedelta(hours=1)
        cur = nxt
    return cover


# --------------------------------------------------------------------------------------------
# Expected incidents per cell
# --------------------------------------------------------------------------------------------
def shift_expected(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    recent_weeks: float = 8.0,
    prior_strength: float = 5.0,
    spatial: Literal["forecast", "counts"] = "forecast",
    time_col: str = "reported_at",
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> gpd.GeoDataFrame:
    """Return the expected number of incidents in every cell during one shift.

    Only incidents before ``shift_start`` are used, each weighted by
    ``w = 0.5 ** (age_weeks / recent_weeks)`` (``recent_weeks`` is the half-life). Then

    * ``weekly_rate`` – expected incidents per week in the cell: the decay-weighted count over
      the decay-weighted length of the history, ``sum(w) / E`` with
      ``E = h / ln 2 * (1 - 0.5 ** (T / h))`` (``T`` the history span in weeks, ``h`` the
      half-life). With ``spatial="forecast"`` the city total of this rate is shared among the
      cells in proportion to :func:`apk_geo.forecast.forecast`'s ``expected_n`` (blend of
      counts and a KDE, tuned on the history); with ``"counts"`` each cell keeps its own rate.
    * ``shift_share`` – the share of the cell's week that falls in the shift's weekday × hour
      slots, from a 168-slot profile of its weighted incidents shrunk towards the city-wide
      profile: ``p_cell(s) = (W_cell(s) + k * P(s)) / (W_cell + k)``, ``k = prior_strength``,
      ``P(s) = (W(s) + 0.5) / (W + 84)``; slots the shift covers only in part count in part.
    * ``expected_shift = weekly_rate * shift_share``.

    Parameters
    ----------
    incidents
        Incident points in a projected CRS with a datetime column ``time_col``
        (naive values are Europe/Prague local time).
    cells
        Grid cells (``cell_id``, polygons) in the same CRS, e.g. from ``grid.make_grid``.
    shift_start
        Start of the shift; naive values are Europe/Prague local time.
    shift_minutes
        Length of the shift.
    recent_weeks
        Half-life of the incident weights, in weeks.
    prior_strength
        Weight (in decay-weighted incidents) of the city-wide profile in each cell's profile.
    spatial
        Where the spatial distribution comes from (see above).
    time_col
        Name of the incident time column.
    context
        Named context layers for the forecast's risk terms (with ``spatial="forecast"``;
        :func:`apk_geo.context.risk_layers`); kept by the forecast only if they validate.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``cells`` with float columns ``weekly_rate``, ``shift_share`` (in [0, 1]) and
        ``expected_shift``; ``attrs["params"]`` records every option, the effective number of
        weeks, the number of incidents used and the forecast's components
        (``forecast_components``, with the ``risk_layers`` it was offered).

    Raises
    ------
    CRSError
        If a CRS is missing, geographic or differs between the inputs.
    SchemaError
        If a column is missing.
    ParameterError
        If an option is out of range.
    InsufficientDataError
        If no incident before the shift falls in the cells.
    """
    _check_expected_inputs(
        incidents, cells, shift_minutes=shift_minutes, recent_weeks=recent_weeks,
        prior_strength=prior_strength, spatial=spatial, time_col=time_col,
    )  # fmt: skip
    t0 = _as_shift_start(shift_start)
    hist = _history(incidents, cells, t0=t0, recent_weeks=recent_weeks, time_col=time_col)
    weekly, total_rate, components = _weekly_rate(
        hist, cells, t0=t0, spatial=spatial, time_col=time_col, context=context
    )
    out = cells.copy()
    out["weekly_rate"] = weekly
    out["shift_share"] = _shift_share(
        hist, n_cells=len(cells), t0=t0, shift_minutes=shift_minutes, prior_strength=prior_strength
    )
    out["expected_shift"] = out["weekly_rate"] * out["shift_share"]
    out.attrs["params"] = {
        "method": "decay-weighted weekly rate x shrunk weekday-hour profile",
        "shift_start": t0.isoformat(),
        "shift_minutes": float(shift_minutes),
        "recent_weeks": float(recent_weeks),
        "prior_strength": float(prior_strength),
        "spatial": spatial,
        "n_incidents": int(hist.inside.sum()),
        "history_weeks": hist.span_weeks,
        "effective_weeks": hist.effective_weeks,
        "weekly_rate_total": total_rate,
        "expected_total": float(out["expected_shift"].sum()),
        "forecast_components": components,
    }
    _log_expected(out, t0=t0, shift_minutes=shift_minutes, recent_weeks=recent_weeks)
    return out


def _check_expected_inputs(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    shift_minutes: float,
    recent_weeks: float,
    prior_strength: float,
    spatial: str,
    time_col: str,
) -> None:
    """Check the layers and options of :func:`shift_expected`."""
    _validate.require_projected(incidents, name="incidents")
    _validate.require_same_crs(incidents, cells, names=("incidents", "cells"))
    _validate.require_columns(incidents, [time_col], name="incidents")
    _validate.require_columns(cells, ["cell_id"], name="cells")
    _validate.require_positive(shift_minutes, name="shift_minutes")
    _validate.require_positive(recent_weeks, name="recent_weeks")
    if not prior_strength >= 0:
        raise ParameterError(f"prior_strength must be >= 0, got {prior_strength!r}")
    if spatial not in ("forecast", "counts"):
        raise ParameterError(f"spatial must be 'forecast' or 'counts', got {spatial!r}")


def _history(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    t0: pd.Timestamp,
    recent_weeks: float,
    time_col: str,
) -> _History:
    """Return the located incidents before ``t0`` in the cells, with their decay weights."""
    from apk_geo import grid

    times = pd.to_datetime(incidents[time_col])
    if times.dt.tz is None:
        times = times.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="shift_forward")
    times = times.dt.tz_convert(TIMEZONE)
    keep = located_mask(incidents) & (times.notna() & (times < t0)).to_numpy(dtype=bool)
    pts = incidents.loc[keep]
    cell_ids = grid.assign_cells(cells, pts) if len(pts) else np.array([], dtype=np.int64)
    inside = cell_ids >= 0
    if not inside.any():
        raise InsufficientDataError(
            f"no incident before the shift start {t0} falls inside the {len(cells)} cells "
            f"({int(keep.sum())} incident(s) before it); import incidents or enlarge the grid"
        )
    pos_of = pd.Series(np.arange(len(cells)), index=cells["cell_id"].to_numpy())
    t_in = times[keep][inside]
    age_w = ((t0 - t_in) / pd.Timedelta(weeks=1)).to_numpy(dtype=float)
    span_w = float(age_w.max())
    return _History(
        pts=pts,
        inside=inside,
        pos=pos_of.reindex(cell_ids[inside].tolist()).to_numpy(dtype=np.int64),
        times=t_in,
        weight=0.5 ** (age_w / recent_weeks),
        span_weeks=span_w,
        effective_weeks=recent_weeks / math.log(2) * (1 - 0.5 ** (span_w / recent_weeks)),
    )


def _weekly_rate(
    hist: _History,
    cells: gpd.GeoDataFrame,
    *,
    t0: pd.Timestamp,
    spatial: Literal["forecast", "counts"],
    time_col: str,
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> tuple[np.ndarray, float, dict[str, object]]:
    """Return the expected incidents per week in each cell, their city total, the components.

    The components are the forecast's (:func:`apk_geo.forecast.forecast`'s
    ``attrs["params"]["components"]``) and the risk layers it was offered; empty for counts.
    """
    cell_w = np.bincount(hist.pos, weights=hist.weight, minlength=len(cells))
    total_rate = float(hist.weight.sum()) / hist.effective_weeks
    if spatial == "counts":
        return cell_w / hist.effective_weeks, total_rate, {}
    from apk_geo import forecast as fc

    risk = fc.forecast(hist.pts.loc[hist.inside], cells, at=t0, time_col=time_col, context=context)
    share = risk["expected_n"].to_numpy(dtype=float)
    share = share / share.sum() if share.sum() > 0 else cell_w / cell_w.sum()
    components = dict(risk.attrs.get("params", {}).get("components", {}))
    return total_rate * share, total_rate, {**components, "risk_layers": sorted(context or {})}


def _shift_share(
    hist: _History, *, n_cells: int, t0: pd.Timestamp, shift_minutes: float, prior_strength: float
) -> np.ndarray:
    """Return the share of each cell's week in the shift's slots (profile shrunk to the city's)."""
    cover = _shift_slots(t0, shift_minutes)
    return _shares(hist, n_cells=n_cells, covers=cover[:, None], prior_strength=prior_strength)[
        :, 0
    ]


def _shares(
    hist: _History, *, n_cells: int, covers: np.ndarray, prior_strength: float
) -> np.ndarray:
    """Return the ``(n_cells, n_shifts)`` shares of each cell's week in each shift's slots.

    ``covers`` is ``(168, n_shifts)``: the share of every weekday × hour slot each shift covers.
    """
    w, pos = hist.weight, hist.pos
    cell_w = np.bincount(pos, weights=w, minlength=n_cells)
    slot = (hist.times.dt.day_of_week * 24 + hist.times.dt.hour).to_numpy(dtype=np.int64)
    city = (np.bincount(slot, weights=w, minlength=_SLOTS) + _PROFILE_PSEUDOCOUNT) / (
        w.sum() + _SLOTS * _PROFILE_PSEUDOCOUNT
    )
    cell_slot = sparse.coo_matrix((w, (pos, slot)), shape=(n_cells, _SLOTS)).tocsr()
    city_cover = city @ covers  # (n_shifts,)
    with np.errstate(invalid="ignore", divide="ignore"):
        num = np.asarray(cell_slot @ covers) + prior_strength * city_cover[None, :]
        den = (cell_w + prior_strength)[:, None]
        share = np.where(den > 0, num / np.where(den > 0, den, 1.0), city_cover[None, :])
    clipped: np.ndarray = np.clip(share, 0.0, 1.0)
    return clipped


def expected_for_shifts(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    history_end: pd.Timestamp | datetime | str,
    shifts: list[tuple[pd.Timestamp, float]],
    recent_weeks: float = 8.0,
    prior_strength: float = 5.0,
    spatial: Literal["forecast", "counts"] = "forecast",
    time_col: str = "reported_at",
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Return the expected incidents of every cell in each of several shifts (e.g. of a week).

    The same model as :func:`shift_expected`, fitted once on the incidents before
    ``history_end`` (the start of the week being planned): each shift gets the cell's weekly
    rate times the share of its weekday × hour profile that the shift covers.

    Parameters
    ----------
    incidents, cells, recent_weeks, prior_strength, spatial, time_col, context
        As in :func:`shift_expected`.
    history_end
        Only incidents before this time are used, and their ages count from it.
    shifts
        ``(start, minutes)`` of each shift; naive starts are Europe/Prague local time.

    Returns
    -------
    tuple
        A copy of ``cells`` with ``weekly_rate`` and ``expected_week`` (the sum over the
        shifts), and the ``(n_cells, n_shifts)`` array of expected incidents per shift;
        ``attrs["params"]`` as in :func:`shift_expected` (without the shift's own fields).

    Raises
    ------
    ParameterError
        If there is no shift or a shift length is not positive.
    """
    if not shifts:
        raise ParameterError("shifts is empty; give at least one (start, minutes)")
    for _, minutes in shifts:
        _validate.require_positive(minutes, name="shift_minutes")
    _check_expected_inputs(
        incidents, cells, shift_minutes=1.0, recent_weeks=recent_weeks,
        prior_strength=prior_strength, spatial=spatial, time_col=time_col,
    )  # fmt: skip
    t_end = _as_shift_start(history_end)
    hist = _history(incidents, cells, t0=t_end, recent_weeks=recent_weeks, time_col=time_col)
    weekly, total_rate, components = _weekly_rate(
        hist, cells, t0=t_end, spatial=spatial, time_col=time_col, context=context
    )
    covers = np.column_stack(
        [_shift_slots(_as_shift_start(start), float(minutes)) for start, minutes in shifts]
    )
    shares = _shares(hist, n_cells=len(cells), covers=covers, prior_strength=prior_strength)
    expected = weekly[:, None] * shares
    out = cells.copy()
    out["weekly_rate"] = weekly
    out["expected_week"] = expected.sum(axis=1)
    out.attrs["params"] = {
        "method": "decay-weighted weekly rate x shrunk weekday-hour profile",
        "history_end": t_end.isoformat(),
        "recent_weeks": float(recent_weeks),
        "prior_strength": float(prior_strength),
        "spatial": spatial,
        "n_incidents": int(hist.inside.sum()),
        "history_weeks": hist.span_weeks,
        "effective_weeks": hist.effective_weeks,
        "weekly_rate_total": total_rate,
        "n_shifts": len(shifts),
        "forecast_components": components,
    }
    return out, expected


def _log_expected(
    out: gpd.GeoDataFrame, *, t0: pd.Timestamp, shift_minutes: float, recent_weeks: float
) -> None:
    """Log the expected total of a shift (the automatically derived figures)."""
    params = out.attrs["params"]
    logger.info(
        "shift %s + %g min: %.2f expected incidents in %d cells (%d incidents, half-life %g weeks)",
        t0,
        shift_minutes,
        params["expected_total"],
        len(out),
        params["n_incidents"],
        recent_weeks,
    )


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------
def shift_candidates(
    incidents: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    recent_weeks: float = 8.0,
    top_n: int = 50,
    prior_strength: float = 5.0,
    spatial: Literal["forecast", "counts"] = "forecast",
    time_col: str = "reported_at",
) -> gpd.GeoDataFrame:
    """Return the ``top_n`` cells with the most expected incidents in a shift, as candidates.

    Parameters
    ----------
    incidents, cells, shift_start, shift_minutes, recent_weeks, prior_strength, spatial, time_col
        As in :func:`shift_expected`.
    top_n
        Number of candidates (cells with no expected incident are never candidates).

    Returns
    -------
    geopandas.GeoDataFrame
        Points at the cell centroids, highest priority first, columns ``id`` (``"cell-<id>"``),
        ``name`` (the most frequent ``district_name`` of the cell's incidents when known, and
        the cell id), ``priority`` (= ``expected_shift``), ``cell_id``, ``weekly_rate``,
        ``shift_share``, ``expected_shift``; CRS of the cells. ``attrs["params"]`` is that of
        :func:`shift_expected` plus ``top_n``; ``expected_total`` there covers all cells.
    """
    exp = shift_expected(
        incidents,
        cells,
        shift_start=shift_start,
        shift_minutes=shift_minutes,
        recent_weeks=recent_weeks,
        prior_strength=prior_strength,
        spatial=spatial,
        time_col=time_col,
    )
    return top_candidates(exp, top_n=top_n, incidents=incidents)


def candidates_for_shift(
    incidents: gpd.GeoDataFrame,
    *,
    shift_start: pd.Timestamp | datetime | str,
    shift_minutes: float,
    area: gpd.GeoDataFrame | None = None,
    cell_size_m: float = 150.0,
    recent_weeks: float = 8.0,
    top_n: int = 50,
    context: PlaceLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
    addresses: pd.DataFrame | None = None,
    merge_radius_m: float | None = None,
    dwell_minutes: float = 15.0,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Grid the study area and return the shift's patrol places and expected incidents per cell.

    Neighbouring hot cells around one spot become one place (:func:`~apk_geo.routes.merge_cells`:
    summed priority, a dwell that fits, a street or landmark name).

    Parameters
    ----------
    incidents
        Incident points in a projected CRS with ``reported_at``; located ones are used.
    shift_start, shift_minutes, recent_weeks
        As in :func:`shift_candidates`.
    top_n
        Number of places.
    area
        Study area (e.g. the city); default the incidents' convex hull plus one cell.
    cell_size_m
        Grid cell size.
    context, districts, addresses
        Context layers (``svl``, ``hostels``, ``stops``), district polygons and address points
        for the places' names.
    merge_radius_m
        Cells within this distance of a place's seed join it; default 1.5 cell sides; ``0``
        gives one candidate per cell.
    dwell_minutes
        Dwell of a one-cell place (bigger places get more, :func:`~apk_geo.routes.merge_cells`).

    Returns
    -------
    tuple of geopandas.GeoDataFrame
        ``(candidates, expected)``: the places (columns of
        :data:`~apk_geo.routes.merge.PLACE_COLUMNS`) and the :func:`shift_expected` cells (use
        them as ``demand`` in :func:`~apk_geo.routes.plan_route`).
    """
    from apk_geo import grid
    from apk_geo.routes.merge import merge_cells

    here = located(incidents)
    if len(here) == 0:
        raise InsufficientDataError("no located incident; import or geocode incidents first")
    region = grid.study_area(here, cell_size_m=cell_size_m, area=area)
    cells = grid.make_grid(region, cell_size_m=cell_size_m)
    expected = shift_expected(
        here,
        cells,
        shift_start=shift_start,
        shift_minutes=shift_minutes,
        recent_weeks=recent_weeks,
        context=risk_layers(context),
    )
    candidates = merge_cells(
        expected,
        top_n=top_n,
        merge_radius_m=merge_radius_m,
        dwell_minutes=dwell_minutes,
        context=context,
        districts=districts,
        addresses=addresses,
    )
    return candidates, expected


def _candidate_name(label: str | None, cell_id: int) -> str:
    """Return ``"<label> · <cell id>"`` (the id tells neighbouring cells apart), never twice."""
    if label is None:
        return f"cell {cell_id}"
    return label if label.endswith(f" {cell_id}") else f"{label} · {cell_id}"


def top_candidates(
    expected: gpd.GeoDataFrame,
    *,
    top_n: int = 50,
    incidents: gpd.GeoDataFrame | None = None,
    context: PlaceLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return the ``top_n`` cells of :func:`shift_expected`'s result as candidate points.

    Parameters
    ----------
    expected
        Output of :func:`shift_expected` (``cell_id``, ``expected_shift``, ...).
    top_n
        Number of candidates (cells with no expected incident are never candidates).
    incidents
        When given with a ``district_name`` column (and no ``context``/``districts``), names
        the candidates by district.
    context, districts
        Context layers (``svl``, ``hostels``, ``stops``) and district polygons: when either is
        given, candidates get readable names (:func:`apk_geo.labels.place_labels`).

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`shift_candidates`.

    Raises
    ------
    ParameterError
        If ``top_n`` is not a whole number >= 1.
    SchemaError
        If ``expected`` lacks a column of :func:`shift_expected`.
    """
    if int(top_n) != top_n or top_n < 1:
        raise ParameterError(f"top_n must be a whole number >= 1, got {top_n!r}")
    _validate.require_columns(
        expected, ["cell_id", "expected_shift", "weekly_rate", "shift_share"], name="expected"
    )
    ranked = (
        expected[expected["expected_shift"] > 0]
        .sort_values(["expected_shift", "cell_id"], ascending=[False, True], kind="stable")
        .head(int(top_n))
    )
    names = _cell_names(ranked, expected, incidents=incidents, context=context, districts=districts)
    out = gpd.GeoDataFrame(
        {
            "id": [f"cell-{c}" for c in ranked["cell_id"]],
            "name": [_candidate_name(names.get(int(c)), int(c)) for c in ranked["cell_id"]],
            "priority": ranked["expected_shift"].to_numpy(dtype=float),
            "cell_id": ranked["cell_id"].to_numpy(),
            "weekly_rate": ranked["weekly_rate"].to_numpy(dtype=float),
            "shift_share": ranked["shift_share"].to_numpy(dtype=float),
            "expected_shift": ranked["expected_shift"].to_numpy(dtype=float),
        },
        geometry=ranked.geometry.centroid.to_numpy(),
        crs=expected.crs,
    )
    out["id"] = out["id"].astype("string")
    out["name"] = out["name"].astype("string")
    out.attrs["params"] = {**expected.attrs.get("params", {}), "top_n": int(top_n)}
    return out


def _cell_names(
    ranked: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    incidents: gpd.GeoDataFrame | None,
    context: PlaceLayers | None,
    districts: gpd.GeoDataFrame | None,
) -> dict[int, str]:
    """Return a readable label per ranked cell id: from the context, else the districts."""
    if len(ranked) == 0:
        return {}
    if context is not None or districts is not None:
        from apk_geo.labels import place_labels

        cell_ids = [int(c) for c in ranked["cell_id"]]
        labels = place_labels(ranked, context=context, districts=districts, ids=cell_ids)
        return dict(zip(cell_ids, labels, strict=True))
    if incidents is not None and "district_name" in incidents.columns:
        return _district_names(cells, incidents)
    return {}


def _district_names(cells: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame) -> dict[int, str]:
    """Return the most frequent ``district_name`` of the incidents in each cell."""
    from apk_geo import grid

    geo = located(incidents)
    ids = grid.assign_cells(cells, geo)
    dist = pd.DataFrame({"cell_id": ids, "d": geo["district_name"].astype("string")})
    dist = dist[(dist["cell_id"] >= 0) & dist["d"].notna()]
    if len(dist) == 0:
        return {}
    top = dist.groupby("cell_id")["d"].agg(lambda s: s.value_counts().index[0])
    return {int(str(k)): str(v) for k, v in top.items()}
