"""``apk-geo geocode INPUT.csv --gazetteer RUIAN.csv --out OUT.csv [--json]``.

Geocodes the addresses of a CSV against a RÚIAN address-point file and writes every input row,
with its columns unchanged, plus ``lat, lon, x_5514, y_5514, match, score, ruian_adm,
geocode_reason``. Rows that cannot be placed are kept with ``match == "failed"`` and the reason.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from apk_geo._cli._common import add_json_flag, emit
from apk_geo.errors import InputFileError
from apk_geo.geocode import MATCH_KINDS, build_index, geocode, load_ruian_csv
from apk_geo.schema import HEADER_ALIASES, fold

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``geocode`` sub-command."""
    parser = subparsers.add_parser(
        "geocode",
        help="geocode a CSV of addresses against the RÚIAN address points",
        description=(
            "Place every row of INPUT.csv using its address (or its lat/lon or S-JTSK x/y "
            "columns) and write OUT.csv with lat, lon, x_5514, y_5514, match, score, ruian_adm "
            "and geocode_reason added. Failed rows are kept."
        ),
    )
    parser.add_argument("input", type=Path, help="CSV with an address column (INPUT.csv)")
    parser.add_argument(
        "--gazetteer",
        type=Path,
        required=True,
        help="RÚIAN address-point CSV (YYYYMMDD_OB_<kód obce>_ADR.csv)",
    )
    parser.add_argument("--out", type=Path, required=True, help="output CSV (OUT.csv)")
    parser.add_argument(
        "--address-col",
        default=None,
        help="address column (default: 'address', 'adresa', 'místo', …)",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        default=85.0,
        help="lowest similarity 0–100 for a misspelt street (default 85)",
    )
    parser.add_argument(
        "--delimiter", default=None, help="input delimiter (default: detected among ; , tab)"
    )
    parser.add_argument(
        "--encoding", default=None, help="input encoding (default: UTF-8, else cp1250)"
    )
    add_json_flag(parser)
    parser.set_defaults(func=run)


def _read_input(
    path: Path, *, delimiter: str | None, encoding: str | None
) -> tuple[pd.DataFrame, str]:
    """Read the input CSV as text columns; return it and the delimiter used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the input: {exc.strerror}", path=str(path)) from exc
    if encoding is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            logger.info("%s: not UTF-8; read as cp1250", path)
            text = raw.decode("cp1250")
    else:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputFileError(f"cannot decode as {encoding!r}: {exc}", path=str(path)) from exc
    if delimiter is None:
        first = text.split("\n", 1)[0]
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=";,\t").delimiter
        except csv.Error:
            delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(f"not a readable CSV: {exc}", path=str(path)) from exc
    return frame, delimiter


def _find(columns: list[str], canonical: str) -> str | None:
    """Return the input column whose folded header is an alias of ``canonical``."""
    aliases = set(HEADER_ALIASES.get(canonical, (canonical,)))
    for col in columns:
        if fold(col) in aliases:
            return col
    return None


def _write_atomic(frame: pd.DataFrame, path: Path, *, delimiter: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            frame.to_csv(fh, sep=delimiter, index=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Geocode ``args.input`` and write ``args.out``; print a summary. Return 0."""
    start = time.perf_counter()
    frame, delimiter = _read_input(args.input, delimiter=args.delimiter, encoding=args.encoding)
    columns = list(map(str, frame.columns))
    address_col = args.address_col or _find(columns, "address")
    if args.address_col and args.address_col not in frame.columns:
        raise InputFileError(
            f"no column {args.address_col!r}; the columns are {columns}", path=str(args.input)
        )
    names = {c: _find(columns, c) for c in ("lat", "lon", "x", "y")}
    has_coords = (names["lat"] and names["lon"]) or (names["x"] and names["y"])
    if address_col is None and not has_coords:
        raise InputFileError(
            f"no address column and no coordinate columns; the columns are {columns}; "
            f"name the address column with --address-col",
            path=str(args.input),
        )
    gazetteer = load_ruian_csv(args.gazetteer)
    out = geocode(
        frame,
        build_index(gazetteer),
        address_col=address_col or "address",
        min_score=args.min_score,
        lat_col=names["lat"] or "lat",
        lon_col=names["lon"] or "lon",
        x_col=names["x"] or "x",
        y_col=names["y"] or "y",
    )
    _write_atomic(out, args.out, delimiter=delimiter)
    counts = out.attrs["params"]["counts"]
    summary: dict[str, object] = {
        "input": str(args.input),
        "output": str(args.out),
        "rows": len(out),
        **{kind: counts[kind] for kind in MATCH_KINDS},
        "gazetteer_points": len(gazetteer),
        "address_column": address_col,
        "seconds": round(time.perf_counter() - start, 2),
    }
    emit(summary, as_json=args.json, title="Geocoding finished")
    return 0
