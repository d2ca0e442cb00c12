"""The store's messages to people, in Czech or English: a text that knows its catalogue key.

A store does not know who reads its errors, so it raises them with a :class:`Message`: a ``str``
(English, so ``str(exc)``, ``match=`` in tests and logs read as before) that also carries its
catalogue key and fields, and :meth:`Message.text` gives it in any language. The command line
shows the message of an error in the user's language (:func:`localize`), and ``apk-geo status
--check`` the reconciliation problems. The texts are the ``msg.store_`` and ``msg.reconcile_``
strings of :mod:`apk_geo._strings_ui`.

Examples
--------
>>> m = no_store("x.gpkg")
>>> str(m).startswith("x.gpkg: no store here")
True
>>> m.text("cs").startswith("x.gpkg: tady není žádné úložiště")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from apk_geo.i18n import t

__all__ = [
    "Message",
    "localize",
    "no_store",
    "reconcile_incidents",
    "reconcile_quarantine",
    "reconcile_unbalanced",
    "reconcile_versions",
]


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
        self = super().__new__(cls, t(key, "en", **fields))
        self.key = key
        self.fields = dict(fields)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a plain string (an error that crosses a process boundary keeps its text)."""
        return (str, (str(self),))

    def text(self, lang: str) -> str:
        """Return the message in ``lang`` (``"cs"`` or ``"en"``)."""
        return t(self.key, lang, **self.fields)


def localize(text: object, lang: str) -> str:
    """Return ``text`` in ``lang`` if it is a :class:`Message`, else as it is (``str``)."""
    return text.text(lang) if isinstance(text, Message) else str(text)


def no_store(path: object) -> Message:
    """The error of a store file that does not exist, with how to create one."""
    return Message("msg.store_missing", path=str(path))


def reconcile_unbalanced(import_ids: Sequence[object]) -> Message:
    """The problem of imports whose counts do not add up to the rows read."""
    return Message("msg.reconcile_unbalanced", ids=list(import_ids))


def reconcile_incidents(stored: int, accepted: int, removed: int) -> Message:
    """The problem of stored incidents that are not the accepted ones (less retention)."""
    key = "msg.reconcile_incidents_removed" if removed else "msg.reconcile_incidents"
    return Message(key, stored=stored, accepted=accepted, removed=removed)


def reconcile_versions(stored: int, kept: int, removed: int) -> Message:
    """The problem of stored versions that are not the ones the imports kept (less retention)."""
    key = "msg.reconcile_versions_removed" if removed else "msg.reconcile_versions"
    return Message(key, stored=stored, kept=kept, removed=removed)


def reconcile_quarantine(stored: int, quarantined: int) -> Message:
    """The problem of more quarantine rows than the imports quarantined."""
    return Message("msg.reconcile_quarantine", stored=stored, quarantined=quarantined)
