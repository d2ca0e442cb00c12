"""MDT meeting packs: key figures by hand, privacy tiers, self-contained HTML, CLI, presenter page.

The tiny store (``build_report_store``) holds, for the MDT area "Moravská Ostrava a Přívoz"
(MOaP), with data from 1 June 2023 to 30 June 2024:

* June 2024: 9 incidents — dogs ×7 (resolved ×3, patrol ×2, referred ×2), alcohol ×2 (patrol);
  8 of them within 20 m of the city hall (point A), one 860 m north of it;
* May 2024: 3 (alcohol, at A); June 2023: 2 (alcohol, at A);
* Poruba: 2 in June 2024; one June 2024 record failed geocoding (no area); one quarantined row.

Some June records carry the canary ``KANAR-Q7X9`` in note, assistant code and address.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import stats
from streamlit.testing.v1 import AppTest

from apk_geo import privacy, reports
from apk_geo.cli import main
from apk_geo.config import Config
from apk_geo.errors import ParameterError, SchemaError
from apk_geo.store import open_store
from apk_geo.testing import make_store

ROOT = Path(__file__).resolve().parent.parent
TZ = "Europe/Prague"
MOAP = "Moravská Ostrava a Přívoz"
CANARY = "KANAR-Q7X9"
A = (18.2893, 49.8413)  # city hall, Moravská Ostrava
NORTH = (18.2893, 49.8490)  # about 860 m north of A (Přívoz), same district
PORUBA = (18.1700, 49.8300)


def _near(point: tuple[float, float], i: int) -> tuple[float, float]:
    """A point within about 15 m of ``point`` (a small ring, so no two coincide)."""
    angle = 2 * np.pi * i / 10
    return point[0] + 0.0002 * np.cos(angle), point[1] + 0.0001 * np.sin(angle)


def report_rows() -> list[tuple[str, str, str, tuple[float, float] | None, bool]]:
    """(local time, category, outcome, lon/lat or None, canary) of the tiny store."""
    rows: list[tuple[str, str, str, tuple[float, float] | None, bool]] = []
    dogs_outcomes = ["resolved_on_spot"] * 3 + ["patrol_called"] * 2 + ["referred"] * 2
    for i, outcome in enumerate(dogs_outcomes):
        where = NORTH if i == 6 else _near(A, i)
        rows.append((f"2024-06-{3 + i:02d} 10:00", "dogs", outcome, where, i < 3))
    rows += [
        ("2024-06-20 22:00", "alcohol", "patrol_called", _near(A, 7), True),
        ("2024-06-21 22:30", "alcohol", "patrol_called", _near(A, 8), False),
    ]
    rows += [
        (f"2024-05-{10 + i} 18:00", "alcohol", "resolved_on_spot", _near(A, i), False)
        for i in range(3)
    ]
    rows += [
        ("2023-06-01 00:30", "alcohol", "no_action", _near(A, 1), False),
        ("2023-06-15 12:00", "alcohol", "no_action", _near(A, 2), False),
    ]
    rows += [
        ("2024-06-11 09:15", "littering", "referred", PORUBA, False),
        ("2024-06-30 21:00", "noise", "patrol_called", _near(PORUBA, 3), False),
    ]
    rows += [("2024-06-25 10:00", "dogs", "resolved_on_spot", None, True)]  # failed geocode
    return rows


def build_report_store(path: Path, *, synthetic: bool = True) -> Path:
    """Write the tiny store described in the module docstring to ``path``."""
    districts = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    city = gpd.read_file(ROOT / "data" / "ostrava_obec_dissolved_wgs84.geojson")
    a_5514 = gpd.GeoSeries([shapely.Point(A)], crs=4326).to_crs(5514)
    svl = gpd.GeoDataFrame(
        {"name": ["SVL Test"], "source": ["test"], "synthetic": [True]},
        geometry=a_5514.buffer(400).to_crs(4326).values,
        crs=4326,
    )
    hostels = gpd.GeoDataFrame(
        {"name": ["Ubytovna Test"], "kind": ["hostel"], "synthetic": [True]},
        geometry=[shapely.Point(A)],
        crs=4326,
    )
    rows = report_rows()
    points = gpd.GeoSeries([shapely.Point(r[3]) if r[3] else None for r in rows], crs=4326)
    joined = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points.to_crs(5514).values, crs=5514),
        districts.to_crs(5514)[["NAZEV", "KOD", "geometry"]],
        how="left",
        predicate="within",
    )
    joined = joined[~joined.index.duplicated()]
    area_of = Config().mdt_areas
    incidents: list[dict[str, object]] = []
    for i, ((when, category, outcome, where, canary), name, code) in enumerate(
        zip(rows, joined["NAZEV"], joined["KOD"], strict=True)
    ):
        district = None if pd.isna(name) else str(name)
        incidents.append(
            {
                "source": "test",
                "id": f"r{i}",
                "reported_at": when,
                "category": category,
                "outcome": outcome,
                "assistant": f"{CANARY}-A" if canary else "A-1",
                "note": f"poznámka {CANARY} jméno" if canary else "bez poznámky",
                "address": f"{CANARY} ulice 1" if canary else "Prokešovo nám. 8",
                # no position: failed geocoding ("address not found", no geometry)
                **({"lon": where[0], "lat": where[1]} if where else {"match": "failed"}),
                "district_code": None if pd.isna(code) else str(code),
                "district_name": district,
                "mdt_area": area_of.get(district) if district else None,
            }
        )
    quarantine = {
        "source": "test",
        "file": "x.csv",
        "line": 7,
        "field": "Datum",
        "value": "32.13.2024",
        "expected": "a date",
        "reason": "neplatné datum",
        "raw": f"{CANARY} raw",
    }
    make_store(
        path,
        incidents,
        quarantine=[quarantine],
        log={"source": "test", "file": "x.csv"},
        layers={"districts": districts, "city": city, "svl": svl, "hostels": hostels},
        metadata={"synthetic": "true" if synthetic else "false"},
    )
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report_store(tmp_path_factory.mktemp("reports") / "tiny.gpkg")


@pytest.fixture(scope="module")
def data(store_path: Path) -> reports.ReportData:
    return reports.ReportData.from_store(open_store(store_path))


@pytest.fixture(scope="module")
def pack(data: reports.ReportData) -> reports.Pack:
    return reports.build_pack(data, area=MOAP, month="2024-06")


@pytest.fixture(scope="module")
def internal(data: reports.ReportData) -> reports.Pack:
    return reports.build_pack(data, area=MOAP, month="2024-06", tier="internal")


def test_fixture_places_every_incident_in_the_intended_area(data: reports.ReportData) -> None:
    inc = data.incidents
    assert (inc["mdt_area"] == MOAP).sum() == 14
    assert (inc["district_name"] == "Poruba").sum() == 2
    assert inc["mdt_area"].isna().sum() == 1


def test_key_figures_by_hand(pack: reports.Pack) -> None:
    f = pack.figures
    assert (f.n, f.n_previous, f.n_year_before) == (9, 3, 2)
    assert f.change_previous_pct == pytest.approx(200.0)
    assert f.change_year_pct == pytest.approx(350.0)


def test_presenter_figures_hide_small_counts_and_what_they_give_away(pack: reports.Pack) -> None:
    fig = reports.tables(pack)["figures"]
    assert fig.iloc[:, 1].tolist() == ["9", "3", "<3"]
    assert fig.iloc[:, 2].tolist() == ["", "+200 %", "–"]  # 9 vs 2 would reveal the 2


def test_internal_tier_shows_exact_counts(internal: reports.Pack) -> None:
    fig = reports.tables(internal)["figures"]
    assert fig.iloc[:, 1].tolist() == ["9", "3", "2"]
    assert fig.iloc[:, 2].tolist() == ["", "+200 %", "+350 %"]
    english = reports.tables(dataclasses.replace(internal, lang="en"))["figures"]
    assert english.iloc[:, 2].tolist() == ["", "+200%", "+350%"]  # the English percent sign
    assert internal.points is not None and len(internal.points) == 9
    assert not {"note", "assistant", "address", "id"} & set(internal.points.columns)


def test_category_table_by_hand_with_scipy_reference(pack: reports.Pack) -> None:
    cat = pack.categories.set_index("category")
    assert list(cat.loc["dogs", ["n", "n_previous", "n_year_before", "diff"]]) == [7, 0, 0, 7]
    assert list(cat.loc["alcohol", ["n", "n_previous", "n_year_before", "diff"]]) == [
        2,
        3,
        2,
        -1,
    ]
    share_june = 30 / (30 + 31)  # June has 30 days, May 31
    for code, (n, prev) in {"dogs": (7, 0), "alcohol": (2, 3)}.items():
        ref = stats.binomtest(n, n + prev, share_june).pvalue
        assert cat.loc[code, "p_value"] == pytest.approx(ref, rel=1e-12)
    assert cat.loc["dogs", "p_value"] == pytest.approx(share_june**7)  # by hand
    assert cat.loc["dogs", "direction"] == "up" and cat.loc["alcohol", "direction"] == "none"
    assert cat.loc["dogs", "label"] == "volné pobíhání psů"
    changed = dict(reports.changed_items(pack))
    # presenter tier: dogs is pooled with alcohol (2 "<3" this month), so "0 → 7" would give
    # alcohol's 9 − 7 = 2 away, and naming dogs at all would say more than the table: the
    # line names only categories whose own row shows both months exactly
    assert changed["Kategorie výrazně nahoru"] == []
    assert changed["Kategorie výrazně dolů"] == []


def test_outcome_table_by_hand(pack: reports.Pack) -> None:
    out = pack.outcomes.set_index("outcome")
    assert out["n"].to_dict() == {
        "resolved_on_spot": 3,
        "patrol_called": 4,
        "referred": 2,
        "no_action": 0,
    }
    assert out.loc["patrol_called", "share"] == pytest.approx(4 / 9)
    shown = reports.tables(pack)["outcomes"]
    # "referred" (2) is suppressed; pooled with the next smallest row ("no_action", 0) the pool
    # is still 9 − 3 − 4 = 2 (the attacker pins it), so the audit pools the smallest row with
    # incidents too ("resolved_on_spot", 3): 5, shown with its share
    assert shown.values.tolist() == [
        ["přivolána hlídka MP", "4", "44 %"],
        ["ostatní (malé počty)", "5", "56 %"],
    ]
    assert pack.params["disclosure"]["steps"] == ["outcomes:pool"]


def test_hotspot_table_counts_match_the_points_in_each_cell(
    pack: reports.Pack, data: reports.ReportData
) -> None:
    hs = pack.hotspots
    assert len(hs) >= 1 and hs["rank"].tolist() == list(range(1, len(hs) + 1))
    june = data.incidents[
        (data.incidents["mdt_area"] == MOAP).to_numpy()
        & (data.incidents["reported_at"].dt.strftime("%Y-%m") == "2024-06").to_numpy()
    ]
    for cell, n in zip(hs.geometry, hs["n"], strict=True):
        inside = june.geometry.within(cell) | june.geometry.touches(cell)
        assert int(inside.sum()) == int(n)
    assert int(hs["n"].sum()) == 8  # the cluster around A; the point 860 m north is not hot
    assert (hs["hotspot_class"] > 0).all()
    assert all("SVL Test" in label for label in hs["label"])
    assert all(label.startswith("Moravská Ostrava a Přívoz") for label in hs["label"])
    assert set(pack.cells.columns) >= {
        "cell_id",
        "n",
        "n_previous",
        "diff",
        "gi_z",
        "hotspot_class",
        "emerging_class",
    }
    assert int(pack.cells["n"].sum()) == 9 and int(pack.cells["n_previous"].sum()) == 3


def test_places_table_by_hand(pack: reports.Pack, data: reports.ReportData) -> None:
    pl = pack.places.set_index("name")
    assert list(pl.loc["SVL Test", ["kind", "n", "n_previous", "diff"]]) == ["svl", 8, 3, 5]
    assert list(pl.loc["Ubytovna Test", ["kind", "n", "n_previous"]]) == ["hostel", 8, 3]
    # the SVL's rate is per hectare of its part inside the area (A is near the district border)
    districts = data.layers["districts"]
    moap = districts.loc[districts["NAZEV"] == MOAP].geometry.iloc[0]
    part_ha = data.layers["svl"].geometry.iloc[0].intersection(moap).area / 10_000
    assert 30 < part_ha < np.pi * 400**2 / 10_000
    assert pl.loc["SVL Test", "per_10ha_month"] == pytest.approx(10 * 8 / part_ha, rel=1e-6)


def test_data_notes(pack: reports.Pack) -> None:
    notes = pack.notes
    assert (notes.month_records_city, notes.month_geocoded_city) == (12, 11)
    assert notes.quarantined == 1 and notes.synthetic
    text = dict(reports.notes(pack))
    assert text["Období"] == "1. 6. 2024 – 30. 6. 2024"
    # presenter tier: a whole percentage, no city-wide count (the areas' packs would split it)
    assert text["Geokódování"].startswith("92\u00a0% záznamů měsíce")
    assert "11" not in text["Geokódování"] and "12" not in text["Geokódování"]
    assert text[""] == "SYNTETICKÁ DEMO DATA – nejde o skutečné záznamy"


def test_the_package_keeps_every_name_its_callers_use() -> None:
    # apk_geo/_cli/report.py, app_pages/presenter.py, benchmarks/reports.py and the tests
    used = (
        "DEFAULT_CELL_SIZE_M FORMATS PNG_SIZE_PX Renderer ReportData Pack AreaRef KeyFigures "
        "build_pack changed_items external_urls map_html month_label pack_filename parse_month "
        "render_html render_pdf render_png resolve_areas tables text write_pack notes"
    )
    for name in used.split():
        assert name in reports.__all__ and hasattr(reports, name), name
    assert all(hasattr(reports, name) for name in reports.__all__)
    assert list(reports.TABLES) == ["figures", "categories", "outcomes", "hotspots", "places"]


def test_month_labels() -> None:
    month = reports.parse_month("2026-10")
    assert reports.month_label(month, "cs") == "říjen 2026"
    assert reports.month_label(month, "en") == "October 2026"
    assert reports.month_label(reports.parse_month("2024-01"), "cs") == "leden 2024"


def test_month_outside_the_data_is_no_data_not_zero(data: reports.ReportData) -> None:
    p = reports.build_pack(data, area=MOAP, month="2023-06")
    assert (p.figures.n, p.figures.n_previous, p.figures.n_year_before) == (2, None, None)
    assert reports.tables(p)["figures"].iloc[:, 1].tolist() == ["<3", "bez dat", "bez dat"]


def test_areas_resolve_by_name_district_and_all(data: reports.ReportData) -> None:
    names = data.layers["districts"]["NAZEV"]
    all_areas = reports.resolve_areas("all", config=Config(), districts=names)
    assert [a.name for a in all_areas] == list(Config().mdt_area_names) and len(all_areas) == 7
    assert reports.resolve_areas("moravska ostrava a PRIVOZ", config=Config(), districts=names) == [
        reports.AreaRef(MOAP, "mdt_area")
    ]
    assert reports.resolve_areas("Poruba", config=Config(), districts=names)[0].kind == "mdt_area"
    district = reports.build_pack(data, area="Pustkovec", month="2024-06")
    assert (district.area_kind, district.figures.n) == ("district", 0)
    poruba = reports.build_pack(data, area="Poruba", month="2024-06")
    assert poruba.figures.n == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"area": "Atlantida"}, "unknown area 'Atlantida'.*Sever"),
        ({"month": "2024-13"}, "not a valid month"),
        ({"month": "June"}, "YYYY-MM"),
        ({"tier": "public"}, "tier must be one of"),
        ({"top": 0}, "top must be >= 1"),
    ],
    ids=["area", "month-value", "month-format", "tier", "top"],
)
def test_bad_options_are_explained(
    data: reports.ReportData, kwargs: dict[str, object], match: str
) -> None:
    args: dict[str, object] = {"area": MOAP, "month": "2024-06", **kwargs}
    with pytest.raises(ParameterError, match=match):
        reports.build_pack(data, **args)  # type: ignore[arg-type]


def test_report_data_refuses_incidents_without_needed_columns(data: reports.ReportData) -> None:
    with pytest.raises(SchemaError, match=r"lack column\(s\) \['outcome'\]"):
        reports.ReportData(data.incidents.drop(columns="outcome"), data.layers, 0, {})


def test_build_pack_does_not_change_its_input(data: reports.ReportData) -> None:
    before = data.incidents.copy()
    layers = {k: v.copy() for k, v in data.layers.items()}
    reports.build_pack(data, area=MOAP, month="2024-06", tier="internal")
    pd.testing.assert_frame_equal(data.incidents, before)
    for k, v in layers.items():
        pd.testing.assert_frame_equal(data.layers[k], v)


def test_html_is_self_contained_with_an_interactive_map(pack: reports.Pack) -> None:
    page = reports.render_html(pack)
    assert reports.external_urls(page) == []
    assert "<script src" not in page and "<link" not in page
    assert "srcdoc=" in page and "L.map(" in page.replace("&#34;", '"').replace("&quot;", '"')
    assert "MDT porada – Moravská Ostrava a Přívoz" in page
    assert "SYNTETICKÁ DEMO DATA" in page
    assert "počty pod 3 jsou uvedeny jako „&lt;3“" in page
    assert CANARY not in page


def test_internal_map_says_so_and_presenter_map_does_not(
    pack: reports.Pack, internal: reports.Pack
) -> None:
    # The slide PNG is the map alone, so the map itself must carry the internal label.
    stamp = reports.text("tier.internal", "cs")
    assert 'class="apk-internal"' in reports.map_html(internal, static=True)
    assert stamp in reports.map_html(internal, static=True)
    assert "INTERNÍ" not in reports.map_html(pack, static=True)
    assert 'apk-internal">' not in reports.map_html(pack)


def test_interactive_map_has_a_full_screen_button_static_map_not(pack: reports.Pack) -> None:
    assert "requestFullscreen" in reports.map_html(pack)
    assert "requestFullscreen" not in reports.map_html(pack, static=True)
    page = reports.render_html(pack)
    assert 'allow="fullscreen *" allowfullscreen srcdoc=' in page  # the pack's iframe lets it


def test_english_pack(data: reports.ReportData) -> None:
    page = reports.render_html(reports.build_pack(data, area=MOAP, month="2024-06", lang="en"))
    assert "MDT meeting – Moravská Ostrava a Přívoz" in page and "Key figures" in page
    assert "June 2024" in page


def test_internal_html_says_so(internal: reports.Pack) -> None:
    page = reports.render_html(internal)
    assert page.count("INTERNÍ") >= 3  # stamp, banner, footer
    geocoding = dict(reports.notes(internal))["Geokódování"]
    assert "11 z 12" in geocoding and "91,7\u00a0%" in geocoding


def test_external_urls_finds_what_could_load() -> None:
    page = (
        '<script src="https://cdn.example.org/x.js"></script><img src="//img.example.org/a">'
        '<style>@import "https://f.example.org/c.css"; .a{background:url(http://t.example.org/p.png)}'
        '</style><a href="https://leafletjs.com">Leaflet</a>'
        '<iframe srcdoc="&lt;script src=&quot;https://e.example.org/y.js&quot;&gt;"></iframe>'
        'createElementNS("http://www.w3.org/2000/svg", "svg")'
    )
    found = reports.external_urls(page)
    for url in (
        "https://cdn.example.org/x.js",
        "//img.example.org/a",
        "https://f.example.org/c.css",
        "http://t.example.org/p.png",
        "https://e.example.org/y.js",
    ):
        assert url in found
    assert not any("w3.org" in u for u in found)


def test_cli_writes_html_and_prints_json(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "report",
            "--store",
            str(store_path),
            "--area",
            "poruba",
            "--format",
            "html",
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["month"] == "2024-06"  # the latest complete month, chosen automatically
    (row,) = summary["packs"]
    # presenter tier: the count as the pack shows it, never the exact 2
    assert row["area"] == "Poruba" and row["incidents"] == "<3" and row["few"] is True
    html_file = Path(row["files"]["html"])
    assert html_file.name == "poruba_2024-06.html" and html_file.is_file()
    assert CANARY not in html_file.read_text(encoding="utf-8")


def test_cli_errors_end_with_one_message(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "report",
            "--store",
            str(store_path),
            "--area",
            "Atlantida",
            "--month",
            "2024-06",
            "--out",
            str(tmp_path),
            "--format",
            "html",
        ]
    )
    assert code == 2
    assert "neznámá oblast 'Atlantida'" in capsys.readouterr().err  # Czech by default
    code = main(
        [
            "report",
            "--store",
            str(store_path),
            "--area",
            "all",
            "--month",
            "2024-06",
            "--out",
            str(tmp_path),
            "--format",
            "html,docx",
        ]
    )
    assert code == 2
    assert "--format očekává" in capsys.readouterr().err  # Czech by default
    assert not list(tmp_path.iterdir())


# --- presenter page ----------------------------------------------------------------------------


@pytest.fixture
def presenter(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("APK_GEO_STORE", str(store_path))
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setattr(sys, "argv", ["presenter.py"])
    yield AppTest.from_file(str(ROOT / "app_pages" / "presenter.py"), default_timeout=60)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _area_shown(at: AppTest) -> str:
    """The area's name as the page shows it: a header, or in full screen a compact line."""
    if at.header:
        return str(at.header[0].value)
    line = next(str(m.value) for m in at.markdown if str(m.value).startswith("### "))
    return line.removeprefix("### ").split(" <small>")[0]


