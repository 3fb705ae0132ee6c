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

>>> from embedkit.search import configure_malloc
>>> configure_malloc() in (True, False)   # False where the C library is not glibc
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

from embedkit.validation import check_int

__all__ = ["configure_malloc"]

_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # glibc's mallopt parameter numbers (malloc.h)


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
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # no mallopt: not glibc, nothing to set
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    took_threshold = mallopt(_M_MMAP_THRESHOLD, mmap_threshold) == 1
    took_arenas = mallopt(_M_ARENA_MAX, arenas) == 1
    return took_threshold and took_arenas
