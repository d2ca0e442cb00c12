from types import SimpleNamespace

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from apk_geo.errors import CRSError
from apk_geo.labels import place_labels

CRS = "EPSG:5514"


def _gdf(data: dict, geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS)


@pytest.fixture
def context() -> SimpleNamespace:
    return SimpleNamespace(
        svl=_gdf({"name": ["Bedřiška"]}, [box(0, 0, 100, 100)]),
        hostels=_gdf({"name": ["Ubytovna Hulvácká 8"]}, [Point(1000, 0)]),
        stops=_gdf({"zast_jm": ["Hlavní nádraží", "Most"]}, [Point(2000, 0), Point(2300, 0)]),
    )


def test_rules_in_order_svl_hostel_stop_then_id(context: SimpleNamespace) -> None:
    cells = _gdf(
        {},
        [
            box(40, 40, 60, 60),  # inside the SVL
            box(1100, -10, 1120, 10),  # 110 m from the hostel (within 250 m)
            box(2190, -10, 2210, 10),  # 200 m from Hlavní nádraží, 100 m from Most
            box(5000, 0, 5020, 20),  # nothing within reach
            box(90, 0, 110, 20),  # centre (100, 10) lies on the SVL's edge: not within
        ],
    )
    labels = place_labels(cells, context=context, ids=[11, 12, 13, 14, 15])
    assert labels == [
        "SVL Bedřiška",
        "okolí Ubytovna Hulvácká 8",
        "u zastávky Most",
        "čtverec 14",
        "čtverec 15",
    ]


def test_svl_wins_over_a_hostel_nearby(context: SimpleNamespace) -> None:
    ctx = SimpleNamespace(svl=context.svl, hostels=_gdf({"name": ["H"]}, [Point(50, 50)]))
    assert place_labels(_gdf({}, [Point(50, 60)]), context=ctx) == ["SVL Bedřiška"]


def test_district_leads_and_english_words(context: SimpleNamespace) -> None:
    districts = _gdf(
        {"NAZEV": ["Vítkovice", "Ostrava-Jih"]}, [box(-10, -10, 1500, 10), box(1500, -10, 9000, 10)]
    )
    pts = _gdf({}, [Point(1100, 0), Point(8000, 0), Point(-500, 0)])
    assert place_labels(pts, context=context, districts=districts, lang="en") == [
        "Vítkovice – near Ubytovna Hulvácká 8",
        "Ostrava-Jih – square 1",
        "square 2",
    ]


def test_layers_in_another_crs_are_reprojected(context: SimpleNamespace) -> None:
    ctx = SimpleNamespace(hostels=context.hostels.to_crs("EPSG:4326"))
    assert place_labels(_gdf({}, [Point(1100, 0)]), context=ctx) == ["okolí Ubytovna Hulvácká 8"]


def test_empty_and_refusals() -> None:
    assert place_labels(_gdf({}, []), context=None) == []
    with pytest.raises(CRSError, match="geographic"):
        place_labels(gpd.GeoSeries([Point(18, 49)], crs="EPSG:4326"))
    with pytest.raises(ValueError, match="ids has 2 entries for 1 places"):
        place_labels(_gdf({}, [Point(0, 0)]), ids=[1, 2])
