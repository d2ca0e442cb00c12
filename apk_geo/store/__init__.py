"""The incident store: one GeoPackage file that QGIS opens, behind a small protocol.

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
an exclusive lock (``<store>.lock``, :func:`fcntl.flock`), so two imports never interleave; a
writer that finds the lock taken says so and gives up after ``lock_timeout_s``. Every import
reconciles (:meth:`IncidentStore.reconcile`).

The jobs live in these modules, re-exported here flat:

* :mod:`apk_geo.store.protocol` — :class:`IncidentStore`;
* :mod:`apk_geo.store.geopackage` — :class:`GeoPackageStore`, :func:`open_store`;
* :mod:`apk_geo.store.counts` — :class:`ImportCounts`, :class:`Reconciliation`;
* :mod:`apk_geo.store.upsert` — what an import does with each record, and writing it;
* :mod:`apk_geo.store.lock` — the write lock, the private copy, the atomic replace;
* :mod:`apk_geo.store.layers` — layer names, columns and the normalisation of each frame;
* :mod:`apk_geo.store.gpkg` — low-level GeoPackage reads and writes.

The pipeline uses only :class:`IncidentStore`; a PostGIS backend can implement the same protocol.
"""

from __future__ import annotations

from apk_geo.store.counts import ImportCounts, Reconciliation
from apk_geo.store.geopackage import GeoPackageStore, open_store
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

__all__ = [
    "CONTEXT_LAYERS",
    "DEFAULT_LOCK_TIMEOUT_S",
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
    "Reconciliation",
    "cleanup_temp_files",
    "lock_path_of",
    "open_store",
]
