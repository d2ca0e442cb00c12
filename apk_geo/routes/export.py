"""Exports of planned routes: JSON, GeoJSON, GPX 1.1 and a printable HTML sheet.

:func:`route_to_json` is the canonical serialisation of one route and :func:`plan_to_json` of a
:class:`~apk_geo.routes.model.TeamPlan` (the other formats read them or the route);
:func:`route_to_geojson` and :func:`plan_to_geojson` feed web maps (EPSG:4326, a ``colour`` per
team), :func:`to_gpx` handheld navigation (waypoints, a ``<rte>`` of the stops that follows the
streets when the plan had a network, and the ``<trk>``), and :func:`to_html` a self-contained sheet
(inline CSS and an SVG sketch, no external URLs) that names the start by its address or landmark
and says whether distances follow the streets or are straight lines times the detour factor.
Every text shown to people comes from the ``sheet.*`` strings of :mod:`apk_geo.i18n`; numbers in
Czech texts have a decimal comma.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any, Final, Literal

import pandas as pd
from shapely.geometry import LineString

from apk_geo import fmt
from apk_geo.errors import ParameterError
from apk_geo.i18n import LANGS, fill, section
from apk_geo.routes.model import TEAM_COLOURS, Route, TeamPlan
from apk_geo.schema import CRS_WEB, TIMEZONE

__all__ = [
    "format_number",
    "plan_to_geojson",
    "plan_to_json",
    "route_to_geojson",
    "route_to_json",
    "to_gpx",
    "to_html",
]

_GPX_NS: Final = "http://www.topografix.com/GPX/1/1"
#: A colour the sheet may put into its CSS and SVG (anything else falls back to the default).
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: Tolerance of the street path's simplification in the GPX ``<rte>``, metres.
_RTE_TOLERANCE_M: Final = 5.0


def strings(prefix: str, lang: str) -> dict[str, str]:
    """Return the strings under ``prefix.`` in ``lang``: the catalogue's, else the pending ones.

    Raises
    ------
    ParameterError
        If ``lang`` is not one of :data:`apk_geo.i18n.LANGS`.
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {sorted(LANGS)}, got {lang!r}")
    return section(prefix, lang)


def format_number(value: float, *, digits: int = 1, lang: str = "cs", style: str = "f") -> str:
    """Return ``value`` with ``digits`` decimals (``style="g"``: significant digits).

    Through :func:`apk_geo.fmt.number`: Czech has a decimal comma and a non-breaking space
    between thousands.

    Examples
    --------
    >>> format_number(11.349, digits=1), format_number(0.5426, digits=3, style="g", lang="en")
    ('11,3', '0.543')
    """
    if style == "g":
        return fmt.number(float(value), lang, significant=digits)
    return fmt.number(float(value), lang, digits=digits)


def _safe_colour(colour: str) -> str:
    """Return ``colour`` if it is ``#RRGGBB``, else the first team colour (no CSS injection)."""
    return colour if _COLOUR.match(colour or "") else TEAM_COLOURS[0]


def _iso(ts: pd.Timestamp) -> str:
    """Return ``ts`` as ISO 8601 in Europe/Prague with its UTC offset."""
    return pd.Timestamp(ts).tz_convert(TIMEZONE).isoformat()


def _point_name(name: str, lat: float, lon: float, *, lang: str) -> str:
    """Return a waypoint's printed name: its address or landmark, else its coordinates."""
    if name:
        return name
    from apk_geo.routes.places import describe_point

    return describe_point(lat, lon, lang=lang)


