"""Geocoding of Czech addresses against the RÚIAN address-point register.

The gazetteer is the address-point CSV that ČÚZK publishes for each municipality
(``YYYYMMDD_OB_<kód obce>_ADR.csv``: cp1250, ``;`` separated, positive S-JTSK coordinates with
EPSG:5514 easting = −Y and northing = −X). :func:`load_ruian_csv` reads it as is,
:func:`build_index` prepares the lookup tables once, and :func:`geocode` places a table of
addresses (or passes through coordinates already in it).

Addresses are parsed the way people type them (:func:`parse_address`): ``Hlavní třída 12/5``
(číslo popisné / číslo orientační), ``Hlavní tř. 12``, ``č.p. 1234``, ``Bedřišská 5,
Ostrava-Mariánské Hory``, ``12a`` (orientation letter), without or with wrong diacritics and with
the abbreviations ``tř.``, ``nám.``, ``ul.``. A lone number after the street is the číslo
orientační when the street has one of that number, otherwise the číslo popisné. In villages
without streets the part of the municipality stands in for the street (``Trojanovice 2``).

Matching runs in stages, each vectorised over the distinct address strings (inputs repeat a
lot, so every distinct string is parsed and matched once):

1. **exact** — normalised keys (folded street name, numbers, letter) joined to the gazetteer;
2. **fuzzy** — for street names not in the gazetteer, the most similar street name
   (:func:`rapidfuzz.fuzz.WRatio`, within the given part of town when one is given) at or above
   ``min_score``; also partial number matches (e.g. the orientation letter ignored);
3. **street** — a street without a house number (or with one the street does not have) is placed
   at the street's centre;
4. **failed** — kept, with ``geocode_reason`` saying why.

Coordinates present in the input (WGS84 ``lat``/``lon`` or S-JTSK ``x``/``y`` in either sign
convention) pass through as ``coordinates``; swapped axes and wrong signs are detected against the
city extent and fixed, or the coordinates are rejected with a reason and the address is used.

References
----------
ČÚZK, *Adresní místa ve formátu CSV* (RÚIAN), https://nahlizenidokn.cuzk.cz/StahniAdresniMistaRUIAN.aspx
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import Transformer
from rapidfuzz import fuzz, process

from apk_geo._validate import require_columns
from apk_geo.config import DATA_DIR
from apk_geo.errors import GeocodingError, InputFileError, SchemaError
from apk_geo.schema import CRS_METRIC, CRS_WEB, fold

logger = logging.getLogger(__name__)

#: Values of the ``match`` column, from best to worst.
MATCH_KINDS: Final = ("exact", "fuzzy", "street", "coordinates", "failed")

#: Columns that :func:`geocode` adds (or overwrites), in this order.
OUTPUT_COLUMNS: Final = (
    "lat",
    "lon",
    "x_5514",
    "y_5514",
    "match",
    "score",
    "ruian_adm",
    "geocode_reason",
)

#: Columns of the gazetteer frame returned by :func:`load_ruian_csv`.
GAZETTEER_COLUMNS: Final = (
    "adm",
    "obec_code",
    "obec",
    "momc_code",
    "momc",
    "mop",
    "part_code",
    "part",
    "street_code",
    "street",
    "so_type",
    "house_no",
    "orient_no",
    "orient_letter",
    "psc",
    "x_5514",
    "y_5514",
    "lat",
    "lon",
    "valid_from",
)

#: Types of building number (typ stavebního objektu) in RÚIAN.
SO_TYPES: Final = ("č.p.", "č.ev.")

#: Boundary whose bounding box (plus :data:`CITY_EXTENT_MARGIN_M`) is the default city extent.
CITY_BOUNDARY_FILE: Final = DATA_DIR / "ostrava_obec_dissolved_wgs84.geojson"
CITY_EXTENT_MARGIN_M: Final = 2_000.0

#: Score of a match that ignored part of the given number (letter, č.p./č.o. conflict).
PARTIAL_NUMBER_SCORE: Final = 90.0
#: Street names shortlisted by plain similarity before ranking by WRatio.
_FUZZY_SHORTLIST: Final = 8
#: Minimum score to accept a fuzzy correction of a place (part-of-town) name.
PLACE_MIN_SCORE: Final = 85.0

# RÚIAN header (folded with schema.fold) → canonical column. Older files say "obvodu Prahy"
# where newer ones say "MOP".
_RUIAN_HEADER: Final = {
    "kod adm": "adm",
    "kod obce": "obec_code",
    "nazev obce": "obec",
    "kod momc": "momc_code",
    "nazev momc": "momc",
    "kod mop": "mop_code",
    "nazev mop": "mop",
    "kod obvodu prahy": "mop_code",
    "nazev obvodu prahy": "mop",
    "kod casti obce": "part_code",
    "nazev casti obce": "part",
    "kod ulice": "street_code",
    "nazev ulice": "street",
    "typ so": "so_type",
    "cislo domovni": "house_no",
    "cislo orientacni": "orient_no",
    "znak cisla orientacniho": "orient_letter",
    "psc": "psc",
    "souradnice y": "_coord_y",
    "souradnice x": "_coord_x",
    "plati od": "valid_from",
}
_RUIAN_REQUIRED: Final = (
    "adm",
    "obec_code",
    "obec",
    "part_code",
    "part",
    "street",
    "so_type",
    "house_no",
    "orient_no",
    "_coord_y",
    "_coord_x",
)
_EXPECTED_HEADER: Final = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)

# ---------------------------------------------------------------------------------------------
# Address parsing (works on folded text: lower case, no diacritics)

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
        number, otherwise the číslo popisné (decided by :func:`geocode`).
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


def _split_kind_unique(street: pd.Series) -> pd.DataFrame:
    """Split a number kind (``č.p.``, ``č.ev.``, ``č.o.``) off the end of street parts."""
    kind_found = street.str.extract(_KIND_RE)["kind"]
    rest = street.str.replace(_KIND_RE, "", regex=True).str.strip()
    letters = kind_found.str.replace(r"[^a-z]", "", regex=True).str[1:]
    code = letters.map(_KIND_CODES).fillna(-1).astype(np.int64)
    return pd.DataFrame({"street": rest.where(kind_found.notna(), street), "kind": code})


def _number(field: pa.Array) -> np.ndarray:
    """Digits extracted by a regex group → float array (NaN where the group was empty)."""
    as_null = pc.if_else(pc.equal(field, ""), pa.scalar(None, pa.string()), field)
    return np.array(pc.cast(as_null, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


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
    n = len(folded)
    street_seg = folded
    place_raw = np.full(n, "", dtype=object)
    comma = pc.match_substring(folded, ",")
    if pc.any(comma).as_py():
        # The address segment is the first that looks like one; the place is the first other.
        sub = folded.filter(comma)
        seg = pc.extract_regex(sub, pattern=_SEGMENTS_RE)
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
        rows = np.arange(len(seg_np))
        chosen = seg_np[rows, choice]
        other = np.full(len(seg_np), "", dtype=object)
        for i in range(3, -1, -1):
            use = (choice != i) & (seg_np[:, i] != "")
            other[use] = seg_np[use, i]
        street_seg = pc.replace_with_mask(folded, comma, pa.array(chosen, pa.string()))
        place_raw[np.asarray(comma.to_numpy(zero_copy_only=False), bool)] = other

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
    street_raw = np.where(matched, filled["street"], seg_np)
    split = _split_kind_unique_broadcast(street_raw)
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

    def _int(a: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(a), -1, a).astype(np.int64)

    return pd.DataFrame(
        {
            "street": _street_key(pd.Series(street, dtype=object)).to_numpy(object),
            "house_no": _int(house_no),
            "orient_no": _int(orient_no),
            "number": _int(number),
            "letter": letter.astype(object),
            "kind": kind.astype(np.int8),
            "place": _place_key(pd.Series(place_raw, dtype=object)).to_numpy(object),
        }
    )


def _split_kind_unique_broadcast(street: np.ndarray) -> pd.DataFrame:
    codes, uniques = pd.factorize(street)
    done = _split_kind_unique(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    return done.iloc[codes].reset_index(drop=True)


_KIND_NAMES: Final[dict[int, ParsedKind]] = {0: "č.p.", 1: "č.ev.", 2: "č.o."}


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
# Gazetteer


def _decode(raw: bytes, *, path: Path, encoding: str | None) -> str:
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputFileError(
                f"cannot decode the file as {encoding!r} ({exc}); RÚIAN files are cp1250, "
                f"pass encoding=None to detect it",
                path=str(path),
            ) from exc
    try:
        text = raw.decode("utf-8-sig")
        logger.info("%s: read as UTF-8", path)
        return text
    except UnicodeDecodeError:
        logger.info("%s: not valid UTF-8; read as cp1250 (the encoding ČÚZK publishes)", path)
        return raw.decode("cp1250", errors="strict")


def _to_number(values: pd.Series, *, name: str, path: Path, integer: bool) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    num = pd.to_numeric(text.str.replace(",", ".", regex=False).mask(text == ""), errors="coerce")
    bad = num.isna() & (text != "")
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputFileError(
            f"column {name!r}: got {text[bad].iloc[0]!r} on line {line}, expected a number; "
            f"is this an unmodified RÚIAN address-point CSV?",
            path=str(path),
        )
    if integer:
        return pd.Series(num, dtype="Int64")
    return pd.Series(num, dtype=float)


def load_ruian_csv(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a RÚIAN address-point CSV (the ČÚZK file as published) into a gazetteer frame.

    Parameters
    ----------
    path
        ``YYYYMMDD_OB_<kód obce>_ADR.csv``: ``;`` separated, header in Czech. Older files
        (``Kód obvodu Prahy``) are accepted as well as newer ones (``Kód MOP``).
    encoding
        Text encoding; ``None`` (default) reads UTF-8 when the bytes are valid UTF-8 and
        otherwise cp1250, the encoding ČÚZK publishes (the choice is logged).

    Returns
    -------
    pandas.DataFrame
        One row per address point with columns :data:`GAZETTEER_COLUMNS`: ``adm``,
        ``obec_code``, ``part_code`` (int64); ``momc_code``, ``street_code``, ``house_no``,
        ``orient_no`` (Int64, ``<NA>`` when empty); ``obec``, ``momc``, ``mop``, ``part``,
        ``street``, ``so_type`` (``"č.p."`` or ``"č.ev."``), ``orient_letter``, ``psc`` (str,
        missing when empty); ``x_5514``, ``y_5514`` (EPSG:5514 metres: easting = −Y,
        northing = −X of the file), ``lat``, ``lon`` (EPSG:4326 degrees); ``valid_from``
        (datetime64). Points without coordinates have NaN coordinates.

    Raises
    ------
    InputFileError
        If the file is missing, cannot be decoded, lacks RÚIAN columns or holds a value that is
        not a number where one is required.

    Examples
    --------
    Read the file downloaded from ČÚZK (not run as a doctest: it needs the file)::

        gaz = load_ruian_csv("20240131_OB_554821_ADR.csv")
        index = build_index(gaz)
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the gazetteer: {exc.strerror}", path=str(p)) from exc
    text = _decode(raw, path=p, encoding=encoding)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=";", dtype=str, keep_default_na=False, na_values=[""]
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(f"not a RÚIAN address-point CSV: {exc}", path=str(p)) from exc
    rename = {c: _RUIAN_HEADER[fold(c)] for c in frame.columns if fold(c) in _RUIAN_HEADER}
    frame = frame.rename(columns=rename)
    missing = [c for c in _RUIAN_REQUIRED if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"not a RÚIAN address-point CSV: missing column(s) {missing}; the header is "
            f"{list(map(str, frame.columns))[:20]}; expected ';'-separated '{_EXPECTED_HEADER}'",
            path=str(p),
        )
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for col in ("adm", "obec_code", "part_code"):
        num = _to_number(frame[col], name=col, path=p, integer=True)
        if num.isna().any():
            line = int(np.flatnonzero(num.isna().to_numpy())[0]) + 2
            raise InputFileError(f"column {col!r} is empty on line {line}", path=str(p))
        out[col] = num.astype(np.int64)
    for col in ("momc_code", "street_code", "house_no", "orient_no"):
        if col in frame.columns:
            out[col] = _to_number(frame[col], name=col, path=p, integer=True)
        else:
            out[col] = pd.array([pd.NA] * len(frame), dtype="Int64")
    for col in ("obec", "momc", "mop", "part", "street", "orient_letter", "psc"):
        src = frame[col] if col in frame.columns else pd.Series(np.nan, index=frame.index)
        stripped = src.astype("str").str.strip()
        out[col] = stripped.mask(stripped == "")
    so = frame["so_type"].astype(object).where(frame["so_type"].notna(), "")
    so_folded = so.map(fold).str.replace(r"[\s.]", "", regex=True)
    so_canonical = so_folded.map({"cp": "č.p.", "cev": "č.ev."})
    if so_canonical.isna().any():
        bad = so[so_canonical.isna()].iloc[0]
        line = int(np.flatnonzero(so_canonical.isna().to_numpy())[0]) + 2
        raise InputFileError(
            f"column 'Typ SO': got {bad!r} on line {line}, expected 'č.p.' or 'č.ev.'",
            path=str(p),
        )
    out["so_type"] = so_canonical.astype("str")
    coord_y = _to_number(frame["_coord_y"], name="Souřadnice Y", path=p, integer=False)
    coord_x = _to_number(frame["_coord_x"], name="Souřadnice X", path=p, integer=False)
    if ((coord_y < 0) | (coord_x < 0)).any():
        logger.warning(
            "%s: negative S-JTSK coordinates found; RÚIAN files hold positive ones, "
            "signs are taken as given magnitudes (easting = -|Y|)",
            p,
        )
    out["x_5514"] = -coord_y.abs().to_numpy(float)
    out["y_5514"] = -coord_x.abs().to_numpy(float)
    lon, lat = _to_wgs84().transform(out["x_5514"].to_numpy(), out["y_5514"].to_numpy())
    out["lat"] = np.asarray(lat, dtype=float)
    out["lon"] = np.asarray(lon, dtype=float)
    if "valid_from" in frame.columns:
        out["valid_from"] = pd.to_datetime(frame["valid_from"], errors="coerce")
    else:
        out["valid_from"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    out = out[list(GAZETTEER_COLUMNS)]
    logger.info("%s: %d address points", p, len(out))
    return out


@functools.cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(CRS_METRIC, CRS_WEB, always_xy=True)


@functools.cache
def _to_5514() -> Transformer:
    return Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)


@dataclass(frozen=True, eq=False)
class GazetteerIndex:
    """Lookup tables built once from a gazetteer by :func:`build_index`.

    Attributes
    ----------
    points
        One row per address point with coordinates: ``adm``, ``sid`` (street id, ``-1`` for
        none), ``house_no``, ``orient_no`` (``-1`` for none), ``letter`` (0 none, 1–26 a–z),
        ``so`` (0 č.p., 1 č.ev.), ``part_code``, ``obec_code``, ``part``, ``street_name``,
        ``x_5514``, ``y_5514``, ``lat``, ``lon``.
    street_keys
        Normalised street names; a point's ``sid`` indexes this.
    street_names
        Display name of each street key (as written in RÚIAN).
    street_centre
        Per street key: ``x_5514``, ``y_5514``, ``lat``, ``lon`` of the address point nearest
        the mean of the street's points, ``n_points`` and ``n_obce``.
    place_keys
        Normalised names of parts of town, districts (MOMC, MOP) and municipalities.
    place_parts
        For each place key, the sorted part codes it covers.
    obec_keys
        Normalised municipality names (stripped from the front of place names).
    """

    points: pd.DataFrame
    street_keys: pd.Index
    street_names: tuple[str, ...]
    street_centre: pd.DataFrame
    place_keys: pd.Index
    place_parts: tuple[np.ndarray, ...]
    obec_keys: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        return (
            f"GazetteerIndex({len(self.points)} address points, "
            f"{len(self.street_keys)} streets, {len(self.place_keys)} places)"
        )


def _letter_codes(letters: np.ndarray) -> np.ndarray:
    """Orientation letters → 0 (none) or 1–26 (a–z); anything else → 0."""
    codes, uniques = pd.factorize(letters)
    table = np.array(
        [ord(c) - 96 if c and "a" <= c <= "z" else 0 for c in (str(u)[:1] for u in uniques)],
        dtype=np.int64,
    )
    return table[codes] if len(table) else np.zeros(len(letters), np.int64)


def _int_column(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").fillna(-1).to_numpy(np.int64)


def build_index(gazetteer: pd.DataFrame) -> GazetteerIndex:
    """Prepare a gazetteer (from :func:`load_ruian_csv` or a store's ``address_points``).

    Parameters
    ----------
    gazetteer
        Frame with at least ``adm, obec_code, obec, part_code, part, street, so_type, house_no,
        orient_no, orient_letter, x_5514, y_5514``; ``momc`` and ``mop`` are used when present.
        Rows without coordinates are left out (logged). Not modified.

    Returns
    -------
    GazetteerIndex
        Keys for exact lookups, street centres and place names. A village address point with
        no street and a číslo popisné gets its part-of-town name as the street.

    Raises
    ------
    SchemaError
        If a required column is missing.
    GeocodingError
        If no address point has coordinates.
    """
    require_columns(
        gazetteer,
        (
            "adm",
            "obec_code",
            "obec",
            "part_code",
            "part",
            "street",
            "so_type",
            "house_no",
            "orient_no",
            "orient_letter",
            "x_5514",
            "y_5514",
        ),
        name="gazetteer",
    )
    g = gazetteer
    x = pd.to_numeric(g["x_5514"], errors="coerce").to_numpy(float)
    y = pd.to_numeric(g["y_5514"], errors="coerce").to_numpy(float)
    has_xy = np.isfinite(x) & np.isfinite(y)
    if not has_xy.any():
        raise GeocodingError(
            f"the gazetteer has no address point with coordinates ({len(g)} rows); "
            f"load it with apk_geo.geocode.load_ruian_csv"
        )
    if not has_xy.all():
        logger.warning(
            "gazetteer: %d address point(s) without coordinates left out", int((~has_xy).sum())
        )
    g = g.loc[has_xy]
    x, y = x[has_xy], y[has_xy]
    so = g["so_type"].astype(object).map(fold).str.replace(r"[\s.]", "", regex=True)
    so_code = so.map({"cp": 0, "cev": 1}).fillna(0).to_numpy(np.int8)
    street_raw = g["street"].astype(object).where(g["street"].notna(), "").astype(str).str.strip()
    part_raw = g["part"].astype(object).where(g["part"].notna(), "").astype(str).str.strip()
    # Villages: no street, č.p. → the part of town acts as the street.
    village = (street_raw == "").to_numpy() & (so_code == 0)
    display = street_raw.mask(village, part_raw)
    key = _street_key(_fold_series(display))
    key_arr = key.to_numpy(object)
    street_keys = pd.Index(pd.unique(key_arr[key_arr != ""]), dtype=object)
    sid = street_keys.get_indexer(key_arr).astype(np.int64)  # "" → -1
    letter = _fold_series(g["orient_letter"]).str[:1]
    letter_code = pd.Series(_letter_codes(letter.to_numpy(object)))
    lon, lat = (
        (
            pd.to_numeric(g["lon"], errors="coerce").to_numpy(float),
            pd.to_numeric(g["lat"], errors="coerce").to_numpy(float),
        )
        if {"lat", "lon"} <= set(g.columns)
        else _to_wgs84().transform(x, y)
    )
    lon_arr, lat_arr = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    missing_ll = ~(np.isfinite(lon_arr) & np.isfinite(lat_arr))
    if missing_ll.any():
        lon2, lat2 = _to_wgs84().transform(x[missing_ll], y[missing_ll])
        lon_arr[missing_ll], lat_arr[missing_ll] = lon2, lat2
    points = pd.DataFrame(
        {
            "adm": _int_column(g["adm"]),
            "sid": sid,
            "house_no": _int_column(g["house_no"]),
            "orient_no": _int_column(g["orient_no"]),
            "letter": letter_code.to_numpy(np.int64),
            "so": so_code.astype(np.int64),
            "part_code": _int_column(g["part_code"]),
            "obec_code": _int_column(g["obec_code"]),
            "part": part_raw.to_numpy(object),
            "street_name": display.to_numpy(object),
            "x_5514": x,
            "y_5514": y,
            "lat": lat_arr,
            "lon": lon_arr,
        }
    )
    names = (
        points.loc[points["sid"] >= 0]
        .drop_duplicates("sid")
        .set_index("sid")["street_name"]
        .reindex(range(len(street_keys)))
    )
    street_centre = _street_centres(points, len(street_keys))

    # Places: part of town, MOMC, MOP and municipality names → part codes.
    obec_keys = tuple(pd.unique(_place_key(_fold_series(g["obec"]))))
    pairs = []
    for col in ("part", "momc", "mop", "obec"):
        if col in g.columns:
            pk = _strip_obec(_place_key(_fold_series(g[col])), obec_keys)
            pairs.append(
                pd.DataFrame(
                    {"place": pk.to_numpy(object), "part_code": points["part_code"].to_numpy()}
                )
            )
    place_df = pd.concat(pairs, ignore_index=True)
    place_df = place_df.loc[place_df["place"] != ""].drop_duplicates()
    grouped = place_df.groupby("place", sort=True)["part_code"]
    place_keys = pd.Index(list(grouped.groups.keys()), dtype=object)
    place_parts = tuple(np.sort(grouped.get_group(k).to_numpy(np.int64)) for k in place_keys)
    index = GazetteerIndex(
        points=points,
        street_keys=street_keys,
        street_names=tuple(str(n) for n in names.to_numpy(object)),
        street_centre=street_centre,
        place_keys=place_keys,
        place_parts=place_parts,
        obec_keys=obec_keys,
    )
    logger.info("gazetteer index: %r", index)
    return index


def _street_centres(points: pd.DataFrame, n_streets: int) -> pd.DataFrame:
    """Per street: the address point nearest to the mean of the street's points."""
    on_street = points.loc[points["sid"] >= 0]
    grp = on_street.groupby("sid")
    mean = grp[["x_5514", "y_5514"]].transform("mean")
    d2 = (on_street["x_5514"] - mean["x_5514"]) ** 2 + (on_street["y_5514"] - mean["y_5514"]) ** 2
    nearest = d2.groupby(on_street["sid"]).idxmin()
    centre = points.loc[nearest.to_numpy(), ["x_5514", "y_5514", "lat", "lon"]]
    centre.index = nearest.index
    centre["n_points"] = grp.size()
    centre["n_obce"] = grp["obec_code"].nunique()
    return centre.reindex(range(n_streets))


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


# ---------------------------------------------------------------------------------------------
# City extent and coordinate pass-through


@functools.cache
def default_city_extent_5514() -> tuple[float, float, float, float]:
    """Return Ostrava's bounding box in EPSG:5514 plus :data:`CITY_EXTENT_MARGIN_M` (cached).

    Computed once from ``data/ostrava_obec_dissolved_wgs84.geojson``.

    Returns
    -------
    tuple of float
        ``(min_x, min_y, max_x, max_y)`` in metres.
    """
    try:
        geo = json.loads(CITY_BOUNDARY_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GeocodingError(
            f"cannot read the city boundary {CITY_BOUNDARY_FILE} for the default city extent "
            f"({exc}); pass city_extent_5514=(min_x, min_y, max_x, max_y)"
        ) from exc
    coords: list[list[float]] = []

    def _walk(node: object) -> None:
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            coords.append([float(node[0]), float(node[1])])
        elif isinstance(node, list):
            for item in node:
                _walk(item)

    for feature in geo.get("features", []):
        _walk(feature["geometry"]["coordinates"])
    arr = np.asarray(coords, dtype=float)
    ex, ny = _to_5514().transform(arr[:, 0], arr[:, 1])
    m = CITY_EXTENT_MARGIN_M
    extent = (
        float(np.min(ex)) - m,
        float(np.min(ny)) - m,
        float(np.max(ex)) + m,
        float(np.max(ny)) + m,
    )
    logger.info(
        "default city extent (EPSG:5514, %.0f m margin): %s", m, tuple(round(v) for v in extent)
    )
    return extent


def _numeric(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values):
        return pd.to_numeric(values, errors="coerce").to_numpy(float)
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(",", ".", regex=False)
    return np.asarray(pd.to_numeric(text.mask(text == ""), errors="coerce"), dtype=float)


def _inside(x: np.ndarray, y: np.ndarray, extent: tuple[float, float, float, float]) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])


