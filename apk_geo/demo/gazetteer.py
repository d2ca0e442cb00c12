"""The synthetic RÚIAN gazetteer: address points along real street names, in the RÚIAN CSV layout.

:func:`make_gazetteer` lays a short straight street segment with houses on both sides through
every anchor (a real school, sports ground, street-like public-transport stop, SVL or hostel
place), names the part of the city (část obce), numbers the houses (house numbers unique per part,
orientation numbers odd on one side and even on the other) and takes the PSČ of the nearest
school. :func:`write_ruian_csv` writes it as the real files are (cp1250, ``;``, CRLF, positive
Y/X); :func:`read_address_points` reads such a file back as points for the incident generator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from apk_geo.demo._common import GAZETTEER_FILE, LAYER_SEED
from apk_geo.errors import InputFileError, SchemaError
from apk_geo.files import atomic_path
from apk_geo.schema import CRS_METRIC, CRS_WEB

__all__ = [
    "OSTRAVA_CODE",
    "OSTRAVA_NAME",
    "RUIAN_HEADER",
    "make_gazetteer",
    "read_address_points",
    "write_ruian_csv",
]

OSTRAVA_CODE: Final = 554821
OSTRAVA_NAME: Final = "Ostrava"

#: Header of a RÚIAN address-point CSV (``YYYYMMDD_OB_<kód obce>_ADR.csv``).
RUIAN_HEADER: Final = (
    "Kód ADM",
    "Kód obce",
    "Název obce",
    "Kód MOMC",
    "Název MOMC",
    "Kód MOP",
    "Název MOP",
    "Kód části obce",
    "Název části obce",
    "Kód ulice",
    "Název ulice",
    "Typ SO",
    "Číslo domovní",
    "Číslo orientační",
    "Znak čísla orientačního",
    "PSČ",
    "Souřadnice Y",
    "Souřadnice X",
    "Platí Od",
)

#: Districts whose streets mostly carry orientation numbers (the dense, urban ones).
_URBAN: Final = frozenset(
    {
        "Moravská Ostrava a Přívoz",
        "Slezská Ostrava",
        "Ostrava-Jih",
        "Vítkovice",
        "Mariánské Hory a Hulváky",
        "Poruba",
        "Svinov",
        "Radvanice a Bartovice",
    }
)
#: Share of the other districts' streets that carry orientation numbers.
_RURAL_NUMBERED_SHARE: Final = 0.4

#: Parts of the city (části obce) of the districts that have more than one.
_PARTS: Final[Mapping[str, tuple[str, ...]]] = {
    "Moravská Ostrava a Přívoz": ("Moravská Ostrava", "Přívoz"),
    "Slezská Ostrava": (
        "Slezská Ostrava",
        "Kunčičky",
        "Kunčice",
        "Muglinov",
        "Heřmanice",
        "Hrušov",
        "Koblov",
        "Antošovice",
    ),
    "Ostrava-Jih": ("Zábřeh nad Odrou", "Hrabůvka", "Výškovice", "Bělský Les", "Dubina"),
    "Mariánské Hory a Hulváky": ("Mariánské Hory", "Hulváky"),
    "Radvanice a Bartovice": ("Radvanice", "Bartovice"),
}

#: Approximate centres (lon, lat) of the main parts whose name no stop carries.
_PART_CENTRES: Final[Mapping[str, tuple[float, float]]] = {
    "Moravská Ostrava": (18.2893, 49.8350),
    "Slezská Ostrava": (18.3040, 49.8370),
    "Mariánské Hory": (18.2600, 49.8250),
}

_SPORT_ADDRESS = re.compile(
    r"^\s*(?P<street>[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ0-9][^\d,\n(/]*?)\s*(?P<cp>\d+)?"
    r"(?:\s*/\s*(?P<co>\d+)(?P<letter>[a-z])?)?\s*(?:[,\n(]|$)"
)
_NOT_A_STREET = re.compile(
    r"\b(?:ZŠ|MŠ|CVČ|škola|hřiště|dvůr|park|sady?|osada|ul\.|č\.p\.|nádraží|Důl|Hotel|Most|"
    r"[Kk]olonie|Garáže|brána|závod[y]?|nemocnice|centrum|Divadlo|Dům|muzeum|pošta|radnice|"
    r"úřad|koupaliště|stadion|kostel|hřbitov|vozovna|fakulta|Kotva|Ostrava|Hlubina)\b|"
    r" x | a | - |[,.;]"
)
_STREET_SUFFIX = re.compile(r"(ská|cká|ova|ní|ná|ého|ká|ého|ých|ů)$")
_STREET_PREFIX = re.compile(r"^(Na|K|U|Pod|Nad|Za|V|Ke|Ve|Náměstí|náměstí) ")
_CAPITALISED_WORD: Final = r"[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]\w+"

#: Columns of the laid-out street segments, before districts, parts and numbers are added.
_SEGMENT_COLUMNS: Final = (
    "x",
    "y",
    "street",
    "anchor_momc",
    "side",
    "seq",
    "real_cp",
    "real_co",
    "real_letter",
)


# ---------------------------------------------------------------------------- the entry point


def make_gazetteer(
    *,
    districts: gpd.GeoDataFrame,
    schools: gpd.GeoDataFrame,
    stops: gpd.GeoDataFrame,
    sports: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    candidates: pd.DataFrame,
    seed: int = LAYER_SEED,
    valid_from: str = "2013-12-01T00:00:00",
) -> pd.DataFrame:
    """Make a synthetic address-point table in the RÚIAN CSV layout.

    Streets are real names from the open data (schools ``ULICE``, sports ``ADRESA``, stop names
    that look like streets, and the streets published for the SVL/hostel places). Each anchor
    (a real school, sports ground, stop or SVL/hostel place) gets a short straight street segment
    with houses on both sides, odd orientation numbers on one side and even on the other; the
    schools keep their real house numbers. District (MOMC) comes from the district polygon
    containing the point, PSČ from the nearest school; codes (ADM, street, part of the city) are
    synthetic (ADM from 90 000 000).

    Parameters
    ----------
    districts, schools, stops, sports
        The real layers in EPSG:5514 (``KOD, NAZEV``; ``ULICE, POP, CORI, PSC``; ``zast_jm``;
        ``ADRESA``).
    places
        The SVL (centroids) and hostel points, ``name`` and Point geometry in EPSG:5514.
    candidates
        :func:`apk_geo.demo.read_candidates` (their published streets).
    seed
        Random seed; the same seed gives the same table.
    valid_from
        ``Platí Od`` of most points (15 % get a later date).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`RUIAN_HEADER`, all strings (empty for missing), coordinates positive
        (``Souřadnice Y`` = −easting, ``Souřadnice X`` = −northing of EPSG:5514).
    """
    rng = np.random.default_rng(seed)
    anchors = _all_anchors(
        districts=districts,
        schools=schools,
        stops=stops,
        sports=sports,
        places=places,
        candidates=candidates,
        rng=rng,
    )
    pts = _with_district(_lay_out_streets(anchors, rng), districts)
    pts = _assign_parts(pts, districts=districts, stops=stops)
    pts = _number_houses(pts, rng)
    pts["psc"] = _nearest_psc(pts, schools)
    return _ruian_frame(pts, rng, valid_from=valid_from)


# ---------------------------------------------------------------------------- street anchors


def _published_streets(text: str) -> list[str]:
    """Return the street names in a free-text "address or streets as published" field."""
    streets: list[str] = []
    for pattern in (rf"ulice ({_CAPITALISED_WORD})", rf"({_CAPITALISED_WORD}) ulic"):
        streets += re.findall(pattern, text)
    for match in re.findall(r"ulice ([^;~(]+)", text):  # "ulice Bedřišská, Jasinkova, Kordova"
        streets += [
            s.strip() for s in match.split(",") if re.fullmatch(_CAPITALISED_WORD, s.strip())
        ]
    places = {p for parts in _PARTS.values() for p in parts}
    return [s for s in dict.fromkeys(streets) if s not in places]


def _street_like(name: str) -> bool:
    """Return whether a public-transport stop name looks like a street name."""
    if _NOT_A_STREET.search(name) or any(ch.isdigit() for ch in name):
        return False
    return bool(
        _STREET_SUFFIX.search(name)
        or _STREET_PREFIX.match(name)
        or "náměstí" in name.lower()
        or "třída" in name
    )


def _all_anchors(
    *,
    districts: gpd.GeoDataFrame,
    schools: gpd.GeoDataFrame,
    stops: gpd.GeoDataFrame,
    sports: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    candidates: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return every street anchor once: open-data anchors plus those at the SVL/hostel places."""
    anchors = _anchors(districts=districts, schools=schools, stops=stops, sports=sports)
    extra = _with_district(_locality_anchors(anchors, places, candidates, rng), districts)
    anchors = pd.concat([anchors, extra], ignore_index=True)
    return anchors.drop_duplicates(subset=["street", "x", "y"]).reset_index(drop=True)


