"""Write tables and layers: the one writer of every file of records the product produces.

* :func:`write_layer` writes a GeoDataFrame, the format chosen by the file's suffix
  (:data:`LAYER_FORMATS`): GeoPackage (``.gpkg``, in the layer's own or a given CRS), GeoJSON
  (``.geojson``, EPSG:4326 as RFC 7946 requires) or CSV (``.csv``: the attributes, the centroid's
  ``lon``/``lat`` and the geometry as ``wkt``, all EPSG:4326).
* :func:`write_table` writes a plain table as CSV (the delimiter and encoding given, e.g. UTF-8 with
  BOM and ``;`` for Czech Excel) or, for ``.xlsx``, as an Excel workbook with typed cells.
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
from collections.abc import Callable, Iterator
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
from apk_geo.schema import CRS_WEB
from apk_geo.times import wall_clock

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

_Writer = Callable[[gpd.GeoDataFrame, Path, CRS, str], None]


def write_layer(
    frame: gpd.GeoDataFrame,
    path: str | Path,
    *,
    layer: str | None = None,
    crs: Any = None,
    private: bool = False,
) -> str:
    """Write ``frame`` to ``path`` atomically, in the format its suffix names.

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
    require_crs(frame, name="the layer to write")
    out_crs = _output_crs(frame, suffix=target.suffix.lower(), crs=crs)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target, private=private) as tmp:
        writer(frame, tmp, out_crs, layer or target.stem)
    return str(out_crs.to_string())


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    lineterminator: str = "\r\n",
    private: bool = False,
    fmt: Literal["csv", "xlsx"] | None = None,
    sheet: str = _XLSX_SHEET,
) -> Path:
    r"""Write a plain table to ``path`` as CSV or XLSX, formula-safe, atomically.

    Parameters
    ----------
    frame
        The table; its index is not written. It is not changed.
    path
        The file; missing folders are created.
    delimiter
        CSV field separator (``";"`` for Czech Excel).
    encoding
        CSV text encoding; ``"utf-8-sig"`` writes the byte-order mark Excel needs to read UTF-8.
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
        If ``fmt`` is not one of :data:`TABLE_FORMATS`.

    Notes
    -----
    Text cells that a spreadsheet would run as a formula get a leading ``'`` (see the module
    docstring and :func:`formula_safe`).

    Examples
    --------
    >>> quarantine = store.quarantine()  # doctest: +SKIP
    >>> write_table(quarantine, "q.csv", delimiter=";", encoding="utf-8-sig")  # doctest: +SKIP
    PosixPath('q.csv')
    """
    target = Path(path)
    kind = _table_format(target, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    safe = formula_safe(frame)
    with atomic_path(target, private=private) as tmp:
        if kind == "xlsx":
            _xlsx(safe, tmp, sheet=sheet)
        else:
            safe.to_csv(
                tmp, index=False, sep=delimiter, encoding=encoding, lineterminator=lineterminator
            )
    return target


def table_bytes(
    frame: pd.DataFrame,
    *,
    fmt: Literal["csv", "xlsx"] = "csv",
    delimiter: str = ",",
    encoding: str = "utf-8",
    lineterminator: str = "\r\n",
    sheet: str = _XLSX_SHEET,
) -> bytes:
    """Return the bytes :func:`write_table` writes (for a download), formula-safe.

    Parameters
    ----------
    frame
        The table.
    fmt, delimiter, encoding, lineterminator, sheet
        As for :func:`write_table`.

    Returns
    -------
    bytes
        The file's content.

    Examples
    --------
    >>> quarantine = store.quarantine()  # doctest: +SKIP
    >>> data = table_bytes(quarantine, delimiter=";", encoding="utf-8-sig")  # doctest: +SKIP
    """
    with tempfile.TemporaryDirectory(prefix="apk-geo-table-") as folder:
        path = Path(folder) / f"table.{_table_format(Path('x.' + str(fmt)), fmt)}"
        write_table(
            frame,
            path,
            delimiter=delimiter,
            encoding=encoding,
            lineterminator=lineterminator,
            fmt=fmt,
            sheet=sheet,
        )
        return path.read_bytes()


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


def _table_format(path: Path, fmt: str | None) -> Literal["csv", "xlsx"]:
    """Return the table format: ``fmt``, else from the suffix; refuse an unknown one."""
    kind = fmt if fmt is not None else ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if kind == "csv":
        return "csv"
    if kind == "xlsx":
        return "xlsx"
    raise ParameterError(f"a table format must be one of {', '.join(TABLE_FORMATS)}; got {fmt!r}")


def _xlsx(frame: pd.DataFrame, path: Path, *, sheet: str) -> None:
    """Write ``frame`` (already formula-safe) as a one-sheet workbook with typed cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31] or _XLSX_SHEET)
    columns = [_xlsx_column(frame.iloc[:, i]) for i in range(frame.shape[1])]

    def row(values: list[object]) -> list[WriteOnlyCell]:
        cells = []
        for value in values:
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"  # text, never a formula
            elif isinstance(value, dt.datetime):
                c.number_format = "d.m.yyyy h:mm:ss"
            cells.append(c)
        return cells

    ws.append(row([str(c) for c in frame.columns]))
    for values in zip(*columns, strict=True) if columns else ():
        ws.append(row(list(values)))
    book.save(path)


def _xlsx_column(col: pd.Series) -> list[object]:
    """Return a column's values as Excel takes them: numbers, text, naive local times, None."""
    if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col):
        naive, _zone = wall_clock(col)
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
    if isinstance(value, bool | int | float | str | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, list | tuple | dict):
        return _safe_text(json.dumps(value, ensure_ascii=False, default=str))
    return _safe_text(str(value))


