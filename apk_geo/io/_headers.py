r"""Map an export's header to the canonical columns; refuse duplicated and missing columns.

Used by :mod:`apk_geo.io.read` for CSV files and every sheet of a workbook. Header names are
compared folded (:func:`apk_geo.schema.fold`: case, accents, spaces and non-breaking spaces)
after zero-width characters are dropped (:func:`apk_geo.io._text.drop_zero_width`), so
``\u200bKategorie`` is ``Kategorie``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import Final

from apk_geo.errors import InputFileError
from apk_geo.i18n import normalize_lang
from apk_geo.io._messages import msg
from apk_geo.io._text import drop_zero_width
from apk_geo.schema import HEADER_ALIASES, fold

__all__ = [
    "canonical_headers",
    "clean_names",
    "fold_header",
    "header_score",
    "missing_columns",
    "missing_columns_error",
    "missing_labels",
    "refuse_duplicates",
]

logger = logging.getLogger(__name__)


def fold_header(name: object) -> str:
    """Fold a header name for matching: zero-width characters dropped, then :func:`fold`."""
    return fold(drop_zero_width(str(name)))


@functools.cache
def _alias_to_canonical() -> dict[str, str]:
    """Return every folded alias → its canonical column."""
    return {alias: canon for canon, aliases in HEADER_ALIASES.items() for alias in aliases}


def clean_names(header: Sequence[str]) -> list[str]:
    """Return the header names without zero-width characters (otherwise as written)."""
    return [drop_zero_width(str(h)) for h in header]


def header_score(fields: Sequence[str]) -> tuple[int, int]:
    """Score a split header: (number of recognised column names, number of fields)."""
    known = _alias_to_canonical()
    return sum(fold_header(f) in known for f in fields), len(fields)


def refuse_duplicates(header: Sequence[str], *, path: str, lang: str = "cs") -> None:
    """Refuse a header with the same recognised column twice (folded).

    Two ``Kategorie`` columns, or ``Poznámka`` and ``poznamka``: one of them would be dropped.
    Unrecognised names may repeat (they are not read).

    Raises
    ------
    InputFileError
        Naming both columns (positions and texts).
    """
    known = _alias_to_canonical()
    seen: dict[str, int] = {}
    for pos, name in enumerate(header):
        key = fold_header(name)
        if key not in known:
            continue
        if key in seen:
            first = seen[key]
            raise InputFileError(
                msg(
                    "io.error.duplicate_header",
                    lang,
                    first=msg("io.where.column", lang, n=first + 1, name=header[first]),
                    second=msg("io.where.column", lang, n=pos + 1, name=name),
                ),
                path=path,
            )
        seen[key] = pos


def canonical_headers(
    header: Sequence[str], *, path: str, lenient: bool = False, lang: str = "cs"
) -> dict[str, str]:
    """Map each recognised header to its canonical name; refuse two headers of one meaning.

    ``lenient``: keep the first of two headers of one meaning instead of refusing (to judge
    whether a sheet is a data sheet at all). ``lang``: the language of the message.

    Raises
    ------
    InputFileError
        If two different headers mean the same column (``id`` and ``Číslo``).
    """
    known = _alias_to_canonical()
    columns: dict[str, str] = {}
    for name in map(str, header):
        canon = known.get(fold_header(name))
        if canon is None:
            if not lenient:
                logger.info("%s: column %r is not used", path, name)
            continue
        if canon in columns and lenient:
            continue
        if canon in columns:
            raise InputFileError(
                msg(
                    "io.error.same_meaning",
                    lang,
                    first=columns[canon],
                    second=name,
                    meaning=_label(canon, lang),
                ),
                path=path,
            )
        columns[canon] = name
    return columns


def missing_columns(columns: Mapping[str, str]) -> list[str]:
    """Return the required canonical columns an export lacks (id, a date, category, a place)."""
    missing = [c for c in ("id", "category") if c not in columns]
    if "reported_at" not in columns and "date" not in columns:
        missing.append("reported_at (or Datum)")
    for a, b in (("lat", "lon"), ("x", "y")):
        if (a in columns) != (b in columns):
            missing.append(b if a in columns else a)
    if not ({"address", "lat", "x"} & columns.keys()):
        missing.append("address (or lat/lon or x/y)")
    return missing


#: The required columns as :func:`missing_columns` names them → the text key of their label.
_LABELS: Final = {
    "id": "io.column.id",
    "category": "io.column.category",
    "reported_at": "io.column.date",
    "reported_at (or Datum)": "io.column.date",
    "address (or lat/lon or x/y)": "io.column.place",
    "lat": "io.column.lat",
    "lon": "io.column.lon",
    "x": "io.column.x",
    "y": "io.column.y",
}


def _label(column: str, lang: str) -> str:
    """Return the label of a canonical column in ``lang`` (Czech export header first)."""
    key = _LABELS.get(column)
    return msg(key, lang) if key is not None else column


def missing_labels(missing: Sequence[str], lang: str = "cs") -> list[str]:
    """Return the labels of the missing columns (:func:`missing_columns`) in ``lang``.

    Examples
    --------
    >>> missing_labels(["id", "lon"])
    ['Číslo záznamu', 'Zeměpisná délka (lon)']
    """
    return [_label(m, lang) for m in missing]


#: The canonical columns whose headers can stand for a missing column of :func:`missing_columns`.
_STAND_INS: Final = {
    "reported_at (or Datum)": ("reported_at", "date"),
    "address (or lat/lon or x/y)": ("address", "lat", "lon", "x", "y"),
}


def _accepted(missing: str, lang: str) -> str:
    """Return ``label: alias, alias, …``, the headers (folded) accepted for a missing column."""
    aliases = [a for c in _STAND_INS.get(missing, (missing,)) for a in HEADER_ALIASES.get(c, ())]
    return f"{_label(missing, lang)}: {', '.join(dict.fromkeys(aliases))}"


def _quoted(names: Sequence[str], lang: str) -> str:
    """Return header names quoted for a message in ``lang`` (``„a“, „b“`` / ``'a', 'b'``)."""
    pattern = "'{}'" if normalize_lang(lang) == "en" else "„{}“"
    return ", ".join(pattern.format(n) for n in names)


def missing_columns_error(
    missing: Sequence[str], header: Sequence[str], *, path: str, lang: str = "cs"
) -> InputFileError:
    """Return the error of a header that lacks required columns, in ``lang``."""
    accepted = "; ".join(_accepted(m, lang) for m in missing)
    shown = [str(h) for h in header][:20]
    return InputFileError(
        msg(
            "io.error.missing_columns",
            lang,
            n=len(missing),
            columns=", ".join(missing_labels(missing, lang)),
            header=_quoted(shown, lang) or "–",
            accepted=accepted,
        ),
        path=path,
    )
