"""Density contours for a large map: where the points are, when a million of them overplot.

At 100,000s of points a scatter plot saturates: the dense cores of clusters
all look the same solid colour. Contour lines of the points' density (as
Embedding Atlas draws them) show the structure again. jupyter-scatter's own
``jscatter.Contour`` evaluates seaborn's ``kdeplot`` (scipy's exact
``gaussian_kde``, every point against every grid node): measured here, 10,000
points on its 200 x 200 grid took 3.7 s, so about 6 minutes at 1,000,000,
against 0.3 s for this module (``benchmarks/bench_explorer.py --parts
density``); it also needs seaborn (not installed with jupyter-scatter) and
mishandles its keyword arguments (``for key, value in kwargs`` unpacks each
key's characters). So this module does the standard scalable thing instead:

1. a binned KDE: ``numpy.histogram2d`` of the map coordinates on a grid, then
   ``scipy.ndimage.gaussian_filter`` (a Gaussian kernel, bandwidth by
   Silverman's rule), linear in the number of points;
2. levels chosen as highest-density regions: the line at level ``p`` encloses
   the densest part of the map holding a fraction ``p`` of the points;
3. contour lines by ``contourpy`` (matplotlib's own contouring library),
   thinned to a vertex budget so the lines travel as a small annotation.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> coords = np.vstack([rng.normal(-5, 1, (3000, 2)), rng.normal(5, 1, (3000, 2))])
>>> lines = density_lines(coords, fractions=(0.5,))
>>> len(lines), lines[0].shape[1]
(2, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = ["DENSITY_AUTO_POINTS", "DENSITY_FRACTIONS", "check_density_option", "density_grid",
           "density_lines", "wants_contours"]

#: With ``density_contours=None`` (the default) maps of at least this many points get
#: contours: from here on points are drawn at 2 px or less and the dense cores saturate.
DENSITY_AUTO_POINTS = 50_000
#: Each line encloses the densest region holding this fraction of the points.
DENSITY_FRACTIONS = (0.25, 0.5, 0.75, 0.9)
_GRID = 160
_MAX_VERTICES = 4_000  # all lines together: they are re-sent with every annotation change
_MIN_VERTICES = 8  # shorter closed lines are specks of noise at the outer levels


def check_density_option(value: Any) -> bool | None:
    """``density_contours=`` as given: True, False or None (automatic); anything else is an error.

    >>> check_density_option(None) is None
    True
    """
    if value is None or isinstance(value, (bool, np.bool_)):
        return None if value is None else bool(value)
    raise InputError(f"density_contours must be True, False or None (automatic: on from "
                     f"{DENSITY_AUTO_POINTS:,} points); got {value!r}.")


def wants_contours(option: bool | None, n: int) -> bool:
    """Whether a map of ``n`` points draws contours under ``option`` (see :func:`check_density_option`).

    >>> wants_contours(None, 1000), wants_contours(None, 100_000), wants_contours(True, 1000)
    (False, True, True)
    """
    return n >= DENSITY_AUTO_POINTS if option is None else option


def density_grid(coords: np.ndarray, grid: int = _GRID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The binned KDE of ``coords`` (n x 2): grid centres along x and y, and the density.

    The density is ``grid x grid`` (rows follow y), sums to 1, and covers the
    points with a margin of three bandwidths, so the outer lines close.

    >>> xs, ys, density = density_grid(np.random.default_rng(0).normal(size=(500, 2)), grid=40)
    >>> density.shape, round(float(density.sum()), 6)
    ((40, 40), 1.0)
    """
    from scipy.ndimage import gaussian_filter

    coords = np.asarray(coords)
    finite = np.isfinite(coords).all(axis=1)
    x, y = coords[finite, 0], coords[finite, 1]
    if len(x) < 2:
        raise InputError("Density contours need at least 2 points with finite coordinates.")
    # Silverman's rule per axis, with the robust spread (the smaller of std and IQR / 1.34).
    bandwidth = []
    for values in (x, y):
        q75, q25 = np.percentile(values, [75, 25])
        spread = min(float(np.std(values)), float(q75 - q25) / 1.34) or float(np.ptp(values)) or 1.0
        bandwidth.append(0.9 * spread * len(values) ** -0.2)
    edges = []
    for values, h in zip((x, y), bandwidth):
        low, high = float(values.min()) - 3 * h, float(values.max()) + 3 * h
        edges.append(np.linspace(low, high, grid + 1))
    counts, _, _ = np.histogram2d(x, y, bins=edges)
    sigma = [h / (e[1] - e[0]) for h, e in zip(bandwidth, edges)]
    density = gaussian_filter(counts, sigma=sigma, mode="constant").T  # rows follow y
    density /= density.sum()
    centres = [(e[:-1] + e[1:]) / 2 for e in edges]
    return centres[0], centres[1], density


def _levels(density: np.ndarray, fractions: tuple[float, ...]) -> list[float]:
    """The density value whose superlevel set holds each fraction of the mass (highest-density regions)."""
    ordered = np.sort(density.ravel())[::-1]
    mass = np.cumsum(ordered)
    return [float(ordered[min(np.searchsorted(mass, p), len(ordered) - 1)]) for p in fractions]


def density_lines(coords: np.ndarray, fractions: tuple[float, ...] = DENSITY_FRACTIONS,
                  grid: int = _GRID, max_vertices: int = _MAX_VERTICES) -> list[np.ndarray]:
    """Contour lines of the density of ``coords``, one ``m x 2`` array (map coordinates) per line.

    Lines come level by level, the outermost fraction first; within the vertex
    budget each line is thinned evenly (closed lines stay closed).

    >>> rng = np.random.default_rng(1)
    >>> [len(l) > 8 for l in density_lines(rng.normal(size=(2000, 2)), fractions=(0.5,))]
    [True]
    """
    import contourpy

    fractions = tuple(float(p) for p in fractions)
    if not fractions or not all(0 < p < 1 for p in fractions):
        raise InputError(f"Density contour fractions must be between 0 and 1 (exclusive), got {fractions}.")
    xs, ys, density = density_grid(coords, grid)
    generator = contourpy.contour_generator(xs, ys, density, line_type=contourpy.LineType.Separate)
    lines: list[np.ndarray] = []
    for level in _levels(density, tuple(sorted(fractions, reverse=True))):
        lines.extend(line for line in generator.lines(level) if len(line) >= _MIN_VERTICES)
    total = sum(len(line) for line in lines)
    if total > max_vertices:
        stride = int(np.ceil(total / max_vertices))
        lines = [np.vstack([line[:-1:stride], line[-1:]]) for line in lines]
    return [np.asarray(line, dtype=np.float32) for line in lines]
