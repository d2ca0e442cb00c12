"""The pack's map: a folium page with the area, its context, Gi* cells and ranked hot cells.

:func:`build_map` draws the area's outline, districts, SVLs and hostel buffers, the Gi*
classes of the grid (:func:`apk_geo.maps.add_hotspots`) and the top hot cells as numbered
labels that move apart when they overlap (with a leader line to their cell); incident points
only in the internal tier, which also stamps the map "INTERNÍ" / "INTERNAL". :func:`map_html`
returns it as one self-contained page (Leaflet inlined, no URL loaded), and
:func:`external_urls` checks that a page loads nothing from the network.
"""

from __future__ import annotations

import html
import json
import re
from typing import Final

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from apk_geo import assets, maps
from apk_geo.i18n import t
from apk_geo.reports.data import Pack

__all__ = ["NON_LOADING_URLS", "build_map", "external_urls", "map_html"]

#: Strings in inlined Leaflet that look like URLs but are never requested: the SVG namespace,
#: Leaflet's home page (in its licence comment and its attribution prefix, which the pack
#: replaces by plain text) and a browser bug cited in a code comment.
NON_LOADING_URLS: Final = frozenset(
    {
        "http://www.w3.org/2000/svg",
        "https://leafletjs.com",
        "http://leafletjs.com",
        "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
    }
)
_RANK_PX: Final = 24
_RANK_ICON: Final = '<span class="apk-rank-leader"></span><div class="apk-rank-dot">{rank}</div>'
#: Styles of the map page: rank labels, the internal-tier stamp, the full-screen map.
_MAP_CSS: Final = f"""<style>
.apk-rank {{ background: none; border: none; }}
.apk-rank-dot {{ position: absolute; left: 0; top: 0; width: {_RANK_PX}px; height: {_RANK_PX}px;
  box-sizing: border-box; border: 2px solid #b2182b; border-radius: 50%; background: #fff;
  color: #b2182b; font: bold 13px/{_RANK_PX - 4}px 'DejaVu Sans', sans-serif;
  text-align: center; }}
.apk-rank-leader {{ position: absolute; left: {_RANK_PX // 2}px; top: {_RANK_PX // 2 - 1}px;
  height: 2px; width: 0; background: #b2182b; transform-origin: 0 50%; }}
.apk-internal {{ position: absolute; left: 50%; top: 10px; transform: translateX(-50%);
  z-index: 1000; background: #b2182b; color: #fff; font: bold 14px 'DejaVu Sans', sans-serif;
  padding: 4px 12px; border-radius: 3px; max-width: 60%; text-align: center; }}
.apk-fullscreen a {{ cursor: pointer; }}
:root:fullscreen .folium-map {{ height: 100vh !important; }}
</style>"""
#: Moves overlapping rank labels apart in screen pixels, best rank first, with a leader line
#: to the cell; re-run after every zoom.
_DECLUTTER_JS: Final = """(function () {{
  var map = {map}, markers = [{markers}], gap = {gap};
  function place() {{
    var placed = [];
    markers.forEach(function (mk) {{
      var el = mk.getElement();
      if (!el) {{ return; }}
      var p = map.latLngToLayerPoint(mk.getLatLng()), best = [0, 0];
      search: for (var r = 0; r <= 12 * gap; r += gap * 0.6) {{
        var steps = r === 0 ? 1 : Math.max(8, Math.round(2 * Math.PI * r / gap));
        for (var k = 0; k < steps; k++) {{
          var a = -Math.PI / 2 + 2 * Math.PI * k / steps;
          var dx = Math.round(r * Math.cos(a)), dy = Math.round(r * Math.sin(a));
          var free = placed.every(function (q) {{
            return Math.hypot(p.x + dx - q[0], p.y + dy - q[1]) >= gap;
          }});
          if (free) {{ best = [dx, dy]; break search; }}
        }}
      }}
      placed.push([p.x + best[0], p.y + best[1]]);
      el.querySelector('.apk-rank-dot').style.transform =
        'translate(' + best[0] + 'px,' + best[1] + 'px)';
      var line = el.querySelector('.apk-rank-leader');
      line.style.width = Math.hypot(best[0], best[1]) + 'px';
      line.style.transform = 'rotate(' + Math.atan2(best[1], best[0]) + 'rad)';
    }});
  }}
  map.whenReady(place);
  map.on('zoomend viewreset', place);
}})();"""
#: A full-screen button (the map page with its legend), the area fitted again on change.
_FULLSCREEN_JS: Final = """(function () {{
  var map = {map}, bounds = {bounds};
  var _FULLSCREEN_ICON = '<svg width="16" height="16" viewBox="0 0 16 16" ' +
    'style="vertical-align:middle" fill="none" stroke="#333" stroke-width="2">' +
    '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>';
  var Full = L.Control.extend({{
    options: {{ position: 'topleft' }},
    onAdd: function () {{
      var bar = L.DomUtil.create('div', 'leaflet-bar apk-fullscreen');
      var a = L.DomUtil.create('a', '', bar);
      a.href = '#'; a.title = {title}; a.setAttribute('role', 'button');
      a.setAttribute('aria-label', {title}); a.innerHTML = _FULLSCREEN_ICON;
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(a, 'click', function (e) {{
        L.DomEvent.preventDefault(e);
        if (document.fullscreenElement) {{ document.exitFullscreen(); }}
        else if (document.documentElement.requestFullscreen) {{
          document.documentElement.requestFullscreen();
        }}
      }});
      return bar;
    }}
  }});
  new Full().addTo(map);
  document.addEventListener('fullscreenchange', function () {{
    map.invalidateSize(); map.fitBounds(bounds);
  }});
}})();"""


