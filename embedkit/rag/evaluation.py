"""Measuring RAG: retrieval (recall@k, MRR), answers (accuracy, groundedness) and where the time goes.

:func:`evaluate_rag` answers every question three ways, with the retrieved
passages, with no context, and with random passages, so a lesson can show
whether retrieval helps rather than claim it.

>>> mean_reciprocal_rank([1, 2, None])
0.5
>>> answer_is_correct("The word is burgh.", "burgh"), is_grounded("burgh", ["burgh: a borough in Scotland"])
(True, True)
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.rag.inputs import check_texts, passages_of
from embedkit.validation import check_items, check_k

__all__ = ["recall_at_k", "retrieval_ranks", "mean_reciprocal_rank", "answer_is_correct", "is_grounded",
           "evaluate_rag", "summarize_evaluation", "CONDITIONS"]

CONDITIONS = ("retrieved", "none", "random")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP = frozenset("the a an of is are was were be been to in on onto into for and or it its this that these those "
                  "word answer which what who whom whose where when how why by with as from at i you we they he she "
                  "do does did can not don't know any some".split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(text: str) -> list[str]:
    """Content words, with a plural "s" dropped so "tools" matches "tool"."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in _words(text) if w not in _STOP]


def recall_at_k(retriever: Any, queries: Sequence[str], relevant: Sequence[int],
                ks: Sequence[int] = (1, 5)) -> dict[str, float | int]:
    """Share of queries whose relevant passage (a fitted position) is among the top ``k``, for each k.

    A query the embedder cannot embed at all (e.g. TF-IDF: none of its words
    were seen in the passages) counts as a miss; how many is reported as ``unanswerable``.

    >>> from embedkit.rag import Retriever
    >>> r = Retriever().fit(["a red apple", "a fast car", "a tall tree"])
    >>> recall_at_k(r, ["fruit", "vehicle"], [0, 1], ks=(1,))
    {'recall@1': 1.0, 'unanswerable': 0}
    """
    ranks, unanswerable = _ranks(retriever, queries, relevant, ks)
    result = {f"recall@{k}": float(np.mean(ranks <= k)) for k in ks}
    result["unanswerable"] = int(unanswerable.sum())
    return result


def _ranks(retriever: Any, queries: Sequence[str], relevant: Sequence[int],
           ks: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    queries = check_texts(queries, "query")
    relevant = np.asarray(check_items(relevant, name="relevant"))
    if len(relevant) != len(queries) or not np.issubdtype(relevant.dtype, np.integer):
        raise InputError(f"relevant must hold one passage position (int) per query; got {len(relevant)} for {len(queries)}.")
    if relevant.min() < 0 or relevant.max() >= len(getattr(retriever, "passages_", [])):
        raise InputError("relevant holds positions outside the retriever's fitted passages (or it is not fitted).")
    ks = [check_k(k, len(retriever.passages_)) for k in check_items(ks, name="ks")]
    depth = max(ks)
    try:
        top = retriever.search(queries, depth)[0]
        unanswerable = np.zeros(len(queries), dtype=bool)
    except InputError:  # one query the embedder cannot place; find which, one by one
        top = np.full((len(queries), depth), -1)
        unanswerable = np.ones(len(queries), dtype=bool)
        for i, query in enumerate(queries):
            try:
                top[i], unanswerable[i] = retriever.search([query], depth)[0][0], False
            except InputError:
                pass
    hit = top == relevant[:, None]
    ranks = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, np.inf)
    return ranks, unanswerable


def retrieval_ranks(retriever: Any, queries: Sequence[str], relevant: Sequence[int], depth: int = 10) -> np.ndarray:
    """The 1-based rank of each query's relevant passage among the top ``depth``; ``inf`` when not there.

    >>> from embedkit.rag import Retriever
    >>> retrieval_ranks(Retriever().fit(["a red apple", "a fast car"]), ["fruit"], [1], depth=2).tolist()
    [2.0]
    """
    return _ranks(retriever, queries, relevant, (depth,))[0]


def mean_reciprocal_rank(ranks: Sequence[float | None]) -> float:
    """Mean of 1/rank over queries; a miss (``None`` or ``inf``) counts 0.

    >>> mean_reciprocal_rank([1, 4])
    0.625
    """
    values = np.array([np.inf if r is None else float(r) for r in check_items(ranks, name="ranks")])
    if np.any(values < 1) or np.isnan(values).any():
        raise InputError("Ranks start at 1 (the best passage), a miss is None or inf; got a rank below 1 or NaN.")
    return float(np.mean(1.0 / values))


def _check_str(text: Any, name: str) -> None:
    # An empty answer is allowed (a model may say nothing); only a non-text is refused.
    if not isinstance(text, str):
        raise InputError(f"{name} must be a text (str), got {type(text).__name__}: {text!r:.60}.")


def _check_threshold(threshold: Any) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise InputError(f"threshold is a share of words, above 0 and at most 1; got {threshold!r}.")


def answer_is_correct(generated: str, expected: str, threshold: float = 0.5) -> bool:
    """True when at least ``threshold`` of the expected answer's content words occur in the generated text.

    Whole words, case-insensitive, plural "s" ignored; a one-word answer must
    appear itself (a token-recall score, as in reading-comprehension benchmarks).

    >>> answer_is_correct("A burghal town", "burgh"), answer_is_correct("A tool for fibers", "tools for straightening fibers")
    (False, True)
    """
    _check_str(generated, "generated"), _check_str(expected, "expected"), _check_threshold(threshold)
    wanted, said = _content(expected), set(_content(generated))
    return bool(wanted) and float(np.mean([w in said for w in wanted])) >= threshold


