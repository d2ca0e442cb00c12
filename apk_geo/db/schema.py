"""Create and upgrade a PostGIS store: the group roles, the sign-in gate and the SQL migrations.

The migrations are the SQL files shipped in ``apk_geo/db/sql/`` (``NNNN_name.sql``, applied in
order, each in its own transaction, recorded in ``apk.schema_migrations``). Role names in them are
placeholders (``{mentor}``) filled in from :class:`RoleNames`, so one PostgreSQL server can hold
several stores with their own roles (the tests use a prefix of their own; a deployment keeps the
default ``apk``: ``apk_presenter``, ``apk_analyst``, ``apk_mentor``, ``apk_admin``, ``apk_gate``).

Group roles are ``NOLOGIN``; a user is a ``LOGIN`` role (SCRAM-SHA-256) made a member of one
group by ``apk.user_add`` (:mod:`apk_geo.db.users`). The gate is the one login the dashboard
holds itself: it may only record failed sign-ins and ask how long a client must wait. The
auditor (``NOLOGIN``, no members) owns the audit trail, so that not even the store's owner may
change it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final
from urllib.parse import quote

import psycopg
from psycopg import conninfo as _conninfo
from psycopg import sql

from apk_geo.errors import ParameterError, StoreError
from apk_geo.store import _messages
from apk_geo.store.pg import IMPORT_LOCK, connect, display_location

__all__ = [
    "DEFAULT_ROLE_PREFIX",
    "TIERS",
    "InitResult",
    "Migration",
    "RoleNames",
    "applied_migrations",
    "init_database",
    "migrations",
    "scram_verifier",
]

#: The group tiers, from the least to the most trusted with incident data (admin is apart).
TIERS: Final = ("presenter", "analyst", "mentor", "admin")
#: Role prefix of a deployment (``apk_mentor`` …).
DEFAULT_ROLE_PREFIX: Final = "apk"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class RoleNames:
    """The PostgreSQL roles of one store: four groups and the sign-in gate."""

    prefix: str
    presenter: str
    analyst: str
    mentor: str
    admin: str
    gate: str
    auditor: str

    @classmethod
    def from_prefix(cls, prefix: str) -> RoleNames:
        """Return ``<prefix>_presenter`` … ``<prefix>_gate``.

        Raises
        ------
        ParameterError
            If ``prefix`` is not 1–31 lower-case letters, digits or ``_``, starting with a letter.
        """
        if not isinstance(prefix, str) or not _PREFIX.match(prefix):
            raise ParameterError(
                f"role prefix {prefix!r}: use 1 to 31 lower-case letters, digits or '_', "
                "starting with a letter (default 'apk')"
            )
        names = {t: f"{prefix}_{t}" for t in (*TIERS, "gate", "auditor")}
        return cls(prefix=prefix, **names)

    def groups(self) -> dict[str, str]:
        """Return tier → group role name."""
        return {t: getattr(self, t) for t in TIERS}


@dataclass(frozen=True)
class Migration:
    """One SQL file of ``apk_geo/db/sql``."""

    version: int
    name: str
    text: str


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_database` did.

    Attributes
    ----------
    database
        The store's URL without password.
    applied
        Names of the migrations applied now (empty when the store was up to date).
    roles
        The role names.
    gate_url
        The sign-in gate's URL with its new password when the gate was created (or its
        password reset) now; ``None`` otherwise. Keep it private (a 0600 file).
    """

    database: str
    applied: tuple[str, ...]
    roles: RoleNames
    gate_url: str | None


def migrations() -> list[Migration]:
    """Return the shipped migrations, oldest first."""
    found: list[Migration] = []
    for entry in resources.files("apk_geo.db").joinpath("sql").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def applied_migrations(conn: psycopg.Connection[Any]) -> set[int]:
    """Return the versions applied in the connected database (empty before the first)."""
    row = conn.execute("SELECT to_regclass('apk.schema_migrations') IS NOT NULL").fetchone()
    if not (row and row[0]):
        return set()
    return {int(r[0]) for r in conn.execute("SELECT version FROM apk.schema_migrations")}


def scram_verifier(conn: psycopg.Connection[Any], user: str, password: str) -> str:
    """Return the SCRAM-SHA-256 verifier of ``password`` (computed here, by libpq).

    The password itself never travels to the server, nor into its logs.
    """
    raw = conn.pgconn.encrypt_password(password.encode(), user.encode(), b"scram-sha-256")
    return raw.decode("ascii")


