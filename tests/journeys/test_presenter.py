"""A presenter at the MDT meeting: ``apk-geo dashboard --presenter`` → every area → full screen
→ PDF; no navigation, no incident point, note or assistant code anywhere in the page.
"""

from __future__ import annotations

import re

import pytest
from support import dom_text, incident_points, language, settle, walk

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("viewport", ["laptop", "desktop"])
def test_presenter_journey(presenter_url: str, viewport: str) -> None:
    with walk(f"presenter_{viewport}", viewport) as w:
        page = w.page
        page.goto(presenter_url + "/data")  # another page by URL: the MDT page anyway
        settle(page)
        assert page.locator("h1").first.inner_text() == "MDT porady"
        assert page.get_by_test_id("stSidebarNav").count() == 0
        w.shot("opened")
        seen = []
        for i in range(7):
            seen.append(
                page.get_by_test_id("stHeading").filter(has=page.locator("h2")).first.inner_text()
            )
            if i == 3:
                language(page, "en")  # half-way through the areas
                assert page.get_by_role("button", name="Next area ▶").count()
            dom = dom_text(page)
            assert not re.search(r"APK-\d\d", dom), "an assistant code is on the page"
            assert "smyšlený záznam" not in dom, "an incident note is on the page"
            assert incident_points(page) == 0  # cells only, never an incident's point
            w.shot(f"area_{i + 1}")
            page.get_by_role("button", name=re.compile("Další oblast|Next area")).click()
            settle(page)
        assert len(set(seen)) == 7
        td = page.locator("table.apk-big td").first
        assert float(td.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 22

        page.get_by_text("Full-screen map").click()
        settle(page)
        frame = page.locator('iframe[data-testid="stIFrame"]').first
        box = frame.bounding_box()
        width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 1
        assert box["height"] >= 0.6 * height and box["width"] >= 0.9 * width
        w.shot("full_screen")
        page.get_by_text("Full-screen map").click()
        settle(page)
        page.get_by_role("button", name="Make the PDF").click()
        page.get_by_role("button", name="Download the PDF").wait_for(timeout=180_000)
        with page.expect_download() as got:
            page.get_by_role("button", name="Download the PDF").click()
        assert got.value.path().read_bytes()[:5] == b"%PDF-"
        w.shot("pdf")
    assert w.foreign_requests() == []
