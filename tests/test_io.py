from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from apk_geo import geocode, io
from apk_geo.config import Config
from apk_geo.errors import CRSError, InputFileError, ParameterError
from apk_geo.schema import QUARANTINE_COLUMNS, Code

PRAGUE = ZoneInfo("Europe/Prague")
GOOD = ["1", "24.11.2026", "14:05", "Alkohol", "30. dubna 635/35, Ostrava", "vyřešeno", "A07", "x"]


def row(**changes: str) -> list[str]:
    names = ["id", "date", "time", "category", "address", "outcome", "assistant", "note"]
    values = dict(zip(names, GOOD, strict=True))
    values.update(changes)
    return [values[n] for n in names]


def check(raw: io.RawTable, config: Config | None = None) -> io.Validated:
    v = io.validate(raw, source="apk", config=config or Config())
    assert v.read == len(v.valid) + v.duplicates + len(v.quarantine)
    return v


# ------------------------------------------------------------------ reading


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected_encoding"),
    [
        ("cp1250", ";", "cp1250"),
        ("utf-8", ",", "utf-8"),
        ("utf-8-sig", ";", "utf-8-sig"),
        ("utf-16", "\t", "utf-16"),
    ],
    ids=["cp1250-semicolon", "utf8-comma", "utf8-bom", "utf16-tab"],
)
def test_encoding_and_delimiter_are_detected(
    write_csv, encoding: str, delimiter: str, expected_encoding: str
) -> None:
    path = write_csv([row(note='Šťastná žlutá, "kůň"')], encoding=encoding, delimiter=delimiter)
    raw = io.read_table(path)
    assert raw.encoding == expected_encoding
    assert raw.delimiter == delimiter
    assert raw.columns["id"] == "Číslo záznamu" and raw.columns["time"] == "Čas"
    v = check(raw)
    assert v.valid["note"].tolist() == ['Šťastná žlutá, "kůň"']
    assert v.valid["category"].tolist() == ["alcohol"]


def test_overrides_win_over_detection(write_csv) -> None:
    path = write_csv([row(note="žluť")], encoding="iso-8859-2", delimiter=";")
    assert io.read_table(path).encoding == "iso-8859-2"  # decided from the letters
    # cp1250 reads ISO-8859-2's ž and ť as ľ and »: proof that the override is used, and refused
    with pytest.raises(
        InputFileError,
        match=r"'ą' na řádku 2 .*'Ostrava;vyřeąeno;A07;ľlu»'.*cp1250 \(vypadá jako ISO-8859-2\)",
    ):
        io.read_table(path, encoding="cp1250", delimiter=";")
    raw = io.read_table(path, encoding="latin2", delimiter=";")
    assert raw.encoding == "latin2" and raw.data.iloc[0, 7] == "žluť"
    with pytest.raises(InputFileError, match=r"export\.csv: chybí povinné sloupce"):
        io.read_table(path, delimiter=",")


def test_line_numbers_follow_the_file(write_csv) -> None:
    path = write_csv(
        [
            row(id="1"),
            row(id="2", note="first line\nsecond line\nthird"),
            ["", "", "", "", "", "", "", ""],
            row(id="3", category="UFO"),
        ]
    )
    raw = io.read_table(path)
    # header 1, id 1 on line 2, id 2 on lines 3-5, a blank record on line 6, id 3 on line 7
    assert raw.lines.tolist() == [2, 3, 7]
    v = check(raw)
    assert v.quarantine["line"].tolist() == [7]
    assert v.valid["line"].tolist() == [2, 3]


def test_row_with_too_many_fields_is_quarantined_with_its_line(write_csv) -> None:
    path = write_csv([row(id="1"), [*row(id="2"), "extra"], row(id="3")])
    v = check(io.read_table(path))
    assert v.valid["id"].tolist() == ["1", "3"]
    q = v.quarantine.iloc[0]
    assert (q["line"], q["field"], q["value"], q["expected"]) == (
        3,
        "row",
        "9 polí",
        "8 polí jako v záhlaví",
    )
    assert q["reason"].startswith("příliš mnoho polí: 9, záhlaví má 8")
    assert json.loads(q["raw"])[-1] == "extra"
    english = check(io.read_table(path, lang="en")).quarantine.iloc[0]
    assert "got 9 fields, expected 8" in english["reason"] and english["value"] == "9 fields"


