"""The version-2 record hash: BLAKE2b over canonical bytes, checked by hand; version 1 frozen."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from apk_geo import io
from apk_geo.errors import SchemaError
from apk_geo.hashes import HASHED_FIELDS, canonical_bytes, legacy_record_hash, record_hash


def records(**changes: list[object]) -> pd.DataFrame:
    """One record (or several, by giving lists) of the canonical columns."""
    base: dict[str, list[object]] = {
        "id": ["7"],
        "reported_at": list(pd.to_datetime(["2026-11-03 21:40"]).tz_localize("Europe/Prague")),
        "category": ["dogs"],
        "outcome": [None],
        "assistant": ["A1"],
        "note": ["štěká"],
        "address": [None],
        "lat": [49.829],
        "lon": [18.17],
        "x": [np.nan],
        "y": [np.nan],
    }
    base.update(changes)
    n = max(len(v) for v in base.values())
    data = {k: (v * n if len(v) == 1 else v) for k, v in base.items()}
    frame = pd.DataFrame({k: v for k, v in data.items() if k != "reported_at"})
    frame.insert(
        1, "reported_at", pd.Series(data["reported_at"], dtype="datetime64[ns, Europe/Prague]")
    )
    return frame


def test_the_canonical_bytes_and_digest_of_one_record_by_hand() -> None:
    # 21:40 CET (UTC+1) on 3 November 2026 is 20:40 UTC: 1 793 738 400 s after the epoch
    expected = (
        b"apk-geo-record-v2"
        b"|s1:7"  # id: 1 byte
        b"|t1793738400000000000"  # reported_at, UTC epoch nanoseconds
        b"|s4:dogs"
        b"|-"  # outcome missing
        b"|s2:A1"
        b"|s8:\xc5\xa1t\xc4\x9bk\xc3\xa1"  # "štěká": 5 letters, 8 bytes of UTF-8
        b"|-"  # address missing
        b"|f49.8290000|f18.1700000"  # lat, lon with 7 decimals
        b"|-|-"  # x, y missing
    )
    frame = records()
    assert canonical_bytes(frame) == [expected]
    digest = hashlib.blake2b(expected, digest_size=8).hexdigest()
    assert record_hash(frame).tolist() == [digest]
    assert io.record_hash(frame).tolist() == [digest]  # the hash validation uses


def test_numbers_are_rounded_to_7_decimals_and_negative_zero_is_zero() -> None:
    frame = records(
        x=[-470000.123456749, -470000.12345675, -0.0, -0.00000001, np.inf],
        y=[1.0, 1.0, 0.0, 0.0, -np.inf],
    )
    items = [b.decode().split("|")[-2:] for b in canonical_bytes(frame)]
    assert items == [
        ["f-470000.1234567", "f1.0000000"],
        ["f-470000.1234568", "f1.0000000"],  # nearest double is above the half: rounds up
        ["f0.0000000", "f0.0000000"],
        ["f0.0000000", "f0.0000000"],
        ["finf", "f-inf"],
    ]
    h = record_hash(frame)
    assert h.iloc[2] == h.iloc[3]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"note": ["a|s1:b"]}, {"note": ["a"], "address": ["b"]}),  # a separator in text
        ({"note": [""]}, {"note": [None]}),  # empty text is not missing
        ({"note": ["-"]}, {"note": [None]}),  # the missing marker as text
        ({"assistant": ["A1"], "note": ["B"]}, {"assistant": ["A1B"], "note": [""]}),
        ({"lat": [np.nan]}, {"lat": [0.0]}),
        ({"outcome": ["1"]}, {"outcome": [None], "x": [1.0]}),
    ],
    ids=[
        "pipe-in-text",
        "empty-vs-missing",
        "dash-vs-missing",
        "shifted-text",
        "nan-vs-0",
        "field-moved",
    ],
)
def test_different_content_gives_different_bytes(
    a: dict[str, list[object]], b: dict[str, list[object]]
) -> None:
    assert canonical_bytes(records(**a)) != canonical_bytes(records(**b))
    assert record_hash(records(**a)).tolist() != record_hash(records(**b)).tolist()


def test_the_same_instant_in_another_zone_and_another_time_unit_hash_the_same() -> None:
    frame = records()
    utc = frame.assign(reported_at=frame["reported_at"].dt.tz_convert("UTC"))
    coarse = frame.assign(reported_at=frame["reported_at"].astype("datetime64[ms, Europe/Prague]"))
    assert record_hash(utc).tolist() == record_hash(frame).tolist()
    assert record_hash(coarse).tolist() == record_hash(frame).tolist()
    later = frame.assign(reported_at=frame["reported_at"] + pd.Timedelta(1, "ns"))
    assert record_hash(later).tolist() != record_hash(frame).tolist()


def test_the_hash_keeps_the_index_and_repeated_values_hash_alike() -> None:
    frame = records(id=["1", "2", "1"], note=["a", "b", "a"]).set_axis([10, 20, 30])
    h = record_hash(frame)
    assert h.index.tolist() == [10, 20, 30] and h.dtype == "str"
    assert h.iloc[0] == h.iloc[2] != h.iloc[1]
    assert h.str.fullmatch(r"[0-9a-f]{16}").all()
    assert record_hash(frame.iloc[:0]).tolist() == []


def test_a_missing_column_or_naive_times_are_refused() -> None:
    with pytest.raises(SchemaError, match=r"columns \['address'\] are missing"):
        record_hash(records().drop(columns="address"))
    naive = records().assign(reported_at=pd.Timestamp("2026-11-03 21:40"))
    with pytest.raises(SchemaError, match="tz-aware"):
        record_hash(naive)


def test_version_2_is_not_version_1_and_version_1_is_frozen() -> None:
    frame = records()
    assert list(HASHED_FIELDS) == [
        "id", "reported_at", "category", "outcome", "assistant", "note", "address",
        "lat", "lon", "x", "y",
    ]  # fmt: skip
    assert record_hash(frame).tolist() != legacy_record_hash(frame).tolist()
    # version 1 as apk-geo computed it: pandas' hash_pandas_object of the prepared columns
    parts = pd.DataFrame(
        {
            "id": ["7"], "category": ["dogs"], "outcome": ["\x00"], "assistant": ["A1"],
            "note": ["štěká"], "address": ["\x00"], "t": [1793738400000000000],
            "lat": [49.829], "lon": [18.17], "x": [np.inf], "y": [np.inf],
        }
    )  # fmt: skip
    reference = pd.util.hash_pandas_object(parts, index=False).to_numpy(dtype=np.uint64)
    assert legacy_record_hash(frame).tolist() == [f"{int(reference[0]):016x}"]


def test_values_beyond_int64_units_take_the_exact_integer_path_with_the_same_rule() -> None:
    small = [-470000.123456749, 0.5, np.nan, 49.829]
    big = records(x=[1e12, *small], y=[-1e13, 1.0, 1.0, 1.0, 1.0])
    plain = records(x=small, y=[1.0] * 4)
    items_big = [b.decode().split("|")[-2:] for b in canonical_bytes(big)]
    items_plain = [b.decode().split("|")[-2:] for b in canonical_bytes(plain)]
    assert items_big[0] == ["f1000000000000.0000000", "f-10000000000000.0000000"]
    assert [i[0] for i in items_big[1:]] == [i[0] for i in items_plain]
    assert [i[0] for i in items_plain] == ["f-470000.1234567", "f0.5000000", "-", "f49.8290000"]
