"""The plain geopandas + esda script that ``apk-geo hotspots --method gistar`` is measured against.

What an analyst writes without apk_geo to get the same answer from the same CSV: read it with
pandas, make points and project them to S-JTSK (EPSG:5514) with geopandas, lay square cells
aligned to multiples of the cell size over the points' convex hull buffered by one cell (the
cells that overlap it, as apk_geo keeps them), count the points per cell with ``gpd.sjoin``,
build binary distance-band weights over the cell centres with libpysal (the 8 neighbours and
the cell itself), compute Getis-Ord Gi* with ``esda.G_Local(star=True)``, adjust the two-sided
p-values with Benjamini-Hochberg (``scipy.stats.false_discovery_control``) and write the cells
to a GeoPackage. Nothing of apk_geo is imported.

Usage::

    .venv/bin/python benchmarks/plain_gistar.py INPUT.csv OUT.gpkg [--cell-size-m 100]

``benchmarks/hotspots_cli.py`` runs it as a whole process beside the ``apk-geo`` command and
prints the ratio of the two.
"""

from __future__ import annotations

import argparse
import math
import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from libpysal.weights import DistanceBand
from scipy import stats


def main(argv: list[str] | None = None) -> int:
    """Run CSV → S-JTSK → grid → Gi* → BH → GeoPackage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("out")
    parser.add_argument("--cell-size-m", type=float, default=100.0)
    args = parser.parse_args(argv)
    size = args.cell_size_m

    df = pd.read_csv(args.input)
    points = gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326"
    ).to_crs("EPSG:5514")

    hull = shapely.MultiPoint(shapely.get_coordinates(points.geometry.values)).convex_hull
    area = hull.buffer(size)
    minx, miny, maxx, maxy = area.bounds
    xs = np.arange(math.floor(minx / size) * size, maxx, size)
    ys = np.arange(math.floor(miny / size) * size, maxy, size)
    gx, gy = np.meshgrid(xs, ys)
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size, gy.ravel() + size)
    keep = shapely.intersects(area, boxes) & ~shapely.touches(area, boxes)
    cells = gpd.GeoDataFrame(geometry=boxes[keep], crs="EPSG:5514")

    joined = gpd.sjoin(points[["geometry"]], cells, how="inner", predicate="within")
    counts = joined.groupby("index_right").size().reindex(cells.index, fill_value=0)
    centres = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = DistanceBand.from_array(
            centres, threshold=size * math.sqrt(2) * (1 + 1e-6), binary=True, silence_warnings=True
        )
        g = esda.G_Local(
            counts.to_numpy(dtype=float), weights, transform="B", star=True, permutations=0
        )
    p = 2 * stats.norm.sf(np.abs(g.Zs))
    cells["n"] = counts.to_numpy()
    cells["gi_z"] = g.Zs
    cells["p_value"] = p
    cells["p_adjusted"] = stats.false_discovery_control(p, method="bh")
    cells.to_file(args.out, layer="hotspots", driver="GPKG")
    print(f"{len(points)} points, {len(cells)} cells -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
