"""The ``apk-geo`` command line: one sub-command per pipeline stage.

Each sub-command lives in ``apk_geo/_cli/<name>.py`` and exposes ``register(subparsers)``.

Every error ends as one line on stderr, ``apk-geo <command>: chyba: <what, naming the file, row
or option>`` (``error:`` in English): errors of apk_geo (bad input, CRS, store, configuration),
usage errors (a bad option value), a file that is not text and a file that cannot be read or
written exit with code 2. Anything else is a bug: ``apk-geo <command>: neočekávaná chyba:
<type>: <message> (…)`` (``unexpected error:``), exit code 1. ``--debug`` (before or after
the command) shows the traceback. A closed pipe (``apk-geo status --json | head -1``) ends
quietly with code 141, as a process killed by SIGPIPE would; Ctrl-C ends with code 130.

The language of the run is known before the command line is parsed (:func:`language_of`):
``--lang`` if the command line has it (``apk-geo --lang en status`` or ``apk-geo status --lang
en``), else ``$APK_GEO_LANG``, else Czech; a command's ``--lang`` option takes it too. The help
(``--help``: argparse's headings, every option's help and every description, the keys of
:mod:`apk_geo._strings_cli` printed by :class:`apk_geo._cli._help.HelpFormatter`), the errors and
the summaries are in that language; an error that carries a catalogue text
(:class:`apk_geo.store._messages.Message`) is shown in it too.
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
from typing import Any, Final, NoReturn

from apk_geo import __version__
from apk_geo._cli._help import PREFIX, HelpFormatter
from apk_geo.config import load_config
from apk_geo.errors import ApkGeoError

#: Sub-command modules, in the order ``--help`` lists them, with the key of their one-line help
#: (:mod:`apk_geo._strings_cli`). A module is imported only when its command runs (or its own
#: ``--help`` is asked for), so ``apk-geo --help`` and ``--version`` never pay for geopandas,
#: scipy, folium or Babel.
COMMANDS: Final[Mapping[str, str]] = {
    "demo": "cli.help.demo",
    "ingest": "cli.help.ingest",
    "quarantine": "cli.help.quarantine",
    "geocode": "cli.help.geocode",
    "status": "cli.help.status",
    "hotspots": "cli.help.hotspots",
    "nearrepeat": "cli.help.nearrepeat",
    "rates": "cli.help.rates",
    "evaluate": "cli.help.evaluate",
    "route": "cli.help.route",
    "plan-week": "cli.help.plan_week",
    "report": "cli.help.report",
    "dashboard": "cli.help.dashboard",
    "assets": "cli.help.assets",
    "db": "cli.help.db",
    "user": "cli.help.user",
    "audit": "cli.help.audit",
}

#: The environment variable naming the language (``cs`` or ``en``) when ``--lang`` is not given.
ENV_LANG: Final = "APK_GEO_LANG"
#: Global options that take a value (so the command name can be found after them).
_VALUED_OPTIONS: Final = frozenset({"--config", "--lang"})
#: Exit codes: a data or usage error, a bug, Ctrl-C, a closed pipe (128 + SIGPIPE).
EXIT_ERROR: Final = 2
EXIT_BUG: Final = 1
EXIT_INTERRUPTED: Final = 130
EXIT_CLOSED_PIPE: Final = 141


class _Parser(argparse.ArgumentParser):
    """An argument parser in the run's language whose usage errors are one line (exit code 2).

    Its help texts, descriptions and group titles are keys of :mod:`apk_geo._strings_cli`,
    printed by :class:`~apk_geo._cli._help.HelpFormatter` in :attr:`lang`; its ``-h/--help``
    is its own, with a catalogue help text.
    """

    #: The language of the help and of the error line (set per run by :func:`build_parser`).
    lang: str = "cs"

    def __init__(self, *, add_help: bool = True, **options: Any) -> None:
        super().__init__(add_help=False, **options)
        self._positionals.title = f"{PREFIX}positionals"
        self._optionals.title = f"{PREFIX}options"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=f"{PREFIX}help"
            )

    def _get_formatter(self) -> HelpFormatter:
        return HelpFormatter(prog=self.prog, lang=self.lang)

    def error(self, message: str) -> NoReturn:
        """Print ``<prog>: chyba: <message>`` and a pointer to ``--help``; exit with code 2."""
        from apk_geo._cli._usage import usage_message
        from apk_geo.i18n import t

        said = usage_message(message, self.lang)
        text = t("cli.see_help", self.lang, message=said, prog=self.prog)
        self.exit(EXIT_ERROR, f"{self.prog}: {t('cli.error', self.lang, message=text)}\n")


def language_of(words: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """Return the language of a run, ``"cs"`` or ``"en"``, before the command line is parsed.

    ``--lang X`` (or ``--lang=X``) in ``words`` if present, else ``$APK_GEO_LANG``, else Czech;
    a value that does not start with ``en`` is Czech (as :func:`apk_geo.i18n.normalize_lang`).

    Examples
    --------
    >>> language_of(["status", "--lang", "en"], {}), language_of(["status"], {"APK_GEO_LANG": "en"})
    ('en', 'en')
    >>> language_of(["status"], {})
    'cs'
    """
    value = _lang_option(words)
    if value is None:
        value = (os.environ if environ is None else environ).get(ENV_LANG, "")
    return "en" if value.strip().lower().startswith("en") else "cs"


def _lang_option(words: Sequence[str]) -> str | None:
    """Return the value of ``--lang`` in ``words`` (``None`` when it is not there)."""
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang":
            return words[i + 1] if i + 1 < len(words) else ""
        if word.startswith("--lang="):
            return word.partition("=")[2]
    return None


def build_parser(command: str | None = None, *, lang: str = "cs") -> argparse.ArgumentParser:
    """Return the argument parser; only ``command``'s module is imported to register it.

    Parameters
    ----------
    command
        The sub-command whose full parser is needed; every other one gets a placeholder that
        carries its help line. ``None`` registers them all (for documentation and tests).
    lang
        The language of the help and of usage errors (``"cs"`` or ``"en"``).
    """
    parser_class: type[_Parser] = type("_Parser", (_Parser,), {"lang": lang})
    parser = parser_class(
        prog="apk-geo", description=f"{PREFIX}description", epilog=f"{PREFIX}epilog"
    )
    parser.add_argument(
        "--version", action="version", version=f"apk-geo {__version__}", help=f"{PREFIX}version"
    )
    parser.add_argument("--config", help=f"{PREFIX}config")
    parser.add_argument(
        "--lang", choices=("cs", "en"), default=argparse.SUPPRESS, help=f"{PREFIX}lang"
    )
    parser.add_argument("--debug", action="store_true", help=f"{PREFIX}debug")
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        required=True,
        parser_class=parser_class,
        help=f"{PREFIX}commands",
    )
    for name, help_key in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"apk_geo._cli.{name.replace('-', '_')}").register(sub)
            sub.choices[name].add_argument(
                "--debug",
                action="store_true",
                default=argparse.SUPPRESS,
                help=f"{PREFIX}debug_command",
            )
        else:
            sub.add_parser(name, help=help_key, add_help=False)
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
    lang = language_of(words)
    # what the error handling needs if even building the parser fails (a broken sub-command)
    args = argparse.Namespace(command=command, debug="--debug" in words)
    try:
        args = _parse(words, command, lang=lang)
        args.app_config = load_config(args.config)  # a bad config file fails before any work
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
        return code
    except KeyboardInterrupt:
        print(f"{_prog(args)}: {_t('cli.interrupted', lang)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _closed_pipe()
    except Exception as exc:
        if args.debug:
            raise
        message, code = _describe(exc, args=args, words=words, lang=lang)
        print(f"{_prog(args)}: {message}", file=sys.stderr)
        return code


def _parse(words: Sequence[str], command: str | None, *, lang: str) -> argparse.Namespace:
    """Build the parser of ``command`` only, parse ``words`` and set up logging.

    ``args.lang`` is the run's language (:func:`language_of`) for every command, with a
    ``--lang`` option or not: the option wherever it stands (``apk-geo --lang en status`` too),
    else ``$APK_GEO_LANG``, else Czech.
    """
    parser = build_parser(command or "", lang=lang)
    args = parser.parse_args(words)
    args.lang = lang
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return args


def _prog(args: argparse.Namespace) -> str:
    """Return ``apk-geo <command>`` (or ``apk-geo`` before a command is known)."""
    command = getattr(args, "command", None)
    return f"apk-geo {command}" if command else "apk-geo"


def _t(key: str, lang: str, **fields: object) -> str:
    """Return a catalogue text (imported here: ``--help`` and ``--version`` never load Babel)."""
    from apk_geo.i18n import t

    return t(key, lang, **fields)


def _describe(
    exc: Exception, *, args: argparse.Namespace, words: Sequence[str], lang: str
) -> tuple[str, int]:
    """Return the one-line message in ``lang`` and the exit code of an exception."""
    if isinstance(exc, ApkGeoError):
        return _t("cli.error", lang, message=_one_line(exc, lang)), EXIT_ERROR
    if isinstance(exc, UnicodeDecodeError):
        files = ", ".join(_binary_files(args, words)) or _t("cli.an_input_file", lang)
        text = _t(
            "cli.not_text",
            lang,
            files=files,
            encoding=exc.encoding,
            start=str(exc.start),
            reason=exc.reason,
        )
        return _t("cli.error", lang, message=text), EXIT_ERROR
    if isinstance(exc, OSError):
        what = f"{exc.filename}: {exc.strerror}" if exc.filename else _one_line(exc, lang)
        return _t("cli.error", lang, message=what), EXIT_ERROR
    kind = type(exc).__name__
    return _t("cli.unexpected", lang, kind=kind, message=_one_line(exc, lang)), EXIT_BUG


def _one_line(exc: BaseException, lang: str) -> str:
    """Return the exception's message on one line, in ``lang`` if it is a catalogue text."""
    from apk_geo.store._messages import error_text

    return error_text(exc, lang)


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
