from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from apk_geo import assets, maps
from apk_geo.errors import AssetError, CRSError

ROOT = Path(__file__).resolve().parent.parent
TZ = "Europe/Prague"
CITY = gpd.read_file(ROOT / "data" / "ostrava_obec_dissolved_wgs84.geojson")
DISTRICTS = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")


def _points(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-472000, -466000, n)
    y = rng.uniform(-1104000, -1100000, n)
    return gpd.GeoDataFrame(
        {
            "reported_at": pd.Timestamp("2024-05-01 10:00", tz=TZ)
            + pd.to_timedelta(rng.integers(0, 10_000, n), unit="min"),
            "category": ["dogs"] * n,
            "outcome": ["patrol_called"] * n,
            "match": ["exact"] * n,
            "score": [97.0] * n,
            "note": ["TAJNÁ POZNÁMKA"] * n,
            "assistant": ["A-777"] * n,
            "address": ["Ulice 1"] * n,
        },
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:5514",
    )


# --- assets --------------------------------------------------------------------------------


def _folium_cdn_urls() -> set[str]:
    urls = {u for _, u in folium.Map.default_js + folium.Map.default_css}
    for cls in (
        folium.plugins.MarkerCluster,
        folium.plugins.FastMarkerCluster,
        folium.plugins.HeatMap,
        branca.colormap.ColorMap,
    ):
        urls |= {u for _, u in getattr(cls, "default_js", []) + getattr(cls, "default_css", [])}
    # streamlit-folium adds these two for colour maps (streamlit_folium/__init__.py)
    urls |= {
        "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
        "https://d3js.org/d3.v4.min.js",
    }
    return urls


def test_every_cdn_url_of_folium_has_a_local_copy() -> None:
    # Not on npm and unused by apk_geo maps (we drop them from the Map's links).
    unused = {u for u in _folium_cdn_urls() if "glyphicons" in u or "awesome.rotate" in u}
    assert len(unused) == 2
    missing = [u for u in _folium_cdn_urls() - unused if assets.local_url_for(u) is None]
    assert missing == []  # a folium upgrade that changes a pinned version fails here
    other_version = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
    assert assets.local_url_for(other_version) is None
    assert assets.local_url_for("https://example.org/npm/leaflet@1.9.3/dist/leaflet.js") == (
        f"{assets.STREAMLIT_VENDOR_URL.rstrip('/')}/leaflet/leaflet.js"
    )


def test_vendor_files_installed_from_npm() -> None:
    root = assets.require_installed()
    info = assets.manifest(root)
    versions = info["versions"]
    assert isinstance(versions, dict)
    assert versions["leaflet"] == "1.9.3"
    assert versions["leaflet.markercluster"] == "1.1.0"
    assert versions["d3-v3"] == "3.5.5"
    assert "L.version" in assets.read_asset(
        "leaflet", directory=root
    ) or "1.9.3" in assets.read_asset("leaflet", directory=root)
    assert (root / "leaflet" / "images" / "marker-icon.png").is_file()


def test_missing_vendor_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AssetError, match=r"apk-geo assets install"):
        assets.require_installed(tmp_path)
    with pytest.raises(AssetError, match="not installed"):
        assets.read_asset("leaflet", directory=tmp_path)
    with pytest.raises(KeyError, match="unknown asset 'nope'"):
        assets.asset_url("nope")


def test_asset_urls() -> None:
    assert assets.asset_url("leaflet") == "/app/static/vendor/leaflet/leaflet.js"
    assert assets.asset_url("leaflet_css", base_url="vendor/") == "vendor/leaflet/leaflet.css"


def _fake_vendor(tmp_path: Path) -> Path:
    root = tmp_path / "vendor"
    (root / "leaflet" / "images").mkdir(parents=True)
    (root / "leaflet" / "leaflet.js").write_text("var L = 1; // </script> inside")
    (root / "leaflet" / "images" / "dot.png").write_bytes(b"\x89PNG-tiny")
    (root / "leaflet" / "leaflet.css").write_text(
        ".a{background:url(images/dot.png)} .b{background:url('data:image/png;base64,AA==')}"
    )
    return root


