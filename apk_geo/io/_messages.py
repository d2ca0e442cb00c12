"""The reader's user-facing texts, Czech first, English available (``msg(key, lang, ...)``).

Every text lives in the one catalogue, :data:`apk_geo.i18n.STRINGS`, under ``io.``.

:func:`record_reason` writes the one-line reason of a quarantined record in the user's language,
naming the column as the export's own header has it (``Datum``, ``Kategorie``), not the
canonical field (``reported_at``, ``category``): the validator describes what it expected in
English (the ``expected`` column of the quarantine, stable for programs), and
:func:`expected_text` puts that description into Czech.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

import pandas as pd

from apk_geo import fmt
from apk_geo.i18n import normalize_lang, t
from apk_geo.notes import parse
from apk_geo.schema import label_of

__all__ = ["column_label", "expected_text", "msg", "record_reason"]


def msg(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the reader's text ``key`` in ``lang`` (Czech by default), filled with ``fields``.

    Parameters
    ----------
    key
        An ``io.`` key of :data:`apk_geo.i18n.STRINGS`.
    lang
        ``"cs"`` (default) or ``"en"``.
    **fields
        Values for the ``{name}`` placeholders.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> msg("io.value.fields", "en", n=5)
    '5 fields'
    """
    return t(key, lang, **fields)


def column_label(field: str, columns: Mapping[str, str], lang: str = "cs") -> str:
    """Return the export's own header of the canonical ``field`` (``field`` if it has none).

    ``reported_at`` read from separate date and time columns is ``Datum + Čas``.

    Examples
    --------
    >>> column_label("reported_at", {"date": "Datum", "time": "Čas"})
    'Datum + Čas'
    >>> column_label("category", {"category": "Kategorie"})
    'Kategorie'
    """
    if field in columns:
        return columns[field]
    if field == "reported_at" and "date" in columns:
        if "time" not in columns:
            return columns["date"]
        return msg("io.column.datetime", lang, date=columns["date"], time=columns["time"])
    return field


# English description of the validator (apk_geo.io.validate) → key of its text in any language
_EXPECTED: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"a non-empty record id", "io.expected.id"),
        (r"a date and time like .*", "io.expected.datetime"),
        (r"a date with a time .*", "io.expected.date_with_time"),
        (r"a time on or after (?P<date>\S+)", "io.expected.not_before"),
        (r"a time not in the future \(now is (?P<now>.+)\)", "io.expected.not_future"),
        (r"a category code or label, one of (?P<codes>.+)", "io.expected.category"),
        (r"empty or an outcome code or label, one of (?P<codes>.+)", "io.expected.outcome"),
        (r"a pseudonymous code like .*", "io.expected.assistant"),
        (r"an address or coordinates .*", "io.expected.location"),
        (r"a value because (?P<other>\w+) is given", "io.expected.pair"),
        (r"a number \((?P<what>.+)\)", "io.expected.number"),
        (
            r"a value of magnitude in (?P<lo>\S+)\.\.(?P<hi>\S+) \((?P<what>.+), inside Czechia\)",
            "io.expected.magnitude",
        ),
        (
            r"a point inside the city extent \((?P<extent>[^)]*)\) in some axis order and sign, "
            r"or an address; (?P<why>.*)",
            "io.expected.in_city",
        ),
        (
            r"an id unique within the file \((?P<where>.+) holds a different record with this "
            r"id\)",
            "io.expected.unique_id",
        ),
    )
)
_WHERE: Final = re.compile(r"line (?P<line>\d+)(?: of sheet '(?P<sheet>.*)')?")
_WHAT: Final = {
    "WGS84 degrees, either axis order": "io.what.wgs84",
    "S-JTSK metres, either sign": "io.what.sjtsk",
}


def _decimal(text: str, lang: str) -> str:
    """A number as the validator wrote it (``50.0875``), with a decimal comma in Czech."""
    return text if lang == "en" else text.replace(".", ",")


def _local_time(text: str, lang: str) -> str:
    stamp = pd.to_datetime(text, format="%d.%m.%Y %H:%M", errors="coerce")
    return text if pd.isna(stamp) else fmt.date_time(stamp, lang)


