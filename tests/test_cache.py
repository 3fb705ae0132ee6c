import json

import numpy as np
import pytest

from embedkit.cache import cache_dir, cached_array, clear_cache, content_hash

# Every test here looks inside the cache folder: each gets one of its own.
pytestmark = pytest.mark.usefixtures("isolated_cache")


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_second_call_reads_the_cache():
    compute, calls = counting(np.arange(6.0).reshape(2, 3))
    key = content_hash("test-roundtrip")
    first, second = cached_array(key, compute), cached_array(key, compute)
    assert len(calls) == 1 and np.array_equal(first, second)


def test_content_hash_distinguishes_structure_and_types():
    assert content_hash("ab") != content_hash("a", "b")
    assert content_hash(["a", "b"]) != content_hash("ab")
    assert content_hash(np.zeros(2, np.float32)) != content_hash(np.zeros(2, np.float64))
    assert content_hash(np.zeros((2, 3))) != content_hash(np.zeros((3, 2)))
    assert content_hash(1) != content_hash("1")
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})


@pytest.mark.parametrize("damage", ["flip", "truncate", "note"])
def test_damaged_entries_are_detected_and_recomputed(damage):
    value = np.arange(100.0)
    key = content_hash("test-damage", damage)
    compute, calls = counting(value)
    cached_array(key, compute)
    array_path = cache_dir() / f"{key}.npy"
    data = bytearray(array_path.read_bytes())
    if damage == "flip":
        data[-1] ^= 0xFF
        array_path.write_bytes(bytes(data))
    elif damage == "truncate":
        array_path.write_bytes(bytes(data[: len(data) // 2]))
    else:
        (cache_dir() / f"{key}.json").write_text("{not json")
    with pytest.warns(UserWarning, match="damaged"):
        again = cached_array(key, compute)
    assert len(calls) == 2 and np.array_equal(again, value)
    assert np.array_equal(cached_array(key, compute), value) and len(calls) == 2


def test_a_failed_computation_leaves_nothing_behind():
    key = content_hash("test-failure")

    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cached_array(key, broken)
    assert not list(cache_dir().glob(f"{key}*")) and not list(cache_dir().glob(".tmp-*"))


def test_note_records_hash_shape_and_dtype():
    key = content_hash("test-note")
    cached_array(key, lambda: np.ones((2, 2), np.float32), description="demo")
    note = json.loads((cache_dir() / f"{key}.json").read_text())
    assert note["shape"] == [2, 2] and note["dtype"] == "<f4" and len(note["sha256"]) == 64


def test_disabled_cache_neither_reads_nor_writes():
    key = content_hash("test-disabled")
    compute, calls = counting(np.ones(3))
    cached_array(key, compute, enabled=False)
    cached_array(key, compute, enabled=False)
    assert len(calls) == 2 and not (cache_dir() / f"{key}.npy").exists()


def test_clear_cache_removes_entries():
    cached_array(content_hash("test-clear"), lambda: np.ones(1))
    assert clear_cache() >= 2
    assert not list(cache_dir().glob("*.npy"))


def test_clear_cache_removes_model_folders_but_not_foreign_files():
    (cache_dir() / "word2vec-0123456789abcdef0123456789abcdef").mkdir()
    (cache_dir() / "word2vec-0123456789abcdef0123456789abcdef" / "model").write_text("m")
    (cache_dir() / "word2vec-0123456789abcdef0123456789abcdef" / "embedkit-signature.json").write_text("{}")
    (cache_dir() / "notes-of-the-user.txt").write_text("keep me")
    clear_cache()
    assert not (cache_dir() / "word2vec-0123456789abcdef0123456789abcdef").exists()
    assert (cache_dir() / "notes-of-the-user.txt").read_text() == "keep me"


@pytest.fixture
def quiet_once(monkeypatch):
    """Reset embedkit's warn-once memory and stale-tmp sweep, so each test sees a first time."""
    import embedkit.cache as cache

    monkeypatch.setattr(cache, "_warned", set())
    monkeypatch.setattr(cache, "_swept", set())


def test_clear_cache_removes_only_what_embedkit_wrote(isolated_cache, quiet_once):
    key = content_hash("kit-entry")
    cached_array(key, lambda: np.ones(2))
    mine = [isolated_cache / "my_results.npy", isolated_cache / "config.json",
            isolated_cache / ("backup-" + "ab" * 16), isolated_cache / ("word2vec-" + "cd" * 16)]
    np.save(mine[0], np.arange(3))
    mine[1].write_text("{}")
    mine[2].mkdir()
    mine[3].mkdir()  # named like a model folder, but not signed by the kit
    assert clear_cache() == 2  # the entry's .npy and .json
    assert all(path.exists() for path in mine)
    assert not list(isolated_cache.glob(key + "*"))


def test_a_full_disk_keeps_the_result_and_warns_once(isolated_cache, quiet_once, monkeypatch):
    import errno

    import embedkit.cache as cache

    def full(path, write):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache, "_atomic_write", full)
    with pytest.warns(UserWarning, match="not cached") as caught:
        first = cached_array(content_hash("full-1"), lambda: np.arange(3.0))
        second = cached_array(content_hash("full-2"), lambda: np.arange(4.0))
    assert first.tolist() == [0, 1, 2] and second.tolist() == [0, 1, 2, 3]
    assert len([w for w in caught if "not cached" in str(w.message)]) == 1
    assert list(isolated_cache.iterdir()) == []


def test_a_cache_folder_that_is_a_file_costs_no_result(tmp_path, monkeypatch, quiet_once):
    from embedkit.errors import CacheUnavailableError

    target = tmp_path / "a-file"
    target.write_text("keep me")
    monkeypatch.setenv("EMBEDKIT_CACHE", str(target))
    with pytest.raises(CacheUnavailableError, match="EMBEDKIT_CACHE"):
        cache_dir()
    with pytest.warns(UserWarning, match="not cached"):
        assert cached_array(content_hash("on-file"), lambda: np.ones(2)).tolist() == [1, 1]
    assert target.read_text() == "keep me"


def test_an_entry_replaced_by_a_folder_is_left_alone(isolated_cache, quiet_once):
    key = content_hash("entry-is-a-folder")
    (isolated_cache / f"{key}.npy").mkdir()
    (isolated_cache / f"{key}.json").mkdir()
    with pytest.warns(UserWarning):
        assert cached_array(key, lambda: np.ones(2)).tolist() == [1, 1]
    assert (isolated_cache / f"{key}.npy").is_dir()


def test_stale_temporary_files_are_swept_and_fresh_ones_kept(isolated_cache, quiet_once):
    import os
    import time

    stale, fresh = isolated_cache / ".tmp-killed", isolated_cache / ".tmp-busy"
    stale.write_bytes(b"half an entry")
    fresh.write_bytes(b"another process is writing this")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    cache_dir()
    assert not stale.exists() and fresh.exists()
