"""Names of a pack's area and month: :class:`AreaRef`, :func:`resolve_areas`, months.

Re-exported by :mod:`apk_geo.reports.data` and :mod:`apk_geo.reports`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from apk_geo.config import Config
from apk_geo.errors import ParameterError
from apk_geo.i18n import t
from apk_geo.messages import Message
from apk_geo.schema import fold

__all__ = ["AreaKind", "AreaRef", "month_label", "parse_month", "resolve_areas"]

AreaKind = Literal["mdt_area", "district"]


@dataclass(frozen=True)
class AreaRef:
    """One area a pack can be made for: an MDT area or a city district."""

    name: str
    kind: AreaKind


def parse_month(value: str | pd.Period) -> pd.Period:
    """Return the calendar month ``YYYY-MM`` as a :class:`pandas.Period`.

    Raises
    ------
    ParameterError
        If ``value`` is not a month like ``2024-06``.

    Examples
    --------
    >>> parse_month("2024-06")
    Period('2024-06', 'M')
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        raise ParameterError(Message("pack.err.month_format", value=repr(value)))
    try:
        return pd.Period(text, freq="M")
    except ValueError as exc:
        raise ParameterError(Message("pack.err.month_invalid", value=repr(value))) from exc


def month_label(month: pd.Period, lang: str) -> str:
    """Return ``"říjen 2026"`` / ``"October 2026"``.

    Examples
    --------
    >>> month_label(pd.Period("2026-10", freq="M"), "cs")
    'říjen 2026'
    """
    return f"{t(f'month.{month.month}', lang)} {month.year}"


def resolve_areas(spec: str, *, config: Config, districts: Iterable[str]) -> list[AreaRef]:
    """Return the areas named by ``spec``: ``"all"``, an MDT-area name or a district name.

    Names match case- and diacritics-insensitively (``"poruba"`` finds ``Poruba``); an MDT area
    wins over a district of the same name.

    Raises
    ------
    ParameterError
        If ``spec`` names neither; the message lists the valid names.

    Examples
    --------
    >>> [a.name for a in resolve_areas("all", config=Config(), districts=[])][:2]
    ['Moravská Ostrava a Přívoz', 'Slezská Ostrava']
    >>> resolve_areas("hrabova", config=Config(), districts=["Hrabová"])
    [AreaRef(name='Hrabová', kind='district')]
    """
    areas = list(config.mdt_area_names)
    if fold(spec) == "all":
        return [AreaRef(a, "mdt_area") for a in areas]
    for a in areas:
        if fold(a) == fold(spec):
            return [AreaRef(a, "mdt_area")]
    names = sorted({str(d) for d in districts})
    for d in names:
        if fold(d) == fold(spec):
            return [AreaRef(d, "district")]
    text = Message(
        "pack.err.unknown_area",
        spec=repr(spec),
        areas=", ".join(areas),
        districts=", ".join(names),
    )
    raise ParameterError(text)
