"""MDT meeting packs: one area (an MDT area or a city district) and one month, safe to show.

Every month the multidisciplinary teams (MDT) of seven city areas meet; the assistants bring maps.
:func:`build_pack` turns a store's incidents into a :class:`Pack` — the data of one meeting — and
:func:`render_html`, :func:`render_pdf` and :func:`render_png` turn a pack into a self-contained
HTML page (every script, style and image inlined, the map interactive), an A4 PDF (the map as a
static image, rendered in headless Chromium) and a PNG of the map alone for slides.

What a pack holds
-----------------
* Key figures: incidents of the month against the previous month and the same month a year
  earlier; categories and outcomes.
* A hotspot map: Getis-Ord Gi* classes (Getis & Ord 1992) of the month's counts on a square grid
  over the area, and a table of the top hot cells with readable labels (district and the SVL,
  hostel or public-transport stop nearby), counts, change against the previous month and the
  emerging hot-spot class over the last :data:`EMERGING_MONTHS` months (see
  :mod:`apk_geo.emerging`).
* Per SVL and hostel buffer in the area: incidents, incidents per 10 ha and month, the rate ratio
  against the rest of the area (:func:`apk_geo.rates.context_rates`) and the change.
* What changed: new and intensifying hot spots (emerging classes), categories that rose or fell
  notably — the exact conditional test of two Poisson counts
  (:func:`apk_geo.change.poisson_rate_test`, Przyborowski & Wilenski 1940) of this month against
  the previous one, two-sided, ``p <`` :data:`NOTABLE_ALPHA`, periods weighted by their days.
* Data notes: period, geocoding coverage of the month, quarantined records, the synthetic-data
  label for demo stores.

Privacy tiers
-------------
``"presenter"`` (default) is for a room of people from other organisations: aggregates only.
Notes, assistant codes, addresses and record ids never enter a pack (:data:`PACK_COLUMNS` is
the whole of what is read from an incident), incidents are never drawn as points (grid cells
instead), counts below ``config.min_public_count`` (3) are shown as ``"<3"``, and a change,
percentage or rate computed from a suppressed count is not shown (it would give the count away).
A ``"<3"`` that the key figures would undo by subtraction is pooled (:mod:`apk_geo.privacy`):
the categories, outcomes and SVL/hostel tables add up to the key figures (the places through
their rate ratio against the rest of the area), so their rows with a suppressed count go into one
row "ostatní (malé počty)" spanning at least two rows; the top hot cells are only some of the
area's cells, so they are pooled only when the difference would still pin a small count. The
data notes say so.
``"internal"`` shows exact counts and the incident points on the map, and says "INTERNÍ" /
"INTERNAL" on every page (a stamp in the HTML, the footer of every PDF page).

References
----------
Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance
statistics. Geographical Analysis 24(3), 189–206.
Przyborowski, J. & Wilenski, H. (1940). Homogeneity of results in testing samples from Poisson
series. Biometrika 31(3/4), 313–323.

Examples
--------
>>> from apk_geo.store import open_store  # doctest: +SKIP
>>> data = ReportData.from_store(open_store("var/demo.gpkg"))  # doctest: +SKIP
>>> pack = build_pack(data, area="Poruba", month="2026-10")  # doctest: +SKIP
>>> with Renderer() as r:  # doctest: +SKIP
...     written = write_pack(pack, "out", formats=("html", "pdf", "png"), renderer=r)
"""

from __future__ import annotations

import base64
import html
import json
import logging
import math
import re
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Final, Literal, get_args

import folium
import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from apk_geo import assets, maps
from apk_geo.browser import Renderer
from apk_geo.change import poisson_rate_test
from apk_geo.config import Config
from apk_geo.emerging import CATEGORIES as EMERGING_CATEGORIES
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError
from apk_geo.i18n import Lang, normalize_lang, t
from apk_geo.labels import place_labels
from apk_geo.privacy import (
    POOLED_LABEL,
    TIERS,
    Tier,
    format_count,
    pool_rows,
    residual_pins,
    rows_to_pool,
)
from apk_geo.schema import CRS_METRIC, OUTCOMES, TIMEZONE, fold, label_of

__all__ = [
    "EMERGING_MONTHS",
    "FORMATS",
    "NOTABLE_ALPHA",
    "PACK_COLUMNS",
    "AreaRef",
    "DataNotes",
    "KeyFigures",
    "Pack",
    "Renderer",
    "ReportData",
    "build_pack",
    "changed_items",
    "external_urls",
    "map_html",
    "month_label",
    "pack_filename",
    "parse_month",
    "render_html",
    "render_pdf",
    "render_png",
    "resolve_areas",
    "tables",
    "text",
    "write_pack",
]

logger = logging.getLogger(__name__)

Format = Literal["html", "pdf", "png"]
FORMATS: Final[tuple[str, ...]] = get_args(Format)
AreaKind = Literal["mdt_area", "district"]

#: The only incident columns a pack reads (no note, assistant, address, id or coordinates).
PACK_COLUMNS: Final = ("reported_at", "category", "outcome", "district_name", "mdt_area", "match")
#: Months of the emerging hot-spot analysis, ending with the pack's month.
EMERGING_MONTHS: Final = 12
#: Significance level of a notable rise or fall of a category.
NOTABLE_ALPHA: Final = 0.05
#: Default grid cell of the hotspot map, in metres.
DEFAULT_CELL_SIZE_M: Final = 250.0
#: Nearest stop within this distance names a hot cell.
STOP_LABEL_RADIUS_M: Final = 400.0
#: Emerging classes listed as "new" and as "intensifying" hot spots.
NEW_CLASSES: Final = ("new_hot", "consecutive_hot")
INTENSIFYING_CLASSES: Final = ("intensifying_hot",)
#: Size of the slide PNG of the map (CSS pixels).
PNG_SIZE_PX: Final = (1600, 900)
#: Size of the map image placed in the PDF (CSS pixels, rendered at 2× for print).
PDF_MAP_SIZE_PX: Final = (1100, 760)
#: Strings in inlined Leaflet that look like URLs but are never requested: the SVG namespace,
#: Leaflet's home page (in its licence comment and its attribution prefix, which the pack
#: replaces by plain text) and a browser bug cited in a code comment.
NON_LOADING_URLS: Final = frozenset(
    {
        "http://www.w3.org/2000/svg",
        "https://leafletjs.com",
        "http://leafletjs.com",
        "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
    }
)

_MONTHS_CS: Final = (
    "leden", "únor", "březen", "duben", "květen", "červen",
    "červenec", "srpen", "září", "říjen", "listopad", "prosinec",
)  # fmt: skip
_EMERGING_LABELS: Final = {c.code: c for c in EMERGING_CATEGORIES}

