"""What every index and store in :mod:`embedkit.search` shares: one search contract.

``index.search(queries, k) -> (scores, ids)``:

- ``queries`` is an ``(m, d)`` float array, or one ``(d,)`` vector;
- ``scores`` are cosine similarities, highest first, shape ``(m, k)``
  (``(k,)`` for one vector); ``ids`` are int64 row positions into the items
  the index was built from, same shape;
- ``len(index)`` is the number of items, ``index.dim`` their dimension.

Anything with that method plugs into the RAG retriever and the Explorer's
query box. Queries are checked here, once, so every backend rejects the same
bad input with the same clear message.

>>> import numpy as np
>>> from embedkit.search import ExactIndex
>>> scores, ids = ExactIndex(np.eye(3)).search([1.0, 0.2, 0.0], k=2)
>>> ids.tolist()
[0, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = ["SearchIndex", "unit_rows", "check_queries", "check_search_k"]


def unit_rows(X: np.ndarray, name: str = "vectors") -> np.ndarray:
    """Rows of ``X`` scaled to length 1 (float32), refusing all-zero rows.

    >>> unit_rows(np.array([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    X = np.asarray(X)
    # Row norms by einsum: np.linalg.norm would first build an (n, d) temporary of squares.
    norms = np.sqrt(np.einsum("ij,ij->i", X, X))
    zero = np.flatnonzero(norms == 0)
    if len(zero):
        raise InputError(
            f"{name} has {len(zero)} all-zero row(s) (first: row {zero[0]}); cosine "
            "similarity is undefined for a zero vector. Drop those rows."
        )
    if X.dtype != np.float32:
        return np.ascontiguousarray(X / norms[:, None], dtype=np.float32)
    unit = np.array(X, order="C")  # the one copy the caller keeps, divided in place
    unit /= norms[:, None]
    return unit


def check_vectors(X: Any, name: str = "vectors") -> np.ndarray:
    """The items to index as a 2-D finite float32 array with at least one row.

    >>> check_vectors([[1, 2]]).shape
    (1, 2)
    """
    from embedkit.validation import check_embeddings

    if hasattr(X, "__len__") and not isinstance(X, (str, bytes)) and len(X) == 0:
        raise InputError(f"{name} is empty: an index needs at least one item to search.")
    return check_embeddings(X, name=name)


def check_queries(queries: Any, dim: int) -> tuple[np.ndarray, bool]:
    """Return ``(unit queries as (m, dim) float32, was_one_vector)`` or raise InputError.

    >>> q, single = check_queries([3.0, 4.0], dim=2)
    >>> q.shape, single
    ((1, 2), True)
    """
    if isinstance(queries, (str, bytes)) or (isinstance(queries, (list, tuple)) and queries
                                              and isinstance(queries[0], str)):
        raise InputError("queries must be vectors, not text: embed the text first, e.g. "
                         "index.search(embedder.transform(['my query']), k=5).")
    try:
        raw = np.asarray(queries)
        complex_input = np.iscomplexobj(raw)
        array = raw.astype(np.float32)
    except (TypeError, ValueError) as error:
        raise InputError(f"queries must be an array of numbers, shape (m, {dim}) or ({dim},): "
                         f"{error}") from None
    if complex_input:  # float32 would silently drop the imaginary part
        raise InputError("queries are complex numbers: pass real-valued query vectors "
                         "(take .real or np.abs if that is what you meant).")
    single = array.ndim == 1
    if single:
        array = array[None, :]
    if array.ndim != 2 or array.shape[0] == 0:
        raise InputError(f"queries must have shape (m, {dim}) or ({dim},), got {np.shape(queries)}.")
    if array.shape[1] != dim:
        raise InputError(
            f"queries have {array.shape[1]} dimensions but the index holds {dim}-dimensional "
            "vectors: embed the queries with the same model as the items."
        )
    bad = np.flatnonzero(~np.isfinite(array).all(axis=1))
    if len(bad):
        raise InputError(f"query row(s) {bad[:5].tolist()} contain NaN or infinite values: "
                         "recompute those query vectors (an empty text embeds to NaN in some models).")
    return unit_rows(array, "queries"), single


def check_search_k(k: Any, n_items: int) -> int:
    """``k`` as an int in ``1..n_items``: asking for more neighbours than items is an error.

    >>> check_search_k(5, 10)
    5
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise InputError(f"k must be a whole number, got {k!r}.")
    if n_items < 1:
        raise InputError("The index is empty: add items before searching.")
    if not 1 <= k <= n_items:
        raise InputError(f"k={k} but the index holds {n_items} item(s): choose k between 1 "
                         f"and {n_items}.")
    return int(k)


class SearchIndex:
    """Base class: subclasses set ``dim`` and ``_n`` and implement ``_search``.

    ``_search(unit_queries, k)`` gets checked, unit-length float32 queries of
    shape ``(m, dim)`` and returns ``(scores, ids)`` of shape ``(m, k)``.
    """

    dim: int
    _n: int

    def __len__(self) -> int:
        return self._n

    def search(self, queries: Any, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Cosine top-``k``: ``(scores, ids)``, each ``(m, k)``, or ``(k,)`` for one vector."""
        k = check_search_k(k, len(self))
        unit, single = check_queries(queries, self.dim)
        scores, ids = self._search(unit, k)
        scores, ids = np.asarray(scores, dtype=np.float32), np.asarray(ids, dtype=np.int64)
        return (scores[0], ids[0]) if single else (scores, ids)

    def _search(self, unit_queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} items x {self.dim} dims)"
