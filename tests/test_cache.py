import json

import numpy as np
import pytest

from embedkit.cache import cache_dir, cached_array, clear_cache, content_hash


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
