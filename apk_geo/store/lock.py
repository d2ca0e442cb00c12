"""Safe writes of a store file: the write lock, the private temporary copy, the atomic replace.

A write (:func:`transaction`):

1. takes an exclusive lock on ``<store>.lock`` (created ``0600``) through :mod:`filelock`: an
   ``flock`` on Linux and macOS, ``LockFileEx`` on Windows, so the package imports and locks on
   every system (no :mod:`fcntl` import here). Each attempt is non-blocking; if another process
   (or another thread) holds the lock, the writer says so once (``on_wait``, else a log warning),
   naming the holder's process id that the holder wrote into the lock file, and polls until the
   lock is free or ``timeout_s`` has passed, then gives up with a
   :class:`~apk_geo.errors.StoreError`. The operating system frees the lock of a killed writer;
   the lock file stays in place (it is never removed, so every writer locks the same file);
2. removes temporary files a killed writer left (:func:`cleanup_temp_files`);
3. copies the store to ``.<store>.tmp-<pid>-<random>.gpkg`` next to it, a file created ``0600``
   before anything is copied into it (a new store starts as an empty GeoPackage), so a copy
   left by a ``kill -9`` never exposes personal data to other users;
4. yields the copy to be changed, then flushes it to disk (``fsync``), gives it the store's mode
   (an existing store keeps its own, a new one is ``0600``) and moves it over the store with
   :func:`os.replace`; a process killed at any moment leaves the old store or the new one.

The copy keeps the ``.gpkg`` suffix GDAL expects, so :func:`apk_geo.files.atomic_path` (whose
temporary names have no suffix) is not used; the modes follow :data:`apk_geo.files.PRIVATE_MODE`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import shutil
import sqlite3
import stat
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import filelock
import pandas as pd
import pyogrio

from apk_geo.errors import CRSError, ParameterError, SchemaError, StoreError
from apk_geo.files import PRIVATE_MODE

__all__ = [
    "DEFAULT_LOCK_TIMEOUT_S",
    "TMP_MARK",
    "check_lock_timeout",
    "cleanup_temp_files",
    "is_empty_geopackage",
    "lock_path_of",
    "transaction",
    "write_lock",
]

logger = logging.getLogger(__name__)

#: How long a writer waits for another writer's lock before giving up, in seconds.
DEFAULT_LOCK_TIMEOUT_S: Final = 60.0
#: What follows ``.<store name>`` in the name of a temporary copy.
TMP_MARK: Final = ".tmp-"
#: Polling interval while waiting for the lock, in seconds.
_POLL_S: Final = 0.1

#: Called with a message when a writer starts waiting for the lock.
OnWait = Callable[[str], None]


def lock_path_of(path: Path) -> Path:
    """Return the lock file of the store ``path`` (``<store>.lock``)."""
    return path.parent / f"{path.name}.lock"


def check_lock_timeout(timeout_s: float | None) -> float | None:
    """Return ``timeout_s`` if it is ``None`` (wait for ever) or a finite number >= 0.

    Raises
    ------
    ParameterError
        Otherwise.
    """
    if timeout_s is None:
        return None
    ok = isinstance(timeout_s, int | float) and not isinstance(timeout_s, bool)
    if not ok or not math.isfinite(timeout_s) or timeout_s < 0:
        raise ParameterError(
            f"lock_timeout_s must be a number of seconds >= 0 (or None to wait for ever), "
            f"got {timeout_s!r}"
        )
    return float(timeout_s)


@contextlib.contextmanager
def write_lock(
    path: Path, *, timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S, on_wait: OnWait | None = None
) -> Iterator[None]:
    """Hold the exclusive write lock of the store ``path`` (see the module docstring).

    Raises
    ------
    StoreError
        If another writer still holds the lock after ``timeout_s`` seconds, or the lock file
        cannot be created or locked.
    """
    lock_path = lock_path_of(path)
    lock = _file_lock(lock_path)
    _acquire(lock, path=path, lock_path=lock_path, timeout_s=timeout_s, on_wait=on_wait)
    try:
        yield
    finally:
        lock.release()


def _file_lock(lock_path: Path) -> filelock.BaseFileLock:
    """Return the OS lock of ``lock_path`` (``0600``; the holder writes its process id in it).

    Where the OS offers no file lock (no ``flock`` outside Windows) filelock falls back to its
    soft lock, an existence marker it removes on release: then neither option applies.
    """
    lock_class: type[filelock.BaseFileLock] = filelock.FileLock
    if lock_class not in (filelock.UnixFileLock, filelock.WindowsFileLock):
        return lock_class(lock_path, mode=PRIVATE_MODE, thread_local=False)
    return lock_class(
        lock_path,
        mode=PRIVATE_MODE,
        thread_local=False,
        preserve_lock_file=True,
        on_acquired=_record_holder,
    )


def _acquire(
    lock: filelock.BaseFileLock,
    *,
    path: Path,
    lock_path: Path,
    timeout_s: float | None,
    on_wait: OnWait | None,
) -> None:
    """Take ``lock``; say once that we wait; give up after ``timeout_s``."""
    if _try_lock(lock, path=path, lock_path=lock_path):
        return
    from apk_geo.store._messages import lock_timeout, lock_wait

    holder = _holder(lock_path)
    message = lock_wait(path, lock=lock_path.name, holder_pid=holder, timeout_s=timeout_s)
    (on_wait or logger.warning)(message)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if timeout_s is not None and left is not None and left <= 0:
            holder = _holder(lock_path)
            raise StoreError(
                lock_timeout(path, lock=lock_path.name, holder_pid=holder, timeout_s=timeout_s)
            )
        time.sleep(_POLL_S if left is None else min(_POLL_S, left))
        if _try_lock(lock, path=path, lock_path=lock_path):
            return


def _try_lock(lock: filelock.BaseFileLock, *, path: Path, lock_path: Path) -> bool:
    """Make one non-blocking attempt at ``lock``; return whether we hold it now.

    One attempt at a time (never filelock's own blocking wait), so a writer waits for another
    thread of its own process as for another process, and says once that it waits.
    """
    try:
        lock.acquire(blocking=False)
    except filelock.Timeout:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot create or lock the lock file {lock_path}: {exc}") from exc
    return True


def _record_holder(fd: int) -> None:
    """Write our process id into the lock file, so a waiting writer can name the holder."""
    text = f"{os.getpid()}\n".encode("ascii")
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text)
        os.ftruncate(fd, len(text))


def _holder(lock_path: Path) -> str | None:
    """Return the process id of the lock's holder (text), or ``None`` if unknown.

    On Windows the holder's locked byte cannot be read by others: the holder stays unnamed.
    """
    try:
        with open(lock_path, "rb") as fh:
            text = fh.read(32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return text if text.isdigit() else None


@contextlib.contextmanager
def transaction(
    path: Path, *, timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S, on_wait: OnWait | None = None
) -> Iterator[Path]:
    """Lock, copy the store to a private temp file, yield it, then fsync and replace atomically.

    Raises
    ------
    StoreError
        If the folder does not exist, the lock is not free in time, or the write fails (the
        store is then unchanged). :class:`~apk_geo.errors.SchemaError` and
        :class:`~apk_geo.errors.CRSError` raised inside pass through unchanged.
    """
    parent = path.parent
    if not parent.is_dir():
        raise StoreError(f"{path}: folder {parent} does not exist; create it first")
    with write_lock(path, timeout_s=timeout_s, on_wait=on_wait):
        cleanup_temp_files(path)
        tmp = parent / f".{path.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}.gpkg"
        try:
            mode = _target_mode(path)
            _private_copy(path, tmp)
            yield tmp
            _fsync(tmp)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
            _fsync_folder(parent)
        except (StoreError, SchemaError, CRSError, ParameterError):
            raise
        except Exception as exc:
            raise StoreError(f"{path}: write failed, the store is unchanged: {exc}") from exc
        finally:
            _remove_with_sidecars(tmp)


def cleanup_temp_files(path: str | Path) -> list[Path]:
    """Remove temporary files left next to the store ``path`` by a killed writer.

    Call it only while holding the store's write lock (the store's writers do), or when no
    other process writes the store.

    Returns
    -------
    list of Path
        The files removed.
    """
    p = Path(path)
    removed = []
    for tmp in p.parent.glob(f".{p.name}{TMP_MARK}*"):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    if removed:
        logger.warning(
            "%s: removed %d temporary file(s) left by an interrupted write", p, len(removed)
        )
    return removed


def _target_mode(path: Path) -> int:
    """Return the mode the written store gets: the existing store's, else ``0600``."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return PRIVATE_MODE


