"""Helpers shared by the sub-commands: config loading, progress bars and summaries."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
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
