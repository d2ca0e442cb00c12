"""``apk-geo report``: MDT meeting packs (HTML, PDF, PNG) for one area or all seven, one month.

Examples::

    apk-geo report --store var/demo.gpkg --area Poruba --month 2026-10 --out packs
    apk-geo report --store var/demo.gpkg --area all --format html,pdf --out packs --json

``--area`` takes ``all`` (the configured MDT areas), an MDT-area name or a city-district name
(case and diacritics do not matter). ``--month`` defaults to the latest complete month of the
data. The ``presenter`` tier (default) shows aggregates only, hides counts below 3 and withholds
whatever would give one away (checked by an attacker that solves the pack's tables; the
summary and the log show counts as the pack does); the ``internal`` tier shows exact counts and
incident points and says so on every page. One headless Chromium is started for all PDFs and
PNGs.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import time
from pathlib import Path
from typing import Any

from apk_geo import reports
from apk_geo._cli._common import add_json_flag, config_from, emit, progress
from apk_geo.errors import InsufficientDataError, ParameterError
from apk_geo.privacy import TIERS
from apk_geo.store import open_store

logger = logging.getLogger(__name__)


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="MDT meeting packs: HTML, PDF and PNG per area and month",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--store", required=True, help="incident store (.gpkg)")
    p.add_argument(
        "--area", required=True, help="'all', an MDT area or a city district (e.g. Poruba)"
    )
    p.add_argument("--month", help="YYYY-MM (default: the latest complete month with data)")
    p.add_argument(
        "--format",
        default="html,pdf,png",
        help="comma-separated: html, pdf, png (default all three)",
    )
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument(
        "--tier",
        choices=TIERS,
        default="presenter",
        help="presenter (default: aggregates only) or internal",
    )
    p.add_argument("--lang", choices=("cs", "en"), default="cs", help="language (default cs)")
    p.add_argument(
        "--cell-size-m",
        type=float,
        default=reports.DEFAULT_CELL_SIZE_M,
        help=f"hotspot grid cell in metres (default {reports.DEFAULT_CELL_SIZE_M:.0f})",
    )
    p.add_argument("--top", type=int, default=10, help="hot spots in the table (default 10)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    add_json_flag(p)
    p.set_defaults(func=run)


def parse_formats(text: str) -> tuple[str, ...]:
    """Return the formats of ``--format`` (``"html,pdf"`` → ``("html", "pdf")``).

    Raises
    ------
    ParameterError
        If a format is unknown or none is given.
    """
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in formats if f not in reports.FORMATS]
    if bad or not formats:
        raise ParameterError(
            f"--format takes a comma-separated list of {reports.FORMATS}; got {text!r}"
        )
    return formats


def pack_summary(pack: reports.Pack) -> dict[str, Any]:
    """Return what the summary says of a pack, by its tier's rules.

    The internal tier gives the exact count (an integer); the presenter tier gives the count
    as its pack shows it (text: ``"47"``, ``"<3"``), whether the pack shows the key figures
    only (``few``) and the disclosure steps its audit took.
    """
    if pack.tier == "internal":
        return {"incidents": pack.figures.n}
    disclosure = pack.params.get("disclosure", {})
    return {
        "incidents": pack.count(pack.figures.n),
        "few": bool(disclosure.get("few", False)),
        "disclosure_steps": list(disclosure.get("steps", [])),
    }


def run(args: argparse.Namespace) -> int:
    """Write the packs and print a summary; return the exit code."""
    config = config_from(args)
    formats = parse_formats(args.format)
    store = open_store(args.store)
    if not store.exists():
        store.incidents()  # raises StoreError with the how-to-fix message
    started = time.perf_counter()
    data = reports.ReportData.from_store(store, config=config)
    areas = reports.resolve_areas(
        args.area, config=config, districts=data.layers["districts"]["NAZEV"].astype(str)
    )
    if args.month:
        month = reports.parse_month(args.month)
    else:
        months = data.months()
        if not months:
            raise InsufficientDataError(f"{args.store}: no complete month of data; pass --month")
        month = months[0]
        logger.info("report: month %s chosen (latest complete month)", month)
    load_s = time.perf_counter() - started
    out = Path(args.out)
    rows: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        renderer = (
            stack.enter_context(reports.Renderer()) if {"pdf", "png"} & set(formats) else None
        )
        for ref in progress(areas, desc="packs", enabled=not args.no_progress and not args.json):
            t0 = time.perf_counter()
            pack = reports.build_pack(
                data,
                area=ref,
                month=month,
                lang=args.lang,
                tier=args.tier,
                cell_size_m=args.cell_size_m,
                top=args.top,
            )
            written = reports.write_pack(pack, out, formats=formats, renderer=renderer)
            rows.append(
                {
                    "area": ref.name,
                    "kind": ref.kind,
                    **pack_summary(pack),
                    "files": {k: str(v) for k, v in written.items()},
                    "seconds": round(time.perf_counter() - t0, 2),
                }
            )
    summary: dict[str, Any] = {
        "store": str(args.store),
        "month": str(month),
        "tier": args.tier,
        "lang": args.lang,
        "formats": list(formats),
        "out": str(out),
        "synthetic": data.synthetic,
        "packs": rows,
        "load_seconds": round(load_s, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }
    if args.json:
        emit(summary, as_json=True, title="")
        return 0
    emit(
        {k: v for k, v in summary.items() if k != "packs"},
        as_json=False,
        title=f"MDT packs for {month} in {out}:",
    )
    for row in rows:
        print(
            f"  {row['area']}: {row['incidents']} incidents, {row['seconds']} s → "
            + ", ".join(Path(p).name for p in row["files"].values())
        )
    return 0
