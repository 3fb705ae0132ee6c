"""Exact cosine nearest neighbours.

Cosine similarity is a dot product of unit vectors, so the index normalises
the rows once and answers each query with one matrix-vector product followed
by a partial sort: one pass over the data, as fast as reading it from memory.

Results are deterministic: equal scores (duplicates, ties) are ordered by row
index, and "the neighbours of point i" leave out row i itself but keep any
exact duplicates of it, which really are its closest neighbours.

>>> import numpy as np
>>> from embedkit import NeighborIndex
>>> index = NeighborIndex(np.array([[1, 0], [0.9, 0.1], [0, 1]]))
>>> index.neighbors_of(0, k=1)[0].tolist()
[1]
"""

from __future__ import annotations

import numbers
import threading
from typing import Any

import numpy as np

from embedkit.errors import InputError
from embedkit.validation import check_embeddings, check_k, check_nonzero_rows

__all__ = ["NeighborIndex", "nearest_neighbors"]

# Scores closer than this count as tied, so duplicate rows order by index
# even when float rounding makes their dot products differ in the last bit.
_TIE_DECIMALS = 6


def _unit_rows(X: np.ndarray, name: str) -> np.ndarray:
    norms = check_nonzero_rows(X, name=name)
    return (X / norms[:, None]).astype(X.dtype, copy=False)


def _ndim(value: Any) -> int:
    try:
        return np.ndim(value)
    except (ValueError, TypeError):  # ragged lists: check_embeddings explains them
        return -1


