"""The context layers a forecast is offered as risk terms (apk_geo.context.risk_layers)."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import shapely

from apk_geo.context import RISK_LAYERS, risk_layers


def _points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(n)]},
        geometry=[shapely.Point(-470000 + i, -1100000) for i in range(n)],
        crs="EPSG:5514",
    )


def test_risk_layers_from_a_mapping_keep_the_risk_layers_that_hold_rows() -> None:
    store_layers = {
        "districts": _points(2),  # not a risk layer
        "hostels": _points(3),
        "stops": _points(0),  # empty: left out
        "schools": _points(1),
        "address_points": _points(5),
    }
    found = risk_layers(store_layers)
    assert list(found) == ["hostels", "schools"]
    assert found["hostels"] is store_layers["hostels"]


def test_risk_layers_from_attributes_and_from_nothing() -> None:
    context = SimpleNamespace(svl=_points(1), hostels=None, stops=_points(2), sports=_points(4))
    assert list(risk_layers(context)) == ["svl", "stops", "sports"]
    assert risk_layers(None) == {} and risk_layers({}) == {}
    assert set(RISK_LAYERS) == {"hostels", "svl", "stops", "schools", "sports"}
