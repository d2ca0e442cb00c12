"""``apk-geo report``: MDT meeting packs (HTML, PDF, PNG) for one area or all seven, one month.

Examples::

    apk-geo report --store var/demo.gpkg --area Poruba --month 2026-10 --out packs
    apk-geo report --store var/demo.gpkg --area all --format html,pdf --out packs --json
    apk-geo report --store postgresql://jana@db.mesto.cz/apk_geo --area all --publish

``--store`` is a ``.gpkg`` file or a PostGIS database (``postgresql://…``, default
``$APK_GEO_STORE``); the summary names it without its password.

``--area`` takes ``all`` (the configured MDT areas), an MDT-area name or a city-district name
(case and diacritics do not matter). ``--month`` defaults to the latest complete month of the
data. The ``presenter`` tier (default) shows aggregates only, hides counts below 3 and withholds
whatever would give one away (checked by an attacker that solves the pack's tables; the
summary and the log show counts as the pack does); the ``internal`` tier shows exact counts and
incident points and says so on every page. One headless Chromium is started for all PDFs and
PNGs.

``--publish`` (a database store; a mentor, or an administrator who may read the incidents)
stores each presenter-tier pack, HTML and PDF, in the database, where presenters read it: a
presenter's role may read no incident, only the packs published for them. ``--out`` may then be
left out. Every pack built (written to ``--out``) or published leaves a row of the store's audit
trail (action ``pack``; a GeoPackage store only logs it), with ``--reason`` if given.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import time
from pathlib import Path
from typing import Any

from apk_geo import reports
from apk_geo._cli._common import (
    add_json_flag,
    add_lang_option,
    add_store_option,
    config_from,
    emit,
    progress,
    store_label,
)
from apk_geo.errors import InsufficientDataError, ParameterError, StoreError
from apk_geo.privacy import TIERS
from apk_geo.store import open_store
from apk_geo.store._messages import Message
from apk_geo.store.location import is_database_url

logger = logging.getLogger(__name__)


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="cli.help.report",
        description="cli.help.report.description",
    )
    add_store_option(p)
    p.add_argument("--area", required=True, help="cli.help.report.area")
    p.add_argument("--month", help="cli.help.report.month")
    p.add_argument(
        "--format",
        default="html,pdf,png",
        help="cli.help.report.format",
    )
    p.add_argument("--out", help="cli.help.report.out")
    p.add_argument(
        "--publish",
        action="store_true",
        help="cli.help.report.publish",
    )
    p.add_argument("--reason", help="cli.help.report.reason")
    p.add_argument(
        "--tier",
        choices=TIERS,
        default="presenter",
        help="cli.help.report.tier",
    )
    add_lang_option(p, help_key="cli.help.report.lang")
    p.add_argument(
        "--cell-size-m",
        type=float,
        default=reports.DEFAULT_CELL_SIZE_M,
        help="cli.help.report.cell_size_m",
    )
    p.add_argument("--top", type=int, default=10, help="cli.help.report.top")
    p.add_argument("--no-progress", action="store_true", help="cli.help.report.no_progress")
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
        raise ParameterError(Message("cli.err.formats", formats=reports.FORMATS, value=repr(text)))
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


def check_targets(args: argparse.Namespace) -> None:
    """Refuse a run that writes nowhere, or publishes what presenters may not be shown.

    Raises
    ------
    ParameterError
        If neither ``--out`` nor ``--publish`` is given, or ``--publish`` comes with a
        GeoPackage store or with ``--tier internal``.
    """
    if not args.out and not args.publish:
        raise ParameterError(Message("cli.err.out_required"))
    if not args.publish:
        return
    if not is_database_url(args.store):
        raise ParameterError(Message("cli.err.publish_file", store=repr(args.store)))
    if args.tier != "presenter":
        raise ParameterError(Message("cli.err.publish_tier", tier=args.tier))


def require_publisher(url: str) -> None:
    """Refuse, before any pack is built, a user whose role may not publish.

    Raises
    ------
    StoreError
        If the role may not write ``apk.published_packs`` (only mentors and admins may).
    """
    from apk_geo.db.packs import may_publish
    from apk_geo.store.pg import display_location

    if not may_publish(url):
        raise StoreError(Message("cli.err.may_not_publish", store=display_location(url)))


def run(args: argparse.Namespace) -> int:
    """Write (or publish) the packs and print a summary; return the exit code."""
    config = config_from(args)
    formats = parse_formats(args.format)
    check_targets(args)
    store = open_store(args.store)
    label = store_label(store)
    if not store.exists():
        store.incidents()  # raises StoreError with the how-to-fix message
    if args.publish:
        require_publisher(args.store)
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
            raise InsufficientDataError(Message("cli.err.no_month", store=label))
        month = months[0]
        logger.info("report: month %s chosen (latest complete month)", month)
    load_s = time.perf_counter() - started
    out = Path(args.out) if args.out else None
    rows: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        needs_browser = args.publish or (out is not None and {"pdf", "png"} & set(formats))
        renderer = stack.enter_context(reports.Renderer()) if needs_browser else None
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
            row: dict[str, Any] = {"area": ref.name, "kind": ref.kind, **pack_summary(pack)}
            if out is not None:
                written = reports.write_pack(pack, out, formats=formats, renderer=renderer)
                row["files"] = {k: str(v) for k, v in written.items()}
                audit_pack(store, pack, row, reason=args.reason)
            if args.publish:
                row["published"] = publish(args.store, pack, row, renderer, reason=args.reason)
            row["seconds"] = round(time.perf_counter() - t0, 2)
            rows.append(row)
    summary: dict[str, Any] = {
        "store": label,
        "month": str(month),
        "tier": args.tier,
        "lang": args.lang,
        "formats": list(formats) if out is not None else [],
        "out": str(out) if out is not None else None,
        "published": bool(args.publish),
        "synthetic": data.synthetic,
        "packs": rows,
        "load_seconds": round(load_s, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }
    if args.json:
        emit(summary, as_json=True, title="")
        return 0
    print_summary(summary)
    return 0


def audit_pack(store: Any, pack: reports.Pack, row: dict[str, Any], *, reason: str | None) -> None:
    """Record a pack written to files in the store's audit trail (a GeoPackage only logs it)."""
    store.audit(
        "pack",
        subject=f"{row['area']} {pack.month}",
        details={
            "command": "report",
            "tier": pack.tier,
            "lang": pack.lang,
            "incidents": row["incidents"],
            "files": row["files"],
        },
        reason=reason,
    )


