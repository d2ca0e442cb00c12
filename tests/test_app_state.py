"""The dashboard's one state object and its URL round trip (apk_geo.app_state)."""

from __future__ import annotations

from datetime import date

import pytest

from apk_geo import indicators
from apk_geo.app_state import (
    HOTSPOT_METHODS,
    AppState,
    resolved_filters,
    state_from_query,
)
from apk_geo.errors import ParameterError
from apk_geo.map_style import LAYER_KEYS
from apk_geo.selection import Filters

TODAY = date(2024, 6, 30)


def full_state() -> AppState:
    s = AppState(filters=resolved_filters(Filters(preset="90d"), today=TODAY), lang="en")
    for path, value in (
        ("filters.categories", ["dogs", "truancy"]),
        ("filters.districts", ["Poruba"]),
        ("filters.weekdays", [0, 4]),
        ("filters.hours", (8, 17)),
        ("hotspots.method", "clusters"),
        ("hotspots.cell_size_m", 200.0),
        ("hotspots.min_cluster_size", 5),
        ("hotspots.top", 20),
        ("trends.freq", "week"),
        ("trends.by", "category"),
        ("trends.area_kind", "district"),
        ("trends.area_name", "Poruba"),
        ("map.tiles", "local"),
        ("map.show_hotspots", False),
        ("map.show_risk", True),
        ("map.hidden_layers", ["districts", "heat"]),
        ("map.zoom", 15),
        ("map.center", (49.8353, 18.292)),
    ):
        s = s.with_value(path, value)
    return s


def test_every_field_round_trips_through_the_url() -> None:
    s = full_state()
    back = state_from_query(s.to_query(), today=TODAY)
    assert back == s


def test_defaults_are_left_out_of_the_url() -> None:
    q = AppState(filters=resolved_filters(Filters(), today=TODAY)).to_query()
    assert q == {"lang": "cs", "preset": "30d"}


def test_bad_parts_of_a_link_are_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    q = {**full_state().to_query(), "hm": "magic", "z": "99", "c": "nonsense", "mh": "maybe"}
    back = state_from_query(q, today=TODAY)
    assert back.hotspots.method == "gistar" and back.map.zoom is None
    assert back.map.center is None and back.map.show_hotspots is True
    assert back.trends.freq == "week"  # the good parts stay
    assert caplog.text.count("ignored") == 4


def test_values_are_checked_when_set() -> None:
    s = AppState()
    with pytest.raises(ParameterError, match="method must be one of"):
        s.with_value("hotspots.method", "nope")
    with pytest.raises(ParameterError, match=r"no state field 'hotspots\.colour'"):
        s.with_value("hotspots.colour", 1)
    with pytest.raises(ParameterError, match="zoom must be 5…20"):
        s.with_value("map.zoom", 30)
    with pytest.raises(ParameterError, match=r"start .* is after end"):
        s.with_value("filters.start", date(2024, 7, 1)).with_value("filters.end", date(2024, 6, 1))


def test_lists_become_tuples_and_language_is_normalised() -> None:
    s = AppState().with_value("filters.categories", ["dogs"]).with_value("lang", "en-GB")
    assert s.filters.categories == ("dogs",) and s.lang == "en"
    assert s.value("filters.categories") == ("dogs",)


def test_cache_keys_differ_by_the_parts_they_name() -> None:
    a = AppState()
    b = a.with_value("map.zoom", 14)
    c = a.with_value("filters.categories", ["dogs"])
    assert a.key("filters", "hotspots") == b.key("filters", "hotspots")  # panning: same result
    assert a.key("filters") != c.key("filters")
    assert a.key() != b.key()


def test_the_state_offers_the_methods_and_layers_the_library_has() -> None:
    assert HOTSPOT_METHODS == indicators.METHODS
    assert {"districts", "heat", "gistar", "risk"} <= set(LAYER_KEYS)


def test_resolved_filters_follow_the_preset() -> None:
    f = resolved_filters(Filters(preset="7d"), today=TODAY)
    assert (f.start, f.end) == (date(2024, 6, 24), date(2024, 6, 30))
    custom = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31), preset="custom")
    assert resolved_filters(custom, today=TODAY) == custom
