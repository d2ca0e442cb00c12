"""Every action the issue lists leaves its audit row; ``apk-geo audit`` lists and filters them.

:data:`apk_geo.db.audit.AUDIT_ACTIONS` is the audit table's CHECK list, read from the shipped SQL
(no server needed) and from a live database's constraint.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from apk_geo import auth, cli
from apk_geo.db import (
    add_user,
    disable_user,
    enable_user,
    migrate_geopackage,
    migrations,
    publish_pack,
    read_audit,
    run_retention,
    set_areas,
    set_retention,
)
from apk_geo.db.audit import AUDIT_ACTIONS
from apk_geo.io import quarantine_frame
from apk_geo.store import GeoPackageStore, PostGISStore
from apk_geo.testing import make_incidents

pytest_plugins = ["pgtest"]
postgis = pytest.mark.postgis

#: ``CREATE TABLE apk.audit (…`` up to the ``action`` column's ``CHECK (action IN (…))``.
_AUDIT_CHECK = re.compile(
    r"CREATE\s+TABLE\s+apk\.audit\s*\((?:(?!CREATE\s).)*?"
    r"\baction\s+text\b[^,]*?CHECK\s*\(\s*action\s+IN\s*\(([^)]*)\)",
    re.IGNORECASE | re.DOTALL,
)
#: Any later statement that would change the audit table's actions.
_ALTER_AUDIT = re.compile(r"ALTER\s+TABLE\s+(?:ONLY\s+)?apk\.audit\b", re.IGNORECASE)


def sql_files() -> dict[str, str]:
    """Return the shipped migrations, name -> text, in the order they are applied."""
    folder = resources.files("apk_geo.db").joinpath("sql")
    files = {
        f.name: f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".sql")
    }
    return dict(sorted(files.items()))


def check_list(text: str) -> tuple[str, ...] | None:
    """Return the quoted actions of the audit table's CHECK in ``text`` (``None``: no table)."""
    text = re.sub(r"--[^\n]*", "", text)  # comments may mention the table
    found = _AUDIT_CHECK.findall(text)
    if not found:
        return None
    if len(found) > 1:
        raise ValueError(f"apk.audit is created {len(found)} times")
    return tuple(re.findall(r"'([^']*)'", found[0]))


def test_check_list_parser_reads_a_hand_written_table() -> None:
    text = """-- CREATE TABLE apk.audit (action text CHECK (action IN ('comment')))
        CREATE TABLE apk.other (action text NOT NULL CHECK (action IN ('x')));
        CREATE TABLE apk.audit (
            audit_id bigint PRIMARY KEY,
            action text NOT NULL CHECK (action IN (
                'a', 'b_c',
                'd')),
            subject text
        );"""
    assert check_list(text) == ("a", "b_c", "d")
    assert check_list("CREATE TABLE apk.other (action text CHECK (action IN ('x')));") is None


def test_audit_actions_are_the_check_list_of_the_sql() -> None:
    files = sql_files()
    lists = {name: found for name, text in files.items() if (found := check_list(text)) is not None}
    assert len(lists) == 1, f"apk.audit should be created by one migration, found {list(lists)}"
    ((created, actions),) = lists.items()
    assert actions == AUDIT_ACTIONS
    assert len(set(AUDIT_ACTIONS)) == len(AUDIT_ACTIONS)
    # a later migration that altered the table would have to change AUDIT_ACTIONS too
    later = [name for name in files if name > created]
    assert later and [name for name in later if _ALTER_AUDIT.search(files[name])] == []


@postgis
def test_audit_actions_are_the_check_of_a_live_database(world: dict) -> None:
    with psycopg.connect(world["owner"]) as conn:
        rows = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'apk.audit'::regclass AND contype = 'c' "
            "AND pg_get_constraintdef(oid) LIKE '%%action%%'"
        ).fetchall()
        assert len(rows) == 1
        assert tuple(re.findall(r"'([^']*)'", rows[0][0])) == AUDIT_ACTIONS
        bad = "not_an_action"
        assert bad not in AUDIT_ACTIONS
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("SELECT apk.audit_write(%s, NULL, NULL, NULL, NULL)", [bad])


@pytest.fixture(scope="module")
def world(pg_server):  # type: ignore[no-untyped-def]
    owner = pg_server.database("audit")
    mentor = pg_server.user(owner, "marta", "mentor")
    admin = pg_server.user(owner, "adela", "admin")
    return {"owner": owner, "mentor": mentor, "admin": admin, "server": pg_server}


def last(owner: str, action: str) -> dict:
    with psycopg.connect(owner) as conn:
        row = conn.execute(
            "SELECT who, subject, details, reason, client FROM apk.audit WHERE action = %s "
            "ORDER BY audit_id DESC LIMIT 1",
            [action],
        ).fetchone()
    assert row is not None, f"no audit row for {action!r}"
    return dict(zip(("who", "subject", "details", "reason", "client"), row, strict=True))


