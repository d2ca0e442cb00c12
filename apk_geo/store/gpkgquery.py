"""Filters of :meth:`GeoPackageStore.incidents` pushed down into the GeoPackage's SQLite query.

:func:`incident_where` turns the filters into a ``where=`` clause for pyogrio (the GeoPackage
driver hands it to SQLite), so one month of a million-row store reads one month of rows,
through the B-tree indexes :func:`ensure_indexes` creates on the filtered columns.

The clause selects a *superset* of the rows the filters keep; the store then applies the exact
filters on the (small) frame read, in pandas. Two reasons:

* ``reported_at`` is stored as GeoPackage DATETIME text in UTC (``2024-03-01T10:00:00Z``, or
  ``…T10:00:00.500Z`` with milliseconds): text order is time order only up to the seconds (``.``
  sorts before ``Z``). The bounds therefore compare whole seconds in the stored representation
  (``YYYY-MM-DDTHH:MM:SS``, the floor of ``start``; one second after the floor of ``end``),
  which can only let in a few rows of the boundary second, never leave one out;
* a value the query cannot carry (a NUL character) is not pushed down at all.

Every value from the caller reaches SQL only as a quoted literal (:func:`sql_literal`); column
names are fixed here, never taken from the caller.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from apk_geo.store.layers import INCIDENTS

__all__ = [
    "INDEXED_COLUMNS",
    "can_write",
    "ensure_indexes",
    "incident_where",
    "index_name",
    "missing_indexes",
    "sql_literal",
    "utc_text_bound",
]

logger = logging.getLogger(__name__)

#: Columns of the incidents layer with a B-tree index. Only the period: the list filters'
#: columns hold a dozen categories, two dozen districts, seven MDT areas, so one value is 4-15 %
#: of the store, and fetching its rows through an index saves little over the scan SQLite does
#: without one (1M rows, a category over the whole period: 0.18 s with its index, 0.20 s
#: without; a value that is absent: 0.02 s, 0.14 s), while every index costs a scan of the
#: table on each full write (about 0.6 s per index at 1M). A list filter with a period uses the
#: period's index.
INDEXED_COLUMNS: Final = ("reported_at",)
#: The stored DATETIME text up to the seconds.
_SECONDS_FORMAT: Final = "%Y-%m-%dT%H:%M:%S"


def index_name(column: str) -> str:
    """Return the name of the index apk-geo keeps on ``incidents.column``."""
    return f"apk_{INCIDENTS}_{column}"


def sql_literal(value: str) -> str:
    """Return ``value`` as an SQLite text literal (single quotes doubled).

    Raises
    ------
    ValueError
        If ``value`` holds a NUL character (SQLite text literals cannot).
    """
    text = str(value)
    if "\x00" in text:
        raise ValueError("a NUL character cannot be part of an SQL literal")
    return "'" + text.replace("'", "''") + "'"


def utc_text_bound(moment: pd.Timestamp, *, upper: bool) -> str:
    """Return the stored-text bound of ``moment`` (tz-aware) in whole UTC seconds.

    ``reported_at >= utc_text_bound(start, upper=False)`` keeps every row with
    ``reported_at >= start``; ``reported_at < utc_text_bound(end, upper=True)`` every row with
    ``reported_at < end`` (and possibly rows of the second of ``end``; see the module text).
    """
    second = moment.tz_convert("UTC").floor("s")
    if upper:
        second = second + pd.Timedelta(seconds=1)
    return "'" + second.strftime(_SECONDS_FORMAT) + "'"


def _in_list(column: str, values: Sequence[str], *, indexed: bool) -> str:
    """Return ``"column" IN (…)`` (``0 = 1`` for no values: nothing passes).

    ``indexed=False`` writes the column as ``+"column"``, SQLite's way of saying "do not use
    this column's index": with a period filtered, the ``reported_at`` index reads the period's
    consecutive rows, while a category's index would fetch its rows of every year one by one.
    """
    if not values:
        return "0 = 1"
    name = f'"{column}"' if indexed else f'+"{column}"'
    return f"{name} IN ({', '.join(sql_literal(v) for v in dict.fromkeys(values))})"


def _list_clauses(
    *,
    categories: Sequence[str] | None,
    districts: Sequence[str] | None,
    mdt_areas: Sequence[str] | None,
    indexed: bool,
) -> list[str]:
    """Return the clauses of the list filters (a filter with a NUL value is not pushed down)."""
    clauses: list[str] = []
    with contextlib.suppress(ValueError):
        if categories is not None:
            clauses.append(_in_list("category", [str(v) for v in categories], indexed=indexed))
    with contextlib.suppress(ValueError):
        if districts is not None:
            wanted = [str(v) for v in districts]
            by_name = _in_list("district_name", wanted, indexed=indexed)
            by_code = _in_list("district_code", wanted, indexed=indexed)
            clauses.append(f"({by_name} OR {by_code})")
    with contextlib.suppress(ValueError):
        if mdt_areas is not None:
            clauses.append(_in_list("mdt_area", [str(v) for v in mdt_areas], indexed=indexed))
    return clauses


def incident_where(
    *,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    categories: Sequence[str] | None,
    districts: Sequence[str] | None,
    mdt_areas: Sequence[str] | None,
    geocoded_only: bool,
) -> str | None:
    """Return the SQL ``where=`` clause selecting a superset of the filtered incidents.

    Parameters
    ----------
    start, end
        Tz-aware bounds (``start <= reported_at < end``), or ``None``.
    categories, districts, mdt_areas, geocoded_only
        As :meth:`GeoPackageStore.incidents` (districts match ``district_name`` or
        ``district_code``).

    Returns
    -------
    str or None
        The clause, or ``None`` when nothing is filtered.
    """
    clauses: list[str] = []
    if start is not None:
        clauses.append(f'"reported_at" >= {utc_text_bound(start, upper=False)}')
    if end is not None:
        clauses.append(f'"reported_at" < {utc_text_bound(end, upper=True)}')
    clauses += _list_clauses(
        categories=categories, districts=districts, mdt_areas=mdt_areas, indexed=not clauses
    )
    if geocoded_only:
        clauses.append('("match" IS NULL OR "match" <> \'failed\')')
    return " AND ".join(clauses) if clauses else None


def _table_columns(con: sqlite3.Connection) -> set[str]:
    rows = con.execute(f'PRAGMA table_info("{INCIDENTS}")').fetchall()
    return {str(r[1]) for r in rows}


def _present_indexes(con: sqlite3.Connection) -> set[str]:
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (INCIDENTS,)
    ).fetchall()
    return {str(r[0]) for r in rows}


def missing_indexes(path: Path) -> list[str]:
    """Return the filtered columns of ``path``'s incidents table that lack their index.

    Opens the file read-only; an absent incidents table lacks nothing.
    """
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        columns = _table_columns(con)
        present = _present_indexes(con)
    missing: list[str] = [
        c for c in INDEXED_COLUMNS if c in columns and index_name(c) not in present
    ]
    return missing


def ensure_indexes(path: Path) -> list[str]:
    """Create the missing B-tree indexes on the incidents table of ``path`` (idempotent).

    Call it on the store's temporary copy inside a write transaction (the store's writers do),
    never on a store other processes read.

    Returns
    -------
    list of str
        The columns indexed now (empty when every index was there, or there is no table).
    """
    with contextlib.closing(sqlite3.connect(path)) as con:
        # the private copy is fsynced once before it replaces the store (apk_geo.store.lock)
        con.execute("PRAGMA synchronous = OFF")
        columns = _table_columns(con)
        present = _present_indexes(con)
        made: list[str] = [
            c for c in INDEXED_COLUMNS if c in columns and index_name(c) not in present
        ]
        for column in made:
            name = index_name(column)
            con.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{INCIDENTS}" ("{column}")')
        con.commit()
    if made:
        logger.info("%s: indexed incidents on %s", path, ", ".join(made))
    return made


def can_write(path: Path) -> bool:
    """Return whether this process may replace the store file ``path`` (file and folder)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
