"""Tests of apk_geo.notes: stored geocoding notes read back and given in Czech or English."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from apk_geo import _strings_geo
from apk_geo._strings_geo import note
from apk_geo.io.columns import display_table
from apk_geo.messages import Message, error_text
from apk_geo.notes import Note, note_text, parse
from apk_geo.routes._messages import address_not_found

NOTE_KEYS = sorted(_strings_geo.STRINGS)


def _sample_fields(key: str) -> dict[str, str]:
    """Return a value for every field of the note ``key``, of the kind the writer gives."""
    english = _strings_geo.STRINGS[key][1]
    fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
    values = {"n": "17", "count": "3", "score": "88", "min_score": "85", "a": "49.8", "b": "18.25"}
    values["names"] = note("geo.note.points_in", count=2, listed="Poruba, Přívoz")
    return {f: values.get(f, f"Ná'zev {f}") for f in fields}


@pytest.mark.parametrize("key", NOTE_KEYS)
def test_every_note_reads_back_to_its_key_and_fields(key: str) -> None:
    fields = _sample_fields(key)
    stored = note(key, **fields)
    assert parse(stored) == [(key, fields)]
    assert note_text(stored, "en") == stored  # English is the stored text itself


@pytest.mark.parametrize("key", NOTE_KEYS)
def test_every_note_has_a_czech_text_without_the_english_one(key: str) -> None:
    stored = note(key, **_sample_fields(key))
    czech = note_text(stored, "cs")
    assert czech != stored
    words = {"the", "not", "found", "street", "address", "fixed", "and", "swapped", "given"}
    assert not words & set(czech.replace(",", " ").replace("(", " ").split()), czech


def test_several_notes_joined_by_the_separator_keep_their_order() -> None:
    stored = (
        "street 'Bedriska' corrected to 'Bedřišská' (score 91); "
        "no house number; placed at the centre of 'Bedřišská' (of 2 address points)"
    )
    assert [key for key, _ in parse(stored)] == [
        "geo.note.street_corrected",
        "geo.note.no_number_centre",
    ]
    assert note_text(stored, "cs") == (
        "ulice „Bedriska“ opravena na „Bedřišská“ (shoda 91); "
        "chybí číslo domu; umístěno do středu ulice „Bedřišská“ (z 2 adresních míst)"
    )


def test_unknown_parts_are_kept_as_they_are() -> None:
    stored = "typed by hand; no address; another; "
    assert parse(stored) == [
        (None, {"text": "typed by hand"}),
        ("geo.note.no_address", {}),
        (None, {"text": "another"}),
        (None, {"text": ""}),
    ]
    assert note_text(stored, "cs") == "typed by hand; chybí adresa; another; "
    assert note_text("", "cs") == ""
    assert note_text(None, "cs") == ""


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "(z 1 adresního místa)"),
        (3, "(z 3 adresních míst)"),
        (1234, "(z 1\xa0234 adresních míst)"),
    ],
)
def test_czech_counts_take_the_plural_and_the_grouping(n: int, expected: str) -> None:
    stored = note("geo.note.no_number_centre", street="Hlavní třída", n=n)
    assert note_text(stored, "cs").endswith(expected)


def test_coordinates_get_a_decimal_comma_in_czech_only() -> None:
    stored = note("geo.note.latlon_swapped", lat_col="lat", lon_col="lon", a="18.29", b="49.83")
    assert stored == "lat/lon swapped (given lat=18.29, lon=49.83); fixed"
    assert note_text(stored, "cs") == "lat/lon prohozené (zadáno lat=18,29, lon=49,83); opraveno"


def test_the_nested_list_of_places_is_translated_too() -> None:
    stored = (
        "ambiguous: the address matches 2 address points in Poruba, Přívoz; "
        "add the part of town, e.g. '…, Poruba'"
    )
    assert note_text(stored, "cs") == (
        "nejednoznačné: adrese odpovídá 2 adresní místa (Poruba, Přívoz); "
        "doplňte část obce, např. „…, Poruba“"
    )


def test_a_repeated_field_must_repeat_its_value() -> None:
    # "{lat_col}/{lon_col} … (given {lat_col}=…" names the same column twice
    assert parse("lat/lon swapped (given y=18.29, lon=49.83); fixed")[0][0] is None


def test_a_note_as_a_message_field_follows_the_language() -> None:
    stored = "street 'Hlavni' not found in the gazetteer"
    assert isinstance(Note(stored), Message) and str(Note(stored)) == stored
    exc = ValueError(address_not_found("Hlavni 5", stored))
    assert (
        error_text(exc, "cs")
        == "adresa 'Hlavni 5' nebyla nalezena: ulice „Hlavni“ v registru adres není"
    )
    assert error_text(exc, "en") == f"address 'Hlavni 5' not found: {stored}"


def test_exported_tables_show_the_notes_in_the_language() -> None:
    frame = pd.DataFrame({"geocode_reason": ["no address and no coordinates", ""], "n": [1, 2]})
    assert display_table(frame, lang="cs")["Poznámka ke geokódování"].tolist() == [
        "chybí adresa i souřadnice",
        "",
    ]
    assert display_table(frame, lang="en")["Geocoding note"].tolist() == [
        "no address and no coordinates",
        "",
    ]
