"""Split CSV text into records without losing one: the C parser, checked, else record by record.

Used by :mod:`apk_geo.io.read`. The invariant every parse ends with (:class:`LineCounts`):

    data lines of the file == records + quoted newlines + blank lines + lines of broken records

where *records* are the rows read (valid or not), *quoted newlines* the lines that continue a
quoted field that closes, *blank lines* the lines (or rows of empty cells) holding no value, and
the last term the continuation lines of a record quarantined for an unclosed quote.

**Fast path.** The C parser of pandas reads the bytes (``pyarrow.csv`` reads them instead,
giving the same frame, when the file has no quote: :mod:`apk_geo.io._arrowcsv`). Its result
is accepted only if the counts prove that no record was swallowed, padded or cut: the line
count above holds, the delimiters in the file are exactly those of ``fields - 1`` per record
(plus those inside cells and on blank lines, so no row has too few fields), no quote stands
inside a value (``"pes" velký``, whose quotes the C parser would drop), and no value spanning
lines holds a line with a record's worth of delimiters (an unclosed quote running into the
next records).

**Strict path** (everything else). Lines are read one by one, each split into fields with
RFC 4180 quoting, a quoted field allowed to continue on the next lines. A quote that is still
open when a line that is itself a whole record follows is an *unclosed quote*: that record is
quarantined with its line and reason and reading goes on at the next record; a quote open at
the end of the file likewise. A quoted value followed by more text (``"pes" velký``) is kept
as written, quotes included. A row with fewer fields than the header is quarantined (``too few
fields``; the last line without a line end: ``truncated last line``), one with more likewise.
"""

from __future__ import annotations

import csv
import gc
import io as _stdio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from apk_geo.errors import InputFileError
from apk_geo.io._arrowcsv import arrow_cells
from apk_geo.io._messages import msg
from apk_geo.io._text import Decoded, undecodable_error

__all__ = [
    "BadRow",
    "LineCounts",
    "Parsed",
    "blank_mask",
    "dedupe_names",
    "first_record_length",
    "parse_header",
    "parse_records",
    "split_lines",
    "too_many_fields",
]

_QUOTE: Final = 0x22
_LF: Final = 0x0A
_CR: Final = 0x0D

ShortRows = Literal["quarantine", "pad"]


class BadRow(NamedTuple):
    """A record that cannot be a row of the table, with where it is and why.

    Attributes
    ----------
    line
        The 1-based line (CSV) or sheet row (XLSX) where the record starts.
    cells
        Its cells as split.
    field, value, expected, reason
        The quarantine's columns: ``field`` is ``"row"`` for the record's shape, a canonical
        column name otherwise.
    sheet
        The workbook sheet, ``None`` for CSV.
    """

    line: int
    cells: tuple[str, ...]
    field: str
    value: str
    expected: str
    reason: str
    sheet: str | None = None


@dataclass(frozen=True)
class LineCounts:
    """How the data lines of a file (after the header) were accounted for.

    Attributes
    ----------
    physical
        Data lines in the file (CSV) or rows under the header (XLSX, every data sheet).
    records
        Records read: rows of the table plus rows that could not be read.
    quoted_newlines
        Lines that continue a quoted field that closes (a note written on several lines).
    blank
        Lines, or rows of empty cells, with no value (not records).
    broken
        Continuation lines of records quarantined for an unclosed quote.
    """

    physical: int
    records: int
    quoted_newlines: int = 0
    blank: int = 0
    broken: int = 0

    @property
    def balanced(self) -> bool:
        """Whether ``physical == records + quoted_newlines + blank + broken``."""
        return self.physical == self.records + self.quoted_newlines + self.blank + self.broken

    def as_params(self) -> dict[str, int]:
        """Return the counts as import-summary entries (``physical_lines``, ``records`` …)."""
        return {
            "physical_lines": self.physical,
            "records": self.records,
            "quoted_newlines": self.quoted_newlines,
            "blank_lines": self.blank,
            "unclosed_quote_lines": self.broken,
        }


