"""Offline folium maps of incidents, context layers and hotspot results.

Every map loads its scripts and stylesheets from the locally installed vendor folder
(:mod:`apk_geo.assets`), needs no tiles by default (district and city outlines are vector layers)
and carries the data attribution in its attribution line. Every text taken from a record (category,
outcome, cluster label, place names) is HTML-escaped before it reaches the browser, so a value such
as ``<script>`` is shown as text. Popups show category, date, outcome and geocoding quality only:
never notes, assistant codes or addresses.

With many incidents (more than ``max_points``) the map sends counts per square cell instead of the
points, so the page stays small and fast (about 1 MB for 100,000 incidents).
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import FastMarkerCluster, HeatMap
from folium.utilities import JsCode

from apk_geo import assets, fmt, map_style
from apk_geo._validate import require_columns, require_crs, require_positive
from apk_geo.basemap import LocalBasemap
from apk_geo.errors import ParameterError
from apk_geo.i18n import t
from apk_geo.io.columns import value_label
from apk_geo.map_style import (
    COUNT_COLOURS,
    LAYER_KEYS,
    RISK_COLOURS,
    Legend,
    Script,
    controls_js,
    css_js,
    fit_view,
    label_points,
    labels_js,
    layer_state_js,
    legend_html,
    memo_by_content,
    narrow_js,
    quantile_colours,
)
from apk_geo.methods import METHODS
from apk_geo.schema import CRS_METRIC, CRS_WEB, label_of

logger = logging.getLogger(__name__)

TileChoice = Literal["none", "local", "osm", "cuzk_ortho"]
#: Re-exported from :mod:`apk_geo.map_style` (older name of the count colours).
SEQUENTIAL: Final = COUNT_COLOURS
#: URL path of the local base map's tiles (served by the dashboard, see apk_geo.basemap).
LOCAL_TILES_URL: Final = "/basemap/{z}/{x}/{y}.png"

# Re-exported from apk_geo.map_style (palettes, attribution, provenance live there).
DATA_ATTRIBUTION: Final = map_style.DATA_ATTRIBUTION
LAYER_PROVENANCE: Final = map_style.LAYER_PROVENANCE
TILES: Final = map_style.TILES
GISTAR_COLOURS: Final = map_style.GISTAR_COLOURS
CLUSTER_COLOUR: Final = map_style.CLUSTER_COLOUR
HOSTEL_COLOUR: Final = map_style.HOSTEL_COLOUR
SVL_COLOUR: Final = map_style.SVL_COLOUR
layer_provenance = map_style.layer_provenance

_MAP_JS: Final = ("leaflet", "jquery", "bootstrap", "awesome_markers")
_MAP_CSS: Final = (
    "leaflet_css",
    "bootstrap_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
)
_CLUSTER_JS: Final = ("markercluster",)
_CLUSTER_CSS: Final = ("markerclustercss", "markerclusterdefaultcss")
_HEAT_JS: Final = ("leaflet-heat.js",)
_PRECISION_DEG: Final = 1e-5  # about 1 m; keeps the GeoJSON payload small

_POINT_CALLBACK: Final = """function (row) {
    var m = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 5, color: "#08306b", weight: 1, fillColor: "#2171b5", fillOpacity: 0.8});
    m.bindPopup(row[2], {maxWidth: 260});
    return m;
}"""


def esc(value: object) -> str:
    """Return ``value`` as HTML-escaped text (``None``/NaN as an empty string)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(str(value), quote=True)


def _localise(element: Any, js: Sequence[str], css: Sequence[str], base_url: str) -> None:
    """Point one folium element's script and stylesheet links at the local vendor folder."""
    element.default_js = assets.links(js, base_url=base_url)
    element.default_css = assets.links(css, base_url=base_url)


def _to_web(gdf: gpd.GeoDataFrame, *, name: str, simplify_m: float = 0.0) -> gpd.GeoDataFrame:
    """Return a copy in EPSG:4326 with coordinates rounded to about 1 m."""
    require_crs(gdf, name=name)
    out = gdf[~gdf.geometry.isna() & ~gdf.geometry.is_empty]
    if simplify_m > 0:
        metric = out.to_crs(CRS_METRIC)
        out = metric.set_geometry(metric.geometry.simplify(simplify_m)).to_crs(CRS_WEB)
    else:
        out = out.to_crs(CRS_WEB)
    return out.set_geometry(shapely.set_precision(out.geometry.values, _PRECISION_DEG))