def _query_vectors(queries: Any, dims: int) -> np.ndarray:
    """Query vector(s) as unit rows of ``dims`` numbers, or a clear InputError."""
    if not isinstance(queries, (str, bytes)) and _ndim(queries) == 1:
        queries = [queries]
    array = check_embeddings(queries, name="queries")
    if array.shape[1] != dims:
        raise InputError(
            f"queries have {array.shape[1]} dimensions but the index has "
            f"{dims}: embed them with the same model."
        )
    return _unit_rows(array, "queries")


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, highest first, ties by lower index."""
    if k < len(scores):
        cut = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= cut - 10.0 ** -_TIE_DECIMALS)
    else:
        candidates = np.arange(len(scores))
    rounded = np.round(scores[candidates], _TIE_DECIMALS)
    order = np.lexsort((candidates, -rounded))
    return candidates[order[:k]]


class NeighborIndex:
    """Exact cosine top-k search over the rows of ``X``.

    >>> import numpy as np
    >>> index = NeighborIndex(np.eye(3))
    >>> index.query([1.0, 0.1, 0.0], k=2)[0].tolist()
    [0, 1]
    """

    def __init__(self, X: Any):
        self.unit_ = np.ascontiguousarray(_unit_rows(check_embeddings(X), "embeddings"))
        self._buffers: dict[int, np.ndarray] = {}  # one score buffer per querying thread

    def _scores(self, vector: np.ndarray) -> np.ndarray:
        """Dot products of one unit ``vector`` with every row, in one pass over the matrix.

        einsum's contiguous row-dot loop reads the matrix at memory speed, while
        OpenBLAS's matrix-vector product on row-major data measured 2x slower on
        some CPUs (AMD EPYC). The result lands in this thread's reused buffer, so
        a click allocates nothing large: callers copy out what they keep.
        """
        buffer = self._buffers.get(threading.get_ident())
        if buffer is None:
            buffer = self._buffers[threading.get_ident()] = np.empty(self.n_items, self.unit_.dtype)
        return np.einsum("ij,j->i", self.unit_, vector.astype(self.unit_.dtype, copy=False),
                         out=buffer)

    @property
    def n_items(self) -> int:
        """Number of indexed rows."""
        return self.unit_.shape[0]

    def _vectors(self, queries: Any) -> np.ndarray:
        return _query_vectors(queries, self.unit_.shape[1])

    def query(self, queries: Any, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows for each query vector: ``(indices, scores)``.

        One vector gives 1-D results; a 2-D batch gives one row per query.

        >>> import numpy as np
        >>> NeighborIndex(np.eye(2)).query(np.eye(2), k=1)[0].tolist()
        [[0], [1]]
        """
        single = _ndim(queries) == 1
        vectors = self._vectors(queries)
        k = check_k(k, self.n_items)
        scores = self._scores(vectors[0])[None, :] if len(vectors) == 1 else vectors @ self.unit_.T
        indices = np.stack([_top_k(row, k) for row in scores])
        picked = np.take_along_axis(scores, indices, axis=1)
        return (indices[0], picked[0]) if single else (indices, picked)

    def neighbors_of(self, i: int, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Top-k neighbours of indexed row ``i``, leaving out ``i`` itself.

        >>> import numpy as np
        >>> NeighborIndex(np.array([[1, 0], [1, 0], [0, 1]])).neighbors_of(0, k=1)[0].tolist()
        [1]
        """
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not -self.n_items <= i < self.n_items:
            raise InputError(f"Point index {i!r} is out of range for {self.n_items} points.")
        i = int(i) % self.n_items
        k = check_k(k, self.n_items - 1)
        scores = self._scores(self.unit_[i])
        scores[i] = -np.inf  # the buffer is overwritten by the next search, never returned
        indices = _top_k(scores, k)
        return indices, scores[indices]

    def all_neighbors(self, k: int = 5, batch_rows: int = 512) -> tuple[np.ndarray, np.ndarray]:
        """The k-NN graph: for every row its top-k other rows, ``(n x k, n x k)``.

        Computed in blocks of ``batch_rows`` so memory stays at ``batch_rows x n``.

        >>> import numpy as np
        >>> NeighborIndex(np.eye(3) + 0.1).all_neighbors(k=1)[0].shape
        (3, 1)
        """
        k = check_k(k, self.n_items - 1)
        n = self.n_items
        indices = np.empty((n, k), dtype=np.int64)
        scores = np.empty((n, k), dtype=np.float32)
        for start in range(0, n, batch_rows):
            block = self.unit_[start : start + batch_rows] @ self.unit_.T
            rows = np.arange(start, start + len(block))
            block[rows - start, rows] = -np.inf
            for offset, row_scores in enumerate(block):
                top = _top_k(row_scores, k)
                indices[start + offset], scores[start + offset] = top, row_scores[top]
        return indices, scores


def _checked_with_norms(X: Any) -> tuple[np.ndarray, np.ndarray]:
    """``X`` as a float32 matrix and its row norms, in two passes and no copy of a float32 ``X``.

    A NaN or infinite entry makes its row's squared norm non-finite, so the
    norms pass doubles as the finiteness check; only then (or for a
    non-float32 input) does the full :func:`check_embeddings` run, for its
    exact message. Nothing is kept between calls, so a caller who edits ``X``
    in place always gets answers about the current data.
    """
    if not (isinstance(X, np.ndarray) and X.dtype == np.float32 and X.ndim == 2
            and X.shape[0] >= 1 and X.shape[1] >= 1):
        X = check_embeddings(X)
    squared = np.einsum("ij,ij->i", X, X)
    if not np.isfinite(squared).all():
        X = check_embeddings(X)  # raises for NaN/inf; else values were just too big to square in float32
        squared = np.einsum("ij,ij->i", X, X, dtype=np.float64)
    norms = np.sqrt(squared)
    zero = np.flatnonzero(norms == 0)
    if len(zero):
        raise InputError(
            f"embeddings has {len(zero)} all-zero row(s) (first: row {zero[0]}); cosine "
            "similarity is undefined for a zero vector. Drop those rows."
        )
    return X, norms


def nearest_neighbors(X: Any, query: Any = None, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine top-k: of ``query`` vector(s) among ``X``, or, with no query, of every row.

    Returns ``(indices, scores)``; scores are cosine similarities, highest first.
    A query costs two passes over ``X`` (its dot products and its row norms)
    and no normalised copy; for many queries on the same data, build a
    :class:`NeighborIndex` once (one pass per query). See benchmarks/bench_neighbors.py.

    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
    >>> nearest_neighbors(X, query=[1.0, 0.2], k=2)[0].tolist()
    [0, 2]
    """
    if query is None:
        return NeighborIndex(X).all_neighbors(k)
    single = _ndim(query) == 1
    X, norms = _checked_with_norms(X)
    vectors = _query_vectors(query, X.shape[1])
    k = check_k(k, X.shape[0])
    if len(vectors) == 1:
        scores = (np.einsum("ij,j->i", X, vectors[0].astype(X.dtype, copy=False)) / norms)[None, :]
    else:
        scores = (vectors.astype(X.dtype, copy=False) @ X.T) / norms[None, :]
    scores = scores.astype(np.float32, copy=False)
    indices = np.stack([_top_k(row, k) for row in scores])
    picked = np.take_along_axis(scores, indices, axis=1)
    return (indices[0], picked[0]) if single else (indices, picked)
