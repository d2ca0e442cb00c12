import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apk_geo import privacy


@pytest.mark.parametrize(
    ("n", "tier", "text"),
    [
        (0, "presenter", "0"),
        (1, "presenter", "<3"),
        (2, "presenter", "<3"),
        (3, "presenter", "3"),
        (2, "internal", "2"),
        (float("nan"), "presenter", "–"),
        (2.6, "presenter", "3"),
    ],
)
def test_format_count(n: float, tier: privacy.Tier, text: str) -> None:
    assert privacy.format_count(n, tier=tier) == text


def test_suppress_counts_does_not_mutate_input() -> None:
    df = pd.DataFrame({"label": ["a", "b"], "n": [1, 10]})
    out = privacy.suppress_counts(df, ["n"])
    assert list(out["n"]) == ["<3", "10"]
    assert list(df["n"]) == [1, 10]


def test_drop_sensitive_removes_person_level_columns() -> None:
    df = pd.DataFrame(columns=["note", "assistant", "address", "category", "lat", "n"])
    assert list(privacy.drop_sensitive(df).columns) == ["category", "n"]


def test_suppress_small_cells_for_maps() -> None:
    out = privacy.suppress_small_cells(np.array([0, 1, 2, 3, 7]))
    assert np.isnan(out[1]) and np.isnan(out[2])
    assert list(out[[0, 3, 4]]) == [0, 3, 7]


# ------------------------------------------------------- pooling against differencing


def _brute_force_derivable(
    shown: list[str], total: int, *, min_count: int = 3, complete: bool = True
) -> list[int]:
    """Independent attacker: enumerate every value of the "<k" cells consistent with the total."""
    hidden = f"<{min_count}"
    idx = [i for i, s in enumerate(shown) if s == hidden]
    exact = sum(int(s) for s in shown if s != hidden)
    seen: dict[int, set[int]] = {i: set() for i in idx}
    for values in itertools.product(range(1, min_count), repeat=len(idx)):
        rest = total - exact - sum(values)
        if rest == 0 or (not complete and rest > 0):
            for i, v in zip(idx, values, strict=True):
                seen[i].add(v)
    return [i for i in idx if len(seen[i]) == 1]


def _display(df: pd.DataFrame, columns: list[str], *, min_count: int = 3) -> dict[str, list[str]]:
    """What a presenter sees of each column after pooling: kept rows, then the pooled row."""
    pooled = privacy.rows_to_pool(df, columns, min_count=min_count)
    kept = df.drop(index=pooled)
    out = {c: [privacy.format_count(v, min_count=min_count) for v in kept[c]] for c in columns}
    if pooled:
        sums = privacy.pool_rows(df, pooled, columns)
        for c in columns:
            out[c].append(privacy.format_count(sums[c] or 0, min_count=min_count))
    return out


