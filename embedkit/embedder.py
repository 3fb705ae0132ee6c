"""One embedder interface for every modality.

An embedder is a scikit-learn transformer: ``fit`` (usually a no-op for
pretrained models), ``transform`` (items -> 2-D float32 array), usable inside a
``Pipeline`` next to a classifier, like koaning's *embetter*. The base class
here does the parts every modality shares, so each concrete embedder only
says how to load its model and embed one batch:

- the model loads on first ``transform``, not in ``__init__``, and is shared
  by every embedder with the same settings (cloning in a grid search does not
  load it again);
- items go through in batches, with a progress bar on long inputs;
- results are cached on disk, keyed by the model and a hash of the items'
  content, so re-running a notebook cell is instant;
- every item is checked before any batch runs, so bad input fails fast with
  the index of the bad item, and no finished work is lost to it.

>>> import numpy as np
>>> from embedkit.embedder import Embedder
>>> class Lengths(Embedder):
...     "Toy embedder: a text's length and word count."
...     modality = "text"
...     def _load_model(self):
...         return len
...     def _embed_batch(self, model, batch):
...         return np.array([[model(t), len(t.split())] for t in batch])
>>> Lengths(cache=False).fit_transform(["a cat", "hello there you"]).tolist()
[[5.0, 2.0], [15.0, 3.0]]
"""

from __future__ import annotations

import sys
import threading
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from embedkit.cache import cached_array, content_hash
from embedkit.errors import InputError
from embedkit.validation import check_items

__all__ = ["Embedder"]

_SHARED_MODELS: dict[tuple, Any] = {}
_SHARED_SOURCES: dict[tuple, str] = {}
# Re-entrant: a model may load another model inside its own _load_model (e.g. a CLIP
# model built on frozen towers).
_LOAD_LOCK = threading.RLock()


class Embedder(TransformerMixin, BaseEstimator):
    """Base class: subclasses implement ``_load_model`` and ``_embed_batch``.

    Parameters shared by all embedders (subclasses pass them through):

    batch_size : int
        Items per forward pass.
    cache : bool
        Read and write the on-disk cache (see :mod:`embedkit.cache`).
    progress : bool or None
        Show a progress bar; ``None`` shows one only for long inputs.

    >>> Embedder().batch_size
    32
    """

    modality: ClassVar[str] = "any"
    #: Inputs shorter than this get no progress bar when ``progress=None``.
    progress_threshold: ClassVar[int] = 256

    def __init__(self, batch_size: int = 32, cache: bool = True, progress: bool | None = None):
        self.batch_size = batch_size
        self.cache = cache
        self.progress = progress

    # --- what subclasses provide -------------------------------------------------
    def _load_model(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _load_model().")

    def _embed_batch(self, model: Any, batch: list) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement _embed_batch().")

    def _check_item(self, item: Any, index: int) -> Any:
        """Validate (and possibly convert) one item before any batch runs."""
        return item

    def _fingerprint(self, item: Any) -> Any:
        """What identifies an item's content for the cache (default: the item itself)."""
        return item

    def _batch_order(self, items: list) -> np.ndarray | None:
        """Order to embed items in (e.g. by length, to cut padding); None keeps input order.

        Results always come back, and errors always name items, in input order.
        """
        return None

    def _model_identity(self) -> tuple:
        """Settings that change the model's output: part of the cache key."""
        return (type(self).__module__, type(self).__qualname__, tuple(sorted(self.get_params().items())))

    # --- the shared machinery ----------------------------------------------------
    @property
    def model_(self) -> Any:
        """The loaded model, loaded on first access and shared across equal embedders."""
        key = self._model_identity()
        with _LOAD_LOCK:
            if key not in _SHARED_MODELS:
                _SHARED_MODELS[key] = self._load_model()
        return _SHARED_MODELS[key]

    @property
    def loaded_from_(self) -> str:
        """Where the model came from (offline package, hub, local file...); loads it."""
        self.model_
        return _SHARED_SOURCES.get(self._model_identity(), "built in code")

    def _say_loaded_from(self, source: str) -> None:
        """Record and announce where the model came from: a learner must see which path ran."""
        _SHARED_SOURCES[self._model_identity()] = source
        # stderr: visible in a notebook, but not part of a cell's result or a doctest.
        print(f"embedkit: {type(self).__name__} model loaded from {source}", file=sys.stderr)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def fit(self, X: Any, y: Any = None) -> "Embedder":
        """Check ``X``; pretrained embedders learn nothing. Returns ``self``."""
        check_items(X)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Embed items ``X``: one row per item, float32.

        >>> class Ones(Embedder):
        ...     def _load_model(self): return None
        ...     def _embed_batch(self, model, batch): return np.ones((len(batch), 2))
        >>> Ones(cache=False).transform(["x", "y", "z"]).shape
        (3, 2)
        """
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise InputError(f"batch_size must be a positive whole number, got {self.batch_size!r}.")
        items = [self._check_item(item, i) for i, item in enumerate(check_items(X))]
        key = content_hash("embedding", self._model_identity(), [self._fingerprint(i) for i in items])
        vectors = cached_array(
            key, lambda: self._embed_all(items), enabled=self.cache,
            description=f"{type(self).__name__} x {len(items)} items",
        )
        self.n_features_out_ = vectors.shape[1]
        return vectors

    def _embed_all(self, items: list) -> np.ndarray:
        model = self.model_
        order = self._batch_order(items)
        if order is not None:
            items = [items[i] for i in order]
        starts = range(0, len(items), self.batch_size)
        show = self.progress if self.progress is not None else len(items) >= self.progress_threshold
        if show:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc=type(self).__name__, unit="batch", leave=False)
        parts = []
        for start in starts:
            batch = items[start : start + self.batch_size]
            vectors = np.asarray(self._embed_batch(model, batch), dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(batch):
                raise RuntimeError(
                    f"{type(self).__name__} returned shape {vectors.shape} for {len(batch)} items."
                )
            parts.append(vectors)
        result = np.vstack(parts)
        if order is not None:
            restored = np.empty_like(result)
            restored[order] = result
            result = restored
        bad = np.flatnonzero(~np.isfinite(result).all(axis=1))
        if len(bad):
            raise InputError(
                f"{type(self).__name__} produced NaN or infinite vectors for items "
                f"{bad[:5].tolist()}: check those items (empty or silent input?)."
            )
        return result

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Column names ``<class>_0 .. <class>_{d-1}`` (known after a transform)."""
        dims = getattr(self, "n_features_out_", None)
        if dims is None:
            raise InputError("Call transform() once before asking for feature names.")
        prefix = type(self).__name__.lower()
        return np.array([f"{prefix}_{i}" for i in range(dims)], dtype=object)
