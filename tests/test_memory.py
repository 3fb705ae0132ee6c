"""configure_malloc and release_freed_memory: glibc gives freed memory back to the system."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from embedkit import InputError
from embedkit.memory import _glibc, configure_malloc, release_freed_memory

ROOT = Path(__file__).resolve().parent.parent

# Frees one 20 MB buffer (which raises glibc's own mmap threshold to 20 MB), then holds 60
# buffers of 5 MB with small allocations between them and a pin above them, frees the big ones
# and prints how much
# of the 300 MB is still resident.
PROBE = r'''
import re, sys
from embedkit.memory import configure_malloc
if sys.argv[1] == "configure":
    assert configure_malloc()
def rss_mb():
    return int(re.search(r"VmRSS:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
big = bytearray(20 * 2**20); del big
before = rss_mb()
buffers, small = [], []
for _ in range(60):
    buffers.append(bytearray(5 * 2**20))
    small.append(bytearray(2000))
pin = bytearray(2**20)  # from the top of the heap, above the buffers: the heap cannot shrink past it
del buffers
print(rss_mb() - before)
'''


def _held_after_free(mode: str) -> float:
    result = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                            check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    return float(result.stdout.strip())


GLIBC = pytest.mark.skipif(_glibc() is None, reason="glibc's malloc only")


@GLIBC
def test_freed_buffers_go_back_to_the_system():
    kept = _held_after_free("default")
    assert kept > 200, kept  # glibc's default keeps them (what notebook 09 hit)
    kept = _held_after_free("configure")
    assert kept < 30, kept


def test_settings_are_checked():
    with pytest.raises(InputError):
        configure_malloc(arenas=0)
    with pytest.raises(InputError):
        configure_malloc(mmap_threshold=2**40)
    with pytest.raises(InputError):
        configure_malloc(arenas=True)


@GLIBC
def test_release_freed_memory_returns_what_glibc_kept():
    # The same freed 5 MB buffers as above, under glibc's default settings, then malloc_trim.
    probe = PROBE.replace("print(rss_mb() - before)", "kept = rss_mb() - before\n"
                          "from embedkit.memory import release_freed_memory\n"
                          "assert release_freed_memory()\nprint(kept, rss_mb() - before)")
    result = subprocess.run([sys.executable, "-c", probe, "default"], capture_output=True, text=True,
                            check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    kept, after_trim = map(float, result.stdout.split())
    assert kept > 200 and after_trim < 30, (kept, after_trim)


def test_release_freed_memory_is_safe_to_call_anywhere():
    assert release_freed_memory() in (True, False)
