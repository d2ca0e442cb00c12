"""Every read error is one line in the user's language, naming the file, the line and the field.

The reader (:mod:`apk_geo.io.read` and its helpers) is Czech by default and English with
``lang="en"``; each refusal is checked in both.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from apk_geo import io
from apk_geo.config import Config
from apk_geo.errors import InputFileError, ParameterError
from apk_geo.io import _text

HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa"
ROW = "A-1;24.11.2026;14:05;psi;Nádražní 5"

#: English words that must not appear in a Czech message (file names and values aside).
_ENGLISH = re.compile(r"\b(the|file|cannot|expected|missing|line|column|row|is|not|no)\b")


def _one_line(exc: BaseException, path: Path | None = None) -> str:
    text = str(exc)
    assert "\n" not in text
    if path is not None:
        assert text.startswith(f"{path}: ")
        return text.removeprefix(f"{path}: ")
    return text


def _czech(text: str) -> str:
    assert _ENGLISH.search(text) is None, text
    return text


def _refusal(
    call: Callable[[str], object], lang: str, path: Path | None, error: type[Exception]
) -> str:
    with pytest.raises(error) as caught:
        call(lang)
    text = _one_line(caught.value, path)
    return _czech(text) if lang == "cs" else text


def _in(read: Callable[..., object], *args: object, **options: object) -> Callable[[str], object]:
    """Return a call of ``read(*args, **options)`` in the language it is given."""
    return lambda lang: read(*args, lang=lang, **options)


def _write(tmp_path: Path, content: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "cs", "en"),
    [
        (
            b"",
            "soubor je prázdný; očekává se řádek záhlaví",
            "the file is empty; expected a header",
        ),
        (b"  \r\n\r\n", "soubor je prázdný", "the file is empty"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "starý soubor Excelu .xls; uložte ho jako .xlsx",
            "old Excel .xls file; save it as .xlsx",
        ),
        (
            b"PK\x03\x04garbage",
            "nelze přečíst jako sešit XLSX (je poškozený",
            "cannot read as an XLSX workbook (it is damaged",
        ),
        (
            f"{HEADER}\n{ROW}\nA-2;1.1.2026\x00;8:00;psi;X 1\n".encode(),
            "nulové bajty (NUL, první na řádku 3), čten jako UTF-8 or cp1250",
            "NUL bytes when read as UTF-8 or cp1250 (the first on line 3)",
        ),
        (
            b"foo;bar\n1;2\n",
            "chybí povinné sloupce Číslo záznamu, Kategorie, Datum, Adresa (nebo lat/lon či x/y); "
            "soubor má sloupce „foo“, „bar“",
            "missing required columns id (Číslo záznamu), category (Kategorie), reported_at (or "
            "Datum), address (or lat/lon or x/y); the file has the columns 'foo', 'bar'",
        ),
        (
            "Číslo záznamu;Datum;Kategorie;Zeměpisná šířka\n".encode(),
            "chybí povinný sloupec Zeměpisná délka (lon);",
            "missing required column lon (Zeměpisná délka);",
        ),
        (
            "id;Datum;Kategorie;Adresa;Číslo\n".encode(),
            "sloupce „id“ a „Číslo“ znamenají totéž (Číslo záznamu); přejmenujte",
            "columns 'id' and 'Číslo' both mean id (Číslo záznamu); rename",
        ),
    ],
    ids=["empty", "blank", "xls", "bad-zip", "nul", "no-columns", "lat-no-lon", "two-ids"],
)
@pytest.mark.parametrize("lang", ["cs", "en"])
def test_a_file_that_cannot_be_read_is_refused_in_the_language(
    tmp_path: Path, content: bytes, cs: str, en: str, lang: str
) -> None:
    path = _write(tmp_path, content)
    text = _refusal(lambda lg: io.read_table(path, lang=lg), lang, path, InputFileError)
    assert (cs if lang == "cs" else en) in text


@pytest.mark.parametrize(
    ("lang", "missing", "folder"),
    [
        ("cs", "soubor neexistuje; zkontrolujte cestu", "je to složka, ne soubor"),
        ("en", "there is no such file; check the path", "it is a folder"),
    ],
)
def test_a_missing_file_or_a_folder_is_named(
    tmp_path: Path, lang: str, missing: str, folder: str
) -> None:
    nope = tmp_path / "nope.csv"
    for read in (io.read_table, io.read_csv):
        assert missing in _refusal(_in(read, nope), lang, nope, InputFileError)
        assert folder in _refusal(_in(read, tmp_path), lang, tmp_path, InputFileError)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "oddělovač (--delimiter) musí být jeden znak jiný než uvozovky"),
        ("en", "delimiter (--delimiter) must be one character other than a quote"),
    ],
)
def test_a_bad_delimiter_is_refused_in_the_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = _write(tmp_path, f"{HEADER}\n{ROW}\n".encode())
    for read in (io.read_table, io.read_csv):
        text = _refusal(_in(read, path, delimiter=";;"), lang, None, ParameterError)
        assert expected in text and "';;'" in text


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_nul_bytes_in_a_declared_or_utf16_file_name_the_line(tmp_path: Path, lang: str) -> None:
    expected = {"cs": "nulové bajty (NUL, první na řádku 2)", "en": "(the first on line 2)"}
    single = _write(tmp_path, f"{HEADER}\nA-1\x00;x\n".encode("cp1250"), "a.csv")
    text = _refusal(
        lambda lg: io.read_table(single, encoding="cp1250", lang=lg), lang, single, InputFileError
    )
    assert expected[lang] in text and "cp1250" in text
    utf16 = _write(tmp_path, codecs.BOM_UTF16_LE + f"{HEADER}\nA\x00;x\n".encode("utf-16-le"))
    text = _refusal(lambda lg: io.read_table(utf16, lang=lg), lang, utf16, InputFileError)
    assert expected[lang] in text and "utf-16" in text


@pytest.mark.parametrize(
    ("lang", "first", "many"),
    [
        (
            "cs",
            "řádek 2: příliš mnoho polí: 3, záhlaví má 2",
            "řádek 3: příliš mnoho polí: 3, záhlaví má 2",
        ),
        (
            "en",
            "line 2: row: got 3 fields, expected 2",
            "line 3: row: got 3 fields, expected 2",
        ),
    ],
)
def test_read_csv_names_the_line_of_a_broken_record(
    tmp_path: Path, lang: str, first: str, many: str
) -> None:
    path = _write(tmp_path, b"a;b\n1;2;3\n4;5\n", "points.csv")
    assert first in _refusal(lambda lg: io.read_csv(path, lang=lg), lang, path, InputFileError)
    path.write_bytes(b"a;b\n1;2\n3;4;5\n6;7;8\n")
    text = _refusal(lambda lg: io.read_csv(path, lang=lg), lang, path, InputFileError)
    assert text.startswith(many)
    assert text.endswith({"cs": "chybných řádků celkem: 2", "en": "2 such rows in all"}[lang])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("cs", "je to sešit Excelu, ne CSV"), ("en", "this is an Excel workbook, not a CSV")],
)
def test_read_csv_refuses_a_workbook_in_the_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = _write(tmp_path, b"PK\x03\x04garbage", "points.csv")
    assert expected in _refusal(lambda lg: io.read_csv(path, lang=lg), lang, path, InputFileError)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "soubor nelze rozdělit na sloupce CSV (boom); zkontrolujte oddělovač"),
        ("en", "cannot parse as CSV (boom); check the delimiter"),
    ],
)
def test_a_csv_pandas_cannot_type_is_refused_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    path = _write(tmp_path, b"a;b\n1;2\n", "points.csv")

    def broken(*_args: object, **_kwargs: object) -> pd.DataFrame:
        raise pd.errors.ParserError("boom")

    monkeypatch.setattr(pd, "read_csv", broken)
    text = _refusal(
        lambda lg: io.read_csv(path, dtype="infer", lang=lg), lang, path, InputFileError
    )
    assert expected in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "soubor nelze dekódovat v kódování utf-8; uložte ho jako UTF-8"),
        ("en", "cannot decode the file as utf-8; save it as UTF-8"),
    ],
)
def test_an_undecodable_file_without_a_bad_byte_still_gets_a_sentence(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = tmp_path / "x.csv"
    error = _text.undecodable_error(b"a;b\n", "utf-8", path=path, lang=lang)
    text = _one_line(error, path)
    assert expected in (_czech(text) if lang == "cs" else text)


def _workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "„Data“: chybí povinné sloupce: Kategorie, Adresa (nebo lat/lon či x/y)"),
        ("en", "'Data': missing required columns: category (Kategorie), address (or lat/lon"),
    ],
)
def test_a_workbook_without_an_export_sheet_names_the_missing_columns(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = _workbook(tmp_path / "e.xlsx", ["Číslo záznamu", "Datum"], [["A-1", "24.11.2026"]])
    text = _refusal(lambda lg: io.read_table(path, lang=lg), lang, path, InputFileError)
    assert expected.replace("'", "„", 1).replace("'", "“", 1) in text or expected in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "Datum: vzorec bez uložené hodnoty v buňce Data!B2"),
        ("en", "Datum: formula without a cached value in cell Data!B2"),
    ],
)
def test_a_formula_without_a_value_names_the_files_column(
    tmp_path: Path, lang: str, expected: str
) -> None:
    header = ["Číslo záznamu", "Datum", "Čas", "Kategorie", "Adresa"]
    path = _workbook(
        tmp_path / "e.xlsx",
        header,
        [
            ["F1", "=DATE(2025,11,24)", "14:05", "psi", "Nádražní 5"],
            ["F2", "24.11.2025", "14:05", "psi", "Nádražní 5"],
        ],
    )
    raw = io.read_table(path, lang=lang)
    [bad] = raw.bad_rows
    assert (bad.line, bad.field, bad.sheet) == (2, "date", "Data")
    assert bad.reason.startswith(expected) and "\n" not in bad.reason
    quarantine = io.validate(raw, source="apk", config=Config()).quarantine
    assert quarantine["reason"].tolist() == [bad.reason]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "soubor nemá řádek záhlaví (řádek 1 je prázdný)"),
        ("en", "the file has no header line (line 1 is empty)"),
    ],
)
def test_a_file_without_a_header_line_is_refused_in_the_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = _write(tmp_path, b"\nid;Datum\n1;1.1.2024\n")
    text = _refusal(_in(io.read_table, path), lang, path, InputFileError)
    assert text.startswith(expected)
