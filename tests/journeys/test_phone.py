"""Someone on a 390×844 phone: the map is readable, controls fold, the scale is metric, deep
links to page paths work, and the language switch keeps the filters.
"""

from __future__ import annotations

import re

import pytest
from support import (
    choose,
    close_sidebar,
    in_map,
    language,
    map_frame,
    open_sidebar,
    settle,
    wait_chips,
    walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_phone_journey(app_url: str) -> None:
    with walk("phone", "phone") as w:
        page = w.page
        page.goto(app_url + "/mapa?preset=90d&cat=syringes&lang=cs")  # a shared deep link
        settle(page)
        assert page.locator("h1").first.inner_text() == "Mapa"
        shown = page.locator("body").inner_text()  # (the Czech chrome script names it in code)
        assert "Page not found" not in shown and "Stránka nenalezena" not in shown
        map_frame(page).locator(".leaflet-container").first.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        w.shot("map_on_a_phone")
        folded = in_map(
            page,
            """() => ({
            layers: !document.querySelector('.leaflet-control-layers')
                .classList.contains('leaflet-control-layers-expanded'),
            legend: !document.querySelector('.apk-legend details').open,
            attribution: document.querySelector('.leaflet-control-attribution')
                .getBoundingClientRect().height,
            scale: [...document.querySelectorAll('.leaflet-control-scale-line')]
                .map(e => e.innerText),
            mapHeight: document.querySelector('.leaflet-container').getBoundingClientRect().height,
        })""",
        )
        assert folded["layers"] and folded["legend"]
        assert folded["attribution"] <= 20  # one short line, not four
        assert len(folded["scale"]) == 1 and re.fullmatch(r"\d+ k?m", folded["scale"][0])
        open_sidebar(page)
        w.shot("sidebar_open")
        choose(page, "Městské obvody", "Poruba")
        assert wait_chips(page, "Městské obvody", ["Poruba"]) == ["Poruba"]  # picked, then
        language(page, "en")
        assert wait_chips(page, "Categories", ["used syringes"]) == ["used syringes"]
        assert wait_chips(page, "City districts", ["Poruba"]) == ["Poruba"]
        close_sidebar(page)
        w.shot("english_poruba")
        page.goto(app_url + "/hotspoty?lang=en&dist=Poruba")
        settle(page)
        assert page.locator("h1").first.inner_text() == "Hotspots"
        w.shot("hotspots_deep_link")
    assert w.foreign_requests() == []
