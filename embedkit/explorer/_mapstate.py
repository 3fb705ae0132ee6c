"""What an Explorer's map is computed from: the neighbour graph, the projections, faithfulness.

No widgets here: :class:`MapState` holds the original vectors and everything
derived from them that a map needs, so :mod:`embedkit.explorer` only wires it
to the figure and the controls.

- One exact cosine k-NN graph of the original space, computed once (the widest
  k asked for so far), cached on disk, and reused by the neighbour panel, UMAP,
  the faithfulness score and the HTML export.
- Every projection asked for (method + settings), kept in memory and on disk;
  a slow one runs in a background thread and hands its coordinates to a callback.
  Building the graph is part of that slow work: a first map never waits for it
  (at 10,000 points it takes ~10 s on a busy 2-core machine).
- Per-point faithfulness of a map and seeded k-means clusters.

>>> import numpy as np
>>> from embedkit.explorer._mapstate import MapState
>>> state = MapState(np.random.default_rng(0).normal(size=(20, 4)), k=3)
>>> state.neighbors(0, 3)[0].shape
(3,)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from embedkit.cache import cached_array, content_hash
from embedkit.errors import InputError
from embedkit.faithfulness import kept_neighbor_fraction, trustworthiness_score
from embedkit.explorer._search import ExactCosine, UserIndex
from embedkit.projection import PROJECTION_METHODS, cached_projection, project
from embedkit.validation import check_k

__all__ = ["DEFAULT_PARAMS", "FAITHFULNESS_SAMPLE", "GRAPH_MAX_POINTS", "MapState",
           "SAMPLED_FIT_POINTS", "projection_settings"]

#: Above this many points the exact all-pairs k-NN graph is too slow to build
#: on a laptop: clicks query directly, UMAP searches itself, faithfulness samples.
GRAPH_MAX_POINTS = 20_000
FAITHFULNESS_SAMPLE = 3_000
#: Above this many points PCA and k-means are fitted on a seeded sample of this
#: size and applied block by block: a full fit copies the whole matrix again.
SAMPLED_FIT_POINTS = 100_000
DEFAULT_PARAMS = {"n_neighbors": 15, "min_dist": 0.1, "perplexity": 30.0}
_METHOD_PARAMS = {"umap": ("n_neighbors", "min_dist"), "tsne": ("perplexity",), "pca": ()}


def projection_settings(settings: dict, method: str | None = None, **params: Any) -> dict:
    """``settings`` with another method and/or parameters, checked.

    >>> projection_settings({"method": "pca", "random_state": 0, **DEFAULT_PARAMS}, "tsne")["method"]
    'tsne'
    """
    new = dict(settings, **({"method": method} if method else {}))
    unknown = set(params) - set(DEFAULT_PARAMS) - {"random_state"}
    if unknown or new["method"] not in PROJECTION_METHODS:
        raise InputError(f"Unknown method or parameter(s): {new['method']!r}, "
                         f"{sorted(unknown)}. Methods: {', '.join(PROJECTION_METHODS)}; "
                         f"parameters: {', '.join(DEFAULT_PARAMS)}, random_state.")
    new.update(params)
    return new


def _one_thread(method: str) -> contextlib.AbstractContextManager:
    """Run PCA's BLAS and t-SNE's OpenMP loops on one thread.

    Their threads wait for each other at every step, so on a busy or
    CPU-quota'd machine (a shared workshop server, Binder) extra threads mostly
    wait: measured on a loaded 2-core machine, PCA of 10,000 x 384 took 2.3 s
    with 2 BLAS threads and 0.04 s with one; t-SNE of 800 points 17 s and 2.6 s
    (same map). UMAP, seeded, runs on one thread anyway. The OpenMP limit holds
    for the calling thread only, so a background t-SNE leaves the kernel alone.
    """
    from threadpoolctl import threadpool_limits  # scikit-learn's own dependency

    api = {"pca": "blas", "tsne": "openmp"}.get(method)
    return threadpool_limits(1, user_api=api) if api else contextlib.nullcontext()


class _NotCached(Exception):
    """Raised inside :func:`cached_array` to look an entry up without computing it."""


def _from_disk(key: str) -> np.ndarray | None:
    def missing() -> np.ndarray:
        raise _NotCached

    try:
        return cached_array(key, missing)
    except _NotCached:
        return None


class MapState:
    """The vectors behind a map, their k-NN graph, the projections made so far, faithfulness.

    ``settings`` is the projection asked for last: ``method``, ``random_state``
    and the entries of :data:`DEFAULT_PARAMS`.

    >>> import numpy as np
    >>> state = MapState(np.eye(5) + 0.1, k=2)
    >>> state.knn_graph(2)[0].shape
    (5, 2)
    """

    def __init__(self, X: np.ndarray, k: int = 8, faithfulness_k: int = 10,
                 settings: dict | None = None, index: Any = None):
        self.X = X
        self.exact = ExactCosine(X)
        #: answers clicks and queries: the user's index if one was given, else exact search
        self.search_index = self.exact if index is None else UserIndex(index, X)
        self.k, self.faithfulness_k = k, faithfulness_k
        self.settings = dict(settings or {"method": "pca", "random_state": 0, **DEFAULT_PARAMS})
        self.worker: threading.Thread | None = None
        self._graph: tuple[np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()
        self._projections: dict[tuple, np.ndarray] = {}
        self._faithfulness: dict[tuple, np.ndarray] = {}
        self._clusters: np.ndarray | None = None

    # ----- neighbours (original space) ---------------------------------------------------
    def knn_graph(self, k: int | None = None,
                  compute: bool = True) -> tuple[np.ndarray, np.ndarray] | None:
        """Every point's ``k`` nearest other points (exact cosine): ``(indices, scores)``.

        Computed once (widest k asked so far), cached on disk, and reused by the
        neighbour panel, the faithfulness score, UMAP and the HTML export. With
        ``compute=False``, None unless it is in memory or on disk already (and
        no other thread is building it).
        """
        need = check_k(max(k or 0, self.k, self.faithfulness_k, self.settings["n_neighbors"] - 1),
                       len(self.X) - 1)
        if self._graph is None or self._graph[0].shape[1] < need:
            if not self._lock.acquire(blocking=compute):
                return None  # another thread is building it: not ready yet
            try:
                if self._graph is None or self._graph[0].shape[1] < need:
                    graph = self._load_graph(need, compute)
                    if graph is None:
                        return None
                    self._graph = graph
            finally:
                self._lock.release()
        indices, scores = self._graph
        width = need if k is None else check_k(k, len(self.X) - 1)
        return indices[:, :width], scores[:, :width]

    def _load_graph(self, need: int, compute: bool) -> tuple[np.ndarray, np.ndarray] | None:
        key = content_hash("knn-graph-cosine", self.X, need)
        if not compute:
            indices, scores = _from_disk(key + "-indices"), _from_disk(key + "-scores")
            return None if indices is None or scores is None else (indices, scores)
        parts: dict[str, np.ndarray] = {}

        def part(name: str) -> np.ndarray:
            if not parts:
                parts["indices"], parts["scores"] = self.exact.all_neighbors(need)
            return parts[name]

        return (cached_array(key + "-indices", lambda: part("indices")),
                cached_array(key + "-scores", lambda: part("scores")))

    def neighbors(self, i: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Point ``i``'s ``k`` nearest others: from the graph when it is there, else searched
        (by the user's index when one was given)."""
        graph = self._graph
        if self.search_index is self.exact and graph is not None and graph[0].shape[1] >= k:
            return graph[0][i, :k], graph[1][i, :k]
        return self.search_index.neighbors_of(i, k)

    def query(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows nearest a query ``vector``: ``(indices, scores)``."""
        scores, ids = self.search_index.search(vector[None, :], k)
        keep = (ids[0] >= 0) & (ids[0] < len(self.X))
        return ids[0][keep], scores[0][keep]

    def clusters(self, n_clusters: int = 8) -> np.ndarray:
        """Seeded k-means clusters of the (unit) embeddings, computed once."""
        if self._clusters is None:
            from sklearn.cluster import KMeans

            n_clusters = min(n_clusters, len(self.X))
            model = KMeans(n_clusters=n_clusters, random_state=0, n_init=3)
            model.fit(self.exact.unit_rows(self._fit_rows()))
            self._clusters = np.concatenate([model.predict(self.exact.unit_rows(block))
                                             for block in self._blocks()])
        return self._clusters

    def _fit_rows(self) -> Any:
        """Every row, or above :data:`SAMPLED_FIT_POINTS` a seeded sample of them."""
        n = len(self.X)
        if n <= SAMPLED_FIT_POINTS:
            return slice(None)
        return np.sort(np.random.default_rng(0).choice(n, SAMPLED_FIT_POINTS, replace=False))

    def _blocks(self, rows: int = 65_536) -> list[slice]:
        return [slice(start, start + rows) for start in range(0, len(self.X), rows)]

    def _sampled_pca(self, random_state: int) -> np.ndarray:
        """PCA fitted on a seeded sample, applied block by block (large maps: no second copy)."""
        from sklearn.decomposition import PCA

        def fit() -> np.ndarray:
            model = PCA(n_components=2, random_state=random_state).fit(self.X[self._fit_rows()])
            return np.concatenate([model.transform(self.X[block]) for block in self._blocks()])

        key = content_hash("sampled-pca", self.X, random_state, SAMPLED_FIT_POINTS)
        return np.asarray(cached_array(key, fit), dtype=np.float32)

    # ----- projections --------------------------------------------------------------------
    @staticmethod
    def projection_key(settings: dict) -> tuple:
        method = settings["method"]
        return (method, settings["random_state"], *(settings[p] for p in _METHOD_PARAMS[method]))

    @staticmethod
    def _uses_graph(settings: dict, n: int) -> bool:
        return settings["method"] == "umap" and n <= GRAPH_MAX_POINTS

    def _umap_graph(self, settings: dict) -> tuple[np.ndarray, np.ndarray] | None:
        if not self._uses_graph(settings, len(self.X)):
            return None
        return self.knn_graph(max(self.k, settings["n_neighbors"] - 1))

    def compute(self, settings: dict) -> np.ndarray:
        """Project with ``settings`` (from the disk cache when there)."""
        method = settings["method"]
        params = {p: settings[p] for p in _METHOD_PARAMS[method]}
        if method == "pca" and len(self.X) > SAMPLED_FIT_POINTS:
            return self._sampled_pca(settings["random_state"])
        knn = self._umap_graph(settings)
        with _one_thread(method):
            return project(self.X, method=method, random_state=settings["random_state"], knn=knn,
                           **params)

    def cached(self, settings: dict, compute_graph: bool = True) -> np.ndarray | None:
        """The projection for ``settings`` if it is in memory or on disk, else None.

        A cached UMAP is found through the k-NN graph it was made from; with
        ``compute_graph=False`` a graph that is not ready yet is not built here
        (that is slow work for the background thread): the answer is then None.
        """
        key = self.projection_key(settings)
        if key in self._projections:
            return self._projections[key]
        method = settings["method"]
        if method == "pca" and len(self.X) > SAMPLED_FIT_POINTS:
            return None  # quick to compute; hashing is most of a cache lookup's cost
        knn = None
        if self._uses_graph(settings, len(self.X)):
            knn = self.knn_graph(max(self.k, settings["n_neighbors"] - 1), compute=compute_graph)
            if knn is None:
                return None
        params = {p: settings[p] for p in _METHOD_PARAMS[method]}
        return cached_projection(self.X, method, random_state=settings["random_state"], knn=knn,
                                 **params)

    def remember(self, settings: dict, coords: np.ndarray) -> None:
        self._projections[self.projection_key(settings)] = coords

    def first_coords(self, background: bool) -> tuple[dict, np.ndarray]:
        """The first map ``(settings, coords)``: the one asked for if it is cached (or
        ``background`` is off), else PCA, which is quick, while the rest is done in the background."""
        settings = dict(self.settings)
        if settings["method"] != "pca":
            found = self.cached(settings, compute_graph=not background)
            if found is not None:
                self.remember(settings, found)
                return settings, found
            if background:
                settings["method"] = "pca"
        coords = self.compute(settings)
        self.remember(settings, coords)
        return settings, coords

    def start(self, settings: dict, done: Callable[[dict, np.ndarray], None],
              failed: Callable[[Exception], None]) -> None:
        """Compute ``settings`` in a background thread; then call ``done(settings, coords)``."""

        def run() -> None:
            try:
                done(settings, self.compute(settings))
            except Exception as error:  # noqa: BLE001 - reported to the learner, not lost in a thread
                failed(error)

        self.worker = threading.Thread(target=run, daemon=True, name="embedkit-projection")
        self.worker.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background projection (if any) has finished.

        Called from the background thread itself (a map arriving there is
        recoloured by faithfulness) it returns at once: a thread cannot wait for itself.
        """
        worker = self.worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout)

    # ----- faithfulness -------------------------------------------------------------------
    def faithfulness(self, coords: np.ndarray, settings: dict, k: int | None = None) -> np.ndarray:
        """Per point: the fraction of its k high-D neighbours among its k neighbours on ``coords``
        (the map made with ``settings``).

        Above ``GRAPH_MAX_POINTS`` a seeded sample is scored; the other points get NaN.
        """
        k = check_k(k or self.faithfulness_k, len(self.X) - 1)
        key = (self.projection_key(settings), k)
        if key not in self._faithfulness:
            if len(self.X) <= GRAPH_MAX_POINTS:
                values = kept_neighbor_fraction(self.knn_graph(k)[0], coords, k)
            else:
                rows = np.sort(np.random.default_rng(0).choice(len(self.X), FAITHFULNESS_SAMPLE,
                                                               replace=False))
                high = np.vstack([self.exact.neighbors_of(int(r), k)[0] for r in rows])
                values = np.full(len(self.X), np.nan, dtype=np.float32)
                values[rows] = kept_neighbor_fraction(high, coords, k, rows=rows)
            self._faithfulness[key] = values
        return self._faithfulness[key]

    def faithfulness_score(self, coords: np.ndarray, settings: dict,
                           k: int | None = None) -> dict[str, float | None]:
        """Mean kept-neighbour fraction, and scikit-learn's trustworthiness (small maps)."""
        kept = float(np.nanmean(self.faithfulness(coords, settings, k)))
        trust = trustworthiness_score(self.X, coords, k or self.faithfulness_k)
        return {"kept_fraction": round(kept, 4),
                "trustworthiness": None if trust is None else round(trust, 4)}