def _tables(at: AppTest) -> list[str]:
    """The pack tables the page shows (HTML in large type)."""
    return [m.value for m in at.markdown if "<table" in str(m.value)]


@pytest.mark.slow
def test_presenter_page_steps_through_the_areas(presenter: AppTest) -> None:
    at = presenter.run()
    assert not at.exception
    assert at.title[0].value == "MDT porady"
    assert at.header[0].value == MOAP
    assert _metrics(at) == {
        "Tento měsíc": "9",
        "Předchozí měsíc": "3",
        "Stejný měsíc před rokem": "<3",
    }
    assert at.selectbox(key="presenter_month").value == "2024-06"
    assert at.selectbox(key="presenter_month").options[0] == "červen 2024"  # as the pack says
    at.button(key="presenter_next").click().run()
    assert at.header[0].value == "Slezská Ostrava"
    assert _metrics(at)["Tento měsíc"] == "0"
    at.button(key="presenter_prev").click().run()
    at.button(key="presenter_prev").click().run()
    assert at.header[0].value == "Sever"  # wraps round to the last of the seven
    for _ in range(2):
        at.button(key="presenter_prev").click().run()
    assert at.header[0].value == "Poruba"
    assert _metrics(at)["Tento měsíc"] == "<3"
    assert not at.exception


