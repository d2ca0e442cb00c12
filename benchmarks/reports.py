"""Benchmark the MDT meeting packs: all seven areas, one month, HTML + PDF + PNG.

Builds the synthetic demo store (``apk_geo.demo.build_demo_store``, not timed) unless ``--store``
names one, reads it once, starts one headless Chromium and writes every area's pack for
``--month`` (default: the latest complete month). Prints seconds per area and the total, and
the part of each spent on disclosure control (the attacker's audit rounds, its integer
programs, the steps it asked for); the target on the 2-core reference machine is ≤ 60 s for
all seven areas with the attacker on.

Usage::

    .venv/bin/python benchmarks/reports.py [--store var/demo.gpkg] [--month 2026-10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from apk_geo import reports
from apk_geo.config import Config
from apk_geo.store import open_store

TARGET_S = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", help="existing store (default: build the demo store)")
    parser.add_argument("--month", help="YYYY-MM (default: latest complete month)")
    parser.add_argument("--formats", default="html,pdf,png")
    parser.add_argument("--keep", help="write the packs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f)

    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(args.store) if args.store else Path(tmp) / "demo.gpkg"
        if not args.store:
            from apk_geo.demo import build_demo_store

            t0 = time.perf_counter()
            build_demo_store(store_path, seed=42)
            print(f"demo store built in {time.perf_counter() - t0:.1f} s (not timed)")
        out = Path(args.keep) if args.keep else Path(tmp) / "packs"
        started = time.perf_counter()
        data = reports.ReportData.from_store(open_store(store_path), config=Config())
        month = reports.parse_month(args.month) if args.month else data.months()[0]
        load_s = time.perf_counter() - started
        areas = reports.resolve_areas("all", config=data.config, districts=())
        per_area: dict[str, float] = {}
        disclosure: dict[str, dict[str, object]] = {}
        t_browser = time.perf_counter()
        with reports.Renderer() as renderer:
            browser_s = time.perf_counter() - t_browser
            for ref in areas:
                t0 = time.perf_counter()
                pack = reports.build_pack(data, area=ref, month=month)
                reports.write_pack(pack, out, formats=formats, renderer=renderer)
                per_area[ref.name] = time.perf_counter() - t0
                d = pack.params["disclosure"]
                disclosure[ref.name] = {k: d[k] for k in ("seconds", "rounds", "solves", "steps")}
                print(
                    f"  {ref.name:<28} {per_area[ref.name]:6.2f} s  "
                    f"(audit {d['seconds']:.2f} s, {d['rounds']} round(s), {d['solves']} "
                    f"programs; {pack.count(pack.figures.n)} incidents shown, "
                    f"{len(pack.hotspots)} hot cells listed)"
                )
            blocked = list(renderer.blocked)
        total = time.perf_counter() - started
        sizes = {p.suffix: p.stat().st_size for p in sorted(out.iterdir())}
    print(
        json.dumps(
            {
                "month": str(month),
                "areas": len(areas),
                "formats": list(formats),
                "load_s": round(load_s, 2),
                "browser_start_s": round(browser_s, 2),
                "per_area_s": {k: round(v, 2) for k, v in per_area.items()},
                "disclosure": disclosure,
                "disclosure_total_s": round(
                    sum(float(str(d["seconds"])) for d in disclosure.values()), 2
                ),
                "total_s": round(total, 2),
                "target_s": TARGET_S,
                "example_file_bytes": sizes,
                "blocked_requests": blocked,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0 if total <= TARGET_S and not blocked else 1


if __name__ == "__main__":
    sys.exit(main())
