"""How the dashboard maps look and behave: palettes, legend, controls, labels, kept layer choices.

Three map styles that cannot be mistaken for one another, each with its legend:

* **counts** (incidents per square, KDE density) — the *viridis* ramp, yellow to dark blue;
* **significance** (Getis-Ord Gi* classes) — the diverging red–blue of ColorBrewer *RdBu*,
  hot spots red, cold spots blue;
* **forecast risk** — the ColorBrewer *Purples* ramp.

The controls suit small screens: the layer list and the legend fold into a button below 700 px of
width, the attribution line is one short line (the full text on hover or tap), and the scale bar
is metric only. Street-level labels (public-transport stops, schools) appear from
:data:`LABEL_MIN_ZOOM` on, only for the part of the map in view; district names are always shown.

The map also reports which of its layers the user switched off, through streamlit-folium's
``selected_layers`` (see :func:`layer_state_js`), so the dashboard keeps the choice across reruns.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from apk_geo.i18n import normalize_lang, t
from apk_geo.schema import CRS_METRIC, CRS_WEB

T = TypeVar("T")

#: Attribution of the shipped data (see data/PROVENANCE.md).
DATA_ATTRIBUTION: Final = (
    "Městské obvody: © ArcČR, ARCDATA PRAHA, ZÚ, ČSÚ 2016 (RCzechia, MIT) · "
    "Školy, zastávky, sportoviště: Statutární město Ostrava, CC BY 4.0"
)

#: Origin and licence of every store layer (from data/PROVENANCE.md), Czech and English,
#: shown on the Data page (:func:`layer_provenance`).
LAYER_PROVENANCE: Final[Mapping[str, tuple[str, str]]] = {
    "districts": (
        "ArcČR 500 v3 (© ArcČR, ARCDATA PRAHA, ZÚ, ČSÚ, 2016) přes RCzechia (MIT); "
        "volné užití s uvedením zdroje",
        "ArcČR 500 v3 (© ArcČR, ARCDATA PRAHA, ZÚ, ČSÚ, 2016) via RCzechia (MIT); "
        "free use with attribution",
    ),
    "city": (
        "sjednocení 23 městských obvodů (ArcČR 500 v3, © ArcČR, ARCDATA PRAHA, ZÚ, ČSÚ, 2016)",
        "union of the 23 districts (ArcČR 500 v3, © ArcČR, ARCDATA PRAHA, ZÚ, ČSÚ, 2016)",
    ),
    "mdt_areas": (
        "sjednocení obvodů podle nastaveného přiřazení k MDT (apk_geo.config)",
        "union of districts by the configured MDT mapping (apk_geo.config)",
    ),
    "schools": (
        "Statutární město Ostrava, otevřená data, CC BY 4.0",
        "Statutární město Ostrava, open data, CC BY 4.0",
    ),
    "stops": (
        "Statutární město Ostrava, otevřená data, CC BY 4.0",
        "Statutární město Ostrava, open data, CC BY 4.0",
    ),
    "sports": (
        "Statutární město Ostrava, otevřená data, CC BY 4.0",
        "Statutární město Ostrava, open data, CC BY 4.0",
    ),
    "svl": (
        "syntetické demo polygony (oficiální hranice SVL offline neexistuje), není-li nastaveno "
        "jinak",
        "synthetic demo polygons (no official SVL boundary exists offline) unless configured",
    ),
    "hostels": (
        "syntetické demo body u zastávek MHD, není-li nastaveno jinak",
        "synthetic demo points near public-transport-stop proxies unless configured",
    ),
    "address_points": (
        "adresní místa RÚIAN (ČÚZK), nebo syntetické demo adresy",
        "RÚIAN address points (ČÚZK), or synthetic demo addresses",
    ),
    "incidents": (
        "exporty asistentů prevence kriminality, nebo syntetické demo události (apk_geo.demo)",
        "APK assistants' exports, or synthetic demo incidents (apk_geo.demo)",
    ),
}


def layer_provenance(name: str, lang: str = "cs") -> str:
    """Return the origin and licence of store layer ``name`` (empty when unknown)."""
    cs, en = LAYER_PROVENANCE.get(name, ("", ""))
    return en if normalize_lang(lang) == "en" else cs


#: Optional tile layers with their attribution; the default map uses none.
TILES: Final[Mapping[str, tuple[str, str]]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "cuzk_ortho": (
        "https://ags.cuzk.gov.cz/arcgis1/rest/services/ORTOFOTO_WM/MapServer/tile/{z}/{y}/{x}",
        'Ortofoto © <a href="https://cuzk.gov.cz">ČÚZK</a>',
    ),
}

#: Gi* classes (−3 cold, 99 % … +3 hot, 99 %): ColorBrewer RdBu.
GISTAR_COLOURS: Final[Mapping[int, str]] = {
    3: "#b2182b",
    2: "#ef8a62",
    1: "#fddbc7",
    -1: "#d1e5f0",
    -2: "#67a9cf",
    -3: "#2166ac",
}
#: Counts per square and KDE density, few to many (viridis, five classes).
COUNT_COLOURS: Final = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
#: Forecast risk, low to high (ColorBrewer Purples, five classes).
RISK_COLOURS: Final = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
#: Outline colours of the context layers and clusters.
CLUSTER_COLOUR: Final = "#111111"
HOSTEL_COLOUR: Final = "#e08214"
SVL_COLOUR: Final = "#1b7837"
#: From this zoom on, stops and schools are labelled (streets matter there).
LABEL_MIN_ZOOM: Final = 16
#: District names are shown from this zoom on (below it, 23 names would overlap).
DISTRICT_LABEL_MIN_ZOOM: Final = 11
#: At most this many street labels are drawn at once (those in view).
MAX_LABELS: Final = 150
#: Below this width (px) the layer list and the legend start folded.
NARROW_PX: Final = 700
#: Map layers by a stable key (the dashboard keeps switched-off layers by key, not by name).
LAYER_KEYS: Final = (
    "city",
    "districts",
    "svl",
    "hostels",
    "incidents",
    "incident_cells",
    "heat",
    "gistar",
    "clusters",
    "surface",
    "risk",
)

#: Compact attribution, folded controls on narrow screens, labels that read on any background.
MAP_CSS: Final = """
.leaflet-control-attribution {font-size: 10px; max-width: 55vw; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; cursor: pointer;}
.leaflet-control-attribution.apk-open {white-space: normal; max-width: 90vw;}
.apk-legend summary {cursor: pointer; font-weight: bold;}
.apk-label {background: none; border: none; box-shadow: none; font: 11px/1.2 sans-serif;
  color: #222; white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff;}
.apk-label-district {font-weight: bold; font-size: 12px; color: #333;}
.apk-label-school {color: #7a3b00;}
.leaflet-control-scale-line {font-size: 10px;}
"""


class Script(MacroElement):  # type: ignore[misc]
    """A raw script run after the map is created."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, js: str) -> None:
        super().__init__()
        self._name = "Script"
        self.js = js


class Legend(MacroElement):  # type: ignore[misc]
    """A fixed HTML legend that folds on narrow screens; needs no branca colour map (no d3)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "apk-legend");
                div.style.cssText = "background:rgba(255,255,255,.92);padding:4px 8px;" +
                    "font:12px/1.4 sans-serif;border-radius:4px;box-shadow:0 0 4px #888;" +
                    "max-height:45vh;overflow:auto";
                div.innerHTML = {{ this.html|tojson }};
                var details = div.querySelector("details");
                if (details && {{ this.narrow_js }}) { details.open = false; }
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.narrow_js = narrow_js()


def narrow_js(width_px: int = NARROW_PX) -> str:
    """Return a JavaScript test for a narrow screen (the page's width, not the map frame's)."""
    return (
        f"(function(){{try {{return window.top.innerWidth < {width_px};}} "
        f"catch (e) {{return window.innerWidth < {width_px};}}}})()"
    )


def quantile_colours(values: pd.Series, palette: Sequence[str]) -> list[str]:
    """Return one colour of ``palette`` per value by its quantile rank (light = low)."""
    if values.empty:
        return []
    ranks = values.rank(method="average", pct=True).to_numpy()
    idx = np.clip(np.ceil(ranks * len(palette)) - 1, 0, len(palette) - 1).astype(int)
    return [palette[i] for i in idx]


def _swatch(colour: str, text: str, *, outline: bool = False) -> str:
    style = f"border:2px solid {colour}" if outline else f"background:{colour}"
    return (
        f'<div><span style="display:inline-block;width:12px;height:12px;{style};'
        f'margin-right:4px;vertical-align:middle"></span>{html.escape(text)}</div>'
    )


def _ramp(palette: Sequence[str], low: str, high: str) -> str:
    cells = "".join(
        f'<span style="display:inline-block;width:14px;height:12px;background:{c}"></span>'
        for c in palette
    )
    return f'<div style="white-space:nowrap">{html.escape(low)} {cells} {html.escape(high)}</div>'


def legend_html(
    *,
    lang: str = "cs",
    gistar: bool = False,
    counts: bool = False,
    risk: bool = False,
    svl: bool = True,
    hostels: bool = True,
    clusters: bool = True,
) -> str:
    """Return the legend's HTML for the layers present (labels from :mod:`apk_geo.i18n`).

    Each of the three styles has its own block: counts (:data:`COUNT_COLOURS`), Gi* classes
    (:data:`GISTAR_COLOURS`) and forecast risk (:data:`RISK_COLOURS`). The legend is a
    ``<details>`` element, so it folds to its title.
    """
    rows = []
    for present, colour, key in (
        (svl, SVL_COLOUR, "layer.svl"),
        (hostels, HOSTEL_COLOUR, "layer.hostels"),
        (clusters, CLUSTER_COLOUR, "layer.clusters"),
    ):
        if present:
            rows.append(_swatch(colour, t(key, lang), outline=True))
    if counts:
        rows.append(f"<div><i>{html.escape(t('legend.counts', lang))}</i></div>")
        rows.append(_ramp(COUNT_COLOURS, t("legend.few", lang), t("legend.many", lang)))
    if gistar:
        rows.append(f"<div><i>{html.escape(t('legend.gistar', lang))}</i></div>")
        rows += [_swatch(GISTAR_COLOURS[c], t(f"gistar.class_{c}", lang)) for c in (3, 2, 1)]
        rows += [_swatch(GISTAR_COLOURS[c], t(f"gistar.class_{c}", lang)) for c in (-1, -2, -3)]
    if risk:
        rows.append(f"<div><i>{html.escape(t('legend.risk', lang))}</i></div>")
        rows.append(_ramp(RISK_COLOURS, t("legend.low", lang), t("legend.high", lang)))
    title = html.escape(t("map.legend", lang))
    return f"<details open><summary>{title}</summary>{''.join(rows)}</details>"


def controls_js(map_name: str) -> str:
    """Return the script of a metric-only scale bar and the tap-to-open attribution line."""
    return (
        f"L.control.scale({{imperial: false, metric: true, position: 'bottomleft'}})"
        f".addTo({map_name});"
        f"(function(){{var a = {map_name}.attributionControl.getContainer();"
        "a.title = a.textContent;"
        "a.addEventListener('click', function(e){"
        "if (e.target.tagName !== 'A') {a.classList.toggle('apk-open');}});})();"
    )


def css_js(css: str = MAP_CSS) -> str:
    """Return a script that adds ``css`` to the map's page once."""
    return (
        "(function(){if (document.getElementById('apk-map-css')) {return;}"
        "var s = document.createElement('style'); s.id = 'apk-map-css';"
        f"s.textContent = {json.dumps(css)}; document.head.appendChild(s);}})();"
    )


def labels_js(
    map_name: str,
    *,
    districts: Iterable[tuple[float, float, str]] = (),
    places: Iterable[tuple[float, float, str, str]] = (),
    min_zoom: int = LABEL_MIN_ZOOM,
    max_labels: int = MAX_LABELS,
    district_zoom: int = DISTRICT_LABEL_MIN_ZOOM,
) -> str:
    """Return the script that labels districts (from zoom 11) and stops/schools at street zooms.

    Parameters
    ----------
    map_name
        The folium map's JavaScript name.
    districts
        ``(lat, lon, name)`` of each district label.
    places
        ``(lat, lon, name, kind)`` with ``kind`` ``"stop"`` or ``"school"``; from ``min_zoom``
        on, at most ``max_labels`` of those in view are drawn (redrawn after every move).
        Names are HTML-escaped.
    """
    data = {  # names are escaped here: the script puts them into the page as HTML
        "districts": [[round(a, 5), round(o, 5), html.escape(n)] for a, o, n in districts],
        "places": [[round(a, 5), round(o, 5), html.escape(n), k] for a, o, n, k in places],
    }
    return f"""(function(){{
var map = {map_name}, data = {json.dumps(data, ensure_ascii=False)};
function label(p, cls) {{
  return L.marker([p[0], p[1]], {{interactive: false, keyboard: false,
    icon: L.divIcon({{className: "apk-label " + cls, html: p[2], iconSize: null}})}});
}}
var districts = L.layerGroup(data.districts.map(function (p) {{
  return label(p, "apk-label-district"); }}));
var streets = L.layerGroup().addTo(map);
window.apkLabelLayers = {{districts: districts, streets: streets}};
function redraw() {{
  if (map.getZoom() >= {district_zoom}) {{ districts.addTo(map); }} else {{ districts.remove(); }}
  streets.clearLayers();
  if (map.getZoom() < {min_zoom}) {{ return; }}
  var b = map.getBounds(), n = 0;
  for (var i = 0; i < data.places.length && n < {max_labels}; i++) {{
    var p = data.places[i];
    if (b.contains([p[0], p[1]])) {{ streets.addLayer(label(p, "apk-label-" + p[3])); n++; }}
  }}
}}
map.on("moveend zoomend", redraw); map.whenReady(redraw);
}})();"""


def layer_state_js(map_name: str, *, names: Mapping[str, str], hidden: Sequence[str]) -> str:
    """Return the script that reports the switched-off layers through ``selected_layers``.

    streamlit-folium (0.27) returns, as ``selected_layers``, the layers announced by an
    ``overlayadd`` event whose layer has ``_url`` and ``wmsParams.layers``; this script announces
    one such stand-in per switched-off layer (``url`` ``"apk:off"``, ``name`` the layer key)
    and withdraws it when the layer is switched on again, so the page can read the choice and
    draw the next map the same way.

    Parameters
    ----------
    map_name
        The folium map's JavaScript name.
    names
        Layer name shown in the layer list → layer key.
    hidden
        Keys of the layers that start switched off (reported once the map is ready).
    """
    return f"""(function(){{
var map = {map_name}, keys = {json.dumps(dict(names), ensure_ascii=False)};
function standIn(key) {{ return {{_url: "apk:off", wmsParams: {{layers: key}}}}; }}
function tell(kind, key) {{ if (key) {{ map.fire(kind, {{layer: standIn(key), name: key}}); }} }}
map.on("overlayremove", function (e) {{ if (e.layer && e.layer._url !== "apk:off") {{
  tell("overlayadd", keys[e.name]); }} }});
map.on("overlayadd", function (e) {{ if (e.layer && e.layer._url !== "apk:off") {{
  tell("overlayremove", keys[e.name]); }} }});
setTimeout(function () {{ {json.dumps(list(hidden))}.forEach(function (k) {{
  tell("overlayadd", k); }}); }}, 0);
}})();"""


def hidden_from_selected(selected: object) -> tuple[str, ...] | None:
    """Return the switched-off layer keys from st_folium's ``selected_layers`` (None: unknown)."""
    if not isinstance(selected, list):
        return None
    keys = [
        str(item.get("name"))
        for item in selected
        if isinstance(item, dict) and item.get("url") == "apk:off"
    ]
    return tuple(sorted(k for k in set(keys) if k in LAYER_KEYS))


_MEMO: OrderedDict[tuple[object, ...], object] = OrderedDict()
_MEMO_SIZE: Final = 64


def _content_key(value: object) -> object:
    """Return a hashable digest of a frame's content (geometry and columns), else the value."""
    if isinstance(value, pd.DataFrame):
        digest = hashlib.blake2b(digest_size=16)
        digest.update(pd.util.hash_pandas_object(value.drop(columns="geometry", errors="ignore"),
                                                 index=True).to_numpy().tobytes())  # fmt: skip
        if isinstance(value, gpd.GeoDataFrame):
            digest.update(str(value.crs).encode())
            digest.update(b"".join(value.geometry.to_wkb(hex=False).fillna(b"")))
        return ("frame", value.shape, digest.hexdigest())
    return value


def memo_by_content(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoise ``fn`` by the *content* of its arguments (frames hashed), the last 64 calls.

    The dashboard draws the same context layers (districts, stops …) on every rerun; their
    GeoJSON and labels are the same each time, so they are computed once. The result is shared:
    callers must not change it.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        key = (fn.__qualname__, *(_content_key(a) for a in args),
               *sorted((k, _content_key(v)) for k, v in kwargs.items()))  # fmt: skip
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]  # type: ignore[return-value]
        result = fn(*args, **kwargs)
        _MEMO[key] = result
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
        return result

    return wrapper


@memo_by_content
def label_points(
    districts: gpd.GeoDataFrame | None,
    stops: gpd.GeoDataFrame | None,
    schools: gpd.GeoDataFrame | None,
) -> tuple[list[tuple[float, float, str]], list[tuple[float, float, str, str]]]:
    """Return the district, stop and school labels for :func:`labels_js`.

    Districts as ``(lat, lon, name)`` at a representative point; stops (``zast_jm``) once per
    name, at the middle of its platforms; schools as a short name (``"ZŠ Ostrčilova"``: the
    kind's initials and the street) as ``(lat, lon, name, kind)``.
    """
    out_districts = [(a, o, n) for a, o, n, _ in _points(districts, "NAZEV")]
    places: list[tuple[float, float, str, str]] = []
    stop_pts = pd.DataFrame(_points(stops, "zast_jm"), columns=["lat", "lon", "name", "_"])
    if not stop_pts.empty:
        mid = stop_pts.groupby("name", sort=True)[["lat", "lon"]].mean()
        places += [(float(r.lat), float(r.lon), str(n), "stop") for n, r in mid.iterrows()]
    places += [(a, o, _school_name(row), "school") for a, o, _, row in _points(schools, None)]
    return out_districts, places


def _points(
    layer: gpd.GeoDataFrame | None, column: str | None
) -> list[tuple[float, float, str, dict[str, object]]]:
    if layer is None or layer.empty or (column is not None and column not in layer):
        return []
    metric = layer.to_crs(CRS_METRIC)
    pts = gpd.GeoSeries(metric.geometry.representative_point(), crs=CRS_METRIC).to_crs(CRS_WEB)
    keep = ~(pts.isna() | pts.is_empty).to_numpy()
    rows = layer.drop(columns=layer.geometry.name).to_dict("records")
    return [
        (float(p.y), float(p.x), str(r.get(column, "")) if column else "", r)
        for p, r, k in zip(pts, rows, keep, strict=True)
        if k
    ]


#: Short names of school kinds (RÚIAN/city open-data ``LABEL_1``).
_SCHOOL_KINDS: Final = (
    ("Základní škola a mateřská škola", "ZŠ a MŠ"),
    ("Základní umělecká škola", "ZUŠ"),
    ("Základní škola", "ZŠ"),
    ("Mateřská škola", "MŠ"),
    ("Gymnázium", "Gymnázium"),
    ("Střední", "SŠ"),
    ("Vysoká", "VŠ"),
)


def _school_name(row: Mapping[str, object]) -> str:
    """Return "ZŠ Ostrčilova": the kind's short name and the street (else the name, cut)."""
    kind = str(row.get("LABEL_1") or row.get("NAME") or row.get("name") or "")
    short = next((abbr for long, abbr in _SCHOOL_KINDS if kind.startswith(long)), "")
    street = row.get("ULICE")
    if short and isinstance(street, str) and street.strip():
        return f"{short} {street.strip()}"
    name = str(row.get("NAME") or row.get("name") or kind)
    return name if len(name) <= 32 else name[:31] + "…"


def fit_view(
    bounds_4326: tuple[float, float, float, float], *, width_px: int = 900, height_px: int = 600
) -> tuple[tuple[float, float], int]:
    """Return the centre ``(lat, lon)`` and the zoom that fit ``bounds_4326`` into the map.

    The map starts at this view (not at a default that ``fitBounds`` corrects later), so what
    the browser reports back as the view is the view shown.

    Examples
    --------
    >>> (lat, lon), zoom = fit_view((18.1, 49.8, 18.2, 49.9), width_px=800, height_px=600)
    >>> round(lat, 2), round(lon, 2), zoom
    (49.85, 18.15, 12)
    """
    minx, miny, maxx, maxy = bounds_4326

    def merc(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x = max(maxx - minx, 1e-5)
    span_y = max(merc(maxy) - merc(miny), 1e-5)
    zoom = math.floor(
        min(math.log2(width_px * 360 / 256 / span_x), math.log2(height_px * 360 / 256 / span_y))
    )
    return ((miny + maxy) / 2, (minx + maxx) / 2), max(5, min(zoom, 18))
