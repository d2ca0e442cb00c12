"""The planner reaches the exact optimum on small plans, and gives the same plan under load.

The reference is written here, independently of apk_geo.routes.exact: a plain-Python label
DP over subsets for one team (every feasible order of every subset, Pareto labels in
(time, travel)), combined for two teams by enumerating pairs of disjoint subsets. The objective
is the planner's: the most priority, then the least travel time (whole seconds rounded up).
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from apk_geo import routes

ORIGIN = (-470_000.0, -1_100_000.0)  # central Ostrava, EPSG:5514
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
SHIFT = pd.Timestamp("2026-11-24T08:00", tz="Europe/Prague")
SPEED_MS = 4.5 / 3.6
DETOUR = 1.3


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


@dataclass
class Instance:
    xy: list[tuple[float, float]]  # metres from ORIGIN
    prio: list[int]
    dwell_s: int
    windows: list[tuple[int, int] | None]  # seconds after SHIFT, or None
    must: list[bool]

    def frame(self) -> gpd.GeoDataFrame:
        def hhmm(sec: int) -> str:
            t = SHIFT + pd.Timedelta(seconds=sec)
            return f"{t:%H:%M}"

        return gpd.GeoDataFrame(
            {
                "id": [f"p{i}" for i in range(len(self.xy))],
                "priority": [float(p) for p in self.prio],
                "must_visit": self.must,
                "window_start": [None if w is None else hhmm(w[0]) for w in self.windows],
                "window_end": [None if w is None else hhmm(w[1]) for w in self.windows],
            },
            geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in self.xy],
            crs="EPSG:5514",
        )


def make_instance(
    seed: int,
    n: int,
    *,
    windows: bool = False,
    must: bool = False,
    spread: float = 1500.0,
    minutes: int = 120,
) -> Instance:
    """Random places around the base; with ``windows`` a third of them get a start window in
    the first half of the shift, and with ``must`` one of those (moved near the base) is a
    must-visit."""
    rng = np.random.default_rng(seed)
    xy = [(float(a), float(b)) for a, b in rng.uniform(-spread, spread, (n, 2)).round(1)]
    prio = rng.integers(1, 10, n).tolist()
    prio[int(rng.integers(n))] = 10  # the largest is 10: the planner's priority units are exact
    win: list[tuple[int, int] | None] = [None] * n
    flags = [False] * n
    if windows:
        steps = max(1, (minutes // 2) // 10)
        for i in rng.choice(n, size=max(1, n // 3), replace=False):
            lo = int(rng.integers(0, steps)) * 10 * 60
            win[int(i)] = (lo, lo + int(rng.integers(1, 4)) * 10 * 60)
    if must:
        first = int(np.flatnonzero([w is not None for w in win])[0]) if windows else 0
        flags[first] = True
        xy[first] = (xy[first][0] / 4, xy[first][1] / 4)
    return Instance(xy, prio, int(rng.choice([10, 15])) * 60, win, flags)


def travel_matrix(points: list[tuple[float, float]]) -> list[list[int]]:
    return [[math.ceil(math.dist(a, b) * DETOUR / SPEED_MS - 1e-9) for b in points] for a in points]


def single_team(
    inst: Instance, *, base: tuple[float, float], horizon_s: int, max_stops: int | None = None
) -> dict[int, int]:
    """Return {subset mask: least travel of a feasible route} for one team (independent DP)."""
    n = len(inst.xy)
    tt = travel_matrix([base, *inst.xy])  # 0 is the base
    best: dict[int, int] = {0: tt[0][0]}
    layer: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for j in range(n):
        arrive = tt[0][j + 1]
        lab = _visit(inst, j, arrive)
        if lab is not None and lab + tt[j + 1][0] <= horizon_s:
            layer.setdefault((1 << j, j), []).append((lab, tt[0][j + 1]))
    size = 1
    while layer:
        for (mask, last), labels in layer.items():
            for clock, travel in labels:
                total = travel + tt[last + 1][0]
                if clock + tt[last + 1][0] <= horizon_s and total < best.get(mask, 10**12):
                    best[mask] = total
        if max_stops is not None and size >= max_stops:
            break
        nxt: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for (mask, last), labels in layer.items():
            for j in range(n):
                if mask >> j & 1:
                    continue
                for clock, travel in labels:
                    lab = _visit(inst, j, clock + tt[last + 1][j + 1])
                    if lab is None or lab + tt[j + 1][0] > horizon_s:
                        continue
                    _add_label(nxt, (mask | 1 << j, j), (lab, travel + tt[last + 1][j + 1]))
        layer, size = nxt, size + 1
    return best


def _visit(inst: Instance, j: int, arrive: int) -> int | None:
    """Return when the stop is left, or None if its window has passed."""
    w = inst.windows[j]
    begin = arrive if w is None else max(arrive, w[0])
    if w is not None and begin > w[1]:
        return None
    return begin + inst.dwell_s


def _add_label(
    table: dict[tuple[int, int], list[tuple[int, int]]], key: tuple[int, int], lab: tuple[int, int]
) -> None:
    labels = table.setdefault(key, [])
    if any(t <= lab[0] and d <= lab[1] for t, d in labels):
        return
    labels[:] = [(t, d) for t, d in labels if not (lab[0] <= t and lab[1] <= d)] + [lab]


def optimum_one(inst: Instance, best: dict[int, int]) -> tuple[int, int]:
    """Return (priority, -travel) of the best subset that holds every must-visit."""
    must = sum(1 << i for i, m in enumerate(inst.must) if m)
    return max(
        (_value(inst, mask), -travel) for mask, travel in best.items() if mask & must == must
    )


def optimum_two(inst: Instance, a: dict[int, int], b: dict[int, int]) -> tuple[int, int]:
    """Return the best (priority, -travel) over pairs of disjoint feasible subsets."""
    must = sum(1 << i for i, m in enumerate(inst.must) if m)
    b_items = sorted(b.items())
    best = (-1, 0)
    for ma, ta in a.items():
        va = _value(inst, ma)
        for mb, tb in b_items:
            if ma & mb or (ma | mb) & must != must:
                continue
            best = max(best, (va + _value(inst, mb), -(ta + tb)))
    return best


def _value(inst: Instance, mask: int) -> int:
    return sum(p for i, p in enumerate(inst.prio) if mask >> i & 1)


def travel_s(route: routes.Route) -> float:
    return float(route.totals["travel_min"]) * 60


# ------------------------------------------------------------------ one team
CASES_ONE = [
    (seed, n, minutes, windows)
    for seed, n, minutes in [(0, 6, 60), (1, 8, 120), (2, 9, 150), (3, 10, 180), (4, 12, 240)]
    for windows in (False, True)
]


@pytest.mark.parametrize(
    ("seed", "n", "minutes", "windows"),
    CASES_ONE,
    ids=[f"s{s}-n{n}-{m}min-{'windows' if w else 'free'}" for s, n, m, w in CASES_ONE],
)
def test_one_team_reaches_the_optimum(seed: int, n: int, minutes: int, windows: bool) -> None:
    inst = make_instance(seed, n, windows=windows, must=windows, minutes=minutes)
    route = routes.plan_route(
        inst.frame(),
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=minutes,
        dwell_minutes=inst.dwell_s / 60,
    )
    value, neg_travel = optimum_one(
        inst, single_team(inst, base=(0.0, 0.0), horizon_s=minutes * 60)
    )
    assert route.params["optimal"] is True and route.params["solver"] == "exact"
    assert route.totals["priority_collected"] == pytest.approx(value)
    assert travel_s(route) == pytest.approx(-neg_travel, abs=1)
    assert 0 < route.totals["n_stops"] < n  # the instance forces a choice
    if windows:
        assert route.stops["must_visit"].any()


@pytest.mark.parametrize("seed", [5, 6, 7], ids=lambda s: f"seed{s}")
def test_one_team_with_a_stop_cap_reaches_the_optimum(seed: int) -> None:
    inst = make_instance(seed, 9, spread=600.0)
    route = routes.plan_route(
        inst.frame(),
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=200,
        dwell_minutes=inst.dwell_s / 60,
        max_stops=4,
    )
    best = single_team(inst, base=(0.0, 0.0), horizon_s=200 * 60, max_stops=4)
    value, neg_travel = optimum_one(inst, best)
    assert route.totals["n_stops"] == 4
    assert route.totals["priority_collected"] == pytest.approx(value)
    assert travel_s(route) == pytest.approx(-neg_travel, abs=1)


# ------------------------------------------------------------------ two teams
CASES_TWO = [
    (seed, n, (a, b), windows)
    for seed, n, a, b, windows in [
        (10, 6, 60, 90, False),
        (11, 8, 90, 120, True),
        (12, 9, 120, 120, False),
        (13, 10, 150, 100, True),
        (14, 12, 180, 120, False),
    ]
]


@pytest.mark.parametrize(
    ("seed", "n", "minutes", "windows"),
    CASES_TWO,
    ids=[f"s{s}-n{n}-{a}+{b}min-{'windows' if w else 'free'}" for s, n, (a, b), w in CASES_TWO],
)
def test_two_teams_reach_the_optimum(
    seed: int, n: int, minutes: tuple[int, int], windows: bool
) -> None:
    inst = make_instance(seed, n, windows=windows, must=windows, minutes=min(minutes))
    base_b = (700.0, -400.0)  # the second pair starts elsewhere and works a different shift
    teams = [
        routes.Team("A", latlon(*ORIGIN), SHIFT, minutes[0]),
        routes.Team("B", latlon(ORIGIN[0] + base_b[0], ORIGIN[1] + base_b[1]), SHIFT, minutes[1]),
    ]
    plan = routes.plan_routes(inst.frame(), teams=teams, dwell_minutes=inst.dwell_s / 60)
    a = single_team(inst, base=(0.0, 0.0), horizon_s=minutes[0] * 60)
    b = single_team(inst, base=base_b, horizon_s=minutes[1] * 60)
    value, neg_travel = optimum_two(inst, a, b)
    assert plan.params["optimal"] is True
    assert plan.totals["priority_collected"] == pytest.approx(value)
    assert sum(travel_s(r) for r in plan.routes) == pytest.approx(-neg_travel, abs=2)
    ids = [i for r in plan.routes for i in r.stops["id"]]
    assert len(ids) == len(set(ids))  # no place twice
    for r, minutes_k in zip(plan.routes, minutes, strict=True):
        assert r.end.time <= SHIFT + pd.Timedelta(minutes=minutes_k)


def test_exact_budget_falls_back_to_the_local_search() -> None:
    inst = make_instance(4, 12)
    kw = {"start": latlon(*ORIGIN), "shift_start": SHIFT, "shift_minutes": 240}
    small = routes.plan_route(inst.frame(), max_labels=50, **kw)
    assert small.params["solver"] == "local search" and small.params["optimal"] is False
    assert not small.params["safety_limit_fired"]
    exact = routes.plan_route(inst.frame(), **kw)
    assert exact.params["solver_stats"]["labels"] > 50
    assert small.totals["priority_collected"] <= exact.totals["priority_collected"] + 1e-9


def test_over_fifteen_candidates_use_the_local_search() -> None:
    inst = make_instance(8, 16)
    route = routes.plan_route(
        inst.frame(), start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=120
    )
    assert route.params["solver"] == "local search"
    assert route.params["solution_limit"] == 200
    # the largest exact size is a documented limit, not a silent one
    with pytest.raises(ValueError, match="exact_max_stops must be at most 20"):
        routes.plan_route(
            inst.frame(),
            start=latlon(*ORIGIN),
            shift_start=SHIFT,
            shift_minutes=120,
            exact_max_stops=21,
        )


def test_the_safety_net_reports_that_it_fired() -> None:
    rng = np.random.default_rng(9)
    xy = rng.uniform(-3000, 3000, (45, 2))
    cand = gpd.GeoDataFrame(
        {"priority": rng.gamma(2, 1, 45)},
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in xy],
        crs="EPSG:5514",
    )
    route = routes.plan_route(
        cand,
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=480,
        time_limit_s=0.02,
        solution_limit=10**6,
    )
    assert route.params["safety_limit_fired"] is True
    assert route.end.time <= SHIFT + pd.Timedelta(minutes=480)  # still a valid route


# ------------------------------------------------------------------ the same plan under load
_BURN = """
import multiprocessing as mp, time
def spin(seconds):
    end = time.time() + seconds
    x = 0
    while time.time() < end:
        x += 1
