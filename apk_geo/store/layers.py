"""The store's layers: their names, their columns and the one normalisation of each frame.

Every frame read from or written to the GeoPackage goes through a ``normalise_*`` function here,
so the column order and the dtypes are the same whatever wrote the file (an older apk-geo, QGIS,
this one): text as ``str``, times tz-aware Europe/Prague, counts int64.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from apk_geo.schema import CRS_METRIC, INCIDENT_COLUMNS, QUARANTINE_COLUMNS, TIMEZONE

__all__ = [
    "CONTEXT_LAYERS",
    "IMPORT_LOG",
    "IMPORT_LOG_COLUMNS",
    "INCIDENTS",
    "METADATA",
    "QUARANTINE",
    "STORED_INCIDENT_COLUMNS",
    "VERSIONS",
    "VERSION_COLUMNS",
]

INCIDENTS: Final = "incidents"
QUARANTINE: Final = "quarantine"
IMPORT_LOG: Final = "import_log"
METADATA: Final = "metadata"
#: Every version of a record that an import replaced (or that arrived older than the stored one).
VERSIONS: Final = "incident_versions"

#: Context layers a store may carry (all EPSG:5514).
CONTEXT_LAYERS: Final = (
    "districts",
    "city",
    "mdt_areas",
    "svl",
    "hostels",
    "schools",
    "stops",
    "sports",
    "address_points",
)

#: Columns of the incidents layer in the file: the schema's, then the record's modification
#: time in the source system (``modified_at``, NULL when the export has none). Reading
#: incidents returns :data:`apk_geo.schema.INCIDENT_COLUMNS` only.
STORED_INCIDENT_COLUMNS: Final = (*INCIDENT_COLUMNS, "modified_at")

#: Columns of the ``incident_versions`` layer (geometry Point, EPSG:5514, NULL when not located):
#: the version's row as it was stored, ``version_kind`` (``"replaced"``: it was the stored row and
#: an import replaced it; ``"stale"``: an import brought it but the stored row was newer),
#: ``replaced_at`` and ``replaced_by_import`` (the ``import_id`` of that import).
VERSION_COLUMNS: Final = (
    *STORED_INCIDENT_COLUMNS,
    "version_kind",
    "replaced_at",
    "replaced_by_import",
)

#: Columns of the ``import_log`` layer. ``stale``, ``reverted`` and ``versions_kept`` are 0 in
#: rows written before they existed.
IMPORT_LOG_COLUMNS: Final = (
    "import_id",
    "source",
    "file",
    "imported_at",
    "read",
    "accepted",
    "updated",
    "stale",
    "duplicates",
    "quarantined",
    "not_geocoded",
    "reverted",
    "versions_kept",
    "details",
)

#: Integer columns of the import log.
LOG_COUNT_COLUMNS: Final = (
    "read",
    "accepted",
    "updated",
    "stale",
    "duplicates",
    "quarantined",
    "not_geocoded",
    "reverted",
    "versions_kept",
)

_FLOAT_COLUMNS: Final = ("lat", "lon", "x_5514", "y_5514", "score", "hostel_distance_m")
_TIME_COLUMNS: Final = ("reported_at", "imported_at", "modified_at", "replaced_at")
_LOCAL_DTYPE: Final = f"datetime64[ns, {TIMEZONE}]"


def stored_to_local(s: pd.Series) -> pd.Series:
    """Convert a datetime column read from the GeoPackage to tz-aware Europe/Prague.

    The store writes UTC; a naive value read back is therefore UTC (not local time).
    """
    if not len(s):
        return pd.Series([], dtype=_LOCAL_DTYPE)
    if pd.api.types.is_string_dtype(s.dtype):
        s = _parse_stored_text(s)
    elif not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, utc=True, format="ISO8601")
    if getattr(s.dt, "tz", None) is None:
        s = s.dt.tz_localize("UTC")
    local: pd.Series = s.dt.tz_convert(TIMEZONE).astype(_LOCAL_DTYPE)
    return local


def _parse_stored_text(s: pd.Series) -> pd.Series:
    """Parse GeoPackage DATETIME text (``2024-03-01T10:00:00Z``, ``…00.500Z``) as UTC.

    Arrow's ISO-8601 parser does a million values in milliseconds; text it refuses (no zone:
    UTC by the store's rule, or another layout) goes through pandas' ISO-8601 parser.
    """
    try:
        arr = pa.array(s.array, type=pa.string())
        parsed = pc.cast(arr, pa.timestamp("ns", tz="UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.Series(pd.to_datetime(s, utc=True, format="ISO8601"), index=s.index)
    out: pd.Series = pd.Series(parsed.to_pandas(), index=s.index)
    return out


def normalise_incidents(frame: pd.DataFrame, *, stored: bool = False) -> gpd.GeoDataFrame:
    """Give incidents the fixed schema: column order, dtypes, geometry, CRS.

    Parameters
    ----------
    frame
        Incidents with (some of) the columns; missing ones become NA.
    stored
        Keep the columns of the file (:data:`STORED_INCIDENT_COLUMNS`), not only the schema's.
    """
    columns = STORED_INCIDENT_COLUMNS if stored else INCIDENT_COLUMNS
    return _as_points(_typed(frame, columns), frame)


def normalise_versions(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Give the versions layer its fixed schema (:data:`VERSION_COLUMNS`, geometry)."""
    return _as_points(_typed(frame, VERSION_COLUMNS), frame)