def test_presenter_metrics_show_the_change_with_its_direction(presenter: AppTest) -> None:
    at = presenter.run()
    deltas = {m.label: m.delta for m in at.metric}
    # 9 against 3: +200 %; the year before (2) is suppressed, so no change is shown for it
    assert deltas == {
        "Tento měsíc": "",
        "Předchozí měsíc": "+200 %",
        "Stejný měsíc před rokem": "",
    }


def test_presenter_full_screen_leaves_the_map_alone(presenter: AppTest) -> None:
    at = presenter.run()
    assert len(at.metric) == 3 and at.title
    at.toggle(key="presenter_fullscreen").set_value(True).run()
    assert not at.exception
    assert _area_shown(at) == MOAP
    assert not at.metric and not _tables(at) and not at.title
    at.button(key="presenter_next").click().run()
    assert _area_shown(at) == "Slezská Ostrava" and not at.metric
    at.toggle(key="presenter_fullscreen").set_value(False).run()
    assert len(at.metric) == 3 and _tables(at)


def test_presenter_page_shows_no_sensitive_text(presenter: AppTest) -> None:
    at = presenter.run()
    texts = [e.value for e in (*at.markdown, *at.caption, *at.header) if isinstance(e.value, str)]
    frames = _tables(at)
    assert frames and all(CANARY not in s for s in texts + frames)
    assert any("SVL Test" in f for f in frames)


