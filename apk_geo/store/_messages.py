"""The store's messages to people, in Czech or English: a text that knows its catalogue key.

A store does not know who reads its errors, so it raises them with a :class:`Message`: a ``str``
(English, so ``str(exc)``, ``match=`` in tests and logs read as before) that also carries its
catalogue key and fields, and :meth:`Message.text` gives it in any language. The command line
shows the message of an error in the user's language (:func:`localize`), and ``apk-geo status
--check`` the reconciliation problems. The texts are the ``msg.store_``, ``msg.demo_`` and
``msg.reconcile_`` strings of :mod:`apk_geo._strings_ui`. :class:`Message`, :func:`localize`
and :func:`error_text` live in :mod:`apk_geo.messages` and are re-exported here. A field that
is itself a :class:`Message` (the holder of a lock, how long a writer waits) is given in the
same language.

Examples
--------
>>> m = no_store("x.gpkg")
>>> str(m).startswith("x.gpkg: no store here")
True
>>> m.text("cs").startswith("x.gpkg: tady není žádné úložiště")
True
"""

from __future__ import annotations

from collections.abc import Sequence

from apk_geo.messages import Message, error_text, localize

__all__ = [
    "Message",
    "demo_force_shared",
    "demo_not_empty",
    "demo_store_exists",
    "doing",
    "error_text",
    "import_limited",
    "localize",
    "lock_timeout",
    "lock_wait",
    "migrate_no_store",
    "no_database_store",
    "no_store",
    "no_store_for_demo",
    "reconcile_incidents",
    "reconcile_quarantine",
    "reconcile_unbalanced",
    "reconcile_versions",
]


def doing(step: str, /, **fields: object) -> Message:
    """What a database store was doing when it failed (``msg.store_doing_<step>``)."""
    return Message(f"msg.store_doing_{step}", **fields)


def import_limited(where: str, *, user: str, areas: Sequence[object]) -> Message:
    """The error of an import by a user limited to some MDT areas."""
    return Message(
        "msg.store_import_limited", where=where, user=user, areas=", ".join(map(str, areas))
    )


def no_store(path: object) -> Message:
    """The error of a store file that does not exist, with how to create one."""
    return Message("msg.store_missing", path=str(path))


def reconcile_unbalanced(import_ids: Sequence[object]) -> Message:
    """The problem of imports whose counts do not add up to the rows read."""
    return Message("msg.reconcile_unbalanced", ids=list(import_ids))


def reconcile_incidents(stored: int, accepted: int, removed: int) -> Message:
    """The problem of stored incidents that are not the accepted ones (less retention)."""
    key = "msg.reconcile_incidents_removed" if removed else "msg.reconcile_incidents"
    return Message(key, stored=stored, accepted=accepted, removed=removed)


def reconcile_versions(stored: int, kept: int, removed: int) -> Message:
    """The problem of stored versions that are not the ones the imports kept (less retention)."""
    key = "msg.reconcile_versions_removed" if removed else "msg.reconcile_versions"
    return Message(key, stored=stored, kept=kept, removed=removed)


def reconcile_quarantine(stored: int, quarantined: int) -> Message:
    """The problem of more quarantine rows than the imports quarantined."""
    return Message("msg.reconcile_quarantine", stored=stored, quarantined=quarantined)


def no_database_store(where: str, *, server: str) -> Message:
    """The error of a database without an apk-geo store (quoting the server), with the fix."""
    return Message("msg.store_no_database_store", where=where, server=server)


def no_store_for_demo(location: object) -> Message:
    """The error of a demo into a database that holds no store yet."""
    return Message("msg.store_missing_database", path=str(location))


def migrate_no_store(path: object) -> Message:
    """The error of a migration from a GeoPackage store that does not exist."""
    return Message("msg.store_missing_migrate", path=str(path))


def demo_store_exists(path: object) -> Message:
    """The error of a demo over an existing store file without ``--force``."""
    return Message("msg.demo_store_exists", path=str(path))


def demo_force_shared(location: object) -> Message:
    """The error of ``--force`` for a demo into a shared database."""
    return Message("msg.demo_force_shared", path=str(location))


def demo_not_empty(location: object) -> Message:
    """The error of a demo into a database store that holds imports."""
    return Message("msg.demo_not_empty", path=str(location))


def _holder(pid: str | None, *, server: bool) -> Message | str:
    key = "msg.store_lock_server_holder" if server else "msg.store_lock_holder"
    return Message(key, pid=pid) if pid else ""


def lock_wait(
    path: object,
    *,
    lock: str | None,
    holder_pid: str | None,
    timeout_s: float | None,
    server: bool = False,
) -> Message:
    """The notice of a writer that waits for another's write lock (``lock``: its file, if any).

    ``holder_pid`` names the holder (a database server's process when ``server``); ``None``
    leaves it unnamed.

    Examples
    --------
    >>> m = lock_wait("a.gpkg", lock="a.gpkg.lock", holder_pid="41", timeout_s=0.5)
    >>> str(m).endswith("held by another import (process 41); waiting up to 0.5 s")
    True
    >>> m.text("cs").endswith("drží ho jiný import (proces 41); čekám nejvýš 0,5 s")
    True
    """
    limit = (
        Message("msg.store_lock_forever")
        if timeout_s is None
        else Message("msg.store_lock_up_to", seconds=timeout_s)
    )
    key = "msg.store_lock_wait" if lock else "msg.store_lock_wait_db"
    fields: dict[str, object] = {"lock": lock} if lock else {}
    holder = _holder(holder_pid, server=server)
    return Message(key, path=str(path), holder=holder, limit=limit, **fields)


def lock_timeout(
    path: object,
    *,
    lock: str | None,
    holder_pid: str | None,
    timeout_s: float,
    server: bool = False,
) -> Message:
    """The error of a writer that waited ``timeout_s`` for another's write lock in vain."""
    key = "msg.store_lock_timeout" if lock else "msg.store_lock_timeout_db"
    fields: dict[str, object] = {"lock": lock} if lock else {}
    holder = _holder(holder_pid, server=server)
    return Message(key, path=str(path), holder=holder, seconds=timeout_s, **fields)
