"""Static sentence vectors with wordllama: fast enough for 100,000 texts in a notebook.

A static model looks every token up in one table and pools the token vectors:
no attention, no layers to run, so it embeds thousands of sentences a second on
a CPU (a transformer such as MiniLM manages about a hundred here). It is what
makes a search lesson over a *real* corpus of 100k items fit a workshop.

Two ways to get the weights, and the embedder says which one ran:

- offline: the ``wordllama`` wheel carries ``l2_supercat`` at 256 dimensions;
  its own ``load()`` looks in the wrong folder (a packaging bug), so embedkit
  points it at the package folder with downloads disabled;
- online: any other wordllama config or dimension (64, 128, 512, 1024) is
  downloaded from the Hugging Face hub by wordllama on first use.

>>> from embedkit.static_sentence import StaticSentenceEmbedder
>>> StaticSentenceEmbedder(cache=False).transform(["a small cat", "a kitten"]).shape
(2, 256)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from embedkit.embedder import Embedder
from embedkit.errors import InputError, ModelUnavailableError, require
from embedkit.validation import check_text

__all__ = ["StaticSentenceEmbedder"]


def _packaged_weights(model: str, dim: int) -> Path | None:
    """The wheel's folder when it holds ``model`` at ``dim`` dimensions, else None."""
    try:
        import wordllama
    except ImportError:
        return None
    folder = Path(wordllama.__file__).resolve().parent
    return folder if (folder / "weights" / f"{model}_{dim}.safetensors").exists() else None


class StaticSentenceEmbedder(Embedder):
    """wordllama static sentence vectors (token lookup + mean pooling), float32.

    Parameters
    ----------
    model : str
        wordllama config name; ``"l2_supercat"`` ships in the wheel.
    dim : int
        Output dimensions (Matryoshka truncation); 256 ships in the wheel.
    batch_size, cache, progress
        As for every :class:`~embedkit.embedder.Embedder`.

    >>> StaticSentenceEmbedder().dim
    256
    """

    modality = "text"

    def __init__(self, model: str = "l2_supercat", dim: int = 256, batch_size: int = 512,
                 cache: bool = True, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.model = model
        self.dim = dim

    def _check_item(self, item: Any, index: int) -> Any:
        if not isinstance(item, str):
            raise InputError(
                f"Item {index} is a {type(item).__name__}, not a string: "
                "StaticSentenceEmbedder embeds text. Convert it with str() or drop it."
            )
        return check_text(item, index)

    def _load_model(self) -> Any:
        wordllama = require("wordllama", "search", "StaticSentenceEmbedder")
        folder = _packaged_weights(self.model, self.dim)
        try:
            if folder is not None:
                model = wordllama.WordLlama.load(self.model, cache_dir=folder, dim=self.dim,
                                                 disable_download=True)
                self._say_loaded_from(f"the wordllama package ({folder.name}/weights, offline)")
            else:
                model = wordllama.WordLlama.load(self.model, dim=self.dim)
                self._say_loaded_from("the Hugging Face hub (wordllama download, cached)")
        except Exception as error:  # noqa: BLE001 - any load failure gets one clear message
            raise ModelUnavailableError(
                f"wordllama model {self.model!r} at dim={self.dim} could not be loaded ({error}). "
                "Offline, only model='l2_supercat', dim=256 ships in the wordllama package; "
                "other settings need a network connection for the first download."
            ) from error
        return model

    def _embed_batch(self, model: Any, batch: list) -> np.ndarray:
        vectors = model.embed(batch, norm=False, batch_size=len(batch))
        return np.asarray(vectors, dtype=np.float32)
