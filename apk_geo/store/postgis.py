"""The PostGIS store :class:`PostGISStore`: one PostgreSQL database shared by a team.

The tables (schema ``apk``, created by ``apk-geo db init``, see :mod:`apk_geo.db`) hold what the
GeoPackage store's layers hold; the rules are the same (:mod:`apk_geo.store.upsert`, carried out
in SQL by :mod:`apk_geo.store.pgimport`). What differs:

* **who may see what is decided by PostgreSQL.** The store connects as the URL's role (the
  signed-in user). A mentor reads ``apk.incidents``; an analyst may not, and reads the view
  ``apk.incidents_cells`` instead (no note, assistant, address or exact point: the centre of the
  250 m cell); a presenter may read neither, and gets "permission denied" from the server. Rows
  of MDT areas a user is not given are filtered out by row-level security.
* **every write is one transaction** holding an advisory lock, so concurrent imports run one
  after the other and a writer killed at any moment leaves the store as before or after.
* **filters run in SQL** on indexed columns (time, category, district, MDT area; GiST on the
  point), so a month of one district reads only that month's rows.
* **reads of incident-level data, imports and layer writes are audited** in ``apk.audit`` (who,
  when, what, why), in the same transaction.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from apk_geo.errors import StoreError
from apk_geo.messages import Message
from apk_geo.schema import CRS_METRIC, INCIDENT_COLUMNS, QUARANTINE_COLUMNS, TIMEZONE
from apk_geo.store import _messages
from apk_geo.store.common import check_import, last_imports, log_entry
from apk_geo.store.counts import ImportCounts, Reconciliation, reconcile
from apk_geo.store.gpkg import prepare_layers
from apk_geo.store.layers import (
    CONTEXT_LAYERS,
    IMPORT_LOG_COLUMNS,
    VERSION_COLUMNS,
    normalise_incidents,
    normalise_log,
    normalise_quarantine,
    normalise_versions,
)
from apk_geo.store.lock import DEFAULT_LOCK_TIMEOUT_S, OnWait, check_lock_timeout
from apk_geo.store.pg import display_location, fetch_frame, open_connection, store_error
from apk_geo.store.pgimport import stage_import, take_write_lock, write_import, write_log
from apk_geo.store.pgimport import write_quarantine as _write_quarantine
from apk_geo.store.pglayers import (
    layer_names,
    merge_metadata,
    read_layer,
    read_metadata,
    write_layers,
)
from apk_geo.times import as_timestamp

__all__ = ["PostGISStore"]

logger = logging.getLogger(__name__)

#: The relation each kind of data is read from, in order of preference: the first one the
#: signed-in role may read (the last is tried anyway, so PostgreSQL names what is refused).
_INCIDENT_RELATIONS: Final = ("apk.incidents", "apk.incidents_cells")
_QUARANTINE_RELATIONS: Final = ("apk.quarantine", "apk.quarantine_reasons")
_TIME_COLUMNS: Final = ("reported_at", "imported_at", "modified_at", "replaced_at")


class PostGISStore:
    """An :class:`~apk_geo.store.IncidentStore` in a PostGIS database (schema ``apk``).

    Parameters
    ----------
    url
        ``postgresql://user:password@host:port/dbname`` or a libpq ``key=value`` string; the
        password may also come from ``PGPASSWORD`` or ``~/.pgpass``. The role is the user every
        operation runs as.
    lock_timeout_s, on_lock_wait
        How long a write waits for another writer, and what it calls when it starts waiting
        (see :func:`apk_geo.store.open_store`).
    reason
        Why the user works with the data (e.g. "MDT Poruba 2026-11"); recorded with every audit
        row this store writes.
    client
        Where the user is (the dashboard passes the browser's address); recorded in the audit.
    """

    def __init__(
        self,
        url: str,
        *,
        lock_timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S,
        on_lock_wait: OnWait | None = None,
        reason: str | None = None,
        client: str | None = None,
    ) -> None:
        self._conninfo = url
        self._where = display_location(url)
        self.lock_timeout_s = check_lock_timeout(lock_timeout_s)
        self.on_lock_wait = on_lock_wait
        self.reason = reason
        self.client = client
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"PostGISStore({self._where!r})"

    @property
    def location(self) -> str:
        """The database URL without its password."""
        return self._where

    @contextmanager
    def _session(self, doing: Message) -> Iterator[psycopg.Connection[Any]]:
        """One transaction on the store's connection (opened on first use, kept for the next).

        Committed when the block ends, rolled back if it raises; a broken connection is
        dropped and the next operation opens a new one.
        """
        with self._lock:
            conn = self._connection(doing)
            try:
                yield conn
                conn.commit()
            except psycopg.Error as exc:
                self._recover(conn)
                raise store_error(exc, where=self._where, doing=doing) from exc
            except BaseException:
                self._recover(conn)
                raise

    def _connection(self, doing: Message) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = open_connection(self._conninfo, where=self._where, doing=doing)
        return self._conn

    def _recover(self, conn: psycopg.Connection[Any]) -> None:
        if conn.broken or conn.closed:
            self._conn = None
            return
        try:
            conn.rollback()
        except psycopg.Error:
            conn.close()
            self._conn = None

    def close(self) -> None:
        """Close the store's connection (the next operation opens a new one)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ---------------------------------------------------------------- reading

    def exists(self) -> bool:
        """Return whether the database holds an apk-geo store (``apk-geo db init`` has run)."""
        with self._session(_messages.doing("find")) as conn:
            return _has_store(conn)

    def change_token(self) -> str:
        """Return ``<store id>:<version>``; every write (import, layers, retention) bumps it."""
        with self._session(_messages.doing("version")) as conn:
            row = conn.execute("SELECT store_id, version FROM apk.store_state").fetchone()
        return "absent" if row is None else f"{row[0]}:{row[1]}"

    def incidents(
        self,
        *,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
        categories: Sequence[str] | None = None,
        districts: Sequence[str] | None = None,
        mdt_areas: Sequence[str] | None = None,
        geocoded_only: bool = False,
    ) -> gpd.GeoDataFrame:
        """Return the incidents the signed-in role may see, filtered in SQL.

        Parameters
        ----------
        start, end
            Keep ``start <= reported_at < end``; naive timestamps are read as Europe/Prague.
        categories, districts, mdt_areas, geocoded_only
            As :meth:`apk_geo.store.GeoPackageStore.incidents`.

        Returns
        -------
        geopandas.GeoDataFrame
            Columns :data:`apk_geo.schema.INCIDENT_COLUMNS` and geometry (Point, EPSG:5514).
            For an analyst, ``assistant``, ``note``, ``address``, ``ruian_adm``,
            ``geocode_reason`` and ``record_hash`` are empty, ``id`` is a row number and the
            point is the centre of its 250 m cell.

        Raises
        ------
        StoreError
            If the role may not read incidents at all (a presenter, an administrator:
            "permission denied"), or the database cannot be read.
        ParameterError
            If ``start`` or ``end`` is not a date-time.
        """
        where, params = _filters(
            start=start,
            end=end,
            categories=categories,
            districts=districts,
            mdt_areas=mdt_areas,
            geocoded_only=geocoded_only,
        )
        with self._session(_messages.doing("incidents")) as conn:
            relation = _readable(conn, _INCIDENT_RELATIONS)
            frame = _select_points(conn, relation, INCIDENT_COLUMNS, where, params, order="gid")
            self._audit(
                conn,
                "read_incidents",
                details={
                    "relation": relation,
                    "rows": len(frame),
                    "filters": _filter_facts(
                        start, end, categories, districts, mdt_areas, geocoded_only
                    ),
                },
            )
        gdf = normalise_incidents(frame)
        gdf.attrs["params"] = {"store": self._where, "relation": relation}
        return gdf

    def versions(self) -> gpd.GeoDataFrame:
        """Return every replaced or stale version (:data:`~apk_geo.store.VERSION_COLUMNS`).

        Raises
        ------
        StoreError
            If the role may not read versions (only mentors may).
        """
        with self._session(_messages.doing("versions")) as conn:
            frame = _select_points(
                conn, "apk.incident_versions", VERSION_COLUMNS, sql.SQL("TRUE"), [], order="vid"
            )
            self._audit(conn, "read_versions", details={"rows": len(frame)})
        return normalise_versions(frame)

    def quarantine(self) -> pd.DataFrame:
        """Return the quarantined rows; an analyst gets them without values, reasons and raw cells.

        Raises
        ------
        StoreError
            If the role may not read the quarantine at all.
        """
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in QUARANTINE_COLUMNS)
        with self._session(_messages.doing("quarantine")) as conn:
            relation = _readable(conn, _QUARANTINE_RELATIONS)
            frame = fetch_frame(
                conn,
                sql.SQL("SELECT {} FROM {} ORDER BY qid").format(cols, _relation(relation)),
            )
            if relation == "apk.quarantine":
                self._audit(conn, "read_quarantine", details={"rows": len(frame)})
        return normalise_quarantine(_utc_times(frame))

    def import_log(self) -> pd.DataFrame:
        """Return one row per import (:data:`~apk_geo.store.IMPORT_LOG_COLUMNS`), oldest first."""
        with self._session(_messages.doing("import_log")) as conn:
            return _import_log(conn)

    def reconcile(self) -> Reconciliation:
        """Return per-import counts and whether the store accounts for every record read.

        The same checks as :meth:`apk_geo.store.GeoPackageStore.reconcile`, on the whole store
        (not only the areas the role may see); incidents and versions removed by retention are
        accounted for.
        """
        with self._session(_messages.doing("reconcile")) as conn:
            log = _import_log(conn)
            totals = _totals(conn)
        return reconcile(
            log,
            incidents=totals["incidents"],
            versions=totals["versions"],
            quarantine=totals["quarantine"],
            removed_incidents=totals["removed_incidents"],
            removed_versions=totals["removed_versions"],
        )

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return the context layer ``name`` in EPSG:5514.

        Raises
        ------
        StoreError
            If the store has no such layer.
        """
        with self._session(_messages.doing("layer", name=name)) as conn:
            present = layer_names(conn)
            if name not in present or name not in CONTEXT_LAYERS:
                names = [n for n in CONTEXT_LAYERS if n in present]
                raise StoreError(f"{self._where}: no context layer {name!r}; it has {names}")
            return read_layer(conn, name)

    def layer_names(self) -> list[str]:
        """Return the context layers present, in :data:`CONTEXT_LAYERS` order."""
        with self._session(_messages.doing("layers")) as conn:
            present = layer_names(conn)
        return [n for n in CONTEXT_LAYERS if n in present]

    def metadata(self) -> dict[str, str]:
        """Return the store's metadata."""
        with self._session(_messages.doing("metadata")) as conn:
            return read_metadata(conn)

    def summary(self) -> dict[str, object]:
        """Return counts, date span, last imports, layers and the synthetic flag.

        The keys of :meth:`apk_geo.store.GeoPackageStore.summary`. Counts of incidents are
        those the role may see; quarantine and versions are the store's totals.

        Raises
        ------
        StoreError
            If the role may read neither incidents nor totals (a presenter).
        """
        with self._session(_messages.doing("summary")) as conn:
            facts = _incident_facts(conn, _readable(conn, _INCIDENT_RELATIONS, strict=False))
            totals = _totals(conn)
            log = (
                _import_log(conn) if _may(conn, "apk.import_log") else normalise_log(pd.DataFrame())
            )
            present = layer_names(conn)
            meta = read_metadata(conn)
        if facts is None:
            facts = {"incidents": totals["incidents"], "not_geocoded": None, "sources": []}
            facts |= {"date_from": None, "date_to": None}
        n, failed = facts["incidents"], facts["not_geocoded"]
        return {
            "store": self._where,
            "incidents": n,
            "geocoded": None if failed is None else int(n) - int(failed),  # type: ignore[call-overload]
            "not_geocoded": failed,
            "quarantined": totals["quarantine"],
            "versions": totals["versions"],
            "sources": facts["sources"],
            "date_from": facts["date_from"],
            "date_to": facts["date_to"],
            "imports": len(log),
            "last_imports": last_imports(log),
            "context_layers": [c for c in CONTEXT_LAYERS if c in present],
            "synthetic": meta.get("synthetic", "false").lower() == "true",
            "metadata": meta,
        }

    # ---------------------------------------------------------------- writing

    def write_layers(
        self,
        layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame],
        *,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Write (replace) context layers and merge metadata, in one transaction.

        Raises
        ------
        StoreError
            If a layer name is not a context layer, the role may not write layers, or the write
            lock is not free in time (the store is then unchanged).
        CRSError
            If a GeoDataFrame has no CRS.
        """
        prepared = prepare_layers(layers)
        with self._session(_messages.doing("write_layers")) as conn:
            take_write_lock(
                conn, where=self._where, timeout_s=self.lock_timeout_s, on_wait=self.on_lock_wait
            )
            write_layers(conn, prepared)
            merge_metadata(conn, metadata or {})
            conn.execute("SELECT apk.bump_version()")
            self._audit(
                conn,
                "layers",
                details={
                    "layers": {k: len(v) for k, v in prepared.items()},
                    "metadata": list(metadata or {}),
                },
            )

    def apply_import(
        self,
        *,
        incidents: gpd.GeoDataFrame,
        quarantine: pd.DataFrame,
        log: Mapping[str, object],
        layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame] | None = None,
        metadata: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> ImportCounts:
        """Upsert incidents by ``(source, id)``, append quarantine rows and log, in one transaction.

        The rule, the parameters and the counts are those of
        :meth:`apk_geo.store.GeoPackageStore.apply_import`. The import holds the store's write
        lock until it commits, so a concurrent import waits (up to ``lock_timeout_s``); a record
        whose key retention has retired counts as a duplicate. The import is audited with its
        counts. ``dry_run`` plans the same way and rolls back: nothing is written, no lock taken.

        Raises
        ------
        SchemaError, CRSError
            As the GeoPackage store raises them, before anything is written.
        StoreError
            If the role may not import (analysts, presenters, admins, users limited to some MDT
            areas), the lock is not free in time, or the write fails; the store is unchanged.
        """
        check_import(incidents, quarantine)
        prepared = prepare_layers(layers or {})
        in_file = int(log.get("duplicates_in_file", 0) or 0)  # type: ignore[call-overload]
        now = pd.Timestamp.now(tz=TIMEZONE)
        incoming = normalise_incidents(incidents.assign(imported_at=now), stored=True)
        quar = normalise_quarantine(quarantine.assign(imported_at=now))
        with self._session(_messages.doing("import")) as conn:
            _require_unrestricted(conn, where=self._where)
            if not dry_run:
                take_write_lock(
                    conn,
                    where=self._where,
                    timeout_s=self.lock_timeout_s,
                    on_wait=self.on_lock_wait,
                )
            counts, kept = stage_import(conn, incoming, quarantined=len(quar), in_file=in_file)
            if dry_run:
                conn.rollback()
                return counts
            import_id = uuid.uuid4().hex
            write_import(conn, now=now, import_id=import_id)
            _write_quarantine(conn, quar)
            entry = log_entry(log, counts, now=now, import_id=import_id)
            row = entry.iloc[0].to_dict() | {"versions_kept": kept}
            write_log(conn, {c: row[c] for c in IMPORT_LOG_COLUMNS})
            write_layers(conn, prepared)
            merge_metadata(conn, metadata or {})
            conn.execute("SELECT apk.bump_version()")
            self._audit(
                conn,
                "import",
                subject=str(log.get("file", "")) or None,
                details={
                    **counts.as_dict(),
                    "versions_kept": kept,
                    "source": str(log.get("source", "")),
                    "import_id": import_id,
                    "layers": sorted(prepared),
                },
            )
        logger.info("%s: import %s", self._where, counts.as_dict())
        return counts

    def audit(
        self,
        action: str,
        *,
        subject: str | None = None,
        details: Mapping[str, object] | None = None,
        reason: str | None = None,
    ) -> None:
        """Write one row of the audit trail as the signed-in user.

        Parameters
        ----------
        action
            One of the actions the ``apk.audit`` table allows (``export``, ``download``,
            ``pack``, ``route``, ``page_view``, ``signout``, ``timeout`` …).
        subject
            What the action concerns (a file, an area, a page).
        details
            Facts (JSON-serialisable).
        reason
            Why, if the user says; defaults to the store's ``reason``.

        Raises
        ------
        StoreError
            If the action is unknown or the row cannot be written.
        """
        with self._session(_messages.doing("audit", action=action)) as conn:
            self._audit(conn, action, subject=subject, details=details, reason=reason)

    def _audit(
        self,
        conn: psycopg.Connection[Any],
        action: str,
        *,
        subject: str | None = None,
        details: Mapping[str, object] | None = None,
        reason: str | None = None,
    ) -> None:
        conn.execute(
            "SELECT apk.audit_write(%s, %s, %s::jsonb, %s, %s)",
            [
                action,
                subject,
                json.dumps(dict(details or {}), ensure_ascii=False, default=str),
                reason if reason is not None else self.reason,
                self.client,
            ],
        )


# -------------------------------------------------------------------- helpers


def _has_store(conn: psycopg.Connection[Any]) -> bool:
    """Return whether ``apk.store_state`` exists (catalog lookup: needs no privilege)."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = 'apk' AND c.relname = 'store_state')"
    ).fetchone()
    return bool(row and row[0])