def user_of(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["user"])


@postgis
def test_every_action_leaves_its_audit_row(world: dict, tmp_path: Path) -> None:
    owner, mentor, admin = world["owner"], world["mentor"], world["admin"]
    store = PostGISStore(mentor, reason="příprava MDT", client="10.1.1.1")
    incidents = make_incidents([{"id": "1", "note": "n"}, {"id": "2", "note": "m"}])
    counts = store.apply_import(
        incidents=incidents, quarantine=quarantine_frame([]), log={"file": "e.csv"}
    )
    row = last(owner, "import")
    assert row["who"] == user_of(mentor) and row["subject"] == "e.csv"
    assert {k: row["details"][k] for k in counts.as_dict()} == counts.as_dict()
    assert row["reason"] == "příprava MDT" and row["client"] == "10.1.1.1"

    store.incidents(categories=["other"])
    assert last(owner, "read_incidents")["details"]["filters"] == {"categories": ["other"]}
    store.versions()
    assert last(owner, "read_versions")["who"] == user_of(mentor)
    store.quarantine()
    assert last(owner, "read_quarantine")["details"] == {"rows": 0}
    store.write_layers({}, metadata={"k": "v"})
    assert last(owner, "layers")["details"]["metadata"] == ["k"]

    for action in ("export", "download", "route", "page_view"):
        store.audit(action, subject="x", details={"rows": 3}, reason="kontrola")
        assert last(owner, action) | {"details": None} == {
            "who": user_of(mentor),
            "subject": "x",
            "details": None,
            "reason": "kontrola",
            "client": "10.1.1.1",
        }
    publish_pack(mentor, area="Poruba", month="2026-10", html="<p/>")
    assert last(owner, "pack")["subject"] == "Poruba 2026-10"

    name = f"{world['server'].prefix}_novy"
    add_user(admin, name, role="analyst", password="dlouhe-heslo-1", reason="nástup")
    assert last(owner, "user_add") | {"details": None} == {
        "who": user_of(admin),
        "subject": name,
        "details": None,
        "reason": "nástup",
        "client": None,
    }
    set_areas(admin, name, ["Jih"])
    assert last(owner, "user_areas")["details"] == {"areas": ["Jih"]}
    disable_user(admin, name, reason="odchod")
    assert last(owner, "user_disable")["reason"] == "odchod"
    enable_user(admin, name)
    assert last(owner, "user_enable")["subject"] == name

    set_retention(admin, years=5)
    assert last(owner, "settings")["subject"] == "retention_mode"
    run_retention(admin)
    assert last(owner, "retention")["details"]["years"] == 5

    gpkg = GeoPackageStore(tmp_path / "s.gpkg")
    gpkg.apply_import(incidents=incidents, quarantine=quarantine_frame([]), log={})
    target = world["server"].database("audit_migrate")
    migrate_geopackage(gpkg.path, target)
    assert last(target, "migrate")["details"]["incidents"] == 2
    assert last(target, "init")["subject"] == migrations()[-1].name  # the newest one


@postgis
def test_sign_in_sign_out_and_failures_are_audited(world: dict) -> None:
    owner, server = world["owner"], world["server"]
    gate = auth.Gate(server.gate_url(owner))
    parts = psycopg.conninfo.conninfo_to_dict(world["mentor"])
    user, password = str(parts.pop("user")), str(parts.pop("password"))
    plain = psycopg.conninfo.make_conninfo("", **parts)
    assert not auth.sign_in(plain, user, "špatné-heslo", client="9.9.9.9", gate=gate).ok
    assert last(owner, "signin_failed")["subject"] == user
    throttled = auth.sign_in(plain, user, password, client="9.9.9.9", gate=gate)
    assert throttled.message == "auth.throttled"
    assert last(owner, "signin_throttled")["client"] == "9.9.9.9"
    session = auth.sign_in(plain, user, password, client="9.9.9.8", gate=gate).session
    assert session is not None and last(owner, "signin")["who"] == user
    auth.sign_out(session)
    assert last(owner, "signout")["who"] == user


@postgis
def test_read_audit_filters_by_user_time_and_action(world: dict) -> None:
    owner, mentor = world["owner"], world["mentor"]
    PostGISStore(mentor).audit("export", subject="filtr.csv")
    rows = read_audit(world["admin"], user=user_of(mentor), action="export")
    assert len(rows) >= 1 and set(rows["who"]) == {user_of(mentor)}
    assert rows["at"].is_monotonic_decreasing and str(rows["at"].dt.tz) == "Europe/Prague"
    future = read_audit(owner, since=pd.Timestamp.now() + pd.Timedelta(days=1))
    assert len(future) == 0
    assert len(read_audit(owner, limit=2)) == 2