def _geojson(gdf: gpd.GeoDataFrame, props: Mapping[str, pd.Series]) -> dict[str, Any]:
    """Return a FeatureCollection with only the given (already escaped) properties."""
    frame = gpd.GeoDataFrame(
        {k: list(v) for k, v in props.items()}, geometry=list(gdf.geometry), crs=gdf.crs
    )
    data: dict[str, Any] = json.loads(frame.to_json(drop_id=True))
    return data


def base_map(
    *,
    bounds_4326: tuple[float, float, float, float] | None = None,
    tiles: TileChoice = "none",
    lang: str = "cs",
    synthetic: bool = False,
    asset_base_url: str = assets.STREAMLIT_VENDOR_URL,
    height_px: int = 600,
    local_basemap: LocalBasemap | None = None,
) -> folium.Map:
    """Return an empty offline map with the data attribution and local assets.

    Parameters
    ----------
    bounds_4326
        ``(minx, miny, maxx, maxy)`` in degrees to fit; ``None`` centres on Ostrava.
    tiles
        ``"none"`` (vector outlines only, works offline), ``"local"`` (the city's MBTiles
        file served by the dashboard, ``local_basemap``), ``"osm"`` or ``"cuzk_ortho"``.
    lang
        ``"cs"`` or ``"en"`` for the attribution note.
    synthetic
        Add "syntetická demo data" to the attribution line.
    asset_base_url
        URL under which the vendor folder is served.
    height_px
        Height of the map.
    local_basemap
        The local base map (:meth:`apk_geo.basemap.MBTiles.describe`), needed by
        ``tiles="local"``.

    Returns
    -------
    folium.Map
        With a metric-only scale bar and a one-line attribution (full text on tap).
    """
    if tiles not in ("none", "local", *TILES):
        raise ParameterError(f"tiles must be 'none', 'local', 'osm' or 'cuzk_ortho'; got {tiles!r}")
    if tiles == "local" and local_basemap is None:
        raise ParameterError("tiles='local' needs local_basemap (an MBTiles file); none is set")
    centre, zoom = (49.82, 18.26), 12
    if bounds_4326 is not None:
        centre, zoom = fit_view(bounds_4326, height_px=height_px)
    m = folium.Map(
        location=list(centre),
        zoom_start=zoom,
        tiles=None,
        height=height_px,
        control_scale=False,
        prefer_canvas=False,
    )
    # MarkerCluster needs the map's maxZoom, which otherwise only a tile layer would set
    # (folium passes max_zoom to the tile layer, not to the map).
    m.options["max_zoom"] = 19
    m.options["min_zoom"] = 8
    _localise(m, _MAP_JS, _MAP_CSS, asset_base_url)
    image_path = f"{asset_base_url.rstrip('/')}/leaflet/images/"
    m.add_child(Script(f"L.Icon.Default.imagePath = {json.dumps(image_path)};"))
    attribution = DATA_ATTRIBUTION
    if synthetic:
        attribution += f" · <b>{esc(t('map.synthetic_data', lang))}</b>"
    m.add_child(
        Script(f"{m.get_name()}.attributionControl.addAttribution({json.dumps(attribution)});")
    )
    m.add_child(Script(css_js() + controls_js(m.get_name())))
    if tiles == "local" and local_basemap is not None:
        folium.TileLayer(
            local_basemap.url,
            attr=esc(local_basemap.attribution),
            name=t("map.tiles_local", lang),
            min_zoom=local_basemap.min_zoom,
            max_zoom=19,
            max_native_zoom=local_basemap.max_zoom,
            overlay=False,
        ).add_to(m)
    elif tiles != "none":
        url, attr = TILES[str(tiles)]
        folium.TileLayer(
            url, attr=attr, name=t(f"map.tiles_{tiles}", lang), max_zoom=19, overlay=False
        ).add_to(m)
    if bounds_4326 is not None:
        minx, miny, maxx, maxy = bounds_4326
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def popup_html(
    row: Mapping[str, Any],
    *,
    lang: str = "cs",
    tier: Literal["presenter", "internal"] = "presenter",
) -> str:
    """Return the escaped popup of one incident: category, date, outcome, geocoding quality.

    The ``"internal"`` tier (the dashboard's mentors and analysts) adds the address; notes and
    assistant codes are never included, nor is the address in the ``"presenter"`` tier.
    """
    when = row.get("reported_at")
    date = fmt.date_time(pd.Timestamp(when), lang) if pd.notna(when) else ""
    match = row.get("match")
    score = row.get("score")
    quality = esc(str(value_label("match", match, lang)) if pd.notna(match) else "")
    if score is not None and pd.notna(score):
        quality += f" ({fmt.integer(round(float(score)), lang)})"
    parts = [
        (t("field.category", lang), label_of(str(row.get("category")), lang=lang)),
        (t("field.date", lang), date),
        (t("field.outcome", lang), label_of(str(row.get("outcome")), kind="outcome", lang=lang)),
    ]
    address = row.get("address")
    if tier == "internal" and isinstance(address, str) and address.strip():
        parts.append((t("field.address", lang), address))
    body = "<br>".join(f"<b>{esc(k)}:</b> {esc(v)}" for k, v in parts)
    return f"{body}<br><b>{esc(t('field.geocoding', lang))}:</b> {quality}"