@dataclass(frozen=True)
class Parsed:
    """Records split from CSV text.

    Attributes
    ----------
    frame
        One row per record that has the header's fields (all cells text); rows of empty cells
        included (the reader drops them).
    lines
        The start line of each row of ``frame``.
    bad
        Records that cannot be rows.
    physical
        Data lines of the file.
    quoted_newlines, broken
        See :class:`LineCounts`.
    blank
        Empty lines skipped (rows of empty cells are in ``frame``).
    parser
        ``"fast"`` (the C parser, checked) or ``"strict"`` (record by record).
    empty
        The rows of ``frame`` whose every cell is blank (not records).
    """

    frame: pd.DataFrame
    lines: np.ndarray
    bad: tuple[BadRow, ...]
    physical: int
    quoted_newlines: int
    blank: int
    broken: int
    parser: Literal["fast", "strict"]
    empty: np.ndarray


# --------------------------------------------------------------------------------------------
# Lines and the header
# --------------------------------------------------------------------------------------------


def split_lines(text: str) -> tuple[list[str], list[str]]:
    r"""Split ``text`` at ``\r\n``, ``\n`` and ``\r``; return the lines and their line ends.

    A line end at the very end of the text does not start another line.
    """
    lines: list[str] = []
    ends: list[str] = []
    pieces = text.split("\n")
    last = len(pieces) - 1
    for i, piece in enumerate(pieces):
        end = "\n" if i < last else ""
        if piece.endswith("\r"):
            piece, end = piece[:-1], "\r\n" if i < last else "\r"
        if "\r" in piece:
            parts = piece.split("\r")
            lines.extend(parts)
            ends.extend(["\r"] * (len(parts) - 1) + [end])
        else:
            lines.append(piece)
            ends.append(end)
    if lines and lines[-1] == "" and ends[-1] == "":
        lines.pop()
        ends.pop()
    return lines, ends


def parse_header(
    head: str, *, delimiter: str, path: str, lang: str = "cs"
) -> tuple[list[str], int]:
    """Return the header's fields (line 1) and the number of lines it takes.

    Raises
    ------
    InputFileError
        If the first line is empty or the header's quote does not close.
    """
    lines, ends = split_lines(head)
    if not lines or not lines[0].strip():
        raise InputFileError(msg("io.error.no_header", lang), path=path)
    record = _record(lines, ends, 0, delimiter=delimiter, n_fields=None)
    if record.problem is not None:
        raise InputFileError(msg("io.error.header_unclosed_quote", lang), path=path)
    return record.fields, record.next


def first_record_length(head: str, *, delimiter: str, header_lines: int) -> int | None:
    """Return the number of fields of the first record (blank lines skipped), if it is whole."""
    lines, ends = split_lines(head)
    i = header_lines
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return None
    record = _record(lines, ends, i, delimiter=delimiter, n_fields=None)
    return None if record.problem is not None else len(record.fields)


def dedupe_names(header: Sequence[str]) -> list[str]:
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


# --------------------------------------------------------------------------------------------
# Both paths
# --------------------------------------------------------------------------------------------


def parse_records(
    decoded: Decoded,
    *,
    delimiter: str,
    header: Sequence[str],
    header_lines: int,
    path: str,
    lang: str = "cs",
    short_rows: ShortRows = "quarantine",
    force_strict: bool = False,
) -> Parsed:
    """Split the records of a CSV file (the fast path when it is provably right, else strict).

    Parameters
    ----------
    decoded
        The file's bytes and encoding (:func:`apk_geo.io._text.decide_encoding`).
    delimiter
        Field separator.
    header
        The header's fields (:func:`parse_header`).
    header_lines
        Lines the header takes.
    path
        The file, for messages.
    lang
        Language of the reasons.
    short_rows
        ``"quarantine"`` a row with too few fields (incident exports) or ``"pad"`` it with
        empty cells (other tables).
    force_strict
        Skip the fast path (when the first record is longer than the header: the C parser
        would take its first field as an index and shift every column).

    Returns
    -------
    Parsed
        The records, their lines, the bad ones and the line counts.
    """
    fast = None
    if not force_strict:
        fast = _parse_fast(
            decoded,
            delimiter=delimiter,
            header=header,
            header_lines=header_lines,
            check_lengths=short_rows == "quarantine",
        )
    if fast is not None:
        return fast
    text = _decoded_text(decoded, path=path, lang=lang)
    collecting = gc.isenabled()
    gc.disable()  # a million row lists would trigger the cycle collector over and over
    try:
        return _parse_strict(
            text,
            delimiter=delimiter,
            header=header,
            header_lines=header_lines,
            lang=lang,
            short_rows=short_rows,
        )
    finally:
        if collecting:
            gc.enable()


