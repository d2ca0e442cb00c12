"""Retention of a PostGIS store: what happens to incidents past the retention period.

``apk.run_retention`` (a security-definer function an administrator may run; it takes the
import lock, so it never interleaves with an import) finds the incidents reported more than
``years`` ago and

* deletes their kept versions and the quarantine rows imported before the cutoff (both hold
  notes and the raw cells of the export);
* **anonymises** them (the default): the note, assistant, address, RÚIAN point, geocoding reason
  and record hash are removed, the source system's id is replaced by its md5, and the point moves
  to the centre of its 250 m cell; time, category, outcome, district, MDT area, SVL and hostel
  stay, so the packs, the trends and the hotspot history still count them; or
* **deletes** them, after adding them to ``apk.incident_aggregates`` (counts per month, area,
  district, category, outcome, SVL, hostel and 250 m cell);
* keeps their keys (``apk.tombstones``), so an old export imported again brings nothing of them
  back (its records count as duplicates);
* records the run (``apk.retention_runs``, which :meth:`~apk_geo.store.IncidentStore.reconcile`
  accounts for) and audits it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Final, Literal

import pandas as pd

from apk_geo.errors import ParameterError, StoreError
from apk_geo.store import _messages
from apk_geo.store.pg import connect, display_location

__all__ = ["MODES", "RetentionResult", "retention_settings", "run_retention", "set_retention"]

#: What retention does with an incident past the period.
MODES: Final = ("anonymise", "delete")
RetentionMode = Literal["anonymise", "delete"]


@dataclass(frozen=True)
class RetentionResult:
    """What a retention run did (or, with ``dry_run``, would do)."""

    cutoff: pd.Timestamp
    years: int
    mode: str
    dry_run: bool
    incidents_anonymised: int
    incidents_deleted: int
    versions_deleted: int
    quarantine_deleted: int

    def as_dict(self) -> dict[str, object]:
        """Return the result as JSON-ready values."""
        out = asdict(self)
        out["cutoff"] = self.cutoff.isoformat()
        return out


def retention_settings(url: str) -> dict[str, str]:
    """Return the stored ``retention_years`` and ``retention_mode`` (those that are set)."""
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("retention_read")) as conn:
        rows = conn.execute(
            "SELECT key, value FROM apk.settings WHERE key IN ('retention_years', 'retention_mode')"
        ).fetchall()
    return {str(k): str(v) for k, v in rows}


def set_retention(
    url: str, *, years: int, mode: RetentionMode = "anonymise", reason: str | None = None
) -> None:
    """Store the retention period and mode (what ``apk-geo db retention`` uses by default)."""
    _check(years, mode)
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("retention_set")) as conn:
        conn.execute("SELECT apk.set_setting('retention_years', %s, %s)", [str(years), reason])
        conn.execute("SELECT apk.set_setting('retention_mode', %s, %s)", [mode, reason])


def run_retention(
    url: str,
    *,
    older_than_years: int | None = None,
    mode: RetentionMode | None = None,
    dry_run: bool = False,
    reason: str | None = None,
) -> RetentionResult:
    """Anonymise or delete the incidents reported more than ``older_than_years`` years ago.

    Parameters
    ----------
    url
        The store, as an administrator (or its owner).
    older_than_years
        The retention period; default: the stored setting (:func:`set_retention`).
    mode
        ``"anonymise"`` or ``"delete"`` (see the module docstring); default: the stored
        setting, else ``"anonymise"``.
    dry_run
        Count what would be done and change nothing (the run is audited as a dry run).
    reason
        Recorded in the audit trail.

    Returns
    -------
    RetentionResult

    Raises
    ------
    ParameterError
        If no period is given or stored, or the period or mode is not valid.
    StoreError
        If the role may not run retention.
    """
    settings = retention_settings(url)
    years = older_than_years
    if years is None and "retention_years" in settings:
        years = int(settings["retention_years"])
    if years is None:
        raise ParameterError(
            "no retention period: pass --older-than-years N (or store one with "
            "apk-geo db retention --set-years N)"
        )
    chosen = mode or settings.get("retention_mode", "anonymise")
    _check(years, chosen)
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("retention_run")) as conn:
        row = conn.execute(
            "SELECT cutoff, incidents_anonymised, incidents_deleted, versions_deleted, "
            "quarantine_deleted FROM apk.run_retention(%s, %s, %s, %s)",
            [years, chosen, dry_run, reason],
        ).fetchone()
    if row is None:  # pragma: no cover - the function always returns one row
        raise StoreError(f"{where}: retention returned nothing")
    cutoff, anonymised, deleted, versions, quarantine = row
    return RetentionResult(
        cutoff=pd.Timestamp(cutoff).tz_convert("Europe/Prague"),
        years=years,
        mode=chosen,
        dry_run=dry_run,
        incidents_anonymised=int(anonymised),
        incidents_deleted=int(deleted),
        versions_deleted=int(versions),
        quarantine_deleted=int(quarantine),
    )


def _check(years: object, mode: object) -> None:
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100:
        raise ParameterError(f"retention period: expected 1 to 100 years, got {years!r}")
    if mode not in MODES:
        raise ParameterError(f"retention mode {mode!r}: expected one of {', '.join(MODES)}")
