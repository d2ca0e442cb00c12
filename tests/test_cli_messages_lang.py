"""The commands' own errors and summaries, and a teams file's errors, in the user's language.

Issue 14: "bad input gets a clear error (one line, in the user's language) naming the file, row
and field and what was expected". Every message runs through the real command line
(:func:`apk_geo.cli.main`) in Czech (the default) and with ``--lang en``: one line, ``chyba:`` /
``error:``, the file, team, row and field named, and no English word in the Czech line outside the
user's own file names, the options and the teams file's field names. The library's ``str(exc)``
stays English (``match=`` in the library's tests). The dashboard's week page shows a broken teams
file's error in Czech.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import pytest
import shapely

from apk_geo import cli
from apk_geo.errors import InputFileError, ParameterError
from apk_geo.routes import read_teams
from apk_geo.routes.teams import TeamRoster, parse_week
from apk_geo.testing import make_incidents, make_store

#: English words none of the Czech lines may hold (Czech "a", "to", "do", "na" are left out).
ENGLISH = {
    "error", "team", "teams", "shift", "hours", "day", "days", "week", "weeks", "must", "be",
    "is", "not", "or", "and", "the", "of", "on", "in", "with", "without", "got", "expected",
    "name", "names", "differ", "number", "whole", "missing", "give", "either", "both", "works",
    "needs", "need", "has", "none", "column", "date", "dates", "such", "as", "matches",
    "district", "known", "store", "point", "address", "required", "complete", "month", "pass",
    "study", "area", "polygons", "geometry", "save", "file", "files", "row", "lists", "tables",
    "cannot", "read", "no", "does", "exist", "run", "minutes", "range", "like",
    "ranges", "use", "e", "g", "located", "incident", "filters", "categories", "districts",
    "widen", "them", "end", "takes", "comma", "separated", "list", "packs", "only", "stores",
    "written", "whose", "folder", "database", "for", "start", "command", "line", "add",
    "safety", "net", "search", "plan", "may", "wall", "clock", "ended", "ready", "shared",
    "unchanged", "new", "password", "user", "users", "added", "enabled", "disabled", "active",
    "never", "last", "sign", "all", "areas", "up", "gives", "url", "category",
}  # fmt: skip
#: What a Czech line may name as it is: the teams file's fields and the options' values.
OWN_WORDS = (
    "[[team]]", "speed_kmh", "max_stops", "colour", "mode", "shifts", "shift", "days", "name",
    "start", "foot", "car", "mon", "sun", "presenter", "HH:MM-HH:MM", "RRRR-Wtt",
)  # fmt: skip


def english_words(line: str, *own: str) -> set[str]:
    """Return the English words of ``line`` outside quotes, options, field names and ``own``."""
    for text in own:
        line = line.replace(text, " ")
    line = re.sub(r"'[^']*'", " ", line)  # the user's own values, as repr() quotes them
    line = re.sub(r"--[a-z-]+|apk-geo( [a-z-]+)?", " ", line)
    for word in OWN_WORDS:
        line = line.replace(word, " ")
    return {w for w in re.findall(r"[^\W\d_]+", line) if w.lower() in ENGLISH}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cli.ENV_LANG, raising=False)
    monkeypatch.delenv("APK_GEO_STORE", raising=False)
    monkeypatch.chdir(tmp_path)


def run_error(words: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``apk-geo words``; return its one error line (exit code 2, nothing on stdout)."""
    code = cli.main(words)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 2, captured.err
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


