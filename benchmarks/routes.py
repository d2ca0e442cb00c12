"""Benchmark of the patrol planner: 50 candidates, an 8-hour shift, a plan in <= 5 s.

Run: ``.venv/bin/python benchmarks/routes.py``. Prints the seconds taken and the objective
(priority collected) for a straight-line plan and one with revisits.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
from pyproj import Transformer

from apk_geo import routes

N_CANDIDATES = 50
SHIFT_MINUTES = 480
LIMIT_S = 5.0


def main() -> None:
    rng = np.random.default_rng(42)
    x = -470_000 + rng.uniform(-3000, 3000, N_CANDIDATES)
    y = -1_100_000 + rng.uniform(-3000, 3000, N_CANDIDATES)
    cand = gpd.GeoDataFrame(
        {
            "id": [f"h{i}" for i in range(N_CANDIDATES)],
            "priority": rng.gamma(2.0, 1.0, N_CANDIDATES),
        },
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:5514",
    )
    lon, lat = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True).transform(
        -470_000, -1_100_000
    )
    for label, revisit in (("straight lines", None), ("with revisits after 120 min", 120.0)):
        began = time.perf_counter()
        route = routes.plan_route(
            cand,
            start=(lat, lon),
            shift_start="2026-11-24T08:00",
            shift_minutes=SHIFT_MINUTES,
            revisit_interval_minutes=revisit,
        )
        seconds = time.perf_counter() - began
        t = route.totals
        print(
            f"{label}: {seconds:.2f} s, objective (priority collected) "
            f"{t['priority_collected']:.3f} of {t['priority_available']:.3f}, "
            f"{t['n_stops']} stops, {t['distance_m'] / 1000:.1f} km, "
            f"{t['duration_min']:.0f} min, solver: {route.params['solver_status']}"
        )
        if seconds > LIMIT_S:
            raise SystemExit(f"too slow: {seconds:.2f} s > {LIMIT_S} s")


if __name__ == "__main__":
    main()
