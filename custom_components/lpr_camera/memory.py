"""Giving the memory a large request body or a burst of pictures took back to the system.

glibc's malloc keeps the heap it parsed a body of megabytes in (or handled a flood's pictures
in): once a block of that size has been freed it stops mapping blocks of that size on their own,
so the next bodies' megabytes come from its heaps (one per executor thread) and stay in the
process when freed. Home Assistant's RSS then steps up at each larger body, for good.
`malloc_trim` hands the free pages back. Home Assistant's container images use jemalloc and
Alpine's musl, which have no `malloc_trim`: there this does nothing, and needs nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache

# Smaller bodies (a read with its pictures is a few hundred kilobytes) come and go in the heap
# without raising its high water for long.
LARGE_BODY_BYTES = 2**20


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's malloc_trim (glibc's), or none where it has no such function."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


def release_freed_memory() -> bool:
    """Hand the C heap's free pages back to the system; whether the C library could.

    In the executor: it takes a few milliseconds when there is much to hand back. ctypes lets
    the GIL go for the call, so the event loop runs meanwhile.
    """
    if (malloc_trim := _malloc_trim()) is None:
        return False
    malloc_trim(0)
    return True