def both(words: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Return the Czech (default) and the English (``--lang en``) error line of ``words``."""
    cs = run_error(words, capsys)
    en = run_error(["--lang", "en", *words], capsys)
    command = words[0]
    assert cs.startswith(f"apk-geo {command}: chyba: "), cs
    assert en.startswith(f"apk-geo {command}: error: "), en
    assert english_words(en.replace("error:", " ")), en  # the word list sees English at all
    return cs, en


# -- inputs ----------------------------------------------------------------------------------

ORIGIN = (49.83, 18.28)
CAND = (
    '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
    '{"priority":1.0,"name":"P1"},"geometry":{"type":"Point","coordinates":[18.28,49.83]}}]}'
)
SHIFT = ["--shift-start", "2026-11-24T08:00", "--shift-minutes", "60"]


def write(name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def route(*words: str) -> list[str]:
    """``apk-geo route`` with a candidates file and an output (the cases add the rest)."""
    return ["route", "--candidates", write("cand.geojson", CAND), "--out", "r.json", *words]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of two November incidents (no complete month) and one district, Poruba."""
    path = tmp_path_factory.mktemp("msg") / "s.gpkg"
    rows = [
        {"reported_at": "2026-11-10 21:00", "lat": 49.830, "lon": 18.280, "category": "A"},
        {"reported_at": "2026-11-12 22:00", "lat": 49.831, "lon": 18.281, "category": "A"},
    ]
    hull = shapely.box(*make_incidents(rows).total_bounds).buffer(500)
    districts = gpd.GeoDataFrame({"NAZEV": ["Poruba"], "KOD": ["1"]}, geometry=[hull], crs=5514)
    make_store(path, rows, layers={"districts": districts, "city": districts[["geometry"]]})
    return path


# -- the teams file (apk_geo/routes/teams.py) through apk-geo route ---------------------------

TEAMS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    # (id, file content, file name, Czech phrases, English phrases)
    ("mode", "name;start;mode\nA;49.8,18.2;kolo\n", "t.csv",
     ("tým 1:", "pohyb (mode) 'kolo' není foot/pěšky ani car/autem", "(řádek 2)"),
     ("team 1:", "mode 'kolo' is not foot/pěšky or car/autem", "(row 2)")),
    ("colour", "name;start;colour\nA;49.8,18.2\nB;49.8,18.2;red\n", "t.csv",
     ("tým 2:", "barva (colour) 'red' není ve tvaru #RRGGBB", "(řádek 3)"),
     ("team 2:", "colour 'red' is not #RRGGBB", "(row 3)")),
    ("shift", "name;start;shift\nA;49.8,18.2;8 to 14\n", "t.csv",
     ("tým 1:", "směna '8 to 14' není ve tvaru HH:MM-HH:MM"),
     ("team 1:", "shift '8 to 14' is not HH:MM-HH:MM")),
    ("shift-range", "name;start;shift\nA;49.8,18.2;08:00-25:00\n", "t.csv",
     ("směna '08:00-25:00': hodiny jsou 00–24 a minuty 00–59",),
     ("shift '08:00-25:00': hours run 00–24 and minutes 00–59",)),
    ("day-name", "name;start;days;shift\nA;49.8,18.2;pondělí-xx;08:00-14:00\n", "t.csv",
     ("dny 'pondělí-xx': 'xx' není název dne; použijte po, út",),
     ("days 'pondělí-xx': 'xx' is not a day name; use po, út",)),
    ("day-range", "name;start;days;shift\nA;49.8,18.2;po-st-pá;08:00-14:00\n", "t.csv",
     ("dny 'po-st-pá': 'po-st-pa' není den ani rozsah jako po-pá",),
     ("days 'po-st-pá': 'po-st-pa' is not a day or a range like po-pá",)),
    ("speed", "name;start;speed_kmh\nA;49.8,18.2;rychle\n", "t.csv",
     ("rychlost (speed_kmh) 'rychle' není číslo",), ("speed_kmh 'rychle' is not a number",)),
    ("speed-positive", "name;start;speed_kmh\nA;49.8,18.2;-3\n", "t.csv",
     ("rychlost (speed_kmh) musí být > 0, zadáno '-3'",), ("speed_kmh must be > 0, got '-3'",)),
    ("stops-number", "name;start;max_stops\nA;49.8,18.2;hodně\n", "t.csv",
     ("počet zastávek (max_stops) 'hodně' není číslo",), ("max_stops 'hodně' is not a number",)),
    ("stops-positive", "name;start;max_stops\nA;49.8,18.2;0\n", "t.csv",
     ("počet zastávek (max_stops) musí být > 0",), ("max_stops must be > 0",)),
    ("stops-whole", "name;start;max_stops\nA;49.8,18.2;2,5\n", "t.csv",
     ("počet zastávek (max_stops) musí být celé číslo, zadáno '2,5'",),
     ("max_stops must be a whole number, got '2,5'",)),
    ("duplicate", "name;start\nA;49.8,18.2\nA;49.8,18.3\n", "t.csv",
     ("týmy se musí jmenovat různě (sloupec name), zadáno ['A', 'A']",),
     ("team names must differ, got ['A', 'A']",)),
    ("empty", "name;start\n", "t.csv",
     ("soubor týmů neuvádí žádný tým",), ("the teams file lists no team",)),
    ("toml-syntax", "[[team]\nname = 1\n", "t.toml",
     ("soubor týmů nelze přečíst:",), ("cannot read the teams file:",)),
    ("toml-tables", 'team = "A"\n', "t.toml",
     ("očekávány tabulky [[team]] (name, start, days, shift)",),
     ("expected [[team]] tables (name, start, days, shift)",)),
    ("toml-team", '[[team]]\nname = "Noční"\nstart = "49.8,18.2"\nmode = "kolo"\n', "t.toml",
     ("tým 1: pohyb (mode) 'kolo'",), ("team 1: mode 'kolo'",)),
]  # fmt: skip


