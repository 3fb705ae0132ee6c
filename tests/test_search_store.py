"""The LanceDB vector store: agrees with exact search, survives a reopen in a new process,
filters by metadata, and refuses bad paths without leaving anything half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from embedkit import InputError
from embedkit.search import ExactIndex, VectorStore, VectorStoreError, neighbor_recall

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def clustered():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(5, 32))
    labels = rng.integers(0, 5, 3000)
    X = (centres[labels] + 0.6 * rng.normal(size=(3000, 32))).astype(np.float32)
    meta = pd.DataFrame({"category": [f"c{i}" for i in labels], "n": np.arange(3000)})
    return X, meta


def test_store_agrees_with_exact_search_and_filters(tmp_path, clustered):
    X, meta = clustered
    store = VectorStore.create(tmp_path / "db", X, meta)
    assert len(store) == 3000 and store.dim == 32 and store.columns == ["category", "n"]
    Q = X[:20] + 0.1
    true_scores, true_ids = ExactIndex(X).search(Q, k=10)
    scores, ids = store.search(Q, k=10)
    assert neighbor_recall(ids, true_ids) > 0.99  # no ANN index yet: a flat scan
    np.testing.assert_allclose(scores, true_scores, atol=1e-4)
    _, only = store.search(Q[0], k=10, where="category = 'c2'")
    assert only.shape == (10,) and set(meta["category"].iloc[only]) == {"c2"}
    with pytest.raises(InputError, match="could not be applied"):
        store.search(Q[0], k=3, where="no_such_column = 1")


def test_store_survives_a_reopen_in_a_new_process(tmp_path, clustered):
    X, meta = clustered
    VectorStore.create(tmp_path / "db", X, meta)
    expected = ExactIndex(X).search(X[7], k=5)[1].tolist()
    code = ("import sys, numpy as np; from embedkit.search import VectorStore; "
            "s = VectorStore.open(sys.argv[1]); v = s.vectors(); "
            "print(len(s), s.search(v[7], k=5)[1].tolist())")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "db")], env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == f"3000 {expected}"


def test_adding_rows_and_an_ann_index(tmp_path, clustered):
    X, meta = clustered
    store = VectorStore.create(tmp_path / "db", X[:2000], meta.iloc[:2000])
    store.add(X[2000:], meta.iloc[2000:])
    assert len(store) == 3000 and store.to_pandas()["id"].tolist() == list(range(3000))
    np.testing.assert_allclose(store.vectors(), ExactIndex(X).vectors_, atol=1e-6)
    store.create_index(index_type="IVF_FLAT", num_partitions=8)
    store.nprobes = 8  # every partition: the index must then give exact answers
    _, true_ids = ExactIndex(X).search(X[:20], k=10)
    assert neighbor_recall(store.search(X[:20], k=10)[1], true_ids) > 0.99


def test_bad_paths_and_input_get_clear_errors(tmp_path, clustered):
    X, meta = clustered
    with pytest.raises(VectorStoreError, match="does not exist"):
        VectorStore.open(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("mine")
    with pytest.raises(VectorStoreError, match="no LanceDB tables"):
        VectorStore.open(tmp_path / "plain")
    with pytest.raises(VectorStoreError, match="is a file"):
        VectorStore.create(tmp_path / "plain" / "notes.txt", X)
    assert (tmp_path / "plain" / "notes.txt").read_text() == "mine"
    # bad input is refused before the disk is touched
    with pytest.raises(InputError, match="metadata has 5 rows"):
        VectorStore.create(tmp_path / "db", X, meta.iloc[:5])
    with pytest.raises(InputError, match="NaN"):
        VectorStore.create(tmp_path / "db", np.full((3, 4), np.nan))
    assert not (tmp_path / "db").exists()
    store = VectorStore.create(tmp_path / "db", X, meta)
    with pytest.raises(VectorStoreError, match="already holds"):
        VectorStore.create(tmp_path / "db", X, meta)
    with pytest.raises(InputError, match="32-dimensional"):
        store.search(np.ones(3), k=1)
    with pytest.raises(InputError, match="holds 3000"):
        store.search(X[0], k=3001)
    with pytest.raises(InputError, match="NaN"):
        store.search(np.full(32, np.nan), k=1)


def test_a_locked_table_is_refused(tmp_path, clustered):
    X, meta = clustered
    store = VectorStore.create(tmp_path / "db", X[:10], meta.iloc[:10])
    lock = tmp_path / "db" / ".items.embedkit-lock"
    lock.write_text("12345")
    with pytest.raises(VectorStoreError, match="locked"):
        store.add(X[10:20], meta.iloc[10:20])
    assert len(store) == 10
    lock.unlink()
    assert len(store.add(X[10:20], meta.iloc[10:20])) == 20


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_folder_is_refused(tmp_path, clustered):
    X, _ = clustered
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(VectorStoreError, match="read-only"):
            VectorStore.create(folder / "db", X)
    finally:
        folder.chmod(0o700)


def test_a_table_larger_than_one_write_batch_keeps_every_row_in_order(tmp_path):
    """create() and add() stream the rows to LanceDB in batches of 8,192: none lost or reordered."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20_000, 8)).astype(np.float32)
    meta = pd.DataFrame({"n": np.arange(20_000)})
    store = VectorStore.create(tmp_path / "db", X[:17_000], meta[:17_000])
    store.add(X[17_000:], meta[17_000:])
    table = store.to_pandas()
    assert len(store) == 20_000 and table["id"].tolist() == list(range(20_000))
    assert table["n"].tolist() == list(range(20_000))
    np.testing.assert_allclose(store.vectors(), X / np.linalg.norm(X, axis=1, keepdims=True), atol=1e-6)
