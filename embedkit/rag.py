"""Retrieval-augmented generation (RAG), small enough to read in one sitting.

RAG answers a question in two steps. **Retrieval**: embed the documents'
passages once, embed the query, and take the passages whose vectors are
closest to it (cosine). **Generation**: hand those passages to a generator
as the context of a prompt, so it answers from them rather than from memory.

- :func:`chunk_text` / :func:`chunk_documents` cut documents into passages;
- :class:`Retriever` embeds passages (any embedkit text embedder; the default
  :class:`~embedkit.SentenceEmbedder` caches vectors on disk by content) and
  finds the best ones with :class:`~embedkit.NeighborIndex`;
- :func:`build_prompt` shows exactly what a generator is given;
- :class:`ExtractiveGenerator` answers offline by *quoting* the retrieved
  sentences closest to the query: it is not a language model and writes nothing new;
- :class:`HubGenerator` runs a real seq2seq model (``google/flan-t5-small``)
  when its weights can be had, and raises :class:`~embedkit.ModelUnavailableError` otherwise.

>>> from embedkit.rag import Retriever
>>> retriever = Retriever().fit(["Cats purr when content.", "Paris is the capital of France."])
>>> retriever.retrieve("What is France's capital city?", k=1).passage.tolist()
['Paris is the capital of France.']
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError, ModelUnavailableError, require
from embedkit.neighbors import NeighborIndex
from embedkit.validation import check_items, check_k

__all__ = [
    "ExtractiveGenerator", "HubGenerator", "Retriever", "build_prompt", "chunk_documents", "chunk_text", "recall_at_k",
]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def _check_text(text: Any, name: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"{name} must be a text (str), got {type(text).__name__}: {text!r:.60}.")
    if not text.strip():
        raise InputError(f"{name} is empty or only whitespace: pass some words.")
    return text


def _check_texts(texts: Any, name: str) -> list[str]:
    return [_check_text(t, f"{name} {i}") for i, t in enumerate(check_items(texts, name=name))]


def _passages_of(passages: Any) -> list[str]:
    """Accept a list of texts or a :meth:`Retriever.retrieve` DataFrame."""
    if isinstance(passages, pd.DataFrame):
        if "passage" not in passages.columns:
            raise InputError("A DataFrame of passages needs a 'passage' column (as Retriever.retrieve returns).")
        passages = passages["passage"]
    return _check_texts(passages, "passage")


def chunk_text(text: str, max_words: int = 80, overlap: int = 20) -> list[str]:
    """Cut ``text`` into passages of at most ``max_words`` words, each sharing ``overlap`` words with the last.

    Windows of words, not sentences: a fact cut at a window's edge appears whole
    in the next window thanks to the overlap. Whitespace is normalised.

    >>> chunk_text("one two three four five six seven", max_words=4, overlap=1)
    ['one two three four', 'four five six seven']
    """
    words = _check_text(text, "text").split()
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
    documents = _check_texts(documents, "document")
    sources = list(range(len(documents))) if sources is None else check_items(sources, name="sources")
    if len(sources) != len(documents):
        raise InputError(f"Got {len(sources)} sources for {len(documents)} documents: pass one per document.")
    rows = [(passage, source, number) for document, source in zip(documents, sources)
            for number, passage in enumerate(chunk_text(document, max_words, overlap))]
    return pd.DataFrame(rows, columns=["passage", "source", "chunk"])


class Retriever:
    """Embed passages once; for a query, return the ``k`` passages closest to it (cosine).

    ``embedder`` is any embedkit text embedder (default: ``SentenceEmbedder()``,
    all-MiniLM-L6-v2, whose vectors are cached on disk by content, so refitting
    on the same passages is instant). It is cloned and fitted on the passages,
    so a fitted one such as ``TfidfSvdEmbedder`` learns their vocabulary.

    >>> r = Retriever().fit(["The heart pumps blood.", "Bread is baked."], sources=["bio", "food"])
    >>> r.retrieve("Which organ moves blood around?", k=1).source.tolist()
    ['bio']
    """

    def __init__(self, embedder: Any = None):
        self.embedder = embedder

    def fit(self, passages: Sequence[str], sources: Sequence[Any] | None = None) -> "Retriever":
        """Embed ``passages`` (texts) and index them; ``sources`` label each one (default: its position)."""
        from sklearn.base import clone

        from embedkit.sentence import SentenceEmbedder

        self.passages_ = _check_texts(passages, "passage")
        self.sources_ = list(range(len(self.passages_))) if sources is None else check_items(sources, name="sources")
        if len(self.sources_) != len(self.passages_):
            raise InputError(f"Got {len(self.sources_)} sources for {len(self.passages_)} passages: pass one per passage.")
        self.embedder_ = clone(self.embedder) if self.embedder is not None else SentenceEmbedder()
        self.embeddings_ = self.embedder_.fit(self.passages_).transform(self.passages_)
        self.index_ = NeighborIndex(self.embeddings_)
        return self

    def search(self, queries: Sequence[str], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` passage positions and cosine scores for each query: two ``(n_queries, k)`` arrays.

        >>> Retriever().fit(["a red apple", "a fast car"]).search(["fruit", "vehicle"], k=1)[0].tolist()
        [[0], [1]]
        """
        if not hasattr(self, "index_"):
            raise InputError("This Retriever has no passages yet: call fit(passages) first.")
        queries = _check_texts(queries, "query")
        k = check_k(k, len(self.passages_))
        return self.index_.query(self.embedder_.transform(queries), k)

    def retrieve(self, query: str, k: int = 5) -> pd.DataFrame:
        """The ``k`` best passages for one query, best first: columns passage, score, source.

        The index is each passage's position in the fitted list.

        >>> Retriever().fit(["a red apple", "a fast car"]).retrieve("fruit", k=2).columns.tolist()
        ['passage', 'score', 'source']
        """
        indices, scores = self.search([_check_text(query, "query")], k)
        hits = pd.DataFrame({"passage": [self.passages_[i] for i in indices[0]], "score": scores[0].round(4),
                             "source": [self.sources_[i] for i in indices[0]]}, index=indices[0])
        hits.index.name = "position"
        return hits