def test_xlsx_with_date_and_time_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Číslo záznamu", "Datum", "Čas", "Kategorie", "Adresa", "Výsledek"])
    ws.append(
        [17, datetime(2026, 7, 1), datetime(2026, 7, 1, 9, 30).time(), "psi", "Nádražní 1", ""]
    )
    ws.append(["18", "2.7.2026", "10:15", "Volné pobíhání psů", "Nádražní 2", "hlídka"])
    ws.append([None, None, None, None, None, None])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    raw = io.read_table(path)
    assert raw.kind == "xlsx" and raw.encoding is None
    v = check(raw)
    assert v.valid["id"].tolist() == ["17", "18"]
    assert v.valid["reported_at"].tolist() == [
        pd.Timestamp(datetime(2026, 7, 1, 9, 30, tzinfo=PRAGUE)),
        pd.Timestamp(datetime(2026, 7, 2, 10, 15, tzinfo=PRAGUE)),
    ]
    assert v.valid["outcome"].isna().tolist() == [True, False]
    assert v.valid["line"].tolist() == [2, 3]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "soubor je prázdný"),
        (b"   \r\n", "soubor je prázdný"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "starý soubor Excelu .xls"),
        (b"PK\x03\x04garbage", "nelze přečíst jako sešit XLSX"),
        (b"id;Datum\x00;x\n", r"nulové bajty \(NUL, první na řádku 1\)"),
        (b"\x81\x83\x88\x90\x98\xff;\n", "bajt 0x81 na řádku 1 není platný v kódování cp1250"),
        ("name;value\nš;1\n".encode(), "chybí povinné sloupce"),
        ("Číslo záznamu;Datum;Kategorie;lat\n".encode(), r"chybí povinný sloupec Zeměpisná délka"),
        ("id;Datum;Kategorie;Adresa;Číslo\n".encode(), "„id“ a „Číslo“ znamenají totéž"),
    ],
    ids=[
        "empty",
        "blank",
        "xls",
        "bad-zip",
        "nul",
        "undecodable",
        "no-columns",
        "lat-no-lon",
        "two-ids",
    ],
)
def test_unreadable_files_raise_one_clear_error(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "incidents.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=match) as exc:
        io.read_table(path)
    assert str(path) in str(exc.value)


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="soubor neexistuje"):
        io.read_table(tmp_path / "nope.csv")
    (tmp_path / "a.csv").write_text("id;Datum;Kategorie;Adresa\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"unknown encoding 'klingon' \(--encoding\)"):
        io.read_table(tmp_path / "a.csv", encoding="klingon", lang="en")
    with pytest.raises(ParameterError, match="neznámé kódování 'klingon'"):
        io.read_table(tmp_path / "a.csv", encoding="klingon")
    with pytest.raises(ParameterError, match=r"oddělovač .* musí být jeden znak"):
        io.read_table(tmp_path / "a.csv", delimiter=";;")


def test_header_only_file_reads_zero_rows(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id;Datum;Kategorie;Adresa\n", encoding="utf-8")
    v = check(io.read_table(tmp_path / "a.csv"))
    assert (v.read, len(v.valid), len(v.quarantine)) == (0, 0, 0)
    assert list(v.valid.columns) == list(io.VALID_COLUMNS)
    assert list(v.quarantine.columns) == list(QUARANTINE_COLUMNS)


# ------------------------------------------------------------------ validation


HEADER_OF = {
    "id": "Číslo záznamu",
    "reported_at": "Datum + Čas",
    "category": "Kategorie",
    "outcome": "Výsledek",
    "assistant": "Asistent",
    "address": "Adresa",
}


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"id": " "}, "id", "a non-empty record id"),
        ({"date": "31.2.2026"}, "reported_at", "a date and time like"),
        ({"date": "24.11.2026", "time": ""}, "reported_at", "a date with a time"),
        ({"date": "1.1.1999"}, "reported_at", "on or after 1.1.2000"),
        ({"date": "1.1.2099"}, "reported_at", "not in the future"),
        ({"category": "UFO"}, "category", "a category code or label"),
        ({"outcome": "zatčen"}, "outcome", "an outcome code or label"),
        ({"assistant": "Jan Novák"}, "assistant", "a pseudonymous code"),
        ({"address": ""}, "address", "an address or coordinates"),
    ],
    ids=[
        "empty-id",
        "bad-date",
        "date-only",
        "too-old",
        "future",
        "category",
        "outcome",
        "assistant-name",
        "no-location",
    ],
)
def test_bad_values_are_quarantined_with_field_value_and_expectation(
    write_csv, changes: dict[str, str], field: str, expected: str
) -> None:
    path = write_csv([row(id="ok"), row(**changes)])
    v = check(io.read_table(path))
    assert v.valid["id"].tolist() == ["ok"]
    q = v.quarantine.iloc[0]
    assert q["field"] == field and q["line"] == 3 and q["file"] == str(path)
    assert expected in q["expected"]
    # the reason names the file's own column, in Czech (issue 14)
    assert q["reason"].startswith(f"{HEADER_OF[field]}: ")
    assert "očekává se" in q["reason"] and f"{field}:" not in q["reason"]
    raw = json.loads(q["raw"])
    assert raw["Číslo záznamu"] == row(**changes)[0]


