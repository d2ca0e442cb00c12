"""End to end in Debian's headless Chromium: the map draws offline and a filter changes the KPIs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, sync_playwright

from apk_geo.browser import launch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_dashboard_apptest import build_test_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(store: Path, *, port: int) -> subprocess.Popen[bytes]:
    """Start ``apk-geo dashboard --store STORE`` on 127.0.0.1 and wait for it."""
    # the user's own command (scripts/run.sh runs the same), not a hand-made streamlit call
    cmd = [
        sys.executable,
        "-m",
        "apk_geo.cli",
        "dashboard",
        "--store",
        str(store),
        "--port",
        str(port),
        "--address",
        "127.0.0.1",
    ]
    env = {**os.environ, "APK_GEO_STORE": "/nonexistent-so-the-flag-must-win.gpkg"}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else "died"
                raise RuntimeError(err) from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not start within 60 s")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def kpi_values(page: Page) -> list[str]:
    return [v.strip() for v in page.get_by_test_id("stMetricValue").all_inner_texts()]


def wait_for_map(page: Page, timeout_ms: float = 30_000) -> None:
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    frame.locator(".leaflet-container").first.wait_for(timeout=timeout_ms)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=timeout_ms)


def wait_in_map(page: Page, js_condition: str, *, timeout_s: float = 15.0) -> bool:
    """Poll ``js_condition`` inside the map iframe (which is replaced when the map changes)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate(f"() => {js_condition}"):
                        return True
                except Exception:  # the frame was replaced while we asked
                    pass
        page.wait_for_timeout(100)  # lets Playwright process events (new frames)
    return False


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_test_store(tmp_path_factory.mktemp("browser") / "store.gpkg")
    port = free_port()
    proc = start_app(store, port=port)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_app(proc)


def test_map_draws_offline_and_filter_changes_kpis(app_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(app_url)
        wait_for_map(page)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        # districts, city outline, SVL and hostel buffers are SVG paths; incidents are clustered
        assert frame.locator("path.leaflet-interactive").count() >= 25
        assert frame.locator(".leaflet-control-layers-overlays label").count() >= 6
        assert "syntetická demo data" in frame.locator(".leaflet-control-attribution").inner_text()
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "6"
        clusters = frame.locator(".marker-cluster")
        clusters.first.wait_for()
        assert sorted(clusters.all_inner_texts()) == ["2", "3"]  # Poruba 2, city centre 3
        page.screenshot(path=str(ARTIFACTS / "dashboard_map.png"), full_page=True)

        # change a filter in the sidebar: period 30 days -> 7 days
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stSelectbox").filter(has_text="Období").click()
        page.get_by_role("option", name="posledních 7 dní").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
            ".map(e => e.innerText.trim())[0] === '2'",
            timeout=15_000,
        )
        assert "preset=7d" in page.url
        # the map follows: 5 located incidents in two clusters before, 1 single marker after
        assert wait_in_map(
            page,
            "document.querySelectorAll('.marker-cluster').length === 0 && "
            "document.querySelectorAll('path.leaflet-interactive').length > 0",
        )
        page.screenshot(path=str(ARTIFACTS / "dashboard_map_7d.png"), full_page=True)

        # a shared link reproduces the view (English, Poruba only)
        page.goto(app_url + "?lang=en&preset=90d&dist=Poruba")
        wait_for_map(page)
        page.get_by_text("Incidents", exact=True).first.wait_for()
        assert kpi_values(page)[0] == "3"  # Poruba, 2 April – 30 June: 10 May, 11 and 12 June
        browser.close()
    assert requests, "no request recorded"
    foreign = sorted(
        {
            u
            for u in requests
            if not u.startswith(("data:", "blob:", "about:"))
            and urlparse(u).hostname not in LOCAL_HOSTS
        }
    )
    assert foreign == []
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in requests)
    assert dialogs == []  # the <script> category never ran
