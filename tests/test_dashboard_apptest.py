from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from apk_geo.testing import make_store

ROOT = Path(__file__).resolve().parent.parent
MOAP, PORUBA = "Moravská Ostrava a Přívoz", "Poruba"
# (local time, category, outcome, district, lon, lat)
ROWS = [
    ("2024-06-30 21:00", "dogs", "resolved_on_spot", MOAP, 18.2893, 49.8413),
    ("2024-06-20 08:00", "dogs", "patrol_called", MOAP, 18.2900, 49.8420),
    ("2024-06-11 09:15", "alcohol", "resolved_on_spot", PORUBA, 18.1700, 49.8300),
    ("2024-06-12 22:00", "<script>alert(1)</script>", "patrol_called", PORUBA, 18.1710, 49.8310),
    ("2024-06-15 12:00", "littering", "referred", MOAP, 18.2880, 49.8400),
    ("2024-06-25 10:00", "dogs", "resolved_on_spot", MOAP, None, None),  # failed geocode
    ("2024-05-20 10:00", "dogs", "resolved_on_spot", MOAP, 18.2890, 49.8410),
    ("2024-05-10 10:00", "alcohol", "no_action", PORUBA, 18.1705, 49.8305),
    ("2023-06-10 10:00", "dogs", "resolved_on_spot", MOAP, 18.2891, 49.8411),
]


def build_test_store(
    path: Path,
    rows: list[tuple] | None = None,
    *,  # type: ignore[type-arg]
    synthetic: bool = True,
) -> Path:
    """A tiny store from hand-made incidents and the shipped district layers."""
    rows = ROWS if rows is None else rows
    districts = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    city = gpd.read_file(ROOT / "data" / "ostrava_obec_dissolved_wgs84.geojson")
    hostel = gpd.GeoDataFrame(
        {"name": ["Ubytovna Test"], "kind": ["hostel"], "synthetic": [True]},
        geometry=[Point(18.2893, 49.8413)],
        crs="EPSG:4326",
    )
    svl = gpd.GeoDataFrame(
        {"name": ["SVL Test"], "source": ["test"], "synthetic": [True]},
        geometry=hostel.to_crs(5514).buffer(400).to_crs(4326).values,
        crs="EPSG:4326",
    )
    incidents = [
        {
            "source": "test",
            "id": f"r{i}",
            "reported_at": when,
            "category": category,
            "outcome": outcome,
            "assistant": "A-777",
            "note": "TAJNÁ POZNÁMKA",
            "address": "Adresa 1",
            # a row without coordinates failed geocoding
            **({"lat": lat, "lon": lon} if lon is not None else {"match": "failed"}),
            "district_code": "1",
            "district_name": district,
            "mdt_area": district,
            "svl_name": "SVL Test" if district == MOAP else None,
            "hostel_name": "Ubytovna Test",
            "hostel_distance_m": 50.0,
            "in_hostel_buffer": district == MOAP,
        }
        for i, (when, category, outcome, district, lon, lat) in enumerate(rows)
    ]
    quarantine = {
        "source": "test",
        "file": "x.csv",
        "line": 7,
        "field": "Datum",
        "value": "32.13.2024",
        "expected": "a date",
        "reason": "neplatné datum",
        "raw": "<b>raw</b>",
    }
    make_store(
        path,
        incidents,
        quarantine=[quarantine],
        log={"source": "test", "file": "x.csv"},
        layers={"districts": districts, "city": city, "svl": svl, "hostels": hostel},
        metadata={"synthetic": "true" if synthetic else "false"},
    )
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_store(tmp_path_factory.mktemp("store") / "test.gpkg")


