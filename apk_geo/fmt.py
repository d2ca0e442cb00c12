r"""Numbers, percentages, distances, dates, months and plural forms in Czech or English (Babel).

The one place where a value becomes text for a person: the dashboard, the MDT packs, the route
sheets, the GPX descriptions and the CLI all format through these functions (and through
:func:`apk_geo.i18n.t`, which calls them for its fields), so one figure reads the same everywhere.

Czech follows the Czech typographic rules as CLDR states them: decimal comma, a non-breaking space
(U+00A0) between thousands and before ``%`` and units (``1 234``, ``96,7 %``, ``11,6 km``); English
has a decimal point, comma thousands and no space before ``%`` (``1,234``, ``96.7%``, ``11.6 km``).
Dates have ONE style everywhere: ``1. 12. 2026`` / ``1 Dec 2026`` (:data:`DATE_PATTERNS`), months
``listopad 2026`` / ``November 2026``. A missing value (``None``, NaN, NaT) is ``–``.

Plural forms follow the CLDR plural rules of each language (Babel's ``Locale.plural_form``): Czech
has ``one`` (1), ``few`` (2–4), ``many`` (decimals: 1,5) and ``other`` (0, 5–…); English ``one`` and
``other``. :func:`plural` takes the forms in that order; Czech may leave out ``many``, which then
takes the ``other`` form.

References
----------
Unicode CLDR, Language Plural Rules, https://cldr.unicode.org/index/cldr-spec/plural-rules.
Babel, https://babel.pocoo.org/.

Examples
--------
>>> number(1234.5, "cs", digits=1)
'1\xa0234,5'
>>> percent(0.967, "en", digits=1)
'96.7%'
>>> plural(2, ("záznam", "záznamy", "záznamů"), "cs")
'záznamy'
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from datetime import date as _date
from datetime import datetime as _datetime
from decimal import Decimal
from functools import lru_cache
from numbers import Integral, Real
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

__all__ = [
    "CHART_DATE_FORMATS",
    "DATE_PATTERNS",
    "MISSING",
    "NBSP",
    "PLURAL_CATEGORIES",
    "boolean",
    "chart_date_format",
    "date",
    "date_time",
    "day_month",
    "distance",
    "fill",
    "integer",
    "month",
    "number",
    "percent",
    "plural",
    "plural_category",
    "quantity",
    "scalar",
]

Lang = Literal["cs", "en"]
#: Non-breaking space: between thousands (Czech), before ``%`` (Czech) and before units.
NBSP: Final = "\u00a0"
#: Text for a missing value.
MISSING: Final = "–"
#: The one date style of the product (Babel/CLDR patterns).
DATE_PATTERNS: Final[dict[str, str]] = {"cs": "d. M. y", "en": "d MMM y"}
#: The same style without the year, where the year is known (a week's days).
DAY_MONTH_PATTERNS: Final[dict[str, str]] = {"cs": "d. M.", "en": "d MMM"}
#: Month and year, standalone month name (``listopad 2026``).
MONTH_PATTERN: Final = "LLLL y"
#: The one date style as d3-time-format patterns, for the axes and tooltips of Vega charts:
#: (day, month). Vega names months in English only, so Czech gives them as numbers.
CHART_DATE_FORMATS: Final[dict[str, tuple[str, str]]] = {
    "cs": ("%-d. %-m. %Y", "%-m/%Y"),
    "en": ("%-d %b %Y", "%b %Y"),
}
#: Plural categories of each language in the order :func:`plural` takes its forms.
PLURAL_CATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    "cs": ("one", "few", "many", "other"),
    "en": ("one", "other"),
}
_BOOLEAN: Final[dict[str, tuple[str, str]]] = {"cs": ("ne", "ano"), "en": ("no", "yes")}

#: A number the functions take: Python's, Decimal, or a NumPy scalar.
Number = int | float | Decimal | np.integer[Any] | np.floating[Any]


def _lang(lang: str) -> Lang:
    return "en" if str(lang).lower().startswith("en") else "cs"


@lru_cache(maxsize=4)
def _locale(lang: Lang) -> Locale:
    return Locale.parse("en_GB" if lang == "en" else "cs_CZ")


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _pattern(digits: int | None, *, grouping: bool = True) -> str:
    head = "#,##0" if grouping else "0"
    if digits is None:
        return head + ".###"
    return head + ("." + "0" * digits if digits > 0 else "")


def number(
    value: Number,
    lang: str,
    *,
    digits: int | None = None,
    significant: int | None = None,
    grouping: bool = True,
) -> str:
    """Return ``value`` as a decimal number in ``lang`` (``1 234,5`` / ``1,234.5``).

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives ``–``.
    lang
        ``"cs"`` or ``"en"`` (anything else is Czech).
    digits
        Exactly this many decimals (rounded half to even); ``None`` shows up to three, without
        trailing zeros.
    significant
        Instead of ``digits``: at most this many significant digits, without trailing zeros
        (``0,543``, ``12,3``, ``0,5``), like ``f"{value:.3g}"`` but never in exponent form.
    grouping
        Separate thousands (Czech: non-breaking space; English: comma).
    """
    if _missing(value):
        return MISSING
    plain = value.item() if isinstance(value, np.generic) else value
    code = _lang(lang)
    pattern = (
        _pattern(digits, grouping=grouping)
        if significant is None
        else "@" + "#" * (max(significant, 1) - 1)
    )
    text = format_decimal(plain, format=pattern, locale=_locale(code))
    return text.replace("\u202f", NBSP)


def integer(value: Number, lang: str, *, grouping: bool = True) -> str:
    """Return ``value`` rounded to a whole number in ``lang`` (``12 345`` / ``12,345``)."""
    return number(value, lang, digits=0, grouping=grouping)


def percent(share: Number, lang: str, *, digits: int = 0) -> str:
    """Return the share ``share`` (0.967) as a percentage (``96,7 %`` / ``96.7%``)."""
    if _missing(share):
        return MISSING
    plain = share.item() if isinstance(share, np.generic) else share
    code = _lang(lang)
    fraction = "." + "0" * digits if digits > 0 else ""
    pattern = f"#,##0{fraction}{NBSP}%" if code == "cs" else f"#,##0{fraction}%"
    return format_percent(plain, format=pattern, locale=_locale(code)).replace("\u202f", NBSP)


def quantity(value: Number, unit: str, lang: str, *, digits: int | None = None) -> str:
    """Return ``value``, a non-breaking space and ``unit`` (``250 m``, ``12,5 min``)."""
    if _missing(value):
        return MISSING
    return f"{number(value, lang, digits=digits)}{NBSP}{unit}"


def distance(km: Number, lang: str, *, digits: int = 1) -> str:
    """Return a distance in kilometres (``11,6 km`` / ``11.6 km``)."""
    return quantity(km, "km", lang, digits=digits)


def _as_datetime(value: object) -> _datetime | _date:
    if isinstance(value, _datetime | _date):
        return value
    if isinstance(value, pd.Period):
        return value.to_timestamp().to_pydatetime()
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if pd.isna(stamp):
        raise ValueError(f"not a date: {value!r}")
    return stamp.to_pydatetime()


def date(value: object, lang: str) -> str:
    """Return a calendar date in the product's one style (``1. 12. 2026`` / ``1 Dec 2026``).

    ``value`` is a :class:`datetime.date`, a datetime or :class:`pandas.Timestamp` (its own wall
    clock date: convert to local time first), or an ISO text (``"2026-12-01"``).
    """
    if _missing(value):
        return MISSING
    code = _lang(lang)
    return format_date(_as_datetime(value), DATE_PATTERNS[code], locale=_locale(code))


def chart_date_format(lang: str, *, monthly: bool = False) -> str:
    """Return the d3-time-format pattern of a chart's dates (``1. 11. 2026`` / ``1 Nov 2026``).

    Examples
    --------
    >>> chart_date_format("cs"), chart_date_format("en", monthly=True)
    ('%-d. %-m. %Y', '%b %Y')
    """
    return CHART_DATE_FORMATS[_lang(lang)][1 if monthly else 0]


def day_month(value: object, lang: str) -> str:
    """Return a date without its year in the one date style (``1. 12.`` / ``1 Dec``).

    Examples
    --------
    >>> day_month("2026-12-01", "cs"), day_month("2026-12-01", "en")
    ('1. 12.', '1 Dec')
    """
    if _missing(value):
        return MISSING
    code = _lang(lang)
    return format_date(_as_datetime(value), DAY_MONTH_PATTERNS[code], locale=_locale(code))


def date_time(value: object, lang: str) -> str:
    """Return a date and a 24-hour time (``1. 12. 2026 05:04`` / ``1 Dec 2026 05:04``)."""
    if _missing(value):
        return MISSING
    stamp = _as_datetime(value)
    if not isinstance(stamp, _datetime):
        return date(stamp, lang)
    code = _lang(lang)
    return f"{date(stamp, code)} {format_time(stamp, 'HH:mm', locale=_locale(code))}"


def month(value: object, lang: str) -> str:
    """Return the month of ``value`` with its year (``listopad 2026`` / ``November 2026``).

    ``value`` is a date, a timestamp, a :class:`pandas.Period` or a text such as ``"2026-11"``.
    """
    if _missing(value):
        return MISSING
    code = _lang(lang)
    return format_date(_as_datetime(value), MONTH_PATTERN, locale=_locale(code))


def boolean(value: object, lang: str) -> str:
    """Return ``ano``/``ne`` (``yes``/``no``) for a truth value; ``–`` when it is missing."""
    if _missing(value):
        return MISSING
    return _BOOLEAN[_lang(lang)][bool(value)]


def scalar(value: bool | int | float | None, lang: str) -> str:
    r"""Return a missing value, a truth value or a number as people read it in ``lang``.

    Examples
    --------
    >>> scalar(None, "cs"), scalar(True, "cs"), scalar(1234.5, "cs"), scalar(1234, "en")
    ('–', 'ano', '1\xa0234,5', '1,234')
    """
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return boolean(value, lang)
    return number(value, lang)


def plural_category(n: Number, lang: str) -> str:
    """Return the CLDR plural category of ``n`` in ``lang`` (``one``, ``few``, ``many``, ``other``).

    Examples
    --------
    >>> [plural_category(n, "cs") for n in (1, 2, 5, 1.5)]
    ['one', 'few', 'other', 'many']
    """
    plain = n.item() if isinstance(n, np.generic) else n
    value = int(plain) if isinstance(plain, float) and plain.is_integer() else plain
    operand = value if isinstance(value, Decimal) else Decimal(str(value))
    return str(_locale(_lang(lang)).plural_form(abs(operand)))


def plural(n: Number, forms: Sequence[str], lang: str) -> str:
    """Return the form of a word that goes with the number ``n`` in ``lang``.

    Parameters
    ----------
    n
        The count (a float with decimals takes Czech ``many``: "1,5 kilometru").
    forms
        The forms in the order of :data:`PLURAL_CATEGORIES`: Czech ``one|few|many|other``
        (``many`` may be left out: three forms are ``one|few|other``), English ``one|other``.
    lang
        ``"cs"`` or ``"en"``.

    Raises
    ------
    ValueError
        If the number of forms does not fit the language.
    """
    code = _lang(lang)
    categories = PLURAL_CATEGORIES[code]
    if len(forms) == len(categories) - 1 and "many" in categories:
        categories = tuple(c for c in categories if c != "many")
    if len(forms) != len(categories):
        raise ValueError(
            f"plural forms for {code!r} must be {'|'.join(PLURAL_CATEGORIES[code])} "
            f"(many may be left out); got {len(forms)}: {'|'.join(forms)}"
        )
    chosen = dict(zip(categories, forms, strict=True))
    category = plural_category(n, code)
    if isinstance(n, float) and math.isnan(n):
        category = "other"
    return chosen.get(category, chosen["other"])


# --------------------------------------------------------------------------------------------
# str.format in a language: the fields of apk_geo.i18n's texts
# --------------------------------------------------------------------------------------------


def fill(text: str, lang: str, /, **fields: object) -> str:
    """Return ``text`` (``str.format`` syntax) with ``fields`` formatted for ``lang``.

    Integers and floats (``{n}``, ``{km:.1f}``, ``{share:.0%}``) come out as :func:`number`,
    :func:`integer` and :func:`percent` write them, truth values as :func:`boolean`, dates as
    :func:`date` / :func:`date_time` and monthly periods as :func:`month`;
    ``{n:plural:FORM|FORM|…}`` is the form of :func:`plural` for ``n``. Anything else (text,
    ``{byte:02X}``, ``{x!r}``) as ``str.format`` does. The syntax is documented in
    :mod:`apk_geo.i18n`.

    Examples
    --------
    >>> fill("{n} {n:plural:záznam|záznamy|záznamů}", "cs", n=3)
    '3 záznamy'
    """
    return _Formatter(_lang(lang)).vformat(text, (), fields)


_PLURAL: Final = "plural:"
_FIXED: Final = frozenset("f%")


class _Formatter(string.Formatter):
    """``str.format`` with numbers, dates and plural forms in one language (this module)."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang: Lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith(_PLURAL):
            return plural(_count(value), format_spec[len(_PLURAL) :].split("|"), self.lang)
        special = _format_special(value, format_spec, self.lang)
        if special is not None:
            return special
        return str(super().format_field(value, format_spec))


