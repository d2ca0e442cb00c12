"""The upsert of an import: decide what each incoming record does, then write it.

:func:`plan_import` compares every incoming record with the stored row of its ``(source, id)``
(and with the versions kept in ``incident_versions``) and decides, without writing anything:

* no stored row → **accepted**;
* the same ``record_hash`` → **duplicate** (if the record carries a later modification time, the
  stored row's ``modified_at`` is refreshed; its content is unchanged);
* another hash → the newer version wins: the record is **stale** when both have a modification
  time (``modified_at``) and the stored one is later; otherwise (the record is later, the times
  are equal, or either has none) the file wins and the record is **updated** — the rule of
  exports without a modification-time column. An updated record whose content equals a version
  in ``incident_versions`` is also counted as **reverted**.

:func:`write_import` then writes the plan into the store's temporary copy: every replaced row
goes to ``incident_versions`` (``version_kind = "replaced"``), every stale record not kept already
goes there too (``version_kind = "stale"``), both with ``replaced_at`` and
``replaced_by_import``. A store written before a column or the versions layer existed gains
them here.

A store written before the version-2 record hash is upgraded by :func:`plan_import` and
:func:`write_import` in the same atomic write, as :mod:`apk_geo.store.rehash` describes: the
stored hashes are rewritten to version 2 before any record is compared, so an unchanged
re-imported record is a duplicate, and the metadata records ``record_hash_version``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo.store.counts import ImportCounts
from apk_geo.store.gpkg import fields_of, read_layer, read_metadata, write_frame, write_metadata
from apk_geo.store.layers import (
    IMPORT_LOG,
    IMPORT_LOG_COLUMNS,
    INCIDENTS,
    METADATA,
    STORED_INCIDENT_COLUMNS,
    VERSION_COLUMNS,
    VERSIONS,
    normalise_incidents,
    normalise_log,
    normalise_versions,
    stored_to_local,
)
from apk_geo.store.rehash import CONTENT_COLUMNS, hash_metadata, is_legacy, recover_v2_hashes

__all__ = ["ImportPlan", "plan_import", "write_import", "write_log"]

_KEY = ["source", "id"]
_REHASH = [*_KEY, "record_hash"]


@dataclass(frozen=True)
class ImportPlan:
    """What an import will do with each incoming record (boolean masks over ``incoming``).

    Attributes
    ----------
    incoming
        The records, normalised to the stored columns (``modified_at`` NaT when unknown).
    new, same, updated, stale
        Accepted, duplicate, updated and stale records; exactly one is true per record.
    touched
        Duplicates whose modification time is later than the stored row's.
    reverted
        Updated records whose content equals a version kept in ``incident_versions``.
    keep_stale
        Stale records whose version is not in ``incident_versions`` yet.
    rehash
        Stored rows (``source``, ``id``, ``record_hash``) whose version-1 hash the import
        rewrites to version 2 (:mod:`apk_geo.store.rehash`); empty for an upgraded store.
    hash_meta
        Metadata the import writes about the hash version (empty when nothing changes).
    """

    incoming: gpd.GeoDataFrame
    new: np.ndarray
    same: np.ndarray
    updated: np.ndarray
    stale: np.ndarray
    touched: np.ndarray
    reverted: np.ndarray
    keep_stale: np.ndarray
    rehash: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_REHASH))
    hash_meta: dict[str, str] = field(default_factory=dict)

    def counts(self, *, quarantined: int, in_file_duplicates: int) -> ImportCounts:
        """Return the :class:`ImportCounts` of this plan."""
        inc = self.incoming
        # the written rows' failures, counted on the masks (no copy of the written rows)
        failed = (inc["match"].eq("failed") | inc.geometry.isna()).to_numpy(
            dtype=bool, na_value=False
        ) & (self.new | self.updated)
        return ImportCounts(
            read=len(self.incoming) + quarantined + in_file_duplicates,
            accepted=int(self.new.sum()),
            updated=int(self.updated.sum()),
            stale=int(self.stale.sum()),
            duplicates=int(self.same.sum()) + in_file_duplicates,
            quarantined=quarantined,
            not_geocoded=int(failed.sum()),
            reverted=int(self.reverted.sum()),
        )

    @property
    def versions_kept(self) -> int:
        """Return how many rows the import adds to ``incident_versions``."""
        return int(self.updated.sum() + self.keep_stale.sum())


def plan_import(path: Path, present: set[str], incoming: gpd.GeoDataFrame) -> ImportPlan:
    """Decide what each incoming record does against the store file ``path`` (read only).

    Parameters
    ----------
    path
        The store or its temporary copy.
    present
        The layers ``path`` has.
    incoming
        Normalised incidents with ``modified_at`` (:func:`normalise_incidents`, ``stored=True``);
        keys unique.
    """
    n = len(incoming)
    none = np.zeros(n, dtype=bool)
    legacy = INCIDENTS in present and is_legacy(read_metadata(path) if METADATA in present else {})
    stored = _stored_keys(path, present, content=legacy) if n or legacy else None
    rehash, hash_meta = _upgrade(stored, legacy=legacy, fresh=INCIDENTS not in present, path=path)
    if stored is None or not len(stored) or not n:
        return ImportPlan(incoming, ~none, none, none, none, none, none, none, rehash, hash_meta)
    keys = stored[[*_KEY, "_hash", "_modified"]]
    merged = incoming[[*_KEY, "record_hash", "modified_at"]].merge(keys, on=_KEY, how="left")
    known = merged["_hash"].notna().to_numpy(dtype=bool)
    same = known & (merged["_hash"] == merged["record_hash"]).to_numpy(dtype=bool, na_value=False)
    differ = known & ~same
    mine, theirs = merged["modified_at"], merged["_modified"]
    stored_later = (mine < theirs).to_numpy(dtype=bool, na_value=False)
    mine_later = (mine.notna() & (theirs.isna() | (mine > theirs))).to_numpy(
        dtype=bool, na_value=False
    )
    stale = differ & stored_later
    updated = differ & ~stored_later
    kept = _in_versions(path, present, incoming)
    return ImportPlan(
        incoming=incoming,
        new=~known,
        same=same,
        updated=updated,
        stale=stale,
        touched=same & mine_later,
        reverted=updated & kept,
        keep_stale=stale & ~kept,
        rehash=rehash,
        hash_meta=hash_meta,
    )


def write_import(
    tmp: Path, present: set[str], plan: ImportPlan, *, now: pd.Timestamp, import_id: str
) -> None:
    """Write the plan's incidents and versions into the temporary copy ``tmp``."""
    replaced = _write_incidents(tmp, present, plan)
    versions = pd.concat(
        [
            replaced.assign(version_kind="replaced"),
            _rows(plan.incoming, plan.keep_stale).assign(version_kind="stale"),
        ],
        ignore_index=True,
    )
    versions = normalise_versions(versions.assign(replaced_at=now, replaced_by_import=import_id))
    _write_growing(tmp, present, versions, VERSIONS, VERSION_COLUMNS, normalise_versions)
    if plan.hash_meta:
        before = read_metadata(tmp) if METADATA in present else {}
        write_metadata(tmp, {**before, **plan.hash_meta})


