"""Input checks and small helpers of :mod:`apk_geo.forecast` (re-exported there).

Private: :func:`align_time` is public through :mod:`apk_geo.forecast`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apk_geo import _validate, grid, riskterms
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError

__all__ = ["align_time", "ensemble_bandwidths"]

#: Candidate bandwidths, in multiples of the cell size (plus the rule of thumb x 1, 1.5, 2).
DEFAULT_BANDWIDTH_CELLS: Final = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0)
#: Multiples of the rule-of-thumb bandwidth added to the candidates.
RULE_OF_THUMB_FACTORS: Final = (1.0, 1.5, 2.0)
#: Wide bandwidths (metres) the forecast also tries, for sparse data.
WIDE_BANDWIDTHS_M: Final = (2000.0, 3000.0)


def _cell_positions(cells: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> NDArray[np.intp]:
    """Return the row position of the cell holding each point, -1 outside the grid."""
    ids = grid.assign_cells(cells, points)
    pos = pd.Index(cells["cell_id"].to_numpy()).get_indexer(ids)
    return np.where(ids >= 0, pos, -1).astype(np.intp)


def _cell_size_m(cells: gpd.GeoDataFrame, area: NDArray[np.float64]) -> float:
    params = cells.attrs.get("params", {})
    if isinstance(params, dict) and params.get("cell_size_m"):
        return float(params["cell_size_m"])
    return float(math.sqrt(float(np.max(area)))) if len(area) else 1.0


def _check_inputs(points: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, *, time_col: str) -> None:
    _validate.require_points(points, name="points")
    _validate.require_columns(points, [time_col], name="points")
    _validate.require_columns(cells, ["cell_id"], name="cells")
    if len(cells) == 0:
        raise InsufficientDataError("cells is empty; build a grid with grid.make_grid first")
    crs = _validate.require_projected(points, name="points")
    _validate.require_same_crs(points, cells, names=("points", "cells"))
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if unit not in ("metre", "meter"):
        raise CRSError(
            f"points are in {crs.to_string()}, whose unit is {unit!r}, not metres; reproject "
            "with .to_crs(...) to a metric CRS (EPSG:5514 in Czechia, a UTM zone elsewhere)"
        )
    if not pd.api.types.is_datetime64_any_dtype(points[time_col]):
        raise SchemaError(
            f"points[{time_col!r}] must be a datetime column, got dtype "
            f"{points[time_col].dtype}; parse it with pd.to_datetime"
        )


def _check_options(
    blends: Sequence[float],
    half_life_shares: Sequence[float | None],
    validation_share: float,
    objective_coverage: float,
    bandwidths_m: Sequence[float] | None,
) -> None:
    if not blends or any(not (0.0 <= b <= 1.0) for b in blends):
        raise ParameterError(
            f"blends must be a non-empty list of weights in [0, 1], got {blends!r}"
        )
    if not half_life_shares or any(h is not None and not h > 0 for h in half_life_shares):
        raise ParameterError(
            f"half_life_shares must hold None or shares > 0, got {half_life_shares!r}"
        )
    if not (0.0 < validation_share < 1.0):
        raise ParameterError(f"validation_share must be in (0, 1), got {validation_share!r}")
    if not (0.0 < objective_coverage <= 1.0):
        raise ParameterError(f"objective_coverage must be in (0, 1], got {objective_coverage!r}")
    if bandwidths_m is not None:
        if len(bandwidths_m) == 0:
            raise ParameterError("bandwidths_m is empty; pass None for the default candidates")
        for b in bandwidths_m:
            _validate.require_positive(float(b), name="bandwidths_m[...]")


def align_time(value: pd.Timestamp | str, like: pd.Series, *, name: str) -> pd.Timestamp:
    """Return ``value`` as a Timestamp comparable with the datetime series ``like``.

    A naive value is read in the time zone of ``like``; an aware value is converted to it, or
    loses its zone (keeping its wall-clock time) when ``like`` is naive.

    Raises
    ------
    SchemaError
        If ``value`` cannot be read as a time.
    """
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise SchemaError(
            f"{name}: cannot read {value!r} as a date/time; use e.g. '2019-07-01'"
        ) from exc
    if pd.isna(ts):
        raise SchemaError(f"{name}: got a missing time {value!r}; pass a date such as '2019-07-01'")
    tz = getattr(like.dt, "tz", None)
    if tz is not None:
        return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def ensemble_bandwidths(cell_size_m: float, xy: NDArray[np.float64]) -> list[float]:
    """Return the ensemble's candidate bandwidths (metres) for cells of ``cell_size_m``.

    The cell size times :data:`DEFAULT_BANDWIDTH_CELLS` and the rule-of-thumb bandwidth of the
    incidents ``xy`` (:func:`apk_geo.riskterms.rule_of_thumb_m`) times
    :data:`RULE_OF_THUMB_FACTORS`, rounded to the metre; sorted, none below the cell size.
    """
    rot = riskterms.rule_of_thumb_m(xy)
    values = [cell_size_m * k for k in DEFAULT_BANDWIDTH_CELLS]
    values += [round(rot * f) for f in RULE_OF_THUMB_FACTORS if rot > 0]
    return sorted({max(float(b), cell_size_m) for b in values})


def _candidate_bandwidths(
    bandwidths_m: Sequence[float] | None, cell_size_m: float, xy: NDArray[np.float64]
) -> list[float]:
    """Return the forecast's sorted distinct candidate bandwidths, none below the cell size."""
    if bandwidths_m is not None:
        return sorted({max(float(b), cell_size_m) for b in bandwidths_m})
    wide = [max(b, cell_size_m) for b in WIDE_BANDWIDTHS_M]
    return sorted({*ensemble_bandwidths(cell_size_m, xy), *wide})


def _ensemble_candidates(
    bandwidths_m: Sequence[float] | None, cell_size_m: float, xy: NDArray[np.float64]
) -> list[float]:
    """Return the reference's candidate bandwidths (the user's, else the ensemble's)."""
    if bandwidths_m is not None:
        return sorted({max(float(b), cell_size_m) for b in bandwidths_m})
    return ensemble_bandwidths(cell_size_m, xy)


def _candidate_half_lives(
    shares: Sequence[float | None], days: Sequence[float], span_days: float
) -> tuple[float | None, ...]:
    """Return the distinct candidate half-lives in days (``None`` first when present)."""
    values = {None if s is None else float(s) * span_days for s in shares}
    values |= {float(d) for d in days}
    finite = sorted(v for v in values if v is not None)
    return (None, *finite) if None in values else tuple(finite)
