"""Limit the threads numeric libraries use while an embedder runs.

Small per-item models (one clip, a small batch of images) do little work per
call; on a small machine busy with other work, extra threads mostly wait on
each other. Measured on a 2-core machine: resemblyzer ran 2.3x faster on one
thread even when idle (the audio embedders default to 1); the CNN ran 1.6x
faster on two threads when idle but 2-4x slower when the machine was busy (the
image embedders default to torch's choice). See ``benchmarks/``. Embedders
take ``threads=`` and run inside :func:`limited_threads`.

>>> from embedkit.threads import limited_threads
>>> with limited_threads(1):
...     pass
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from embedkit.validation import check_int

__all__ = ["limited_threads", "check_threads"]


def check_threads(threads: object) -> int | None:
    """Return ``threads`` if it is a positive whole number or None, else raise InputError.

    >>> check_threads(2)
    2
    """
    return check_int(threads, "threads", allow_none=True)


@contextmanager
def limited_threads(threads: int | None) -> Iterator[None]:
    """Run the block with BLAS (and torch, if loaded) limited to ``threads``; None = no limit.

    The previous settings are restored afterwards.

    >>> with limited_threads(None):
    ...     print("unchanged")
    unchanged
    """
    threads = check_threads(threads)
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    torch = sys.modules.get("torch")  # never import torch just to limit it
    before = torch.get_num_threads() if torch is not None else None
    try:
        if torch is not None:
            torch.set_num_threads(threads)  # torch keeps its own pool, apart from BLAS
        with threadpool_limits(limits=threads):
            yield
    finally:
        if torch is not None:
            torch.set_num_threads(before)
