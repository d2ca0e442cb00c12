"""Route maps (apk_geo.route_maps): one route as before, several teams each in its own colour."""

from __future__ import annotations

import html
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from apk_geo import maps, route_maps, routes
from apk_geo.errors import ParameterError

ORIGIN = (-470_000.0, -1_100_000.0)
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
SHIFT = pd.Timestamp("2026-11-24T08:00", tz="Europe/Prague")


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


def scatter(n: int, seed: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-1500, 1500, (n, 2))
    return gpd.GeoDataFrame(
        {
            "id": [f"h{i}" for i in range(n)],
            "name": [f"Místo <{i}>" for i in range(n)],
            "priority": rng.gamma(2.0, 1.0, n),
        },
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in xy],
        crs="EPSG:5514",
    )


@pytest.fixture(scope="module")
def one() -> routes.Route:
    return routes.plan_route(
        scatter(6, 3), start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=120
    )


@pytest.fixture(scope="module")
def three() -> routes.TeamPlan:
    teams = [
        routes.Team("Dvojice 1", latlon(*ORIGIN), SHIFT, 150),
        routes.Team("Dvojice 2", latlon(ORIGIN[0] + 900, ORIGIN[1] - 300), SHIFT, 150),
        routes.Team("Dvojice <3>", latlon(ORIGIN[0] - 900, ORIGIN[1] + 300), SHIFT, 150),
    ]
    return routes.plan_routes(scatter(24, 1), teams=teams)


def tooltips(page: str) -> list[str]:
    """Return the tooltip texts of the page's markers (folium writes them as JS strings)."""
    return [
        json.loads(f'"{s}"')
        for s in re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`", page, re.S)
    ]


def line_colours(page: str) -> list[str]:
    """Return the colours of the GeoJSON paths, in the order drawn."""
    return re.findall(r'"color": "(#[0-9A-Fa-f]{6})", "opacity": 0.85', page)


def legend_rows(page: str) -> list[str]:
    """Return the legend's rows: the text after each colour swatch."""
    block = re.search(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");', page)
    assert block is not None, "no legend on the map"
    legend = json.loads(block.group(1))
    return re.findall(r"</span>([^<]*)</div>", legend)


def test_one_route_draws_every_stop(one: routes.Route) -> None:
    page = maps.render_html(route_maps.route_map(one, synthetic=True))
    assert page.count("L.divIcon(") == len(one.stops) + 2  # stops, start and end
    tips = tooltips(page)
    for row in one.stops.itertuples():
        assert (
            f"{row.order}. {row.name} {row.arrive:%H:%M}".replace("<", "&lt;").replace(">", "&gt;")
            in tips
        )
    assert "Místo <" not in page  # names escaped
    assert line_colours(page) == [one.colour]
    assert legend_rows(page) == [f"Trasy hlídky · zastávek: {len(one.stops)}"]
    assert maps.external_urls(page) == []


def test_three_routes_each_in_its_own_colour_with_every_stop(three: routes.TeamPlan) -> None:
    assert all(len(r.stops) for r in three.routes), "a team got no stop; the fixture is too small"
    page = maps.render_html(route_maps.route_map(three.routes, lang="en"))
    colours = line_colours(page)
    assert len(colours) == 3 and len(set(colours)) == 3
    assert colours == [r.colour for r in three.routes]  # the plan's colours, as on the sheets
    n_stops = sum(len(r.stops) for r in three.routes)
    assert page.count("L.divIcon(") == n_stops + 2 * 3
    tips = tooltips(page)
    for route in three.routes:
        team = route.team.replace("<", "&lt;").replace(">", "&gt;")
        for row in route.stops.itertuples():
            name = str(row.name).replace("<", "&lt;").replace(">", "&gt;")
            assert f"{team} – {row.order}. {name} {row.arrive:%H:%M}" in tips
        # each stop badge is drawn in its team's colour
        assert page.count(f"background:{route.colour};color:#fff;border-radius:50%") == len(
            route.stops
        )
    rows = legend_rows(page)
    assert rows == [
        f"{r.team} · stops: {len(r.stops)}".replace("<", "&lt;").replace(">", "&gt;")
        for r in three.routes
    ]
    assert "Dvojice <3>" not in page
    assert maps.external_urls(page) == []


def test_routes_planned_apart_get_distinct_palette_colours(one: routes.Route) -> None:
    # three single-team plans all carry the first colour: the map gives each its own
    assert route_maps.route_colours([one, one, one]) == list(route_maps.ROUTE_COLOURS[:3])
    page = maps.render_html(route_maps.route_map([one, one, one]))
    assert line_colours(page) == list(route_maps.ROUTE_COLOURS[:3])


def test_the_map_fits_every_route(three: routes.TeamPlan) -> None:
    m = route_maps.route_map(three.routes)
    (south, west), (north, east) = m.get_bounds()
    for route in three.routes:
        for row in route.stops.itertuples():
            assert south - 1e-6 <= row.lat <= north + 1e-6
            assert west - 1e-6 <= row.lon <= east + 1e-6


def test_no_route_is_an_error() -> None:
    with pytest.raises(ParameterError, match="at least one route"):
        route_maps.route_map([])


def test_context_layers_come_before_the_layer_list(three: routes.TeamPlan) -> None:
    # the layer list refers to every layer by its variable: each must be defined before it,
    # or Leaflet stops the script (a blank map) — so the outlines go in through route_map
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    districts = gpd.read_file(root / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    page = maps.render_html(route_maps.route_map(three.routes, districts=districts, lang="en"))
    control = page.index("overlays :")  # the layer list, written just before L.control.layers
    block = page[control : page.index("}", control)]
    names = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:\s*(\w+)', block)
    teams = {html.escape(r.team) for r in three.routes}  # the layer list shows names escaped
    assert {json.loads(f'"{n}"') for n, _ in names} == {"City districts", *teams}
    for _, var in names:
        assert page.index(f"var {var} = ") < control, var
