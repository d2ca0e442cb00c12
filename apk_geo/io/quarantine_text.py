"""The quarantine as a person reads it: the export's own column names, the expectation in Czech.

The store keeps each quarantined row as the validator wrote it (:data:`~apk_geo.schema.
QUARANTINE_COLUMNS`): ``field`` is the canonical field (``reported_at``) and ``expected`` the
English description, both stable for programs; ``reason`` is already in the language of the
import. :func:`quarantine_for_display` turns ``field`` into the header of the user's file
(read back from the row's ``raw`` cells: ``Datum + Čas``, ``Kategorie``) and ``expected`` into
``lang``, for the dashboard's table and the downloads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from apk_geo.io._headers import fold_header
from apk_geo.io._messages import column_label, expected_text
from apk_geo.schema import HEADER_ALIASES

__all__ = ["file_columns", "quarantine_for_display"]


def _aliases() -> dict[str, str]:
    return {alias: canon for canon, names in HEADER_ALIASES.items() for alias in names}


def file_columns(raw: object) -> dict[str, str]:
    """Return canonical field → header of a quarantined row's ``raw`` cells (JSON of the row).

    A row that could not be split (its ``raw`` is a list) has no headers: ``{}``.

    Examples
    --------
    >>> file_columns('{"Číslo záznamu": "1", "Datum": "31.2.2026", "Čas": "8:00"}')
    {'id': 'Číslo záznamu', 'date': 'Datum', 'time': 'Čas'}
    """
    try:
        cells = json.loads(str(raw))
    except ValueError:
        return {}
    if not isinstance(cells, Mapping):
        return {}
    known = _aliases()
    columns: dict[str, str] = {}
    for header in cells:
        canon = known.get(fold_header(header))
        if canon is not None and canon not in columns:
            columns[canon] = str(header)
    return columns


def quarantine_for_display(frame: pd.DataFrame, lang: str = "cs") -> pd.DataFrame:
    """Return a copy of the quarantine ``frame`` with ``field`` and ``expected`` for people.

    Parameters
    ----------
    frame
        Quarantined rows (at least ``field``, ``expected`` and ``raw``), e.g.
        :meth:`apk_geo.store.IncidentStore.quarantine`.
    lang
        ``"cs"`` (default) or ``"en"``: the language of ``expected``.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns; ``field`` is the header of the user's file where the row's
        cells name it (else the canonical name, e.g. ``row`` for a row that could not be split),
        ``expected`` is in ``lang``. The input is not changed.
    """
    out = frame.copy()
    if out.empty or not {"field", "expected", "raw"} <= set(out.columns):
        return out
    columns = [file_columns(r) for r in out["raw"].tolist()]
    fields = out["field"].astype(str).tolist()
    out["field"] = [column_label(f, cols, lang) for f, cols in zip(fields, columns, strict=True)]
    out["expected"] = [
        expected_text(str(e), lang, cols)
        for e, cols in zip(out["expected"].tolist(), columns, strict=True)
    ]
    return out
