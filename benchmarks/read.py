"""Benchmark the reader on the files people make: clean, with quoted notes, with a broken quote.

Generates ``--n`` incidents (default 1,000,000) as :mod:`benchmarks.pipeline` does (cp1250, ``;``,
Czech headers), derives a UTF-8 copy, one with a quoted note (delimiter and quotes inside) on
every tenth record, and one whose tenth record opens a quote that never closes, then times
:func:`apk_geo.io.read_table` on each (the best of ``--repeat`` runs) and prints rows/s, the
parser used (``fast``: the C parser, proven complete by the line and delimiter counts;
``strict``: record by record) and the records read and quarantined.

Usage::

    .venv/bin/python benchmarks/read.py --n 1000000 [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

from apk_geo import geocode
from apk_geo.io import read_table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import GAZETTEER, generate  # the benchmark next to this one


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
    folder.mkdir(parents=True, exist_ok=True)
    clean = generate(geocode.load_ruian_csv(GAZETTEER), n=args.n, seed=0, path=folder / "x.csv")
    for name, path in variants(clean).items():
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            raw = read_table(path)
            best = min(best, time.perf_counter() - t0)
        print(
            f"{name:<14} {best:7.2f} s {args.n / best:>12,.0f} rows/s  parser "
            f"{raw.params.get('parser')}  records {raw.n_rows:,}  bad {len(raw.bad_rows)}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