@dataclass
class _Coords:
    x: np.ndarray
    y: np.ndarray
    ok: np.ndarray
    reason: np.ndarray  # object: "" or why fixed/rejected


def _pass_through(
    df: pd.DataFrame,
    *,
    lat_col: str,
    lon_col: str,
    x_col: str,
    y_col: str,
    extent: tuple[float, float, float, float],
) -> _Coords:
    """Use coordinates present in the input, fixing swapped axes and signs against ``extent``."""
    n = len(df)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    ok = np.zeros(n, dtype=bool)
    reason = np.full(n, "", dtype=object)
    if lat_col in df.columns and lon_col in df.columns:
        lat = _numeric(df[lat_col])
        lon = _numeric(df[lon_col])
        given = np.isfinite(lat) & np.isfinite(lon)
        if given.any():
            idx = np.flatnonzero(given)
            la, lo = lat[idx], lon[idx]
            pair = f"{lat_col}/{lon_col}"
            # (latitude, longitude, note): as given, swapped, then with the signs dropped.
            ll_candidates = (
                (la, lo, ""),
                (lo, la, "swapped"),
                (np.abs(la), np.abs(lo), "signs"),
                (np.abs(lo), np.abs(la), "swapped and signs"),
            )
            done = np.zeros(len(idx), dtype=bool)
            for cla, clo, note in ll_candidates:
                plausible = ~done & (np.abs(cla) <= 90) & (np.abs(clo) <= 180)
                if not plausible.any():
                    continue
                ex, ny = _to_5514().transform(
                    np.where(plausible, clo, 0.0), np.where(plausible, cla, 0.0)
                )
                hit = plausible & _inside(np.asarray(ex), np.asarray(ny), extent)
                x[idx[hit]], y[idx[hit]] = np.asarray(ex)[hit], np.asarray(ny)[hit]
                if note:
                    fixed = {
                        "swapped": f"{pair} swapped",
                        "signs": f"{pair} signs flipped",
                        "swapped and signs": f"{pair} swapped with flipped signs",
                    }[note]
                    reason[idx[hit]] = [
                        f"{fixed} (given {lat_col}={a:g}, {lon_col}={b:g}); fixed"
                        for a, b in zip(la[hit], lo[hit], strict=True)
                    ]
                done |= hit
            ok[idx[done]] = True
            bad = ~done
            reason[idx[bad]] = [
                f"{pair} ({a:g}, {b:g}), in every axis order and sign, lie outside the city "
                f"extent and were rejected"
                for a, b in zip(la[bad], lo[bad], strict=True)
            ]
    if x_col in df.columns and y_col in df.columns:
        xv = _numeric(df[x_col])
        yv = _numeric(df[y_col])
        given = np.isfinite(xv) & np.isfinite(yv) & ~ok
        if given.any():
            idx = np.flatnonzero(given)
            a, b = xv[idx], yv[idx]
            candidates = (
                (a, b, ""),
                (-a, -b, f"{x_col}/{y_col} signs flipped (positive S-JTSK values); fixed"),
                (b, a, f"{x_col} and {y_col} swapped; fixed"),
                (
                    -b,
                    -a,
                    f"{x_col}/{y_col} in the Czech S-JTSK convention (positive, X = "
                    f"southing, Y = westing); converted: easting = −{y_col}, "
                    f"northing = −{x_col}",
                ),
                (-np.abs(a), -np.abs(b), f"{x_col}/{y_col} had mixed signs; fixed"),
                (-np.abs(b), -np.abs(a), f"{x_col}/{y_col} swapped with mixed signs; fixed"),
            )
            done = np.zeros(len(idx), dtype=bool)
            for cx, cy, why in candidates:
                hit = ~done & _inside(cx, cy, extent)
                x[idx[hit]], y[idx[hit]] = cx[hit], cy[hit]
                if why:
                    reason[idx[hit]] = why
                done |= hit
            ok[idx[done]] = True
            rej = idx[~done]
            prior = reason[rej]
            reason[rej] = [
                (f"{p}; " if p else "")
                + f"{x_col}/{y_col} ({u:g}, {v:g}), in every axis order and sign, lie outside "
                f"the city extent and were rejected"
                for p, u, v in zip(prior, xv[rej], yv[rej], strict=True)
            ]
    return _Coords(x=x, y=y, ok=ok, reason=reason)


