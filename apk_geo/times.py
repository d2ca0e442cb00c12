"""Time parsing and conversion: the one place where a date, a time or a time column is coerced.

Every module that accepts a date-time option (a shift start, a split date, a month bound) or a
column of incident times calls these helpers, so one bad date gives one kind of error
(:class:`~apk_geo.errors.ParameterError`) with one wording, wherever it arrives.

Naive values are local time in Europe/Prague (:data:`apk_geo.schema.TIMEZONE`). A naive time in the
spring daylight-saving gap moves forward by the gap (02:30 on the last Sunday of March → 03:30), an
ambiguous autumn time is read as the later (standard-time) one, as the incident exports mean it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

import numpy as np
import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.schema import TIMEZONE

__all__ = ["as_timestamp", "local_naive", "naive_bound", "to_local", "utc_naive_ns", "wall_clock"]

#: Local zone of every naive time the product reads or shows.
LOCAL_TZ: Final = TIMEZONE
#: A naive time in the spring gap moves forward by the gap (02:30 → 03:30), keeping its distance
#: from its neighbours; ``"shift_forward"`` would make 02:30 the same instant as a real 03:00.
DST_GAP: Final = pd.Timedelta(hours=1)


def as_timestamp(
    value: pd.Timestamp | datetime | date | str | np.datetime64,
    *,
    name: str,
    example: str = "2026-11-24T08:00",
    tz: str = LOCAL_TZ,
) -> pd.Timestamp:
    """Return ``value`` as a tz-aware timestamp in ``tz``.

    Parameters
    ----------
    value
        A timestamp, datetime, date or ISO-like string; naive values are local time in ``tz``.
    name
        The option's name, for the error message (``"shift_start"``, ``"--split-date"``).
    example
        An example of a valid value, shown in the error message.
    tz
        The zone naive values are in and the result is converted to.

    Returns
    -------
    pandas.Timestamp
        Tz-aware, in ``tz``.

    Raises
    ------
    ParameterError
        If ``value`` is not a date-time (``None``, ``NaT``, an unparsable string).
    """
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ParameterError(_bad(name, example, value)) from exc
    if pd.isna(ts):
        raise ParameterError(_bad(name, example, value))
    if ts.tzinfo is None:
        return ts.tz_localize(tz, ambiguous=False, nonexistent=DST_GAP)
    return ts.tz_convert(tz)


def to_local(times: pd.Series, *, name: str = "reported_at", tz: str = LOCAL_TZ) -> pd.Series:
    """Return a column of times as tz-aware local times (naive input is already local).

    Parameters
    ----------
    times
        Datetime values (tz-aware or naive) or ISO 8601 strings; missing values stay ``NaT``.
    name
        The column's name, for the error message.
    tz
        Target zone.

    Returns
    -------
    pandas.Series
        ``datetime64[ns, tz]``, same index.

    Raises
    ------
    ParameterError
        If a non-missing value cannot be read as a date-time.
    """
    s = times
    if not pd.api.types.is_datetime64_any_dtype(s):
        try:
            s = pd.Series(pd.to_datetime(s, format="ISO8601"), index=times.index)
        except (TypeError, ValueError) as exc:
            if "mixed time zones" in str(exc) or "Mixed timezones" in str(exc):
                return _mixed_to_local(times, name=name, tz=tz)
            bad = _first_unparsable(times)
            raise ParameterError(
                f"{name} must hold date-times (ISO 8601, e.g. '2026-11-24T08:00'), got {bad!r}"
            ) from exc
    if getattr(s.dt, "tz", None) is None:
        s = s.dt.tz_localize(tz, ambiguous=False, nonexistent=DST_GAP)
    out: pd.Series = s.dt.tz_convert(tz).astype(f"datetime64[ns, {tz}]")
    return out


def local_naive(times: pd.Series, *, name: str = "reported_at", tz: str = LOCAL_TZ) -> pd.Series:
    """Return a column of times as naive local wall-clock times (for calendar binning)."""
    out: pd.Series = to_local(times, name=name, tz=tz).dt.tz_localize(None)
    return out


def utc_naive_ns(times: pd.Series, *, name: str = "reported_at") -> np.ndarray:
    """Return times as int64 nanoseconds since the epoch (UTC); ``NaT`` is the int64 minimum."""
    utc = to_local(times, name=name).dt.tz_convert("UTC").dt.tz_localize(None)
    return np.asarray(utc.astype("datetime64[ns]").to_numpy().astype("int64"))


def wall_clock(times: pd.Series) -> tuple[pd.Series, str | None]:
    """Return naive wall-clock times in the column's own zone, and that zone (``None`` if naive).

    Calendar binning of analysis data keeps the data's zone (San Francisco incidents stay in
    Pacific time); :func:`local_naive` is for the store's incidents, always Europe/Prague.
    """
    t = pd.to_datetime(times)
    if isinstance(t.dtype, pd.DatetimeTZDtype):
        return t.dt.tz_localize(None), str(t.dt.tz)
    return t, None


def naive_bound(value: pd.Timestamp | str, tz: str | None, *, name: str) -> pd.Timestamp:
    """Return a period bound as a naive wall-clock time of zone ``tz`` (see :func:`wall_clock`).

    Raises
    ------
    ParameterError
        If ``value`` is not a date-time.
    """
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name}: cannot read {value!r} as a date/time: {exc}") from exc
    if pd.isna(ts):
        raise ParameterError(f"{name}: got a missing date/time (NaT)")
    if ts.tz is not None:
        ts = ts.tz_convert(tz).tz_localize(None) if tz else ts.tz_localize(None)
    return ts


def _mixed_to_local(times: pd.Series, *, name: str, tz: str) -> pd.Series:
    """Convert values with different UTC offsets (and naive ones) one by one."""
    values = [pd.NaT if pd.isna(v) else as_timestamp(v, name=name, tz=tz) for v in times.to_numpy()]
    return pd.Series(values, index=times.index, dtype=f"datetime64[ns, {tz}]")


def _bad(name: str, example: str, value: object) -> str:
    """Return the one wording of a bad date-time option."""
    return f"{name} must be a date-time such as {example!r}, got {value!r}"


def _first_unparsable(times: pd.Series) -> object:
    """Return the first value of ``times`` that :func:`pandas.to_datetime` cannot read."""
    for value in times.dropna():
        try:
            pd.Timestamp(value)
        except (TypeError, ValueError):
            return value
    return None
