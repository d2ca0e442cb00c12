"""Read tables from files: incident exports (CSV or XLSX) and any other CSV the product reads.

Two public readers share one way of decoding and splitting CSV text:

* :func:`read_table` opens an incident export and returns a :class:`RawTable`: the cells as text
  under their original headers, the file line of every row and the mapping of canonical column
  names (:data:`apk_geo.schema.INPUT_COLUMNS`) to the file's headers.
* :func:`read_csv` reads any other CSV (addresses to geocode, point files) into a
  :class:`pandas.DataFrame`, with no header mapping.

Encoding: a byte-order mark (UTF-8 or UTF-16) when there is one, else strict UTF-8, else
Windows-1250. Delimiter: whichever of :data:`DELIMITERS` splits the header line into the most
known column names (then the most fields). Both can be overridden. A file that cannot be read
raises :class:`~apk_geo.errors.InputFileError` naming the file.

The C parser of pandas reads the bytes directly; a file with rows of too many fields or broken
quoting goes down a row-by-row path that keeps such rows as ``bad_rows`` with their line.
"""

from __future__ import annotations

import codecs
import csv
import io as _stdio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd

from apk_geo.errors import InputFileError
from apk_geo.schema import HEADER_ALIASES, fold

__all__ = ["DELIMITERS", "RawTable", "read_csv", "read_table"]

logger = logging.getLogger(__name__)

#: Delimiters tried when none is given, most likely first (ties go to the earlier one).
DELIMITERS: Final = (";", ",", "\t", "|")

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_CHARS: Final = 65_536

