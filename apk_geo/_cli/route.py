"""``apk-geo route``: plan the patrol routes of one shift for one or several teams (offline).

Candidates come from a point file (``--candidates``: GeoJSON/GeoPackage with ``priority`` and
optional ``id``, ``name``, ``must_visit``, ``window_start``, ``window_end``, ``dwell_min``) or are
built from a store (``--store``: a ``.gpkg`` file or a PostGIS database ``postgresql://…``,
default ``$APK_GEO_STORE``; ``--date``, ``--start-time``): the places with the most expected
incidents in the shift's weekday and hours (neighbouring hot cells merged into one named place),
recent weeks weighted more (``--recent-weeks`` is the half-life). ``--must-visit 'ZŠ Ostrčilova |
49.8405,18.2856 | 07:35-07:50'`` (repeatable) adds a place the route must include, with an
optional window in which the stop must start.

``--teams 3`` plans three pairs that start at ``--start``; ``--teams teams.csv`` (or ``.toml``:
name, start, end, mode, days, shift) plans the teams of the file that work on ``--date``. No two
teams visit the same place at the same time. Up to 15 candidates the plan is provably optimal;
above that a local search that ends after a fixed number of solutions plans it, so the same input
gives the same routes on any machine.

The plan is written to ``--out`` as JSON; ``--gpx`` writes GPX 1.1 for a phone, ``--html`` a
printable route sheet, ``--pdf`` the sheet as PDF, ``--geojson`` the stops and the paths for a web
map; with several teams every team gets its own GPX, HTML and PDF (the team's name is added to
the file name). With ``--network`` (GraphML or a line layer of streets) the legs follow the
streets; without it they are straight lines times ``--detour-factor`` and the sheet says so.

A route planned from a store names the store in the summary (a database without its password)
and leaves a row of its audit trail (action ``route``, with ``--reason`` if given; a GeoPackage
store only logs it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from apk_geo import routes
from apk_geo._cli._common import (
    ENV_STORE,
    add_json_flag,
    add_lang_option,
    add_store_option,
    emit,
    read_gazetteer,
    store_label,
)
from apk_geo.context import RISK_LAYERS
from apk_geo.errors import ApkGeoError, ConfigError, GeocodingError
from apk_geo.routes.export import strings
from apk_geo.store._messages import Message
from apk_geo.times import as_timestamp

_LATLON = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*[,;]\s*-?\d+(?:\.\d+)?\s*$")


def register(sub: Any) -> None:
    """Add the ``route`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "route",
        help="cli.help.route",
        description="cli.help.route.description",
    )
    source = p.add_mutually_exclusive_group(required=not os.environ.get(ENV_STORE))
    source.add_argument("--candidates", help="cli.help.route.candidates")
    add_store_option(source, help="cli.help.route.store", required=False)
    p.add_argument(
        "--start",
        help="cli.help.route.start",
    )
    p.add_argument("--end", help="cli.help.route.end")
    p.add_argument("--gazetteer", help="cli.help.route.gazetteer")
    p.add_argument(
        "--teams",
        help="cli.help.route.teams",
    )
    p.add_argument("--shift-minutes", type=float, help="cli.help.route.shift_minutes")
    p.add_argument("--shift-start", help="cli.help.route.shift_start")
    p.add_argument("--date", help="cli.help.route.date")
    p.add_argument("--start-time", help="cli.help.route.start_time")
    p.add_argument(
        "--dwell-minutes",
        type=float,
        default=routes.DEFAULT_DWELL_MINUTES,
        help="cli.help.route.dwell_minutes",
    )
    p.add_argument("--mode", choices=("foot", "car"), default="foot", help="cli.help.route.mode")
    p.add_argument("--speed-kmh", type=float, help="cli.help.route.speed_kmh")
    p.add_argument(
        "--detour-factor",
        type=float,
        default=routes.DEFAULT_DETOUR_FACTOR,
        help="cli.help.route.detour_factor",
    )
    p.add_argument("--max-stops", type=int, help="cli.help.route.max_stops")
    p.add_argument(
        "--revisit-minutes",
        type=float,
        help="cli.help.route.revisit_minutes",
    )
    p.add_argument(
        "--revisit-within-minutes",
        type=float,
        help="cli.help.route.revisit_within_minutes",
    )
    p.add_argument(
        "--must-visit",
        action="append",
        default=[],
        metavar="'NAME | LAT,LON or ADDRESS | HH:MM-HH:MM'",
        help="cli.help.route.must_visit",
    )
    p.add_argument("--network", help="cli.help.route.network")
    p.add_argument(
        "--solution-limit",
        type=int,
        default=200,
        help="cli.help.route.solution_limit",
    )
    p.add_argument(
        "--time-limit-s",
        type=float,
        default=60.0,
        help="cli.help.route.time_limit_s",
    )
    p.add_argument("--top-n", type=int, default=50, help="cli.help.route.top_n")
    p.add_argument(
        "--recent-weeks",
        type=float,
        default=8.0,
        help="cli.help.route.recent_weeks",
    )
    p.add_argument("--cell-size-m", type=float, default=150.0, help="cli.help.route.cell_size_m")
    add_lang_option(p, help_key="cli.help.route.lang")
    p.add_argument("--out", required=True, help="cli.help.route.out")
    p.add_argument("--gpx", help="cli.help.route.gpx")
    p.add_argument("--html", help="cli.help.route.html")
    p.add_argument("--pdf", help="cli.help.route.pdf")
    p.add_argument("--geojson", help="cli.help.route.geojson")
    p.add_argument("--reason", help="cli.help.route.reason")
    add_json_flag(p)
    p.set_defaults(func=run)


@dataclass
class _Inputs:
    """What the command reads, each at most once: the store and its layers, the gazetteer."""

    args: argparse.Namespace
    cache: dict[str, Any] = field(default_factory=dict)

    def store(self) -> Any:
        """Return the store the candidates come from (``None`` with ``--candidates``)."""
        if "store" not in self.cache:
            self.cache["store"] = None
            if self.args.store and not self.args.candidates:
                from apk_geo.store import open_store

                self.cache["store"] = open_store(self.args.store)
        return self.cache["store"]

    def layer(self, name: str) -> Any:
        key = f"layer:{name}"
        if key not in self.cache:
            store = self.store()
            self.cache[key] = (
                store.layer(name) if store is not None and name in store.layer_names() else None
            )
        return self.cache[key]

    def gazetteer(self) -> pd.DataFrame | None:
        """Return the address points (--gazetteer, else the store's)."""
        if "gazetteer" not in self.cache:
            if self.args.gazetteer:
                self.cache["gazetteer"] = read_gazetteer(self.args.gazetteer)
            else:
                pts = self.layer("address_points")
                self.cache["gazetteer"] = None if pts is None else pd.DataFrame(pts)
        gaz: pd.DataFrame | None = self.cache["gazetteer"]
        return gaz

    def context(self) -> SimpleNamespace:
        """Return the layers that name places and give the forecast its risk terms."""
        return SimpleNamespace(**{k: v for k in RISK_LAYERS if (v := self.layer(k)) is not None})


def _point(
    text: str | None, *, flag: str | Message, inputs: _Inputs
) -> tuple[tuple[float, float], str]:
    """Return ``(lat, lon)`` and the printed name of a start or end point."""
    if text is None:
        raise ConfigError(Message("cli.err.point_required", flag=flag))
    try:
        latlon = routes.resolve_point(text, gazetteer=inputs.gazetteer())
    except GeocodingError as exc:
        raise ConfigError(Message("cli.err.option", option=flag, reason=_reason(exc))) from exc
    if _LATLON.match(text):
        name = routes.describe_point(
            *latlon, addresses=inputs.gazetteer(), context=inputs.context(), lang=inputs.args.lang
        )
        return latlon, name
    return latlon, text.strip()


def _shift_start(args: argparse.Namespace) -> pd.Timestamp | None:
    """Return the shift start of --shift-start or --date with --start-time (None: not given)."""
    if args.shift_start and (args.date or args.start_time):
        raise ConfigError(Message("cli.err.shift_twice"))
    text = args.shift_start or (
        f"{args.date}T{args.start_time}" if args.date and args.start_time else None
    )
    if text is None:
        return None
    try:
        return as_timestamp(text, name="--shift-start")
    except ValueError as exc:
        raise ConfigError(_reason(exc)) from exc


def _missing_shift() -> ConfigError:
    return ConfigError(Message("cli.err.shift_missing"))


def _reason(exc: BaseException) -> object:
    """Return the message of a library error as it is (a catalogue text stays one)."""
    return exc.args[0] if len(exc.args) == 1 else str(exc)


def _teams(args: argparse.Namespace, inputs: _Inputs, t0: pd.Timestamp | None) -> list[Any]:
    """Return the plan's :class:`~apk_geo.routes.Team` s from --teams (or one team)."""
    spec = (args.teams or "1").strip()
    if spec.isdigit():
        if t0 is None or args.shift_minutes is None:
            raise _missing_shift()
        start, start_name = _point(args.start, flag="--start", inputs=inputs)
        end, end_name = _point(args.end, flag="--end", inputs=inputs) if args.end else (None, "")
        rosters = routes.make_teams(
            int(spec), start=start, end=end, mode=args.mode, speed_kmh=args.speed_kmh,
            start_name=start_name, end_name=end_name,
            name="" if spec == "1" and not args.teams else strings("sheet", args.lang)["team_n"],
        )  # fmt: skip
    else:
        rosters = _roster_file(spec, args=args, inputs=inputs)
    day = t0.date() if t0 is not None else _date(args)
    hhmm = None if t0 is None else f"{t0:%H:%M}"
    teams = []
    try:
        for roster in rosters:
            teams += roster.on(day, shift_start=hhmm, shift_minutes=args.shift_minutes)
    except ValueError as exc:
        raise ConfigError(Message("cli.err.option", option="--teams", reason=_reason(exc))) from exc
    if not teams:
        raise ConfigError(Message("cli.err.no_team_on", spec=spec, day=day))
    if args.max_stops is not None:
        from dataclasses import replace

        teams = [replace(t, max_stops=args.max_stops) for t in teams]
    return teams


def _date(args: argparse.Namespace) -> Any:
    """Return --date as a date (needed with a teams file that gives the hours)."""
    if not args.date:
        raise _missing_shift()
    try:
        return as_timestamp(args.date, name="--date").date()
    except ValueError as exc:
        raise ConfigError(_reason(exc)) from exc


def _roster_file(spec: str, *, args: argparse.Namespace, inputs: _Inputs) -> list[Any]:
    """Read a teams file; teams without a start take --start."""
    rosters = routes.read_teams(spec, gazetteer=inputs.gazetteer(), context=inputs.context())
    if any(r.start is None for r in rosters):
        start, name = _point(args.start, flag=Message("cli.err.start_for_teams"), inputs=inputs)
        from apk_geo.routes.teams import with_start

        rosters = [with_start(r, start=start, start_name=name) if r.start is None else r
                   for r in rosters]  # fmt: skip
    return rosters


def _candidates(args: argparse.Namespace, inputs: _Inputs, teams: list[Any]) -> tuple[Any, Any]:
    """Return the candidates (with the must-visit places) and the demand surface, if any."""
    demand = None
    if args.candidates:
        candidates = routes.read_candidates(args.candidates)
    else:
        candidates, demand = _store_candidates(args, inputs, teams)
    if args.must_visit:
        try:
            places = routes.parse_places(args.must_visit, gazetteer=inputs.gazetteer())
        except GeocodingError as exc:
            raise ConfigError(
                Message("cli.err.option", option="--must-visit", reason=_reason(exc))
            ) from exc
        candidates = routes.add_places(candidates, places)
    return candidates, demand


def _store_candidates(args: argparse.Namespace, inputs: _Inputs, teams: list[Any]) -> Any:
    """Build the places of the teams' hours and the demand surface from a store."""
    starts = [pd.Timestamp(t.shift_start) for t in teams]
    ends = [s + pd.Timedelta(minutes=t.shift_minutes) for s, t in zip(starts, teams, strict=True)]
    t0 = min(starts)
    incidents = inputs.store().incidents(end=t0, geocoded_only=True)
    return routes.candidates_for_shift(
        incidents,
        shift_start=t0,
        shift_minutes=(max(ends) - t0) / pd.Timedelta(minutes=1),
        area=inputs.layer("city"),
        cell_size_m=args.cell_size_m,
        recent_weeks=args.recent_weeks,
        top_n=args.top_n,
        context=inputs.context(),
        districts=inputs.layer("districts"),
        addresses=inputs.gazetteer(),
        dwell_minutes=args.dwell_minutes,
    )


def _plan(args: argparse.Namespace, candidates: Any, demand: Any, teams: list[Any]) -> Any:
    """Plan the routes (an option out of range is a configuration error)."""
    try:
        return routes.plan_routes(
            candidates, teams=teams, dwell_minutes=args.dwell_minutes,
            detour_factor=args.detour_factor, revisit_interval_minutes=args.revisit_minutes,
            revisit_within_minutes=args.revisit_within_minutes, network=args.network,
            demand=demand, time_limit_s=args.time_limit_s, solution_limit=args.solution_limit,
        )  # fmt: skip
    except ApkGeoError:
        raise
    except ValueError as exc:  # an option out of range
        raise ConfigError(_reason(exc)) from exc


def slug(text: str) -> str:
    """Return ``text`` as a file-name part: ASCII, lower case, dashes (``"dvojice-1"``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "team"


def team_path(path: str, team: str, *, several: bool) -> Path:
    """Return the file of one team: ``path`` itself, or ``<stem>-<team>.<suffix>``."""
    p = Path(path)
    return p.with_name(f"{p.stem}-{slug(team)}{p.suffix}") if several else p


def _write(args: argparse.Namespace, plan: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Write the requested files; return what was written where."""
    from apk_geo.files import atomic_write_bytes, atomic_write_text

    several = len(plan.routes) > 1
    out = Path(args.out)
    atomic_write_text(out, json.dumps(data, ensure_ascii=False, indent=2))
    written: dict[str, Any] = {"out": str(out)}
    for flag, render in (
        ("gpx", lambda r: routes.to_gpx(r, lang=args.lang)),
        ("html", lambda r: routes.to_html(r, lang=args.lang)),
    ):
        if getattr(args, flag):
            paths = []
            for r in plan.routes:
                path = team_path(getattr(args, flag), r.team, several=several)
                atomic_write_text(path, render(r))
                paths.append(str(path))
            written[flag] = paths if several else paths[0]
    if args.pdf:
        from apk_geo.browser import Renderer

        paths = []
        with Renderer() as renderer:
            for r in plan.routes:
                path = team_path(args.pdf, r.team, several=several)
                pdf = renderer.pdf(routes.to_html(r, lang=args.lang), footer_html="<span></span>")
                atomic_write_bytes(path, pdf)
                paths.append(str(path))
        written["pdf"] = paths if several else paths[0]
    if args.geojson:
        atomic_write_text(Path(args.geojson), json.dumps(routes.plan_to_geojson(plan)))
        written["geojson"] = args.geojson
    return written


def _summary(plan: Any, written: dict[str, Any], *, lang: str) -> dict[str, Any]:
    """Return the printed summary: the totals and each team's order, in ``lang``.

    The keys are those of :func:`apk_geo._cli._labels.print_table` (``cli.key.``); a team's
    order is labelled with the team's name.
    """
    from apk_geo import fmt
    from apk_geo.i18n import t

    totals = plan.totals
    summary: dict[str, Any] = {
        "teams": totals["n_teams"],
        "stops": totals["n_stops"],
        "distance_m": round(float(totals["distance_m"])),
        "priority_collected": round(float(totals["priority_collected"]), 4),
        "priority_available": round(float(totals["priority_available"]), 4),
        "coverage_share": fmt.percent(totals["coverage_share"], lang, digits=1),
        "solver": plan.params["solver"],
        "optimal": plan.params["optimal"],
    }
    for r in plan.routes:
        key = t("cli.route.order_of", lang, team=r.team) if r.team else "order"
        summary[key] = " → ".join(
            f"{s.order}. {s.name}{' (2.)' if s.visit == 2 else ''} {s.arrive:%H:%M}"
            for s in r.stops.itertuples()
        )
    if plan.params["safety_limit_fired"]:
        summary["warning"] = t("cli.route.safety_net", lang)
    return {**summary, **written}


def run(args: argparse.Namespace) -> int:
    """Plan the routes, write the requested files and print a summary."""
    inputs = _Inputs(args)
    t0 = _shift_start(args)
    teams = _teams(args, inputs, t0)
    candidates, demand = _candidates(args, inputs, teams)
    plan = _plan(args, candidates, demand, teams)
    if len(plan.routes) == 1 and not args.teams:
        data = routes.route_to_json(plan.routes[0])
    else:
        data = routes.plan_to_json(plan)
    if demand is not None:
        data["params"]["candidates"] = candidates.attrs.get("params", {})
    written = _write(args, plan, data)
    store = inputs.store()
    source = {} if store is None else {"store": store_label(store)}
    if store is not None:
        _audit_route(store, plan, written, args)
    if args.json:
        emit({**data, **source, "files": written}, as_json=True, title="")
    else:
        from apk_geo._cli._labels import print_table
        from apk_geo.i18n import t

        shown = {**source, **_summary(plan, written, lang=args.lang)}
        print_table(shown, title=t("cli.route.title", args.lang), lang=args.lang)
    return 0


def _audit_route(store: Any, plan: Any, written: dict[str, Any], args: argparse.Namespace) -> None:
    """Record a route planned from the store's incidents in its audit trail."""
    start = min(pd.Timestamp(r.totals["shift_start"]) for r in plan.routes)
    store.audit(
        "route",
        subject=f"{start:%Y-%m-%d %H:%M}",
        details={
            "command": "route",
            "teams": int(plan.totals["n_teams"]),
            "stops": int(plan.totals["n_stops"]),
            "files": written,
        },
        reason=args.reason,
    )
