"""Exports of a planned route: JSON, GeoJSON, GPX 1.1 and a printable HTML sheet.

:func:`route_to_json` is the canonical serialisation (the other formats read it or the route);
:func:`route_to_geojson` feeds web maps (EPSG:4326), :func:`to_gpx` handheld navigation, and
:func:`to_html` a self-contained sheet (inline CSS and an SVG sketch, no external URLs). Every
text shown to people comes from the ``sheet.*`` strings of :mod:`apk_geo.i18n`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, Final, Literal

import pandas as pd

from apk_geo.errors import ParameterError
from apk_geo.i18n import LANGS, section
from apk_geo.routes.model import Route
from apk_geo.schema import CRS_WEB, TIMEZONE

__all__ = ["route_to_geojson", "route_to_json", "to_gpx", "to_html"]

_GPX_NS: Final = "http://www.topografix.com/GPX/1/1"


def _labels(lang: str) -> Mapping[str, str]:
    """Return the export texts in ``lang`` (the ``sheet.*`` strings of :mod:`apk_geo.i18n`).

    Raises
    ------
    ParameterError
        If ``lang`` is not one of :data:`apk_geo.i18n.LANGS`.
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {sorted(LANGS)}, got {lang!r}")
    return section("sheet", lang)


def _iso(ts: pd.Timestamp) -> str:
    """Return ``ts`` as ISO 8601 in Europe/Prague with its UTC offset."""
    return pd.Timestamp(ts).tz_convert(TIMEZONE).isoformat()


# --------------------------------------------------------------------------------------------
# JSON and GeoJSON
# --------------------------------------------------------------------------------------------
def route_to_json(route: Route) -> dict[str, Any]:
    """Return the route as a JSON-serialisable dict.

    Returns
    -------
    dict
        ``{"version": 1, "shift": {start, end, minutes}, "start": {lat, lon, depart},
        "end": {lat, lon, arrive}, "stops": [{order, id, name, visit, arrive, depart, wait_min,
        dwell_min, priority, must_visit, leg_distance_m, lat, lon}], "totals": {...},
        "not_visited": [...], "params": {...}}``; times are ISO 8601 with the UTC offset.
    """
    stops = []
    for row in route.stops.itertuples(index=False):
        stops.append(
            {
                "order": int(row.order),
                "id": str(row.id),
                "name": str(row.name),
                "visit": int(row.visit),
                "arrive": _iso(row.arrive),
                "depart": _iso(row.depart),
                "wait_min": float(row.wait_min),
                "dwell_min": float(row.dwell_min),
                "priority": float(row.priority),
                "must_visit": bool(row.must_visit),
                "leg_distance_m": float(row.leg_distance_m),
                "lat": round(float(row.lat), 7),
                "lon": round(float(row.lon), 7),
            }
        )
    return {
        "version": 1,
        "shift": {
            "start": route.totals["shift_start"],
            "end": route.totals["shift_end"],
            "minutes": route.params["shift_minutes"],
        },
        "start": {
            "lat": round(route.start.lat, 7),
            "lon": round(route.start.lon, 7),
            "depart": _iso(route.start.time),
        },
        "end": {
            "lat": round(route.end.lat, 7),
            "lon": round(route.end.lon, 7),
            "arrive": _iso(route.end.time),
        },
        "stops": stops,
        "totals": dict(route.totals),
        "not_visited": list(route.not_visited),
        "params": dict(route.params),
    }


def _point_feature(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
    """Return a GeoJSON Point feature (coordinates rounded to 7 decimals, about 1 cm)."""
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
    }