def test_is_suppressed() -> None:
    values: list[object] = [0, 1, 2, 3, None, float("nan"), pd.NA]
    assert [privacy.is_suppressed(v) for v in values] == [  # type: ignore[arg-type]
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert privacy.is_suppressed(4, min_count=5)


def test_issue_example_is_derivable_before_and_not_after_pooling() -> None:
    # total 19; shown 11, 3, 4 and "<3": the hidden row is 19 - 18 = 1
    table = pd.DataFrame({"label": ["on spot", "patrol", "referred", "none"], "n": [11, 3, 4, 1]})
    before = [privacy.format_count(v) for v in table["n"]]
    assert before == ["11", "3", "4", "<3"]
    assert privacy.derivable_rows(before, "19") == [3]
    assert _brute_force_derivable(before, 19) == [3]
    # the "<3" row alone would be a pool of one: the smallest other row (3) joins it
    assert privacy.rows_to_pool(table, ["n"]) == [1, 3]
    assert privacy.pool_rows(table, [1, 3], ["n"]) == {"n": 4}
    after = _display(table, ["n"])["n"]
    assert after == ["11", "4", "4"]
    assert privacy.derivable_rows(after, "19") == []


def test_rows_to_pool_every_row_with_a_small_count_in_any_column() -> None:
    table = pd.DataFrame(
        {"n": [20, 9, 2, 5, 4], "n_previous": [18, 1, 6, 5, 0], "n_year": [15, 7, 3, 3, 2]}
    )
    # rows 1 (previous 1), 2 (this month 2) and 4 (year 2) each hold a small count
    assert privacy.rows_to_pool(table, ["n", "n_previous", "n_year"]) == [1, 2, 4]
    assert privacy.pool_rows(table, [1, 2, 4], ["n", "n_previous", "n_year"]) == {
        "n": 15,
        "n_previous": 7,
        "n_year": 12,
    }


def test_rows_to_pool_nothing_small_pools_nothing_and_input_is_not_modified() -> None:
    table = pd.DataFrame({"n": [5, 0, 3]}, index=["a", "b", "c"])
    before = table.copy()
    assert privacy.rows_to_pool(table, ["n"]) == []
    pd.testing.assert_frame_equal(table, before)


def test_rows_to_pool_next_smallest_row_by_sum_then_the_later_row() -> None:
    table = pd.DataFrame({"n": [9, 4, 1, 4], "p": [9, 0, 5, 0]}, index=list("abcd"))
    # c is small; b and d tie at 4 + 0: the later one (d) joins
    assert privacy.rows_to_pool(table, ["n", "p"]) == ["c", "d"]
    # a zero row is the smallest: it joins, and its presence hides how the pool splits
    table2 = pd.DataFrame({"n": [3, 4, 2, 0]})
    assert privacy.rows_to_pool(table2, ["n"]) == [2, 3]


def test_rows_to_pool_a_single_row_table_is_left_alone() -> None:
    assert privacy.rows_to_pool(pd.DataFrame({"n": [2]}), ["n"]) == []


def test_rows_to_pool_refuses_unknown_columns() -> None:
    with pytest.raises(KeyError, match=r"count columns \['x'\].*pass the names"):
        privacy.rows_to_pool(pd.DataFrame({"n": [1, 5]}), ["x"])
    with pytest.raises(ValueError, match="at least one count column"):
        privacy.rows_to_pool(pd.DataFrame({"n": [1, 5]}), [])


def test_pool_rows_with_an_unknown_part_is_unknown() -> None:
    table = pd.DataFrame({"n": [1, 4], "p": pd.array([2, pd.NA], dtype="Int64")})
    assert privacy.pool_rows(table, [0, 1], ["n", "p"]) == {"n": 5, "p": None}


@pytest.mark.parametrize(
    ("shown", "total", "pins"),
    [
        ([5, 4, 1], 10, True),  # 10 - 9 = 1: the one small row is 1, other cells empty
        ([5, 4, 1], 11, False),  # 1 or 2, the rest elsewhere
        ([5, 2, 1], 7, True),  # 7 - 5 = 2 = two small rows: both are 1
        ([5, 2, 1], 8, False),
        ([5, 4, 0], 9, False),  # nothing suppressed
        ([1, 1], 2, True),  # a suppressed total is at most 2: both small rows are 1
        ([1], 2, False),  # a total "<3" with one "<3" row: 1 or 2
        ([1, 5], None, False),  # unknown total
    ],
)
def test_residual_pins_by_hand(shown: list[int], total: int | None, pins: bool) -> None:
    assert privacy.residual_pins(shown, total) is pins


@pytest.mark.parametrize("complete", [True, False], ids=["complete", "partial"])
@given(
    values=st.lists(st.integers(0, 6), min_size=1, max_size=5),
    unlisted=st.integers(0, 3),
)
@pytest.mark.slow
@settings(max_examples=150, deadline=None)
def test_derivable_rows_matches_brute_force(
    values: list[int], unlisted: int, complete: bool
) -> None:
    total = sum(values) + (0 if complete else unlisted)
    shown = [privacy.format_count(v) for v in values]
    if privacy.is_suppressed(total):
        return  # the brute force takes an exact total
    ours = privacy.derivable_rows(shown, str(total), complete=complete)
    assert ours == _brute_force_derivable(shown, total, complete=complete)
    # the partial-table check agrees with the attacker on whether anything is pinned
    if not complete:
        assert bool(ours) is privacy.residual_pins(values, total)


@given(
    table=st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 8), st.integers(0, 8)),
        min_size=2,
        max_size=6,
    )
)
@pytest.mark.slow
@settings(max_examples=200, deadline=None)
def test_after_pooling_no_single_small_count_is_derivable(
    table: list[tuple[int, int, int]],
) -> None:
    cols = ["n", "n_previous", "n_year"]
    df = pd.DataFrame(table, columns=cols)
    pooled = privacy.rows_to_pool(df, cols)
    shown = _display(df, cols)
    n_shown = len(df) - len(pooled) + (1 if pooled else 0)
    for c in cols:
        total = int(df[c].sum())
        total_text = privacy.format_count(total)
        derivable = privacy.derivable_rows(shown[c], total_text)
        # nothing derivable, or only the pooled row (the last) — which spans >= 2 source rows
        assert derivable in ([], [n_shown - 1] if pooled else [])
        if total >= 3:
            assert _brute_force_derivable(shown[c], total) == derivable
        # no kept row shows a suppressed count
        assert "<3" not in shown[c][: len(df) - len(pooled)]
    assert not pooled or len(pooled) >= privacy.MIN_POOLED_ROWS


