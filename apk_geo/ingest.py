"""Import one incident export into a store: read → validate → geocode → enrich → store.

:func:`ingest_file` is what ``apk-geo ingest`` runs. The gazetteer for geocoding is, in order of
preference, the RÚIAN address-point CSV given as ``gazetteer`` (then also saved in the store as
its ``address_points`` layer, so later imports need not name it), the store's own
``address_points`` layer, or none (then only rows with coordinates get a location, address rows
are stored with ``match == "failed"`` and counted as ``not_geocoded``). The context layers come
from the store when it has them, otherwise from the files named by the configuration; in that case
they are written into the store in the same atomic step as the import. The city extent of the
context is what validation and geocoding check coordinates against: swapped axes and flipped
signs are fixed (``geocode_reason`` says so); a record whose only location is a point outside the
city is quarantined; one that also has an address is geocoded by its address.

A file that cannot be read at all raises :class:`~apk_geo.errors.InputFileError` before anything
is written; bad rows go to the store's quarantine. Counts always reconcile:
``read == accepted + updated + stale + duplicates + quarantined``.

Nothing is lost on update: a stored record that an import replaces is kept in the store's
``incident_versions`` layer. When the export has a modification-time column (``Datum změny``,
canonical ``modified_at``), the newer version of a record wins and an older incoming record is
counted as ``stale`` (and kept as a version); without one the file wins, as it always did, and
``reverted`` counts the updated records whose content equals an older stored version (an older
export imported again). ``dry_run=True`` returns the same counts and writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from apk_geo import enrich as _enrich
from apk_geo import geocode as _geocode
from apk_geo.config import Config
from apk_geo.errors import GeocodingError, ParameterError
from apk_geo.io import RawTable, read_table, validate
from apk_geo.schema import CRS_METRIC, INCIDENT_COLUMNS, TIMEZONE
from apk_geo.store import ImportCounts, IncidentStore

logger = logging.getLogger(__name__)

#: Source name used when none is given: all exports of the APK system share it, so an
#: overlapping export updates (not duplicates) its records.
DEFAULT_SOURCE: Final = "apk"

#: Stages reported to ``on_progress``, in order.
STAGES: Final = ("read", "context", "validate", "geocode", "enrich", "store")


_CONTEXT_NEEDED: Final = ("districts", "city", "svl", "hostels", "schools", "stops", "sports")


def ingest_file(
    path: str | Path,
    *,
    store: IncidentStore,
    source: str | None = None,
    gazetteer: str | Path | None = None,
    config: Config,
    delimiter: str | None = None,
    encoding: str | None = None,
    on_progress: Callable[[str], None] | None = None,
    file_label: str | None = None,
    dry_run: bool = False,
    lang: str = "cs",
) -> ImportCounts:
    """Import an incident export (CSV or XLSX) into ``store``, atomically.

    Parameters
    ----------
    path
        The export file.
    store
        Where to import (created if it does not exist).
    source
        Name of the system the export comes from; ids are unique within a source. Defaults to
        :data:`DEFAULT_SOURCE`.
    gazetteer
        A RÚIAN address-point CSV (``YYYYMMDD_OB_<kód obce>_ADR.csv``); stored as the store's
        ``address_points`` layer. Without it the store's layer is used, if any.
    config
        Context layer files, MDT areas, extra categories, hostel buffer.
    delimiter, encoding
        Override CSV detection (see :func:`apk_geo.io.read_table`).
    on_progress
        Called with each stage name of :data:`STAGES` as it starts.
    file_label
        The file name recorded in the import log and the quarantine (default: the file's
        absolute path); e.g. the original name of an upload saved to a temporary folder.
    dry_run
        Do everything but write: the store stays byte-identical (no lock, no temporary file)
        and the counts say what the import would do.
    lang
        ``"cs"`` (default) or ``"en"``: the language of the quarantine reasons stored with the
        quarantined rows and of the message of an :class:`~apk_geo.errors.InputFileError`.

    Returns
    -------
    ImportCounts
        ``read, accepted, updated, stale, duplicates, quarantined, not_geocoded, reverted``;
        ``read == accepted + updated + stale + duplicates + quarantined``.

    Raises
    ------
    ParameterError
        If ``source`` is empty or blank.
    InputFileError
        If the file cannot be read at all; the store is unchanged.
    GeocodingError
        If the gazetteer cannot be used (e.g. it is not a text file).
    StoreError
        If the store cannot be read or written, or another import holds its lock for longer
        than the store's ``lock_timeout_s``; it is then unchanged.

    Examples
    --------
    >>> from apk_geo.store import open_store
    >>> counts = ingest_file("export.csv", store=open_store("apk.gpkg"),
    ...                      config=Config())  # doctest: +SKIP
    >>> counts.balanced  # read == accepted + updated + stale + duplicates + quarantined
    True
    """
    step = on_progress or (lambda _stage: None)
    src = source if source is not None else DEFAULT_SOURCE
    if source is None:
        logger.info("no --source given: using %r", src)
    if not src.strip():
        raise ParameterError(f"source must be a non-empty name, got {source!r}")

    step("read")
    raw = read_table(path, delimiter=delimiter, encoding=encoding, lang=lang)
    step("context")
    context, new_layers, metadata = _context(store, config)
    gazetteer_frame, gazetteer_layer = _gazetteer(store, gazetteer)
    if gazetteer_layer is not None:
        new_layers["address_points"] = gazetteer_layer

    step("validate")
    # The same city extent as geocoding: a row placed only by coordinates outside the city is
    # quarantined here, swapped axes and flipped signs pass and are fixed by geocoding.
    checked = validate(
        raw,
        source=src,
        config=config,
        city_extent_5514=context.city_extent_5514(),
        file_label=file_label,  # an upload's own name; workbook rows add " [sheet]"
        lang=lang,
    )
    quarantine = checked.quarantine

    step("geocode")
    located = _locate(checked.valid, gazetteer_frame, context=context)
    step("enrich")
    enriched = _enrich.enrich(located, context, config=config)
    incidents = enriched[[c for c in INCIDENT_COLUMNS if c != "imported_at"] + ["geometry"]]
    incidents = incidents.assign(modified_at=_modified_times(raw, checked.valid, enriched["id"]))

    step("store")
    log: dict[str, object] = {
        "source": src,
        "file": file_label if file_label is not None else str(Path(path).resolve()),
        "duplicates_in_file": checked.duplicates,
        "gazetteer": str(gazetteer)
        if gazetteer is not None
        else ("store" if gazetteer_frame is not None else None),
        **{k: v for k, v in checked.params.items() if k != "file"},
    }
    counts = store.apply_import(
        incidents=incidents,
        quarantine=quarantine,
        log=log,
        layers=new_layers,
        metadata=metadata,
        dry_run=dry_run,
    )
    logger.info(
        "%s → %s%s: %s", path, store.location, " (dry run)" if dry_run else "", counts.as_dict()
    )
    return counts


def _context(
    store: IncidentStore, config: Config
) -> tuple[_enrich.Context, dict[str, gpd.GeoDataFrame | pd.DataFrame], dict[str, str]]:
    """Return the context, the layers to write into the store and metadata to record."""
    if store.exists() and set(_CONTEXT_NEEDED) <= set(store.layer_names()):
        return _enrich.Context.from_store(store, config=config), {}, {}
    logger.info(
        "store %s has no context layers: reading them from the configuration", store.location
    )
    context = _enrich.load_context(config)
    metadata = {
        "svl_synthetic": str(bool(config.layers.svl_synthetic)).lower(),
        "hostels_synthetic": str(bool(config.layers.hostels_synthetic)).lower(),
    }
    return context, dict(context.layers()), metadata


def _gazetteer(
    store: IncidentStore, gazetteer: str | Path | None
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Return (gazetteer frame or None, frame to save as ``address_points`` or None)."""
    if gazetteer is not None:
        try:
            frame = _geocode.load_ruian_csv(gazetteer)
        except UnicodeDecodeError as exc:
            raise GeocodingError(
                f"{gazetteer}: cannot read the gazetteer as text ({exc.reason} at byte "
                f"{exc.start}); expected the RÚIAN address-point CSV "
                "(YYYYMMDD_OB_<kód obce>_ADR.csv, cp1250, ';')"
            ) from exc
        return frame, frame
    if store.exists() and "address_points" in store.layer_names():
        layer = store.layer("address_points")
        return pd.DataFrame(layer.drop(columns=layer.geometry.name)), None
    logger.warning(
        "no gazetteer (--gazetteer or the store's address_points layer): only rows "
        "with coordinates get a location"
    )
    return None, None


