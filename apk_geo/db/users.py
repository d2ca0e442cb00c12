"""Users of a PostGIS store: PostgreSQL login roles, each a member of one group.

Only an administrator (a member of ``apk_admin``, or the store's owner) manages users, through
security-definer functions of the database (``apk.user_add`` …), so an administrator needs no
``CREATEROLE`` and cannot create anything but a store user. The password is turned into a
SCRAM-SHA-256 verifier here (libpq's ``PQencryptPasswordConn``): the server, its logs and the
audit trail never see it. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd

from apk_geo.db.schema import TIERS, scram_verifier
from apk_geo.errors import ParameterError
from apk_geo.store import _messages
from apk_geo.store.pg import connect, display_location, fetch_frame

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "USER_COLUMNS",
    "add_user",
    "disable_user",
    "enable_user",
    "list_users",
    "set_areas",
]

#: Shortest password accepted.
MIN_PASSWORD_LENGTH: Final = 10
#: Columns of :func:`list_users`.
USER_COLUMNS: Final = (
    "username",
    "role",
    "areas",
    "disabled",
    "created_at",
    "created_by",
    "last_signin",
)


def add_user(
    url: str,
    name: str,
    *,
    role: str,
    password: str,
    areas: Sequence[str] = (),
    reason: str | None = None,
) -> None:
    """Create the user ``name`` (a login role) in ``role``'s group.

    Parameters
    ----------
    url
        The store, as an administrator.
    name
        2–63 lower-case letters, digits, ``_``, ``.`` or ``-``, starting with a letter.
    role
        ``presenter``, ``analyst``, ``mentor`` or ``admin``.
    password
        At least :data:`MIN_PASSWORD_LENGTH` characters.
    areas
        MDT areas the user is limited to (row-level security); empty: all areas.
    reason
        Recorded in the audit trail.

    Raises
    ------
    ParameterError
        If ``role`` or the password is not acceptable.
    StoreError
        If the name is invalid or taken, or the caller is not an administrator.
    """
    if role not in TIERS:
        raise ParameterError(f"role {role!r}: expected one of {', '.join(TIERS)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ParameterError(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH}"
        )
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("user_add", name=name)) as conn:
        verifier = scram_verifier(conn, name, password)
        conn.execute(
            "SELECT apk.user_add(%s, %s, %s, %s, %s)",
            [name, verifier, role, [str(a) for a in areas], reason],
        )


def list_users(url: str) -> pd.DataFrame:
    """Return the store's users (:data:`USER_COLUMNS`), by name; admins only."""
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("users")) as conn:
        frame = fetch_frame(
            conn,
            "SELECT u.username, u.role, u.areas, u.disabled_at IS NOT NULL AS disabled, "
            "u.created_at, u.created_by, (SELECT max(a.at) FROM apk.audit a "
            "WHERE a.who = u.username AND a.action = 'signin') AS last_signin "
            "FROM apk.users u ORDER BY u.username",
        )
    out = frame.reindex(columns=list(USER_COLUMNS))
    for c in ("created_at", "last_signin"):
        out[c] = pd.to_datetime(out[c], utc=True)
    out["areas"] = [list(a or []) for a in out["areas"]]
    return out


def disable_user(url: str, name: str, *, reason: str | None = None) -> None:
    """Stop ``name`` from signing in (``NOLOGIN``); kept in the list and the audit trail."""
    _set_login(url, name, enabled=False, reason=reason)


def enable_user(url: str, name: str, *, reason: str | None = None) -> None:
    """Let a disabled user sign in again."""
    _set_login(url, name, enabled=True, reason=reason)


def set_areas(url: str, name: str, areas: Sequence[str], *, reason: str | None = None) -> None:
    """Limit ``name`` to the MDT ``areas`` (empty: all areas)."""
    where = display_location(url)
    with connect(url, where=where, doing=_messages.doing("user_areas", name=name)) as conn:
        conn.execute(
            "SELECT apk.user_set_areas(%s, %s, %s)", [name, [str(a) for a in areas], reason]
        )


def _set_login(url: str, name: str, *, enabled: bool, reason: str | None) -> None:
    where = display_location(url)
    verb = "user_enable" if enabled else "user_disable"
    with connect(url, where=where, doing=_messages.doing(verb, name=name)) as conn:
        conn.execute("SELECT apk.user_set_login(%s, %s, %s)", [name, enabled, reason])
