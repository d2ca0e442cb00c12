"""Test helpers: build incident frames and stores from the schema, check that a store adds up.

Like ``geopandas.testing``, the library ships the helpers its own tests (and a user's tests of
code built on apk_geo) need, so no test repeats the 25 columns of
:data:`apk_geo.schema.INCIDENT_COLUMNS` or their dtypes:

* :func:`make_incidents` — a frame of the store's ``incidents`` schema from a few row dicts,
  every column not given filled with a documented default;
* :func:`make_store` — a GeoPackage store holding those incidents (plus context layers and
  metadata), written through the store's own public API;
* :func:`assert_store_reconciles` — the store's bookkeeping invariants (import counts add up,
  keys are unique, failed incidents have no geometry).

Nothing in the library imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from apk_geo.errors import ParameterError
from apk_geo.io import quarantine_frame, record_hash
from apk_geo.schema import CRS_METRIC, CRS_WEB, INCIDENT_COLUMNS, QUARANTINE_COLUMNS, TIMEZONE
from apk_geo.store import IncidentStore, open_store
from apk_geo.times import as_timestamp

__all__ = [
    "DEFAULT_IMPORTED_AT",
    "DEFAULT_LAT_LON",
    "DEFAULT_REPORTED_AT",
    "assert_store_reconciles",
    "make_incidents",
    "make_store",
]

#: Where a located row without coordinates is put (latitude, longitude; EPSG:4326): the RÚIAN
#: address point 3182860, 30. dubna 635/35 in Moravská Ostrava, the centre of the city.
DEFAULT_LAT_LON: Final = (49.8413, 18.2893)

#: ``reported_at`` of row ``i`` (0-based) without one is this instant plus ``i`` days.
DEFAULT_REPORTED_AT: Final = pd.Timestamp("2024-06-01 10:00", tz=TIMEZONE)

#: ``imported_at`` of a row without one (the store replaces it when the row is imported).
DEFAULT_IMPORTED_AT: Final = pd.Timestamp("2024-07-01 00:00", tz=TIMEZONE)

#: Why a row with ``match == "failed"`` was not placed, unless the row says.
FAILED_REASON: Final = "address not found"

_FLOATS: Final = ("lat", "lon", "x_5514", "y_5514", "score", "hostel_distance_m")
_TIMES: Final = ("reported_at", "imported_at")
_TEXT_DEFAULTS: Final[Mapping[str, str | None]] = {
    "category": "other",
    "outcome": "no_action",
    "assistant": "A1",
    "note": "",
    "address": "",
    "district_code": None,
    "district_name": None,
    "mdt_area": None,
    "svl_name": None,
    "hostel_name": None,
}
_HASHED: Final = ("id", "reported_at", "category", "outcome", "assistant", "note", "address")


def make_incidents(
    rows: Sequence[Mapping[str, object]], *, crs: str = CRS_METRIC
) -> gpd.GeoDataFrame:
    """Return incidents with every column of the store's schema, filling what rows omit.

    Parameters
    ----------
    rows
        One dict per incident with any subset of :data:`apk_geo.schema.INCIDENT_COLUMNS`.
        ``reported_at``/``imported_at`` may be strings, datetimes or timestamps (naive ones
        are Europe/Prague local time). A location comes from ``x_5514``/``y_5514`` (EPSG:5514)
        or, failing that, from ``lat``/``lon`` (the missing pair is computed from the given
        one). A row with ``match == "failed"`` gets no geometry and, unless given, NaN
        coordinates.
    crs
        CRS of the returned geometry (the ``x_5514``/``y_5514`` columns stay EPSG:5514). The
        store accepts only EPSG:5514; another CRS is for testing that refusal.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`~apk_geo.schema.INCIDENT_COLUMNS` in order, then ``geometry``, with the
        dtypes :meth:`apk_geo.store.IncidentStore.incidents` returns: text as ``str``,
        coordinates, ``score`` and ``hostel_distance_m`` as float64, ``reported_at`` and
        ``imported_at`` as ``datetime64[ns, Europe/Prague]``, ``ruian_adm`` as Int64 and
        ``in_hostel_buffer`` as boolean. Defaults for row ``i`` (0-based): ``source`` "apk",
        ``id`` ``str(i + 1)``, ``reported_at`` :data:`DEFAULT_REPORTED_AT` + ``i`` days,
        ``category`` "other", ``outcome`` "no_action", ``assistant`` "A1", ``note`` and
        ``address`` "", location :data:`DEFAULT_LAT_LON`, ``match`` "exact", ``score`` 100
        (0 when failed), ``ruian_adm`` NA, ``geocode_reason`` "" (:data:`FAILED_REASON` when
        failed), enrichment columns NA, ``in_hostel_buffer`` False, ``record_hash`` computed
        by :func:`apk_geo.io.record_hash` (with ``x``/``y`` = ``x_5514``/``y_5514``) and
        ``imported_at`` :data:`DEFAULT_IMPORTED_AT`.

    Raises
    ------
    ParameterError
        If a row names a column the schema lacks, gives only one of ``lat``/``lon`` or of
        ``x_5514``/``y_5514``, or has an unparsable time.

    Examples
    --------
    >>> gdf = make_incidents([{"category": "dogs"}, {"match": "failed"}])
    >>> gdf[["id", "category", "match"]].values.tolist()
    [['1', 'dogs', 'exact'], ['2', 'other', 'failed']]
    >>> gdf.geometry.isna().tolist()
    [False, True]
    """
    _check_keys(rows)
    n = len(rows)
    failed = np.array([r.get("match") == "failed" for r in rows], dtype=bool)
    x, y, lat, lon = _locations(rows, failed)
    data: dict[str, object] = {
        "source": _text(rows, "source", "apk"),
        "id": pd.Series([str(r.get("id", i + 1)) for i, r in enumerate(rows)], dtype="str"),
        "reported_at": _times(rows, "reported_at"),
        **{c: _text(rows, c, _TEXT_DEFAULTS[c]) for c in ("category", "outcome", "assistant")},
        **{c: _text(rows, c, _TEXT_DEFAULTS[c]) for c in ("note", "address")},
        "lat": lat,
        "lon": lon,
        "x_5514": x,
        "y_5514": y,
        "match": pd.Series(
            [str(r.get("match", "exact")) for r in rows], dtype="str", index=pd.RangeIndex(n)
        ),
        "score": _floats(rows, "score", np.where(failed, 0.0, 100.0)),
        "ruian_adm": pd.Series([r.get("ruian_adm") for r in rows], dtype="Int64"),
        "geocode_reason": pd.Series(
            [
                r.get("geocode_reason", FAILED_REASON if f else "")
                for r, f in zip(rows, failed, strict=True)
            ],
            dtype="str",
        ),
        **{c: _text(rows, c, _TEXT_DEFAULTS[c]) for c in ("district_code", "district_name")},
        **{c: _text(rows, c, _TEXT_DEFAULTS[c]) for c in ("mdt_area", "svl_name", "hostel_name")},
        "hostel_distance_m": _floats(rows, "hostel_distance_m", np.full(n, np.nan)),
        "in_hostel_buffer": pd.Series(
            [r.get("in_hostel_buffer", False) for r in rows], dtype="boolean"
        ),
        "imported_at": _times(rows, "imported_at"),
    }
    frame = pd.DataFrame(data, index=pd.RangeIndex(n))
    frame["record_hash"] = _hashes(rows, frame)
    geometry = gpd.GeoSeries(
        [None if f else shapely.Point(a, b) for f, a, b in zip(failed, x, y, strict=True)],
        crs=CRS_METRIC,
    )
    gdf = gpd.GeoDataFrame(frame[list(INCIDENT_COLUMNS)], geometry=geometry)
    if not CRS.from_user_input(crs).equals(CRS.from_user_input(CRS_METRIC)):
        gdf = gdf.to_crs(crs)
    return gdf


def make_store(
    path: str | Path,
    rows: Sequence[Mapping[str, object]] | gpd.GeoDataFrame,
    *,
    layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame] | None = None,
    metadata: Mapping[str, str] | None = None,
    quarantine: Sequence[Mapping[str, object]] | pd.DataFrame | None = None,
    log: Mapping[str, object] | None = None,
) -> IncidentStore:
    """Create a store holding ``rows`` with one import, through the store's API.

    Parameters
    ----------
    path
        The ``.gpkg`` file to create (its folder must exist; an existing store gets one more
        import), or a PostGIS store's URL (initialised with ``apk-geo db init``).
    rows
        Row dicts for :func:`make_incidents`, or a frame it made (e.g. changed afterwards).
    layers
        Context layers written in the same import (see
        :meth:`apk_geo.store.IncidentStore.write_layers`).
    metadata
        Store metadata, e.g. ``{"synthetic": "true"}``.
    quarantine
        Quarantined rows (dicts of :data:`~apk_geo.schema.QUARANTINE_COLUMNS` or a frame);
        none by default.
    log
        Facts of the import for the import log; default ``{"source": <first row's source or
        "apk">, "file": "test.csv"}``.

    Returns
    -------
    IncidentStore
        The store, opened with :func:`apk_geo.store.open_store`.

    Raises
    ------
    ParameterError
        If a row is invalid (see :func:`make_incidents`).
    StoreError, SchemaError, CRSError
        As :meth:`apk_geo.store.IncidentStore.apply_import` raises them.

    Examples
    --------
    >>> store = make_store(tmp / "t.gpkg", [{"id": "a"}], metadata={"synthetic": "true"})
    ... # doctest: +SKIP
    >>> store.summary()["incidents"]  # doctest: +SKIP
    1
    """
    incidents = rows if isinstance(rows, gpd.GeoDataFrame) else make_incidents(rows)
    quar = quarantine if isinstance(quarantine, pd.DataFrame) else _quarantine(quarantine)
    if log is None:
        source = str(incidents["source"].iloc[0]) if len(incidents) else "apk"
        log = {"source": source, "file": "test.csv"}
    store = open_store(path)
    store.apply_import(
        incidents=incidents,
        quarantine=quar[[c for c in QUARANTINE_COLUMNS if c != "imported_at"]],
        log=log,
        layers=layers,
        metadata=metadata,
    )
    return store


def assert_store_reconciles(store: IncidentStore) -> None:
    """Check the store's bookkeeping; raise AssertionError naming what does not add up.

    Checked: incidents have the schema's columns in order and EPSG:5514; ``(source, id)`` is
    unique; incidents with ``match == "failed"`` have no geometry; every import-log row has
    ``read == accepted + updated + stale + duplicates + quarantined``; the stored incidents are the
    accepted ones (``len(incidents) == sum(accepted)``, as an update replaces a row); the stored
    versions are the ones the imports kept; and the quarantine holds at most the rows counted as
    quarantined (repeats are stored once) — the store's own :meth:`reconcile` and these checks.

    Parameters
    ----------
    store
        An existing store.

    Raises
    ------
    AssertionError
        Listing every failed check.
    """
    problems: list[str] = []
    inc = store.incidents()
    if list(inc.columns) != [*INCIDENT_COLUMNS, "geometry"]:
        problems.append(f"incident columns are {list(inc.columns)}")
    if len(inc) and (inc.crs is None or inc.crs.to_epsg() != 5514):
        problems.append(f"incidents are in {inc.crs}, not EPSG:5514")
    dup = inc.duplicated(["source", "id"])
    if dup.any():
        problems.append(f"(source, id) repeats for ids {inc.loc[dup, 'id'].head(5).tolist()}")
    placed_failures = inc["match"].eq("failed").to_numpy(dtype=bool) & inc.geometry.notna()
    if placed_failures.any():
        problems.append(f"{int(placed_failures.sum())} failed incident(s) have a geometry")
    log = store.import_log()
    stale = log.get("stale", 0)
    total = log["accepted"] + log["updated"] + stale + log["duplicates"] + log["quarantined"]
    off = log.loc[log["read"] != total, "import_id"].tolist()
    if off:
        problems.append(
            f"imports {off}: read != accepted + updated + stale + duplicates + quarantined"
        )
    removed_incidents, removed_versions = _removed_by_retention(store)
    kept = int(log["versions_kept"].sum()) - removed_versions if "versions_kept" in log else 0
    if "versions_kept" in log and len(store.versions()) != kept:
        problems.append(f"{len(store.versions())} versions stored but {kept} kept")
    accepted = int(log["accepted"].sum()) - removed_incidents
    if len(inc) != accepted:
        problems.append(f"{len(inc)} incidents stored but {accepted} accepted")
    if len(store.quarantine()) > int(log["quarantined"].sum()):
        problems.append(
            f"{len(store.quarantine())} quarantine rows but "
            f"{int(log['quarantined'].sum())} quarantined"
        )
    if problems:
        where = getattr(store, "location", None) or getattr(store, "path", "store")
        raise AssertionError(f"{where}: " + "; ".join(problems))


def _removed_by_retention(store: IncidentStore) -> tuple[int, int]:
    """Return the incidents and versions retention removed (0, 0 for a store without it)."""
    reconcile = getattr(store, "reconcile", None)  # a hand-made test double may lack it
    if reconcile is None:
        return 0, 0
    books = reconcile()
    return int(books.removed_incidents), int(books.removed_versions)


# -------------------------------------------------------------------- helpers


def _check_keys(rows: Sequence[Mapping[str, object]]) -> None:
    known = set(INCIDENT_COLUMNS)
    for i, row in enumerate(rows):
        unknown = sorted(set(row) - known)
        if unknown:
            raise ParameterError(
                f"rows[{i}] has column(s) {unknown} the incidents schema lacks; "
                f"use some of {list(INCIDENT_COLUMNS)}"
            )
        for a, b in (("lat", "lon"), ("x_5514", "y_5514")):
            if (a in row) != (b in row):
                raise ParameterError(f"rows[{i}] gives {a if a in row else b} alone; give both")


def _text(rows: Sequence[Mapping[str, object]], column: str, default: str | None) -> pd.Series:
    values = [r.get(column, default) for r in rows]
    return pd.Series([None if v is None else str(v) for v in values], dtype="str")


def _floats(rows: Sequence[Mapping[str, object]], column: str, defaults: np.ndarray) -> np.ndarray:
    given = [r.get(column, d) for r, d in zip(rows, defaults.tolist(), strict=True)]
    return np.array([np.nan if v is None else v for v in given], dtype="float64")


def _times(rows: Sequence[Mapping[str, object]], column: str) -> pd.Series:
    stamps = []
    for i, row in enumerate(rows):
        if column not in row:
            default = DEFAULT_REPORTED_AT + pd.Timedelta(days=i)
            stamps.append(default if column == "reported_at" else DEFAULT_IMPORTED_AT)
            continue
        stamps.append(as_timestamp(row[column], name=f"rows[{i}][{column!r}]"))  # type: ignore[arg-type]
    return pd.Series(stamps, dtype=f"datetime64[ns, {TIMEZONE}]")


def _locations(
    rows: Sequence[Mapping[str, object]], failed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return x_5514, y_5514, lat, lon for every row (NaN for a failed row not given them)."""
    n = len(rows)
    x, y, lat, lon = (np.full(n, np.nan) for _ in range(4))
    for i, row in enumerate(rows):
        if not failed[i] and "x_5514" not in row and "lat" not in row:
            lat[i], lon[i] = DEFAULT_LAT_LON
        if "lat" in row:
            lat[i], lon[i] = _float(row["lat"]), _float(row["lon"])
        if "x_5514" in row:
            x[i], y[i] = _float(row["x_5514"]), _float(row["y_5514"])
    to_metric = Transformer.from_crs(CRS_WEB, CRS_METRIC, always_xy=True)
    to_web = Transformer.from_crs(CRS_METRIC, CRS_WEB, always_xy=True)
    need_xy = ~failed & np.isnan(x) & ~np.isnan(lat)
    x[need_xy], y[need_xy] = to_metric.transform(lon[need_xy], lat[need_xy])
    need_ll = ~failed & np.isnan(lat) & ~np.isnan(x)
    lon[need_ll], lat[need_ll] = to_web.transform(x[need_ll], y[need_ll])
    unplaced = np.flatnonzero(~failed & (np.isnan(x) | np.isnan(y)))
    if len(unplaced):
        raise ParameterError(
            f"rows {unplaced.tolist()} have no coordinates but are not failed; give lat/lon "
            "or x_5514/y_5514, or set match='failed'"
        )
    return x, y, lat, lon


def _float(value: object) -> float:
    return np.nan if value is None else float(value)  # type: ignore[arg-type]


def _hashes(rows: Sequence[Mapping[str, object]], frame: pd.DataFrame) -> pd.Series:
    """Given ``record_hash`` values, else :func:`apk_geo.io.record_hash` of the content."""
    content = frame[list(_HASHED)].assign(
        lat=frame["lat"], lon=frame["lon"], x=frame["x_5514"], y=frame["y_5514"]
    )
    computed = record_hash(content).tolist()
    given = [r.get("record_hash") for r in rows]
    return pd.Series(
        [c if g is None else str(g) for g, c in zip(given, computed, strict=True)], dtype="str"
    )


def _quarantine(rows: Sequence[Mapping[str, object]] | None) -> pd.DataFrame:
    return quarantine_frame([dict(r) for r in rows or []])
