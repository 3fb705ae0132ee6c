"""A small on-disk cache for arrays, keyed by content hash.

Embedding a data set or running UMAP takes seconds to minutes; doing it again
for the same input should take milliseconds. Each entry is one ``.npy`` file
plus a ``.json`` note holding the array's SHA-256. Writes go to a temporary
file that is renamed into place, so a crash never leaves a half-written entry,
and every read is checked against the stored hash, so a damaged file is
detected, deleted and recomputed instead of trusted.

The cache lives in ``$EMBEDKIT_CACHE`` if set, else ``~/.cache/embedkit``.

>>> import numpy as np
>>> from embedkit.cache import cached_array, content_hash
>>> key = content_hash("demo", np.arange(3))
>>> cached_array(key, lambda: np.ones(2)).tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["cache_dir", "content_hash", "cached_array", "clear_cache"]


def cache_dir() -> Path:
    """Return the folder holding embedkit's cache (created on first use).

    >>> cache_dir().is_dir()
    True
    """
    root = os.environ.get("EMBEDKIT_CACHE") or Path.home() / ".cache" / "embedkit"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _feed(digest: Any, part: Any) -> None:
    """Feed one part into ``digest`` with a type tag, so ("ab",) != ("a", "b")."""
    if isinstance(part, np.ndarray):
        array = np.ascontiguousarray(part)
        digest.update(f"ndarray:{array.dtype.str}:{array.shape}:".encode())
        digest.update(array.data if array.dtype != object else repr(array.tolist()).encode())
    elif isinstance(part, bytes):
        digest.update(b"bytes:%d:" % len(part))
        digest.update(part)
    elif isinstance(part, str):
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(b"str:%d:" % len(encoded))
        digest.update(encoded)
    elif isinstance(part, (list, tuple)):
        digest.update(b"seq:%d:" % len(part))
        for item in part:
            _feed(digest, item)
    elif isinstance(part, dict):
        _feed(digest, sorted((str(k), v) for k, v in part.items()))
    else:
        digest.update(f"{type(part).__name__}:{part!r};".encode())


def content_hash(*parts: Any) -> str:
    """Return a hex SHA-256 of ``parts`` (strings, bytes, arrays, lists, dicts, numbers).

    >>> content_hash("a", 1) == content_hash("a", 1) != content_hash("a", 2)
    True
    """
    digest = hashlib.sha256()
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write(path: Path, write: Callable[[Any], None]) -> None:
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _read_verified(stem: Path) -> np.ndarray | None:
    array_path, note_path = stem.with_suffix(".npy"), stem.with_suffix(".json")
    if not array_path.exists() or not note_path.exists():
        return None
    try:
        note = json.loads(note_path.read_text())
        if _file_sha256(array_path) != note["sha256"]:
            raise ValueError("checksum mismatch")
        return np.load(array_path, allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        warnings.warn(
            f"embedkit: cache entry {array_path.name} is damaged ({error}); "
            "it was deleted and will be recomputed.",
            stacklevel=3,
        )
        array_path.unlink(missing_ok=True)
        note_path.unlink(missing_ok=True)
        return None


def cached_array(
    key: str,
    compute: Callable[[], np.ndarray],
    *,
    enabled: bool = True,
    description: str = "",
) -> np.ndarray:
    """Return the array stored under ``key``, computing and storing it if absent.

    ``key`` should come from :func:`content_hash` over everything the result
    depends on. With ``enabled=False`` the cache is neither read nor written.

    >>> cached_array(content_hash("doc", 2), lambda: np.zeros(2), enabled=False).tolist()
    [0.0, 0.0]
    """
    if not enabled:
        return compute()
    stem = cache_dir() / key
    found = _read_verified(stem)
    if found is not None:
        return found
    result = np.asarray(compute())
    if result.dtype == object:
        return result  # not storable without pickle; never cache it
    _atomic_write(stem.with_suffix(".npy"), lambda handle: np.save(handle, result, allow_pickle=False))
    note = {"sha256": _file_sha256(stem.with_suffix(".npy")), "shape": list(result.shape),
            "dtype": result.dtype.str, "description": description}
    _atomic_write(stem.with_suffix(".json"), lambda handle: handle.write(json.dumps(note).encode()))
    return result


def clear_cache() -> int:
    """Delete every cache entry (arrays and trained-model folders); return how many.

    Only what embedkit wrote is removed: ``<hash>.npy``/``.json`` pairs,
    ``<kind>-<hash>`` model folders and leftover ``.tmp-*`` files, so a cache
    folder shared with other files is safe.

    >>> isinstance(clear_cache(), int)
    True
    """
    import re
    import shutil

    model_folder = re.compile(r"^[a-z0-9_]+-[0-9a-f]{32}$")
    removed = 0
    for path in cache_dir().iterdir():
        if path.is_file() and (path.suffix in {".npy", ".json"} or path.name.startswith(".tmp-")):
            path.unlink()
            removed += 1
        elif path.is_dir() and (model_folder.match(path.name) or path.name.startswith(".tmp-")):
            shutil.rmtree(path)
            removed += 1
    return removed
