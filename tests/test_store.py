from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import killpoints
import numpy as np
import pandas as pd
import pytest
import shapely

from apk_geo import store as st
from apk_geo.errors import CRSError, SchemaError, StoreError
from apk_geo.io import quarantine_frame
from apk_geo.schema import INCIDENT_COLUMNS, QUARANTINE_COLUMNS
from apk_geo.testing import assert_store_reconciles, make_incidents


def incidents(
    ids: list[str],
    *,
    hashes: list[str] | None = None,
    source: str = "apk",
    failed: tuple[str, ...] = (),
) -> gpd.GeoDataFrame:
    """Tiny incident frame: id i at (-470000 + 10 i, -1100000), day i of November 2026."""
    rows: list[dict[str, object]] = []
    for k, i in enumerate(ids):
        where = "Poruba" if int(i) < 3 else "Vítkovice"
        row: dict[str, object] = {
            "source": source,
            "id": i,
            "reported_at": f"2026-11-{(int(i) - 1) % 28 + 1:02d} 10:00",
            "category": "dogs" if int(i) % 2 else "noise",
            "address": f"Ulice {i}",
            "ruian_adm": 3182860,
            "district_name": where,
            "mdt_area": where,
            "in_hostel_buffer": True,
            "record_hash": hashes[k] if hashes else f"h{i}",
        }
        if i in failed:
            row.update(match="failed", geocode_reason="street not found")
        else:
            row.update(x_5514=-470_000.0 + 10 * int(i), y_5514=-1_100_000.0)
        rows.append(row)
    return make_incidents(rows)


def quarantine(n: int) -> pd.DataFrame:
    return quarantine_frame(
        [
            {
                "source": "apk",
                "file": "f.csv",
                "line": 10 + k,
                "field": "id",
                "value": "",
                "expected": "x",
                "reason": "id: got '', expected x",
                "raw": "{}",
            }
            for k in range(n)
        ]
    )


@pytest.fixture
def store(tmp_path: Path) -> st.IncidentStore:
    return st.open_store(tmp_path / "apk.gpkg")


def test_open_store_rejects_other_backends(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"unsupported store '\.sqlite'.*\.gpkg"):
        st.open_store(tmp_path / "a.sqlite")
    (tmp_path / "dir.gpkg").mkdir()
    with pytest.raises(StoreError, match="is a directory"):
        st.open_store(tmp_path / "dir.gpkg")


def test_reading_a_missing_store_says_how_to_create_one(store: st.IncidentStore) -> None:
    assert not store.exists()
    with pytest.raises(StoreError, match="no store here; create one with `apk-geo ingest"):
        store.incidents()


