"""The dashboard on a PostGIS store: sign-in, pages per role, audited views, per-user caches.

Runs the real entry script with Streamlit's AppTest against the session's own database
(:mod:`pgtest`); a GeoPackage store needs no sign-in (``test_dashboard_apptest.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from apk_geo.i18n import t

pytest_plugins = ["pgtest"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shared(pg_server: Any) -> dict[str, Any]:
    """A store with the hand-made incidents, and a mentor, an analyst and a presenter."""
    from test_dashboard_apptest import build_test_store

    owner = pg_server.database("dash")
    build_test_store(owner)  # type: ignore[arg-type]
    users = {
        role: psycopg.conninfo.conninfo_to_dict(pg_server.user(owner, f"d{role}", role))["user"]
        for role in ("mentor", "analyst", "presenter")
    }
    # a mentor whose failed attempts slow down only this name (the others sign in at once)
    users["victim"] = psycopg.conninfo.conninfo_to_dict(pg_server.user(owner, "dvictim", "mentor"))[
        "user"
    ]
    parts = psycopg.conninfo.conninfo_to_dict(owner)
    plain = f"postgresql://{parts['host']}:{parts.get('port', 5432)}/{parts['dbname']}"
    return {
        "owner": owner,
        "plain": plain,  # the store's URL without credentials, as `apk-geo dashboard` gets it
        "gate": pg_server.gate_url(owner),
        "users": users,
    }


@pytest.fixture
def app(shared: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("APK_GEO_STORE", shared["plain"])
    monkeypatch.setenv("APK_GEO_GATE_URL", shared["gate"])
    monkeypatch.chdir(ROOT)
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)


def sign_in(at: AppTest, user: str, password: str, reason: str = "") -> AppTest:
    at.run()
    at.text_input(key="auth.w.user").input(user)
    at.text_input(key="auth.w.password").input(password)
    at.text_input(key="auth.w.reason").input(reason)
    at.button[0].click()
    return at.run()


def audit(owner: str, action: str, who: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(owner) as conn:
        return conn.execute(
            "SELECT subject, details::text FROM apk.audit WHERE action = %s AND who = %s "
            "ORDER BY audit_id",
            [action, who],
        ).fetchall()


def titles(at: AppTest) -> list[str]:
    return [x.value for x in at.title]


@pytest.mark.postgis
@pytest.mark.slow
def test_the_form_comes_first_and_a_wrong_password_is_refused_and_audited(
    app: AppTest, shared: dict[str, Any]
) -> None:
    app.run()
    assert titles(app) == [t("auth.title", "cs")] and not app.exception
    user = shared["users"]["victim"]
    sign_in(app, user, "spatne-heslo")
    assert not app.exception
    assert any("Nesprávné jméno nebo heslo" in e.value for e in app.error)
    assert titles(app) == [t("auth.title", "cs")]  # still the form, no page
    assert "auth.session" not in app.session_state
    with psycopg.connect(shared["owner"]) as conn:
        n = conn.execute(
            "SELECT count(*) FROM apk.audit WHERE action = 'signin_failed' AND subject = %s",
            [user],
        ).fetchone()
    assert n is not None and n[0] >= 1


@pytest.mark.postgis
@pytest.mark.slow
def test_a_presenter_gets_only_the_mdt_page(app: AppTest, shared: dict[str, Any]) -> None:
    from pgtest import PASSWORD

    user = shared["users"]["presenter"]
    sign_in(app, user, PASSWORD)
    assert not app.exception
    assert t("nav.mdt", "cs") in titles(app) or not titles(app)
    assert t("nav.map", "cs") not in titles(app)
    with pytest.raises(ValueError, match="Known pages") as refused:  # only the MDT page exists
        app.switch_page("app_pages/map.py")
    known = str(refused.value).split("Known pages:")[1]
    assert "presenter.py" in known
    assert not any(f"{p}.py" in known for p in ("map", "hotspots", "trends", "routes", "data"))
    assert f"Přihlášen(a): {user} (prezentující)" in [c.value for c in app.sidebar.caption]


@pytest.mark.postgis
@pytest.mark.slow
def test_an_analyst_gets_no_points_and_caches_are_per_user(
    app: AppTest, shared: dict[str, Any]
) -> None:
    from pgtest import PASSWORD

    mentor, analyst = shared["users"]["mentor"], shared["users"]["analyst"]
    sign_in(app, mentor, PASSWORD, reason="příprava MDT")
    assert not app.exception and t("nav.map", "cs") in titles(app)
    seen = audit(shared["owner"], "page_view", mentor)
    assert any(subject == "map.points" for subject, _ in seen)  # the mentor saw the points

    other = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    sign_in(other, analyst, PASSWORD)
    assert not other.exception and t("nav.map", "cs") in titles(other)
    # the analyst's incidents were read as the analyst: not served from the mentor's cache
    assert audit(shared["owner"], "read_incidents", analyst)
    assert not any(s == "map.points" for s, _ in audit(shared["owner"], "page_view", analyst))
    from test_dashboard_apptest import map_script

    assert "Adresa 1" in map_script(app)  # the mentor's popups carry the address …
    script = map_script(other)
    assert "Adresa 1" not in script  # … the analyst gets counts per cell, no popups
    for secret in ("TAJNÁ POZNÁMKA", "A-777"):
        assert secret not in script and secret not in str(other._tree)


@pytest.mark.postgis
@pytest.mark.slow
def test_sign_out_and_idle_timeout(app: AppTest, shared: dict[str, Any]) -> None:
    from pgtest import PASSWORD

    user = shared["users"]["mentor"]
    sign_in(app, user, PASSWORD)
    session = app.session_state["auth.session"]
    app.session_state["auth.session"] = session.touch(now=session.last_activity - 31 * 60)
    app.run()
    assert titles(app) == [t("auth.title", "cs")]
    assert any("nečinnosti" in i.value for i in app.info)
    assert audit(shared["owner"], "timeout", user)
    sign_in(app, user, PASSWORD)
    app.sidebar.button(key="auth.signout").click().run()
    assert titles(app) == [t("auth.title", "cs")]
    assert audit(shared["owner"], "signout", user)


def test_the_dashboard_command_passes_a_database_url_unchanged_and_hides_passwords(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import argparse

    from apk_geo._cli import dashboard

    url = "postgresql://127.0.0.1:5433/apk_geo"
    args = argparse.Namespace(
        store=url, address="127.0.0.1", port=8501, presenter=False, basemap=None, config=None
    )
    cmd = dashboard.command(args)
    assert cmd[cmd.index("--store") + 1] == url
    assert dashboard.environment(args)["APK_GEO_STORE"] == url
    assert dashboard.shown("postgresql://eva:tajne@db:5432/apk") == "postgresql://eva@db:5432/apk"
    monkeypatch.chdir(tmp_path)
    local = argparse.Namespace(**{**vars(args), "store": "var/x.gpkg"})
    assert dashboard.environment(local)["APK_GEO_STORE"] == str(tmp_path / "var" / "x.gpkg")


@pytest.fixture(scope="module")
def served(shared: dict[str, Any]) -> Iterator[str]:
    """``apk-geo dashboard --store postgresql://…`` running on a free port."""
    from test_dashboard_browser import free_port, start_app, stop_app

    old = os.environ.get("APK_GEO_GATE_URL")
    os.environ["APK_GEO_GATE_URL"] = shared["gate"]
    port = free_port()
    try:
        proc = start_app(shared["plain"], port=port)  # type: ignore[arg-type]
    finally:
        if old is None:
            os.environ.pop("APK_GEO_GATE_URL", None)
        else:
            os.environ["APK_GEO_GATE_URL"] = old
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_app(proc)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.postgis
def test_journey_a_wrong_password_then_a_presenter_sees_the_mdt_page_only(
    served: str, shared: dict[str, Any]
) -> None:
    from pgtest import PASSWORD
    from playwright.sync_api import sync_playwright

    from apk_geo.browser import launch

    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        page.goto(served)
        page.get_by_role("heading", name="Přihlášení").wait_for(timeout=30_000)
        page.get_by_label("Uživatel").fill(shared["users"]["victim"])
        page.get_by_label("Heslo").fill("spatne")
        page.get_by_role("button", name="Přihlásit").click()
        page.get_by_text("Nesprávné jméno nebo heslo").wait_for(timeout=30_000)

        page.get_by_label("Uživatel").fill(shared["users"]["presenter"])
        page.get_by_label("Heslo").fill(PASSWORD)
        page.get_by_role("button", name="Přihlásit").click()
        page.get_by_text("Přihlášen(a):").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        html = page.content()
        assert page.get_by_role("heading", name="Mapa").count() == 0
        assert page.get_by_test_id("stSidebarNav").count() == 0  # no navigation at all
        for secret in ("TAJNÁ POZNÁMKA", "A-777", "Adresa 1", PASSWORD):
            assert secret not in html
        page.goto(served + "mapa")  # a new browser session: signed out, the form again
        page.get_by_role("heading", name="Přihlášení").wait_for(timeout=30_000)
        browser.close()