def _why(text: str, lang: str, columns: Mapping[str, str]) -> str:
    """The coordinate check's own reason (:mod:`apk_geo.coords`), rejected pairs translated."""
    notes = parse(text)
    if not notes or notes[-1][0] != "geo.note.outside":
        return text
    found = notes[-1][1]
    pair = "/".join(column_label(found[c], columns, lang) for c in ("col1", "col2"))
    a, b = (_decimal(found[k], lang) for k in ("a", "b"))
    return msg("io.expected.rejected", lang, pair=pair, a=a, b=b)


def _where(text: str, lang: str) -> str:
    found = _WHERE.fullmatch(text)
    if found is None:
        return text
    line = int(found["line"])
    if found["sheet"] is None:
        return msg("io.where.line", lang, line=line)
    return msg("io.where.sheet_line", lang, line=line, sheet=found["sheet"])


def _whole(text: str, lang: str) -> str:
    return fmt.integer(int(text), lang) if text.lstrip("-").isdigit() else _decimal(text, lang)


def _labels(codes: str, kind: str, lang: str) -> str:
    """The codes the validator lists (``dogs, noise``) with their labels in ``lang``."""
    return ", ".join(
        f"{label} ({code})" if (label := label_of(code, kind=kind, lang=lang)) != code else code
        for code in codes.split(", ")
    )


def _fields(
    key: str, found: re.Match[str], lang: str, columns: Mapping[str, str]
) -> dict[str, str]:
    """The translated fields of the description ``found`` of ``key``."""
    parts = {k: v for k, v in found.groupdict().items() if v is not None}
    kind = "outcome" if key == "io.expected.outcome" else "category"
    convert: dict[str, Callable[[str], str]] = {
        "codes": lambda v: _labels(v, kind, lang),
        "date": lambda v: fmt.date(pd.to_datetime(v, format="%d.%m.%Y"), lang),
        "now": lambda v: _local_time(v, lang),
        "other": lambda v: column_label(v, columns, lang),
        "what": lambda v: msg(_WHAT[v], lang) if v in _WHAT else v,
        "lo": lambda v: _whole(v, lang),
        "hi": lambda v: _whole(v, lang),
        "why": lambda v: _why(v, lang, columns),
        "where": lambda v: _where(v, lang),
    }
    return {k: convert[k](v) if k in convert else v for k, v in parts.items()}


def expected_text(expected: str, lang: str = "cs", columns: Mapping[str, str] | None = None) -> str:
    """Return the validator's English description ``expected`` in ``lang``.

    Column names in it become the export's headers (``columns``: canonical → header); a
    description the catalogue does not know is returned as it is.

    Examples
    --------
    >>> expected_text("a value because lat is given", "cs", {"lat": "Šířka"})
    'hodnota, protože je vyplněn sloupec Šířka'
    """
    code, cols = normalize_lang(lang), columns or {}
    for pattern, key in _EXPECTED:
        found = pattern.fullmatch(expected)
        if found is not None:
            return msg(key, code, **_fields(key, found, code, cols))
    return expected


def record_reason(
    field: str,
    value: str,
    expected: str,
    *,
    lang: str = "cs",
    columns: Mapping[str, str] | None = None,
) -> str:
    """Return the one-line reason of a record that failed one check, in ``lang``.

    Parameters
    ----------
    field
        The canonical field checked (``reported_at``).
    value
        The value as it arrived.
    expected
        The validator's English description of what was expected.
    lang
        ``"cs"`` (default) or ``"en"``.
    columns
        Canonical field → the export's header (:attr:`apk_geo.io.read.RawTable.columns`).

    Examples
    --------
    >>> record_reason("category", "UFO", "a category code or label, one of psi",
    ...               columns={"category": "Kategorie"})
    'Kategorie: hodnota „UFO“, očekává se kód nebo název kategorie, jeden z: psi'
    """
    cols = columns or {}
    column = column_label(field, cols, lang)
    what = expected_text(expected, lang, cols)
    if not str(value).strip():
        return msg("io.reason.record_empty", lang, column=column, expected=what)
    return msg("io.reason.record", lang, column=column, value=value, expected=what)
