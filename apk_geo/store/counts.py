"""What an import did (:class:`ImportCounts`) and whether a store's books balance.

Every record an import reads ends in exactly one of five places::

    read == accepted + updated + stale + duplicates + quarantined

* ``accepted`` — a new ``(source, id)``: one more stored incident;
* ``updated`` — the stored row had other content and lost: it moves to the ``incident_versions``
  layer (``version_kind == "replaced"``) and the record takes its place;
* ``stale`` — the stored row had other content and a later modification time: the record is
  kept in ``incident_versions`` (``version_kind == "stale"``) unless that exact version is
  there already;
* ``duplicates`` — the same content is stored already (or repeats within the file);
* ``quarantined`` — rejected, in the quarantine layer.

So the store accounts for every record read: ``incidents == sum(accepted)`` and
``versions == sum(versions_kept)`` (``versions_kept`` = the import's ``updated`` plus the stale
versions it kept), and the quarantine holds at most ``sum(quarantined)`` rows (a repeated
rejected row is stored once). A PostGIS store's retention may delete incidents and versions
past the retention period; those it removed are subtracted (``removed_incidents``,
``removed_versions``; always 0 for a GeoPackage store).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from apk_geo.store._messages import (
    reconcile_incidents,
    reconcile_quarantine,
    reconcile_unbalanced,
    reconcile_versions,
)

__all__ = ["ImportCounts", "Reconciliation", "reconcile"]


@dataclass(frozen=True)
class ImportCounts:
    """What one import did; ``read == accepted + updated + stale + duplicates + quarantined``.

    Attributes
    ----------
    read
        Records in the file.
    accepted
        New records stored.
    updated
        Records whose ``(source, id)`` was stored with other content, now replaced; the
        replaced row is kept in the ``incident_versions`` layer.
    stale
        Records whose stored version has other content and a later modification time
        (``modified_at``): the stored row stays, the older record goes to ``incident_versions``.
        Always 0 for exports without a modification-time column.
    duplicates
        Records already stored with the same content, or repeated within the file.
    quarantined
        Rejected records (see the quarantine layer).
    not_geocoded
        Of the accepted and updated records, those stored without a location (``match ==
        "failed"``); not part of the sum above.
    reverted
        Of the updated records, those whose incoming content equals an older version of the
        record (one in ``incident_versions``): the import turned the record back. Without a
        modification-time column that usually means an older export was imported again; not
        part of the sum above.

    Notes
    -----
    ``stale`` and ``reverted`` are keyword-only (default 0), so
    ``ImportCounts(read, accepted, updated, duplicates, quarantined, not_geocoded)`` still works.
    """

    read: int
    accepted: int
    updated: int
    stale: int = field(default=0, kw_only=True)
    duplicates: int
    quarantined: int
    not_geocoded: int
    reverted: int = field(default=0, kw_only=True)

    def as_dict(self) -> dict[str, int]:
        """Return the counts as a plain dict (JSON-serialisable), in attribute order."""
        return {k: int(v) for k, v in asdict(self).items()}

    @property
    def balanced(self) -> bool:
        """Return whether ``read == accepted + updated + stale + duplicates + quarantined``."""
        parts = self.accepted + self.updated + self.stale + self.duplicates + self.quarantined
        return self.read == parts


#: Columns of :attr:`Reconciliation.imports`.
RECONCILE_COLUMNS = (
    "import_id",
    "file",
    "imported_at",
    "read",
    "accepted",
    "updated",
    "stale",
    "duplicates",
    "quarantined",
    "versions_kept",
    "balanced",
)


@dataclass(frozen=True)
class Reconciliation:
    """The books of a store: per-import counts and what the store holds.

    Attributes
    ----------
    imports
        One row per import, oldest first: :data:`RECONCILE_COLUMNS`; ``balanced`` says
        whether ``read == accepted + updated + stale + duplicates + quarantined``.
    incidents, versions, quarantine
        Rows in the incidents, ``incident_versions`` and quarantine layers.
    removed_incidents, removed_versions
        Incidents and versions retention deleted (PostGIS stores; 0 otherwise).
    problems
        What does not add up, in words (empty when :attr:`ok`): English ``str`` values that
        are :class:`apk_geo.store._messages.Message` objects, so ``.text("cs")`` gives Czech.
    """

    imports: pd.DataFrame
    incidents: int
    versions: int
    quarantine: int
    problems: tuple[str, ...]
    removed_incidents: int = 0
    removed_versions: int = 0

    @property
    def ok(self) -> bool:
        """Return whether every check passed."""
        return not self.problems


def reconcile(
    log: pd.DataFrame,
    *,
    incidents: int,
    versions: int,
    quarantine: int,
    removed_incidents: int = 0,
    removed_versions: int = 0,
) -> Reconciliation:
    """Check an import log against the rows a store holds (see the module docstring).

    Parameters
    ----------
    log
        The store's import log (:data:`apk_geo.store.layers.IMPORT_LOG_COLUMNS`).
    incidents, versions, quarantine
        Rows in those layers.
    removed_incidents, removed_versions
        Rows retention deleted from the incidents and versions (not counted as stored).

    Returns
    -------
    Reconciliation
        Per-import rows and the problems found.
    """
    parts = ("accepted", "updated", "stale", "duplicates", "quarantined")
    table = log.assign(balanced=log["read"] == sum(log[c] for c in parts))
    table = table[list(RECONCILE_COLUMNS)].reset_index(drop=True)
    problems: list[str] = []
    off = table.loc[~table["balanced"], "import_id"].tolist()
    if off:
        problems.append(reconcile_unbalanced(off))
    accepted = int(table["accepted"].sum())
    if incidents != accepted - removed_incidents:
        problems.append(reconcile_incidents(incidents, accepted, removed_incidents))
    kept = int(table["versions_kept"].sum())
    if versions != kept - removed_versions:
        problems.append(reconcile_versions(versions, kept, removed_versions))
    quarantined = int(table["quarantined"].sum())
    if quarantine > quarantined:
        problems.append(reconcile_quarantine(quarantine, quarantined))
    return Reconciliation(
        imports=table,
        incidents=incidents,
        versions=versions,
        quarantine=quarantine,
        problems=tuple(problems),
        removed_incidents=removed_incidents,
        removed_versions=removed_versions,
    )
