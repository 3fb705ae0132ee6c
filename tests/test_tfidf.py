import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from embedkit import InputError
from embedkit.tfidf import TfidfSvdEmbedder

TEXTS = ["the cat purrs on the mat", "a kitten purrs softly", "a cat and a kitten purrs",
         "the dog barks at night", "dogs bark loudly", "a puppy barks and growls",
         "stocks fell on the market", "the market rallied as stocks rose"]
LABELS = ["cat"] * 3 + ["dog"] * 3 + ["money"] * 2


def test_unit_vectors_of_the_requested_size_seeded():
    first = TfidfSvdEmbedder(n_components=4).fit_transform(TEXTS)
    second = TfidfSvdEmbedder(n_components=4).fit_transform(TEXTS)
    assert first.shape == (8, 4) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)
    np.testing.assert_array_equal(first, second)


def test_shared_words_make_texts_close():
    X = TfidfSvdEmbedder(n_components=4).fit_transform(TEXTS)
    assert X[0] @ X[1] > X[0] @ X[6]


def test_works_in_a_pipeline_with_a_classifier():
    model = make_pipeline(TfidfSvdEmbedder(n_components=4), LogisticRegression()).fit(TEXTS, LABELS)
    assert model.predict(["the puppy barks"])[0] == "dog"
    assert clone(model).get_params()["tfidfsvdembedder__n_components"] == 4


def test_transform_before_fit_says_to_fit():
    with pytest.raises(NotFittedError, match="fit"):
        TfidfSvdEmbedder().transform(["a text"])


@pytest.mark.parametrize("bad, message", [
    ([""], "empty"), (["ok", "  \n"], "Item 1"), ([None], "not a text"), ([3], "not a text"),
    ("one string", "single string"),
])
def test_bad_texts_are_rejected(bad, message):
    with pytest.raises(InputError, match=message):
        TfidfSvdEmbedder(n_components=2).fit(TEXTS).transform(bad)
    with pytest.raises(InputError):
        TfidfSvdEmbedder(n_components=2).fit(bad)


def test_text_with_only_unknown_words_is_an_error_not_a_zero_vector():
    with pytest.raises(InputError, match="Item 1 .*shares no word.*handle_unknown=.zeros."):
        TfidfSvdEmbedder(n_components=2).fit(TEXTS).transform(["cat", "zebra giraffe"])


def test_handle_unknown_zeros_gives_unknown_texts_a_zero_vector_and_leaves_others_alone():
    fitted = TfidfSvdEmbedder(n_components=4).fit(TEXTS)
    known = fitted.transform(["cat", "dogs bark"])
    mixed = fitted.set_params(handle_unknown="zeros").transform(["cat", "zebra giraffe", "dogs bark"])
    assert mixed.dtype == np.float32 and np.isfinite(mixed).all()
    assert mixed[1].tolist() == [0.0] * 4, "no known word: the zero vector, not NaN"
    np.testing.assert_allclose(mixed[[0, 2]], known, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(mixed[[0, 2]], axis=1), 1, atol=1e-5)


def test_handle_unknown_zeros_lets_a_pipeline_score_held_out_texts_with_unseen_words():
    model = make_pipeline(TfidfSvdEmbedder(n_components=4, handle_unknown="zeros"), LogisticRegression())
    model.fit(TEXTS, LABELS)
    predicted = model.predict(["zebra giraffe", "the puppy barks"])
    assert len(predicted) == 2 and predicted[1] == "dog"
    strict = make_pipeline(TfidfSvdEmbedder(n_components=4), LogisticRegression()).fit(TEXTS, LABELS)
    with pytest.raises(InputError, match="Item 0"):
        strict.predict(["zebra giraffe", "the puppy barks"])


@pytest.mark.parametrize("bad", ["ignore", "Zeros", None, 0])
def test_bad_handle_unknown_is_named(bad):
    with pytest.raises(InputError, match="handle_unknown must be 'error' or 'zeros'"):
        TfidfSvdEmbedder(n_components=2, handle_unknown=bad).fit(TEXTS)
    fitted = TfidfSvdEmbedder(n_components=2).fit(TEXTS)
    with pytest.raises(InputError, match="handle_unknown"):
        fitted.set_params(handle_unknown=bad).transform(["cat"])


def test_only_stop_words_is_an_error():
    with pytest.raises(InputError, match="No usable words"):
        TfidfSvdEmbedder(n_components=1).fit(["the and of", "a an the"])


def test_too_many_components_says_the_vocabulary_size():
    with pytest.raises(InputError, match="below the vocabulary size"):
        TfidfSvdEmbedder(n_components=500).fit(TEXTS)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_n_components(bad):
    with pytest.raises(InputError, match="n_components"):
        TfidfSvdEmbedder(n_components=bad).fit(TEXTS)


def test_very_long_texts_are_used_whole():
    embedder = TfidfSvdEmbedder(n_components=2).fit(TEXTS)
    long_text = "cat " * 20_000 + "market"  # the last word still counts: nothing is cut
    with_market = embedder.transform([long_text])[0]
    without = embedder.transform(["cat " * 20_000])[0]
    assert not np.allclose(with_market, without)
