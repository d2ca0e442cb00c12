"""The team dashboard (AppTest on a PostGIS store): the MDT page shows the published packs to a
presenter (whose role reads no incident), a mentor publishes from the page, and the admin page
lists the audit log and the users — or says that the database refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from apk_geo import cli, reports
from apk_geo.db import list_packs
from apk_geo.i18n import t

pytest_plugins = ["pgtest"]
pytestmark = [pytest.mark.postgis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


def name_of(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["user"])


@pytest.fixture(scope="module")
def team(pg_server: Any) -> dict[str, Any]:
    """A store with the hand-made incidents and a pack of Poruba, June 2024, published."""
    from test_dashboard_apptest import build_test_store
    from test_publish import as_url

    owner = pg_server.database("pubdash")
    build_test_store(owner)  # type: ignore[arg-type]
    urls = {r: as_url(pg_server.user(owner, f"q{r}", r)) for r in ("mentor", "presenter", "admin")}
    urls["jih"] = as_url(pg_server.user(owner, "qjih", "presenter", areas=("Jih",)))
    code = cli.main(["report", "--store", urls["mentor"], "--area", "Poruba", "--month",
                     "2024-06", "--publish", "--no-progress"])  # fmt: skip
    assert code == 0
    parts = psycopg.conninfo.conninfo_to_dict(owner)
    plain = f"postgresql://{parts['host']}:{parts.get('port', 5432)}/{parts['dbname']}"
    return {"owner": owner, "plain": plain, "gate": pg_server.gate_url(owner), **urls}


@pytest.fixture
def app(team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("APK_GEO_STORE", team["plain"])
    monkeypatch.setenv("APK_GEO_GATE_URL", team["gate"])
    monkeypatch.chdir(ROOT)
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)


def sign_in(at: AppTest, url: str) -> AppTest:
    from test_dashboard_signin import sign_in as form

    return form(at, name_of(url), str(psycopg.conninfo.conninfo_to_dict(url)["password"]))


def audited(owner: str, action: str, who: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(owner) as conn:
        return conn.execute(
            "SELECT subject, details FROM apk.audit WHERE action = %s AND who = %s",
            [action, who],
        ).fetchall()


def test_a_presenter_sees_the_published_pack_and_nothing_built_from_incidents(
    app: AppTest, team: dict[str, Any]
) -> None:
    sign_in(app, team["presenter"])
    assert not app.exception
    assert [h.value for h in app.header] == ["Poruba"]
    assert [s.value for s in app.main.selectbox] == ["Poruba", "2024-06"]
    frames = app.get("iframe")
    assert len(frames) == 1 and "Poruba" in str(frames[0].proto)
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [reports.text("ui.download_html", "cs"), reports.text("ui.download_pdf", "cs")]
    assert not app.get("expander")  # no publishing for a presenter
    who = name_of(team["presenter"])
    assert audited(team["owner"], "read_incidents", who) == []  # never tried
    assert audited(team["owner"], "signin", who)


def test_a_presenter_of_another_area_is_told_nothing_is_published_and_who_publishes(
    app: AppTest, team: dict[str, Any]
) -> None:
    sign_in(app, team["jih"])
    assert not app.exception
    assert [i.value for i in app.info] == [t("packs.none", "cs")]
    assert "apk-geo report --publish" in t("packs.none", "cs")
    assert list_packs(team["jih"]).empty  # row-level security, not the page, hides Poruba


def test_a_mentor_publishes_from_the_page(app: AppTest, team: dict[str, Any]) -> None:
    sign_in(app, team["mentor"])
    app.switch_page("app_pages/presenter.py").run()
    assert not app.exception
    app.selectbox(key="publish_area").select("Moravská Ostrava a Přívoz")
    app.selectbox(key="publish_month").select("2024-06")
    app.button(key="publish_button").click().run()
    assert not app.exception and not app.error
    assert any("je zveřejněný" in s.value for s in app.success)
    assert "Moravská Ostrava a Přívoz" in set(list_packs(team["presenter"])["area"])


def test_the_admin_page_lists_the_presenters_sign_in_and_the_users(
    app: AppTest, team: dict[str, Any]
) -> None:
    presenter = name_of(team["presenter"])
    sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120), team["presenter"])
    sign_in(app, team["admin"])
    app.switch_page("app_pages/admin.py").run()
    assert not app.exception and not app.error
    app.text_input(key="admin_audit_user").input(presenter)
    app.selectbox(key="admin_audit_action").select("signin")
    app.run()
    audit, users = (f.value for f in app.dataframe)
    assert len(audit) >= 1 and set(audit["who"]) == {presenter}
    assert set(audit["action"]) == {"přihlášení"}  # the action in words (admin.act.signin)
    assert presenter in set(users["username"])


def test_the_admin_page_as_a_presenter_shows_the_databases_refusal(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from apk_geo import auth

    monkeypatch.setenv("APK_GEO_STORE", team["plain"])
    monkeypatch.chdir(ROOT)
    url = team["presenter"]
    parts = psycopg.conninfo.conninfo_to_dict(url)
    signed = auth.sign_in(team["plain"], parts["user"], parts["password"], client="test",
                          gate=auth.Gate(team["gate"]))  # fmt: skip
    at = AppTest.from_file(str(ROOT / "app_pages" / "admin.py"), default_timeout=60)
    at.session_state["auth.session"] = signed.session
    at.run()
    assert not at.exception and not at.dataframe
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and all("permission denied" in e for e in errors)
    assert all(e.startswith("Databáze to odmítla") for e in errors)


def test_the_admin_adds_a_user_with_areas_and_disables_them(
    app: AppTest, team: dict[str, Any], pg_server: Any
) -> None:
    from apk_geo.db import list_users

    new = f"{pg_server.prefix}_novak"
    sign_in(app, team["admin"])
    app.switch_page("app_pages/admin.py").run()
    app.text_input(key="admin_add_name").input(new)
    app.selectbox(key="admin_add_role").select("analyst")
    app.multiselect(key="admin_add_areas").select("Poruba")
    app.text_input(key="admin_add_pw").input("dlouhé-heslo-123")
    app.text_input(key="admin_add_reason").input("nový analytik")
    [submit] = [b for b in app.button if b.label == t("admin.submit", "cs")]
    submit.click().run()
    assert not app.exception and not app.error
    assert any(s.value == f"Uživatel {new} je přidaný (analytik)." for s in app.success)
    [grid] = [d.value for d in app.dataframe if "role" in d.value.columns]
    shown = grid.set_index("username")  # roles as people name them
    assert shown.loc[new, "role"] == "analytik"
    assert shown.loc[name_of(team["admin"]), "role"] == "správce"
    users = list_users(team["admin"]).set_index("username")
    assert users.loc[new, "role"] == "analyst" and users.loc[new, "areas"] == ["Poruba"]
    app.selectbox(key="admin_who").select(new)
    app.button(key="admin.disable_button").click().run()
    assert not app.exception and not app.error
    assert bool(list_users(team["admin"]).set_index("username").loc[new, "disabled"])
    [(subject, details)] = audited(team["owner"], "user_add", name_of(team["admin"]))[-1:]
    assert subject == new and details == {"role": "analyst", "areas": ["Poruba"]}