# --------------------------------------------------------------------------------------------
# JSON and GeoJSON
# --------------------------------------------------------------------------------------------
def route_to_json(route: Route) -> dict[str, Any]:
    """Return the route as a JSON-serialisable dict.

    Returns
    -------
    dict
        ``{"version": 1, "team", "colour", "shift": {start, end, minutes}, "start": {lat, lon,
        depart, name}, "end": {lat, lon, arrive, name}, "stops": [{order, id, name, visit,
        arrive, depart, wait_min, dwell_min, priority, must_visit, leg_distance_m, lat, lon}],
        "totals": {...}, "not_visited": [...], "params": {...}}``; times are ISO 8601 with the
        UTC offset.
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
        "team": route.team,
        "colour": route.colour,
        "shift": {
            "start": route.totals["shift_start"],
            "end": route.totals["shift_end"],
            "minutes": route.params["shift_minutes"],
        },
        "start": {
            "lat": round(route.start.lat, 7),
            "lon": round(route.start.lon, 7),
            "depart": _iso(route.start.time),
            "name": route.start.name,
        },
        "end": {
            "lat": round(route.end.lat, 7),
            "lon": round(route.end.lon, 7),
            "arrive": _iso(route.end.time),
            "name": route.end.name,
        },
        "stops": stops,
        "totals": dict(route.totals),
        "not_visited": list(route.not_visited),
        "params": dict(route.params),
    }


def plan_to_json(plan: TeamPlan) -> dict[str, Any]:
    """Return a plan of several teams as a JSON-serialisable dict.

    Returns
    -------
    dict
        ``{"version": 1, "teams": [route_to_json(route), ...], "totals": {...},
        "not_visited": [...], "params": {...}}``.
    """
    return {
        "version": 1,
        "teams": [route_to_json(r) for r in plan.routes],
        "totals": dict(plan.totals),
        "not_visited": list(plan.not_visited),
        "params": dict(plan.params),
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
    start point (``kind = "start"``, ``name``), the stops in order (``kind = "stop"``,
    ``order``, ``id``, ``name``, ``visit``, ``arrive``, ``depart``, ``priority``) and the end
    point (``kind = "end"``). Every feature carries the route's ``team`` and ``colour``.
    """
    line = route.line.to_crs(CRS_WEB).geometry.iloc[0]
    team = {"team": route.team, "colour": route.colour}
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {
                "kind": "route",
                "distance_m": float(route.totals["distance_m"]),
                **team,
            },
            "geometry": {
                "type": "LineString",
                "coordinates": [[round(x, 7), round(y, 7)] for x, y, *_ in line.coords],
            },
        },
        _point_feature(
            route.start.lat,
            route.start.lon,
            {"kind": "start", "depart": _iso(route.start.time), "name": route.start.name, **team},
        ),
    ]
    for stop in route_to_json(route)["stops"]:
        props = {"kind": "stop", **{k: v for k, v in stop.items() if k not in ("lat", "lon")}}
        features.append(_point_feature(stop["lat"], stop["lon"], {**props, **team}))
    features.append(
        _point_feature(
            route.end.lat,
            route.end.lon,
            {"kind": "end", "arrive": _iso(route.end.time), "name": route.end.name, **team},
        )
    )
    return {"type": "FeatureCollection", "features": features}


def plan_to_geojson(plan: TeamPlan | Sequence[Route]) -> dict[str, Any]:
    """Return every team's route in one FeatureCollection.

    The features of :func:`route_to_geojson`, team after team; ``team`` and ``colour`` tell
    them apart.
    """
    routes = plan.routes if isinstance(plan, TeamPlan) else tuple(plan)
    features = [f for r in routes for f in route_to_geojson(r)["features"]]
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


