"""The store's write lock (filelock) between processes, and a package that imports without fcntl.

The other lock behaviours (the wait message, the timeout, ``0600``, a writer that goes on when
the lock is freed) are in ``test_permissions.py`` and ``test_store_conformance.py``; here two
real processes contend, and a writer killed with ``SIGKILL`` leaves a lock the next one takes.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import apk_geo
from apk_geo.errors import StoreError
from apk_geo.io import quarantine_frame
from apk_geo.store import IncidentStore, lock_path_of, open_store
from apk_geo.testing import assert_store_reconciles, make_incidents

#: A child that holds the write lock of the store argv[1], says "held", and waits for stdin.
_HOLDER = """
import sys
from pathlib import Path
from apk_geo.store.lock import write_lock
with write_lock(Path(sys.argv[1]), timeout_s=30):
    print("held", flush=True)
    sys.stdin.read()
"""

#: A child that imports ids argv[2]..argv[3] into the store argv[1] (waiting up to 60 s).
_IMPORTER = """
import sys
from apk_geo.io import quarantine_frame
from apk_geo.store import open_store
from apk_geo.testing import make_incidents
lo, hi = int(sys.argv[2]), int(sys.argv[3])
rows = [
    {"id": str(i), "note": f"pozn. {i}", "reported_at": f"2026-11-01 {i % 24:02d}:{i % 60:02d}"}
    for i in range(lo, hi)
]
open_store(sys.argv[1], lock_timeout_s=60).apply_import(
    incidents=make_incidents(rows), quarantine=quarantine_frame([]), log={"file": sys.argv[2]}
)
"""


def one_import(store: IncidentStore, ids: list[str]) -> None:
    store.apply_import(
        incidents=make_incidents([{"id": i} for i in ids]),
        quarantine=quarantine_frame([]),
        log={"source": "apk", "file": "x.csv"},
    )


def start_holder(store: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_writer_in_another_process_is_waited_for_and_named(tmp_path: Path) -> None:
    path = tmp_path / "apk.gpkg"
    notes: list[str] = []
    store = open_store(path, lock_timeout_s=0.3, on_lock_wait=notes.append)
    one_import(store, ["1"])
    before = path.read_bytes()
    child = start_holder(path)
    try:
        with pytest.raises(StoreError, match=r"another import still holds .* after 0\.3 s"):
            one_import(store, ["2"])
        assert path.read_bytes() == before
        assert len(notes) == 1 and f"(process {child.pid})" in notes[0]
        # the holder wrote its process id into the lock file, which stays 0600
        assert lock_path_of(path).read_text(encoding="ascii").strip() == str(child.pid)
        assert lock_path_of(path).stat().st_mode & 0o777 == 0o600
    finally:
        child.communicate("", timeout=30)
    assert child.returncode == 0
    one_import(store, ["2"])
    assert sorted(store.incidents()["id"]) == ["1", "2"]


def test_a_killed_holder_leaves_a_lock_the_next_writer_takes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "apk.gpkg"
    notes: list[str] = []
    child = start_holder(path)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert lock_path_of(path).exists()  # the file stays; the OS freed the lock with the process
    store = open_store(path, lock_timeout_s=5, on_lock_wait=notes.append)
    started = time.monotonic()
    one_import(store, ["1"])
    assert time.monotonic() - started < 5 and notes == []
    assert store.incidents()["id"].tolist() == ["1"]


@pytest.mark.slow
def test_two_processes_importing_at_once_serialise(tmp_path: Path) -> None:
    path = tmp_path / "apk.gpkg"
    kids = [
        subprocess.Popen([sys.executable, "-c", _IMPORTER, str(path), str(lo), str(lo + 100)])
        for lo in (1, 51)
    ]
    assert [k.wait(timeout=300) for k in kids] == [0, 0]
    store = open_store(path)
    log = store.import_log()
    assert len(log) == 2 and log["accepted"].sum() == 150 and log["duplicates"].sum() == 50
    assert sorted(store.incidents()["id"], key=int) == [str(i) for i in range(1, 151)]
    assert_store_reconciles(store)


def test_no_module_of_the_package_imports_fcntl() -> None:
    """fcntl does not exist on Windows: no module may import it (filelock picks the OS lock)."""
    root = Path(apk_geo.__file__).parent
    found = []
    for file in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "fcntl" for n in names):
                found.append(f"{file.relative_to(root)}:{node.lineno}")
    assert found == []


def test_the_store_imports_and_locks_where_fcntl_is_missing(tmp_path: Path) -> None:
    """With fcntl unimportable (as on Windows) the store and the CLI import; the lock still works.

    filelock then falls back to its own soft lock, which apk-geo's options must not break.
    """
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import apk_geo.cli, apk_geo.store, apk_geo.ingest\n"
        "from pathlib import Path\n"
        "from apk_geo.store.lock import write_lock\n"
        f"with write_lock(Path({str(tmp_path / 'apk.gpkg')!r}), timeout_s=1):\n"
        "    print('locked')\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "locked"
