"""Loading and checking images: conversions, and clear errors naming the bad file."""

import numpy as np
import pytest
from PIL import Image

from embedkit import InputError
from embedkit.images import check_image, find_images, load_image


@pytest.fixture
def photo_png(tmp_path):
    path = tmp_path / "photo.png"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (40, 60, 3), dtype=np.uint8)).save(path)
    return path


def test_a_path_loads_as_rgb_with_width_and_height_kept(photo_png):
    image = load_image(photo_png)
    assert image.mode == "RGB" and image.size == (60, 40)


def test_grayscale_becomes_three_equal_channels(tmp_path):
    path = tmp_path / "grey.png"
    Image.fromarray(np.tile(np.arange(0, 250, 10, dtype=np.uint8), (20, 1)), "L").save(path)
    pixels = np.asarray(load_image(path))
    assert pixels.shape == (20, 25, 3)
    assert (pixels[..., 0] == pixels[..., 1]).all() and (pixels[..., 1] == pixels[..., 2]).all()


def test_rgba_transparency_is_laid_on_white_not_black(tmp_path):
    path = tmp_path / "icon.png"
    rgba = np.zeros((16, 16, 4), dtype=np.uint8)
    rgba[:8, :, :] = (255, 0, 0, 255)  # top half opaque red, bottom half fully transparent black
    Image.fromarray(rgba, "RGBA").save(path)
    pixels = np.asarray(load_image(path))
    assert pixels[0, 0].tolist() == [255, 0, 0]
    assert pixels[15, 15].tolist() == [255, 255, 255]


def test_cmyk_jpeg_is_converted_to_rgb(tmp_path):
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (32, 32), (0, 255, 255, 0)).save(path)  # cyan 0, magenta+yellow: red
    image = load_image(path)
    red, green, blue = np.asarray(image).reshape(-1, 3).mean(axis=0)
    assert image.mode == "RGB" and red > 200 and green < 60 and blue < 60


def test_palette_and_16_bit_images_are_converted(tmp_path):
    palette = Image.new("RGB", (20, 20), (0, 128, 255)).convert("P", palette=Image.Palette.ADAPTIVE)
    assert np.asarray(load_image(palette))[0, 0].tolist() == [0, 128, 255]
    deep = Image.fromarray(np.full((20, 20), 65535, dtype=np.uint16))
    assert np.asarray(load_image(deep)).min() == 255  # not clipped to garbage


@pytest.mark.parametrize("array, expected", [
    (np.zeros((10, 12), np.uint8), (12, 10)),
    (np.ones((10, 12, 3), np.float32), (12, 10)),
    (np.zeros((10, 12, 1), np.uint8), (12, 10)),
    (np.zeros((10, 12, 4), np.uint8), (12, 10)),
])
def test_arrays_of_usual_shapes_load(array, expected):
    assert load_image(array).size == expected


@pytest.mark.parametrize("array, message", [
    (np.zeros((3, 20, 20), np.uint8), "channels-first"),
    (np.full((20, 20, 3), 200.0), "scaled to 0..1"),
    (np.full((20, 20), np.nan), "NaN"),
    (np.zeros((20, 20, 5), np.uint8), "H x W x 3"),
    (np.zeros(400, np.uint8), "H x W"),
])
def test_unusable_arrays_are_rejected_with_advice(array, message):
    with pytest.raises(InputError, match=message):
        load_image(array)


def test_a_truncated_png_is_rejected_naming_the_file(photo_png, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(photo_png.read_bytes()[:-200])
    with pytest.raises(InputError, match=r"broken\.png.*truncated"):
        check_image(broken, 3)


def test_a_text_file_named_png_is_rejected(tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_text("this is not an image")
    with pytest.raises(InputError, match=r"Item 0 \(.*notes\.png\) is not an image file"):
        check_image(fake, 0)


def test_missing_file_and_folder_are_rejected(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        check_image(tmp_path / "nope.jpg")
    with pytest.raises(InputError, match="is a folder"):
        check_image(tmp_path)


def test_a_1x1_image_is_too_small(tmp_path):
    path = tmp_path / "dot.png"
    Image.new("RGB", (1, 1)).save(path)
    with pytest.raises(InputError, match=r"dot\.png.*only 1 x 1 pixels"):
        check_image(path)


def test_a_huge_image_is_refused_from_its_header_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("L", (8000, 8000)).save(path)  # compresses to ~60 kB: a small decompression bomb
    with pytest.raises(InputError, match=r"huge\.png.*8000 x 8000.*decompression"):
        check_image(path)


def test_large_images_under_the_limit_are_shrunk_on_load():
    checked = check_image(Image.new("RGB", (3000, 2000)), keep_side=512)
    assert min(checked.image.size) >= 512 and max(checked.image.size) < 3000


def test_fingerprint_follows_file_content_not_name(photo_png, tmp_path):
    copy = tmp_path / "copy.png"
    copy.write_bytes(photo_png.read_bytes())
    assert check_image(photo_png).fingerprint == check_image(copy).fingerprint
    Image.new("RGB", (40, 60)).save(copy)
    assert check_image(photo_png).fingerprint != check_image(copy).fingerprint


def test_other_objects_are_rejected():
    with pytest.raises(InputError, match="file path, a PIL image or a numpy array"):
        check_image(42)


def test_find_images_skips_other_files_with_a_warning(photo_png, tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.warns(UserWarning, match="readme.txt"):
        assert find_images(tmp_path) == [str(photo_png)]
    with pytest.raises(InputError, match="not a folder"):
        find_images(photo_png)