def aggregate_points(points: gpd.GeoDataFrame, *, cell_size_m: float = 250.0) -> gpd.GeoDataFrame:
    """Count points per square cell of ``cell_size_m`` (aligned to multiples of it in EPSG:5514).

    Parameters
    ----------
    points
        Point layer with a CRS; empty geometries are ignored.
    cell_size_m
        Side of a cell in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per non-empty cell: ``n`` (int) and a square Polygon in EPSG:5514, sorted by
        ``n`` descending.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(-470010, -1100010), Point(-470020, -1100020),
    ...                                  Point(-469900, -1100010)], crs="EPSG:5514")
    >>> aggregate_points(pts, cell_size_m=100)["n"].tolist()
    [2, 1]
    """
    require_positive(cell_size_m, name="cell_size_m")
    require_crs(points, name="points")
    pts = points[~points.geometry.isna() & ~points.geometry.is_empty].to_crs(CRS_METRIC)
    if pts.empty:
        return gpd.GeoDataFrame({"n": pd.Series([], dtype="int64")}, geometry=[], crs=CRS_METRIC)
    ix = np.floor(pts.geometry.x.to_numpy() / cell_size_m).astype(np.int64)
    iy = np.floor(pts.geometry.y.to_numpy() / cell_size_m).astype(np.int64)
    counts = pd.DataFrame({"ix": ix, "iy": iy}).value_counts().rename("n").reset_index()
    counts = counts.sort_values(["n", "ix", "iy"], ascending=[False, True, True])
    x0 = counts["ix"].to_numpy() * cell_size_m
    y0 = counts["iy"].to_numpy() * cell_size_m
    geoms = shapely.box(x0, y0, x0 + cell_size_m, y0 + cell_size_m)
    return gpd.GeoDataFrame(
        {"n": counts["n"].to_numpy().astype("int64")}, geometry=geoms, crs=CRS_METRIC
    ).reset_index(drop=True)


def _quantile(values: pd.Series, palette: Sequence[str] = COUNT_COLOURS) -> list[str]:
    return quantile_colours(values, palette)


def _style(
    colour_key: str, *, weight: float = 0.5, opacity: float = 0.7, line: str | None = None
) -> Any:
    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = feature["properties"][colour_key]
        return {
            "fillColor": colour,
            "color": line or colour,
            "weight": weight,
            "fillOpacity": opacity,
        }

    return style


def _outline(
    m: folium.Map,
    gdf: gpd.GeoDataFrame | None,
    *,
    name: str,
    label_col: str | None,
    colour: str,
    weight: float,
    show: bool = True,
    fill: float = 0.0,
) -> None:
    if gdf is None or gdf.empty:
        return
    data = _outline_geojson(gdf, name=name, label_col=label_col)
    style = {"color": colour, "weight": weight, "fill": fill > 0, "fillOpacity": fill}
    layer = folium.GeoJson(
        data,
        name=name,
        show=show,
        style_function=lambda _f: style,
        tooltip=folium.GeoJsonTooltip(["label"], labels=False) if label_col else None,
    )
    layer.add_to(m)


