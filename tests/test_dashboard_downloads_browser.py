"""In headless Chromium: the dashboard's table downloads give the Czech CSV and a typed XLSX.

The buttons make their bytes when clicked (Streamlit's deferred download data); this test
clicks them as a person does and opens what the browser saved.
"""

from __future__ import annotations

import io as _stdio
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, sync_playwright

from apk_geo.browser import launch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_dashboard_apptest import build_test_store
from test_dashboard_browser import free_port, start_app, stop_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_test_store(tmp_path_factory.mktemp("downloads") / "store.gpkg")
    port = free_port()
    proc = start_app(store, port=port)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_app(proc)


def download(page: Page, label: str) -> bytes:
    button = page.get_by_role("button", name=label)
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as info:
        button.click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_quarantine_downloads_are_czech_csv_and_typed_xlsx(app_url: str) -> None:
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(accept_downloads=True)
        page.goto(app_url + "data")
        csv_bytes = download(page, "Stáhnout karanténu (CSV)")
        xlsx_bytes = download(page, "Stáhnout karanténu (Excel)")
        page.goto(app_url + "data?lang=en")
        english = download(page, "Download the quarantine (CSV)")
        browser.close()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = csv_bytes.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Zdroj;Soubor;Řádek;Pole;Hodnota;")
    assert len(lines) == 2 and ";Datum;" in lines[1]  # the one quarantined row of the store
    ws = openpyxl.load_workbook(_stdio.BytesIO(xlsx_bytes)).active
    assert ws is not None
    head, row = ([c for c in r] for r in ws.iter_rows(max_row=2))
    line = [c.value for c in head].index("Řádek")
    assert row[line].data_type == "n"  # a number cell, not text
    assert english.decode("utf-8-sig").splitlines()[0].startswith("Source,File,Line,Field,")
