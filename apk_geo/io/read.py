"""Read tables from files: incident exports (CSV or XLSX) and any other CSV the product reads.

Two public readers share one way of decoding and splitting CSV text:

* :func:`read_table` opens an incident export and returns a :class:`RawTable`: the cells as text
  under their original headers, the line (or sheet row) of every record, the mapping of
  canonical column names (:data:`apk_geo.schema.INPUT_COLUMNS`) to the file's headers, and the
  records that could not be split (``bad_rows``, quarantined by validation).
* :func:`read_csv` reads any other CSV (addresses to geocode, point files) into a
  :class:`pandas.DataFrame`, with no header mapping.

**No record is lost silently.** Every read ends with the line invariant of
:class:`~apk_geo.io._records.LineCounts` (data lines = records + lines inside closed quotes +
blank lines + lines of quarantined broken records), checked by :meth:`RawTable.check_lines` and
reported in :attr:`RawTable.params`. A quote that does not close before the next record, a row
with too few or too many fields and a truncated last line are bad rows with their line and
reason; a quoted word inside a value keeps its quotes (see :mod:`apk_geo.io._records`).

**Encoding** is decided from the whole file (:mod:`apk_geo.io._text`): a byte-order mark, else
UTF-8 when every non-ASCII byte is part of a UTF-8 sequence, else cp1250 or ISO-8859-2 by the
letters those two encode differently. Bytes invalid in the encoding, control characters, text
implausible in Czech (``©árka`` for ``Šárka``) and a file mixing two encodings are refused with
the line. **Delimiter**: whichever of :data:`DELIMITERS` splits the header line into the most
known column names (then the most fields). **Headers** are matched folded (case, accents,
non-breaking and zero-width spaces); the same column twice is refused. **Workbooks**: every
sheet with an export's header is read (:mod:`apk_geo.io._xlsx`); the others are named in
``params["sheets_skipped"]`` with the reason.

Messages are Czech by default (``lang="en"`` for English): every refusal of a file is one line
that starts with the file, names the line (or sheet and cell) and the column where it has one, and
says what was expected and how to fix it; the texts are the ``io.`` strings of
:mod:`apk_geo._strings_io`.
"""

from __future__ import annotations

import csv
import io as _stdio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd

from apk_geo.errors import InputFileError, ParameterError
from apk_geo.io._headers import (
    canonical_headers,
    clean_names,
    header_score,
    missing_columns,
    missing_columns_error,
    missing_labels,
    refuse_duplicates,
)
from apk_geo.io._messages import msg
from apk_geo.io._records import (
    BadRow,
    LineCounts,
    Parsed,
    dedupe_names,
    first_record_length,
    parse_header,
    parse_records,
    split_lines,
    too_many_fields,
)
from apk_geo.io._text import Decoded, check_encoding_name, decide_encoding, undecodable_error
from apk_geo.io._xlsx import HEADER_SEARCH_ROWS, Sheet, read_workbook

__all__ = ["DELIMITERS", "BadRow", "LineCounts", "RawTable", "read_csv", "read_table"]

logger = logging.getLogger(__name__)

