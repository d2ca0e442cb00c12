"""The GeoPackage store :class:`GeoPackageStore`: one ``.gpkg`` file, for one user on one PC.

Reading goes straight to the file (a write replaces it atomically, so a reader always sees a
whole store); writing goes through :func:`apk_geo.store.lock.transaction` (lock, private copy,
atomic replace) and, for imports, :mod:`apk_geo.store.upsert`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from apk_geo.errors import StoreError
from apk_geo.schema import CRS_METRIC, TIMEZONE
from apk_geo.store._messages import no_store
from apk_geo.store.common import check_import, last_imports, log_entry
from apk_geo.store.counts import ImportCounts, Reconciliation, reconcile
from apk_geo.store.gpkg import (
    layers_in,
    not_yet_quarantined,
    prepare_layers,
    read_metadata,
    read_points,
    write_frame,
    write_metadata,
    write_prepared,
)
from apk_geo.store.gpkgquery import can_write, ensure_indexes, incident_where, missing_indexes
from apk_geo.store.layers import (
    CONTEXT_LAYERS,
    IMPORT_LOG,
    INCIDENTS,
    METADATA,
    QUARANTINE,
    VERSIONS,
    empty_incidents,
    normalise_incidents,
    normalise_log,
    normalise_quarantine,
    normalise_versions,
    stored_to_local,
)
from apk_geo.store.lock import DEFAULT_LOCK_TIMEOUT_S, OnWait, check_lock_timeout, transaction
from apk_geo.store.upsert import plan_import, write_import, write_log
from apk_geo.times import as_timestamp

__all__ = ["GeoPackageStore", "check_gpkg_path"]

logger = logging.getLogger(__name__)


def check_gpkg_path(path: str | Path) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` if it can be a GeoPackage store.

    Raises
    ------
    StoreError
        If the suffix is not ``.gpkg`` or ``path`` is a directory.
    """
    p = Path(path)
    if p.suffix.lower() != ".gpkg":
        raise StoreError(
            f"{p}: unsupported store {p.suffix or '(no suffix)'!r}; name a GeoPackage file "
            "ending in .gpkg or a PostGIS database (postgresql://…)"
        )
    if p.is_dir():
        raise StoreError(f"{p}: is a directory; name a .gpkg file")
    return p


