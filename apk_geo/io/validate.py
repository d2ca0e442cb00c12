"""Validate the rows of a read export: canonical records, and quarantined rows with reasons.

:func:`validate` checks every row of a :class:`~apk_geo.io.read.RawTable` and splits it into
valid canonical records and quarantined rows. Each quarantined row keeps its file, line, the
original cells (``raw``, JSON) and a reason in :class:`~apk_geo.errors.RecordError` form
(``field: got 'value', expected ...``). Nothing is dropped silently:
``read == len(valid) + duplicates + len(quarantine)``. Every check is vectorised, so a
million-row export validates in seconds.

Times are local (Europe/Prague). The export formats (``24.11.2026 8:05``, ISO 8601, Excel cells)
are parsed fast by :mod:`apk_geo.io.cells`; naive times are localised by the rule of
:mod:`apk_geo.times`: a wall-clock time that does not exist (the hour skipped when summer time
starts) moves forward by one hour (02:30 → 03:30), a time that occurs twice (the hour repeated
when summer time ends) is taken as the later, standard-time one. Both are counted in ``params``
and logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from apk_geo import hashes as _hashes
from apk_geo.config import Config
from apk_geo.coords import default_city_extent_5514, resolve_coordinates
from apk_geo.errors import ParameterError, RecordError
from apk_geo.io._messages import record_reason
from apk_geo.io._text import ZERO_WIDTH
from apk_geo.io.cells import ParsedTimes, bools, map_codes, parse_datetimes, parse_numbers
from apk_geo.io.read import RawTable
from apk_geo.schema import (
    HEADER_ALIASES,
    INPUT_COLUMNS,
    OUTCOMES,
    QUARANTINE_COLUMNS,
    TIMEZONE,
    all_categories,
    build_lookup,
)

__all__ = [
    "EARLIEST",
    "LATLON_ABS_RANGE",
    "SJTSK_ABS_RANGE",
    "VALID_COLUMNS",
    "ZERO_WIDTH_FOLDED",
    "Validated",
    "quarantine_frame",
    "record_hash",
    "validate",
]

logger = logging.getLogger(__name__)

#: Columns of :attr:`Validated.valid`, in this order: the canonical input, when the source
#: system last changed the record (``modified_at``, NaT when the export does not say), the hash,
#: and where the record is (``line``; ``sheet`` for a workbook, missing for CSV).
VALID_COLUMNS: Final = ("source", *INPUT_COLUMNS, "modified_at", "record_hash", "line", "sheet")

#: Canonical columns whose cells lose zero-width characters (like a non-breaking space, they
#: would make ``A07`` and ``A\u200b07`` two ids); notes keep theirs.
ZERO_WIDTH_FOLDED: Final = (
    "id",
    "reported_at",
    "date",
    "time",
    "category",
    "outcome",
    "assistant",
    "address",
    "lat",
    "lon",
    "x",
    "y",
    "modified_at",
)

#: Magnitude of either WGS84 coordinate inside Czechia (latitude 48.5–51.1, longitude 12.0–18.9),
#: so that swapped axes and flipped signs reach :func:`apk_geo.coords.resolve_coordinates`.
LATLON_ABS_RANGE: Final = (12.0, 51.1)
#: Magnitude of either S-JTSK coordinate inside Czechia; the sign convention (EPSG:5514 negative
#: or RÚIAN positive) and the axis order are resolved by :func:`apk_geo.geocode.geocode`.
SJTSK_ABS_RANGE: Final = (430_000.0, 1_230_000.0)

#: Earliest accepted incident time; later than "now + 1 day" is rejected as a typo.
EARLIEST: Final = pd.Timestamp("2000-01-01", tz=TIMEZONE)

_ASSISTANT_RE: Final = r"^[A-Za-z0-9_.\-]{1,32}$"
#: Coordinate pairs: (names, accepted magnitude, what the numbers are).
_COORDINATE_PAIRS: Final = (
    (("lat", "lon"), LATLON_ABS_RANGE, "WGS84 degrees, either axis order"),
    (("x", "y"), SJTSK_ABS_RANGE, "S-JTSK metres, either sign"),
)


@dataclass(frozen=True)
class Validated:
    """Result of :func:`validate`.

    Attributes
    ----------
    valid
        Valid records, columns :data:`VALID_COLUMNS`: text columns as pandas strings (missing =
        NA), ``reported_at`` and ``modified_at`` timezone-aware Europe/Prague (``modified_at``
        NaT when the export has no such column or the cell cannot be read),
        ``lat``/``lon``/``x``/``y`` float (NaN when absent), ``record_hash`` (16 hex digits over
        the canonical content), ``line`` and ``sheet`` (XLSX; missing for CSV).
    quarantine
        Rejected rows, columns :data:`apk_geo.schema.QUARANTINE_COLUMNS` (``imported_at`` is NaT
        until the store writes them).
    duplicates
        Rows that repeat an earlier row of the same file exactly (same id, same content).
    read
        Number of records read: ``read == len(valid) + duplicates + len(quarantine)``.
    params
        What was detected, JSON-serialisable: ``file``, ``kind``, ``encoding``, ``delimiter``,
        ``columns``, the DST adjustments (``dst_shifted_forward``, ``dst_ambiguous_standard``),
        ``zero_width_folded`` (cells that lost zero-width characters),
        ``modified_at_unreadable``, and everything of :attr:`RawTable.params
        <apk_geo.io.read.RawTable>` (the line counts ``physical_lines``, ``records``,
        ``quoted_newlines``, ``blank_lines``, ``unclosed_quote_lines``; ``parser``; for XLSX
        ``sheets``, ``sheets_skipped``, ``formulas_without_value``).
    """

    valid: pd.DataFrame
    quarantine: pd.DataFrame
    duplicates: int
    read: int
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class _Check:
    """One failed check: which rows, which field, the offending values, what was expected."""

    field: str
    mask: np.ndarray
    values: pd.Series
    expected: pd.Series | str


# --------------------------------------------------------------------------------------------
# The public steps
# --------------------------------------------------------------------------------------------


def validate(
    raw: RawTable,
    *,
    source: str,
    config: Config,
    city_extent_5514: tuple[float, float, float, float] | None = None,
    file_label: str | None = None,
    lang: str = "cs",
) -> Validated:
    """Validate every row of ``raw``; return canonical valid records and quarantined rows.

    Parameters
    ----------
    raw
        Output of :func:`apk_geo.io.read_table`.
    source
        Name of the system the export comes from; ``id`` is unique within a source.
    config
        Supplies ``extra_categories``.
    city_extent_5514
        ``(min_x, min_y, max_x, max_y)`` in EPSG:5514 that coordinates must fall in (after
        fixing swapped axes and signs, see :func:`apk_geo.coords.resolve_coordinates`);
        ``None``: Ostrava's (:func:`apk_geo.coords.default_city_extent_5514`). Pass the same
        extent to :func:`apk_geo.geocode.geocode`.
    file_label
        The file name for the quarantine's ``file`` column (default: ``raw.path``), e.g. the
        original name of an upload. A workbook's rows add their sheet: ``export.xlsx [List2]``.
    lang
        Language of the quarantine's ``reason`` (``"cs"`` default, ``"en"``), which names the
        export's own column (``Datum``, not ``reported_at``); ``field`` stays the canonical name
        and ``expected`` the English description (:func:`apk_geo.io._messages.record_reason`).

    Returns
    -------
    Validated
        ``valid`` (columns :data:`VALID_COLUMNS`), ``quarantine``
        (:data:`apk_geo.schema.QUARANTINE_COLUMNS`), the count of exact in-file ``duplicates``
        and ``read``; ``read == len(valid) + duplicates + len(quarantine)`` always holds.

    Raises
    ------
    ParameterError
        If ``source`` is empty (a :class:`ValueError`).

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
    _require_source(source)
    canon, folded = _canonical_cells(raw)
    times = parse_datetimes(canon, raw.columns)
    modified, unreadable = _modified_times(canon, raw)
    labels, label_checks = _check_labels(canon, config=config)
    coords, location_checks = _check_locations(canon, city_extent_5514=city_extent_5514)
    checks = [_id_check(canon["id"]), *_time_checks(times), *label_checks, *location_checks]
    records = _records(
        raw,
        canon,
        source=source,
        times=times.local,
        modified=modified,
        labels=labels,
        coords=coords,
    )
    failed = _failed_rows(checks, n=len(records))
    valid, n_same, id_check = _first_of_each_id(records, failed, path=raw.path)
    checks.append(id_check)
    quarantine = _quarantine_frame(
        raw,
        source=source,
        file=file_label if file_label is not None else str(raw.path),
        checks=checks,
        failed=failed | id_check.mask,
        lang=lang,
    )
    _log_dst(raw.path, times)
    params = _params(raw, times)
    params.update(zero_width_folded=folded, modified_at_unreadable=unreadable)
    result = Validated(
        valid=valid,
        quarantine=quarantine,
        duplicates=n_same,
        read=raw.n_rows,
        params=params,
    )
    if result.read != len(valid) + n_same + len(quarantine):  # pragma: no cover - invariant
        raise RuntimeError("internal error: validation counts do not reconcile")
    return result