def write_log(tmp: Path, present: set[str], entry: pd.DataFrame) -> None:
    """Append ``entry`` to the import log (rewriting a log written before a column existed)."""
    _write_growing(tmp, present, entry, IMPORT_LOG, IMPORT_LOG_COLUMNS, normalise_log)


def _stored_keys(path: Path, present: set[str], *, content: bool) -> pd.DataFrame | None:
    """Return the stored ``source, id, _hash, _modified`` (None without an incidents layer).

    With ``content`` also the columns the hash upgrade reads (:data:`CONTENT_COLUMNS`).
    """
    if INCIDENTS not in present:
        return None
    cols = [*_KEY, "record_hash", "modified_at"]
    if content:
        cols += [c for c in CONTENT_COLUMNS if c not in cols]
    raw = read_layer(path, INCIDENTS, columns=cols, geometry=False).reset_index(drop=True)
    modified = raw["modified_at"] if "modified_at" in raw else pd.Series([None] * len(raw))
    keys = pd.DataFrame(
        {
            "source": raw["source"].astype("str"),
            "id": raw["id"].astype("str"),
            "_hash": raw["record_hash"].astype("str"),
            "_modified": stored_to_local(modified.reset_index(drop=True)),
        }
    )
    if not content:
        return keys
    # a store written before a column existed lacks it: NA, as the record had none
    extra = pd.DataFrame(
        {c: raw[c] if c in raw else pd.Series([None] * len(raw)) for c in CONTENT_COLUMNS[1:]}
    ).assign(reported_at=stored_to_local(raw["reported_at"]))
    return pd.concat([keys, extra], axis=1)


