"""Primary suppression and pooling: which counts a presenter view shows, hides or merges.

See :mod:`apk_geo.privacy` for the rules; this module holds the per-table helpers the
packs have used since the first presenter tier (``format_count``, ``pool_table``, ...).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.i18n import STRINGS
from apk_geo.schema import SENSITIVE_COLUMNS

Tier = Literal["presenter", "internal"]
TIERS: tuple[Tier, ...] = ("presenter", "internal")

#: Label of the pooled row, by language (the string ``pack.pooled`` of :mod:`apk_geo.i18n`).
POOLED_LABEL: Final[Mapping[str, str]] = MappingProxyType(
    dict(zip(("cs", "en"), STRINGS["pack.pooled"], strict=True))
)
#: Least number of source rows in a pooled row.
MIN_POOLED_ROWS: Final = 2


def format_count(n: float | int, *, min_count: int = 3, tier: Tier = "presenter") -> str:
    """Return ``n`` as text, suppressed to ``"<min_count"`` below the threshold in presenter tier.

    Zero is shown as ``"0"``: an empty place reveals nobody.

    Examples
    --------
    >>> format_count(2)
    '<3'
    >>> format_count(2, tier="internal")
    '2'
    """
    if pd.isna(n):
        return "–"
    value = round(float(n))
    if tier == "presenter" and 0 < value < min_count:
        return f"<{min_count}"
    return str(value)


def suppress_counts(
    df: pd.DataFrame, columns: Iterable[str], *, min_count: int = 3, tier: Tier = "presenter"
) -> pd.DataFrame:
    """Return a copy of ``df`` with the count ``columns`` as text, small counts suppressed."""
    out = df.copy()
    for col in columns:
        out[col] = [format_count(v, min_count=min_count, tier=tier) for v in out[col]]
    return out


def drop_sensitive(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` without the columns that may identify a person or an exact place."""
    return df.drop(columns=[c for c in SENSITIVE_COLUMNS if c in df.columns])


def suppress_small_cells(values: np.ndarray | pd.Series, *, min_count: int = 3) -> np.ndarray:
    """Return numeric counts with values in ``(0, min_count)`` replaced by NaN (for maps)."""
    arr = np.asarray(values, dtype=float).copy()
    arr[(arr > 0) & (arr < min_count)] = np.nan
    return arr


def is_suppressed(n: float | int | None, *, min_count: int = 3) -> bool:
    """Return whether the count ``n`` is shown suppressed (``0 < n < min_count``) to presenters.

    Missing values (``None``, NaN, ``pd.NA``) are not suppressed: they are shown as unknown.

    Examples
    --------
    >>> is_suppressed(2), is_suppressed(0), is_suppressed(3), is_suppressed(None)
    (True, False, False, False)
    """
    if n is None or pd.isna(n):  # type: ignore[call-overload]
        return False
    value = round(float(n))
    return 0 < value < min_count


