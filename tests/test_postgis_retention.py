"""Retention: incidents past the period are anonymised or deleted, logged, and never come back."""

from __future__ import annotations

import hashlib
import json

import psycopg
import pytest

from apk_geo import cli
from apk_geo.db import run_retention, set_retention
from apk_geo.errors import ParameterError, StoreError
from apk_geo.io import quarantine_frame
from apk_geo.store import PostGISStore
from apk_geo.testing import assert_store_reconciles, make_incidents

pytest_plugins = ["pgtest"]
pytestmark = pytest.mark.postgis

OLD = ("o1", "o2", "o3")  # reported in 2015
NEW = ("n1", "n2")  # reported in 2026


def records(note: str = "pozn.") -> object:
    rows = [
        {
            "id": i,
            "note": f"{note} {i}",
            "assistant": "A3",
            "address": f"Ulice {i}",
            "reported_at": f"2015-03-0{k + 1} 10:00" if i in OLD else "2026-03-01 10:00",
            "category": "dogs",
            "mdt_area": "Poruba",
            "district_name": "Poruba",
            "x_5514": -470_010.0 - 40 * k,
            "y_5514": -1_100_020.0,
        }
        for k, i in enumerate((*OLD, *NEW))
    ]
    return make_incidents(rows)


@pytest.fixture
def store(pg_store: PostGISStore, pg_store_url: str) -> PostGISStore:
    pg_store.apply_import(
        incidents=records(),
        quarantine=quarantine_frame(
            [
                {
                    "source": "apk",
                    "file": "f",
                    "line": n,
                    "field": "x",
                    "value": "v",
                    "expected": "e",
                    "reason": f"r{n}",
                    "raw": "{}",
                }
                for n in (1, 2)
            ]
        ),
        log={"file": "a.csv"},
    )
    pg_store.apply_import(
        incidents=records("změna").iloc[[0]], quarantine=quarantine_frame([]), log={}
    )
    with psycopg.connect(pg_store_url) as conn:  # one quarantined row is from 2015
        conn.execute("UPDATE apk.quarantine SET imported_at = '2015-04-01' WHERE line = 1")
    return pg_store


def stored(url: str) -> dict[str, tuple]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, note, assistant, address, record_hash, x_5514, y_5514, category, "
            "mdt_area, anonymised_at IS NOT NULL FROM apk.incidents ORDER BY gid"
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_dry_run_counts_and_changes_nothing(store: PostGISStore, pg_store_url: str) -> None:
    before = (store.change_token(), stored(pg_store_url), len(store.versions()))
    got = run_retention(pg_store_url, older_than_years=5, dry_run=True, reason="zkouška")
    assert (got.incidents_anonymised, got.versions_deleted, got.quarantine_deleted) == (3, 1, 1)
    assert got.dry_run and got.mode == "anonymise" and got.cutoff.year <= 2021
    assert (store.change_token(), stored(pg_store_url), len(store.versions())) == before
    with psycopg.connect(pg_store_url) as conn:
        (details, reason) = conn.execute(
            "SELECT details, reason FROM apk.audit WHERE action = 'retention' "
            "ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()
    assert details["dry_run"] is True and details["incidents"] == 3 and reason == "zkouška"


def test_anonymising_keeps_what_packs_count_and_removes_the_person(
    store: PostGISStore, pg_store_url: str
) -> None:
    got = run_retention(pg_store_url, older_than_years=5)
    assert (got.incidents_anonymised, got.incidents_deleted) == (3, 0)
    rows = stored(pg_store_url)
    assert set(rows) == {f"retired:{hashlib.md5(i.encode()).hexdigest()}" for i in OLD} | set(NEW)
    for key, (note, assistant, address, rhash, x, y, category, area, anon) in rows.items():
        if key.startswith("retired:"):
            assert (note, assistant, address, rhash) == (None, None, None, None)
            assert (x - 125) % 250 == 0 and (y - 125) % 250 == 0 and anon
            assert (category, area) == ("dogs", "Poruba")  # what the packs count stays
        else:
            assert note.startswith("pozn.") and not anon
    assert len(store.versions()) == 0  # the replaced version of o1 held a note
    assert store.quarantine()["line"].tolist() == [2]
    assert len(store.incidents()) == 5 and store.reconcile().ok
    assert_store_reconciles(store)


def test_an_old_export_imported_again_brings_nothing_back(
    store: PostGISStore, pg_store_url: str
) -> None:
    run_retention(pg_store_url, older_than_years=5)
    counts = store.apply_import(incidents=records(), quarantine=quarantine_frame([]), log={})
    assert (counts.accepted, counts.updated, counts.duplicates) == (0, 0, 5)
    again = store.apply_import(
        incidents=records("jiná verze"), quarantine=quarantine_frame([]), log={}
    )
    assert (again.accepted, again.updated, again.duplicates) == (0, 2, 3)  # only the new ones
    assert not any(
        v[0] and "jiná" in v[0] and k.startswith("retired") for k, v in stored(pg_store_url).items()
    )
    assert_store_reconciles(store)


def test_deleting_keeps_the_counts_in_aggregates_and_the_books_balance(
    store: PostGISStore, pg_store_url: str
) -> None:
    got = run_retention(pg_store_url, older_than_years=5, mode="delete")
    assert (got.incidents_anonymised, got.incidents_deleted, got.versions_deleted) == (0, 3, 1)
    assert set(stored(pg_store_url)) == set(NEW)
    with psycopg.connect(pg_store_url) as conn:
        agg = conn.execute(
            "SELECT to_char(month, 'YYYY-MM'), category, mdt_area, sum(n)::int "
            "FROM apk.incident_aggregates GROUP BY 1, 2, 3"
        ).fetchall()
        runs = conn.execute("SELECT mode, incidents_deleted FROM apk.retention_runs").fetchall()
    assert agg == [("2015-03", "dogs", "Poruba", 3)] and runs == [("delete", 3)]
    books = store.reconcile()
    assert books.ok, books.problems
    assert (books.incidents, books.removed_incidents, books.removed_versions) == (2, 3, 1)
    assert_store_reconciles(store)
    again = store.apply_import(incidents=records(), quarantine=quarantine_frame([]), log={})
    assert again.accepted == 0 and store.reconcile().ok


def test_the_setting_is_used_and_only_admins_run_it(
    store: PostGISStore, pg_store_url: str, pg_server
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError, match="no retention period"):
        run_retention(pg_store_url)
    with pytest.raises(ParameterError, match="1 to 100 years"):
        set_retention(pg_store_url, years=0)
    set_retention(pg_store_url, years=8, mode="delete")
    got = run_retention(pg_store_url, dry_run=True)
    assert (got.years, got.mode) == (8, "delete")
    analyst = pg_server.user(pg_store_url, f"ret{id(store) % 10000}", "analyst")
    with pytest.raises(StoreError, match="permission denied for function run_retention"):
        run_retention(analyst, older_than_years=5)


def test_cli_retention(
    store: PostGISStore, pg_store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["db", "retention", "--url", pg_store_url, "--older-than-years", "5", "--json"]
    assert cli.main([*args, "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["incidents_anonymised"] == 3 and dry["dry_run"] is True
    assert cli.main(args) == 0
    assert json.loads(capsys.readouterr().out)["incidents_anonymised"] == 3
    assert cli.main(args) == 0  # nothing left to do
    assert json.loads(capsys.readouterr().out)["incidents_anonymised"] == 0
