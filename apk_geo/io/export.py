"""Write tables and layers: the one writer of every file of records the product produces.

* :func:`write_layer` writes a GeoDataFrame, the format chosen by the file's suffix
  (:data:`LAYER_FORMATS`): GeoPackage 1.3 (``.gpkg``, in the layer's own or a given CRS, with a
  default QGIS style for hotspot classes, density and risk), GeoJSON (``.geojson``: RFC 7946
  through GDAL's ``RFC7946=YES``, EPSG:4326) or CSV (``.csv``: the attributes, the centroid's
  ``lon``/``lat`` and the geometry as ``wkt``, all EPSG:4326, in the table style below).
  Date-times are written in UTC with a local wall-clock text column beside them, so QGIS
  (which shows DATETIME fields in UTC) users see local times too; dates are DATE fields.
* :func:`write_table` writes a table for people: CSV for Czech Excel and LibreOffice by default
  (UTF-8 with BOM, ``;``, decimal comma, local times without an offset, Czech headers and values
  from :mod:`apk_geo.io.columns`), ``lang="en"`` for English (``,``, decimal point), or, for
  ``.xlsx``, an Excel workbook with real number and date cells.
* :func:`layer_bytes` and :func:`table_bytes` return what :func:`write_layer` and
  :func:`write_table` would write, for a download button.

**Formula-safe spreadsheets** (OWASP's CSV-injection rule): a spreadsheet opens a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula
(``=HYPERLINK(...)`` becomes a live link). Every CSV and XLSX written here (tables, the CSV of a
layer, their bytes for downloads) goes through :func:`formula_safe`, which puts a single quote
``'`` before such a text cell, header names included. Numbers stay numbers: numeric cells are
never touched, and neither is text that is a plain number (``-46900``, ``+420``, ``-1,5``;
not ``-1+2`` or ``+420 123``),
which a spreadsheet reads as that number, not as a formula. In an XLSX file every text cell is
also typed as text, so no cell is ever written as a formula.

Every write goes through :func:`apk_geo.files.atomic_path`: a reader or a kill at any moment sees
the old file or the new one, never half of one. ``private=True`` creates a new file ``0600``, for
files that hold personal data (quarantined rows, geocoded incident records).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from apk_geo._validate import require_crs
from apk_geo.coords import metric_crs
from apk_geo.errors import ParameterError
from apk_geo.files import atomic_path
from apk_geo.io._qgis import add_default_style
from apk_geo.io.columns import Lang, check_lang, display_table
from apk_geo.schema import CRS_WEB, TIMEZONE
from apk_geo.times import to_local, wall_clock

__all__ = [
    "FORMULA_PREFIXES",
    "LAYER_FORMATS",
    "TABLE_FORMATS",
    "formula_safe",
    "layer_bytes",
    "table_bytes",
    "write_layer",
    "write_table",
]

#: File suffix → format written by :func:`write_layer`.
LAYER_FORMATS: Final = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".csv": "CSV"}
#: Formats of :func:`write_table` and :func:`table_bytes`.
TABLE_FORMATS: Final = ("csv", "xlsx")
#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")

_FORMULA_START: Final = re.compile(r"^[=+\-@\t\r]")
#: Text a spreadsheet reads as a plain number (not a formula), left as it is.
_PLAIN_NUMBER: Final = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_XLSX_SHEET: Final = "data"
#: Date-times in CSV: local wall clock without an offset, read as a date-time in every locale.
_CSV_DATETIME: Final = "%Y-%m-%d %H:%M:%S"
_CSV_DATE: Final = "%Y-%m-%d"
#: Number formats of XLSX date-time and date cells per language.
_XLSX_DATETIME: Final[Mapping[str, str]] = {"cs": "d.m.yyyy h:mm:ss", "en": "yyyy-mm-dd hh:mm:ss"}
_XLSX_DATE: Final[Mapping[str, str]] = {"cs": "d.m.yyyy", "en": "yyyy-mm-dd"}
_UTC_NAMES: Final = frozenset({"UTC", "utc", "UTC+00:00", "Etc/UTC", "GMT"})

_Writer = Callable[[gpd.GeoDataFrame, Path, CRS, str, Lang], None]


def write_layer(
    frame: gpd.GeoDataFrame,
    path: str | Path,
    *,
    layer: str | None = None,
    crs: Any = None,
    private: bool = False,
    lang: str = "cs",
) -> str:
    """Write ``frame`` to ``path`` atomically, in the format its suffix names.

    Layers open right in QGIS: a GeoPackage is version 1.3 (read without warnings by the
    GDAL 3.6 of Debian 12 and QGIS 3.22–3.28) and carries a default QGIS style in
    ``layer_styles`` when it has ``hotspot_class``, ``density_km2`` or ``risk``; GeoJSON is
    RFC 7946 (GDAL's ``RFC7946=YES``: no ``crs`` member, 7 decimals, counter-clockwise outer
    rings) named after the layer. Every date-time column is written in UTC (``…Z``) with a
    ``<column>_local`` text column of the local wall-clock time next to it (QGIS shows
    DATETIME fields in UTC); dates (naive midnight values of a column not named ``*_at``, or
    :class:`datetime.date` values) are DATE fields. The CSV is the table style of
    :func:`write_table` (``lang``).

    Parameters
    ----------
    frame
        The layer; it must have a CRS. It is not changed.
    path
        ``.gpkg``, ``.geojson`` or ``.csv`` (case-insensitive); missing folders are created.
    layer
        GeoPackage layer name; default the file's stem.
    crs
        CRS of a GeoPackage (anything :meth:`pyproj.CRS.from_user_input` reads); default the
        frame's own. GeoJSON and CSV are always written in EPSG:4326, whatever this says.
    private
        Create a new file ``0600`` (personal data); an existing file keeps its mode.
    lang
        ``"cs"`` (default) or ``"en"``: the CSV's style and headers, the QGIS legend's labels.

    Returns
    -------
    str
        The CRS written, e.g. ``"EPSG:4326"``.

    Raises
    ------
    ParameterError
        If the suffix is not one of :data:`LAYER_FORMATS`.
    CRSError
        If ``frame`` has no CRS.

    Notes
    -----
    GeoPackage and GeoJSON get a copy whose columns every driver stores: infinite floats become
    missing, lists, tuples and dicts JSON text, ``attrs`` are dropped. CSV keeps the values as
    pandas writes them.

    Examples
    --------
    >>> write_layer(cells, "out/hotspots.gpkg", layer="hotspots")  # doctest: +SKIP
    'EPSG:5514'
    """
    target = Path(path)
    writer = _writer(target)
    code = check_lang(lang)
    require_crs(frame, name="the layer to write")
    out_crs = _output_crs(frame, suffix=target.suffix.lower(), crs=crs)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target, private=private) as tmp:
        writer(frame, tmp, out_crs, layer or target.stem, code)
    return str(out_crs.to_string())


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    lang: str = "cs",
    labels: bool = True,
    delimiter: str | None = None,
    encoding: str = "utf-8-sig",
    lineterminator: str = "\r\n",
    private: bool = False,
    fmt: Literal["csv", "xlsx"] | None = None,
    sheet: str = _XLSX_SHEET,
) -> Path:
    r"""Write a table to ``path`` as CSV or XLSX for people, formula-safe, atomically.

    The Czech style (default) is what Czech Excel and LibreOffice open without an import
    dialog: UTF-8 with a byte-order mark, ``;`` between fields, decimal comma, local times
    without an offset (``2026-07-03 05:04:00``, the column's own zone; Europe/Prague for the
    store's incidents), Czech headers and values (:func:`apk_geo.io.columns.display_table`:
    ``přesná shoda``, ``ano``/``ne``, category labels). ``lang="en"`` writes ``,`` and a decimal
    point with English headers and values. XLSX has real number and date cells in either.

    Parameters
    ----------
    frame
        The table with internal column names; its index is not written. It is not changed.
    path
        The file; missing folders are created.
    lang
        ``"cs"`` (default) or ``"en"``: headers, values, separator and decimal mark.
    labels
        Translate headers and coded values and round ``lat``/``lon`` to
        :data:`DEGREE_DIGITS` decimals (default); ``False`` keeps the frame's own.
    delimiter
        CSV field separator; default ``";"`` for ``cs``, ``","`` for ``en``. It cannot be the
        decimal mark of ``lang``.
    encoding
        CSV text encoding; default ``"utf-8-sig"`` (UTF-8 with the byte-order mark Excel needs).
    lineterminator
        CSV line ending; default ``"\r\n"`` (RFC 4180, as Excel writes it), so that a value
        holding either ``\r`` or ``\n`` is quoted.
    private
        Create a new file ``0600`` (personal data); an existing file keeps its mode.
    fmt
        ``"csv"`` or ``"xlsx"``; default from the suffix (``.xlsx`` → XLSX, anything else CSV).
    sheet
        Name of the XLSX sheet.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ParameterError
        If ``fmt`` is not one of :data:`TABLE_FORMATS`, ``lang`` not ``cs``/``en``, or the
        delimiter is the decimal mark.

    Notes
    -----
    Text cells that a spreadsheet would run as a formula get a leading ``'`` (see the module
    docstring and :func:`formula_safe`). Numbers are written as plain numbers (no thousands
    separator, no quotes), so a spreadsheet in the language's locale reads them as numbers.

    Examples
    --------
    >>> write_table(store.quarantine(), "q.csv", private=True)  # doctest: +SKIP
    PosixPath('q.csv')
    """
    target = Path(path)
    kind = _table_format(target, fmt)
    style = _csv_style(lang, delimiter)
    target.parent.mkdir(parents=True, exist_ok=True)
    shown = display_table(_degrees_rounded(frame), lang=style.lang) if labels else frame
    safe = formula_safe(shown)
    with atomic_path(target, private=private) as tmp:
        if kind == "xlsx":
            _xlsx(safe, tmp, sheet=sheet, lang=style.lang)
        else:
            _csv_text(safe).to_csv(
                tmp,
                index=False,
                sep=style.delimiter,
                decimal=style.decimal,
                encoding=encoding,
                lineterminator=lineterminator,
            )
    return target


def table_bytes(
    frame: pd.DataFrame,
    *,
    fmt: Literal["csv", "xlsx"] = "csv",
    lang: str = "cs",
    labels: bool = True,
    delimiter: str | None = None,
    encoding: str = "utf-8-sig",
    lineterminator: str = "\r\n",
    sheet: str = _XLSX_SHEET,
) -> bytes:
    """Return the bytes :func:`write_table` writes (for a download), formula-safe.

    Parameters
    ----------
    frame
        The table.
    fmt, lang, labels, delimiter, encoding, lineterminator, sheet
        As for :func:`write_table`.

    Returns
    -------
    bytes
        The file's content.

    Examples
    --------
    >>> data = table_bytes(store.quarantine(), lang="cs")  # doctest: +SKIP
    """
    with tempfile.TemporaryDirectory(prefix="apk-geo-table-") as folder:
        path = Path(folder) / f"table.{_table_format(Path('x.' + str(fmt)), fmt)}"
        write_table(
            frame,
            path,
            lang=lang,
            labels=labels,
            delimiter=delimiter,
            encoding=encoding,
            lineterminator=lineterminator,
            fmt=fmt,
            sheet=sheet,
        )
        return path.read_bytes()


#: Decimals of the degree columns in a table for people: 7 is about a centimetre, and a
#: transformed point carries no more (its S-JTSK metres have two decimals).
DEGREE_DIGITS: Final = 7


def _degrees_rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its numeric ``lat``/``lon`` columns rounded to DEGREE_DIGITS."""
    degrees = [c for c in ("lat", "lon") if c in frame.columns]
    if not any(pd.api.types.is_float_dtype(frame[c]) for c in degrees):
        return frame
    out = frame.copy()
    for c in degrees:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(DEGREE_DIGITS)
    return out


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell (and a column name) that starts with one of :data:`FORMULA_PREFIXES` gets a
    leading ``'``, unless it is a plain number (``-46900``, ``+1,5``), which a spreadsheet reads
    as that number. Numeric, boolean and date columns are not changed.

    Parameters
    ----------
    frame
        The table.

    Returns
    -------
    pandas.DataFrame
        The same table with such cells neutralised (``attrs`` kept).

    Examples
    --------
    >>> formula_safe(pd.DataFrame({"v": ["=1+1", "-5", "@x", "ok"]}))["v"].tolist()
    ["'=1+1", '-5', "'@x", 'ok']
    """
    out = frame.copy()
    out.columns = pd.Index([_safe_text(c) if isinstance(c, str) else c for c in out.columns])
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if not (pd.api.types.is_string_dtype(col.dtype) or col.dtype == object):
            continue
        text = col.map(lambda v: v if not isinstance(v, str) else _safe_text(v))
        values = text.astype(col.dtype) if col.dtype != object else text
        out.isetitem(i, values.to_numpy() if col.dtype == object else values.array)
    return out


def _safe_text(value: str) -> str:
    """Return ``value`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    if _FORMULA_START.match(value) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class _CsvStyle:
    """Separator and decimal mark of one language's CSV."""

    lang: Lang
    delimiter: str
    decimal: str


def _csv_style(lang: str, delimiter: str | None) -> _CsvStyle:
    """Return the CSV style of ``lang``; refuse a delimiter that is the decimal mark."""
    code = check_lang(lang)
    decimal = "," if code == "cs" else "."
    sep = delimiter if delimiter is not None else (";" if code == "cs" else ",")
    if sep == decimal:
        raise ParameterError(
            f"the CSV delimiter {sep!r} is the decimal mark of lang={code!r}; "
            f"use {';' if code == 'cs' else ','!r} or the other language"
        )
    return _CsvStyle(lang=code, delimiter=sep, decimal=decimal)


def _csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with date-times as local wall-clock text, ready for ``to_csv``.

    Times are written in the column's own zone without an offset (``2026-07-03 05:04:00``),
    which every spreadsheet locale reads as a date-time; numbers stay numbers (``to_csv``
    writes them with the style's decimal mark).
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col):
            out.isetitem(i, _wall_text(col).to_numpy())
        elif col.dtype == object:
            out.isetitem(i, col.map(_cell_text).to_numpy())
    return out


def _wall_text(col: pd.Series) -> pd.Series:
    """Return date-times as naive wall-clock text (see :func:`_wall`); missing → empty."""
    naive = _wall(col)
    pattern = _CSV_DATE if _is_date_column(str(col.name), col) else _CSV_DATETIME
    text: pd.Series = naive.dt.strftime(pattern).astype("object")
    return text.where(naive.notna(), None)


def _wall(col: pd.Series) -> pd.Series:
    """Return naive wall-clock times: UTC shown in Europe/Prague, other zones in their own.

    The store keeps some times in UTC (``imported_at``); people read them in local time. Data of
    another city (San Francisco points) keep their own zone; naive times are already local.
    """
    times = pd.to_datetime(col)
    if isinstance(times.dtype, pd.DatetimeTZDtype) and str(times.dt.tz) in _UTC_NAMES:
        times = times.dt.tz_convert(TIMEZONE)
    naive, _zone = wall_clock(times)
    return naive


def _wall_value(value: dt.datetime) -> dt.datetime:
    """Return one date-time as a naive wall-clock time (as :func:`_wall`)."""
    if value.tzinfo is None:
        return value
    if value.utcoffset() == dt.timedelta(0) and str(value.tzinfo) in _UTC_NAMES:
        value = pd.Timestamp(value).tz_convert(TIMEZONE).to_pydatetime()
    return value.replace(tzinfo=None)


def _cell_text(value: object) -> object:
    """Return one object cell for CSV: times as wall-clock text, nested values as JSON."""
    if isinstance(value, dt.datetime):
        return _wall_value(value).strftime(_CSV_DATETIME)
    if isinstance(value, list | tuple | dict):
        return _safe_text(json.dumps(value, ensure_ascii=False, default=str))
    return value


def _table_format(path: Path, fmt: str | None) -> Literal["csv", "xlsx"]:
    """Return the table format: ``fmt``, else from the suffix; refuse an unknown one."""
    kind = fmt if fmt is not None else ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if kind == "csv":
        return "csv"
    if kind == "xlsx":
        return "xlsx"
    raise ParameterError(f"a table format must be one of {', '.join(TABLE_FORMATS)}; got {fmt!r}")


def _xlsx(frame: pd.DataFrame, path: Path, *, sheet: str, lang: Lang = "cs") -> None:
    """Write ``frame`` (already formula-safe) as a one-sheet workbook with typed cells.

    Numbers are number cells, date-times and dates date cells (local wall clock, shown as
    ``d.m.yyyy h:mm:ss`` in Czech, ISO in English), text is typed as text.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31] or _XLSX_SHEET)
    columns = [_xlsx_column(frame.iloc[:, i]) for i in range(frame.shape[1])]

    def cell(value: object) -> object:
        # plain values are written as they are (numbers, text); a cell object only where it
        # must say more: a date's number format, text that openpyxl would take for a formula
        if isinstance(value, str):
            if not value.startswith("="):
                return value
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"  # text, never a formula
            return c
        if isinstance(value, dt.date):
            c = WriteOnlyCell(ws, value=value)
            c.number_format = (
                _XLSX_DATETIME[lang] if isinstance(value, dt.datetime) else _XLSX_DATE[lang]
            )
            return c
        return value

    def row(values: list[object]) -> list[object]:
        return [cell(v) for v in values]

    ws.append(row([str(c) for c in frame.columns]))
    for values in zip(*columns, strict=True) if columns else ():
        ws.append(row(list(values)))
    book.save(path)


def _xlsx_column(col: pd.Series) -> list[object]:
    """Return a column's values as Excel takes them: numbers, text, naive local times, None."""
    if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col):
        naive = _wall(col)
        if _is_date_column(str(col.name), col):
            return [None if pd.isna(v) else v.date() for v in naive]
        return [None if pd.isna(v) else v.to_pydatetime() for v in naive]
    return [_xlsx_value(v) for v in col.tolist()]


def _xlsx_value(value: object) -> object:
    """Return one cell's value for openpyxl (missing → empty, numpy scalars → Python)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _xlsx_value(value.item())
    if isinstance(value, dt.datetime):
        return _wall_value(value)  # a wall-clock time: Excel has no time zones
    if isinstance(value, bool | int | float | str | dt.date | dt.time):
        return value
    if isinstance(value, list | tuple | dict):
        return _safe_text(json.dumps(value, ensure_ascii=False, default=str))
    return _safe_text(str(value))


def layer_bytes(
    frame: gpd.GeoDataFrame,
    *,
    suffix: str,
    layer: str | None = None,
    crs: Any = None,
    lang: str = "cs",
) -> bytes:
    """Return the bytes :func:`write_layer` writes for ``suffix`` (for a download).

    Parameters
    ----------
    frame
        The layer; it must have a CRS.
    suffix
        ``".gpkg"``, ``".geojson"`` or ``".csv"``.
    layer, crs, lang
        As for :func:`write_layer`.

    Returns
    -------
    bytes
        The file's content.
    """
    with tempfile.TemporaryDirectory(prefix="apk-geo-export-") as folder:
        path = Path(folder) / f"{layer or 'layer'}{suffix}"
        write_layer(frame, path, layer=layer, crs=crs, lang=lang)
        return path.read_bytes()


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


def _writer(path: Path) -> _Writer:
    """Return the writer for the path's suffix; refuse an unknown one."""
    writers: dict[str, _Writer] = {".gpkg": _gpkg, ".geojson": _geojson, ".csv": _csv}
    suffix = path.suffix.lower()
    if suffix not in writers:
        raise ParameterError(
            f"a layer file must end with {', '.join(LAYER_FORMATS)}; got {path.name!r}"
        )
    return writers[suffix]


def _output_crs(frame: gpd.GeoDataFrame, *, suffix: str, crs: Any) -> CRS:
    """Return the CRS to write: the given or own one for GeoPackage, EPSG:4326 otherwise."""
    if suffix != ".gpkg":
        return CRS.from_user_input(CRS_WEB)
    return CRS.from_user_input(frame.crs if crs is None else crs)


def _gpkg(frame: gpd.GeoDataFrame, tmp: Path, crs: CRS, layer: str, lang: Lang) -> None:
    """Write a GeoPackage 1.3 with UTC date-times, DATE dates and a default QGIS style."""
    prepared = _storable(_gis_times(frame.to_crs(crs)))
    with _driver_path(tmp, suffix=".gpkg") as staged:
        prepared.to_file(staged, driver="GPKG", layer=layer, VERSION="1.3", use_arrow=True)
        add_default_style(staged, layer=layer, frame=prepared, lang=lang)


def _geojson(frame: gpd.GeoDataFrame, tmp: Path, crs: CRS, layer: str, lang: Lang) -> None:
    """Write RFC 7946 GeoJSON (EPSG:4326) named ``layer``."""
    prepared = _storable(_gis_times(frame.to_crs(crs)))
    with _driver_path(tmp, suffix=".geojson") as staged:
        prepared.to_file(staged, driver="GeoJSON", layer=layer, RFC7946="YES", use_arrow=True)


def _gis_times(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy with date-times in UTC plus ``<col>_local`` wall-clock text, dates as dates.

    Naive date-times are local (Europe/Prague, as :func:`apk_geo.times.to_local` reads them);
    a naive column of midnights not named ``*_at`` holds dates and becomes
    :class:`datetime.date` values (a DATE field).
    """
    out = frame.copy()
    geometry = out.geometry.name
    for name in [str(c) for c in out.columns if c != geometry]:
        col = out[name]
        if not (
            isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col)
        ):
            continue
        if _is_date_column(name, col):
            out[name] = pd.Series(
                [None if pd.isna(v) else v.date() for v in col], index=out.index, dtype="object"
            )
            continue
        local = col if isinstance(col.dtype, pd.DatetimeTZDtype) else to_local(col, name=name)
        out[name] = local.dt.tz_convert("UTC")
        if f"{name}_local" not in out.columns:
            out.insert(out.columns.get_loc(name) + 1, f"{name}_local", _wall_text(local))
    return out


def _is_date_column(name: str, col: pd.Series) -> bool:
    """Return whether a naive date-time column holds dates only (all midnight, not ``*_at``)."""
    if isinstance(col.dtype, pd.DatetimeTZDtype) or name.endswith("_at"):
        return False
    present = col.dropna()
    return bool(len(present)) and bool((present == present.dt.normalize()).all())


@contextlib.contextmanager
def _driver_path(tmp: Path, *, suffix: str) -> Iterator[Path]:
    """Yield a fresh path ending in ``suffix`` next to ``tmp``; move it onto ``tmp`` on success.

    GDAL creates the file itself and wants the format's extension (GeoPackage warns without it).
    """
    staged = tmp.with_name(tmp.name + suffix)
    try:
        yield staged
        os.replace(staged, tmp)
    finally:
        staged.unlink(missing_ok=True)


def _csv(frame: gpd.GeoDataFrame, tmp: Path, crs: CRS, layer: str, lang: Lang) -> None:
    """Write the attributes, the centroid's lon/lat and the geometry as WKT, in EPSG:4326.

    The table style of :func:`write_table` (``lang``: separator, decimal mark, headers).
    """
    geometry = frame.geometry.name
    web = frame.to_crs(crs)
    base = frame if CRS.from_user_input(frame.crs).is_projected else frame.to_crs(metric_crs(frame))
    centroids = base.geometry.centroid.to_crs(crs)
    table = pd.DataFrame(web.drop(columns=geometry))
    table["lon"] = centroids.x.round(7).to_numpy()
    table["lat"] = centroids.y.round(7).to_numpy()
    table["wkt"] = web.geometry.to_wkt().to_numpy()
    style = _csv_style(lang, None)
    _csv_text(formula_safe(display_table(table, lang=lang))).to_csv(
        tmp,
        index=False,
        sep=style.delimiter,
        decimal=style.decimal,
        encoding="utf-8-sig",
        lineterminator="\r\n",
    )


def _storable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy whose columns every driver can store.

    Infinite floats become NaN, lists, tuples and dicts JSON text; ``attrs`` are dropped.
    """
    out = frame.copy()
    geometry = out.geometry.name
    for col in out.columns:
        if col == geometry:
            continue
        if pd.api.types.is_float_dtype(out[col]):
            values = out[col].to_numpy(dtype="float64", na_value=np.nan)
            out[col] = np.where(np.isfinite(values), values, np.nan)
        elif out[col].dtype == object:
            out[col] = out[col].map(_json_if_nested)
    out.attrs = {}
    return out


def _json_if_nested(value: object) -> object:
    """Return lists, tuples and dicts as JSON text, other values as they are."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
