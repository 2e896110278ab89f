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
import ctypes
import faulthandler
import gc
import os
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

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
INTEGRATION_MODULE = f"custom_components.{INTEGRATION_NAME}"
NANOSECOND = 1e-9
WATCHDOG_EVERY = 0.005  # seconds
# The watchdog not running for this long (it wakes every WATCHDOG_EVERY) is a stall: every
# thread's stack goes to STALLS_FILE, in the configuration folder.
STALL_SECONDS = 0.1
STALLS_FILE = "soak-stalls.txt"
OLDEST_GENERATION = 2  # a collection of it goes through every object the process has


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
    longest_threads: str = ""  # what the threads were doing in it (Watchdog)
    count_over: int = 0
    count_over_collecting: int = 0  # of those, holds the garbage collector took half of
    wall: float = 0.0  # the longest wall time of any callback, waits for a CPU included
    # The longest CPU time of any callback over `over` (the rest spent less): the callback's
    # work alone, whatever else the machine does.
    cpu: float = 0.0

    def note(
        self,
        handle: asyncio.Handle,
        wall: float,
        collecting: float,
        schedstat: tuple[bytes, bytes],
        threads: str,
    ) -> None:
        """One callback ran for `wall` seconds, `collecting` of them in the garbage collector.

        `schedstat`: its readings before and after the callback; `threads`: what the threads
        were doing while it ran long, if the watchdog looked.
        """
        self.wall = max(self.wall, wall)
        if wall <= min(self.longest, self.over):
            return  # its own hold is less than its wall time: it changes nothing
        cpu, waited = Schedstat.spent(*schedstat)
        self.cpu = max(self.cpu, cpu)
        own = wall - waited
        if own > self.over:
            self.count_over += 1
            self.count_over_collecting += collecting >= own / 2
        if own > self.longest:
            self.longest, self.longest_wall, self.longest_cpu = own, wall, cpu
            self.longest_of, self.longest_gc = describe(handle), collecting
            self.longest_threads = threads

    def take(self, over_ms: float) -> dict[str, Any]:
        """What was noted, in milliseconds; start over, counting holds over `over_ms`."""
        taken = {
            "hold_ms": self.longest * 1000,
            "hold_wall_ms": self.longest_wall * 1000,
            "hold_cpu_ms": self.longest_cpu * 1000,
            "hold_of": self.longest_of,
            "hold_gc_ms": self.longest_gc * 1000,
            "hold_threads": self.longest_threads,
            "holds_over": self.count_over,
            "holds_over_collecting": self.count_over_collecting,
            "wall_ms": self.wall * 1000,
            "cpu_ms": self.cpu * 1000,
        }
        self.longest = self.longest_wall = self.longest_cpu = self.longest_gc = 0.0
        self.wall = self.cpu = 0.0
        self.longest_of = self.longest_threads = ""
        self.count_over = self.count_over_collecting = 0
        self.over = over_ms / 1000
        return taken


def time_callbacks(holds: Holds, collector: Collector, watchdog: Watchdog) -> None:
    """Time every callback the event loop runs from now on (called in the loop's thread).

    Every callback of an asyncio loop (a task's step, a socket's read, a timer) runs through
    Handle._run; eager tasks run inside the callback that starts them.
    """
    run = asyncio.Handle._run  # noqa: SLF001 - the one place every callback goes through
    schedstat = Schedstat()

    def timed(handle: asyncio.Handle) -> None:
        before, started = schedstat.read(), time.perf_counter()
        collector.spent = 0.0
        watchdog.running_since = started
        try:
            run(handle)
        finally:
            watchdog.running_since = None
            wall = time.perf_counter() - started
            threads = watchdog.seen_in(started)
            holds.note(handle, wall, collector.spent, (before, schedstat.read()), threads)

    asyncio.Handle._run = timed  # type: ignore[assignment]  # noqa: SLF001


