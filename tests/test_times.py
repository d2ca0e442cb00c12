"""One time coercion: one error type and wording, DST gaps moved forward by the gap."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from apk_geo.errors import ParameterError
from apk_geo.times import as_timestamp, local_naive, naive_bound, to_local, utc_naive_ns, wall_clock

TZ = "Europe/Prague"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-24T08:00", "2026-11-24 08:00:00+01:00"),  # naive = local (CET)
        ("2026-07-01 08:00", "2026-07-01 08:00:00+02:00"),  # summer time
        ("2026-07-01T06:00Z", "2026-07-01 08:00:00+02:00"),  # aware: converted
        (date(2026, 7, 1), "2026-07-01 00:00:00+02:00"),
        (datetime(2026, 1, 2, 3, 4), "2026-01-02 03:04:00+01:00"),
        ("2025-03-30 02:30", "2025-03-30 03:30:00+02:00"),  # spring gap: forward by the gap
        ("2025-10-26 02:30", "2025-10-26 02:30:00+01:00"),  # autumn repeat: the standard one
    ],
)
def test_as_timestamp_reads_local_and_aware_values(value: object, expected: str) -> None:
    assert as_timestamp(value, name="x") == pd.Timestamp(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["xx", "", None, "2026-02-31", float("nan")])
def test_a_bad_date_is_one_parameter_error_naming_the_option(bad: object) -> None:
    with pytest.raises(ParameterError, match=r"^--split-date must be a date-time such as"):
        as_timestamp(bad, name="--split-date")  # type: ignore[arg-type]


def test_the_gap_keeps_the_distance_between_neighbours() -> None:
    times = to_local(pd.Series(["2025-03-30T01:59", "2025-03-30T02:30", "2025-03-30T03:00"]))
    assert times.dt.strftime("%H:%M").tolist() == ["01:59", "03:30", "03:00"]
    assert times.iloc[1] != times.iloc[2]  # 02:30 is no longer the same instant as 03:00


def test_to_local_columns_naive_aware_mixed_and_missing() -> None:
    naive = to_local(pd.Series(["2026-01-01T10:00", None]))
    assert str(naive.dtype) == f"datetime64[ns, {TZ}]"
    assert naive.iloc[0] == pd.Timestamp("2026-01-01 10:00", tz=TZ) and pd.isna(naive.iloc[1])
    mixed = to_local(pd.Series(["2026-01-01T10:00+00:00", "2026-07-01T10:00+02:00", "2026-01-01"]))
    assert mixed.dt.strftime("%m-%d %H:%M").tolist() == [
        "01-01 11:00",
        "07-01 10:00",
        "01-01 00:00",
    ]
    with pytest.raises(ParameterError, match=r"reported_at must hold date-times .* got 'nope'"):
        to_local(pd.Series(["2026-01-01", "nope"]))


def test_local_naive_and_utc_nanoseconds() -> None:
    s = pd.Series(pd.to_datetime(["2026-07-01T08:00+02:00"]))
    assert local_naive(s).iloc[0] == pd.Timestamp("2026-07-01 08:00")
    assert utc_naive_ns(s)[0] == pd.Timestamp("2026-07-01 06:00").value
    assert utc_naive_ns(s).dtype == np.int64


def test_wall_clock_keeps_the_data_zone_and_bounds_follow_it() -> None:
    sf = pd.Series(pd.to_datetime(["2012-10-01 23:30"]).tz_localize("America/Los_Angeles"))
    naive, tz = wall_clock(sf)
    assert tz == "America/Los_Angeles" and naive.iloc[0] == pd.Timestamp("2012-10-01 23:30")
    assert wall_clock(pd.Series(pd.to_datetime(["2012-10-01"])))[1] is None
    bound = naive_bound(pd.Timestamp("2012-10-02 06:30", tz="UTC"), tz, name="start")
    assert bound == pd.Timestamp("2012-10-01 23:30")
    with pytest.raises(ParameterError, match="start: got a missing date/time"):
        naive_bound(pd.NaT, tz, name="start")
