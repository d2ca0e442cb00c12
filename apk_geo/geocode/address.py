"""Address parsing: Czech addresses as people type them, split into street, numbers and place.

:func:`parse_address` splits one address; :func:`_parse_series` does the same for many at once,
vectorised in Arrow (folding, regular expressions) and applied to the distinct strings only. The
folding and key helpers here (:func:`_fold_series`, :func:`_street_key`, :func:`_place_key`,
:func:`_strip_obec`, :func:`_letter_codes`) are applied alike to the input and to the gazetteer
(:mod:`apk_geo.geocode.gazetteer`), so either spelling of a name gives the same key: lower case,
no diacritics, abbreviations (``tř.``, ``nám.``, ``gen.``…) expanded, punctuation removed.

Forms understood: ``Hlavní třída 12/5`` (číslo popisné / číslo orientační), ``Hlavní tř. 12``,
``č.p. 1234``, ``Bedřišská 5, Ostrava-Mariánské Hory``, ``12a`` (orientation letter), without or
with wrong diacritics. A lone number after the street is kept as ``number``: only the gazetteer
can tell whether it is the číslo orientační or the číslo popisné.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ParsedAddress", "ParsedKind", "parse_address"]

_COMBINING = r"[\x{0300}-\x{036f}]"  # RE2 syntax (Arrow)
_CZECH_MARKS: Final = ("\u0301", "\u030c", "\u030a")  # acute, caron, ring
_SEGMENTS_RE: Final = (
    r"^(?P<s0>[^,]*)(?:,(?P<s1>[^,]*))?(?:,(?P<s2>[^,]*))?"
    r"(?:,(?P<s3>.*))?$"
)
# Abbreviations expanded on both sides (input and gazetteer), so either spelling matches.
_ABBREVIATIONS: Final = (
    (r"\btr\b\.?\s*", "trida "),
    (r"\bnam\b\.?\s*", "namesti "),
    (r"\bnabr\b\.?\s*", "nabrezi "),
    (r"\bsidl\b\.?\s*", "sidliste "),
    (r"\bgen\b\.?\s*", "generala "),
    (r"\bkpt\b\.?\s*", "kapitana "),
    (r"\bpplk\b\.?\s*", "podplukovnika "),
    (r"\bplk\b\.?\s*", "plukovnika "),
    (r"\bprof\b\.?\s*", "profesora "),
)
_LEADING_STREET_WORD = r"^\s*(?:ul\b\.?|ulice\b)\s*"
# The address proper: street, number(s), letter, trailing words (a place written without comma).
_ADDRESS_RE: Final = re.compile(
    r"^(?P<street>(?:.*[^\d\s/])?)\s*"
    r"(?P<n1>\d{1,6})(?:\s*/\s*(?P<n2>\d{1,5}))?"
    r"(?:\s*(?P<letter>[a-z])\b)?"
    r"(?:\s+(?P<rest>[a-z][^\d]*))?\s*$"
)
# A number kind written before the number, left at the end of the street part by _ADDRESS_RE.
_KIND_RE: Final = re.compile(r"(?:^|\s)(?P<kind>c\s*\.?\s*(?:p|ev|o))\s*\.?\s*$")
# A segment that looks like "<letters> … <number>" or "č.p. <number>".
_SEGMENT_HAS_ADDRESS = (
    r"(?:[a-z].*\d{1,6}\s*(?:/\s*\d{1,5})?\s*[a-z]?\s*$)"
    r"|(?:\bc\s*\.?\s*(?:p|ev)\b)"
)
_PSC_RE = r"\b\d{3}\s?\d{2}\b"
_KIND_CODES: Final = {"p": 0, "ev": 1, "o": 2}  # č.p., č.ev., č.o.

ParsedKind = Literal["č.p.", "č.ev.", "č.o."]

_KIND_NAMES: Final[dict[int, ParsedKind]] = {0: "č.p.", 1: "č.ev.", 2: "č.o."}


@dataclass(frozen=True)
class ParsedAddress:
    """One address split into its parts (all text folded: lower case, no diacritics).

    Attributes
    ----------
    text
        The address as given.
    street
        Normalised street name (abbreviations expanded, punctuation removed), or ``None``.
    house_no
        Číslo popisné or evidenční, when written unambiguously (``12/5`` or ``č.p. 12``).
    orient_no
        Číslo orientační, when written unambiguously (``12/5`` or ``č.o. 5``).
    number
        A lone number after the street: the číslo orientační if the street has one of that
        number, otherwise the číslo popisné (decided by :func:`apk_geo.geocode.geocode`).
    orient_letter
        Orientation letter (``12a`` → ``"a"``).
    kind
        Number kind written before the number (``"č.p."``, ``"č.ev."``, ``"č.o."``).
    place
        Part of town, district or municipality (``"ostrava marianske hory"``), PSČ removed.
    """

    text: str
    street: str | None = None
    house_no: int | None = None
    orient_no: int | None = None
    number: int | None = None
    orient_letter: str | None = None
    kind: ParsedKind | None = None
    place: str | None = None


def parse_address(text: str) -> ParsedAddress:
    """Split a Czech address as people type it into street, numbers and place.

    Parameters
    ----------
    text
        The address, e.g. ``"Hlavní tř. 12/5a, Ostrava-Poruba"``. Any text is accepted; text
        that holds no address gives a :class:`ParsedAddress` with empty fields.

    Returns
    -------
    ParsedAddress
        Folded, normalised parts. ``12/5`` is číslo popisné / číslo orientační; a lone number is
        returned as ``number`` because only the gazetteer can tell which kind it is.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> p = parse_address("Hlavní tř. 12/5a, Ostrava-Poruba")
    >>> (p.street, p.house_no, p.orient_no, p.orient_letter, p.place)
    ('hlavni trida', 12, 5, 'a', 'ostrava poruba')
    >>> parse_address("č.p. 1234").house_no
    1234
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_address expects a str, got {type(text).__name__}: {text!r}")
    row = _parse_series([text]).iloc[0]

    def _int(value: object) -> int | None:
        v = int(value)  # type: ignore[call-overload]
        return v if v >= 0 else None

    return ParsedAddress(
        text=text,
        street=row["street"] or None,
        house_no=_int(row["house_no"]),
        orient_no=_int(row["orient_no"]),
        number=_int(row["number"]),
        orient_letter=row["letter"] or None,
        kind=_KIND_NAMES.get(int(row["kind"])),
        place=row["place"] or None,
    )


