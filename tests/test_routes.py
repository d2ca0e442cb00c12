"""Tests of apk_geo.routes: optimality on brute-forceable instances, schedules, exports."""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from apk_geo import routes
from apk_geo.cli import main
from apk_geo.errors import GeocodingError, RouteInfeasibleError, SchemaError

ORIGIN = (-470_000.0, -1_100_000.0)  # central Ostrava, EPSG:5514
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
SHIFT = pd.Timestamp("2026-11-24T08:00", tz="Europe/Prague")
GPX = "{http://www.topografix.com/GPX/1/1}"


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


def make_candidates(
    xy: list[tuple[float, float]], priority: list[float], **extra: list[object]
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [f"p{i}" for i in range(len(xy))],
            "name": [f"Place {i}" for i in range(len(xy))],
            "priority": priority,
            **extra,
        },
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in xy],
        crs="EPSG:5514",
    )


def brute_force(
    xy,
    priority,
    *,
    start,
    horizon_s,
    dwell_s,
    speed_kmh=4.5,
    detour=1.3,
    max_stops=None,
    windows=None,
):
    """Best (priority, -travel) over every order of every subset (independent of the planner)."""
    pts = [start, *xy]

    def t(a, b):
        d = math.dist(pts[a], pts[b]) * detour
        return math.ceil(d / (speed_kmh / 3.6) - 1e-9)

    best = (0.0, -t(0, 0), ())
    n = len(xy)
    for k in range(1, (max_stops or n) + 1):
        for order in itertools.permutations(range(1, n + 1), k):
            clock, prev, travel, ok = 0, 0, 0, True
            for node in order:
                clock += t(prev, node)
                travel += t(prev, node)
                if windows is not None:
                    lo, hi = windows[node - 1]
                    clock = max(clock, lo)
                    if clock > hi:
                        ok = False
                        break
                clock += dwell_s
                prev = node
            clock += t(prev, 0)
            travel += t(prev, 0)
            if not ok or clock > horizon_s:
                continue
            value = sum(priority[node - 1] for node in order)
            if (round(value, 9), -travel) > (round(best[0], 9), best[1]):
                best = (value, -travel, order)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2, 3], ids=lambda s: f"seed{s}")
def test_reaches_the_brute_force_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    xy = [tuple(v) for v in rng.uniform(-900, 900, (6, 2)).round(1)]
    prio = rng.integers(1, 10, 6).astype(float).tolist()
    cand = make_candidates(xy, prio)
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=75, dwell_minutes=10
    )
    value, neg_travel, order = brute_force(
        xy, prio, start=(0.0, 0.0), horizon_s=75 * 60, dwell_s=600
    )
    assert route.totals["priority_collected"] == pytest.approx(value)
    assert route.totals["travel_min"] * 60 == pytest.approx(-neg_travel, abs=1)
    assert 0 < len(order) < 6  # the instance forces a choice


def test_max_stops_and_time_windows_match_brute_force() -> None:
    xy = [(300, 0), (600, 0), (0, 500), (-400, -400), (100, 700)]
    prio = [5.0, 3.0, 4.0, 6.0, 2.0]
    windows_s = [(0, 3600), (1800, 2400), (0, 3600), (0, 900), (0, 3600)]
    cand = make_candidates(
        xy,
        prio,
        window_start=[None, "08:30", None, None, None],
        window_end=[None, "08:40", None, "08:15", None],
    )
    route = routes.plan_route(
        cand,
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=60,
        dwell_minutes=5,
        max_stops=3,
    )
    value, _, _ = brute_force(
        xy, prio, start=(0.0, 0.0), horizon_s=3600, dwell_s=300, max_stops=3, windows=windows_s
    )
    assert route.totals["priority_collected"] == pytest.approx(value)
    assert len(route.stops) <= 3
    for row in route.stops.itertuples():
        begin = row.arrive + pd.Timedelta(minutes=row.wait_min)
        lo, hi = windows_s[int(row.id[1:])]
        assert SHIFT + pd.Timedelta(seconds=lo) <= begin <= SHIFT + pd.Timedelta(seconds=hi)