#: Delimiters tried when none is given, most likely first (ties go to the earlier one).
DELIMITERS: Final = (";", ",", "\t", "|")

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Bytes decoded to find the delimiter and the header (cut at a line end).
_HEAD_BYTES: Final = 1 << 20
_SNIFF_CHARS: Final = 65_536


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file, before validation.

    Attributes
    ----------
    path
        The file read.
    data
        One row per record that could be split, the file's own headers as columns (zero-width
        characters dropped), every cell as text (``""`` when empty). Rows without any value are
        not records and are left out.
    lines
        The 1-based line (CSV) or sheet row (XLSX) where each row of ``data`` starts.
    columns
        Canonical column name (``id``, ``reported_at``, ``date``, ``time``, ``category`` …) → header
        in the file.
    bad_rows
        Records that could not be split into the header's fields (an unclosed quote, too few or
        too many fields, a truncated last line) or read (a formula without a saved value), with
        their line and reason (:class:`~apk_geo.io._records.BadRow`).
    kind
        ``"csv"`` or ``"xlsx"``.
    encoding, delimiter
        What was used to read a CSV file (``None`` for XLSX).
    sheets
        The sheet of each row of ``data`` (XLSX), ``None`` for CSV.
    line_counts
        How the file's data lines were accounted for (:meth:`check_lines`).
    params
        What was detected, JSON-serialisable, for the import summary: the line counts
        (``physical_lines``, ``records``, ``quoted_newlines``, ``blank_lines``,
        ``unclosed_quote_lines``), ``parser`` (``"fast"``/``"strict"``, CSV), ``header_line``
        (CSV: the header's line, after any title lines above it), and for XLSX
        ``sheets`` (``[{"sheet", "records", "header_row"}]``), ``sheets_skipped``
        (``[{"sheet", "reason"}]``) and ``formulas_without_value``.
    zero_width
        Whether the text may hold zero-width characters (validation folds them in ids and codes).
    """

    path: Path
    data: pd.DataFrame
    lines: np.ndarray
    columns: Mapping[str, str]
    bad_rows: tuple[BadRow, ...] = ()
    kind: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheets: np.ndarray | None = None
    line_counts: LineCounts | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    zero_width: bool = False

    @property
    def n_rows(self) -> int:
        """Number of records in the file (readable rows plus bad rows)."""
        return len(self.data) + len(self.bad_rows)

    @property
    def records(self) -> int:
        """Records read (the same as :attr:`n_rows`)."""
        return self.n_rows

    @property
    def physical_lines(self) -> int:
        """Data lines of the file (CSV, after the header) or rows under the headers (XLSX)."""
        counts = self.line_counts
        return counts.physical if counts is not None else self.n_rows

    def check_lines(self, *, lang: str = "cs") -> None:
        """Check the line invariant: data lines = records + quoted + blank + broken lines.

        Raises
        ------
        InputFileError
            If the counts do not add up, or the records counted are not the table's; the file
            is then not read at all rather than read with a record missing.
        """
        counts = self.line_counts
        if counts is None:
            return
        if not counts.balanced or counts.records != self.n_rows:
            raise InputFileError(
                msg(
                    "io.error.lines_mismatch",
                    lang,
                    physical=counts.physical,
                    records=self.n_rows,
                    quoted=counts.quoted_newlines,
                    blank=counts.blank,
                ),
                path=str(self.path),
            )


# --------------------------------------------------------------------------------------------
# Public readers
# --------------------------------------------------------------------------------------------


def read_table(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    lang: str = "cs",
) -> RawTable:
    """Read an incident export (CSV or XLSX) into a :class:`RawTable`.

    Parameters
    ----------
    path
        CSV (UTF-8, UTF-16 with BOM, cp1250 or ISO-8859-2; ``;``, ``,``, tab or ``|``
        separated) or XLSX file; the format is detected from the content, not the suffix.
    delimiter
        CSV field separator; detected from the header line when ``None``.
    encoding
        CSV text encoding (a Python text codec); detected from the whole file when ``None``.
        The bytes are checked against it either way.
    lang
        Language of messages and reasons: ``"cs"`` (default) or ``"en"``.

    Returns
    -------
    RawTable
        The cells as text under the original headers, with line numbers, the canonical column
        mapping, the bad rows and ``params`` (see :class:`RawTable`).

    Raises
    ------
    ParameterError
        If ``delimiter`` is not one character, or ``encoding`` is unknown or not a text encoding.
    InputFileError
        If the file is missing, empty, binary, not valid or implausible in its encoding, mixes
        encodings, has the same column twice, lacks a required column (``id``, a date,
        ``category`` and a location: an address, ``lat``/``lon`` or ``x``/``y``; in a workbook:
        on every sheet), or its lines do not add up to its records. The message names the file
        and the line and says how to fix it.

    Examples
    --------
    >>> raw = read_table("export.csv")  # doctest: +SKIP
    >>> raw.columns["id"]  # doctest: +SKIP
    'Číslo záznamu'
    >>> raw.params["physical_lines"] == raw.params["records"] + raw.params["blank_lines"]
    ... # doctest: +SKIP
    True
    """
    p = Path(path)
    _check_options(delimiter=delimiter, encoding=encoding, lang=lang)
    content = _read_bytes(p, lang=lang)
    if content.startswith(_ZIP_MAGIC):
        raw = _xlsx_table(p, lang=lang)
    else:
        raw = _csv_table(p, content, delimiter=delimiter, encoding=encoding, lang=lang)
    raw.check_lines(lang=lang)
    logger.info(
        "%s: read %d record(s) from %d data line(s) as %s (%s)",
        p,
        raw.n_rows,
        raw.physical_lines,
        raw.kind.upper(),
        ", ".join(f"{k} {v}" for k, v in raw.params.items() if not isinstance(v, list)),
    )
    return raw


def read_csv(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    dtype: Literal["str", "infer"] = "str",
    lang: str = "cs",
) -> pd.DataFrame:
    """Read a CSV file with the encoding, delimiter and record checks of :func:`read_table`.

    The one CSV reader of the product for files that are not incident exports (addresses to
    geocode, point files); header names are kept as they are (a repeated one gets ``.1``). A
    row with fewer fields than the header is padded with empty cells.

    Parameters
    ----------
    path
        A CSV file (UTF-8, UTF-16 with BOM, cp1250 or ISO-8859-2; ``;``, ``,``, tab or ``|``
        separated).
    delimiter
        Field separator; detected from the header line when ``None``.
    encoding
        Text encoding (a Python text codec); detected from the whole file when ``None``.
    dtype
        ``"str"``: every cell as text, ``""`` when empty, fully empty rows left out.
        ``"infer"``: the column types pandas infers (numbers, ``NaN`` for empty cells).
    lang
        Language of messages.

    Returns
    -------
    pandas.DataFrame
        The file's columns; ``attrs["csv"]`` records ``{"file", "encoding", "delimiter",
        "records", "physical_lines"}``.

    Raises
    ------
    ParameterError
        If ``delimiter`` or ``encoding`` is not usable.
    InputFileError
        If the file is missing, empty, an Excel workbook, binary, not valid or implausible in
        its encoding, or a record cannot be split (an unclosed quote, more fields than the
        header); the message names the line.

    Examples
    --------
    >>> frame = read_csv("addresses.csv")  # doctest: +SKIP
    >>> frame.attrs["csv"]["delimiter"]  # doctest: +SKIP
    ';'
    """
    p = Path(path)
    _check_options(delimiter=delimiter, encoding=encoding, lang=lang)
    content = _read_bytes(p, lang=lang)
    if content.startswith(_ZIP_MAGIC):
        raise InputFileError(msg("io.error.workbook_not_csv", lang), path=str(p))
    decoded = decide_encoding(content, encoding=encoding, path=p, lang=lang)
    head = _head_text(decoded, path=p, lang=lang)
    used = delimiter or _detect_delimiter(head)
    header, header_lines = parse_header(head, delimiter=used, path=str(p), lang=lang)
    longer = _first_record_longer(
        head, delimiter=used, header=header, header_lines=header_lines, lang=lang
    )
    if longer is not None:
        raise InputFileError(
            msg("io.error.bad_record", lang, line=longer[0], reason=longer[1]), path=str(p)
        )
    parsed = parse_records(
        decoded,
        delimiter=used,
        header=header,
        header_lines=header_lines,
        path=str(p),
        lang=lang,
        short_rows="pad",
    )
    if parsed.bad:
        first = parsed.bad[0]
        raise InputFileError(
            msg(
                "io.error.bad_records",
                lang,
                line=first.line,
                reason=first.reason,
                n=len(parsed.bad),
            ),
            path=str(p),
        )
    frame = _typed(parsed, decoded, delimiter=used, path=p, lang=lang) if dtype == "infer" else None
    if frame is None:
        frame, _ = _records_only(parsed)
    frame.attrs["csv"] = {
        "file": str(p),
        "encoding": decoded.encoding,
        "delimiter": used,
        "records": int((~parsed.empty).sum()),
        "physical_lines": parsed.physical,
    }
    logger.info(
        "%s: read %d row(s), encoding %s, delimiter %r", p, len(frame), decoded.encoding, used
    )
    return frame


# --------------------------------------------------------------------------------------------
# Options, bytes, delimiter
# --------------------------------------------------------------------------------------------


def _check_options(*, delimiter: str | None, encoding: str | None, lang: str) -> None:
    """Refuse a delimiter that is not one plain character and a codec that is not for text."""
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise ParameterError(msg("io.error.delimiter", lang, got=delimiter))
    if encoding is not None:
        check_encoding_name(encoding, lang=lang)


def _read_bytes(path: Path, *, lang: str) -> bytes:
    """Return the file's bytes; refuse a missing, empty or old-Excel (``.xls``) file."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputFileError(_os_error_text(exc, lang), path=str(path)) from exc
    if not content.strip():
        raise InputFileError(msg("io.error.empty", lang), path=str(path))
    if content.startswith(_OLE_MAGIC):
        raise InputFileError(msg("io.error.xls", lang), path=str(path))
    return content


