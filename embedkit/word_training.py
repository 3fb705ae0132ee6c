"""Training word vectors with gensim: Word2Vec (skip-gram, CBOW) and FastText.

Training takes seconds to a minute, so every trained model is cached on disk
(gensim's own ``save``/``load``, in embedkit's cache folder), keyed by a hash
of the tokenised corpus and of every training setting: asking for the same
model again is a fast load, and changing any setting trains a new one.
gensim's ``load`` runs pickle, so a cached model is loaded only if its files
match an HMAC signature made with this user's key (kept outside the cache
folder): a file planted in the cache folder is retrained over, never run.
Training is seeded; ``workers=1`` makes it exactly reproducible.

>>> from embedkit.word_training import tokenize, train_word2vec
>>> sentences = tokenize(["The cat sat on the mat.", "The dog sat on the rug."] * 20)
>>> train_word2vec(sentences, vector_size=8, min_count=1, epochs=1, workers=1, cache=False).wv.vector_size
8
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from embedkit.cache import file_sha256, cache_dir, content_hash
from embedkit.errors import CacheUnavailableError, InputError, require
from embedkit.validation import check_int, check_items

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


_SIGNATURE = "embedkit-signature.json"


@functools.lru_cache(maxsize=1)
def _signing_key() -> bytes:
    """This user's secret for signing cached models, kept outside the cache folder (mode 0600).

    Whoever can write into a (possibly shared) cache folder cannot forge the
    signature, so gensim's pickle-based ``load`` only ever opens files this
    user's embedkit wrote. If the key cannot be stored, a per-process key is
    used: models are then cached for this session only.
    """
    home = os.environ.get("EMBEDKIT_KEY_DIR") or Path.home() / ".config" / "embedkit"
    path = Path(home) / "cache-signing-key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
            if len(key) >= 32:
                return key
            raise OSError(f"{path} is too short to be a key") from None
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return path.read_bytes()
    except OSError as error:
        warnings.warn(f"embedkit: cannot keep a signing key in {path} ({error}); trained models are "
                      "cached for this session only.", stacklevel=4)
        return secrets.token_bytes(32)


def _folder_digest(folder: Path, label: str) -> dict[str, Any]:
    files = {p.name: file_sha256(p) for p in sorted(folder.iterdir()) if p.name != _SIGNATURE}
    payload = json.dumps({"label": label, "files": files}, sort_keys=True).encode()
    return {"label": label, "files": files,
            "hmac": hmac.new(_signing_key(), payload, hashlib.sha256).hexdigest()}


def _sign(folder: Path, label: str) -> None:
    (folder / _SIGNATURE).write_text(json.dumps(_folder_digest(folder, label)))


def _verified(folder: Path, label: str) -> bool:
    """True only if every file in ``folder`` is exactly what this user's embedkit signed."""
    try:
        stored = json.loads((folder / _SIGNATURE).read_text())
        expected = _folder_digest(folder, label)
        return hmac.compare_digest(str(stored.get("hmac", "")), expected["hmac"])
    except (OSError, ValueError, AttributeError):
        return False


def _train_cached(kind: str, sentences: Any, params: dict[str, Any], cache: bool) -> Any:
    gensim_models = require("gensim.models", "text", f"Training {kind}")
    import gensim

    model_class = {"word2vec": gensim_models.Word2Vec, "fasttext": gensim_models.FastText}[kind]
    sentences = _check_sentences(sentences)
    if params["workers"] not in (1, 2):
        raise InputError(f"workers must be 1 (exactly reproducible) or 2, got {params['workers']!r}.")
    for name, value in params.items():
        if name in ("vector_size", "window", "epochs", "min_n", "max_n", "bucket"):
            params[name] = check_int(value, name)
        elif name in ("sg", "min_count", "negative", "seed"):
            params[name] = check_int(value, name, minimum=0)
    key = content_hash(kind, gensim.__version__, _corpus_digest(sentences), params)
    try:
        root = cache_dir() if cache else None
    except CacheUnavailableError as error:
        warnings.warn(f"{error} The {kind} model is trained but not cached.", stacklevel=3)
        root = None
    if root is None:
        return model_class(sentences, **params)
    folder = root / f"{kind}-{key[:32]}"
    label = f"{kind}-{key}"
    if folder.is_dir() and (folder / "model").exists():
        if _verified(folder, label):
            try:
                return model_class.load(str(folder / "model"))
            except Exception as error:  # a damaged entry is retrained, never trusted
                reason = f"is damaged ({error})"
        else:
            reason = "does not carry this user's embedkit signature (written elsewhere, or altered)"
        warnings.warn(f"embedkit: cached {kind} model {folder.name} {reason}; it is not loaded "
                      "(loading runs pickle) and will be retrained.", stacklevel=3)
        shutil.rmtree(folder, ignore_errors=True)
    model = model_class(sentences, **params)
    # gensim may write several files per model: write them into a temporary
    # folder and rename it into place, so a crash never leaves half an entry.
    tmp = None
    try:
        tmp = Path(tempfile.mkdtemp(dir=root, prefix=".tmp-"))
        model.save(str(tmp / "model"))
        _sign(tmp, label)
        os.replace(tmp, folder)
    except OSError as error:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if not (folder / "model").exists():  # else another process stored the same model first
            warnings.warn(f"embedkit: could not cache the trained {kind} model in {root} "
                          f"({type(error).__name__}: {error}); it is returned but not cached.",
                          stacklevel=3)
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
