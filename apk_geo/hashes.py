r"""The record hash: BLAKE2b over canonical bytes (version 2), and the frozen version 1.

A record's hash decides, on every import, whether a stored record is the same (a duplicate)
or changed (an update); it must therefore not change with a library version. Version 1
(:func:`legacy_record_hash`) hashed through :func:`pandas.util.hash_pandas_object`, whose
output pandas does not promise to keep; version 2 (:func:`record_hash`, the current one) is
defined here byte for byte (any language can compute it) and digested with :mod:`hashlib`.

Canonical bytes (version 2)
---------------------------
The fields :data:`HASHED_FIELDS`, in this order, each written as ``|`` and one item, after the
prefix :data:`PREFIX` (``apk-geo-record-v2``); everything is ASCII except the UTF-8 text:

* text (``id``, ``category``, ``outcome``, ``assistant``, ``note``, ``address``): ``s``, the
  length of the text's UTF-8 encoding in bytes (decimal), ``:``, the UTF-8 bytes — the length
  prefix makes any text, ``|`` included, unambiguous;
* a time (``reported_at``): ``t`` and the instant as a signed decimal integer of nanoseconds
  since 1970-01-01 00:00 UTC (so the same instant in any time zone is the same record);
* a number (``lat``, ``lon``, ``x``, ``y``): ``f`` and the value rounded to 7 decimals, written
  with exactly 7 decimals: ``q`` is the IEEE-754 double product ``value × 10⁷`` rounded to the
  nearest integer (half to even, as :func:`numpy.rint`), written as ``-`` if ``q < 0``, then
  ``|q| div 10⁷``, ``.`` and ``|q| mod 10⁷`` in 7 digits (so ``-0.0`` is ``0.0000000``);
  infinities ``finf`` and ``f-inf``;
* a missing value of any field (None, NaN, NaT, ``pd.NA``): ``-`` alone.

The hash is the BLAKE2b digest of these bytes with ``digest_size=8``, as 16 lower-case hex
digits (the width of version 1). Example: the record ``id`` "7", 2026-11-03 21:40 in Prague,
category "dogs", outcome missing, assistant "A1", note "štěká", address missing, lat 49.829,
lon 18.17, x and y missing has the canonical bytes::

    apk-geo-record-v2|s1:7|t1793738400000000000|s4:dogs|-|s2:A1|s8:\xc5\xa1t\xc4\x9bk\xc3\xa1|-
    |f49.8290000|f18.1700000|-|-

(one line; ``\x..`` are the UTF-8 bytes of "štěká").

Version 1 (:func:`legacy_record_hash`) is kept, frozen, so that a store written by an older
apk-geo can be upgraded (see :mod:`apk_geo.store.rehash`); nothing new is hashed with it.
"""

from __future__ import annotations

import hashlib
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from apk_geo.errors import SchemaError

__all__ = [
    "CURRENT_VERSION",
    "HASHED_FIELDS",
    "PREFIX",
    "VERSION_KEY",
    "canonical_bytes",
    "legacy_record_hash",
    "record_hash",
]

#: The fields a record hash covers, in the order of the canonical bytes.
HASHED_FIELDS: Final = (
    "id",
    "reported_at",
    "category",
    "outcome",
    "assistant",
    "note",
    "address",
    "lat",
    "lon",
    "x",
    "y",
)
#: The first bytes of every version-2 canonical record.
PREFIX: Final = "apk-geo-record-v2"
#: The version :func:`record_hash` computes.
CURRENT_VERSION: Final = 2
#: The store metadata key recording the hash version of every stored record.
VERSION_KEY: Final = "record_hash_version"

_TEXT: Final = ("id", "category", "outcome", "assistant", "note", "address")
_NUMBERS: Final = ("lat", "lon", "x", "y")
_MISSING: Final = "-"
_DIGEST_SIZE: Final = 8
_UNITS: Final = 10**7


def record_hash(frame: pd.DataFrame) -> pd.Series:
    """Return the version-2 hash of each record: BLAKE2b of its canonical bytes (16 hex digits).

    Parameters
    ----------
    frame
        Records with the columns :data:`HASHED_FIELDS`; ``reported_at`` tz-aware (or all
        missing).

    Returns
    -------
    pandas.Series
        ``str`` hashes aligned to ``frame.index``.

    Raises
    ------
    SchemaError
        If a column is missing or ``reported_at`` holds naive times.
    """
    digests = [
        hashlib.blake2b(line, digest_size=_DIGEST_SIZE).hexdigest() for line in _canonical(frame)
    ]
    return pd.Series(digests, index=frame.index, dtype="str")


def canonical_bytes(frame: pd.DataFrame) -> list[bytes]:
    """Return the canonical bytes of each record (see the module docstring), in order."""
    return _canonical(frame)


