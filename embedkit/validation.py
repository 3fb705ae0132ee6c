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

from collections.abc import Sequence
from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = ["check_embeddings", "check_items", "check_k"]


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
        array = np.asarray(X, dtype=dtype)
    except (TypeError, ValueError) as error:
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
        bad_rows = np.flatnonzero(~finite.all(axis=1))
        shown = ", ".join(str(i) for i in bad_rows[:5]) + (" ..." if len(bad_rows) > 5 else "")
        raise InputError(
            f"{name} has NaN or infinite values in {len(bad_rows)} row(s) (rows {shown}). "
            "Drop or recompute those rows before using them."
        )
    return array


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
    if hasattr(items, "tolist") and not hasattr(items, "columns"):
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
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise InputError(f"{name} must be a whole number, got {k!r}.")
    if k < 1:
        raise InputError(f"{name} must be at least 1, got {k}.")
    if n_available < 1:
        raise InputError("There are no candidates to choose neighbours from.")
    return int(min(k, n_available))
