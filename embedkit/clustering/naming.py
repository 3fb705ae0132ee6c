"""Name clusters automatically: their most telling words, and their most typical items.

Two complementary names for each cluster:

- :func:`top_terms`: class-based TF-IDF (c-TF-IDF, as in BERTopic). The texts of
  a cluster are read as one long document; a word scores high when it is
  frequent in that cluster and rare across the others.
- :func:`central_items`: the items nearest the cluster's centroid (cosine), the
  cluster's most typical members: a text, a thumbnail or a clip to look at.

:func:`name_clusters` puts both into one table, a row per cluster.

>>> texts = ["a cat purrs", "the cat sleeps", "a car drives", "the car honks"]
>>> top_terms(texts, [0, 0, 1, 1], n_terms=1)
{0: ['cat'], 1: ['car']}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.validation import check_embeddings, check_items

__all__ = ["NOISE", "central_items", "name_clusters", "top_terms"]

#: The cluster label HDBSCAN gives to points it leaves out of every cluster.
NOISE = -1


def check_clusters(clusters: Any, n_items: int | None = None, *, name: str = "clusters") -> np.ndarray:
    """Return cluster labels as a 1-D array, checking their number against the items."""
    array = np.asarray(clusters)
    if array.ndim != 1:
        raise InputError(f"{name} must be one label per item (1-D), got shape {array.shape}.")
    if n_items is not None and len(array) != n_items:
        raise InputError(
            f"{name} has {len(array)} labels but there are {n_items} items: pass one label per "
            "item, in the items' order (e.g. KMeans(...).fit_predict(X) on the same X)."
        )
    if len(array) == 0:
        raise InputError(f"{name} is empty: there is nothing to name.")
    return array


def _cluster_ids(clusters: np.ndarray) -> list:
    """The cluster labels present, as plain Python values, noise left out, sorted."""
    ids = pd.unique(clusters).tolist()
    if clusters.dtype.kind in "iu":
        ids = [c for c in ids if c != NOISE]
    return sorted(ids, key=lambda c: (str(type(c)), c))


def top_terms(texts: Any, clusters: Any, n_terms: int = 5, stop_words: str | list | None = "english",
              ngram_range: tuple[int, int] = (1, 1)) -> dict[Any, list[str]]:
    """The ``n_terms`` words that best tell each cluster apart (class-based TF-IDF).

    Per cluster, a word's score is its frequency in the cluster's texts (as a
    share of the cluster's words) times ``log(1 + A / f)``, where ``f`` is its
    frequency in all texts and ``A`` the average number of words per cluster.
    Noise points (label -1) are left out. Returns ``{cluster: [terms]}``, sorted
    by cluster label.

    >>> top_terms(["red apple", "green apple", "fast train", "slow train"], [1, 1, 2, 2], n_terms=1)
    {1: ['apple'], 2: ['train']}
    """
    from sklearn.feature_extraction.text import CountVectorizer

    texts = check_items(texts, name="texts")
    bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
    if bad is not None:
        raise InputError(f"texts must be strings; item {bad} is {type(texts[bad]).__name__}. "
                         "For images or audio, pass their names or captions as texts.")
    clusters = check_clusters(clusters, len(texts))
    if isinstance(n_terms, bool) or not isinstance(n_terms, (int, np.integer)) or n_terms < 1:
        raise InputError(f"n_terms must be a whole number of at least 1, got {n_terms!r}.")
    ids = _cluster_ids(clusters)
    if not ids:
        raise InputError("Every item is noise (-1): there is no cluster to name. "
                         "Try a smaller min_cluster_size, or k-means.")
    documents = [" ".join(t for t, c in zip(texts, clusters) if c == cid) for cid in ids]
    vectorizer = CountVectorizer(stop_words=stop_words, ngram_range=ngram_range)
    try:
        counts = vectorizer.fit_transform(documents).toarray().astype(float)
    except ValueError:
        raise InputError("The texts hold no words to count (empty, or only stop words).") from None
    words = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    average_words = counts.sum() / len(ids)
    idf = np.log1p(average_words / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    return {cid: [str(words[j]) for j in np.argsort(-row, kind="stable")[:n_terms] if row[j] > 0]
            for cid, row in zip(ids, scores)}


def central_items(X: Any, clusters: Any, n: int = 1) -> dict[Any, list[int]]:
    """Indices of the ``n`` items nearest each cluster's centroid (cosine), nearest first.

    The centroid is the mean of the cluster's unit vectors, so the answer does
    not depend on how long the vectors are. Noise points (label -1) are left out.

    >>> X = np.array([[1, 0], [0.9, 0.1], [0.7, 0.3], [0, 1]])
    >>> central_items(X, [0, 0, 0, 1])
    {0: [1], 1: [3]}
    """
    X = check_embeddings(X)
    clusters = check_clusters(clusters, len(X))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"n must be a whole number of at least 1, got {n!r}.")
    unit = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    found = {}
    for cid in _cluster_ids(clusters):
        members = np.flatnonzero(clusters == cid)
        centroid = unit[members].mean(axis=0)
        similarity = unit[members] @ centroid
        found[cid] = [int(i) for i in members[np.argsort(-similarity, kind="stable")[:n]]]
    return found


def name_clusters(clusters: Any, *, texts: Any = None, X: Any = None, items: Any = None,
                  n_terms: int = 3, n_central: int = 3, stop_words: str | list | None = "english") -> pd.DataFrame:
    """One row per cluster: its size, a short name, its top terms and its most central items.

    Parameters
    ----------
    clusters : one cluster label per item (-1 = noise, left out).
    texts : the items' texts, or for images and audio their names or captions:
        gives ``terms`` (class-based TF-IDF) and the ``name`` (the top ``n_terms`` joined).
    X : the items' vectors: gives ``central``, the indices of the ``n_central``
        items nearest each centroid (show them as thumbnails or clips).
    items : what to show for the central items (default: ``texts``); with no
        ``texts``, the name is the most central item.

    >>> table = name_clusters([0, 0, 0, 1], texts=["a cat purrs", "the cat sleeps", "a cat", "a car"],
    ...                       X=[[1, 0], [0.9, 0.2], [0.6, 0.8], [0, 1]], n_terms=1, n_central=1)
    >>> table[["size", "name", "central"]].to_dict("list")
    {'size': [3, 1], 'name': ['cat', 'car'], 'central': [[1], [3]]}
    """
    if texts is None and X is None:
        raise InputError("name_clusters needs texts (to find top terms), X (to find central items), or both.")
    n_items = len(check_items(texts, name="texts")) if texts is not None else len(check_embeddings(X))
    clusters = check_clusters(clusters, n_items)
    terms = top_terms(texts, clusters, n_terms=n_terms, stop_words=stop_words) if texts is not None else None
    central = central_items(X, clusters, n=n_central) if X is not None else None
    if X is not None and len(check_embeddings(X)) != n_items:
        raise InputError(f"X has {len(check_embeddings(X))} rows but texts has {n_items} items: "
                         "pass the vectors of the same items, in the same order.")
    shown = check_items(items if items is not None else texts, name="items") if (items is not None or texts is not None) else None
    if shown is not None and len(shown) != n_items:
        raise InputError(f"items has {len(shown)} entries but there are {n_items} cluster labels.")
    rows = []
    for cid in _cluster_ids(clusters):
        row: dict[str, Any] = {"cluster": cid, "size": int((clusters == cid).sum())}
        if terms is not None:
            row["name"] = " · ".join(terms[cid][:n_terms]) or f"cluster {cid}"
            row["terms"] = terms[cid]
        if central is not None:
            row["central"] = central[cid]
            if shown is not None:
                row["central_items"] = [shown[i] for i in central[cid]]
            if terms is None:
                row["name"] = str(shown[central[cid][0]]) if shown is not None else f"cluster {cid}"
        rows.append(row)
    table = pd.DataFrame(rows).set_index("cluster")
    return table[["size", "name"] + [c for c in ("terms", "central", "central_items") if c in table]]
