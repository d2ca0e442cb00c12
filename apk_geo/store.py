"""The incident store: one GeoPackage file that QGIS opens, behind a small protocol.

Layers of a store (see ``docs/ARCHITECTURE.md``):

* ``incidents`` — Point, EPSG:5514, columns :data:`apk_geo.schema.INCIDENT_COLUMNS`, key
  ``(source, id)``; incidents that failed geocoding are kept with an empty (NULL) geometry;
* ``quarantine`` — rejected input rows (:data:`apk_geo.schema.QUARANTINE_COLUMNS`), no geometry;
* ``import_log`` — one row per import with its counts (:data:`IMPORT_LOG_COLUMNS`);
* ``metadata`` — ``key``/``value`` text pairs (``synthetic``, ``seed`` …);
* context layers :data:`CONTEXT_LAYERS` in EPSG:5514.

Every write is atomic: the store is copied to a temporary file next to it, the copy is changed,
flushed to disk (``fsync``) and moved over the store with :func:`os.replace`. A process killed at
any moment (``kill -9``) therefore leaves either the old or the new store, never a half-written
one; temporary files left by a killed writer are removed by the next writer. Writers take an
exclusive lock (``<store>.lock``, :func:`fcntl.flock`), so two imports never interleave.

The pipeline uses only :class:`IncidentStore`; a PostGIS backend can implement the same protocol.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final, Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from apk_geo._validate import require_columns, require_crs
from apk_geo.errors import CRSError, SchemaError, StoreError
from apk_geo.schema import CRS_METRIC, INCIDENT_COLUMNS, QUARANTINE_COLUMNS, TIMEZONE

logger = logging.getLogger(__name__)

INCIDENTS: Final = "incidents"
QUARANTINE: Final = "quarantine"
IMPORT_LOG: Final = "import_log"
METADATA: Final = "metadata"

#: Context layers a store may carry (all EPSG:5514).
CONTEXT_LAYERS: Final = (
    "districts",
    "city",
    "mdt_areas",
    "svl",
    "hostels",
    "schools",
    "stops",
    "sports",
    "address_points",
)

#: Columns of the ``import_log`` layer.
IMPORT_LOG_COLUMNS: Final = (
    "import_id",
    "source",
    "file",
    "imported_at",
    "read",
    "accepted",
    "updated",
    "duplicates",
    "quarantined",
    "not_geocoded",
    "details",
)

_COUNT_KEYS: Final = ("read", "accepted", "updated", "duplicates", "quarantined", "not_geocoded")
_FLOAT_COLUMNS: Final = ("lat", "lon", "x_5514", "y_5514", "score", "hostel_distance_m")
_TIME_COLUMNS: Final = ("reported_at", "imported_at")
_TMP_MARK: Final = ".tmp-"


@dataclass(frozen=True)
class ImportCounts:
    """What one import did; ``read == accepted + updated + duplicates + quarantined``.

    Attributes
    ----------
    read
        Records in the file.
    accepted
        New records stored.
    updated
        Records whose ``(source, id)`` was stored with other content, now replaced.
    duplicates
        Records already stored with the same content, or repeated within the file.
    quarantined
        Rejected records (see the quarantine layer).
    not_geocoded
        Of the accepted and updated records, those stored without a location (``match ==
        "failed"``); not part of the sum above.
    """

    read: int
    accepted: int
    updated: int
    duplicates: int
    quarantined: int
    not_geocoded: int

    def as_dict(self) -> dict[str, int]:
        """Return the counts as a plain dict (JSON-serialisable)."""
        return {k: int(v) for k, v in asdict(self).items()}


@runtime_checkable
class IncidentStore(Protocol):
    """Where incidents, quarantine, import log, metadata and context layers are kept."""

    path: Path

    def exists(self) -> bool:
        """Return whether the store has been created."""
        ...

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
        """Return stored incidents, optionally filtered."""
        ...

    def quarantine(self) -> pd.DataFrame:
        """Return the quarantined rows."""
        ...

    def import_log(self) -> pd.DataFrame:
        """Return one row per import with its counts."""
        ...

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return a context layer in EPSG:5514."""
        ...

    def layer_names(self) -> list[str]:
        """Return the names of the context layers present."""
        ...

    def metadata(self) -> dict[str, str]:
        """Return the store's metadata."""
        ...

    def write_layers(
        self,
        layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame],
        *,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Write (replace) layers and merge metadata, atomically."""
        ...

    def apply_import(
        self,
        *,
        incidents: gpd.GeoDataFrame,
        quarantine: pd.DataFrame,
        log: Mapping[str, object],
        layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame] | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> ImportCounts:
        """Upsert incidents by ``(source, id)``, append quarantine and log, atomically.

        ``layers`` and ``metadata`` (optional) are written in the same atomic step.
        """
        ...

    def summary(self) -> dict[str, object]:
        """Return counts, date span, last imports and the synthetic flag."""
        ...


def open_store(path: str | Path) -> IncidentStore:
    """Return the store at ``path`` (it need not exist yet).

    Parameters
    ----------
    path
        A ``.gpkg`` file.

    Returns
    -------
    IncidentStore
        A :class:`GeoPackageStore`.

    Raises
    ------
    StoreError
        If the suffix names no supported backend, or ``path`` is a directory.

    Examples
    --------
    >>> store = open_store("apk.gpkg")  # doctest: +SKIP
    >>> store.summary()["incidents"]  # doctest: +SKIP
    """
    p = Path(path)
    if p.suffix.lower() != ".gpkg":
        raise StoreError(
            f"{p}: unsupported store {p.suffix or '(no suffix)'!r}; name a GeoPackage file "
            "ending in .gpkg"
        )
    if p.is_dir():
        raise StoreError(f"{p}: is a directory; name a .gpkg file")
    return GeoPackageStore(p)


class GeoPackageStore:
    """An :class:`IncidentStore` in one GeoPackage file (read and written with pyogrio/Arrow).

    Parameters
    ----------
    path
        The ``.gpkg`` file; created by the first write.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    # ---------------------------------------------------------------- reading

    def exists(self) -> bool:
        """Return whether the store file exists."""
        return self.path.is_file()

    def _layers(self) -> dict[str, str | None]:
        self._require_exists()
        try:
            listed = pyogrio.list_layers(self.path)
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise StoreError(
                f"{self.path}: cannot open as a GeoPackage ({exc}); is it an apk-geo store?"
            ) from exc
        return {str(name): (None if gtype is None else str(gtype)) for name, gtype in listed}

    def _require_exists(self) -> None:
        if not self.exists():
            raise StoreError(
                f"{self.path}: no store here; create one with "
                f"`apk-geo ingest FILE --store {self.path}` or `apk-geo demo`"
            )

    def _read(self, layer: str, **kwargs: Any) -> pd.DataFrame:
        try:
            frame: pd.DataFrame = pyogrio.read_dataframe(
                self.path, layer=layer, use_arrow=True, **kwargs
            )
            return frame
        except Exception as exc:
            raise StoreError(f"{self.path}: cannot read layer {layer!r}: {exc}") from exc

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
        """
        if INCIDENTS not in self._layers():
            return _empty_incidents()
        gdf = _normalise_incidents(self._read(INCIDENTS))
        keep = np.ones(len(gdf), dtype=bool)
        if start is not None:
            keep &= (gdf["reported_at"] >= _as_local(start)).to_numpy(dtype=bool)
        if end is not None:
            keep &= (gdf["reported_at"] < _as_local(end)).to_numpy(dtype=bool)
        if categories is not None:
            keep &= gdf["category"].isin(list(categories)).to_numpy(dtype=bool)
        if districts is not None:
            wanted = list(districts)
            keep &= (
                gdf["district_name"].isin(wanted) | gdf["district_code"].isin(wanted)
            ).to_numpy(dtype=bool)
        if mdt_areas is not None:
            keep &= gdf["mdt_area"].isin(list(mdt_areas)).to_numpy(dtype=bool)
        if geocoded_only:
            keep &= (gdf.geometry.notna() & gdf["match"].ne("failed")).to_numpy(dtype=bool)
        out = gdf.loc[keep].reset_index(drop=True) if not keep.all() else gdf
        out.attrs["params"] = {"store": str(self.path)}
        return out

    def quarantine(self) -> pd.DataFrame:
        """Return the quarantined rows (:data:`apk_geo.schema.QUARANTINE_COLUMNS`)."""
        if QUARANTINE not in self._layers():
            return _normalise_quarantine(pd.DataFrame())
        return _normalise_quarantine(self._read(QUARANTINE, read_geometry=False))

    def import_log(self) -> pd.DataFrame:
        """Return one row per import (:data:`IMPORT_LOG_COLUMNS`), oldest first."""
        if IMPORT_LOG not in self._layers():
            return _normalise_log(pd.DataFrame())
        return _normalise_log(self._read(IMPORT_LOG, read_geometry=False))

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
            ``sources``, ``date_from``, ``date_to``, ``imports``, ``last_imports`` (up to five,
            newest first), ``context_layers``, ``synthetic`` (bool) and ``metadata``.
        """
        layers = self._layers()
        if INCIDENTS in layers:
            inc = self._read(
                INCIDENTS, columns=["source", "reported_at", "match"], read_geometry=False
            )
            times = _to_local(inc["reported_at"]) if len(inc) else pd.Series([], dtype=object)
        else:
            inc = pd.DataFrame({"source": [], "match": []})
            times = pd.Series([], dtype=object)
        n_failed = int(inc["match"].eq("failed").sum())
        quarantined = 0
        if QUARANTINE in layers:
            quarantined = int(pyogrio.read_info(self.path, layer=QUARANTINE)["features"])
        log = self.import_log()
        meta = self.metadata()
        last = log.tail(5).iloc[::-1]
        return {
            "store": str(self.path),
            "incidents": len(inc),
            "geocoded": len(inc) - n_failed,
            "not_geocoded": n_failed,
            "quarantined": quarantined,
            "sources": sorted(map(str, pd.unique(inc["source"]))),
            "date_from": pd.Timestamp(times.min()).isoformat() if len(times) else None,
            "date_to": pd.Timestamp(times.max()).isoformat() if len(times) else None,
            "imports": len(log),
            "last_imports": [
                {
                    "imported_at": pd.Timestamp(r.imported_at).isoformat(),  # type: ignore[arg-type]
                    "source": r.source,
                    "file": r.file,
                    **{k: int(getattr(r, k)) for k in _COUNT_KEYS},
                }
                for r in last.itertuples(index=False)
            ],
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
        """Write (replace) context layers and merge ``metadata``, atomically.

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
            If a layer name is not a context layer or the write fails (the store is unchanged).
        CRSError
            If a GeoDataFrame has no CRS.
        """
        prepared = _prepare_layers(layers)
        with self._transaction() as tmp:
            _write_prepared(tmp, prepared)
            if metadata:
                _write_metadata(tmp, {**_read_metadata(tmp), **dict(metadata)})

    def apply_import(
        self,
        *,
        incidents: gpd.GeoDataFrame,
        quarantine: pd.DataFrame,
        log: Mapping[str, object],
        layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame] | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> ImportCounts:
        """Upsert incidents by ``(source, id)``, append quarantine rows and log, atomically.

        A record whose key is new is ``accepted``; one stored with the same ``record_hash`` is a
        ``duplicate`` (nothing is written for it); one stored with another hash is ``updated``
        (the stored row is replaced). Quarantine rows already in the store (same ``source``,
        ``raw`` and ``reason``) are counted but not stored twice.

        Parameters
        ----------
        incidents
            Columns :data:`apk_geo.schema.INCIDENT_COLUMNS` (``imported_at`` optional: it is set
            here), geometry Point in EPSG:5514 or None; keys unique.
        quarantine
            Rows with :data:`apk_geo.schema.QUARANTINE_COLUMNS` (``imported_at`` set here).
        log
            Facts about the import: ``source``, ``file``, ``duplicates_in_file`` (exact repeats
            within the file, added to ``read`` and ``duplicates``), anything else goes to
            ``details`` (JSON).
        layers, metadata
            Context layers and metadata written in the same atomic step (see
            :meth:`write_layers`).

        Returns
        -------
        ImportCounts
            The counts, also appended to the ``import_log`` layer.

        Raises
        ------
        SchemaError
            If columns are missing or ``(source, id)`` repeats within ``incidents``.
        CRSError
            If ``incidents`` is not in EPSG:5514.
        StoreError
            If the write fails; the store is then unchanged.
        """
        require_columns(
            incidents, [c for c in INCIDENT_COLUMNS if c != "imported_at"], name="incidents"
        )
        require_columns(
            quarantine, [c for c in QUARANTINE_COLUMNS if c != "imported_at"], name="quarantine"
        )
        if len(incidents):
            crs = require_crs(incidents, name="incidents")
            if not crs.equals(CRS.from_user_input(CRS_METRIC)):
                raise CRSError(
                    f"incidents are in {crs.to_string()}, the store needs {CRS_METRIC}; "
                    f"use .to_crs('{CRS_METRIC}')"
                )
        keys = incidents[["source", "id"]]
        if keys.duplicated().any():
            dup = keys.loc[keys.duplicated(), "id"].head(5).tolist()
            raise SchemaError(
                f"incidents repeat (source, id) keys, e.g. ids {dup}; "
                "deduplicate them (apk_geo.io.validate does) before storing"
            )
        prepared = _prepare_layers(layers or {})
        in_file_dups = int(log.get("duplicates_in_file", 0) or 0)  # type: ignore[call-overload]
        now = pd.Timestamp.now(tz=TIMEZONE)
        new = _normalise_incidents(incidents.assign(imported_at=now))
        quar = _normalise_quarantine(quarantine.assign(imported_at=now))

        with self._transaction() as tmp:
            present = _list(tmp)
            existing = None
            if INCIDENTS in present and len(new):
                existing = pyogrio.read_dataframe(
                    tmp,
                    layer=INCIDENTS,
                    columns=["source", "id", "record_hash"],
                    read_geometry=False,
                    use_arrow=True,
                )
            if existing is not None and len(existing):
                old = existing.assign(_old=existing["record_hash"].astype("str"))
                merged = new[["source", "id", "record_hash"]].merge(
                    old[["source", "id", "_old"]],
                    on=["source", "id"],
                    how="left",
                )
                is_new = merged["_old"].isna().to_numpy()
                is_same = (~is_new) & (merged["_old"] == merged["record_hash"]).to_numpy(
                    dtype=bool, na_value=False
                )
                is_changed = ~is_new & ~is_same
            else:
                is_new = np.ones(len(new), dtype=bool)
                is_same = np.zeros(len(new), dtype=bool)
                is_changed = np.zeros(len(new), dtype=bool)
            written = new.loc[is_new | is_changed]
            failed = written["match"].eq("failed") | written.geometry.isna()
            counts = ImportCounts(
                read=len(new) + len(quar) + in_file_dups,
                accepted=int(is_new.sum()),
                updated=int(is_changed.sum()),
                duplicates=int(is_same.sum()) + in_file_dups,
                quarantined=len(quar),
                not_geocoded=int(failed.sum()),
            )
            outdated = INCIDENTS in present and _missing_fields(tmp, INCIDENTS, INCIDENT_COLUMNS)
            if is_changed.any() or (outdated and len(written)):
                # a changed record, or a store written before a column was added: rewrite
                full = _normalise_incidents(self._read_path(tmp, INCIDENTS))
                changed_keys = new.loc[is_changed, ["source", "id"]]
                stale = (
                    full[["source", "id"]]
                    .merge(changed_keys.assign(_x=True), on=["source", "id"], how="left")["_x"]
                    .notna()
                    .to_numpy()
                )
                full = pd.concat([full.loc[~stale], written], ignore_index=True)
                _write(tmp, full, INCIDENTS, append=False)
            elif INCIDENTS not in present:
                _write(tmp, written, INCIDENTS, append=False)
            elif len(written):
                _write(tmp, written, INCIDENTS, append=True)
            fresh_quar = _not_yet_quarantined(tmp, quar) if QUARANTINE in present else quar
            if len(fresh_quar) or QUARANTINE not in present:
                _write(tmp, fresh_quar, QUARANTINE, append=QUARANTINE in present)
            details = {
                k: v for k, v in log.items() if k not in ("source", "file", "duplicates_in_file")
            }
            entry = _normalise_log(
                pd.DataFrame(
                    [
                        {
                            "import_id": uuid.uuid4().hex,
                            "source": str(log.get("source", "")),
                            "file": str(log.get("file", "")),
                            "imported_at": now,
                            **counts.as_dict(),
                            "details": json.dumps(details, ensure_ascii=False, default=str),
                        }
                    ]
                )
            )
            _write(tmp, entry, IMPORT_LOG, append=IMPORT_LOG in present)
            _write_prepared(tmp, prepared)
            if metadata or METADATA not in present:
                _write_metadata(tmp, {**_read_metadata(tmp), **dict(metadata or {})})
        logger.info("%s: import %s", self.path, counts.as_dict())
        return counts

    def _read_path(self, path: Path, layer: str) -> pd.DataFrame:
        try:
            frame: pd.DataFrame = pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
            return frame
        except Exception as exc:
            raise StoreError(f"{self.path}: cannot read layer {layer!r}: {exc}") from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Path]:
        """Lock, copy the store to a temp file, yield it, then fsync and replace atomically."""
        parent = self.path.parent
        if not parent.is_dir():
            raise StoreError(f"{self.path}: folder {parent} does not exist; create it first")
        lock_path = parent / f"{self.path.name}.lock"
        with open(lock_path, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                cleanup_temp_files(self.path)
                tmp = parent / (
                    f".{self.path.name}{_TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}.gpkg"
                )
                try:
                    if self.exists():
                        shutil.copyfile(self.path, tmp)
                    yield tmp
                    _fsync_file(tmp)
                    os.replace(tmp, self.path)
                    _fsync_dir(parent)
                except StoreError:
                    raise
                except (SchemaError, CRSError):
                    raise
                except Exception as exc:
                    raise StoreError(
                        f"{self.path}: write failed, the store is unchanged: {exc}"
                    ) from exc
                finally:
                    _remove_with_sidecars(tmp)
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def cleanup_temp_files(path: str | Path) -> list[Path]:
    """Remove temporary files left next to the store ``path`` by a killed writer.

    Call it only while holding the store's write lock (the store's writers do), or when no
    other process writes the store.

    Returns
    -------
    list of Path
        The files removed.
    """
    p = Path(path)
    removed = []
    for tmp in p.parent.glob(f".{p.name}{_TMP_MARK}*"):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    if removed:
        logger.warning(
            "%s: removed %d temporary file(s) left by an interrupted write", p, len(removed)
        )
    return removed


# -------------------------------------------------------------------- helpers


def _as_local(ts: pd.Timestamp) -> pd.Timestamp:
    t = pd.Timestamp(ts)
    return t.tz_localize(TIMEZONE) if t.tzinfo is None else t.tz_convert(TIMEZONE)


def _to_local(s: pd.Series) -> pd.Series:
    """Convert a datetime column read from the GeoPackage to tz-aware Europe/Prague."""
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, utc=True, format="ISO8601")
    if getattr(s.dt, "tz", None) is None:
        s = s.dt.tz_localize("UTC")
    local: pd.Series = s.dt.tz_convert(TIMEZONE).astype(f"datetime64[ns, {TIMEZONE}]")
    return local