#: Report strings: key → (Czech, English).
_S: Final[Mapping[str, tuple[str, str]]] = {
    "title": ("MDT porada – {area}", "MDT meeting – {area}"),
    "subtitle": ("Podklady za {month}", "Meeting pack for {month}"),
    "kind.mdt_area": ("oblast MDT", "MDT area"),
    "kind.district": ("městský obvod", "city district"),
    "tier.presenter": (
        "Pro prezentaci: jen souhrnné údaje o místech; počty pod {k} jsou uvedeny jako „<{k}“.",
        "For presentation: aggregate figures about places only; counts below {k} are shown as "
        "“<{k}”.",
    ),
    "tier.internal": (
        "INTERNÍ – obsahuje přesné počty a polohy událostí; neukazovat mimo tým APK",
        "INTERNAL – holds exact counts and incident locations; do not show outside the APK team",
    ),
    "synthetic": (
        "SYNTETICKÁ DEMO DATA – nejde o skutečné záznamy",
        "SYNTHETIC DEMO DATA – not real records",
    ),
    "key": ("Klíčové údaje", "Key figures"),
    "this_month": ("Tento měsíc", "This month"),
    "prev_month": ("Předchozí měsíc", "Previous month"),
    "year_before": ("Stejný měsíc před rokem", "Same month a year earlier"),
    "vs": ("změna", "change"),
    "no_data": ("bez dat", "no data"),
    "categories": ("Kategorie", "Categories"),
    "outcomes": ("Výsledek", "Outcome"),
    "share": ("Podíl", "Share"),
    "pooled": (POOLED_LABEL["cs"], POOLED_LABEL["en"]),
    "map": ("Mapa hotspotů", "Hotspot map"),
    "map_note": (
        "Getis-Ord Gi* z počtů událostí měsíce ve čtvercích {cell} m; čísla odkazují na tabulku.",
        "Getis-Ord Gi* of the month's counts in {cell} m squares; numbers refer to the table.",
    ),
    "hotspots": ("Nejvýznamnější hotspoty", "Top hotspots"),
    "no_hotspots": ("Tento měsíc bez významného hotspotu.", "No significant hot spot this month."),
    "place": ("Místo", "Place"),
    "class": ("Třída Gi*", "Gi* class"),
    "emerging": ("Vývoj ({n} měsíců)", "Trend ({n} months)"),
    "change": ("Změna", "Change"),
    "places": ("SVL a ubytovny", "SVL and hostels"),
    "no_places": ("V území není žádná SVL ani ubytovna.", "No SVL or hostel in the area."),
    "kind": ("Typ", "Type"),
    "svl": ("SVL", "SVL"),
    "hostel": ("okolí ubytovny ({m} m)", "hostel buffer ({m} m)"),
    "rate": ("Na 10 ha a měsíc", "Per 10 ha and month"),
    "ratio": ("Poměr ke zbytku území", "Ratio to the rest of the area"),
    "changed": ("Co se změnilo", "What changed"),
    "new_hot": ("Nové hotspoty", "New hot spots"),
    "intensifying_hot": ("Sílící hotspoty", "Intensifying hot spots"),
    "rising": ("Kategorie výrazně nahoru", "Categories notably up"),
    "falling": ("Kategorie výrazně dolů", "Categories notably down"),
    "none": ("žádné", "none"),
    "notes": ("Poznámky k datům", "Data notes"),
    "period": ("Období", "Period"),
    "span": ("Data v úložišti", "Data in the store"),
    "geocoding": ("Geokódování", "Geocoding"),
    "geocoding_text": (
        "{ok} z {n} záznamů měsíce (celé město) umístěno na mapu ({pct}); záznamy bez polohy "
        "nemají území a v podkladech chybí.",
        "{ok} of the month's {n} records (whole city) placed on the map ({pct}); records without "
        "a location have no area and are not in this pack.",
    ),
    "quarantine": ("Karanténa", "Quarantine"),
    "privacy": ("Malé počty", "Small counts"),
    "privacy_text": (
        "Řádky tabulky s počtem pod {k}, který by šel dopočítat z celkového součtu, jsou "
        "sloučeny do řádku „{pooled_cs}“ (vždy aspoň dva řádky), takže žádný malý počet nelze "
        "odečtením zjistit.",
        "Table rows with a count below {k} that the total would give away are merged into one "
        "row “{pooled_en}” (always at least two rows), so no small count can be worked out by "
        "subtraction.",
    ),
    "quarantine_text": (
        "{n} záznamů úložiště odmítnuto při importu (území neznámé)",
        "{n} records of the store rejected at import (area unknown)",
    ),
    "methods": ("Metody", "Methods"),
    "methods_text": (
        "Gi* s korekcí FDR (Benjamini–Hochberg) na čtvercích {cell} m; vývoj hotspotů podle "
        "Emerging Hot Spot Analysis za {n} měsíců; výrazná změna kategorie: přesný test dvou "
        "Poissonových počtů, p < {alpha}.",
        "Gi* with FDR correction (Benjamini–Hochberg) on {cell} m squares; emerging hot-spot "
        "analysis over {n} months; notable category change: exact test of two Poisson counts, "
        "p < {alpha}.",
    ),
    "emerging_skipped": ("vývoj nelze určit: {reason}", "trend not available: {reason}"),
    "generated": ("Vytvořeno aplikací apk-geo", "Made with apk-geo"),
    "page": ("strana", "page"),
    # presenter page
    "ui.prev": ("◀ Předchozí oblast", "◀ Previous area"),
    "ui.next": ("Další oblast ▶", "Next area ▶"),
    "ui.month": ("Měsíc", "Month"),
    "ui.position": ("oblast {i} z {n}", "area {i} of {n}"),
    "ui.fullscreen": ("Mapa přes celou obrazovku", "Full-screen map"),
    "ui.download_html": ("Stáhnout podklady (HTML)", "Download the pack (HTML)"),
    "ui.make_pdf": ("Vytvořit PDF", "Make the PDF"),
    "ui.download_pdf": ("Stáhnout PDF", "Download the PDF"),
    "ui.no_month": ("Úložiště nemá žádný celý měsíc dat.", "The store holds no complete month."),
    "ui.failed": ("Podklady nelze vytvořit: {reason}", "The pack cannot be made: {reason}"),
}


