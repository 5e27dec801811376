"""Keeping the server's resident memory down where the C library allows it (glibc on Linux),
and the garbage collector off what start-up built and out of the requests' way.

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
# Tracked objects allocated (net of those freed) before the collector looks at the young
# generation, while the server runs; Python's own is 700. A one-sentence request holds a few
# hundred while it runs and reference counting frees them all when it ends, so with sixteen
# requests in flight the default set off a young collection every six requests that found
# nothing to free: 21-27 µs of collector time per request (docs/benchmarks.md, issue 16,
# sixth round).
SERVING_YOUNG_THRESHOLD = 10_000
_STARTING_THRESHOLD = gc.get_threshold()  # Python's own, or what the embedding process set
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


def settle_collector() -> int:
    """Ready the garbage collector for serving, once start-up is done:

    - collect the young generations (what loading and the warm-up just left), then move every
      object alive (the models' wrappers, tokenizers, rule tables, the detector: what start-up
      built for the life of the process) out of the collector's generations (``gc.freeze``).
      A collection then scans only what requests made, not the whole start-up heap (12% more
      requests per second on the tiny model, ``docs/benchmarks.md``). Not a full collection:
      in a process that starts many apps (the tests) each would scan everything it holds;
    - look at the young generation after ``SERVING_YOUNG_THRESHOLD`` allocations, not 700.

    The number of objects frozen."""
    gc.collect(1)
    gc.freeze()
    gc.set_threshold(SERVING_YOUNG_THRESHOLD, *_STARTING_THRESHOLD[1:])
    return gc.get_freeze_count()


def restore_collector() -> None:
    """Undo ``settle_collector`` (at shutdown: an app stopped in a process that goes on, as in
    tests, leaves no uncollectable cycles and the collector as it found it)."""
    gc.unfreeze()
    gc.set_threshold(*_STARTING_THRESHOLD)
