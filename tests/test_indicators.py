"""Dashboard logic: the selection (apk_geo.selection) and what pages show (apk_geo.indicators)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from apk_geo import indicators, selection, trends
from apk_geo.errors import SchemaError

TZ = "Europe/Prague"


def _incidents(rows: list[tuple[str, str, str, str, str]]) -> gpd.GeoDataFrame:
    """rows: (local time, category, outcome, district, mdt_area)."""
    times = pd.to_datetime([r[0] for r in rows]).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {
            "reported_at": times,
            "category": [r[1] for r in rows],
            "outcome": [r[2] for r in rows],
            "district_name": [r[3] for r in rows],
            "mdt_area": [r[4] for r in rows],
            "svl_name": ["S1" if i % 2 == 0 else None for i in range(len(rows))],
            "hostel_name": ["H1"] * len(rows),
            "in_hostel_buffer": [i < 2 for i in range(len(rows))],
        },
        geometry=[Point(-470000 + 10 * i, -1100000) for i in range(len(rows))],
        crs="EPSG:5514",
    )


MOAP, PORUBA = "Moravská Ostrava a Přívoz", "Poruba"


@pytest.fixture
def inc() -> gpd.GeoDataFrame:
    # June 2024 (the 30 days up to 30 June): 6 incidents; 1–31 May window: 3 more.
    return _incidents(
        [
            ("2024-06-30 23:30", "dogs", "resolved_on_spot", MOAP, "A"),  # Sunday, last day
            ("2024-06-10 08:00", "dogs", "patrol_called", MOAP, "A"),  # Monday
            ("2024-06-11 09:15", "alcohol", "resolved_on_spot", PORUBA, "B"),  # Tuesday
            ("2024-06-12 22:00", "alcohol", "patrol_called", PORUBA, "B"),  # Wednesday
            ("2024-06-01 00:00", "littering", "referred", MOAP, "A"),  # Saturday, first day
            ("2024-06-15 12:00", "dogs", "resolved_on_spot", MOAP, "A"),  # Saturday
            ("2024-05-31 23:59", "dogs", "no_action", MOAP, "A"),  # previous period, last minute
            ("2024-05-02 00:00", "dogs", "resolved_on_spot", PORUBA, "B"),  # previous, first day
            ("2024-05-01 23:59", "dogs", "resolved_on_spot", PORUBA, "B"),  # outside both periods
            ("2023-06-20 10:00", "dogs", "resolved_on_spot", MOAP, "A"),  # a year earlier
        ]
    )


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("7d", date(2024, 6, 24), date(2024, 6, 30)),
        ("30d", date(2024, 6, 1), date(2024, 6, 30)),
        ("90d", date(2024, 4, 2), date(2024, 6, 30)),
        ("this_month", date(2024, 6, 1), date(2024, 6, 30)),
        ("last_month", date(2024, 5, 1), date(2024, 5, 31)),
    ],
    ids=["7d", "30d", "90d", "this_month", "last_month"],
)
def test_preset_range(preset: selection.Preset, start: date, end: date) -> None:
    assert selection.preset_range(preset, today=date(2024, 6, 30)) == (start, end)


def test_preset_last_month_across_year_and_custom_rejected() -> None:
    assert selection.preset_range("last_month", today=date(2024, 1, 5)) == (
        date(2023, 12, 1),
        date(2023, 12, 31),
    )
    with pytest.raises(ValueError, match="no fixed range"):
        selection.preset_range("custom", today=date(2024, 1, 5))


def test_previous_period_has_equal_length() -> None:
    assert selection.previous_period(date(2024, 6, 1), date(2024, 6, 30)) == (
        date(2024, 5, 2),
        date(2024, 5, 31),
    )
    assert selection.previous_period(date(2024, 3, 5), date(2024, 3, 5)) == (
        date(2024, 3, 4),
        date(2024, 3, 4),
    )


def test_filter_dates_are_inclusive_local_days(inc: gpd.GeoDataFrame) -> None:
    f = selection.Filters(start=date(2024, 6, 1), end=date(2024, 6, 30), preset="custom")
    out = selection.filter_incidents(inc, f)
    assert len(out) == 6  # 1 June 00:00 and 30 June 23:30 included, 31 May 23:59 not
    assert len(inc) == 10  # input untouched


def test_filter_by_category_outcome_district_weekday_hour(inc: gpd.GeoDataFrame) -> None:
    base = {"start": date(2024, 6, 1), "end": date(2024, 6, 30), "preset": "custom"}
    assert (
        len(selection.filter_incidents(inc, selection.Filters(**base, categories=("dogs",)))) == 3
    )
    assert (
        len(selection.filter_incidents(inc, selection.Filters(**base, outcomes=("patrol_called",))))
        == 2
    )
    assert len(selection.filter_incidents(inc, selection.Filters(**base, districts=(PORUBA,)))) == 2
    assert len(selection.filter_incidents(inc, selection.Filters(**base, mdt_areas=("A",)))) == 4
    assert len(selection.filter_incidents(inc, selection.Filters(**base, weekdays=(5, 6)))) == 3
    assert len(selection.filter_incidents(inc, selection.Filters(**base, hours=(8, 12)))) == 3


def test_kpis_by_hand(inc: gpd.GeoDataFrame) -> None:
    f = selection.Filters(start=date(2024, 6, 1), end=date(2024, 6, 30), preset="30d")
    k = indicators.compute_kpis(inc, f)
    # 6 now, 2 in 2–31 May: +200 %; 3 of 6 resolved on the spot, 2 of 6 with a patrol
    assert (k.n, k.n_previous) == (6, 2)
    assert k.change_pct == pytest.approx(200.0)
    assert k.share_resolved == pytest.approx(0.5)
    assert k.share_patrol == pytest.approx(1 / 3)


def test_kpis_empty_and_no_previous(inc: gpd.GeoDataFrame) -> None:
    k = indicators.compute_kpis(
        inc, selection.Filters(start=date(2020, 1, 1), end=date(2020, 1, 31), preset="custom")
    )
    assert k == indicators.Kpis(0, 0, None, None, None)


def test_filters_validate() -> None:
    with pytest.raises(ValueError, match="after end"):
        selection.Filters(start=date(2024, 2, 1), end=date(2024, 1, 1))
    with pytest.raises(ValueError, match="hours"):
        selection.Filters(hours=(5, 24))
    with pytest.raises(ValueError, match="preset"):
        selection.Filters(preset="year")


def test_naive_times_are_refused(inc: gpd.GeoDataFrame) -> None:
    naive = inc.assign(reported_at=inc["reported_at"].dt.tz_localize(None))
    with pytest.raises(SchemaError, match="tz-aware"):
        selection.filter_incidents(naive, selection.Filters())


def test_trend_table_month_by_category_zero_filled(inc: gpd.GeoDataFrame) -> None:
    out = indicators.trend_table(
        inc, freq="month", by="category", start=date(2024, 4, 1), end=date(2024, 6, 30)
    )
    assert list(out.columns) == ["period", "category", "n"]
    assert out["n"].dtype == "int64"
    # 3 months × 3 categories seen in the data
    assert len(out) == 9
    got = out.set_index(["period", "category"])["n"]
    assert got[(pd.Timestamp("2024-06-01"), "dogs")] == 3
    assert got[(pd.Timestamp("2024-05-01"), "dogs")] == 3
    assert got[(pd.Timestamp("2024-04-01"), "alcohol")] == 0
    assert out["n"].sum() == 9  # the 2023 incident is outside the range


def test_trend_table_week_total_matches_pandas(inc: gpd.GeoDataFrame) -> None:
    out = indicators.trend_table(inc, freq="week")
    ref = inc["reported_at"].dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time.value_counts()
    got = out.set_index("period")["n"]
    assert got.sum() == len(inc)
    for period, n in ref.items():
        assert got[period] == n
    assert (out["period"].dt.day_of_week == 0).all()  # weeks start on Monday
    assert out["period"].diff().dropna().eq(pd.Timedelta(days=7)).all()


def test_weekday_hour_table(inc: gpd.GeoDataFrame) -> None:
    tab = indicators.weekday_hour_table(inc)
    assert tab.shape == (7, 24)
    assert tab.to_numpy().sum() == len(inc)
    assert tab.loc[6, 23] == 1  # Sunday 30 June 23:30
    assert tab.loc[0, 8] == 1  # Monday 10 June 08:00


def test_year_on_year(inc: gpd.GeoDataFrame) -> None:
    out = indicators.year_on_year(inc, month=pd.Period("2024-06", freq="M"))
    row = out.set_index("category").loc["dogs"]
    assert (row["n"], row["n_year_before"], row["diff"]) == (3, 1, 2)
    assert out.iloc[0]["category"] == "dogs"


def test_latest_complete_month(inc: gpd.GeoDataFrame) -> None:
    assert selection.latest_complete_month(inc) == pd.Period("2024-06", freq="M")
    shorter = inc[inc["reported_at"] < pd.Timestamp("2024-06-20", tz=TZ)]
    assert selection.latest_complete_month(shorter) == pd.Period("2024-05", freq="M")
    assert selection.latest_complete_month(inc.iloc[:0]) is None


def test_select_area(inc: gpd.GeoDataFrame) -> None:
    assert len(selection.select_area(inc, kind="city")) == 10
    assert len(selection.select_area(inc, kind="district", name=PORUBA)) == 4
    assert len(selection.select_area(inc, kind="svl", name="S1")) == 5
    assert len(selection.select_area(inc, kind="hostel", name="H1")) == 2  # inside the buffer only
    with pytest.raises(ValueError, match="name is required"):
        selection.select_area(inc, kind="svl")


def test_query_round_trip() -> None:
    f = selection.Filters(
        start=date(2024, 3, 1),
        end=date(2024, 3, 9),
        preset="custom",
        categories=("dogs", "alcohol"),
        districts=(MOAP,),
        weekdays=(0, 6),
        hours=(6, 18),
    )
    q = selection.filters_to_query(f)
    assert q["cat"] == "dogs,alcohol" and q["from"] == "2024-03-01" and q["h"] == "6-18"
    assert selection.filters_from_query(q, today=date(2024, 6, 30)) == f


def test_query_preset_and_bad_values(caplog: pytest.LogCaptureFixture) -> None:
    q = {"preset": "7d", "cat": "dogs,unknown", "wd": "1,9,x", "h": "25-3"}
    f = selection.filters_from_query(
        q, today=date(2024, 6, 30), allowed={"categories": ["dogs", "alcohol"]}
    )
    assert (f.start, f.end) == (date(2024, 6, 24), date(2024, 6, 30))
    assert f.categories == ("dogs",)
    assert f.weekdays == (1,)
    assert f.hours == (3, 23)
    assert "unknown" in caplog.text
    bad = selection.filters_from_query({"preset": "custom", "from": "x"}, today=date(2024, 6, 30))
    assert bad.preset == "30d"


def test_query_custom_range_is_clipped_to_the_data() -> None:
    span = (date(2024, 1, 1), date(2024, 6, 30))
    q = {"preset": "custom", "from": "2000-01-01", "to": "2024-03-31"}
    f = selection.filters_from_query(q, today=date(2024, 6, 30), span=span)
    assert (f.preset, f.start, f.end) == ("custom", date(2024, 1, 1), date(2024, 3, 31))
    outside = {"preset": "custom", "from": "2030-01-01", "to": "2030-02-01"}
    f = selection.filters_from_query(outside, today=date(2024, 6, 30), span=span)
    assert (f.preset, f.start, f.end) == ("30d", date(2024, 6, 1), date(2024, 6, 30))


def test_export_frame_writes_as_geojson_gpkg_and_csv(tmp_path: Path) -> None:
    clusters = gpd.GeoDataFrame(
        {
            "label": ["shluk 1"],
            "date_from": pd.to_datetime(["2024-05-20 10:00"]).tz_localize(TZ),
            "top_categories": [["dogs", "alcohol"]],
        },
        geometry=[box(-470000, -1100000, -469000, -1099000)],
        crs="EPSG:5514",
    )
    out = indicators.export_frame(clusters)
    assert out.crs.to_epsg() == 4326
    assert out["date_from"].iloc[0] == "2024-05-20T10:00:00+02:00"
    assert json.loads(out["top_categories"].iloc[0]) == ["dogs", "alcohol"]
    feature = json.loads(out.to_json())["features"][0]
    assert feature["properties"]["label"] == "shluk 1"
    out.to_file(tmp_path / "x.gpkg", driver="GPKG")
    assert len(gpd.read_file(tmp_path / "x.gpkg")) == 1
    assert isinstance(clusters["date_from"].dtype, pd.DatetimeTZDtype)  # input untouched


def test_hotspot_table_orders_and_labels() -> None:
    cells = gpd.GeoDataFrame(
        {
            "cell_id": [0, 1, 2, 3],
            "n": [5, 9, 1, 7],
            "hotspot_class": [2, 3, 0, 3],
            "gi_z": [2.1, 3.5, 0.1, 3.1],
        },
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(20, 0, 30, 10), box(30, 0, 40, 10)],
        crs="EPSG:5514",
    )
    districts = gpd.GeoDataFrame(
        {"NAZEV": ["West", "East"]},
        geometry=[box(0, 0, 20, 10), box(20, 0, 40, 10)],
        crs="EPSG:5514",
    )
    out = indicators.hotspot_table(cells, top=5, districts=districts)
    assert out["rank"].tolist() == [1, 2, 3]
    assert out["n"].tolist() == [9, 7, 5]  # class 3 by z, then class 2; class 0 dropped
    assert out["label"].tolist() == ["West – čtverec 1", "East – čtverec 3", "West – čtverec 0"]
    assert list(out.columns[:3]) == ["rank", "label", "n"]
    np.testing.assert_array_equal(cells["n"], [5, 9, 1, 7])  # input untouched


def test_complete_month_until() -> None:
    assert selection.complete_month_until(date(2024, 6, 30)) == pd.Period("2024-06", freq="M")
    assert selection.complete_month_until(date(2024, 6, 29)) == pd.Period("2024-05", freq="M")
    assert selection.complete_month_until(date(2024, 2, 29)) == pd.Period("2024-02", freq="M")
    assert selection.complete_month_until(date(2024, 1, 1)) == pd.Period("2023-12", freq="M")


def test_reference_month_follows_the_filter_end_capped_by_the_data(inc: gpd.GeoDataFrame) -> None:
    last30 = selection.Filters(*selection.preset_range("30d", today=date(2024, 6, 30)))
    assert selection.reference_month(inc, last30) == pd.Period("2024-06", freq="M")
    mid_june = selection.Filters(date(2024, 6, 1), date(2024, 6, 15), preset="custom")
    assert selection.reference_month(inc, mid_june) == pd.Period("2024-05", freq="M")
    # a range past the data ends with the data: June is complete (data up to 30 June)
    past = selection.Filters(date(2024, 6, 1), date(2024, 7, 20), preset="custom")
    assert selection.reference_month(inc, past) == pd.Period("2024-06", freq="M")
    assert selection.reference_month(inc.iloc[:0], last30) is None


def test_filter_history_drops_only_the_start(inc: gpd.GeoDataFrame) -> None:
    last30 = selection.Filters(
        *selection.preset_range("30d", today=date(2024, 6, 30)), districts=(PORUBA,)
    )
    assert len(selection.filter_incidents(inc, last30)) == 2  # 11 and 12 June
    # Poruba at any time up to 30 June: 1 and 2 May too
    assert sorted(selection.filter_history(inc, last30)["reported_at"].dt.day.tolist()) == [
        1,
        2,
        11,
        12,
    ]
    until = selection.filter_history(inc, last30, until=date(2024, 5, 31))
    assert sorted(until["reported_at"].dt.day.tolist()) == [1, 2]


def test_evaluation_data_trains_on_the_history(inc: gpd.GeoDataFrame) -> None:
    last30 = selection.Filters(*selection.preset_range("30d", today=date(2024, 6, 30)))
    found = indicators.evaluation_data(inc, last30)
    assert found is not None
    points, month = found
    assert month == pd.Period("2024-06", freq="M")
    # all 10 incidents: 6 in the test month, 4 before it for training (the 30-day filter
    # alone would leave none)
    assert len(points) == 10
    before = points["reported_at"] < pd.Timestamp("2024-06-01", tz=TZ)
    assert int(before.sum()) == 4
    mid_june = selection.Filters(date(2024, 6, 1), date(2024, 6, 15), preset="custom")
    points, month = indicators.evaluation_data(inc, mid_june) or (None, None)
    assert month == pd.Period("2024-05", freq="M")
    assert points is not None and len(points) == 4  # up to 31 May only: 31, 2 and 1 May, 2023
    assert indicators.evaluation_data(inc.iloc[:0], last30) is None


def test_run_hotspots_trend_comes_from_the_history() -> None:
    # 12 months, 6 incidents a month in one corner cell; the "filtered" points are the last month
    rng = np.random.default_rng(0)
    times = [
        pd.Timestamp(2023, m, d, 12, tz=TZ) for m in range(1, 13) for d in (3, 8, 12, 17, 21, 26)
    ]
    xy = rng.uniform(0, 90, size=(len(times), 2))
    pts = gpd.GeoDataFrame(
        {"reported_at": times},
        geometry=[Point(-470000 + x, -1100000 + y) for x, y in xy],
        crs="EPSG:5514",
    )
    area = gpd.GeoDataFrame(geometry=[box(-470000, -1100000, -469500, -1099500)], crs="EPSG:5514")
    last = pts[pts["reported_at"] >= pd.Timestamp("2023-12-01", tz=TZ)]
    run = indicators.run_hotspots(last, method="gistar", area=area, cell_size_m=100, history=pts)
    em = run.params["emerging"]
    assert isinstance(em, dict)
    assert em["n_points"] == 72 and em["period"] == "M"  # the whole year, monthly
    short = indicators.run_hotspots(last, method="gistar", area=area, cell_size_m=100)
    em_short = short.params["emerging"]
    assert isinstance(em_short, dict) and em_short["n_points"] == 6
    # the counts and Gi* are those of the filtered month either way
    assert run.cells is not None and int(run.cells["n"].sum()) == 6


def test_status_table() -> None:
    summary = {
        "store": "var/demo.gpkg",
        "incidents": 12,
        "sources": ["apk", "mp"],
        "date_from": "2024-01-01T05:04:00+01:00",
        "date_to": "2024-06-30T23:39:00+02:00",
        "last_imports": [{"file": "x.csv"}],
        "synthetic": True,
    }
    out = indicators.status_table(summary)
    assert out.to_numpy().tolist() == [
        ["store", "var/demo.gpkg"],
        ["incidents", "12"],
        ["sources", "apk, mp"],
        ["date_from", "1. 1. 2024 05:04"],
        ["date_to", "30. 6. 2024 23:39"],
        ["synthetic", "ano"],
    ]
    english = indicators.status_table({**summary, "incidents": 12345}, lang="en")
    assert dict(english.to_numpy().tolist())["date_to"] == "30 Jun 2024 23:39"
    assert dict(english.to_numpy().tolist())["incidents"] == "12,345"
    assert dict(english.to_numpy().tolist())["synthetic"] == "yes"


# --- issue 11: the area analysed, readable tables, complete trend periods, synthetic labels ---


def _grid(counts: list[list[int]], *, size: float = 100.0) -> gpd.GeoDataFrame:
    """A square grid (rows north to south) with counts ``n`` and cell_id in reading order."""
    cells, n = [], []
    for r, row in enumerate(counts):
        for c, value in enumerate(row):
            x, y = -470000 + c * size, -1100000 - r * size
            cells.append(box(x, y - size, x + size, y))
            n.append(value)
    frame = gpd.GeoDataFrame({"cell_id": range(len(n)), "n": n}, geometry=cells, crs="EPSG:5514")
    frame.attrs["params"] = {"cell_size_m": size}
    return frame


def _gazetteer(points: list[tuple[str, int, int | None, float, float]]) -> pd.DataFrame:
    """Address points: (street, číslo popisné, číslo orientační, x_5514, y_5514)."""
    return pd.DataFrame(
        {
            "adm": range(1, len(points) + 1),
            "street": [p[0] for p in points],
            "part": ["Část"] * len(points),
            "house_no": [p[1] for p in points],
            "orient_no": [p[2] for p in points],
            "orient_letter": [None] * len(points),
            "x_5514": [p[3] for p in points],
            "y_5514": [p[4] for p in points],
        }
    )


def test_neighbourhood_counts_by_hand() -> None:
    grid = _grid([[1, 0, 0], [0, 5, 2], [0, 0, 0]])
    # the centre cell sees all nine: 8; the corner (0,0) sees itself and 3 neighbours: 6
    got = indicators.neighbourhood_counts(grid).tolist()
    assert got == [6, 8, 7, 6, 8, 7, 5, 7, 7]


def test_readable_hotspots_rank_by_neighbourhood_and_name_streets() -> None:
    grid = _grid([[1, 0, 0], [0, 5, 2], [0, 0, 0]])
    grid["gi_z"] = [3.0, 1.0, 1.0, 1.0, 2.5, 2.6, 0.0, 0.0, 0.0]
    grid["hotspot_class"] = [3, 0, 0, 0, 3, 3, 0, 0, 0]
    run = indicators.HotspotRun("gistar", grid, None, {})
    gaz = _gazetteer(
        [
            ("Hlavní třída", 583, 12, -469950, -1100050),  # in cell 0
            ("Hlavní třída", 583, 12, -469850, -1100150),  # same text, cell 4: must not repeat
            ("Polská", 1826, 7, -469750, -1100150),  # cell 5
        ]
    )
    districts = gpd.GeoDataFrame(
        {"NAZEV": ["Poruba"]}, geometry=[box(-470000, -1100300, -469700, -1100000)], crs="EPSG:5514"
    )
    table = indicators.readable_hotspots(
        run, top=5, layers={"address_points": gaz, "districts": districts}, lang="cs"
    )
    # class 3 for all three; by neighbourhood: cell 4 (8), cell 5 (7), cell 0 (6)
    assert table["n"].tolist() == [5, 2, 1]
    assert table["n_area"].tolist() == [8, 7, 6]
    assert table["label"].tolist() == [
        "Poruba – Hlavní třída 583/12",
        "Poruba – Polská 1826/7",
        "Poruba – Hlavní třída 583/12 (2)",
    ]
    assert table["explain"].iloc[2] == "1 ve čtverci, 6 se sousedy: hotspot 99 %"
    assert list(table.columns[:4]) == ["rank", "label", "n", "n_area"]


def test_place_names_fall_back_to_a_stop_then_the_district() -> None:
    places = gpd.GeoSeries([Point(0, 0), Point(1000, 0), Point(5000, 0)], crs="EPSG:5514")
    stops = gpd.GeoDataFrame({"zast_jm": ["Hulváky"]}, geometry=[Point(1200, 0)], crs="EPSG:5514")
    gaz = _gazetteer([("Nádražní", 120, None, 50, 0)])
    names = indicators.place_names(places, address_points=gaz, stops=stops, lang="en")
    assert names == ["Nádražní 120", "stop Hulváky", "unnamed place"]


def test_cluster_rows_name_place_and_czech_period() -> None:
    clusters = gpd.GeoDataFrame(
        {
            "cluster_id": [1, 2],
            "n": [4, 9],
            "date_from": ["2026-05-03T10:00:00+02:00", "2026-01-07T08:00:00+01:00"],
            "date_to": ["2026-06-28T21:00:00+02:00", "2026-03-01T09:00:00+01:00"],
            "top_categories": ['["dogs", "truancy"]', '["syringes"]'],
            "label": ["shluk 1", "shluk 2"],
        },
        geometry=[box(0, 0, 50, 50), box(1000, 0, 1050, 50)],
        crs="EPSG:5514",
    )
    gaz = _gazetteer([("Nádražní", 120, None, 25, 25), ("Stodolní", 8, 2, 1025, 25)])
    run = indicators.HotspotRun("clusters", None, clusters, {})
    table = indicators.readable_hotspots(run, layers={"address_points": gaz}, lang="cs")
    assert table["label"].tolist() == [
        "Stodolní 8/2 · 7. 1. 2026 – 1. 3. 2026",
        "Nádražní 120 · 3. 5. 2026 – 28. 6. 2026",
    ]
    assert table["top_categories"].tolist() == ["syringes", "dogs, truancy"]
    assert indicators.date_text("2026-05-03", "en") == "3 May 2026"


def test_emerging_runs_on_calendar_months_up_to_the_last_one() -> None:
    # incidents every month Jan 2023 – Nov 2023: quarterly bins would end with Q3 (Sep),
    # leaving October and November out; monthly bins keep them
    times = [pd.Timestamp(2023, m, d, 12, tz=TZ) for m in range(1, 12) for d in (5, 15, 25)]
    pts = gpd.GeoDataFrame(
        {"reported_at": times},
        geometry=[Point(-470000 + 7 * i % 90, -1100000 + 3 * i % 90) for i in range(len(times))],
        crs="EPSG:5514",
    )
    area = gpd.GeoDataFrame(geometry=[box(-470000, -1100000, -469600, -1099600)], crs="EPSG:5514")
    run = indicators.run_hotspots(
        pts, method="gistar", area=area, cell_size_m=100, emerging_period="M"
    )
    em = run.params["emerging"]
    assert isinstance(em, dict) and em["period"] == "M" and em["n_points"] == 33


def test_analysis_area_is_the_filtered_districts() -> None:
    city = gpd.GeoDataFrame({"NAZEV": ["Ostrava"]}, geometry=[box(0, 0, 30, 10)], crs="EPSG:5514")
    districts = gpd.GeoDataFrame(
        {"NAZEV": ["A", "B", "C"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(20, 0, 30, 10)],
        crs="EPSG:5514",
    )
    whole = indicators.analysis_area(selection.Filters(), city=city, districts=districts)
    assert whole.whole_city and whole.name == "celé město" and whole.shape.area.sum() == 300
    two = indicators.analysis_area(
        selection.Filters(districts=("C", "A")), city=city, districts=districts, lang="en"
    )
    assert not two.whole_city and two.name == "A, C"
    assert two.shape.geometry.iloc[0].area == pytest.approx(200)


def test_complete_range_and_trend_view_leave_partial_periods_out(inc: gpd.GeoDataFrame) -> None:
    # Saturday 1 June – Sunday 30 June 2024: complete weeks 3–9 … 24–30 June
    assert trends.complete_range(date(2024, 6, 1), date(2024, 6, 30), freq="week") == (
        date(2024, 6, 3),
        date(2024, 6, 30),
    )
    assert trends.complete_range(date(2024, 6, 5), date(2024, 7, 30), freq="month") is None
    assert trends.complete_range(date(2024, 5, 1), date(2024, 7, 15), freq="month") == (
        date(2024, 5, 1),
        date(2024, 6, 30),
    )
    view = trends.trend_view(inc, start=date(2024, 6, 1), end=date(2024, 6, 30), freq="week")
    assert view.dropped == ((date(2024, 6, 1), date(2024, 6, 2)),)
    assert view.series["period"].dt.day.tolist() == [3, 10, 17, 24]
    # none in 3–9 June; 10, 11, 12 and 15 June; none; 30 June (1 June is in the dropped days)
    assert view.series["n"].tolist() == [0, 4, 0, 1]
    auto = trends.trend_view(inc, start=date(2024, 6, 1), end=date(2024, 6, 30))
    assert auto.freq == "day" and len(auto.series) == 30 and auto.series["n"].sum() == 6
    assert trends.choose_trend_freq(date(2024, 1, 1), date(2024, 6, 30)) == "week"
    assert trends.choose_trend_freq(date(2023, 1, 1), date(2024, 6, 30)) == "month"


def test_category_palette_tells_eleven_categories_apart() -> None:
    palette = trends.CATEGORY_PALETTE
    assert len(set(palette)) == len(palette) >= 11

    def rgb(h: str) -> np.ndarray:
        return np.array([int(h[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)

    nearest = min(
        np.linalg.norm(rgb(a) - rgb(b)) for i, a in enumerate(palette) for b in palette[i + 1 :]
    )
    assert nearest > 60  # no two near-identical blues


def test_synthetic_labels_on_route_files() -> None:
    gpx = '<?xml version="1.0"?><gpx version="1.1"><metadata><name>x</name></metadata></gpx>'
    out = indicators.synthetic_gpx(gpx)
    assert "<desc>SYNTETICKÁ DEMO DATA – nejde o skutečné události</desc>" in out
    assert "<keywords>synthetic</keywords></metadata>" in out
    assert indicators.synthetic_json({"version": 1})["synthetic"] is True
    sheet = indicators.synthetic_html("<html><body><h1>Trasa</h1></body></html>", lang="en")
    assert sheet.index("SYNTHETIC DEMO DATA") < sheet.index("<h1>")
    cells = gpd.GeoDataFrame({"n": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:5514")
    assert indicators.mark_synthetic(cells, synthetic=True)["synthetic"].tolist() == [True]
    assert "synthetic" not in cells


def test_find_address_reads_coordinates_and_needs_a_gazetteer_for_addresses() -> None:
    from apk_geo.placenames import find_address

    got = find_address("49.8353, 18.2920", gazetteer=None)
    assert (got.lat, got.lon, got.match) == (49.8353, 18.292, "coordinates")
    assert got.point == (49.8353, 18.292)
    missing = find_address("Nikde 1", gazetteer=None)
    assert not missing.found and missing.match == "failed"


def test_synthetic_files_mark_every_route_file_but_the_table() -> None:
    from apk_geo.indicators import synthetic_files

    files = {
        "plan.json": '{"week": "2026-W49"}',
        "table.csv": "\ufeffSměna;Místo\r\n",
        "a.html": "<html><body><h1>Trasa</h1></body></html>",
        "a.gpx": '<gpx version="1.1"><metadata><name>Trasa</name></metadata></gpx>',
    }
    marked = synthetic_files(files, lang="cs")
    assert set(marked) == set(files)
    assert json.loads(marked["plan.json"]) == {"week": "2026-W49", "synthetic": True}
    assert marked["table.csv"] == files["table.csv"]
    assert 'class="synthetic"' in marked["a.html"] and "<h1>Trasa</h1>" in marked["a.html"]
    assert "<keywords>synthetic</keywords>" in marked["a.gpx"]
    assert files["plan.json"] == '{"week": "2026-W49"}'  # the input is not changed
