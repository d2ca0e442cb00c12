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

References
----------
Campello, R. J. G. B., Moulavi, D. & Sander, J. (2013). Density-based clustering based on
hierarchical density estimates. PAKDD 2013, LNCS 7819, 160–172.
Ester, M., Kriegel, H.-P., Sander, J. & Xu, X. (1996). A density-based algorithm for discovering
clusters in large spatial databases with noise. KDD-96, 226–231.
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
from apk_geo.errors import InsufficientDataError
from apk_geo.schema import label_of

__all__ = ["CLUSTER_COLUMNS", "ClusterMethod", "cluster_labels", "clusters", "context_label"]

logger = logging.getLogger(__name__)

ClusterMethod = Literal["hdbscan", "dbscan"]

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


def cluster_labels(
    points: gpd.GeoDataFrame,
    *,
    method: ClusterMethod = "hdbscan",
    min_cluster_size: int = 10,
    min_samples: int | None = None,
    eps_m: float = 150.0,
    min_probability: float = 0.05,
) -> np.ndarray:
    """Return the cluster number of every point (``-1`` for noise and unlocated points).

    Parameters
    ----------
    points
        Incident points in a projected CRS.
    method
        ``"hdbscan"`` (default) or ``"dbscan"``.
    min_cluster_size
        HDBSCAN's smallest cluster; for DBSCAN the ``min_samples`` of a core point.
    min_samples
        HDBSCAN's ``min_samples`` (default: ``min_cluster_size``).
    eps_m
        DBSCAN's neighbourhood radius in metres (ignored by HDBSCAN).
    min_probability
        HDBSCAN only: members whose strength of membership (``probabilities_``) is below this
        are treated as noise, so one stray incident far from the rest does not stretch the
        cluster's polygon (HDBSCAN keeps every point that leaves a cluster during its lifetime).

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
        If ``method`` is unknown or a size is not positive.
    """
    _validate.require_projected(points, name="points")
    _validate.require_points(points, name="points", minimum=0)
    if method not in ("hdbscan", "dbscan"):
        raise ValueError(f"method must be 'hdbscan' or 'dbscan', got {method!r}")
    if min_cluster_size < 2:
        raise ValueError(f"min_cluster_size must be >= 2, got {min_cluster_size!r}")
    _validate.require_positive(eps_m, name="eps_m")
    geom = points.geometry
    located = ~(geom.isna() | geom.is_empty).to_numpy()
    labels = np.full(len(points), -1, dtype="int64")
    if located.sum() < min_cluster_size:
        return labels
    xy = shapely.get_coordinates(geom.to_numpy()[located])
    if method == "hdbscan":
        model: Any = HDBSCAN(
            min_cluster_size=min_cluster_size,
            min_samples=min_samples,
            metric="euclidean",
            copy=True,
        )
    else:
        model = DBSCAN(eps=eps_m, min_samples=min_cluster_size)
    raw = np.asarray(model.fit_predict(xy), dtype="int64")
    if method == "hdbscan" and min_probability > 0:
        weak = (raw >= 0) & (np.asarray(model.probabilities_) < min_probability)
        if weak.any():
            logger.info(
                "%d weak HDBSCAN member(s) (probability < %g) set to noise",
                int(weak.sum()),
                min_probability,
            )
            raw = np.where(weak, -1, raw)
    labels[located] = _renumber_by_size(raw)
    return labels