# ------------------------------------------------------------- what a table shows, by tier


def test_pooled_label_is_the_catalogue_string() -> None:
    from apk_geo.i18n import t

    catalogue = {"cs": t("pack.pooled", "cs"), "en": t("pack.pooled", "en")}
    assert dict(privacy.POOLED_LABEL) == catalogue
    assert privacy.POOLED_LABEL["cs"] == "ostatní (malé počty)"
    with pytest.raises(TypeError):
        privacy.POOLED_LABEL["cs"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("counts", "tier", "shown"),
    [
        ((9, 3), "presenter", True),
        ((9, 2), "presenter", False),  # a change against a "<3" gives it away
        ((9, 0), "presenter", True),  # zero reveals nobody
        ((9, None), "presenter", False),  # unknown
        ((9, 2), "internal", True),
        ((9, None), "internal", False),
        ((), "presenter", True),
    ],
    ids=["exact", "small", "zero", "unknown", "internal-small", "internal-unknown", "none"],
)
def test_may_show(counts: tuple[int | None, ...], tier: privacy.Tier, shown: bool) -> None:
    assert privacy.may_show(*counts, tier=tier) is shown


def test_may_show_takes_the_threshold() -> None:
    assert privacy.may_show(4, min_count=5) is False
    assert privacy.may_show(5, min_count=5) is True


def test_pooled_rows_of_a_complete_table_follow_rows_to_pool() -> None:
    table = pd.DataFrame({"n": [11, 3, 4, 1]})
    assert privacy.pooled_rows(table, ["n"]) == privacy.rows_to_pool(table, ["n"]) == [1, 3]
    assert privacy.pooled_rows(table, ["n"], tier="internal") == []
    assert privacy.pooled_rows(table.iloc[:0], ["n"]) == []


@pytest.mark.parametrize(
    ("totals", "pooled"),
    [
        ({"n": 19}, [1, 2]),  # 19 − 10 − 8 = 1 pins the "<3" cell
        ({"n": 23}, []),  # 5 left: the "<3" may be 1 or 2, the rest elsewhere
        ({"n": None}, []),  # unknown total pins nothing
        ({}, []),  # a column without a total pins nothing
    ],
    ids=["pinned", "hidden", "unknown-total", "no-total"],
)
def test_pooled_rows_of_a_partial_table_only_when_pinned(
    totals: dict[str, int | None], pooled: list[int]
) -> None:
    hot = pd.DataFrame({"n": [10, 8, 1]})
    assert privacy.pooled_rows(hot, ["n"], totals=totals) == pooled


def test_pooled_rows_of_a_partial_table_any_column_pins() -> None:
    hot = pd.DataFrame({"n": [10, 5, 1], "n_previous": [5, 5, 1]})
    totals = {"n": 30, "n_previous": 11}  # 11 − 10 = 1 pins the previous month's "<3"
    assert privacy.pooled_rows(hot, ["n", "n_previous"], totals=totals) == [1, 2]
    assert privacy.pooled_rows(hot, ["n", "n_previous"], totals=totals, tier="internal") == []


def test_pool_table_splits_kept_and_pooled_rows_with_their_sums() -> None:
    table = pd.DataFrame(
        {"label": list("abcd"), "n": [11, 3, 4, 1], "p": pd.array([5, 1, 6, pd.NA], dtype="Int64")}
    )
    before = table.copy()
    p = privacy.pool_table(table, ["n", "p"])
    assert p.is_pooled
    assert p.kept["label"].tolist() == ["a", "c"]
    assert p.pooled["label"].tolist() == ["b", "d"]
    assert dict(p.sums) == {"n": 4, "p": None}  # an unknown part makes the pool unknown
    pd.testing.assert_frame_equal(table, before)


def test_pool_table_pools_nothing_in_the_internal_tier() -> None:
    table = pd.DataFrame({"n": [11, 3, 4, 1]})
    p = privacy.pool_table(table, ["n"], tier="internal")
    assert not p.is_pooled and p.pooled.empty and dict(p.sums) == {}
    pd.testing.assert_frame_equal(p.kept, table)


def test_pool_table_refuses_no_columns() -> None:
    from apk_geo.errors import ParameterError

    with pytest.raises(ParameterError, match="at least one count column"):
        privacy.pool_table(pd.DataFrame({"n": [1, 5]}), [])
