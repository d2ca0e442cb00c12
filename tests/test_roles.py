"""Roles are enforced by PostgreSQL: each role connects with psycopg and is refused by the server.

One database for the module: an owner imports incidents of two MDT areas (with notes, exact
points, a quarantined row holding raw cells, a replaced version) and a published pack; then
presenter, analyst, mentor and admin users — and users limited to one area — connect as
themselves. Every forbidden read must fail in PostgreSQL itself ("permission denied"), not in
apk-geo.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from apk_geo.db import publish_pack
from apk_geo.errors import StoreError
from apk_geo.io import quarantine_frame
from apk_geo.messages import error_text
from apk_geo.store import PostGISStore
from apk_geo.testing import make_incidents

pytest_plugins = ["pgtest"]
pytestmark = pytest.mark.postgis

DENIED = "permission denied"


@dataclass(frozen=True)
class Team:
    owner: str
    presenter: str
    analyst: str
    analyst_poruba: str
    mentor: str
    mentor_jih: str
    admin: str
    gate: str


def _data() -> tuple:
    rows = [
        {
            "id": f"PČR-{i}",
            "note": f"tajná poznámka {i}",
            "assistant": "A07",
            "address": f"Hlavní {i}",
            "mdt_area": "Poruba" if i <= 4 else "Jih",
            "district_name": "Poruba" if i <= 4 else "Jih",
            "category": "dogs" if i % 2 else "noise",
            "x_5514": -470_000.0 + 37 * i,
            "y_5514": -1_100_000.0 - 11 * i,
            "reported_at": f"2026-10-{i:02d} 10:00",
        }
        for i in range(1, 9)
    ]
    quarantine = quarantine_frame(
        [
            {
                "source": "apk",
                "file": "f.csv",
                "line": 7,
                "field": "datum",
                "value": "32.13.2026",
                "expected": "a date",
                "reason": "datum: got '32.13.2026'",
                "raw": '{"Poznámka": "rodné číslo 1234"}',
            }
        ]
    )
    return make_incidents(rows), quarantine


@pytest.fixture(scope="module")
def team(pg_server) -> Team:  # type: ignore[no-untyped-def]
    owner = pg_server.database("roles")
    store = PostGISStore(owner)
    incidents, quarantine = _data()
    store.apply_import(incidents=incidents, quarantine=quarantine, log={"file": "a.csv"})
    changed = incidents.iloc[:1].assign(note="nová verze", record_hash="changed")
    store.apply_import(incidents=changed, quarantine=quarantine_frame([]), log={"file": "b.csv"})
    publish_pack(owner, area="Poruba", month="2026-10", html="<p>Poruba</p>")
    publish_pack(owner, area="Jih", month="2026-10", html="<p>Jih</p>")
    publish_pack(owner, area="Poruba", month="2026-10", html="<p>interní</p>", tier="internal")
    gate = psycopg.connect(owner).execute("SELECT value FROM apk.settings WHERE key = 'role.gate'")
    return Team(
        owner=owner,
        presenter=pg_server.user(owner, "pres", "presenter"),
        analyst=pg_server.user(owner, "anal", "analyst"),
        analyst_poruba=pg_server.user(owner, "anpo", "analyst", areas=("Poruba",)),
        mentor=pg_server.user(owner, "ment", "mentor"),
        mentor_jih=pg_server.user(owner, "mjih", "mentor", areas=("Jih",)),
        admin=pg_server.user(owner, "admi", "admin"),
        gate=str(gate.fetchone()[0]),  # type: ignore[index]
    )


@pytest.fixture
def connect() -> Iterator:  # type: ignore[type-arg]
    opened: list[psycopg.Connection] = []

    def open_(url: str) -> psycopg.Connection:
        conn = psycopg.connect(url, autocommit=True)
        opened.append(conn)
        return conn

    yield open_
    for conn in opened:
        conn.close()


def refused(conn: psycopg.Connection, query: str) -> str:
    """Run ``query``; return the server's error message (the test fails if it succeeds)."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as err:
        conn.execute(query)
    return str(err.value)


def values(conn: psycopg.Connection, query: str) -> list:
    return [r[0] if len(r) == 1 else r for r in conn.execute(query).fetchall()]


# ------------------------------------------------------------------------------ presenter


