"""The incident store behind a small protocol: a GeoPackage file (one PC) or PostGIS (a team).

Layers of a store (see ``docs/ARCHITECTURE.md``):

* ``incidents`` — Point, EPSG:5514, columns :data:`apk_geo.schema.INCIDENT_COLUMNS` (plus the
  source system's ``modified_at``), key ``(source, id)``; incidents that failed geocoding are
  kept with an empty (NULL) geometry;
* ``incident_versions`` — every version of a record an import replaced, or that arrived older
  than the stored one (:data:`VERSION_COLUMNS`), so no import loses a version;
* ``quarantine`` — rejected input rows (:data:`apk_geo.schema.QUARANTINE_COLUMNS`), no geometry;
* ``import_log`` — one row per import with its counts (:data:`IMPORT_LOG_COLUMNS`);
* ``metadata`` — ``key``/``value`` text pairs (``synthetic``, ``seed`` …);
* context layers :data:`CONTEXT_LAYERS` in EPSG:5514.

Every write is atomic: the store is copied to a private (``0600``) temporary file next to it,
the copy is changed, flushed to disk (``fsync``) and moved over the store with
:func:`os.replace`. A process killed at any moment (``kill -9``) therefore leaves either the old
or the new store, never a half-written one; temporary files left by a killed writer are removed
by the next writer. A new store is created ``0600``; an existing one keeps its mode. Writers take
an exclusive lock (``<store>.lock``, through :mod:`filelock`: ``flock`` on Linux and macOS,
``LockFileEx`` on Windows), so two imports never interleave; a writer that finds the lock taken
says so and gives up after ``lock_timeout_s``. Every import reconciles
(:meth:`IncidentStore.reconcile`). Each record carries a ``record_hash`` (version 2: BLAKE2b over
canonical bytes, :mod:`apk_geo.io._hash`); a store written with the version-1 hash is upgraded
by its imports, as :mod:`apk_geo.store.upsert` describes.

The jobs live in these modules, re-exported here flat:

* :mod:`apk_geo.store.protocol` — :class:`IncidentStore`;
* :mod:`apk_geo.store.backends` — :func:`open_store` (a ``.gpkg`` path or a ``postgresql://``
  URL; ``$APK_GEO_STORE`` when none is given);
* :mod:`apk_geo.store.geopackage` — :class:`GeoPackageStore`;
* :mod:`apk_geo.store.postgis` — :class:`PostGISStore` (one database for a team; roles,
  row-level security and the audit trail are PostgreSQL's, see :mod:`apk_geo.db`), with
  :mod:`~apk_geo.store.pg` (connections, COPY), :mod:`~apk_geo.store.pgimport` (the upsert in
  SQL, one transaction) and :mod:`~apk_geo.store.pglayers` (context layers, metadata);
* :mod:`apk_geo.store.common` — the import checks and log row both backends share;
* :mod:`apk_geo.store.counts` — :class:`ImportCounts`, :class:`Reconciliation`;
* :mod:`apk_geo.store.upsert` — what an import does with each record, and writing it;
* :mod:`apk_geo.store.lock` — the write lock, the private copy, the atomic replace;
* :mod:`apk_geo.store.layers` — layer names, columns and the normalisation of each frame;
* :mod:`apk_geo.store.gpkg` — low-level GeoPackage reads and writes.

The pipeline uses only :class:`IncidentStore`. ``PostGISStore`` is imported on first use (it
needs psycopg), so ``from apk_geo.store import PostGISStore`` works without loading it earlier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apk_geo.store._messages import error_text
from apk_geo.store.backends import ENV_STORE, open_store
from apk_geo.store.counts import ImportCounts, Reconciliation
from apk_geo.store.geopackage import GeoPackageStore
from apk_geo.store.layers import (
    CONTEXT_LAYERS,
    IMPORT_LOG,
    IMPORT_LOG_COLUMNS,
    INCIDENTS,
    METADATA,
    QUARANTINE,
    STORED_INCIDENT_COLUMNS,
    VERSION_COLUMNS,
    VERSIONS,
)
from apk_geo.store.lock import DEFAULT_LOCK_TIMEOUT_S, cleanup_temp_files, lock_path_of
from apk_geo.store.protocol import IncidentStore

if TYPE_CHECKING:
    from apk_geo.store.postgis import PostGISStore

__all__ = [
    "CONTEXT_LAYERS",
    "DEFAULT_LOCK_TIMEOUT_S",
    "ENV_STORE",
    "IMPORT_LOG",
    "IMPORT_LOG_COLUMNS",
    "INCIDENTS",
    "METADATA",
    "QUARANTINE",
    "STORED_INCIDENT_COLUMNS",
    "VERSIONS",
    "VERSION_COLUMNS",
    "GeoPackageStore",
    "ImportCounts",
    "IncidentStore",
    "PostGISStore",
    "Reconciliation",
    "cleanup_temp_files",
    "error_text",
    "lock_path_of",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """Import :class:`PostGISStore` (and psycopg) on first use."""
    if name == "PostGISStore":
        from apk_geo.store.postgis import PostGISStore

        return PostGISStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
