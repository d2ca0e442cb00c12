"""An import into a PostGIS store: the rule of :mod:`apk_geo.store.upsert`, in one transaction.

:func:`stage_import` copies the incoming records into a temporary table (``COPY``) and plans, in
one query against the ``(source, id)`` key and the versions index, what each record does —
exactly the rule of the GeoPackage store:

* no stored row → **accepted**; a key retired by retention (``apk.tombstones``) → **duplicate**
  (nothing of a record past its retention period comes back);
* the same ``record_hash`` → **duplicate** (a later ``modified_at`` refreshes the stored one);
* another hash → **stale** when both rows have ``modified_at`` and the stored one is later,
  otherwise **updated** (the stored row goes to ``incident_versions`` as ``"replaced"``); an
  updated record equal to a kept version is also **reverted**; a stale one not kept yet goes to
  ``incident_versions`` as ``"stale"``.

:func:`write_import` then applies the plan with set-based statements that touch only the rows
of the import (through the key and versions indexes), so the cost of an import grows with the
rows imported, not with the store. The caller commits (or, for a dry run, rolls back): a process
killed at any moment leaves the store as it was before the transaction or after it.

A store whose metadata does not say ``record_hash_version = 2`` (written before the version-2
record hash) is upgraded in the same transaction, as :mod:`apk_geo.store.rehash` describes:
:func:`stage_import` recovers the version-2 hash of every stored row into a temporary table, the
plan compares against it, and :func:`write_import` rewrites the stored hashes and the metadata
(a dry run rolls all of it back).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from apk_geo.errors import StoreError
from apk_geo.schema import QUARANTINE_COLUMNS
from apk_geo.store._messages import lock_timeout, lock_wait
from apk_geo.store.counts import ImportCounts
from apk_geo.store.layers import IMPORT_LOG_COLUMNS, STORED_INCIDENT_COLUMNS
from apk_geo.store.lock import OnWait
from apk_geo.store.pg import IMPORT_LOCK, copy_frame, fetch_frame, python_values
from apk_geo.store.pglayers import read_metadata
from apk_geo.store.rehash import CONTENT_COLUMNS, hash_metadata, is_legacy, recover_v2_hashes

__all__ = [
    "COLUMN_TYPES",
    "incident_columns",
    "point_values",
    "stage_import",
    "take_write_lock",
    "temp_columns",
    "write_import",
    "write_log",
    "write_quarantine",
]

logger = logging.getLogger(__name__)

#: SQL type of every stored incident column (and of the quarantine's).
COLUMN_TYPES: Final[Mapping[str, str]] = {
    **{c: "text" for c in STORED_INCIDENT_COLUMNS},
    **{c: "timestamptz" for c in ("reported_at", "imported_at", "modified_at")},
    **{
        c: "double precision"
        for c in ("lat", "lon", "x_5514", "y_5514", "score", "hostel_distance_m")
    },
    "ruian_adm": "bigint",
    "in_hostel_buffer": "boolean",
    "line": "bigint",
}


def temp_columns(names: Sequence[str]) -> sql.Composable:
    """Return ``name type, …`` of ``names`` for a temporary table (text unless typed)."""
    return sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(COLUMN_TYPES.get(c, "text")))
        for c in names
    )


_POINT: Final = "public.ST_SetSRID(public.ST_MakePoint({t}.gx, {t}.gy), 5514)"


def incident_columns(prefix: str | None = None) -> sql.Composable:
    """Return the stored incident columns as an SQL list (``p.source, p.id, …`` with a prefix)."""
    if prefix is None:
        return sql.SQL(", ").join(sql.Identifier(c) for c in STORED_INCIDENT_COLUMNS)
    return sql.SQL(", ").join(sql.Identifier(prefix, c) for c in STORED_INCIDENT_COLUMNS)


def point_values(geometry: gpd.GeoSeries) -> tuple[list[object], list[object]]:
    """Return the x and y of each point (None where the geometry is missing or empty)."""
    geoms = geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    if present.any():
        x[present] = shapely.get_x(geoms[present])
        y[present] = shapely.get_y(geoms[present])
    return python_values(pd.Series(x)), python_values(pd.Series(y))


def take_write_lock(
    conn: psycopg.Connection[Any], *, where: str, timeout_s: float | None, on_wait: OnWait | None
) -> None:
    """Take the store's write lock (a transaction-scoped advisory lock), waiting if need be.

    A writer that finds the lock taken says so once (``on_wait``, else a log warning) naming
    the server process that holds it, then waits up to ``timeout_s`` seconds (``None``: for
    ever). The lock goes with the transaction: a killed writer's lock is freed by the server.

    Raises
    ------
    StoreError
        If another writer still holds the lock after ``timeout_s`` seconds.
    """
    row = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK]).fetchone()
    if row is not None and row[0]:
        return
    holder = _holder(conn)
    (on_wait or logger.warning)(
        lock_wait(where, lock=None, holder_pid=holder, timeout_s=timeout_s, server=True)
    )
    wait_ms = 0 if timeout_s is None else max(1, round(timeout_s * 1000))
    conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{wait_ms}ms")))
    try:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
    except psycopg.errors.LockNotAvailable as exc:  # only with a timeout (0 ms waits for ever)
        waited = 0.0 if timeout_s is None else timeout_s
        raise StoreError(
            lock_timeout(where, lock=None, holder_pid=holder, timeout_s=waited, server=True)
        ) from exc
    conn.execute("SET LOCAL lock_timeout = 0")


def _holder(conn: psycopg.Connection[Any]) -> str | None:
    """Return the server process id of the lock's holder (text), or ``None``."""
    row = conn.execute(
        "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database() "
        "AND l.classid = 0 AND l.objid = %s AND l.objsubid = 1",
        [IMPORT_LOCK],
    ).fetchone()
    return str(row[0]) if row else None


