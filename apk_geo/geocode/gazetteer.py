"""The gazetteer: reading the RÚIAN address-point CSV and indexing it for matching.

The gazetteer is the address-point CSV that ČÚZK publishes for each municipality
(``YYYYMMDD_OB_<kód obce>_ADR.csv``: cp1250, ``;`` separated, positive S-JTSK coordinates with
EPSG:5514 easting = −Y and northing = −X). :func:`load_ruian_csv` reads it as is (a frame with
:data:`GAZETTEER_COLUMNS`, also stored as a store's ``address_points`` layer) and
:func:`build_index` prepares the lookup tables of a :class:`GazetteerIndex` once: normalised
street and place keys (the same keys as :mod:`apk_geo.geocode.address` gives the input), the
address points' numbers and each street's centre.

References
----------
ČÚZK, *Adresní místa ve formátu CSV* (RÚIAN), https://nahlizenidokn.cuzk.cz/StahniAdresniMistaRUIAN.aspx
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from apk_geo._validate import require_columns
from apk_geo.coords import transformer_to_wgs84
from apk_geo.geocode import _messages as msg
from apk_geo.geocode.address import (
    _fold_series,
    _letter_codes,
    _place_key,
    _street_key,
    _strip_obec,
)
from apk_geo.schema import fold

__all__ = ["GAZETTEER_COLUMNS", "SO_TYPES", "GazetteerIndex", "build_index", "load_ruian_csv"]

logger = logging.getLogger(__name__)

#: First bytes of a ZIP archive (ČÚZK publishes the address points as ``…_ADR.csv.zip``).
_ZIP_MAGIC: Final = b"PK\x03\x04"

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
# Columns that build_index needs in a gazetteer frame.
_INDEX_REQUIRED: Final = (
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
)

# ---------------------------------------------------------------------------------------------
# Reading the RÚIAN CSV


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
    frame = _read_ruian_frame(p, encoding=encoding)
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    _add_codes(out, frame, path=p)
    _add_texts(out, frame)
    out["so_type"] = _so_types(frame["so_type"], path=p)
    _add_coordinates(out, frame, path=p)
    if "valid_from" in frame.columns:
        out["valid_from"] = pd.to_datetime(frame["valid_from"], errors="coerce")
    else:
        out["valid_from"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    out = out[list(GAZETTEER_COLUMNS)]
    logger.info("%s: %d address points", p, len(out))
    return out


def _read_ruian_frame(p: Path, *, encoding: str | None) -> pd.DataFrame:
    """Read the CSV, or every CSV of a published ``.csv.zip``, with canonical column names."""
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise msg.unreadable(p, exc) from exc
    members = _zip_members(raw, path=p) if raw[:4] == _ZIP_MAGIC else [(p.name, raw)]
    frames = [_parse_ruian(data, path=p, member=name, encoding=encoding) for name, data in members]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _zip_members(raw: bytes, *, path: Path) -> list[tuple[str, bytes]]:
    """Return the CSV members of a ZIP archive as ČÚZK publishes it (one or more ``…_ADR.csv``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
            if not names:
                raise msg.zip_no_csv(path, archive.namelist())
            return [(name, archive.read(name)) for name in names]
    except zipfile.BadZipFile as exc:
        raise msg.bad_zip(path) from exc


def _parse_ruian(data: bytes, *, path: Path, member: str, encoding: str | None) -> pd.DataFrame:
    where = path if member == path.name else Path(f"{path}!{member}")
    text = _decode(data, path=where, encoding=encoding)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=";", dtype=str, keep_default_na=False, na_values=[""]
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        empty = isinstance(exc, pd.errors.EmptyDataError)
        raise msg.not_csv(where, empty=empty) from exc
    rename = {c: _RUIAN_HEADER[fold(c)] for c in frame.columns if fold(c) in _RUIAN_HEADER}
    frame = frame.rename(columns=rename)
    missing = [c for c in _RUIAN_REQUIRED if c not in frame.columns]
    if missing:
        raise msg.missing_columns(
            where, missing, header=list(frame.columns), expected=_EXPECTED_HEADER
        )
    return frame


def _decode(raw: bytes, *, path: Path, encoding: str | None) -> str:
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise msg.decode_as(path, encoding, exc) from exc
    try:
        text = raw.decode("utf-8-sig")
        logger.info("%s: read as UTF-8", path)
        return text
    except UnicodeDecodeError:
        logger.info("%s: not valid UTF-8; read as cp1250 (the encoding ČÚZK publishes)", path)
    try:
        return raw.decode("cp1250", errors="strict")
    except UnicodeDecodeError as exc:
        raise msg.not_text(path, exc.start) from exc


def _to_number(values: pd.Series, *, name: str, path: Path, integer: bool) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    num = pd.to_numeric(text.str.replace(",", ".", regex=False).mask(text == ""), errors="coerce")
    bad = num.isna() & (text != "")
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise msg.not_number(path, name=name, value=text[bad].iloc[0], line=line)
    if integer:
        return pd.Series(num, dtype="Int64")
    return pd.Series(num, dtype=float)


def _add_codes(out: pd.DataFrame, frame: pd.DataFrame, *, path: Path) -> None:
    """Required codes (int64, never empty) and optional codes and numbers (Int64)."""
    for col in ("adm", "obec_code", "part_code"):
        num = _to_number(frame[col], name=col, path=path, integer=True)
        if num.isna().any():
            line = int(np.flatnonzero(num.isna().to_numpy())[0]) + 2
            raise msg.empty_cell(path, name=col, line=line)
        out[col] = num.astype(np.int64)
    for col in ("momc_code", "street_code", "house_no", "orient_no"):
        if col in frame.columns:
            out[col] = _to_number(frame[col], name=col, path=path, integer=True)
        else:
            out[col] = pd.array([pd.NA] * len(frame), dtype="Int64")


def _add_texts(out: pd.DataFrame, frame: pd.DataFrame) -> None:
    """Name columns as stripped text, missing when empty or absent."""
    for col in ("obec", "momc", "mop", "part", "street", "orient_letter", "psc"):
        src = frame[col] if col in frame.columns else pd.Series(np.nan, index=frame.index)
        stripped = src.astype("str").str.strip()
        out[col] = stripped.mask(stripped == "")


def _so_types(values: pd.Series, *, path: Path) -> pd.Series:
    """``Typ SO`` as ``"č.p."`` or ``"č.ev."`` whatever its spelling; anything else is an error."""
    so = values.astype(object).where(values.notna(), "")
    so_folded = so.map(fold).str.replace(r"[\s.]", "", regex=True)
    so_canonical = so_folded.map({"cp": "č.p.", "cev": "č.ev."})
    if so_canonical.isna().any():
        bad = so[so_canonical.isna()].iloc[0]
        line = int(np.flatnonzero(so_canonical.isna().to_numpy())[0]) + 2
        raise msg.so_type(path, value=bad, line=line)
    return so_canonical.astype("str")


def _add_coordinates(out: pd.DataFrame, frame: pd.DataFrame, *, path: Path) -> None:
    """EPSG:5514 from the file's positive S-JTSK (easting = −Y, northing = −X), and WGS 84.

    In Czechia |Y| (430–910 km) is always smaller than |X| (935–1,230 km): a file whose every
    point has |Y| > |X| was exported with the axes swapped and is read swapped back (logged); a
    file that mixes both is refused naming the first point that disagrees. Points without
    coordinates get NaN everywhere.
    """
    coord_y = _to_number(frame["_coord_y"], name="Souřadnice Y", path=path, integer=False)
    coord_x = _to_number(frame["_coord_x"], name="Souřadnice X", path=path, integer=False)
    if ((coord_y < 0) | (coord_x < 0)).any():
        logger.warning(
            "%s: negative S-JTSK coordinates found; RÚIAN files hold positive ones, "
            "signs are taken as given magnitudes (easting = -|Y|)",
            path,
        )
    y_abs, x_abs = coord_y.abs(), coord_x.abs()
    if _axes_swapped(y_abs, x_abs, path=path):
        y_abs, x_abs = x_abs, y_abs
    out["x_5514"] = -y_abs.to_numpy(float)
    out["y_5514"] = -x_abs.to_numpy(float)
    placed = np.isfinite(out["x_5514"].to_numpy()) & np.isfinite(out["y_5514"].to_numpy())
    lat = np.full(len(out), np.nan)
    lon = np.full(len(out), np.nan)
    lon[placed], lat[placed] = transformer_to_wgs84().transform(
        out["x_5514"].to_numpy()[placed], out["y_5514"].to_numpy()[placed]
    )
    out["lat"] = lat
    out["lon"] = lon


def _axes_swapped(y_abs: pd.Series, x_abs: pd.Series, *, path: Path) -> bool:
    """Return True when every located point has |Y| > |X| (refuse a file that mixes both)."""
    both = y_abs.notna() & x_abs.notna()
    if not both.any():
        return False
    swapped = (y_abs > x_abs) & both
    if not swapped.any():
        return False
    if swapped.sum() == both.sum():
        logger.warning(
            "%s: every point has |Y| > |X|, which is impossible in Czechia (S-JTSK Y is the "
            "smaller): the file's Y and X columns are swapped; reading them swapped back",
            path,
        )
        return True
    minority = swapped if swapped.sum() < (both & ~swapped).sum() else both & ~swapped
    line = int(np.flatnonzero(minority.to_numpy())[0]) + 2
    raise msg.mixed_axes(path, line=line, swapped=int(swapped.sum()), total=int(both.sum()))


# ---------------------------------------------------------------------------------------------
# The index


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
    place_names
        Display name of each place key (as written in RÚIAN), for the geocoder's notes.
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
    place_names: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        return (
            f"GazetteerIndex({len(self.points)} address points, "
            f"{len(self.street_keys)} streets, {len(self.place_keys)} places)"
        )


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
    require_columns(gazetteer, _INDEX_REQUIRED, name="gazetteer")
    g = _with_coordinates(gazetteer)
    points, street_keys = _index_points(g)
    names = (
        points.loc[points["sid"] >= 0]
        .drop_duplicates("sid")
        .set_index("sid")["street_name"]
        .reindex(range(len(street_keys)))
    )
    obec_keys = tuple(pd.unique(_place_key(_fold_series(g["obec"]))))
    place_keys, place_parts, place_names = _index_places(
        g, points["part_code"].to_numpy(), obec_keys
    )
    index = GazetteerIndex(
        points=points,
        street_keys=street_keys,
        street_names=tuple(str(n) for n in names.to_numpy(object)),
        street_centre=_street_centres(points, len(street_keys)),
        place_keys=place_keys,
        place_parts=place_parts,
        obec_keys=obec_keys,
        place_names=place_names,
    )
    logger.info("gazetteer index: %r", index)
    return index


def _with_coordinates(gazetteer: pd.DataFrame) -> pd.DataFrame:
    """The rows with finite EPSG:5514 coordinates (logged when some are left out)."""
    x = pd.to_numeric(gazetteer["x_5514"], errors="coerce").to_numpy(float)
    y = pd.to_numeric(gazetteer["y_5514"], errors="coerce").to_numpy(float)
    has_xy = np.isfinite(x) & np.isfinite(y)
    if not has_xy.any():
        raise msg.no_coordinates(len(gazetteer))
    if not has_xy.all():
        logger.warning(
            "gazetteer: %d address point(s) without coordinates left out", int((~has_xy).sum())
        )
    kept: pd.DataFrame = gazetteer.loc[has_xy]
    return kept


def _index_points(g: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """The ``points`` table of the index and the street keys its ``sid`` refers to."""
    x = pd.to_numeric(g["x_5514"], errors="coerce").to_numpy(float)
    y = pd.to_numeric(g["y_5514"], errors="coerce").to_numpy(float)
    so = g["so_type"].astype(object).map(fold).str.replace(r"[\s.]", "", regex=True)
    so_code = so.map({"cp": 0, "cev": 1}).fillna(0).to_numpy(np.int8)
    street_raw = g["street"].astype(object).where(g["street"].notna(), "").astype(str).str.strip()
    part_raw = g["part"].astype(object).where(g["part"].notna(), "").astype(str).str.strip()
    # Villages: no street, č.p. → the part of town acts as the street.
    village = (street_raw == "").to_numpy() & (so_code == 0)
    display = street_raw.mask(village, part_raw)
    key_arr = _street_key(_fold_series(display)).to_numpy(object)
    street_keys = pd.Index(pd.unique(key_arr[key_arr != ""]), dtype=object)
    sid = street_keys.get_indexer(key_arr).astype(np.int64)  # "" → -1
    letter = _fold_series(g["orient_letter"]).str[:1]
    letter_code = pd.Series(_letter_codes(letter.to_numpy(object)))
    lon_arr, lat_arr = _lonlat(g, x, y)
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
    return points, street_keys


def _lonlat(g: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS 84 of each point: the frame's ``lon``/``lat`` where given, else transformed."""
    lon, lat = (
        (
            pd.to_numeric(g["lon"], errors="coerce").to_numpy(float),
            pd.to_numeric(g["lat"], errors="coerce").to_numpy(float),
        )
        if {"lat", "lon"} <= set(g.columns)
        else transformer_to_wgs84().transform(x, y)
    )
    lon_arr, lat_arr = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    missing_ll = ~(np.isfinite(lon_arr) & np.isfinite(lat_arr))
    if missing_ll.any():
        lon2, lat2 = transformer_to_wgs84().transform(x[missing_ll], y[missing_ll])
        lon_arr[missing_ll], lat_arr[missing_ll] = lon2, lat2
    return lon_arr, lat_arr


def _int_column(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").fillna(-1).to_numpy(np.int64)


def _index_places(
    g: pd.DataFrame, part_code: np.ndarray, obec_keys: tuple[str, ...]
) -> tuple[pd.Index, tuple[np.ndarray, ...], tuple[str, ...]]:
    """Place keys (part of town, MOMC, MOP, municipality), their part codes and display names."""
    pairs = []
    for col in ("part", "momc", "mop", "obec"):
        if col in g.columns:
            pk = _strip_obec(_place_key(_fold_series(g[col])), obec_keys)
            name = g[col].astype("string").fillna("").str.strip().to_numpy(object)
            pairs.append(
                pd.DataFrame({"place": pk.to_numpy(object), "part_code": part_code, "name": name})
            )
    place_df = pd.concat(pairs, ignore_index=True)
    place_df = place_df.loc[place_df["place"] != ""]
    named = place_df.loc[place_df["name"] != "", ["place", "name"]].drop_duplicates()
    shown = named.groupby("place", sort=True)["name"].first()  # the first as RÚIAN lists it
    place_df = place_df.drop(columns="name").drop_duplicates()
    grouped = place_df.groupby("place", sort=True)["part_code"]
    place_keys = pd.Index(list(grouped.groups.keys()), dtype=object)
    place_parts = tuple(np.sort(grouped.get_group(k).to_numpy(np.int64)) for k in place_keys)
    names = shown.reindex(place_keys).fillna(pd.Series(place_keys, index=place_keys))
    return place_keys, place_parts, tuple(str(n) for n in names.to_numpy(object))


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
