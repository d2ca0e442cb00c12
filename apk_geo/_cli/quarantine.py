"""``apk-geo quarantine --store PATH|URL --out FILE``: export the rejected rows for correction.

The file is CSV for Czech Excel and LibreOffice (UTF-8 with BOM, ``;``, Czech headers;
``--lang en``: English headers, ``,``) or, when ``--out`` ends with ``.xlsx``, an Excel
workbook. Either way it is formula-safe: a cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return (a quarantined row may hold ``=HYPERLINK(...)``) is written with a
leading ``'`` so a spreadsheet shows it as text
(:func:`apk_geo.io.write_table`). The field of each row is the column of the user's own file
(``Datum + Čas``, ``Kategorie``) and what was expected is in ``--lang``
(:func:`apk_geo.io.quarantine_text.quarantine_for_display`), as in the dashboard's download.
The rows hold personal data: a new file is ``0600``, and the
export is recorded in the store's audit log (``export``, the file name and row count).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from apk_geo._cli._common import add_json_flag, add_lang_option, add_store_option, emit
from apk_geo._cli._labels import print_table
from apk_geo.errors import StoreError
from apk_geo.i18n import t
from apk_geo.io import write_table
from apk_geo.io.quarantine_text import quarantine_for_display
from apk_geo.store import open_store
from apk_geo.store._messages import Message


def register(sub: Any) -> None:
    """Add the ``quarantine`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "quarantine", help="cli.help.quarantine", description="cli.help.quarantine.description"
    )
    add_store_option(p)
    p.add_argument(
        "--out",
        required=True,
        help="cli.help.quarantine.out",
    )
    p.add_argument("--delimiter", default=None, help="cli.help.quarantine.delimiter")
    add_lang_option(p, help_key="cli.help.quarantine.lang")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the quarantine to ``--out``; return the exit code."""
    store = open_store(args.store)
    table = quarantine_for_display(store.quarantine(), args.lang)
    out = Path(args.out)
    try:
        write_table(table, out, lang=args.lang, delimiter=args.delimiter, private=True)
    except OSError as exc:
        raise StoreError(Message("cli.err.quarantine_write", file=out, reason=exc)) from exc
    store.audit("export", subject="quarantine", details={"rows": len(table), "file": out.name})
    summary = {"rows": len(table), "out": str(out)}
    if args.json:
        emit(summary, as_json=True, title="")
    else:
        print_table(
            summary,
            title=t("cli.quarantine.title", args.lang, store=store.location),
            lang=args.lang,
        )
    return 0
