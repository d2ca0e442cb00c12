"""Spatial enrichment: attach city district, MDT area, SVL and nearest hostel to incidents.

Each incident point gets

- ``district_code`` / ``district_name``: the RÚIAN code (``KOD``) and name (``NAZEV``) of the city
  district (městský obvod, MOMC) whose polygon contains it; empty outside every district (that
  is not an error: the store also keeps incidents just over the city border);
- ``mdt_area``: the multidisciplinary-team area of that district, from
  :attr:`apk_geo.config.Config.mdt_areas`;
- ``svl_name``: the socially excluded locality (sociálně vyloučená lokalita, SVL) whose polygon
  contains it, if any;
- ``hostel_name``, ``hostel_distance_m`` and ``in_hostel_buffer``: the nearest hostel, the
  straight-line distance to it in metres (EPSG:5514) and whether that distance is within
  :attr:`apk_geo.config.Config.hostel_buffer_m`.

Context layers are read from GeoJSON, GeoPackage or Shapefile with :func:`load_layer`, which
refuses a layer without a CRS and returns every layer in EPSG:5514. GeoJSON files that declare
``urn:ogc:def:crs:OGC:1.3:CRS84`` hold longitude/latitude; GDAL reads them as EPSG:4326 in
longitude-latitude (x, y) order and pyproj reprojects them with ``always_xy``, so no axis is
swapped. A city replaces the demo layers by naming its own files in the ``[layers]`` table of the
configuration (:class:`apk_geo.config.Layers`); no code changes are needed.

The joins run on whole arrays with shapely's STRtree, with no Python loop per point or per polygon,
and give exactly what :func:`geopandas.sjoin` (``predicate="intersects"``) and
:func:`geopandas.sjoin_nearest` give: the boundary belongs to the polygon, a point in several
polygons takes the first in layer order, a tie between hostels goes to the first hostel. For a
layer of valid polygons and many points a lattice over the layer decides most points at once (a
cell that lies properly inside one polygon and touches no other, or touches none); the points
near a boundary are tested exactly. A million incidents take about a second on two cores.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Final, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from apk_geo._validate import require_columns, require_crs
from apk_geo.config import Config
from apk_geo.errors import ConfigError, CRSError, InputFileError, SchemaError
from apk_geo.schema import CRS_METRIC

logger = logging.getLogger(__name__)

#: File suffixes that :func:`load_layer` reads.
LAYER_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp")

#: Columns that :func:`enrich` adds (or overwrites), in this order.
ENRICH_COLUMNS: Final = (
    "district_code",
    "district_name",
    "mdt_area",
    "svl_name",
    "hostel_name",
    "hostel_distance_m",
    "in_hostel_buffer",
)

#: Names of the context layers, as stored by :meth:`Context.layers`.
CONTEXT_LAYERS: Final = (
    "districts", "city", "mdt_areas", "svl", "hostels", "schools", "stops", "sports",
)  # fmt: skip

#: Columns each context layer must have (beyond geometry).
_REQUIRED: Final[Mapping[str, tuple[str, ...]]] = {
    "districts": ("KOD", "NAZEV"),
    "city": (),
    "mdt_areas": ("name",),
    "svl": ("name", "source", "synthetic"),
    "hostels": ("name", "kind", "synthetic"),
    "schools": (),
    "stops": ("zast_jm",),
    "sports": (),
}


class LayerSource(Protocol):
    """Anything that serves context layers by name (an :class:`apk_geo.store.IncidentStore`)."""

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return the context layer ``name`` in EPSG:5514."""
        ...

    def layer_names(self) -> list[str]:
        """Return the names of the stored context layers."""
        ...


