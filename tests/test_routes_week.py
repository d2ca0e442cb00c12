"""A week for several teams: slots, risky hours, revisits, the fairness rule and the outputs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from apk_geo import routes
from apk_geo.testing import make_incidents, make_store

ORIGIN = (-470_000.0, -1_100_000.0)
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
WEEK = "2026-W48"  # Monday 23 November 2026
MONDAY = pd.Timestamp("2026-11-23")
# hot spots (metres from ORIGIN) and when they are hot: (weekday, first hour, last hour)
SPOTS = {
    "morning": ((300.0, 200.0), (0, 8, 11)),  # Monday mornings
    "afternoon": ((-900.0, 700.0), (1, 14, 17)),  # Tuesday afternoons
    "always": ((800.0, -600.0), None),  # every day, all day
}


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


def history(seed: int = 0) -> list[dict[str, object]]:
    """Eight weeks of incidents before the week: three hot spots with their hours, and noise."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for (dx, dy), when in SPOTS.values():
        for _ in range(120):
            week = int(rng.integers(1, 9))
            if when is None:
                day, hour = int(rng.integers(0, 7)), int(rng.integers(7, 20))
            else:
                day, hour = when[0], int(rng.integers(when[1], when[2] + 1))
            t = (
                MONDAY
                - pd.Timedelta(weeks=week)
                + pd.Timedelta(days=day, hours=hour, minutes=int(rng.integers(60)))
            )
            rows.append(
                {
                    "x_5514": ORIGIN[0] + dx + rng.normal(0, 60),
                    "y_5514": ORIGIN[1] + dy + rng.normal(0, 60),
                    "reported_at": str(t),
                }
            )
    for _ in range(400):
        t = MONDAY - pd.Timedelta(days=float(rng.uniform(1, 56)))
        rows.append(
            {
                "x_5514": ORIGIN[0] + rng.uniform(-2500, 2500),
                "y_5514": ORIGIN[1] + rng.uniform(-2500, 2500),
                "reported_at": str(t),
            }
        )
    return rows


def rosters() -> list[routes.TeamRoster]:
    base = latlon(*ORIGIN)
    hours = (routes.ShiftTime(0, "08:00", 240), routes.ShiftTime(1, "08:00", 240))
    late = (routes.ShiftTime(0, "14:00", 240), routes.ShiftTime(1, "14:00", 240))
    return [
        routes.TeamRoster("A", base, start_name="Základna", shifts=hours),
        routes.TeamRoster("B", latlon(ORIGIN[0] + 400, ORIGIN[1]), shifts=hours),
        routes.TeamRoster("C", base, mode="car", shifts=late),
    ]


@pytest.fixture(scope="module")
def week() -> routes.WeekPlan:
    return routes.plan_week(make_incidents(history()), week=WEEK, teams=rosters(), n_places=10)


def spot_place(plan: routes.WeekPlan, name: str) -> str:
    """Return the id of the place nearest a hot spot."""
    (dx, dy), _ = SPOTS[name]
    d = plan.places.geometry.distance(Point(ORIGIN[0] + dx, ORIGIN[1] + dy))
    return str(plan.places["id"].iloc[int(d.to_numpy().argmin())])


def test_overlapping_shifts_are_planned_together(week: routes.WeekPlan) -> None:
    assert routes.shift_keys(week) == [
        "2026-11-23T08:00",
        "2026-11-23T14:00",
        "2026-11-24T08:00",
        "2026-11-24T14:00",
    ]
    assert [[r.team for r in s.plan.routes] for s in week.shifts] == [
        ["A", "B"],
        ["C"],
        ["A", "B"],
        ["C"],
    ]
    for shift in week.shifts:
        ids = [
            (i, v)
            for r in shift.plan.routes
            for i, v in zip(r.stops["id"], r.stops["visit"], strict=True)
        ]
        assert len(ids) == len(set(ids))  # one team per place and visit
        for r in shift.plan.routes:
            assert shift.start <= r.start.time and r.end.time <= shift.end


def test_places_weigh_most_in_their_risky_hours(week: routes.WeekPlan) -> None:
    morning, afternoon = spot_place(week, "morning"), spot_place(week, "afternoon")
    by_key = {s.key: s for s in week.shifts}
    mon_am, tue_pm = by_key["2026-11-23T08:00"], by_key["2026-11-24T14:00"]
    assert mon_am.expected[morning] == max(s.expected[morning] for s in week.shifts)
    assert tue_pm.expected[afternoon] == max(s.expected[afternoon] for s in week.shifts)
    assert tue_pm.expected[afternoon] > 5 * by_key["2026-11-23T14:00"].expected[afternoon]
    visited = {i for r in tue_pm.plan.routes for i in r.stops["id"]}
    assert afternoon in visited and morning in {
        i for r in mon_am.plan.routes for i in r.stops["id"]
    }


def test_revisits_come_within_one_to_two_hours(week: routes.WeekPlan) -> None:
    seen = 0
    for shift in week.shifts:
        starts: dict[str, list[pd.Timestamp]] = {}
        for r in shift.plan.routes:
            for row in r.stops.itertuples():
                starts.setdefault(str(row.id), []).append(
                    row.arrive + pd.Timedelta(minutes=row.wait_min)
                )
        for times in starts.values():
            if len(times) == 2:
                seen += 1
                gap = abs(times[1] - times[0])
                assert pd.Timedelta(minutes=60) <= gap <= pd.Timedelta(minutes=120)
    assert seen > 0