def record_hash(frame: pd.DataFrame) -> pd.Series:
    """Hash the canonical content of each record (16 hex digits, stable across versions).

    The hash covers ``id``, ``reported_at`` (as an instant), ``category``, ``outcome``,
    ``assistant``, ``note``, ``address``, ``lat``, ``lon``, ``x`` and ``y``; equal content gives an
    equal hash, so a re-imported record is recognised as a duplicate and a changed one as an update.
    It is version 2 of the hash, BLAKE2b over canonical bytes defined in :mod:`apk_geo.hashes`
    (which also keeps the frozen version 1, :func:`apk_geo.hashes.legacy_record_hash`).

    Parameters
    ----------
    frame
        Canonical records (the columns above; ``reported_at`` tz-aware).

    Returns
    -------
    pandas.Series
        String hashes aligned to ``frame.index``.

    Raises
    ------
    SchemaError
        If a column is missing or ``reported_at`` holds naive times.
    """
    return _hashes.record_hash(frame)


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


# --------------------------------------------------------------------------------------------
# Steps of validate
# --------------------------------------------------------------------------------------------


def _require_source(source: str) -> None:
    """Refuse an empty source name."""
    if not source or not source.strip():
        raise ParameterError(f"source must be a non-empty name, got {source!r}")


def _canonical_cells(raw: RawTable) -> tuple[dict[str, pd.Series], int]:
    """Return every canonical column as stripped text (empty strings where absent).

    Zero-width characters are dropped from ids, times, codes, addresses and coordinates
    (:data:`ZERO_WIDTH_FOLDED`) when the file may hold any; returns the cells and how many
    cells lost one.
    """
    n = len(raw.data)
    canon = {c: _col(raw.data, raw.columns.get(c), n) for c in HEADER_ALIASES}
    folded = 0
    if raw.zero_width:
        pattern = f"[{ZERO_WIDTH}]"
        for c in ZERO_WIDTH_FOLDED:
            if c not in raw.columns:
                continue
            cells = canon[c]
            has = bools(cells.str.contains(pattern, regex=True))
            if has.any():
                folded += int(has.sum())
                canon[c] = cells.str.replace(pattern, "", regex=True).str.strip()
    return canon, folded


