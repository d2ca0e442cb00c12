"""Tables and layers open right in Czech Excel/LibreOffice and in QGIS (issue 14).

* CSV: every CSV the CLI writes (``hotspots``, ``rates``, ``nearrepeat``, ``geocode``,
  ``quarantine``) is converted by LibreOffice headless with the Czech locale (``cs-CZ``, the
  import settings a Czech user's LibreOffice starts with: ``;``, UTF-8) into XLSX and read back
  with openpyxl: every cell our file writes as a number is a number cell, every date-time a
  date cell, every text cell the same text (diacritics intact, no byte-order mark in the first
  header). The same check fails on the old style (``,``, decimal point): the control.
* XLSX: typed cells (numbers, dates, date-times in local time, text).
* GeoPackage: GDAL's own ``validate_gpkg.py --extra`` (Debian 12's GDAL 3.6, the version QGIS
  3.22–3.28 installs carry) passes on every hotspot output; version 1.3; a default QGIS style
  in ``layer_styles``; date-times in UTC with a local-time column, dates as DATE.
* GeoJSON: RFC 7946 (no ``crs``, ≤ 7 decimals, counter-clockwise exteriors), named layer.

LibreOffice (``libreoffice-calc-nogui``) and ``validate_gpkg.py`` (``python3-gdal``) are Debian
packages that ``scripts/test.sh`` installs; without them these tests fail saying so.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io as _stdio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from gdaltools import validate_gpkg
from shapely.geometry import Point, Polygon

from apk_geo import cli, io, map_style
from apk_geo.demo import build_demo_store
from apk_geo.errors import ParameterError
from apk_geo.io import _qgis
from apk_geo.io.columns import COLUMN_LABELS, column_label, display_table

#: A cell our CSV writes as a number: Czech (decimal comma) and English (decimal point).
NUMBER = {
    "cs": re.compile(r"^-?\d+(,\d+)?([eE][+-]?\d+)?$"),
    "en": re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$"),
}
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
#: Text that any CSV import reads as a time or date (no CSV can say "text"; XLSX can).
LOCAL_FORMS = re.compile(
    r"^(\d{1,2}:\d{2}(:\d{2})?|\d{1,2}\. ?\d{1,2}\. ?\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4})$"
)
#: LibreOffice's CSV filter: separator, quote, UTF-8 (76), first line, -, language.
LO_FILTER = {"cs": "CSV:59,34,76,1,,1029", "en": "CSV:44,34,76,1,,1033"}

RUIAN_HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
RUIAN_ROW = (
    "3182860;554821;Ostrava;545911;Moravská Ostrava a Přívoz;;;413551;Moravská Ostrava;392006;"
    "30. dubna;č.p.;635;35;;70200;470066.63;1100967.06;2016-05-01T00:00:00"
)


# --------------------------------------------------------------------------- tools


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.fail(
            "LibreOffice is needed for the CSV round trip: apt-get install -y "
            "--no-install-recommends libreoffice-calc-nogui (scripts/test.sh installs it)"
        )
    return found


def libreoffice(csvs: list[Path], *, lang: str, out: Path) -> dict[str, list[list[Any]]]:
    """Convert ``csvs`` with LibreOffice headless in ``lang``'s locale; return the cells."""
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "profile").as_uri()
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            f"--infilter={LO_FILTER[lang]}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, csvs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(out), "LC_ALL": "C.UTF-8"},
    )
    sheets = {}
    for path in csvs:
        ws = openpyxl.load_workbook(out / f"{path.stem}.xlsx").active
        assert ws is not None
        sheets[path.name] = [list(row) for row in ws.iter_rows()]
    return sheets


def csv_rows(path: Path, *, lang: str) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(
        csv.reader(_stdio.StringIO(text, newline=""), delimiter=";" if lang == "cs" else ",")
    )