#: A row that cannot be split into the header's fields: ``(line, cells, reason)``.
BadRow = tuple[int, tuple[str, ...], str]


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file, before validation.

    Attributes
    ----------
    path
        The file read.
    data
        One row per record, the file's own headers as columns, every cell as text (``""`` when
        empty). Fully empty rows are not records and are left out.
    lines
        The 1-based line (CSV) or sheet row (XLSX) where each row of ``data`` starts.
    columns
        Canonical column name (``id``, ``reported_at``, ``date``, ``time``, ``category`` …) → header
        in the file.
    bad_rows
        Rows that could not be split into the header's fields: ``(line, cells, reason)``.
    kind
        ``"csv"`` or ``"xlsx"``.
    encoding, delimiter
        What was used to read a CSV file (``None`` for XLSX).
    """

    path: Path
    data: pd.DataFrame
    lines: np.ndarray
    columns: Mapping[str, str]
    bad_rows: tuple[BadRow, ...] = ()
    kind: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def n_rows(self) -> int:
        """Number of records in the file (readable rows plus bad rows)."""
        return len(self.data) + len(self.bad_rows)


# --------------------------------------------------------------------------------------------
# Public readers
# --------------------------------------------------------------------------------------------


def read_table(
    path: str | Path, *, delimiter: str | None = None, encoding: str | None = None
) -> RawTable:
    """Read an incident export (CSV or XLSX) into a :class:`RawTable`.

    Parameters
    ----------
    path
        CSV (UTF-8, UTF-16 with BOM or cp1250; ``;``, ``,``, tab or ``|`` separated) or XLSX
        file; the format is detected from the content, not the suffix.
    delimiter
        CSV field separator; detected from the header line when ``None``.
    encoding
        CSV text encoding (any Python codec name); detected when ``None`` (BOM, then strict
        UTF-8, then cp1250).

    Returns
    -------
    RawTable
        The cells as text under the original headers, with line numbers and the canonical column
        mapping. Rows with more fields than the header are kept in ``bad_rows``.

    Raises
    ------
    InputFileError
        If the file is missing, empty, binary, in an unknown encoding, not parseable, or lacks a
        required column (``id``, a date, ``category`` and a location: an address, ``lat``/``lon``
        or ``x``/``y``). The message names the file and says how to fix it.

    Examples
    --------
    >>> raw = read_table("export.csv")  # doctest: +SKIP
    >>> raw.columns["id"]  # doctest: +SKIP
    'Číslo záznamu'
    """
    p = Path(path)
    _check_options(delimiter=delimiter, encoding=encoding, path=p)
    content = _read_bytes(p)
    if content.startswith(_ZIP_MAGIC):
        return _xlsx_table(p)
    text, used_encoding = _decode(content, encoding=encoding, path=p)
    used_delimiter = delimiter or _detect_delimiter(text)
    data, lines, bad = _parse_csv(
        content, text, encoding=used_encoding, delimiter=used_delimiter, path=p
    )
    columns = _map_headers(data.columns, path=p)
    data, lines = _drop_empty_rows(data, lines)
    logger.info(
        "%s: read %d row(s) as CSV, encoding %s, delimiter %r",
        p,
        len(data) + len(bad),
        used_encoding,
        used_delimiter,
    )
    return RawTable(
        path=p,
        data=data,
        lines=lines,
        columns=columns,
        bad_rows=bad,
        kind="csv",
        encoding=used_encoding,
        delimiter=used_delimiter,
    )


def read_csv(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    dtype: Literal["str", "infer"] = "str",
) -> pd.DataFrame:
    """Read a CSV file with the encoding and delimiter detection of :func:`read_table`.

    The one CSV reader of the product for files that are not incident exports (addresses to
    geocode, point files); header names are kept as they are.

    Parameters
    ----------
    path
        A CSV file (UTF-8, UTF-16 with BOM or cp1250; ``;``, ``,``, tab or ``|`` separated).
    delimiter
        Field separator; detected from the header line when ``None``.
    encoding
        Text encoding (any Python codec name); detected when ``None``.
    dtype
        ``"str"``: every cell as text, ``""`` when empty, fully empty rows left out.
        ``"infer"``: the column types pandas infers (numbers, ``NaN`` for empty cells).

    Returns
    -------
    pandas.DataFrame
        The file's columns; ``attrs["csv"]`` records ``{"file", "encoding", "delimiter"}`` used.

    Raises
    ------
    InputFileError
        If the file is missing, empty, an Excel workbook, binary, in an unknown encoding, or not
        parseable (including a row with more fields than the header).

    Examples
    --------
    >>> frame = read_csv("addresses.csv")  # doctest: +SKIP
    >>> frame.attrs["csv"]["delimiter"]  # doctest: +SKIP
    ';'
    """
    p = Path(path)
    _check_options(delimiter=delimiter, encoding=encoding, path=p)
    content = _read_bytes(p)
    if content.startswith(_ZIP_MAGIC):
        raise InputFileError(
            "this is an Excel workbook, not a CSV; export it as CSV (UTF-8) and try again",
            path=str(p),
        )
    text, used_encoding = _decode(content, encoding=encoding, path=p)
    used_delimiter = delimiter or _detect_delimiter(text)
    if dtype == "infer":
        frame = _parse_inferred(
            content, text, encoding=used_encoding, delimiter=used_delimiter, path=p
        )
    else:
        frame = _parse_text(content, text, encoding=used_encoding, delimiter=used_delimiter, path=p)
    frame.attrs["csv"] = {"file": str(p), "encoding": used_encoding, "delimiter": used_delimiter}
    logger.info(
        "%s: read %d row(s), encoding %s, delimiter %r",
        p,
        len(frame),
        used_encoding,
        used_delimiter,
    )
    return frame


# --------------------------------------------------------------------------------------------
# Bytes and text
# --------------------------------------------------------------------------------------------


def _check_options(*, delimiter: str | None, encoding: str | None, path: Path) -> None:
    """Refuse a delimiter that is not one plain character and an unknown codec name."""
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputFileError(
            f"delimiter must be one character other than a quote or newline, got {delimiter!r}",
            path=str(path),
        )
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputFileError(
                f"unknown encoding {encoding!r}; use e.g. utf-8 or cp1250", path=str(path)
            ) from exc


def _read_bytes(path: Path) -> bytes:
    """Return the file's bytes; refuse a missing, empty or old-Excel (``.xls``) file."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"cannot read the file: {exc.strerror or exc}", path=str(path)
        ) from exc
    if not content.strip():
        raise InputFileError(
            "the file is empty; expected a header line and records", path=str(path)
        )
    if content.startswith(_OLE_MAGIC):
        raise InputFileError(
            "this is an old Excel .xls file; save it as .xlsx or CSV (UTF-8) and import again",
            path=str(path),
        )
    return content


def _decode(content: bytes, *, encoding: str | None, path: Path) -> tuple[str, str]:
    """Decode CSV bytes with the given or detected encoding; return ``(text, encoding)``."""
    if encoding is not None:
        candidates = [encoding]
    elif content.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1250"]
    for enc in candidates:
        try:
            text = content.decode(enc)
        except (UnicodeDecodeError, UnicodeError):
            continue
        if "\x00" in text:
            raise InputFileError(
                f"the file holds NUL bytes when read as {enc}: it is not a text CSV; "
                "export it as CSV (UTF-8) or XLSX",
                path=str(path),
            )
        return text.lstrip("\ufeff"), enc
    raise InputFileError(
        f"cannot decode the file as {' or '.join(candidates)}; "
        "re-save it as UTF-8 or name its encoding with --encoding",
        path=str(path),
    )


def _header_score(fields: list[str]) -> tuple[int, int]:
    """Score a split header: (number of recognised column names, number of fields)."""
    known = {alias for aliases in HEADER_ALIASES.values() for alias in aliases}
    return sum(fold(f) in known for f in fields), len(fields)