def _os_error_text(exc: OSError, lang: str) -> str:
    """Return why a file cannot be opened, in ``lang``."""
    if isinstance(exc, FileNotFoundError):
        return msg("io.error.not_found", lang)
    if isinstance(exc, IsADirectoryError):
        return msg("io.error.is_folder", lang)
    if isinstance(exc, PermissionError):
        return msg("io.error.no_permission", lang)
    return msg("io.error.unreadable", lang, detail=exc.strerror or exc)


def _head_text(decoded: Decoded, *, path: Path, lang: str) -> str:
    """Return the first lines of the file as text (about a megabyte, cut at a line end)."""
    content = decoded.content
    cut = len(content)
    if cut > _HEAD_BYTES:
        end = content.rfind(b"\n", 0, _HEAD_BYTES)
        cut = end + 1 if end >= 0 else cut
    try:
        return content[:cut].decode(decoded.parse_encoding)
    except UnicodeDecodeError as exc:
        raise undecodable_error(content, decoded.parse_encoding, path=path, lang=lang) from exc


def _detect_delimiter(text: str) -> str:
    """Pick the delimiter whose split of the header line names the most known columns."""
    head = text[:_SNIFF_CHARS]
    best, best_score = DELIMITERS[0], (-1, -1)
    for delim in DELIMITERS:
        try:
            first = next(csv.reader(_stdio.StringIO(head), delimiter=delim), [])
        except csv.Error:
            continue
        score = header_score(first)
        if score > best_score:
            best, best_score = delim, score
    return best


