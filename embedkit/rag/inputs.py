"""Input checks shared by the RAG functions, applied once at each public boundary."""

from __future__ import annotations

from typing import Any

import pandas as pd

from embedkit.errors import InputError
from embedkit.validation import check_items

__all__ = ["check_text", "check_texts", "passages_of"]


def check_text(text: Any, name: str) -> str:
    """Return ``text`` if it is a non-empty string, else raise :class:`~embedkit.InputError`.

    >>> check_text("a question", "query")
    'a question'
    """
    if not isinstance(text, str):
        raise InputError(f"{name} must be a text (str), got {type(text).__name__}: {text!r:.60}.")
    if not text.strip():
        raise InputError(f"{name} is empty or only whitespace: pass some words.")
    return text


def check_texts(texts: Any, name: str) -> list[str]:
    """A non-empty list of non-empty strings, each checked by :func:`check_text`.

    >>> check_texts(["a", "b"], "passage")
    ['a', 'b']
    """
    return [check_text(t, f"{name} {i}") for i, t in enumerate(check_items(texts, name=name))]


def passages_of(passages: Any) -> list[str]:
    """Accept a list of texts or a :meth:`Retriever.retrieve` DataFrame (its ``passage`` column).

    >>> passages_of(pd.DataFrame({"passage": ["x"]}))
    ['x']
    """
    if isinstance(passages, pd.DataFrame):
        if "passage" not in passages.columns:
            raise InputError("A DataFrame of passages needs a 'passage' column (as Retriever.retrieve returns).")
        passages = passages["passage"]
    if isinstance(passages, (list, tuple, pd.Series)) and len(passages) == 0:
        raise InputError("No passages were given: retrieve some first (Retriever.retrieve), "
                         "or pass an explicit list of texts.")
    return check_texts(passages, "passage")