@memo_by_content
def _outline_geojson(gdf: gpd.GeoDataFrame, *, name: str, label_col: str | None) -> dict[str, Any]:
    """Return a context layer as simplified GeoJSON with escaped labels (memoised by content)."""
    web = _to_web(gdf, name=name, simplify_m=5.0)
    label = (
        web[label_col].map(esc) if label_col and label_col in web else pd.Series([""] * len(web))
    )
    return _geojson(web, {"label": label})


def add_context(
    m: folium.Map,
    *,
    districts: gpd.GeoDataFrame | None = None,
    city: gpd.GeoDataFrame | None = None,
    svl: gpd.GeoDataFrame | None = None,
    hostels: gpd.GeoDataFrame | None = None,
    hostel_buffer_m: float = 250.0,
    lang: str = "cs",
) -> folium.Map:
    """Add the city outline, districts, SVL boundaries and hostels with buffers to ``m``.

    Returns ``m`` (modified in place, as folium maps are built up).
    """
    _outline(m, city, name=t("layer.city", lang), label_col=None, colour="#252525", weight=2.5)
    _outline(
        m,
        districts,
        name=t("layer.districts", lang),
        label_col="NAZEV",
        colour="#525252",
        weight=1.0,
    )
    _outline(
        m,
        svl,
        name=t("layer.svl", lang),
        label_col="name",
        colour=SVL_COLOUR,
        weight=2.0,
        fill=0.15,
    )
    if hostels is not None and not hostels.empty:
        require_positive(hostel_buffer_m, name="hostel_buffer_m")
        metric = hostels.to_crs(CRS_METRIC)
        buffers = metric.set_geometry(metric.geometry.buffer(hostel_buffer_m))
        _outline(
            m,
            buffers,
            name=t("layer.hostels", lang),
            label_col="name",
            colour=HOSTEL_COLOUR,
            weight=1.5,
            fill=0.2,
        )
    return m


def add_incidents(
    m: folium.Map,
    incidents: gpd.GeoDataFrame,
    *,
    lang: str = "cs",
    max_points: int = 2000,
    aggregate_cell_m: float = 250.0,
    heat: bool = True,
    asset_base_url: str = assets.STREAMLIT_VENDOR_URL,
    tier: Literal["presenter", "internal"] = "presenter",
) -> str:
    """Add incidents as clustered markers (or counts per cell when many) and a heat layer.

    Parameters
    ----------
    m
        The map to add to.
    incidents
        Incident points with a CRS; rows with empty geometry are skipped.
    lang
        Language of popups and layer names.
    max_points
        Above this many points, counts per ``aggregate_cell_m`` cell are sent instead.
    aggregate_cell_m
        Cell side for the aggregated view and the heat layer of many points, in metres.
    heat
        Add a heat layer (off when the map opens).
    asset_base_url
        URL of the vendor folder.
    tier
        ``"internal"`` puts the address into the popups (see :func:`popup_html`).

    Returns
    -------
    str
        ``"points"``, ``"cells"`` or ``"empty"``: what was drawn.
    """
    require_crs(incidents, name="incidents")
    pts = incidents[~incidents.geometry.isna() & ~incidents.geometry.is_empty]
    if pts.empty:
        return "empty"
    if len(pts) <= max_points:
        web = pts.to_crs(CRS_WEB)
        lat = np.round(web.geometry.y.to_numpy(), 5)
        lon = np.round(web.geometry.x.to_numpy(), 5)
        records = web.drop(columns=web.geometry.name).to_dict("records")
        data = [
            [float(a), float(o), popup_html(r, lang=lang, tier=tier)]
            for a, o, r in zip(lat, lon, records, strict=True)
        ]
        cluster = FastMarkerCluster(data, callback=_POINT_CALLBACK, name=t("layer.incidents", lang))
        _localise(cluster, _CLUSTER_JS, _CLUSTER_CSS, asset_base_url)
        cluster.add_to(m)
        heat_data = [[float(a), float(o)] for a, o in zip(lat, lon, strict=True)]
        mode = "points"
    else:
        cells = aggregate_points(pts, cell_size_m=aggregate_cell_m)
        logger.info(
            "map: %d incidents > max_points=%d; sending %d cells of %.0f m",
            len(pts),
            max_points,
            len(cells),
            aggregate_cell_m,
        )
        web = _to_web(cells, name="cells")
        colour = pd.Series(_quantile(cells["n"].astype(float)))
        tip = cells["n"].map(lambda n: f"{esc(t('field.incidents', lang))}: {int(n)}")
        data_fc = _geojson(web, {"colour": colour, "tip": tip})
        folium.GeoJson(
            data_fc,
            name=t("layer.incident_cells", lang),
            style_function=_style("colour", weight=0.3, opacity=0.75),
            tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
        ).add_to(m)
        centres = gpd.GeoSeries(cells.geometry.centroid, crs=CRS_METRIC).to_crs(CRS_WEB)
        heat_data = [
            [round(float(c.y), 5), round(float(c.x), 5), int(n)]
            for c, n in zip(centres, cells["n"], strict=True)
        ]
        mode = "cells"
    if heat:
        layer = HeatMap(heat_data, name=t("layer.heat", lang), show=False, radius=18, blur=15)
        _localise(layer, _HEAT_JS, (), asset_base_url)
        layer.add_to(m)
    return mode


