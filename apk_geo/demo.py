"""Demo data: synthetic context layers, a synthetic RÚIAN gazetteer and synthetic incident exports.

The city geography is real (the 23 districts, the city outline, schools, public-transport stops
and sports grounds from the City of Ostrava's open data, see ``data/ATTRIBUTION.md``). Everything
this module makes is **synthetic** and labelled so: every layer carries ``synthetic = True`` and
``source = "synthetic demo data"``, the gazetteer's file name ends in ``_synthetic`` and every
incident note starts with ``DEMO``.

- :func:`make_svl_layer` and :func:`make_hostels_layer` draw socially excluded localities (SVL)
  and hostels around the documented places in ``data/ostrava_svl_hostels_candidates.csv``. Their
  coordinates are proxies (the centroid of the public-transport stop of the same name, ±300 m);
  rows without coordinates are placed at their published street when the schools' ``ULICE`` or
  the sports grounds' ``ADRESA`` name it, otherwise skipped (and logged).
- :func:`make_gazetteer` writes an address-point table in the exact RÚIAN CSV format (cp1250,
  ``;``, positive Y/X) with real street names from the open data, spread over the built-up parts
  of the districts (segments of street laid through the real schools, sports grounds and stops).
- :func:`generate_incidents` draws about three years of incidents with structure an APK assistant
  would recognise: concentration in and around SVL and hostels, syringes near them (more in the
  "Jehla" campaign weeks), truancy near schools on school-day mornings, alcohol and noise in the
  evenings and at weekends, summer seasonality.
- :func:`write_exports` writes them as the programme's cp1250 ``;`` exports with Czech headers,
  one file per year, with realistic address typos and some raw coordinates, plus a deliberately
  dirty export that exercises the quarantine.
- :func:`build_demo_store` puts it all into an incident store (context layers, gazetteer,
  ingested exports).

Everything is seeded: the same seed gives byte-identical files.
"""

from __future__ import annotations

import logging
import re
import shutil
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from apk_geo._validate import require_columns, require_crs
from apk_geo.config import DATA_DIR, Config
from apk_geo.enrich import Context, load_context, load_layer
from apk_geo.errors import InputFileError, SchemaError, StoreError
from apk_geo.schema import CATEGORIES, CRS_METRIC, CRS_WEB, OUTCOMES, TIMEZONE

logger = logging.getLogger(__name__)

#: Folder of the generated demo layers.
DEMO_DIR: Final = DATA_DIR / "demo"
#: The documented SVL/hostel places (real names, proxy coordinates).
CANDIDATES_FILE: Final = DATA_DIR / "ostrava_svl_hostels_candidates.csv"
SVL_FILE: Final = DEMO_DIR / "svl_synthetic.geojson"
HOSTELS_FILE: Final = DEMO_DIR / "hostels_synthetic.geojson"
GAZETTEER_FILE: Final = DEMO_DIR / "20261101_OB_554821_ADR_synthetic.csv"
#: Seed of the committed demo layers (``scripts/build_demo_layers.py``).
LAYER_SEED: Final = 20261101
#: Value of the ``source`` column of every synthetic layer.
SYNTHETIC_SOURCE: Final = "synthetic demo data"

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

#: ISO weeks of the municipal police's "Jehla" syringe-collection campaign (demo assumption).
JEHLA_WEEKS: Final = (15, 16, 39)

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


# --------------------------------------------------------------------------------------------
# SVL and hostels
# --------------------------------------------------------------------------------------------


def read_candidates(path: str | Path = CANDIDATES_FILE) -> pd.DataFrame:
    """Read the documented SVL/hostel places (``data/ostrava_svl_hostels_candidates.csv``).

    Raises
    ------
    InputFileError
        If the file is missing or lacks a required column.
    """
    p = Path(path)
    try:
        frame = pd.read_csv(p, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputFileError(f"cannot read the SVL/hostel candidates: {exc}", path=str(p)) from exc
    needed = (
        "name",
        "kind",
        "momc",
        "address_or_streets_as_published",
        "status",
        "proxy_lon",
        "proxy_lat",
        "source_verified",
    )
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputFileError(f"missing column(s) {missing}", path=str(p))
    return frame


def _published_streets(text: str) -> list[str]:
    """Return the street names in a free-text "address or streets as published" field."""
    streets: list[str] = []
    for pattern in (r"ulice ([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]\w+)", r"([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]\w+) ulic"):
        streets += re.findall(pattern, text)
    for match in re.findall(r"ulice ([^;~(]+)", text):  # "ulice Bedřišská, Jasinkova, Kordova"
        streets += [
            s.strip()
            for s in match.split(",")
            if re.fullmatch(r"[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]\w+", s.strip())
        ]
    places = {p for parts in _PARTS.values() for p in parts}
    return [s for s in dict.fromkeys(streets) if s not in places]


def locate_candidates(
    candidates: pd.DataFrame,
    *,
    schools: gpd.GeoDataFrame,
    sports: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """Give every locatable candidate place a point in EPSG:5514.

    A row with proxy coordinates keeps them. A row without is placed at the mean position of the
    schools (``ULICE``) and sports grounds (``ADRESA``) on its published street inside its
    district; if none is found it is skipped with a logged warning.

    Parameters
    ----------
    candidates
        :func:`read_candidates`.
    schools, sports, districts
        The real layers in EPSG:5514 (``ULICE``; ``ADRESA``; ``NAZEV``).

    Returns
    -------
    geopandas.GeoDataFrame
        The candidate columns plus ``basis`` (how the point was found), Point geometry, EPSG:5514.
    """
    for layer, name in ((schools, "schools"), (sports, "sports"), (districts, "districts")):
        require_crs(layer, name=name)
    require_columns(schools, ("ULICE",), name="schools")
    require_columns(sports, ("ADRESA",), name="sports")
    require_columns(districts, ("NAZEV",), name="districts")
    to_metric = Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)
    rows: list[dict[str, Any]] = []
    geoms = []
    for raw in candidates.to_dict("records"):
        rec = {str(k): v for k, v in raw.items()}
        if pd.notna(rec["proxy_lon"]) and pd.notna(rec["proxy_lat"]):
            x, y = to_metric.transform(float(rec["proxy_lon"]), float(rec["proxy_lat"]))
            basis = "proxy: centroid of the same-named public-transport stop (±300 m)"
            geoms.append(shapely.Point(x, y))
            rows.append({**rec, "basis": basis})
            continue
        district = districts.loc[districts["NAZEV"] == rec["momc"]]
        found = []
        for street in _published_streets(str(rec["address_or_streets_as_published"])):
            on_school = schools.loc[schools["ULICE"].astype("string") == street]
            pattern = rf"^\s*{re.escape(street)}(?=[\s\d,]|$)"
            on_sport = sports.loc[sports["ADRESA"].astype("string").str.contains(pattern, na=False)]
            pts = pd.concat([on_school.geometry, on_sport.geometry])
            if len(district):
                pts = pts[pts.within(district.geometry.union_all())]
            if len(pts):
                found.append((street, pts))
        if not found:
            logger.warning(
                "demo: %r has no coordinates and its street is not in the schools/sports open "
                "data; skipped",
                rec["name"],
            )
            continue
        street, pts = found[0]
        point = shapely.Point(float(pts.x.mean()), float(pts.y.mean()))
        geoms.append(point)
        rows.append(
            {
                **rec,
                "basis": f"street {street!r} located from open-data schools/sports "
                f"addresses ({len(pts)} object(s))",
            }
        )
    out = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=CRS_METRIC)
    return out


