"""Contrastive (CLIP-style) training of two towers, and zero-shot classification.

Given a batch of N image-caption pairs, each tower maps its side into one
shared space; the N x N matrix of cosine similarities (times a learned
temperature) should be largest on the diagonal, where each image meets its
own caption. The loss is a cross-entropy over every row (image -> which
caption?) and every column (caption -> which image?): open_clip's ``ClipLoss``.

Trained weights are cached on disk under a content hash of the data, the
towers and every setting, so a second run loads them in milliseconds.

>>> import numpy as np
>>> from embedkit.contrastive import similarity_matrix
>>> similarity_matrix(np.eye(2), np.eye(2)).tolist()
[[1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from embedkit.cache import cached_array, content_hash
from embedkit.errors import InputError, require
from embedkit.validation import check_embeddings, check_items

__all__ = ["similarity_matrix", "train_contrastive", "zero_shot_classify"]


def _unit(X: np.ndarray) -> np.ndarray:
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)


def similarity_matrix(image_vectors: Any, text_vectors: Any) -> np.ndarray:
    """Cosine similarity of every image (rows) with every text (columns).

    >>> print(similarity_matrix([[1, 0]], [[1, 1], [0, 2]]).round(3))
    [[0.707 0.   ]]
    """
    images = check_embeddings(image_vectors, name="image_vectors")
    texts = check_embeddings(text_vectors, name="text_vectors")
    if images.shape[1] != texts.shape[1]:
        raise InputError(f"Image vectors have {images.shape[1]} dimensions and text vectors "
                         f"{texts.shape[1]}: they must come from the same (CLIP-style) model.")
    return _unit(images) @ _unit(texts).T


def train_contrastive(
    image_tower: Any, text_tower: Any, image_inputs: Any, text_inputs: Any, *,
    epochs: int = 60, batch_size: int = 128, lr: float = 1e-3, weight_decay: float = 0.01,
    random_state: int = 0, cache: bool = True, cache_parts: tuple = (),
) -> dict[str, Any]:
    """Train ``image_tower`` and ``text_tower`` (torch modules, changed in place) with ClipLoss.

    ``image_inputs`` / ``text_inputs`` are arrays, row i of each a matching pair
    (frozen-tower features, or pixels). Shuffling and initial weights follow
    ``random_state``. Returns ``{"logit_scale", "loss_history", "seconds", "from_cache"}``.
    ``cache_parts`` must name anything the towers depend on that the inputs do not show.
    """
    torch = require("torch", "image", "contrastive training")
    from open_clip.loss import ClipLoss

    images = np.ascontiguousarray(image_inputs, dtype=np.float32)
    texts = np.ascontiguousarray(text_inputs, dtype=np.float32)
    if len(images) != len(texts) or len(images) < 2:
        raise InputError(f"Need at least 2 matching pairs; got {len(images)} images and {len(texts)} texts.")
    modules = torch.nn.ModuleDict({"image": image_tower, "text": text_tower})
    logit_scale = torch.nn.Parameter(torch.tensor(float(np.log(1 / 0.07))))
    parameters = list(modules.parameters()) + [logit_scale]
    settings = dict(epochs=epochs, batch_size=batch_size, lr=lr, weight_decay=weight_decay,
                    random_state=random_state)
    key = content_hash("contrastive-v1", repr(modules), settings, cache_parts, images, texts)
    n_params = sum(p.numel() for p in parameters)
    from_cache = [True]

    def fit() -> np.ndarray:
        from_cache[0] = False
        started = time.perf_counter()
        generator = torch.Generator().manual_seed(random_state)
        optimiser = torch.optim.AdamW(parameters, lr=lr, weight_decay=weight_decay)
        loss_fn, history = ClipLoss(), []
        image_tensor, text_tensor = torch.from_numpy(images), torch.from_numpy(texts)
        modules.train()
        for _ in range(epochs):
            order = torch.randperm(len(images), generator=generator)
            total = 0.0
            for start in range(0, len(order), batch_size):
                batch = order[start:start + batch_size]
                if len(batch) < 2:
                    continue  # one pair has nothing to be contrasted with
                image_features = torch.nn.functional.normalize(modules["image"](image_tensor[batch]), dim=-1)
                text_features = torch.nn.functional.normalize(modules["text"](text_tensor[batch]), dim=-1)
                loss = loss_fn(image_features, text_features, logit_scale.exp())
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                with torch.no_grad():
                    logit_scale.clamp_(0, np.log(100))  # CLIP's cap on the temperature
                total += loss.item() * len(batch)
            history.append(total / len(images))
        modules.eval()
        vector = torch.nn.utils.parameters_to_vector(parameters).detach().numpy()
        seconds = time.perf_counter() - started
        return np.concatenate([vector, [seconds], history]).astype(np.float32)

    stored = cached_array(key, fit, enabled=cache, description="contrastive towers")
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(torch.from_numpy(stored[:n_params].copy()), parameters)
    modules.eval()
    return {"logit_scale": logit_scale.detach().exp().item(), "loss_history": stored[n_params + 1:].tolist(),
            "seconds": float(stored[n_params]), "from_cache": from_cache[0]}


def zero_shot_classify(embedder: Any, images: Any, class_names: Any,
                       template: str = "a picture of a {}") -> tuple[np.ndarray, np.ndarray]:
    """Label images with whichever class *description* their vector is closest to.

    No classifier is trained: each class name is written into ``template``,
    embedded by the text tower, and compared with the images. Works with any
    embedder that has ``transform`` (images) and ``embed_texts``.
    Returns ``(predicted class names, similarity matrix images x classes)``.
    """
    names = [str(name) for name in check_items(class_names, name="class_names")]
    if "{}" not in template:
        raise InputError(f"template must contain '{{}}' where the class name goes, got {template!r}.")
    if len(set(names)) < 2:
        raise InputError("zero_shot_classify needs at least two different class names.")
    image_vectors = embedder.transform(images)
    text_vectors = embedder.embed_texts([template.format(name) for name in names])
    scores = similarity_matrix(image_vectors, text_vectors)
    return np.array(names, dtype=object)[scores.argmax(axis=1)], scores
