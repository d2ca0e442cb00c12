"""``apk-geo assets install|status``: the map's front-end files (Leaflet & co.), served locally.

``install`` fetches them from the npm registry once, at install time (needs npm), into the vendor
folder the dashboard serves (``$APK_GEO_VENDOR_DIR`` or ``app_pages/static/vendor``); ``status``
says whether every file is there. Nothing is loaded from the internet while the product runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from apk_geo._cli._common import add_json_flag, emit
from apk_geo._cli._labels import print_table
from apk_geo.i18n import t


def register(sub: Any) -> None:
    """Add the ``assets`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "assets",
        help="cli.help.assets",
        description="cli.help.assets.description",
    )
    p.add_argument("action", choices=("install", "status"), help="cli.help.assets.action")
    p.add_argument("--dest", type=Path, help="cli.help.assets.dest")
    p.add_argument("--node-modules", type=Path, help="cli.help.assets.node_modules")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Install or check the files; exit 2 (with the fix) when ``status`` finds files missing."""
    from apk_geo import assets

    folder = args.dest or assets.vendor_dir()
    if args.action == "install":
        from apk_geo.assets_install import install

        info = install(
            folder,
            node_modules=args.node_modules,
            on_message=lambda m: print(f"apk-geo assets: {m.text(args.lang)}", file=sys.stderr),
        )
        versions = info.get("versions", {})
        _summary(
            {"folder": str(folder), "files": len(info["files"]), "packages": len(versions)},  # type: ignore[arg-type]
            args,
            title="cli.assets.installed_title",
        )
        return 0
    missing = assets.missing_files(folder)
    _summary(
        {"folder": str(folder), "installed": not missing, "missing": missing},
        args,
        title="cli.assets.title",
    )
    return 2 if missing else 0


def _summary(summary: dict[str, object], args: argparse.Namespace, *, title: str) -> None:
    """Print ``summary``: JSON with English keys (``--json``), else labelled in ``args.lang``."""
    if args.json:
        emit(summary, as_json=True, title="")
    else:
        print_table(summary, title=t(title, args.lang), lang=args.lang)
