"""A RAG trace: the query, the passages and the generated answer, embedded in one space and mapped.

All of them are embedded with the retriever's own model, so the map shows
where the answer landed relative to the question and the context it was
written from (an answer copied from a passage sits next to it).

>>> import numpy as np
>>> from embedkit.rag import Retriever
>>> r = Retriever().fit(["burgh: a borough in Scotland", "anoa: a small buffalo", "shelf: a support"])
>>> table = trace_table(r, "What is a Scottish borough called?", [0], "burgh")
>>> table.role.tolist()
['query', 'retrieved', 'other passage', 'other passage', 'answer']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.rag.inputs import check_text

__all__ = ["trace_table", "rag_trace"]


def trace_table(retriever: Any, query: str, retrieved: Sequence[int], answer: str, n_background: int = 300,
                random_state: int = 0) -> pd.DataFrame:
    """Rows for the query, every retrieved passage, up to ``n_background`` other passages and the answer.

    Columns: ``text``, ``role`` and ``vector`` (the retriever's embedding of the text).
    Background passages are a seeded sample, so the map has a landscape to place the trace in.
    """
    if not hasattr(retriever, "embeddings_"):
        raise InputError("The retriever has no passages yet: call fit(passages) first.")
    query, answer = check_text(query, "query"), check_text(answer, "answer")
    retrieved = [int(i) for i in retrieved]
    if any(not 0 <= i < len(retriever.passages_) for i in retrieved):
        raise InputError("retrieved holds positions outside the retriever's fitted passages.")
    others = np.setdiff1d(np.arange(len(retriever.passages_)), retrieved)
    rng = np.random.default_rng(random_state)
    background = np.sort(rng.choice(others, size=min(int(n_background), len(others)), replace=False))
    query_vector, answer_vector = retriever.embedder_.transform([query, answer])
    positions = retrieved + background.tolist()
    texts = [query] + [retriever.passages_[i] for i in positions] + [answer]
    roles = ["query"] + ["retrieved"] * len(retrieved) + ["other passage"] * len(background) + ["answer"]
    vectors = [query_vector] + [retriever.embeddings_[i] for i in positions] + [answer_vector]
    return pd.DataFrame({"text": texts, "role": roles, "vector": vectors})


def rag_trace(retriever: Any, query: str, retrieved: Sequence[int], answer: str, n_background: int = 300,
              method: str = "pca", random_state: int = 0, **explorer_options: Any) -> Any:
    """An :class:`~embedkit.Explorer` map of one RAG run, coloured by role (query, retrieved, answer, other).

    Click the answer to see, in the original space, which passages it is closest to.

    >>> from embedkit import Retriever
    >>> retriever = Retriever().fit(["Cats purr.", "Dogs bark.", "Paris is in France."])
    >>> trace = rag_trace(retriever, "Which animal purrs?", [0], "A cat purrs.", n_background=3)
    >>> sorted(set(trace.labels))
    ['answer', 'other passage', 'query', 'retrieved']
    """
    from embedkit.explorer import Explorer

    table = trace_table(retriever, query, retrieved, answer, n_background, random_state)
    return Explorer(np.vstack(table.vector.to_list()), table.text.tolist(), labels=table.role.tolist(),
                    method=method, random_state=random_state, **explorer_options)