def add_hotspots(
    m: folium.Map,
    *,
    cells: gpd.GeoDataFrame | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    risk: gpd.GeoDataFrame | None = None,
    surface: gpd.GeoDataFrame | None = None,
    surface_col: str = "density_km2",
    surface_name: str | None = None,
    lang: str = "cs",
    max_risk_cells: int = 400,
) -> folium.Map:
    """Add Gi* classes on the grid, cluster polygons, a method's surface and the risk surface.

    Parameters
    ----------
    m
        The map.
    cells
        Grid with ``hotspot_class`` (−3..3); cells of class 0 are not drawn.
    clusters
        Cluster polygons with ``label`` and ``n``.
    risk
        Grid with ``risk``; the ``max_risk_cells`` highest are drawn in the risk palette
        (:data:`RISK_COLOURS`), shown.
    surface, surface_col, surface_name
        Grid of a method drawn as a surface (``METHODS[...].layer == "surface"``: KDE density,
        forecast risk) with its value column and layer name; the ``max_risk_cells`` highest
        cells are drawn, shown at first.
    lang
        Language.
    max_risk_cells
        Cap on drawn surface cells (keeps the page small).
    """
    if cells is not None and not cells.empty:
        require_columns(cells, ["hotspot_class"], name="cells")
        sig = cells[cells["hotspot_class"].fillna(0).astype(int) != 0]
        if not sig.empty:
            web = _to_web(sig, name="cells")
            cls = sig["hotspot_class"].astype(int)
            colour = cls.map(GISTAR_COLOURS)
            tip = cls.map(lambda c: esc(t(f"gistar.class_{c}", lang)))
            folium.GeoJson(
                _geojson(web, {"colour": colour, "tip": tip}),
                name=t("layer.gistar", lang),
                style_function=_style("colour"),
                tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
            ).add_to(m)
    if clusters is not None and not clusters.empty:
        require_columns(clusters, ["label"], name="clusters")
        web = _to_web(clusters, name="clusters")
        n = clusters["n"] if "n" in clusters else pd.Series([""] * len(clusters))
        tip = [f"{esc(lab)} ({esc(k)})" for lab, k in zip(clusters["label"], n, strict=True)]
        folium.GeoJson(
            _geojson(web, {"tip": pd.Series(tip)}),
            name=t("layer.clusters", lang),
            style_function=lambda _f: {"color": CLUSTER_COLOUR, "weight": 2, "fillOpacity": 0.15},
            tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
        ).add_to(m)
    if surface is not None and not surface.empty:
        _add_surface(
            m,
            surface,
            column=surface_col,
            name=surface_name or surface_col,
            show=True,
            palette=RISK_COLOURS if surface_col == "risk" else COUNT_COLOURS,
            lang=lang,
            max_cells=max_risk_cells,
        )
    if risk is not None and not risk.empty:
        _add_surface(
            m,
            risk,
            column="risk",
            name=t("layer.risk", lang),
            show=True,
            palette=RISK_COLOURS,
            lang=lang,
            max_cells=max_risk_cells,
        )
    return m