def clusters(
    points: gpd.GeoDataFrame,
    *,
    method: ClusterMethod = "hdbscan",
    min_cluster_size: int = 10,
    min_samples: int | None = None,
    eps_m: float = 150.0,
    min_probability: float = 0.05,
    buffer_m: float = 50.0,
    context: Any | None = None,
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
    method, min_cluster_size, min_samples, eps_m, min_probability
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
        ``n_clusters`` and ``n_noise``.

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
    labels = cluster_labels(
        points,
        method=method,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        eps_m=eps_m,
        min_probability=min_probability,
    )
    k = int(labels.max()) + 1 if len(labels) else 0
    xy = np.full((len(points), 2), np.nan)
    located = labels >= 0
    if located.any():
        xy[located] = shapely.get_coordinates(geom.to_numpy()[located])

    rows: list[dict[str, Any]] = []
    polygons: list[shapely.Geometry] = []
    for cid in range(k):
        member = labels == cid
        hull = shapely.convex_hull(shapely.multipoints(xy[member]))
        polygons.append(shapely.buffer(hull, buffer_m))
        sub = points.loc[member]
        rows.append(
            {
                "cluster_id": cid,
                "n": int(member.sum()),
                "date_from": _date_bound(sub, "min"),
                "date_to": _date_bound(sub, "max"),
                "top_categories": _top_categories(sub, top_n=top_n),
                "outcome_mix": _outcome_mix(sub),
            }
        )
    frame = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS[:-1]))
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(polygons, crs=crs), crs=crs)
    out["cluster_id"] = out["cluster_id"].astype("int64")
    out["n"] = out["n"].astype("int64")
    dates_tz = _dates_dtype(points)
    for col in ("date_from", "date_to"):
        out[col] = pd.Series(out[col], dtype=dates_tz)
    out["top_categories"] = out["top_categories"].astype("string")
    out["outcome_mix"] = out["outcome_mix"].astype("string")
    out["label"] = pd.Series(
        [
            context_label(
                poly,
                context=context,
                fallback=f"shluk {cid + 1}",
                hostel_radius_m=hostel_radius_m,
                svl_radius_m=svl_radius_m,
                stop_radius_m=stop_radius_m,
                crs=crs,
            )
            for cid, poly in enumerate(polygons)
        ],
        dtype="string",
        index=out.index,
    )
    out = out[[*CLUSTER_COLUMNS, "geometry"]]
    out.attrs["params"] = {
        "method": method,
        "min_cluster_size": int(min_cluster_size),
        "min_samples": min_samples,
        "eps_m": float(eps_m) if method == "dbscan" else None,
        "min_probability": float(min_probability) if method == "hdbscan" else None,
        "buffer_m": float(buffer_m),
        "n_clusters": k,
        "n_noise": int(len(points) - located.sum()),
        "context": context is not None,
    }
    logger.info("%s: %d cluster(s), %d noise point(s)", method, k, out.attrs["params"]["n_noise"])
    return out


def context_label(
    polygon: shapely.Geometry,
    *,
    context: Any | None,
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
    if context is None:
        return fallback
    hostel = _nearest_name(getattr(context, "hostels", None), "name", polygon, crs, hostel_radius_m)
    if hostel:
        return f"okolí ubytovny {hostel}"
    svl = _nearest_name(getattr(context, "svl", None), "name", polygon, crs, svl_radius_m)
    if svl:
        return svl if svl.upper().startswith("SVL") else f"SVL {svl}"
    stop = _nearest_name(
        getattr(context, "stops", None), "zast_jm", shapely.centroid(polygon), crs, stop_radius_m
    )
    if stop:
        return f"u zastávky {stop}"
    return fallback


# --------------------------------------------------------------------------- helpers


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


def _nearest_name(
    layer: gpd.GeoDataFrame | None,
    column: str,
    geom: shapely.Geometry,
    crs: Any,
    radius_m: float,
) -> str | None:
    if layer is None or len(layer) == 0 or column not in layer.columns or layer.crs is None:
        return None
    lay = layer if layer.crs == crs else layer.to_crs(crs)
    lay = lay.loc[lay[column].notna() & ~(lay.geometry.isna() | lay.geometry.is_empty)]
    if len(lay) == 0:
        return None
    dist = shapely.distance(lay.geometry.to_numpy(), geom)
    i = int(np.argmin(dist))
    if dist[i] > radius_m:
        return None
    return str(lay[column].iloc[i])


def _dates_dtype(points: gpd.GeoDataFrame) -> Any:
    if "reported_at" in points.columns and pd.api.types.is_datetime64_any_dtype(
        points["reported_at"]
    ):
        return points["reported_at"].dtype
    return "datetime64[ns]"


def _date_bound(sub: gpd.GeoDataFrame, how: str) -> Any:
    if "reported_at" not in sub.columns:
        return pd.NaT
    stamps = pd.to_datetime(sub["reported_at"], errors="coerce")
    return stamps.min() if how == "min" else stamps.max()


def _top_categories(sub: gpd.GeoDataFrame, *, top_n: int) -> str:
    if "category" not in sub.columns:
        return ""
    counts = _sorted_counts(sub["category"])
    return ", ".join(f"{label_of(str(c))} ({int(v)})" for c, v in counts.head(top_n).items())


def _outcome_mix(sub: gpd.GeoDataFrame) -> str:
    if "outcome" not in sub.columns:
        return ""
    counts = _sorted_counts(sub["outcome"])
    shares = counts / max(int(counts.sum()), 1)
    return ", ".join(
        f"{label_of(str(c), kind='outcome')} {round(100 * float(v))} %" for c, v in shares.items()
    )


def _sorted_counts(values: pd.Series) -> pd.Series:
    """Counts of each value, most frequent first, ties in alphabetical order."""
    counts = values.astype("string").dropna().value_counts(sort=False)
    frame = pd.DataFrame({"value": counts.index.astype(str), "n": counts.to_numpy()})
    frame = frame.sort_values(["n", "value"], ascending=[False, True])
    return pd.Series(frame["n"].to_numpy(), index=frame["value"].to_numpy())
