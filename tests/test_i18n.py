from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest

from apk_geo.i18n import LANGS, STRINGS, normalize_lang, t

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [
    ROOT / "dashboard.py",
    *sorted((ROOT / "app_pages").glob("*.py")),
    ROOT / "apk_geo" / "maps.py",
    *sorted((ROOT / "apk_geo" / "reports").glob("*.py")),
]


def test_czech_first_and_english_available() -> None:
    assert t("nav.map") == "Mapa"
    assert t("nav.map", "en") == "Map"
    assert t("nav.hotspots", "cs") == "Hotspoty"
    assert t("kpi.patrol", "cs") == "Přivolána hlídka"
    assert t("map.synthetic_data") == "syntetická demo data"


def test_unknown_language_falls_back_to_czech() -> None:
    assert normalize_lang("en-GB") == "en"
    assert normalize_lang("de") == "cs"
    assert t("nav.trends", "de") == "Trendy"


def test_placeholders_are_filled() -> None:
    assert t("kpi.previous", "cs", n=12) == "předchozí období: 12"
    assert t("msg.no_store", "en", path="x.gpkg") == "The store x.gpkg does not exist."


def test_unknown_key_names_neighbours() -> None:
    with pytest.raises(KeyError, match=r"no UI string 'nav\.nope'.*nav\.map"):
        t("nav.nope")


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_complete_with_same_placeholders(key: str) -> None:
    cs, en = STRINGS[key]
    assert cs.strip() and en.strip()
    fields = [{f for _, f, _, _ in string.Formatter().parse(s) if f} for s in (cs, en)]
    assert fields[0] == fields[1]


def test_czech_texts_carry_diacritics() -> None:
    # Czech text without any diacritics almost always means a typo'd ASCII transliteration.
    czech = " ".join(cs for cs, _ in STRINGS.values())
    assert set("áčďéěíňóřšťúůýž") <= set(czech.lower())
    for bad in ("Udalosti", "Vysledek", "Obdobi", "Uloziste", "Hodiny v tydnu"):
        assert bad not in czech


def test_every_key_used_in_the_ui_exists() -> None:
    used: set[str] = set()
    for path in UI_FILES:
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z_]+\.[a-z0-9_.]+)[\"']", path.read_text()))
    assert used, "no t('...') calls found: the scan is broken"
    missing = sorted(k for k in used if k not in STRINGS)
    assert missing == []


def test_every_pack_key_used_by_the_presenter_page_exists() -> None:
    # the presenter page reads the packs' strings by short key: reports.text("ui.prev")
    page = (ROOT / "app_pages" / "presenter.py").read_text()
    used = set(re.findall(r"reports\.text\(\s*[\"']([a-z_.]+)[\"']", page))
    assert used, "no reports.text('...') calls found: the scan is broken"
    assert sorted(k for k in used if f"pack.{k}" not in STRINGS) == []


def test_pack_strings_live_in_the_one_catalogue() -> None:
    from apk_geo import reports
    from apk_geo.reports import render

    assert reports.text("ui.prev", "en") == t("pack.ui.prev", "en") == "◀ Previous area"
    assert reports.text("title", "cs", area="Poruba") == "MDT porada – Poruba"
    for k in render._LABELS:
        t(f"pack.{k}")
    for kind in ("mdt_area", "district"):
        t(f"pack.kind.{kind}")
    with pytest.raises(KeyError, match=r"no UI string 'pack\.nope'"):
        reports.text("nope")


def test_month_names() -> None:
    assert [t(f"month.{m}") for m in (1, 10, 12)] == ["leden", "říjen", "prosinec"]
    assert [t(f"month.{m}", "en") for m in range(1, 13)] == [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]  # fmt: skip


def test_dynamic_keys_exist() -> None:
    from apk_geo.indicators import METHODS
    from apk_geo.selection import AREA_KINDS, PRESETS

    for p in PRESETS:
        t(f"preset.{p}")
    for m in METHODS:
        t(f"hot.method_{m}")
    for a in AREA_KINDS:
        t(f"trend.area_{a}")
    for c in range(-3, 4):
        t(f"gistar.class_{c}")
    for d in range(7):
        t(f"weekday.{d}")
    for v in ("none", "osm", "cuzk_ortho"):
        t(f"map.tiles_{v}")
    assert LANGS == ("cs", "en")


