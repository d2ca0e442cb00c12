"""What the journey tests share: the app server, the browser, Streamlit widgets, the map frame.

Every journey drives the real ``apk-geo dashboard`` in Debian's headless Chromium
(:func:`apk_geo.browser.launch`), records every request (nothing may leave 127.0.0.1) and
saves a screenshot of each step under ``test-artifacts/journeys/<journey>/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Frame, Page, sync_playwright

from apk_geo.browser import launch

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}
VIEWPORTS = {"laptop": (1366, 768), "desktop": (1920, 1080), "phone": (390, 844)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def dashboard(store: Path, *flags: str) -> Iterator[str]:
    """Run ``apk-geo dashboard --store STORE FLAGS`` on a free port; yield its URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "apk_geo.cli", "dashboard", "--store", str(store),
           "--port", str(port), *flags]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("APK_GEO_")}
    with serve(cmd, port=port, env=env, what="the dashboard") as url:
        yield url


@contextmanager
def streamlit_script(text: str, folder: Path) -> Iterator[str]:
    """Run a small Streamlit app (its source ``text``, written into ``folder``); yield its URL."""
    script = folder / "app.py"
    script.write_text(text, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    with serve(cmd, port=port, env=env, what="streamlit", start_s=60) as url:
        yield url


@contextmanager
def serve(
    cmd: list[str], *, port: int, env: dict[str, str], what: str, start_s: float = 90
) -> Iterator[str]:
    """Run a Streamlit server ``cmd`` listening on ``port``; yield its URL once it is healthy.

    Raises RuntimeError with the end of its stderr if it exits or is not up within ``start_s``.
    """
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + start_s
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"{what} did not start: {err[-2000:]}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass
class Walk:
    """One journey in one browser page: requests recorded, a screenshot per step."""

    page: Page
    name: str
    requests: list[str] = field(default_factory=list)
    step_no: int = 0

    def shot(self, step: str) -> Path:
        """Save a screenshot of the viewport as ``NN_step.png``."""
        self.step_no += 1
        folder = ARTIFACTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.step_no:02d}_{step}.png"
        self.page.screenshot(path=str(path))
        return path

    def foreign_requests(self) -> list[str]:
        return sorted(
            {
                u
                for u in self.requests
                if not u.startswith(("data:", "blob:", "about:"))
                and urlparse(u).hostname not in LOCAL_HOSTS
            }
        )

    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlparse(self.page.url).query).items()}


@contextmanager
def walk(name: str, viewport: str = "laptop") -> Iterator[Walk]:
    """Open a fresh headless Chromium page of ``viewport`` size for journey ``name``."""
    width, height = VIEWPORTS[viewport]
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": width, "height": height},
                                      accept_downloads=True)  # fmt: skip
        page = context.new_page()
        for old in (ARTIFACTS / name).glob("[0-9][0-9]_*.png"):  # an earlier run's steps
            old.unlink()
        w = Walk(page, name)
        page.on("request", lambda r: w.requests.append(r.url))
        page.on("dialog", lambda d: d.dismiss())
        try:
            yield w
        finally:
            browser.close()


# --- Streamlit --------------------------------------------------------------------------------


def settle(page: Page, timeout_ms: float = 90_000) -> None:
    """Wait until the app is idle (no "running" indicator) and a title is drawn.

    Waits twice: a map reports its view after drawing, which reruns the app once more.
    """
    page.wait_for_timeout(400)
    _idle(page, timeout_ms)
    page.wait_for_timeout(900)
    _idle(page, timeout_ms)


def _idle(page: Page, timeout_ms: float) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget] [data-testid=stSpinner]')"
        " && !document.querySelector('[data-testid=stStatusWidgetRunningIcon]')"
        " && document.querySelector('h1, h2, h3')",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(600)


def open_sidebar(page: Page) -> None:
    """Open the sidebar on a narrow screen (where it starts closed)."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.count() and sidebar.get_attribute("aria-expanded") == "true":
        return
    for test_id in ("stExpandSidebarButton", "stSidebarCollapsedControl"):
        button = page.get_by_test_id(test_id)
        if button.count():
            button.first.click()
            page.wait_for_timeout(500)
            return


def close_sidebar(page: Page) -> None:
    """Close the sidebar again on a narrow screen."""
    sidebar = page.get_by_test_id("stSidebar")
    button = sidebar.get_by_test_id("stSidebarCollapseButton")
    if button.count():
        button.first.click(force=True)
        page.wait_for_timeout(400)


def choose(page: Page, label: str, option: str, *, sidebar: bool = True) -> None:
    """Pick ``option`` in the selectbox or multiselect labelled ``label``."""
    scope = page.get_by_test_id("stSidebar") if sidebar else page.get_by_test_id("stMain")
    box = scope.locator("[data-testid=stSelectbox], [data-testid=stMultiSelect]").filter(
        has=page.get_by_text(label, exact=True)
    )
    field_ = box.first.locator("input").first
    field_.click()
    multi = box.first.get_attribute("data-testid") == "stMultiSelect"
    if multi:
        page.keyboard.type(option)  # the list is long and virtual: filter it first
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(30):  # a phone does not type into the list: scroll it instead
        if wanted.count():
            break
        listbox = page.get_by_role("listbox").first
        listbox.hover()
        page.mouse.wheel(0, 240)
        page.wait_for_timeout(150)
    if multi:
        # the event on the option itself: a click at its position could land on the list's
        # "select all" row when the filtered list is redrawn under load (seen in CI on a phone)
        wanted.first.dispatch_event("click")
    else:
        wanted.first.click()
    page.keyboard.press("Escape")
    settle(page)


def language(page: Page, lang: str) -> None:
    """Switch the UI language with the sidebar switch."""
    choose(page, "Jazyk / Language", "English" if lang == "en" else "čeština")


def go(page: Page, title: str) -> None:
    """Open a page by its title in the navigation."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).first.click()
    settle(page)


