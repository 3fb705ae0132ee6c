"""OpenClipEmbedder: the local-checkpoint path, and clear errors when weights are missing.

No CLIP weights can be had offline here, so the working path is proven with a
TINY open_clip model with random weights, saved to a file in tmp_path. It is a
test fixture only: its vectors mean nothing, which is why embedkit itself
never builds a model without trained weights.
"""

import json

import numpy as np
import pytest
from PIL import Image

from embedkit import InputError, ModelUnavailableError, OpenClipEmbedder, UnknownNameError, model_info

TINY = {
    "embed_dim": 16,
    "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "patch_size": 8, "head_width": 16},
    "text_cfg": {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
}


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    open_clip = pytest.importorskip("open_clip")
    import torch

    folder = tmp_path_factory.mktemp("tiny-clip")
    (folder / "embedkit-test-tiny.json").write_text(json.dumps(TINY))
    open_clip.add_model_config(folder / "embedkit-test-tiny.json")
    torch.manual_seed(0)
    model = open_clip.create_model("embedkit-test-tiny", pretrained=None)
    path = folder / "tiny_random_clip.pt"
    torch.save(model.state_dict(), path)
    return path


@pytest.fixture(scope="module")
def tiny(tiny_checkpoint):
    return OpenClipEmbedder("embedkit-test-tiny", pretrained=str(tiny_checkpoint), cache=False)


def test_local_checkpoint_loads_and_says_so(tiny, tiny_checkpoint):
    assert f"local checkpoint file {tiny_checkpoint}" in tiny.loaded_from_


def test_both_towers_map_into_one_normalised_space(tiny):
    images = tiny.embed_images([np.zeros((40, 40, 3), np.uint8), Image.new("RGB", (50, 30), "red")])
    texts = tiny.embed_texts(["a red square", "a black square", "a cat"])
    assert images.shape == (2, 16) and texts.shape == (3, 16)
    np.testing.assert_allclose(np.linalg.norm(images, axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(texts, axis=1), 1, atol=1e-5)
    assert not np.allclose(texts[0], texts[2])


def test_the_checkpoint_weights_are_really_used(tiny_checkpoint, tmp_path):
    import torch

    state = torch.load(tiny_checkpoint, weights_only=True)
    state = {name: value * 1.5 if value.is_floating_point() else value for name, value in state.items()}
    other = tmp_path / "other.pt"
    torch.save(state, other)
    image = [np.full((32, 32, 3), 90, np.uint8)]
    first = OpenClipEmbedder("embedkit-test-tiny", pretrained=str(tiny_checkpoint), cache=False)
    second = OpenClipEmbedder("embedkit-test-tiny", pretrained=str(other), cache=False)
    assert not np.allclose(first.embed_images(image), second.embed_images(image))


def test_image_transform_is_the_models_preprocessing(tiny):
    assert tuple(tiny.image_transform(Image.new("RGB", (64, 48))).shape) == (3, 32, 32)


def test_pretrained_tag_without_weights_offline_names_model_and_ways(monkeypatch):
    import embedkit.clip

    monkeypatch.setattr(embedkit.clip, "_hub_reachable", lambda timeout=3.0: False)
    with pytest.raises(ModelUnavailableError) as error:
        OpenClipEmbedder("ViT-B-32", pretrained="openai", cache=False).embed_texts(["a cat"])
    message = str(error.value)
    assert "ViT-B-32" in message and "openai" in message
    assert "online" in message and "offline" in message
    assert "pretrained='/path/to/open_clip_pytorch_model.bin'" in message


def test_missing_checkpoint_file_is_unavailable(tmp_path):
    with pytest.raises(ModelUnavailableError, match="No checkpoint file"):
        OpenClipEmbedder("ViT-B-32", pretrained=str(tmp_path / "nope.bin")).embed_texts(["x"])


def test_a_checkpoint_for_another_architecture_is_refused(tiny_checkpoint):
    with pytest.raises(ModelUnavailableError, match="not a ViT-B-32 checkpoint"):
        OpenClipEmbedder("ViT-B-32", pretrained=str(tiny_checkpoint)).embed_texts(["x"])


def test_random_weights_are_never_offered():
    with pytest.raises(InputError, match="random weights"):
        OpenClipEmbedder("ViT-B-32", pretrained=None).transform([np.zeros((16, 16, 3), np.uint8)])


@pytest.mark.parametrize("model, pretrained, message", [
    ("ViT-B-33", "openai", "ViT-B-32"), ("ViT-B-32", "opnai", "openai"),
])
def test_unknown_names_get_suggestions(model, pretrained, message):
    with pytest.raises(UnknownNameError, match=message):
        OpenClipEmbedder(model, pretrained=pretrained).embed_texts(["x"])


def test_bad_texts_and_images_are_rejected(tiny):
    with pytest.raises(InputError, match="Text 1"):
        tiny.embed_texts(["fine", ""])
    with pytest.raises(InputError, match="single string"):
        tiny.embed_texts("a cat")
    with pytest.raises(InputError, match="Item 1"):
        tiny.embed_images([np.zeros((16, 16, 3), np.uint8), "no/such/file.png"])


def test_registry_marks_pretrained_clip_as_needing_a_download():
    info = model_info("clip-ViT-B-32-openai")
    assert info["modality"] == "image" and info["dim"] == 512
    if not info["runs_offline_here"]:
        assert "checkpoint" in info["needs"] and "network" in info["needs"]
