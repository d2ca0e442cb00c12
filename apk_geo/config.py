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

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

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
        if self.hostel_buffer_m <= 0:
            raise ConfigError(f"hostel_buffer_m must be > 0, got {self.hostel_buffer_m!r}")
        if self.min_public_count < 1:
            raise ConfigError(f"min_public_count must be >= 1, got {self.min_public_count!r}")

    @property
    def mdt_area_names(self) -> tuple[str, ...]:
        """Return the distinct MDT-area names in configuration order."""
        return tuple(dict.fromkeys(self.mdt_areas.values()))


def load_config(path: Path | str | None = None) -> Config:
    """Read a :class:`Config` from a TOML file; ``None`` gives the defaults.

    The file may hold ``hostel_buffer_m``, ``min_public_count``, ``city_name``, a ``[layers]``
    table of paths (relative to the file), an ``[mdt_areas]`` table mapping district to area and
    ``[[extra_categories]]`` entries with ``code``, ``cs`` and ``en``.

    Raises
    ------
    ConfigError
        If the file cannot be parsed or holds an unknown key.
    """
    if path is None:
        return Config()
    p = Path(path)
    try:
        raw: dict[str, Any] = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read configuration: {exc}") from exc
    layer_names = {f.name for f in fields(Layers)}
    changes: dict[str, Any] = {}
    for key, value in dict(raw.pop("layers", {})).items():
        if key not in layer_names:
            raise ConfigError(f"{p}: unknown layer {key!r}; expected one of {sorted(layer_names)}")
        changes[key] = value if isinstance(value, bool) else (p.parent / str(value)).resolve()
    kwargs: dict[str, Any] = {"layers": replace(Layers(), **changes)}
    if "mdt_areas" in raw:
        kwargs["mdt_areas"] = MappingProxyType(dict(raw.pop("mdt_areas")))
    if "extra_categories" in raw:
        kwargs["extra_categories"] = tuple(
            Code(str(c["code"]), str(c["cs"]), str(c["en"]), tuple(c.get("aliases", ())))
            for c in raw.pop("extra_categories")
        )
    allowed = {"hostel_buffer_m", "min_public_count", "city_name"}
    for key in list(raw):
        if key not in allowed:
            raise ConfigError(f"{p}: unknown key {key!r}; expected one of {sorted(allowed)}")
        kwargs[key] = raw.pop(key)
    return Config(**kwargs)
