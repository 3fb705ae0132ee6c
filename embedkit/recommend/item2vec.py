"""item2vec: Word2Vec where the "sentences" are users' item sequences.

Barkan & Koenigstein (2016): treat each user's items, in the order they were
used, as a sentence, and train skip-gram (gensim ``Word2Vec``) on them. Items
used in the same contexts get close vectors, exactly as words that share
contexts do in notebook 03. To recommend, the model predicts the items that
come in the context of the user's last ``last_n`` items, as gensim's
``Word2Vec.predict_output_word`` does: the summed input vectors of the
context dotted with every item's output vector, a softmax over the items.

>>> log = {"user": list("aabbcc"), "item": ["x", "y", "x", "y", "z", "w"], "step": [0, 1] * 3}
>>> Item2VecRecommender(vector_size=4, epochs=5).fit(log).item_vectors_.shape
(4, 4)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError
from embedkit.recommend.base import Recommender
from embedkit.validation import check_int

__all__ = ["Item2VecRecommender"]


class Item2VecRecommender(Recommender):
    """Skip-gram item vectors over users' sequences (gensim), seeded; ``workers=1`` is exact."""

    def __init__(self, vector_size: int = 32, window: int = 5, epochs: int = 20,
                 negative: int = 5, last_n: int | None = 3, items: Any = None,
                 random_state: int = 0, workers: int = 1):
        self.vector_size, self.window, self.epochs = vector_size, window, epochs
        self.negative, self.last_n, self.items = negative, last_n, items
        self.random_state, self.workers = random_state, workers

    def _fit(self, frame, users, items) -> None:
        from gensim.models import Word2Vec

        if self.last_n is not None and (not isinstance(self.last_n, int) or self.last_n < 1):
            raise InputError(f"last_n must be a whole number >= 1 or None, got {self.last_n!r}.")
        for name in ("vector_size", "window", "epochs", "workers"):
            check_int(getattr(self, name), name)  # gensim hangs (a worker thread dies) on window=0
        check_int(self.negative, "negative", minimum=0)
        sentences = [[str(i) for i in history] for history in self.histories_]
        # sample=0: no down-sampling of frequent items, popular installs are signal here
        model = Word2Vec(sentences, vector_size=self.vector_size, window=self.window,
                         min_count=1, sg=1, negative=self.negative, epochs=self.epochs,
                         seed=self.random_state, workers=self.workers, sample=0)
        self.model_ = model
        vectors = np.zeros((len(self.items_), self.vector_size))
        known = np.array([model.wv.key_to_index[k] for k in model.wv.index_to_key], dtype=int)
        keys = np.array([int(k) for k in model.wv.index_to_key], dtype=int)
        vectors[keys] = model.wv.vectors[known]
        self.item_vectors_ = vectors
        self.known_items_ = np.zeros(len(self.items_), dtype=bool)
        self.known_items_[keys] = True
        outputs = np.zeros_like(vectors)
        outputs[keys] = model.syn1neg[known]
        self.output_vectors_ = outputs
        recent = [h if self.last_n is None else h[-self.last_n:] for h in self.histories_]
        self.contexts_ = np.stack([vectors[h].sum(axis=0) for h in recent])

    def _score(self, users: np.ndarray) -> np.ndarray:
        # log of predict_output_word's softmax; items without a vector can not be predicted
        logits = self.contexts_[users] @ self.output_vectors_.T
        logits = logits - logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits)[:, self.known_items_].sum(axis=1, keepdims=True))
        return np.where(self.known_items_, log_p, -1e9)
