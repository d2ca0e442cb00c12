"""What only the PostGIS store does: URLs and passwords, SQL filters on indexes, import cost that
does not grow with the store, kill -9 at any moment of an import, and the schema's set-up."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
from psycopg import sql

from apk_geo.db import init_database, migrations
from apk_geo.errors import StoreError
from apk_geo.io import quarantine_frame
from apk_geo.store import PostGISStore, open_store
from apk_geo.store.postgis import _filters
from apk_geo.testing import assert_store_reconciles, make_incidents

pytest_plugins = ["pgtest"]
pytestmark = pytest.mark.postgis

HERE = Path(__file__).resolve().parent


def many(n: int, *, start: int = 0, note: str = "n") -> gpd.GeoDataFrame:
    """``n`` incidents over 12 months, 7 districts and 4 categories."""
    districts = [
        "Poruba",
        "Jih",
        "Vítkovice",
        "Slezská Ostrava",
        "Mariánské Hory",
        "Svinov",
        "Krásné Pole",
    ]
    rows = [
        {
            "id": str(start + i),
            "note": f"{note} {start + i}",
            "reported_at": pd.Timestamp("2025-01-01 08:00") + pd.Timedelta(hours=7 * i % 8700),
            "district_name": districts[i % 7],
            "mdt_area": districts[i % 7],
            "category": ("dogs", "noise", "alcohol", "other")[i % 4],
            "x_5514": -470_000.0 + (i % 97) * 30,
            "y_5514": -1_100_000.0 - (i % 89) * 30,
        }
        for i in range(n)
    ]
    return make_incidents(rows)


def importing(store: PostGISStore, frame: gpd.GeoDataFrame, *, file: str = "x.csv") -> dict:
    counts = store.apply_import(
        incidents=frame, quarantine=quarantine_frame([]), log={"source": "apk", "file": file}
    )
    return counts.as_dict()


# ------------------------------------------------------------------ URLs and set-up


def test_open_store_dispatches_on_the_url_and_never_shows_the_password(
    pg_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = psycopg.conninfo.conninfo_to_dict(pg_store_url)
    as_url = (
        f"postgresql://{url['user']}:{url['password']}@{url['host']}:{url['port']}/{url['dbname']}"
    )
    store = open_store(as_url)
    assert isinstance(store, PostGISStore)
    assert str(url["password"]) not in store.location + repr(store)
    assert (
        store.location == f"postgresql://{url['user']}@{url['host']}:{url['port']}/{url['dbname']}"
    )
    monkeypatch.setenv("APK_GEO_STORE", as_url)
    assert open_store().location == store.location
    monkeypatch.setenv("APK_GEO_STORE", "")
    with pytest.raises(StoreError, match="no store named"):
        open_store()


def test_a_database_without_the_schema_says_how_to_create_it(pg_server) -> None:  # type: ignore[no-untyped-def]
    bare = PostGISStore(pg_server.database("bare", init=False))
    assert not bare.exists()
    with pytest.raises(StoreError, match=r"no apk-geo store in this database.*apk-geo db init"):
        bare.incidents()


def test_init_is_idempotent_and_keeps_its_role_prefix(pg_store_url: str, pg_server) -> None:  # type: ignore[no-untyped-def]
    again = init_database(pg_store_url, role_prefix=pg_server.prefix)
    assert again.applied == () and again.gate_url is None
    with pytest.raises(StoreError, match=f"roles are named {pg_server.prefix}_\\*"):
        init_database(pg_store_url, role_prefix="jiny")
    with psycopg.connect(pg_store_url) as conn:
        done = [r[0] for r in conn.execute("SELECT version FROM apk.schema_migrations ORDER BY 1")]
    assert done == [m.version for m in migrations()]


# ------------------------------------------------------------------ SQL on indexes


@pytest.fixture(scope="module")
def big(pg_server) -> PostGISStore:  # type: ignore[no-untyped-def]
    store = PostGISStore(pg_server.database("big"))
    importing(store, many(20_000))
    with psycopg.connect(store._conninfo) as conn:
        conn.execute("ANALYZE apk.incidents")
    return store


def plan_of(store: PostGISStore, **filters: object) -> str:
    where, params = _filters(
        start=filters.get("start"),  # type: ignore[arg-type]
        end=filters.get("end"),  # type: ignore[arg-type]
        categories=filters.get("categories"),  # type: ignore[arg-type]
        districts=filters.get("districts"),  # type: ignore[arg-type]
        mdt_areas=filters.get("mdt_areas"),  # type: ignore[arg-type]
        geocoded_only=False,
    )
    with psycopg.connect(store._conninfo) as conn:
        rows = conn.execute(
            sql.SQL("EXPLAIN SELECT * FROM apk.incidents WHERE {}").format(where), params
        ).fetchall()
    return "\n".join(r[0] for r in rows)


@pytest.mark.slow
def test_filters_are_pushed_down_to_indexed_columns(big: PostGISStore) -> None:
    month = {"start": "2025-03-01", "end": "2025-04-01"}
    plans = {
        "month": plan_of(big, **month),
        "district month": plan_of(big, districts=["Poruba"], **month),
        "area month": plan_of(big, mdt_areas=["Jih"], **month),
        "category month": plan_of(big, categories=["dogs"], **month),
    }
    for name, plan in plans.items():
        assert "Seq Scan" not in plan and "Index" in plan, (name, plan)
    assert "incidents_district" in plans["district month"]
    assert "incidents_mdt_area" in plans["area month"]
    got = big.incidents(districts=["Poruba"], start="2025-03-01", end="2025-04-01")
    everything = big.incidents()
    expected = everything[
        everything["district_name"].eq("Poruba")
        & (everything["reported_at"] >= pd.Timestamp("2025-03-01", tz="Europe/Prague"))
        & (everything["reported_at"] < pd.Timestamp("2025-04-01", tz="Europe/Prague"))
    ]
    assert sorted(got["id"]) == sorted(expected["id"]) and len(got) > 0


@pytest.mark.slow
def test_an_import_reads_only_the_keys_it_brings(big: PostGISStore) -> None:
    """A 50-row import into 20 000 incidents must not scan the incidents table."""

    def scans() -> tuple[int, int]:
        with psycopg.connect(big._conninfo) as conn:
            row = conn.execute(
                "SELECT seq_scan, idx_scan FROM pg_stat_user_tables "
                "WHERE relid = 'apk.incidents'::regclass"
            ).fetchone()
        return int(row[0]), int(row[1])

    def settled() -> None:
        """Wait until the store's backend has exited (and so flushed its statistics)."""
        big.close()
        for _ in range(100):
            with psycopg.connect(big._conninfo) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = 'apk-geo'"
                ).fetchone()
            if row == (0,):
                return
            time.sleep(0.05)

    settled()
    before = scans()
    counts = importing(
        big, pd.concat([many(25, start=19_990), many(25, start=30_000)]).reset_index(drop=True)
    )
    assert (counts["accepted"], counts["updated"]) == (40, 10)  # 19990..19999 are stored
    settled()
    after = scans()
    assert after[0] == before[0], "the import scanned the whole incidents table"
    assert after[1] > before[1]


