"""User-interface strings, Czech first, English available: ``t(key, lang)``.

Every label, message and layer name the dashboard, the maps and the MDT meeting packs show
comes from :data:`STRINGS`, the one string catalogue. Keys are dotted (``page.map``,
``msg.empty_filter``); the packs' strings are under ``pack.`` (``pack.title``,
``pack.ui.prev`` for the presenter page) and month names under ``month.`` (``month.1`` is
January). Category and outcome labels come from :mod:`apk_geo.schema` (``label_of``), not from
here.

Fields
------
A text may hold ``str.format`` fields (``{n}``), filled from keyword arguments; both languages of
a key hold the same fields. :func:`t` (and :func:`fill` for a text read with :func:`section`)
formats each value in the text's language through :mod:`apk_geo.fmt`:

- an integer: ``{n}`` → ``1 234`` (Czech, non-breaking space) / ``1,234``;
- a float: ``{km:.1f}`` → ``11,6`` / ``11.6`` (any ``.Nf``), ``{x}`` → up to three decimals;
- a share: ``{share:.0%}`` → ``97 %`` / ``97%`` (any ``.N%``);
- a truth value: ``{b}`` → ``ano``/``ne`` (``yes``/``no``);
- a date → ``1. 12. 2026`` / ``1 Dec 2026``, a datetime → ``1. 12. 2026 05:04``, a monthly
  :class:`pandas.Period` → ``listopad 2026`` / ``November 2026`` (also ``{d:month}`` for a date);
- anything else (text, and specs such as ``{byte:02X}`` or ``{x!r}``) as ``str.format`` does.

Plural forms
------------
``{n:plural:FORM|FORM|…}`` is replaced by the form of a word that goes with the number ``n``, by the
CLDR plural rules of the language (:func:`apk_geo.fmt.plural`). The forms are listed in the order
of the language's categories: Czech ``one|few|many|other`` (1 | 2–4 | decimals | 0, 5 and more;
``many`` may be left out, three forms are ``one|few|other``), English ``one|other``. The number
itself is a separate field, so a count reads ``{n} {n:plural:záznam|záznamy|záznamů}``:
"1 záznam", "2 záznamy", "5 záznamů"; a verb agrees the same way (``{n:plural:je|jsou|je}``).
A form may not contain ``|``, ``{`` or ``}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final, Literal

from apk_geo import fmt

Lang = Literal["cs", "en"]
LANGS: Final[tuple[Lang, ...]] = ("cs", "en")
DEFAULT_LANG: Final[Lang] = "cs"

_S: dict[str, tuple[str, str]] = {
    # navigation and shared
    "app.title": ("APK geo – mapa událostí a hotspotů", "APK geo – incident and hotspot map"),
    "nav.map": ("Mapa", "Map"),
    "nav.hotspots": ("Hotspoty", "Hotspots"),
    "nav.trends": ("Trendy", "Trends"),
    "nav.data": ("Data", "Data"),
    "nav.routes": ("Trasy", "Routes"),
    "nav.mdt": ("MDT porady", "MDT meetings"),
    "sidebar.language": ("Jazyk / Language", "Jazyk / Language"),
    "sidebar.filters": ("Filtry", "Filters"),
    "sidebar.store": ("Úložiště", "Store"),
    "sidebar.data_until": ("Data do {date}", "Data up to {date}"),
    "banner.synthetic": (
        "⚠️ Zobrazená data jsou syntetická demo data, ne skutečné záznamy asistentů.",
        "⚠️ The data shown are synthetic demo data, not real assistant records.",
    ),
    # Streamlit's own texts, replaced in the browser (app_pages/_chrome.py); English is Streamlit's
    "chrome.upload": ("Nahrát", "Upload"),
    "chrome.upload_directories": ("Nahrát složky", "Upload directories"),
    "chrome.drop_file": ("Sem přetáhněte soubor", "Drag and drop a file here"),
    "chrome.drop_files": ("Sem přetáhněte soubory", "Drag and drop files here"),
    "chrome.drop_directories": ("Sem přetáhněte složky", "Drag and drop directories here"),
    "chrome.per_file": ("{size} na soubor", "{size} per file"),
    "chrome.select_all": ("Vybrat vše", "Select all"),
    "chrome.select_matches": ("Vybrat nalezené ({n})", "Select {n} matches"),
    "chrome.no_results": ("Žádné výsledky", "No results"),
    "chrome.clear_all": ("Zrušit výběr", "Clear all"),
    "chrome.choose_option": ("Vyberte možnost", "Choose an option"),
    "chrome.choose_options": ("Vyberte možnosti", "Choose options"),
    "chrome.choose_date": ("Vyberte datum", "Choose date"),
    "chrome.choose_date_range": ("Vyberte období", "Choose date range"),
    "chrome.page_not_found": ("Stránka nenalezena", "Page not found"),
    "chrome.page_not_found_text": (
        "Požadovaná stránka neexistuje. Otevírám hlavní stránku aplikace.",
        "The page that you have requested does not seem to exist. Running the app's main page.",
    ),
    # filters
    "filter.period": ("Období", "Period"),
    "filter.range": ("Od – do", "From – to"),
    "filter.categories": ("Kategorie", "Categories"),
    "filter.outcomes": ("Výsledek", "Outcome"),
    "filter.districts": ("Městské obvody", "City districts"),
    "filter.mdt_areas": ("Oblasti MDT", "MDT areas"),
    "filter.weekdays": ("Dny v týdnu", "Weekdays"),
    "filter.hours": ("Hodiny", "Hours"),
    "filter.all": ("vše", "all"),
    "preset.7d": ("posledních 7 dní", "last 7 days"),
    "preset.30d": ("posledních 30 dní", "last 30 days"),
    "preset.90d": ("posledních 90 dní", "last 90 days"),
    "preset.this_month": ("tento měsíc", "this month"),
    "preset.last_month": ("minulý měsíc", "last month"),
    "preset.custom": ("vlastní", "custom"),
    "weekday.0": ("pondělí", "Monday"),
    "weekday.1": ("úterý", "Tuesday"),
    "weekday.2": ("středa", "Wednesday"),
    "weekday.3": ("čtvrtek", "Thursday"),
    "weekday.4": ("pátek", "Friday"),
    "weekday.5": ("sobota", "Saturday"),
    "weekday.6": ("neděle", "Sunday"),
    # KPI cards
    "kpi.incidents": ("Události", "Incidents"),
    "kpi.change": ("Změna proti předchozímu období", "Change vs previous period"),
    "kpi.resolved": ("Vyřešeno na místě asistenty", "Resolved on the spot by assistants"),
    "kpi.patrol": ("Přivolána hlídka", "Patrol called"),
    "kpi.previous": ("předchozí období: {n}", "previous period: {n}"),
    "kpi.na": ("–", "–"),
    # fields
    "field.category": ("Kategorie", "Category"),
    "field.date": ("Datum", "Date"),
    "field.outcome": ("Výsledek", "Outcome"),
    "field.geocoding": ("Kvalita geokódování", "Geocoding quality"),
    "field.incidents": ("Události", "Incidents"),
    "field.risk": ("Riziko", "Risk"),
    "field.count": ("Počet", "Count"),
    "field.period": ("Období", "Period"),
    "field.weekday": ("Den", "Weekday"),
    "field.hour": ("Hodina", "Hour"),
    "field.year_before": ("Před rokem", "A year earlier"),
    "field.diff": ("Rozdíl", "Difference"),
    # columns of the top-hotspot table (kpi.hotspot_table)
    "column.rank": ("Pořadí", "Rank"),
    "column.label": ("Místo", "Place"),
    "column.n": ("Počet", "Count"),
    "column.hotspot_class": ("Třída Gi*", "Gi* class"),
    "column.gi_z": ("Gi* (z)", "Gi* (z)"),
    "column.risk": ("Riziko", "Risk"),
    "column.density_km2": ("Hustota [na km²]", "Density [per km²]"),
    "column.trend_z": ("Trend (z)", "Trend (z)"),
    "column.emerging_class": ("Vývoj hotspotu", "Emerging class"),
    "column.date_from": ("Od", "From"),
    "column.date_to": ("Do", "To"),
    # map
    "map.tiles": ("Podkladová mapa", "Base map"),
    "map.tiles_none": ("bez podkladu (offline)", "none (offline)"),
    "map.tiles_osm": ("OpenStreetMap", "OpenStreetMap"),
    "map.tiles_cuzk_ortho": ("Ortofoto ČÚZK", "ČÚZK orthophoto"),
    "map.legend": ("Legenda", "Legend"),
    "map.synthetic_data": ("syntetická demo data", "synthetic demo data"),
    "map.aggregated": (
        "Událostí je mnoho ({n}); mapa ukazuje jejich počty ve čtvercích {cell} m.",
        "There are many incidents ({n}); the map shows counts per {cell} m square.",
    ),
    "map.show_hotspots": ("Zobrazit výsledky hotspotů", "Show hotspot results"),
    "map.hotspot_method": ("Hotspoty: {method}", "Hotspots: {method}"),
    "map.show_risk": (
        "Riziko na další období (předpověď)",
        "Risk for the next period (forecast)",
    ),
    "layer.city": ("Hranice města", "City boundary"),
    "layer.districts": ("Městské obvody", "City districts"),
    "layer.svl": ("Sociálně vyloučené lokality (SVL)", "Socially excluded localities (SVL)"),
    "layer.hostels": ("Ubytovny a okolí", "Hostels and buffers"),
    "layer.incidents": ("Události", "Incidents"),
    "layer.incident_cells": ("Události (počty ve čtvercích)", "Incidents (counts per square)"),
    "layer.heat": ("Teplotní mapa", "Heat map"),
    "layer.gistar": ("Hotspoty Gi*", "Gi* hotspots"),
    "layer.clusters": ("Shluky", "Clusters"),
    "layer.risk": ("Předpověď rizika", "Forecast risk"),
    "legend.few": ("málo událostí", "few incidents"),
    "legend.many": ("mnoho událostí", "many incidents"),
    "gistar.class_3": ("hotspot 99 %", "hot spot 99%"),
    "gistar.class_2": ("hotspot 95 %", "hot spot 95%"),
    "gistar.class_1": ("hotspot 90 %", "hot spot 90%"),
    "gistar.class_0": ("nevýznamné", "not significant"),
    "gistar.class_-1": ("chladné místo 90 %", "cold spot 90%"),
    "gistar.class_-2": ("chladné místo 95 %", "cold spot 95%"),
    "gistar.class_-3": ("chladné místo 99 %", "cold spot 99%"),
    # hotspots page
    "hot.title": ("Hotspoty", "Hotspots"),
    "hot.method": ("Metoda", "Method"),
    "hot.method_gistar": ("Getis-Ord Gi* na mřížce", "Getis-Ord Gi* on a grid"),
    "hot.method_kde": ("Jádrový odhad hustoty (KDE)", "Kernel density (KDE)"),
    "hot.method_clusters": ("Shluky (HDBSCAN)", "Clusters (HDBSCAN)"),
    "hot.method_forecast": ("Předpověď rizika", "Risk forecast"),
    "hot.cell_size": ("Velikost buňky [m] (0 = automaticky)", "Cell size [m] (0 = automatic)"),
    "hot.bandwidth": ("Šířka jádra [m] (0 = automaticky)", "Bandwidth [m] (0 = automatic)"),
    "hot.min_cluster": ("Nejmenší shluk (počet událostí)", "Minimum cluster size (incidents)"),
    "hot.top": ("Počet hotspotů v tabulce", "Hotspots in the table"),
    "hot.run": ("Spustit analýzu", "Run analysis"),
    "hot.none_yet": ("Zvolte metodu a spusťte analýzu.", "Choose a method and run the analysis."),
    "hot.table": ("Nejvýznamnější hotspoty", "Top hotspots"),
    "hot.select_hint": (
        "Kliknutím na řádek přiblížíte hotspot na mapě.",
        "Click a row to zoom the map to that hotspot.",
    ),
    "hot.params": ("Použité parametry", "Parameters used"),
    "hot.download_geojson": ("Stáhnout GeoJSON", "Download GeoJSON"),
    "hot.download_gpkg": ("Stáhnout GeoPackage", "Download GeoPackage"),
    "hot.download_csv": ("Stáhnout CSV", "Download CSV"),
    "hot.evaluation": (
        "Úspěšnost metody v posledním celém měsíci ({month})",
        "How well the method did in the latest complete month ({month})",
    ),
    "hot.evaluation_title": ("Úspěšnost metody", "How well the method did"),
    "hot.evaluation_hint": (
        "Metoda se naučila na všech dřívějších událostech, které splňují ostatní filtry, a "
        "hodnotí se na událostech měsíce {month}.",
        "The method learnt from every earlier incident that passes the other filters and is "
        "scored on the incidents of {month}.",
    ),
    "hot.pai": ("PAI (index přesnosti předpovědi)", "PAI (prediction accuracy index)"),
    "hot.hit_rate": ("Podíl zachycených událostí", "Hit rate"),
    "hot.coverage": ("při pokrytí {pct} % plochy", "at {pct}% of the area"),
    "hot.eval_unavailable": (
        "Vyhodnocení není k dispozici: {reason}",
        "Evaluation not available: {reason}",
    ),
    "hot.failed": ("Analýza se nezdařila: {reason}", "The analysis failed: {reason}"),
    "hot.module_missing": (
        "Modul {name} ještě není k dispozici.",
        "Module {name} is not available yet.",
    ),
    # trends page
    "trend.title": ("Trendy", "Trends"),
    "trend.freq": ("Krok", "Interval"),
    "trend.week": ("týden", "week"),
    "trend.month": ("měsíc", "month"),
    "trend.by": ("Rozdělit podle", "Split by"),
    "trend.by_none": ("celkem", "total"),
    "trend.area": ("Území", "Area"),
    "trend.area_city": ("celé město", "whole city"),
    "trend.area_district": ("městský obvod", "city district"),
    "trend.area_svl": ("SVL", "SVL"),
    "trend.area_hostel": ("okolí ubytovny", "hostel buffer"),
    "trend.area_name": ("Název", "Name"),
    "trend.series": ("Vývoj počtu událostí", "Incidents over time"),
    "trend.too_short": (
        "Zvolené období zabírá jen jeden krok; pro vývoj v čase zvolte delší období "
        "(např. posledních 90 dní nebo vlastní) nebo krok týden.",
        "The selected period spans a single interval; for a trend choose a longer period "
        "(e.g. the last 90 days or a custom range) or the weekly interval.",
    ),
    "trend.heatmap": ("Den v týdnu × hodina", "Weekday × hour"),
    "trend.yoy": (
        "Stejný měsíc před rokem ({month} × {before})",
        "Same month a year earlier ({month} vs {before})",
    ),
    # data page
    "data.title": ("Data", "Data"),
    "data.upload": ("Nahrát export (CSV nebo XLSX)", "Upload an export (CSV or XLSX)"),
    "data.source": ("Zdroj (název exportu)", "Source (name of the export)"),
    "data.import": ("Importovat", "Import"),
    "data.imported": ("Soubor {name} je importován.", "The file {name} has been imported."),
    "data.no_file": (
        "Nejdřív vyberte soubor s exportem (CSV nebo XLSX).",
        "Choose an export file (CSV or XLSX) first.",
    ),
    "data.imported_quarantine": (
        "{n} {n:plural:záznam|záznamy|záznamů} z tohoto souboru {n:plural:je|jsou|je} v karanténě; "
        "důvody jsou v tabulce níže.",
        "{n} {n:plural:record|records} of this file {n:plural:is|are} in the quarantine; the "
        "reasons are in the table below.",
    ),
    "data.quarantine_download_this": (
        "Stáhnout karanténu tohoto souboru (CSV)",
        "Download this file's quarantine (CSV)",
    ),
    "data.bad_upload": (
        "Soubor nelze importovat: {reason}",
        "The file cannot be imported: {reason}",
    ),
    "data.quarantine": (
        "Karanténa (odmítnuté záznamy s důvodem)",
        "Quarantine (rejected records with the reason)",
    ),
    "data.quarantine_download": ("Stáhnout karanténu (CSV)", "Download the quarantine (CSV)"),
    "data.status": ("Stav úložiště", "Store status"),
    "data.imports": ("Poslední importy", "Last imports"),
    "data.layers": ("Vrstvy, jejich původ a licence", "Layers, their origin and licence"),
    "data.layer": ("Vrstva", "Layer"),
    "data.rows": ("Záznamů", "Rows"),
    "data.origin": ("Původ a licence", "Origin and licence"),
    "data.synthetic": ("Syntetická", "Synthetic"),
    "data.item": ("Položka", "Item"),
    "data.value": ("Hodnota", "Value"),
    "status.store": ("Soubor úložiště", "Store file"),
    "status.incidents": ("Události celkem", "Incidents"),
    "status.geocoded": ("s polohou", "with a location"),
    "status.not_geocoded": (
        "bez polohy (geokódování selhalo)",
        "without a location (not geocoded)",
    ),
    "status.quarantined": ("v karanténě", "in the quarantine"),
    "status.sources": ("Zdroje", "Sources"),
    "status.date_from": ("První událost", "First incident"),
    "status.date_to": ("Poslední událost", "Last incident"),
    "status.imports": ("Počet importů", "Imports"),
    "status.synthetic": ("Syntetická demo data", "Synthetic demo data"),
    # columns of the import counts, the import log and the quarantine
    "column.read": ("Načteno", "Read"),
    "column.accepted": ("Přijato", "Accepted"),
    "column.updated": ("Aktualizováno", "Updated"),
    "column.duplicates": ("Duplicity", "Duplicates"),
    "column.quarantined": ("Do karantény", "Quarantined"),
    "column.not_geocoded": ("Bez polohy", "Not geocoded"),
    "column.import_id": ("Import", "Import"),
    "column.source": ("Zdroj", "Source"),
    "column.file": ("Soubor", "File"),
    "column.imported_at": ("Importováno", "Imported at"),
    "column.details": ("Podrobnosti", "Details"),
    "column.line": ("Řádek", "Line"),
    "column.field": ("Pole", "Field"),
    "column.value": ("Hodnota", "Value"),
    "column.expected": ("Očekáváno", "Expected"),
    "column.reason": ("Důvod", "Reason"),
    "column.raw": ("Původní řádek", "Raw row"),
    # messages
    "msg.empty_filter": (
        "Filtru neodpovídá žádná událost. Rozšiřte období nebo zrušte některý filtr.",
        "No incident matches the filter. Widen the period or clear a filter.",
    ),
    "msg.assets_missing": (
        "{n:plural:Chybí|Chybějí|Chybí} {n} {n:plural:soubor|soubory|souborů} map (Leaflet a "
        "další); mapy se bez nich nezobrazí. Nainstalujte je příkazem `apk-geo assets install`.",
        "{n} map {n:plural:file|files} (Leaflet and others) {n:plural:is|are} missing; maps "
        "cannot be drawn without them. Install them with `apk-geo assets install`.",
    ),
    "msg.no_store": ("Úložiště {path} neexistuje.", "The store {path} does not exist."),
    "msg.no_store_hint": (
        "Spusťte dashboard s `-- --store CESTA` nebo nastavte `APK_GEO_STORE`, nebo vytvořte "
        "syntetické demo úložiště tlačítkem níže.",
        "Start the dashboard with `-- --store PATH` or set `APK_GEO_STORE`, or build the "
        "synthetic demo store with the button below.",
    ),
    "msg.build_demo": ("Vytvořit demo úložiště", "Build the demo store"),
    "msg.demo_built": ("Demo úložiště vytvořeno.", "Demo store built."),
    "msg.demo_missing": (
        "Tvorba dema ještě není k dispozici (modul apk_geo.demo).",
        "Building the demo is not available yet (module apk_geo.demo).",
    ),
    "msg.store_error": ("Úložiště nelze otevřít: {reason}", "The store cannot be opened: {reason}"),
    "msg.no_geocoded": (
        "{n} {n:plural:událost|události|událostí} {n:plural:nemá|nemají|nemá} souřadnice "
        "(geokódování selhalo) a na mapě {n:plural:chybí|chybějí|chybí}.",
        "{n} {n:plural:incident has|incidents have} no coordinates (geocoding failed) and "
        "{n:plural:is|are} not on the map.",
    ),
    # patrol routes page
    "route.title": ("Trasy hlídky", "Patrol routes"),
    "route.start_marker": ("Start", "Start"),
    "route.end_marker": ("Cíl", "End"),
    "route.date": ("Datum směny", "Shift date"),
    "route.start_time": ("Začátek", "Start"),
    "route.minutes": ("Délka směny (min)", "Shift (min)"),
    "route.start": ("Start (adresa, nebo šířka, délka)", "Start (address, or lat, lon)"),
    "route.end": ("Cíl (prázdné = start)", "End (empty = start)"),
    "route.dwell": ("Zastávka (min)", "Stop (min)"),
    "route.mode": ("Pohyb", "Travel"),
    "route.foot": ("pěšky", "on foot"),
    "route.car": ("autem", "by car"),
    "route.max_stops": ("Max. zastávek (0 = bez limitu)", "Max. stops (0 = no limit)"),
    "route.revisit": ("Opakovaná návštěva po (min, 0 = ne)", "Revisit after (min, 0 = no)"),
    "route.top_n": ("Kandidátů", "Candidates"),
    "route.plan": ("Naplánovat", "Plan"),
    "route.none_yet": (
        "Vyplňte formulář a naplánujte trasu.",
        "Fill in the form and plan a route.",
    ),
    "route.bad_point": (
        "Zadejte start jako adresu nebo jako šířka, délka (např. 49.8353, 18.2920).",
        "Give the start as an address or as lat, lon (e.g. 49.8353, 18.2920).",
    ),
    "route.failed": ("Trasu nelze naplánovat: {reason}", "Cannot plan the route: {reason}"),
    "route.summary": (
        "{n} {n:plural:zastávka|zastávky|zastávek} · {km:.1f} km · {min:.0f} min · pokrytí {cov}",
        "{n} {n:plural:stop|stops} · {km:.1f} km · {min:.0f} min · coverage {cov}",
    ),
    "route.gpx": ("Stáhnout GPX", "Download GPX"),
    "route.json": ("Stáhnout JSON", "Download JSON"),
    "route.html": ("Tisk (HTML)", "Print (HTML)"),
    "route.must": (
        "Povinná místa (jedno na řádek: název | šířka, délka nebo adresa | od-do)",
        "Must-visit places (one a line: name | lat, lon or address | from-to)",
    ),
    "route.must_example": (
        "ZŠ Ostrčilova | 49.8405, 18.2856 | 07:35-07:50",
        "ZŠ Ostrčilova | 49.8405, 18.2856 | 07:35-07:50",
    ),
    "route.must_help": (
        "Trasa tato místa vždy zahrne; zastávka začne v zadaném čase (např. u školy před "
        "začátkem vyučování). Čas je nepovinný.",
        "The route always includes these places; the stop starts within the given times (e.g. "
        "at a school before lessons). The times are optional.",
    ),
    "route.col_order": ("č.", "No."),
    "route.col_name": ("Místo", "Place"),
    "route.col_visit": ("Návštěva", "Visit"),
    "route.col_must": ("Povinné", "Must"),
    "route.col_arrive": ("Příchod", "Arrive"),
    "route.col_wait": ("Čekání (min)", "Wait (min)"),
    "route.col_depart": ("Odchod", "Depart"),
    "route.col_priority": ("Priorita", "Priority"),
    "route.col_leg": ("Úsek (m)", "Leg (m)"),
    "route.revisit_mark": ("2. návštěva", "revisit"),
    "route.collected": (
        "Získaná priorita {got:.2f} z {of:.2f} (očekávané události směny v kandidátech); "
        "pokrytí = podíl očekávaných událostí směny do {r:.0f} m od zastávky.",
        "Priority collected {got:.2f} of {of:.2f} (the shift's expected incidents at the "
        "candidates); coverage = share of the shift's expected incidents within {r:.0f} m of "
        "a stop.",
    ),
    # calendar months (month.1 = January), as in "říjen 2026" / "October 2026"
    "month.1": ("leden", "January"),
    "month.2": ("únor", "February"),
    "month.3": ("březen", "March"),
    "month.4": ("duben", "April"),
    "month.5": ("květen", "May"),
    "month.6": ("červen", "June"),
    "month.7": ("červenec", "July"),
    "month.8": ("srpen", "August"),
    "month.9": ("září", "September"),
    "month.10": ("říjen", "October"),
    "month.11": ("listopad", "November"),
    "month.12": ("prosinec", "December"),
    # MDT meeting packs (apk_geo.reports): pages, tables, notes
    "pack.title": ("MDT porada – {area}", "MDT meeting – {area}"),
    "pack.subtitle": ("Podklady za {month}", "Meeting pack for {month}"),
    "pack.kind.mdt_area": ("oblast MDT", "MDT area"),
    "pack.kind.district": ("městský obvod", "city district"),
    "pack.tier.presenter": (
        "Pro prezentaci: jen souhrnné údaje o místech; počty pod {k} jsou uvedeny jako „<{k}“.",
        "For presentation: aggregate figures about places only; counts below {k} are shown as "
        "“<{k}”.",
    ),
    "pack.tier.internal": (
        "INTERNÍ – obsahuje přesné počty a polohy událostí; neukazovat mimo tým APK",
        "INTERNAL – holds exact counts and incident locations; do not show outside the APK team",
    ),
    "pack.synthetic": (
        "SYNTETICKÁ DEMO DATA – nejde o skutečné záznamy",
        "SYNTHETIC DEMO DATA – not real records",
    ),
    "pack.key": ("Klíčové údaje", "Key figures"),
    "pack.this_month": ("Tento měsíc", "This month"),
    "pack.prev_month": ("Předchozí měsíc", "Previous month"),
    "pack.year_before": ("Stejný měsíc před rokem", "Same month a year earlier"),
    "pack.vs": ("změna", "change"),
    "pack.no_data": ("bez dat", "no data"),
    "pack.categories": ("Kategorie", "Categories"),
    "pack.outcomes": ("Výsledek", "Outcome"),
    "pack.share": ("Podíl", "Share"),
    "pack.pooled": ("ostatní (malé počty)", "other (small counts)"),
    "pack.map": ("Mapa hotspotů", "Hotspot map"),
    "pack.map_note": (
        "Getis-Ord Gi* z počtů událostí měsíce ve čtvercích {cell} m; čísla odkazují na tabulku.",
        "Getis-Ord Gi* of the month's counts in {cell} m squares; numbers refer to the table.",
    ),
    "pack.hotspots": ("Nejvýznamnější hotspoty", "Top hotspots"),
    "pack.no_hotspots": (
        "Tento měsíc bez významného hotspotu.",
        "No significant hot spot this month.",
    ),
    "pack.place": ("Místo", "Place"),
    "pack.class": ("Třída Gi*", "Gi* class"),
    "pack.emerging": (
        "Vývoj ({n} {n:plural:měsíc|měsíce|měsíců})",
        "Trend ({n} {n:plural:month|months})",
    ),
    "pack.change": ("Změna", "Change"),
    "pack.places": ("SVL a ubytovny", "SVL and hostels"),
    "pack.no_places": ("V území není žádná SVL ani ubytovna.", "No SVL or hostel in the area."),
    "pack.kind": ("Typ", "Type"),
    "pack.svl": ("SVL", "SVL"),
    "pack.hostel": ("okolí ubytovny ({m} m)", "hostel buffer ({m} m)"),
    "pack.rate": ("Na 10 ha a měsíc", "Per 10 ha and month"),
    "pack.ratio": ("Poměr ke zbytku území", "Ratio to the rest of the area"),
    "pack.changed": ("Co se změnilo", "What changed"),
    "pack.new_hot": ("Nové hotspoty", "New hot spots"),
    "pack.intensifying_hot": ("Sílící hotspoty", "Intensifying hot spots"),
    "pack.rising": ("Kategorie výrazně nahoru", "Categories notably up"),
    "pack.falling": ("Kategorie výrazně dolů", "Categories notably down"),
    "pack.none": ("žádné", "none"),
    "pack.notes": ("Poznámky k datům", "Data notes"),
    "pack.period": ("Období", "Period"),
    "pack.span": ("Data v úložišti", "Data in the store"),
    "pack.geocoding": ("Geokódování", "Geocoding"),
    "pack.geocoding_text": (
        "{ok} z {n} {n:plural:záznamu|záznamů|záznamů} měsíce (celé město) umístěno na mapu "
        "({pct}); záznamy bez polohy nemají území a v podkladech chybí.",
        "{ok} of the month's {n} {n:plural:record|records} (whole city) placed on the map "
        "({pct}); records without a location have no area and are not in this pack.",
    ),
    "pack.quarantine": ("Karanténa", "Quarantine"),
    "pack.privacy": ("Malé počty", "Small counts"),
    "pack.privacy_text": (
        "Řádky tabulky s počtem pod {k}, který by šel dopočítat z celkového součtu, jsou "
        "sloučeny do řádku „{pooled}“ (vždy aspoň dva řádky), takže žádný malý počet nelze "
        "odečtením zjistit.",
        "Table rows with a count below {k} that the total would give away are merged into one "
        "row “{pooled}” (always at least two rows), so no small count can be worked out by "
        "subtraction.",
    ),
    "pack.quarantine_text": (
        "{n} {n:plural:záznam|záznamy|záznamů} úložiště {n:plural:odmítnut|odmítnuty|odmítnuto} "
        "při importu (území neznámé)",
        "{n} {n:plural:record|records} of the store rejected at import (area unknown)",
    ),
    "pack.methods": ("Metody", "Methods"),
    "pack.methods_text": (
        "Gi* s korekcí FDR (Benjamini–Hochberg) na čtvercích {cell} m; vývoj hotspotů podle "
        "Emerging Hot Spot Analysis za {n} {n:plural:měsíc|měsíce|měsíců}; výrazná změna "
        "kategorie: přesný test dvou Poissonových počtů, p < {alpha}.",
        "Gi* with FDR correction (Benjamini–Hochberg) on {cell} m squares; emerging hot-spot "
        "analysis over {n} {n:plural:month|months}; notable category change: exact test of two "
        "Poisson counts, p < {alpha}.",
    ),
    "pack.emerging_skipped": ("vývoj nelze určit: {reason}", "trend not available: {reason}"),
    "pack.generated": ("Vytvořeno aplikací apk-geo", "Made with apk-geo"),
    "pack.page": ("strana", "page"),
    # the presenter page (app_pages/presenter.py)
    "pack.ui.prev": ("◀ Předchozí oblast", "◀ Previous area"),
    "pack.ui.next": ("Další oblast ▶", "Next area ▶"),
    "pack.ui.month": ("Měsíc", "Month"),
    "pack.ui.position": ("oblast {i} z {n}", "area {i} of {n}"),
    "pack.ui.fullscreen": ("Mapa přes celou obrazovku", "Full-screen map"),
    "pack.ui.download_html": ("Stáhnout podklady (HTML)", "Download the pack (HTML)"),
    "pack.ui.make_pdf": ("Vytvořit PDF", "Make the PDF"),
    "pack.ui.download_pdf": ("Stáhnout PDF", "Download the PDF"),
    "pack.ui.no_month": (
        "Úložiště nemá žádný celý měsíc dat.",
        "The store holds no complete month.",
    ),
    "pack.ui.failed": ("Podklady nelze vytvořit: {reason}", "The pack cannot be made: {reason}"),
    # --- patrol route sheets, GPX and JSON exports (apk_geo.routes.export)
    "sheet.title": ("Trasa hlídky", "Patrol route"),
    "sheet.shift": ("Směna", "Shift"),
    "sheet.start": ("Start", "Start"),
    "sheet.end": ("Cíl", "End"),
    "sheet.order": ("č.", "No."),
    "sheet.place": ("Místo", "Place"),
    "sheet.arrive": ("Příchod", "Arrive"),
    "sheet.depart": ("Odchod", "Depart"),
    "sheet.wait": ("Čekání", "Wait"),
    "sheet.priority": ("Priorita", "Priority"),
    "sheet.leg": ("Úsek", "Leg"),
    "sheet.distance": ("Vzdálenost", "Distance"),
    "sheet.duration": ("Trvání", "Duration"),
    "sheet.stops": ("Zastávek", "Stops"),
    "sheet.collected": ("Získaná priorita", "Priority collected"),
    "sheet.coverage": (
        "Podíl očekávaných událostí do {r} m od zastávky",
        "Share of expected incidents within {r} m of a stop",
    ),
    "sheet.revisit": ("2. návštěva", "revisit"),
    "sheet.must": ("povinné", "must visit"),
    "sheet.notes": ("Poznámky", "Notes"),
    "sheet.generated": ("Vytvořeno programem apk-geo", "Made with apk-geo"),
    "sheet.min": ("min", "min"),
    "sheet.signature": ("Podpis mentora", "Mentor's signature"),
    "sheet.gpx_depart": ("odchod {t}", "depart {t}"),
    "sheet.gpx_arrive": ("příchod {t}", "arrive {t}"),
    "sheet.gpx_stop": (
        "příchod {arrive}, odchod {depart}, priorita {priority}",
        "arrive {arrive}, depart {depart}, priority {priority}",
    ),
    # dashboard journeys (issue 11): state, areas, readable results, presenter, errors
    "sidebar.no_filters": (
        "Filtry na této stránce neplatí.",
        "The filters do not apply on this page.",
    ),
    "msg.page_failed": (
        "Stránku se nepodařilo zobrazit; podrobnosti jsou v protokolu aplikace.",
        "The page could not be shown; the details are in the application log.",
    ),
    "area.city": ("celé město", "whole city"),
    "area.label": ("Území: {area}", "Area: {area}"),
    "place.stop": ("zastávka", "stop"),
    "place.unnamed": ("místo bez názvu", "unnamed place"),
    "field.address": ("Adresa", "Address"),
    "legend.counts": ("Počet událostí", "Incidents"),
    "legend.gistar": ("Významnost (Gi*)", "Significance (Gi*)"),
    "legend.risk": ("Předpověď rizika", "Forecast risk"),
    "legend.low": ("nízké", "low"),
    "legend.high": ("vysoké", "high"),
    "map.tiles_local": ("místní podkladová mapa (offline)", "local base map (offline)"),
    "map.hotspot_method_area": ("Hotspoty: {method} · {area}", "Hotspots: {method} · {area}"),
    "map.hotspots_unavailable": (
        "Hotspoty nelze spočítat: {reason}",
        "Hotspots cannot be computed: {reason}",
    ),
    "map.risk_unavailable": (
        "Na předpověď rizika je v tomto výběru málo dat.",
        "There are too few data in this selection for a risk forecast.",
    ),
    "hot.running": ("Počítám hotspoty…", "Computing hotspots…"),
    "hot.explain_gistar": (
        "{n} ve čtverci, {area} se sousedy: {cls}",
        "{n} in the square, {area} with its neighbours: {cls}",
    ),
    "hot.explain_kde": (
        "{n} ve čtverci, hustota {d:.0f} na km²",
        "{n} in the square, density {d:.0f} per km²",
    ),
    "hot.explain_risk": (
        "{n} ve čtverci, riziko {risk:.3f}",
        "{n} in the square, risk {risk:.3f}",
    ),
    "hot.explain_note": (
        "Gi* hodnotí čtverec i s jeho osmi sousedy: hotspot je místo, kde je událostí v okolí "
        "výrazně víc než jinde ve zvoleném území, i když ve čtverci samotném může být jen pár.",
        "Gi* judges a square together with its eight neighbours: a hot spot is a place with "
        "markedly more incidents around it than elsewhere in the area, even if the square "
        "itself holds only a few.",
    ),
    "hot.evaluation_area": (
        "Úspěšnost v území: {area} (plocha se počítá jen v něm).",
        "Success within: {area} (the area share counts only there).",
    ),
    "hot.method_applies": (
        "Výsledky se přepočítají po každé změně.",
        "Results update on every change.",
    ),
    "column.n_area": ("Počet se sousedy", "Count with neighbours"),
    "column.explain": ("Co to znamená", "What it means"),
    "column.period": ("Období", "Period"),
    "column.top_categories": ("Nejčastější kategorie", "Top categories"),
    "trend.auto": ("automaticky", "automatic"),
    "trend.day": ("den", "day"),
    "trend.dropped": (
        "Neúplná období vynechána: {periods}.",
        "Incomplete periods left out: {periods}.",
    ),
    "route.base": ("Výchozí místo", "Base"),
    "route.base_custom": (
        "jiné místo (adresa nebo souřadnice)",
        "another place (address or coordinates)",
    ),
    "route.start_click": (
        "Nebo klikněte do mapy: bod se použije jako start.",
        "Or click the map: the point becomes the start.",
    ),
    "route.clicked": (
        "bod z mapy {lat:.5f}; {lon:.5f}",
        "point on the map {lat:.5f}, {lon:.5f}",
    ),
    "route.suggest": ("Myslíte: {options}?", "Did you mean: {options}?"),
    "route.address_not_found": (
        "Adresu „{text}“ v adresních místech úložiště nenacházím.",
        "The address “{text}” is not among the store's address points.",
    ),
    "route.found": ("Nalezeno: {address}", "Found: {address}"),
    "route.synthetic_line": (
        "SYNTETICKÁ DEMO DATA – nejde o skutečné události",
        "SYNTHETIC DEMO DATA – not real incidents",
    ),
    "mdt.fit_hint": (
        "Celá obrazovka: mapa vyplní okno; tlačítkem ⛶ v mapě přes celou obrazovku.",
        "Full screen: the map fills the window; the ⛶ button in the map covers the screen.",
    ),
    "mdt.locked": ("Režim prezentace (uzamčeno)", "Presentation mode (locked)"),
    # import counts of the store (issue 10)
    "column.stale": ("Zastaralé", "Stale"),
    "column.reverted": ("Vráceno na starší verzi", "Reverted"),
    "column.versions_kept": ("Uložené verze", "Versions kept"),
    # --- io (import reader messages)
    "io.where.column": ("sloupec {n} („{name}“)", "column {n} ('{name}')"),
    "io.value.fields": ("{n} {n:plural:pole|pole|polí}", "{n} {n:plural:field|fields}"),
    "io.expected.fields": (
        "{n} {n:plural:pole|pole|polí} jako v záhlaví",
        "{n} {n:plural:field|fields} as in the header",
    ),
    "io.expected.closed_quote": (
        "uvozovky uzavřené v rámci záznamu",
        "a quote that closes within the record",
    ),
    "io.reason.unclosed_quote": (
        "neuzavřené uvozovky: {column} otevírá uvozovky, které se neuzavřou před dalším záznamem "
        "(řádek {next_line}); záznam je v karanténě, následující záznamy jsou načteny",
        "unclosed quote: {column} opens a quote that does not close before the next record (line "
        "{next_line}); the record is quarantined, the records after it are read",
    ),
    "io.reason.unclosed_quote_eof": (
        "neuzavřené uvozovky: {column} otevírá uvozovky, které se do konce souboru neuzavřou "
        "(zkrácený soubor?)",
        "unclosed quote: {column} opens a quote that does not close before the end of the file (a "
        "truncated file?)",
    ),
    "io.reason.too_few_fields": (
        "příliš málo polí: {got}, záhlaví má {expected} (chybí pole {missing})",
        "too few fields: got {got}, expected {expected} as in the header (missing {missing})",
    ),
    "io.reason.too_many_fields": (
        "příliš mnoho polí: {got}, záhlaví má {expected} (není {delimiter!r} uvnitř hodnoty bez "
        "uvozovek?)",
        "row: got {got} fields, expected {expected} as in the header (is a {delimiter!r} inside "
        "an unquoted value?)",
    ),
    "io.reason.truncated_last_line": (
        "zkrácený poslední řádek: {got} {got:plural:pole|pole|polí} z {expected} a bez konce "
        "řádku (soubor je useknutý?)",
        "truncated last line: {got} of {expected} fields and no line ending (is the file cut "
        "short?)",
    ),
    "io.reason.formula": (
        "vzorec bez uložené hodnoty v buňce {cell} ({formula}); otevřete sešit v Excelu, nechte "
        "vzorce přepočítat a uložte ho",
        "formula without a cached value in cell {cell} ({formula}); open the workbook in Excel, "
        "let it recalculate and save it",
    ),
    "io.expected.formula_value": (
        "hodnota (buňka obsahuje vzorec bez uložené hodnoty)",
        "a value (the cell holds a formula without a cached value)",
    ),
    "io.sheet.missing_columns": (
        "chybí povinné sloupce: {columns}",
        "missing required columns: {columns}",
    ),
    "io.column.id": ("Číslo záznamu", "id (Číslo záznamu)"),
    "io.column.category": ("Kategorie", "category (Kategorie)"),
    "io.column.date": ("Datum", "reported_at (or Datum)"),
    "io.column.place": ("Adresa (nebo lat/lon či x/y)", "address (or lat/lon or x/y)"),
    "io.sheet.empty": ("prázdný list", "empty sheet"),
    "io.sheet.not_worksheet": ("není to list s tabulkou (graf)", "not a worksheet (a chart)"),
    "io.error.no_data_sheet": (
        "žádný list sešitu nemá záhlaví exportu událostí ({sheets}); sloupce Číslo záznamu, "
        "Datum, Kategorie a Adresa (nebo souřadnice) musí být v prvním řádku listu",
        "no sheet of the workbook has the header of an incident export ({sheets}); the columns "
        "Číslo záznamu, Datum, Kategorie and Adresa (or coordinates) must be in the first row of "
        "a sheet",
    ),
    "io.error.duplicate_header": (
        "záhlaví má dvakrát stejný sloupec: {first} a {second} (po sjednocení velikosti písmen, "
        "diakritiky a neviditelných znaků); přejmenujte nebo smažte jeden z nich, jinak by se "
        "data jednoho ztratila",
        "the header has the same column twice: {first} and {second} (ignoring case, accents and "
        "invisible characters); rename or delete one of them, or the data of one would be lost",
    ),
    "io.error.header_unclosed_quote": (
        "záhlaví (řádek 1) má neuzavřené uvozovky; opravte první řádek souboru",
        "the header (line 1) has an unclosed quote; fix the first line of the file",
    ),
    "io.error.encoding_unknown": (
        "neznámé kódování {name!r} (--encoding); použijte např. utf-8, utf-8-sig nebo cp1250",
        "unknown encoding {name!r} (--encoding); use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "io.error.encoding_not_text": (
        "{name!r} (--encoding) není kódování textu; použijte např. utf-8, utf-8-sig nebo cp1250",
        "{name!r} (--encoding) is not a text encoding; use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "io.error.undecodable": (
        "bajt 0x{byte:02X} na řádku {line} není platný v kódování {encoding}; uložte soubor jako "
        "UTF-8 nebo uveďte jeho kódování (--encoding)",
        "byte 0x{byte:02X} on line {line} is not valid in {encoding}; save the file as UTF-8 or "
        "name its encoding (--encoding)",
    ),
    "io.error.control_char": (
        "řídicí znak U+{code:04X} na řádku {line} ({context}): soubor není v kódování "
        "{encoding}{hint}; uložte ho jako UTF-8 nebo uveďte správné kódování (--encoding)",
        "control character U+{code:04X} on line {line} ({context}): the file is not in "
        "{encoding}{hint}; save it as UTF-8 or name the right encoding (--encoding)",
    ),
    "io.error.implausible_char": (
        "znak {char!r} na řádku {line} ({context}) se v českém textu nepíše a v souboru chybí "
        "{letters}: text je čten ve špatném kódování {encoding}{hint}; uložte soubor jako UTF-8 "
        "nebo uveďte správné kódování (--encoding)",
        "the character {char!r} on line {line} ({context}) does not occur in Czech text and the "
        "file has no {letters}: it is being read in the wrong encoding, {encoding}{hint}; save "
        "the file as UTF-8 or name the right encoding (--encoding)",
    ),
    "io.error.replacement_char": (
        "znak náhrady U+FFFD na řádku {line} ({context}): text byl poškozen už při dřívějším "
        "převodu kódování; vyexportujte soubor znovu",
        "replacement character U+FFFD on line {line} ({context}): the text was damaged by an "
        "earlier encoding conversion; export the file again",
    ),
    "io.error.mixed_encoding": (
        "soubor míchá kódování: řádek {first_line} je v {first}, od řádku {line} je text v "
        "{second}; uložte celý soubor v jednom kódování (UTF-8)",
        "the file mixes encodings: line {first_line} is {first}, from line {line} the text is "
        "{second}; save the whole file in one encoding (UTF-8)",
    ),
    "io.error.utf8_declared": (
        "soubor je v UTF-8, ne v kódování {encoding} (řádek {line}: {context}); vynechte "
        "--encoding nebo uveďte utf-8",
        "the file is UTF-8, not {encoding} (line {line}: {context}); leave out --encoding or name "
        "utf-8",
    ),
    # quarantine reasons of the record checks (apk_geo.io._messages.record_reason)
    "io.reason.record": (
        "{column}: hodnota „{value}“, očekává se {expected}",
        "{column}: got '{value}', expected {expected}",
    ),
    "io.reason.record_empty": (
        "{column}: chybí hodnota, očekává se {expected}",
        "{column}: no value, expected {expected}",
    ),
    "io.column.datetime": ("{date} + {time}", "{date} + {time}"),
    "io.expected.id": ("neprázdné číslo záznamu", "a non-empty record id"),
    "io.expected.datetime": (
        "datum a čas, např. 24.11.2026 14:05 nebo 2026-11-24T14:05 (místní čas)",
        "a date and time like 24.11.2026 14:05 or 2026-11-24T14:05 (Europe/Prague)",
    ),
    "io.expected.date_with_time": (
        "datum s časem (24.11.2026 14:05), nebo samostatný sloupec Čas",
        "a date with a time (24.11.2026 14:05), or a separate Čas column",
    ),
    "io.expected.not_before": ("čas {date} nebo pozdější", "a time on or after {date}"),
    "io.expected.not_future": (
        "čas, který není v budoucnosti (teď je {now})",
        "a time not in the future (now is {now})",
    ),
    "io.expected.category": (
        "kód nebo název kategorie, jeden z: {codes}",
        "a category code or label, one of {codes}",
    ),
    "io.expected.outcome": (
        "prázdné pole, nebo kód či název výsledku, jeden z: {codes}",
        "empty or an outcome code or label, one of {codes}",
    ),
    "io.expected.assistant": (
        "pseudonymní kód jako A07 (písmena, číslice, -, _ nebo .; žádná jména ani mezery)",
        "a pseudonymous code like A07 (letters, digits, -, _ or .; no names or spaces)",
    ),
    "io.expected.location": (
        "adresa nebo souřadnice (lat/lon nebo x/y); řádek nemá žádnou polohu",
        "an address or coordinates (lat/lon or x/y); the row has no location",
    ),
    "io.expected.pair": (
        "hodnota, protože je vyplněn sloupec {other}",
        "a value because {other} is given",
    ),
    "io.expected.number": ("číslo ({what})", "a number ({what})"),
    "io.expected.magnitude": (
        "číslo v absolutní hodnotě od {lo} do {hi} ({what}, na území Česka)",
        "a value of magnitude in {lo}..{hi} ({what}, inside Czechia)",
    ),
    "io.expected.in_city": (
        "bod na území města ({extent}) v některém pořadí os a znaménku, nebo adresa; {why}",
        "a point inside the city extent ({extent}) in some axis order and sign, or an address; "
        "{why}",
    ),
    "io.expected.rejected": (
        "{pair} ({a}; {b}) leží v každém pořadí os a znaménku mimo území města, proto byly "
        "odmítnuty",
        "{pair} ({a}, {b}), in every axis order and sign, lie outside the city extent and were "
        "rejected",
    ),
    "io.expected.unique_id": (
        "číslo záznamu jedinečné v souboru ({where} má jiný záznam se stejným číslem)",
        "an id unique within the file ({where} holds a different record with this id)",
    ),
    "io.where.line": ("řádek {line}", "line {line}"),
    "io.where.sheet_line": ("řádek {line} listu „{sheet}“", "line {line} of sheet '{sheet}'"),
    "io.what.wgs84": ("stupně WGS84, v libovolném pořadí os", "WGS84 degrees, either axis order"),
    "io.what.sjtsk": ("metry S-JTSK, s libovolným znaménkem", "S-JTSK metres, either sign"),
    "io.hint.looks_like": (" (vypadá jako {guess})", " (it looks like {guess})"),
    "io.error.lines_mismatch": (
        "počet řádků nesouhlasí se záznamy: {physical} {physical:plural:datový řádek|datové "
        "řádky|datových řádků}, ale {records} {records:plural:záznam|záznamy|záznamů}, {quoted} "
        "{quoted:plural:řádek|řádky|řádků} uvnitř uvozovek a {blank} "
        "{blank:plural:prázdný|prázdné|prázdných}; soubor nelze načíst bez ztráty",
        "the lines do not add up: {physical} data {physical:plural:line|lines} but {records} "
        "{records:plural:record|records}, {quoted} {quoted:plural:line|lines} inside quotes and "
        "{blank} blank {blank:plural:one|ones}; the file cannot be read without losing records",
    ),
    # --- MDT packs (disclosure control)
    "pack.privacy_rules": (
        "Počty pod {k} jsou uvedeny jako „<{k}“. Malé řádky jsou sloučeny do řádku „{pooled}“ "
        "(vždy aspoň dva řádky) a co by šlo z ostatních údajů dopočítat, je skryto („–“) nebo "
        "vynecháno. Tabulka hotspotů uvádí jen čtverce s aspoň {k} "
        "{k:plural:událostí|událostmi|událostmi} a mapa neoznačuje "
        "čtverce, v jejichž okolí bylo 1 až {k1} událostí. Podklady prověřil útočník, který řeší "
        "soustavu všech uvedených čísel: žádný skrytý počet nelze zúžit pod interval „<{k}“.",
        "Counts below {k} are shown as “<{k}”. Small rows are merged into one row “{pooled}” "
        "(always at least two rows), and whatever the other figures would give away is hidden "
        "(“–”) or left out. The hotspot table lists only squares with at least {k} incidents, and "
        "the map marks no square with 1 to {k1} incidents in its neighbourhood. The pack was "
        "checked by an attacker that solves the system of every figure shown: no hidden count can "
        "be narrowed below the interval “<{k}”.",
    ),
    "pack.geocoding_share": (
        "{pct} záznamů měsíce (celé město) umístěno na mapu; záznamy bez polohy nemají území a v "
        "podkladech chybí.",
        "{pct} of the month's records (whole city) placed on the map; records without a location "
        "have no area and are not in this pack.",
    ),
    "pack.emerging_skipped_presenter": (
        "vývoj nelze určit: v okně {n} {n:plural:měsíce|měsíců|měsíců} je na to v území málo dat",
        "trend not available: too little data in the area over the {n}-month window",
    ),
    "pack.few_heading": ("Málo událostí", "Too few incidents"),
    "pack.few": (
        "Tento měsíc bylo v území méně než {k} {k:plural:událost|události|událostí}. Aby nešlo "
        "poznat jednotlivé události, podklady ukazují jen souhrnné počty – bez tabulek, hotspotů "
        "a míst.",
        "Fewer than {k} {k:plural:incident|incidents} in the area this month. To keep single "
        "incidents unrecognisable, the pack shows the totals only – no tables, hot spots or "
        "places.",
    ),
    "pack.withheld": (
        "Neuvádí se: z ostatních údajů by šlo dopočítat malé počty.",
        "Not shown: the other figures would give small counts away.",
    ),
    # --- patrol route sheets and weeks
    "sheet.team_n": ("Dvojice {n}", "Pair {n}"),
    "sheet.dwell": ("Pobyt", "Dwell"),
    "sheet.straight_note": (
        "Vzdálenosti a časy jsou odhad: vzdušná čára × {factor} (bez uliční sítě).",
        "Distances and times are estimates: straight lines × {factor} (no street network).",
    ),
    "sheet.network_note": (
        "Úseky vedou po ulicích (síť {source}).",
        "Legs follow the streets (network {source}).",
    ),
    "week.title": ("Týdenní plán hlídek {week}", "Weekly patrol plan {week}"),
    "week.date": ("Datum", "Date"),
    "week.shift": ("Směna", "Shift"),
    "week.team": ("Tým", "Team"),
    "week.weekday.0": ("po", "Mon"),
    "week.weekday.1": ("út", "Tue"),
    "week.weekday.2": ("st", "Wed"),
    "week.weekday.3": ("čt", "Thu"),
    "week.weekday.4": ("pá", "Fri"),
    "week.weekday.5": ("so", "Sat"),
    "week.weekday.6": ("ne", "Sun"),
    # sign-in (apk_geo.auth, the dashboard)
    "auth.title": ("Přihlášení", "Sign in"),
    "auth.user": ("Uživatel", "User name"),
    "auth.password": ("Heslo", "Password"),
    "auth.reason": ("Účel práce (zapíše se do auditu)", "Purpose (recorded in the audit log)"),
    "auth.submit": ("Přihlásit", "Sign in"),
    "auth.signout": ("Odhlásit", "Sign out"),
    "auth.signed_in_as": ("Přihlášen(a): {user} ({role})", "Signed in: {user} ({role})"),
    "auth.failed": (
        "Nesprávné jméno nebo heslo. Další pokus je možný za {wait_s} s.",
        "Wrong user name or password. You can try again in {wait_s} s.",
    ),
    "auth.throttled": (
        "Příliš mnoho neúspěšných pokusů. Zkuste to znovu za {wait_s} s.",
        "Too many failed attempts. Try again in {wait_s} s.",
    ),
    "auth.no_role": (
        "Tento účet nemá v databázi žádnou roli apk-geo; obraťte se na správce.",
        "This account has no apk-geo role in the database; ask the administrator.",
    ),
    "auth.timeout": (
        "Byli jste odhlášeni po {minutes} min nečinnosti.",
        "You were signed out after {minutes} min of inactivity.",
    ),
    "auth.signed_out": ("Byli jste odhlášeni.", "You have been signed out."),
    "auth.no_gate": (
        "Přihlašování není nastaveno (chybí přístup brány); spusťte apk-geo db init.",
        "Sign-in is not set up (the gate's credentials are missing); run apk-geo db init.",
    ),
    "auth.purpose_hint": (
        "Nepovinné; např. „příprava MDT 3/2026“.",
        "Optional; e.g. “MDT meeting preparation 3/2026”.",
    ),
    "auth.no_pack_data": (
        "údaje pro MDT zatím nejsou pro vaši roli zveřejněny",
        "the MDT figures are not yet published for your role",
    ),
    "auth.no_pages": (
        "Pro vaši roli ({role}) zde nejsou žádné stránky.",
        "There are no pages here for your role ({role}).",
    ),
}

#: Every UI string: key → (Czech, English).
STRINGS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(_S)


def normalize_lang(lang: object) -> Lang:
    """Return ``"en"`` for English and ``"cs"`` for anything else (the default)."""
    return "en" if str(lang).lower().startswith("en") else "cs"


def section(prefix: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Return every string under ``prefix.`` in ``lang``, keyed without the prefix (unformatted).

    Templates read a whole section at once, e.g. the route sheet's ``L.title``.

    Examples
    --------
    >>> section("sheet", "en")["title"]
    'Patrol route'
    """
    start = prefix + "."
    pick = 1 if normalize_lang(lang) == "en" else 0
    return {k.removeprefix(start): v[pick] for k, v in STRINGS.items() if k.startswith(start)}


