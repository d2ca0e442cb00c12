"""Messages to people in Czech or English: a text that knows its catalogue key.

A library does not know who reads its errors, so it raises them with a :class:`Message`: a
``str`` (English, so ``str(exc)``, ``match=`` in tests and logs read as before) that also
carries its catalogue key and fields, and :meth:`Message.text` gives it in any language. The
command line and the dashboard show the message of an error in the user's language
(:func:`error_text`, :func:`localize`). A field that is itself a :class:`Message` is given in
the same language. :func:`file_error` makes the :class:`~apk_geo.errors.InputFileError` of a
file whose message is a :class:`Message`.

This is a support module (below the data tier), so ``store``, ``io``, ``geocode``, ``routes``
and the rest all build their messages with it.

Examples
--------
>>> m = Message("route.teams.empty")
>>> str(m)
'the teams file lists no team'
>>> error_text(file_error(m, path="t.csv"), "cs")
't.csv: soubor týmů neuvádí žádný tým'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apk_geo.errors import InputFileError
from apk_geo.i18n import t

__all__ = ["Message", "error_text", "file_error", "file_reason", "localize"]


def _text(key: str, lang: str, fields: Mapping[str, object]) -> str:
    """Return the text ``key`` in ``lang`` with ``fields`` (a Message field also in ``lang``)."""
    shown = {k: v.text(lang) if isinstance(v, Message) else v for k, v in fields.items()}
    return t(key, lang, **shown)


class Message(str):
    """A text of the catalogue: the English text as a ``str``, plus its key and fields.

    Parameters
    ----------
    key
        Key of :data:`apk_geo.i18n.STRINGS`.
    **fields
        Values of the text's fields.
    """

    key: str
    fields: Mapping[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Message:
        """Create the message; its ``str`` value is the English text."""
        self = super().__new__(cls, _text(key, "en", fields))
        self.key = key
        self.fields = dict(fields)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a plain string (an error that crosses a process boundary keeps its text)."""
        return (str, (str(self),))

    def text(self, lang: str) -> str:
        """Return the message in ``lang`` (``"cs"`` or ``"en"``)."""
        return _text(self.key, lang, self.fields)


def localize(text: object, lang: str) -> str:
    """Return ``text`` in ``lang`` if it is a :class:`Message`, else as it is (``str``)."""
    return text.text(lang) if isinstance(text, Message) else str(text)


def error_text(exc: BaseException, lang: str) -> str:
    """Return the message of ``exc`` on one line, in ``lang`` if it is a catalogue text.

    What the command line prints after ``chyba:`` and the dashboard after its own words.

    Examples
    --------
    >>> error_text(ValueError(Message("route.teams.empty")), "cs")
    'soubor týmů neuvádí žádný tým'
    >>> error_text(KeyError(), "cs")
    'KeyError'
    """
    text = localize(exc.args[0], lang) if len(exc.args) == 1 else str(exc)
    return " ".join(text.split()) or type(exc).__name__


def file_error(message: Message, *, path: object) -> InputFileError:
    """Return an :class:`InputFileError` of the file ``path`` whose message is ``message``.

    ``str(exc)`` reads ``"<path>: <message>"`` as ``InputFileError(message, path=...)`` gives,
    and the message keeps its key, so it is shown in the user's language.
    """
    exc = InputFileError(Message("route.teams.in_file", path=str(path), message=message))
    exc.path = str(path)
    return exc


def file_reason(exc: InputFileError) -> Message | str:
    """Return the message of a file's error without the file (a :class:`Message` if it is one).

    For a caller that names the file another way (``--gazetteer PATH: …``).

    Examples
    --------
    >>> file_reason(file_error(Message("route.teams.empty"), path="t.csv")).text("cs")
    'soubor týmů neuvádí žádný tým'
    >>> file_reason(InputFileError("bad", path="t.csv"))
    'bad'
    """
    text = exc.args[0] if len(exc.args) == 1 else str(exc)
    if isinstance(text, Message) and text.key == "route.teams.in_file":
        inner = text.fields["message"]
        return inner if isinstance(inner, Message) else str(inner)
    return str(text).removeprefix(f"{exc.path}: ") if exc.path else str(text)
