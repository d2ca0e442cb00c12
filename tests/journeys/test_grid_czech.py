"""The data grids' numbers and dates as Chromium paints them, in Czech and English (issue 14).

Streamlit's grid (glide-data-grid) paints its cells on a ``<canvas>``. Its accessible DOM table
(``[role=gridcell]``, :func:`support.grid_rows`) does not carry what is painted: a number cell
gives its value (``1234.5``), a date cell its ISO text. So these tests read the text the grid
*paints*: an init script wraps ``CanvasRenderingContext2D.fillText`` and records every string
with its position on its canvas; the last string painted at each place is what the user sees.
The accessible table is read too, for what it is: the real values the grid sorts by.

A small Streamlit script shows one hand-made table through ``app_pages._grid`` (in Czech, in
English, on a 390×844 phone; sorted by a click on a header; a row selected); the dashboard's
Data page shows the same on a real store.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from support import ROOT, VIEWPORTS, dashboard, settle, streamlit_script

from apk_geo.browser import launch

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
ARTIFACTS = ROOT / "test-artifacts" / "journeys" / "grid_czech"

APP = """
import pandas as pd
import streamlit as st
from app_pages._grid import selected_rows, show_table

lang = st.query_params.get("lang", "cs")
st.title("grid")
frame = pd.DataFrame({
    "Počet": [9, 1234, 100],
    "Podíl": [1234.5, float("nan"), 0.25],
    "Kdy": pd.to_datetime(["2026-12-01 05:04", "2026-11-02 23:10", None]),
    "Ano": [True, False, True],
    "Místo": ["Poruba", None, "Hrabůvka"],
})
rows = selected_rows(frame, lang=lang, key="pick")
st.write(f"selected: {rows}")
show_table(frame.iloc[:0], lang=lang)
"""

#: Records every string a canvas paints: (canvas, text, x, y) in the canvas' own pixels.
PAINT_HOOK = """
(() => {
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  window.__painted = [];
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const m = this.getTransform();
    window.__painted.push({canvas: this.canvas, text: String(text), x: x + m.e, y: y + m.f});
    return fillText.call(this, text, x, y, ...rest);
  };
})();
"""

#: For the index-th stDataFrame: the last text painted at each place of its cell canvas and of
#: its header canvas, with the place (canvas pixels).
READ_PAINTED = """
(index) => {
  const grid = document.querySelectorAll('[data-testid=stDataFrame]')[index];
  const last = (wanted) => {
    const at = new Map();
    for (const p of window.__painted) {
      if (!grid.contains(p.canvas) || !wanted(p.canvas)) continue;
      at.set(Math.round(p.x) + ',' + Math.round(p.y), {text: p.text, x: p.x, y: p.y});
    }
    return [...at.values()].filter(p => p.text !== '');
  };
  const isCells = (c) => c.dataset.testid === 'data-grid-canvas';
  return {header: last(c => !isCells(c)), cells: last(isCells)};
}
"""


def painted(page: Page, index: int = 0) -> tuple[list[str], list[list[str]]]:
    """Return the header and the rows of the ``index``-th grid as Chromium painted them.

    A cell belongs to the column whose header starts left of it (a number is painted from its
    right edge, text from its left edge: both lie within their column); a row is one height.
    A cell painted nothing (a missing value) is ``""``; columns scrolled out of view are not
    painted and not returned.
    """
    got = page.evaluate(READ_PAINTED, index)
    heads = sorted(got["header"], key=lambda p: p["x"])
    header = [h["text"] for h in heads]
    lefts = [h["x"] - 12 for h in heads]  # the text starts after the cell's padding
    rows: dict[int, list[str]] = {}
    for cell in got["cells"]:
        row = rows.setdefault(round(cell["y"]), [""] * len(header))
        at = max((i for i, left in enumerate(lefts) if left <= cell["x"]), default=0)
        row[at] = cell["text"]
    return header, [rows[y] for y in sorted(rows)]


def accessible_rows(page: Page, index: int = 0) -> list[list[str]]:
    """Return the rows of the grid's accessible DOM table (the values behind the cells)."""
    grid = page.get_by_test_id("stDataFrame").nth(index)
    rows = grid.locator("tbody [role=row]")
    return [[c.strip() for c in r.locator("[role=gridcell]").all_text_contents()]
            for r in rows.all()]  # fmt: skip


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def grid_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_script(APP, tmp_path_factory.mktemp("grid")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def open_page(browser: object, url: str, viewport: str = "laptop") -> Page:
    width, height = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.add_init_script(PAINT_HOOK)
    page.goto(url)
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # the canvas paints after the element appears
    return page


def test_the_grid_paints_czech_numbers_and_dates(grid_app: str, browser: object) -> None:
    page = open_page(browser, f"{grid_app}/?lang=cs")
    header, rows = painted(page)
    shot(page, "cs_laptop")
    assert header == ["Počet", "Podíl", "Kdy", "Ano", "Místo"]
    assert rows == [
        ["9", f"1{NBSP}234,50", "1. 12. 2026 05:04", "ano", "Poruba"],
        [f"1{NBSP}234", "", "2. 11. 2026 23:10", "ne", ""],  # NaN share, no place: empty cells
        ["100", "0,25", "", "ano", "Hrabůvka"],
    ]
    # behind the Czech text the grid holds the values it sorts by (and reads to a screen reader)
    assert accessible_rows(page)[0][:3] == ["9", "1234.5", "2026-12-01 05:04:00"]
    # an empty table is a Czech sentence, not a grid whose canvas says "empty"
    assert page.get_by_test_id("stDataFrame").count() == 1
    assert "Žádné řádky k zobrazení." in page.get_by_test_id("stCaptionContainer").all_inner_texts()
    page.close()


def test_the_grid_paints_english_numbers_and_dates(grid_app: str, browser: object) -> None:
    page = open_page(browser, f"{grid_app}/?lang=en")
    _, rows = painted(page)
    shot(page, "en_laptop")
    assert rows[0] == ["9", "1,234.50", "1 Dec 2026 05:04", "yes", "Poruba"]
    assert rows[1] == ["1,234", "", "2 Nov 2026 23:10", "no", ""]
    assert "No rows to show." in page.get_by_test_id("stCaptionContainer").all_inner_texts()
    page.close()


def test_a_click_on_a_header_sorts_by_value_not_by_text(grid_app: str, browser: object) -> None:
    page = open_page(browser, f"{grid_app}/?lang=cs")
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.get_by_test_id("data-grid-canvas").bounding_box()
    assert box is not None
    # the header row is 35 px high; "Počet" is the first column after the row markers
    page.mouse.click(box["x"] + 60, box["y"] + 17)
    page.wait_for_timeout(1000)
    _, rows = painted(page)
    shot(page, "cs_sorted")
    # by value 9 < 100 < 1 234; as text "100" < "1 234" < "9"
    assert [r[0] for r in rows] == ["9", "100", f"1{NBSP}234"]
    assert [r[0] for r in accessible_rows(page)] == ["9", "100", "1234"]
    page.close()


def test_selecting_a_row_still_works(grid_app: str, browser: object) -> None:
    page = open_page(browser, f"{grid_app}/?lang=cs")
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 + 17)  # the second row's marker
    page.get_by_text("selected: [1]").wait_for(timeout=30_000)
    shot(page, "cs_selected")
    page.close()


