"""``apk-geo route``: plan a patrol route for one shift (OR-Tools, offline).

Candidates come from a point file (``--candidates``: GeoJSON/GeoPackage with ``priority`` and
optional ``id``, ``name``, ``must_visit``, ``window_start``, ``window_end``) or are built from a
store (``--store``, ``--date``, ``--start-time``): the cells with the most expected incidents in
the shift's weekday and hours, recent weeks weighted more (``--recent-weeks`` is the half-life).
``--must-visit 'ZŠ Ostrčilova | 49.8405,18.2856 | 07:35-07:50'`` (repeatable) adds a place the
route must include, with an optional window in which the stop must start.

The route (ordered stops with arrival and departure, totals) is written to ``--out`` as JSON;
``--gpx`` writes GPX 1.1 for a phone, ``--html`` a printable route sheet, ``--geojson`` the
stops and the path for a web map. The walk back to the end point always fits in the shift.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from apk_geo import routes
from apk_geo._cli._common import add_json_flag, emit
from apk_geo.errors import ApkGeoError, ConfigError, GeocodingError
from apk_geo.times import as_timestamp


def register(sub: Any) -> None:
    """Add the ``route`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "route",
        help="plan a patrol route for a shift (stops, times, GPX, printable sheet)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--candidates", help="point file with a 'priority' column")
    source.add_argument("--store", help="incident store (.gpkg): build candidates for the shift")
    p.add_argument(
        "--start",
        required=True,
        help="start point: LAT,LON or an address (needs --store or --gazetteer), e.g. the APK base",
    )
    p.add_argument("--end", help="end point: LAT,LON or an address (default: the start)")
    p.add_argument("--gazetteer", help="RÚIAN address points CSV for addresses in --start/--end")
    p.add_argument("--shift-minutes", type=float, required=True, help="length of the shift")
    p.add_argument("--shift-start", help="shift start, e.g. 2026-11-24T08:00 (local time)")
    p.add_argument("--date", help="shift date YYYY-MM-DD (with --start-time)")
    p.add_argument("--start-time", help="shift start time HH:MM (with --date)")
    p.add_argument(
        "--dwell-minutes",
        type=float,
        default=routes.DEFAULT_DWELL_MINUTES,
        help="time at each stop (default 15)",
    )
    p.add_argument("--mode", choices=("foot", "car"), default="foot", help="default foot")
    p.add_argument("--speed-kmh", type=float, help="speed (default 4.5 on foot, 25 by car)")
    p.add_argument(
        "--detour-factor",
        type=float,
        default=routes.DEFAULT_DETOUR_FACTOR,
        help="street / straight distance without --network (default 1.3)",
    )
    p.add_argument("--max-stops", type=int, help="at most this many stops")
    p.add_argument(
        "--revisit-minutes",
        type=float,
        help="allow a second visit at least this long after the first",
    )
    p.add_argument(
        "--must-visit",
        action="append",
        default=[],
        metavar="'NAME | LAT,LON or ADDRESS | HH:MM-HH:MM'",
        help="a place the route must include, with an optional window for the stop's start "
        "(e.g. a school at the start of lessons); repeat for more places",
    )
    p.add_argument("--network", help="street network: GraphML or GeoPackage of edges")
    p.add_argument("--time-limit-s", type=float, default=2.0, help="solver time (default 2)")
    p.add_argument("--top-n", type=int, default=50, help="candidates from --store (default 50)")
    p.add_argument(
        "--recent-weeks",
        type=float,
        default=8.0,
        help="half-life of incident weights in weeks, with --store (default 8)",
    )
    p.add_argument(
        "--cell-size-m", type=float, default=150.0, help="grid cell size with --store (default 150)"
    )
    p.add_argument("--out", required=True, help="route JSON file")
    p.add_argument("--gpx", help="also write GPX 1.1")
    p.add_argument("--html", help="also write a printable HTML route sheet")
    p.add_argument("--pdf", help="also write the route sheet as an A4 PDF (headless Chromium)")
    p.add_argument("--geojson", help="also write the stops and the path as GeoJSON")
    add_json_flag(p)
    p.set_defaults(func=run)


def _gazetteer(args: argparse.Namespace) -> pd.DataFrame | None:
    """Return the address points for --start/--end addresses (--gazetteer, else the store's)."""
    if args.gazetteer:
        from apk_geo.geocode import load_ruian_csv

        return load_ruian_csv(args.gazetteer)
    if args.store:
        from apk_geo.store import open_store

        store = open_store(args.store)
        if "address_points" in store.layer_names():
            return pd.DataFrame(store.layer("address_points"))
    return None


def _point(text: str | None, *, flag: str, args: argparse.Namespace) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        return routes.resolve_point(text, gazetteer=_gazetteer(args))
    except GeocodingError as exc:
        raise ConfigError(f"{flag}: {exc}") from exc


def _shift_start(args: argparse.Namespace) -> pd.Timestamp:
    if args.shift_start and (args.date or args.start_time):
        raise ConfigError("give either --shift-start or --date with --start-time, not both")
    text = args.shift_start or (
        f"{args.date}T{args.start_time}" if args.date and args.start_time else None
    )
    if text is None:
        raise ConfigError(
            "the shift start is missing: give --shift-start 2026-11-24T08:00 "
            "or --date 2026-11-24 --start-time 08:00"
        )
    try:
        return as_timestamp(text, name="--shift-start")
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    """Plan the route, write the requested files and print a summary."""
    start = _point(args.start, flag="--start", args=args)
    end = _point(args.end, flag="--end", args=args)
    if start is None:  # pragma: no cover - argparse requires --start
        raise ConfigError("--start is required")
    t0 = _shift_start(args)
    demand = None
    if args.candidates:
        candidates = routes.read_candidates(args.candidates)
    else:
        candidates, demand = _store_candidates(args, t0)
    if args.must_visit:
        try:
            places = routes.parse_places(args.must_visit, gazetteer=_gazetteer(args))
        except GeocodingError as exc:
            raise ConfigError(f"--must-visit: {exc}") from exc
        candidates = routes.add_places(candidates, places)
    try:
        route = routes.plan_route(
            candidates,
            start=start,
            end=end,
            shift_start=t0,
            shift_minutes=args.shift_minutes,
            dwell_minutes=args.dwell_minutes,
            mode=args.mode,
            speed_kmh=args.speed_kmh,
            detour_factor=args.detour_factor,
            max_stops=args.max_stops,
            revisit_interval_minutes=args.revisit_minutes,
            network=args.network,
            demand=demand,
            time_limit_s=args.time_limit_s,
        )
    except ApkGeoError:
        raise
    except ValueError as exc:  # an option out of range
        raise ConfigError(str(exc)) from exc
    data = routes.route_to_json(route)
    if demand is not None:
        data["params"]["candidates"] = candidates.attrs.get("params", {})
    out = Path(args.out)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    written = {"out": str(out)}
    if args.gpx:
        Path(args.gpx).write_text(routes.to_gpx(route), encoding="utf-8")
        written["gpx"] = args.gpx
    if args.html:
        Path(args.html).write_text(routes.to_html(route), encoding="utf-8")
        written["html"] = args.html
    if args.pdf:
        from apk_geo.browser import Renderer

        with Renderer() as renderer:
            pdf = renderer.pdf(routes.to_html(route), footer_html="<span></span>")
        Path(args.pdf).write_bytes(pdf)
        written["pdf"] = args.pdf
    if args.geojson:
        Path(args.geojson).write_text(json.dumps(routes.route_to_geojson(route)), encoding="utf-8")
        written["geojson"] = args.geojson
    totals = route.totals
    summary: dict[str, Any] = {
        "stops": totals["n_stops"],
        "distance_m": totals["distance_m"],
        "duration_min": totals["duration_min"],
        "priority_collected": round(float(totals["priority_collected"]), 4),
        "priority_available": round(float(totals["priority_available"]), 4),
        "coverage_share": totals["coverage_share"],
        "order": " → ".join(
            f"{s['order']}. {s['name']} {s['arrive'][11:16]}" for s in data["stops"]
        ),
        **written,
    }
    if args.json:
        summary = {**data, "files": written}
    emit(summary, as_json=args.json, title="Patrol route:")
    return 0


def _store_candidates(args: argparse.Namespace, t0: pd.Timestamp) -> tuple[Any, Any]:
    """Build the shift's candidates and the demand surface from a store."""
    from apk_geo.store import open_store

    store = open_store(args.store)
    incidents = store.incidents(end=t0, geocoded_only=True)
    names = set(store.layer_names())
    area = store.layer("city") if "city" in names else None
    context = SimpleNamespace(
        **{k: store.layer(k) for k in ("svl", "hostels", "stops") if k in names}
    )
    return routes.candidates_for_shift(
        incidents,
        shift_start=t0,
        shift_minutes=args.shift_minutes,
        area=area,
        cell_size_m=args.cell_size_m,
        recent_weeks=args.recent_weeks,
        top_n=args.top_n,
        context=context,
        districts=store.layer("districts") if "districts" in names else None,
    )
