from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from numpy.testing import assert_allclose
from sklearn.cluster import HDBSCAN

from apk_geo import clusters, mrgraph
from apk_geo.errors import CRSError, InsufficientDataError
from apk_geo.points import read_points

DATA = Path(__file__).resolve().parents[1] / "data" / "real_crime"

X0, Y0 = -470_000.0, -1_103_000.0
MEMPHIS = Path(__file__).resolve().parent.parent / "data" / "real_crime"


@dataclass(frozen=True)
class _Ctx:
    hostels: gpd.GeoDataFrame | None = None
    svl: gpd.GeoDataFrame | None = None
    stops: gpd.GeoDataFrame | None = None


def _two_blobs() -> gpd.GeoDataFrame:
    """30 incidents around A = (0, 0), 20 around B = (2000, 0), 3 scattered far away."""
    rng = np.random.default_rng(11)
    ax, ay = rng.normal(0, 20, 30), rng.normal(0, 20, 30)
    bx, by = rng.normal(2000, 20, 20), rng.normal(0, 20, 20)
    nx, ny = np.array([900.0, -1500, 1000]), np.array([1500.0, 1200, -1800])
    xs, ys = np.concatenate([ax, bx, nx]), np.concatenate([ay, by, ny])
    category = ["dogs"] * 20 + ["noise"] * 10 + ["syringes"] * 12 + ["dogs"] * 8 + ["other"] * 3
    outcome = ["resolved_on_spot"] * 24 + ["patrol_called"] * 6 + ["no_action"] * 23
    days = pd.date_range("2024-01-01", periods=53, freq="D", tz="Europe/Prague")
    return gpd.GeoDataFrame(
        {"category": category, "outcome": outcome, "reported_at": days},
        geometry=gpd.points_from_xy(xs + X0, ys + Y0),
        crs="EPSG:5514",
    )


def _layer(xy: list[tuple[float, float]], **cols: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        cols,
        geometry=gpd.points_from_xy([X0 + x for x, _ in xy], [Y0 + y for _, y in xy]),
        crs="EPSG:5514",
    )


@pytest.mark.parametrize("method", ["hdbscan", "dbscan"])
def test_two_clusters_found_and_described(method: clusters.ClusterMethod) -> None:
    pts = _two_blobs()
    out = clusters.clusters(pts, method=method, min_cluster_size=5, eps_m=100)
    assert list(out.columns) == [*clusters.CLUSTER_COLUMNS, "geometry"]
    assert out["cluster_id"].tolist() == [0, 1]
    assert out["n"].tolist() == [30, 20]
    assert out["cluster_id"].dtype == np.int64 and out["n"].dtype == np.int64
    for col in ("top_categories", "outcome_mix", "label"):
        assert out[col].dtype == "string"
    assert out["date_from"].dtype == pts["reported_at"].dtype
    a, b = out.iloc[0], out.iloc[1]
    assert a["date_from"] == pd.Timestamp("2024-01-01", tz="Europe/Prague")
    assert a["date_to"] == pd.Timestamp("2024-01-30", tz="Europe/Prague")
    assert a["top_categories"] == "volné pobíhání psů (20), rušení nočního klidu (10)"
    assert a["outcome_mix"] == "vyřešeno na místě asistentem 80 %, přivolána hlídka MP 20 %"
    assert b["top_categories"] == "nalezené injekční stříkačky (12), volné pobíhání psů (8)"
    assert b["outcome_mix"] == "bez opatření 100 %"
    assert a["label"] == "shluk 1" and b["label"] == "shluk 2"
    # polygons hold their incidents and lie around the blobs
    assert a.geometry.contains(shapely.Point(X0, Y0))
    assert b.geometry.contains(shapely.Point(X0 + 2000, Y0))
    assert out.geometry.intersects(pts.geometry.iloc[50]).sum() == 0  # noise excluded
    assert out.attrs["params"]["n_noise"] == 3 and out.attrs["params"]["n_clusters"] == 2


