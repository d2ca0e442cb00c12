"""Places named as people name them: by street and house number, else the nearest landmark.

A mentor reads "Poruba – Hlavní třída 583/12" or "Vítkovice – zastávka Hulváky", not "čtverec
933". :func:`place_names` names any cells, cluster polygons or points from the store's own
address points (the gazetteer every store carries), public-transport stops and schools, with the
city district in front; :func:`date_text` writes dates the Czech way ("3. 5. 2026").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo.errors import GeocodingError
from apk_geo.i18n import t
from apk_geo.notes import note_text

#: Search radii (m) for naming a place by its nearest address point, or else a landmark.
ADDRESS_RADIUS_M: Final = 150.0
LANDMARK_RADIUS_M: Final = 400.0
_MONTHS_EN: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def address_names(gazetteer: pd.DataFrame) -> pd.Series:
    """Return "Street 583/12" (číslo popisné/orientační) per address point of a gazetteer.

    Streetless addresses use the part of the municipality (``"Lhotka 12"``); the index is the
    gazetteer's.
    """
    street = gazetteer["street"].astype("string")
    part = gazetteer["part"].astype("string") if "part" in gazetteer else street
    name = street.fillna(part).fillna("")
    house = pd.to_numeric(gazetteer["house_no"], errors="coerce")
    blank = pd.Series(np.nan, index=gazetteer.index)
    orient = pd.to_numeric(gazetteer.get("orient_no", blank), errors="coerce")
    letter = gazetteer.get("orient_letter", pd.Series("", index=gazetteer.index))
    letter = letter.astype("string").fillna("")
    number = house.map(lambda v: "" if pd.isna(v) else str(int(v))).astype("string")
    with_orient = orient.notna()
    number = number.where(
        ~with_orient,
        number
        + "/"
        + orient.map(lambda v: "" if pd.isna(v) else str(int(v))).astype("string")
        + letter,
    )
    out: pd.Series = (name + " " + number).str.strip()
    return out


def place_names(
    places: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    address_points: pd.DataFrame | None = None,
    stops: gpd.GeoDataFrame | None = None,
    schools: gpd.GeoDataFrame | None = None,
    districts: gpd.GeoDataFrame | None = None,
    lang: str = "cs",
    address_radius_m: float = ADDRESS_RADIUS_M,
    landmark_radius_m: float = LANDMARK_RADIUS_M,
) -> list[str]:
    """Name places by the nearest address (street and number), else the nearest landmark.

    The first that applies, from each place's representative point: the nearest address point
    within ``address_radius_m``; the nearest public-transport stop or school within
    ``landmark_radius_m``; the district alone. The district leads ("Poruba – Hlavní třída
    583/12"); names that would repeat get "(2)", "(3)" so no two rows read the same.

    Parameters
    ----------
    places
        Cells, cluster polygons or points in a projected CRS.
    address_points
        The store's gazetteer (``street``, ``house_no``, ``orient_no``, ``x_5514``, ``y_5514``
        or a geometry).
    stops, schools
        Landmarks (``zast_jm``; ``NAME`` or ``LABEL_2``).
    districts
        District polygons (``NAZEV``).
    lang
        ``"cs"`` or ``"en"``.
    address_radius_m, landmark_radius_m
        Search distances in metres.

    Returns
    -------
    list of str
        One name per place, in order.
    """
    frame = places.to_frame("geometry") if isinstance(places, gpd.GeoSeries) else places
    if len(frame) == 0:
        return []
    points = gpd.GeoDataFrame(
        {"_pos": np.arange(len(frame))},
        geometry=frame.geometry.representative_point().to_numpy(),
        crs=frame.crs,
    )
    name = pd.Series([""] * len(frame), dtype="object")
    candidates = [
        (_address_layer(address_points, frame.crs), address_radius_m, ""),
        (_named(stops, ("zast_jm",), frame.crs), landmark_radius_m, t("place.stop", lang)),
        (_named(schools, ("NAME", "LABEL_2"), frame.crs), landmark_radius_m, ""),
    ]
    for layer, radius, prefix in candidates:
        todo = points[name.to_numpy() == ""]
        if layer is None or todo.empty:
            continue
        near = gpd.sjoin_nearest(todo, layer, how="inner", max_distance=radius, distance_col="_d")
        near = near.sort_values(["_pos", "_d"], kind="stable").drop_duplicates("_pos")
        for pos, value in zip(near["_pos"], near["_name"], strict=True):
            name.iloc[int(pos)] = f"{prefix} {value}".strip()
    lead = _district_of(points, districts)
    labels = [
        " – ".join(p for p in (d, n) if p) or t("place.unnamed", lang)
        for d, n in zip(lead, name, strict=True)
    ]
    return _unique(labels)


def _address_layer(gazetteer: pd.DataFrame | None, crs: Any) -> gpd.GeoDataFrame | None:
    if gazetteer is None or len(gazetteer) == 0 or "street" not in gazetteer:
        return None
    if isinstance(gazetteer, gpd.GeoDataFrame) and gazetteer.crs is not None:
        geo = gazetteer.geometry.to_crs(crs)
    else:
        xy = gpd.points_from_xy(gazetteer["x_5514"], gazetteer["y_5514"], crs="EPSG:5514")
        geo = gpd.GeoSeries(xy, index=gazetteer.index).to_crs(crs)
    out = gpd.GeoDataFrame({"_name": address_names(gazetteer).to_numpy()}, geometry=geo.values)
    return out[~(out.geometry.isna() | out.geometry.is_empty) & (out["_name"] != "")]


def _named(
    layer: gpd.GeoDataFrame | None, columns: tuple[str, ...], crs: Any
) -> gpd.GeoDataFrame | None:
    if layer is None or layer.empty or layer.crs is None:
        return None
    column = next((c for c in columns if c in layer), None)
    if column is None:
        return None
    out = gpd.GeoDataFrame(
        {"_name": layer[column].astype(str).to_numpy()}, geometry=layer.geometry.to_crs(crs).values
    )
    return out[~(out.geometry.isna() | out.geometry.is_empty)]


def _district_of(points: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None) -> list[str]:
    if districts is None or districts.empty or "NAZEV" not in districts:
        return [""] * len(points)
    dist = districts[["NAZEV", districts.geometry.name]].to_crs(points.crs)
    hit = gpd.sjoin(points, dist, how="left", predicate="within").drop_duplicates("_pos")
    return ["" if pd.isna(v) else str(v) for v in hit.sort_values("_pos")["NAZEV"]]


def _unique(labels: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def date_text(value: object, lang: str = "cs") -> str:
    """Return a date as people write it: ``"3. 5. 2026"`` (Czech) or ``"3 May 2026"``.

    Examples
    --------
    >>> date_text("2026-05-03T10:00:00+02:00"), date_text("2026-05-03", "en")
    ('3. 5. 2026', '3 May 2026')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    stamp = pd.Timestamp(str(value)) if not isinstance(value, pd.Timestamp) else value
    if pd.isna(stamp):
        return ""
    if str(lang).startswith("en"):
        return f"{stamp.day} {_MONTHS_EN[stamp.month - 1]} {stamp.year}"
    return f"{stamp.day}. {stamp.month}. {stamp.year}"


