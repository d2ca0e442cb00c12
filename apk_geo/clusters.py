"""Density-based clusters of incidents, described and labelled in Czech from their context.

Points are clustered on their metric coordinates with HDBSCAN (default; Campello, Moulavi &
Sander 2013, :class:`sklearn.cluster.HDBSCAN`) or DBSCAN (Ester et al. 1996,
:class:`sklearn.cluster.DBSCAN`). Points that belong to no cluster (noise) are left out. Each
cluster becomes one row: the convex hull of its incidents buffered by ``buffer_m``, the number of
incidents, the date span, the most frequent categories, the mix of outcomes and a readable Czech
label taken from the context, tried in this order:

1. a hostel (``context.hostels``, column ``name``) within ``hostel_radius_m`` of the cluster:
   ``"okolí ubytovny Hulvácká 8"``;
2. a socially excluded locality (``context.svl``, column ``name``) that the cluster touches or
   that lies within ``svl_radius_m``: ``"SVL Bedřiška"``;
3. the nearest public-transport stop (``context.stops``, column ``zast_jm``) within
   ``stop_radius_m`` of the cluster's centre: ``"u zastávky Hlavní nádraží"``;
4. otherwise ``"shluk 3"`` (cluster number, 1-based).

``context`` is duck-typed (any object with ``hostels``, ``svl`` and ``stops`` GeoDataFrames, e.g.
:class:`apk_geo.enrich.Context`), so this module does not import :mod:`apk_geo.enrich`.

Speed on large inputs
---------------------
HDBSCAN needs the minimum spanning tree (MST) of the *mutual-reachability* graph, whose edge
weight is ``max(core(a), core(b), d(a, b))`` with ``core`` the distance to a point's
``min_samples``-th nearest neighbour (the point itself counted). scikit-learn builds that tree
with Prim's algorithm over all pairs, O(n²) time: 100,000 incidents took 43 s here (the issue
measured 111 s on a busier machine), against a budget of about 2.5 s.

HDBSCAN always runs on *every* incident; nothing is sampled. With ``mst="auto"`` (default),
inputs of more than :data:`PRIMS_MAX_POINTS` located incidents are clustered by handing
:class:`sklearn.cluster.HDBSCAN` a sparse *candidate graph* (``metric="precomputed"``) instead
of the coordinates. The graph holds, for every incident, its ``k`` nearest neighbours
(``k = max(2 * (min_samples - 1), 16)``, so every core distance is exact) plus the edges of the
Delaunay triangulation of the distinct locations (they keep the graph connected and contain
every edge of the Euclidean minimum spanning tree). Mutual reachability equals the plain
distance for every pair outside the ``k``-neighbour lists, so the tree scikit-learn finds on
the graph is the true mutual-reachability MST whenever each true tree edge is a neighbour or
Delaunay edge. That is not a theorem for every point pattern, so it was checked: on the
100,000-point benchmark the tree weight is the same for every ``k`` from 12 to 48 (the default
there is 18; 9 to 11 give a slightly heavier tree), and the tests compare the tree weight and
the labels with HDBSCAN on the complete distance graph. Measured on 100,000 benchmark
incidents (2 cores): :func:`clusters` 43 s before, 1.9–2.5 s now.

Labels can still differ from a plain ``HDBSCAN().fit(xy)`` by a few points: many
mutual-reachability distances are *equal* (edges share one core distance), and scikit-learn
breaks such ties by the order of the edges. Plain HDBSCAN on the same incidents in another row
order differs from itself by as much (adjusted Rand index 0.96–0.99 on 2,000–10,000 benchmark
points; on all 100,000 it is 0.97 between the two paths, 459 clusters against 457). So the
graph is not an approximation of the method, only another, equally valid, order of ties.
Smaller inputs keep scikit-learn's own Prim's path, so their results are unchanged. The choice
is logged and recorded in ``attrs["params"]["hdbscan_mst"]``.

Incidents geocoded to the same address point share coordinates. Zero distances cannot be stored
in a sparse graph (scipy drops them), so they are stored as :data:`ZERO_DISTANCE_M`; repeated
incidents then merge at that tiny distance instead of exactly 0. Repeats also create many more
equal distances, so a few fringe points may move compared with the Prim's path (the tests
require the same clusters up to an adjusted Rand index above 0.98). DBSCAN runs on the distinct
locations with their multiplicity as ``sample_weight``, which is exact.

The per-cluster description (hull, counts, dates, categories, outcomes, context labels) is
computed with vectorised shapely calls and one ``groupby`` per column, not a loop per cluster.

References
----------
Campello, R. J. G. B., Moulavi, D. & Sander, J. (2013). Density-based clustering based on
hierarchical density estimates. PAKDD 2013, LNCS 7819, 160–172.
Ester, M., Kriegel, H.-P., Sander, J. & Xu, X. (1996). A density-based algorithm for discovering
clusters in large spatial databases with noise. KDD-96, 226–231.
McInnes, L. & Healy, J. (2017). Accelerated hierarchical density based clustering. ICDMW 2017,
33–42 (why the MST is the costly step).
"""

