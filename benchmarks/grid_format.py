"""Time to put a table into the dashboard's grid in Czech (app_pages/_grid.py, issue 14).

Formats a table of N rows (a whole number, two decimals, an aware time, a truth value and two
texts: a quarantine-like mix) as :func:`app_pages._grid.grid_data` does and marshals it as
``st.dataframe`` does (pandas' ``Styler._translate``, Streamlit's ``marshall_styler``), once with
distinct random values (worst case) and once with repeated values (the usual table: dates,
counts and categories repeat, and each column remembers the text of a value it met). Prints the
seconds and the microseconds per cell; ``_grid.MAX_STYLED_CELLS`` is chosen from these.

Usage::

    .venv/bin/python benchmarks/grid_format.py [--rows 1000 5000 20000]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from app_pages._grid import grid_data


def table(n: int, *, repeated: bool, seed: int = 0) -> pd.DataFrame:
    """Return an N-row table of seven columns; ``repeated``: 50 distinct values a column."""
    rng = np.random.default_rng(seed)
    distinct = 50 if repeated else n
    pick = rng.integers(0, distinct, n)
    return pd.DataFrame(
        {
            "count": (pick * 997) % 10**6,
            "share": pick / distinct * 1000,
            "when": pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(pick * 3600, "s"),
            "flag": pick % 2 == 0,
            "rate": pick / distinct,
            "text": ["Poruba"] * n,
            "note": ["neplatné datum"] * n,
        }
    )


def seconds(frame: pd.DataFrame) -> float:
    """Return the time to style and marshal ``frame`` in Czech."""
    start = time.perf_counter()
    styled = grid_data(frame, lang="cs")
    with pd.option_context("styler.render.max_elements", max(frame.size, 262_144)):
        marshall_styler(ArrowData(), styled, "bench")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 5000, 20000])
    args = parser.parse_args()
    for n in args.rows:
        for repeated in (False, True):
            frame = table(n, repeated=repeated)
            s = seconds(frame)
            print(json.dumps({"rows": n, "cells": frame.size, "repeated_values": repeated,
                              "seconds": round(s, 3),
                              "us_per_cell": round(1e6 * s / frame.size, 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
