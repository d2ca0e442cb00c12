"""The system's headless Chromium, as every apk_geo renderer, test and benchmark starts it.

apk_geo never downloads a browser: it drives Debian's ``chromium`` package (installed by
``scripts/test.sh``) through Playwright. The flags keep Chromium from calling home, which on a
police network without internet would only produce refused connections.
"""

from __future__ import annotations

from typing import Any, Final

#: Headless Chromium of the system (never downloaded).
CHROMIUM_PATH: Final = "/usr/bin/chromium"
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


def launch(playwright: Any, *, executable: str = CHROMIUM_PATH) -> Any:
    """Return a headless Chromium browser started by ``playwright`` with :data:`CHROMIUM_ARGS`.

    Parameters
    ----------
    playwright
        The object of ``playwright.sync_api.sync_playwright().start()`` (or its context).
    executable
        Path of the Chromium binary.
    """
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
