"""Benchmark the import pipeline: read → validate → geocode → points → enrich → store.

Generates ``--n`` incidents (default 1,000,000) with a seeded generator at addresses of the demo
gazetteer (``data/demo/*_ADR_synthetic.csv``, RÚIAN layout), writes them as an APK export
(cp1250, ``;``, Czech headers), then times every stage as :func:`apk_geo.ingest.ingest_file`
runs it and prints rows/s and the peak resident memory of the process.

In the same run it times the plain geopandas/pyogrio operations the enrich and store stages are
measured against, on the same points: ``gpd.sjoin`` with the districts and with the SVL
polygons, ``gpd.sjoin_nearest`` with the hostels, and pyogrio's Arrow writer writing the same
26-column incidents layer to a new GeoPackage; it prints the ratios and checks that the plain
joins give the same districts, SVLs, hostels and distances as :func:`apk_geo.enrich.enrich`.

Targets on the 2-core reference machine: the pipeline for 1M rows in ≤ 15 s and ≤ 2 GB; enrich
≤ 1.5× and store ≤ 1.2× the plain operations; exact-address geocoding ≥ 200,000 rows/s.

``--scaling`` runs the pipeline (each size in its own process, for its own peak memory) and Gi*
(``run_method(method="gistar")`` at 100 m over Ostrava) for 10k, 100k, 1M and 5M incidents and
prints seconds per million rows, which stays flat when the cost grows linearly.

Usage::

    .venv/bin/python benchmarks/pipeline.py --n 1000000 [--seed 0] [--keep DIR] [--json]
    .venv/bin/python benchmarks/pipeline.py --scaling [--sizes 10000 100000 1000000 5000000]
"""

from __future__ import annotations

import argparse
import atexit
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from apk_geo import enrich, geocode
from apk_geo.config import DATA_DIR, Config
from apk_geo.io import read_table, validate
from apk_geo.schema import CATEGORIES, CRS_METRIC, INCIDENT_COLUMNS, OUTCOMES
from apk_geo.store import open_store
from apk_geo.store.gpkgquery import ensure_indexes

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


def locate(located: pd.DataFrame) -> gpd.GeoDataFrame:
    """Build the geocoded points once, as :func:`apk_geo.ingest.ingest_file` does."""
    x = located["x_5514"].to_numpy(dtype="float64")
    y = located["y_5514"].to_numpy(dtype="float64")
    ok = np.isfinite(x) & np.isfinite(y) & located["match"].ne("failed").to_numpy(dtype=bool)
    geoms = np.full(len(located), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    frame = pd.DataFrame(located).reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=CRS_METRIC))


Frames = tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, enrich.Context]


def run_pipeline(
    n: int, *, seed: int, folder: Path, gazetteer: Path
) -> tuple[dict[str, Any], Frames]:
    """Generate ``n`` incidents and run every stage; return the figures and the frames."""
    config = Config()
    gaz = geocode.load_ruian_csv(gazetteer)
    t0 = time.perf_counter()
    src = generate(gaz, n=n, seed=seed, path=folder / "export.csv")
    print(f"generated {n:,} rows in {time.perf_counter() - t0:.1f} s ({src})", file=sys.stderr)

    res: dict[str, dict[str, float]] = {}
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
    points = timed(res, "points", len(located), lambda: locate(located))
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
    pipeline_peak = peak_mb()
    print(
        f"{'pipeline total':<22} {total:8.2f} s  {n / total:>12,.0f} rows/s  "
        f"peak {pipeline_peak:,.0f} MB",
        file=sys.stderr,
    )
    exact_rows = valid.loc[located["match"].eq("exact").to_numpy(), ["address"]]
    timed(
        res,
        "geocode exact only",
        len(exact_rows),
        lambda: geocode.geocode(exact_rows, index, city_extent_5514=extent),
    )
    summary = {
        "n": n,
        "total_seconds": round(total, 2),
        "rows_per_s": round(n / total),
        "peak_mb": round(pipeline_peak),
        "counts": counts.as_dict(),
        "match": located["match"].value_counts().to_dict(),
        "stages": res,
    }
    return summary, (points, enriched, context)