def recall_at_k(retriever: Retriever, queries: Sequence[str], relevant: Sequence[int],
                ks: Sequence[int] = (1, 5)) -> dict[str, float | int]:
    """Share of queries whose relevant passage (a fitted position) is among the top ``k``, for each k.

    A query the embedder cannot embed at all (e.g. TF-IDF: none of its words
    were seen in the passages) counts as a miss; how many is reported as ``unanswerable``.

    >>> r = Retriever().fit(["a red apple", "a fast car", "a tall tree"])
    >>> recall_at_k(r, ["fruit", "vehicle"], [0, 1], ks=(1,))
    {'recall@1': 1.0, 'unanswerable': 0}
    """
    queries = _check_texts(queries, "query")
    relevant = np.asarray(check_items(relevant, name="relevant"))
    if len(relevant) != len(queries) or not np.issubdtype(relevant.dtype, np.integer):
        raise InputError(f"relevant must hold one passage position (int) per query; got {len(relevant)} for {len(queries)}.")
    if relevant.min() < 0 or relevant.max() >= len(getattr(retriever, "passages_", [])):
        raise InputError("relevant holds positions outside the retriever's fitted passages (or it is not fitted).")
    ks = [check_k(k, len(retriever.passages_)) for k in check_items(ks, name="ks")]
    try:
        top = retriever.search(queries, max(ks))[0]
        unanswerable = np.zeros(len(queries), dtype=bool)
    except InputError:  # one query the embedder cannot place; find which, one by one
        top = np.full((len(queries), max(ks)), -1)
        unanswerable = np.ones(len(queries), dtype=bool)
        for i, query in enumerate(queries):
            try:
                top[i], unanswerable[i] = retriever.search([query], max(ks))[0][0], False
            except InputError:
                pass
    result = {f"recall@{k}": float(np.mean((top[:, :k] == relevant[:, None]).any(axis=1))) for k in ks}
    result["unanswerable"] = int(unanswerable.sum())
    return result


def build_prompt(query: str, passages: Sequence[str] | pd.DataFrame,
                 instruction: str = "Answer the question using only the context below. "
                                    "If the context does not contain the answer, say \"I don't know\".") -> str:
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
    query = _check_text(query, "query")
    context = "\n".join(f"[{rank}] {passage}" for rank, passage in enumerate(_passages_of(passages), start=1))
    return f"{instruction}\n\nContext:\n{context}\n\nQuestion: {query}\nAnswer:"


