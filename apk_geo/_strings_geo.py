"""Strings of the geocoding notes: why a record was placed as it was, or not placed.

A record's ``geocode_reason`` is stored as English text (one store serves readers of both
languages, and the text is the same as before the notes had keys): one or more notes joined by
``"; "``, each the English text of a key under ``geo.note.``. :func:`note` writes one; the
geocoder (:mod:`apk_geo.geocode`) and the coordinate checks (:mod:`apk_geo.coords`) write every
note through it, so that :mod:`apk_geo.notes` can read a stored text back into its keys and
fields and give it in Czech or English.

Every field of a note is text, as written (numbers are formatted by the writer);
:data:`NUMBER_FIELDS` are numbers the reader formats in the language, :data:`DECIMAL_FIELDS`
numbers it only gives the language's decimal sign, and :data:`NOTE_FIELDS` hold a note of their
own. :mod:`apk_geo.i18n` merges :data:`STRINGS` with the other ``_strings_*`` modules.
"""

from __future__ import annotations

from typing import Final

#: Fields holding a whole number (``"12"``), formatted in the language (``1 234``).
NUMBER_FIELDS: Final = frozenset({"n", "count", "score", "min_score"})
#: Fields holding a coordinate as written (``"49.83"``); in Czech with a decimal comma.
DECIMAL_FIELDS: Final = frozenset({"a", "b"})
#: Fields holding a note of their own.
NOTE_FIELDS: Final = frozenset({"names"})