def test_labels_from_context_in_priority_order() -> None:
    pts = _two_blobs()
    ctx = _Ctx(
        hostels=_layer([(150, 100), (5000, 5000)], name=["Hulvácká 8", "Daleko 1"]),
        svl=gpd.GeoDataFrame(
            {"name": ["Bedřiška"]},
            geometry=[shapely.box(X0 + 1900, Y0 - 200, X0 + 2300, Y0 + 200)],
            crs="EPSG:5514",
        ),
        stops=_layer([(30, 0), (2000, 30)], zast_jm=["Hlavní nádraží", "Náměstí"]),
    )
    out = clusters.clusters(pts, min_cluster_size=5, context=ctx)
    assert out["label"].tolist() == ["okolí ubytovny Hulvácká 8", "SVL Bedřiška"]
    only_stops = clusters.clusters(pts, min_cluster_size=5, context=_Ctx(stops=ctx.stops))
    assert only_stops["label"].tolist() == ["u zastávky Hlavní nádraží", "u zastávky Náměstí"]
    far = _Ctx(hostels=_layer([(1000, 900)], name=["Daleko"]))
    assert clusters.clusters(pts, min_cluster_size=5, context=far)["label"].tolist() == [
        "shluk 1",
        "shluk 2",
    ]


def test_context_in_other_crs_is_reprojected() -> None:
    pts = _two_blobs()
    stops = _layer([(30, 0)], zast_jm=["Hlavní nádraží"]).to_crs("EPSG:4326")
    out = clusters.clusters(pts, min_cluster_size=5, context=_Ctx(stops=stops))
    assert out["label"].iloc[0] == "u zastávky Hlavní nádraží"


def test_no_optional_columns_and_input_untouched() -> None:
    pts = _two_blobs()[["geometry"]]
    before = pts.copy()
    out = clusters.clusters(pts, min_cluster_size=5)
    assert out["top_categories"].tolist() == ["", ""]
    assert out["date_from"].isna().all()
    pd.testing.assert_frame_equal(pts, before)


def test_cluster_labels_aligned_with_unlocated_points() -> None:
    pts = _two_blobs()
    pts.loc[3, "geometry"] = None
    labels = clusters.cluster_labels(pts, min_cluster_size=5)
    assert labels[3] == -1
    assert (labels[:30] == 0).sum() == 29 and (labels[30:50] == 1).all()


def test_errors() -> None:
    pts = _two_blobs()
    with pytest.raises(InsufficientDataError, match="min_cluster_size=100"):
        clusters.clusters(pts, min_cluster_size=100)
    with pytest.raises(CRSError, match="geographic"):
        clusters.clusters(pts.to_crs("EPSG:4326"))
    with pytest.raises(ValueError, match="method must be"):
        clusters.clusters(pts, method="kmeans")  # type: ignore[arg-type]


def test_memphis_sample_runs() -> None:
    pts = read_points(MEMPHIS / "memphis_robberies_sfhotspot.gpkg")
    out = clusters.clusters(pts, min_cluster_size=25)
    assert len(out) >= 2
    assert out["n"].is_monotonic_decreasing
    assert out["n"].sum() + out.attrs["params"]["n_noise"] == len(pts)
    assert out.geometry.is_valid.all()


def test_min_probability_zero_keeps_hdbscan_fringe_members() -> None:
    pts = _two_blobs()
    loose = clusters.clusters(pts, min_cluster_size=5, min_probability=0)
    strict = clusters.clusters(pts, min_cluster_size=5)
    assert loose["n"].sum() >= strict["n"].sum()
    assert strict["n"].tolist() == [30, 20]