@pytest.mark.parametrize(("body", "name", "cs_parts", "en_parts"),
                         [c[1:] for c in TEAMS], ids=[c[0] for c in TEAMS])  # fmt: skip
def test_a_teams_file_error_names_the_file_team_row_and_field(
    body: str,
    name: str,
    cs_parts: tuple[str, ...],
    en_parts: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(name, body)
    cs, en = both(route("--teams", name, "--date", "2026-11-24"), capsys)
    assert f"chyba: {name}: " in cs and f"error: {name}: " in en
    assert all(p in cs for p in cs_parts), cs
    assert all(p in en for p in en_parts), en
    own = (
        "Expected ']]' at the end of an array declaration (at line 1, column 7)",
    )  # tomllib's own reason, quoted as it is
    assert not english_words(cs, *own), cs
    if name.endswith(".toml"):
        assert "řádek" not in cs and "row" not in en  # a TOML table is no row


def test_a_missing_teams_file(capsys: pytest.CaptureFixture[str]) -> None:
    cs, en = both(route("--teams", "nikde.csv", "--date", "2026-11-24"), capsys)
    assert cs.endswith("chyba: nikde.csv: soubor týmů neexistuje"), cs
    assert en.endswith("error: nikde.csv: teams file not found"), en


def test_the_library_error_stays_english_with_its_czech_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name;start;mode\nA;49.8,18.2;kolo\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"team 1: mode 'kolo' is not foot") as caught:
        read_teams(path)
    exc = caught.value
    assert str(exc) == f"{path}: team 1: mode 'kolo' is not foot/pěšky or car/autem (row 2)"
    assert exc.path == str(path)
    assert exc.args[0].text("cs") == (
        f"{path}: tým 1: pohyb (mode) 'kolo' není foot/pěšky ani car/autem (řádek 2)"
    )


def test_a_team_without_a_start_in_the_library() -> None:
    """Only a library caller meets it: the command line gives such a team --start."""
    import datetime as dt

    roster = TeamRoster(name="A", start=None)
    with pytest.raises(ParameterError, match="team 'A' has no start point") as caught:
        roster.on(dt.date(2026, 11, 24), shift_start="08:00", shift_minutes=60)
    assert caught.value.args[0].text("cs") == "tým 'A' nemá výchozí bod; doplňte 'start'"


def test_a_week_that_does_not_exist_names_the_weeks_of_its_year() -> None:
    with pytest.raises(ParameterError, match="does not exist: 2026 has 53 ISO weeks") as caught:
        parse_week("2026-W54")
    assert caught.value.args[0].text("cs") == (
        "týden '2026-W54' neexistuje: rok 2026 má 53 týdnů ISO"
    )
    with pytest.raises(ParameterError) as caught:
        parse_week("2027-W53")
    assert "2027 has 52 ISO weeks" in str(caught.value)


# -- apk-geo route's own errors ---------------------------------------------------------------

ROUTE: list[tuple[str, Callable[[], list[str]], str, str]] = [
    ("no-start", lambda: route("--teams", "1", *SHIFT),
     "chybí --start (ŠÍŘKA,DÉLKA nebo adresa)", "--start is required (LAT,LON or an address)"),
    ("shift-twice", lambda: route("--shift-start", "2026-11-24T08:00", "--date", "2026-11-24"),
     "zadejte buď --shift-start, nebo --date s --start-time, ne obojí",
     "give either --shift-start or --date with --start-time, not both"),
    ("no-shift", lambda: route("--start", "49.83,18.28"),
     "chybí směna: zadejte --shift-start 2026-11-24T08:00",
     "the shift is missing: give --shift-start 2026-11-24T08:00"),
    ("count", lambda: route("--teams", "0", "--start", "49.83,18.28", *SHIFT),
     "počet týmů musí být celé číslo >= 1, zadáno 0",
     "the number of teams must be a whole number >= 1, got 0"),
    ("no-team-on", lambda: route(
        "--teams", write("sat.csv", "name;start;days;shift\nA;49.83,18.28;so;08:00-12:00\n"),
        "--date", "2026-11-24"),
     "--teams sat.csv: dne 24. 11. 2026 nepracuje žádný tým",
     "--teams sat.csv: no team works on 24 Nov 2026"),
    ("no-hours", lambda: route(
        "--teams", write("nohours.csv", "name;start\nA;49.83,18.28\n"), "--date", "2026-11-24"),
     "--teams: tým 'A' nemá hodiny směny; uveďte 'shift' v souboru týmů nebo směnu na "
     "příkazové řádce",
     "--teams: team 'A' has no shift hours; give 'shift' in the teams file or the shift"),
    ("start-for-teams", lambda: route(
        "--teams", write("nostart.csv", "name;days;shift\nA;út;08:00-12:00\n"),
        "--date", "2026-11-24"),
     "chybí --start pro týmy bez startu (ŠÍŘKA,DÉLKA nebo adresa)",
     "--start for teams without a start is required (LAT,LON or an address)"),
]  # fmt: skip


