"""Baselines every recommender must beat: random items, and the most popular items.

Popularity is a strong baseline on real logs (a few items get most of the
use), so "better than random" proves little: a learned model earns its keep
only by beating :class:`PopularityRecommender` on held-out data.

>>> log = {"user": ["a", "b", "b"], "item": ["x", "x", "y"]}
>>> PopularityRecommender().fit(log).score_users(["a"]).tolist()
[[2.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.recommend.base import Recommender
from embedkit.validation import check_int

__all__ = ["RandomRecommender", "PopularityRecommender"]


class RandomRecommender(Recommender):
    """Scores drawn at random (seeded): the floor any model must clear.

    >>> RandomRecommender().fit({"user": ["a"], "item": ["x"]}, ).score_users(["a"]).shape
    (1, 1)
    """

    def __init__(self, items: Any = None, random_state: int = 0):
        self.items = items
        self.random_state = random_state

    def _score(self, users: np.ndarray) -> np.ndarray:
        # one fixed random score table, so asking twice gives the same answer
        rng = np.random.default_rng(check_int(self.random_state, "random_state", minimum=0))
        table = rng.random((len(self.users_), len(self.items_)))
        return table[users]


class PopularityRecommender(Recommender):
    """Every user gets the items most users have: score = number of users who have the item.

    >>> log = {"user": ["a", "b", "c"], "item": ["x", "y", "y"]}
    >>> PopularityRecommender().fit(log).recommend("a", k=1)["item"].tolist()
    ['y']
    """

    def __init__(self, items: Any = None):
        self.items = items

    def _fit(self, frame, users, items) -> None:
        self.counts_ = np.bincount(items, minlength=len(self.items_)).astype(np.float64)

    def _score(self, users: np.ndarray) -> np.ndarray:
        return np.tile(self.counts_, (len(users), 1))
