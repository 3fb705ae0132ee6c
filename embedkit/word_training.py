"""Training word vectors with gensim: Word2Vec (skip-gram, CBOW) and FastText.

Training takes seconds to a minute, so every trained model is cached on disk
(gensim's own ``save``/``load``, in embedkit's cache folder), keyed by a hash
of the tokenised corpus and of every training setting: asking for the same
model again is a fast load, and changing any setting trains a new one.
Training is seeded; ``workers=1`` makes it exactly reproducible.

>>> from embedkit.word_training import tokenize, train_word2vec
>>> sentences = tokenize(["The cat sat on the mat.", "The dog sat on the rug."] * 20)
>>> train_word2vec(sentences, vector_size=8, min_count=1, epochs=1, workers=1, cache=False).wv.vector_size
8
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from embedkit.cache import cache_dir, content_hash
from embedkit.errors import InputError, require
from embedkit.validation import check_items

__all__ = ["corpus_sentences", "tokenize", "train_fasttext", "train_word2vec"]

#: Tokens shorter or longer than these are dropped by :func:`tokenize`
#: (gensim's default upper limit, 15, would silently drop "internationalization").
MIN_TOKEN_CHARS, MAX_TOKEN_CHARS = 2, 30


# --- tokens -------------------------------------------------------------------------
def tokenize(texts: Any) -> list[list[str]]:
    """Split texts into lower-case word tokens with gensim's ``simple_preprocess``.

    Only alphabetic tokens of 2 to 30 characters are kept (numbers and
    punctuation go). Every item must be a string; empty texts give ``[]``.

    >>> tokenize(["The King's horses", "  "])
    [['the', 'king', 'horses'], []]
    """
    from gensim.utils import simple_preprocess

    items = check_items(texts, name="texts")
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise InputError(f"Text {i} is a {type(text).__name__}, not a string: {text!r:.60}.")
    return [simple_preprocess(text, min_len=MIN_TOKEN_CHARS, max_len=MAX_TOKEN_CHARS) for text in items]


def corpus_sentences(name: str = "word_corpus") -> list[list[str]]:
    """Tokenised sentences of a bundled text data set (one per row), memoised.

    >>> sentences = corpus_sentences("wordnet_glosses")
    >>> len(sentences) > 100 and all(isinstance(w, str) for w in sentences[0])
    True
    """
    return [list(s) for s in _corpus_sentences(name)]


@functools.lru_cache(maxsize=2)
def _corpus_sentences(name: str) -> tuple[tuple[str, ...], ...]:
    from embedkit.examples import load_example

    return tuple(tuple(s) for s in tokenize(load_example(name)["text"]))


def _check_sentences(sentences: Any) -> list[list[str]]:
    items = check_items(sentences, name="sentences")
    for i, sentence in enumerate(items):
        if isinstance(sentence, str):
            raise InputError(
                f"sentences[{i}] is a plain string; training needs lists of tokens. "
                "Tokenise first: embedkit.tokenize(texts)."
            )
        if not isinstance(sentence, (list, tuple)) or not all(isinstance(w, str) for w in sentence):
            raise InputError(f"sentences[{i}] must be a list of word strings, got {sentence!r:.60}.")
    items = [list(s) for s in items if len(s)]
    if sum(map(len, items)) < 10:
        raise InputError("The corpus has fewer than 10 tokens: too little to learn word vectors from.")
    return items


# --- training with gensim, cached -----------------------------------------------------------
def _corpus_digest(sentences: list[list[str]]) -> str:
    # One big string hashes fast; hashing 3M tokens one by one would not.
    return content_hash("\n".join(" ".join(s) for s in sentences))


def _train_cached(kind: str, sentences: Any, params: dict[str, Any], cache: bool) -> Any:
    gensim_models = require("gensim.models", "text", f"Training {kind}")
    import gensim

    model_class = {"word2vec": gensim_models.Word2Vec, "fasttext": gensim_models.FastText}[kind]
    sentences = _check_sentences(sentences)
    if params["workers"] not in (1, 2):
        raise InputError(f"workers must be 1 (exactly reproducible) or 2, got {params['workers']!r}.")
    key = content_hash(kind, gensim.__version__, _corpus_digest(sentences), params)
    folder = cache_dir() / f"{kind}-{key[:32]}"
    if cache and (folder / "model").exists():
        try:
            return model_class.load(str(folder / "model"))
        except Exception as error:  # a damaged entry is retrained, never trusted
            warnings.warn(f"embedkit: cached {kind} model {folder.name} is damaged ({error}); retraining.",
                          stacklevel=3)
            shutil.rmtree(folder, ignore_errors=True)
    model = model_class(sentences, **params)
    if cache:
        # gensim may write several files per model: write them into a temporary
        # folder and rename it into place, so a crash never leaves half an entry.
        tmp = Path(tempfile.mkdtemp(dir=cache_dir(), prefix=".tmp-"))
        try:
            model.save(str(tmp / "model"))
            os.replace(tmp, folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not (folder / "model").exists():
                raise
    return model


def train_word2vec(
    sentences: Any, *, sg: int = 0, vector_size: int = 100, window: int = 5, min_count: int = 5,
    epochs: int = 6, negative: int = 5, sample: float = 1e-3, alpha: float | None = None, seed: int = 0,
    workers: int = 2, cache: bool = True,
) -> Any:
    """Train (or load from the cache) a gensim ``Word2Vec``: ``sg=1`` skip-gram, ``sg=0`` CBOW.

    ``sentences`` are lists of tokens (see :func:`tokenize`). ``workers=1`` is
    exactly reproducible; with 2 threads the result varies very slightly.
    ``alpha`` (start learning rate) defaults to the original word2vec tool's:
    0.05 for CBOW, 0.025 for skip-gram (gensim uses 0.025 for both; on the
    bundled corpus CBOW reaches in 6 epochs at 0.05 what takes 10+ at 0.025).

    >>> from gensim.test.utils import common_texts
    >>> model = train_word2vec(common_texts, vector_size=8, min_count=1, epochs=2, cache=False)
    >>> model.wv.vector_size, "computer" in model.wv
    (8, True)
    """
    alpha = (0.025 if sg else 0.05) if alpha is None else alpha
    params = dict(sg=sg, vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
                  negative=negative, sample=sample, alpha=alpha, seed=seed, workers=workers)
    return _train_cached("word2vec", sentences, params, cache)


def train_fasttext(
    sentences: Any, *, sg: int = 1, vector_size: int = 100, window: int = 5, min_count: int = 5,
    epochs: int = 5, negative: int = 5, sample: float = 1e-3, min_n: int = 3, max_n: int = 5,
    bucket: int = 200_000, seed: int = 0, workers: int = 2, cache: bool = True,
) -> Any:
    """Train (or load from the cache) a gensim ``FastText`` model.

    FastText also learns vectors for character n-grams (``min_n`` to
    ``max_n`` letters, hashed into ``bucket`` rows), so it can build a vector
    for a word it never saw, such as a misspelling.

    >>> from gensim.test.utils import common_texts
    >>> model = train_fasttext(common_texts, vector_size=8, min_count=1, epochs=2, cache=False)
    >>> model.wv["computerz"].shape   # never seen: built from its n-grams
    (8,)
    """
    params = dict(sg=sg, vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
                  negative=negative, sample=sample, min_n=min_n, max_n=max_n, bucket=bucket, seed=seed,
                  workers=workers)
    return _train_cached("fasttext", sentences, params, cache)
