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

from apk_geo.errors import InputFileError
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


def canonical_headers(header: Sequence[str], *, path: str, lenient: bool = False) -> dict[str, str]:
    """Map each recognised header to its canonical name; refuse two headers of one meaning.

    ``lenient``: keep the first of two headers of one meaning instead of refusing (to judge
    whether a sheet is a data sheet at all).

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
                f"columns {columns[canon]!r} and {name!r} both mean {canon!r}; "
                "rename or delete one of them",
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


def missing_columns_error(
    missing: Sequence[str], header: Sequence[str], *, path: str
) -> InputFileError:
    """Return the error of a header that lacks required columns."""
    accepted = ", ".join(f"{c}: {'/'.join(HEADER_ALIASES[c][:2])}" for c in HEADER_ALIASES)
    return InputFileError(
        f"missing required column(s) {', '.join(missing)}; the file has "
        f"{[str(h) for h in header][:20]}; accepted headers (folded) include {accepted}. "
        "Is this an incident export, and is the delimiter or encoding right "
        "(--delimiter, --encoding)?",
        path=path,
    )
