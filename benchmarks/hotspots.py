"""Benchmark of the hotspot methods on synthetic incidents over Ostrava.

Part 1: 100,000 incidents, every hotspot method (grid + counts, Gi* + FDR, KDE with automatic
bandwidth, HDBSCAN clusters, the tuned forecast) together; target <= 10 s.

Part 2: Gi* + FDR on 1,000,000 incidents at 100 m cells over the city; target <= 5 s, and no
slower than a straightforward geopandas + esda script doing the same work (``gpd.sjoin`` to count,
libpysal ``DistanceBand`` weights, ``esda.G_Local(star=True)``, ``scipy`` FDR), timed in the same
run. Both give the same z-scores (checked).

Run: ``.venv/bin/python benchmarks/hotspots.py [--quick]``. Prints seconds and peak resident
memory (MB, sampled every 5 ms) per step.
"""

from __future__ import annotations

import argparse
import math
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import psutil
import shapely

from apk_geo import clusters, forecast, gistar, grid, kde

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "data" / "ostrava_obec_dissolved_wgs84.geojson"


class PeakRSS:
    """Sample the process's resident memory in a thread and keep the peak (MB)."""

    def __init__(self, interval_s: float = 0.005) -> None:
        self.interval_s = interval_s
        self.proc = psutil.Process()
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.proc.memory_info().rss / 2**20)
            time.sleep(self.interval_s)

    def __enter__(self) -> PeakRSS:
        self.peak_mb = self.proc.memory_info().rss / 2**20
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, self.proc.memory_info().rss / 2**20)


@contextmanager
def timed(label: str, results: dict[str, float]) -> Iterator[None]:
    """Time a block, print seconds and peak RSS, and store the seconds under ``label``."""
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        yield
        dt = time.perf_counter() - t0
    results[label] = dt
    print(f"  {label:<44s} {dt:7.2f} s   peak {mem.peak_mb:7.0f} MB")


def city_area() -> gpd.GeoDataFrame:
    """Return Ostrava (one polygon) in EPSG:5514."""
    return gpd.read_file(CITY).to_crs("EPSG:5514")[["geometry"]]


def _inside(geom: Any, xy: np.ndarray) -> np.ndarray:
    keep: np.ndarray = xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]
    return keep


