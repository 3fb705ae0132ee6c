"""embedkit.recommend: the interactions table, splits, metrics and clear errors (fast tests)."""
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import ndcg_score

from embedkit import EmbedkitError, InputError, UnknownNameError
from embedkit.recommend import (
    ContentRecommender,
    HybridRecommender,
    PopularityRecommender,
    RandomRecommender,
    check_interactions,
    cold_start_split,
    evaluate,
    held_out_ranks,
    hit_rate_at_k,
    leave_last_out,
    load_interactions,
    load_true_factors,
    ndcg_at_k,
    user_histories,
    user_profiles,
)

LOG = pd.DataFrame({"user": ["ann", "ann", "ann", "bob", "bob", "cy", "cy", "cy"],
                    "item": ["vim", "git", "tmux", "vim", "git", "git", "emacs", "vim"],
                    "step": [0, 1, 2, 1, 0, 0, 1, 2]})
CATALOGUE = ["emacs", "git", "gimp", "tmux", "vim"]


def test_metrics_match_a_hand_computed_case():
    recommended = [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]]
    held_out = ["a", "f", "z"]  # ranks 0, 2 and missed
    assert hit_rate_at_k(recommended, held_out, k=3) == pytest.approx(2 / 3)
    # NDCG: (1/log2(2) + 1/log2(4) + 0) / 3 = (1 + 0.5) / 3
    assert ndcg_at_k(recommended, held_out, k=3) == pytest.approx(0.5)
    assert hit_rate_at_k(recommended, held_out, k=2) == pytest.approx(1 / 3)
    assert ndcg_at_k(recommended, held_out, k=2) == pytest.approx(1 / 3)


def test_ndcg_agrees_with_scikit_learn_for_one_relevant_item():
    rng = np.random.default_rng(0)
    scores = rng.random((50, 20))
    relevant = rng.integers(20, size=50)
    truth = np.zeros_like(scores)
    truth[np.arange(50), relevant] = 1
    items = np.arange(20).astype(str)
    recommended = [items[np.argsort(-row)].tolist() for row in scores]
    ours = ndcg_at_k(recommended, items[relevant].tolist(), k=5)
    assert ours == pytest.approx(ndcg_score(truth, scores, k=5))


def test_leave_last_out_holds_out_each_users_latest_item():
    train, test = leave_last_out(LOG)
    assert dict(zip(test["user"], test["item"])) == {"ann": "tmux", "bob": "vim", "cy": "vim"}
    assert len(train) + len(test) == len(LOG)
    assert not set(zip(train["user"], train["item"])) & set(zip(test["user"], test["item"]))
    assert user_histories(LOG)["bob"] == ["git", "vim"]


def test_held_out_ranks_by_popularity_hand_computed():
    train, test = leave_last_out(LOG)
    model = PopularityRecommender(items=CATALOGUE).fit(train)
    # training keeps ann: vim git, bob: git, cy: git emacs
    counts = dict(zip(model.items_, model.counts_))
    assert counts == {"emacs": 1, "git": 3, "gimp": 0, "tmux": 0, "vim": 1}
    ranks = held_out_ranks(model, test)
    # ann has vim, git: candidates emacs(1) > gimp(0) = tmux(0): tmux ranks 1 or 2
    # bob has git: vim(1) ties emacs(1): rank 0 or 1; cy has git, emacs: vim(1) is first
    assert ranks[0] in (1, 2) and ranks[1] in (0, 1) and ranks[2] == 0
    assert evaluate(model, test, k=1)["hit_rate@1"] <= 2 / 3


def test_content_profile_is_the_mean_of_liked_item_vectors():
    profile = user_profiles([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[0, 1]])[0]
    assert profile == pytest.approx([np.sqrt(0.5), np.sqrt(0.5)])
    weighted = user_profiles([[1.0, 0.0], [0.0, 1.0]], [[0, 1]], weights=[[3.0, 1.0]])[0]
    assert weighted[0] > weighted[1]


def test_content_recommends_the_nearest_unseen_item():
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0, 0.9, 0.1], [0.9, 0.1, 0], [0, 0, 1]], float)
    model = ContentRecommender(vectors, CATALOGUE).fit(LOG)  # emacs git gimp tmux vim
    assert model.recommend("bob", k=1)["item"].tolist() == ["gimp"]  # bob has git and vim
    assert model.similar_items("emacs", k=1)["item"].tolist() == ["tmux"]
    assert model.recommend_for_items(["vim"], k=1)["item"].tolist() == ["gimp"]


