"""Input checks and small helpers of :mod:`apk_geo.forecast` (re-exported there).

Private: :func:`align_time` is public through :mod:`apk_geo.forecast`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apk_geo import _validate, grid, riskterms
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.surfaces import _Data, _subset

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


#: Candidate weights of the context-intensity term (the share given to a context layer's KDE).
INTENSITY_WEIGHTS: Final = (0.25, 0.5)

#: Name of the pooled term of every dated point layer (a city's other incident types together).
POOLED_INTENSITY: Final = "all dated layers"


@dataclass(frozen=True)
class IntensityLayer:
    """A point context layer reduced to what its kernel surface needs.

    ``data.t_days`` is each feature's time in days since the first training incident (``-inf``
    for an undated layer: always in the past); ``weight`` each feature's weight (1, or its
    :data:`apk_geo.riskterms.WEIGHT_COLUMN` value).
    """

    name: str
    data: _Data
    weight: NDArray[np.float64]
    dated: bool

    def before(self, days: float) -> tuple[_Data, NDArray[np.float64]]:
        """Return the features strictly before ``days`` and their weights."""
        keep = self.data.t_days < days
        return _subset(self.data, keep), self.weight[keep]


def intensity_layers(
    context: Mapping[str, gpd.GeoDataFrame],
    cells: gpd.GeoDataFrame,
    *,
    t0: pd.Timestamp,
    time_col: str,
) -> list[IntensityLayer]:
    """Return every point context layer with features in the grid, and their pool.

    A layer is dated when it has the datetime column ``time_col``; when two or more are, their
    pool (:data:`POOLED_INTENSITY`, e.g. all of a city's other incident types) is added last.
    """
    out: list[IntensityLayer] = []
    for name, layer in context.items():
        located = layer.loc[~(layer.geometry.isna() | layer.geometry.is_empty).to_numpy()]
        if len(located) == 0 or not bool((located.geom_type == "Point").all()):
            continue
        located = located.to_crs(cells.crs)
        pos = _cell_positions(cells, located)
        inside = pos >= 0
        if not inside.any():
            continue
        dated = time_col in located.columns
        if dated:
            times = located[time_col]
            t_days = ((times - align_time(t0, times, name="t0")) / pd.Timedelta(days=1)).to_numpy(
                dtype=float, na_value=np.inf
            )
        else:
            t_days = np.full(len(located), -np.inf)
        weights = np.ones(len(located))
        if riskterms.WEIGHT_COLUMN in located.columns:
            raw = pd.to_numeric(located[riskterms.WEIGHT_COLUMN], errors="coerce")
            weights = np.clip(raw.fillna(0.0).to_numpy(dtype=float), 0.0, None)
        xy = np.column_stack([located.geometry.x.to_numpy(), located.geometry.y.to_numpy()])
        data = _Data(cell_pos=pos[inside], xy=xy[inside], t_days=t_days[inside])
        out.append(IntensityLayer(str(name), data, weights[inside], dated))
    dated_layers = [la for la in out if la.dated]
    if len(dated_layers) >= 2:
        data = _Data(
            cell_pos=np.concatenate([la.data.cell_pos for la in dated_layers]),
            xy=np.vstack([la.data.xy for la in dated_layers]),
            t_days=np.concatenate([la.data.t_days for la in dated_layers]),
        )
        weight = np.concatenate([la.weight for la in dated_layers])
        out.append(IntensityLayer(POOLED_INTENSITY, data, weight, True))
    return out
