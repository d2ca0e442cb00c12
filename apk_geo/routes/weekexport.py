"""Exports of a week's plan: JSON, the shifts × places table, and a map layer per shift.

:func:`week_to_json` is the plan as one JSON document; :func:`week_table` is what a mentor reads
first (one row per team's shift, one column per place, the visit times in the cells);
:func:`shift_keys` / :func:`shift_labels` list the week's slots, :func:`week_shift_geojson` and
:func:`week_map_layers` give the map of one slot (a colour per team), :func:`week_shift_routes`
its routes for :func:`apk_geo.route_maps.route_map`. :func:`week_files` is every file of the week
(``apk-geo plan-week --out-dir``: the plan, the table as CSV and printable HTML, a sheet and a GPX
per team's shift) and :func:`zip_bytes` packs them for one download. The dashboard's week view
shows :func:`week_table` and, for the slot the user picks, the map of :func:`week_shift_routes`.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from html import escape
from typing import Any, Final, Literal

import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.fmt import day_month
from apk_geo.io.export import table_bytes
from apk_geo.routes.export import plan_to_geojson, route_to_json, strings, to_gpx, to_html
from apk_geo.routes.model import Route
from apk_geo.routes.teams import parse_week
from apk_geo.routes.week import WeekPlan, WeekShift
from apk_geo.schema import CRS_WEB

__all__ = [
    "WEEK_TABLE_INDEX",
    "shift_keys",
    "shift_labels",
    "uncovered_names",
    "week_files",
    "week_map_layers",
    "week_shift_geojson",
    "week_shift_routes",
    "week_table",
    "week_table_html",
    "week_to_json",
    "zip_bytes",
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
    """Return a readable label per slot key: ``"po 24. 11. 08:00–14:00"`` (``"Mon 24 Nov …"``)."""
    words = strings("week", lang)
    return {
        s.key: f"{words[f'weekday.{s.start.day_of_week}']} {day_month(s.start, lang)} "
        f"{s.start:%H:%M}–{s.end:%H:%M}"
        for s in plan.shifts
    }


def week_table(plan: WeekPlan, *, lang: str = "cs") -> pd.DataFrame:
    """Return the week as a table: one row per team's shift, one column per place.

    Returns
    -------
    pandas.DataFrame
        Columns: the date (``"po 24. 11."``, ``"Mon 24 Nov"``), the shift's hours, the team
        (headers from the ``week.*`` strings of ``lang``), then one column per place of the
        week's list (its name, places in the order of :attr:`WeekPlan.places`) holding the
        start times of the team's visits (``"08:40"``, ``"08:40, 10:15"`` with a revisit) or ``""``.
    """
    words = strings("week", lang)
    names = plan.places.set_index(plan.places["id"].astype(str))["name"].astype(str)
    rows = []
    for s in plan.shifts:
        for route in s.plan.routes:
            row: dict[str, str] = {
                words["date"]: f"{words[f'weekday.{route.start.time.day_of_week}']} "
                f"{day_month(route.start.time, lang)}",
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


def uncovered_names(plan: WeekPlan) -> list[str]:
    """Return the names of the places the week could not cover (:attr:`WeekPlan.uncovered`)."""
    names = dict(zip(plan.places["id"].astype(str), plan.places["name"].astype(str), strict=True))
    return [names.get(str(pid), str(pid)) for pid in plan.uncovered]


def week_shift_routes(plan: WeekPlan, key: str) -> tuple[Route, ...]:
    """Return the routes of the slot ``key``, one per team on duty (in the teams' order).

    Raises
    ------
    ParameterError
        If the week has no slot ``key``.
    """
    return tuple(_shift(plan, key).plan.routes)


def week_table_html(plan: WeekPlan, *, lang: str = "cs") -> str:
    """Return :func:`week_table` as a self-contained printable page (A4 landscape), escaped."""
    table = week_table(plan, lang=lang)
    year, number, _ = parse_week(plan.week).isocalendar()
    title = strings("week", lang)["title"].format(number=number, year=str(year))
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>@page {{ size: A4 landscape; margin: 10mm; }} "
        "body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8pt; } "
        "table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 1mm; } "
        "th { background: #eee; writing-mode: vertical-rl; transform: rotate(180deg); "
        "max-height: 45mm; } th:nth-child(-n+3) { writing-mode: horizontal-tb; transform: none; }"
        " td:nth-child(-n+3) { white-space: nowrap; }"
        f"</style></head><body><h1>{escape(title)}</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n"
    )


def _slug(text: str) -> str:
    """Return ``text`` as a file-name part: ASCII letters, digits and ``-`` only."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "team"


def week_files(plan: WeekPlan, *, lang: Literal["cs", "en"] = "cs") -> dict[str, str]:
    """Return every file of the week by name, as ``apk-geo plan-week --out-dir`` writes them.

    Returns
    -------
    dict
        ``plan.json`` (:func:`week_to_json`), ``table.csv`` (the table style of ``lang``: in
        Czech ``;``-separated with decimal commas, UTF-8 with a byte-order mark), ``table.html``
        (:func:`week_table_html`), and per team's shift ``<date>_<HHMM>_<team>.html`` (the
        printed sheet) and ``.gpx``, in time order.
    """
    table = week_table(plan, lang=lang)
    files = {
        "plan.json": json.dumps(week_to_json(plan), ensure_ascii=False, indent=2),
        # decoded as plain UTF-8, the byte-order mark stays at the start of the text
        "table.csv": table_bytes(table, lang=lang).decode("utf-8"),  # the language's table style
        "table.html": week_table_html(plan, lang=lang),
    }
    for s in plan.shifts:
        for route in s.plan.routes:
            stem = f"{route.start.time:%Y-%m-%d_%H%M}_{_slug(route.team)}"
            files[f"{stem}.html"] = to_html(route, lang=lang)
            files[f"{stem}.gpx"] = to_gpx(route, lang=lang)
    return files


def zip_bytes(files: Mapping[str, str], *, folder: str = "") -> bytes:
    """Return ``files`` (name → text, UTF-8) as a ZIP archive; the same files give the same bytes.

    ``folder`` puts every file inside one folder of the archive.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"{folder}/{name}" if folder else name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


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
