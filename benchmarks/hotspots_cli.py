"""Whole-process benchmark: ``apk-geo hotspots --method gistar`` against the plain script.

Writes ``--n`` seeded incidents over Ostrava (default 1,000,000; 70 % around 60 hot centres, as
in ``benchmarks/hotspots.py``) as a CSV with ``id, reported_at, category, lat, lon``, then runs,
each as its own process and alternately ``--repeat`` times:

* ``apk-geo hotspots --input <csv> --method gistar --cell-size-m 100 --out <gpkg>``;
* ``benchmarks/plain_gistar.py`` (plain geopandas + esda: CSV → S-JTSK → grid → Gi* → BH);
* ``apk-geo --version`` (start-up alone; the median of five runs).

It prints each run's wall-clock seconds and peak resident memory, the ratio apk-geo / plain
(target ≤ 1.0) and checks that both wrote the same cells with the same counts and z-scores.

Run: ``.venv/bin/python benchmarks/hotspots_cli.py [--n 1000000] [--repeat 2] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely
from hotspots import city_area, synthetic_incidents  # benchmarks/hotspots.py, beside this file
from pyproj import Transformer

HERE = Path(__file__).resolve().parent
APK_GEO = Path(sys.executable).with_name("apk-geo")
CATEGORY_CODES = ("public_order", "littering", "alcohol", "syringes", "noise", "other")


def write_csv(n: int, path: Path, *, seed: int = 4) -> Path:
    """Write ``n`` synthetic incidents as a lat/lon CSV (6 decimals, as GPS exports have)."""
    pts = synthetic_incidents(city_area(), n, seed=seed)
    xy = shapely.get_coordinates(pts.geometry.to_numpy())
    lon, lat = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True).transform(
        xy[:, 0], xy[:, 1]
    )
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "reported_at": pts["reported_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "category": np.array(CATEGORY_CODES)[rng.integers(0, len(CATEGORY_CODES), n)],
            "lat": np.round(lat, 6),
            "lon": np.round(lon, 6),
        }
    )
    frame.to_csv(path, index=False)
    return path


def run(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd`` as a process; return (wall-clock seconds, peak resident memory in MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
    return seconds, usage.ru_maxrss / 1024


def compare(ours: Path, plain: Path) -> str:
    """Match the two outputs' cells by centre; return a one-line comparison."""

    def by_centre(path: Path) -> pd.DataFrame:
        gdf = pyogrio.read_dataframe(path)
        c = shapely.get_coordinates(shapely.centroid(gdf.geometry.to_numpy()))
        key = pd.MultiIndex.from_arrays([np.round(c[:, 0], 2), np.round(c[:, 1], 2)])
        return pd.DataFrame({"n": gdf["n"].to_numpy(), "z": gdf["gi_z"].to_numpy()}, index=key)

    a, b = by_centre(ours), by_centre(plain)
    same_cells = a.index.sort_values().equals(b.index.sort_values())
    b = b.reindex(a.index)
    dz = float(np.nanmax(np.abs(a["z"].to_numpy() - b["z"].to_numpy())))
    dn = int((a["n"].to_numpy() != b["n"].to_numpy()).sum())
    return (
        f"cells apk-geo {len(a):,}, plain {len(b):,}, same cells {same_cells}; "
        f"cells with another count {dn}; max |z difference| {dz:.2e}"
    )


def version_seconds(repeat: int = 5) -> float:
    """Return the median wall-clock seconds of ``apk-geo --version``."""
    return statistics.median(run([str(APK_GEO), "--version"])[0] for _ in range(repeat))


def main(argv: list[str] | None = None) -> int:
    """Generate the CSV, run both processes ``--repeat`` times, print figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="incidents (1,000,000)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cell-size-m", type=float, default=100.0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="apk-hotspots-cli-"))
    if args.keep is None:  # the generated files take up to 3 GB: gone when the run ends
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / f"incidents_{args.n}.csv"
    if not csv.exists():
        t0 = time.perf_counter()
        write_csv(args.n, csv)
        print(f"wrote {args.n:,} rows in {time.perf_counter() - t0:.1f} s: {csv}")
    size = f"{args.cell_size_m:g}"
    ours_out, plain_out = folder / "apk_geo.gpkg", folder / "plain.gpkg"
    ours_cmd = [str(APK_GEO), "hotspots", "--input", str(csv), "--method", "gistar"]
    ours_cmd += ["--cell-size-m", size, "--out", str(ours_out)]
    plain_cmd = [sys.executable, str(HERE / "plain_gistar.py"), str(csv), str(plain_out)]
    plain_cmd += ["--cell-size-m", size]
    print(f"\n{args.n:,} incidents, {size} m cells; whole processes, wall clock and peak RSS")
    ratios = []
    for i in range(args.repeat):
        for path in (ours_out, plain_out):
            path.unlink(missing_ok=True)
        ours_s, ours_mb = run(ours_cmd)
        plain_s, plain_mb = run(plain_cmd)
        ratios.append(ours_s / plain_s)
        print(
            f"  run {i + 1}: apk-geo hotspots {ours_s:6.2f} s ({ours_mb:,.0f} MB)   "
            f"plain geopandas + esda {plain_s:6.2f} s ({plain_mb:,.0f} MB)   "
            f"ratio {ours_s / plain_s:.2f} (target <= 1.0)"
        )
    print(f"  {compare(ours_out, plain_out)}")
    print(f"  apk-geo --version: {version_seconds():.3f} s (median of 5; target <= 0.5 s)")
    print(f"  ratio apk-geo / plain: {', '.join(f'{r:.2f}' for r in ratios)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
