"""Signing in to a shared store: PostgreSQL checks the password, failures slow down and are audited.

The pure parts (idle time-out, access per role) need no server; the rest runs against the
session's own database.
"""

from __future__ import annotations

import psycopg
import pytest

from apk_geo import auth
from apk_geo.errors import ParameterError, StoreError

pytest_plugins = ["pgtest"]

# ------------------------------------------------------------------- no server needed


@pytest.mark.parametrize(
    ("idle_s", "timeout_s", "expired"),
    [(0, 1800, False), (1799.9, 1800, False), (1800, 1800, True), (61, 60, True)],
)
def test_idle_expiry_is_a_pure_function_of_two_clocks(
    idle_s: float, timeout_s: float, expired: bool
) -> None:
    assert auth.idle_expired(1000.0, 1000.0 + idle_s, timeout_s=timeout_s) is expired


def test_the_default_idle_timeout_is_30_minutes() -> None:
    assert auth.DEFAULT_IDLE_TIMEOUT_S == 1800
    assert not auth.idle_expired(0, 29 * 60) and auth.idle_expired(0, 30 * 60)
    with pytest.raises(ParameterError, match="timeout_s"):
        auth.idle_expired(0, 1, timeout_s=0)


def test_each_role_sees_only_its_pages_and_layers() -> None:
    presenter = auth.access_for("presenter")
    assert presenter.pages == ("presenter",) and presenter.layers == ()
    analyst = auth.access_for("analyst")
    assert "points" not in analyst.layers and "cells" in analyst.layers
    assert "routes" not in analyst.pages and not analyst.incident_detail
    mentor = auth.access_for("mentor")
    assert set(mentor.pages) >= {"map", "hotspots", "trends", "routes", "presenter", "data"}
    assert mentor.incident_detail and mentor.may_import and "points" in mentor.layers
    admin = auth.access_for("admin")
    assert admin.manage_users and admin.read_audit and "map" not in admin.pages
    assert "data" not in admin.pages  # the quarantine is refused to an administrator
    assert auth.access_for("stranger").pages == () and auth.access_for(None).layers == ()
    assert set(auth.LOCAL_ACCESS.pages) == set(auth.PAGES) - {"audit", "users"}
    assert all(set(a.pages) <= set(auth.PAGES) for a in auth.ACCESS.values())
    assert all(set(a.layers) <= set(auth.LAYERS) for a in auth.ACCESS.values())


def test_sign_in_strings_exist_in_both_languages() -> None:
    assert auth.text("auth.title") == "Přihlášení" and auth.text("auth.title", "en") == "Sign in"
    assert "12 s" in auth.text("auth.throttled", "cs", wait_s=12)