def _check_columns(df: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    cols = list(columns)
    if not cols:
        raise ParameterError("columns must name at least one count column; got none")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(
            f"count columns {missing} are not in the table (it has {list(df.columns)}); "
            "pass the names of its count columns"
        )
    return cols


def rows_to_pool(df: pd.DataFrame, columns: Sequence[str], *, min_count: int = 3) -> list[Hashable]:
    """Return the index labels of the rows of a complete table to pool into one row.

    A complete table's rows add up to totals shown elsewhere, so a suppressed count would be
    recovered by subtraction. Every row with a suppressed count (:func:`is_suppressed`) in any
    of ``columns`` is pooled; if that is a single row, the next smallest row joins it (least
    sum of its counts, missing counted as 0; on a tie the later row), so a pool always spans
    at least :data:`MIN_POOLED_ROWS` rows. A table of one row is never pooled.

    Parameters
    ----------
    df
        The table, one row per category, outcome or place (not modified).
    columns
        Its count columns (integers; missing values allowed).
    min_count
        Counts in ``(0, min_count)`` are suppressed.

    Returns
    -------
    list
        Index labels of the pooled rows, in table order; empty when nothing is suppressed.

    Raises
    ------
    KeyError
        If a column is not in ``df``.
    ParameterError
        If ``columns`` is empty.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [11, 3, 4, 1]})
    >>> rows_to_pool(t, ["n"])
    [1, 3]
    """
    cols = _check_columns(df, columns)
    if len(df) < MIN_POOLED_ROWS:
        return []
    small = np.array(
        [any(is_suppressed(v, min_count=min_count) for v in row) for row in df[cols].to_numpy()],
        dtype=bool,
    )
    pooled = list(df.index[small])
    if len(pooled) == 1:
        rest = df.loc[~small, cols].astype("Float64").fillna(0).sum(axis=1)
        sizes = rest.to_numpy(dtype=float)
        # the smallest; on a tie the later row (tables list large counts first)
        pick = len(sizes) - 1 - int(np.argmin(sizes[::-1]))
        pooled.append(rest.index[pick])
    order = {label: i for i, label in enumerate(df.index)}
    return sorted(pooled, key=order.__getitem__)


def pool_rows(
    df: pd.DataFrame, rows: Sequence[Hashable], columns: Sequence[str]
) -> dict[str, int | None]:
    """Return the sums of the count ``columns`` over the index labels ``rows`` of ``df``.

    A sum over a missing value is missing (``None``): an unknown part makes the pool unknown.

    Examples
    --------
    >>> pool_rows(pd.DataFrame({"n": [11, 3, 4, 1]}), [1, 3], ["n"])
    {'n': 4}
    """
    cols = _check_columns(df, columns)
    part = df.loc[list(rows), cols]
    out: dict[str, int | None] = {}
    for c in cols:
        values = part[c]
        out[c] = None if values.isna().any() else int(values.astype("int64").sum())
    return out


def residual_pins(
    shown: Iterable[float | int | None], total: float | int | None, *, min_count: int = 3
) -> bool:
    """Return whether a partial table lets a reader determine its suppressed counts.

    The rows of a partial table are some of the disjoint parts of ``total``; the parts not
    listed hold ``total − sum(rows) ≥ 0``. With ``m`` suppressed rows (each ``1 … min_count−1``)
    and the exact rows summing to ``S``, a suppressed value can be at most
    ``total − S − (m − 1)``; it is determined (as 1) when that is 1, i.e. when
    ``total − S ≤ m``. A suppressed ``total`` is taken at its largest possible value,
    ``min_count − 1``; an unknown ``total`` pins nothing.

    Examples
    --------
    >>> residual_pins([5, 4, 1], 10)  # 10 − 9 = 1 = number of "<3" rows: it is 1
    True
    >>> residual_pins([5, 4, 1], 12)
    False
    """
    if total is None or pd.isna(total):  # type: ignore[call-overload]
        return False
    values = [v for v in shown if v is not None and not pd.isna(v)]  # type: ignore[call-overload]
    m = sum(is_suppressed(v, min_count=min_count) for v in values)
    if m == 0:
        return False
    exact = sum(round(float(v)) for v in values if not is_suppressed(v, min_count=min_count))
    t = min_count - 1 if is_suppressed(total, min_count=min_count) else round(float(total))
    return t - exact <= m


def derivable_rows(
    shown: Sequence[str], total: str | None, *, min_count: int = 3, complete: bool = True
) -> list[int]:
    """Return the positions of shown suppressed cells whose value a reader can determine.

    The reader's view of one column of a displayed table: ``shown`` holds the displayed texts
    (``"<3"``, ``"7"``, ``"–"``), ``total`` the displayed total of the column (or ``None``).
    A suppressed cell is determined when its value range ``[1, min_count − 1]`` shrinks to one
    value given ``sum(column) = total`` (``complete``) or ``sum(column) ≤ total`` (a partial
    table). Cells shown as ``"–"`` are unknown and make the column's sum unknown.

    Used by the tests as the attacker; a pooled row is one cell like any other.

    Examples
    --------
    >>> derivable_rows(["11", "3", "4", "<3"], "19")
    [3]
    >>> derivable_rows(["11", "3", "4", "<3", "<3"], "21")  # 1 + 2 or 2 + 1
    []
    """
    hidden = f"<{min_count}"
    if total is None or total == "–" or any(s == "–" for s in shown):
        return []
    lo_total, hi_total = (1, min_count - 1) if total == hidden else (int(total), int(total))
    idx = [i for i, s in enumerate(shown) if s == hidden]
    exact = sum(int(s) for s in shown if s != hidden)
    out = []
    for i in idx:
        others = len(idx) - 1
        hi = min(min_count - 1, hi_total - exact - others)
        lo = max(1, lo_total - exact - others * (min_count - 1)) if complete else 1
        if lo >= hi:
            out.append(i)
    return out


# ------------------------------------------------------------ what a table shows, by tier


def may_show(*counts: float | int | None, min_count: int = 3, tier: Tier = "presenter") -> bool:
    """Return whether a value derived from ``counts`` (a change, share or rate) may be shown.

    A value needs every count it is computed from: an unknown count (``None``) makes it
    unknown in every tier. In the presenter tier no count may be suppressed either (a change
    against a ``"<3"`` would give the small count away); zero is not suppressed.

    Examples
    --------
    >>> may_show(9, 3), may_show(9, 2), may_show(9, 0), may_show(9, None)
    (True, False, True, False)
    >>> may_show(9, 2, tier="internal")
    True
    """
    if tier == "internal":
        return all(c is not None for c in counts)
    return all(c is not None and (c == 0 or c >= min_count) for c in counts)


def pooled_rows(
    table: pd.DataFrame,
    columns: Sequence[str],
    *,
    min_count: int = 3,
    tier: Tier = "presenter",
    totals: Mapping[str, float | int | None] | None = None,
) -> list[Hashable]:
    """Return the index labels of the rows of ``table`` that ``tier`` shows pooled.

    The internal tier pools nothing. In the presenter tier a complete table (``totals`` is
    ``None``: its rows add up to totals shown elsewhere) is pooled by :func:`rows_to_pool`; a
    partial table (``totals`` maps each count column to the shown total it is part of) is
    pooled the same way only when some column's difference pins a suppressed count
    (:func:`residual_pins`); a column missing from ``totals`` pins nothing.

    Parameters
    ----------
    table
        One row per category, outcome, place or cell (not modified).
    columns
        Its count columns.
    min_count
        Counts in ``(0, min_count)`` are suppressed.
    tier
        ``"presenter"`` or ``"internal"``.
    totals
        For a partial table: the total of each count column.

    Returns
    -------
    list
        Index labels in table order; empty when nothing is pooled.

    Examples
    --------
    >>> hot = pd.DataFrame({"n": [10, 8, 1]})
    >>> pooled_rows(hot, ["n"], totals={"n": 19}), pooled_rows(hot, ["n"], totals={"n": 23})
    ([1, 2], [])
    """
    if tier != "presenter" or table.empty:
        return []
    if totals is not None and not any(
        residual_pins(table[c].to_list(), totals.get(c), min_count=min_count) for c in columns
    ):
        return []
    return rows_to_pool(table, columns, min_count=min_count)


@dataclass(frozen=True)
class Pooling:
    """A table as a tier shows it: rows kept as they are and rows merged into one pooled row.

    Attributes
    ----------
    kept
        The rows shown as they are, in table order (all rows when nothing is pooled).
    pooled
        The source rows of the pooled row, in table order (empty when nothing is pooled).
    sums
        Count column → sum over the pooled rows (``None`` when a part is unknown, see
        :func:`pool_rows`); empty when nothing is pooled.
    """

    kept: pd.DataFrame
    pooled: pd.DataFrame
    sums: Mapping[str, int | None]

    @property
    def is_pooled(self) -> bool:
        """Whether the table has a pooled row."""
        return not self.pooled.empty


def pool_table(
    table: pd.DataFrame,
    columns: Sequence[str],
    *,
    min_count: int = 3,
    tier: Tier = "presenter",
    totals: Mapping[str, float | int | None] | None = None,
) -> Pooling:
    """Split ``table`` into what ``tier`` shows as it is and what it shows pooled.

    The rows to pool are those of :func:`pooled_rows` (same parameters); the pooled row's
    counts are their sums (:func:`pool_rows`), shown like any other count.

    Examples
    --------
    >>> p = pool_table(pd.DataFrame({"n": [11, 3, 4, 1]}), ["n"])
    >>> p.kept["n"].tolist(), p.pooled.index.tolist(), dict(p.sums)
    ([11, 4], [1, 3], {'n': 4})
    """
    rows = pooled_rows(table, columns, min_count=min_count, tier=tier, totals=totals)
    sums = pool_rows(table, rows, columns) if rows else {}
    return Pooling(kept=table.drop(index=rows), pooled=table.loc[rows], sums=sums)
