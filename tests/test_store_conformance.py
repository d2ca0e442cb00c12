"""One behaviour, two backends: every IncidentStore rule, run on the GeoPackage and on PostGIS.

Each test takes the ``store`` fixture, parametrised over ``gpkg`` (a file in tmp_path) and
``postgis`` (an emptied database of the session, as its owner; marked ``postgis``, skipped only
when APK_GEO_TEST_PG_URL is unset). What differs between the backends — how another writer
holds the lock, how a test breaks the books, what "unchanged" means — is in :class:`Backend`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from apk_geo.config import Config
from apk_geo.errors import CRSError, ParameterError, SchemaError, StoreError
from apk_geo.ingest import ingest_file
from apk_geo.io import quarantine_frame
from apk_geo.schema import INCIDENT_COLUMNS, QUARANTINE_COLUMNS, TIMEZONE
from apk_geo.store import (
    VERSION_COLUMNS,
    GeoPackageStore,
    IncidentStore,
    PostGISStore,
    lock_path_of,
    open_store,
)
from apk_geo.store.pg import IMPORT_LOCK
from apk_geo.testing import assert_store_reconciles, make_incidents

pytest_plugins = ["pgtest"]

NOV = "2026-11-{:02d} 10:00"


# ------------------------------------------------------------------------------ fixtures


@dataclass
class Backend:
    """What a test needs to know of a backend beyond the protocol."""

    name: str
    store: IncidentStore
    url: str
    hold_lock: Callable[[], contextlib.AbstractContextManager[None]]
    drop_versions: Callable[[], None]
    snapshot: Callable[[], object]


def gpkg_backend(tmp_path: Path) -> Backend:
    store = GeoPackageStore(tmp_path / "apk.gpkg")

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        fd = os.open(lock_path_of(store.path), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def drop_versions() -> None:
        import pyogrio

        ver = pyogrio.read_dataframe(store.path, layer="incident_versions")
        pyogrio.write_dataframe(ver.iloc[:0], store.path, layer="incident_versions", driver="GPKG")

    def snapshot() -> object:
        files = sorted(p.name for p in tmp_path.iterdir())
        body = store.path.read_bytes() if store.path.exists() else None
        return files, body

    return Backend("gpkg", store, str(store.path), hold, drop_versions, snapshot)


def postgis_backend(store: PostGISStore, url: str) -> Backend:
    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        with psycopg.connect(url) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            yield

    def drop_versions() -> None:
        with psycopg.connect(url) as conn:
            conn.execute("DELETE FROM apk.incident_versions")

    def snapshot() -> object:
        tables = ("incidents", "incident_versions", "quarantine", "import_log", "metadata")
        with psycopg.connect(url) as conn:
            counts = [conn.execute(f"SELECT count(*) FROM apk.{t}").fetchone() for t in tables]
            log = conn.execute("SELECT import_id FROM apk.import_log ORDER BY seq").fetchall()
        return store.change_token(), counts, log

    return Backend("postgis", store, url, hold, drop_versions, snapshot)


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "gpkg":
        return gpkg_backend(tmp_path)
    store = request.getfixturevalue("pg_store")
    return postgis_backend(store, request.getfixturevalue("pg_store_url"))


@pytest.fixture
def store(backend: Backend) -> IncidentStore:
    return backend.store


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
            "note": f"poznámka {i}",
            "ruian_adm": 3182860,
            "district_name": where,
            "district_code": f"D{where[0]}",
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
                "raw": '{"Poznámka": "osobní údaj"}',
            }
            for k in range(n)
        ]
    )


def batch(*records: tuple[str, str, str | None]) -> gpd.GeoDataFrame:
    """Incidents ``(id, note, modified_at or None)``; the note makes the content (the hash)."""
    rows = [
        {"id": i, "note": note, "reported_at": f"2026-10-{int(i):02d} 10:00"}
        for i, note, _ in records
    ]
    gdf = make_incidents(rows)
    times = pd.to_datetime(pd.Series([m for *_, m in records], dtype=object))
    return gdf.assign(modified_at=times.dt.tz_localize(TIMEZONE))


def apply(store: IncidentStore, frame: gpd.GeoDataFrame, *, dry_run: bool = False) -> dict:
    counts = store.apply_import(
        incidents=frame,
        quarantine=quarantine_frame([]),
        log={"source": "apk", "file": "x.csv"},
        dry_run=dry_run,
    )
    assert counts.balanced
    return counts.as_dict()


KEYS = ("read", "accepted", "updated", "stale", "duplicates", "reverted")


def counts_of(d: dict, *keys: str) -> tuple[int, ...]:
    return tuple(d[k] for k in keys)


# ------------------------------------------------------------------------- the upsert


def test_upsert_counts_new_duplicate_and_updated(store: IncidentStore) -> None:
    first = store.apply_import(
        incidents=incidents(["1", "2", "3"], failed=("3",)),
        quarantine=quarantine(2),
        log={"source": "apk", "file": "a.csv"},
    )
    assert counts_of(first.as_dict(), *KEYS, "quarantined", "not_geocoded") == (
        5, 3, 0, 0, 0, 0, 2, 1,
    )  # fmt: skip
    again = store.apply_import(
        incidents=incidents(["1", "2", "3"], failed=("3",)),
        quarantine=quarantine(2),
        log={"source": "apk", "file": "a.csv", "duplicates_in_file": 2},
    )
    assert counts_of(again.as_dict(), *KEYS, "quarantined") == (7, 0, 0, 0, 5, 0, 2)
    overlap = store.apply_import(
        incidents=incidents(["2", "3", "4"], hashes=["h2", "NEW", "h4"]),
        quarantine=quarantine(0),
        log={"source": "apk", "file": "b.csv"},
    )
    assert counts_of(overlap.as_dict(), *KEYS, "not_geocoded") == (3, 1, 1, 0, 1, 0, 0)
    stored = store.incidents().sort_values("id").reset_index(drop=True)
    assert stored["id"].tolist() == ["1", "2", "3", "4"]
    assert stored["record_hash"].tolist() == ["h1", "h2", "NEW", "h4"]
    assert stored.geometry.isna().tolist() == [False, False, False, False]
    other = store.apply_import(
        incidents=incidents(["1"], source="jiny"), quarantine=quarantine(0), log={"source": "jiny"}
    )
    assert other.accepted == 1 and len(store.incidents()) == 5
    log = store.import_log()
    assert log["accepted"].tolist() == [3, 0, 1, 1]
    assert log["file"].tolist()[:2] == ["a.csv", "a.csv"]
    assert len(store.quarantine()) == 2  # the repeated rejected rows are stored once
    assert_store_reconciles(store)


def test_a_re_import_is_idempotent(store: IncidentStore) -> None:
    frame = incidents(["1", "2", "3"], failed=("2",))
    apply(store, frame)
    before = store.incidents()
    for _ in range(2):
        assert counts_of(apply(store, frame), *KEYS) == (3, 0, 0, 0, 3, 0)
    assert_geodataframe_equal(store.incidents(), before)
    assert len(store.versions()) == 0
    assert_store_reconciles(store)


def test_round_trip_keeps_schema_types_and_time_zone(store: IncidentStore) -> None:
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
    assert got["svl_name"].isna().all() and got["note"].tolist() == ["poznámka 1", "poznámka 2"]
    keep = [c for c in INCIDENT_COLUMNS if c != "imported_at"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(got[keep]), pd.DataFrame(given[keep]), check_dtype=True
    )
    q = store.quarantine()
    assert list(q.columns) == list(QUARANTINE_COLUMNS)
    assert q["line"].tolist() == [10] and q["raw"].tolist() == ['{"Poznámka": "osobní údaj"}']


def test_filters(store: IncidentStore) -> None:
    store.apply_import(
        incidents=incidents(["1", "2", "3", "4"], failed=("4",)),
        quarantine=quarantine(0),
        log={"source": "apk"},
    )

    def ids(gdf: gpd.GeoDataFrame) -> list[str]:
        return sorted(gdf["id"])

    assert ids(
        store.incidents(start=pd.Timestamp("2026-11-02"), end=pd.Timestamp("2026-11-04"))
    ) == ["2", "3"]
    assert ids(store.incidents(start="2026-11-03")) == ["3", "4"]
    assert ids(store.incidents(categories=["dogs"])) == ["1", "3"]
    assert ids(store.incidents(categories=[])) == []
    assert ids(store.incidents(districts=["Poruba"])) == ["1", "2"]
    assert ids(store.incidents(districts=["DV"])) == ["3", "4"]  # a district code
    assert ids(store.incidents(mdt_areas=["Vítkovice"])) == ["3", "4"]
    assert ids(store.incidents(geocoded_only=True)) == ["1", "2", "3"]
    assert ids(store.incidents(categories=["noise"], mdt_areas=["Vítkovice"])) == ["4"]
    with pytest.raises(ParameterError, match="start"):
        store.incidents(start="zítra")


def _filter_fixture() -> gpd.GeoDataFrame:
    """Incidents every 20 min around both 2026 DST changes, a few with milliseconds, mixed text."""
    spring = pd.date_range("2026-03-28 22:00", "2026-03-29 04:00", freq="20min", tz="UTC")
    autumn = pd.date_range("2026-10-24 22:00", "2026-10-25 04:00", freq="20min", tz="UTC")
    exact = pd.DatetimeIndex(
        ["2026-06-30 22:00:00.500", "2026-06-30 22:00:00", "2026-06-30 21:59:59.999"], tz="UTC"
    )
    times = spring.append(autumn).append(exact)
    cats = ["dogs", "noise", "o'x; DROP TABLE incidents; --", "truancy"]
    places = [("Poruba", "DP"), ("Vítkovice", "DV"), ("Jih", "DJ")]
    rows: list[dict[str, object]] = []
    for k, when in enumerate(times):
        name, code = places[k % 3]
        row: dict[str, object] = {
            "id": str(k + 1),
            "reported_at": when.tz_convert(TIMEZONE),
            "category": cats[k % 4],
            "district_name": name,
            "district_code": code,
            "mdt_area": places[(k + 1) % 3][0],
            "x_5514": -470_000.0 + k,
            "y_5514": -1_100_000.0,
        }
        if k % 7 == 0:
            row.update(match="failed", x_5514=None, y_5514=None)
        rows.append(row)
    return make_incidents(rows)


def _reference(full: gpd.GeoDataFrame, **f: Any) -> list[str]:
    """The ids the filters keep, computed on the whole frame with pandas (the reference)."""
    keep = pd.Series(True, index=full.index)
    t = full["reported_at"]
    if f.get("start") is not None:
        keep &= t >= _local(f["start"])
    if f.get("end") is not None:
        keep &= t < _local(f["end"])
    if f.get("categories") is not None:
        keep &= full["category"].isin(f["categories"])
    if f.get("districts") is not None:
        d = f["districts"]
        keep &= full["district_name"].isin(d) | full["district_code"].isin(d)
    if f.get("mdt_areas") is not None:
        keep &= full["mdt_area"].isin(f["mdt_areas"])
    if f.get("geocoded_only"):
        keep &= full.geometry.notna() & full["match"].ne("failed")
    return sorted(full.loc[keep, "id"], key=int)


def _local(value: pd.Timestamp) -> pd.Timestamp:
    """A naive bound is Prague time (none of the cases' naive bounds is ambiguous)."""
    return value if value.tzinfo else value.tz_localize(TIMEZONE)


def _aware(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert(TIMEZONE)


FILTER_CASES: list[dict[str, Any]] = [
    # the spring change: 02:00 CET -> 03:00 CEST on 29 March 2026 (01:00 UTC)
    {"start": _aware("2026-03-29T01:00Z"), "end": _aware("2026-03-29T02:00Z")},
    {"start": pd.Timestamp("2026-03-29 03:00"), "end": pd.Timestamp("2026-03-29 04:00")},
    {"end": _aware("2026-03-29T00:59:59Z")},
    # the autumn change: 03:00 CEST -> 02:00 CET on 25 October 2026 (01:00 UTC), both 02:30s
    {"start": _aware("2026-10-25T00:20Z"), "end": _aware("2026-10-25T01:40Z")},
    {"start": pd.Timestamp("2026-10-25T02:30+01:00"), "end": pd.Timestamp("2026-10-25 05:00")},
    # bounds within one second (milliseconds stored)
    {"start": _aware("2026-06-30T22:00:00.500Z")},
    {"start": _aware("2026-06-30T22:00:00.001Z"), "end": _aware("2026-06-30T22:00:00.500Z")},
    {"start": _aware("2026-06-30T21:59:59.999Z"), "end": _aware("2026-06-30T22:00:00Z")},
    {"end": _aware("2026-06-30T22:00:00.400Z"), "start": pd.Timestamp("2026-06-01")},
    # an empty month, a month before everything
    {"start": pd.Timestamp("2030-01-01"), "end": pd.Timestamp("2030-02-01")},
    {"start": pd.Timestamp("2020-01-01"), "end": pd.Timestamp("2020-02-01")},
    # the lists, alone and together with a period; text that must stay text
    {"categories": ["o'x; DROP TABLE incidents; --"]},
    {"categories": ["dogs", "truancy", "dogs"], "start": pd.Timestamp("2026-10-01")},
    {"categories": []},
    {"districts": ["Poruba", "DV"]},
    {"districts": ["Jih"], "mdt_areas": ["Poruba"], "geocoded_only": True},
    {"mdt_areas": ["Vítkovice"], "end": pd.Timestamp("2026-07-01")},
    {"geocoded_only": True, "start": pd.Timestamp("2026-03-29"), "end": pd.Timestamp("2026-10-25")},
    # a NUL character (no stored text holds one): that value matches nothing, the others do
    {"categories": ["dogs\x00"]},
    {"categories": ["\x00", "noise"], "start": pd.Timestamp("2026-10-01")},
    {"districts": ["Poruba", "D\x00V"], "mdt_areas": ["Jih\x00", "Vítkovice"]},
    {"mdt_areas": ["\x00"]},
]


@pytest.mark.parametrize("case", FILTER_CASES, ids=lambda c: ",".join(sorted(c)))
def test_filtered_reads_equal_the_whole_store_filtered_in_pandas(
    store: IncidentStore, case: dict[str, Any]
) -> None:
    store.apply_import(incidents=_filter_fixture(), quarantine=quarantine(0), log={"source": "apk"})
    full = store.incidents()
    assert len(full) == 41
    got = store.incidents(**case)
    assert sorted(got["id"], key=int) == _reference(full, **case)
    assert list(got.columns) == list(full.columns)
    assert got["id"].tolist() == [i for i in full["id"] if i in set(got["id"])]  # stored order
    if len(got):
        pd.testing.assert_frame_equal(
            pd.DataFrame(got.drop(columns="geometry")).reset_index(drop=True),
            pd.DataFrame(full.loc[full["id"].isin(got["id"])].drop(columns="geometry")).reset_index(
                drop=True
            ),
        )
    assert len(store.incidents()) == 41  # nothing dropped by a literal


def test_bad_input_is_refused_before_writing(backend: Backend, store: IncidentStore) -> None:
    before = backend.snapshot()
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
    with pytest.raises(StoreError, match="'incidents' is not a context layer"):
        store.apply_import(
            incidents=incidents(["1"]),
            quarantine=quarantine(0),
            log={},
            layers={"incidents": incidents(["2"])},
        )
    assert backend.snapshot() == before


def test_context_layers_and_metadata(store: IncidentStore) -> None:
    districts = gpd.GeoDataFrame(
        {"KOD": ["1", "2"], "NAZEV": ["Poruba", "Jih"], "pocet": [3, 4], "podil": [0.5, np.nan]},
        geometry=[shapely.box(18.2, 49.8, 18.3, 49.9), shapely.box(18.3, 49.8, 18.4, 49.9)],
        crs=4326,
    )
    gaz = pd.DataFrame(
        {"adm": [3182860], "street": ["30. dubna"], "x_5514": [-470_000.0], "y_5514": [-1.1e6]}
    )
    store.write_layers(
        {"districts": districts, "address_points": gaz},
        metadata={"synthetic": "true", "seed": "42"},
    )
    assert store.layer_names() == ["districts", "address_points"]
    got = store.layer("districts")
    assert got.crs.to_epsg() == 5514
    np.testing.assert_allclose(got.to_crs(4326).total_bounds, [18.2, 49.8, 18.4, 49.9], atol=1e-6)
    assert got["NAZEV"].tolist() == ["Poruba", "Jih"] and got["pocet"].tolist() == [3, 4]
    assert got["podil"].iloc[0] == 0.5 and np.isnan(got["podil"].iloc[1])
    points = store.layer("address_points")
    assert points.geometry.iloc[0].equals(shapely.Point(-470_000, -1_100_000))
    assert points["adm"].tolist() == [3182860] and points["street"].tolist() == ["30. dubna"]
    assert store.metadata() == {"synthetic": "true", "seed": "42"}
    store.write_layers({}, metadata={"seed": "7"})
    assert store.metadata() == {"synthetic": "true", "seed": "7"}
    with pytest.raises(StoreError, match="no context layer 'svl'"):
        store.layer("svl")
    with pytest.raises(StoreError, match="'incidents' is not a context layer"):
        store.write_layers({"incidents": districts})


def test_summary(store: IncidentStore) -> None:
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
    assert s["store"] == store.location and s["versions"] == 0
    last = s["last_imports"]
    assert isinstance(last, list) and last[0]["file"] == "a.csv" and last[0]["read"] == 5


def test_the_change_token_changes_with_every_write_and_only_then(store: IncidentStore) -> None:
    empty = store.change_token()
    apply(store, incidents(["1"]))
    first = store.change_token()
    store.incidents(), store.summary(), store.reconcile(), store.versions()
    assert first != empty and store.change_token() == first
    apply(store, incidents(["1"]))  # even a repeated import logs a row
    second = store.change_token()
    store.write_layers({}, metadata={"k": "v"})
    assert len({empty, first, second, store.change_token()}) == 4


# ----------------------------------------------------------------------- versions


def test_newer_version_wins_older_is_stale_and_every_version_is_kept(
    store: IncidentStore,
) -> None:
    first = batch(
        ("1", "a1", NOV.format(1)), ("2", "a2", NOV.format(1)), ("3", "a3", NOV.format(1))
    )
    assert counts_of(apply(store, first), *KEYS) == (3, 3, 0, 0, 0, 0)
    newer = batch(
        ("2", "b2", NOV.format(2)), ("3", "a3", NOV.format(2)), ("4", "b4", NOV.format(2))
    )
    assert counts_of(apply(store, newer), *KEYS) == (3, 1, 1, 0, 1, 0)
    older = batch(
        ("1", "c1", "2026-10-31 10:00"),
        ("2", "a2", NOV.format(1)),
        ("3", "old3", NOV.format(1)),
        ("4", "b4", NOV.format(1)),
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
    assert ver.crs.to_epsg() == 5514 and ver.geometry.notna().all()
    a2 = ver.set_index("note").loc["a2"]
    assert a2["modified_at"] == pd.Timestamp(NOV.format(1), tz=TIMEZONE)
    books = store.reconcile()
    assert books.ok, books.problems
    assert (books.incidents, books.versions, books.quarantine) == (4, 3, 0)


def test_without_modification_times_the_file_wins_and_reverts_are_counted(
    store: IncidentStore,
) -> None:
    v1, v2 = batch(("1", "v1", None), ("2", "x", None)), batch(("1", "v2", None))
    apply(store, v1)
    assert counts_of(apply(store, v2), *KEYS) == (1, 0, 1, 0, 0, 0)
    assert counts_of(apply(store, v1), *KEYS) == (2, 0, 1, 0, 1, 1)
    assert store.incidents().set_index("id").loc["1", "note"] == "v1"
    assert counts_of(apply(store, v2), *KEYS) == (1, 0, 1, 0, 0, 1)
    assert sorted(store.versions()["note"]) == ["v1", "v1", "v2"]
    assert store.reconcile().ok


@pytest.mark.parametrize(
    ("stored_at", "incoming_at", "outcome"),
    [
        (None, NOV.format(2), "updated"),
        (NOV.format(2), None, "updated"),
        (NOV.format(2), NOV.format(2), "updated"),
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


def test_a_later_modification_time_refreshes_a_duplicate(store: IncidentStore) -> None:
    apply(store, batch(("1", "a", NOV.format(1))))
    assert counts_of(apply(store, batch(("1", "a", NOV.format(5)))), *KEYS) == (1, 0, 0, 0, 1, 0)
    # the stored row now carries 5.11.: an edit of 3.11. is older, hence stale
    assert counts_of(apply(store, batch(("1", "b", NOV.format(3)))), "stale") == (1,)


def test_dry_run_gives_the_same_counts_and_writes_nothing(
    backend: Backend, store: IncidentStore
) -> None:
    apply(store, batch(("1", "a", NOV.format(1)), ("2", "b", NOV.format(1))))
    before = backend.snapshot()
    change = batch(("1", "a2", NOV.format(2)), ("2", "b0", "2026-10-01 10:00"), ("3", "c", None))
    dry = apply(store, change, dry_run=True)
    assert backend.snapshot() == before
    assert dry == apply(store, change)
    assert counts_of(dry, "accepted", "updated", "stale") == (1, 1, 1)


def test_reconcile_names_what_does_not_add_up(backend: Backend, store: IncidentStore) -> None:
    apply(store, batch(("1", "a", None)))
    apply(store, batch(("1", "b", None)))
    assert store.reconcile().ok
    backend.drop_versions()
    books = store.reconcile()
    assert books.problems == ("0 versions stored but 1 kept by the imports",)


HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka;lat;lon;Datum změny"


def export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = [HEADER]
    for i, note, changed in rows:
        category = "létající talíř" if note == "BAD" else "alkohol"
        lines.append(
            f"{i};3.11.2026;21:40;{category};;vyřešeno;A07;{note};49,8290;18,1700;{changed}"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1250"))
    return path


@pytest.mark.slow
def test_ingest_sequence_accounts_for_every_record_read(
    store: IncidentStore, tmp_path: Path, demo_config: Config
) -> None:
    first = [("1", "a1", "4.11.2026 8:00"), ("2", "a2", "4.11.2026 8:00"), ("9", "BAD", "")]
    newer = [("2", "b2", "5.11.2026 9:30"), ("3", "b3", "5.11.2026 9:30")]
    stale = [("1", "c1", "2026-11-03T12:00"), ("3", "b3", "5.11.2026 9:30")]
    got = []
    for k, rows in enumerate([first, newer, first, stale]):
        counts = ingest_file(export(tmp_path / f"e{k}.csv", rows), store=store, config=demo_config)
        got.append(counts_of(counts.as_dict(), *KEYS, "quarantined"))
    assert got == [
        (3, 2, 0, 0, 0, 0, 1),
        (2, 1, 1, 0, 0, 0, 0),
        (3, 0, 0, 1, 1, 0, 1),
        (2, 0, 0, 1, 1, 0, 0),
    ]
    books = store.reconcile()
    assert books.ok, books.problems
    assert (books.incidents, books.versions, books.quarantine) == (3, 2, 1)
    assert store.layer_names()[:2] == ["svl", "hostels"] or "svl" in store.layer_names()
    assert sorted(store.versions()["note"]) == ["a2", "c1"]


# ---------------------------------------------------------------------- the write lock


def test_a_second_writer_says_it_waits_and_gives_up_after_the_timeout(backend: Backend) -> None:
    notes: list[str] = []
    store = open_store(backend.url, lock_timeout_s=0.3, on_lock_wait=notes.append)
    apply(store, incidents(["1"]))
    before = backend.snapshot()
    with backend.hold_lock():
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"another import still holds .* after 0\.3 s"):
            apply(store, incidents(["2"]))
        assert 0.3 <= time.monotonic() - started < 5
    assert len(notes) == 1 and "waiting for the write lock" in notes[0]
    assert "held by another import" in notes[0] and "up to 0.3 s" in notes[0]
    assert backend.snapshot() == before


def test_a_waiting_writer_goes_on_when_the_lock_is_freed(backend: Backend) -> None:
    notes: list[str] = []
    held, released = threading.Event(), threading.Event()

    def waiting(note: str) -> None:  # the holder lets go only once the writer says it waits
        notes.append(note)
        released.set()

    store = open_store(backend.url, lock_timeout_s=30, on_lock_wait=waiting)

    def hold() -> None:
        with backend.hold_lock():
            held.set()
            released.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    try:
        apply(store, incidents(["1"]))
    finally:
        released.set()
        holder.join()
    assert len(notes) == 1 and store.incidents()["id"].tolist() == ["1"]


@pytest.mark.parametrize("bad", [-1, float("nan"), "60"])
def test_a_bad_lock_timeout_is_refused(backend: Backend, bad: Any) -> None:
    with pytest.raises(ParameterError, match="lock_timeout_s"):
        open_store(backend.url, lock_timeout_s=bad)


@pytest.mark.slow
def test_concurrent_imports_serialise_and_account_for_every_record(backend: Backend) -> None:
    """Four writers import overlapping batches at once: the result is that of some order."""
    url = backend.url
    batches = [incidents([str(i) for i in range(k * 50 + 1, k * 50 + 101)]) for k in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(batches))

    def run(frame: gpd.GeoDataFrame) -> None:
        try:
            start.wait()
            apply(open_store(url, lock_timeout_s=60), frame)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    log = backend.store.import_log()
    assert len(log) == 4 and log["accepted"].sum() == 250 and log["duplicates"].sum() == 150
    assert sorted(backend.store.incidents()["id"], key=int) == [str(i) for i in range(1, 251)]
    assert_store_reconciles(backend.store)


# ---------------------------------------------------------------- both at once


@pytest.mark.postgis
def test_both_backends_return_the_same_frames(tmp_path: Path, pg_store: PostGISStore) -> None:
    gpkg = GeoPackageStore(tmp_path / "apk.gpkg")
    for target in (gpkg, pg_store):
        apply(target, batch(("1", "a", NOV.format(1)), ("2", "b", None), ("3", "c", None)))
        apply(target, batch(("1", "a2", NOV.format(2)), ("2", "b", None), ("4", "d", None)))
        target.apply_import(
            incidents=incidents(["5", "6"], failed=("6",)),
            quarantine=quarantine(3),
            log={"source": "apk", "file": "q.csv"},
        )
    skip = ["imported_at"]
    one, two = gpkg.incidents(), pg_store.incidents()
    order = ["source", "id"]
    assert_geodataframe_equal(
        one.drop(columns=skip).sort_values(order).reset_index(drop=True),
        two.drop(columns=skip).sort_values(order).reset_index(drop=True),
    )
    assert_geodataframe_equal(
        gpkg.versions().drop(columns=["imported_at", "replaced_at", "replaced_by_import"]),
        pg_store.versions().drop(columns=["imported_at", "replaced_at", "replaced_by_import"]),
    )
    pd.testing.assert_frame_equal(
        gpkg.quarantine().drop(columns="imported_at"),
        pg_store.quarantine().drop(columns="imported_at"),
    )
    counts = ["read", "accepted", "updated", "stale", "duplicates", "quarantined", "versions_kept"]
    pd.testing.assert_frame_equal(gpkg.import_log()[counts], pg_store.import_log()[counts])
    a, b = gpkg.summary(), pg_store.summary()
    same = ("incidents", "geocoded", "not_geocoded", "quarantined", "versions", "date_from")
    assert [a[k] for k in same] == [b[k] for k in same]
