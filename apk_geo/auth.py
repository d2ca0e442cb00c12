"""Signing in to a shared (PostGIS) store: who the user is, what they may see, for how long.

Signing in **is** connecting to PostgreSQL as the user's own login role with the password they
typed (SCRAM-SHA-256): no password is checked or stored by apk-geo, and whatever the dashboard
does afterwards runs as that role, so PostgreSQL's grants and row-level security decide what it
can read (see :mod:`apk_geo.db`). The rest of this module is the dashboard's side of it, without
Streamlit:

* :func:`sign_in` — asks the **gate** (a login of the store's own, :mod:`apk_geo.db.schema`)
  how long this user name must wait on this client, connects, and on a wrong password records
  the failure (the database doubles the wait after each one: 1, 2, 4 … s, at most 15 min) —
  both audited; on success returns a :class:`Session` (audited as ``signin``);
* :func:`idle_expired` — the idle time-out (30 min by default), a pure function of two clocks;
* :data:`ACCESS` — per role, the dashboard pages and map layers that may be shown
  (:class:`Access`); the pages read it, the database enforces it anyway;
* :func:`sign_out` — audited as ``signout`` or ``timeout``.

The gate's URL (with its password) is what ``apk-geo db init`` wrote to
:func:`gate_file` (``0600``), or ``$APK_GEO_GATE_URL``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import psycopg
from psycopg import conninfo as _conninfo

from apk_geo.errors import ParameterError, StoreError
from apk_geo.i18n import t as _t
from apk_geo.store.pg import display_location, server_message
from apk_geo.store.postgis import PostGISStore

__all__ = [
    "ACCESS",
    "DEFAULT_IDLE_TIMEOUT_S",
    "LOCAL_ACCESS",
    "PAGES",
    "Access",
    "Gate",
    "Session",
    "SignIn",
    "access_for",
    "gate_file",
    "idle_expired",
    "sign_in",
    "sign_out",
    "text",
]

#: Idle time after which a session ends, in seconds (30 minutes).
DEFAULT_IDLE_TIMEOUT_S: Final = 30 * 60
#: Environment variables: the gate's URL, or the file holding it.
ENV_GATE_URL: Final = "APK_GEO_GATE_URL"
ENV_GATE_FILE: Final = "APK_GEO_GATE_FILE"

#: The dashboard's pages (``app_pages/<name>.py``; ``audit`` and ``users`` are the admin pages).
PAGES: Final = ("map", "hotspots", "trends", "routes", "presenter", "data", "audit", "users")
#: Map layers a page may draw.
LAYERS: Final = (
    "points",  # incident points with popups (note, assistant, address)
    "cells",  # counts per grid cell
    "heat",  # KDE surface
    "hotspots",  # Gi*, emerging, forecast classes per cell
    "clusters",  # cluster polygons
    "districts",
    "mdt_areas",
    "svl",
    "hostels",
    "stops",
    "schools",
    "sports",
)
_CONTEXT: Final = ("districts", "mdt_areas", "svl", "hostels", "stops", "schools", "sports")


@dataclass(frozen=True)
class Access:
    """What a role may be shown in the dashboard (the database enforces the same).

    Attributes
    ----------
    tier
        ``presenter``, ``analyst``, ``mentor``, ``admin``, or ``local`` (a GeoPackage store:
        one user, everything).
    pages, layers
        The dashboard pages (:data:`PAGES`) and map layers (:data:`LAYERS`) to offer.
    incident_detail
        Notes, assistants, addresses and exact points may be shown.
    may_import, may_export
        Imports (the data page's upload) and downloads of incident-level data.
    manage_users, read_audit
        The admin pages.
    """

    tier: str
    pages: tuple[str, ...]
    layers: tuple[str, ...]
    incident_detail: bool = False
    may_import: bool = False
    may_export: bool = False
    manage_users: bool = False
    read_audit: bool = False


#: Access per store role.
ACCESS: Final[Mapping[str, Access]] = {
    "presenter": Access("presenter", pages=("presenter",), layers=()),
    "analyst": Access(
        "analyst",
        pages=("map", "hotspots", "trends", "presenter"),
        layers=("cells", "heat", "hotspots", "clusters", *_CONTEXT),
    ),
    "mentor": Access(
        "mentor",
        pages=("map", "hotspots", "trends", "routes", "presenter", "data"),
        layers=LAYERS,
        incident_detail=True,
        may_import=True,
        may_export=True,
    ),
    "admin": Access(
        "admin",
        # users, retention and the audit log; no incident data, so not the data page either (its
        # quarantine is refused to an administrator by the database)
        pages=("audit", "users"),
        layers=(),
        manage_users=True,
        read_audit=True,
    ),
    "owner": Access(
        "owner",
        pages=PAGES,
        layers=LAYERS,
        incident_detail=True,
        may_import=True,
        may_export=True,
        manage_users=True,
        read_audit=True,
    ),
}
#: A GeoPackage store: one user on one PC, every page but the admin ones (no database roles).
LOCAL_ACCESS: Final = Access(
    "local",
    pages=tuple(p for p in PAGES if p not in ("audit", "users")),
    layers=LAYERS,
    incident_detail=True,
    may_import=True,
    may_export=True,
)

_USER = re.compile(r"^[a-z][a-z0-9_.-]{1,62}$")


def text(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the sign-in string ``key`` of :mod:`apk_geo.i18n` in ``lang``."""
    return _t(key, lang, **fields)


def role_label(tier: str, lang: str = "cs") -> str:
    """Return a role as people name it (``presenter`` → ``prezentující``); unknown: as given."""
    return _t(f"auth.role.{tier}", lang) if tier in ACCESS else tier


def access_for(tier: str | None) -> Access:
    """Return the :class:`Access` of ``tier``; an unknown tier may see nothing."""
    if tier is None or tier not in ACCESS:
        return Access(str(tier), pages=(), layers=())
    return ACCESS[tier]


def idle_expired(
    last_activity: float, now: float, *, timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
) -> bool:
    """Return whether a session last active at ``last_activity`` has expired at ``now``.

    Parameters
    ----------
    last_activity, now
        Seconds on one clock (e.g. :func:`time.monotonic` or :func:`time.time`).
    timeout_s
        The idle time-out; must be positive.

    Raises
    ------
    ParameterError
        If ``timeout_s`` is not positive.

    Examples
    --------
    >>> idle_expired(0.0, 1799.0), idle_expired(0.0, 1800.0)
    (False, True)
    """
    if not timeout_s > 0:
        raise ParameterError(f"timeout_s must be a positive number of seconds, got {timeout_s!r}")
    return now - last_activity >= timeout_s


# ------------------------------------------------------------------------------ the gate


def gate_file(store_url: str) -> Path:
    """Return where ``apk-geo db init`` keeps the gate's URL for the store at ``store_url``.

    ``$APK_GEO_GATE_FILE`` if set, else ``~/.config/apk-geo/gate-<host>-<port>-<db>.url``.
    """
    chosen = os.environ.get(ENV_GATE_FILE)
    if chosen:
        return Path(chosen)
    parts = _conninfo.conninfo_to_dict(store_url)
    name = "-".join(
        re.sub(r"[^A-Za-z0-9_.]", "_", str(parts.get(k) or d))
        for k, d in (("host", "localhost"), ("port", "5432"), ("dbname", "apk_geo"))
    )
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "apk-geo" / f"gate-{name}.url"


@dataclass(frozen=True)
class Gate:
    """The store's sign-in gate: records failures, says how long a client must wait."""

    url: str = field(repr=False)

    @classmethod
    def for_store(cls, store_url: str) -> Gate:
        """Return the gate of ``store_url`` (``$APK_GEO_GATE_URL``, else :func:`gate_file`).

        Raises
        ------
        StoreError
            If neither is there.
        """
        url = os.environ.get(ENV_GATE_URL, "").strip()
        path = gate_file(store_url)
        if not url and path.is_file():
            url = path.read_text(encoding="utf-8").strip()
        if not url:
            raise StoreError(
                f"{display_location(store_url)}: no sign-in gate ({path} or ${ENV_GATE_URL}); "
                "`apk-geo db init --url …` writes it"
            )
        return cls(url)

    def wait_s(self, user: str, client: str) -> float:
        """Return how many seconds ``user`` must still wait on ``client`` (0: may try now)."""
        return self._call("SELECT apk.signin_wait(%s, %s)", [user, client])

    def failed(self, user: str, client: str, reason: str) -> float:
        """Record a failed sign-in; return the wait before the next attempt, in seconds."""
        return self._call("SELECT apk.signin_failed(%s, %s, %s)", [user, client, reason])

    def _call(self, query: str, params: list[object]) -> float:
        try:
            with psycopg.connect(
                self.url, connect_timeout=10, application_name="apk-geo gate"
            ) as c:
                row = c.execute(query, params).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"the sign-in gate failed: {server_message(exc)}") from exc
        return float(row[0]) if row and row[0] is not None else 0.0