def layer_bytes(
    frame: gpd.GeoDataFrame, *, suffix: str, layer: str | None = None, crs: Any = None
) -> bytes:
    """Return the bytes :func:`write_layer` writes for ``suffix`` (for a download).

    Parameters
    ----------
    frame
        The layer; it must have a CRS.
    suffix
        ``".gpkg"``, ``".geojson"`` or ``".csv"``.
    layer, crs
        As for :func:`write_layer`.

    Returns
    -------
    bytes
        The file's content.
    """
    with tempfile.TemporaryDirectory(prefix="apk-geo-export-") as folder:
        path = Path(folder) / f"{layer or 'layer'}{suffix}"
        write_layer(frame, path, layer=layer, crs=crs)
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


def _gpkg(frame: gpd.GeoDataFrame, tmp: Path, crs: CRS, layer: str) -> None:
    """Write a GeoPackage."""
    with _driver_path(tmp, suffix=".gpkg") as staged:
        _storable(frame.to_crs(crs)).to_file(staged, driver="GPKG", layer=layer)


def _geojson(frame: gpd.GeoDataFrame, tmp: Path, crs: CRS, layer: str) -> None:
    """Write GeoJSON in EPSG:4326."""
    with _driver_path(tmp, suffix=".geojson") as staged:
        _storable(frame.to_crs(crs)).to_file(staged, driver="GeoJSON", layer=layer)


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


def _csv(frame: gpd.GeoDataFrame, tmp: Path, crs: CRS, layer: str) -> None:
    """Write the attributes, the centroid's lon/lat and the geometry as WKT, in EPSG:4326."""
    geometry = frame.geometry.name
    web = frame.to_crs(crs)
    base = frame if CRS.from_user_input(frame.crs).is_projected else frame.to_crs(metric_crs(frame))
    centroids = base.geometry.centroid.to_crs(crs)
    table = pd.DataFrame(web.drop(columns=geometry))
    table["lon"] = centroids.x.round(7).to_numpy()
    table["lat"] = centroids.y.round(7).to_numpy()
    table["wkt"] = web.geometry.to_wkt().to_numpy()
    formula_safe(table).to_csv(tmp, index=False, encoding="utf-8")


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
