"""``apk-geo quarantine``, ``status`` and ``ingest`` speak the user's language (issue 14).

The quarantine export names the field as the user's own file does and says what was expected in
``--lang``; ``status`` and ``ingest`` print labels in ``--lang`` with numbers and dates in its
format; ``--json`` keeps the English machine keys.
"""

from __future__ import annotations

import contextlib
import csv
import io as _stdio
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from apk_geo import cli
from apk_geo.config import Config
from apk_geo.testing import make_store

NBSP = "\u00a0"

#: A quarantined row as the validator wrote it: canonical field, English expectation.
_QUARANTINED = {
    "source": "apk",
    "file": "export.csv",
    "line": 7,
    "field": "reported_at",
    "value": "32.1.2026 19:46",
    "expected": "a date and time like 24.11.2026 14:05 or 2026-11-24T14:05 (Europe/Prague)",
    "reason": "Datum + Čas: hodnota „32.1.2026 19:46“",
    "raw": json.dumps(
        {"Číslo záznamu": "A-1", "Datum": "32.1.2026", "Čas": "19:46", "Kategorie": "psi"},
        ensure_ascii=False,
    ),
}


def _run(args: list[str]) -> tuple[int, str]:
    buffer = _stdio.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(args)
    return code, buffer.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    rows = [{"id": str(i)} for i in range(1, 1235)]  # 1 234 incidents: a grouped number
    made = make_store(tmp_path / "s.gpkg", rows, quarantine=[_QUARANTINED])
    return Path(str(made.location))


