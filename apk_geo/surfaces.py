"""Kernel surfaces of the forecast: incidents of one period spread over the cells.

:class:`_Surfaces` precomputes, for the training incidents, the quartic-kernel masses they give
every cell up to the largest candidate bandwidth, so the forecast's tuning evaluates hundreds of
(bandwidth, blend, half-life) candidates without recomputing distances. Private to
:mod:`apk_geo.forecast`, which re-exports nothing from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import geopandas as gpd
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.spatial import cKDTree


@dataclass(frozen=True)
class _Data:
    """Training incidents reduced to what the surface needs (positions into the cells)."""

    cell_pos: NDArray[np.intp]  # cell position of each incident (inside the grid only)
    xy: NDArray[np.float64]  # incident coordinates, shape (n, 2)
    t_days: NDArray[np.float64]  # incident time in days since the first training incident


KernelT = TypeVar("KernelT")


class _SourceShares(Generic[KernelT]):
    """The part of a period's surfaces that does not depend on how kernels are computed.

    One source per occupied cell; recency-weighted source counts, the count share and the
    blend of counts and kernel mass. Subclasses give :meth:`kernel` and :meth:`kde_share`.
    """

    def __init__(self, data: _Data, area: NDArray[np.float64]) -> None:
        self.data = data
        self.n_cells = len(area)
        self.area = area
        occupied, inverse = np.unique(data.cell_pos, return_inverse=True)
        self.occupied = occupied
        self.inverse = inverse

    def kernel(self, bandwidth_m: float) -> KernelT:
        """Return the kernel of ``bandwidth_m`` in the form :meth:`kde_share` takes."""
        raise NotImplementedError

    def kde_share(self, kernel: KernelT, src_w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each cell's share of the kernel mass."""
        raise NotImplementedError

    def source_weights(
        self, half_life_days: float | None, *, now_days: float
    ) -> NDArray[np.float64]:
        """Return the (recency-weighted) number of incidents of each source."""
        if half_life_days is None:
            w = np.ones(len(self.data.cell_pos))
        else:
            w = 0.5 ** ((now_days - self.data.t_days) / half_life_days)
        out: NDArray[np.float64] = np.bincount(
            self.inverse, weights=w, minlength=len(self.occupied)
        ).astype(float)
        return out

    def count_share(self, src_w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each cell's share of the weighted counts."""
        counts: NDArray[np.float64] = np.zeros(self.n_cells)
        counts[self.occupied] = src_w
        out: NDArray[np.float64] = counts / float(counts.sum())
        return out

    def share(
        self, bandwidth_m: float, blend: float, half_life_days: float | None, *, now_days: float
    ) -> NDArray[np.float64]:
        """Return the blended share of each cell (sums to 1)."""
        src_w = self.source_weights(half_life_days, now_days=now_days)
        counts = self.count_share(src_w)
        if blend == 0:
            return counts
        kde = self.kde_share(self.kernel(bandwidth_m), src_w)
        return (1 - blend) * counts + blend * kde


class _Surfaces(_SourceShares[sp.csr_array]):
    """Kernel masses from the incidents of one period to every cell, for bandwidths <= max_bw."""

    def __init__(
        self,
        data: _Data,
        centroids: NDArray[np.float64],
        area: NDArray[np.float64],
        max_bandwidth_m: float,
    ) -> None:
        super().__init__(data, area)
        # one source per occupied cell, at the mean location of its incidents
        occupied, inverse = self.occupied, self.inverse
        n_src = len(occupied)
        sx = np.bincount(inverse, weights=data.xy[:, 0], minlength=n_src)
        sy = np.bincount(inverse, weights=data.xy[:, 1], minlength=n_src)
        k = np.bincount(inverse, minlength=n_src).astype(float)
        src = np.column_stack([sx / k, sy / k])
        pairs = cKDTree(src).sparse_distance_matrix(
            cKDTree(centroids), max_bandwidth_m, output_type="ndarray"
        )
        self.src = np.asarray(pairs["i"], dtype=np.intp)
        self.dst = np.asarray(pairs["j"], dtype=np.intp)
        self.dist = np.asarray(pairs["v"], dtype=float)

    def kernel(self, bandwidth_m: float) -> sp.csr_array:
        """Return the (sources x cells) matrix of quartic kernel shares; each row sums to 1.

        A source whose kernel reaches no cell centroid keeps its whole mass in its own cell.
        """
        near = self.dist < bandwidth_m
        src, dst = self.src[near], self.dst[near]
        u = self.dist[near] / bandwidth_m
        k = (1 - u * u) ** 2 * self.area[dst]
        n_src = len(self.occupied)
        row = np.bincount(src, weights=k, minlength=n_src)
        lonely = np.flatnonzero(row <= 0)
        values = np.r_[k / row[src], np.ones(len(lonely))]
        rows = np.r_[src, lonely]
        cols = np.r_[dst, self.occupied[lonely]]
        return sp.csr_array((values, (rows, cols)), shape=(n_src, self.n_cells))

    def kde_share(self, kernel: sp.csr_array, src_w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each cell's share of the kernel mass."""
        mass: NDArray[np.float64] = np.asarray(kernel.T @ src_w, dtype=float)
        out: NDArray[np.float64] = mass / float(mass.sum())
        return out


def _subset(data: _Data, mask: NDArray[np.bool_]) -> _Data:
    return _Data(cell_pos=data.cell_pos[mask], xy=data.xy[mask], t_days=data.t_days[mask])


def _rank(p: NDArray[np.float64], cells: gpd.GeoDataFrame) -> NDArray[np.int64]:
    ids = cells["cell_id"].to_numpy()
    order = np.lexsort((ids, -p))
    rank = np.empty(len(p), dtype=np.int64)
    rank[order] = np.arange(1, len(p) + 1)
    return rank
