"""Atomic writes: old or new content, never half; private files 0600; modes kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from apk_geo.files import PRIVATE_MODE, atomic_path, atomic_write_bytes, atomic_write_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_private_file_is_0600_and_public_follows_the_umask(tmp_path: Path) -> None:
    private = atomic_write_text(tmp_path / "q.csv", "a;b\n", private=True)
    assert _mode(private) == PRIVATE_MODE == 0o600
    old = os.umask(0o022)
    try:
        public = atomic_write_bytes(tmp_path / "cells.geojson", b"{}")
    finally:
        os.umask(old)
    assert _mode(public) == 0o644


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "store.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    atomic_write_text(path, "new", private=True)
    assert path.read_text(encoding="utf-8") == "new" and _mode(path) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "pack.html"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("killed")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.html"]


def test_the_temporary_sits_next_to_the_target_with_its_suffix(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "x.gpkg", suffix=".gpkg") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".x.gpkg.tmp-")
        assert tmp.suffix == ".gpkg" and _mode(tmp) == 0o600
        tmp.write_bytes(b"data")
    assert (tmp_path / "x.gpkg").read_bytes() == b"data"