def route_to_geojson(route: Route) -> dict[str, Any]:
    """Return the route as a GeoJSON FeatureCollection in EPSG:4326 for web maps.

    The first feature is the path (``kind = "route"``, LineString, ``distance_m``); then the
    start point (``kind = "start"``), the stops in order (``kind = "stop"``, ``order``, ``id``,
    ``name``, ``visit``, ``arrive``, ``depart``, ``priority``) and the end point
    (``kind = "end"``).
    """
    line = route.line.to_crs(CRS_WEB).geometry.iloc[0]
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {"kind": "route", "distance_m": float(route.totals["distance_m"])},
            "geometry": {
                "type": "LineString",
                "coordinates": [[round(x, 7), round(y, 7)] for x, y, *_ in line.coords],
            },
        },
        _point_feature(
            route.start.lat, route.start.lon, {"kind": "start", "depart": _iso(route.start.time)}
        ),
    ]
    for stop in route_to_json(route)["stops"]:
        props = {"kind": "stop", **{k: v for k, v in stop.items() if k not in ("lat", "lon")}}
        features.append(_point_feature(stop["lat"], stop["lon"], props))
    features.append(
        _point_feature(
            route.end.lat, route.end.lon, {"kind": "end", "arrive": _iso(route.end.time)}
        )
    )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------------------------
# GPX
# --------------------------------------------------------------------------------------------
def _q(tag: str) -> str:
    """Return ``tag`` in the GPX 1.1 namespace."""
    return f"{{{_GPX_NS}}}{tag}"


