"""Parse the text cells of an export: numbers, category/outcome codes and date-times.

Pure, vectorised parsing used by :func:`apk_geo.io.validate`; the rules (what is required, what
range is accepted) stay in :mod:`apk_geo.io.validate`.

Date-times are the export formats (``24.11.2026 8:05``, ``2026-11-24T08:05``, Excel cells, ISO
8601 with a UTC offset; also a time with dots, ``8.05``, and a two-digit year, ``24.11.26``, read
as this century), parsed with Arrow regular expressions, several times faster than
``strptime`` on a million rows. Naive wall-clock times are local (Europe/Prague) and are
localised by the rule of :mod:`apk_geo.times`: a time in the spring daylight-saving gap moves
forward by one hour (02:30 → 03:30), an ambiguous autumn time is the later, standard-time one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from apk_geo.schema import TIMEZONE, fold
from apk_geo.times import to_local

__all__ = [
    "DATETIME_FORMATS",
    "ParsedTimes",
    "bools",
    "map_codes",
    "parse_datetimes",
    "parse_numbers",
]

#: Date-time formats accepted (after normalisation: ``T`` → space, ``24. 11.`` → ``24.11.``).
DATETIME_FORMATS: Final = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
)

_OFFSET_RE: Final = r"(?:Z|[+-]\d{2}:?\d{2})$"
_DT_PATTERNS: Final = (
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}) (?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?$",
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[ T](?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2})(?:\.\d+)?)?$",
)
_DATE_ONLY_RE: Final = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class ParsedTimes:
    """Date-times parsed from the cells of an export.

    Attributes
    ----------
    local
        ``datetime64[ns, Europe/Prague]``, ``NaT`` where the cells could not be read.
    shown
        The cell text to quote in a reason (date and time joined).
    unparsed
        Rows with a value that could not be read (or none at all).
    date_only
        Unparsed rows that hold a date without a time.
    gap, ambiguous
        How many naive times were in the spring gap (moved forward) or the repeated autumn hour
        (taken as standard time).
    """

    local: pd.Series
    shown: pd.Series
    unparsed: np.ndarray
    date_only: np.ndarray
    gap: int
    ambiguous: int


def bools(values: pd.Series) -> np.ndarray:
    """Return a boolean Series as a writable numpy array (missing = False)."""
    return values.fillna(False).to_numpy(dtype=bool, copy=True)


def map_codes(
    values: pd.Series, lookup: Mapping[str, str], *, allow_empty: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Map labels to codes via the folded lookup (folding each distinct value once).

    Returns the codes (missing where unknown) and the rows whose label is unknown (an empty
    label is unknown unless ``allow_empty``).
    """
    uniq = pd.unique(values)
    folded = {u: lookup.get(fold(u)) for u in uniq}
    mapped = values.map(folded).astype("str")
    bad = mapped.isna().to_numpy(dtype=bool, copy=True)
    if allow_empty:
        bad &= values.ne("").to_numpy(dtype=bool, copy=True)
    return mapped, bad


