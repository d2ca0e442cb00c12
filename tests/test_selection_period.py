"""selection.filter_incidents: the binary-search cut of time-ordered incidents equals a mask.

The reference is written here independently: every row's local day and hour compared with the
filter, on the same incidents sorted, shuffled and with a missing time.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from apk_geo.schema import TIMEZONE
from apk_geo.selection import Filters, filter_history, filter_incidents, in_time_order
from apk_geo.testing import make_incidents


def _incidents(n: int = 1_000, *, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-03-20", tz="UTC")
    seconds = np.sort(rng.integers(0, 240 * 86400, n))  # 20.3. - 15.11.2026: both DST changes
    rows = [
        {
            "id": str(k),
            "reported_at": (start + pd.Timedelta(seconds=int(s))).tz_convert(TIMEZONE),
            "category": ["dogs", "noise", "truancy"][k % 3],
            "district_name": ["Poruba", "Jih"][k % 2],
        }
        for k, s in enumerate(seconds)
    ]
    frame: pd.DataFrame = make_incidents(rows)
    return frame


def _reference(inc: pd.DataFrame, f: Filters) -> list[str]:
    """The ids passing ``f``, decided row by row from each row's local time."""
    ids: list[str] = []
    for rid, stamp, category in zip(inc["id"], inc["reported_at"], inc["category"], strict=True):
        if f.categories and category not in f.categories:
            continue
        if pd.isna(stamp):  # no time: only a filter without dates, days or hours keeps it
            if f.start is None and f.end is None and not f.weekdays and f.hours == (0, 23):
                ids.append(str(rid))
            continue
        local = pd.Timestamp(stamp).tz_convert(TIMEZONE)
        day = local.date()
        if (f.start is not None and day < f.start) or (f.end is not None and day > f.end):
            continue
        if f.weekdays and local.weekday() not in f.weekdays:
            continue
        if not f.hours[0] <= local.hour <= f.hours[1]:
            continue
        ids.append(str(rid))
    return sorted(ids, key=int)


CASES = [
    Filters(start=date(2026, 3, 29), end=date(2026, 3, 29), preset="custom"),  # spring change
    Filters(start=date(2026, 10, 25), end=date(2026, 10, 31), preset="custom"),  # autumn change
    Filters(start=date(2026, 6, 1), end=date(2026, 6, 30), preset="custom", categories=("dogs",)),
    Filters(start=date(2030, 1, 1), end=date(2030, 1, 31), preset="custom"),  # empty
    Filters(start=None, end=date(2026, 4, 2), preset="custom", hours=(22, 23)),
    Filters(start=date(2026, 11, 1), end=None, preset="custom", weekdays=(5, 6)),
    Filters(start=date(2026, 1, 1), end=date(2026, 12, 31), preset="custom"),  # everything
    Filters(preset="custom"),
]


@pytest.mark.parametrize("order", ["sorted", "shuffled", "with a missing time"])
@pytest.mark.parametrize("f", CASES, ids=range(len(CASES)))
def test_filter_equals_the_row_by_row_reference(order: str, f: Filters) -> None:
    inc = _incidents()
    if order == "shuffled":
        inc = inc.sample(frac=1.0, random_state=3)
    elif order == "with a missing time":
        inc = inc.copy()
        inc.loc[inc.index[100], "reported_at"] = pd.NaT
    got = filter_incidents(inc, f)
    assert sorted(got["id"], key=int) == _reference(inc, f)
    assert list(got.columns) == list(inc.columns)
    assert got["id"].tolist() == [i for i in inc["id"] if i in set(got["id"])]  # order kept


def test_the_result_is_independent_of_the_input() -> None:
    inc = _incidents(200)
    before = inc.copy()
    got = filter_incidents(
        inc, Filters(start=date(2026, 4, 1), end=date(2026, 5, 1), preset="custom")
    )
    assert len(got)
    got.loc[got.index[0], "category"] = "changed"
    got["extra"] = 1
    pd.testing.assert_frame_equal(pd.DataFrame(inc), pd.DataFrame(before))


def test_history_is_everything_up_to_the_end() -> None:
    inc = _incidents(500)
    end = date(2026, 6, 30)
    f = Filters(start=date(2026, 6, 1), end=end, preset="custom", categories=("noise",))
    got = filter_history(inc, f)
    last = pd.Timestamp(end + timedelta(days=1)).tz_localize(TIMEZONE)
    expected = inc.loc[(inc["reported_at"] < last) & inc["category"].eq("noise"), "id"]
    assert got["id"].tolist() == expected.tolist()


def test_in_time_order_sorts_once_and_keeps_every_row() -> None:
    inc = _incidents(400)
    assert in_time_order(inc) is inc  # already in order: no copy
    shuffled = inc.sample(frac=1.0, random_state=5).copy()
    shuffled.loc[shuffled.index[7], "reported_at"] = pd.NaT
    got = in_time_order(shuffled)
    assert sorted(got["id"], key=int) == sorted(shuffled["id"], key=int)
    times = got["reported_at"]
    assert pd.isna(times.iloc[-1]) and times.iloc[:-1].is_monotonic_increasing
    f = CASES[2]
    assert sorted(filter_incidents(got, f)["id"], key=int) == _reference(shuffled, f)
