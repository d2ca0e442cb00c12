"""Tests of apk_geo.demo: the synthetic layers, the gazetteer, the incident generator, the store."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from apk_geo import cli, demo
from apk_geo.config import Config
from apk_geo.demo import calendar as demo_calendar
from apk_geo.demo import exports as demo_exports
from apk_geo.enrich import Context, enrich, load_context
from apk_geo.errors import ParameterError
from apk_geo.geocode import load_ruian_csv
from apk_geo.io import read_table
from apk_geo.schema import CATEGORIES
from apk_geo.store import open_store

END = pd.Timestamp("2026-11-01")


@pytest.fixture(scope="module")
def config() -> Config:
    return Config()


@pytest.fixture(scope="module")
def context(config: Config) -> Context:
    return load_context(config)


@pytest.fixture(scope="module")
def addresses() -> gpd.GeoDataFrame:
    return demo.read_address_points()


@pytest.fixture(scope="module")
def incidents(addresses: gpd.GeoDataFrame, context: Context, config: Config) -> gpd.GeoDataFrame:
    return demo.generate_incidents(
        addresses, context, config=config, seed=11, n_incidents=8000, end=END
    )


# ---------------------------------------------------------------- committed layers


def test_committed_layers_are_exactly_what_the_script_regenerates(tmp_path: Path) -> None:
    paths = demo.build_demo_layers(out_dir=tmp_path)
    for key, committed in (
        ("svl", demo.SVL_FILE),
        ("hostels", demo.HOSTELS_FILE),
        ("gazetteer", demo.GAZETTEER_FILE),
    ):
        assert paths[key].read_bytes() == committed.read_bytes(), key


def test_synthetic_layers_are_labelled_and_in_their_districts(context: Context) -> None:
    for layer in (context.svl, context.hostels):
        assert layer["synthetic"].astype(bool).all()
        assert (layer["source"] == demo.SYNTHETIC_SOURCE).all()
    assert sorted(context.svl["name"]) == sorted(
        [
            "Bedřiška (hornická kolonie, finské domky)",
            "Liščina",
            "Sirotčí (Vítkovice)",
            "Škrobálkova (Kunčičky)",
            "Zárubek",
            "Jubilejní kolonie",
        ]
    )
    assert "Ubytovna v Sadové ulici" not in set(context.hostels["name"])  # street not locatable
    assert set(context.hostels["kind"]) == {"hostel", "homeless services"}
    for layer in (context.svl, context.hostels):
        centres = gpd.GeoDataFrame(
            {"momc": layer["momc"]}, geometry=layer.geometry.centroid, crs=layer.crs
        )
        joined = gpd.sjoin(centres, context.districts, predicate="within")
        assert (joined["momc"] == joined["NAZEV"]).all()
    areas = context.svl.geometry.area
    assert ((areas > np.pi * 120**2) & (areas < np.pi * 330**2)).all()


# ---------------------------------------------------------------- gazetteer


def test_gazetteer_is_a_ruian_csv_with_positive_coordinates(context: Context) -> None:
    raw_bytes = demo.GAZETTEER_FILE.read_bytes()
    assert len(raw_bytes) < 3_000_000
    text = raw_bytes.decode("cp1250")
    assert text.splitlines()[0] == ";".join(demo.RUIAN_HEADER)
    raw = pd.read_csv(
        demo.GAZETTEER_FILE, sep=";", encoding="cp1250", dtype=str, keep_default_na=False
    )
    assert 8000 < len(raw) < 20000
    assert (raw["Kód obce"] == "554821").all() and (raw["Název obce"] == "Ostrava").all()
    assert raw["Kód ADM"].is_unique
    assert set(raw["Název MOMC"]) == set(context.districts["NAZEV"])
    y, x = raw["Souřadnice Y"].astype(float), raw["Souřadnice X"].astype(float)
    assert ((y > 450_000) & (y < 490_000) & (x > 1_090_000) & (x < 1_120_000)).all()
    # house numbers are unique within a part of the city
    assert not raw.duplicated(["Kód části obce", "Typ SO", "Číslo domovní"]).any()
    # orientation numbers are unique along a street within a district
    numbered = raw[raw["Číslo orientační"] != ""]
    key = ["Název ulice", "Název MOMC", "Číslo orientační", "Znak čísla orientačního"]
    assert numbered.duplicated(key).mean() < 0.01
    # each point lies in the district its row names
    pts = gpd.GeoDataFrame(
        {"momc": raw["Název MOMC"]}, geometry=gpd.points_from_xy(-y, -x), crs="EPSG:5514"
    )
    joined = gpd.sjoin(pts, context.districts, predicate="within")
    assert (joined["momc"] == joined["NAZEV"]).mean() > 0.99


def test_gazetteer_loads_with_the_geocoder_and_carries_real_streets(context: Context) -> None:
    gaz = load_ruian_csv(demo.GAZETTEER_FILE)
    lon0, lat0, lon1, lat1 = context.city.to_crs(4326).total_bounds  # 18.10–18.38, 49.73–49.91
    assert gaz["lat"].between(lat0, lat1).all() and gaz["lon"].between(lon0, lon1).all()
    streets = set(gaz["street"])
    # streets from the schools (ULICE), sports grounds (ADRESA), stops, and the SVL lists
    assert {"30. dubna", "Hulvácká", "Sirotčí", "Lidická", "Bedřišská", "Škrobálkova"} <= streets
    school = gaz[(gaz["street"] == "30. dubna") & (gaz["house_no"].astype(str) == "1453")]
    assert len(school) == 1  # a real school address keeps its real number


def test_every_svl_and_hostel_has_addresses_nearby(
    addresses: gpd.GeoDataFrame, context: Context
) -> None:
    for layer in (context.svl, context.hostels):
        for geom in layer.geometry:
            assert (addresses.distance(geom) < 150).sum() >= 10


# ---------------------------------------------------------------- generator


def test_generator_is_deterministic_per_seed(
    addresses: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    def make(seed: int) -> gpd.GeoDataFrame:
        return demo.generate_incidents(
            addresses, context, config=config, seed=seed, n_incidents=500, end=END
        )

    a, b, c = make(5), make(5), make(6)
    pd.testing.assert_frame_equal(a, b)
    assert not a["adm"].equals(c["adm"])


def test_period_ids_and_labels(incidents: gpd.GeoDataFrame) -> None:
    assert len(incidents) == 8000
    local = incidents["reported_at"].dt.tz_convert("Europe/Prague")
    assert local.min() >= pd.Timestamp("2023-11-01", tz="Europe/Prague")
    assert local.max() < pd.Timestamp("2026-11-01", tz="Europe/Prague")
    assert incidents["id"].is_unique
    assert incidents["id"].str.fullmatch(r"20\d\d/\d{5}").all()
    assert incidents["assistant"].str.fullmatch(r"APK-\d\d").all()
    assert incidents["note"].str.startswith("DEMO").all()
    assert set(incidents["category"]) == {c.code for c in CATEGORIES}


def test_generator_period_end_accepts_dates_and_refuses_nonsense(
    addresses: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    def make(end: Any) -> gpd.GeoDataFrame:
        return demo.generate_incidents(
            addresses, context, config=config, seed=2, n_incidents=50, end=end, months=1
        )

    naive = make("2026-11-01")
    pd.testing.assert_frame_equal(naive, make(date(2026, 11, 1)))
    # a tz-aware end is read as its local (Europe/Prague) date
    pd.testing.assert_frame_equal(naive, make(pd.Timestamp("2026-11-01", tz="Europe/Prague")))
    assert naive.attrs["params"]["start"] == "2026-10-01"
    with pytest.raises(ParameterError, match="end must be a date-time"):
        make("zítra")
    with pytest.raises(ParameterError, match="n_incidents must be >= 1"):
        demo.generate_incidents(addresses, context, config=config, n_incidents=0, end=END)


def test_default_end_is_first_day_of_current_month() -> None:
    assert demo.default_end(date(2026, 11, 24)) == pd.Timestamp("2026-11-01")
    assert demo.default_end(date(2027, 1, 1)) == pd.Timestamp("2027-01-01")


def test_school_days_hand_checked() -> None:
    assert demo_calendar._easter(2024) == date(2024, 3, 31) and demo_calendar._easter(2025) == date(
        2025, 4, 20
    )
    days = pd.DatetimeIndex(
        [
            "2024-11-25",
            "2024-11-30",
            "2024-12-25",
            "2024-07-15",
            "2025-04-18",
            "2025-04-21",
            "2025-04-22",
            "2025-10-29",
            "2025-01-02",
            "2025-01-03",
        ]
    )
    expected = [True, False, False, False, False, False, True, False, False, True]
    assert demo.school_days(days).tolist() == expected


def test_syringes_concentrate_near_hostels_and_svl(
    incidents: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    out = enrich(incidents, context, config=config)
    near = out["svl_name"].notna() | out["in_hostel_buffer"].fillna(False).astype(bool)
    syringes = out["category"] == "syringes"
    assert near.mean() > 0.25  # incidents concentrate there (a small share of the city's area)
    assert syringes[near].mean() > 2 * syringes[~near].mean()


def test_truancy_mostly_on_school_day_mornings(incidents: gpd.GeoDataFrame) -> None:
    local = incidents["reported_at"].dt.tz_convert("Europe/Prague")
    days = pd.DatetimeIndex(local.dt.tz_localize(None).dt.normalize())
    morning = (
        demo.school_days(days) & (local.dt.hour >= 7).to_numpy() & (local.dt.hour < 12).to_numpy()
    )
    truancy = (incidents["category"] == "truancy").to_numpy()
    assert morning[truancy].mean() > 0.75
    assert morning[~truancy].mean() < 0.4


def test_alcohol_and_noise_in_evenings_and_weekends(incidents: gpd.GeoDataFrame) -> None:
    local = incidents["reported_at"].dt.tz_convert("Europe/Prague")
    evening = ((local.dt.hour >= 18) | (local.dt.hour < 2)).to_numpy()
    weekend = (local.dt.day_of_week >= 4).to_numpy()  # Friday to Sunday
    late = incidents["category"].isin(["alcohol", "noise"]).to_numpy()
    assert evening[late].mean() > 2 * evening[~late].mean()
    assert weekend[late].mean() > weekend[~late].mean() + 0.1


def test_jehla_campaign_weeks_raise_syringe_rate(incidents: gpd.GeoDataFrame) -> None:
    local = incidents["reported_at"].dt.tz_convert("Europe/Prague").dt.tz_localize(None)
    days = pd.date_range("2023-11-01", "2026-10-31", freq="D")
    campaign_days = demo.jehla_days(days).sum()
    in_campaign = demo.jehla_days(pd.DatetimeIndex(local.dt.normalize()))
    syr = (incidents["category"] == "syringes").to_numpy()
    rate_in = syr[in_campaign].sum() / campaign_days
    rate_out = syr[~in_campaign].sum() / (len(days) - campaign_days)
    assert rate_in > 2.5 * rate_out


def test_summer_has_more_incidents_than_winter(incidents: gpd.GeoDataFrame) -> None:
    month = incidents["reported_at"].dt.tz_convert("Europe/Prague").dt.month
    assert month.isin([6, 7, 8]).sum() > 1.2 * month.isin([12, 1, 2]).sum()


# ---------------------------------------------------------------- exports


def test_export_frame_has_czech_headers_typos_and_coordinates(
    incidents: gpd.GeoDataFrame,
) -> None:
    frame = demo.export_frame(incidents, seed=3)
    assert tuple(frame.columns) == demo.EXPORT_HEADER
    frame.to_csv(sep=";", index=False).encode("cp1250")  # every character fits cp1250
    assert frame["Datum"].str.fullmatch(r"\d{1,2}\.\d{1,2}\.20\d\d").all()
    addr = frame["Adresa"][frame["Adresa"] != ""]
    assert addr.str.contains(r"^ul\. |tř\.|nám\.").sum() > 0
    assert (addr.str.lower() == addr).mean() > 0.03
    assert addr.str.contains("Ostrava-").mean() > 0.1
    has_latlon = frame["Zeměpisná šířka"] != ""
    has_xy = frame["Souřadnice X"] != ""
    assert 0.02 < has_latlon.mean() < 0.06 and 0.01 < has_xy.mean() < 0.04
    assert (frame.loc[has_latlon | has_xy, "Adresa"] == "").all()
    lon, lat = frame.loc[has_latlon, "Zeměpisná délka"], frame.loc[has_latlon, "Zeměpisná šířka"]
    x, y = Transformer.from_crs(4326, 5514, always_xy=True).transform(
        lon.astype(float).to_numpy(), lat.astype(float).to_numpy()
    )
    truth = incidents.geometry[has_latlon.to_numpy()]
    assert np.hypot(x - truth.x.to_numpy(), y - truth.y.to_numpy()).max() < 12
    labels = {c.cs for c in CATEGORIES} | {c.aliases[0] for c in CATEGORIES}
    assert frame["Kategorie"].isin(labels).all()


def test_dirty_export_breaks_the_promised_rows(
    addresses: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    frame, problem = demo.dirty_export(addresses, context, config=config, seed=1, end=END)
    counts = problem.value_counts()
    for name, n in demo.DIRTY_PROBLEMS.items():
        assert counts[name] == n
    swapped = frame[problem.to_numpy() == "swapped_coordinates"]
    assert swapped["Zeměpisná šířka"].astype(float).between(18, 19).all()
    dup = frame[problem.to_numpy() == "duplicate_id"]["Číslo záznamu"]
    assert dup.isin(frame["Číslo záznamu"][:10]).all()


def test_every_dirty_problem_has_a_breaker_and_too_few_rows_are_refused(
    addresses: gpd.GeoDataFrame, context: Context, config: Config
) -> None:
    assert set(demo_exports._BREAK) == set(demo.DIRTY_PROBLEMS)
    with pytest.raises(ParameterError, match="n_rows must be >= 85, got 50"):
        demo.dirty_export(addresses, context, config=config, end=END, n_rows=50)


def test_typed_address_parts_hand_checked() -> None:
    assert demo_exports._typed_number("2026", "93", "a", form=0.2) == "2026/93a"
    assert demo_exports._typed_number("2026", "93", "", form=0.6) == "93"
    assert demo_exports._typed_number("2026", "93", "", form=0.9) == "2026"
    assert demo_exports._typed_number("2026", pd.NA, pd.NA, form=0.2) == "2026"
    assert demo_exports._typed_suffix("Vítkovice", "70300", form=0.1) == ""
    assert demo_exports._typed_suffix("Vítkovice", "70300", form=0.7) == ", Ostrava-Vítkovice"
    assert demo_exports._typed_suffix("Vítkovice", "70300", form=0.9) == ", 703 00 Ostrava"
    assert demo_exports._typed_suffix("Vítkovice", "70300", form=0.97) == " Ostrava-Vitkovice"


def test_write_exports_splits_per_year_in_cp1250(
    tmp_path: Path, incidents: gpd.GeoDataFrame
) -> None:
    paths = demo.write_exports(incidents, tmp_path, seed=1)
    assert [p.name for p in paths] == [f"apk_export_{y}.csv" for y in (2023, 2024, 2025, 2026)]
    total = 0
    for p in paths:
        assert p.read_bytes().decode("cp1250").split("\r\n")[0] == ";".join(demo.EXPORT_HEADER)
        table = read_table(p)  # what `apk-geo ingest` reads: encoding and delimiter detected
        assert (table.encoding or "").lower().replace("-", "") in {"cp1250", "windows1250"}
        assert table.delimiter == ";" and not table.bad_rows
        assert {"id", "date", "time", "category", "address", "lat", "lon", "x", "y"} <= set(
            table.columns
        )
        total += len(table.data)
    assert total == len(incidents)


# ---------------------------------------------------------------- the demo store (end to end)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Run ``apk-geo demo --json`` once (what a user runs) and keep its printed summary."""
    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(
            ["demo", "--store", str(path), "--seed", "3", "--incidents", "1500", "--months",
             "10", "--end", "2026-11-01", "--json"]
        )  # fmt: skip
    assert code == 0
    return path, json.loads(out.getvalue())


