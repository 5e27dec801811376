"""Keeping the server's resident memory down where the C library allows it (glibc on Linux).

glibc gives every thread that allocates under contention an arena of its own, up to eight
per core, and keeps what is freed in them for reuse instead of handing it back. The server
runs hundreds of route threads and two CTranslate2 workers whose decoding buffers come and go
with every batch, so freed memory piles up in many arenas: with both full-size models loaded,
the warm-up alone left ~60 MiB resident that nothing used (``docs/benchmarks.md``, "Memory").
Two arenas and a trim once the models are warm keep that down at no measurable speed cost.
Elsewhere (musl, macOS) these are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import cache

log = logging.getLogger(__name__)

ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


@cache
def _glibc() -> ctypes.CDLL | None:
    """The process's C library when it is glibc (it has ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas for threads started from now on, unless the operator
    chose with ``MALLOC_ARENA_MAX``. Whether the limit was set."""
    libc = _glibc()
    if libc is None or "MALLOC_ARENA_MAX" in os.environ:
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))


def release_free_memory() -> bool:
    """Hand memory that is free inside the allocator back to the system (``malloc_trim``).
    Whether any was released."""
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0))
