"""Street networks and the leg matrix of a plan: who is how far from whom, and along which path.

:func:`load_network` reads a local GraphML (osmnx) or vector edge file into a
:class:`StreetNetwork` in a metric CRS, fully offline. :class:`_Legs` holds the leg distances
between the start, the end and every candidate: straight lines times a detour factor, or shortest
paths on the network (Dijkstra, :func:`scipy.sparse.csgraph.dijkstra`) with the walked geometry.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
from pyproj import CRS
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from apk_geo.coords import metric_crs
from apk_geo.errors import InputFileError, RouteInfeasibleError
from apk_geo.schema import CRS_WEB

__all__ = ["StreetNetwork", "load_network"]

logger = logging.getLogger(__name__)

#: Nodes, edges (index pairs), edge lengths (NaN: unknown), directed flag and CRS of a file.
_Edges = tuple[np.ndarray, np.ndarray, np.ndarray, bool, CRS]


@dataclass(frozen=True)
class StreetNetwork:
    """A street network in a projected CRS, ready for shortest paths.

    Attributes
    ----------
    crs
        Projected CRS of ``node_xy`` (metres).
    node_xy
        ``(n, 2)`` node coordinates.
    weights
        ``(n, n)`` sparse matrix of edge lengths in metres (the shortest of parallel edges).
    directed
        Whether edges are one-way as stored (used by car); foot routing ignores direction.
    source
        File the network was read from.
    """

    crs: CRS
    node_xy: np.ndarray
    weights: sparse.csr_matrix
    directed: bool
    source: str

    @property
    def n_nodes(self) -> int:
        """Return the number of nodes."""
        return int(self.node_xy.shape[0])


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------
def load_network(path: str | Path, *, crs: str | None = None) -> StreetNetwork:
    """Read a street network from a local GraphML or GeoPackage file.

    Parameters
    ----------
    path
        ``.graphml`` (e.g. saved by osmnx: node attributes ``x``/``y``, edge attribute
        ``length`` in metres, graph attribute ``crs``) or any vector file of LineString edges
        (GeoPackage, GeoJSON, Shapefile); edge endpoints that coincide (to 1 cm) are joined.
    crs
        CRS of a GraphML file's ``x``/``y`` when the graph carries none (default EPSG:4326).

    Returns
    -------
    StreetNetwork
        Nodes projected to a metric CRS (the file's own if projected, EPSG:5514 in Czechia,
        else local UTM).

    Raises
    ------
    InputFileError
        If the file is missing, cannot be read or holds no edges.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError("street network file not found", path=str(p))
    if p.suffix.lower() == ".graphml":
        xy, edges, lengths, directed, src_crs = _read_graphml(p, crs=crs)
    else:
        xy, edges, lengths, directed, src_crs = _read_edge_layer(p)
    if len(edges) == 0:
        raise InputFileError("the street network has no edges", path=str(p))
    metric, node_xy = _project_nodes(xy, src_crs)
    lengths = _fill_lengths(lengths, node_xy=node_xy, edges=edges)
    logger.info(
        "street network %s: %d nodes, %d edges, CRS %s",
        p.name,
        node_xy.shape[0],
        len(edges),
        metric.to_string(),
    )
    return StreetNetwork(
        crs=metric,
        node_xy=node_xy,
        weights=_edge_matrix(node_xy.shape[0], edges, lengths),
        directed=directed,
        source=str(p),
    )


def _project_nodes(xy: np.ndarray, src_crs: CRS) -> tuple[CRS, np.ndarray]:
    """Return the metric CRS of the nodes and their ``(n, 2)`` coordinates in it."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=src_crs)
    metric = metric_crs(pts, keep_projected=True, name="street network nodes")
    if not src_crs.equals(metric):
        pts = pts.to_crs(metric)
    return metric, np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()])


def _fill_lengths(lengths: np.ndarray, *, node_xy: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Return the edge lengths with unknown ones replaced by the straight endpoint distance."""
    if not np.isnan(lengths).any():
        return lengths
    seg = node_xy[edges[:, 0]] - node_xy[edges[:, 1]]
    straight = np.hypot(seg[:, 0], seg[:, 1])
    return np.where(np.isnan(lengths), straight, lengths)