def _city_extent(
    city_extent_5514: tuple[float, float, float, float] | None,
) -> tuple[float, float, float, float]:
    """Return the extent to check coordinates against (the default one when ``None``)."""
    if city_extent_5514 is None:
        return default_city_extent_5514()
    extent = tuple(float(v) for v in city_extent_5514)
    if len(extent) != 4 or not (extent[0] < extent[2] and extent[1] < extent[3]):
        raise ValueError(
            f"city_extent_5514 must be (min_x, min_y, max_x, max_y) with min < max, got "
            f"{city_extent_5514!r}"
        )
    return (extent[0], extent[1], extent[2], extent[3])


def resolve_coordinates(
    df: pd.DataFrame,
    *,
    city_extent_5514: tuple[float, float, float, float] | None = None,
    lat_col: str = "lat",
    lon_col: str = "lon",
    x_col: str = "x",
    y_col: str = "y",
) -> pd.DataFrame:
    """Place the coordinates given in ``df`` inside the city extent, as :func:`geocode` does.

    WGS84 ``lat``/``lon`` are tried first, then S-JTSK ``x``/``y``; swapped axes and wrong signs
    (including the Czech positive S-JTSK convention) are fixed when that puts the point inside
    the extent, otherwise the pair is rejected. :func:`apk_geo.io.validate` uses this to
    quarantine rows whose only location is such a rejected pair, so that validation and
    geocoding agree on every row.

    Parameters
    ----------
    df
        Table with (some of) the coordinate columns; not modified. Missing columns count as
        not given.
    city_extent_5514
        ``(min_x, min_y, max_x, max_y)`` in EPSG:5514; ``None``: :func:`default_city_extent_5514`.
    lat_col, lon_col, x_col, y_col
        Input coordinate columns.

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``: ``x_5514``, ``y_5514`` (float, NaN unless placed), ``placed``
        (bool) and ``reason`` (str: what was fixed or why the coordinates were rejected, ``""``
        when nothing needed saying or no coordinates were given).

    Raises
    ------
    ValueError
        If ``city_extent_5514`` is malformed.

    Examples
    --------
    >>> out = resolve_coordinates(pd.DataFrame({"lat": [18.2893, 50.0875],
    ...                                         "lon": [49.8413, 14.4213]}))
    >>> out["placed"].tolist()
    [True, False]
    >>> out["reason"].iloc[0]
    'lat/lon swapped (given lat=18.2893, lon=49.8413); fixed'
    """
    coords = _pass_through(
        df,
        lat_col=lat_col,
        lon_col=lon_col,
        x_col=x_col,
        y_col=y_col,
        extent=_city_extent(city_extent_5514),
    )
    return pd.DataFrame(
        {
            "x_5514": np.where(coords.ok, coords.x, np.nan),
            "y_5514": np.where(coords.ok, coords.y, np.nan),
            "placed": coords.ok,
            "reason": pd.array(pa.array(coords.reason, pa.string()), dtype="str"),
        },
        index=df.index,
    )


