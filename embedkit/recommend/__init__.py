"""Recommendation with embeddings: content-based, learned from interactions, and evaluated.

One module per idea: the interactions table and its splits (``interactions``),
the shared estimator contract (``base``), baselines (``baselines``),
"more like this" from item embeddings (``content``), BPR matrix factorisation
in PyTorch (``bpr``), item2vec with gensim (``item2vec``), score blending
(``hybrid``), ranking metrics (``metrics``), how much of a simulation's true
tastes a model recovered (``recovery``), the example data (``data``) and a
a panel of recommendations under the Explorer's map (``panel``).

>>> from embedkit.recommend import PopularityRecommender, leave_last_out, evaluate
>>> items, log = load_interactions()
>>> train, test = leave_last_out(log)
>>> 0 < evaluate(PopularityRecommender().fit(train), test)["hit_rate@10"] < 1
True
"""

from embedkit.recommend.base import Recommender
from embedkit.recommend.baselines import PopularityRecommender, RandomRecommender
from embedkit.recommend.bpr import BPRRecommender, bpr_loss, make_bpr_model
from embedkit.recommend.content import ContentRecommender, user_profiles
from embedkit.recommend.data import describe_items, load_interactions, load_true_factors
from embedkit.recommend.hybrid import HybridRecommender
from embedkit.recommend.interactions import (
    check_interactions,
    cold_start_split,
    leave_last_out,
    user_histories,
)
from embedkit.recommend.item2vec import Item2VecRecommender
from embedkit.recommend.panel import RecommendationPanel
from embedkit.recommend.metrics import (
    evaluate,
    evaluate_recommenders,
    held_out_ranks,
    hit_rate_at_k,
    ndcg_at_k,
)
from embedkit.recommend.recovery import factor_recovery

__all__ = [
    "BPRRecommender",
    "ContentRecommender",
    "HybridRecommender",
    "Item2VecRecommender",
    "PopularityRecommender",
    "RecommendationPanel",
    "RandomRecommender",
    "Recommender",
    "bpr_loss",
    "check_interactions",
    "cold_start_split",
    "describe_items",
    "evaluate",
    "evaluate_recommenders",
    "factor_recovery",
    "held_out_ranks",
    "hit_rate_at_k",
    "leave_last_out",
    "load_interactions",
    "load_true_factors",
    "make_bpr_model",
    "ndcg_at_k",
    "user_histories",
    "user_profiles",
]
