"""Streamlit's own texts in Czech (app_pages/_chrome.py), as Chromium shows them (issue 14).

A small Streamlit script with the widgets whose built-in texts are English (a file uploader, a
multiselect, a date input) calls ``_chrome.apply(lang)``; the test reads the visible text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright
from support import streamlit_script

from apk_geo.browser import launch

pytestmark = pytest.mark.browser

APP = """
import datetime as dt
import streamlit as st
from app_pages import _chrome

lang = st.query_params.get("lang", "cs")
_chrome.apply(lang)


def widgets():
    st.title("chrome")
    st.file_uploader("Soubor", type=["csv", "xlsx"], key="up")
    st.multiselect("Kategorie", ["psi", "hluk", "alkohol"], key="ms")
    st.date_input("Od", value=None, key="day")


st.navigation([st.Page(widgets, title="Widgets", default=True)]).run()
"""


@pytest.fixture(scope="module")
def chrome_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_script(APP, tmp_path_factory.mktemp("chrome")) as url:
        yield url


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = launch(p)
        yield browser.new_page(viewport={"width": 1200, "height": 900})
        browser.close()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("stFileUploaderDropzone").wait_for(timeout=60_000)
    page.wait_for_timeout(500)


def _dropzone(page: Page) -> str:
    return page.get_by_test_id("stFileUploaderDropzone").inner_text()


def test_uploader_and_multiselect_speak_czech(chrome_app: str, page: Page) -> None:
    _open(page, f"{chrome_app}/?lang=cs")
    zone = _dropzone(page)
    # the size limit is the server's (maxUploadSize), e.g. "50 MB na soubor"
    assert "Nahrát" in zone and re.search(r"\b\d+\u00a0MB na soubor", zone), zone
    assert "Upload" not in zone and "per file" not in zone
    assert "CSV, XLSX" in zone  # the file types stay as Streamlit lists them
    # the multiselect: its placeholder, the "Select all" option and the empty search
    box = page.get_by_test_id("stMultiSelect")
    assert (
        "Vyberte možnosti" in box.inner_text()
        or box.locator("[placeholder='Vyberte možnosti']").count()
    )
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    texts = options.all_inner_texts()
    assert "Vybrat vše" in texts and "Select all" not in texts, texts
    page.keyboard.type("zzzz")
    page.get_by_text("Žádné výsledky").wait_for(timeout=10_000)
    assert page.get_by_text("No results").count() == 0
    page.keyboard.press("Escape")
    day = page.get_by_test_id("stDateInput")
    assert day.locator("[aria-label='Vyberte datum']").count() >= 1
    assert day.locator("[aria-label='Choose date']").count() == 0


def test_english_keeps_streamlits_texts(chrome_app: str, page: Page) -> None:
    _open(page, f"{chrome_app}/?lang=en")
    zone = _dropzone(page)
    assert "Upload" in zone and re.search(r"\b\d+MB per file", zone), zone
    assert "Nahrát" not in zone


def test_page_not_found_in_czech(chrome_app: str, page: Page) -> None:
    page.goto(f"{chrome_app}/no-such-page?lang=cs")
    page.get_by_text("Stránka nenalezena").wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "Požadovaná stránka neexistuje" in body and "Page not found" not in body


def test_switching_to_english_puts_streamlits_texts_back(chrome_app: str, page: Page) -> None:
    _open(page, f"{chrome_app}/?lang=cs")
    assert "Nahrát" in _dropzone(page)
    page.evaluate("() => { window.__apkChrome = {exact: {}, patterns: []}; }")
    page.evaluate("() => window.__apkChromeRefresh()")
    zone = _dropzone(page)
    assert "Upload" in zone and "Nahrát" not in zone, zone
