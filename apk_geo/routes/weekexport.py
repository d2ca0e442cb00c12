"""Exports of a week's plan: JSON, the shifts × places table, and a map layer per shift.

:func:`week_to_json` is the plan as one JSON document; :func:`week_table` is what a mentor reads
first (one row per team's shift, one column per place, the visit times in the cells);
:func:`shift_keys` / :func:`shift_labels` list the week's slots, :func:`week_shift_geojson` and
:func:`week_map_layers` give the map of one slot (a colour per team). The dashboard's week view
shows :func:`week_table` and, for the slot the user picks, :func:`week_map_layers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.routes.export import plan_to_geojson, route_to_json, strings
from apk_geo.routes.week import WeekPlan, WeekShift
from apk_geo.schema import CRS_WEB

__all__ = [
    "WEEK_TABLE_INDEX",
    "shift_keys",
    "shift_labels",
    "week_map_layers",
    "week_shift_geojson",
    "week_table",
    "week_to_json",
]

#: Keys of the first columns of :func:`week_table` (their headers are in the plan's language).
WEEK_TABLE_INDEX: Final = ("date", "shift", "team")


def shift_keys(plan: WeekPlan) -> list[str]:
    """Return the keys of the week's slots in time order (``"2026-11-24T08:00"``)."""
    return [s.key for s in plan.shifts]


def _shift(plan: WeekPlan, key: str) -> WeekShift:
    """Return the slot with ``key``.

    Raises
    ------
    ParameterError
        If the week has no such slot (the known keys are listed).
    """
    for s in plan.shifts:
        if s.key == key:
            return s
    raise ParameterError(f"the week has no shift {key!r}; known: {shift_keys(plan)}")


def shift_labels(plan: WeekPlan, *, lang: str = "cs") -> dict[str, str]:
    """Return a readable label per slot key: ``"po 24. 11. 08:00–14:00"``."""
    words = strings("week", lang)
    return {
        s.key: f"{words[f'weekday.{s.start.day_of_week}']} {s.start:%d. %m.} "
        f"{s.start:%H:%M}–{s.end:%H:%M}"
        for s in plan.shifts
    }


def week_table(plan: WeekPlan, *, lang: str = "cs") -> pd.DataFrame:
    """Return the week as a table: one row per team's shift, one column per place.

    Returns
    -------
    pandas.DataFrame
        Columns: the date (``"po 24. 11."``), the shift's hours, the team (headers from the
        ``week.*`` strings of ``lang``), then one column per place of the week's list (its
        name, places in the order of :attr:`WeekPlan.places`) holding the start times of the
        team's visits (``"08:40"``, ``"08:40, 10:15"`` with a revisit) or ``""``.
    """
    words = strings("week", lang)
    names = plan.places.set_index(plan.places["id"].astype(str))["name"].astype(str)
    rows = []
    for s in plan.shifts:
        for route in s.plan.routes:
            row: dict[str, str] = {
                words["date"]: f"{words[f'weekday.{route.start.time.day_of_week}']} "
                f"{route.start.time:%d. %m.}",
                words["shift"]: f"{route.start.time:%H:%M}–"
                f"{pd.Timestamp(route.totals['shift_end']):%H:%M}",
                words["team"]: route.team,
            }
            row.update(dict.fromkeys(names.tolist(), ""))
            for stop in route.stops.itertuples(index=False):
                pid = str(stop.id)
                if pid in names.index:
                    begin = stop.arrive + pd.Timedelta(minutes=float(stop.wait_min))
                    col = str(names[pid])
                    row[col] = ", ".join(x for x in (row[col], f"{begin:%H:%M}") if x)
            rows.append(row)
    header = [words["date"], words["shift"], words["team"], *names.tolist()]
    return pd.DataFrame(rows, columns=header).astype("string")


def week_shift_geojson(plan: WeekPlan, key: str) -> dict[str, Any]:
    """Return the map of one slot: every team's path, start, stops and end, with its colour.

    The features of :func:`~apk_geo.routes.plan_to_geojson`; ``team`` and ``colour`` tell
    the teams apart.

    Raises
    ------
    ParameterError
        If the week has no slot ``key``.
    """
    return plan_to_geojson(_shift(plan, key).plan)


def week_map_layers(plan: WeekPlan, key: str) -> list[dict[str, Any]]:
    """Return one map layer per team of a slot: ``{"team", "colour", "geojson", "bounds"}``.

    ``bounds`` is ``(min lon, min lat, max lon, max lat)`` of the team's path, for fitting
    the map; ``geojson`` is :func:`~apk_geo.routes.route_to_geojson` of the team's route.

    Raises
    ------
    ParameterError
        If the week has no slot ``key``.
    """
    from apk_geo.routes.export import route_to_geojson

    layers = []
    for route in _shift(plan, key).plan.routes:
        bounds = tuple(float(v) for v in route.line.to_crs(CRS_WEB).total_bounds)
        layers.append(
            {
                "team": route.team,
                "colour": route.colour,
                "geojson": route_to_geojson(route),
                "bounds": bounds,
            }
        )
    return layers


def week_to_json(plan: WeekPlan) -> dict[str, Any]:
    """Return the week's plan as a JSON-serialisable dict.

    Returns
    -------
    dict
        ``{"version": 1, "week", "places": [{id, name, lat, lon, expected_week, n_visits,
        n_shifts, cell_ids}], "shifts": [{key, start, end, forced, teams: [route JSON]}],
        "uncovered": [...], "fairness": {...}, "params": {...}}``.
    """
    web = plan.places.to_crs(CRS_WEB)
    places = [
        {
            "id": str(r.id),
            "name": str(r.name),
            "lat": round(float(g.y), 7),
            "lon": round(float(g.x), 7),
            "expected_week": float(r.expected_week),
            "n_visits": int(r.n_visits),
            "n_shifts": int(r.n_shifts),
            "cell_ids": str(r.cell_ids),
        }
        for r, g in zip(plan.places.itertuples(index=False), web.geometry, strict=True)
    ]
    shifts = [
        {
            "key": s.key,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "forced": list(s.forced),
            "teams": [route_to_json(r) for r in s.plan.routes],
        }
        for s in plan.shifts
    ]
    return {
        "version": 1,
        "week": plan.week,
        "places": places,
        "shifts": shifts,
        "uncovered": list(plan.uncovered),
        "fairness": _fairness(plan),
        "params": dict(plan.params),
    }


def _fairness(plan: WeekPlan) -> Mapping[str, Any]:
    """Return how evenly the week covers its places (the rule and its outcome)."""
    visits = plan.places["n_shifts"].astype(int)
    return {
        "rule": plan.params.get("fairness", ""),
        "places": len(plan.places),
        "covered": int((visits > 0).sum()),
        "min_shifts": int(visits.min()) if len(visits) else 0,
        "max_shifts": int(visits.max()) if len(visits) else 0,
        "forced": sum(len(s.forced) for s in plan.shifts),
    }