def test_cli_clusters_from_store_with_context_labels(tmp_path: Path) -> None:
    from apk_geo import cli
    from apk_geo.testing import make_store

    pts = _two_blobs()
    rows = [
        {
            "source": "test",
            "id": str(i),
            "category": p.category,
            "outcome": p.outcome,
            "reported_at": p.reported_at,
            "x_5514": p.geometry.x,
            "y_5514": p.geometry.y,
        }
        for i, p in enumerate(pts.itertuples(index=False))
    ]
    hostels = _layer([(150, 100)], name=["Hulvácká 8"], kind=["hostel"])
    stops = _layer([(2000, 30)], zast_jm=["Náměstí"])
    empty = stops.iloc[:0]
    city = gpd.GeoDataFrame(
        {"NAZEV": ["test"]},
        geometry=[shapely.box(X0 - 3000, Y0 - 3000, X0 + 5000, Y0 + 3000)],
        crs="EPSG:5514",
    )
    make_store(
        tmp_path / "store.gpkg",
        rows,
        layers={
            "city": city,
            "districts": city.assign(KOD="1"),
            "hostels": hostels,
            "stops": stops,
            "svl": gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:5514"),
            "schools": empty,
            "sports": empty,
        },
    )
    out = tmp_path / "clusters.geojson"
    code = cli.main(
        [
            "hotspots",
            "--store",
            str(tmp_path / "store.gpkg"),
            "--method",
            "clusters",
            "--min-cluster-size",
            "5",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    result = gpd.read_file(out)
    assert result.crs.to_epsg() == 4326
    assert result["label"].tolist() == ["okolí ubytovny Hulvácká 8", "u zastávky Náměstí"]
    assert result["n"].tolist() == [30, 20]


# --------------------------------------------------------------------------- large inputs


def _blobs_xy(seed: int, *, duplicates: bool = False) -> np.ndarray:
    """Four separated blobs of 120/80/50/30 incidents, 25 scattered ones (optionally repeats)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [3000.0, 0.0], [0.0, 3000.0], [3000.0, 3000.0]])
    parts = [
        rng.normal(c, 40.0, (size, 2)) for c, size in zip(centres, (120, 80, 50, 30), strict=True)
    ]
    parts.append(rng.uniform(-1500, 4500, (25, 2)))
    xy = np.vstack(parts)
    if duplicates:  # incidents geocoded to the same address point
        xy = np.vstack([xy, np.repeat(xy[[3, 130, 210]], [20, 6, 12], axis=0)])
    return xy


def _gdf(xy: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(xy[:, 0] + X0, xy[:, 1] + Y0), crs="EPSG:5514"
    )


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    """Clusters as sets of row numbers, so numbering does not matter; noise left out."""
    return {frozenset(np.flatnonzero(labels == c).tolist()) for c in np.unique(labels[labels >= 0])}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_graph_gives_the_clusters_of_plain_hdbscan(seed: int) -> None:
    from sklearn.cluster import HDBSCAN

    xy = _blobs_xy(seed)
    pts = _gdf(xy)
    fast = clusters.cluster_labels(pts, min_cluster_size=10, mst="candidate_graph")
    prims = clusters.cluster_labels(pts, min_cluster_size=10, mst="prims")
    reference = HDBSCAN(min_cluster_size=10, copy=True).fit(xy)
    ref = np.where(reference.probabilities_ < 0.05, -1, reference.labels_)
    assert _partition(fast) == _partition(prims) == _partition(ref)
    assert len(_partition(fast)) == 4


def _complete_graph_labels(xy: np.ndarray, *, min_cluster_size: int) -> np.ndarray:
    """Reference: scikit-learn's HDBSCAN on the complete distance graph, no candidates dropped."""
    from scipy.sparse import csr_matrix
    from scipy.spatial import distance_matrix
    from sklearn.cluster import HDBSCAN

    d = distance_matrix(xy, xy)
    d[(d == 0) & ~np.eye(len(xy), dtype=bool)] = clusters.ZERO_DISTANCE_M
    model = HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_cluster_size - 1,  # no self-loops stored: one neighbour fewer
        metric="precomputed",
        copy=False,
    ).fit(csr_matrix(d))  # the zero diagonal is not stored
    return np.where(model.probabilities_ < 0.05, -1, model.labels_)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_graph_equals_hdbscan_on_the_complete_graph(seed: int) -> None:
    xy = _blobs_xy(seed)
    fast = clusters.cluster_labels(_gdf(xy), min_cluster_size=10, mst="candidate_graph")
    assert _partition(fast) == _partition(_complete_graph_labels(xy, min_cluster_size=10))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_graph_with_repeated_address_points(seed: int) -> None:
    from sklearn.metrics import adjusted_rand_score

    xy = _blobs_xy(seed, duplicates=True)
    pts = _gdf(xy)
    fast = clusters.cluster_labels(pts, min_cluster_size=10, mst="candidate_graph")
    prims = clusters.cluster_labels(pts, min_cluster_size=10, mst="prims")
    complete = _complete_graph_labels(xy, min_cluster_size=10)
    # Repeated coordinates make many mutual-reachability distances equal; scikit-learn's
    # Prim's path, its sparse path and the candidate graph break those ties in different
    # orders, so a few fringe points may move. The clusters themselves are the same.
    for ref in (prims, complete):
        assert len(_partition(fast)) == len(_partition(ref))
        assert adjusted_rand_score(fast, ref) > 0.98
    # incidents at one address point always share a label
    for start, count in ((len(xy) - 38, 20), (len(xy) - 18, 6), (len(xy) - 12, 12)):
        assert len(set(fast[start : start + count])) == 1


def _mutual_reachability_mst_weight(xy: np.ndarray, min_samples: int) -> float:
    """Independent reference: MST of the complete mutual-reachability graph."""
    from scipy.sparse import csgraph, csr_matrix
    from scipy.spatial import distance_matrix

    d = distance_matrix(xy, xy)
    d[(d == 0) & ~np.eye(len(xy), dtype=bool)] = clusters.ZERO_DISTANCE_M  # as in the graph
    core = np.sort(d, axis=1)[:, min_samples - 1]  # the point itself is the 0-th neighbour
    mr = np.maximum(d, np.maximum(core[:, None], core[None, :]))
    np.fill_diagonal(mr, 0.0)
    # sparse input: scipy's dense input would mask the tiny ZERO_DISTANCE_M edges as "no edge"
    return float(csgraph.minimum_spanning_tree(csr_matrix(mr)).sum())


@pytest.mark.parametrize("min_samples", [3, 5, 10])
@pytest.mark.parametrize(
    "pattern",
    ["blobs", "address-points", "uniform", "clumps-with-stragglers", "line"],
    ids=lambda p: p,
)
def test_candidate_graph_holds_the_mutual_reachability_mst(pattern: str, min_samples: int) -> None:
    from scipy.sparse import csgraph

    rng = np.random.default_rng(5)
    if pattern in ("blobs", "address-points"):
        xy = _blobs_xy(3, duplicates=pattern == "address-points")
    elif pattern == "uniform":
        xy = rng.uniform(0, 1000, (300, 2))
    elif pattern == "clumps-with-stragglers":  # dense clumps, lone points between them
        clumps = np.vstack([rng.normal(c, 3.0, (12, 2)) for c in rng.uniform(0, 2000, (15, 2))])
        xy = np.vstack([clumps, rng.uniform(0, 2000, (40, 2))])
    else:  # collinear: no triangulation, the chain of locations connects the graph
        xy = np.column_stack([np.sort(rng.uniform(0, 5000, 200)), np.zeros(200)])
    locations, inverse = np.unique(xy, axis=0, return_inverse=True)
    k = max(clusters._NEIGHBOURS_FACTOR * (min_samples - 1), clusters._NEIGHBOURS_MIN)
    graph = mrgraph._candidate_graph(xy, locations, inverse.ravel(), n_neighbours=k)
    assert (graph != graph.T).nnz == 0
    rows = np.repeat(np.arange(len(xy)), np.diff(graph.indptr))
    # scikit-learn takes the (min_samples - 1)-th stored distance of a row as core distance
    core = np.array(
        [np.sort(graph.data[a:b])[min_samples - 2] for a, b in itertools.pairwise(graph.indptr)]
    )
    true_core = np.sort(np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)), axis=1)
    true_core = np.maximum(true_core[:, min_samples - 1], clusters.ZERO_DISTANCE_M)
    np.testing.assert_allclose(core, true_core, rtol=1e-12)
    mr = graph.copy()
    mr.data = np.maximum(graph.data, np.maximum(core[rows], core[graph.indices]))
    assert csgraph.connected_components(mr, directed=False)[0] == 1
    np.testing.assert_allclose(
        csgraph.minimum_spanning_tree(mr).sum(),
        _mutual_reachability_mst_weight(xy, min_samples),
        rtol=1e-12,
    )