@dataclass(frozen=True, eq=False)
class Context:
    """The context layers of one city, every one a GeoDataFrame in EPSG:5514.

    Attributes
    ----------
    districts
        City districts: ``KOD`` (RÚIAN MOMC code, string), ``NAZEV`` (name), geometry.
    city
        The city outline (one or more polygons).
    mdt_areas
        ``name`` and geometry (the union of the area's districts).
    svl
        Socially excluded localities: ``name``, ``source``, ``synthetic`` (bool), polygons.
    hostels
        Hostels and homeless services: ``name``, ``kind``, ``synthetic`` (bool), points.
    schools, stops, sports
        Schools, public-transport stop poles (``zast_jm``) and sports grounds, points.

    Raises
    ------
    SchemaError
        If a layer is not a GeoDataFrame or lacks a required column.
    CRSError
        If a layer is not in EPSG:5514.
    """

    districts: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    mdt_areas: gpd.GeoDataFrame
    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    schools: gpd.GeoDataFrame
    stops: gpd.GeoDataFrame
    sports: gpd.GeoDataFrame

    def __post_init__(self) -> None:
        metric = CRS.from_user_input(CRS_METRIC)
        for f in fields(self):
            layer = getattr(self, f.name)
            if not isinstance(layer, gpd.GeoDataFrame):
                raise SchemaError(
                    f"context layer {f.name!r} must be a GeoDataFrame, got {type(layer).__name__}"
                )
            crs = require_crs(layer, name=f"context layer {f.name!r}")
            if not crs.equals(metric):
                raise CRSError(
                    f"context layer {f.name!r} is in {crs.to_string()}, expected {CRS_METRIC}; "
                    f"build it with load_context() or reproject with .to_crs('{CRS_METRIC}')"
                )
            require_columns(layer, _REQUIRED[f.name], name=f"context layer {f.name!r}")

    @classmethod
    def from_store(cls, store: LayerSource, *, config: Config | None = None) -> Context:
        """Build the context from the layers a store carries.

        Parameters
        ----------
        store
            An :class:`apk_geo.store.IncidentStore` (anything with ``layer`` and ``layer_names``).
        config
            Used only when the store has no ``mdt_areas`` layer: the areas are then dissolved
            from the districts with ``config.mdt_areas`` (defaults when ``None``).

        Returns
        -------
        Context

        Raises
        ------
        SchemaError
            If the store lacks one of the layers ``districts, city, svl, hostels, schools, stops,
            sports``.
        """
        names = set(store.layer_names())
        needed = [n for n in CONTEXT_LAYERS if n != "mdt_areas"]
        missing = [n for n in needed if n not in names]
        if missing:
            raise SchemaError(
                f"the store has no context layer(s) {missing}; it has {sorted(names)}; "
                f"build it with `apk-geo demo` or write the layers with store.write_layers()"
            )
        layers = {n: store.layer(n) for n in needed}
        if "mdt_areas" in names:
            layers["mdt_areas"] = store.layer("mdt_areas")
        else:
            layers["mdt_areas"] = mdt_area_polygons(
                layers["districts"], config.mdt_areas if config else Config().mdt_areas
            )
        return cls(**layers)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers by name, ready for :meth:`IncidentStore.write_layers`."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def city_extent_5514(self) -> tuple[float, float, float, float]:
        """Return the city's bounding box ``(minx, miny, maxx, maxy)`` in EPSG:5514 metres."""
        minx, miny, maxx, maxy = self.city.total_bounds
        return (float(minx), float(miny), float(maxx), float(maxy))


