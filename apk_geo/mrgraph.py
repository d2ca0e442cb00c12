"""HDBSCAN's mutual-reachability spanning tree from a sparse candidate graph, certified exact.

scikit-learn's all-pairs Prim's is O(n²) (43–111 s on 100k points). :func:`exact_graph` instead
gives HDBSCAN a sparse candidate graph (k nearest neighbours plus Delaunay edges) and then
*certifies* its tree: for every merge of the tree it looks for a lighter mutual-reachability pair
the graph lacks (:func:`_uncertified_pairs`), adds such pairs and rebuilds the tree until none is
found — so the tree equals the exact one — falling back to scikit-learn's exact method after
:data:`MAX_EXTENSION_ROUNDS` rounds. :mod:`apk_geo.clusters` uses it.

References
----------
Campello, R. J. G. B., Moulavi, D. & Sander, J. (2013). Density-based clustering based on
hierarchical density estimates. *PAKDD 2013*, 160–172.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, QhullError, cKDTree

logger = logging.getLogger(__name__)

#: Distance (metres) stored for incidents at identical coordinates in the candidate graph.
ZERO_DISTANCE_M: Final = 1e-9

#: Rounds of certifying and extending the candidate graph before falling back to Prim's.
MAX_EXTENSION_ROUNDS: Final = 25

#: Relative tolerance below which a pair counts as tied with a tree edge (the k-d tree and the
#: graph compute one distance in different floating-point steps).
_TIE_REL: Final = 1e-9

#: The candidate graph holds max(factor * (min_samples - 1), minimum) nearest neighbours.
_NEIGHBOURS_FACTOR: Final = 2
_NEIGHBOURS_MIN: Final = 16


def _exact_graph(
    xy: np.ndarray,
    locations: np.ndarray,
    inverse: np.ndarray,
    *,
    n_neighbours: int,
    min_samples: int,
) -> tuple[sparse.csr_matrix | None, dict[str, Any]]:
    """Return a candidate graph that provably contains the exact mutual-reachability MST.

    The graph starts as :func:`_candidate_graph`; its MST is then certified edge by edge in
    Kruskal order (:func:`_uncertified_pairs`) and every lighter pair the certificate finds is
    added, until the certificate holds. ``None`` (after :data:`MAX_EXTENSION_ROUNDS`) asks the
    caller for scikit-learn's exact Prim's tree instead.
    """
    graph = _candidate_graph(xy, locations, inverse, n_neighbours=n_neighbours)
    dist, _ = cKDTree(xy).query(xy, k=n_neighbours + 1, workers=-1)
    dist = np.asarray(dist).reshape(len(xy), n_neighbours + 1)
    core = np.maximum(dist[:, min_samples - 1], ZERO_DISTANCE_M)
    bound = np.maximum(core, dist[:, n_neighbours])  # every pair outside the graph weighs >= this
    added = 0
    for rounds in range(1, MAX_EXTENSION_ROUNDS + 1):
        mst = _mr_tree(graph, core)
        extra = _uncertified_pairs(mst, core, bound, xy)
        if len(extra[0]) == 0:
            return graph, {"mst_rounds": rounds, "mst_edges_added": added}
        added += len(extra[0])
        graph = _with_edges(graph, xy, *extra)
    logger.warning("HDBSCAN: candidate graph not certified after %d rounds", rounds)
    return None, {"mst_rounds": rounds, "mst_edges_added": added}


def _mr_tree(graph: sparse.csr_matrix, core: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the MST of the graph under mutual reachability as (i, j, weight), by weight."""
    coo = graph.tocoo()
    weight = np.maximum(np.maximum(core[coo.row], core[coo.col]), coo.data)
    mr = sparse.csr_matrix((weight, (coo.row, coo.col)), shape=graph.shape)
    tree = minimum_spanning_tree(mr).tocoo()
    order = np.argsort(tree.data, kind="stable")
    return tree.row[order], tree.col[order], tree.data[order]