def _upgrade(
    stored: pd.DataFrame | None, *, legacy: bool, fresh: bool, path: Path
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Upgrade version-1 hashes of ``stored`` in place (``_hash``); return the rewrites, metadata.

    ``fresh``: the store has no incidents layer yet (its first import writes version 2).
    """
    nothing = pd.DataFrame({c: pd.Series([], dtype="str") for c in _REHASH})
    if fresh:
        return nothing, hash_metadata(legacy=True, had_rows=False, left=0, where=path)
    if not legacy or stored is None:
        return nothing, {}
    v2 = recover_v2_hashes(stored.assign(record_hash=stored["_hash"]))
    found = v2.notna().to_numpy(dtype=bool)
    changed = found & (v2 != stored["_hash"]).to_numpy(dtype=bool, na_value=False)
    left = int((stored["_hash"].notna().to_numpy(dtype=bool) & ~found).sum())
    stored["_hash"] = v2.where(found, stored["_hash"])
    rehash = stored.loc[changed, _KEY].assign(record_hash=v2[changed])
    meta = hash_metadata(legacy=True, had_rows=bool(len(stored)), left=left, where=path)
    return rehash.reset_index(drop=True), meta


def _in_versions(path: Path, present: set[str], incoming: pd.DataFrame) -> np.ndarray:
    """Return which incoming records' ``(source, id, record_hash)`` is in incident_versions."""
    if VERSIONS not in present or not len(incoming):
        return np.zeros(len(incoming), dtype=bool)
    cols = [*_KEY, "record_hash"]
    kept = read_layer(path, VERSIONS, columns=cols, geometry=False)
    if not len(kept):
        return np.zeros(len(incoming), dtype=bool)
    kept = kept.astype("str").drop_duplicates().assign(_kept=True)
    hit = incoming[cols].merge(kept, on=cols, how="left")["_kept"]
    return hit.notna().to_numpy(dtype=bool)


def _write_incidents(tmp: Path, present: set[str], plan: ImportPlan) -> gpd.GeoDataFrame:
    """Write accepted and updated records; refresh touched ones; return the replaced rows."""
    inc = plan.incoming
    written = _rows(inc, plan.new | plan.updated)
    outdated = INCIDENTS in present and _lacks(tmp, INCIDENTS, STORED_INCIDENT_COLUMNS)
    replaced = inc.iloc[:0]
    rehash = len(plan.rehash) > 0
    if plan.updated.any() or plan.touched.any() or rehash or (outdated and len(written)):
        # a changed record, a refreshed time, upgraded hashes, or a store written before a
        # column was added
        full = normalise_incidents(read_layer(tmp, INCIDENTS), stored=True)
        full = _set_hashes(full, plan.rehash)
        hit = _has_key(full, inc.loc[plan.updated, _KEY])
        replaced = full.loc[hit]
        full = _refresh_modified(full, inc.loc[plan.touched, [*_KEY, "modified_at"]])
        full = pd.concat([_rows(full, ~hit), written], ignore_index=True)
        write_frame(tmp, full, INCIDENTS, append=False)
    elif INCIDENTS not in present:
        write_frame(tmp, written, INCIDENTS, append=False)
    elif len(written):
        write_frame(tmp, written, INCIDENTS, append=True)
    return replaced


def _rows(frame: gpd.GeoDataFrame, mask: np.ndarray) -> gpd.GeoDataFrame:
    """Return the rows of ``mask``: ``frame`` itself when that is every row (no copy)."""
    return frame if bool(mask.all()) else frame.loc[mask]


def _has_key(frame: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Return which rows of ``frame`` have a ``(source, id)`` of ``keys``."""
    if not len(keys):
        return np.zeros(len(frame), dtype=bool)
    hit = frame[_KEY].merge(keys[_KEY].assign(_hit=True), on=_KEY, how="left")["_hit"]
    return hit.notna().to_numpy(dtype=bool)


def _set_hashes(full: gpd.GeoDataFrame, rehash: pd.DataFrame) -> gpd.GeoDataFrame:
    """Set ``record_hash`` of the rows of ``rehash`` keys to their upgraded hash."""
    if not len(rehash):
        return full
    new = full[_KEY].merge(rehash.rename(columns={"record_hash": "_h"}), on=_KEY, how="left")
    # assign: pandas' copy-on-write shares every other column instead of copying the store
    return full.assign(
        record_hash=new["_h"].set_axis(full.index).combine_first(full["record_hash"])
    )


def _refresh_modified(full: gpd.GeoDataFrame, touched: pd.DataFrame) -> gpd.GeoDataFrame:
    """Set ``modified_at`` of the rows of ``touched`` keys to the touched value."""
    if not len(touched):
        return full
    later = full[_KEY].merge(touched.rename(columns={"modified_at": "_m"}), on=_KEY, how="left")
    return full.assign(
        modified_at=later["_m"].set_axis(full.index).combine_first(full["modified_at"])
    )


def _lacks(path: Path, layer: str, columns: tuple[str, ...]) -> bool:
    """Return whether ``layer`` lacks any of ``columns``."""
    fields = fields_of(path, layer)
    return any(c not in fields for c in columns)


def _write_growing(
    tmp: Path,
    present: set[str],
    rows: pd.DataFrame,
    layer: str,
    columns: tuple[str, ...],
    normalise: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    """Create ``layer`` with ``rows``, append them, or rewrite it if it lacks ``columns``."""
    if layer not in present:
        write_frame(tmp, rows, layer, append=False)
    elif len(rows) and _lacks(tmp, layer, columns):
        old = normalise(read_layer(tmp, layer, geometry=layer == VERSIONS))
        full = pd.concat([old, rows], ignore_index=True)
        write_frame(tmp, full, layer, append=False)
    elif len(rows):
        write_frame(tmp, rows, layer, append=True)