def load_layer(path: str | Path, *, name: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a context layer from GeoJSON, GeoPackage or Shapefile and return it in EPSG:5514.

    Parameters
    ----------
    path
        The file (``.geojson``, ``.json``, ``.gpkg`` or ``.shp``).
    name
        What the layer is (``"districts"``, ``"svl"`` …); used in messages and logs.
    layer
        The layer inside a multi-layer GeoPackage; the first one when ``None``.

    Returns
    -------
    geopandas.GeoDataFrame
        The file's columns unchanged, geometry reprojected to EPSG:5514; rows with a null or
        empty geometry are dropped (and the count logged).

    Raises
    ------
    InputFileError
        If the file is missing, has another format or cannot be read.
    CRSError
        If the file declares no CRS (e.g. a Shapefile without ``.prj``).

    Examples
    --------
    >>> from apk_geo.config import Layers
    >>> load_layer(Layers().districts, name="districts").crs.to_epsg()
    5514
    """
    p = Path(path)
    if p.suffix.lower() not in LAYER_SUFFIXES:
        raise InputFileError(
            f"cannot read the {name} layer from a {p.suffix or 'suffix-less'} file; "
            f"use one of {', '.join(LAYER_SUFFIXES)}",
            path=str(p),
        )
    if not p.is_file():
        raise InputFileError(
            f"the {name} layer file does not exist; fix the path in the [layers] table of the "
            f"configuration",
            path=str(p),
        )
    try:
        gdf = gpd.read_file(p, layer=layer) if layer is not None else gpd.read_file(p)
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, ValueError …
        raise InputFileError(f"cannot read the {name} layer: {exc}", path=str(p)) from exc
    if gdf.crs is None:
        raise CRSError(
            f"{p}: the {name} layer declares no CRS; apk_geo never guesses one. Add it to the "
            f"file (a .prj next to a Shapefile, or save it again with a CRS, e.g. "
            f"gdf.set_crs('EPSG:5514').to_file(...))"
        )
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        logger.warning("%s layer %s: dropped %d row(s) without geometry", name, p, int(empty.sum()))
        gdf = gdf.loc[~empty]
    gdf = gdf.reset_index(drop=True)
    source_crs = CRS.from_user_input(gdf.crs)
    if not source_crs.equals(CRS.from_user_input(CRS_METRIC)):
        logger.info("%s layer %s: reprojecting from %s to %s", name, p, source_crs, CRS_METRIC)
        gdf = gdf.to_crs(CRS_METRIC)
    return gdf


def mdt_area_polygons(
    districts: gpd.GeoDataFrame, mdt_areas: Mapping[str, str]
) -> gpd.GeoDataFrame:
    """Dissolve district polygons into MDT-area polygons.

    Parameters
    ----------
    districts
        District polygons with ``NAZEV``.
    mdt_areas
        District name → area name (:attr:`Config.mdt_areas`).

    Returns
    -------
    geopandas.GeoDataFrame
        ``name`` (area, in the mapping's order), ``districts`` (comma-separated names), geometry;
        same CRS as ``districts``.

    Raises
    ------
    ConfigError
        If a district has no area, or the mapping names a district that does not exist.
    """
    require_columns(districts, ("NAZEV",), name="districts")
    names = [str(n) for n in districts["NAZEV"]]
    unmapped = sorted(set(names) - set(mdt_areas))
    unknown = sorted(set(mdt_areas) - set(names))
    if unmapped or unknown:
        parts = []
        if unmapped:
            parts.append(f"district(s) without an MDT area: {unmapped}")
        if unknown:
            parts.append(f"mdt_areas names district(s) not in the districts layer: {unknown}")
        raise ConfigError(
            "; ".join(parts) + "; make the keys of [mdt_areas] in the configuration exactly the "
            "district names (NAZEV) of the districts layer"
        )
    area = pd.Series([mdt_areas[n] for n in names], index=districts.index, dtype="string")
    frame = gpd.GeoDataFrame(
        {"name": area, "district": pd.Series(names, index=districts.index, dtype="string")},
        geometry=districts.geometry,
        crs=districts.crs,
    )
    order = list(dict.fromkeys(mdt_areas.values()))
    rows = []
    for area_name in order:
        part = frame.loc[frame["name"] == area_name]
        if part.empty:
            continue
        rows.append(
            {
                "name": area_name,
                "districts": ", ".join(sorted(part["district"])),
                "geometry": part.geometry.union_all(),
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=districts.crs)
    out["name"] = out["name"].astype("string")
    out["districts"] = out["districts"].astype("string")
    return out


def load_context(config: Config) -> Context:
    """Read every context layer named by ``config.layers`` and return them in EPSG:5514.

    SVL and hostel layers from the city may lack the bookkeeping columns: ``source`` defaults to
    the file name, ``synthetic`` to ``config.layers.svl_synthetic`` / ``hostels_synthetic`` and a
    hostel's ``kind`` to ``"hostel"``.

    Parameters
    ----------
    config
        The configuration; ``config.layers`` names the files, ``config.mdt_areas`` groups the
        districts into MDT areas.

    Returns
    -------
    Context

    Raises
    ------
    InputFileError, CRSError
        From :func:`load_layer`.
    SchemaError
        If a layer lacks a required column (districts: ``KOD``, ``NAZEV``; SVL and hostels:
        ``name``; stops: ``zast_jm``).
    ConfigError
        If ``config.mdt_areas`` does not cover exactly the district names.
    """
    paths = config.layers
    districts = load_layer(paths.districts, name="districts")
    require_columns(districts, ("KOD", "NAZEV"), name=f"districts layer {paths.districts}")
    districts = districts.assign(
        KOD=districts["KOD"].astype("string"), NAZEV=districts["NAZEV"].astype("string")
    )
    svl = _with_bookkeeping(
        load_layer(paths.svl, name="svl"), path=paths.svl, synthetic=paths.svl_synthetic
    )
    hostels = _with_bookkeeping(
        load_layer(paths.hostels, name="hostels"),
        path=paths.hostels,
        synthetic=paths.hostels_synthetic,
    )
    if "kind" not in hostels.columns:
        hostels = hostels.assign(kind=pd.Series("hostel", index=hostels.index, dtype="string"))
    stops = load_layer(paths.stops, name="stops")
    require_columns(stops, ("zast_jm",), name=f"stops layer {paths.stops}")
    return Context(
        districts=districts,
        city=load_layer(paths.city, name="city"),
        mdt_areas=mdt_area_polygons(districts, config.mdt_areas),
        svl=svl,
        hostels=hostels,
        schools=load_layer(paths.schools, name="schools"),
        stops=stops,
        sports=load_layer(paths.sports, name="sports"),
    )


def _with_bookkeeping(gdf: gpd.GeoDataFrame, *, path: Path, synthetic: bool) -> gpd.GeoDataFrame:
    """Check ``name`` and add ``source``/``synthetic`` when a layer lacks them."""
    require_columns(gdf, ("name",), name=f"layer {path}")
    extra: dict[str, pd.Series] = {}
    if "source" not in gdf.columns:
        extra["source"] = pd.Series(path.name, index=gdf.index, dtype="string")
    if "synthetic" not in gdf.columns:
        extra["synthetic"] = pd.Series(synthetic, index=gdf.index, dtype=bool)
    return gdf.assign(**extra) if extra else gdf


def enrich(incidents: gpd.GeoDataFrame, context: Context, *, config: Config) -> gpd.GeoDataFrame:
    """Add district, MDT area, SVL and nearest-hostel columns to incident points.

    Parameters
    ----------
    incidents
        Incident points in any CRS; rows with a null or empty geometry (failed geocoding) are
        kept and get empty fields.
    context
        The context layers (:func:`load_context` or :meth:`Context.from_store`).
    config
        ``mdt_areas`` (district name → area) and ``hostel_buffer_m``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``incidents`` (same index, CRS and geometry) with these columns added or
        overwritten:

        ============================  ===========  ============================================
        ``district_code``             string       RÚIAN MOMC code; NA outside every district
        ``district_name``             string       district name; NA outside every district
        ``mdt_area``                  string       area of the district; NA if none
        ``svl_name``                  string       SVL polygon containing the point; NA if none
        ``hostel_name``               string       nearest hostel; NA without hostels/geometry
        ``hostel_distance_m``         float64      metres to it in EPSG:5514; NaN likewise
        ``in_hostel_buffer``          boolean      distance <= ``config.hostel_buffer_m``;
                                                   NA without geometry, False without hostels
        ============================  ===========  ============================================

        A point on the border of two districts (or in two overlapping SVLs) takes the first
        polygon in layer order. ``attrs["params"]`` records the buffer and the counts.

    Raises
    ------
    SchemaError
        If ``incidents`` is not a GeoDataFrame or holds non-point geometries.
    CRSError
        If ``incidents`` has no CRS.

    Examples
    --------
    >>> from apk_geo.config import Config
    >>> cfg = Config()
    >>> ctx = load_context(cfg)
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([18.2893], [49.8413]), crs=4326)
    >>> enrich(pts, ctx, config=cfg)["district_name"].iloc[0]
    'Moravská Ostrava a Přívoz'
    """
    has_geom = _located_points(incidents)
    geoms = _points_5514(incidents.geometry.to_numpy()[has_geom], crs=incidents.crs)
    xy = shapely.get_coordinates(geoms)
    district = _spread(_first_containing(geoms, xy, context.districts), has_geom)
    svl = _spread(_first_containing(geoms, xy, context.svl), has_geom)
    hostel, hostel_distance = _nearest_hostels(geoms, context.hostels, has_geom)
    _warn_unmapped(context.districts, district, config.mdt_areas)

    out = incidents.copy()
    out["district_code"] = _take(context.districts["KOD"], district)
    out["district_name"] = _take(context.districts["NAZEV"], district)
    areas = context.districts["NAZEV"].astype("string").map(dict(config.mdt_areas))
    out["mdt_area"] = _take(areas, district)
    out["svl_name"] = _take(context.svl["name"], svl)
    out["hostel_name"] = _take(context.hostels["name"], hostel)
    out["hostel_distance_m"] = hostel_distance
    # NaN (no hostel) is not within the buffer; rows without a location are NA
    within = hostel_distance <= config.hostel_buffer_m
    out["in_hostel_buffer"] = pd.arrays.BooleanArray(within, ~has_geom)
    params = {
        "hostel_buffer_m": float(config.hostel_buffer_m),
        "n_points": int(has_geom.sum()),
        "n_without_geometry": int((~has_geom).sum()),
        "n_outside_districts": int(has_geom.sum() - out["district_code"].notna().sum()),
        "n_in_svl": int(out["svl_name"].notna().sum()),
        "n_in_hostel_buffer": int(out["in_hostel_buffer"].fillna(False).sum()),
    }
    out.attrs["params"] = {**incidents.attrs.get("params", {}), "enrich": params}
    logger.info("enrich: %s", params)
    return out


# --------------------------------------------------------------------------- spatial joins
#
# Every join works on whole arrays: shapely's STRtree answers all points (or all polygons) in one
# call, and a point is matched to a polygon exactly as geopandas.sjoin(predicate="intersects")
# would match it (the boundary belongs to the polygon; a point in several polygons takes the
# first in layer order). For a layer of valid polygons two shortcuts give the same answer:
#
# * a lattice of cells over the layer: a cell that one polygon contains properly (with a margin
#   far larger than any rounding of the point's cell index) and that no other polygon touches
#   decides every point in it; a cell that touches no polygon decides "none" (only the cells
#   along polygon boundaries are refined once, then left to the exact test);
# * the exact test for the remaining points asks the other way round: which points does each
#   (prepared) polygon *cover*. For a point P and any geometry A, "P intersects A" and
#   "A covers P" both mean P lies in the closed set A.
#
# An invalid polygon (a bow-tie, overlapping parts) can give GEOS's two point-in-polygon
# routines different answers, so such a layer takes the plain path: points queried against an
# STRtree of the polygons with "intersects", the predicate geopandas.sjoin uses.

#: Points from which the lattice shortcut pays for building it.
_LATTICE_MIN_POINTS: Final = 20_000
#: Coarse lattice cells along the longer side of the layer's bounding box …
_LATTICE_CELLS: Final = 64
#: … and the refinement of each undecided coarse cell (per axis, a power of two).
_LATTICE_REFINE: Final = 4
#: Margin around each lattice cell, as a share of the fine cell size (rounding of the cell index
#: of a point is ~1e-9 m; the margin is centimetres).
_LATTICE_MARGIN: Final = 1e-3
#: Up to this many hostels every point is measured to each (faster than the STRtree's nearest
#: query, whose cost grows faster than the number of points) …
_NEAREST_BY_DISTANCE_MAX: Final = 16
#: … in blocks of this many point–hostel distances.
_DISTANCE_BLOCK: Final = 4_000_000
#: Points per STRtree of the exact test: trees of a few thousand points answer a million points
#: several times faster than one tree of them all (and keep the cost linear).
_EXACT_BLOCK: Final = 4096
#: Lattice values: no polygon / not decided (polygon rows are 0..n-1).
_NONE: Final = -1
_UNDECIDED: Final = -2


def _located_points(incidents: gpd.GeoDataFrame) -> np.ndarray:
    """Check that ``incidents`` are points with a CRS; return the mask of located rows."""
    if not isinstance(incidents, gpd.GeoDataFrame):
        raise SchemaError(f"incidents must be a GeoDataFrame, got {type(incidents).__name__}")
    require_crs(incidents, name="incidents")
    geoms = incidents.geometry.to_numpy()
    has_geom: np.ndarray = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if (shapely.get_type_id(geoms[has_geom]) != shapely.GeometryType.POINT).any():
        types = set(incidents.geometry[has_geom].geom_type.unique())
        raise SchemaError(f"incidents must hold Point geometries; found {sorted(types)}")
    return has_geom


def _points_5514(geoms: np.ndarray, *, crs: object) -> np.ndarray:
    """Return the points in EPSG:5514 (the same array when they are in it already)."""
    if CRS.from_user_input(crs).is_exact_same(CRS.from_user_input(CRS_METRIC)):
        return geoms  # what GeoSeries.to_crs does for the same CRS, without building a series
    projected: np.ndarray = gpd.GeoSeries(geoms, crs=crs).to_crs(CRS_METRIC).to_numpy()
    return projected


def _nearest_hostels(
    points: np.ndarray, hostels: gpd.GeoDataFrame, has_geom: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return per incident the nearest hostel's row (-1 if none) and the metres to it (NaN)."""
    rows = np.full(len(has_geom), _NONE, dtype=np.intp)
    distance = np.full(len(has_geom), np.nan)
    if len(hostels) and len(points):
        rows[has_geom], distance[has_geom] = _nearest(points, hostels)
    return rows, distance


def _warn_unmapped(
    districts: gpd.GeoDataFrame, rows: np.ndarray, mdt_areas: Mapping[str, str]
) -> None:
    """Log the districts holding incidents that the configuration gives no MDT area."""
    used = districts["NAZEV"].astype("string").iloc[np.unique(rows[rows >= 0])]
    unmapped = sorted(set(used.dropna()) - set(mdt_areas))
    if unmapped:
        logger.warning("districts without an MDT area in the configuration: %s", unmapped)


def _spread(rows: np.ndarray, has_geom: np.ndarray) -> np.ndarray:
    """Return ``rows`` (one per located point) placed at the located rows; -1 elsewhere."""
    full = np.full(len(has_geom), _NONE, dtype=np.intp)
    full[has_geom] = rows
    return full


def _take(values: pd.Series, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Return ``values`` (a layer column) at ``rows`` as a string array; NA where ``rows`` < 0."""
    return values.astype("string").array.take(rows, allow_fill=True)


def _first_containing(points: np.ndarray, xy: np.ndarray, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """Return per point (EPSG:5514, coordinates ``xy``) the first polygon row holding it, or -1."""
    rows = np.full(len(points), _NONE, dtype=np.intp)
    polys = polygons.geometry.to_numpy()
    if len(points) == 0 or len(polys) == 0:
        return rows
    if not _valid_polygons(polys):
        point_i, poly_i = shapely.STRtree(polys).query(points, predicate="intersects")
        return _first_hit(point_i, poly_i, rows)
    polys = shapely.from_wkb(shapely.to_wkb(polys))  # private copies to prepare
    shapely.prepare(polys)
    todo = np.arange(len(points))
    if len(points) >= _LATTICE_MIN_POINTS:
        decided = _lattice_lookup(polys, xy)
        rows = np.where(decided == _UNDECIDED, _NONE, decided).astype(np.intp)
        todo = np.flatnonzero(decided == _UNDECIDED)
    for lo in range(0, len(todo), _EXACT_BLOCK):  # small trees stay in the cache
        block = todo[lo : lo + _EXACT_BLOCK]
        poly_i, point_i = shapely.STRtree(points[block]).query(polys, predicate="covers")
        rows[block] = _first_hit(point_i, poly_i, np.full(len(block), _NONE, dtype=np.intp))
    return rows


def _valid_polygons(polys: np.ndarray) -> bool:
    """Return whether every geometry is a valid (multi)polygon, or missing/empty."""
    present = ~(shapely.is_missing(polys) | shapely.is_empty(polys))
    kinds = shapely.get_type_id(polys[present])
    polygonal = np.isin(kinds, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    return bool(polygonal.all() and shapely.is_valid(polys[present]).all())


def _first_hit(point_i: np.ndarray, poly_i: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Fill ``rows[point] = smallest polygon row`` from (point, polygon) pairs."""
    order = np.lexsort((poly_i, point_i))
    point_i, poly_i = point_i[order], poly_i[order]
    first = np.ones(len(point_i), dtype=bool)
    first[1:] = point_i[1:] != point_i[:-1]
    rows[point_i[first]] = poly_i[first]
    return rows


def _lattice_lookup(polys: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Return per point the polygon row its lattice cell decides, -1 (none) or -2 (undecided).

    ``polys`` are valid, prepared polygons; see the comment above :data:`_LATTICE_MIN_POINTS`.
    """
    minx, miny, maxx, maxy = shapely.total_bounds(polys)
    coarse = max(maxx - minx, maxy - miny) / _LATTICE_CELLS
    fine = coarse / _LATTICE_REFINE
    margin = fine * _LATTICE_MARGIN
    x0, y0 = minx - margin, miny - margin
    nx = int(np.ceil((maxx + margin - x0) / coarse))
    ny = int(np.ceil((maxy + margin - y0) / coarse))
    cx, cy = np.meshgrid(np.arange(nx), np.arange(ny))
    values = _classify_cells(polys, x0, y0, coarse, margin, cx.ravel(), cy.ravel())
    table = np.kron(values.reshape(ny, nx), np.ones((_LATTICE_REFINE,) * 2, dtype=np.int64))
    undecided = np.flatnonzero(values == _UNDECIDED)
    if len(undecided):
        sx, sy = np.meshgrid(np.arange(_LATTICE_REFINE), np.arange(_LATTICE_REFINE))
        fx = ((undecided % nx)[:, None, None] * _LATTICE_REFINE + sx[None]).ravel()
        fy = ((undecided // nx)[:, None, None] * _LATTICE_REFINE + sy[None]).ravel()
        table[fy, fx] = _classify_cells(polys, x0, y0, fine, margin, fx, fy)
    x, y = xy[:, 0], xy[:, 1]
    inside = (x >= x0) & (x < x0 + nx * coarse) & (y >= y0) & (y < y0 + ny * coarse)
    col = np.clip(np.floor((x[inside] - x0) / fine), 0, table.shape[1] - 1).astype(np.intp)
    row = np.clip(np.floor((y[inside] - y0) / fine), 0, table.shape[0] - 1).astype(np.intp)
    out = np.full(len(xy), _NONE, dtype=np.int64)  # outside the layer's bounds: no polygon
    out[inside] = table[row, col]
    return out


def _classify_cells(
    polys: np.ndarray,
    x0: float,
    y0: float,
    size: float,
    margin: float,
    cx: np.ndarray,
    cy: np.ndarray,
) -> np.ndarray:
    """Return per lattice cell (``cx``, ``cy``) the polygon deciding it, -1 or -2."""
    left, bottom = x0 + cx * size - margin, y0 + cy * size - margin
    cells = shapely.box(left, bottom, left + size + 2 * margin, bottom + size + 2 * margin)
    poly_i, cell_i = shapely.STRtree(cells).query(polys, predicate="intersects")
    touching = np.bincount(cell_i, minlength=len(cells))
    values = np.where(touching == 0, _NONE, _UNDECIDED).astype(np.int64)
    single = touching[cell_i] == 1
    inside = shapely.contains_properly(polys[poly_i[single]], cells[cell_i[single]])
    values[cell_i[single][inside]] = poly_i[single][inside]
    return values


def _nearest(points: np.ndarray, others: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return per point (EPSG:5514) the row of the nearest feature (-1 if none) and metres to it.

    Ties go to the first row, as :func:`geopandas.sjoin_nearest` followed by a stable sort.
    """
    geoms = others.geometry.to_numpy()
    if len(geoms) <= _NEAREST_BY_DISTANCE_MAX:
        return _nearest_by_distance(points, geoms)
    return _nearest_by_tree(points, geoms)


def _nearest_by_distance(points: np.ndarray, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Measure every point to every feature; the first of equal minima is the lowest row.

    The distance is GEOS's, the one the STRtree's nearest query measures with, so rows, ties and
    metres are the query's. Points go in blocks of a million or so, never one by one.
    """
    rows = np.full(len(points), _NONE, dtype=np.intp)
    distance = np.full(len(points), np.nan)
    block = max(1, _DISTANCE_BLOCK // max(len(geoms), 1))
    for lo in range(0, len(points), block):
        dist = shapely.distance(points[lo : lo + block, None], geoms[None, :])
        dist[np.isnan(dist)] = np.inf  # a feature without geometry is never the nearest
        best = np.argmin(dist, axis=1)
        metres = np.take_along_axis(dist, best[:, None], axis=1)[:, 0]
        found = np.isfinite(metres)
        rows[lo : lo + block] = np.where(found, best, _NONE)
        distance[lo : lo + block] = np.where(found, metres, np.nan)
    return rows, distance


def _nearest_by_tree(points: np.ndarray, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ask an STRtree of the features for every equally nearest one; keep the lowest row."""
    tree = shapely.STRtree(geoms)
    pairs, dist = tree.query_nearest(points, all_matches=True, return_distance=True)
    order = np.lexsort((pairs[1], pairs[0]))
    point_i, row_i, dist = pairs[0][order], pairs[1][order], dist[order]
    first = np.ones(len(point_i), dtype=bool)
    first[1:] = point_i[1:] != point_i[:-1]
    rows = np.full(len(points), _NONE, dtype=np.intp)
    distance = np.full(len(points), np.nan)
    rows[point_i[first]] = row_i[first]
    distance[point_i[first]] = dist[first]
    return rows, distance
