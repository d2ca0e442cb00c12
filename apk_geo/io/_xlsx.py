"""Read every data sheet of an XLSX workbook as text cells, naming what is skipped and why.

Used by :func:`apk_geo.io.read.read_table`. Each worksheet is looked at: its header is the first
of its first ten non-empty rows that the caller accepts (an incident export's columns); a sheet
without one is skipped, with the reason (``chybí povinné sloupce: Datum``), so a workbook whose
first sheet holds instructions is read from its data sheet and a workbook with the data on two
sheets is read whole. Chart sheets are skipped.

Cells become text as pandas' Excel reader makes them (``17``, ``49.84``, ``2026-07-01 00:00:00``,
``09:30:00``); error cells keep their code (``#N/A``). A formula cell takes the value Excel
saved with it; a formula without a saved value (a workbook written by a program, never opened in
Excel) in a column that is read makes its row a bad row naming the cell and the formula.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from apk_geo.errors import InputFileError
from apk_geo.io._messages import msg
from apk_geo.io._records import BadRow
from apk_geo.io._text import drop_zero_width

__all__ = ["HeaderCheck", "Sheet", "Workbook", "read_workbook"]

logger = logging.getLogger(__name__)

#: How many non-empty rows at the top of a sheet may hold its header (title rows above it).
HEADER_SEARCH_ROWS: Final = 10

#: ``(sheet name, header) → (canonical column mapping, "")`` when the header is an export's,
#: else ``(None, reason)``; it may raise to refuse the workbook (a data sheet's bad header).
HeaderCheck = Callable[[str, list[str]], tuple[dict[str, str] | None, str]]


@dataclass(frozen=True)
class Sheet:
    """The records of one data sheet.

    Attributes
    ----------
    name
        The sheet's name.
    header
        Its header's names (empty ones named ``Unnamed: <column index>``).
    columns
        Canonical column → header name.
    header_row
        The 1-based row of the header.
    rows, lines
        The records (text cells, as many as the header) and their row numbers.
    bad
        Records that cannot be read (a formula without a value in a column that is read).
    physical, blank
        Rows under the header, and those of them without any value.
    formulas
        Formula cells without a saved value (in any column).
    """

    name: str
    header: list[str]
    columns: dict[str, str]
    header_row: int
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    physical: int = 0
    blank: int = 0
    formulas: int = 0


@dataclass(frozen=True)
class Workbook:
    """The data sheets of a workbook and the sheets skipped, with their reasons."""

    sheets: list[Sheet]
    skipped: list[tuple[str, str]]


def read_workbook(path: Path, *, header_check: HeaderCheck, lang: str = "cs") -> Workbook:
    """Read every worksheet whose header ``header_check`` accepts.

    Parameters
    ----------
    path
        The workbook.
    header_check
        Decides whether a row is an export's header (see :data:`HeaderCheck`).
    lang
        Language of the reasons.

    Returns
    -------
    Workbook
        The data sheets in workbook order, and the skipped sheets with their reasons.

    Raises
    ------
    InputFileError
        If the file cannot be opened as a workbook.
    """
    book = _open(path, data_only=False, lang=lang)
    cached: Any = None
    sheets: list[Sheet] = []
    skipped: list[tuple[str, str]] = [
        (name, msg("io.sheet.not_worksheet", lang)) for name in _chart_sheets(book)
    ]
    try:
        for ws in book.worksheets:
            values, formulas = _sheet_values(ws)
            if formulas:
                cached = cached or _open(path, data_only=True, lang=lang)
                _fill_cached(values, formulas, cached[ws.title])
            sheet = _data_sheet(ws.title, values, formulas, header_check=header_check, lang=lang)
            if isinstance(sheet, Sheet):
                sheets.append(sheet)
            else:
                skipped.append((ws.title, sheet))
    finally:
        book.close()
        if cached is not None:
            cached.close()
    return Workbook(sheets=sheets, skipped=skipped)


def _open(path: Path, *, data_only: bool, lang: str) -> Any:
    """Open the workbook read-only; refuse a damaged one."""
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        # the library's own text (English, about its internals) goes to the log, not the user
        logger.warning(
            "%s: openpyxl cannot open the workbook: %s: %s", path, type(exc).__name__, exc
        )
        raise InputFileError(msg("io.error.bad_workbook", lang), path=str(path)) from exc


def _chart_sheets(book: Any) -> list[str]:
    """Return the names of the chart sheets."""
    worksheets = {ws.title for ws in book.worksheets}
    return [name for name in book.sheetnames if name not in worksheets]


def _sheet_values(ws: Any) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    """Return the sheet's cell values by row, and its formula cells (formula text by position)."""
    values: list[list[object]] = []
    formulas: dict[tuple[int, int], str] = {}
    for i, row in enumerate(ws.iter_rows(min_row=1)):
        out: list[object] = []
        for j, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                formulas[(i, j)] = str(cell.value)
                out.append(None)
            else:
                out.append(cell.value)
        values.append(out)
    return values, formulas


