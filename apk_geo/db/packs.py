"""Packs published for presenters (``apk.published_packs``).

A presenter has no access to incidents, the quarantine or versions; what they show partners is
a pack that a mentor or an administrator built with disclosure control (the presenter tier of
:mod:`apk_geo.reports`) and published here. Row-level security lets presenters read only packs
of tier ``presenter`` (and of their MDT areas, when they are limited to some). Publishing is
audited (``pack``); a download by the page is audited by the page (``download``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

import pandas as pd

from apk_geo.store import _messages
from apk_geo.store.pg import connect, display_location, fetch_frame

__all__ = [
    "PACK_COLUMNS",
    "PublishedPack",
    "list_packs",
    "may_publish",
    "publish_pack",
    "read_pack",
]

#: Columns of :func:`list_packs`.
PACK_COLUMNS: Final = (
    "pack_id",
    "area",
    "month",
    "tier",
    "lang",
    "created_by",
    "created_at",
    "has_html",
    "has_pdf",
)


@dataclass(frozen=True)
class PublishedPack:
    """One published pack's content."""

    pack_id: int
    area: str
    month: str
    lang: str
    html: str | None
    pdf: bytes | None
    data: dict[str, object] | None


def publish_pack(
    url: str,
    *,
    area: str,
    month: str,
    html: str | None = None,
    pdf: bytes | None = None,
    data: dict[str, object] | None = None,
    tier: str = "presenter",
    lang: str = "cs",
    reason: str | None = None,
) -> int:
    """Store (or replace) the pack of ``area`` and ``month`` (``YYYY-MM``); return its id.

    Raises
    ------
    StoreError
        If the role may not publish (only mentors and administrators may, for their areas).
    """
    first_day = f"{month}-01"
    where = display_location(url)
    with connect(
        url, where=where, doing=_messages.doing("publish", area=area, month=month)
    ) as conn:
        row = conn.execute(
            "INSERT INTO apk.published_packs (area, month, tier, lang, html, pdf, json) "
            "VALUES (%s, %s::date, %s, %s, %s, %s, %s::jsonb) "
            "ON CONFLICT (area, month, tier, lang) DO UPDATE SET html = EXCLUDED.html, "
            "pdf = EXCLUDED.pdf, json = EXCLUDED.json, created_by = session_user, "
            "created_at = clock_timestamp() RETURNING pack_id",
            [area, first_day, tier, lang, html, pdf, None if data is None else json.dumps(data)],
        ).fetchone()
        pack_id = int(row[0]) if row else 0
        conn.execute(
            "SELECT apk.audit_write('pack', %s, %s::jsonb, %s, NULL)",
            [
                f"{area} {month}",
                json.dumps(
                    {"pack_id": pack_id, "tier": tier, "lang": lang, "pdf": pdf is not None}
                ),
                reason,
            ],
        )
    return pack_id


def may_publish(url: str) -> bool:
    """Return whether the URL's role may publish packs (mentors and administrators may).

    Row-level security may still refuse a pack of an MDT area the user is not given.
    """
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("publishers")) as conn:
        row = conn.execute("SELECT has_table_privilege('apk.published_packs', 'INSERT')").fetchone()
    return bool(row and row[0])


def list_packs(url: str, *, area: str | None = None) -> pd.DataFrame:
    """Return the packs the role may read (:data:`PACK_COLUMNS`), newest month first."""
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("packs")) as conn:
        frame = fetch_frame(
            conn,
            "SELECT pack_id, area, to_char(month, 'YYYY-MM') AS month, tier, lang, created_by, "
            "created_at, html IS NOT NULL AS has_html, pdf IS NOT NULL AS has_pdf "
            "FROM apk.published_packs WHERE (%s::text IS NULL OR area = %s) "
            "ORDER BY month DESC, area, lang",
            [area, area],
        )
    return frame.reindex(columns=list(PACK_COLUMNS))


def read_pack(url: str, pack_id: int) -> PublishedPack | None:
    """Return the pack ``pack_id`` (``None`` if it does not exist or the role may not read it)."""
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("pack", pack_id=pack_id)) as conn:
        row = conn.execute(
            "SELECT pack_id, area, to_char(month, 'YYYY-MM'), lang, html, pdf, json "
            "FROM apk.published_packs WHERE pack_id = %s",
            [pack_id],
        ).fetchone()
    if row is None:
        return None
    return PublishedPack(
        pack_id=int(row[0]),
        area=str(row[1]),
        month=str(row[2]),
        lang=str(row[3]),
        html=row[4],
        pdf=None if row[5] is None else bytes(row[5]),
        data=row[6],
    )