from __future__ import annotations

import logging
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sklearn.cluster import DBSCAN, HDBSCAN

from apk_geo import _validate
from apk_geo.context import PlaceLayers
from apk_geo.errors import InsufficientDataError, ParameterError
from apk_geo.mrgraph import _NEIGHBOURS_FACTOR, _NEIGHBOURS_MIN, ZERO_DISTANCE_M, _exact_graph
from apk_geo.schema import label_of

__all__ = [
    "CLUSTER_COLUMNS",
    "PRIMS_MAX_POINTS",
    "ZERO_DISTANCE_M",
    "ClusterMethod",
    "HdbscanMST",
    "cluster_labels",
    "clusters",
    "context_label",
    "mst_weights",
]

logger = logging.getLogger(__name__)

ClusterMethod = Literal["hdbscan", "dbscan"]
#: How HDBSCAN's minimum spanning tree is built: scikit-learn's Prim's over all pairs
#: (``"prims"``, O(n²)), a sparse candidate graph (``"candidate_graph"``) or by size (``"auto"``).
HdbscanMST = Literal["auto", "prims", "candidate_graph"]

#: Columns of the result, in order (plus ``geometry``).
CLUSTER_COLUMNS: Final = (
    "cluster_id",
    "n",
    "date_from",
    "date_to",
    "top_categories",
    "outcome_mix",
    "label",
)

#: With ``mst="auto"``, up to this many located incidents use scikit-learn's Prim's path
#: (0.06 s at 4,000 points, where both paths take as long); more use the graph.
PRIMS_MAX_POINTS: Final = 4_000


def cluster_labels(
    points: gpd.GeoDataFrame,
    *,
    method: ClusterMethod = "hdbscan",
    min_cluster_size: int = 10,
    min_samples: int | None = None,
    eps_m: float = 150.0,
    min_probability: float = 0.05,
    mst: HdbscanMST = "auto",
) -> np.ndarray:
    """Return the cluster number of every point (``-1`` for noise and unlocated points).

    Parameters
    ----------
    points
        Incident points in a projected CRS.
    method
        ``"hdbscan"`` (default) or ``"dbscan"``.
    min_cluster_size
        HDBSCAN's smallest cluster; for DBSCAN the ``min_samples`` of a core point (incidents
        at one address all count).
    min_samples
        HDBSCAN's ``min_samples`` (default: ``min_cluster_size``).
    eps_m
        DBSCAN's neighbourhood radius in metres (ignored by HDBSCAN).
    min_probability
        HDBSCAN only: members whose strength of membership (``probabilities_``) is below this
        are treated as noise, so one stray incident far from the rest does not stretch the
        cluster's polygon (HDBSCAN keeps every point that leaves a cluster during its lifetime).
    mst
        HDBSCAN only: ``"auto"`` (default) uses scikit-learn's Prim's algorithm up to
        :data:`PRIMS_MAX_POINTS` located points and the sparse candidate graph above (see the
        module docstring); ``"prims"`` or ``"candidate_graph"`` force one of them.

    Returns
    -------
    numpy.ndarray
        int64 labels aligned with ``points``; clusters are numbered 0.. by decreasing size
        (ties by first point), noise is ``-1``.

    Raises
    ------
    CRSError
        If ``points`` is not in a projected CRS.
    ValueError
        If ``method`` or ``mst`` is unknown or a size is not positive.

    Examples
    --------
    >>> labels = cluster_labels(incidents, min_cluster_size=15)  # doctest: +SKIP
    """
    labels, _ = _cluster_labels(
        points,
        method=method,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        eps_m=eps_m,
        min_probability=min_probability,
        mst=mst,
    )
    return labels


