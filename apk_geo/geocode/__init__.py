"""Geocoding of Czech addresses against the RÚIAN address-point register.

The gazetteer is the address-point CSV that ČÚZK publishes for each municipality
(``YYYYMMDD_OB_<kód obce>_ADR.csv``: cp1250, ``;`` separated, positive S-JTSK coordinates with
EPSG:5514 easting = −Y and northing = −X). :func:`load_ruian_csv` reads it as is,
:func:`build_index` prepares the lookup tables once, and :func:`geocode` places a table of
addresses (or passes through coordinates already in it).

Addresses are parsed the way people type them (:func:`parse_address`): ``Hlavní třída 12/5``
(číslo popisné / číslo orientační), ``Hlavní tř. 12``, ``č.p. 1234``, ``Bedřišská 5,
Ostrava-Mariánské Hory``, ``12a`` (orientation letter), without or with wrong diacritics and with
the abbreviations ``tř.``, ``nám.``, ``ul.``. A lone number after the street is the číslo
orientační when the street has one of that number, otherwise the číslo popisné. In villages
without streets the part of the municipality stands in for the street (``Trojanovice 2``).

Matching runs in stages over the distinct address strings: **exact** keys, **fuzzy** street
names (and partial numbers), the **street** centre, and **failed** with a reason. Coordinates
present in the input pass through as ``coordinates`` (swapped axes and wrong signs fixed against
the city extent by :func:`apk_geo.coords.resolve_coordinates`, re-exported here).

The jobs live in private modules, re-exported here flat:

* :mod:`apk_geo.geocode.address` — :func:`parse_address` and the folding/key helpers;
* :mod:`apk_geo.geocode.gazetteer` — :func:`load_ruian_csv`, :class:`GazetteerIndex`,
  :func:`build_index`;
* :mod:`apk_geo.geocode.lookup` — the house-number lookups (joins to the address points);
* :mod:`apk_geo.geocode.matching` — the matching cascade and :func:`geocode`.

References
----------
ČÚZK, *Adresní místa ve formátu CSV* (RÚIAN), https://nahlizenidokn.cuzk.cz/StahniAdresniMistaRUIAN.aspx
"""

from __future__ import annotations

from apk_geo.coords import (
    CITY_BOUNDARY_FILE,
    CITY_EXTENT_MARGIN_M,
    default_city_extent_5514,
    resolve_coordinates,
)
from apk_geo.geocode.address import ParsedAddress, ParsedKind, parse_address
from apk_geo.geocode.gazetteer import (
    GAZETTEER_COLUMNS,
    SO_TYPES,
    GazetteerIndex,
    build_index,
    load_ruian_csv,
)
from apk_geo.geocode.matching import (
    MATCH_KINDS,
    OUTPUT_COLUMNS,
    PARTIAL_NUMBER_SCORE,
    PLACE_MIN_SCORE,
    geocode,
)

__all__ = [
    "CITY_BOUNDARY_FILE",
    "CITY_EXTENT_MARGIN_M",
    "GAZETTEER_COLUMNS",
    "MATCH_KINDS",
    "OUTPUT_COLUMNS",
    "PARTIAL_NUMBER_SCORE",
    "PLACE_MIN_SCORE",
    "SO_TYPES",
    "GazetteerIndex",
    "ParsedAddress",
    "ParsedKind",
    "build_index",
    "default_city_extent_5514",
    "geocode",
    "load_ruian_csv",
    "parse_address",
    "resolve_coordinates",
]