# -------------------------------------------------------------------------- kill -9

STEPS = ("staged", "written", "logged", "committing", "committed")

CHILD = """
import os, sys
sys.path.insert(0, {here!r})
import psycopg
from apk_geo.store import postgis
step, fd = os.environ["STEP"], int(os.environ["FD"])

def reached():
    os.write(fd, b"!")
    sys.stdin.buffer.read(1)
    os._exit(3)

def after(name):
    real = getattr(postgis, name)
    def wrapper(*a, **k):
        out = real(*a, **k)
        reached()
        return out
    setattr(postgis, name, wrapper)

real_commit = psycopg.Connection.commit
def commit(self):
    if step == "committing":
        reached()
    real_commit(self)
    if step == "committed":
        reached()
psycopg.Connection.commit = commit
{{"staged": "stage_import", "written": "write_import", "logged": "write_log"}}.get(step) and after(
    {{"staged": "stage_import", "written": "write_import", "logged": "write_log"}}[step]
)
from test_postgis_store import many, importing
importing(postgis.PostGISStore({url!r}), many(2000, start=100, note="nova"))
"""


def kill_at(url: str, step: str) -> bool:
    read_end, write_end = os.pipe()
    env = {**os.environ, "STEP": step, "FD": str(write_end)}
    code = CHILD.format(here=str(HERE), url=url)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, pass_fds=(write_end,), stdin=subprocess.PIPE
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 120)
        if ready and os.read(read_end, 1):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        proc.wait()
        return False
    finally:
        os.close(read_end)
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait()


@pytest.mark.slow
def test_a_writer_killed_at_any_step_leaves_the_store_before_or_after(
    pg_store: PostGISStore, pg_store_url: str
) -> None:
    importing(pg_store, many(200))
    before = sorted(pg_store.incidents()["id"])
    for step in STEPS:
        assert kill_at(pg_store_url, step), step
        ids = sorted(pg_store.incidents()["id"])
        if step == "committed":  # killed after the server committed: the new store
            assert len(ids) == 2100 and len(pg_store.import_log()) == 2
        else:  # anything earlier: the old one, and the lock went with the dead connection
            assert ids == before, step
            assert len(pg_store.import_log()) == 1, step
        assert_store_reconciles(pg_store)
    # a normal run afterwards completes: the records the killed runs brought are duplicates now
    counts = importing(pg_store, many(2000, start=100, note="nova"))
    assert (counts["accepted"], counts["duplicates"]) == (0, 2000)
    assert_store_reconciles(pg_store)