def _gpx_point(
    parent: ET.Element,
    tag: str,
    lat: float,
    lon: float,
    *,
    when: pd.Timestamp | None = None,
    title: str | None = None,
    desc: str | None = None,
    kind: str | None = None,
) -> None:
    """Append a GPX point (``wpt`` or ``rtept``) with its optional children in schema order."""
    el = ET.SubElement(parent, _q(tag), {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"})
    for child, text in (("time", None if when is None else _utc(when)), ("name", title),
                        ("desc", desc), ("type", kind)):  # fmt: skip
        if text is not None:
            ET.SubElement(el, _q(child)).text = text


def _stop_texts(route: Route, *, lang: str) -> list[tuple[str, str]]:
    """Return ``(title, description)`` of every stop (decimal comma in Czech)."""
    labels = strings("sheet", lang)
    out = []
    for row in route.stops.itertuples(index=False):
        revisit = f" ({labels['revisit']})" if int(row.visit) == 2 else ""
        desc = fill(
            labels["gpx_stop"],
            lang,
            arrive=row.arrive.strftime("%H:%M"),
            depart=row.depart.strftime("%H:%M"),
            priority=format_number(float(row.priority), digits=3, style="g", lang=lang),
        )
        out.append((f"{int(row.order)}. {row.name}{revisit}", desc))
    return out


def to_gpx(route: Route, *, name: str | None = None, lang: Literal["cs", "en"] = "cs") -> str:
    """Return the route as a GPX 1.1 document: waypoints, the ``<rte>`` and the ``<trk>``.

    Waypoints carry the stop number and name (``<name>``), the arrival time (``<time>``, UTC)
    and a description with arrival, departure and priority (decimal comma in Czech); the start
    and end point are waypoints of ``<type>start</type>`` / ``<type>end</type>`` named by their
    address or landmark. The ``<rte>`` lists start, stops and end as route points; when the plan
    followed a street network, the street path's turns between them are route points of
    ``<type>via</type>`` (simplified to 5 m), so a device following the route stays on the
    streets. The ``<trk>`` is the whole path.
    """
    labels = strings("sheet", lang)
    title = name or " – ".join(x for x in (labels["title"], route.team) if x)
    ET.register_namespace("", _GPX_NS)
    root = ET.Element(_q("gpx"), {"version": "1.1", "creator": "apk-geo"})
    meta = ET.SubElement(root, _q("metadata"))
    ET.SubElement(meta, _q("name")).text = title
    ET.SubElement(meta, _q("time")).text = _utc(route.start.time)
    ends = _end_texts(route, lang=lang)
    start, end = route.start, route.end
    _gpx_point(root, "wpt", start.lat, start.lon, when=start.time, title=ends[0][0],
               desc=ends[0][1], kind="start")  # fmt: skip
    for row, (stop_title, desc) in zip(
        route.stops.itertuples(index=False), _stop_texts(route, lang=lang), strict=True
    ):
        _gpx_point(root, "wpt", float(row.lat), float(row.lon), when=row.arrive,
                   title=stop_title, desc=desc, kind="stop")  # fmt: skip
    _gpx_point(root, "wpt", end.lat, end.lon, when=end.time, title=ends[1][0], desc=ends[1][1],
               kind="end")  # fmt: skip
    _gpx_route(root, route, title=title, lang=lang)
    trk = ET.SubElement(root, _q("trk"))
    ET.SubElement(trk, _q("name")).text = title
    seg = ET.SubElement(trk, _q("trkseg"))
    for x, y, *_ in route.line.to_crs(CRS_WEB).geometry.iloc[0].coords:
        ET.SubElement(seg, _q("trkpt"), {"lat": f"{y:.7f}", "lon": f"{x:.7f}"})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _end_texts(route: Route, *, lang: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Return ``(title, description)`` of the start and the end point."""
    labels = strings("sheet", lang)
    start, end = route.start, route.end
    return (
        (
            f"{labels['start']}: {_point_name(start.name, start.lat, start.lon, lang=lang)}",
            fill(labels["gpx_depart"], lang, t=start.time.strftime("%H:%M")),
        ),
        (
            f"{labels['end']}: {_point_name(end.name, end.lat, end.lon, lang=lang)}",
            fill(labels["gpx_arrive"], lang, t=end.time.strftime("%H:%M")),
        ),
    )


def _gpx_route(root: ET.Element, route: Route, *, title: str, lang: str) -> None:
    """Append the ``<rte>``: start, stops and end, with the streets' turns between them."""
    rte = ET.SubElement(root, _q("rte"))
    ET.SubElement(rte, _q("name")).text = title
    ends = _end_texts(route, lang=lang)
    named = [(ends[0][0], "start")] + [(t, "stop") for t, _ in _stop_texts(route, lang=lang)]
    named.append((ends[1][0], "end"))
    follows_streets = route.params.get("network") is not None
    points: list[tuple[tuple[float, float], str | None, str]] = []
    for leg_index, leg in enumerate(_legs_of(route)):
        shape = _simplified(leg) if follows_streets else [leg[0], leg[-1]]
        if leg_index == 0:
            points.append((shape[0], named[0][0], named[0][1]))
        points += [(via, None, "via") for via in shape[1:-1]]
        points.append((shape[-1], *named[leg_index + 1]))
    from pyproj import Transformer

    to_web = Transformer.from_crs(route.line.crs, CRS_WEB, always_xy=True)
    lon, lat = to_web.transform([p[0][0] for p in points], [p[0][1] for p in points])
    for (_, title_, kind), la, lo in zip(points, lat, lon, strict=True):
        _gpx_point(rte, "rtept", float(la), float(lo), title=title_, kind=kind)


def _legs_of(route: Route) -> list[list[tuple[float, float]]]:
    """Split the route's path into its legs (start → stop 1 → … → end), in metric coordinates.

    The path is the legs joined end to start, so every stop is a vertex of it; the legs are cut
    at the stops in order.
    """
    coords = [(float(c[0]), float(c[1])) for c in route.line.geometry.iloc[0].coords]
    targets = [(float(g.x), float(g.y)) for g in route.stops.geometry]
    legs: list[list[tuple[float, float]]] = []
    current = [coords[0]]
    k = 0
    for xy in coords[1:]:
        current.append(xy)
        if k < len(targets) and math.dist(xy, targets[k]) < 1e-6:
            legs.append(current)
            current = [xy]
            k += 1
    legs.append(current if len(current) > 1 else [current[0], current[0]])
    while len(legs) < len(targets) + 1:  # a stop at the end point: an empty last leg
        legs.append([legs[-1][-1], legs[-1][-1]])
    return legs


def _simplified(leg: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return a leg's vertices simplified to :data:`_RTE_TOLERANCE_M` (ends kept)."""
    if len(leg) <= 2:
        return leg
    line = LineString(leg).simplify(_RTE_TOLERANCE_M, preserve_topology=False)
    return [(float(x), float(y)) for x, y, *_ in line.coords]


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
    colour = _safe_colour(route.colour)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="route">',
        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="3" '
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


def _sheet_rows(route: Route, *, lang: str) -> list[dict[str, Any]]:
    """Return the stop rows of the sheet with their times and numbers formatted."""
    labels = strings("sheet", lang)
    rows = []
    for stop in route_to_json(route)["stops"]:
        rows.append(
            {
                **stop,
                "arrive_hm": pd.Timestamp(stop["arrive"]).strftime("%H:%M"),
                "depart_hm": pd.Timestamp(stop["depart"]).strftime("%H:%M"),
                "wait": (
                    f"{fmt.integer(stop['wait_min'], lang)} {labels['min']}"
                    if stop["wait_min"] >= 0.5
                    else ""
                ),
                "dwell": f"{fmt.integer(stop['dwell_min'], lang)} {labels['min']}",
                "priority_text": format_number(stop["priority"], digits=3, style="g", lang=lang),
                "leg": f"{fmt.integer(stop['leg_distance_m'], lang)} m",
            }
        )
    return rows


def _distance_note(route: Route, *, lang: str) -> str:
    """Return whether the legs follow the streets or are straight lines × the detour factor."""
    labels = strings("sheet", lang)
    source = route.params.get("network")
    if source:
        from pathlib import Path

        return fill(labels["network_note"], lang, source=Path(str(source)).name)
    factor = route.params.get("detour_factor") or 1.0
    return fill(labels["straight_note"], lang, factor=format_number(factor, digits=1, lang=lang))


def to_html(route: Route, *, title: str | None = None, lang: Literal["cs", "en"] = "cs") -> str:
    """Return a printable, self-contained HTML route sheet (no external URLs).

    Parameters
    ----------
    route
        The planned route.
    title
        Heading; default "Trasa hlídky" / "Patrol route".
    lang
        Language of the labels (and of the numbers: decimal comma in Czech).

    Returns
    -------
    str
        HTML with inline CSS and an inline SVG sketch of the route, the start and end by their
        address or landmark, the team, the stop table with times, the totals, a note on how
        the distances were measured and space for notes; every text from the data is
        HTML-escaped.

    Raises
    ------
    ParameterError
        If ``lang`` is neither ``"cs"`` nor ``"en"``.
    """
    import jinja2

    labels = strings("sheet", lang)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("apk_geo", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("route.html.j2")
    totals = route.totals
    cov = totals.get("coverage_share")
    start, end = route.start, route.end
    return template.render(
        title=title or labels["title"],
        lang=lang,
        L=labels,
        team=route.team,
        colour=_safe_colour(route.colour),
        stops=_sheet_rows(route, lang=lang),
        shift_from=fmt.date_time(start.time, lang),
        shift_to=pd.Timestamp(totals["shift_end"]).strftime("%H:%M"),
        start_hm=start.time.strftime("%H:%M"),
        end_hm=end.time.strftime("%H:%M"),
        start_name=_point_name(start.name, start.lat, start.lon, lang=lang),
        end_name=_point_name(end.name, end.lat, end.lon, lang=lang),
        distance_km=format_number(totals["distance_m"] / 1000, digits=1, lang=lang),
        duration=fmt.integer(totals["duration_min"], lang),
        n_stops=totals["n_stops"],
        collected=format_number(totals["priority_collected"], digits=3, style="g", lang=lang),
        available=format_number(totals["priority_available"], digits=3, style="g", lang=lang),
        coverage=None if cov is None else fmt.percent(cov, lang),
        coverage_label=fill(labels["coverage"], lang, r=totals["coverage_radius_m"]),
        note=_distance_note(route, lang=lang),
        svg=_route_svg(route),
    )
