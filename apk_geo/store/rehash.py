"""Upgrade a store's record hashes from version 1 to version 2 (both backends share the rule).

A store written by apk-geo before the version-2 hash (:mod:`apk_geo.hashes`) holds version-1
hashes (:func:`apk_geo.hashes.legacy_record_hash`) and no ``record_hash_version`` in its
metadata. Its next import upgrades it **in the same transaction** (the GeoPackage's private
copy, or the PostGIS transaction), before it compares a single record:

1. every stored incident's content is read back and its version-1 hash recomputed
   (:func:`recover_v2_hashes`). The store keeps the geocoded point, not the export's own
   coordinate columns, so the export's ``lat``/``lon``/``x``/``y`` are recovered by trying the
   few inputs that can give a stored row (:data:`CANDIDATES`: latitude/longitude as stored or
   absent; S-JTSK as stored, sign-flipped, swapped or absent); the one whose version-1 hash is
   the stored hash *is* the record's content, and the row gets the version-2 hash of that
   content. A row that already holds the version-2 hash of a candidate (written or upgraded
   since) counts as upgraded. A hash is 64 bits, so a wrong candidate matches with
   probability ~2⁻⁶⁴;
2. the import then compares as always: a re-imported, unchanged record now has the stored
   version-2 hash, so it is a **duplicate** (not updated), and its row keeps the rewritten hash;
3. the metadata records ``record_hash_version = 2`` when every stored hash was upgraded, or
   ``1`` (with a warning naming how many rows are left) when some row's content could not be
   recovered (e.g. it was hashed by a pandas whose ``hash_pandas_object`` differed); such a
   store is tried again by each import, and a re-imported record whose row is left counts as
   updated (its old row is kept in ``incident_versions``, nothing is lost).

A store created by this version gets ``record_hash_version = 2`` at its first import. Rows
of ``incident_versions`` keep the hash they were stored with (the history is append-only;
PostGIS allows no update there), so an update back to a version kept before the upgrade is
not counted as ``reverted``.
"""

from __future__ import annotations

import logging
from typing import Final

import numpy as np
import pandas as pd

from apk_geo.hashes import CURRENT_VERSION, VERSION_KEY, legacy_record_hash, record_hash

__all__ = ["CANDIDATES", "CONTENT_COLUMNS", "hash_metadata", "is_legacy", "recover_v2_hashes"]

logger = logging.getLogger(__name__)

#: Stored columns the recovery reads (with ``record_hash``).
CONTENT_COLUMNS: Final = (
    "id",
    "reported_at",
    "category",
    "outcome",
    "assistant",
    "note",
    "address",
    "lat",
    "lon",
    "x_5514",
    "y_5514",
)
#: The export inputs tried for a stored row: (lat/lon as stored?, S-JTSK x/y from the stored
#: point: ``None`` absent, else (x sign, y sign, swapped)). Most likely first.
CANDIDATES: Final[tuple[tuple[bool, tuple[int, int, bool] | None], ...]] = (
    (True, None),  # latitude/longitude in the export
    (False, None),  # an address only (the point came from geocoding)
    (False, (1, 1, False)),  # S-JTSK in the export
    (True, (1, 1, False)),  # both
    (False, (-1, -1, False)),  # S-JTSK with positive signs (as RÚIAN writes them)
    (False, (1, 1, True)),  # S-JTSK with the axes swapped
    (False, (-1, -1, True)),  # both fixed
    (True, (-1, -1, False)),
    (True, (1, 1, True)),
    (True, (-1, -1, True)),
)


def is_legacy(meta: dict[str, str]) -> bool:
    """Return whether a store's metadata says its hashes may still be version 1."""
    return meta.get(VERSION_KEY) != str(CURRENT_VERSION)


def recover_v2_hashes(stored: pd.DataFrame) -> pd.Series:
    """Return the version-2 hash of every stored row whose version-1 content is recovered.

    Parameters
    ----------
    stored
        Stored incidents with :data:`CONTENT_COLUMNS` and ``record_hash`` (any index).

    Returns
    -------
    pandas.Series
        ``str`` version-2 hashes aligned to ``stored.index``: of the candidate input whose
        version-1 hash is the stored hash, or the stored hash itself when it already is the
        version-2 hash of a candidate (a row upgraded or written since); NA where neither (or
        the row has no hash).
    """
    rows = stored.reset_index(drop=True)
    hashes = rows["record_hash"].astype("str")
    out = np.full(len(rows), None, dtype=object)
    todo = hashes.notna().to_numpy(dtype=bool, copy=True)
    for use_latlon, xy in CANDIDATES:
        if not todo.any():
            break
        at = np.flatnonzero(todo)
        content = _candidate(rows.iloc[at], use_latlon=use_latlon, xy=xy)
        mine = hashes.iloc[at].to_numpy()
        v2 = record_hash(content).to_numpy()
        hit = (legacy_record_hash(content).to_numpy() == mine) | (v2 == mine)
        out[at[hit]] = v2[hit]
        todo[at[hit]] = False
    return pd.Series(out, index=stored.index, dtype="str")


def hash_metadata(*, legacy: bool, had_rows: bool, left: int, where: object) -> dict[str, str]:
    """Return the metadata an import writes about the hash version ({} when nothing changes).

    ``legacy``: the store's metadata did not say version 2; ``had_rows``: it holds incidents;
    ``left``: stored rows whose hash could not be upgraded.
    """
    if not legacy:
        return {}
    if left:
        logger.warning(
            "%s: %d stored record(s) keep a version-1 record hash: their content could not be "
            "recovered; a re-import counts them as updated (the old rows go to incident_versions)",
            where,
            left,
        )
        return {VERSION_KEY: "1"}
    if had_rows:
        logger.info("%s: record hashes upgraded to version %d", where, CURRENT_VERSION)
    return {VERSION_KEY: str(CURRENT_VERSION)}


def _candidate(
    rows: pd.DataFrame, *, use_latlon: bool, xy: tuple[int, int, bool] | None
) -> pd.DataFrame:
    """Return the export content of ``rows`` under one candidate input (hash columns)."""
    rows = rows.reset_index(drop=True)
    nan = np.full(len(rows), np.nan)
    x = pd.to_numeric(rows["x_5514"], errors="coerce").to_numpy(dtype="float64")
    y = pd.to_numeric(rows["y_5514"], errors="coerce").to_numpy(dtype="float64")
    if xy is None:
        cx, cy = nan, nan
    else:
        sx, sy, swapped = xy
        cx, cy = (y * sy, x * sx) if swapped else (x * sx, y * sy)
    lat = pd.to_numeric(rows["lat"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(rows["lon"], errors="coerce").to_numpy(dtype="float64")
    text = ("id", "category", "outcome", "assistant", "note", "address")
    return pd.DataFrame(
        {
            **{c: rows[c].astype("str") for c in text},
            "reported_at": rows["reported_at"],
            "lat": lat if use_latlon else nan,
            "lon": lon if use_latlon else nan,
            "x": cx,
            "y": cy,
        }
    )
