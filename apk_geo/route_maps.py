"""Offline maps of patrol routes: one team's route, or every team's route of a shift.

:func:`route_map` draws each route as a line with numbered stops in its own colour, the start
and end points, and a legend naming the teams (the legend folds on a phone). A route keeps the
colour its plan gave it (:attr:`apk_geo.routes.Route.colour`, the same as on its sheet and GPX)
when every route of the map has its own; otherwise the colours come from the fixed palette
:data:`ROUTE_COLOURS` by position, so no two routes of one map share a colour (for up to
``len(ROUTE_COLOURS)`` routes). Every text taken from a route (team, place names) is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Final

import folium
import geopandas as gpd
from folium.utilities import JsCode

from apk_geo import assets
from apk_geo.errors import ParameterError
from apk_geo.i18n import t
from apk_geo.map_style import Legend, narrow_js
from apk_geo.maps import add_context, base_map, esc
from apk_geo.routes.model import TEAM_COLOURS, Route, Waypoint
from apk_geo.schema import CRS_WEB

__all__ = ["ROUTE_COLOURS", "route_colours", "route_legend_html", "route_map", "routes_bounds"]

#: The fixed palette of routes on one map (Okabe–Ito, colour-blind safe; as the teams' sheets).
ROUTE_COLOURS: Final = TEAM_COLOURS
_LINE_WEIGHT: Final = 4
_START_END: Final = (("start", "route.start_marker"), ("end", "route.end_marker"))  # i18n keys


def route_colours(routes: Sequence[Route]) -> list[str]:
    """Return the map colour of each route: its own when all differ, else the palette's.

    Examples
    --------
    Routes planned one at a time all carry the first team colour, so the palette decides:
    ``route_colours([r1, r2])`` gives ``["#0072B2", "#D55E00"]``.
    """
    own = [str(r.colour or "") for r in routes]
    if all(own) and len(set(own)) == len(own):
        return own
    return [ROUTE_COLOURS[i % len(ROUTE_COLOURS)] for i in range(len(routes))]


def route_map(
    routes: Route | Sequence[Route],
    *,
    lang: str = "cs",
    synthetic: bool = False,
    asset_base_url: str = assets.STREAMLIT_VENDOR_URL,
    height_px: int = 600,
    districts: gpd.GeoDataFrame | None = None,
    city: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Return an offline map of one or several patrol routes, each in its own colour.

    Parameters
    ----------
    routes
        One planned route (:func:`apk_geo.routes.plan_route`) or several, e.g. the teams of a
        shift (:attr:`apk_geo.routes.TeamPlan.routes`).
    lang
        ``"cs"`` or ``"en"``.
    synthetic
        Label the attribution line as synthetic demo data.
    asset_base_url
        URL under which the vendor folder is served.
    height_px
        Height of the map (the view is fitted to every route).
    districts, city
        Outlines drawn under the routes (:func:`apk_geo.maps.add_context`). Add other layers
        through this function, not afterwards: the layer list is drawn last and lists what the
        map holds by then (a layer added after it would break the page's script).

    Returns
    -------
    folium.Map
        Per route a layer named after the team: the path, start and end markers and numbered
        stops (tooltips: team, order, name, arrival; all escaped), and a legend with one row per
        route (colour, team, number of stops).

    Raises
    ------
    ParameterError
        If no route is given.
    """
    items = [routes] if isinstance(routes, Route) else list(routes)
    if not items:
        raise ParameterError("route_map needs at least one route, got none")
    colours = route_colours(items)
    m = base_map(
        bounds_4326=routes_bounds(items),
        lang=lang,
        synthetic=synthetic,
        asset_base_url=asset_base_url,
        height_px=height_px,
    )
    if districts is not None or city is not None:
        add_context(m, districts=districts, city=city, lang=lang)
    several = len(items) > 1
    for route, colour in zip(items, colours, strict=True):
        _add_route(m, route, colour=colour, lang=lang, prefix=several)
    m.add_child(Legend(route_legend_html(items, colours=colours, lang=lang)))
    folium.LayerControl(collapsed=JsCode(narrow_js())).add_to(m)
    return m


