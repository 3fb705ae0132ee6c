"""Skip-gram with negative sampling (SGNS) in plain PyTorch: Word2Vec, written out.

For teaching: short enough to read in one sitting, and trains in seconds on a
slice of a corpus. It is the model inside gensim's ``Word2Vec(sg=1)``:

1. every word gets two vectors: ``center`` (the one we keep) and ``context``;
2. from running text take (center, context) pairs of words at most ``window``
   apart: these are *positive* examples;
3. for each pair draw ``negative`` random words (frequent ones more often):
   *negative* examples;
4. loss = -log sigmoid(center . context) - sum log sigmoid(-center . noise):
   push real pairs' dot products up and random pairs' down;
5. step an optimiser (Adam here) on that loss, batch after batch.

Words that appear in similar contexts get pushed towards the same context
vectors, so their center vectors end up close: that *is* the embedding.

>>> from embedkit.skipgram import train_skipgram
>>> result = train_skipgram([["a", "cat", "sat"], ["a", "dog", "sat"]] * 50, vector_size=8,
...                         min_count=1, epochs=2, batch_size=64)
>>> result.vectors.vector_size, len(result.losses) > 0
(8, True)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedkit.errors import InputError, require
from embedkit.threads import limited_threads
from embedkit.validation import check_int, check_items

__all__ = ["SkipGramResult", "build_vocabulary", "make_skipgram_model", "skipgram_pairs", "train_skipgram"]


def build_vocabulary(sentences: list[list[str]], max_vocab: int = 5000, min_count: int = 3) -> tuple[list[str], np.ndarray]:
    """The ``max_vocab`` most frequent words seen at least ``min_count`` times, and their counts.

    >>> build_vocabulary([["a", "b", "a"]], min_count=1)
    (['a', 'b'], array([2, 1]))
    """
    counts = Counter(word for sentence in sentences for word in sentence)
    kept = [(w, n) for w, n in counts.most_common(max_vocab) if n >= min_count]
    if len(kept) < 2:
        raise InputError(f"Only {len(kept)} word(s) occur at least min_count={min_count} times: "
                         "use a bigger corpus or a lower min_count.")
    return [w for w, _ in kept], np.array([n for _, n in kept])


def skipgram_pairs(sentences: list[list[str]], words: list[str], counts: np.ndarray, window: int = 2,
                   subsample: float = 1e-3, seed: int = 0) -> np.ndarray:
    """All (center, context) index pairs at most ``window`` words apart, as an (n, 2) array.

    Very frequent words ("the", "of") are randomly dropped first, as in
    word2vec: a word with frequency f is kept with probability
    ``sqrt(subsample / f)`` (capped at 1). Unknown words are dropped.

    >>> pairs = skipgram_pairs([["a", "b", "c"]], ["a", "b", "c"], np.array([1, 1, 1]), window=1, subsample=1)
    >>> sorted(pairs.tolist())
    [[0, 1], [1, 0], [1, 2], [2, 1]]
    """
    rng = np.random.default_rng(seed)
    index = {w: i for i, w in enumerate(words)}
    keep = np.minimum(1.0, np.sqrt(subsample / (counts / counts.sum())))
    pairs = []
    for sentence in sentences:
        ids = np.array([index[w] for w in sentence if w in index], dtype=np.int64)
        ids = ids[rng.random(len(ids)) < keep[ids]]
        for offset in range(1, window + 1):
            if len(ids) > offset:
                pairs.append(np.stack([ids[:-offset], ids[offset:]], axis=1))   # context on the right
                pairs.append(np.stack([ids[offset:], ids[:-offset]], axis=1))   # context on the left
    if not pairs:
        raise InputError("The sentences give no (center, context) pairs: they are too short or all unknown words.")
    return np.concatenate(pairs)


def make_skipgram_model(vocab_size: int, vector_size: int) -> Any:
    """The SGNS model: two embedding tables, and the loss as its ``forward``.

    >>> import torch
    >>> model = make_skipgram_model(10, 4)
    >>> model(torch.tensor([1]), torch.tensor([2]), torch.tensor([[3, 4]])).item() > 0
    True
    """
    torch = require("torch", "text", "The PyTorch skip-gram")

    class SkipGramNS(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.center = torch.nn.Embedding(vocab_size, vector_size)
            self.context = torch.nn.Embedding(vocab_size, vector_size)
            torch.nn.init.uniform_(self.center.weight, -0.5 / vector_size, 0.5 / vector_size)
            torch.nn.init.zeros_(self.context.weight)

        def forward(self, centers, contexts, negatives):
            c = self.center(centers)                                          # (batch, d)
            positive = (c * self.context(contexts)).sum(-1)                   # (batch,)
            negative = torch.bmm(self.context(negatives), c.unsqueeze(-1)).squeeze(-1)  # (batch, k)
            loss = -torch.nn.functional.logsigmoid(positive) - torch.nn.functional.logsigmoid(-negative).sum(-1)
            return loss.mean()

    return SkipGramNS()


@dataclass
class SkipGramResult:
    """What :func:`train_skipgram` returns: the vectors, the loss curve, the model."""

    vectors: Any                       #: gensim KeyedVectors of the center vectors
    losses: list[float]                #: mean loss of each batch, in training order
    model: Any = field(repr=False)     #: the trained torch module
    n_pairs: int = 0                   #: training pairs per epoch


def train_skipgram(
    sentences: Any, vector_size: int = 50, window: int = 2, negative: int = 5, epochs: int = 5,
    batch_size: int = 2048, learning_rate: float = 0.02, max_vocab: int = 5000, min_count: int = 3,
    subsample: float = 1e-3, seed: int = 0,
) -> SkipGramResult:
    """Train SGNS on tokenised ``sentences`` with Adam; return vectors and the loss history.

    Seeded (``torch.manual_seed``, numpy ``default_rng``) and single-threaded,
    which is both reproducible and fastest for a model this small. Large
    batches (2048 pairs) keep Python's per-step overhead small.

    >>> result = train_skipgram([["red", "apple"], ["green", "apple"]] * 20, vector_size=4,
    ...                         min_count=1, epochs=1, batch_size=16)
    >>> sorted(result.vectors.index_to_key)
    ['apple', 'green', 'red']
    """
    torch = require("torch", "text", "The PyTorch skip-gram")
    from gensim.models import KeyedVectors

    sentences = check_items(sentences, name="sentences")
    if any(isinstance(s, str) or not all(isinstance(w, str) for w in s) for s in sentences):
        raise InputError("sentences must be lists of word strings; tokenise texts first with embedkit.tokenize.")
    for name, value in {"vector_size": vector_size, "window": window, "negative": negative, "epochs": epochs,
                        "batch_size": batch_size}.items():
        check_int(value, name)
    words, counts = build_vocabulary(sentences, max_vocab, min_count)
    pairs = torch.from_numpy(skipgram_pairs(sentences, words, counts, window, subsample, seed))
    noise = torch.from_numpy(counts.astype(np.float64) ** 0.75)  # word2vec's noise: unigram^0.75

    with limited_threads(1):  # tiny matrices: thread hand-offs cost more than they save
        generator = torch.manual_seed(seed)
        model = make_skipgram_model(len(words), vector_size)
        optimiser = torch.optim.Adam(model.parameters(), lr=learning_rate)
        losses: list[float] = []
        for _ in range(epochs):
            order = torch.randperm(len(pairs), generator=generator)
            for start in range(0, len(pairs), batch_size):
                batch = pairs[order[start : start + batch_size]]
                negatives = torch.multinomial(noise, len(batch) * negative, replacement=True,
                                              generator=generator).view(len(batch), negative)
                loss = model(batch[:, 0], batch[:, 1], negatives)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                losses.append(loss.item())
    vectors = KeyedVectors(vector_size)
    vectors.add_vectors(words, model.center.weight.detach().numpy().copy())
    return SkipGramResult(vectors=vectors, losses=losses, model=model, n_pairs=len(pairs))
