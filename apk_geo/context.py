"""What the place-naming code needs of the city's context layers: the :class:`PlaceLayers` protocol.

:class:`apk_geo.enrich.Context` satisfies it, and so does any object with these attributes (the
CLI and the dashboard pass the store's layers in a :class:`types.SimpleNamespace`). Labels, cluster
names and route stops read only these three layers, each of which may be missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["PlaceLayers"]


class PlaceLayers(Protocol):
    """The context layers that name places; any of them may be ``None``."""

    @property
    def svl(self) -> gpd.GeoDataFrame | None:
        """Socially excluded localities (polygons with ``name``)."""
        ...

    @property
    def hostels(self) -> gpd.GeoDataFrame | None:
        """Hostels (points with ``name``)."""
        ...

    @property
    def stops(self) -> gpd.GeoDataFrame | None:
        """Public-transport stops (points with ``zast_jm``)."""
        ...
