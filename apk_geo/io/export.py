"""Write tables and layers: the one writer of every file of records the product produces.

* :func:`write_layer` writes a GeoDataFrame, the format chosen by the file's suffix
  (:data:`LAYER_FORMATS`): GeoPackage (``.gpkg``, in the layer's own or a given CRS), GeoJSON
  (``.geojson``, EPSG:4326 as RFC 7946 requires) or CSV (``.csv``: the attributes, the centroid's
  ``lon``/``lat`` and the geometry as ``wkt``, all EPSG:4326).
* :func:`write_table` writes a plain table as CSV (the delimiter and encoding given, e.g. UTF-8 with
  BOM and ``;`` for Czech Excel).
* :func:`layer_bytes` returns what :func:`write_layer` would write, for a download button.

Every write goes through :func:`apk_geo.files.atomic_path`: a reader or a kill at any moment sees
the old file or the new one, never half of one. ``private=True`` creates a new file ``0600``, for
files that hold personal data (quarantined rows, geocoded incident records).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from apk_geo._validate import require_crs
from apk_geo.coords import metric_crs
from apk_geo.errors import ParameterError
from apk_geo.files import atomic_path
from apk_geo.schema import CRS_WEB

__all__ = ["LAYER_FORMATS", "layer_bytes", "write_layer", "write_table"]

#: File suffix → format written by :func:`write_layer`.
LAYER_FORMATS: Final = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".csv": "CSV"}

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
    lineterminator: str | None = None,
    private: bool = False,
) -> Path:
    r"""Write a plain table to ``path`` as CSV, atomically.

    Parameters
    ----------
    frame
        The table; its index is not written.
    path
        The CSV file; missing folders are created.
    delimiter
        Field separator (``";"`` for Czech Excel).
    encoding
        Text encoding; ``"utf-8-sig"`` writes the byte-order mark Excel needs to read UTF-8.
    lineterminator
        Line ending; default :data:`os.linesep` (pandas' default). ``"\r\n"`` for Windows tools.
    private
        Create a new file ``0600`` (personal data); an existing file keeps its mode.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> quarantine = store.quarantine()  # doctest: +SKIP
    >>> write_table(quarantine, "q.csv", delimiter=";", encoding="utf-8-sig")  # doctest: +SKIP
    PosixPath('q.csv')
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target, private=private) as tmp:
        frame.to_csv(
            tmp, index=False, sep=delimiter, encoding=encoding, lineterminator=lineterminator
        )
    return target


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
    table.to_csv(tmp, index=False, encoding="utf-8")


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