_OPTIONS = "(z {n} {n:plural:adresního místa|adresních míst|adresních míst})"

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # --- coordinates given in the file (apk_geo.coords)
    "geo.note.latlon_swapped": (
        "{lat_col}/{lon_col} prohozené (zadáno {lat_col}={a}, {lon_col}={b}); opraveno",
        "{lat_col}/{lon_col} swapped (given {lat_col}={a}, {lon_col}={b}); fixed",
    ),
    "geo.note.latlon_signs": (
        "{lat_col}/{lon_col} s obrácenými znaménky (zadáno {lat_col}={a}, {lon_col}={b}); opraveno",
        "{lat_col}/{lon_col} signs flipped (given {lat_col}={a}, {lon_col}={b}); fixed",
    ),
    "geo.note.latlon_swapped_signs": (
        "{lat_col}/{lon_col} prohozené a s obrácenými znaménky (zadáno {lat_col}={a}, "
        "{lon_col}={b}); opraveno",
        "{lat_col}/{lon_col} swapped with flipped signs (given {lat_col}={a}, {lon_col}={b}); "
        "fixed",
    ),
    "geo.note.outside": (
        "{col1}/{col2} ({a}; {b}) leží v každém pořadí os a znaménku mimo území města, proto "
        "byly odmítnuty",
        "{col1}/{col2} ({a}, {b}), in every axis order and sign, lie outside the city extent "
        "and were rejected",
    ),
    "geo.note.xy_signs": (
        "{x_col}/{y_col} s obrácenými znaménky (kladné hodnoty S-JTSK); opraveno",
        "{x_col}/{y_col} signs flipped (positive S-JTSK values); fixed",
    ),
    "geo.note.xy_swapped": (
        "{x_col} a {y_col} prohozené; opraveno",
        "{x_col} and {y_col} swapped; fixed",
    ),
    "geo.note.xy_czech": (
        "{x_col}/{y_col} v české konvenci S-JTSK (kladné, X roste k jihu, Y k západu); "
        "převedeno: východní souřadnice = −{y_col}, severní = −{x_col}",
        "{x_col}/{y_col} in the Czech S-JTSK convention (positive, X = southing, Y = westing); "
        "converted: easting = −{y_col}, northing = −{x_col}",
    ),
    "geo.note.xy_mixed": (
        "{x_col}/{y_col} měly smíšená znaménka; opraveno",
        "{x_col}/{y_col} had mixed signs; fixed",
    ),
    "geo.note.xy_swapped_mixed": (
        "{x_col}/{y_col} prohozené a se smíšenými znaménky; opraveno",
        "{x_col}/{y_col} swapped with mixed signs; fixed",
    ),
    # --- the address (apk_geo.geocode)
    "geo.note.no_address": ("chybí adresa", "no address"),
    "geo.note.no_location": ("chybí adresa i souřadnice", "no address and no coordinates"),
    "geo.note.address_used": ("použita adresa", "address used instead"),
    "geo.note.no_gazetteer": (
        "chybí registr adres, v němž by se adresa dala vyhledat",
        "no gazetteer to look the address up",
    ),
    "geo.note.street_tie": (
        "ulice „{street}“ se podobá několika ulicím stejně; zkontrolujte pravopis",
        "street '{street}' is equally close to several streets; check the spelling",
    ),
    "geo.note.street_corrected": (
        "ulice „{street}“ opravena na „{best}“ (shoda {score})",
        "street '{street}' corrected to '{best}' (score {score})",
    ),
    "geo.note.street_municipalities": (
        "ulice „{street}“ je v několika obcích; doplňte obec",
        "street '{street}' exists in several municipalities; add the municipality",
    ),
    "geo.note.number_not_on_street_centre": (
        f"číslo na ulici „{{street}}“ v RÚIAN není; umístěno do středu ulice {_OPTIONS}",
        "the number is not on '{street}' in RÚIAN; placed at the street centre "
        "(of {n} address points)",
    ),
    "geo.note.no_number_centre": (
        f"chybí číslo domu; umístěno do středu ulice „{{street}}“ {_OPTIONS}",
        "no house number; placed at the centre of '{street}' (of {n} address points)",
    ),
    "geo.note.number_not_on_street": (
        "číslo na ulici „{street}“ v RÚIAN není (on_missing_number='failed')",
        "the number is not on '{street}' in RÚIAN (on_missing_number='failed')",
    ),
    "geo.note.street_not_found": (
        "ulice „{street}“ v registru adres není",
        "street '{street}' not found in the gazetteer",
    ),
    "geo.note.street_not_found_closest": (
        "ulice „{street}“ v registru adres není (nejpodobnější: „{best}“, shoda {score} < "
        "min_score {min_score})",
        "street '{street}' not found in the gazetteer (closest: '{best}', score {score} < "
        "min_score {min_score})",
    ),
    "geo.note.lone_number": (
        "samotné číslo bez názvu ulice; napište ulici, nebo „č.p. N“ s částí obce",
        "a lone number without a street name; write the street, or 'č.p. N' with the part of town",
    ),
    "geo.note.house_no_not_found": (
        "toto číslo popisné/evidenční nebylo nalezeno (v zadaném místě)",
        "this číslo popisné/evidenční was not found (in the given place)",
    ),
    "geo.note.not_found": ("v registru adres nenalezeno", "not found in the gazetteer"),
    "geo.note.place_read_as": (
        "místo „{place}“ čteno jako „{best}“",
        "place '{place}' read as '{best}'",
    ),
    "geo.note.place_ignored": (
        "místo „{place}“ nerozpoznáno; vynecháno",
        "place '{place}' not recognised; ignored",
    ),
    "geo.note.lone_as_house_no": (
        "samotné číslo čteno jako číslo popisné (ulice takové číslo orientační nemá)",
        "lone number read as číslo popisné (the street has no such číslo orientační)",
    ),
    "geo.note.partial_by_orient": (
        "číslo popisné {house_no} neodpovídá číslu orientačnímu {orient_no}; umístěno podle "
        "čísla orientačního",
        "číslo popisné {house_no} does not match číslo orientační {orient_no}; located by the "
        "číslo orientační",
    ),
    "geo.note.partial_by_house": (
        "číslo orientační {orient_no} u čísla popisného {house_no} není; umístěno podle čísla "
        "popisného",
        "číslo orientační {orient_no} not found with číslo popisné {house_no}; located by the "
        "číslo popisné",
    ),
    "geo.note.letter_ignored": (
        "písmeno čísla orientačního „{letter}“ nenalezeno; umístěno bez něj",
        "orientation letter '{letter}' not found; located without it",
    ),
    "geo.note.place_mismatch": (
        "zadané místo „{place}“ neodpovídá RÚIAN („{part}“)",
        "the given place '{place}' does not match RÚIAN ('{part}')",
    ),
    "geo.note.points_in": (
        "{count} {count:plural:adresní místo|adresní místa|adresních míst} ({listed})",
        "{count} address points in {listed}",
    ),
    "geo.note.ambiguous_in_place": (
        "v zadaném místě „{place}“ nenalezeno; číslu odpovídá {names}",
        "not found in the given place '{place}'; the number matches {names}",
    ),
    "geo.note.ambiguous": (
        "nejednoznačné: adrese odpovídá {names}; doplňte část obce, např. „…, {example}“",
        "ambiguous: the address matches {names}; add the part of town, e.g. '…, {example}'",
    ),
}


def note(key: str, /, **fields: object) -> str:
    """Return the stored (English) text of the note ``key`` with ``fields`` as written.

    Examples
    --------
    >>> note("geo.note.street_not_found", street="Hlavni")
    "street 'Hlavni' not found in the gazetteer"
    """
    return STRINGS[key][1].format(**{k: str(v) for k, v in fields.items()})