@pytest.mark.parametrize(
    ("lat", "lon", "field", "expected"),
    [
        ("49,8413", "18,2893", None, None),
        ("18.2893", "49.8413", None, None),  # swapped: kept as given, geocoding fixes it
        ("-49.8413", "-18.2893", None, None),  # flipped signs: likewise
        ("49.8413", "", "lon", "a value because lat is given"),
        ("abc", "18.2", "lat", "a number"),
        ("498.413", "18.2893", "lat", "a value of magnitude in 12..51.1"),
        ("50.0875", "14.4213", "lat", "a point inside the city extent"),  # Prague
    ],
    ids=[
        "comma-decimals",
        "swapped",
        "signs",
        "lat-without-lon",
        "not-a-number",
        "outside-czechia",
        "outside-the-city",
    ],
)
def test_coordinates(
    write_csv, lat: str, lon: str, field: str | None, expected: str | None
) -> None:
    header = ("id", "reported_at", "category", "lat", "lon")
    path = write_csv([["1", "2026-11-24 14:05", "dogs", lat, lon]], header=header)
    v = check(io.read_table(path))
    if field is None:
        given = [float(lat.replace(",", ".")), float(lon.replace(",", "."))]
        assert v.valid[["lat", "lon"]].to_numpy().tolist() == [given]
        assert v.quarantine.empty
    else:
        assert v.valid.empty
        assert v.quarantine["field"].tolist() == [field]
        assert expected in v.quarantine["expected"].iloc[0]


