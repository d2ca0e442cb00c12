"""Tests of apk_geo.geocode and the ``apk-geo geocode`` command.

The gazetteer fixture is a RÚIAN address-point CSV in the real format (cp1250, ``;``, the ČÚZK
header, positive S-JTSK coordinates). It holds the three real Trojanovice rows quoted in
PROVENANCE.md, the Magistrát row (ADM 3182860, 30. dubna 635/35; no offline copy of Ostrava's
file exists, so its Y/X were computed from the published position 49.8413 N, 18.2893 E) and a
few synthetic Ostrava address points (ADM codes 9000001–9000010, made up) that exercise the
address forms: č.p./č.o., an orientation letter, a street with č.p. only, a village part without
streets, a číslo evidenční and one č.p. that exists in two parts of town.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apk_geo.cli import main
from apk_geo.errors import GeocodingError, InputFileError, SchemaError
from apk_geo.geocode import (
    CITY_BOUNDARY_FILE,
    CITY_EXTENT_MARGIN_M,
    GAZETTEER_COLUMNS,
    OUTPUT_COLUMNS,
    ParsedAddress,
    build_index,
    default_city_extent_5514,
    geocode,
    load_ruian_csv,
    parse_address,
    resolve_coordinates,
)
from apk_geo.io.columns import column_label
from apk_geo.notes import note_text, parse

HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
OLD_HEADER = HEADER.replace("Kód MOP;Název MOP", "Kód obvodu Prahy;Název obvodu Prahy")
MO = "554821;Ostrava;545911;Moravská Ostrava a Přívoz;;"
PO = "554821;Ostrava;546224;Poruba;;"
MH = "554821;Ostrava;554286;Mariánské Hory a Hulváky;;"
LH = "554821;Ostrava;554324;Lhotka;;"
T = "2016-05-01T00:00:00"
ROWS = (
    # Real rows (PROVENANCE.md).
    "8338752;599999;Trojanovice;;;;;168491;Trojanovice;;;č.p.;2;;;74401;479862.17;1133960.17;"
    "2022-08-24T00:00:00",
    "8338761;599999;Trojanovice;;;;;168491;Trojanovice;;;č.p.;3;;;74401;480123.51;1134001.84;"
    "2013-12-01T00:00:00",
    "8338779;599999;Trojanovice;;;;;168491;Trojanovice;;;č.p.;4;;;74401;480180.85;1134153.63;"
    "2013-12-01T00:00:00",
    # Magistrát (coordinates from its published position).
    f"3182860;{MO};413551;Moravská Ostrava;392006;30. dubna;č.p.;635;35;;70200;470066.63;"
    f"1100967.06;{T}",
    # Synthetic Ostrava points.
    f"9000001;{MO};413551;Moravská Ostrava;392006;30. dubna;č.p.;636;37;;70200;470155.05;"
    f"1100903.67;{T}",
    f"9000002;{PO};413682;Poruba;400001;Hlavní třída;č.p.;583;12;;70800;479146.04;1101331.39;{T}",
    f"9000003;{PO};413682;Poruba;400001;Hlavní třída;č.p.;584;12;a;70800;478997.85;1101288.50;{T}",
    f"9000004;{PO};413682;Poruba;400001;Hlavní třída;č.p.;1234;30;;70800;478849.67;1101245.62;{T}",
    f"9000005;{PO};413682;Poruba;400001;Hlavní třída;č.p.;1006;;;70800;478900.00;1101260.00;{T}",
    f"9000006;{MH};413747;Mariánské Hory;400002;Bedřišská;č.p.;500;5;;70900;472274.35;"
    f"1102038.96;{T}",
    f"9000007;{MH};413747;Mariánské Hory;400002;Bedřišská;č.p.;501;7;;70900;472162.06;"
    f"1101992.80;{T}",
    f"9000008;{MO};413577;Přívoz;400003;Nádražní;č.p.;1234;20;;70200;471462.25;1100992.41;{T}",
    f"9000009;{LH};413780;Lhotka;;;č.p.;17;;;72500;474613.79;1095696.54;{T}",
    f"9000010;{LH};413780;Lhotka;;;č.ev.;15;;;72500;474650.00;1095720.00;{T}",
)
# RÚIAN positive Y/X of each ADM code, for checking coordinates by hand.
YX = {int(r.split(";")[0]): (float(r.split(";")[16]), float(r.split(";")[17])) for r in ROWS}
MAGISTRAT = (49.8413, 18.2893)


def write_ruian(
    path: Path, *, encoding: str = "cp1250", header: str = HEADER, rows: tuple[str, ...] = ROWS
) -> Path:
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, R = 6371 km): an independent check of pyproj."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def ruian_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ruian(tmp_path_factory.mktemp("ruian") / "20240131_OB_554821_ADR.csv")


@pytest.fixture(scope="module")
def gazetteer(ruian_path: Path) -> pd.DataFrame:
    return load_ruian_csv(ruian_path)


@pytest.fixture(scope="module")
def index(gazetteer: pd.DataFrame):  # type: ignore[no-untyped-def]
    return build_index(gazetteer)


def one(index, address: str, **kwargs):  # type: ignore[no-untyped-def]
    return geocode(pd.DataFrame({"address": [address]}), index, **kwargs).iloc[0]


# --------------------------------------------------------------------------- load_ruian_csv


def test_load_real_rows_schema_and_sign_rule(gazetteer: pd.DataFrame) -> None:
    assert tuple(gazetteer.columns) == GAZETTEER_COLUMNS
    assert len(gazetteer) == len(ROWS)
    first = gazetteer.iloc[0]
    assert first["adm"] == 8338752 and first["obec"] == "Trojanovice"
    assert first["so_type"] == "č.p." and first["house_no"] == 2
    assert pd.isna(first["street"]) and pd.isna(first["orient_no"])
    assert first["psc"] == "74401"
    # EPSG:5514 easting = −Y, northing = −X.
    assert first["x_5514"] == -479862.17 and first["y_5514"] == -1133960.17
    assert first["valid_from"] == pd.Timestamp("2022-08-24")
    assert gazetteer["adm"].dtype == np.int64
    assert str(gazetteer["house_no"].dtype) == "Int64"
    assert set(gazetteer["so_type"]) == {"č.p.", "č.ev."}


def test_first_trojanovice_row_lands_where_provenance_says(gazetteer: pd.DataFrame) -> None:
    first = gazetteer.iloc[0]
    # PROVENANCE gives 49.538 N, 18.193 E (3 decimals: within ~60 m).
    assert metres(first["lat"], first["lon"], 49.538, 18.193) < 60
    assert abs(first["lat"] - 49.538) < 0.0005 and abs(first["lon"] - 18.193) < 0.0005


def test_magistrat_row_lands_at_the_city_hall(gazetteer: pd.DataFrame) -> None:
    row = gazetteer.loc[gazetteer["adm"] == 3182860].iloc[0]
    assert (row["street"], row["house_no"], row["orient_no"]) == ("30. dubna", 635, 35)
    assert row["momc"] == "Moravská Ostrava a Přívoz"
    assert metres(row["lat"], row["lon"], *MAGISTRAT) < 5


def test_trojanovice_rows_are_ordered_as_their_coordinates(gazetteer: pd.DataFrame) -> None:
    # Y grows westward, X grows southward: č.p. 3 and 4 lie east and north of č.p. 2.
    t = gazetteer.loc[gazetteer["obec_code"] == 599999].set_index("house_no")
    assert t.loc[3, "lon"] < t.loc[2, "lon"] and t.loc[4, "lat"] < t.loc[2, "lat"]


def test_utf8_file_and_old_header_read_the_same(tmp_path: Path, gazetteer: pd.DataFrame) -> None:
    utf = load_ruian_csv(write_ruian(tmp_path / "utf8.csv", encoding="utf-8"))
    old = load_ruian_csv(write_ruian(tmp_path / "old.csv", header=OLD_HEADER))
    pd.testing.assert_frame_equal(utf, gazetteer)
    pd.testing.assert_frame_equal(old, gazetteer)


def test_forced_wrong_encoding_is_reported(ruian_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot decode the file as 'utf-8'"):
        load_ruian_csv(ruian_path, encoding="utf-8")


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        pytest.param("a;b;c", ("1;2;3",), r"missing columns \['Kód ADM'", id="not-ruian"),
        pytest.param(
            HEADER,
            (ROWS[0].replace("479862.17", "abc"),),
            r"'Souřadnice Y': got 'abc' on line 2",
            id="bad-number",
        ),
        pytest.param(
            HEADER,
            (ROWS[0].replace("č.p.", "dům"),),
            r"'Typ SO': got 'dům' on line 2, expected 'č.p.' or 'č.ev.'",
            id="bad-so-type",
        ),
    ],
)
def test_load_rejects_broken_files(
    tmp_path: Path, header: str, rows: tuple[str, ...], message: str
) -> None:
    with pytest.raises(InputFileError, match=message):
        load_ruian_csv(write_ruian(tmp_path / "x.csv", header=header, rows=rows))


def test_a_binary_file_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "not_ruian.csv"
    path.write_bytes(bytes(range(256)) * 8)  # 0x81, 0x83, 0x88, 0x90, 0x98 are undefined in cp1250
    with pytest.raises(
        InputFileError, match=r"the gazetteer is not a text file: byte \d+ .*RÚIAN"
    ) as err:
        load_ruian_csv(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_the_published_zip_is_read_directly(tmp_path: Path, gazetteer: pd.DataFrame) -> None:
    csv = write_ruian(tmp_path / "20240131_OB_554821_ADR.csv")
    archive = tmp_path / "20240131_OB_554821_ADR.csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(csv, csv.name)
    pd.testing.assert_frame_equal(load_ruian_csv(archive), gazetteer)
    two = tmp_path / "two.zip"  # the national file: one CSV per municipality
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a_ADR.csv", ("\r\n".join([HEADER, *ROWS[:3]]) + "\r\n").encode("cp1250"))
        z.writestr("b_ADR.csv", ("\r\n".join([HEADER, *ROWS[3:]]) + "\r\n").encode("cp1250"))
    assert load_ruian_csv(two)["adm"].tolist() == gazetteer["adm"].tolist()
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("readme.txt", "nothing here")
    with pytest.raises(InputFileError, match=r"holds no \.csv file"):
        load_ruian_csv(empty)


def _swap_yx(row: str) -> str:
    cells = row.split(";")
    cells[16], cells[17] = cells[17], cells[16]
    return ";".join(cells)


def test_swapped_axes_are_read_back_or_a_mixed_file_refused(
    tmp_path: Path, gazetteer: pd.DataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    swapped = write_ruian(tmp_path / "swapped.csv", rows=tuple(_swap_yx(r) for r in ROWS))
    with caplog.at_level("WARNING"):
        again = load_ruian_csv(swapped)
    assert "swapped" in caplog.text
    pd.testing.assert_frame_equal(again, gazetteer)  # Prague would otherwise land near 52 N, 9 E
    mixed = write_ruian(tmp_path / "mixed.csv", rows=(*ROWS[:5], _swap_yx(ROWS[5]), *ROWS[6:]))
    with pytest.raises(InputFileError, match=r"line 7: Souřadnice Y/X are swapped on 1 of"):
        load_ruian_csv(mixed)


def test_points_without_coordinates_are_nan_not_infinite(tmp_path: Path) -> None:
    cells = ROWS[0].split(";")
    cells[16] = cells[17] = ""
    gaz = load_ruian_csv(write_ruian(tmp_path / "blank.csv", rows=(";".join(cells), *ROWS[1:])))
    first = gaz.iloc[0]
    assert all(math.isnan(first[c]) for c in ("x_5514", "y_5514", "lat", "lon"))
    assert np.isfinite(gaz[["lat", "lon"]].iloc[1:].to_numpy()).all()


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read the gazetteer"):
        load_ruian_csv(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- parse_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hlavní třída 12/5", dict(street="hlavni trida", house_no=12, orient_no=5)),
        ("Hlavní tř. 12", dict(street="hlavni trida", number=12)),
        ("Hlavní tř.12", dict(street="hlavni trida", number=12)),
        ("hlavni trida 12a", dict(street="hlavni trida", number=12, orient_letter="a")),
        ("HLAVNÍ TŘÍDA 12 B", dict(street="hlavni trida", number=12, orient_letter="b")),
        ("č.p. 1234", dict(street=None, house_no=1234, kind="č.p.")),
        ("čp.1234", dict(street=None, house_no=1234, kind="č.p.")),
        ("č. ev. 15", dict(street=None, house_no=15, kind="č.ev.")),
        (
            "Bedřišská 5, Ostrava-Mariánské Hory",
            dict(street="bedrisska", number=5, place="ostrava marianske hory"),
        ),
        ("Bedřišská 5, 709 00 Ostrava 9", dict(street="bedrisska", number=5, place="ostrava")),
        (
            "Ostrava-Poruba, Hlavní třída 583/12",
            dict(street="hlavni trida", house_no=583, orient_no=12, place="ostrava poruba"),
        ),
        ("ul. Bedřišská 5", dict(street="bedrisska", number=5)),
        ("nám. Jiřího z Poděbrad 3", dict(street="namesti jiriho z podebrad", number=3)),
        ("30. dubna 635/35", dict(street="30 dubna", house_no=635, orient_no=35)),
        ("28. října", dict(street="28 rijna", number=None)),
        ("28 října", dict(street="28 rijna", number=None)),
        ("Bedřišská 5 Ostrava", dict(street="bedrisska", number=5, place="ostrava")),
        ("Hlavní třída", dict(street="hlavni trida", number=None, house_no=None)),
        ("", dict(street=None, number=None, place=None)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_parse_address_forms(text: str, expected: dict[str, object]) -> None:
    parsed = parse_address(text)
    assert parsed.text == text
    for key, value in expected.items():
        assert getattr(parsed, key) == value, (key, parsed)


def test_parse_address_rejects_non_text() -> None:
    with pytest.raises(TypeError, match="expects a str, got int"):
        parse_address(12)  # type: ignore[arg-type]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_parse_address_never_crashes(text: str) -> None:
    parsed = parse_address(text)
    assert isinstance(parsed, ParsedAddress)
    for number in (parsed.house_no, parsed.orient_no, parsed.number):
        assert number is None or (isinstance(number, int) and number >= 0)
    assert parsed.orient_letter is None or len(parsed.orient_letter) == 1


street_names = st.lists(
    st.sampled_from(
        [
            "Hlavní",
            "třída",
            "Bedřišská",
            "Nádražní",
            "U",
            "Staré",
            "elektrárny",
            "Na",
            "Hradbách",
            "Českobratrská",
            "Zámecká",
        ]
    ),
    min_size=1,
    max_size=3,
).map(" ".join)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(street_names, st.integers(1, 99_999), st.integers(1, 999), st.sampled_from(["", "a", "b"]))
def test_parse_address_recovers_generated_numbers(
    street: str, cp: int, co: int, letter: str
) -> None:
    parsed = parse_address(f"{street} {cp}/{co}{letter}")
    assert (parsed.house_no, parsed.orient_no, parsed.number) == (cp, co, None)
    assert parsed.orient_letter == (letter or None)
    assert parsed.street == parse_address(street).street
    assert parsed.street is not None and parsed.street.isascii()


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_geocode_never_crashes_and_keeps_rows(index, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    out = geocode(pd.DataFrame({"address": texts}), index)
    assert len(out) == len(texts)
    assert set(out["match"]) <= {"exact", "fuzzy", "street", "coordinates", "failed"}
    assert out["score"].between(0, 100).all()


# --------------------------------------------------------------------------- geocode


@pytest.mark.parametrize(
    ("address", "adm", "match"),
    [
        ("Hlavní třída 583/12", 9000002, "exact"),
        ("Hlavní tř. 12", 9000002, "exact"),
        ("Hlavní třída 12a", 9000003, "exact"),
        ("hlavni trida 12A", 9000003, "exact"),
        ("Hlavní třída 1006", 9000005, "exact"),  # lone number, no such č.o. → č.p.
        ("30. dubna 635/35", 3182860, "exact"),
        ("30. dubna 35", 3182860, "exact"),
        ("30.dubna 635", 3182860, "exact"),
        ("Bedřišská 5, Ostrava-Mariánské Hory", 9000006, "exact"),
        ("ul. Bedřišská 7", 9000007, "exact"),
        ("č.p. 1234, Přívoz", 9000008, "exact"),
        ("č.p. 1234, Ostrava-Poruba", 9000004, "exact"),
        ("Přívoz 1234", 9000008, "exact"),
        ("Lhotka 17", 9000009, "exact"),  # village: the part of town is the street
        ("Trojanovice 2", 8338752, "exact"),
        ("č.ev. 15", 9000010, "exact"),
        ("Bedriska 7", 9000007, "fuzzy"),  # typo and no diacritics
        ("Bedřiška 5, Mariánské Hory", 9000006, "fuzzy"),
        ("Hlavni 12", 9000002, "fuzzy"),  # "Hlavní třída" written short
        ("Hlavní třída 12 b", 9000002, "fuzzy"),  # letter b does not exist
        ("Hlavní třída 583/30", 9000004, "fuzzy"),  # č.p. and č.o. disagree
    ],
)
def test_address_forms(index, address: str, adm: int, match: str) -> None:  # type: ignore[no-untyped-def]
    row = one(index, address)
    assert row["match"] == match, row["geocode_reason"]
    assert row["ruian_adm"] == adm
    y, x = YX[adm]
    assert row["x_5514"] == -y and row["y_5514"] == -x
    assert (row["score"] == 100) == (match == "exact")
    assert 0 < row["score"] <= 100


def test_magistrat_address_lands_at_its_position(index) -> None:  # type: ignore[no-untyped-def]
    row = one(index, "30. dubna 635/35, Ostrava")
    assert metres(row["lat"], row["lon"], *MAGISTRAT) < 5


def test_reasons_say_what_was_fixed(index) -> None:  # type: ignore[no-untyped-def]
    assert "corrected to 'Bedřišská'" in one(index, "Bedriska 7")["geocode_reason"]
    assert "read as číslo popisné" in one(index, "Hlavní třída 1006")["geocode_reason"]
    assert "letter 'b' not found" in one(index, "Hlavní třída 12 b")["geocode_reason"]
    wrong_place = one(index, "Hlavní třída 12, Přívoz")
    assert (
        wrong_place["match"] == "exact"
        and "does not match RÚIAN ('Poruba')" in wrong_place["geocode_reason"]
    )
    assert "read as 'Mariánské Hory'" in one(index, "Bedřišská 5, Marjanske Hory")["geocode_reason"]
    assert one(index, "Hlavní třída 583/12")["geocode_reason"] == ""


def test_street_without_number_goes_to_street_centre(index) -> None:  # type: ignore[no-untyped-def]
    row = one(index, "Hlavní třída")
    assert row["match"] == "street" and pd.isna(row["ruian_adm"])
    # Centre = the address point nearest the mean of the street's 4 points (hand-checked).
    pts = np.array(
        [
            [-479146.04, -1101331.39],
            [-478997.85, -1101288.50],
            [-478849.67, -1101245.62],
            [-478900.00, -1101260.00],
        ]
    )
    nearest = pts[np.argmin(((pts - pts.mean(axis=0)) ** 2).sum(axis=1))]
    assert (row["x_5514"], row["y_5514"]) == tuple(nearest)
    assert "no house number" in row["geocode_reason"]


def test_unknown_number_street_or_failed(index) -> None:  # type: ignore[no-untyped-def]
    assert one(index, "Hlavní třída 999")["match"] == "street"
    failed = one(index, "Hlavní třída 999", on_missing_number="failed")
    assert failed["match"] == "failed" and np.isnan(failed["lat"])
    assert "not on 'Hlavní třída'" in failed["geocode_reason"]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("č.p. 1234", r"ambiguous: the address matches 2 address points in Poruba, Přívoz"),
        ("č.p. 1234, Mariánské Hory", r"not found in the given place 'marianske hory'"),
        ("Neexistující 5", r"street 'neexistujici' not found in the gazetteer \(closest"),
        ("12", r"a lone number without a street name"),
        ("", r"no address and no coordinates"),
    ],
)
def test_failures_are_kept_with_a_reason(index, address: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    row = one(index, address)
    assert row["match"] == "failed" and row["score"] == 0
    assert np.isnan(row["x_5514"]) and pd.isna(row["ruian_adm"])
    assert pd.Series([row["geocode_reason"]]).str.contains(reason).iloc[0], row["geocode_reason"]


def test_every_note_the_geocoder_writes_reads_back_in_czech(index) -> None:  # type: ignore[no-untyped-def]
    # the addresses of the tests above, each on another path of the geocoder, and coordinates
    addresses = [
        "Bedriska 7", "Hlavní třída 1006", "Hlavní třída 12 b", "Hlavní třída 12, Přívoz",
        "Bedřišská 5, Marjanske Hory", "Hlavní třída", "Hlavní třída 999", "č.p. 1234",
        "č.p. 1234, Mariánské Hory", "Neexistující 5", "12", "", "Hlavní třída 583/99",
        "Bedřišská 5, Nowhere", None, "Bedřišská 5",
    ]  # fmt: skip
    n = len(addresses)
    lat = [np.nan] * (n - 2) + [50.08, MAGISTRAT[1]]
    lon = [np.nan] * (n - 2) + [14.42, MAGISTRAT[0]]
    rows = pd.DataFrame({"address": addresses, "lat": lat, "lon": lon})
    xy = pd.DataFrame({"x": [MAG_N, -MAG_N, 1.0], "y": [MAG_E, -MAG_E, 2.0]})
    out = pd.concat(
        [geocode(rows, index), geocode(rows, index, on_missing_number="failed"),
         geocode(rows, None), geocode(xy, index)]
    )  # fmt: skip
    reasons = [r for r in out["geocode_reason"] if r]
    assert len(set(reasons)) >= 20
    for reason in reasons:
        assert [key for key, _ in parse(reason) if key is None] == [], reason
        czech = note_text(reason, "cs")
        assert not {"not", "found", "the", "street", "address"} & set(czech.split()), czech


def test_min_score_controls_fuzzy_acceptance(index) -> None:  # type: ignore[no-untyped-def]
    row = one(index, "Bedriska 7")
    assert row["match"] == "fuzzy" and 85 <= row["score"] < 100
    strict = one(index, "Bedriska 7", min_score=row["score"] + 1)
    assert strict["match"] == "failed"
    assert f"score {row['score']:.0f} < min_score" in strict["geocode_reason"]


def test_output_schema_index_and_no_mutation(index) -> None:  # type: ignore[no-untyped-def]
    df = pd.DataFrame(
        {"address": ["Bedřišská 5", None, "Nikde 1", "Bedřišská 5"], "note": ["a", "b", "c", "d"]},
        index=[10, 20, 30, 40],
    )
    before = df.copy()
    out = geocode(df, index)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.columns) == ["address", "note", *OUTPUT_COLUMNS]
    assert list(out.index) == [10, 20, 30, 40]
    assert out["match"].tolist() == ["exact", "failed", "failed", "exact"]
    for col in ("lat", "lon", "x_5514", "y_5514", "score"):
        assert out[col].dtype == np.float64
    assert str(out["ruian_adm"].dtype) == "Int64"
    params = out.attrs["params"]
    assert params["counts"] == {"exact": 2, "fuzzy": 0, "street": 0, "coordinates": 0, "failed": 2}
    assert params["min_score"] == 85.0 and params["city_extent_auto"] is True
    json.dumps(params)


def test_frame_and_index_give_the_same_result(gazetteer: pd.DataFrame, index) -> None:  # type: ignore[no-untyped-def]
    df = pd.DataFrame({"address": ["Bedriska 7", "č.p. 1234, Přívoz", "Hlavní třída"]})
    pd.testing.assert_frame_equal(geocode(df, gazetteer), geocode(df, index))


def test_build_index_needs_coordinates(gazetteer: pd.DataFrame) -> None:
    with pytest.raises(GeocodingError, match="no address point with coordinates"):
        build_index(gazetteer.assign(x_5514=np.nan))
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['street'\]"):
        build_index(gazetteer.drop(columns="street"))


def test_geocode_argument_checks(index) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SchemaError, match="nothing to geocode: no column 'address'"):
        geocode(pd.DataFrame({"adresa": ["x"]}), index)
    with pytest.raises(ValueError, match="min_score must be within 0–100"):
        geocode(pd.DataFrame({"address": ["x"]}), index, min_score=120)
    with pytest.raises(ValueError, match="city_extent_5514 must be"):
        geocode(pd.DataFrame({"address": ["x"]}), index, city_extent_5514=(0, 0, -1, -1))


# --------------------------------------------------------------------------- coordinates


MAG_E, MAG_N = -470066.63, -1100967.06


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        pytest.param({"lat": MAGISTRAT[0], "lon": MAGISTRAT[1]}, "", id="wgs84"),
        pytest.param({"lat": "49,8413", "lon": "18,2893"}, "", id="wgs84-decimal-comma"),
        pytest.param(
            {"lat": MAGISTRAT[1], "lon": MAGISTRAT[0]}, "lat/lon swapped", id="wgs84-swapped"
        ),
        pytest.param(
            {"lat": -MAGISTRAT[0], "lon": -MAGISTRAT[1]}, "lat/lon signs flipped", id="wgs84-signs"
        ),
        pytest.param({"x": MAG_E, "y": MAG_N}, "", id="sjtsk-epsg5514"),
        pytest.param({"x": -MAG_E, "y": -MAG_N}, "signs flipped", id="sjtsk-positive"),
        pytest.param({"x": MAG_N, "y": MAG_E}, "x and y swapped", id="sjtsk-swapped"),
        pytest.param({"x": -MAG_N, "y": -MAG_E}, "Czech S-JTSK convention", id="sjtsk-czech"),
        pytest.param({"x": MAG_E, "y": -MAG_N}, "mixed signs", id="sjtsk-mixed"),
    ],
)
def test_coordinates_pass_through(index, columns: dict[str, object], reason: str) -> None:  # type: ignore[no-untyped-def]
    row = geocode(pd.DataFrame({k: [v] for k, v in columns.items()}), index).iloc[0]
    assert row["match"] == "coordinates" and row["score"] == 100
    assert metres(row["lat"], row["lon"], *MAGISTRAT) < 5
    assert math.hypot(row["x_5514"] - MAG_E, row["y_5514"] - MAG_N) < 5
    assert (reason in row["geocode_reason"]) if reason else row["geocode_reason"] == ""


def test_coordinates_outside_extent_fall_back_to_address(index) -> None:  # type: ignore[no-untyped-def]
    df = pd.DataFrame(
        {"address": ["Bedřišská 5", None], "lat": [50.08, 50.08], "lon": [14.42, 14.42]}
    )  # Prague
    out = geocode(df, index)
    assert out["match"].tolist() == ["exact", "failed"]
    assert (
        "outside the city extent and were rejected; address used instead"
        in out["geocode_reason"].iloc[0]
    )
    assert "rejected" in out["geocode_reason"].iloc[1]
    assert out["ruian_adm"].iloc[0] == 9000006


def test_without_gazetteer_only_coordinates_place_rows() -> None:
    df = pd.DataFrame(
        {
            "address": ["Bedřišská 5", None, "Bedřišská 5", "  "],
            "lat": [np.nan, MAGISTRAT[0], 50.08, np.nan],
            "lon": [np.nan, MAGISTRAT[1], 14.42, np.nan],
        }
    )
    out = geocode(df, None)
    assert out["match"].tolist() == ["failed", "coordinates", "failed", "failed"]
    assert out["geocode_reason"].tolist() == [
        "no gazetteer to look the address up",
        "",
        "lat/lon (50.08, 14.42), in every axis order and sign, lie outside the city extent "
        "and were rejected; no gazetteer to look the address up",
        "no address and no coordinates",
    ]
    assert out["x_5514"].isna().tolist() == [True, False, True, True]
    assert out.attrs["params"]["gazetteer_points"] == 0


def test_resolve_coordinates_agrees_with_geocode(index) -> None:  # type: ignore[no-untyped-def]
    df = pd.DataFrame(
        {
            "lat": [MAGISTRAT[1], 50.08, np.nan, np.nan],
            "lon": [MAGISTRAT[0], 14.42, np.nan, np.nan],
            "x": [np.nan, np.nan, -MAG_N, 598000.0],
            "y": [np.nan, np.nan, -MAG_E, 1160000.0],
        },
        index=[10, 11, 12, 13],
    )
    res = resolve_coordinates(df)
    out = geocode(df, index)
    assert res.index.tolist() == [10, 11, 12, 13]
    assert res["placed"].tolist() == [True, False, True, False]
    assert res["placed"].tolist() == out["match"].eq("coordinates").tolist()
    assert res["reason"].tolist() == out["geocode_reason"].tolist()
    np.testing.assert_allclose(res["x_5514"], out["x_5514"])
    assert math.hypot(res["x_5514"].iloc[2] - MAG_E, res["y_5514"].iloc[2] - MAG_N) < 0.01


def test_city_extent_parameter(index) -> None:  # type: ignore[no-untyped-def]
    df = pd.DataFrame({"x": [MAG_E], "y": [MAG_N]})
    tiny = (MAG_E + 100, MAG_N + 100, MAG_E + 200, MAG_N + 200)
    out = geocode(df, index, city_extent_5514=tiny)
    assert out["match"].iloc[0] == "failed"
    assert out.attrs["params"]["city_extent_auto"] is False


def test_default_city_extent_matches_the_boundary() -> None:
    bounds = gpd.read_file(CITY_BOUNDARY_FILE).to_crs("EPSG:5514").total_bounds
    m = CITY_EXTENT_MARGIN_M
    expected = (bounds[0] - m, bounds[1] - m, bounds[2] + m, bounds[3] + m)
    np.testing.assert_allclose(default_city_extent_5514(), expected, atol=1.0)
    ext = default_city_extent_5514()
    assert ext[0] < MAG_E < ext[2] and ext[1] < MAG_N < ext[3]
    assert not ext[1] < -1133960.17 < ext[3]  # Trojanovice lies outside Ostrava


# --------------------------------------------------------------------------- CLI


def test_cli_writes_every_input_column(
    tmp_path: Path, ruian_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        "Číslo záznamu;Adresa;Poznámka\n1;30. dubna 635/35;úřad\n2;Nikde 5;\n"
        "3;;jen souřadnice\n".encode("cp1250")
    )
    dst = tmp_path / "out" / "geo.csv"
    code = main(["geocode", str(src), "--gazetteer", str(ruian_path), "--out", str(dst), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 3 and summary["exact"] == 1 and summary["failed"] == 2
    assert summary["address_column"] == "Adresa"
    out = pd.read_csv(dst, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    added = [column_label(c) for c in OUTPUT_COLUMNS]  # Czech headers of the added columns
    assert list(out.columns) == ["Číslo záznamu", "Adresa", "Poznámka", *added]
    assert out["Poznámka"].tolist() == ["úřad", "", "jen souřadnice"]
    assert out["Kód adresního místa (RÚIAN)"].tolist() == ["3182860", "", ""]
    assert out["Geokódování"].tolist() == ["přesná shoda", "nenalezeno", "nenalezeno"]


def test_cli_reports_errors_with_exit_code_2(
    tmp_path: Path, ruian_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    code = main(
        ["geocode", str(src), "--gazetteer", str(ruian_path), "--out", str(tmp_path / "o.csv")]
    )
    assert code == 2
    assert "chybí sloupec adresy i sloupce souřadnic" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