def _may(conn: psycopg.Connection[Any], relation: str) -> bool:
    """Return whether the role may SELECT from ``relation``."""
    row = conn.execute("SELECT has_table_privilege(%s, 'SELECT')", [relation]).fetchone()
    return bool(row and row[0])


def _readable(
    conn: psycopg.Connection[Any], relations: Sequence[str], *, strict: bool = True
) -> str:
    """Return the first of ``relations`` the role may read (else the first, or ``""``)."""
    for relation in relations:
        if _may(conn, relation):
            return relation
    return relations[0] if strict else ""


def _relation(name: str) -> sql.Composable:
    schema, _, table = name.partition(".")
    return sql.Identifier(schema, table)


def _require_unrestricted(conn: psycopg.Connection[Any], *, where: str) -> None:
    """Refuse, with a clear message, an import by a user limited to some MDT areas."""
    row = conn.execute("SELECT apk.my_areas()").fetchone()
    if row is not None and row[0]:
        raise StoreError(_messages.import_limited(where, user=conn.info.user, areas=row[0]))


def _filters(
    *,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    categories: Sequence[str] | None,
    districts: Sequence[str] | None,
    mdt_areas: Sequence[str] | None,
    geocoded_only: bool,
) -> tuple[sql.Composable, list[object]]:
    """Return the WHERE clause of the incident filters (indexed columns) and its parameters."""
    parts: list[sql.Composable] = []
    params: list[object] = []
    if start is not None:
        parts.append(sql.SQL("reported_at >= %s"))
        params.append(as_timestamp(start, name="start").to_pydatetime())
    if end is not None:
        parts.append(sql.SQL("reported_at < %s"))
        params.append(as_timestamp(end, name="end").to_pydatetime())
    if categories is not None:
        parts.append(sql.SQL("category = ANY(%s)"))
        params.append(_storable(categories))
    if districts is not None:
        parts.append(sql.SQL("(district_name = ANY(%s) OR district_code = ANY(%s))"))
        params += [_storable(districts)] * 2
    if mdt_areas is not None:
        parts.append(sql.SQL("mdt_area = ANY(%s)"))
        params.append(_storable(mdt_areas))
    if geocoded_only:
        parts.append(sql.SQL("geom IS NOT NULL AND match IS DISTINCT FROM 'failed'"))
    return (sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")), params


def _storable(values: Sequence[object]) -> list[str]:
    """Return the filter values as text, without those holding a NUL character.

    PostgreSQL text cannot hold NUL, so no stored value equals such a filter value: it matches
    nothing (as on the GeoPackage), and is left out rather than sent (which would fail).
    """
    return [text for text in (str(v) for v in values) if "\x00" not in text]


def _filter_facts(
    start: object,
    end: object,
    categories: Sequence[str] | None,
    districts: Sequence[str] | None,
    mdt_areas: Sequence[str] | None,
    geocoded_only: bool,
) -> dict[str, object]:
    """Return the filters of a read, for its audit row (only those given)."""
    facts: dict[str, object] = {
        "start": None if start is None else str(start),
        "end": None if end is None else str(end),
        "categories": None if categories is None else _shown(categories),
        "districts": None if districts is None else _shown(districts),
        "mdt_areas": None if mdt_areas is None else _shown(mdt_areas),
        "geocoded_only": geocoded_only or None,
    }
    return {k: v for k, v in facts.items() if v is not None}


def _shown(values: Sequence[object]) -> list[str]:
    """Return filter values for the audit row (jsonb refuses NUL: shown as U+2400 ␀)."""
    return [str(v).replace("\x00", "\u2400") for v in values]


def _select_points(
    conn: psycopg.Connection[Any],
    relation: str,
    columns: Sequence[str],
    where: sql.Composable,
    params: Sequence[object],
    *,
    order: str,
) -> pd.DataFrame:
    """Return ``columns`` of ``relation`` and their points as a ``geometry`` column."""
    query = sql.SQL(
        "SELECT {cols}, public.ST_X(geom) AS _gx, public.ST_Y(geom) AS _gy "
        "FROM {rel} WHERE {where} ORDER BY {order}"
    ).format(
        cols=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        rel=_relation(relation),
        where=where,
        order=sql.Identifier(order),
    )
    frame = _utc_times(fetch_frame(conn, query, list(params)))
    x = pd.to_numeric(frame.pop("_gx"), errors="coerce").to_numpy(dtype="float64")
    y = pd.to_numeric(frame.pop("_gy"), errors="coerce").to_numpy(dtype="float64")
    located = ~(pd.isna(x) | pd.isna(y))
    geoms = np.full(len(frame), None, dtype=object)
    if located.any():
        geoms[located] = shapely.points(x[located], y[located])
    out: pd.DataFrame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=CRS_METRIC))
    return out