def _private_copy(path: Path, tmp: Path) -> None:
    """Create ``tmp`` ``0600``, then copy the store (or an empty GeoPackage) into it."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    if path.exists():
        os.close(fd)
        shutil.copyfile(path, tmp)
        return
    # GDAL would replace an empty file by a new one with the umask's mode: write the bytes of an
    # empty GeoPackage into the 0600 file instead
    with os.fdopen(fd, "wb") as fh:
        fh.write(_empty_geopackage())


#: More than the size of :func:`_empty_geopackage` (64 KB; a test checks it).
_EMPTY_MAX_BYTES: Final = 1_000_000


@functools.cache
def _empty_geopackage() -> bytes:
    """Return the bytes of a GeoPackage 1.3 without any layer, built once.

    GDAL makes the file (GeoPackage 1.3: what GDAL 3.6, Debian 12 and QGIS 3.22-3.28 validate)
    with a placeholder layer, which is then dropped: GDAL builds the R-tree of the first layer
    of a dataset in a background thread while it writes the rows, and of later layers only
    afterwards, so a new store's incidents written into a file that already held a layer took
    ~0.5-1 s longer per million rows (GDAL's ``SetDeferredSpatialIndexCreation``).
    """
    with tempfile.TemporaryDirectory(prefix="apk-geo-") as folder:
        empty = Path(folder) / "empty.gpkg"
        frame = pd.DataFrame({"key": pd.Series([], dtype="str")})
        pyogrio.write_dataframe(
            frame, empty, layer="placeholder", driver="GPKG", use_arrow=True, VERSION="1.3"
        )
        with contextlib.closing(sqlite3.connect(empty)) as con, con:
            con.execute("DROP TABLE placeholder")
            for table in ("gpkg_contents", "gpkg_ogr_contents"):
                con.execute(f"DELETE FROM {table} WHERE table_name = 'placeholder'")
        with contextlib.closing(sqlite3.connect(empty)) as con:
            con.execute("VACUUM")
        return empty.read_bytes()


def is_empty_geopackage(path: Path) -> bool:
    """Return whether ``path`` holds the layer-less GeoPackage a new store's copy starts as.

    A file larger than :data:`_EMPTY_MAX_BYTES` is not, without building the template (a
    reader of a real store never pays for it).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    if size > _EMPTY_MAX_BYTES:
        return False
    empty = _empty_geopackage()
    return size == len(empty) and path.read_bytes() == empty


def _fsync(path: Path) -> None:
    """Flush a file or a folder entry to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Flush the folder entry of the replaced store.

    Windows cannot open a folder (NTFS journals the rename itself): nothing to flush there.
    """
    if os.name != "nt":
        _fsync(folder)


def _remove_with_sidecars(tmp: Path) -> None:
    for p in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
