"""A small on-disk cache for arrays, keyed by content hash.

Embedding a data set or running UMAP takes seconds to minutes; doing it again
for the same input should take milliseconds. Each entry is one ``.npy`` file
plus a ``.json`` note holding the array's SHA-256. Writes go to a temporary
file that is renamed into place, so a crash never leaves a half-written entry,
and every read is checked against the stored hash, so a damaged file is
detected, deleted and recomputed instead of trusted.

The cache lives in ``$EMBEDKIT_CACHE`` if set, else ``~/.cache/embedkit``.
A cache that cannot be written (read-only folder, full disk, a path that is a
file) never costs a result: embedkit warns once and returns what it computed.
Temporary files left by a killed writer are removed once they are an hour old
(a fresher one may belong to a writer still at work in another process).

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
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from embedkit.errors import CacheUnavailableError

__all__ = ["cache_dir", "content_hash", "cached_array", "clear_cache", "discard_entry", "MODEL_FOLDER_KINDS"]

#: Array entries are ``<64 hex>[-<part>].npy`` with a ``.json`` note; nothing else is ours.
_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}(-[a-z0-9]+)*\.(npy|json)$")
#: Folders of trained models the kit writes: ``<kind>-<32 hex>`` for these kinds only.
MODEL_FOLDER_KINDS = ("word2vec", "fasttext")
_MODEL_FOLDER = re.compile(rf"^({'|'.join(MODEL_FOLDER_KINDS)})-[0-9a-f]{{32}}$")
#: A temporary file older than this cannot belong to a live writer.
STALE_TMP_SECONDS = 3600
_swept: set[str] = set()
_warned: set[str] = set()


def cache_dir() -> Path:
    """Return the folder holding embedkit's cache (created on first use).

    Raises :class:`~embedkit.errors.CacheUnavailableError` (an ``OSError``)
    if it cannot be created, e.g. ``EMBEDKIT_CACHE`` names a file.

    >>> cache_dir().is_dir()
    True
    """
    root = os.environ.get("EMBEDKIT_CACHE") or Path.home() / ".cache" / "embedkit"
    path = Path(root)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CacheUnavailableError(
            f"embedkit's cache folder {path} cannot be used ({type(error).__name__}: {error}). "
            "Point EMBEDKIT_CACHE at a writable folder (not a file)."
        ) from None
    if not path.is_dir():
        raise CacheUnavailableError(
            f"embedkit's cache folder {path} is not a folder. Point EMBEDKIT_CACHE at a folder."
        )
    if str(path) not in _swept:
        _swept.add(str(path))
        _remove_stale_tmp(path)
    return path


def _remove_stale_tmp(folder: Path, older_than: float = STALE_TMP_SECONDS) -> int:
    """Delete ``.tmp-*`` leftovers of killed writers; fresh ones may be in use elsewhere."""
    removed = 0
    now = time.time()
    try:
        leftovers = [p for p in folder.iterdir() if p.name.startswith(".tmp-")]
    except OSError:
        return 0
    for path in leftovers:
        try:
            if now - path.lstat().st_mtime < older_than:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except OSError:
            pass  # another process removed it first, or it is not ours to remove
    return removed


def _warn_once(topic: str, message: str) -> None:
    if topic not in _warned:
        _warned.add(topic)
        warnings.warn(message, stacklevel=4)


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


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 4 MB blocks."""
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


def _paths(stem: Path) -> tuple[Path, Path]:
    # with_suffix would cut a key such as "<hash>-indices" at a dot; keys have none, but be exact.
    return stem.parent / (stem.name + ".npy"), stem.parent / (stem.name + ".json")


def _read_verified(stem: Path) -> np.ndarray | None:
    array_path, note_path = _paths(stem)
    if not array_path.exists() or not note_path.exists():
        return None
    if not array_path.is_file() or not note_path.is_file():
        _warn_once(f"odd:{stem}", f"embedkit: cache entry {array_path.name} is not a regular file; "
                   "it is left alone and the result is recomputed (not cached).")
        return None
    try:
        note = json.loads(note_path.read_text())
        if file_sha256(array_path) != note["sha256"]:
            raise ValueError("checksum mismatch")
        return np.load(array_path, allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        warnings.warn(
            f"embedkit: cache entry {array_path.name} is damaged ({error}); "
            "it was deleted and will be recomputed.",
            stacklevel=3,
        )
        discard_entry(stem.name)
        return None


def discard_entry(key: str) -> None:
    """Remove the array entry stored under ``key``, if any (never raises).

    >>> discard_entry(content_hash("nothing stored here"))
    """
    try:
        folder = cache_dir()
    except CacheUnavailableError:
        return
    for path in _paths(folder / key):
        try:
            if path.is_file() or path.is_symlink():
                path.unlink()
        except OSError:
            pass


def _store(stem: Path, result: np.ndarray, description: str) -> None:
    array_path, note_path = _paths(stem)
    _atomic_write(array_path, lambda handle: np.save(handle, result, allow_pickle=False))
    note = {"sha256": file_sha256(array_path), "shape": list(result.shape),
            "dtype": result.dtype.str, "description": description, "written_by": "embedkit"}
    _atomic_write(note_path, lambda handle: handle.write(json.dumps(note).encode()))


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
    try:
        stem = cache_dir() / key
    except CacheUnavailableError as error:
        _warn_once("dir", f"{error} Results are computed but not cached.")
        return compute()
    found = _read_verified(stem)
    if found is not None:
        return found
    result = np.asarray(compute())
    if result.dtype == object:
        return result  # not storable without pickle; never cache it
    try:
        _store(stem, result, description)
    except OSError as error:
        # The result is the valuable part: keep it, say once that the cache is not working.
        _warn_once(f"write:{stem.parent}", (
            f"embedkit: could not write to the cache folder {stem.parent} ({type(error).__name__}: "
            f"{error}); results are returned but not cached. Free some space, or point "
            "EMBEDKIT_CACHE at a writable folder."))
        for path in _paths(stem):
            try:
                if path.is_file():
                    path.unlink()  # never leave half an entry (an array without its note)
            except OSError:
                pass
    return result


def clear_cache() -> int:
    """Delete every cache entry (arrays and trained-model folders); return how many.

    Only what embedkit wrote is removed: ``<64-hex key>.npy``/``.json`` pairs,
    ``word2vec-<hash>``/``fasttext-<hash>`` model folders that carry the kit's
    signature file, and leftover ``.tmp-*`` files. Anything else in the folder
    (``my_results.npy``, ``config.json``, ``backup-<hash>/``) stays.

    >>> isinstance(clear_cache(), int)
    True
    """
    removed = 0
    for path in cache_dir().iterdir():
        if path.is_symlink():
            continue  # never follow a link out of the cache folder
        ours_file = path.is_file() and (_ENTRY_NAME.match(path.name) or path.name.startswith(".tmp-"))
        ours_dir = path.is_dir() and (path.name.startswith(".tmp-") or (
            _MODEL_FOLDER.match(path.name) and (path / "embedkit-signature.json").is_file()))
        try:
            if ours_file:
                path.unlink()
            elif ours_dir:
                shutil.rmtree(path)
            else:
                continue
        except FileNotFoundError:
            continue  # removed meanwhile by another process
        removed += 1
    return removed
