"""The soak's view from inside Home Assistant: the event loop's holds and the tasks.

scripts/soak links this folder into the configuration's custom_components/ and asks, every few
seconds, `soak_probe/stats`: the longest hold of the event loop since it last asked (the longest
single callback, and what it was), how many callbacks held it longer than `over_ms`, and the
tasks alive (all, and the integration's). Only a view from inside can tell them; RSS, open files
and disk are measured from outside.

A callback's hold is its wall time less the time its thread waited for a CPU while other
processes had both cores (the kernel's run delay, /proc/<pid>/task/<tid>/schedstat): that is
the machine's load, not the callback's. What is left is the callback's own: on the CPU, or
blocked (a file read, a lock). Its wall time and its CPU time are reported beside it, and the
time Python's garbage collector took within it (a collection runs in whichever callback
happens to allocate when it is due: then the hold is the whole process's, not that callback's).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import voluptuous as vol
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

DOMAIN = "soak_probe"
CONFIG_SCHEMA = cv.empty_config_schema(DOMAIN)
INTEGRATION_NAME = "lpr_camera"
NANOSECOND = 1e-9


class Schedstat:
    """The loop thread's time on a CPU and waiting for one, from the kernel, in seconds."""

    def __init__(self) -> None:
        """Open the thread's schedstat (in the loop's thread); without it, no wait is known."""
        self._fd: int | None = None
        path = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        with contextlib.suppress(OSError):
            self._fd = os.open(path, os.O_RDONLY)

    def read(self) -> bytes:
        """The raw figures now (cheap: parse only those of a long callback)."""
        return b"0 0" if self._fd is None else os.pread(self._fd, 64, 0)

    @staticmethod
    def spent(before: bytes, after: bytes) -> tuple[float, float]:
        """Seconds on a CPU and seconds waiting for one, between two readings."""
        (cpu, waited), (cpu_before, waited_before) = (
            (int(figures[0]), int(figures[1])) for figures in (after.split(), before.split())
        )
        return (cpu - cpu_before) * NANOSECOND, (waited - waited_before) * NANOSECOND


@dataclass
class Holds:
    """The holds of the event loop since the soak last asked, in seconds."""

    over: float = 0.05
    longest: float = 0.0  # the callback's own: its wall time less its wait for a CPU
    longest_wall: float = 0.0
    longest_cpu: float = 0.0
    longest_of: str = ""
    longest_gc: float = 0.0  # the garbage collector's time within the longest hold
    count_over: int = 0
    wall: float = 0.0  # the longest wall time of any callback, waits for a CPU included
    # The longest CPU time of any callback over `over` (the rest spent less): the callback's
    # work alone, whatever else the machine does.
    cpu: float = 0.0

    def note(
        self, handle: asyncio.Handle, wall: float, collecting: float, schedstat: tuple[bytes, bytes]
    ) -> None:
        """One callback ran for `wall` seconds, `collecting` of them in the garbage collector.

        `schedstat`: its readings before and after the callback.
        """
        self.wall = max(self.wall, wall)
        if wall <= min(self.longest, self.over):
            return  # its own hold is less than its wall time: it changes nothing
        cpu, waited = Schedstat.spent(*schedstat)
        self.cpu = max(self.cpu, cpu)
        own = wall - waited
        if own > self.over:
            self.count_over += 1
        if own > self.longest:
            self.longest, self.longest_wall, self.longest_cpu = own, wall, cpu
            self.longest_of, self.longest_gc = describe(handle), collecting

    def take(self, over_ms: float) -> dict[str, Any]:
        """What was noted, in milliseconds; start over, counting holds over `over_ms`."""
        taken = {
            "hold_ms": self.longest * 1000,
            "hold_wall_ms": self.longest_wall * 1000,
            "hold_cpu_ms": self.longest_cpu * 1000,
            "hold_of": self.longest_of,
            "hold_gc_ms": self.longest_gc * 1000,
            "holds_over": self.count_over,
            "wall_ms": self.wall * 1000,
            "cpu_ms": self.cpu * 1000,
        }
        self.longest = self.longest_wall = self.longest_cpu = self.longest_gc = 0.0
        self.wall = self.cpu = 0.0
        self.longest_of = ""
        self.count_over = 0
        self.over = over_ms / 1000
        return taken


def time_callbacks(holds: Holds) -> None:
    """Time every callback the event loop runs from now on (called in the loop's thread).

    Every callback of an asyncio loop (a task's step, a socket's read, a timer) runs through
    Handle._run; eager tasks run inside the callback that starts them.
    """
    run = asyncio.Handle._run  # noqa: SLF001 - the one place every callback goes through
    schedstat = Schedstat()
    collector = Collector()
    gc.callbacks.append(collector.on_phase)

    def timed(handle: asyncio.Handle) -> None:
        before, started = schedstat.read(), time.perf_counter()
        collector.spent = 0.0
        try:
            run(handle)
        finally:
            wall = time.perf_counter() - started
            holds.note(handle, wall, collector.spent, (before, schedstat.read()))

    asyncio.Handle._run = timed  # type: ignore[assignment]  # noqa: SLF001


class Collector:
    """The garbage collector's time since `spent` was last set to 0 (of the loop's thread)."""

    def __init__(self) -> None:
        """Nothing collected yet."""
        self.spent = 0.0
        self._started = 0.0

    def on_phase(self, phase: str, _info: dict[str, int]) -> None:
        """gc.callbacks: a collection starts or stops."""
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.spent += time.perf_counter() - self._started


def describe(handle: asyncio.Handle) -> str:
    """What a callback was: a task's coroutine and where it stopped, or the function."""
    callback = handle._callback  # type: ignore[attr-defined]  # noqa: SLF001 - asyncio's
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coroutine = owner.get_coro()
        name = getattr(coroutine, "__qualname__", repr(coroutine))
        frame = getattr(coroutine, "cr_frame", None)
        where = f" at {_short(frame.f_code.co_filename)}:{frame.f_lineno}" if frame else ""
        return f"task {owner.get_name()!r}: {name}{where}"
    module = getattr(callback, "__module__", None)
    name = getattr(callback, "__qualname__", None)
    return f"{module}.{name}" if module and name else repr(callback)[:200]


def _short(path: str) -> str:
    return "/".join(Path(path).parts[-3:])


def count_tasks() -> tuple[int, int]:
    """The tasks alive, and those of the integration (by name or by their code's file)."""
    tasks = asyncio.all_tasks()
    return len(tasks), sum(1 for task in tasks if _of_integration(task))


def _of_integration(task: asyncio.Task[Any]) -> bool:
    if task.get_name().startswith(INTEGRATION_NAME):
        return True
    code = getattr(task.get_coro(), "cr_code", None)
    return code is not None and f"/{INTEGRATION_NAME}/" in code.co_filename


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Start timing the loop's callbacks; answer `soak_probe/stats`."""
    holds = Holds()
    time_callbacks(holds)

    @websocket_command(
        {
            vol.Required("type"): f"{DOMAIN}/stats",
            vol.Optional("over_ms", default=50.0): vol.Coerce(float),
        }
    )
    @callback
    def ws_stats(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
        tasks, integration_tasks = count_tasks()
        connection.send_result(
            msg["id"],
            holds.take(msg["over_ms"]) | {"tasks": tasks, "integration_tasks": integration_tasks},
        )

    async_register_command(hass, ws_stats)
    return True