def test_inline_html_embeds_scripts_styles_and_images(tmp_path: Path) -> None:
    root = _fake_vendor(tmp_path)
    page = (
        '<head><script src="/app/static/vendor/leaflet/leaflet.js"></script>'
        '<link rel="stylesheet" href="/app/static/vendor/leaflet/leaflet.css"/>'
        '<script src="/app/static/vendor/unknown.js"></script></head>'
    )
    out = assets.inline_html(page, directory=root)
    assert "var L = 1; // <\\/script> inside" in out
    png = base64.b64encode(b"\x89PNG-tiny").decode()
    assert f"url(data:image/png;base64,{png})" in out
    assert "url('data:image/png;base64,AA==')" in out  # existing data URIs untouched
    assert 'src="/app/static/vendor/leaflet/leaflet.js"' not in out
    assert 'src="/app/static/vendor/unknown.js"' in out  # not an asset: left alone


def test_inline_css_drops_ttf_fallback(tmp_path: Path) -> None:
    root = tmp_path / "v"
    (root / "fontawesome" / "css").mkdir(parents=True)
    (root / "fontawesome" / "webfonts").mkdir()
    (root / "fontawesome" / "webfonts" / "fa.woff2").write_bytes(b"w2")
    (root / "fontawesome" / "css" / "all.min.css").write_text(
        '@font-face{src:url(../webfonts/fa.woff2) format("woff2"),'
        'url(../webfonts/fa.ttf) format("truetype")}'
    )
    css = assets.inline_css("awesome_markers_font_css", directory=root)
    assert ".ttf" not in css
    assert base64.b64encode(b"w2").decode() in css


def test_inlined_real_map_has_no_links_left() -> None:
    m = maps.incident_map(_points(5), city=CITY)
    page = assets.inline_html(maps.render_html(m))
    assert "/app/static/vendor" not in page
    assert maps.external_urls(page) == []
    assert "L.markerClusterGroup" in page and "leaflet" in page.lower()


# --- maps -----------------------------------------------------------------------------------


def test_map_loads_nothing_from_the_internet() -> None:
    m = maps.incident_map(_points(20), districts=DISTRICTS, city=CITY, synthetic=True)
    page = maps.render_html(m)
    assert maps.external_urls(page) == []
    assert "cdn." not in page and "cdnjs" not in page and "code.jquery.com" not in page
    assert '<script src="/app/static/vendor/leaflet/leaflet.js"></script>' in page
    assert "/app/static/vendor/markercluster/leaflet.markercluster.js" in page
    assert "/app/static/vendor/heat/leaflet-heat.js" in page
    assert 'L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"' in page
    assert "tileLayer" not in page  # no tiles by default


def test_attribution_line_has_data_sources_and_demo_note() -> None:
    page = maps.render_html(maps.incident_map(_points(3), synthetic=True))
    assert "ArcČR" in json.loads(f'"{_attribution(page)}"')
    assert "syntetická demo data" in json.loads(f'"{_attribution(page)}"')
    plain = maps.render_html(maps.incident_map(_points(3), synthetic=False))
    assert "syntetick" not in json.loads(f'"{_attribution(plain)}"')


def _attribution(page: str) -> str:
    match = re.search(r'addAttribution\("((?:[^"\\]|\\.)*)"\)', page)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize(
    ("tiles", "needle"), [("osm", "tile.openstreetmap.org"), ("cuzk_ortho", "ags.cuzk.gov.cz")]
)
def test_optional_tiles_carry_attribution(tiles: maps.TileChoice, needle: str) -> None:
    page = maps.render_html(maps.base_map(tiles=tiles))
    assert needle in page
    assert ("openstreetmap.org/copyright" if tiles == "osm" else "Ortofoto \\u00a9") in page


def test_popups_are_escaped_and_hold_no_sensitive_fields() -> None:
    pts = _points(3)
    pts.loc[1, "category"] = "<script>alert('x')</script>"
    before = pts.copy()
    page = maps.render_html(maps.incident_map(pts))
    assert "<script>alert" not in page
    # escaped by html.escape, then \u003c-encoded by tojson inside the script
    assert "\\u0026lt;script\\u0026gt;alert" in page
    for secret in ("TAJN", "A-777", "Ulice 1"):
        assert secret not in page
    pd.testing.assert_frame_equal(pd.DataFrame(pts), pd.DataFrame(before))


def test_popup_content() -> None:
    row = {
        "category": "dogs",
        "outcome": "patrol_called",
        "match": "fuzzy",
        "score": 91.4,
        "reported_at": pd.Timestamp("2024-05-03 17:05", tz=TZ),
        "note": "x",
    }
    assert maps.popup_html(row) == (
        "<b>Kategorie:</b> volné pobíhání psů<br><b>Datum:</b> 3. 5. 2024 17:05<br>"
        "<b>Výsledek:</b> přivolána hlídka MP<br><b>Kvalita geokódování:</b> přibližná shoda (91)"
    )
    english = maps.popup_html(row, lang="en")
    assert "Category:" in english
    assert "<b>Date:</b> 3 May 2024 17:05" in english and "fuzzy match (91)" in english