# ------------------------------------------------------------------------------ the plan

_PLAN: Final = """
CREATE TEMP TABLE apk_plan ON COMMIT DROP AS
SELECT n.*, s.gid AS stored_gid,
       CASE WHEN t.source IS NOT NULL THEN 'same'
            WHEN s.gid IS NULL THEN 'new'
            WHEN {stored_hash} = n.record_hash THEN 'same'
            WHEN n.modified_at < s.modified_at THEN 'stale'
            ELSE 'updated' END AS fate,
       (n.modified_at IS NOT NULL
        AND (s.modified_at IS NULL OR n.modified_at > s.modified_at)) AS mine_later,
       EXISTS (SELECT 1 FROM apk.incident_versions v
               WHERE v.source = n.source AND v.id = n.id
                 AND v.record_hash = n.record_hash) AS kept
FROM pg_temp.apk_incoming n
LEFT JOIN apk.incidents s ON s.source = n.source AND s.id = n.id
{rehash_join}LEFT JOIN apk.tombstones t ON t.source = n.source AND t.id_md5 = md5(n.id)
"""

_COUNTS: Final = """
SELECT count(*) FILTER (WHERE fate = 'new'),
       count(*) FILTER (WHERE fate = 'updated'),
       count(*) FILTER (WHERE fate = 'stale'),
       count(*) FILTER (WHERE fate = 'same'),
       count(*) FILTER (WHERE fate IN ('new', 'updated')
                        AND (match = 'failed' OR gx IS NULL OR gy IS NULL)),
       count(*) FILTER (WHERE fate = 'updated' AND kept),
       count(*) FILTER (WHERE fate = 'stale' AND NOT kept)
FROM pg_temp.apk_plan
"""


