"""What every recommender shares: fitting on an interactions table, scoring, recommending.

A recommender follows the scikit-learn estimator contract: parameters in
``__init__``, learning in :meth:`Recommender.fit` (which returns ``self``),
fitted state in attributes ending in ``_``. Subclasses only say how to score
every catalogue item for some users (``_fit`` and ``_score``); this base
class checks the input, keeps the user and item indexes, and turns scores
into ranked, unseen recommendations.

>>> from embedkit.recommend import PopularityRecommender
>>> log = {"user": ["ann", "bob", "bob", "cy"], "item": ["vim", "vim", "git", "git"]}
>>> PopularityRecommender().fit(log).recommend("ann", k=1)["item"].tolist()
['git']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from embedkit.errors import InputError, UnknownNameError, closest_names
from embedkit.recommend.interactions import ITEM, STEP, USER, check_interactions
from embedkit.validation import check_items

__all__ = ["Recommender"]


def _check_k(k: Any, available: int, what: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a whole number >= 1, got {k!r}.")
    if k > available:
        raise InputError(f"k={k} is more than the {available} {what}; ask for k <= {available}.")
    return int(k)


class Recommender(BaseEstimator):
    """Base class: ``fit(interactions)``, then ``recommend(user, k)`` or ``score_users(users)``.

    ``items`` (optional, in every subclass) is the catalogue; by default it is
    the set of items seen in training.
    """

    items: Any = None

    # ----- fitting ----------------------------------------------------------------------
    def fit(self, interactions: Any, y: Any = None) -> "Recommender":
        """Learn from a (user, item[, step]) table; return ``self``."""
        given = self._catalogue()
        catalogue = None if given is None else [str(i) for i in check_items(given)]
        if catalogue is not None and len(set(catalogue)) != len(catalogue):
            raise InputError("items (the catalogue) lists some item twice; pass each item once.")
        frame = check_interactions(interactions, catalogue)
        if STEP in frame.columns:
            frame = frame.sort_values([USER, STEP], kind="stable")
        self.items_ = np.array(catalogue or sorted(set(frame[ITEM])), dtype=object)
        self.item_index_ = {item: i for i, item in enumerate(self.items_)}
        self.users_ = np.array(sorted(set(frame[USER])), dtype=object)
        self.user_index_ = {user: u for u, user in enumerate(self.users_)}
        users = frame[USER].map(self.user_index_).to_numpy()
        items = frame[ITEM].map(self.item_index_).to_numpy()
        self.seen_ = sp.csr_matrix((np.ones(len(frame), dtype=np.float32), (users, items)),
                                   shape=(len(self.users_), len(self.items_)))
        # each user's items in the order met (the table is sorted by step when it has one)
        self.histories_ = [np.asarray(h) for h in
                           pd.Series(items).groupby(users, sort=True).agg(list)]
        self._fit(frame, users, items)
        return self

    def _catalogue(self) -> Any:
        """The catalogue to fit with (subclasses may take it from elsewhere)."""
        return self.items

    def _fit(self, frame: pd.DataFrame, users: np.ndarray, items: np.ndarray) -> None:
        """Learn the model (subclasses); ``users``/``items`` are row-aligned indexes."""

    def _score(self, users: np.ndarray) -> np.ndarray:
        """Scores of every catalogue item for these user indexes: (len(users), n_items)."""
        raise NotImplementedError

    # ----- checking names ---------------------------------------------------------------
    def _fitted(self) -> None:
        if not hasattr(self, "items_"):
            raise InputError(f"This {type(self).__name__} is not fitted yet: call "
                             ".fit(interactions) first.")

    def user_indices(self, users: Any) -> np.ndarray:
        """Index of each user, or UnknownNameError naming the users the model never saw."""
        self._fitted()
        users = [str(u) for u in check_items(users, name="users")]
        unknown = [u for u in users if u not in self.user_index_]
        if unknown:
            raise UnknownNameError(
                f"{len(unknown)} user(s) were not in the training data, e.g. {unknown[0]!r}."
                f"{closest_names(unknown[0], list(self.user_index_)[:5000])} A model can only "
                "recommend for users it was fitted on: drop them, or recommend from their items "
                "with a content-based model (recommend_for_items).")
        return np.array([self.user_index_[u] for u in users], dtype=int)

    def item_indices(self, items: Any, name: str = "items") -> np.ndarray:
        """Index of each item, or UnknownNameError naming the items not in the catalogue."""
        self._fitted()
        items = [str(i) for i in check_items(items, name=name)]
        unknown = [i for i in items if i not in self.item_index_]
        if unknown:
            raise UnknownNameError(
                f"{len(unknown)} item(s) are not in the catalogue, e.g. {unknown[0]!r}."
                f"{closest_names(unknown[0], list(self.item_index_))} Fit with items=<the full "
                "catalogue> to include them.")
        return np.array([self.item_index_[i] for i in items], dtype=int)

    # ----- scoring and recommending -----------------------------------------------------
    def score_users(self, users: Any) -> np.ndarray:
        """Score every catalogue item for each user: an array (len(users), n_items).

        Higher is better; items a user already has are NOT masked here.
        """
        return np.asarray(self._score(self.user_indices(users)), dtype=np.float64)

    def _ranked(self, scores: np.ndarray, exclude: np.ndarray, k: int, what: str) -> pd.DataFrame:
        scores = scores.astype(np.float64).copy()
        scores[exclude] = -np.inf
        k = _check_k(k, int(np.isfinite(scores).sum()), what)
        top = np.argsort(-scores, kind="stable")[:k]
        return pd.DataFrame({"item": self.items_[top], "score": scores[top]})

    def recommend(self, user: Any, k: int = 10, exclude_seen: bool = True) -> pd.DataFrame:
        """The ``k`` best items for ``user`` (unseen ones by default): columns item, score.

        Raises for an unknown user and for ``k`` larger than the items left to recommend.
        """
        u = self.user_indices([user])
        exclude = self.seen_[u[0]].indices if exclude_seen else np.array([], dtype=int)
        return self._ranked(self._score(u)[0], exclude, k,
                            "catalogue items this user has not seen" if exclude_seen
                            else "items in the catalogue")

    def similar_items(self, item: Any, k: int = 10) -> pd.DataFrame:
        """The ``k`` items whose vectors are closest (cosine) to ``item``'s: columns item, score.

        For a model learned from interactions this is "people who used this also
        used"; for a content model, "looks like this".
        """
        i = self.item_indices([item], name="item")[0]
        if not hasattr(self, "item_vectors_"):
            raise InputError(f"{type(self).__name__} has no item vectors; similar_items needs a "
                             "content, BPR or item2vec model.")
        known = getattr(self, "known_items_", np.ones(len(self.items_), dtype=bool))
        if not known[i]:
            raise InputError(f"{item!r} has no interactions in the training data, so this model "
                             "learned no vector for it; use a content-based model for new items.")
        V = self.item_vectors_ / np.maximum(np.linalg.norm(self.item_vectors_, axis=1,
                                                           keepdims=True), 1e-12)
        scores = np.where(known, V @ V[i], -np.inf)
        return self._ranked(scores, np.array([i]), k, "other items with a vector")
