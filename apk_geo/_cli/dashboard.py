"""``apk-geo dashboard``: start the Streamlit dashboard on a store (127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from apk_geo.resources import app_dir


def entry(*, basemap: bool = False) -> Path:
    """Return the dashboard's entry script (``app_pages/main.py``, installed beside the package).

    With a local base map it is ``app_pages/server.py``: the same app plus the tile route.
    """
    return app_dir() / ("server.py" if basemap else "main.py")


def _is_url(store: str) -> bool:
    return str(store).startswith(("postgresql://", "postgres://"))


def store_argument(store: str) -> str:
    """Return the store as the server gets it: a database URL unchanged, a file path absolute."""
    return str(store) if _is_url(store) else str(Path(store).resolve())


def shown(store: str) -> str:
    """Return the store for messages: a database URL without its password."""
    if not _is_url(store):
        return str(store)
    from apk_geo.store.pg import display_location

    return display_location(str(store))


def register(sub: Any) -> None:
    """Add the ``dashboard`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "dashboard", help="cli.help.dashboard", description="cli.help.dashboard.description"
    )
    p.add_argument(
        "--store",
        default=os.environ.get("APK_GEO_STORE", "var/demo.gpkg"),
        help="cli.help.dashboard.store",
    )
    p.add_argument("--address", default="127.0.0.1", help="cli.help.dashboard.address")
    p.add_argument("--port", type=int, default=8501, help="cli.help.dashboard.port")
    p.add_argument(
        "--presenter",
        action="store_true",
        default=os.environ.get("APK_GEO_PRESENTER", "").lower() in ("1", "true", "yes"),
        help="cli.help.dashboard.presenter",
    )
    p.add_argument(
        "--basemap",
        default=os.environ.get("APK_GEO_BASEMAP"),
        help="cli.help.dashboard.basemap",
    )
    p.set_defaults(func=run)


def command(args: argparse.Namespace) -> list[str]:
    """Return the ``streamlit run`` command line for ``args``."""
    script = entry(basemap=bool(getattr(args, "basemap", None)))
    if not script.is_file():
        from apk_geo.routes._messages import file_error
        from apk_geo.store._messages import Message

        raise file_error(Message("cli.err.no_entry_script"), path=script)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.enableStaticServing",
        "true",
        "--client.showErrorDetails",
        "none",
        "--",
        "--store",
        store_argument(args.store),
    ]
    if getattr(args, "config", None):
        cmd += ["--config", str(Path(args.config).resolve())]
    if getattr(args, "presenter", False):
        cmd += ["--presenter"]
    if getattr(args, "basemap", None):
        cmd += ["--basemap", str(Path(args.basemap).resolve())]
    return cmd


def environment(args: argparse.Namespace) -> dict[str, str]:
    """Return the server's environment: the options also as ``APK_GEO_*`` variables.

    The ASGI entry (``server.py``, with a base map) reads them there.
    """
    env = dict(os.environ)
    env["APK_GEO_STORE"] = store_argument(args.store)
    if getattr(args, "presenter", False):
        env["APK_GEO_PRESENTER"] = "1"
    if getattr(args, "basemap", None):
        env["APK_GEO_BASEMAP"] = str(Path(args.basemap).resolve())
    return env


def _warn_if_assets_missing(lang: str) -> None:
    """Say once, before the server starts, that maps cannot be drawn without the assets."""
    from apk_geo import assets
    from apk_geo.i18n import t

    missing = assets.missing_files()
    if missing:
        text = t("cli.dashboard.assets_missing", lang, n=len(missing), folder=assets.vendor_dir())
        print(f"apk-geo dashboard: {t('cli.warning', lang, message=text)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Replace this process with the Streamlit server."""
    if getattr(args, "basemap", None):
        from apk_geo.basemap import open_basemap

        open_basemap(args.basemap)  # a bad file is one message now, not a dead server later
    from apk_geo.i18n import t

    cmd = command(args)
    lang = getattr(args, "lang", "cs")
    url = f"http://{args.address}:{args.port}"
    listening = t("cli.dashboard.listening", lang, url=url, store=shown(args.store))
    print(f"apk-geo dashboard: {listening}", file=sys.stderr)
    _warn_if_assets_missing(lang)
    os.chdir(entry().parent)  # Streamlit reads .streamlit/config.toml from here, static/ beside it
    os.execve(cmd[0], cmd, environment(args))
    return 0  # pragma: no cover - execv does not return
