"""``apk-geo ingest FILE --store PATH``: import an incident export (CSV or XLSX) into a store."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm

from apk_geo._cli._common import add_json_flag, config_from, emit
from apk_geo.ingest import STAGES, ingest_file
from apk_geo.store import open_store


def register(sub: Any) -> None:
    """Add the ``ingest`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "ingest", help="import an incident export into a store", description=__doc__
    )
    p.add_argument("file", help="incident export: CSV (UTF-8 or cp1250, ; or ,) or XLSX")
    p.add_argument("--store", required=True, help="store file (.gpkg), created if missing")
    p.add_argument(
        "--source", default=None, help="name of the system the export comes from (default: apk)"
    )
    p.add_argument(
        "--gazetteer",
        default=None,
        help="RÚIAN address-point CSV (cp1250, ;); saved in the store for later imports",
    )
    p.add_argument("--delimiter", default=None, help="CSV delimiter (detected by default)")
    p.add_argument("--encoding", default=None, help="CSV encoding (detected by default)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``apk-geo ingest``; print the counts; return the exit code."""
    config = config_from(args)
    store = open_store(args.store)
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
        )
        bar.update(1)
    summary = counts.as_dict()
    if args.json:
        emit(summary, as_json=True, title="")
    else:
        emit(summary, as_json=False, title=f"Imported {args.file} into {args.store}:")
        if counts.quarantined:
            print(
                f"  {counts.quarantined} row(s) quarantined: "
                f"apk-geo quarantine --store {args.store} --out quarantine.csv"
            )
    return 0
