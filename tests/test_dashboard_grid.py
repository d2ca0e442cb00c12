"""The dashboard's data grids in Czech and English (app_pages/_grid.py, issue 14).

Hand values of the cell formatting, the display values Streamlit sends with a ``Styler`` (the
grid keeps the real values for sorting), the caption of an empty table, and the pages' grids
as AppTest sees them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from app_pages._grid import cell_text, column_digits, column_kind, grid_data

pytest_plugins = ["pgtest"]

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


# --- one cell --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1234.5, "cs", f"1{NBSP}234,5"),
        (1234.5, "en", "1,234.5"),
        (1234567, "cs", f"1{NBSP}234{NBSP}567"),
        (1234567, "en", "1,234,567"),
        (0.12345, "cs", "0,123"),  # fmt.number: at most three decimals
        (2.0, "cs", "2"),  # no trailing zeros
        (-3.25, "en", "-3.25"),
        (float("nan"), "cs", ""),
        (None, "en", ""),
        (pd.NaT, "cs", ""),
        (pd.NA, "cs", ""),
        (True, "cs", "ano"),
        (False, "cs", "ne"),
        (True, "en", "yes"),
        (dt.date(2026, 12, 1), "cs", "1. 12. 2026"),
        (dt.date(2026, 12, 1), "en", "1 Dec 2026"),
        (dt.datetime(2026, 12, 1, 5, 4), "cs", "1. 12. 2026 05:04"),
        (pd.Timestamp("2026-01-09 23:10"), "en", "9 Jan 2026 23:10"),
        (pd.Period("2026-11", freq="M"), "cs", "listopad 2026"),
        ("Poruba", "cs", "Poruba"),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_cell_text_by_hand(value: object, lang: str, expected: str) -> None:
    assert cell_text(value, lang) == expected


def test_an_aware_time_is_shown_in_prague() -> None:
    # 04:04 UTC on 1 July = 06:04 in Prague (summer time); 04:04 UTC on 1 Dec = 05:04
    assert cell_text(pd.Timestamp("2026-07-01 04:04", tz="UTC"), "cs") == "1. 7. 2026 06:04"
    assert cell_text(pd.Timestamp("2026-12-01 04:04", tz="UTC"), "cs") == "1. 12. 2026 05:04"


def test_plain_whole_numbers_have_no_grouping() -> None:
    assert cell_text(2024, "cs", kind="plain") == "2024"
    assert cell_text(12345, "en", kind="plain") == "12345"


# --- column kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        (pd.Series([1, 2]), "integer"),
        (pd.Series([1, None], dtype="Int64"), "integer"),
        (pd.Series([1.5, None]), "number"),
        (pd.Series([True, False]), "boolean"),
        (pd.Series([True, None], dtype=object), "boolean"),
        (pd.Series([1, 2.5], dtype=object), "number"),
        (pd.Series(pd.to_datetime(["2026-12-01 05:04", None])), "datetime"),
        (pd.Series(pd.to_datetime(["2026-12-01", "2026-12-02"])), "date"),  # all at midnight
        (pd.Series(pd.to_datetime(["2026-11-30 23:00"]).tz_localize("UTC")), "date"),  # Prague
        (pd.Series([dt.date(2026, 1, 1), None]), "date"),
        (pd.Series(pd.period_range("2026-01", periods=2, freq="M")), "month"),
        (pd.Series(["a", "b"]), "text"),
        (pd.Series(["a", 1], dtype=object), "text"),  # mixed: shown as it is
    ],
    ids=lambda v: str(getattr(v, "dtype", v)),
)
def test_column_kind(column: pd.Series, kind: str) -> None:
    assert column_kind(column) == kind


# --- the Styler: display values over real values ----------------------------------------------


def hand_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Počet": [1234, 5, 12],
            "Podíl": [1234.5, float("nan"), 0.5],
            "Kdy": pd.to_datetime(["2026-12-01 05:04", "2026-11-02 23:10", None]),
            "Ano": [True, False, None],
            "Řádek": [1234, 7, 10],
            "Text": ["a", None, "c"],
        },
        index=[10, 10, 3],  # a page's frame may have any index
    )


def display_values(styler: object) -> list[list[str]]:
    """The display values as Streamlit takes them from a Styler (``_translate``)."""
    styler._compute()  # type: ignore[attr-defined]
    body = styler._translate(False, False)["body"]  # type: ignore[attr-defined]
    return [[c["display_value"] for c in row if c["type"] == "td"] for row in body]


def test_grid_data_shows_czech_and_keeps_the_values() -> None:
    frame = hand_frame()
    styler = grid_data(frame, lang="cs", plain=("Řádek",))
    assert display_values(styler) == [
        [f"1{NBSP}234", f"1{NBSP}234,5", "1. 12. 2026 05:04", "ano", "1234", "a"],
        ["5", "", "2. 11. 2026 23:10", "ne", "7", ""],
        ["12", "0,5", "", "", "10", "c"],
    ]
    data = styler.data  # type: ignore[attr-defined]
    assert data["Počet"].tolist() == [1234, 5, 12]  # real numbers: the grid sorts by them
    assert data["Kdy"].dtype.kind == "M"
    assert data.index.tolist() == [0, 1, 2]  # a selection is by position
    assert frame["Ano"].tolist() == [True, False, None]  # the input is untouched


def test_a_number_column_has_one_number_of_decimals() -> None:
    frame = pd.DataFrame(
        {
            "z": [20.323, 17.71, 19.0, np.nan],
            "share": [0.5, 0.25, 1.0, 0.125001],  # the last rounds to 0.125
            "whole": [8.0, 30.0, 2.0, np.nan],
        }
    )
    assert [column_digits(frame[c]) for c in frame] == [3, 3, 0]
    assert column_digits(pd.Series([0.5, 1.25])) == 2
    assert column_digits(pd.Series([np.nan, np.inf])) == 0
    shown = display_values(grid_data(frame, lang="cs"))
    assert [row[0] for row in shown] == ["20,323", "17,710", "19,000", ""]
    assert [row[1] for row in shown] == ["0,500", "0,250", "1,000", "0,125"]
    assert [row[2] for row in shown] == ["8", "30", "2", ""]
    assert display_values(grid_data(frame, lang="en"))[1][0] == "17.710"


def test_grid_data_in_english() -> None:
    shown = display_values(grid_data(hand_frame(), lang="en"))
    assert shown[0] == ["1,234", "1,234.5", "1 Dec 2026 05:04", "yes", "1,234", "a"]


# --- through Streamlit ------------------------------------------------------------------------

SCRIPT = """
import datetime as dt
import pandas as pd
import streamlit as st
from app_pages._grid import selected_rows, show_table