def test_district_labels_are_escaped() -> None:
    d = DISTRICTS.head(2).copy()
    d.loc[d.index[0], "NAZEV"] = "<img src=x onerror=alert(1)>"
    page = maps.render_html(maps.incident_map(_points(2), districts=d))
    assert "<img src=x" not in page
    assert "\\u0026lt;img src=x" in page


def test_aggregate_points_by_hand() -> None:
    pts = gpd.GeoDataFrame(
        geometry=[Point(10, 10), Point(90, 90), Point(150, 10), None], crs="EPSG:5514"
    )
    out = maps.aggregate_points(pts, cell_size_m=100)
    assert out["n"].tolist() == [2, 1]
    assert out.geometry.iloc[0].equals(box(0, 0, 100, 100))
    assert out.geometry.iloc[1].equals(box(100, 0, 200, 100))
    with pytest.raises(ValueError, match="cell_size_m"):
        maps.aggregate_points(pts, cell_size_m=0)


def test_many_points_are_sent_as_cells_and_payload_stays_small() -> None:
    small = maps.incident_map(_points(1_000), max_points=2_000)
    big = maps.incident_map(_points(50_000), max_points=2_000)
    small_page, big_page = maps.render_html(small), maps.render_html(big)
    assert "L.markerClusterGroup" in small_page and "L.markerClusterGroup" not in big_page
    assert len(big_page) < 1_500_000
    # the cells carry their counts, and they add up to every point
    counts = [int(n) for n in re.findall(r"Ud\\u00e1losti: (\d+)", big_page)]
    assert sum(counts) == 50_000


def test_hotspot_layers_draw_only_significant_cells() -> None:
    cells = gpd.GeoDataFrame(
        {"hotspot_class": [3, 0, -2, 0], "risk": [0.9, 0.1, 0.5, 0.2]},
        geometry=[box(-470000 + i * 150, -1100000, -469850 + i * 150, -1099850) for i in range(4)],
        crs="EPSG:5514",
    )
    clusters = gpd.GeoDataFrame(
        {"label": ["Stodolní <b>", "Hlavní"], "n": [12, 5]},
        geometry=[
            box(-470000, -1100000, -469000, -1099000),
            box(-468000, -1100000, -467000, -1099000),
        ],
        crs="EPSG:5514",
    )
    m = maps.base_map()
    maps.add_hotspots(m, cells=cells, clusters=clusters, risk=cells, max_risk_cells=3)
    page = maps.render_html(m)
    data = [json.loads(d) for d in re.findall(r"_add\((\{\"features\".*?\})\);", page)]
    assert [len(d["features"]) for d in data] == [2, 2, 3]  # Gi* (class != 0), clusters, risk
    assert sorted(f["properties"]["colour"] for f in data[0]["features"]) == sorted(
        [maps.GISTAR_COLOURS[3], maps.GISTAR_COLOURS[-2]]
    )
    assert data[1]["features"][0]["properties"]["tip"] == "Stodolní &lt;b&gt; (12)"


def test_legend_needs_no_d3_and_map_has_no_colormap() -> None:
    m = maps.incident_map(
        _points(5),
        cells=gpd.GeoDataFrame(
            {"hotspot_class": [1]},
            geometry=[box(-470000, -1100000, -469900, -1099900)],
            crs="EPSG:5514",
        ),
    )
    page = maps.render_html(m)
    assert "hotspot 99 %" in page  # legend entry (inside a JSON string)
    assert not any("d3" in src for src in re.findall(r'<script src="([^"]+)"', page))
    assert not any(isinstance(ch, branca.colormap.ColorMap) for ch in m._children.values())


def test_missing_crs_is_refused() -> None:
    pts = _points(2).set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no CRS"):
        maps.incident_map(pts)


def test_layer_provenance_in_both_languages() -> None:
    from apk_geo.maps import LAYER_PROVENANCE, layer_provenance

    for name in ("districts", "city", "svl", "hostels", "incidents", "address_points"):
        assert name in LAYER_PROVENANCE
    assert "ArcČR" in layer_provenance("districts", "cs")
    assert "přes RCzechia" in layer_provenance("districts", "cs")
    assert "via RCzechia" in layer_provenance("districts", "en")
    assert layer_provenance("svl", "en").startswith("synthetic")
    assert layer_provenance("nope") == ""


# --- issue 11: three map styles, kept layer choices, small screens, an offline map to read ---