def _utc_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its time columns (datetimes from psycopg) as tz-aware UTC."""
    out = frame.copy()
    for c in _TIME_COLUMNS:
        if c in out.columns:
            out[c] = pd.to_datetime(out[c], utc=True)
    return out


def _import_log(conn: psycopg.Connection[Any]) -> pd.DataFrame:
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in IMPORT_LOG_COLUMNS)
    frame = fetch_frame(conn, sql.SQL("SELECT {} FROM apk.import_log ORDER BY seq").format(cols))
    log: pd.DataFrame = normalise_log(_utc_times(frame))
    return log


def _totals(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Return the store's row totals (``apk.store_totals()``: not limited to the role's areas)."""
    row = conn.execute(
        "SELECT incidents, versions, quarantine, removed_incidents, removed_versions "
        "FROM apk.store_totals()"
    ).fetchone()
    names = ("incidents", "versions", "quarantine", "removed_incidents", "removed_versions")
    return dict(zip(names, (int(v) for v in row or (0,) * 5), strict=True))


def _incident_facts(conn: psycopg.Connection[Any], relation: str) -> dict[str, Any] | None:
    """Return count, failed count, sources and date span of the incidents the role sees."""
    if not relation:
        return None
    row = conn.execute(
        sql.SQL(
            "SELECT count(*), count(*) FILTER (WHERE match = 'failed'), "
            "min(reported_at), max(reported_at), "
            "coalesce(array_agg(DISTINCT source ORDER BY source), ARRAY[]::text[]) FROM {}"
        ).format(_relation(relation))
    ).fetchone()
    n, failed, first, last, sources = row or (0, 0, None, None, [])

    def local(t: object) -> str | None:
        return None if t is None else pd.Timestamp(t).tz_convert(TIMEZONE).isoformat()  # type: ignore[arg-type]

    return {
        "incidents": int(n),
        "not_geocoded": int(failed),
        "sources": [str(s) for s in sources],
        "date_from": local(first),
        "date_to": local(last),
    }
