"""Strings of the dashboard: its shell, pages, messages and downloads.

Navigation, filters, KPI cards, the map, the hotspots, trends and data pages, messages, downloads,
Streamlit's own texts (replaced in the browser by ``app_pages/_chrome.py``) and month names. Keys
under ``app.``, ``nav.``, ``sidebar.``, ``banner.``, ``chrome.``, ``filter.``, ``preset.``,
``weekday.``, ``kpi.``, ``field.``, ``column.``, ``map.``, ``layer.``, ``legend.``, ``gistar.``,
``hot.``, ``trend.``, ``data.``, ``msg.``, ``status.``, ``download.``, ``area.``, ``mdt.``,
``month.``, ``grid.``; each key maps to (Czech, English).
:mod:`apk_geo.i18n` merges this module with the other ``_strings_*`` modules into
:data:`apk_geo.i18n.STRINGS` and refuses a key defined in two of them.
"""

from __future__ import annotations

from typing import Final

STRINGS: Final[dict[str, tuple[str, str]]] = {
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
    # data grids (app_pages/_grid.py): a table without rows
    "grid.empty": ("Žádné řádky k zobrazení.", "No rows to show."),
    "grid.empty_quarantine": (
        "Karanténa je prázdná: žádný řádek importu nebyl odmítnut.",
        "The quarantine is empty: no import row was rejected.",
    ),
    "grid.empty_imports": ("Zatím nebyl proveden žádný import.", "No imports yet."),
    "grid.empty_audit": (
        "Pro tento výběr nejsou v auditu žádné záznamy.",
        "The audit log has no records for this selection.",
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
    "chrome.grid_columns": ("Zobrazit/skrýt sloupce", "Show/hide columns"),
    "chrome.grid_download": ("Stáhnout jako CSV", "Download as CSV"),
    "chrome.grid_search": ("Hledat", "Search"),
    "chrome.grid_fullscreen": ("Celá obrazovka", "Fullscreen"),
    "chrome.grid_close_fullscreen": ("Zavřít celou obrazovku", "Close fullscreen"),
    "chrome.grid_clear_selection": ("Zrušit výběr", "Clear selection"),
    "chrome.grid_sort_ascending": ("Seřadit vzestupně", "Sort ascending"),
    "chrome.grid_sort_descending": ("Seřadit sestupně", "Sort descending"),
    "chrome.grid_autosize": ("Automatická šířka", "Autosize"),
    "chrome.grid_pin": ("Připnout sloupec", "Pin column"),
    "chrome.grid_unpin": ("Odepnout sloupec", "Unpin column"),
    "chrome.grid_hide": ("Skrýt sloupec", "Hide column"),
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
    "msg.assets_npm": (
        "{command} (verze ze souboru package-lock.json dodaného s aplikací)",
        "{command} (versions from the shipped package-lock.json)",
    ),
    "msg.assets_copied": (
        "{n} {n:plural:soubor|soubory|souborů} ve složce {folder}",
        "{n} {n:plural:file|files} in {folder}",
    ),
    "msg.assets_no_npm": (
        "npm nenalezen; nainstalujte Node.js a npm (apt-get install nodejs npm)",
        "npm not found; install Node.js and npm (apt-get install nodejs npm)",
    ),
    "msg.assets_npm_failed": (
        "npm ci selhal (kód {code}): {output}",
        "npm ci failed (exit {code}): {output}",
    ),
    "msg.assets_not_in_packages": (
        "{file} po npm ci chybí; zkontrolujte frontend/package.json",
        "{file} missing after npm ci; check frontend/package.json",
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
    "mdt.fit_hint": (
        "Celá obrazovka: mapa vyplní okno; tlačítkem ⛶ v mapě přes celou obrazovku.",
        "Full screen: the map fills the window; the ⛶ button in the map covers the screen.",
    ),
    "mdt.locked": ("Režim prezentace (uzamčeno)", "Presentation mode (locked)"),
    # import counts of the store (issue 10)
    "column.stale": ("Zastaralé", "Stale"),
    "column.reverted": ("Vráceno na starší verzi", "Reverted"),
    "column.versions_kept": ("Uložené verze", "Versions kept"),
    # download buttons (app_pages/_download.py)
    "download.csv": ("Stáhnout {what} (CSV)", "Download {what} (CSV)"),
    "download.xlsx": ("Stáhnout {what} (Excel)", "Download {what} (Excel)"),
    "download.help_csv": (
        "CSV pro Excel a LibreOffice v češtině: středník, desetinná čárka, UTF-8.",
        "CSV for Excel and LibreOffice in English: comma, decimal point, UTF-8.",
    ),
    "download.help_xlsx": (
        "Sešit Excelu se skutečnými čísly a daty.",
        "An Excel workbook with real number and date cells.",
    ),
    "download.what_table": ("tabulku", "the table"),
    "download.what_quarantine": ("karanténu", "the quarantine"),
    "download.what_quarantine_this": ("karanténu tohoto souboru", "this file's quarantine"),
    "download.what_imports": ("přehled importů", "the import log"),
    "download.what_series": ("časovou řadu", "the time series"),
    "download.what_yoy": ("meziroční srovnání", "the year-on-year comparison"),
    # the administration page's entry in the navigation (app_pages/admin.py)
    "nav.admin": ("Správa", "Administration"),
    # the store's and the demo's messages in the run's language (store/_messages.py)
    "msg.store_no_database_store": (
        "{where}: v této databázi není úložiště apk-geo ({server}); vytvořte ho příkazem "
        "`apk-geo db init --url …`",
        "{where}: no apk-geo store in this database ({server}); create one with "
        "`apk-geo db init --url …`",
    ),
    "msg.store_missing_database": (
        "{path}: tady není žádné úložiště; vytvořte ho příkazem `apk-geo db init --url …`",
        "{path}: no store here; create it with `apk-geo db init --url …`",
    ),
    "msg.store_missing_migrate": (
        "{path}: tady není žádné úložiště; není co přenést",
        "{path}: no store here; nothing to migrate",
    ),
    "msg.demo_store_exists": (
        "{path} už existuje; zvolte jinou cestu, nebo ho nahraďte novým demo úložištěm volbou "
        "--force (overwrite=True)",
        "{path} already exists; choose another path or pass --force (overwrite=True) to replace "
        "it with a fresh demo store",
    ),
    "msg.demo_force_shared": (
        "{path}: --force se u sdílené databáze odmítá; použijte novou, prázdnou (apk-geo db "
        "init na nové databázi)",
        "{path}: --force is refused for a shared database; use a new, empty one (apk-geo db "
        "init on a new database)",
    ),
    "msg.demo_not_empty": (
        "{path}: úložiště už obsahuje importy; demo se zapisuje jen do prázdného úložiště",
        "{path}: the store holds imports already; the demo goes into an empty store",
    ),
    "msg.store_lock_wait": (
        "{path}: čekám na zámek pro zápis {lock}, drží ho jiný import{holder}; čekám {limit}",
        "{path}: waiting for the write lock {lock}, held by another import{holder}; "
        "waiting {limit}",
    ),
    "msg.store_lock_wait_db": (
        "{path}: čekám na zámek pro zápis, drží ho jiný import{holder}; čekám {limit}",
        "{path}: waiting for the write lock, held by another import{holder}; waiting {limit}",
    ),
    "msg.store_lock_timeout": (
        "{path}: zámek pro zápis {lock} drží jiný import{holder} i po {seconds} s; zkuste to "
        "znovu, až skončí, nebo čekejte déle (lock_timeout_s, apk-geo ingest --lock-timeout)",
        "{path}: another import still holds the write lock {lock}{holder} after {seconds} s; "
        "try again when it has finished, or wait longer (lock_timeout_s, apk-geo ingest "
        "--lock-timeout)",
    ),
    "msg.store_lock_timeout_db": (
        "{path}: zámek pro zápis drží jiný import{holder} i po {seconds} s; zkuste to znovu, "
        "až skončí, nebo čekejte déle (lock_timeout_s, apk-geo ingest --lock-timeout)",
        "{path}: another import still holds the write lock{holder} after {seconds} s; try "
        "again when it has finished, or wait longer (lock_timeout_s, apk-geo ingest "
        "--lock-timeout)",
    ),
    # a database store's failures: "<where>: cannot <doing>: <the server's own words>"
    "msg.store_cannot": ("{where}: nelze {doing}: {server}", "{where}: cannot {doing}: {server}"),
    "msg.store_doing_connect": ("se připojit ({doing})", "connect to {doing}"),
    "msg.store_doing_find": ("najít úložiště", "look for the store"),
    "msg.store_doing_version": ("přečíst verzi úložiště", "read the store's version"),
    "msg.store_doing_incidents": ("číst události", "read incidents"),
    "msg.store_doing_versions": ("číst verze událostí", "read incident versions"),
    "msg.store_doing_quarantine": ("číst karanténu", "read the quarantine"),
    "msg.store_doing_import_log": ("číst protokol importů", "read the import log"),
    "msg.store_doing_reconcile": ("zkontrolovat součty úložiště", "reconcile the store"),
    "msg.store_doing_layer": ("číst vrstvu „{name}“", "read layer '{name}'"),
    "msg.store_doing_layers": ("vypsat vrstvy", "list layers"),
    "msg.store_doing_metadata": ("číst metadata", "read metadata"),
    "msg.store_doing_summary": ("shrnout úložiště", "summarise the store"),
    "msg.store_doing_write_layers": ("zapsat vrstvy", "write layers"),
    "msg.store_doing_import": ("importovat", "import"),
    "msg.store_doing_audit": ("zapsat do auditu ({action})", "audit '{action}'"),
    "msg.store_doing_audit_read": ("číst auditní záznam", "read the audit trail"),
    "msg.store_doing_migrate": ("přenést úložiště GeoPackage", "migrate the GeoPackage store"),
    "msg.store_doing_publish": (
        "zveřejnit podklady {area} {month}",
        "publish the pack {area} {month}",
    ),
    "msg.store_doing_publishers": (
        "ověřit, kdo smí zveřejňovat podklady",
        "check who may publish packs",
    ),
    "msg.store_doing_packs": ("vypsat zveřejněné podklady", "list published packs"),
    "msg.store_doing_pack": ("číst podklady {pack_id}", "read pack {pack_id}"),
    "msg.store_doing_retention_read": (
        "číst nastavení doby uchování",
        "read the retention settings",
    ),
    "msg.store_doing_retention_set": (
        "změnit nastavení doby uchování",
        "change the retention settings",
    ),
    "msg.store_doing_retention_run": (
        "anonymizovat nebo smazat události po době uchování",
        "run retention",
    ),
    "msg.store_doing_init": ("založit úložiště", "initialise the store"),
    "msg.store_doing_migration": ("použít migraci {name}", "apply migration {name}"),
    "msg.store_doing_user_add": ("přidat uživatele „{name}“", "add user '{name}'"),
    "msg.store_doing_users": ("vypsat uživatele", "list users"),
    "msg.store_doing_user_areas": (
        "nastavit oblasti uživatele „{name}“",
        "set the areas of '{name}'",
    ),
    "msg.store_doing_user_enable": ("povolit uživatele „{name}“", "enable user '{name}'"),
    "msg.store_doing_user_disable": ("zakázat uživatele „{name}“", "disable user '{name}'"),
    "msg.store_import_limited": (
        "{where}: uživatel „{user}“ smí jen do oblastí MDT {areas}, a proto nesmí importovat; "
        "import dělá mentor pro všechny oblasti",
        "{where}: user '{user}' is limited to the MDT areas {areas} and may not import; an "
        "import is done by a mentor for all areas",
    ),
    "msg.store_lock_holder": (" (proces {pid})", " (process {pid})"),
    "msg.store_lock_server_holder": (" (proces serveru {pid})", " (server process {pid})"),
    "msg.store_lock_up_to": ("nejvýš {seconds} s", "up to {seconds} s"),
    "msg.store_lock_forever": ("bez omezení", "for ever"),
    # the store's messages (apk_geo/store/_messages.py)
    "msg.store_missing": (
        "{path}: tady není žádné úložiště; vytvořte ho příkazem "
        "`apk-geo ingest SOUBOR --store {path}` nebo `apk-geo demo`",
        "{path}: no store here; create one with `apk-geo ingest FILE --store {path}` or "
        "`apk-geo demo`",
    ),
    "msg.reconcile_unbalanced": (
        "importy {ids}: načteno ≠ přijato + aktualizováno + starší + duplicity + v karanténě",
        "imports {ids}: read != accepted + updated + stale + duplicates + quarantined",
    ),
    "msg.reconcile_incidents": (
        "uložených událostí {stored}, ale přijatých {accepted}",
        "{stored} incidents stored but {accepted} accepted",
    ),
    "msg.reconcile_incidents_removed": (
        "uložených událostí {stored}, ale přijatých {accepted}, po odečtení {removed} "
        "smazaných po uplynutí lhůty uchování",
        "{stored} incidents stored but {accepted} accepted less {removed} removed by retention",
    ),
    "msg.reconcile_versions": (
        "uložených verzí {stored}, ale importy jich uchovaly {kept}",
        "{stored} versions stored but {kept} kept by the imports",
    ),
    "msg.reconcile_versions_removed": (
        "uložených verzí {stored}, ale importy jich uchovaly {kept}, po odečtení {removed} "
        "smazaných po uplynutí lhůty uchování",
        "{stored} versions stored but {kept} kept by the imports less {removed} removed by "
        "retention",
    ),
    "msg.reconcile_quarantine": (
        "řádků v karanténě {stored}, ale importy jich do karantény poslaly {quarantined}",
        "{stored} quarantine rows but {quarantined} quarantined",
    ),
}
