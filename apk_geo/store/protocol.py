"""The :class:`IncidentStore` protocol: all the pipeline knows about where incidents are kept.

:class:`apk_geo.store.GeoPackageStore` implements it in one GeoPackage file (one user, one PC),
:class:`apk_geo.store.PostGISStore` in a shared PostgreSQL/PostGIS database (a team, roles the
database enforces, an audit trail). Neither is a file path to the pipeline: ``location`` names the
store in messages (a path, or a URL without its password) and :meth:`IncidentStore.change_token`
changes whenever the store's content does, for caches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

from apk_geo.store.counts import ImportCounts, Reconciliation

__all__ = ["IncidentStore"]


@runtime_checkable
class IncidentStore(Protocol):
    """Where incidents, versions, quarantine, import log, metadata and context layers are kept."""

    @property
    def location(self) -> str:
        """Where the store is, for messages: a file path, or a database URL without password."""
        ...

    def exists(self) -> bool:
        """Return whether the store has been created."""
        ...

    def change_token(self) -> str:
        """Return a text that changes whenever the store's content changes (for caches)."""
        ...

    def audit(
        self,
        action: str,
        *,
        subject: str | None = None,
        details: Mapping[str, object] | None = None,
        reason: str | None = None,
    ) -> None:
        """Record an action (an export, a download, a pack or route generated) in the audit trail.

        A store without an audit trail (the single-user GeoPackage) only logs it.
        """
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

    def versions(self) -> gpd.GeoDataFrame:
        """Return every replaced or stale version of a record (``incident_versions``)."""
        ...

    def quarantine(self) -> pd.DataFrame:
        """Return the quarantined rows."""
        ...

    def import_log(self) -> pd.DataFrame:
        """Return one row per import with its counts."""
        ...

    def reconcile(self) -> Reconciliation:
        """Return per-import counts and whether the store accounts for every record read."""
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
        dry_run: bool = False,
    ) -> ImportCounts:
        """Upsert incidents by ``(source, id)``, append quarantine and log, atomically.

        ``layers`` and ``metadata`` (optional) are written in the same atomic step; with
        ``dry_run`` nothing is written and the counts say what the import would do.
        """
        ...

    def summary(self) -> dict[str, object]:
        """Return counts, date span, last imports and the synthetic flag."""
        ...