def test_the_gate_file_is_per_store(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(auth.ENV_GATE_FILE, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    one = auth.gate_file("postgresql://127.0.0.1:5433/apk_geo")
    assert one == tmp_path / "apk-geo" / "gate-127.0.0.1-5433-apk_geo.url"
    assert auth.gate_file("postgresql://127.0.0.1:5433/jina") != one
    monkeypatch.delenv(auth.ENV_GATE_URL, raising=False)
    with pytest.raises(StoreError, match="no sign-in gate"):
        auth.Gate.for_store("postgresql://127.0.0.1:5433/apk_geo")


# ---------------------------------------------------------------------- with the server


@pytest.fixture(scope="module")
def door(pg_server):  # type: ignore[no-untyped-def]
    owner = pg_server.database("auth")
    mentor = pg_server.user(owner, "eva", "mentor", areas=("Poruba",))
    from pgtest import PASSWORD

    parts = psycopg.conninfo.conninfo_to_dict(owner)
    parts.pop("user"), parts.pop("password")
    plain = psycopg.conninfo.make_conninfo("", **parts)  # the store without credentials
    return {
        "owner": owner,
        "plain": plain,
        "gate": auth.Gate(pg_server.gate_url(owner)),
        "user": psycopg.conninfo.conninfo_to_dict(mentor)["user"],
        "password": PASSWORD,
        "prefix": pg_server.prefix,
        "server": pg_server,
    }


def audit_rows(owner: str, subject: str) -> list[tuple]:
    with psycopg.connect(owner) as conn:
        return conn.execute(
            "SELECT action, who, details->>'failures', client FROM apk.audit "
            "WHERE subject = %s ORDER BY audit_id",
            [subject],
        ).fetchall()


@pytest.mark.postgis
def test_a_right_password_signs_in_as_the_users_own_role(door: dict) -> None:
    got = auth.sign_in(
        door["plain"],
        door["user"],
        door["password"],
        client="10.0.0.1",
        gate=door["gate"],
        reason="MDT Poruba",
        now=100.0,
    )
    assert got.ok and got.session is not None
    session = got.session
    assert (session.tier, session.areas, session.signed_in_at) == ("mentor", ("Poruba",), 100.0)
    assert session.access == auth.access_for("mentor")
    assert door["password"] not in repr(session)
    store = session.store()
    assert door["password"] not in store.location and store.location.startswith(
        f"postgresql://{door['user']}@"
    )
    store.incidents()  # runs as the user: RLS and grants apply
    with psycopg.connect(door["owner"]) as conn:
        who, reason, client = conn.execute(
            "SELECT who, reason, client FROM apk.audit WHERE action = 'read_incidents' "
            "ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()
    assert (who, reason, client) == (door["user"], "MDT Poruba", "10.0.0.1")
    assert ("signin", door["user"], None, "10.0.0.1") in audit_rows(door["owner"], door["user"])
    assert not session.expired(now=100.0 + 1799) and session.expired(now=100.0 + 1800)
    assert not session.touch(now=5000.0).expired(now=5000.0 + 60)
    auth.sign_out(session, timed_out=True)
    assert audit_rows(door["owner"], door["user"])[-1][:2] == ("timeout", door["user"])


@pytest.mark.postgis
def test_wrong_passwords_are_refused_slowed_down_and_audited(door: dict) -> None:
    user, client = door["user"], "10.0.0.66"
    waits = []
    for _ in range(3):
        with psycopg.connect(door["owner"]) as conn:  # let the next attempt through at once
            conn.execute("UPDATE apk.signin_failures SET blocked_until = now()")
        got = auth.sign_in(door["plain"], user, "wrong-password", client=client, gate=door["gate"])
        assert not got.ok and got.message == "auth.failed"
        waits.append(got.wait_s)
    assert waits == [1.0, 2.0, 4.0]  # doubled after each failure in a row
    # within the wait even the right password is refused, without trying it
    early = auth.sign_in(door["plain"], user, door["password"], client=client, gate=door["gate"])
    assert not early.ok and early.message == "auth.throttled" and 0 < early.wait_s <= 4
    # another client is not held up by these failures
    other = auth.sign_in(
        door["plain"], user, door["password"], client="10.0.0.2", gate=door["gate"]
    )
    assert other.ok
    mine = [r for r in audit_rows(door["owner"], user) if r[3] == client]
    assert [r[0] for r in mine] == [
        "signin_failed",
        "signin_failed",
        "signin_failed",
        "signin_throttled",
    ]
    assert [r[2] for r in mine[:3]] == ["1", "2", "3"]
    assert all(r[1].endswith("_gate") for r in mine)  # written by the gate, about the user
    # after the wait, the right password signs in and clears the count
    with psycopg.connect(door["owner"]) as conn:
        conn.execute("UPDATE apk.signin_failures SET blocked_until = now()")
    assert auth.sign_in(door["plain"], user, door["password"], client=client, gate=door["gate"]).ok
    with psycopg.connect(door["owner"]) as conn:
        left = conn.execute(
            "SELECT count(*) FROM apk.signin_failures WHERE username = %s AND client = %s",
            [user, client],
        ).fetchone()
    assert left == (0,)


@pytest.mark.postgis
def test_unknown_disabled_and_foreign_accounts_are_refused(door: dict) -> None:
    from apk_geo.db import disable_user

    gate = door["gate"]
    unknown = auth.sign_in(door["plain"], "nikdo", "some-password", client="c1", gate=gate)
    assert not unknown.ok and unknown.message == "auth.failed"
    name = door["server"].user(door["owner"], "zruseny", "analyst")
    user = psycopg.conninfo.conninfo_to_dict(name)["user"]
    disable_user(door["owner"], user, reason="left")
    gone = auth.sign_in(door["plain"], user, door["password"], client="c2", gate=gate)
    assert not gone.ok and gone.message == "auth.failed"
    malformed = auth.sign_in(door["plain"], "Robert'); DROP", "x", client="c3", gate=gate)
    assert not malformed.ok and malformed.message == "auth.failed"
    with psycopg.connect(door["owner"]) as conn:
        whys = conn.execute(
            "SELECT details->>'why' FROM apk.audit WHERE action = 'signin_failed' "
            "AND client IN ('c1', 'c2', 'c3') ORDER BY audit_id"
        ).fetchall()
    assert [w for (w,) in whys] == [
        "password authentication failed",
        "is not permitted to log in",
        "malformed",
    ]


@pytest.mark.postgis
def test_an_unreachable_server_is_an_error_not_a_failed_password(door: dict) -> None:
    from pgtest import url_for

    dead = url_for(door["plain"], port="1")
    with pytest.raises(StoreError, match="cannot reach the store"):
        auth.sign_in(dead, door["user"], door["password"], client="c", gate=door["gate"])