def is_grounded(generated: str, passages: Sequence[str] | pd.DataFrame, threshold: float = 0.5) -> bool:
    """True when at least ``threshold`` of the answer's content words occur in the passages it was given.

    A lexical check, cheap and strict: it asks "could this answer have been
    copied from the context?", not "is it true?". An empty answer or one made
    only of filler words ("I don't know") is not grounded.

    >>> is_grounded("Paris, of course", ["Paris is the capital of France."])
    True
    """
    _check_str(generated, "generated"), _check_threshold(threshold)
    content = _content(generated)
    if not content:
        return False
    context = set(_content(" ".join(passages_of(passages))))
    return float(np.mean([w in context for w in content])) >= threshold


def evaluate_rag(generator: Any, retriever: Any, questions: pd.DataFrame, k: int = 3,
                 conditions: Sequence[str] = CONDITIONS, random_state: int = 0) -> pd.DataFrame:
    """Answer every question under each condition; one row per (question, condition).

    ``questions`` has columns ``question``, ``answer`` and ``passage`` (the
    fitted position that answers it). Conditions: ``"retrieved"`` (the top
    ``k`` passages), ``"none"`` (no context) and ``"random"`` (``k`` random
    passages, never the answering one; seeded). Columns of the result:
    question, condition, expected, generated, correct, grounded (NaN without
    context), rank (of the answering passage, retrieved only), and seconds spent
    to embed the query, search and generate.

    >>> from embedkit.rag import ExtractiveGenerator, Retriever
    >>> r = Retriever().fit(["burgh: a borough in Scotland", "anoa: a small buffalo"])
    >>> q = pd.DataFrame({"question": ["What is a burgh?"], "answer": ["a borough in Scotland"], "passage": [0]})
    >>> evaluate_rag(ExtractiveGenerator(n_sentences=1), r, q, k=1, conditions=("retrieved",)).correct.tolist()
    [True]
    """
    missing = {"question", "answer", "passage"} - set(getattr(questions, "columns", []))
    if missing:
        raise InputError(f"questions needs the columns question, answer and passage; missing {sorted(missing)}.")
    unknown = set(check_items(conditions, name="conditions")) - set(CONDITIONS)
    if unknown:
        raise InputError(f"Unknown condition(s) {sorted(unknown)}; choose from {', '.join(CONDITIONS)}.")
    if not hasattr(retriever, "index_"):
        raise InputError("The retriever has no passages yet: call fit(passages) first.")
    n_passages = len(retriever.passages_)
    k = check_k(k, n_passages - 1)
    if not callable(getattr(generator, "generate", None)):
        raise InputError(f"generator must have a generate(question, passages) method (e.g. ExtractiveGenerator()); "
                         f"got {type(generator).__name__}.")
    bad = [p for p in questions.passage if isinstance(p, bool) or not isinstance(p, (int, np.integer))
           or not 0 <= p < n_passages]
    if bad:
        raise InputError(f"questions.passage must hold fitted passage positions 0..{n_passages - 1}; got {bad[0]!r}.")
    rng = np.random.default_rng(random_state)
    rows = []
    for question, expected, answering in zip(questions.question, questions.answer, questions.passage):
        others = np.delete(np.arange(n_passages), int(answering))
        random_ids = rng.choice(others, size=k, replace=False)  # drawn for every question: seeds stay aligned
        for condition in conditions:
            t_embed = t_search = 0.0
            rank = np.nan
            if condition == "retrieved":
                start = time.perf_counter()
                vector = np.asarray(retriever.embedder_.transform([question]), dtype=np.float32)
                t_embed = time.perf_counter() - start
                start = time.perf_counter()
                ids = np.asarray(retriever.index_.search(vector, k)[1])[0]
                t_search = time.perf_counter() - start
                passages = [retriever.passages_[i] for i in ids]
                rank = float(np.flatnonzero(ids == answering)[0] + 1) if answering in ids else np.inf
            elif condition == "random":
                passages = [retriever.passages_[i] for i in random_ids]
            else:
                passages = None
            start = time.perf_counter()
            generated = generator.generate(question, passages)
            t_generate = time.perf_counter() - start
            rows.append({"question": question, "condition": condition, "expected": expected, "generated": generated,
                         "correct": answer_is_correct(generated, expected),
                         "grounded": np.nan if passages is None else float(is_grounded(generated, passages)),
                         "rank": rank, "embed_s": t_embed, "search_s": t_search, "generate_s": t_generate})
    return pd.DataFrame(rows)


def summarize_evaluation(results: pd.DataFrame) -> pd.DataFrame:
    """Per condition: accuracy, share grounded, and mean seconds to embed, search and generate.

    >>> table = pd.DataFrame({"condition": ["none", "none"], "correct": [True, False], "grounded": [np.nan] * 2,
    ...                       "embed_s": [0.0, 0.0], "search_s": [0.0, 0.0], "generate_s": [1.0, 3.0]})
    >>> summarize_evaluation(table).loc["none", ["accuracy", "generate_s"]].tolist()
    [0.5, 2.0]
    """
    needed = {"condition", "correct", "grounded", "embed_s", "search_s", "generate_s"}
    missing = needed - set(getattr(results, "columns", []))
    if missing:
        raise InputError(f"results must be the table evaluate_rag returns; missing columns {sorted(missing)}.")
    order = [c for c in CONDITIONS if c in set(results.condition)]
    summary = results.groupby("condition")[["correct", "grounded", "embed_s", "search_s", "generate_s"]].mean()
    summary = summary.rename(columns={"correct": "accuracy"}).loc[order]
    summary.insert(0, "questions", results.groupby("condition").size().loc[order])
    return summary