def test_coordinates_outside_the_city_agree_with_geocoding(write_csv) -> None:
    """Quarantined exactly when geocoding would reject the point and there is no address."""
    header = ("id", "reported_at", "category", "address", "lat", "lon", "x", "y")
    t = "2026-11-24 14:05"
    rows = [
        ["prague", t, "dogs", "", "50.0875", "14.4213", "", ""],
        ["prague-with-address", t, "dogs", "Bedřišská 5", "50.0875", "14.4213", "", ""],
        ["brno-sjtsk", t, "dogs", "", "", "", "598000", "1160000"],  # RÚIAN signs, Brno
        ["prague-but-xy-in-ostrava", t, "dogs", "", "50.0875", "14.4213", "-470066", "-1100967"],
        ["ostrava-swapped", t, "dogs", "", "18.2893", "49.8413", "", ""],
    ]
    v = check(io.read_table(write_csv(rows, header=header)))
    assert v.valid["id"].tolist() == [
        "prague-with-address",
        "prague-but-xy-in-ostrava",
        "ostrava-swapped",
    ]
    q = v.quarantine.set_index("line")
    assert q["field"].to_dict() == {2: "lat", 4: "x"}
    assert q.loc[2, "value"] == "50.0875" and q.loc[4, "value"] == "598000"
    assert q.loc[2, "reason"].startswith("lat: hodnota „50.0875“, očekává se bod na území města")
    assert (
        "lat/lon (50,0875; 14,4213) leží v každém pořadí os a znaménku mimo území města"
        in q.loc[2, "reason"]
    )
    assert q.loc[2, "expected"].startswith("a point inside the city extent")  # stays English
    # geocoding rejects exactly the quarantined rows' coordinates and accepts the rest
    placed = geocode.resolve_coordinates(
        pd.DataFrame(
            {
                "lat": [50.0875, 50.0875, np.nan, 50.0875, 18.2893],
                "lon": [14.4213, 14.4213, np.nan, 14.4213, 49.8413],
                "x": [np.nan, np.nan, 598000, -470066, np.nan],
                "y": [np.nan, np.nan, 1160000, -1100967, np.nan],
            }
        )
    )["placed"].tolist()
    assert placed == [False, False, False, True, True]


def test_city_extent_is_a_parameter(write_csv) -> None:
    header = ("id", "reported_at", "category", "lat", "lon")
    path = write_csv([["1", "2026-11-24 14:05", "dogs", "49.8413", "18.2893"]], header=header)
    raw = io.read_table(path)
    assert len(io.validate(raw, source="apk", config=Config()).valid) == 1
    elsewhere = (-600_000.0, -1_170_000.0, -590_000.0, -1_150_000.0)  # around Brno
    v = io.validate(raw, source="apk", config=Config(), city_extent_5514=elsewhere)
    assert v.valid.empty and v.quarantine["field"].tolist() == ["lat"]
    assert "x -600000..-590000, y -1170000..-1150000" in v.quarantine["expected"].iloc[0]


def test_sjtsk_either_sign_is_accepted_but_not_outside_czechia(write_csv) -> None:
    header = ("id", "reported_at", "category", "x", "y")
    rows = [
        ["1", "2026-11-24 14:05", "dogs", "-469000", "-1102000"],
        ["2", "2026-11-24 14:05", "dogs", "469000", "1102000"],  # RÚIAN sign convention
        ["3", "2026-11-24 14:05", "dogs", "-46900", "-1102000"],  # a digit lost
    ]
    v = check(io.read_table(write_csv(rows, header=header)))
    assert v.valid["x"].tolist() == [-469000.0, 469000.0]
    q = v.quarantine.iloc[0]
    assert (q["line"], q["field"], q["value"]) == (4, "x", "-46900")
    assert "magnitude in 430000..1230000" in q["expected"]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("ALKOHOL", "alcohol"),
        ("Pozivani alkoholu", "alcohol"),
        ("littering", "littering"),
        ("  volné   POBÍHÁNÍ psů ", "dogs"),
        ("Graffiti", "graffiti"),
    ],
)
def test_category_labels_fold_to_codes(write_csv, label: str, code: str) -> None:
    config = Config(extra_categories=(Code("graffiti", "graffiti", "graffiti", ("sprejeři",)),))
    v = check(io.read_table(write_csv([row(category=label)])), config)
    assert v.valid["category"].tolist() == [code]