def check_round_trip(written: list[list[str]], cells: list[list[Any]], *, lang: str) -> int:
    """Check LibreOffice's cells against the CSV text; return how many numbers were checked."""
    assert len(cells) == len(written), "LibreOffice read another number of rows"
    numbers = 0
    for r, (row, got) in enumerate(zip(written, cells, strict=True)):
        assert len(got) >= len(row), f"row {r}: {len(got)} cells for {len(row)} fields"
        for j, (text, cell) in enumerate(zip(row, got, strict=False)):
            where = f"row {r}, {written[0][j]!r}: {text!r}"
            if text == "":
                assert cell.value in (None, ""), where
            elif r > 0 and NUMBER[lang].match(text):
                assert cell.data_type == "n", f"{where} is {cell.data_type!r}, not a number"
                expected = float(text.replace(",", ".")) if lang == "cs" else float(text)
                assert cell.value == pytest.approx(expected, rel=1e-12, abs=1e-300), where
                numbers += 1
            elif r > 0 and DATETIME.match(text):
                assert cell.data_type == "d", f"{where} is {cell.data_type!r}, not a date"
                assert cell.value == dt.datetime.fromisoformat(text), where
            elif cell.data_type != "s" and LOCAL_FORMS.match(text):
                pass  # text a spreadsheet reads as a time or date ("14:00" in a quarantine)
            else:
                assert cell.value == text, where  # text and diacritics intact
    assert not str(cells[0][0].value).startswith("\ufeff"), "the BOM leaked into a header"
    return numbers


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    build_demo_store(path, seed=5, n_incidents=1500, months=12, end="2026-08-01")
    return path


def run(*argv: str) -> None:
    with contextlib.redirect_stdout(_stdio.StringIO()):
        code = cli.main(list(argv))
    assert code == 0, argv


