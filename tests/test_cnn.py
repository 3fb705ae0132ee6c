"""The pretrained CNN: what it sees in real photos, its features, and bad input."""

import numpy as np
import pytest
import skimage.data
from PIL import Image

from embedkit import CNNEmbedder, InputError, get_embedder, model_info
from embedkit.cnn import imagenet_class_names


@pytest.fixture(scope="module")
def cnn():
    return CNNEmbedder(cache=False)


@pytest.fixture(scope="module")
def photos():
    # These three ship inside the scikit-image wheel (no pooch download).
    return {name: getattr(skimage.data, name)() for name in ("chelsea", "coffee", "rocket")}


def test_top1_imagenet_label_is_right_on_bundled_photos(cnn, photos):
    top1 = cnn.predict_labels(list(photos.values()), top=1)["label"].tolist()
    assert top1[0] in {"tabby", "tiger cat", "Egyptian cat", "Persian cat", "Siamese cat"}
    assert top1[1] in {"espresso", "cup", "coffee mug"}
    assert top1[2] in {"missile", "projectile", "space shuttle"}


def test_predict_labels_is_a_tidy_table_of_probabilities(cnn, photos):
    table = cnn.predict_labels([photos["coffee"]], top=5)
    assert list(table.columns) == ["image", "rank", "label", "class_id", "probability"]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table["probability"].is_monotonic_decreasing and table["probability"].sum() <= 1.0
    assert table["label"].tolist()[0] == imagenet_class_names()[table["class_id"][0]]


def test_features_are_1280_pooled_non_negative_activations(cnn, photos):
    vectors = cnn.transform(list(photos.values()))
    assert vectors.shape == (3, 1280) and vectors.dtype == np.float32
    assert vectors.min() >= 0 and vectors.max() <= 6  # ReLU6 activations, averaged


def test_a_cat_is_closer_to_a_shifted_cat_than_to_a_rocket(cnn, photos):
    cat = photos["chelsea"]
    shifted = np.ascontiguousarray(cat[20:, 30:])
    vectors = CNNEmbedder(cache=False, normalize=True).transform([cat, shifted, photos["rocket"]])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_path_pil_and_array_of_one_image_give_one_vector(cnn, photos, tmp_path):
    path = tmp_path / "coffee.png"
    Image.fromarray(photos["coffee"]).save(path)
    vectors = cnn.transform([str(path), Image.open(path), photos["coffee"]])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-5)


def test_grey_rgba_and_cmyk_files_are_embedded(cnn, photos, tmp_path):
    cat = Image.fromarray(photos["chelsea"])
    cat.convert("L").save(tmp_path / "grey.png")
    cat.convert("RGBA").save(tmp_path / "alpha.png")
    cat.convert("CMYK").save(tmp_path / "print.jpg")
    files = [str(tmp_path / n) for n in ("grey.png", "alpha.png", "print.jpg")]
    labels = cnn.predict_labels(files, top=3)
    assert labels.groupby("image")["label"].apply(lambda s: bool(set(s) & {"tabby", "tiger cat", "Egyptian cat"})).all()


def test_one_bad_file_stops_the_call_before_any_batch_naming_it(photos, tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(photos["coffee"]).save(good)
    broken = tmp_path / "broken.png"
    broken.write_bytes(good.read_bytes()[:5000])
    embedder = CNNEmbedder(batch_size=1)  # the bad file is in the 3rd batch
    with pytest.raises(InputError, match=r"Item 2 \(.*broken\.png\)"):
        embedder.transform([str(good), str(good), str(broken)])


def _text_named_png(folder):
    (folder / "a.png").write_text("not an image")
    return folder / "a.png"


def _one_pixel(folder):
    Image.new("RGB", (1, 1)).save(folder / "b.png")
    return folder / "b.png"


def _huge(folder):
    Image.new("1", (8000, 8000)).save(folder / "c.png")
    return folder / "c.png"


@pytest.mark.parametrize("make, message", [
    (_text_named_png, "not an image file"), (_one_pixel, "1 x 1"), (_huge, "decompression"),
])
def test_bad_files_are_rejected_naming_the_file(cnn, tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as error:
        cnn.transform([str(path)])
    assert path.name in str(error.value)


def test_image_size_must_suit_the_network(photos):
    with pytest.raises(InputError, match="multiple of 32"):
        CNNEmbedder(image_size=100).transform([photos["coffee"]])
    small = CNNEmbedder(image_size=128, cache=False).transform([photos["coffee"]])
    assert small.shape == (1, 1280)


def test_cache_tells_image_sizes_apart(photos):
    first = CNNEmbedder(image_size=128).transform([photos["rocket"]])
    second = CNNEmbedder(image_size=160).transform([photos["rocket"]])
    assert not np.allclose(first, second)


def test_registered_and_offline():
    info = model_info("efficientnet-lite0")
    assert info["runs_offline_here"] and info["dim"] == 1280 and info["modality"] == "image"
    assert isinstance(get_embedder("efficientnet-lite0"), CNNEmbedder)


def test_unknown_model_name_is_refused():
    from embedkit import UnknownNameError

    with pytest.raises(UnknownNameError, match="efficientnet-lite0"):
        CNNEmbedder(model="resnet50", cache=False).transform([np.zeros((16, 16, 3), np.uint8)])


def test_bad_top_is_refused(cnn, photos):
    with pytest.raises(InputError, match="top"):
        cnn.predict_labels([photos["coffee"]], top=0)