@postgis
def test_cli_audit(world: dict, capsys: pytest.CaptureFixture[str]) -> None:
    mentor = world["mentor"]
    PostGISStore(mentor).audit("route", subject="routes.week", details={"teams": 2})
    PostGISStore(mentor).audit("download", subject="balík.pdf")  # the newest
    today = pd.Timestamp.now().strftime("%Y-%m-%d")
    args = ["audit", "--url", world["admin"], "--user", user_of(mentor), "--since", today]
    assert cli.main([*args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["action"] == "download" and rows[0]["subject"] == "balík.pdf"
    assert all(r["who"] == user_of(mentor) or r["subject"] == user_of(mentor) for r in rows)
    assert cli.main(args) == 0
    czech = capsys.readouterr().out  # in words, as the administrator's page shows them
    assert re.match(r"\d+ záznam(y|ů)? auditu, od nejnovějšího:", czech), czech
    assert "stažení" in czech and "balík.pdf" in czech and "download" not in czech
    assert "týdenní plán  " in czech, czech
    assert cli.main(["--lang", "en", *args]) == 0
    english = capsys.readouterr().out
    assert "audit rows, newest first:" in english and "download" in english, english
    assert "week plan" in english, english
    assert cli.main(["audit", "--url", mentor]) == 2  # a mentor may not read it
    assert "permission denied for table audit" in capsys.readouterr().err


def test_every_audit_action_reads_as_words_in_both_languages() -> None:
    """The administrator's audit log shows actions as words (app_pages/admin.py)."""
    from apk_geo.i18n import STRINGS

    for action in AUDIT_ACTIONS:
        cs, en = STRINGS[f"admin.act.{action}"]
        assert cs and en and "_" not in cs + en, action
    assert {k for k in STRINGS if k.startswith("admin.act.")} == {
        f"admin.act.{a}" for a in AUDIT_ACTIONS
    }


@pytest.mark.parametrize(
    ("details", "lang", "expected"),
    [
        ('{"page": "presenter", "format": "html", "pack_id": 1}', "cs",
         "stránka: presenter; formát: html; podklady č.: 1"),
        ('{"rows": 1234, "filters": {"districts": ["Poruba", "Jih"], "geocoded_only": true}}',
         "cs", "řádků: 1\u00a0234; filtry: (městské obvody: Poruba, Jih; jen s polohou: ano)"),
        ('{"rows": 1234, "filters": {"districts": ["Poruba"]}}', "en",
         "rows: 1,234; filters: (city districts: Poruba)"),
        ('{"role": "presenter", "areas": []}', "cs", "role: prezentující; oblasti: vše"),
        ('{"tier": "admin"}', "en", "tier: administrator"),
        ('{"wait_s": 2.5, "unknown_key": null}', "cs", "čekání (s): 2,5; unknown_key: –"),
        ("not json", "cs", "not json"),
        ("[1, 2]", "cs", "1, 2"),
    ],
)  # fmt: skip
def test_details_read_in_words(details: str, lang: str, expected: str) -> None:
    from apk_geo.db.audit import details_text

    assert details_text(details, lang) == expected


@pytest.mark.parametrize(
    ("subject", "lang", "expected"),
    [
        ("routes.week", "cs", "týdenní plán"),
        ("routes.route", "en", "patrol route"),
        ("data.quarantine", "cs", "karanténa (stránka Data)"),
        ("quarantine.xlsx", "cs", "karanténa (XLSX)"),
        ("pack Poruba 2024-06", "cs", "podklady Poruba, červen 2024"),
        ("pack Moravská Ostrava a Přívoz 2026-11", "en",
         "pack Moravská Ostrava a Přívoz, November 2026"),
        ("hotspots_kde_table.csv", "cs", "tabulka ohnisek: Jádrový odhad hustoty (KDE) (CSV)"),
        ("hotspots_synthetic_gistar_table.xlsx", "en",
         "hotspot table: Getis-Ord Gi* on a grid, synthetic data (XLSX)"),
        ("hotspots_nosuch_table.csv", "cs", "hotspots_nosuch_table.csv"),  # unknown: as stored
        ("mentor1", "cs", "mentor1"),  # a user name
        ("/tmp/out.gpkg", "cs", "/tmp/out.gpkg"),  # a file the command line wrote
        ("Poruba 2024-06", "cs", "Poruba 2024-06"),  # the command line's pack subject
        (None, "cs", ""),
        (float("nan"), "cs", ""),  # a row without a subject, as the audit frame holds it
    ],
)  # fmt: skip
def test_subjects_read_in_words(subject: object, lang: str, expected: str) -> None:
    from apk_geo.db.audit import subject_text

    assert subject_text(subject, lang) == expected
