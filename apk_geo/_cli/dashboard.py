"""``apk-geo dashboard``: start the Streamlit dashboard on a store (127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from apk_geo.errors import InputFileError

#: The thin Streamlit entry script, at the project root beside the package.
ENTRY = Path(__file__).resolve().parents[2] / "dashboard.py"


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
    if not ENTRY.is_file():
        raise InputFileError(
            "dashboard entry script not found; run from a source checkout", path=str(ENTRY)
        )
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRY),
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


def run(args: argparse.Namespace) -> int:
    """Replace this process with the Streamlit server."""
    cmd = command(args)
    print(
        f"apk-geo dashboard: http://{args.address}:{args.port}  (store: {args.store})",
        file=sys.stderr,
    )
    os.chdir(ENTRY.parent)  # .streamlit/config.toml and static/ are read from the project root
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return