@pytest.mark.parametrize(
    ("date", "time", "expected"),
    [
        ("24.11.2026", "14:05", datetime(2026, 11, 24, 14, 5, tzinfo=PRAGUE)),
        ("4.7.2026", "9:05:30", datetime(2026, 7, 4, 9, 5, 30, tzinfo=PRAGUE)),
        ("24. 11. 2026", "14:05", datetime(2026, 11, 24, 14, 5, tzinfo=PRAGUE)),
        ("2026-11-24", "14:05", datetime(2026, 11, 24, 14, 5, tzinfo=PRAGUE)),
        # DST gap: 02:30 does not exist on 29.3.2026, moved forward by an hour to 03:30 CEST
        ("29.3.2026", "2:30", datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("UTC"))),
        # ambiguous 02:30 on 25.10.2026: the later, standard-time occurrence, CET (UTC+1)
        ("25.10.2026", "2:30", datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC"))),
        # as Czech typography and Excel's short date write them
        ("1.4.2024", "8.05", datetime(2024, 4, 1, 8, 5, tzinfo=PRAGUE)),
        ("1.4.2024", "14.30.15", datetime(2024, 4, 1, 14, 30, 15, tzinfo=PRAGUE)),
        ("01.04.24", "08:05", datetime(2024, 4, 1, 8, 5, tzinfo=PRAGUE)),
        ("1. 4. 24", "8.05", datetime(2024, 4, 1, 8, 5, tzinfo=PRAGUE)),
    ],
    ids=[
        "czech", "single-digits-seconds", "spaced", "iso-date", "dst-gap", "dst-ambiguous",
        "dotted-time", "dotted-seconds", "two-digit-year", "spaced-short-dotted",
    ],
)  # fmt: skip
def test_separate_date_and_time(write_csv, date: str, time: str, expected: datetime) -> None:
    v = check(io.read_table(write_csv([row(date=date, time=time)])))
    assert v.valid["reported_at"].iloc[0] == pd.Timestamp(expected)
    assert str(v.valid["reported_at"].dt.tz) == "Europe/Prague"


@pytest.mark.parametrize(
    ("date", "time"),
    [("1.4.2024", "8.65"), ("1.4.2024", "25.05"), ("31.2.24", "8.05"), ("1.4.124", "8:05")],
)
def test_impossible_dotted_times_and_short_dates_are_quarantined(
    write_csv, date: str, time: str
) -> None:
    v = check(io.read_table(write_csv([row(date=date, time=time)])))
    assert v.valid.empty and v.quarantine["field"].tolist() == ["reported_at"]


def test_single_datetime_column_iso_and_offsets(write_csv) -> None:
    header = ("id", "Datum a čas", "category", "address")
    rows = [
        ["1", "2026-11-24T14:05:00", "dogs", "A 1"],
        ["2", "2026-11-24T14:05:00+01:00", "dogs", "A 1"],
        ["3", "2026-11-24T13:05:00Z", "dogs", "A 1"],
        ["4", "24.11.2026 14:05", "dogs", "A 1"],
        ["5", "24.11.26 14.05", "dogs", "A 1"],
    ]
    v = check(io.read_table(write_csv(rows, header=header)))
    expected = pd.Timestamp(datetime(2026, 11, 24, 14, 5, tzinfo=PRAGUE))
    assert (v.valid["reported_at"] == expected).all() and len(v.valid) == 5


def test_duplicate_ids_first_wins(write_csv) -> None:
    path = write_csv([row(id="7"), row(id="7"), row(id="7", note="changed"), row(id="8")])
    v = check(io.read_table(path))
    assert v.valid["id"].tolist() == ["7", "8"]
    assert v.valid["note"].tolist() == ["x", "x"]
    assert v.duplicates == 1
    q = v.quarantine.iloc[0]
    assert (q["line"], q["field"]) == (4, "id")
    assert "(řádek 2 má jiný záznam se stejným číslem)" in q["reason"]


def test_record_hash_tracks_content() -> None:
    base = pd.DataFrame(
        {
            "id": ["1", "1", "1"],
            "category": ["dogs"] * 3,
            "outcome": [None] * 3,
            "assistant": ["A1"] * 3,
            "note": ["a", "a", "b"],
            "address": ["X 1"] * 3,
            "reported_at": pd.to_datetime(["2026-01-01 10:00"] * 3).tz_localize("Europe/Prague"),
            "lat": [np.nan] * 3,
            "lon": [np.nan] * 3,
            "x": [np.nan] * 3,
            "y": [np.nan] * 3,
        }
    )
    h = io.record_hash(base)
    assert h.iloc[0] == h.iloc[1] != h.iloc[2]
    assert h.str.fullmatch(r"[0-9a-f]{16}").all()
    # The same instant in another time zone is the same record.
    utc = base.assign(reported_at=base["reported_at"].dt.tz_convert("UTC"))
    assert io.record_hash(utc).tolist() == h.tolist()