def synthetic_incidents(area: gpd.GeoDataFrame, n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Return exactly ``n`` incidents inside ``area``: 70 % around 60 hot centres, 30 % uniform."""
    rng = np.random.default_rng(seed)
    geom = area.geometry.iloc[0]
    shapely.prepare(geom)
    minx, miny, maxx, maxy = geom.bounds

    def uniform(k: int) -> np.ndarray:
        out = np.empty((0, 2))
        while len(out) < k:
            xy = np.column_stack([rng.uniform(minx, maxx, 2 * k), rng.uniform(miny, maxy, 2 * k)])
            out = np.vstack([out, _inside(geom, xy)])
        return out[:k]

    centres = uniform(60)
    weight = rng.pareto(1.5, 60) + 1
    spread = rng.uniform(120, 450, 60)
    n_hot = int(n * 0.7)
    hot = np.empty((0, 2))
    while len(hot) < n_hot:
        which = rng.choice(60, size=n_hot, p=weight / weight.sum())
        xy = centres[which] + rng.normal(size=(n_hot, 2)) * spread[which, None]
        hot = np.vstack([hot, _inside(geom, xy)])
    xy = np.vstack([hot[:n_hot], uniform(n - n_hot)])
    start = pd.Timestamp("2024-01-01", tz="Europe/Prague")
    seconds = np.sort(rng.uniform(0, 366 * 86400, n))
    order = rng.permutation(n)  # times unrelated to place
    return gpd.GeoDataFrame(
        {"reported_at": start + pd.to_timedelta(seconds[order], unit="s")},
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs="EPSG:5514",
    )


def all_methods(n: int, cell_size_m: float) -> float:
    """Part 1: every method on ``n`` incidents; return the total seconds."""
    area = city_area()
    pts = synthetic_incidents(area, n, seed=1)
    print(f"\nPart 1: all methods, {len(pts):,} incidents, {cell_size_m:g} m cells over Ostrava")
    r: dict[str, float] = {}
    with timed("grid + counts (make_grid, count_points)", r):
        cells = grid.make_grid(area, cell_size_m=cell_size_m)
        counted = grid.count_points(cells, pts)
    with timed("Gi* + FDR (gistar)", r):
        gistar.gistar(counted, value_col="n")
    with timed("KDE, automatic bandwidth (kde)", r):
        kde.kde(pts, cells)
    with timed("HDBSCAN clusters (clusters)", r):
        clusters.clusters(pts)
    with timed("forecast, tuned (forecast)", r):
        forecast.forecast(pts, cells)
    total = sum(r.values())
    print(f"  {'total':<44s} {total:7.2f} s   (target <= 10 s, {len(cells):,} cells)")
    return total


def naive_gistar(pts: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, cell_size_m: float) -> Any:
    """The straightforward script: sjoin counts, DistanceBand, esda G_Local*, scipy FDR."""
    import esda
    from libpysal.weights import DistanceBand
    from scipy import stats

    joined = gpd.sjoin(pts, cells[["cell_id", "geometry"]], how="inner", predicate="within")
    counts = joined.groupby("cell_id").size().reindex(cells["cell_id"], fill_value=0)
    centres = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand.from_array(
            centres,
            threshold=cell_size_m * math.sqrt(2) * (1 + 1e-6),
            binary=True,
            silence_warnings=True,
        )
        g = esda.G_Local(counts.to_numpy(dtype=float), w, transform="B", star=True, permutations=0)
    p = 2 * stats.norm.sf(np.abs(g.Zs))
    p_adj = stats.false_discovery_control(p, method="bh")
    return g.Zs, p_adj


def gistar_million(n: int, cell_size_m: float) -> tuple[float, float]:
    """Part 2: Gi* + FDR on ``n`` incidents; return (apk_geo seconds, naive seconds)."""
    area = city_area()
    pts = synthetic_incidents(area, n, seed=2)
    print(f"\nPart 2: Gi* + FDR, {len(pts):,} incidents, {cell_size_m:g} m cells over Ostrava")
    r: dict[str, float] = {}
    with timed("apk_geo: make_grid + count_points + gistar", r):
        cells = grid.make_grid(area, cell_size_m=cell_size_m)
        counted = grid.count_points(cells, pts)
        ours = gistar.gistar(counted, value_col="n", adjust="fdr_bh")
    with timed("naive: sjoin + DistanceBand + G_Local + FDR", r):
        z_naive, p_naive = naive_gistar(pts, cells, cell_size_m)
    ours_s, naive_s = (
        r["apk_geo: make_grid + count_points + gistar"],
        r["naive: sjoin + DistanceBand + G_Local + FDR"],
    )
    same_counts = int(counted["n"].sum())
    dz = float(np.max(np.abs(ours["gi_z"].to_numpy() - np.asarray(z_naive))))
    dp = float(np.max(np.abs(ours["p_adjusted"].to_numpy() - np.asarray(p_naive))))
    print(
        f"  {len(cells):,} cells, {same_counts:,} incidents counted; "
        f"max |z difference| {dz:.2e}, max |adjusted p difference| {dp:.2e}"
    )
    print(
        f"  apk_geo {ours_s:.2f} s (target <= 5 s); naive {naive_s:.2f} s; "
        f"speed-up {naive_s / ours_s:.1f}x"
    )
    return ours_s, naive_s


def main(argv: list[str] | None = None) -> int:
    """Run both parts; exit code 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10x fewer incidents (smoke test)")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    checks: list[tuple[str, Callable[[], bool]]] = []
    total = all_methods(100_000 // scale, 100.0)
    checks.append(("all methods <= 10 s", lambda: total <= 10.0))
    ours, naive = gistar_million(1_000_000 // scale, 100.0)
    checks.append(("Gi* 1M <= 5 s", lambda: ours <= 5.0))
    checks.append(("Gi* no slower than naive", lambda: ours <= naive))
    print()
    failed = 0
    for name, ok in checks:
        passed = ok()
        failed += not passed
        print(f"  {'PASS' if passed else 'FAIL'}  {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
