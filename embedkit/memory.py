"""Make the C library give freed memory back, for notebooks that hold large arrays.

On Linux, glibc's malloc keeps freed memory for reuse instead of returning it:
buffers under its *mmap threshold* come from heaps that shrink only from the
top, the threshold rises on its own each time a large buffer is freed (so more
and more buffers land there), and every thread that allocates concurrently
gets a heap (*arena*) of its own, up to 8 per core. LanceDB reads and decodes
with a pool of threads, faiss and numpy free large temporaries: in notebook 09
the kernel ended ~500 MB above what its objects held. Fixing the threshold (so
buffers of a few MB are mapped and unmapped on their own) and capping the
arenas returns it. These are process-wide settings of the C library, so
embedkit never applies them on import: a notebook or program asks, once, early.
(The same settings from a shell: ``MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304``.)

Two calls, both no-ops off glibc: :func:`configure_malloc` (the settings,
once, early) and :func:`release_freed_memory` (hand back what is free now,
after a big step such as building a map or dropping models).

>>> from embedkit import configure_malloc
>>> configure_malloc() in (True, False)   # False where the C library is not glibc
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

from embedkit.validation import check_int

__all__ = ["configure_malloc", "release_freed_memory"]

_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # glibc's mallopt parameter numbers (malloc.h)


def _glibc():
    """The C library if it is glibc-like (has mallopt and malloc_trim), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - musl has neither
    except (OSError, AttributeError):
        return None
    return libc


def release_freed_memory() -> bool:
    """Give heap memory that is free right now back to the system; ``True`` if glibc did it.

    glibc keeps freed medium-sized buffers (a map's PCA blocks and colour
    codes, a dropped model's tensors) inside the process; ``malloc_trim``
    returns them at once (about 116 MB of kernel RSS after a 1,000,000-point
    map). Elsewhere (macOS, Windows, musl) this does nothing and returns ``False``.

    >>> release_freed_memory() in (True, False)
    True
    """
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    libc.malloc_trim(0)
    return True


def configure_malloc(arenas: int = 2, mmap_threshold: int = 4 * 2**20) -> bool:
    """Cap glibc's malloc arenas and fix its mmap threshold; ``True`` if the C library took both.

    ``arenas``: at most this many heaps shared by all threads (those that exist stay).
    ``mmap_threshold``: bytes from which a buffer is mapped on its own, so freeing it
    returns it to the system at once (glibc's default starts at 128 kB and grows to 32 MB).
    Only glibc (Linux) has these knobs; elsewhere (macOS, Windows, musl) this does
    nothing and returns ``False``.

    >>> configure_malloc(arenas=2, mmap_threshold=4 * 2**20) in (True, False)
    True
    """
    arenas = check_int(arenas, "arenas", minimum=1)
    mmap_threshold = check_int(mmap_threshold, "mmap_threshold", minimum=4096, maximum=2**31 - 1)
    libc = _glibc()
    if libc is None:  # not glibc: nothing to set
        return False
    mallopt = libc.mallopt
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    took_threshold = mallopt(_M_MMAP_THRESHOLD, mmap_threshold) == 1
    took_arenas = mallopt(_M_ARENA_MAX, arenas) == 1
    return took_threshold and took_arenas