class ExtractiveGenerator:
    """Offline stand-in for a generator: it QUOTES the retrieved sentences closest to the query.

    Not a language model: it writes no new words, cannot combine facts or say
    "I don't know"; it shows the generation step's input and output honestly
    when no generative model can be had. Sentences are compared with the same
    kind of embedding the retriever uses.

    >>> ExtractiveGenerator(n_sentences=1).generate("What do cats do?", ["Cats purr. The sky is blue."])
    'Cats purr.'
    """

    description = "ExtractiveGenerator: quotes retrieved sentences (extractive, no language model)"

    def __init__(self, embedder: Any = None, n_sentences: int = 2):
        self.embedder = embedder
        self.n_sentences = n_sentences

    def rank_sentences(self, query: str, passages: Sequence[str] | pd.DataFrame) -> pd.DataFrame:
        """Every sentence of the passages with its cosine score to the query, best first.

        >>> ExtractiveGenerator().rank_sentences("red fruit", ["An apple is red. Cars are fast."]).sentence.tolist()
        ['An apple is red.', 'Cars are fast.']
        """
        from embedkit.sentence import SentenceEmbedder

        query, passages = _check_text(query, "query"), _passages_of(passages)
        best_rank: dict[str, int] = {}  # overlapping chunks repeat sentences: keep each once
        for rank, passage in enumerate(passages, start=1):
            for sentence in filter(None, (part.strip() for part in _SENTENCE_END.split(passage))):
                best_rank.setdefault(sentence, rank)
        rows = list(best_rank.items())
        embedder = self.embedder if self.embedder is not None else SentenceEmbedder()
        vectors = embedder.transform([query] + [sentence for sentence, _ in rows])
        indices, scores = NeighborIndex(vectors[1:]).query(vectors[0], k=len(rows))
        return pd.DataFrame({"sentence": [rows[i][0] for i in indices], "score": scores.round(4),
                             "passage_rank": [rows[i][1] for i in indices]})

    def generate(self, query: str, passages: Sequence[str] | pd.DataFrame) -> str:
        """The ``n_sentences`` best-matching sentences, best first, joined by spaces."""
        n = check_k(self.n_sentences, 10**9, name="n_sentences")
        return " ".join(self.rank_sentences(query, passages).sentence[:n])


class HubGenerator:
    """A real seq2seq language model from the Hugging Face hub (default ``google/flan-t5-small``).

    It reads :func:`build_prompt`'s text and writes an answer. The weights are
    downloaded on first use (about 300 MB; needs a network) or read from a local
    folder; when they cannot be had, :meth:`generate` raises
    :class:`~embedkit.ModelUnavailableError` naming the model: it never makes up output.

    >>> generator = HubGenerator()          # nothing loads until generate()
    >>> generator.model
    'google/flan-t5-small'
    """

    def __init__(self, model: str = "google/flan-t5-small", max_new_tokens: int = 64):
        self.model = model
        self.max_new_tokens = max_new_tokens

    @property
    def description(self) -> str:
        """Which model this is and where it was loaded from (after the first generate)."""
        where = getattr(self, "loaded_from_", "not loaded yet")
        return f"HubGenerator: language model {self.model} ({where})"

    def _load(self) -> tuple[Any, Any]:
        if not hasattr(self, "model_"):
            transformers = require("transformers", "text", "HubGenerator")
            try:
                # Seq2seq classes directly: the "text2text-generation" pipeline is gone from transformers 5.
                tokenizer = transformers.AutoTokenizer.from_pretrained(self.model)
                model = transformers.AutoModelForSeq2SeqLM.from_pretrained(self.model)
            except Exception as error:  # hub and loading failures come in many types; all mean "not here"
                raise ModelUnavailableError(
                    f"Could not load the generator model {self.model!r} ({type(error).__name__}: "
                    f"{(str(error).splitlines() or [''])[0][:200]}). Its weights come from the Hugging Face hub, "
                    "which needs a network connection the first time (with HF_HUB_OFFLINE unset); or pass the "
                    "path of a local folder holding a saved seq2seq model. "
                    "Offline, use ExtractiveGenerator instead."
                ) from error
            self.tokenizer_, self.model_ = tokenizer, model.eval()
            self.loaded_from_ = "local folder" if os.path.isdir(self.model) else "Hugging Face hub or its cache"
        return self.tokenizer_, self.model_

    def generate(self, query: str, passages: Sequence[str] | pd.DataFrame) -> str:
        """Answer ``query`` from ``passages`` by running the model on :func:`build_prompt`'s text."""
        import torch

        prompt = build_prompt(query, passages)
        max_new_tokens = check_k(self.max_new_tokens, 10**6, name="max_new_tokens")
        tokenizer, model = self._load()
        torch.manual_seed(0)
        with torch.no_grad():
            inputs = tokenizer(prompt, return_tensors="pt", truncation=True)
            output = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        return tokenizer.decode(output[0], skip_special_tokens=True).strip()