def clusters(
    points: gpd.GeoDataFrame,
    *,
    method: ClusterMethod = "hdbscan",
    min_cluster_size: int = 10,
    min_samples: int | None = None,
    eps_m: float = 150.0,
    min_probability: float = 0.05,
    mst: HdbscanMST = "auto",
    buffer_m: float = 50.0,
    context: PlaceLayers | None = None,
    hostel_radius_m: float = 300.0,
    svl_radius_m: float = 300.0,
    stop_radius_m: float = 500.0,
    top_n: int = 3,
) -> gpd.GeoDataFrame:
    """Find density clusters of incidents and describe each one.

    Parameters
    ----------
    points
        Incident points in a projected CRS; ``reported_at``, ``category`` and ``outcome`` are
        used when present.
    method, min_cluster_size, min_samples, eps_m, min_probability, mst
        Clustering; see :func:`cluster_labels`.
    buffer_m
        Buffer around the convex hull of a cluster's incidents, in metres.
    context
        An object with ``hostels`` (``name``), ``svl`` (``name``) and ``stops`` (``zast_jm``)
        GeoDataFrames, e.g. :class:`apk_geo.enrich.Context`; ``None`` gives numbered labels.
    hostel_radius_m, svl_radius_m, stop_radius_m
        How near a hostel, SVL or stop must be to name the cluster.
    top_n
        Number of categories listed in ``top_categories``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster, largest first, in the points' CRS, with columns
        ``cluster_id`` (int64, 0..k-1), ``n`` (int64), ``date_from``/``date_to``
        (datetime, NaT without dates), ``top_categories`` (string, e.g.
        ``"volné pobíhání psů (5), jiné (2)"``), ``outcome_mix`` (string, e.g.
        ``"vyřešeno na místě asistentem 60 %, bez opatření 40 %"``), ``label`` (string) and
        ``geometry`` (Polygon). ``attrs["params"]`` records the method and its parameters,
        how HDBSCAN's tree was built (``hdbscan_mst``, ``candidate_neighbours``),
        ``n_locations`` (distinct coordinates), ``n_clusters`` and ``n_noise``.

    Raises
    ------
    CRSError
        If ``points`` is not in a projected CRS.
    InsufficientDataError
        If there are fewer located points than ``min_cluster_size``.

    Examples
    --------
    >>> found = clusters(incidents, min_cluster_size=15, context=ctx)  # doctest: +SKIP
    >>> found[["cluster_id", "n", "label"]]  # doctest: +SKIP
    """
    crs = _validate.require_projected(points, name="points")
    _validate.require_positive(buffer_m, name="buffer_m")
    geom = points.geometry
    n_located = int((~(geom.isna() | geom.is_empty)).sum())
    if n_located < min_cluster_size:
        raise InsufficientDataError(
            f"{n_located} located incident(s) but min_cluster_size={min_cluster_size}; "
            f"lower min_cluster_size or widen the filters"
        )
    labels, fit_params = _cluster_labels(
        points,
        method=method,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        eps_m=eps_m,
        min_probability=min_probability,
        mst=mst,
    )
    k = int(labels.max()) + 1 if len(labels) else 0
    member = labels >= 0
    cid = labels[member]
    polygons = _hull_polygons(geom.to_numpy()[member], cid, k=k, buffer_m=buffer_m)
    date_from, date_to = _date_bounds(points, member, cid, k=k)
    counts = np.bincount(cid, minlength=k).astype("int64")
    out = gpd.GeoDataFrame(
        {
            "cluster_id": np.arange(k, dtype="int64"),
            "n": counts,
            "date_from": date_from,
            "date_to": date_to,
            "top_categories": _top_categories(points, member, cid, k=k, top_n=top_n),
            "outcome_mix": _outcome_mix(points, member, cid, k=k),
            "label": pd.array(
                _context_labels(
                    polygons,
                    context=context,
                    fallbacks=[f"shluk {i + 1}" for i in range(k)],
                    crs=crs,
                    hostel_radius_m=hostel_radius_m,
                    svl_radius_m=svl_radius_m,
                    stop_radius_m=stop_radius_m,
                ),
                dtype="string",
            ),
        },
        geometry=gpd.GeoSeries(polygons, crs=crs),
        crs=crs,
    )
    out = out[[*CLUSTER_COLUMNS, "geometry"]]
    out.attrs["params"] = {
        "method": method,
        "min_cluster_size": int(min_cluster_size),
        "min_samples": min_samples,
        "eps_m": float(eps_m) if method == "dbscan" else None,
        "min_probability": float(min_probability) if method == "hdbscan" else None,
        **fit_params,
        "buffer_m": float(buffer_m),
        "n_clusters": k,
        "n_noise": int(len(points) - member.sum()),
        "context": context is not None,
    }
    logger.info("%s: %d cluster(s), %d noise point(s)", method, k, out.attrs["params"]["n_noise"])
    return out