_LATLON: Final = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class AddressMatch:
    """Where a typed address (or coordinate pair) is, and what else it may have meant.

    Attributes
    ----------
    lat, lon
        The place in degrees, ``None`` when nothing was found.
    label
        The address found ("Prokešovo náměstí 1803/8"), or the coordinates.
    match
        ``"coordinates"``, the geocoder's match kind (``"exact"``, ``"fuzzy"``, ``"street"``)
        or ``"failed"``.
    suggestions
        Up to five addresses of the store's address points close to the text (offered when the
        match is not exact).
    reason
        The geocoder's note (``geocode_reason``, stored English): why the text was not placed,
        or what was corrected; ``""`` for none. :meth:`not_found_text` gives it in a language.
    """

    lat: float | None
    lon: float | None
    label: str
    match: str
    suggestions: tuple[str, ...] = ()
    reason: str = ""

    def not_found_text(self, lang: str) -> str:
        """Return, in ``lang``, that the address was not found and the geocoder's reason.

        Examples
        --------
        >>> AddressMatch(None, None, "Nikde 5", "failed", reason="no address").not_found_text("cs")
        'Adresu „Nikde 5“ v adresních místech úložiště nenacházím: chybí adresa.'
        """
        if not self.reason:
            return t("route.address_not_found", lang, text=self.label)
        why = note_text(self.reason, lang)
        return t("route.address_not_found_why", lang, text=self.label, reason=why)

    @property
    def found(self) -> bool:
        """Whether the text was placed."""
        return self.lat is not None and self.lon is not None

    @property
    def point(self) -> tuple[float, float]:
        """``(lat, lon)``; raises :class:`GeocodingError` when nothing was found."""
        if self.lat is None or self.lon is None:
            raise GeocodingError(f"address {self.label!r} not found")
        return self.lat, self.lon


def find_address(
    text: str, *, gazetteer: pd.DataFrame | None, max_suggestions: int = 5
) -> AddressMatch:
    """Place a typed address with the ingest geocoder, or read a ``lat, lon`` pair.

    The address is matched against ``gazetteer`` (the store's address points) by
    :func:`apk_geo.geocode.geocode`, the matcher of the import; when the match is not exact
    (only the street, a fuzzy name) or fails, up to ``max_suggestions`` similar addresses are
    returned so the user can pick one.

    Examples
    --------
    >>> find_address("49.8353, 18.2920", gazetteer=None).match
    'coordinates'
    """
    pair = _LATLON.match(text)
    if pair:
        lat, lon = float(pair.group(1)), float(pair.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return AddressMatch(lat, lon, f"{lat:.5f}, {lon:.5f}", "coordinates")
    if gazetteer is None or len(gazetteer) == 0 or not text.strip():
        return AddressMatch(None, None, text, "failed")
    from apk_geo.geocode import geocode  # imported when an address is looked up

    row = geocode(pd.DataFrame({"address": [text]}), gazetteer).iloc[0]
    match = str(row.get("match", "failed"))
    names = address_names(gazetteer)
    suggestions = () if match == "exact" else _similar(text, names, n=max_suggestions)
    reason = str(row.get("geocode_reason") or "")
    if match == "failed" or pd.isna(row.get("lat")):
        return AddressMatch(None, None, text, "failed", suggestions, reason)
    label = _label_of(row, gazetteer, names) or text
    return AddressMatch(float(row["lat"]), float(row["lon"]), label, match, suggestions, reason)


def _label_of(row: pd.Series, gazetteer: pd.DataFrame, names: pd.Series) -> str:
    adm = row.get("ruian_adm")
    if adm is None or pd.isna(adm) or "adm" not in gazetteer:
        return ""
    hit = names[pd.to_numeric(gazetteer["adm"], errors="coerce") == float(adm)]
    return str(hit.iloc[0]) if len(hit) else ""


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).lower().strip()


def _similar(text: str, names: pd.Series, *, n: int) -> tuple[str, ...]:
    """Return up to ``n`` address names closest to ``text`` (diacritics and case ignored)."""
    query = _fold(text.split(",")[0])
    unique = pd.Series(names.unique())
    folded = {_fold(str(v)): str(v) for v in unique}
    close = difflib.get_close_matches(query, list(folded), n=n, cutoff=0.5)
    return tuple(folded[c] for c in close)