def test_a_file_that_is_not_a_geopackage_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.gpkg"
    path.write_text("not sqlite", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open as a GeoPackage"):
        st.open_store(path).summary()


def test_upsert_counts_new_duplicate_and_updated(store: st.IncidentStore) -> None:
    first = store.apply_import(
        incidents=incidents(["1", "2", "3"], failed=("3",)),
        quarantine=quarantine(2),
        log={"source": "apk", "file": "a.csv"},
    )
    assert first.as_dict() == {
        "read": 5,
        "accepted": 3,
        "updated": 0,
        "stale": 0,
        "reverted": 0,
        "duplicates": 0,
        "quarantined": 2,
        "not_geocoded": 1,
    }
    again = store.apply_import(
        incidents=incidents(["1", "2", "3"], failed=("3",)),
        quarantine=quarantine(0),
        log={"source": "apk", "file": "a.csv", "duplicates_in_file": 2},
    )
    assert again.as_dict() == {
        "read": 5,
        "accepted": 0,
        "updated": 0,
        "stale": 0,
        "reverted": 0,
        "duplicates": 5,
        "quarantined": 0,
        "not_geocoded": 0,
    }
    overlap = store.apply_import(
        incidents=incidents(["2", "3", "4"], hashes=["h2", "NEW", "h4"]),
        quarantine=quarantine(0),
        log={"source": "apk", "file": "b.csv"},
    )
    assert overlap.as_dict() == {
        "read": 3,
        "accepted": 1,
        "updated": 1,
        "stale": 0,
        "reverted": 0,
        "duplicates": 1,
        "quarantined": 0,
        "not_geocoded": 0,
    }
    stored = store.incidents().sort_values("id").reset_index(drop=True)
    assert stored["id"].tolist() == ["1", "2", "3", "4"]
    assert stored["record_hash"].tolist() == ["h1", "h2", "NEW", "h4"]
    # the update geocoded id 3 this time: its geometry is now a point
    assert stored.geometry.isna().tolist() == [False, False, False, False]
    # same id in another source is another record
    other = store.apply_import(
        incidents=incidents(["1"], source="jiny"), quarantine=quarantine(0), log={"source": "jiny"}
    )
    assert other.accepted == 1 and len(store.incidents()) == 5
    log = store.import_log()
    assert log["accepted"].tolist() == [3, 0, 1, 1]
    assert log["file"].tolist()[:2] == ["a.csv", "a.csv"]
    assert len(store.quarantine()) == 2
    assert_store_reconciles(store)


def test_round_trip_keeps_schema_types_and_time_zone(store: st.IncidentStore) -> None:
    given = incidents(["1", "2"], failed=("2",))
    store.apply_import(incidents=given, quarantine=quarantine(1), log={"source": "apk"})
    got = store.incidents()
    assert list(got.columns) == [*INCIDENT_COLUMNS, "geometry"]
    assert got.crs.to_epsg() == 5514
    assert str(got["reported_at"].dtype) == "datetime64[ns, Europe/Prague]"
    assert got["reported_at"].tolist() == given["reported_at"].tolist()
    assert got["imported_at"].notna().all()
    assert got.geometry.iloc[1] is None and np.isnan(got["x_5514"].iloc[1])
    assert got.geometry.iloc[0].equals(shapely.Point(-469_990, -1_100_000))
    assert got["ruian_adm"].dtype == "Int64" and got["in_hostel_buffer"].dtype == "boolean"
    assert got["svl_name"].isna().all()
    q = store.quarantine()
    assert list(q.columns) == list(QUARANTINE_COLUMNS)
    assert q["line"].tolist() == [10]


def test_filters(store: st.IncidentStore) -> None:
    store.apply_import(
        incidents=incidents(["1", "2", "3", "4"], failed=("4",)),
        quarantine=quarantine(0),
        log={"source": "apk"},
    )
    ids = lambda gdf: sorted(gdf["id"])  # noqa: E731
    assert ids(
        store.incidents(start=pd.Timestamp("2026-11-02"), end=pd.Timestamp("2026-11-04"))
    ) == ["2", "3"]
    assert ids(store.incidents(categories=["dogs"])) == ["1", "3"]
    assert ids(store.incidents(districts=["Poruba"])) == ["1", "2"]
    assert ids(store.incidents(mdt_areas=["Vítkovice"])) == ["3", "4"]
    assert ids(store.incidents(geocoded_only=True)) == ["1", "2", "3"]


def test_bad_input_is_refused_before_writing(store: st.IncidentStore) -> None:
    with pytest.raises(SchemaError, match=r"repeat \(source, id\) keys"):
        store.apply_import(incidents=incidents(["1", "1"]), quarantine=quarantine(0), log={})
    with pytest.raises(CRSError, match=r"EPSG:4326.*needs EPSG:5514"):
        store.apply_import(
            incidents=incidents(["1"]).to_crs(4326), quarantine=quarantine(0), log={}
        )
    with pytest.raises(SchemaError, match="missing column"):
        store.apply_import(
            incidents=incidents(["1"]).drop(columns="record_hash"), quarantine=quarantine(0), log={}
        )
    assert not store.exists()


def test_context_layers_and_metadata(store: st.IncidentStore) -> None:
    districts = gpd.GeoDataFrame(
        {"KOD": ["1"], "NAZEV": ["A"]}, geometry=[shapely.box(18.2, 49.8, 18.3, 49.9)], crs=4326
    )
    gaz = pd.DataFrame({"adm": [3182860], "x_5514": [-470_000.0], "y_5514": [-1_100_000.0]})
    store.write_layers(
        {"districts": districts, "address_points": gaz},
        metadata={"synthetic": "true", "seed": "42"},
    )
    assert store.layer_names() == ["districts", "address_points"]
    got = store.layer("districts")
    assert got.crs.to_epsg() == 5514
    np.testing.assert_allclose(got.to_crs(4326).total_bounds, [18.2, 49.8, 18.3, 49.9], atol=1e-6)
    assert (
        store.layer("address_points").geometry.iloc[0].equals(shapely.Point(-470_000, -1_100_000))
    )
    assert store.metadata() == {"synthetic": "true", "seed": "42"}
    store.write_layers({}, metadata={"seed": "7"})
    assert store.metadata() == {"synthetic": "true", "seed": "7"}
    with pytest.raises(StoreError, match="no context layer 'svl'"):
        store.layer("svl")
    with pytest.raises(StoreError, match="'incidents' is not a context layer"):
        store.write_layers({"incidents": districts})


def test_summary(store: st.IncidentStore) -> None:
    store.apply_import(
        incidents=incidents(["1", "2", "3"], failed=("2",)),
        quarantine=quarantine(2),
        log={"source": "apk", "file": "a.csv"},
    )
    store.write_layers({}, metadata={"synthetic": "true"})
    s = store.summary()
    assert (s["incidents"], s["geocoded"], s["not_geocoded"], s["quarantined"]) == (3, 2, 1, 2)
    assert s["sources"] == ["apk"] and s["imports"] == 1 and s["synthetic"] is True
    assert s["date_from"] == "2026-11-01T10:00:00+01:00"
    assert s["date_to"] == "2026-11-03T10:00:00+01:00"
    last = s["last_imports"]
    assert isinstance(last, list) and last[0]["file"] == "a.csv" and last[0]["read"] == 5


def test_file_is_a_real_geopackage_that_qgis_opens(store: st.IncidentStore) -> None:
    store.apply_import(incidents=incidents(["1"]), quarantine=quarantine(1), log={})
    with sqlite3.connect(store.path) as con:
        (app_id,) = con.execute("PRAGMA application_id").fetchone()
        contents = dict(con.execute("SELECT table_name, srs_id FROM gpkg_contents").fetchall())
        (check,) = con.execute("PRAGMA integrity_check").fetchone()
    assert app_id == 0x47504B47  # "GPKG"
    assert contents["incidents"] == 5514
    assert {"quarantine", "import_log", "metadata"} <= set(contents)
    assert check == "ok"


def test_leftover_temp_files_are_cleaned_by_the_next_write(store: st.IncidentStore) -> None:
    store.apply_import(incidents=incidents(["1"]), quarantine=quarantine(0), log={})
    stale = store.path.parent / f".{store.path.name}.tmp-99999-deadbeef.gpkg"
    stale.write_bytes(b"half-written")
    store.write_layers({}, metadata={"k": "v"})
    assert not stale.exists()
    assert [p.name for p in store.path.parent.iterdir() if ".tmp-" in p.name] == []


@pytest.mark.slow
def test_killed_writer_leaves_old_or_new_store(tmp_path: Path) -> None:
    """SIGKILL a writer at each step of an import (it says when): the store is the old one."""
    path = tmp_path / "apk.gpkg"
    store = st.open_store(path)
    store.apply_import(incidents=incidents(["1", "2"]), quarantine=quarantine(0), log={})
    before = sorted(store.incidents()["id"])
    script = f"""
from test_store import incidents, quarantine
from apk_geo.store import open_store
more = incidents([str(i) for i in range(1, 2001)])
open_store({str(path)!r}).apply_import(incidents=more, quarantine=quarantine(0), log={{}})
"""
    # right after the copy, with the copy half changed, and just before it replaces the store
    for step in killpoints.STEPS:
        assert killpoints.kill_at(killpoints.child_command(script), step=step, store=path), step
        assert sorted(st.open_store(path).incidents()["id"]) == before, step
        assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name], "nothing was left"
    # a normal run afterwards completes and removes what the killed ones left
    counts = store.apply_import(incidents=incidents(["2", "3"]), quarantine=quarantine(0), log={})
    assert (counts.accepted, counts.duplicates) == (1, 1)
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_a_store_from_before_a_new_column_is_migrated_on_the_next_import(
    store: st.IncidentStore,
) -> None:
    import pyogrio

    first = incidents(["1", "2"], failed=("2",))
    store.apply_import(incidents=first, quarantine=quarantine(0), log={"source": "apk"})
    # rewrite the incidents layer as an older apk-geo wrote it: without geocode_reason
    old = pyogrio.read_dataframe(store.path, layer="incidents").drop(columns="geocode_reason")
    pyogrio.write_dataframe(old, store.path, layer="incidents", driver="GPKG")
    assert "geocode_reason" not in pyogrio.read_info(store.path, layer="incidents")["fields"]

    counts = store.apply_import(
        incidents=incidents(["3"]).assign(geocode_reason=["exact match"]),
        quarantine=quarantine(0),
        log={"source": "apk"},
    )
    assert counts.accepted == 1
    assert "geocode_reason" in pyogrio.read_info(store.path, layer="incidents")["fields"]
    got = store.incidents().set_index("id")
    assert sorted(got.index) == ["1", "2", "3"]
    assert got.loc["3", "geocode_reason"] == "exact match"