def _first_record_longer(
    head: str, *, delimiter: str, header: Sequence[str], header_lines: int, lang: str = "cs"
) -> tuple[int, str] | None:
    """Return ``(line, reason)`` when the first record has more fields than the header.

    The C parser would then take the record's first field(s) as an index and shift every
    column by one, silently; such a file must go down the record-by-record path instead.
    """
    n = first_record_length(head, delimiter=delimiter, header_lines=header_lines)
    if n is None or n <= len(header):
        return None
    line = header_lines + 1
    return line, too_many_fields(n, len(header), delimiter, lang=lang)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _csv_table(
    path: Path, content: bytes, *, delimiter: str | None, encoding: str | None, lang: str
) -> RawTable:
    """Read a CSV incident export into a :class:`RawTable`."""
    decoded = decide_encoding(content, encoding=encoding, path=path, lang=lang)
    head = _head_text(decoded, path=path, lang=lang)
    start = _header_start(head, delimiter=delimiter, path=str(path))
    below = _from_line(head, start)
    used = delimiter or _detect_delimiter(below)
    header, header_lines = parse_header(below, delimiter=used, path=str(path), lang=lang)
    header_lines += start  # title lines above the header are neither header nor records
    names = clean_names(header)
    columns = _map_headers(names, path=str(path), lang=lang)
    parsed = parse_records(
        decoded,
        delimiter=used,
        header=names,
        header_lines=header_lines,
        path=str(path),
        lang=lang,
        force_strict=_first_record_longer(
            head, delimiter=used, header=names, header_lines=header_lines
        )
        is not None,
    )
    data, lines = _records_only(parsed)
    counts = LineCounts(
        physical=parsed.physical,
        records=len(data) + len(parsed.bad),
        quoted_newlines=parsed.quoted_newlines,
        blank=parsed.blank + int(parsed.empty.sum()),
        broken=parsed.broken,
    )
    return RawTable(
        path=path,
        data=data,
        lines=lines,
        columns=columns,
        bad_rows=parsed.bad,
        kind="csv",
        encoding=decoded.encoding,
        delimiter=used,
        line_counts=counts,
        params={**counts.as_params(), "parser": parsed.parser, "header_line": start + 1},
        zero_width=decoded.zero_width,
    )


def _header_start(head: str, *, delimiter: str | None, path: str) -> int:
    """Return the index of an export's header line: past title lines above it, as in a workbook.

    The first of the top :data:`~apk_geo.io._xlsx.HEADER_SEARCH_ROWS` non-empty lines whose
    fields name every required column (``Export záznamů APK – duben 2024`` above the header is a
    title, not a record); 0 when none does, so that the error names the first line's fields.
    """
    lines, _ = split_lines(head[:_SNIFF_CHARS])  # the top lines are enough
    tried = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        used = delimiter or _detect_delimiter(line)
        try:
            fields = next(csv.reader([line], delimiter=used), [])
            named = canonical_headers(clean_names(fields), path=path, lenient=True)
        except (csv.Error, InputFileError):
            named = {}
        if not missing_columns(named):
            return i
        tried += 1
        if tried >= HEADER_SEARCH_ROWS:
            break
    return 0


def _from_line(text: str, start: int) -> str:
    """Return ``text`` from its line ``start`` (0-based) on."""
    if start == 0:
        return text
    lines, ends = split_lines(text)
    return text[
        sum(len(line) + len(end) for line, end in zip(lines[:start], ends[:start], strict=True)) :
    ]


