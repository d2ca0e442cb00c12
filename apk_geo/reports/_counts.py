"""The count tables of a pack: categories (with the notable-change test), outcomes, SVL/hostels.

Frames in, frames out: each function takes the area's incident points of the months compared
and returns one of the tables documented on :class:`apk_geo.reports.Pack` (exact counts; the
tier's rules are applied when the tables are shown, :mod:`apk_geo.reports.tables`).

A category rose or fell notably when the exact conditional test of two Poisson counts
(:func:`apk_geo.change.poisson_rate_test`, Przyborowski & Wilenski 1940) of this month against
the previous one, two-sided, periods weighted by their days, gives ``p <`` :data:`NOTABLE_ALPHA`.

References
----------
Przyborowski, J. & Wilenski, H. (1940). Homogeneity of results in testing samples from Poisson
series. Biometrika 31(3/4), 313–323.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from apk_geo.change import poisson_rate_test
from apk_geo.config import Config
from apk_geo.schema import CRS_METRIC, OUTCOMES, label_of

__all__ = ["NOTABLE_ALPHA", "category_table", "in_area", "outcome_table", "places_table"]

#: Significance level of a notable rise or fall of a category.
NOTABLE_ALPHA: Final = 0.05

_CATEGORY_COLUMNS: Final = (
    "category",
    "label",
    "n",
    "n_previous",
    "n_year_before",
    "diff",
    "p_value",
    "direction",
)
_PLACE_COLUMNS: Final = ("kind", "name", "n", "n_previous", "diff", "per_10ha_month", "rate_ratio")


def category_table(
    month_pts: pd.DataFrame,
    prev_pts: pd.DataFrame,
    year_pts: pd.DataFrame,
    *,
    month: pd.Period,
    prev_known: bool,
    year_known: bool,
    lang: str,
    config: Config,
) -> pd.DataFrame:
    """Return the categories' counts with the notable-change test against the month before.

    Counts of a month the data do not cover (``prev_known``/``year_known`` false) are missing,
    not zero. Columns: ``category, label, n, n_previous, n_year_before, diff, p_value,
    direction``, sorted by ``n`` descending, then code.
    """
    now = month_pts["category"].astype(str).value_counts()
    prev = prev_pts["category"].astype(str).value_counts()
    year = year_pts["category"].astype(str).value_counts()
    codes = sorted(set(now.index) | set(prev.index) | set(year.index))
    days = (float((month - 1).days_in_month), float(month.days_in_month))
    rows = [
        _category_row(
            code,
            (int(now.get(code, 0)), int(prev.get(code, 0)), int(year.get(code, 0))),
            known=(prev_known, year_known),
            days=days,
            label=label_of(code, lang=lang, extra=config.extra_categories),
        )
        for code in codes
    ]
    out = pd.DataFrame(rows, columns=list(_CATEGORY_COLUMNS))
    for c in ("n_previous", "n_year_before", "diff"):
        out[c] = out[c].astype("Int64")
    out["n"] = out["n"].astype("int64")
    return out.sort_values(["n", "category"], ascending=[False, True], ignore_index=True)


def _category_row(
    code: str,
    counts: tuple[int, int, int],
    *,
    known: tuple[bool, bool],
    days: tuple[float, float],
    label: str,
) -> dict[str, object]:
    """One category's row: counts, the Poisson test's p-value and the direction of change."""
    n, n_p, n_y = counts
    prev_known, year_known = known
    p = poisson_rate_test(n_p, n, days_a=days[0], days_b=days[1]) if prev_known else math.nan
    rate_now, rate_prev = n / days[1], n_p / days[0]
    notable = prev_known and not math.isnan(p) and p < NOTABLE_ALPHA
    direction = ("up" if rate_now > rate_prev else "down") if notable else "none"
    return {
        "category": code,
        "label": label,
        "n": n,
        "n_previous": n_p if prev_known else None,
        "n_year_before": n_y if year_known else None,
        "diff": n - n_p if prev_known else None,
        "p_value": p,
        "direction": direction,
    }


def outcome_table(month_pts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return every outcome code's count and share of the month (``outcome, label, n, share``)."""
    counts = month_pts["outcome"].astype(str).value_counts()
    total = int(counts.sum())
    rows = [
        {"outcome": o.code, "label": o.label(lang), "n": int(counts.get(o.code, 0))}
        for o in OUTCOMES
    ]
    out = pd.DataFrame(rows)
    out["share"] = out["n"] / total if total else np.nan
    return out


def in_area(
    layer: gpd.GeoDataFrame | None, area: shapely.Geometry, *, buffer_m: float = 0.0
) -> gpd.GeoDataFrame:
    """Return the features of ``layer`` (buffered by ``buffer_m``) that touch the area."""
    if layer is None or layer.empty:
        return gpd.GeoDataFrame(
            {"name": pd.Series([], dtype="string")}, geometry=[], crs=CRS_METRIC
        )
    geoms = layer.geometry.buffer(buffer_m) if buffer_m > 0 else layer.geometry
    keep = geoms.intersects(area).to_numpy(dtype=bool)
    return layer.loc[keep].copy()


@dataclass(frozen=True)
class _PlaceContext:
    """The layers :func:`apk_geo.rates.context_rates` reads."""

    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    city: gpd.GeoDataFrame


def places_table(
    area: gpd.GeoDataFrame,
    svl: gpd.GeoDataFrame,
    hostels: gpd.GeoDataFrame,
    month_pts: gpd.GeoDataFrame,
    prev_pts: gpd.GeoDataFrame,
    *,
    buffer_m: float,
) -> pd.DataFrame:
    """Return incidents and rates per SVL and hostel buffer of the area.

    Columns: ``kind, name, n, n_previous, diff, per_10ha_month, rate_ratio``
    (:func:`apk_geo.rates.context_rates` against the rest of the area); no rows when the area
    has no SVL or hostel.
    """
    from apk_geo.rates import context_rates

    cols = list(_PLACE_COLUMNS)
    has_svl = not svl.empty and "name" in svl
    has_hostels = not hostels.empty and "name" in hostels
    if not (has_svl or has_hostels):
        return pd.DataFrame({c: [] for c in cols})
    empty = gpd.GeoDataFrame({"name": pd.Series([], dtype="string")}, geometry=[], crs=CRS_METRIC)
    ctx = _PlaceContext(
        svl[["name", svl.geometry.name]] if has_svl else empty,
        hostels[["name", hostels.geometry.name]] if has_hostels else empty,
        area,
    )
    now = context_rates(month_pts, ctx, buffer_m=buffer_m, months=1.0)
    prev = context_rates(prev_pts, ctx, buffer_m=buffer_m, months=1.0)
    rows = now["kind"].isin(["svl", "hostel"]).to_numpy() & (now["area_ha"] > 0).to_numpy()
    out = pd.DataFrame(
        {
            "kind": now["kind"].astype(str).to_numpy(),
            "name": now["name"].astype(str).to_numpy(),
            "n": now["incidents"].to_numpy(),
            "n_previous": prev["incidents"].to_numpy(),
            "per_10ha_month": 10.0 * now["incidents_per_ha_month"].to_numpy(),
            "rate_ratio": now["rate_ratio"].to_numpy(),
        }
    )[rows].reset_index(drop=True)
    out["diff"] = out["n"] - out["n_previous"]
    result: pd.DataFrame = out[cols]
    return result
