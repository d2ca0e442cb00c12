"""The audit trail of a PostGIS store (``apk.audit``): append-only, read by administrators.

Rows are written only by the security-definer function ``apk.audit_write`` (the store, the
sign-in and the user, retention and migration functions call it), with ``who`` the signed-in
user as PostgreSQL knows it — never a value the caller passes. No role, not even the owner, may
update, delete or truncate the table (privileges revoked and a trigger that refuses).

Recorded: sign-in, failed and throttled sign-ins, sign-out and idle time-outs; every import with
its counts; reads of incident-level data (incidents, versions, the raw quarantine); exports,
downloads, packs and routes (:meth:`apk_geo.store.IncidentStore.audit`); user changes; settings;
retention runs; schema migrations and GeoPackage migrations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Final

import pandas as pd

from apk_geo import fmt
from apk_geo.errors import ParameterError
from apk_geo.i18n import STRINGS, t
from apk_geo.store import _messages
from apk_geo.store.pg import connect, display_location, fetch_frame
from apk_geo.times import as_timestamp

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_COLUMNS",
    "action_text",
    "details_text",
    "read_audit",
    "subject_text",
]

#: A date or date-time the audit filters take.
When = pd.Timestamp | date | str

#: The actions ``apk.audit`` accepts: its ``CHECK (action IN (…))`` in ``sql/0002_security.sql``,
#: in that order (``tests/test_audit.py`` checks both the SQL file and a live database).
AUDIT_ACTIONS: Final = (
    "init", "migrate", "import", "layers", "export", "download", "pack", "route",
    "read_incidents", "read_versions", "read_quarantine", "page_view",
    "signin", "signin_failed", "signin_throttled", "signout", "timeout",
    "user_add", "user_disable", "user_enable", "user_areas", "retention", "settings",
)  # fmt: skip

#: Columns of :func:`read_audit`.
AUDIT_COLUMNS: Final = (
    "audit_id",
    "at",
    "who",
    "action",
    "subject",
    "details",
    "reason",
    "client",
    "addr",
)


def read_audit(
    url: str,
    *,
    user: str | None = None,
    since: When | None = None,
    until: When | None = None,
    action: str | None = None,
    limit: int | None = 1000,
) -> pd.DataFrame:
    """Return audit rows, newest first.

    Parameters
    ----------
    url
        The store, as an administrator (others get "permission denied").
    user
        Keep rows by this user or about them (``who`` or ``subject``: a failed sign-in is
        written by the sign-in gate about the user).
    since, until
        Keep ``since <= at < until`` (dates or date-times; naive ones are Europe/Prague).
    action
        Keep one action (``import``, ``signin_failed`` …).
    limit
        At most this many rows (``None``: all).

    Returns
    -------
    pandas.DataFrame
        :data:`AUDIT_COLUMNS`; ``at`` tz-aware Europe/Prague, ``details`` as JSON text.

    Raises
    ------
    ParameterError
        If a date cannot be read or ``limit`` is not positive.
    StoreError
        If the role may not read the audit trail.
    """
    where, params = _conditions(user=user, since=since, until=until, action=action)
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ParameterError(f"limit must be a whole number >= 1, got {limit!r}")
    query = (
        "SELECT audit_id, at, who, action, subject, details, reason, client, host(addr) AS addr "
        f"FROM apk.audit WHERE {where} ORDER BY at DESC, audit_id DESC"
        + ("" if limit is None else f" LIMIT {int(limit)}")
    )
    location = display_location(url)
    with connect(url, where=location, doing=_messages.doing("audit_read")) as conn:
        frame = fetch_frame(conn, query, params)
    out = frame.reindex(columns=list(AUDIT_COLUMNS))
    out["at"] = pd.to_datetime(out["at"], utc=True).dt.tz_convert("Europe/Prague")
    out["details"] = [json.dumps(d, ensure_ascii=False) for d in out["details"]]
    return out


def _conditions(
    *, user: str | None, since: When | None, until: When | None, action: str | None
) -> tuple[str, list[object]]:
    parts: list[str] = ["TRUE"]
    params: list[object] = []
    if user is not None:
        parts.append("(who = %s OR subject = %s)")
        params += [user, user]
    if since is not None:
        parts.append("at >= %s")
        params.append(as_timestamp(since, name="since").to_pydatetime())
    if until is not None:
        parts.append("at < %s")
        params.append(as_timestamp(until, name="until").to_pydatetime())
    if action is not None:
        parts.append("action = %s")
        params.append(action)
    return " AND ".join(parts), params


def details_text(details: object, lang: str = "cs") -> str:
    """Return an audit row's details as people read them (``stránka: presenter; formát: html``).

    ``details`` is the JSON text of :func:`read_audit` (or its parsed value). Known keys are
    named in ``lang`` (``admin.detail.*``), unknown ones as stored; a role by its name
    (``prezentující``); numbers in ``lang``'s
    style, truth values ``ano``/``ne``, lists joined by commas, a nested object in brackets.
    Text that is not JSON is returned as it is. The stored row is unchanged (the CSV download
    keeps the JSON).

    Examples
    --------
    >>> details_text('{"page": "presenter", "format": "html", "pack_id": 1}')
    'stránka: presenter; formát: html; podklady č.: 1'
    >>> details_text('{"rows": 1234, "filters": {"districts": ["Poruba", "Jih"]}}', "en")
    'rows: 1,234; filters: (city districts: Poruba, Jih)'
    """
    value = details
    if isinstance(details, str):
        try:
            value = json.loads(details)
        except ValueError:
            return details
    if not isinstance(value, Mapping):
        return _detail_value(value, lang)
    return "; ".join(_detail_pairs(value, lang))


#: What the dashboard names as an audit subject (``routes.week``) and its ``admin.subject.`` key.
_SUBJECTS: Final = ("routes.route", "routes.week", "map.points", "data.quarantine", "quarantine")
_PACK_SUBJECT: Final = re.compile(r"^pack (?P<area>.+) (?P<month>\d{4}-\d{2})$")
_TABLE_SUBJECT: Final = re.compile(
    r"^hotspots(?P<synthetic>_synthetic)?_(?P<method>[a-z]+)_table(?:\.(?P<fmt>csv|xlsx))?$"
)


def action_text(action: object, lang: str = "cs") -> str:
    """Return an audit action in words (``signin`` → ``přihlášení``); an unknown one as stored.

    Examples
    --------
    >>> action_text("signin"), action_text("download", "en"), action_text("other")
    ('přihlášení', 'download', 'other')
    """
    text = str(action)
    return t(f"admin.act.{text}", lang) if text in AUDIT_ACTIONS else text


def subject_text(subject: object, lang: str = "cs") -> str:
    """Return an audit row's subject as people read it (``routes.week`` → ``týdenní plán``).

    The dashboard's subjects are named in ``lang``: its pages and tables, a download with its
    format, a published pack with its area and month. Anything else (a user name, a file, a
    shift's start) is returned as stored; the stored row is unchanged.

    Examples
    --------
    >>> subject_text("routes.week"), subject_text("quarantine.xlsx", "en")
    ('týdenní plán', 'quarantine (XLSX)')
    >>> subject_text("pack Poruba 2024-06")
    'podklady Poruba, červen 2024'
    >>> subject_text("hotspots_gistar_table.csv", "en")
    'hotspot table: Getis-Ord Gi* on a grid (CSV)'
    """
    if not isinstance(subject, str):
        return "" if subject is None or pd.isna(subject) else str(subject)  # type: ignore[call-overload]
    text = subject
    stem, dot, ext = text.rpartition(".")
    if dot and ext in ("csv", "xlsx") and stem in _SUBJECTS:
        what = t(f"admin.subject.{stem}", lang)
        return t("admin.subject.file", lang, what=what, fmt=ext.upper())
    if text in _SUBJECTS:
        return t(f"admin.subject.{text}", lang)
    pack = _PACK_SUBJECT.match(text)
    if pack:
        month = pd.Period(pack["month"], freq="M")
        return t("admin.subject.pack", lang, area=pack["area"], month=month)
    table = _TABLE_SUBJECT.match(text)
    if table and f"hot.method_{table['method']}" in STRINGS:
        what = t("admin.subject.table", lang, method=t(f"hot.method_{table['method']}", lang))
        if table["synthetic"]:
            what = t("admin.subject.synthetic", lang, what=what)
        if not table["fmt"]:
            return what
        return t("admin.subject.file", lang, what=what, fmt=table["fmt"].upper())
    return text


def _detail_pairs(value: Mapping[str, object], lang: str) -> list[str]:
    return [
        f"{_detail_key(str(k), lang)}: {_detail_value(v, lang, str(k))}" for k, v in value.items()
    ]


def _detail_key(key: str, lang: str) -> str:
    return t(f"admin.detail.{key}", lang) if f"admin.detail.{key}" in STRINGS else key


def _detail_value(value: object, lang: str, key: str = "") -> str:
    if key in ("tier", "role") and f"auth.role.{value}" in STRINGS:  # prezentující, správce
        return t(f"auth.role.{value}", lang)
    if key == "areas" and value == []:  # a user of no listed area is one of all areas
        return t("admin.all", lang)
    if value is None or isinstance(value, bool | int | float):
        return fmt.scalar(value, lang)
    if isinstance(value, Mapping):
        return f"({'; '.join(_detail_pairs(value, lang))})"
    if isinstance(value, list | tuple):
        return ", ".join(_detail_value(v, lang) for v in value) or fmt.MISSING
    return str(value)
