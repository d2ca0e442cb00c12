from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from apk_geo import clusters
from apk_geo.errors import CRSError, InsufficientDataError
from apk_geo.points import read_points

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
    from apk_geo.schema import INCIDENT_COLUMNS, QUARANTINE_COLUMNS
    from apk_geo.store import open_store

    pts = _two_blobs()
    pts["source"] = "test"
    pts["id"] = [str(i) for i in range(len(pts))]
    pts["match"] = "exact"
    for col in INCIDENT_COLUMNS:
        if col not in pts.columns:
            pts[col] = None
    hostels = _layer([(150, 100)], name=["Hulvácká 8"], kind=["hostel"])
    stops = _layer([(2000, 30)], zast_jm=["Náměstí"])
    empty = stops.iloc[:0]
    city = gpd.GeoDataFrame(
        {"NAZEV": ["test"]},
        geometry=[shapely.box(X0 - 3000, Y0 - 3000, X0 + 5000, Y0 + 3000)],
        crs="EPSG:5514",
    )
    store = open_store(tmp_path / "store.gpkg")
    store.apply_import(
        incidents=pts,
        quarantine=pd.DataFrame({c: [] for c in QUARANTINE_COLUMNS if c != "imported_at"}),
        log={"source": "test", "file": "test.csv"},
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
