"""Embed a large corpus in parallel with Dask distributed, on one machine or many.

The same function runs on a loopback :class:`LocalCluster` (what the notebook
and tests start) and on a real cluster: pass ``address="tcp://scheduler:8786"``
of a running ``dask scheduler`` whose workers have embedkit installed and the
model available (or a :class:`distributed.Client` you made yourself).

The corpus is cut into partitions aligned to the embedder's batch size, so
every worker embeds exactly the batches a serial run would: the result is
bitwise equal to ``embedder.transform(texts)``. Each finished partition is
written to a :class:`~embedkit.search.VectorStore` as it arrives (by the client,
the one writer), with its rows' positions as ids.

>>> from embedkit.search import partition_bounds
>>> partition_bounds(1000, 2, batch_size=512)   # two partitions on batch boundaries
[(0, 512), (512, 1000)]
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from embedkit.errors import InputError, require
from embedkit.validation import check_int, check_items

__all__ = ["local_cluster", "embed_parallel", "partition_bounds"]


def _distributed():
    return require("distributed", "search", "Parallel embedding with Dask")


@contextmanager
def local_cluster(n_workers: int = 2, threads_per_worker: int = 1,
                  memory_limit: str = "1GiB") -> Iterator[Any]:
    """A loopback Dask cluster of worker *processes* and a client to it, closed on exit.

    Listens on 127.0.0.1 only and starts no scheduler dashboard: nothing is reachable from
    outside (distributed still gives each worker a status page, on 127.0.0.1 too).

    >>> with local_cluster(n_workers=1) as client:      # doctest: +SKIP
    ...     client.submit(sum, [1, 2]).result()
    3
    """
    import logging

    check_int(n_workers, "n_workers"), check_int(threads_per_worker, "threads_per_worker")
    distributed = _distributed()
    from dask.utils import parse_bytes

    try:
        if isinstance(memory_limit, str) and memory_limit != "auto":
            parse_bytes(memory_limit)
    except ValueError:
        raise InputError(f"memory_limit must be a size such as '1GiB' or '500MB', got {memory_limit!r}.") from None
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # its INFO lines (one per worker start and stop) drown a notebook
    cluster = distributed.LocalCluster(
        n_workers=n_workers, threads_per_worker=threads_per_worker, processes=True,
        memory_limit=memory_limit, host="127.0.0.1", scheduler_port=0,
        dashboard_address=None, worker_dashboard_address=None,
        scheduler_kwargs={"dashboard": False},
        silence_logs=logging.WARNING)
    try:
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()
        quiet.setLevel(level)


def partition_bounds(n_items: int, n_partitions: int, batch_size: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(n_items)``, every start a multiple of ``batch_size``.

    >>> partition_bounds(10, 3, batch_size=2)
    [(0, 4), (4, 8), (8, 10)]
    """
    if isinstance(n_partitions, bool) or not isinstance(n_partitions, int) or n_partitions < 1:
        raise InputError(f"n_partitions must be a positive whole number, got {n_partitions!r}.")
    n_batches = -(-n_items // batch_size)
    per = -(-n_batches // n_partitions) * batch_size
    return [(start, min(start + per, n_items)) for start in range(0, n_items, per)]


def _embed_partition(embedder: Any, texts: list, start: int) -> tuple[int, np.ndarray]:
    # Runs on a worker: the embedder loads its model there, once per worker process.
    return start, embedder.transform(texts)


def embed_parallel(texts: Any, embedder: Any, *, client: Any = None, address: str | None = None,
                   n_partitions: int | None = None, store: Any = None, metadata: Any = None,
                   table: str = "items") -> np.ndarray:
    """Embed ``texts`` on a Dask cluster; rows come back in input order, equal to a serial run.

    Parameters
    ----------
    texts : list of str
    embedder : an embedkit Embedder (pickled to the workers; its model loads there)
    client : distributed.Client, optional
        An existing client (e.g. from :func:`local_cluster`).
    address : str, optional
        Scheduler address of a running cluster, e.g. ``"tcp://10.0.0.5:8786"``.
        Exactly one of ``client`` and ``address`` is needed.
    n_partitions : int, optional
        Pieces of work; default four per worker, so a slow worker does not hold up the rest.
    store : path, optional
        Write every partition, as it finishes, to a new :class:`VectorStore` table there
        (ids = positions in ``texts``, plus ``metadata`` rows); removed again if the run fails.

    >>> from embedkit import StaticSentenceEmbedder
    >>> with local_cluster(n_workers=2) as client:      # doctest: +SKIP
    ...     vectors = embed_parallel(["a cat", "a dog"], StaticSentenceEmbedder(), client=client)
    >>> embed_parallel(["a cat"], StaticSentenceEmbedder(),
    ...                address="tcp://scheduler:8786")  # doctest: +SKIP
    """
    items = check_items(texts)
    if not callable(getattr(embedder, "transform", None)):
        raise InputError(f"embedder must be an embedkit embedder (with a transform method), e.g. "
                         f"StaticSentenceEmbedder(); got {type(embedder).__name__}.")
    check_int(n_partitions, "n_partitions", allow_none=True)
    if (client is None) == (address is None):
        raise InputError("Pass exactly one of client= (a distributed.Client) or address= "
                         "(a scheduler address such as 'tcp://127.0.0.1:8786').")
    if metadata is not None and len(metadata) != len(items):
        raise InputError(f"metadata has {len(metadata)} rows for {len(items)} texts: one row per text.")
    if store is not None:
        from embedkit.search.vector_store import VectorStore, VectorStoreError, _check_folder

        _check_folder(store, writing=True)
        if VectorStore.exists(store, table=table):
            raise VectorStoreError(f"{store} already holds a table {table!r}: pick another "
                                   "table= or folder (nothing was embedded).")
    own_client = client is None
    if own_client:
        client = _distributed().Client(address, timeout="30s")
    try:
        workers = max(1, len(client.scheduler_info()["workers"]))
        bounds = partition_bounds(len(items), n_partitions or 4 * workers,
                                  getattr(embedder, "batch_size", 1))
        futures = [client.submit(_embed_partition, embedder, items[a:b], a, pure=False)
                   for a, b in bounds]
        return _gather(futures, bounds, len(items), store, metadata, table)
    finally:
        if own_client:
            client.close()


def _gather(futures: list, bounds: list, n_items: int, store: Any, metadata: Any,
            table: str) -> np.ndarray:
    from distributed import as_completed

    parts: dict[int, np.ndarray] = {}
    written = None
    try:
        for future in as_completed(futures):
            start, vectors = future.result()
            parts[start] = vectors
            if store is not None:
                meta = None if metadata is None else _rows(metadata, start, start + len(vectors))
                written = _write(store, table, written, vectors, meta, start)
    except BaseException:
        for future in futures:
            future.cancel()
        if written is not None:
            _drop(store, table)  # a half-written table would look complete to a later reader
        raise
    result = np.vstack([parts[a] for a, _ in bounds])
    assert len(result) == n_items
    return result


def _rows(metadata: Any, a: int, b: int) -> Any:
    import pandas as pd

    return pd.DataFrame(metadata).iloc[a:b]


def _write(store: Any, table: str, written: Any, vectors: np.ndarray, meta: Any, start: int):
    """Append one partition with ids ``start..``; partitions may arrive in any order."""
    from embedkit.search.vector_store import VectorStore

    if written is None:
        return VectorStore.create(store, vectors, meta, table=table, first_id=start)
    return written.add(vectors, meta, first_id=start)


def _drop(store: Any, table: str) -> None:
    from embedkit.search.vector_store import _drop_quietly, _lancedb

    _drop_quietly(_lancedb().connect(str(store)), table)
