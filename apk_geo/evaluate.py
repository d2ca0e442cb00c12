r"""Evaluate hotspot methods by how well they predict where the next incidents happen.

Each method ranks the cells of one grid using data from a training period; the ranking is judged
against the incidents of the test period that follows. At each *coverage* (a share of the study
area: 1 %, 5 %, 10 %) the top-ranked cells are selected and four measures are computed.

Definitions
-----------
Let the study area consist of cells with areas :math:`a_j` (cells clipped at the boundary are
smaller), total :math:`A = \sum_j a_j`; let :math:`N` be the number of test incidents inside the
grid, :math:`N_1` the number of training incidents, and for a selection with inclusion weights
:math:`w_j \in [0, 1]` let :math:`a = \sum_j w_j a_j` be the selected area, :math:`n = \sum_j
w_j t_j` the test incidents captured and :math:`n_1 = \sum_j w_j r_j` the training incidents in
the same cells (:math:`t_j`, :math:`r_j` are the per-cell test and training counts).

Selection at coverage :math:`c`
    Cells with a finite score are taken in descending score order until their area reaches
    :math:`cA`. Cells with equal scores form one tie group; the group that straddles the
    threshold is included *fractionally*, each of its cells with weight
    :math:`w = (cA - \text{area already taken}) / \text{area of the group}`. This is the
    expected result of breaking the tie at random, it does not depend on row order, and it makes
    the selected area exactly :math:`cA` (unless the cells with a finite score cover less, in
    which case all of them are selected). A cell whose score is NaN is never selected (a method
    uses NaN for "not a hotspot at all", e.g. cells outside every cluster).
Hit rate
    :math:`n / N`, the share of test incidents that fall in the selected cells.
PAI, Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008)
    :math:`(n / N) / (a / A)`: hit rate per unit of area share. 1 is no better than chance.
PEI, Predictive Efficiency Index (Hunt 2016)
    :math:`\mathrm{PAI} / \mathrm{PAI}^*`, where :math:`\mathrm{PAI}^*` is the largest PAI any
    selection of the same area :math:`a` could have reached on the test data: the cells ranked by
    their *test* density :math:`t_j / a_j`, with the same fractional rule (this greedy choice is
    optimal for fractional selection, so :math:`0 \le \mathrm{PEI} \le 1`). Equals
    :math:`n / n^*`.
RRI, Recapture Rate Index (Levine 2008)
    :math:`(n / n_1) / (N / N_1)`, Levine's ratio-of-ratios variant: how much the test incidents
    grew (or fell) in the selected cells relative to how much they grew overall. Above 1, the
    hotspot recaptured more than its share; NaN when the selection holds no training incident.

References
----------
Chainey, S., Tompson, L., & Uhlig, S. (2008). The utility of hotspot mapping for predicting spatial
patterns of crime. *Security Journal*, 21(1-2), 4-28.

Hunt, J. M. (2016). *Do crime hot spots move? Exploring the effects of the modifiable areal unit
problem and modifiable temporal unit problem on crime hot spot stability* (doctoral dissertation,
American University). The PEI as used in the NIJ Real-Time Crime Forecasting Challenge (2017).

Levine, N. (2008). The "hottest" part of a hotspot: comments on "The utility of hotspot mapping for
predicting spatial patterns of crime". *Security Journal*, 21(4), 295-302.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from apk_geo import _validate, grid
from apk_geo import forecast as forecast_mod
from apk_geo.capture import selection_weights
from apk_geo.errors import CRSError, InsufficientDataError, ParameterError, SchemaError
from apk_geo.methods import cell_scores, method_names, run_method

__all__ = [
    "DEFAULT_COVERAGES",
    "GAIN_COLUMNS",
    "METHODS",
    "METRIC_COLUMNS",
    "capture_metrics",
    "evaluate",
    "mean_gain",
    "metrics_by_method",
    "selection_weights",
    "winners",
]

logger = logging.getLogger(__name__)

#: Default shares of the study area at which methods are compared.
DEFAULT_COVERAGES: Final = (0.01, 0.05, 0.10)

#: The baselines every method is compared with: last period's counts (``naive``) and the honest
#: ensemble of counts and a quartic KDE whose bandwidth is chosen on the training months only.
BASELINES: Final = ("naive", "ensemble")

#: The methods :func:`evaluate` compares, in output order: every predictive method of the registry
#: (:data:`apk_geo.methods.METHODS`) and the two baselines.
METHODS: Final = (*method_names(predictive=True), *BASELINES)

#: Columns of the frame returned by :func:`capture_metrics` and :func:`evaluate`.
METRIC_COLUMNS: Final = ("coverage", "area_share", "hits", "hit_rate", "pai", "pei", "rri")

#: Columns :func:`evaluate` adds: the hit-rate difference against each baseline (a share: 0.01 is
#: one percentage point) with its 95 % day-block bootstrap interval.
GAIN_COLUMNS: Final = tuple(f"gain_vs_{b}{end}" for b in BASELINES for end in ("", "_lo", "_hi"))

#: Day-block bootstrap resamples of the test period.
DEFAULT_N_BOOT: Final = 999

#: How evaluation grids are built (stated in ``attrs["params"]["cell_rule"]``).
CELL_RULE: Final = "whole cells of equal size whose centre lies in the study area"


# --------------------------------------------------------------------------------------------
# Metrics (pure numpy)
# --------------------------------------------------------------------------------------------
def capture_metrics(
    score: ArrayLike,
    *,
    test_counts: ArrayLike,
    train_counts: ArrayLike,
    cell_area: ArrayLike,
    coverages: Sequence[float] = DEFAULT_COVERAGES,
) -> pd.DataFrame:
    """Compute hit rate, PAI, PEI and RRI of one cell ranking at several coverages.

    Parameters
    ----------
    score
        Ranking score per cell (higher = predicted hotter; NaN = never selected).
    test_counts
        Test-period incidents per cell.
    train_counts
        Training-period incidents per cell (for RRI).
    cell_area
        Area of each cell (> 0, any unit).
    coverages
        Shares of the study area, each in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per coverage with columns ``coverage``, ``area_share`` (a / A actually
        selected), ``hits`` (n, fractional at ties), ``hit_rate``, ``pai``, ``pei``, ``rri``;
        metrics are NaN where undefined (no test incidents, empty selection, no training
        incidents in the selection). Definitions and references are in the module docstring.

    Raises
    ------
    ValueError
        If arrays differ in length, counts are negative, or a coverage is out of range.

    Examples
    --------
    >>> m = capture_metrics([4, 3, 2, 1], test_counts=[1, 0, 3, 0], train_counts=[2, 2, 0, 0],
    ...                     cell_area=[1, 1, 1, 1], coverages=[0.5])
    >>> m[["hit_rate", "pai", "pei", "rri"]].round(3).to_numpy().tolist()
    [[0.25, 0.5, 0.25, 0.25]]
    """
    s, test, train, area = _metric_arrays(score, test_counts, train_counts, cell_area)
    oracle_score = test / area  # the best ranking any method could have found (for PEI)
    rows = [
        _coverage_metrics(s, test, train, area, oracle_score=oracle_score, coverage=float(c))
        for c in coverages
    ]
    return pd.DataFrame(rows, columns=list(METRIC_COLUMNS))


def _metric_arrays(
    score: ArrayLike, test_counts: ArrayLike, train_counts: ArrayLike, cell_area: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return score, test counts, training counts and areas as float arrays of one shape."""
    s = np.asarray(score, dtype=float)
    test = np.asarray(test_counts, dtype=float)
    train = np.asarray(train_counts, dtype=float)
    area = np.asarray(cell_area, dtype=float)
    for name, arr in (("test_counts", test), ("train_counts", train), ("cell_area", area)):
        if arr.shape != s.shape:
            raise ParameterError(
                f"{name} has shape {arr.shape} but score has {s.shape}; pass one value per cell"
            )
    if np.any(test < 0) or np.any(train < 0):
        raise ParameterError("test_counts and train_counts must be >= 0")
    return s, test, train, area