# ------------------------------------------- small counts cannot be worked out by subtraction

POOLED_CS = "ostatní (malé počty)"


def _hand_pack(
    pack: reports.Pack,
    *,
    tier: str = "presenter",
    outcomes_n: list[int] | None = None,
) -> reports.Pack:
    """The fixture pack with hand-built tables (totals: 19 this month, 10 before, 7 a year ago).

    Outcomes are the issue's example: 11, 3, 4 and 1 of 19 — before pooling the "<3" row is
    19 − 18 = 1. The map holds no hot cell and the area no place (all 19 incidents are in the
    rest of the area), so the audit's facts hold for these counts; its view is left to be
    decided again (``view=None``).
    """
    categories = pd.DataFrame(
        {
            "category": ["dogs", "alcohol", "noise", "littering"],
            "label": ["psi", "alkohol", "hluk", "odpad"],
            "n": [10, 5, 2, 2],
            "n_previous": pd.array([6, 1, 0, 3], dtype="Int64"),
            "n_year_before": pd.array([4, 3, 0, 0], dtype="Int64"),
            "diff": pd.array([4, 4, 2, -1], dtype="Int64"),
            "p_value": [0.5, 0.2, 0.3, 0.9],
            "direction": ["none", "up", "none", "none"],
        }
    )
    outcomes = pd.DataFrame(
        {
            "outcome": ["resolved_on_spot", "patrol_called", "referred", "no_action"],
            "label": ["na místě", "hlídka", "předáno", "bez opatření"],
            "n": outcomes_n or [11, 3, 4, 1],
        }
    )
    outcomes["share"] = outcomes["n"] / 19
    atoms = pd.DataFrame({"month": [0, 1], "cell_id": [-1, -1], "places": [(), ()], "n": [19, 10]})
    return dataclasses.replace(
        pack,
        tier=tier,  # type: ignore[arg-type]
        figures=reports.KeyFigures(19, 10, 7, 90.0, 171.4),
        categories=categories,
        outcomes=outcomes,
        places=pack.places.iloc[:0],
        hotspots=pack.hotspots.iloc[:0],
        cells=pack.cells.assign(hotspot_class=0),
        atoms=atoms if tier == "presenter" else None,
        notes=dataclasses.replace(pack.notes, month_records_city=40, month_geocoded_city=40),
        view=None,
    )