def _modified_times(canon: Mapping[str, pd.Series], raw: RawTable) -> tuple[pd.Series, int]:
    """Parse the source system's modification times (NaT where absent or unreadable).

    Same formats as ``reported_at``. An unreadable cell does not quarantine the record (the
    time is then unknown, see :mod:`apk_geo.ingest`) and is logged; returns the times and how
    many cells could not be read.
    """
    n = len(canon["id"])
    unknown = pd.Series(pd.NaT, index=pd.RangeIndex(n), dtype=f"datetime64[ns, {TIMEZONE}]")
    header = raw.columns.get("modified_at")
    if header is None or not n:
        return unknown, 0
    cells = canon["modified_at"]
    parsed = parse_datetimes({"reported_at": cells}, {"reported_at": header})
    bad = parsed.unparsed & bools(cells.ne(""))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        logger.warning(
            "%s: %d record(s) with an unreadable %r (e.g. line %d: %r); their modification "
            "time is taken as unknown",
            raw.path,
            int(bad.sum()),
            header,
            int(raw.lines[first]),
            cells.iloc[first],
        )
    return parsed.local, int(bad.sum())


def _id_check(ids: pd.Series) -> _Check:
    """Every record needs an id."""
    return _Check("id", bools(ids.eq("")), ids, "a non-empty record id")