class _MapScript(MacroElement):  # type: ignore[misc]
    """A script run in order with the map's other children (after those added before it)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, js: str) -> None:
        super().__init__()
        self._name = "MapScript"
        self.js = js


def _legend(pack: Pack) -> str:
    rows = [f"<b>{maps.esc(t('map.legend', pack.lang))}</b>"]

    def swatch(colour: str, text: str, style: str) -> str:
        return (
            f'<div><span style="display:inline-block;width:14px;height:14px;{style}'
            f'{colour};margin-right:5px;vertical-align:middle"></span>{maps.esc(text)}</div>'
        )

    rows.append(
        swatch(
            "#000",
            t("pack.kind.mdt_area", pack.lang)
            if pack.area_kind == "mdt_area"
            else t("pack.kind.district", pack.lang),
            "border:3px solid ",
        )
    )
    if not pack.svl.empty:
        rows.append(swatch(maps.SVL_COLOUR, t("layer.svl", pack.lang), "border:2px solid "))
    if not pack.hostels.empty:
        rows.append(swatch(maps.HOSTEL_COLOUR, t("layer.hostels", pack.lang), "border:2px solid "))
    for c in (3, 2, 1, -1, -2, -3):
        rows.append(
            swatch(maps.GISTAR_COLOURS[c], t(f"gistar.class_{c}", pack.lang), "background:")
        )
    return "".join(rows)


def build_map(
    pack: Pack,
    *,
    height_px: int = 560,
    static: bool = False,
    asset_base_url: str = assets.STREAMLIT_VENDOR_URL,
) -> folium.Map:
    """Return the pack's folium map: area outline, context, Gi* cells, ranked hot cells.

    Incident points are added only in the internal tier. Only Leaflet itself is loaded (no
    jQuery, Bootstrap or icon fonts), which keeps an inlined map about 200 kB. ``static``
    hides the zoom buttons (for the PNG and the PDF).
    """
    minx, miny, maxx, maxy = pack.area_shape.to_crs("EPSG:4326").total_bounds
    bounds = [[miny, minx], [maxy, maxx]]
    m = _base(pack, bounds, height_px=height_px, static=static, asset_base_url=asset_base_url)
    _add_layers(m, pack, asset_base_url=asset_base_url)
    markers = _add_rank_markers(m, pack)
    # Added last, so it runs after the markers exist: rank labels of neighbouring cells are
    # moved apart (with a leader line to their cell) so that every number stays readable.
    m.add_child(
        _MapScript(
            _DECLUTTER_JS.format(map=m.get_name(), markers=", ".join(markers), gap=_RANK_PX + 2)
        )
    )
    if not static:
        m.add_child(_fullscreen_button(m, pack, bounds))
    _add_overlays(m, pack)
    return m


def _base(
    pack: Pack,
    bounds: list[list[float]],
    *,
    height_px: int,
    static: bool,
    asset_base_url: str,
) -> folium.Map:
    """Return the base map fitted to the area, loading Leaflet alone."""
    (miny, minx), (maxy, maxx) = bounds
    m = maps.base_map(
        bounds_4326=(minx, miny, maxx, maxy),
        lang=pack.lang,
        synthetic=pack.synthetic,
        asset_base_url=asset_base_url,
        height_px=height_px,
    )
    m.options["zoom_snap"] = 0.25  # fit the area closely, not to the next whole zoom level
    # Again with padding: the area's edge stays clear of the attribution line at the bottom.
    m.fit_bounds(bounds, padding_top_left=(10, 10), padding_bottom_right=(10, 34))
    if static:
        # No animation: a screenshot never catches a zoom half done or labels not yet placed.
        m.options.update(
            zoom_control=False,
            zoom_animation=False,
            fade_animation=False,
            marker_zoom_animation=False,
        )
    m.default_js = assets.links(("leaflet",), base_url=asset_base_url)
    m.default_css = assets.links(("leaflet_css",), base_url=asset_base_url)
    # Runs before the map is created: a plain-text prefix instead of Leaflet's link and flag.
    m.get_root().script.add_child(
        folium.Element("L.Control.Attribution.prototype.options.prefix = 'Leaflet';")
    )
    return m


def _add_layers(m: folium.Map, pack: Pack, *, asset_base_url: str) -> None:
    """Add the context, the area's outline, the Gi* cells and (internal tier) the points."""
    maps.add_context(
        m,
        districts=pack.districts,
        svl=pack.svl,
        hostels=pack.hostels,
        hostel_buffer_m=pack.hostel_buffer_m,
        lang=pack.lang,
    )
    outline = pack.area_shape.to_crs("EPSG:4326")
    folium.GeoJson(
        {
            "type": "Feature",
            "properties": {},
            "geometry": shapely.geometry.mapping(outline.geometry.iloc[0]),
        },
        name=maps.esc(pack.area),
        style_function=lambda _f: {"color": "#000000", "weight": 3, "fill": False},
    ).add_to(m)
    maps.add_hotspots(m, cells=pack.cells, lang=pack.lang)
    if pack.points is not None and not pack.points.empty:
        maps.add_incidents(
            m, pack.points, lang=pack.lang, heat=False, asset_base_url=asset_base_url
        )


