"""``apk-geo hotspots``: hot-spot analysis of stored incidents or of any point file.

Incidents come from a store (``--store``, geocoded incidents only, filtered by date, category
and district; the study area is the chosen districts or the city) or from a point file
(``--input``: CSV with lat/lon or x/y, GeoPackage, GeoJSON …; the study area is the points'
convex hull buffered by one cell). The result is written to ``--out``: GeoJSON (RFC 7946,
EPSG:4326), GeoPackage 1.3 in EPSG:5514 (or the analysis CRS for points outside Czechia) with a
default QGIS style, or CSV for Czech Excel (``--lang en``: English) with the geometry as WKT
(EPSG:4326) and the centroid's lon/lat. Date-times are UTC with a local-time column beside
them. The parameters used, including every automatically chosen one, go into the summary and
into ``<out>.params.json``.

Methods: ``gistar`` (Getis-Ord Gi* with FDR, default), ``kde`` (quartic kernel density),
``clusters`` (HDBSCAN clusters with Czech labels), ``forecast`` (risk for the next period),
``change`` (first half of the date range against the second) and ``emerging`` (emerging hot
spots).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from apk_geo._cli._common import ENV_STORE, add_json_flag, add_lang_option, add_store_option, emit
from apk_geo.context import RISK_LAYERS, risk_layers
from apk_geo.errors import ApkGeoError, ConfigError, InsufficientDataError, SchemaError
from apk_geo.files import atomic_write_text
from apk_geo.io import write_layer
from apk_geo.methods import METHODS, run_method
from apk_geo.schema import CRS_METRIC
from apk_geo.store._messages import Message

logger = logging.getLogger(__name__)

OUTPUT_SUFFIXES: Final = (".geojson", ".gpkg", ".csv")


def register(sub: Any) -> None:
    """Add the ``hotspots`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "hotspots",
        help="cli.help.hotspots",
        description="cli.help.hotspots.description",
    )
    add_source_arguments(p)
    p.add_argument(
        "--method", choices=list(METHODS), default="gistar", help="cli.help.hotspots.method"
    )
    p.add_argument(
        "--grid", choices=("square", "hex"), default="square", help="cli.help.hotspots.grid"
    )
    p.add_argument("--cell-size-m", type=float, help="cli.help.hotspots.cell_size_m")
    p.add_argument(
        "--adjust",
        choices=("fdr_bh", "bonferroni", "none"),
        default="fdr_bh",
        help="cli.help.hotspots.adjust",
    )
    p.add_argument("--bandwidth-m", type=float, help="cli.help.hotspots.bandwidth_m")
    p.add_argument(
        "--kernel",
        choices=("quartic", "gaussian"),
        default="quartic",
        help="cli.help.hotspots.kernel",
    )
    p.add_argument(
        "--min-cluster-size", type=int, default=15, help="cli.help.hotspots.min_cluster_size"
    )
    p.add_argument("--max-cells", type=int, default=250_000, help="cli.help.hotspots.max_cells")
    p.add_argument("--out", required=True, help="cli.help.hotspots.out")
    add_lang_option(p, help_key="cli.help.hotspots.lang")
    add_json_flag(p)
    p.set_defaults(func=run)


def add_source_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options that choose the incidents: a store or a point file, and the filters."""
    source = p.add_mutually_exclusive_group(required=not os.environ.get(ENV_STORE))
    add_store_option(source, help="cli.help.store_geocoded", required=False)
    source.add_argument("--input", help="cli.help.input")
    p.add_argument("--from", dest="date_from", help="cli.help.date_from")
    p.add_argument("--to", dest="date_to", help="cli.help.date_to")
    p.add_argument("--category", nargs="+", action="extend", help="cli.help.category")
    p.add_argument("--district", nargs="+", action="extend", help="cli.help.district")
    p.add_argument("--crs", help="cli.help.crs")
    p.add_argument("--date-col", help="cli.help.date_col")
    p.add_argument("--id-col", help="cli.help.id_col")


def load_points(
    args: argparse.Namespace,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None, Any | None, dict[str, Any]]:
    """Return the located incidents chosen by :func:`add_source_arguments`' options.

    Returns (points, study area or None, cluster-label context or None, source description).
    """
    start, end = _bounds(args.date_from, args.date_to)
    points, area, context, source = _load(args, start=start, end=end)
    geoms = points.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not located.all():  # a file's points are all located already: no copy of a million rows
        points = points.loc[located]
    points = points.reset_index(drop=True)
    if len(points) == 0:
        raise InsufficientDataError(Message("cli.err.hotspots_none"))
    return points, area, context, source


def run(args: argparse.Namespace) -> int:
    """Run the analysis, write ``--out`` and its sidecar, print the summary."""
    out_path = Path(args.out)
    if out_path.suffix.lower() not in OUTPUT_SUFFIXES:
        suffixes = ", ".join(OUTPUT_SUFFIXES)
        raise ConfigError(
            Message("cli.err.out_suffix", suffixes=suffixes, name=repr(out_path.name))
        )
    start, end = _bounds(args.date_from, args.date_to)
    points, area, context, source = load_points(args)

    result, grid_params = _analyse(args, points, area=area, context=context, start=start, end=end)
    params: dict[str, Any] = {
        "method": args.method,
        "source": source,
        "filters": {
            "from": args.date_from,
            "to": args.date_to,
            "category": args.category,
            "district": args.district,
        },
        "n_incidents": len(points),
        "analysis_crs": points.crs.to_string(),
        "grid": grid_params,
        "result": {k: v for k, v in result.attrs.get("params", {}).items() if k not in grid_params},
    }
    written_crs = _write(result, out_path, metric_crs=points.crs, lang=args.lang)
    params["output_crs"] = written_crs
    sidecar = out_path.with_name(out_path.name + ".params.json")
    atomic_write_text(sidecar, json.dumps(_jsonable(params), ensure_ascii=False, indent=2))

    if args.input is None:  # an export of the store's data: the audit trail records it
        _audit_export(args, out_path, rows=len(result))
    summary: dict[str, Any] = {
        "method": args.method,
        "incidents": len(points),
        "rows": len(result),
        "out": str(out_path),
        "params_file": str(sidecar),
    }
    summary.update(_highlights(args.method, result))
    if grid_params:
        summary["cell_size_m"] = grid_params.get("cell_size_m")
        summary["cell_size_auto"] = grid_params.get("cell_size_auto")
    if args.json:
        summary["params"] = _jsonable(params)
    emit(summary, as_json=args.json, title=f"Hotspots ({args.method}):")
    return 0


# --------------------------------------------------------------------------- loading


def _day(text: str | None, option: str) -> pd.Timestamp | None:
    """Return ``--from`` or ``--to`` as a timestamp (None when not given)."""
    try:
        return pd.Timestamp(text) if text else None
    except ValueError as exc:
        raise ConfigError(Message("cli.err.dates", option=option, value=repr(text))) from exc


def _bounds(date_from: str | None, date_to: str | None) -> tuple[pd.Timestamp | None, ...]:
    """Return naive [start, end) timestamps; ``--to`` is an inclusive last day."""
    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if end is not None and end == end.normalize():
        end = end + pd.Timedelta(days=1)
    if start is not None and end is not None and start >= end:
        raise ConfigError(Message("cli.err.dates_order", start=date_from, end=date_to))
    return start, end


def _load(
    args: argparse.Namespace, *, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None, Any | None, dict[str, Any]]:
    """Return (points, study area or None, context or None, description of the source)."""
    if args.input is None:
        return _load_store(args, start=start, end=end)
    return _load_file(args, start=start, end=end)


def _load_store(
    args: argparse.Namespace, *, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None, Any | None, dict[str, Any]]:
    """Return the store's geocoded incidents, the study area and the cluster-label context."""
    from apk_geo.store import open_store

    store = open_store(args.store)
    points = store.incidents(
        start=start,
        end=end,
        categories=args.category,
        districts=args.district,
        geocoded_only=True,
    )
    area = _store_area(store, args.district)
    context = _store_context(store, args)
    return points, area, context, {"store": store.location}


def _audit_export(args: argparse.Namespace, out: Path, *, rows: int) -> None:
    """Record the export of a hotspot layer in the store's audit trail (PostGIS)."""
    from apk_geo.store import open_store

    open_store(args.store).audit(
        "export",
        subject=str(out.resolve()),
        details={"command": "hotspots", "method": args.method, "rows": rows},
    )


def _store_area(store: Any, district: list[str] | None) -> gpd.GeoDataFrame | None:
    """Return the chosen districts, else the city outline, else None (the points' hull)."""
    names = set(store.layer_names())
    if district and "districts" in names:
        districts = store.layer("districts")
        wanted = {str(d) for d in district}
        keep = districts["NAZEV"].astype(str).isin(wanted) | districts["KOD"].astype(str).isin(
            wanted
        )
        if not keep.any():
            known = sorted(districts["NAZEV"].astype(str))
            raise SchemaError(
                Message("cli.err.district_unknown", wanted=sorted(wanted), known=known)
            )
        area: gpd.GeoDataFrame = districts.loc[keep]
        return area
    if "city" in names:
        city: gpd.GeoDataFrame = store.layer("city")
        return city
    return None


def _load_file(
    args: argparse.Namespace, *, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> tuple[gpd.GeoDataFrame, None, None, dict[str, Any]]:
    """Return the points of ``--input`` filtered by category and date (no area, no context)."""
    from apk_geo.points import distinct_incidents, read_points

    points = read_points(args.input, crs=args.crs, date_col=args.date_col)
    source = {"input": str(args.input)}
    source.update({k: v for k, v in points.attrs.get("params", {}).items() if k != "source"})
    if args.id_col:
        points = distinct_incidents(points, id_col=args.id_col)
    if args.district:
        raise ConfigError(Message("cli.err.district_needs_store"))
    if args.category:
        points = _keep_categories(points, args.category, path=args.input)
    if start is not None or end is not None:
        points = _keep_dates(points, start=start, end=end, path=args.input)
    return points.reset_index(drop=True), None, None, source


def _keep_categories(
    points: gpd.GeoDataFrame, categories: list[str], *, path: str
) -> gpd.GeoDataFrame:
    """Return the points whose ``category`` is one of ``categories``."""
    if "category" not in points.columns:
        columns = [c for c in points.columns if c != "geometry"]
        raise SchemaError(Message("cli.err.category_column", path=str(path), columns=columns))
    return points.loc[points["category"].astype("string").isin(categories)]


def _keep_dates(
    points: gpd.GeoDataFrame,
    *,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    path: str,
) -> gpd.GeoDataFrame:
    """Return the points reported in ``[start, end)`` (naive bounds read in the data's zone)."""
    if "reported_at" not in points.columns:
        raise SchemaError(Message("cli.err.date_column", path=str(path)))
    stamps = pd.to_datetime(points["reported_at"])
    keep = pd.Series(True, index=points.index)
    if start is not None:
        keep &= stamps >= _in_tz(start, stamps)
    if end is not None:
        keep &= stamps < _in_tz(end, stamps)
    return points.loc[keep.fillna(False).to_numpy(dtype=bool)]


def _in_tz(ts: pd.Timestamp, stamps: pd.Series) -> pd.Timestamp:
    tz = getattr(stamps.dt, "tz", None)
    return ts.tz_localize(tz) if tz is not None and ts.tzinfo is None else ts


def _store_context(store: Any, args: argparse.Namespace) -> Any | None:
    """Return the store's context layers the method uses, as attributes.

    Cluster labels need ``hostels``, ``svl`` and ``stops``; the forecast's risk terms
    :data:`apk_geo.context.RISK_LAYERS`. They are read directly (a duck-typed stand-in for
    :class:`apk_geo.enrich.Context`); missing or unreadable layers are skipped.
    """
    method = getattr(args, "method", None)
    if method not in ("clusters", "forecast"):
        return None
    names = set(store.layer_names())
    layers: dict[str, gpd.GeoDataFrame | None] = {}
    for name in ("hostels", "svl", "stops") if method == "clusters" else RISK_LAYERS:
        try:
            layers[name] = store.layer(name) if name in names else None
        except ApkGeoError as exc:
            logger.warning("cluster labels without the %s layer: %s", name, exc)
            layers[name] = None
    return SimpleNamespace(**layers)


# --------------------------------------------------------------------------- analysis


def _analyse(
    args: argparse.Namespace,
    points: gpd.GeoDataFrame,
    *,
    area: gpd.GeoDataFrame | None,
    context: Any | None,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Run ``--method`` through the method registry; return the result and its grid parameters."""
    options: dict[str, Any] = {
        "gistar": {"adjust": args.adjust},
        "kde": {"bandwidth_m": args.bandwidth_m, "kernel": args.kernel},
        "forecast": {"seed": 0, "context": risk_layers(context)},
        "clusters": {"min_cluster_size": args.min_cluster_size, "context": context},
        "change": {"adjust": args.adjust, "start": start, "end": end},
        "emerging": {"adjust": args.adjust, "start": start, "end": end},
    }[args.method]
    result = run_method(
        points,
        method=args.method,
        area=area,
        cell_size_m=args.cell_size_m,
        shape=args.grid,
        max_cells=args.max_cells,
        **options,
    )
    params = result.attrs.get("params", {})
    grid_params = dict(params.get("grid", {}))
    result.attrs["params"] = {k: v for k, v in params.items() if k != "grid"}
    return result, grid_params


def _highlights(method: str, result: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the summary lines of one method's result (just ``cells`` for an unknown shape)."""
    entry = _HIGHLIGHTS.get(method)
    if entry is not None and entry[0] in result:
        return entry[1](result)
    return {"cells": len(result)}


def _gistar_highlights(result: gpd.GeoDataFrame) -> dict[str, Any]:
    cls = result["hotspot_class"]
    return {
        "cells": len(result),
        "hot_99": int((cls == 3).sum()),
        "hot_95": int((cls == 2).sum()),
        "hot_90": int((cls == 1).sum()),
        "cold": int((cls < 0).sum()),
    }


def _kde_highlights(result: gpd.GeoDataFrame) -> dict[str, Any]:
    return {
        "cells": len(result),
        "bandwidth_m": result.attrs.get("params", {}).get("bandwidth_m"),
        "max_density_km2": round(float(result["density_km2"].max()), 3),
    }


def _forecast_highlights(result: gpd.GeoDataFrame) -> dict[str, Any]:
    params = result.attrs.get("params", {})
    return {
        "cells": len(result),
        "bandwidth_m": params.get("bandwidth_m"),
        "blend": params.get("blend"),
        "half_life_days": params.get("half_life_days"),
    }


def _change_highlights(result: gpd.GeoDataFrame) -> dict[str, Any]:
    direction = result["direction"].astype("string")
    return {
        "cells": len(result),
        "significant_up": int((direction == "up").sum()),
        "significant_down": int((direction == "down").sum()),
    }


def _emerging_highlights(result: gpd.GeoDataFrame) -> dict[str, Any]:
    counts = result["emerging_class"].astype("string").value_counts()
    found = {str(k): int(v) for k, v in counts.items() if k != "no_pattern"}
    return {
        "cells": len(result),
        "patterns": ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "none",
    }


def _clusters_highlights(result: gpd.GeoDataFrame) -> dict[str, Any]:
    return {
        "clusters": len(result),
        "largest": ", ".join(f"{r.label} ({r.n})" for r in result.head(3).itertuples()),
    }


#: Per method of :data:`apk_geo.methods.METHODS`: the column its result must have, and the
#: function that turns the result into summary lines.
_HIGHLIGHTS: Final[Mapping[str, tuple[str, Callable[[gpd.GeoDataFrame], dict[str, Any]]]]] = {
    "gistar": ("hotspot_class", _gistar_highlights),
    "kde": ("density_km2", _kde_highlights),
    "forecast": ("risk", _forecast_highlights),
    "change": ("direction", _change_highlights),
    "emerging": ("emerging_class", _emerging_highlights),
    "clusters": ("label", _clusters_highlights),
}


# --------------------------------------------------------------------------- output


def _write(result: gpd.GeoDataFrame, path: Path, *, metric_crs: Any, lang: str = "cs") -> str:
    """Write ``result`` with the product's one layer writer; return the CRS written.

    GeoPackage in S-JTSK (or the analysis CRS for points outside Czechia), GeoJSON and CSV in
    WGS 84 — the same files the dashboard's downloads give (:func:`apk_geo.io.layer_bytes`).
    GeoPackage 1.3 with a default QGIS style, RFC 7946 GeoJSON, the CSV in ``lang``'s style.
    """
    czech = result.crs is not None and result.crs.to_epsg() == 5514
    crs = CRS_METRIC if czech else metric_crs
    return write_layer(result, path, layer="hotspots", crs=crs, lang=lang)


def _jsonable(value: Any) -> Any:
    """Turn parameters into JSON-serialisable values (numbers, strings, lists, dicts)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
