"""The pyarrow reading of a CSV file without quotes gives exactly what the other paths give.

:func:`apk_geo.io._arrowcsv.arrow_cells` replaces the C parser of the fast path only for a file
with no quote and no NUL whose every data line is a record of the header's fields. For every
file here the table read (rows, lines, bad records, counts) equals the one read with pyarrow
switched off (the C parser) and the one read record by record (the strict path); the test also
checks which reader took the file, so a file it must not take (quotes, a ragged row, a line of
spaces) falls back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apk_geo import io
from apk_geo.errors import InputFileError
from apk_geo.io import _records
from apk_geo.io._arrowcsv import arrow_cells
from apk_geo.io._text import decide_encoding

HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka"


def row(i: int, *, note: str = "žena Šárka", address: str = "Nádražní 5") -> str:
    return f"R{i};24.11.2025;14:05;psi;{address};vyřešeno;A07;{note}"


def body(rows: list[str], *, end: str = "\r\n", header: str = HEADER) -> str:
    return "".join(line + end for line in [header, *rows])


CLEAN = [row(i) for i in range(1, 6)]

#: name -> (bytes of the file, whether pyarrow reads it)
FILES: dict[str, tuple[bytes, bool]] = {
    "utf-8 CRLF": (body(CLEAN).encode("utf-8"), True),
    "utf-8 LF": (body(CLEAN, end="\n").encode("utf-8"), True),
    "cp1250 CRLF": (body(CLEAN).encode("cp1250"), True),
    "BOM": (b"\xef\xbb\xbf" + body(CLEAN).encode("utf-8"), True),
    "no line end at the end": (body(CLEAN).encode("utf-8")[:-2], True),
    "ascii only": (
        body(
            ["R1;24.11.2025;14:05;psi;Dlouha 5;ok;A07;x"],
            header="id;datum;cas;kategorie;adresa;vysledek;asistent;poznamka",
        ).encode("ascii"),
        True,
    ),
    "a row of empty cells": (body([*CLEAN[:2], ";" * 7, *CLEAN[2:]]).encode("utf-8"), True),
    "spaces kept": (body([row(1, note="  pes  "), row(2, note=" ")]).encode("utf-8"), True),
    "quoted note": (
        body([*CLEAN[:2], row(3, note='"pes; kočka ""Max"""'), *CLEAN[3:]]).encode("utf-8"),
        False,
    ),
    "quoted newline": (
        body([row(1, note='"první\r\ndruhý"'), *CLEAN[1:]]).encode("utf-8"),
        False,
    ),
    # an empty line is a row of empty cells for pyarrow as for the C parser (not a record)
    "trailing empty lines": ((body(CLEAN) + "\r\n\r\n").encode("utf-8"), True),
    "an empty line inside": (body([*CLEAN[:2], "", *CLEAN[2:]]).encode("utf-8"), True),
    "a line of spaces": (body([*CLEAN[:2], "   ", *CLEAN[2:]]).encode("utf-8"), False),
    "too few fields": (
        body([*CLEAN[:2], ";".join(row(3).split(";")[:6]), *CLEAN[3:]]).encode("utf-8"),
        False,
    ),
    "too many fields": (body([*CLEAN[:2], row(3) + ";navíc", *CLEAN[3:]]).encode("utf-8"), False),
    "truncated last line": (
        (body(CLEAN) + ";".join(row(6).split(";")[:5])).encode("utf-8"),
        False,
    ),
}


def _read(path: Path) -> io.RawTable:
    """Read as incidents are read (``read_table``: a short row is quarantined)."""
    return io.read_table(path)


