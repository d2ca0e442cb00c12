"""Synthetic SVL and hostel layers drawn from the documented list of places.

:func:`read_candidates` reads ``data/ostrava_svl_hostels_candidates.csv`` (real names, proxy
coordinates: the centroid of the public-transport stop of the same name, ±300 m).
:func:`locate_candidates` gives every locatable row a point (rows without coordinates are placed at
their published street when the schools' ``ULICE`` or the sports grounds' ``ADRESA`` name it,
otherwise skipped and logged); :func:`make_svl_layer` draws an irregular polygon around each active
SVL, :func:`make_hostels_layer` keeps the hostels as points. :func:`build_demo_layers` regenerates
the committed files in ``data/demo`` (``scripts/build_demo_layers.py``), gazetteer included.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from apk_geo._validate import require_columns, require_crs
from apk_geo.config import Config
from apk_geo.demo._common import (
    CANDIDATES_FILE,
    DEMO_DIR,
    GAZETTEER_FILE,
    HOSTELS_FILE,
    LAYER_SEED,
    SVL_FILE,
    SYNTHETIC_SOURCE,
)
from apk_geo.demo.gazetteer import _published_streets, make_gazetteer, write_ruian_csv
from apk_geo.enrich import load_layer
from apk_geo.errors import InputFileError
from apk_geo.files import atomic_path
from apk_geo.schema import CRS_METRIC, CRS_WEB

__all__ = [
    "build_demo_layers",
    "locate_candidates",
    "make_hostels_layer",
    "make_svl_layer",
    "read_candidates",
]

logger = logging.getLogger(__name__)

#: Columns of the candidates file.
_CANDIDATE_COLUMNS: Final = (
    "name",
    "kind",
    "momc",
    "address_or_streets_as_published",
    "status",
    "proxy_lon",
    "proxy_lat",
    "source_verified",
)
_PROXY_BASIS: Final = "proxy: centroid of the same-named public-transport stop (±300 m)"
#: Decimal places of the committed GeoJSON coordinates (about 0.1 m).
_GEOJSON_PRECISION: Final = 6


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
    missing = [c for c in _CANDIDATE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputFileError(f"missing column(s) {missing}", path=str(p))
    return frame


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
    _check_real_layers(schools=schools, sports=sports, districts=districts)
    to_metric = Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)
    rows: list[dict[str, Any]] = []
    geoms = []
    for raw in candidates.to_dict("records"):
        rec = {str(k): v for k, v in raw.items()}
        if pd.notna(rec["proxy_lon"]) and pd.notna(rec["proxy_lat"]):
            x, y = to_metric.transform(float(rec["proxy_lon"]), float(rec["proxy_lat"]))
            found: tuple[shapely.Point, str] | None = (shapely.Point(x, y), _PROXY_BASIS)
        else:
            found = _street_point(rec, schools=schools, sports=sports, districts=districts)
        if found is None:
            logger.warning(
                "demo: %r has no coordinates and its street is not in the schools/sports open "
                "data; skipped",
                rec["name"],
            )
            continue
        geoms.append(found[0])
        rows.append({**rec, "basis": found[1]})
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=CRS_METRIC)


def _check_real_layers(
    *, schools: gpd.GeoDataFrame, sports: gpd.GeoDataFrame, districts: gpd.GeoDataFrame
) -> None:
    """Check the CRS and the columns :func:`locate_candidates` reads."""
    for layer, name in ((schools, "schools"), (sports, "sports"), (districts, "districts")):
        require_crs(layer, name=name)
    require_columns(schools, ("ULICE",), name="schools")
    require_columns(sports, ("ADRESA",), name="sports")
    require_columns(districts, ("NAZEV",), name="districts")


def _street_point(
    rec: dict[str, Any],
    *,
    schools: gpd.GeoDataFrame,
    sports: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
) -> tuple[shapely.Point, str] | None:
    """Place a row at the first published street with schools or sports grounds in its district.

    Returns the mean position of those objects and the basis text, or ``None`` if no published
    street has any.
    """
    district = districts.loc[districts["NAZEV"] == rec["momc"]]
    for street in _published_streets(str(rec["address_or_streets_as_published"])):
        on_school = schools.loc[schools["ULICE"].astype("string") == street]
        pattern = rf"^\s*{re.escape(street)}(?=[\s\d,]|$)"
        on_sport = sports.loc[sports["ADRESA"].astype("string").str.contains(pattern, na=False)]
        pts = pd.concat([on_school.geometry, on_sport.geometry])
        if len(district):
            pts = pts[pts.within(district.geometry.union_all())]
        if len(pts):
            point = shapely.Point(float(pts.x.mean()), float(pts.y.mean()))
            basis = (
                f"street {street!r} located from open-data schools/sports "
                f"addresses ({len(pts)} object(s))"
            )
            return point, basis
    return None


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
        ``{"svl": path, "hostels": path, "gazetteer": path}``; each file is replaced atomically.
    """
    cfg = config or Config()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    real = {
        name: load_layer(getattr(cfg.layers, name), name=name)
        for name in ("districts", "schools", "sports", "stops")
    }
    candidates = read_candidates()
    located = locate_candidates(
        candidates, schools=real["schools"], sports=real["sports"], districts=real["districts"]
    )
    svl = make_svl_layer(located, seed=seed)
    hostels = make_hostels_layer(located)
    paths = {
        "svl": _write_geojson(svl, out / SVL_FILE.name),
        "hostels": _write_geojson(hostels, out / HOSTELS_FILE.name),
        "gazetteer": out / GAZETTEER_FILE.name,
    }
    places = pd.concat([svl.assign(geometry=svl.centroid), hostels], ignore_index=True)
    gaz = make_gazetteer(
        districts=real["districts"],
        schools=real["schools"],
        stops=real["stops"],
        sports=real["sports"],
        places=gpd.GeoDataFrame(places, geometry="geometry", crs=CRS_METRIC),
        candidates=candidates,
        seed=seed,
    )
    write_ruian_csv(gaz, paths["gazetteer"])
    logger.info(
        "demo layers: %d SVL, %d hostels, %d address points", len(svl), len(hostels), len(gaz)
    )
    return paths


def _write_geojson(layer: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``layer`` as WGS84 GeoJSON named after the file, replacing ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.unlink()  # the GeoJSON driver creates its file; it does not overwrite one
        layer.to_crs(CRS_WEB).to_file(
            tmp,
            driver="GeoJSON",
            layer=path.stem,
            layer_options={"COORDINATE_PRECISION": _GEOJSON_PRECISION},
        )
    return path