def chips(page: Page, label: str) -> list[str]:
    """Return the values shown in the sidebar multiselect ``label``."""
    box = (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_text(label, exact=True))
    )
    box.first.wait_for(timeout=60_000)  # after a language switch the label is redrawn first
    tags = box.first.locator("[data-tag] > span[title]")
    return [str(t.get_attribute("title")) for t in tags.all()]


def wait_chips(page: Page, label: str, expected: list[str], timeout_s: float = 60) -> list[str]:
    """Return the chips of ``label`` once they are ``expected`` (or, after ``timeout_s``, as
    they are): under load the rerun that shows a pick can come after ``settle`` returned."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = chips(page, label)
        if found == expected or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(250)


def grid_rows(page: Page, index: int = 0, columns: int | None = None) -> list[list[str]]:
    """Return the rows of the ``index``-th st.dataframe as text (from its accessible grid)."""
    grid = page.get_by_test_id("stDataFrame").nth(index)
    header = [h.strip() for h in grid.locator("[role=columnheader]").all_inner_texts()]
    n = columns or max(len(header), 1)
    cells = [c.strip() for c in grid.locator("[role=gridcell]").all_inner_texts()]
    return [cells[i : i + n] for i in range(0, len(cells), n)]


# --- the map frame ----------------------------------------------------------------------------


def map_frame(page: Page, index: int = 0, timeout_s: float = 60) -> Frame:
    """Return the ``index``-th st_folium frame once its Leaflet map has drawn."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        frames = [f for f in page.frames if "streamlit_folium" in f.url]
        if len(frames) > index:
            frame = frames[index]
            try:
                if frame.evaluate("() => !!(window.map && window.map._loaded)"):
                    return frame
            except Exception:  # replaced while asked
                pass
        page.wait_for_timeout(200)
    raise AssertionError("the map did not draw")


def in_map(page: Page, js: str, *, index: int = 0, timeout_s: float = 60) -> Any:
    """Evaluate ``js`` in the map frame, again when the frame is replaced meanwhile (a rerun)."""
    deadline = time.monotonic() + timeout_s
    while True:
        frame = map_frame(page, index, timeout_s=timeout_s)
        try:
            return frame.evaluate(js)
        except Exception:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(300)


def map_features(page: Page, index: int = 0) -> list[dict[str, Any]]:
    """Return every GeoJSON feature drawn on the map: its centre and its properties."""
    js = """() => {
      const out = [];
      window.map.eachLayer(l => {
        if (l.feature && l.getBounds) {
          const c = l.getBounds().getCenter();
          out.push({lat: c.lat, lon: c.lng, props: l.feature.properties || {}});
        }
      });
      return out;
    }"""
    return list(in_map(page, js, index=index))


def gistar_cells(page: Page, index: int = 0) -> list[tuple[float, float]]:
    """Return the centres of the hot and cold Gi* cells drawn (their tooltip names the class)."""
    pattern = re.compile(r"^(hotspot|hot spot|chladné místo|cold spot) \d+ %$")
    return [
        (f["lat"], f["lon"])
        for f in map_features(page, index)
        if pattern.match(str(f["props"].get("tip", "")))
    ]


def overlay_checks(page: Page, index: int = 0) -> dict[str, bool]:
    """Return each overlay of the layer list and whether it is ticked."""
    js = """() => Object.fromEntries([...document.querySelectorAll(
        '.leaflet-control-layers-overlays label')].map(l => [l.innerText.trim(),
        l.querySelector('input').checked]))"""
    return dict(in_map(page, js, index=index))


def view(page: Page, index: int = 0) -> tuple[float, float, int]:
    """Return the map's centre and zoom."""
    js = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    lat, lon, zoom = in_map(page, js, index=index)
    return float(lat), float(lon), int(zoom)


def dom_text(page: Page) -> str:
    """Return the text and markup of the page and of every frame in it."""
    parts = [page.content()]
    for frame in page.frames:
        with contextlib.suppress(Exception):  # a frame went away
            parts.append(frame.content())
    return "\n".join(parts)


POINT_LAYERS_JS = """() => {
  if (!window.L) { return 0; }
  let n = 0;
  for (const k of Object.keys(window)) {
    const m = window[k];
    if (m instanceof L.Map) {
      m.eachLayer(l => {
        const icon = l.options && l.options.icon ? l.options.icon.options.className || "" : "";
        const cluster = L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup;
        if (l instanceof L.CircleMarker || cluster
            || (l instanceof L.Marker && !/apk-rank/.test(icon))) {
          n++;
        }
      });
    }
  }
  return n;
}"""


def incident_points(page: Page) -> int:
    """Return how many point-like layers (circle markers, clusters, plain markers) the page's
    maps draw; the pack's numbered hotspot badges (``apk-rank``) do not count."""
    total = 0
    for frame in page.frames:
        with contextlib.suppress(Exception):  # a frame without a map, or one being replaced
            total += int(frame.evaluate(POINT_LAYERS_JS))
    return total


def number(text: str) -> float:
    return float(re.sub(r"[^\d.,-]", "", text).replace(",", "."))
