"""``apk-geo status --store PATH|URL``: counts, date span, last imports and the synthetic flag.

``--check`` also reconciles the store: every import's counts add up and the incidents, versions
and quarantine it holds account for every record read (exit code 2 if not).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from apk_geo._cli._common import add_json_flag, add_store_option, emit
from apk_geo.store import open_store


def register(sub: Any) -> None:
    """Add the ``status`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "status", help="summarise a store", description=__doc__
    )
    add_store_option(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="also check that the store accounts for every record read (exit 2 if not)",
    )
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the store summary (and the reconciliation with ``--check``); return the exit code."""
    store = open_store(args.store)
    summary = store.summary()
    problems: tuple[str, ...] = ()
    if args.check:
        problems = store.reconcile().problems
        summary["reconciled"] = not problems
        summary["problems"] = list(problems)
    if args.json:
        emit(summary, as_json=True, title="")
        return _checked(problems, store.location)
    shown = {k: v for k, v in summary.items() if k not in ("last_imports", "metadata", "problems")}
    shown["synthetic"] = "YES (demo data)" if summary["synthetic"] else "no"
    emit(shown, as_json=False, title=f"Store {store.location}:")
    last = summary["last_imports"]
    if isinstance(last, list) and last:
        print("  last imports:")
        for entry in last:
            print(
                f"    {entry['imported_at'][:19]}  {entry['file']}  read {entry['read']}, "
                f"accepted {entry['accepted']}, updated {entry['updated']}, stale "
                f"{entry.get('stale', 0)}, duplicates {entry['duplicates']}, quarantined "
                f"{entry['quarantined']}, not geocoded {entry['not_geocoded']}, reverted "
                f"{entry.get('reverted', 0)}"
            )
    return _checked(problems, store.location)


def _checked(problems: tuple[str, ...], store: str) -> int:
    """Return 0, or print the reconciliation problems as one line and return 2."""
    if not problems:
        return 0
    print(
        f"apk-geo status: error: {store} does not reconcile: {'; '.join(problems)}", file=sys.stderr
    )
    return 2