def stage_import(
    conn: psycopg.Connection[Any], incoming: gpd.GeoDataFrame, *, quarantined: int, in_file: int
) -> tuple[ImportCounts, int]:
    """Copy ``incoming`` into a temporary table, plan the import; return counts, versions kept.

    Parameters
    ----------
    incoming
        Normalised incidents with the stored columns (``normalise_incidents(stored=True)``).
    quarantined, in_file
        Quarantined rows and exact repeats within the file (counted, not planned).
    """
    conn.execute(
        sql.SQL(
            "CREATE TEMP TABLE apk_incoming ({}, gx double precision, gy double precision, "
            "ord bigint) ON COMMIT DROP"
        ).format(temp_columns(STORED_INCIDENT_COLUMNS))
    )
    data: dict[str, list[object]] = {c: python_values(incoming[c]) for c in STORED_INCIDENT_COLUMNS}
    data["gx"], data["gy"] = point_values(incoming.geometry)
    data["ord"] = list(range(len(incoming)))
    copy_frame(
        conn,
        sql.SQL("pg_temp.apk_incoming"),
        [*STORED_INCIDENT_COLUMNS, "gx", "gy", "ord"],
        data,
    )
    conn.execute("ANALYZE pg_temp.apk_incoming")  # so the plan joins through the key index
    if _stage_rehash(conn):  # an old store: compare with the upgraded hashes
        conn.execute("ANALYZE pg_temp.apk_rehash")
        plan = _PLAN.format(
            stored_hash="COALESCE(r.record_hash, s.record_hash)",
            rehash_join="LEFT JOIN pg_temp.apk_rehash r ON r.gid = s.gid\n",
        )
    else:
        plan = _PLAN.format(stored_hash="s.record_hash", rehash_join="")
    conn.execute(plan)
    row = conn.execute(_COUNTS).fetchone()
    new, updated, stale, same, failed, reverted, keep_stale = (int(v) for v in row or (0,) * 7)
    counts = ImportCounts(
        read=len(incoming) + quarantined + in_file,
        accepted=new,
        updated=updated,
        stale=stale,
        duplicates=same + in_file,
        quarantined=quarantined,
        not_geocoded=failed,
        reverted=reverted,
    )
    return counts, updated + keep_stale


def write_import(conn: psycopg.Connection[Any], *, now: pd.Timestamp, import_id: str) -> None:
    """Apply the staged plan: versions first, then updates, refreshed times and new rows."""
    stored, planned = incident_columns("s"), incident_columns("p")
    point = sql.SQL(_POINT.format(t="p"))
    params = {"now": now.to_pydatetime(), "import_id": import_id}
    # upgraded record hashes first, so a replaced row goes to the versions with its new hash
    rehash = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_temp.apk_rehash)").fetchone()
    if rehash is not None and rehash[0]:  # (an UPDATE over an empty table may scan the store)
        conn.execute(
            "UPDATE apk.incidents s SET record_hash = r.record_hash FROM pg_temp.apk_rehash r "
            "WHERE s.gid = r.gid"
        )
    conn.execute(
        "INSERT INTO apk.metadata (key, value) SELECT key, value FROM pg_temp.apk_hash_meta "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    )
    version_cols = sql.SQL("{}, version_kind, replaced_at, replaced_by_import, geom").format(
        incident_columns()
    )
    conn.execute(
        sql.SQL(
            "INSERT INTO apk.incident_versions ({cols}) "
            "SELECT {stored}, 'replaced', %(now)s, %(import_id)s, s.geom "
            "FROM apk.incidents s JOIN pg_temp.apk_plan p ON s.gid = p.stored_gid "
            "WHERE p.fate = 'updated' ORDER BY s.gid"
        ).format(cols=version_cols, stored=stored),
        params,
    )
    conn.execute(
        sql.SQL(
            "INSERT INTO apk.incident_versions ({cols}) "
            "SELECT {planned}, 'stale', %(now)s, %(import_id)s, {point} "
            "FROM pg_temp.apk_plan p WHERE p.fate = 'stale' AND NOT p.kept ORDER BY p.ord"
        ).format(cols=version_cols, planned=planned, point=point),
        params,
    )
    conn.execute(
        sql.SQL(
            "UPDATE apk.incidents s SET ({cols}, geom) = ({planned}, {point}) "
            "FROM pg_temp.apk_plan p WHERE s.gid = p.stored_gid AND p.fate = 'updated'"
        ).format(cols=incident_columns(), planned=planned, point=point)
    )
    conn.execute(
        "UPDATE apk.incidents s SET modified_at = p.modified_at FROM pg_temp.apk_plan p "
        "WHERE s.gid = p.stored_gid AND p.fate = 'same' AND p.mine_later"
    )
    conn.execute(
        sql.SQL(
            "INSERT INTO apk.incidents ({cols}, geom) SELECT {planned}, {point} "
            "FROM pg_temp.apk_plan p WHERE p.fate = 'new' ORDER BY p.ord"
        ).format(cols=incident_columns(), planned=planned, point=point)
    )


