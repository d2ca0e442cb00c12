"""Configuration: one frozen object passed explicitly, never a mutable global.

A :class:`Config` can be built in code or read from a TOML file (``apk-geo --config FILE``), so a
city can point apk_geo at its own context layers (SVL boundaries, hostels, MDT areas) without
changing code.

Default MDT areas
-----------------
Ostrava's 23 city districts (městské obvody) are grouped into the seven areas that hold a monthly
multidisciplinary-team (MDT) meeting. No official list of these groupings exists offline, so the
default is our own, made on two rules: the large districts with known socially excluded
localities or hostels (Moravská Ostrava a Přívoz, Slezská Ostrava, Ostrava-Jih, Poruba) each lead
an area, the two small neighbours Mariánské Hory a Hulváky and Vítkovice (one SVL each: Bedřiška,
Sirotčí) share one, and the small peripheral districts join their geographic neighbour: Svinov,
Polanka nad Odrou and Nová Ves form the west ("Svinov a západ"); Petřkovice, Lhotka and
Hošťálkovice the north ("Sever").
Replace it with the city's real mapping through ``mdt_areas`` in the config file.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, cast

from apk_geo.errors import ConfigError
from apk_geo.resources import data_dir
from apk_geo.schema import Code

#: Folder of the data the product ships (real context layers and generated demo layers).
DATA_DIR: Final = data_dir()

DEFAULT_MDT_AREAS: Mapping[str, str] = MappingProxyType(
    {
        "Moravská Ostrava a Přívoz": "Moravská Ostrava a Přívoz",
        "Slezská Ostrava": "Slezská Ostrava",
        "Radvanice a Bartovice": "Slezská Ostrava",
        "Michálkovice": "Slezská Ostrava",
        "Ostrava-Jih": "Ostrava-Jih",
        "Hrabová": "Ostrava-Jih",
        "Nová Bělá": "Ostrava-Jih",
        "Stará Bělá": "Ostrava-Jih",
        "Proskovice": "Ostrava-Jih",
        "Vítkovice": "Mariánské Hory a Vítkovice",
        "Mariánské Hory a Hulváky": "Mariánské Hory a Vítkovice",
        "Poruba": "Poruba",
        "Pustkovec": "Poruba",
        "Třebovice": "Poruba",
        "Martinov": "Poruba",
        "Plesná": "Poruba",
        "Krásné Pole": "Poruba",
        "Svinov": "Svinov a západ",
        "Polanka nad Odrou": "Svinov a západ",
        "Nová Ves": "Svinov a západ",
        "Petřkovice": "Sever",
        "Lhotka": "Sever",
        "Hošťálkovice": "Sever",
    }
)


@dataclass(frozen=True)
class Layers:
    """Paths of the context layers (GeoJSON, GeoPackage or Shapefile; CRS is always checked)."""

    districts: Path = DATA_DIR / "ostrava_mestske_obvody_23_wgs84.geojson"
    city: Path = DATA_DIR / "ostrava_obec_dissolved_wgs84.geojson"
    schools: Path = DATA_DIR / "ostrava_schools_opendata_wgs84.geojson"
    stops: Path = DATA_DIR / "ostrava_pt_stops_opendata_wgs84.geojson"
    sports: Path = DATA_DIR / "ostrava_sport_fields_opendata_wgs84.geojson"
    svl: Path = DATA_DIR / "demo" / "svl_synthetic.geojson"
    hostels: Path = DATA_DIR / "demo" / "hostels_synthetic.geojson"
    svl_synthetic: bool = True
    hostels_synthetic: bool = True


@dataclass(frozen=True)
class Config:
    """Settings of one apk_geo installation.

    Parameters
    ----------
    layers
        Paths of the context layers.
    mdt_areas
        Mapping of city-district name (NAZEV) to MDT-area name.
    hostel_buffer_m
        Radius of the buffer around a hostel, in metres.
    extra_categories
        Categories added to the built-in ones.
    min_public_count
        Counts below this are shown as ``<N`` in presenter views.
    city_name
        Name shown in titles.
    """

    layers: Layers = field(default_factory=Layers)
    mdt_areas: Mapping[str, str] = field(default_factory=lambda: DEFAULT_MDT_AREAS)
    hostel_buffer_m: float = 250.0
    extra_categories: tuple[Code, ...] = ()
    min_public_count: int = 3
    city_name: str = "Ostrava"

    def __post_init__(self) -> None:
        _require_type("hostel_buffer_m", self.hostel_buffer_m, float)
        _require_type("min_public_count", self.min_public_count, int)
        _require_type("city_name", self.city_name, str)
        if not math.isfinite(self.hostel_buffer_m) or self.hostel_buffer_m <= 0:
            raise ConfigError(f"hostel_buffer_m must be > 0, got {self.hostel_buffer_m!r}")
        if self.min_public_count < 1:
            raise ConfigError(f"min_public_count must be >= 1, got {self.min_public_count!r}")

    @property
    def mdt_area_names(self) -> tuple[str, ...]:
        """Return the distinct MDT-area names in configuration order."""
        return tuple(dict.fromkeys(self.mdt_areas.values()))


def load_config(path: Path | str | None = None) -> Config:
    """Read a :class:`Config` from a TOML file; ``None`` gives the defaults.

    The file may hold ``hostel_buffer_m`` (a number), ``min_public_count`` (a whole number),
    ``city_name`` (text), a ``[layers]`` table of paths (relative to the file) and
    ``*_synthetic`` flags (true/false), an ``[mdt_areas]`` table mapping district to area and
    ``[[extra_categories]]`` entries with ``code``, ``cs`` and ``en`` (and optional ``aliases``).

    Raises
    ------
    ConfigError
        If the file cannot be parsed, holds an unknown key, or a value of the wrong type (the
        message names the file, the key, the value and the expected type).
    """
    if path is None:
        return Config()
    p = Path(path)
    try:
        raw: dict[str, Any] = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read configuration: {exc}") from exc
    try:
        kwargs: dict[str, Any] = {"layers": _layers(raw.pop("layers", {}), folder=p.parent)}
        if "mdt_areas" in raw:
            kwargs["mdt_areas"] = _mdt_areas(raw.pop("mdt_areas"))
        if "extra_categories" in raw:
            kwargs["extra_categories"] = _extra_categories(raw.pop("extra_categories"))
        for key in list(raw):
            if key not in _SETTINGS:
                raise ConfigError(f"unknown key {key!r}; expected one of {sorted(_SETTINGS)}")
            kwargs[key] = raw.pop(key)
        return Config(**kwargs)
    except ConfigError as exc:
        raise ConfigError(f"{p}: {exc}") from exc


#: Top-level settings of the TOML file and their type.
_SETTINGS: Mapping[str, type] = MappingProxyType(
    {"hostel_buffer_m": float, "min_public_count": int, "city_name": str}
)
_TYPE_NAMES: Mapping[type, str] = MappingProxyType(
    {
        float: "a number (e.g. 250)",
        int: "a whole number (e.g. 3)",
        str: 'a text in quotes (e.g. "Ostrava")',
        bool: "true or false",
        dict: "a table of names (e.g. [mdt_areas])",
        list: "an array of tables (e.g. [[extra_categories]])",
    }
)


def _kind(value: object) -> str:
    """Return what ``value`` is in TOML words ("a string", "a boolean" …)."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names.update({dict: "a table", list: "an array"})
    return names.get(type(value), f"a {type(value).__name__}")


