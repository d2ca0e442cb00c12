"""The errors of the RÚIAN address-point file, in Czech or English: texts that know their key.

An address-point file comes from ČÚZK or from someone's export, so its errors name the file (a
ZIP member as ``archive.zip!member.csv``), the line and the column by ČÚZK's own header name
(„Souřadnice Y“, „Typ SO“) and what was expected. They are :class:`~apk_geo.messages.Message` s:
``str(exc)`` is the English text (as ``match=`` in tests and logs read it), while the command
line and the dashboard show it in the user's language. The texts are the ``io.ruian.`` strings
of :mod:`apk_geo._strings_io`.

Examples
--------
>>> from apk_geo.messages import error_text
>>> exc = empty_cell("x.csv", name="adm", line=3)
>>> str(exc)
"x.csv: column 'Kód ADM' is empty on line 3"
>>> error_text(exc, "cs")
'x.csv: sloupec „Kód ADM“ je na řádku 3 prázdný; očekává se číslo'
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from apk_geo.errors import GeocodingError, InputFileError
from apk_geo.messages import Message, file_error

__all__ = [
    "HEADER_NAMES",
    "bad_zip",
    "decode_as",
    "empty_cell",
    "missing_columns",
    "mixed_axes",
    "no_coordinates",
    "not_csv",
    "not_number",
    "not_text",
    "so_type",
    "unreadable",
    "zip_no_csv",
]

#: The gazetteer reader's columns → ČÚZK's header names (what a person sees in the file).
HEADER_NAMES: Final = {
    "adm": "Kód ADM",
    "obec_code": "Kód obce",
    "obec": "Název obce",
    "momc_code": "Kód MOMC",
    "part_code": "Kód části obce",
    "part": "Název části obce",
    "street_code": "Kód ulice",
    "street": "Název ulice",
    "so_type": "Typ SO",
    "house_no": "Číslo domovní",
    "orient_no": "Číslo orientační",
    "_coord_y": "Souřadnice Y",
    "_coord_x": "Souřadnice X",
}

_OS_REASONS: Final = {
    errno.ENOENT: "io.ruian.os.missing",
    errno.EACCES: "io.ruian.os.denied",
    errno.EISDIR: "io.ruian.os.directory",
}


def _header(name: str) -> str:
    return HEADER_NAMES.get(name, name)


def unreadable(path: Path, exc: OSError) -> InputFileError:
    """A file that cannot be read (the system's reason, in Czech for the usual ones)."""
    key = _OS_REASONS.get(exc.errno or 0)
    reason: Message | str = Message(key) if key else str(exc.strerror or exc)
    return file_error(Message("io.ruian.unreadable", reason=reason), path=path)


def zip_no_csv(path: Path, names: Sequence[str]) -> InputFileError:
    """A ZIP archive without a ``.csv`` member."""
    return file_error(Message("io.ruian.zip_no_csv", names=list(names)[:5]), path=path)


def bad_zip(path: Path) -> InputFileError:
    """A file that starts as a ZIP archive but cannot be read as one."""
    return file_error(Message("io.ruian.bad_zip"), path=path)


def not_csv(path: Path, *, empty: bool) -> InputFileError:
    """A file the CSV reader cannot split into ``;`` columns (``empty``: it has no data)."""
    key = "io.ruian.empty" if empty else "io.ruian.not_csv"
    return file_error(Message(key), path=path)


def missing_columns(
    path: Path, missing: Sequence[str], *, header: Sequence[object], expected: str
) -> InputFileError:
    """A CSV without the RÚIAN columns ``missing`` (the reader's names)."""
    names = [_header(c) for c in missing]
    shown = list(map(str, header))[:20]
    text = Message(
        "io.ruian.missing_columns", n=len(names), missing=names, header=shown, expected=expected
    )
    return file_error(text, path=path)


def decode_as(path: Path, encoding: str, exc: Exception) -> InputFileError:
    """A file that is not text in the ``encoding`` asked for (or an encoding Python lacks)."""
    if isinstance(exc, UnicodeDecodeError):
        text = Message("io.ruian.decode_as", encoding=repr(encoding), start=str(exc.start))
    else:
        text = Message("io.ruian.unknown_encoding", encoding=repr(encoding))
    return file_error(text, path=path)


def not_text(path: Path, start: int) -> InputFileError:
    """A file that is neither UTF-8 nor cp1250 (byte ``start`` is neither)."""
    return file_error(Message("io.ruian.not_text", start=str(start)), path=path)


def not_number(path: Path, *, name: str, value: str, line: int) -> InputFileError:
    """A cell of a number column (``name``: the reader's or ČÚZK's) that is not a number."""
    text = Message("io.ruian.not_number", name=_header(name), value=repr(value), line=str(line))
    return file_error(text, path=path)


def empty_cell(path: Path | str, *, name: str, line: int) -> InputFileError:
    """An empty cell of a code that every address point has."""
    text = Message("io.ruian.empty_cell", name=_header(name), line=str(line))
    return file_error(text, path=path)


def so_type(path: Path, *, value: object, line: int) -> InputFileError:
    """A ``Typ SO`` that is neither ``č.p.`` nor ``č.ev.``."""
    return file_error(Message("io.ruian.so_type", value=repr(value), line=str(line)), path=path)


def mixed_axes(path: Path, *, line: int, swapped: int, total: int) -> InputFileError:
    """A file whose points disagree on the order of Y and X (``line``: the first odd one)."""
    text = Message("io.ruian.mixed_axes", line=str(line), swapped=swapped, total=total)
    return file_error(text, path=path)


def no_coordinates(rows: int) -> GeocodingError:
    """A gazetteer frame without a point with coordinates."""
    return GeocodingError(Message("io.ruian.no_coordinates", n=rows))