@pytest.mark.parametrize(("words", "cs_text", "en_text"), [c[1:] for c in ROUTE],
                         ids=[c[0] for c in ROUTE])  # fmt: skip
def test_route_errors_in_both_languages(
    words: Callable[[], list[str]], cs_text: str, en_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cs, en = both(words(), capsys)
    assert cs_text in cs and en_text in en, (cs, en)
    assert not english_words(cs), cs


def test_route_keeps_a_geocoding_reason_under_its_czech_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The reason is the geocoder's (apk_geo.routes.places), in the language; the option first."""
    cs, en = both(route("--teams", "1", "--start", "Nikde 5", *SHIFT), capsys)
    assert cs.startswith("apk-geo route: chyba: --start: 'Nikde 5' není LAT,LON"), cs
    assert "adresních bodech" in cs and "gazetteer RUIAN.csv" in cs
    assert en.startswith("apk-geo route: error: --start: 'Nikde 5' is not LAT,LON"), en
    cs, en = both(route("--start", "49.83,18.28", *SHIFT, "--must-visit", "X | Nikde 5"), capsys)
    assert "chyba: --must-visit: místo k povinné návštěvě 'X | Nikde 5': 'Nikde 5' není" in cs
    assert "error: --must-visit: must-visit place 'X | Nikde 5': 'Nikde 5' is not" in en
    cs, en = both(route("--start", "49.83,18.28", *SHIFT, "--must-visit", "X | 1,2 | 7"), capsys)
    assert "časové okno '7' není ve tvaru HH:MM-HH:MM" in cs, cs
    assert "the time window '7' is not HH:MM-HH:MM" in en, en


def test_an_address_the_gazetteer_lacks_is_explained_in_czech(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The geocoder's note (stored in English) reaches a Czech user in Czech."""
    from test_geocode import write_ruian

    gazetteer = str(write_ruian(Path("ruian.csv")))
    words = route("--teams", "1", "--gazetteer", gazetteer, "--start", "Neexistující 5", *SHIFT)
    cs, en = both(words, capsys)
    assert "'Neexistující 5' nebyla nalezena: ulice „neexistujici“ v registru adres není" in cs
    assert "'Neexistující 5' not found: street 'neexistujici' not found in the gazetteer" in en
    assert not english_words(cs, "min_score"), cs


def test_assets_from_an_incomplete_npm_folder_in_both_languages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("node_modules").mkdir()
    words = ["assets", "install", "--node-modules", "node_modules", "--dest", "vendor"]
    cs, en = both(words, capsys)
    assert "po npm ci chybí; zkontrolujte frontend/package.json" in cs, cs
    assert "missing after npm ci; check frontend/package.json" in en, en
    assert not english_words(cs, "frontend/package.json"), cs
    assert not Path("vendor").exists() and not Path("vendor.tmp").exists()  # nothing half-done


def test_the_routes_safety_net_warning_in_both_languages() -> None:
    from apk_geo._cli.route import _summary

    plan = SimpleNamespace(
        totals={"n_teams": 1, "n_stops": 0, "distance_m": 0.0, "priority_collected": 0.0,
                "priority_available": 1.0, "coverage_share": 0.0},
        params={"solver": "x", "optimal": False, "safety_limit_fired": True}, routes=[],
    )  # fmt: skip
    assert _summary(plan, {}, lang="cs")["warning"] == (
        "časová pojistka ukončila hledání; plán se může lišit"
    )
    assert _summary(plan, {}, lang="en")["warning"].startswith("the wall-clock safety net")


def test_the_route_summary_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    words = route("--teams", "1", "--start", "49.83,18.28", *SHIFT)
    out = run_out(words, capsys)
    assert out.splitlines()[0] == "Trasa hlídky:", out
    assert re.search(r"^  podíl pokryté priority +100,0\s%$", out, re.M), out
    assert re.search(r"^  optimální +ano$", out, re.M), out
    assert re.search(r"^  pořadí – Dvojice 1 +1\. P1 08:00$", out, re.M), out
    assert not english_words(out, "r.json", "P1", "exact"), out
    out = run_out(["--lang", "en", *words], capsys)
    assert out.splitlines()[0] == "Patrol route:", out
    assert re.search(r"^  coverage share +100\.0%$", out, re.M), out
    assert re.search(r"^  order Pair 1 +1\. P1 08:00$", out, re.M), out


# -- hotspots, report, evaluate, plan-week -----------------------------------------------------

POINTS = "lat;lon\n49.83;18.28\n49.84;18.29\n"


def hotspots(*words: str) -> list[str]:
    return ["hotspots", "--input", write("pts.csv", POINTS), "--out", "x.geojson", *words]


FILE_CASES: list[tuple[str, Callable[[], list[str]], str, str]] = [
    ("out-suffix", lambda: ["hotspots", "--input", write("pts.csv", POINTS), "--out", "x.txt"],
     "--out musí končit na .geojson, .gpkg, .csv; zadáno 'x.txt'",
     "--out must end with .geojson, .gpkg, .csv; got 'x.txt'"),
    ("bad-date", lambda: hotspots("--to", "včera"),
     "--to musí být datum jako 2024-03-31, zadáno 'včera'",
     "--to must be a date such as 2024-03-31; got 'včera'"),
    ("dates-order", lambda: hotspots("--from", "2024-03-31", "--to", "2024-03-01"),
     "--from 2024-03-31 musí být před --to 2024-03-01",
     "--from 2024-03-31 must be before --to 2024-03-01"),
    ("district-file", lambda: hotspots("--district", "Poruba"),
     "--district potřebuje --store (soubor bodů obvody nemá)",
     "--district needs --store (a point file has no districts)"),
    ("category-column", lambda: hotspots("--category", "A"),
     "--category potřebuje sloupec kategorie; pts.csv má sloupce ['lat', 'lon']",
     "--category needs a category column; pts.csv has ['lat', 'lon']"),
    ("date-column", lambda: hotspots("--from", "2024-01-01"),
     "--from/--to potřebují sloupec s datem; pts.csv žádný nemá (--date-col)",
     "--from/--to need a date column; pts.csv has none (--date-col)"),
    ("nothing-left", lambda: ["hotspots", "--input",
                              write("cat.csv", "lat;lon;category\n49.83;18.28;A\n"),
                              "--out", "x.geojson", "--category", "B"],
     "filtrům (data, kategorie, obvody) neodpovídá žádná událost s polohou; rozšiřte je",
     "no located incident matches the filters (dates, categories, districts); widen them"),
    ("formats", lambda: ["report", "--store", "s.gpkg", "--area", "Poruba", "--out", "o",
                         "--format", "doc"],
     "--format očekává čárkami oddělený seznam z", "--format takes a comma-separated list of"),
    ("out-required", lambda: ["report", "--store", "s.gpkg", "--area", "Poruba"],
     "chybí --out SLOŽKA (nebo --publish s databázovým úložištěm)",
     "--out FOLDER is required (or --publish, with a database store)"),
    ("publish-file", lambda: ["report", "--store", "s.gpkg", "--area", "Poruba", "--publish"],
     "--publish potřebuje databázové úložiště (postgresql://…); 's.gpkg' je soubor",
     "--publish needs a database store (postgresql://…); 's.gpkg' is a file"),
    ("publish-tier", lambda: ["report", "--store", "postgresql://u@h/db", "--area", "Poruba",
                              "--publish", "--tier", "internal"],
     "--publish ukládá jen balíčky pro prezentující (presenter); zadáno --tier internal",
     "--publish stores presenter-tier packs only; got --tier internal"),
    ("no-column", lambda: ["geocode", write("vstup.csv", "a;b\n1;2\n"), "--address-col", "Adresa",
                           "--gazetteer", "ruian.csv", "--out", "o.csv"],
     "vstup.csv: chybí sloupec 'Adresa'; sloupce jsou ['a', 'b']",
     "vstup.csv: no column 'Adresa'; the columns are ['a', 'b']"),
    ("no-address", lambda: ["geocode", write("vstup.csv", "a;b\n1;2\n"), "--gazetteer",
                            "ruian.csv", "--out", "o.csv"],
     "vstup.csv: chybí sloupec adresy i sloupce souřadnic; sloupce jsou ['a', 'b']; sloupec adresy "
     "určete přes --address-col",
     "vstup.csv: no address column and no coordinate columns; the columns are ['a', 'b']; name the "
     "address column with --address-col"),
    ("area-points", lambda: ["evaluate", "--input", write("pts.csv", POINTS), "--split-date",
                             "2026-06-01", "--area", write("a.geojson", CAND)],
     "a.geojson: oblast studie musí obsahovat polygony, obsahuje ['Point']",
     "a.geojson: the study area must hold polygons, got ['Point']"),
    ("area-empty", lambda: ["evaluate", "--input", write("pts.csv", POINTS), "--split-date",
                            "2026-06-01", "--area", write("prazdna.geojson", CAND.replace(
                                '{"type":"Point","coordinates":[18.28,49.83]}', "null"))],
     "prazdna.geojson: oblast studie musí obsahovat polygony, obsahuje žádnou geometrii",
     "prazdna.geojson: the study area must hold polygons, got no geometry"),
]  # fmt: skip


@pytest.mark.parametrize(("words", "cs_text", "en_text"), [c[1:] for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])  # fmt: skip
def test_command_errors_in_both_languages(
    words: Callable[[], list[str]], cs_text: str, en_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cs, en = both(words(), capsys)
    assert cs_text in cs and en_text in en, (cs, en)
    assert not english_words(cs), cs


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_a_study_area_without_a_crs_or_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)]).to_file(tmp_path / "bez.shp")
    base = ["evaluate", "--input", write("pts.csv", POINTS), "--split-date", "2026-06-01"]
    cs, en = both([*base, "--area", "bez.shp"], capsys)
    assert cs.endswith("bez.shp: oblast studie nemá souřadnicový systém; uložte ji s ním "
                       "(např. EPSG:5514)"), cs  # fmt: skip
    assert en.endswith("bez.shp: the study area has no CRS; save it with one (e.g. EPSG:5514)")
    assert not english_words(cs), cs
    cs, en = both([*base, "--area", "nikde.gpkg"], capsys)
    assert "chyba: nikde.gpkg: oblast studie nelze přečíst: " in cs, cs
    assert "error: nikde.gpkg: cannot read the study area: " in en, en