def _blob(center: shapely.Point, *, radius_m: float, rng: np.random.Generator) -> shapely.Polygon:
    """Return an irregular, star-shaped polygon of about ``radius_m`` around ``center``."""
    k = 14
    angles = np.sort(rng.uniform(0, 2 * np.pi, k))
    radii = radius_m * rng.uniform(0.7, 1.3, k)
    ring = np.column_stack([center.x + radii * np.cos(angles), center.y + radii * np.sin(angles)])
    return shapely.Polygon(ring).buffer(radius_m * 0.15).simplify(5)


def make_svl_layer(located: gpd.GeoDataFrame, *, seed: int = LAYER_SEED) -> gpd.GeoDataFrame:
    """Draw a synthetic SVL polygon around every active SVL place.

    Rows whose ``kind`` is exactly ``"SVL"`` are used; the historical Přednádraží
    (``"SVL (historical)"``, demolished in 2019) is left out.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name, kind, momc, status, source_verified, basis, source, synthetic`` and Polygon
        geometry (radius 170–260 m) in EPSG:5514.
    """
    rng = np.random.default_rng(seed)
    svl = located.loc[located["kind"].astype("string").str.strip() == "SVL"]
    geoms = [_blob(p, radius_m=float(rng.uniform(170, 260)), rng=rng) for p in svl.geometry]
    return _finish_layer(svl, geoms, kind=None)