def _empty_incidents() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in INCIDENT_COLUMNS})
    return _normalise_incidents(frame)


def _missing_fields(path: Path, layer: str, columns: Sequence[str]) -> bool:
    """Return whether ``layer`` of the GeoPackage at ``path`` lacks any of ``columns``."""
    fields = set(pyogrio.read_info(path, layer=layer)["fields"])
    return any(c not in fields for c in columns)


def _normalise_incidents(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Give incidents the fixed schema: column order, dtypes, geometry, CRS."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    values = frame.reset_index(drop=True)
    for c in INCIDENT_COLUMNS:
        col = values[c] if c in values.columns else pd.Series([None] * len(values))
        if c in _FLOAT_COLUMNS:
            out[c] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif c in _TIME_COLUMNS:
            out[c] = (
                _to_local(col) if len(col) else pd.Series([], dtype=f"datetime64[ns, {TIMEZONE}]")
            )
        elif c == "ruian_adm":
            out[c] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif c == "in_hostel_buffer":
            out[c] = col.astype("boolean")
        else:
            out[c] = col.astype("str")
    geom = (
        values.geometry
        if isinstance(values, gpd.GeoDataFrame)
        else gpd.GeoSeries([None] * len(values))
    )
    crs = geom.crs if isinstance(values, gpd.GeoDataFrame) and geom.crs else CRS_METRIC
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geom.to_numpy(), crs=crs))


