"""Benchmark the import pipeline: read → validate → geocode → enrich → store.

Generates ``--n`` incidents (default 1,000,000) with a seeded generator at addresses of the demo
gazetteer (``data/demo/*_ADR_synthetic.csv``, RÚIAN layout), writes them as an APK export
(cp1250, ``;``, Czech headers), then times every stage and prints rows/s and the peak resident
memory of the process. Targets on the 2-core reference machine: the whole pipeline for 1M rows in
≤ 60 s and ≤ 4 GB; exact-address geocoding ≥ 200,000 rows/s.

Usage::

    .venv/bin/python benchmarks/pipeline.py --n 1000000 [--seed 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from apk_geo import enrich, geocode
from apk_geo.config import DATA_DIR, Config
from apk_geo.io import read_table, validate
from apk_geo.schema import CATEGORIES, CRS_METRIC, INCIDENT_COLUMNS, OUTCOMES
from apk_geo.store import open_store

T = TypeVar("T")
GAZETTEER = next(iter(sorted((DATA_DIR / "demo").glob("*_ADR_synthetic.csv"))), None)


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def addresses_of(gaz: pd.DataFrame) -> np.ndarray:
    """Format every gazetteer point as an APK clerk would type it: ``Ulice 635/35``."""
    street = gaz["street"].astype(object).where(gaz["street"].notna(), gaz["part"].astype(object))
    house = gaz["house_no"].astype("Int64").astype(str)
    orient = gaz["orient_no"].astype("Int64").astype(str).where(gaz["orient_no"].notna(), "")
    letter = gaz["orient_letter"].astype(object).where(gaz["orient_letter"].notna(), "")
    number = house.where(orient.eq(""), house + "/" + orient + letter.astype(str))
    ev = gaz["so_type"].astype(str).eq("č.ev.")
    number = number.where(~ev, "č.ev. " + house)
    return (street.astype(str) + " " + number.astype(str)).to_numpy(dtype=object)


def generate(gaz: pd.DataFrame, *, n: int, seed: int, path: Path) -> Path:
    """Write ``n`` seeded incidents: 90 % exact addresses, 5 % typos, 5 % WGS84 coordinates."""
    rng = np.random.default_rng(seed)
    texts = addresses_of(gaz)
    pick = rng.integers(0, len(gaz), n)
    kind = rng.choice(3, size=n, p=[0.90, 0.05, 0.05])
    address = texts[pick].copy()
    typo = np.flatnonzero(kind == 1)
    address[typo] = [a[:2] + a[3:] if len(a) > 6 else a for a in address[typo]]
    lat = np.where(kind == 2, gaz["lat"].to_numpy()[pick].round(6), np.nan)
    lon = np.where(kind == 2, gaz["lon"].to_numpy()[pick].round(6), np.nan)
    address[kind == 2] = ""
    start = pd.Timestamp("2024-01-01").value // 10**9
    seconds = rng.integers(0, 2 * 365 * 86400, n) + start
    when = pd.to_datetime(seconds, unit="s")
    frame = pd.DataFrame(
        {
            "Číslo záznamu": np.char.add("B", np.arange(n).astype(str)),
            "Datum": when.strftime("%-d.%-m.%Y"),
            "Čas": when.strftime("%-H:%M"),
            "Kategorie": np.array([c.cs for c in CATEGORIES], dtype=object)[
                rng.integers(0, len(CATEGORIES), n)
            ],
            "Adresa": address,
            "Výsledek": np.array([o.cs for o in OUTCOMES], dtype=object)[
                rng.integers(0, len(OUTCOMES), n)
            ],
            "Asistent": np.char.add("A", rng.integers(1, 40, n).astype(str)),
            "Poznámka": "",
            "lat": pd.Series(lat).map(lambda v: "" if np.isnan(v) else f"{v}"),
            "lon": pd.Series(lon).map(lambda v: "" if np.isnan(v) else f"{v}"),
        }
    )
    frame.to_csv(path, sep=";", index=False, encoding="cp1250", lineterminator="\r\n")
    return path


def timed(results: dict[str, dict[str, float]], stage: str, rows: int, func: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    out = func()
    dt = time.perf_counter() - t0
    results[stage] = {
        "seconds": round(dt, 3),
        "rows_per_s": round(rows / dt) if dt else 0.0,
        "peak_mb": round(peak_mb()),
    }
    print(
        f"{stage:<22} {dt:8.2f} s  {rows / dt if dt else 0:>12,.0f} rows/s  "
        f"peak {peak_mb():,.0f} MB",
        file=sys.stderr,
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="incidents (1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    parser.add_argument("--json", action="store_true", help="print results as JSON on stdout")
    args = parser.parse_args(argv)
    if GAZETTEER is None:
        parser.error("no demo gazetteer in data/demo; run `apk-geo demo` first")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="apk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    config = Config()
    gaz = geocode.load_ruian_csv(GAZETTEER)
    t0 = time.perf_counter()
    src = generate(gaz, n=args.n, seed=args.seed, path=folder / "export.csv")
    print(f"generated {args.n:,} rows in {time.perf_counter() - t0:.1f} s ({src})", file=sys.stderr)

    res: dict[str, dict[str, float]] = {}
    n = args.n
    total0 = time.perf_counter()
    raw = timed(res, "read", n, lambda: read_table(src))
    context = timed(res, "context", n, lambda: enrich.load_context(config))
    extent = context.city_extent_5514()
    checked = timed(
        res,
        "validate",
        n,
        lambda: validate(raw, source="bench", config=config, city_extent_5514=extent),
    )
    valid = checked.valid
    index = timed(res, "gazetteer index", len(gaz), lambda: geocode.build_index(gaz))
    located = timed(
        res,
        "geocode",
        len(valid),
        lambda: geocode.geocode(valid, index, city_extent_5514=extent),
    )
    x = located["x_5514"].to_numpy(dtype="float64")
    y = located["y_5514"].to_numpy(dtype="float64")
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(located), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    points = gpd.GeoDataFrame(located, geometry=gpd.GeoSeries(geoms, crs=CRS_METRIC))
    enriched = timed(
        res, "enrich", len(points), lambda: enrich.enrich(points, context, config=config)
    )
    store_path = folder / "bench.gpkg"
    store_path.unlink(missing_ok=True)
    store = open_store(store_path)
    incidents = enriched[[c for c in INCIDENT_COLUMNS if c != "imported_at"] + ["geometry"]]
    counts = timed(
        res,
        "store",
        len(incidents),
        lambda: store.apply_import(
            incidents=incidents,
            quarantine=checked.quarantine,
            log={"source": "bench", "file": str(src), "duplicates_in_file": checked.duplicates},
            layers=context.layers(),
        ),
    )
    total = time.perf_counter() - total0

    exact_rows = valid.loc[located["match"].eq("exact").to_numpy(), ["address"]]
    timed(
        res,
        "geocode exact only",
        len(exact_rows),
        lambda: geocode.geocode(exact_rows, index, city_extent_5514=context.city_extent_5514()),
    )
    summary = {
        "n": n,
        "total_seconds": round(total, 2),
        "rows_per_s": round(n / total),
        "peak_mb": round(peak_mb()),
        "counts": counts.as_dict(),
        "match": located["match"].value_counts().to_dict(),
        "stages": res,
        "targets": {
            "total_le_60s": total <= 60,
            "peak_le_4096mb": peak_mb() <= 4096,
            "exact_geocode_ge_200k_rows_s": res["geocode exact only"]["rows_per_s"] >= 200_000,
        },
    }
    print(
        f"{'pipeline total':<22} {total:8.2f} s  {n / total:>12,.0f} rows/s  "
        f"peak {peak_mb():,.0f} MB",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        print(json.dumps({k: summary[k] for k in ("counts", "match", "targets")}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
