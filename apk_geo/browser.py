"""The system's headless Chromium, as every apk_geo renderer, test and benchmark starts it.

apk_geo never downloads a browser: it drives the system's Chromium (Debian's ``chromium`` package,
installed by ``scripts/test.sh``) through Playwright. :func:`find_chromium` finds it: the path in
``$APK_GEO_CHROMIUM`` if set, else the first of ``chromium``, ``chromium-browser``,
``google-chrome`` … on the ``PATH`` (Windows and macOS install locations included). The flags keep
Chromium from calling home, which on a police network without internet would only produce
refused connections.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from apk_geo.errors import RenderError

#: Environment variable naming the Chromium binary (overrides the search).
CHROMIUM_ENV: Final = "APK_GEO_CHROMIUM"
#: Program names searched on the PATH, in order.
CHROMIUM_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "chrome", "msedge")
#: Usual install locations where the PATH does not reach (Windows, macOS).
CHROMIUM_LOCATIONS: Final = (
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)


def find_chromium() -> str:
    """Return the path of the system's Chromium (``$APK_GEO_CHROMIUM``, the PATH, usual places).

    Raises
    ------
    RenderError
        If none is found; the message says how to install or name one.
    """
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        if not Path(configured).is_file():
            raise RenderError(f"${CHROMIUM_ENV} names {configured}, which is not a file")
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for place in CHROMIUM_LOCATIONS:
        if Path(place).is_file():
            return place
    raise RenderError(
        "no Chromium found (looked for chromium, chromium-browser, google-chrome on the PATH); "
        f"install it with `apt-get install chromium` or set ${CHROMIUM_ENV} to its path "
        "(apk-geo never downloads a browser)"
    )


#: Flags for a headless run with no background network traffic.
CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def launch(playwright: Any, *, executable: str | None = None) -> Any:
    """Return a headless Chromium browser started by ``playwright`` with :data:`CHROMIUM_ARGS`.

    Parameters
    ----------
    playwright
        The object of ``playwright.sync_api.sync_playwright().start()`` (or its context).
    executable
        Path of the Chromium binary; default :func:`find_chromium`.
    """
    path = executable or find_chromium()
    return playwright.chromium.launch(executable_path=path, args=list(CHROMIUM_ARGS))


def _guard_route(blocked: list[str]) -> Any:
    def handler(route: Any) -> None:
        url = str(route.request.url)
        if url.startswith(("data:", "about:", "blob:", "file:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    return handler


class Renderer:
    """Headless Chromium (the system's, never downloaded), started once and reused.

    Use as a context manager; every page it opens has all network requests other than
    ``file:``, ``data:`` and ``about:`` aborted and recorded in :attr:`blocked`. Failures raise
    :class:`apk_geo.errors.RenderError`.

    Parameters
    ----------
    executable
        Path of the Chromium binary; default :func:`find_chromium` (looked up on entering).

    Examples
    --------
    >>> with Renderer() as r:  # doctest: +SKIP
    ...     pdf = r.pdf("<h1>Trasa</h1>", footer_html="<span></span>")
    """

    def __init__(self, *, executable: str | None = None) -> None:
        self.executable = executable
        self.blocked: list[str] = []
        self._pw: Any = None
        self._browser: Any = None

    def __enter__(self) -> Renderer:
        from playwright.sync_api import sync_playwright

        if self.executable is None:
            self.executable = find_chromium()
        elif not Path(self.executable).is_file():
            raise RenderError(
                f"Chromium not found at {self.executable}; install it with "
                "`apt-get install chromium` (apk-geo never downloads a browser)"
            )
        self._pw = sync_playwright().start()
        try:
            self._browser = launch(self._pw, executable=self.executable)
        except Exception as exc:
            self._pw.stop()
            self._pw = None
            raise RenderError(f"Chromium at {self.executable} did not start: {exc}") from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._pw is not None:
                self._pw.stop()
            self._browser = self._pw = None

    def new_page(self, *, width: int = 1280, height: int = 900, scale: float = 1.0) -> Any:
        """Return a new Playwright page in its own context, external requests aborted.

        Close it with ``page.context.close()``.
        """
        if self._browser is None:
            raise RuntimeError("use Renderer as a context manager: `with Renderer() as r:`")
        context = self._browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        context.route("**/*", _guard_route(self.blocked))
        return context.new_page()

    def screenshot(
        self,
        page_html: str,
        *,
        width: int,
        height: int,
        scale: float = 1.0,
        wait_for: str | None = "path.leaflet-interactive",
        timeout_ms: float = 20_000,
    ) -> bytes:
        """Return a PNG of ``page_html`` rendered at ``width`` × ``height`` CSS pixels."""
        from playwright.sync_api import Error as PlaywrightError

        page = self.new_page(width=width, height=height, scale=scale)
        try:
            page.set_content(page_html, wait_until="load", timeout=timeout_ms)
            if wait_for:
                page.wait_for_selector(wait_for, state="attached", timeout=timeout_ms)
            png: bytes = page.screenshot(type="png", full_page=False)
            return png
        except PlaywrightError as exc:
            raise RenderError(f"the map did not render in Chromium: {exc}") from exc
        finally:
            page.context.close()

    def pdf(self, page_html: str, *, footer_html: str, timeout_ms: float = 30_000) -> bytes:
        """Return ``page_html`` printed to an A4 PDF with ``footer_html`` on every page."""
        from playwright.sync_api import Error as PlaywrightError

        page = self.new_page(width=794, height=1123)
        try:
            page.set_content(page_html, wait_until="load", timeout=timeout_ms)
            page.emulate_media(media="print")
            pdf: bytes = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer_html,
                margin={"top": "12mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
            )
            return pdf
        except PlaywrightError as exc:
            raise RenderError(f"the PDF did not render in Chromium: {exc}") from exc
        finally:
            page.context.close()
