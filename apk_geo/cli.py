"""The ``apk-geo`` command line: one sub-command per pipeline stage.

Each sub-command lives in ``apk_geo/_cli/<name>.py`` and exposes ``register(subparsers)``.

Every error ends as one line on stderr, ``apk-geo <command>: error: <what, naming the file, row
or option>``: errors of apk_geo (bad input, CRS, store, configuration), usage errors (a bad
option value), a file that is not text and a file that cannot be read or written exit with code
2. Anything else is a bug: ``apk-geo <command>: unexpected error: <type>: <message> (run with
--debug for the traceback)``, exit code 1. ``--debug`` (before or after the command) shows the
traceback. A closed pipe (``apk-geo status --json | head -1``) ends quietly with code 141, as a
process killed by SIGPIPE would; Ctrl-C ends with code 130.
"""

from __future__ import annotations

import argparse
import codecs
import importlib
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, NoReturn

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
    "route": "plan patrol routes for a shift, one or several teams (stops, times, GPX, sheets)",
    "plan-week": "plan a week of patrols for several teams (shifts × places table, sheets, GPX)",
    "report": "MDT meeting packs: HTML, PDF and PNG per area and month",
    "dashboard": "start the dashboard",
    "assets": "install or check the map's front-end files (offline maps)",
    "db": "shared PostGIS store: create (init), copy a GeoPackage in (migrate), retention",
    "user": "users of a shared store: add, list, disable",
    "audit": "read the audit trail of a shared store",
}

#: Global options that take a value (so the command name can be found after them).
_VALUED_OPTIONS: Final = frozenset({"--config"})
#: Exit codes: a data or usage error, a bug, Ctrl-C, a closed pipe (128 + SIGPIPE).
EXIT_ERROR: Final = 2
EXIT_BUG: Final = 1
EXIT_INTERRUPTED: Final = 130
EXIT_CLOSED_PIPE: Final = 141


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (exit code 2), not usage + error."""

    def error(self, message: str) -> NoReturn:
        """Print ``<prog>: error: <message>`` and a pointer to ``--help``; exit with code 2."""
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser; only ``command``'s module is imported to register it.

    Parameters
    ----------
    command
        The sub-command whose full parser is needed; every other one gets a placeholder that
        carries its help line. ``None`` registers them all (for documentation and tests).
    """
    parser = _Parser(
        prog="apk-geo",
        description="Hotspot analysis and maps for the APK crime-prevention assistants (Ostrava).",
    )
    parser.add_argument("--version", action="version", version=f"apk-geo {__version__}")
    parser.add_argument("--config", help="TOML configuration file (context layers, MDT areas)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_line in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"apk_geo._cli.{name.replace('-', '_')}").register(sub)
            sub.choices[name].add_argument(
                "--debug",
                action="store_true",
                default=argparse.SUPPRESS,
                help="show tracebacks and debug logs (also accepted before the command)",
            )
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
    """Run the command line; return the process exit code (see the module docstring)."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = _command_in(words)
    # what the error handling needs if even building the parser fails (a broken sub-command)
    args = argparse.Namespace(command=command, debug="--debug" in words)
    try:
        args = _parse(words, command)
        args.app_config = load_config(args.config)  # a bad config file fails before any work
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
        return code
    except KeyboardInterrupt:
        print(f"{_prog(args)}: interrupted; stored data is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _closed_pipe()
    except Exception as exc:
        if args.debug:
            raise
        message, code = _describe(exc, args=args, words=words)
        print(f"{_prog(args)}: {message}", file=sys.stderr)
        return code


def _parse(words: Sequence[str], command: str | None) -> argparse.Namespace:
    """Build the parser of ``command`` only, parse ``words`` and set up logging."""
    parser = build_parser(command) if command else build_parser("")
    args = parser.parse_args(words)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return args


def _prog(args: argparse.Namespace) -> str:
    """Return ``apk-geo <command>`` (or ``apk-geo`` before a command is known)."""
    command = getattr(args, "command", None)
    return f"apk-geo {command}" if command else "apk-geo"


def _describe(exc: Exception, *, args: argparse.Namespace, words: Sequence[str]) -> tuple[str, int]:
    """Return the one-line message and the exit code of an exception that ended a command."""
    if isinstance(exc, ApkGeoError):
        return f"error: {_one_line(exc)}", EXIT_ERROR
    if isinstance(exc, UnicodeDecodeError):
        files = ", ".join(_binary_files(args, words)) or "an input file"
        return (
            f"error: {files}: not a text file ({exc.encoding} cannot decode byte "
            f"{exc.start}: {exc.reason}); is it the right file?",
            EXIT_ERROR,
        )
    if isinstance(exc, OSError):
        what = f"{exc.filename}: {exc.strerror}" if exc.filename else _one_line(exc)
        return f"error: {what}", EXIT_ERROR
    return (
        f"unexpected error: {type(exc).__name__}: {_one_line(exc)} "
        "(run with --debug for the traceback)",
        EXIT_BUG,
    )


def _one_line(exc: BaseException) -> str:
    """Return the exception's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _binary_files(args: argparse.Namespace, words: Sequence[str]) -> list[str]:
    """Return the file arguments (``--option path``) that are not text, to name them."""
    found = []
    for dest, value in sorted(vars(args).items()):
        is_file = isinstance(value, str | Path) and bool(value) and Path(value).is_file()
        if is_file and not _looks_like_text(Path(value)):
            option = f"--{dest.replace('_', '-')}"
            found.append(f"{option} {value}" if option in words else str(value))
    return found


def _looks_like_text(path: Path, *, size: int = 65536) -> bool:
    """Return whether the start of ``path`` reads as UTF-8/UTF-16 (BOM) or cp1250, without NUL."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(size)
    except OSError:
        return True  # not ours to judge
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1250"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _closed_pipe() -> int:
    """End quietly when stdout's reader has gone (``| head``), as the Python docs recommend."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the flush at exit must not fail again
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture)
        pass
    return EXIT_CLOSED_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
