from __future__ import annotations

import json
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import stats

from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.rates import RATE_COLUMNS, ZONES, context_rates, rate_ratio_ci

CRS = "EPSG:5514"


@dataclass(frozen=True)
class _Ctx:
    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    city: gpd.GeoDataFrame


def _context() -> _Ctx:
    """City 1 km × 1 km (100 ha); SVL 200 m × 200 m in the south-west corner (4 ha);
    one hostel at (800, 800) with a 100 m buffer (π ha)."""
    city = gpd.GeoDataFrame({"name": ["city"]}, geometry=[shapely.box(0, 0, 1000, 1000)], crs=CRS)
    svl = gpd.GeoDataFrame(
        {"name": ["Jih"], "synthetic": [True]}, geometry=[shapely.box(0, 0, 200, 200)], crs=CRS
    )
    hostels = gpd.GeoDataFrame(
        {"name": ["Ubytovna U Mostu"], "kind": ["hostel"]},
        geometry=[shapely.Point(800, 800)],
        crs=CRS,
    )
    return _Ctx(svl=svl, hostels=hostels, city=city)


def _points() -> gpd.GeoDataFrame:
    """8 incidents in the SVL, 3 in the hostel buffer, 9 elsewhere, 2 outside the city."""
    xy = (
        [(20 + 20 * i, 100) for i in range(8)]
        + [(800, 800), (850, 800), (800, 750)]
        + [(500, 100 * i + 50) for i in range(9)]
        + [(1500, 500), (-10, -10)]
    )
    t = pd.date_range("2024-01-01", periods=len(xy), freq="3D", tz="Europe/Prague")
    return gpd.GeoDataFrame({"reported_at": t}, geometry=[shapely.Point(p) for p in xy], crs=CRS)


def test_context_rates_hand_example() -> None:
    out = context_rates(_points(), _context(), buffer_m=100, months=2)
    assert list(out.columns) == list(RATE_COLUMNS)
    assert out["kind"].tolist() == ["zone", "zone", "zone", "svl", "hostel"]
    assert out["name"].tolist() == [*ZONES, "Jih", "Ubytovna U Mostu"]
    assert out["incidents"].tolist() == [8, 3, 9, 8, 3]
    z = out.set_index("name")
    assert z.loc["inside_svl", "area_ha"] == pytest.approx(4.0)
    assert z.loc["hostel_buffer", "area_ha"] == pytest.approx(math.pi, rel=1e-3)
    assert z.loc["elsewhere", "area_ha"] == pytest.approx(100 - 4 - math.pi, rel=1e-4)
    # inside SVL: 8 / 4 ha = 2 per ha; over 2 months: 4 per month, 1 per ha and month
    assert z.loc["inside_svl", "incidents_per_ha"] == pytest.approx(2.0)
    assert z.loc["inside_svl", "incidents_per_month"] == pytest.approx(4.0)
    assert z.loc["inside_svl", "incidents_per_ha_month"] == pytest.approx(1.0)
    # RR = 2 / (9 / 92.858) = 20.635; CI exp(ln 20.635 ± 1.96 · sqrt(1/8 + 1/9)) ≈ [7.96, 53.5]
    assert z.loc["inside_svl", "rate_ratio"] == pytest.approx(20.635, rel=1e-3)
    assert z.loc["inside_svl", "rr_ci_low"] == pytest.approx(7.96, rel=2e-3)
    assert z.loc["inside_svl", "rr_ci_high"] == pytest.approx(53.5, rel=2e-3)
    # hostel: 3 / π ha vs 9 / 92.858 → 9.852
    assert z.loc["hostel_buffer", "rate_ratio"] == pytest.approx(
        (3 / math.pi) / (9 / (96 - math.pi)), rel=1e-3
    )
    assert z.loc["elsewhere", "rate_ratio"] == 1.0
    assert np.isnan(z.loc["elsewhere", "rr_ci_low"])
    # the per-SVL row equals the zone (one SVL)
    assert z.loc["Jih", "rate_ratio"] == pytest.approx(z.loc["inside_svl", "rate_ratio"])
    params = out.attrs["params"]
    assert params["n_points_outside_study_area"] == 2 and params["n_points_counted"] == 20
    assert params["months"] == 2 and params["months_auto"] is False
    json.dumps(params)


def test_context_rates_months_from_data() -> None:
    pts = _points()
    out = context_rates(pts, _context(), buffer_m=100)
    # 22 dates 3 days apart: 1 Jan – 4 Mar 2024 = 64 days, first and last included
    assert out.attrs["params"]["months_auto"] is True
    assert out["months"].iloc[0] == pytest.approx(64 / (365.25 / 12))


def test_no_date_at_all_says_the_period_is_unknown() -> None:
    pts = _points().assign(reported_at=pd.NaT)
    with pytest.raises(InsufficientDataError, match="holds no date"):
        context_rates(pts, _context(), buffer_m=100)
    assert len(context_rates(pts, _context(), buffer_m=100, months=2.0)) > 0