def _decoded_text(decoded: Decoded, *, path: str, lang: str) -> str:
    """Decode the bytes to parse (strictly); name the first bad byte and its line."""
    try:
        return decoded.content.decode(decoded.parse_encoding)
    except UnicodeDecodeError as exc:
        raise undecodable_error(
            decoded.content, decoded.parse_encoding, path=Path(path), lang=lang
        ) from exc


# --------------------------------------------------------------------------------------------
# Fast path
# --------------------------------------------------------------------------------------------


def _parse_fast(
    decoded: Decoded,
    *,
    delimiter: str,
    header: Sequence[str],
    header_lines: int,
    check_lengths: bool,
) -> Parsed | None:
    """Read with the C parser; return ``None`` unless the counts prove nothing was lost.

    ``check_lengths``: also prove that no row has too few fields (the C parser pads them).
    """
    stats = decoded.stats
    if stats.lone_carriage_returns or len(delimiter) != 1 or not delimiter.isascii():
        return None
    frame = arrow_cells(
        decoded, delimiter=delimiter, n_fields=len(header), header_lines=header_lines
    )
    if frame is None:
        frame = _c_parser(decoded, delimiter=delimiter)
    if frame is None or len(frame.columns) != len(header):
        return None
    frame.columns = pd.Index(dedupe_names(header))
    quoted = stats.has(_QUOTE)
    # every data line starts a row or continues a quoted value: the difference is the latter
    quoted_newlines = stats.physical_lines - header_lines - len(frame)
    if quoted_newlines < 0 or (quoted_newlines and not quoted):
        return None
    if quoted and _stray_quote(decoded.content, delimiter):
        return None
    per_row = np.zeros(len(frame), dtype=np.int64)
    if quoted_newlines:
        per_row = _newlines_per_row(frame)
        if int(per_row.sum()) != quoted_newlines or _swallowing(frame, delimiter):
            return None
    lines = 1 + header_lines + np.arange(len(frame), dtype=np.int64)
    if quoted_newlines:
        lines += np.concatenate([[0], np.cumsum(per_row)[:-1]]).astype(np.int64)
    empty = blank_mask(frame)
    if check_lengths and len(frame):
        inner = _inner_delimiters(frame, header, delimiter=delimiter, quoted=quoted)
        on_blank = (
            _delimiters_on_lines(
                decoded.content, delimiter, starts=lines[empty], spans=per_row[empty] + 1
            )
            if empty.any()
            else 0
        )
        expected = (len(header) - 1) * (1 + int((~empty).sum())) + inner + on_blank
        if _delimiter_count(decoded, delimiter) != expected:
            return None
    return Parsed(
        frame=frame,
        lines=lines,
        bad=(),
        physical=stats.physical_lines - header_lines,
        quoted_newlines=quoted_newlines,
        blank=0,
        broken=0,
        parser="fast",
        empty=empty,
    )


def _c_parser(decoded: Decoded, *, delimiter: str) -> pd.DataFrame | None:
    """Return every cell as text, read by the C parser; ``None`` if it refuses the file."""
    try:
        frame = pd.read_csv(
            _stdio.BytesIO(decoded.content),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            encoding=decoded.parse_encoding,
            encoding_errors="strict",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error):
        return None  # a decoding error included: the strict path names its line
    except (OverflowError, MemoryError):
        return None
    return frame.fillna("")


