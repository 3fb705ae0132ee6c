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
]


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


def closest_names(name: str, known: list[str] | tuple[str, ...]) -> str:
    """Return a "did you mean" hint for ``name`` among ``known`` (may be empty)."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def require(module: str, extra: str, feature: str):
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"{feature} needs the Python package '{module}', which is not installed "
            f"({error}). Install it with: pip install -e '.[{extra}]'"
        ) from error