def _time_checks(times: ParsedTimes) -> list[_Check]:
    """Every record needs a date and time, on or after 1.1.2000 and not in the future."""
    local, shown = times.local, times.shown
    now = pd.Timestamp.now(tz=TIMEZONE)
    return [
        _Check(
            "reported_at",
            times.unparsed & ~times.date_only,
            shown,
            "a date and time like 24.11.2026 14:05 or 2026-11-24T14:05 (Europe/Prague)",
        ),
        _Check(
            "reported_at",
            times.unparsed & times.date_only,
            shown,
            "a date with a time (24.11.2026 14:05), or a separate Čas column",
        ),
        _Check("reported_at", bools(local < EARLIEST), shown, "a time on or after 1.1.2000"),
        _Check(
            "reported_at",
            bools(local > now + pd.Timedelta(days=1)),
            shown,
            f"a time not in the future (now is {now:%d.%m.%Y %H:%M})",
        ),
    ]


def _check_labels(
    canon: Mapping[str, pd.Series], *, config: Config
) -> tuple[dict[str, pd.Series], list[_Check]]:
    """Map category and outcome labels to codes; check the assistant's pseudonym."""
    extra = config.extra_categories
    category, bad_cat = map_codes(canon["category"], build_lookup(all_categories(extra)))
    outcome, bad_out = map_codes(canon["outcome"], build_lookup(OUTCOMES), allow_empty=True)
    assistant = canon["assistant"]
    bad_asst = bools(assistant.ne("") & ~assistant.str.fullmatch(_ASSISTANT_RE))
    checks = [
        _Check(
            "category",
            bad_cat,
            canon["category"],
            "a category code or label, one of " + ", ".join(c.code for c in all_categories(extra)),
        ),
        _Check(
            "outcome",
            bad_out,
            canon["outcome"],
            "empty or an outcome code or label, one of " + ", ".join(c.code for c in OUTCOMES),
        ),
        _Check(
            "assistant",
            bad_asst,
            assistant,
            "a pseudonymous code like A07 (letters, digits, -, _ or .; no names or spaces)",
        ),
    ]
    return {"category": category, "outcome": outcome, "assistant": assistant}, checks


def _check_locations(
    canon: Mapping[str, pd.Series],
    *,
    city_extent_5514: tuple[float, float, float, float] | None,
) -> tuple[dict[str, pd.Series], list[_Check]]:
    """Parse and check the coordinates; require an address or coordinates inside the city."""
    coords, pair_ok, coord_bad, checks = _check_coordinates(canon)
    no_address = bools(canon["address"].eq(""))
    todo = (pair_ok["lat"] | pair_ok["x"]) & ~coord_bad & no_address
    checks.extend(_outside_city(coords, pair_ok, todo=todo, canon=canon, extent=city_extent_5514))
    coord_given = np.zeros(len(no_address), dtype=bool)
    for name in ("lat", "lon", "x", "y"):
        coord_given |= bools(canon[name].ne(""))
    no_location = no_address & ~pair_ok["lat"] & ~pair_ok["x"]
    checks.append(
        _Check(
            "address",
            no_location & ~coord_given,
            canon["address"],
            "an address or coordinates (lat/lon or x/y); the row has no location",
        )
    )
    return coords, checks


def _check_coordinates(
    canon: Mapping[str, pd.Series],
) -> tuple[dict[str, pd.Series], dict[str, np.ndarray], np.ndarray, list[_Check]]:
    """Parse both coordinate pairs; return the numbers, complete pairs, bad rows and checks."""
    coords: dict[str, pd.Series] = {}
    pair_ok: dict[str, np.ndarray] = {}
    coord_bad = np.zeros(len(canon["lat"]), dtype=bool)
    checks: list[_Check] = []
    for (a, b), rng, what in _COORDINATE_PAIRS:
        for name in (a, b):
            coords[name], bad = _check_coordinate(canon[name], name, rng, what, checks)
            coord_bad |= bad
        has_a, has_b = bools(canon[a].ne("")), bools(canon[b].ne(""))
        checks.append(_Check(b, has_a & ~has_b, canon[b], f"a value because {a} is given"))
        checks.append(_Check(a, has_b & ~has_a, canon[a], f"a value because {b} is given"))
        coord_bad |= has_a ^ has_b
        pair_ok[a] = bools(coords[a].notna() & coords[b].notna())
    return coords, pair_ok, coord_bad, checks


