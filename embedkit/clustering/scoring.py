"""Choose a number of clusters, and score clusterings against known labels.

- :func:`sweep_k`: k-means for each k in a range, with its inertia (for the
  elbow) and silhouette score (higher is better; it needs 2 <= k < items).
- :func:`score_clustering`: how far found clusters agree with known labels:
  adjusted Rand index (ARI, 0 = chance, 1 = identical) and normalised mutual
  information (NMI), plus how many clusters were found and the share of noise.
- :func:`clustering_table`: k-means and HDBSCAN over several versions of the
  same data (raw vectors, PCA, a 2-D map), all scored: one table.

Each calls scikit-learn (``KMeans``, ``HDBSCAN``, ``silhouette_score``,
``adjusted_rand_score``, ``normalized_mutual_info_score``) and checks the input first.

>>> import numpy as np
>>> X = np.r_[[[1, 0]] * 5, [[0, 1]] * 5] + np.random.default_rng(0).normal(0, 0.05, (10, 2))
>>> bool(sweep_k(X, [2, 3]).loc[2, "silhouette"] > 0.8)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from embedkit.clustering.naming import NOISE, check_clusters
from embedkit.errors import InputError
from embedkit.threads import check_threads
from embedkit.validation import check_embeddings

__all__ = ["clustering_table", "score_clustering", "sweep_k"]


def check_n_clusters(k: Any, n_items: int, *, need_silhouette: bool = False) -> int:
    """Return ``k`` as an int, or raise :class:`InputError` saying which k would work."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise InputError(f"k must be a whole number of clusters, got {k!r}.")
    low, high = (2, n_items - 1) if need_silhouette else (1, n_items)
    if k > high:
        raise InputError(
            f"k={int(k)} clusters is more than the {n_items} items allow"
            f"{' (the silhouette needs k < items)' if need_silhouette else ''}: choose k at most {high}, "
            "or cluster more items.")
    if k < low:
        raise InputError(f"k must be at least {low}{' for a silhouette score' if need_silhouette else ''}, got {int(k)}.")
    return int(k)


def sweep_k(X: Any, ks: Iterable[int] = range(2, 13), random_state: int = 0, n_init: int = 4,
            metric: str = "cosine", threads: int | None = 1) -> pd.DataFrame:
    """k-means for every k in ``ks``: inertia (elbow) and silhouette, one row per k.

    The silhouette uses ``metric`` (cosine by default, as embeddings are
    usually compared), k-means the usual Euclidean inertia. ``threads``: BLAS/OpenMP
    threads (None: the libraries' choice); small fits run faster on one on a busy machine.

    >>> X = np.r_[np.zeros((4, 2)), np.ones((4, 2))] + np.random.default_rng(1).normal(0, 0.1, (8, 2))
    >>> list(sweep_k(X, [2, 3]).columns)
    ['inertia', 'silhouette']
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits

    X = check_embeddings(X, min_rows=3)
    if metric not in ("cosine", "euclidean"):
        raise InputError(f"metric must be 'cosine' or 'euclidean', got {metric!r}.")
    ks = [check_n_clusters(k, len(X), need_silhouette=True) for k in ks]
    if not ks:
        raise InputError("ks is empty: pass the numbers of clusters to try, e.g. range(2, 13).")
    rows = {}
    with threadpool_limits(check_threads(threads)):
        for k in ks:
            model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(X)
            rows[k] = {"inertia": float(model.inertia_),
                       "silhouette": float(silhouette_score(X, model.labels_, metric=metric))}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "k"
    return table


def score_clustering(labels: Any, clusters: Any) -> dict[str, float]:
    """ARI and NMI of ``clusters`` against the known ``labels``, clusters found and noise share.

    HDBSCAN's noise points (-1) count as one more group: a clustering that
    leaves most points out cannot score well by doing so.

    >>> score_clustering(["a", "a", "b", "b"], [1, 1, 0, 0])["ARI"]
    1.0
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise InputError(f"labels must be one label per item (1-D), got shape {labels.shape}.")
    clusters = check_clusters(clusters, len(labels))
    noise = clusters == NOISE if clusters.dtype.kind in "iu" else np.zeros(len(clusters), bool)
    return {"ARI": float(adjusted_rand_score(labels, clusters)),
            "NMI": float(normalized_mutual_info_score(labels, clusters)),
            "clusters": int(len(set(clusters[~noise].tolist()))),
            "noise": float(noise.mean())}


def clustering_table(spaces: Mapping[str, Any], labels: Any, k: int | None = None,
                     min_cluster_size: int = 5, random_state: int = 0, threads: int | None = 1) -> pd.DataFrame:
    """Score k-means (k clusters) and HDBSCAN on each version of the data, one row each.

    ``spaces`` maps a name ("vectors", "PCA-50", "UMAP 2-D") to the same items'
    coordinates in that space; ``k`` defaults to the number of known labels.
    Returns ARI, NMI, clusters found and noise share per (space, method).
    ``threads`` as in :func:`sweep_k`.

    >>> X = np.r_[np.zeros((6, 3)), np.ones((6, 3))] + np.random.default_rng(0).normal(0, 0.05, (12, 3))
    >>> table = clustering_table({"vectors": X}, ["a"] * 6 + ["b"] * 6, min_cluster_size=3)
    >>> float(table.loc[("vectors", "k-means"), "ARI"])
    1.0
    """
    from sklearn.cluster import HDBSCAN, KMeans
    from threadpoolctl import threadpool_limits

    labels = np.asarray(labels)
    if not isinstance(spaces, Mapping) or not spaces:
        raise InputError("spaces must be a dict of name -> vectors, e.g. {'vectors': X, 'UMAP 2-D': U}.")
    n_labels = len(set(labels.tolist()))
    if n_labels < 2:
        raise InputError(f"labels hold a single class ({labels[0]!r}): scoring clusters against "
                         "known labels needs at least two classes.")
    rows = {}
    for name, X in spaces.items():
        X = check_embeddings(X, name=f"spaces[{name!r}]", min_rows=2)
        if len(X) != len(labels):
            raise InputError(f"spaces[{name!r}] has {len(X)} rows but labels has {len(labels)}: "
                             "pass one label per item, in the same order.")
        n_clusters = check_n_clusters(n_labels if k is None else k, len(X))
        with threadpool_limits(check_threads(threads)):
            found = {"k-means": KMeans(n_clusters=n_clusters, n_init=4, random_state=random_state).fit_predict(X),
                     "HDBSCAN": HDBSCAN(min_cluster_size=min(min_cluster_size, len(X)), copy=True).fit_predict(X)}
        for method, clusters in found.items():
            rows[(name, method)] = score_clustering(labels, clusters)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = ["space", "method"]
    return table