def _anchors(
    *,
    districts: gpd.GeoDataFrame,
    schools: gpd.GeoDataFrame,
    stops: gpd.GeoDataFrame,
    sports: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """Return street anchors: street, x, y and the real numbers of schools where known."""
    frames = [_school_anchors(schools), _sport_anchors(sports), _stop_anchors(stops)]
    anchors = pd.concat(frames, ignore_index=True)
    anchors["street"] = anchors["street"].str.replace(r"\s+", " ", regex=True)
    return _with_district(anchors, districts)


def _school_anchors(schools: gpd.GeoDataFrame) -> pd.DataFrame:
    """Schools with a street (``ULICE``), with their real house and orientation numbers."""
    s = schools.loc[schools["ULICE"].notna()]
    cori = s["CORI"].astype("string").str.extract(r"^\s*(\d+)\s*([a-zA-Z]?)\s*$")
    return pd.DataFrame(
        {
            "street": s["ULICE"].astype(str).str.strip().to_numpy(),
            "x": s.geometry.x.to_numpy(),
            "y": s.geometry.y.to_numpy(),
            "house_no": s["POP"].to_numpy(dtype=float),
            "orient_no": pd.to_numeric(cori[0], errors="coerce").to_numpy(dtype=float),
            "orient_letter": cori[1].fillna("").str.lower().to_numpy(dtype=object),
        }
    )


def _sport_anchors(sports: gpd.GeoDataFrame) -> pd.DataFrame:
    """Sports grounds whose ``ADRESA`` starts with a street name."""
    parsed = sports["ADRESA"].astype("string").str.extract(_SPORT_ADDRESS)
    street = parsed["street"].str.strip().str.replace(r"\s+ul\.$", "", regex=True)
    ok = street.notna() & ~street.fillna("").str.contains(_NOT_A_STREET) & (street.str.len() > 2)
    return pd.DataFrame(
        {
            "street": street[ok].astype(str).to_numpy(),
            "x": sports.geometry.x[ok].to_numpy(),
            "y": sports.geometry.y[ok].to_numpy(),
        }
    )


def _stop_anchors(stops: gpd.GeoDataFrame) -> pd.DataFrame:
    """Public-transport stops named like a street, one anchor per name (their mean position)."""
    names = stops["zast_jm"].astype("string")
    keep = names.map(lambda n: isinstance(n, str) and _street_like(n)).astype(bool)
    st = stops.loc[keep]
    return (
        pd.DataFrame({"street": st["zast_jm"].astype(str), "x": st.geometry.x, "y": st.geometry.y})
        .groupby("street", as_index=False)
        .mean()
    )


def _with_district(frame: pd.DataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Add ``momc_code``/``momc`` of the district containing (x, y); drop rows outside."""
    pts = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=CRS_METRIC
    )
    d = districts[["KOD", "NAZEV", "geometry"]].rename(
        columns={"KOD": "momc_code", "NAZEV": "momc"}
    )
    joined = gpd.sjoin(pts, d, how="inner", predicate="within")
    joined = joined.loc[~joined.index.duplicated()].sort_index()
    return pd.DataFrame(joined.drop(columns=["geometry", "index_right"])).reset_index(drop=True)


def _locality_anchors(
    anchors: pd.DataFrame,
    places: gpd.GeoDataFrame,
    candidates: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Anchor the published streets, and the two nearest known streets, at each SVL/hostel."""
    rows = []
    published = dict(
        zip(candidates["name"], candidates["address_or_streets_as_published"], strict=True)
    )
    for name, point in zip(places["name"], places.geometry, strict=True):
        streets = _published_streets(str(published.get(name, "")))
        d2 = (anchors["x"] - point.x) ** 2 + (anchors["y"] - point.y) ** 2
        streets += list(anchors.loc[d2.sort_values().index, "street"].drop_duplicates()[:2])
        for street in dict.fromkeys(streets):
            off = rng.uniform(-120, 120, 2)
            rows.append({"street": street, "x": point.x + off[0], "y": point.y + off[1]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- houses


def _lay_out_streets(anchors: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Lay a street segment of 8–29 houses through every anchor (:data:`_SEGMENT_COLUMNS`)."""
    columns: dict[str, list[Any]] = {c: [] for c in _SEGMENT_COLUMNS}
    for anchor in anchors.itertuples(index=False):
        for col, values in _street_segment(anchor, rng).items():
            columns[col] += values
    return pd.DataFrame(columns)


def _street_segment(anchor: Any, rng: np.random.Generator) -> dict[str, list[Any]]:
    """Houses on both sides of a straight segment at a random angle, centred on the anchor.

    The house in the middle keeps the anchor's real numbers (a school's), if it has them.
    """
    n = int(rng.integers(8, 30))
    angle = rng.uniform(0, np.pi)
    spacing = rng.uniform(22, 38)
    along = (np.arange(n) - (n - 1) / 2) * spacing
    side = np.where(np.arange(n) % 2 == 0, 1, -1)
    perp = side * rng.uniform(12, 22, n)
    dx, dy = np.cos(angle), np.sin(angle)
    has_real = isinstance(anchor.house_no, float) and not np.isnan(anchor.house_no)
    real = [has_real and i == n // 2 for i in range(n)]
    return {
        "x": list(anchor.x + along * dx - perp * dy),
        "y": list(anchor.y + along * dy + perp * dx),
        "street": [anchor.street] * n,
        "anchor_momc": [anchor.momc] * n,
        "side": list(side),
        "seq": list(np.arange(n)),
        "real_cp": [anchor.house_no if r else np.nan for r in real],
        "real_co": [anchor.orient_no if r else np.nan for r in real],
        "real_letter": [anchor.orient_letter if r else "" for r in real],
    }


def _assign_parts(
    pts: pd.DataFrame, *, districts: gpd.GeoDataFrame, stops: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Name the part of the city (část obce) of each point: nearest part seed in its district."""
    part = pts["momc"].astype(str).to_numpy(dtype=object).copy()
    for momc, parts in _PARTS.items():
        in_d = (pts["momc"] == momc).to_numpy()
        if not in_d.any():
            continue
        poly = districts.loc[districts["NAZEV"] == momc].geometry.union_all()
        seeds = _part_seeds(parts, poly=poly, stops=stops)
        sx = np.array([s[1] for s in seeds])
        sy = np.array([s[2] for s in seeds])
        d2 = (pts["x"].to_numpy()[in_d, None] - sx) ** 2 + (
            pts["y"].to_numpy()[in_d, None] - sy
        ) ** 2
        part[in_d] = np.array([s[0] for s in seeds], dtype=object)[d2.argmin(axis=1)]
    return pts.assign(part=part)


def _part_seeds(
    parts: tuple[str, ...], *, poly: Any, stops: gpd.GeoDataFrame
) -> list[tuple[str, float, float]]:
    """Return (part, x, y) of every part: its known centre, else its stops' mean position.

    A part found neither way has no seed; a district without any seed gets its first part at a
    representative point of the district.
    """
    names = stops["zast_jm"].astype("string").fillna("")
    to_metric = Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)
    seeds = []
    for p in parts:
        if p in _PART_CENTRES:
            x, y = to_metric.transform(*_PART_CENTRES[p])
            seeds.append((p, float(x), float(y)))
            continue
        stem = p.split()[0][:-1]  # "Přívoz" → "Přívo" matches "Přívoz,Oderská"
        hit = stops.loc[names.str.contains(stem, regex=False)]
        hit = hit[hit.within(poly)]
        if len(hit):
            seeds.append((p, float(hit.geometry.x.mean()), float(hit.geometry.y.mean())))
    if not seeds:
        seeds = [(parts[0], poly.representative_point().x, poly.representative_point().y)]
    return seeds


def _number_houses(pts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give house numbers (unique per part) and orientation numbers (unique per street)."""
    pts = pts.sort_values(["street", "momc", "anchor_momc", "x", "y"], kind="stable")
    pts = pts.reset_index(drop=True)
    house = _house_numbers(pts, rng)
    orient = _orientation_numbers(pts, rng)
    letter = pts["real_letter"].astype(str).to_numpy(dtype=object).copy()
    return pts.assign(house_no=house.astype(int), orient_no=orient, orient_letter=letter)


def _house_numbers(pts: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Keep the real house numbers (once per part) and draw unused ones for the other houses."""
    house = pts["real_cp"].to_numpy(dtype=float).copy()
    for _, idx in pts.groupby("part", sort=True).indices.items():
        real = house[idx]
        seen = pd.Series(real).duplicated().to_numpy() & ~np.isnan(real)
        house[idx[seen]] = np.nan  # two schools in one building: the second gets a new number
        used = set(house[idx][~np.isnan(house[idx])].astype(int))
        free_mask = np.isnan(house[idx])
        pool = np.setdiff1d(np.arange(1, max(3000, 4 * len(idx))), np.fromiter(used, int))
        house[idx[free_mask]] = rng.choice(pool, size=int(free_mask.sum()), replace=False)
    return house


def _orientation_numbers(pts: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Number the houses of urban streets (and 40 % of the others): odd one side, even the other.

    Real orientation numbers are kept and skipped by the count. A street without numbers gets
    NaN, unless a house on it has a real one.
    """
    orient = np.full(len(pts), np.nan)
    real_co = pts["real_co"].to_numpy()
    sides = pts["side"].to_numpy()
    for _key, idx in pts.groupby(["street", "anchor_momc"], sort=True).indices.items():
        momc = str(pts.at[idx[0], "momc"])
        # rng.random() is drawn only for the non-urban streets: keep it so (seeded output)
        with_numbers = momc in _URBAN or rng.random() < _RURAL_NUMBERED_SHARE
        real = real_co[idx]
        if not with_numbers and np.isnan(real).all():
            continue
        used = set(real[~np.isnan(real)].astype(int))
        odd = iter(n for n in range(1, 10_000, 2) if n not in used)
        even = iter(n for n in range(2, 10_000, 2) if n not in used)
        for i, s, r in zip(idx, sides[idx], real, strict=True):
            orient[i] = r if not np.isnan(r) else next(odd if s > 0 else even)
    return orient


def _nearest_psc(pts: pd.DataFrame, schools: gpd.GeoDataFrame) -> np.ndarray:
    """Return the PSČ of the nearest school for every point."""
    s = schools.loc[schools["PSC"].notna()]
    left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(pts["x"], pts["y"]), crs=CRS_METRIC)
    right = gpd.GeoDataFrame(
        {"psc": s["PSC"].astype(int).to_numpy()}, geometry=s.geometry.values, crs=CRS_METRIC
    )
    joined = gpd.sjoin_nearest(left, right, how="left")
    joined = joined.loc[~joined.index.duplicated()].sort_index()
    return np.asarray(joined["psc"].to_numpy(dtype=int))


# ---------------------------------------------------------------------------- the RÚIAN file


def _ruian_frame(pts: pd.DataFrame, rng: np.random.Generator, *, valid_from: str) -> pd.DataFrame:
    """Lay out the points as RÚIAN columns (strings)."""
    pts = pts.sort_values(["momc", "part", "street", "house_no"], kind="stable")
    pts = pts.reset_index(drop=True)
    n = len(pts)
    part_codes = {p: 900_001 + i for i, p in enumerate(sorted(pts["part"].unique()))}
    street_codes = {s: 9_000_001 + i for i, s in enumerate(sorted(pts["street"].unique()))}
    so_type = np.where(rng.random(n) < 0.03, "č.ev.", "č.p.")
    dates = _valid_from_dates(n, rng, valid_from=valid_from)
    orient = pts["orient_no"].to_numpy()
    has_orient = ~np.isnan(orient)
    letters = np.where(has_orient, pts["orient_letter"].astype(str).to_numpy(), "")
    out = pd.DataFrame(
        {
            "Kód ADM": (90_000_001 + np.arange(n)).astype(str),
            "Kód obce": str(OSTRAVA_CODE),
            "Název obce": OSTRAVA_NAME,
            "Kód MOMC": pts["momc_code"].astype(str).to_numpy(),
            "Název MOMC": pts["momc"].astype(str).to_numpy(),
            "Kód MOP": "",
            "Název MOP": "",
            "Kód části obce": pts["part"].map(part_codes).astype(str).to_numpy(),
            "Název části obce": pts["part"].astype(str).to_numpy(),
            "Kód ulice": pts["street"].map(street_codes).astype(str).to_numpy(),
            "Název ulice": pts["street"].astype(str).to_numpy(),
            "Typ SO": so_type,
            "Číslo domovní": pts["house_no"].astype(int).astype(str).to_numpy(),
            "Číslo orientační": np.where(
                has_orient, np.nan_to_num(orient).astype(int).astype(str), ""
            ),
            "Znak čísla orientačního": letters,
            "PSČ": pts["psc"].astype(int).astype(str).to_numpy(),
            "Souřadnice Y": [f"{-v:.2f}" for v in pts["x"]],
            "Souřadnice X": [f"{-v:.2f}" for v in pts["y"]],
            "Platí Od": dates,
        },
        columns=list(RUIAN_HEADER),
    )
    return out.astype(str)


def _valid_from_dates(n: int, rng: np.random.Generator, *, valid_from: str) -> np.ndarray:
    """``Platí Od`` of each point: ``valid_from``, 15 % a day in 2014–2025 instead."""
    later = rng.random(n) < 0.15
    days = rng.integers(0, 365 * 12, n)
    return np.where(
        later,
        (pd.Timestamp("2014-01-01") + pd.to_timedelta(days, unit="D")).strftime(
            "%Y-%m-%dT00:00:00"
        ),
        valid_from,
    )


def write_ruian_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a RÚIAN-layout table as the real files are: cp1250, ``;``, CRLF line ends.

    The file is replaced atomically (:func:`apk_geo.files.atomic_path`).

    Raises
    ------
    SchemaError
        If ``frame`` lacks a column of :data:`RUIAN_HEADER`.
    """
    missing = [c for c in RUIAN_HEADER if c not in frame.columns]
    if missing:
        raise SchemaError(f"gazetteer frame lacks RÚIAN column(s) {missing}")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(p) as tmp:
        frame.loc[:, list(RUIAN_HEADER)].to_csv(
            tmp, sep=";", index=False, encoding="cp1250", lineterminator="\r\n"
        )
    return p


def read_address_points(path: str | Path = GAZETTEER_FILE) -> gpd.GeoDataFrame:
    """Read a RÚIAN address-point CSV as points in EPSG:5514 (for the incident generator).

    Returns
    -------
    geopandas.GeoDataFrame
        ``adm, momc, part, street, house_no, orient_no, orient_letter, psc`` (strings) and Point
        geometry (easting = −Y, northing = −X).

    Raises
    ------
    InputFileError
        If the file cannot be read or is not in the RÚIAN layout.
    """
    p = Path(path)
    try:
        raw = pd.read_csv(p, sep=";", encoding="cp1250", dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise InputFileError(f"cannot read the gazetteer: {exc}", path=str(p)) from exc
    missing = [c for c in RUIAN_HEADER if c not in raw.columns]
    if missing:
        raise InputFileError(f"not a RÚIAN address-point CSV; missing {missing}", path=str(p))
    x = -pd.to_numeric(raw["Souřadnice Y"]).to_numpy()
    y = -pd.to_numeric(raw["Souřadnice X"]).to_numpy()
    frame = pd.DataFrame(
        {
            "adm": raw["Kód ADM"],
            "momc": raw["Název MOMC"],
            "part": raw["Název části obce"],
            "street": raw["Název ulice"],
            "house_no": raw["Číslo domovní"],
            "orient_no": raw["Číslo orientační"],
            "orient_letter": raw["Znak čísla orientačního"],
            "psc": raw["PSČ"],
        }
    ).astype("string")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=CRS_METRIC)