@pytest.mark.slow
def test_every_place_is_covered_when_the_shifts_can_fit_it() -> None:
    # no diminishing returns: only the fairness rule spreads the visits
    plan = routes.plan_week(
        make_incidents(history()),
        week=WEEK,
        teams=rosters(),
        n_places=14,
        repeat_factor=1.0,
        revisit_interval_minutes=None,
    )
    assert plan.uncovered == ()
    assert (plan.places["n_shifts"] >= 1).all()
    fair = routes.week_to_json(plan)["fairness"]
    assert fair["covered"] == fair["places"] == 14


def test_fairness_adds_places_the_plan_left_out_and_reports_the_rest() -> None:
    # one pair, two short shifts at the same hours: the same hot places would win both days
    pair = [
        routes.TeamRoster(
            "A",
            latlon(*ORIGIN),
            shifts=(routes.ShiftTime(0, "08:00", 120), routes.ShiftTime(1, "08:00", 120)),
        )
    ]
    plan = routes.plan_week(
        make_incidents(history()),
        week=WEEK,
        teams=pair,
        n_places=6,
        repeat_factor=1.0,
        revisit_interval_minutes=None,
    )
    forced = [(s, pid) for s in plan.shifts for pid in s.forced]
    assert forced, "the fairness rule had nothing to do: make the instance harder"
    for shift, pid in forced:  # a forced place is a must-visit of its slot
        assert any((r.stops["id"] == pid).any() for r in shift.plan.routes)
    unvisited = set(plan.places.loc[plan.places["n_shifts"] == 0, "id"])
    assert set(plan.uncovered) == unvisited  # whatever stays out is reported, nothing silently
    fair = routes.week_to_json(plan)["fairness"]
    assert fair["forced"] == len(forced) and fair["covered"] == 6 - len(unvisited)


def test_week_table_json_and_map_layers(week: routes.WeekPlan) -> None:
    table = routes.week_table(week)
    assert list(table.columns[:3]) == ["Datum", "Směna", "Tým"]
    assert list(table.columns[3:]) == week.places["name"].tolist()
    assert len(table) == sum(len(s.plan.routes) for s in week.shifts) == 6
    assert table.iloc[0, :3].tolist() == ["po 23. 11.", "08:00–12:00", "A"]
    english = routes.week_table(week, lang="en")
    assert english.iloc[0, 0].endswith(" 23 Nov")  # the one date style, without the year
    first = week.shifts[0].plan.routes[0]
    names = dict(zip(week.places["id"], week.places["name"], strict=True))
    for row in first.stops.itertuples():
        begin = row.arrive + pd.Timedelta(minutes=row.wait_min)
        assert f"{begin:%H:%M}" in table.loc[0, names[row.id]]
    # a team's shift per row: a slot of two teams may visit a place in two rows (a revisit)
    rows_visiting = (table.iloc[:, 3:] != "").sum(axis=0).to_numpy()
    slots_visiting = week.places["n_shifts"].to_numpy()
    assert (rows_visiting >= slots_visiting).all()
    assert ((rows_visiting > 0) == (slots_visiting > 0)).all()
    assert routes.week_table(week, lang="en").columns[0] == "Date"
    data = json.loads(json.dumps(routes.week_to_json(week)))
    assert data["week"] == WEEK and len(data["shifts"]) == 4 and len(data["places"]) == 10
    assert data["shifts"][0]["teams"][0]["start"]["name"] == "Základna"
    layers = routes.week_map_layers(week, "2026-11-23T08:00")
    assert [(x["team"], x["colour"]) for x in layers] == [
        ("A", routes.TEAM_COLOURS[0]),
        ("B", routes.TEAM_COLOURS[1]),
    ]
    fc = routes.week_shift_geojson(week, "2026-11-23T08:00")
    assert {f["properties"]["team"] for f in fc["features"]} == {"A", "B"}
    labels = routes.shift_labels(week)
    assert labels["2026-11-24T14:00"] == "út 24. 11. 14:00–18:00"
    with pytest.raises(ValueError, match="the week has no shift"):
        routes.week_shift_geojson(week, "2026-11-25T08:00")


@pytest.mark.slow
def test_plan_week_command_writes_plan_table_and_sheets(tmp_path: Path, capsys) -> None:
    from apk_geo._cli import plan_week

    store = make_store(tmp_path / "s.gpkg", history())
    teams = tmp_path / "teams.toml"
    lat, lon = latlon(*ORIGIN)
    teams.write_text(
        '[[team]]\nname = "Dvojice A"\n'
        f'start = "{lat},{lon}"\ndays = "po-út"\nshift = "08:00-11:00"\n',
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser()
    plan_week.register(parser.add_subparsers())
    out = tmp_path / "week"
    args = parser.parse_args(
        [
            "plan-week",
            "--store",
            str(store.path),
            "--week",
            WEEK,
            "--teams",
            str(teams),
            "--out-dir",
            str(out),
            "--places",
            "6",
            "--json",
        ]
    )
    assert args.func(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["shifts"] == 2 and summary["places"] == 6
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [s["key"] for s in data["shifts"]] == ["2026-11-23T08:00", "2026-11-24T08:00"]
    table = (out / "table.csv").read_text(encoding="utf-8-sig").splitlines()
    assert table[0].startswith("Datum;Směna;Tým;") and len(table) == 3
    for stem in ("2026-11-23_0800_dvojice-a", "2026-11-24_0800_dvojice-a"):
        assert "Trasa hlídky" in (out / f"{stem}.html").read_text(encoding="utf-8")
        assert "<rte>" in (out / f"{stem}.gpx").read_text(encoding="utf-8")
    assert "<table>" in (out / "table.html").read_text(encoding="utf-8")
