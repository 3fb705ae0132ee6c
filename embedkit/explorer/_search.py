"""Nearest neighbours for a map: exact cosine search over the Explorer's one copy of the vectors.

The Explorer owns one float32 copy of the embeddings (the caller's array is never
shared, so an in-place edit by the caller cannot change half of the map). This
index keeps only that copy and one inverse norm per row: cosine scores are the
dot products scaled by the norms, so no second, normalised copy of the data is
kept (at 1,000,000 x 64 that copy alone would be 256 MB).

A user's own index (faiss, LanceDB, ... any object with ``search(queries, k) ->
(scores, ids)``) can stand in for the query box and the neighbour panel:
:class:`UserIndex` adapts it.

>>> import numpy as np
>>> from embedkit.explorer._search import ExactCosine
>>> ExactCosine(np.array([[1.0, 0], [0.9, 0.1], [0, 1]], dtype=np.float32)).neighbors_of(0, 1)[0].tolist()
[1]
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from embedkit.errors import InputError
# One tie rule for every exact search in the kit: duplicates order by row index.
from embedkit.neighbors import _top_k

__all__ = ["ExactCosine", "UserIndex"]

_BLOCK_ROWS = 65_536


class ExactCosine:
    """Exact cosine top-k over the rows of ``X`` (float32, kept by reference, not copied).

    >>> import numpy as np
    >>> index = ExactCosine(np.eye(3, dtype=np.float32) + 0.1)
    >>> index.search(np.eye(3, dtype=np.float32)[:1], 2)[1].tolist()
    [[0, 1]]
    """

    def __init__(self, X: np.ndarray):
        self.X = X = np.asarray(X, dtype=np.float32)  # no copy when it is float32 already
        norms = np.empty(len(X), dtype=np.float32)
        for start in range(0, len(X), _BLOCK_ROWS):  # blocks: no n x d temporary
            norms[start:start + _BLOCK_ROWS] = np.linalg.norm(X[start:start + _BLOCK_ROWS], axis=1)
        zero = np.flatnonzero(norms == 0)
        if len(zero):
            raise InputError(f"embeddings have {len(zero)} all-zero row(s) (first: row {zero[0]}); "
                             "cosine similarity is undefined for a zero vector. Drop those rows.")
        self.inverse_norms = (1.0 / norms).astype(np.float32)
        self._buffers: dict[int, np.ndarray] = {}  # one score buffer per thread: clicks allocate nothing big

    def __len__(self) -> int:
        return len(self.X)

    def unit_rows(self, rows: Any = slice(None)) -> np.ndarray:
        """Rows ``rows`` divided by their norms (a new, small array)."""
        return self.X[rows] * self.inverse_norms[rows, None]

    def _scores(self, unit_query: np.ndarray) -> np.ndarray:
        buffer = self._buffers.get(threading.get_ident())
        if buffer is None:
            buffer = self._buffers[threading.get_ident()] = np.empty(len(self.X), np.float32)
        # einsum reads the row-major matrix at memory speed (BLAS gemv measured 2x slower here).
        np.einsum("ij,j->i", self.X, unit_query.astype(np.float32, copy=False), out=buffer)
        buffer *= self.inverse_norms
        return buffer

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows for each query row: ``(scores, ids)``, both ``len(queries) x k`` (faiss order)."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if queries.shape[1] != self.X.shape[1]:
            raise InputError(f"queries have {queries.shape[1]} dimensions but the map's embeddings "
                             f"have {self.X.shape[1]}: embed them with the same model.")
        norms = np.linalg.norm(queries, axis=1, keepdims=True)
        if (norms == 0).any():
            raise InputError("A query vector is all zeros: cosine similarity is undefined for it.")
        ids = np.empty((len(queries), k), dtype=np.int64)
        scores = np.empty((len(queries), k), dtype=np.float32)
        for row, query in enumerate(queries / norms):
            found = self._scores(query)
            ids[row] = _top_k(found, k)
            scores[row] = found[ids[row]]
        return scores, ids

    def neighbors_of(self, i: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Point ``i``'s ``k`` nearest other rows: ``(indices, scores)``."""
        found = self._scores(self.unit_rows(i))
        found[i] = -np.inf  # the buffer is overwritten by the next search, never returned
        indices = _top_k(found, k)
        return indices, found[indices].copy()

    def all_neighbors(self, k: int, batch_rows: int = 512) -> tuple[np.ndarray, np.ndarray]:
        """The k-NN graph: every row's top-k other rows, ``(n x k indices, n x k scores)``."""
        n = len(self.X)
        indices = np.empty((n, k), dtype=np.int64)
        scores = np.empty((n, k), dtype=np.float32)
        for start in range(0, n, batch_rows):
            rows = np.arange(start, min(n, start + batch_rows))
            block = (self.unit_rows(rows) @ self.X.T) * self.inverse_norms
            block[rows - start, rows] = -np.inf
            for offset, row_scores in enumerate(block):
                top = _top_k(row_scores, k)
                indices[start + offset], scores[start + offset] = top, row_scores[top]
        return indices, scores


class UserIndex:
    """A user's index with ``search(queries, k) -> (scores, ids)`` (faiss, LanceDB wrappers...).

    Answers the query box and the neighbour panel; the point itself is left out
    of its own neighbours. Scores are whatever that index returns.

    >>> import numpy as np
    >>> exact = ExactCosine(np.eye(4, dtype=np.float32) + 0.1)
    >>> UserIndex(exact, exact.X).neighbors_of(0, 2)[0].tolist()
    [1, 2]
    """

    def __init__(self, index: Any, X: np.ndarray):
        if not callable(getattr(index, "search", None)):
            raise InputError(f"index= must have a search(queries, k) -> (scores, ids) method; "
                             f"got a {type(index).__name__}.")
        self.index, self.X = index, X

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The user's index's answer, checked: ``(scores, ids)``, ``len(queries) x k``."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        scores, ids = self.index.search(queries, k)
        scores, ids = np.atleast_2d(np.asarray(scores, dtype=np.float32)), np.atleast_2d(np.asarray(ids))
        if ids.shape != scores.shape or len(ids) != len(queries):
            raise InputError(f"index.search returned scores {scores.shape} and ids {ids.shape} for "
                             f"{len(queries)} queries: expected two len(queries) x k arrays.")
        return scores, ids.astype(np.int64)

    def neighbors_of(self, i: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Point ``i``'s ``k`` nearest other rows, by the user's index."""
        scores, ids = self.search(self.X[i:i + 1], k + 1)
        keep = (ids[0] != i) & (ids[0] >= 0) & (ids[0] < len(self.X))  # faiss pads with -1
        return ids[0][keep][:k], scores[0][keep][:k]
