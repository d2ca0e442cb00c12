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


def w(path: str, lang: str = "cs") -> str:
    """Return the key of the widget bound to the app-state field ``path``."""
    return f"w.{path}.{lang}"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_map_page_kpis_by_hand(app: AppTest) -> None:
    app.run()
    assert not app.exception
    # last day with data: 30 June 2024; 30 days = 1–30 June: 6 incidents (one not geocoded);
    # 2–31 May: 2. Resolved on the spot 3/6, patrol 2/6.
    got = metrics(app)
    assert got["Události"] == "6"
    # Czech percentages: a non-breaking space before % (apk_geo.fmt.percent)
    assert got["Změna proti předchozímu období"] == "+200\u00a0%"
    assert got["Vyřešeno na místě asistenty"] == "50\u00a0%"
    assert got["Přivolána hlídka"] == "33\u00a0%"
    assert any("syntetická demo data" in w.value for w in app.warning)
    assert any("1 událost nemá souřadnice" in c.value for c in app.caption)


def test_changing_a_filter_changes_the_kpis_and_the_url(app: AppTest) -> None:
    app.run()
    app.sidebar.multiselect(key=w("filters.districts")).set_value([PORUBA]).run()
    assert not app.exception
    got = metrics(app)
    assert got["Události"] == "2"
    assert got["Přivolána hlídka"] == "50\u00a0%"
    assert app.query_params["dist"] == PORUBA
    app.sidebar.selectbox(key=w("filters.preset")).set_value("7d").run()
    assert metrics(app)["Události"] == "0"  # no Poruba incident in 24–30 June
    app.sidebar.multiselect(key=w("filters.districts")).set_value([]).run()
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
    app.sidebar.multiselect(key=w("filters.categories")).set_value(["truancy"]).run()
    assert metrics(app)["Události"] == "0"
    assert any("Filtru neodpovídá žádná událost" in i.value for i in app.info)


def test_english_switch(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="w.lang").set_value("en").run()
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
    assert (row["červen 2024"], row["Před rokem"]) == (3, 1)  # the month in words
    # the <script> category is shown as text in the table, never as markup
    assert "<script>alert(1)</script>" in set(yoy["Kategorie"])
    app.selectbox(key=w("trends.area_kind")).set_value("district").run()
    app.selectbox(key=w("trends.area_name")).set_value(PORUBA).run()
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
    app.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    app.switch_page("app_pages/hotspots.py").run()
    assert not app.exception
    assert not any("spusťte analýzu" in i.value for i in app.info)
    assert "Třída Gi*" in app.dataframe[0].value.columns  # Gi* ran without a click
    labels = [b.label for b in app.get("download_button")]
    assert labels[:3] == ["Stáhnout tabulku (CSV)", "Stáhnout tabulku (Excel)", "Stáhnout GeoJSON"]


