"""``apk-geo db migrate``: a GeoPackage store copied into PostGIS, every table, counts checked."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from apk_geo import cli
from apk_geo.db import migrate_geopackage
from apk_geo.errors import StoreError
from apk_geo.io import quarantine_frame
from apk_geo.schema import TIMEZONE
from apk_geo.store import GeoPackageStore, PostGISStore
from apk_geo.testing import make_incidents

pytest_plugins = ["pgtest"]
pytestmark = pytest.mark.postgis


def geopackage(path: Path) -> GeoPackageStore:
    """A store with two imports (so a replaced and a stale version), quarantine and layers."""
    store = GeoPackageStore(path)
    first = make_incidents(
        [{"id": "1", "note": "a"}, {"id": "2", "note": "b"}, {"id": "3", "match": "failed"}]
    ).assign(modified_at=pd.Timestamp("2026-11-02 10:00", tz=TIMEZONE))
    districts = gpd.GeoDataFrame(
        {"KOD": ["1"], "NAZEV": ["Poruba"]},
        geometry=[shapely.box(-471e3, -1101e3, -469e3, -1099e3)],
        crs=5514,
    )
    store.apply_import(
        incidents=first,
        quarantine=quarantine_frame(
            [
                {
                    "source": "apk",
                    "file": "f",
                    "line": 4,
                    "field": "datum",
                    "value": "x",
                    "expected": "d",
                    "reason": "r",
                    "raw": "{}",
                }
            ]
        ),
        log={"source": "apk", "file": "first.csv"},
        layers={"districts": districts},
        metadata={"synthetic": "true"},
    )
    second = make_incidents([{"id": "1", "note": "a2"}, {"id": "2", "note": "b-old"}]).assign(
        modified_at=[
            pd.Timestamp("2026-11-03", tz=TIMEZONE),
            pd.Timestamp("2026-11-01", tz=TIMEZONE),
        ]
    )
    store.apply_import(incidents=second, quarantine=quarantine_frame([]), log={"file": "2.csv"})
    return store


def test_migration_copies_every_table_and_the_books_still_balance(
    tmp_path: Path, pg_store: PostGISStore, pg_store_url: str
) -> None:
    gpkg = geopackage(tmp_path / "apk.gpkg")
    result = migrate_geopackage(gpkg.path, pg_store_url)
    assert result.reconciled and result.problems == ()
    assert result.counts == {
        "incidents": (3, 3),
        "incident_versions": (2, 2),
        "quarantine": (1, 1),
        "import_log": (2, 2),
        "metadata": (2, 2),  # and record_hash_version (the import made it a v2 store)
        "layer:districts": (1, 1),
    }
    order = ["source", "id"]
    assert_geodataframe_equal(
        gpkg.incidents().sort_values(order).reset_index(drop=True),
        pg_store.incidents().sort_values(order).reset_index(drop=True),
    )
    assert_geodataframe_equal(gpkg.versions(), pg_store.versions())
    pd.testing.assert_frame_equal(gpkg.quarantine(), pg_store.quarantine())
    pd.testing.assert_frame_equal(gpkg.import_log(), pg_store.import_log())
    assert pg_store.metadata() == {"synthetic": "true", "record_hash_version": "2"}
    assert_geodataframe_equal(gpkg.layer("districts"), pg_store.layer("districts"))
    # the modification times came along: an older edit of 1 is still stale
    late = make_incidents([{"id": "1", "note": "a-old"}]).assign(
        modified_at=pd.Timestamp("2026-11-02 12:00", tz=TIMEZONE)
    )
    counts = pg_store.apply_import(incidents=late, quarantine=quarantine_frame([]), log={})
    assert counts.stale == 1 and pg_store.reconcile().ok


def test_migration_refuses_a_store_that_holds_data(
    tmp_path: Path, pg_store: PostGISStore, pg_store_url: str
) -> None:
    gpkg = geopackage(tmp_path / "apk.gpkg")
    migrate_geopackage(gpkg.path, pg_store_url)
    token = pg_store.change_token()
    with pytest.raises(StoreError, match="already holds 3 incident"):
        migrate_geopackage(gpkg.path, pg_store_url)
    assert pg_store.change_token() == token
    with pytest.raises(StoreError, match="no store here"):
        migrate_geopackage(tmp_path / "missing.gpkg", pg_store_url)


def test_cli_migrate(
    tmp_path: Path, pg_store: PostGISStore, pg_store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    gpkg = geopackage(tmp_path / "apk.gpkg")
    assert (
        cli.main(["db", "migrate", "--from", str(gpkg.path), "--url", pg_store_url, "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["reconciled"] is True and out["counts"]["incidents"] == [3, 3]
    assert "password" not in json.dumps(out) and out["into"].startswith("postgresql://")
