"""The ``apk-geo`` command line: one sub-command per pipeline stage.

Each sub-command lives in ``apk_geo/_cli/<name>.py`` and exposes ``register(subparsers)``. Errors of
apk_geo (bad input, CRS, store) end the program with one clear message and exit code 2; the
traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from apk_geo import __version__
from apk_geo.config import load_config
from apk_geo.errors import ApkGeoError

#: Sub-command modules, in the order they are listed in ``--help``.
COMMANDS = (
    "demo",
    "ingest",
    "quarantine",
    "geocode",
    "status",
    "hotspots",
    "nearrepeat",
    "rates",
    "evaluate",
    "route",
    "report",
    "dashboard",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="apk-geo",
        description="Hotspot analysis and maps for the APK crime-prevention assistants (Ostrava).",
    )
    parser.add_argument("--version", action="version", version=f"apk-geo {__version__}")
    parser.add_argument("--config", help="TOML configuration file (context layers, MDT areas)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"apk_geo._cli.{name}")
        except ModuleNotFoundError as exc:  # a stage not built yet must not break the others
            if exc.name == f"apk_geo._cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        args.app_config = load_config(args.config)  # a bad config file fails before any work
        return int(args.func(args) or 0)
    except ApkGeoError as exc:
        if args.debug:
            raise
        print(f"apk-geo {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"apk-geo {args.command}: interrupted; stored data is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
