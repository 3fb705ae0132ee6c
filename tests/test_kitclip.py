"""The kit's CLIP-style model: pairs, training, zero-shot on held-out categories, interface.

Trained on the bundled clip-art here (240 images, fast); notebook 06 trains
on the emoji and asserts its measured zero-shot accuracy.
"""

import numpy as np
import pytest

from embedkit import InputError, KitClipEmbedder, UnknownNameError, get_embedder, load_example
from embedkit.kitclip import caption_pairs

pytest.importorskip("open_clip")


@pytest.fixture(scope="module")
def kit():
    return KitClipEmbedder(data="clipart", progress=False)


def test_pairs_hold_out_whole_categories():
    pairs = caption_pairs("clipart", held_out=2)
    held = set(pairs.loc[pairs["split"] == "held_out", "category"])
    trained = set(pairs.loc[pairs["split"] == "train", "category"])
    assert len(held) == 2 and not held & trained
    assert pairs["caption"].str.startswith("a drawing of").all()
    assert caption_pairs("clipart", held_out=2).equals(pairs)  # seeded


@pytest.mark.parametrize("data, held_out, error", [
    ("photos", None, UnknownNameError), ("clipart", 7, InputError), ("clipart", 1, InputError),
])
def test_bad_pair_settings_are_refused(data, held_out, error):
    with pytest.raises(error):
        caption_pairs(data, held_out)


def test_report_scores_held_out_categories_zero_shot(kit):
    report = kit.training_report_
    assert report["held_out_chance"] == 0.5 and report["train_chance"] == pytest.approx(1 / 6)
    assert report["train_zero_shot_accuracy"] > 0.6
    assert report["held_out_zero_shot_accuracy"] >= report["held_out_chance"]
    assert len(report["loss_history"]) == report["epochs"]
    assert report["loss_history"][-1] < report["loss_history"][0]


def test_both_towers_give_unit_vectors_in_one_space(kit):
    paths = load_example("clipart")["path"].tolist()[:3]
    images = kit.embed_images(paths)
    texts = kit.embed_texts(["a drawing of a cat", "a drawing of a house"])
    assert images.shape == (3, 64) and texts.shape == (2, 64)
    np.testing.assert_allclose(np.linalg.norm(images, axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(kit.text_embedder().transform(["a drawing of a cat"]), texts[:1], atol=1e-6)


def test_second_instance_loads_the_cached_heads(kit):
    kit.training_report_
    again = KitClipEmbedder(data="clipart", progress=False, random_state=0)
    again._say_loaded_from = lambda source: setattr(again, "_source", source)
    from embedkit.embedder import _SHARED_MODELS

    _SHARED_MODELS.pop(again._model_identity(), None)  # force a reload, from the disk cache
    assert "cache" in again.loaded_from_ or "cache" in getattr(again, "_source", "")


def test_the_tiny_vit_tower_trains_and_reports(tmp_path):
    vit = KitClipEmbedder(data="clipart", image_tower="vit", epochs=3, progress=False)
    report = vit.training_report_
    assert report["image_tower"] == "vit" and len(report["loss_history"]) == 3
    assert vit.embed_images([np.zeros((64, 64, 3), np.uint8)]).shape == (1, 64)


def test_bad_images_and_texts_are_rejected(kit, tmp_path):
    fake = tmp_path / "x.png"
    fake.write_text("no")
    with pytest.raises(InputError, match="x.png"):
        kit.embed_images([np.zeros((16, 16, 3), np.uint8), str(fake)])
    with pytest.raises(InputError, match="Text 0"):
        kit.embed_texts([None])


def test_bad_settings_are_refused():
    with pytest.raises(UnknownNameError, match="cnn"):
        KitClipEmbedder(image_tower="resnet").embed_texts(["x"])
    with pytest.raises(InputError, match="dim"):
        KitClipEmbedder(dim=0).transform([np.zeros((16, 16, 3), np.uint8)])


def test_registered_under_its_name():
    assert isinstance(get_embedder("kitclip"), KitClipEmbedder)
