"""Cluster naming and clustering scores: real behaviour on small known data, and clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import embedkit as ek
from embedkit.clustering import central_items, clustering_table, name_clusters, score_clustering, sweep_k, top_terms


def blobs(n_per=20, centres=((0, 0, 5), (5, 0, 0), (0, 5, 0)), spread=0.3, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, spread, (n_per, len(c))) for c in centres])
    return X, np.repeat(np.arange(len(centres)), n_per)


TEXTS = ["the cat chases a mouse", "a cat sleeps in the sun", "the cat and the kitten purr",
         "the car needs fuel", "a car on the road", "the car engine is loud",
         "the apple is sweet", "an apple pie", "the apple tree"]
CLUSTERS = [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_top_terms_finds_each_clusters_own_word_not_the_shared_one():
    # "the" is a stop word; "shared" is in every text and must not win anywhere.
    texts = [t + " shared" for t in TEXTS]
    terms = top_terms(texts, CLUSTERS, n_terms=1, stop_words=["the", "a", "an", "and", "in", "on", "is"])
    assert terms == {0: ["cat"], 1: ["car"], 2: ["apple"]}


def test_top_terms_leaves_noise_out_and_accepts_string_cluster_names():
    clusters = ["pets", "pets", "pets", -1, -1, -1, "fruit", "fruit", "fruit"]
    terms = top_terms(TEXTS, np.array(clusters, dtype=object), n_terms=2)
    assert set(terms) >= {"pets", "fruit"} and terms["pets"][0] == "cat" and terms["fruit"][0] == "apple"
    noise_out = top_terms(TEXTS, [0, 0, 0, -1, -1, -1, 2, 2, 2])
    assert set(noise_out) == {0, 2} and not any("car" in t for t in noise_out.values())


def test_central_item_is_the_one_nearest_the_centroid_whatever_its_length():
    X = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0], [5.0, 5.0]])
    # Cluster 0: the middle direction (0.8,0.6)/(0.6,0.8) is nearest the mean of the unit vectors.
    found = central_items(X, [0, 0, 0, 0, 1], n=4)
    assert found[0][:2] in ([1, 2], [2, 1]) and found[0][2:] in ([0, 3], [3, 0]) and found[1] == [4]
    longer = X.copy(); longer[1] *= 100
    assert central_items(longer, [0, 0, 0, 0, 1], n=4) == found


def test_name_clusters_table_names_images_by_their_captions_and_audio_by_the_central_item():
    X, clusters = blobs(n_per=3)
    table = name_clusters(clusters, texts=TEXTS, X=X, n_terms=1, n_central=2)
    assert table["name"].tolist() == ["cat", "car", "apple"]
    assert table["size"].tolist() == [3, 3, 3]
    assert all(set(c) <= set(np.flatnonzero(clusters == cid)) for cid, c in table["central"].items())
    assert table.loc[0, "central_items"][0] in TEXTS[:3]
    paths = [f"clip_{i}.wav" for i in range(9)]
    by_item = name_clusters(clusters, X=X, items=paths, n_central=1)
    assert by_item.loc[1, "name"] == paths[by_item.loc[1, "central"][0]]
    assert "terms" not in by_item


def test_cluster_names_of_wordnet_categories_contain_their_words():
    glosses = ek.load_example("wordnet_glosses")
    terms = top_terms(glosses["text"].tolist(), glosses["category"].to_numpy(), n_terms=10)
    assert {"fish", "genus"} & set(terms["animal"]), terms["animal"]
    assert {"plant", "tree", "genus", "shrub", "flowers"} & set(terms["plant"]), terms["plant"]


def test_sweep_k_silhouette_peaks_at_the_true_number_of_blobs():
    X, _ = blobs()
    table = sweep_k(X, range(2, 7))
    assert table["silhouette"].idxmax() == 3
    assert table["inertia"].is_monotonic_decreasing


def test_score_clustering_is_blind_to_cluster_names_and_counts_noise():
    labels = np.repeat(["a", "b", "c"], 4)
    perfect = score_clustering(labels, np.repeat([2, 0, 1], 4))
    assert perfect["ARI"] == pytest.approx(1) and perfect["NMI"] == pytest.approx(1) and perfect["clusters"] == 3
    rng = np.random.default_rng(0)
    assert abs(score_clustering(np.repeat(np.arange(10), 50), rng.integers(0, 10, 500))["ARI"]) < 0.05
    noisy = score_clustering(labels, [0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1])
    assert noisy["noise"] == pytest.approx(1 / 3) and noisy["clusters"] == 2


def test_clustering_table_scores_kmeans_and_hdbscan_in_every_space():
    X, labels = blobs()
    table = clustering_table({"vectors": X, "first 2 dims": X[:, :2]}, labels)
    assert list(table.index) == [("vectors", "k-means"), ("vectors", "HDBSCAN"),
                                 ("first 2 dims", "k-means"), ("first 2 dims", "HDBSCAN")]
    assert table.loc[("vectors", "k-means"), "ARI"] == pytest.approx(1)
    assert table.loc[("vectors", "HDBSCAN"), "clusters"] == 3
    # The centres' first two coordinates, (0, 0), (5, 0) and (0, 5), still tell the blobs apart.
    assert table.loc[("first 2 dims", "k-means"), "ARI"] > 0.9


@pytest.mark.parametrize("call, words", [
    (lambda X, y: sweep_k(X, [2, 60]), ["k=60", "at most 59"]),
    (lambda X, y: clustering_table({"vectors": X}, y, k=100), ["k=100", "at most 60"]),
    (lambda X, y: clustering_table({"vectors": X}, y[:-1]), ["59", "one label per item"]),
    (lambda X, y: clustering_table({"vectors": X}, np.zeros(len(X))), ["single class"]),
    (lambda X, y: score_clustering(y, y[:10]), ["10 labels", "60 items"]),
    (lambda X, y: central_items(X, y[:5]), ["5 labels", "60 items"]),
    (lambda X, y: name_clusters(y, texts=["text"] * 59, X=X), ["59"]),
    (lambda X, y: top_terms(["a b"] * 60, -np.ones(60, int)), ["noise", "min_cluster_size"]),
    (lambda X, y: name_clusters(y), ["texts", "X"]),
])
def test_bad_input_gets_a_clear_error_naming_the_fix(call, words):
    X, labels = blobs()
    with pytest.raises(ek.InputError) as error:
        call(X, labels)
    for word in words:
        assert word in str(error.value), (word, str(error.value))