def _same(a: io.RawTable, b: io.RawTable) -> None:
    """Assert two reads give the same table, lines, bad records and counts (not the parser)."""
    pd.testing.assert_frame_equal(a.data, b.data)
    np.testing.assert_array_equal(a.lines, b.lines)
    assert a.bad_rows == b.bad_rows
    assert a.columns == b.columns
    assert a.line_counts == b.line_counts
    drop = {"parser"}
    assert {k: v for k, v in a.params.items() if k not in drop} == {
        k: v for k, v in b.params.items() if k not in drop
    }


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record every call of the pyarrow reader: whether it returned a frame."""
    calls: list[bool] = []

    def wrapped(*args: object, **kwargs: object) -> pd.DataFrame | None:
        frame = arrow_cells(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(frame is not None)
        return frame

    monkeypatch.setattr(_records, "arrow_cells", wrapped)
    return calls


def _without(monkeypatch: pytest.MonkeyPatch, name: str, value: Callable[..., object]) -> None:
    monkeypatch.setattr(_records, name, value)


@pytest.mark.parametrize("name", list(FILES))
def test_pyarrow_c_parser_and_strict_path_read_the_same_table(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: list[bool]
) -> None:
    content, by_arrow = FILES[name]
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    fast = _read(path)
    assert any(spy) == by_arrow
    if by_arrow:
        assert fast.params["parser"] == "fast"
    _without(monkeypatch, "arrow_cells", lambda *a, **k: None)
    c_parser = _read(path)
    _without(monkeypatch, "_parse_fast", lambda *a, **k: None)
    strict = _read(path)
    assert strict.params["parser"] == "strict"
    _same(fast, c_parser)
    _same(fast, strict)


@pytest.mark.parametrize("name", [n for n, (_, by_arrow) in FILES.items() if by_arrow])
def test_pyarrow_frame_is_the_c_parsers_frame(name: str) -> None:
    content, _ = FILES[name]
    decoded = decide_encoding(content, encoding=None, path=Path("export.csv"))
    got = arrow_cells(decoded, delimiter=";", n_fields=8, header_lines=1)
    want = _records._c_parser(decoded, delimiter=";")
    assert got is not None and want is not None
    pd.testing.assert_frame_equal(got.set_axis(want.columns, axis=1), want)


def test_ragged_rows_take_the_strict_path_and_are_quarantined(
    tmp_path: Path, spy: list[bool]
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(FILES["too few fields"][0])
    raw = _read(path)
    assert spy == [False]  # pyarrow refused the file, the C parser's counts too
    assert raw.params["parser"] == "strict"
    assert [bad.line for bad in raw.bad_rows] == [4]
    assert raw.data.iloc[:, 0].tolist() == ["R1", "R2", "R4", "R5"]


def test_pyarrow_refuses_what_it_cannot_prove(tmp_path: Path) -> None:
    def cells(content: bytes, n_fields: int = 8) -> pd.DataFrame | None:
        decoded = decide_encoding(content, encoding=None, path=tmp_path / "x.csv")
        return arrow_cells(decoded, delimiter=";", n_fields=n_fields, header_lines=1)

    assert cells(body(CLEAN).encode("utf-8")) is not None
    assert cells(body(CLEAN).encode("utf-8"), n_fields=7) is None  # every row has 8 fields
    assert cells(FILES["quoted note"][0]) is None
    assert cells(FILES["a line of spaces"][0]) is None  # one field, not 8
    assert cells(FILES["too many fields"][0]) is None
    assert cells(body([]).encode("utf-8")) is None  # only the header: nothing to gain
    one = cells(b"id\r\nR1\r\n\r\nR2\r\n", n_fields=1)  # one column: an empty line is a cell
    assert one is not None and one.iloc[:, 0].tolist() == ["R1", "", "R2"]


@pytest.mark.slow
def test_a_large_clean_file_is_read_by_pyarrow_and_equals_the_c_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: list[bool]
) -> None:
    rows = [
        row(i, note=f"poznámka {i % 97}", address=f"Ulice {i % 1000}/{i % 7}")
        for i in range(1, 200_001)
    ]
    path = tmp_path / "export.csv"
    path.write_bytes(body(rows).encode("cp1250"))
    fast = _read(path)
    assert spy == [True] and fast.n_rows == 200_000
    _without(monkeypatch, "arrow_cells", lambda *a, **k: None)
    _same(fast, _read(path))


_CELL = st.text(alphabet=st.sampled_from(list('aéŠ 1;"\r\n')), max_size=6)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=2, max_size=4), min_size=1, max_size=6),
    end=st.sampled_from(["\r\n", "\n"]),
    encoding=st.sampled_from(["utf-8", "cp1250"]),
)
def test_any_small_file_reads_the_same_with_and_without_pyarrow(
    rows: list[list[str]], end: str, encoding: str, tmp_path: Path
) -> None:
    # rows of 2-4 raw cells under a 3-field header: ragged, quoted, broken or clean, as drawn
    text = end.join(["id;datum;kategorie", *(";".join(r) for r in rows)]) + end
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(encoding))
    records: Any = _records
    saved = records.arrow_cells

    def read() -> io.RawTable | str:
        try:
            return io.read_table(path)
        except InputFileError as exc:
            return str(exc)

    with_arrow = read()
    records.arrow_cells = lambda *a, **k: None
    try:
        without = read()
    finally:
        records.arrow_cells = saved
    if isinstance(with_arrow, str) or isinstance(without, str):
        assert with_arrow == without
    else:
        _same(with_arrow, without)