@pytest.mark.slow
def test_cli_demo_builds_a_labelled_store(demo_store: tuple[Path, dict[str, Any]]) -> None:
    path, summary = demo_store
    store = open_store(path)
    assert store.metadata()["synthetic"] == "true" and store.metadata()["seed"] == "3"
    assert set(store.layer_names()) >= {
        "districts",
        "city",
        "mdt_areas",
        "svl",
        "hostels",
        "schools",
        "stops",
        "sports",
        "address_points",
    }
    assert summary["synthetic"] is True and summary["seed"] == 3
    # ten months (Jan–Oct 2026) give one yearly export, plus the dirty one
    assert set(summary["imports"]) == {"apk_export_2026.csv", "apk_export_dirty.csv"}
    inc = store.incidents()
    assert len(inc) == summary["incidents"] > 1500  # clean incidents + the dirty file's good rows
    assert (inc["match"] != "failed").mean() > 0.9
    assert inc["svl_name"].notna().sum() > 100 and inc["district_name"].notna().mean() > 0.9
    for name, counts in summary["imports"].items():
        assert (
            counts["read"]
            == counts["accepted"] + counts["updated"] + counts["duplicates"] + counts["quarantined"]
        )
        if name != "apk_export_dirty.csv":
            assert counts["quarantined"] == 0, name
    # bad dates, times, categories, repeated ids, no location, coordinates outside the city
    dirty = summary["imports"]["apk_export_dirty.csv"]
    assert dirty["quarantined"] >= 40
    outside = store.quarantine().query("field == 'lat'")
    assert len(outside) == demo.DIRTY_PROBLEMS["out_of_city"]
    assert outside["expected"].str.startswith("a point inside the city extent").all()
    # swapped latitude/longitude are fixed (the dirty export has no other raw coordinates)
    from_dirty = inc[inc["id"].str.startswith("D-")]
    assert (from_dirty["match"] == "coordinates").sum() == demo.DIRTY_PROBLEMS[
        "swapped_coordinates"
    ]
    assert from_dirty.loc[from_dirty["match"] == "coordinates", "district_name"].notna().all()
    assert len(store.quarantine()) == summary["imports"]["apk_export_dirty.csv"]["quarantined"]
    assert (path.parent / "demo_exports" / "apk_export_dirty.csv").exists()


@pytest.mark.slow
def test_cli_demo_refuses_to_overwrite_without_force(
    demo_store: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo_store
    before = path.read_bytes()
    assert cli.main(["demo", "--store", str(path)]) == 2
    assert "už existuje" in capsys.readouterr().err  # Czech by default
    assert path.read_bytes() == before
