"""Helpers shared by the sub-commands: config loading, progress bars, summaries, option types.

The option types (:func:`text_encoding`, :func:`non_blank`, :func:`seconds`) turn a bad value into
an :class:`argparse.ArgumentTypeError`, which ``apk-geo`` reports as one line, exit code 2.
"""

from __future__ import annotations

import argparse
import codecs
import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
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


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the common ``--json`` flag."""
    parser.add_argument("--json", action="store_true", help="print a machine-readable summary")


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


def stderr_note(command: str) -> Callable[[str], None]:
    """Return a callback that prints a note of ``apk-geo <command>`` on stderr (one line)."""

    def note(message: str) -> None:
        print(f"apk-geo {command}: {message}", file=sys.stderr, flush=True)

    return note