def test_schedule_arithmetic_and_shift_end() -> None:
    rng = np.random.default_rng(7)
    xy = [tuple(v) for v in rng.uniform(-2000, 2000, (12, 2))]
    cand = make_candidates(xy, rng.uniform(0.5, 3, 12).tolist())
    end = (ORIGIN[0] + 500, ORIGIN[1] - 300)
    route = routes.plan_route(
        cand,
        start=latlon(*ORIGIN),
        end=latlon(*end),
        shift_start=SHIFT,
        shift_minutes=120,
        dwell_minutes=15,
    )
    speed = 4.5 / 3.6
    prev, clock = ORIGIN, SHIFT
    for row in route.stops.itertuples():
        here = (row.geometry.x, row.geometry.y)
        leg = math.dist(prev, here) * 1.3
        assert row.leg_distance_m == pytest.approx(leg, abs=0.1)
        assert row.arrive == clock + pd.Timedelta(seconds=math.ceil(leg / speed - 1e-9))
        assert row.depart == row.arrive + pd.Timedelta(minutes=row.wait_min + 15)
        prev, clock = here, row.depart
    back = math.ceil(math.dist(prev, end) * 1.3 / speed - 1e-9)
    assert route.end.time == clock + pd.Timedelta(seconds=back)
    assert route.end.time <= SHIFT + pd.Timedelta(minutes=120)
    assert route.totals["duration_min"] == pytest.approx(
        (route.end.time - SHIFT).total_seconds() / 60, abs=0.005
    )
    # straight legs: the drawn path times the detour factor is the distance walked
    assert route.totals["distance_m"] == pytest.approx(route.line.length.iloc[0] * 1.3, abs=0.2)
    assert set(route.not_visited) == set(cand["id"]) - set(route.stops["id"])


def test_same_input_gives_the_same_route() -> None:
    rng = np.random.default_rng(3)
    xy = [tuple(v) for v in rng.uniform(-3000, 3000, (25, 2))]
    cand = make_candidates(xy, rng.gamma(2, 1, 25).tolist())
    kw = {"start": latlon(*ORIGIN), "shift_start": SHIFT, "shift_minutes": 240}
    a, b = routes.plan_route(cand, **kw), routes.plan_route(cand, **kw)
    assert a.stops["id"].tolist() == b.stops["id"].tolist()
    assert a.stops["arrive"].tolist() == b.stops["arrive"].tolist()
    # 25 candidates: the local search, ended by its solution count, not by the clock
    assert a.params["solver"] == "local search"
    assert a.params["safety_limit_fired"] is False


def test_revisit_comes_no_sooner_than_the_interval() -> None:
    # three places near the base and a long shift: every place can be visited twice
    cand = make_candidates([(100, 0), (-500, 0), (0, 600)], [10.0, 1.0, 1.0])
    route = routes.plan_route(
        cand,
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=180,
        dwell_minutes=15,
        revisit_interval_minutes=90,
        revisit_value=0.5,
    )
    for pid in ("p0", "p1", "p2"):
        hot = route.stops[route.stops["id"] == pid]
        assert hot["visit"].tolist() == [1, 2]
        begin = hot["arrive"] + pd.to_timedelta(hot["wait_min"], unit="min")
        assert begin.iloc[1] - begin.iloc[0] >= pd.Timedelta(minutes=90)
    assert route.totals["priority_collected"] == pytest.approx(1.5 * (10 + 1 + 1))
    assert route.end.time <= SHIFT + pd.Timedelta(minutes=180)
    without = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=180, dwell_minutes=15
    )
    assert without.stops["id"].is_unique