def test_large_input_uses_the_graph_and_is_deterministic() -> None:
    rng = np.random.default_rng(8)
    centres = rng.uniform(0, 20_000, (12, 2))
    xy = np.vstack(
        [rng.normal(c, 80.0, (400, 2)) for c in centres] + [rng.uniform(0, 20_000, (600, 2))]
    )
    pts = _gdf(xy)
    assert len(pts) > clusters.PRIMS_MAX_POINTS
    out = clusters.clusters(pts, min_cluster_size=15)
    params = out.attrs["params"]
    assert params["hdbscan_mst"] == "candidate_graph"
    assert params["candidate_neighbours"] == 28 and params["n_locations"] == len(pts)
    assert out["n"].sum() + params["n_noise"] == len(pts)
    assert out["n"].is_monotonic_decreasing
    again = clusters.clusters(pts, min_cluster_size=15)
    assert_geodataframe_equal(out, again)
    fast = clusters.cluster_labels(pts, min_cluster_size=15)
    prims = clusters.cluster_labels(pts, min_cluster_size=15, mst="prims")
    assert len(_partition(fast)) == len(_partition(prims)) == 13
    assert (fast != prims).sum() <= 5  # tie order only (see the complete-graph test)
    # every member lies inside its cluster's polygon
    for cid, poly in zip(out["cluster_id"], out.geometry, strict=True):
        assert shapely.contains_xy(poly, *(xy[fast == cid] + [X0, Y0]).T).all()


