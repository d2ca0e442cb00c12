"""``apk-geo status --store PATH``: counts, date span, last imports and the synthetic flag."""

from __future__ import annotations

import argparse
from typing import Any

from apk_geo._cli._common import add_json_flag, emit
from apk_geo.store import open_store


def register(sub: Any) -> None:
    """Add the ``status`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "status", help="summarise a store", description=__doc__
    )
    p.add_argument("--store", required=True, help="store file (.gpkg)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the store summary; return the exit code."""
    summary = open_store(args.store).summary()
    if args.json:
        emit(summary, as_json=True, title="")
        return 0
    shown = {k: v for k, v in summary.items() if k not in ("last_imports", "metadata")}
    shown["synthetic"] = "YES (demo data)" if summary["synthetic"] else "no"
    emit(shown, as_json=False, title=f"Store {args.store}:")
    last = summary["last_imports"]
    if isinstance(last, list) and last:
        print("  last imports:")
        for entry in last:
            print(
                f"    {entry['imported_at'][:19]}  {entry['file']}  read {entry['read']}, "
                f"accepted {entry['accepted']}, updated {entry['updated']}, duplicates "
                f"{entry['duplicates']}, quarantined {entry['quarantined']}, not geocoded "
                f"{entry['not_geocoded']}"
            )
    return 0
