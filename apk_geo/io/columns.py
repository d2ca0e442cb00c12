"""Display names and display values of the columns the product exports (Czech, English).

Every table the product writes for people (CSV and XLSX from the CLI and the dashboard) shows
Czech column headers and Czech values by default and English ones with ``lang="en"``:

* :data:`COLUMN_LABELS` maps an internal column name (``reported_at``, ``hotspot_class`` …) to
  its ``(cs, en)`` header; :func:`column_label` looks one up (an unknown name is kept as it is,
  e.g. the input columns a geocoded file carries through unchanged).
* :data:`VALUE_LABELS` maps the codes of a coded column (``match == "exact"``, ``direction``,
  rate zones …) to ``(cs, en)`` labels; categories and outcomes use
  :func:`apk_geo.schema.label_of`; booleans become ``ano``/``ne`` (``yes``/``no``).
* :func:`display_table` applies both to a frame: the step :func:`apk_geo.io.export.write_table`
  runs before writing.

Machine-readable layers (GeoPackage, GeoJSON) keep the internal names: QGIS styles and
scripts address the fields by them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import numpy as np
import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.notes import note_text
from apk_geo.schema import OUTCOMES, all_categories

__all__ = [
    "BOOLEAN_LABELS",
    "COLUMN_LABELS",
    "LANGS",
    "VALUE_LABELS",
    "Lang",
    "check_lang",
    "column_label",
    "display_table",
    "value_label",
]

Lang = Literal["cs", "en"]
#: Languages of the exported tables.
LANGS: Final = ("cs", "en")

#: Internal column name → (Czech, English) header of an exported table.
COLUMN_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    # incidents (schema.INCIDENT_COLUMNS)
    "source": ("Zdroj", "Source"),
    "id": ("Číslo záznamu", "Record number"),
    "reported_at": ("Datum a čas", "Reported at"),
    "reported_at_local": ("Datum a čas (místní)", "Reported at (local)"),
    "category": ("Kategorie", "Category"),
    "outcome": ("Výsledek", "Outcome"),
    "assistant": ("Asistent", "Assistant"),
    "note": ("Poznámka", "Note"),
    "address": ("Adresa", "Address"),
    "lat": ("Zeměpisná šířka", "Latitude"),
    "lon": ("Zeměpisná délka", "Longitude"),
    "x_5514": ("Souřadnice X (S-JTSK)", "X (S-JTSK)"),
    "y_5514": ("Souřadnice Y (S-JTSK)", "Y (S-JTSK)"),
    "match": ("Geokódování", "Geocoding match"),
    "score": ("Shoda adresy [%]", "Address similarity [%]"),
    "ruian_adm": ("Kód adresního místa (RÚIAN)", "Address point code (RÚIAN)"),
    "geocode_reason": ("Poznámka ke geokódování", "Geocoding note"),
    "district_code": ("Kód obvodu", "District code"),
    "district_name": ("Obvod", "District"),
    "mdt_area": ("Oblast MDT", "MDT area"),
    "svl_name": ("Sociálně vyloučená lokalita", "Socially excluded locality"),
    "hostel_name": ("Ubytovna", "Hostel"),
    "hostel_distance_m": ("Vzdálenost od ubytovny [m]", "Distance to hostel [m]"),
    "in_hostel_buffer": ("V okolí ubytovny", "Near a hostel"),
    "record_hash": ("Otisk záznamu", "Record hash"),
    "imported_at": ("Importováno", "Imported at"),
    "modified_at": ("Datum změny", "Modified at"),
    # quarantine (schema.QUARANTINE_COLUMNS)
    "file": ("Soubor", "File"),
    "line": ("Řádek", "Line"),
    "field": ("Pole", "Field"),
    "value": ("Hodnota", "Value"),
    "expected": ("Očekáváno", "Expected"),
    "reason": ("Důvod", "Reason"),
    "raw": ("Původní řádek", "Raw row"),
    # import counts
    "read": ("Načteno", "Read"),
    "accepted": ("Přijato", "Accepted"),
    "updated": ("Aktualizováno", "Updated"),
    "stale": ("Zastaralé", "Stale"),
    "duplicates": ("Duplicity", "Duplicates"),
    "quarantined": ("Do karantény", "Quarantined"),
    "not_geocoded": ("Bez polohy", "Not geocoded"),
    "reverted": ("Vráceno na starší verzi", "Reverted"),
    "import_id": ("Import", "Import"),
    # hotspot layers (methods.METHODS)
    "cell_id": ("Buňka", "Cell"),
    "n": ("Počet", "Count"),
    "gi_z": ("Gi* (z)", "Gi* (z)"),
    "p_value": ("p-hodnota", "p-value"),
    "p_adjusted": ("Upravená p-hodnota", "Adjusted p-value"),
    "hotspot_class": ("Třída Gi*", "Gi* class"),
    "n_neighbours": ("Počet sousedních buněk", "Neighbouring cells"),
    "density_km2": ("Hustota [na km²]", "Density [per km²]"),
    "expected_n": ("Očekávaný počet", "Expected count"),
    "risk": ("Riziko", "Risk"),
    "rank": ("Pořadí", "Rank"),
    "cluster_id": ("Shluk", "Cluster"),
    "date_from": ("Od", "From"),
    "date_to": ("Do", "To"),
    "date_from_local": ("Od (místní čas)", "From (local time)"),
    "date_to_local": ("Do (místní čas)", "To (local time)"),
    "top_categories": ("Nejčastější kategorie", "Top categories"),
    "outcome_mix": ("Výsledky", "Outcomes"),
    "label": ("Místo", "Place"),
    "n_a": ("Počet v 1. polovině", "Count, first half"),
    "n_b": ("Počet ve 2. polovině", "Count, second half"),
    "diff": ("Rozdíl", "Difference"),
    "significant": ("Významné", "Significant"),
    "direction": ("Směr změny", "Direction"),
    "emerging_class": ("Vývoj hotspotu", "Emerging class"),
    "trend_z": ("Trend (z)", "Trend (z)"),
    "trend_p": ("p-hodnota trendu", "Trend p-value"),
    "n_periods_hot": ("Období jako hotspot", "Periods hot"),
    "n_periods_cold": ("Období jako chladné místo", "Periods cold"),
    "n_total": ("Celkem", "Total"),
    "n_area": ("Počet se sousedy", "Count with neighbours"),
    "explain": ("Co to znamená", "What it means"),
    "period": ("Období", "Period"),
    "synthetic": ("Syntetická data", "Synthetic data"),
    "wkt": ("Geometrie (WKT)", "Geometry (WKT)"),
    "hour": ("Hodina", "Hour"),
    "weekday": ("Den v týdnu", "Weekday"),
    # rates
    "kind": ("Druh", "Kind"),
    "name": ("Název", "Name"),
    "incidents": ("Události", "Incidents"),
    "area_ha": ("Plocha [ha]", "Area [ha]"),
    "months": ("Měsíce", "Months"),
    "incidents_per_ha": ("Události na ha", "Incidents per ha"),
    "incidents_per_month": ("Události za měsíc", "Incidents per month"),
    "incidents_per_ha_month": ("Události na ha za měsíc", "Incidents per ha and month"),
    "rate_ratio": ("Poměr četností", "Rate ratio"),
    "rr_ci_low": ("Poměr četností, dolní mez 95% IS", "Rate ratio, 95 % CI low"),
    "rr_ci_high": ("Poměr četností, horní mez 95% IS", "Rate ratio, 95 % CI high"),
    # near repeats (Knox)
    "n_points": ("Počet událostí", "Incidents"),
    "n_pairs": ("Počet dvojic", "Pairs"),
    "n_close_space": ("Dvojice blízko v prostoru", "Pairs close in space"),
    "n_close_time": ("Dvojice blízko v čase", "Pairs close in time"),
    "observed": ("Pozorováno", "Observed"),
    "ratio": ("Poměr", "Ratio"),
    # trends (year on year)
    "n_year_before": ("Před rokem", "A year earlier"),
}

#: Column → code → (Czech, English) label of the coded columns (categories and outcomes: schema).
VALUE_LABELS: Final[Mapping[str, Mapping[str, tuple[str, str]]]] = {
    "match": {
        "exact": ("přesná shoda", "exact match"),
        "fuzzy": ("přibližná shoda", "fuzzy match"),
        "street": ("jen ulice", "street only"),
        "coordinates": ("ze souřadnic", "from coordinates"),
        "failed": ("nenalezeno", "not found"),
    },
    "direction": {
        "up": ("nárůst", "increase"),
        "down": ("pokles", "decrease"),
        "none": ("beze změny", "no change"),
    },
    "kind": {
        "zone": ("pásmo", "zone"),
        "svl": ("sociálně vyloučená lokalita", "socially excluded locality"),
        "hostel": ("ubytovna", "hostel"),
    },
    "name": {
        "inside_svl": ("uvnitř SVL", "inside SVL"),
        "hostel_buffer": ("v okolí ubytoven", "near hostels"),
        "elsewhere": ("jinde ve městě", "elsewhere in the city"),
    },
}

#: Columns of stored notes, shown in the reader's language (:func:`apk_geo.notes.note_text`).
NOTE_COLUMNS: Final = frozenset({"geocode_reason"})

#: ``True``/``False`` in an exported table.
BOOLEAN_LABELS: Final[Mapping[str, tuple[str, str]]] = {"cs": ("ano", "ne"), "en": ("yes", "no")}

#: Columns holding category or outcome codes, and which of the two.
_CODED: Final[Mapping[str, str]] = {"category": "category", "outcome": "outcome"}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``"cs"`` or ``"en"``; raise :class:`ParameterError` otherwise."""
    if lang == "cs":
        return "cs"
    if lang == "en":
        return "en"
    raise ParameterError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")