def route_legend_html(routes: Sequence[Route], *, colours: Sequence[str], lang: str = "cs") -> str:
    """Return the legend's HTML: one row per route (colour swatch, team, stops), escaped."""
    rows = []
    for route, colour in zip(routes, colours, strict=True):
        text = t("route.legend_row", lang, team=_team_name(route, lang), n=len(route.stops))
        rows.append(
            f'<div><span style="display:inline-block;width:18px;height:4px;background:{colour};'
            f'margin-right:5px;vertical-align:middle"></span>{html.escape(text)}</div>'
        )
    title = html.escape(t("map.legend", lang))
    return f"<details open><summary>{title}</summary>{''.join(rows)}</details>"


def _team_name(route: Route, lang: str) -> str:
    """Return the route's team name, or the generic title for a route without a team."""
    return route.team or t("route.title", lang)


def routes_bounds(routes: Sequence[Route]) -> tuple[float, float, float, float]:
    """Return ``(minx, miny, maxx, maxy)`` in degrees of every route's path."""
    boxes = [r.line.to_crs(CRS_WEB).total_bounds for r in routes]
    return (
        float(min(b[0] for b in boxes)),
        float(min(b[1] for b in boxes)),
        float(max(b[2] for b in boxes)),
        float(max(b[3] for b in boxes)),
    )


def _add_route(m: folium.Map, route: Route, *, colour: str, lang: str, prefix: bool) -> None:
    """Add one route (path, start and end, numbered stops) as a layer of its own."""
    team = _team_name(route, lang)
    layer = folium.FeatureGroup(name=esc(team))
    lead = f"{team} – " if prefix else ""
    line = route.line.to_crs(CRS_WEB)
    folium.GeoJson(
        line.geometry.iloc[0].__geo_interface__,
        name=esc(team),
        style_function=lambda _, c=colour: {"color": c, "weight": _LINE_WEIGHT, "opacity": 0.85},
    ).add_to(layer)
    for point, text, badge in _ends(route, lang):
        folium.Marker(
            [point.lat, point.lon],
            tooltip=esc(f"{lead}{text}"),
            icon=folium.DivIcon(html=_badge(badge, background="#222", round_=False)),
        ).add_to(layer)
    for row in route.stops.itertuples():
        folium.Marker(
            [row.lat, row.lon],
            tooltip=esc(f"{lead}{row.order}. {row.name} {row.arrive:%H:%M}"),
            icon=folium.DivIcon(html=_badge(str(int(row.order)), background=colour)),
        ).add_to(layer)
    layer.add_to(m)


def _ends(route: Route, lang: str) -> list[tuple[Waypoint, str, str]]:
    """Return the start and end markers: point, tooltip and badge.

    On a round trip the end is drawn over the start, so its badge says both (``S/C``).
    """
    start, end = t(_START_END[0][1], lang), t(_START_END[1][1], lang)
    start_text, end_text = f"{start} {route.start.time:%H:%M}", f"{end} {route.end.time:%H:%M}"
    if (route.start.lat, route.start.lon) == (route.end.lat, route.end.lon):
        both = f"{start_text} · {end_text}"
        return [(route.start, both, start[0]), (route.end, both, f"{start[0]}/{end[0]}")]
    return [(route.start, start_text, start[0]), (route.end, end_text, end[0])]


def _badge(text: str, *, background: str, round_: bool = True) -> str:
    """Return the HTML of a small numbered marker (``text`` is escaped).

    The dark outline keeps white digits readable on the palette's light colours.
    """
    radius = "50%" if round_ else "3px"
    width = "width:22px" if round_ else "min-width:22px;width:max-content;padding:0 2px"
    return (
        f'<div style="background:{background};color:#fff;border-radius:{radius};'
        f"{width};text-align:center;border:1px solid #222;"
        f'text-shadow:0 0 2px #000">{esc(text)}</div>'
    )