def _detect_delimiter(text: str) -> str:
    """Pick the delimiter whose split of the header line names the most known columns."""
    head = text[:_SNIFF_CHARS]
    best, best_score = DELIMITERS[0], (-1, -1)
    for delim in DELIMITERS:
        try:
            first = next(csv.reader(_stdio.StringIO(head), delimiter=delim), [])
        except csv.Error:
            continue
        score = _header_score(first)
        if score > best_score:
            best, best_score = delim, score
    return best


# --------------------------------------------------------------------------------------------
# CSV parsing
# --------------------------------------------------------------------------------------------


def _parse_csv(
    content: bytes, text: str, *, encoding: str, delimiter: str, path: Path
) -> tuple[pd.DataFrame, np.ndarray, tuple[BadRow, ...]]:
    """Split CSV into a frame of strings, the start line of each row and the bad rows.

    The C parser reads the bytes directly (several times faster than from decoded text); rows
    with too many fields or broken quoting send the file down the row-by-row path.
    """
    if _first_record_fields(text, delimiter=delimiter) is not None:
        return _parse_csv_slow(text, delimiter=delimiter, path=path)
    try:
        frame = pd.read_csv(
            _stdio.BytesIO(content),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            encoding=encoding,
            encoding_errors="strict",
        )
    except pd.errors.EmptyDataError as exc:
        raise InputFileError("the file has no header line", path=str(path)) from exc
    except (pd.errors.ParserError, ValueError, csv.Error, OverflowError, MemoryError):
        return _parse_csv_slow(text, delimiter=delimiter, path=path)
    frame = frame.fillna("")
    return frame, _fast_path_lines(frame), ()


def _first_record_fields(text: str, *, delimiter: str) -> tuple[int, int, int] | None:
    """Return ``(line, fields, header fields)`` when the first record is longer than the header.

    The C parser would then take the record's first field(s) as an index and shift every
    column by one, silently; such a file must go down the row-by-row path instead.
    """
    reader = csv.reader(
        _stdio.StringIO(text[: 16 * _SNIFF_CHARS], newline=""), delimiter=delimiter, quotechar='"'
    )
    try:
        header = next(reader)
        first = next(reader)
        while not first:  # pandas skips blank lines before it looks at the first record
            first = next(reader)
    except (StopIteration, csv.Error):
        return None
    if len(first) <= len(header):
        return None
    return reader.line_num, len(first), len(header)


def _fast_path_lines(frame: pd.DataFrame) -> np.ndarray:
    """Return the start line of each row read by the C parser (quoted newlines included)."""
    header_newlines = sum(str(c).count("\n") for c in frame.columns)
    extra = np.zeros(len(frame), dtype=np.int64)
    multiline = [c for c in frame.columns if frame[c].str.contains("\n", regex=False).any()]
    if multiline:  # quoted values spanning lines shift the line numbers of later rows
        per_row = sum(
            frame[c].str.count("\n").to_numpy(dtype=np.int64, copy=True) for c in multiline
        )
        extra = np.concatenate([[0], np.cumsum(per_row)[:-1]]).astype(np.int64)
    return 2 + header_newlines + np.arange(len(frame), dtype=np.int64) + extra