def test_map_page_shows_default_hotspots_and_optional_risk(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    assert not app.exception
    assert any("Hotspoty: Getis-Ord" in c.value for c in app.caption)
    app.toggle(key=w("map.show_risk")).set_value(True).run()
    assert not app.exception


def run_method(app: AppTest, method: str) -> AppTest:
    app.run()
    app.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    app.switch_page("app_pages/hotspots.py").run()
    # every option applies on change: no "run" button (the state drives the result)
    app.radio(key=w("hotspots.method")).set_value(method).run()
    app.number_input(key=w("hotspots.cell_size_m")).set_value(500.0).run()  # cell size, m
    app.number_input(key=w("hotspots.min_cluster_size")).set_value(3).run()
    assert not app.exception, app.exception
    labels = [b.label for b in app.get("download_button")]
    assert labels == [
        "Stáhnout tabulku (CSV)", "Stáhnout tabulku (Excel)",  # the table shown
        "Stáhnout GeoJSON", "Stáhnout GeoPackage", "Stáhnout CSV",  # the layer
    ]  # fmt: skip
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
    assert labels[2:] == ["Stáhnout GeoJSON", "Stáhnout GeoPackage", "Stáhnout CSV"]


def test_navigation_lists_every_page_present(app: AppTest) -> None:
    app.run()
    files = (ROOT / "app_pages").glob("*.py")  # every page script; main.py is the entry
    entries = {"main", "server", "admin"}  # entry scripts; admin.py: database stores only
    pages = {p.stem for p in files if not p.stem.startswith("_") and p.stem not in entries}
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
    assert any("(červen 2024)" in h.value for h in app.subheader)  # the month in Czech
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


# --- issue 11: every finding of the walk-through, as a test ------------------------------------

import json  # noqa: E402
import re  # noqa: E402

import pandas as pd  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from apk_geo import indicators, trends  # noqa: E402
from apk_geo.evaluate import evaluate  # noqa: E402
from apk_geo.map_style import COUNT_COLOURS, RISK_COLOURS  # noqa: E402


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store the walk-through used (synthetic, 30,000 incidents, real geocoding)."""
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    build_demo_store(path, exports_dir=path.parent / "exports")
    return path


@pytest.fixture
def demo(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("APK_GEO_STORE", str(demo_path))
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)


def map_script(at: AppTest, index: int = 0) -> str:
    """Return the Leaflet script of the ``index``-th st_folium map on the page."""
    maps_ = [
        e for e in at.get("component_instance") if "streamlit_folium" in e.proto.component_name
    ]
    args = json.loads(maps_[index].proto.json_args)
    return str(args["script"])


def overlays(script: str) -> dict[str, str]:
    """Return the layer list of a map script: layer name → JavaScript variable."""
    block = script[script.index("overlays :") :]
    block = block[: block.index("}")]
    pairs = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:\s*(\w+)', block)
    return {json.loads(f'"{name}"'): var for name, var in pairs}


def layer_features(script: str, name: str) -> list[dict[str, object]]:
    """Return the GeoJSON features of the map layer called ``name`` (empty if absent)."""
    var = overlays(script).get(name)
    if var is None:
        return []
    start = script.index(f"{var}_add(") + len(f"{var}_add(")
    data, _ = json.JSONDecoder().raw_decode(script, start)
    return list(data["features"])


def district(name: str) -> object:
    shapes = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    return shapes.loc[shapes["NAZEV"] == name].geometry.iloc[0]


def table_of(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


@pytest.mark.slow
def test_f1_map_hotspots_follow_the_filter_after_visiting_the_hotspots_page(demo: AppTest) -> None:
    demo.run()
    demo.switch_page("app_pages/hotspots.py").run()  # Gi* of the whole city, last 30 days
    demo.switch_page("app_pages/map.py").run()
    demo.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    demo.sidebar.multiselect(key=w("filters.categories")).set_value(["truancy"]).run()
    demo.sidebar.multiselect(key=w("filters.districts")).set_value([PORUBA]).run()
    assert not demo.exception
    cells = layer_features(map_script(demo), "Hotspoty Gi*")
    assert cells, "the map shows no Gi* cells for truancy in Poruba"
    poruba = district(PORUBA).buffer(0.003)  # cells on the border may stick out a little
    outside = [c for c in cells if not shape(c["geometry"]).centroid.within(poruba)]
    assert outside == []
    assert any("Poruba" in c.value for c in demo.caption)  # the map says which area


@pytest.mark.slow
def test_f2_hotspot_table_follows_the_filter_without_a_click(demo: AppTest) -> None:
    demo.run()
    demo.switch_page("app_pages/hotspots.py").run()
    before = table_of(demo)["Místo"].tolist()
    demo.sidebar.multiselect(key=w("filters.districts")).set_value([PORUBA]).run()
    assert not demo.exception
    after = table_of(demo)["Místo"].tolist()
    assert after != before
    assert after and all(p.startswith("Poruba – ") for p in after)
    assert not [b for b in demo.button if b.label in ("Spustit analýzu", "Run analysis")]


@pytest.mark.slow
def test_f3_presenter_pdf_is_made_without_a_crash(app: AppTest) -> None:
    app.run()
    app.switch_page("app_pages/presenter.py").run()
    app.button(key="presenter_make_pdf").click().run()
    assert not app.exception, app.exception
    labels = [b.label for b in app.get("download_button")]
    assert "Stáhnout PDF" in labels


@pytest.mark.slow
def test_f4_route_planner_takes_an_address_and_a_named_base(demo: AppTest) -> None:
    demo.run()
    demo.switch_page("app_pages/routes.py").run()
    base = demo.radio(key="route_base")
    assert base.value.startswith("Magistrát")  # a named base, not a bare coordinate pair
    base.set_value("custom").run()
    demo.text_input(key="route_start_text").set_value("Prokešovo náměstí 8, Ostrava").run()
    demo.button[0].click().run()  # Naplánovat
    assert not demo.exception, demo.exception
    assert not demo.error, [e.value for e in demo.error]
    assert any("Prokešovo náměstí 1803/8" in c.value for c in demo.caption)
    assert any(s.value.startswith("Trasa") or "zastáv" in s.value for s in demo.subheader)


@pytest.mark.slow
def test_f4_inexact_address_offers_suggestions(demo: AppTest) -> None:
    demo.run()
    demo.switch_page("app_pages/routes.py").run()
    demo.radio(key="route_base").set_value("custom").run()
    demo.text_input(key="route_start_text").set_value("Prokešovo náměstí 999").run()
    demo.button[0].click().run()
    assert any("Myslíte" in c.value for c in demo.caption)
    assert any(b.label.startswith("Prokešovo náměstí ") for b in demo.button)


def test_f5_language_switch_keeps_filters_and_relabels_widgets(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    app.sidebar.multiselect(key=w("filters.categories")).set_value(["dogs"]).run()
    app.sidebar.selectbox(key="w.lang").set_value("en").run()
    app.switch_page("app_pages/trends.py").run()
    assert not app.exception
    cats = app.sidebar.multiselect(key=w("filters.categories", "en"))
    assert cats.label == "Categories" and cats.value == ["dogs"]
    assert "dogs off the lead" in cats.options  # option labels follow the language too
    assert app.sidebar.selectbox(key=w("filters.preset", "en")).value == "90d"
    assert app.query_params["preset"] == ["90d"] or app.query_params["preset"] == "90d"


@pytest.mark.slow
def test_f6_forecast_risk_is_shown_in_its_own_style(demo: AppTest) -> None:
    app = demo
    app.run()
    app.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    app.toggle(key=w("map.show_risk")).set_value(True).run()
    assert not app.exception
    script = map_script(app)
    risk = layer_features(script, "Předpověď rizika")
    assert risk, "the risk layer is missing"
    var = overlays(script)["Předpověď rizika"]
    assert f"{var}.addTo(" in script  # ticked: drawn when the map opens
    colours = {str(f["properties"]["colour"]) for f in risk}
    assert colours <= set(RISK_COLOURS) and not colours & set(COUNT_COLOURS)
    legend = script[script.index("legend.onAdd") :]
    assert json.dumps("Předpověď rizika")[1:-1] in legend[: legend.index("legend.addTo")]


def test_f8_filters_are_not_shown_where_they_do_nothing(app: AppTest) -> None:
    app.run()
    assert app.sidebar.multiselect  # the map page filters
    for page in ("routes", "presenter", "data"):
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, (page, app.exception)
        assert not app.sidebar.multiselect, page
        assert any("neplatí" in c.value for c in app.sidebar.caption), page


@pytest.mark.slow
def test_f9_pai_is_computed_within_the_filtered_district(demo: AppTest, demo_path: Path) -> None:
    demo.run()
    demo.sidebar.multiselect(key=w("filters.districts")).set_value([PORUBA]).run()
    demo.switch_page("app_pages/hotspots.py").run()
    assert not demo.exception
    assert any("Úspěšnost v území: Poruba" in c.value for c in demo.caption)
    shown = [m.value for m in demo.metric if m.label.startswith("PAI")]
    # independently: the same evaluation with Poruba as the area
    from apk_geo.store import open_store

    store = open_store(demo_path)
    inc = store.incidents()
    filters = demo.session_state["app_state"].filters
    points, month = indicators.evaluation_data(inc, filters)
    area = store.layer("districts")
    area = area[area["NAZEV"] == PORUBA]
    run = indicators.run_hotspots(
        located_points(inc, filters), method="gistar", area=area, with_emerging=False
    )
    cell = float(run.params["grid"]["cell_size_m"])  # type: ignore[index]
    ref = evaluate(
        points,
        split_date=month.start_time,
        test_end=(month + 1).start_time,
        cell_size_m=cell,
        area=area,
        methods=("gistar",),
    )
    assert shown == [f"{v:.2f}".replace(".", ",") if v == v else "–" for v in ref["pai"]]


def located_points(inc: gpd.GeoDataFrame, filters: object) -> gpd.GeoDataFrame:
    from apk_geo.coords import located
    from apk_geo.selection import filter_incidents

    return located(filter_incidents(inc, filters))  # type: ignore[arg-type]


def test_f10_trends_default_view_has_complete_periods_and_distinct_colours(app: AppTest) -> None:
    app.run()
    app.switch_page("app_pages/trends.py").run()
    assert not app.exception
    chart = app.get("vega_lite_chart")[0].proto
    import pyarrow as pa

    data = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    assert data["period"].nunique() >= 7  # last 30 days: daily, not one monthly dot
    app.radio(key=w("trends.freq")).set_value("week").run()
    chart = app.get("vega_lite_chart")[0].proto
    data = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    # 1–30 June 2024: the complete weeks are 3–9 … 24–30 June; 1–2 June is left out and said
    assert data["period"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-06-03",
        "2024-06-10",
        "2024-06-17",
        "2024-06-24",
    ]
    assert any("Neúplná období vynechána: 1. 6. 2024 – 2. 6. 2024" in c.value for c in app.caption)
    app.selectbox(key=w("trends.by")).set_value("category").run()
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    colour = spec["encoding"]["color"]
    assert colour["scale"]["range"] == list(trends.CATEGORY_PALETTE)
    assert colour["legend"]["labelLimit"] == 0
    # dates in the one date style of the page's language (Vega's month names are English)
    assert spec["encoding"]["x"]["axis"]["format"] == "%-d. %-m. %Y"
    assert spec["encoding"]["tooltip"][0]["format"] == "%-d. %-m. %Y"
    app.sidebar.selectbox(key="w.lang").set_value("en").run()
    app.radio(key=w("trends.freq", "en")).set_value("month").run()
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["x"]["axis"]["format"] == "%b %Y"


@pytest.mark.slow
def test_f11_hotspot_table_names_streets_and_explains_counts(demo: AppTest) -> None:
    demo.run()
    demo.sidebar.selectbox(key=w("filters.preset")).set_value("90d").run()
    demo.switch_page("app_pages/hotspots.py").run()
    table = table_of(demo)
    assert {"Počet", "Počet se sousedy", "Co to znamená"} <= set(table.columns)
    assert not table["Místo"].str.contains("čtverec").any()
    assert table["Místo"].is_unique
    assert table["Místo"].str.contains(r"\d").all()  # a house number
    assert (table["Počet se sousedy"] >= table["Počet"]).all()
    demo.radio(key=w("hotspots.method")).set_value("clusters").run()
    clusters = table_of(demo)
    assert not clusters["Místo"].str.contains("shluk").any()
    assert clusters["Období"].str.match(r"\d{1,2}\. \d{1,2}\. \d{4} – ").all()


def test_f12_presenter_mode_is_locked_to_the_mdt_page(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APK_GEO_STORE", str(store_path))
    monkeypatch.setenv("APK_GEO_PRESENTER", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "MDT porady"
    assert not at.sidebar.multiselect
    assert not at.dataframe  # tables are large HTML, not 16-px canvas grids
    html = " ".join(m.value for m in at.markdown)
    assert 'class="dataframe apk-big"' in html
    assert "table.apk-big" in html and "font-size: 1.45rem" in html
    with pytest.raises(ValueError, match=r"Known pages: ") as info:
        at.switch_page("app_pages/data.py")  # no other page is registered at all
    known = re.findall(r"'([^']+)'", str(info.value).split("Known pages:")[1])
    assert known and all(k.endswith("presenter.py") for k in known)
    assert "TAJNÁ POZNÁMKA" not in str(at._tree) and "A-777" not in str(at._tree)


def test_f13_synthetic_downloads_say_so(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APK_GEO_STORE", str(store_path))
    from app_pages import _common as c

    run = indicators.run_hotspots(
        located_points(c.incidents(), c.filters()), method="gistar", area=c.layers()["city"],
        with_emerging=False,
    )  # fmt: skip
    csv = c.hotspot_file(run, ".csv").decode("utf-8-sig")  # Czech Excel: ";", Czech headers
    header = csv.splitlines()[0].split(";")
    assert header.count("Syntetická data") == 1
    assert all(line.split(";")[header.index("Syntetická data")] == "ano"
               for line in csv.splitlines()[1:])  # fmt: skip
    geojson = json.loads(c.hotspot_file(run, ".geojson"))
    assert all(f["properties"]["synthetic"] is True for f in geojson["features"])


def test_streamlit_error_details_are_never_shown(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = (ROOT / "app_pages" / ".streamlit" / "config.toml").read_text()
    assert re.search(r'^showErrorDetails\s*=\s*"none"', config, flags=re.MULTILINE)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("/home/secret/path boom")

    monkeypatch.setattr(indicators, "compute_kpis", broken)
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Stránku se nepodařilo zobrazit; podrobnosti jsou v protokolu aplikace."
    ]


def test_dashboard_command_presenter_and_basemap_flags(tmp_path: Path) -> None:
    import argparse

    from apk_geo._cli import dashboard

    base = {"store": "var/x.gpkg", "address": "127.0.0.1", "port": 8599, "config": None}
    plain = dashboard.command(argparse.Namespace(**base, presenter=False, basemap=None))
    assert Path(plain[4]).name == "main.py" and "--presenter" not in plain
    assert plain[plain.index("--client.showErrorDetails") + 1] == "none"
    tiles = tmp_path / "city.mbtiles"
    args = argparse.Namespace(**base, presenter=True, basemap=str(tiles))
    cmd = dashboard.command(args)
    assert Path(cmd[4]).name == "server.py"  # the app plus the tile route
    assert "--presenter" in cmd and cmd[cmd.index("--basemap") + 1] == str(tiles.resolve())
    env = dashboard.environment(args)
    assert env["APK_GEO_PRESENTER"] == "1" and env["APK_GEO_BASEMAP"] == str(tiles.resolve())