def _require_type(key: str, value: object, expected: type) -> None:
    """Raise ConfigError unless ``value`` is of ``expected`` (a float may be an int; no bools)."""
    allowed: tuple[type, ...] = (int, float) if expected is float else (expected,)
    if isinstance(value, allowed) and (expected is bool or not isinstance(value, bool)):
        return
    raise ConfigError(f"{key} = {value!r}: expected {_TYPE_NAMES[expected]}, got {_kind(value)}")


def _layers(table: object, *, folder: Path) -> Layers:
    """Return the ``[layers]`` table as :class:`Layers` (paths relative to ``folder``)."""
    _require_type("layers", table, dict)
    layer_fields = {f.name: f for f in fields(Layers)}
    changes: dict[str, Any] = {}
    for key, value in cast(dict[str, Any], table).items():
        if key not in layer_fields:
            raise ConfigError(f"unknown layer {key!r}; expected one of {sorted(layer_fields)}")
        if key.endswith("_synthetic"):
            _require_type(f"layers.{key}", value, bool)
            changes[key] = value
        else:
            _require_type(f"layers.{key}", value, str)
            changes[key] = (folder / str(value)).resolve()
    return replace(Layers(), **changes)


def _mdt_areas(table: object) -> Mapping[str, str]:
    """Return the ``[mdt_areas]`` table (district name → area name)."""
    _require_type("mdt_areas", table, dict)
    areas = dict(cast(dict[str, Any], table))
    for district, area in areas.items():
        _require_type(f"mdt_areas.{district!r}", area, str)
    return MappingProxyType(areas)


def _extra_categories(entries: object) -> tuple[Code, ...]:
    """Return the ``[[extra_categories]]`` entries as codes."""
    _require_type("extra_categories", entries, list)
    codes = []
    for i, entry in enumerate(cast(list[Any], entries), start=1):
        where = f"extra_categories[{i}]"
        _require_type(where, entry, dict)
        for key in ("code", "cs", "en"):
            if key not in entry:
                raise ConfigError(f"{where}: missing {key!r}; give code, cs and en")
            _require_type(f"{where}.{key}", entry[key], str)
        aliases = entry.get("aliases", [])
        _require_type(f"{where}.aliases", aliases, list)
        for alias in aliases:
            _require_type(f"{where}.aliases", alias, str)
        codes.append(Code(entry["code"], entry["cs"], entry["en"], tuple(aliases)))
    return tuple(codes)
