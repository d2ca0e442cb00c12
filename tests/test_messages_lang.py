"""Every message of a RÚIAN file, a pack's area and month and the CLI summaries, in both languages.

The errors go through the real command line (:func:`apk_geo.cli.main`): one line, ``chyba:`` in
Czech (the default) or ``error:`` with ``--lang en``, exit 2, and the Czech line holds no English
word besides the file names, options and ČÚZK's column names it quotes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

import apk_geo.messages
import apk_geo.routes._messages
import apk_geo.store
import apk_geo.store._messages
from apk_geo.cli import main
from apk_geo.errors import GeocodingError, InputFileError
from apk_geo.geocode import build_index, load_ruian_csv
from apk_geo.messages import error_text
from apk_geo.testing import make_store

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
MO = "554821;Ostrava;545911;Moravská Ostrava a Přívoz;;;413551;Moravská Ostrava;392006;30. dubna"
GOOD = f"3182860;{MO};č.p.;635;35;;70200;470066.63;1100967.06;2016-05-01T00:00:00"
GOOD2 = f"9000001;{MO};č.p.;636;37;;70200;470155.05;1100990.00;2016-05-01T00:00:00"
SWAPPED = f"9000002;{MO};č.p.;637;39;;70200;1100990.00;470200.00;2016-05-01T00:00:00"

#: English words that must not appear in a Czech line (outside file names and quoted names).
ENGLISH = frozenset(
    [
        "the",
        "not",
        "column",
        "columns",
        "line",
        "expected",
        "got",
        "cannot",
        "missing",
        "file",
        "read",
        "header",
        "number",
        "empty",
        "swapped",
        "points",
        "archive",
        "readable",
        "error",
        "unknown",
        "area",
        "month",
        "use",
        "or",
        "and",
        "is",
        "of",
        "has",
        "holds",
        "no",
        "with",
        "must",
        "look",
        "valid",
        "decode",
        "text",
        "byte",
        "neither",
        "nor",
        "published",
    ]
)


def _write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1250"))
    return path


def _english_words(line: str, *, known: tuple[str, ...]) -> set[str]:
    """The English words of ``line`` once file names, options and quoted names are removed."""
    for text in known:
        line = line.replace(text, " ")
    line = re.sub(r"--[\w-]+", " ", line)  # options
    line = re.sub(r"'[^']*'|„[^“]*“|\[[^\]]*\]", " ", line)  # quoted values and the header
    return {w for w in re.findall(r"[^\W\d_]+", line.lower()) if w in ENGLISH}


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ 1. one Message for all


def test_store_and_routes_reexport_the_support_module() -> None:
    for name in ("Message", "localize", "error_text"):
        assert getattr(apk_geo.store._messages, name) is getattr(apk_geo.messages, name)
    assert apk_geo.store.error_text is apk_geo.messages.error_text
    assert apk_geo.routes._messages.Message is apk_geo.messages.Message
    assert apk_geo.routes._messages.file_error is apk_geo.messages.file_error


def test_file_error_keeps_the_message_and_the_path() -> None:
    exc = apk_geo.messages.file_error(apk_geo.messages.Message("route.teams.empty"), path="t.csv")
    assert isinstance(exc, InputFileError) and exc.path == "t.csv"
    assert str(exc) == "t.csv: the teams file lists no team"
    assert error_text(exc, "cs") == "t.csv: soubor týmů neuvádí žádný tým"
    reason = apk_geo.messages.file_reason(exc)
    assert apk_geo.messages.localize(reason, "cs") == "soubor týmů neuvádí žádný tým"


# ------------------------------------------------------------------ 2. RÚIAN files


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str, str]]:
    """Each broken gazetteer → (file, a piece of the Czech line, a piece of the English line)."""
    zipped = tmp / "bez_csv.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "nic")
    broken_zip = tmp / "rozbity.csv.zip"
    broken_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    binary = tmp / "binarni.csv"
    binary.write_bytes(b"\x81\x98" * 50)
    empty = tmp / "prazdny.csv"
    empty.write_bytes(b"")
    blank_code = GOOD.replace("3182860", "", 1)
    return {
        "missing": (tmp / "neni.csv", "soubor neexistuje", "No such file or directory"),
        "zip-no-csv": (zipped, "archiv ZIP neobsahuje žádný soubor .csv", "holds no .csv file"),
        "bad-zip": (broken_zip, "nelze ho přečíst", "not a readable ZIP archive"),
        "not-text": (binary, "není textový: bajt 0", "not a text file: byte 0"),
        "empty": (empty, "soubor je prázdný", "not a RÚIAN address-point CSV"),
        "columns": (
            _write(tmp / "cizi.csv", "1;2;3", header="a;b;c"),
            "chybí sloupce ['Kód ADM', 'Kód obce'",
            "missing columns ['Kód ADM', 'Kód obce'",
        ),
        "number": (
            _write(tmp / "cislo.csv", GOOD, GOOD2.replace("470155.05", "abc")),
            "sloupec „Souřadnice Y“, řádek 3: hodnota 'abc' není číslo",
            "column 'Souřadnice Y': got 'abc' on line 3, expected a number",
        ),
        "empty-cell": (
            _write(tmp / "kod.csv", GOOD, blank_code),
            "sloupec „Kód ADM“ je na řádku 3 prázdný",
            "column 'Kód ADM' is empty on line 3",
        ),
        "so-type": (
            _write(tmp / "typ.csv", GOOD.replace("č.p.", "dům")),
            "sloupec „Typ SO“, řádek 2: hodnota 'dům', očekává se „č.p.“ nebo „č.ev.“",
            "column 'Typ SO': got 'dům' on line 2, expected 'č.p.' or 'č.ev.'",
        ),
        "mixed-axes": (
            _write(tmp / "osy.csv", GOOD, GOOD2, SWAPPED),
            "řádek 4: Souřadnice Y/X jsou prohozené u 1 z 3 bodů",
            "line 4: Souřadnice Y/X are swapped on 1 of 3 points",
        ),
        "no-coordinates": (
            _write(tmp / "bez_bodu.csv", GOOD.replace("470066.63;1100967.06", ";")),
            "žádné adresní místo v souboru nemá souřadnice (Souřadnice Y, Souřadnice X)",
            "no address point in the file has coordinates (Souřadnice Y, Souřadnice X)",
        ),
    }


CASES = (
    "missing",
    "zip-no-csv",
    "bad-zip",
    "not-text",
    "empty",
    "columns",
    "number",
    "empty-cell",
    "so-type",
    "mixed-axes",
    "no-coordinates",
)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["geocode", "route"])
def test_a_bad_gazetteer_is_one_line_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    path, czech, english = _bad_files(tmp_path)[case]
    incidents = tmp_path / "vstup.csv"
    incidents.write_text("address\n30. dubna 635/35\n", encoding="utf-8")
    candidates = tmp_path / "kandidati.geojson"
    gpd.GeoDataFrame(
        {"priority": [1.0]}, geometry=gpd.points_from_xy([18.29], [49.835]), crs=4326
    ).to_file(candidates)
    if command == "geocode":
        args = ["geocode", str(incidents), "--gazetteer", str(path), "--out", "x.csv"]
    else:
        args = [
            "route",
            "--candidates",
            str(candidates),
            "--start",
            "30. dubna 635/35",
            "--gazetteer",
            str(path),
            "--shift-start",
            "2026-11-24T08:00",
            "--shift-minutes",
            "240",
            "--out",
            str(tmp_path / "r.csv"),
        ]
    for lang, word, piece in (("cs", "chyba:", czech), ("en", "error:", english)):
        code, out, err = _run([*args, "--lang", lang], capsys)
        assert code == 2 and out == ""
        assert err.count("\n") == 1, err
        assert f" {word} " in err and piece in err, err
        assert f"--gazetteer {path}" in err, err  # route refuses the file as geocode does
        if lang == "cs":
            assert not _english_words(err, known=(str(path), str(incidents))), err


def test_the_library_error_is_english_and_keeps_its_czech(tmp_path: Path) -> None:
    path = _write(tmp_path / "osy.csv", GOOD, GOOD2, SWAPPED)
    with pytest.raises(InputFileError, match=r"line 4: Souřadnice Y/X are swapped") as info:
        load_ruian_csv(path)
    assert error_text(info.value, "cs").startswith(f"{path}: řádek 4: Souřadnice Y/X")
    with pytest.raises(InputFileError, match="cannot decode the file as 'ascii'") as info:
        load_ruian_csv(_write(tmp_path / "a.csv", GOOD), encoding="ascii")
    assert "nelze přečíst v kódování 'ascii'" in error_text(info.value, "cs")
    frame = load_ruian_csv(_write(tmp_path / "b.csv", GOOD.replace("470066.63;1100967.06", ";")))
    with pytest.raises(GeocodingError, match=r"no address point with coordinates \(1 rows\)"):
        build_index(frame)


# ------------------------------------------------------------------ 3. a pack's area and month


@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("packs") / "s.gpkg"
    districts = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    make_store(
        path,
        [{"reported_at": "2024-06-03 10:00"}, {"reported_at": "2024-06-05 11:00"}],
        layers={"districts": districts.to_crs(5514)},
    )
    return path


@pytest.mark.parametrize(
    ("option", "czech", "english"),
    [
        (
            ["--area", "Atlantida", "--month", "2024-06"],
            "neznámá oblast 'Atlantida'; zadejte all (všechny oblasti), oblast MDT (",
            "unknown area 'Atlantida'; use 'all', an MDT area (",
        ),
        (
            ["--area", "Poruba", "--month", "2024-13"],
            "'2024-13' není platný měsíc (měsíc je 01 až 12)",
            "month '2024-13' is not a valid month",
        ),
        (
            ["--area", "Poruba", "--month", "June"],
            "měsíc musí být ve tvaru RRRR-MM (např. 2024-06); zadáno 'June'",
            "month must look like YYYY-MM (e.g. 2024-06); got 'June'",
        ),
    ],
    ids=["area", "month-value", "month-format"],
)
def test_a_bad_area_or_month_is_one_line_in_the_users_language(
    report_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: list[str],
    czech: str,
    english: str,
) -> None:
    args = ["report", "--store", str(report_store), *option, "--out", str(tmp_path)]
    for lang, word, piece in (("cs", "chyba:", czech), ("en", "error:", english)):
        code, out, err = _run([*args, "--format", "html", "--lang", lang], capsys)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and f" {word} " in err and piece in err, err
        if lang == "cs":
            assert not _english_words(err, known=(str(report_store),)), err


def test_a_missing_area_polygon_names_the_kind_in_both_languages() -> None:
    from apk_geo.errors import ParameterError
    from apk_geo.messages import Message

    exc = ParameterError(
        Message("pack.err.no_polygon", kind=Message("pack.kind.district"), name="'Hrabová'")
    )
    assert str(exc).startswith("the store's context layers hold no polygon of city district")
    assert error_text(exc, "cs").startswith("kontextové vrstvy úložiště nemají polygon pro městský")


# ------------------------------------------------------------------ 4. the CLI summaries


def _summary(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Both languages' text output of a command (it must succeed or report missing files)."""
    texts = {}
    for lang in ("cs", "en"):
        code = main(["--lang", lang, *args])
        assert code in (0, 2)
        texts[lang] = capsys.readouterr().out
    return texts


