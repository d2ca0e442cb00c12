"""Every CLI error is one line on stderr: exit 2 for data and usage errors, 1 for a bug.

Each case runs ``python -m apk_geo.cli`` as a subprocess and checks the exit code, that stderr is
exactly one line without a traceback, and that the line names the file, option or field. Cases
whose fix belongs in a file of another module are marked ``xfail(strict=True)``: remove the mark
once the fix is in. The cases run in English (``APK_GEO_LANG=en``); the Czech lines are checked in
``tests/test_cli_lang_errors.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "apk_geo.cli"]
#: The environment of the commands: English messages (the needles below are English).
ENV = {**os.environ, "APK_GEO_LANG": "en"}


@dataclass(frozen=True)
class Files:
    """Inputs the cases point at."""

    folder: Path
    demo: Path  # a small demo store
    export: Path  # a valid incident export
    addresses: Path  # a CSV with an address column
    binary: Path  # random bytes named .csv
    existing_file: Path

    def config(self, text: str) -> Path:
        path = self.folder / f"c{abs(hash(text))}.toml"
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    from apk_geo.demo import build_demo_store

    folder = tmp_path_factory.mktemp("cli_errors")
    demo = folder / "demo.gpkg"
    build_demo_store(demo, seed=3, n_incidents=600, months=6, end="2026-07-01")
    export = folder / "export.csv"
    export.write_bytes(
        "Číslo záznamu;Datum;Čas;Kategorie;Adresa;lat;lon\r\n"
        "1;3.11.2026;21:40;alkohol;;49,8290;18,1700\r\n".encode("cp1250")
    )
    addresses = folder / "addresses.csv"
    addresses.write_text("adresa\nNádražní 1000/10\n", encoding="utf-8")
    binary = folder / "binary.csv"
    binary.write_bytes(bytes(range(128, 256)) * 16)
    existing = folder / "existing_file"
    existing.write_text("", encoding="utf-8")
    return Files(folder, demo, export, addresses, binary, existing)


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, env=ENV)


def assert_one_line(
    proc: subprocess.CompletedProcess[str], *, code: int, needles: list[str]
) -> str:
    """Check the exit code and a single stderr line that matches every regex in ``needles``."""
    err = proc.stderr
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert proc.returncode == code, (proc.returncode, err)
    for needle in needles:
        assert re.search(needle, lines[0]), (needle, lines[0])
    return lines[0]


Case = Callable[[Files], tuple[list[str], list[str]]]
NEEDS = "needs {} change"

#: (id, case): a case returns the arguments and the regexes the error line must match.
CASES: list[tuple[str, Case]] = [
    (
        "ingest-empty-source",
        lambda f: (
            ["ingest", str(f.export), "--store", str(f.folder / "s.gpkg"), "--source", ""],
            [r"^apk-geo ingest: error: ", "--source", "non-empty"],
        ),
    ),
    (
        "ingest-blank-source",
        lambda f: (
            ["ingest", str(f.export), "--store", str(f.folder / "s.gpkg"), "--source", "  "],
            ["--source"],
        ),
    ),
    (
        "ingest-encoding-rot13",
        lambda f: (
            ["ingest", str(f.export), "--store", str(f.folder / "s.gpkg"), "--encoding", "rot13"],
            ["--encoding", "'rot13' is not a text encoding"],
        ),
    ),
    (
        "ingest-encoding-base64",
        lambda f: (
            ["ingest", str(f.export), "--store", str(f.folder / "s.gpkg"), "--encoding", "base64"],
            ["--encoding", "base64"],
        ),
    ),
    (
        "ingest-binary-gazetteer",
        lambda f: (
            [
                "ingest",
                str(f.export),
                "--store",
                str(f.folder / "s.gpkg"),
                "--gazetteer",
                str(f.binary),
            ],
            [re.escape(str(f.binary)), "gazetteer"],
        ),
    ),
    (
        "geocode-binary-gazetteer",
        lambda f: (
            [
                "geocode",
                str(f.addresses),
                "--gazetteer",
                str(f.binary),
                "--out",
                str(f.folder / "g.csv"),
            ],
            [r"^apk-geo geocode: error: ", "--gazetteer " + re.escape(str(f.binary)), "not a text"],
        ),
    ),
    (
        "config-string-for-a-number",
        lambda f: (
            [
                "--config",
                str(f.config('hostel_buffer_m = "abc"\n')),
                "status",
                "--store",
                str(f.demo),
            ],
            ["hostel_buffer_m", "'abc'", "expected a number", r"\.toml"],
        ),
    ),
    (
        "config-float-for-a-count",
        lambda f: (
            [
                "--config",
                str(f.config("min_public_count = 2.5\n")),
                "status",
                "--store",
                str(f.demo),
            ],
            ["min_public_count", "2.5", "whole number"],
        ),
    ),
    (
        "config-number-for-a-path",
        lambda f: (
            ["--config", str(f.config("[layers]\nsvl = 3\n")), "status", "--store", str(f.demo)],
            ["layers.svl", "expected a text"],
        ),
    ),
    (
        "config-category-without-label",
        lambda f: (
            [
                "--config",
                str(f.config('[[extra_categories]]\ncode = "x"\n')),
                "status",
                "--store",
                str(f.demo),
            ],
            [r"extra_categories\[1\]", "missing 'cs'"],
        ),
    ),
    (
        "report-out-is-a-file",
        lambda f: (
            [
                "report",
                "--store",
                str(f.demo),
                "--area",
                "Poruba",
                "--format",
                "html",
                "--out",
                str(f.existing_file),
                "--no-progress",
            ],
            [r"^apk-geo report: error: ", re.escape(str(f.existing_file))],
        ),
    ),
    (
        "route-negative-shift",
        lambda f: (
            [
                "route",
                "--store",
                str(f.demo),
                "--start",
                "49.83,18.17",
                "--shift-minutes",
                "-30",
                "--date",
                "2026-06-01",
                "--start-time",
                "08:00",
                "--out",
                str(f.folder / "r.json"),
            ],
            [r"^apk-geo route: error: ", r"shift[_-]minutes", "-30"],
        ),
    ),
    (
        "evaluate-bad-split-date",
        lambda f: (
            ["evaluate", "--store", str(f.demo), "--split-date", "xx"],
            [r"^apk-geo evaluate: error: ", "--split-date", "'xx'"],
        ),
    ),
    (
        "evaluate-bad-test-end",
        lambda f: (
            [
                "evaluate",
                "--store",
                str(f.demo),
                "--split-date",
                "2026-04-01",
                "--test-end",
                "31.2.2026",
            ],
            ["--test-end", "31.2.2026"],
        ),
    ),
    (
        "unknown-option",
        lambda f: (
            ["status", "--store", str(f.demo), "--colour"],
            [r"^apk-geo: error: unrecognized arguments: --colour", "--help"],
        ),
    ),
    (
        "missing-store",
        lambda f: (
            ["status", "--store", str(f.folder / "none.gpkg")],
            ["none.gpkg", "no store here"],
        ),
    ),
    (
        "bad-lock-timeout",
        lambda f: (
            ["ingest", str(f.export), "--store", str(f.folder / "s.gpkg"), "--lock-timeout", "-1"],
            ["--lock-timeout", "'-1'"],
        ),
    ),
    (
        "route-starts-in-vienna",
        lambda f: (
            [
                "route",
                "--store",
                str(f.demo),
                "--start",
                "48.2082,16.3738",
                "--shift-minutes",
                "120",
                "--date",
                "2026-06-01",
                "--start-time",
                "08:00",
                "--out",
                str(f.folder / "vienna.json"),
            ],
            [r"^apk-geo route: error: ", r"--start|start point", "48.2082"],
        ),
    ),
    (
        "geocode-encoding-rot13",
        lambda f: (
            [
                "geocode",
                str(f.addresses),
                "--gazetteer",
                str(f.binary),
                "--encoding",
                "rot13",
                "--out",
                str(f.folder / "g.csv"),
            ],
            ["--encoding|encoding", "rot13", "text encoding"],
        ),
    ),
]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_data_and_usage_errors_are_one_line_and_exit_2(files: Files, case: Case) -> None:
    args, needles = case(files)
    assert_one_line(run(args), code=2, needles=needles)


BUG = (
    "import sys, apk_geo._cli.status as s\n"
    "def run(args):\n"
    "    raise RuntimeError('boom\\nsecond line')\n"
    "s.run = run\n"
    "from apk_geo.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_an_unexpected_error_is_one_line_exit_1_and_names_debug(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BUG, "status", "--store", str(tmp_path / "x.gpkg")],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    line = assert_one_line(proc, code=1, needles=[])
    assert line == (
        "apk-geo status: unexpected error: RuntimeError: boom second line "
        "(run with --debug for the traceback)"
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(tmp_path: Path, where: str) -> None:
    args = ["status", "--store", str(tmp_path / "x.gpkg")]
    args = ["--debug", *args] if where == "before" else [*args, "--debug"]
    proc = subprocess.run(
        [sys.executable, "-c", BUG, *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "RuntimeError: boom" in proc.stderr


def test_a_closed_pipe_ends_quietly(files: Files) -> None:
    proc = subprocess.Popen(
        [*CLI, "status", "--store", str(files.demo), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command writes (like `| head -1`)
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "Error" not in err, err
    assert proc.returncode in (0, 141)
