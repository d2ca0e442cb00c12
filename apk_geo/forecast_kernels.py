r"""Kernel surfaces of the forecast on a square lattice, by FFT convolution.

Private to :mod:`apk_geo.forecast`. On a square grid (``grid.make_grid``; clipped edge cells
allowed), every cell sits on a lattice point of spacing ``cell_size_m``. Each cell's training
incidents are placed at its lattice point, and the quartic kernel mass they give every cell is
a convolution of the lattice of (normalised) source weights with the lattice kernel
:math:`K(d) = (1 - d^2/h^2)^2` for :math:`d < h`, weighted by cell area:

.. math::

    m_j = a_j \sum_s \frac{w_s\,K(d_{sj})}{\sum_k K(d_{sk})\,a_k}

(each source's mass sums to its weight over the cells of the grid). That is the exact quartic
sum at cell centres for sources at cell centres; it costs two FFTs per bandwidth instead of a
distance for every (source, cell) pair, so the tuning of hundreds of candidates on 100,000
incidents stays within seconds. The tuning uses these surfaces; the final surface is refitted
with the exact pairwise kernel of :mod:`apk_geo.surfaces` (each source at the mean location of
its cell's incidents) when that needs at most :data:`MAX_EXACT_PAIRS` (source, cell) pairs.
Grids whose cells do not sit on one square lattice (hexagons, arbitrary polygons) always use the
pairwise surfaces.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy.signal import fftconvolve

from apk_geo.capture import coverage_weights
from apk_geo.surfaces import _Data, _SourceShares, _Surfaces

#: Largest lattice (points) the FFT surfaces accept; larger grids use the pairwise surfaces.
MAX_LATTICE_POINTS: Final = 20_000_000

#: Most (source, cell) pairs for which the final surface uses the exact pairwise kernel.
MAX_EXACT_PAIRS: Final = 5_000_000

#: Tolerance, in cell sizes, for a full cell's centroid to count as on the lattice.
_ON_LATTICE_TOL: Final = 1e-6


class _LatticeSurfaces(_SourceShares[tuple[NDArray[np.float64], NDArray[np.float64]]]):
    """Kernel masses from the incidents of one period to every cell, by FFT convolution."""

    def __init__(
        self,
        data: _Data,
        index: tuple[NDArray[np.intp], NDArray[np.intp]],
        area: NDArray[np.float64],
        shape: tuple[int, int],
        cell_size_m: float,
    ) -> None:
        super().__init__(data, area)
        self.ix, self.iy = index
        self.shape = shape
        self.cell_size_m = cell_size_m
        self.area_lattice = np.zeros(shape)
        self.area_lattice[self.ix, self.iy] = area

    def kernel(self, bandwidth_m: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the lattice kernel and each source's kernel mass over the grid's cells."""
        r = math.floor(bandwidth_m / self.cell_size_m)
        off = np.arange(-r, r + 1) * self.cell_size_m
        d2 = off[:, None] ** 2 + off[None, :] ** 2
        k = np.where(d2 < bandwidth_m**2, (1 - d2 / bandwidth_m**2) ** 2, 0.0)
        row = fftconvolve(self.area_lattice, k, mode="same")
        at_src = row[self.ix[self.occupied], self.iy[self.occupied]]
        return k, np.maximum(at_src, 1e-300)

    def kde_share(
        self, kernel: tuple[NDArray[np.float64], NDArray[np.float64]], src_w: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Return each cell's share of the kernel mass."""
        k, row = kernel
        lattice = np.zeros(self.shape)
        lattice[self.ix[self.occupied], self.iy[self.occupied]] = src_w / row
        spread = fftconvolve(lattice, k, mode="same")[self.ix, self.iy]
        # FFT round-off: values below 1e-12 of the peak are zeros, the rest are rounded to 12
        # digits so that cells with equal exact masses stay one tie group
        peak = float(spread.max())
        spread = np.where(spread > 1e-12 * peak, np.round(spread / peak, 12) * peak, 0.0)
        mass = spread * self.area
        out: NDArray[np.float64] = mass / float(mass.sum())
        return out


Surfaces = _Surfaces | _LatticeSurfaces


def lattice_index(
    centroids: NDArray[np.float64], area: NDArray[np.float64], cell_size_m: float
) -> tuple[tuple[NDArray[np.intp], NDArray[np.intp]], tuple[int, int]] | None:
    """Return each cell's lattice position and the lattice shape, or None off a square lattice.

    The lattice has spacing ``cell_size_m`` and passes through the centroid of the largest
    cell; every full-size cell's centroid must lie on it and no two cells may share a point.
    """
    if len(area) == 0 or not cell_size_m > 0:
        return None
    ref = centroids[int(np.argmax(area))]
    rel = (centroids - ref) / cell_size_m
    idx = np.rint(rel).astype(np.int64)
    full = area >= area.max() * (1 - 1e-9)
    if np.abs(rel[full] - idx[full]).max() > _ON_LATTICE_TOL:
        return None
    idx -= idx.min(axis=0)
    shape = (int(idx[:, 0].max()) + 1, int(idx[:, 1].max()) + 1)
    if shape[0] * shape[1] > MAX_LATTICE_POINTS:
        return None
    flat = idx[:, 0] * shape[1] + idx[:, 1]
    if len(np.unique(flat)) != len(flat):
        return None
    return (idx[:, 0].astype(np.intp), idx[:, 1].astype(np.intp)), shape


def exact_is_affordable(data: _Data, *, max_bandwidth_m: float, cell_size_m: float) -> bool:
    """Return whether the pairwise kernel needs at most :data:`MAX_EXACT_PAIRS` pairs."""
    n_sources = len(np.unique(data.cell_pos))
    per_source = math.pi * (max_bandwidth_m / cell_size_m) ** 2 + 1
    return n_sources * per_source <= MAX_EXACT_PAIRS


def make_surfaces(
    data: _Data,
    centroids: NDArray[np.float64],
    area: NDArray[np.float64],
    *,
    max_bandwidth_m: float,
    cell_size_m: float,
    lattice: tuple[tuple[NDArray[np.intp], NDArray[np.intp]], tuple[int, int]] | None,
) -> Surfaces:
    """Return the FFT surfaces on a square lattice, else the exact pairwise ones."""
    if lattice is not None:
        return _LatticeSurfaces(data, lattice[0], area, lattice[1], cell_size_m)
    return _Surfaces(data, centroids, area, max_bandwidth_m)


def _top_weights(
    p: NDArray[np.float64],
    area: NDArray[np.float64],
    coverages: NDArray[np.float64],
    combine: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Return :func:`~apk_geo.capture.coverage_weights` (times ``combine``), sorting the top only.

    The cells that can be selected at the largest coverage are found by a partial sort; the
    result is exact because the tie groups above the partition cover the largest budget
    (otherwise every cell is sorted). ``combine`` (coverages x m) mixes the coverage columns,
    e.g. into a mean; ``None`` keeps them.
    """
    n = len(p)
    total = float(area.sum())
    mix = np.eye(len(coverages)) if combine is None else combine
    k = math.ceil(float(coverages.max()) * n * 1.5 * float(area.max()) / float(area.mean())) + 1
    if k >= n // 2:
        full: NDArray[np.float64] = coverage_weights(p, cell_area=area, coverages=coverages) @ mix
        return full
    part = np.argpartition(-p, k)
    top, rest_max = part[:k], float(p[part[k]])
    above = p[top] > rest_max
    if float(area[top][above].sum()) < float(coverages.max()) * total * (1 + 1e-9):
        out_full: NDArray[np.float64] = (
            coverage_weights(p, cell_area=area, coverages=coverages) @ mix
        )
        return out_full
    sub_area = area[top]
    shares = np.minimum(coverages * total / float(sub_area.sum()), 1.0)
    out = np.zeros((n, mix.shape[1]))
    out[top] = coverage_weights(p[top], cell_area=sub_area, coverages=shares) @ mix
    return out
