"""Exact and faiss indexes: one search contract, agreement with brute force, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from embedkit import EmbedkitError, InputError, load_example
from embedkit.search import FAISS_KINDS, ExactIndex, FaissIndex, neighbor_recall
from embedkit.static_sentence import StaticSentenceEmbedder
from ranking import assert_same_ranking


@pytest.fixture(scope="module")
def glosses():
    """8,000 real WordNet glosses embedded by wordllama, and 100 gloss queries."""
    table = load_example("wordnet_all").sample(8100, random_state=0)
    vectors = StaticSentenceEmbedder(cache=False).transform(table["text"].tolist())
    return vectors[:8000], vectors[8000:]


def brute_force(X, Q, k):
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    q = Q / np.linalg.norm(Q, axis=1, keepdims=True)
    sims = q @ U.T
    return np.sort(sims, axis=1)[:, ::-1][:, :k], np.argsort(-sims, axis=1, kind="stable")[:, :k]


def test_exact_index_matches_brute_force_on_real_embeddings(glosses):
    X, Q = glosses
    scores, ids = ExactIndex(X).search(Q, k=10)
    true_scores, true_ids = brute_force(X.astype(np.float64), Q.astype(np.float64), 10)
    assert ids.shape == scores.shape == (100, 10) and ids.dtype == np.int64
    np.testing.assert_allclose(scores, true_scores, atol=1e-5)
    assert neighbor_recall(ids, true_ids) > 0.995  # only float32 near-ties may swap
    assert (np.diff(scores, axis=1) <= 1e-7).all(), "scores must come highest first"


def test_exact_index_normalises_once_and_accepts_one_vector(glosses):
    X, Q = glosses
    index = ExactIndex(X * 7.0)
    np.testing.assert_allclose(np.linalg.norm(index.vectors_, axis=1), 1.0, atol=1e-5)
    one_scores, one_ids = index.search(Q[0] * 3.0, k=5)
    both_scores, both_ids = index.search(Q[:2], k=5)
    assert one_ids.shape == (5,) and one_ids.tolist() == both_ids[0].tolist()
    np.testing.assert_allclose(one_scores, both_scores[0], atol=1e-6)
    assert len(index) == 8000 and index.dim == X.shape[1]


def test_an_item_finds_itself_first(glosses):
    X, _ = glosses
    scores, ids = ExactIndex(X).search(X[[5, 77, 4000]], k=1)
    assert ids[:, 0].tolist() == [5, 77, 4000]
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)


# recall@10 each faiss kind reached on these 8,000 real glosses at its default settings
# (flat 1.0, ivf 0.84, hnsw 0.96, sq8 0.997, ivfsq8 like ivf): real text is harder than
# random clusters. The bars sit a little below, far above what a broken index gives (~0).
RECALL_FLOOR = {"flat": 0.999, "ivf": 0.75, "hnsw": 0.88, "sq8": 0.98, "ivfsq8": 0.75}


@pytest.mark.parametrize("kind", FAISS_KINDS)
def test_faiss_indexes_agree_with_exact_search(glosses, kind):
    X, Q = glosses
    _, true_ids = ExactIndex(X).search(Q, k=10)
    index = FaissIndex(X, kind=kind, threads=1)
    scores, ids = index.search(Q, k=10)
    assert ids.shape == (100, 10) and len(index) == 8000 and index.dim == X.shape[1]
    assert neighbor_recall(ids, true_ids) >= RECALL_FLOOR[kind]
    assert (np.diff(scores, axis=1) <= 1e-5).all()
    one_scores, one_ids = index.search(Q[0], k=10)
    assert one_ids.shape == (10,)


def test_the_knob_trades_speed_for_recall(glosses):
    X, Q = glosses
    _, true_ids = ExactIndex(X).search(Q, k=10)
    ivf = FaissIndex(X, kind="ivf", nlist=128, threads=1)
    recalls = []
    for nprobe in (1, 8, 128):
        ivf.nprobe = nprobe
        recalls.append(neighbor_recall(ivf.search(Q, 10)[1], true_ids))
    assert recalls[0] < recalls[1] <= recalls[2] and recalls[2] > 0.999  # all cells = exact
    hnsw = FaissIndex(X, kind="hnsw", m=8, threads=1)
    hnsw.ef_search = 10
    low = neighbor_recall(hnsw.search(Q, 10)[1], true_ids)
    hnsw.ef_search = 256
    assert neighbor_recall(hnsw.search(Q, 10)[1], true_ids) > low


def test_quantised_index_is_smaller(glosses):
    X, _ = glosses
    assert FaissIndex(X, kind="sq8").nbytes < 0.3 * FaissIndex(X, kind="flat").nbytes


@pytest.mark.parametrize("make", [ExactIndex, lambda X: FaissIndex(X, kind="hnsw")],
                         ids=["exact", "faiss"])
def test_bad_queries_get_clear_errors(make):
    index = make(np.random.default_rng(0).normal(size=(50, 8)))
    with pytest.raises(InputError, match="8-dimensional"):
        index.search(np.ones(5), k=3)
    with pytest.raises(InputError, match="NaN"):
        index.search(np.full(8, np.nan), k=3)
    with pytest.raises(InputError, match="holds 50 item"):
        index.search(np.ones(8), k=51)
    with pytest.raises(InputError, match="at least|between 1"):
        index.search(np.ones(8), k=0)
    with pytest.raises(InputError, match="embed the text first"):
        index.search(["a cat"], k=1)
    with pytest.raises(InputError, match="zero vector"):
        index.search(np.zeros(8), k=1)


@pytest.mark.parametrize("make", [ExactIndex, FaissIndex])
def test_an_empty_or_broken_index_is_refused(make):
    with pytest.raises(EmbedkitError, match="empty"):
        make(np.empty((0, 4)))
    with pytest.raises(EmbedkitError, match="NaN"):
        make(np.array([[1.0, np.nan]]))
    with pytest.raises(EmbedkitError, match="all-zero"):
        make(np.zeros((3, 4)))


def test_faiss_settings_are_checked():
    X = np.random.default_rng(0).normal(size=(400, 8)).astype(np.float32)
    with pytest.raises(InputError, match="choose one of"):
        FaissIndex(X, kind="annoy")
    ivf = FaissIndex(X, kind="ivf", nlist=8)
    with pytest.raises(InputError, match="nprobe"):
        ivf.nprobe = 0
    assert FaissIndex(X, kind="flat").nprobe is None


def test_exact_search_is_the_same_across_score_blocks(glosses, monkeypatch):
    """Many queries are scored in blocks (to bound memory): the answer must not depend on them."""
    import embedkit.search.exact as exact_module

    X, Q = glosses
    index = ExactIndex(X)
    whole_scores, whole_ids = index.search(Q, k=10)
    monkeypatch.setattr(exact_module, "_BLOCK_BYTES", 7 * 4 * len(X))  # blocks of 7 queries
    monkeypatch.setattr(exact_module, "_MIN_BLOCK", 1)
    block_scores, block_ids = index.search(Q, k=10)
    # Different block shapes take different BLAS kernels: same ids, scores equal to a tolerance.
    assert_same_ranking(block_scores, block_ids, whole_scores, whole_ids)
    assert (block_scores[:, 0] > 0).all(), "scores come back positive (not the negated ones)"


def test_exact_ties_go_to_the_lower_id():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [1.0, 0.0], [0.0, 3.0]])
    scores, ids = ExactIndex(X).search(np.array([[1.0, 0.0], [0.0, 1.0]]), k=3)
    assert ids[:, :3].tolist()[0] == [1, 2, 3] and ids[1, :2].tolist() == [0, 4]
    np.testing.assert_allclose(scores[0], [1.0, 1.0, 1.0], atol=1e-6)


def test_unit_rows_copies_once_and_leaves_the_input_alone():
    from embedkit.search.base import unit_rows

    X = np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32) * 5
    before = X.copy()
    unit = unit_rows(X)
    assert unit.dtype == np.float32 and unit.flags["C_CONTIGUOUS"] and not np.shares_memory(unit, X)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_allclose(unit, before / np.linalg.norm(before, axis=1, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(unit_rows(X.astype(np.float64)), unit, rtol=1e-6)
    np.testing.assert_allclose(unit_rows(X[:, ::2]), unit_rows(np.ascontiguousarray(X[:, ::2])), rtol=1e-6)
    with pytest.raises(InputError, match="all-zero"):
        unit_rows(np.zeros((2, 3), dtype=np.float32))


@pytest.mark.parametrize("kind", ["flat", "hnsw", "sq8"])
def test_faiss_nbytes_is_the_size_of_the_serialised_index(glosses, kind):
    import faiss

    index = FaissIndex(glosses[0][:2000], kind=kind)
    assert index.nbytes == faiss.serialize_index(index.index_).nbytes
