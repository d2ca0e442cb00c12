"""Benchmark reading a large store: ``IncidentStore.incidents()`` with and without filters.

Target (issue 16): one month of a 1M-incident store in ≤ 0.3 s — a month costs a month, not the
store. The store is ``--store`` (a GeoPackage written by ``benchmarks/pipeline.py --keep DIR``:
``DIR/bench.gpkg``, 1M incidents over 2024–2025); without it one is built here with the
pipeline benchmark's generator (``--n`` incidents).

For each query it prints the best and the median of ``--repeat`` runs and the rows returned:
the whole store, one month, one month of one category, one month geocoded only, a month with
no incidents, and one district over the whole period. Beside them, as the floor any GeoPackage
reader pays, pyogrio reads the same month with a ``where=`` clause on ``reported_at`` (the
indexes the file has are listed). The rows of every filtered query are checked against the
whole store filtered in memory.

Run: ``.venv/bin/python benchmarks/store_read.py [--store PATH | --n 1000000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio

from apk_geo.store import open_store

MONTH = (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01"))
EMPTY_MONTH = (pd.Timestamp("2030-01-01"), pd.Timestamp("2030-02-01"))


def build_store(n: int, folder: Path) -> Path:
    """Build a store of ``n`` generated incidents with the pipeline benchmark; return its path."""
    from pipeline import GAZETTEER, run_pipeline  # benchmarks/pipeline.py, beside this file

    if GAZETTEER is None:
        raise SystemExit("no demo gazetteer in data/demo; run `apk-geo demo` first")
    run_pipeline(n, seed=0, folder=folder, gazetteer=GAZETTEER)
    return folder / "bench.gpkg"


def indexes(path: Path) -> list[str]:
    """Return the names of the indexes on the incidents table (read-only connection)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents'"
        ).fetchall()
    return [str(r[0]) for r in rows]


def timed(label: str, func: Callable[[], Any], repeat: int) -> Any:
    """Run ``func`` ``repeat`` times; print best and median seconds and the rows; return it."""
    seconds = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        seconds.append(time.perf_counter() - t0)
    rows = len(out) if out is not None else 0
    print(
        f"  {label:<46} best {min(seconds):6.3f} s  median {statistics.median(seconds):6.3f} s"
        f"  {rows:>9,} rows",
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    """Time the queries on the store; check the filtered rows; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store to read (default: build one)")
    parser.add_argument("--n", type=int, default=1_000_000, help="incidents when building")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = args.store or build_store(args.n, Path(tempfile.mkdtemp(prefix="apk-store-read-")))
    store = open_store(path)
    print(f"{path}: indexes on incidents: {indexes(path) or 'none'}")
    everything = timed("incidents() - whole store", store.incidents, args.repeat)
    category = str(everything["category"].iloc[0])
    district = str(everything["district_name"].dropna().iloc[0])
    month = timed(
        "incidents(start, end) - one month",
        lambda: store.incidents(start=MONTH[0], end=MONTH[1]),
        args.repeat,
    )
    month_cat = timed(
        f"incidents(one month, categories=[{category!r}])",
        lambda: store.incidents(start=MONTH[0], end=MONTH[1], categories=[category]),
        args.repeat,
    )
    month_geo = timed(
        "incidents(one month, geocoded_only=True)",
        lambda: store.incidents(start=MONTH[0], end=MONTH[1], geocoded_only=True),
        args.repeat,
    )
    empty = timed(
        "incidents(a month without incidents)",
        lambda: store.incidents(start=EMPTY_MONTH[0], end=EMPTY_MONTH[1]),
        args.repeat,
    )
    one_district = timed(
        f"incidents(districts=[{district!r}])",
        lambda: store.incidents(districts=[district]),
        args.repeat,
    )
    lo = MONTH[0].tz_localize("Europe/Prague").tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S")
    hi = MONTH[1].tz_localize("Europe/Prague").tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S")
    timed(
        "floor: pyogrio where= on reported_at",
        lambda: pyogrio.read_dataframe(
            path,
            layer="incidents",
            use_arrow=True,
            where=f"reported_at >= '{lo}' AND reported_at < '{hi}'",
        ),
        args.repeat,
    )

    stamps = everything["reported_at"]
    start = MONTH[0].tz_localize("Europe/Prague")
    end = MONTH[1].tz_localize("Europe/Prague")
    in_month = (stamps >= start) & (stamps < end)
    geocoded = everything.geometry.notna() & everything["match"].ne("failed")
    expected = {
        "month": int(in_month.sum()),
        "month+category": int((in_month & everything["category"].eq(category)).sum()),
        "month+geocoded": int((in_month & geocoded).sum()),
        "empty month": 0,
        "district": int(everything["district_name"].eq(district).sum()),
    }
    got = {
        "month": len(month),
        "month+category": len(month_cat),
        "month+geocoded": len(month_geo),
        "empty month": len(empty),
        "district": len(one_district),
    }
    ok = expected == got and month["id"].tolist() == everything.loc[in_month, "id"].tolist()
    print(f"  filtered rows as the whole store filtered in memory: {ok} {got}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
