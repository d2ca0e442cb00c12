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
        "<b>Kategorie:</b> volné pobíhání psů<br><b>Datum:</b> 03.05.2024 17:05<br>"
        "<b>Výsledek:</b> přivolána hlídka MP<br><b>Kvalita geokódování:</b> fuzzy (91)"
    )
    assert "Category:" in maps.popup_html(row, lang="en")


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