def parse_numbers(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse decimal numbers (comma or dot; spaces as thousands separators).

    Returns float64 values (NaN where empty or unreadable) and the rows with an unreadable value.
    """
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


def parse_datetimes(canon: Mapping[str, pd.Series], columns: Mapping[str, str]) -> ParsedTimes:
    """Parse the date/time cells into tz-aware Europe/Prague timestamps.

    Parameters
    ----------
    canon
        Canonical columns as stripped text (``reported_at``, ``date``, ``time``).
    columns
        Which canonical columns the file has: one date-time column, or a date and a time.

    Returns
    -------
    ParsedTimes
        The times, the text to quote, which rows failed and the DST counts.
    """
    text, shown = _datetime_text(canon, columns)
    # Fast path: the common formats as they stand; only the rest are normalised (regex) and
    # parsed again, so a clean million-row export needs no per-row Python.
    nonempty = bools(shown.ne(""))
    naive = _try_formats(text, nonempty)
    rest = nonempty & bools(naive.isna())
    offset_text = pd.Series(pd.NA, index=text.index, dtype="str")
    if rest.any():
        offset_text = _retry_normalised(canon, columns, text=text, naive=naive, rest=rest)
    local, (gap, ambiguous) = _localise(naive)
    with_offset = bools(offset_text.notna())
    if with_offset.any():
        aware = pd.to_datetime(
            offset_text[with_offset], format="ISO8601", utc=True, errors="coerce"
        )
        local.loc[with_offset] = aware.dt.tz_convert(TIMEZONE)
    local = local.astype(pd.DatetimeTZDtype("ns", TIMEZONE)).reset_index(drop=True)
    unparsed = bools(local.isna())
    return ParsedTimes(local, shown, unparsed, _date_only(shown, unparsed), gap, ambiguous)


def _datetime_text(
    canon: Mapping[str, pd.Series], columns: Mapping[str, str]
) -> tuple[pd.Series, pd.Series]:
    """Return the text to parse and the text to show in a reason (date and time joined)."""
    if "reported_at" in columns:
        return canon["reported_at"], canon["reported_at"]
    if "time" in columns:
        text = canon["date"] + " " + canon["time"]
        return text, text.str.strip()
    return canon["date"], canon["date"]


def _retry_normalised(
    canon: Mapping[str, pd.Series],
    columns: Mapping[str, str],
    *,
    text: pd.Series,
    naive: pd.Series,
    rest: np.ndarray,
) -> pd.Series:
    """Normalise the cells the fast path missed and parse them again (``naive`` in place).

    Returns the normalised text of the cells with a UTC offset (missing elsewhere): those are
    instants, converted after localisation.
    """
    if "reported_at" in columns:
        retry = text[rest]
    else:  # Excel cells: a date as "2026-11-24 00:00:00", a time as "1899-12-30 14:05:00"
        retry = canon["date"][rest].str.replace(r"[ T]00:00(?::00)?$", "", regex=True)
        if "time" in columns:
            raw_time = canon["time"][rest]
            clock = raw_time.str.extract(r"(\d{1,2}:\d{2}(?::\d{2})?)\s*$")[0]
            retry = retry + " " + clock.fillna(raw_time).astype("str")
    norm = (
        retry.str.replace(r"^(\d{4}-\d{2}-\d{2})T", r"\1 ", regex=True)
        .str.replace(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", r"\1.\2.\3", regex=True)
        # a two-digit year (Excel's short Czech date 01.04.24): this century
        .str.replace(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2})(?=\s|$)", r"\1.\2.20\3", regex=True)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
        # a time with a dot, as Czech typography writes it (8.05, 14.30.15): after a date
        .str.replace(r" (\d{1,2})\.(\d{2})(?:\.(\d{2}))?$", _dotted_clock, regex=True)
    )
    offset_sub = bools(norm.str.contains(_OFFSET_RE, regex=True))
    naive.loc[rest] = _try_formats(norm, ~offset_sub).to_numpy()
    offset_text = pd.Series(pd.NA, index=text.index, dtype="str")
    offset_text.iloc[np.flatnonzero(rest)[offset_sub]] = norm[offset_sub].to_numpy()
    return offset_text


def _dotted_clock(found: re.Match[str]) -> str:
    """Return `` H:MM[:SS]`` of a time written with dots (`` 8.05`` → `` 8:05``)."""
    hours, minutes, seconds = found.groups()
    return f" {hours}:{minutes}" + (f":{seconds}" if seconds else "")


def _localise(naive: pd.Series) -> tuple[pd.Series, tuple[int, int]]:
    """Localise naive wall-clock times to Europe/Prague by the rule of :mod:`apk_geo.times`.

    Times in the spring gap move forward by an hour, ambiguous autumn times are standard time.
    Only those few rows go through :func:`apk_geo.times.to_local`; the rest localise at once.
    Returns the times and the counts ``(in the gap, ambiguous)``.
    """
    local = naive.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    special = bools(naive.notna() & local.isna())
    if not special.any():
        return local, (0, 0)
    sub = naive[special]
    shifted = sub.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="shift_forward")
    n_amb = int(shifted.isna().sum())
    local.loc[special] = to_local(sub, name="reported_at")
    return local, (len(sub) - n_amb, n_amb)


def _date_only(shown: pd.Series, unparsed: np.ndarray) -> np.ndarray:
    """Return the unparsed rows that hold a date without a time."""
    date_only = np.zeros(len(shown), dtype=bool)
    if unparsed.any():
        date_only[unparsed] = bools(
            shown[unparsed].str.replace(r"\s+", "", regex=True).str.fullmatch(_DATE_ONLY_RE)
        )
    return date_only


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