def empty_incidents(*, stored: bool = False) -> gpd.GeoDataFrame:
    """Return an empty incidents frame with the schema."""
    columns = STORED_INCIDENT_COLUMNS if stored else INCIDENT_COLUMNS
    return normalise_incidents(
        pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}), stored=stored
    )


def normalise_quarantine(frame: pd.DataFrame) -> pd.DataFrame:
    """Give quarantine rows the fixed schema (:data:`apk_geo.schema.QUARANTINE_COLUMNS`)."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    values = frame.reset_index(drop=True)
    for c in QUARANTINE_COLUMNS:
        col = values[c] if c in values.columns else pd.Series([None] * len(values))
        if c == "line":
            out[c] = pd.to_numeric(col).astype("int64")
        elif c == "imported_at":
            out[c] = stored_to_local(col)
        else:
            out[c] = col.astype("str")
    return out


def normalise_log(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the import log its fixed schema, oldest first; absent counts are 0."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    values = frame.reset_index(drop=True)
    for c in IMPORT_LOG_COLUMNS:
        col = values[c] if c in values.columns else pd.Series([None] * len(values))
        if c in LOG_COUNT_COLUMNS:
            out[c] = pd.to_numeric(col).fillna(0).astype("int64")
        elif c == "imported_at":
            out[c] = stored_to_local(col)
        else:
            out[c] = col.astype("str")
    return out.sort_values("imported_at", kind="stable").reset_index(drop=True)


def _typed(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``columns`` of ``frame`` with their store dtypes (absent ones as NA)."""
    values = frame.reset_index(drop=True)
    data: dict[str, pd.Series] = {}
    for c in columns:
        if c not in values.columns:
            data[c] = _absent(c, len(values))
            continue
        col = values[c]
        data[c] = col if _has_store_dtype(c, col) else _to_store_dtype(c, col)
    return pd.DataFrame(data, index=pd.RangeIndex(len(frame)), copy=False)


def _absent(column: str, n: int) -> pd.Series:
    """Return ``n`` missing values of ``column`` in its store dtype.

    A time column is built as NaT directly (parsing a million ``None`` costs ~0.1 s); the others
    convert a column of ``None`` as :func:`_to_store_dtype` would a column read as all NULL.
    """
    if column in _TIME_COLUMNS:
        return pd.Series(pd.NaT, index=pd.RangeIndex(n), dtype=_LOCAL_DTYPE)
    return _to_store_dtype(column, pd.Series([None] * n))


def _store_dtype(column: str) -> str:
    """Return the dtype ``column`` has in a normalised frame (text: ``str``)."""
    if column in _FLOAT_COLUMNS:
        return "float64"
    if column in _TIME_COLUMNS:
        return _LOCAL_DTYPE
    return {"ruian_adm": "Int64", "in_hostel_buffer": "boolean"}.get(column, "str")


def _has_store_dtype(column: str, col: pd.Series) -> bool:
    """Return whether ``col`` is already what :func:`_to_store_dtype` would make of it."""
    return col.dtype == pd.api.types.pandas_dtype(_store_dtype(column))


def _to_store_dtype(column: str, col: pd.Series) -> pd.Series:
    """Convert ``col`` (as read or as given) to the store dtype of ``column``."""
    if column in _FLOAT_COLUMNS:
        return pd.to_numeric(col, errors="coerce").astype("float64")
    if column in _TIME_COLUMNS:
        return stored_to_local(col)
    if column == "ruian_adm":
        return pd.to_numeric(col, errors="coerce").astype("Int64")
    if column == "in_hostel_buffer":
        return col.astype("boolean")
    return col.astype("str")


def _as_points(typed: pd.DataFrame, frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach ``frame``'s geometry (or an empty one) to ``typed``, in its CRS or EPSG:5514."""
    values = frame.reset_index(drop=True)
    geom = (
        values.geometry
        if isinstance(values, gpd.GeoDataFrame)
        else gpd.GeoSeries([None] * len(values))
    )
    crs = geom.crs if isinstance(values, gpd.GeoDataFrame) and geom.crs else CRS_METRIC
    array = geom.values if geom.crs is not None else geom.values.copy()  # no shapely objects made
    if geom.crs is None:
        array.crs = crs
    # copy=False: the typed columns are new or shared with ``frame`` under pandas' copy-on-write,
    # so nothing needs copying (a copy here cost two passes over every row)
    return gpd.GeoDataFrame(
        typed, geometry=gpd.GeoSeries(array, index=typed.index, crs=crs), copy=False
    )
