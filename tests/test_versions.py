"""Nothing is lost on update: the incident_versions layer, stale and reverted records, dry runs."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from apk_geo import cli
from apk_geo.config import Config
from apk_geo.ingest import ingest_file
from apk_geo.io import quarantine_frame
from apk_geo.schema import INCIDENT_COLUMNS, TIMEZONE
from apk_geo.store import VERSION_COLUMNS, IncidentStore, open_store
from apk_geo.testing import make_incidents

NOV = "2026-11-{:02d} 10:00"


def batch(*records: tuple[str, str, str | None]) -> gpd.GeoDataFrame:
    """Incidents ``(id, note, modified_at or None)``; the note makes the content (the hash)."""
    rows = [
        {"id": i, "note": note, "reported_at": f"2026-10-{int(i):02d} 10:00"}
        for i, note, _ in records
    ]
    gdf = make_incidents(rows)
    times = pd.to_datetime(pd.Series([m for *_, m in records], dtype=object))
    return gdf.assign(modified_at=times.dt.tz_localize(TIMEZONE))


def apply(store: IncidentStore, incidents: gpd.GeoDataFrame, *, dry_run: bool = False) -> dict:
    counts = store.apply_import(
        incidents=incidents,
        quarantine=quarantine_frame([]),
        log={"source": "apk", "file": "x.csv"},
        dry_run=dry_run,
    )
    assert counts.balanced
    return counts.as_dict()


def kept(store: IncidentStore) -> set[tuple[str, str]]:
    """(id, note) of every stored and every kept version."""
    inc, ver = store.incidents(), store.versions()
    return set(zip(inc["id"], inc["note"], strict=True)) | set(
        zip(ver["id"], ver["note"], strict=True)
    )


def counts_of(d: dict, *keys: str) -> tuple[int, ...]:
    return tuple(d[k] for k in keys)


KEYS = ("read", "accepted", "updated", "stale", "duplicates", "reverted")


@pytest.fixture
def store(tmp_path: Path) -> IncidentStore:
    return open_store(tmp_path / "apk.gpkg")


def test_newer_version_wins_older_is_stale_and_every_version_is_kept(
    store: IncidentStore,
) -> None:
    first = batch(
        ("1", "a1", NOV.format(1)), ("2", "a2", NOV.format(1)), ("3", "a3", NOV.format(1))
    )
    assert counts_of(apply(store, first), *KEYS) == (3, 3, 0, 0, 0, 0)
    # an overlapping, newer export: 2 changed, 3 unchanged (but touched later), 4 new
    newer = batch(
        ("2", "b2", NOV.format(2)), ("3", "a3", NOV.format(2)), ("4", "b4", NOV.format(2))
    )
    assert counts_of(apply(store, newer), *KEYS) == (3, 1, 1, 0, 1, 0)
    # an older export again, and older edits of 1 and 3: the stored, newer versions stay
    older = batch(
        ("1", "c1", "2026-10-31 10:00"),  # older than the stored 1.11.: stale, a new version
        ("2", "a2", NOV.format(1)),  # the version 'newer' replaced: stale, kept already
        ("3", "old3", NOV.format(1)),  # older than 3's refreshed time (2.11.): stale
        ("4", "b4", NOV.format(1)),  # same content: a duplicate
    )
    assert counts_of(apply(store, older), *KEYS) == (4, 0, 0, 3, 1, 0)

    stored = store.incidents().set_index("id")["note"].sort_index()
    assert stored.to_dict() == {"1": "a1", "2": "b2", "3": "a3", "4": "b4"}
    ver = store.versions()
    assert list(ver.columns) == [*VERSION_COLUMNS, "geometry"]
    assert sorted(zip(ver["id"], ver["note"], ver["version_kind"], strict=True)) == [
        ("1", "c1", "stale"),
        ("2", "a2", "replaced"),
        ("3", "old3", "stale"),
    ]
    log = store.import_log()
    assert log["versions_kept"].tolist() == [0, 1, 2]
    by_import = dict(zip(ver["note"], ver["replaced_by_import"], strict=True))
    assert by_import["a2"] == log["import_id"].iloc[1]
    assert by_import["c1"] == by_import["old3"] == log["import_id"].iloc[2]
    assert ver["replaced_at"].notna().all() and str(ver["replaced_at"].dtype).endswith(
        TIMEZONE + "]"
    )
    assert ver.crs.to_epsg() == 5514 and ver.geometry.notna().all()
    # the replaced row is kept as it was stored, with its modification time
    a2 = ver.set_index("note").loc["a2"]
    assert a2["modified_at"] == pd.Timestamp(NOV.format(1), tz=TIMEZONE)
    # every record read is stored or kept as a version
    read = {(i, n) for b in (first, newer, older) for i, n in zip(b["id"], b["note"], strict=True)}
    assert read <= kept(store)
    books = store.reconcile()
    assert books.ok, books.problems
    assert (books.incidents, books.versions, books.quarantine) == (4, 3, 0)
    assert books.imports["balanced"].all() and books.imports["stale"].tolist() == [0, 0, 3]


def test_incidents_keep_the_schema_and_the_modification_time_is_stored(
    store: IncidentStore,
) -> None:
    apply(store, batch(("1", "a", NOV.format(1))))
    assert list(store.incidents().columns) == [*INCIDENT_COLUMNS, "geometry"]
    fields = pyogrio.read_info(store.path, layer="incidents")["fields"]
    assert "modified_at" in fields
    assert "incident_versions" in {str(n) for n, _ in pyogrio.list_layers(store.path)}


def test_without_modification_times_the_file_wins_and_reverts_are_counted(
    store: IncidentStore,
) -> None:
    v1, v2 = batch(("1", "v1", None), ("2", "x", None)), batch(("1", "v2", None))
    apply(store, v1)
    assert counts_of(apply(store, v2), *KEYS) == (1, 0, 1, 0, 0, 0)
    # the older export imported again: the file wins, and the count says it turned 1 back
    assert counts_of(apply(store, v1), *KEYS) == (2, 0, 1, 0, 1, 1)
    assert store.incidents().set_index("id").loc["1", "note"] == "v1"
    assert counts_of(apply(store, v2), *KEYS) == (1, 0, 1, 0, 0, 1)
    assert sorted(store.versions()["note"]) == ["v1", "v1", "v2"]
    assert store.reconcile().ok


@pytest.mark.parametrize(
    ("stored_at", "incoming_at", "outcome"),
    [
        (None, NOV.format(2), "updated"),  # a known time beats an unknown one
        (NOV.format(2), None, "updated"),  # no time in the file: the file wins
        (NOV.format(2), NOV.format(2), "updated"),  # equal times: the file wins
        (NOV.format(1), NOV.format(2), "updated"),
        (NOV.format(2), NOV.format(1), "stale"),
    ],
    ids=["stored-unknown", "incoming-unknown", "equal", "newer", "older"],
)
def test_which_version_wins(
    store: IncidentStore, stored_at: str | None, incoming_at: str | None, outcome: str
) -> None:
    apply(store, batch(("1", "old", stored_at)))
    got = apply(store, batch(("1", "new", incoming_at)))
    assert got[outcome] == 1 and got["updated"] + got["stale"] == 1
    winner = "new" if outcome == "updated" else "old"
    assert store.incidents()["note"].tolist() == [winner]
    assert store.versions()["note"].tolist() == ["old" if outcome == "updated" else "new"]


def test_dry_run_gives_the_same_counts_and_writes_nothing(
    store: IncidentStore, tmp_path: Path
) -> None:
    assert counts_of(apply(store, batch(("1", "a", None)), dry_run=True), *KEYS)[:2] == (1, 1)
    assert list(tmp_path.iterdir()) == []  # not even the store or its lock file
    apply(store, batch(("1", "a", NOV.format(1)), ("2", "b", NOV.format(1))))
    before = (store.path.read_bytes(), store.path.stat().st_mtime_ns, sorted(tmp_path.iterdir()))
    change = batch(("1", "a2", NOV.format(2)), ("2", "b0", "2026-10-01 10:00"), ("3", "c", None))
    dry = apply(store, change, dry_run=True)
    after = (store.path.read_bytes(), store.path.stat().st_mtime_ns, sorted(tmp_path.iterdir()))
    assert after == before
    assert dry == apply(store, change)
    assert counts_of(dry, "accepted", "updated", "stale") == (1, 1, 1)


def _old_store(path: Path, new: IncidentStore) -> None:
    """Write ``new``'s layers as an apk-geo without versions wrote them."""
    inc = pyogrio.read_dataframe(new.path, layer="incidents").drop(columns="modified_at")
    pyogrio.write_dataframe(inc, path, layer="incidents", driver="GPKG")
    for layer, drop in (("quarantine", []), ("import_log", ["stale", "reverted", "versions_kept"])):
        frame = pyogrio.read_dataframe(new.path, layer=layer, read_geometry=False)
        pyogrio.write_dataframe(frame.drop(columns=drop), path, layer=layer, driver="GPKG")


