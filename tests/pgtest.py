"""PostGIS test fixtures: databases and roles of the test session's own, dropped at its end.

``APK_GEO_TEST_PG_URL`` is the URL of a role that may create databases and roles (the
administrator ``scripts/postgis.sh`` prints; ``scripts/test.sh`` sets the variable). Without it
every PostGIS test is skipped with :data:`SKIP_REASON`; with it they always run.

A session gets a random role prefix (``apkt<hex>``): its group roles (``apkt<hex>_mentor`` …),
gate and users never clash with a deployment's ``apk_*`` roles, so a test user can never read
the real store. Databases are cloned from ``apk_geo_template`` (PostGIS installed), named
``apkt<hex>_<name>``, and dropped with the roles when the session ends. The ``apk_geo``
database is never touched.

Use it as a plugin (``pytest_plugins = ["pgtest"]`` in ``tests/conftest.py``, or ``-p pgtest``)
or import the fixtures into a test module.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import psycopg
import pytest
from psycopg import conninfo as _conninfo
from psycopg import sql

from apk_geo.db import add_user, init_database
from apk_geo.store import PostGISStore

ENV_URL: Final = "APK_GEO_TEST_PG_URL"
SKIP_REASON: Final = (
    f"{ENV_URL} is unset: the PostGIS tests need a server (scripts/test.sh starts one with "
    "scripts/postgis.sh and sets it)"
)
TEMPLATE: Final = "apk_geo_template"
PASSWORD: Final = "heslo-pro-testy-42"

#: Tables emptied between tests that share a database (the audit trail cannot be emptied).
_STORE_TABLES: Final = (
    "incidents",
    "incident_versions",
    "quarantine",
    "import_log",
    "metadata",
    "layers",
    "layer_features",
    "tombstones",
    "incident_aggregates",
    "retention_runs",
    "published_packs",
    "signin_failures",
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``postgis`` marker when loaded as a plugin."""
    config.addinivalue_line("markers", "postgis: tests that need a PostgreSQL/PostGIS server")


def url_for(url: str, **changes: str) -> str:
    """Return ``url`` with other connection parameters (``dbname``, ``user``, ``password``)."""
    return _conninfo.make_conninfo(url, **changes)


@dataclass
class PgServer:
    """The session's corner of the test server."""

    admin_url: str
    prefix: str
    databases: list[str] = field(default_factory=list)
    gate_password: str | None = None

    def database(self, name: str, *, init: bool = True) -> str:
        """Create the database ``<prefix>_<name>`` (initialised unless ``init`` is false)."""
        dbname = f"{self.prefix}_{name}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(dbname), sql.Identifier(TEMPLATE)
                )
            )
        self.databases.append(dbname)
        url = url_for(self.admin_url, dbname=dbname)
        if init:
            result = init_database(url, role_prefix=self.prefix)
            if result.gate_url is not None:  # the gate is one role for the whole session
                self.gate_password = _conninfo.conninfo_to_dict(result.gate_url)["password"]
        return url

    def gate_url(self, url: str) -> str:
        """Return the sign-in gate's URL for the store at ``url``."""
        assert self.gate_password is not None, "no store initialised yet"
        return url_for(url, user=f"{self.prefix}_gate", password=self.gate_password)

    def user(self, url: str, name: str, role: str, *, areas: tuple[str, ...] = ()) -> str:
        """Create the user ``<prefix>_<name>`` in ``role``; return its URL (password set)."""
        user = f"{self.prefix}_{name}"
        add_user(url, user, role=role, password=PASSWORD, areas=areas)
        return url_for(url, user=user, password=PASSWORD)

    def drop(self) -> None:
        """Drop the session's databases, then its roles."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for dbname in self.databases:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
            roles = conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY rolcanlogin DESC",
                [f"{self.prefix}\\_%"],
            ).fetchall()
            for (role,) in roles:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The test server's administrator URL (skips the test when it is not configured)."""
    url = os.environ.get(ENV_URL, "").strip()
    if not url:
        pytest.skip(SKIP_REASON)
    return url


@pytest.fixture(scope="session")
def pg_server(pg_admin_url: str) -> Iterator[PgServer]:
    """Databases and roles of this session (prefix ``apkt<hex>``), dropped at its end."""
    server = PgServer(pg_admin_url, prefix=f"apkt{secrets.token_hex(3)}")
    try:
        yield server
    finally:
        server.drop()


@pytest.fixture(scope="session")
def pg_store_url(pg_server: PgServer) -> str:
    """An initialised store database shared by the session (emptied by :func:`pg_store`)."""
    return pg_server.database("store")


def empty_store(url: str) -> None:
    """Empty every table of the store at ``url`` but the audit trail (as its owner)."""
    tables = sql.SQL(", ").join(sql.Identifier("apk", t) for t in _STORE_TABLES)
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY").format(tables))
        conn.execute("UPDATE apk.store_state SET version = 0")
        conn.execute("DELETE FROM apk.settings WHERE key IN ('retention_years', 'retention_mode')")


@pytest.fixture
def pg_store(pg_store_url: str) -> PostGISStore:
    """An empty PostGIS store (the session's, emptied), opened as its owner."""
    empty_store(pg_store_url)
    return PostGISStore(pg_store_url)


def rows(url: str, query: str, params: Any = None) -> list[tuple[Any, ...]]:
    """Return the rows of ``query`` run at ``url``."""
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()
