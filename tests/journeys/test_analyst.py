"""An analyst: Hotspoty → change the filter → table and map agree with a fresh tab on the same URL
→ trends → import a file on Data. Switches to English half-way; the filters survive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import (
    chips,
    choose,
    gistar_cells,
    go,
    grid_rows,
    language,
    map_frame,
    settle,
    walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def hotspots_seen(page: object) -> tuple[list[str], list[tuple[float, float]]]:
    map_frame(page)  # type: ignore[arg-type]
    rows = grid_rows(page)  # type: ignore[arg-type]
    cells = sorted((round(a, 4), round(o, 4)) for a, o in gistar_cells(page))  # type: ignore[arg-type]
    return [r[1] for r in rows if len(r) > 1], cells


def test_analyst_journey(app_url: str, demo_store: Path, tmp_path: Path) -> None:
    with walk("analyst", "desktop") as w:
        page = w.page
        page.goto(app_url + "/hotspoty")
        settle(page)
        w.shot("hotspots_city")
        city_places, _ = hotspots_seen(page)
        choose(page, "Městské obvody", "Ostrava-Jih")
        places, cells = hotspots_seen(page)
        w.shot("hotspots_ostrava_jih")
        assert places and places != city_places
        assert all(p.startswith("Ostrava-Jih – ") for p in places)
        assert not any("čtverec" in p for p in places)
        url = page.url

        fresh = page.context.browser.new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[union-attr]
        other = fresh.new_page()
        other.goto(url)
        settle(other)
        assert hotspots_seen(other) == (places, cells)  # the same result for the same link
        other.screenshot(path=str(w.shot("fresh_tab").with_name("03b_fresh_tab_itself.png")))
        fresh.close()

        language(page, "en")
        assert chips(page, "City districts") == ["Ostrava-Jih"]
        assert page.locator("h1").first.inner_text() == "Hotspots"
        go(page, "Trends")
        assert chips(page, "City districts") == ["Ostrava-Jih"]
        assert page.get_by_test_id("stVegaLiteChart").count() >= 2
        w.shot("trends_english")

        go(page, "Data")
        export = sorted((demo_store.parent / "exports").glob("apk_export_2026.csv"))[0]
        lines = export.read_bytes().splitlines(keepends=True)
        small = tmp_path / "apk_export_small.csv"
        small.write_bytes(b"".join(lines[:1] + lines[-15:]))
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(small))
        page.get_by_test_id("stMain").get_by_role("button", name="Import", exact=True).click()
        settle(page, timeout_ms=180_000)
        assert page.get_by_text("The file apk_export_small.csv has been imported.").count()
        w.shot("imported")
        go(page, "Hotspots")
        assert chips(page, "City districts") == ["Ostrava-Jih"]
    assert w.foreign_requests() == []
