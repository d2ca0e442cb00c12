"""Atomic file writes: the one helper every file the product writes goes through.

The content goes to a temporary file next to the target, is flushed to disk (``fsync``) and moved
over the target with :func:`os.replace`, so a reader or a kill -9 at any moment sees the old file
or the new one, never half of one. Files holding personal data are created ``0600``; an existing
target keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

__all__ = ["PRIVATE_MODE", "atomic_path", "atomic_write_bytes", "atomic_write_text"]

#: Mode of new files that hold personal data (owner read/write only).
PRIVATE_MODE: Final = 0o600
#: Temporary files of :func:`atomic_path` start with this (``.<name>.tmp-…``).
TMP_MARK: Final = ".tmp-"


def _target_mode(path: Path, private: bool) -> int:
    """Return the mode the written file should have: the existing file's, else a new file's."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        if private:
            return PRIVATE_MODE
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str | Path, *, private: bool = False, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` atomically.

    Parameters
    ----------
    path
        The file to (re)write.
    private
        Create a new file ``0600`` (personal data). An existing file keeps its mode either way.
    suffix
        End of the temporary file's name (e.g. ``".gpkg"``: GDAL wants the format's extension).

    Yields
    ------
    pathlib.Path
        Where to write; it exists (empty, ``0600``) when yielded. On an exception it is removed and
        ``path`` is left untouched.
    """
    target = Path(path)
    mode = _target_mode(target, private)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}{TMP_MARK}", suffix=suffix, dir=target.parent or "."
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: str | Path, data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path``."""
    with atomic_path(path, private=private) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(
    path: str | Path, text: str, *, encoding: str = "utf-8", private: bool = False
) -> Path:
    """Write ``text`` to ``path`` atomically and return ``path``."""
    return atomic_write_bytes(path, text.encode(encoding), private=private)


def _fsync_dir(folder: Path) -> None:
    """Flush a directory entry (the rename) to disk where the platform allows it."""
    if os.name != "posix":  # pragma: no cover - Windows has no directory fsync
        return
    fd = os.open(folder or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
