"""Measuring search: recall against exact search, query latency, side-by-side timings.

Timings on a shared machine are noisy, so :func:`compare_timings` runs the
contenders interleaved (A, B, C, A, B, C, ...) and reports the minimum and
median of each: a slow moment hits all of them alike, and ratios stay honest.

>>> import numpy as np
>>> neighbor_recall(np.array([[1, 2, 3]]), np.array([[3, 2, 9]]))
0.6666666666666666
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from embedkit.errors import InputError

__all__ = ["neighbor_recall", "query_latency", "compare_timings"]


def neighbor_recall(found_ids: Any, true_ids: Any) -> float:
    """Fraction of the true top-k ids that were found, averaged over queries.

    Both are ``(m, k)`` id arrays (``-1`` marks a missing result and never counts).

    >>> neighbor_recall([[0, 1]], [[0, 1]])
    1.0
    """
    found, true = np.atleast_2d(found_ids), np.atleast_2d(true_ids)
    if found.shape[0] != true.shape[0]:
        raise InputError(f"found_ids has {found.shape[0]} queries but true_ids has {true.shape[0]}.")
    hits = [len(set(f[f >= 0].tolist()) & set(t.tolist())) for f, t in zip(found, true)]
    return float(np.sum(hits) / true.size)


def query_latency(index: Any, queries: Any, k: int = 10, *, warmup: int = 3) -> dict[str, float]:
    """Search one query at a time; return p50 / p99 / mean latency in milliseconds.

    >>> from embedkit.search import ExactIndex
    >>> sorted(query_latency(ExactIndex(np.eye(3)), np.eye(3), k=1))
    ['mean_ms', 'p50_ms', 'p99_ms']
    """
    queries = np.asarray(queries, dtype=np.float32)
    for q in queries[:warmup]:
        index.search(q, k)
    times = []
    for q in queries:
        start = time.perf_counter()
        index.search(q, k)
        times.append(time.perf_counter() - start)
    ms = np.array(times) * 1e3
    return {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "mean_ms": float(ms.mean())}


def compare_timings(contenders: dict[str, Callable[[], Any]], repeat: int = 5):
    """Time each no-argument function ``repeat`` times, interleaved; min and median seconds.

    >>> table = compare_timings({"sum": lambda: sum(range(100)), "len": lambda: len("abc")}, 3)
    >>> list(table.columns)
    ['min_s', 'median_s']
    """
    import pandas as pd

    if not contenders or isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise InputError("Pass at least one function and a positive whole number of repeats.")
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, func in contenders.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return pd.DataFrame({"min_s": {n: min(t) for n, t in times.items()},
                         "median_s": {n: float(np.median(t)) for n, t in times.items()}})
