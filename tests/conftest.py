"""Shared fixtures: a tiny incident export writer and a configuration with tiny demo layers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from apk_geo.config import Config, Layers

#: Czech headers of an APK export, in the order the city's system writes them.
CZECH_HEADER = (
    "Číslo záznamu",
    "Datum",
    "Čas",
    "Kategorie",
    "Adresa",
    "Výsledek",
    "Asistent",
    "Poznámka",
)

WriteCsv = Callable[..., Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Return ``write(rows, *, header=CZECH_HEADER, name, delimiter, encoding) -> Path``."""

    def write(
        rows: Sequence[Sequence[str]],
        *,
        header: Sequence[str] = CZECH_HEADER,
        name: str = "export.csv",
        delimiter: str = ";",
        encoding: str = "utf-8",
    ) -> Path:
        def cell(v: str) -> str:
            needs_quotes = any(ch in v for ch in (delimiter, '"', "\n"))
            return '"' + v.replace('"', '""') + '"' if needs_quotes else v

        lines = [delimiter.join(map(cell, header))]
        lines += [delimiter.join(map(cell, row)) for row in rows]
        path = tmp_path / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Config whose SVL and hostel layers are two tiny synthetic GeoJSON files (EPSG:4326)."""
    folder = tmp_path_factory.mktemp("layers")
    svl = gpd.GeoDataFrame(
        {"name": ["SVL test"], "source": ["test"], "synthetic": [True]},
        geometry=[shapely.box(18.280, 49.835, 18.300, 49.848)],
        crs="EPSG:4326",
    )
    hostels = gpd.GeoDataFrame(
        {"name": ["Hostel A"], "kind": ["hostel"], "synthetic": [True]},
        geometry=[shapely.Point(18.2893, 49.8420)],
        crs="EPSG:4326",
    )
    svl.to_file(folder / "svl.geojson", driver="GeoJSON")
    hostels.to_file(folder / "hostels.geojson", driver="GeoJSON")
    layers = replace(Layers(), svl=folder / "svl.geojson", hostels=folder / "hostels.geojson")
    return Config(layers=layers)