def _fill_cached(
    values: list[list[object]], formulas: Mapping[tuple[int, int], str], ws: Any
) -> None:
    """Put the values Excel saved for the formula cells into ``values`` (None when unsaved)."""
    wanted = {i for i, _ in formulas}
    for i, row in enumerate(ws.iter_rows(min_row=1, values_only=True)):
        if i not in wanted or i >= len(values):
            continue
        for j, value in enumerate(row):
            if (i, j) in formulas and j < len(values[i]):
                values[i][j] = value


def _data_sheet(
    name: str,
    values: list[list[object]],
    formulas: Mapping[tuple[int, int], str],
    *,
    header_check: HeaderCheck,
    lang: str,
) -> Sheet | str:
    """Return the sheet's records, or the reason it is not a data sheet."""
    found = _find_header(name, values, header_check, lang=lang)
    if isinstance(found, str):
        return found
    at, header, columns = found
    width = max(_used_width(values, start=at), *(j + 1 for i, j in formulas if i > at), 0)
    header = [h if h.strip() else f"Unnamed: {j}" for j, h in enumerate(_pad(header, width))]
    used = {header.index(h) for h in columns.values()}
    rows: list[list[str]] = []
    lines: list[int] = []
    bad: list[BadRow] = []
    blank = unsaved_total = 0
    for i in range(at + 1, len(values)):
        cells = [_cell_text(v) for v in _pad(values[i], width)]
        unsaved = [j for j in range(width) if (i, j) in formulas and values[i][j] is None]
        unsaved_total += len(unsaved)
        read = [j for j in unsaved if j in used]
        if read:
            bad.append(_formula_row(name, i, read[0], cells, formulas, header, columns, lang))
        elif any(c.strip() for c in cells):
            rows.append(cells)
            lines.append(i + 1)
        else:
            blank += 1
    return Sheet(
        name=name,
        header=header,
        columns=columns,
        header_row=at + 1,
        rows=rows,
        lines=lines,
        bad=bad,
        physical=max(0, len(values) - at - 1),
        blank=blank,
        formulas=unsaved_total,
    )


def _find_header(
    name: str, values: Sequence[Sequence[object]], header_check: HeaderCheck, *, lang: str
) -> tuple[int, list[str], dict[str, str]] | str:
    """Return ``(row index, header, columns)`` of the sheet's header, or why there is none."""
    first_reason: str | None = None
    for i, row in _nonempty_rows(values, limit=HEADER_SEARCH_ROWS):
        header = [drop_zero_width(_cell_text(v)).strip() for v in row]
        columns, reason = header_check(name, header)
        if columns is not None:
            return i, header, columns
        first_reason = first_reason or reason
    return first_reason if first_reason is not None else msg("io.sheet.empty", lang)


def _nonempty_rows(
    values: Sequence[Sequence[object]], *, limit: int
) -> Iterator[tuple[int, Sequence[object]]]:
    """Yield the first ``limit`` rows with any value, with their index."""
    n = 0
    for i, row in enumerate(values):
        if any(_cell_text(v).strip() for v in row):
            yield i, row
            n += 1
            if n >= limit:
                return


def _used_width(values: Sequence[Sequence[object]], *, start: int) -> int:
    """Return the number of columns with a value from row ``start`` on."""
    width = 0
    for row in values[start:]:
        for j in range(len(row) - 1, width - 1, -1):
            if row[j] is not None and str(row[j]).strip():
                width = j + 1
                break
    return width


def _pad(row: Sequence[Any], width: int) -> list[Any]:
    """Return ``row`` cut or padded (with None) to ``width`` cells."""
    out = list(row[:width])
    return out + [None] * (width - len(out))


def _formula_row(
    sheet: str,
    i: int,
    j: int,
    cells: list[str],
    formulas: Mapping[tuple[int, int], str],
    header: Sequence[str],
    columns: Mapping[str, str],
    lang: str,
) -> BadRow:
    """Return the bad row of a record whose cell ``j`` is a formula without a saved value."""
    canon = next(c for c, h in columns.items() if h == header[j])
    cell = f"{sheet}!{get_column_letter(j + 1)}{i + 1}"
    formula = formulas[(i, j)]
    reason = msg("io.reason.formula", lang, cell=cell, formula=formula)
    return BadRow(
        line=i + 1,
        cells=tuple(cells),
        field=canon,
        value=formula,
        expected=msg("io.expected.formula_value", lang),
        reason=f"{header[j]}: {reason}",  # the file's own column, as record reasons name it
        sheet=sheet,
    )


def _cell_text(value: object) -> str:
    """Return a cell's value as text, as pandas' Excel reader with ``dtype=str`` gives it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    if isinstance(value, dt.datetime | dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, dt.date):
        return f"{value.isoformat()} 00:00:00"
    return str(value)