def _records_only(parsed: Parsed) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the rows that are records (not all blank) and their lines (no copy if all are)."""
    if not parsed.empty.any():
        return parsed.frame, parsed.lines
    keep = ~parsed.empty
    return parsed.frame.loc[keep].reset_index(drop=True), parsed.lines[keep]


def _typed(
    parsed: Parsed, decoded: Decoded, *, delimiter: str, path: Path, lang: str
) -> pd.DataFrame:
    """Return the records with the column types pandas infers (numbers, NaN for empty cells)."""
    try:
        if parsed.parser == "fast":
            return pd.read_csv(
                _stdio.BytesIO(decoded.content), sep=delimiter, encoding=decoded.parse_encoding
            )
        text = parsed.frame.to_csv(index=False, sep=delimiter)
        return pd.read_csv(_stdio.StringIO(text), sep=delimiter)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, UnicodeError) as exc:
        raise InputFileError(msg("io.error.csv_parse", lang, detail=exc), path=str(path)) from exc


def _map_headers(names: Sequence[str], *, path: str, lang: str) -> dict[str, str]:
    """Map canonical column names to the file's headers; refuse duplicated or missing ones."""
    refuse_duplicates(names, path=path, lang=lang)
    columns = canonical_headers(names, path=path, lang=lang)
    missing = missing_columns(columns)
    if missing:
        raise missing_columns_error(missing, names, path=path, lang=lang)
    return columns


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _xlsx_table(path: Path, *, lang: str) -> RawTable:
    """Read every data sheet of an XLSX incident export into one :class:`RawTable`."""

    def header_check(sheet: str, header: list[str]) -> tuple[dict[str, str] | None, str]:
        names = clean_names(header)
        lenient = canonical_headers(names, path=str(path), lenient=True, lang=lang)
        missing = missing_columns(lenient)
        if missing:
            labels = missing_labels(missing, lang)
            return None, msg("io.sheet.missing_columns", lang, columns=", ".join(labels))
        where = f"{path} [{sheet}]"
        refuse_duplicates(names, path=where, lang=lang)
        return canonical_headers(names, path=where, lang=lang), ""

    book = read_workbook(path, header_check=header_check, lang=lang)
    skipped = [{"sheet": name, "reason": reason} for name, reason in book.skipped]
    if not book.sheets:
        listed = "; ".join(f"„{s['sheet']}“: {s['reason']}" for s in skipped)
        raise InputFileError(msg("io.error.no_data_sheet", lang, sheets=listed), path=str(path))
    for s in skipped:
        logger.warning("%s: sheet %r is not read: %s", path, s["sheet"], s["reason"])
    data, columns, sheets = _merge_sheets(book.sheets)
    bad = tuple(b for sheet in book.sheets for b in sheet.bad)
    counts = LineCounts(
        physical=sum(s.physical for s in book.sheets),
        records=len(data) + len(bad),
        blank=sum(s.blank for s in book.sheets),
    )
    params: dict[str, object] = {
        **counts.as_params(),
        "sheets": [
            {"sheet": s.name, "records": len(s.rows) + len(s.bad), "header_row": s.header_row}
            for s in book.sheets
        ],
        "sheets_skipped": skipped,
        "formulas_without_value": sum(s.formulas for s in book.sheets),
    }
    return RawTable(
        path=path,
        data=data,
        lines=np.asarray([ln for s in book.sheets for ln in s.lines], dtype=np.int64),
        columns=columns,
        bad_rows=bad,
        kind="xlsx",
        sheets=sheets,
        line_counts=counts,
        params=params,
        zero_width=True,
    )


def _merge_sheets(sheets: Sequence[Sheet]) -> tuple[pd.DataFrame, dict[str, str], np.ndarray]:
    """Stack the data sheets under the first one's headers (a column meaning the same, renamed).

    Returns the table, the canonical mapping and the sheet of each row.
    """
    columns: dict[str, str] = dict(sheets[0].columns)
    names: list[str] = list(dict.fromkeys(sheets[0].header))
    frames = []
    for sheet in sheets:
        rename = {}
        for canon, header in sheet.columns.items():
            if canon not in columns:
                columns[canon] = header
            rename[header] = columns[canon]
        cols = dedupe_names([rename.get(h, h) for h in sheet.header])
        names.extend(c for c in cols if c not in names)
        frames.append(pd.DataFrame(sheet.rows, columns=cols, dtype="str"))
    data = pd.concat(
        [f.reindex(columns=names, fill_value="") for f in frames], ignore_index=True
    ).astype("str")
    where = np.asarray([s.name for s in sheets for _ in s.rows], dtype=object)
    return data, columns, where