def _check_coordinate(
    cells: pd.Series, name: str, rng: tuple[float, float], what: str, checks: list[_Check]
) -> tuple[pd.Series, np.ndarray]:
    """Parse one coordinate column; append its checks; return the numbers and the bad rows."""
    value, bad_num = parse_numbers(cells)
    checks.append(_Check(name, bad_num, cells, f"a number ({what})"))
    magnitude = value.abs()
    out = bools(magnitude.notna() & ~magnitude.between(*rng))
    checks.append(
        _Check(
            name,
            out & ~bad_num,
            cells,
            f"a value of magnitude in {_num(rng[0])}..{_num(rng[1])} ({what}, inside Czechia)",
        )
    )
    return value, bad_num | out


def _outside_city(
    coords: Mapping[str, pd.Series],
    pair_ok: Mapping[str, np.ndarray],
    *,
    todo: np.ndarray,
    canon: Mapping[str, pd.Series],
    extent: tuple[float, float, float, float] | None,
) -> list[_Check]:
    """Check that rows located only by coordinates lie inside the city extent.

    The same rule as geocoding (:func:`apk_geo.coords.resolve_coordinates`): swapped axes and
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


def _records(
    raw: RawTable,
    canon: Mapping[str, pd.Series],
    *,
    source: str,
    times: pd.Series,
    modified: pd.Series,
    labels: Mapping[str, pd.Series],
    coords: Mapping[str, pd.Series],
) -> pd.DataFrame:
    """Assemble the canonical record of every row, with its hash, columns :data:`VALID_COLUMNS`."""
    n = len(raw.data)
    records = pd.DataFrame(
        {
            "source": pd.Series([source] * n, dtype="str"),
            "id": canon["id"],
            "reported_at": times,
            "category": labels["category"],
            "outcome": labels["outcome"],
            "assistant": _empty_to_na(labels["assistant"]),
            "note": _empty_to_na(canon["note"]),
            "address": _empty_to_na(canon["address"]),
            **{c: coords[c] for c in ("lat", "lon", "x", "y")},
            "modified_at": modified,
            "line": raw.lines.astype(np.int64),
            "sheet": pd.Series(
                [None] * n if raw.sheets is None else raw.sheets.tolist(), dtype="str"
            ),
        }
    )
    records["record_hash"] = record_hash(records)
    return records[list(VALID_COLUMNS)]


def _failed_rows(checks: list[_Check], *, n: int) -> np.ndarray:
    """Return the rows that failed any check."""
    failed = np.zeros(n, dtype=bool)
    for chk in checks:
        failed |= chk.mask
    return failed


def _first_of_each_id(
    records: pd.DataFrame, failed: np.ndarray, *, path: Path
) -> tuple[pd.DataFrame, int, _Check]:
    """Keep the first passing row of each id; count exact repeats, check conflicting ones.

    Returns the valid records, the number of exact duplicates and the check of rows whose id a
    different earlier record already holds.
    """
    n = len(records)
    ok = records.iloc[np.flatnonzero(~failed)]
    dup = ok["id"].duplicated(keep="first").to_numpy(dtype=bool, copy=True)
    conflict = np.zeros(n, dtype=bool)
    expected = np.full(n, "", dtype=object)
    check = _Check("id", conflict, records["id"], pd.Series(expected, dtype="str"))
    if not dup.any():
        return ok.reset_index(drop=True), 0, check
    first = ok.loc[~dup, ["id", "record_hash", "line", "sheet"]].set_index("id")
    later = ok.loc[dup]
    first_of_later = first.loc[later["id"]]
    same = later["record_hash"].to_numpy() == first_of_later["record_hash"].to_numpy()
    conflict_pos = later.index[~same].to_numpy()
    conflict[conflict_pos] = True
    holders = first_of_later.loc[~same, ["line", "sheet"]]
    expected[conflict_pos] = [
        f"an id unique within the file ({_where(ln, sh)} holds a different record with this id)"
        for ln, sh in zip(holders["line"].tolist(), holders["sheet"].tolist(), strict=True)
    ]
    n_same = int(same.sum())
    logger.info(
        "%s: %d exact duplicate row(s), %d conflicting id(s)", path, n_same, len(conflict_pos)
    )
    check = _Check("id", conflict, records["id"], pd.Series(expected, dtype="str"))
    return ok.loc[~dup].reset_index(drop=True), n_same, check


def _where(line: int, sheet: object) -> str:
    """Return ``line 5`` or ``line 5 of sheet 'List2'``."""
    return f"line {line}" if not isinstance(sheet, str) else f"line {line} of sheet {sheet!r}"


def _params(raw: RawTable, times: ParsedTimes) -> dict[str, object]:
    """Return what was detected and adjusted, JSON-serialisable."""
    return {
        **raw.params,
        "file": str(raw.path),
        "kind": raw.kind,
        "encoding": raw.encoding,
        "delimiter": raw.delimiter,
        "columns": dict(raw.columns),
        "dst_shifted_forward": times.gap,
        "dst_ambiguous_standard": times.ambiguous,
    }


def _log_dst(path: Path, times: ParsedTimes) -> None:
    """Warn about times moved out of the spring gap or read as standard time in autumn."""
    if times.gap or times.ambiguous:
        logger.warning(
            "%s: %d time(s) in the spring DST gap moved forward by an hour, %d ambiguous autumn "
            "time(s) taken as standard time",
            path,
            times.gap,
            times.ambiguous,
        )


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _col(data: pd.DataFrame, header: str | None, n: int) -> pd.Series:
    """Return a stripped text column, or a column of empty strings when absent."""
    if header is None:
        return pd.Series([""] * n, dtype="str")
    return data[header].astype("str").fillna("").str.strip().reset_index(drop=True)


def _num(value: float) -> str:
    """Format a range bound: ``48.5``, ``430000``."""
    return f"{value:.0f}" if value.is_integer() else f"{value:g}"


def _empty_to_na(s: pd.Series) -> pd.Series:
    """Return ``s`` with empty strings as missing values."""
    return s.mask(s.eq(""))


# --------------------------------------------------------------------------------------------
# Quarantine
# --------------------------------------------------------------------------------------------


def _quarantine_frame(
    raw: RawTable,
    *,
    source: str,
    file: str,
    checks: list[_Check],
    failed: np.ndarray,
    lang: str = "cs",
) -> pd.DataFrame:
    """Build quarantine rows (per-row work only for the rows that failed)."""
    headers = [str(c) for c in raw.data.columns]
    rows = [
        _failed_row(raw, pos, source=source, file=file, headers=headers, checks=checks, lang=lang)
        for pos in np.flatnonzero(failed).tolist()
    ]
    rows.extend(
        {
            "source": source,
            "file": _in_sheet(file, bad.sheet),
            "line": bad.line,
            "field": bad.field,
            "value": bad.value,
            "expected": bad.expected,
            "reason": bad.reason,
            "raw": json.dumps(_raw_cells(bad.cells, headers), ensure_ascii=False),
        }
        for bad in raw.bad_rows
    )
    return quarantine_frame(rows)


def _in_sheet(file: str, sheet: object) -> str:
    """Return ``file`` or, for a workbook's row, ``file [sheet]``."""
    return f"{file} [{sheet}]" if isinstance(sheet, str) else file


