"""Places, not cells: merged hot cells, their names and dwells, must-visit places that absorb."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point, box

from apk_geo import routes

ORIGIN = (-470_000.0, -1_100_000.0)
TO_WEB = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
SHIFT = pd.Timestamp("2026-11-24T08:00", tz="Europe/Prague")
SIDE = 150.0


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WEB.transform(x, y)
    return lat, lon


def grid(values: dict[tuple[int, int], float], size: int = 12) -> gpd.GeoDataFrame:
    """A size × size grid of 150-m cells (cell_id = row * size + col) with expected_shift."""
    cells, expected = [], []
    for r in range(size):
        for c in range(size):
            x, y = ORIGIN[0] + c * SIDE, ORIGIN[1] + r * SIDE
            cells.append(box(x, y, x + SIDE, y + SIDE))
            expected.append(values.get((r, c), 0.0))
    return gpd.GeoDataFrame(
        {"cell_id": np.arange(size * size), "expected_shift": expected},
        geometry=cells,
        crs="EPSG:5514",
    )


def centre(r: int, c: int) -> tuple[float, float]:
    return ORIGIN[0] + (c + 0.5) * SIDE, ORIGIN[1] + (r + 0.5) * SIDE


# a hot 3 × 3 block around cell (5, 5), hottest in the middle, and one hot cell far away
BLOCK = {
    (5 + dr, 5 + dc): (4.0 if (dr, dc) == (0, 0) else 1.0) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
}
LONE = {(0, 11): 2.0}


@pytest.fixture(scope="module")
def context() -> SimpleNamespace:
    hostel = gpd.GeoDataFrame(
        {"name": ["Ubytovna Hulvácká"]}, geometry=[Point(*centre(5, 5))], crs="EPSG:5514"
    )
    return SimpleNamespace(hostels=hostel)


def test_neighbouring_hot_cells_become_one_place(context: SimpleNamespace) -> None:
    places = routes.merge_cells(grid({**BLOCK, **LONE}), top_n=10, context=context)
    assert list(places.columns) == list(routes.PLACE_COLUMNS)
    assert places["id"].tolist() == ["place-65", "place-11"]
    block, lone = places.iloc[0], places.iloc[1]
    assert block["n_cells"] == 9 and block["priority"] == pytest.approx(12.0)
    assert sorted(int(c) for c in block["cell_ids"].split(";")) == sorted(
        r * 12 + c for r, c in BLOCK
    )
    # the weighted centre of a symmetric block is its middle cell's centre
    assert block.geometry.distance(Point(*centre(5, 5))) < 1e-6
    assert lone["n_cells"] == 1 and lone["priority"] == pytest.approx(2.0)
    # dwell: 15 min + 2 min per extra 150-m cell at 4.5 km/h, capped at twice 15
    assert lone["dwell_min"] == 15.0 and block["dwell_min"] == 30.0
    assert block["name"] == "okolí Ubytovna Hulvácká"
    assert lone["name"] == "čtverec 11"
    params = places.attrs["params"]
    assert params["merge_radius_m"] == pytest.approx(1.5 * SIDE)
    assert params["cell_side_m"] == pytest.approx(SIDE)


def test_the_merge_radius_bounds_a_place() -> None:
    row = {(3, c): 1.0 + (c == 6) for c in range(2, 11)}  # a street of hot cells, hottest at 6
    places = routes.merge_cells(grid(row), top_n=10)
    sizes = places["n_cells"].tolist()
    assert sum(sizes) == 9 and sizes[0] == 3  # the seed and its two neighbours
    assert all(s <= 3 for s in sizes)
    cells = routes.merge_cells(grid(row), top_n=10, merge_radius_m=0)
    assert (cells["n_cells"] == 1).all() and len(cells) == 9
    assert (cells["dwell_min"] == 15.0).all()


def test_a_small_dwell_grows_with_the_place() -> None:
    pair = {(2, 2): 2.0, (2, 3): 1.0}
    place = routes.merge_cells(grid(pair), top_n=5, dwell_minutes=10).iloc[0]
    assert place["n_cells"] == 2
    assert place["dwell_min"] == pytest.approx(10 + 2.0)  # 150 m at 75 m/min


def test_names_come_from_districts_streets_and_stay_distinct(context: SimpleNamespace) -> None:
    # two places near one hostel: both "okolí Ubytovna Hulvácká"; the street tells them apart
    values = {(5, 5): 3.0, (5, 8): 2.0, (11, 0): 1.0}
    district = gpd.GeoDataFrame(
        {"NAZEV": ["Zábřeh"]},
        geometry=[box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 12 * SIDE, ORIGIN[1] + 12 * SIDE)],
        crs="EPSG:5514",
    )
    addresses = pd.DataFrame(
        {
            "street": ["Hulvácká", "Mjr. Nováka", "Plzeňská"],
            "part": ["Zábřeh"] * 3,
            "x_5514": [centre(5, 5)[0] + 30, centre(5, 8)[0] - 20, centre(11, 0)[0]],
            "y_5514": [centre(5, 5)[1], centre(5, 8)[1], centre(11, 0)[1] + 40],
        }
    )
    hostel = SimpleNamespace(
        hostels=gpd.GeoDataFrame(
            {"name": ["Ubytovna Hulvácká"]},
            geometry=[Point(centre(5, 6)[0] + 70, centre(5, 6)[1])],
            crs="EPSG:5514",
        )
    )
    places = routes.merge_cells(
        grid(values),
        top_n=5,
        context=hostel,
        districts=district,
        addresses=addresses,
        merge_radius_m=100,
    )
    assert places["name"].tolist() == [
        "Zábřeh – okolí Ubytovna Hulvácká",  # its street is in the name already
        "Zábřeh – okolí Ubytovna Hulvácká, Mjr. Nováka",
        "Zábřeh – Plzeňská",  # no landmark near: the street of the nearest address
    ]
    assert places["name"].is_unique


def test_a_must_visit_place_absorbs_the_candidate_next_to_it() -> None:
    cand = gpd.GeoDataFrame(
        {"id": ["place-1", "place-2"], "name": ["u školy", "jinde"], "priority": [3.0, 1.0]},
        geometry=[Point(ORIGIN[0] + 300, ORIGIN[1] + 40), Point(ORIGIN[0] - 900, ORIGIN[1])],
        crs="EPSG:5514",
    )
    lat, lon = latlon(ORIGIN[0] + 300, ORIGIN[1])
    places = routes.parse_places([f"ZŠ Ostrčilova | {lat:.6f},{lon:.6f} | 08:30-08:45"])
    both = routes.add_places(cand, places)
    assert both["id"].tolist() == ["place-2", "must-1"]
    school = both.iloc[1]
    assert school["priority"] == pytest.approx(3.0) and school["window_start"] == "08:30"
    assert both.attrs["params"]["absorbed"] == {"must-1": ["place-1"]}
    route = routes.plan_route(both, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=120)
    stop = route.stops[route.stops["id"] == "must-1"].iloc[0]
    begin = stop["arrive"] + pd.Timedelta(minutes=stop["wait_min"])
    assert SHIFT + pd.Timedelta(minutes=30) <= begin <= SHIFT + pd.Timedelta(minutes=45)
    assert stop["priority"] == pytest.approx(3.0)
    # merging off: the candidate stays and the school collects nothing itself
    apart = routes.add_places(cand, places, merge_radius_m=0)
    assert apart["id"].tolist() == ["place-1", "place-2", "must-1"]


def test_the_planner_uses_each_places_dwell() -> None:
    cand = gpd.GeoDataFrame(
        {"id": ["a", "b"], "priority": [2.0, 1.0], "dwell_min": [27.0, np.nan]},
        geometry=[Point(ORIGIN[0] + 200, ORIGIN[1]), Point(ORIGIN[0], ORIGIN[1] + 200)],
        crs="EPSG:5514",
    )
    route = routes.plan_route(
        cand, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=90, dwell_minutes=12
    )
    dwell = dict(zip(route.stops["id"], route.stops["dwell_min"], strict=True))
    assert dwell == {"a": 27.0, "b": 12.0}
    for row in route.stops.itertuples():
        assert row.depart - row.arrive == pd.Timedelta(minutes=row.wait_min + row.dwell_min)
    assert route.totals["dwell_min"] == pytest.approx(39.0)
    bad = cand.assign(dwell_min=[-5.0, 1.0])
    with pytest.raises(ValueError, match="dwell_min must be minutes >= 0"):
        routes.plan_route(bad, start=latlon(*ORIGIN), shift_start=SHIFT, shift_minutes=90)


def test_candidates_for_shift_returns_places_for_the_planner() -> None:
    from apk_geo.testing import make_incidents

    rng = np.random.default_rng(0)
    x, y = centre(5, 5)
    rows = [
        {
            "x_5514": x + float(dx),
            "y_5514": y + float(dy),
            "reported_at": str(SHIFT.tz_localize(None) - pd.Timedelta(days=7 * int(w))),
        }
        for dx, dy, w in zip(
            rng.normal(0, 120, 60), rng.normal(0, 120, 60), rng.integers(1, 12, 60), strict=True
        )
    ]
    incidents = make_incidents(rows)
    cand, expected = routes.candidates_for_shift(
        incidents, shift_start=SHIFT, shift_minutes=120, top_n=5
    )
    assert expected.attrs["params"]["forecast_components"]["risk_layers"] == []
    assert list(cand.columns) == list(routes.PLACE_COLUMNS)
    assert cand["n_cells"].iloc[0] > 1  # the cluster's cells are one place
    assert cand["priority"].sum() <= expected["expected_shift"].sum() + 1e-9
    assert cand["id"].is_unique


def test_the_shift_forecast_is_offered_the_risk_layers_of_the_context(
    context: SimpleNamespace,
) -> None:
    """The layers that name places also reach the forecast's risk terms (issue 17)."""
    from apk_geo.testing import make_incidents

    rng = np.random.default_rng(1)
    x, y = centre(5, 5)
    rows = [
        {
            "x_5514": x + float(dx),
            "y_5514": y + float(dy),
            "reported_at": str(SHIFT.tz_localize(None) - pd.Timedelta(days=int(d))),
        }
        for dx, dy, d in zip(
            rng.normal(0, 300, 120), rng.normal(0, 300, 120), rng.integers(1, 90, 120), strict=True
        )
    ]
    _, expected = routes.candidates_for_shift(
        make_incidents(rows), shift_start=SHIFT, shift_minutes=120, top_n=5, context=context
    )
    components = expected.attrs["params"]["forecast_components"]
    assert components["risk_layers"] == ["hostels"]
    assert "covariates" in components  # the forecast decided on them (kept or not)
