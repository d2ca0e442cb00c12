"""The fast paths of the store write and of the read's byte count give the old results.

Issue 16 (store write ≤ 1.2× pyogrio): :func:`apk_geo.store.layers.normalise_incidents` builds
its frame without copying the rows, :func:`apk_geo.store.common._repeated_keys` proves distinct
keys with Arrow's hash before falling back to ``duplicated``, and
:func:`apk_geo.io._text.byte_stats` counts the raw bytes in blocks instead of filtering them
first. Each is compared here with the code it replaced, kept below as the reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from apk_geo.errors import SchemaError
from apk_geo.io import quarantine_frame
from apk_geo.io._text import _BLOCK, _DROPPED, byte_stats
from apk_geo.schema import TIMEZONE
from apk_geo.store.common import _repeated_keys, check_import
from apk_geo.store.layers import STORED_INCIDENT_COLUMNS, normalise_incidents, stored_to_local
from apk_geo.testing import make_incidents

DATA = Path(__file__).resolve().parents[1] / "data"


# ------------------------------------------------------------------ byte_stats


def _old_counts(content: bytes) -> np.ndarray:
    """The counts as ``byte_stats`` made them before: filter the bytes, then bincount."""
    kept = content.translate(None, _DROPPED)
    return np.bincount(np.frombuffer(kept, dtype=np.uint8), minlength=256).astype(np.int64)


@pytest.mark.parametrize(
    "size",
    [0, 1, 7, _BLOCK - 1, _BLOCK, _BLOCK + 1, 3 * _BLOCK + 17],
    ids=lambda n: f"{n}B",
)
def test_byte_stats_equals_old_counts_on_random_bytes(size: int) -> None:
    rng = np.random.default_rng(size)
    content = rng.integers(0, 256, size=size, dtype=np.uint8).tobytes()
    stats = byte_stats(content)
    np.testing.assert_array_equal(stats.counts, _old_counts(content))
    assert stats.counts.dtype == np.int64
    assert stats.size == size


def test_byte_stats_counts_only_the_kept_bytes() -> None:
    content = b'a,"b"\r\n\x00\xc5\xa1x\n' + bytes(range(256))
    counts = byte_stats(content).counts
    assert counts[ord("a")] == 0  # plain ASCII letters are not counted
    assert counts[ord(",")] == 0
    assert counts[0x0A] == 3  # two line ends above and one in range(256)
    assert counts[0x0D] == 2
    assert counts[ord('"')] == 3
    assert counts[0x00] == 2
    assert counts[0xC5] == 2
    assert counts[0xA1] == 2
    assert counts[0xFF] == 1


def test_byte_stats_equals_old_counts_on_real_files() -> None:
    files = sorted(p for p in DATA.rglob("*") if p.suffix in {".csv", ".geojson", ".md"})
    assert files, f"no data files under {DATA}"
    for path in files:
        content = path.read_bytes()
        stats = byte_stats(content)
        np.testing.assert_array_equal(stats.counts, _old_counts(content), err_msg=str(path))
        assert stats.ends_with_newline == (content[-1:] in (b"\n", b"\r"))


def test_byte_stats_on_czech_text_in_both_code_pages() -> None:
    text = "Příliš žluťoučký kůň úpěl ďábelské ódy;\r\n" * 5000
    for encoding in ("utf-8", "cp1250", "iso-8859-2"):
        content = text.encode(encoding)
        stats = byte_stats(content)
        np.testing.assert_array_equal(stats.counts, _old_counts(content))
        assert stats.physical_lines == 5000
        assert stats.non_ascii > 0


# ------------------------------------------------------------- _repeated_keys


def _frame(sources: list[str], ids: list[str | None], dtype: str | None = "str") -> pd.DataFrame:
    return pd.DataFrame(
        {"source": pd.Series(sources, dtype=dtype), "id": pd.Series(ids, dtype=dtype)}
    )


@pytest.mark.parametrize("dtype", ["str", "object", "string[python]"], ids=str)
@pytest.mark.parametrize(
    ("sources", "ids"),
    [
        (["a"] * 4, ["1", "2", "3", "4"]),
        (["a"] * 4, ["1", "2", "1", "1"]),
        (["a"] * 3, ["1", None, "2"]),
        (["a"] * 4, [None, "1", None, "2"]),
        (["a", "b", "a", "b"], ["1", "1", "2", "2"]),
        (["a", "b", "a", "a"], ["1", "1", "2", "1"]),
        (["a"], ["1"]),
    ],
    ids=[
        "distinct",
        "repeats",
        "one-missing",
        "two-missing",
        "two-sources",
        "two-sources-rep",
        "one-row",
    ],
)
def test_repeated_keys_match_pandas_duplicated(
    sources: list[str], ids: list[str | None], dtype: str
) -> None:
    frame = _frame(sources, ids, dtype)
    one_source = len(set(sources)) == 1
    expected = (frame["id"] if one_source else frame[["source", "id"]]).duplicated()
    np.testing.assert_array_equal(_repeated_keys(frame), expected.to_numpy(dtype=bool))


def test_repeated_keys_in_chunked_arrow_column() -> None:
    # a column concatenated from several frames holds several Arrow chunks
    parts = [_frame(["a"] * 3, [f"{k}-{i}" for i in range(3)]) for k in range(3)]
    frame = pd.concat(parts, ignore_index=True)
    assert frame["id"].array.__arrow_array__().num_chunks > 1
    assert not _repeated_keys(frame).any()
    repeated = pd.concat([frame, parts[1].iloc[[2]]], ignore_index=True)
    np.testing.assert_array_equal(_repeated_keys(repeated), [False] * len(frame) + [True])


def test_check_import_names_the_repeated_ids() -> None:
    incidents = make_incidents([{"id": "7"}, {"id": "8"}, {"id": "7"}])
    with pytest.raises(SchemaError, match=r"ids \['7'\]"):
        check_import(incidents, quarantine_frame([]))


# ------------------------------------------------------------ normalise_incidents


def test_normalise_incidents_shares_the_columns_and_leaves_the_input() -> None:
    incidents = make_incidents([{"id": str(i)} for i in range(1, 6)])
    before = incidents.copy()
    out = normalise_incidents(incidents, stored=True)
    for column in ("x_5514", "y_5514", "score", "lat"):
        assert np.shares_memory(out[column].to_numpy(), incidents[column].to_numpy()), column
    out.loc[0, "x_5514"] = -1.0  # copy-on-write: the input keeps its value
    assert_geodataframe_equal(incidents, before)
    assert list(out.columns) == [*STORED_INCIDENT_COLUMNS, "geometry"]
    assert out.crs == incidents.crs


def test_normalise_incidents_fills_an_absent_time_as_before() -> None:
    incidents = make_incidents([{"id": "1"}, {"id": "2"}])
    out = normalise_incidents(incidents, stored=True)
    old = stored_to_local(pd.Series([None] * len(incidents)))  # the former path
    pd.testing.assert_series_equal(out["modified_at"], old, check_names=False)
    assert str(out["modified_at"].dtype) == f"datetime64[ns, {TIMEZONE}]"
    empty = normalise_incidents(incidents.iloc[:0], stored=True)
    assert str(empty["modified_at"].dtype) == f"datetime64[ns, {TIMEZONE}]"
    assert len(empty) == 0


# ----------------------------------------------------------- unsynced writes


def test_write_frame_switches_sqlite_sync_off_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyogrio

    from apk_geo.store import gpkg

    seen: list[object] = []
    real = pyogrio.write_dataframe

    def spy(*args: object, **kwargs: object) -> None:
        seen.append(pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS"))
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pyogrio, "write_dataframe", spy)
    before = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    frame = pd.DataFrame({"key": ["a", "b"], "value": ["1", "2"]})
    gpkg.write_frame(tmp_path / "t.gpkg", frame, "metadata", append=False)
    assert len(seen) == 1
    assert seen[0] in ("OFF", False)  # pyogrio reads "OFF" back as False
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") == before
    back = pyogrio.read_dataframe(tmp_path / "t.gpkg", layer="metadata")
    assert back["key"].tolist() == ["a", "b"]


def test_unsynced_restores_a_user_setting_after_nested_writers() -> None:
    import pyogrio

    from apk_geo.store.gpkg import _unsynced

    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "FULL"})
    try:
        with _unsynced():
            with _unsynced():
                assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") is False
            assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") is False
        assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") == "FULL"
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": None})


@pytest.mark.filterwarnings("ignore:Layer 'incidents' has been declared with non-Z")
def test_point_layers_written_through_arrow_equal_pyogrios_own_writer(tmp_path: Path) -> None:
    """The incidents' WKB built from coordinates gives the file pyogrio's writer gives."""
    import contextlib
    import sqlite3

    import geopandas as gpd
    import pyogrio
    import shapely

    from apk_geo.store import gpkg
    from apk_geo.store.gpkgarrow import point_wkb
    from apk_geo.testing import make_incidents

    frame = make_incidents([{"id": str(i), "note": "ž" * i} for i in range(1, 7)])
    geoms = frame.geometry.to_numpy().copy()
    geoms[1] = None  # not located
    geoms[2] = shapely.Point()  # an empty point
    geoms[3] = shapely.Point(-470000.125, -1100000.5, 3.0)  # 3-D: through shapely
    frame = frame.set_geometry(gpd.GeoSeries(geoms, crs=frame.crs))
    ours, theirs = tmp_path / "ours.gpkg", tmp_path / "theirs.gpkg"
    gpkg.write_frame(ours, frame, "incidents", append=False)
    utc = frame.assign(
        **{c: frame[c].dt.tz_convert("UTC") for c in frame if hasattr(frame[c], "dt")
           and getattr(frame[c].dtype, "tz", None) is not None}
    )  # fmt: skip
    pyogrio.write_dataframe(utc, theirs, layer="incidents", use_arrow=True, geometry_type="Point")

    def dump(path: Path) -> tuple[object, ...]:
        with contextlib.closing(sqlite3.connect(path)) as con:
            return (
                con.execute("SELECT * FROM incidents ORDER BY fid").fetchall(),
                con.execute("PRAGMA table_info(incidents)").fetchall(),
                con.execute("SELECT min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents "
                            "WHERE table_name = 'incidents'").fetchall(),
                con.execute("SELECT * FROM gpkg_geometry_columns").fetchall(),
            )  # fmt: skip

    assert dump(ours) == dump(theirs)
    wkb = point_wkb(geoms)
    assert wkb[0].as_py() == shapely.to_wkb(geoms[0], byte_order=1)
    assert not wkb[1].is_valid and wkb[3].as_py() == shapely.to_wkb(geoms[3], byte_order=1)