def test_min_samples_one_falls_back_to_prims() -> None:
    pts = _two_blobs()
    out = clusters.clusters(pts, min_cluster_size=5, min_samples=1, mst="candidate_graph")
    assert out.attrs["params"]["hdbscan_mst"] == "prims"
    prims = clusters.clusters(pts, min_cluster_size=5, min_samples=1, mst="prims")
    assert_geodataframe_equal(out, prims)


def test_dbscan_on_distinct_locations_is_exact() -> None:
    from sklearn.cluster import DBSCAN

    xy = _blobs_xy(4, duplicates=True)
    labels = clusters.cluster_labels(_gdf(xy), method="dbscan", min_cluster_size=10, eps_m=60)
    ref = DBSCAN(eps=60, min_samples=10).fit_predict(xy)
    assert _partition(labels) == _partition(ref)


def test_summaries_per_cluster_with_ties_and_top_n() -> None:
    pts = _two_blobs()
    pts["category"] = ["syringes", "dogs"] * 15 + ["noise"] * 20 + ["other"] * 3
    out = clusters.clusters(pts, min_cluster_size=5, top_n=1)
    # 15 dogs vs 15 syringes: the tie goes to the alphabetically first code
    assert out["top_categories"].tolist() == [
        "volné pobíhání psů (15)",
        "rušení nočního klidu (20)",
    ]


def test_unknown_mst_is_refused() -> None:
    with pytest.raises(ValueError, match="mst must be"):
        clusters.cluster_labels(_two_blobs(), mst="boruvka")  # type: ignore[arg-type]


