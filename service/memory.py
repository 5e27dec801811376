"""Keeping the server's resident memory down where the C library allows it (glibc on Linux),
and the garbage collector off what start-up built.

glibc gives every thread that allocates under contention an arena of its own, up to eight
per core, and keeps what is freed in each for that arena's reuse instead of handing it back.
CTranslate2's workers (two per direction) allocate and free the vocabulary's scores for every
decoding step, each in its own arena, so freed memory piled up: 24 briefs in a row took the
process from 307 to 586 MiB at its peak, with 1 MiB of Python objects alive. One arena keeps
it at 379 MiB (two: 444) for CTranslate2 within 5% of its speed, and a trim once the warm-up
is done hands back what the warm-up freed (``docs/benchmarks.md``, "Memory"). Elsewhere
(musl, macOS) these are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
from functools import cache

log = logging.getLogger(__name__)

ARENAS = 1
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


def freeze_startup_objects() -> int:
    """Collect the young generations (what loading and the warm-up just left), then move
    every object alive (the models' wrappers, tokenizers, rule tables, the detector: what
    start-up built for the life of the process) out of the garbage collector's generations
    (``gc.freeze``). A collection that a request's allocations trigger then scans only what
    requests made, not the whole start-up heap (12% more requests per second on the tiny
    model, ``docs/benchmarks.md``). Not a full collection: in a process that starts many
    apps (the tests) each would scan everything the process holds. The number of objects
    frozen."""
    gc.collect(1)
    gc.freeze()
    return gc.get_freeze_count()


def thaw_objects() -> None:
    """Hand what ``freeze_startup_objects`` froze back to the collector (at shutdown: an app
    stopped in a process that goes on, as in tests, leaves no uncollectable cycles)."""
    gc.unfreeze()