def test_must_visit_is_kept_or_reported() -> None:
    cand = make_candidates([(200, 0), (2500, 0)], [5.0, 0.1], must_visit=[False, True])
    # p1: 3250 m each way at 75 m/min = 2 x 43.3 min + 10 min dwell = 96.7 min
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=100, dwell_minutes=10
    )
    assert route.stops["id"].tolist() == ["p1"]  # p0 (priority 5) no longer fits
    with pytest.raises(RouteInfeasibleError, match=r"must-visit place\(s\) \['p1'\]"):
        routes.plan_route(
            cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=95, dwell_minutes=10
        )


def test_start_to_end_longer_than_the_shift() -> None:
    cand = make_candidates([(0, 0)], [1.0])
    with pytest.raises(RouteInfeasibleError, match="longer than the 30-min shift"):
        routes.plan_route(
            cand,
            start=latlon(*ORIGIN),
            end=latlon(ORIGIN[0] + 5000, ORIGIN[1]),
            shift_start=SHIFT,
            shift_minutes=30,
        )


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (make_candidates([(0, 0)], [1.0]).drop(columns="priority"), "missing column"),
        (make_candidates([(0, 0)], [-1.0]), "finite number >= 0"),
        (make_candidates([(0, 0), (5, 5)], [1.0, 2.0]).assign(id=["a", "a"]), "unique"),
    ],
    ids=["no-priority", "negative", "duplicate-id"],
)
def test_bad_candidates_are_refused(frame: gpd.GeoDataFrame, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        routes.plan_route(frame, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=60)


def test_bad_options_are_refused() -> None:
    cand = make_candidates([(0, 0)], [1.0])
    with pytest.raises(ValueError, match="latitude first"):
        routes.plan_route(cand, start=(95.0, 18.29), shift_start=SHIFT, shift_minutes=60)
    with pytest.raises(ValueError, match="speed_kmh must be a finite number > 0"):
        routes.plan_route(
            cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=60, speed_kmh=0
        )
    with pytest.raises(ValueError, match="detour_factor"):
        routes.plan_route(
            cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=60, detour_factor=0.5
        )


def test_input_is_not_mutated_and_crs_is_kept_for_stops() -> None:
    cand = make_candidates([(100, 0), (0, 100)], [1.0, 2.0]).to_crs("EPSG:4326")
    before = cand.copy()
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start="2026-11-24 08:00", shift_minutes=60
    )
    pd.testing.assert_frame_equal(cand, before)
    assert route.stops.crs.to_epsg() == 5514
    assert list(route.stops.columns) == list(routes.STOP_COLUMNS)
    assert str(route.stops["arrive"].dt.tz) == "Europe/Prague"


# ------------------------------------------------------------------ street network
def _l_shaped_streets(tmp_path):
    # streets: from the base east 1000 m, then north 1000 m; no diagonal
    x0, y0 = ORIGIN
    lines = [
        LineString([(x0, y0), (x0 + 1000, y0)]),
        LineString([(x0 + 1000, y0), (x0 + 1000, y0 + 1000)]),
    ]
    path = tmp_path / "streets.gpkg"
    gpd.GeoDataFrame(geometry=lines, crs="EPSG:5514").to_file(path)
    return path


def test_network_distances_follow_the_streets(tmp_path) -> None:
    path = _l_shaped_streets(tmp_path)
    cand = make_candidates([(1000, 1000)], [1.0])
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=90, network=path
    )
    assert route.stops["leg_distance_m"].iloc[0] == pytest.approx(2000, abs=0.5)
    assert route.totals["distance_m"] == pytest.approx(4000, abs=1)
    corner = Point(ORIGIN[0] + 1000, ORIGIN[1])
    assert route.line.geometry.iloc[0].distance(corner) < 0.5  # the path turns at the corner
    assert route.params["detour_factor"] is None


