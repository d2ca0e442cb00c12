"""The store's GeoPackage opens right in the QGIS and GDAL that Debian 12 carries (issue 14).

GeoPackage 1.3 (GDAL 3.12 writes 1.4 by default, which GDAL 3.6's validator and QGIS 3.22–3.28
only partly support), and a layer's date-only column as a DATE field, not a naive DATETIME.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pandas as pd
import shapely

from apk_geo.store.gpkg import write_frame
from apk_geo.testing import make_store

#: ``PRAGMA user_version`` of a GeoPackage 1.3 file (1.4: 10400).
GPKG_1_3: int = 10300


def _sql(path: Path, query: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(query).fetchall()


def test_a_new_store_is_a_geopackage_1_3(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s.gpkg", [{"id": "1"}, {"id": "2"}])
    path = Path(str(store.location))
    assert _sql(path, "PRAGMA user_version") == [(GPKG_1_3,)]
    assert _sql(path, "PRAGMA application_id") == [(0x47504B47,)]  # "GPKG"


def test_a_date_only_column_is_a_date(tmp_path: Path) -> None:
    import geopandas as gpd

    path = tmp_path / "layer.gpkg"
    frame = gpd.GeoDataFrame(
        {
            "valid_from": pd.to_datetime(["2013-12-01", "2020-01-31", None]),
            "seen": pd.to_datetime(
                ["2024-03-31 01:30:00", None, "2024-07-01 05:04:00.250"], format="ISO8601"
            ),
            "at": pd.to_datetime(["2024-03-31 00:59:59"] * 3).tz_localize("UTC"),
        },
        geometry=[shapely.Point(0, 0)] * 3,
        crs="EPSG:5514",
    )
    write_frame(path, frame, "address_points", append=False)
    columns = {r[1]: r[2] for r in _sql(path, 'PRAGMA table_info("address_points")')}
    assert columns["valid_from"] == "DATE"  # all at midnight: a date
    assert columns["seen"] == "DATETIME" and columns["at"] == "DATETIME"
    assert _sql(path, "SELECT valid_from FROM address_points") == [
        ("2013-12-01",),
        ("2020-01-31",),
        (None,),
    ]


def _gpkg_blob(geometry: shapely.Geometry, *, envelope: bool) -> bytes:
    """A GeoPackage geometry blob by hand (clause 2.1.3): little endian, srs 5514."""
    import struct

    empty = geometry.is_empty
    flags = 0x01 | (0x02 if envelope else 0) | (0x10 if empty else 0)
    head = b"GP" + bytes([0, flags]) + struct.pack("<i", 5514)
    if envelope:
        minx, miny, maxx, maxy = geometry.bounds
        head += struct.pack("<4d", minx, maxx, miny, maxy)
    return head + shapely.to_wkb(geometry, byte_order=1)


def test_the_gpkg_sql_functions_read_the_header_by_hand() -> None:
    from apk_geo.store.gpkgtimes import register_gpkg_functions

    con = sqlite3.connect(":memory:")
    register_gpkg_functions(con)
    square = shapely.box(-470000.5, -1100000.0, -469990.0, -1099980.25)
    for blob in (_gpkg_blob(square, envelope=True), _gpkg_blob(square, envelope=False)):
        got = con.execute(
            "SELECT ST_IsEmpty(?1), ST_MinX(?1), ST_MaxX(?1), ST_MinY(?1), ST_MaxY(?1)", (blob,)
        ).fetchone()
        assert got == (0, -470000.5, -469990.0, -1100000.0, -1099980.25)
    empty = _gpkg_blob(shapely.Point(), envelope=False)
    assert con.execute("SELECT ST_IsEmpty(?1), ST_MinX(?1)", (empty,)).fetchone() == (1, None)
    assert con.execute("SELECT ST_IsEmpty(NULL)").fetchone() == (None,)


def test_appended_rows_spell_datetimes_with_milliseconds_and_keep_the_rtree(
    tmp_path: Path,
) -> None:
    """GDAL 3.12 appends ``…T10:00:00Z``; GeoPackage 1.3 wants ``…T10:00:00.000Z``."""
    import geopandas as gpd

    from apk_geo.store.lock import _empty_geopackage

    path = tmp_path / "layer.gpkg"
    path.write_bytes(_empty_geopackage())  # a new store's file: GeoPackage 1.3

    def frame(start: int) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {
                "at": pd.to_datetime(
                    ["2024-03-31 00:59:59", "2024-07-01 05:04:00.250", None], format="ISO8601"
                ).tz_localize("UTC"),
            },
            geometry=[shapely.Point(start, 0), shapely.Point(start + 1, 2), None],
            crs="EPSG:5514",
        )

    write_frame(path, frame(0), "incidents", append=False)
    write_frame(path, frame(10), "incidents", append=True)
    write_frame(path, frame(20), "incidents", append=True)
    texts = [r[0] for r in _sql(path, "SELECT at FROM incidents ORDER BY fid")]
    assert texts == ["2024-03-31T00:59:59.000Z", "2024-07-01T05:04:00.250Z", None] * 3
    back = gpd.read_file(path, layer="incidents")
    assert list(back["at"]) == list(frame(0)["at"]) * 3
    rtree = _sql(path, "SELECT id, minx, maxx, miny, maxy FROM rtree_incidents_geom ORDER BY id")
    assert [r[0] for r in rtree] == [1, 2, 4, 5, 7, 8]
    assert [r[1] for r in rtree] == [0, 1, 10, 11, 20, 21]


def test_a_store_after_several_imports_passes_gdal_3_6_validator(tmp_path: Path) -> None:
    """Appended incidents, versions, quarantine and log rows: validate_gpkg.py --extra is quiet."""
    from gdaltools import validate_gpkg

    quarantined = {
        "source": "apk", "file": "a.csv", "line": 2, "field": "reported_at", "value": "x",
        "expected": "date", "reason": "bad", "raw": "x;y",
        "imported_at": pd.Timestamp("2024-07-01 10:00", tz="Europe/Prague"),
    }  # fmt: skip
    path = tmp_path / "s.gpkg"
    make_store(path, [{"id": "1"}, {"id": "2"}], quarantine=[quarantined])
    make_store(path, [{"id": "2", "category": "jiné"}, {"id": "3"}], quarantine=[
        {**quarantined, "raw": "z", "line": 3}
    ])  # fmt: skip
    assert _sql(path, "SELECT count(*) FROM incident_versions") == [(1,)]
    assert validate_gpkg(path) == ""


def test_a_new_stores_copy_starts_as_a_geopackage_1_3_without_layers(tmp_path: Path) -> None:
    """GDAL then builds the incidents' R-tree in its background thread (their first layer)."""
    from apk_geo.store.gpkg import layers_in
    from apk_geo.store.lock import _EMPTY_MAX_BYTES, _empty_geopackage, is_empty_geopackage

    empty = tmp_path / "copy.gpkg"
    empty.write_bytes(_empty_geopackage())
    assert len(_empty_geopackage()) < _EMPTY_MAX_BYTES
    assert _sql(empty, "PRAGMA user_version") == [(GPKG_1_3,)]
    assert _sql(empty, "SELECT count(*) FROM gpkg_contents") == [(0,)]
    assert is_empty_geopackage(empty) and layers_in(empty) == set()
    store = make_store(tmp_path / "s.gpkg", [{"id": "1"}])
    path = Path(str(store.location))
    assert not is_empty_geopackage(path) and "incidents" in layers_in(path)
    assert not is_empty_geopackage(tmp_path / "missing.gpkg")


def test_a_new_store_written_with_nothing_still_opens_in_gdal(tmp_path: Path) -> None:
    """Even an empty context write leaves a GeoPackage GDAL reads (its metadata layer)."""
    import pyogrio

    from apk_geo.store import open_store

    store = open_store(tmp_path / "s.gpkg")
    store.write_layers({})
    assert [str(n) for n, _ in pyogrio.list_layers(store.path)] == ["metadata"]
