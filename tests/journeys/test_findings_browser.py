"""Findings of issue 11 that only a real browser shows: each fails on the code before the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from basemap_file import make_mbtiles
from support import (
    chips,
    choose,
    dashboard,
    go,
    in_map,
    language,
    map_frame,
    overlay_checks,
    settle,
    view,
    walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_f5_language_then_page_change_keeps_period_and_categories(app_url: str) -> None:
    with walk("f5_language") as w:
        page = w.page
        page.goto(app_url + "/?preset=90d&cat=truancy")
        settle(page)
        language(page, "en")
        go(page, "Trends")
        w.shot("trends_after_switch")
        assert w.query()["preset"] == "90d" and w.query()["cat"] == "truancy"
        assert chips(page, "Categories") == ["truancy"]
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "Period" in sidebar and "Období" not in sidebar  # labels in English
        period = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").nth(1)
        assert period.locator("input").first.input_value() == "last 90 days"  # kept, in English


def test_f7_layer_choice_and_zoom_survive_a_filter_change(app_url: str) -> None:
    with walk("f7_layers") as w:
        page = w.page
        page.goto(app_url + "/?preset=90d")
        settle(page)
        frame = map_frame(page)
        frame.locator(".leaflet-control-layers-overlays label", has_text="Městské obvody").locator(
            "input"
        ).click()
        frame.evaluate("() => window.map.setView([49.8353, 18.2920], 15)")
        settle(page)
        before = view(page)
        assert before[2] == 15
        w.shot("districts_off_zoomed_in")
        choose(page, "Kategorie", "záškoláctví")  # any filter change reruns the app
        map_frame(page)
        settle(page)
        after = view(page)
        w.shot("after_filter_change")
        assert overlay_checks(page)["Městské obvody"] is False
        assert (
            after[2] == 15 and abs(after[0] - before[0]) < 1e-3 and abs(after[1] - before[1]) < 1e-3
        )
        assert "districts" in w.query()["ml"] and w.query()["z"] == "15"


def test_f15_street_labels_addresses_and_district_zoom(app_url: str) -> None:
    with walk("f15_offline_map") as w:
        page = w.page
        page.goto(app_url + "/?preset=7d&z=16&c=49.83530,18.29200")
        settle(page)
        map_frame(page)
        counts = in_map(
            page,
            """() => ({
            stops: document.querySelectorAll('.apk-label-stop').length,
            schools: document.querySelectorAll('.apk-label-school').length,
            districts: document.querySelectorAll('.apk-label-district').length})""",
        )
        w.shot("street_zoom_labels")
        assert counts["stops"] > 0 and counts["districts"] > 0
        popup = in_map(
            page,
            """() => { let html = "";
            window.map.eachLayer(l => { if (!html && l instanceof L.CircleMarker && l.getPopup()) {
              html = l.getPopup().getContent(); } }); return html; }""",
        )
        if not popup:  # clustered at this zoom: open the markers of a cluster group
            popup = in_map(
                page,
                """() => { let html = "";
              window.map.eachLayer(l => { if (!html && l.getAllChildMarkers) {
                const m = l.getAllChildMarkers()[0]; if (m && m.getPopup()) {
                  html = m.getPopup().getContent(); } } }); return html; }""",
            )
        assert "Adresa:" in popup
        page.goto(app_url + "/?preset=90d&dist=Poruba")
        settle(page)
        lat, lon, zoom = view(page)
        assert zoom >= 12 and 49.80 < lat < 49.87 and 18.09 < lon < 18.22  # Poruba, not the city
        w.shot("poruba_zoomed")


def test_f15_local_basemap_tiles_are_served_and_drawn(demo_store: Path, tmp_path: Path) -> None:
    tiles = make_mbtiles(tmp_path / "city.mbtiles")
    with dashboard(demo_store, "--basemap", str(tiles)) as url, walk("f15_basemap") as w:
        page = w.page
        page.goto(url + "/?preset=7d&mt=local&z=15&c=49.84000,18.29000")
        settle(page)
        map_frame(page)
        loaded = 0
        for _ in range(60):  # tiles arrive after the map is drawn
            loaded = in_map(
                page, "() => document.querySelectorAll('img.leaflet-tile-loaded').length"
            )
            if loaded:
                break
            page.wait_for_timeout(250)
        w.shot("local_basemap")
        assert loaded > 0
        assert [u for u in w.requests if "/basemap/15/" in u]
        assert w.foreign_requests() == []