from apk_geo import map_style  # noqa: E402
from apk_geo.basemap import MBTiles, open_basemap, tile_app_routes  # noqa: E402
from apk_geo.errors import InputFileError, ParameterError  # noqa: E402


def _grid(n: int = 6) -> gpd.GeoDataFrame:
    cells = [box(-470000 + 100 * i, -1100000, -469900 + 100 * i, -1099900) for i in range(n)]
    return gpd.GeoDataFrame(
        {"cell_id": range(n), "n": range(n), "hotspot_class": [3, 2, 1, -1, -2, -3][:n],
         "risk": np.linspace(0.1, 0.9, n)},
        geometry=cells, crs="EPSG:5514",
    )  # fmt: skip


def _layer(m: folium.Map, name: str) -> folium.GeoJson:
    return next(c for c in m._children.values() if getattr(c, "layer_name", None) == name)


def test_three_map_styles_use_palettes_that_share_no_colour() -> None:
    counts, classes = set(map_style.COUNT_COLOURS), set(map_style.GISTAR_COLOURS.values())
    risk = set(map_style.RISK_COLOURS)
    assert not counts & classes and not counts & risk and not classes & risk
    html = map_style.legend_html(counts=True, gistar=True, risk=True)
    for title in ("Počet událostí", "Významnost (Gi*)", "Předpověď rizika"):
        assert title in html
    assert all(colour in html for colour in risk | counts | classes)


def test_risk_layer_is_shown_in_the_risk_palette_with_a_legend() -> None:
    m = maps.incident_map(_points(5), risk=_grid())
    layer = _layer(m, "Předpověď rizika")
    assert layer.show is True  # the toggle adds a layer that is on
    colours = {f["properties"]["colour"] for f in layer.data["features"]}
    assert colours <= set(map_style.RISK_COLOURS) and len(colours) > 1
    page = maps.render_html(m)
    legend = page[page.index("legend.onAdd") :]
    assert json.dumps("Předpověď rizika")[1:-1] in legend[: legend.index("legend.addTo")]


def test_counts_per_square_use_the_count_palette() -> None:
    m = maps.incident_map(_points(300), max_points=100)
    layer = _layer(m, "Události (počty ve čtvercích)")
    colours = {f["properties"]["colour"] for f in layer.data["features"]}
    assert colours <= set(map_style.COUNT_COLOURS)


def test_switched_off_layers_start_off_and_are_reported_back() -> None:
    m = maps.incident_map(_points(5), districts=DISTRICTS, hidden_layers={"districts"})
    assert _layer(m, "Městské obvody").show is False
    assert _layer(m, "Teplotní mapa").show is True  # not in the hidden set: on
    page = maps.render_html(m)
    assert '"Městské obvody": "districts"' in json.dumps(
        {"Městské obvody": "districts"}, ensure_ascii=False
    )
    assert "apk:off" in page and '["districts"]' in page
    default = maps.incident_map(_points(5), districts=DISTRICTS)
    assert _layer(default, "Teplotní mapa").show is False  # the default: heat off
    selected = [{"name": "districts", "url": "apk:off"}, {"name": "x", "url": "http://wms"}]
    assert map_style.hidden_from_selected(selected) == ("districts",)
    assert map_style.hidden_from_selected(None) is None


def test_small_screens_get_folded_controls_metric_scale_and_a_short_attribution() -> None:
    page = maps.render_html(maps.incident_map(_points(5), districts=DISTRICTS))
    assert "L.control.scale({imperial: false, metric: true" in page
    assert "L.control.scale()" not in page  # folium's own (miles and feet) is off
    assert '"collapsed": (function(){try {return window.top.innerWidth < 700;}' in page
    assert "text-overflow: ellipsis" in page and "apk-open" in page  # one line, tap for all
    assert "\\u003cdetails open\\u003e\\u003csummary\\u003e" in page  # the legend folds


def test_street_labels_and_district_names() -> None:
    stops = gpd.GeoDataFrame(
        {"zast_jm": ["Hulváky", "Hulváky", "<b>Nádraží</b>"]},
        geometry=[Point(-470000, -1100000), Point(-470040, -1100000), Point(-469000, -1100000)],
        crs="EPSG:5514",
    )
    schools = gpd.GeoDataFrame(
        {"LABEL_1": ["Základní škola"], "ULICE": ["Ostrčilova"], "NAME": ["ZŠ ... dlouhý název"]},
        geometry=[Point(-469500, -1100000)],
        crs="EPSG:5514",
    )
    districts, places = map_style.label_points(DISTRICTS, stops, schools)
    assert len(districts) == len(DISTRICTS)
    names = [(name, kind) for _, _, name, kind in places]
    assert names == [("<b>Nádraží</b>", "stop"), ("Hulváky", "stop"), ("ZŠ Ostrčilova", "school")]
    page = maps.render_html(maps.incident_map(_points(5), districts=DISTRICTS, stops=stops,
                                              schools=schools))  # fmt: skip
    assert "&lt;b&gt;Nádraží&lt;/b&gt;" in page and "<b>Nádraží" not in page
    assert f"map.getZoom() < {map_style.LABEL_MIN_ZOOM}" in page