def reference(
    points: gpd.GeoDataFrame,
    enriched: gpd.GeoDataFrame,
    context: enrich.Context,
    *,
    folder: Path,
) -> dict[str, float | bool]:
    """Time the plain geopandas/pyogrio operations on the same points; check they agree."""
    res: dict[str, dict[str, float]] = {}
    pts = points[["geometry"]]
    n = len(pts)
    districts = timed(
        res,
        "plain sjoin districts",
        n,
        lambda: gpd.sjoin(pts, context.districts[["KOD", "NAZEV", "geometry"]], how="left"),
    )
    svl = timed(
        res, "plain sjoin svl", n, lambda: gpd.sjoin(pts, context.svl[["name", "geometry"]])
    )
    hostels = timed(
        res,
        "plain sjoin_nearest",
        n,
        lambda: gpd.sjoin_nearest(
            pts, context.hostels[["name", "geometry"]], how="left", distance_col="distance"
        ),
    )
    # the layer as the store holds it: the 25 incident columns and the geometry, times in UTC
    # (GeoPackage stores UTC; pyogrio writes zone-aware Europe/Prague times 8x slower)
    layer = enriched[[*INCIDENT_COLUMNS[:-1], "geometry"]].assign(
        reported_at=enriched["reported_at"].dt.tz_convert("UTC"),
        imported_at=pd.Timestamp.now(tz="UTC"),
    )
    layer = layer[[*INCIDENT_COLUMNS, "geometry"]]
    out = folder / "plain.gpkg"
    out.unlink(missing_ok=True)
    timed(
        res,
        "plain Arrow write",
        n,
        lambda: pyogrio.write_dataframe(
            layer, out, layer="incidents", driver="GPKG", use_arrow=True, geometry_type="Point"
        ),
    )
    print(f"  (plain Arrow write: {layer.shape[1]} columns, {out})", file=sys.stderr)
    # the store also builds the B-tree indexes of the filters (apk_geo.store.gpkgquery): the
    # same indexes on the plain file, so the write can be compared with and without them
    timed(res, "plain CREATE INDEX", n, lambda: ensure_indexes(out))
    first = districts["index_right"].groupby(level=0).min()
    first_svl = svl["index_right"].groupby(level=0).min()
    best = hostels.sort_values("index_right", kind="stable").groupby(level=0).first()
    same = {
        "district": _same(enriched["district_code"], first, context.districts["KOD"]),
        "svl": _same(enriched["svl_name"], first_svl, context.svl["name"]),
        "hostel": _same(enriched["hostel_name"], best["index_right"], context.hostels["name"]),
        "distance": bool(
            np.array_equal(
                enriched["hostel_distance_m"].to_numpy(),
                best["distance"].reindex(enriched.index).to_numpy(dtype=float),
                equal_nan=True,
            )
        ),
    }
    plain_enrich = sum(
        res[k]["seconds"]
        for k in ("plain sjoin districts", "plain sjoin svl", "plain sjoin_nearest")
    )
    return {
        "plain_enrich_seconds": round(plain_enrich, 3),
        "plain_write_seconds": res["plain Arrow write"]["seconds"],
        "plain_index_seconds": res["plain CREATE INDEX"]["seconds"],
        **{f"same_{k}": v for k, v in same.items()},
    }


def _same(ours: pd.Series, rows: pd.Series, values: pd.Series) -> bool:
    """Whether ``ours`` equals ``values`` at the plain join's ``rows`` (NA where none)."""
    rows = rows.reindex(ours.index)
    expected = pd.Series(pd.NA, index=ours.index, dtype="string")
    hit = rows.notna().to_numpy()
    expected[hit] = values.astype("string").to_numpy()[rows[hit].to_numpy(dtype=int)]
    return bool(ours.astype("string").equals(expected))