# ---------------------------------------------------------------------------------------------
# Matching

# Result codes of a unique query.
_EXACT, _FUZZY, _STREET, _FAILED = 0, 1, 2, 4


@dataclass
class _Results:
    row: np.ndarray  # index into index.points, -1 none
    street: np.ndarray  # sid for street-centre results, -1 none
    match: np.ndarray  # int8 code
    score: np.ndarray  # float
    reason: np.ndarray  # object
    explained: np.ndarray  # bool: a failure whose reason is final (ambiguity)

    @classmethod
    def empty(cls, n: int) -> _Results:
        return cls(
            np.full(n, -1, np.int64),
            np.full(n, -1, np.int64),
            np.full(n, _FAILED, np.int8),
            np.zeros(n),
            np.full(n, "", dtype=object),
            np.zeros(n, dtype=bool),
        )


def _place_allowed(
    place_id: np.ndarray, part_code: np.ndarray, index: GazetteerIndex
) -> np.ndarray:
    """True where ``part_code`` lies in the place ``place_id`` (``-1``: no place → False)."""
    out = np.zeros(len(place_id), dtype=bool)
    for pid in np.unique(place_id[place_id >= 0]):
        sel = place_id == pid
        out[sel] = np.isin(part_code[sel], index.place_parts[int(pid)])
    return out


