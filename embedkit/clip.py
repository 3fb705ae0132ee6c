"""CLIP models through open_clip: one image tower, one text tower, one shared space.

CLIP trains an image encoder and a text encoder together so that a photo and
its caption land close to each other. Both towers are exposed:
``embed_images`` (also ``transform``, the scikit-learn way) and ``embed_texts``.

Where the weights come from, and the embedder says which path ran:

- a pretrained tag (``pretrained="openai"``): open_clip downloads the weights
  on first use (network needed) and reuses its cache afterwards;
- a local checkpoint file (``pretrained="/path/open_clip_pytorch_model.bin"``):
  a state dict saved for the named architecture, loaded with no network.

When neither can be had, loading raises
:class:`~embedkit.errors.ModelUnavailableError` naming the model and both ways
to get it. It never falls back to random weights: an untrained CLIP would give
confident-looking nonsense.

>>> from embedkit import OpenClipEmbedder
>>> OpenClipEmbedder("ViT-B-32", pretrained="openai").get_params()["pretrained"]
'openai'
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from embedkit.cache import cached_array, content_hash
from embedkit.embedder import Embedder
from embedkit.errors import InputError, ModelUnavailableError, UnknownNameError, closest_names, require
from embedkit.images import CheckedImage, check_image
from embedkit.threads import check_threads, limited_threads
from embedkit.validation import check_items, check_text

__all__ = ["OpenClipEmbedder"]

_CHECKPOINT_ENDINGS = (".bin", ".pt", ".pth", ".safetensors", ".ckpt")


class _ClipBundle(NamedTuple):
    model: Any
    preprocess: Any
    tokenizer: Any


@contextmanager
def _hub_cache_only():
    """Let the Hugging Face client read its cache but not the network (fails fast offline)."""
    from huggingface_hub import constants

    before = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = before


def _hub_reachable(timeout: float = 3.0) -> bool:
    try:
        socket.create_connection(("huggingface.co", 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def _looks_like_a_file(pretrained: str) -> bool:
    return os.sep in pretrained or pretrained.endswith(_CHECKPOINT_ENDINGS) or Path(pretrained).exists()


class OpenClipEmbedder(Embedder):
    """Embed images (and texts) with an open_clip CLIP model.

    Parameters
    ----------
    model : str
        An open_clip architecture name (``open_clip.list_models()``), e.g. ``"ViT-B-32"``.
    pretrained : str
        A pretrained tag for that architecture (``"openai"``, ``"laion2b_s34b_b79k"``:
        downloaded by open_clip) or the path of a local checkpoint file.
    normalize : bool
        L2-normalise vectors, as CLIP compares them by cosine similarity.
    threads : int or None
        torch threads while embedding; None leaves torch's choice (see CNNEmbedder).

    >>> OpenClipEmbedder(pretrained=None).transform([[0]])
    Traceback (most recent call last):
    ...
    embedkit.errors.InputError: OpenClipEmbedder needs trained weights: pass pretrained='<tag>' (e.g. 'openai') or the path of a checkpoint file. A CLIP with random weights embeds nothing meaningful, so embedkit does not build one.
    """

    modality = "image"

    def __init__(self, model: str = "ViT-B-32", pretrained: str | None = "openai",
                 normalize: bool = True, threads: int | None = None,
                 batch_size: int = 32, cache: bool = True, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.model = model
        self.pretrained = pretrained
        self.normalize = normalize
        self.threads = threads

    def _weights_identity(self) -> Any:
        if isinstance(self.pretrained, str) and Path(self.pretrained).is_file():
            stat = Path(self.pretrained).stat()  # a replaced checkpoint file is a new model
            return (str(Path(self.pretrained).resolve()), stat.st_size, stat.st_mtime_ns)
        return self.pretrained

    def _model_identity(self) -> tuple:
        return ("open_clip", self.model, self._weights_identity())

    def _check_params(self) -> None:
        super()._check_params()
        check_threads(self.threads)
        if not self.pretrained:
            raise InputError(
                "OpenClipEmbedder needs trained weights: pass pretrained='<tag>' (e.g. 'openai') "
                "or the path of a checkpoint file. A CLIP with random weights embeds nothing "
                "meaningful, so embedkit does not build one."
            )
        if not isinstance(self.model, str) or not isinstance(self.pretrained, str):
            raise InputError("model and pretrained must be strings (a name, a tag or a file path).")

    def _ways_to_get_it(self) -> str:
        return (
            f"Ways to get it: (1) online, OpenClipEmbedder({self.model!r}, pretrained='<tag>') "
            f"downloads the weights once (tags for {self.model}: {{tags}}); (2) offline, download "
            "the checkpoint elsewhere, copy the file here and pass its path: "
            f"OpenClipEmbedder({self.model!r}, pretrained='/path/to/open_clip_pytorch_model.bin'). "
            "embedkit.list_models('image') shows models that run offline now (e.g. 'kitclip')."
        )

    def _load_model(self) -> _ClipBundle:
        self._check_params()
        open_clip = require("open_clip", "image", "OpenClipEmbedder")
        if self.model not in open_clip.list_models():
            raise UnknownNameError(
                f"open_clip has no architecture {self.model!r}."
                f"{closest_names(self.model, open_clip.list_models())} See open_clip.list_models()."
            )
        tags = open_clip.list_pretrained_tags_by_model(self.model)
        ways = self._ways_to_get_it().format(tags=", ".join(tags) or "none")
        create = open_clip.create_model_and_transforms
        if _looks_like_a_file(self.pretrained):
            path = Path(self.pretrained).expanduser()
            if not path.is_file():
                raise ModelUnavailableError(f"No checkpoint file at {path} for {self.model}. {ways}")
            try:
                model, _, preprocess = create(self.model, pretrained=str(path), device="cpu")
            except (RuntimeError, KeyError, ValueError, OSError, AssertionError) as error:
                raise ModelUnavailableError(
                    f"The file {path} is not a {self.model} checkpoint open_clip can load "
                    f"({type(error).__name__}: {str(error)[:200]}). Check it was saved for this "
                    "architecture (a state dict of the same model name)."
                ) from None
            source = f"the local checkpoint file {path} ({self.model})"
        else:
            if self.pretrained not in tags:
                raise UnknownNameError(
                    f"open_clip has no pretrained tag {self.pretrained!r} for {self.model}."
                    f"{closest_names(self.pretrained, tags)} Tags: {', '.join(tags) or 'none'}."
                )
            try:
                with _hub_cache_only():
                    model, _, preprocess = create(self.model, pretrained=self.pretrained, device="cpu")
                source = f"open_clip's download cache ({self.model}, {self.pretrained})"
            except Exception:  # not in the cache: download, if there is a network
                if not _hub_reachable():
                    raise ModelUnavailableError(
                        f"The weights of {self.model} (pretrained={self.pretrained!r}) are not on "
                        f"this machine and the model hub cannot be reached (offline). {ways}"
                    ) from None
                try:
                    model, _, preprocess = create(self.model, pretrained=self.pretrained, device="cpu")
                except Exception as error:
                    raise ModelUnavailableError(
                        f"Downloading {self.model} ({self.pretrained}) failed: "
                        f"{type(error).__name__}: {str(error)[:200]}. {ways}"
                    ) from None
                source = f"a download by open_clip ({self.model}, {self.pretrained})"
        model.eval()
        self._say_loaded_from(source)
        return _ClipBundle(model, preprocess, open_clip.get_tokenizer(self.model))

    @property
    def image_transform(self) -> Any:
        """The model's own preprocessing (resize, crop, normalise): PIL image -> tensor."""
        return self.model_.preprocess

    def _check_item(self, item: Any, index: int) -> CheckedImage:
        return check_image(item, index)

    def _fingerprint(self, item: CheckedImage) -> tuple:
        return (item.fingerprint, self.normalize)

    def _finish(self, features: Any) -> np.ndarray:
        if self.normalize:
            features = features / features.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        return features.numpy()

    def _embed_batch(self, bundle: _ClipBundle, batch: list[CheckedImage]) -> np.ndarray:
        import torch

        pixels = torch.stack([bundle.preprocess(item.image) for item in batch])
        with torch.inference_mode(), limited_threads(self.threads):
            return self._finish(bundle.model.encode_image(pixels))

    def embed_images(self, images: Any) -> np.ndarray:
        """Image tower: paths, PIL images or arrays -> one row per image (same as ``transform``)."""
        return self.transform(images)

    def embed_texts(self, texts: Any) -> np.ndarray:
        """Text tower: captions or queries -> one row per text, in the images' space.

        Long texts are cut to the model's context length (77 tokens for most CLIPs).
        """
        texts = check_items(texts, name="texts")
        for index, text in enumerate(texts):
            check_text(text, index, label="Text")

        def compute() -> np.ndarray:
            import torch

            bundle = self.model_
            parts = []
            for start in range(0, len(texts), self.batch_size):
                tokens = bundle.tokenizer(texts[start:start + self.batch_size])
                with torch.inference_mode(), limited_threads(self.threads):
                    parts.append(self._finish(bundle.model.encode_text(tokens)))
            return np.vstack(parts).astype(np.float32)

        key = content_hash("clip-text", self._model_identity(), self.normalize, texts)
        return cached_array(key, compute, enabled=self.cache,
                            description=f"OpenClipEmbedder texts x {len(texts)}")
