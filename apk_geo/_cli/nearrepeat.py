"""``apk-geo nearrepeat``: Knox test for near repeats, overall or per category.

Counts the pairs of incidents that are close in both space (``--distance-m``) and time
(``--days``) and compares them with the count expected when times are shuffled over places
(``--permutations``, seeded). A ratio above 1 with a small p-value means that incidents tend to be
followed by others nearby soon after.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from apk_geo._cli._common import add_json_flag, add_lang_option, emit
from apk_geo._cli.hotspots import add_source_arguments, load_points
from apk_geo.i18n import t
from apk_geo.io import write_table
from apk_geo.io.columns import value_label
from apk_geo.nearrepeat import knox


def register(sub: Any) -> None:
    """Add the ``nearrepeat`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "nearrepeat",
        help="cli.help.nearrepeat",
        description="cli.help.nearrepeat.description",
    )
    add_source_arguments(p)
    p.add_argument("--distance-m", type=float, default=200.0, help="cli.help.nearrepeat.distance_m")
    p.add_argument("--days", type=float, default=7.0, help="cli.help.nearrepeat.days")
    p.add_argument("--permutations", type=int, default=999, help="cli.help.nearrepeat.permutations")
    p.add_argument("--seed", type=int, default=0, help="cli.help.nearrepeat.seed")
    p.add_argument("--by", help="cli.help.nearrepeat.by")
    p.add_argument("--out", help="cli.help.nearrepeat.out")
    add_lang_option(p, help_key="cli.help.nearrepeat.lang")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the Knox test and print one line per group."""
    points, _area, _context, source = load_points(args)
    table = knox(
        points,
        distance_m=args.distance_m,
        days=args.days,
        permutations=args.permutations,
        seed=args.seed,
        by=args.by,
    )
    if args.out:
        write_table(table, args.out, lang=args.lang)  # the one table writer
    rows = table.to_dict(orient="records")
    if args.json:
        emit(
            {"source": source, "params": table.attrs.get("params", {}), "groups": rows},
            as_json=True,
            title="",
        )
        return 0
    lang = args.lang
    summary = {_group(r["category"], lang): _row_text(r, lang) for r in rows}
    title = t("cli.nearrepeat.title", lang, distance=args.distance_m, days=args.days)
    emit(summary, as_json=False, title=title)
    return 0


def _group(category: object, lang: str) -> str:
    """The group of a row: ``all`` (every incident) or the category's label, in ``lang``."""
    if str(category) == "all":
        return t("cli.nearrepeat.all", lang)
    return str(value_label("category", str(category), lang))


def _row_text(row: Mapping[Any, Any], lang: str) -> str:
    """One group's counts, ratio and p-value in ``lang`` (decimal comma in Czech)."""
    return t(
        "cli.nearrepeat.row",
        lang,
        observed=row["observed"],
        expected=row["expected"],
        ratio=row["ratio"],
        p=row["p_value"],
    )
