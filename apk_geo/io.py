"""Read incident exports (CSV or XLSX) and validate every row against the data model.

Two public steps, both vectorised so that a million-row export reads in seconds:

* :func:`read_table` opens a file and returns a :class:`RawTable`: the cells as text under their
  original headers, the file line of every row and the mapping of canonical column names
  (:data:`apk_geo.schema.INPUT_COLUMNS`) to the file's headers. CSV files may be UTF-8 (with or
  without BOM), UTF-16 (with BOM) or Windows-1250, separated by ``;``, ``,`` or a tab; encoding and
  delimiter are detected and can be overridden. A file that cannot be read at all raises
  :class:`~apk_geo.errors.InputFileError` naming the file.
* :func:`validate` checks every row and splits the table into valid canonical records and
  quarantined rows. Each quarantined row keeps its file, line, the original cells (``raw``,
  JSON) and
  a reason in :class:`~apk_geo.errors.RecordError` form (``field: got 'value', expected ...``).
  Nothing is dropped silently: ``read == len(valid) + duplicates + len(quarantine)``.

Times are local (Europe/Prague). A wall-clock time that does not exist (the hour skipped when
summer time starts) is moved forward by the length of the gap; a time that occurs twice (the hour
repeated when summer time ends) is taken as the first occurrence (summer time). Both are logged.
"""

from __future__ import annotations

import codecs
import csv
import io as _stdio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from apk_geo.config import Config
from apk_geo.errors import InputFileError, RecordError
from apk_geo.geocode import default_city_extent_5514, resolve_coordinates
from apk_geo.schema import (
    HEADER_ALIASES,
    INPUT_COLUMNS,
    OUTCOMES,
    QUARANTINE_COLUMNS,
    TIMEZONE,
    all_categories,
    build_lookup,
    fold,
)

logger = logging.getLogger(__name__)

#: Columns of :attr:`Validated.valid`, in this order.
VALID_COLUMNS: Final = ("source", *INPUT_COLUMNS, "record_hash", "line")

#: Delimiters tried when none is given, most likely first.
DELIMITERS: Final = (";", ",", "\t")

#: Magnitude of either WGS84 coordinate inside Czechia (latitude 48.5–51.1, longitude 12.0–18.9),
#: so that swapped axes and flipped signs reach :func:`apk_geo.geocode.resolve_coordinates`.
LATLON_ABS_RANGE: Final = (12.0, 51.1)
#: Magnitude of either S-JTSK coordinate inside Czechia; the sign convention (EPSG:5514 negative
#: or RÚIAN positive) and the axis order are resolved by :func:`apk_geo.geocode.geocode`.
SJTSK_ABS_RANGE: Final = (430_000.0, 1_230_000.0)

#: Earliest accepted incident time; later than "now + 1 day" is rejected as a typo.
EARLIEST: Final = pd.Timestamp("2000-01-01", tz=TIMEZONE)

#: Date-time formats tried in order (after normalisation: ``T`` → space, ``24. 11.`` → ``24.11.``).
DATETIME_FORMATS: Final = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
)

_ASSISTANT_RE: Final = r"^[A-Za-z0-9_.\-]{1,32}$"
_OFFSET_RE: Final = r"(?:Z|[+-]\d{2}:?\d{2})$"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_COLUMNS: Final = ("id", "category", "outcome", "assistant", "note", "address")


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
    bad_rows: tuple[tuple[int, tuple[str, ...], str], ...] = ()
    kind: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def n_rows(self) -> int:
        """Number of records in the file (readable rows plus bad rows)."""
        return len(self.data) + len(self.bad_rows)


