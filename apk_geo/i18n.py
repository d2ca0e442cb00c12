"""User-interface strings, Czech first, English available: ``t(key, lang)``.

Every label, message and layer name the dashboard, the maps and the MDT meeting packs show
comes from :data:`STRINGS`, the one string catalogue. Keys are dotted (``page.map``,
``msg.empty_filter``); the packs' strings are under ``pack.`` (``pack.title``,
``pack.ui.prev`` for the presenter page) and month names under ``month.`` (``month.1`` is
January). Category and outcome labels come from :mod:`apk_geo.schema` (``label_of``), not from
here.

The strings themselves live in private modules beside this one, by key prefix, each a plain
``STRINGS`` dict that this module merges (a key defined in two of them is an error at import):

- :mod:`apk_geo._strings_ui`: the dashboard's shell and pages (``nav.``, ``filter.``, ``map.``,
  ``hot.``, ``trend.``, ``data.``, ``msg.``, ``column.``, ``download.``, ``chrome.``, ``month.``,
  ``cli.`` (the command line's printed summaries) …);
- :mod:`apk_geo._strings_reports`: the MDT meeting packs and the published packs (``pack.``,
  ``packs.``);
- :mod:`apk_geo._strings_routes`: patrol routes, route sheets and week plans (``route.``,
  ``sheet.``, ``week.``, ``place.``);
- :mod:`apk_geo._strings_io`: the import reader's messages and quarantine reasons (``io.``);
- :mod:`apk_geo._strings_geo`: the geocoding notes stored with each record (``geo.``), which
  :mod:`apk_geo.notes` reads back in either language;
- :mod:`apk_geo._strings_access`: sign-in and administration (``auth.``, ``admin.``);
- :mod:`apk_geo._strings_cli`: the command line's help (``cli.help.``), which ``apk-geo --help``
  reads directly, without this module (:mod:`apk_geo._cli._help`).

A new key goes into the module of its prefix; a new prefix into the module of its area (and the
list above).

Fields
------
A text may hold ``str.format`` fields (``{n}``), filled from keyword arguments; both languages of
a key hold the same fields. :func:`t` (and :func:`fill` for a text read with :func:`section`)
formats each value in the text's language through :mod:`apk_geo.fmt`:

- an integer: ``{n}`` → ``1 234`` (Czech, non-breaking space) / ``1,234``;
- a float: ``{km:.1f}`` → ``11,6`` / ``11.6`` (any ``.Nf``), ``{x}`` → up to three decimals;
- a share: ``{share:.0%}`` → ``97 %`` / ``97%`` (any ``.N%``);
- a truth value: ``{b}`` → ``ano``/``ne`` (``yes``/``no``);
- a date → ``1. 12. 2026`` / ``1 Dec 2026``, a datetime → ``1. 12. 2026 05:04``, a monthly
  :class:`pandas.Period` → ``listopad 2026`` / ``November 2026`` (also ``{d:month}`` for a date);
- anything else (text, and specs such as ``{byte:02X}`` or ``{x!r}``) as ``str.format`` does.

Plural forms
------------
``{n:plural:FORM|FORM|…}`` is replaced by the form of a word that goes with the number ``n``, by the
CLDR plural rules of the language (:func:`apk_geo.fmt.plural`). The forms are listed in the order
of the language's categories: Czech ``one|few|many|other`` (1 | 2–4 | decimals | 0, 5 and more;
``many`` may be left out, three forms are ``one|few|other``), English ``one|other``. The number
itself is a separate field, so a count reads ``{n} {n:plural:záznam|záznamy|záznamů}``:
"1 záznam", "2 záznamy", "5 záznamů"; a verb agrees the same way (``{n:plural:je|jsou|je}``).
A form may not contain ``|``, ``{`` or ``}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType, ModuleType
from typing import Final, Literal

from apk_geo import (
    _strings_access,
    _strings_cli,
    _strings_geo,
    _strings_io,
    _strings_reports,
    _strings_routes,
    _strings_ui,
    fmt,
)
from apk_geo.errors import ConfigError

Lang = Literal["cs", "en"]
LANGS: Final[tuple[Lang, ...]] = ("cs", "en")
DEFAULT_LANG: Final[Lang] = "cs"

#: The catalogue's modules, one per area of the application (each ``STRINGS``: key → (cs, en)).
_MODULES: Final[tuple[ModuleType, ...]] = (
    _strings_ui,
    _strings_reports,
    _strings_routes,
    _strings_io,
    _strings_geo,
    _strings_access,
    _strings_cli,
)


def _merge(modules: Sequence[ModuleType]) -> dict[str, tuple[str, str]]:
    """Return the union of the modules' ``STRINGS``; a key defined in two modules is an error.

    Raises
    ------
    ConfigError
        If a key is defined in more than one module (naming the key and both modules).
    """
    merged: dict[str, tuple[str, str]] = {}
    origin: dict[str, str] = {}
    for module in modules:
        for key, texts in module.STRINGS.items():
            if key in origin:
                raise ConfigError(
                    f"The string key {key!r} is defined twice, in {origin[key]} and in "
                    f"{module.__name__}; keep it in one of them."
                )
            merged[key] = texts
            origin[key] = module.__name__
    return merged


_S: Final[dict[str, tuple[str, str]]] = _merge(_MODULES)

#: Every UI string: key → (Czech, English).
STRINGS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(_S)


def normalize_lang(lang: object) -> Lang:
    """Return ``"en"`` for English and ``"cs"`` for anything else (the default)."""
    return "en" if str(lang).lower().startswith("en") else "cs"


def section(prefix: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Return every string under ``prefix.`` in ``lang``, keyed without the prefix (unformatted).

    Templates read a whole section at once, e.g. the route sheet's ``L.title``.

    Examples
    --------
    >>> section("sheet", "en")["title"]
    'Patrol route'
    """
    start = prefix + "."
    pick = 1 if normalize_lang(lang) == "en" else 0
    return {k.removeprefix(start): v[pick] for k, v in STRINGS.items() if k.startswith(start)}


