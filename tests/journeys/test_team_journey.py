"""A team on a shared PostGIS store, in the real dashboard: a mentor has published the Poruba
pack (``apk-geo report --publish``); a presenter signs in, gets the MDT page alone with that
pack — no incident point, note, address or assistant code anywhere in the page — and downloads
it (audited); the administrator signs in and finds the presenter's sign-in in the audit log.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from support import (
    ROOT,
    Walk,
    dom_text,
    free_port,
    grid_rows,
    incident_points,
    serve,
    settle,
    walk,
)

from apk_geo import cli, reports
from apk_geo.i18n import t

pytest_plugins = ["pgtest"]
pytestmark = [pytest.mark.browser, pytest.mark.postgis, pytest.mark.slow]

SECRETS = ("TAJNÁ POZNÁMKA", "A-777", "Adresa 1")


def name_of(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["user"])


def password_of(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["password"])


@pytest.fixture(scope="module")
def team(pg_server: Any) -> dict[str, str]:
    """The dashboard tests' store in PostGIS, three users, the Poruba pack published."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_dashboard_apptest import build_test_store

    owner = pg_server.database("journey")
    build_test_store(owner)  # type: ignore[arg-type]
    urls = {r: pg_server.user(owner, f"j{r}", r) for r in ("mentor", "presenter", "admin")}
    p = psycopg.conninfo.conninfo_to_dict(urls["mentor"])
    mentor = f"postgresql://{p['user']}:{p['password']}@{p['host']}:{p['port']}/{p['dbname']}"
    code = cli.main(["report", "--store", mentor, "--area", "Poruba", "--month", "2024-06",
                     "--publish", "--no-progress"])  # fmt: skip
    assert code == 0
    plain = f"postgresql://{p['host']}:{p['port']}/{p['dbname']}"
    return {"owner": owner, "plain": plain, "gate": pg_server.gate_url(owner), **urls}


@pytest.fixture(scope="module")
def team_url(team: dict[str, str]) -> Iterator[str]:
    """``apk-geo dashboard --store postgresql://host:port/db`` (no credentials) on a free port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("APK_GEO_")}
    env["APK_GEO_GATE_URL"] = team["gate"]
    cmd = [sys.executable, "-m", "apk_geo.cli", "dashboard", "--store", team["plain"],
           "--port", str(port)]  # fmt: skip
    with serve(cmd, port=port, env=env, what="the dashboard") as url:
        yield url


def sign_in(w: Walk, url: str, user_url: str) -> None:
    page = w.page
    page.goto(url)
    settle(page)
    assert page.locator("h1").first.inner_text() == t("auth.title", "cs")
    page.get_by_label(t("auth.user", "cs"), exact=True).fill(name_of(user_url))
    page.get_by_label(t("auth.password", "cs"), exact=True).fill(password_of(user_url))
    w.shot("sign_in")
    page.get_by_role("button", name=t("auth.submit", "cs")).click()
    settle(page)


def audited(owner: str, action: str, who: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(owner) as conn:
        return conn.execute(
            "SELECT subject, details FROM apk.audit WHERE action = %s AND who = %s",
            [action, who],
        ).fetchall()


def test_a_presenter_sees_the_published_pack_and_an_admin_sees_the_sign_in(
    team: dict[str, str], team_url: str, tmp_path: Path
) -> None:
    presenter = name_of(team["presenter"])
    with walk("team_presenter") as w:
        page = w.page
        sign_in(w, team_url, team["presenter"])
        assert page.locator("h1").first.inner_text() == t("nav.mdt", "cs")
        assert page.get_by_test_id("stSidebarNav").count() == 0  # the MDT page alone
        assert page.locator("h2").first.inner_text() == "Poruba"
        frame = page.frame_locator('iframe[data-testid="stIFrame"]').first
        frame.locator("h1").first.wait_for(timeout=60_000)  # the published pack, drawn
        page.wait_for_timeout(1500)  # its map
        dom = dom_text(page)
        assert "Poruba" in frame.locator("body").inner_text()
        for secret in SECRETS:
            assert secret not in dom, f"{secret!r} is on the presenter's page"
        assert incident_points(page) == 0
        w.shot("published_pack")
        with page.expect_download() as got:
            page.get_by_role("button", name=reports.text("ui.download_html", "cs")).click()
        assert "Poruba" in got.value.path().read_text(encoding="utf-8")
        settle(page)
        w.shot("downloaded")
    assert w.foreign_requests() == []
    [(subject, details)] = audited(team["owner"], "download", presenter)
    assert subject == "pack Poruba 2024-06" and details["format"] == "html"
    assert audited(team["owner"], "read_incidents", presenter) == []

    with walk("team_admin", "desktop") as w:
        page = w.page
        sign_in(w, team_url, team["admin"])
        settle(page)
        # the audit log and the users are one page: the admin lands on it, with no menu to pick
        assert page.locator("h1").first.inner_text() == "Správa"
        assert page.get_by_test_id("stSidebarNav").count() == 0
        page.get_by_label("Uživatel", exact=True).first.fill(presenter)
        page.keyboard.press("Enter")
        settle(page)
        rows = grid_rows(page, 0)
        w.shot("audit_log")
        assert rows, "the audit table is empty"
        text = [" ".join(r) for r in rows]
        assert any("přihlášení" in r and presenter in r for r in text)  # actions in words
        assert any("stažení" in r and "podklady Poruba, červen 2024" in r for r in text)  # subject
        page.get_by_role("tab", name="Uživatelé").click()
        settle(page)
        w.shot("users")
        users = " ".join(" ".join(r) for r in grid_rows(page, 1))
        assert presenter in users and name_of(team["admin"]) in users
    assert w.foreign_requests() == []