def test_graphml_network(tmp_path) -> None:
    g = nx.Graph(crs="EPSG:5514")
    x0, y0 = ORIGIN
    g.add_node("a", x=x0, y=y0)
    g.add_node("b", x=x0 + 1000, y=y0)
    g.add_node("c", x=x0 + 1000, y=y0 + 1000)
    g.add_edge("a", "b", length=1000.0)
    g.add_edge("b", "c", length=1500.0)  # a winding street: longer than straight
    path = tmp_path / "streets.graphml"
    nx.write_graphml(g, path)
    net = routes.load_network(path)
    assert net.n_nodes == 3
    route = routes.plan_route(
        make_candidates([(1000, 1000)], [1.0]),
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=120,
        network=net,
    )
    assert route.stops["leg_distance_m"].iloc[0] == pytest.approx(2500, abs=0.5)


# ------------------------------------------------------------------ exports
@pytest.fixture(scope="module")
def small_route() -> routes.Route:
    cand = make_candidates(
        [(300, 0), (300, 300), (0, 400)],
        [3.0, 2.0, 1.0],
        name=["Hostel <Dům>", "Škola & hřiště", "Zastávka"],
    )
    return routes.plan_route(cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=90)


def test_json_schema(small_route: routes.Route) -> None:
    data = json.loads(json.dumps(routes.route_to_json(small_route)))
    assert set(data) == {
        "version",
        "team",
        "colour",
        "shift",
        "start",
        "end",
        "stops",
        "totals",
        "not_visited",
        "params",
    }
    assert len(data["stops"]) == 3
    for stop in data["stops"]:
        assert {"id", "name", "arrive", "depart", "priority", "lat", "lon"} <= set(stop)
        assert pd.Timestamp(stop["arrive"]) < pd.Timestamp(stop["depart"])
        assert 49.8 < stop["lat"] < 49.9 and 18.2 < stop["lon"] < 18.4
    assert {"distance_m", "duration_min", "priority_collected"} <= set(data["totals"])
    assert data["totals"]["priority_collected"] == pytest.approx(6.0)
    assert data["totals"]["coverage_share"] == pytest.approx(1.0)


def test_gpx_parses_and_carries_the_stops(small_route: routes.Route) -> None:
    root = ET.fromstring(routes.to_gpx(small_route).encode("utf-8"))
    assert root.tag == f"{GPX}gpx" and root.attrib["version"] == "1.1"
    tags = [child.tag for child in root]
    assert tags[0] == f"{GPX}metadata"
    assert tags[-1] == f"{GPX}trk"
    wpts = root.findall(f"{GPX}wpt")
    assert len(wpts) == 3 + 2
    names = [w.findtext(f"{GPX}name") for w in wpts]
    assert names[1:4] == [f"{i}. {n}" for i, n in enumerate(small_route.stops["name"], start=1)]
    assert [w.findtext(f"{GPX}type") for w in wpts] == ["start", "stop", "stop", "stop", "end"]
    for w, row in zip(wpts[1:4], small_route.stops.itertuples(), strict=True):
        assert float(w.attrib["lat"]) == pytest.approx(row.lat, abs=1e-6)
        assert [c.tag for c in w] == [f"{GPX}{t}" for t in ("time", "name", "desc", "type")]
    trkpts = root.findall(f"{GPX}trk/{GPX}trkseg/{GPX}trkpt")
    assert len(trkpts) == len(small_route.line.geometry.iloc[0].coords)


def test_geojson_for_maps(small_route: routes.Route) -> None:
    fc = routes.route_to_geojson(small_route)
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds == ["route", "start", "stop", "stop", "stop", "end"]
    assert fc["features"][0]["geometry"]["type"] == "LineString"
    assert [f["properties"]["order"] for f in fc["features"][2:5]] == [1, 2, 3]


def test_html_is_self_contained_and_escaped(small_route: routes.Route) -> None:
    html = routes.to_html(small_route)
    assert "Hostel &lt;Dům&gt;" in html and "<Dům>" not in html
    assert "Škola &amp; hřiště" in html
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert html.count("http") == html.count('xmlns="http://www.w3.org/2000/svg"')
    assert "<svg" in html and "Trasa hlídky" in html
    assert "Patrol route" in routes.to_html(small_route, lang="en")