def t(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """Return the UI string ``key`` in ``lang`` (``"cs"`` or ``"en"``), formatted with ``fields``.

    Parameters
    ----------
    key
        Dotted key of :data:`STRINGS`.
    lang
        ``"cs"`` (default) or ``"en"``; anything else falls back to Czech.
    **fields
        Values for ``{name}`` placeholders.

    Raises
    ------
    KeyError
        If ``key`` is unknown (the message suggests similar keys).

    Examples
    --------
    >>> t("nav.map"), t("nav.map", "en")
    ('Mapa', 'Map')
    >>> t("kpi.previous", "cs", n=12)
    'předchozí období: 12'
    """
    try:
        cs, en = STRINGS[key]
    except KeyError:
        prefix = key.split(".")[0]
        near = sorted(k for k in STRINGS if k.startswith(prefix + "."))[:8]
        raise KeyError(f"no UI string {key!r}; keys with that prefix: {near}") from None
    code = normalize_lang(lang)
    text = en if code == "en" else cs
    return fill(text, code, **fields) if fields else text


def fill(text: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """Return ``text`` with its fields filled in the format of ``lang`` (see the module docstring).

    For a text taken from :func:`section`; :func:`t` calls it for its own texts.

    Raises
    ------
    KeyError
        If a field of ``text`` is not among ``fields``.
    ValueError
        If a format spec does not fit its value (e.g. plural forms of the wrong number).

    Examples
    --------
    >>> fill("{n} {n:plural:záznam|záznamy|záznamů}", "cs", n=3)
    '3 záznamy'
    >>> fill("{km:.1f} km, {share:.0%}", "en", km=11.64, share=0.25)
    '11.6 km, 25%'
    """
    return fmt.fill(text, normalize_lang(lang), **fields)


def plural(n: int | float, forms: Sequence[str], lang: str = DEFAULT_LANG) -> str:
    """Return the form of a word for ``n`` (:func:`apk_geo.fmt.plural`), e.g. for a table header."""
    return fmt.plural(n, forms, normalize_lang(lang))
