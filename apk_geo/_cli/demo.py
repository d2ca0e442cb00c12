"""``apk-geo demo --store PATH``: build a store full of synthetic demo data.

Real geography (districts, city outline, schools, stops, sports grounds), synthetic SVL and hostel
layers and gazetteer, about three years of synthetic incidents written as yearly cp1250 exports
plus a deliberately dirty one, all ingested so that geocoding and the quarantine run for real.
The summary is printed in Czech (``--lang en``: English); ``--json`` keeps the English keys.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm

from apk_geo._cli._common import add_json_flag, add_lang_option, add_store_option, config_from, emit
from apk_geo._cli._labels import counts_line, print_table
from apk_geo.demo import build_demo_store
from apk_geo.i18n import t

#: Summary entries the printed table leaves out (the title names the store; ``--json`` has all).
_NOT_SHOWN = ("store", "last_imports", "metadata")


def register(sub: Any) -> None:
    """Add the ``demo`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "demo", help="cli.help.demo", description="cli.help.demo.description"
    )
    add_store_option(p, help="cli.help.demo.store")
    p.add_argument("--seed", type=int, default=42, help="cli.help.demo.seed")
    p.add_argument("--incidents", type=int, default=30_000, help="cli.help.demo.incidents")
    p.add_argument(
        "--end",
        default=None,
        help="cli.help.demo.end",
    )
    p.add_argument("--months", type=int, default=36, help="cli.help.demo.months")
    p.add_argument(
        "--exports",
        default=None,
        help="cli.help.demo.exports",
    )
    p.add_argument("--force", action="store_true", help="cli.help.demo.force")
    add_lang_option(p, help_key="cli.help.demo.lang")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``apk-geo demo``; print the store summary; return the exit code."""
    config = config_from(args)
    with tqdm(
        desc="demo",
        file=sys.stderr,
        leave=False,
        disable=args.json or not sys.stderr.isatty(),
        unit="stage",
    ) as bar:

        def on_progress(stage: str) -> None:
            bar.update(1)
            bar.set_description(f"demo: {stage}")

        summary = build_demo_store(
            args.store,
            seed=args.seed,
            config=config,
            n_incidents=args.incidents,
            end=args.end,
            months=args.months,
            exports_dir=args.exports,
            overwrite=args.force,
            on_progress=on_progress,
        )
    if args.json:
        emit(summary, as_json=True, title="")
        return 0
    _print_summary(summary, lang=args.lang)
    return 0


def _print_summary(summary: dict[str, Any], *, lang: str) -> None:
    """Print the store summary and one line of counts per import, in ``lang``."""
    imports = summary.pop("imports", {})
    shown = {k: v for k, v in summary.items() if k not in _NOT_SHOWN}
    print_table(shown, title=t("cli.demo.title", lang, store=summary["store"]), lang=lang)
    print(f"  {t('cli.demo.imports', lang)}")
    for name, counts in imports.items():
        print(f"    {name}: {counts_line(counts, lang)}")
