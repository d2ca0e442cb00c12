"""The packs' access to their strings (``pack.*`` in :mod:`apk_geo.i18n`): :func:`text_of`."""

from __future__ import annotations

from apk_geo.i18n import t

__all__ = ["text_of"]


def text_of(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the pack string ``key`` of :mod:`apk_geo.i18n` in ``lang``, filled with ``fields``.

    Examples
    --------
    >>> text_of("pack.few_heading", "en")
    'Too few incidents'
    """
    return t(key, lang, **fields)