@pytest.fixture(scope="module")
def cli_csvs(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every CSV the CLI writes, in Czech (default) and English."""
    folder = tmp_path_factory.mktemp("csv")
    ruian = folder / "20240131_OB_554821_ADR.csv"
    ruian.write_bytes(f"{RUIAN_HEADER}\r\n{RUIAN_ROW}\r\n".encode("cp1250"))
    addresses = folder / "addresses.csv"
    addresses.write_text(
        "Číslo záznamu;Adresa;Poznámka\n1;30. dubna 635/35;úřad – přízemí\n2;Nikde 5;\n",
        encoding="utf-8",
    )
    out: dict[str, dict[str, Path]] = {"cs": {}, "en": {}}
    for lang in ("cs", "en"):
        d = folder / lang
        d.mkdir()
        files = {name: d / f"{name}.csv" for name in ("hotspots", "clusters", "rates", "knox")}
        files |= {"geocode": d / "geocode.csv", "quarantine": d / "quarantine.csv"}
        store = ("--store", str(demo))
        lang_opt = ("--lang", lang)
        run("hotspots", *store, "--out", str(files["hotspots"]), *lang_opt)
        run("hotspots", *store, "--method", "clusters", "--min-cluster-size", "10",
            "--out", str(files["clusters"]), *lang_opt)  # fmt: skip
        run("rates", *store, "--out", str(files["rates"]), *lang_opt)
        run("nearrepeat", *store, "--permutations", "9", "--by", "category",
            "--out", str(files["knox"]), *lang_opt)  # fmt: skip
        run("geocode", str(addresses), "--gazetteer", str(ruian),
            "--out", str(files["geocode"]), *lang_opt)  # fmt: skip
        run("quarantine", *store, "--out", str(files["quarantine"]), *lang_opt)
        out[lang] = files
    return out


# --------------------------------------------------------------------------- CSV


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["cs", "en"])
def test_every_cli_csv_reads_back_in_libreoffice_with_numbers_and_diacritics(
    cli_csvs: dict[str, dict[str, Path]], lang: str, tmp_path: Path
) -> None:
    files = cli_csvs[lang]
    sheets = libreoffice(list(files.values()), lang=lang, out=tmp_path)
    counted = {}
    for name, path in files.items():
        written = csv_rows(path, lang=lang)
        counted[name] = check_round_trip(written, sheets[path.name], lang=lang)
        # independently of how this file wrote them: every cell of a column that the English
        # file of the same command writes as numbers is a number cell here, of the same value
        reference = csv_rows(cli_csvs["en"][name], lang="en")
        numeric = {
            j
            for j in range(len(reference[0]))
            if all(NUMBER["en"].match(row[j]) or row[j] == "" for row in reference[1:])
            and any(row[j] for row in reference[1:])
        }
        for r, row in enumerate(reference[1:], start=1):
            for j, text in enumerate(row):
                if j in numeric and text:
                    cell = sheets[path.name][r][j]
                    where = f"{name}, row {r}, {reference[0][j]!r}: {written[r][j]!r}"
                    assert cell.data_type == "n", f"{where} is {cell.data_type!r}, not a number"
                    assert cell.value == pytest.approx(float(text), rel=1e-12), where
    # every table has numbers, and LibreOffice read each as a number
    assert all(n > 0 for n in counted.values()), counted
    heads = {name: csv_rows(path, lang=lang)[0] for name, path in files.items()}
    if lang == "cs":
        assert heads["hotspots"][:3] == ["Buňka", "Počet", "Gi* (z)"]
        assert "Řádek" in heads["quarantine"] and "Důvod" in heads["quarantine"]
        geocoded = {r[0]: r for r in csv_rows(files["geocode"], lang=lang)[1:]}
        match = heads["geocode"].index("Geokódování")
        assert geocoded["1"][match] == "přesná shoda" and geocoded["2"][match] == "nenalezeno"
        assert geocoded["1"][2] == "úřad – přízemí"
    else:
        assert heads["hotspots"][:3] == ["Cell", "Count", "Gi* (z)"]
        assert heads["rates"][0] == "Kind" and heads["knox"][-1] == "p-value"


@pytest.mark.slow
def test_the_old_csv_style_fails_the_czech_round_trip(tmp_path: Path) -> None:
    """The control: ``,`` (the CLI's old style) is one column in Czech; a decimal point is no
    number there; the product's style gives the numbers."""
    frame = pd.DataFrame({"Obvod": ["Poruba", "Mariánské Hory"], "Hustota": [12.5, 0.25]})
    comma, point = tmp_path / "comma.csv", tmp_path / "point.csv"
    comma.write_text(frame.to_csv(index=False), encoding="utf-8")
    point.write_text(frame.to_csv(index=False, sep=";"), encoding="utf-8")
    new = io.write_table(frame, tmp_path / "new.csv", labels=False)
    sheets = libreoffice([comma, point, new], lang="cs", out=tmp_path / "lo")
    assert check_round_trip(csv_rows(new, lang="cs"), sheets["new.csv"], lang="cs") == 2
    assert [c.data_type for c in sheets["new.csv"][1]] == ["s", "n"]
    assert sheets["point.csv"][1][1].value != 12.5  # "12.5" is text (or a date) in Czech
    # the files as written (numbers with a decimal point) against what Czech LibreOffice read
    with pytest.raises(AssertionError, match=r"row 0: 1 cells for 2 fields"):  # one column
        check_round_trip(csv_rows(comma, lang="en"), sheets["comma.csv"], lang="en")
    written = [line.split(";") for line in point.read_text("utf-8").splitlines()]
    with pytest.raises(AssertionError, match=r"row 1, 'Hustota': '12.5' is 's', not a number"):
        check_round_trip(written, sheets["point.csv"], lang="en")


def test_czech_csv_style_by_hand(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "reported_at": pd.to_datetime(
                ["2026-07-03 03:04:00", "2026-12-24 22:59:59"]
            ).tz_localize("UTC"),
            "n": [1, 22],
            "score": [95.5, np.nan],
            "match": ["exact", "failed"],
            "in_hostel_buffer": [True, False],
            "category": ["dogs", "other"],
            "Ulice": ["Žižkova", "=1+1"],
        }
    )
    data = io.table_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert data.decode("utf-8-sig").splitlines() == [
        "Datum a čas;Počet;Shoda adresy [%];Geokódování;V okolí ubytovny;Kategorie;Ulice",
        "2026-07-03 05:04:00;1;95,5;přesná shoda;ano;volné pobíhání psů;Žižkova",  # CEST
        "2026-12-24 23:59:59;22;;nenalezeno;ne;jiné;'=1+1",  # CET, formula-safe
    ]
    english = io.table_bytes(frame, lang="en").decode("utf-8-sig").splitlines()
    assert (
        english[0]
        == "Reported at,Count,Address similarity [%],Geocoding match,Near a hostel,Category,Ulice"
    )
    assert english[1] == "2026-07-03 05:04:00,1,95.5,exact match,yes,dogs off the lead,Žižkova"
    raw = io.table_bytes(frame, labels=False).decode("utf-8-sig").splitlines()
    assert raw[0].startswith("reported_at;n;score;match;") and raw[1].endswith(
        ";exact;True;dogs;Žižkova"
    )
    with pytest.raises(ParameterError, match="is the decimal mark"):
        io.table_bytes(frame, delimiter=",")
    with pytest.raises(ParameterError, match="lang must be one of cs, en; got 'de'"):
        io.table_bytes(frame, lang="de")
    assert frame["match"].tolist() == ["exact", "failed"]  # the input is not changed


def test_degrees_for_people_have_seven_decimals_and_notes_their_language() -> None:
    # pyproj gives 49.83050002907633: 14 digits nobody can use (7 decimals are about 1 cm)
    frame = pd.DataFrame(
        {
            "lat": [49.83050002907633, np.nan],
            "lon": [18.261499953352754, np.nan],
            "geocode_reason": ["street 'bedriska' corrected to 'Bedřišská' (score 94)", ""],
        }
    )
    lines = io.table_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "49,8305;18,2615;ulice „bedriska“ opravena na „Bedřišská“ (shoda 94)",
        ";;",
    ]
    english = io.table_bytes(frame, lang="en").decode("utf-8-sig").splitlines()
    assert english[1] == "49.8305,18.2615,street 'bedriska' corrected to 'Bedřišská' (score 94)"
    raw = io.table_bytes(frame, labels=False).decode("utf-8-sig").splitlines()
    assert raw[1].startswith("49,83050002907633;18,261499953352754;")  # a program's copy: all
    assert frame["lat"].iloc[0] == 49.83050002907633  # the input is not changed


