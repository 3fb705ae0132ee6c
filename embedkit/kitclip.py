"""The kit's own CLIP-style model, trained here in seconds from the bundled images.

Real CLIP learns both towers from 400 million image-caption pairs. With about
a thousand pairs (the bundled emoji, captioned from their names and
subgroups) we can still learn the *alignment*: keep two pretrained towers
FROZEN (the ImageNet CNN for images, MiniLM for text), compute their features
once, and train only a small projection head on each side with the CLIP loss,
so that an image and its caption meet in one 64-d space.

Some categories (emoji subgroups) are HELD OUT of training entirely; the
model is scored on them zero-shot: each held-out image is labelled with the
closest category description ("an emoji of food fruit"), none of which it
saw in training. ``training_report_`` holds that accuracy next to chance.

``image_tower="vit"`` swaps the CNN for a tiny Vision Transformer built with
open_clip's ViT code and trained from scratch on the same pairs, for an honest
comparison: a ViT has no built-in notion of images (no convolutions) and needs
far more data than a thousand 32-pixel emoji to learn one.

>>> from embedkit import KitClipEmbedder
>>> KitClipEmbedder().get_params()["image_tower"]
'cnn'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.cnn import CNNEmbedder
from embedkit.contrastive import similarity_matrix, train_contrastive
from embedkit.embedder import Embedder
from embedkit.errors import InputError, UnknownNameError, closest_names, require
from embedkit.images import CheckedImage, check_image
from embedkit.threads import limited_threads
from embedkit.sentence import SentenceEmbedder
from embedkit.validation import check_int, check_items, check_text

__all__ = ["KitClipEmbedder", "TextSide", "caption_pairs", "tiny_vit"]

#: How each bundled data set becomes captions: caption, category column, prompt, held out.
DATASETS: dict[str, dict[str, Any]] = {
    "emoji": {"caption": "an emoji of {name}, {category}", "category": "subgroup",
              "prompt": "an emoji of {}", "held_out": 20},
    "clipart": {"caption": "a drawing of {name}, a {category}", "category": "category",
                "prompt": "a drawing of a {}", "held_out": 2},
}
#: Settings measured on the emoji set (see notebook 06): dropout on the frozen
#: features was the one change that stopped the heads memorising the captions.
TOWER_DEFAULTS = {"cnn": {"epochs": 20, "lr": 1e-3}, "vit": {"epochs": 25, "lr": 1e-3}}
VIT_IMAGE_SIZE = 32
#: Pairs and frozen features per model setting, shared by equal embedders in this kernel.
_FROZEN: dict[tuple, dict[str, Any]] = {}


def _words(category: str) -> str:
    return category.replace("-", " ").replace("&", "and")


def caption_pairs(data: str = "emoji", held_out: int | None = None, random_state: int = 0) -> pd.DataFrame:
    """Image-caption pairs from a bundled labelled image set, with a train / held-out split.

    Whole categories are held out (only categories with at least 5 images are
    drawn), so zero-shot accuracy on them measures transfer to unseen concepts.

    >>> pairs = caption_pairs("emoji")
    >>> pairs.loc[0, "caption"], sorted(pairs["split"].unique())
    ('an emoji of grinning face, face smiling', ['held_out', 'train'])
    """
    if data not in DATASETS:
        raise UnknownNameError(f"No caption recipe for {data!r}.{closest_names(str(data), list(DATASETS))} "
                               f"Choose one of {', '.join(DATASETS)}.")
    from embedkit.examples import load_example

    recipe = DATASETS[data]
    table = load_example(data).reset_index(drop=True)
    categories = table[recipe["category"]].astype(str)
    counts = categories.value_counts()
    eligible = sorted(counts[counts >= 5].index)
    count = recipe["held_out"] if held_out is None else held_out
    count = check_int(count, f"held_out (for {data!r})", minimum=2, maximum=len(eligible) - 2)
    chosen = set(np.random.default_rng(random_state).choice(eligible, count, replace=False))
    return pd.DataFrame({
        "path": table["path"],
        "caption": [recipe["caption"].format(name=name, category=_words(category))
                    for name, category in zip(table["name"], categories)],
        "category": categories,
        "prompt": [recipe["prompt"].format(_words(category)) for category in categories],
        "split": np.where(categories.isin(chosen), "held_out", "train"),
    })


def _vit_pixels(items: list[CheckedImage]) -> np.ndarray:
    """Shrink to 32 x 32 and scale to -1..1: all the tiny ViT sees."""
    from PIL import Image

    size = (VIT_IMAGE_SIZE, VIT_IMAGE_SIZE)
    pixels = np.stack([np.asarray(item.image.resize(size, Image.BOX), dtype=np.float32) for item in items])
    return (pixels.transpose(0, 3, 1, 2) / 127.5 - 1.0).astype(np.float32)


def tiny_vit(output_dim: int = 64) -> Any:
    """A Vision Transformer small enough to train on a laptop CPU, from open_clip's code.

    32 x 32 pixels cut into 16 patches of 8 x 8; each patch becomes a 96-d
    token, a learned class token is prepended, 3 transformer layers mix them.
    (CLIP ViT-B/32: 224 px, 49 patches, 768-d, 12 layers, 88M parameters.)
    """
    require("open_clip", "image", "the tiny ViT")
    from open_clip.transformer import VisionTransformer

    return VisionTransformer(image_size=VIT_IMAGE_SIZE, patch_size=8, width=96, layers=3, heads=4,
                             mlp_ratio=2.0, output_dim=output_dim)


class KitClipEmbedder(Embedder):
    """The kit's CLIP-style model: images and texts in one space, trained on first use.

    Parameters
    ----------
    data : {"emoji", "clipart"}
        Bundled image set whose names and categories become the captions.
    image_tower : {"cnn", "vit"}
        Frozen pretrained EfficientNet features + a trained head, or a tiny
        ViT trained from scratch. The text tower is always frozen MiniLM + a trained head.
    dim : int
        Size of the shared space.
    held_out : int or None
        Categories kept out of training for the zero-shot score (None: the data set's default).
    epochs : int or None
        Passes over the training pairs (None: the tower's measured default).
    image_size : int
        Input size of the CNN tower (emoji are 64 px; 96 loses nothing and is fast).

    >>> KitClipEmbedder(image_tower="vit").dim
    64
    """

    modality = "image"

    def __init__(self, data: str = "emoji", image_tower: str = "cnn", dim: int = 64,
                 held_out: int | None = None, epochs: int | None = None, image_size: int = 96,
                 random_state: int = 0, batch_size: int = 64, cache: bool = True,
                 progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.data = data
        self.image_tower = image_tower
        self.dim = dim
        self.held_out = held_out
        self.epochs = epochs
        self.image_size = image_size
        self.random_state = random_state

    def _model_identity(self) -> tuple:
        return ("kitclip", self.data, self.image_tower, self.dim, self.held_out, self.epochs,
                self.image_size, self.random_state)

    def _check_params(self) -> None:
        super()._check_params()
        if self.image_tower not in TOWER_DEFAULTS:
            raise UnknownNameError(f"image_tower must be 'cnn' or 'vit', got {self.image_tower!r}.")
        check_int(self.dim, "dim", minimum=2, maximum=1024)
        check_int(self.held_out, "held_out", minimum=2, allow_none=True)
        check_int(self.epochs, "epochs", allow_none=True)
        check_int(self.image_size, "image_size", minimum=32)

    # --- the two frozen towers ------------------------------------------------------------
    def _cnn(self) -> CNNEmbedder:
        return CNNEmbedder(image_size=self.image_size, cache=self.cache, progress=self.progress)

    def _text_features(self, texts: list[str]) -> np.ndarray:
        # MiniLM ran 5x faster on one thread than on two on the busy 2-core machine.
        with limited_threads(1):
            return SentenceEmbedder(cache=self.cache, progress=False).transform(texts)

    def _image_inputs(self, items: list[CheckedImage]) -> np.ndarray:
        if self.image_tower == "vit":
            return _vit_pixels(items)
        # Images of the training set reuse their frozen features: no second CNN pass.
        known = self._frozen_inputs()["rows_by_fingerprint"]
        features = self._frozen_inputs()["images"]
        rows = [known.get(item.fingerprint) for item in items]
        missing = [item for item, row in zip(items, rows) if row is None]
        if not missing:
            return features[rows]
        cnn = self._cnn()
        fresh = iter(cnn._embed_batch(cnn.model_, missing))
        return np.stack([features[row] if row is not None else next(fresh) for row in rows])

    def _training_inputs(self, checked: list[CheckedImage]) -> np.ndarray:
        if self.image_tower == "cnn":
            return self._cnn().transform([item.image for item in checked])  # cached on disk
        return _vit_pixels(checked)

    # --- training -------------------------------------------------------------------------
    def _frozen_inputs(self) -> dict[str, Any]:
        """Pairs and frozen-tower features, computed once per setting (and cached on disk)."""
        key = self._model_identity()
        if key not in _FROZEN:
            self._check_params()
            pairs = caption_pairs(self.data, self.held_out, self.random_state)
            categories = sorted(pairs["category"].unique())
            prompts = [DATASETS[self.data]["prompt"].format(_words(c)) for c in categories]
            checked = [check_image(path, i) for i, path in enumerate(pairs["path"])]
            _FROZEN[key] = {
                "pairs": pairs,
                "rows_by_fingerprint": {item.fingerprint: row for row, item in enumerate(checked)},
                "images": self._training_inputs(checked),
                "texts": self._text_features(pairs["caption"].tolist()),
                "prompts": dict(zip(categories, self._text_features(prompts))),
            }
        return _FROZEN[key]

    def _load_model(self) -> dict[str, Any]:
        torch = require("torch", "image", "KitClipEmbedder")
        frozen = self._frozen_inputs()
        pairs, images, texts = frozen["pairs"], frozen["images"], frozen["texts"]
        train = (pairs["split"] == "train").to_numpy()
        settings = TOWER_DEFAULTS[self.image_tower]
        epochs = settings["epochs"] if self.epochs is None else self.epochs
        torch.manual_seed(self.random_state)
        if self.image_tower == "cnn":
            image_head = torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Linear(images.shape[1], self.dim))
        else:
            image_head = tiny_vit(self.dim)
        text_head = torch.nn.Sequential(torch.nn.Dropout(0.25), torch.nn.Linear(texts.shape[1], self.dim))
        with limited_threads(1):
            result = train_contrastive(
                image_head, text_head, images[train], texts[train], epochs=epochs, lr=settings["lr"],
                weight_decay=0.1, random_state=self.random_state, cache=self.cache,
                cache_parts=(self.data, self.image_tower, self.image_size),
            )
        bundle = {"image": image_head, "text": text_head}
        self._say_loaded_from(
            ("the on-disk cache of its trained heads" if result["from_cache"] else
             f"training just now ({result['seconds']:.1f} s)")
            + f" ({self.image_tower} image tower, {int(train.sum())} {self.data} pairs)"
        )
        bundle["report"] = self._evaluate(bundle, frozen, result, epochs)
        return bundle

    def _project(self, head: Any, inputs: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode(), limited_threads(1):
            vectors = head(torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32)))
            return torch.nn.functional.normalize(vectors, dim=-1).numpy()

    def _evaluate(self, bundle: dict, frozen: dict, result: dict, epochs: int) -> dict[str, Any]:
        pairs, images, texts = frozen["pairs"], frozen["images"], frozen["texts"]
        report: dict[str, Any] = {"data": self.data, "image_tower": self.image_tower, "epochs": epochs,
                                  "train_seconds": result["seconds"], "loss_history": result["loss_history"]}
        for split in ("train", "held_out"):
            rows = (pairs["split"] == split).to_numpy()
            categories = sorted(pairs.loc[rows, "category"].unique())
            prompts = np.stack([frozen["prompts"][c] for c in categories])
            image_vectors = self._project(bundle["image"], images[rows])
            scores = similarity_matrix(image_vectors, self._project(bundle["text"], prompts))
            truth = pairs.loc[rows, "category"].map({c: i for i, c in enumerate(categories)}).to_numpy()
            report[f"{split}_categories"] = categories
            report[f"{split}_zero_shot_accuracy"] = float((scores.argmax(axis=1) == truth).mean())
            report[f"{split}_chance"] = 1.0 / len(categories)
            # image -> its own caption among all captions of the split
            own = similarity_matrix(image_vectors, self._project(bundle["text"], texts[rows]))
            report[f"{split}_caption_retrieval"] = float((own.argmax(axis=1) == np.arange(rows.sum())).mean())
        report["held_out_images"] = int((pairs["split"] == "held_out").sum())
        return report

    @property
    def training_report_(self) -> dict[str, Any]:
        """Zero-shot accuracy on held-out categories vs chance, training time, loss per epoch."""
        return self.model_["report"]

    # --- the embedder interface -----------------------------------------------------------
    def _check_item(self, item: Any, index: int) -> CheckedImage:
        return check_image(item, index)

    def _fingerprint(self, item: CheckedImage) -> str:
        return item.fingerprint

    def _embed_batch(self, bundle: dict, batch: list[CheckedImage]) -> np.ndarray:
        return self._project(bundle["image"], self._image_inputs(batch))

    def embed_images(self, images: Any) -> np.ndarray:
        """Image tower: paths, PIL images or arrays -> unit vectors (same as ``transform``)."""
        return self.transform(images)

    def embed_texts(self, texts: Any) -> np.ndarray:
        """Text tower: texts -> unit vectors in the images' space.

        >>> KitClipEmbedder().embed_texts(["an emoji of a cat", " "])
        Traceback (most recent call last):
        ...
        embedkit.errors.InputError: Text 1 is empty or only whitespace/invisible characters (' '): there is nothing to embed. Drop it, or replace it with a placeholder word.
        """
        texts = check_items(texts, name="texts")
        for index, text in enumerate(texts):
            check_text(text, index, label="Text")
        return self._project(self.model_["text"], self._text_features(texts))

    def text_embedder(self) -> "TextSide":
        """This model's text tower as an embedder of its own (``transform(texts)``).

        Hand it to ``Explorer(..., embedder=...)`` to type a text query onto an image map.
        """
        return TextSide(self)


class TextSide:
    """Wraps a two-tower embedder so ``transform`` embeds texts (for text-to-image search)."""

    def __init__(self, embedder: Any):
        self.embedder = embedder

    def transform(self, texts: Any) -> np.ndarray:
        """Embed texts with the wrapped model's text tower."""
        return self.embedder.embed_texts(texts)