def context_label(
    polygon: shapely.Geometry,
    *,
    context: PlaceLayers | None,
    fallback: str,
    crs: Any,
    hostel_radius_m: float = 300.0,
    svl_radius_m: float = 300.0,
    stop_radius_m: float = 500.0,
) -> str:
    """Return a Czech label for an area from the nearest hostel, SVL or stop.

    Parameters
    ----------
    polygon
        The area (a cluster polygon) in ``crs``.
    context
        An object with ``hostels``, ``svl`` and ``stops`` GeoDataFrames (any may be missing).
    fallback
        Label used when no context feature is near enough.
    crs
        CRS of ``polygon``; context layers are reprojected to it.
    hostel_radius_m, svl_radius_m, stop_radius_m
        Search distances in metres (hostels and SVL from the polygon, stops from its centre).

    Returns
    -------
    str
        ``"okolí ubytovny <name>"``, ``"SVL <name>"``, ``"u zastávky <zast_jm>"`` or
        ``fallback``.
    """
    return _context_labels(
        np.array([polygon], dtype=object),
        context=context,
        fallbacks=[fallback],
        crs=crs,
        hostel_radius_m=hostel_radius_m,
        svl_radius_m=svl_radius_m,
        stop_radius_m=stop_radius_m,
    )[0]


# --------------------------------------------------------------------------- clustering