def test_display_table_labels_codes_and_keeps_numbers() -> None:
    frame = pd.DataFrame(
        {
            "outcome": ["patrol_called", None],
            "direction": ["up", "none"],
            "kind": ["zone", "svl"],
            "name": ["elsewhere", "Bedřiška"],
            "significant": [True, False],
            "emerging_class": ["persistent_hot", "no_pattern"],
            "emerging_label_cs": ["trvalé horké místo", "bez zjištěného vzoru"],
            "emerging_label_en": ["persistent hot spot", "no pattern"],
            "n": [3, 4],
        }
    )
    cs = display_table(frame)
    assert list(cs.columns) == ["Výsledek", "Směr změny", "Druh", "Název", "Významné",
                                "Vývoj hotspotu", "Počet"]  # fmt: skip
    assert cs.iloc[0].tolist() == ["přivolána hlídka MP", "nárůst", "pásmo", "jinde ve městě",
                                   "ano", "trvalé horké místo", 3]  # fmt: skip
    assert cs["Výsledek"].isna().tolist() == [False, True]  # a missing outcome stays missing
    assert cs.iloc[1].tolist()[1:5] == ["beze změny", "sociálně vyloučená lokalita", "Bedřiška",
                                        "ne"]  # fmt: skip
    en = display_table(frame, lang="en")
    assert en["Emerging class"].tolist() == ["persistent hot spot", "no pattern"]
    assert pd.api.types.is_integer_dtype(cs["Počet"])


@pytest.mark.slow
def test_every_column_the_cli_writes_has_a_czech_header(
    cli_csvs: dict[str, dict[str, Path]],
) -> None:
    internal = set(COLUMN_LABELS)
    for name, path in cli_csvs["cs"].items():
        head = csv_rows(path, lang="cs")[0]
        if name == "geocode":
            head = head[3:]  # the input file's own columns come back unchanged
        assert not internal & set(head), f"{name}: untranslated {sorted(internal & set(head))}"
        english = csv_rows(cli_csvs["en"][name], lang="en")[0]
        assert len(english) == len(csv_rows(path, lang="cs")[0])
    assert column_label("hostel_distance_m") == "Vzdálenost od ubytovny [m]"


@pytest.mark.slow
def test_cli_table_files_keep_their_modes(cli_csvs: dict[str, dict[str, Path]]) -> None:
    for lang in ("cs", "en"):
        assert cli_csvs[lang]["quarantine"].stat().st_mode & 0o777 == 0o600  # personal data
        assert cli_csvs[lang]["geocode"].stat().st_mode & 0o777 == 0o600


# --------------------------------------------------------------------------- XLSX


