"""``apk-geo dashboard``: start the Streamlit dashboard on a store (127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from apk_geo.errors import InputFileError
from apk_geo.resources import app_dir


def entry() -> Path:
    """Return the dashboard's entry script (``app_pages/main.py``, installed beside the package)."""
    return app_dir() / "main.py"


def register(sub: Any) -> None:
    """Add the ``dashboard`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "dashboard", help="start the dashboard", description=__doc__
    )
    p.add_argument(
        "--store",
        default=os.environ.get("APK_GEO_STORE", "var/demo.gpkg"),
        help="incident store (default: $APK_GEO_STORE or var/demo.gpkg)",
    )
    p.add_argument("--address", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="port (8501)")
    p.set_defaults(func=run)


def command(args: argparse.Namespace) -> list[str]:
    """Return the ``streamlit run`` command line for ``args``."""
    script = entry()
    if not script.is_file():
        raise InputFileError("the dashboard's entry script is missing; reinstall", path=str(script))
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
        "--",
        "--store",
        str(Path(args.store).resolve()),
    ]
    if getattr(args, "config", None):
        cmd += ["--config", str(Path(args.config).resolve())]
    return cmd


def _warn_if_assets_missing() -> None:
    """Say once, before the server starts, that maps cannot be drawn without the assets."""
    from apk_geo import assets

    missing = assets.missing_files()
    if missing:
        print(
            f"apk-geo dashboard: warning: {len(missing)} front-end file(s) missing in "
            f"{assets.vendor_dir()}; maps stay blank until `apk-geo assets install` is run",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Replace this process with the Streamlit server."""
    cmd = command(args)
    print(
        f"apk-geo dashboard: http://{args.address}:{args.port}  (store: {args.store})",
        file=sys.stderr,
    )
    _warn_if_assets_missing()
    os.chdir(entry().parent)  # Streamlit reads .streamlit/config.toml from here, static/ beside it
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return