def test_incident_popups_show_the_address_only_to_the_internal_tier() -> None:
    row = {"category": "dogs", "outcome": "referred", "address": "Nádražní <120>",
           "reported_at": pd.Timestamp("2024-05-03 17:05", tz=TZ), "note": "TAJNÉ"}  # fmt: skip
    internal = maps.popup_html(row, tier="internal")
    assert "<b>Adresa:</b> Nádražní &lt;120&gt;" in internal and "TAJN" not in internal
    assert "Nádražní" not in maps.popup_html(row)


def test_choosing_a_district_zooms_to_it() -> None:
    poruba = DISTRICTS[DISTRICTS["NAZEV"] == "Poruba"]
    m = maps.incident_map(_points(5), city=CITY, districts=DISTRICTS, focus=poruba)
    minx, miny, maxx, maxy = poruba.total_bounds
    lat, lon = m.location
    assert miny < lat < maxy and minx < lon < maxx
    city = maps.incident_map(_points(5), city=CITY, districts=DISTRICTS)
    assert m.options["zoom"] > city.options["zoom"]


def _mbtiles(tmp_path: Path) -> Path:
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "journeys"))
    from basemap_file import make_mbtiles

    return make_mbtiles(tmp_path / "city.mbtiles", zooms=range(12, 14))


def test_mbtiles_tiles_are_read_in_the_xyz_scheme(tmp_path: Path) -> None:
    import sys

    path = _mbtiles(tmp_path)
    sys.path.insert(0, str(ROOT / "tests" / "journeys"))
    from basemap_file import png, tile_xy

    tiles = MBTiles(path)
    x, y = tile_xy(49.84, 18.29, 13)
    assert tiles.tile(13, x, y) == png(13, x, y)  # TMS row flipped back to XYZ
    assert tiles.tile(13, x, (1 << 13) - 1 - y) is None  # the unflipped row is elsewhere
    assert tiles.tile(13, -1, y) is None
    described = tiles.describe()
    assert (described.min_zoom, described.max_zoom) == (12, 13)
    assert described.attribution == "© Test city base map"
    page = maps.render_html(maps.base_map(tiles="local", local_basemap=described))
    assert '"/basemap/{z}/{x}/{y}.png"' in page and "Test city base map" in page
    assert maps.external_urls(page) == []


def test_the_tile_route_serves_pngs_and_empty_squares(tmp_path: Path) -> None:
    import asyncio
    import sys

    from starlette.requests import Request

    sys.path.insert(0, str(ROOT / "tests" / "journeys"))
    from basemap_file import tile_xy

    (route,) = tile_app_routes(MBTiles(_mbtiles(tmp_path)))
    assert route.path == "/basemap/{z}/{x}/{y}"

    def get(z: str, x: str, y: str) -> object:
        scope = {"type": "http", "method": "GET", "path_params": {"z": z, "x": x, "y": y},
                 "headers": [], "query_string": b""}  # fmt: skip
        return asyncio.run(route.endpoint(Request(scope)))

    x, y = tile_xy(49.84, 18.29, 12)
    ok = get("12", str(x), f"{y}.png")
    assert ok.status_code == 200 and ok.media_type == "image/png"  # type: ignore[attr-defined]
    assert ok.body[:8] == b"\x89PNG\r\n\x1a\n"  # type: ignore[attr-defined]
    assert get("12", "0", "0.png").status_code == 204  # type: ignore[attr-defined]
    assert get("x", "0", "0.png").status_code == 404  # type: ignore[attr-defined]


def test_bad_base_maps_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"\.mbtiles"):
        open_basemap(tmp_path / "city.png")
    (tmp_path / "x.mbtiles").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InputFileError, match="not an MBTiles file"):
        MBTiles(tmp_path / "x.mbtiles")
    with pytest.raises(InputFileError, match="does not exist"):
        MBTiles(tmp_path / "none.mbtiles")
    assert open_basemap(None) is None
    with pytest.raises(ParameterError, match="needs local_basemap"):
        maps.base_map(tiles="local")