def _newlines_per_row(frame: pd.DataFrame) -> np.ndarray:
    """Return how many line ends the cells of each row hold (quoted values over several lines)."""
    per_row = np.zeros(len(frame), dtype=np.int64)
    for col in frame.columns:
        counts = pc.count_substring(pa.array(frame[col].array), "\n")
        per_row += counts.to_numpy(zero_copy_only=False).astype(np.int64)
    return per_row


def _stray_quote(content: bytes, delimiter: str) -> bool:
    """Return whether a quote stands inside a value (neither opening nor closing a field)."""
    arr = np.frombuffer(content, dtype=np.uint8)
    pos = np.flatnonzero(arr == _QUOTE)
    pos = pos[(pos > 0) & (pos < len(arr) - 1)]
    if not len(pos):
        return False
    edge = np.zeros(256, dtype=bool)
    edge[[ord(delimiter), _LF, _CR, _QUOTE]] = True
    return bool((~edge[arr[pos - 1]] & ~edge[arr[pos + 1]]).any())


def _swallowing(frame: pd.DataFrame, delimiter: str) -> bool:
    """Return whether a value spanning lines holds a line with a record's worth of delimiters."""
    need = max(1, len(frame.columns) - 1)
    for col in frame.columns:
        cells = frame[col]
        multi = cells[cells.str.contains("\n", regex=False)]
        for value in multi.tolist():
            if any(line.count(delimiter) >= need for line in value.split("\n")[1:]):
                return True
    return False


def _delimiter_count(decoded: Decoded, delimiter: str) -> int:
    """Return how many delimiter bytes the file holds."""
    return decoded.content.count(delimiter.encode())


def _inner_delimiters(
    frame: pd.DataFrame, header: Sequence[str], *, delimiter: str, quoted: bool
) -> int:
    """Return the delimiters inside header names and cells (quoted values)."""
    inner = sum(name.count(delimiter) for name in header)
    if quoted:
        for col in frame.columns:
            counts = pc.count_substring(pa.array(frame[col].array), delimiter)
            inner += int(pc.sum(counts).as_py() or 0)
    return inner


def blank_mask(frame: pd.DataFrame) -> np.ndarray:
    """Return the rows whose every cell is blank (empty or white space)."""
    blank = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        todo = np.flatnonzero(blank)
        if not len(todo):
            break
        cells = frame[col] if len(todo) == len(frame) else frame[col].iloc[todo]
        blank[todo] = cells.str.strip().eq("").to_numpy(dtype=bool, copy=True)
    return blank


def _delimiters_on_lines(
    content: bytes, delimiter: str, *, starts: np.ndarray, spans: np.ndarray
) -> int:
    """Count the delimiters on the given (1-based) lines, each spanning ``spans`` lines."""
    ends = np.flatnonzero(np.frombuffer(content, dtype=np.uint8) == _LF)
    bounds = np.concatenate([[-1], ends, [len(content)]])
    byte = delimiter.encode()
    total = 0
    for start, span in zip(starts.tolist(), spans.tolist(), strict=True):
        lo, hi = int(bounds[start - 1]) + 1, int(bounds[min(start - 1 + span, len(bounds) - 1)])
        total += content.count(byte, lo, hi)
    return total


# --------------------------------------------------------------------------------------------
# Strict path
# --------------------------------------------------------------------------------------------


class _Record(NamedTuple):
    """One record split from lines: its fields, the next line, what went wrong."""

    fields: list[str]
    next: int
    problem: Literal["unclosed", "eof"] | None
    column: int = 0


