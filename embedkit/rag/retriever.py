"""Retrieval: embed passages once; for a query, return the passages whose vectors are closest.

The search itself is delegated to an *index*: any object with
``search(query_vectors, k) -> (scores, ids)``, the convention of faiss and of
the kit's vector-database wrappers. The default, :class:`ExactSearch`, is the
kit's exact cosine search (:class:`~embedkit.NeighborIndex`).

>>> from embedkit.rag import Retriever
>>> retriever = Retriever().fit(["Cats purr when content.", "Paris is the capital of France."])
>>> retriever.retrieve("What is France's capital city?", k=1).passage.tolist()
['Paris is the capital of France.']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.neighbors import NeighborIndex
from embedkit.rag.inputs import check_text, check_texts
from embedkit.validation import check_items, check_k

__all__ = ["ExactSearch", "Retriever"]


class ExactSearch:
    """Exact cosine top-k over ``vectors``, with the faiss-style ``search(queries, k) -> (scores, ids)``.

    >>> index = ExactSearch(np.eye(3))
    >>> scores, ids = index.search(np.array([[0.0, 1.0, 0.1]]), k=2)
    >>> ids.tolist()
    [[1, 2]]
    """

    def __init__(self, vectors: Any):
        self.neighbors_ = NeighborIndex(vectors)
        self.ntotal = len(self.neighbors_.unit_)

    def search(self, queries: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the ``k`` best rows for each query row: two ``(n_queries, k)`` arrays."""
        # NeighborIndex.query checks the queries (complex, ragged, NaN) before any conversion.
        ids, scores = self.neighbors_.query(queries, k)
        return np.atleast_2d(scores), np.atleast_2d(ids)


def _index_size(index: Any) -> int | None:
    for attribute in ("ntotal", "n_items", "size"):
        value = getattr(index, attribute, None)
        if isinstance(value, (int, np.integer)):
            return int(value)
    return None


class Retriever:
    """Embed passages once; for a query, return the ``k`` passages closest to it (cosine).

    ``embedder`` is any embedkit text embedder (default: ``SentenceEmbedder()``,
    all-MiniLM-L6-v2, whose vectors are cached on disk by content, so refitting
    on the same passages is instant). It is cloned and fitted on the passages,
    so a fitted one such as ``TfidfSvdEmbedder`` learns their vocabulary.

    ``index`` (optional) is any object with ``search(query_vectors, k) ->
    (scores, ids)``, such as a faiss index or the kit's vector-database
    wrappers. If it has ``add`` and is empty, :meth:`fit` adds the passages'
    unit-length vectors to it; otherwise it must already hold them, in order.
    Default: :class:`ExactSearch`.

    >>> r = Retriever().fit(["The heart pumps blood.", "Bread is baked."], sources=["bio", "food"])
    >>> r.retrieve("Which organ moves blood around?", k=1).source.tolist()
    ['bio']
    """

    def __init__(self, embedder: Any = None, index: Any = None):
        self.embedder = embedder
        self.index = index

    def fit(self, passages: Sequence[str], sources: Sequence[Any] | None = None) -> "Retriever":
        """Embed ``passages`` (texts) and index them; ``sources`` label each one (default: its position)."""
        from sklearn.base import clone

        from embedkit.sentence import SentenceEmbedder

        self.passages_ = check_texts(passages, "passage")
        self.sources_ = list(range(len(self.passages_))) if sources is None else check_items(sources, name="sources")
        if len(self.sources_) != len(self.passages_):
            raise InputError(f"Got {len(self.sources_)} sources for {len(self.passages_)} passages: pass one per passage.")
        if self.index is not None and not callable(getattr(self.index, "search", None)):
            raise InputError(f"index must have a search(query_vectors, k) -> (scores, ids) method; "
                             f"got {type(self.index).__name__}.")
        self.embedder_ = clone(self.embedder) if self.embedder is not None else SentenceEmbedder()
        self.embeddings_ = self.embedder_.fit(self.passages_).transform(self.passages_)
        self.index_ = self._build_index()
        return self

    def _build_index(self) -> Any:
        if self.index is None:
            return ExactSearch(self.embeddings_)
        index, size = self.index, _index_size(self.index)
        if callable(getattr(index, "add", None)) and not size:
            norms = np.linalg.norm(self.embeddings_, axis=1, keepdims=True)
            index.add(np.ascontiguousarray(self.embeddings_ / np.where(norms == 0, 1, norms), dtype=np.float32))
            size = _index_size(index)
        if size is not None and size != len(self.passages_):
            raise InputError(f"The index holds {size} vectors but {len(self.passages_)} passages were given: "
                             "pass an empty index (fit adds the passages) or one built on these passages, in order.")
        return index

    def search(self, queries: Sequence[str], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` passage positions and cosine scores for each query: two ``(n_queries, k)`` arrays.

        >>> Retriever().fit(["a red apple", "a fast car"]).search(["fruit", "vehicle"], k=1)[0].tolist()
        [[0], [1]]
        """
        if not hasattr(self, "index_"):
            raise InputError("This Retriever has no passages yet: call fit(passages) first.")
        queries = check_texts(queries, "query")
        k = check_k(k, len(self.passages_))
        vectors = np.asarray(self.embedder_.transform(queries), dtype=np.float32)
        scores, ids = self.index_.search(vectors, k)
        ids, scores = np.atleast_2d(np.asarray(ids)), np.atleast_2d(np.asarray(scores, dtype=np.float32))
        if (ids < 0).any() or ids.shape != (len(queries), k):  # faiss pads missing results with -1
            raise InputError(f"The index returned {ids.shape[1]} results with gaps for k={k}; "
                             "it may hold fewer vectors than passages.")
        return ids, scores

    def retrieve(self, query: str, k: int = 5) -> pd.DataFrame:
        """The ``k`` best passages for one query, best first: columns passage, score, source.

        The index is each passage's position in the fitted list.

        >>> Retriever().fit(["a red apple", "a fast car"]).retrieve("fruit", k=2).columns.tolist()
        ['passage', 'score', 'source']
        """
        indices, scores = self.search([check_text(query, "query")], k)
        hits = pd.DataFrame({"passage": [self.passages_[i] for i in indices[0]], "score": scores[0].round(4),
                             "source": [self.sources_[i] for i in indices[0]]}, index=indices[0])
        hits.index.name = "position"
        return hits