def _normalise_quarantine(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    values = frame.reset_index(drop=True)
    for c in QUARANTINE_COLUMNS:
        col = values[c] if c in values.columns else pd.Series([None] * len(values))
        if c == "line":
            out[c] = pd.to_numeric(col).astype("int64")
        elif c == "imported_at":
            out[c] = (
                _to_local(col) if len(col) else pd.Series([], dtype=f"datetime64[ns, {TIMEZONE}]")
            )
        else:
            out[c] = col.astype("str")
    return out


def _normalise_log(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    values = frame.reset_index(drop=True)
    for c in IMPORT_LOG_COLUMNS:
        col = values[c] if c in values.columns else pd.Series([None] * len(values))
        if c in _COUNT_KEYS:
            out[c] = pd.to_numeric(col).astype("int64")
        elif c == "imported_at":
            out[c] = (
                _to_local(col) if len(col) else pd.Series([], dtype=f"datetime64[ns, {TIMEZONE}]")
            )
        else:
            out[c] = col.astype("str")
    return out.sort_values("imported_at", kind="stable").reset_index(drop=True)


def _prepare_layers(
    layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame],
) -> dict[str, gpd.GeoDataFrame]:
    prepared: dict[str, gpd.GeoDataFrame] = {}
    for name, frame in layers.items():
        if name not in CONTEXT_LAYERS:
            raise StoreError(f"{name!r} is not a context layer; expected one of {CONTEXT_LAYERS}")
        if isinstance(frame, gpd.GeoDataFrame):
            require_crs(frame, name=name)
            gdf = frame.to_crs(CRS_METRIC)
        elif {"x_5514", "y_5514"} <= set(frame.columns):
            x = frame["x_5514"].to_numpy(dtype="float64")
            y = frame["y_5514"].to_numpy(dtype="float64")
            gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=CRS_METRIC)
        else:
            raise StoreError(
                f"layer {name!r} has no geometry; pass a GeoDataFrame or x_5514/y_5514 columns"
            )
        prepared[name] = gdf
    return prepared