class Collector:
    """The garbage collector's collections, in any thread (each holds the GIL throughout)."""

    def __init__(self) -> None:
        """Nothing collected yet; `gc.callbacks` tells of each collection from now on."""
        self.spent = 0.0  # seconds collecting since it was last set to 0
        self.full = 0  # full collections (the oldest generation, the whole heap) since taken
        self.longest_full = 0.0
        self.longest_full_collected = 0  # the unreachable objects that collection freed
        self._started = 0.0
        gc.callbacks.append(self.on_phase)

    def on_phase(self, phase: str, info: dict[str, int]) -> None:
        """gc.callbacks: a collection starts or stops."""
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = time.perf_counter() - self._started
        self.spent += took
        if info["generation"] == OLDEST_GENERATION:
            self.full += 1
            if took > self.longest_full:
                self.longest_full, self.longest_full_collected = took, info["collected"]

    def take(self) -> dict[str, Any]:
        """The full collections since last taken, and the longest, in milliseconds."""
        taken = {
            "full_collections": self.full,
            "longest_full_ms": self.longest_full * 1000,
            "longest_full_collected": self.longest_full_collected,
        }
        self.full, self.longest_full, self.longest_full_collected = 0, 0.0, 0
        return taken


class Watchdog:
    """A thread that looks, when a callback runs long, at what every thread is doing.

    A hold off the CPU is the loop's thread waiting: for the GIL (which thread has it, doing
    what?), a lock, the disk. The kernel tells each thread's state and where it sleeps
    (wchan), Python where each one is. The watchdog needs the GIL itself: when a thread keeps
    it through a long C call, it looks only once that call lets go, and says so.
    """

    def __init__(self, over: float, stalls: TextIO) -> None:
        """Look at callbacks running longer than most of `over` seconds.

        When the watchdog itself cannot run for STALL_SECONDS (a thread keeps the GIL, or
        the process stalls), faulthandler's thread, which needs no GIL, writes every
        thread's stack to `stalls`.
        """
        self.over = over
        self._stalls = stalls
        self.running_since: float | None = None  # the callback running now, set by timed()
        self._seen: tuple[float, str] = (0.0, "")  # a callback's start, what the threads did
        self._loop_thread = threading.get_native_id()
        threading.Thread(target=self._watch, name=f"{DOMAIN} watchdog", daemon=True).start()

    def seen_in(self, started: float) -> str:
        """What the threads were doing in the callback that started at `started`, if looked."""
        return self._seen[1] if self._seen[0] == started else ""

    def _watch(self) -> None:
        while True:
            faulthandler.dump_traceback_later(STALL_SECONDS, file=self._stalls)
            time.sleep(WATCHDOG_EVERY)
            started = self.running_since
            if started is None or self._seen[0] == started:
                continue
            if time.perf_counter() - started > self.over * 0.8:
                threads = self._threads()
                late = "" if self.running_since == started else " (seen after the hold)"
                self._seen = (started, threads + late)

    def _threads(self) -> str:
        """The loop's thread and those running or in the disk: state, wait channel, code."""
        frames = sys._current_frames()  # noqa: SLF001 - the one way to see other threads' code
        threads = {thread.native_id: thread for thread in threading.enumerate()}
        seen = []
        for task in Path("/proc/self/task").iterdir():
            native_id = int(task.name)
            if native_id == threading.get_native_id():
                continue  # the watchdog
            state, wchan = _kernel_state(native_id)
            if native_id != self._loop_thread and state not in "RD":
                continue
            thread = threads.get(native_id)
            name = thread.name if thread else f"thread {native_id}"
            frame = frames.get(thread.ident) if thread and thread.ident else None
            where = f" {_short(frame.f_code.co_filename)}:{frame.f_lineno}" if frame else ""
            seen.append(f"{name} {state} {wchan}{where}")
        return "; ".join(seen)


def _kernel_state(native_id: int) -> tuple[str, str]:
    """A thread's state (R running, S sleeping, D in the disk) and where it sleeps, if it does."""
    try:
        stat = Path(f"/proc/self/task/{native_id}/stat").read_text()
        wchan = Path(f"/proc/self/task/{native_id}/wchan").read_text()
    except OSError:
        return "?", ""
    return stat.rpartition(")")[2].split()[0], wchan if wchan != "0" else ""