def _attacker(pack: reports.Pack) -> dict[tuple[str, int], list[int]]:
    """The one-column check of every table against its key figure (the earlier attacker).

    Complete tables (categories, outcomes) must add up to the key figure; the hot-cell and
    place tables are partial (the other cells and the rest of the area hold the rest).
    """
    tabs = reports.tables(pack)
    f = pack.figures
    fig = [pack.count(f.n), pack.count(f.n_previous), pack.count(f.n_year_before)]
    checks = {("categories", 1): fig[0], ("outcomes", 1): fig[0]}
    if tabs["categories"].shape[1] == 5:
        checks |= {("categories", 2): fig[1], ("categories", 3): fig[2]}
    for name in ("places", "hotspots"):
        if tabs[name].shape[1] >= 5:
            checks |= {(name, 2): fig[0], (name, 3): fig[1]}
    return {
        (name, col): privacy.derivable_rows(
            tabs[name].iloc[:, col].tolist(),
            total,
            complete=name in ("categories", "outcomes"),
        )
        for (name, col), total in checks.items()
        if not tabs[name].empty
    }


def test_before_pooling_the_issue_example_gives_the_small_count_away(
    pack: reports.Pack,
) -> None:
    hand = _hand_pack(pack)
    # what the pack showed before: every row, each count through format_count
    before = [hand.count(v) for v in hand.outcomes["n"]]
    assert before == ["11", "3", "4", "<3"]
    assert privacy.derivable_rows(before, "19") == [3]  # 19 − 11 − 3 − 4 = 1
    cat_prev = [hand.count(int(v)) for v in hand.categories["n_previous"]]
    assert privacy.derivable_rows(cat_prev, "10") == [1]  # alcohol's previous 1
    # the audit finds the same on a view without pooling
    bare = dataclasses.replace(hand, view=reports.View())
    names = {f.name for f in reports.audit_pack(bare).findings}
    assert {"outcomes:no_action:0", "categories:alcohol:1"} <= names


