"""Low-level PostgreSQL access for :class:`~apk_geo.store.PostGISStore` (psycopg 3).

One connection per store operation (a transaction), opened with :func:`connect`: the URL's role
is the signed-in user, so PostgreSQL itself decides what the operation may read or write. Errors
from the server become :class:`~apk_geo.errors.StoreError` naming the store (its URL without the
password) and the server's own words ("permission denied for table incidents"). Frames go in
with ``COPY … FROM STDIN`` (:func:`copy_frame`) and come out of a binary cursor
(:func:`fetch_frame`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import conninfo as _conninfo
from psycopg import sql

from apk_geo.errors import StoreError
from apk_geo.messages import Message
from apk_geo.store import _messages
from apk_geo.store.location import URL_SCHEMES, is_database_url

__all__ = [
    "IMPORT_LOCK",
    "URL_SCHEMES",
    "connect",
    "copy_frame",
    "display_location",
    "ewkb_values",
    "fetch_frame",
    "is_database_url",
    "open_connection",
    "python_values",
    "server_message",
    "store_error",
]

#: The advisory lock every write of a store takes (imports, layers, retention, migration); a
#: lock of this key is per database, so two stores on one server never wait for each other.
IMPORT_LOCK: Final = 73_160_013
#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT_S: Final = 10


def display_location(conninfo: str) -> str:
    """Return ``conninfo`` as ``postgresql://user@host:port/dbname``, without any password.

    Raises
    ------
    StoreError
        If ``conninfo`` cannot be parsed.
    """
    try:
        parts = _conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"not a PostgreSQL URL: {server_message(exc)}") from exc
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def server_message(exc: BaseException) -> str:
    """Return the server's message of a psycopg error (its first line), else ``str(exc)``."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = str(primary or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def store_error(exc: BaseException, *, where: str, doing: Message) -> StoreError:
    """Return a :class:`StoreError` for ``exc``: ``<where>: cannot <doing>: <server message>``.

    A missing ``apk`` table or function means the database holds no store yet: the message
    (in the reader's language, :func:`apk_geo.store._messages.no_database_store`) says so and
    how to create one.
    """
    missing = (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName)
    if isinstance(exc, missing) or (
        isinstance(exc, psycopg.errors.UndefinedFunction) and "apk." in str(exc)
    ):
        return StoreError(_messages.no_database_store(where, server=server_message(exc)))
    return StoreError(
        Message("msg.store_cannot", where=where, doing=doing, server=server_message(exc))
    )


def open_connection(conninfo: str, *, where: str, doing: Message) -> psycopg.Connection[Any]:
    """Open a connection as the URL's role (not in autocommit: the caller commits).

    Raises
    ------
    StoreError
        If the server cannot be reached or refuses the role; the message quotes the server.
    """
    try:
        return psycopg.connect(
            conninfo,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="apk-geo",
            options="-c TimeZone=UTC",
        )
    except psycopg.Error as exc:
        raise store_error(exc, where=where, doing=_messages.doing("connect", doing=doing)) from exc


@contextmanager
def connect(conninfo: str, *, where: str, doing: Message) -> Iterator[psycopg.Connection[Any]]:
    """Open a connection as the URL's role; one transaction, committed when the block ends.

    Parameters
    ----------
    conninfo
        A ``postgresql://`` URL or ``key=value`` conninfo (password from it, ``PGPASSWORD`` or
        ``~/.pgpass``).
    where
        The store's :func:`display_location`, for error messages.
    doing
        What the block does ("read incidents"), for error messages.

    Raises
    ------
    StoreError
        If the server cannot be reached, refuses the role, or a statement fails (the
        transaction is then rolled back); the message quotes the server.
    """
    conn = open_connection(conninfo, where=where, doing=doing)
    try:
        with conn:
            yield conn
    except psycopg.Error as exc:
        raise store_error(exc, where=where, doing=doing) from exc
    finally:
        conn.close()


def fetch_frame(
    conn: psycopg.Connection[Any],
    query: sql.Composable | str,
    params: Sequence[object] | Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Run ``query`` and return its rows as a frame (columns named as the query names them)."""
    with conn.cursor(binary=True) as cur:
        cur.execute(query, params)  # type: ignore[arg-type]
        names = [d.name for d in cur.description or ()]
        rows = cur.fetchall()
    if not rows:
        return pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    columns = list(zip(*rows, strict=True))
    return pd.DataFrame(
        {n: pd.Series(c, dtype=object) for n, c in zip(names, columns, strict=True)}
    )


def python_values(column: pd.Series) -> list[object]:
    """Return a column as Python values for psycopg, missing values (NaN, NaT, NA) as None."""
    values: list[object] = column.tolist()
    missing = column.isna().to_numpy(dtype=bool)
    if missing.any():
        for i in np.flatnonzero(missing):
            values[int(i)] = None
    return values


def ewkb_values(geometry: Sequence[object]) -> list[object]:
    """Return each geometry as hex EWKB in EPSG:5514 (what COPY reads into a geometry column).

    Missing and empty geometries become None (NULL).
    """
    geoms = np.asarray(geometry, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out: list[object] = [None] * len(geoms)
    if present.any():
        hexes = shapely.to_wkb(shapely.set_srid(geoms[present], 5514), hex=True, include_srid=True)
        for i, h in zip(np.flatnonzero(present), hexes, strict=True):
            out[int(i)] = str(h)
    return out


def copy_frame(
    conn: psycopg.Connection[Any],
    table: sql.Composable,
    columns: Sequence[str],
    data: Mapping[str, Sequence[object]],
) -> int:
    """``COPY`` the value lists of ``data`` (one per column, equal lengths) into ``table``.

    Returns
    -------
    int
        Rows written.
    """
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(table, cols)
    lists = [data[c] for c in columns]
    n = len(lists[0]) if lists else 0
    with conn.cursor() as cur, cur.copy(query) as copy:
        for row in zip(*lists, strict=True):
            copy.write_row(row)
    return n