def column_label(name: str, lang: str = "cs") -> str:
    """Return the header of column ``name`` in ``lang``; an unknown name is returned unchanged.

    Examples
    --------
    >>> column_label("reported_at"), column_label("reported_at", "en"), column_label("Ulice")
    ('Datum a čas', 'Reported at', 'Ulice')
    """
    labels = COLUMN_LABELS.get(name)
    if labels is None:
        return name
    return labels[0] if check_lang(lang) == "cs" else labels[1]


def value_label(column: str, value: object, lang: str = "cs") -> object:
    """Return the display value of one cell of ``column`` (codes → labels, booleans → ano/ne).

    Examples
    --------
    >>> value_label("match", "exact"), value_label("significant", True, "en")
    ('přesná shoda', 'yes')
    >>> value_label("geocode_reason", "no address and no coordinates")
    'chybí adresa i souřadnice'
    """
    index = 0 if check_lang(lang) == "cs" else 1
    if isinstance(value, bool):
        return BOOLEAN_LABELS[lang][0 if value else 1]
    if not isinstance(value, str):
        return value
    if column in _CODED:
        return _code_label(_CODED[column], value, index)
    if column in NOTE_COLUMNS:
        return note_text(value, lang)
    labels = VALUE_LABELS.get(column, {}).get(value)
    return value if labels is None else labels[index]