def _parse_csv_slow(
    text: str, *, delimiter: str, path: Path
) -> tuple[pd.DataFrame, np.ndarray, tuple[BadRow, ...]]:
    """Row-by-row CSV parsing that keeps rows with a wrong number of fields as bad rows."""
    reader = csv.reader(_stdio.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[list[str]] = []
    starts: list[int] = []
    bad: list[BadRow] = []
    try:
        header = next(reader)
        prev_end = reader.line_num
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if len(row) > len(header):
                bad.append((start, tuple(row), _too_many_fields(row, header, delimiter)))
                continue
            rows.append(row + [""] * (len(header) - len(row)))
            starts.append(start)
    except StopIteration as exc:
        raise InputFileError("the file has no header line", path=str(path)) from exc
    except csv.Error as exc:
        raise InputFileError(
            f"cannot parse CSV near line {reader.line_num}: {exc}", path=str(path)
        ) from exc
    names = _dedupe_names(header)
    frame = (
        pd.DataFrame(rows, columns=names, dtype="str")
        if rows
        else pd.DataFrame({n: pd.Series([], dtype="str") for n in names})
    )
    return frame, np.asarray(starts, dtype=np.int64), tuple(bad)


def _too_many_fields(row: list[str], header: list[str], delimiter: str) -> str:
    """Return the reason of a row with more fields than the header."""
    return (
        f"row: got {len(row)} fields, expected {len(header)} as in the header "
        f"(is a {delimiter!r} inside an unquoted value?)"
    )


def _dedupe_names(header: list[str]) -> list[str]:
    """Make header names unique the way pandas does (``a``, ``a.1``)."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def _parse_text(
    content: bytes, text: str, *, encoding: str, delimiter: str, path: Path
) -> pd.DataFrame:
    """Read every cell as text; refuse rows with more fields than the header."""
    frame, lines, bad = _parse_csv(content, text, encoding=encoding, delimiter=delimiter, path=path)
    if bad:
        line, _, reason = bad[0]
        raise InputFileError(
            f"line {line}: {reason}; {len(bad)} such row(s) in all", path=str(path)
        )
    frame, _ = _drop_empty_rows(frame, lines)
    return frame


def _parse_inferred(
    content: bytes, text: str, *, encoding: str, delimiter: str, path: Path
) -> pd.DataFrame:
    """Read with the column types pandas infers (numbers, ``NaN`` for empty cells)."""
    too_long = _first_record_fields(text, delimiter=delimiter)
    if too_long is not None:
        line, fields, expected = too_long
        raise InputFileError(
            f"line {line}: row: got {fields} fields, expected {expected} as in the header "
            f"(is a {delimiter!r} inside an unquoted value?)",
            path=str(path),
        )
    try:
        return pd.read_csv(_stdio.BytesIO(content), sep=delimiter, encoding=encoding)
    except pd.errors.EmptyDataError as exc:
        raise InputFileError("the file has no header line", path=str(path)) from exc
    except (pd.errors.ParserError, csv.Error, UnicodeError) as exc:
        raise InputFileError(f"cannot parse as CSV: {exc}", path=str(path)) from exc


# --------------------------------------------------------------------------------------------
# XLSX, empty rows and headers
# --------------------------------------------------------------------------------------------


def _xlsx_table(path: Path) -> RawTable:
    """Read an XLSX incident export into a :class:`RawTable`."""
    data, lines = _read_xlsx(path)
    columns = _map_headers(data.columns, path=path)
    data, lines = _drop_empty_rows(data, lines)
    return RawTable(path=path, data=data, lines=lines, columns=columns, kind="xlsx")


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Read the first sheet of an XLSX workbook as text cells."""
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputFileError(
            f"cannot read as an XLSX workbook ({type(exc).__name__}: {exc}); "
            "save it again from Excel or export it as CSV",
            path=str(path),
        ) from exc
    frame = frame.fillna("").astype("str")
    frame.columns = [str(c) for c in frame.columns]
    return frame, 2 + np.arange(len(frame), dtype=np.int64)


def _drop_empty_rows(frame: pd.DataFrame, lines: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Leave out rows whose every cell is blank (they are not records)."""
    if frame.empty:
        return frame.reset_index(drop=True), lines
    nonblank = np.zeros(len(frame), dtype=bool)
    for col in frame.columns:
        nonblank |= frame[col].str.strip().ne("").to_numpy(dtype=bool, copy=True)
    if nonblank.all():
        return frame.reset_index(drop=True), lines
    return frame.loc[nonblank].reset_index(drop=True), lines[nonblank]


def _map_headers(headers: pd.Index, *, path: Path) -> dict[str, str]:
    """Map canonical column names to the file's headers; raise if required ones are missing."""
    columns = _canonical_headers(headers, path=path)
    missing = _missing_columns(columns)
    if missing:
        accepted = ", ".join(f"{c}: {'/'.join(HEADER_ALIASES[c][:2])}" for c in HEADER_ALIASES)
        raise InputFileError(
            f"missing required column(s) {', '.join(missing)}; the file has "
            f"{[str(h) for h in headers][:20]}; accepted headers (folded) include {accepted}. "
            "Is this an incident export, and is the delimiter or encoding right "
            "(--delimiter, --encoding)?",
            path=str(path),
        )
    return columns


def _canonical_headers(headers: pd.Index, *, path: Path) -> dict[str, str]:
    """Map each recognised header to its canonical name; refuse two headers of one meaning."""
    alias_to_canon = {
        alias: canon for canon, aliases in HEADER_ALIASES.items() for alias in aliases
    }
    columns: dict[str, str] = {}
    for header in map(str, headers):
        canon = alias_to_canon.get(fold(header))
        if canon is None:
            logger.info("%s: column %r is not used", path, header)
            continue
        if canon in columns:
            raise InputFileError(
                f"columns {columns[canon]!r} and {header!r} both mean {canon!r}; "
                "rename or delete one of them",
                path=str(path),
            )
        columns[canon] = header
    return columns


def _missing_columns(columns: Mapping[str, str]) -> list[str]:
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