def test_an_older_store_opens_and_gains_the_versions_layer_on_its_next_import(
    tmp_path: Path,
) -> None:
    new = open_store(tmp_path / "new.gpkg")
    apply(new, batch(("1", "a", None), ("2", "b", None)))
    old = open_store(tmp_path / "old.gpkg")
    _old_store(old.path, new)
    assert "incident_versions" not in {str(n) for n, _ in pyogrio.list_layers(old.path)}
    assert len(old.versions()) == 0 and old.summary()["versions"] == 0
    assert old.import_log()[["stale", "reverted", "versions_kept"]].to_numpy().tolist() == [
        [0, 0, 0]
    ]
    assert old.reconcile().ok

    got = apply(old, batch(("1", "a2", NOV.format(3)), ("3", "c", None)))
    assert counts_of(got, "accepted", "updated") == (1, 1)
    assert old.versions()["note"].tolist() == ["a"]
    assert "modified_at" in pyogrio.read_info(old.path, layer="incidents")["fields"]
    assert old.import_log()["versions_kept"].tolist() == [0, 1]
    assert old.reconcile().ok and len(old.incidents()) == 3


def test_reconcile_names_what_does_not_add_up(store: IncidentStore) -> None:
    apply(store, batch(("1", "a", None)))
    apply(store, batch(("1", "b", None)))
    ver = pyogrio.read_dataframe(store.path, layer="incident_versions")
    pyogrio.write_dataframe(ver.iloc[:0], store.path, layer="incident_versions", driver="GPKG")
    books = store.reconcile()
    assert not books.ok
    assert books.problems == ("0 versions stored but 1 kept by the imports",)