def _lookup(
    q: pd.DataFrame,
    index: GazetteerIndex,
    *,
    qkeys: Sequence[str],
    pkeys: Sequence[str],
) -> pd.DataFrame:
    """Join queries to address points on keys; resolve several candidates by place.

    Returns one row per resolved query: ``qid``, ``row`` (point position), ``place_mismatch``;
    and, for queries with several candidates left, ``row == -1`` and ``ambiguous`` parts.
    """
    pts = index.points
    right = pd.DataFrame({f"_k{i}": pts[k].to_numpy() for i, k in enumerate(pkeys)})
    right["row"] = pts.index.to_numpy()
    left = pd.DataFrame({f"_k{i}": q[k].to_numpy() for i, k in enumerate(qkeys)})
    left["qid"] = q["qid"].to_numpy()
    left["place_id"] = q["place_id"].to_numpy()
    m = left.merge(right, on=[f"_k{i}" for i in range(len(pkeys))], how="inner")
    if m.empty:
        return pd.DataFrame(
            {
                "qid": np.array([], np.int64),
                "row": np.array([], np.int64),
                "place_mismatch": np.array([], bool),
                "ambiguous": [],
            }
        )
    part = index.points["part_code"].to_numpy()[m["row"].to_numpy()]
    pid = m["place_id"].to_numpy()
    m["place_ok"] = _place_allowed(pid, part, index)
    m["has_place"] = pid >= 0
    dup = m["qid"].duplicated(keep=False).to_numpy()
    single = m.loc[~dup, ["qid", "row"]].copy()
    single["place_mismatch"] = (m["has_place"] & ~m["place_ok"]).to_numpy()[~dup]
    single["ambiguous"] = ""
    multi = m.loc[dup]
    if multi.empty:
        return single
    # Several candidates: keep those in the given place; decide if exactly one remains.
    any_ok = multi.groupby("qid")["place_ok"].transform("any")
    keep = multi.loc[multi["place_ok"] | ~any_ok]
    counts = keep.groupby("qid")["row"].transform("size")
    resolved = keep.loc[counts == 1, ["qid", "row"]].copy()
    resolved["place_mismatch"] = False
    resolved["ambiguous"] = ""
    still = keep.loc[counts > 1]
    parts = index.points["part"].to_numpy(object)
    amb_rows = []
    for qid, grp in still.groupby("qid"):
        names = sorted({str(parts[r]) for r in grp["row"]})
        listed = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
        amb_rows.append((qid, -1, False, f"{len(grp)} address points in {listed}"))
    amb = pd.DataFrame(amb_rows, columns=["qid", "row", "place_mismatch", "ambiguous"])
    frames = [f for f in (single, resolved, amb) if not f.empty]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _match_numbers(
    q: pd.DataFrame, index: GazetteerIndex, res: _Results, *, fuzzy: bool, street_score: np.ndarray
) -> np.ndarray:
    """Run the number stages for queries with a known street (or none); return resolved mask."""
    done = np.zeros(len(q), dtype=bool)
    qpos = pd.Series(np.arange(len(q)), index=q["qid"].to_numpy())
    has_street = q["sid"].to_numpy() >= 0
    n2 = q["orient_no"].to_numpy() >= 0
    kind = q["kind"].to_numpy()
    lone = q["number"].to_numpy() >= 0
    letter = q["letter_code"].to_numpy()
    # (applies to, query keys, point keys, score, reason template); first hit wins.
    stages: list[tuple[np.ndarray, tuple[str, ...], tuple[str, ...], float, str]] = [
        (
            has_street & n2,
            ("sid", "house_no", "orient_no", "letter_code"),
            ("sid", "house_no", "orient_no", "letter"),
            100.0,
            "",
        ),
        (
            has_street & (kind == 0),
            ("sid", "house_no", "so_zero"),
            ("sid", "house_no", "so"),
            100.0,
            "",
        ),
        (
            has_street & (kind == 1),
            ("sid", "house_no", "so_one"),
            ("sid", "house_no", "so"),
            100.0,
            "",
        ),
        (
            has_street & (kind == 2),
            ("sid", "orient_no", "letter_code"),
            ("sid", "orient_no", "letter"),
            100.0,
            "",
        ),
        (
            has_street & lone,
            ("sid", "number", "letter_code"),
            ("sid", "orient_no", "letter"),
            100.0,
            "",
        ),
        (
            has_street & lone & (letter == 0),
            ("sid", "number", "so_zero"),
            ("sid", "house_no", "so"),
            100.0,
            "lone number read as číslo popisné (the street has no such číslo orientační)",
        ),
        (~has_street & (kind == 0), ("house_no", "so_zero"), ("house_no", "so"), 100.0, ""),
        (~has_street & (kind == 1), ("house_no", "so_one"), ("house_no", "so"), 100.0, ""),
        (
            ~has_street & n2 & (kind < 0),
            ("house_no", "orient_no"),
            ("house_no", "orient_no"),
            100.0,
            "",
        ),
        # Partial matches: part of the number ignored.
        (
            has_street & n2,
            ("sid", "orient_no", "letter_code"),
            ("sid", "orient_no", "letter"),
            PARTIAL_NUMBER_SCORE,
            "číslo popisné {house_no} does not match číslo orientační "
            "{orient_no}; located by the číslo orientační",
        ),
        (
            has_street & n2,
            ("sid", "house_no", "so_zero"),
            ("sid", "house_no", "so"),
            PARTIAL_NUMBER_SCORE,
            "číslo orientační {orient_no} not found with číslo popisné "
            "{house_no}; located by the číslo popisné",
        ),
        (
            has_street & lone & (letter > 0),
            ("sid", "number", "zero"),
            ("sid", "orient_no", "letter"),
            PARTIAL_NUMBER_SCORE,
            "orientation letter '{letter}' not found; located without it",
        ),
    ]
    for applies, qkeys, pkeys, score, template in stages:
        todo = applies & ~done
        if not todo.any():
            continue
        sub = q.loc[todo]
        found = _lookup(sub, index, qkeys=qkeys, pkeys=pkeys)
        if found.empty:
            continue
        pos = qpos.loc[found["qid"].to_numpy()].to_numpy()
        rows = found["row"].to_numpy()
        amb = found["ambiguous"].to_numpy(object)
        is_amb = rows < 0
        hit = pos[~is_amb]
        done[pos] = True
        res.row[hit] = rows[~is_amb]
        partial = score < 100.0
        res.match[hit] = _FUZZY if (fuzzy or partial) else _EXACT
        res.score[hit] = np.minimum(score, street_score[hit])
        if template:
            sub_rows = q.iloc[hit]
            res.reason[hit] = [
                template.format(house_no=h, orient_no=o, letter=le)
                for h, o, le in zip(
                    sub_rows["house_no"], sub_rows["orient_no"], sub_rows["letter"], strict=True
                )
            ]
        mism = found["place_mismatch"].to_numpy(bool) & ~is_amb
        if mism.any():
            parts = index.points["part"].to_numpy(object)
            for p, r in zip(pos[mism], rows[mism], strict=True):
                note = f"the given place '{q['place'].iat[p]}' does not match RÚIAN ('{parts[r]}')"
                res.reason[p] = f"{res.reason[p]}; {note}" if res.reason[p] else note
        amb_pos = pos[is_amb]
        res.match[amb_pos] = _FAILED
        res.score[amb_pos] = 0.0
        res.explained[amb_pos] = True
        places = q["place"].to_numpy(object)[amb_pos]
        res.reason[amb_pos] = [
            f"not found in the given place '{place}'; the number matches {names}"
            if place
            else f"ambiguous: the address matches {names}; add the part of town, e.g. "
            f"'…, {names.split(' in ', 1)[1].split(', ')[0]}'"
            for names, place in zip(amb[is_amb], places, strict=True)
        ]
    return done