# ------------------------------------------------------------------ shift candidates
def _cells() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"cell_id": [0, 1, 2]},
        geometry=[
            box(ORIGIN[0] + 100 * i, ORIGIN[1], ORIGIN[0] + 100 * (i + 1), ORIGIN[1] + 100)
            for i in range(3)
        ],
        crs="EPSG:5514",
    )


def _incidents(times: list[str], cells: list[int]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "reported_at": pd.to_datetime(times).tz_localize("Europe/Prague"),
            "district_name": ["Vítkovice"] * len(times),
        },
        geometry=[Point(ORIGIN[0] + 100 * c + 50, ORIGIN[1] + 50) for c in cells],
        crs="EPSG:5514",
    )


def test_shift_expected_matches_hand_values() -> None:
    # shift: Tuesday 2026-11-24 08:00-10:00. Cell 0: two incidents on Tuesdays at 9:xx, 1 and 3
    # weeks before; cell 2: one on a Sunday night 2 weeks before. Half-life 2 weeks.
    inc = _incidents(["2026-11-17 09:15", "2026-11-03 09:40", "2026-11-08 23:00"], [0, 0, 2])
    out = routes.shift_expected(
        inc,
        _cells(),
        shift_start="2026-11-24T08:00",
        shift_minutes=120,
        recent_weeks=2.0,
        prior_strength=0.0,
        spatial="counts",
    )
    age = weeks_before(["2026-11-17 09:15", "2026-11-03 09:40", "2026-11-08 23:00"])
    w = 0.5 ** (age / 2)
    span = age.max()  # weeks from the oldest incident to the shift start
    eff = 2 / math.log(2) * (1 - 0.5 ** (span / 2))
    np.testing.assert_allclose(out["weekly_rate"], [(w[0] + w[1]) / eff, 0, w[2] / eff])
    # no shrinkage: cell 0's whole profile lies in Tuesday 9-10, inside the shift
    np.testing.assert_allclose(out["shift_share"], [1.0, city_share(w), 0.0], atol=1e-12)
    np.testing.assert_allclose(out["expected_shift"], out["weekly_rate"] * out["shift_share"])
    assert out.attrs["params"]["effective_weeks"] == pytest.approx(eff)


def weeks_before(times: list[str]) -> np.ndarray:
    return np.array(
        [(SHIFT - pd.Timestamp(t, tz="Europe/Prague")) / pd.Timedelta(weeks=1) for t in times]
    )


def city_share(w: np.ndarray) -> float:
    # an empty cell takes the city profile: Tuesday 8-10 holds the two Tuesday incidents
    return float((w[0] + w[1] + 2 * 0.5) / (w.sum() + 168 * 0.5))


def test_shift_profile_shrinks_towards_the_city() -> None:
    inc = _incidents(["2026-11-17 09:15", "2026-11-16 20:00"], [0, 1])
    out = routes.shift_expected(
        inc,
        _cells(),
        shift_start="2026-11-24T08:00",
        shift_minutes=60,
        recent_weeks=1000.0,
        prior_strength=1.0,
        spatial="counts",
    )
    w = 0.5 ** (weeks_before(["2026-11-17 09:15", "2026-11-16 20:00"]) / 1000)
    city_8 = 0.5 / (w.sum() + 84)  # Tuesday 8-9: no incident, pseudo-count only
    assert out["shift_share"].iloc[0] == pytest.approx((0 + city_8) / (w[0] + 1))