class _MallocInfo(ctypes.Structure):
    """glibc's struct mallinfo2: bytes, in the C heap of the whole process."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


class Memory:
    """Where the process's memory is, beyond its RSS: is it in use, or free in the heap?

    RSS that steps up while the memory in use stays flat is the C heap keeping what was freed
    (the allocator's high water), not memory held. glibc tells both (mallinfo2); SQLite its
    own share, of every database of the process (the recorder's and the plate log's).
    """

    def __init__(self) -> None:
        """Find the functions; where the C library or SQLite has none, those figures are -1."""
        self._mallinfo2: Any = getattr(ctypes.CDLL(None), "mallinfo2", None)
        if self._mallinfo2 is not None:
            self._mallinfo2.restype = _MallocInfo
        try:
            self._sqlite_used: Any = ctypes.CDLL("libsqlite3.so.0").sqlite3_memory_used
            self._sqlite_used.restype = ctypes.c_int64
        except (OSError, AttributeError):
            self._sqlite_used = None

    def take(self) -> dict[str, int]:
        """The C heap's bytes in use and free, SQLite's bytes, Python's blocks allocated."""
        heap = self._mallinfo2() if self._mallinfo2 is not None else None
        return {
            "malloc_in_use": heap.uordblks + heap.hblkhd if heap else -1,
            "malloc_free": heap.fordblks if heap else -1,
            "sqlite_memory": self._sqlite_used() if self._sqlite_used is not None else -1,
            "python_blocks": sys.getallocatedblocks(),
        }


class Allocations:
    """Python's allocations alive, by the file that made them, when tracemalloc traces them.

    The soak's --tracemalloc starts Home Assistant with PYTHONTRACEMALLOC=1 (and slower): then
    the integration's share of the heap is told, and which files' allocations grew between
    two snapshots (after warm-up, at the life's end).
    """

    def __init__(self) -> None:
        """No snapshot yet."""
        self._before: tracemalloc.Snapshot | None = None

    def take(self) -> dict[str, Any]:
        """The traced bytes and blocks, the integration's, and the files that grew most."""
        if not tracemalloc.is_tracing():
            return {"traced": False}
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__)]
        )
        files = snapshot.statistics("filename")
        ours = [stat for stat in files if f"/{INTEGRATION_NAME}/" in stat.traceback[0].filename]
        grew = snapshot.compare_to(self._before, "filename")[:8] if self._before else []
        self._before = snapshot
        return {
            "traced": True,
            "bytes": sum(stat.size for stat in files),
            "blocks": sum(stat.count for stat in files),
            "integration_bytes": sum(stat.size for stat in ours),
            "integration_blocks": sum(stat.count for stat in ours),
            "grew": [[_short(stat.traceback[0].filename), stat.size_diff] for stat in grew],
        }


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


def _of_integration_class(item: object) -> bool:
    module = type(item).__module__  # a descriptor, not text, for some classes of classes
    return isinstance(module, str) and module.startswith(INTEGRATION_MODULE)


def _of_integration(task: asyncio.Task[Any]) -> bool:
    if task.get_name().startswith(INTEGRATION_NAME):
        return True
    code = getattr(task.get_coro(), "cr_code", None)
    return code is not None and f"/{INTEGRATION_NAME}/" in code.co_filename


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Start timing the loop's callbacks; answer `soak_probe/stats`."""
    holds, collector, memory = Holds(), Collector(), Memory()
    # Opened for the process's life, in the executor (it is a file).
    stalls = await hass.async_add_executor_job(Path(hass.config.path(STALLS_FILE)).open, "a")
    time_callbacks(holds, collector, Watchdog(holds.over, stalls))

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
            holds.take(msg["over_ms"])
            | collector.take()
            | memory.take()
            | {"tasks": tasks, "integration_tasks": integration_tasks},
        )

    @websocket_command({vol.Required("type"): f"{DOMAIN}/heap"})
    @callback
    def ws_heap(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
        """The objects a full collection goes through; asked at a life's end (it takes a while)."""
        tracked = gc.get_objects()
        ours = sum(1 for item in tracked if _of_integration_class(item))
        connection.send_result(msg["id"], {"tracked": len(tracked), "integration": ours})

    allocations = Allocations()

    @websocket_command({vol.Required("type"): f"{DOMAIN}/allocations"})
    @callback
    def ws_allocations(
        hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
    ) -> None:
        """Python's allocations by file (with --tracemalloc only: it takes seconds)."""
        connection.send_result(msg["id"], allocations.take())

    async_register_command(hass, ws_stats)
    async_register_command(hass, ws_heap)
    async_register_command(hass, ws_allocations)
    return True
