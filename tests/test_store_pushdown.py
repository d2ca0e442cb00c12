"""The GeoPackage store's filters pushed down into SQLite, and its filter indexes.

The rows a filtered ``incidents()`` returns are compared with the whole store filtered in
pandas (the conformance suite does that for both backends; here the GeoPackage-only cases: the
query plan uses the indexes, an older store gains them on its first filtered read, a store that
cannot be indexed still answers, a value SQL cannot carry).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from apk_geo.io import quarantine_frame
from apk_geo.schema import TIMEZONE
from apk_geo.store import GeoPackageStore, lock_path_of
from apk_geo.store import geopackage as gpkg_module
from apk_geo.store.gpkgquery import (
    INDEXED_COLUMNS,
    incident_where,
    index_name,
    missing_indexes,
    sql_literal,
    utc_text_bound,
)
from apk_geo.testing import make_incidents, make_store

ROWS = [
    {
        "id": str(k),
        "reported_at": pd.Timestamp("2026-01-01 00:30", tz=TIMEZONE) + pd.Timedelta(days=5 * k),
        "category": ["dogs", "noise", "it's"][k % 3],
        "district_name": ["Poruba", "Jih"][k % 2],
        "district_code": ["DP", "DJ"][k % 2],
        "mdt_area": ["Poruba", "Jih"][k % 2],
    }
    for k in range(1, 60)
]


def _store(tmp_path: Path) -> GeoPackageStore:
    store = make_store(tmp_path / "apk.gpkg", ROWS)
    assert isinstance(store, GeoPackageStore)
    return store


def _drop_indexes(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        for column in INDEXED_COLUMNS:
            con.execute(f'DROP INDEX IF EXISTS "{index_name(column)}"')
        con.commit()


def _plan(path: Path, where: str) -> str:
    with contextlib.closing(sqlite3.connect(path)) as con:
        rows = con.execute(f"EXPLAIN QUERY PLAN SELECT * FROM incidents WHERE {where}").fetchall()
    return " ".join(str(r[-1]) for r in rows)


def _month_ids(full: pd.DataFrame, start: str, end: str) -> list[str]:
    lo, hi = pd.Timestamp(start, tz=TIMEZONE), pd.Timestamp(end, tz=TIMEZONE)
    t = full["reported_at"]
    return sorted(full.loc[(t >= lo) & (t < hi), "id"], key=int)


def test_a_written_store_has_the_indexes_and_a_month_uses_them(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert missing_indexes(store.path) == []
    start, end = pd.Timestamp("2026-03-01", tz=TIMEZONE), pd.Timestamp("2026-04-01", tz=TIMEZONE)
    where = incident_where(
        start=start, end=end, categories=None, districts=None, mdt_areas=None, geocoded_only=False
    )
    assert where is not None and index_name("reported_at") in _plan(store.path, where)
    by_cat = incident_where(
        start=None,
        end=None,
        categories=["dogs"],
        districts=None,
        mdt_areas=None,
        geocoded_only=False,
    )
    assert by_cat is not None and "SCAN" in _plan(store.path, by_cat)  # no list-column index
    both = incident_where(
        start=start,
        end=end,
        categories=["dogs"],
        districts=None,
        mdt_areas=None,
        geocoded_only=False,
    )
    assert both is not None and index_name("reported_at") in _plan(store.path, both)
    assert index_name("category") not in _plan(store.path, both)  # the period's rows lie together
    full = store.incidents()
    got = store.incidents(start=start, end=end)
    assert sorted(got["id"], key=int) == _month_ids(full, "2026-03-01", "2026-04-01") != []


def test_rows_found_through_an_index_come_back_in_stored_order(tmp_path: Path) -> None:
    shuffled = [ROWS[k] for k in (5, 2, 40, 0, 33, 1, 58, 7)]
    store = make_store(tmp_path / "apk.gpkg", shuffled)
    got = store.incidents(start=pd.Timestamp("2026-01-01"), end=pd.Timestamp("2027-01-01"))
    assert got["id"].tolist() == [r["id"] for r in shuffled]  # not in reported_at order


def test_an_import_that_rewrites_the_layer_keeps_the_indexes(tmp_path: Path) -> None:
    store = _store(tmp_path)
    changed = make_incidents([{**ROWS[0], "note": "opraveno"}])  # another hash: updated
    counts = store.apply_import(incidents=changed, quarantine=quarantine_frame([]), log={})
    assert counts.updated == 1
    assert missing_indexes(store.path) == []


def test_an_older_store_gains_the_indexes_on_its_first_filtered_read(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _drop_indexes(store.path)
    assert missing_indexes(store.path) == list(INDEXED_COLUMNS)
    full = store.incidents()  # an unfiltered read does not index
    token = store.change_token()
    assert missing_indexes(store.path) == list(INDEXED_COLUMNS)
    got = store.incidents(start=pd.Timestamp("2026-05-01"), end=pd.Timestamp("2026-06-01"))
    assert missing_indexes(store.path) == []
    assert store.change_token() != token  # the store was replaced: caches see it
    assert sorted(got["id"], key=int) == _month_ids(full, "2026-05-01", "2026-06-01") != []
    assert len(store.incidents()) == len(ROWS) and store.reconcile().ok


@pytest.mark.parametrize("blocked", ["lock held", "not writable"])
def test_a_store_that_cannot_be_indexed_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocked: str
) -> None:
    store = _store(tmp_path)
    _drop_indexes(store.path)
    full = store.incidents()
    before = store.path.read_bytes()
    if blocked == "not writable":
        monkeypatch.setattr(gpkg_module, "can_write", lambda path: False)
    fd = os.open(lock_path_of(store.path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if blocked == "lock held":
            fcntl.flock(fd, fcntl.LOCK_EX)
        got = store.incidents(categories=["it's"], districts=["DJ"])
    finally:
        os.close(fd)
    expected = full["category"].eq("it's") & full["district_code"].eq("DJ")
    assert sorted(got["id"], key=int) == sorted(full.loc[expected, "id"], key=int) != []
    assert store.path.read_bytes() == before and missing_indexes(store.path) != []


def test_a_value_sql_cannot_carry_is_filtered_without_push_down(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert len(store.incidents(categories=["dogs\x00"])) == 0
    got = store.incidents(categories=["dogs", "x\x00"], districts=["Jih"])
    full = store.incidents()
    expected = full["category"].eq("dogs") & full["district_name"].eq("Jih")
    assert sorted(got["id"], key=int) == sorted(full.loc[expected, "id"], key=int) != []
    with pytest.raises(ValueError, match="NUL"):
        sql_literal("a\x00b")


def test_literals_and_bounds() -> None:
    assert sql_literal("it's") == "'it''s'"
    assert sql_literal("'; DROP TABLE incidents; --") == "'''; DROP TABLE incidents; --'"
    moment = pd.Timestamp("2026-03-29 03:00:00.250", tz=TIMEZONE)  # CEST: 01:00:00.250 UTC
    assert utc_text_bound(moment, upper=False) == "'2026-03-29T01:00:00'"
    assert utc_text_bound(moment, upper=True) == "'2026-03-29T01:00:01'"
    assert (
        incident_where(
            start=None, end=None, categories=[], districts=None, mdt_areas=None, geocoded_only=False
        )
        == "0 = 1"
    )
    assert (
        incident_where(
            start=None,
            end=None,
            categories=None,
            districts=None,
            mdt_areas=None,
            geocoded_only=False,
        )
        is None
    )


def test_points_of_parses_every_wkb_as_shapely_does() -> None:
    import numpy as np
    import pyarrow as pa
    import shapely

    from apk_geo.store.gpkg import _points_of

    geoms = [
        shapely.Point(-470_000.5, -1_100_000.25),
        None,
        shapely.Point(),  # empty: NaN coordinates in WKB
        shapely.LineString([(0, 0), (1, 1)]),
        shapely.Point(1.0, 2.0),
    ]
    little = [None if g is None else shapely.to_wkb(g, byte_order=1) for g in geoms]
    big = [None if g is None else shapely.to_wkb(g, byte_order=0) for g in geoms]
    for values in (little, big, little[:2] + little[4:], [little[0], None, little[4]]):
        got = _points_of(pa.array(values, type=pa.binary()))
        expected = shapely.from_wkb(np.array(values, dtype=object))
        assert len(got) == len(values)
        for a, b in zip(got, expected, strict=True):
            assert (
                (a is None and b is None)
                or shapely.equals_exact(a, b, tolerance=0.0)
                or (a.is_empty and b.is_empty)
            )


def test_read_points_equals_pyogrio(tmp_path: Path) -> None:
    import pyogrio
    from geopandas.testing import assert_geodataframe_equal

    from apk_geo.store.gpkg import read_points
    from apk_geo.store.layers import normalise_incidents

    rows = [{**r, "match": "failed"} if int(str(r["id"])) % 5 == 0 else r for r in ROWS]
    path = tmp_path / "apk.gpkg"
    make_store(path, rows)
    ours = normalise_incidents(read_points(path, "incidents"))
    plain = normalise_incidents(pyogrio.read_dataframe(path, layer="incidents", use_arrow=True))
    assert ours.geometry.isna().sum() == len([r for r in rows if r.get("match") == "failed"])
    assert_geodataframe_equal(ours, plain)
