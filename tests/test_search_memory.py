"""configure_malloc: glibc gives freed buffers of a few MB back to the system at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from embedkit import InputError
from embedkit.search import configure_malloc

ROOT = Path(__file__).resolve().parent.parent

# Frees one 20 MB buffer (which raises glibc's own mmap threshold to 20 MB), then holds 60
# buffers of 5 MB with small allocations between them, frees the big ones and prints how much
# of the 300 MB is still resident.
PROBE = r'''
import re, sys
from embedkit.search import configure_malloc
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
del buffers
print(rss_mb() - before)
'''


def _held_after_free(mode: str) -> float:
    result = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                            check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    return float(result.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux") or not configure_malloc(),
                    reason="glibc's malloc only")
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
