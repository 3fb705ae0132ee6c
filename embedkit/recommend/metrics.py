"""Ranking metrics on held-out items: hit-rate@k and NDCG@k, and a results table.

With one held-out item per user (leave-last-out), both metrics look at the
rank r (0 = top) of that item among the candidates a model ranks:
hit-rate@k is the share of users with r < k; NDCG@k gives 1/log2(r + 2) when
r < k and 0 otherwise, so a hit at the top counts 1, at rank 2 0.63, ...

>>> hit_rate_at_k([["a", "b"], ["c", "d"]], ["b", "x"], k=2)
0.5
>>> round(ndcg_at_k([["a", "b"], ["c", "d"]], ["b", "x"], k=2), 4)
0.3155
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.recommend.base import Recommender, _check_k
from embedkit.recommend.interactions import ITEM, USER, check_interactions

__all__ = ["hit_rate_at_k", "ndcg_at_k", "held_out_ranks", "evaluate", "evaluate_recommenders"]


def _ranks_in_lists(recommended: Any, held_out: Any, k: int) -> np.ndarray:
    if isinstance(recommended, (str, bytes)) or len(recommended) != len(held_out):
        raise InputError(f"recommended must hold one list per held-out item: got "
                         f"{len(recommended)} lists for {len(held_out)} items.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a whole number >= 1, got {k!r}.")  # a list may be shorter
    ranks = []
    for items, target in zip(recommended, held_out):
        items = list(items)[:k]
        if len(set(items)) != len(items):
            raise InputError("A recommendation list repeats an item; each item once per list.")
        ranks.append(items.index(target) if target in items else np.inf)
    return np.array(ranks, dtype=float)


def _hit_rate(ranks: np.ndarray, k: int) -> float:
    return float(np.mean(ranks < k))


def _ndcg(ranks: np.ndarray, k: int) -> float:
    gains = np.where(ranks < k, 1.0 / np.log2(np.minimum(ranks, k) + 2.0), 0.0)
    return float(np.mean(gains))


def hit_rate_at_k(recommended: Any, held_out: Any, k: int = 10) -> float:
    """Share of users whose held-out item is in their top ``k`` recommendations.

    >>> hit_rate_at_k([["x", "y"]], ["y"], k=1)
    0.0
    """
    return _hit_rate(_ranks_in_lists(recommended, held_out, k), k)


def ndcg_at_k(recommended: Any, held_out: Any, k: int = 10) -> float:
    """Mean NDCG@k with one relevant item per user: 1/log2(rank + 2) inside the top k, else 0.

    >>> ndcg_at_k([["y", "x"]], ["y"], k=2)
    1.0
    """
    return _ndcg(_ranks_in_lists(recommended, held_out, k), k)


def held_out_ranks(model: Recommender, test: Any, candidates: Any = None,
                   random_state: int = 0) -> np.ndarray:
    """0-based rank of each test row's item among the user's candidate items.

    Candidates are the catalogue (or ``candidates``) minus the items the user
    had in training. Ties are broken at random (seeded): a model that scores
    everything alike ranks like chance, not first.

    >>> from embedkit.recommend import PopularityRecommender
    >>> model = PopularityRecommender().fit({"user": ["a", "b", "b"], "item": ["x", "x", "y"]})
    >>> held_out_ranks(model, {"user": ["a"], "item": ["y"]}).tolist()
    [0]
    """
    test = check_interactions(test, name="test", allow_duplicates=True)
    users = model.user_indices(test[USER].tolist())
    targets = model.item_indices(test[ITEM].tolist(), name="test items")
    allowed = np.ones(len(model.items_), dtype=bool)
    if candidates is not None:
        allowed[:] = False
        allowed[model.item_indices(candidates, name="candidates")] = True
        if not allowed[targets].all():
            raise InputError("Some test items are not among the candidates; include them.")
    rng = np.random.default_rng(random_state)
    ranks = np.empty(len(test), dtype=int)
    for start in range(0, len(test), 512):  # a block of users at a time bounds the memory
        block = slice(start, start + 512)
        scores = model._score(users[block]).astype(np.float64)
        scores[:, ~allowed] = -np.inf
        seen = model.seen_[users[block]].tocoo()
        scores[seen.row, seen.col] = -np.inf
        rows = np.arange(scores.shape[0])
        target_scores = scores[rows, targets[block]]
        if not np.isfinite(target_scores).all():
            raise InputError("A test item is one its user already had in training: split with "
                             "leave_last_out (or drop such rows).")
        higher = (scores > target_scores[:, None]).sum(axis=1)
        ties = (scores == target_scores[:, None]).sum(axis=1) - 1
        ranks[block] = higher + np.floor(rng.random(len(ties)) * (ties + 1)).astype(int)
    return ranks


def evaluate(model: Recommender, test: Any, k: int = 10, candidates: Any = None) -> dict:
    """hit-rate@k and NDCG@k of a fitted ``model`` on held-out ``test`` rows.

    >>> from embedkit.recommend import PopularityRecommender
    >>> model = PopularityRecommender().fit({"user": ["a", "b", "b"], "item": ["x", "x", "y"]})
    >>> evaluate(model, {"user": ["a"], "item": ["y"]}, k=1)
    {'hit_rate@1': 1.0, 'ndcg@1': 1.0}
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a whole number >= 1, got {k!r}.")
    n_candidates = len(model.items_) if candidates is None else len(set(candidates))
    _check_k(k, n_candidates, "candidate items")
    ranks = held_out_ranks(model, test, candidates).astype(float)
    return {f"hit_rate@{k}": _hit_rate(ranks, k), f"ndcg@{k}": _ndcg(ranks, k)}


def evaluate_recommenders(models: dict, test: Any, k: int = 10, candidates: Any = None
                          ) -> pd.DataFrame:
    """One row per fitted model (dict name -> model): hit-rate@k and NDCG@k on ``test``.

    >>> from embedkit.recommend import PopularityRecommender
    >>> model = PopularityRecommender().fit({"user": ["a", "b", "b"], "item": ["x", "x", "y"]})
    >>> evaluate_recommenders({"popular": model}, {"user": ["a"], "item": ["y"]}, k=1).shape
    (1, 2)
    """
    if not isinstance(models, dict) or not models:
        raise InputError("models must be a dict of name -> fitted recommender.")
    rows = {name: evaluate(model, test, k, candidates) for name, model in models.items()}
    return pd.DataFrame.from_dict(rows, orient="index")
