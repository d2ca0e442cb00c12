"""Incident rates in context: socially excluded localities (SVL), hostel buffers and elsewhere.

Counts alone mislead: a large SVL has more incidents than a small one simply because it is larger,
and a long period more than a short one. This module turns counts into rates — incidents per
hectare, per month and per hectare and month — and compares three zones of the study area (the
city outline):

``inside_svl``
    the union of the SVL polygons (clipped to the study area);
``hostel_buffer``
    the union of the ``buffer_m`` buffers around the hostels (clipped to the study area);
``elsewhere``
    the rest of the study area: neither inside an SVL nor within a hostel buffer.

``inside_svl`` and ``hostel_buffer`` may overlap (a hostel inside an SVL); an incident in both
counts in both. ``elsewhere`` is disjoint from both and is the reference of every rate ratio.

Rate ratio and confidence interval
----------------------------------
For a zone with ``a`` incidents on area ``A_a`` and the reference with ``b`` incidents on ``A_b``,
both over the same months, the rate ratio is ``RR = (a / A_a) / (b / A_b)``. The default 95 %
interval is the log-normal (Wald) interval for a ratio of Poisson rates (Rothman et al. 2008,
eq. 14-9)::

    exp(ln RR ± z · sqrt(1/a + 1/b)),   z = 1.96 for 95 %

undefined (NaN) when ``a`` or ``b`` is 0. ``ci="exact"`` gives the exact conditional interval
instead: given ``a + b``, ``a`` is binomial with ``π = A_a RR / (A_a RR + A_b)``; the
Clopper–Pearson bounds of ``π`` are mapped back to ``RR = π / (1 − π) · A_b / A_a``
(Ulm 1990), which also works with zero counts.

Months
------
``months`` is the length of the observation period. By default it is the span of the incidents'
dates, first to last day inclusive, in average months (``days / 30.4375``); it is logged and
recorded. Rates per month are comparable only between results with the same period.

References
----------
Rothman, K. J., Greenland, S. and Lash, T. L. (2008). *Modern Epidemiology*. 3rd ed. Lippincott
    Williams & Wilkins.
Ulm, K. (1990). A simple method to calculate the confidence interval of a standardized mortality
    ratio. *American Journal of Epidemiology*, 131(2), 373-375.

Examples
--------
With ``incidents`` from the store and ``context = enrich.Context.from_store(store)``::

    table = context_rates(incidents, context, buffer_m=250)
    table.loc[table["kind"] == "zone", ["name", "rate_ratio", "rr_ci_low", "rr_ci_high"]]
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Final, Literal, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import stats

from apk_geo import _validate
from apk_geo.errors import InsufficientDataError, ParameterError, SchemaError

__all__ = [
    "DAYS_PER_MONTH",
    "RATE_COLUMNS",
    "ZONES",
    "ContextLike",
    "context_rates",
    "rate_ratio_ci",
]

logger = logging.getLogger(__name__)

#: Average length of a month in days (365.25 / 12).
DAYS_PER_MONTH: Final = 365.25 / 12
#: Names of the three zones, in output order.
ZONES: Final = ("inside_svl", "hostel_buffer", "elsewhere")
#: Columns of the result, in this order.
RATE_COLUMNS: Final = (
    "kind",
    "name",
    "incidents",
    "area_ha",
    "months",
    "incidents_per_ha",
    "incidents_per_month",
    "incidents_per_ha_month",
    "rate_ratio",
    "rr_ci_low",
    "rr_ci_high",
    "geometry",
)
_M2_PER_HA: Final = 10_000.0
_QUAD_SEGS: Final = 64  # buffer circles with 256 vertices: area within 0.01 % of π r²

CIMethod = Literal["lognormal", "exact"]


class ContextLike(Protocol):
    """What :func:`context_rates` needs of :class:`apk_geo.enrich.Context`."""

    @property
    def svl(self) -> gpd.GeoDataFrame:
        """SVL polygons with ``name``."""

    @property
    def hostels(self) -> gpd.GeoDataFrame:
        """Hostel points with ``name``."""

    @property
    def city(self) -> gpd.GeoDataFrame:
        """The study area."""


def rate_ratio_ci(
    a: int,
    area_a: float,
    b: int,
    area_b: float,
    *,
    confidence: float = 0.95,
    method: CIMethod = "lognormal",
) -> tuple[float, float, float]:
    """Rate ratio of two Poisson counts on two areas (same period) and its confidence interval.

    Parameters
    ----------
    a, area_a
        Count and area (any unit) of the zone.
    b, area_b
        Count and area of the reference.
    confidence
        Confidence level of the interval.
    method
        ``"lognormal"`` (Wald interval on the log scale) or ``"exact"`` (conditional binomial,
        Clopper–Pearson).

    Returns
    -------
    tuple of float
        ``(rate_ratio, low, high)``. The ratio is NaN when an area is 0 or when ``b == 0`` and
        ``a == 0``, and ``inf`` when only ``b`` is 0; the log-normal bounds are NaN when a count
        is 0.

    Examples
    --------
    >>> rr, lo, hi = rate_ratio_ci(20, 1.0, 10, 1.0)
    >>> round(rr, 3), round(lo, 3), round(hi, 3)
    (2.0, 0.936, 4.273)
    """
    if a < 0 or b < 0:
        raise ParameterError(f"counts must be >= 0, got a={a}, b={b}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must be between 0 and 1, got {confidence!r}")
    if method not in ("lognormal", "exact"):
        raise ParameterError(f"method must be 'lognormal' or 'exact', got {method!r}")
    nan = float("nan")
    if not (area_a > 0 and area_b > 0) or a + b == 0:
        return nan, nan, nan
    rr = (a / area_a) / (b / area_b) if b > 0 else math.inf
    if method == "lognormal":
        if a == 0 or b == 0:
            return rr, nan, nan
        z = float(stats.norm.ppf(0.5 + confidence / 2))
        half = z * math.sqrt(1 / a + 1 / b)
        return rr, math.exp(math.log(rr) - half), math.exp(math.log(rr) + half)
    ci = stats.binomtest(a, a + b).proportion_ci(confidence_level=confidence, method="exact")
    scale = area_b / area_a

    def to_rr(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    return rr, to_rr(float(ci.low)), to_rr(float(ci.high))


def _span_months(times: pd.Series) -> float:
    """Return the months the dates span (whole days); NaN when there is no date."""
    t = pd.to_datetime(times.dropna())
    if t.empty:
        return math.nan
    if isinstance(t.dtype, pd.DatetimeTZDtype):
        t = t.dt.tz_localize(None)
    days = (t.max().normalize() - t.min().normalize()) / pd.Timedelta(days=1) + 1
    return float(days / DAYS_PER_MONTH)


def context_rates(
    points: gpd.GeoDataFrame,
    context: ContextLike,
    *,
    buffer_m: float = 250.0,
    months: float | None = None,
    ci: CIMethod = "lognormal",
    confidence: float = 0.95,
    time_col: str = "reported_at",
) -> gpd.GeoDataFrame:
    """Incidents per hectare and month in each SVL, each hostel buffer and the three zones.

    Parameters
    ----------
    points
        Incident points in the context's projected CRS (EPSG:5514). Rows without a location are
        ignored; points outside the study area are not counted (both recorded).
    context
        Anything with GeoDataFrames ``svl`` (polygons, ``name``), ``hostels`` (points, ``name``)
        and ``city`` (the study area), e.g. :class:`apk_geo.enrich.Context`.
    buffer_m
        Radius of the hostel buffers in metres.
    months
        Length of the observation period in months; ``None`` takes the span of ``time_col``.
    ci
        ``"lognormal"`` (default) or ``"exact"`` confidence interval of the rate ratios.
    confidence
        Confidence level of the intervals.
    time_col
        Datetime column used when ``months`` is None.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`RATE_COLUMNS`: ``kind`` (``"zone"``, ``"svl"`` or ``"hostel"``),
        ``name`` (zone code from :data:`ZONES`, SVL or hostel name), ``incidents`` (int64),
        ``area_ha``, ``months``, ``incidents_per_ha``, ``incidents_per_month``,
        ``incidents_per_ha_month``, ``rate_ratio`` (relative to ``elsewhere``; 1 for
        ``elsewhere`` itself), ``rr_ci_low``, ``rr_ci_high`` (NaN for ``elsewhere``) and the
        polygon, in the context's CRS. Rows: the three zones, then the SVLs and the hostels in
        input order. ``attrs["params"]`` records the options, the months (and whether they were
        derived from the data) and the counts of points used and left out.

    Raises
    ------
    SchemaError
        If ``svl``/``hostels`` lack ``name`` or ``time_col`` is needed and missing.
    CRSError
        If a layer has no CRS or a geographic one, or the points' CRS differs from the city's.
    InsufficientDataError
        If the study area is empty.
    ParameterError
        If ``months``, ``ci`` or ``confidence`` is invalid.
    """
    svl, hostels, city = context.svl, context.hostels, context.city
    _check_rates_inputs(points, svl, hostels, city, buffer_m=buffer_m, ci=ci, confidence=confidence)
    months_used, months_auto = _months(points, months, time_col=time_col)
    zones = _zones(city, svl, hostels, buffer_m=buffer_m)
    usable, in_study, pts = _points_in_study(points, zones.study)
    rows, n_else = _zone_counts(zones, pts, svl_names=svl["name"], hostel_names=hostels["name"])
    ref_area_ha = zones.elsewhere.area / _M2_PER_HA
    records = [
        _rate_record(
            row,
            n_else=n_else,
            ref_area_ha=ref_area_ha,
            months=months_used,
            confidence=confidence,
            ci=ci,
        )
        for row in rows
    ]
    out = _rate_frame(records, crs=city.crs)
    out.attrs["params"] = {
        "method": "context_rates",
        "buffer_m": float(buffer_m),
        "months": months_used,
        "months_auto": months_auto,
        "ci": ci,
        "confidence": float(confidence),
        "reference": "elsewhere",
        "zones_overlap": "inside_svl and hostel_buffer may overlap; elsewhere excludes both",
        "n_points": len(points),
        "n_points_counted": len(pts),
        "n_points_without_location": int((~usable).sum()),
        "n_points_outside_study_area": int((~in_study).sum()),
        "n_svl": len(svl),
        "n_hostels": len(hostels),
    }
    return out


# --------------------------------------------------------------------------------------------
# the steps of context_rates
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Zones:
    """The study area, each SVL and hostel buffer clipped to it, and the three zones."""

    study: shapely.Geometry
    svl: list[shapely.Geometry]  # one clipped polygon per SVL, in input order
    hostels: list[shapely.Geometry]  # one clipped buffer per hostel, in input order
    svl_union: shapely.Geometry
    buffer_union: shapely.Geometry
    elsewhere: shapely.Geometry


#: One output row before the rates: kind, name, incidents and polygon.
_Row = tuple[str, str, int, shapely.Geometry]


def _check_rates_inputs(
    points: gpd.GeoDataFrame,
    svl: gpd.GeoDataFrame,
    hostels: gpd.GeoDataFrame,
    city: gpd.GeoDataFrame,
    *,
    buffer_m: float,
    ci: str,
    confidence: float,
) -> None:
    """Check the layers, their CRSs and the options of :func:`context_rates`."""
    _validate.require_columns(svl, ["name"], name="context.svl")
    _validate.require_columns(hostels, ["name"], name="context.hostels")
    _validate.require_projected(city, name="context.city")
    for layer, lname in ((svl, "context.svl"), (hostels, "context.hostels"), (points, "points")):
        _validate.require_same_crs(layer, city, names=(lname, "context.city"))
    _validate.require_positive(buffer_m, name="buffer_m")
    if ci not in ("lognormal", "exact"):
        raise ParameterError(f"ci must be 'lognormal' or 'exact', got {ci!r}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must be between 0 and 1, got {confidence!r}")
    _validate.require_points(points, name="points", minimum=0)


def _months(points: gpd.GeoDataFrame, months: float | None, *, time_col: str) -> tuple[float, bool]:
    """Return the period length in months and whether it was derived from the dates."""
    if months is not None:
        if not (months > 0 and math.isfinite(months)):
            raise ParameterError(f"months must be a finite number > 0, got {months!r}")
        return float(months), False
    _validate.require_columns(points, [time_col], name="points")
    try:
        span = _span_months(points[time_col])
    except (TypeError, ValueError) as exc:
        raise SchemaError(
            f"points[{time_col!r}] must hold dates/times to derive months; pass months=..."
        ) from exc
    if not math.isfinite(span):
        raise InsufficientDataError(
            f"points[{time_col!r}] holds no date, so the period is unknown; pass months=..."
        )
    logger.info("context_rates: period of %.2f months taken from the incidents' dates", span)
    return span, True


def _zones(
    city: gpd.GeoDataFrame, svl: gpd.GeoDataFrame, hostels: gpd.GeoDataFrame, *, buffer_m: float
) -> _Zones:
    """Clip the SVLs and the hostel buffers to the study area and derive the three zones."""
    study = shapely.union_all(city.geometry.dropna().to_numpy())
    if study.is_empty or study.area <= 0:
        raise InsufficientDataError("context.city is empty; the study area needs a polygon")
    svl_geoms = [
        shapely.intersection(g, study) if g is not None else shapely.Polygon() for g in svl.geometry
    ]
    hostel_geoms = [
        shapely.intersection(shapely.buffer(g, buffer_m, quad_segs=_QUAD_SEGS), study)
        if g is not None and not g.is_empty
        else shapely.Polygon()
        for g in hostels.geometry
    ]
    svl_union = shapely.union_all(svl_geoms) if svl_geoms else shapely.Polygon()
    buffer_union = shapely.union_all(hostel_geoms) if hostel_geoms else shapely.Polygon()
    elsewhere = shapely.difference(study, shapely.union(svl_union, buffer_union))
    return _Zones(
        study=study,
        svl=svl_geoms,
        hostels=hostel_geoms,
        svl_union=svl_union,
        buffer_union=buffer_union,
        elsewhere=elsewhere,
    )


def _points_in_study(
    points: gpd.GeoDataFrame, study: shapely.Geometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the mask of located points, the mask of those in the study area, and those points."""
    geom = points.geometry
    usable = (~geom.isna() & ~geom.is_empty).to_numpy()
    pts = geom.to_numpy()[usable]
    in_study = shapely.intersects(study, pts)
    return usable, in_study, pts[in_study]