def _coverage_metrics(
    s: NDArray[np.float64],
    test: NDArray[np.float64],
    train: NDArray[np.float64],
    area: NDArray[np.float64],
    *,
    oracle_score: NDArray[np.float64],
    coverage: float,
) -> dict[str, float]:
    """Return one row of :func:`capture_metrics`: the measures at one coverage."""
    total_area = float(area.sum())
    n_test, n_train = float(test.sum()), float(train.sum())
    w = selection_weights(s, cell_area=area, coverage=coverage)
    a_share = float(w @ area) / total_area if total_area > 0 else math.nan
    hits = float(w @ test)
    hit_rate = hits / n_test if n_test > 0 else math.nan
    return {
        "coverage": coverage,
        "area_share": a_share,
        "hits": hits,
        "hit_rate": hit_rate,
        "pai": hit_rate / a_share if a_share > 0 else math.nan,
        "pei": _pei(hits, test, area, oracle_score=oracle_score, a_share=a_share),
        "rri": _rri(hits, float(w @ train), n_test=n_test, n_train=n_train),
    }


def _pei(
    hits: float,
    test: NDArray[np.float64],
    area: NDArray[np.float64],
    *,
    oracle_score: NDArray[np.float64],
    a_share: float,
) -> float:
    """Return the hits over the most that any selection of area share ``a_share`` captures."""
    if not (a_share > 0 and float(test.sum()) > 0):
        return math.nan
    w_star = selection_weights(oracle_score, cell_area=area, coverage=min(1.0, a_share))
    best = float(w_star @ test)
    return hits / best if best > 0 else math.nan


