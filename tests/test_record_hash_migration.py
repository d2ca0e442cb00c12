"""A store written with version-1 record hashes is upgraded by its next import, on both backends.

The old store is made as an old apk-geo made it: the file is imported, then every stored
``record_hash`` is overwritten with the version-1 hash an old apk-geo computed for that record
(:func:`apk_geo.hashes.legacy_record_hash` of the validated rows) and the metadata's
``record_hash_version`` is removed. Nothing the import runs is patched.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest
from pyproj import Transformer

from apk_geo.config import Config
from apk_geo.hashes import VERSION_KEY, legacy_record_hash
from apk_geo.ingest import ingest_file
from apk_geo.io import read_table, validate
from apk_geo.store import INCIDENTS, GeoPackageStore, IncidentStore, PostGISStore, open_store
from apk_geo.store.gpkg import read_layer, write_frame
from apk_geo.store.layers import normalise_incidents
from apk_geo.testing import assert_store_reconciles

pytest_plugins = ["pgtest"]

HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka;lat;lon;x;y"
#: One address point of the gazetteer (ADM 3182860, its real position, PROVENANCE.md).
RUIAN = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
E, N = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True).transform(18.1700, 49.8290)
SJTSK = (f"{E:.2f}".replace(".", ","), f"{N:.2f}".replace(".", ","))
POSITIVE = (f"{-E:.2f}".replace(".", ","), f"{-N:.2f}".replace(".", ","))


def row(i: int, *, address: str = "", latlon: tuple[str, str] = ("", ""),
        xy: tuple[str, str] = ("", ""), note: str = "") -> str:  # fmt: skip
    cells = [str(i), "3.11.2026", f"{8 + i}:05", "alkohol", address, "vyřešeno", "A07", note,
             *latlon, *xy]  # fmt: skip
    return ";".join(cells)


ROWS = [
    row(1, address="30. dubna 635/35, Ostrava", note="u vchodu"),  # geocoded address
    row(2, latlon=("49,8290", "18,1700")),  # latitude/longitude
    row(3, xy=SJTSK, note="S-JTSK"),  # S-JTSK as stored
    row(4, xy=POSITIVE),  # S-JTSK with RÚIAN's positive signs (fixed on the way in)
    row(5, xy=(SJTSK[1], SJTSK[0])),  # S-JTSK with the axes swapped (fixed on the way in)
    row(6, address="Neexistující 77"),  # not geocoded
    row(7, address="30. dubna 635/35", latlon=("49,8413", "18,2893"), note="obojí"),
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    to_5514 = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)
    e, n = to_5514.transform(18.2893, 49.8413)
    gazetteer = tmp_path / "20261101_OB_554821_ADR.csv"
    line = (
        "3182860;554821;Ostrava;546119;Moravská Ostrava a Přívoz;;;413925;Moravská Ostrava;"
        f"391450;30. dubna;č.p.;635;35;;70200;{-e:.2f};{-n:.2f};2013-12-01T00:00:00"
    )
    gazetteer.write_bytes(f"{RUIAN}\r\n{line}\r\n".encode("cp1250"))
    export = tmp_path / "e.csv"
    export.write_bytes(("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("cp1250"))
    return export, gazetteer


def old_hashes(export: Path, config: Config) -> dict[str, str]:
    """The version-1 hash an old apk-geo stored for each record of ``export``, by id."""
    valid = validate(read_table(export), source="apk", config=config).valid
    return dict(zip(valid["id"], legacy_record_hash(valid), strict=True))


def new_hashes(export: Path, config: Config) -> dict[str, str]:
    valid = validate(read_table(export), source="apk", config=config).valid
    return dict(zip(valid["id"], valid["record_hash"], strict=True))


def make_old_gpkg(store: GeoPackageStore, hashes: dict[str, str]) -> None:
    """Rewrite the incidents layer with ``hashes`` (as the old apk-geo wrote it), drop the key."""
    layer = normalise_incidents(read_layer(store.path, INCIDENTS), stored=True)
    layer["record_hash"] = layer["id"].map(hashes).fillna(layer["record_hash"]).astype("str")
    write_frame(store.path, layer, INCIDENTS, append=False)
    with sqlite3.connect(store.path) as db:  # the metadata table has no geometry, no triggers
        db.execute("DELETE FROM metadata WHERE key = ?", [VERSION_KEY])


def make_old_postgis(url: str, hashes: dict[str, str]) -> None:
    with psycopg.connect(url) as conn:
        for i, h in hashes.items():
            conn.execute("UPDATE apk.incidents SET record_hash = %s WHERE id = %s", [h, i])
        conn.execute("DELETE FROM apk.metadata WHERE key = %s", [VERSION_KEY])


def stored_hashes(store: IncidentStore) -> dict[str, str]:
    inc = store.incidents()
    return dict(zip(inc["id"], inc["record_hash"], strict=True))


def check_upgrade(store: IncidentStore, export: Path, config: Config, make_old: object) -> None:
    first = ingest_file(export, store=store, gazetteer=None, config=config)
    assert (first.accepted, first.quarantined) == (7, 0)
    assert store.metadata()[VERSION_KEY] == "2"  # a new store is version 2 from the start
    old, new = old_hashes(export, config), new_hashes(export, config)
    assert stored_hashes(store) == new and all(old[i] != new[i] for i in new)
    make_old(old)  # type: ignore[operator]
    assert stored_hashes(store) == old and VERSION_KEY not in store.metadata()

    dry = ingest_file(export, store=store, config=config, dry_run=True)
    assert (dry.accepted, dry.updated, dry.duplicates) == (0, 0, 7)
    assert stored_hashes(store) == old  # a dry run upgrades nothing

    again = ingest_file(export, store=store, config=config)
    assert again.as_dict() == {
        "read": 7,
        "accepted": 0,
        "updated": 0,
        "stale": 0,
        "reverted": 0,
        "duplicates": 7,
        "quarantined": 0,
        "not_geocoded": 0,
    }
    assert stored_hashes(store) == new
    assert store.metadata()[VERSION_KEY] == "2"
    assert len(store.versions()) == 0
    assert_store_reconciles(store)
    # and from now on the store behaves as any version-2 store
    assert ingest_file(export, store=store, config=config).duplicates == 7


def test_a_geopackage_with_version_1_hashes_is_upgraded_by_the_next_import(
    tmp_path: Path, files: tuple[Path, Path], demo_config: Config
) -> None:
    export, gazetteer = files
    store = GeoPackageStore(tmp_path / "apk.gpkg")
    store.write_layers({"address_points": _gazetteer_layer(gazetteer)})
    check_upgrade(store, export, demo_config, lambda h: make_old_gpkg(store, h))
    inc = store.incidents().set_index("id")
    assert inc.loc["1", "match"] == "exact" and inc.loc["6", "match"] == "failed"


@pytest.mark.postgis
def test_a_postgis_store_with_version_1_hashes_is_upgraded_by_the_next_import(
    files: tuple[Path, Path], demo_config: Config, pg_store: PostGISStore, pg_store_url: str
) -> None:
    export, gazetteer = files
    pg_store.write_layers({"address_points": _gazetteer_layer(gazetteer)})
    check_upgrade(pg_store, export, demo_config, lambda h: make_old_postgis(pg_store_url, h))


def test_a_changed_record_in_an_old_store_is_updated_and_its_old_row_kept(
    tmp_path: Path, files: tuple[Path, Path], demo_config: Config
) -> None:
    export, _ = files
    store = open_store(tmp_path / "apk.gpkg")
    ingest_file(export, store=store, config=demo_config)
    make_old_gpkg(store, old_hashes(export, demo_config))  # type: ignore[arg-type]
    changed = tmp_path / "changed.csv"
    text = export.read_bytes().decode("cp1250").replace("S-JTSK", "S-JTSK, opraveno")
    changed.write_bytes(text.encode("cp1250"))
    counts = ingest_file(changed, store=store, config=demo_config)
    assert (counts.updated, counts.duplicates, counts.accepted) == (1, 6, 0)
    ver = store.versions()
    assert ver["id"].tolist() == ["3"] and ver["note"].tolist() == ["S-JTSK"]
    # the replaced row went to the versions with its upgraded (version-2) hash
    assert ver["record_hash"].tolist() == [new_hashes(export, demo_config)["3"]]
    assert stored_hashes(store) == new_hashes(changed, demo_config)
    assert store.metadata()[VERSION_KEY] == "2"
    assert_store_reconciles(store)


def test_a_row_whose_content_cannot_be_recovered_keeps_its_hash_and_the_store_says_so(
    tmp_path: Path, files: tuple[Path, Path], demo_config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    export, _ = files
    store = open_store(tmp_path / "apk.gpkg")
    ingest_file(export, store=store, config=demo_config)
    old = old_hashes(export, demo_config)
    make_old_gpkg(store, {**old, "2": "0123456789abcdef"})  # type: ignore[arg-type]
    counts = ingest_file(export, store=store, config=demo_config)
    assert (counts.updated, counts.duplicates) == (1, 6)
    assert store.metadata()[VERSION_KEY] == "1"
    assert "1 stored record(s) keep a version-1 record hash" in caplog.text
    assert store.versions()["record_hash"].tolist() == ["0123456789abcdef"]
    assert_store_reconciles(store)
    # the updated row now carries the version-2 hash: the next import finishes the upgrade
    assert ingest_file(export, store=store, config=demo_config).duplicates == 7
    assert store.metadata()[VERSION_KEY] == "2"


def _gazetteer_layer(path: Path) -> pd.DataFrame:
    from apk_geo.geocode import load_ruian_csv

    frame = load_ruian_csv(path)
    assert np.isfinite(frame["x_5514"]).all()
    return frame