def test_valid_output_schema(write_csv) -> None:
    v = check(io.read_table(write_csv([row()])))
    assert list(v.valid.columns) == list(io.VALID_COLUMNS)
    assert str(v.valid["reported_at"].dtype) == "datetime64[ns, Europe/Prague]"
    for c in ("lat", "lon", "x", "y"):
        assert v.valid[c].dtype == np.float64
    assert v.valid["line"].dtype == np.int64
    assert str(v.valid["modified_at"].dtype) == "datetime64[ns, Europe/Prague]"
    assert v.valid["modified_at"].isna().all() and v.valid["sheet"].isna().all()
    assert v.params["encoding"] == "utf-8" and v.params["delimiter"] == ";"
    assert v.params["physical_lines"] == v.params["records"] == 1


# ------------------------------------------------------------------ property-based


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_input_file_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    try:
        raw = io.read_table(path)
    except InputFileError:
        return
    check(raw)


cell_text = st.text(
    alphabet=st.sampled_from(list('ab1;,"\n\r .:-Ťžé')) | st.characters(codec="cp1250"),
    max_size=12,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(cell_text, min_size=0, max_size=10), max_size=8),
    delimiter=st.sampled_from([";", ","]),
    encoding=st.sampled_from(["utf-8", "cp1250"]),
)
def test_arbitrary_cells_under_a_valid_header_reconcile(
    tmp_path: Path, rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    header = delimiter.join(["Číslo záznamu", "Datum a čas", "Kategorie", "Adresa", "Poznámka"])
    body = "\n".join(delimiter.join(r) for r in rows)
    path = tmp_path / "fuzz.csv"
    path.write_bytes((header + "\n" + body).encode(encoding, errors="replace"))
    try:
        raw = io.read_table(path)
    except InputFileError:
        return
    v = check(raw)
    assert v.read >= len(v.valid)
    text = (header + "\n" + body).replace("\r\n", "\n").replace("\r", "\n")
    assert set(v.quarantine["line"]) <= set(range(2, text.count("\n") + 2))


# ------------------------------------------------------------------ read_csv


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("cp1250", ";"), ("utf-8-sig", "\t"), ("utf-16", "|")],
    ids=["utf8-comma", "cp1250-semicolon", "bom-tab", "utf16-pipe"],
)
def test_read_csv_detects_like_read_table(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "in.csv"
    text = delimiter.join(["Adresa", "Poznámka", "n"]) + "\n"
    text += delimiter.join(["Nádražní 5", '"a' + delimiter + ' b"', "3"]) + "\n"
    text += delimiter * 2 + "\n"  # a row of empty cells is not a record
    path.write_bytes(text.encode(encoding))
    frame = io.read_csv(path)
    assert frame.attrs["csv"]["delimiter"] == delimiter
    assert frame.attrs["csv"]["encoding"] == encoding
    assert frame.to_dict("list") == {
        "Adresa": ["Nádražní 5"],
        "Poznámka": ["a" + delimiter + " b"],
        "n": ["3"],
    }
    inferred = io.read_csv(path, dtype="infer")
    assert inferred["n"].iloc[0] == 3 and inferred["Adresa"].isna().iloc[1]


def test_read_csv_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("a;b\n1;2;3\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"line 2: row: got 3 fields, expected 2"):
        io.read_csv(path, lang="en")
    path.write_text("a;b\n1;2;3\n4;5\n", encoding="utf-8")  # pandas would shift the columns
    with pytest.raises(InputFileError, match=r"řádek 2: příliš mnoho polí: 3, záhlaví má 2"):
        io.read_csv(path)
    with pytest.raises(InputFileError, match=r"line 2: row: got 3 fields, expected 2"):
        io.read_csv(path, dtype="infer", lang="en")
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(InputFileError, match="je to sešit Excelu, ne CSV"):
        io.read_csv(path)
    with pytest.raises(InputFileError, match="soubor neexistuje"):
        io.read_csv(tmp_path / "nope.csv")
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="unknown encoding"):
        io.read_csv(path, encoding="klingon", lang="en")


# ------------------------------------------------------------------ writing


def test_write_table_is_excel_csv_and_private(tmp_path: Path) -> None:
    table = io.quarantine_frame([{"source": "apk", "line": 2, "field": "id", "raw": "{}"}])
    out = tmp_path / "new" / "q.csv"
    assert io.write_table(table, out, delimiter=";", encoding="utf-8-sig", private=True) == out
    content = out.read_bytes().decode("utf-8")
    assert content == (  # Czech Excel: BOM, ";", Czech headers
        "\ufeffZdroj;Soubor;Řádek;Pole;Hodnota;Očekáváno;Důvod;Původní řádek;Importováno\r\n"
        "apk;;2;id;;;;{};\r\n"
    )
    assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["q.csv"]  # no temporary file left


def test_write_table_failure_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        io.write_table(pd.DataFrame({"a": ["ž"]}), out, encoding="ascii")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def _cells() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"n": [3, 1], "ratio": [1.5, np.inf], "tags": [["a", "b"], ["c"]]},
        geometry=[
            box(-470000, -1100000, -469900, -1099900),
            box(-469900, -1100000, -469800, -1099900),
        ],
        crs="EPSG:5514",
    )