def legacy_record_hash(frame: pd.DataFrame) -> pd.Series:
    r"""Return the version-1 hash of each record (frozen; for upgrading old stores only).

    Version 1 hashed the text fields (missing as ``"\x00"``), ``reported_at`` as UTC epoch
    nanoseconds (0 when the column is not tz-aware) and the coordinates rounded to 7 decimals
    (missing as infinity) with :func:`pandas.util.hash_pandas_object`, 16 hex digits. It is
    kept exactly as apk-geo computed it, so a store written then can be recognised; it depends
    on the pandas version and is no longer used for new records.

    Parameters
    ----------
    frame
        Records with the columns :data:`HASHED_FIELDS`.

    Returns
    -------
    pandas.Series
        ``str`` hashes aligned to ``frame.index``.
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


# ----------------------------------------------------------------------------- helpers


def _canonical(frame: pd.DataFrame) -> list[bytes]:
    """Return the canonical bytes of each record, built column by column with Arrow."""
    missing = [c for c in HASHED_FIELDS if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"record hash: columns {missing} are missing; expected {list(HASHED_FIELDS)}, "
            f"got {list(frame.columns)}"
        )
    items = [_items(frame[c], c) for c in HASHED_FIELDS]
    lines = pc.binary_join_element_wise(PREFIX, *items, "|")
    out: list[bytes] = pc.cast(lines, pa.binary()).to_pylist()
    return out


def _items(column: pd.Series, name: str) -> pa.Array:
    """Return the canonical item of every value of one column (an Arrow string array)."""
    if name == "reported_at":
        items = _time_items(column)
    elif name in _NUMBERS:
        items = _number_items(column)
    else:
        items = _text_items(column)
    return pc.fill_null(items, _MISSING)


def _text_items(column: pd.Series) -> pa.Array:
    """Return ``s<UTF-8 byte length>:<text>`` of each value (null where missing)."""
    text = pa.array(column.astype("str"), type=pa.string(), from_pandas=True)
    length = pc.cast(pc.binary_length(text), pa.string())
    return pc.binary_join_element_wise("s", length, ":", text, "")


def _number_items(column: pd.Series) -> pa.Array:
    """Return ``f<value with 7 decimals>`` of each value (null where missing)."""
    values = pd.to_numeric(column, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.rint(values * 1e7)
    finite = np.isfinite(scaled)
    if (np.abs(scaled[finite]) >= 2.0**62).any():  # beyond int64: exact Python integers
        return pa.array([_big_number_item(v) for v in scaled.tolist()], type=pa.string())
    units = np.where(finite, scaled, 0.0).astype(np.int64)
    whole, frac = np.divmod(np.abs(units), _UNITS)
    digits = pc.utf8_lpad(pc.cast(pa.array(frac), pa.string()), width=7, padding="0")
    text = pc.cast(pa.array(whole), pa.string())
    negative = units < 0
    items = pc.binary_join_element_wise("f-" if negative.all() else "f", text, ".", digits, "")
    if negative.any() and not negative.all():  # (one join per sign: faster than a sign column)
        minus = pc.binary_join_element_wise("f-", text, ".", digits, "")
        items = pc.if_else(pa.array(negative), minus, items)
    items = pc.if_else(pa.array(finite), items, pa.scalar(None, pa.string()))
    infinite = np.flatnonzero(np.isinf(values))
    if not len(infinite):
        return items
    patched = items.to_pylist()
    for i in infinite.tolist():
        patched[i] = "finf" if values[i] > 0 else "f-inf"
    return pa.array(patched, type=pa.string())


def _big_number_item(scaled: float) -> str | None:
    """Return the item of one value whose ``value × 10⁷`` exceeds int64 (or None if NaN)."""
    if scaled != scaled:
        return None
    if scaled in (np.inf, -np.inf):
        return "finf" if scaled > 0 else "f-inf"
    units = int(scaled)
    whole, frac = divmod(abs(units), _UNITS)
    return f"f{'-' if units < 0 else ''}{whole}.{frac:07d}"


def _time_items(column: pd.Series) -> pa.Array:
    """Return ``t<UTC epoch ns>`` of each time (null where missing)."""
    if column.isna().all():
        return pa.nulls(len(column), type=pa.string())
    if not isinstance(column.dtype, pd.DatetimeTZDtype):
        raise SchemaError(
            f"record hash: reported_at must hold tz-aware times, got dtype {column.dtype}; "
            "localise the times first (apk_geo.times)"
        )
    utc = column.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    ns = pa.array(utc.to_numpy().view(np.int64), mask=utc.isna().to_numpy(dtype=bool))
    return pc.binary_join_element_wise("t", pc.cast(ns, pa.string()), "")
