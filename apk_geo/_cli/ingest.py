"""``apk-geo ingest FILE --store PATH|URL``: import an incident export (CSV or XLSX) into a store.

``--dry-run`` shows the counts the import would have and writes nothing. A second import of the
same store waits for the first one (it says so on stderr) for up to ``--lock-timeout`` seconds.
The quarantine reasons stored with the rejected rows, the message of a file that cannot be read
and the printed counts are Czech (``--lang en``: English); ``--json`` keeps the English keys.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm

from apk_geo._cli._common import (
    add_json_flag,
    add_lang_option,
    add_store_option,
    config_from,
    emit,
    non_blank,
    seconds,
    stderr_note,
    text_encoding,
)
from apk_geo._cli._labels import print_table
from apk_geo.i18n import t
from apk_geo.ingest import STAGES, ingest_file
from apk_geo.store import DEFAULT_LOCK_TIMEOUT_S, ImportCounts, open_store


def register(sub: Any) -> None:
    """Add the ``ingest`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "ingest", help="cli.help.ingest", description="cli.help.ingest.description"
    )
    p.add_argument("file", help="cli.help.ingest.file")
    add_store_option(p, help="cli.help.ingest.store")
    p.add_argument(
        "--source",
        type=non_blank,
        default=None,
        help="cli.help.ingest.source",
    )
    p.add_argument(
        "--gazetteer",
        default=None,
        help="cli.help.ingest.gazetteer",
    )
    p.add_argument("--delimiter", default=None, help="cli.help.ingest.delimiter")
    p.add_argument("--encoding", type=text_encoding, default=None, help="cli.help.ingest.encoding")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="cli.help.ingest.dry_run",
    )
    p.add_argument(
        "--lock-timeout",
        type=seconds,
        default=DEFAULT_LOCK_TIMEOUT_S,
        metavar="SECONDS",
        help="cli.help.ingest.lock_timeout",
    )
    add_lang_option(p, help_key="cli.help.ingest.lang")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``apk-geo ingest``; print the counts; return the exit code."""
    config = config_from(args)
    store = open_store(
        args.store, lock_timeout_s=args.lock_timeout, on_lock_wait=stderr_note("ingest", args.lang)
    )
    with tqdm(
        total=len(STAGES),
        desc="ingest",
        file=sys.stderr,
        leave=False,
        disable=args.json or not sys.stderr.isatty(),
        unit="stage",
    ) as bar:
        done: list[str] = []

        def on_progress(stage: str) -> None:
            if done:
                bar.update(1)
            done.append(stage)
            bar.set_description(f"ingest: {stage}")

        counts = ingest_file(
            args.file,
            store=store,
            source=args.source,
            gazetteer=args.gazetteer,
            config=config,
            delimiter=args.delimiter,
            encoding=args.encoding,
            on_progress=on_progress,
            dry_run=args.dry_run,
            lang=args.lang,
        )
        bar.update(1)
    _report(counts, args, where=store.location)
    return 0


def _report(counts: ImportCounts, args: argparse.Namespace, *, where: str) -> None:
    """Print the counts (and what to do about quarantined and reverted records) in ``--lang``."""
    if args.json:
        emit(counts.as_dict(), as_json=True, title="")
        return
    lang = args.lang
    key = "cli.ingest.dry_title" if args.dry_run else "cli.ingest.title"
    print_table(counts.as_dict(), title=t(key, lang, file=args.file, store=where), lang=lang)
    if counts.quarantined:
        print(f"  {t('cli.ingest.quarantined', lang, n=counts.quarantined, store=where)}")
    if counts.reverted:
        key = "cli.ingest.would_revert" if args.dry_run else "cli.ingest.reverted"
        print(f"  {t(key, lang, n=counts.reverted)}")
