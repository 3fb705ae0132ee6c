"""Turn one item (an image, an audio clip) into what a preview shows: data URIs.

Images become small PNG thumbnails and audio clips base64 ``data:`` URIs, so a
preview needs no file server and still works in an exported page. An image
that cannot be read (missing, corrupt, or a decompression bomb: its pixel count
is read from the header and refused before decoding, as the embedders do)
gives an :class:`~embedkit.InputError`, which the panel shows as a note.

>>> from embedkit.explorer._previews import guess_kind
>>> guess_kind(["a.png", "b.jpg"])
'image'
"""

from __future__ import annotations

import base64
import functools
import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = [
    "ITEM_KINDS",
    "audio_duration",
    "guess_kind",
    "audio_source",
    "image_thumbnail",
    "item_name",
]

ITEM_KINDS = ("text", "image", "audio")
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"}
_AUDIO_SUFFIXES = {".wav", ".mp3", ".flac", ".ogg", ".oga", ".aiff", ".aif", ".m4a"}
_AUDIO_MIME = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac", ".ogg": "audio/ogg",
               ".oga": "audio/ogg", ".aiff": "audio/aiff", ".aif": "audio/aiff", ".m4a": "audio/mp4"}
#: Audio files above this size are named, not embedded, to keep pages light.
MAX_AUDIO_BYTES = 2_000_000


def guess_kind(items: list) -> str:
    """Guess "text", "image" or "audio" from the items (file suffixes or arrays).

    >>> guess_kind(["a.png", "b.jpg"]), guess_kind(["clip.wav"]), guess_kind(["a cat"])
    ('image', 'audio', 'text')
    """
    sample = items[:50]
    if all(isinstance(item, np.ndarray) and item.ndim in (2, 3) for item in sample):
        return "image"
    suffixes = {Path(str(item)).suffix.lower() for item in sample if isinstance(item, (str, os.PathLike))}
    if len(suffixes) and suffixes <= _IMAGE_SUFFIXES:
        return "image"
    if len(suffixes) and suffixes <= _AUDIO_SUFFIXES:
        return "audio"
    return "text"


def item_name(item: Any) -> str:
    """A file's name, or the shape of an image array.

    >>> item_name("photos/cat.png")
    'cat.png'
    """
    return Path(str(item)).name if isinstance(item, (str, os.PathLike)) else f"array {np.shape(item)}"


@functools.lru_cache(maxsize=4096)
def _thumbnail_from_path(path: str, size: int) -> str:
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                # The size is in the header: refuse a decompression bomb before decoding it,
                # as the image embedders do.
                width, height = image.size
                if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
                    raise ValueError(f"{width} x {height} pixels is above the decompression-bomb "
                                     f"limit of {Image.MAX_IMAGE_PIXELS:,}")
                return _encode_thumbnail(image, size)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as error:
        raise InputError(f"Could not read image {path!r} ({error}). Check the file.") from None


def _encode_thumbnail(image: Any, size: int) -> str:
    image = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
    image.thumbnail((size, size))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def image_thumbnail(item: Any, size: int = 96) -> str:
    """A PNG thumbnail (longest side ``size`` px) of an image path or array, as a data URI.

    >>> import numpy as np
    >>> image_thumbnail(np.zeros((8, 8, 3), dtype=np.uint8), size=4)[:22]
    'data:image/png;base64,'
    """
    if isinstance(item, np.ndarray):
        from PIL import Image

        array = item
        if array.dtype != np.uint8:
            low, high = float(array.min()), float(array.max())
            array = ((array - low) / (high - low or 1) * 255).astype(np.uint8)
        return _encode_thumbnail(Image.fromarray(array), size)
    return _thumbnail_from_path(str(item), size)


@functools.lru_cache(maxsize=65536)
def audio_duration(path: str) -> float | None:
    """Length of an audio file in seconds, read from its header (None if unknown).

    >>> audio_duration("no-such-file.wav") is None
    True
    """
    try:
        import soundfile

        info = soundfile.info(str(path))
        return info.frames / info.samplerate
    except Exception:  # noqa: BLE001 - any unreadable header just means "unknown length"
        pass
    try:
        import wave

        with wave.open(str(path)) as handle:
            return handle.getnframes() / handle.getframerate()
    except Exception:  # noqa: BLE001
        return None


def audio_source(path: Any) -> tuple[str | None, str | None]:
    """The clip as a data URI, or ``(None, why not)`` if it is missing or too large to embed.

    >>> audio_source("missing.wav")
    (None, 'file not found')
    """
    path = Path(str(path))
    if not path.is_file():
        return None, "file not found"
    if path.stat().st_size > MAX_AUDIO_BYTES:
        return None, "too large to embed"
    mime = _AUDIO_MIME.get(path.suffix.lower(), "audio/wav")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}", None
