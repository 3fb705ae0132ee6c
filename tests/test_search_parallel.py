"""Parallel embedding on a loopback Dask cluster equals the serial result (to float tolerance:
batches of other shapes may take other BLAS kernels)."""

from __future__ import annotations

import numpy as np
import pytest

from embedkit import InputError, load_example
from embedkit.search import VectorStore, VectorStoreError, embed_parallel, local_cluster, partition_bounds
from embedkit.static_sentence import StaticSentenceEmbedder


@pytest.fixture(scope="module")
def client():
    """Two worker processes on 127.0.0.1, no dashboard; always closed after the tests."""
    with local_cluster(n_workers=2, memory_limit="1GiB") as client:
        yield client


@pytest.fixture(scope="module")
def texts():
    table = load_example("wordnet_all").sample(3000, random_state=1)
    return table["text"].tolist(), table[["category"]].reset_index(drop=True)


def test_partitions_cover_everything_on_batch_boundaries():
    bounds = partition_bounds(1000, 3, batch_size=64)
    assert bounds[0][0] == 0 and bounds[-1][1] == 1000
    assert all(b == a2 for (_, b), (a2, _) in zip(bounds, bounds[1:]))
    assert all(a % 64 == 0 for a, _ in bounds)


def test_dask_equals_serial_and_writes_the_store(client, texts, tmp_path):
    items, meta = texts
    embedder = StaticSentenceEmbedder(batch_size=128, cache=False, progress=False)
    serial = embedder.transform(items)
    parallel = embed_parallel(items, embedder, client=client, n_partitions=7,
                              store=tmp_path / "db", metadata=meta)
    assert parallel.dtype == serial.dtype
    np.testing.assert_allclose(parallel, serial, rtol=1e-5, atol=1e-6)
    store = VectorStore.open(tmp_path / "db")
    assert len(store) == 3000
    assert store.to_pandas()["category"].tolist() == meta["category"].tolist()
    unit = serial / np.linalg.norm(serial, axis=1, keepdims=True)
    np.testing.assert_allclose(store.vectors(), unit, atol=1e-6)
    assert store.search(serial[11], k=1)[1].tolist() == [11]


def test_the_same_code_takes_a_scheduler_address(client, texts):
    items, _ = texts
    embedder = StaticSentenceEmbedder(batch_size=256, cache=False, progress=False)
    by_address = embed_parallel(items[:600], embedder, address=client.scheduler.address)
    np.testing.assert_allclose(by_address, embedder.transform(items[:600]), rtol=1e-5, atol=1e-6)


def test_bad_calls_fail_before_any_work(client, texts, tmp_path):
    items, meta = texts
    embedder = StaticSentenceEmbedder(cache=False)
    with pytest.raises(InputError, match="exactly one"):
        embed_parallel(items, embedder)
    with pytest.raises(InputError, match="one row per text"):
        embed_parallel(items, embedder, client=client, metadata=meta.iloc[:3])
    VectorStore.create(tmp_path / "db", np.eye(3))
    with pytest.raises(VectorStoreError, match="already holds"):
        embed_parallel(items, embedder, client=client, store=tmp_path / "db")
    with pytest.raises(InputError, match="empty or only whitespace"):
        embed_parallel(items[:5] + [""], embedder, client=client, store=tmp_path / "db2")
    assert not VectorStore.exists(tmp_path / "db2"), "a failed run must leave no table behind"
