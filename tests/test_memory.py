"""The memory a large body took goes back to the system (glibc), not to Home Assistant's RSS."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from custom_components.lpr_camera.memory import release_freed_memory

MEGABYTE = 2**20


def _rss() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _parse_and_free_in_a_thread(kept: list[bytes]) -> None:
    """What the executor does with a body of megabytes: blocks of kilobytes, freed but one."""
    blocks = [bytes(4000) + bytes([n % 256]) for n in range(16_000)]  # 64 MB
    kept.append(bytes(4000) + b"top")  # keeps the heap's top: free() alone cannot shrink it
    del blocks


def test_freed_megabytes_are_handed_back_to_the_system() -> None:
    """64 MB freed in the middle of a thread's heap leave the process's RSS once released."""
    if not Path("/proc/self/statm").exists():
        pytest.skip("RSS is read from /proc")
    kept: list[bytes] = []
    worker = threading.Thread(target=_parse_and_free_in_a_thread, args=(kept,))
    worker.start()
    worker.join()
    before = _rss()

    if not release_freed_memory():
        pytest.skip("this C library has no malloc_trim: nothing to hand back by hand")

    assert before - _rss() > 32 * MEGABYTE
