"""Stored geocoding notes in the reader's language.

A record's ``geocode_reason`` is stored as English text: notes of :mod:`apk_geo._strings_geo`
joined by ``"; "`` (``"street 'Hlavni' corrected to 'Hlavní' (score 91); no house number; …"``).
:func:`note_text` reads such a text back into its notes, key and fields, and gives it in Czech or
English; a part it does not recognise (a note of an older version, a text typed by hand) is
kept as it is. :class:`Note` is the same text as a :class:`~apk_geo.messages.Message` field, so
an error that quotes a record's note shows it in the user's language.

Examples
--------
>>> note_text("street 'Hlavni' corrected to 'Hlavní' (score 91); no address", "cs")
'ulice „Hlavni“ opravena na „Hlavní“ (shoda 91); chybí adresa'
>>> note_text("a note from elsewhere", "cs")
'a note from elsewhere'
"""

from __future__ import annotations

import re
import string
from functools import cache, lru_cache
from typing import Final

from apk_geo import _strings_geo
from apk_geo.i18n import t
from apk_geo.messages import Message

__all__ = ["Note", "note_text", "parse"]

#: The separator of the notes in one stored text.
SEPARATOR: Final = "; "


class Note(Message):
    """A stored note (English ``str``) that gives itself in any language (:func:`note_text`)."""

    def __new__(cls, stored: object) -> Note:
        """Wrap the stored text ``stored``."""
        self = str.__new__(cls, str(stored))
        self.key = "geo.note"
        self.fields = {"stored": str(stored)}
        return self

    def text(self, lang: str) -> str:
        """Return the note in ``lang`` (``"cs"`` or ``"en"``)."""
        return note_text(str(self.fields["stored"]), lang)


def note_text(stored: object, lang: str) -> str:
    """Return the stored notes ``stored`` in ``lang``; unknown parts as they are.

    Parameters
    ----------
    stored
        A ``geocode_reason`` value (``""``, missing and non-text values are returned as text).
    lang
        ``"cs"`` or ``"en"``.
    """
    if not isinstance(stored, str):
        return "" if stored is None else str(stored)
    return _translated(stored, lang)


@lru_cache(maxsize=65_536)
def _translated(stored: str, lang: str) -> str:
    """Return :func:`note_text` of a text (cached: an export repeats the same notes)."""
    return SEPARATOR.join(_render(key, fields, lang) for key, fields in parse(stored))


def parse(stored: str) -> list[tuple[str | None, dict[str, str]]]:
    """Return the notes of ``stored``: ``(key, fields)``, or ``(None, {"text": part})``.

    Each note must end where the text ends or at ``"; "``; where no note matches, the text up to
    the next ``"; "`` is one unknown part.
    """
    out: list[tuple[str | None, dict[str, str]]] = []
    pos = 0
    while pos < len(stored):
        for key, pattern in _patterns():
            found = pattern.match(stored, pos)
            if found:
                out.append((key, found.groupdict()))
                pos = found.end()
                break
        else:
            end = stored.find(SEPARATOR, pos)
            end = len(stored) if end < 0 else end
            out.append((None, {"text": stored[pos:end]}))
            pos = end
        if stored.startswith(SEPARATOR, pos):
            pos += len(SEPARATOR)
            if pos == len(stored):
                out.append((None, {"text": ""}))
    return out


def _render(key: str | None, fields: dict[str, str], lang: str) -> str:
    if key is None:
        return fields["text"]
    shown: dict[str, object] = {}
    for name, value in fields.items():
        if name in _strings_geo.NUMBER_FIELDS:
            shown[name] = _number(value)
        elif name in _strings_geo.DECIMAL_FIELDS and lang == "cs":
            shown[name] = value.replace(".", ",")
        elif name in _strings_geo.NOTE_FIELDS:
            shown[name] = note_text(value, lang)
        else:
            shown[name] = value
    return t(key, lang, **shown)


def _number(value: str) -> object:
    """Return a written number as an int or float (the text itself if it is none)."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Return every note's English pattern, the longest literal text first."""
    compiled = []
    for key, (_, english) in _strings_geo.STRINGS.items():
        parts: list[str] = []
        seen: set[str] = set()
        literal = 0
        for text, field, _spec, _conv in string.Formatter().parse(english):
            parts.append(re.escape(text))
            literal += len(text)
            if field is None:
                continue
            parts.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
            seen.add(field)
        pattern = re.compile("".join(parts) + f"(?={re.escape(SEPARATOR)}|$)")
        compiled.append((literal, key, pattern))
    compiled.sort(key=lambda item: -item[0])
    return tuple((key, pattern) for _, key, pattern in compiled)
