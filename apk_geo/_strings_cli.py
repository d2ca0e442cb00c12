"""Strings of the command line's help: ``apk-geo --help`` and ``apk-geo <command> --help``.

Keys under ``cli.help.``: argparse's own headings (``cli.help.usage``, ``.positionals``,
``.options``, ``.help``, ``.version``), the global options, and per command ``cli.help.<command>``
(its one-line help in the list of commands), ``cli.help.<command>.description`` (the text under its
usage) and ``cli.help.<command>.<option>`` (an option by its ``dest``); the actions of ``db`` and
``user`` nest one level deeper (``cli.help.db.init.role_prefix``). Each key maps to (Czech,
English). A ``-`` in a command's name is ``_`` in its key (``plan_week``).

The module also holds the command line's other ``cli.`` messages (``cli.warning``,
``cli.password.`` …), ordinary texts of :func:`apk_geo.i18n.t` with ``{fields}``.

The command line reads the help texts without :mod:`apk_geo.i18n` (which loads Babel), through
:func:`apk_geo._cli._help.help_text`, so ``apk-geo --help`` stays fast; :mod:`apk_geo.i18n` merges
this module with the other ``_strings_*`` modules into :data:`apk_geo.i18n.STRINGS`. The texts are
plain text: no ``{fields}``, and a ``%`` is a percent sign (the help formatter escapes it for
argparse). A description is paragraphs separated by a blank line; a paragraph whose lines start with
spaces (examples) is printed as it is, the others are wrapped to the terminal.
"""

from __future__ import annotations

from typing import Final

