"""What the place-naming code needs of the city's context layers: the :class:`PlaceLayers` protocol.

:class:`apk_geo.enrich.Context` satisfies it, and so does any object with these attributes (the
CLI and the dashboard pass the store's layers in a :class:`types.SimpleNamespace`). Labels, cluster
names and route stops read only these three layers, each of which may be missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["RISK_LAYERS", "PlaceLayers", "risk_layers"]

#: The context layers a forecast may use as risk-terrain covariates (Caplan & Kennedy's risk
#: factors: places that draw or host incidents). :func:`apk_geo.forecast.forecast` keeps them
#: only if its inner validation on the training months says they help.
RISK_LAYERS: Final = ("hostels", "svl", "stops", "schools", "sports")


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


def risk_layers(source: object | Mapping[str, object] | None) -> dict[str, gpd.GeoDataFrame]:
    """Return the non-empty :data:`RISK_LAYERS` of ``source``, named.

    Parameters
    ----------
    source
        The store's context layers as a mapping (``IncidentStore.layers`` or the dashboard's
        ``layers()``) or as attributes (:class:`apk_geo.enrich.Context`, a
        :class:`types.SimpleNamespace`); ``None`` gives none. Missing or empty layers are left
        out.

    Examples
    --------
    >>> risk_layers(None)
    {}
    """
    if source is None:
        return {}
    found: dict[str, gpd.GeoDataFrame] = {}
    for name in RISK_LAYERS:
        layer = source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)
        if layer is not None and len(layer):  # type: ignore[arg-type]
            found[name] = layer  # type: ignore[assignment]
    return found