def test_presenter_tables_give_no_small_count_away(pack: reports.Pack) -> None:
    hand = reports.protect(_hand_pack(pack))
    assert reports.audit_pack(hand).safe
    assert all(rows == [] for rows in _attacker(hand).values())


def test_pooled_tables_by_hand(pack: reports.Pack) -> None:
    hand = reports.protect(_hand_pack(pack))
    tabs = reports.tables(hand)
    cat = tabs["categories"]
    # alcohol (previous 1), noise (2 now), littering (2 now) pooled: 9, 4 and 3
    assert cat.iloc[:, 0].tolist() == ["psi", POOLED_CS]
    assert cat.iloc[:, 1:].values.tolist() == [["10", "6", "4", "+4"], ["9", "4", "3", "+5"]]
    out = tabs["outcomes"]
    # "bez opatření" (1) with the smallest other row, "hlídka" (3): 4, share 21 %
    assert out.values.tolist() == [
        ["na místě", "11", "58 %"],
        ["předáno", "4", "21 %"],
        [POOLED_CS, "4", "21 %"],
    ]
    assert hand.params["disclosure"]["steps"] == []  # the audit asked for nothing more


def test_a_pool_the_total_would_give_away_takes_one_more_row(pack: reports.Pack) -> None:
    # 10, 8, 1, 0 of 19: the small row with the empty one is 19 − 18 = 1, pinned; the audit
    # pools the smallest row with incidents too (8): 9 of 19 is no longer small
    hand = reports.protect(_hand_pack(pack, outcomes_n=[10, 8, 1, 0]))
    out = reports.tables(hand)["outcomes"]
    assert out.values.tolist() == [["na místě", "10", "53 %"], [POOLED_CS, "9", "47 %"]]
    assert hand.params["disclosure"]["steps"] == ["outcomes:pool"]
    assert reports.audit_pack(hand).safe