def _utc(ts: pd.Timestamp) -> str:
    """Return ``ts`` as a GPX time (UTC, ``Z``)."""
    return pd.Timestamp(ts).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _wpt(
    root: ET.Element,
    lat: float,
    lon: float,
    when: pd.Timestamp,
    *,
    title: str,
    desc: str,
    kind: str,
) -> None:
    """Append a GPX waypoint with time, name, description and type."""
    el = ET.SubElement(root, _q("wpt"), {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"})
    ET.SubElement(el, _q("time")).text = _utc(when)
    ET.SubElement(el, _q("name")).text = title
    ET.SubElement(el, _q("desc")).text = desc
    ET.SubElement(el, _q("type")).text = kind


def to_gpx(route: Route, *, name: str = "APK hlídka") -> str:
    """Return the route as a GPX 1.1 document (waypoints for the stops + the walked track).

    Waypoints carry the stop number and name (``<name>``), the arrival time (``<time>``, UTC)
    and a description with arrival, departure and priority; the start and end point are
    waypoints of ``<type>start</type>`` / ``<type>end</type>``. The track follows the path.
    """
    ET.register_namespace("", _GPX_NS)
    labels = _labels("cs")
    hm = "%H:%M"
    root = ET.Element(_q("gpx"), {"version": "1.1", "creator": "apk-geo"})
    meta = ET.SubElement(root, _q("metadata"))
    ET.SubElement(meta, _q("name")).text = name
    ET.SubElement(meta, _q("time")).text = _utc(route.start.time)
    start, end = route.start, route.end
    depart = labels["gpx_depart"].format(t=start.time.strftime(hm))
    _wpt(root, start.lat, start.lon, start.time, title=labels["start"], desc=depart, kind="start")
    for row in route.stops.itertuples(index=False):
        revisit = f" ({labels['revisit']})" if int(row.visit) == 2 else ""
        desc = labels["gpx_stop"].format(
            arrive=row.arrive.strftime(hm),
            depart=row.depart.strftime(hm),
            priority=f"{float(row.priority):.3g}",
        )
        title = f"{int(row.order)}. {row.name}{revisit}"
        _wpt(root, float(row.lat), float(row.lon), row.arrive, title=title, desc=desc, kind="stop")
    arrive = labels["gpx_arrive"].format(t=end.time.strftime(hm))
    _wpt(root, end.lat, end.lon, end.time, title=labels["end"], desc=arrive, kind="end")
    trk = ET.SubElement(root, _q("trk"))
    ET.SubElement(trk, _q("name")).text = name
    seg = ET.SubElement(trk, _q("trkseg"))
    for x, y, *_ in route.line.to_crs(CRS_WEB).geometry.iloc[0].coords:
        ET.SubElement(seg, _q("trkpt"), {"lat": f"{y:.7f}", "lon": f"{x:.7f}"})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --------------------------------------------------------------------------------------------
# HTML sheet
# --------------------------------------------------------------------------------------------
def _route_svg(route: Route, *, width: int = 640, height: int = 420, pad: int = 24) -> str:
    """Return an inline SVG sketch of the route (path, numbered stops, start and end)."""
    line = route.line.geometry.iloc[0]
    xs = [c[0] for c in line.coords]
    ys = [c[1] for c in line.coords]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 1.0)
    scale = min(
        (width - 2 * pad) / max(x1 - x0, span * 1e-3),
        (height - 2 * pad) / max(y1 - y0, span * 1e-3),
    )

    def sx(x: float) -> float:
        return round(float(pad + (x - x0) * scale), 1)

    def sy(y: float) -> float:
        return round(float(height - pad - (y - y0) * scale), 1)

    pts = " ".join(f"{sx(x)},{sy(y)}" for x, y in zip(xs, ys, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="route">',
        f'<polyline points="{pts}" fill="none" stroke="#1f5fa8" stroke-width="3" '
        f'stroke-linejoin="round"/>',
    ]
    sbar = 10 ** math.floor(math.log10(span / 3)) if span > 3 else 1.0
    parts.append(
        f'<line x1="{pad}" y1="{height - 8}" x2="{pad + sbar * scale:.1f}" '
        f'y2="{height - 8}" stroke="#333" stroke-width="2"/>'
        f'<text x="{pad + sbar * scale + 4:.1f}" y="{height - 4}" font-size="11">'
        f"{sbar:g} m</text>"
    )
    for label, x, y in (("S", xs[0], ys[0]), ("C", xs[-1], ys[-1])):
        parts.append(
            f'<rect x="{sx(x) - 9}" y="{sy(y) - 9}" width="18" height="18" '
            f'fill="#222"/><text x="{sx(x)}" y="{sy(y) + 4}" font-size="11" '
            f'fill="#fff" text-anchor="middle">{label}</text>'
        )
    for row in route.stops.itertuples(index=False):
        px, py = sx(row.geometry.x), sy(row.geometry.y)
        fill = "#c0392b" if int(row.visit) == 1 else "#e67e22"
        parts.append(
            f'<circle cx="{px}" cy="{py}" r="10" fill="{fill}" stroke="#fff"/>'
            f'<text x="{px}" y="{py + 4}" font-size="11" fill="#fff" '
            f'text-anchor="middle">{int(row.order)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(route: Route, *, title: str | None = None, lang: Literal["cs", "en"] = "cs") -> str:
    """Return a printable, self-contained HTML route sheet (no external URLs).

    Parameters
    ----------
    route
        The planned route.
    title
        Heading; default "Trasa hlídky" / "Patrol route".
    lang
        Language of the labels.

    Returns
    -------
    str
        HTML with inline CSS and an inline SVG sketch of the route, the stop table with times,
        the totals and space for notes; every text from the data is HTML-escaped.

    Raises
    ------
    ParameterError
        If ``lang`` is neither ``"cs"`` nor ``"en"``.
    """
    import jinja2

    labels = _labels(lang)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("apk_geo", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("route.html.j2")
    data = route_to_json(route)
    for stop in data["stops"]:
        stop["arrive_hm"] = pd.Timestamp(stop["arrive"]).strftime("%H:%M")
        stop["depart_hm"] = pd.Timestamp(stop["depart"]).strftime("%H:%M")
    cov = route.totals.get("coverage_share")
    return template.render(
        title=title or labels["title"],
        lang=lang,
        L=labels,
        data=data,
        shift_from=route.start.time.strftime("%d. %m. %Y %H:%M"),
        shift_to=pd.Timestamp(route.totals["shift_end"]).strftime("%H:%M"),
        end_hm=route.end.time.strftime("%H:%M"),
        coverage=None if cov is None else f"{100 * cov:.0f} %",
        coverage_label=labels["coverage"].format(r=f"{route.totals['coverage_radius_m']:g}"),
        svg=_route_svg(route),
    )
