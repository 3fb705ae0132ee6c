"""Retrieval-augmented generation (RAG), one idea per module.

RAG answers a question in two steps. **Retrieval**: embed the documents'
passages once, embed the query, and take the passages whose vectors are
closest to it (cosine). **Generation**: hand those passages to a generator
as the context of a prompt, so it answers from them rather than from memory.

- :mod:`~embedkit.rag.chunking`: :func:`chunk_text`, :func:`chunk_documents` cut documents into passages;
- :mod:`~embedkit.rag.retriever`: :class:`Retriever` embeds passages and searches them through an
  index (default :class:`embedkit.ExactIndex`; any object with ``search(vectors, k) -> (scores, ids)``);
- :mod:`~embedkit.rag.prompt`: :func:`build_prompt` shows exactly what a generator is given,
  :func:`fit_passages` cuts passages to a context window (never the question);
- :mod:`~embedkit.rag.generators`: :class:`LanguageModelGenerator` (a real language model,
  offline by default), :class:`ExtractiveGenerator` (a quoting baseline), :class:`HubGenerator` (seq2seq);
- :mod:`~embedkit.rag.questions`: a reverse-dictionary question set with known answers;
- :mod:`~embedkit.rag.evaluation`: recall@k, MRR, accuracy, groundedness, :func:`evaluate_rag`;
- :mod:`~embedkit.rag.trace`: :func:`rag_trace`, query, passages and answer on one Explorer map.

>>> from embedkit.rag import Retriever
>>> retriever = Retriever().fit(["Cats purr when content.", "Paris is the capital of France."])
>>> retriever.retrieve("What is France's capital city?", k=1).passage.tolist()
['Paris is the capital of France.']
"""

from embedkit.generation.generator import LanguageModelGenerator, closed_book_prompt
from embedkit.rag.chunking import chunk_documents, chunk_text
from embedkit.rag.evaluation import (
    answer_is_correct,
    evaluate_rag,
    is_grounded,
    mean_reciprocal_rank,
    recall_at_k,
    retrieval_ranks,
    summarize_evaluation,
)
from embedkit.rag.generators import ExtractiveGenerator, HubGenerator
from embedkit.rag.prompt import build_prompt, fit_passages
from embedkit.rag.questions import glossary_passages, definition_questions
from embedkit.rag.retriever import Retriever
from embedkit.rag.trace import rag_trace, trace_table

__all__ = [
    "ExtractiveGenerator", "HubGenerator", "LanguageModelGenerator", "Retriever",
    "answer_is_correct", "build_prompt", "chunk_documents", "chunk_text", "closed_book_prompt", "evaluate_rag",
    "fit_passages", "glossary_passages", "is_grounded", "mean_reciprocal_rank", "rag_trace", "recall_at_k",
    "retrieval_ranks", "definition_questions", "summarize_evaluation", "trace_table",
]
