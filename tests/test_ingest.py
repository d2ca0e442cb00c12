from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import killpoints
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from apk_geo import cli
from apk_geo.config import Config
from apk_geo.errors import InputFileError
from apk_geo.ingest import STAGES, ingest_file
from apk_geo.io.columns import column_label
from apk_geo.schema import QUARANTINE_COLUMNS
from apk_geo.store import open_store
from apk_geo.testing import assert_store_reconciles

RUIAN_HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
#: (ADM, MOMC code, MOMC, part code, part, street code, street, č.p., č.o., lat, lon).
#: ADM 3182860 and its position are the real ones (PROVENANCE.md); the others are made up.
ADDRESSES = (
    (
        3182860,
        546119,
        "Moravská Ostrava a Přívoz",
        413925,
        "Moravská Ostrava",
        391450,
        "30. dubna",
        635,
        35,
        49.8413,
        18.2893,
    ),
    (
        9000001,
        546119,
        "Moravská Ostrava a Přívoz",
        413925,
        "Moravská Ostrava",
        391999,
        "Nádražní",
        1000,
        10,
        49.8440,
        18.2860,
    ),
    (9000002, 546992, "Poruba", 414000, "Poruba", 392001, "Dlouhá", 2000, 5, 49.8290, 18.1700),
)
HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka;lat;lon"
HEADER_HEADERS = HEADER.split(";")


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A RÚIAN address-point CSV exactly as ČÚZK publishes it: cp1250, ``;``, positive Y/X."""
    to_5514 = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)
    lines = [RUIAN_HEADER]
    for adm, momc_code, momc, part_code, part, st_code, street, cp, co, lat, lon in ADDRESSES:
        e, n = to_5514.transform(lon, lat)
        lines.append(
            f"{adm};554821;Ostrava;{momc_code};{momc};;;{part_code};{part};{st_code};{street};"
            f"č.p.;{cp};{co};;70200;{-e:.2f};{-n:.2f};2013-12-01T00:00:00"
        )
    path = tmp_path_factory.mktemp("ruian") / "20261101_OB_554821_ADR.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1250"))
    return path


def export(path: Path, rows: list[list[str]]) -> Path:
    text = "\r\n".join([HEADER, *(";".join(r) for r in rows)]) + "\r\n"
    path.write_bytes(text.encode("cp1250"))
    return path


def r(
    i: str,
    address: str = "",
    *,
    category: str = "alkohol",
    note: str = "",
    lat: str = "",
    lon: str = "",
) -> list[str]:
    return [i, "3.11.2026", "21:40", category, address, "vyřešeno", "A07", note, lat, lon]


ROWS = [
    r("1", "30. dubna 635/35, Ostrava"),
    r("2", "Nádražní 1000/10"),
    r("3", lat="49,8290", lon="18,1700"),
    r("4", "Neexistující 77"),
    r("5", "Dlouhá 2000/5", category="létající talíř"),
    r("1", "30. dubna 635/35, Ostrava"),
]


@pytest.fixture
def config_file(tmp_path: Path, demo_config: Config) -> Path:
    path = tmp_path / "apk.toml"
    path.write_text(
        f'[layers]\nsvl = "{demo_config.layers.svl}"\nhostels = "{demo_config.layers.hostels}"\n',
        encoding="utf-8",
    )
    return path


def test_ingest_geocodes_enriches_and_counts(
    tmp_path: Path, gazetteer: Path, demo_config: Config
) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    stages: list[str] = []
    counts = ingest_file(
        export(tmp_path / "e.csv", ROWS),
        store=store,
        gazetteer=gazetteer,
        config=demo_config,
        on_progress=stages.append,
    )
    assert stages == list(STAGES)
    assert counts.as_dict() == {
        "read": 6,
        "accepted": 4,
        "updated": 0,
        "stale": 0,
        "reverted": 0,
        "duplicates": 1,
        "quarantined": 1,
        "not_geocoded": 1,
    }
    got = store.incidents().set_index("id").sort_index()
    assert got["match"].tolist() == ["exact", "exact", "coordinates", "failed"]
    # RÚIAN's positive Y/X became the real position of ADM 3182860 (PROVENANCE.md)
    one = got.loc["1"]
    assert one["ruian_adm"] == 3182860
    assert one["lat"] == pytest.approx(49.8413, abs=5e-5)
    assert one["lon"] == pytest.approx(18.2893, abs=5e-5)
    assert one.geometry.x == pytest.approx(one["x_5514"]) and one["x_5514"] < 0
    # enrichment: district, MDT area, the tiny SVL box, the hostel 0.0007° (78 m) to the north
    assert one["district_name"] == "Moravská Ostrava a Přívoz"
    assert one["mdt_area"] == "Moravská Ostrava a Přívoz"
    assert one["svl_name"] == "SVL test"
    assert one["hostel_distance_m"] == pytest.approx(78, abs=3)
    assert bool(one["in_hostel_buffer"]) is True
    assert got.loc["3", "district_name"] == "Poruba"
    assert got.loc["4"].geometry is None and np.isnan(got.loc["4", "x_5514"])
    assert str(got["reported_at"].iloc[0]) == "2026-11-03 21:40:00+01:00"
    q = store.quarantine()
    assert q["line"].tolist() == [6] and q["field"].tolist() == ["category"]
    # the new store carries its context layers and its gazetteer
    assert set(store.layer_names()) >= {"districts", "city", "svl", "hostels", "address_points"}
    assert len(store.layer("address_points")) == 3
    assert store.metadata()["svl_synthetic"] == "true"


def test_reimport_adds_nothing_and_overlap_updates(
    tmp_path: Path, gazetteer: Path, demo_config: Config
) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    clean = export(tmp_path / "clean.csv", ROWS[:4])
    first = ingest_file(clean, store=store, gazetteer=gazetteer, config=demo_config)
    assert (first.read, first.accepted) == (4, 4)
    size_before = len(store.incidents())
    again = ingest_file(clean, store=store, config=demo_config)  # gazetteer from the store now
    assert again.as_dict() == {
        "read": 4,
        "accepted": 0,
        "updated": 0,
        "stale": 0,
        "reverted": 0,
        "duplicates": 4,
        "quarantined": 0,
        "not_geocoded": 0,
    }
    assert len(store.incidents()) == size_before
    overlap = export(
        tmp_path / "next.csv",
        [
            r("2", "Nádražní 1000/10", note="doplněno"),
            r("3", lat="49,8290", lon="18,1700"),
            r("6", "Dlouhá 2000/5"),
        ],
    )
    counts = ingest_file(overlap, store=store, config=demo_config)
    assert counts.as_dict() == {
        "read": 3,
        "accepted": 1,
        "updated": 1,
        "stale": 0,
        "reverted": 0,
        "duplicates": 1,
        "quarantined": 0,
        "not_geocoded": 0,
    }
    got = store.incidents().set_index("id")
    assert got.loc["2", "note"] == "doplněno" and got.loc["6", "match"] == "exact"
    assert len(got) == 5
    # re-importing a file with a bad row does not pile up the same quarantine entry
    bad = export(tmp_path / "bad.csv", ROWS[4:5])
    ingest_file(bad, store=store, config=demo_config)
    repeat = ingest_file(bad, store=store, config=demo_config)
    assert repeat.quarantined == 1
    assert len(store.quarantine()) == 1


def test_without_gazetteer_only_coordinates_are_placed(tmp_path: Path, demo_config: Config) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    counts = ingest_file(export(tmp_path / "e.csv", ROWS[:4]), store=store, config=demo_config)
    assert (counts.accepted, counts.not_geocoded) == (4, 3)
    got = store.incidents().set_index("id").sort_index()
    assert got["match"].tolist() == ["failed", "failed", "coordinates", "failed"]
    assert got.loc["1", "address"] == "30. dubna 635/35, Ostrava"


def test_coordinates_are_fixed_or_rejected_against_the_city(
    tmp_path: Path, gazetteer: Path, demo_config: Config
) -> None:
    rows = [
        r("swapped", lat="18,2893", lon="49,8413"),  # the Magistrát with lat and lon swapped
        r("prague", lat="50.0875", lon="14.4213"),  # inside Czechia, outside Ostrava
        r("prague+address", "Nádražní 1000/10", lat="50.0875", lon="14.4213"),
        r("vienna", lat="48.2082", lon="16.3738"),
    ]
    store = open_store(tmp_path / "apk.gpkg")
    counts = ingest_file(
        export(tmp_path / "e.csv", rows), store=store, gazetteer=gazetteer, config=demo_config
    )
    assert (counts.read, counts.accepted, counts.quarantined, counts.not_geocoded) == (4, 2, 2, 0)
    got = store.incidents().set_index("id")
    swapped = got.loc["swapped"]
    assert swapped["match"] == "coordinates"
    assert abs(swapped["lat"] - 49.8413) < 1e-6 and abs(swapped["lon"] - 18.2893) < 1e-6
    assert swapped["district_name"] == "Moravská Ostrava a Přívoz"
    by_address = got.loc["prague+address"]
    assert (by_address["match"], by_address["ruian_adm"]) == ("exact", 9000001)
    q = store.quarantine().set_index("line")
    assert q["field"].to_dict() == {3: "lat", 5: "lat"}
    # Prague and Vienna alike: outside the city in every axis order and sign, no address
    # (the reason in Czech, issue 14; the English description stays in "expected")
    assert "(50,0875; 14,4213) leží v každém pořadí os a znaménku mimo" in q.loc[3, "reason"]
    assert "(48,2082; 16,3738) leží v každém pořadí os a znaménku mimo" in q.loc[5, "reason"]
    assert q["expected"].str.startswith("a point inside the city extent").all()


def test_unreadable_file_changes_nothing(tmp_path: Path, demo_config: Config) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(InputFileError, match=r"photo\.csv"):
        ingest_file(bad, store=store, config=demo_config)
    assert not store.exists()


# ------------------------------------------------------------------ command line


def run_cli(
    args: list[str], config_file: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = cli.main(["--config", str(config_file), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_ingest_quarantine_and_status(
    tmp_path: Path, gazetteer: Path, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "apk.gpkg"
    src = export(tmp_path / "e.csv", ROWS)
    code, out, _ = run_cli(
        [
            "ingest",
            str(src),
            "--store",
            str(store),
            "--gazetteer",
            str(gazetteer),
            "--source",
            "apk-test",
            "--json",
        ],
        config_file,
        capsys,
    )
    assert code == 0
    assert json.loads(out) == {
        "read": 6,
        "accepted": 4,
        "updated": 0,
        "stale": 0,
        "reverted": 0,
        "duplicates": 1,
        "quarantined": 1,
        "not_geocoded": 1,
    }
    code, out, _ = run_cli(
        ["ingest", str(src), "--store", str(store), "--source", "apk-test"], config_file, capsys
    )
    assert code == 0 and "duplicity" in out and "apk-geo quarantine" in out  # Czech by default

    dest = tmp_path / "q.csv"
    code, _, _ = run_cli(
        ["quarantine", "--store", str(store), "--out", str(dest)], config_file, capsys
    )
    assert code == 0
    q = pd.read_csv(dest, sep=";", encoding="utf-8-sig", dtype=str)
    assert list(q.columns) == [column_label(c) for c in QUARANTINE_COLUMNS]  # Czech headers
    assert q["Hodnota"].tolist() == ["létající talíř"]  # once, though imported twice
    assert json.loads(q["Původní řádek"].iloc[0])["Kategorie"] == "létající talíř"

    code, out, _ = run_cli(["status", "--store", str(store), "--json"], config_file, capsys)
    status = json.loads(out)
    assert code == 0
    assert (status["incidents"], status["not_geocoded"], status["imports"]) == (4, 1, 2)
    assert status["sources"] == ["apk-test"] and status["synthetic"] is False
    code, out, _ = run_cli(["status", "--store", str(store)], config_file, capsys)
    assert code == 0 and "poslední importy" in out


def test_cli_unreadable_file_is_one_message_and_exit_2(
    tmp_path: Path, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "apk.gpkg"
    (tmp_path / "x.csv").write_text("foo;bar\n1;2\n", encoding="utf-8")
    code, out, err = run_cli(
        ["ingest", str(tmp_path / "x.csv"), "--store", str(store)], config_file, capsys
    )
    assert code == 2 and out == ""
    assert err.startswith("apk-geo ingest: chyba: ") and "x.csv: chybí povinné sloupce" in err
    assert len(err.strip().splitlines()) == 1
    assert not store.exists()


@pytest.mark.slow
def test_cli_ingest_survives_kill_9(
    tmp_path: Path, gazetteer: Path, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run the real command in a subprocess, SIGKILL it mid-write, check, then rerun."""
    store_path = tmp_path / "apk.gpkg"
    run_cli(
        [
            "ingest",
            str(export(tmp_path / "seed.csv", ROWS[:3])),
            "--store",
            str(store_path),
            "--gazetteer",
            str(gazetteer),
        ],
        config_file,
        capsys,
    )
    store = open_store(store_path)

    def state() -> list[tuple[str, str]]:
        inc = store.incidents()
        return sorted(zip(inc["id"], inc["record_hash"], strict=True))

    before = state()
    rng = np.random.default_rng(0)
    n = 500
    lat = rng.uniform(49.80, 49.86, n).round(5).astype(str)
    lon = rng.uniform(18.15, 18.30, n).round(5).astype(str)
    rows = [r(f"B{i}", lat=a, lon=b) for i, (a, b) in enumerate(zip(lat, lon, strict=True))]
    big = export(tmp_path / "big.csv", rows)
    args = ["--config", str(config_file), "ingest", str(big), "--store", str(store_path), "--json"]
    cmd = [sys.executable, "-m", "apk_geo.cli", *args]
    # the child says when it has copied the store, half changed the copy, and is about to
    # replace the store with it; it is killed there (no timing guesses)
    for step in killpoints.STEPS:
        child = killpoints.module_command("apk_geo.cli", args)
        assert killpoints.kill_at(
            child,
            step=step,
            store=store_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ), step
        assert state() == before, step  # readable, and exactly as before
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    counts = json.loads(done.stdout)
    assert counts["accepted"] == n and counts["read"] == n
    after = state()
    assert len(after) == len(before) + n and set(before) <= set(after)
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []
    assert_store_reconciles(store)


def test_file_label_names_an_upload_in_the_log_and_the_quarantine(
    tmp_path: Path, gazetteer: Path, demo_config: Config
) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    saved = export(tmp_path / "tmpdir-upload-1234.csv", ROWS)
    ingest_file(
        saved,
        store=store,
        gazetteer=gazetteer,
        config=demo_config,
        file_label="export_listopad.csv",
    )
    assert store.quarantine()["file"].tolist() == ["export_listopad.csv"]
    assert store.import_log()["file"].tolist() == ["export_listopad.csv"]