def _add_rank_markers(m: folium.Map, pack: Pack) -> list[str]:
    """Add a numbered label at the centre of each top hot cell; return the markers' names."""
    markers: list[str] = []
    if pack.hotspots.empty:
        return markers
    centres = gpd.GeoSeries(pack.hotspots.geometry.centroid, crs=pack.hotspots.crs)
    for rank, c in zip(pack.hotspots["rank"], centres.to_crs("EPSG:4326"), strict=True):
        marker = folium.Marker(
            [round(c.y, 5), round(c.x, 5)],
            icon=folium.DivIcon(
                html=_RANK_ICON.format(rank=int(rank)),
                icon_size=(_RANK_PX, _RANK_PX),
                icon_anchor=(_RANK_PX // 2, _RANK_PX // 2),
                class_name="apk-rank",
            ),
        )
        marker.add_to(m)
        markers.append(marker.get_name())
    return markers


def _fullscreen_button(m: folium.Map, pack: Pack, bounds: list[list[float]]) -> _MapScript:
    return _MapScript(
        _FULLSCREEN_JS.format(
            map=m.get_name(),
            title=json.dumps(t("pack.ui.fullscreen", pack.lang)),
            bounds=json.dumps(bounds),
        )
    )


def _add_overlays(m: folium.Map, pack: Pack) -> None:
    """Add the map's styles, the internal-tier stamp and the legend."""
    m.get_root().header.add_child(folium.Element(_MAP_CSS))
    if pack.tier == "internal":
        stamp = html.escape(t("pack.tier.internal", pack.lang))
        m.get_root().html.add_child(folium.Element(f'<div class="apk-internal">{stamp}</div>'))
    m.get_root().html.add_child(
        folium.Element(
            '<div style="position:absolute;right:10px;top:10px;z-index:1000;'
            "background:rgba(255,255,255,.92);padding:6px 9px;font:13px/1.45 DejaVu Sans,"
            f'sans-serif;border-radius:4px;box-shadow:0 0 4px #888">{_legend(pack)}</div>'
        )
    )


def map_html(pack: Pack, *, height_px: int = 560, static: bool = False) -> str:
    """Return the pack's map as one self-contained HTML page (Leaflet inlined, no URL loaded)."""
    base = assets.STREAMLIT_VENDOR_URL
    page = maps.render_html(
        build_map(pack, height_px=height_px, static=static, asset_base_url=base)
    )
    return assets.inline_html(page, base_url=base)


def external_urls(page: str) -> list[str]:
    """Return every ``http(s)://`` or protocol-relative address in ``page`` that could load.

    Anything in a ``src``/``href``/``srcset``/``action`` attribute, a CSS ``url()`` or
    ``@import`` counts, and so does any other ``http(s)://`` text except the strings of
    :data:`NON_LOADING_URLS`. A pack's HTML must give an empty list.
    """
    found: list[str] = []
    attr = r"""(?:src|href|srcset|action|data|poster)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
    found += re.findall(attr, page, flags=re.IGNORECASE)
    found += re.findall(r"""url\(\s*["']?((?:https?:)?//[^"')\s]+)""", page, flags=re.IGNORECASE)
    found += re.findall(r"""@import\s+["']((?:https?:)?//[^"']+)""", page, flags=re.IGNORECASE)
    for url in re.findall(r"""https?://[^\s"'<>()\\]+""", html.unescape(page)):
        if url.rstrip("/.,;") not in NON_LOADING_URLS:
            found.append(url)
    return sorted(set(found))