def _csv_rows(path: Path, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_stdio.StringIO(path.read_text("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize(
    ("lang", "delimiter", "field", "expected", "expected_head"),
    [
        ("cs", ";", "Pole", "datum a čas, např. 24.11.2026 14:05", "Očekáváno"),
        ("en", ",", "Field", "a date and time like 24.11.2026 14:05", "Expected"),
    ],
)
def test_quarantine_export_names_the_files_column_in_the_language(
    store: Path,
    tmp_path: Path,
    lang: str,
    delimiter: str,
    field: str,
    expected: str,
    expected_head: str,
) -> None:
    out = tmp_path / f"q-{lang}.csv"
    code, printed = _run(["quarantine", "--store", str(store), "--out", str(out), "--lang", lang])
    assert code == 0 and out.stat().st_mode & 0o777 == 0o600
    [row] = _csv_rows(out, delimiter)
    assert row[field] == "Datum + Čas"  # the user's own columns, not reported_at
    assert row[expected_head].startswith(expected)
    assert ("Europe/Prague" in row[expected_head]) is (lang == "en")
    label = {"cs": "řádky", "en": "rows"}[lang]
    assert any(line.split() == [label, "1"] for line in printed.splitlines())


def test_quarantine_xlsx_export_is_translated_and_private(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    code, _ = _run(["quarantine", "--store", str(store), "--out", str(out)])
    assert code == 0 and out.stat().st_mode & 0o777 == 0o600
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    head = [c.value for c in ws[1]]
    cells = dict(zip(head, [c.value for c in ws[2]], strict=True))
    assert cells["Pole"] == "Datum + Čas"
    assert str(cells["Očekáváno"]).startswith("datum a čas")


def test_quarantine_json_keeps_machine_keys(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    code, printed = _run(["quarantine", "--store", str(store), "--out", str(out), "--json"])
    assert code == 0 and json.loads(printed) == {"rows": 1, "out": str(out)}


def test_status_prints_czech_labels_and_numbers_by_default(store: Path) -> None:
    code, printed = _run(["status", "--store", str(store), "--check"])
    assert code == 0
    lines = printed.splitlines()
    assert lines[0] == f"Úložiště {store}:"
    assert any(line.split(None, 1) == ["události", f"1{NBSP}234"] for line in lines)
    assert any(line.strip() == "v karanténě         1" for line in lines)
    assert any(line.strip().startswith("bilance sedí") and line.endswith("ano") for line in lines)
    assert "poslední importy:" in printed and f"načteno 1{NBSP}235" in printed
    assert "incidents" not in printed and "last imports" not in printed


def test_status_in_english(store: Path) -> None:
    code, printed = _run(["status", "--store", str(store), "--lang", "en", "--check"])
    assert code == 0
    lines = printed.splitlines()
    assert lines[0] == f"Store {store}:"
    assert any(line.split(None, 1) == ["incidents", "1,234"] for line in lines)
    assert any(line.strip().startswith("reconciled") and line.endswith("yes") for line in lines)
    assert "last imports:" in printed and "read 1,235" in printed
    assert "události" not in printed


def test_status_dates_are_local_and_in_the_languages_format(tmp_path: Path) -> None:
    # 2026-07-03 03:04 UTC is 05:04 in Prague (summer time)
    made = make_store(tmp_path / "t.gpkg", [{"id": "1", "reported_at": "2026-07-03T03:04:00Z"}])
    code, cs = _run(["status", "--store", str(made.location)])
    assert code == 0 and "3. 7. 2026 05:04" in cs
    code, en = _run(["status", "--store", str(made.location), "--lang", "en"])
    assert code == 0 and "3 Jul 2026 05:04" in en


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_status_json_keys_stay_english(store: Path, lang: str) -> None:
    code, printed = _run(["status", "--store", str(store), "--json", "--lang", lang])
    summary = json.loads(printed)
    assert code == 0 and summary["incidents"] == 1234 and summary["quarantined"] == 1
    assert {"geocoded", "not_geocoded", "date_from", "last_imports"} <= summary.keys()
    assert summary["last_imports"][0]["read"] == 1235


_EXPORT_HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka;lat;lon"
_GOOD = "1;3.11.2026;21:40;alkohol;;vyřešeno;A07;;49,8290;18,1700"
_BAD = "2;3.11.2026;21:40;létající talíř;;vyřešeno;A07;;49,8290;18,1700"


@pytest.mark.parametrize(
    ("lang", "title", "labels", "hint"),
    [
        (
            "cs",
            "Import {file} do {store}:",
            ("načteno", "přijato", "v karanténě", "bez polohy"),
            "1 řádek je v karanténě: apk-geo quarantine --store",
        ),
        (
            "en",
            "Imported {file} into {store}:",
            ("read", "accepted", "quarantined", "not geocoded"),
            "1 row quarantined: apk-geo quarantine --store",
        ),
    ],
)
def test_ingest_prints_its_counts_in_the_language(
    tmp_path: Path, demo_config: Config, lang: str, title: str, labels: tuple[str, ...], hint: str
) -> None:
    config_file = tmp_path / "apk.toml"
    config_file.write_text(
        f'[layers]\nsvl = "{demo_config.layers.svl}"\nhostels = "{demo_config.layers.hostels}"\n',
        encoding="utf-8",
    )
    src = tmp_path / "e.csv"
    src.write_text("\r\n".join([_EXPORT_HEADER, _GOOD, _BAD, ""]), encoding="utf-8")
    store = tmp_path / "s.gpkg"
    base = ["--config", str(config_file), "ingest", str(src), "--store", str(store)]
    code, dry = _run([*base, "--lang", lang, "--dry-run"])
    assert code == 0 and not store.exists()
    assert dry.splitlines()[0].startswith({"cs": "Zkušební běh", "en": "Dry run"}[lang])
    code, printed = _run([*base, "--lang", lang])
    assert code == 0
    lines = printed.splitlines()
    assert lines[0] == title.format(file=src, store=store)
    rows = {line.strip().rsplit(None, 1)[0].strip(): line.split()[-1] for line in lines[1:]}
    assert [rows[name] for name in labels] == ["2", "1", "1", "0"]
    assert hint in printed
    code, as_json = _run([*base, "--lang", lang, "--json"])
    again = json.loads(as_json)  # the keys stay English
    assert code == 0 and (again["read"], again["duplicates"], again["quarantined"]) == (2, 1, 1)


@pytest.mark.parametrize(
    ("lang", "prefix", "english"),
    [("cs", "apk-geo status: chyba: ", False), ("en", "apk-geo status: error: ", True)],
)
def test_status_check_names_the_problem_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, prefix: str, english: bool
) -> None:
    # an incident removed behind the store's back: the import log no longer balances
    made = make_store(tmp_path / "s.gpkg", [{"id": str(i)} for i in range(3)])
    with contextlib.closing(sqlite3.connect(str(made.location))) as db, db:
        db.execute("DELETE FROM incidents WHERE fid = (SELECT min(fid) FROM incidents)")
    code = cli.main(["status", "--store", str(made.location), "--check", "--lang", lang])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and err.startswith(prefix)
    assert ("stored" in err) is english  # the problem itself in the language, not only the prefix
