"""Approximate (and exact) cosine search with faiss, behind the kit's search contract.

faiss does the indexing; this wrapper only adds what a lesson needs: vectors
normalised once (so inner product = cosine), the kit's ``search`` signature
and input checks, a name per index kind, and the one knob that trades recall
for speed (``nprobe`` for IVF indexes, ``ef_search`` for HNSW).

Kinds (faiss factory strings in brackets):

- ``"flat"``: exact, brute force (``Flat``); the reference.
- ``"ivf"``: inverted file, ``nlist`` k-means cells, visits ``nprobe`` of them (``IVF{nlist},Flat``).
- ``"hnsw"``: graph search, ``m`` links per node (``HNSW{m},Flat``).
- ``"sq8"``: every number stored as one byte, 4x smaller, exact scan (``SQ8``).
- ``"ivfsq8"``: IVF cells holding one-byte codes (``IVF{nlist},SQ8``): approximate and 4x smaller.

(IVF-PQ is left out: its training did not finish in minutes on this machine's generic,
non-AVX faiss build; SQ8 is the quantiser that trains in seconds.)

>>> import numpy as np
>>> from embedkit.search import FaissIndex
>>> X = np.random.default_rng(0).normal(size=(500, 16)).astype("float32")
>>> index = FaissIndex(X, kind="hnsw")
>>> int(index.search(X[3], k=1)[1][0])
3
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError, require
from embedkit.search.base import SearchIndex, check_vectors, unit_rows
from embedkit.validation import check_int

__all__ = ["FaissIndex", "FAISS_KINDS"]

FAISS_KINDS = ("flat", "ivf", "hnsw", "sq8", "ivfsq8")


def _faiss():
    import logging

    logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # its INFO lines list CPU variants tried
    return require("faiss", "search", "FaissIndex (approximate nearest-neighbour search)")


class FaissIndex(SearchIndex):
    """A faiss index over ``vectors``, cosine similarity, built in ``__init__``.

    Parameters
    ----------
    vectors : (n, d) array
        Items to index; rows are normalised to unit length first.
    kind : {"flat", "ivf", "hnsw", "sq8", "ivfsq8"}
    nlist : int or None
        IVF cells; default ``4 * sqrt(n)`` (faiss's rule of thumb), at most n / 39.
    nprobe : int
        IVF cells visited per query (higher: better recall, slower); at most nlist.
    m : int
        HNSW links per node (higher: better recall, more memory, slower build).
    ef_construction, ef_search : int
        HNSW candidate-list sizes while building / searching.
    train_size : int
        At most this many rows (a seeded sample) train the IVF / PQ codebooks.
    threads : int or None
        faiss threads while building and searching; ``None`` keeps faiss's choice.
    random_state : int
        Seed of the k-means training (IVF kinds), for repeatable indexes.

    >>> X = np.random.default_rng(0).normal(size=(2000, 8)).astype("float32")
    >>> FaissIndex(X, kind="ivf", nprobe=4).nprobe
    4
    """

    def __init__(self, vectors: Any, kind: str = "hnsw", *, nlist: int | None = None,
                 nprobe: int = 16, m: int = 16, ef_construction: int = 40, ef_search: int = 64,
                 train_size: int = 50_000, threads: int | None = None, random_state: int = 0):
        if kind not in FAISS_KINDS:
            raise InputError(f"Unknown faiss index kind {kind!r}; choose one of {', '.join(FAISS_KINDS)}.")
        # faiss aborts the whole process (a C++ assertion) on an HNSW graph with m < 2.
        m = check_int(m, "m", minimum=2)
        ef_construction = check_int(ef_construction, "ef_construction")
        train_size = check_int(train_size, "train_size")
        nlist = check_int(nlist, "nlist", allow_none=True)
        faiss = _faiss()
        unit = unit_rows(check_vectors(vectors), "vectors")
        self._n, self.dim = unit.shape
        self.kind, self.threads = kind, threads
        if kind in ("ivf", "ivfsq8"):
            nlist = nlist or int(4 * np.sqrt(self._n))
            nlist = max(1, min(nlist, self._n // 39))  # faiss wants >= 39 training points per cell
        self.nlist = nlist
        factory = {"flat": "Flat", "ivf": f"IVF{nlist},Flat", "hnsw": f"HNSW{m},Flat",
                   "sq8": "SQ8", "ivfsq8": f"IVF{nlist},SQ8"}[kind]
        self.factory = factory
        with _threads(faiss, threads):
            index = faiss.index_factory(self.dim, factory, faiss.METRIC_INNER_PRODUCT)
            if kind == "hnsw":
                index.hnsw.efConstruction = ef_construction
            if kind in ("ivf", "ivfsq8"):
                index.cp.seed = random_state  # the k-means seed
            if not index.is_trained:
                sample = unit
                if len(unit) > train_size:  # k-means on a sample: same cells, a fraction of the time
                    rows = np.random.default_rng(random_state).choice(len(unit), train_size, replace=False)
                    sample = unit[np.sort(rows)]
                index.train(sample)
            index.add(unit)
        self.index_ = index
        self.nprobe = min(nprobe, nlist) if nlist else nprobe
        self.ef_search = ef_search

    @property
    def nprobe(self) -> int | None:
        """IVF cells visited per query (None for other kinds)."""
        return self._nprobe

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        if self.kind in ("ivf", "ivfsq8"):
            value = check_int(value, "nprobe", minimum=1, maximum=self.nlist)  # at most nlist cells exist
            self.index_.nprobe = value
            self._nprobe = value
        else:
            self._nprobe = None

    @property
    def ef_search(self) -> int | None:
        """HNSW candidates kept while searching (None for other kinds)."""
        return self._ef_search

    @ef_search.setter
    def ef_search(self, value: int) -> None:
        if self.kind == "hnsw":
            value = check_int(value, "ef_search", minimum=1)
            self.index_.hnsw.efSearch = value
            self._ef_search = value
        else:
            self._ef_search = None

    @property
    def nbytes(self) -> int:
        """Size of the index in memory, measured by serialising it.

        The bytes are counted as faiss writes them, not kept: a serialised copy
        would hold a second index in memory just to measure the first.
        """
        faiss = _faiss()
        written = 0

        def count(chunk: bytes) -> int:
            nonlocal written
            written += len(chunk)
            return len(chunk)

        writer = faiss.PyCallbackIOWriter(count)
        try:
            faiss.write_index(self.index_, writer)
        finally:
            del writer  # faiss flushes its last buffered chunk here
        return written

    def _search(self, unit_queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.kind == "hnsw" and self.index_.hnsw.efSearch < k:
            self.index_.hnsw.efSearch = k  # HNSW cannot return more than ef candidates
        with _threads(_faiss(), self.threads):
            scores, ids = self.index_.search(unit_queries, k)
        if self.kind == "hnsw":
            self.index_.hnsw.efSearch = self._ef_search
        # An IVF index with too small an nprobe may find fewer than k items: faiss pads with -1.
        if (ids < 0).any():
            raise InputError(
                f"The index found fewer than k={k} items for some queries (nprobe={self.nprobe} "
                f"visits too few of its {self.nlist} cells): raise nprobe or lower k."
            )
        return scores, ids

    def __repr__(self) -> str:
        return f"FaissIndex({len(self)} items x {self.dim} dims, {self.factory!r})"


class _threads:
    """Set faiss's OpenMP thread count inside a block, then restore it."""

    def __init__(self, faiss: Any, n: int | None):
        self.faiss, self.n = faiss, n

    def __enter__(self):
        if self.n is not None:
            self.before = self.faiss.omp_get_max_threads()
            self.faiss.omp_set_num_threads(int(self.n))

    def __exit__(self, *exc):
        if self.n is not None:
            self.faiss.omp_set_num_threads(self.before)