def _stage_rehash(conn: psycopg.Connection[Any]) -> bool:
    """Fill ``apk_rehash`` (gid, upgraded hash) and ``apk_hash_meta`` for an old store.

    Returns whether any stored hash is rewritten.
    """
    conn.execute(
        "CREATE TEMP TABLE apk_rehash (gid bigint PRIMARY KEY, record_hash text) ON COMMIT DROP"
    )
    conn.execute("CREATE TEMP TABLE apk_hash_meta (key text, value text) ON COMMIT DROP")
    if not is_legacy(read_metadata(conn)):
        return False
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in CONTENT_COLUMNS)
    stored = fetch_frame(
        conn,
        sql.SQL(
            "SELECT gid, {}, record_hash FROM apk.incidents WHERE record_hash IS NOT NULL"
        ).format(cols),
    )
    stored["reported_at"] = pd.to_datetime(stored["reported_at"], utc=True)
    v2 = recover_v2_hashes(stored)
    found = v2.notna().to_numpy(dtype=bool)
    changed = found & (v2 != stored["record_hash"]).to_numpy(dtype=bool, na_value=False)
    if changed.any():
        data = {
            "gid": [int(g) for g in stored.loc[changed, "gid"]],
            "record_hash": v2[changed].tolist(),
        }
        copy_frame(conn, sql.SQL("pg_temp.apk_rehash"), ["gid", "record_hash"], data)
    meta = hash_metadata(
        legacy=True,
        had_rows=bool(len(stored)),
        left=int((~found).sum()),
        where=f"PostGIS store {conn.info.dbname}",
    )
    for key, value in meta.items():
        conn.execute("INSERT INTO pg_temp.apk_hash_meta VALUES (%s, %s)", [key, value])
    return bool(changed.any())


def write_quarantine(conn: psycopg.Connection[Any], quar: pd.DataFrame) -> int:
    """Append the quarantine rows not stored already (same source, reason and raw cells).

    Returns
    -------
    int
        Rows stored.
    """
    if not len(quar):
        return 0
    cols = list(QUARANTINE_COLUMNS)
    conn.execute(
        sql.SQL("CREATE TEMP TABLE apk_quar ({}, ord bigint) ON COMMIT DROP").format(
            temp_columns(cols)
        )
    )
    data: dict[str, list[object]] = {c: python_values(quar[c]) for c in cols}
    data["ord"] = list(range(len(quar)))
    copy_frame(conn, sql.SQL("pg_temp.apk_quar"), [*cols, "ord"], data)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in cols)
    fresh = sql.SQL(", ").join(sql.Identifier("q", c) for c in cols)
    cur = conn.execute(
        sql.SQL(
            "INSERT INTO apk.quarantine ({names}) SELECT {fresh} FROM pg_temp.apk_quar q "
            "WHERE NOT EXISTS (SELECT 1 FROM apk.quarantine o WHERE o.source = q.source "
            "AND o.reason = q.reason AND md5(o.raw) = md5(q.raw) AND o.raw = q.raw) "
            "ORDER BY q.ord"
        ).format(names=names, fresh=fresh)
    )
    return int(cur.rowcount)


def write_log(conn: psycopg.Connection[Any], entry: Mapping[str, object]) -> None:
    """Append one import-log row (:data:`~apk_geo.store.IMPORT_LOG_COLUMNS`)."""
    cols = list(IMPORT_LOG_COLUMNS)
    values = [entry[c] for c in cols]
    values = [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in values]
    conn.execute(
        sql.SQL("INSERT INTO apk.import_log ({}) VALUES ({})").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in cols),
            sql.SQL(", ").join(sql.Placeholder() * len(cols)),
        ),
        values,
    )
