"""TF-IDF + truncated SVD: the classic bag-of-words sentence baseline (LSA).

TF-IDF gives each text a long sparse vector (one weight per vocabulary word:
frequent in this text, rare in the collection = high weight); a truncated SVD
then compresses it to ``n_components`` dense dimensions that mix co-occurring
words (latent semantic analysis). Unlike a pretrained model it must be
*fitted* on a collection first, and it knows only the words it saw there.
Texts of any length are used whole: nothing is truncated.

>>> from embedkit.tfidf import TfidfSvdEmbedder
>>> texts = ["a cat purrs", "a kitten purrs", "dogs bark", "a dog barks loudly"]
>>> TfidfSvdEmbedder(n_components=2).fit_transform(texts).shape
(4, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils import validation as _sklearn_validation

from embedkit.errors import InputError
from embedkit.validation import check_int, check_items, check_text

__all__ = ["TfidfSvdEmbedder", "NotFittedYetError"]


class NotFittedYetError(InputError, NotFittedError):
    """transform() before fit(): an embedkit error that scikit-learn also recognises."""


def check_is_fitted(estimator: Any, attribute: str, msg: str = "") -> None:
    try:
        _sklearn_validation.check_is_fitted(estimator, attribute, msg=msg or None)
    except NotFittedError as error:
        raise NotFittedYetError(str(error)) from None


def _check_texts(X: Any) -> list[str]:
    texts = check_items(X, name="texts")
    for i, text in enumerate(texts):
        check_text(text, i)
    return texts


class TfidfSvdEmbedder(TransformerMixin, BaseEstimator):
    """``TfidfVectorizer`` then ``TruncatedSVD`` then unit length, as one fitted transformer.

    Parameters
    ----------
    n_components : int
        Output dimensions (at most the fitted vocabulary size minus one).
    stop_words : str or None
        ``"english"`` drops function words (the, of, ...) before weighting.
    sublinear_tf : bool
        Use 1 + log(count): ten repeats of a word are not ten times the evidence.
    min_df : int
        Ignore words found in fewer texts than this.
    random_state : int
        Seeds the randomised SVD solver.
    handle_unknown : {"error", "zeros"}
        What ``transform`` does with a text that shares no word with the fitted
        vocabulary (scikit-learn's ``OneHotEncoder`` naming): ``"error"`` raises
        an :class:`~embedkit.errors.InputError` naming the text; ``"zeros"``
        gives it an all-zero vector, as ``TfidfVectorizer`` + ``TruncatedSVD``
        would, so a ``Pipeline`` can score held-out texts with unseen words.

    >>> embedder = TfidfSvdEmbedder(n_components=2).fit(["red apple", "green apple", "red car"])
    >>> embedder.transform(["apple"]).shape
    (1, 2)
    """

    def __init__(self, n_components: int = 100, stop_words: str | None = "english", sublinear_tf: bool = True,
                 min_df: int = 1, random_state: int = 0, handle_unknown: str = "error"):
        self.n_components = n_components
        self.stop_words = stop_words
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.random_state = random_state
        self.handle_unknown = handle_unknown

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # a list of texts, not a numeric matrix
        tags.input_tags.string = True
        return tags

    def fit(self, X: Any, y: Any = None) -> "TfidfSvdEmbedder":
        """Learn the vocabulary, IDF weights and SVD basis from texts ``X``."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import Normalizer

        texts = _check_texts(X)
        self._check_handle_unknown()
        check_int(self.n_components, "n_components")
        check_int(self.min_df, "min_df")
        if len(texts) < 2:
            raise InputError(
                f"TfidfSvdEmbedder needs at least 2 texts to fit (got {len(texts)}): the weights say how "
                "rare a word is across a collection, and one text is no collection."
            )
        vectorizer = TfidfVectorizer(stop_words=self.stop_words, sublinear_tf=self.sublinear_tf, min_df=self.min_df)
        try:
            counts = vectorizer.fit_transform(texts)
        except ValueError as error:  # "empty vocabulary": only stop words or punctuation
            raise InputError(f"No usable words in the texts ({error}). Pass real texts, or stop_words=None.") from None
        if self.n_components >= counts.shape[1]:
            raise InputError(
                f"n_components={self.n_components} must be below the vocabulary size ({counts.shape[1]} words "
                f"in {len(texts)} texts). Fit on more texts or ask for fewer components."
            )
        if self.n_components > len(texts):
            raise InputError(
                f"n_components={self.n_components} is more than the {len(texts)} texts fitted on: "
                f"{len(texts)} texts span at most {len(texts)} directions. Fit on more texts or ask "
                "for fewer components."
            )
        svd = TruncatedSVD(n_components=self.n_components, random_state=self.random_state)
        self.pipeline_ = make_pipeline(vectorizer, svd, Normalizer(copy=False))
        self.pipeline_[1:].fit(counts)
        self.vocabulary_size_ = counts.shape[1]
        self.explained_variance_ratio_ = float(svd.explained_variance_ratio_.sum())
        self.n_features_out_ = self.n_components
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit on texts ``X`` and embed them (a generator is read once).

        >>> TfidfSvdEmbedder(n_components=1).fit_transform(t for t in ["red apple", "green apple"]).shape
        (2, 1)
        """
        texts = _check_texts(X)
        return self.fit(texts, y).transform(texts)

    def _check_handle_unknown(self) -> None:
        if not isinstance(self.handle_unknown, str) or self.handle_unknown not in ("error", "zeros"):
            raise InputError(f"handle_unknown must be 'error' or 'zeros', got {self.handle_unknown!r}.")

    def transform(self, X: Any) -> np.ndarray:
        """Embed texts; a text sharing no word with the fitted vocabulary follows ``handle_unknown``.

        >>> embedder = TfidfSvdEmbedder(n_components=1).fit(["red apple", "green apple"])
        >>> embedder.transform(["purple"])
        Traceback (most recent call last):
        ...
        embedkit.errors.InputError: Item 0 ('purple') shares no word with the vocabulary the embedder was fitted on, so its vector would be all zeros. Refit on texts that include its words, drop it, or pass handle_unknown="zeros" to give it a zero vector.
        >>> embedder.set_params(handle_unknown="zeros").transform(["purple", "red"]).round(3).tolist()
        [[0.0], [1.0]]
        """
        check_is_fitted(self, "pipeline_", msg="This TfidfSvdEmbedder is not fitted yet: call fit(texts) first.")
        self._check_handle_unknown()
        texts = _check_texts(X)
        counts = self.pipeline_[0].transform(texts)
        empty = np.flatnonzero(counts.getnnz(axis=1) == 0)
        if len(empty) and self.handle_unknown == "error":
            raise InputError(
                f"Item {empty[0]} ({texts[empty[0]]!r:.60}) shares no word with the vocabulary the embedder was "
                "fitted on, so its vector would be all zeros. Refit on texts that include its words, drop it, "
                'or pass handle_unknown="zeros" to give it a zero vector.'
            )
        # An all-zero row stays all zero through the SVD and the normaliser: no NaN.
        return self.pipeline_[1:].transform(counts).astype(np.float32)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Column names ``tfidfsvd_0 .. tfidfsvd_{n-1}``."""
        check_is_fitted(self, "pipeline_")
        return np.array([f"tfidfsvd_{i}" for i in range(self.n_components)], dtype=object)
