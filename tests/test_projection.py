
import numpy as np
import pytest

import embedkit.projection as projection
from embedkit import InputError, UnknownNameError, project


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=10, size=(3, 20))
    return np.vstack([c + rng.normal(size=(30, 20)) for c in centres]), np.repeat([0, 1, 2], 30)


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_each_method_separates_clear_clusters(blobs, method):
    X, labels = blobs
    Y = project(X, method=method, cache=False)
    assert Y.shape == (90, 2) and Y.dtype == np.float32
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.model_selection import cross_val_score

    assert cross_val_score(KNeighborsClassifier(3), Y, labels, cv=3).mean() > 0.95


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_projection_is_seeded(blobs, method):
    X, _ = blobs
    np.testing.assert_allclose(project(X, method=method, cache=False),
                               project(X, method=method, cache=False), atol=1e-4)


def test_second_call_comes_from_the_cache(blobs, monkeypatch):
    X, _ = blobs
    calls = []
    real = projection._METHODS["pca"]
    monkeypatch.setitem(projection._METHODS, "pca", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = project(X, method="pca", n_components=3)
    second = project(X, method="pca", n_components=3)
    assert len(calls) == 1 and np.array_equal(first, second)
    project(X + 1, method="pca", n_components=3)
    assert len(calls) == 2, "different data must not hit the same cache entry"


def test_parameters_are_part_of_the_cache_key(blobs):
    X, _ = blobs
    a = project(X, method="umap", n_neighbors=5)
    b = project(X, method="umap", n_neighbors=30)
    assert not np.allclose(a, b)


def test_small_inputs_lower_the_neighbourhood_with_a_warning():
    X = np.random.default_rng(0).normal(size=(6, 4))
    with pytest.warns(UserWarning, match="n_neighbors lowered"):
        assert project(X, method="umap", cache=False).shape == (6, 2)
    with pytest.warns(UserWarning, match="perplexity lowered"):
        assert project(X, method="tsne", cache=False).shape == (6, 2)


def test_unknown_method_suggests_the_right_one():
    with pytest.raises(UnknownNameError, match="'umap'"):
        project(np.eye(5), method="uamp")


@pytest.mark.parametrize("bad, message", [
    (np.ones((1, 5)), "at least"),
    ([[1.0, np.inf], [0.0, 1.0], [1, 1], [2, 2]], "infinite"),
])
def test_bad_input_is_rejected(bad, message):
    with pytest.raises(InputError, match=message):
        project(bad, method="umap")


def test_bad_n_components_is_rejected():
    with pytest.raises(InputError, match="n_components"):
        project(np.eye(5), method="pca", n_components=7)
