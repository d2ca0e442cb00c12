from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from apk_geo.errors import ParameterError
from apk_geo.io import record_hash
from apk_geo.schema import INCIDENT_COLUMNS
from apk_geo.store import IncidentStore
from apk_geo.testing import (
    DEFAULT_IMPORTED_AT,
    DEFAULT_LAT_LON,
    assert_store_reconciles,
    make_incidents,
    make_store,
)

TZ = "datetime64[ns, Europe/Prague]"
ROWS: list[dict[str, object]] = [
    {"category": "dogs", "lat": 49.8413, "lon": 18.2893},
    {"id": "b", "x_5514": -470_000.0, "y_5514": -1_100_000.0, "reported_at": "2024-06-05 08:00"},
    {"match": "failed", "note": "bez adresy", "in_hostel_buffer": True},
]


def test_three_rows_have_the_schema_in_order_with_the_store_dtypes() -> None:
    gdf = make_incidents(ROWS)
    assert list(gdf.columns) == [*INCIDENT_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 5514
    floats = {"lat", "lon", "x_5514", "y_5514", "score", "hostel_distance_m"}
    for c in INCIDENT_COLUMNS:
        want = {"reported_at": TZ, "imported_at": TZ, "ruian_adm": "Int64"}.get(c)
        want = want or ("float64" if c in floats else None)
        want = want or ("boolean" if c == "in_hostel_buffer" else "str")
        assert str(gdf[c].dtype) == want, c


def test_defaults_by_hand() -> None:
    gdf = make_incidents(ROWS)
    assert gdf["source"].tolist() == ["apk"] * 3
    assert gdf["id"].tolist() == ["1", "b", "3"]
    assert [t.isoformat() for t in gdf["reported_at"]] == [
        "2024-06-01T10:00:00+02:00",
        "2024-06-05T08:00:00+02:00",
        "2024-06-03T10:00:00+02:00",  # row 2: the default start plus two days
    ]
    assert gdf["category"].tolist() == ["dogs", "other", "other"]
    assert gdf["match"].tolist() == ["exact", "exact", "failed"]
    assert gdf["score"].tolist() == [100.0, 100.0, 0.0]
    assert gdf["geocode_reason"].tolist() == ["", "", "address not found"]
    assert gdf["district_name"].isna().all() and gdf["ruian_adm"].isna().all()
    assert gdf["in_hostel_buffer"].tolist() == [False, False, True]
    assert (gdf["imported_at"] == DEFAULT_IMPORTED_AT).all()


def test_locations_come_from_either_pair_and_failed_rows_have_none() -> None:
    gdf = make_incidents(ROWS)
    # row 0: lat/lon given, projected; row 1: x/y given, lat/lon derived; both round-trip
    back = gpd.GeoSeries(gdf.geometry.iloc[:2], crs=5514).to_crs(4326)
    np.testing.assert_allclose(back.y, gdf["lat"].iloc[:2], atol=1e-9)
    np.testing.assert_allclose(back.x, gdf["lon"].iloc[:2], atol=1e-9)
    assert gdf.geometry.iloc[1].equals(shapely.Point(-470_000, -1_100_000))
    assert gdf.geometry.iloc[2] is None
    assert gdf.loc[2, ["lat", "lon", "x_5514", "y_5514"]].isna().all()
    # a row giving nothing is put at the default address point
    (lat, lon) = make_incidents([{}]).loc[0, ["lat", "lon"]]
    assert (lat, lon) == DEFAULT_LAT_LON


def test_record_hash_is_the_io_hash_unless_given() -> None:
    gdf = make_incidents([*ROWS, {"id": "z", "record_hash": "h1"}])
    content = gdf.rename(columns={"x_5514": "x", "y_5514": "y"})
    assert gdf["record_hash"].iloc[:3].tolist() == record_hash(content).iloc[:3].tolist()
    assert gdf["record_hash"].iloc[3] == "h1"
    changed = make_incidents([{**ROWS[0], "note": "jiná"}])
    assert changed["record_hash"].iloc[0] != gdf["record_hash"].iloc[0]


def test_other_crs_is_for_testing_the_refusal() -> None:
    gdf = make_incidents(ROWS[:1], crs="EPSG:4326")
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].equals_exact(shapely.Point(18.2893, 49.8413), 1e-7)  # ~1 cm


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ({"colour": "red"}, r"rows\[0\] has column\(s\) \['colour'\]"),
        ({"lat": 49.8}, "gives lat alone; give both"),
        ({"lat": None, "lon": None}, r"rows \[0\] have no coordinates but are not failed"),
        ({"reported_at": "32.13.2024"}, r"rows\[0\]\['reported_at'\]"),
    ],
    ids=["unknown-column", "half-a-pair", "located-without-coordinates", "bad-time"],
)
def test_bad_rows_are_refused(row: dict[str, object], match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        make_incidents([row])


def test_store_round_trip(tmp_path: Path) -> None:
    given = make_incidents(ROWS)
    quarantine = [{"source": "apk", "file": "t.csv", "line": 4, "field": "Datum", "raw": "{}"}]
    store = make_store(
        tmp_path / "t.gpkg", ROWS, metadata={"synthetic": "true"}, quarantine=quarantine
    )
    got = store.incidents()
    assert list(got.dtypes.astype(str)) == list(given.dtypes.astype(str))
    pd.testing.assert_frame_equal(
        pd.DataFrame(got.drop(columns=["imported_at", "geometry"])),
        pd.DataFrame(given.drop(columns=["imported_at", "geometry"])),
    )
    assert got.geometry.equals(given.geometry)
    s = store.summary()
    assert (s["incidents"], s["not_geocoded"], s["quarantined"], s["synthetic"]) == (3, 1, 1, True)
    assert store.import_log()["file"].tolist() == ["test.csv"]
    assert_store_reconciles(store)


def test_store_with_context_layers_and_a_frame(tmp_path: Path) -> None:
    city = gpd.GeoDataFrame(
        {"NAZEV": ["Ostrava"]}, geometry=[shapely.box(18, 49, 19, 50)], crs=4326
    )
    frame = make_incidents(ROWS).assign(source="test")
    store = make_store(tmp_path / "t.gpkg", frame, layers={"city": city})
    assert store.layer_names() == ["city"]
    assert store.incidents()["source"].unique().tolist() == ["test"]
    assert store.import_log()["source"].tolist() == ["test"]


class _Broken:
    """A store whose bookkeeping does not add up, for the reconciliation check."""

    path = Path("broken.gpkg")

    def incidents(self) -> gpd.GeoDataFrame:
        gdf = make_incidents([{"id": "1"}, {"id": "1"}])
        gdf.loc[1, "match"] = "failed"
        return gdf

    def import_log(self) -> pd.DataFrame:
        counts = {"accepted": [1], "updated": [0], "duplicates": [0], "quarantined": [0]}
        return pd.DataFrame({"import_id": ["x"], "read": [2], **counts})

    def quarantine(self) -> pd.DataFrame:
        return pd.DataFrame({"line": [1]})


def test_reconciliation_names_every_problem() -> None:
    with pytest.raises(AssertionError) as err:
        assert_store_reconciles(_Broken())  # type: ignore[arg-type]
    text = str(err.value)
    assert "(source, id) repeats for ids ['1']" in text
    assert "1 failed incident(s) have a geometry" in text
    assert "imports ['x']: read != accepted" in text
    assert "2 incidents stored but 1 accepted" in text
    assert "1 quarantine rows but 0 quarantined" in text


def test_make_store_returns_the_protocol(tmp_path: Path) -> None:
    assert isinstance(make_store(tmp_path / "t.gpkg", []), IncidentStore)
