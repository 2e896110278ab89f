"""Helpers shared by the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_for(condition: Callable[[], object], limit: float = 10.0) -> None:
    """Let the event loop run until the condition holds (the camera pushes over real sockets)."""
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 - polls state that changes over real sockets
            await asyncio.sleep(0.01)