# --------------------------------------------------------------------------- sessions


@dataclass(frozen=True)
class Session:
    """A signed-in user: their role, areas and a store that connects as them.

    The password stays in memory (the connection string, never shown: ``repr`` omits it) for
    as long as the session lasts, since every store operation connects anew as the user.
    """

    user: str
    tier: str
    areas: tuple[str, ...]
    client: str
    signed_in_at: float
    last_activity: float
    reason: str | None = None
    conninfo: str = field(default="", repr=False)

    @property
    def access(self) -> Access:
        """What the dashboard may show this user."""
        return access_for(self.tier)

    def store(self) -> PostGISStore:
        """Return the store, connecting as the user (audit rows carry the reason and client)."""
        return PostGISStore(self.conninfo, reason=self.reason, client=self.client)

    def touch(self, now: float | None = None) -> Session:
        """Return the session with its last activity at ``now`` (default: now)."""
        return replace(self, last_activity=time.time() if now is None else now)

    def expired(
        self, now: float | None = None, *, timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    ) -> bool:
        """Return whether the session has been idle for ``timeout_s`` or more."""
        return idle_expired(
            self.last_activity, time.time() if now is None else now, timeout_s=timeout_s
        )


@dataclass(frozen=True)
class SignIn:
    """The outcome of :func:`sign_in`: a session, or why not and how long to wait."""

    session: Session | None
    message: str | None = None
    wait_s: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the user is signed in."""
        return self.session is not None


def sign_in(
    store_url: str,
    user: str,
    password: str,
    *,
    client: str,
    gate: Gate | None = None,
    reason: str | None = None,
    now: float | None = None,
) -> SignIn:
    """Sign ``user`` in to the store at ``store_url`` (connect as their login role).

    Parameters
    ----------
    store_url
        The store without credentials (``postgresql://host:port/db``).
    user, password
        What the user typed.
    client
        Where the attempt comes from (the browser's address): failures are counted per user
        name and client.
    gate
        The store's gate (default: :meth:`Gate.for_store`).
    reason
        The purpose the user gave; recorded with every audit row of the session.
    now
        The session's clock (default :func:`time.time`).

    Returns
    -------
    SignIn
        ``ok`` with a session; else ``message`` (a key for :func:`text`: ``auth.failed``,
        ``auth.throttled``, ``auth.no_role``) and ``wait_s``.

    Raises
    ------
    StoreError
        If the server cannot be reached (anything but a refused password or role).
    """
    door = gate or Gate.for_store(store_url)
    name = user.strip()
    wait = door.wait_s(name, client)
    if wait > 0:
        return SignIn(None, "auth.throttled", wait_s=round(wait, 1))
    if not _USER.match(name) or not password:
        return SignIn(None, "auth.failed", wait_s=door.failed(name, client, "malformed"))
    conninfo = _conninfo.make_conninfo(store_url, user=name, password=password)
    try:
        tier, areas = _first_statement(conninfo, client)
    except _RefusedError as refused:
        return SignIn(None, "auth.failed", wait_s=door.failed(name, client, refused.why))
    if tier is None:
        door.failed(name, client, "no apk-geo role")
        return SignIn(None, "auth.no_role")
    started = time.time() if now is None else now
    session = Session(
        user=name,
        tier=tier,
        areas=tuple(areas),
        client=client,
        signed_in_at=started,
        last_activity=started,
        reason=reason,
        conninfo=conninfo,
    )
    return SignIn(session)


def sign_out(session: Session, *, timed_out: bool = False) -> None:
    """Record the end of ``session`` (``signout``, or ``timeout`` after idling)."""
    action = "timeout" if timed_out else "signout"
    session.store().audit(action, subject=session.user, details={"tier": session.tier})


class _RefusedError(Exception):
    """PostgreSQL refused the user name or password (or the role may not log in)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


#: Words of libpq's messages when the server refuses a sign-in (not when it is unreachable).
_REFUSALS: Final = (
    "password authentication failed",
    "is not permitted to log in",
    "permission denied for database",
)


def _first_statement(conninfo: str, client: str) -> tuple[str | None, list[str]]:
    """Connect as the user and call ``apk.signin_succeeded``; return their tier and areas."""
    try:
        conn = psycopg.connect(conninfo, connect_timeout=10, application_name="apk-geo")
    except psycopg.OperationalError as exc:
        message = str(exc)
        refused = next((w for w in _REFUSALS if w in message), None)
        if refused is None and getattr(exc, "sqlstate", None) not in ("28P01", "28000"):
            raise StoreError(f"cannot reach the store: {server_message(exc)}") from exc
        raise _RefusedError(refused or "refused") from exc
    try:
        with conn:
            row = conn.execute("SELECT tier, areas FROM apk.signin_succeeded(%s)", [client])
            got: Any = row.fetchone()
    except psycopg.errors.InsufficientPrivilege:
        return None, []  # a login role that is no user of this store
    except psycopg.Error as exc:
        raise StoreError(f"cannot sign in: {server_message(exc)}") from exc
    finally:
        conn.close()
    return (got[0], list(got[1] or [])) if got else (None, [])
