"""A hybrid recommender: blend the scores of several models, per user, on one scale.

Scores from different models live on different scales (cosines, dot products
plus biases), so each model's scores for a user are standardised (z-scores
over the items that model knows) before a weighted sum. An item a model
cannot score (no interactions in training: ``known_items_`` False) is scored
by the other models alone, which is how content rescues new items.

>>> import numpy as np
>>> from embedkit.recommend import ContentRecommender, PopularityRecommender
>>> items, vectors = ["x", "y", "z"], np.eye(3)
>>> log = {"user": ["a", "b", "b"], "item": ["x", "x", "y"]}
>>> hybrid = HybridRecommender([ContentRecommender(vectors, items), PopularityRecommender(items)])
>>> hybrid.fit(log).recommend("a", k=1)["item"].tolist()
['y']
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone

from embedkit.errors import InputError
from embedkit.recommend.base import Recommender

__all__ = ["HybridRecommender"]


class HybridRecommender(Recommender):
    """Weighted sum of the per-user z-scored scores of ``recommenders``.

    By default each recommender is cloned and fitted on the hybrid's data;
    ``prefit=True`` uses them as they are (already fitted on the same data),
    like scikit-learn's ``cv="prefit"``, to save training them twice.
    """

    def __init__(self, recommenders: list, weights: Any = None, items: Any = None,
                 prefit: bool = False):
        self.recommenders = recommenders
        self.weights = weights
        self.items = items
        self.prefit = prefit

    def _catalogue(self) -> Any:
        if self.items is not None:
            return self.items
        given = [r.items for r in self.recommenders if getattr(r, "items", None) is not None]
        return given[0] if given else None

    def _fit(self, frame, users, items) -> None:
        if not isinstance(self.recommenders, (list, tuple)) or not self.recommenders or not all(
                isinstance(r, Recommender) for r in self.recommenders):
            raise InputError("recommenders must be a non-empty list of embedkit recommenders.")
        weights = np.ones(len(self.recommenders)) if self.weights is None else np.asarray(
            self.weights, dtype=float)
        if weights.shape != (len(self.recommenders),) or (weights < 0).any() or weights.sum() == 0:
            raise InputError(f"weights must be {len(self.recommenders)} non-negative numbers, "
                             "not all zero (one per recommender).")
        self.weights_ = weights / weights.sum()
        self.recommenders_ = []
        for recommender in self.recommenders:
            if self.prefit:
                fitted = recommender
                fitted._fitted()
                if list(fitted.users_) != list(self.users_):
                    raise InputError(f"The prefit {type(fitted).__name__} was fitted on other "
                                     "users: fit every recommender on the hybrid's data.")
            else:
                fitted = clone(recommender)
                if fitted.items is None:
                    fitted.set_params(items=list(self.items_))
                fitted.fit(frame)
            if list(fitted.items_) != list(self.items_):
                raise InputError(f"{type(fitted).__name__} has a different catalogue from the "
                                 "hybrid's: give every recommender the same items=.")
            self.recommenders_.append(fitted)

    def _score(self, users: np.ndarray) -> np.ndarray:
        total = np.zeros((len(users), len(self.items_)))
        weight = np.zeros(len(self.items_))
        names = self.users_[users]
        for w, model in zip(self.weights_, self.recommenders_):
            known = getattr(model, "known_items_", np.ones(len(self.items_), dtype=bool))
            scores = model.score_users(names)[:, known]
            spread = scores.std(axis=1, keepdims=True)
            z = (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
            total[:, known] += w * z
            weight[known] += w
        return total / np.where(weight > 0, weight, 1.0)