def test_internal_tier_tables_keep_every_row_exact(pack: reports.Pack) -> None:
    hand = _hand_pack(pack, tier="internal")
    tabs = reports.tables(hand)
    assert tabs["outcomes"].iloc[:, 1].tolist() == ["11", "3", "4", "1"]
    assert tabs["categories"].iloc[:, 2].tolist() == ["6", "1", "0", "3"]
    for tab in tabs.values():
        assert POOLED_CS not in tab.to_numpy().ravel().tolist()
    assert dict(reports.changed_items(hand))["Kategorie výrazně nahoru"] == ["alkohol: 1 → 5"]
    assert "Malé počty" not in dict(reports.notes(hand))


def test_internal_tier_lists_hot_cells_of_any_count(internal: reports.Pack) -> None:
    # the hot cells of the internal tier include those with 1 or 2 incidents
    assert (internal.hotspots["n"] >= 1).all()
    assert internal.view is not None and not internal.view.few


def test_a_pooled_category_is_not_named(pack: reports.Pack) -> None:
    changed = dict(reports.changed_items(reports.protect(_hand_pack(pack))))
    # alcohol rose notably, but its row is pooled: "1 → 5" would undo the pool and its name
    # alone would say more than the table
    assert changed["Kategorie výrazně nahoru"] == []


def test_data_notes_explain_the_pooling(pack: reports.Pack, data: reports.ReportData) -> None:
    cs = dict(reports.notes(pack))["Malé počty"]
    assert "„ostatní (malé počty)“" in cs and "pod 3" in cs
    en_pack = reports.build_pack(data, area=MOAP, month="2024-06", lang="en")
    en = dict(reports.notes(en_pack))["Small counts"]
    assert "“other (small counts)”" in en and "below 3" in en
    assert "ostatní (malé počty)" in reports.render_html(pack)


def test_the_fixture_pack_gives_nothing_away(pack: reports.Pack) -> None:
    # dogs (7, 0, 0) and alcohol (2, 3, 2): alcohol is small, so both are pooled
    tabs = reports.tables(pack)
    assert tabs["categories"].values.tolist() == [[POOLED_CS, "9", "3", "<3", "+6"]]
    assert all(rows == [] for rows in _attacker(pack).values())
    assert reports.audit_pack(pack).safe
    # the hot-cell table lists only cells with at least 3 incidents
    assert (pack.hotspots["n"] >= 3).all() and not pack.hotspots.empty
