"""Strings of the MDT meeting packs, the presenter page and the published packs.

The packs are built by :mod:`apk_geo.reports`. Keys under ``pack.``, ``packs.``; each key maps to
(Czech, English). :mod:`apk_geo.i18n` merges this module with the other ``_strings_*`` modules
into :data:`apk_geo.i18n.STRINGS` and refuses a key defined in two of them.
"""

from __future__ import annotations

from typing import Final

STRINGS: Final[dict[str, tuple[str, str]]] = {
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
    # the published packs (app_pages/_published.py)
    "packs.none": (
        "Pro MDT zatím není zveřejněný žádný podklad; zveřejňuje ho mentor příkazem "
        "`apk-geo report --publish --area all` (nebo tlačítkem na této stránce).",
        "No MDT pack has been published yet; a mentor publishes one with "
        "`apk-geo report --publish --area all` (or with the button on this page).",
    ),
    "packs.area": ("Oblast MDT", "MDT area"),
    "packs.published_by": ("Zveřejnil(a) {user}, {when}", "Published by {user}, {when}"),
    "packs.list_failed": (
        "Zveřejněné podklady nelze načíst: {reason}",
        "The published packs cannot be read: {reason}",
    ),
    "packs.publish_title": ("Zveřejnit podklad pro prezentující", "Publish a pack for presenters"),
    "packs.publish": ("Zveřejnit", "Publish"),
    "packs.published": (
        "Podklad {area}, {month} je zveřejněný.",
        "The pack {area}, {month} is published.",
    ),
    # --- pack.err (a pack's area and month, apk_geo.reports._names / data)
    "pack.err.unknown_area": (
        "neznámá oblast {spec}; zadejte all (všechny oblasti), oblast MDT ({areas}) nebo městský "
        "obvod ({districts})",
        "unknown area {spec}; use 'all', an MDT area ({areas}) or a city district ({districts})",
    ),
    "pack.err.month_format": (
        "měsíc musí být ve tvaru RRRR-MM (např. 2024-06); zadáno {value}",
        "month must look like YYYY-MM (e.g. 2024-06); got {value}",
    ),
    "pack.err.month_invalid": (
        "{value} není platný měsíc (měsíc je 01 až 12)",
        "month {value} is not a valid month (the month is 01 to 12)",
    ),
    "pack.err.no_polygon": (
        "kontextové vrstvy úložiště nemají polygon pro {kind} {name}; zkontrolujte nastavené "
        "oblasti MDT",
        "the store's context layers hold no polygon of {kind} {name}; check the configured MDT "
        "areas",
    ),
}
