"""Helpers shared by the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.lpr_camera.data import DATA_KEY


async def wait_for(condition: Callable[[], object], limit: float = 10.0) -> None:
    """Let the event loop run until the condition holds (the camera pushes over real sockets)."""
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 - polls state that changes over real sockets
            await asyncio.sleep(0.01)


def task_of(module: ModuleType, task: asyncio.Task[Any]) -> bool:
    """Whether a task is pending in a coroutine of the module (one it started and left running)."""
    code = getattr(task.get_coro(), "cr_code", None)
    return not task.done() and code is not None and code.co_filename == module.__file__


async def history_maintained(hass: HomeAssistant) -> None:
    """Wait for the picture history's pass deleting old days and reads to end.

    It runs apart from the saves, as a background task of a camera's entry; waiting for every
    background task would wait for the cameras' sessions too.
    """
    if (task := hass.data[DATA_KEY].history._maintenance) is not None:
        await task