def _count(value: object) -> int | float | Decimal:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"a plural form needs a number, got {value!r}")
    return value if isinstance(value, Decimal) else _plain(value)


def _plain(value: Real) -> int | float:
    return int(value) if isinstance(value, Integral) else float(value)


def _format_special(value: object, spec: str, lang: Lang) -> str | None:
    """Return ``value`` formatted for ``lang``, or None where plain ``str.format`` applies."""
    if isinstance(value, bool):
        return boolean(value, lang) if not spec else None
    if isinstance(value, Real | Decimal):
        return _format_number(value, spec, lang)
    if isinstance(value, pd.Period) and not spec and value.freqstr.startswith("M"):
        return month(value, lang)
    if isinstance(value, _date | pd.Period):
        return _format_when(value, spec, lang)
    return None


def _format_number(value: Real | Decimal, spec: str, lang: Lang) -> str | None:
    plain = value if isinstance(value, Decimal) else _plain(value)
    if not spec:
        if isinstance(plain, int):
            return integer(plain, lang)
        return number(plain, lang)
    if spec in ("d", "n"):
        return integer(plain, lang)
    if spec.startswith(".") and spec[-1] in _FIXED and spec[1:-1].isdigit():
        digits = int(spec[1:-1])
        if spec[-1] == "%":
            return percent(plain, lang, digits=digits)
        return number(plain, lang, digits=digits)
    return None


def _format_when(value: _date | pd.Period, spec: str, lang: Lang) -> str | None:
    if spec == "month":
        return month(value, lang)
    if spec:
        return None
    if isinstance(value, _datetime):
        return date_time(value, lang)
    return date(value, lang)
