import numpy as np
import pytest

from embedkit import InputError
from embedkit.faithfulness import (
    kept_neighbor_fraction,
    map_neighbors,
    neighborhood_preservation,
    trustworthiness_score,
)


def test_a_map_that_keeps_the_geometry_keeps_every_neighbour():
    # Points on a line far from the origin: cosine and Euclidean neighbours agree.
    Y = np.column_stack([np.arange(30.0), np.ones(30)])
    X = np.column_stack([np.ones(30) * 100, np.arange(30.0)])
    assert neighborhood_preservation(X, Y, k=2).min() == 1.0


def test_a_shuffled_map_loses_most_neighbours():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 10))
    good = neighborhood_preservation(X, X[:, :2], k=10).mean()
    shuffled = neighborhood_preservation(X, rng.permutation(X[:, :2]), k=10).mean()
    assert shuffled < 0.15 < good
    assert trustworthiness_score(X, X[:, :2], k=10) > trustworthiness_score(X, rng.permutation(X[:, :2]), k=10)


def test_kept_fraction_on_a_sample_of_rows_matches_the_full_result():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(50, 6)), rng.normal(size=(50, 2))
    from embedkit import NeighborIndex

    high = NeighborIndex(X).all_neighbors(5)[0]
    full = kept_neighbor_fraction(high, Y, 5)
    rows = np.array([3, 10, 40])
    assert np.array_equal(kept_neighbor_fraction(high[rows], Y, 5, rows=rows), full[rows])


def test_duplicates_on_the_map_do_not_break_map_neighbours():
    Y = np.zeros((5, 2))
    assert map_neighbors(Y, 2).shape == (5, 2)


def test_bad_input():
    with pytest.raises(InputError, match="same points"):
        kept_neighbor_fraction(np.zeros((3, 2), dtype=int), np.zeros((4, 2)))
    with pytest.raises(InputError):
        neighborhood_preservation(np.ones((4, 3)), np.ones((5, 2)))
    with pytest.raises(InputError):
        kept_neighbor_fraction(np.zeros(3, dtype=int), np.zeros((3, 2)))
    assert trustworthiness_score(np.ones((6000, 2)), np.ones((6000, 2))) is None
