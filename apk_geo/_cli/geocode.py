"""``apk-geo geocode INPUT.csv --gazetteer RUIAN.csv --out OUT.csv [--json]``.

Geocodes the addresses of a CSV against a RÚIAN address-point file and writes every input row,
with its columns unchanged, plus ``lat, lon, x_5514, y_5514, match, score, ruian_adm,
geocode_reason``. Rows that cannot be placed are kept with ``match == "failed"`` and the reason.
The output is a table for Czech Excel and LibreOffice (``;``, decimal comma, UTF-8 with BOM,
Czech headers of the added columns and Czech match kinds: ``přesná shoda`` …; ``--lang en``:
English, ``,`` and decimal point), or an Excel workbook when ``--out`` ends with ``.xlsx``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from apk_geo._cli._common import add_json_flag, add_lang_option, emit, read_gazetteer, text_encoding
from apk_geo._cli._labels import print_table
from apk_geo.geocode import MATCH_KINDS, build_index, geocode
from apk_geo.i18n import t
from apk_geo.io import read_csv, write_table
from apk_geo.messages import Message, file_error
from apk_geo.schema import HEADER_ALIASES, fold


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``geocode`` sub-command."""
    parser = subparsers.add_parser(
        "geocode",
        help="cli.help.geocode",
        description=("cli.help.geocode.description"),
    )
    parser.add_argument("input", type=Path, help="cli.help.geocode.input")
    parser.add_argument(
        "--gazetteer",
        type=Path,
        required=True,
        help="cli.help.geocode.gazetteer",
    )
    parser.add_argument("--out", type=Path, required=True, help="cli.help.geocode.out")
    add_lang_option(parser, help_key="cli.help.geocode.lang")
    parser.add_argument(
        "--address-col",
        default=None,
        help="cli.help.geocode.address_col",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        default=85.0,
        help="cli.help.geocode.min_score",
    )
    parser.add_argument("--delimiter", default=None, help="cli.help.geocode.delimiter")
    parser.add_argument(
        "--encoding",
        type=text_encoding,
        default=None,
        help="cli.help.geocode.encoding",
    )
    add_json_flag(parser)
    parser.set_defaults(func=run)


def _find(columns: list[str], canonical: str) -> str | None:
    """Return the input column whose folded header is an alias of ``canonical``."""
    aliases = set(HEADER_ALIASES.get(canonical, (canonical,)))
    for col in columns:
        if fold(col) in aliases:
            return col
    return None


def run(args: argparse.Namespace) -> int:
    """Geocode ``args.input`` and write ``args.out``; print a summary. Return 0."""
    start = time.perf_counter()
    frame = read_csv(args.input, delimiter=args.delimiter, encoding=args.encoding)
    columns = list(map(str, frame.columns))
    address_col = args.address_col or _find(columns, "address")
    if args.address_col and args.address_col not in frame.columns:
        text = Message("cli.err.no_column", column=repr(args.address_col), columns=columns)
        raise file_error(text, path=args.input)
    names = {c: _find(columns, c) for c in ("lat", "lon", "x", "y")}
    has_coords = (names["lat"] and names["lon"]) or (names["x"] and names["y"])
    if address_col is None and not has_coords:
        raise file_error(Message("cli.err.no_address", columns=columns), path=args.input)
    gazetteer = read_gazetteer(args.gazetteer)
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
    # every input row comes back (incident records with their addresses): a new file is 0600
    write_table(out, args.out, lang=args.lang, private=True)
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
    if args.json:
        emit(summary, as_json=True, title="")
    else:
        print_table(summary, title=t("cli.geocode.title", args.lang), lang=args.lang)
    return 0
