"""Turn one item (a text, an image, an audio clip) into safe HTML for a map.

Items and labels are user data: every string that reaches HTML goes through
:func:`html.escape` here, so a gloss that reads ``<script>...`` is shown as
text, never run. Images become small PNG thumbnails and audio clips become
``<audio>`` players, both as base64 ``data:`` URIs, so a preview needs no file
server and still works in an exported page.

>>> from embedkit.explorer._previews import text_snippet
>>> text_snippet("<b>bold</b> claim", width=40)
'&lt;b&gt;bold&lt;/b&gt; claim'
"""

from __future__ import annotations

import base64
import functools
import html
import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = [
    "ITEM_KINDS",
    "audio_duration",
    "audio_player",
    "guess_kind",
    "hover_text",
    "image_thumbnail",
    "item_html",
    "text_snippet",
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


def text_snippet(text: Any, width: int = 120) -> str:
    """Escaped, whitespace-collapsed text cut to ``width`` characters.

    >>> text_snippet("a " * 100, width=10)
    'a a a a a…'
    """
    flat = " ".join(str(text).split())
    if len(flat) > width:
        flat = flat[: width - 1].rstrip() + "…"
    return html.escape(flat, quote=True)


def _item_name(item: Any) -> str:
    return Path(str(item)).name if isinstance(item, (str, os.PathLike)) else f"array {np.shape(item)}"


@functools.lru_cache(maxsize=4096)
def _thumbnail_from_path(path: str, size: int) -> str:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return _encode_thumbnail(image, size)
    except (OSError, ValueError) as error:
        raise InputError(f"Could not read image {path!r} ({error}). Check the path.") from None


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


def audio_player(path: Any) -> str:
    """An HTML5 ``<audio>`` player with the clip inlined as a data URI (or its name if too big).

    >>> audio_player("missing.wav")
    '<span class="ek-missing">missing.wav (file not found)</span>'
    """
    path = Path(str(path))
    name = html.escape(path.name)
    if not path.is_file():
        return f'<span class="ek-missing">{name} (file not found)</span>'
    if path.stat().st_size > MAX_AUDIO_BYTES:
        return f'<span class="ek-audio-name">{name} (too large to embed)</span>'
    mime = _AUDIO_MIME.get(path.suffix.lower(), "audio/wav")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<audio controls preload="none" src="data:{mime};base64,{data}"></audio>'


def hover_text(item: Any, kind: str, label: Any = None, width: int = 120) -> str:
    """The short, escaped text plotly shows when the mouse is over a point.

    >>> hover_text("<img src=x onerror=alert(1)>", "text", label="a&b")
    '&lt;img src=x onerror=alert(1)&gt;<br><i>a&amp;b</i>'
    """
    if kind == "text":
        head = text_snippet(item, width)
    elif kind == "audio":
        seconds = audio_duration(str(item))
        length = f" ({seconds:.1f} s)" if seconds is not None else ""
        head = text_snippet(_item_name(item), width) + length
    else:
        head = text_snippet(_item_name(item), width)
    # Wrap long snippets so the hover box stays narrow.
    if kind == "text" and len(head) > 60:
        words, lines, line = head.split(" "), [], ""
        for word in words:
            if line and len(line) + len(word) > 60:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        head = "<br>".join(lines + [line])
    if label is not None and str(label) != "":
        head += f"<br><i>{text_snippet(label, 60)}</i>"
    return head


def item_html(item: Any, kind: str, size: int = 160) -> str:
    """The full item as escaped HTML: the whole text, the image, or a playable clip.

    >>> item_html('He said "hi" & left', "text")
    '<div class="ek-text">He said &quot;hi&quot; &amp; left</div>'
    """
    if kind not in ITEM_KINDS:
        raise InputError(f"kind must be one of {', '.join(ITEM_KINDS)}, got {kind!r}.")
    if kind == "text":
        return f'<div class="ek-text">{html.escape(str(item), quote=True)}</div>'
    name = html.escape(_item_name(item))
    if kind == "image":
        try:
            src = image_thumbnail(item, size)
        except InputError:
            return f'<span class="ek-missing">{name} (image not readable)</span>'
        return f'<img class="ek-image" alt="{name}" title="{name}" src="{src}">'
    seconds = audio_duration(str(item))
    length = f" ({seconds:.1f} s)" if seconds is not None else ""
    return f'<div class="ek-audio"><div>{name}{length}</div>{audio_player(item)}</div>'