def test_geocode_summary_in_both_languages_and_json_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apk_geo import demo

    incidents = tmp_path / "vstup.csv"
    incidents.write_text("address\n30. dubna 635/35, Ostrava\nNikde 1\n", encoding="utf-8")
    args = ["geocode", str(incidents), "--gazetteer", str(demo.GAZETTEER_FILE)]
    args += ["--out", str(tmp_path / "v.csv")]
    texts = _summary(args, capsys)
    assert texts["cs"].startswith("Geokódování dokončeno:\n")
    assert re.search(r"\n  nenalezeno +1\n", texts["cs"]) and "  sloupec adresy " in texts["cs"]
    assert re.search(r"adresní místa RÚIAN +\d{1,3}(\xa0\d{3})*\n", texts["cs"])
    assert re.search(r"doba \(s\) +\d+,\d+\n", texts["cs"])
    assert texts["en"].startswith("Geocoding finished\n") and "  failed " in texts["en"]
    assert main([*args, "--json"]) == 0
    import json

    summary = json.loads(capsys.readouterr().out)
    assert list(summary) == [
        "input",
        "output",
        "rows",
        "exact",
        "fuzzy",
        "street",
        "coordinates",
        "failed",
        "gazetteer_points",
        "address_column",
        "seconds",
    ]
    assert summary["failed"] == 1 and isinstance(summary["seconds"], float)


