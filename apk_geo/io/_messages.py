"""The reader's user-facing texts, Czech first, English available (``msg(key, lang, ...)``).

Every text lives in the one catalogue, :data:`apk_geo.i18n.STRINGS`, under ``io.``.
"""

from __future__ import annotations

from apk_geo.i18n import t

__all__ = ["msg"]


def msg(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the reader's text ``key`` in ``lang`` (Czech by default), filled with ``fields``.

    Parameters
    ----------
    key
        An ``io.`` key of :data:`apk_geo.i18n.STRINGS`.
    lang
        ``"cs"`` (default) or ``"en"``.
    **fields
        Values for the ``{name}`` placeholders.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> msg("io.value.fields", "en", n=5)
    '5 fields'
    """
    return t(key, lang, **fields)