def _list(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {str(name) for name, _ in pyogrio.list_layers(path)}


def _write(path: Path, frame: pd.DataFrame, layer: str, *, append: bool) -> None:
    data = frame.copy()
    for c in data.columns:
        if isinstance(data[c].dtype, pd.DatetimeTZDtype):
            data[c] = data[c].dt.tz_convert("UTC")
    kwargs: dict[str, Any] = {"layer": layer, "driver": "GPKG", "use_arrow": True, "append": append}
    if isinstance(data, gpd.GeoDataFrame):
        kwargs["geometry_type"] = "Point" if layer == INCIDENTS else None
    if kwargs.get("geometry_type") is None:
        kwargs.pop("geometry_type", None)
    pyogrio.write_dataframe(data, path, **kwargs)


def _not_yet_quarantined(path: Path, quar: pd.DataFrame) -> pd.DataFrame:
    """Drop rows already in the quarantine layer (same source, raw cells and reason)."""
    if not len(quar):
        return quar
    key = ["source", "raw", "reason"]
    old = pyogrio.read_dataframe(
        path, layer=QUARANTINE, columns=key, read_geometry=False, use_arrow=True
    )
    if not len(old):
        return quar
    seen = quar[key].merge(old[key].drop_duplicates().assign(_seen=True), on=key, how="left")
    return quar.loc[seen["_seen"].isna().to_numpy()].reset_index(drop=True)


def _write_prepared(path: Path, prepared: Mapping[str, gpd.GeoDataFrame]) -> None:
    for name, gdf in prepared.items():
        _write(path, gdf, name, append=False)


def _read_metadata(path: Path) -> dict[str, str]:
    if METADATA not in _list(path):
        return {}
    meta = pyogrio.read_dataframe(path, layer=METADATA, read_geometry=False, use_arrow=True)
    return {str(k): str(v) for k, v in zip(meta["key"], meta["value"], strict=True)}


def _write_metadata(path: Path, meta: Mapping[str, str]) -> None:
    frame = pd.DataFrame(
        {
            "key": pd.Series(list(meta.keys()), dtype="str"),
            "value": pd.Series([str(v) for v in meta.values()], dtype="str"),
        }
    )
    _write(path, frame, METADATA, append=False)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_with_sidecars(tmp: Path) -> None:
    for p in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
