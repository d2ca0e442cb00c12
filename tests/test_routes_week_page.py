"""The route page's week mode (AppTest on the demo store): table, a map per shift, downloads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from apk_geo import routes

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("week_demo") / "demo.gpkg"
    build_demo_store(path, exports_dir=path.parent / "exports")
    return path


@pytest.fixture(scope="module")
def planned(demo_path: Path) -> Iterator[AppTest]:
    """The page after planning the offered week for two pairs (the form's defaults)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("APK_GEO_STORE", str(demo_path))
    mp.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.run()
    at.switch_page("app_pages/routes.py").run()
    at.radio(key="route_view").set_value("week").run()
    assert [b.label for b in at.button] == ["Naplánovat týden"]
    at.button[0].click().run()
    yield at
    mp.undo()


def map_script(at: AppTest) -> str:
    frames = [
        e for e in at.get("component_instance") if "streamlit_folium" in e.proto.component_name
    ]
    assert len(frames) == 1, "the week mode draws one map"
    return str(json.loads(frames[0].proto.json_args)["script"])


def route_colours(script: str) -> list[str]:
    return re.findall(r'"color": "(#[0-9A-Fa-f]{6})", "opacity": 0.85', script)


def legend(script: str) -> str:
    """Return the legend's HTML of a map script (written there as a JSON string)."""
    found = re.search(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");', script)
    assert found is not None, "the map has no legend"
    return str(json.loads(found.group(1)))


def shift_box(at: AppTest) -> Any:
    return next(s for s in at.selectbox if str(s.key).startswith("route_week_shift."))


def test_the_week_table_has_a_row_per_pairs_shift_and_czech_headers(planned: AppTest) -> None:
    assert not planned.exception, planned.exception
    assert not planned.error, [e.value for e in planned.error]
    table = planned.dataframe[0].value
    assert list(table.columns[:3]) == ["Datum", "Směna", "Tým"]
    assert len(table.columns) > 3  # one column per place of the week's list
    assert len(table) == 2 * 5  # two pairs, Monday to Friday
    assert set(table["Tým"]) == {"Dvojice 1", "Dvojice 2"}
    assert set(table["Směna"]) == {"08:00–14:00"}
    assert [d[:2] for d in table["Datum"].iloc[::2]] == ["po", "út", "st", "čt", "pá"]
    visits = table.iloc[:, 3:].to_numpy().ravel()
    times = [v for v in visits if v]
    assert times and all(re.fullmatch(r"\d\d:\d\d(, \d\d:\d\d)*", v) for v in times)
    day = r"\d{1,2}\. \d{1,2}\. \d{4}"  # a Czech date, apk_geo.fmt.date: 6. 12. 2026
    assert re.fullmatch(rf"\d{{1,2}}\. týden \d{{4}}: {day} – {day}", planned.subheader[0].value)
    summary = next(m.value for m in planned.markdown if m.value.startswith("Směn: "))
    assert "Směn: 5 · tras dvojic: 10 · pokrytých míst: " in summary
    from app_pages._route_week import K_INPUTS

    start_name = planned.session_state[K_INPUTS][2]  # printed on every pair's sheet
    assert start_name == "Magistrát (Nová radnice), Prokešovo náměstí 1803/8"


def test_each_shift_has_a_map_with_both_pairs_in_two_colours(planned: AppTest) -> None:
    box = shift_box(planned)
    assert len(box.options) == 5 and box.options[0].startswith("po ")
    first = map_script(planned)
    colours = route_colours(first)
    assert colours == list(routes.TEAM_COLOURS[:2])
    rows = re.findall(r"</span>([^<]*)</div>", legend(first))
    assert [r.split(" · ")[0] for r in rows] == ["Dvojice 1", "Dvojice 2"]
    assert all(re.fullmatch(r"Dvojice \d · zastávek: \d+", r) for r in rows)
    box.set_value(box.options[2]).run()  # Wednesday
    assert not planned.exception
    wednesday = map_script(planned)
    assert route_colours(wednesday) == list(routes.TEAM_COLOURS[:2])
    assert wednesday != first  # another shift, other routes
    labels = [b.label for b in planned.get("download_button")]
    assert labels == ["Stáhnout vše (ZIP)", "Tabulka (CSV)", "Tabulka k tisku (HTML)"]


def test_english_relabels_the_week_without_planning_again(
    planned: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def replanned(*_a: object, **_k: object) -> None:
        raise AssertionError("the week was planned again")

    monkeypatch.setattr(routes, "plan_week", replanned)  # the plan must come from the cache
    box = shift_box(planned)
    box.set_value(box.options[2]).run()  # Wednesday (whichever test ran before)
    planned.sidebar.selectbox(key="w.lang").set_value("en").run()
    assert not planned.exception
    assert not planned.error, [e.value for e in planned.error]
    assert planned.title[0].value == "Patrol routes"
    table = planned.dataframe[0].value
    assert list(table.columns[:3]) == ["Date", "Shift", "Team"]
    assert [d[:3] for d in table["Date"].iloc[::2]] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert planned.subheader[0].value.startswith("Week ")
    assert any(m.value.startswith("Shifts: 5 · pair routes: 10") for m in planned.markdown)
    assert "Dvojice 1 · stops:" in legend(map_script(planned))
    box = shift_box(planned)  # Wednesday, picked before the switch, stays picked
    assert box.options[box.index].startswith("Wed ") and box.index == 2
    labels = [b.label for b in planned.get("download_button")]
    assert labels == ["Download all (ZIP)", "Table (CSV)", "Printable table (HTML)"]
    planned.sidebar.selectbox(key="w.lang").set_value("cs").run()


def test_one_route_names_its_start_by_the_base_and_the_address_found(demo_path: Path) -> None:
    mp = pytest.MonkeyPatch()
    mp.setenv("APK_GEO_STORE", str(demo_path))
    mp.chdir(ROOT)
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        at.switch_page("app_pages/routes.py").run()
        assert at.radio(key="route_view").value == "one"  # the first mode is still one route
        at.button[0].click().run()  # Naplánovat, from the named base
        assert not at.exception and not at.error, [e.value for e in at.error]
        route = at.session_state["route_plan"]
        assert route.start.name == "Magistrát (Nová radnice), Prokešovo náměstí 1803/8"
        assert route.end.name == route.start.name  # back to the start
        sheet = routes.to_html(route)
        assert "Magistrát (Nová radnice), Prokešovo náměstí 1803/8" in sheet
        at.radio(key="route_base").set_value("custom").run()
        at.text_input(key="route_start_text").set_value("49.8413, 18.2893").run()
        at.button[0].click().run()  # a bare point (the Magistrát): named by its nearest address
        route = at.session_state["route_plan"]
        assert "Prokešovo náměstí" in route.start.name, route.start.name
        at.text_input(key="route_start_text").set_value("Neexistující 5").run()
        at.button[0].click().run()  # an address the store's address points lack: why, in Czech
        errors = [e.value for e in at.error]
        assert len(errors) == 1, errors
        assert errors[0].startswith("Adresu „Neexistující 5“ v adresních místech úložiště ")
        assert ": ulice „neexistujici“ v registru adres není (nejpodobnější: „" in errors[0]
        assert "not found" not in errors[0], errors
    finally:
        mp.undo()
