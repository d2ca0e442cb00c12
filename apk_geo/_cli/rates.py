"""``apk-geo rates``: incident rates in socially excluded localities and around hostels.

For each SVL and each hostel buffer: incidents, area in hectares, incidents per hectare and per
month; and the zones inside SVL / within a hostel buffer / elsewhere in the city compared as rate
ratios with 95 % confidence intervals (relative to "elsewhere").
"""

from __future__ import annotations

import argparse
from typing import Any

from apk_geo._cli._common import add_json_flag, add_lang_option, add_store_option, config_from, emit
from apk_geo.enrich import Context
from apk_geo.i18n import t
from apk_geo.io import write_table
from apk_geo.rates import context_rates
from apk_geo.store import open_store


def register(sub: Any) -> None:
    """Add the ``rates`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "rates",
        help="cli.help.rates",
        description="cli.help.rates.description",
    )
    add_store_option(p)
    p.add_argument("--from", dest="date_from", help="cli.help.date_from")
    p.add_argument("--to", dest="date_to", help="cli.help.date_to")
    p.add_argument("--category", nargs="+", action="extend", help="cli.help.category")
    p.add_argument("--buffer-m", type=float, help="cli.help.rates.buffer_m")
    p.add_argument(
        "--ci", choices=("lognormal", "exact"), default="lognormal", help="cli.help.rates.ci"
    )
    p.add_argument("--out", help="cli.help.rates.out")
    add_lang_option(p, help_key="cli.help.rates.lang")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute the rates and print one line per zone, SVL and hostel."""
    from apk_geo._cli.hotspots import _bounds  # the same date rules as every command

    config = config_from(args)
    store = open_store(args.store)
    start, end = _bounds(args.date_from, args.date_to)
    points = store.incidents(start=start, end=end, categories=args.category, geocoded_only=True)
    context = Context.from_store(store, config=config)
    table = context_rates(
        points,
        context,
        buffer_m=args.buffer_m or config.hostel_buffer_m,
        ci=args.ci,
    )
    frame = table.drop(columns="geometry")
    if args.out:
        write_table(frame, args.out, lang=args.lang)  # the one table writer
    rows = frame.to_dict(orient="records")
    if args.json:
        emit({"params": table.attrs.get("params", {}), "rates": rows}, as_json=True, title="")
        return 0
    lang = args.lang
    summary = {_label(r, lang): _row_text(r, lang) for r in rows}
    emit(summary, as_json=False, title=t("cli.rates.title", lang))
    return 0


def _label(row: dict[str, Any], lang: str) -> str:
    """``pásmo: zbytek města``, ``SVL: Přednádraží`` (English: ``zone: elsewhere``…)."""
    kind, name = str(row["kind"]), str(row["name"])
    if kind == "zone":
        name = t(f"cli.rates.zone.{name}", lang)
    return f"{t(f'cli.rates.kind.{kind}', lang)}: {name}"


def _row_text(row: dict[str, Any], lang: str) -> str:
    """One row's count, rate and rate ratio with its interval in ``lang``."""
    return t(
        "cli.rates.row",
        lang,
        n=row["incidents"],
        per_ha=row["incidents_per_ha_month"],
        rr=row["rate_ratio"],
        lo=row["rr_ci_low"],
        hi=row["rr_ci_high"],
    )