def text(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the report string ``key`` in ``lang``, formatted with ``fields``.

    Examples
    --------
    >>> text("key", "en")
    'Key figures'
    """
    try:
        cs, en = _S[key]
    except KeyError:
        raise KeyError(f"no report string {key!r}; known: {sorted(_S)}") from None
    chosen = en if normalize_lang(lang) == "en" else cs
    return chosen.format(**fields) if fields else chosen


_t = text


# ----------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class ReportData:
    """Everything a pack is built from, read once per store (shared by all areas).

    Attributes
    ----------
    incidents
        The store's incidents, reduced to :data:`PACK_COLUMNS` and geometry (EPSG:5514).
    layers
        Context layers present in the store (``districts``, ``city``, ``mdt_areas``, ``svl``,
        ``hostels``, ``stops``), EPSG:5514.
    quarantined
        Number of quarantined records in the store.
    metadata
        The store's metadata (``synthetic`` is ``"true"`` for demo data).
    config
        The configuration (MDT areas, ``min_public_count``, ``hostel_buffer_m``).
    """

    incidents: gpd.GeoDataFrame
    layers: Mapping[str, gpd.GeoDataFrame]
    quarantined: int
    metadata: Mapping[str, str]
    config: Config = field(default_factory=Config)

    def __post_init__(self) -> None:
        missing = [c for c in PACK_COLUMNS if c not in self.incidents.columns]
        if missing:
            raise SchemaError(
                f"incidents lack column(s) {missing}; pass the store's incidents layer "
                "(ReportData.from_store builds it)"
            )
        if not isinstance(self.incidents["reported_at"].dtype, pd.DatetimeTZDtype):
            raise SchemaError(
                f"incidents.reported_at must be tz-aware; got {self.incidents['reported_at'].dtype}"
            )
        if "districts" not in self.layers:
            raise SchemaError(
                f"the context layers lack 'districts'; got {sorted(self.layers)}; build the "
                "store with `apk-geo demo` or write the layers with store.write_layers()"
            )

    @classmethod
    def from_frames(
        cls,
        incidents: gpd.GeoDataFrame,
        layers: Mapping[str, gpd.GeoDataFrame],
        *,
        quarantined: int = 0,
        metadata: Mapping[str, str] | None = None,
        config: Config | None = None,
    ) -> ReportData:
        """Build from frames already loaded (the dashboard's cached ones); input not changed."""
        cols = [*PACK_COLUMNS, incidents.geometry.name]
        inc = gpd.GeoDataFrame(incidents[cols], geometry=incidents.geometry.name, crs=incidents.crs)
        if inc.crs is not None and not inc.crs.equals(CRS_METRIC):
            inc = inc.to_crs(CRS_METRIC)
        return cls(
            inc,
            {k: v.to_crs(CRS_METRIC) for k, v in layers.items()},
            int(quarantined),
            dict(metadata or {}),
            config or Config(),
        )

    @classmethod
    def from_store(cls, store: Any, *, config: Config | None = None) -> ReportData:
        """Read the incidents, context layers, quarantine count and metadata of ``store``.

        Parameters
        ----------
        store
            An :class:`apk_geo.store.IncidentStore`.
        config
            Configuration (defaults when ``None``).
        """
        names = set(store.layer_names())
        wanted = ("districts", "city", "mdt_areas", "svl", "hostels", "stops")
        layers = {n: store.layer(n) for n in wanted if n in names}
        return cls.from_frames(
            store.incidents(),
            layers,
            quarantined=len(store.quarantine()),
            metadata=store.metadata(),
            config=config,
        )

    @property
    def synthetic(self) -> bool:
        """Whether the store holds synthetic demo data."""
        return str(self.metadata.get("synthetic", "")).lower() == "true"

    def months(self) -> list[pd.Period]:
        """Return the complete calendar months with data, newest first."""
        local = _local_naive(self.incidents["reported_at"])
        if local.empty:
            return []
        first, last = local.min(), local.max()
        lo = first.to_period("M") + (0 if first.day == 1 else 1)
        hi = last.to_period("M") - (0 if last.day == last.days_in_month else 1)
        return list(pd.period_range(lo, hi, freq="M"))[::-1] if hi >= lo else []


@dataclass(frozen=True)
class AreaRef:
    """One area a pack can be made for: an MDT area or a city district."""

    name: str
    kind: AreaKind


@dataclass(frozen=True)
class KeyFigures:
    """Incidents of the month against the previous month and the same month a year earlier.

    ``n_previous``/``n_year_before`` are ``None`` when the store holds no data for that whole
    month (unknown, not zero); the changes are percentages, ``None`` when not computable.
    """

    n: int
    n_previous: int | None
    n_year_before: int | None
    change_previous_pct: float | None
    change_year_pct: float | None


@dataclass(frozen=True)
class DataNotes:
    """Facts about the data behind a pack."""

    month_start: pd.Timestamp
    month_end: pd.Timestamp
    data_from: pd.Timestamp | None
    data_to: pd.Timestamp | None
    month_records_city: int
    month_geocoded_city: int
    quarantined: int
    synthetic: bool
    emerging_note: str | None


@dataclass(frozen=True)
class Pack:
    """The data of one MDT meeting pack (see the module docstring); render it with render_*.

    Attributes
    ----------
    area, area_kind, month, lang, tier, min_count
        What the pack is for and how it is shown.
    figures
        :class:`KeyFigures`.
    categories
        ``category, label, n, n_previous, n_year_before, diff, p_value, direction``
        (``"up"``, ``"down"`` or ``"none"``), sorted by ``n`` descending.
    outcomes
        ``outcome, label, n, share`` for every outcome code.
    cells
        The area's grid (EPSG:5514): ``cell_id, n, n_previous, diff, gi_z, hotspot_class,
        emerging_class``.
    hotspots
        The top hot cells with incidents this month (by class, then count): ``rank, cell_id,
        label, n, n_previous, diff, hotspot_class, emerging_class`` and geometry.
    places
        ``kind`` (``svl``/``hostel``), ``name, n, n_previous, diff, per_10ha_month,
        rate_ratio`` for the SVLs and hostel buffers in the area.
    new_hotspots, intensifying_hotspots
        Distinct labels of the cells whose emerging class is in :data:`NEW_CLASSES` /
        :data:`INTENSIFYING_CLASSES`.
    area_shape, districts, svl, hostels
        Map layers (EPSG:5514).
    points
        Incident points of the month for the internal tier; always ``None`` in the presenter
        tier.
    notes
        :class:`DataNotes`.
    params
        Parameters used (JSON-serialisable), including automatically chosen ones.
    """

    area: str
    area_kind: AreaKind
    month: pd.Period
    lang: Lang
    tier: Tier
    min_count: int
    figures: KeyFigures
    categories: pd.DataFrame
    outcomes: pd.DataFrame
    cells: gpd.GeoDataFrame
    hotspots: gpd.GeoDataFrame
    places: pd.DataFrame
    new_hotspots: tuple[str, ...]
    intensifying_hotspots: tuple[str, ...]
    area_shape: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    points: gpd.GeoDataFrame | None
    notes: DataNotes
    params: dict[str, Any]
    synthetic: bool = False
    hostel_buffer_m: float = 250.0

    def count(self, n: float | int | None) -> str:
        """Return a count as shown in this pack's tier (``"<3"`` for small presenter counts)."""
        if n is None:
            return _t("no_data", self.lang)
        return format_count(n, min_count=self.min_count, tier=self.tier)

    def shown(self, *counts: float | int | None) -> bool:
        """Whether a value derived from ``counts`` may be shown (no suppressed count in it)."""
        if self.tier == "internal":
            return all(c is not None for c in counts)
        return all(c is not None and (c == 0 or c >= self.min_count) for c in counts)


# ------------------------------------------------------------------------------- helpers


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
        raise ParameterError(f"month must look like YYYY-MM (e.g. 2024-06); got {value!r}")
    try:
        return pd.Period(text, freq="M")
    except ValueError as exc:
        raise ParameterError(f"month {value!r} is not a valid month: {exc}") from exc


def month_label(month: pd.Period, lang: str) -> str:
    """Return ``"říjen 2026"`` / ``"October 2026"``."""
    if normalize_lang(lang) == "en":
        return month.strftime("%B %Y")
    return f"{_MONTHS_CS[month.month - 1]} {month.year}"


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
    raise ParameterError(
        f"unknown area {spec!r}; use 'all', an MDT area ({', '.join(areas)}) or a city district "
        f"({', '.join(names)})"
    )


def pack_filename(pack: Pack, fmt: str) -> str:
    """Return ``<area-slug>_<YYYY-MM>[_internal][_en].<fmt>``.

    Examples
    --------
    >>> re.sub(r"[^a-z0-9]+", "-", fold("Moravská Ostrava a Přívoz"))
    'moravska-ostrava-a-privoz'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(pack.area)).strip("-") or "area"
    tier = "_internal" if pack.tier == "internal" else ""
    lang = "_en" if pack.lang == "en" else ""
    return f"{slug}_{pack.month}{tier}{lang}.{fmt}"


def _local_naive(times: pd.Series) -> pd.Series:
    local: pd.Series = times.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return local


def _month_bounds(month: pd.Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    return month.start_time, (month + 1).start_time


def _pct(n: int, base: int | None) -> float | None:
    if base is None or base == 0:
        return None
    return 100.0 * (n - base) / base


def _covered(month: pd.Period, first: pd.Timestamp | None, last: pd.Timestamp | None) -> bool:
    """Whether the data span covers the whole month (so a zero is a real zero)."""
    if first is None or last is None:
        return False
    start, end = _month_bounds(month)
    return bool(first.normalize() <= start and last >= end - pd.Timedelta(days=1))


def _area_shape(data: ReportData, ref: AreaRef) -> gpd.GeoDataFrame:
    districts = data.layers["districts"]
    if ref.kind == "district":
        shape = districts.loc[districts["NAZEV"].astype(str) == ref.name]
    else:
        layer = data.layers.get("mdt_areas")
        if layer is None or not (layer["name"].astype(str) == ref.name).any():
            from apk_geo.enrich import mdt_area_polygons

            layer = mdt_area_polygons(districts, data.config.mdt_areas)
        shape = layer.loc[layer["name"].astype(str) == ref.name]
    if shape.empty:
        raise ParameterError(
            f"the store's context layers hold no polygon of {ref.kind} "
            f"{ref.name!r}; check the configured MDT areas"
        )
    geom = shapely.union_all(shape.geometry.to_numpy())
    return gpd.GeoDataFrame({"name": [ref.name]}, geometry=[geom], crs=CRS_METRIC)


def _in_area(
    layer: gpd.GeoDataFrame | None, area: shapely.Geometry, *, buffer_m: float = 0.0
) -> gpd.GeoDataFrame:
    if layer is None or layer.empty:
        return gpd.GeoDataFrame(
            {"name": pd.Series([], dtype="string")}, geometry=[], crs=CRS_METRIC
        )
    geoms = layer.geometry.buffer(buffer_m) if buffer_m > 0 else layer.geometry
    keep = geoms.intersects(area).to_numpy(dtype=bool)
    return layer.loc[keep].copy()


def _category_table(
    month_pts: pd.DataFrame,
    prev_pts: pd.DataFrame,
    year_pts: pd.DataFrame,
    *,
    prev_known: bool,
    year_known: bool,
    days: tuple[float, float],
    lang: str,
    config: Config,
) -> pd.DataFrame:
    now = month_pts["category"].astype(str).value_counts()
    prev = prev_pts["category"].astype(str).value_counts()
    year = year_pts["category"].astype(str).value_counts()
    codes = sorted(set(now.index) | set(prev.index) | set(year.index))
    rows = []
    for code in codes:
        n, n_p, n_y = int(now.get(code, 0)), int(prev.get(code, 0)), int(year.get(code, 0))
        p = poisson_rate_test(n_p, n, days_a=days[0], days_b=days[1]) if prev_known else math.nan
        rate_now, rate_prev = n / days[1], n_p / days[0]
        notable = prev_known and not math.isnan(p) and p < NOTABLE_ALPHA
        direction = ("up" if rate_now > rate_prev else "down") if notable else "none"
        rows.append(
            {
                "category": code,
                "label": label_of(code, lang=lang, extra=config.extra_categories),
                "n": n,
                "n_previous": n_p if prev_known else None,
                "n_year_before": n_y if year_known else None,
                "diff": n - n_p if prev_known else None,
                "p_value": p,
                "direction": direction,
            }
        )
    cols = ["category", "label", "n", "n_previous", "n_year_before", "diff", "p_value", "direction"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("n_previous", "n_year_before", "diff"):
        out[c] = out[c].astype("Int64")
    out["n"] = out["n"].astype("int64")
    return out.sort_values(["n", "category"], ascending=[False, True], ignore_index=True)


def _outcome_table(month_pts: pd.DataFrame, lang: str) -> pd.DataFrame:
    counts = month_pts["outcome"].astype(str).value_counts()
    total = int(counts.sum())
    rows = [
        {"outcome": o.code, "label": o.label(lang), "n": int(counts.get(o.code, 0))}
        for o in OUTCOMES
    ]
    out = pd.DataFrame(rows)
    out["share"] = out["n"] / total if total else np.nan
    return out


def _hotspot_grid(
    area: gpd.GeoDataFrame,
    month_pts: gpd.GeoDataFrame,
    prev_pts: gpd.GeoDataFrame,
    window_pts: gpd.GeoDataFrame,
    *,
    month: pd.Period,
    cell_size_m: float,
    params: dict[str, Any],
) -> tuple[gpd.GeoDataFrame, str | None]:
    from apk_geo import emerging, gistar, grid

    cells = grid.make_grid(area, cell_size_m=cell_size_m)
    params["grid"] = dict(cells.attrs.get("params", {}))
    counted = grid.count_points(cells, month_pts)
    counted["n_previous"] = grid.count_points(cells, prev_pts)["n"].to_numpy()
    counted["diff"] = counted["n"] - counted["n_previous"]
    try:
        result = gistar.gistar(counted)
        params["gistar"] = dict(result.attrs.get("params", {}))
    except InsufficientDataError as exc:
        logger.info("report: Gi* skipped for %s: %s", month, exc)
        params["gistar"] = {"skipped": str(exc)}
        result = counted.assign(gi_z=np.nan, hotspot_class=0)
    note = None
    start = (month - (EMERGING_MONTHS - 1)).start_time
    try:
        em = emerging.emerging(
            window_pts, cells, period="M", start=start, end=(month + 1).start_time
        )
        params["emerging"] = {k: v for k, v in em.attrs.get("params", {}).items() if k != "periods"}
        result["emerging_class"] = em["emerging_class"].to_numpy()
    except (InsufficientDataError, ParameterError) as exc:
        logger.info("report: emerging analysis skipped: %s", exc)
        params["emerging"] = {"skipped": str(exc)}
        note = str(exc)
        result["emerging_class"] = pd.array([pd.NA] * len(result), dtype="string")
    keep = [
        "cell_id",
        "n",
        "n_previous",
        "diff",
        "gi_z",
        "hotspot_class",
        "emerging_class",
        result.geometry.name,
    ]
    out = gpd.GeoDataFrame(result[keep], geometry=result.geometry.name, crs=cells.crs)
    out["hotspot_class"] = out["hotspot_class"].astype("int64")
    return out, note


def _place_labels(cells: gpd.GeoDataFrame, data: ReportData, lang: str) -> list[str]:
    """Return a readable label per cell: district and the SVL, hostel or stop nearby."""
    layers = data.layers
    return place_labels(
        cells,
        context=SimpleNamespace(**layers),
        districts=layers.get("districts"),
        ids=[int(c) for c in cells["cell_id"]],
        lang=lang,
        hostel_radius_m=data.config.hostel_buffer_m,
        stop_radius_m=STOP_LABEL_RADIUS_M,
    )


@dataclass(frozen=True)
class _AreaContext:
    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    city: gpd.GeoDataFrame


def _places_table(
    area: gpd.GeoDataFrame,
    svl: gpd.GeoDataFrame,
    hostels: gpd.GeoDataFrame,
    month_pts: gpd.GeoDataFrame,
    prev_pts: gpd.GeoDataFrame,
    *,
    buffer_m: float,
) -> pd.DataFrame:
    from apk_geo.rates import context_rates

    cols = ["kind", "name", "n", "n_previous", "diff", "per_10ha_month", "rate_ratio"]
    has_svl = not svl.empty and "name" in svl
    has_hostels = not hostels.empty and "name" in hostels
    if not (has_svl or has_hostels):
        return pd.DataFrame({c: [] for c in cols})
    empty = gpd.GeoDataFrame({"name": pd.Series([], dtype="string")}, geometry=[], crs=CRS_METRIC)
    ctx = _AreaContext(
        svl[["name", svl.geometry.name]] if has_svl else empty,
        hostels[["name", hostels.geometry.name]] if has_hostels else empty,
        area,
    )
    now = context_rates(month_pts, ctx, buffer_m=buffer_m, months=1.0)
    prev = context_rates(prev_pts, ctx, buffer_m=buffer_m, months=1.0)
    rows = now["kind"].isin(["svl", "hostel"]).to_numpy() & (now["area_ha"] > 0).to_numpy()
    out = pd.DataFrame(
        {
            "kind": now["kind"].astype(str).to_numpy(),
            "name": now["name"].astype(str).to_numpy(),
            "n": now["incidents"].to_numpy(),
            "n_previous": prev["incidents"].to_numpy(),
            "per_10ha_month": 10.0 * now["incidents_per_ha_month"].to_numpy(),
            "rate_ratio": now["rate_ratio"].to_numpy(),
        }
    )[rows].reset_index(drop=True)
    out["diff"] = out["n"] - out["n_previous"]
    result: pd.DataFrame = out[cols]
    return result


# ---------------------------------------------------------------------------- build_pack


def build_pack(
    data: ReportData | Any,
    *,
    area: str | AreaRef,
    month: str | pd.Period,
    lang: str = "cs",
    tier: Tier = "presenter",
    cell_size_m: float = DEFAULT_CELL_SIZE_M,
    top: int = 10,
    config: Config | None = None,
) -> Pack:
    """Build the meeting pack of one area and one month.

    Parameters
    ----------
    data
        A :class:`ReportData`, or an :class:`apk_geo.store.IncidentStore` (read once here; for
        several areas build a :class:`ReportData` once and pass it).
    area
        An MDT-area name, a district name (see :func:`resolve_areas`) or an :class:`AreaRef`.
    month
        ``"YYYY-MM"`` or a monthly :class:`pandas.Period`.
    lang
        ``"cs"`` (default) or ``"en"``.
    tier
        ``"presenter"`` (default; aggregates only) or ``"internal"``.
    cell_size_m
        Side of the hotspot grid's squares, in metres.
    top
        Number of hot cells in the hotspot table.
    config
        Used only when ``data`` is a store.

    Returns
    -------
    Pack
        Its tables have the schemas documented on :class:`Pack`; ``params`` records the grid,
        Gi* and emerging parameters.

    Raises
    ------
    ParameterError
        If the area, month, tier or ``top`` is invalid.
    SchemaError
        If the data lack a needed column or layer.
    """
    if not isinstance(data, ReportData):
        data = ReportData.from_store(data, config=config)
    if tier not in TIERS:
        raise ParameterError(f"tier must be one of {TIERS}; got {tier!r}")
    if top < 1:
        raise ParameterError(f"top must be >= 1; got {top}")
    if not (cell_size_m > 0 and math.isfinite(cell_size_m)):
        raise ParameterError(f"cell_size_m must be a finite number > 0; got {cell_size_m!r}")
    lg = normalize_lang(lang)
    mon = parse_month(month)
    districts_layer = data.layers["districts"]
    if isinstance(area, AreaRef):
        ref = area
    else:
        refs = resolve_areas(area, config=data.config, districts=districts_layer["NAZEV"])
        if len(refs) != 1:
            raise ParameterError("build_pack makes one area's pack; loop over resolve_areas('all')")
        ref = refs[0]
    shape = _area_shape(data, ref)
    geom = shape.geometry.iloc[0]
    params: dict[str, Any] = {
        "area": ref.name,
        "area_kind": ref.kind,
        "month": str(mon),
        "tier": tier,
        "lang": lg,
        "cell_size_m": float(cell_size_m),
    }

    inc = data.incidents
    local = _local_naive(inc["reported_at"])
    months = local.dt.to_period("M")
    col = "mdt_area" if ref.kind == "mdt_area" else "district_name"
    located = (inc.geometry.notna() & ~inc.geometry.is_empty).to_numpy(dtype=bool)
    in_area = (inc[col].astype(object) == ref.name).to_numpy(dtype=bool) & located
    area_inc = inc.loc[in_area]
    area_months = months[in_area]
    month_pts = area_inc.loc[(area_months == mon).to_numpy()]
    prev_pts = area_inc.loc[(area_months == mon - 1).to_numpy()]
    year_pts = area_inc.loc[(area_months == mon - 12).to_numpy()]
    window = (area_months > mon - EMERGING_MONTHS) & (area_months <= mon)
    window_pts = area_inc.loc[window.to_numpy()]

    first = local.min() if len(local) else None
    last = local.max() if len(local) else None
    prev_known, year_known = _covered(mon - 1, first, last), _covered(mon - 12, first, last)
    if not _covered(mon, first, last):
        logger.warning(
            "report: the store's data (%s – %s) do not cover all of %s", first, last, mon
        )
    n = len(month_pts)
    n_prev = len(prev_pts) if prev_known else None
    n_year = len(year_pts) if year_known else None
    figures = KeyFigures(n, n_prev, n_year, _pct(n, n_prev), _pct(n, n_year))
    days = (float((mon - 1).days_in_month), float(mon.days_in_month))
    categories = _category_table(
        month_pts,
        prev_pts,
        year_pts,
        prev_known=prev_known,
        year_known=year_known,
        days=days,
        lang=lg,
        config=data.config,
    )
    outcomes = _outcome_table(month_pts, lg)

    cells, emerging_note = _hotspot_grid(
        shape, month_pts, prev_pts, window_pts, month=mon, cell_size_m=cell_size_m, params=params
    )
    # The table lists hot cells that had incidents this month (a cell can be hot through its
    # neighbours alone); the map shows every hot cell.
    hot = cells.loc[(cells["hotspot_class"] > 0) & (cells["n"] > 0)]
    top_cells = hot.sort_values(
        ["hotspot_class", "n", "gi_z", "cell_id"], ascending=[False, False, False, True]
    ).head(top)
    emerging_class = cells["emerging_class"].astype("string")
    centre_in = cells.geometry.representative_point().within(geom).to_numpy(dtype=bool)
    is_new = emerging_class.isin(NEW_CLASSES).fillna(False).to_numpy(dtype=bool) & centre_in
    is_intens = (
        emerging_class.isin(INTENSIFYING_CLASSES).fillna(False).to_numpy(dtype=bool) & centre_in
    )
    named = cells.loc[cells.index.isin(top_cells.index) | is_new | is_intens]
    labels = pd.Series(_place_labels(named, data, lg), index=named.index, dtype="string")
    hotspots = gpd.GeoDataFrame(
        {
            "rank": np.arange(1, len(top_cells) + 1, dtype="int64"),
            "cell_id": top_cells["cell_id"].to_numpy(),
            "label": labels.loc[top_cells.index].to_numpy(),
            "n": top_cells["n"].to_numpy(),
            "n_previous": top_cells["n_previous"].to_numpy(),
            "diff": top_cells["diff"].to_numpy(),
            "hotspot_class": top_cells["hotspot_class"].to_numpy(),
            "emerging_class": top_cells["emerging_class"].to_numpy(),
        },
        geometry=top_cells.geometry.to_numpy(),
        crs=cells.crs,
    )
    new_hot = tuple(dict.fromkeys(labels.loc[cells.index[is_new]].astype(str)))
    intens = tuple(dict.fromkeys(labels.loc[cells.index[is_intens]].astype(str)))

    buffer_m = data.config.hostel_buffer_m
    svl = _in_area(data.layers.get("svl"), geom)
    hostels = _in_area(data.layers.get("hostels"), geom, buffer_m=buffer_m)
    places = _places_table(shape, svl, hostels, month_pts, prev_pts, buffer_m=buffer_m)
    if not prev_known:
        places["n_previous"] = pd.array([pd.NA] * len(places), dtype="Int64")
        places["diff"] = pd.array([pd.NA] * len(places), dtype="Int64")

    all_month = (months == mon).to_numpy()
    notes = DataNotes(
        month_start=mon.start_time,
        month_end=(mon + 1).start_time - pd.Timedelta(days=1),
        data_from=first,
        data_to=last,
        month_records_city=int(all_month.sum()),
        month_geocoded_city=int((all_month & located).sum()),
        quarantined=int(data.quarantined),
        synthetic=data.synthetic,
        emerging_note=emerging_note,
    )
    points = None
    if tier == "internal":
        points = gpd.GeoDataFrame(
            month_pts[["reported_at", "category", "outcome", "match", month_pts.geometry.name]],
            geometry=month_pts.geometry.name,
            crs=inc.crs,
        )
    area_districts = districts_layer.loc[
        districts_layer.geometry.representative_point().within(geom).to_numpy(dtype=bool)
    ]
    logger.info(
        "report: %s %s: %d incidents, %d hot cells, params %s",
        ref.name,
        mon,
        n,
        len(hot),
        {k: v for k, v in params.items() if k in ("cell_size_m", "month")},
    )
    return Pack(
        area=ref.name,
        area_kind=ref.kind,
        month=mon,
        lang=lg,
        tier=tier,
        min_count=data.config.min_public_count,
        figures=figures,
        categories=categories,
        outcomes=outcomes,
        cells=cells,
        hotspots=hotspots,
        places=places,
        new_hotspots=new_hot,
        intensifying_hotspots=intens,
        area_shape=shape,
        districts=area_districts[["NAZEV", area_districts.geometry.name]].copy(),
        svl=svl,
        hostels=hostels,
        points=points,
        notes=notes,
        params=params,
        synthetic=data.synthetic,
        hostel_buffer_m=buffer_m,
    )


# ------------------------------------------------------------------------------ display


def _signed(value: float, *, pct: bool = False) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    body = f"{abs(value):.0f}"
    return f"{sign}{body} %" if pct else f"{sign}{body}"


def _change(pack: Pack, n: int | None, base: int | None, *, pct: bool) -> str:
    if n is None or base is None or not pack.shown(n, base):
        return "–"
    if pct:
        return "–" if base == 0 else _signed(100.0 * (n - base) / base, pct=True)
    return _signed(n - base)


def _opt(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _int(value: Any) -> int:
    return int(value)


def _float(value: Any) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _emerging_label(code: object, lang: str) -> str:
    if code is None or pd.isna(code):  # type: ignore[call-overload]
        return "–"
    c = _EMERGING_LABELS.get(str(code))
    return c.label(lang) if c else str(code)


#: Count columns of the tables that are pooled (see :mod:`apk_geo.privacy`).
_CATEGORY_COUNTS: Final = ("n", "n_previous", "n_year_before")
_HOTSPOT_COUNTS: Final = ("n", "n_previous")
_PLACE_COUNTS: Final = ("n", "n_previous")


def _pool(pack: Pack, table: pd.DataFrame, columns: Sequence[str]) -> list[Hashable]:
    """Rows of a complete table pooled in the presenter tier (none in the internal tier)."""
    if pack.tier != "presenter" or table.empty:
        return []
    return rows_to_pool(table, columns, min_count=pack.min_count)


def _hotspot_pool(pack: Pack) -> list[Hashable]:
    """Rows of the hot-cell table pooled in the presenter tier.

    The table is partial: the area's other cells hold ``total − shown``, so a suppressed
    count is hidden unless that difference pins it (:func:`apk_geo.privacy.residual_pins`);
    only then are the small rows pooled.
    """
    hs = pack.hotspots
    if pack.tier != "presenter" or hs.empty:
        return []
    totals = {"n": pack.figures.n, "n_previous": pack.figures.n_previous}
    pinned = any(
        residual_pins(hs[c].to_list(), totals[c], min_count=pack.min_count) for c in _HOTSPOT_COUNTS
    )
    return rows_to_pool(hs, _HOTSPOT_COUNTS, min_count=pack.min_count) if pinned else []


def tables(pack: Pack) -> dict[str, pd.DataFrame]:
    """Return the pack's tables as display text in its language and tier (small counts hidden).

    Returns
    -------
    dict
        ``figures``, ``categories``, ``outcomes``, ``hotspots``, ``places``: DataFrames of
        strings with localised headers; what the HTML, the PDF and the presenter page show.
    """
    lg, f = pack.lang, pack.figures
    figures = pd.DataFrame(
        {
            "": [_t("this_month", lg), _t("prev_month", lg), _t("year_before", lg)],
            t("field.count", lg): [
                pack.count(f.n),
                pack.count(f.n_previous),
                pack.count(f.n_year_before),
            ],
            _t("vs", lg): [
                "",
                _change(pack, f.n, f.n_previous, pct=True),
                _change(pack, f.n, f.n_year_before, pct=True),
            ],
        }
    )
    pooled = _t("pooled", lg)
    cat = pack.categories
    cat_pool = _pool(pack, cat, _CATEGORY_COUNTS)
    cat_rows = [
        (str(r.label), _int(r.n), _opt(r.n_previous), _opt(r.n_year_before))
        for r in cat.drop(index=cat_pool).itertuples()
    ]
    if cat_pool:
        sums = pool_rows(cat, cat_pool, _CATEGORY_COUNTS)
        cat_rows.append((pooled, int(sums["n"] or 0), sums["n_previous"], sums["n_year_before"]))
    categories = pd.DataFrame(
        {
            _t("categories", lg): [r[0] for r in cat_rows],
            _t("this_month", lg): [pack.count(r[1]) for r in cat_rows],
            _t("prev_month", lg): [pack.count(r[2]) for r in cat_rows],
            _t("year_before", lg): [pack.count(r[3]) for r in cat_rows],
            _t("change", lg): [_change(pack, r[1], r[2], pct=False) for r in cat_rows],
        }
    )
    out = pack.outcomes
    out_pool = _pool(pack, out, ("n",))
    out_rows = [
        (str(r.label), _int(r.n), _float(r.share)) for r in out.drop(index=out_pool).itertuples()
    ]
    if out_pool:
        n_pooled = int(pool_rows(out, out_pool, ("n",))["n"] or 0)
        out_rows.append((pooled, n_pooled, _float(out.loc[out_pool, "share"].sum())))
    outcomes = pd.DataFrame(
        {
            _t("outcomes", lg): [r[0] for r in out_rows],
            t("field.count", lg): [pack.count(r[1]) for r in out_rows],
            _t("share", lg): [
                f"{100 * s:.0f} %" if pack.shown(v) and math.isfinite(s) else "–"
                for _, v, s in out_rows
            ],
        }
    )
    hs = pack.hotspots
    hs_pool = _hotspot_pool(pack)
    hs_rows = [
        (
            str(r.rank),
            str(r.label),
            _int(r.n),
            _int(r.n_previous),
            t(f"gistar.class_{_int(r.hotspot_class)}", lg),
            _emerging_label(r.emerging_class, lg),
        )
        for r in hs.drop(index=hs_pool).itertuples()
    ]
    if hs_pool:
        sums = pool_rows(hs, hs_pool, _HOTSPOT_COUNTS)
        ranks = ", ".join(str(int(r)) for r in hs.loc[hs_pool, "rank"])
        hs_rows.append((ranks, pooled, int(sums["n"] or 0), int(sums["n_previous"] or 0), "–", "–"))
    hotspots = pd.DataFrame(
        {
            "#": [r[0] for r in hs_rows],
            _t("place", lg): [r[1] for r in hs_rows],
            _t("this_month", lg): [pack.count(r[2]) for r in hs_rows],
            _t("prev_month", lg): [pack.count(r[3]) for r in hs_rows],
            _t("change", lg): [_change(pack, r[2], r[3], pct=False) for r in hs_rows],
            _t("class", lg): [r[4] for r in hs_rows],
            _t("emerging", lg, n=EMERGING_MONTHS): [r[5] for r in hs_rows],
        },
        columns=[
            "#",
            _t("place", lg),
            _t("this_month", lg),
            _t("prev_month", lg),
            _t("change", lg),
            _t("class", lg),
            _t("emerging", lg, n=EMERGING_MONTHS),
        ],
    )
    pl = pack.places
    pl_pool = _pool(pack, pl, _PLACE_COUNTS)
    kind = {"svl": _t("svl", lg), "hostel": _t("hostel", lg, m=f"{pack.hostel_buffer_m:.0f}")}
    pl_rows: list[tuple[str, str, int, int | None, float, float]] = [
        (
            str(r.name),
            kind.get(str(r.kind), str(r.kind)),
            _int(r.n),
            _opt(r.n_previous),
            _float(r.per_10ha_month),
            _float(r.rate_ratio),
        )
        for r in pl.drop(index=pl_pool).itertuples()
    ]
    if pl_pool:
        sums = pool_rows(pl, pl_pool, _PLACE_COUNTS)
        # a pool has no single area: its rate and ratio are not shown
        pl_rows.append((pooled, "–", int(sums["n"] or 0), sums["n_previous"], math.nan, math.nan))
    places = pd.DataFrame(
        {
            _t("place", lg): [r[0] for r in pl_rows],
            _t("kind", lg): [r[1] for r in pl_rows],
            _t("this_month", lg): [pack.count(r[2]) for r in pl_rows],
            _t("prev_month", lg): [pack.count(r[3]) for r in pl_rows],
            _t("change", lg): [_change(pack, r[2], r[3], pct=False) for r in pl_rows],
            _t("rate", lg): [
                f"{r[4]:.2f}" if pack.shown(r[2]) and math.isfinite(r[4]) else "–" for r in pl_rows
            ],
            _t("ratio", lg): [
                f"{r[5]:.2f}" if pack.shown(r[2]) and math.isfinite(r[5]) else "–" for r in pl_rows
            ],
        },
        columns=[
            _t("place", lg),
            _t("kind", lg),
            _t("this_month", lg),
            _t("prev_month", lg),
            _t("change", lg),
            _t("rate", lg),
            _t("ratio", lg),
        ],
    )
    return {
        "figures": figures,
        "categories": categories,
        "outcomes": outcomes,
        "hotspots": hotspots,
        "places": places,
    }


def changed_items(pack: Pack) -> list[tuple[str, list[str]]]:
    """Return the "what changed" headings with their items (display text in the pack's tier)."""
    lg = pack.lang
    cat = pack.categories
    pooled = set(_pool(pack, cat, _CATEGORY_COUNTS))

    def cats(direction: str) -> list[str]:
        rows = cat.loc[cat["direction"] == direction]
        # a pooled category's own counts would undo the pooling: its label only
        return [
            str(label)
            if idx in pooled
            else f"{label}: {pack.count(_opt(prev))} → {pack.count(int(n))}"
            for idx, label, prev, n in zip(
                rows.index, rows["label"], rows["n_previous"], rows["n"], strict=True
            )
        ]

    return [
        (_t("new_hot", lg), list(pack.new_hotspots)),
        (_t("intensifying_hot", lg), list(pack.intensifying_hotspots)),
        (_t("rising", lg), cats("up")),
        (_t("falling", lg), cats("down")),
    ]


def _notes(pack: Pack) -> list[tuple[str, str]]:
    lg, nt = pack.lang, pack.notes
    fmt = "%d.%m.%Y"
    pct = (
        f"{100 * nt.month_geocoded_city / nt.month_records_city:.1f} %"
        if nt.month_records_city
        else "–"
    )
    span = (
        f"{nt.data_from:{fmt}} – {nt.data_to:{fmt}}"
        if nt.data_from is not None and nt.data_to is not None
        else "–"
    )
    rows = [
        (_t("period", lg), f"{nt.month_start:{fmt}} – {nt.month_end:{fmt}}"),
        (_t("span", lg), span),
        (
            _t("geocoding", lg),
            _t("geocoding_text", lg, ok=nt.month_geocoded_city, n=nt.month_records_city, pct=pct),
        ),
        (_t("quarantine", lg), _t("quarantine_text", lg, n=nt.quarantined)),
        *(
            [
                (
                    _t("privacy", lg),
                    _t(
                        "privacy_text",
                        lg,
                        k=pack.min_count,
                        pooled_cs=POOLED_LABEL["cs"],
                        pooled_en=POOLED_LABEL["en"],
                    ),
                )
            ]
            if pack.tier == "presenter"
            else []
        ),
        (
            _t("methods", lg),
            _t(
                "methods_text",
                lg,
                cell=f"{pack.params['cell_size_m']:.0f}",
                n=EMERGING_MONTHS,
                alpha=NOTABLE_ALPHA,
            ),
        ),
    ]
    if nt.emerging_note:
        rows.append(
            (
                _t("emerging", lg, n=EMERGING_MONTHS),
                _t("emerging_skipped", lg, reason=nt.emerging_note),
            )
        )
    if nt.synthetic:
        rows.append(("", _t("synthetic", lg)))
    return rows


# ---------------------------------------------------------------------------------- map


#: Diameter of a rank label on the map, in CSS pixels.
_RANK_PX: Final = 24
_RANK_ICON: Final = '<span class="apk-rank-leader"></span><div class="apk-rank-dot">{rank}</div>'
#: Styles of the map page: rank labels, the internal-tier stamp, the full-screen map.
_MAP_CSS: Final = f"""<style>
.apk-rank {{ background: none; border: none; }}
.apk-rank-dot {{ position: absolute; left: 0; top: 0; width: {_RANK_PX}px; height: {_RANK_PX}px;
  box-sizing: border-box; border: 2px solid #b2182b; border-radius: 50%; background: #fff;
  color: #b2182b; font: bold 13px/{_RANK_PX - 4}px 'DejaVu Sans', sans-serif;
  text-align: center; }}
.apk-rank-leader {{ position: absolute; left: {_RANK_PX // 2}px; top: {_RANK_PX // 2 - 1}px;
  height: 2px; width: 0; background: #b2182b; transform-origin: 0 50%; }}
.apk-internal {{ position: absolute; left: 50%; top: 10px; transform: translateX(-50%);
  z-index: 1000; background: #b2182b; color: #fff; font: bold 14px 'DejaVu Sans', sans-serif;
  padding: 4px 12px; border-radius: 3px; max-width: 60%; text-align: center; }}
.apk-fullscreen a {{ cursor: pointer; }}
:root:fullscreen .folium-map {{ height: 100vh !important; }}
</style>"""
#: Moves overlapping rank labels apart in screen pixels, best rank first, with a leader line
#: to the cell; re-run after every zoom.
_DECLUTTER_JS: Final = """(function () {{
  var map = {map}, markers = [{markers}], gap = {gap};
  function place() {{
    var placed = [];
    markers.forEach(function (mk) {{
      var el = mk.getElement();
      if (!el) {{ return; }}
      var p = map.latLngToLayerPoint(mk.getLatLng()), best = [0, 0];
      search: for (var r = 0; r <= 12 * gap; r += gap * 0.6) {{
        var steps = r === 0 ? 1 : Math.max(8, Math.round(2 * Math.PI * r / gap));
        for (var k = 0; k < steps; k++) {{
          var a = -Math.PI / 2 + 2 * Math.PI * k / steps;
          var dx = Math.round(r * Math.cos(a)), dy = Math.round(r * Math.sin(a));
          var free = placed.every(function (q) {{
            return Math.hypot(p.x + dx - q[0], p.y + dy - q[1]) >= gap;
          }});
          if (free) {{ best = [dx, dy]; break search; }}
        }}
      }}
      placed.push([p.x + best[0], p.y + best[1]]);
      el.querySelector('.apk-rank-dot').style.transform =
        'translate(' + best[0] + 'px,' + best[1] + 'px)';
      var line = el.querySelector('.apk-rank-leader');
      line.style.width = Math.hypot(best[0], best[1]) + 'px';
      line.style.transform = 'rotate(' + Math.atan2(best[1], best[0]) + 'rad)';
    }});
  }}
  map.whenReady(place);
  map.on('zoomend viewreset', place);
}})();"""
#: A full-screen button (the map page with its legend), the area fitted again on change.
_FULLSCREEN_JS: Final = """(function () {{
  var map = {map}, bounds = {bounds};
  var _FULLSCREEN_ICON = '<svg width="16" height="16" viewBox="0 0 16 16" ' +
    'style="vertical-align:middle" fill="none" stroke="#333" stroke-width="2">' +
    '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>';
  var Full = L.Control.extend({{
    options: {{ position: 'topleft' }},
    onAdd: function () {{
      var bar = L.DomUtil.create('div', 'leaflet-bar apk-fullscreen');
      var a = L.DomUtil.create('a', '', bar);
      a.href = '#'; a.title = {title}; a.setAttribute('role', 'button');
      a.setAttribute('aria-label', {title}); a.innerHTML = _FULLSCREEN_ICON;
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(a, 'click', function (e) {{
        L.DomEvent.preventDefault(e);
        if (document.fullscreenElement) {{ document.exitFullscreen(); }}
        else if (document.documentElement.requestFullscreen) {{
          document.documentElement.requestFullscreen();
        }}
      }});
      return bar;
    }}
  }});
  new Full().addTo(map);
  document.addEventListener('fullscreenchange', function () {{
    map.invalidateSize(); map.fitBounds(bounds);
  }});
}})();"""


class _MapScript(MacroElement):  # type: ignore[misc]
    """A script run in order with the map's other children (after those added before it)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, js: str) -> None:
        super().__init__()
        self._name = "MapScript"
        self.js = js


def _legend(pack: Pack) -> str:
    rows = [f"<b>{maps.esc(t('map.legend', pack.lang))}</b>"]

    def swatch(colour: str, text: str, style: str) -> str:
        return (
            f'<div><span style="display:inline-block;width:14px;height:14px;{style}'
            f'{colour};margin-right:5px;vertical-align:middle"></span>{maps.esc(text)}</div>'
        )

    rows.append(
        swatch(
            "#000",
            _t("kind.mdt_area", pack.lang)
            if pack.area_kind == "mdt_area"
            else _t("kind.district", pack.lang),
            "border:3px solid ",
        )
    )
    if not pack.svl.empty:
        rows.append(swatch(maps.SVL_COLOUR, t("layer.svl", pack.lang), "border:2px solid "))
    if not pack.hostels.empty:
        rows.append(swatch(maps.HOSTEL_COLOUR, t("layer.hostels", pack.lang), "border:2px solid "))
    for c in (3, 2, 1, -1, -2, -3):
        rows.append(
            swatch(maps.GISTAR_COLOURS[c], t(f"gistar.class_{c}", pack.lang), "background:")
        )
    return "".join(rows)


def build_map(
    pack: Pack,
    *,
    height_px: int = 560,
    static: bool = False,
    asset_base_url: str = assets.STREAMLIT_VENDOR_URL,
) -> folium.Map:
    """Return the pack's folium map: area outline, context, Gi* cells, ranked hot cells.

    Incident points are added only in the internal tier. Only Leaflet itself is loaded (no
    jQuery, Bootstrap or icon fonts), which keeps an inlined map about 200 kB. ``static``
    hides the zoom buttons (for the PNG and the PDF).
    """
    minx, miny, maxx, maxy = pack.area_shape.to_crs("EPSG:4326").total_bounds
    m = maps.base_map(
        bounds_4326=(minx, miny, maxx, maxy),
        lang=pack.lang,
        synthetic=pack.synthetic,
        asset_base_url=asset_base_url,
        height_px=height_px,
    )
    m.options["zoom_snap"] = 0.25  # fit the area closely, not to the next whole zoom level
    # Again with padding: the area's edge stays clear of the attribution line at the bottom.
    m.fit_bounds(
        [[miny, minx], [maxy, maxx]], padding_top_left=(10, 10), padding_bottom_right=(10, 34)
    )
    if static:
        # No animation: a screenshot never catches a zoom half done or labels not yet placed.
        m.options.update(
            zoom_control=False,
            zoom_animation=False,
            fade_animation=False,
            marker_zoom_animation=False,
        )
    m.default_js = assets.links(("leaflet",), base_url=asset_base_url)
    m.default_css = assets.links(("leaflet_css",), base_url=asset_base_url)
    # Runs before the map is created: a plain-text prefix instead of Leaflet's link and flag.
    m.get_root().script.add_child(
        folium.Element("L.Control.Attribution.prototype.options.prefix = 'Leaflet';")
    )
    maps.add_context(
        m,
        districts=pack.districts,
        svl=pack.svl,
        hostels=pack.hostels,
        hostel_buffer_m=pack.hostel_buffer_m,
        lang=pack.lang,
    )
    outline = pack.area_shape.to_crs("EPSG:4326")
    folium.GeoJson(
        {
            "type": "Feature",
            "properties": {},
            "geometry": shapely.geometry.mapping(outline.geometry.iloc[0]),
        },
        name=maps.esc(pack.area),
        style_function=lambda _f: {"color": "#000000", "weight": 3, "fill": False},
    ).add_to(m)
    maps.add_hotspots(m, cells=pack.cells, lang=pack.lang)
    if pack.points is not None and not pack.points.empty:
        maps.add_incidents(
            m, pack.points, lang=pack.lang, heat=False, asset_base_url=asset_base_url
        )
    markers: list[str] = []
    if not pack.hotspots.empty:
        centres = gpd.GeoSeries(pack.hotspots.geometry.centroid, crs=pack.hotspots.crs)
        for rank, c in zip(pack.hotspots["rank"], centres.to_crs("EPSG:4326"), strict=True):
            marker = folium.Marker(
                [round(c.y, 5), round(c.x, 5)],
                icon=folium.DivIcon(
                    html=_RANK_ICON.format(rank=int(rank)),
                    icon_size=(_RANK_PX, _RANK_PX),
                    icon_anchor=(_RANK_PX // 2, _RANK_PX // 2),
                    class_name="apk-rank",
                ),
            )
            marker.add_to(m)
            markers.append(marker.get_name())
    # Added last, so it runs after the markers exist: rank labels of neighbouring cells are
    # moved apart (with a leader line to their cell) so that every number stays readable.
    m.add_child(
        _MapScript(
            _DECLUTTER_JS.format(map=m.get_name(), markers=", ".join(markers), gap=_RANK_PX + 2)
        )
    )
    if not static:
        m.add_child(
            _MapScript(
                _FULLSCREEN_JS.format(
                    map=m.get_name(),
                    title=json.dumps(_t("ui.fullscreen", pack.lang)),
                    bounds=json.dumps([[miny, minx], [maxy, maxx]]),
                )
            )
        )
    m.get_root().header.add_child(folium.Element(_MAP_CSS))
    if pack.tier == "internal":
        m.get_root().html.add_child(
            folium.Element(
                f'<div class="apk-internal">{html.escape(_t("tier.internal", pack.lang))}</div>'
            )
        )
    m.get_root().html.add_child(
        folium.Element(
            '<div style="position:absolute;right:10px;top:10px;z-index:1000;'
            "background:rgba(255,255,255,.92);padding:6px 9px;font:13px/1.45 DejaVu Sans,"
            f'sans-serif;border-radius:4px;box-shadow:0 0 4px #888">{_legend(pack)}</div>'
        )
    )
    return m


def map_html(pack: Pack, *, height_px: int = 560, static: bool = False) -> str:
    """Return the pack's map as one self-contained HTML page (Leaflet inlined, no URL loaded)."""
    base = assets.STREAMLIT_VENDOR_URL
    page = maps.render_html(
        build_map(pack, height_px=height_px, static=static, asset_base_url=base)
    )
    return assets.inline_html(page, base_url=base)


def external_urls(page: str) -> list[str]:
    """Return every ``http(s)://`` or protocol-relative address in ``page`` that could load.

    Anything in a ``src``/``href``/``srcset``/``action`` attribute, a CSS ``url()`` or
    ``@import`` counts, and so does any other ``http(s)://`` text except the strings of
    :data:`NON_LOADING_URLS`. A pack's HTML must give an empty list.
    """
    found: list[str] = []
    attr = r"""(?:src|href|srcset|action|data|poster)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
    found += re.findall(attr, page, flags=re.IGNORECASE)
    found += re.findall(r"""url\(\s*["']?((?:https?:)?//[^"')\s]+)""", page, flags=re.IGNORECASE)
    found += re.findall(r"""@import\s+["']((?:https?:)?//[^"']+)""", page, flags=re.IGNORECASE)
    for url in re.findall(r"""https?://[^\s"'<>()\\]+""", html.unescape(page)):
        if url.rstrip("/.,;") not in NON_LOADING_URLS:
            found.append(url)
    return sorted(set(found))


# -------------------------------------------------------------------------------- render


_ENV: jinja2.Environment | None = None


def _template() -> jinja2.Template:
    global _ENV  # one lazily built jinja environment, read-only afterwards
    if _ENV is None:
        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("apk_geo", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
    return _ENV.get_template("report.html.j2")


def _page(pack: Pack, *, map_png: bytes | None) -> str:
    lg = pack.lang
    tabs = tables(pack)
    label_tier = (
        _t("tier.internal", lg)
        if pack.tier == "internal"
        else _t("tier.presenter", lg, k=pack.min_count)
    )
    context = {
        "lang": lg,
        "title": _t("title", lg, area=pack.area),
        "subtitle": _t("subtitle", lg, month=month_label(pack.month, lg)),
        "kind": _t(f"kind.{pack.area_kind}", lg),
        "tier": pack.tier,
        "tier_label": label_tier,
        "synthetic": _t("synthetic", lg) if pack.synthetic else None,
        "L": {
            k: _t(k, lg)
            for k in (
                "key",
                "categories",
                "outcomes",
                "map",
                "hotspots",
                "places",
                "changed",
                "notes",
                "none",
                "no_hotspots",
                "no_places",
                "generated",
            )
        },
        "figures": pack.figures,
        "tables": {k: (list(v.columns), v.to_numpy().tolist()) for k, v in tabs.items()},
        "map_note": _t("map_note", lg, cell=f"{pack.params['cell_size_m']:.0f}"),
        "map_html": None if map_png is not None else map_html(pack, height_px=560),
        "map_png": (base64.b64encode(map_png).decode("ascii") if map_png is not None else None),
        "changed": changed_items(pack),
        "notes": _notes(pack),
        "attribution": re.sub(r"<[^>]+>", "", maps.DATA_ATTRIBUTION),
        "print": map_png is not None,
        "has_hotspots": not pack.hotspots.empty,
        "has_places": not pack.places.empty,
    }
    return _template().render(**context)


def render_html(pack: Pack) -> str:
    """Return the pack as one self-contained HTML page with an interactive map.

    Every script, style and image is inlined (the map is an ``iframe`` whose ``srcdoc`` holds
    the folium page with Leaflet inlined), so the file works when e-mailed or opened from a USB
    stick with no network; :func:`external_urls` of it is empty.
    """
    return _page(pack, map_png=None)


def _with_renderer(renderer: Renderer | None, fn: Any) -> Any:
    if renderer is not None:
        return fn(renderer)
    with Renderer() as r:
        return fn(r)


def render_png(
    pack: Pack,
    *,
    renderer: Renderer | None = None,
    size_px: tuple[int, int] = PNG_SIZE_PX,
    scale: float = 1.0,
) -> bytes:
    """Return a PNG of the pack's map alone (for slides), rendered in headless Chromium.

    Parameters
    ----------
    pack
        The pack.
    renderer
        A running :class:`Renderer` to reuse; a temporary one is started when ``None``.
    size_px
        Width and height in CSS pixels.
    scale
        Device pixel ratio (2 doubles the pixels).
    """
    width, height = size_px
    page_html = map_html(pack, height_px=height, static=True)
    return bytes(
        _with_renderer(
            renderer, lambda r: r.screenshot(page_html, width=width, height=height, scale=scale)
        )
    )


def _footer(pack: Pack) -> str:
    lg = pack.lang
    left = (
        _t("tier.internal", lg)
        if pack.tier == "internal"
        else f"{pack.area} · {month_label(pack.month, lg)}"
    )
    if pack.synthetic:
        left += f" · {_t('synthetic', lg)}"
    weight = "bold" if pack.tier == "internal" else "normal"
    return (
        "<div style=\"font-family:'DejaVu Sans',sans-serif;font-size:7.5pt;width:100%;"
        'margin:0 12mm;display:flex;justify-content:space-between;color:#333">'
        f'<span style="font-weight:{weight}">{html.escape(left)}</span>'
        f'<span>{html.escape(_t("page", lg))} <span class="pageNumber"></span>/'
        '<span class="totalPages"></span></span></div>'
    )


def render_pdf(
    pack: Pack, *, renderer: Renderer | None = None, map_png: bytes | None = None
) -> bytes:
    """Return the pack as an A4 PDF (DejaVu Sans, so Czech diacritics print correctly).

    The map is a static image rendered in headless Chromium; every page carries a footer with
    the area and month, or the internal-tier label, and the synthetic-data label for demo data.

    Parameters
    ----------
    pack
        The pack.
    renderer
        A running :class:`Renderer` to reuse; a temporary one is started when ``None``.
    map_png
        A map image already rendered for this pack (skips rendering it again).
    """

    def run(r: Renderer) -> bytes:
        png = map_png
        if png is None:
            w, h = PDF_MAP_SIZE_PX
            png = r.screenshot(
                map_html(pack, height_px=h, static=True), width=w, height=h, scale=2.0
            )
        return bytes(r.pdf(_page(pack, map_png=png), footer_html=_footer(pack)))

    return bytes(_with_renderer(renderer, run))


def write_pack(
    pack: Pack,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    renderer: Renderer | None = None,
) -> dict[str, Path]:
    """Write the pack in ``formats`` to ``out_dir`` (created); return format → path.

    Raises
    ------
    ParameterError
        If a format is not one of :data:`FORMATS`.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError(f"formats must be some of {FORMATS}; got {list(formats)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    started = time.perf_counter()
    if "html" in formats:
        path = out / pack_filename(pack, "html")
        path.write_text(render_html(pack), encoding="utf-8")
        written["html"] = path

    def browser_formats(r: Renderer) -> None:
        if "png" in formats:
            path = out / pack_filename(pack, "png")
            path.write_bytes(render_png(pack, renderer=r))
            written["png"] = path
        if "pdf" in formats:
            path = out / pack_filename(pack, "pdf")
            path.write_bytes(render_pdf(pack, renderer=r))
            written["pdf"] = path

    if "png" in formats or "pdf" in formats:
        _with_renderer(renderer, browser_formats)
    logger.info(
        "report: %s %s written in %.1f s: %s",
        pack.area,
        pack.month,
        time.perf_counter() - started,
        {k: str(v) for k, v in written.items()},
    )
    return {f: written[f] for f in formats if f in written}