@pytest.mark.parametrize(("lang", "dt_format", "date_format"), [
    ("cs", "d.m.yyyy h:mm:ss", "d.m.yyyy"), ("en", "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd"),
])  # fmt: skip
def test_xlsx_has_typed_number_date_and_text_cells(
    tmp_path: Path, lang: str, dt_format: str, date_format: str
) -> None:
    frame = pd.DataFrame(
        {
            "reported_at": pd.to_datetime(["2026-07-03 03:04"]).tz_localize("UTC"),
            "period": pd.to_datetime(["2026-07-01"]),  # midnight only: a date
            "n": [7],
            "density_km2": [12.25],
            "address": ["Hlavní třída 583/12"],
            "significant": [True],
        }
    )
    out = io.write_table(frame, tmp_path / "t.xlsx", lang=lang)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    head, row = ([c for c in r] for r in ws.iter_rows(max_row=2))
    assert [c.value for c in head] == [column_label(c, lang) for c in frame.columns]
    when, period, n, density, address, significant = row
    assert when.data_type == "d" and when.value == dt.datetime(2026, 7, 3, 5, 4)  # local time
    assert when.number_format == dt_format
    assert period.data_type == "d" and period.value == dt.datetime(2026, 7, 1)
    assert period.number_format == date_format
    assert (n.data_type, n.value) == ("n", 7) and (density.data_type, density.value) == ("n", 12.25)
    assert (address.data_type, address.value) == ("s", "Hlavní třída 583/12")
    assert significant.value == ("ano" if lang == "cs" else "yes")


# --------------------------------------------------------------------------- layers


def _clockwise_cells() -> gpd.GeoDataFrame:
    cw = Polygon([(-470000, -1100000), (-470000, -1099900), (-469900, -1099900),
                  (-469900, -1100000)])  # fmt: skip
    assert not cw.exterior.is_ccw  # clockwise, as the clusters were
    summer = pd.Timestamp("2026-07-03 05:04", tz="Europe/Prague")
    winter = pd.Timestamp("2026-11-30 05:04", tz="Europe/Prague")
    return gpd.GeoDataFrame(
        {
            "hotspot_class": [3, -1],
            "n": [5, 0],
            "date_from": [summer, winter],  # CEST (UTC+2), CET (UTC+1)
            "day": pd.to_datetime(["2026-07-03", "2026-12-01"]),  # dates
        },
        geometry=[cw, shapely.affinity.translate(cw, 100, 0)],
        crs="EPSG:5514",
    )


def test_gpkg_is_1_3_with_utc_times_local_text_dates_and_a_qgis_style(tmp_path: Path) -> None:
    out = tmp_path / "cells.gpkg"
    io.write_layer(_clockwise_cells(), out, layer="hotspots")
    with contextlib.closing(sqlite3.connect(out)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (10300,)  # GeoPackage 1.3
        columns = {r[1]: r[2] for r in db.execute("PRAGMA table_info(hotspots)")}
        values = db.execute("SELECT date_from, date_from_local, day FROM hotspots").fetchall()
        styles = db.execute(
            "SELECT f_table_name, f_geometry_column, styleName, useAsDefault, styleQML "
            "FROM layer_styles"
        ).fetchall()
        contents = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert (columns["date_from"], columns["date_from_local"], columns["day"]) == (
        "DATETIME", "TEXT", "DATE"
    )  # fmt: skip
    assert values == [
        ("2026-07-03T03:04:00.000Z", "2026-07-03 05:04:00", "2026-07-03"),  # UTC; local 05:04
        ("2026-11-30T04:04:00.000Z", "2026-11-30 05:04:00", "2026-12-01"),
    ]
    assert contents == {"hotspots": "features", "layer_styles": "attributes"}
    [(table, geom, name, default, qml)] = styles
    assert (table, geom, name, default) == ("hotspots", "geom", "Významnost (Gi*)", 1)
    renderer = ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")
    assert renderer is not None and renderer.get("attr") == "hotspot_class"
    categories = {c.get("value"): c.get("label") for c in renderer.iter("category")}
    assert categories["3"] == "hotspot 99 %" and categories["-3"] == "chladné místo 99 %"
    fills = {
        s.get("name"): s.find("layer/prop[@k='color']").get("v")  # type: ignore[union-attr]
        for s in renderer.iter("symbol")
    }
    assert fills["0"] == "178,24,43,255"  # class 3: #b2182b


def test_qgis_style_colours_are_the_map_colours_and_graduated_styles_have_five_classes() -> None:
    assert dict(_qgis.GISTAR_COLOURS) == dict(map_style.GISTAR_COLOURS)
    assert tuple(_qgis.COUNT_COLOURS) == tuple(map_style.COUNT_COLOURS)
    assert tuple(_qgis.RISK_COLOURS) == tuple(map_style.RISK_COLOURS)
    layer = gpd.GeoDataFrame(
        {"risk": np.arange(10, dtype=float) / 4},
        geometry=[Point(i, 0).buffer(0.4) for i in range(10)],
        crs="EPSG:5514",
    )
    qml = _qgis.style_qml(layer, lang="cs")
    assert qml is not None
    renderer = ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")
    assert renderer is not None and renderer.get("type") == "graduatedSymbol"
    ranges = [
        (float(r.get("lower", "")), float(r.get("upper", ""))) for r in renderer.iter("range")
    ]
    assert ranges[0][0] == 0.0 and ranges[-1][1] == 2.25 and len(ranges) == 5
    assert next(r.get("label") for r in renderer.iter("range")) == "0 – 0,45"  # decimal comma
    assert _qgis.style_qml(layer.rename(columns={"risk": "other"}), lang="cs") is None


def test_geojson_is_rfc_7946_with_a_real_layer_name(tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    io.write_layer(_clockwise_cells(), out, layer="hotspots")
    check_rfc7946(out, name="hotspots")
    feature = json.loads(out.read_text("utf-8"))["features"][0]["properties"]
    assert feature["date_from"] == "2026-07-03T03:04:00Z"
    assert feature["date_from_local"] == "2026-07-03 05:04:00" and feature["day"] == "2026-07-03"
    download = io.layer_bytes(_clockwise_cells(), suffix=".geojson", layer="hotspots")
    assert json.loads(download)["name"] == "hotspots"  # no temporary file's name


def check_rfc7946(path: Path, *, name: str) -> None:
    data = json.loads(path.read_text("utf-8"))
    assert "crs" not in data and data["name"] == name
    decimals = re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in data["features"]]))
    assert decimals and max(map(len, decimals)) <= 7
    for geometry in gpd.read_file(path).geometry:
        polygons = getattr(geometry, "geoms", [geometry])
        for polygon in polygons:
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw, "exterior ring not counter-clockwise"
                assert all(not ring.is_ccw for ring in polygon.interiors)