class GeoPackageStore:
    """An :class:`IncidentStore` in one GeoPackage file (read and written with pyogrio/Arrow).

    Parameters
    ----------
    path
        The ``.gpkg`` file; created (``0600``) by the first write.
    lock_timeout_s, on_lock_wait
        See :func:`open_store`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        lock_timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S,
        on_lock_wait: OnWait | None = None,
    ) -> None:
        self.path = Path(path)
        self.lock_timeout_s = check_lock_timeout(lock_timeout_s)
        self.on_lock_wait = on_lock_wait
        self._indexed_token: str | None = None

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    @property
    def location(self) -> str:
        """The store file's path, as text."""
        return str(self.path)

    # ---------------------------------------------------------------- reading

    def exists(self) -> bool:
        """Return whether the store file exists."""
        return self.path.is_file()

    def change_token(self) -> str:
        """Return the file's modification time and size (``"absent"`` before the first write).

        Every write replaces the file (:func:`os.replace`), so the token changes with it.
        """
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return "absent"
        return f"{info.st_mtime_ns}:{info.st_size}:{info.st_ino}"

    def audit(
        self,
        action: str,
        *,
        subject: str | None = None,
        details: Mapping[str, object] | None = None,
        reason: str | None = None,
    ) -> None:
        """Log ``action`` (a single-user GeoPackage store keeps no audit trail)."""
        logger.info(
            "%s: %s %s %s%s",
            self.path,
            action,
            subject or "",
            json.dumps(dict(details or {}), ensure_ascii=False, default=str),
            f" ({reason})" if reason else "",
        )

    def _layers(self) -> set[str]:
        self._require_exists()
        try:
            return layers_in(self.path)
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise StoreError(
                f"{self.path}: cannot open as a GeoPackage ({exc}); is it an apk-geo store?"
            ) from exc

    def _require_exists(self) -> None:
        if not self.exists():
            raise StoreError(no_store(self.path))

    def _read(self, layer: str, **kwargs: Any) -> pd.DataFrame:
        try:
            frame: pd.DataFrame = pyogrio.read_dataframe(
                self.path, layer=layer, use_arrow=True, **kwargs
            )
            return frame
        except Exception as exc:
            raise StoreError(f"{self.path}: cannot read layer {layer!r}: {exc}") from exc

    def _count(self, layer: str, present: set[str]) -> int:
        """Return the number of rows of ``layer`` (0 if absent)."""
        if layer not in present:
            return 0
        return int(pyogrio.read_info(self.path, layer=layer)["features"])

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
        """Return stored incidents, optionally filtered.

        The filters are pushed down into the GeoPackage's SQLite query (``reported_at``
        indexed; see :mod:`apk_geo.store.gpkgquery`), so one month costs one month of rows. A
        store written before the index gets it on its first filtered read when it can be
        written.
        Rows come in the order they are stored.

        Parameters
        ----------
        start, end
            Keep ``start <= reported_at < end``; naive timestamps are read as Europe/Prague.
        categories
            Keep these category codes.
        districts
            Keep these district names (``district_name``) or codes (``district_code``).
        mdt_areas
            Keep these MDT-area names.
        geocoded_only
            Drop incidents without a location (``match == "failed"``).

        Returns
        -------
        geopandas.GeoDataFrame
            Columns :data:`apk_geo.schema.INCIDENT_COLUMNS` and geometry (Point, EPSG:5514);
            ``reported_at``/``imported_at`` tz-aware Europe/Prague. Empty if nothing is stored.

        Raises
        ------
        StoreError
            If the store does not exist or cannot be read.
        ParameterError
            If ``start`` or ``end`` is not a date-time.
        """
        if INCIDENTS not in self._layers():
            return empty_incidents()
        lo = None if start is None else as_timestamp(start, name="start")
        hi = None if end is None else as_timestamp(end, name="end")
        where = incident_where(
            start=lo,
            end=hi,
            categories=categories,
            districts=districts,
            mdt_areas=mdt_areas,
            geocoded_only=geocoded_only,
        )
        if where is not None:
            self._index_once()
        gdf = normalise_incidents(self._read_incidents(where))
        keep = np.ones(len(gdf), dtype=bool)
        if lo is not None:
            keep &= (gdf["reported_at"] >= lo).to_numpy(dtype=bool)
        if hi is not None:
            keep &= (gdf["reported_at"] < hi).to_numpy(dtype=bool)
        keep &= _attribute_filter(
            gdf,
            categories=categories,
            districts=districts,
            mdt_areas=mdt_areas,
            geocoded_only=geocoded_only,
        )
        out = gdf.loc[keep].reset_index(drop=True) if not keep.all() else gdf
        out.attrs["params"] = {"store": self.location}
        return out

    def _read_incidents(self, where: str | None) -> pd.DataFrame:
        """Read the incidents layer (rows passing ``where``), in the order they are stored."""
        frame: pd.DataFrame = read_points(self.path, INCIDENTS, where=where)
        return frame

    def _index_once(self) -> None:
        """Give a store written before the filter indexes existed its indexes, once.

        Only when the file and its folder are writable and no other writer holds the lock (a
        filtered read never waits for one); otherwise the query runs without them (slower,
        same rows). Checked once per change token.
        """
        token = self.change_token()
        if self._indexed_token == token:
            return
        self._indexed_token = token
        try:
            if not missing_indexes(self.path) or not can_write(self.path):
                return
            with transaction(self.path, timeout_s=0, on_wait=logger.debug) as tmp:
                ensure_indexes(tmp)
        except (StoreError, OSError, sqlite3.Error) as exc:
            logger.info("%s: filter indexes not created (%s); reading without them", self.path, exc)
        self._indexed_token = self.change_token()

    def versions(self) -> gpd.GeoDataFrame:
        """Return every version an import replaced, or that arrived older than the stored one.

        Returns
        -------
        geopandas.GeoDataFrame
            Columns :data:`apk_geo.store.layers.VERSION_COLUMNS` and geometry (Point,
            EPSG:5514; None where the version had no location), oldest first. Empty for a store
            without the ``incident_versions`` layer (written before it existed).
        """
        if VERSIONS not in self._layers():
            return normalise_versions(pd.DataFrame())
        return normalise_versions(read_points(self.path, VERSIONS))

    def quarantine(self) -> pd.DataFrame:
        """Return the quarantined rows (:data:`apk_geo.schema.QUARANTINE_COLUMNS`)."""
        if QUARANTINE not in self._layers():
            return normalise_quarantine(pd.DataFrame())
        return normalise_quarantine(self._read(QUARANTINE, read_geometry=False))

    def import_log(self) -> pd.DataFrame:
        """Return one row per import (:data:`~apk_geo.store.IMPORT_LOG_COLUMNS`), oldest first."""
        if IMPORT_LOG not in self._layers():
            return normalise_log(pd.DataFrame())
        return normalise_log(self._read(IMPORT_LOG, read_geometry=False))

    def reconcile(self) -> Reconciliation:
        """Return per-import counts and whether the store accounts for every record read.

        Every import must balance (``read == accepted + updated + stale + duplicates +
        quarantined``); the incidents stored must be the accepted ones; the versions stored must
        be the ones the imports kept (``versions_kept``: replaced rows plus new stale versions);
        the quarantine holds at most the rows counted as quarantined (a repeat is stored once).

        Returns
        -------
        Reconciliation
            ``imports`` (one row per import), the row counts and ``problems`` (empty when
            ``ok``).
        """
        present = self._layers()
        return reconcile(
            self.import_log(),
            incidents=self._count(INCIDENTS, present),
            versions=self._count(VERSIONS, present),
            quarantine=self._count(QUARANTINE, present),
        )

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return the context layer ``name`` in EPSG:5514.

        Raises
        ------
        StoreError
            If the store has no such layer.
        """
        names = self._layers()
        if name not in names or name not in CONTEXT_LAYERS:
            raise StoreError(f"{self.path}: no context layer {name!r}; it has {self.layer_names()}")
        gdf = self._read(name)
        if not isinstance(gdf, gpd.GeoDataFrame):
            gdf = gpd.GeoDataFrame(gdf, geometry=gpd.GeoSeries([None] * len(gdf)), crs=CRS_METRIC)
        if gdf.crs is None:
            gdf = gdf.set_crs(CRS_METRIC)
        return gdf

    def layer_names(self) -> list[str]:
        """Return the context layers present, in :data:`CONTEXT_LAYERS` order."""
        present = self._layers()
        return [n for n in CONTEXT_LAYERS if n in present]

    def metadata(self) -> dict[str, str]:
        """Return the ``metadata`` layer as a dict (empty if absent)."""
        if METADATA not in self._layers():
            return {}
        meta = self._read(METADATA, read_geometry=False)
        return {str(k): str(v) for k, v in zip(meta["key"], meta["value"], strict=True)}

    def summary(self) -> dict[str, object]:
        """Return counts, date span, last imports, layers and the synthetic flag.

        Returns
        -------
        dict
            Keys ``store``, ``incidents``, ``geocoded``, ``not_geocoded``, ``quarantined``,
            ``versions`` (rows of ``incident_versions``), ``sources``, ``date_from``,
            ``date_to``, ``imports``, ``last_imports`` (up to five, newest first),
            ``context_layers``, ``synthetic`` (bool) and ``metadata``.
        """
        layers = self._layers()
        if INCIDENTS in layers:
            inc = self._read(
                INCIDENTS,
                columns=["source", "reported_at", "match"],
                read_geometry=False,
                datetime_as_string=True,
            )
            times = stored_to_local(inc["reported_at"]) if len(inc) else pd.Series([], dtype=object)
        else:
            inc = pd.DataFrame({"source": [], "match": []})
            times = pd.Series([], dtype=object)
        n_failed = int(inc["match"].eq("failed").sum())
        log = self.import_log()
        meta = self.metadata()
        return {
            "store": self.location,
            "incidents": len(inc),
            "geocoded": len(inc) - n_failed,
            "not_geocoded": n_failed,
            "quarantined": self._count(QUARANTINE, layers),
            "versions": self._count(VERSIONS, layers),
            "sources": sorted(map(str, pd.unique(inc["source"]))),
            "date_from": pd.Timestamp(times.min()).isoformat() if len(times) else None,
            "date_to": pd.Timestamp(times.max()).isoformat() if len(times) else None,
            "imports": len(log),
            "last_imports": last_imports(log),
            "context_layers": self.layer_names(),
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
        """Write (replace) context layers and merge metadata, in one atomic step.

        Parameters
        ----------
        layers
            Layer name (one of :data:`CONTEXT_LAYERS`) → frame. GeoDataFrames must have a CRS
            and are stored in EPSG:5514; a plain DataFrame with ``x_5514``/``y_5514`` columns
            (the gazetteer) gets Point geometry from them.
        metadata
            Key/value pairs merged into the ``metadata`` layer.

        Raises
        ------
        StoreError
            If a layer name is not a context layer, the write lock is not free in time, or the
            write fails (the store is unchanged).
        CRSError
            If a GeoDataFrame has no CRS.
        """
        prepared = prepare_layers(layers)
        with self._transaction() as tmp:
            write_prepared(tmp, prepared)
            # a new store's copy has no layer yet: it gets its metadata layer in any case
            if metadata or METADATA not in layers_in(tmp):
                write_metadata(tmp, {**read_metadata(tmp), **dict(metadata or {})})

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
        """Upsert incidents by ``(source, id)``, append quarantine rows and log, atomically.

        A record whose key is new is ``accepted``; one stored with the same ``record_hash`` is a
        ``duplicate``; one stored with another hash is ``updated`` (the stored row moves to the
        ``incident_versions`` layer) unless both carry a modification time (``modified_at``) and
        the stored one is later: then the record is ``stale`` and is kept in
        ``incident_versions`` instead. Updated records equal to a kept version are counted as
        ``reverted`` (see :mod:`apk_geo.store.upsert` for the whole rule). Quarantine rows
        already in the store (same ``source``, ``raw`` and ``reason``) are counted but not
        stored twice. A store written by an older apk-geo gains the new columns and layers here.

        Parameters
        ----------
        incidents
            Columns :data:`apk_geo.schema.INCIDENT_COLUMNS` (``imported_at`` optional: it is set
            here) and optionally ``modified_at`` (tz-aware; NaT when unknown), geometry Point in
            EPSG:5514 or None; keys unique.
        quarantine
            Rows with :data:`apk_geo.schema.QUARANTINE_COLUMNS` (``imported_at`` set here).
        log
            Facts about the import: ``source``, ``file``, ``duplicates_in_file`` (exact repeats
            within the file, added to ``read`` and ``duplicates``), anything else goes to
            ``details`` (JSON).
        layers, metadata
            Context layers and metadata written in the same atomic step (see
            :meth:`write_layers`).
        dry_run
            Write nothing (no lock, no temporary file; the store stays byte-identical) and
            return the counts the import would have.

        Returns
        -------
        ImportCounts
            The counts, also appended to the ``import_log`` layer (unless ``dry_run``).

        Raises
        ------
        SchemaError
            If columns are missing or ``(source, id)`` repeats within ``incidents``.
        CRSError
            If ``incidents`` is not in EPSG:5514.
        StoreError
            If the write lock is not free within ``lock_timeout_s`` or the write fails; the
            store is then unchanged.
        """
        check_import(incidents, quarantine)
        prepared = prepare_layers(layers or {})
        in_file = int(log.get("duplicates_in_file", 0) or 0)  # type: ignore[call-overload]
        now = pd.Timestamp.now(tz=TIMEZONE)
        incoming = normalise_incidents(incidents.assign(imported_at=now), stored=True)
        quar = normalise_quarantine(quarantine.assign(imported_at=now))
        if dry_run:
            present = self._layers() if self.exists() else set()
            plan = plan_import(self.path, present, incoming)
            return plan.counts(quarantined=len(quar), in_file_duplicates=in_file)
        import_id = uuid.uuid4().hex
        with self._transaction() as tmp:
            present = layers_in(tmp)
            plan = plan_import(tmp, present, incoming)
            counts = plan.counts(quarantined=len(quar), in_file_duplicates=in_file)
            write_import(tmp, present, plan, now=now, import_id=import_id)
            ensure_indexes(tmp)
            _write_quarantine(tmp, present, quar)
            entry = log_entry(log, counts, now=now, import_id=import_id)
            write_log(tmp, present, entry.assign(versions_kept=plan.versions_kept))
            write_prepared(tmp, prepared)
            if metadata or METADATA not in present:
                write_metadata(tmp, {**read_metadata(tmp), **dict(metadata or {})})
        logger.info("%s: import %s", self.path, counts.as_dict())
        return counts

    def _transaction(self) -> AbstractContextManager[Path]:
        return transaction(self.path, timeout_s=self.lock_timeout_s, on_wait=self.on_lock_wait)


# -------------------------------------------------------------------- helpers


def _attribute_filter(
    gdf: gpd.GeoDataFrame,
    *,
    categories: Sequence[str] | None,
    districts: Sequence[str] | None,
    mdt_areas: Sequence[str] | None,
    geocoded_only: bool,
) -> np.ndarray:
    """Return the rows that pass the category, district, MDT-area and location filters."""
    keep = np.ones(len(gdf), dtype=bool)
    if categories is not None:
        keep &= gdf["category"].isin(list(categories)).to_numpy(dtype=bool)
    if districts is not None:
        wanted = list(districts)
        keep &= (gdf["district_name"].isin(wanted) | gdf["district_code"].isin(wanted)).to_numpy(
            dtype=bool
        )
    if mdt_areas is not None:
        keep &= gdf["mdt_area"].isin(list(mdt_areas)).to_numpy(dtype=bool)
    if geocoded_only:
        keep &= (gdf.geometry.notna() & gdf["match"].ne("failed")).to_numpy(dtype=bool)
    return keep


def _write_quarantine(tmp: Path, present: set[str], quar: pd.DataFrame) -> None:
    """Append the quarantine rows not stored already (creating the layer on the first import)."""
    fresh = not_yet_quarantined(tmp, quar) if QUARANTINE in present else quar
    if len(fresh) or QUARANTINE not in present:
        write_frame(tmp, fresh, QUARANTINE, append=QUARANTINE in present)