def make_hostels_layer(located: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the hostel and homeless-services places as synthetic points.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name, kind ("hostel" | "homeless services"), momc, status, source_verified, basis,
        source, synthetic`` and Point geometry in EPSG:5514.
    """
    kind = located["kind"].astype("string")
    rows = located.loc[kind.str.startswith("hostel") | kind.str.startswith("homeless")]
    kinds = np.where(
        rows["kind"].astype("string").str.startswith("hostel"), "hostel", "homeless services"
    )
    return _finish_layer(rows, list(rows.geometry), kind=kinds)


def _finish_layer(rows: gpd.GeoDataFrame, geoms: list[Any], *, kind: Any) -> gpd.GeoDataFrame:
    """Keep the documented columns and add the synthetic bookkeeping."""
    out = pd.DataFrame(
        {
            "name": rows["name"].astype(str).to_numpy(),
            "kind": kind if kind is not None else rows["kind"].astype(str).to_numpy(),
            "momc": rows["momc"].astype(str).to_numpy(),
            "status": rows["status"].astype(str).to_numpy(),
            "source_verified": rows["source_verified"].astype(str).eq("yes").to_numpy(),
            "basis": rows["basis"].astype(str).to_numpy(),
            "source": SYNTHETIC_SOURCE,
            "synthetic": True,
        }
    )
    for col in ("name", "kind", "momc", "status", "basis", "source"):
        out[col] = out[col].astype("string")
    return gpd.GeoDataFrame(out, geometry=geoms, crs=CRS_METRIC)


# --------------------------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------------------------


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


def _anchors(
    *,
    districts: gpd.GeoDataFrame,
    schools: gpd.GeoDataFrame,
    stops: gpd.GeoDataFrame,
    sports: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """Return street anchors: street, x, y and the real numbers of schools where known."""
    frames = []
    s = schools.loc[schools["ULICE"].notna()]
    cori = s["CORI"].astype("string").str.extract(r"^\s*(\d+)\s*([a-zA-Z]?)\s*$")
    frames.append(
        pd.DataFrame(
            {
                "street": s["ULICE"].astype(str).str.strip().to_numpy(),
                "x": s.geometry.x.to_numpy(),
                "y": s.geometry.y.to_numpy(),
                "house_no": s["POP"].to_numpy(dtype=float),
                "orient_no": pd.to_numeric(cori[0], errors="coerce").to_numpy(dtype=float),
                "orient_letter": cori[1].fillna("").str.lower().to_numpy(dtype=object),
            }
        )
    )
    parsed = sports["ADRESA"].astype("string").str.extract(_SPORT_ADDRESS)
    street = parsed["street"].str.strip().str.replace(r"\s+ul\.$", "", regex=True)
    ok = street.notna() & ~street.fillna("").str.contains(_NOT_A_STREET) & (street.str.len() > 2)
    frames.append(
        pd.DataFrame(
            {
                "street": street[ok].astype(str).to_numpy(),
                "x": sports.geometry.x[ok].to_numpy(),
                "y": sports.geometry.y[ok].to_numpy(),
            }
        )
    )
    names = stops["zast_jm"].astype("string")
    keep = names.map(lambda n: isinstance(n, str) and _street_like(n)).astype(bool)
    st = stops.loc[keep]
    grouped = (
        pd.DataFrame({"street": st["zast_jm"].astype(str), "x": st.geometry.x, "y": st.geometry.y})
        .groupby("street", as_index=False)
        .mean()
    )
    frames.append(grouped)
    anchors = pd.concat(frames, ignore_index=True)
    anchors["street"] = anchors["street"].str.replace(r"\s+", " ", regex=True)
    return _with_district(anchors, districts)


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

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`RUIAN_HEADER`, all strings (empty for missing), coordinates positive
        (``Souřadnice Y`` = −easting, ``Souřadnice X`` = −northing of EPSG:5514).
    """
    rng = np.random.default_rng(seed)
    anchors = _anchors(districts=districts, schools=schools, stops=stops, sports=sports)
    extra = _with_district(_locality_anchors(anchors, places, candidates, rng), districts)
    anchors = pd.concat([anchors, extra], ignore_index=True)
    anchors = anchors.drop_duplicates(subset=["street", "x", "y"]).reset_index(drop=True)

    xs, ys, keys, sides, seq, real_cp, real_co, real_letter = [], [], [], [], [], [], [], []
    for a in anchors.itertuples(index=False):
        key = (a.street, a.momc)
        n = int(rng.integers(8, 30))
        angle = rng.uniform(0, np.pi)
        spacing = rng.uniform(22, 38)
        along = (np.arange(n) - (n - 1) / 2) * spacing
        side = np.where(np.arange(n) % 2 == 0, 1, -1)
        perp = side * rng.uniform(12, 22, n)
        dx, dy = np.cos(angle), np.sin(angle)
        xs += list(a.x + along * dx - perp * dy)
        ys += list(a.y + along * dy + perp * dx)
        keys += [key] * n
        sides += list(side)
        seq += list(np.arange(n))
        has_real = isinstance(a.house_no, float) and not np.isnan(a.house_no)
        centre = n // 2
        real_cp += [a.house_no if (has_real and i == centre) else np.nan for i in range(n)]
        real_co += [a.orient_no if (has_real and i == centre) else np.nan for i in range(n)]
        real_letter += [a.orient_letter if (has_real and i == centre) else "" for i in range(n)]
    pts = pd.DataFrame(
        {
            "x": xs,
            "y": ys,
            "street": [k[0] for k in keys],
            "anchor_momc": [k[1] for k in keys],
            "side": sides,
            "seq": seq,
            "real_cp": real_cp,
            "real_co": real_co,
            "real_letter": real_letter,
        }
    )
    pts = _with_district(pts, districts)
    pts = _assign_parts(pts, districts=districts, stops=stops)
    pts = _number_houses(pts, rng)
    pts["psc"] = _nearest_psc(pts, schools)
    return _ruian_frame(pts, rng, valid_from=valid_from)


def _assign_parts(
    pts: pd.DataFrame, *, districts: gpd.GeoDataFrame, stops: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Name the part of the city (část obce) of each point: nearest part seed in its district."""
    part = pts["momc"].astype(str).to_numpy(dtype=object).copy()
    names = stops["zast_jm"].astype("string").fillna("")
    for momc, parts in _PARTS.items():
        in_d = (pts["momc"] == momc).to_numpy()
        if not in_d.any():
            continue
        poly = districts.loc[districts["NAZEV"] == momc].geometry.union_all()
        seeds = []
        to_metric = Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)
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
        sx = np.array([s[1] for s in seeds])
        sy = np.array([s[2] for s in seeds])
        d2 = (pts["x"].to_numpy()[in_d, None] - sx) ** 2 + (
            pts["y"].to_numpy()[in_d, None] - sy
        ) ** 2
        part[in_d] = np.array([s[0] for s in seeds], dtype=object)[d2.argmin(axis=1)]
    return pts.assign(part=part)


def _number_houses(pts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give house numbers (unique per part) and orientation numbers (unique per street)."""
    pts = pts.sort_values(["street", "momc", "anchor_momc", "x", "y"], kind="stable")
    pts = pts.reset_index(drop=True)
    house = pts["real_cp"].to_numpy(dtype=float).copy()
    for _, idx in pts.groupby("part", sort=True).indices.items():
        real = house[idx]
        seen = pd.Series(real).duplicated().to_numpy() & ~np.isnan(real)
        house[idx[seen]] = np.nan  # two schools in one building: the second gets a new number
        used = set(house[idx][~np.isnan(house[idx])].astype(int))
        free_mask = np.isnan(house[idx])
        pool = np.setdiff1d(np.arange(1, max(3000, 4 * len(idx))), np.fromiter(used, int))
        house[idx[free_mask]] = rng.choice(pool, size=int(free_mask.sum()), replace=False)
    orient = np.full(len(pts), np.nan)
    letter = pts["real_letter"].astype(str).to_numpy(dtype=object).copy()
    for _key, idx in pts.groupby(["street", "anchor_momc"], sort=True).indices.items():
        momc = str(pts.at[idx[0], "momc"])
        with_numbers = momc in _URBAN or rng.random() < 0.4
        if not with_numbers and np.isnan(pts["real_co"].to_numpy()[idx]).all():
            continue
        real = pts["real_co"].to_numpy()[idx]
        used = set(real[~np.isnan(real)].astype(int))
        odd = iter(n for n in range(1, 10_000, 2) if n not in used)
        even = iter(n for n in range(2, 10_000, 2) if n not in used)
        for i, s, r in zip(idx, pts["side"].to_numpy()[idx], real, strict=True):
            orient[i] = r if not np.isnan(r) else next(odd if s > 0 else even)
    return pts.assign(house_no=house.astype(int), orient_no=orient, orient_letter=letter)


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


def _ruian_frame(pts: pd.DataFrame, rng: np.random.Generator, *, valid_from: str) -> pd.DataFrame:
    """Lay out the points as RÚIAN columns (strings)."""
    pts = pts.sort_values(["momc", "part", "street", "house_no"], kind="stable")
    pts = pts.reset_index(drop=True)
    n = len(pts)
    part_codes = {p: 900_001 + i for i, p in enumerate(sorted(pts["part"].unique()))}
    street_codes = {s: 9_000_001 + i for i, s in enumerate(sorted(pts["street"].unique()))}
    so_type = np.where(rng.random(n) < 0.03, "č.ev.", "č.p.")
    later = rng.random(n) < 0.15
    days = rng.integers(0, 365 * 12, n)
    dates = np.where(
        later,
        (pd.Timestamp("2014-01-01") + pd.to_timedelta(days, unit="D")).strftime(
            "%Y-%m-%dT00:00:00"
        ),
        valid_from,
    )
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


def write_ruian_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a RÚIAN-layout table as the real files are: cp1250, ``;``, CRLF line ends."""
    missing = [c for c in RUIAN_HEADER if c not in frame.columns]
    if missing:
        raise SchemaError(f"gazetteer frame lacks RÚIAN column(s) {missing}")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    frame.loc[:, list(RUIAN_HEADER)].to_csv(
        p, sep=";", index=False, encoding="cp1250", lineterminator="\r\n"
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


def build_demo_layers(
    *, out_dir: str | Path = DEMO_DIR, seed: int = LAYER_SEED, config: Config | None = None
) -> dict[str, Path]:
    """Regenerate the synthetic SVL, hostel and gazetteer files (``scripts/build_demo_layers.py``).

    Parameters
    ----------
    out_dir
        Destination folder (``data/demo``).
    seed
        Seed of the polygons and of the gazetteer.
    config
        Where the real layers are read from (defaults).

    Returns
    -------
    dict
        ``{"svl": path, "hostels": path, "gazetteer": path}``.
    """
    cfg = config or Config()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    districts = load_layer(cfg.layers.districts, name="districts")
    schools = load_layer(cfg.layers.schools, name="schools")
    sports = load_layer(cfg.layers.sports, name="sports")
    stops = load_layer(cfg.layers.stops, name="stops")
    candidates = read_candidates()
    located = locate_candidates(candidates, schools=schools, sports=sports, districts=districts)
    svl = make_svl_layer(located, seed=seed)
    hostels = make_hostels_layer(located)
    paths = {
        "svl": out / SVL_FILE.name,
        "hostels": out / HOSTELS_FILE.name,
        "gazetteer": out / GAZETTEER_FILE.name,
    }
    for key, layer in (("svl", svl), ("hostels", hostels)):
        paths[key].unlink(missing_ok=True)
        layer.to_crs(CRS_WEB).to_file(
            paths[key], driver="GeoJSON", layer_options={"COORDINATE_PRECISION": 6}
        )
    places = pd.concat([svl.assign(geometry=svl.centroid), hostels], ignore_index=True)
    gaz = make_gazetteer(
        districts=districts,
        schools=schools,
        stops=stops,
        sports=sports,
        places=gpd.GeoDataFrame(places, geometry="geometry", crs=CRS_METRIC),
        candidates=candidates,
        seed=seed,
    )
    write_ruian_csv(gaz, paths["gazetteer"])
    logger.info(
        "demo layers: %d SVL, %d hostels, %d address points", len(svl), len(hostels), len(gaz)
    )
    return paths


# --------------------------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------------------------

#: Where an incident happens: in/around an SVL, around a hostel, around a school, elsewhere.
PLACE_TYPES: Final = ("svl", "hostel", "school", "general")
_PLACE_SHARE: Final = (0.30, 0.22, 0.10, 0.38)

_CATS: Final = tuple(c.code for c in CATEGORIES)
#: Category mix per place type (columns in the order of :data:`apk_geo.schema.CATEGORIES`:
#: public_order, littering, alcohol, dogs, truancy, syringes, noise, neighbour_dispute,
#: help_debt, help_unemployment, help_housing, other).
_CATEGORY_MIX: Final[Mapping[str, tuple[float, ...]]] = {
    "svl": (0.13, 0.16, 0.09, 0.05, 0.04, 0.14, 0.10, 0.10, 0.06, 0.04, 0.05, 0.04),
    "hostel": (0.15, 0.12, 0.16, 0.03, 0.02, 0.20, 0.10, 0.07, 0.04, 0.03, 0.06, 0.02),
    "school": (0.10, 0.08, 0.04, 0.06, 0.52, 0.03, 0.03, 0.03, 0.01, 0.01, 0.01, 0.08),
    "general": (0.18, 0.18, 0.14, 0.16, 0.03, 0.02, 0.12, 0.08, 0.03, 0.02, 0.01, 0.03),
}
#: Outcome mix per category (resolved_on_spot, patrol_called, referred, no_action).
_OUTCOME_MIX: Final[Mapping[str, tuple[float, ...]]] = {
    "public_order": (0.55, 0.30, 0.03, 0.12),
    "littering": (0.65, 0.10, 0.05, 0.20),
    "alcohol": (0.55, 0.30, 0.02, 0.13),
    "dogs": (0.70, 0.15, 0.00, 0.15),
    "truancy": (0.40, 0.10, 0.45, 0.05),
    "syringes": (0.85, 0.05, 0.05, 0.05),
    "noise": (0.45, 0.40, 0.02, 0.13),
    "neighbour_dispute": (0.50, 0.25, 0.15, 0.10),
    "help_debt": (0.15, 0.00, 0.80, 0.05),
    "help_unemployment": (0.15, 0.00, 0.80, 0.05),
    "help_housing": (0.15, 0.00, 0.80, 0.05),
    "other": (0.50, 0.15, 0.15, 0.20),
}
_EVENING: Final = frozenset({"alcohol", "noise"})
_SUMMER: Final = frozenset({"alcohol", "noise", "littering", "dogs", "public_order"})

_NOTES: Final[Mapping[str, tuple[str, ...]]] = {
    "public_order": (
        "skupina osob blokovala vchod do domu, po domluvě se rozešli",
        "znečištěný prostor u kontejnerů, upozornění nájemníků",
    ),
    "littering": ("odpad vedle kontejnerů, informován správce", "černá skládka u garáží"),
    "alcohol": (
        "požívání alkoholu na dětském hřišti, poučení o vyhlášce",
        "skupina {n} osob s alkoholem u zastávky",
    ),
    "dogs": ("volně pobíhající pes bez náhubku, majitel poučen", "pes bez vodítka v parku"),
    "truancy": (
        "{n} nezletilí v době vyučování mimo školu, kontaktována škola",
        "žák v době vyučování na zastávce, předáno OSPOD",
    ),
    "syringes": (
        "nalezeno {n} ks injekčních stříkaček, bezpečně uloženo do kontejneru",
        "stříkačky u pískoviště, uloženo do sběrné nádoby",
    ),
    "noise": ("hlasitá hudba po 22. hodině, po upozornění ztišeno", "křik na chodbě domu"),
    "neighbour_dispute": (
        "spor sousedů o úklid společných prostor",
        "hádka sousedů kvůli hluku, domluva",
    ),
    "help_debt": ("klient žádá pomoc s exekucí, předán kontakt na dluhovou poradnu",),
    "help_unemployment": ("klient hledá práci, předán kontakt na úřad práce",),
    "help_housing": ("klientka ohrožena ztrátou bydlení, kontakt na sociální odbor",),
    "other": ("pomoc seniorce s orientací", "informace o provozu sběrného dvora"),
}

#: Czech public holidays (month, day); Easter is added per year.
_HOLIDAYS: Final = (
    (1, 1),
    (5, 1),
    (5, 8),
    (7, 5),
    (7, 6),
    (9, 28),
    (10, 28),
    (11, 17),
    (12, 24),
    (12, 25),
    (12, 26),
)


def _easter(year: int) -> date:
    """Return Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def school_days(days: pd.DatetimeIndex) -> np.ndarray:
    """Return whether each day is a Czech school day (Mon–Fri, no holiday or school break).

    Breaks: July and August, 23 December – 2 January, the autumn break (29–30 October), Maundy
    Thursday, and public holidays including Good Friday and Easter Monday.
    """
    out = days.day_of_week.to_numpy() < 5
    out &= ~np.isin(days.month.to_numpy(), (7, 8))
    md = list(zip(days.month, days.day, strict=True))
    fixed = np.array([m_d in _HOLIDAYS for m_d in md])
    xmas = np.array([(m == 12 and d >= 23) or (m == 1 and d <= 2) for m, d in md])
    autumn = np.array([m == 10 and d in (29, 30) for m, d in md])
    easter = set()
    for year in set(days.year):
        sunday = pd.Timestamp(_easter(int(year)))
        easter |= {
            sunday - pd.Timedelta(days=3),
            sunday - pd.Timedelta(days=2),
            sunday + pd.Timedelta(days=1),
        }
    east = np.isin(days.normalize(), pd.DatetimeIndex(sorted(easter)))
    return np.asarray(out & ~fixed & ~xmas & ~autumn & ~east, dtype=bool)


def jehla_days(days: pd.DatetimeIndex) -> np.ndarray:
    """Return whether each day falls in a "Jehla" campaign week (:data:`JEHLA_WEEKS`)."""
    return np.isin(days.isocalendar().week.to_numpy(dtype=int), JEHLA_WEEKS)


def default_end(today: date | None = None) -> pd.Timestamp:
    """Return the first day of the current month: the exclusive end of the last complete month."""
    t = today or date.today()
    return pd.Timestamp(year=t.year, month=t.month, day=1)


def _day_weights(days: pd.DatetimeIndex, category: str) -> np.ndarray:
    """Relative rate of ``category`` on each day (seasonality, weekday, campaigns, school days)."""
    month = days.month.to_numpy()
    dow = days.day_of_week.to_numpy()
    w = np.ones(len(days))
    if category in _SUMMER:
        w *= 1 + 0.35 * np.cos(2 * np.pi * (month - 7) / 12)
    if category == "help_housing":
        w *= 1 + 0.35 * np.cos(2 * np.pi * (month - 1) / 12)
    if category in _EVENING:
        w *= np.select([dow == 4, dow == 5, dow == 6], [1.8, 2.0, 1.3], 1.0)
    elif category != "truancy":
        w *= np.where(dow >= 5, 0.7, 1.0)
    if category == "syringes":
        w *= np.where(jehla_days(days), 4.0, 1.0)
    if category == "truancy":
        w *= np.where(school_days(days), 1.0, 0.01)
    return np.asarray(w / w.sum(), dtype=float)


def _hour_weights(category: str) -> np.ndarray:
    """Relative rate of ``category`` in each hour of the day (assistants work 7–23 h)."""
    h = np.arange(24)
    base = np.where((h >= 7) & (h <= 21), 1.0, 0.02)
    if category == "truancy":
        base = np.where((h >= 7) & (h <= 11), 6.0, base * 0.25)
    elif category == "noise":
        base = np.where(h >= 20, 5.0, np.where(h <= 1, 3.0, base * 0.4))
    elif category == "alcohol":
        base = np.where((h >= 16) & (h <= 23), 4.0, base * 0.6)
    elif category == "syringes":
        base = np.where((h >= 7) & (h <= 13), 3.0, base)
    return np.asarray(base / base.sum(), dtype=float)


def _place_weights(addresses: gpd.GeoDataFrame, context: Context) -> dict[str, np.ndarray]:
    """Sampling weight of every address point for each place type (0 = not a candidate)."""
    xy = addresses.geometry
    weights: dict[str, np.ndarray] = {}
    if len(context.svl):
        svl = context.svl.geometry.union_all()
        d = np.asarray(xy.distance(svl), dtype=float)
        weights["svl"] = np.where(d <= 350, np.exp(-d / 120), 0.0)
    if len(context.hostels):
        d = np.asarray(xy.distance(context.hostels.geometry.union_all()), dtype=float)
        weights["hostel"] = np.where(d <= 400, np.exp(-d / 100), 0.0)
    schools = context.schools
    if "LABEL_1" in schools.columns:
        kind = schools["LABEL_1"].astype("string").fillna("")
        schools = schools.loc[kind.str.contains("Základní|Střední|Gymnázium|Odborná|Speciální")]
    if len(schools):
        d = np.asarray(xy.distance(schools.geometry.union_all()), dtype=float)
        weights["school"] = np.where(d <= 400, 1.0, 0.0)
    weights["general"] = np.ones(len(addresses))
    return {k: v for k, v in weights.items() if v.sum() > 0}


def generate_incidents(
    addresses: gpd.GeoDataFrame,
    context: Context,
    *,
    config: Config,
    seed: int = 42,
    n_incidents: int = 30_000,
    end: pd.Timestamp | date | str | None = None,
    months: int = 36,
    id_prefix: str = "",
) -> gpd.GeoDataFrame:
    """Draw synthetic APK incidents at gazetteer addresses.

    Each incident picks a place type (SVL 30 %, hostel 22 %, school 10 %, anywhere 38 %), an
    address near such a place (distance-decay weights), a category from the place type's mix
    (syringes near hostels/SVL, truancy near schools …), a day from the category's rate (summer
    seasonality; alcohol and noise on Friday/Saturday; syringes ×4 in "Jehla" weeks; truancy on
    school days) and an hour (truancy 7–11 h, alcohol and noise in the evening).

    Parameters
    ----------
    addresses
        Address points (:func:`read_address_points`), EPSG:5514.
    context
        The context layers (SVL, hostels, schools).
    config
        ``mdt_areas`` decide which assistant (two per MDT area) records the incident.
    seed
        Random seed; the same seed gives the same incidents.
    n_incidents
        Number of incidents.
    end
        Exclusive end (midnight); default the first day of the current month.
    months
        Length of the period in months.
    id_prefix
        Prefix of the record ids (``"2024/00017"`` → ``prefix + "2024/00017"``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per incident sorted by time: ``id, reported_at (Europe/Prague), category,
        outcome, assistant, note, place_type, adm, street, house_no, orient_no, orient_letter,
        part, momc, psc`` and the true Point geometry in EPSG:5514.
    """
    require_crs(addresses, name="addresses")
    require_columns(addresses, ("adm", "momc", "street", "house_no", "orient_no"), name="addresses")
    if n_incidents < 1:
        raise ValueError(f"n_incidents must be >= 1, got {n_incidents!r}")
    rng = np.random.default_rng(seed)
    stop = pd.Timestamp(end) if end is not None else default_end()
    stop = stop.normalize()
    start = stop - pd.DateOffset(months=months)
    days = pd.date_range(start, stop - pd.Timedelta(days=1), freq="D")
    addr = addresses.to_crs(CRS_METRIC).reset_index(drop=True)
    weights = _place_weights(addr, context)
    types = [t for t in PLACE_TYPES if t in weights]
    share = np.array([_PLACE_SHARE[PLACE_TYPES.index(t)] for t in types])
    place = rng.choice(len(types), size=n_incidents, p=share / share.sum())

    addr_idx = np.empty(n_incidents, dtype=int)
    cat_idx = np.empty(n_incidents, dtype=int)
    for k, t in enumerate(types):
        rows = np.flatnonzero(place == k)
        w = weights[t]
        addr_idx[rows] = rng.choice(len(addr), size=len(rows), p=w / w.sum())
        mix = np.array(_CATEGORY_MIX[t])
        cat_idx[rows] = rng.choice(len(_CATS), size=len(rows), p=mix / mix.sum())

    day = np.empty(n_incidents, dtype=int)
    hour = np.empty(n_incidents, dtype=int)
    outcome = np.empty(n_incidents, dtype=object)
    outcome_codes = np.array([o.code for o in OUTCOMES], dtype=object)
    for c, cat in enumerate(_CATS):
        rows = np.flatnonzero(cat_idx == c)
        day[rows] = rng.choice(len(days), size=len(rows), p=_day_weights(days, cat))
        hour[rows] = rng.choice(24, size=len(rows), p=_hour_weights(cat))
        mix = np.array(_OUTCOME_MIX.get(cat, (0.5, 0.2, 0.1, 0.2)))
        outcome[rows] = outcome_codes[rng.choice(len(mix), size=len(rows), p=mix / mix.sum())]
    minute = rng.integers(0, 60, n_incidents)
    local = days[day] + pd.to_timedelta(hour, unit="h") + pd.to_timedelta(minute, unit="m")
    reported = local.tz_localize(TIMEZONE, ambiguous=False, nonexistent="shift_forward")

    chosen = addr.iloc[addr_idx].reset_index(drop=True)
    categories = np.array(_CATS, dtype=object)[cat_idx]
    out = gpd.GeoDataFrame(
        {
            "reported_at": reported,
            "category": pd.array(categories, dtype="string"),
            "outcome": pd.array(outcome, dtype="string"),
            "assistant": _assistants(chosen["momc"], config=config, rng=rng),
            "note": _notes(categories, reported, rng),
            "place_type": pd.array(np.array(types, dtype=object)[place], dtype="string"),
            **{
                c: chosen[c].astype("string")
                for c in (
                    "adm",
                    "street",
                    "house_no",
                    "orient_no",
                    "orient_letter",
                    "part",
                    "momc",
                    "psc",
                )
                if c in chosen.columns
            },
        },
        geometry=chosen.geometry.values,
        crs=CRS_METRIC,
    )
    out = out.sort_values("reported_at", kind="stable").reset_index(drop=True)
    year = out["reported_at"].dt.year.to_numpy()
    seq = out.groupby(year).cumcount().to_numpy() + 1
    out.insert(
        0,
        "id",
        pd.array(
            [f"{id_prefix}{y}/{s:05d}" for y, s in zip(year, seq, strict=True)], dtype="string"
        ),
    )
    out.attrs["params"] = {
        "seed": seed,
        "n_incidents": n_incidents,
        "start": str(start.date()),
        "end_exclusive": str(stop.date()),
        "place_types": types,
    }
    return out


def _assistants(momc: pd.Series, *, config: Config, rng: np.random.Generator) -> pd.Series:
    """Pseudonymous assistant codes: two per MDT area, 8 % help out elsewhere."""
    areas = list(config.mdt_area_names)
    codes = {a: (f"APK-{2 * i + 1:02d}", f"APK-{2 * i + 2:02d}") for i, a in enumerate(areas)}
    all_codes = [c for pair in codes.values() for c in pair]
    out = []
    for district, r, pick, other in zip(
        momc,
        rng.random(len(momc)),
        rng.integers(0, 2, len(momc)),
        rng.integers(0, len(all_codes), len(momc)),
        strict=True,
    ):
        area = config.mdt_areas.get(str(district))
        if area is None or r < 0.08:
            out.append(all_codes[other])
        else:
            out.append(codes[area][pick])
    return pd.Series(out, dtype="string")


def _notes(categories: np.ndarray, reported: pd.DatetimeIndex, rng: np.random.Generator) -> Any:
    """Clearly fake free-text notes ("DEMO – smyšlený záznam: …")."""
    campaign = jehla_days(reported.tz_localize(None).normalize())
    out = []
    for cat, pick, n, jehla in zip(
        categories,
        rng.integers(0, 10, len(categories)),
        rng.integers(2, 7, len(categories)),
        campaign,
        strict=True,
    ):
        options = _NOTES.get(str(cat), _NOTES["other"])
        text = options[pick % len(options)].format(n=n)
        if cat == "syringes" and jehla:
            text += " (akce Jehla)"
        out.append(f"DEMO – smyšlený záznam: {text}")
    return pd.array(out, dtype="string")


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------

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
        co = "" if pd.isna(co) else str(co)
        letter = "" if pd.isna(letter) else str(letter)
        form = rng.random()
        if co and form < 0.5:
            number = f"{cp}/{co}{letter}"
        elif co and form < 0.85:
            number = f"{co}{letter}"
        else:
            number = str(cp)
        name = str(street)
        r = rng.random()
        if r < 0.35:
            name = _typo(name, rng)
        elif r < 0.43:
            name = _typo(_typo(name, rng), rng)
        s = rng.random()
        if s < 0.45:
            suffix = ""
        elif s < 0.65:
            suffix = ", Ostrava"
        elif s < 0.85:
            suffix = f", Ostrava-{part}"
        elif s < 0.95:
            suffix = f", {str(psc)[:3]} {str(psc)[3:]} Ostrava"
        else:
            suffix = f" Ostrava-{_ascii(str(part))}"
        out.append(f"{name} {number}{suffix}")
    return out


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
    when = incidents["reported_at"].dt.tz_convert(TIMEZONE)
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
    lon, lat = Transformer.from_crs(CRS_METRIC, CRS_WEB, always_xy=True).transform(x, y)
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
    """
    if n_rows < sum(DIRTY_PROBLEMS.values()) + 10:
        raise ValueError(f"n_rows must be >= {sum(DIRTY_PROBLEMS.values()) + 10}, got {n_rows}")
    rng = np.random.default_rng(seed + 7)
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
    problem = np.array(["clean"] * n_rows, dtype=object)
    order = rng.permutation(np.arange(10, n_rows))  # the first rows stay clean (ids to copy)
    start = 0
    for name, count in DIRTY_PROBLEMS.items():
        problem[order[start : start + count]] = name
        start += count
    blank = {
        "Adresa": "",
        "Zeměpisná šířka": "",
        "Zeměpisná délka": "",
        "Souřadnice X": "",
        "Souřadnice Y": "",
    }
    to_web = Transformer.from_crs(CRS_METRIC, CRS_WEB, always_xy=True)
    far = [(50.0875, 14.4213), (49.1951, 16.6068), (48.2082, 16.3738), (49.5938, 17.2509)]
    for i in map(int, np.flatnonzero(problem != "clean")):
        kind = problem[i]
        if kind == "bad_date":
            frame.loc[i, "Datum"] = [
                "31.02.2025",
                "2025-13-01",
                "",
                "zítra",
                "32.1.2026",
                "00.00.0000",
            ][i % 6]
        elif kind == "bad_time":
            frame.loc[i, "Čas"] = ["25:70", "xx:15", "12.99"][i % 3]
        elif kind == "unknown_category":
            frame.loc[i, "Kategorie"] = ["UFO", "krádež kola", "???", "kontrola"][i % 4]
        elif kind == "missing_location":
            frame.loc[i, list(blank)] = list(blank.values())
        elif kind == "duplicate_id":
            frame.iat[i, 0] = str(frame.iat[i % 10, 0])  # "Číslo záznamu"
        elif kind in ("out_of_city", "swapped_coordinates"):
            if kind == "out_of_city":
                lat, lon = far[i % len(far)]
            else:
                p = inc.geometry.iloc[i]
                lon, lat = to_web.transform(p.x, p.y)
                lat, lon = lon, lat
            frame.loc[i, list(blank)] = ["", f"{lat:.6f}", f"{lon:.6f}", "", ""]
        elif kind == "unknown_address":
            frame.loc[i, "Adresa"] = f"Neexistující ulice {100 + i}, Ostrava"
    return frame, pd.Series(problem, name="problem", dtype="string")


def write_export(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write an export as the APK's spreadsheet does: cp1250, ``;``, CRLF."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(p, sep=";", index=False, encoding="cp1250", lineterminator="\r\n")
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


# --------------------------------------------------------------------------------------------
# The demo store
# --------------------------------------------------------------------------------------------


def build_demo_store(
    path: str | Path,
    *,
    seed: int = 42,
    config: Config | None = None,
    n_incidents: int = 30_000,
    end: pd.Timestamp | date | str | None = None,
    months: int = 36,
    exports_dir: str | Path | None = None,
    overwrite: bool = False,
    on_progress: Any = None,
) -> dict[str, Any]:
    """Build a complete demo incident store: context layers, gazetteer, ingested exports.

    Steps: read the context layers named by ``config.layers`` (real geography + the synthetic SVL
    and hostel layers) and the synthetic gazetteer; write them to the store with metadata
    ``{"synthetic": "true", "seed": ...}``; generate incidents (:func:`generate_incidents`);
    write them as yearly exports plus a dirty one (:func:`write_exports`); ingest every export
    with :func:`apk_geo.ingest.ingest_file`, so geocoding and quarantine run for real.

    Parameters
    ----------
    path
        The store to create (``.gpkg``).
    seed
        Seed of the incidents (the layers are fixed, see :data:`LAYER_SEED`).
    config
        Configuration (defaults when ``None``).
    n_incidents
        Number of incidents in the clean exports.
    end
        Exclusive end of the period; default the first day of the current month.
    months
        Length of the period in months (36: about three years).
    exports_dir
        Where the exports are written; default ``<store folder>/<store name>_exports``.
    overwrite
        Replace an existing store; otherwise an existing store is an error.
    on_progress
        Passed to :func:`apk_geo.ingest.ingest_file`.

    Returns
    -------
    dict
        The store's :meth:`summary` plus ``seed``, ``exports`` (file paths) and ``imports``
        (file name → import counts).

    Raises
    ------
    StoreError
        If the store exists and ``overwrite`` is false.
    """
    from apk_geo import geocode, ingest, store  # same tier; imported here to keep start-up light

    cfg = config or Config()
    target = Path(path)
    st = store.open_store(target)
    if st.exists():
        if not overwrite:
            raise StoreError(
                f"{target} already exists; choose another path or pass --force (overwrite=True) "
                f"to replace it with a fresh demo store"
            )
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
        st = store.open_store(target)
    context = load_context(cfg)
    address_points = geocode.load_ruian_csv(GAZETTEER_FILE)
    address_points = address_points.assign(synthetic=True, source=SYNTHETIC_SOURCE)
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {
        **context.layers(),
        "address_points": address_points,
    }
    st.write_layers(layers, metadata={"synthetic": "true", "seed": str(seed)})

    addresses = read_address_points(GAZETTEER_FILE)
    incidents = generate_incidents(
        addresses, context, config=cfg, seed=seed, n_incidents=n_incidents, end=end, months=months
    )
    dirty, _ = dirty_export(addresses, context, config=cfg, seed=seed, end=end)
    folder = Path(exports_dir) if exports_dir else target.parent / f"{target.stem}_exports"
    if folder.exists():
        for old in folder.glob("apk_export_*.csv"):
            old.unlink()
    exports = write_exports(incidents, folder, seed=seed, dirty=dirty)
    imports = {}
    for p in exports:
        counts = ingest.ingest_file(p, store=st, config=cfg, on_progress=on_progress)
        imports[p.name] = counts.as_dict()
    summary = dict(st.summary())
    summary.update({"seed": seed, "exports": [str(p) for p in exports], "imports": imports})
    return summary