def _uncertified_pairs(
    mst: tuple[np.ndarray, ...],
    core: np.ndarray,
    bound: np.ndarray,
    xy: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return pairs outside the graph that are lighter than a Kruskal merge they cross.

    Kruskal adds the tree edge ``e`` of weight ``w`` between components ``A`` and ``B``; by the
    cut property the tree is exact if, at every merge, no pair leaving ``A`` (or ``B``) weighs
    less than ``w``. Pairs in the graph cannot (``e`` is the lightest graph edge leaving them);
    a pair outside it weighs at least ``bound[u]`` (the larger of ``u``'s core distance and the
    distance to its farthest graph neighbour), so a side whose smallest bound reaches ``w`` is
    certified, and otherwise the members with ``bound < w`` of the smaller side are
    searched for points ``v`` outside the side with ``core[v] < w`` within distance ``w``.
    An empty result certifies the tree.
    """
    n = len(core)
    order = np.argsort(xy[:, 0], kind="stable")
    by_x = (order, xy[order, 0])
    label = np.arange(n)
    members: list[list[int]] = [[i] for i in range(n)]
    low = bound.copy()  # smallest bound in each component
    found_u: list[np.ndarray] = []
    found_v: list[np.ndarray] = []
    for a, b, w in zip(*mst, strict=True):
        ra, rb = int(label[a]), int(label[b])
        if low[ra] < w and low[rb] < w:
            side = ra if len(members[ra]) <= len(members[rb]) else rb
            u_found, v_found = _lighter_pairs(
                np.asarray(members[side]), side, label, core, bound, xy, by_x, w
            )
            found_u.append(u_found)
            found_v.append(v_found)
        small, big = (ra, rb) if len(members[ra]) < len(members[rb]) else (rb, ra)
        label[members[small]] = big
        members[big].extend(members[small])
        members[small] = []
        low[big] = min(low[big], low[small])
    if not found_u:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(found_u), np.concatenate(found_v)


def _lighter_pairs(
    side: np.ndarray,
    root: int,
    label: np.ndarray,
    core: np.ndarray,
    bound: np.ndarray,
    xy: np.ndarray,
    by_x: tuple[np.ndarray, np.ndarray],
    w: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Return pairs (u in the side, v outside it) lighter than ``w`` (mutual reachability).

    Candidates ``v`` (outside the side, ``core[v] < w``) are taken from the side's bounding box
    widened by ``w`` (points sorted by x, ``by_x``); each is matched with its nearest searched
    member, which finds every ``v`` that has a lighter pair (each then gets one new edge).
    """
    searched = side[bound[side] < w]
    if len(searched) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    order, xs = by_x
    lo, hi = xy[searched].min(axis=0) - w, xy[searched].max(axis=0) + w
    near = order[np.searchsorted(xs, lo[0]) : np.searchsorted(xs, hi[0], side="right")]
    near = near[(xy[near, 1] >= lo[1]) & (xy[near, 1] <= hi[1])]
    near = near[(label[near] != root) & (core[near] < w)]
    if len(near) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    dist, nearest = cKDTree(xy[searched]).query(xy[near], k=1, distance_upper_bound=w)
    keep = dist < w * (1 - _TIE_REL)  # a pair of weight w (the tree edge's own) is a tie
    return searched[nearest[keep]], near[keep]


def _with_edges(
    graph: sparse.csr_matrix, xy: np.ndarray, u: np.ndarray, v: np.ndarray
) -> sparse.csr_matrix:
    """Return the graph with the symmetric edges (u, v) added at their distances."""
    d = np.maximum(np.hypot(xy[u, 0] - xy[v, 0], xy[u, 1] - xy[v, 1]), ZERO_DISTANCE_M)
    extra = sparse.csr_matrix((np.r_[d, d], (np.r_[u, v], np.r_[v, u])), shape=graph.shape)
    merged = graph.maximum(extra).tocsr()  # an existing edge keeps its (equal) distance
    merged.sort_indices()
    return merged


def _candidate_graph(
    xy: np.ndarray, locations: np.ndarray, inverse: np.ndarray, *, n_neighbours: int
) -> sparse.csr_matrix:
    """Symmetric sparse distance graph: k nearest neighbours + Delaunay + duplicate links.

    Every row holds the point's ``n_neighbours`` nearest other points, so its core distance is
    exact; Delaunay edges of the distinct ``locations`` (mapped to their first point) connect
    the graph; points sharing a location are linked to that location's first point. Zero
    distances are stored as :data:`ZERO_DISTANCE_M` because a sparse graph drops zeros.
    """
    n = len(xy)
    centred = xy - xy.mean(axis=0)
    _, nearest = cKDTree(centred).query(centred, k=n_neighbours + 1, workers=-1)
    nearest = nearest.reshape(n, n_neighbours + 1)
    is_self = nearest == np.arange(n)[:, None]
    # with many identical points the query may return n_neighbours + 1 others: drop the last
    is_self[~is_self.any(axis=1), -1] = True
    knn_from = np.repeat(np.arange(n), n_neighbours)
    knn_to = nearest[~is_self]

    first = np.full(len(locations), n, dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(n))
    tri_from, tri_to = _location_edges(locations - xy.mean(axis=0))
    tri_from, tri_to = first[tri_from], first[tri_to]
    dup = np.flatnonzero(first[inverse] != np.arange(n))
    dup_from, dup_to = dup, first[inverse[dup]]

    rows = np.concatenate([knn_from, knn_to, tri_from, tri_to, dup_from, dup_to])
    cols = np.concatenate([knn_to, knn_from, tri_to, tri_from, dup_to, dup_from])
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    graph.sum_duplicates()
    start = np.repeat(np.arange(n), np.diff(graph.indptr))
    dist = np.hypot(xy[start, 0] - xy[graph.indices, 0], xy[start, 1] - xy[graph.indices, 1])
    graph.data = np.maximum(dist, ZERO_DISTANCE_M)
    return graph


def _location_edges(centred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges of the Delaunay triangulation plus a lexicographic chain of distinct locations.

    The triangulation comes from GEOS (:func:`shapely.delaunay_triangles`, faster than Qhull
    here) and its vertices are matched back to ``centred`` by exact coordinates; scipy's Qhull
    is the fallback. The chain keeps the graph connected when the locations are collinear or
    too few for a triangulation (then the chain is their Euclidean minimum spanning tree).
    """
    m = len(centred)
    order = np.lexsort((centred[:, 1], centred[:, 0]))
    chain_from, chain_to = order[:-1], order[1:]
    if m < 3:
        return chain_from, chain_to
    keys = (centred[:, 0] + 1j * centred[:, 1])[order]  # complex numbers sort like (x, y)
    edges = shapely.get_coordinates(
        shapely.delaunay_triangles(shapely.multipoints(centred), only_edges=True)
    )
    wanted = edges[:, 0] + 1j * edges[:, 1]
    pos = np.minimum(np.searchsorted(keys, wanted), m - 1)
    if len(edges) % 2 == 0 and np.array_equal(keys[pos], wanted):
        ends = order[pos]
        tri_from, tri_to = ends[0::2], ends[1::2]
    else:
        try:
            indptr, neighbours = Delaunay(centred).vertex_neighbor_vertices
        except QhullError:
            logger.info("no Delaunay triangulation of %d locations (collinear?); chain only", m)
            return chain_from, chain_to
        tri_from, tri_to = np.repeat(np.arange(m), np.diff(indptr)), neighbours
    return np.concatenate([tri_from, chain_from]), np.concatenate([tri_to, chain_to])