# ---------------------------------------------------------------------------------------------
# Folding (Arrow) and keys (pandas), shared with the gazetteer


def _to_arrow(values: Sequence[object] | np.ndarray | pd.Series | pd.Index) -> pa.StringArray:
    """Text values as an Arrow string array; missing values and NaN become ``""``."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.StringDtype):  # Arrow- or Python-backed pandas strings
        arr = pa.array(values, from_pandas=True)
        return pc.fill_null(pc.cast(arr, pa.string()), "")
    items = values.tolist() if isinstance(values, pd.Series | np.ndarray) else list(values)
    clean = [v if isinstance(v, str) else "" if v is None or v != v else str(v) for v in items]
    return pa.array(clean, type=pa.string())


def _sub(arr: pa.StringArray, pattern: str, replacement: str) -> pa.StringArray:
    """Regex replace applied only to the rows that match (Arrow's replace is the slow part)."""
    mask = pc.match_substring_regex(arr, pattern)
    if not pc.any(mask).as_py():
        return arr
    replaced = pc.replace_substring_regex(
        arr.filter(mask), pattern=pattern, replacement=replacement
    )
    return pc.replace_with_mask(arr, mask, replaced)


def _fold_arrow(arr: pa.StringArray) -> pa.StringArray:
    """Fold text: lower case, no diacritics, single spaces, trimmed (vectorised in Arrow)."""
    out = pc.utf8_normalize(arr, form="NFKD")
    for mark in _CZECH_MARKS:  # literal removal of the common marks is fast
        out = pc.replace_substring(out, pattern=mark, replacement="")
    out = _sub(out, _COMBINING, "")
    out = pc.utf8_lower(out)
    out = _sub(out, r"\s{2,}|[\t\n\r\f\v]", " ")
    return pc.utf8_trim_whitespace(out)


def _fold_series(values: pd.Series) -> pd.Series:
    """Fold a column of text (see :func:`_fold_arrow`); returns object dtype, ``""`` for missing."""
    folded = _fold_arrow(_to_arrow(values)).to_numpy(zero_copy_only=False)
    return pd.Series(folded, index=values.index, dtype=object)


def _by_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a Series function to the distinct values only and broadcast the result back."""
    codes, uniques = pd.factorize(values.to_numpy(object))
    done = func(pd.Series(np.asarray(uniques, dtype=object), dtype=object)).to_numpy(object)
    return pd.Series(done[codes], index=values.index, dtype=object)


def _expand_abbreviations(folded: pd.Series) -> pd.Series:
    out = folded.str.replace(_LEADING_STREET_WORD, "", regex=True)
    for pattern, replacement in _ABBREVIATIONS:
        out = out.str.replace(pattern, replacement, regex=True)
    return out


def _street_key_unique(folded: pd.Series) -> pd.Series:
    s = _expand_abbreviations(folded)
    s = s.str.replace(r"[^a-z0-9 ]+", " ", regex=True).str.replace(r"\s+", " ", regex=True)
    return s.str.strip()


def _street_key(folded: pd.Series) -> pd.Series:
    """Normalise folded street names: ``ul.`` dropped, abbreviations expanded, no punctuation."""
    return _by_unique(folded, _street_key_unique)


def _place_key_unique(folded: pd.Series) -> pd.Series:
    s = folded.str.replace(_PSC_RE, " ", regex=True)
    s = s.str.replace(r"[^a-z0-9 ]+", " ", regex=True).str.replace(r"\s+", " ", regex=True)
    return s.str.replace(r"(?:\s\d+)+$", "", regex=True).str.strip()


def _place_key(folded: pd.Series) -> pd.Series:
    """Normalise folded place names: PSČ and postal-district numbers removed, hyphens to spaces."""
    return _by_unique(folded, _place_key_unique)


def _strip_obec(place: pd.Series, obec_keys: Sequence[str]) -> pd.Series:
    """Remove a leading municipality name (``"ostrava marianske hory"`` → ``"marianske hory"``)."""
    out = place
    for ok in sorted(obec_keys, key=len, reverse=True):
        if not ok:
            continue
        prefix = ok + " "
        starts = out.str.startswith(prefix)
        if starts.any():
            out = out.mask(starts, out.str.slice(len(prefix)))
    return out


def _letter_codes(letters: np.ndarray) -> np.ndarray:
    """Orientation letters → 0 (none) or 1–26 (a–z); anything else → 0."""
    codes, uniques = pd.factorize(letters)
    table = np.array(
        [ord(c) - 96 if c and "a" <= c <= "z" else 0 for c in (str(u)[:1] for u in uniques)],
        dtype=np.int64,
    )
    return table[codes] if len(table) else np.zeros(len(letters), np.int64)


# ---------------------------------------------------------------------------------------------
# Vectorised parsing


def _parse_series(texts: pd.Series | pd.Index | np.ndarray | Sequence[object]) -> pd.DataFrame:
    """Parse addresses (vectorised in Arrow; see :func:`parse_address`).

    Returns a frame with a RangeIndex and ``street`` (normalised key, ``""`` if none),
    ``house_no``, ``orient_no``, ``number`` (int64, ``-1`` if none), ``letter`` (``""`` if
    none), ``kind`` (int8: -1 none, 0 č.p., 1 č.ev., 2 č.o.) and ``place`` (``""`` if none).
    """
    folded = _fold_arrow(_to_arrow(texts))
    folded = pc.replace_substring(
        pc.replace_substring(folded, pattern=";", replacement=","), pattern="|", replacement=","
    )
    street_seg, place_raw = _split_segments(folded)
    return _split_address(street_seg, place_raw)


def _split_segments(folded: pa.StringArray) -> tuple[pa.StringArray, np.ndarray]:
    """Split comma-separated text into the address segment and the place (``""`` if none).

    The address segment is the first that looks like one; the place is the first other.
    """
    place_raw = np.full(len(folded), "", dtype=object)
    comma = pc.match_substring(folded, ",")
    if not pc.any(comma).as_py():
        return folded, place_raw
    seg = pc.extract_regex(folded.filter(comma), pattern=_SEGMENTS_RE)
    segs = [pc.utf8_trim_whitespace(seg.field(f"s{i}")) for i in range(4)]
    looks = [
        np.asarray(
            pc.match_substring_regex(s, _SEGMENT_HAS_ADDRESS).to_numpy(zero_copy_only=False),
            bool,
        )
        for s in segs
    ]
    choice = np.select(looks, [0, 1, 2, 3], default=0)
    seg_np = np.stack([s.to_numpy(zero_copy_only=False) for s in segs], axis=1)
    chosen = seg_np[np.arange(len(seg_np)), choice]
    other = np.full(len(seg_np), "", dtype=object)
    for i in range(3, -1, -1):
        use = (choice != i) & (seg_np[:, i] != "")
        other[use] = seg_np[use, i]
    street_seg = pc.replace_with_mask(folded, comma, pa.array(chosen, pa.string()))
    place_raw[np.asarray(comma.to_numpy(zero_copy_only=False), bool)] = other
    return street_seg, place_raw


def _split_address(street_seg: pa.StringArray, place_raw: np.ndarray) -> pd.DataFrame:
    """Split address segments into street key, numbers, letter and kind (see _parse_series)."""
    parts = pc.extract_regex(street_seg, pattern=_ADDRESS_RE.pattern)
    matched = ~np.asarray(pc.is_null(parts).to_numpy(zero_copy_only=False), bool)
    filled = {
        name: np.asarray(
            pc.fill_null(parts.field(name), "").to_numpy(zero_copy_only=False), dtype=object
        )
        for name in ("street", "letter", "rest")
    }
    n1 = _number(pc.fill_null(parts.field("n1"), ""))
    n2 = _number(pc.fill_null(parts.field("n2"), ""))
    seg_np = np.asarray(street_seg.to_numpy(zero_copy_only=False), dtype=object)
    split = _split_kind_unique_broadcast(np.where(matched, filled["street"], seg_np))
    street = split["street"].to_numpy(object)
    kind = np.where(matched, split["kind"].to_numpy(np.int64), -1)
    letter = filled["letter"]
    rest = filled["rest"]
    # "28 října": a number before words and no street → the whole segment is a street name.
    has_letters = np.asarray(
        pc.match_substring_regex(pa.array(street, pa.string()), "[a-z]").to_numpy(
            zero_copy_only=False
        ),
        bool,
    )
    bogus = matched & ~has_letters & (kind < 0) & np.isnan(n2) & (rest != "")
    street = np.where(bogus, seg_np, street)
    n1[bogus] = np.nan
    n2[bogus] = np.nan
    letter = np.where(bogus, "", letter)
    rest = np.where(bogus, "", rest)
    place_raw = np.where((place_raw == "") & (rest != ""), rest, place_raw)

    has_n2 = ~np.isnan(n2)
    explicit_house = has_n2 | (kind == 0) | (kind == 1)
    house_no = np.where(explicit_house, n1, np.nan)
    orient_no = np.where(has_n2, n2, np.where(kind == 2, n1, np.nan))
    number = np.where(~explicit_house & (kind != 2), n1, np.nan)
    return pd.DataFrame(
        {
            "street": _street_key(pd.Series(street, dtype=object)).to_numpy(object),
            "house_no": _int_or_minus_one(house_no),
            "orient_no": _int_or_minus_one(orient_no),
            "number": _int_or_minus_one(number),
            "letter": letter.astype(object),
            "kind": kind.astype(np.int8),
            "place": _place_key(pd.Series(place_raw, dtype=object)).to_numpy(object),
        }
    )


def _int_or_minus_one(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), -1, a).astype(np.int64)


def _number(field: pa.Array) -> np.ndarray:
    """Digits extracted by a regex group → float array (NaN where the group was empty)."""
    as_null = pc.if_else(pc.equal(field, ""), pa.scalar(None, pa.string()), field)
    return np.array(pc.cast(as_null, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def _split_kind_unique(street: pd.Series) -> pd.DataFrame:
    """Split a number kind (``č.p.``, ``č.ev.``, ``č.o.``) off the end of street parts."""
    kind_found = street.str.extract(_KIND_RE)["kind"]
    rest = street.str.replace(_KIND_RE, "", regex=True).str.strip()
    letters = kind_found.str.replace(r"[^a-z]", "", regex=True).str[1:]
    code = letters.map(_KIND_CODES).fillna(-1).astype(np.int64)
    return pd.DataFrame({"street": rest.where(kind_found.notna(), street), "kind": code})


def _split_kind_unique_broadcast(street: np.ndarray) -> pd.DataFrame:
    codes, uniques = pd.factorize(street)
    done = _split_kind_unique(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    return done.iloc[codes].reset_index(drop=True)
