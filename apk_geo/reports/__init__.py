"""MDT meeting packs: one area (an MDT area or a city district) and one month, safe to show.

Every month the multidisciplinary teams (MDT) of seven city areas meet; the assistants bring maps.
:func:`build_pack` turns a store's incidents into a :class:`Pack` — the data of one meeting — and
:func:`render_html`, :func:`render_pdf` and :func:`render_png` turn a pack into a self-contained
HTML page (every script, style and image inlined, the map interactive), an A4 PDF (the map as a
static image, rendered in headless Chromium) and a PNG of the map alone for slides.

The package is split by job and re-exports every name flat:

* :mod:`~apk_geo.reports.data` — :class:`ReportData`, :class:`Pack` and :func:`build_pack`
  (with the count tables in ``_counts`` and the hotspot analysis in ``_hotspots``);
* :mod:`~apk_geo.reports.tables` — the pack's tables, "what changed" and the data notes as
  display text (what the tier shows is decided by :mod:`apk_geo.privacy`);
* :mod:`~apk_geo.reports.map` — the folium map and the check that a page loads no URL;
* :mod:`~apk_geo.reports.render` — HTML, PDF and PNG, and writing the files;
* :mod:`~apk_geo.reports.disclosure` — the presenter view (:class:`View`): suppression,
  pooling, the attacker's audit (``_system`` reads the pack as linear facts, ``_atoms`` cuts
  the map into what a reader can tell apart) and the coarsening it asks for.

The strings are in :mod:`apk_geo.i18n` under ``pack.`` (:func:`text` reads them by short key).

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
``"presenter"`` (default) is for a room of people from other organisations: aggregates only,
and no count that can be worked out (``docs/privacy.en.md``, ``docs/privacy.cs.md``). Notes,
assistant codes, addresses and record ids never enter a pack (:data:`PACK_COLUMNS` is the whole
of what is read from an incident), incidents are never drawn as points (grid cells instead),
counts below ``config.min_public_count`` (3) are shown as ``"<3"`` and whatever is derived from
them is withheld. :func:`build_pack` then runs disclosure control (:func:`protect`, in
:mod:`~apk_geo.reports.disclosure`): small rows of the category and outcome tables are pooled
into "ostatní (malé počty)", the hotspot table lists only cells with at least 3 incidents and
the map marks no cell whose neighbourhood holds fewer, an area with 1 or 2 incidents gets the
key figures only, and an attacker that solves everything the pack shows as one integer program
(:func:`audit_pack`, :func:`pack_system`, :func:`apk_geo.privacy.attack`) must narrow no hidden
count below the interval "<3" — the pack is coarsened (pool more rows, drop a column, withhold
a table, key figures only) until it cannot. The pack's :class:`View` holds the decisions;
:mod:`~apk_geo.reports.tables` only formats them.
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

from apk_geo.reports._system import pack_system
from apk_geo.reports._view import View
from apk_geo.reports.data import (
    DEFAULT_CELL_SIZE_M,
    EMERGING_MONTHS,
    INTENSIFYING_CLASSES,
    NEW_CLASSES,
    NOTABLE_ALPHA,
    PACK_COLUMNS,
    STOP_LABEL_RADIUS_M,
    AreaKind,
    AreaRef,
    DataNotes,
    KeyFigures,
    Pack,
    ReportData,
    build_pack,
    month_label,
    pack_filename,
    parse_month,
    resolve_areas,
)
from apk_geo.reports.disclosure import LADDERS, audit_pack, initial_view, protect
from apk_geo.reports.map import NON_LOADING_URLS, build_map, external_urls, map_html
from apk_geo.reports.render import (
    FORMATS,
    PDF_MAP_SIZE_PX,
    PNG_SIZE_PX,
    Format,
    Renderer,
    footer,
    render_html,
    render_pdf,
    render_png,
    write_pack,
)
from apk_geo.reports.tables import TABLES, changed_items, notes, tables, text

__all__ = [
    "DEFAULT_CELL_SIZE_M",
    "EMERGING_MONTHS",
    "FORMATS",
    "INTENSIFYING_CLASSES",
    "LADDERS",
    "NEW_CLASSES",
    "NON_LOADING_URLS",
    "NOTABLE_ALPHA",
    "PACK_COLUMNS",
    "PDF_MAP_SIZE_PX",
    "PNG_SIZE_PX",
    "STOP_LABEL_RADIUS_M",
    "TABLES",
    "AreaKind",
    "AreaRef",
    "DataNotes",
    "Format",
    "KeyFigures",
    "Pack",
    "Renderer",
    "ReportData",
    "View",
    "audit_pack",
    "build_map",
    "build_pack",
    "changed_items",
    "external_urls",
    "footer",
    "initial_view",
    "map_html",
    "month_label",
    "notes",
    "pack_filename",
    "pack_system",
    "parse_month",
    "protect",
    "render_html",
    "render_pdf",
    "render_png",
    "resolve_areas",
    "tables",
    "text",
    "write_pack",
]
