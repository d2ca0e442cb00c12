"""Files holding personal data are 0600, and a second writer waits for the lock, then gives up."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import killpoints
import pytest

from apk_geo.errors import ParameterError, StoreError
from apk_geo.io import quarantine_frame
from apk_geo.store import IncidentStore, lock_path_of, open_store
from apk_geo.store import gpkg as store_gpkg
from apk_geo.testing import make_incidents


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_import(store: IncidentStore, ids: list[str]) -> None:
    store.apply_import(
        incidents=make_incidents([{"id": i, "note": f"pozn. {i}"} for i in ids]),
        quarantine=quarantine_frame([]),
        log={"source": "apk", "file": "x.csv"},
    )


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """Run with the common umask 022, so a file created without care would be 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_store_and_its_lock_file_are_0600(tmp_path: Path) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    one_import(store, ["1"])
    assert mode(store.path) == 0o600
    assert mode(lock_path_of(store.path)) == 0o600
    store.write_layers({}, metadata={"k": "v"})
    assert mode(store.path) == 0o600


@pytest.mark.parametrize("existing", [0o644, 0o640, 0o600])
def test_an_import_keeps_an_existing_stores_mode(tmp_path: Path, existing: int) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    one_import(store, ["1"])
    os.chmod(store.path, existing)
    one_import(store, ["2"])
    assert mode(store.path) == existing
    assert sorted(store.incidents()["id"]) == ["1", "2"]


@pytest.mark.parametrize("exists", [False, True], ids=["new-store", "existing-0644-store"])
def test_the_temporary_copy_is_0600_from_the_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool
) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    if exists:
        one_import(store, ["1"])
        os.chmod(store.path, 0o644)
    seen: list[tuple[str, int]] = []
    real = store_gpkg.pyogrio.write_dataframe

    def spy(frame: Any, path: Any, **kwargs: Any) -> Any:
        seen.append((Path(path).name, mode(Path(path))))
        return real(frame, path, **kwargs)

    monkeypatch.setattr(store_gpkg.pyogrio, "write_dataframe", spy)
    one_import(store, ["2"])
    assert seen and all(name.startswith(".apk.gpkg.tmp-") for name, _ in seen)
    assert {m for _, m in seen} == {0o600}
    assert mode(store.path) == (0o644 if exists else 0o600)


