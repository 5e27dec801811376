"""The server's allocator settings (``service.memory``), on this machine's glibc."""

from __future__ import annotations

import subprocess
import sys

import pytest

from service import memory

pytestmark = pytest.mark.skipif(memory._glibc() is None, reason="needs glibc")

# Fills the heap with 64 KiB blocks (under glibc's mmap threshold), frees every other one (the
# holes left between live blocks are what a busy server's heap looks like: nothing can shrink
# it from its top), and prints the resident memory before and after ``release_free_memory``.
_FRAGMENTED = """
import re
from service.memory import release_free_memory

def rss_mib():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)) / 1024

blocks = [bytes([i % 256]) * (64 * 1024) for i in range(3000)]
del blocks[::2]
before = rss_mib()
released = release_free_memory()
print(before, rss_mib(), released)
"""


def test_release_gives_freed_heap_back() -> None:
    """What was freed but kept by the allocator (~95 MiB here) leaves the process."""
    out = subprocess.run(
        [sys.executable, "-c", _FRAGMENTED], capture_output=True, text=True, check=True
    ).stdout.split()
    before, after, released = float(out[0]), float(out[1]), out[2]
    assert released == "True"
    assert before - after > 60, (before, after)


def test_arena_limit_leaves_an_operator_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_arenas() is False
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert memory.limit_arenas() is True