@pytest.mark.parametrize(
    ("suffix", "crs"),
    [(".gpkg", "EPSG:5514"), (".geojson", "EPSG:4326"), (".csv", "EPSG:4326")],
    ids=["gpkg", "geojson", "csv"],
)
def test_write_layer_picks_the_format_by_suffix(tmp_path: Path, suffix: str, crs: str) -> None:
    layer = _cells()
    out = tmp_path / f"cells{suffix}"
    assert io.write_layer(layer, out, layer="hotspots") == crs
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    if suffix == ".csv":
        table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
        assert list(table.columns) == [
            "Počet", "Poměr", "tags", "Zeměpisná délka", "Zeměpisná šířka", "Geometrie (WKT)"
        ]  # fmt: skip
        assert table["Geometrie (WKT)"].iloc[0].startswith("POLYGON ((18.")
        assert 49.8 < table["Zeměpisná šířka"].iloc[0] < 49.9  # a decimal comma, read as a number
        assert table["tags"].iloc[0] == '["a", "b"]'  # lists as JSON text
        return
    back = gpd.read_file(out, **({"layer": "hotspots"} if suffix == ".gpkg" else {}))
    assert back.crs.to_string() == crs
    assert back["n"].tolist() == [3, 1]
    assert back["ratio"].iloc[0] == 1.5 and np.isnan(back["ratio"].iloc[1])  # inf → missing
    if suffix == ".gpkg":
        assert back["tags"].iloc[0] == '["a", "b"]'  # lists are written as JSON text
    else:  # which GDAL's GeoJSON writer turns back into a JSON array
        feature = json.loads(out.read_text(encoding="utf-8"))["features"][0]
        assert feature["properties"]["tags"] == ["a", "b"]
    assert np.isinf(layer["ratio"].iloc[1])  # the input is not changed


def test_write_layer_options_and_errors(tmp_path: Path) -> None:
    layer = _cells()
    assert io.write_layer(layer, tmp_path / "a.gpkg", crs="EPSG:32633") == "EPSG:32633"
    assert gpd.list_layers(tmp_path / "a.gpkg")["name"].tolist() == ["a"]
    with pytest.raises(
        ParameterError, match=r"must end with \.gpkg, \.geojson, \.csv; got 'a\.shp'"
    ):
        io.write_layer(layer, tmp_path / "a.shp")
    with pytest.raises(CRSError, match="has no CRS"):
        io.write_layer(layer.set_crs(None, allow_override=True), tmp_path / "b.gpkg")
    data = io.layer_bytes(layer, suffix=".geojson")
    assert json.loads(data)["features"][0]["properties"]["n"] == 3