def test_assets_status_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _summary(["assets", "status", "--dest", str(tmp_path)], capsys)
    assert texts["cs"].startswith("Soubory webového rozhraní (mapy):\n")
    assert re.search(r"\n  nainstalováno +ne\n  chybí +leaflet/leaflet\.js, ", texts["cs"])
    assert texts["en"].startswith("Front-end assets:\n")
    assert re.search(r"\n  installed +no\n  missing +leaflet/leaflet\.js, ", texts["en"])


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    build_demo_store(path, seed=7, n_incidents=600, months=6)
    return path


@pytest.mark.slow
def test_rates_and_nearrepeat_summaries_in_both_languages(
    demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _summary(["rates", "--store", str(demo_store)], capsys)
    assert texts["cs"].startswith("Míry výskytu (poměr měr proti zbytku města):\n")
    czech = r"  pásmo: zbytek města +\d+ událost[íi]?, \d+,\d{3} /ha/měsíc, RR 1,00 \[–; –\]\n"
    assert re.search(czech, texts["cs"]), texts["cs"]
    assert re.search(r"\n  SVL: .+ /ha/měsíc, RR \d+,\d\d \[\d+,\d\d; \d+,\d\d\]\n", texts["cs"])
    english = r"  zone: elsewhere +\d+ incidents?, \d+\.\d{3} /ha/month, RR 1\.00 \[–, –\]\n"
    assert texts["en"].startswith("Rates (rate ratio") and re.search(english, texts["en"])
    args = ["nearrepeat", "--store", str(demo_store), "--permutations", "19", "--days", "3.5"]
    texts = _summary(args, capsys)
    assert texts["cs"].startswith("Knoxův test (do 200 m a do 3,5 d):\n")
    pattern = r"  vše  pozorováno \d+, očekáváno \d+,\d, poměr \d+,\d\d, p \d,\d{3}\n"
    assert re.fullmatch(r"Knoxův test \(do 200 m a do 3,5 d\):\n" + pattern, texts["cs"])
    assert texts["en"].startswith("Knox test (200 m, 3.5 days):\n  all  observed ")
    texts = _summary([*args, "--by", "category"], capsys)
    from apk_geo.io.columns import value_label

    for lang, word in (("cs", "pozorováno"), ("en", "observed")):
        groups = [line.split(f"  {word} ")[0].strip() for line in texts[lang].splitlines()[1:]]
        assert groups and all(word in line for line in texts[lang].splitlines()[1:])
        assert "alcohol" not in groups  # labels, not codes
        assert value_label("category", "alcohol", lang) in groups


def test_evaluate_table_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apk_geo.testing import make_incidents

    rows = [
        {
            "reported_at": f"2024-0{1 + i % 6}-{1 + i:02d} 10:00",
            "lat": 49.835 + (i % 3) * 1e-3,
            "lon": 18.29 + (i % 4) * 1e-3,
        }
        for i in range(24)
    ]
    path = tmp_path / "body.gpkg"
    pts = make_incidents(rows)
    pts.assign(reported_at=pts["reported_at"].dt.tz_convert("UTC")).to_file(path)
    args = ["evaluate", "--input", str(path), "--split-date", "2024-04-01", "--cell-size-m", "100"]
    texts = _summary(args, capsys)
    cs_lines, en_lines = texts["cs"].splitlines(), texts["en"].splitlines()
    assert cs_lines[0].startswith("Vyhodnocení: ") and " před 1. 4. 2024, " in cs_lines[0]
    assert "celé stejně velké buňky, jejichž střed leží v území" in cs_lines[0]
    assert cs_lines[1].split()[:5] == ["metoda", "pokrytí", "podíl", "plochy", "zásahy"]
    assert "zisk vs. naive dolní" in cs_lines[1] and re.search(" 5\xa0% +\\d,\\d{3} ", texts["cs"])
    assert cs_lines[-1].startswith("zisk vs. …: rozdíl úspěšnosti")
    assert en_lines[0].startswith("Evaluation: ") and "study area: convex_hull" in en_lines[0]
    assert en_lines[1].split()[:4] == ["method", "coverage", "area_share", "hits"]
    assert "gain_vs_naive_lo" in en_lines[1] and re.search(r" 5% +\d\.\d{3} ", texts["en"])
    assert en_lines[-1].startswith("gain_vs_*: hit-rate difference")


@pytest.mark.parametrize("command", ["route", "plan-week"])
def test_every_command_with_a_gazetteer_names_the_option_in_czech(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """route and plan-week read --gazetteer as geocode does (apk_geo._cli._common)."""
    from apk_geo import cli

    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    make_store(tmp_path / "s.gpkg", [{"id": "1"}])  # plan-week opens its store first
    args = {
        "route": ["route", "--gazetteer", str(bad), "--start", "Nádražní 1",
                  "--shift-start", "2026-11-24T08:00", "--shift-minutes", "60",
                  "--candidates", str(tmp_path / "none.geojson"),
                  "--out", str(tmp_path / "r.json")],
        "plan-week": ["plan-week", "--store", str(tmp_path / "s.gpkg"), "--gazetteer", str(bad),
                      "--week", "2026-W49", "--teams", "2", "--out", str(tmp_path / "w")],
    }[command]  # fmt: skip
    assert cli.main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"apk-geo {command}: chyba: --gazetteer {bad}: "), err
    assert "není to CSV adresních míst RÚIAN" in err, err
