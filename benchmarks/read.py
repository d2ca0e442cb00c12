"""Benchmark the reader on the files people make: clean, with quoted notes, with a broken quote.

Generates ``--n`` incidents (default 1,000,000) as :mod:`benchmarks.pipeline` does (cp1250, ``;``,
Czech headers), derives a UTF-8 copy, one with a quoted note (delimiter and quotes inside) on
every tenth record, and one whose tenth record opens a quote that never closes, then times
:func:`apk_geo.io.read_table` on each (the best of ``--repeat`` runs) and prints rows/s, the
parser used (``fast``: the C parser, or ``pyarrow.csv`` for a file without quotes, proven
complete by the line and delimiter counts; ``strict``: record by record) and the records read
and quarantined. Alternating with it, in the same run: ``read_table`` with the C parser only
(pyarrow switched off) and plain ``pyarrow.csv`` reading the same file (the reference).

Usage::

    .venv/bin/python benchmarks/read.py --n 1000000 [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import atexit
import logging
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from apk_geo import geocode
from apk_geo.io import RawTable, _records, read_table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import GAZETTEER, generate  # the benchmark next to this one

#: the module whose pyarrow reader is switched off or watched here
_RECORDS: Any = _records


def variants(clean: Path) -> dict[str, Path]:
    """Write the UTF-8, quoted-notes and broken-quote variants of ``clean`` next to it."""
    text = clean.read_bytes().decode("cp1250")
    lines = text.split("\r\n")
    quoted = list(lines)
    for i in range(1, len(quoted), 10):
        if quoted[i]:
            parts = quoted[i].split(";")
            parts[7] = '"pes; kočka ""Max"""'
            quoted[i] = ";".join(parts)
    broken = list(lines)
    parts = broken[10].split(";")
    parts[4] = '"' + parts[4]
    broken[10] = ";".join(parts)
    out = {"clean cp1250": clean}
    for name, body, encoding in (
        ("clean utf-8", text, "utf-8"),
        ("quoted notes", "\r\n".join(quoted), "cp1250"),
        ("broken quote", "\r\n".join(broken), "cp1250"),
    ):
        path = clean.with_name(name.replace(" ", "_") + ".csv")
        path.write_bytes(body.encode(encoding))
        out[name] = path
    return out


def main(argv: list[str] | None = None) -> int:
    """Generate the files, time the reader on each, print one line per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="incidents (1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (best is shown)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    args = parser.parse_args(argv)
    if GAZETTEER is None:
        parser.error("no demo gazetteer in data/demo; run `apk-geo demo` first")
    logging.disable(logging.WARNING)  # the DST notes of the generated times
    folder = args.keep or Path(tempfile.mkdtemp(prefix="apk-bench-read-"))
    if args.keep is None:  # the generated files take up to 3 GB: gone when the run ends
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    clean = generate(geocode.load_ruian_csv(GAZETTEER), n=args.n, seed=0, path=folder / "x.csv")
    for name, path in variants(clean).items():
        best = {"read_table": float("inf"), "C parser": float("inf"), "pyarrow.csv": float("inf")}
        for _ in range(args.repeat):  # alternating, so a busy moment hits all three
            for how in best:
                t0 = time.perf_counter()
                try:
                    _read(path, how)
                except pa.ArrowInvalid:  # plain pyarrow.csv refuses a broken quote
                    best[how] = float("nan")
                    continue
                best[how] = min(best[how], time.perf_counter() - t0)
        raw, by_arrow = _read_watched(path)
        plain = (
            "refuses the file"
            if math.isnan(best["pyarrow.csv"])
            else f"{best['pyarrow.csv']:.2f} s (read_table / pyarrow.csv "
            f"{best['read_table'] / best['pyarrow.csv']:.1f})"
        )
        print(
            f"{name:<14} {best['read_table']:7.2f} s {args.n / best['read_table']:>12,.0f} rows/s"
            f"  parser {raw.params.get('parser')}"
            f"{' (pyarrow.csv)' if by_arrow else ''}"
            f"  records {raw.n_rows:,}  bad {len(raw.bad_rows)}\n"
            f"{'':<14} with the C parser only {best['C parser']:.2f} s; plain pyarrow.csv "
            f"{plain}",
            flush=True,
        )
    return 0


def _read_watched(path: Path) -> tuple[RawTable, bool]:
    """Read ``path`` with read_table; return the table and whether pyarrow read the cells."""
    saved = _RECORDS.arrow_cells
    taken: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        frame = saved(*args, **kwargs)
        taken.append(frame is not None)
        return frame

    _RECORDS.arrow_cells = watched
    try:
        return read_table(path), any(taken)
    finally:
        _RECORDS.arrow_cells = saved


def _read(path: Path, how: str) -> object:
    """Read ``path`` with read_table, with read_table without pyarrow, or plain pyarrow.csv."""
    if how == "pyarrow.csv":
        text = path.read_bytes()
        if not path.name.startswith("clean_utf"):
            text = text.decode("cp1250").encode("utf-8")
        opts = pacsv.ParseOptions(delimiter=";")
        return pacsv.read_csv(pa.py_buffer(text), parse_options=opts).to_pandas()
    if how == "C parser":
        saved = _RECORDS.arrow_cells
        _RECORDS.arrow_cells = lambda *a, **k: None
        try:
            return read_table(path)
        finally:
            _RECORDS.arrow_cells = saved
    return read_table(path)


if __name__ == "__main__":
    sys.exit(main())
