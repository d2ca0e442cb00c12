"""The command line's help in the run's language: texts by key, argparse's headings translated.

Every help text, description and group title of the parsers is a key of
:mod:`apk_geo._strings_cli` (``cli.help.…``); :class:`HelpFormatter` looks each up in the
parser's language when ``--help`` is printed, and gives argparse's ``usage:`` prefix and
section headings in that language too. The lookup reads the catalogue module directly, not
through :mod:`apk_geo.i18n` (which loads Babel), so ``apk-geo --help`` stays fast.

Examples
--------
>>> help_text("cli.help.options", "cs"), help_text("cli.help.options", "en")
('volby', 'options')
>>> help_text("not a key", "cs")
'not a key'
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterable
from typing import Any

from apk_geo._strings_cli import STRINGS

__all__ = ["PREFIX", "HelpFormatter", "help_text"]

#: The prefix of every key of the command line's help texts.
PREFIX = "cli.help."


def help_text(key: str, lang: str) -> str:
    """Return the help text ``key`` in ``lang`` (``"en"``, else Czech); a non-key as it is.

    Raises
    ------
    KeyError
        If ``key`` starts with ``cli.help.`` but is not in the catalogue (a typo in a parser).
    """
    if not key.startswith(PREFIX):
        return key
    try:
        cs, en = STRINGS[key]
    except KeyError:
        raise KeyError(f"no help text {key!r} in apk_geo._strings_cli") from None
    return en if lang == "en" else cs


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter that prints the help texts, headings and ``usage:`` in ``lang``.

    A description's paragraphs (separated by a blank line) are wrapped to the terminal, except
    those whose lines start with spaces (examples), which are printed as they are.
    """

    def __init__(self, prog: str, *, lang: str = "cs", **options: Any) -> None:
        super().__init__(prog, **options)
        self._lang = lang

    def _text(self, value: str | None) -> str | None:
        return value if value is None else help_text(value, self._lang)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        """Add the usage line with the prefix in the formatter's language (``použití:``)."""
        if prefix is None:
            prefix = help_text(PREFIX + "usage", self._lang)
        super().add_usage(usage, actions, groups, prefix)

    def start_section(self, heading: str | None) -> None:
        """Start a section whose heading is a catalogue key (``cli.help.options``)."""
        super().start_section(self._text(heading))

    def _get_help_string(self, action: argparse.Action) -> str:
        # argparse fills the text with ``%`` formatting: a percent sign of the text stays one
        return (self._text(action.help) or "").replace("%", "%%")

    def _format_text(self, text: str) -> str:
        return super()._format_text(self._text(text) or "")

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if paragraph.startswith(" "):
                paragraphs.append(textwrap.indent(paragraph, indent))
            else:
                paragraphs.append(super()._fill_text(paragraph, width, indent))
        return "\n\n".join(paragraphs)
