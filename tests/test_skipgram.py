from pathlib import Path

import numpy as np
import pytest

from embedkit import InputError
from embedkit.skipgram import build_vocabulary, make_skipgram_model, skipgram_pairs, train_skipgram
from embedkit.word_training import tokenize


@pytest.fixture(scope="module")
def lee_sentences():
    from gensim.test.utils import datapath

    return tokenize(Path(datapath("lee_background.cor")).read_text().splitlines())


@pytest.fixture(scope="module")
def result(lee_sentences):
    return train_skipgram(lee_sentences, epochs=3, max_vocab=2000)


def test_loss_goes_down(result):
    first, last = result.losses[0], np.mean(result.losses[-10:])
    assert first == pytest.approx(6 * np.log(2), rel=1e-3)  # zero context vectors: (1 + 5 negatives) x log 2
    assert last < 0.7 * first


def test_vectors_cover_the_vocabulary_and_learn_something(result):
    vectors = result.vectors
    assert len(vectors) == 2000 and vectors.vector_size == 50
    assert vectors.index_to_key[0] == "the"
    fire = [w for w, _ in vectors.most_similar("fire", topn=10)]
    # Lee's bushfire stories: "rural fire service", "crews battling fires"
    assert len({"fires", "blaze", "blazes", "firefighters", "crews", "bushfires", "battling", "rural"} & set(fire)) >= 2


def test_training_is_reproducible(lee_sentences):
    first = train_skipgram(lee_sentences[:50], epochs=1, min_count=1, vector_size=8)
    second = train_skipgram(lee_sentences[:50], epochs=1, min_count=1, vector_size=8)
    assert first.losses == second.losses
    np.testing.assert_array_equal(first.vectors.vectors, second.vectors.vectors)


def test_pairs_stay_inside_the_window_and_skip_unknown_words():
    words, counts = ["a", "b", "c"], np.array([1, 1, 1])
    pairs = skipgram_pairs([["a", "x", "b", "c"]], words, counts, window=1, subsample=1)
    assert sorted(map(tuple, pairs.tolist())) == [(0, 1), (1, 0), (1, 2), (2, 1)]  # "x" dropped, a-b adjacent


def test_subsampling_drops_frequent_words():
    sentence = ["the"] * 1000 + ["cat", "dog"] * 5
    words, counts = build_vocabulary([sentence], min_count=1)
    every = skipgram_pairs([sentence], words, counts, window=1, subsample=1)
    kept = skipgram_pairs([sentence], words, counts, window=1, subsample=1e-3)
    assert len(kept) < 0.2 * len(every)
    assert (kept != 0).all(axis=1).sum() > 0.5 * (every != 0).all(axis=1).sum()  # rare pairs mostly stay


def test_model_loss_is_positive_and_differentiable():
    import torch

    model = make_skipgram_model(5, 3)
    loss = model(torch.tensor([0, 1]), torch.tensor([1, 2]), torch.tensor([[3, 4], [4, 3]]))
    loss.backward()
    assert loss.item() > 0
    assert model.context.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("bad, message", [
    (["raw text"], "tokenise"), ([["ok"], [1]], "word strings"), ([], "empty"),
    ([["a", "b"]], "min_count"),
])
def test_bad_sentences(bad, message):
    with pytest.raises(InputError, match=message):
        train_skipgram(bad)


@pytest.mark.parametrize("name", ["vector_size", "window", "negative", "epochs", "batch_size"])
def test_bad_settings(lee_sentences, name):
    with pytest.raises(InputError, match=name):
        train_skipgram(lee_sentences[:10], **{name: 0})


def test_texts_too_short_for_pairs():
    with pytest.raises(InputError, match="no \\(center, context\\) pairs"):
        train_skipgram([["a"], ["b"], ["a"], ["b"]], min_count=1)