def _inside(poly: shapely.Geometry, pts: np.ndarray) -> np.ndarray:
    """Return which points intersect ``poly`` (none when it is empty)."""
    if poly.is_empty:
        return np.zeros(len(pts), dtype=bool)
    return np.asarray(shapely.intersects(poly, pts))


def _zone_counts(
    zones: _Zones, pts: np.ndarray, *, svl_names: pd.Series, hostel_names: pd.Series
) -> tuple[list[_Row], int]:
    """Return the rows (three zones, then every SVL and hostel) and the count elsewhere."""
    in_svl = _inside(zones.svl_union, pts)
    in_buf = _inside(zones.buffer_union, pts)
    n_else = int((~in_svl & ~in_buf).sum())
    rows: list[_Row] = [
        ("zone", "inside_svl", int(in_svl.sum()), zones.svl_union),
        ("zone", "hostel_buffer", int(in_buf.sum()), zones.buffer_union),
        ("zone", "elsewhere", n_else, zones.elsewhere),
    ]
    rows += [
        ("svl", str(n), int(_inside(g, pts).sum()), g)
        for n, g in zip(svl_names, zones.svl, strict=True)
    ]
    rows += [
        ("hostel", str(n), int(_inside(g, pts).sum()), g)
        for n, g in zip(hostel_names, zones.hostels, strict=True)
    ]
    return rows, n_else


