"""The prompt: exactly the text a generator receives, and fitting it into a context window.

>>> print(build_prompt("What purrs?", ["Cats purr."]).splitlines()[-2])
Question: What purrs?
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import pandas as pd

from embedkit.errors import InputError
from embedkit.rag.inputs import check_text, passages_of

__all__ = ["build_prompt", "fit_passages", "DEFAULT_INSTRUCTION"]

DEFAULT_INSTRUCTION = ("Answer the question using only the context below. "
                       "If the context does not contain the answer, say \"I don't know\".")


def build_prompt(query: str, passages: Sequence[str] | pd.DataFrame,
                 instruction: str = DEFAULT_INSTRUCTION) -> str:
    """The exact text a generator receives: instruction, numbered passages in rank order, question.

    ``passages`` is a list of texts or the DataFrame from :meth:`Retriever.retrieve`.

    >>> print(build_prompt("What purrs?", ["Cats purr.", "Dogs bark."]))
    Answer the question using only the context below. If the context does not contain the answer, say "I don't know".
    <BLANKLINE>
    Context:
    [1] Cats purr.
    [2] Dogs bark.
    <BLANKLINE>
    Question: What purrs?
    Answer:
    """
    query = check_text(query, "query")
    context = "\n".join(f"[{rank}] {passage}" for rank, passage in enumerate(passages_of(passages), start=1))
    return f"{instruction}\n\nContext:\n{context}\n\nQuestion: {query}\nAnswer:"


def fit_passages(query: str, passages: Sequence[str] | pd.DataFrame, count_tokens: Callable[[str], int],
                 budget: int, instruction: str = DEFAULT_INSTRUCTION) -> list[str]:
    """Passages cut so that ``build_prompt(query, passages)`` holds at most ``budget`` tokens.

    The question is never cut. The lowest-ranked passages lose words first
    (dropped whole when nothing of them fits), and a warning says what was
    cut. ``count_tokens`` counts the tokens of a text (the generator's tokenizer).
    If the question alone does not fit, :class:`~embedkit.InputError` says so.

    >>> words = lambda text: len(text.split())
    >>> fit_passages("Why?", ["a b c", "d e f g h"], words, budget=len(build_prompt("Why?", ["a b c", "d"]).split()))
    ['a b c', 'd']
    """
    query, passages = check_text(query, "query"), passages_of(passages)
    budget = int(budget)

    def fits(candidate: list[str]) -> bool:
        return count_tokens(build_prompt(query, candidate, instruction)) <= budget

    if fits(passages):
        return passages
    if not fits(["..."]):
        raise InputError(f"The question alone does not fit in the model's context window ({budget} tokens "
                         "for the prompt): ask a shorter question. Questions are never truncated.")
    kept = list(passages)
    while kept:
        words = kept[-1].split()
        low, high = 0, len(words) - 1  # largest word count of the last passage that fits
        while low < high:
            middle = (low + high + 1) // 2
            if fits(kept[:-1] + [" ".join(words[:middle])]):
                low = middle
            else:
                high = middle - 1
        if low > 0:
            kept[-1] = " ".join(words[:low])
            break
        kept.pop()
    if not kept:
        kept = [passages[0].split()[0]]  # nothing fits whole: keep a stub so the prompt has a context line
    cut_words = sum(len(p.split()) for p in passages) - sum(len(p.split()) for p in kept)
    warnings.warn(f"The prompt was longer than the context window allows ({budget} tokens): {cut_words} words "
                  f"of the lowest-ranked passages were cut ({len(kept)} of {len(passages)} passages kept). "
                  "The question was kept whole. Retrieve fewer passages (smaller k) to avoid this.",
                  UserWarning, stacklevel=2)
    return kept
