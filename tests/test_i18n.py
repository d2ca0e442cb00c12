from __future__ import annotations

import re
import string
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