@pytest.fixture
def app(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("APK_GEO_STORE", str(store_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    yield at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_map_page_kpis_by_hand(app: AppTest) -> None:
    app.run()
    assert not app.exception
    # last day with data: 30 June 2024; 30 days = 1–30 June: 6 incidents (one not geocoded);
    # 2–31 May: 2. Resolved on the spot 3/6, patrol 2/6.
    got = metrics(app)
    assert got["Události"] == "6"
    assert got["Změna proti předchozímu období"] == "+200 %"
    assert got["Vyřešeno na místě asistenty"] == "50 %"
    assert got["Přivolána hlídka"] == "33 %"
    assert any("syntetická demo data" in w.value for w in app.warning)
    assert any("1 událostí nemá souřadnice" in c.value for c in app.caption)


def test_changing_a_filter_changes_the_kpis_and_the_url(app: AppTest) -> None:
    app.run()
    app.sidebar.multiselect(key="f_districts").set_value([PORUBA]).run()
    assert not app.exception
    got = metrics(app)
    assert got["Události"] == "2"
    assert got["Přivolána hlídka"] == "50 %"
    assert app.query_params["dist"] == PORUBA
    app.sidebar.selectbox(key="f_preset").set_value("7d").run()
    assert metrics(app)["Události"] == "0"  # no Poruba incident in 24–30 June
    app.sidebar.multiselect(key="f_districts").set_value([]).run()
    assert metrics(app)["Události"] == "2"  # 25 June (not geocoded) and 30 June
    assert app.query_params["preset"] == "7d" and "dist" not in app.query_params


def test_filters_come_from_the_url(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APK_GEO_STORE", str(store_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["preset"] = "custom"
    at.query_params["from"] = "2024-05-01"
    at.query_params["to"] = "2024-05-31"
    at.query_params["cat"] = "alcohol"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert metrics(at)["Incidents"] == "1"
    assert at.title[0].value == "Map"


def test_empty_filter_result_is_explained(app: AppTest) -> None:
    app.run()
    app.sidebar.multiselect(key="f_categories").set_value(["truancy"]).run()
    assert metrics(app)["Události"] == "0"
    assert any("Filtru neodpovídá žádná událost" in i.value for i in app.info)


def test_english_switch(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="lang").set_value("en").run()
    assert app.title[0].value == "Map"
    assert "Incidents" in metrics(app)
    assert app.query_params["lang"] == "en"


def test_missing_store_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APK_GEO_STORE", str(tmp_path / "none.gpkg"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("neexistuje" in e.value for e in at.error)
    assert at.button(key="build_demo").label == "Vytvořit demo úložiště"


def test_trends_page(app: AppTest) -> None:
    app.run()
    app.switch_page("app_pages/trends.py").run()
    assert not app.exception
    assert app.title[0].value == "Trendy"
    yoy = app.dataframe[-1].value
    # June 2024 vs June 2023 for dogs: 3 (incl. the not-geocoded one) vs 1
    row = yoy[yoy["Kategorie"] == "volné pobíhání psů"].iloc[0]
    assert (row["2024-06"], row["Před rokem"]) == (3, 1)
    # the <script> category is shown as text in the table, never as markup
    assert "<script>alert(1)</script>" in set(yoy["Kategorie"])
    app.selectbox(key="trend_area").set_value("district").run()
    app.selectbox(key="trend_name").set_value(PORUBA).run()
    yoy = app.dataframe[-1].value
    assert "volné pobíhání psů" not in set(yoy["Kategorie"])  # no dogs in Poruba in June


def test_data_page(app: AppTest) -> None:
    app.run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    frames = [d.value for d in app.dataframe]
    quarantine = frames[0]
    assert quarantine["Důvod"].tolist() == ["neplatné datum"]
    assert quarantine["Pole"].tolist() == ["Datum"]
    layers = frames[-1]
    assert set(layers["Vrstva"]) >= {"incidents", "districts", "city", "svl", "hostels"}
    assert "ArcČR" in " ".join(layers["Původ a licence"])
    assert any(b.label == "Stáhnout karanténu (CSV)" for b in app.get("download_button"))


def test_hotspots_page_opens_with_default_gistar(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="f_preset").set_value("90d").run()
    app.switch_page("app_pages/hotspots.py").run()
    assert not app.exception
    assert not any("spusťte analýzu" in i.value for i in app.info)
    assert "Třída Gi*" in app.dataframe[0].value.columns  # Gi* ran without a click
    assert [b.label for b in app.get("download_button")][:1] == ["Stáhnout GeoJSON"]


def test_map_page_shows_default_hotspots_and_optional_risk(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="f_preset").set_value("90d").run()
    assert not app.exception
    assert any("Hotspoty: Getis-Ord" in c.value for c in app.caption)
    app.toggle(key="map_show_risk").set_value(True).run()
    assert not app.exception


def run_method(app: AppTest, method: str) -> AppTest:
    app.run()
    app.sidebar.selectbox(key="f_preset").set_value("90d").run()
    app.switch_page("app_pages/hotspots.py").run()
    app.radio[0].set_value(method)
    app.number_input[0].set_value(500)  # cell size, m
    app.number_input[2].set_value(3)  # minimum cluster size
    app.button[0].click().run()
    assert not app.exception, app.exception
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Stáhnout GeoJSON", "Stáhnout GeoPackage", "Stáhnout CSV"]
    return app


def test_hotspots_page_runs_gistar_and_offers_downloads(app: AppTest) -> None:
    run_method(app, "gistar")
    table = app.dataframe[0].value
    assert list(table.columns[:3]) == ["Pořadí", "Místo", "Počet"]
    # 5 of the 8 located incidents lie within 150 m of the city hall: the top cell is there
    assert len(table) > 0 and table["Místo"].iloc[0].startswith("Moravská Ostrava a Přívoz")
    assert (table["Třída Gi*"] > 0).all()
    assert any(m.label.startswith("PAI") for m in app.metric)  # evaluation of June 2024


@pytest.mark.slow
def test_hotspots_page_runs_clusters(app: AppTest) -> None:
    run_method(app, "clusters")
    table = app.dataframe[0].value
    # 2 April – 30 June, located: 4 near the city hall (20 May, 15/20/30 June), 3 in Poruba
    assert table["Počet"].tolist() == [4, 3]
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Stáhnout GeoJSON", "Stáhnout GeoPackage", "Stáhnout CSV"]


def test_navigation_lists_every_page_present(app: AppTest) -> None:
    app.run()
    files = (ROOT / "app_pages").glob("*.py")  # every page script; main.py is the entry
    pages = {p.stem for p in files if not p.stem.startswith("_") and p.stem != "main"}
    for name in sorted(pages):
        app.switch_page(f"app_pages/{name}.py").run()
        assert not app.exception, (name, app.exception)
        assert app.title, name


def test_hotspots_evaluation_trains_on_the_history_with_the_default_filter(
    app: AppTest,
) -> None:
    # default "last 30 days" = 1–30 June: the evaluation month is June 2024 and the method
    # learns from May 2024 and June 2023 (the date filter alone would leave nothing to learn from)
    app.run()
    app.switch_page("app_pages/hotspots.py").run()
    assert not app.exception
    assert not any("není k dispozici" in i.value for i in app.info)
    assert any("(2024-06)" in h.value for h in app.subheader)
    pai = [m for m in app.metric if m.label.startswith("PAI")]
    assert [m.label.rsplit("při pokrytí ", 1)[1] for m in pai] == [
        "1 % plochy",
        "5 % plochy",
        "10 % plochy",
    ]
    assert any(c.value.startswith("Podíl zachycených událostí:") for c in app.caption)
    # the table's columns are all translated
    assert "gi_z" not in app.dataframe[0].value.columns
    assert "Gi* (z)" in app.dataframe[0].value.columns


def test_data_page_import_messages(app: AppTest, tmp_path: Path) -> None:
    app.run()
    app.switch_page("app_pages/data.py").run()
    app.button[0].click().run()  # Import without a file
    assert not app.exception
    assert any("Nejdřív vyberte soubor" in w.value for w in app.warning)
    status = app.dataframe[1].value
    assert dict(zip(status["Položka"], status["Hodnota"], strict=True))["Události celkem"] == "9"
    assert "Zdroj" in app.dataframe[2].value.columns  # the import log, translated