if __name__ == "__main__":
    with mp.Pool(2) as pool:
        pool.map(spin, [120, 120])
"""


def _signature(plan: routes.TeamPlan) -> list[tuple[str, list[str], list[str]]]:
    return [
        (r.team, r.stops["id"].tolist(), [t.isoformat() for t in r.stops["arrive"]])
        for r in plan.routes
    ]


@pytest.mark.slow
def test_same_plan_five_times_while_both_cores_are_busy() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(-3000, 3000, (30, 2))
    cand = gpd.GeoDataFrame(
        {"id": [f"h{i}" for i in range(30)], "priority": rng.gamma(2, 1, 30)},
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in xy],
        crs="EPSG:5514",
    )
    teams = [
        routes.Team("A", latlon(*ORIGIN), SHIFT, 240),
        routes.Team("B", latlon(ORIGIN[0] + 800, ORIGIN[1]), SHIFT, 240),
    ]
    small = make_instance(4, 12).frame()
    kw = {"revisit_interval_minutes": 60.0, "revisit_within_minutes": 120.0}
    idle_search = _signature(routes.plan_routes(cand, teams=teams, **kw))
    idle_exact = _signature(routes.plan_routes(small, teams=teams))
    burner = subprocess.Popen([sys.executable, "-c", _BURN])
    try:
        time.sleep(1.0)  # let both busy processes start
        for _ in range(5):
            loaded = routes.plan_routes(cand, teams=teams, **kw)
            assert not loaded.params["safety_limit_fired"]
            assert _signature(loaded) == idle_search
            assert _signature(routes.plan_routes(small, teams=teams)) == idle_exact
        assert burner.poll() is None  # the load lasted the whole test
    finally:
        burner.kill()
        burner.wait()
