import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from embedkit import InputError, NeighborIndex, nearest_neighbors
from ranking import assert_same_ranking


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(300, 16)).astype(np.float32)


def test_query_matches_scikit_learn_brute_force(X):
    queries = np.random.default_rng(1).normal(size=(7, 16))
    indices, scores = NeighborIndex(X).query(queries, k=5)
    reference = NearestNeighbors(n_neighbors=5, metric="cosine", algorithm="brute").fit(X)
    distances, expected = reference.kneighbors(queries)
    assert indices.tolist() == expected.tolist()
    np.testing.assert_allclose(scores, 1 - distances, atol=1e-5)


def test_single_query_gives_1d_results_sorted_best_first(X):
    indices, scores = NeighborIndex(X).query(X[10], k=4)
    assert indices.shape == (4,) and indices[0] == 10
    assert np.all(np.diff(scores) <= 0)


def test_all_neighbors_leave_out_self_and_match_scikit_learn(X):
    indices, scores = nearest_neighbors(X, k=3)
    reference = NearestNeighbors(n_neighbors=4, metric="cosine", algorithm="brute").fit(X)
    expected = reference.kneighbors(X, return_distance=False)[:, 1:]
    assert indices.tolist() == expected.tolist()
    assert not np.any(indices == np.arange(len(X))[:, None])


def test_all_neighbors_blocks_give_the_same_graph(X):
    index = NeighborIndex(X)
    blocked_ids, blocked_scores = index.all_neighbors(5, batch_rows=7)
    whole_ids, whole_scores = index.all_neighbors(5)
    assert_same_ranking(blocked_scores, blocked_ids, whole_scores, whole_ids)


def test_exact_duplicates_are_each_others_nearest_neighbours():
    X = np.array([[1.0, 2.0], [5.0, -1.0], [1.0, 2.0], [1.0, 2.0]])
    indices, scores = NeighborIndex(X).neighbors_of(0, k=2)
    assert indices.tolist() == [2, 3]
    np.testing.assert_allclose(scores, [1.0, 1.0], atol=1e-6)


def test_ties_are_ordered_by_index():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
    indices, _ = NeighborIndex(X).query([0.0, 1.0], k=4)
    # rows 1, 2 and 4 all score exactly 0 against the query.
    assert indices.tolist() == [0, 1, 2, 4]


def test_cosine_ignores_length():
    X = np.array([[1.0, 0.0], [100.0, 1.0], [0.0, 1.0]])
    assert NeighborIndex(X).query([0.001, 0.0], k=1)[0].tolist() == [0]


def test_k_larger_than_the_data_returns_everything():
    assert len(NeighborIndex(np.eye(3)).query([1.0, 0, 0], k=10)[0]) == 3


@pytest.mark.parametrize("bad, message", [
    ([[np.nan, 1.0], [1.0, 0.0]], "NaN"),
    ([[0.0, 0.0], [1.0, 0.0]], "all-zero"),
    ([1.0, 2.0], "2-D"),
    ("text", "string"),
    (np.zeros((0, 3)), "at least 1"),
])
def test_bad_embeddings_get_a_clear_error(bad, message):
    with pytest.raises(InputError, match=message):
        NeighborIndex(bad)


def test_query_with_the_wrong_dimension_is_rejected(X):
    with pytest.raises(InputError, match="same model"):
        NeighborIndex(X).query(np.ones(3))


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", True])
def test_bad_k_is_rejected(X, k):
    with pytest.raises(InputError):
        NeighborIndex(X).query(X[0], k=k)


def test_out_of_range_point_is_rejected(X):
    with pytest.raises(InputError, match="out of range"):
        NeighborIndex(X).neighbors_of(300)


def test_single_point_has_no_neighbours():
    with pytest.raises(InputError):
        NeighborIndex(np.ones((1, 3))).neighbors_of(0)


def test_input_is_not_modified(X):
    before = X.copy()
    NeighborIndex(X).all_neighbors(2)
    assert np.array_equal(X, before)
