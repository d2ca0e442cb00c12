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
