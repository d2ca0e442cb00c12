"""``apk-geo status --store PATH|URL``: counts, date span, last imports and the synthetic flag.

``--check`` also reconciles the store: every import's counts add up and the incidents, versions
and quarantine it holds account for every record read (exit code 2 if not). The summary is in
Czech (``--lang en``: English), numbers and dates in that language's format; ``--json`` keeps
the English machine keys and plain values.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from apk_geo._cli._common import add_json_flag, add_lang_option, add_store_option, emit, error_line
from apk_geo._cli._labels import counts_line, print_table, value_text
from apk_geo.i18n import t
from apk_geo.store import open_store

#: Keys of the summary not shown in the table (printed apart, or for programs only).
_NOT_SHOWN = ("store", "last_imports", "metadata", "problems")


def register(sub: Any) -> None:
    """Add the ``status`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "status", help="cli.help.status", description="cli.help.status.description"
    )
    add_store_option(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="cli.help.status.check",
    )
    add_lang_option(p, help_key="cli.help.status.lang")
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
        return _checked(problems, store.location, lang=args.lang)
    _print_summary(summary, location=store.location, lang=args.lang)
    return _checked(problems, store.location, lang=args.lang)


def _print_summary(summary: Mapping[str, object], *, location: str, lang: str) -> None:
    """Print the summary table and the last imports in ``lang``."""
    shown = {k: v for k, v in summary.items() if k not in _NOT_SHOWN}
    if summary.get("synthetic"):
        shown["synthetic"] = t("cli.value.synthetic", lang)
    print_table(shown, title=t("cli.status.title", lang, store=location), lang=lang)
    last = summary.get("last_imports")
    if not isinstance(last, list) or not last:
        return
    print(f"  {t('cli.status.last_imports', lang)}")
    for entry in last:
        counts = {k: v for k, v in entry.items() if k not in ("imported_at", "source", "file")}
        when = value_text("imported_at", entry["imported_at"], lang)
        print(f"    {when}  {entry['file']}  {counts_line(counts, lang)}")


def _checked(problems: tuple[str, ...], store: str, *, lang: str) -> int:
    """Return 0, or print the reconciliation problems as one line and return 2."""
    if not problems:
        return 0
    from apk_geo.store._messages import localize

    shown = "; ".join(localize(p, lang) for p in problems)
    text = t("cli.status.not_reconciled", lang, store=store, problems=shown)
    print(error_line("status", text, lang), file=sys.stderr)
    return 2
