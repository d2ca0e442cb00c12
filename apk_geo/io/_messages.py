"""The reader's user-facing texts, Czech first, English available (``msg(key, lang, ...)``).

Every text lives in the one catalogue, :data:`apk_geo.i18n.STRINGS`, under ``io.``. Until the
coordinator has moved them there, the texts of the reader's integrity checks are kept here in
:data:`_PENDING_STRINGS` (**temporary**: each key moves to ``apk_geo/i18n.py`` unchanged, and
this dict then empties); :func:`msg` prefers the catalogue, so moving a key changes nothing.
"""

from __future__ import annotations

from typing import Final

from apk_geo.i18n import STRINGS, normalize_lang, t

__all__ = ["msg"]

#: TEMPORARY — keys for apk_geo/i18n.py: key → (Czech, English). Both hold the same fields.
_PENDING_STRINGS: Final[dict[str, tuple[str, str]]] = {
    # where a record is
    "io.where.column": ("sloupec {n} („{name}“)", "column {n} ('{name}')"),
    # row reasons in the quarantine (field "row")
    "io.value.fields": ("{n} polí", "{n} fields"),
    "io.expected.fields": ("{n} polí jako v záhlaví", "{n} fields as in the header"),
    "io.expected.closed_quote": (
        "uvozovky uzavřené v rámci záznamu",
        "a quote that closes within the record",
    ),
    "io.reason.unclosed_quote": (
        "neuzavřené uvozovky: {column} otevírá uvozovky, které se neuzavřou před dalším "
        "záznamem (řádek {next_line}); záznam je v karanténě, následující záznamy jsou načteny",
        "unclosed quote: {column} opens a quote that does not close before the next "
        "record (line {next_line}); the record is quarantined, the records after it are read",
    ),
    "io.reason.unclosed_quote_eof": (
        "neuzavřené uvozovky: {column} otevírá uvozovky, které se do konce souboru "
        "neuzavřou (zkrácený soubor?)",
        "unclosed quote: {column} opens a quote that does not close before the end of "
        "the file (a truncated file?)",
    ),
    "io.reason.too_few_fields": (
        "příliš málo polí: {got}, záhlaví má {expected} (chybí pole {missing})",
        "too few fields: got {got}, expected {expected} as in the header (missing {missing})",
    ),
    "io.reason.too_many_fields": (
        "příliš mnoho polí: {got}, záhlaví má {expected} (není {delimiter!r} uvnitř hodnoty bez "
        "uvozovek?)",
        "row: got {got} fields, expected {expected} as in the header (is a {delimiter!r} inside "
        "an unquoted value?)",
    ),
    "io.reason.truncated_last_line": (
        "zkrácený poslední řádek: {got} polí z {expected} a bez konce řádku (soubor je useknutý?)",
        "truncated last line: {got} of {expected} fields and no line ending (is the file cut "
        "short?)",
    ),
    "io.reason.formula": (
        "vzorec bez uložené hodnoty v buňce {cell} ({formula}); otevřete sešit v Excelu, nechte "
        "vzorce přepočítat a uložte ho",
        "formula without a cached value in cell {cell} ({formula}); open the workbook in Excel, "
        "let it recalculate and save it",
    ),
    "io.expected.formula_value": (
        "hodnota (buňka obsahuje vzorec bez uložené hodnoty)",
        "a value (the cell holds a formula without a cached value)",
    ),
    # sheets of a workbook
    "io.sheet.missing_columns": (
        "chybí povinné sloupce: {columns}",
        "missing required columns: {columns}",
    ),
    "io.column.id": ("Číslo záznamu", "id (Číslo záznamu)"),
    "io.column.category": ("Kategorie", "category (Kategorie)"),
    "io.column.date": ("Datum", "reported_at (or Datum)"),
    "io.column.place": ("Adresa (nebo lat/lon či x/y)", "address (or lat/lon or x/y)"),
    "io.sheet.empty": ("prázdný list", "empty sheet"),
    "io.sheet.not_worksheet": ("není to list s tabulkou (graf)", "not a worksheet (a chart)"),
    "io.error.no_data_sheet": (
        "žádný list sešitu nemá záhlaví exportu událostí ({sheets}); sloupce Číslo záznamu, "
        "Datum, Kategorie a Adresa (nebo souřadnice) musí být v prvním řádku listu",
        "no sheet of the workbook has the header of an incident export ({sheets}); the columns "
        "Číslo záznamu, Datum, Kategorie and Adresa (or coordinates) must be in the first row of "
        "a sheet",
    ),
    # headers
    "io.error.duplicate_header": (
        "záhlaví má dvakrát stejný sloupec: {first} a {second} (po sjednocení velikosti písmen, "
        "diakritiky a neviditelných znaků); přejmenujte nebo smažte jeden z nich, jinak by se "
        "data jednoho ztratila",
        "the header has the same column twice: {first} and {second} (ignoring case, accents and "
        "invisible characters); rename or delete one of them, or the data of one would be lost",
    ),
    "io.error.header_unclosed_quote": (
        "záhlaví (řádek 1) má neuzavřené uvozovky; opravte první řádek souboru",
        "the header (line 1) has an unclosed quote; fix the first line of the file",
    ),
    # encodings
    "io.error.encoding_unknown": (
        "neznámé kódování {name!r} (--encoding); použijte např. utf-8, utf-8-sig nebo cp1250",
        "unknown encoding {name!r} (--encoding); use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "io.error.encoding_not_text": (
        "{name!r} (--encoding) není kódování textu; použijte např. utf-8, utf-8-sig nebo cp1250",
        "{name!r} (--encoding) is not a text encoding; use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "io.error.undecodable": (
        "bajt 0x{byte:02X} na řádku {line} není platný v kódování {encoding}; uložte soubor "
        "jako UTF-8 nebo uveďte jeho kódování (--encoding)",
        "byte 0x{byte:02X} on line {line} is not valid in {encoding}; save the file as UTF-8 or "
        "name its encoding (--encoding)",
    ),
    "io.error.control_char": (
        "řídicí znak U+{code:04X} na řádku {line} ({context}): soubor není v kódování "
        "{encoding}{hint}; uložte ho jako UTF-8 nebo uveďte správné kódování (--encoding)",
        "control character U+{code:04X} on line {line} ({context}): the file is not in "
        "{encoding}{hint}; save it as UTF-8 or name the right encoding (--encoding)",
    ),
    "io.error.implausible_char": (
        "znak {char!r} na řádku {line} ({context}) se v českém textu nepíše a v souboru chybí "
        "{letters}: text je čten ve špatném kódování {encoding}{hint}; uložte soubor jako UTF-8 "
        "nebo uveďte správné kódování (--encoding)",
        "the character {char!r} on line {line} ({context}) does not occur in Czech text and the "
        "file has no {letters}: it is being read in the wrong encoding, {encoding}{hint}; save "
        "the file as UTF-8 or name the right encoding (--encoding)",
    ),
    "io.error.replacement_char": (
        "znak náhrady U+FFFD na řádku {line} ({context}): text byl poškozen už při dřívějším "
        "převodu kódování; vyexportujte soubor znovu",
        "replacement character U+FFFD on line {line} ({context}): the text was damaged by an "
        "earlier encoding conversion; export the file again",
    ),
    "io.error.mixed_encoding": (
        "soubor míchá kódování: řádek {first_line} je v {first}, od řádku {line} je text "
        "v {second}; uložte celý soubor v jednom kódování (UTF-8)",
        "the file mixes encodings: line {first_line} is {first}, from line {line} the text is "
        "{second}; save the whole file in one encoding (UTF-8)",
    ),
    "io.error.utf8_declared": (
        "soubor je v UTF-8, ne v kódování {encoding} (řádek {line}: {context}); vynechte "
        "--encoding nebo uveďte utf-8",
        "the file is UTF-8, not {encoding} (line {line}: {context}); leave out --encoding or "
        "name utf-8",
    ),
    "io.hint.looks_like": (" (vypadá jako {guess})", " (it looks like {guess})"),
    # the line invariant
    "io.error.lines_mismatch": (
        "počet řádků nesouhlasí se záznamy: {physical} datových řádků, ale {records} záznamů, "
        "{quoted} řádků uvnitř uvozovek a {blank} prázdných; soubor nelze načíst bez ztráty",
        "the lines do not add up: {physical} data lines but {records} records, {quoted} lines "
        "inside quotes and {blank} blank ones; the file cannot be read without losing records",
    ),
}


def msg(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the reader's text ``key`` in ``lang`` (Czech by default), filled with ``fields``.

    Parameters
    ----------
    key
        An ``io.`` key of :data:`apk_geo.i18n.STRINGS` (or, until it moves there, of
        :data:`_PENDING_STRINGS`).
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
    if key in STRINGS:
        return t(key, lang, **fields)
    cs, en = _PENDING_STRINGS[key]
    text = en if normalize_lang(lang) == "en" else cs
    return text.format(**fields)
