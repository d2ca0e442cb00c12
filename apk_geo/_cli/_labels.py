"""Summaries of the command line for people: labels in the user's language, numbers by fmt.

``apk-geo status``, ``ingest`` and ``quarantine`` print a short aligned table whose labels are
the ``cli.key.`` strings of the catalogue (:mod:`apk_geo.i18n`) and whose values are formatted
in the same language (:mod:`apk_geo.fmt`: ``1 234``, ``1. 12. 2026 05:04``, ``ano``/``ne``).
Their ``--json`` output is not touched: its keys stay the English machine names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from apk_geo import fmt
from apk_geo.i18n import t
from apk_geo.times import to_local

__all__ = ["counts_line", "label", "print_table", "value_text"]


def label(key: str, lang: str) -> str:
    """Return the label of the summary key ``key`` in ``lang`` (the key itself if unknown)."""
    try:
        return t(f"cli.key.{key}", lang)
    except KeyError:
        return key


def _when(value: str, lang: str) -> str:
    """An ISO time (with or without offset) as local date and time in ``lang``."""
    try:
        local = to_local(pd.Series([value]), name="time").iloc[0]
    except ValueError:
        return value
    return fmt.date_time(local.tz_localize(None), lang)


def value_text(key: str, value: object, lang: str) -> str:
    r"""Return a summary value as a person reads it in ``lang``.

    Whole numbers are grouped (``1 234``), truth values are ``ano``/``ne``, ``date_from``,
    ``date_to`` and ``imported_at`` are local date and time, lists are joined with commas and a
    missing value is ``–``.

    Examples
    --------
    >>> value_text("incidents", 12345, "cs")
    '12\xa0345'
    >>> value_text("synthetic", False, "en")
    'no'
    """
    if value is None or isinstance(value, bool | int | float):
        return fmt.scalar(value, lang)
    if key in ("date_from", "date_to", "imported_at"):
        return _when(str(value), lang)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ", ".join(map(str, value)) if value else fmt.MISSING
    return str(value)


def counts_line(counts: Mapping[str, object], lang: str) -> str:
    """Return counts as one line: ``načteno 6, přijato 4, …`` (``read 6, accepted 4, …``)."""
    return ", ".join(f"{label(k, lang)} {value_text(k, v, lang)}" for k, v in counts.items())


def print_table(summary: Mapping[str, object], *, title: str, lang: str) -> None:
    """Print ``title`` and ``summary`` as an aligned table of labels and values in ``lang``."""
    rows = [(label(k, lang), value_text(k, v, lang)) for k, v in summary.items()]
    print(title)
    width = max((len(name) for name, _ in rows), default=0)
    for name, text in rows:
        print(f"  {name.ljust(width)}  {text}")
