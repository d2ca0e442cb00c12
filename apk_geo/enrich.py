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

The joins are vectorised (:func:`geopandas.sjoin`, :func:`geopandas.sjoin_nearest`) and take well
under a second for tens of thousands of incidents.
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
    if not isinstance(incidents, gpd.GeoDataFrame):
        raise SchemaError(f"incidents must be a GeoDataFrame, got {type(incidents).__name__}")
    require_crs(incidents, name="incidents")
    geom = incidents.geometry
    has_geom = ~(geom.isna() | geom.is_empty).to_numpy()
    types = set(geom[has_geom].geom_type.unique())
    if not types <= {"Point"}:
        raise SchemaError(f"incidents must hold Point geometries; found {sorted(types)}")

    n = len(incidents)
    pts = gpd.GeoDataFrame(
        {"_pos": np.flatnonzero(has_geom)},
        geometry=gpd.GeoSeries(geom.to_numpy()[has_geom], crs=incidents.crs).to_crs(CRS_METRIC),
        crs=CRS_METRIC,
    )

    district_code = np.full(n, pd.NA, dtype=object)
    district_name = np.full(n, pd.NA, dtype=object)
    pos, idx = _first_containing(pts, context.districts)
    district_code[pos] = context.districts["KOD"].astype("string").to_numpy()[idx]
    district_name[pos] = context.districts["NAZEV"].astype("string").to_numpy()[idx]
    names = pd.Series(district_name, dtype="string")
    mdt = names.map(lambda d: config.mdt_areas.get(d) if isinstance(d, str) else pd.NA)
    unmapped = sorted(set(names.dropna()) - set(config.mdt_areas))
    if unmapped:
        logger.warning("districts without an MDT area in the configuration: %s", unmapped)

    svl_name = np.full(n, pd.NA, dtype=object)
    pos, idx = _first_containing(pts, context.svl)
    svl_name[pos] = context.svl["name"].astype("string").to_numpy()[idx]

    hostel_name = np.full(n, pd.NA, dtype=object)
    hostel_distance = np.full(n, np.nan)
    in_buffer = pd.array(np.zeros(n, dtype=bool), dtype="boolean")
    in_buffer[~has_geom] = pd.NA
    if len(context.hostels) and len(pts):
        pos, idx, dist = _nearest(pts, context.hostels)
        hostel_name[pos] = context.hostels["name"].astype("string").to_numpy()[idx]
        hostel_distance[pos] = dist
        in_buffer[pos] = dist <= config.hostel_buffer_m

    out = incidents.copy()
    out["district_code"] = pd.array(district_code, dtype="string")
    out["district_name"] = pd.array(district_name, dtype="string")
    out["mdt_area"] = pd.array(mdt.to_numpy(dtype=object), dtype="string")
    out["svl_name"] = pd.array(svl_name, dtype="string")
    out["hostel_name"] = pd.array(hostel_name, dtype="string")
    out["hostel_distance_m"] = hostel_distance
    out["in_hostel_buffer"] = in_buffer
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


def _first_containing(
    pts: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Return (position in the incidents, row of ``polygons``) for the first polygon per point."""
    if pts.empty or polygons.empty:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    poly = gpd.GeoDataFrame(
        {"_row": np.arange(len(polygons))}, geometry=polygons.geometry.values, crs=polygons.crs
    )
    joined = gpd.sjoin(pts, poly, how="inner", predicate="intersects")
    joined = joined.sort_values(["_pos", "_row"], kind="stable").drop_duplicates("_pos")
    return joined["_pos"].to_numpy(), joined["_row"].to_numpy()


def _nearest(
    pts: gpd.GeoDataFrame, others: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (position, row of ``others``, distance in metres) of the nearest feature per point."""
    other = gpd.GeoDataFrame(
        {"_row": np.arange(len(others))}, geometry=others.geometry.values, crs=others.crs
    )
    joined = gpd.sjoin_nearest(pts, other, how="inner", distance_col="_dist")
    joined = joined.sort_values(["_pos", "_row"], kind="stable").drop_duplicates("_pos")
    return (
        joined["_pos"].to_numpy(),
        joined["_row"].to_numpy(),
        joined["_dist"].to_numpy(dtype=float),
    )