def init_database(
    url: str, *, role_prefix: str = DEFAULT_ROLE_PREFIX, reset_gate: bool = False
) -> InitResult:
    """Create (or upgrade) the store in the database of ``url``: roles, schema, policies.

    Idempotent: a second run applies nothing and keeps the gate's password (unless
    ``reset_gate``).

    Parameters
    ----------
    url
        The database, as its owner (``scripts/postgis.sh`` prints this URL); the role needs
        ``CREATEROLE``. PostGIS must be installed in the database (``CREATE EXTENSION postgis``
        needs a superuser; ``scripts/postgis.sh`` does it).
    role_prefix
        Prefix of the role names (default ``apk``); a store keeps the prefix it was created with.
    reset_gate
        Give the sign-in gate a new password (returned in :attr:`InitResult.gate_url`).

    Returns
    -------
    InitResult

    Raises
    ------
    ParameterError
        If ``role_prefix`` is not a valid name.
    StoreError
        If PostGIS is missing, the store was created with another prefix, or the role may not
        create roles or tables.
    """
    roles = RoleNames.from_prefix(role_prefix)
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("init")) as conn:
        _require_postgis(conn, where=where)
        _require_same_prefix(conn, roles, where=where)
        for name in (roles.presenter, roles.analyst, roles.mentor, roles.admin, roles.auditor):
            _ensure_role(conn, name, login=False)
        password = _ensure_gate(conn, roles.gate, reset=reset_gate)
    applied = _apply_migrations(url, roles, where=where)
    gate_url = None if password is None else _url_for(url, roles.gate, password)
    return InitResult(database=where, applied=tuple(applied), roles=roles, gate_url=gate_url)


def _apply_migrations(url: str, roles: RoleNames, *, where: str) -> list[str]:
    """Apply the pending migrations, each in its own transaction; return their names."""
    done: list[str] = []
    for migration in migrations():
        with connect(
            url, where=where, doing=_messages.doing("migration", name=migration.name)
        ) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            if migration.version in applied_migrations(conn):
                continue
            conn.execute(_render(migration.text, roles, conn))
            conn.execute(
                "INSERT INTO apk.schema_migrations (version, name) VALUES (%s, %s)",
                [migration.version, migration.name],
            )
            if _has_audit(conn):
                conn.execute(
                    "SELECT apk.audit_write('init', %s, jsonb_build_object('migration', %s), "
                    "NULL, NULL)",
                    [migration.name, migration.version],
                )
        done.append(migration.name)
    return done


def _render(text: str, roles: RoleNames, conn: psycopg.Connection[Any]) -> sql.Composed:
    """Fill the role, database and lock placeholders of a migration's SQL."""
    owner = conn.info.user
    names = {**roles.groups(), "gate": roles.gate, "auditor": roles.auditor, "owner": owner}
    values: dict[str, sql.Composable] = {k: sql.Identifier(v) for k, v in names.items()}
    values |= {f"{k}_l": sql.Literal(v) for k, v in names.items()}
    values["db"] = sql.Identifier(conn.info.dbname)
    values["import_lock"] = sql.Literal(IMPORT_LOCK)
    return sql.SQL(text).format(**values)  # type: ignore[arg-type]


def _has_audit(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regprocedure('apk.audit_write(text,text,jsonb,text,text)')")
    got = row.fetchone()
    return bool(got and got[0])


def _require_postgis(conn: psycopg.Connection[Any], *, where: str) -> None:
    row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
    if row is not None:
        return
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION postgis")
    except psycopg.Error as exc:
        raise StoreError(
            f"{where}: PostGIS is not installed in this database and this role cannot install "
            f"it ({exc.diag.message_primary}); as the postgres superuser run "
            "`CREATE EXTENSION postgis` in it (scripts/postgis.sh does)"
        ) from exc


def _require_same_prefix(conn: psycopg.Connection[Any], roles: RoleNames, *, where: str) -> None:
    """Refuse to re-initialise a store under another role prefix."""
    if not applied_migrations(conn):
        return
    row = conn.execute("SELECT value FROM apk.settings WHERE key = 'role.mentor'").fetchone()
    if row is not None and row[0] != roles.mentor:
        raise StoreError(
            f"{where}: this store's roles are named {str(row[0]).rsplit('_', 1)[0]}_*, not "
            f"{roles.prefix}_*; run again with --role-prefix {str(row[0]).rsplit('_', 1)[0]}"
        )


def _ensure_role(conn: psycopg.Connection[Any], name: str, *, login: bool) -> bool:
    """Create the role ``name`` if missing; return whether it was created."""
    row = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
    if row is not None:
        return False
    conn.execute(
        sql.SQL("CREATE ROLE {} {}").format(
            sql.Identifier(name), sql.SQL("LOGIN" if login else "NOLOGIN")
        )
    )
    return True


def _ensure_gate(conn: psycopg.Connection[Any], name: str, *, reset: bool) -> str | None:
    """Create the gate login (or reset its password); return the new password, if any."""
    created = _ensure_role(conn, name, login=True)
    if not created and not reset:
        return None
    password = secrets.token_urlsafe(24)
    conn.execute(
        sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(scram_verifier(conn, name, password))
        )
    )
    return password


def _url_for(url: str, user: str, password: str) -> str:
    """Return ``url``'s database as a URL for ``user`` with ``password``."""
    parts = _conninfo.conninfo_to_dict(url)
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    db = quote(str(parts.get("dbname") or ""))
    return f"postgresql://{quote(user)}:{quote(password, safe='')}@{host}{port}/{db}"