def _locate(
    valid: pd.DataFrame, gazetteer: pd.DataFrame | None, *, context: _enrich.Context
) -> gpd.GeoDataFrame:
    """Geocode the valid records and return them as points in EPSG:5514 (None if failed)."""
    # Without a gazetteer only coordinates place a record; address rows fail with a reason.
    geocoded = _geocode.geocode(
        valid,
        None if gazetteer is None else _geocode.build_index(gazetteer),
        address_col="address",
        city_extent_5514=context.city_extent_5514(),
    )
    x = pd.to_numeric(geocoded["x_5514"], errors="coerce").to_numpy(dtype="float64")
    y = pd.to_numeric(geocoded["y_5514"], errors="coerce").to_numpy(dtype="float64")
    ok = np.isfinite(x) & np.isfinite(y) & geocoded["match"].ne("failed").to_numpy(dtype=bool)
    geoms = np.full(len(geocoded), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    frame = pd.DataFrame(geocoded).reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=CRS_METRIC))


def _modified_times(raw: RawTable, valid: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """Return the source system's modification time of each record of ``ids`` (NaT if none).

    Validation carries ``modified_at`` (NaT where the export has no such column or a cell
    cannot be read, which then counts as an unknown time: the file wins for that record).
    """
    unknown = pd.Series(pd.NaT, index=ids.index, dtype=f"datetime64[ns, {TIMEZONE}]")
    if not len(valid) or "modified_at" not in valid.columns:
        return unknown
    times = valid["modified_at"]
    by_id = pd.Series(times.to_numpy(), index=valid["id"].to_numpy(), dtype=unknown.dtype)
    return ids.map(by_id).astype(unknown.dtype)