def test_shift_candidates_schema_and_no_future_data() -> None:
    inc = _incidents(
        ["2026-11-17 09:15", "2026-11-10 09:40", "2026-11-08 23:00", "2026-11-25 09:00"],
        [0, 0, 2, 1],
    )
    cand = routes.shift_candidates(
        inc, _cells(), shift_start="2026-11-24T08:00", shift_minutes=120, top_n=5, spatial="counts"
    )
    assert list(cand.columns) == [
        "id",
        "name",
        "priority",
        "cell_id",
        "weekly_rate",
        "shift_share",
        "expected_shift",
        "geometry",
    ]
    assert cand["cell_id"].tolist() == [0, 2]  # cell 1 only has an incident after the shift
    assert cand["priority"].is_monotonic_decreasing
    assert cand["name"].iloc[0] == "Vítkovice · 0"
    assert cand.geometry.iloc[0].equals(_cells().geometry.iloc[0].centroid)
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start="2026-11-24T08:00", shift_minutes=120
    )
    assert sorted(route.stops["id"]) == ["cell-0", "cell-2"]


def test_shift_candidates_with_forecast() -> None:
    rng = np.random.default_rng(5)
    days = rng.uniform(1, 120, 80)
    times = [str(SHIFT.tz_localize(None) - pd.Timedelta(days=float(d))) for d in days]
    cells = rng.choice([0, 0, 0, 1, 2], 80).tolist()
    cand = routes.shift_candidates(
        _incidents(times, cells), _cells(), shift_start=SHIFT, shift_minutes=240, top_n=2
    )
    assert len(cand) == 2 and cand["cell_id"].iloc[0] == 0
    assert cand.attrs["params"]["spatial"] == "forecast"
    assert cand.attrs["params"]["weekly_rate_total"] > 0


