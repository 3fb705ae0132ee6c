"""Checks for the notebooks' exercises: they fail with a message that helps.

An exercise cell holds a blank (``...``) for the learner to fill in. The check
cell after it computes the right answer itself and calls these helpers, which
raise :class:`ExerciseError` with a hint of what kind of answer was expected,
never the answer itself. A blank left as it is gets its own message, not a
``NameError`` or a confusing comparison.

>>> from embedkit.exercises import check, require_answer
>>> answer = ...
>>> try:
...     require_answer(answer, "answer")
... except ExerciseError as error:
...     print(error)
Fill in `answer` first: replace the ... in the exercise cell, then run it again.
>>> answer = 3
>>> check(require_answer(answer, "answer") == 1 + 2, "add the two numbers")
Correct!
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import EmbedkitError

__all__ = ["ExerciseError", "require_answer", "check"]


class ExerciseError(EmbedkitError, AssertionError):
    """An exercise's answer is missing or not right yet; the message says what to look at."""


def _holds_blank(value: Any) -> bool:
    if value is Ellipsis:
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds_blank(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_blank(v) for v in value.values())
    if isinstance(value, np.ndarray) and value.dtype == object:  # np.array([1, ...])
        return any(v is Ellipsis for v in value.ravel())
    return False


def require_answer(value: Any, name: str, kind: type | tuple[type, ...] | None = None) -> Any:
    """Return ``value``, or raise :class:`ExerciseError` if it still holds the blank ``...``.

    With ``kind``, a value of another type is also refused, with a message
    naming the type expected (so a check can compare without a TypeError).

    >>> require_answer([1, 2], "pair")
    [1, 2]
    >>> try:
    ...     require_answer("3", "count", kind=int)
    ... except ExerciseError as error:
    ...     print(error)
    Not yet: `count` should be of type int, not str.
    """
    if _holds_blank(value):
        raise ExerciseError(
            f"Fill in `{name}` first: replace the ... in the exercise cell, then run it again."
        )
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # For int, any whole number (np.int64 from (labels == 1).sum()) but not True, which no count is.
    accepted = kinds + (numbers.Integral,) if int in kinds else kinds
    if kind is not None and (not isinstance(value, accepted)
                             or (isinstance(value, bool) and bool not in kinds and int in kinds)):
        expected = " or ".join(k.__name__ for k in kinds)
        raise ExerciseError(f"Not yet: `{name}` should be of type {expected}, not {type(value).__name__}.")
    return value


def check(condition: bool, hint: str, success: str = "Correct!") -> None:
    """Raise :class:`ExerciseError` with ``hint`` unless ``condition`` holds; else print ``success``.

    ``hint`` should say what kind of answer is expected (not the answer), so a
    learner knows where to look.

    >>> check(2 > 1, "the first number should be larger")
    Correct!
    """
    if isinstance(condition, (np.ndarray, pd.Series)):  # e.g. answer == truth, element by element
        condition = condition.size > 0 and bool(np.all(condition))
    if not bool(condition):
        raise ExerciseError(f"Not yet: {hint}")
    print(success)