@pytest.mark.slow
def test_a_killed_writer_leaves_only_0600_copies_and_the_next_write_removes_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "apk.gpkg"
    script = f"""
from apk_geo.io import quarantine_frame
from apk_geo.store import open_store
from apk_geo.testing import make_incidents
more = make_incidents([{{"id": str(i), "note": "osobní údaj"}} for i in range(1, 501)])
open_store({str(path)!r}).apply_import(incidents=more, quarantine=quarantine_frame([]), log={{}})
"""
    for step in ("written", "replacing"):  # a new store: nothing to copy, a private file
        assert killpoints.kill_at(killpoints.child_command(script), step=step, store=path), step
        assert not path.exists(), step
    left = [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    assert left and {mode(p) for p in left} == {0o600}, [(p.name, oct(mode(p))) for p in left]
    store = open_store(path)
    one_import(store, ["1"])
    os.chmod(path, 0o644)
    assert killpoints.kill_at(killpoints.child_command(script), step="written", store=path)
    left = [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    assert left and {mode(p) for p in left} == {0o600}
    one_import(store, ["2"])
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []
    assert mode(path) == 0o644


# ------------------------------------------------------------------------- the write lock


class HeldLock:
    """The write lock of a store, held by this process (as another import would hold it)."""

    def __init__(self, store: Path) -> None:
        self.fd = os.open(lock_path_of(store), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.write(self.fd, b"4242\n")

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def test_a_second_writer_says_it_waits_and_gives_up_after_the_timeout(tmp_path: Path) -> None:
    notes: list[str] = []
    store = open_store(tmp_path / "apk.gpkg", lock_timeout_s=0.3, on_lock_wait=notes.append)
    one_import(store, ["1"])
    before = store.path.read_bytes()
    held = HeldLock(store.path)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"another import still holds .* after 0\.3 s"):
            one_import(store, ["2"])
        assert 0.3 <= time.monotonic() - started < 5
    finally:
        held.release()
    assert len(notes) == 1
    assert "waiting for the write lock apk.gpkg.lock, held by another import" in notes[0]
    assert "(process 4242)" in notes[0] and "up to 0.3 s" in notes[0]
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_a_waiting_writer_goes_on_when_the_lock_is_freed(tmp_path: Path) -> None:
    notes: list[str] = []
    releases: list[threading.Timer] = []

    def waiting(note: str) -> None:  # the lock is freed only once the writer says it waits
        notes.append(note)
        releases.append(threading.Timer(0.2, held.release))
        releases[-1].start()

    store = open_store(tmp_path / "apk.gpkg", lock_timeout_s=30, on_lock_wait=waiting)
    held = HeldLock(store.path)
    try:
        one_import(store, ["1"])
    finally:
        for timer in releases:
            timer.join()
        if not releases:
            held.release()
    assert len(notes) == 1 and store.incidents()["id"].tolist() == ["1"]


def test_without_a_callback_the_wait_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(tmp_path / "apk.gpkg", lock_timeout_s=0)
    held = HeldLock(store.path)
    try:
        with pytest.raises(StoreError, match="after 0 s"):
            one_import(store, ["1"])
    finally:
        held.release()
    assert "waiting for the write lock" in caplog.text


@pytest.mark.parametrize("bad", [-1, float("nan"), "60"])
def test_a_bad_lock_timeout_is_refused(tmp_path: Path, bad: Any) -> None:
    with pytest.raises(ParameterError, match="lock_timeout_s"):
        open_store(tmp_path / "apk.gpkg", lock_timeout_s=bad)


def test_cli_ingest_waits_on_stderr_then_fails_with_one_error_line(tmp_path: Path) -> None:
    store = tmp_path / "apk.gpkg"
    export = tmp_path / "e.csv"
    export.write_bytes(
        "Číslo záznamu;Datum;Čas;Kategorie;Adresa;lat;lon\r\n"
        "1;3.11.2026;21:40;alkohol;;49,8290;18,1700\r\n".encode("cp1250")
    )
    held = HeldLock(store)
    try:
        cmd = [sys.executable, "-m", "apk_geo.cli", "ingest", str(export), "--store", str(store)]
        run = subprocess.run(
            [*cmd, "--lock-timeout", "0.5"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        held.release()
    lines = [ln for ln in run.stderr.splitlines() if not ln.startswith("WARNING ")]
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert lines[0].startswith("apk-geo ingest: ")
    assert "čekám na zámek pro zápis apk.gpkg.lock, drží ho jiný import" in lines[0]
    assert lines[-1].startswith("apk-geo ingest: chyba: ")
    assert "i po 0,5 s" in lines[-1] and "--lock-timeout" in lines[-1]
    assert len(lines) == 2
    assert not store.exists()


#: Lists every file that appears in a folder, with its mode, until ``STOP`` appears there.
_POLLER = """
import os, sys
folder, seen = sys.argv[1], {}
while not os.path.exists(os.path.join(folder, "STOP")):
    for name in os.listdir(folder):
        try:
            seen.setdefault(name, os.stat(os.path.join(folder, name)).st_mode & 0o777)
        except FileNotFoundError:
            pass
print(repr(seen))
"""


def _files_seen_while(folder: Path, write: Any) -> dict[str, int]:
    """Run ``write()`` while another process records every file appearing in ``folder``."""
    import ast

    poller = subprocess.Popen(
        [sys.executable, "-c", _POLLER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        time.sleep(0.3)  # the poller is running
        write()
    finally:
        (folder / "STOP").touch()
        out, _ = poller.communicate(timeout=30)
    seen: dict[str, int] = ast.literal_eval(out)
    seen.pop("STOP", None)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("private", [True, False], ids=["store-writer", "control-plain-gdal"])
def test_gdals_side_files_of_a_first_layer_are_0600(tmp_path: Path, private: bool) -> None:
    """GDAL builds a first layer's R-tree (every point) in a side database next to the copy."""
    import geopandas as gpd
    import pyogrio
    import shapely

    from apk_geo.store.lock import _empty_geopackage

    folder = tmp_path / "w"
    folder.mkdir()
    copy = folder / ".apk.gpkg.tmp-1-abc.gpkg"
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(_empty_geopackage())
    n = 300_000
    rng = __import__("numpy").random.default_rng(0)
    frame = gpd.GeoDataFrame(
        {"id": [str(i) for i in range(n)]},
        geometry=shapely.points(rng.uniform(-480000, -460000, (n, 2))),
        crs="EPSG:5514",
    )
    pyogrio.set_gdal_config_options({"OGR_GPKG_THREADED_RTREE_AT_FIRST_FEATURE": "YES"})
    try:
        if private:
            seen = _files_seen_while(
                folder, lambda: store_gpkg.write_frame(copy, frame, "incidents", append=False)
            )
        else:
            seen = _files_seen_while(
                folder,
                lambda: pyogrio.write_dataframe(frame, copy, layer="incidents", use_arrow=True),
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_GPKG_THREADED_RTREE_AT_FIRST_FEATURE": None})
    rtree = [name for name in seen if "tmp_rtree" in name]
    assert rtree, seen  # the side database was there while the rows were written
    if private:
        assert set(seen.values()) == {0o600}, {k: oct(v) for k, v in seen.items()}
        assert os.umask(0o022) == 0o022  # the writer restored the umask
    else:  # without the writer's umask GDAL makes it world-readable
        assert {seen[name] for name in rtree} == {0o644}