def test_zones_overlap_and_elsewhere_excludes_both() -> None:
    ctx = _context()
    # a second hostel inside the SVL: its incidents count in both inside_svl and hostel_buffer
    hostels = pd.concat(
        [
            ctx.hostels,
            gpd.GeoDataFrame(
                {"name": ["Azyl"], "kind": ["homeless"]},
                geometry=[shapely.Point(100, 100)],
                crs=CRS,
            ),
        ],
        ignore_index=True,
    )
    out = context_rates(_points(), _Ctx(ctx.svl, hostels, ctx.city), buffer_m=100, months=1)
    z = out.set_index("name")
    assert z.loc["inside_svl", "incidents"] == 8
    # SVL points (20..160, 100): within 100 m of (100, 100) → x in 20..180 → all 8
    assert z.loc["hostel_buffer", "incidents"] == 3 + 8
    assert z.loc["elsewhere", "incidents"] == 9
    assert z.loc["Azyl", "incidents"] == 8
    # elsewhere is the study area minus the union of both zones (their overlap removed once)
    union_ha = shapely.union_all(out.loc[out["kind"] == "zone"].geometry.iloc[:2]).area / 1e4
    assert z.loc["elsewhere", "area_ha"] == pytest.approx(100 - union_ha)


def test_buffers_are_clipped_to_the_study_area() -> None:
    ctx = _context()
    edge = gpd.GeoDataFrame({"name": ["Edge"]}, geometry=[shapely.Point(1000, 500)], crs=CRS)
    out = context_rates(_points(), _Ctx(ctx.svl, edge, ctx.city), buffer_m=100, months=1)
    assert out.set_index("name").loc["Edge", "area_ha"] == pytest.approx(math.pi / 2, rel=1e-3)


def test_rate_ratio_ci_lognormal_hand_values() -> None:
    rr, lo, hi = rate_ratio_ci(20, 1.0, 10, 1.0)
    half = 1.959964 * math.sqrt(1 / 20 + 1 / 10)
    assert rr == 2.0
    assert lo == pytest.approx(2 * math.exp(-half)) and hi == pytest.approx(2 * math.exp(half))
    assert (round(lo, 3), round(hi, 3)) == (0.936, 4.273)
    # a 90 % interval is narrower
    _, lo90, hi90 = rate_ratio_ci(20, 1.0, 10, 1.0, confidence=0.9)
    assert lo < lo90 < hi90 < hi


@pytest.mark.parametrize(
    ("a", "area_a", "b", "area_b"), [(8, 4.0, 9, 92.858), (0, 3.0, 12, 50.0), (5, 1.0, 1, 10.0)]
)
def test_rate_ratio_ci_exact_matches_clopper_pearson(
    a: int, area_a: float, b: int, area_b: float
) -> None:
    rr, lo, hi = rate_ratio_ci(a, area_a, b, area_b, method="exact")
    # Clopper–Pearson bounds of π = a / (a + b) from beta quantiles, mapped to RR
    pl = stats.beta.ppf(0.025, a, b + 1) if a > 0 else 0.0
    pu = stats.beta.ppf(0.975, a + 1, b) if b > 0 else 1.0
    scale = area_b / area_a
    assert rr == pytest.approx((a / area_a) / (b / area_b))
    assert lo == pytest.approx(pl / (1 - pl) * scale, rel=1e-6, abs=1e-12)
    assert hi == pytest.approx(pu / (1 - pu) * scale, rel=1e-6)


def test_rate_ratio_ci_zero_counts() -> None:
    rr, lo, hi = rate_ratio_ci(0, 1.0, 5, 1.0)
    assert rr == 0 and np.isnan(lo) and np.isnan(hi)
    rr, lo, hi = rate_ratio_ci(3, 1.0, 0, 1.0, method="exact")
    assert rr == math.inf and hi == math.inf and lo > 0
    assert all(np.isnan(rate_ratio_ci(0, 1.0, 0, 1.0)))


def test_context_rates_exact_ci_option() -> None:
    out = context_rates(_points(), _context(), buffer_m=100, months=2, ci="exact")
    z = out.set_index("name")
    _, lo, hi = rate_ratio_ci(8, 4.0, 9, z.loc["elsewhere", "area_ha"], method="exact")
    assert z.loc["inside_svl", "rr_ci_low"] == pytest.approx(lo)
    assert z.loc["inside_svl", "rr_ci_high"] == pytest.approx(hi)
    assert out.attrs["params"]["ci"] == "exact"


def test_context_rates_does_not_mutate_inputs() -> None:
    ctx, pts = _context(), _points()
    before = (ctx.svl.copy(), ctx.hostels.copy(), ctx.city.copy(), pts.copy())
    context_rates(pts, ctx, buffer_m=100, months=2)
    for a, b in zip(before, (ctx.svl, ctx.hostels, ctx.city, pts), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_context_rates_errors() -> None:
    ctx, pts = _context(), _points()
    with pytest.raises(CRSError, match="reproject"):
        context_rates(pts.to_crs("EPSG:4326"), ctx, months=1)
    with pytest.raises(SchemaError, match=r"context.svl is missing column\(s\) \['name'\]"):
        context_rates(pts, _Ctx(ctx.svl.drop(columns="name"), ctx.hostels, ctx.city), months=1)
    with pytest.raises(SchemaError, match="missing column"):
        context_rates(pts.drop(columns="reported_at"), ctx)
    with pytest.raises(ParameterError, match="months must be a finite number > 0"):
        context_rates(pts, ctx, months=0)
    with pytest.raises(ParameterError, match="ci must be"):
        context_rates(pts, ctx, months=1, ci="wald")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="buffer_m must be a finite number > 0"):
        context_rates(pts, ctx, buffer_m=-5, months=1)
