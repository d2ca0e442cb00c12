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
from collections.abc import Mapping, Sequence
from typing import Final

from apk_geo import __version__
from apk_geo.config import load_config
from apk_geo.errors import ApkGeoError

#: Sub-command modules, in the order ``--help`` lists them, with their one-line help. A module is
#: imported only when its command runs (or its own ``--help`` is asked for), so ``apk-geo --help``
#: and ``--version`` never pay for geopandas, scipy or folium.
COMMANDS: Final[Mapping[str, str]] = {
    "demo": "build a store with synthetic demo data",
    "ingest": "import an incident export into a store",
    "quarantine": "export quarantined rows to CSV",
    "geocode": "geocode a CSV of addresses against the RÚIAN address points",
    "status": "summarise a store",
    "hotspots": "hot-spot analysis (Gi*, KDE, clusters, forecast, change, emerging)",
    "nearrepeat": "Knox test for near repeats",
    "rates": "incident rates in SVL and hostel buffers, with rate ratios",
    "evaluate": "compare hotspot methods on a time split (PAI, PEI, RRI)",
    "route": "plan a patrol route for a shift (stops, times, GPX, printable sheet)",
    "report": "MDT meeting packs: HTML, PDF and PNG per area and month",
    "dashboard": "start the dashboard",
    "assets": "install or check the map's front-end files (offline maps)",
}

#: Global options that take a value (so the command name can be found after them).
_VALUED_OPTIONS: Final = frozenset({"--config"})


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser; only ``command``'s module is imported to register it.

    Parameters
    ----------
    command
        The sub-command whose full parser is needed; every other one gets a placeholder that
        carries its help line. ``None`` registers them all (for documentation and tests).
    """
    parser = argparse.ArgumentParser(
        prog="apk-geo",
        description="Hotspot analysis and maps for the APK crime-prevention assistants (Ostrava).",
    )
    parser.add_argument("--version", action="version", version=f"apk-geo {__version__}")
    parser.add_argument("--config", help="TOML configuration file (context layers, MDT areas)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_line in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"apk_geo._cli.{name}").register(sub)
        else:
            sub.add_parser(name, help=help_line, add_help=False)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """Return the sub-command named in ``argv`` (the first word that is not a global option)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _VALUED_OPTIONS:
            skip = True
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = _command_in(words)
    parser = build_parser(command) if command else build_parser("")
    args = parser.parse_args(words)
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