def _rri(hits: float, hits_train: float, *, n_test: float, n_train: float) -> float:
    """Return Levine's recapture rate index (NaN without training incidents in the selection)."""
    if hits_train > 0 and n_train > 0 and n_test > 0:
        return (hits / hits_train) / (n_test / n_train)
    return math.nan


# --------------------------------------------------------------------------------------------
# Comparing the hotspot methods on a time split
# --------------------------------------------------------------------------------------------
def evaluate(
    points: gpd.GeoDataFrame,
    *,
    split_date: pd.Timestamp | str,
    test_end: pd.Timestamp | str | None = None,
    cell_size_m: float = 150.0,
    coverages: Sequence[float] = DEFAULT_COVERAGES,
    area: gpd.GeoDataFrame | None = None,
    methods: Sequence[str] = METHODS,
    time_col: str = "reported_at",
    seed: int = 0,
    context: Mapping[str, gpd.GeoDataFrame] | None = None,
    n_boot: int = DEFAULT_N_BOOT,
) -> pd.DataFrame:
    """Train every hotspot method before ``split_date`` and score it on the period after.

    Methods (each ranks the cells of one square grid, using training incidents only):

    ``forecast``
        :func:`apk_geo.forecast.forecast` with ``at=split_date`` (tuned inside the training data),
        ranked by ``risk``.
    ``gistar``
        Getis-Ord Gi* of the training counts (:func:`apk_geo.gistar.gistar`), ranked by ``gi_z``.
    ``kde``
        :func:`apk_geo.kde.kde` of the training incidents with its automatic bandwidth, ranked by
        ``density_km2``.
    ``clusters``
        :func:`apk_geo.clusters.clusters` (HDBSCAN) of the training incidents; a cell counts when
        it intersects a cluster polygon and is ranked by the density (incidents per km²) of the
        densest cluster it touches; cells outside every cluster are never selected.
    ``naive``
        Cells ranked by their training counts (the baseline every method should beat).
    ``ensemble``
        The honest ensemble (:func:`apk_geo.forecast.ensemble`): the equal-weight sum of the
        cells' shares of the training counts and of a quartic KDE, its bandwidth chosen on the
        training months alone (the best PAI at 5 % on the last third of the training period
        when fitted on the first two thirds, among
        :func:`apk_geo.forecast.ensemble_bandwidths`; ties: the smaller). It is the forecast's
        own reference candidate, so the forecast departs from it only when the training data
        clearly say so.

    Every method's hit rate is compared with both baselines at every coverage: the difference
    and its 95 % interval from a day-block bootstrap of the test period (whole days resampled
    with replacement, ``n_boot`` times, seeded by ``seed``; the selections stay fixed).

    Grid: whole cells of ``cell_size_m`` whose centre lies in the study area, all of one size,
    as the evaluation literature does (stated in ``attrs["params"]["cell_rule"]``); incidents in
    no such cell are left out and counted in ``n_train_outside``/``n_test_outside``.

    Hit rate, PAI (Chainey et al. 2008), PEI (Hunt 2016) and RRI (Levine 2008, ratio-of-ratios
    variant) are defined in the module docstring; coverage is by area (clipped cells are
    smaller) and the tie group at the threshold is included fractionally.

    Parameters
    ----------
    points
        Incidents in a projected CRS in metres with a datetime column ``time_col`` (one row per
        incident: collapse per-charge rows with ``points.distinct_incidents`` first).
    split_date
        First moment of the test period; training uses incidents strictly before it. A naive
        date is read in the time zone of ``time_col``.
    test_end
        End (exclusive) of the test period; ``None`` = every incident from ``split_date`` on.
    cell_size_m
        Grid cell size in metres.
    coverages
        Shares of the study area to evaluate, each in (0, 1].
    area
        Study area polygons (the city, the chosen districts, police precincts); default the
        convex hull of all incidents buffered by one cell (``grid.study_area``), which
        overstates the area where the hull is larger than the city: pass the area.
    methods
        Subset of :data:`METHODS` to run.
    time_col
        Name of the incident time column.
    seed
        Seed of the bootstrap and of the methods that take one.
    context
        Named context layers for the forecast's risk-terrain covariates (e.g. hostels, stops,
        population with a ``weight`` column, a city's other incident types); a layer with the
        datetime column ``time_col`` keeps only its rows before ``split_date``.
    n_boot
        Bootstrap resamples (>= 100).

    Returns
    -------
    pandas.DataFrame
        One row per method and coverage, in the order of ``methods`` and ``coverages``, with
        columns ``method`` (str), ``coverage``, ``area_share``, ``hits``, ``hit_rate``, ``pai``,
        ``pei``, ``rri`` (float; NaN where undefined) and :data:`GAIN_COLUMNS`
        (``gain_vs_naive``, ``gain_vs_naive_lo``, ``gain_vs_naive_hi``, the same for
        ``ensemble``: hit-rate differences as shares). ``attrs["params"]`` records the split,
        the counts, the grid and its cell rule, and each method's own parameters (e.g. the
        forecast's bandwidth and components); ``attrs["bootstrap"]`` holds the bootstrap
        replicates of the gains (``{baseline: {method: array (coverages, n_boot)}}``, used by
        :func:`mean_gain`).

    Raises
    ------
    CRSError
        If the points have no CRS or not a metric one.
    SchemaError
        If ``time_col`` is missing or not a datetime, or a method name is unknown.
    InsufficientDataError
        If the training or the test period holds no incident.
    ValueError
        If ``cell_size_m`` or a coverage is out of range.

    Examples
    --------
    >>> from apk_geo.points import read_points
    >>> pts = read_points("data/real_crime/memphis_robberies_sfhotspot.gpkg")  # doctest: +SKIP
    >>> evaluate(pts, split_date="2019-07-01").query("coverage == 0.05")  # doctest: +SKIP
    """
    _check_evaluate_inputs(points, time_col=time_col, methods=methods, coverages=coverages)
    _validate.require_positive(cell_size_m, name="cell_size_m")
    times = points[time_col]
    split = forecast_mod.align_time(split_date, times, name="split_date")
    end = None if test_end is None else forecast_mod.align_time(test_end, times, name="test_end")
    if end is not None and end <= split:
        raise ParameterError(f"test_end ({end}) must be after split_date ({split})")
    located = ~(points.geometry.isna() | points.geometry.is_empty | times.isna())
    pts = points.loc[located]
    t = pts[time_col]
    is_train = (t < split).to_numpy(dtype=bool)
    is_test = (t >= split).to_numpy(dtype=bool)
    if end is not None:
        is_test = is_test & (t < end).to_numpy(dtype=bool)
    train, test = pts.loc[is_train], pts.loc[is_test]
    if len(train) == 0 or len(test) == 0:
        raise InsufficientDataError(
            f"split at {split}: {len(train)} training and {len(test)} test incident(s) "
            f"(incidents span {t.min()} to {t.max()}); choose a split date inside that span"
        )
    if n_boot < 100:
        raise ParameterError(f"n_boot must be at least 100, got {n_boot!r}")
    study = grid.study_area(pts.loc[is_train | is_test], cell_size_m=cell_size_m, area=area)
    cells = grid.make_grid(study, cell_size_m=cell_size_m, keep="centre")
    cell_area = cells.geometry.area.to_numpy(dtype=float)
    train_counts = grid.count_points(cells, train)["n"].to_numpy(dtype=float)
    test_pos = _positions(cells, test)
    test_counts = np.bincount(test_pos[test_pos >= 0], minlength=len(cells)).astype(float)
    test_day = ((test[time_col] - split) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    scores, method_params = _method_scores(
        train, cells, train_counts, methods=methods, split=split, seed=seed, context=context,
        time_col=time_col,
    )  # fmt: skip
    frames: list[pd.DataFrame] = []
    for name in methods:
        m = capture_metrics(
            scores[name],
            test_counts=test_counts,
            train_counts=train_counts,
            cell_area=cell_area,
            coverages=coverages,
        )
        m.insert(0, "method", name)
        frames.append(m)
    out = pd.concat(frames, ignore_index=True)
    boot = _bootstrap_gains(
        scores, cell_area, test_pos, test_day, methods=methods, coverages=coverages,
        n_boot=n_boot, seed=seed,
    )  # fmt: skip
    for column, values in _gain_columns(out, boot, methods=methods, coverages=coverages).items():
        out[column] = values
    out.attrs["params"] = {
        "split_date": str(split),
        "test_end": None if end is None else str(end),
        "cell_size_m": float(cell_size_m),
        "cell_rule": CELL_RULE,
        "study_area": study.attrs["params"]["study_area"],
        "n_cells": len(cells),
        "study_area_km2": float(cell_area.sum()) / 1e6,
        "n_train": int(train_counts.sum()),
        "n_test": int(test_counts.sum()),
        "n_train_outside": len(train) - int(train_counts.sum()),
        "n_test_outside": len(test) - int(test_counts.sum()),
        "coverages": [float(c) for c in coverages],
        "methods": method_params,
        "bootstrap": {"unit": "day", "n_boot": n_boot, "interval": 0.95},
        "seed": seed,
    }
    out.attrs["bootstrap"] = boot
    logger.info(
        "evaluate: %d cells, %d training and %d test incidents",
        len(cells),
        int(train_counts.sum()),
        int(test_counts.sum()),
    )
    return out


def mean_gain(
    tables: Sequence[pd.DataFrame],
    *,
    method: str = "forecast",
    against: str = "ensemble",
    coverage: float = 0.05,
) -> dict[str, float]:
    """Return a method's hit-rate gain over a baseline averaged over several evaluations.

    The data sets are independent, so the bootstrap replicates of the mean are the means of the
    data sets' replicates (same replicate number, each set resampled on its own days).

    Parameters
    ----------
    tables
        Frames returned by :func:`evaluate` (one per data set, same ``n_boot``).
    method, against
        The method and the baseline (``"naive"`` or ``"ensemble"``).
    coverage
        One of the evaluated coverages.

    Returns
    -------
    dict
        ``mean``, ``lo``, ``hi`` (95 % interval), as shares (0.01 = one percentage point).

    Raises
    ------
    ParameterError
        If a table lacks the method, the baseline or the coverage.
    """
    means, reps = [], []
    for table in tables:
        covs = table.attrs.get("params", {}).get("coverages", [])
        boot = table.attrs.get("bootstrap", {}).get(against, {}).get(method)
        if boot is None or not any(math.isclose(c, coverage) for c in covs):
            raise ParameterError(
                f"an evaluation lacks {method!r} against {against!r} at coverage {coverage!r}"
            )
        k = next(i for i, c in enumerate(covs) if math.isclose(c, coverage))
        row = table[(table["method"] == method) & np.isclose(table["coverage"], coverage)]
        means.append(float(row[f"gain_vs_{against}"].iloc[0]))
        reps.append(np.asarray(boot)[k])
    stacked = np.mean(np.vstack(reps), axis=0)
    lo, hi = np.nanquantile(stacked, [0.025, 0.975])
    return {"mean": float(np.mean(means)), "lo": float(lo), "hi": float(hi)}


def _positions(cells: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> NDArray[np.intp]:
    """Return the row position of each point's cell (-1 outside every cell)."""
    ids = grid.assign_cells(cells, points)
    pos = pd.Index(cells["cell_id"].to_numpy()).get_indexer(ids)
    return np.where(ids >= 0, pos, -1).astype(np.intp)


def _method_scores(
    train: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    train_counts: NDArray[np.float64],
    *,
    methods: Sequence[str],
    split: pd.Timestamp,
    seed: int,
    context: Mapping[str, gpd.GeoDataFrame] | None,
    time_col: str,
) -> tuple[dict[str, NDArray[np.float64]], dict[str, Any]]:
    """Return every method's cell scores (trained before ``split``) and its parameters."""
    options: dict[str, dict[str, Any]] = {
        "forecast": {"at": split, "seed": seed, "time_col": time_col, "context": context},
        "clusters": {"min_cluster_size": 10},
    }
    scores: dict[str, NDArray[np.float64]] = {}
    params: dict[str, Any] = {}
    for name in methods:
        try:
            if name == "naive":
                scores[name], params[name] = train_counts.copy(), {"score": "training count"}
                continue
            if name == "ensemble":
                result = forecast_mod.ensemble(train, cells, at=split, time_col=time_col)
                scores[name] = result["risk"].to_numpy(dtype=float)
                params[name] = _method_params(result, "forecast")
                continue
            result = run_method(train, method=name, cells=cells, **options.get(name, {}))
            scores[name] = cell_scores(result, cells, method=name)
            params[name] = _method_params(result, name)
        except InsufficientDataError as exc:
            logger.warning("evaluate: %s skipped: %s", name, exc)
            scores[name], params[name] = np.full(len(cells), np.nan), {"skipped": str(exc)}
    return scores, params


def _bootstrap_gains(
    scores: Mapping[str, NDArray[np.float64]],
    cell_area: NDArray[np.float64],
    test_pos: NDArray[np.intp],
    test_day: NDArray[np.float64],
    *,
    methods: Sequence[str],
    coverages: Sequence[float],
    n_boot: int,
    seed: int,
) -> dict[str, dict[str, NDArray[np.float64]]]:
    """Return day-block bootstrap replicates of each method's hit-rate gain over each baseline."""
    inside = test_pos >= 0
    pos, day = test_pos[inside], np.floor(test_day[inside]).astype(np.intp)
    n_days = int(day.max()) + 1 if len(day) else 1
    n_per_day = np.bincount(day, minlength=n_days).astype(float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_days, size=(n_boot, n_days))
    resample = np.zeros((n_boot, n_days))
    np.add.at(resample, (np.repeat(np.arange(n_boot), n_days), draws.ravel()), 1.0)
    totals = resample @ n_per_day
    hits: dict[str, NDArray[np.float64]] = {}
    for name in set(methods) | set(BASELINES):
        score = scores.get(name)
        per_day = np.zeros((len(coverages), n_days))
        if score is not None:
            for k, c in enumerate(coverages):
                w = selection_weights(score, cell_area=cell_area, coverage=float(c))
                per_day[k] = np.bincount(day, weights=w[pos], minlength=n_days)
        hits[name] = per_day
    out: dict[str, dict[str, NDArray[np.float64]]] = {}
    for base in BASELINES:
        if base not in scores:
            continue
        out[base] = {
            name: (hits[name] - hits[base]) @ resample.T / np.where(totals > 0, totals, np.nan)
            for name in methods
        }
    return out


def _gain_columns(
    table: pd.DataFrame,
    boot: Mapping[str, Mapping[str, NDArray[np.float64]]],
    *,
    methods: Sequence[str],
    coverages: Sequence[float],
) -> dict[str, list[float]]:
    """Return the :data:`GAIN_COLUMNS` aligned with the rows of ``table``."""
    rate = table.set_index(["method", "coverage"])["hit_rate"]
    columns: dict[str, list[float]] = {c: [] for c in GAIN_COLUMNS}
    for name in methods:
        for k, c in enumerate(coverages):
            for base in BASELINES:
                if base not in boot:
                    values = (math.nan, math.nan, math.nan)
                else:
                    lo, hi = np.nanquantile(boot[base][name][k], [0.025, 0.975])
                    gain = float(rate[(name, c)] - rate[(base, c)])
                    values = (gain, float(lo), float(hi))
                for end, v in zip(("", "_lo", "_hi"), values, strict=True):
                    columns[f"gain_vs_{base}{end}"].append(v)
    return columns


def metrics_by_method(table: pd.DataFrame) -> dict[str, dict[str, dict[str, float | None]]]:
    """Return an :func:`evaluate` table as ``{method: {coverage: {metric: value}}}``.

    Coverages become keys such as ``"0.05"``; NaN becomes ``None`` so the result is valid JSON.

    Parameters
    ----------
    table
        The frame returned by :func:`evaluate`.

    Returns
    -------
    dict
        Nested mapping of method, coverage and metric (``area_share``, ``hits``, ``hit_rate``,
        ``pai``, ``pei``, ``rri`` and the :data:`GAIN_COLUMNS` when present).
    """
    _validate.require_columns(table, ["method", *METRIC_COLUMNS], name="table")
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    keys = [k for k in (*METRIC_COLUMNS, *GAIN_COLUMNS) if k in table.columns and k != "coverage"]
    for rec in table.to_dict("records"):
        values = {k: (None if pd.isna(rec[k]) else round(float(rec[k]), 6)) for k in keys}
        out.setdefault(str(rec["method"]), {})[f"{float(rec['coverage']):g}"] = values
    return out


def winners(table: pd.DataFrame, *, metric: str = "pai") -> pd.DataFrame:
    """Return, per coverage, the method with the highest ``metric`` (ties: first in order).

    Parameters
    ----------
    table
        The frame returned by :func:`evaluate`.
    metric
        ``"hit_rate"``, ``"pai"``, ``"pei"`` or ``"rri"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``coverage``, ``method``, ``<metric>``.
    """
    _validate.require_columns(table, ["method", "coverage", metric], name="table")
    rows = []
    for cov, grp in table.groupby("coverage", sort=True):
        vals = grp[metric].to_numpy(dtype=float)
        if np.all(np.isnan(vals)):
            continue
        best = int(np.nanargmax(vals))
        rows.append({"coverage": cov, "method": grp["method"].iloc[best], metric: vals[best]})
    return pd.DataFrame(rows, columns=["coverage", "method", metric])


def _method_params(result: gpd.GeoDataFrame, name: str) -> dict[str, Any]:
    """Return a method's parameters as :func:`evaluate` reports them."""
    params = {k: v for k, v in _json_params(result).items() if k != "grid"}
    if name == "forecast":
        params.pop("validation_scores", None)
    if name == "clusters":
        params["n_clusters"] = len(result)
    return params


def _json_params(gdf: pd.DataFrame) -> dict[str, Any]:
    params = gdf.attrs.get("params", {})
    return dict(params) if isinstance(params, Mapping) else {}


def _check_evaluate_inputs(
    points: gpd.GeoDataFrame, *, time_col: str, methods: Sequence[str], coverages: Sequence[float]
) -> None:
    _validate.require_points(points, name="points")
    _validate.require_columns(points, [time_col], name="points")
    crs = _validate.require_projected(points, name="points")
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if unit not in ("metre", "meter"):
        raise CRSError(
            f"points are in {crs.to_string()}, whose unit is {unit!r}, not metres; read them "
            "with apk_geo.points.read_points or reproject with .to_crs(...) to a metric CRS"
        )
    if not pd.api.types.is_datetime64_any_dtype(points[time_col]):
        raise SchemaError(
            f"points[{time_col!r}] must be a datetime column, got dtype {points[time_col].dtype}"
        )
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise SchemaError(f"unknown method(s) {unknown}; choose from {list(METHODS)}")
    if not coverages or any(not (0.0 < float(c) <= 1.0) for c in coverages):
        raise ParameterError(f"coverages must be shares in (0, 1], got {list(coverages)!r}")
