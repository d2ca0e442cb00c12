from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from apk_geo import points
from apk_geo.errors import CRSError, InputFileError, SchemaError

DATA = Path(__file__).resolve().parent.parent / "data" / "real_crime"


def test_csv_latlon_in_czechia_goes_to_5514(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    # Magistrát Ostrava (RÚIAN 3182860) and a second point nearby
    f.write_text(
        "id;Zeměpisná šířka;Zeměpisná délka;Datum;Čas;Kategorie\n"
        "1;49.8413;18.2893;31.3.2024;14:05;dogs\n"
        "2;49.8350;18.2900;1.4.2024;08:00;noise\n",
        encoding="utf-8",
    )
    gdf = points.read_points(f)
    assert gdf.crs.to_epsg() == 5514
    expected = Transformer.from_crs(4326, 5514, always_xy=True).transform(18.2893, 49.8413)
    assert gdf.geometry.iloc[0].x == pytest.approx(expected[0], abs=5)
    assert gdf.geometry.iloc[0].y == pytest.approx(expected[1], abs=5)
    assert gdf["reported_at"].tolist() == [
        pd.Timestamp("2024-03-31 14:05", tz="Europe/Prague"),
        pd.Timestamp("2024-04-01 08:00", tz="Europe/Prague"),
    ]
    assert gdf["category"].tolist() == ["dogs", "noise"]
    assert gdf.attrs["params"]["crs"] == "EPSG:5514"
    assert gdf.attrs["params"]["date_col"] == "Datum"


def test_csv_xy_needs_crs(tmp_path: Path) -> None:
    f = tmp_path / "xy.csv"
    f.write_text("x,y\n-470000,-1103000\n-470100,-1103100\n", encoding="utf-8")
    with pytest.raises(CRSError, match="pass --crs"):
        points.read_points(f)
    gdf = points.read_points(f, crs="EPSG:5514")
    assert gdf.geometry.iloc[1].x == pytest.approx(-470100)
    assert "reported_at" not in gdf.columns


def test_csv_x_5514_headers_imply_crs(tmp_path: Path) -> None:
    f = tmp_path / "xy.csv"
    f.write_text("x_5514,y_5514\n-470000,-1103000\n", encoding="utf-8")
    assert points.read_points(f).crs.to_epsg() == 5514


def test_csv_outside_czechia_goes_to_utm_and_drops_missing(tmp_path: Path) -> None:
    f = tmp_path / "vienna.csv"
    f.write_text("lat,lon,date\n48.2082,16.3738,2024-01-01\n,,2024-01-02\n48.21,16.37,x\n")
    gdf = points.read_points(f)
    assert gdf.crs.to_epsg() == 32633
    assert len(gdf) == 2
    assert gdf.attrs["params"]["rows_dropped"] == 1
    assert gdf["reported_at"].isna().tolist() == [False, True]


def test_csv_without_coordinates(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(InputFileError, match="no coordinate columns"):
        points.read_points(f)


def test_missing_file() -> None:
    with pytest.raises(InputFileError, match="not found"):
        points.read_points("/nonexistent/file.csv")


def test_unparseable_date_column(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text("lat,lon,datum\n49.84,18.29,abc\n")
    with pytest.raises(SchemaError, match="cannot be parsed"):
        points.read_points(f)


def test_memphis_gpkg_projected_to_utm_with_dates() -> None:
    gdf = points.read_points(DATA / "memphis_robberies_sfhotspot.gpkg")
    assert len(gdf) == 2245
    assert gdf.crs.to_epsg() == 32616  # UTM 16N
    assert gdf["reported_at"].dt.year.eq(2019).all()
    assert str(gdf["reported_at"].dt.tz) == "UTC"
    assert gdf.attrs["params"]["source_crs"] == "EPSG:4326"


def test_sf_feet_reprojected_and_distinct_incidents() -> None:
    gdf = points.read_points(DATA / "sf_robbery_2012H2_geoda.gpkg")
    assert gdf.crs.to_epsg() == 32610  # UTM 10N, metres (the file is in US feet)
    # the file's own lon/lat columns agree with the reprojected geometry
    back = gdf.to_crs(4326)
    assert np.allclose(back.geometry.x, gdf["X"], atol=1e-4)
    assert np.allclose(back.geometry.y, gdf["Y"], atol=1e-4)
    assert (gdf["category"] == "ROBBERY").all()
    distinct = points.distinct_incidents(gdf, id_col="IncidntNum")
    assert len(distinct) == 2046
    assert distinct["IncidntNum"].is_unique
    assert distinct.attrs["params"]["rows_before"] == 2761
    assert len(gdf) == 2761  # input untouched


def test_distinct_incidents_keeps_first_row() -> None:
    gdf = points.read_points(DATA / "sf_robbery_2012H2_geoda.gpkg").head(4)
    out = points.distinct_incidents(gdf, id_col="IncidntNum")
    assert out["IncidntNum"].tolist() == list(dict.fromkeys(gdf["IncidntNum"]))
    with pytest.raises(SchemaError, match="missing column"):
        points.distinct_incidents(gdf, id_col="nope")


def test_cli_counts_distinct_incidents_with_filters(tmp_path: Path) -> None:
    from apk_geo import cli

    out = tmp_path / "sf.csv"
    code = cli.main(
        [
            "hotspots",
            "--input",
            str(DATA / "sf_robbery_2012H2_geoda.gpkg"),
            "--id-col",
            "IncidntNum",
            "--from",
            "2012-07-01",
            "--to",
            "2012-07-31",
            "--cell-size-m",
            "250",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")  # Czech table style
    gdf = points.distinct_incidents(
        points.read_points(DATA / "sf_robbery_2012H2_geoda.gpkg"), id_col="IncidntNum"
    )
    july = int((gdf["reported_at"].dt.month == 7).sum())
    assert table["Počet"].sum() == july
    wanted = {"Zeměpisná délka", "Zeměpisná šířka", "Geometrie (WKT)", "Gi* (z)"}
    assert wanted <= set(table.columns)
    assert table["Zeměpisná délka"].between(-123, -122).all()


def test_csv_with_decimal_commas_reads_like_decimal_points(tmp_path: Path) -> None:
    # the Czech table style apk-geo geocode writes ("49,8413"), one row with thousands spaces
    cz, en = tmp_path / "cz.csv", tmp_path / "en.csv"
    cz.write_text(
        "\ufeffid;lat;lon;Datum\n1;49,8413;18,2893;31.3.2024\n2;49,8350;18,2900;1.4.2024\n"
        "3;;18,29;1.4.2024\n",
        encoding="utf-8",
    )
    en.write_text(
        "id,lat,lon,Datum\n1,49.8413,18.2893,31.3.2024\n2,49.8350,18.2900,1.4.2024\n"
        "3,,18.29,1.4.2024\n",
        encoding="utf-8",
    )
    got, want = points.read_points(cz), points.read_points(en)
    assert len(got) == len(want) == 2  # the row without a latitude is dropped in both
    np.testing.assert_array_equal(got.geometry.x.to_numpy(), want.geometry.x.to_numpy())
    np.testing.assert_array_equal(got.geometry.y.to_numpy(), want.geometry.y.to_numpy())
    assert got.crs.to_epsg() == want.crs.to_epsg() == 5514