def _fuzzy_streets(
    q: pd.DataFrame, index: GazetteerIndex, *, min_score: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best street id and score for each query street not in the gazetteer (cached per name)."""
    n = len(q)
    sid = np.full(n, -1, np.int64)
    score = np.zeros(n)
    best_any = np.full(n, "", dtype=object)
    keys = q[["street", "place_id"]].drop_duplicates()
    street_parts = index.points.loc[index.points["sid"] >= 0, ["sid", "part_code"]]
    choices_all = list(index.street_keys)
    results: dict[tuple[str, int], tuple[int, float, str]] = {}
    part_codes = street_parts["part_code"].to_numpy()
    street_ids = street_parts["sid"].to_numpy()
    key_pids = keys["place_id"].to_numpy()
    for pid_value in np.unique(key_pids):
        pid = int(pid_value)
        grp = keys.loc[key_pids == pid]
        if pid >= 0:
            allowed = np.unique(street_ids[np.isin(part_codes, index.place_parts[pid])])
        else:
            allowed = np.arange(len(choices_all))
        if len(allowed) == 0:
            continue
        choices = [choices_all[i] for i in allowed]
        names = grp["street"].tolist()
        k = min(_FUZZY_SHORTLIST, len(choices))
        for start in range(0, len(names), 2_000):
            chunk = names[start : start + 2_000]
            # Shortlist by plain ratio (fast, SIMD), then rank the shortlist by WRatio.
            quick = process.cdist(chunk, choices, scorer=fuzz.ratio, workers=-1, dtype=np.uint8)
            shortlist = np.argpartition(-quick.astype(np.int16), k - 1, axis=1)[:, :k]
            for i, name in enumerate(chunk):
                cand = shortlist[i]
                wr = np.array([fuzz.WRatio(name, choices[c]) for c in cand])
                order = np.argsort(-wr)
                best = int(cand[order[0]])
                s1 = float(wr[order[0]])
                s2 = float(wr[order[1]]) if len(order) > 1 else -1.0
                if s1 >= min_score and s2 == s1:
                    results[(name, pid)] = (-2, s1, choices[best])  # a tie: ambiguous
                elif s1 >= min_score:
                    results[(name, pid)] = (int(allowed[best]), s1, choices[best])
                else:
                    results[(name, pid)] = (-1, s1, choices[best])
    for i, (name, pid) in enumerate(zip(q["street"], q["place_id"], strict=True)):
        got = results.get((name, int(pid)))
        if got is not None:
            sid[i], score[i], best_any[i] = got
    return sid, score, best_any


def _resolve_places(place: pd.Series, index: GazetteerIndex) -> tuple[np.ndarray, np.ndarray]:
    """Place key → place id (``-1`` when none or not recognised) and a note per query."""
    ids = np.full(len(place), -1, np.int64)
    notes = np.full(len(place), "", dtype=object)
    given = (place != "").to_numpy()
    if not given.any():
        return ids, notes
    codes, uniq_raw = pd.factorize(place.to_numpy(object)[given])
    uniq = _strip_obec(
        pd.Series(np.asarray(uniq_raw, dtype=object), dtype=object), index.obec_keys
    ).to_numpy(object)
    mapping: dict[str, tuple[int, str]] = {}
    keys = list(index.place_keys)
    for u in uniq:
        pos = index.place_keys.get_indexer(pd.Index([u], dtype=object))[0]
        if pos >= 0:
            mapping[u] = (int(pos), "")
            continue
        best = process.extractOne(u, keys, scorer=fuzz.WRatio, score_cutoff=PLACE_MIN_SCORE)
        if best is not None:
            mapping[u] = (int(best[2]), f"place '{u}' read as '{best[0]}'")
        else:
            mapping[u] = (-1, f"place '{u}' not recognised; ignored")
    ids[given] = np.array([mapping[u][0] for u in uniq], dtype=np.int64)[codes]
    notes[given] = np.array([mapping[u][1] for u in uniq], dtype=object)[codes]
    return ids, notes


def _match_unique(
    parsed: pd.DataFrame,
    index: GazetteerIndex,
    *,
    min_score: float,
    on_missing_number: Literal["street", "failed"],
) -> _Results:
    """Match distinct parsed addresses; return per-query results."""
    n = len(parsed)
    res = _Results.empty(n)
    q = parsed.reset_index(drop=True).copy()
    q["qid"] = np.arange(n)
    q["sid"] = index.street_keys.get_indexer(pd.Index(q["street"], dtype=object)).astype(np.int64)
    q.loc[q["street"] == "", "sid"] = -1
    q["place_id"], place_note = _resolve_places(q["place"], index)
    q["letter_code"] = _letter_codes(q["letter"].to_numpy(object))
    q["so_zero"] = np.int64(0)
    q["so_one"] = np.int64(1)
    q["zero"] = np.int64(0)
    has_number = ((q["house_no"] >= 0) | (q["orient_no"] >= 0) | (q["number"] >= 0)).to_numpy()
    blank = (q["street"] == "").to_numpy() & ~has_number

    # A "street" that is a place name plus a number → číslo popisné in that place ("Přívoz 12");
    # also a village name with a číslo evidenční ("Lhotka č.ev. 15").
    unknown = (
        ((q["sid"] < 0) | (q["kind"] == 1)).to_numpy() & (q["street"] != "").to_numpy() & has_number
    )
    if unknown.any():
        as_place = index.place_keys.get_indexer(
            pd.Index(_strip_obec(q.loc[unknown, "street"], index.obec_keys), dtype=object)
        )
        hit = np.flatnonzero(unknown)[as_place >= 0]
        if len(hit):
            q.loc[hit, "place_id"] = as_place[as_place >= 0]
            lone_hit = q.loc[hit, "number"].to_numpy() >= 0
            q.loc[hit[lone_hit], "house_no"] = q.loc[hit[lone_hit], "number"]
            q.loc[hit[lone_hit], "number"] = -1
            q.loc[hit, "kind"] = np.where(q.loc[hit, "kind"].to_numpy() == 1, 1, 0).astype(np.int8)
            q.loc[hit, "street"] = ""
            q.loc[hit, "sid"] = -1
    exact_street = (q["sid"] >= 0).to_numpy()
    no_street_numbered = (q["street"] == "").to_numpy() & has_number

    # 1. exact (street known, or no street with č.p./č.ev.)
    stage = exact_street | no_street_numbered
    full_score = np.full(n, 100.0)
    done = np.zeros(n, dtype=bool)
    if stage.any():
        sub = q.loc[stage].reset_index(drop=True)
        sub_res = _Results.empty(len(sub))
        sub_done = _match_numbers(sub, index, sub_res, fuzzy=False, street_score=full_score)
        _scatter(res, sub_res, np.flatnonzero(stage))
        done[np.flatnonzero(stage)] = sub_done
    # 2. fuzzy street names
    street_score = np.where(exact_street, 100.0, 0.0)
    need_fuzzy = ~exact_street & (q["street"] != "").to_numpy()
    best_name = np.full(n, "", dtype=object)
    if need_fuzzy.any():
        idx = np.flatnonzero(need_fuzzy)
        fsid, fscore, fbest = _fuzzy_streets(q.iloc[idx], index, min_score=min_score)
        street_score[idx] = fscore
        best_name[idx] = fbest
        q.loc[idx, "sid"] = fsid
        good = idx[fsid >= 0]
        tie = idx[fsid == -2]
        res.reason[tie] = [
            f"street '{s}' is equally close to several streets; check the spelling"
            for s in q["street"].iloc[tie]
        ]
        res.explained[tie] = True
        q.loc[tie, "sid"] = -1
        if len(good):
            sub = q.iloc[good].reset_index(drop=True)
            sub_res = _Results.empty(len(sub))
            sub_done = _match_numbers(
                sub, index, sub_res, fuzzy=True, street_score=street_score[good]
            )
            names = index.street_names
            fixed = [
                f"street '{s}' corrected to '{names[int(i)]}' (score {sc:.0f})"
                for s, i, sc in zip(sub["street"], sub["sid"], street_score[good], strict=True)
            ]
            sub_res.reason = np.array(
                [f"{f}; {r}" if r else f for f, r in zip(fixed, sub_res.reason, strict=True)],
                dtype=object,
            )
            _scatter(res, sub_res, good)
            done[good] = sub_done
    # 3. street centre: a street without a number, or with a number it does not have.
    sid = q["sid"].to_numpy()
    street_ok = sid >= 0
    centre_n_obce = index.street_centre["n_obce"].to_numpy()
    want_centre = street_ok & ~done & (~has_number | (on_missing_number == "street"))
    if want_centre.any():
        idx = np.flatnonzero(want_centre)
        multi = centre_n_obce[sid[idx]] > 1
        for p in idx[multi]:
            res.reason[p] = (
                f"street '{index.street_names[sid[p]]}' exists in several "
                f"municipalities; add the municipality"
            )
            res.explained[p] = True
        ok = idx[~multi]
        res.street[ok] = sid[ok]
        res.match[ok] = _STREET
        res.score[ok] = street_score[ok]
        n_pts = index.street_centre["n_points"].to_numpy()
        for p in ok:
            name = index.street_names[sid[p]]
            if has_number[p]:
                why = (
                    f"the number is not on '{name}' in RÚIAN; placed at the street centre "
                    f"(of {int(n_pts[sid[p]])} address points)"
                )
            else:
                why = (
                    f"no house number; placed at the centre of '{name}' "
                    f"(of {int(n_pts[sid[p]])} address points)"
                )
            res.reason[p] = f"{res.reason[p]}; {why}" if res.reason[p] else why
        done[ok] = True
    # 4. failures: say why.
    failed = ~done & (res.match == _FAILED)
    for p in np.flatnonzero(failed & ~res.explained):
        street = str(q["street"].iat[int(p)])
        if blank[p]:
            why = "no address and no coordinates"
        elif street_ok[p] and has_number[p]:
            why = (
                f"the number is not on '{index.street_names[sid[p]]}' in RÚIAN "
                f"(on_missing_number='failed')"
            )
        elif street and not street_ok[p]:
            hint = (
                f" (closest: '{best_name[p]}', score {street_score[p]:.0f} < min_score "
                f"{min_score:g})"
                if best_name[p]
                else ""
            )
            why = f"street '{street}' not found in the gazetteer{hint}"
        elif not street and q["number"].to_numpy()[p] >= 0:
            why = (
                "a lone number without a street name; write the street, or 'č.p. N' "
                "with the part of town"
            )
        elif not street and has_number[p]:
            why = "this číslo popisné/evidenční was not found (in the given place)"
        else:
            why = "not found in the gazetteer"
        res.reason[p] = f"{res.reason[p]}; {why}" if res.reason[p] else why
    # Place notes (corrected or ignored place names) for everything not failed for another reason.
    for p in np.flatnonzero(place_note != ""):
        res.reason[p] = f"{res.reason[p]}; {place_note[p]}" if res.reason[p] else place_note[p]
    return res


def _scatter(res: _Results, sub: _Results, positions: np.ndarray) -> None:
    """Copy results of a subset of queries into ``res`` at ``positions``."""
    touched = (sub.match != _FAILED) | (sub.reason != "")
    pos = positions[touched]
    res.row[pos] = sub.row[touched]
    res.street[pos] = sub.street[touched]
    res.match[pos] = sub.match[touched]
    res.score[pos] = sub.score[touched]
    res.reason[pos] = sub.reason[touched]
    res.explained[pos] = sub.explained[touched]


def geocode(
    df: pd.DataFrame,
    index: GazetteerIndex | pd.DataFrame | None,
    *,
    address_col: str = "address",
    min_score: float = 85.0,
    city_extent_5514: tuple[float, float, float, float] | None = None,
    on_missing_number: Literal["street", "failed"] = "street",
    lat_col: str = "lat",
    lon_col: str = "lon",
    x_col: str = "x",
    y_col: str = "y",
) -> pd.DataFrame:
    """Geocode addresses against RÚIAN; pass through coordinates already present.

    Parameters
    ----------
    df
        Input table; not modified. Needs ``address_col`` or coordinate columns (or both).
    index
        A :class:`GazetteerIndex` (build it once with :func:`build_index` when geocoding
        several tables), a gazetteer frame from :func:`load_ruian_csv`, or ``None`` when there
        is no gazetteer: then only coordinates place a row and every other row fails with the
        reason ``no gazetteer to look the address up``.
    address_col
        Column with the address text.
    min_score
        Lowest similarity (0–100, :func:`rapidfuzz.fuzz.WRatio`) at which a misspelt street
        name is accepted as a fuzzy match.
    city_extent_5514
        ``(min_x, min_y, max_x, max_y)`` in EPSG:5514 against which input coordinates are
        checked (and their axis order and signs detected). ``None``: Ostrava's bounding box
        plus 2 km (:func:`default_city_extent_5514`).
    on_missing_number
        What to do with a house number that the (found) street does not have: place it at the
        street centre (``"street"``, default) or report it as failed.
    lat_col, lon_col, x_col, y_col
        Input coordinate columns: WGS84 degrees, S-JTSK metres (either sign convention).

    Returns
    -------
    pandas.DataFrame
        ``df`` (same index, every column) with :data:`OUTPUT_COLUMNS` added or overwritten:
        ``lat``, ``lon`` (EPSG:4326), ``x_5514``, ``y_5514`` (EPSG:5514), all float, NaN when
        failed; ``match`` (str: ``exact``, ``fuzzy``, ``street``, ``coordinates``, ``failed``);
        ``score`` (float 0–100; 0 when failed); ``ruian_adm`` (Int64, the address point's
        RÚIAN code for exact and fuzzy matches); ``geocode_reason`` (str, ``""`` when nothing
        needed saying: what was fixed, or why it failed). ``attrs["params"]`` records the
        parameters and the counts per match kind.

    Raises
    ------
    SchemaError
        If ``df`` has neither ``address_col`` nor a pair of coordinate columns.
    ValueError
        If ``min_score`` is not within 0–100 or ``city_extent_5514`` is malformed.

    Examples
    --------
    A one-point gazetteer (the Magistrát, RÚIAN ADM 3182860):

    >>> gaz = pd.DataFrame({"adm": [3182860], "obec_code": [554821], "obec": ["Ostrava"],
    ...     "part_code": [413551], "part": ["Moravská Ostrava"], "street": ["30. dubna"],
    ...     "so_type": ["č.p."], "house_no": [635], "orient_no": [35], "orient_letter": [None],
    ...     "x_5514": [-470066.63], "y_5514": [-1100967.06]})
    >>> out = geocode(pd.DataFrame({"address": ["30. dubna 35", "Nikde 1"]}), gaz)
    >>> out["match"].tolist(), out["ruian_adm"].tolist()
    (['exact', 'failed'], [3182860, <NA>])
    >>> out[["lat", "lon"]].iloc[0].round(4).tolist()
    [49.8413, 18.2893]
    """
    has_address = address_col in df.columns
    has_ll = lat_col in df.columns and lon_col in df.columns
    has_xy = x_col in df.columns and y_col in df.columns
    if not (has_address or has_ll or has_xy):
        raise SchemaError(
            f"nothing to geocode: no column {address_col!r} and no coordinate pair "
            f"({lat_col!r}/{lon_col!r} or {x_col!r}/{y_col!r}); the table has "
            f"{list(map(str, df.columns))[:20]}; pass address_col=... to name the address column"
        )
    if not 0.0 <= float(min_score) <= 100.0:
        raise ValueError(f"min_score must be within 0–100, got {min_score!r}")
    if on_missing_number not in ("street", "failed"):
        raise ValueError(
            f"on_missing_number must be 'street' or 'failed', got {on_missing_number!r}"
        )
    extent_auto = city_extent_5514 is None
    extent4 = _city_extent(city_extent_5514)
    if isinstance(index, pd.DataFrame):
        index = build_index(index)

    n = len(df)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    match = np.full(n, _FAILED, dtype=np.int8)
    score = np.zeros(n)
    adm = np.full(n, -1, dtype=np.int64)
    reason = np.full(n, "", dtype=object)
    lat_out = np.full(n, np.nan)
    lon_out = np.full(n, np.nan)

    coords = _pass_through(
        df, lat_col=lat_col, lon_col=lon_col, x_col=x_col, y_col=y_col, extent=extent4
    )
    x[coords.ok], y[coords.ok] = coords.x[coords.ok], coords.y[coords.ok]
    match[coords.ok] = 3
    score[coords.ok] = 100.0
    reason[:] = coords.reason

    todo = ~coords.ok
    if has_address and index is None and todo.any():
        # No gazetteer: an address cannot be looked up, only coordinates place a row.
        text = df[address_col]
        has_text = (text.notna() & text.astype(str).str.strip().ne("")).to_numpy(dtype=bool)
        prior = reason[todo]
        why = np.where(
            has_text[todo],
            "no gazetteer to look the address up",
            np.where(prior == "", "no address and no coordinates", "no address"),
        )
        reason[todo] = [f"{p}; {w}" if p else w for p, w in zip(prior, why, strict=True)]
    elif has_address and index is not None and todo.any():
        texts = df[address_col] if todo.all() else df[address_col].loc[todo]
        codes, uniques = pd.factorize(texts, use_na_sentinel=True)
        parsed = _parse_series(uniques)
        res = _match_unique(
            parsed, index, min_score=float(min_score), on_missing_number=on_missing_number
        )
        pos = np.flatnonzero(todo)
        valid = codes >= 0
        pos_v, code_v = pos[valid], codes[valid]
        row = res.row[code_v]
        street = res.street[code_v]
        pts = index.points
        has_row = row >= 0
        px = np.where(has_row, pts["x_5514"].to_numpy()[np.maximum(row, 0)], np.nan)
        py = np.where(has_row, pts["y_5514"].to_numpy()[np.maximum(row, 0)], np.nan)
        has_st = street >= 0
        sc = index.street_centre
        px = np.where(has_st, sc["x_5514"].to_numpy()[np.maximum(street, 0)], px)
        py = np.where(has_st, sc["y_5514"].to_numpy()[np.maximum(street, 0)], py)
        plat = np.where(has_row, pts["lat"].to_numpy()[np.maximum(row, 0)], np.nan)
        plon = np.where(has_row, pts["lon"].to_numpy()[np.maximum(row, 0)], np.nan)
        plat = np.where(has_st, sc["lat"].to_numpy()[np.maximum(street, 0)], plat)
        plon = np.where(has_st, sc["lon"].to_numpy()[np.maximum(street, 0)], plon)
        x[pos_v], y[pos_v] = px, py
        lat_out[pos_v], lon_out[pos_v] = plat, plon
        match[pos_v] = res.match[code_v]
        score[pos_v] = res.score[code_v]
        adm[pos_v] = np.where(has_row, pts["adm"].to_numpy()[np.maximum(row, 0)], -1)
        new_reason = res.reason[code_v]
        prior = reason[pos_v]
        with_prior = prior != ""
        if with_prior.any():
            new_reason = new_reason.copy()
            new_reason[with_prior] = [
                "; ".join(t for t in (p, "address used instead" if m != _FAILED else "", r) if t)
                for p, r, m in zip(
                    prior[with_prior],
                    new_reason[with_prior],
                    res.match[code_v][with_prior],
                    strict=True,
                )
            ]
        reason[pos_v] = new_reason
        empty = pos[~valid]
        reason[empty] = [
            f"{r}; no address" if r else "no address and no coordinates" for r in reason[empty]
        ]
    elif todo.any():
        reason[todo] = [r if r else "no address and no coordinates" for r in reason[todo]]

    if coords.ok.any():
        lo, la = _to_wgs84().transform(x[coords.ok], y[coords.ok])
        lon_out[coords.ok], lat_out[coords.ok] = lo, la

    out = df.copy()
    out["lat"] = lat_out
    out["lon"] = lon_out
    out["x_5514"] = x
    out["y_5514"] = y
    out["match"] = pd.Series(
        pd.array(pc.take(pa.array(MATCH_KINDS, pa.string()), pa.array(match)), dtype="str"),
        index=df.index,
    )
    out["score"] = np.round(score, 1)
    out["ruian_adm"] = pd.arrays.IntegerArray(np.where(adm >= 0, adm, 0), mask=adm < 0)
    out["geocode_reason"] = pd.Series(
        pd.array(pa.array(reason, pa.string()), dtype="str"), index=df.index
    )
    counts = dict(
        zip(MATCH_KINDS, np.bincount(match, minlength=len(MATCH_KINDS)).tolist(), strict=True)
    )
    params: dict[str, object] = {
        "min_score": float(min_score),
        "city_extent_5514": list(extent4),
        "city_extent_auto": extent_auto,
        "on_missing_number": on_missing_number,
        "gazetteer_points": 0 if index is None else len(index.points),
        "counts": {k: counts.get(k, 0) for k in MATCH_KINDS},
    }
    out.attrs["params"] = params
    logger.info("geocoded %d rows: %s", n, params["counts"])
    return out