def t(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """Return the UI string ``key`` in ``lang`` (``"cs"`` or ``"en"``), formatted with ``fields``.

    Parameters
    ----------
    key
        Dotted key of :data:`STRINGS`.
    lang
        ``"cs"`` (default) or ``"en"``; anything else falls back to Czech.
    **fields
        Values for ``{name}`` placeholders.

    Raises
    ------
    KeyError
        If ``key`` is unknown (the message suggests similar keys).

    Examples
    --------
    >>> t("nav.map"), t("nav.map", "en")
    ('Mapa', 'Map')
    >>> t("kpi.previous", "cs", n=12)
    'předchozí období: 12'
    """
    try:
        cs, en = STRINGS[key]
    except KeyError:
        prefix = key.split(".")[0]
        near = sorted(k for k in STRINGS if k.startswith(prefix + "."))[:8]
        raise KeyError(f"no UI string {key!r}; keys with that prefix: {near}") from None
    code = normalize_lang(lang)
    text = en if code == "en" else cs
    return fill(text, code, **fields) if fields else text


def fill(text: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """Return ``text`` with its fields filled in the format of ``lang`` (see the module docstring).

    For a text taken from :func:`section`; :func:`t` calls it for its own texts.

    Raises
    ------
    KeyError
        If a field of ``text`` is not among ``fields``.
    ValueError
        If a format spec does not fit its value (e.g. plural forms of the wrong number).

    Examples
    --------
    >>> fill("{n} {n:plural:záznam|záznamy|záznamů}", "cs", n=3)
    '3 záznamy'
    >>> fill("{km:.1f} km, {share:.0%}", "en", km=11.64, share=0.25)
    '11.6 km, 25%'
    """
    return fmt.fill(text, normalize_lang(lang), **fields)


def plural(n: int | float, forms: Sequence[str], lang: str = DEFAULT_LANG) -> str:
    """Return the form of a word for ``n`` (:func:`apk_geo.fmt.plural`), e.g. for a table header."""
    return fmt.plural(n, forms, normalize_lang(lang))
