"""Table downloads of the dashboard: every table as CSV for Czech Excel/LibreOffice and as XLSX.

:func:`table_downloads` draws two buttons side by side. Both files come from the product's one
table writer (:func:`apk_geo.io.table_bytes`): CSV as UTF-8 with BOM, ``;`` and decimal comma,
Czech headers and values in Czech (``,`` and decimal point, English in English); XLSX with real
number and date cells. The bytes are made when the button is clicked (Streamlit's deferred
download data), so a page does not build an Excel workbook on every rerun. Downloads of
incident-level data name an ``audit_subject`` and are recorded in the audit trail of a
database store (:func:`app_pages._common.audit`), as every such download is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

import pandas as pd
import streamlit as st

from apk_geo import io
from apk_geo.i18n import t
from app_pages import _common as c

_MIME: Final = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_downloads(
    frame: pd.DataFrame,
    stem: str,
    lang: str,
    *,
    what: str = "download.what_table",
    audit_subject: str | None = None,
    labels: bool = True,
    key: str | None = None,
) -> None:
    """Draw a CSV and an XLSX download button of ``frame``.

    Parameters
    ----------
    frame
        The table with its internal column names (the writer translates headers and values).
    stem
        File name without the suffix (``quarantine`` → ``quarantine.csv``, ``quarantine.xlsx``).
    lang
        ``"cs"`` or ``"en"``: the buttons, the headers, values and the CSV style.
    what
        Key of the noun the buttons name (``download.what_quarantine`` → "Stáhnout
        karanténu (CSV)").
    audit_subject
        Set for incident-level data: the download is recorded as ``download`` of
        ``<audit_subject>.<csv|xlsx>``.
    labels
        Translate headers and coded values (``False`` for a table whose columns are already
        display names).
    key
        Prefix of the buttons' widget keys (default ``stem``).
    """
    noun = t(what, lang)
    code: Literal["cs", "en"] = "en" if lang == "en" else "cs"
    formats: tuple[Literal["csv", "xlsx"], ...] = ("csv", "xlsx")
    for col, fmt in zip(st.columns(len(formats)), formats, strict=True):
        name = f"{stem}.{fmt}"
        audit = {"on_click": c.audit, "args": ("download", f"{audit_subject}.{fmt}")}
        col.download_button(
            t(f"download.{fmt}", lang, what=noun),
            _bytes(frame, fmt=fmt, lang=code, labels=labels),
            name,
            _MIME[fmt],
            key=f"download.{key or stem}.{fmt}",
            help=t(f"download.help_{fmt}", lang),
            **(audit if audit_subject else {"on_click": "ignore"}),
        )


def _bytes(
    frame: pd.DataFrame, *, fmt: Literal["csv", "xlsx"], lang: Literal["cs", "en"], labels: bool
) -> Callable[[], bytes]:
    """Return a callable that makes the file's bytes when the button is clicked."""
    table = frame.copy()

    def make() -> bytes:
        return io.table_bytes(table, fmt=fmt, lang=lang, labels=labels)

    return make
