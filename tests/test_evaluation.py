import numpy as np
import pytest
from gensim.test.utils import datapath

from embedkit import InputError, UnknownNameError
from embedkit.evaluation import analogy_accuracy, knn_accuracy, precision_at_k, word_benchmarks, word_similarity
from embedkit.words import WordVectors, load_glove


@pytest.fixture(scope="module")
def glove():
    return load_glove()


def test_word_similarity_matches_gensim_and_counts_oov(glove):
    result = word_similarity(glove, "simlex999")
    pearson, spearman, oov = glove.evaluate_word_pairs(datapath("simlex999.txt"))
    assert result["spearman"] == pytest.approx(spearman.statistic)
    assert result["n_pairs"] == 999 and result["n_oov"] == round(oov * 999 / 100)


def test_word_similarity_counts_pairs_outside_a_small_vocabulary(glove):
    result = word_similarity(glove, "wordsim353", restrict_vocab=2000)
    assert 0 < result["n_oov"] < 353


def test_analogies_give_the_same_answers_as_gensim(glove):
    from pathlib import Path

    section = Path(datapath("questions-words.txt")).read_text().split(": ")[2]  # "capital-world"
    path = Path(__file__).parent / "_tmp_analogies.txt"
    path.write_text(": " + section)
    try:
        expected, _ = glove.evaluate_word_analogies(str(path), restrict_vocab=20_000)
    finally:
        path.unlink()
    result = analogy_accuracy(glove, restrict_vocab=20_000, sections=["capital-world"])
    assert result["accuracy"] == pytest.approx(expected)
    assert result["n_answered"] + result["n_skipped"] == result["n_questions"] == 4524


def test_analogy_accuracy_accepts_a_word_vectors_embedder():
    result = analogy_accuracy(WordVectors("glove-6b-50d"), sections=["family"])
    assert result["per_section"]["section"].tolist() == ["family"] and result["accuracy"] > 0.5


@pytest.mark.parametrize("call, error", [
    (lambda kv: word_similarity(kv, "wordsim"), UnknownNameError),
    (lambda kv: word_similarity(kv, "google-analogies"), InputError),
    (lambda kv: analogy_accuracy(kv, sections=["family-ties"]), UnknownNameError),
    (lambda kv: analogy_accuracy(kv, sections="family"), InputError),
    (lambda kv: analogy_accuracy(kv, restrict_vocab=0), InputError),
    (lambda kv: word_similarity("glove", "wordsim353"), InputError),
    (lambda kv: word_benchmarks({}), InputError),
])
def test_bad_benchmark_arguments(glove, call, error):
    with pytest.raises(error):
        call(glove)


def test_word_benchmarks_table(glove):
    table = word_benchmarks({"glove": glove}, analogy_sections=["family"])
    assert table.loc[0, "model"] == "glove" and table.loc[0, "vocabulary"] == 400_000
    assert 0.4 < table.loc[0, "wordsim353"] < 0.7 and table.loc[0, "simlex999_oov"] <= 2


# --- labelled embeddings -----------------------------------------------------------------------
@pytest.fixture
def blobs():
    from sklearn.datasets import make_blobs

    return make_blobs(n_samples=60, centers=[[5, 0, 0], [0, 5, 0], [0, 0, 5]], cluster_std=0.5, random_state=0)


def test_separated_classes_score_one_and_shuffled_labels_score_low(blobs):
    X, y = blobs
    assert knn_accuracy(X, y, k=5) == 1.0 and precision_at_k(X, y, k=10) == 1.0
    shuffled = np.random.default_rng(0).permutation(y)
    assert knn_accuracy(X, shuffled, k=5) < 0.6 and precision_at_k(X, shuffled, k=10) < 0.6


def test_leave_one_out_excludes_the_item_itself():
    X = [[1, 0], [0, 1], [0.1, 1]]
    # with itself counted, item 0 would be its own neighbour and right; left out, it is wrong
    assert knn_accuracy(X, ["a", "b", "b"], k=1) == pytest.approx(2 / 3)
    assert precision_at_k(X, ["a", "b", "b"], k=1) == pytest.approx(2 / 3)


def test_precision_at_k_is_the_share_of_same_label_neighbours():
    X = [[1, 0], [1, 0.1], [1, 0.2], [0, 1]]
    assert precision_at_k(X, ["a", "a", "b", "b"], k=2) == pytest.approx((1 / 2 + 1 / 2 + 0 + 1 / 2) / 4)


@pytest.mark.parametrize("X, labels, k, message", [
    ([[1, 0], [0, 1]], ["a"], 1, "one label per row"),
    ([[1, 0], [0, 1]], ["a", "a"], 1, "single class"),
    ([[1, 0], [0, 0]], ["a", "b"], 1, "all-zero"),
    ([[1, 0], [np.nan, 1]], ["a", "b"], 1, "NaN"),
    ([[1, 0]], ["a"], 1, "at least 2"),
    ([[1, 0], [0, 1]], ["a", "b"], 0, "at least 1"),
    ("text", ["a"], 1, "string"),
])
def test_bad_labelled_input(X, labels, k, message):
    for metric in (knn_accuracy, precision_at_k):
        with pytest.raises(InputError, match=message):
            metric(X, labels, k=k)