def test_table_columns_and_status_keys_are_translated() -> None:
    from apk_geo.indicators import STATUS_KEYS
    from apk_geo.schema import QUARANTINE_COLUMNS
    from apk_geo.store import ImportCounts

    hotspot_columns = (
        "rank label n hotspot_class gi_z risk density_km2 trend_z emerging_class date_from date_to"
    )
    import_log = "import_id source file imported_at details"
    for col in (
        *hotspot_columns.split(),  # every column kpi.hotspot_table can return
        *QUARANTINE_COLUMNS,
        *ImportCounts(0, 0, 0, 0, 0, 0).as_dict(),
        *import_log.split(),
    ):
        assert t(f"column.{col}") != col
    for key in STATUS_KEYS:
        t(f"status.{key}")


def test_dashboard_state_keys_exist_in_both_languages() -> None:
    # issue 11: every option the app state offers and every map layer key has its string
    from apk_geo.app_state import FREQS, TILES, TREND_BYS
    from apk_geo.map_style import LAYER_KEYS

    for f in FREQS:
        assert t(f"trend.{f}") != t(f"trend.{f}", "en")
    for b in TREND_BYS:
        t("trend.by_none") if b == "none" else t(f"field.{b}")
    for v in TILES:
        t(f"map.tiles_{v}")
    for key in LAYER_KEYS:
        if key != "surface":  # named after the method
            t(f"layer.{key}")
    for col in ("n_area", "explain", "period", "top_categories"):
        assert t(f"column.{col}") != col
    for key in ("legend.counts", "legend.gistar", "legend.risk", "msg.page_failed"):
        cs, en = STRINGS[key]
        assert cs != en


def test_new_ui_modules_are_scanned_for_keys() -> None:
    more = [ROOT / "apk_geo" / n for n in ("map_style.py", "placenames.py", "indicators.py")]
    used: set[str] = set()
    for path in more:
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z_]+\.[a-z0-9_.]+)[\"']", path.read_text()))
    assert {"legend.risk", "place.stop", "area.city"} <= used
    assert sorted(k for k in used if k not in STRINGS) == []


# --- issue 14: numbers, dates and plural forms in the language of the text (apk_geo.fmt)

NB = "\u00a0"


def _fields(text: str) -> dict[str, str]:
    """Field name → its format spec (the last one seen; ``!r`` for a conversion) in ``text``."""
    return {
        f: "!r" if conv else spec or "" for _, f, spec, conv in string.Formatter().parse(text) if f
    }


def _value_for(spec: str, n: float) -> object:
    if spec.endswith(("X", "x", "d")):  # hex codes and integer specs take whole numbers
        return int(n) + 65
    if spec == "!r":  # a repr'd field is a text (the delimiter)
        return ";"
    return n


@pytest.mark.parametrize("n", [0, 1, 2, 5, 1.5], ids=lambda n: f"n={n}")
@pytest.mark.parametrize("lang", LANGS)
def test_every_key_formats_with_numbers(lang: str, n: float) -> None:
    failures = []
    for key, texts in STRINGS.items():
        text = texts[LANGS.index(lang)]
        fields = {f: _value_for(spec, n) for f, spec in _fields(text).items()}
        try:
            out = t(key, lang, **fields) if fields else t(key, lang)
        except (ValueError, KeyError, TypeError) as exc:
            failures.append(f"{key}: {exc}")
            continue
        assert "plural:" not in out and "{" not in out.replace("{{", ""), (key, out)
        if lang == "cs" and isinstance(n, float) and fields:
            assert "1.5" not in out, (key, out)  # a Czech text never shows a decimal point
    assert failures == []


