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
  content, so re-running a notebook cell is instant; on the way, every few
  batches are stored as a chunk of their own, so an interrupted run (Ctrl-C,
  a dead kernel) resumes from the last finished chunk instead of from zero;
- every item is checked before any batch runs, so bad input fails fast with
  the index of the bad item, and no finished work is lost to it;
- vectors embedded in this kernel are remembered per item (at most 64 MB),
  so a transform over a subset of them, such as a ``Pipeline`` fitted on the
  training rows after the whole set was embedded, reuses them instead of
  running the model again; :func:`release_models` frees the models and these
  vectors when a lesson moves on to another modality.

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

import gc
import logging
import sys
import threading
from collections import OrderedDict
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from embedkit.cache import cached_array, content_hash, discard_entry
from embedkit.errors import InputError
from embedkit.memory import release_freed_memory
from embedkit.validation import check_int, check_items

__all__ = ["Embedder", "notice", "release_models"]

_LOG = logging.getLogger("embedkit")


class _CellOutput(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is now: in Jupyter, the running cell's plain output."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stdout

    @stream.setter
    def stream(self, value):  # StreamHandler.__init__ assigns it; the live sys.stdout wins
        pass


def notice(message: str) -> None:
    """Tell the learner something worth knowing (which model ran, from where), plainly.

    Goes to the ``embedkit`` logger at INFO. Unless that logger was set up by
    the user, it prints to standard output, so JupyterLab shows it as ordinary
    output rather than as a red error.

    >>> notice("this is how embedkit talks")  # doctest: +SKIP
    embedkit: this is how embedkit talks
    """
    if not _LOG.handlers:
        handler = _CellOutput()
        handler.setFormatter(logging.Formatter("embedkit: %(message)s"))
        _LOG.addHandler(handler)
        _LOG.setLevel(logging.INFO)
        _LOG.propagate = False  # printed once, not again by a root handler
    _LOG.info(message)

_SHARED_MODELS: dict[tuple, Any] = {}
_SHARED_SOURCES: dict[tuple, str] = {}
# Re-entrant: a model may load another model inside its own _load_model (e.g. a CLIP
# model built on frozen towers).
_LOAD_LOCK = threading.RLock()
#: Recent results, whole-input key -> (model key, row of each item's content hash, vectors):
#: the per-item memory that lets a transform over a subset of them skip the model.
_RECENT: OrderedDict[str, tuple[str, dict[str, int], np.ndarray]] = OrderedDict()
#: At most this many bytes of vectors are remembered (oldest results go first).
RECENT_MAX_BYTES = 64 * 2**20


def release_models() -> int:
    """Free every model embedkit holds in this kernel; returns how many were freed.

    Embedders share loaded models (one MiniLM for all equal embedders) and keep
    them for the life of the kernel. Call this when a lesson is done with one
    modality, before the next model loads: the models, the vectors remembered
    in memory and their scratch memory are released (on Linux the freed memory
    goes back to the operating system, so the kernel's RSS falls). Nothing on
    disk changes: a model loads again on its next use, results come from the
    disk cache.

    >>> from embedkit import release_models
    >>> release_models() >= 0
    True
    """
    with _LOAD_LOCK:
        count = len(_SHARED_MODELS)
        _SHARED_MODELS.clear()
        _RECENT.clear()
        kitclip = sys.modules.get("embedkit.kitclip")
        if kitclip is not None:  # the frozen-tower features the kit's CLIP trains on
            kitclip._FROZEN.clear()
    gc.collect()
    release_freed_memory()
    return count


def _remember(model_key: str, item_keys: list[str], vectors: np.ndarray) -> None:
    if vectors.nbytes > RECENT_MAX_BYTES // 4 or vectors.dtype == object:
        return
    with _LOAD_LOCK:
        whole = content_hash(model_key, item_keys)
        if whole in _RECENT:  # the same input again (from the disk cache): keep one copy
            _RECENT.move_to_end(whole)
            return
        stored = vectors.copy()
        stored.flags.writeable = False
        _RECENT[whole] = (model_key, {k: i for i, k in enumerate(item_keys)}, stored)
        while sum(entry[2].nbytes for entry in _RECENT.values()) > RECENT_MAX_BYTES:
            _RECENT.popitem(last=False)


def _recall(model_key: str, item_keys: list[str]) -> np.ndarray | None:
    """The vectors of these items if every one was embedded recently by this model, else None.

    Only a new combination of known items is served from memory; the very same input again
    goes to the disk cache (or the model), which stays the one record of a repeated result.
    """
    whole = content_hash(model_key, item_keys)
    with _LOAD_LOCK:
        found: list[np.ndarray | None] = [None] * len(item_keys)
        missing = set(range(len(item_keys)))
        for entry_key, (entry_model, rows, vectors) in reversed(list(_RECENT.items())):
            if entry_model != model_key or entry_key == whole:
                continue
            for i in list(missing):
                row = rows.get(item_keys[i])
                if row is not None:
                    found[i] = vectors[row]
                    missing.discard(i)
            if not missing:
                return np.array(found, dtype=np.float32)  # a fresh array: the caller may change it
    return None


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
    #: Finished work is stored every this many batches, so an interruption loses at most that.
    batches_per_chunk: ClassVar[int] = 4

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
                release_freed_memory()  # loading (or training) leaves scratch memory behind
        return _SHARED_MODELS[key]

    @property
    def loaded_from_(self) -> str:
        """Where the model came from (offline package, hub, local file...); loads it."""
        self.model_
        return _SHARED_SOURCES.get(self._model_identity(), "built in code")

    def _say_loaded_from(self, source: str) -> None:
        """Record and announce where the model came from: a learner must see which path ran."""
        _SHARED_SOURCES[self._model_identity()] = source
        notice(f"{type(self).__name__} model loaded from {source}")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def fit(self, X: Any, y: Any = None) -> "Embedder":
        """Check ``X``; pretrained embedders learn nothing. Returns ``self``."""
        check_items(X)
        self._check_params()
        return self

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        """``fit`` then ``transform`` on the same items (a generator is read once, not twice).

        >>> class Ones(Embedder):
        ...     def _load_model(self): return None
        ...     def _embed_batch(self, model, batch): return np.ones((len(batch), 1))
        >>> Ones(cache=False).fit_transform(t for t in ["a", "b"]).shape
        (2, 1)
        """
        items = check_items(X)
        return self.fit(items, y, **fit_params).transform(items)

    def _check_params(self) -> None:
        """Validate settings once, at the public boundary; subclasses extend it."""
        check_int(self.batch_size, "batch_size")
        if not isinstance(self.cache, (bool, np.bool_)):
            raise InputError(f"cache must be True or False, got {self.cache!r}.")
        if self.progress is not None and not isinstance(self.progress, (bool, np.bool_)):
            raise InputError(f"progress must be True, False or None, got {self.progress!r}.")

    def transform(self, X: Any) -> np.ndarray:
        """Embed items ``X``: one row per item, float32.

        >>> class Ones(Embedder):
        ...     def _load_model(self): return None
        ...     def _embed_batch(self, model, batch): return np.ones((len(batch), 2))
        >>> Ones(cache=False).transform(["x", "y", "z"]).shape
        (3, 2)
        """
        self._check_params()
        items = [self._check_item(item, i) for i, item in enumerate(check_items(X))]
        fingerprints = [self._fingerprint(i) for i in items]
        identity = self._model_identity()
        key = content_hash("embedding", identity, fingerprints)
        chunk_keys: list[str] = []
        model_key = content_hash("embedding-model", identity)
        item_keys = [content_hash("embedding-item", f) for f in fingerprints] if self.cache else []

        recalled = False

        def compute() -> np.ndarray:
            nonlocal recalled
            known = _recall(model_key, item_keys) if item_keys else None   # cache=False: never
            if known is not None:
                recalled = True
                return known
            return self._embed_all(items, fingerprints, identity, chunk_keys)

        vectors = cached_array(key, compute, enabled=self.cache,
                               description=f"{type(self).__name__} x {len(items)} items")
        for chunk_key in chunk_keys:  # the whole entry now holds them
            discard_entry(chunk_key)
        if self.cache and not recalled:  # recalled rows are remembered already
            _remember(model_key, item_keys, vectors)
        self.n_features_out_ = vectors.shape[1]
        return vectors

    def _embed_all(self, items: list, fingerprints: list, identity: tuple, chunk_keys: list) -> np.ndarray:
        """Embed in batches; each chunk of batches is its own cache entry, so work survives a stop."""
        order = self._batch_order(items)
        order = np.arange(len(items)) if order is None else np.asarray(order)
        batch_size = int(self.batch_size)
        chunk = batch_size * self.batches_per_chunk
        show = self.progress if self.progress is not None else len(items) >= self.progress_threshold
        bar = None
        if show:
            from tqdm.auto import tqdm

            bar = tqdm(total=-(-len(items) // batch_size), desc=type(self).__name__, unit="batch",
                       leave=False)
        parts = []
        try:
            for start in range(0, len(items), chunk):
                rows = order[start : start + chunk]
                # Keyed by the chunk's content alone: a re-run over the same items finds it.
                chunk_key = content_hash("embedding-chunk", identity, [fingerprints[i] for i in rows])
                chunk_keys.append(chunk_key)
                parts.append(cached_array(
                    chunk_key, lambda rows=rows: self._embed_chunk([items[i] for i in rows], rows, bar),
                    enabled=self.cache, description=f"{type(self).__name__} chunk of {len(rows)} items"))
                if bar is not None:
                    bar.n = min(bar.total, -(-(start + len(rows)) // batch_size))
                    bar.refresh()
        finally:
            if bar is not None:
                bar.close()
        result = np.empty((len(items), parts[0].shape[1]), dtype=np.float32)
        result[order] = np.vstack(parts)
        release_freed_memory()  # the batches' activations are freed: give the pages back
        return result

    def _embed_chunk(self, chunk: list, rows: np.ndarray, bar: Any) -> np.ndarray:
        model = self.model_
        batch_size = int(self.batch_size)
        parts = []
        for start in range(0, len(chunk), batch_size):
            batch = chunk[start : start + batch_size]
            vectors = np.asarray(self._embed_batch(model, batch), dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(batch):
                raise RuntimeError(
                    f"{type(self).__name__} returned shape {vectors.shape} for {len(batch)} items."
                )
            parts.append(vectors)
            if bar is not None:
                bar.update(1)
        result = np.vstack(parts)
        bad = rows[~np.isfinite(result).all(axis=1)]
        if len(bad):  # raised before the chunk is stored: a bad vector is never cached
            raise InputError(
                f"{type(self).__name__} produced NaN or infinite vectors for items "
                f"{sorted(bad.tolist())[:5]}: check those items (empty or silent input?)."
            )
        return result

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Column names ``<class>_0 .. <class>_{d-1}`` (known after a transform)."""
        dims = getattr(self, "n_features_out_", None)
        if dims is None:
            raise InputError("Call transform() once before asking for feature names.")
        prefix = type(self).__name__.lower()
        return np.array([f"{prefix}_{i}" for i in range(dims)], dtype=object)