def test_a_presenter_cannot_read_incidents_quarantine_or_versions(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    conn = connect(team.presenter)
    assert "permission denied for table incidents" in refused(conn, "SELECT * FROM apk.incidents")
    for relation in (
        "apk.quarantine",
        "apk.incident_versions",
        "apk.incidents_cells",
        "apk.quarantine_reasons",
        "apk.import_log",
        "apk.audit",
        "apk.users",
    ):
        assert DENIED in refused(conn, f"SELECT count(*) FROM {relation}"), relation
    assert DENIED in refused(conn, "SELECT * FROM apk.store_totals()")


def test_a_presenter_reads_only_published_presenter_packs_and_suppressed_counts(
    team: Team,
    connect,  # type: ignore[no-untyped-def]
) -> None:
    conn = connect(team.presenter)
    packs = values(conn, "SELECT area, tier FROM apk.published_packs ORDER BY area")
    assert packs == [("Jih", "presenter"), ("Poruba", "presenter")]  # not the internal one
    counts = values(
        conn,
        "SELECT mdt_area, category, n, suppressed FROM apk.presenter_counts ORDER BY 1, 2",
    )
    # Poruba: ids 1, 3 dogs (2), 2, 4 noise (2); Jih: 5, 7 dogs, 6, 8 noise — all under 3
    assert counts == [
        ("Jih", "dogs", None, True),
        ("Jih", "noise", None, True),
        ("Poruba", "dogs", None, True),
        ("Poruba", "noise", None, True),
    ]


def test_the_presenter_store_gets_permission_denied_from_the_server(team: Team) -> None:
    store = PostGISStore(team.presenter)
    with pytest.raises(StoreError, match="permission denied for table incidents"):
        store.incidents()
    with pytest.raises(StoreError, match="permission denied for table quarantine"):
        store.quarantine()
    with pytest.raises(StoreError, match="permission denied for table incident_versions"):
        store.versions()
    assert store.layer_names() == []  # context layers (public geography) are readable


# -------------------------------------------------------------------------------- analyst


def test_an_analyst_cannot_read_notes_addresses_or_raw_values(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    conn = connect(team.analyst)
    for column in ("note", "assistant", "address", "x_5514", "*"):
        query = f"SELECT {column} FROM apk.incidents"
        assert "permission denied for table incidents" in refused(conn, query), column
    assert DENIED in refused(conn, "SELECT raw FROM apk.quarantine")
    assert DENIED in refused(conn, "SELECT note FROM apk.incident_versions")
    assert DENIED in refused(conn, "INSERT INTO apk.incidents (source, id) VALUES ('x', 'y')")
    assert DENIED in refused(conn, "SELECT * FROM apk.audit")


def test_an_analyst_sees_cells_and_districts_only(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    conn = connect(team.analyst)
    rows = conn.execute(
        "SELECT id, note, assistant, address, record_hash, ruian_adm, x_5514, y_5514, "
        "district_name FROM apk.incidents_cells ORDER BY gid"
    ).fetchall()
    assert len(rows) == 8
    assert {r[1:6] for r in rows} == {(None, None, None, None, None)}
    assert [r[0] for r in rows] == [str(i) for i in range(1, 9)]  # row numbers, not PČR-…
    for r in rows:  # the centre of a 250 m cell, not the point
        assert (r[6] - 125) % 250 == 0 and (r[7] - 125) % 250 == 0
    assert values(conn, "SELECT count(*) FROM apk.quarantine_reasons WHERE raw IS NULL") == [1]
    assert values(conn, "SELECT value, reason FROM apk.quarantine_reasons") == [(None, None)]


def test_the_analyst_store_returns_cells_without_personal_details(team: Team) -> None:
    store = PostGISStore(team.analyst)
    gdf = store.incidents()
    assert len(gdf) == 8 and gdf.attrs["params"]["relation"] == "apk.incidents_cells"
    for column in ("note", "assistant", "address", "record_hash", "geocode_reason"):
        assert gdf[column].isna().all(), column
    assert ((gdf.geometry.x + 125) % 250 == 0).all()
    assert not gdf["id"].str.startswith("PČR").any()  # row numbers stand in for the ids
    q = store.quarantine()
    assert q["raw"].isna().all() and q["value"].isna().all() and q["field"].tolist() == ["datum"]
    assert store.summary()["incidents"] == 8 and store.reconcile().ok
    with pytest.raises(StoreError, match="permission denied"):
        store.versions()


def test_row_level_security_limits_a_user_to_their_areas(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    analyst = connect(team.analyst_poruba)
    assert values(analyst, "SELECT DISTINCT mdt_area FROM apk.incidents_cells") == ["Poruba"]
    assert values(analyst, "SELECT count(*) FROM apk.quarantine_reasons") == [0]
    assert values(analyst, "SELECT DISTINCT area FROM apk.published_packs") == ["Poruba"]
    mentor = connect(team.mentor_jih)
    assert values(mentor, "SELECT DISTINCT mdt_area FROM apk.incidents") == ["Jih"]
    assert values(mentor, "SELECT count(*) FROM apk.incidents WHERE mdt_area = 'Poruba'") == [0]
    assert values(mentor, "SELECT count(*) FROM apk.quarantine") == [0]
    assert values(mentor, "SELECT count(*) FROM apk.incident_versions") == [0]  # id 1: Poruba
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        mentor.execute(
            "INSERT INTO apk.incidents (source, id, mdt_area) VALUES ('apk', 'x', 'Jih')"
        )
    limited = PostGISStore(team.mentor_jih)
    assert set(limited.incidents()["mdt_area"]) == {"Jih"}
    incidents, _ = _data()
    with pytest.raises(StoreError, match="limited to the MDT areas Jih and may not import") as e:
        limited.apply_import(incidents=incidents, quarantine=quarantine_frame([]), log={})
    czech = error_text(e.value, "cs")
    assert czech.startswith(f"{e.value.args[0].fields['where']}: uživatel „"), czech
    assert czech.endswith(
        "“ smí jen do oblastí MDT Jih, a proto nesmí importovat; import dělá mentor pro všechny "
        "oblasti"
    ), czech


# -------------------------------------------------------------------------------- mentor


def test_a_mentor_reads_everything_about_incidents(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    conn = connect(team.mentor)
    assert values(conn, "SELECT count(*) FROM apk.incidents WHERE note LIKE 'tajná%'") == [7]
    assert values(conn, "SELECT note FROM apk.incident_versions") == ["tajná poznámka 1"]
    assert values(conn, "SELECT raw FROM apk.quarantine") == ['{"Poznámka": "rodné číslo 1234"}']
    assert DENIED in refused(conn, "SELECT * FROM apk.audit")
    assert DENIED in refused(conn, "SELECT * FROM apk.users")
    assert DENIED in refused(conn, "DELETE FROM apk.incidents")
    store = PostGISStore(team.mentor)
    assert store.incidents()["note"].str.startswith(("tajná", "nová")).all()


# --------------------------------------------------------------------------------- admin


def test_an_admin_manages_users_and_reads_the_audit_but_not_incidents(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    conn = connect(team.admin)
    assert DENIED in refused(conn, "SELECT * FROM apk.incidents")
    assert DENIED in refused(conn, "SELECT * FROM apk.incidents_cells")
    assert DENIED in refused(conn, "SELECT raw FROM apk.quarantine")
    assert values(conn, "SELECT count(*) > 0 FROM apk.audit") == [True]
    assert len(values(conn, "SELECT username FROM apk.users")) == 6
    with pytest.raises(StoreError, match="permission denied for table incidents"):
        PostGISStore(team.admin).incidents()


# ----------------------------------------------------------------- audit and the gate


def test_no_role_may_alter_the_audit_trail(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    for url in (team.presenter, team.analyst, team.mentor, team.admin, team.owner):
        conn = connect(url)
        for query in (
            "UPDATE apk.audit SET who = 'nobody'",
            "DELETE FROM apk.audit",
            "TRUNCATE apk.audit",
            "INSERT INTO apk.audit (who, action, details) VALUES ('x', 'export', '{}')",
        ):
            assert DENIED in refused(conn, query), (url.split("user=")[-1][:20], query)


def test_audit_rows_name_the_connected_user_whatever_the_caller_says(team: Team, connect) -> None:  # type: ignore[no-untyped-def]
    conn = connect(team.analyst)
    row = conn.execute(
        "SELECT apk.audit_write('export', 'x.csv', '{\"who\": \"someone else\"}', 'test', NULL)"
    ).fetchone()
    admin = connect(team.admin)
    who = admin.execute("SELECT who FROM apk.audit WHERE audit_id = %s", [row[0]]).fetchone()
    assert who[0].endswith("_anal")


def test_the_gate_may_only_record_sign_in_failures(team: Team, connect, pg_server) -> None:  # type: ignore[no-untyped-def]
    gate = connect(pg_server.gate_url(team.owner))
    assert gate.execute("SELECT apk.signin_wait('nobody', 'test')").fetchone() == (0.0,)
    for query in (
        "SELECT * FROM apk.incidents",
        "SELECT * FROM apk.settings",
        "SELECT * FROM apk.audit",
        "SELECT apk.audit_write('export', NULL, '{}', NULL, NULL)",
    ):
        assert DENIED in refused(gate, query), query


def test_a_login_role_of_no_group_cannot_even_connect(team: Team, pg_server) -> None:  # type: ignore[no-untyped-def]
    from pgtest import url_for

    name = f"{pg_server.prefix}_outsider"
    with psycopg.connect(team.owner, autocommit=True) as owner:
        owner.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD 'outsider-password'")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(url_for(team.owner, user=name, password="outsider-password"))