_LANG_CS: Final = "(výchozí $APK_GEO_LANG, jinak cs)"
_LANG_EN: Final = "(default $APK_GEO_LANG, else cs)"
_TABLE_CS: Final = f"jazyk tabulky: cs (; a desetinná čárka, české hlavičky) nebo en {_LANG_CS}"
_TABLE_EN: Final = (
    f"language of the table: cs (; and decimal comma, Czech headers) or en {_LANG_EN}"
)
_STORE_CS: Final = (
    "úložiště událostí: soubor .gpkg, nebo databáze PostGIS postgresql://uživatel@server:port/db "
    "(heslo z ~/.pgpass nebo PGPASSWORD); výchozí $APK_GEO_STORE"
)
_STORE_EN: Final = (
    "incident store: a .gpkg file, or a PostGIS database postgresql://user@host:port/db "
    "(password from ~/.pgpass or PGPASSWORD); default $APK_GEO_STORE"
)
_GEOCODED_CS: Final = _STORE_CS + "; použijí se události s polohou"
_GEOCODED_EN: Final = _STORE_EN + "; geocoded incidents are used"
_FROM: Final = ("první den (RRRR-MM-DD), včetně", "first day (YYYY-MM-DD), inclusive")
_TO: Final = ("poslední den (RRRR-MM-DD), včetně", "last day (YYYY-MM-DD), inclusive")
_CATEGORY: Final = ("jen tyto kódy kategorií", "keep these category codes")
_REASON: Final = ("proč (zapíše se do auditního záznamu)", "why (recorded in the audit log)")
_NETWORK: Final = (
    "uliční síť: GraphML nebo liniová vrstva ulic",
    "street network: GraphML or a line layer of streets",
)
_DETOUR: Final = (
    "poměr vzdálenosti po ulicích a vzdušnou čarou bez --network (výchozí 1,3)",
    "street / straight distance without --network (default 1.3)",
)
_SHEETS: Final = (f"jazyk listů trasy {_LANG_CS}", f"language of the sheets {_LANG_EN}")

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # argparse's own words
    "cli.help.usage": ("použití: ", "usage: "),
    "cli.help.positionals": ("poziční argumenty", "positional arguments"),
    "cli.help.options": ("volby", "options"),
    "cli.help.help": ("ukáže tuto nápovědu a skončí", "show this help message and exit"),
    "cli.help.version": ("ukáže verzi programu a skončí", "show program's version number and exit"),
    # apk-geo itself and its global options
    "cli.help.description": (
        "Analýza hotspotů a mapy pro asistenty prevence kriminality (APK, Ostrava).",
        "Hotspot analysis and maps for the APK crime-prevention assistants (Ostrava).",
    ),
    "cli.help.epilog": (
        "Volby příkazu ukáže apk-geo COMMAND --help. Nápověda a hlášení jsou česky; anglicky "
        "s --lang en nebo APK_GEO_LANG=en.",
        "apk-geo COMMAND --help shows the options of a command. Help and messages are in Czech "
        "by default; in English with --lang en or APK_GEO_LANG=en.",
    ),
    "cli.help.commands": ("příkaz", "the command"),
    "cli.help.config": (
        "konfigurační soubor TOML (kontextové vrstvy, oblasti MDT)",
        "TOML configuration file (context layers, MDT areas)",
    ),
    "cli.help.debug": (
        "při chybě ukáže celý výpis (traceback) a ladicí záznamy",
        "show tracebacks and debug logs",
    ),
    "cli.help.debug_command": (
        "při chybě ukáže celý výpis (traceback) a ladicí záznamy (platí i před příkazem)",
        "show tracebacks and debug logs (also accepted before the command)",
    ),
    "cli.help.lang": (
        "jazyk nápovědy a hlášení, cs nebo en: platí --lang, jinak $APK_GEO_LANG, jinak cs",
        "language of the help and the messages, cs or en: --lang, else $APK_GEO_LANG, else cs",
    ),
    # options shared by several commands
    "cli.help.store": (_STORE_CS, _STORE_EN),
    "cli.help.store_geocoded": (_GEOCODED_CS, _GEOCODED_EN),
    "cli.help.url": (
        "úložiště PostGIS: postgresql://uživatel@server:port/db (heslo z ~/.pgpass, PGPASSWORD "
        "nebo z URL); výchozí $APK_GEO_STORE",
        "the PostGIS store: postgresql://user@host:port/db (password from ~/.pgpass, "
        "PGPASSWORD or the URL); default $APK_GEO_STORE",
    ),
    "cli.help.json": ("vypíše souhrn jako JSON (pro programy)", "print a machine-readable summary"),
    "cli.help.date_from": _FROM,
    "cli.help.date_to": _TO,
    "cli.help.category": _CATEGORY,
    "cli.help.district": (
        "jen tyto městské obvody (název nebo kód)",
        "keep these districts (name or code)",
    ),
    "cli.help.input": (
        "bodový soubor: CSV se sloupci lat/lon nebo x/y, GeoPackage, GeoJSON",
        "point file: CSV with lat/lon or x/y, GeoPackage, GeoJSON",
    ),
    "cli.help.crs": (
        "souřadnicový systém sloupců x/y v CSV z --input (např. EPSG:5514)",
        "CRS of x/y columns in a CSV --input (e.g. EPSG:5514)",
    ),
    "cli.help.date_col": (
        "sloupec s datem v --input (výchozí: najde se podle názvu)",
        "date column of --input (default: found by name)",
    ),
    "cli.help.id_col": (
        "počítat události, ne řádky: jeden řádek na hodnotu (např. IncidntNum)",
        "count incidents, not rows: keep one row per value (e.g. IncidntNum)",
    ),
    # demo
    "cli.help.demo": (
        "vytvoří úložiště se syntetickými demo daty",
        "build a store with synthetic demo data",
    ),
    "cli.help.demo.description": (
        "Vytvoří úložiště plné syntetických demo dat: skutečná geografie (městské obvody, hranice "
        "města, školy, zastávky, sportoviště), syntetické vrstvy SVL a ubytoven a adresní místa, "
        "asi tři roky syntetických událostí zapsaných jako roční exporty v cp1250 a k tomu jeden "
        "záměrně špatný; všechny se naimportují, takže geokódování i karanténa proběhnou "
        "doopravdy.\n\n"
        "Souhrn je česky (--lang en: anglicky); --json má klíče anglicky.",
        "Build a store full of synthetic demo data: real geography (districts, city outline, "
        "schools, stops, sports grounds), synthetic SVL and hostel layers and gazetteer, about "
        "three years of synthetic incidents written as yearly cp1250 exports plus a deliberately "
        "dirty one, all ingested so that geocoding and the quarantine run for real.\n\n"
        "The summary is printed in Czech (--lang en: English); --json keeps the English keys.",
    ),
    "cli.help.demo.store": (
        "úložiště, které se vytvoří: soubor .gpkg, nebo prázdné úložiště PostGIS "
        "postgresql://… (nejdřív apk-geo db init); výchozí $APK_GEO_STORE",
        "store to create: a .gpkg file, or an empty PostGIS store postgresql://… "
        "(apk-geo db init first); default $APK_GEO_STORE",
    ),
    "cli.help.demo.seed": ("semínko náhody pro události (42)", "random seed of the incidents (42)"),
    "cli.help.demo.incidents": (
        "počet událostí (asi 30 000)",
        "number of incidents (about 30 000)",
    ),
    "cli.help.demo.end": (
        "datum konce (RRRR-MM-DD), už nezahrnuto (výchozí: první den tohoto měsíce)",
        "exclusive end date YYYY-MM-DD (default: the first day of the current month)",
    ),
    "cli.help.demo.months": ("délka období v měsících (36)", "length of the period in months (36)"),
    "cli.help.demo.exports": (
        "složka pro vytvořené exporty (výchozí: <úložiště>_exports vedle úložiště)",
        "folder for the generated exports (default: <store>_exports next to the store)",
    ),
    "cli.help.demo.force": ("nahradí existující úložiště", "replace an existing store"),
    "cli.help.demo.lang": (
        f"jazyk vypsaného souhrnu {_LANG_CS}; klíče --json jsou vždy anglicky",
        f"language of the printed summary {_LANG_EN}; --json keys are English either way",
    ),
    # ingest
    "cli.help.ingest": (
        "importuje export událostí do úložiště",
        "import an incident export into a store",
    ),
    "cli.help.ingest.description": (
        "Importuje export událostí (CSV nebo XLSX) do úložiště.\n\n"
        "--dry-run ukáže počty, které by import měl, a nic nezapíše. Druhý import téhož úložiště "
        "počká na první (oznámí to na stderr) nejvýš --lock-timeout sekund. Důvody karantény "
        "uložené u odmítnutých řádků, hlášení o souboru, který nelze přečíst, a vypsané počty "
        "jsou česky (--lang en: anglicky); --json má klíče anglicky.",
        "Import an incident export (CSV or XLSX) into a store.\n\n"
        "--dry-run shows the counts the import would have and writes nothing. A second import of "
        "the same store waits for the first one (it says so on stderr) for up to --lock-timeout "
        "seconds. The quarantine reasons stored with the rejected rows, the message of a file "
        "that cannot be read and the printed counts are Czech (--lang en: English); --json keeps "
        "the English keys.",
    ),
    "cli.help.ingest.file": (
        "export událostí: CSV (UTF-8 nebo cp1250, ; nebo ,) nebo XLSX",
        "incident export: CSV (UTF-8 or cp1250, ; or ,) or XLSX",
    ),
    "cli.help.ingest.store": (
        _STORE_CS + "; chybějící soubor .gpkg se vytvoří",
        _STORE_EN + "; a .gpkg file is created if missing",
    ),
    "cli.help.ingest.source": (
        "název systému, ze kterého export pochází (výchozí: apk)",
        "name of the system the export comes from (default: apk)",
    ),
    "cli.help.ingest.gazetteer": (
        "CSV adresních míst RÚIAN (cp1250, ;); uloží se do úložiště pro další importy",
        "RÚIAN address-point CSV (cp1250, ;); saved in the store for later imports",
    ),
    "cli.help.ingest.delimiter": (
        "oddělovač v CSV (výchozí: rozpozná se)",
        "CSV delimiter (detected by default)",
    ),
    "cli.help.ingest.encoding": (
        "kódování CSV (výchozí: rozpozná se)",
        "CSV encoding (detected by default)",
    ),
    "cli.help.ingest.dry_run": (
        "ukáže, co by import udělal (tytéž počty), a nic nezapíše",
        "show what the import would do (the same counts) without writing anything",
    ),
    "cli.help.ingest.lock_timeout": (
        "jak dlouho čekat na jiný import téhož úložiště (výchozí 60)",
        "wait this long for another import of the store (default 60)",
    ),
    "cli.help.ingest.lang": (
        f"jazyk důvodů karantény a chybových hlášení {_LANG_CS}",
        f"language of the quarantine reasons and of the error messages {_LANG_EN}",
    ),
    # quarantine
    "cli.help.quarantine": (
        "vyexportuje řádky z karantény do CSV nebo XLSX",
        "export quarantined rows to CSV or XLSX",
    ),
    "cli.help.quarantine.description": (
        "Vyexportuje odmítnuté řádky (karanténu) k opravě.\n\n"
        "Soubor je CSV pro český Excel a LibreOffice (UTF-8 s BOM, ;, české hlavičky; --lang en: "
        "anglické hlavičky a ,), nebo sešit Excelu, když --out končí na .xlsx. V obou případech "
        "je bezpečný proti vzorcům: buňka, která začíná =, +, -, @, tabulátorem nebo návratem "
        "vozíku (řádek v karanténě může obsahovat =HYPERLINK(...)), dostane na začátek ', takže "
        "ji tabulkový procesor ukáže jako text. Pole každého řádku je sloupec vlastního souboru "
        "uživatele (Datum + Čas, Kategorie) a to, co se čekalo, je v jazyce --lang, stejně jako "
        "při stažení z dashboardu.\n\n"
        "Řádky obsahují osobní údaje: nový soubor má práva 0600 a export se zapíše do auditního "
        "záznamu úložiště (export, název souboru a počet řádků).",
        "Export the rejected rows (the quarantine) for correction.\n\n"
        "The file is CSV for Czech Excel and LibreOffice (UTF-8 with BOM, ;, Czech headers; "
        "--lang en: English headers, ,) or, when --out ends with .xlsx, an Excel workbook. "
        "Either way it is formula-safe: a cell that starts with =, +, -, @, a tab or a carriage "
        "return (a quarantined row may hold =HYPERLINK(...)) is written with a leading ' so a "
        "spreadsheet shows it as text. The field of each row is the column of the user's own "
        "file (Datum + Čas, Kategorie) and what was expected is in --lang, as in the dashboard's "
        "download.\n\n"
        "The rows hold personal data: a new file is 0600, and the export is recorded in the "
        "store's audit log (export, the file name and row count).",
    ),
    "cli.help.quarantine.out": (
        "soubor, který se zapíše: .csv (UTF-8 s BOM pro Excel) nebo .xlsx",
        "file to write: .csv (UTF-8 with BOM for Excel) or .xlsx",
    ),
    "cli.help.quarantine.delimiter": (
        "oddělovač v CSV (výchozí ; pro cs, , pro en)",
        "CSV delimiter (default ; for cs, , for en)",
    ),
    "cli.help.quarantine.lang": (_TABLE_CS, _TABLE_EN),
    # geocode
    "cli.help.geocode": (
        "geokóduje CSV s adresami podle adresních míst RÚIAN",
        "geocode a CSV of addresses against the RÚIAN address points",
    ),
    "cli.help.geocode.description": (
        "Umístí každý řádek INPUT.csv podle jeho adresy (nebo sloupců lat/lon či x/y v S-JTSK) a "
        "zapíše OUT.csv s přidanými sloupci lat, lon, x_5514, y_5514, shoda, skóre, kód "
        "adresního místa a důvod. Řádky, které umístit nejde, zůstanou s druhem shody "
        "„nenalezeno“ a důvodem.\n\n"
        "Výstup je tabulka pro český Excel a LibreOffice (;, desetinná čárka, UTF-8 s BOM, české "
        "hlavičky přidaných sloupců a české druhy shody: přesná shoda …; --lang en: anglicky, , a "
        "desetinná tečka), nebo sešit Excelu, když --out končí na .xlsx.",
        "Place every row of INPUT.csv using its address (or its lat/lon or S-JTSK x/y columns) "
        "and write OUT.csv with lat, lon, x_5514, y_5514, match, score, ruian_adm and "
        "geocode_reason added. Rows that cannot be placed are kept with match failed and the "
        "reason.\n\n"
        "The output is a table for Czech Excel and LibreOffice (;, decimal comma, UTF-8 with BOM, "
        "Czech headers of the added columns and Czech match kinds: přesná shoda …; --lang en: "
        "English, , and decimal point), or an Excel workbook when --out ends with .xlsx.",
    ),
    "cli.help.geocode.input": (
        "CSV se sloupcem adres (INPUT.csv)",
        "CSV with an address column (INPUT.csv)",
    ),
    "cli.help.geocode.gazetteer": (
        "CSV adresních míst RÚIAN (RRRRMMDD_OB_<kód obce>_ADR.csv, i jako .csv.zip)",
        "RÚIAN address-point CSV (YYYYMMDD_OB_<kód obce>_ADR.csv, also as .csv.zip)",
    ),
    "cli.help.geocode.out": (
        "výstupní tabulka: .csv (OUT.csv) nebo .xlsx",
        "output table: .csv (OUT.csv) or .xlsx",
    ),
    "cli.help.geocode.lang": (_TABLE_CS, _TABLE_EN),
    "cli.help.geocode.address_col": (
        "sloupec s adresou (výchozí: 'address', 'adresa', 'místo', …)",
        "address column (default: 'address', 'adresa', 'místo', …)",
    ),
    "cli.help.geocode.min_score": (
        "nejnižší podobnost 0–100 pro překlep v ulici (výchozí 85)",
        "lowest similarity 0–100 for a misspelt street (default 85)",
    ),
    "cli.help.geocode.delimiter": (
        "oddělovač vstupu (výchozí: rozpozná se z ; , tabulátoru a |)",
        "input delimiter (default: detected among ; , tab |)",
    ),
    "cli.help.geocode.encoding": (
        "kódování vstupu (výchozí: UTF-8 nebo UTF-16 podle BOM, jinak UTF-8, jinak cp1250)",
        "input encoding (default: UTF-8 or UTF-16 by BOM, else UTF-8, else cp1250)",
    ),
    # status
    "cli.help.status": ("shrne obsah úložiště", "summarise a store"),
    "cli.help.status.description": (
        "Počty, období, poslední importy a příznak syntetických dat úložiště.\n\n"
        "--check navíc ověří bilanci úložiště: počty každého importu sedí a události, verze a "
        "karanténa v úložišti pokrývají každý načtený záznam (jinak návratový kód 2). Souhrn je "
        "česky (--lang en: anglicky), čísla a data ve formátu toho jazyka; --json má anglické "
        "klíče a prosté hodnoty.",
        "Counts, date span, last imports and the synthetic flag of a store.\n\n"
        "--check also reconciles the store: every import's counts add up and the incidents, "
        "versions and quarantine it holds account for every record read (exit code 2 if not). "
        "The summary is in Czech (--lang en: English), numbers and dates in that language's "
        "format; --json keeps the English machine keys and plain values.",
    ),
    "cli.help.status.check": (
        "ověří i to, že úložiště pokrývá každý načtený záznam (jinak návratový kód 2)",
        "also check that the store accounts for every record read (exit 2 if not)",
    ),
    "cli.help.status.lang": (
        f"jazyk souhrnu {_LANG_CS}; klíče --json jsou vždy anglicky",
        f"language of the summary {_LANG_EN}; --json keys are English either way",
    ),
    # hotspots
    "cli.help.hotspots": (
        "analýza hotspotů (Gi*, KDE, shluky, předpověď, změna, vývoj hotspotů)",
        "hot-spot analysis (Gi*, KDE, clusters, forecast, change, emerging)",
    ),
    "cli.help.hotspots.description": (
        "Analýza hotspotů událostí z úložiště nebo z libovolného bodového souboru.\n\n"
        "Události jsou z úložiště (--store, jen události s polohou, filtrované podle data, "
        "kategorie a městského obvodu; územím jsou zvolené obvody nebo celé město), nebo z "
        "bodového souboru (--input: CSV se sloupci lat/lon nebo x/y, GeoPackage, GeoJSON …; "
        "územím je konvexní obal bodů rozšířený o jednu buňku). Výsledek se zapíše do --out: "
        "GeoJSON (RFC 7946, EPSG:4326), GeoPackage 1.3 v EPSG:5514 (nebo v souřadnicích "
        "analýzy pro body mimo Česko) s výchozím stylem pro QGIS, nebo CSV pro český Excel "
        "(--lang en: anglicky) s geometrií jako WKT (EPSG:4326) a zeměpisnou délkou a šířkou "
        "těžiště. Data a časy jsou v UTC a vedle nich je sloupec s místním časem. Použité "
        "parametry, včetně všech zvolených automaticky, jsou v souhrnu a v <out>.params.json.\n\n"
        "Metody: gistar (Getis-Ord Gi* s korekcí FDR, výchozí), kde (jádrový odhad hustoty, "
        "kvartické jádro), clusters (shluky HDBSCAN s českými popisky), forecast (riziko na další "
        "období), change (první polovina období proti druhé) a emerging (vývoj hotspotů).",
        "Hot-spot analysis of stored incidents or of any point file.\n\n"
        "Incidents come from a store (--store, geocoded incidents only, filtered by date, "
        "category and district; the study area is the chosen districts or the city) or from a "
        "point file (--input: CSV with lat/lon or x/y, GeoPackage, GeoJSON …; the study area is "
        "the points' convex hull buffered by one cell). The result is written to --out: GeoJSON "
        "(RFC 7946, EPSG:4326), GeoPackage 1.3 in EPSG:5514 (or the analysis CRS for points "
        "outside Czechia) with a default QGIS style, or CSV for Czech Excel (--lang en: English) "
        "with the geometry as WKT (EPSG:4326) and the centroid's lon/lat. Date-times are UTC with "
        "a local-time column beside them. The parameters used, including every automatically "
        "chosen one, go into the summary and into <out>.params.json.\n\n"
        "Methods: gistar (Getis-Ord Gi* with FDR, default), kde (quartic kernel density), "
        "clusters (HDBSCAN clusters with Czech labels), forecast (risk for the next period), "
        "change (first half of the date range against the second) and emerging (emerging hot "
        "spots).",
    ),
    "cli.help.hotspots.method": ("metoda (výchozí gistar)", "method (default gistar)"),
    "cli.help.hotspots.grid": (
        "tvar buňky: čtverec (square) nebo šestiúhelník (hex)",
        "cell shape: square or hex",
    ),
    "cli.help.hotspots.cell_size_m": (
        "velikost buňky v metrech (výchozí: rozměr území / 50)",
        "cell size in metres (default: bounding box / 50)",
    ),
    "cli.help.hotspots.adjust": (
        "korekce pro mnohonásobné testování (výchozí fdr_bh)",
        "multiple-testing adjustment (default fdr_bh)",
    ),
    "cli.help.hotspots.bandwidth_m": (
        "šířka jádra KDE v metrech (výchozí: automaticky)",
        "KDE bandwidth in metres (default: auto)",
    ),
    "cli.help.hotspots.kernel": ("jádro KDE (výchozí quartic)", "KDE kernel (default quartic)"),
    "cli.help.hotspots.min_cluster_size": (
        "nejmenší shluk HDBSCAN, počet událostí (výchozí 15)",
        "HDBSCAN minimum cluster size, in incidents (default 15)",
    ),
    "cli.help.hotspots.max_cells": (
        "nejvýš tolik buněk mřížky (výchozí 250 000)",
        "grid cap (default 250 000)",
    ),
    "cli.help.hotspots.out": (
        "výstupní soubor: .geojson, .gpkg nebo .csv",
        "output file: .geojson, .gpkg or .csv",
    ),
    "cli.help.hotspots.lang": (
        f"styl a hlavičky CSV, legenda v QGIS: cs (; a desetinná čárka) nebo en {_LANG_CS}",
        f"CSV style and headers, QGIS legend: cs (; and decimal comma) or en {_LANG_EN}",
    ),
    # nearrepeat
    "cli.help.nearrepeat": (
        "Knoxův test opakovaných událostí v blízkosti (near repeat)",
        "Knox test for near repeats",
    ),
    "cli.help.nearrepeat.description": (
        "Knoxův test opakovaných událostí v blízkosti (near repeat), celkem nebo po "
        "kategoriích.\n\n"
        "Spočítá dvojice událostí, které jsou si blízko v prostoru (--distance-m) i v čase "
        "(--days), a porovná je s počtem, který se čeká, když se časy náhodně promíchají mezi "
        "místy (--permutations, s daným semínkem). Poměr nad 1 s malou p-hodnotou znamená, že po "
        "události brzy následují další v okolí.",
        "Knox test for near repeats, overall or per category.\n\n"
        "Counts the pairs of incidents that are close in both space (--distance-m) and time "
        "(--days) and compares them with the count expected when times are shuffled over places "
        "(--permutations, seeded). A ratio above 1 with a small p-value means that incidents tend "
        "to be followed by others nearby soon after.",
    ),
    "cli.help.nearrepeat.distance_m": (
        "blízko v prostoru, v metrech (200)",
        "close in space, in metres (200)",
    ),
    "cli.help.nearrepeat.days": ("blízko v čase, ve dnech (7)", "close in time, in days (7)"),
    "cli.help.nearrepeat.permutations": ("počet permutací (999)", "permutations (999)"),
    "cli.help.nearrepeat.seed": ("semínko náhody (0)", "random seed (0)"),
    "cli.help.nearrepeat.by": (
        "test zvlášť pro každou hodnotu tohoto sloupce (např. category)",
        "test each value of this column separately (e.g. category)",
    ),
    "cli.help.nearrepeat.out": (
        "zapíše tabulku: .csv (výchozí pro český Excel) nebo .xlsx",
        "write the table: .csv (Czech Excel by default) or .xlsx",
    ),
    "cli.help.nearrepeat.lang": (_TABLE_CS, _TABLE_EN),
    # rates
    "cli.help.rates": (
        "míra událostí v SVL a v okolí ubytoven, s poměry měr",
        "incident rates in SVL and hostel buffers, with rate ratios",
    ),
    "cli.help.rates.description": (
        "Míra událostí v sociálně vyloučených lokalitách (SVL) a v okolí ubytoven.\n\n"
        "Pro každou SVL a okolí každé ubytovny: počet událostí, plocha v hektarech, události na "
        "hektar a na měsíc; a zóny uvnitř SVL / v okolí ubytovny / jinde ve městě porovnané "
        "poměrem měr s intervaly spolehlivosti 95 % (vůči „jinde“).",
        "Incident rates in socially excluded localities (SVL) and around hostels.\n\n"
        "For each SVL and each hostel buffer: incidents, area in hectares, incidents per hectare "
        "and per month; and the zones inside SVL / within a hostel buffer / elsewhere in the city "
        'compared as rate ratios with 95% confidence intervals (relative to "elsewhere").',
    ),
    "cli.help.rates.buffer_m": (
        "okolí ubytovny v metrech (výchozí: z konfigurace, 250)",
        "hostel buffer in metres (default: config, 250)",
    ),
    "cli.help.rates.ci": (
        "interval spolehlivosti poměru měr (výchozí lognormal)",
        "confidence interval of the rate ratio (default lognormal)",
    ),
    "cli.help.rates.out": (
        "zapíše tabulku: .csv (výchozí pro český Excel) nebo .xlsx",
        "write the table: .csv (Czech Excel by default) or .xlsx",
    ),
    "cli.help.rates.lang": (_TABLE_CS, _TABLE_EN),
    # evaluate
    "cli.help.evaluate": (
        "porovná metody hotspotů na časovém rozdělení (PAI, PEI, RRI)",
        "compare hotspot methods on a time split (PAI, PEI, RRI)",
    ),
    "cli.help.evaluate.description": (
        "Porovná metody hotspotů na časovém rozdělení (podíl zachycených událostí, PAI, PEI, "
        "RRI).\n\n"
        "Každá metoda se naučí na událostech před --split-date a hodnotí se na událostech od "
        "toho dne (do --test-end). Události jsou z bodového souboru (--input) nebo z úložiště "
        "(--store, jen události s polohou).",
        "Compare the hotspot methods on a time split (hit rate, PAI, PEI, RRI).\n\n"
        "Every method is trained on the incidents before --split-date and judged on those from "
        "it on (up to --test-end). Read incidents from a point file (--input) or from a store "
        "(--store, geocoded incidents only).",
    ),
    "cli.help.evaluate.input": (
        "bodový soubor (GeoPackage, GeoJSON, CSV se sloupci lat/lon …)",
        "point file (GeoPackage, GeoJSON, CSV with lat/lon ...)",
    ),
    "cli.help.evaluate.split_date": (
        "první den testovacího období (RRRR-MM-DD)",
        "first day of the test period (YYYY-MM-DD)",
    ),
    "cli.help.evaluate.test_end": (
        "konec testovacího období, už nezahrnut (výchozí: všechna data)",
        "end of the test period, exclusive (default: all data)",
    ),
    "cli.help.evaluate.cell_size_m": ("velikost buňky mřížky (150 m)", "grid cell size (150 m)"),
    "cli.help.evaluate.area": (
        "polygony území (GeoPackage, GeoJSON, shapefile: město nebo obvody); hodnotí se buňky, "
        "jejichž střed v něm leží (výchozí: konvexní obal událostí)",
        "study area polygons (GeoPackage, GeoJSON, shapefile: the city or the districts); cells "
        "whose centre lies in it are evaluated (default: the incidents' convex hull)",
    ),
    "cli.help.evaluate.crs": (
        "souřadnicový systém sloupců x/y v CSV z --input (např. EPSG:5514); lat/lon žádný "
        "nepotřebují",
        "CRS of x/y columns in a CSV --input (e.g. EPSG:5514); lat/lon need none",
    ),
    "cli.help.evaluate.coverages": (
        "podíly plochy území oddělené čárkou (0.01,0.05,0.1)",
        "shares of the study area, comma separated (0.01,0.05,0.1)",
    ),
    "cli.help.evaluate.json": (
        "vypíše metriky jako JSON podle metody a pokrytí",
        "print metrics keyed by method and coverage",
    ),
    # route
    "cli.help.route": (
        "naplánuje trasy hlídek na směnu, pro jednu i více dvojic (zastávky, časy, GPX, listy)",
        "plan patrol routes for a shift, one or several teams (stops, times, GPX, sheets)",
    ),
    "cli.help.route.description": (
        "Naplánuje trasy jedné směny pro jednu nebo více dvojic (offline).\n\n"
        "Kandidáti jsou z bodového souboru (--candidates: GeoJSON/GeoPackage se sloupcem "
        "priority a volitelně id, name, must_visit, window_start, window_end, dwell_min), nebo se "
        "sestaví z úložiště (--store: soubor .gpkg nebo databáze PostGIS postgresql://…, výchozí "
        "$APK_GEO_STORE; --date, --start-time): místa s nejvíce očekávanými událostmi ve dni a "
        "hodinách směny (sousední horké buňky sloučené do jednoho pojmenovaného místa), nedávné "
        "týdny mají větší váhu (--recent-weeks je poločas). --must-visit 'ZŠ Ostrčilova | "
        "49.8405,18.2856 | 07:35-07:50' (lze opakovat) přidá místo, které trasa musí zahrnout, s "
        "volitelným časem, ve kterém zastávka začne.\n\n"
        "--teams 3 naplánuje tři dvojice, které vyjdou z --start; --teams teams.csv (nebo .toml: "
        "name, start, end, mode, days, shift) naplánuje dvojice ze souboru, které mají službu "
        "v den --date. Žádné dvě dvojice nejsou na stejném místě ve stejnou dobu. Do 15 "
        "kandidátů je plán prokazatelně optimální; nad to ho naplánuje lokální prohledávání, "
        "které skončí po pevném počtu řešení, takže stejný vstup dá stejné trasy na každém "
        "počítači.\n\n"
        "Plán se zapíše do --out jako JSON; --gpx zapíše GPX 1.1 pro telefon, --html list trasy "
        "k tisku, --pdf list jako PDF, --geojson zastávky a cesty pro webovou mapu; s více "
        "dvojicemi má každá vlastní GPX, HTML a PDF (k názvu souboru se přidá název dvojice). "
        "S --network (GraphML nebo liniová vrstva ulic) vedou úseky po ulicích; bez ní jsou to "
        "přímky krát --detour-factor a list to uvádí.\n\n"
        "Trasa naplánovaná z úložiště uvede úložiště v souhrnu (databázi bez hesla) a zapíše "
        "řádek do jeho auditního záznamu (akce route, s --reason, je-li zadán; úložiště "
        "GeoPackage to jen zapíše do logu).",
        "Plan the patrol routes of one shift for one or several teams (offline).\n\n"
        "Candidates come from a point file (--candidates: GeoJSON/GeoPackage with priority and "
        "optional id, name, must_visit, window_start, window_end, dwell_min) or are built from a "
        "store (--store: a .gpkg file or a PostGIS database postgresql://…, default "
        "$APK_GEO_STORE; --date, --start-time): the places with the most expected incidents in "
        "the shift's weekday and hours (neighbouring hot cells merged into one named place), "
        "recent weeks weighted more (--recent-weeks is the half-life). --must-visit 'ZŠ "
        "Ostrčilova | 49.8405,18.2856 | 07:35-07:50' (repeatable) adds a place the route must "
        "include, with an optional window in which the stop must start.\n\n"
        "--teams 3 plans three pairs that start at --start; --teams teams.csv (or .toml: name, "
        "start, end, mode, days, shift) plans the teams of the file that work on --date. No two "
        "teams visit the same place at the same time. Up to 15 candidates the plan is provably "
        "optimal; above that a local search that ends after a fixed number of solutions plans "
        "it, so the same input gives the same routes on any machine.\n\n"
        "The plan is written to --out as JSON; --gpx writes GPX 1.1 for a phone, --html a "
        "printable route sheet, --pdf the sheet as PDF, --geojson the stops and the paths for a "
        "web map; with several teams every team gets its own GPX, HTML and PDF (the team's name "
        "is added to the file name). With --network (GraphML or a line layer of streets) the "
        "legs follow the streets; without it they are straight lines times --detour-factor and "
        "the sheet says so.\n\n"
        "A route planned from a store names the store in the summary (a database without its "
        "password) and leaves a row of its audit log (action route, with --reason if given; a "
        "GeoPackage store only logs it).",
    ),
    "cli.help.route.candidates": (
        "bodový soubor se sloupcem 'priority'",
        "point file with a 'priority' column",
    ),
    "cli.help.route.store": (
        _STORE_CS + "; kandidáti se sestaví pro směnu",
        _STORE_EN + "; candidates are built for the shift",
    ),
    "cli.help.route.start": (
        "výchozí bod: LAT,LON nebo adresa (potřebuje --store nebo --gazetteer), např. základna "
        "APK; povinný, pokud soubor dvojic neuvádí start každé dvojice",
        "start point: LAT,LON or an address (needs --store or --gazetteer), e.g. the APK base; "
        "required unless the teams file gives every team's start",
    ),
    "cli.help.route.end": (
        "cílový bod: LAT,LON nebo adresa (výchozí: start)",
        "end point: LAT,LON or an address (default: the start)",
    ),
    "cli.help.route.gazetteer": (
        "CSV adresních míst RÚIAN pro adresy",
        "RÚIAN address points CSV for addresses",
    ),
    "cli.help.route.teams": (
        "počet dvojic, které vyjdou z --start, nebo soubor dvojic (CSV/TOML: name, start, end, "
        "mode, days, shift)",
        "number of teams starting at --start, or a teams file (CSV/TOML: name, start, end, mode, "
        "days, shift)",
    ),
    "cli.help.route.shift_minutes": ("délka směny v minutách", "length of the shift in minutes"),
    "cli.help.route.shift_start": (
        "začátek směny, např. 2026-11-24T08:00 (místní čas)",
        "shift start, e.g. 2026-11-24T08:00 (local time)",
    ),
    "cli.help.route.date": (
        "datum směny RRRR-MM-DD (s --start-time nebo se souborem dvojic)",
        "shift date YYYY-MM-DD (with --start-time or a teams file)",
    ),
    "cli.help.route.start_time": (
        "začátek směny HH:MM (s --date)",
        "shift start time HH:MM (with --date)",
    ),
    "cli.help.route.dwell_minutes": (
        "doba na každé zastávce v minutách (výchozí 15; sloučená místa dostanou víc)",
        "time at each stop in minutes (default 15; merged places get more)",
    ),
    "cli.help.route.mode": (
        "pohyb: pěšky (foot, výchozí) nebo autem (car)",
        "travel: on foot (foot, default) or by car (car)",
    ),
    "cli.help.route.speed_kmh": (
        "rychlost v km/h (výchozí 4,5 pěšky, 25 autem)",
        "speed in km/h (default 4.5 on foot, 25 by car)",
    ),
    "cli.help.route.detour_factor": _DETOUR,
    "cli.help.route.max_stops": (
        "nejvýš tolik zastávek na dvojici",
        "at most this many stops per team",
    ),
    "cli.help.route.revisit_minutes": (
        "povolí druhou návštěvu nejdřív tolik minut po první",
        "allow a second visit at least this many minutes after the first",
    ),
    "cli.help.route.revisit_within_minutes": (
        "druhá návštěva nejpozději tolik minut po první (s --revisit-minutes)",
        "the second visit at most this many minutes after the first (with --revisit-minutes)",
    ),
    "cli.help.route.must_visit": (
        "místo, které trasa musí zahrnout, s volitelným časem začátku zastávky (např. škola na "
        "začátku vyučování); pro další místa volbu opakujte",
        "a place the route must include, with an optional window for the stop's start (e.g. a "
        "school at the start of lessons); repeat for more places",
    ),
    "cli.help.route.network": _NETWORK,
    "cli.help.route.solution_limit": (
        "počet řešení lokálního prohledávání, po kterém skončí (výchozí 200; deterministické)",
        "local-search solutions before it stops (default 200; deterministic)",
    ),
    "cli.help.route.time_limit_s": (
        "pojistka prohledávání v sekundách skutečného času (výchozí 60; souhrn řekne, když "
        "zasáhne)",
        "wall-clock safety net of the search in seconds (default 60; reported when it fires)",
    ),
    "cli.help.route.top_n": (
        "počet kandidátů z --store (výchozí 50)",
        "candidates from --store (default 50)",
    ),
    "cli.help.route.recent_weeks": (
        "poločas vah událostí v týdnech, s --store (výchozí 8)",
        "half-life of incident weights in weeks, with --store (default 8)",
    ),
    "cli.help.route.cell_size_m": (
        "velikost buňky mřížky v metrech, s --store (výchozí 150)",
        "grid cell size in metres with --store (default 150)",
    ),
    "cli.help.route.lang": _SHEETS,
    "cli.help.route.out": ("soubor plánu (JSON)", "plan JSON file"),
    "cli.help.route.gpx": (
        "zapíše i GPX 1.1 (jeden soubor na dvojici)",
        "also write GPX 1.1 (one file per team)",
    ),
    "cli.help.route.html": (
        "zapíše i list trasy k tisku v HTML (jeden na dvojici)",
        "also write a printable HTML route sheet (one per team)",
    ),
    "cli.help.route.pdf": (
        "zapíše i list trasy jako PDF A4 (jeden na dvojici)",
        "also write the route sheet as an A4 PDF (one per team)",
    ),
    "cli.help.route.geojson": (
        "zapíše i zastávky a cesty jako GeoJSON",
        "also write the stops and the paths as GeoJSON",
    ),
    "cli.help.route.reason": (
        "proč se trasa plánuje (zapíše se do auditního záznamu)",
        "why the route is planned (recorded in the audit log)",
    ),
    # plan-week
    "cli.help.plan_week": (
        "naplánuje týden hlídek pro více dvojic (tabulka směny × místa, listy, GPX)",
        "plan a week of patrols for several teams (shifts × places table, sheets, GPX)",
    ),
    "cli.help.plan_week.description": (
        "Naplánuje týden hlídek pro více dvojic z úložiště (offline).\n\n"
        "Soubor dvojic (CSV nebo TOML: name, start, end, mode, days, shift – viz apk-geo route "
        "--help) říká, kdo má kdy službu. Každá směna se plánuje podle předpovědi pro svůj den "
        "v týdnu a hodiny, takže nejrizikovější místa jsou pokrytá ve dnech a hodinách, kdy jsou "
        "riziková; směny, které se překrývají, se plánují spolu, takže žádné dvě dvojice nejsou "
        "na stejném místě ve stejnou dobu; nejhorší místa směny dostanou druhou návštěvu jednu až "
        "dvě hodiny po první (Koper 1995). Spravedlnost: hodnota místa se půlí s každou dřívější "
        "směnou týdne, která ho navštívila, a každé místo ze seznamu týdne je navštíveno aspoň "
        "jednou (doplní se tam, kde je nejrizikovější, pokud ho plán vynechal).\n\n"
        "Do --out-dir se zapíše plan.json (celý týden), table.csv a table.html (tabulka směny × "
        "místa: časy návštěv podle směny dvojice a místa) a pro každou směnu dvojice list k "
        "tisku <datum>_<HHMM>_<dvojice>.html (--pdf: i PDF) a soubor GPX.",
        "Plan a week of patrols for several teams from a store (offline).\n\n"
        "The teams file (CSV or TOML: name, start, end, mode, days, shift – see apk-geo route "
        "--help) says who works when. Each shift is planned on the forecast for its weekday and "
        "hours, so the riskiest places are covered on the days and hours they are risky; shifts "
        "that overlap are planned together, so no two teams stand at the same place at the same "
        "time; the hottest places of a shift get a second visit one to two hours after the first "
        "(Koper 1995). Fairness: a place's value halves with every earlier shift of the week that "
        "visited it, and every place on the week's list is visited at least once (added where it "
        "is most risky when the plan left it out).\n\n"
        "Written to --out-dir: plan.json (the whole week), table.csv and table.html (the shifts "
        "× places table: visit times per team's shift and place), and per team's shift a "
        "printable sheet <date>_<HHMM>_<team>.html (--pdf: also PDF) and a GPX file.",
    ),
    "cli.help.plan_week.store": ("úložiště událostí (.gpkg)", "incident store (.gpkg)"),
    "cli.help.plan_week.week": ("týden podle ISO, např. 2026-W48", "ISO week, e.g. 2026-W48"),
    "cli.help.plan_week.teams": (
        "soubor dvojic (CSV/TOML se dny a směnou)",
        "teams file (CSV/TOML with days and shift)",
    ),
    "cli.help.plan_week.out_dir": (
        "složka pro plán, tabulku a listy",
        "folder for the plan, table and sheets",
    ),
    "cli.help.plan_week.gazetteer": (
        "CSV adresních míst RÚIAN (výchozí: z úložiště)",
        "RÚIAN address points CSV (default: the store's)",
    ),
    "cli.help.plan_week.network": _NETWORK,
    "cli.help.plan_week.places": (
        "počet míst na seznamu týdne (výchozí: automaticky)",
        "places on the week's list (default: automatic)",
    ),
    "cli.help.plan_week.dwell_minutes": (
        "doba na místě z jedné buňky v minutách (výchozí 15)",
        "time at a one-cell place in minutes (default 15)",
    ),
    "cli.help.plan_week.revisit_minutes": (
        "nejdřívější druhá návštěva v minutách (výchozí 60)",
        "earliest revisit in minutes (default 60)",
    ),
    "cli.help.plan_week.revisit_within_minutes": (
        "nejpozdější druhá návštěva v minutách (výchozí 120)",
        "latest revisit in minutes (default 120)",
    ),
    "cli.help.plan_week.no_revisits": (
        "žádné místo dvakrát za směnu",
        "never visit a place twice a shift",
    ),
    "cli.help.plan_week.repeat_factor": (
        "hodnota místa po každé dřívější návštěvě v týdnu (výchozí 0,5)",
        "value of a place after each earlier visit in the week (default 0.5)",
    ),
    "cli.help.plan_week.detour_factor": _DETOUR,
    "cli.help.plan_week.cell_size_m": (
        "buňka mřížky v metrech (výchozí 150)",
        "grid cell in metres (default 150)",
    ),
    "cli.help.plan_week.recent_weeks": (
        "poločas vah událostí v týdnech (výchozí 8)",
        "half-life of incident weights in weeks (default 8)",
    ),
    "cli.help.plan_week.lang": _SHEETS,
    "cli.help.plan_week.pdf": ("vytiskne každý list i do PDF", "also print every sheet to PDF"),
    # report
    "cli.help.report": (
        "podklady pro porady MDT: HTML, PDF a PNG po oblastech a měsících",
        "MDT meeting packs: HTML, PDF and PNG per area and month",
    ),
    "cli.help.report.description": (
        "Podklady pro porady MDT (HTML, PDF, PNG) pro jednu oblast nebo všech sedm, za jeden "
        "měsíc. Příklady:\n\n"
        "    apk-geo report --store var/demo.gpkg --area Poruba --month 2026-10 --out packs\n"
        "    apk-geo report --store var/demo.gpkg --area all --format html,pdf --out packs --json\n"
        "    apk-geo report --store postgresql://jana@db.mesto.cz/apk_geo --area all --publish\n\n"
        "--store je soubor .gpkg nebo databáze PostGIS (postgresql://…, výchozí $APK_GEO_STORE); "
        "souhrn ji uvede bez hesla.\n\n"
        "--area bere all (nastavené oblasti MDT), název oblasti MDT nebo název městského obvodu "
        "(na velikosti písmen a diakritice nezáleží). --month je výchozí poslední celý měsíc "
        "dat. Úroveň presenter (výchozí) ukazuje jen souhrnné údaje, počty pod 3 skrývá a "
        "zadržuje vše, co by některý prozradilo (ověřuje to útočník, který řeší tabulky "
        "podkladu; souhrn a log ukazují počty jako podklad); úroveň internal ukazuje přesné "
        "počty a body událostí a říká to na každé stránce. Pro všechna PDF a PNG se spustí "
        "jeden Chromium bez okna.\n\n"
        "--publish (databázové úložiště; mentor nebo správce, který smí číst události) uloží "
        "každý podklad úrovně presenter, HTML i PDF, do databáze, kde si ho přečtou "
        "prezentující: role prezentujícího nesmí číst žádnou událost, jen podklady zveřejněné "
        "pro ni. --out pak lze vynechat. Každý vytvořený (zapsaný do --out) nebo zveřejněný "
        "podklad zanechá řádek v auditním záznamu úložiště (akce pack; úložiště GeoPackage to "
        "jen zapíše do logu), s --reason, je-li zadán.",
        "MDT meeting packs (HTML, PDF, PNG) for one area or all seven, one month. Examples:\n\n"
        "    apk-geo report --store var/demo.gpkg --area Poruba --month 2026-10 --out packs\n"
        "    apk-geo report --store var/demo.gpkg --area all --format html,pdf --out packs --json\n"
        "    apk-geo report --store postgresql://jana@db.mesto.cz/apk_geo --area all --publish\n\n"
        "--store is a .gpkg file or a PostGIS database (postgresql://…, default "
        "$APK_GEO_STORE); the summary names it without its password.\n\n"
        "--area takes all (the configured MDT areas), an MDT-area name or a city-district name "
        "(case and diacritics do not matter). --month defaults to the latest complete month of "
        "the data. The presenter tier (default) shows aggregates only, hides counts below 3 and "
        "withholds whatever would give one away (checked by an attacker that solves the pack's "
        "tables; the summary and the log show counts as the pack does); the internal tier shows "
        "exact counts and incident points and says so on every page. One headless Chromium is "
        "started for all PDFs and PNGs.\n\n"
        "--publish (a database store; a mentor, or an administrator who may read the incidents) "
        "stores each presenter-tier pack, HTML and PDF, in the database, where presenters read "
        "it: a presenter's role may read no incident, only the packs published for them. --out "
        "may then be left out. Every pack built (written to --out) or published leaves a row of "
        "the store's audit log (action pack; a GeoPackage store only logs it), with --reason if "
        "given.",
    ),
    "cli.help.report.area": (
        "'all', oblast MDT nebo městský obvod (např. Poruba)",
        "'all', an MDT area or a city district (e.g. Poruba)",
    ),
    "cli.help.report.month": (
        "RRRR-MM (výchozí: poslední celý měsíc s daty)",
        "YYYY-MM (default: the latest complete month with data)",
    ),
    "cli.help.report.format": (
        "oddělené čárkou: html, pdf, png (výchozí všechny tři)",
        "comma-separated: html, pdf, png (default all three)",
    ),
    "cli.help.report.out": (
        "výstupní složka (vytvoří se); s --publish ji lze vynechat",
        "output folder (created); may be left out with --publish",
    ),
    "cli.help.report.publish": (
        "uloží podklady úrovně presenter (HTML a PDF) do databázového úložiště pro prezentující "
        "(úložiště postgresql://; mentoři)",
        "store the presenter-tier packs (HTML and PDF) in the database store, for presenters "
        "(a postgresql:// store; mentors)",
    ),
    "cli.help.report.reason": (
        "proč se podklady tvoří (zapíše se do auditního záznamu)",
        "why the packs are made (recorded in the audit log)",
    ),
    "cli.help.report.tier": (
        "presenter (výchozí: jen souhrnné údaje) nebo internal",
        "presenter (default: aggregates only) or internal",
    ),
    "cli.help.report.lang": (f"jazyk podkladů {_LANG_CS}", f"language of the packs {_LANG_EN}"),
    "cli.help.report.cell_size_m": (
        "buňka mřížky hotspotů v metrech (výchozí 250)",
        "hotspot grid cell in metres (default 250)",
    ),
    "cli.help.report.top": (
        "počet hotspotů v tabulce (výchozí 10)",
        "hot spots in the table (default 10)",
    ),
    "cli.help.report.no_progress": ("skryje ukazatel průběhu", "hide the progress bar"),
    # dashboard
    "cli.help.dashboard": ("spustí dashboard", "start the dashboard"),
    "cli.help.dashboard.description": (
        "Spustí dashboard (Streamlit) nad úložištěm (výchozí adresa 127.0.0.1).",
        "Start the Streamlit dashboard on a store (127.0.0.1 by default).",
    ),
    "cli.help.dashboard.store": (
        "úložiště událostí: soubor GeoPackage nebo URL postgresql:// (výchozí $APK_GEO_STORE "
        "nebo var/demo.gpkg); uživatelé databázového úložiště se přihlašují",
        "incident store: a GeoPackage file or a postgresql:// URL (default: $APK_GEO_STORE or "
        "var/demo.gpkg); users of a database store sign in",
    ),
    "cli.help.dashboard.address": (
        "adresa, na které server naslouchá (127.0.0.1)",
        "address to listen on (127.0.0.1)",
    ),
    "cli.help.dashboard.port": ("port (8501)", "port (8501)"),
    "cli.help.dashboard.presenter": (
        "uzamčený režim pro prezentaci na poradě MDT: jen stránka MDT, bez navigace, bez "
        "surových dat a bez bodů událostí ($APK_GEO_PRESENTER=1)",
        "locked presenter mode for the MDT meeting: only the MDT page, no navigation, no raw "
        "data, no incident points ($APK_GEO_PRESENTER=1)",
    ),
    "cli.help.dashboard.basemap": (
        "místní podkladová mapa ulic: soubor MBTiles s rastrovými dlaždicemi od města (viz "
        "docs/basemap.md; $APK_GEO_BASEMAP)",
        "a local street base map: an MBTiles file of raster tiles the city made (see "
        "docs/basemap.md; $APK_GEO_BASEMAP)",
    ),
    # assets
    "cli.help.assets": (
        "nainstaluje nebo zkontroluje soubory mapy pro prohlížeč (mapy offline)",
        "install or check the map's front-end files (offline maps)",
    ),
    "cli.help.assets.description": (
        "Soubory mapy pro prohlížeč (Leaflet a další), servírované místně.\n\n"
        "install je jednou, při instalaci, stáhne z registru npm (potřebuje npm) do složky, "
        "kterou dashboard servíruje ($APK_GEO_VENDOR_DIR nebo app_pages/static/vendor); status "
        "řekne, zda jsou všechny na místě. Za běhu se nic nenačítá z internetu.",
        "The map's front-end files (Leaflet & co.), served locally.\n\n"
        "install fetches them from the npm registry once, at install time (needs npm), into the "
        "vendor folder the dashboard serves ($APK_GEO_VENDOR_DIR or app_pages/static/vendor); "
        "status says whether every file is there. Nothing is loaded from the internet while the "
        "product runs.",
    ),
    "cli.help.assets.action": (
        "co udělat: install (nainstalovat) nebo status (zkontrolovat)",
        "what to do: install or status",
    ),
    "cli.help.assets.dest": (
        "složka se soubory (výchozí: ta dashboardu)",
        "vendor folder (default: the dashboard's)",
    ),
    "cli.help.assets.node_modules": (
        "zkopíruje je z této složky node_modules místo spuštění npm ci",
        "copy from this node_modules instead of running npm ci",
    ),
    # db
    "cli.help.db": (
        "sdílené úložiště PostGIS: vytvořit (init), přenést GeoPackage (migrate), retence",
        "shared PostGIS store: create (init), copy a GeoPackage in (migrate), retention",
    ),
    "cli.help.db.description": (
        "Založení a správa sdíleného úložiště PostGIS.\n\n"
        '    apk-geo db init --url "$(bash scripts/postgis.sh)" --admin eva    # schéma, role, '
        "první správce\n"
        "    apk-geo db migrate --from var/demo.gpkg --url URL                 # úložiště "
        "GeoPackage do ní\n"
        "    apk-geo db retention --url URL --older-than-years 5 --dry-run     # co by retence "
        "udělala\n\n"
        "init je idempotentní (druhé spuštění nic nezmění); adresu (URL) přihlašovací brány, "
        "kterou dashboard potřebuje, zapíše do soukromého souboru (0600).",
        "Set up and look after a shared PostGIS store.\n\n"
        '    apk-geo db init --url "$(bash scripts/postgis.sh)" --admin eva    # schema, roles, '
        "first admin\n"
        "    apk-geo db migrate --from var/demo.gpkg --url URL                 # a GeoPackage "
        "store into it\n"
        "    apk-geo db retention --url URL --older-than-years 5 --dry-run     # what retention "
        "would do\n\n"
        "init is idempotent (a second run changes nothing); it writes the sign-in gate's URL, "
        "which the dashboard needs, to a private file (0600).",
    ),
    "cli.help.db.action": ("akce", "the action"),
    "cli.help.db.init": (
        "vytvoří nebo aktualizuje schéma, role a pravidla přístupu",
        "create or upgrade the schema, roles and policies",
    ),
    "cli.help.db.init.role_prefix": ("předpona názvů rolí (apk)", "prefix of the role names (apk)"),
    "cli.help.db.init.reset_gate": (
        "dá přihlašovací bráně nové heslo",
        "give the gate a new password",
    ),
    "cli.help.db.init.gate_file": (
        "kam zapsat URL přihlašovací brány (výchozí: viz výše)",
        "where to write the gate's URL (default: see above)",
    ),
    "cli.help.db.init.admin": (
        "vytvoří i tohoto prvního správce",
        "also create this first administrator",
    ),
    "cli.help.db.init.password_stdin": (
        "heslo pro --admin přečte ze standardního vstupu",
        "read --admin's password from stdin",
    ),
    "cli.help.db.migrate": (
        "přenese úložiště GeoPackage do úložiště PostGIS",
        "copy a GeoPackage store into the PostGIS one",
    ),
    "cli.help.db.migrate.source": ("úložiště .gpkg", "the .gpkg store"),
    "cli.help.db.migrate.lock_timeout": (
        "jak dlouho čekat na jiný zápis do úložiště PostGIS, v sekundách (výchozí 60)",
        "wait this long for another writer of the PostGIS store, in seconds (default 60)",
    ),
    "cli.help.db.retention": (
        "anonymizuje nebo smaže události starší než doba uchování",
        "anonymise or delete incidents past retention",
    ),
    "cli.help.db.retention.older_than_years": (
        "doba uchování v letech (výchozí: nastavení)",
        "period in years (default: the setting)",
    ),
    "cli.help.db.retention.mode": (
        "anonymise (anonymizovat) nebo delete (smazat); výchozí: nastavení",
        "anonymise or delete; default: the setting",
    ),
    "cli.help.db.retention.dry_run": ("jen spočítá, nic nezmění", "count only, change nothing"),
    "cli.help.db.retention.set_years": (
        "uloží dobu (a --mode) jako nastavení",
        "store the period (and --mode) as the setting",
    ),
    "cli.help.db.retention.reason": _REASON,
    # user
    "cli.help.user": (
        "uživatelé sdíleného úložiště: přidat, vypsat, zablokovat",
        "users of a shared store: add, list, disable",
    ),
    "cli.help.user.description": (
        "Uživatelé sdíleného úložiště PostGIS.\n\n"
        "    apk-geo user add anna --role mentor --url URL                  # heslo z výzvy\n"
        "    apk-geo user add petr --role analyst --areas Poruba --password-stdin\n"
        "    apk-geo user list --url URL\n"
        '    apk-geo user disable anna --url URL --reason "odešla z týmu"\n\n'
        "Každý uživatel je přihlašovací role PostgreSQL (SCRAM-SHA-256) v jedné skupině: "
        "presenter (prezentující), analyst (analytik), mentor nebo admin (správce); --areas "
        "omezí, co vidí, na některé oblasti MDT. Smí to jen správce.",
        "The users of a shared PostGIS store.\n\n"
        "    apk-geo user add anna --role mentor --url URL                  # password at a "
        "prompt\n"
        "    apk-geo user add petr --role analyst --areas Poruba --password-stdin\n"
        "    apk-geo user list --url URL\n"
        '    apk-geo user disable anna --url URL --reason "left the team"\n\n'
        "Each user is a PostgreSQL login role (SCRAM-SHA-256) in one group: presenter, analyst, "
        "mentor or admin; --areas limits what they see to some MDT areas. Only an administrator "
        "may do this.",
    ),
    "cli.help.user.action": ("akce", "the action"),
    "cli.help.user.name": ("přihlašovací jméno uživatele", "the user's login name"),
    "cli.help.user.reason": _REASON,
    "cli.help.user.add": (
        "vytvoří uživatele (heslo z výzvy nebo ze standardního vstupu)",
        "create a user (password from a prompt or stdin)",
    ),
    "cli.help.user.add.role": (
        "role: presenter, analyst, mentor nebo admin",
        "role: presenter, analyst, mentor or admin",
    ),
    "cli.help.user.add.areas": (
        "jen tyto oblasti MDT, oddělené čárkou",
        "MDT areas only, comma separated",
    ),
    "cli.help.user.add.password_stdin": (
        "heslo přečte ze standardního vstupu",
        "read the password from stdin",
    ),
    "cli.help.user.list": ("vypíše uživatele", "list the users"),
    "cli.help.user.disable": ("zakáže uživateli přihlášení", "stop a user signing in"),
    "cli.help.user.enable": ("znovu povolí uživateli přihlášení", "let a user sign in again"),
    "cli.help.user.areas": (
        "omezí uživatele na některé oblasti MDT (nebo omezení zruší)",
        "limit a user to some MDT areas (or to none)",
    ),
    "cli.help.user.areas.set": ("oblasti MDT, oddělené čárkou", "MDT areas, comma separated"),
    "cli.help.user.areas.clear": ("všechny oblasti", "all areas"),
    # audit
    "cli.help.audit": (
        "čte auditní záznam sdíleného úložiště",
        "read the audit trail of a shared store",
    ),
    "cli.help.audit.description": (
        "Čte auditní záznam (pro správce): kdo co kdy a proč udělal – přihlášení (i neúspěšná), "
        "importy s jejich počty, čtení dat o jednotlivých událostech, exporty, podklady, trasy, "
        "změny uživatelů, běhy retence. Nejnovější první.",
        "Read the audit trail (admins): who did what, when and why – sign-ins (and failures), "
        "imports with their counts, reads of incident-level data, exports, packs, routes, user "
        "changes, retention runs. Newest first.",
    ),
    "cli.help.audit.user": ("řádky od tohoto uživatele nebo o něm", "rows by or about this user"),
    "cli.help.audit.since": (
        "od tohoto data nebo data a času (RRRR-MM-DD[THH:MM])",
        "from this date or date-time (YYYY-MM-DD[THH:MM])",
    ),
    "cli.help.audit.until": (
        "před tímto datem nebo datem a časem",
        "before this date or date-time",
    ),
    "cli.help.audit.action": (
        "jen jednu akci (import, signin_failed, export …)",
        "one action only (import, signin_failed, export …)",
    ),
    "cli.help.audit.limit": ("nejvýš tolik řádků (1000)", "at most this many rows (1000)"),
    # the command line's other messages (apk_geo/_cli/*.py): texts of apk_geo.i18n, with fields
    "cli.warning": ("varování: {message}", "warning: {message}"),
    "cli.dashboard.listening": ("{url}  (úložiště: {store})", "{url}  (store: {store})"),
    "cli.dashboard.assets_missing": (
        "{n:plural:chybí|chybějí|chybí} {n} {n:plural:soubor|soubory|souborů} map pro prohlížeč "
        "v {folder}; mapy zůstanou prázdné, dokud se nespustí `apk-geo assets install`",
        "{n} front-end {n:plural:file|files} missing in {folder}; maps stay blank until "
        "`apk-geo assets install` is run",
    ),
    "cli.password.prompt": ("Heslo", "Password"),
    "cli.password.prompt_for": ("Heslo uživatele {name}", "Password for {name}"),
    "cli.password.again": ("{prompt} (znovu)", "{prompt} (again)"),
    "cli.password.no_terminal": (
        "není terminál, kde se zeptat na heslo; použijte --password-stdin",
        "no terminal for the password prompt; pass --password-stdin",
    ),
    "cli.password.differ": (
        "zadaná hesla se liší; nic se nezměnilo",
        "the two passwords differ; nothing was changed",
    ),
    "cli.usage.shares": (
        "očekávány podíly jako 0.01,0.05,0.1, zadáno {value}",
        "expected shares such as 0.01,0.05,0.1; got {value}",
    ),
    "cli.usage.shares_range": (
        "očekávány podíly z intervalu (0, 1], např. 0.05, zadáno {value}",
        "expected shares in (0, 1] such as 0.05; got {value}",
    ),
    # the command line's summaries (apk_geo/_cli/_labels.py: status, ingest, quarantine)
    "cli.key.store": ("úložiště", "store"),
    "cli.key.incidents": ("události", "incidents"),
    "cli.key.geocoded": ("s polohou", "geocoded"),
    "cli.key.not_geocoded": ("bez polohy", "not geocoded"),
    "cli.key.quarantined": ("v karanténě", "quarantined"),
    "cli.key.versions": ("nahrazené verze", "versions"),
    "cli.key.sources": ("zdroje", "sources"),
    "cli.key.date_from": ("nejstarší událost", "earliest incident"),
    "cli.key.date_to": ("nejnovější událost", "latest incident"),
    "cli.key.imports": ("importy", "imports"),
    "cli.key.context_layers": ("kontextové vrstvy", "context layers"),
    "cli.key.synthetic": ("syntetická data", "synthetic"),
    "cli.key.reconciled": ("bilance sedí", "reconciled"),
    "cli.key.read": ("načteno", "read"),
    "cli.key.accepted": ("přijato", "accepted"),
    "cli.key.updated": ("aktualizováno", "updated"),
    "cli.key.stale": ("starší než uložené", "stale"),
    "cli.key.reverted": ("vráceno ke starší verzi", "reverted"),
    "cli.key.duplicates": ("duplicity", "duplicates"),
    "cli.key.versions_kept": ("uchované verze", "versions kept"),
    "cli.key.rows": ("řádky", "rows"),
    "cli.key.out": ("soubor", "file"),
    "cli.key.seed": ("semínko náhody", "seed"),
    "cli.key.exports": ("exporty", "exports"),
    "cli.value.synthetic": ("ANO (ukázková data)", "YES (demo data)"),
    "cli.status.title": ("Úložiště {store}:", "Store {store}:"),
    "cli.status.last_imports": ("poslední importy:", "last imports:"),
    "cli.status.not_reconciled": (
        "{store} nesouhlasí se záznamy: {problems}",
        "{store} does not reconcile: {problems}",
    ),
    "cli.ingest.title": ("Import {file} do {store}:", "Imported {file} into {store}:"),
    "cli.ingest.dry_title": (
        "Zkušební běh, nic nebylo zapsáno: import {file} do {store} by dal:",
        "Dry run, nothing written: importing {file} into {store} would give:",
    ),
    "cli.ingest.quarantined": (
        "{n} {n:plural:řádek je|řádky jsou|řádků je} v karanténě: apk-geo quarantine --store "
        "{store} --out karantena.csv",
        "{n} {n:plural:row|rows} quarantined: apk-geo quarantine --store {store} --out "
        "quarantine.csv",
    ),
    "cli.ingest.reverted": (
        "{n} {n:plural:záznam se vrátil|záznamy se vrátily|záznamů se vrátilo} ke starší verzi "
        "(byl znovu importován starší export?); nahrazené verze jsou ve vrstvě incident_versions",
        "{n} {n:plural:record|records} turned back to an older version (an older export "
        "imported again?); the replaced versions are kept in the incident_versions layer",
    ),
    "cli.ingest.would_revert": (
        "{n} {n:plural:záznam by se vrátil|záznamy by se vrátily|záznamů by se vrátilo} ke "
        "starší verzi (importujete znovu starší export?); nahrazené verze by zůstaly ve vrstvě "
        "incident_versions",
        "{n} {n:plural:record|records} would turn back to an older version (an older export "
        "imported again?); the replaced versions would be kept in the incident_versions layer",
    ),
    "cli.quarantine.title": ("Karanténa úložiště {store}:", "Quarantine of {store}:"),
    # the command line's errors (apk_geo/cli.py): "apk-geo ingest: chyba: …"
    "cli.error": ("chyba: {message}", "error: {message}"),
    "cli.see_help": ("{message} (viz {prog} --help)", "{message} (see {prog} --help)"),
    "cli.unexpected": (
        "neočekávaná chyba: {kind}: {message} (podrobnosti vypíše spuštění s --debug)",
        "unexpected error: {kind}: {message} (run with --debug for the traceback)",
    ),
    "cli.interrupted": (
        "přerušeno; uložená data se nezměnila",
        "interrupted; stored data is unchanged",
    ),
    "cli.not_text": (
        "{files}: není textový soubor ({encoding} nedokáže přečíst bajt {start}: {reason}); "
        "je to správný soubor?",
        "{files}: not a text file ({encoding} cannot decode byte {start}: {reason}); is it the "
        "right file?",
    ),
    "cli.an_input_file": ("vstupní soubor", "an input file"),
    # argparse's usage errors (apk_geo/_cli/_usage.py); English as argparse words them
    "cli.usage.argument": ("argument {arg}: {message}", "argument {arg}: {message}"),
    "cli.usage.required": (
        "chybí povinné argumenty: {args}",
        "the following arguments are required: {args}",
    ),
    "cli.usage.unrecognized": ("neznámé argumenty: {args}", "unrecognized arguments: {args}"),
    "cli.usage.one_of": (
        "je třeba zadat jeden z argumentů {args}",
        "one of the arguments {args} is required",
    ),
    "cli.usage.not_with": (
        "nelze zadat spolu s argumentem {arg}",
        "not allowed with argument {arg}",
    ),
    "cli.usage.ambiguous": (
        "nejednoznačná volba {option}, může znamenat {matches}",
        "ambiguous option: {option} could match {matches}",
    ),
    "cli.usage.choice": (
        "neplatná hodnota {value} (možnosti: {choices})",
        "invalid choice: {value} (choose from {choices})",
    ),
    "cli.usage.value": (
        "neplatná hodnota {value} (typ {type})",
        "invalid {type} value: {value}",
    ),
    "cli.usage.one_value": ("chybí hodnota", "expected one argument"),
    "cli.usage.some_values": ("chybí aspoň jedna hodnota", "expected at least one argument"),
    "cli.usage.at_most_one": ("nejvýš jedna hodnota", "expected at most one argument"),
    "cli.usage.no_value": (
        "hodnotu nepřijímá, zadáno {value}",
        "ignored explicit argument {value}",
    ),
    "cli.usage.encoding": (
        "{value} není kódování textu; použijte např. utf-8, utf-8-sig nebo cp1250",
        "{value} is not a text encoding; use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "cli.usage.blank": (
        "očekáváno neprázdné jméno, zadáno {value}",
        "expected a non-empty name, got {value}",
    ),
    "cli.usage.seconds": (
        "očekáván počet sekund >= 0, zadáno {value}",
        "expected a number of seconds >= 0, got {value}",
    ),
    "cli.demo.title": (
        "Demo úložiště {store} (syntetická data):",
        "Demo store {store} (synthetic data):",
    ),
    "cli.demo.imports": ("importy:", "imports:"),
    # the commands' own errors (apk_geo/_cli/*.py); English as the commands always said it
    "cli.err.option": ("{option}: {reason}", "{option}: {reason}"),
    "cli.err.hotspots_none": (
        "filtrům (data, kategorie, obvody) neodpovídá žádná událost s polohou; rozšiřte je",
        "no located incident matches the filters (dates, categories, districts); widen them",
    ),
    "cli.err.out_suffix": (
        "--out musí končit na {suffixes}; zadáno {name}",
        "--out must end with {suffixes}; got {name}",
    ),
    "cli.err.dates": (
        "{option} musí být datum jako 2024-03-31, zadáno {value}",
        "{option} must be a date such as 2024-03-31; got {value}",
    ),
    "cli.err.dates_order": (
        "--from {start} musí být před --to {end}",
        "--from {start} must be before --to {end}",
    ),
    "cli.err.district_unknown": (
        "--district {wanted} neodpovídá žádnému obvodu; známé obvody: {known}",
        "--district {wanted} matches no district; known: {known}",
    ),
    "cli.err.district_needs_store": (
        "--district potřebuje --store (soubor bodů obvody nemá)",
        "--district needs --store (a point file has no districts)",
    ),
    "cli.err.category_column": (
        "--category potřebuje sloupec kategorie; {path} má sloupce {columns}",
        "--category needs a category column; {path} has {columns}",
    ),
    "cli.err.date_column": (
        "--from/--to potřebují sloupec s datem; {path} žádný nemá (--date-col)",
        "--from/--to need a date column; {path} has none (--date-col)",
    ),
    "cli.err.formats": (
        "--format očekává čárkami oddělený seznam z {formats}; zadáno {value}",
        "--format takes a comma-separated list of {formats}; got {value}",
    ),
    "cli.err.out_required": (
        "chybí --out SLOŽKA (nebo --publish s databázovým úložištěm)",
        "--out FOLDER is required (or --publish, with a database store)",
    ),
    "cli.err.publish_file": (
        "--publish potřebuje databázové úložiště (postgresql://…); {store} je soubor, jehož "
        "balíčky se zapisují přes --out",
        "--publish needs a database store (postgresql://…); {store} is a file, whose packs are "
        "written with --out",
    ),
    "cli.err.publish_tier": (
        "--publish ukládá jen balíčky pro prezentující (presenter); zadáno --tier {tier}",
        "--publish stores presenter-tier packs only; got --tier {tier}",
    ),
    "cli.err.no_month": (
        "{store}: data nepokrývají žádný celý měsíc; zadejte --month",
        "{store}: no complete month of data; pass --month",
    ),
    "cli.err.point_required": (
        "chybí {flag} (ŠÍŘKA,DÉLKA nebo adresa)",
        "{flag} is required (LAT,LON or an address)",
    ),
    "cli.err.start_for_teams": (
        "--start pro týmy bez startu",
        "--start for teams without a start",
    ),
    "cli.err.shift_twice": (
        "zadejte buď --shift-start, nebo --date s --start-time, ne obojí",
        "give either --shift-start or --date with --start-time, not both",
    ),
    "cli.err.shift_missing": (
        "chybí směna: zadejte --shift-start 2026-11-24T08:00 (nebo --date 2026-11-24 "
        "--start-time 08:00) a --shift-minutes, nebo soubor týmů s hodinami směn a --date",
        "the shift is missing: give --shift-start 2026-11-24T08:00 (or --date 2026-11-24 "
        "--start-time 08:00) and --shift-minutes, or a teams file with shift hours and --date",
    ),
    "cli.err.no_team_on": (
        "--teams {spec}: dne {day} nepracuje žádný tým",
        "--teams {spec}: no team works on {day}",
    ),
    "cli.err.area_unreadable": (
        "oblast studie nelze přečíst: {reason}",
        "cannot read the study area: {reason}",
    ),
    "cli.err.area_crs": (
        "{path}: oblast studie nemá souřadnicový systém; uložte ji s ním (např. EPSG:5514)",
        "{path}: the study area has no CRS; save it with one (e.g. EPSG:5514)",
    ),
    "cli.err.area_polygons": (
        "{path}: oblast studie musí obsahovat polygony, obsahuje {kinds}",
        "{path}: the study area must hold polygons, got {kinds}",
    ),
    "cli.err.no_geometry": ("žádnou geometrii", "no geometry"),
    "cli.route.safety_net": (
        "časová pojistka ukončila hledání; plán se může lišit",
        "the wall-clock safety net ended the search; the plan may differ",
    ),
    "cli.db.ready": ("Sdílené úložiště je připraveno:", "Shared store ready:"),
    "cli.db.up_to_date": ("žádné (úložiště je aktuální)", "none (up to date)"),
    "cli.db.gate_written": (
        "{role}, adresa URL zapsána do {file} (0600)",
        "{role}, URL written to {file} (0600)",
    ),
    "cli.db.gate_unchanged": (
        "{role} (beze změny; nové heslo dá --reset-gate)",
        "{role} (unchanged; --reset-gate gives a new password)",
    ),
    "cli.user.added": ("Uživatel {name} přidán ({role}).", "User {name} added ({role})."),
    "cli.user.added_areas": (
        "Uživatel {name} přidán ({role}, obvody {areas}).",
        "User {name} added ({role}, areas {areas}).",
    ),
    "cli.user.count": (
        "{n} {n:plural:uživatel|uživatelé|uživatelů}:",
        "{n} {n:plural:user|users}:",
    ),
    "cli.user.disabled_state": ("ZAKÁZÁN", "DISABLED"),
    "cli.user.active": ("aktivní", "active"),
    "cli.user.all_areas": ("všechny obvody", "all areas"),
    "cli.user.never": ("nikdy", "never"),
    "cli.user.last_signin": ("poslední přihlášení {when}", "last sign-in {when}"),
    "cli.user.enabled": ("Uživatel {name} povolen.", "User {name} enabled."),
    "cli.user.disabled": ("Uživatel {name} zakázán.", "User {name} disabled."),
    "cli.user.areas": ("Uživatel {name}: {areas}.", "User {name}: {areas}."),
    "cli.audit.title": (
        "{n} {n:plural:záznam|záznamy|záznamů} auditu, od nejnovějšího:",
        "{n} audit {n:plural:row|rows}, newest first:",
    ),
    "cli.audit.reason": ("důvod: {reason}", "reason: {reason}"),
    "cli.err.no_column": (
        "chybí sloupec {column}; sloupce jsou {columns}",
        "no column {column}; the columns are {columns}",
    ),
    "cli.err.no_address": (
        "chybí sloupec adresy i sloupce souřadnic; sloupce jsou {columns}; sloupec adresy určete "
        "přes --address-col",
        "no address column and no coordinate columns; the columns are {columns}; name the "
        "address column with --address-col",
    ),
    "cli.err.quarantine_write": (
        "{file}: export karantény nelze zapsat: {reason}",
        "{file}: cannot write the quarantine export: {reason}",
    ),
    "cli.err.may_not_publish": (
        "{store}: tento uživatel nesmí zveřejňovat balíčky (smí mentoři a správci); spusťte "
        "apk-geo report --publish jako mentor",
        "{store}: this user may not publish packs (mentors and administrators may); run apk-geo "
        "report --publish as a mentor",
    ),
    "cli.err.no_entry_script": (
        "chybí vstupní skript dashboardu; nainstalujte balíček znovu",
        "the dashboard's entry script is missing; reinstall",
    ),
    "cli.db.migrated": (
        "Převedeno (řádky v GeoPackage → v PostGIS):",
        "Migrated (rows in the GeoPackage → in PostGIS):",
    ),
    "cli.db.retention_set": ("Nastavení doby uchování uloženo:", "Retention settings stored:"),
    "cli.db.retention_dry": (
        "Doba uchování (zkušební běh, nic se nezměnilo):",
        "Retention (dry run, nothing changed):",
    ),
    "cli.db.retention_done": ("Doba uchování uplatněna:", "Retention done:"),
    # apk-geo route's and plan-week's summaries (labels of apk_geo/_cli/_labels.py)
    "cli.route.title": ("Trasa hlídky:", "Patrol route:"),
    "cli.route.order_of": ("pořadí – {team}", "order {team}"),
    "cli.key.teams": ("týmy", "teams"),
    "cli.key.stops": ("zastávky", "stops"),
    "cli.key.distance_m": ("vzdálenost (m)", "distance (m)"),
    "cli.key.priority_collected": ("získaná priorita", "priority collected"),
    "cli.key.priority_available": ("dostupná priorita", "priority available"),
    "cli.key.coverage_share": ("podíl pokryté priority", "coverage share"),
    "cli.key.solver": ("řešič", "solver"),
    "cli.key.optimal": ("optimální", "optimal"),
    "cli.key.order": ("pořadí", "order"),
    "cli.key.warning": ("varování", "warning"),
    "cli.key.gpx": ("GPX", "GPX"),
    "cli.key.html": ("listy trasy (HTML)", "route sheets (HTML)"),
    "cli.key.pdf": ("listy trasy (PDF)", "route sheets (PDF)"),
    "cli.key.geojson": ("GeoJSON", "GeoJSON"),
    "cli.plan_week.title": (
        "{number}. týden {year} ({week}):",
        "Week {number} of {year} ({week}):",
    ),
    "cli.plan_week.visits": (
        "{lo}–{hi} {n:plural:směna|směny|směn}",
        "{lo}–{hi} {n:plural:shifts|shifts}",
    ),
    "cli.key.week": ("týden", "week"),
    "cli.key.shifts": ("směny", "shifts"),
    "cli.key.team_shifts": ("směny týmů", "team shifts"),
    "cli.key.places": ("místa", "places"),
    "cli.key.covered": ("pokrytá místa", "places covered"),
    "cli.key.visits_per_place": ("návštěvy místa", "visits per place"),
    "cli.key.added_by_fairness": ("přidáno pro rovnoměrnost", "added by fairness"),
    "cli.key.uncovered": ("nepokrytá místa", "uncovered"),
    "cli.key.out_dir": ("složka", "folder"),
    "cli.key.plan": ("plán", "plan"),
    "cli.key.table": ("tabulka", "table"),
    "cli.key.sheets": ("listy trasy", "route sheets"),
    # the summaries of geocode, assets, nearrepeat, rates and evaluate (text, not --json)
    "cli.geocode.title": ("Geokódování dokončeno:", "Geocoding finished"),
    "cli.key.input": ("vstup", "input"),
    "cli.key.output": ("výstup", "output"),
    "cli.key.exact": ("přesná shoda", "exact"),
    "cli.key.fuzzy": ("přibližná shoda", "fuzzy"),
    "cli.key.street": ("jen ulice", "street"),
    "cli.key.coordinates": ("ze souřadnic", "coordinates"),
    "cli.key.failed": ("nenalezeno", "failed"),
    "cli.key.gazetteer_points": ("adresní místa RÚIAN", "gazetteer points"),
    "cli.key.address_column": ("sloupec adresy", "address column"),
    "cli.key.seconds": ("doba (s)", "seconds"),
    "cli.key.folder": ("složka", "folder"),
    "cli.key.files": ("soubory", "files"),
    "cli.key.packages": ("balíčky", "packages"),
    "cli.key.installed": ("nainstalováno", "installed"),
    "cli.key.missing": ("chybí", "missing"),
    "cli.assets.installed_title": (
        "Soubory webového rozhraní (mapy) nainstalovány:",
        "Front-end assets installed:",
    ),
    "cli.assets.title": ("Soubory webového rozhraní (mapy):", "Front-end assets:"),
    "cli.nearrepeat.title": (
        "Knoxův test (do {distance} m a do {days} d):",
        "Knox test ({distance} m, {days} days):",
    ),
    "cli.nearrepeat.all": ("vše", "all"),
    "cli.nearrepeat.row": (
        "pozorováno {observed}, očekáváno {expected:.1f}, poměr {ratio:.2f}, p {p:.3f}",
        "observed {observed}, expected {expected:.1f}, ratio {ratio:.2f}, p {p:.3f}",
    ),
    "cli.rates.title": (
        "Míry výskytu (poměr měr proti zbytku města):",
        "Rates (rate ratio against elsewhere in the city):",
    ),
    "cli.rates.row": (
        "{n} {n:plural:událost|události|událostí}, {per_ha:.3f} /ha/měsíc, RR {rr:.2f} "
        "[{lo:.2f}; {hi:.2f}]",
        "{n} {n:plural:incident|incidents}, {per_ha:.3f} /ha/month, RR {rr:.2f} "
        "[{lo:.2f}, {hi:.2f}]",
    ),
    "cli.rates.kind.zone": ("pásmo", "zone"),
    "cli.rates.kind.svl": ("SVL", "svl"),
    "cli.rates.kind.hostel": ("ubytovna", "hostel"),
    "cli.rates.zone.inside_svl": ("uvnitř SVL", "inside_svl"),
    "cli.rates.zone.hostel_buffer": ("okolí ubytoven", "hostel_buffer"),
    "cli.rates.zone.elsewhere": ("zbytek města", "elsewhere"),
    "cli.evaluate.heading": (
        "Vyhodnocení: {n_train} {n_train:plural:trénovací událost|trénovací události|"
        "trénovacích událostí} před {split_date}, {n_test} {n_test:plural:testovací událost|"
        "testovací události|testovacích událostí}; {n_cells} {n_cells:plural:buňka|buňky|buněk} "
        "o straně {cell} m ({rule}; území: {area}, {km2:.1f} km²)",
        "Evaluation: {n_train} training incidents before {split_date}, {n_test} test incidents; "
        "{n_cells} cells of {cell} m ({rule}; study area: {area}, {km2:.1f} km²)",
    ),
    "cli.evaluate.cell_rule": (
        "celé stejně velké buňky, jejichž střed leží v území",
        "whole cells of equal size whose centre lies in the study area",
    ),
    "cli.evaluate.area.area": ("zadané území", "area"),
    "cli.evaluate.area.convex_hull": ("konvexní obal událostí", "convex_hull"),
    "cli.evaluate.col.method": ("metoda", "method"),
    "cli.evaluate.col.coverage": ("pokrytí", "coverage"),
    "cli.evaluate.col.area_share": ("podíl plochy", "area_share"),
    "cli.evaluate.col.hits": ("zásahy", "hits"),
    "cli.evaluate.col.hit_rate": ("úspěšnost", "hit_rate"),
    "cli.evaluate.col.gain": ("zisk vs. {baseline}", "gain_vs_{baseline}"),
    "cli.evaluate.col.gain_lo": ("zisk vs. {baseline} dolní", "gain_vs_{baseline}_lo"),
    "cli.evaluate.col.gain_hi": ("zisk vs. {baseline} horní", "gain_vs_{baseline}_hi"),
    "cli.evaluate.footer": (
        "zisk vs. …: rozdíl úspěšnosti proti základní metodě (0,010 = 1 procentní bod) "
        "s intervalem spolehlivosti 95 % z bootstrapu po dnech (dolní, horní)",
        "gain_vs_*: hit-rate difference against the baseline (0.010 = 1 percentage point) with "
        "its 95% day-block bootstrap interval (_lo, _hi)",
    ),
}