def test_recency_weighs_the_latest_items_more():
    vectors = np.array([[1, 0], [0, 1], [0.9, 0.1], [0.1, 0.9], [0.5, 0.5]], float)
    log = pd.DataFrame({"user": ["u"] * 2, "item": ["emacs", "git"], "step": [0, 1]})
    flat = ContentRecommender(vectors, CATALOGUE).fit(log)
    recent = ContentRecommender(vectors, CATALOGUE, recency=2.0).fit(log)
    assert flat.profiles_[0] == pytest.approx([np.sqrt(0.5), np.sqrt(0.5)])
    assert recent.profiles_[0][1] > 0.9  # git, the latest install, dominates
    assert recent.recommend("u", k=1)["item"].tolist() == ["tmux"]
    with pytest.raises(InputError, match="recency"):
        ContentRecommender(vectors, CATALOGUE, recency=-1).fit(log)


def test_cold_start_split_hides_items_from_training():
    items, log = load_interactions()
    train, test, cold = cold_start_split(log, fraction=0.1, random_state=0)
    assert len(cold) == round(0.1 * log["item"].nunique())
    assert not set(train["item"]) & set(cold) and set(test["item"]) <= set(cold)
    assert cold_start_split(log, 0.1, random_state=0)[2] == cold


def test_bundled_log_and_true_factors_line_up():
    items, log = load_interactions()
    factors, tastes = load_true_factors()
    assert set(log["item"]) <= set(items["package"]) == set(factors.index)
    assert set(log["user"]) == set(tastes.index)
    assert not log.duplicated(["user", "item"]).any()
    assert np.allclose(np.linalg.norm(factors.to_numpy(), axis=1), 1, atol=1e-3)


# ----- bad input: clear embedkit errors that name the fix ----------------------------------
def test_duplicate_interactions_are_refused_with_the_fix():
    doubled = pd.concat([LOG, LOG.iloc[:1]])
    with pytest.raises(InputError, match="drop_duplicates"):
        PopularityRecommender().fit(doubled)


def test_unknown_user_and_unknown_item_name_the_problem():
    model = PopularityRecommender(items=CATALOGUE).fit(LOG)
    with pytest.raises(UnknownNameError, match="'anne'.*Did you mean 'ann'"):
        model.recommend("anne")
    with pytest.raises(UnknownNameError, match="not in the catalogue"):
        PopularityRecommender(items=["vim"]).fit(LOG)
    content = ContentRecommender(np.eye(5), CATALOGUE).fit(LOG)
    with pytest.raises(UnknownNameError, match="'vi'"):
        content.similar_items("vi")


def test_k_larger_than_the_catalogue_says_how_many_are_left():
    model = RandomRecommender(items=CATALOGUE).fit(LOG)
    with pytest.raises(InputError, match="k <= 2"):
        model.recommend("ann", k=10)  # ann has 3 of the 5 items
    assert len(model.recommend("ann", k=5, exclude_seen=False)) == 5
    with pytest.raises(InputError, match="candidate"):
        evaluate(model, leave_last_out(LOG)[1], k=6)


def test_empty_histories_and_empty_tables():
    with pytest.raises(InputError, match="History 0 is empty"):
        user_profiles(np.eye(2), [[]])
    content = ContentRecommender(np.eye(5), CATALOGUE).fit(LOG)
    with pytest.raises(InputError, match="empty"):
        content.recommend_for_items([])
    with pytest.raises(InputError, match="empty"):
        check_interactions(LOG.iloc[:0])
    with pytest.raises(InputError, match="rename"):
        check_interactions(LOG.rename(columns={"user": "user_id"}))


def test_unfitted_and_mismatched_models():
    with pytest.raises(InputError, match="fit"):
        PopularityRecommender().recommend("ann")
    with pytest.raises(InputError, match="one vector per item"):
        ContentRecommender(np.eye(3), CATALOGUE).fit(LOG)
    hybrid = HybridRecommender([PopularityRecommender(items=CATALOGUE),
                                PopularityRecommender(items=CATALOGUE[:4] + ["zsh"])])
    with pytest.raises(EmbedkitError):
        hybrid.fit(LOG)


def test_a_test_item_the_user_already_had_is_reported():
    model = PopularityRecommender().fit(LOG)
    with pytest.raises(InputError, match="leave_last_out"):
        evaluate(model, LOG.iloc[:1], k=2)