# ------------------------------------------------------------------ exact MST (issue 17)
def _blocked_pattern() -> np.ndarray:
    """38 points: two groups of 17 and a bridge u-v blocked by two sparse points.

    u = (0, 0) and v = (100, 0) are joined by the exact tree (every other route passes a
    blocker, whose core distance exceeds 100 m). Each has 16 points closer than the other (two
    blockers, 14+ of its own group 55-95 m away), so the bridge is no 16-nearest-neighbour edge,
    and the blockers (50, +2) and (50, -2) lie in every circle through u and v, so it is no
    Delaunay edge either.
    """
    rng = np.random.default_rng(0)
    angle, radius = rng.uniform(0, 2 * np.pi, 17), rng.uniform(0, 18, 17)
    left = np.column_stack([-75 + radius * np.cos(angle), radius * np.sin(angle)])
    right = np.column_stack([175 - radius * np.cos(angle), -radius * np.sin(angle)])
    return np.vstack([[0.0, 0.0], [100.0, 0.0], [50.0, 2.0], [50.0, -2.0], left, right])


def _mixture(n: int = 12_000, seed: int = 0) -> np.ndarray:
    """25 Gaussian clusters (sd 100-600 m) over 20 km and 30 % uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 20_000, (25, 2))
    sd = rng.uniform(100, 600, 25)
    n_noise = int(n * 0.3)
    which = rng.integers(0, 25, n - n_noise)
    clustered = centres[which] + rng.normal(size=(n - n_noise, 2)) * sd[which, None]
    return np.vstack([clustered, rng.uniform(0, 20_000, (n_noise, 2))])


def _exact_weights(xy: np.ndarray, min_cluster_size: int) -> np.ndarray:
    model = HDBSCAN(min_cluster_size=min_cluster_size).fit(xy)  # Prim's over all pairs
    return np.sort(np.asarray(model._single_linkage_tree_["value"], dtype=float))


def _as_points(xy: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:5514")


def test_blocked_bridge_is_neither_knn_nor_delaunay_and_the_tree_stays_exact() -> None:
    xy = _blocked_pattern()
    locations, inverse = np.unique(xy, axis=0, return_inverse=True)
    plain = mrgraph._candidate_graph(xy, locations, inverse.ravel(), n_neighbours=16)
    assert plain[0, 1] == 0  # the bridge u-v is not in the uncertified candidate graph
    plain_tree = HDBSCAN(min_cluster_size=5, min_samples=4, metric="precomputed").fit(plain)
    exact = _exact_weights(xy, 5)
    assert 100.0 in exact  # the bridge (weight max(core_u, core_v, 100) = 100) is in the tree
    plain_weights = np.sort(plain_tree._single_linkage_tree_["value"])
    assert not np.allclose(plain_weights, exact)  # the old graph missed it
    ours = clusters.mst_weights(_as_points(xy), min_cluster_size=5, mst="candidate_graph")
    assert_allclose(ours, exact, atol=1e-6)


@pytest.mark.slow
def test_mixture_of_25_gaussians_tree_equals_the_exact_one() -> None:
    xy = _mixture()
    found = clusters.clusters(_as_points(xy), min_cluster_size=15)
    assert found.attrs["params"]["hdbscan_mst"] == "candidate_graph"  # the default path
    ours = clusters.mst_weights(_as_points(xy), min_cluster_size=15)
    assert_allclose(ours, _exact_weights(xy, 15), atol=1e-6)


@pytest.mark.slow
def test_real_sf_tree_equals_the_exact_one() -> None:
    from apk_geo.points import read_points

    parts = [
        read_points(DATA / f"sf_{kind}_2012H2_geoda.gpkg")
        for kind in ("robbery", "cartheft", "drugs", "vandalism")
    ]
    pts = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)
    assert len(pts) == 13_472  # every row of the four files, as the issue measured
    xy = np.column_stack([pts.geometry.x, pts.geometry.y])
    ours = clusters.mst_weights(pts, min_cluster_size=15)
    exact = _exact_weights(xy, 15)
    # repeated locations are stored 1e-9 m apart in the graph, hence the tolerance
    assert_allclose(ours, exact, atol=1e-6)
    found = clusters.clusters(pts, min_cluster_size=15)
    assert found.attrs["params"]["mst_rounds"] >= 2  # the certificate had to extend the graph
