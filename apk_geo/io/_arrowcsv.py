"""Read a CSV file without quotes with ``pyarrow.csv``: the C parser's frame, faster.

Used by the fast path of :mod:`apk_geo.io._records`, which checks the frame as it checks the
C parser's (the line and delimiter counts).
"""

from __future__ import annotations

import codecs
from typing import Final

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from apk_geo.io._text import Decoded

__all__ = ["arrow_cells"]

_QUOTE: Final = 0x22
_NUL: Final = 0x00


def arrow_cells(
    decoded: Decoded, *, delimiter: str, n_fields: int, header_lines: int
) -> pd.DataFrame | None:
    """Return every cell as text, read by ``pyarrow.csv``, when that is the C parser's frame.

    Only for a file with no quote and no NUL byte and a one-line header: then a record is a
    line and a field what lies between delimiters, for both parsers; an empty line is a row of
    empty cells for both (the caller counts it as blank). pyarrow refuses a line with another
    field count than ``n_fields``, and the rows must be the data lines, one each; else (or if
    the text does not decode) ``None`` and the C parser reads the file. The frame then goes
    through the same checks as the C parser's (:mod:`apk_geo.io._records`).
    """
    stats = decoded.stats
    records = stats.physical_lines - header_lines
    if stats.has(_QUOTE) or stats.has(_NUL) or header_lines != 1 or records <= 0:
        return None
    data = _utf8(decoded)
    if data is None:
        return None
    names = [f"f{i}" for i in range(n_fields)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(skip_rows=header_lines, column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, MemoryError):
        return None  # a ragged row, an empty line, bad UTF-8: the C parser and its checks
    if table.num_rows != records:
        return None
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _utf8(decoded: Decoded) -> bytes | None:
    """Return the bytes to parse as UTF-8 (decoded strictly); ``None`` if they do not decode."""
    if codecs.lookup(decoded.parse_encoding).name == "utf-8" or not decoded.stats.non_ascii:
        return decoded.content  # UTF-8 (pyarrow checks it) or ASCII, the same in every code page
    try:
        return decoded.content.decode(decoded.parse_encoding).encode("utf-8")
    except UnicodeDecodeError:
        return None
