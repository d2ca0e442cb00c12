"""A mentor plans a week for two pairs: the shifts × places table, a map per shift with each
pair in its own colour, the week's files; in Czech, in English, and on a 390×844 phone.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from support import in_map, language, map_frame, settle, walk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROUTES_JS = """() => {
  const lines = {}, stops = [];
  window.map.eachLayer(l => {
    if (l.feature && l.options && l.options.weight === 4 && l.options.color) {
      lines[l.options.color] = (lines[l.options.color] || 0) + 1;
    }
    if (l instanceof L.Marker && l.options.icon && l.options.icon.options.html) {
      const html = l.options.icon.options.html;
      const bg = /background:(#[0-9A-Fa-f]{6})/.exec(html);
      if (bg && /border-radius:50%/.test(html)) {
        const p = l.getLatLng();
        stops.push([bg[1], p.lat.toFixed(5), p.lng.toFixed(5)]);
      }
    }
  });
  const legend = document.querySelector('.apk-legend');
  return {lines, stops, legend: legend ? legend.innerText : '',
          legendOpen: !!(legend && legend.querySelector('details').open)};
}"""


def plan_the_week(page: Page, *, week_label: str, plan_label: str, shift_label: str) -> None:
    """Open the week mode and plan the offered week for two pairs (the form's defaults)."""
    main = page.get_by_test_id("stMain")
    main.get_by_text(week_label, exact=True).first.click()
    settle(page)
    main.get_by_role("button", name=plan_label).click()
    main.get_by_text(shift_label, exact=True).first.wait_for(timeout=300_000)
    settle(page, timeout_ms=300_000)


def drawn(page: Page) -> dict[str, Any]:
    """Return the routes drawn on the shift's map: line colours, stop badges, the legend."""
    frame = page.locator('iframe[title^="streamlit_folium"]').first
    frame.scroll_into_view_if_needed()  # the map's frame loads once it is on the screen
    map_frame(page)
    return dict(in_map(page, ROUTES_JS))


def redrawn(page: Page, before: dict[str, Any], timeout_ms: float = 60_000) -> dict[str, Any]:
    """Return the routes drawn once the map shows other stops than ``before`` (a new shift)."""
    waited = 0.0
    while True:
        now = drawn(page)
        if sorted(now["stops"]) != sorted(before["stops"]) or waited > timeout_ms:
            return now
        page.wait_for_timeout(500)
        waited += 500


def header(page: Page) -> list[str]:
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=60_000)
    return [h.strip() for h in grid.locator("[role=columnheader]").all_inner_texts()]


def shift_box(page: Page, label: str) -> Any:
    return (
        page.get_by_test_id("stMain")
        .get_by_test_id("stSelectbox")
        .filter(has=page.get_by_text(label, exact=True))
        .first
    )


def shown_shift(page: Page, label: str) -> str:
    """Return the shift the selectbox ``label`` shows (its text, or its search field's value)."""
    box = shift_box(page, label)
    field = box.locator("input").first
    return str(field.input_value() or box.inner_text()).strip().splitlines()[-1]


def pick_shift(page: Page, label: str, index: int) -> str:
    """Pick the ``index``-th shift of the selectbox ``label``; return the option's text."""
    shift_box(page, label).locator("input").first.click()
    option = page.get_by_role("option").nth(index)
    text = option.inner_text().strip()
    option.click()
    settle(page)
    return text


def test_a_week_for_two_pairs_in_czech_and_english(app_url: str) -> None:
    with walk("routes_week") as w:
        page = w.page
        page.goto(app_url + "/trasy?lang=cs")
        settle(page)
        assert page.locator("h1").first.inner_text() == "Trasy hlídky"
        w.shot("routes_page")
        plan_the_week(
            page, week_label="Týden", plan_label="Naplánovat týden", shift_label="Směna na mapě"
        )
        errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
        assert not errors, errors
        assert header(page)[:3] == ["Datum", "Směna", "Tým"]
        main = page.get_by_test_id("stMain")
        assert main.get_by_text(
            re.compile(r"^Směn: 5 · tras dvojic: 10 · pokrytých míst: \d+ z \d+$")
        ).count()
        w.shot("week_planned")
        monday = drawn(page)
        assert len(monday["lines"]) == 2, monday["lines"]  # two pairs, two colours
        assert {c for c, *_ in monday["stops"]} == set(monday["lines"])  # stops in their colour
        assert "Dvojice 1 · zastávek:" in monday["legend"]
        assert "Dvojice 2 · zastávek:" in monday["legend"]
        w.shot("monday_map")

        picked = pick_shift(page, "Směna na mapě", 2)
        assert picked.startswith("st ")
        wednesday = redrawn(page, monday)
        assert len(wednesday["lines"]) == 2
        assert sorted(wednesday["stops"]) != sorted(monday["stops"])  # another shift's routes
        w.shot("wednesday_map")

        with page.expect_download() as got:
            main.get_by_role("button", name="Stáhnout vše (ZIP)").click()
        assert got.value.suggested_filename.endswith("_synteticky.zip")
        archive = zipfile.ZipFile(io.BytesIO(got.value.path().read_bytes()))
        names = [n.split("/", 1)[1] for n in archive.namelist()]
        assert {"plan.json", "table.csv", "table.html"} <= set(names)
        assert sum(n.endswith(".gpx") for n in names) == 10  # 2 pairs × 5 days
        folder = archive.namelist()[0].split("/")[0]
        assert json.loads(archive.read(f"{folder}/plan.json"))["synthetic"] is True
        gpx = next(n for n in archive.namelist() if n.endswith(".gpx"))
        assert "<keywords>synthetic</keywords>" in archive.read(gpx).decode("utf-8")
        sheet = archive.read(gpx.removesuffix(".gpx") + ".html").decode("utf-8")
        assert "Magistrát (Nová radnice), Prokešovo náměstí 1803/8" in sheet  # the start, named

        language(page, "en")
        main.get_by_text("Shift on the map", exact=True).first.wait_for(timeout=120_000)
        settle(page)
        assert page.locator("h1").first.inner_text() == "Patrol routes"
        assert "Date" in header(page) and "Team" in header(page)
        w.shot("week_english")
        shown = shown_shift(page, "Shift on the map")  # Wednesday, kept over the switch
        assert re.fullmatch(r"Wed \d{1,2} [A-Z][a-z]{2} 08:00–14:00", shown), shown  # 2 Dec
        english = drawn(page)
        assert sorted(english["stops"]) == sorted(wednesday["stops"])  # the same shift
        assert len(english["lines"]) == 2 and "· stops:" in english["legend"]
        w.shot("week_english_map")
    assert w.foreign_requests() == []


def test_a_week_on_a_phone(app_url: str) -> None:
    with walk("routes_week_phone", "phone") as w:
        page = w.page
        page.goto(app_url + "/trasy?lang=cs")
        settle(page)
        plan_the_week(
            page, week_label="Týden", plan_label="Naplánovat týden", shift_label="Směna na mapě"
        )
        w.shot("week_on_a_phone")
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= 390 + 1, overflow  # the wide table scrolls inside itself
        shown = drawn(page)
        assert len(shown["lines"]) == 2
        assert not shown["legendOpen"]  # the legend folds on a phone
        page.wait_for_timeout(500)
        w.shot("map_on_a_phone")
    assert w.foreign_requests() == []


def test_a_week_from_a_teams_file(app_url: str, tmp_path: Path) -> None:
    teams = tmp_path / "dvojice.csv"
    teams.write_text(
        "název;start;pohyb;dny;směna\n"
        "Sever;Prokešovo náměstí 8, Ostrava;pěšky;út,čt;10:00-16:00\n"
        "Jih;;autem;;\n",  # no start, no hours: the form's start, days and shift
        encoding="utf-8",
    )
    with walk("routes_week_file") as w:
        page = w.page
        page.goto(app_url + "/trasy?lang=cs")
        settle(page)
        main = page.get_by_test_id("stMain")
        main.get_by_text("Týden", exact=True).first.click()
        settle(page)
        main.locator("input[type=file]").first.set_input_files(str(teams))
        page.wait_for_timeout(1500)
        w.shot("teams_file_chosen")
        main.get_by_role("button", name="Naplánovat týden").click()
        main.get_by_text("Směna na mapě", exact=True).first.wait_for(timeout=300_000)
        settle(page, timeout_ms=300_000)
        errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
        assert not errors, errors
        with page.expect_download() as got:  # the table as the page shows it, from its CSV
            main.get_by_role("button", name="Tabulka (CSV)").click()
        text = got.value.path().read_text(encoding="utf-8-sig")
        rows = [line.split(";")[:3] for line in text.splitlines()[1:]]
        north = [r for r in rows if r[2] == "Sever"]
        south = [r for r in rows if r[2] == "Jih"]
        assert [r[0][:2] for r in north] == ["út", "čt"] and {r[1] for r in north} == {
            "10:00–16:00"
        }
        assert [r[0][:2] for r in south] == ["po", "út", "st", "čt", "pá"]
        assert {r[1] for r in south} == {"08:00–14:00"}
        w.shot("teams_file_planned")
    assert w.foreign_requests() == []
