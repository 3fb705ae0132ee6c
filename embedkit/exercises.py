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

from typing import Any

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
    if kind is not None and not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
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
    if not bool(condition):
        raise ExerciseError(f"Not yet: {hint}")
    print(success)