# ------------------------------------------------------------------ command line
def test_cli_writes_json_gpx_html(tmp_path, capsys) -> None:
    cand = make_candidates([(300, 0), (300, 300), (0, 400)], [3.0, 2.0, 1.0]).to_crs(4326)
    cpath = tmp_path / "cand.geojson"
    cand.to_file(cpath, driver="GeoJSON")
    lat, lon = latlon(*ORIGIN)
    out, gpx, html = tmp_path / "r.json", tmp_path / "r.gpx", tmp_path / "r.html"
    code = main(
        [
            "route",
            "--candidates",
            str(cpath),
            "--start",
            f"{lat},{lon}",
            "--shift-minutes",
            "90",
            "--shift-start",
            "2026-11-24T08:00",
            "--max-stops",
            "2",
            "--out",
            str(out),
            "--gpx",
            str(gpx),
            "--html",
            str(html),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["stops"]] == ["p0", "p1"] or [s["id"] for s in data["stops"]] == [
        "p1",
        "p0",
    ]
    assert ET.fromstring(gpx.read_bytes()).attrib["version"] == "1.1"
    assert "<svg" in html.read_text(encoding="utf-8")
    assert json.loads(capsys.readouterr().out)["totals"]["n_stops"] == 2


def test_cli_reports_bad_start(tmp_path, capsys) -> None:
    cpath = tmp_path / "cand.geojson"
    make_candidates([(0, 0)], [1.0]).to_crs(4326).to_file(cpath, driver="GeoJSON")
    code = main(
        [
            "route",
            "--candidates",
            str(cpath),
            "--start",
            "north",
            "--shift-minutes",
            "60",
            "--shift-start",
            "2026-11-24T08:00",
            "--out",
            str(tmp_path / "r.json"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--start: 'north' není LAT,LON" in err and "adresních bodech" in err  # Czech default


def test_route_map_draws_numbered_escaped_stops_offline(small_route: routes.Route) -> None:
    from apk_geo import maps, route_maps

    page = maps.render_html(route_maps.route_map(small_route, synthetic=True))
    assert "Hostel &lt;Dům&gt;" in page
    assert "Hostel <Dům>" not in page
    assert page.count("L.divIcon(") == 3 + 2  # stops, start and end
    assert "Start 08:00" in page and "Cíl " in page
    for order in (1, 2, 3):  # folium writes the icon HTML as a JSON string: < and > as \u003c/e
        assert f"\\u003e{order}\\u003c/div\\u003e" in page
    assert maps.external_urls(page) == []


def test_resolve_point_reads_coordinates_and_addresses(tmp_path) -> None:
    from apk_geo.errors import GeocodingError
    from apk_geo.geocode import load_ruian_csv

    assert routes.resolve_point(" 49.8353 , 18.2920 ") == (49.8353, 18.292)
    with pytest.raises(GeocodingError, match="needs a gazetteer"):
        routes.resolve_point("30. dubna 635/35")
    with pytest.raises(GeocodingError, match="not a latitude, longitude"):
        routes.resolve_point("149.8, 18.2")
    # the Magistrát, from its published position (49.8413 N, 18.2893 E) in RÚIAN's sign rule
    from pyproj import Transformer

    e, n = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True).transform(
        18.2893, 49.8413
    )
    header = (
        "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
        "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
        "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
    )
    row = (
        f"3182860;554821;Ostrava;545911;Moravská Ostrava a Přívoz;;;413721;Moravská Ostrava;"
        f"1;30. dubna;č.p.;635;35;;70200;{-e:.2f};{-n:.2f};2013-12-01T00:00:00"
    )
    f = tmp_path / "adr.csv"
    f.write_bytes(f"{header}\n{row}\n".encode("cp1250"))
    lat, lon = routes.resolve_point("30. dubna 635/35", gazetteer=load_ruian_csv(f))
    assert lat == pytest.approx(49.8413, abs=1e-4) and lon == pytest.approx(18.2893, abs=1e-4)
    with pytest.raises(GeocodingError, match="not found"):
        routes.resolve_point("Neexistující 5", gazetteer=load_ruian_csv(f))


@pytest.mark.browser
def test_cli_prints_the_route_sheet_to_pdf(tmp_path) -> None:
    import subprocess

    cand = make_candidates([(300, 0), (300, 300)], [3.0, 2.0], name=["Škola", "Hřiště"])
    cpath = tmp_path / "cand.geojson"
    cand.to_crs(4326).to_file(cpath, driver="GeoJSON")
    lat, lon = latlon(*ORIGIN)
    pdf = tmp_path / "r.pdf"
    args = ["route", "--candidates", str(cpath), "--start", f"{lat},{lon}"]
    args += ["--shift-minutes", "90", "--shift-start", "2026-11-24T08:00"]
    assert main([*args, "--out", str(tmp_path / "r.json"), "--pdf", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Trasa hlídky" in text and "Škola" in text and "Hřiště" in text


# ------------------------------------------------------------------ revisits and must-visits
@pytest.mark.slow
def test_allowing_revisits_never_collects_less() -> None:
    # the benchmark instance on which revisits used to score lower than no revisits
    rng = np.random.default_rng(42)
    xy = [tuple(v) for v in rng.uniform(-3000, 3000, (50, 2))]
    cand = make_candidates(xy, rng.gamma(2.0, 1.0, 50).tolist())
    # a generous time budget: the solution limit ends both searches, as in the defaults
    kw = {"start": latlon(*ORIGIN), "shift_start": SHIFT, "shift_minutes": 480}
    without = routes.plan_route(cand, time_limit_s=60, **kw)
    revisits = routes.plan_route(cand, time_limit_s=60, revisit_interval_minutes=120, **kw)
    assert "time limit" not in revisits.params["solver_status"]
    got, base = revisits.totals["priority_collected"], without.totals["priority_collected"]
    assert got >= base - 1e-9
    assert revisits.end.time <= SHIFT + pd.Timedelta(minutes=480)


def test_must_visit_window_outside_the_shift_is_refused() -> None:
    # a school at the start of lessons (07:35-07:50) and a shift from 08:00: it used to be
    # visited at 08:0x as if the window did not exist
    cand = make_candidates(
        [(200, 0), (400, 0)],
        [5.0, 0.1],
        must_visit=[False, True],
        window_start=[None, "07:35"],
        window_end=[None, "07:50"],
    )
    with pytest.raises(RouteInfeasibleError, match=r"07:35–07:50, which does not overlap"):
        routes.plan_route(cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=100)
    early = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start="2026-11-24T07:30", shift_minutes=100
    )
    school = early.stops[early.stops["id"] == "p1"].iloc[0]
    begin = school["arrive"] + pd.Timedelta(minutes=school["wait_min"])
    assert pd.Timestamp("2026-11-24T07:35", tz="Europe/Prague") <= begin
    assert begin <= pd.Timestamp("2026-11-24T07:50", tz="Europe/Prague")


def test_night_shift_window_after_midnight() -> None:
    cand = make_candidates(
        [(300, 0)], [1.0], must_visit=[True], window_start=["01:30"], window_end=["01:45"]
    )
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start="2026-11-24T22:00", shift_minutes=480
    )
    begin = route.stops["arrive"].iloc[0] + pd.Timedelta(minutes=route.stops["wait_min"].iloc[0])
    assert begin == pd.Timestamp("2026-11-25T01:30", tz="Europe/Prague")


def test_parse_places_and_add_them_to_candidates() -> None:
    lat, lon = latlon(ORIGIN[0] + 300, ORIGIN[1])
    places = routes.parse_places(
        [f"Škola | {lat:.6f}, {lon:.6f} | 08:20-08:30", "", f"Ubytovna | {lat:.6f},{lon:.6f}"]
    )
    assert places["id"].tolist() == ["must-1", "must-2"]
    assert places["name"].tolist() == ["Škola", "Ubytovna"]
    assert places["window_start"].tolist()[0] == "08:20" and pd.isna(places["window_end"][1])
    assert places["must_visit"].all() and (places["priority"] == 0).all()
    cand = make_candidates([(0, 500)], [2.0])
    both = routes.add_places(cand, places.iloc[:1])
    assert both.crs == cand.crs and len(both) == 2 and len(cand) == 1
    assert both["must_visit"].tolist() == [False, True]
    # six decimals of a degree are about 0.1 m
    assert both.geometry.iloc[1].distance(Point(ORIGIN[0] + 300, ORIGIN[1])) < 0.2
    for bad, message in (("Škola", "expected 'NAME"), ("Š | 49.8,18.2 | 8 am", "not HH:MM")):
        with pytest.raises(GeocodingError, match=message):
            routes.parse_places([bad])


def test_cli_must_visit_with_a_window(tmp_path) -> None:
    cpath = tmp_path / "cand.geojson"
    make_candidates([(300, 0), (300, 300)], [3.0, 2.0]).to_crs(4326).to_file(
        cpath, driver="GeoJSON"
    )
    slat, slon = latlon(*ORIGIN)
    plat, plon = latlon(ORIGIN[0] - 400, ORIGIN[1])
    out = tmp_path / "r.json"
    args = ["route", "--candidates", str(cpath), "--start", f"{slat},{slon}"]
    args += ["--shift-minutes", "120", "--shift-start", "2026-11-24T08:00", "--out", str(out)]
    args += ["--must-visit", f"ZŠ | {plat:.6f},{plon:.6f} | 09:00-09:10"]
    assert main(args) == 0
    stops = json.loads(out.read_text(encoding="utf-8"))["stops"]
    school = next(s for s in stops if s["name"] == "ZŠ")
    begin = pd.Timestamp(school["arrive"]) + pd.Timedelta(minutes=school["wait_min"])
    assert pd.Timestamp("2026-11-24T09:00", tz="Europe/Prague") <= begin
    assert begin <= pd.Timestamp("2026-11-24T09:10", tz="Europe/Prague")
    assert school["must_visit"] is True


def test_candidate_names_carry_the_cell_id_once() -> None:
    assert (
        routes._candidate_name("Vítkovice – SVL Sirotčí", 3844) == "Vítkovice – SVL Sirotčí · 3844"
    )
    assert routes._candidate_name("Lhotka – čtverec 5929", 5929) == "Lhotka – čtverec 5929"
    assert routes._candidate_name(None, 7) == "cell 7"
