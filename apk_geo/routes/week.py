"""A week of patrols: every team's shifts spread over the forecast, with a fairness rule.

:func:`plan_week` plans the shifts of an ISO week for several teams in these steps:

1. the teams' shifts in the week (:func:`~apk_geo.routes.teams.week_shifts`); shifts that overlap
   in time form one *slot* and are planned together, so no two teams stand at the same place in
   the same hours (:func:`~apk_geo.routes.plan_routes`);
2. the expected incidents of every grid cell in every slot, from the incidents before the week
   (:func:`~apk_geo.routes.expected_for_shifts`: the weekly rate times the weekday × hour profile
   of the slot's hours), so a place weighs most on the days and hours it is risky;
3. the week's patrol places: hot cells merged into named places over the whole week
   (:func:`~apk_geo.routes.merge_cells`), the same places in every slot;
4. the slots in time order: each place's priority is its expected incidents in the slot times
   ``repeat_factor ** k``, ``k`` the number of earlier slots of the week that visited it
   (diminishing returns: a place visited daily earns less each day, so places not yet covered
   rise); the hottest places of a slot may be revisited within about two hours (Koper 1995:
   no sooner than ``revisit_interval_minutes``, no later than ``revisit_within_minutes``);
5. the fairness rule: **every place of the week's list is visited at least once in the week**.
   A place left out is added as a must-visit to the slot where it is most risky (else the next
   two), and that slot is planned again with every place that only it covers kept as a
   must-visit too, so the set of covered places only grows. A place that fits no slot is reported
   in :attr:`WeekPlan.uncovered`.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649–672.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo.context import PlaceLayers, risk_layers
from apk_geo.coords import located
from apk_geo.errors import InsufficientDataError, ParameterError, RouteInfeasibleError
from apk_geo.routes.demand import expected_for_shifts
from apk_geo.routes.merge import merge_cells
from apk_geo.routes.model import DEFAULT_DETOUR_FACTOR, DEFAULT_DWELL_MINUTES, Team, TeamPlan
from apk_geo.routes.network import StreetNetwork, load_network
from apk_geo.routes.solver import DEFAULT_TIME_LIMIT_S, plan_routes
from apk_geo.routes.teams import TeamRoster, parse_week, week_shifts

__all__ = ["WeekPlan", "WeekShift", "plan_week"]

logger = logging.getLogger(__name__)

#: Default value of a repeat visit in the same week, relative to the first (halves each time).
DEFAULT_REPEAT_FACTOR: Final = 0.5
#: Slots tried, in order of risk, to fit a place the week left out.
_FAIRNESS_TRIES: Final = 3
#: Most places on a week's list (when chosen automatically).
_MAX_PLACES: Final = 40
#: Walking time assumed between stops when the week's capacity is estimated, minutes.
_WALK_PER_STOP_MIN: Final = 10.0


@dataclass(frozen=True)
class WeekShift:
    """One slot of the week: the teams whose shifts overlap, planned together.

    Attributes
    ----------
    key
        ``"2026-11-24T08:00"``: the slot's start (local time), unique within the week.
    start, end
        The slot's first start and last end (tz-aware Europe/Prague).
    plan
        The teams' routes.
    expected
        Expected incidents of each place (by id) in the slot's hours, before any weighting.
    forced
        Place ids the fairness rule made must-visits in this slot.
    """

    key: str
    start: pd.Timestamp
    end: pd.Timestamp
    plan: TeamPlan
    expected: Mapping[str, float]
    forced: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekPlan:
    """The plan of a week.

    Attributes
    ----------
    week
        ``"2026-W48"``.
    places
        The week's patrol places: the columns of :func:`~apk_geo.routes.merge_cells` plus
        ``expected_week`` (over all slots), ``n_visits`` (stops, revisits included) and
        ``n_shifts`` (slots that visit the place); best first.
    shifts
        The slots in time order.
    params
        Every option used, the chosen ones included (JSON-serialisable).
    uncovered
        Ids of places no slot could fit (the fairness rule failed for them).
    """

    week: str
    places: gpd.GeoDataFrame
    shifts: tuple[WeekShift, ...]
    params: Mapping[str, Any]
    uncovered: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Slot:
    """Overlapping shifts of several teams."""

    start: pd.Timestamp
    end: pd.Timestamp
    teams: tuple[Team, ...]

    @property
    def minutes(self) -> float:
        return (self.end - self.start) / pd.Timedelta(minutes=1)


@dataclass(frozen=True)
class _WeekOptions:
    """The options every slot is planned with."""

    dwell_minutes: float
    detour_factor: float
    revisit_interval_minutes: float | None
    revisit_within_minutes: float | None
    revisit_top_n: int
    repeat_factor: float
    network: StreetNetwork | None
    solution_limit: int
    time_limit_s: float
    exact_max_stops: int


def plan_week(
    incidents: gpd.GeoDataFrame,
    *,
    week: str,
    teams: Sequence[TeamRoster],
    area: gpd.GeoDataFrame | None = None,
    cell_size_m: float = 150.0,
    context: PlaceLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
    addresses: pd.DataFrame | None = None,
    n_places: int | None = None,
    dwell_minutes: float = DEFAULT_DWELL_MINUTES,
    revisit_interval_minutes: float | None = 60.0,
    revisit_within_minutes: float | None = 120.0,
    revisit_top_n: int = 5,
    repeat_factor: float = DEFAULT_REPEAT_FACTOR,
    recent_weeks: float = 8.0,
    network: StreetNetwork | str | Path | None = None,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    solution_limit: int = 200,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    exact_max_stops: int = 15,
) -> WeekPlan:
    """Plan every team's shifts of an ISO week (see the module's description for the rules).

    Parameters
    ----------
    incidents
        Incident points in a projected CRS with ``reported_at``; those before the week are used.
    week
        ``"YYYY-Www"``, e.g. ``"2026-W48"``.
    teams
        The teams with their weekly shifts (:func:`~apk_geo.routes.read_teams`).
    area, cell_size_m
        Study area (default: the incidents' hull) and grid cell size.
    context, districts, addresses
        For the places' names (:func:`~apk_geo.routes.merge_cells`).
    n_places
        Length of the week's list of places; default: as many as half the stops the week's
        shifts can make (at most 40), logged and recorded.
    dwell_minutes
        Dwell of a one-cell place.
    revisit_interval_minutes, revisit_within_minutes, revisit_top_n
        A second visit of the ``revisit_top_n`` hottest places of a slot starts this long after
        the first at the earliest, and at the latest (``None``: no revisits / no latest).
    repeat_factor
        Value of a place in a slot after ``k`` earlier slots visited it: ``repeat_factor ** k``.
    recent_weeks
        Half-life of the incident weights, weeks.
    network, detour_factor, solution_limit, time_limit_s, exact_max_stops
        As in :func:`~apk_geo.routes.plan_routes`.

    Returns
    -------
    WeekPlan

    Raises
    ------
    ParameterError
        If the week, a team or an option is invalid.
    InsufficientDataError
        If no incident before the week falls in the study area.
    """
    if not 0 < repeat_factor <= 1:
        raise ParameterError(f"repeat_factor must lie in (0, 1], got {repeat_factor!r}")
    monday = parse_week(week)
    slots = _slots(week_shifts(teams, week=week))
    if not slots:
        raise ParameterError(f"no team has a shift in week {week}")
    net = load_network(network) if isinstance(network, str | Path) else network
    opts = _WeekOptions(
        dwell_minutes=dwell_minutes,
        detour_factor=detour_factor,
        revisit_interval_minutes=revisit_interval_minutes,
        revisit_within_minutes=revisit_within_minutes if revisit_interval_minutes else None,
        revisit_top_n=revisit_top_n,
        repeat_factor=repeat_factor,
        network=net,
        solution_limit=solution_limit,
        time_limit_s=time_limit_s,
        exact_max_stops=exact_max_stops,
    )
    cells, expected = _week_cells(
        incidents,
        slots,
        monday=monday,
        area=area,
        cell_size_m=cell_size_m,
        recent_weeks=recent_weeks,
        context=context,
    )
    n = n_places if n_places is not None else _auto_places(slots, dwell_minutes=dwell_minutes)
    places = merge_cells(
        cells,
        top_n=n,
        value_col="expected_week",
        dwell_minutes=dwell_minutes,
        context=context,
        districts=districts,
        addresses=addresses,
    )
    per_slot = _place_expected(places, cells, expected)
    planned = _plan_slots(slots, places, per_slot, cells=cells, expected=expected, opts=opts)
    planned, uncovered = _fair(planned, slots, places, per_slot, cells=cells, expected=expected,
                               opts=opts)  # fmt: skip
    return WeekPlan(
        week=week,
        places=_places_table(places, per_slot, planned),
        shifts=tuple(planned),
        params=_week_params(
            opts,
            week=week,
            n_places=n,
            auto=n_places is None,
            cells=cells,
            places=places,
            slots=slots,
        ),
        uncovered=tuple(uncovered),
    )


# --------------------------------------------------------------------------------------------
# Slots, cells and places
# --------------------------------------------------------------------------------------------
def _slots(shifts: Sequence[Team]) -> list[_Slot]:
    """Group shifts that overlap in time (connected runs of the sorted intervals)."""
    spans = sorted(
        (
            (
                pd.Timestamp(t.shift_start),
                pd.Timestamp(t.shift_start) + pd.Timedelta(minutes=t.shift_minutes),
                t,
            )
            for t in shifts
        ),
        key=lambda span: (span[0], span[1]),
    )
    slots: list[_Slot] = []
    for start, end, team in spans:
        if slots and start < slots[-1].end and team.name not in {t.name for t in slots[-1].teams}:
            last = slots[-1]
            slots[-1] = _Slot(last.start, max(last.end, end), (*last.teams, team))
        else:
            slots.append(_Slot(start, end, (team,)))
    return slots


def _week_cells(
    incidents: gpd.GeoDataFrame,
    slots: Sequence[_Slot],
    *,
    monday: pd.Timestamp,
    area: gpd.GeoDataFrame | None,
    cell_size_m: float,
    recent_weeks: float,
    context: PlaceLayers | None = None,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Return the grid with ``expected_week`` and the ``(cells, slots)`` expected incidents.

    The forecast behind them may use the risk layers of ``context``
    (:func:`~apk_geo.context.risk_layers`).
    """
    from apk_geo import grid

    here = located(incidents)
    if len(here) == 0:
        raise InsufficientDataError("no located incident; import or geocode incidents first")
    cells = grid.make_grid(grid.study_area(here, cell_size_m=cell_size_m, area=area),
                           cell_size_m=cell_size_m)  # fmt: skip
    return expected_for_shifts(
        here,
        cells,
        history_end=monday,
        shifts=[(s.start, s.minutes) for s in slots],
        recent_weeks=recent_weeks,
        context=risk_layers(context),
    )


def _auto_places(slots: Sequence[_Slot], *, dwell_minutes: float) -> int:
    """Return half the stops the week's shifts can make, at most :data:`_MAX_PLACES` (logged)."""
    minutes = sum(float(t.shift_minutes) for s in slots for t in s.teams)
    stops = minutes / (dwell_minutes + _WALK_PER_STOP_MIN)
    n = int(max(1, min(_MAX_PLACES, math.floor(stops / 2))))
    logger.info("week: %d places on the list (the shifts can make about %.0f stops)", n, stops)
    return n


def _place_expected(
    places: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, expected: np.ndarray
) -> np.ndarray:
    """Return the ``(places, slots)`` expected incidents: the sum over each place's cells."""
    pos = pd.Series(np.arange(len(cells)), index=cells["cell_id"].to_numpy())
    out = np.zeros((len(places), expected.shape[1]))
    for i, members in enumerate(places["cell_ids"]):
        rows = pos.reindex([int(c) for c in str(members).split(";")]).to_numpy(dtype=np.int64)
        out[i] = expected[rows].sum(axis=0)
    return out


# --------------------------------------------------------------------------------------------
# Planning the slots
# --------------------------------------------------------------------------------------------
def _plan_slots(
    slots: Sequence[_Slot],
    places: gpd.GeoDataFrame,
    per_slot: np.ndarray,
    *,
    cells: gpd.GeoDataFrame,
    expected: np.ndarray,
    opts: _WeekOptions,
) -> list[WeekShift]:
    """Plan the slots in time order, a place's value halving with every slot that visited it."""
    visited = np.zeros(len(places), dtype=np.int64)
    ids = places["id"].astype(str).tolist()
    out = []
    for s, slot in enumerate(slots):
        weight = opts.repeat_factor**visited
        plan = _plan_slot(slot, places, per_slot[:, s] * weight, demand=_demand(cells, expected, s),
                          must=(), opts=opts)  # fmt: skip
        shift = WeekShift(
            key=f"{slot.start:%Y-%m-%dT%H:%M}",
            start=slot.start,
            end=slot.end,
            plan=plan,
            expected=dict(zip(ids, per_slot[:, s].astype(float).tolist(), strict=True)),
        )
        seen = _visited_ids(shift)
        visited += np.array([i in seen for i in ids], dtype=np.int64)
        out.append(shift)
        logger.info("week slot %s: %d stops", shift.key, plan.totals["n_stops"])
    return out


def _demand(cells: gpd.GeoDataFrame, expected: np.ndarray, s: int) -> gpd.GeoDataFrame:
    """Return the cells with the slot's expected incidents as ``expected_shift``."""
    demand = cells[["cell_id", cells.geometry.name]].copy()
    demand["expected_shift"] = expected[:, s]
    return demand


def _plan_slot(
    slot: _Slot,
    places: gpd.GeoDataFrame,
    priority: np.ndarray,
    *,
    demand: gpd.GeoDataFrame,
    must: Sequence[str],
    opts: _WeekOptions,
) -> TeamPlan:
    """Plan one slot with the given place priorities and must-visit places."""
    cand = places[["id", "name", "dwell_min", places.geometry.name]].copy()
    cand["priority"] = np.maximum(priority, 0.0)
    cand["must_visit"] = cand["id"].astype(str).isin(list(must))
    return plan_routes(
        cand,
        teams=list(slot.teams),
        dwell_minutes=opts.dwell_minutes,
        detour_factor=opts.detour_factor,
        revisit_interval_minutes=opts.revisit_interval_minutes,
        revisit_within_minutes=opts.revisit_within_minutes,
        revisit_top_n=opts.revisit_top_n,
        network=opts.network,
        demand=demand,
        solution_limit=opts.solution_limit,
        time_limit_s=opts.time_limit_s,
        exact_max_stops=opts.exact_max_stops,
    )


def _visited_ids(shift: WeekShift) -> set[str]:
    """Return the ids of the places a slot visits."""
    return {str(i) for r in shift.plan.routes for i in r.stops["id"].tolist()}


# --------------------------------------------------------------------------------------------
# The fairness rule
# --------------------------------------------------------------------------------------------
def _fair(
    planned: list[WeekShift],
    slots: Sequence[_Slot],
    places: gpd.GeoDataFrame,
    per_slot: np.ndarray,
    *,
    cells: gpd.GeoDataFrame,
    expected: np.ndarray,
    opts: _WeekOptions,
) -> tuple[list[WeekShift], list[str]]:
    """Give every place left out a visit in a slot where it is risky; return what stays out.

    Round ``r`` offers each place still out to its ``r``-th most risky slot; a slot takes all
    its newcomers in one new plan when it can, else one at a time.
    """
    ids = places["id"].astype(str).tolist()
    covered = set().union(*(_visited_ids(s) for s in planned))
    left = [
        ids[i] for i in np.argsort(-per_slot.sum(axis=1), kind="stable") if ids[i] not in covered
    ]
    rank = {pid: np.argsort(-per_slot[i], kind="stable") for i, pid in enumerate(ids)}
    week = _WeekData(slots=slots, places=places, per_slot=per_slot, cells=cells,
                     expected=expected, opts=opts)  # fmt: skip
    for attempt in range(min(_FAIRNESS_TRIES, len(slots))):
        by_slot: dict[int, list[str]] = {}
        for pid in left:
            by_slot.setdefault(int(rank[pid][attempt]), []).append(pid)
        failed: set[str] = set()
        for s in sorted(by_slot):
            failed.update(_force(planned, s, by_slot[s], week=week))
        left = [pid for pid in left if pid in failed]
    for pid in left:
        logger.info("fairness: place %s fits no slot of the week", pid)
    return planned, left


@dataclass(frozen=True)
class _WeekData:
    """What re-planning a slot needs."""

    slots: Sequence[_Slot]
    places: gpd.GeoDataFrame
    per_slot: np.ndarray
    cells: gpd.GeoDataFrame
    expected: np.ndarray
    opts: _WeekOptions


def _force(planned: list[WeekShift], s: int, pids: list[str], *, week: _WeekData) -> list[str]:
    """Add ``pids`` to slot ``s`` (all at once, else one by one); return those that fit not."""
    shift = _with_forced(planned, s, pids, week=week)
    if shift is not None:
        planned[s] = shift
        logger.info("fairness: %s added to slot %s", ", ".join(pids), shift.key)
        return []
    if len(pids) == 1:
        return pids
    failed = []
    for pid in pids:
        shift = _with_forced(planned, s, [pid], week=week)
        if shift is None:
            failed.append(pid)
        else:
            planned[s] = shift
            logger.info("fairness: %s added to slot %s", pid, shift.key)
    return failed


def _with_forced(
    planned: list[WeekShift], s: int, pids: Sequence[str], *, week: _WeekData
) -> WeekShift | None:
    """Plan slot ``s`` again with ``pids`` as must-visits; ``None`` when they cannot be fitted.

    Every place that only slot ``s`` covers stays a must-visit, so nothing else is lost.
    """
    shift = planned[s]
    others = set().union(*(_visited_ids(x) for k, x in enumerate(planned) if k != s))
    keep = sorted((_visited_ids(shift) - others) | set(shift.forced) | set(pids))
    ids = week.places["id"].astype(str).tolist()
    visited_before = np.array(
        [sum(i in _visited_ids(x) for x in planned[:s]) for i in ids], dtype=np.int64
    )
    priority = week.per_slot[:, s] * week.opts.repeat_factor**visited_before
    demand = _demand(week.cells, week.expected, s)
    try:
        plan = _plan_slot(week.slots[s], week.places, priority, demand=demand, must=keep,
                          opts=week.opts)  # fmt: skip
    except RouteInfeasibleError:
        return None
    return replace(shift, plan=plan, forced=(*shift.forced, *pids))


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
def _places_table(
    places: gpd.GeoDataFrame, per_slot: np.ndarray, planned: Sequence[WeekShift]
) -> gpd.GeoDataFrame:
    """Return the week's places with their expected incidents and how often they are visited."""
    out = places.copy()
    ids = out["id"].astype(str).tolist()
    stops = pd.Series(
        [str(i) for s in planned for r in s.plan.routes for i in r.stops["id"].tolist()],
        dtype="object",
    )
    out["expected_week"] = per_slot.sum(axis=1)
    out["n_visits"] = [int((stops == i).sum()) for i in ids]
    out["n_shifts"] = [sum(i in _visited_ids(s) for s in planned) for i in ids]
    out.attrs = dict(places.attrs)
    return out


def _week_params(
    opts: _WeekOptions,
    *,
    week: str,
    n_places: int,
    auto: bool,
    cells: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    slots: Sequence[_Slot],
) -> dict[str, Any]:
    """Return :attr:`WeekPlan.params`."""
    return {
        "week": week,
        "n_places": int(n_places),
        "n_places_automatic": bool(auto),
        "n_slots": len(slots),
        "n_team_shifts": sum(len(s.teams) for s in slots),
        "dwell_minutes": float(opts.dwell_minutes),
        "detour_factor": None if opts.network is not None else float(opts.detour_factor),
        "network": opts.network.source if opts.network is not None else None,
        "revisit_interval_minutes": opts.revisit_interval_minutes,
        "revisit_within_minutes": opts.revisit_within_minutes,
        "revisit_top_n": int(opts.revisit_top_n),
        "repeat_factor": float(opts.repeat_factor),
        "fairness": "every place on the week's list is visited at least once when a slot can "
        "fit it (added as a must-visit where it is most risky, nothing else lost)",
        "expected": dict(cells.attrs.get("params", {})),
        "places": {k: v for k, v in places.attrs.get("params", {}).items() if k != "expected"},
        "solution_limit": int(opts.solution_limit),
        "time_limit_s": float(opts.time_limit_s),
    }