def _rate_record(
    row: _Row,
    *,
    n_else: int,
    ref_area_ha: float,
    months: float,
    confidence: float,
    ci: CIMethod,
) -> dict[str, object]:
    """Return the rates and the rate ratio against ``elsewhere`` of one row."""
    kind, name, n, g = row
    area_ha = g.area / _M2_PER_HA
    per_ha = n / area_ha if area_ha > 0 else math.nan
    if kind == "zone" and name == "elsewhere":
        rr, lo, hi = (1.0 if n > 0 else math.nan), math.nan, math.nan
    else:
        rr, lo, hi = rate_ratio_ci(
            n, area_ha, n_else, ref_area_ha, confidence=confidence, method=ci
        )
    return {
        "kind": kind,
        "name": name,
        "incidents": n,
        "area_ha": area_ha,
        "months": months,
        "incidents_per_ha": per_ha,
        "incidents_per_month": n / months,
        "incidents_per_ha_month": per_ha / months,
        "rate_ratio": rr,
        "rr_ci_low": lo,
        "rr_ci_high": hi,
        "geometry": g,
    }


def _rate_frame(records: list[dict[str, object]], *, crs: object) -> gpd.GeoDataFrame:
    """Return the records as a frame of :data:`RATE_COLUMNS` with fixed dtypes."""
    out = gpd.GeoDataFrame(records, columns=list(RATE_COLUMNS), geometry="geometry", crs=crs)
    out["kind"] = out["kind"].astype("string")
    out["name"] = out["name"].astype("string")
    out["incidents"] = out["incidents"].astype(np.int64)
    for col in RATE_COLUMNS[3:-1]:
        out[col] = out[col].astype(np.float64)
    return out