def display_table(frame: pd.DataFrame, *, lang: str = "cs") -> pd.DataFrame:
    """Return ``frame`` as people read it: coded values labelled and headers translated.

    Categories and outcomes show their labels (:func:`apk_geo.schema.label_of`), the columns of
    :data:`VALUE_LABELS` theirs, the geocoding notes their text in ``lang``, booleans
    ``ano``/``ne`` (``yes``/``no``); an emerging-hotspot table shows the label of its language
    in ``emerging_class`` (the per-language label columns are dropped). Numbers, dates and
    unknown columns are left as they are. The input is not changed.

    Parameters
    ----------
    frame
        The table with internal column names.
    lang
        ``"cs"`` (default) or ``"en"``.

    Returns
    -------
    pandas.DataFrame
        A copy with display values and :func:`column_label` headers (``attrs`` kept).

    Raises
    ------
    ParameterError
        If ``lang`` is neither ``"cs"`` nor ``"en"``.
    """
    lang = check_lang(lang)
    out = _emerging_labels(frame, lang=lang)
    for i, name in enumerate(map(str, out.columns)):
        col = out.iloc[:, i]
        if not _labelled(name, col):
            continue
        values = [None if _missing(v) else value_label(name, v, lang) for v in col.tolist()]
        out.isetitem(i, np.array(values, dtype=object))
    out.columns = pd.Index([column_label(str(c), lang) for c in out.columns])
    return out


def _labelled(name: str, col: pd.Series) -> bool:
    """Return whether the column's values get display labels (booleans, coded text)."""
    if pd.api.types.is_bool_dtype(col.dtype):
        return True
    textual = pd.api.types.is_string_dtype(col.dtype) or col.dtype == object
    if not textual:
        return False
    if name in _CODED or name in VALUE_LABELS or name in NOTE_COLUMNS:
        return True
    return bool(col.map(lambda v: isinstance(v, bool)).any()) if col.dtype == object else False


def _emerging_labels(frame: pd.DataFrame, *, lang: Lang) -> pd.DataFrame:
    """Return a copy whose ``emerging_class`` holds the ``emerging_label_<lang>`` text."""
    out = frame.copy()
    own = f"emerging_label_{lang}"
    if "emerging_class" in out.columns and own in out.columns:
        out["emerging_class"] = out[own].astype("object")
    extra = [c for c in ("emerging_label_cs", "emerging_label_en") if c in out.columns]
    if "emerging_class" in out.columns and extra:
        out = out.drop(columns=extra)
    return out


def _code_label(kind: str, code: str, index: int) -> str:
    """Return the label of a category or outcome code (the code itself if unknown)."""
    codes = all_categories() if kind == "category" else OUTCOMES
    for c in codes:
        if c.code == code:
            return c.cs if index == 0 else c.en
    return code


def _missing(value: object) -> bool:
    """Return whether a cell is missing (None, NaN, NA, NaT)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value
