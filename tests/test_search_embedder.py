"""The wordllama static sentence embedder the search lesson runs on."""

from __future__ import annotations

import numpy as np
import pytest

import embedkit as ek
from embedkit import InputError, StaticSentenceEmbedder


def test_it_loads_offline_from_the_wheel_and_embeds_meaning():
    embedder = StaticSentenceEmbedder(cache=False)
    vectors = embedder.transform(["a small cat", "a young kitten", "a tax return form"])
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    assert "wordllama package" in embedder.loaded_from_
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert unit[0] @ unit[1] > unit[0] @ unit[2] + 0.1  # cat is nearer kitten than a tax form


def test_batches_do_not_change_the_result():
    texts = ek.load_example("wordnet_glosses")["text"].tolist()[:300]
    one = StaticSentenceEmbedder(batch_size=300, cache=False).transform(texts)
    many = StaticSentenceEmbedder(batch_size=7, cache=False).transform(texts)
    np.testing.assert_allclose(one, many, rtol=1e-6, atol=1e-6)


def test_it_is_in_the_model_registry():
    info = ek.model_info("wordllama-l2-supercat")
    assert info["dim"] == 256 and info["runs_offline_here"]
    assert isinstance(ek.get_embedder("wordllama-l2-supercat"), StaticSentenceEmbedder)


def test_bad_items_are_named():
    embedder = StaticSentenceEmbedder(cache=False)
    with pytest.raises(InputError, match="Item 1 is empty or only whitespace"):
        embedder.transform(["fine", "  "])
    with pytest.raises(InputError, match="Item 0 is a int"):
        embedder.transform([3])


def test_an_unshipped_setting_says_what_it_needs(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ek.ModelUnavailableError, match="only model='l2_supercat', dim=256 ships"):
        StaticSentenceEmbedder(dim=64, cache=False).transform(["a cat"])
