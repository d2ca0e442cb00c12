"""Benchmark the store write against pyogrio's Arrow writer, alternating, in one process.

Issue 16's target: ``IncidentStore.apply_import`` of 1M incidents into a new GeoPackage store
≤ 1.2× pyogrio's Arrow writer writing the same 26-column layer. On a shared machine one run of
each is noise; here the two alternate ``--repeat`` times on the same frame and the best and
median of each are printed, with the ratios of the bests and of the medians, and the CPU time
of the process for each (steadier than the wall clock on shared cores). Beside the plain
write: the plain write plus the B-tree index(es) the store builds for its filters
(:func:`apk_geo.store.gpkgquery.ensure_indexes`), the same work as the store's.

The incidents come from ``--store`` (e.g. the one ``benchmarks/pipeline.py --keep DIR`` leaves:
``DIR/bench.gpkg``), read once.

Run: ``.venv/bin/python benchmarks/store_write.py --store var/bench1m/bench.gpkg [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import atexit
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyogrio

from apk_geo.io import quarantine_frame
from apk_geo.schema import INCIDENT_COLUMNS
from apk_geo.store import open_store
from apk_geo.store.gpkgquery import ensure_indexes


def main(argv: list[str] | None = None) -> int:
    """Alternate the store's write and the plain write; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="the store to take rows from")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    source = open_store(args.store)
    incidents = source.incidents()
    incidents = incidents[[c for c in INCIDENT_COLUMNS if c != "imported_at"] + ["geometry"]]
    layer = incidents.assign(
        reported_at=incidents["reported_at"].dt.tz_convert("UTC"),
        imported_at=pd.Timestamp.now(tz="UTC"),
    )[[*INCIDENT_COLUMNS, "geometry"]]
    folder = Path(tempfile.mkdtemp(prefix="apk-store-write-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    times: dict[str, list[float]] = {"store": [], "plain": [], "plain+index": []}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    for k in range(args.repeat):
        target = folder / f"store{k}.gpkg"
        t0, c0 = time.perf_counter(), time.process_time()
        open_store(target).apply_import(
            incidents=incidents, quarantine=quarantine_frame([]), log={"source": "bench"}
        )
        times["store"].append(time.perf_counter() - t0)
        cpu["store"].append(time.process_time() - c0)
        plain = folder / f"plain{k}.gpkg"
        t0, c0 = time.perf_counter(), time.process_time()
        pyogrio.write_dataframe(
            layer, plain, layer="incidents", driver="GPKG", use_arrow=True, geometry_type="Point"
        )
        written, written_cpu = time.perf_counter() - t0, time.process_time() - c0
        ensure_indexes(plain)
        times["plain"].append(written)
        cpu["plain"].append(written_cpu)
        times["plain+index"].append(time.perf_counter() - t0)
        cpu["plain+index"].append(time.process_time() - c0)
        print(
            f"round {k + 1}: store {times['store'][-1]:.2f} s, plain {written:.2f} s, "
            f"plain + indexes {times['plain+index'][-1]:.2f} s (CPU {cpu['store'][-1]:.2f}, "
            f"{written_cpu:.2f}, {cpu['plain+index'][-1]:.2f} s)",
            flush=True,
        )
        target.unlink()
        plain.unlink()
    best = {name: min(v) for name, v in times.items()}
    median = {name: statistics.median(v) for name, v in times.items()}
    print(f"{len(incidents):,} incidents, {args.repeat} rounds")
    for name in times:
        print(f"  {name:<12} best {best[name]:6.2f} s  median {median[name]:6.2f} s")
    print(
        f"  store / plain: best {best['store'] / best['plain']:.2f}, median "
        f"{median['store'] / median['plain']:.2f} (target <= 1.2)\n"
        f"  store / (plain + the same indexes): best "
        f"{best['store'] / best['plain+index']:.2f}, median "
        f"{median['store'] / median['plain+index']:.2f}"
    )
    # CPU time of this process: steadier than the wall clock when other work shares the cores
    low = {name: min(v) for name, v in cpu.items()}
    print(
        f"  CPU time, best: store {low['store']:.2f} s, plain {low['plain']:.2f} s, plain + "
        f"indexes {low['plain+index']:.2f} s; store / plain {low['store'] / low['plain']:.2f}, "
        f"store / (plain + indexes) {low['store'] / low['plain+index']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
