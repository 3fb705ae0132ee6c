"""Turning whatever a learner holds into a clean RGB image, or a clear error.

Image embedders accept three kinds of item: a file path, a PIL image, or a
numpy array (``H x W`` grey, ``H x W x 3`` RGB, ``H x W x 4`` RGBA). Every
item is read and checked *before* any batch runs (see
:class:`~embedkit.embedder.Embedder`), so a broken file stops the call at once
with its name, instead of crashing half-way and losing the finished batches.

What gets converted, and what gets rejected:

- grey, palette, CMYK, 16-bit and RGBA images become RGB (transparent parts
  are laid on white, the way a browser shows them);
- unreadable, truncated and non-image files, folders, images under
  ``MIN_SIDE`` pixels a side and images over ``MAX_PIXELS`` pixels (the
  decompression-bomb guard, checked from the header before decoding) raise
  :class:`~embedkit.errors.InputError` naming the file;
- very large images that pass the guard are shrunk (``keep_side``) right after
  decoding, so a folder of camera photos does not fill the memory.

>>> import numpy as np
>>> from embedkit.images import load_image
>>> load_image(np.zeros((16, 16), dtype=np.uint8)).mode
'RGB'
"""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = ["MAX_PIXELS", "MIN_SIDE", "CheckedImage", "check_image", "find_images", "load_image"]

#: Images with more pixels than this are refused before decoding (8000 x 8000 is
#: 64 M; a 48-megapixel phone photo passes). Raise it to embed larger images.
MAX_PIXELS = 50_000_000
#: Images narrower or shorter than this carry too little to embed.
MIN_SIDE = 8
#: File endings :func:`find_images` treats as images.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")


@dataclass(frozen=True)
class CheckedImage:
    """An item that passed the checks: its RGB pixels, a content fingerprint, a name."""

    image: Any  # PIL.Image.Image in RGB mode
    fingerprint: str
    name: str


def _describe(item: Any, index: int | None) -> str:
    where = f"Item {index}" if index is not None else "The image"
    if isinstance(item, (str, os.PathLike)):
        return f"{where} ({os.fspath(item)})"
    return f"{where} (a {type(item).__name__})"


def _to_rgb(image: Any) -> Any:
    """Convert any PIL mode to RGB; transparency is composited onto white."""
    from PIL import Image

    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # PIL's own conversion clips 16-bit and float images to 0..255: rescale instead.
        values = np.asarray(image, dtype=np.float64)
        top = values.max() if values.size and values.max() > 0 else 1.0
        image = Image.fromarray(np.clip(values / top * 255.0, 0, 255).astype(np.uint8), "L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")  # L, 1, P, CMYK, YCbCr, LAB, HSV


