"""How far a 2-D map can be trusted: neighbourhood preservation.

A map is faithful around a point when the point's nearest neighbours in the
original embedding space are still its nearest neighbours on the map. For
each point this module counts the fraction of its k high-dimensional
neighbours that are also among its k nearest points in 2-D (1.0: its
neighbourhood survived; 0.0: the map put it among strangers). The mean over
all points is one overall score. scikit-learn's
:func:`~sklearn.manifold.trustworthiness` is the classic rank-based measure of
the same idea; :func:`trustworthiness_score` wraps it for small data.

>>> import numpy as np
>>> from embedkit.faithfulness import neighborhood_preservation
>>> X = np.random.default_rng(0).normal(size=(60, 5))
>>> round(float(neighborhood_preservation(X, X[:, :2], k=5).mean()), 2) < 1.0
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError
from embedkit.neighbors import NeighborIndex
from embedkit.validation import check_embeddings, check_k

__all__ = [
    "kept_neighbor_fraction",
    "map_neighbors",
    "neighborhood_preservation",
    "trustworthiness_score",
]

#: trustworthiness builds an n x n distance matrix; above this it is skipped.
TRUSTWORTHINESS_MAX_POINTS = 5000


def map_neighbors(Y: Any, k: int) -> np.ndarray:
    """Indices of each point's k nearest other points on the map (Euclidean), ``n x k``.

    >>> map_neighbors(np.array([[0.0, 0], [1, 0], [5, 0]]), k=1).ravel().tolist()
    [1, 0, 1]
    """
    from sklearn.neighbors import NearestNeighbors

    Y = check_embeddings(Y, name="map coordinates", min_rows=2)
    k = check_k(k, len(Y) - 1)
    # Ask for one extra: each point is its own nearest neighbour on the map.
    found = NearestNeighbors(n_neighbors=k + 1).fit(Y).kneighbors(Y, return_distance=False)
    own = found == np.arange(len(Y))[:, None]
    # Drop the point itself (or, for exact duplicates, the last column).
    keep = np.where(own.any(axis=1, keepdims=True), ~own, np.arange(k + 1) < k)
    return found[keep].reshape(len(Y), k)


def kept_neighbor_fraction(
    high_neighbors: Any, Y: Any, k: int | None = None, rows: Any = None
) -> np.ndarray:
    """Per point, the fraction of its high-D neighbours that stay among its k map neighbours.

    ``high_neighbors`` is an ``n x K`` index array (e.g. from
    :meth:`NeighborIndex.all_neighbors`, reused rather than recomputed); its
    first ``k`` columns are used. With ``rows``, ``high_neighbors`` holds only
    those points' neighbours (a sample, for very large maps).

    >>> Y = np.array([[0.0, 0], [1, 0], [5, 0], [6, 0]])
    >>> kept_neighbor_fraction(np.array([[1], [0], [3], [2]]), Y, k=1).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    high = np.asarray(high_neighbors)
    if high.ndim != 2:
        raise InputError(f"high_neighbors must be an n x k index array, got shape {high.shape}.")
    Y = check_embeddings(Y, name="map coordinates", min_rows=2)
    rows = np.arange(len(Y)) if rows is None else np.asarray(rows)
    if len(high) != len(rows):
        raise InputError(
            f"high_neighbors has {len(high)} rows but the map has {len(rows)} points: "
            "they must describe the same points."
        )
    k = high.shape[1] if k is None else check_k(k, high.shape[1], name="k")
    low = map_neighbors(Y, k)[rows]
    high = high[:, :k]
    # Row-wise set overlap, vectorised: count each high-D neighbour found on the map.
    kept = (high[:, :, None] == low[:, None, :]).any(axis=2).sum(axis=1)
    return (kept / k).astype(np.float32)


def neighborhood_preservation(X: Any, Y: Any, k: int = 10) -> np.ndarray:
    """Per point kept-neighbour fraction, computing the high-D (cosine) neighbours of ``X``.

    >>> X = np.random.default_rng(1).normal(size=(40, 3))
    >>> neighborhood_preservation(X, X[:, :2], k=5).shape
    (40,)
    """
    X = check_embeddings(X, min_rows=2)
    Y = check_embeddings(Y, name="map coordinates", min_rows=2)
    if len(X) != len(Y):
        raise InputError(f"X has {len(X)} rows but the map has {len(Y)} points.")
    k = check_k(k, len(X) - 1)
    high, _ = NeighborIndex(X).all_neighbors(k)
    return kept_neighbor_fraction(high, Y, k)


def trustworthiness_score(X: Any, Y: Any, k: int = 10) -> float | None:
    """scikit-learn's trustworthiness (cosine) of map ``Y``; None above a size limit.

    >>> X = np.random.default_rng(2).normal(size=(50, 4))
    >>> trustworthiness_score(X, X[:, :2], k=5) > 0.5
    True
    """
    from sklearn.manifold import trustworthiness

    X = check_embeddings(X, min_rows=2)
    Y = check_embeddings(Y, name="map coordinates", min_rows=2)
    if len(X) > TRUSTWORTHINESS_MAX_POINTS:
        return None
    k = check_k(k, max(1, len(X) // 2 - 1))
    return float(trustworthiness(X, Y, n_neighbors=k, metric="cosine"))
