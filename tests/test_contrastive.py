"""Contrastive training on synthetic pairs: it learns, is seeded, and caches its weights."""

import numpy as np
import pytest

from embedkit import InputError
from embedkit.contrastive import similarity_matrix, train_contrastive, zero_shot_classify

torch = pytest.importorskip("torch")


def _pairs(n=64, seed=0):
    """Two 'views' of the same hidden concept: a random linear map of each side."""
    rng = np.random.default_rng(seed)
    concept = rng.normal(size=(n, 8))
    images = concept @ rng.normal(size=(8, 20)) + 0.05 * rng.normal(size=(n, 20))
    texts = concept @ rng.normal(size=(8, 12)) + 0.05 * rng.normal(size=(n, 12))
    return images.astype(np.float32), texts.astype(np.float32)


def _heads(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Linear(20, 8), torch.nn.Linear(12, 8)


def _retrieval(image_head, text_head, images, texts):
    with torch.no_grad():
        scores = similarity_matrix(image_head(torch.from_numpy(images)).numpy(),
                                   text_head(torch.from_numpy(texts)).numpy())
    return (scores.argmax(axis=1) == np.arange(len(images))).mean()


def test_training_aligns_matching_pairs_far_above_chance():
    images, texts = _pairs()
    image_head, text_head = _heads()
    before = _retrieval(image_head, text_head, images, texts)
    result = train_contrastive(image_head, text_head, images, texts, epochs=60, batch_size=32, cache=False)
    after = _retrieval(image_head, text_head, images, texts)
    assert before < 0.2 and after > 0.5  # chance is 1/64
    assert result["loss_history"][-1] < result["loss_history"][0] / 3


def test_same_seed_same_weights_and_second_run_comes_from_the_cache():
    images, texts = _pairs()
    first_image, first_text = _heads()
    first = train_contrastive(first_image, first_text, images, texts, epochs=5)
    second_image, second_text = _heads()
    second = train_contrastive(second_image, second_text, images, texts, epochs=5)
    assert not first["from_cache"] and second["from_cache"]
    assert torch.equal(first_image.weight, second_image.weight)
    assert first["loss_history"] == second["loss_history"]


def test_different_data_is_not_served_from_the_cache():
    images, texts = _pairs()
    train_contrastive(*_heads(), images, texts, epochs=3)
    changed = train_contrastive(*_heads(), images, texts[::-1].copy(), epochs=3)
    assert not changed["from_cache"]


def test_mismatched_pairs_are_refused():
    images, texts = _pairs()
    with pytest.raises(InputError, match="matching pairs"):
        train_contrastive(*_heads(), images, texts[:10], cache=False)


def test_similarity_matrix_checks_dimensions():
    with pytest.raises(InputError, match="same"):
        similarity_matrix(np.ones((2, 3)), np.ones((2, 4)))


class _ColourClip:
    """A hand-made two-tower 'model': images by mean colour, texts by colour word."""

    def transform(self, images):
        return np.array([np.asarray(image, dtype=float).mean(axis=(0, 1)) for image in images])

    def embed_texts(self, texts):
        colours = {"red": [1, 0, 0], "green": [0, 1, 0], "blue": [0, 0, 1]}
        return np.array([next(v for k, v in colours.items() if k in t) for t in texts], dtype=float)


def test_zero_shot_picks_the_closest_description():
    red, blue = np.zeros((8, 8, 3)), np.zeros((8, 8, 3))
    red[..., 0], blue[..., 2] = 1, 1
    labels, scores = zero_shot_classify(_ColourClip(), [red, blue], ["red", "green", "blue"], "a {} square")
    assert labels.tolist() == ["red", "blue"] and scores.shape == (2, 3)


@pytest.mark.parametrize("names, template, message", [
    (["red", "blue"], "no slot", "template"), (["red", "red"], "{}", "two different"),
])
def test_zero_shot_bad_arguments(names, template, message):
    with pytest.raises(InputError, match=message):
        zero_shot_classify(_ColourClip(), [np.zeros((8, 8, 3))], names, template)
