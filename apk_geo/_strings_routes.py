"""Strings of patrol routes: the routes page, route sheets, exports, weeks, maps.

The routes page (one route and the week view), route sheets, GPX and JSON exports, week plans and
route maps. Keys under ``route.``, ``sheet.``, ``week.``, ``place.``; each key maps to (Czech,
English). :mod:`apk_geo.i18n` merges this module with the other ``_strings_*`` modules into
:data:`apk_geo.i18n.STRINGS` and refuses a key defined in two of them.
"""

from __future__ import annotations

from typing import Final

STRINGS: Final[dict[str, tuple[str, str]]] = {
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
    "place.stop": ("zastávka", "stop"),
    "place.unnamed": ("místo bez názvu", "unnamed place"),
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
    "route.address_not_found_why": (
        "Adresu „{text}“ v adresních místech úložiště nenacházím: {reason}.",
        "The address “{text}” is not among the store's address points: {reason}.",
    ),
    "route.found": ("Nalezeno: {address}", "Found: {address}"),
    "route.synthetic_line": (
        "SYNTETICKÁ DEMO DATA – nejde o skutečné události",
        "SYNTHETIC DEMO DATA – not real incidents",
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
    "week.title": (
        "Týdenní plán hlídek – {number}. týden {year}",
        "Weekly patrol plan – week {number} of {year}",
    ),
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
    # route maps (apk_geo.route_maps)
    "route.legend_row": ("{team} · zastávek: {n}", "{team} · stops: {n}"),
    # the week view of the routes page (app_pages/_route_week.py)
    "route.view": ("Plánovat", "Plan"),
    "route.view_one": ("Jedna trasa", "One route"),
    "route.view_week": ("Týden", "Week"),
    "route.week_pick": ("Týden (ISO)", "Week (ISO)"),
    "route.week_label": (
        "{number}. týden {year}: {first} – {last}",
        "Week {number} of {year}: {first} – {last}",
    ),
    "route.week_teams": ("Počet dvojic", "Number of pairs"),
    "route.week_days": ("Dny (např. po-pá)", "Days (e.g. mon-fri)"),
    "route.week_hours": ("Směna (HH:MM-HH:MM)", "Shift (HH:MM-HH:MM)"),
    "route.week_file": (
        "Soubor dvojic (CSV nebo TOML, nepovinný)",
        "Teams file (CSV or TOML, optional)",
    ),
    "route.week_file_help": (
        "Sloupce: name; start; end; mode; days; shift (jako apk-geo plan-week --teams). Dvojice "
        "bez startu vyjdou ze startu výše, dvojice bez hodin mají dny a směnu výše.",
        "Columns: name; start; end; mode; days; shift (as apk-geo plan-week --teams). Pairs "
        "without a start start at the start above, pairs without hours take the days and shift "
        "above.",
    ),
    "route.week_plan": ("Naplánovat týden", "Plan the week"),
    "route.week_planning": (
        "Plánuji týden (desítky sekund)…",
        "Planning the week (tens of seconds)…",
    ),
    "route.week_none_yet": (
        "Zvolte týden a dvojice a stiskněte „Naplánovat týden“.",
        "Pick the week and the pairs, then press “Plan the week”.",
    ),
    "route.week_failed": ("Týden nelze naplánovat: {reason}", "Cannot plan the week: {reason}"),
    "route.week_summary": (
        "Směn: {shifts} · tras dvojic: {routes} · pokrytých míst: {covered} z {places}",
        "Shifts: {shifts} · pair routes: {routes} · places covered: {covered} of {places}",
    ),
    "route.week_fairness": (
        "Pravidlo: každé místo ze seznamu týdne má být navštíveno alespoň jednou (místo, které "
        "se nevejde do žádné směny, je vypsáno jako nepokryté); hodnota místa klesá na polovinu "
        "s každou dřívější směnou týdne, která ho navštívila. V buňkách jsou časy návštěv.",
        "The rule: every place on the week's list is to be visited at least once (a place that "
        "fits no shift is listed as not covered); a place's value halves with every earlier "
        "shift of the week that visited it. The cells hold the visit times.",
    ),
    "route.week_uncovered": ("Nepokrytá místa: {places}", "Places not covered: {places}"),
    "route.week_table": ("Směny × místa", "Shifts × places"),
    "route.week_shift": ("Směna na mapě", "Shift on the map"),
    "route.week_zip": ("Stáhnout vše (ZIP)", "Download all (ZIP)"),
    "route.week_csv": ("Tabulka (CSV)", "Table (CSV)"),
    "route.week_html": ("Tabulka k tisku (HTML)", "Printable table (HTML)"),
    # errors of teams, shifts and weeks (apk_geo/routes/_messages.py); English as the library says
    "route.teams.in_file": ("{path}: {message}", "{path}: {message}"),
    # a start, an end or a must-visit place (routes/places.py, routes/_messages.py)
    "route.point.not_degrees": (
        "{text} není dvojice zeměpisná šířka, délka ve stupních",
        "{text} is not a latitude, longitude pair in degrees",
    ),
    "route.point.needs_gazetteer": (
        "{text} není LAT,LON (např. 49.8353,18.2920); adresu lze najít jen v adresních bodech "
        "(úložiště s adresními body, nebo --gazetteer RUIAN.csv)",
        "{text} is not LAT,LON (e.g. 49.8353,18.2920); an address needs a gazetteer "
        "(a store with address points, or --gazetteer RUIAN.csv)",
    ),
    "route.point.not_found": (
        "adresa {text} nebyla nalezena: {reason}",
        "address {text} not found: {reason}",
    ),
    "route.point.must_visit_format": (
        "místo k povinné návštěvě {spec}: očekává se 'NÁZEV | LAT,LON nebo adresa | "
        "HH:MM-HH:MM' (časové okno je nepovinné)",
        "must-visit place {spec}: expected 'NAME | LAT,LON or address | HH:MM-HH:MM' (the "
        "time window is optional)",
    ),
    "route.point.must_visit_window": (
        "místo k povinné návštěvě {spec}: časové okno {window} není ve tvaru HH:MM-HH:MM "
        "(např. 07:30-07:50)",
        "must-visit place {spec}: the time window {window} is not HH:MM-HH:MM (e.g. 07:30-07:50)",
    ),
    "route.point.must_visit": (
        "místo k povinné návštěvě {spec}: {reason}",
        "must-visit place {spec}: {reason}",
    ),
    "route.teams.not_found": ("soubor týmů neexistuje", "teams file not found"),
    "route.teams.empty": ("soubor týmů neuvádí žádný tým", "the teams file lists no team"),
    "route.teams.unreadable": (
        "soubor týmů nelze přečíst: {reason}",
        "cannot read the teams file: {reason}",
    ),
    "route.teams.no_tables": (
        "očekávány tabulky [[team]] (name, start, days, shift)",
        "expected [[team]] tables (name, start, days, shift)",
    ),
    "route.teams.team": ("tým {n}: {reason}", "team {n}: {reason}"),
    "route.teams.team_row": ("tým {n}: {reason} (řádek {row})", "team {n}: {reason} (row {row})"),
    "route.teams.duplicate": (
        "týmy se musí jmenovat různě (sloupec name), zadáno {names}",
        "team names must differ, got {names}",
    ),
    "route.teams.no_start": (
        "tým {name} nemá výchozí bod; doplňte 'start'",
        "team {name} has no start point; add 'start'",
    ),
    "route.teams.no_hours": (
        "tým {name} nemá hodiny směny; uveďte 'shift' v souboru týmů nebo směnu na příkazové řádce",
        "team {name} has no shift hours; give 'shift' in the teams file or the shift on the "
        "command line",
    ),
    "route.teams.week_no_hours": (
        "tým {name} nemá hodiny směny; týdenní plán potřebuje v souboru týmů 'days' a 'shift' "
        "(nebo 'shifts')",
        "team {name} has no shift hours; a week needs 'days' and 'shift' (or 'shifts') in the "
        "teams file",
    ),
    "route.teams.days_token": (
        "dny {text}: {token} není den ani rozsah jako po-pá",
        "days {text}: {token} is not a day or a range like po-pá",
    ),
    "route.teams.day_name": (
        "dny {text}: {word} není název dne; použijte po, út, st, čt, pá, so, ne (nebo mon … "
        "sun), výčty (po,st) a rozsahy (po-pá)",
        "days {text}: {word} is not a day name; use po, út, st, čt, pá, so, ne (or mon … sun), "
        "lists (po,st) and ranges (po-pá)",
    ),
    "route.teams.shift_format": (
        "směna {text} není ve tvaru HH:MM-HH:MM (např. 08:00-14:00)",
        "shift {text} is not HH:MM-HH:MM (e.g. 08:00-14:00)",
    ),
    "route.teams.shift_range": (
        "směna {text}: hodiny jsou 00–24 a minuty 00–59",
        "shift {text}: hours run 00–24 and minutes 00–59",
    ),
    "route.teams.week_format": (
        "týden {text} není ve tvaru RRRR-Wtt (např. 2026-W48)",
        "week {text} is not YYYY-Www (e.g. 2026-W48)",
    ),
    "route.teams.week_missing": (
        "týden {text} neexistuje: rok {year} má {weeks} týdnů ISO",
        "week {text} does not exist: {year} has {weeks} ISO weeks",
    ),
    "route.teams.count": (
        "počet týmů musí být celé číslo >= 1, zadáno {n}",
        "the number of teams must be a whole number >= 1, got {n}",
    ),
    "route.teams.mode": (
        "pohyb (mode) {value} není foot/pěšky ani car/autem",
        "mode {value} is not foot/pěšky or car/autem",
    ),
    "route.teams.colour": (
        "barva (colour) {value} není ve tvaru #RRGGBB (např. #0072B2)",
        "colour {value} is not #RRGGBB (e.g. #0072B2)",
    ),
    "route.teams.speed_kmh_number": (
        "rychlost (speed_kmh) {value} není číslo",
        "speed_kmh {value} is not a number",
    ),
    "route.teams.speed_kmh_positive": (
        "rychlost (speed_kmh) musí být > 0, zadáno {value}",
        "speed_kmh must be > 0, got {value}",
    ),
    "route.teams.max_stops_number": (
        "počet zastávek (max_stops) {value} není číslo",
        "max_stops {value} is not a number",
    ),
    "route.teams.max_stops_positive": (
        "počet zastávek (max_stops) musí být > 0, zadáno {value}",
        "max_stops must be > 0, got {value}",
    ),
    "route.teams.max_stops_whole": (
        "počet zastávek (max_stops) musí být celé číslo, zadáno {value}",
        "max_stops must be a whole number, got {value}",
    ),
}