def _parse_strict(
    text: str,
    *,
    delimiter: str,
    header: Sequence[str],
    header_lines: int,
    lang: str,
    short_rows: ShortRows,
) -> Parsed:
    """Read the records line by line; quarantine broken ones and go on (module docstring)."""
    lines, ends = split_lines(text)
    n_fields = len(header)
    optional = _optional_tail(header)
    rows: list[list[str]] = []
    starts: list[int] = []
    bad: list[BadRow] = []
    quoted = blank = broken = 0
    i = header_lines
    while i < len(lines):
        line = lines[i]
        if '"' not in line:  # the common case, without building a record object
            cells, nxt = line.split(delimiter), i + 1
            if len(cells) == n_fields:
                rows.append(cells)
                starts.append(i + 1)
                i = nxt
                continue
            if not line.strip():
                blank += 1
                i = nxt
                continue
        else:
            rec = _record(lines, ends, i, delimiter=delimiter, n_fields=n_fields)
            if rec.problem is not None:
                bad.append(_unclosed(rec, i, header=header, lines=lines, lang=lang))
                broken += rec.next - i - 1
                i = rec.next
                continue
            cells, nxt = rec.fields, rec.next
            quoted += nxt - i - 1
        if len(cells) < n_fields and (short_rows == "pad" or len(cells) >= n_fields - optional):
            cells = cells + [""] * (n_fields - len(cells))
        if len(cells) == n_fields or not any(c.strip() for c in cells):
            rows.append(_pad(cells, n_fields))
            starts.append(i + 1)
        else:
            last = nxt == len(lines) and ends[-1] == ""
            bad.append(_wrong_length(cells, i + 1, n_fields, delimiter, last=last, lang=lang))
        i = nxt
    names = dedupe_names(header)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    frame = pd.DataFrame(
        {pos: pd.Series(list(col), dtype="str") for pos, col in enumerate(columns)}
    )
    frame.columns = pd.Index(names)
    return Parsed(
        frame=frame,
        lines=np.asarray(starts, dtype=np.int64),
        bad=tuple(bad),
        physical=len(lines) - header_lines,
        quoted_newlines=quoted,
        blank=blank,
        broken=broken,
        parser="strict",
        empty=blank_mask(frame),
    )


def _pad(cells: list[str], n: int) -> list[str]:
    """Return ``cells`` cut or padded with empty cells to ``n`` (only for rows of empty cells)."""
    return cells[:n] + [""] * (n - len(cells))


def _optional_tail(header: Sequence[str]) -> int:
    """Return how many header fields at the end are unnamed (a row may stop before them)."""
    n = 0
    for name in reversed(header):
        if name.strip():
            break
        n += 1
    return n


def _record(
    lines: Sequence[str], ends: Sequence[str], i: int, *, delimiter: str, n_fields: int | None
) -> _Record:
    """Split the record starting on line ``i`` (quoted fields may continue on later lines).

    ``n_fields`` is the header's length: a line after an open quote that is itself a record
    start (see :func:`_record_start`) ends the record as an unclosed quote. ``None`` (the
    header) disables that check.
    """
    line = lines[i]
    if '"' not in line:
        return _Record(line.split(delimiter), i + 1, None)
    fields: list[str] = []
    buf, pos, j = line, 0, i
    while True:
        if buf.startswith('"', pos):
            value, pos, j, buf, problem = _quoted_field(
                lines, ends, j, buf, pos, delimiter=delimiter, n_fields=n_fields
            )
            fields.append(value)
            if problem is not None:
                return _Record(fields, j, problem, column=len(fields))
            if pos >= len(buf):
                return _Record(fields, j + 1, None)
            pos += 1  # the delimiter after the field
            continue
        end = buf.find(delimiter, pos)
        if end < 0:
            fields.append(buf[pos:])
            return _Record(fields, j + 1, None)
        fields.append(buf[pos:end])
        pos = end + 1