# ------------------------------------------------------------------ through ingest_file

HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka;lat;lon;Datum změny"


def export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """An export with a modification-time column; rows ``(id, note, Datum změny)``."""
    lines = [HEADER]
    for i, note, changed in rows:
        category = "létající talíř" if note == "BAD" else "alkohol"
        lines.append(
            f"{i};3.11.2026;21:40;{category};;vyřešeno;A07;{note};49,8290;18,1700;{changed}"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1250"))
    return path


def test_ingest_sequence_accounts_for_every_record_read(
    tmp_path: Path, demo_config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    first = [("1", "a1", "4.11.2026 8:00"), ("2", "a2", "4.11.2026 8:00"), ("9", "BAD", "")]
    newer = [("2", "b2", "5.11.2026 9:30"), ("3", "b3", "5.11.2026 9:30")]
    stale = [("1", "c1", "2026-11-03T12:00"), ("3", "b3", "5.11.2026 9:30")]
    unreadable = [("4", "d4", "zítra")]
    steps = [first, newer, first, stale, unreadable]
    got = []
    for k, rows in enumerate(steps):
        counts = ingest_file(export(tmp_path / f"e{k}.csv", rows), store=store, config=demo_config)
        assert counts.balanced
        got.append(counts_of(counts.as_dict(), *KEYS, "quarantined"))
    assert got == [
        (3, 2, 0, 0, 0, 0, 1),
        (2, 1, 1, 0, 0, 0, 0),
        (3, 0, 0, 1, 1, 0, 1),  # 2 is older than the stored b2: stale; 9 quarantined again
        (2, 0, 0, 1, 1, 0, 0),
        (1, 1, 0, 0, 0, 0, 0),
    ]
    assert "unreadable 'Datum změny'" in caplog.text and "'zítra'" in caplog.text
    read = {(i, n) for rows in steps for i, n, _ in rows if n != "BAD"}
    assert read <= kept(store)
    books = store.reconcile()
    assert books.ok, books.problems
    assert (books.incidents, books.versions, books.quarantine) == (4, 2, 1)
    assert sorted(store.versions()["note"]) == ["a2", "c1"]


@pytest.fixture
def config_file(tmp_path: Path, demo_config: Config) -> Path:
    path = tmp_path / "apk.toml"
    path.write_text(
        f'[layers]\nsvl = "{demo_config.layers.svl}"\nhostels = "{demo_config.layers.hostels}"\n',
        encoding="utf-8",
    )
    return path


def test_cli_dry_run_shows_the_counts_and_leaves_the_store_byte_identical(
    tmp_path: Path, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "apk.gpkg"
    base = ["--config", str(config_file), "ingest", "--store", str(store), "--json"]
    assert cli.main([*base, str(export(tmp_path / "a.csv", [("1", "a", "4.11.2026 8:00")]))]) == 0
    capsys.readouterr()
    before = (store.read_bytes(), store.stat().st_mtime_ns)
    change = export(tmp_path / "b.csv", [("1", "b", "5.11.2026 8:00"), ("2", "c", "")])
    assert cli.main([*base, str(change), "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert (store.read_bytes(), store.stat().st_mtime_ns) == before
    assert cli.main([*base, str(change)]) == 0
    assert json.loads(capsys.readouterr().out) == dry
    assert counts_of(dry, "read", "accepted", "updated", "stale") == (2, 1, 1, 0)
    assert cli.main([*base[:3], str(change), "--store", str(store), "--dry-run"]) == 0
    assert "Zkušební běh, nic nebylo zapsáno" in capsys.readouterr().out  # Czech by default
