"""Open a store by where it is: :func:`open_store` dispatches on the location's kind.

A ``.gpkg`` path opens a :class:`~apk_geo.store.GeoPackageStore` (one user, one PC); a
``postgresql://`` (or ``postgres://``, or libpq ``key=value``) URL opens a
:class:`~apk_geo.store.PostGISStore` (a team; the URL's role is the user). No location given:
``$APK_GEO_STORE``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

from apk_geo.errors import StoreError
from apk_geo.store.geopackage import GeoPackageStore, check_gpkg_path
from apk_geo.store.location import is_database_url
from apk_geo.store.lock import DEFAULT_LOCK_TIMEOUT_S, OnWait, check_lock_timeout
from apk_geo.store.protocol import IncidentStore

__all__ = ["ENV_STORE", "open_store"]

#: The environment variable naming the store when none is given.
ENV_STORE: Final = "APK_GEO_STORE"

_Opener = Callable[[str | Path, float | None, OnWait | None], IncidentStore]


def _geopackage(location: str | Path, timeout: float | None, wait: OnWait | None) -> IncidentStore:
    return GeoPackageStore(check_gpkg_path(location), lock_timeout_s=timeout, on_lock_wait=wait)


def _postgis(location: str | Path, timeout: float | None, wait: OnWait | None) -> IncidentStore:
    from apk_geo.store.postgis import PostGISStore  # psycopg only when a database is named

    return PostGISStore(str(location), lock_timeout_s=timeout, on_lock_wait=wait)


#: Backend by kind of location.
BACKENDS: Final[Mapping[str, _Opener]] = {"gpkg": _geopackage, "postgis": _postgis}


def open_store(
    location: str | Path | None = None,
    *,
    lock_timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S,
    on_lock_wait: OnWait | None = None,
) -> IncidentStore:
    """Return the store at ``location`` (it need not exist yet).

    Parameters
    ----------
    location
        A ``.gpkg`` file, or a PostGIS database URL (``postgresql://user:pw@host:port/db``;
        the password may also come from ``PGPASSWORD`` or ``~/.pgpass``). ``None``: the value
        of ``$APK_GEO_STORE``.
    lock_timeout_s
        How long a write waits for another writer's lock before it gives up with a
        :class:`~apk_geo.errors.StoreError`, in seconds; ``None`` waits for ever.
    on_lock_wait
        Called once with a message when a write has to wait for the lock (default: a log
        warning); e.g. the CLI prints it on stderr.

    Returns
    -------
    IncidentStore
        A :class:`~apk_geo.store.GeoPackageStore` or a :class:`~apk_geo.store.PostGISStore`.

    Raises
    ------
    StoreError
        If no location is given and ``$APK_GEO_STORE`` is unset, the suffix names no supported
        backend, or the path is a directory.
    ParameterError
        If ``lock_timeout_s`` is negative or not a number.

    Examples
    --------
    >>> store = open_store("apk.gpkg")  # doctest: +SKIP
    >>> team = open_store("postgresql://anna@127.0.0.1:5433/apk_geo")  # doctest: +SKIP
    >>> store.summary()["incidents"]  # doctest: +SKIP
    """
    chosen = location if location is not None else os.environ.get(ENV_STORE, "")
    if not str(chosen).strip():
        raise StoreError(
            f"no store named: pass a .gpkg file or a postgresql:// URL, or set ${ENV_STORE}"
        )
    timeout = check_lock_timeout(lock_timeout_s)
    kind = "postgis" if is_database_url(chosen) else "gpkg"
    return BACKENDS[kind](chosen, timeout, on_lock_wait)