def test_store_errors_in_both_languages(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cs, en = both(["hotspots", "--store", str(store), "--district", "Nikde",
                   "--out", "x.geojson"], capsys)  # fmt: skip
    assert "--district ['Nikde'] neodpovídá žádnému obvodu; známé obvody: ['Poruba']" in cs
    assert "--district ['Nikde'] matches no district; known: ['Poruba']" in en
    assert not english_words(cs), cs
    cs, en = both(["report", "--store", str(store), "--area", "Poruba", "--out", "o"], capsys)
    assert cs.endswith(f"{store}: data nepokrývají žádný celý měsíc; zadejte --month"), cs
    assert en.endswith(f"{store}: no complete month of data; pass --month"), en
    assert not english_words(cs, str(store)), cs
    write("soubor.txt", "")  # a file where the export's folder should be
    cs, en = both(["quarantine", "--store", str(store), "--out", "soubor.txt/q.csv"], capsys)
    assert "chyba: soubor.txt/q.csv: export karantény nelze zapsat: [Errno" in cs, cs
    assert "error: soubor.txt/q.csv: cannot write the quarantine export: [Errno" in en, en
    assert not english_words(cs.split("[Errno")[0]), cs


def test_a_gazetteer_error_names_its_option(capsys: pytest.CaptureFixture[str]) -> None:
    """The reason is the gazetteer reader's (apk_geo.geocode); the option comes first."""
    words = ["geocode", write("vstup.csv", "address\nNádražní 1\n"), "--gazetteer", "ruian.csv",
             "--out", "o.csv"]  # fmt: skip
    cs, en = both(words, capsys)
    assert cs.startswith("apk-geo geocode: chyba: --gazetteer ruian.csv: "), cs
    assert en.startswith("apk-geo geocode: error: --gazetteer ruian.csv: "), en


@pytest.mark.parametrize(
    ("body", "week", "cs_text", "en_text"),
    [
        ("name;start;shift\nA;49.83,18.28;08:00-12:00\n", "2026-48",
         "týden '2026-48' není ve tvaru RRRR-Wtt (např. 2026-W48)",
         "week '2026-48' is not YYYY-Www (e.g. 2026-W48)"),
        ("name;start;shift\nA;49.83,18.28;08:00-12:00\n", "2026-W54",
         "týden '2026-W54' neexistuje: rok 2026 má 53 týdnů ISO",
         "week '2026-W54' does not exist: 2026 has 53 ISO weeks"),
        ("name;start\nA;49.83,18.28\n", "2026-W48",
         "tým 'A' nemá hodiny směny; týdenní plán potřebuje v souboru týmů 'days' a 'shift'",
         "team 'A' has no shift hours; a week needs 'days' and 'shift'"),
        ("name;start;days;shift\nA;49.83,18.28;pátek a sobota;08:00-12:00\n", "2026-W48",
         "t.csv: tým 1: dny 'pátek a sobota': 'a' není název dne",
         "t.csv: team 1: days 'pátek a sobota': 'a' is not a day name"),
    ],
    ids=["week-format", "week-missing", "week-no-hours", "days"],
)  # fmt: skip
def test_plan_week_errors_in_both_languages(
    store: Path, body: str, week: str, cs_text: str, en_text: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    words = ["plan-week", "--store", str(store), "--week", week, "--teams", write("t.csv", body),
             "--out-dir", "plan"]  # fmt: skip
    cs, en = both(words, capsys)
    assert cs_text in cs and en_text in en, (cs, en)
    assert not english_words(cs, str(store)), cs


def test_the_week_summary_in_both_languages(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    teams = write("t.csv", "name;start;days;shift\nA;49.83,18.28;po,út;08:00-12:00\n")
    words = ["plan-week", "--store", str(store), "--week", "2026-W48", "--teams", teams,
             "--out-dir", "tyden"]  # fmt: skip
    out = run_out(words, capsys)
    assert out.splitlines()[0] == "48. týden 2026 (2026-W48):", out
    assert re.search(r"^  směny +2$", out, re.M), out
    assert re.search(r"^  návštěvy místa +\d–\d (směna|směny|směn)$", out, re.M), out
    assert not english_words(out, str(store), "plan.json", "table.csv"), out
    out = run_out([*words, "--lang", "en"], capsys)
    assert out.splitlines()[0] == "Week 48 of 2026 (2026-W48):", out
    assert re.search(r"^  visits per place +\d–\d shifts$", out, re.M), out


# -- db init and user: the summaries (the database calls replaced) ------------------------------


@pytest.fixture
def fake_db(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace apk_geo.db's calls by recorders: the commands' own printing is what is tested."""
    import pandas as pd

    import apk_geo.db as db

    calls: dict[str, Any] = {}
    roles = SimpleNamespace(gate="apk_gate", groups=lambda: {"a": "apk_analyst"})

    def init(url: str, **kw: Any) -> Any:
        gate = "postgresql://apk_gate:x@h/db" if kw["reset_gate"] else None
        return SimpleNamespace(database="db", applied=[], roles=roles, gate_url=gate)

    users = pd.DataFrame({
        "username": ["eva", "jan"], "role": ["admin", "mentor"], "disabled": [False, True],
        "areas": [[], ["Poruba"]], "created_at": pd.to_datetime(["2026-01-01"] * 2),
        "last_signin": [pd.Timestamp("2026-11-30 08:00"), pd.NaT],
    })  # fmt: skip
    monkeypatch.setattr(db, "init_database", init)
    monkeypatch.setattr(db, "add_user", lambda *a, **k: calls.setdefault("add", (a, k)))
    monkeypatch.setattr(db, "list_users", lambda url: users)
    monkeypatch.setattr(db, "disable_user", lambda *a, **k: None)
    monkeypatch.setattr(db, "enable_user", lambda *a, **k: None)
    monkeypatch.setattr(db, "set_areas", lambda *a, **k: None)
    return calls


def run_out(words: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> str:
    import io
    import sys

    old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        code = cli.main(words)
    finally:
        sys.stdin = old
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_db_init_summary_in_both_languages(
    fake_db: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--url", "postgresql://u@h/db", "--gate-file", str(tmp_path / "gate.url")]
    out = run_out(["db", "init", *url, "--reset-gate"], capsys)
    assert out.startswith("Sdílené úložiště je připraveno:\n"), out
    assert f"apk_gate, adresa URL zapsána do {tmp_path / 'gate.url'} (0600)" in out
    assert "žádné (úložiště je aktuální)" in out
    out = run_out(["db", "init", *url], capsys)
    assert "apk_gate (beze změny; nové heslo dá --reset-gate)" in out
    out = run_out(["--lang", "en", "db", "init", *url, "--reset-gate"], capsys)
    assert out.startswith("Shared store ready:\n") and "none (up to date)" in out
    assert f"apk_gate, URL written to {tmp_path / 'gate.url'} (0600)" in out
    out = run_out(["--lang", "en", "db", "init", *url], capsys)
    assert "apk_gate (unchanged; --reset-gate gives a new password)" in out


def test_user_summaries_in_both_languages(
    fake_db: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--url", "postgresql://u@h/db"]
    pw = "dlouhé heslo 123\n"
    add = ["user", "add", "jan", "--role", "mentor", "--password-stdin", *url]
    assert run_out(add, capsys, pw) == "Uživatel jan přidán (mentor).\n"
    assert run_out(["--lang", "en", *add], capsys, pw) == "User jan added (mentor).\n"
    out = run_out([*add, "--areas", "Poruba,Jih"], capsys, pw)
    assert out == "Uživatel jan přidán (mentor, obvody Poruba, Jih).\n"
    out = run_out(["user", "list", *url], capsys)
    lines = out.splitlines()
    assert lines[0] == "2 uživatelé:"
    assert "aktivní" in lines[1] and "všechny obvody; poslední přihlášení 2026-11-30" in lines[1]
    assert "ZAKÁZÁN" in lines[2] and "Poruba; poslední přihlášení nikdy" in lines[2]
    out = run_out(["--lang", "en", "user", "list", *url], capsys)
    assert out.splitlines()[0] == "2 users:" and "all areas; last sign-in 2026-11-30" in out
    assert "DISABLED" in out and "last sign-in never" in out
    assert run_out(["user", "disable", "jan", *url], capsys) == "Uživatel jan zakázán.\n"
    assert run_out(["user", "enable", "jan", *url], capsys) == "Uživatel jan povolen.\n"
    assert run_out(["--lang", "en", "user", "enable", "jan", *url], capsys) == (
        "User jan enabled.\n"
    )
    assert run_out(["user", "areas", "jan", "--clear", *url], capsys) == (
        "Uživatel jan: všechny obvody.\n"
    )
    assert run_out(["--lang", "en", "user", "areas", "jan", "--set", "Jih", *url], capsys) == (
        "User jan: Jih.\n"
    )


# -- the dashboard's week page -----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("week_msg") / "demo.gpkg"
    build_demo_store(path, exports_dir=path.parent / "exports")
    return path


@pytest.mark.slow
def test_the_week_page_shows_a_broken_teams_file_in_the_pages_language(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("APK_GEO_STORE", str(demo_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.run()
    at.switch_page("app_pages/routes.py").run()
    at.radio(key="route_view").set_value("week").run()
    days = next(w for w in at.text_input if w.label == "Dny (např. po-pá)")
    days.set_value("po-xx")  # in the form: sent with its button
    at.button[0].click().run()  # Naplánovat týden with days the form cannot read
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Týden nelze naplánovat: dny 'po-xx': 'xx' není název dne; použijte po, út, st, čt, pá, "
        "so, ne (nebo mon … sun), výčty (po,st) a rozsahy (po-pá)"
    ]
    # the form's inputs with a teams file (the uploader's name and bytes) whose team is bad
    week, point, name, _days, shift, n, team_name, _file = at.session_state["route_week_inputs"]
    broken = ("tymy.csv", b"name;start;mode\nA;49.8,18.2;kolo\n")
    at.session_state["route_week_inputs"] = (
        week, point, name, "po-pá", shift, n, team_name, broken,
    )  # fmt: skip
    at.run()
    (error,) = at.error
    assert error.value.startswith("Týden nelze naplánovat: "), error.value
    assert error.value.endswith(
        "tymy.csv: tým 1: pohyb (mode) 'kolo' není foot/pěšky ani car/autem (řádek 2)"
    ), error.value
    assert not english_words(error.value.split(": ", 1)[1], "tymy.csv"), error.value
    at.sidebar.selectbox(key="w.lang").set_value("en").run()
    (error,) = at.error
    assert error.value.startswith("Cannot plan the week: "), error.value
    assert error.value.endswith(
        "tymy.csv: team 1: mode 'kolo' is not foot/pěšky or car/autem (row 2)"
    )
