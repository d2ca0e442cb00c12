"""Several teams: teams files, days and shifts, plans that never put two teams on one stop."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from apk_geo import routes
from apk_geo.cli import main
from apk_geo.errors import InputFileError, ParameterError, RouteInfeasibleError

ORIGIN = (-470_000.0, -1_100_000.0)
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
SHIFT = pd.Timestamp("2026-11-24T08:00", tz="Europe/Prague")  # a Tuesday


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


def scatter(n: int, seed: int, spread: float = 2500.0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-spread, spread, (n, 2))
    return gpd.GeoDataFrame(
        {"id": [f"h{i}" for i in range(n)], "priority": rng.gamma(2.0, 1.0, n)},
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in xy],
        crs="EPSG:5514",
    )


# ------------------------------------------------------------------ days, shifts, weeks
@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("po-pá", (0, 1, 2, 3, 4)),
        ("Po, St, Pá", (0, 2, 4)),
        ("út čt", (1, 3)),
        ("mon-wed,sat", (0, 1, 2, 5)),
        ("pá-po", (0, 4, 5, 6)),  # a range over the weekend
        ("denně", tuple(range(7))),
        ("", tuple(range(7))),
    ],
    ids=["weekdays", "list", "spaces", "english", "weekend-range", "daily", "empty"],
)
def test_parse_days(text: str, days: tuple[int, ...]) -> None:
    assert routes.parse_days(text) == days


def test_parse_shift_week_and_their_errors() -> None:
    assert routes.parse_shift("8:00-14:30") == ("08:00", 390.0)
    assert routes.parse_shift("22:00–06:00") == ("22:00", 480.0)  # a night shift
    assert routes.parse_week("2026-W48") == pd.Timestamp("2026-11-23", tz="Europe/Prague")
    assert routes.parse_week("2026W01") == pd.Timestamp("2025-12-29", tz="Europe/Prague")
    with pytest.raises(ParameterError, match="not HH:MM-HH:MM"):
        routes.parse_shift("8-14")
    with pytest.raises(ParameterError, match="not a day name"):
        routes.parse_days("po-xx")
    with pytest.raises(ParameterError, match="does not exist"):
        routes.parse_week("2026-W54")
    with pytest.raises(ParameterError, match="is not YYYY-Www"):
        routes.parse_week("48/2026")


# ------------------------------------------------------------------ teams files
def test_read_a_czech_csv_teams_file(tmp_path: Path) -> None:
    slat, slon = latlon(*ORIGIN)
    path = tmp_path / "tymy.csv"
    path.write_text(
        "Název;Začátek;Cíl;Pohyb;Dny;Směna;Barva\n"
        f"Dvojice A;{slat:.6f},{slon:.6f};;pěšky;po-pá;08:00-14:00;\n"
        f"Dvojice B;{slat:.6f},{slon:.6f};;autem;po,st;14:00-20:00;#112233\n",
        encoding="cp1250",
    )
    a, b = routes.read_teams(path)
    assert (a.name, a.mode, b.mode) == ("Dvojice A", "foot", "car")
    assert [s.weekday for s in a.shifts] == [0, 1, 2, 3, 4]
    assert [(s.weekday, s.start, s.minutes) for s in b.shifts] == [
        (0, "14:00", 360.0),
        (2, "14:00", 360.0),
    ]
    assert a.colour == routes.TEAM_COLOURS[0] and b.colour == "#112233"
    assert a.start == pytest.approx((slat, slon)) and a.end is None
    assert "s. š." in a.start_name  # coordinates without a gazetteer: named by coordinates
    tuesday = SHIFT.date()
    assert b.on(tuesday) == []  # B works Mondays and Wednesdays
    (team,) = a.on(tuesday)
    assert team.shift_start == SHIFT and team.shift_minutes == 360.0


def test_read_a_toml_teams_file_with_shifts_per_day(tmp_path: Path) -> None:
    slat, slon = latlon(*ORIGIN)
    path = tmp_path / "teams.toml"
    path.write_text(
        "[[team]]\n"
        'name = "Noční"\n'
        f'start = "{slat},{slon}"\n'
        'mode = "foot"\n'
        'shifts = ["pá-so 22:00-06:00", "ne 20:00-23:00"]\n',
        encoding="utf-8",
    )
    (night,) = routes.read_teams(path)
    assert [(s.weekday, s.start, s.minutes) for s in night.shifts] == [
        (4, "22:00", 480.0),
        (5, "22:00", 480.0),
        (6, "20:00", 180.0),
    ]
    week = routes.week_shifts([night], week="2026-W48")
    assert [pd.Timestamp(t.shift_start).isoformat() for t in week] == [
        "2026-11-27T22:00:00+01:00",
        "2026-11-28T22:00:00+01:00",
        "2026-11-29T20:00:00+01:00",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name;start;mode\nA;49.8,18.2;kolo\n", r"team 1: mode 'kolo'"),
        ("name;start;shift\nA;49.8,18.2;8 to 14\n", r"team 1: shift '8 to 14'"),
        ("name;start\nA;Neexistující 5\n", r"team 1: .*needs a gazetteer"),
        ("name;start;colour\nA;49.8,18.2;red\n", r"team 1: colour 'red'"),
        ("name;start\nA;49.8,18.2\nA;49.8,18.3\n", r"team names must differ"),
    ],
    ids=["mode", "shift", "address", "colour", "duplicate"],
)
def test_bad_teams_files_name_the_row(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "teams.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        routes.read_teams(path)


# ------------------------------------------------------------------ plans of several teams
def _begins(route: routes.Route) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    return [
        (str(r.id), r.arrive + pd.Timedelta(minutes=r.wait_min), r.depart)
        for r in route.stops.itertuples()
    ]


def test_no_two_teams_on_one_stop_at_one_time() -> None:
    teams = [
        routes.Team("A", latlon(*ORIGIN), SHIFT, 240),
        routes.Team("B", latlon(ORIGIN[0] + 900, ORIGIN[1] - 300), SHIFT, 240),
        routes.Team("C", latlon(ORIGIN[0] - 900, ORIGIN[1] + 300), SHIFT, 240),
    ]
    plan = routes.plan_routes(
        scatter(30, 1), teams=teams, revisit_interval_minutes=60, revisit_within_minutes=120
    )
    visits: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, str]]] = {}
    for route in plan.routes:
        for pid, begin, depart in _begins(route):
            visits.setdefault(pid, []).append((begin, depart, route.team))
    assert any(len(v) == 2 for v in visits.values())  # revisits happen …
    for pid, times in visits.items():
        assert len(times) <= 2, pid
        if len(times) == 2:
            (b1, d1, _), (b2, _, _) = sorted(times)
            # … never at once: the second starts 60-120 min after the first, after it left
            assert pd.Timedelta(minutes=60) <= b2 - b1 <= pd.Timedelta(minutes=120)
            assert b2 >= d1
    assert plan.totals["n_teams"] == 3
    assert plan.totals["n_stops"] == sum(len(r.stops) for r in plan.routes)
    assert [r.colour for r in plan.routes] == list(routes.TEAM_COLOURS[:3])


def test_a_revisit_is_not_the_same_stop_prolonged() -> None:
    # one hot place by the base and two far ones: waiting at the hot place for its second
    # visit would collect the most, but a revisit must come back after another stop
    cand = gpd.GeoDataFrame(
        {"id": ["hot", "far1", "far2"], "priority": [10.0, 0.5, 0.5]},
        geometry=[
            Point(ORIGIN[0] + 100, ORIGIN[1]),
            Point(ORIGIN[0] + 2000, ORIGIN[1]),
            Point(ORIGIN[0] - 2000, ORIGIN[1]),
        ],
        crs="EPSG:5514",
    )
    route = routes.plan_route(
        cand,
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=150,
        revisit_interval_minutes=30,
        revisit_top_n=3,
    )
    ids = route.stops["id"].tolist()
    assert ids.count("hot") == 2
    assert all(a != b for a, b in itertools.pairwise(ids))


def test_teams_keep_their_own_hours_speed_and_end() -> None:
    car_end = (ORIGIN[0] + 1500, ORIGIN[1])
    teams = [
        routes.Team("pěší", latlon(*ORIGIN), SHIFT, 120),
        routes.Team(
            "vůz",
            latlon(*ORIGIN),
            SHIFT + pd.Timedelta(hours=1),
            90,
            mode="car",
            end=latlon(*car_end),
        ),
    ]
    plan = routes.plan_routes(scatter(25, 2, spread=4000), teams=teams)
    foot, car = plan.routes
    assert foot.start.time == SHIFT and foot.end.time <= SHIFT + pd.Timedelta(minutes=120)
    assert car.start.time == SHIFT + pd.Timedelta(hours=1)
    assert car.end.time <= SHIFT + pd.Timedelta(minutes=150)
    assert (car.end.lat, car.end.lon) == pytest.approx(latlon(*car_end), abs=1e-7)
    assert car.params["speed_kmh"] == 25.0 and foot.params["speed_kmh"] == 4.5
    for route, speed in ((foot, 4.5), (car, 25.0)):
        clock = route.start.time
        assert len(route.stops) > 0
        for row in route.stops.itertuples():
            leg = math.ceil(row.leg_distance_m / (speed / 3.6) - 1e-9)
            assert row.arrive == clock + pd.Timedelta(seconds=leg)
            clock = row.depart


def test_a_must_visit_goes_to_the_team_on_duty_then() -> None:
    cand = scatter(8, 3, spread=800).assign(
        must_visit=[True] + [False] * 7,
        window_start=["11:10"] + [None] * 7,
        window_end=["11:30"] + [None] * 7,
    )
    teams = [
        routes.Team("ranní", latlon(*ORIGIN), SHIFT, 150),  # 08:00-10:30
        routes.Team("polední", latlon(*ORIGIN), SHIFT + pd.Timedelta(hours=3), 120),  # 11-13
    ]
    plan = routes.plan_routes(cand, teams=teams)
    morning, noon = plan.routes
    assert "h0" in noon.stops["id"].tolist() and "h0" not in morning.stops["id"].tolist()


def test_team_errors_name_the_team() -> None:
    cand = scatter(3, 4)
    with pytest.raises(RouteInfeasibleError, match="team 'B': going from start to end"):
        routes.plan_routes(
            cand,
            teams=[
                routes.Team("A", latlon(*ORIGIN), SHIFT, 60),
                routes.Team(
                    "B", latlon(*ORIGIN), SHIFT, 30, end=latlon(ORIGIN[0] + 5000, ORIGIN[1])
                ),
            ],
        )
    with pytest.raises(ParameterError, match="team names must differ"):
        routes.plan_routes(cand, teams=[routes.Team("A", latlon(*ORIGIN), SHIFT, 60)] * 2)
    with pytest.raises(ParameterError, match="teams is empty"):
        routes.plan_routes(cand, teams=[])


# ------------------------------------------------------------------ command line
def _candidate_file(tmp_path: Path) -> Path:
    path = tmp_path / "cand.geojson"
    scatter(12, 5, spread=1200).to_crs(4326).to_file(path, driver="GeoJSON")
    return path


def test_cli_plans_n_teams_with_a_file_per_team(tmp_path: Path) -> None:
    lat, lon = latlon(*ORIGIN)
    out = tmp_path / "plan.json"
    code = main(
        [
            "route",
            "--candidates",
            str(_candidate_file(tmp_path)),
            "--start",
            f"{lat},{lon}",
            "--teams",
            "2",
            "--shift-start",
            "2026-11-24T08:00",
            "--shift-minutes",
            "90",
            "--out",
            str(out),
            "--gpx",
            str(tmp_path / "r.gpx"),
            "--html",
            str(tmp_path / "r.html"),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [t["team"] for t in data["teams"]] == ["Dvojice 1", "Dvojice 2"]
    assert data["params"]["optimal"] is True  # 12 candidates: solved exactly
    for team in ("dvojice-1", "dvojice-2"):
        assert (tmp_path / f"r-{team}.gpx").read_text(encoding="utf-8").startswith("<?xml")
        assert "Trasa hlídky" in (tmp_path / f"r-{team}.html").read_text(encoding="utf-8")
    ids = [s["id"] for t in data["teams"] for s in t["stops"]]
    assert len(ids) == len(set(ids))


def test_cli_plans_the_teams_of_a_file_on_a_date(tmp_path: Path, capsys) -> None:
    lat, lon = latlon(*ORIGIN)
    teams = tmp_path / "teams.csv"
    teams.write_text(
        "name,start,mode,days,shift\n"
        f'Ranní,"{lat},{lon}",foot,po-pá,08:00-10:00\n'
        f'Víkend,"{lat},{lon}",foot,so-ne,08:00-10:00\n'
        f'Odpolední,"{lat},{lon}",car,út,13:00-15:00\n',
        encoding="utf-8",
    )
    out = tmp_path / "plan.json"
    code = main(
        [
            "route",
            "--candidates",
            str(_candidate_file(tmp_path)),
            "--teams",
            str(teams),
            "--date",
            "2026-11-24",
            "--out",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [t["team"] for t in data["teams"]] == ["Ranní", "Odpolední"]  # no weekend team
    assert [t["shift"]["start"][11:16] for t in data["teams"]] == ["08:00", "13:00"]
    assert json.loads(capsys.readouterr().out)["files"]["out"] == str(out)
    code = main(
        [
            "route",
            "--candidates",
            str(_candidate_file(tmp_path)),
            "--teams",
            str(teams),
            "--date",
            "2026-11-29",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert [t["team"] for t in json.loads(out.read_text(encoding="utf-8"))["teams"]] == ["Víkend"]