def scaling(sizes: list[int], *, seed: int, folder: Path) -> None:
    """Print the pipeline's and Gi*'s seconds per million rows for each size.

    ``per 1M`` divides by the size (fixed costs weigh on small sizes); ``step per 1M`` is the
    cost of the rows added since the previous size, which stays flat when the cost is linear.
    """
    from hotspots import city_area, synthetic_incidents  # benchmarks/hotspots.py

    from apk_geo.methods import run_method

    print(
        f"{'incidents':>10} {'pipeline s':>11} {'per 1M':>7} {'step per 1M':>12} {'peak MB':>8}"
        f"   {'Gi* s':>6} {'per 1M':>7} {'step per 1M':>12}"
    )
    area = city_area()
    previous = (0, 0.0, 0.0)
    for n in sizes:
        cmd = [sys.executable, __file__, "--n", str(n), "--seed", str(seed), "--json"]
        cmd += ["--no-reference", "--keep", str(folder / f"n{n}")]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        figures = json.loads(done.stdout)
        pts = synthetic_incidents(area, n, seed=seed)
        t0 = time.perf_counter()
        run_method(pts, method="gistar", area=area, cell_size_m=100.0)
        gi = time.perf_counter() - t0
        total = float(figures["total_seconds"])
        step = (n - previous[0]) / 1e6
        print(
            f"{n:>10,} {total:>11.2f} {total / n * 1e6:>7.2f} "
            f"{(total - previous[1]) / step:>12.2f} {figures['peak_mb']:>8,}   "
            f"{gi:>6.2f} {gi / n * 1e6:>7.2f} {(gi - previous[2]) / step:>12.2f}",
            flush=True,
        )
        stages = figures["stages"]
        print(
            "           "
            + ", ".join(f"{k} {v['seconds']:.1f}" for k, v in stages.items() if "exact" not in k),
            flush=True,
        )
        previous = (n, total, gi)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="incidents (1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    parser.add_argument("--json", action="store_true", help="print results as JSON on stdout")
    parser.add_argument("--no-reference", action="store_true", help="skip the plain operations")
    parser.add_argument("--scaling", action="store_true", help="the table over --sizes")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000, 5_000_000]
    )
    args = parser.parse_args(argv)
    if GAZETTEER is None:
        parser.error("no demo gazetteer in data/demo; run `apk-geo demo` first")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="apk-bench-"))
    if args.keep is None:  # the generated files take up to 3 GB: gone when the run ends
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    if args.scaling:
        scaling(args.sizes, seed=args.seed, folder=folder)
        return 0
    summary, (points, enriched, context) = run_pipeline(
        args.n, seed=args.seed, folder=folder, gazetteer=GAZETTEER
    )
    stages: dict[str, dict[str, float]] = summary["stages"]
    targets: dict[str, bool] = {
        "total_le_15s": summary["total_seconds"] <= 15,
        "peak_le_2048mb": summary["peak_mb"] <= 2048,
        "exact_geocode_ge_200k_rows_s": stages["geocode exact only"]["rows_per_s"] >= 200_000,
    }
    if not args.no_reference:
        ref = reference(points, enriched, context, folder=folder)
        enrich_ratio = stages["enrich"]["seconds"] / float(ref["plain_enrich_seconds"])
        store_ratio = stages["store"]["seconds"] / float(ref["plain_write_seconds"])
        with_index = float(ref["plain_write_seconds"]) + float(ref["plain_index_seconds"])
        indexed_ratio = stages["store"]["seconds"] / with_index
        print(
            f"enrich {stages['enrich']['seconds']:.2f} s vs plain sjoin x2 + sjoin_nearest "
            f"{ref['plain_enrich_seconds']:.2f} s: ratio {enrich_ratio:.2f} (target <= 1.5)\n"
            f"store {stages['store']['seconds']:.2f} s vs plain pyogrio Arrow write "
            f"{ref['plain_write_seconds']:.2f} s: ratio {store_ratio:.2f} (target <= 1.2); "
            f"vs the plain write + the same indexes {with_index:.2f} s: ratio "
            f"{indexed_ratio:.2f}\n"
            f"plain joins give the same districts {ref['same_district']}, SVLs "
            f"{ref['same_svl']}, hostels {ref['same_hostel']}, distances {ref['same_distance']}",
            file=sys.stderr,
        )
        summary["reference"] = ref
        summary["ratios"] = {
            "enrich": round(enrich_ratio, 2),
            "store": round(store_ratio, 2),
            "store_vs_write_and_index": round(indexed_ratio, 2),
        }
        targets["enrich_le_1.5x_plain"] = enrich_ratio <= 1.5
        targets["store_le_1.2x_plain"] = store_ratio <= 1.2
    summary["targets"] = targets
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        print(json.dumps({k: summary[k] for k in ("counts", "match", "targets")}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