def _add_surface(
    m: folium.Map,
    cells: gpd.GeoDataFrame,
    *,
    column: str,
    name: str,
    show: bool,
    lang: str,
    max_cells: int,
    palette: Sequence[str] = COUNT_COLOURS,
) -> None:
    """Draw the ``max_cells`` highest cells of ``column`` in five quantile classes."""
    require_columns(cells, [column], name=name)
    top = cells.sort_values(column, ascending=False).head(max_cells)
    web = _to_web(top, name=name)
    colour = pd.Series(_quantile(top[column].astype(float), palette))
    label = esc(t("field.risk", lang)) if column == "risk" else esc(name)
    tip = top[column].map(lambda r: f"{label}: {fmt.number(float(r), lang, digits=3)}")
    folium.GeoJson(
        _geojson(web, {"colour": colour, "tip": tip}),
        name=name,
        show=show,
        style_function=_style("colour", opacity=0.6),
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
    ).add_to(m)


def method_layers(result: gpd.GeoDataFrame, *, method: str, lang: str = "cs") -> dict[str, Any]:
    """Return the :func:`incident_map` arguments that draw a method's result, as the registry says.

    ``"classes"`` (Gi*) draw as coloured cells, ``"surface"`` (KDE, forecast) as a five-class
    surface of the method's value column, ``"polygons"`` (clusters) as outlined shapes.
    """
    spec = METHODS[method]
    if spec.layer == "polygons":
        return {"clusters": result}
    if spec.layer == "surface":
        name = t("layer.risk" if spec.value_col == "risk" else f"hot.method_{method}", lang)
        return {"surface": result, "surface_col": spec.value_col, "surface_name": name}
    if spec.value_col == "hotspot_class":
        return {"cells": result}
    raise ParameterError(f"the map has no layer for {method!r} ({spec.value_col})")


def incident_map(
    incidents: gpd.GeoDataFrame,
    *,
    districts: gpd.GeoDataFrame | None = None,
    city: gpd.GeoDataFrame | None = None,
    svl: gpd.GeoDataFrame | None = None,
    hostels: gpd.GeoDataFrame | None = None,
    hostel_buffer_m: float = 250.0,
    cells: gpd.GeoDataFrame | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    risk: gpd.GeoDataFrame | None = None,
    surface: gpd.GeoDataFrame | None = None,
    surface_col: str = "density_km2",
    surface_name: str | None = None,
    focus: gpd.GeoDataFrame | None = None,
    lang: str = "cs",
    tiles: TileChoice = "none",
    synthetic: bool = False,
    max_points: int = 2000,
    asset_base_url: str = assets.STREAMLIT_VENDOR_URL,
    height_px: int = 600,
    stops: gpd.GeoDataFrame | None = None,
    schools: gpd.GeoDataFrame | None = None,
    hidden_layers: Collection[str] | None = None,
    tier: Literal["presenter", "internal"] = "presenter",
    local_basemap: LocalBasemap | None = None,
) -> folium.Map:
    """Return the full dashboard map: context, incidents, heat, hotspots, legend, layer switch.

    Parameters
    ----------
    incidents
        Incident points (any CRS; failed geocodes with empty geometry are skipped).
    districts, city, svl, hostels
        Context layers (``NAZEV`` labels districts, ``name`` labels SVL and hostels).
    hostel_buffer_m
        Radius of hostel buffers.
    cells, clusters, risk, surface, surface_col, surface_name
        Hotspot results (see :func:`add_hotspots`).
    focus
        Geometry to zoom to (a selected hotspot, the filtered districts); default: the city,
        else the incidents.
    lang, tiles, synthetic, max_points, asset_base_url, height_px, local_basemap
        See :func:`base_map` and :func:`add_incidents`.
    stops, schools
        Labelled from zoom :data:`apk_geo.map_style.LABEL_MIN_ZOOM` on (names ``zast_jm``;
        ``NAME``); district names are labelled at every zoom.
    hidden_layers
        Keys (:data:`LAYER_KEYS`) of the layers that start switched off; ``None``: the
        defaults (the heat layer off). The map reports the user's choice back through
        streamlit-folium (:func:`apk_geo.map_style.layer_state_js`).
    tier
        ``"internal"`` adds addresses to the incident popups.

    Returns
    -------
    folium.Map
        Nothing in it loads from the internet unless ``tiles`` asks for web tiles.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoDataFrame({"category": ["dogs"], "outcome": ["referred"],
    ...     "reported_at": [pd.Timestamp("2024-05-01 10:00")], "match": ["exact"],
    ...     "score": [100.0]}, geometry=[Point(18.29, 49.84)], crs="EPSG:4326")
    >>> m = incident_map(pts)
    >>> "cdn" in m.get_root().render()
    False
    """
    m = base_map(
        bounds_4326=_extent(focus, city, districts, incidents),
        tiles=tiles,
        lang=lang,
        synthetic=synthetic,
        asset_base_url=asset_base_url,
        height_px=height_px,
        local_basemap=local_basemap,
    )
    add_context(
        m,
        districts=districts,
        city=city,
        svl=svl,
        hostels=hostels,
        hostel_buffer_m=hostel_buffer_m,
        lang=lang,
    )
    mode = add_incidents(
        m, incidents, lang=lang, max_points=max_points, asset_base_url=asset_base_url, tier=tier
    )
    add_hotspots(
        m,
        cells=cells,
        clusters=clusters,
        risk=risk,
        surface=surface,
        surface_col=surface_col,
        surface_name=surface_name,
        lang=lang,
    )
    has_surface = surface is not None and not surface.empty
    m.add_child(
        Legend(
            legend_html(
                lang=lang,
                gistar=cells is not None and "hotspot_class" in cells,
                counts=mode == "cells" or (has_surface and surface_col != "risk"),
                risk=(risk is not None and not risk.empty)
                or (has_surface and surface_col == "risk"),
                svl=svl is not None and not svl.empty,
                hostels=hostels is not None and not hostels.empty,
                clusters=clusters is not None and not clusters.empty,
            )
        )
    )
    label_districts, label_places = label_points(districts, stops, schools)
    m.add_child(Script(labels_js(m.get_name(), districts=label_districts, places=label_places)))
    names = _layer_keys(m, lang=lang, surface_name=surface_name)
    hidden = _apply_hidden(m, names, hidden_layers)
    folium.LayerControl(collapsed=JsCode(narrow_js())).add_to(m)
    m.add_child(Script(layer_state_js(m.get_name(), names=names, hidden=hidden)))
    return m