@pytest.mark.slow
def test_the_validator_passes_ours_and_the_checks_fail_on_the_old_files(tmp_path: Path) -> None:
    """Ours (with dates, times and a style) passes; controls: a GPKG 1.4 (GDAL's default)
    fails the GDAL 3.6 validator; plain GDAL GeoJSON has long coordinates, a clockwise ring."""
    io.write_layer(_clockwise_cells(), tmp_path / "new.gpkg", layer="hotspots")
    assert validate_gpkg(tmp_path / "new.gpkg") == ""
    cells = _clockwise_cells().drop(columns=["date_from", "day"])
    cells.to_file(tmp_path / "old.gpkg", driver="GPKG", layer="hotspots")
    assert validate_gpkg(tmp_path / "old.gpkg") != ""
    cells.to_crs("EPSG:4326").to_file(tmp_path / "old.geojson", driver="GeoJSON")
    with pytest.raises(AssertionError):
        check_rfc7946(tmp_path / "old.geojson", name="old")


@pytest.mark.slow
@pytest.mark.parametrize("method", ["gistar", "kde", "clusters", "forecast", "emerging"])
def test_every_hotspot_output_passes_the_validator_and_rfc_7946(
    demo: Path, tmp_path: Path, method: str
) -> None:
    gpkg, geojson = tmp_path / "h.gpkg", tmp_path / "h.geojson"
    for out in (gpkg, geojson):
        run("hotspots", "--store", str(demo), "--method", method, "--min-cluster-size", "10",
            "--out", str(out))  # fmt: skip
    assert validate_gpkg(gpkg) == ""
    check_rfc7946(geojson, name="hotspots")
    styled = {"gistar": "hotspot_class", "kde": "density_km2", "forecast": "risk"}
    layers = set(pyogrio.list_layers(gpkg)[:, 0])
    assert ("layer_styles" in layers) == (method in styled)
    if method == "clusters":  # the case: times with a local offset became UTC + local
        back = gpd.read_file(gpkg, layer="hotspots")
        assert str(back["date_from"].dt.tz) == "UTC"
        local = pd.to_datetime(back["date_from_local"]).dt.tz_localize("Europe/Prague")
        assert (local.dt.tz_convert("UTC") == back["date_from"]).all()