def _cluster_labels(
    points: gpd.GeoDataFrame,
    *,
    method: ClusterMethod,
    min_cluster_size: int,
    min_samples: int | None,
    eps_m: float,
    min_probability: float,
    mst: HdbscanMST,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Labels aligned with ``points`` and the JSON-serialisable parameters that were chosen."""
    _check_cluster_options(
        points,
        method=method,
        mst=mst,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        eps_m=eps_m,
    )
    geom = points.geometry
    located = ~(geom.isna() | geom.is_empty).to_numpy()
    labels = np.full(len(points), -1, dtype="int64")
    params: dict[str, Any] = {}
    if located.sum() < min_cluster_size:
        return labels, params
    xy = shapely.get_coordinates(geom.to_numpy()[located])
    locations, inverse, multiplicity = np.unique(
        xy, axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.ravel()
    params["n_locations"] = len(locations)
    if method == "dbscan":
        model = DBSCAN(eps=eps_m, min_samples=min_cluster_size)
        raw = np.asarray(model.fit_predict(locations, sample_weight=multiplicity), dtype="int64")
        labels[located] = _renumber_by_size(raw[inverse])
        return labels, params
    raw, probabilities, tree = _hdbscan_fit(
        xy,
        locations,
        inverse,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        mst=mst,
    )
    params.update(tree)
    labels[located] = _renumber_by_size(_drop_weak(raw, probabilities, min_probability))
    return labels, params


def _check_cluster_options(
    points: gpd.GeoDataFrame,
    *,
    method: str,
    mst: str,
    min_cluster_size: int,
    min_samples: int | None,
    eps_m: float,
) -> None:
    """Check the points and the clustering options."""
    _validate.require_projected(points, name="points")
    _validate.require_points(points, name="points", minimum=0)
    if method not in ("hdbscan", "dbscan"):
        raise ParameterError(f"method must be 'hdbscan' or 'dbscan', got {method!r}")
    if mst not in ("auto", "prims", "candidate_graph"):
        raise ParameterError(f"mst must be 'auto', 'prims' or 'candidate_graph', got {mst!r}")
    if min_cluster_size < 2:
        raise ParameterError(f"min_cluster_size must be >= 2, got {min_cluster_size!r}")
    if min_samples is not None and min_samples < 1:
        raise ParameterError(f"min_samples must be >= 1 or None, got {min_samples!r}")
    _validate.require_positive(eps_m, name="eps_m")


def _choose_mst(mst: HdbscanMST, *, n_points: int, min_samples: int) -> str:
    """Return how HDBSCAN's tree is built: ``"prims"`` or ``"candidate_graph"``."""
    chosen: str = mst
    if mst == "auto":
        chosen = "prims" if n_points <= PRIMS_MAX_POINTS else "candidate_graph"
    if chosen == "candidate_graph" and min_samples < 2:
        logger.info("HDBSCAN: min_samples=1 needs the exact Prim's tree; not using the graph")
        chosen = "prims"
    return chosen


def _hdbscan_fit(
    xy: np.ndarray,
    locations: np.ndarray,
    inverse: np.ndarray,
    *,
    min_cluster_size: int,
    min_samples: int | None,
    mst: HdbscanMST,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Fit HDBSCAN on ``xy``; return its raw labels, membership probabilities and tree params.

    The params are ``hdbscan_mst`` and, for the candidate graph, ``candidate_neighbours``,
    ``mst_rounds`` and ``mst_edges_added`` (how far the certificate extended the graph).
    """
    model, params = _hdbscan_model(
        xy, locations, inverse, min_cluster_size=min_cluster_size, min_samples=min_samples, mst=mst
    )
    return np.asarray(model.labels_, dtype="int64"), np.asarray(model.probabilities_), params


def mst_weights(
    points: gpd.GeoDataFrame,
    *,
    min_cluster_size: int = 10,
    min_samples: int | None = None,
    mst: HdbscanMST = "auto",
) -> np.ndarray:
    """Return the sorted edge weights of the mutual-reachability MST that HDBSCAN clusters on.

    An audit helper: every minimum spanning tree of a graph has the same sorted weights, so
    comparing this with scikit-learn's exact tree (``HDBSCAN(...).fit(xy)``, Prim's over all
    pairs) checks the tree behind :func:`clusters` (the candidate graph stores repeated
    locations at :data:`ZERO_DISTANCE_M`, so weights may differ by that much).

    Parameters
    ----------
    points
        Incident points in a projected CRS.
    min_cluster_size, min_samples, mst
        As in :func:`cluster_labels`.

    Returns
    -------
    numpy.ndarray
        The n - 1 tree weights (metres), ascending.
    """
    _validate.require_projected(points, name="points")
    geom = points.geometry
    xy = shapely.get_coordinates(geom.to_numpy()[~(geom.isna() | geom.is_empty).to_numpy()])
    locations, inverse = np.unique(xy, axis=0, return_inverse=True)
    model, _ = _hdbscan_model(
        xy,
        locations,
        inverse.ravel(),
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        mst=mst,
    )
    # scikit-learn keeps the tree it clustered on as its single-linkage hierarchy
    return np.sort(np.asarray(model._single_linkage_tree_["value"], dtype=float))


def _hdbscan_model(
    xy: np.ndarray,
    locations: np.ndarray,
    inverse: np.ndarray,
    *,
    min_cluster_size: int,
    min_samples: int | None,
    mst: HdbscanMST,
) -> tuple[HDBSCAN, dict[str, Any]]:
    """Return the fitted HDBSCAN model (Prim's or the certified graph) and the tree params."""
    ms = min_cluster_size if min_samples is None else min_samples
    chosen = _choose_mst(mst, n_points=len(xy), min_samples=ms)
    params: dict[str, Any] = {"hdbscan_mst": chosen}
    exact = HDBSCAN(
        min_cluster_size=min_cluster_size, min_samples=min_samples, metric="euclidean", copy=True
    )
    if chosen == "prims":
        return exact.fit(xy), params
    n_neighbours = min(len(xy) - 1, max(_NEIGHBOURS_FACTOR * (ms - 1), _NEIGHBOURS_MIN))
    params["candidate_neighbours"] = int(n_neighbours)
    logger.info(
        "HDBSCAN on %d points (%d distinct locations) via a certified sparse candidate graph: "
        "%d nearest neighbours + Delaunay edges (mst=%r)",
        len(xy),
        len(locations),
        n_neighbours,
        mst,
    )
    graph, exact_params = _exact_graph(
        xy, locations, inverse, n_neighbours=n_neighbours, min_samples=ms
    )
    params.update(exact_params)
    if graph is None:
        params["hdbscan_mst"] = "prims"
        return exact.fit(xy), params
    model = HDBSCAN(
        min_cluster_size=min_cluster_size,
        # the graph has no self-loops, so the (ms - 1)-th stored neighbour is the core
        # distance that scikit-learn computes with min_samples=ms (self included)
        min_samples=ms - 1,
        metric="precomputed",
        copy=False,
    )
    return model.fit(graph), params


def _drop_weak(raw: np.ndarray, probabilities: np.ndarray, min_probability: float) -> np.ndarray:
    """Set members whose membership probability is below ``min_probability`` to noise."""
    if min_probability > 0:
        weak = (raw >= 0) & (probabilities < min_probability)
        if weak.any():
            logger.info(
                "%d weak HDBSCAN member(s) (probability < %g) set to noise",
                int(weak.sum()),
                min_probability,
            )
            raw = np.where(weak, -1, raw)
    return raw


def _renumber_by_size(raw: np.ndarray) -> np.ndarray:
    out = np.full(len(raw), -1, dtype="int64")
    ids = raw[raw >= 0]
    if len(ids) == 0:
        return out
    values, first, counts = np.unique(ids, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))  # by size, then by first appearance
    mapping = np.full(int(values.max()) + 1, -1, dtype="int64")
    mapping[values[order]] = np.arange(len(values))
    out[raw >= 0] = mapping[ids]
    return out


# --------------------------------------------------------------------------- description


def _hull_polygons(geoms: np.ndarray, cid: np.ndarray, *, k: int, buffer_m: float) -> np.ndarray:
    """Buffered convex hull of each cluster's points (cluster ``i`` at position ``i``)."""
    if k == 0:
        return np.array([], dtype=object)
    order = np.argsort(cid, kind="stable")
    coords = shapely.get_coordinates(geoms[order])
    multipoints = shapely.multipoints(coords, indices=cid[order])
    return np.asarray(shapely.buffer(shapely.convex_hull(multipoints), buffer_m))


def _date_bounds(
    points: gpd.GeoDataFrame, member: np.ndarray, cid: np.ndarray, *, k: int
) -> tuple[pd.Series, pd.Series]:
    """First and last ``reported_at`` per cluster (NaT without the column)."""
    dtype = _dates_dtype(points)
    if "reported_at" not in points.columns:
        empty = pd.Series(pd.NaT, index=range(k), dtype=dtype)
        return empty, empty.copy()
    stamps = points["reported_at"].iloc[np.flatnonzero(member)]
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        stamps = pd.to_datetime(stamps, errors="coerce")
    grouped = stamps.reset_index(drop=True).groupby(cid)
    bounds = [agg.reindex(range(k)).astype(dtype) for agg in (grouped.min(), grouped.max())]
    return bounds[0], bounds[1]


def _dates_dtype(points: gpd.GeoDataFrame) -> Any:
    if "reported_at" in points.columns and pd.api.types.is_datetime64_any_dtype(
        points["reported_at"]
    ):
        return points["reported_at"].dtype
    return "datetime64[ns]"


def _value_counts(
    points: gpd.GeoDataFrame, column: str, member: np.ndarray, cid: np.ndarray
) -> pd.DataFrame | None:
    """Counts per (cluster, value): most frequent first, ties in alphabetical order."""
    if column not in points.columns:
        return None
    frame = pd.DataFrame(
        {"cid": cid, "value": points[column].astype("string").to_numpy()[member]}
    ).dropna()
    counts = frame.groupby(["cid", "value"], sort=False).size().reset_index(name="n")
    return counts.sort_values(["cid", "n", "value"], ascending=[True, False, True])


def _top_categories(
    points: gpd.GeoDataFrame, member: np.ndarray, cid: np.ndarray, *, k: int, top_n: int
) -> pd.Series:
    counts = _value_counts(points, "category", member, cid)
    if counts is None or len(counts) == 0:
        return pd.Series([""] * k, dtype="string")
    top = counts.groupby("cid", sort=False).head(top_n)
    names = {v: label_of(str(v)) for v in top["value"].unique()}
    text = pd.Series(
        [f"{names[v]} ({int(c)})" for v, c in zip(top["value"], top["n"], strict=True)],
        index=top["cid"].to_numpy(),
    )
    joined = text.groupby(level=0, sort=True).agg(", ".join)
    return pd.Series(joined.reindex(range(k), fill_value="").to_numpy(), dtype="string")


def _outcome_mix(
    points: gpd.GeoDataFrame, member: np.ndarray, cid: np.ndarray, *, k: int
) -> pd.Series:
    counts = _value_counts(points, "outcome", member, cid)
    if counts is None or len(counts) == 0:
        return pd.Series([""] * k, dtype="string")
    totals = counts.groupby("cid")["n"].transform("sum").to_numpy()
    shares = counts["n"].to_numpy() / np.maximum(totals, 1)
    names = {v: label_of(str(v), kind="outcome") for v in counts["value"].unique()}
    text = pd.Series(
        [
            f"{names[v]} {round(100 * float(s))} %"
            for v, s in zip(counts["value"], shares, strict=True)
        ],
        index=counts["cid"].to_numpy(),
    )
    joined = text.groupby(level=0, sort=True).agg(", ".join)
    return pd.Series(joined.reindex(range(k), fill_value="").to_numpy(), dtype="string")


# --------------------------------------------------------------------------- context labels


def _context_labels(
    polygons: np.ndarray,
    *,
    context: PlaceLayers | None,
    fallbacks: list[str],
    crs: Any,
    hostel_radius_m: float,
    svl_radius_m: float,
    stop_radius_m: float,
) -> list[str]:
    """Label every polygon: hostel, else SVL, else stop, else its fallback."""
    labels = list(fallbacks)
    if context is None or len(polygons) == 0:
        return labels
    hostels = _nearest_names(
        getattr(context, "hostels", None), "name", polygons, crs, hostel_radius_m
    )
    svl = _nearest_names(getattr(context, "svl", None), "name", polygons, crs, svl_radius_m)
    stops = _nearest_names(
        getattr(context, "stops", None), "zast_jm", shapely.centroid(polygons), crs, stop_radius_m
    )
    for i in range(len(polygons)):
        if hostels[i] is not None:
            labels[i] = f"okolí ubytovny {hostels[i]}"
        elif (name := svl[i]) is not None:
            labels[i] = name if name.upper().startswith("SVL") else f"SVL {name}"
        elif stops[i] is not None:
            labels[i] = f"u zastávky {stops[i]}"
    return labels


def _nearest_names(
    layer: gpd.GeoDataFrame | None,
    column: str,
    geoms: np.ndarray,
    crs: Any,
    radius_m: float,
) -> list[str | None]:
    """Name of the nearest feature within ``radius_m`` of each geometry (ties: first row)."""
    found: list[str | None] = [None] * len(geoms)
    if layer is None or len(layer) == 0 or column not in layer.columns or layer.crs is None:
        return found
    lay = layer if layer.crs == crs else layer.to_crs(crs)
    lay = lay.loc[lay[column].notna() & ~(lay.geometry.isna() | lay.geometry.is_empty)]
    if len(lay) == 0:
        return found
    tree = shapely.STRtree(lay.geometry.to_numpy())
    (src, hit), dist = tree.query_nearest(
        geoms, max_distance=radius_m, return_distance=True, all_matches=True
    )
    keep = dist <= radius_m
    src, hit = src[keep], hit[keep]
    best = pd.Series(hit).groupby(src).min()  # equidistant features: the first in the layer
    names = lay[column].to_numpy()
    for i, j in zip(best.index, best.to_numpy(), strict=True):
        found[int(i)] = str(names[int(j)])
    return found
