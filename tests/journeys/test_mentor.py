"""A mentor: Map → truancy in Poruba → hotspots inside Poruba → a route from an address → GPX, PDF.

Switches to English half-way and checks the filters survive the switch and the page change.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point
from support import ROOT, chips, choose, gistar_cells, go, language, map_frame, settle, walk

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def poruba() -> object:
    shapes = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    return shapes.loc[shapes["NAZEV"] == "Poruba"].geometry.iloc[0]


def test_mentor_journey(app_url: str) -> None:
    with walk("mentor") as w:
        page = w.page
        page.goto(app_url + "/mapa")
        settle(page)
        assert page.locator("h1").first.inner_text() == "Mapa"
        shown = page.locator("body").inner_text()  # (the Czech chrome script names it in code)
        assert "Page not found" not in shown and "Stránka nenalezena" not in shown
        w.shot("map_opened")

        choose(page, "Období", "posledních 90 dní")
        choose(page, "Kategorie", "záškoláctví")
        choose(page, "Městské obvody", "Poruba")
        map_frame(page)
        w.shot("truancy_in_poruba")
        hot = gistar_cells(page)
        assert hot, "no Gi* cells drawn"
        area = poruba().buffer(0.003)
        assert all(Point(lon, lat).within(area) for lat, lon in hot)
        assert w.query()["dist"] == "Poruba" and w.query()["cat"] == "truancy"

        language(page, "en")  # half-way: English; the filters stay
        assert page.locator("h1").first.inner_text() == "Map"
        assert chips(page, "Categories") == ["truancy"]
        assert chips(page, "City districts") == ["Poruba"]
        go(page, "Routes")
        assert w.query()["cat"] == "truancy" and w.query()["preset"] == "90d"
        w.shot("routes_english")

        main = page.get_by_test_id("stMain")
        main.get_by_text("another place (address or coordinates)").click()
        settle(page)
        box = main.get_by_test_id("stTextInput").first.locator("input")
        box.fill("Neexistující 5")  # a street the address points lack: the page says why
        box.press("Enter")
        settle(page)
        main.get_by_role("button", name="Plan").click()
        settle(page)
        error = page.get_by_test_id("stAlertContentError").first.inner_text()
        assert "“Neexistující 5” is not among the store's address points: street" in error, error
        assert "not found in the gazetteer (closest: '" in error, error
        w.shot("address_not_found")
        box.fill("Prokešovo náměstí 8, Ostrava")
        box.press("Enter")
        settle(page)
        main.get_by_role("button", name="Plan").click()
        main.get_by_role("button", name="Download GPX").wait_for(timeout=240_000)
        settle(page, timeout_ms=180_000)
        assert not page.get_by_test_id("stAlertContentError").count()
        assert main.get_by_text("Found: Prokešovo náměstí 1803/8").count()
        w.shot("route_planned")
        with page.expect_download() as got:
            main.get_by_role("button", name="Download GPX").click()
        gpx = got.value.path().read_text(encoding="utf-8")
        assert "<gpx" in gpx and "SYNTHETIC DEMO DATA" in gpx
        assert got.value.suggested_filename == "trasa_synteticka.gpx"
        with page.expect_download() as got:
            main.get_by_role("button", name="Download JSON").click()
        assert json.loads(got.value.path().read_text(encoding="utf-8"))["synthetic"] is True

        go(page, "MDT meetings")
        w.shot("mdt_english")
        main.get_by_role("button", name="Make the PDF").click()
        main.get_by_role("button", name="Download the PDF").wait_for(timeout=180_000)
        with page.expect_download() as got:
            main.get_by_role("button", name="Download the PDF").click()
        assert got.value.path().read_bytes()[:5] == b"%PDF-"
        w.shot("pdf_ready")
        go(page, "Map")
        assert chips(page, "Categories") == ["truancy"]  # still there after three pages
        w.shot("back_on_the_map")
    assert w.foreign_requests() == []