@dataclass(frozen=True)
class Validated:
    """Result of :func:`validate`.

    Attributes
    ----------
    valid
        Valid records, columns :data:`VALID_COLUMNS`: text columns as pandas strings (missing =
        NA), ``reported_at`` timezone-aware Europe/Prague, ``lat``/``lon``/``x``/``y`` float (NaN
        when absent), ``record_hash`` (16 hex digits over the canonical content) and ``line``.
    quarantine
        Rejected rows, columns :data:`apk_geo.schema.QUARANTINE_COLUMNS` (``imported_at`` is NaT
        until the store writes them).
    duplicates
        Rows that repeat an earlier row of the same file exactly (same id, same content).
    read
        Number of records read: ``read == len(valid) + duplicates + len(quarantine)``.
    params
        What was detected (encoding, delimiter, column mapping, DST adjustments), JSON-serialisable.
    """

    valid: pd.DataFrame
    quarantine: pd.DataFrame
    duplicates: int
    read: int
    params: dict[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_table(
    path: str | Path, *, delimiter: str | None = None, encoding: str | None = None
) -> RawTable:
    """Read an incident export (CSV or XLSX) into a :class:`RawTable`.

    Parameters
    ----------
    path
        CSV (UTF-8, UTF-16 with BOM or cp1250; ``;``, ``,`` or tab separated) or XLSX file; the
        format is detected from the content, not the suffix.
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
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputFileError(
            f"delimiter must be one character other than a quote or newline, got {delimiter!r}",
            path=str(p),
        )
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputFileError(
                f"unknown encoding {encoding!r}; use e.g. utf-8 or cp1250", path=str(p)
            ) from exc
    try:
        content = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", path=str(p)) from exc
    if not content.strip():
        raise InputFileError("the file is empty; expected a header line and records", path=str(p))
    if content.startswith(_OLE_MAGIC):
        raise InputFileError(
            "this is an old Excel .xls file; save it as .xlsx or CSV (UTF-8) and import again",
            path=str(p),
        )
    if content.startswith(_ZIP_MAGIC):
        data, lines = _read_xlsx(p)
        columns = _map_headers(data.columns, path=p)
        data, lines = _drop_empty_rows(data, lines)
        return RawTable(path=p, data=data, lines=lines, columns=columns, kind="xlsx")
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
    head = text[:65_536]
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


def _parse_csv(
    content: bytes, text: str, *, encoding: str, delimiter: str, path: Path
) -> tuple[pd.DataFrame, np.ndarray, tuple[tuple[int, tuple[str, ...], str], ...]]:
    """Split CSV into a frame of strings, the start line of each row and the bad rows.

    The C parser reads the bytes directly (several times faster than from decoded text); rows
    with too many fields or broken quoting send the file down the row-by-row path.
    """
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
    header_newlines = sum(str(c).count("\n") for c in frame.columns)
    extra = np.zeros(len(frame), dtype=np.int64)
    multiline = [c for c in frame.columns if frame[c].str.contains("\n", regex=False).any()]
    if multiline:  # quoted values spanning lines shift the line numbers of later rows
        per_row = sum(
            frame[c].str.count("\n").to_numpy(dtype=np.int64, copy=True) for c in multiline
        )
        extra = np.concatenate([[0], np.cumsum(per_row)[:-1]]).astype(np.int64)
    lines = 2 + header_newlines + np.arange(len(frame), dtype=np.int64) + extra
    return frame, lines, ()


def _parse_csv_slow(
    text: str, *, delimiter: str, path: Path
) -> tuple[pd.DataFrame, np.ndarray, tuple[tuple[int, tuple[str, ...], str], ...]]:
    """Row-by-row CSV parsing that keeps rows with a wrong number of fields as bad rows."""
    reader = csv.reader(_stdio.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[list[str]] = []
    starts: list[int] = []
    bad: list[tuple[int, tuple[str, ...], str]] = []
    try:
        header = next(reader)
        header_end = reader.line_num
        prev_end = header_end
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if len(row) > len(header):
                bad.append(
                    (
                        start,
                        tuple(row),
                        (
                            f"row: got {len(row)} fields, expected {len(header)} as in the header "
                            f"(is a {delimiter!r} inside an unquoted value?)"
                        ),
                    )
                )
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
    missing = [c for c in ("id", "category") if c not in columns]
    if "reported_at" not in columns and "date" not in columns:
        missing.append("reported_at (or Datum)")
    for a, b in (("lat", "lon"), ("x", "y")):
        if (a in columns) != (b in columns):
            missing.append(b if a in columns else a)
    if not ({"address", "lat", "x"} & columns.keys()):
        missing.append("address (or lat/lon or x/y)")
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


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@dataclass
class _Check:
    """One failed check: which rows, which field, the offending values, what was expected."""

    field: str
    mask: np.ndarray
    values: pd.Series
    expected: pd.Series | str


def validate(
    raw: RawTable,
    *,
    source: str,
    config: Config,
    city_extent_5514: tuple[float, float, float, float] | None = None,
) -> Validated:
    """Validate every row of ``raw``; return canonical valid records and quarantined rows.

    Parameters
    ----------
    raw
        Output of :func:`read_table`.
    source
        Name of the system the export comes from; ``id`` is unique within a source.
    config
        Supplies ``extra_categories``.
    city_extent_5514
        ``(min_x, min_y, max_x, max_y)`` in EPSG:5514 that coordinates must fall in (after
        fixing swapped axes and signs, see :func:`apk_geo.geocode.resolve_coordinates`);
        ``None``: Ostrava's (:func:`apk_geo.geocode.default_city_extent_5514`). Pass the same
        extent to :func:`apk_geo.geocode.geocode`.

    Returns
    -------
    Validated
        ``valid`` (columns :data:`VALID_COLUMNS`), ``quarantine``
        (:data:`apk_geo.schema.QUARANTINE_COLUMNS`), the count of exact in-file ``duplicates``
        and ``read``; ``read == len(valid) + duplicates + len(quarantine)`` always holds.

    Raises
    ------
    ValueError
        If ``source`` is empty.

    Notes
    -----
    Checks: ``id`` non-empty and unique in the file (the first row wins; a later row with the same
    id and the same content counts as a duplicate, with other content it is quarantined); a date
    and time in a Czech or ISO format, not before 2000 and not in the future; ``category`` and
    ``outcome`` known codes or labels (case- and diacritics-insensitive; ``outcome`` may be empty);
    ``assistant`` a pseudonymous code (letters, digits, ``-``, ``_``, ``.``); coordinates numeric,
    in pairs and of a magnitude found in Czechia; and at least one location: an address, or
    coordinates that lie inside the city extent once swapped axes and signs are fixed. A row
    whose coordinates lie outside the city but which has an address is kept: geocoding then uses
    the address and says why in ``geocode_reason``.

    Examples
    --------
    >>> v = validate(read_table("export.csv"), source="apk", config=Config())  # doctest: +SKIP
    >>> v.read == len(v.valid) + v.duplicates + len(v.quarantine)  # doctest: +SKIP
    True
    """
    if not source or not source.strip():
        raise ValueError("source must be a non-empty name, got {source!r}")
    data = raw.data
    n = len(data)
    canon = {c: _col(data, raw.columns.get(c), n) for c in (*HEADER_ALIASES,)}
    checks: list[_Check] = []

    ids = canon["id"]
    checks.append(
        _Check("id", ids.eq("").to_numpy(dtype=bool, copy=True), ids, "a non-empty record id")
    )

    reported_at, dt_checks, dst = _parse_datetimes(canon, raw.columns)
    checks.extend(dt_checks)

    extra = config.extra_categories
    category, bad_cat = _map_codes(canon["category"], build_lookup(all_categories(extra)))
    checks.append(
        _Check(
            "category",
            bad_cat,
            canon["category"],
            "a category code or label, one of " + ", ".join(c.code for c in all_categories(extra)),
        )
    )
    outcome, bad_out = _map_codes(canon["outcome"], build_lookup(OUTCOMES), allow_empty=True)
    checks.append(
        _Check(
            "outcome",
            bad_out,
            canon["outcome"],
            "empty or an outcome code or label, one of " + ", ".join(c.code for c in OUTCOMES),
        )
    )
    assistant = canon["assistant"]
    bad_asst = (assistant.ne("") & ~assistant.str.fullmatch(_ASSISTANT_RE)).to_numpy(
        dtype=bool, copy=True
    )
    checks.append(
        _Check(
            "assistant",
            bad_asst,
            assistant,
            "a pseudonymous code like A07 (letters, digits, -, _ or .; no names or spaces)",
        )
    )

    coords: dict[str, pd.Series] = {}
    pair_ok: dict[str, np.ndarray] = {}
    coord_bad = np.zeros(n, dtype=bool)
    for (a, b), rng, what in (
        (("lat", "lon"), LATLON_ABS_RANGE, "WGS84 degrees, either axis order"),
        (("x", "y"), SJTSK_ABS_RANGE, "S-JTSK metres, either sign"),
    ):
        for name in (a, b):
            coords[name], bad_num = _parse_number(canon[name])
            checks.append(_Check(name, bad_num, canon[name], f"a number ({what})"))
            value = coords[name].abs()
            out = (value.notna() & ~value.between(*rng)).to_numpy(dtype=bool, copy=True)
            checks.append(
                _Check(
                    name,
                    out & ~bad_num,
                    canon[name],
                    f"a value of magnitude in {_num(rng[0])}..{_num(rng[1])} ({what}, "
                    f"inside Czechia)",
                )
            )
            coord_bad |= bad_num | out
        has_a = canon[a].ne("").to_numpy(dtype=bool, copy=True)
        has_b = canon[b].ne("").to_numpy(dtype=bool, copy=True)
        checks.append(_Check(b, has_a & ~has_b, canon[b], f"a value because {a} is given"))
        checks.append(_Check(a, has_b & ~has_a, canon[a], f"a value because {b} is given"))
        coord_bad |= has_a ^ has_b
        pair_ok[a] = (coords[a].notna() & coords[b].notna()).to_numpy(dtype=bool, copy=True)

    address = canon["address"]
    checks.extend(
        _outside_city(
            coords,
            pair_ok,
            todo=(pair_ok["lat"] | pair_ok["x"])
            & ~coord_bad
            & address.eq("").to_numpy(dtype=bool, copy=True),
            canon=canon,
            extent=city_extent_5514,
        )
    )
    no_location = address.eq("").to_numpy(dtype=bool, copy=True) & ~pair_ok["lat"] & ~pair_ok["x"]
    coord_given = np.zeros(n, dtype=bool)
    for name in ("lat", "lon", "x", "y"):
        coord_given |= canon[name].ne("").to_numpy(dtype=bool, copy=True)
    checks.append(
        _Check(
            "address",
            no_location & ~coord_given,
            address,
            "an address or coordinates (lat/lon or x/y); the row has no location",
        )
    )

    failed = np.zeros(n, dtype=bool)
    for chk in checks:
        failed |= chk.mask

    valid = pd.DataFrame(
        {
            "source": pd.Series([source] * n, dtype="str"),
            "id": ids,
            "reported_at": reported_at,
            "category": category,
            "outcome": outcome,
            "assistant": _empty_to_na(assistant),
            "note": _empty_to_na(canon["note"]),
            "address": _empty_to_na(address),
            "lat": coords["lat"],
            "lon": coords["lon"],
            "x": coords["x"],
            "y": coords["y"],
            "line": raw.lines.astype(np.int64),
        }
    )
    valid["record_hash"] = record_hash(valid)
    valid = valid[list(VALID_COLUMNS)]

    # Duplicate ids among the rows that passed: the first wins.
    ok_idx = np.flatnonzero(~failed)
    ok = valid.iloc[ok_idx]
    dup = ok["id"].duplicated(keep="first").to_numpy(dtype=bool, copy=True)
    n_same = 0
    dup_check_mask = np.zeros(n, dtype=bool)
    dup_expected = np.full(n, "", dtype=object)
    valid_out = ok
    if dup.any():
        first = ok.loc[~dup, ["id", "record_hash", "line"]].set_index("id")
        later = ok.loc[dup]
        first_of_later = first.loc[later["id"]]
        same = later["record_hash"].to_numpy() == first_of_later["record_hash"].to_numpy()
        n_same = int(same.sum())
        conflict_pos = later.index[~same].to_numpy()
        dup_check_mask[conflict_pos] = True
        dup_expected[conflict_pos] = [
            f"an id unique within the file (line {ln} holds a different record with this id)"
            for ln in first_of_later["line"].to_numpy()[~same].tolist()
        ]
        failed[conflict_pos] = True
        valid_out = ok.loc[~dup]
        logger.info(
            "%s: %d exact duplicate row(s), %d conflicting id(s)",
            raw.path,
            n_same,
            len(conflict_pos),
        )
    checks.append(_Check("id", dup_check_mask, ids, pd.Series(dup_expected, dtype="str")))

    quarantine = _quarantine_frame(raw, source=source, checks=checks, failed=failed)
    valid_out = valid_out.reset_index(drop=True)
    read = raw.n_rows
    params: dict[str, object] = {
        "file": str(raw.path),
        "kind": raw.kind,
        "encoding": raw.encoding,
        "delimiter": raw.delimiter,
        "columns": dict(raw.columns),
        "dst_shifted_forward": dst[0],
        "dst_ambiguous_first": dst[1],
    }
    if dst[0] or dst[1]:
        logger.warning(
            "%s: %d time(s) in the spring DST gap moved forward, %d ambiguous autumn time(s) "
            "taken as summer time",
            raw.path,
            dst[0],
            dst[1],
        )
    result = Validated(
        valid=valid_out, quarantine=quarantine, duplicates=n_same, read=read, params=params
    )
    if read != len(valid_out) + n_same + len(quarantine):  # pragma: no cover - invariant
        raise RuntimeError("internal error: validation counts do not reconcile")
    return result


def _outside_city(
    coords: Mapping[str, pd.Series],
    pair_ok: Mapping[str, np.ndarray],
    *,
    todo: np.ndarray,
    canon: Mapping[str, pd.Series],
    extent: tuple[float, float, float, float] | None,
) -> list[_Check]:
    """Check that rows located only by coordinates lie inside the city extent.

    The same rule as geocoding (:func:`apk_geo.geocode.resolve_coordinates`): swapped axes and
    flipped signs are fixed when that puts the point inside the extent. A row with an address is
    not checked here; geocoding falls back to its address.
    """
    n = len(todo)
    bbox = default_city_extent_5514() if extent is None else extent
    pos = np.flatnonzero(todo)
    outside = {a: np.zeros(n, dtype=bool) for a in ("lat", "x")}
    expected = np.full(n, "", dtype=object)
    if len(pos):
        frame = pd.DataFrame({c: coords[c].to_numpy()[pos] for c in ("lat", "lon", "x", "y")})
        placed = resolve_coordinates(frame, city_extent_5514=bbox)
        rejected = ~placed["placed"].to_numpy(dtype=bool)
        where = (
            f"a point inside the city extent (EPSG:5514 x {bbox[0]:.0f}..{bbox[2]:.0f}, "
            f"y {bbox[1]:.0f}..{bbox[3]:.0f}) in some axis order and sign, or an address"
        )
        for a in ("lat", "x"):
            outside[a][pos] = rejected & pair_ok[a][pos]
        expected[pos[rejected]] = [
            f"{where}; {why}" for why in placed["reason"].to_numpy(dtype=object)[rejected]
        ]
    text = pd.Series(expected, dtype="str")
    return [_Check(a, outside[a], canon[a], text) for a in ("lat", "x")]


def record_hash(frame: pd.DataFrame) -> pd.Series:
    """Hash the canonical content of each record (16 hex digits, stable across runs).

    The hash covers ``id``, ``reported_at`` (as an instant), ``category``, ``outcome``,
    ``assistant``, ``note``, ``address``, ``lat``, ``lon``, ``x`` and ``y``; equal content gives an
    equal hash, so a re-imported record is recognised as a duplicate and a changed one as an update.

    Parameters
    ----------
    frame
        Canonical records (the columns above).

    Returns
    -------
    pandas.Series
        String hashes aligned to ``frame.index``.
    """
    cols = ["id", "category", "outcome", "assistant", "note", "address"]
    parts = pd.DataFrame({c: frame[c].astype("str").fillna("\x00") for c in cols})
    ts = frame["reported_at"]
    parts["t"] = (
        ts.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]").astype("int64")
        if isinstance(ts.dtype, pd.DatetimeTZDtype)
        else pd.Series(0, index=frame.index)
    )
    for c in ("lat", "lon", "x", "y"):
        parts[c] = frame[c].astype("float64").round(7).fillna(np.inf)
    hashed = pd.util.hash_pandas_object(parts, index=False).to_numpy(dtype=np.uint64)
    return pd.Series([f"{h:016x}" for h in hashed.tolist()], index=frame.index, dtype="str")


def _col(data: pd.DataFrame, header: str | None, n: int) -> pd.Series:
    """Return a stripped text column, or a column of empty strings when absent."""
    if header is None:
        return pd.Series([""] * n, dtype="str")
    return data[header].astype("str").fillna("").str.strip().reset_index(drop=True)


def _num(value: float) -> str:
    """Format a range bound: ``48.5``, ``430000``."""
    return f"{value:.0f}" if value.is_integer() else f"{value:g}"


def _empty_to_na(s: pd.Series) -> pd.Series:
    return s.mask(s.eq(""))


def _map_codes(
    values: pd.Series, lookup: Mapping[str, str], *, allow_empty: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Map labels to codes via the folded lookup (folding each distinct value once)."""
    uniq = pd.unique(values)
    folded = {u: lookup.get(fold(u)) for u in uniq}
    mapped = values.map(folded).astype("str")
    bad = mapped.isna().to_numpy(dtype=bool, copy=True)
    if allow_empty:
        bad &= values.ne("").to_numpy(dtype=bool, copy=True)
    return mapped, bad


def _parse_number(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse decimal numbers (comma or dot; spaces as thousands separators)."""
    given = s.ne("").to_numpy(dtype=bool, copy=True)
    num = pd.Series(np.nan, index=s.index, dtype="float64")
    if not given.any():
        return num, np.zeros(len(s), dtype=bool)
    cells = s[given].str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(cells, errors="coerce").astype("float64")
    retry = parsed.isna().to_numpy(dtype=bool, copy=True)
    if retry.any():  # "1 234,5" with (non-breaking) spaces: the slow path for the few
        cleaned = cells[retry].str.replace(r"[\s\u00a0]", "", regex=True)
        parsed.loc[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64").to_numpy()
    num.loc[given] = parsed.where(np.isfinite(parsed)).to_numpy()
    bad = given & num.isna().to_numpy(dtype=bool, copy=True)
    return num, bad


def _parse_datetimes(
    canon: Mapping[str, pd.Series], columns: Mapping[str, str]
) -> tuple[pd.Series, list[_Check], tuple[int, int]]:
    """Parse the date/time cells into tz-aware Europe/Prague timestamps."""
    field_name = "reported_at"
    if "reported_at" in columns:
        text = shown = canon["reported_at"]
    elif "time" in columns:
        text = canon["date"] + " " + canon["time"]
        shown = text.str.strip()
    else:
        text = shown = canon["date"]
    # Fast path: the common formats as they stand; only the rest are normalised (regex) and
    # parsed again, so a clean million-row export needs no per-row Python.
    nonempty = shown.ne("").to_numpy(dtype=bool, copy=True)
    naive = _try_formats(text, nonempty)
    rest = nonempty & naive.isna().to_numpy(dtype=bool, copy=True)
    with_offset = np.zeros(len(text), dtype=bool)
    if rest.any():
        if "reported_at" in columns:
            retry = text[rest]
        else:  # Excel cells: a date as "2026-11-24 00:00:00", a time as "1899-12-30 14:05:00"
            date = canon["date"][rest].str.replace(r"[ T]00:00(?::00)?$", "", regex=True)
            retry = date
            if "time" in columns:
                raw_time = canon["time"][rest]
                clock = raw_time.str.extract(r"(\d{1,2}:\d{2}(?::\d{2})?)\s*$")[0]
                retry = date + " " + clock.fillna(raw_time).astype("str")
        norm = (
            retry.str.replace(r"^(\d{4}-\d{2}-\d{2})T", r"\1 ", regex=True)
            .str.replace(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", r"\1.\2.\3", regex=True)
            .str.replace(r"\s+", " ", regex=True)
            .str.strip()
        )
        offset_sub = norm.str.contains(_OFFSET_RE, regex=True).to_numpy(dtype=bool, copy=True)
        with_offset[np.flatnonzero(rest)[offset_sub]] = True
        again = _try_formats(norm, ~offset_sub)
        naive.loc[rest] = again.to_numpy()
        if offset_sub.any():
            norm_offset = pd.Series(pd.NA, index=text.index, dtype="str")
            norm_offset.loc[with_offset] = norm[offset_sub].to_numpy()
            text = norm_offset
    local = naive.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    special = (naive.notna() & local.isna()).to_numpy(dtype=bool, copy=True)
    n_gap = n_amb = 0
    if special.any():
        sub = naive[special]
        gap = sub.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="shift_forward")
        is_amb = gap.isna().to_numpy(dtype=bool, copy=True) | ~(
            sub.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT").isna()
        ).to_numpy(dtype=bool, copy=True)
        fixed = sub.dt.tz_localize(
            TIMEZONE, ambiguous=np.ones(len(sub), dtype=bool), nonexistent="shift_forward"
        )
        local.loc[special] = fixed
        n_amb = int(is_amb.sum())
        n_gap = len(sub) - n_amb
    if with_offset.any():
        aware = pd.to_datetime(text[with_offset], format="ISO8601", utc=True, errors="coerce")
        local.loc[with_offset] = aware.dt.tz_convert(TIMEZONE)
    local = local.astype(f"datetime64[ns, {TIMEZONE}]")
    unparsed = local.isna().to_numpy(dtype=bool, copy=True)
    date_only = np.zeros(len(shown), dtype=bool)
    if unparsed.any():
        date_only[unparsed] = (
            shown[unparsed]
            .str.replace(r"\s+", "", regex=True)
            .str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
            .to_numpy(dtype=bool, copy=True)
        )
    now = pd.Timestamp.now(tz=TIMEZONE)
    checks = [
        _Check(
            field_name,
            unparsed & ~date_only,
            shown,
            "a date and time like 24.11.2026 14:05 or 2026-11-24T14:05 (Europe/Prague)",
        ),
        _Check(
            field_name,
            unparsed & date_only,
            shown,
            "a date with a time (24.11.2026 14:05), or a separate Čas column",
        ),
        _Check(
            field_name,
            (local < EARLIEST).fillna(False).to_numpy(dtype=bool, copy=True),
            shown,
            "a time on or after 1.1.2000",
        ),
        _Check(
            field_name,
            (local > now + pd.Timedelta(days=1)).fillna(False).to_numpy(dtype=bool, copy=True),
            shown,
            f"a time not in the future (now is {now:%d.%m.%Y %H:%M})",
        ),
    ]
    return local.reset_index(drop=True), checks, (n_gap, n_amb)


_DT_PATTERNS: Final = (
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}) (?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?$",
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[ T](?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2})(?:\.\d+)?)?$",
)


def _try_formats(text: pd.Series, todo: np.ndarray) -> pd.Series:
    """Parse ``text`` where ``todo``: Czech ``d.m.Y H:M[:S]`` or ISO ``Y-m-d H:M[:S]``.

    Components are pulled out with Arrow regular expressions and assembled with
    :func:`pandas.to_datetime`, which refuses impossible dates (31.2.) — several times faster
    than ``strptime`` on a million rows.
    """
    naive = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    todo = todo.copy()
    for pattern in _DT_PATTERNS:
        if not todo.any():
            break
        sub = pa.array(text[todo].astype("str").fillna(""), type=pa.large_string())
        parts = pc.extract_regex(sub, pattern)
        num = {
            k: pd.Series(
                pc.cast(
                    pc.if_else(pc.equal(f := pc.struct_field(parts, k), ""), None, f), pa.int32()
                ).to_numpy(zero_copy_only=False),
                dtype="float64",
            )
            for k in ("y", "m", "d", "H", "M", "S")
        }
        seconds = num["S"].fillna(0)
        ok_clock = (num["H"] <= 23) & (num["M"] <= 59) & (seconds <= 59)
        day = pd.to_datetime(
            pd.DataFrame({"year": num["y"], "month": num["m"], "day": num["d"]}),
            errors="coerce",
        )
        stamp = day + pd.to_timedelta(num["H"] * 3600 + num["M"] * 60 + seconds, unit="s")
        stamp = stamp.where(ok_clock.fillna(False))
        naive.loc[todo] = stamp.to_numpy(dtype="datetime64[ns]")
        todo &= naive.isna().to_numpy(dtype=bool, copy=True)
    return naive


def _quarantine_frame(
    raw: RawTable, *, source: str, checks: list[_Check], failed: np.ndarray
) -> pd.DataFrame:
    """Build quarantine rows (per-row work only for the rows that failed)."""
    rows: list[dict[str, object]] = []
    file = str(raw.path)
    headers = [str(c) for c in raw.data.columns]
    for pos in np.flatnonzero(failed).tolist():
        errors: list[RecordError] = []
        for chk in checks:
            if chk.mask[pos]:
                expected = (
                    chk.expected if isinstance(chk.expected, str) else str(chk.expected.iloc[pos])
                )
                errors.append(RecordError(chk.field, str(chk.values.iloc[pos]), expected))
        first = errors[0]
        cells = raw.data.iloc[pos]
        rows.append(
            {
                "source": source,
                "file": file,
                "line": int(raw.lines[pos]),
                "field": first.field,
                "value": str(first.value),
                "expected": first.expected,
                "reason": "; ".join(str(e) for e in errors),
                "raw": json.dumps(
                    {h: str(cells.iloc[i]) for i, h in enumerate(headers)}, ensure_ascii=False
                ),
            }
        )
    for line, cells_t, reason in raw.bad_rows:
        rows.append(
            {
                "source": source,
                "file": file,
                "line": line,
                "field": "row",
                "value": f"{len(cells_t)} fields",
                "expected": f"{len(headers)} fields",
                "reason": reason,
                "raw": json.dumps(list(cells_t), ensure_ascii=False),
            }
        )
    return quarantine_frame(rows)


def quarantine_frame(rows: list[dict[str, object]] | None = None) -> pd.DataFrame:
    """Return quarantine rows as a frame with :data:`~apk_geo.schema.QUARANTINE_COLUMNS`.

    Parameters
    ----------
    rows
        Dicts with (some of) the quarantine columns; ``None`` gives an empty frame.

    Returns
    -------
    pandas.DataFrame
        Text columns as strings, ``line`` as int64, ``imported_at`` tz-aware (NaT when unset).
    """
    frame = pd.DataFrame(rows or [], columns=list(QUARANTINE_COLUMNS))
    for c in QUARANTINE_COLUMNS:
        if c == "line":
            frame[c] = frame[c].astype("int64")
        elif c == "imported_at":
            frame[c] = pd.to_datetime(frame[c], utc=True).dt.tz_convert(TIMEZONE)
        else:
            frame[c] = frame[c].astype("str")
    if len(frame):
        frame = frame.sort_values("line", kind="stable").reset_index(drop=True)
    return frame
