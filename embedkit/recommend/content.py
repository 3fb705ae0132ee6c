"""Content-based recommendation: "more like this", from the items' own embeddings.

Each item is a vector from any embedder (its text, its picture). A user's
profile is the (weighted) mean of the unit vectors of the items they used,
and the recommendations are the unseen items closest to it (cosine). Nothing
is learned from other users, so it works for items nobody has used yet (the
cold-start case), but it can only find what LOOKS alike.

>>> import numpy as np
>>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
>>> rec = ContentRecommender(vectors, items=["vim", "nvi", "gimp"]).fit({"user": ["a"], "item": ["vim"]})
>>> rec.recommend("a", k=1)["item"].tolist()
['nvi']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.recommend.base import Recommender
from embedkit.validation import check_embeddings

__all__ = ["ContentRecommender", "user_profiles", "unit_rows"]


def unit_rows(X: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, 1.0)


def user_profiles(item_vectors: Any, histories: list, weights: list | None = None) -> np.ndarray:
    """One profile per history: the weighted mean of its items' unit vectors, unit length.

    ``histories`` holds a list of item indexes per user; ``weights`` (optional)
    a matching list of per-item weights (e.g. more weight on recent items).

    >>> user_profiles([[1.0, 0.0], [0.0, 2.0]], [[0, 1]]).round(3).tolist()
    [[0.707, 0.707]]
    """
    V = unit_rows(check_embeddings(item_vectors, name="item_vectors", dtype=np.float64))
    if weights is not None and len(weights) != len(histories):
        raise InputError(f"weights has {len(weights)} entries for {len(histories)} histories.")
    profiles = np.zeros((len(histories), V.shape[1]))
    for u, history in enumerate(histories):
        history = np.asarray(history, dtype=int)
        if history.size == 0:
            raise InputError(f"History {u} is empty: a profile needs at least one item the user "
                             "liked. Recommend popular items to users without a history.")
        w = np.ones(len(history)) if weights is None else np.asarray(weights[u], dtype=float)
        if w.shape != history.shape or (w < 0).any() or w.sum() <= 0:
            raise InputError(f"weights[{u}] must be {len(history)} non-negative numbers, not all 0.")
        profiles[u] = w @ V[history] / w.sum()
    return unit_rows(profiles)


class ContentRecommender(Recommender):
    """Recommend the unseen items nearest to the user's profile in a content embedding.

    ``item_vectors`` (n_items x dim) are aligned with ``items`` (their names).
    ``recency`` > 0 weighs the i-th most recent item by ``exp(-recency * i)``.
    """

    def __init__(self, item_vectors: Any, items: Any, recency: float = 0.0):
        self.item_vectors = item_vectors
        self.items = items
        self.recency = recency

    def _fit(self, frame, users, items) -> None:
        V = check_embeddings(self.item_vectors, name="item_vectors", dtype=np.float64)
        if len(V) != len(self.items_):
            raise InputError(f"item_vectors has {len(V)} rows but items names {len(self.items_)}: "
                             "give one vector per item, in the same order.")
        if self.recency < 0:
            raise InputError(f"recency must be >= 0, got {self.recency}.")
        self.item_vectors_ = unit_rows(V)
        self.profiles_ = user_profiles(self.item_vectors_, self.histories_, self._weights())

    def _weights(self, histories: list | None = None) -> list:
        histories = self.histories_ if histories is None else histories
        return [np.exp(-self.recency * np.arange(len(h))[::-1]) for h in histories]

    def _score(self, users: np.ndarray) -> np.ndarray:
        return self.profiles_[users] @ self.item_vectors_.T

    def recommend_for_items(self, liked: Any, k: int = 10) -> pd.DataFrame:
        """Recommendations for a history given as item names (no user needed), liked excluded.

        >>> rec = ContentRecommender([[1, 0], [1, 0.2], [0, 1]], items=["a", "b", "c"])
        >>> rec.fit({"user": ["u"], "item": ["a"]}).recommend_for_items(["c"], k=1)["item"][0]
        'b'
        """
        history = self.item_indices(liked, name="liked")
        if len(history) == 0:
            raise InputError("liked is empty: name at least one item.")
        profile = user_profiles(self.item_vectors_, [history], self._weights([history]))[0]
        return self._ranked(self.item_vectors_ @ profile, history, k,
                            "catalogue items not in liked")
