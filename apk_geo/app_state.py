"""The dashboard's one state object: filters, language and each page's options, URL round trip.

Everything a dashboard page shows is a function of one frozen :class:`AppState`: the sidebar
filters (:class:`apk_geo.selection.Filters`), the language, the options of the Hotspots page
(:class:`HotspotOptions`), of the Trends page (:class:`TrendOptions`) and of the map
(:class:`MapOptions`: base map, the layers switched off, the view). The state round-trips
through URL query parameters (:meth:`AppState.to_query`, :func:`state_from_query`), so a link
reproduces the view, and the pages cache their results under the parts of the state they use
(:meth:`AppState.key`), so no page can show the result of another filter.

Widgets change the state one field at a time by a dotted path (:meth:`AppState.with_value`,
e.g. ``"filters.categories"`` or ``"hotspots.method"``); values are checked there, so a bad
value never enters the state.

Examples
--------
>>> from datetime import date
>>> s = AppState().with_value("filters.categories", ["dogs"]).with_value("lang", "en")
>>> s.to_query()["cat"], s.to_query()["lang"]
('dogs', 'en')
>>> state_from_query(s.to_query(), today=date(2024, 6, 30)).filters.categories
('dogs',)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any, Final, Literal, get_args

from apk_geo.errors import ParameterError
from apk_geo.i18n import Lang, normalize_lang
from apk_geo.selection import (
    AREA_KINDS,
    AreaKind,
    Filters,
    filters_from_query,
    filters_to_query,
    preset_range,
)

logger = logging.getLogger(__name__)

Freq = Literal["auto", "week", "month"]
FREQS: Final[tuple[str, ...]] = get_args(Freq)
TrendBy = Literal["none", "category", "outcome"]
TREND_BYS: Final[tuple[str, ...]] = get_args(TrendBy)
Tiles = Literal["none", "local", "osm", "cuzk_ortho"]
TILES: Final[tuple[str, ...]] = get_args(Tiles)
#: Hotspot methods the Hotspots page offers (the registry's interactive ones).
HOTSPOT_METHODS: Final = ("gistar", "kde", "forecast", "clusters")


@dataclass(frozen=True)
class HotspotOptions:
    """Options of the Hotspots page (and of the hotspot layer of the map).

    ``cell_size_m``/``bandwidth_m`` ``None`` mean "chosen automatically".
    """

    method: str = "gistar"
    cell_size_m: float | None = None
    bandwidth_m: float | None = None
    min_cluster_size: int = 15
    top: int = 10

    def __post_init__(self) -> None:
        if self.method not in HOTSPOT_METHODS:
            raise ParameterError(f"method must be one of {HOTSPOT_METHODS}; got {self.method!r}")
        for name in ("cell_size_m", "bandwidth_m"):
            value = getattr(self, name)
            if value is not None and not 0 < value <= 5000:
                raise ParameterError(f"{name} must be in (0, 5000] m or None; got {value!r}")
        if not 3 <= self.min_cluster_size <= 500:
            raise ParameterError(f"min_cluster_size must be 3…500; got {self.min_cluster_size}")
        if not 1 <= self.top <= 50:
            raise ParameterError(f"top must be 1…50; got {self.top}")


@dataclass(frozen=True)
class TrendOptions:
    """Options of the Trends page: period length, split and the area looked at."""

    freq: Freq = "auto"
    by: TrendBy = "none"
    area_kind: AreaKind = "city"
    area_name: str | None = None

    def __post_init__(self) -> None:
        _choice("freq", self.freq, FREQS)
        _choice("by", self.by, TREND_BYS)
        _choice("area_kind", self.area_kind, AREA_KINDS)


@dataclass(frozen=True)
class MapOptions:
    """Options of the map: base map, hotspot and risk layers, layers switched off, the view.

    ``hidden_layers`` holds layer keys (``"districts"``, ``"heat"``, …, see
    :data:`apk_geo.maps.LAYER_KEYS`), not translated names, so a language switch keeps them.
    ``zoom``/``center`` ``None`` mean "fit the area".
    """

    tiles: Tiles = "none"
    show_hotspots: bool = True
    show_risk: bool = False
    hidden_layers: tuple[str, ...] = ()
    zoom: int | None = None
    center: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        _choice("tiles", self.tiles, TILES)
        if self.zoom is not None and not 5 <= self.zoom <= 20:
            raise ParameterError(f"zoom must be 5…20 or None; got {self.zoom!r}")
        if self.center is not None:
            lat, lon = self.center
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ParameterError(f"center must be (lat, lon) in degrees; got {self.center!r}")


def _choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ParameterError(f"{name} must be one of {tuple(allowed)}; got {value!r}")


@dataclass(frozen=True)
class AppState:
    """The whole state of a dashboard session (see the module docstring).

    Attributes
    ----------
    filters
        The sidebar filters.
    lang
        ``"cs"`` or ``"en"``.
    hotspots, trends, map
        Options of the Hotspots page, the Trends page and the map.
    """

    filters: Filters = field(default_factory=Filters)
    lang: Lang = "cs"
    hotspots: HotspotOptions = field(default_factory=HotspotOptions)
    trends: TrendOptions = field(default_factory=TrendOptions)
    map: MapOptions = field(default_factory=MapOptions)

    def __post_init__(self) -> None:
        _choice("lang", self.lang, ("cs", "en"))

    def value(self, path: str) -> Any:
        """Return the value at a dotted ``path`` (``"filters.categories"``, ``"lang"``)."""
        obj: Any = self
        for part in path.split("."):
            if not hasattr(obj, part):
                raise ParameterError(f"no state field {path!r}")
            obj = getattr(obj, part)
        return obj

    def with_value(self, path: str, value: object) -> AppState:
        """Return a copy with ``path`` set to ``value`` (lists become tuples; checked)."""
        head, _, rest = path.partition(".")
        if head not in {f.name for f in fields(self)}:
            raise ParameterError(f"no state field {path!r}")
        if not rest:
            if head == "lang":
                return replace(self, lang=normalize_lang(value))
            raise ParameterError(f"state field {path!r} is a group; name one of its fields")
        group = getattr(self, head)
        if rest not in {f.name for f in fields(group)}:
            raise ParameterError(f"no state field {path!r}")
        return replace(self, **{head: replace(group, **{rest: _freeze(value)})})

    def key(self, *parts: str) -> str:
        """Return a stable text of the named parts (all when none), e.g. a cache key."""
        names = parts or tuple(f.name for f in fields(self))
        data = {n: _jsonable(getattr(self, n)) for n in names}
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    def to_query(self) -> dict[str, str]:
        """Return the state as URL query parameters (defaults omitted)."""
        q: dict[str, str] = {"lang": self.lang, **filters_to_query(self.filters)}
        q.update(_options_to_query(self))
        return q


def _freeze(value: object) -> object:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _jsonable(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return {k: _jsonable(v) for k, v in asdict(value).items()}  # type: ignore[call-overload]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


# --- URL query parameters -------------------------------------------------------------------

#: Query key of every option: (group, field, kind).
_OPTION_KEYS: Final[Mapping[str, tuple[str, str, str]]] = {
    "hm": ("hotspots", "method", "str"),
    "hc": ("hotspots", "cell_size_m", "float"),
    "hb": ("hotspots", "bandwidth_m", "float"),
    "hk": ("hotspots", "min_cluster_size", "int"),
    "ht": ("hotspots", "top", "int"),
    "tf": ("trends", "freq", "str"),
    "tb": ("trends", "by", "str"),
    "ta": ("trends", "area_kind", "str"),
    "tn": ("trends", "area_name", "str"),
    "mt": ("map", "tiles", "str"),
    "mh": ("map", "show_hotspots", "bool"),
    "mr": ("map", "show_risk", "bool"),
    "ml": ("map", "hidden_layers", "list"),
    "z": ("map", "zoom", "int"),
    "c": ("map", "center", "latlon"),
}


def _options_to_query(state: AppState) -> dict[str, str]:
    defaults = AppState()
    q: dict[str, str] = {}
    for key, (group, name, kind) in _OPTION_KEYS.items():
        value = getattr(getattr(state, group), name)
        if value == getattr(getattr(defaults, group), name) or value is None:
            continue
        q[key] = _encode(value, kind)
    return q


def _encode(value: Any, kind: str) -> str:
    if kind == "bool":
        return "1" if value else "0"
    if kind == "list":
        return ",".join(value)
    if kind == "latlon":
        return f"{value[0]:.5f},{value[1]:.5f}"
    if kind == "float":
        return f"{value:g}"
    return str(value)


def _decode(raw: str, kind: str) -> object:
    if kind == "bool":
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "list":
        return tuple(v for v in raw.split(",") if v)
    if kind == "latlon":
        lat, lon = (float(v) for v in raw.split(","))
        return (lat, lon)
    return raw


def state_from_query(
    params: Mapping[str, str | Sequence[str]],
    *,
    today: date,
    allowed: Mapping[str, Sequence[str]] | None = None,
    span: tuple[date, date] | None = None,
) -> AppState:
    """Rebuild the :class:`AppState` of a link; bad or unknown parts are dropped and logged.

    Parameters
    ----------
    params
        ``st.query_params`` (or any mapping of str to str).
    today, allowed, span
        See :func:`apk_geo.selection.filters_from_query`.
    """
    query = {k: (v if isinstance(v, str) else (v[-1] if v else "")) for k, v in params.items()}
    state = AppState(
        filters=filters_from_query(query, today=today, allowed=allowed, span=span),
        lang=normalize_lang(query.get("lang", "cs")),
    )
    for key, (group, name, kind) in _OPTION_KEYS.items():
        raw = query.get(key)
        if not raw:
            continue
        try:
            state = state.with_value(f"{group}.{name}", _decode(raw, kind))
        except (ValueError, TypeError) as exc:  # ParameterError is a ValueError
            logger.warning("query: %s=%r ignored (%s)", key, raw, exc)
    return state


def resolved_filters(filters: Filters, *, today: date) -> Filters:
    """Return ``filters`` with the dates of its preset computed for ``today`` (custom as is)."""
    if filters.preset == "custom":
        return filters
    start, end = preset_range(filters.preset, today=today)  # type: ignore[arg-type]
    return replace(filters, start=start, end=end)