def _array_to_image(array: np.ndarray, label: str) -> Any:
    from PIL import Image

    if array.ndim == 3 and array.shape[0] in (1, 3, 4) and array.shape[-1] not in (1, 3, 4):
        raise InputError(
            f"{label} has shape {array.shape}, which looks channels-first. embedkit expects "
            "height x width x channels: use np.moveaxis(array, 0, -1)."
        )
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[-1] in (3, 4))):
        raise InputError(
            f"{label} has shape {array.shape}; an image array must be H x W (grey), "
            "H x W x 3 (RGB) or H x W x 4 (RGBA)."
        )
    if np.iscomplexobj(array) or not (array.dtype == bool or np.issubdtype(array.dtype, np.number)):
        raise InputError(f"{label} is a {array.dtype} array; image pixels must be real numbers "
                         "(uint8 0..255 or float 0..1).")
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    elif np.issubdtype(array.dtype, np.floating):
        if not np.isfinite(array).all():
            raise InputError(f"{label} holds NaN or infinite values: it is not an image.")
        if array.size and (array.min() < 0 or array.max() > 1):
            raise InputError(
                f"{label} is a float array with values from {array.min():.3g} to {array.max():.3g}; "
                "float images must be scaled to 0..1 (or pass uint8 values 0..255)."
            )
        array = np.round(array * 255).astype(np.uint8)
    elif array.dtype == np.uint16:
        array = (array // 257).astype(np.uint8)
    elif array.dtype != np.uint8:
        if array.size and (array.min() < 0 or array.max() > 255):
            raise InputError(
                f"{label} is a {array.dtype} array with values outside 0..255; convert it "
                "to uint8 (0..255) or float (0..1) first."
            )
        array = array.astype(np.uint8)
    mode = "L" if array.ndim == 2 else {3: "RGB", 4: "RGBA"}[array.shape[-1]]
    return Image.fromarray(np.ascontiguousarray(array), mode)


def _check_size(size: tuple[int, int], label: str, max_pixels: int) -> None:
    width, height = size
    if min(width, height) < MIN_SIDE:
        raise InputError(
            f"{label} is only {width} x {height} pixels; embedkit needs at least "
            f"{MIN_SIDE} x {MIN_SIDE}. Check that it is the image you meant."
        )
    if width * height > max_pixels:
        raise InputError(
            f"{label} is {width} x {height} = {width * height:,} pixels, over the limit of "
            f"{max_pixels:,} (a guard against decompression bombs). Shrink it first "
            "(PIL: image.thumbnail((2048, 2048))), or raise embedkit.images.MAX_PIXELS."
        )


def _open_file(path: Path, label: str, max_pixels: int) -> Any:
    from PIL import Image, UnidentifiedImageError

    if path.is_dir():
        raise InputError(
            f"{label} is a folder, not an image file. List its images with "
            "embedkit.images.find_images(folder)."
        )
    if not path.is_file():
        raise InputError(f"{label}: no such file. Check the path (relative to {Path.cwd()}).")
    try:
        with Image.open(path) as opened:  # reads the header only
            _check_size(opened.size, label, max_pixels)
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                opened.load()  # decodes every byte: a truncated file fails here
            return opened.copy()
    except UnidentifiedImageError:
        raise InputError(
            f"{label} is not an image file Pillow can read (wrong file type or a damaged "
            "header). Remove it from the list, or convert it to PNG or JPEG."
        ) from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(
            f"{label} could not be decoded ({type(error).__name__}: {error}). The file is "
            "probably truncated or damaged: re-export or re-download it."
        ) from None


def _shrink(image: Any, keep_side: int | None) -> Any:
    """Shrink so the shorter side is about ``keep_side`` (never enlarge); fast box reduce."""
    if keep_side is None:
        return image
    factor = min(image.size) // keep_side
    return image.reduce(factor) if factor >= 2 else image


def check_image(
    item: Any, index: int | None = None, *, keep_side: int | None = 512,
    max_pixels: int | None = None,
) -> CheckedImage:
    """Read, validate and convert one item; return its RGB image and fingerprint.

    The fingerprint is the SHA-256 of the file's bytes for a path (so a renamed
    copy hits the cache and an edited file does not), and of the pixels for a
    PIL image or an array.

    >>> import numpy as np
    >>> checked = check_image(np.full((20, 30, 3), 200, dtype=np.uint8))
    >>> checked.image.size, len(checked.fingerprint)
    ((30, 20), 64)
    >>> check_image(np.zeros((2, 2), dtype=np.uint8), index=4)
    Traceback (most recent call last):
    ...
    embedkit.errors.InputError: Item 4 (a ndarray) is only 2 x 2 pixels; embedkit needs at least 8 x 8. Check that it is the image you meant.
    """
    from PIL import Image

    limit = MAX_PIXELS if max_pixels is None else max_pixels
    label = _describe(item, index)
    if isinstance(item, (str, os.PathLike)):
        path = Path(item).expanduser()
        image = _open_file(path, label, limit)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        name = path.name
    elif isinstance(item, Image.Image):
        _check_size(item.size, label, limit)
        try:
            item.load()
        except OSError as error:
            raise InputError(f"{label} could not be decoded ({error}): is the file truncated?") from None
        image = item
        name = f"<PIL image {item.size[0]}x{item.size[1]}>"
        digest = None
    elif isinstance(item, np.ndarray):
        if item.ndim in (2, 3) and item.shape[-1] not in (1, 3, 4) and item.shape[0] not in (1, 3, 4):
            _check_size((item.shape[1], item.shape[0]), label, limit)  # before any conversion work
        image = _array_to_image(item, label)
        _check_size(image.size, label, limit)
        name = f"<array {'x'.join(map(str, item.shape))}>"
        digest = None
    else:
        raise InputError(
            f"{label} cannot be read as an image: pass a file path, a PIL image or a "
            "numpy array (H x W or H x W x 3)."
        )
    rgb = _to_rgb(image)
    if digest is None:
        digest = hashlib.sha256(f"{rgb.size}".encode() + rgb.tobytes()).hexdigest()
    return CheckedImage(_shrink(rgb, keep_side), digest, name)


def load_image(item: Any, *, keep_side: int | None = None) -> Any:
    """Return ``item`` (path, PIL image or array) as an RGB PIL image, or raise InputError.

    >>> from PIL import Image
    >>> load_image(Image.new("CMYK", (10, 10))).mode
    'RGB'
    """
    return check_image(item, keep_side=keep_side).image


def find_images(folder: str | os.PathLike, *, recursive: bool = False) -> list[str]:
    """Return the sorted image file paths in ``folder``; other files are left out, with a warning.

    Files are picked by their ending (``.png``, ``.jpg``...); their content is
    checked later, when they are embedded.

    >>> import tempfile
    >>> from PIL import Image
    >>> folder = tempfile.mkdtemp()
    >>> Image.new("RGB", (16, 16)).save(f"{folder}/a.png")
    >>> [Path(p).name for p in find_images(folder)]
    ['a.png']
    """
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise InputError(f"{os.fspath(folder)!r} is not a folder.")
    files = sorted(p for p in (root.rglob("*") if recursive else root.iterdir()) if p.is_file())
    images = [str(p) for p in files if p.suffix.lower() in IMAGE_SUFFIXES]
    others = [p.name for p in files if p.suffix.lower() not in IMAGE_SUFFIXES
              and not p.name.startswith(".")]
    if others:
        shown = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
        warnings.warn(f"find_images skipped {len(others)} non-image file(s) in {root}: {shown}",
                      stacklevel=2)
    if not images:
        raise InputError(f"No image files ({', '.join(IMAGE_SUFFIXES)}) in {root}.")
    return images
