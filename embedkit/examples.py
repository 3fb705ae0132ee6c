"""The example-data registry, in the manner of ``librosa.example()``.

Every bundled data set has a name, a licence, a source and a SHA-256 for each
of its files, all listed in ``data/registry.json`` (written by
``data/build.py``). Loading verifies the checksums first, so a damaged or
hand-edited file is reported instead of quietly changing a lesson's results.
Nothing is downloaded: the files ship with the kit.

>>> from embedkit import list_examples, load_example
>>> "wordnet_glosses" in list_examples()
True
>>> load_example("wordnet_glosses").columns[0]
'text'
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from embedkit.errors import DataIntegrityError, InputError, UnknownNameError, closest_names

__all__ = ["data_dir", "list_examples", "example_info", "load_example", "verify_example"]


def data_dir() -> Path:
    """Return the folder holding the bundled data (``$EMBEDKIT_DATA`` overrides it).

    >>> (data_dir() / "registry.json").exists()
    True
    """
    override = os.environ.get("EMBEDKIT_DATA")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


@functools.lru_cache(maxsize=4)
def _registry(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / "registry.json"
    if not path.exists():
        raise DataIntegrityError(
            f"The example-data registry {path} is missing. Run embedkit from a full "
            "clone of the repository, or set EMBEDKIT_DATA to the folder holding registry.json."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _entry(name: str) -> dict[str, Any]:
    if not isinstance(name, str):
        raise InputError(f"An example name must be a string, got {type(name).__name__}.")
    registry = _registry(data_dir())
    if name not in registry:
        raise UnknownNameError(
            f"No example data set is called {name!r}.{closest_names(name, list(registry))} "
            f"See embedkit.list_examples() for the {len(registry)} that exist."
        )
    return registry[name]


def list_examples(modality: str | None = None) -> list[str]:
    """Return the names of the bundled data sets, optionally of one modality.

    >>> list_examples("audio")[:1] != []
    True
    """
    registry = _registry(data_dir())
    modalities = sorted({entry["modality"] for entry in registry.values()})
    if modality is not None and modality not in modalities:
        raise UnknownNameError(
            f"Unknown modality {modality!r}; choose one of {', '.join(modalities)}."
        )
    return sorted(n for n, e in registry.items() if modality in (None, e["modality"]))


def example_info(name: str) -> dict[str, Any]:
    """Return a data set's description, source, licence, size and columns.

    >>> example_info("wordnet_glosses")["modality"]
    'text'
    """
    entry = dict(_entry(name))
    entry["name"] = name
    entry["size_mb"] = round(entry["size_bytes"] / 1e6, 2)
    entry.pop("files", None)
    return entry


@functools.lru_cache(maxsize=64)
def _verify(folder: Path, relative: str, expected: str, mtime_ns: int, size: int) -> None:
    # Cached on (path, mtime, size): re-hashing 20 MB on every load is wasted work,
    # while any edit of the file changes its mtime and forces a fresh check.
    digest = hashlib.sha256()
    with open(folder / relative, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise DataIntegrityError(
            f"The bundled file data/{relative} does not match its checksum: it was changed "
            "or damaged. Restore it with `git checkout -- data/` (or rebuild it with the "
            "command in data/README.md)."
        )


def verify_example(name: str) -> None:
    """Check every file of data set ``name`` against its SHA-256; raise if one differs.

    >>> verify_example("wordnet_glosses")
    """
    folder = data_dir()
    for relative, expected in _entry(name)["files"].items():
        path = folder / relative
        if not path.exists():
            raise DataIntegrityError(
                f"The bundled file data/{relative} of example {name!r} is missing. "
                "Restore it with `git checkout -- data/`."
            )
        stat = path.stat()
        _verify(folder, relative, expected, stat.st_mtime_ns, stat.st_size)


def load_example(name: str) -> pd.DataFrame:
    """Return data set ``name`` as a DataFrame, one row per item, checksums verified.

    Text sets have a ``text`` column; image and audio sets a ``path`` column of
    absolute file paths. ``example_info(name)["label_columns"]`` lists the labels.

    >>> df = load_example("wordnet_glosses")
    >>> len(df) == example_info("wordnet_glosses")["n_items"]
    True
    """
    entry = _entry(name)
    verify_example(name)
    folder = data_dir()
    table = pd.read_csv(folder / entry["table"], keep_default_na=False)
    if entry["item_column"] == "path":
        base = (folder / entry["table"]).parent
        table["path"] = [str(base / relative) for relative in table["path"]]
    table.attrs["example"] = name
    return table