@pytest.mark.parametrize(
    ("key", "n", "expected"),
    [
        ("data.imported_quarantine", 1, "1 záznam z tohoto souboru je v karanténě"),
        ("data.imported_quarantine", 2, "2 záznamy z tohoto souboru jsou v karanténě"),
        ("data.imported_quarantine", 4, "4 záznamy z tohoto souboru jsou v karanténě"),
        ("data.imported_quarantine", 5, "5 záznamů z tohoto souboru je v karanténě"),
        ("data.imported_quarantine", 0, "0 záznamů z tohoto souboru je v karanténě"),
        ("msg.no_geocoded", 1, "1 událost nemá souřadnice (geokódování selhalo) a na mapě chybí."),
        (
            "msg.no_geocoded",
            2,
            "2 události nemají souřadnice (geokódování selhalo) a na mapě chybějí.",
        ),
        ("msg.no_geocoded", 7, "7 událostí nemá souřadnice"),
        ("pack.quarantine_text", 1, "1 záznam úložiště odmítnut při importu"),
        ("pack.quarantine_text", 3, "3 záznamy úložiště odmítnuty při importu"),
        ("pack.quarantine_text", 12, "12 záznamů úložiště odmítnuto při importu"),
        ("pack.emerging", 1, "Vývoj (1 měsíc)"),
        ("pack.emerging", 3, "Vývoj (3 měsíce)"),
        ("pack.emerging", 12, "Vývoj (12 měsíců)"),
        ("io.value.fields", 1, "1 pole"),
        ("io.value.fields", 3, "3 pole"),
        ("io.value.fields", 5, "5 polí"),
        ("msg.assets_missing", 1, "Chybí 1 soubor map"),
        ("msg.assets_missing", 3, "Chybějí 3 soubory map"),
        ("msg.assets_missing", 9, "Chybí 9 souborů map"),
        ("pack.few", 1, "méně než 1 událost."),
        ("pack.few", 3, "méně než 3 události."),
        ("pack.few", 5, "méně než 5 událostí."),
    ],
)
def test_czech_plurals_follow_the_rule(key: str, n: int, expected: str) -> None:
    fields = {f: n for f in _fields(STRINGS[key][0])}
    assert expected in t(key, "cs", **fields)


@pytest.mark.parametrize(
    ("key", "n", "expected"),
    [
        ("data.imported_quarantine", 1, "1 record of this file is in the quarantine"),
        ("data.imported_quarantine", 2, "2 records of this file are in the quarantine"),
        ("msg.no_geocoded", 1, "1 incident has no coordinates (geocoding failed) and is not"),
        ("msg.no_geocoded", 0, "0 incidents have no coordinates (geocoding failed) and are not"),
        ("pack.emerging", 1, "Trend (1 month)"),
        ("io.value.fields", 5, "5 fields"),
    ],
)
def test_english_plurals(key: str, n: int, expected: str) -> None:
    fields = {f: n for f in _fields(STRINGS[key][1])}
    assert expected in t(key, "en", **fields)


def test_numbers_in_fields_follow_the_language() -> None:
    cs = t("route.summary", "cs", n=12, km=11.64, min=95.4, cov="80 %")
    assert cs == "12 zastávek · 11,6 km · 95 min · pokrytí 80 %"
    en = t("route.summary", "en", n=1, km=11.64, min=95.4, cov="80%")
    assert en == "1 stop · 11.6 km · 95 min · coverage 80%"
    assert t("kpi.previous", "cs", n=12345) == f"předchozí období: 12{NB}345"
    assert t("kpi.previous", "en", n=12345) == "previous period: 12,345"
    assert t("hot.explain_risk", "cs", n=3, risk=0.0394) == "3 ve čtverci, riziko 0,039"
    assert t("route.clicked", "cs", lat=49.835251, lon=18.29264) == "bod z mapy 49,83525; 18,29264"
    assert t("io.error.undecodable", "cs", byte=0x9A, line=3, encoding="cp1250").startswith(
        "bajt 0x9A na řádku 3"
    )


def test_no_czech_count_without_a_plural_form() -> None:
    # "{n} záznamů" is wrong for 1–4: every count before a noun goes through {n:plural:…}
    nouns = r"(záznam\w*|událost\w*|měsíc\w*|polí|pole|zastáv\w*|soubor\w*|řád\w*)"
    bad = {k for k, (cs, _) in STRINGS.items() if re.search(r"\{\w+\} " + nouns + r"\b", cs)}
    # a share ("96,7 % záznamů") and a range ("1 až {k1} událostí") take the genitive plural
    assert bad == {"pack.geocoding_share", "pack.privacy_rules"}


def test_fill_formats_section_texts_and_dates() -> None:
    from datetime import date

    import pandas as pd

    from apk_geo.i18n import fill

    assert fill("{n} {n:plural:záznam|záznamy|záznamů}", "cs", n=22) == "22 záznamů"
    assert fill("{share:.1%}", "cs", share=0.967) == f"96,7{NB}%"
    assert fill("{share:.1%}", "en", share=0.967) == "96.7%"
    assert fill("{d}", "cs", d=date(2026, 12, 1)) == "1. 12. 2026"
    assert fill("{m}", "cs", m=pd.Period("2026-11", "M")) == "listopad 2026"
    assert fill("{d:month}", "en", d=date(2026, 11, 3)) == "November 2026"
    assert fill("{b}", "cs", b=True) == "ano"
    with pytest.raises(ValueError, match="plural form needs a number"):
        fill("{n:plural:a|b|c}", "cs", n="x")


