"""A week for the dashboard: week choices, rosters, a shift's routes on a map, the files, a ZIP."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_routes_week import WEEK, history, rosters

from apk_geo import maps, route_maps, routes
from apk_geo.errors import InputFileError, ParameterError
from apk_geo.routes.teams import rosters_for_week, shift_times, week_choices
from apk_geo.routes.weekexport import (
    week_files,
    week_shift_routes,
    week_table_html,
    zip_bytes,
)
from apk_geo.testing import make_incidents


@pytest.fixture(scope="module")
def week() -> routes.WeekPlan:
    return routes.plan_week(make_incidents(history()), week=WEEK, teams=rosters(), n_places=10)


# ------------------------------------------------------------------ weeks and teams
@pytest.mark.parametrize(
    ("last_day", "first"),
    [
        (dt.date(2026, 11, 30), "2026-W49"),  # Monday: the rest of its week is still to come
        (dt.date(2026, 11, 29), "2026-W49"),  # Sunday: the next week
        (dt.date(2026, 12, 31), "2026-W53"),  # 1 January 2027 is in ISO week 2026-W53
        (dt.date(2027, 1, 3), "2027-W01"),
    ],
    ids=["monday", "sunday", "iso-53", "new-year"],
)
def test_week_choices_offer_the_week_after_the_data(last_day: dt.date, first: str) -> None:
    weeks, offered = week_choices(last_day, before=2, after=1)
    assert offered == first and weeks[2] == first and len(weeks) == 4
    mondays = [routes.parse_week(w) for w in weeks]  # every label is a real ISO week …
    assert all(b - a == pd.Timedelta(weeks=1) for a, b in itertools.pairwise(mondays))
    day_after = pd.Timestamp(last_day + dt.timedelta(days=1)).tz_localize("Europe/Prague")
    assert mondays[2] <= day_after < mondays[2] + pd.Timedelta(weeks=1)  # … holding that day


def test_shift_times_and_n_alike_teams() -> None:
    hours = shift_times("po-st", "20:00-02:00")  # a night shift past midnight
    assert [(s.weekday, s.start, s.minutes) for s in hours] == [
        (0, "20:00", 360.0),
        (1, "20:00", 360.0),
        (2, "20:00", 360.0),
    ]
    teams = rosters_for_week(start=(49.83, 18.28), start_name="Základna", days="po,pá", n=3)
    assert [r.name for r in teams] == ["Dvojice 1", "Dvojice 2", "Dvojice 3"]
    assert [r.colour for r in teams] == list(routes.TEAM_COLOURS[:3])
    assert all(r.start_name == "Základna" and len(r.shifts) == 2 for r in teams)
    shifts = routes.week_shifts(teams, week=WEEK)
    assert len(shifts) == 3 * 2
    assert {pd.Timestamp(s.shift_start).day_of_week for s in shifts} == {0, 4}
    with pytest.raises(ParameterError, match="whole number"):
        rosters_for_week(start=(49.83, 18.28), n=0)
    with pytest.raises(ParameterError):
        rosters_for_week(start=(49.83, 18.28), shift="8-14")


def test_a_teams_file_takes_the_forms_start_and_hours_where_it_has_none(tmp_path: Path) -> None:
    path = tmp_path / "dvojice.csv"
    path.write_text(
        "název;start;dny;směna\nSever;49.8400,18.2800;út;10:00-16:00\nJih;;;\n",
        encoding="utf-8",
    )
    teams = rosters_for_week(
        start=(49.83, 18.28), start_name="Magistrát", days="po", shift="08:00-12:00",
        teams_file=path,
    )  # fmt: skip
    north, south = teams
    assert north.start == (49.84, 18.28) and [s.weekday for s in north.shifts] == [1]
    assert north.shifts[0].start == "10:00"
    assert south.start == (49.83, 18.28) and south.start_name == "Magistrát"
    assert [(s.weekday, s.start, s.minutes) for s in south.shifts] == [(0, "08:00", 240.0)]
    with pytest.raises(InputFileError, match="teams file not found"):
        rosters_for_week(start=(49.83, 18.28), teams_file=tmp_path / "none.csv")


# ------------------------------------------------------------------ a shift on the map, files
def test_a_shifts_routes_draw_on_one_map_each_in_its_colour(week: routes.WeekPlan) -> None:
    shown = week_shift_routes(week, "2026-11-23T08:00")
    assert [r.team for r in shown] == ["A", "B"]
    page = maps.render_html(route_maps.route_map(shown))
    for route in shown:
        assert f'"color": "{route.colour}"' in page
    assert len({r.colour for r in shown}) == 2
    with pytest.raises(ParameterError, match="the week has no shift"):
        week_shift_routes(week, "2026-11-25T08:00")


def test_week_files_are_the_commands_files(week: routes.WeekPlan) -> None:
    files = week_files(week, lang="cs")
    team_shifts = [(s, r) for s in week.shifts for r in s.plan.routes]
    stems = [f"{r.start.time:%Y-%m-%d_%H%M}_{r.team.lower()}" for _, r in team_shifts]
    assert list(files) == [
        "plan.json",
        "table.csv",
        "table.html",
        *[f"{s}{ext}" for s in stems for ext in (".html", ".gpx")],
    ]
    assert json.loads(files["plan.json"]) == json.loads(json.dumps(routes.week_to_json(week)))
    csv = files["table.csv"]
    assert csv.startswith("\ufeff")  # Excel in Czech settings reads UTF-8 with the mark
    table = pd.read_csv(io.StringIO(csv[1:]), sep=";", dtype=str, keep_default_na=False)
    expected = routes.week_table(week)
    assert list(table.columns) == list(expected.columns)
    assert table.to_numpy().tolist() == expected.to_numpy().tolist()
    for stem, (_, route) in zip(stems, team_shifts, strict=True):
        gpx = ET.fromstring(files[f"{stem}.gpx"].encode("utf-8"))
        assert gpx.tag.endswith("gpx")
        assert files[f"{stem}.html"] == routes.to_html(route, lang="cs")


def test_week_table_html_is_escaped_and_titled(week: routes.WeekPlan) -> None:
    page = week_table_html(week, lang="en")
    assert WEEK == "2026-W48"
    assert "<h1>Weekly patrol plan – week 48 of 2026</h1>" in page
    assert "<h1>Týdenní plán hlídek – 48. týden 2026</h1>" in week_table_html(week, lang="cs")
    assert "<th>Date</th><th>Shift</th><th>Team</th>" in page
    assert page.count("<tr>") == 1 + sum(len(s.plan.routes) for s in week.shifts)
    assert "https://" not in page and "http://" not in page


def test_zip_bytes_hold_the_files_and_repeat_exactly() -> None:
    files = {"a.txt": "žluťoučký kůň", "b/c.gpx": "<gpx/>"}
    one = zip_bytes(files, folder="tyden")
    assert one == zip_bytes(files, folder="tyden")  # no clock in the archive
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert archive.namelist() == ["tyden/a.txt", "tyden/b/c.gpx"]
        assert archive.read("tyden/a.txt").decode("utf-8") == "žluťoučký kůň"


def test_places_left_uncovered_are_named(week: routes.WeekPlan) -> None:
    from dataclasses import replace

    from apk_geo.routes.weekexport import uncovered_names

    pid, name = str(week.places["id"].iloc[3]), str(week.places["name"].iloc[3])
    assert uncovered_names(replace(week, uncovered=(pid, "gone"))) == [name, "gone"]
    assert uncovered_names(week) == []