def _extent(*frames: gpd.GeoDataFrame | None) -> tuple[float, float, float, float] | None:
    """Return the WGS 84 bounds of the first non-empty frame."""
    frame = next(
        (g for g in frames if g is not None and not g.empty and g.geometry.notna().any()), None
    )
    if frame is None:
        return None
    require_crs(frame, name="map extent")
    minx, miny, maxx, maxy = frame.to_crs(CRS_WEB).total_bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        return None
    return float(minx), float(miny), float(maxx), float(maxy)


def _layer_keys(m: folium.Map, *, lang: str, surface_name: str | None) -> dict[str, str]:
    """Return the name of each switchable layer on ``m`` → its key in :data:`LAYER_KEYS`."""
    by_name = {t(f"layer.{k}", lang): k for k in LAYER_KEYS if k != "surface"}
    if surface_name:
        by_name[surface_name] = "surface"
    return {
        child.layer_name: by_name[child.layer_name]
        for child in m._children.values()
        if getattr(child, "layer_name", None) in by_name and getattr(child, "overlay", True)
    }


def _apply_hidden(
    m: folium.Map, names: Mapping[str, str], hidden: Collection[str] | None
) -> list[str]:
    """Switch off the layers whose key is in ``hidden`` (None: keep each layer's default).

    Returns the keys of every layer that starts off.
    """
    off = []
    for child in m._children.values():
        key = names.get(getattr(child, "layer_name", ""))
        if key is None:
            continue
        if hidden is not None:
            child.show = key not in hidden
        if not child.show:
            off.append(key)
    return sorted(off)


def render_html(m: folium.Map) -> str:
    """Return the map as a standalone HTML page (links to the local assets)."""
    html_text: str = m.get_root().render()
    return html_text


def external_urls(page: str) -> list[str]:
    """Return every ``src``/``href`` in ``page`` that points at another host (should be none).

    Hyperlinks inside the attribution (``<a href>``) are ignored: they load nothing.
    """
    found = []
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        pattern = rf"<{tag}\b[^>]*\b{attr}=[\"']((?:https?:)?//[^\"']+)"
        found += re.findall(pattern, page, flags=re.IGNORECASE)
    return found
