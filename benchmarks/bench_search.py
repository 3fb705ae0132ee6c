"""Exact against approximate search, and LanceDB, at 100k and 1M items: one table.

Prints, measured in one run and side by side, for each data set:

- numpy exact (``ExactIndex``), faiss Flat / IVF / HNSW / SQ8 (quantised), and LanceDB
  (flat scan and an IVF_FLAT index);
- build time (s), memory (MB), single-thread query latency p50 and p99 (ms, one query at a
  time), recall@10 against exact search;
- the memory-read floor (``E.sum()``, one pass over the matrix) and exact / floor.

Data sets (labelled in the table):

- ``wordnet-100k``: 100,000 real WordNet glosses (``wordnet_all``), wordllama, 256-d;
  queries are the first six words of 300 other glosses;
- ``clustered-100k`` / ``clustered-1M``: 384-d random points around 1,000 random centres
  (Gaussian clusters; easier than real text), queries drawn the same way.

Goals: exact within 1.5x of the memory-read floor; an approximate index at 1M with
recall@10 >= 0.95 and p50 <= 1 ms on one thread.

    .venv/bin/python benchmarks/bench_search.py                        # 100k sets, a few minutes
    nice .venv/bin/python benchmarks/bench_search.py --sets clustered-1M  # ~6 GB RAM, ~15 min

Indexes are built with every core; queries run on one thread (faiss and BLAS pinned).
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time

import numpy as np
import pandas as pd

SETS = ("wordnet-100k", "clustered-100k", "clustered-1M")


def clustered(n: int, d: int = 384, n_queries: int = 300, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((1000, d), dtype=np.float32)
    def draw(m):
        out = np.empty((m, d), dtype=np.float32)
        for start in range(0, m, 100_000):  # in blocks: no 2x temporary at 1M
            stop = min(start + 100_000, m)
            out[start:stop] = centres[rng.integers(0, 1000, stop - start)]
            out[start:stop] += 0.5 * rng.standard_normal((stop - start, d), dtype=np.float32)
        return out
    return draw(n), draw(n_queries)


def wordnet(n: int = 100_000):
    import embedkit as ek

    glosses = ek.load_example("wordnet_all")
    embedder = ek.get_embedder("wordllama-l2-supercat", progress=False)
    vectors = embedder.transform(glosses["text"].tolist()[:n])
    rest = glosses["text"].iloc[n:].sample(300, random_state=2)
    queries = embedder.transform(rest.str.split().str[:6].str.join(" ").tolist())
    return vectors, queries


def measure(name, build, queries, true_ids, rows, dataset):
    from threadpoolctl import threadpool_limits

    from embedkit.search import neighbor_recall, query_latency

    gc.collect()
    start = time.perf_counter()
    index = build()
    build_s = time.perf_counter() - start
    if hasattr(index, "threads"):
        index.threads = 1
    with threadpool_limits(1):  # queries on one thread (BLAS and OpenMP)
        lat = query_latency(index, queries[:200], k=10)
        found = index.search(queries, 10)[1]
    rows.append({"data": dataset, "index": name, "build_s": round(build_s, 2),
                 # LanceDB keeps its vectors on disk: no in-memory size to report
                 "memory_MB": round(index.nbytes / 1e6, 1) if hasattr(index, "nbytes") else None,
                 "p50_ms": round(lat["p50_ms"], 3), "p99_ms": round(lat["p99_ms"], 3),
                 "recall@10": round(neighbor_recall(found, true_ids), 4)})
    print(rows[-1], flush=True)
    return index


def run_set(dataset: str, rows: list) -> None:
    from threadpoolctl import threadpool_limits

    from embedkit.search import ExactIndex, FaissIndex, VectorStore

    X, Q = wordnet() if dataset == "wordnet-100k" else clustered(
        1_000_000 if dataset.endswith("1M") else 100_000)
    n = len(X)
    exact = ExactIndex(X)
    del X
    true_ids = exact.search(Q, 10)[1]
    U = exact.vectors_
    with threadpool_limits(1):
        floor = min(_timed(U.sum) for _ in range(7))
    measure("numpy exact", lambda: exact, Q, true_ids, rows, dataset)
    rows[-1]["memory_MB"] = round(U.nbytes / 1e6, 1)
    rows[-1]["floor_ms"] = round(floor * 1e3, 3)
    rows[-1]["exact/floor"] = round(rows[-1]["p50_ms"] / 1e3 / floor, 2)
    nlist = 1024 if n <= 200_000 else 4096
    kinds = [("faiss Flat", dict(kind="flat")),
             (f"faiss IVF{nlist} nprobe=32", dict(kind="ivf", nlist=nlist, nprobe=32,
                                                    train_size=max(50_000, 40 * nlist))),
             ("faiss HNSW32 ef=128", dict(kind="hnsw", m=32, ef_construction=80, ef_search=128)),
             ("faiss SQ8 (quantised)", dict(kind="sq8"))]
    for name, kwargs in kinds:  # built with every core, queried on one
        index = measure(name, lambda: FaissIndex(U, **kwargs), Q, true_ids, rows, dataset)
        del index
    folder = tempfile.mkdtemp(prefix="bench-lancedb-")
    store = measure("LanceDB flat scan", lambda: VectorStore.create(folder, U), Q[:50],
                    true_ids[:50], rows, dataset)
    parts = 256 if n <= 200_000 else 1024

    def indexed():
        store.create_index(index_type="IVF_FLAT", num_partitions=parts)
        store.nprobes = 32
        return store
    measure(f"LanceDB IVF_FLAT{parts} nprobes=32", indexed, Q[:50], true_ids[:50], rows, dataset)
    import shutil
    shutil.rmtree(folder)


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=["wordnet-100k", "clustered-100k"], choices=SETS)
    args = ap.parse_args()
    rows: list[dict] = []
    for dataset in args.sets:
        run_set(dataset, rows)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print()
        print(table.astype(object).where(table.notna(), "").to_string(index=False))


if __name__ == "__main__":
    main()