def test_a_first_record_with_an_extra_field_does_not_shift_the_columns(write_csv) -> None:
    path = write_csv([[*row(id="1"), "extra"], row(id="2")])
    raw = io.read_table(path)
    assert raw.data["Číslo záznamu"].tolist() == ["2"]
    v = check(raw)
    assert v.valid["id"].tolist() == ["2"]
    assert (v.quarantine["line"].tolist(), v.quarantine["field"].tolist()) == ([2], ["row"])


@pytest.mark.parametrize(
    ("changes", "cs", "en"),
    [
        (
            {"category": "UFO"},
            "Kategorie: hodnota „UFO“, očekává se kód nebo název kategorie, jeden z: ",
            "Kategorie: got 'UFO', expected a category code or label, one of ",
        ),
        (
            {"date": "1.1.1999"},
            "Datum + Čas: hodnota „1.1.1999 14:05“, očekává se čas 1. 1. 2000 nebo pozdější",
            "Datum + Čas: got '1.1.1999 14:05', expected a time on or after 1 Jan 2000",
        ),
        (
            {"id": ""},
            "Číslo záznamu: chybí hodnota, očekává se neprázdné číslo záznamu",
            "Číslo záznamu: no value, expected a non-empty record id",
        ),
    ],
    ids=["category", "too-old", "empty-id"],
)
def test_quarantine_reason_in_the_users_language_with_the_files_column(
    write_csv, changes: dict[str, str], cs: str, en: str
) -> None:
    raw = io.read_table(write_csv([row(id="ok"), row(**changes)]))
    for lang, want in (("cs", cs), ("en", en)):
        v = io.validate(raw, source="apk", config=Config(), lang=lang)
        q = v.quarantine.iloc[0]
        assert q["reason"].startswith(want), (lang, q["reason"])
        assert q["field"] in HEADER_OF  # the canonical field stays for programs


def test_every_validator_description_has_a_czech_text() -> None:
    from apk_geo.io._messages import expected_text

    described = [
        "a non-empty record id",
        "a date and time like 24.11.2026 14:05 or 2026-11-24T14:05 (Europe/Prague)",
        "a date with a time (24.11.2026 14:05), or a separate Čas column",
        "a time on or after 1.1.2000",
        "a time not in the future (now is 01.12.2026 13:40)",
        "a category code or label, one of dogs, noise",
        "empty or an outcome code or label, one of referred",
        "a pseudonymous code like A07 (letters, digits, -, _ or .; no names or spaces)",
        "an address or coordinates (lat/lon or x/y); the row has no location",
        "a value because lat is given",
        "a number (WGS84 degrees, either axis order)",
        "a value of magnitude in 430000..1230000 (S-JTSK metres, either sign, inside Czechia)",
        "an id unique within the file (line 5 of sheet 'List2' holds a different record with "
        "this id)",
    ]
    czech = [expected_text(d, "cs", {"lat": "Šířka"}) for d in described]
    assert all(c != d for c, d in zip(czech, described, strict=True))
    assert czech[3] == "čas 1. 1. 2000 nebo pozdější"
    assert czech[4] == "čas, který není v budoucnosti (teď je 1. 12. 2026 13:40)"
    assert czech[9] == "hodnota, protože je vyplněn sloupec Šířka"
    assert czech[11] == (
        "číslo v absolutní hodnotě od 430\u00a0000 do 1\u00a0230\u00a0000 "
        "(metry S-JTSK, s libovolným znaménkem, na území Česka)"
    )
    assert czech[12].endswith("(řádek 5 listu „List2“ má jiný záznam se stejným číslem)")
    assert expected_text("something new", "cs") == "something new"  # unknown: as it is
