"""apk_geo.fmt: numbers, percentages, dates, months and plural forms against hand values."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from apk_geo import fmt

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "digits", "cs", "en"),
    [
        (11.64, 1, "11,6", "11.6"),
        (1234567.25, 2, f"1{NB}234{NB}567,25", "1,234,567.25"),
        (0.0394, 4, "0,0394", "0.0394"),
        (0.0394, None, "0,039", "0.039"),
        (3.0, None, "3", "3"),
        (-2.5, 1, "-2,5", "-2.5"),
        (1999.5, 0, f"2{NB}000", "2,000"),
    ],
    ids=["km", "thousands", "small", "up-to-three", "whole", "negative", "rounded"],
)
def test_number(value: float, digits: int | None, cs: str, en: str) -> None:
    assert fmt.number(value, "cs", digits=digits) == cs
    assert fmt.number(value, "en", digits=digits) == en


def test_integer_groups_thousands_with_a_non_breaking_space_in_czech() -> None:
    assert fmt.integer(12345, "cs") == f"12{NB}345"
    assert fmt.integer(12345, "en") == "12,345"
    assert fmt.integer(999, "cs") == "999"
    assert fmt.integer(np.int64(1000000), "cs") == f"1{NB}000{NB}000"
    assert fmt.integer(12345, "cs", grouping=False) == "12345"


def test_percent_has_a_space_in_czech_and_none_in_english() -> None:
    assert fmt.percent(0.967, "cs", digits=1) == f"96,7{NB}%"
    assert fmt.percent(0.967, "en", digits=1) == "96.7%"
    assert fmt.percent(0.25, "cs") == f"25{NB}%"
    assert fmt.percent(0.25, "en") == "25%"
    assert fmt.percent(12.5, "cs") == f"1{NB}250{NB}%"


def test_distance_and_quantity() -> None:
    assert fmt.distance(11.62, "cs") == f"11,6{NB}km"
    assert fmt.distance(11.62, "en") == f"11.6{NB}km"
    assert fmt.quantity(250, "m", "cs", digits=0) == f"250{NB}m"


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 12, 1),
        datetime(2026, 12, 1, 5, 4),
        pd.Timestamp("2026-12-01 23:59"),
        "2026-12-01",
    ],
    ids=["date", "datetime", "timestamp", "iso-text"],
)
def test_one_date_style(value: object) -> None:
    assert fmt.date(value, "cs") == "1. 12. 2026"
    assert fmt.date(value, "en") == "1 Dec 2026"


def test_date_time_and_month() -> None:
    assert fmt.date_time(pd.Timestamp("2026-03-29 05:04"), "cs") == "29. 3. 2026 05:04"
    assert fmt.date_time(datetime(2026, 3, 29, 17, 4), "en") == "29 Mar 2026 17:04"
    assert fmt.month("2026-11", "cs") == "listopad 2026"
    assert fmt.month(pd.Period("2026-11", "M"), "en") == "November 2026"
    assert fmt.month(date(2026, 1, 31), "cs") == "leden 2026"
    assert fmt.month(pd.Timestamp("2026-07-01"), "cs") == "červenec 2026"


def test_missing_values_are_a_dash() -> None:
    for value in (None, math.nan, pd.NaT, np.nan):
        assert fmt.number(value, "cs") == fmt.MISSING  # type: ignore[arg-type]
        assert fmt.date(value, "cs") == fmt.MISSING
    assert fmt.percent(math.nan, "en") == "–"
    assert fmt.boolean(None, "cs") == "–"


def test_boolean() -> None:
    assert [fmt.boolean(v, "cs") for v in (True, False, np.bool_(True))] == ["ano", "ne", "ano"]
    assert fmt.boolean(False, "en") == "no"


# Hand values: Czech 1 záznam, 2–4 záznamy, 0 and 5+ záznamů, a decimal takes the genitive singular.
CS_FORMS = ("kilometr", "kilometry", "kilometru", "kilometrů")


@pytest.mark.parametrize(
    ("n", "cs4", "cs3", "en"),
    [
        (0, "kilometrů", "záznamů", "records"),
        (1, "kilometr", "záznam", "record"),
        (2, "kilometry", "záznamy", "records"),
        (4, "kilometry", "záznamy", "records"),
        (5, "kilometrů", "záznamů", "records"),
        (11, "kilometrů", "záznamů", "records"),
        (21, "kilometrů", "záznamů", "records"),
        (22, "kilometrů", "záznamů", "records"),
        (1.5, "kilometru", "záznamů", "records"),
        (2.0, "kilometry", "záznamy", "records"),
        (Decimal("0.5"), "kilometru", "záznamů", "records"),
        (-1, "kilometr", "záznam", "record"),
    ],
)
def test_plural_forms(n: float, cs4: str, cs3: str, en: str) -> None:
    assert fmt.plural(n, CS_FORMS, "cs") == cs4
    assert fmt.plural(n, ("záznam", "záznamy", "záznamů"), "cs") == cs3
    assert fmt.plural(n, ("record", "records"), "en") == en


def test_plural_categories_are_cldr() -> None:
    assert [fmt.plural_category(n, "cs") for n in (1, 2, 3, 4, 5, 0, 1.5)] == [
        "one",
        "few",
        "few",
        "few",
        "other",
        "other",
        "many",
    ]
    assert [fmt.plural_category(n, "en") for n in (1, 0, 2)] == ["one", "other", "other"]


def test_plural_with_the_wrong_number_of_forms_names_the_rule() -> None:
    with pytest.raises(ValueError, match=r"one\|few\|many\|other.*got 2"):
        fmt.plural(2, ("a", "b"), "cs")
    with pytest.raises(ValueError, match=r"one\|other.*got 3"):
        fmt.plural(2, ("a", "b", "c"), "en")


def test_unknown_language_is_czech() -> None:
    assert fmt.number(1.5, "de", digits=1) == "1,5"
    assert fmt.number(1.5, "en-GB", digits=1) == "1.5"
