"""``apk-geo plan-week``: plan a week of patrols for several teams from a store (offline).

The teams file (CSV or TOML: name, start, end, mode, days, shift — see ``apk-geo route --help``)
says who works when. Each shift is planned on the forecast for its weekday and hours, so the
riskiest places are covered on the days and hours they are risky; shifts that overlap are planned
together, so no two teams stand at the same place at the same time; the hottest places of a shift
get a second visit one to two hours after the first (Koper 1995). Fairness: a place's value halves
with every earlier shift of the week that visited it, and every place on the week's list is
visited at least once (added where it is most risky when the plan left it out).

Written to ``--out-dir``: ``plan.json`` (the whole week), ``table.csv`` and ``table.html`` (the
shifts × places table: visit times per team's shift and place), and per team's shift a printable
sheet ``<date>_<HHMM>_<team>.html`` (``--pdf``: also PDF) and a GPX file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from apk_geo import routes
from apk_geo._cli._common import add_json_flag, add_lang_option, emit, read_gazetteer
from apk_geo.context import RISK_LAYERS
from apk_geo.errors import ApkGeoError, ConfigError


def register(sub: Any) -> None:
    """Add the ``plan-week`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "plan-week",
        help="cli.help.plan_week",
        description="cli.help.plan_week.description",
    )
    p.add_argument("--store", required=True, help="cli.help.plan_week.store")
    p.add_argument("--week", required=True, help="cli.help.plan_week.week")
    p.add_argument("--teams", required=True, help="cli.help.plan_week.teams")
    p.add_argument("--out-dir", required=True, help="cli.help.plan_week.out_dir")
    p.add_argument("--gazetteer", help="cli.help.plan_week.gazetteer")
    p.add_argument("--network", help="cli.help.plan_week.network")
    p.add_argument("--places", type=int, help="cli.help.plan_week.places")
    p.add_argument(
        "--dwell-minutes",
        type=float,
        default=routes.DEFAULT_DWELL_MINUTES,
        help="cli.help.plan_week.dwell_minutes",
    )
    p.add_argument(
        "--revisit-minutes", type=float, default=60.0, help="cli.help.plan_week.revisit_minutes"
    )
    p.add_argument(
        "--revisit-within-minutes",
        type=float,
        default=120.0,
        help="cli.help.plan_week.revisit_within_minutes",
    )
    p.add_argument("--no-revisits", action="store_true", help="cli.help.plan_week.no_revisits")
    p.add_argument(
        "--repeat-factor",
        type=float,
        default=0.5,
        help="cli.help.plan_week.repeat_factor",
    )
    p.add_argument(
        "--detour-factor",
        type=float,
        default=routes.DEFAULT_DETOUR_FACTOR,
        help="cli.help.plan_week.detour_factor",
    )
    p.add_argument(
        "--cell-size-m", type=float, default=150.0, help="cli.help.plan_week.cell_size_m"
    )
    p.add_argument(
        "--recent-weeks", type=float, default=8.0, help="cli.help.plan_week.recent_weeks"
    )
    add_lang_option(p, help_key="cli.help.plan_week.lang")
    p.add_argument("--pdf", action="store_true", help="cli.help.plan_week.pdf")
    add_json_flag(p)
    p.set_defaults(func=run)


def _inputs(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """Return the store and its layers (address points from --gazetteer when given)."""
    from apk_geo.store import open_store

    store = open_store(args.store)
    names = set(store.layer_names())
    layers: dict[str, Any] = {
        k: store.layer(k) for k in ("city", "districts", *RISK_LAYERS) if k in names
    }
    if args.gazetteer:
        layers["address_points"] = read_gazetteer(args.gazetteer)
    elif "address_points" in names:
        layers["address_points"] = pd.DataFrame(store.layer("address_points"))
    return store, layers


def _plan(args: argparse.Namespace) -> Any:
    """Read the inputs and plan the week."""
    store, layers = _inputs(args)
    # names places (svl, hostels, stops) and gives the forecast its risk layers, as the dashboard
    context = SimpleNamespace(**{k: layers[k] for k in RISK_LAYERS if k in layers})
    rosters = routes.read_teams(args.teams, gazetteer=layers.get("address_points"), context=context)
    monday = routes.parse_week(args.week)
    incidents = store.incidents(end=monday, geocoded_only=True)
    revisit = None if args.no_revisits else args.revisit_minutes
    try:
        return routes.plan_week(
            incidents, week=args.week, teams=rosters, area=layers.get("city"),
            cell_size_m=args.cell_size_m, context=context, districts=layers.get("districts"),
            addresses=layers.get("address_points"), n_places=args.places,
            dwell_minutes=args.dwell_minutes, revisit_interval_minutes=revisit,
            revisit_within_minutes=None if revisit is None else args.revisit_within_minutes,
            repeat_factor=args.repeat_factor, recent_weeks=args.recent_weeks,
            network=args.network, detour_factor=args.detour_factor,
        )  # fmt: skip
    except ApkGeoError:
        raise
    except ValueError as exc:  # an option out of range
        raise ConfigError(exc.args[0] if len(exc.args) == 1 else str(exc)) from exc


def _write(args: argparse.Namespace, plan: Any) -> dict[str, Any]:
    """Write the plan, the table and every team's sheet and GPX; return the files.

    The files are :func:`apk_geo.routes.week_files` (the dashboard's week download is the same);
    ``--pdf`` adds a PDF of each team's sheet.
    """
    from apk_geo.files import atomic_write_bytes, atomic_write_text

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = routes.week_files(plan, lang=args.lang)
    for name, text in files.items():
        atomic_write_text(out / name, text)
    sheets = [n.removesuffix(".gpx") for n in files if n.endswith(".gpx")]
    if args.pdf:
        from apk_geo.browser import Renderer

        with Renderer() as renderer:
            for stem in sheets:
                pdf = renderer.pdf(files[f"{stem}.html"], footer_html="<span></span>")
                atomic_write_bytes(out / f"{stem}.pdf", pdf)
    return {"out_dir": str(out), "plan": "plan.json", "table": "table.csv", "sheets": len(sheets)}


def run(args: argparse.Namespace) -> int:
    """Plan the week, write the files and print a summary."""
    plan = _plan(args)
    written = _write(args, plan)
    data = routes.week_to_json(plan)
    fair = data["fairness"]
    summary: dict[str, Any] = {
        "week": plan.week,
        "shifts": len(plan.shifts),
        "team_shifts": sum(len(s.plan.routes) for s in plan.shifts),
        "places": fair["places"],
        "covered": fair["covered"],
        "visits_per_place": f"{fair['min_shifts']}–{fair['max_shifts']} shifts",
        "added_by_fairness": fair["forced"],
        "uncovered": ", ".join(plan.uncovered) or "none",
        "stops": sum(int(s.plan.totals["n_stops"]) for s in plan.shifts),
        **written,
    }
    if args.json:
        emit({**summary, "fairness": fair}, as_json=True, title="")
        return 0
    from apk_geo._cli._labels import print_table
    from apk_geo.i18n import t

    lang = args.lang
    shown = {
        **summary,
        "visits_per_place": t("cli.plan_week.visits", lang, lo=fair["min_shifts"],
                              hi=fair["max_shifts"], n=fair["max_shifts"]),
        "uncovered": list(plan.uncovered),
    }  # fmt: skip
    year, number, _ = routes.parse_week(plan.week).isocalendar()
    title = t("cli.plan_week.title", lang, number=number, year=str(year), week=plan.week)
    print_table(shown, title=title, lang=lang)
    return 0
