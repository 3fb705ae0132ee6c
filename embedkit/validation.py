"""Checks that turn bad input into a clear :class:`~embedkit.errors.InputError`.

Functions here are called at the edge of every public function, so that a
learner sees "row 3 has NaN values" rather than a broken plot or a silently
wrong neighbour list.

>>> import numpy as np
>>> from embedkit.validation import check_embeddings
>>> check_embeddings([[1, 0], [0, 1]]).dtype
dtype('float32')
"""

from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = ["check_embeddings", "check_int", "check_items", "check_k", "check_nonzero_rows", "check_text"]

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_int(value: Any, name: str, *, minimum: int | None = 1, maximum: int | None = None,
              allow_none: bool = False) -> int | None:
    """Return ``value`` as an ``int`` if it is a whole number in range, else raise InputError.

    Any :class:`numbers.Integral` passes (``np.int64`` from a grid search's
    ``np.arange`` too); ``bool`` and floats such as ``3.0`` do not.

    >>> check_int(np.int64(3), "batch_size")
    3
    >>> check_int(None, "max_tokens", allow_none=True) is None
    True
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        extra = " or None" if allow_none else ""
        raise InputError(f"{name} must be a whole number{extra}, got {value!r} ({type(value).__name__}).")
    value = int(value)
    if minimum is not None and value < minimum:
        raise InputError(f"{name} must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise InputError(f"{name} must be at most {maximum}, got {value}.")
    return value


def _is_invisible(char: str) -> bool:
    # Whitespace, plus format characters (zero-width space, joiners, BOM) that print as nothing.
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def check_text(item: Any, index: int, *, what: str = "a text", label: str = "Item") -> str:
    """Return ``item`` if it is a string with something visible in it, else raise InputError.

    Rejected, naming the item: non-strings, empty or whitespace-only text,
    text made only of invisible characters (``"\\u200b"``), and lone UTF-16
    surrogates (``"\\ud800"``), which no tokenizer can encode.

    >>> check_text("a cat", 0)
    'a cat'
    """
    if not isinstance(item, str):
        raise InputError(f"{label} {index} is a {type(item).__name__}, not {what}: {item!r:.60}.")
    try:
        item.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"{label} {index} holds a lone surrogate {item[error.start]!r} at position {error.start} "
            "(a broken character, often from decoding bytes with the wrong codec); it cannot be "
            "encoded. Fix it, e.g. text.encode('utf-8', 'replace').decode()."
        ) from None
    if all(_is_invisible(char) for char in item):
        raise InputError(
            f"{label} {index} is empty or only whitespace/invisible characters ({item!r:.40}): "
            "there is nothing to embed. Drop it, or replace it with a placeholder word."
        )
    return item


def check_embeddings(
    X: Any, *, name: str = "embeddings", min_rows: int = 1, dtype: Any = np.float32
) -> np.ndarray:
    """Return ``X`` as a 2-D finite float array, or raise :class:`InputError`.

    A 1-D vector is *not* silently turned into one row: the caller decides.

    >>> check_embeddings([[0.5, 1.5]]).shape
    (1, 2)
    """
    if isinstance(X, (str, bytes)):
        raise InputError(f"{name} must be a 2-D array of numbers, got a string.")
    try:
        original = np.asarray(X)
        if np.iscomplexobj(original):
            raise InputError(
                f"{name} holds complex numbers; embeddings are real. Pass X.real, or np.abs(X) "
                "for magnitudes, explicitly."
            )
        if original.dtype == object or original.dtype.kind in "USV":
            original = np.asarray(original.tolist(), dtype=np.float64)
        array = np.asarray(original, dtype=dtype)
    except InputError:
        raise
    except (TypeError, ValueError, OverflowError) as error:
        raise InputError(
            f"{name} must be a 2-D array of numbers (rows = items, columns = "
            f"dimensions); it could not be converted: {error}"
        ) from None
    if array.ndim != 2:
        hint = " For one vector, pass [vector] or vector.reshape(1, -1)." if array.ndim == 1 else ""
        raise InputError(f"{name} must be 2-D (items x dimensions), got shape {array.shape}.{hint}")
    if array.shape[0] < min_rows:
        raise InputError(
            f"{name} has {array.shape[0]} row(s) but at least {min_rows} are needed."
        )
    if array.shape[1] == 0:
        raise InputError(f"{name} has no columns: every vector needs at least one dimension.")
    finite = np.isfinite(array)
    if not finite.all():
        source_finite = np.isfinite(original) if original.shape == array.shape else finite
        if source_finite.all():
            big = float(np.abs(original).max())
            raise InputError(
                f"{name} has values up to {big:.3g}, beyond the float32 range embedkit computes in "
                f"(about {_FLOAT32_MAX:.2g}). Rescale first, e.g. X / np.abs(X).max()."
            )
        bad_rows = np.flatnonzero(~finite.all(axis=1))
        shown = ", ".join(str(i) for i in bad_rows[:5]) + (" ..." if len(bad_rows) > 5 else "")
        raise InputError(
            f"{name} has NaN or infinite values in {len(bad_rows)} row(s) (rows {shown}). "
            "Drop or recompute those rows before using them."
        )
    if original.dtype != array.dtype and original.shape == array.shape and original.dtype.kind == "f":
        # Values too small for float32 turn into zeros: a row that was not zero must not become one.
        flushed = np.flatnonzero(~array.any(axis=1) & original.any(axis=1))
        if len(flushed):
            raise InputError(
                f"{name} row {flushed[0]} (and {len(flushed) - 1} more) has values so small "
                f"(largest {float(np.abs(original[flushed[0]]).max()):.3g}) that they become 0 in "
                "float32. Rescale first, e.g. X / np.abs(X).max()."
            )
    return array


def check_nonzero_rows(X: np.ndarray, *, name: str = "embeddings") -> np.ndarray:
    """Return the row norms of ``X``, raising InputError if any row is all zeros.

    Cosine similarity (and cosine UMAP/t-SNE) is undefined for a zero vector.

    >>> check_nonzero_rows(np.array([[3.0, 4.0]])).tolist()
    [5.0]
    """
    norms = np.sqrt(np.einsum("ij,ij->i", X, X, dtype=np.float64))
    zero = np.flatnonzero(norms == 0)
    if len(zero):
        raise InputError(
            f"{name} has {len(zero)} all-zero row(s) (first: row {zero[0]}); cosine "
            "similarity is undefined for a zero vector. Drop those rows."
        )
    return norms


def check_items(items: Any, *, name: str = "items", allow_empty: bool = False) -> list:
    """Return ``items`` as a list, rejecting strings and non-sequences.

    A single string is the classic mistake (it would be read as a list of
    characters), so it gets its own message.

    >>> check_items(["a cat", "a dog"])
    ['a cat', 'a dog']
    """
    if isinstance(items, (str, bytes)):
        raise InputError(
            f"{name} must be a list of items, got a single string. Wrap it: [{items!r:.40}]."
        )
    if isinstance(items, np.ndarray) and items.ndim > 1:
        items = list(items)  # a stack of images or clips: one item per leading index
    elif hasattr(items, "tolist") and not hasattr(items, "columns"):
        items = items.tolist()
    elif hasattr(items, "columns"):
        raise InputError(
            f"{name} must be a list or a single column, got a DataFrame. "
            "Pick the column, e.g. df['text']."
        )
    if not isinstance(items, Sequence):
        try:
            items = list(items)
        except TypeError:
            raise InputError(
                f"{name} must be a list (or array/Series) of items, got {type(items).__name__}."
            ) from None
    items = list(items)
    if not items and not allow_empty:
        raise InputError(f"{name} is empty: pass at least one item.")
    return items


def check_k(k: Any, n_available: int, *, name: str = "k") -> int:
    """Return ``k`` as an int in ``1..n_available`` or raise :class:`InputError`.

    >>> check_k(3, 10)
    3
    """
    k = check_int(k, name)
    if n_available < 1:
        raise InputError("There are no candidates to choose neighbours from.")
    return int(min(k, n_available))
