"""Copy a GeoPackage store into a PostGIS store (``apk-geo db migrate --from STORE.gpkg``).

Everything moves in one transaction (under the store's write lock): the incidents with their
modification times, every kept version, the quarantine, the import log (its import ids and
times unchanged, so the versions still name their imports), the context layers and the
metadata. Before it commits, the rows in every table are counted against the GeoPackage; after,
the PostGIS store must reconcile as the GeoPackage did. The target must be empty (initialised
with ``apk-geo db init``, nothing imported).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
from psycopg import sql

from apk_geo.errors import StoreError
from apk_geo.schema import QUARANTINE_COLUMNS
from apk_geo.store import GeoPackageStore, _messages
from apk_geo.store._messages import migrate_no_store
from apk_geo.store.geopackage import check_gpkg_path
from apk_geo.store.gpkg import read_layer as read_gpkg_layer
from apk_geo.store.layers import (
    IMPORT_LOG_COLUMNS,
    INCIDENTS,
    STORED_INCIDENT_COLUMNS,
    VERSION_COLUMNS,
    empty_incidents,
    normalise_incidents,
)
from apk_geo.store.lock import DEFAULT_LOCK_TIMEOUT_S
from apk_geo.store.pg import connect, copy_frame, display_location, ewkb_values, python_values
from apk_geo.store.pgimport import take_write_lock
from apk_geo.store.pglayers import merge_metadata, write_layers
from apk_geo.store.postgis import PostGISStore

__all__ = ["MigrationResult", "migrate_geopackage"]


@dataclass(frozen=True)
class MigrationResult:
    """What a migration copied.

    Attributes
    ----------
    source, target
        The GeoPackage file and the database (without password).
    counts
        Table → rows in the GeoPackage and in PostGIS (``incidents``, ``incident_versions``,
        ``quarantine``, ``import_log``, ``metadata``, ``layer:<name>``); they are equal, or the
        migration was rolled back.
    reconciled
        Whether the PostGIS store reconciles (it must if the GeoPackage did).
    problems
        The PostGIS store's reconciliation problems (empty when ``reconciled``).
    """

    source: str
    target: str
    counts: dict[str, tuple[int, int]]
    reconciled: bool
    problems: tuple[str, ...]


def migrate_geopackage(
    source: str | Path, url: str, *, lock_timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S
) -> MigrationResult:
    """Copy the GeoPackage store ``source`` into the empty PostGIS store at ``url``.

    Parameters
    ----------
    source
        A ``.gpkg`` store.
    url
        The PostGIS store (its owner, or a mentor for all areas).
    lock_timeout_s
        How long to wait for another writer of the target.

    Returns
    -------
    MigrationResult

    Raises
    ------
    StoreError
        If the GeoPackage does not exist, the target is not initialised or not empty, or a count
        differs after copying (nothing is then written).
    """
    gpkg = GeoPackageStore(check_gpkg_path(source))
    if not gpkg.exists():
        raise StoreError(migrate_no_store(gpkg.path))
    frames = _read_geopackage(gpkg)
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("migrate")) as conn:
        take_write_lock(conn, where=where, timeout_s=lock_timeout_s, on_wait=None)
        _require_empty(conn, where=where)
        _copy_points(conn, "incidents", frames["incidents"], STORED_INCIDENT_COLUMNS)
        _copy_points(conn, "incident_versions", frames["versions"], VERSION_COLUMNS)
        _copy_table(conn, "quarantine", frames["quarantine"], QUARANTINE_COLUMNS)
        _copy_table(conn, "import_log", frames["log"], IMPORT_LOG_COLUMNS)
        write_layers(conn, frames["layers"])
        merge_metadata(conn, frames["metadata"])
        counts = _compare(conn, frames)
        wrong = {k: v for k, v in counts.items() if v[0] != v[1]}
        if wrong:
            raise StoreError(f"{where}: the copy does not match {gpkg.path}: {wrong}; rolled back")
        conn.execute("SELECT apk.bump_version()")
        conn.execute(
            "SELECT apk.audit_write('migrate', %s, %s::jsonb, NULL, NULL)",
            [str(gpkg.path), pd.Series({k: v[1] for k, v in counts.items()}).to_json()],
        )
    books = PostGISStore(url).reconcile()
    return MigrationResult(
        source=str(gpkg.path),
        target=where,
        counts=counts,
        reconciled=books.ok,
        problems=books.problems,
    )


def _read_geopackage(store: GeoPackageStore) -> dict[str, Any]:
    """Return every table of the GeoPackage store, incidents with their modification time."""
    present = set(store.layer_names())
    from apk_geo.store.gpkg import layers_in  # the incidents layer is not a context layer

    if INCIDENTS in layers_in(store.path):
        incidents = normalise_incidents(read_gpkg_layer(store.path, INCIDENTS), stored=True)
    else:
        incidents = empty_incidents(stored=True)
    return {
        "incidents": incidents,
        "versions": store.versions(),
        "quarantine": store.quarantine(),
        "log": store.import_log(),
        "layers": {name: store.layer(name) for name in store.layer_names() if name in present},
        "metadata": store.metadata(),
    }


def _require_empty(conn: psycopg.Connection[Any], *, where: str) -> None:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM apk.incidents), (SELECT count(*) FROM apk.import_log)"
    ).fetchone()
    n_incidents, n_imports = row or (0, 0)
    if n_incidents or n_imports:
        raise StoreError(
            f"{where}: the store already holds {n_incidents} incident(s) and {n_imports} "
            "import(s); migrate into an empty store (apk-geo db init on a new database)"
        )


def _copy_points(
    conn: psycopg.Connection[Any], table: str, frame: gpd.GeoDataFrame, columns: tuple[str, ...]
) -> None:
    data: dict[str, list[object]] = {c: python_values(frame[c]) for c in columns}
    data["geom"] = ewkb_values(frame.geometry.to_numpy())
    copy_frame(conn, sql.Identifier("apk", table), [*columns, "geom"], data)


def _copy_table(
    conn: psycopg.Connection[Any], table: str, frame: pd.DataFrame, columns: tuple[str, ...]
) -> None:
    data = {c: python_values(frame[c]) for c in columns}
    copy_frame(conn, sql.Identifier("apk", table), list(columns), data)


def _compare(conn: psycopg.Connection[Any], frames: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Return table → (rows in the GeoPackage, rows in PostGIS)."""
    given = {
        "incidents": len(frames["incidents"]),
        "incident_versions": len(frames["versions"]),
        "quarantine": len(frames["quarantine"]),
        "import_log": len(frames["log"]),
        "metadata": len(frames["metadata"]),
    }
    counts: dict[str, tuple[int, int]] = {}
    for table, n in given.items():
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("apk", table)))
        got = row.fetchone()
        counts[table] = (n, int(got[0]) if got else 0)
    for name, layer in frames["layers"].items():
        row = conn.execute("SELECT count(*) FROM apk.layer_features WHERE name = %s", [name])
        got = row.fetchone()
        counts[f"layer:{name}"] = (len(layer), int(got[0]) if got else 0)
    return counts
