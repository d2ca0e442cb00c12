"""Route exports: the GPX <rte> and <trk>, Czech numbers, the sheet's start and distance note."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point

from apk_geo import routes

ORIGIN = (-470_000.0, -1_100_000.0)
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
SHIFT = pd.Timestamp("2026-11-24T08:00", tz="Europe/Prague")
GPX = "{http://www.topografix.com/GPX/1/1}"


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


def candidates(xy: list[tuple[float, float]], prio: list[float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [f"p{i}" for i in range(len(xy))],
            "name": [f"Místo {i}" for i in range(len(xy))],
            "priority": prio,
        },
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in xy],
        crs="EPSG:5514",
    )


@pytest.fixture(scope="module")
def straight() -> routes.Route:
    return routes.plan_route(
        candidates([(300, 0), (300, 300), (0, 400)], [0.5425, 0.25, 0.125]),
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=90,
        start_name="Základna APK, Hulvácká 8",
    )


@pytest.fixture(scope="module")
def along_streets(tmp_path_factory: pytest.TempPathFactory) -> routes.Route:
    # streets: east 1000 m from the base, then north 1000 m; the place is at the far corner
    x0, y0 = ORIGIN
    lines = [
        LineString([(x0, y0), (x0 + 500, y0), (x0 + 1000, y0)]),
        LineString([(x0 + 1000, y0), (x0 + 1000, y0 + 1000)]),
    ]
    path = tmp_path_factory.mktemp("net") / "streets.gpkg"
    gpd.GeoDataFrame(geometry=lines, crs="EPSG:5514").to_file(path)
    return routes.plan_route(
        candidates([(1000, 1000)], [1.0]),
        start=latlon(*ORIGIN),
        shift_start=SHIFT,
        shift_minutes=90,
        network=path,
    )


def gpx_root(route: routes.Route, **kw: str) -> ET.Element:
    return ET.fromstring(routes.to_gpx(route, **kw).encode("utf-8"))


def test_gpx_has_waypoints_a_route_of_the_stops_and_the_track(straight: routes.Route) -> None:
    root = gpx_root(straight)
    assert [c.tag.removeprefix(GPX) for c in root] == [
        "metadata",
        "wpt",
        "wpt",
        "wpt",
        "wpt",
        "wpt",
        "rte",
        "trk",
    ]
    rtepts = root.findall(f"{GPX}rte/{GPX}rtept")
    assert [p.findtext(f"{GPX}type") for p in rtepts] == ["start", "stop", "stop", "stop", "end"]
    names = [p.findtext(f"{GPX}name") for p in rtepts]
    assert names[0] == "Start: Základna APK, Hulvácká 8"
    assert names[1:4] == [f"{r.order}. {r.name}" for r in straight.stops.itertuples()]
    for p, row in zip(rtepts[1:4], straight.stops.itertuples(), strict=True):
        assert float(p.attrib["lat"]) == pytest.approx(row.lat, abs=1e-7)
        assert float(p.attrib["lon"]) == pytest.approx(row.lon, abs=1e-7)
    # GPX 1.1 orders a point's children: time, name, desc, type (rtept here has no time)
    assert [c.tag.removeprefix(GPX) for c in rtepts[1]] == ["name", "type"]
    assert len(root.findall(f"{GPX}trk/{GPX}trkseg/{GPX}trkpt")) == 5  # straight legs


def test_gpx_descriptions_use_the_decimal_comma(straight: routes.Route) -> None:
    wpts = gpx_root(straight).findall(f"{GPX}wpt")
    first_stop = straight.stops.iloc[0]
    desc = wpts[1].findtext(f"{GPX}desc")
    expected = f"{first_stop['priority']:.3g}".replace(".", ",")
    assert desc is not None and f"priorita {expected}" in desc and "," in expected
    english = gpx_root(straight, lang="en").findall(f"{GPX}wpt")[1].findtext(f"{GPX}desc")
    assert english is not None and f"priority {first_stop['priority']:.3g}" in english


def test_gpx_route_follows_the_streets_when_a_network_is_given(
    along_streets: routes.Route,
) -> None:
    root = gpx_root(along_streets)
    rtepts = root.findall(f"{GPX}rte/{GPX}rtept")
    kinds = [p.findtext(f"{GPX}type") for p in rtepts]
    assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("stop") == 1
    corner = latlon(ORIGIN[0] + 1000, ORIGIN[1])
    vias = [
        (float(p.attrib["lat"]), float(p.attrib["lon"]))
        for p in rtepts
        if p.findtext(f"{GPX}type") == "via"
    ]
    # the turn at the corner is a route point (out and back: twice); the straight-through
    # vertex at 500 m is simplified away
    assert sum(abs(la - corner[0]) < 1e-6 and abs(lo - corner[1]) < 1e-6 for la, lo in vias) == 2
    middle = latlon(ORIGIN[0] + 500, ORIGIN[1])
    assert not any(abs(la - middle[0]) < 1e-7 and abs(lo - middle[1]) < 1e-7 for la, lo in vias)
    trk = root.findall(f"{GPX}trk/{GPX}trkseg/{GPX}trkpt")
    assert len(trk) == len(along_streets.line.geometry.iloc[0].coords) > len(rtepts)


def test_sheet_names_the_start_and_says_how_distances_were_measured(
    straight: routes.Route, along_streets: routes.Route
) -> None:
    html = routes.to_html(straight)
    assert "Start: Základna APK, Hulvácká 8" in html
    assert "vzdušná čára × 1,3 (bez uliční sítě)" in html
    assert f"{straight.start.lat:.5f}" not in html  # no coordinates where a name is known
    km = f"{straight.totals['distance_m'] / 1000:.1f}".replace(".", ",")
    assert f"{km} km" in html
    assert "straight lines × 1.3 (no street network)" in routes.to_html(straight, lang="en")
    streets = routes.to_html(along_streets)
    assert "Úseky vedou po ulicích (síť streets.gpkg)." in streets
    assert "vzdušná čára" not in streets
    # without a name the sheet falls back to coordinates in Czech notation, never to "None"
    lat = f"{along_streets.start.lat:.5f}".replace(".", ",")
    assert f"{lat}° s. š." in streets


def test_describe_point_prefers_the_nearest_address() -> None:
    x, y = ORIGIN
    addresses = pd.DataFrame(
        {
            "street": ["Hulvácká", "Hulvácká"],
            "house_no": [1234, 77],
            "orient_no": [8, pd.NA],
            "orient_letter": ["a", None],
            "part": ["Zábřeh", "Zábřeh"],
            "x_5514": [x + 20, x + 400],
            "y_5514": [y, y],
        }
    )
    assert routes.describe_point(*latlon(x, y), addresses=addresses) == "Hulvácká 1234/8a, Zábřeh"
    assert routes.describe_point(*latlon(x + 390, y), addresses=addresses) == "Hulvácká 77, Zábřeh"
    # farther than 80 m from every address: the coordinates
    far = routes.describe_point(*latlon(x + 200, y + 200), addresses=addresses)
    assert far.endswith("° v. d.") and "," in far.split("°")[0]


def test_plan_geojson_gives_every_team_its_colour() -> None:
    teams = [
        routes.Team("Dvojice 1", latlon(*ORIGIN), SHIFT, 90),
        routes.Team("Dvojice 2", latlon(ORIGIN[0] + 600, ORIGIN[1]), SHIFT, 90),
    ]
    plan = routes.plan_routes(
        candidates([(100, 0), (700, 0), (-200, 100), (650, 200)], [1, 1, 1, 1]), teams=teams
    )
    fc = routes.plan_to_geojson(plan)
    colours = {f["properties"]["team"]: f["properties"]["colour"] for f in fc["features"]}
    assert colours == {"Dvojice 1": routes.TEAM_COLOURS[0], "Dvojice 2": routes.TEAM_COLOURS[1]}
    data = routes.plan_to_json(plan)
    assert [t["team"] for t in data["teams"]] == ["Dvojice 1", "Dvojice 2"]
    assert data["totals"]["n_teams"] == 2
    assert "#0072B2" in routes.to_html(plan.routes[0])  # the sheet shows the team's colour


def _ruian_csv(tmp_path, x: float, y: float):
    """A one-address RÚIAN file: 30. dubna 635/35 at EPSG:5514 (x, y)."""
    header = (
        "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
        "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
        "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
    )
    row = (
        "3182860;554821;Ostrava;545911;Moravská Ostrava a Přívoz;;;413721;Moravská Ostrava;"
        f"1;30. dubna;č.p.;635;35;;70200;{-x:.2f};{-y:.2f};2013-12-01T00:00:00"
    )
    path = tmp_path / "adr.csv"
    path.write_bytes(f"{header}\n{row}\n".encode("cp1250"))
    return path


def test_cli_sheet_names_the_start_by_address(tmp_path) -> None:
    from apk_geo.cli import main

    gaz = _ruian_csv(tmp_path, ORIGIN[0] + 10, ORIGIN[1])
    cpath = tmp_path / "cand.geojson"
    candidates([(300, 0), (0, 300)], [1.0, 2.0]).to_crs(4326).to_file(cpath, driver="GeoJSON")
    lat, lon = latlon(*ORIGIN)
    common = [
        "route",
        "--candidates",
        str(cpath),
        "--gazetteer",
        str(gaz),
        "--shift-minutes",
        "60",
        "--shift-start",
        "2026-11-24T08:00",
        "--out",
        str(tmp_path / "r.json"),
    ]
    # coordinates 10 m from an address point: the sheet prints the address
    assert main([*common, "--start", f"{lat},{lon}", "--html", str(tmp_path / "a.html")]) == 0
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "Start: 30. dubna 635/35, Moravská Ostrava" in html
    # an address as typed is printed as typed
    assert main([*common, "--start", "30. dubna 635/35", "--html", str(tmp_path / "b.html")]) == 0
    assert "Start: 30. dubna 635/35 ·" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_a_start_far_from_every_candidate_is_refused() -> None:
    with pytest.raises(ValueError, match=r"start point 48\.2082, 16\.3738 is \d+ km from"):
        routes.plan_route(
            candidates([(0, 0)], [1.0]),
            start=(48.2082, 16.3738),
            shift_start=SHIFT,
            shift_minutes=60,
        )
