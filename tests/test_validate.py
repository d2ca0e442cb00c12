import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from apk_geo import _validate, io, times
from apk_geo.config import Config
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError


def _pts(crs: str | None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"a": [1, 2]}, geometry=[Point(0, 0), Point(1, 1)], crs=crs)


def test_require_columns_names_the_missing_ones() -> None:
    with pytest.raises(SchemaError, match=r"incidents is missing column\(s\) \['b'\]"):
        _validate.require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], name="incidents")


def test_require_crs_refuses_a_layer_without_crs() -> None:
    with pytest.raises(CRSError, match="has no CRS"):
        _validate.require_crs(_pts(None), name="svl")


def test_require_projected_refuses_degrees_and_names_the_fix() -> None:
    with pytest.raises(CRSError, match="to_crs\\('EPSG:5514'\\)"):
        _validate.require_projected(_pts("EPSG:4326"))
    assert _validate.require_projected(_pts("EPSG:5514")).to_epsg() == 5514


def test_require_same_crs_shows_both() -> None:
    with pytest.raises(CRSError, match=r"EPSG:4326.*EPSG:5514"):
        _validate.require_same_crs(_pts("EPSG:4326"), _pts("EPSG:5514"), names=("a", "b"))


def test_require_points() -> None:
    with pytest.raises(InsufficientDataError, match="at least 3"):
        _validate.require_points(_pts("EPSG:5514"), minimum=3)
    lines = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])], crs="EPSG:5514")
    with pytest.raises(SchemaError, match="Point"):
        _validate.require_points(lines)


@pytest.mark.parametrize("value", [0, -1, float("inf"), float("nan")])
def test_require_positive(value: float) -> None:
    with pytest.raises(ValueError, match="cell_size_m"):
        _validate.require_positive(value, name="cell_size_m")


# ------------------------------------------------------------------ apk_geo.io.validate


@pytest.mark.parametrize(
    ("date", "time", "iso", "utc", "counts"),
    [
        # spring gap: 02:30 does not exist, moved forward by an hour to 03:30 CEST
        ("29.3.2026", "2:30", "2026-03-29 02:30", "2026-03-29 01:30", (1, 0)),
        # the repeated autumn hour: the later, standard-time (CET) 02:30
        ("25.10.2026", "2:30", "2026-10-25 02:30", "2026-10-25 01:30", (0, 1)),
        ("25.10.2026", "1:30", "2026-10-25 01:30", "2026-10-24 23:30", (0, 0)),
    ],
    ids=["dst-gap", "dst-ambiguous", "plain"],
)
def test_naive_export_times_localise_by_the_times_rule(
    write_csv, date: str, time: str, iso: str, utc: str, counts: tuple[int, int]
) -> None:
    header = ("id", "Datum", "Čas", "category", "address")
    path = write_csv([["1", date, time, "dogs", "Nádražní 1"]], header=header)
    v = io.validate(io.read_table(path), source="apk", config=Config())
    got = v.valid["reported_at"].iloc[0]
    assert str(got.tz) == "Europe/Prague"
    assert got == pd.Timestamp(utc, tz="UTC")
    assert got == times.as_timestamp(iso, name="t")  # the one rule for naive local times
    assert (v.params["dst_shifted_forward"], v.params["dst_ambiguous_standard"]) == counts


def test_validate_refuses_an_empty_source(write_csv) -> None:
    path = write_csv(
        [["1", "24.11.2026", "8:05", "dogs", "Nádražní 1"]],
        header=("id", "Datum", "Čas", "category", "address"),
    )
    with pytest.raises(ParameterError, match="source must be a non-empty name, got ' '"):
        io.validate(io.read_table(path), source=" ", config=Config())
