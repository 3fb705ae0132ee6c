"""Chunking: cut documents into short overlapping passages, each one a retrieval unit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.rag.inputs import check_text, check_texts
from embedkit.validation import check_items

__all__ = ["chunk_text", "chunk_documents"]


def chunk_text(text: str, max_words: int = 80, overlap: int = 20) -> list[str]:
    """Cut ``text`` into passages of at most ``max_words`` words, each sharing ``overlap`` words with the last.

    Windows of words, not sentences: a fact cut at a window's edge appears whole
    in the next window thanks to the overlap. Whitespace is normalised.

    >>> chunk_text("one two three four five six seven", max_words=4, overlap=1)
    ['one two three four', 'four five six seven']
    """
    words = check_text(text, "text").split()
    for name, value, low in (("max_words", max_words, 1), ("overlap", overlap, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise InputError(f"{name} must be a whole number >= {low}, got {value!r}.")
    if overlap >= max_words:
        raise InputError(f"overlap ({overlap}) must be smaller than max_words ({max_words}), or chunking never advances.")
    step = max_words - overlap
    chunks = []
    for start in range(0, len(words), step):
        chunks.append(" ".join(words[start : start + max_words]))
        if start + max_words >= len(words):
            break
    return chunks


def chunk_documents(documents: Sequence[str], sources: Sequence[Any] | None = None, max_words: int = 80,
                    overlap: int = 20) -> pd.DataFrame:
    """Chunk every document: one row per passage, with its ``source`` and ``chunk`` number.

    >>> chunk_documents(["a b c d e", "f g"], sources=["doc1", "doc2"], max_words=3, overlap=1).source.tolist()
    ['doc1', 'doc1', 'doc2']
    """
    documents = check_texts(documents, "document")
    sources = list(range(len(documents))) if sources is None else check_items(sources, name="sources")
    if len(sources) != len(documents):
        raise InputError(f"Got {len(sources)} sources for {len(documents)} documents: pass one per document.")
    rows = [(passage, source, number) for document, source in zip(documents, sources)
            for number, passage in enumerate(chunk_text(document, max_words, overlap))]
    return pd.DataFrame(rows, columns=["passage", "source", "chunk"])
