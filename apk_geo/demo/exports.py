"""The APK programme's exports: synthetic incidents laid out, typed and written as the real files.

:func:`export_frame` lays incidents out with the Czech headers and labels (:data:`EXPORT_HEADER`),
addresses typed as an assistant would (:func:`format_addresses`: dropped numbers, suffixes, lost
diacritics, abbreviations, small typos) and some raw coordinates instead of an address.
:func:`dirty_export` breaks chosen rows on purpose (:data:`DIRTY_PROBLEMS`) to show the quarantine
at work. :func:`write_exports` writes one cp1250 ``;`` CRLF file per calendar year, and the dirty
one.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from apk_geo.config import Config
from apk_geo.demo.incidents import generate_incidents
from apk_geo.enrich import Context
from apk_geo.errors import ParameterError
from apk_geo.files import atomic_path
from apk_geo.schema import CATEGORIES, CRS_METRIC, CRS_WEB, OUTCOMES
from apk_geo.times import to_local

__all__ = [
    "DIRTY_PROBLEMS",
    "EXPORT_HEADER",
    "dirty_export",
    "export_frame",
    "format_addresses",
    "write_export",
    "write_exports",
]

#: Czech headers of the APK incident export, in file order.
EXPORT_HEADER: Final = (
    "Číslo záznamu",
    "Datum",
    "Čas",
    "Kategorie",
    "Adresa",
    "Zeměpisná šířka",
    "Zeměpisná délka",
    "Souřadnice X",
    "Souřadnice Y",
    "Výsledek",
    "Asistent",
    "Poznámka",
)

#: What the dirty export breaks, and how many rows of each (the rest are clean rows).
DIRTY_PROBLEMS: Final[Mapping[str, int]] = {
    "bad_date": 12,
    "bad_time": 6,
    "unknown_category": 12,
    "missing_location": 10,
    "duplicate_id": 10,
    "out_of_city": 10,
    "swapped_coordinates": 10,
    "unknown_address": 5,
}
#: The first rows of the dirty export stay clean: the repeated ids copy theirs.
_CLEAN_HEAD: Final = 10

_CATEGORY_CS: Final = {c.code: c.cs for c in CATEGORIES}
_CATEGORY_ALIAS: Final = {c.code: c.aliases[0] for c in CATEGORIES if c.aliases}
_OUTCOME_CS: Final = {o.code: o.cs for o in OUTCOMES}
_ABBREVIATIONS: Final = (
    ("třída", "tř."),
    ("Náměstí", "nám."),
    ("náměstí", "nám."),
    ("Generála", "Gen."),
    ("generála", "gen."),
)
#: The location columns of an export (an address, or WGS84 lat/lon, or S-JTSK x/y).
_LOCATION: Final = ("Adresa", "Zeměpisná šířka", "Zeměpisná délka", "Souřadnice X", "Souřadnice Y")
#: Readable breakages, picked per row by its position.
_BAD_DATES: Final = ("31.02.2025", "2025-13-01", "", "zítra", "32.1.2026", "00.00.0000")
_BAD_TIMES: Final = ("25:70", "xx:15", "12.99")
_UNKNOWN_CATEGORIES: Final = ("UFO", "krádež kola", "???", "kontrola")
#: (lat, lon) of places far outside the city: Prague, Brno, Vienna, Olomouc.
_FAR_AWAY: Final = ((50.0875, 14.4213), (49.1951, 16.6068), (48.2082, 16.3738), (49.5938, 17.2509))


# ---------------------------------------------------------------------------- typed addresses


def _ascii(text: str) -> str:
    """Drop diacritics (``Bedřišská`` → ``Bedrisska``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(street: str, rng: np.random.Generator) -> str:
    """Apply one realistic slip to a street name."""
    op = int(rng.integers(0, 5))
    if op == 0:
        return _ascii(street)
    if op == 1:
        return street.lower()
    if op == 2:
        for long, short in _ABBREVIATIONS:
            if long in street:
                return street.replace(long, short)
        return "ul. " + street
    if len(street) < 6:
        return _ascii(street)
    i = int(rng.integers(1, len(street) - 2))
    if op == 3:  # swap two neighbouring letters
        return street[:i] + street[i + 1] + street[i] + street[i + 2 :]
    return street[:i] + street[i + 1 :]  # drop a letter


def format_addresses(incidents: pd.DataFrame, *, seed: int = 0) -> list[str]:
    """Write each incident's address as an assistant would type it.

    About half are clean (``Lidická 2026/93``); the rest drop the house or orientation number,
    add a suffix (``, Ostrava``, ``, Ostrava-Vítkovice``, ``, 703 00 Ostrava``), lose the
    diacritics, are typed in lower case, use abbreviations (``tř.``, ``nám.``, ``ul.``) or carry
    a small typo.
    """
    rng = np.random.default_rng(seed)
    out = []
    for street, cp, co, letter, part, psc in zip(
        incidents["street"],
        incidents["house_no"],
        incidents["orient_no"],
        incidents["orient_letter"],
        incidents["part"],
        incidents["psc"],
        strict=True,
    ):
        # three draws per row, in this order: the number's form, the street's slips, the suffix
        number = _typed_number(cp, co, letter, form=rng.random())
        name = _typed_street(str(street), rng)
        suffix = _typed_suffix(part, psc, form=rng.random())
        out.append(f"{name} {number}{suffix}")
    return out


def _typed_number(cp: Any, co: Any, letter: Any, *, form: float) -> str:
    """``cp/co`` (50 %), ``co`` (35 %) or ``cp`` (15 %) where there is an orientation number."""
    co = "" if pd.isna(co) else str(co)
    letter = "" if pd.isna(letter) else str(letter)
    if co and form < 0.5:
        return f"{cp}/{co}{letter}"
    if co and form < 0.85:
        return f"{co}{letter}"
    return str(cp)


def _typed_street(street: str, rng: np.random.Generator) -> str:
    """The street with one slip (35 %), two slips (8 %) or none."""
    r = rng.random()
    if r < 0.35:
        return _typo(street, rng)
    if r < 0.43:
        return _typo(_typo(street, rng), rng)
    return street


def _typed_suffix(part: Any, psc: Any, *, form: float) -> str:
    """No suffix (45 %), the city, the city and its part, the PSČ and the city, or an ASCII part."""
    if form < 0.45:
        return ""
    if form < 0.65:
        return ", Ostrava"
    if form < 0.85:
        return f", Ostrava-{part}"
    if form < 0.95:
        return f", {str(psc)[:3]} {str(psc)[3:]} Ostrava"
    return f" Ostrava-{_ascii(str(part))}"


# ---------------------------------------------------------------------------- export frames


def export_frame(
    incidents: gpd.GeoDataFrame, *, seed: int = 0, coordinate_share: float = 0.06
) -> pd.DataFrame:
    """Lay incidents out as the APK export: Czech headers and labels, typed addresses.

    ``coordinate_share`` of the rows carry raw coordinates instead of an address: two thirds WGS84
    latitude/longitude, one third S-JTSK x/y (EPSG:5514 easting/northing, negative, as in the
    city's open data), each within 10 m of the true point.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXPORT_HEADER`, all strings.
    """
    rng = np.random.default_rng(seed)
    n = len(incidents)
    when = to_local(incidents["reported_at"], name="reported_at")
    padded = rng.random(n) < 0.7
    dates = np.where(
        padded, when.dt.strftime("%d.%m.%Y"), [f"{t.day}.{t.month}.{t.year}" for t in when]
    )
    use_alias = rng.random(n) < 0.1
    cats = [
        _CATEGORY_ALIAS.get(c, _CATEGORY_CS[c]) if a else _CATEGORY_CS.get(c, c)
        for c, a in zip(incidents["category"], use_alias, strict=True)
    ]
    mode = rng.random(n)
    latlon = mode < coordinate_share * 2 / 3
    sjtsk = (mode >= coordinate_share * 2 / 3) & (mode < coordinate_share)
    jitter = rng.uniform(-7, 7, (n, 2))
    x = incidents.geometry.x.to_numpy() + jitter[:, 0]
    y = incidents.geometry.y.to_numpy() + jitter[:, 1]
    lon, lat = _to_web().transform(x, y)
    addresses = np.array(format_addresses(incidents, seed=seed + 1), dtype=object)
    frame = pd.DataFrame(
        {
            "Číslo záznamu": incidents["id"].astype(str).to_numpy(),
            "Datum": dates,
            "Čas": when.dt.strftime("%H:%M").to_numpy(),
            "Kategorie": cats,
            "Adresa": np.where(latlon | sjtsk, "", addresses),
            "Zeměpisná šířka": np.where(latlon, [f"{v:.6f}" for v in lat], ""),
            "Zeměpisná délka": np.where(latlon, [f"{v:.6f}" for v in lon], ""),
            "Souřadnice X": np.where(sjtsk, [f"{v:.1f}" for v in x], ""),
            "Souřadnice Y": np.where(sjtsk, [f"{v:.1f}" for v in y], ""),
            "Výsledek": [_OUTCOME_CS.get(o, o) for o in incidents["outcome"]],
            "Asistent": incidents["assistant"].astype(str).to_numpy(),
            "Poznámka": incidents["note"].astype(str).to_numpy(),
        },
        columns=list(EXPORT_HEADER),
    )
    return frame.astype(str)


@functools.cache
def _to_web() -> Transformer:
    """EPSG:5514 → WGS84 (lon, lat), made once."""
    return Transformer.from_crs(CRS_METRIC, CRS_WEB, always_xy=True)


# ---------------------------------------------------------------------------- the dirty export


def dirty_export(
    addresses: gpd.GeoDataFrame,
    context: Context,
    *,
    config: Config,
    seed: int = 42,
    end: pd.Timestamp | date | str | None = None,
    n_rows: int = 160,
) -> tuple[pd.DataFrame, pd.Series]:
    """Make a deliberately dirty export that shows the quarantine at work.

    Rows are new incidents (ids ``D-…``) of which :data:`DIRTY_PROBLEMS` are broken: impossible
    or unreadable dates and times, unknown categories, no location at all, repeated ids,
    coordinates outside the city (Prague, Brno, Vienna …), latitude and longitude swapped, and
    addresses that do not exist. On import the first five kinds are quarantined, swapped
    coordinates are fixed by geocoding (``match == "coordinates"``) and unknown addresses are
    stored as not geocoded (``match == "failed"``).

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.Series)
        The export (:data:`EXPORT_HEADER`) and, aligned to it, the problem of each row
        (``"clean"`` or a key of :data:`DIRTY_PROBLEMS`).

    Raises
    ------
    ParameterError
        If ``n_rows`` is too small to hold every problem and the clean rows.
    """
    needed = sum(DIRTY_PROBLEMS.values()) + _CLEAN_HEAD
    if n_rows < needed:
        raise ParameterError(f"n_rows must be >= {needed}, got {n_rows}")
    inc = generate_incidents(
        addresses,
        context,
        config=config,
        seed=seed + 7,
        n_incidents=n_rows,
        end=end,
        months=12,
        id_prefix="D-",
    )
    frame = export_frame(inc, seed=seed + 8, coordinate_share=0.0)
    problem = _assign_problems(n_rows, rng=np.random.default_rng(seed + 7))
    for i in map(int, np.flatnonzero(problem != "clean")):
        _BREAK[problem[i]](frame, i, inc.geometry)
    return frame, pd.Series(problem, name="problem", dtype="string")


def _assign_problems(n_rows: int, *, rng: np.random.Generator) -> np.ndarray:
    """Give :data:`DIRTY_PROBLEMS` random rows after the clean head, "clean" to the rest."""
    problem = np.array(["clean"] * n_rows, dtype=object)
    order = rng.permutation(np.arange(_CLEAN_HEAD, n_rows))
    start = 0
    for name, count in DIRTY_PROBLEMS.items():
        problem[order[start : start + count]] = name
        start += count
    return problem


def _bad_date(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """An impossible or unreadable date."""
    frame.loc[i, "Datum"] = _BAD_DATES[i % len(_BAD_DATES)]


def _bad_time(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """An impossible or unreadable time."""
    frame.loc[i, "Čas"] = _BAD_TIMES[i % len(_BAD_TIMES)]


def _unknown_category(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """A category label the schema does not know."""
    frame.loc[i, "Kategorie"] = _UNKNOWN_CATEGORIES[i % len(_UNKNOWN_CATEGORIES)]


def _missing_location(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """No address and no coordinates."""
    frame.loc[i, list(_LOCATION)] = [""] * len(_LOCATION)


def _duplicate_id(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """The record id of one of the clean first rows."""
    frame.iat[i, 0] = str(frame.iat[i % _CLEAN_HEAD, 0])  # "Číslo záznamu"


def _out_of_city(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """WGS84 coordinates of a place far from the city."""
    _set_latlon(frame, i, *_FAR_AWAY[i % len(_FAR_AWAY)])


def _swapped_coordinates(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """The true point's WGS84 coordinates with latitude and longitude swapped."""
    p = truth.iloc[i]
    lon, lat = _to_web().transform(p.x, p.y)
    _set_latlon(frame, i, lon, lat)


def _unknown_address(frame: pd.DataFrame, i: int, truth: gpd.GeoSeries) -> None:
    """A street that does not exist."""
    frame.loc[i, "Adresa"] = f"Neexistující ulice {100 + i}, Ostrava"


def _set_latlon(frame: pd.DataFrame, i: int, lat: float, lon: float) -> None:
    """Put raw WGS84 coordinates in row ``i`` instead of its address."""
    frame.loc[i, list(_LOCATION)] = ["", f"{lat:.6f}", f"{lon:.6f}", "", ""]


#: How each problem of :data:`DIRTY_PROBLEMS` breaks row ``i`` of an export, in place.
_BREAK: Final[Mapping[str, Callable[[pd.DataFrame, int, gpd.GeoSeries], None]]] = {
    "bad_date": _bad_date,
    "bad_time": _bad_time,
    "unknown_category": _unknown_category,
    "missing_location": _missing_location,
    "duplicate_id": _duplicate_id,
    "out_of_city": _out_of_city,
    "swapped_coordinates": _swapped_coordinates,
    "unknown_address": _unknown_address,
}


# ---------------------------------------------------------------------------- files


def write_export(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write an export as the APK's spreadsheet does: cp1250, ``;``, CRLF (replaced atomically)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(p) as tmp:
        frame.to_csv(tmp, sep=";", index=False, encoding="cp1250", lineterminator="\r\n")
    return p


def write_exports(
    incidents: gpd.GeoDataFrame,
    folder: str | Path,
    *,
    seed: int = 42,
    dirty: pd.DataFrame | None = None,
) -> list[Path]:
    """Write one export per calendar year (``apk_export_<year>.csv``) and the dirty one.

    Returns
    -------
    list of pathlib.Path
        The files written, in time order, the dirty export (``apk_export_dirty.csv``) last.
    """
    folder = Path(folder)
    frame = export_frame(incidents, seed=seed)
    years = incidents["reported_at"].dt.year.to_numpy()
    paths = [
        write_export(
            frame.loc[years == year].reset_index(drop=True), folder / f"apk_export_{year}.csv"
        )
        for year in sorted(set(years.tolist()))
    ]
    if dirty is not None:
        paths.append(write_export(dirty, folder / "apk_export_dirty.csv"))
    return paths