lang = st.query_params.get("lang", "cs")
frame = pd.DataFrame({"Počet": [1234, 5], "Podíl": [1234.5, None],
                      "Den": [dt.date(2026, 12, 1), dt.date(2026, 1, 9)]})
show_table(frame, lang=lang, column_config={"Podíl": "Share"})
show_table(frame.iloc[:0], lang=lang)
show_table(frame.iloc[:0], lang=lang, empty="Nic tu není.")
rows = selected_rows(frame, lang=lang, key="pick")
st.write(f"rows={rows}")
st.write(f"none={selected_rows(frame.iloc[:0], lang=lang, key='none')}")
"""


def shown(element: Dataframe) -> pd.DataFrame:
    """The display values a dataframe element carries to the browser (the Styler's)."""
    raw = element.proto.arrow_data.styler.display_values
    assert raw, "no display values: the grid would format with the browser's locale"
    return pa.ipc.open_stream(raw).read_all().to_pandas()


@pytest.fixture
def script_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    path = tmp_path / "grid_app.py"
    path.write_text(SCRIPT, encoding="utf-8")
    return AppTest.from_file(str(path), default_timeout=30)


@pytest.mark.parametrize(
    ("lang", "first", "empty"),
    [
        ("cs", [f"1{NBSP}234", f"1{NBSP}234,5", "1. 12. 2026"], "Žádné řádky k zobrazení."),
        ("en", ["1,234", "1,234.5", "1 Dec 2026"], "No rows to show."),
    ],
)
def test_streamlit_carries_the_display_values(
    script_app: AppTest, lang: str, first: list[str], empty: str
) -> None:
    script_app.query_params["lang"] = lang
    script_app.run()
    assert not script_app.exception
    grids = script_app.dataframe
    assert len(grids) == 2  # the two empty tables are captions, not grids
    assert shown(grids[0]).iloc[0].tolist() == first
    assert shown(grids[0]).iloc[1, 1] == ""  # a missing value is an empty cell
    assert grids[0].value["Počet"].tolist() == [1234, 5]  # values stay numbers
    # the page's column_config (a label) still reaches the grid
    assert '"Share"' in grids[0].proto.columns
    assert grids[0].proto.placeholder == ""
    captions = [c.value for c in script_app.caption]
    assert captions == [empty, "Nic tu není.", empty]
    assert [m.value for m in script_app.markdown][-2:] == ["rows=[]", "none=[]"]
    # the selectable grid is a selection widget under its key
    assert grids[1].proto.id and "pick" in grids[1].proto.id
    assert list(grids[1].proto.selection_mode) == [DataframeProto.SelectionMode.SINGLE_ROW]


# --- the dashboard's pages ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_dashboard_apptest import build_test_store

    return build_test_store(tmp_path_factory.mktemp("grid_store") / "test.gpkg")


@pytest.fixture
def app(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("APK_GEO_STORE", str(store_path))
    monkeypatch.chdir(ROOT)
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


def open_page(app: AppTest, page: str, *, lang: str = "cs") -> AppTest:
    app.run()
    if lang != "cs":
        app.sidebar.selectbox(key="w.lang").set_value(lang).run()
    app.sidebar.selectbox(key=f"w.filters.preset.{lang}").set_value("90d").run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


@pytest.mark.slow
def test_hotspot_table_in_czech_and_english(app: AppTest) -> None:
    open_page(app, "app_pages/hotspots.py")
    table, text = app.dataframe[0].value, shown(app.dataframe[0])
    z, digits = table["Gi* (z)"].iloc[0], column_digits(table["Gi* (z)"])
    assert text["Gi* (z)"].iloc[0] == cell_text(z, "cs", kind="number", digits=digits)
    assert "," in text["Gi* (z)"].iloc[0] and "." not in text["Gi* (z)"].iloc[0]
    assert table["Gi* (z)"].dtype.kind == "f"  # sortable by value
    app.sidebar.selectbox(key="w.lang").set_value("en").run()
    assert not app.exception
    text = shown(app.dataframe[0])
    assert text["Gi* (z)"].iloc[0] == cell_text(z, "en", kind="number", digits=digits)
    assert "." in text["Gi* (z)"].iloc[0]


def test_data_page_grids_in_czech(app: AppTest) -> None:
    open_page(app, "app_pages/data.py")
    quarantine = app.dataframe[0]
    text = shown(quarantine)
    # imported "now": the time is shown in the product's date style, in Prague
    imported = quarantine.value["Importováno"].iloc[0]
    assert text["Importováno"].iloc[0] == cell_text(imported, "cs")
    assert text["Importováno"].iloc[0].count(". ") == 2
    assert text["Řádek"].tolist() == ["7"]
    imports = shown(app.dataframe[2])
    assert imports["Načteno"].tolist() == ["10"]  # the import read 10 rows (9 + 1 quarantined)


def test_a_table_above_the_limit_is_shown_unstyled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # above MAX_STYLED_CELLS the grid formats as Streamlit does (seconds of Babel otherwise)
    from app_pages import _grid

    monkeypatch.setattr(_grid, "MAX_STYLED_CELLS", 4)  # the script shares the module
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    path = tmp_path / "big.py"
    path.write_text(
        "import pandas as pd\n"
        "from app_pages import _grid\n"
        "_grid.show_table(pd.DataFrame({'a': [1.5, 2.5], 'b': [1, 2]}), lang='cs')\n"
        "_grid.show_table(pd.DataFrame({'a': [1.5, 2.5], 'b': [1, 2], 'c': [3, 4]}), lang='cs')\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(path), default_timeout=30).run()
    assert not at.exception
    assert shown(at.dataframe[0])["a"].tolist() == ["1,5", "2,5"]  # 4 cells: styled
    assert not at.dataframe[1].proto.arrow_data.styler.display_values  # 6 cells: not
    assert at.dataframe[1].value["a"].tolist() == [1.5, 2.5]


def test_an_empty_quarantine_is_a_sentence_not_an_empty_grid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apk_geo.testing import make_store

    path = tmp_path / "clean.gpkg"
    make_store(path, [{"source": "test", "id": "r1", "reported_at": "2024-06-30 21:00",
                       "category": "dogs", "lat": 49.8413, "lon": 18.2893}])  # fmt: skip
    monkeypatch.setenv("APK_GEO_STORE", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Karanténa je prázdná: žádný řádek importu nebyl odmítnut." in captions
    # the grids left: the store status, the import log, the layers (no empty quarantine grid)
    assert len(at.dataframe) == 3
    assert "Načteno" in at.dataframe[1].value.columns


@pytest.mark.postgis
@pytest.mark.slow
def test_admin_page_audit_log_in_czech(pg_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg
    from test_dashboard_apptest import build_test_store
    from test_publish import as_url
    from test_publish_dashboard import sign_in

    owner = pg_server.database("griddash")
    build_test_store(owner)  # type: ignore[arg-type]
    admin = as_url(pg_server.user(owner, "gadmin", "admin"))
    parts = psycopg.conninfo.conninfo_to_dict(owner)
    monkeypatch.setenv(
        "APK_GEO_STORE", f"postgresql://{parts['host']}:{parts.get('port', 5432)}/{parts['dbname']}"
    )
    monkeypatch.setenv("APK_GEO_GATE_URL", pg_server.gate_url(owner))
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    sign_in(app, admin)
    app.switch_page("app_pages/admin.py").run()
    assert not app.exception
    audit, users = app.dataframe
    text = shown(audit)
    when = audit.value["at"]
    assert len(when) >= 1  # the admin's own sign-in at least
    assert text["at"].tolist() == [cell_text(v, "cs") for v in when]
    assert all(re.fullmatch(r"\d{1,2}\. \d{1,2}\. \d{4} \d{2}:\d{2}", v) for v in text["at"])
    # numbers without grouping
    assert text["audit_id"].tolist() == [str(i) for i in audit.value["audit_id"]]
    assert '"Kdy"' in audit.proto.columns  # the page's column labels still apply
    assert "přihlášení" in set(text["action"]) and "signin" not in set(text["action"])
    assert not set(text["client"]) & {"unknown"}  # Czech values, not the stored codes
    signin = text["details"][text["action"] == "přihlášení"].iloc[0]
    assert signin == "úroveň: správce", signin  # words, not {"tier": "admin"}
    assert not any(v.startswith("{") for v in text["details"])
    people = shown(users)
    assert set(people["disabled"]) <= {"ano", "ne"}  # a truth value in Czech, not a checkbox
    assert people["created_at"].str.fullmatch(r"\d{1,2}\. \d{1,2}\. \d{4} \d{2}:\d{2}").all()
