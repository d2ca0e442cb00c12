"""Benchmark of the patrol planner: whole ``apk-geo`` processes, as a mentor waits for them.

Targets on the 2-core reference machine (figures, not asserts):

* 50 candidates for one team, ``apk-geo route`` as a whole process: ≤ 5 s;
* 3 teams × 50 candidates, ``apk-geo route --teams 3``: ≤ 10 s;
* a week for 3 teams (``apk-geo plan-week``, 5 days, 15 team shifts): ≤ 60 s.

It also prints the in-process time and the objective of the exact planner (12 and 15 candidates,
one and three teams) and of the local search (50 candidates, with and without revisits).

Usage::

    .venv/bin/python benchmarks/routes.py [--store /tmp/rt_demo.gpkg] [--repeat 3]

Without ``--store`` a demo store is built first (``apk-geo demo``, about 15 s, not timed).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
from pyproj import Transformer

from apk_geo import routes

APK = [sys.executable, "-m", "apk_geo.cli"]
BASE = (-470_000.0, -1_100_000.0)  # central Ostrava, EPSG:5514
# plan-week is run through its module until the command is registered in apk_geo.cli.COMMANDS
PLAN_WEEK = (
    "import argparse, sys\n"
    "from apk_geo._cli import plan_week\n"
    "p = argparse.ArgumentParser(); plan_week.register(p.add_subparsers())\n"
    "a = p.parse_args(['plan-week', *sys.argv[1:]]); sys.exit(a.func(a))\n"
)


def base_latlon() -> tuple[float, float]:
    lon, lat = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True).transform(*BASE)
    return lat, lon


def candidates(n: int, *, seed: int = 42) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(
        {"id": [f"h{i}" for i in range(n)], "priority": rng.gamma(2.0, 1.0, n)},
        geometry=gpd.points_from_xy(
            BASE[0] + rng.uniform(-3000, 3000, n), BASE[1] + rng.uniform(-3000, 3000, n)
        ),
        crs="EPSG:5514",
    )


def timed(cmd: list[str], *, repeat: int) -> tuple[float, float]:
    """Run ``cmd`` ``repeat`` times; return the median and the worst wall-clock seconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times)


def processes(store: Path, work: Path, *, repeat: int) -> None:
    """Time whole commands: one team, three teams, a week of three teams."""
    lat, lon = base_latlon()
    cand = work / "cand50.geojson"
    candidates(50).to_crs(4326).to_file(cand, driver="GeoJSON")
    shift = ["--shift-start", "2026-11-24T08:00", "--shift-minutes", "480"]
    start = ["--start", f"{lat},{lon}"]
    runs = {
        "route, 50 candidates (file), 1 team, 8 h": [
            *APK,
            "route",
            "--candidates",
            str(cand),
            *start,
            *shift,
            "--out",
            str(work / "a.json"),
        ],
        "route, 50 places (store), 1 team, 8 h, sheet + GPX": [
            *APK,
            "route",
            "--store",
            str(store),
            *start,
            *shift,
            "--out",
            str(work / "b.json"),
            "--html",
            str(work / "b.html"),
            "--gpx",
            str(work / "b.gpx"),
        ],
        "route, 50 candidates (file), 3 teams, 8 h": [
            *APK,
            "route",
            "--candidates",
            str(cand),
            *start,
            *shift,
            "--teams",
            "3",
            "--out",
            str(work / "c.json"),
        ],
        "route, 50 places (store), 3 teams, 8 h, revisits 60-120 min": [
            *APK,
            "route",
            "--store",
            str(store),
            *start,
            *shift,
            "--teams",
            "3",
            "--revisit-minutes",
            "60",
            "--revisit-within-minutes",
            "120",
            "--out",
            str(work / "d.json"),
            "--html",
            str(work / "d.html"),
        ],
    }
    teams = work / "teams.csv"
    teams.write_text(
        "name;start;mode;days;shift\n"
        f"Dvojice A;{lat},{lon};pěšky;po-pá;08:00-14:00\n"
        f"Dvojice B;{lat},{lon};pěšky;po-pá;08:00-14:00\n"
        f"Dvojice C;{lat},{lon};autem;po-pá;14:00-20:00\n",
        encoding="utf-8",
    )
    runs["plan-week, 3 teams, 5 days (15 team shifts), revisits"] = [
        sys.executable,
        "-c",
        PLAN_WEEK,
        "--store",
        str(store),
        "--week",
        "2026-W49",
        "--teams",
        str(teams),
        "--out-dir",
        str(work / "week"),
    ]
    began = time.perf_counter()
    subprocess.run([*APK, "--version"], check=True, capture_output=True)
    print(f"apk-geo --version: {time.perf_counter() - began:.2f} s")
    for label, cmd in runs.items():
        median, worst = timed(cmd, repeat=1 if "week" in label else repeat)
        print(f"{label}: median {median:.2f} s, worst {worst:.2f} s")


def in_process() -> None:
    """Time the planners inside one process and print what they collect."""
    start = base_latlon()
    for n, n_teams in ((12, 1), (15, 1), (12, 3), (15, 3)):
        cand = candidates(n, seed=n)
        teams = [routes.Team(f"T{k}", start, "2026-11-24T08:00", 240) for k in range(n_teams)]
        began = time.perf_counter()
        plan = routes.plan_routes(cand, teams=teams)
        print(
            f"exact, {n} candidates, {n_teams} team(s), 4 h: {time.perf_counter() - began:.2f} s, "
            f"solver {plan.params['solver']}, optimal {plan.params['optimal']}, "
            f"labels {plan.params['solver_stats'].get('labels')}, "
            f"priority {plan.totals['priority_collected']:.3f}"
        )
    cand = candidates(50)
    for label, revisit in (("without revisits", None), ("revisits after 120 min", 120.0)):
        began = time.perf_counter()
        route = routes.plan_route(
            cand,
            start=start,
            shift_start="2026-11-24T08:00",
            shift_minutes=480,
            revisit_interval_minutes=revisit,
        )
        t = route.totals
        print(
            f"local search, 50 candidates, 8 h, {label}: {time.perf_counter() - began:.2f} s, "
            f"priority {t['priority_collected']:.3f} of {t['priority_available']:.3f}, "
            f"{t['n_stops']} stops, {t['distance_m'] / 1000:.1f} km, "
            f"safety net fired: {route.params['safety_limit_fired']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store (default: build the demo store)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = args.store
        if store is None:
            store = work / "demo.gpkg"
            subprocess.run([*APK, "demo", "--store", str(store)], check=True, capture_output=True)
        processes(store, work, repeat=args.repeat)
    in_process()


if __name__ == "__main__":
    main()
