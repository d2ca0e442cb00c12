"""The incident data model: canonical columns, header aliases, category and outcome codes.

Incident exports from the APK programme arrive with Czech headers (``Číslo záznamu``, ``Datum``,
``Čas``, ``Kategorie`` …) and Czech labels for categories and outcomes. This module maps both to
the canonical, language-neutral names that the rest of apk_geo uses. Matching of headers and
labels is case- and diacritics-insensitive (:func:`fold`).

The set of categories is extensible through :class:`apk_geo.config.Config.extra_categories`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

#: Time zone of every ``reported_at`` value.
TIMEZONE: Final = "Europe/Prague"

#: Analysis CRS (S-JTSK / Krovak East North, metres) and web-map CRS.
CRS_METRIC: Final = "EPSG:5514"
CRS_WEB: Final = "EPSG:4326"


@dataclass(frozen=True)
class Code:
    """A coded value with its Czech and English label and accepted input aliases."""

    code: str
    cs: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "cs") -> str:
        """Return the label in ``lang`` (``"cs"`` or ``"en"``)."""
        return self.cs if lang == "cs" else self.en


CATEGORIES: Final[tuple[Code, ...]] = (
    Code(
        "public_order",
        "porušení vyhlášky / veřejný pořádek",
        "public order / ordinance breach",
        ("porušení vyhlášky", "veřejný pořádek", "vyhláška", "verejny poradek"),
    ),
    Code(
        "littering",
        "znečišťování veřejného prostranství",
        "littering",
        ("znečišťování", "nepořádek", "odpad", "černá skládka"),
    ),
    Code(
        "alcohol",
        "požívání alkoholu v zakázaném místě",
        "drinking where banned",
        ("alkohol", "požívání alkoholu"),
    ),
    Code(
        "dogs",
        "volné pobíhání psů",
        "dogs off the lead",
        (
            "psi",
            "pes",
            "volné pobíhání psa",
            "volně pobíhající pes",
            "volně pobíhající psi",
            "pes bez vodítka",
        ),
    ),
    Code("truancy", "záškoláctví", "truancy", ("záškolák",)),
    Code(
        "syringes",
        "nalezené injekční stříkačky",
        "used syringes",
        ("stříkačky", "injekční stříkačka", "jehla", "jehly"),
    ),
    Code("noise", "rušení nočního klidu", "night-time noise", ("rušení klidu", "hluk")),
    Code("neighbour_dispute", "sousedský spor", "neighbour dispute", ("sousedské spory",)),
    Code("help_debt", "zadlužení", "help: debt", ("dluhy", "exekuce")),
    Code("help_unemployment", "nezaměstnanost", "help: unemployment", ("bez práce",)),
    Code("help_housing", "ztráta bydlení", "help: housing loss", ("bydlení", "bezdomovectví")),
    Code("other", "jiné", "other", ("ostatní",)),
)

OUTCOMES: Final[tuple[Code, ...]] = (
    Code(
        "resolved_on_spot",
        "vyřešeno na místě asistentem",
        "resolved on the spot",
        ("vyřešeno na místě", "vyřešeno", "domluva"),
    ),
    Code(
        "patrol_called",
        "přivolána hlídka MP",
        "patrol called",
        (
            "přivolána hlídka",
            "hlídka MP",
            "hlídka",
            "předáno MP",
            "předáno hlídce",
            "předáno hlídce MP",
            "přivolána MP",
        ),
    ),
    Code(
        "referred",
        "předáno sociálním službám / jiné organizaci",
        "referred",
        ("předáno sociálním službám", "předáno jiné organizaci", "předáno"),
    ),
    Code("no_action", "bez opatření", "no action", ("bez zásahu", "nic")),
)

#: Canonical incident columns as read from an export (before geocoding/enrichment).
INPUT_COLUMNS: Final = (
    "id",
    "reported_at",
    "category",
    "outcome",
    "assistant",
    "note",
    "address",
    "lat",
    "lon",
    "x",
    "y",
)

#: Header aliases (folded with :func:`fold`) for each canonical input column.
HEADER_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "id": ("id", "cislo zaznamu", "c. zaznamu", "cislo", "zaznam", "record id"),
    "reported_at": ("reported_at", "datum a cas", "datum cas", "datetime", "cas udalosti"),
    "date": ("datum", "date", "den"),
    "time": ("cas", "time", "hodina"),
    "category": ("category", "kategorie", "druh", "typ udalosti"),
    "outcome": ("outcome", "vysledek", "reseni", "opatreni"),
    "assistant": ("assistant", "asistent", "kod asistenta", "asistent kod"),
    "note": ("note", "poznamka", "popis", "poznamky"),
    "address": ("address", "adresa", "misto", "ulice a cislo"),
    "lat": ("lat", "latitude", "zemepisna sirka", "sirka"),
    "lon": ("lon", "lng", "longitude", "zemepisna delka", "delka"),
    "x": ("x", "x_5514", "souradnice x", "sjtsk x"),
    "y": ("y", "y_5514", "souradnice y", "sjtsk y"),
    "modified_at": (
        "modified_at",
        "datum zmeny",
        "datum a cas zmeny",
        "cas zmeny",
        "zmeneno",
        "posledni zmena",
        "modified",
        "last modified",
        "updated_at",
    ),
}

#: Canonical columns an export may have but need not, outside :data:`INPUT_COLUMNS`:
#: ``modified_at`` is when the source system last changed the record (e.g. "Datum změny"); when
#: an export has it, the store keeps the newer version of a record (see :mod:`apk_geo.store`).
OPTIONAL_INPUT_COLUMNS: Final = ("modified_at",)

#: Columns that the store's incidents layer always has, in this order (geometry: Point, EPSG:5514).
INCIDENT_COLUMNS: Final = (
    "source",
    "id",
    "reported_at",
    "category",
    "outcome",
    "assistant",
    "note",
    "address",
    "lat",
    "lon",
    "x_5514",
    "y_5514",
    "match",
    "score",
    "ruian_adm",
    "geocode_reason",
    "district_code",
    "district_name",
    "mdt_area",
    "svl_name",
    "hostel_name",
    "hostel_distance_m",
    "in_hostel_buffer",
    "record_hash",
    "imported_at",
)

#: Columns of the store's quarantine layer (no geometry).
QUARANTINE_COLUMNS: Final = (
    "source",
    "file",
    "line",
    "field",
    "value",
    "expected",
    "reason",
    "raw",
    "imported_at",
)

#: Columns that may identify or describe a person; never shown in presenter/public views.
SENSITIVE_COLUMNS: Final = (
    "note",
    "assistant",
    "address",
    "id",
    "lat",
    "lon",
    "x_5514",
    "y_5514",
    "ruian_adm",
    "geocode_reason",  # may quote the typed address
)

_SPACE = re.compile(r"\s+")


def fold(text: object) -> str:
    """Fold text for matching: lower case, no diacritics, single spaces, trimmed.

    Examples
    --------
    >>> fold("  Číslo   Záznamu ")
    'cislo zaznamu'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _SPACE.sub(" ", s.lower()).strip()


def build_lookup(codes: Iterable[Code]) -> dict[str, str]:
    """Map every folded code, label and alias to its code."""
    lookup: dict[str, str] = {}
    for c in codes:
        for key in (c.code, c.cs, c.en, *c.aliases):
            lookup.setdefault(fold(key), c.code)
    return lookup


def all_categories(extra: Iterable[Code] = ()) -> tuple[Code, ...]:
    """Return the built-in categories followed by configured extra ones."""
    return (*CATEGORIES, *tuple(extra))


def label_of(
    code: str, *, kind: str = "category", lang: str = "cs", extra: Iterable[Code] = ()
) -> str:
    """Return the label of a category or outcome code, or the code itself if unknown."""
    codes = all_categories(extra) if kind == "category" else OUTCOMES
    for c in codes:
        if c.code == code:
            return c.label(lang)
    return code


CATEGORY_CODES: Final = tuple(c.code for c in CATEGORIES)
OUTCOME_CODES: Final = tuple(c.code for c in OUTCOMES)