def _raw_cells(cells: tuple[str, ...], headers: list[str]) -> list[str] | dict[str, str]:
    """Return a bad row's cells: by header when they fit the header, else as a list."""
    if len(cells) == len(headers):
        return dict(zip(headers, cells, strict=True))
    return list(cells)


def _failed_row(
    raw: RawTable,
    pos: int,
    *,
    source: str,
    file: str,
    headers: list[str],
    checks: list[_Check],
    lang: str = "cs",
) -> dict[str, object]:
    """Return the quarantine row of the record at ``pos``: its first error and all reasons."""
    errors = [
        RecordError(
            chk.field,
            str(chk.values.iloc[pos]),
            chk.expected if isinstance(chk.expected, str) else str(chk.expected.iloc[pos]),
        )
        for chk in checks
        if chk.mask[pos]
    ]
    first = errors[0]
    cells = raw.data.iloc[pos]
    sheet = None if raw.sheets is None else raw.sheets[pos]
    return {
        "source": source,
        "file": _in_sheet(file, sheet),
        "line": int(raw.lines[pos]),
        "field": first.field,
        "value": str(first.value),
        "expected": first.expected,
        "reason": "; ".join(
            record_reason(e.field, str(e.value), e.expected, lang=lang, columns=raw.columns)
            for e in errors
        ),
        "raw": json.dumps(
            {h: str(cells.iloc[i]) for i, h in enumerate(headers)}, ensure_ascii=False
        ),
    }