def _quoted_field(
    lines: Sequence[str],
    ends: Sequence[str],
    j: int,
    buf: str,
    pos: int,
    *,
    delimiter: str,
    n_fields: int | None,
) -> tuple[str, int, int, str, Literal["unclosed", "eof"] | None]:
    """Read the quoted field opening at ``buf[pos]`` on line ``j``.

    Returns ``(value, position after it, its last line, that line, problem)``. On a problem the
    position is unused and the line index is where reading goes on (the next record's line or
    the end of the text).
    """
    chunks: list[str] = []
    raw: list[str] = []
    k, start = pos + 1, pos
    while True:
        q = buf.find('"', k)
        if q < 0:
            chunks.append(buf[k:])
            raw.append(buf[start:])
            if j + 1 >= len(lines):
                return "".join(raw), 0, len(lines), buf, "eof"
            if n_fields is not None and _record_start(lines[j + 1], delimiter, n_fields):
                return "".join(raw), 0, j + 1, buf, "unclosed"
            chunks.append(ends[j])
            raw.append(ends[j])
            j, buf, k, start = j + 1, lines[j + 1], 0, 0
            continue
        if buf.startswith('"', q + 1):  # "" inside a quoted field is one quote
            chunks.append(buf[k : q + 1])
            k = q + 2
            continue
        chunks.append(buf[k:q])
        after = q + 1
        if after >= len(buf) or buf.startswith(delimiter, after):
            return "".join(chunks), after, j, buf, None
        # text after the closing quote ("pes" velký): the value as written, quotes and all
        end = buf.find(delimiter, after)
        end = len(buf) if end < 0 else end
        return "".join(raw) + buf[start:end], end, j, buf, None


def _record_start(line: str, delimiter: str, n_fields: int) -> bool:
    """Return whether ``line`` on its own reads as the start of a record.

    A whole record (its quotes balanced, exactly the header's number of fields), or the start of
    one whose last field opens a quote that continues on the next line, with at least half of
    the header's fields before it. A line that closes a quoted value (an odd number of quotes
    and no open field at its end) is a continuation, not a record.
    """
    if line.count(delimiter) < max(1, n_fields // 2 - 1):
        return False
    fields, open_quote = _split_alone(line, delimiter)
    if open_quote:
        return n_fields // 2 <= len(fields) - 1 < n_fields
    return len(fields) == n_fields and line.count('"') % 2 == 0


def _split_alone(line: str, delimiter: str) -> tuple[list[str], bool]:
    """Split one line on its own; return its fields and whether its last field's quote is open."""
    rec = _record([line], [""], 0, delimiter=delimiter, n_fields=None)
    return rec.fields, rec.problem is not None


def _unclosed(
    rec: _Record, i: int, *, header: Sequence[str], lines: Sequence[str], lang: str
) -> BadRow:
    """Return the quarantine row of a record whose quote does not close."""
    col = rec.column
    name = header[col - 1] if 0 < col <= len(header) else ""
    column = msg("io.where.column", lang, n=col, name=name)
    if rec.problem == "eof":
        reason = msg("io.reason.unclosed_quote_eof", lang, column=column)
    else:
        reason = msg("io.reason.unclosed_quote", lang, column=column, next_line=rec.next + 1)
    value = lines[i] if len(lines[i]) <= 200 else lines[i][:200] + "…"
    return BadRow(
        line=i + 1,
        cells=tuple(f[:2000] for f in rec.fields),
        field="row",
        value=value,
        expected=msg("io.expected.closed_quote", lang),
        reason=reason,
    )


def _wrong_length(
    cells: list[str], line: int, n_fields: int, delimiter: str, *, last: bool, lang: str
) -> BadRow:
    """Return the quarantine row of a record with too few or too many fields."""
    got = len(cells)
    if got > n_fields:
        reason = too_many_fields(got, n_fields, delimiter, lang=lang)
    elif last:
        reason = msg("io.reason.truncated_last_line", lang, got=got, expected=n_fields)
    else:
        reason = msg(
            "io.reason.too_few_fields",
            lang,
            got=got,
            expected=n_fields,
            missing=n_fields - got,
        )
    return BadRow(
        line=line,
        cells=tuple(cells),
        field="row",
        value=msg("io.value.fields", lang, n=got),
        expected=msg("io.expected.fields", lang, n=n_fields),
        reason=reason,
    )


def too_many_fields(got: int, expected: int, delimiter: str, *, lang: str = "cs") -> str:
    """Return the reason of a row with more fields than the header."""
    return msg("io.reason.too_many_fields", lang, got=got, expected=expected, delimiter=delimiter)
