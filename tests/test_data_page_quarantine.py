"""The data page shows the quarantine as a person reads it (issue 14), in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apk_geo import io
from apk_geo.config import Config
from apk_geo.testing import make_store

ROOT = Path(__file__).resolve().parent.parent
GOOD = ["1", "24.11.2026", "14:05", "Alkohol", "Nádražní 5, Ostrava", "vyřešeno", "A07", "x"]


@pytest.fixture
def app(tmp_path: Path, write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The dashboard on a store whose quarantine the validator wrote (English, canonical fields)."""
    bad_date = ["2", "31.2.2026", *GOOD[2:]]
    bad_category = ["3", "24.11.2026", "14:05", "UFO", *GOOD[4:]]
    raw = io.read_table(write_csv([GOOD, bad_date, bad_category]))
    quarantine = io.validate(raw, source="apk", config=Config(), lang="en").quarantine
    assert quarantine["field"].tolist() == ["reported_at", "category"]  # as stored
    incident = {
        "source": "apk",
        "id": "1",
        "reported_at": "2026-11-24 14:05",
        "category": "alcohol",
        "outcome": "resolved_on_spot",
        "lat": 49.8413,
        "lon": 18.2893,
        "district_name": "Moravská Ostrava a Přívoz",
        "mdt_area": "Moravská Ostrava a Přívoz",
    }
    path = tmp_path / "store.gpkg"
    make_store(path, [incident], quarantine=quarantine)
    monkeypatch.setenv("APK_GEO_STORE", str(path))
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


def test_the_quarantine_names_the_files_columns_and_expects_in_czech(app: AppTest) -> None:
    app.run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    shown = app.dataframe[0].value
    assert shown["Pole"].tolist() == ["Datum + Čas", "Kategorie"]
    assert shown["Očekáváno"].iloc[0].startswith("datum a čas, např. 24.11.2026 14:05")
    assert "volné pobíhání psů (dogs)" in shown["Očekáváno"].iloc[1]


def test_the_quarantine_follows_the_page_language(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="w.lang").set_value("en").run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception
    shown = app.dataframe[0].value
    assert shown["Field"].tolist() == ["Datum + Čas", "Kategorie"]  # the file's own headers
    assert shown["Expected"].iloc[1].startswith("a category code or label, one of ")