def _edge_matrix(n: int, edges: np.ndarray, lengths: np.ndarray) -> sparse.csr_matrix:
    """Return the ``(n, n)`` weight matrix: the shortest of parallel edges, no self-loops."""
    a, b = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
    keep = a != b
    a, b, w = a[keep], b[keep], np.maximum(lengths[keep].astype(float), 1e-3)
    # sort by pair, then length: the first edge of each pair is the shortest
    order = np.lexsort((w, b, a))
    a, b, w = a[order], b[order], w[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return sparse.csr_matrix((w[first], (a[first], b[first])), shape=(n, n))


def _read_graphml(p: Path, *, crs: str | None) -> _Edges:
    """Read the nodes and edges of a GraphML file (node ``x``/``y``, edge ``length``)."""
    import networkx as nx

    try:
        graph = nx.read_graphml(p)
    except Exception as exc:  # networkx raises plain exceptions for malformed XML
        raise InputFileError(f"cannot read GraphML: {exc}", path=str(p)) from exc
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    try:
        xy = np.array([[float(graph.nodes[v]["x"]), float(graph.nodes[v]["y"])] for v in nodes])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputFileError(
            "every GraphML node needs numeric 'x' and 'y' attributes (as saved by osmnx)",
            path=str(p),
        ) from exc
    edges, lengths = [], []
    for u, v, data in graph.edges(data=True):
        edges.append((index[u], index[v]))
        raw = data.get("length")
        lengths.append(float(raw) if raw is not None else math.nan)
    src_crs = CRS.from_user_input(graph.graph.get("crs") or crs or CRS_WEB)
    return (
        xy.reshape(-1, 2),
        np.array(edges, dtype=int).reshape(-1, 2),
        np.array(lengths, dtype=float),
        bool(graph.is_directed()),
        src_crs,
    )


def _read_edge_layer(p: Path) -> _Edges:
    """Read a vector layer of LineString edges; endpoints equal to 1 cm become one node."""
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # pyogrio raises several unrelated types
        raise InputFileError(f"cannot read the street layer: {exc}", path=str(p)) from exc
    if gdf.crs is None:
        raise InputFileError("the street layer has no CRS; save it with one", path=str(p))
    gdf = gdf.explode(index_parts=False)
    gdf = gdf[gdf.geom_type == "LineString"]
    metric = (
        metric_crs(gdf, keep_projected=True, name="street network")
        if len(gdf)
        else CRS.from_user_input(gdf.crs)
    )
    gdf = gdf.to_crs(metric)
    keys: dict[tuple[float, float], int] = {}
    coords: list[tuple[float, float]] = []
    edges, lengths = [], []
    for geom in gdf.geometry:
        ends = []
        for x, y in (geom.coords[0][:2], geom.coords[-1][:2]):
            key = (round(x, 2), round(y, 2))
            if key not in keys:
                keys[key] = len(coords)
                coords.append((x, y))
            ends.append(keys[key])
        edges.append(tuple(ends))
        lengths.append(float(geom.length))
    return (
        np.array(coords, dtype=float).reshape(-1, 2),
        np.array(edges, dtype=int).reshape(-1, 2),
        np.array(lengths, dtype=float),
        False,
        metric,
    )


# --------------------------------------------------------------------------------------------
# Leg matrix
# --------------------------------------------------------------------------------------------
class _Legs:
    """Leg distances (metres) and leg geometries between a set of locations."""

    def __init__(
        self, xy: np.ndarray, *, detour_factor: float, network: StreetNetwork | None, directed: bool
    ) -> None:
        self.xy = xy
        self.network = network
        if network is None:
            diff = xy[:, None, :] - xy[None, :, :]
            self.dist_m = np.hypot(diff[..., 0], diff[..., 1]) * detour_factor
            return
        weights = network.weights
        if not directed:
            weights = weights.maximum(weights.T)
        _n_comp, labels = connected_components(weights, directed=directed, connection="weak")
        biggest = np.bincount(labels).argmax()
        keep = np.flatnonzero(labels == biggest)
        tree = cKDTree(network.node_xy[keep])
        snap_d, snap_i = tree.query(xy)
        self.snap_node = keep[snap_i]
        self.snap_d = snap_d
        dist, pred = dijkstra(
            weights, directed=directed, indices=self.snap_node, return_predecessors=True
        )
        self.pred = pred
        sub = dist[:, self.snap_node]
        self.dist_m = sub + snap_d[:, None] + snap_d[None, :]
        np.fill_diagonal(self.dist_m, 0.0)
        if not np.isfinite(self.dist_m).all():
            raise RouteInfeasibleError(
                f"some stops cannot be reached on the street network {network.source} "
                f"(one-way streets?); check the network or plan without it"
            )
        logger.info(
            "snapped %d locations to the network (largest snap %.0f m)",
            len(xy),
            float(snap_d.max()),
        )

    def path(self, a: int, b: int) -> list[tuple[float, float]]:
        """Return the coordinates walked from location ``a`` to location ``b``."""
        pa, pb = (
            (float(self.xy[a, 0]), float(self.xy[a, 1])),
            (float(self.xy[b, 0]), float(self.xy[b, 1])),
        )
        if self.network is None or a == b:
            return [pa, pb]
        src, dst = int(self.snap_node[a]), int(self.snap_node[b])
        nodes = [dst]
        while nodes[-1] != src:
            nodes.append(int(self.pred[a, nodes[-1]]))
        nodes.reverse()
        inner = [
            (float(self.network.node_xy[v, 0]), float(self.network.node_xy[v, 1])) for v in nodes
        ]
        return [pa, *inner, pb]
