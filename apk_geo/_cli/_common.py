"""Helpers shared by the sub-commands: config loading, progress bars, summaries, option types.

The option types (:func:`text_encoding`, :func:`non_blank`, :func:`seconds`) turn a bad value into
an :class:`argparse.ArgumentTypeError`, which ``apk-geo`` reports as one line, exit code 2.
"""

from __future__ import annotations

import argparse
import codecs
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from apk_geo.config import Config, load_config

T = TypeVar("T")


def config_from(args: argparse.Namespace) -> Config:
    """Return the configuration named by ``--config`` (defaults when absent)."""
    loaded = getattr(args, "app_config", None)
    return loaded if isinstance(loaded, Config) else load_config(getattr(args, "config", None))


def progress(
    items: Iterable[T], *, desc: str, total: int | None = None, enabled: bool = True
) -> Iterator[T]:
    """Wrap ``items`` in a progress bar on stderr (hidden when ``enabled`` is false)."""
    yield from tqdm(
        items,
        desc=desc,
        total=total,
        file=sys.stderr,
        disable=not enabled,
        leave=False,
        unit="step",
    )


def emit(summary: Mapping[str, Any], *, as_json: bool, title: str) -> None:
    """Print ``summary`` as JSON (``--json``) or as a short aligned table."""
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    print(title)
    width = max((len(str(k)) for k in summary), default=0)
    for key, value in summary.items():
        print(f"  {str(key).ljust(width)}  {value}")


#: The environment variable naming the store when ``--store`` is not given.
ENV_STORE = "APK_GEO_STORE"
#: The help text of ``--store`` (a key of :mod:`apk_geo._strings_cli`).
STORE_HELP = "cli.help.store"


def add_store_option(
    parser: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup,
    *,
    help: str = STORE_HELP,
    required: bool = True,
) -> None:
    """Add ``--store`` (a ``.gpkg`` path or a ``postgresql://`` URL), default ``$APK_GEO_STORE``.

    It is required only when ``required`` and the variable is unset; ``help`` is the key of its
    help text.
    """
    default = os.environ.get(ENV_STORE) or None
    parser.add_argument(
        "--store", default=default, required=required and default is None, help=help
    )


def add_url_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--url`` (a PostGIS store), default ``$APK_GEO_STORE`` when that is a database URL."""
    from apk_geo.store.location import is_database_url

    env = os.environ.get(ENV_STORE) or ""
    default = env if is_database_url(env) else None
    parser.add_argument(
        "--url",
        default=default,
        required=default is None,
        help="cli.help.url",
    )


def read_password(
    *, from_stdin: bool, confirm: bool = True, user: str | None = None, lang: str = "cs"
) -> str:
    """Return a password typed at a prompt (twice, when ``confirm``) or one line of stdin.

    The prompt (``Heslo uživatele eva:``, ``Password for eva:``) and the errors are in ``lang``.

    Raises
    ------
    ParameterError
        If there is no terminal to prompt on, or the two entries differ.
    """
    import getpass

    from apk_geo.errors import ParameterError
    from apk_geo.i18n import t
    from apk_geo.store._messages import Message

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ParameterError(Message("cli.password.no_terminal"))
    prompt = (
        t("cli.password.prompt", lang)
        if user is None
        else t("cli.password.prompt_for", lang, name=user)
    )
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{t('cli.password.again', lang, prompt=prompt)}: ") != first:
        raise ParameterError(Message("cli.password.differ"))
    return first


def store_label(store: object) -> str:
    """Return how to name a store to the user: its location (a URL without its password)."""
    return str(getattr(store, "location", store))


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the common ``--json`` flag."""
    parser.add_argument("--json", action="store_true", help="cli.help.json")


def add_lang_option(parser: argparse.ArgumentParser, *, help_key: str) -> None:
    """Add a command's ``--lang`` (``cs``/``en``; :func:`apk_geo.cli.language_of` resolves it)."""
    parser.add_argument("--lang", choices=("cs", "en"), default="cs", help=help_key)


def text_encoding(name: str) -> str:
    """Return ``name`` if it is a text encoding (``utf-8``, ``cp1250`` …); argparse type.

    ``codecs.lookup`` also knows codecs that are not text encodings (``rot13``, ``base64``,
    ``zlib``); those fail the round trip of a short text through ``str.encode``/``bytes.decode``.
    """
    try:
        codecs.lookup(name)
        ok = "Ab1;".encode(name).decode(name) == "Ab1;"
    except (LookupError, ValueError, TypeError):
        ok = False
    if not ok:
        raise argparse.ArgumentTypeError(
            f"{name!r} is not a text encoding; use e.g. utf-8, utf-8-sig or cp1250"
        )
    return name


def non_blank(value: str) -> str:
    """Return ``value`` if it holds more than white space; argparse type."""
    if not value.strip():
        raise argparse.ArgumentTypeError(f"expected a non-empty name, got {value!r}")
    return value


def seconds(value: str) -> float:
    """Return ``value`` as a finite number of seconds >= 0; argparse type."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {value!r}")
    return number


def error_line(command: str, message: str, lang: str) -> str:
    """Return ``apk-geo <command>: chyba: <message>`` (``error:`` in English), as apk-geo does.

    ``message`` may be a store :class:`~apk_geo.store._messages.Message`, shown in ``lang``.
    """
    from apk_geo.i18n import t
    from apk_geo.store._messages import localize

    return f"apk-geo {command}: {t('cli.error', lang, message=localize(message, lang))}"


def stderr_note(command: str, lang: str = "cs") -> Callable[[str], None]:
    """Return a callback that prints a note of ``apk-geo <command>`` on stderr (one line).

    A note that is a store :class:`~apk_geo.store._messages.Message` (the wait for a store's
    write lock) is shown in ``lang``.
    """
    from apk_geo.store._messages import localize

    def note(message: str) -> None:
        print(f"apk-geo {command}: {localize(message, lang)}", file=sys.stderr, flush=True)

    return note


def read_gazetteer(path: str | Path) -> Any:
    """Return the RÚIAN address points of ``--gazetteer PATH`` (a DataFrame), or say why not.

    A file the loader refuses, or one without a located point, is an error that names the
    option and the file, in the user's language (``cli.err.option`` with the loader's reason).
    """
    from apk_geo.errors import InputFileError
    from apk_geo.geocode import load_ruian_csv
    from apk_geo.messages import Message, file_reason

    option = f"--gazetteer {path}"
    try:
        gazetteer = load_ruian_csv(path)
    except InputFileError as exc:  # name the option, not only the file
        raise InputFileError(
            Message("cli.err.option", option=option, reason=file_reason(exc))
        ) from exc
    if not gazetteer["x_5514"].notna().any():  # build_index would refuse it without the file
        reason = Message("io.ruian.no_located")
        raise InputFileError(Message("cli.err.option", option=option, reason=reason))
    return gazetteer
