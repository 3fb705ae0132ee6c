"""Learned recommenders on the bundled log: they beat popularity on held-out data, content
rescues new items, training is deterministic. Each model is trained once per module."""
import numpy as np
import pytest

from embedkit import TfidfSvdEmbedder
from embedkit.recommend import (
    BPRRecommender,
    ContentRecommender,
    HybridRecommender,
    Item2VecRecommender,
    PopularityRecommender,
    RandomRecommender,
    RecommendationPanel,
    cold_start_split,
    describe_items,
    evaluate,
    factor_recovery,
    leave_last_out,
    load_interactions,
    load_true_factors,
)


@pytest.fixture(scope="module")
def data():
    items, log = load_interactions()
    catalogue = items["package"].tolist()
    vectors = TfidfSvdEmbedder(n_components=64).fit_transform(describe_items(items))
    train, test = leave_last_out(log)
    return items, log, catalogue, vectors, train, test


@pytest.fixture(scope="module")
def warm(data):
    items, log, catalogue, vectors, train, test = data
    models = {"popular": PopularityRecommender(items=catalogue).fit(train),
              "content": ContentRecommender(vectors, catalogue).fit(train),
              "bpr": BPRRecommender(items=catalogue).fit(train),
              "item2vec": Item2VecRecommender(items=catalogue).fit(train)}
    models["hybrid"] = HybridRecommender(
        [models["content"], models["bpr"], models["item2vec"]], weights=[0.1, 0.45, 0.45],
        prefit=True).fit(train)
    return {name: evaluate(model, test) for name, model in models.items()}, models


@pytest.mark.parametrize("name", ["bpr", "item2vec", "hybrid"])
def test_learned_models_beat_popularity_on_held_out_items(warm, name):
    scores, _ = warm
    popular = scores["popular"]
    # measured lifts in hit-rate@10 are 1.5x-1.9x; ask for 1.2x, safe on other library versions
    assert scores[name]["hit_rate@10"] > 1.2 * popular["hit_rate@10"]
    assert scores[name]["ndcg@10"] > 1.2 * popular["ndcg@10"]


def test_content_beats_random_and_bpr_learns_more_of_the_true_tastes(data, warm):
    items, log, catalogue, vectors, train, test = data
    scores, models = warm
    random = evaluate(RandomRecommender(items=catalogue).fit(train), test)
    assert scores["content"]["hit_rate@10"] > 2 * random["hit_rate@10"]
    factors, _ = load_true_factors()
    true = factors.loc[catalogue].to_numpy()
    assert (factor_recovery(models["bpr"].item_vectors_, true)
            > factor_recovery(models["content"].item_vectors_, true) + 0.1)


def test_bpr_is_deterministic_and_its_loss_falls(data, warm):
    _, log, catalogue, *_ = data
    small = log[log["user"] < "u0300"]
    a = BPRRecommender(items=catalogue, epochs=3).fit(small)
    b = BPRRecommender(items=catalogue, epochs=3).fit(small)
    assert np.array_equal(a.item_vectors_, b.item_vectors_)
    losses = warm[1]["bpr"].loss_history_
    assert losses[-1] < 0.6 * losses[0]


def test_only_content_ranks_new_items(data):
    items, log, catalogue, vectors, *_ = data
    train, test, cold = cold_start_split(log, fraction=0.1, random_state=0)
    content = ContentRecommender(vectors, catalogue).fit(train)
    bpr = BPRRecommender(items=catalogue, epochs=5).fit(train)
    popular = PopularityRecommender(items=catalogue).fit(train)
    hybrid = HybridRecommender([content, bpr], prefit=True).fit(train)
    chance = 10 / len(cold)
    results = {name: evaluate(m, test, candidates=cold)["hit_rate@10"] for name, m in
               {"content": content, "bpr": bpr, "popular": popular, "hybrid": hybrid}.items()}
    assert results["content"] > 1.5 * chance
    assert abs(results["popular"] - chance) < 0.05 and abs(results["bpr"] - chance) < 0.05
    assert results["hybrid"] == pytest.approx(results["content"])  # falls back to content
    assert not bpr.known_items_[bpr.item_indices(cold)].any()
    with pytest.raises(Exception, match="content-based model"):
        bpr.similar_items(cold[0])


def test_the_panel_shows_learned_and_content_neighbours_for_a_click(data, warm):
    from embedkit import Explorer

    items, *_ = data
    models = warm[1]
    explorer = Explorer(models["bpr"].item_vectors_, items["text"].tolist(), method="pca",
                        k=5, background=False)
    panel = RecommendationPanel(explorer, models["bpr"], models["content"], k=5)
    explorer.select(0)  # what a click does
    assert items["package"][0] in panel.html.value and "looks like this" in panel.html.value
    table = panel.show(items["package"][0])
    assert table["also used"].tolist() == models["bpr"].similar_items(items["package"][0], 5)[
        "item"].tolist()