def test_percent_sign_spacing_follows_each_language() -> None:
    # issue 14: "25%" next to "53 %"; Czech writes a space before %, English none
    czech_tight = [k for k, (cs, _) in STRINGS.items() if re.search(r"[\d}]%", cs)]
    english_spaced = [k for k, (_, en) in STRINGS.items() if re.search(r"[\d}] %", en)]
    assert czech_tight == [] and english_spaced == []


def test_quarantine_for_display_names_the_files_columns_in_czech(
    write_csv: Callable[..., Path],
) -> None:
    import pandas as pd

    from apk_geo import io
    from apk_geo.config import Config
    from apk_geo.io.quarantine_text import quarantine_for_display

    good = ["1", "24.11.2026", "14:05", "Alkohol", "Nádražní 5, Ostrava", "vyřešeno", "A07", "x"]
    bad_date = ["2", "31.2.2026", *good[2:]]
    bad_category = ["3", "24.11.2026", "14:05", "UFO", *good[4:]]
    raw = io.read_table(write_csv([good, bad_date, bad_category]))
    q = io.validate(raw, source="apk", config=Config(), lang="en").quarantine
    before = q.copy()
    shown = quarantine_for_display(q, "cs")
    pd.testing.assert_frame_equal(q, before)  # the input is not changed
    assert shown["field"].tolist() == ["Datum + Čas", "Kategorie"]
    assert shown["expected"].iloc[0].startswith("datum a čas, např. 24.11.2026 14:05")
    assert "volné pobíhání psů (dogs)" in shown["expected"].iloc[1]
    english = quarantine_for_display(q, "en")
    assert english["field"].tolist() == ["Datum + Čas", "Kategorie"]
    assert english["expected"].iloc[1].startswith("a category code or label, one of ")


def test_the_catalogue_is_the_union_of_its_string_modules() -> None:
    from apk_geo import i18n

    keys = [key for module in i18n._MODULES for key in module.STRINGS]
    assert len(keys) == len(set(keys)) == len(STRINGS)
    assert set(keys) == set(STRINGS)


def test_each_key_prefix_lives_in_one_string_module() -> None:
    # a new key goes to the module of its prefix, so a prefix never spans two modules
    from apk_geo import i18n

    home: dict[str, set[str]] = {}
    for module in i18n._MODULES:
        for key in module.STRINGS:
            home.setdefault(key.split(".")[0], set()).add(module.__name__)
    assert {p: m for p, m in home.items() if len(m) > 1} == {}


def test_a_key_defined_in_two_string_modules_is_refused() -> None:
    import types

    from apk_geo import i18n
    from apk_geo.errors import ConfigError

    one = types.ModuleType("apk_geo._strings_one")
    one.STRINGS = {"x.a": ("a", "a"), "x.b": ("b", "b")}  # type: ignore[attr-defined]
    two = types.ModuleType("apk_geo._strings_two")
    two.STRINGS = {"x.b": ("bé", "b")}  # type: ignore[attr-defined]
    assert i18n._merge([one]) == {"x.a": ("a", "a"), "x.b": ("b", "b")}
    with pytest.raises(ConfigError, match=r"'x\.b' is defined twice.*_strings_one.*_strings_two"):
        i18n._merge([one, two])


def test_the_moved_team_route_and_download_strings_are_in_the_catalogue() -> None:
    # formerly _PENDING_STRINGS of the pages; spot checks in both languages
    assert (
        t("route.legend_row", "cs", team="Dvojice 1", n=1234) == f"Dvojice 1 · zastávek: 1{NB}234"
    )
    assert t("download.csv", "en", what=t("download.what_table", "en")) == (
        "Download the table (CSV)"
    )
    assert t("admin.col.addr", "cs") == "Adresa IP"
    week = {"number": 49, "year": "2026", "first": "30. 11.", "last": "6. 12. 2026"}
    assert t("route.week_label", "cs", **week) == "49. týden 2026: 30. 11. – 6. 12. 2026"


def test_the_week_label_shows_its_dates_in_each_language() -> None:
    from datetime import date as day

    fields = {"number": 49, "year": "2026", "first": day(2026, 11, 30), "last": day(2026, 12, 6)}
    assert t("route.week_label", "cs", **fields) == "49. týden 2026: 30. 11. 2026 – 6. 12. 2026"
    assert t("route.week_label", "en", **fields) == "Week 49 of 2026: 30 Nov 2026 – 6 Dec 2026"
