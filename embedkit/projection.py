"""Project embeddings to 2-D (or 3-D) for a map: PCA, t-SNE or UMAP.

All three are seeded (``random_state=0``) so a lesson's map looks the same on
every machine, and cached on disk keyed by a hash of the data and the
settings, so a second run of the same cell (or a fresh kernel) skips the work.
UMAP and t-SNE use cosine distance by default, the distance embeddings are
usually compared with.

>>> import numpy as np
>>> from embedkit import project
>>> X = np.random.default_rng(0).normal(size=(50, 8))
>>> project(X, method="pca").shape
(50, 2)
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from embedkit.cache import cached_array, content_hash
from embedkit.errors import CacheUnavailableError, InputError, UnknownNameError, closest_names, require
from embedkit.validation import check_embeddings, check_int, check_nonzero_rows

__all__ = ["project", "cached_projection", "PROJECTION_METHODS"]

PROJECTION_METHODS = ("umap", "pca", "tsne")
_MIN_POINTS = {"pca": 2, "tsne": 4, "umap": 4}


def _pca(X: np.ndarray, n_components: int, random_state: int, **params: Any) -> np.ndarray:
    from sklearn.decomposition import PCA

    return PCA(n_components=n_components, random_state=random_state, **params).fit_transform(X)


def _tsne(X: np.ndarray, n_components: int, random_state: int, **params: Any) -> np.ndarray:
    from sklearn.manifold import TSNE

    params.setdefault("metric", "cosine")
    params.setdefault("init", "pca")
    perplexity = params.pop("perplexity", 30.0)
    if perplexity >= len(X):
        # scikit-learn requires perplexity < n_samples; say so rather than fail.
        perplexity = max(1.0, (len(X) - 1) / 3)
        warnings.warn(f"perplexity lowered to {perplexity:.1f} for {len(X)} points.", stacklevel=3)
    return TSNE(n_components=n_components, perplexity=perplexity, random_state=random_state,
                **params).fit_transform(X)


def _umap_knn(knn: tuple[np.ndarray, np.ndarray], n_neighbors: int) -> tuple | None:
    """UMAP's precomputed_knn from a cosine k-NN graph that leaves each row itself out.

    UMAP counts a point as its own first neighbour (distance 0), so that column
    is put back; a graph too narrow for ``n_neighbors`` is not used.
    """
    indices, scores = np.asarray(knn[0]), np.asarray(knn[1], dtype=np.float32)
    if indices.shape != scores.shape or indices.shape[1] < n_neighbors - 1:
        return None
    own = np.arange(len(indices))[:, None]
    keep = n_neighbors - 1
    full_indices = np.hstack([own, indices[:, :keep]]).astype(np.int32)
    distances = np.hstack([np.zeros_like(own, dtype=np.float32), np.clip(1 - scores[:, :keep], 0, 2)])
    return full_indices, distances.astype(np.float32), None


def _umap(X: np.ndarray, n_components: int, random_state: int, knn=None, **params: Any) -> np.ndarray:
    umap = require("umap", "core", "UMAP projections")
    params.setdefault("metric", "cosine")
    n_neighbors = params.pop("n_neighbors", 15)
    if n_neighbors >= len(X):
        n_neighbors = len(X) - 1
        warnings.warn(f"n_neighbors lowered to {n_neighbors} for {len(X)} points.", stacklevel=3)
    if knn is not None and params["metric"] == "cosine":
        precomputed = _umap_knn(knn, n_neighbors)
        if precomputed is not None:
            params["precomputed_knn"] = precomputed
    with warnings.catch_warnings():
        # umap warns that a seed disables parallelism: that is the point of the seed.
        warnings.filterwarnings("ignore", message=".*n_jobs.*overridden.*")
        # A reused graph has no search index; embedkit never calls transform on it.
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")
        reducer = umap.UMAP(n_components=n_components, n_neighbors=n_neighbors,
                            random_state=random_state, **params)
        return reducer.fit_transform(X)


_METHODS = {"pca": _pca, "tsne": _tsne, "umap": _umap}


def project(
    X: Any,
    method: str = "umap",
    n_components: int = 2,
    random_state: int = 0,
    cache: bool = True,
    knn: tuple[np.ndarray, np.ndarray] | None = None,
    **params: Any,
) -> np.ndarray:
    """Return a seeded, cached low-dimensional projection of the rows of ``X``.

    ``params`` go to the method: ``n_neighbors``/``min_dist`` for UMAP,
    ``perplexity`` for t-SNE, anything ``sklearn.decomposition.PCA`` takes.
    ``knn``: a cosine k-NN graph ``(indices, scores)`` from
    :meth:`NeighborIndex.all_neighbors`; UMAP reuses it instead of searching
    again (the other methods ignore it).

    >>> import numpy as np
    >>> project(np.eye(5), method="pca", n_components=3).shape
    (5, 3)
    """
    if method not in _METHODS:
        raise UnknownNameError(
            f"Unknown projection method {method!r}.{closest_names(str(method), PROJECTION_METHODS)} "
            f"Choose one of {', '.join(PROJECTION_METHODS)}."
        )
    X = check_embeddings(X, min_rows=_MIN_POINTS[method])
    if isinstance(n_components, bool) or not isinstance(n_components, numbers.Integral) \
            or not 1 <= n_components <= min(3, X.shape[1]):
        raise InputError(
            f"n_components must be 1, 2 or 3 (and at most the {X.shape[1]} input dimensions), "
            f"got {n_components!r}."
        )
    n_components = int(n_components)
    random_state = check_int(random_state, "random_state", minimum=0)
    if method != "pca" and params.get("metric", "cosine") == "cosine":
        check_nonzero_rows(X)  # cosine distance to a zero vector is undefined (NaN in the layout)
    key = content_hash("projection", X, method, n_components, random_state, params)
    if knn is not None and method == "umap":
        # An exact graph gives a (slightly) different map than UMAP's own search.
        params = dict(params, knn=(np.asarray(knn[0]), np.asarray(knn[1])))
        key = content_hash(key, "knn", params["knn"][0], params["knn"][1])
    else:
        params = dict(params)
    result = cached_array(
        key,
        lambda: _METHODS[method](X, n_components, random_state, **params),
        enabled=cache,
        description=f"{method} of {X.shape}",
    )
    return np.asarray(result, dtype=np.float32)


def cached_projection(
    X: Any, method: str = "umap", n_components: int = 2, random_state: int = 0,
    knn: tuple[np.ndarray, np.ndarray] | None = None, **params: Any,
) -> np.ndarray | None:
    """The projection :func:`project` would return, if it is already cached; else None.

    Lets a caller show a map at once when it can, and compute in the background when not.

    >>> import numpy as np
    >>> cached_projection(np.random.default_rng(5).normal(size=(9, 3)), method="pca") is None
    True
    """
    from embedkit.cache import cache_dir, _read_verified

    if method not in _METHODS:
        raise UnknownNameError(
            f"Unknown projection method {method!r}.{closest_names(str(method), PROJECTION_METHODS)} "
            f"Choose one of {', '.join(PROJECTION_METHODS)}."
        )
    X = check_embeddings(X)
    key = content_hash("projection", X, method, n_components, random_state, params)
    if knn is not None and method == "umap":
        key = content_hash(key, "knn", np.asarray(knn[0]), np.asarray(knn[1]))
    try:
        found = _read_verified(cache_dir() / key)
    except CacheUnavailableError:
        return None
    return None if found is None else np.asarray(found, dtype=np.float32)
