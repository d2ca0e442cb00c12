"""The dashboard's data grids in the UI language: every page's table goes through this module.

Streamlit's grid (glide-data-grid) formats numbers and dates with the *browser's* locale, so a
Czech page on an English browser shows ``1234.5`` and ``2026-12-01 05:04:00``. Here a table is
passed to ``st.dataframe`` as a pandas ``Styler`` whose *display values* are the product's own
formatting (:mod:`apk_geo.fmt`, Babel): Czech ``1 234,5`` (decimal comma, non-breaking space
between thousands), English ``1,234.5``; dates and times in the product's one date style
(``1. 12. 2026 05:04`` / ``1 Dec 2026 05:04``); truth values ``ano``/``ne`` (``yes``/``no``); a
missing value is an empty cell. The grid still holds the real values, so a click on a column
header sorts numbers and dates by value, not by their text.

What Streamlit 1.67 takes from a ``Styler``: the display value of a text cell, of a number cell
without a ``column_config`` format, and of a date or time cell without one (a page's
``column_config`` format wins over the display value, as Streamlit documents). A truth-value
cell is a checkbox that ignores display values, so truth values are shown as text. A table
without rows is a short caption instead of an empty grid (whose canvas says "empty").

``column_config``'s ``NumberColumn`` cannot do this: its printf formats have no decimal comma and
its ``"localized"`` format follows the browser's locale, not the app's language.

Examples
--------
>>> cell_text(1234.5, "cs")
'1\\xa0234,5'
>>> cell_text(1234.5, "en")
'1,234.5'
>>> cell_text(True, "cs")
'ano'
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from apk_geo import fmt
from apk_geo.i18n import t
from apk_geo.times import LOCAL_TZ

logger = logging.getLogger("apk_geo.dashboard")

__all__ = [
    "Kind",
    "cell_text",
    "column_digits",
    "column_kind",
    "grid_data",
    "selected_rows",
    "show_table",
]

#: What a column holds, as the grid shows it.
Kind = Literal["integer", "plain", "number", "boolean", "date", "datetime", "month", "text"]
#: Text of a missing value in the grid (an empty cell).
EMPTY_CELL: Final = ""
#: The most cells a table is shown in the UI language with (about 3 s of formatting on this
#: machine: 17 µs a cell, mostly Babel and pandas' Styler); a larger table is shown as Streamlit
#: formats it (the browser's locale), and the log says so. Pandas' own limit
#: (``styler.render.max_elements``, 262,144) is raised to the table's size for the call.
MAX_STYLED_CELLS: Final = 200_000
#: The most distinct values a column's formatter remembers the text of.
_MEMO: Final = 100_000


def cell_text(
    value: object, lang: str, *, kind: Kind | None = None, digits: int | None = None
) -> str:
    """Return one cell's text as the grid shows it in ``lang``.

    Parameters
    ----------
    value
        The cell's value: a number, a truth value, a date, a date-time, a monthly period or text.
    lang
        ``"cs"`` or ``"en"``.
    kind
        How to show it (:func:`column_kind` of its column); ``None`` infers it from ``value``.
        ``"plain"``: a whole number without grouping (a line number, a year, an identifier).
    digits
        Decimals of a ``"number"`` (a column's :func:`column_digits`); ``None``: up to three.

    Returns
    -------
    str
        Czech ``1 234,5`` (U+00A0 between thousands) / English ``1,234.5`` with ``digits``
        decimals, else fmt.py's (up to three, no trailing zeros), whole numbers without
        decimals, dates
        ``1. 12. 2026`` / ``1 Dec 2026``, date-times with ``05:04``, ``ano``/``ne``; ``""``
        for a missing value (``None``, NaN, NaT).
    """
    if _missing(value):
        return EMPTY_CELL
    shown = kind or _kind_of_value(value)
    if shown in ("date", "datetime") and isinstance(value, pd.Timestamp | datetime):
        value = _local(value)
    if shown == "number" and digits is not None:
        return fmt.number(value, lang, digits=digits)  # type: ignore[arg-type]
    return _FORMATS[shown](value, lang)


def column_digits(column: pd.Series) -> int:
    """Return the decimals a number column is shown with: the most any value needs (0 to 3).

    One column, one number of decimals, so that the values line up and read alike
    (``20,323`` above ``17,710``, not ``17,71``); a value needs the decimals it has when rounded
    to three.
    """
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    rounded = np.round(values[np.isfinite(values)], 3)
    for digits in range(3):
        if np.allclose(np.round(rounded, digits), rounded, rtol=0.0, atol=1e-9):
            return digits
    return 3


def column_kind(column: pd.Series) -> Kind:
    """Return how the grid shows ``column`` (its dtype, or the values of an object column).

    A date-time column whose every value is at midnight (local time) holds days: ``date``.
    """
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if isinstance(dtype, pd.PeriodDtype):
        return "month" if dtype.freq.freqstr.startswith("M") else "text"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date" if _all_midnight(column) else "datetime"
    if pd.api.types.is_object_dtype(dtype):
        return _kind_of_objects(column)
    return "text"


def grid_data(frame: pd.DataFrame, *, lang: str, plain: Collection[str] = ()) -> Styler:
    """Return ``frame`` as a ``Styler`` whose display values are the grid's text in ``lang``.

    The underlying data keep their values (the grid sorts by them), except truth values, which
    become the text ``ano``/``ne`` (a checkbox cell has no display value). The index is reset
    (a page hides it; a selection is by row position). The input is not changed. Each number
    column has one number of decimals (:func:`column_digits`). Whole-number
    columns named in ``plain`` are shown without grouping (``1234``: line numbers, years).
    """
    data = pd.DataFrame(frame).reset_index(drop=True)
    kinds = {i: column_kind(data.iloc[:, i]) for i in range(data.shape[1])}
    for i, kind in kinds.items():
        if kind == "integer" and data.columns[i] in plain:
            kinds[i] = "plain"
    for i, kind in kinds.items():
        if kind == "boolean":
            texts = [cell_text(v, lang, kind="boolean") for v in data.iloc[:, i]]
            data.isetitem(i, texts)
            kinds[i] = "text"
    styler = data.style
    for i, kind in kinds.items():
        if kind != "text":
            subset = pd.IndexSlice[:, data.columns[i : i + 1]]
            digits = column_digits(data.iloc[:, i]) if kind == "number" else None
            shown = _formatter(kind, lang, digits=digits)
            styler = styler.format(shown, subset=subset, na_rep=EMPTY_CELL)
    return styler.format(na_rep=EMPTY_CELL, subset=_text_columns(data, kinds))


def show_table(
    frame: pd.DataFrame,
    *,
    lang: str,
    empty: str | None = None,
    plain: Collection[str] = (),
    hide_index: bool = True,
    **st_kwargs: Any,
) -> None:
    """Draw ``frame`` as a data grid in ``lang``; a short caption when it has no rows.

    Parameters
    ----------
    frame
        The table, its columns already named for a person.
    lang
        ``"cs"`` or ``"en"``.
    empty
        The caption of a table without rows; ``None``: "Žádné řádky k zobrazení."
    plain
        Whole-number columns shown without grouping (line numbers, years, identifiers).
    hide_index
        Hide the index (every page does).
    **st_kwargs
        Passed to ``st.dataframe`` (``width``, ``column_config``, ``key``, ...).
    """
    if len(frame) == 0:
        st.caption(empty or t("grid.empty", lang))
        return
    _dataframe(frame, lang=lang, plain=plain, hide_index=hide_index, **st_kwargs)


def selected_rows(
    frame: pd.DataFrame,
    *,
    lang: str,
    key: str,
    selection_mode: Literal["single-row", "multi-row"] = "single-row",
    empty: str | None = None,
    plain: Collection[str] = (),
    hide_index: bool = True,
    **st_kwargs: Any,
) -> list[int]:
    """Draw ``frame`` as a grid in ``lang`` whose rows can be selected; return their positions.

    Parameters
    ----------
    frame, lang, empty, plain, hide_index, **st_kwargs
        As :func:`show_table`.
    key
        The grid's widget key (the selection survives reruns under it).
    selection_mode
        One row or several.

    Returns
    -------
    list of int
        The positions (``iloc``) of the selected rows; empty for a table without rows.
    """
    if len(frame) == 0:
        st.caption(empty or t("grid.empty", lang))
        return []
    state = _dataframe(
        frame, lang=lang, plain=plain, hide_index=hide_index, key=key, on_select="rerun",
        selection_mode=selection_mode, **st_kwargs,
    )  # fmt: skip
    return list(state.selection.rows) if state is not None else []


# --------------------------------------------------------------------------------------------


def _dataframe(frame: pd.DataFrame, *, lang: str, plain: Collection[str], **st_kwargs: Any) -> Any:
    if frame.size > MAX_STYLED_CELLS:
        logger.info(
            "a table of %d cells (more than %d) is shown in the browser's number format",
            frame.size,
            MAX_STYLED_CELLS,
        )
        return st.dataframe(frame, placeholder=EMPTY_CELL, **st_kwargs)
    styled = grid_data(frame, lang=lang, plain=plain)
    limit = max(int(pd.get_option("styler.render.max_elements")), frame.size)
    with pd.option_context("styler.render.max_elements", limit):
        return st.dataframe(styled, placeholder=EMPTY_CELL, **st_kwargs)


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _local(value: pd.Timestamp | datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_convert(LOCAL_TZ) if stamp.tzinfo is not None else stamp


def _all_midnight(column: pd.Series) -> bool:
    times = column.dropna()
    if times.empty:
        return False
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert(LOCAL_TZ)
    return bool((times == times.dt.normalize()).all())


def _kind_of_value(value: object) -> Kind:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, pd.Period):
        return "month" if value.freqstr.startswith("M") else "text"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if hasattr(value, "dtype"):  # a NumPy scalar
        return _kind_of_value(getattr(value, "item")())  # noqa: B009
    return "text"


def _kind_of_objects(column: pd.Series) -> Kind:
    """Return the one kind of an object column's values; ``text`` when they are mixed."""
    kinds: set[Kind] = {_kind_of_value(v) for v in column.dropna().head(1000)}
    for mixed, kind in _MIXED:
        if kinds == mixed:
            return kind
    if len(kinds) == 1:
        return next(iter(kinds))
    return "text"


def _text_columns(data: pd.DataFrame, kinds: Mapping[int, Kind]) -> Any:
    return pd.IndexSlice[:, data.columns[[i for i, k in kinds.items() if k == "text"]]]


def _formatter(kind: Kind, lang: str, *, digits: int | None) -> Callable[[object], str]:
    """Return the cell formatter of a column, remembering the text of each value it met."""
    seen: dict[object, str] = {}

    def shown(value: object) -> str:
        try:
            return seen[value]
        except (KeyError, TypeError):  # TypeError: an unhashable value
            text = cell_text(value, lang, kind=kind, digits=digits)
        if len(seen) < _MEMO:
            with contextlib.suppress(TypeError):
                seen[value] = text
        return text

    return shown


def _number(value: Any, lang: str) -> str:
    return fmt.number(value, lang)


def _integer(value: Any, lang: str) -> str:
    return fmt.integer(value, lang)


def _plain(value: Any, lang: str) -> str:
    return fmt.integer(value, lang, grouping=False)


def _text(value: Any, lang: str) -> str:
    return str(value)


#: The mixtures of kinds an object column may hold (any other mixture is text).
_MIXED: Final[tuple[tuple[set[Kind], Kind], ...]] = (
    ({"integer", "number"}, "number"),
    ({"date", "datetime"}, "datetime"),
)

_FORMATS: Final[dict[str, Callable[[Any, str], str]]] = {
    "integer": _integer,
    "plain": _plain,
    "number": _number,
    "boolean": fmt.boolean,
    "date": fmt.date,
    "datetime": fmt.date_time,
    "month": fmt.month,
    "text": _text,
}