def publish(
    url: str,
    pack: reports.Pack,
    row: dict[str, Any],
    renderer: reports.Renderer | None,
    *,
    reason: str | None,
) -> int:
    """Store the pack's HTML and PDF for presenters; return its id (audited as ``pack``)."""
    from apk_geo.db.packs import publish_pack

    return publish_pack(
        url,
        area=str(row["area"]),
        month=str(pack.month),
        html=reports.render_html(pack),
        pdf=reports.render_pdf(pack, renderer=renderer),
        data={"summary": {k: row[k] for k in ("incidents", "few") if k in row}},
        tier=pack.tier,
        lang=pack.lang,
        reason=reason,
    )


def print_summary(summary: dict[str, Any]) -> None:
    """Print the summary and one line per pack."""
    where = f" in {summary['out']}" if summary["out"] else ""
    emit(
        {k: v for k, v in summary.items() if k != "packs" and v not in (None, [])},
        as_json=False,
        title=f"MDT packs for {summary['month']} from {summary['store']}{where}:",
    )
    for row in summary["packs"]:
        done = [Path(p).name for p in row.get("files", {}).values()]
        if "published" in row:
            done.append(f"published (pack {row['published']})")
        print(
            f"  {row['area']}: {row['incidents']} incidents, {row['seconds']} s → "
            + ", ".join(done)
        )
