"""The MDT page of a database store: the packs published for presenters, nothing else.

A presenter's role may read no incident (PostgreSQL refuses it), so in database mode the MDT
page never builds a pack from incidents for them: it lists the packs a mentor published
(``apk-geo report --publish``, :func:`apk_geo.db.publish_pack`) that the role may read
(row-level security: presenter tier, the user's MDT areas), shows the chosen one as it was
published (its HTML) and offers its HTML and PDF; each download is audited (``download``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pandas as pd
import streamlit as st

from apk_geo import fmt, reports
from apk_geo.db import PublishedPack, list_packs, publish_pack, read_pack
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.schema import fold
from apk_geo.store import error_text
from app_pages import _common as c

logger = logging.getLogger("apk_geo.dashboard")

K_AREA = "published_area"
K_MONTH = "published_month"
#: Height of the pack's frame in pixels (the pack scrolls inside it).
PACK_HEIGHT_PX = 1500


def conninfo() -> str:
    """Return the signed-in user's connection string (the packs are read as them)."""
    session = c.signed_in()
    return "" if session is None else str(session.conninfo)


@st.cache_data(max_entries=16, show_spinner=False)
def _pack(_url: str, user: str, pack_id: int, created_at: str) -> PublishedPack | None:
    """Return a published pack (cached per user and version: a re-published pack is new)."""
    return read_pack(_url, pack_id)


def _audit_download(pack: PublishedPack, fmt: str) -> None:
    c.audit(
        "download",
        f"pack {pack.area} {pack.month}",
        pack_id=pack.pack_id,
        format=fmt,
        page="presenter",
    )


def _choose(packs: pd.DataFrame, lang: str) -> pd.Series:
    """Let the user pick an area and a month among the published packs; return its row."""
    areas = list(dict.fromkeys(packs["area"].astype(str)))
    left, right = st.columns(2)
    area = left.selectbox(t("packs.area", lang), areas, key=K_AREA)
    of_area = packs[packs["area"] == area]
    months = list(dict.fromkeys(of_area["month"].astype(str)))
    label = {m: reports.month_label(pd.Period(m, freq="M"), lang) for m in months}
    month = right.selectbox(
        reports.text("ui.month", lang), months, key=K_MONTH, format_func=label.__getitem__
    )
    rows = of_area[of_area["month"] == month]
    preferred = rows[rows["lang"] == lang]  # the pack in the page's language, if published
    return (preferred if len(preferred) else rows).iloc[0]


def draw(lang: str) -> None:
    """Draw the published packs the signed-in user may read."""
    url = conninfo()
    try:
        packs = list_packs(url)
    except ApkGeoError as exc:
        logger.warning("published packs not listed: %s", exc)
        st.error(t("packs.list_failed", lang, reason=error_text(exc, lang)))
        return
    if packs.empty:
        st.info(t("packs.none", lang))
        return
    row = _choose(packs, lang)
    pack = _pack(url, c.user_name(), int(row["pack_id"]), str(row["created_at"]))
    if pack is None:  # withdrawn (or no longer readable) since the list was read
        st.info(t("packs.none", lang))
        return
    st.header(pack.area)
    when = pd.Timestamp(row["created_at"]).tz_convert("Europe/Prague")
    st.caption(
        f"{reports.month_label(pd.Period(pack.month, freq='M'), lang)} · "
        + t("packs.published_by", lang, user=row["created_by"], when=fmt.date_time(when, lang))
    )
    _downloads(pack, lang)
    if pack.html:
        st.iframe(pack.html, height=PACK_HEIGHT_PX)


def _downloads(pack: PublishedPack, lang: str) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(pack.area)).strip("-") or "area"
    name = f"{slug}_{pack.month}{'_en' if pack.lang == 'en' else ''}"  # as apk-geo report
    a, b = st.columns(2)
    if pack.html:
        a.download_button(
            reports.text("ui.download_html", lang), pack.html, f"{name}.html", "text/html",
            key="published_html", on_click=_audit_download, args=(pack, "html"),
        )  # fmt: skip
    if pack.pdf:
        b.download_button(
            reports.text("ui.download_pdf", lang), pack.pdf, f"{name}.pdf", "application/pdf",
            key="published_pdf", on_click=_audit_download, args=(pack, "pdf"),
        )  # fmt: skip


def publish(pack: reports.Pack, *, renderer: Any | None = None) -> int:
    """Publish ``pack`` (presenter tier) as the signed-in user: HTML and PDF; return its id.

    Raises
    ------
    StoreError
        If the role may not publish (the database decides: mentors, for their areas).
    """
    return publish_pack(
        conninfo(),
        area=pack.area,
        month=str(pack.month),
        html=reports.render_html(pack),
        pdf=reports.render_pdf(pack, renderer=renderer),
        tier=pack.tier,
        lang=pack.lang,
        reason=getattr(c.signed_in(), "reason", None),
    )
