"""Readable place labels for grid cells and areas, from the city's context layers.

A mentor or an MDT meeting reads "Mariánské Hory a Hulváky – SVL Bedřiška" or "Ostrava-Jih – okolí
Ubytovna Hulvácká 8", not "cell 4491". One rule serves every table that names places (the
dashboard's hotspot table, the MDT pack, the patrol planner's stops):

1. the city district that contains the place's representative point (if districts are given);
2. then the first that applies: the SVL that contains the point; the nearest hostel within
   ``hostel_radius_m``; the nearest public-transport stop within ``stop_radius_m``; else the
   place's id ("čtverec 4491").

Everything is vectorised (spatial joins), so labelling thousands of cells is instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo import _validate
from apk_geo.context import PlaceLayers

#: Default search radii in metres.
HOSTEL_RADIUS_M: Final = 250.0
STOP_RADIUS_M: Final = 400.0

_WORDS: Final = {
    "cs": {"near": "okolí", "stop": "u zastávky", "cell": "čtverec"},
    "en": {"near": "near", "stop": "stop", "cell": "square"},
}


def place_labels(
    places: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    context: PlaceLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
    ids: Sequence[object] | None = None,
    lang: str = "cs",
    hostel_radius_m: float = HOSTEL_RADIUS_M,
    stop_radius_m: float = STOP_RADIUS_M,
) -> list[str]:
    """Return one readable label per place (cell, cluster polygon or point).

    Parameters
    ----------
    places
        Geometries in a projected CRS.
    context
        An object with optional ``svl`` (``name``), ``hostels`` (``name``) and ``stops``
        (``zast_jm``) GeoDataFrames, e.g. :class:`apk_geo.enrich.Context`; any may be missing.
    districts
        District polygons with ``NAZEV``; the district name leads the label.
    ids
        What names a place when nothing is near (default: its position, 0..n-1).
    lang
        ``"cs"`` (default) or ``"en"``.
    hostel_radius_m, stop_radius_m
        Search distances in metres from the place's representative point.

    Returns
    -------
    list of str
        ``"<district> – <place>"``, or ``"<place>"`` without districts.

    Raises
    ------
    CRSError
        If ``places`` has no projected CRS.

    Examples
    --------
    >>> import shapely
    >>> pts = gpd.GeoSeries([shapely.Point(0, 0)], crs="EPSG:5514")
    >>> place_labels(pts, ids=[7])
    ['čtverec 7']
    """
    frame = places.to_frame("geometry") if isinstance(places, gpd.GeoSeries) else places
    _validate.require_projected(frame, name="places")
    _validate.require_positive(hostel_radius_m, name="hostel_radius_m")
    _validate.require_positive(stop_radius_m, name="stop_radius_m")
    n = len(frame)
    if n == 0:
        return []
    words = _WORDS["en" if str(lang).lower().startswith("en") else "cs"]
    names = list(ids) if ids is not None else list(range(n))
    if len(names) != n:
        raise ValueError(f"ids has {len(names)} entries for {n} places")
    points = _representative_points(frame)
    place = pd.Series([f"{words['cell']} {i}" for i in names], dtype="object")
    hits = _context_hits(
        points,
        context,
        words=words,
        hostel_radius_m=hostel_radius_m,
        stop_radius_m=stop_radius_m,
    )
    _fill_first(place, hits)
    if districts is None or districts.empty:
        return [str(p) for p in place]
    return _lead_with_district(place, points, districts)


def _representative_points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return one point inside each place, with its position ``_pos``."""
    return gpd.GeoDataFrame(
        {"_pos": np.arange(len(frame))},
        geometry=frame.geometry.representative_point().to_numpy(),
        crs=frame.crs,
    )


def _context_hits(
    points: gpd.GeoDataFrame,
    context: PlaceLayers | None,
    *,
    words: dict[str, str],
    hostel_radius_m: float,
    stop_radius_m: float,
) -> list[pd.Series]:
    """Return the place names found in each context layer, in the order of precedence.

    Each Series is indexed by the position of the place it names: the SVL that contains the
    point, the nearest hostel within ``hostel_radius_m``, the nearest stop within
    ``stop_radius_m``. Missing layers give no Series.
    """
    hits: list[pd.Series] = []
    svl = _layer(context, "svl", "name", points.crs)
    if svl is not None:
        hit = _first(gpd.sjoin(points, svl, how="inner", predicate="within"), "name")
        hits.append("SVL " + hit)
    hostels = _layer(context, "hostels", "name", points.crs)
    if hostels is not None:
        hit = _first(_nearest(points, hostels, hostel_radius_m), "name")
        hits.append(f"{words['near']} " + hit)
    stops = _layer(context, "stops", "zast_jm", points.crs)
    if stops is not None:
        hit = _first(_nearest(points, stops, stop_radius_m), "zast_jm")
        hits.append(f"{words['stop']} " + hit)
    return hits


def _fill_first(place: pd.Series, hits: list[pd.Series]) -> None:
    """Overwrite ``place`` in place with the first hit that names each position."""
    found = pd.Series(False, index=place.index)
    for values in hits:
        todo = values.index[~found.loc[values.index].to_numpy(dtype=bool)]
        place.loc[todo] = values.loc[todo]
        found.loc[todo] = True


def _lead_with_district(
    place: pd.Series, points: gpd.GeoDataFrame, districts: gpd.GeoDataFrame
) -> list[str]:
    """Return ``"<district> – <place>"`` (just the place outside every district)."""
    _validate.require_columns(districts, ["NAZEV"], name="districts")
    dist = districts[["NAZEV", districts.geometry.name]].to_crs(points.crs)
    district = _first(gpd.sjoin(points, dist, how="inner", predicate="within"), "NAZEV")
    lead = district.reindex(place.index)
    return [
        f"{d} – {p}" if isinstance(d, str) else str(p) for d, p in zip(lead, place, strict=True)
    ]


def _layer(
    context: PlaceLayers | None, attr: str, column: str, crs: Any
) -> gpd.GeoDataFrame | None:
    layer = getattr(context, attr, None) if context is not None else None
    if layer is None or len(layer) == 0 or column not in layer:
        return None
    _validate.require_crs(layer, name=attr)
    out = layer[[column, layer.geometry.name]].to_crs(crs)
    return out[~(out.geometry.isna() | out.geometry.is_empty)]


def _nearest(points: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, radius_m: float) -> pd.DataFrame:
    joined = gpd.sjoin_nearest(points, layer, how="inner", max_distance=radius_m, distance_col="_d")
    return pd.DataFrame(joined.sort_values(["_pos", "_d"], kind="stable"))


def _first(joined: pd.DataFrame, column: str) -> pd.Series:
    """Return the first match per place, indexed by the place's position."""
    first = joined.drop_duplicates("_pos", keep="first")
    return pd.Series(first[column].astype(str).to_numpy(), index=first["_pos"].to_numpy())