def test_the_grid_on_a_phone(grid_app: str, browser: object) -> None:
    page = open_page(browser, f"{grid_app}/?lang=cs", viewport="phone")
    _, rows = painted(page)
    shot(page, "cs_phone")
    # the first columns are painted, in Czech; the grid scrolls sideways within the screen
    assert rows[0][:2] == ["9", f"1{NBSP}234,50"]
    assert rows[1][0] == f"1{NBSP}234"
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"][0]
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"][0]  # the page itself does not scroll sideways
    page.close()


# --- the dashboard's Data page on a store -----------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_dashboard_apptest import build_test_store

    return build_test_store(tmp_path_factory.mktemp("grid_store") / "test.gpkg")


@pytest.fixture(scope="module")
def store_url(store: Path) -> Iterator[str]:
    with dashboard(store) as url:
        yield url


def column(header: list[str], rows: list[list[str]], name: str) -> list[str]:
    at = header.index(name)
    return [r[at] for r in rows]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "imported", "line", "when"),
    [
        ("cs", "Importováno", "Řádek", r"\d{1,2}\. \d{1,2}\. \d{4} \d{2}:\d{2}"),
        ("en", "Imported at", "Line", r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}"),
    ],
)
def test_data_page_quarantine_grid(
    store_url: str, browser: object, lang: str, imported: str, line: str, when: str
) -> None:
    page = open_page(browser, f"{store_url}/data?lang={lang}", viewport="desktop")
    settle(page)
    page.wait_for_timeout(1000)
    header, rows = painted(page, 0)
    shot(page, f"data_page_{lang}")
    assert imported in header and line in header, header
    assert column(header, rows, line) == ["7"]
    stamp = column(header, rows, imported)
    assert len(stamp) == 1 and re.fullmatch(when, stamp[0]), stamp
    page.close()


@pytest.mark.slow
def test_hotspot_table_in_czech_keeps_its_row_selection(store_url: str, browser: object) -> None:
    page = open_page(browser, f"{store_url}/hotspoty?preset=90d&lang=cs", viewport="desktop")
    settle(page)
    page.wait_for_timeout(1000)
    header, rows = painted(page, 0)
    shot(page, "hotspots_cs")
    z = column(header, rows, "Gi* (z)")
    assert z and all(re.fullmatch(r"-?\d+(,\d{1,3})?", v) for v in z), z  # decimal comma
    assert any("," in v for v in z), z
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's marker
    settle(page)
    shot(page, "hotspots_cs_selected")
    grid = page.get_by_test_id("stDataFrame").first
    assert grid.locator("tbody [role=row][aria-selected=true]").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    page.close()
