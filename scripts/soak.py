"""A soak of the integration in real Home Assistant, run by scripts/soak (see README, Soak).

Home Assistant runs as a process, set up as the demo's (scripts/demo_api.py: its configuration,
onboarding, the cameras added through the config flow), with the soak's probe (soak_probe/) for
what only the inside can tell. Simulated cameras of the three types send reads at a set rate, and
at intervals something hostile happens: bodies no camera should post, a flood of reads, a full
disk, cameras restarted; once, mid-run, Home Assistant itself is stopped (SIGTERM) and started
again. A line is printed every few seconds; at the end, each goal passes or fails, and the exit
status is 1 when one failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import itertools
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.lpr_camera.const import (  # noqa: E402
    CONF_MAX_SIZE_MB,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.plate_log.database import BLOCK  # noqa: E402
from custom_components.lpr_camera.plate_log.log import (  # noqa: E402
    DATABASE_FILE,
    ISSUE_DISK_FULL,
    PICTURES_FOLDER,
)
from custom_components.lpr_camera.read import PLAUSIBLE_CLOCK_SKEW  # noqa: E402
from scripts.demo_api import (  # noqa: E402
    DEMO_VEHICLES,
    LOOPBACK,
    DemoError,
    HomeAssistantApi,
    add_camera,
    ensure_known_vehicles,
    is_site,
    local_time_zone,
    onboard_or_login,
    seed_config,
    wait_for,
)
from scripts.soak_cameras import (  # noqa: E402
    Camera,
    HttpCamera,
    PlateMix,
    Read,
    ReadKey,
    RtspCamera,
    TcpCamera,
    epoch_ms,
    flood_reads,
    hostile_bodies,
    key_of,
    pictures_of,
    same_second_reads,
    send_flood,
)
from simulator.ports import free_port  # noqa: E402

PROBE = "soak_probe"
HOLD_LIMIT_MS = 50.0
# RSS after warm-up may grow this much (the medians of the first and last fifth of its samples):
# caches settle, a leak keeps growing.
RSS_GROWTH_LIMIT = 0.05
# The plate log goes over its size limit by a write before the upkeep prunes it back to 90 %.
DISK_SLACK = 0.02
START_TIMEOUT = 300.0
STOP_TIMEOUT = 120.0
PROBE_EVERY = 2.0
CAUGHT_UP_TIMEOUT = 30.0
CAMERA_DOWN_SECONDS = 5.0
RECONNECT_TIMEOUT = 120.0
FULL_DISK_SECONDS = 20.0
ISSUE_TIMEOUT = 30.0
FLOOD_READS = 300
HUGE_READ_ID = 2**64
# Home Assistant's log: a traceback, and the lines of its errors.
TRACEBACK = "Traceback (most recent call last)"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [A-Z]+ ")
LOG_LEVEL = re.compile(r"^\S+ \S+ (ERROR|CRITICAL|WARNING) \(\S+\) \[([\w.]+)\] (.*)$")


class SoakError(Exception):
    """The soak could not go on: Home Assistant did not come up, or ended by itself."""


class CommandError(SoakError):
    """Home Assistant answered a websocket command with an error."""

    def __init__(self, error: dict[str, Any]) -> None:
        """The error's code and message, as Home Assistant sent them."""
        super().__init__(f"websocket command failed: {error}")
        self.code = str(error.get("code"))


@dataclass(frozen=True)
class Options:
    """What the command line asks for."""

    cameras: int
    rate: float
    minutes: float
    every: float
    hostile_every: float
    size_limit_mb: int
    warm_up: float | None
    folder: Path | None
    tmpfs: bool
    seed: int
    trace_allocations: bool

    @property
    def seconds(self) -> float:
        """The soak's length."""
        return self.minutes * 60


# Measuring Home Assistant.


class HomeAssistantProcess:
    """`hass` of the demo's venv on the soak's configuration; one output file per life."""

    def __init__(self, config: Path, logs: Path, *, trace_allocations: bool) -> None:
        """Nothing runs until start(); `trace_allocations`: with tracemalloc on (slower)."""
        self.config = config
        self.logs = logs
        self.environment = os.environ | ({"PYTHONTRACEMALLOC": "1"} if trace_allocations else {})
        self.lives = 0
        self.process: asyncio.subprocess.Process | None = None
        self._stopped: set[int] = set()  # the processes stopped on purpose
        self._running = asyncio.Event()

    @property
    def pid(self) -> int:
        """The running process's id."""
        assert self.process is not None  # noqa: S101 - started before asked
        return self.process.pid

    async def start(self) -> None:
        """Start Home Assistant (it installs nothing: all is in the venv)."""
        self.lives += 1
        with self.output(self.lives).open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).parent / "hass"),
                "--config",
                str(self.config),
                "--skip-pip",
                "--log-no-color",
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.environment,
            )
        self._running.set()

    def output(self, life: int) -> Path:
        """What Home Assistant printed in one life (its log, as it writes it to the console)."""
        return self.logs / f"hass-{life}.out"

    async def stop(self) -> tuple[int | None, float]:
        """SIGTERM, as a supervisor stops it; its exit status (None: killed after the timeout)."""
        assert self.process is not None  # noqa: S101 - started before stopped
        self._stopped.add(self.process.pid)
        self._running.clear()
        started = time.monotonic()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                status: int | None = await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            status = None
        return status, time.monotonic() - started

    async def ended_by_itself(self) -> None:
        """Raise when Home Assistant ends without being stopped."""
        while True:
            process = self.process
            assert process is not None  # noqa: S101 - watched once started
            status = await process.wait()
            if process.pid not in self._stopped:
                raise SoakError(f"Home Assistant ended by itself (status {status})")
            await self._running.wait()

    def rss(self) -> int:
        """Resident memory, bytes."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kilobytes = next(
            line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")
        )
        return int(kilobytes) * 1024

    def open_files(self) -> int:
        """File descriptors open: files, sockets, pipes."""
        return sum(1 for _ in Path(f"/proc/{self.pid}/fd").iterdir())


class Socket:
    """Home Assistant's websocket API as the logged-in owner: commands and subscriptions."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        """Connect with connect()."""
        self._session = session
        self._url = url.replace("http://", "ws://") + "/api/websocket"
        self._token = token
        self._ids = itertools.count(1)
        self._answers: dict[int, asyncio.Future[Any]] = {}
        self._subscriptions: dict[int, Callable[[Any], None]] = {}
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        """Open the socket and log in."""
        self._socket = await self._session.ws_connect(self._url, max_msg_size=0)
        await self._socket.receive_json()  # auth_required
        await self._socket.send_json({"type": "auth", "access_token": self._token})
        answer = await self._socket.receive_json()
        if answer.get("type") != "auth_ok":
            raise SoakError(f"the websocket refused the login: {answer}")
        self._reader = asyncio.create_task(self._read(self._socket))

    async def close(self) -> None:
        """Close the socket (Home Assistant is about to stop)."""
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.wait([self._reader])

    @property
    def open(self) -> bool:
        """Whether the socket is still open."""
        return self._reader is not None and not self._reader.done()

    async def call(self, message: dict[str, Any]) -> Any:
        """Send a command; its result."""
        assert self._socket is not None  # noqa: S101 - connected first
        message_id = next(self._ids)
        answer = self._answers[message_id] = asyncio.get_running_loop().create_future()
        await self._socket.send_json({**message, "id": message_id})
        return await answer

    async def subscribe(self, message: dict[str, Any], on_event: Callable[[Any], None]) -> None:
        """Send a subscribing command; on_event gets each event it sends."""
        assert self._socket is not None  # noqa: S101 - connected first
        message_id = next(self._ids)
        self._subscriptions[message_id] = on_event
        answer = self._answers[message_id] = asyncio.get_running_loop().create_future()
        await self._socket.send_json({**message, "id": message_id})
        await answer

    async def _read(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        async for message in socket:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            for item in data if isinstance(data, list) else [data]:
                self._dispatch(item)
        for answer in self._answers.values():
            if not answer.done():
                answer.set_exception(ConnectionError("Home Assistant closed the websocket"))
        self._answers.clear()

    def _dispatch(self, item: dict[str, Any]) -> None:
        if item.get("type") == "event":
            if (on_event := self._subscriptions.get(item["id"])) is not None:
                on_event(item["event"])
        elif (answer := self._answers.pop(item["id"], None)) is not None and not answer.done():
            if item.get("success"):
                answer.set_result(item.get("result"))
            else:
                answer.set_exception(CommandError(item.get("error") or {}))


@dataclass(frozen=True)
class Sample:
    """One line of the soak's output."""

    at: float  # seconds since the soak started
    life: int
    judged: bool  # after the life's warm-up
    sent: int
    events: int
    rows: int
    rss: int
    malloc_in_use: int  # bytes of the C heap in use (the rest of RSS: code, free heap, ...)
    malloc_free: int  # bytes free in the C heap, kept by the allocator
    sqlite_memory: int  # bytes of SQLite, every database of the process
    python_blocks: int  # blocks Python has allocated
    files: int
    tasks: int
    integration_tasks: int
    database: int
    pictures: int
    recorder: int
    hold_ms: float
    full_gc_ms: float  # the longest full collection of the garbage collector since the last line
    load: float


@dataclass
class Hold:
    """The event loop's longest hold in some time (see soak_probe: its own, and its wall time)."""

    ms: float = 0.0
    wall_ms: float = 0.0
    cpu_ms: float = 0.0
    what: str = ""
    gc_ms: float = 0.0  # the garbage collector's time within it
    threads: str = ""  # what Home Assistant's threads were doing in it, if the probe looked
    at: float = 0.0
    any_wall_ms: float = 0.0  # the longest wall time of any callback, waits for a CPU included
    any_cpu_ms: float = 0.0  # the longest CPU time of any callback: its own work alone

    def take(self, stats: dict[str, Any], at: float) -> None:
        """The probe's answer: keep its hold if it is longer."""
        self.any_wall_ms = max(self.any_wall_ms, stats["wall_ms"])
        self.any_cpu_ms = max(self.any_cpu_ms, stats["cpu_ms"])
        if stats["hold_ms"] > self.ms:
            self.ms, self.wall_ms, self.cpu_ms, self.what, self.gc_ms, self.threads, self.at = (
                stats["hold_ms"],
                stats["hold_wall_ms"],
                stats["hold_cpu_ms"],
                stats["hold_of"],
                stats["hold_gc_ms"],
                stats["hold_threads"],
                at,
            )

    def __str__(self) -> str:
        """What held the loop: its wall time, its CPU time, the garbage collector's share."""
        return (
            f"{self.ms:.0f} ms by {self.what} (wall {self.wall_ms:.0f} ms, CPU {self.cpu_ms:.0f}"
            f" ms, garbage collector {self.gc_ms:.0f} ms)"
            + (f"; threads: {self.threads}" if self.threads else "")
        )


@dataclass
class LoopWatch:
    """The probe's answers, gathered: the longest hold since the last line, and in the soak."""

    line: Hold = field(default_factory=Hold)
    judged: Hold = field(default_factory=Hold)
    unjudged: Hold = field(default_factory=Hold)  # Home Assistant starting, before any read
    over: int = 0
    over_collecting: int = 0  # holds over the limit the garbage collector took half of
    full_collections: int = 0  # of the garbage collector, while judged
    longest_full_ms: float = 0.0
    longest_full_collected: int = 0  # the unreachable objects the longest full collection freed
    line_full_ms: float = 0.0  # the longest full collection since the last line
    tasks: tuple[int, int] = (0, 0)
    memory: dict[str, int] = field(default_factory=dict)  # the probe's last figures

    def take(self, stats: dict[str, Any], at: float, *, judged: bool) -> None:
        """One answer of the probe."""
        self.tasks = (stats["tasks"], stats["integration_tasks"])
        self.memory = {key: stats[key] for key in MEMORY_FIGURES}
        self.line_full_ms = max(self.line_full_ms, stats["longest_full_ms"])
        if judged:
            self.line.take(stats, at)
            self.judged.take(stats, at)
            self.over += stats["holds_over"]
            self.over_collecting += stats["holds_over_collecting"]
            self.full_collections += stats["full_collections"]
            if stats["longest_full_ms"] > self.longest_full_ms:
                self.longest_full_ms = stats["longest_full_ms"]
                self.longest_full_collected = stats["longest_full_collected"]
        else:
            self.unjudged.take(stats, at)


@dataclass(frozen=True)
class DiskUse:
    """Bytes on disk, in allocated blocks (as the plate log counts them)."""

    database: int
    pictures: int
    recorder: int


def disk_use(config: Path) -> DiskUse:
    """The plate log's database and pictures, and the recorder's database."""

    def files(*names: str) -> int:
        total = 0
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                total += (config / name).stat().st_blocks * BLOCK
        return total

    pictures = 0
    for folder, _, names in os.walk(config / "media" / PICTURES_FOLDER):
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                pictures += (Path(folder) / name).stat().st_blocks * BLOCK
    return DiskUse(
        files(DATABASE_FILE, f"{DATABASE_FILE}-wal"),
        pictures,
        files("home-assistant_v2.db", "home-assistant_v2.db-wal"),
    )


# The soak.


@dataclass
class Ledger:
    """Reads sent as valid reads, and what Home Assistant announced of them."""

    sent: Counter[ReadKey] = field(default_factory=Counter)
    events: Counter[ReadKey] = field(default_factory=Counter)
    rows: Counter[ReadKey] = field(default_factory=Counter)
    # Reads whose camera's time is beyond the plausible margin: filed by when they were sent.
    filed_by_arrival: dict[ReadKey, int] = field(default_factory=dict)
    not_sent: int = 0  # reads of a camera that was down: no read

    def filed_ms(self, key: ReadKey) -> int:
        """When the plate log files a read (and prunes it), in milliseconds since 1970."""
        return self.filed_by_arrival.get(key, key[2])

    def caught_up(self) -> bool:
        """Whether every read sent has been announced and logged."""
        total = self.sent.total()
        return self.events.total() >= total and self.rows.total() >= total

    def of_camera(self, entry_id: str) -> tuple[int, int]:
        """A camera's reads sent and announced."""
        return (
            sum(n for key, n in self.sent.items() if key[0] == entry_id),
            sum(n for key, n in self.events.items() if key[0] == entry_id),
        )


@dataclass
class Hostile:
    """What was done to Home Assistant, and what did not go as the README says."""

    done: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


class Soak:
    """Home Assistant, the cameras, the reads, the hostile traffic, the measures."""

    def __init__(self, options: Options, folder: Path) -> None:
        """Everything lives in `folder`: Home Assistant's configuration, its output."""
        self.options = options
        self.folder = folder
        self.config = folder / "config"
        self.media = self.config / "media"
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.hass = HomeAssistantProcess(
            self.config, folder, trace_allocations=options.trace_allocations
        )
        self.rng = random.Random(options.seed)
        self.mix = PlateMix(self.rng, [str(vehicle["plate"]) for vehicle in DEMO_VEHICLES])
        self.cameras = self._cameras(options.cameras)
        self.ledger = Ledger()
        self.loop = LoopWatch()
        self.hostile = Hostile()
        self.samples: list[Sample] = []
        self.heaps: list[dict[str, int]] = []  # the probe's count of objects, at each life's end
        self.allocations: list[str] = []  # with --tracemalloc, after warm-up and at a life's end
        self.warm: list[float] = []  # when each life's warm-up ended
        self.notes: list[str] = []
        self.sending = asyncio.Event()
        self.in_flight: Counter[Camera] = Counter()  # reads being sent, by camera
        self.down: set[Camera] = set()
        self.judged_from = 0.0  # when this life's reads started
        self.measuring = False
        self.restarting = False  # no lines meanwhile: Home Assistant is not what it will be
        self.started = time.monotonic()
        self.session: aiohttp.ClientSession | None = None
        self.socket: Socket | None = None
        self.mounted = False
        # What happens to Home Assistant at intervals, in turn.
        self.hostile_actions: list[Callable[[], Awaitable[str]]] = [
            self.post_bodies,
            self.flood,
            self.same_second,
            self.restart_cameras,
            self.fill_disk,
        ]
        # Seconds of each life of Home Assistant not judged for memory. Unless given: a round of
        # the hostile actions (each kind once: the largest burst of memory among them), and a
        # minute more.
        self.warm_up = (
            options.warm_up
            if options.warm_up is not None
            else len(self.hostile_actions) * options.hostile_every + 60
        )

    def _cameras(self, count: int) -> list[Camera]:
        """TCP, HTTP and RTSP cameras in turn."""
        zone = ZoneInfo(local_time_zone())

        def camera(index: int) -> Camera:
            number = index // 3 + 1
            if index % 3 == 0:
                return TcpCamera(f"Soak TCP {number}")
            if index % 3 == 1:
                return HttpCamera(f"Soak HTTP {number}", zone)
            return RtspCamera(f"Soak RTSP {number}")

        return [camera(index) for index in range(count)]

    def elapsed(self) -> float:
        """Seconds since the soak began."""
        return time.monotonic() - self.started

    # Running.

    async def run(self) -> None:
        """Set up, soak for the time asked, stop."""
        try:
            await self.set_up()
            self.print_header()
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self.feed(camera)) for camera in self.cameras]
                tasks += [
                    group.create_task(self.probe()),
                    group.create_task(self.sample_every()),
                    group.create_task(self.hass.ended_by_itself()),
                ]
                await self.resume()
                await self.direct()
                await self.quiesce()
                await self.poll_probe()
                self.sample()
                await self.count_heap()
                for task in tasks:
                    task.cancel()
        finally:
            await self.tear_down()

    async def set_up(self) -> None:
        """Home Assistant as the demo's, with the probe; every camera through the flow; the site."""
        seed_config(self.config, self.port)
        with (self.config / "configuration.yaml").open("a") as configuration:
            configuration.write(f"{PROBE}:\n")
        (self.config / "custom_components" / PROBE).symlink_to(ROOT / "scripts" / PROBE)
        self.mount_media()
        for camera in self.cameras:
            await camera.start()
        await self.hass.start()
        api = await self.log_in()
        # The integration loads with its first camera, and makes the site then.
        for camera in self.cameras:
            await asyncio.to_thread(add, api, camera)
        await asyncio.to_thread(ensure_known_vehicles, api, [self.hass.pid])
        await asyncio.to_thread(set_size_limit, api, self.options.size_limit_mb)
        await self.open_socket(api)
        await self.name_cameras()
        await self.wait_connected()

    async def name_cameras(self) -> None:
        """Each camera's entry is titled by its name: its picture folder and its lines in the log.

        The config flow titles TCP and RTSP cameras by their host, which every simulated camera
        shares.
        """
        assert self.socket is not None  # noqa: S101 - opened first
        for camera in self.cameras:
            await self.socket.call(
                {"type": "config_entries/update", "entry_id": camera.entry_id, "title": camera.name}
            )

    def mount_media(self) -> None:
        """The media folder on a small tmpfs of its own, which the full disk fills.

        Only in the soak's private mount namespace (scripts/soak makes it when it may): the
        mount is seen by the soak and its Home Assistant alone, and goes with them.
        """
        if not self.options.tmpfs:
            return
        size = self.options.size_limit_mb * 2 + 64
        subprocess.run(  # noqa: S603 - fixed arguments
            ["mount", "-t", "tmpfs", "-o", f"size={size}m", "tmpfs", str(self.media)],  # noqa: S607
            check=True,
        )
        self.mounted = True

    async def log_in(self) -> HomeAssistantApi:
        """Wait for Home Assistant to run; the owner logged in (onboarded the first time)."""
        api = HomeAssistantApi(self.url)
        watch = [self.hass.pid]
        await asyncio.to_thread(onboard_or_login, api, START_TIMEOUT, watch)

        def running() -> bool | None:
            return True if api.request("GET", "/api/config").get("state") == "RUNNING" else None

        await asyncio.to_thread(wait_for, "Home Assistant to run", running, START_TIMEOUT, watch)
        return api

    async def open_socket(self, api: HomeAssistantApi) -> None:
        """The websocket: the titles, the bus events and the plate log's rows, as they come."""
        assert api.token is not None  # noqa: S101 - logged in
        # A connection per request, as a camera's firmware posts: none is kept open between reads.
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True))
        for camera in self.cameras:
            if isinstance(camera, HttpCamera):
                camera.session = self.session
        self.socket = Socket(self.session, self.url, api.token)
        await self.socket.connect()
        await self.socket.subscribe(
            {"type": "subscribe_events", "event_type": EVENT_PLATE_RECOGNIZED},
            lambda event: self.ledger.events.update([key_of(event["data"])]),
        )
        await self.socket.subscribe(
            {"type": f"{DOMAIN}/reads/subscribe"},
            lambda row: self.ledger.rows.update([key_of(row)]),
        )

    async def close_socket(self) -> None:
        """The websocket and the HTTP cameras' connections (Home Assistant is about to stop)."""
        for camera in self.cameras:
            if isinstance(camera, HttpCamera):
                camera.session = None
        if self.socket is not None:
            await self.socket.close()
            self.socket = None
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def wait_connected(self, cameras: list[Camera] | None = None) -> float:
        """Until Home Assistant has a session with every camera (or the ones given); seconds."""
        started = time.monotonic()
        waiting = cameras or self.cameras
        async with asyncio.timeout(RECONNECT_TIMEOUT):
            while not all(camera.connected for camera in waiting):  # noqa: ASYNC110 - no event
                await asyncio.sleep(0.2)
        return time.monotonic() - started

    async def tear_down(self) -> None:
        """Stop Home Assistant (if it still runs), the cameras, the tmpfs."""
        await self.close_socket()
        if self.hass.process is not None and self.hass.process.returncode is None:
            await self.hass.stop()
        for camera in self.cameras:
            with contextlib.suppress(Exception):
                await camera.stop()
        if self.mounted:
            umount = await asyncio.create_subprocess_exec("umount", str(self.media))
            await umount.wait()

    # Reads.

    async def feed(self, camera: Camera) -> None:
        """A camera's reads, at random moments at the rate asked."""
        while True:
            await asyncio.sleep(self.rng.expovariate(self.options.rate))
            plate = self.mix.next_plate(camera.name)
            pictures = await asyncio.to_thread(pictures_of, plate)
            await self.sending.wait()
            if camera in self.down or not camera.connected:
                self.ledger.not_sent += 1
                continue
            self.in_flight[camera] += 1
            try:
                read = Read(plate, camera.now(), self.mix.direction(), pictures)
                if await camera.send(read):
                    self.expect(camera, read)
                else:
                    self.ledger.not_sent += 1
            finally:
                self.in_flight[camera] -= 1

    def expect(self, camera: Camera, read: Read) -> None:
        """A valid read went out: its bus event and its row are expected, once."""
        key = (camera.entry_id, read.plate, epoch_ms(read.time))
        self.ledger.sent[key] += 1
        sent = datetime.now(UTC)
        if abs(read.time - sent) > PLAUSIBLE_CLOCK_SKEW:
            self.ledger.filed_by_arrival[key] = epoch_ms(sent)

    async def quiesce(self) -> None:
        """No more reads; wait until those sent are announced and logged."""
        self.sending.clear()
        self.measuring = False
        await until(lambda: self.in_flight.total() == 0, CAUGHT_UP_TIMEOUT)
        await until(self.ledger.caught_up, CAUGHT_UP_TIMEOUT)

    async def resume(self) -> None:
        """Reads again; the loop's holds count from now (Home Assistant's start does not)."""
        await self.poll_probe()
        self.judged_from = self.elapsed()
        self.measuring = True
        self.sending.set()

    # Measures.

    async def probe(self) -> None:
        """Ask the probe every few seconds (its holds are the longest since it was last asked)."""
        while True:
            await asyncio.sleep(PROBE_EVERY)
            await self.poll_probe()

    async def poll_probe(self) -> None:
        """One answer of the probe, unless Home Assistant is restarting."""
        if self.socket is None or not self.socket.open:
            return
        with contextlib.suppress(ConnectionError):
            stats = await self.socket.call({"type": f"{PROBE}/stats", "over_ms": HOLD_LIMIT_MS})
            self.loop.take(stats, self.elapsed(), judged=self.measuring)

    async def count_heap(self) -> None:
        """The objects the garbage collector tracks now, for the life's summary (once a life)."""
        if self.socket is not None and self.socket.open:
            self.heaps.append(await self.socket.call({"type": f"{PROBE}/heap"}))
            await self.note_allocations("end")

    async def note_allocations(self, when: str) -> None:
        """With --tracemalloc: Python's allocations now, and what grew since the last note."""
        if not self.options.trace_allocations or self.socket is None or not self.socket.open:
            return
        taken = await self.socket.call({"type": f"{PROBE}/allocations"})
        grew = ", ".join(f"{name} {size / MEGABYTE:+.1f}" for name, size in taken["grew"])
        ours = taken["integration_bytes"] / MEGABYTE
        self.allocations.append(
            f"life {self.hass.lives}, {when}: {taken['bytes'] / MEGABYTE:.0f} MB in"
            f" {taken['blocks']:,} blocks, the integration's {ours:.1f} MB in"
            f" {taken['integration_blocks']:,}" + (f"; grew most (MB): {grew}" if grew else "")
        )

    async def sample_every(self) -> None:
        """A line every few seconds."""
        while True:
            await asyncio.sleep(self.options.every)
            if self.restarting:
                continue
            self.sample(await asyncio.to_thread(disk_use, self.config))
            if self.samples and self.samples[-1].judged and self.hass.lives > len(self.warm):
                self.warm.append(self.elapsed())
                await self.note_allocations("after warm-up")

    def sample(self, disk: DiskUse | None = None) -> None:
        """Measure now and print a line."""
        disk = disk or disk_use(self.config)
        at = self.elapsed()
        try:
            rss, files = self.hass.rss(), self.hass.open_files()
        except (FileNotFoundError, ProcessLookupError):
            return  # Home Assistant is stopping
        sample = Sample(
            at=at,
            life=self.hass.lives,
            judged=at - self.judged_from >= self.warm_up,
            sent=self.ledger.sent.total(),
            events=self.ledger.events.total(),
            rows=self.ledger.rows.total(),
            rss=rss,
            malloc_in_use=self.loop.memory.get("malloc_in_use", -1),
            malloc_free=self.loop.memory.get("malloc_free", -1),
            sqlite_memory=self.loop.memory.get("sqlite_memory", -1),
            python_blocks=self.loop.memory.get("python_blocks", -1),
            files=files,
            tasks=self.loop.tasks[0],
            integration_tasks=self.loop.tasks[1],
            database=disk.database,
            pictures=disk.pictures,
            recorder=disk.recorder,
            hold_ms=self.loop.line.ms,
            full_gc_ms=self.loop.line_full_ms,
            load=os.getloadavg()[0],
        )
        if self.loop.line.ms > HOLD_LIMIT_MS:
            self.notes.append(f"loop held {self.loop.line}")
        self.loop.line, self.loop.line_full_ms = Hold(), 0.0
        self.samples.append(sample)
        print(format_sample(sample, self.notes), flush=True)
        with (self.folder / "samples.csv").open("a", newline="") as table:
            writer = csv.writer(table)
            if len(self.samples) == 1:
                writer.writerow([*Sample.__dataclass_fields__, "what happened"])
            writer.writerow([*astuple(sample), "; ".join(self.notes)])
        self.notes.clear()

    def print_header(self) -> None:
        """The soak's settings and the columns of its lines."""
        kinds = Counter(camera.kind for camera in self.cameras)
        print(
            f"Soak: {len(self.cameras)} cameras ({', '.join(f'{n} {k}' for k, n in kinds.items())})"
            f" at {self.options.rate} reads/s each for {self.options.minutes:g} min;"
            f" plate log size limit {self.options.size_limit_mb} MB;"
            f" something hostile every {self.options.hostile_every:g} s;"
            f" Home Assistant restarted at {self.options.minutes / 2:g} min. In {self.folder}",
            flush=True,
        )
        print(HEADER, flush=True)

    # What happens to Home Assistant.

    async def direct(self) -> None:
        """The hostile traffic at intervals, the restart mid-run, until the soak's end."""
        actions = itertools.cycle(self.hostile_actions)
        end = self.options.seconds
        restart_at: float | None = end / 2
        next_action = self.options.hostile_every
        while (now := self.elapsed()) < end:
            due = min(next_action, restart_at or end, end)
            if due > now:
                await asyncio.sleep(min(due - now, 1.0))
                continue
            if restart_at is not None and now >= restart_at:
                restart_at = None
                self.notes.append(await self.restart_home_assistant())
            elif now >= next_action:
                self.notes.append(await next(actions)())
                next_action = self.elapsed() + self.options.hostile_every

    def expect_status(self, what: str, got: int, expected: int) -> str:
        """A status as the README says, or a failure noted."""
        if got != expected:
            self.hostile.failures.append(f"{what}: answered {got or 'nothing'}, not {expected}")
        return str(got or "-")

    async def post_bodies(self) -> str:
        """Bodies no camera should send, to an HTTP camera."""
        camera = self.pick(HttpCamera)
        if camera is None:
            return "bodies: no HTTP camera"
        answers = []
        for hostile in hostile_bodies(camera, self.mix, pictures_of("AB1234").plate):
            status = await camera.post(hostile.body)
            if hostile.read is not None and status == hostile.expected:
                self.expect(camera, hostile.read)
            answers.append(self.expect_status(hostile.name, status, hostile.expected))
            self.hostile.done[hostile.name] += 1
        return f"bodies to {camera.name}: {' '.join(answers)}; {await self.huge_read_ids()}"

    async def huge_read_ids(self) -> str:
        """Read ids beyond SQLite's 64 bits in the websocket commands: invalid_format."""
        assert self.socket is not None  # noqa: S101 - Home Assistant runs
        answers = []
        for name, command in (
            ("reads/get read_id", {"type": f"{DOMAIN}/reads/get", "read_id": HUGE_READ_ID}),
            ("reads/list before", {"type": f"{DOMAIN}/reads/list", "before": HUGE_READ_ID}),
        ):
            try:
                await self.socket.call(command)
                code = "success"
            except CommandError as err:
                code = err.code
            if code != "invalid_format":
                self.hostile.failures.append(f"{name} 2^64: answered {code}, not invalid_format")
            answers.append(code)
            self.hostile.done[f"websocket {name} 2^64"] += 1
        return f"websocket read ids 2^64: {' '.join(answers)}"

    async def flood(self) -> str:
        """Hundreds of reads in a second or so from one camera of each type, at once."""
        cameras = [
            camera for kind in (TcpCamera, HttpCamera, RtspCamera) if (camera := self.pick(kind))
        ]
        started = time.monotonic()
        sent = await asyncio.gather(*(self.flood_from(camera) for camera in cameras))
        took = time.monotonic() - started
        return f"flood: {' + '.join(map(str, sent))} reads from {names(cameras)} in {took:.1f} s"

    async def same_second(self) -> str:
        """One plate read hundreds of times in one second, with pictures, by an HTTP camera."""
        camera = self.pick(HttpCamera)
        if camera is None:
            return "same second: no HTTP camera"
        self.hostile.done["same plate, same second"] += 1
        started = time.monotonic()
        sent = await self.send_all(camera, same_second_reads(camera, FLOOD_READS))
        took = time.monotonic() - started
        return f"same plate, same second: {sent} reads from {camera.name} in {took:.1f} s"

    async def flood_from(self, camera: Camera) -> int:
        """One camera's flood; how many went out as valid reads."""
        self.hostile.done["flood"] += 1
        return await self.send_all(camera, flood_reads(camera, self.mix, FLOOD_READS))

    async def send_all(self, camera: Camera, reads: list[Read]) -> int:
        """Send reads as fast as the camera can; how many went out as valid reads."""
        self.in_flight[camera] += 1
        try:
            sent = await send_flood(camera, reads)
        finally:
            self.in_flight[camera] -= 1
        for read in sent:
            self.expect(camera, read)
        return len(sent)

    async def restart_cameras(self) -> str:
        """A TCP and an RTSP camera switched off for a few seconds, and on again."""
        restarted = [
            camera for kind in (TcpCamera, RtspCamera) if (camera := self.pick(kind)) is not None
        ]
        for camera in restarted:
            self.down.add(camera)
            await until(partial(self.settled, camera), CAUGHT_UP_TIMEOUT)
            await camera.stop()
        await asyncio.sleep(CAMERA_DOWN_SECONDS)
        for camera in restarted:
            await camera.start()
            self.hostile.done["camera restart"] += 1
        try:
            back = await self.wait_connected(restarted)
        except TimeoutError:
            self.hostile.failures.append(
                f"cameras restarted: not connected again within {RECONNECT_TIMEOUT:.0f} s"
            )
            return "cameras restarted: not connected again"
        finally:
            self.down.difference_update(restarted)
        off = f"{CAMERA_DOWN_SECONDS:.0f} s"
        return f"{names(restarted)} off for {off}: connected again {back:.1f} s later"

    def settled(self, camera: Camera) -> bool:
        """Whether a camera sends nothing now, and its reads sent were all announced."""
        sent, announced = self.ledger.of_camera(camera.entry_id)
        return self.in_flight[camera] == 0 and announced >= sent

    def pick[C: Camera](self, kind: type[C]) -> C | None:
        """A camera of a type, another each time."""
        of_kind = [camera for camera in self.cameras if isinstance(camera, kind)]
        return self.rng.choice(of_kind) if of_kind else None

    async def fill_disk(self) -> str:
        """Fill the media folder's disk for a while: the repair issue comes, and goes."""
        if not self.mounted:
            return "full disk: skipped (no tmpfs of its own for the media folder, see scripts/soak)"
        self.hostile.done["full disk"] += 1
        filler = self.media / "soak-filler"
        with filler.open("wb") as file:
            free = os.statvfs(self.media)
            with contextlib.suppress(OSError):
                os.posix_fallocate(file.fileno(), 0, free.f_bavail * free.f_frsize)
        started = time.monotonic()
        raised = await self.wait_for_issue(present=True)
        await asyncio.sleep(max(FULL_DISK_SECONDS - (time.monotonic() - started), 0))
        filler.unlink()
        freed = time.monotonic()
        cleared = await self.wait_for_issue(present=False)
        if raised is None or cleared is None:
            self.hostile.failures.append(
                f"full disk: the repair issue {ISSUE_DISK_FULL} "
                + ("never came" if raised is None else "did not go once there was room again")
            )
        return (
            f"disk full for {FULL_DISK_SECONDS:.0f} s: repair issue "
            + (f"after {raised - started:.1f} s" if raised else "never")
            + ", gone "
            + (f"{cleared - freed:.1f} s after" if cleared else "never")
        )

    async def wait_for_issue(self, *, present: bool) -> float | None:
        """When the plate log's full-disk repair issue is there (or gone); None: not in time."""
        deadline = time.monotonic() + ISSUE_TIMEOUT
        while time.monotonic() < deadline:
            assert self.socket is not None  # noqa: S101 - Home Assistant runs
            issues = (await self.socket.call({"type": "repairs/list_issues"}))["issues"]
            there = any(
                issue["domain"] == DOMAIN and issue["issue_id"] == ISSUE_DISK_FULL
                for issue in issues
            )
            if there == present:
                return time.monotonic()
            await asyncio.sleep(0.5)
        return None

    async def restart_home_assistant(self) -> str:
        """SIGTERM once the reads sent are announced, then start it again."""
        await self.quiesce()
        await self.poll_probe()
        await self.count_heap()
        self.restarting = True
        await self.close_socket()
        status, stopping = await self.hass.stop()
        self.hostile.done["Home Assistant restart"] += 1
        if status != 0:
            self.hostile.failures.append(f"Home Assistant's stop ended with status {status}")
        started = time.monotonic()
        await self.hass.start()
        api = await self.log_in()
        await self.open_socket(api)
        try:
            await self.wait_connected()
        except TimeoutError:
            self.hostile.failures.append(
                "cameras not connected again after Home Assistant's restart"
            )
        up = time.monotonic() - started
        await self.resume()
        self.restarting = False
        return (
            f"Home Assistant stopped in {stopping:.1f} s (status {status}), up again in {up:.0f} s"
        )


def names(cameras: list[Camera]) -> str:
    """The cameras' names, for a line."""
    return ", ".join(camera.name for camera in cameras)


def add(api: HomeAssistantApi, camera: Camera) -> None:
    """Add a camera through the config flow; an HTTP camera learns its webhook's URL there."""

    def fill(form: dict[str, Any]) -> dict[str, Any]:
        if isinstance(camera, HttpCamera):
            camera.url = form["description_placeholders"]["post_url"]
        return camera.form()

    result = add_camera(api, camera.kind, fill)
    camera.entry_id = result["result"]["entry_id"]


def set_size_limit(api: HomeAssistantApi, megabytes: int) -> None:
    """The plate log's size limit, through the site's options flow (the other settings kept)."""
    entries = api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    site = next(entry for entry in entries if is_site(entry))
    flow = api.request(
        "POST", "/api/config/config_entries/options/flow", {"handler": site["entry_id"]}
    )
    values = {
        item["name"]: item.get("description", {}).get("suggested_value", item.get("default"))
        for item in flow["data_schema"]
    }
    result = api.request(
        "POST",
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        values | {CONF_MAX_SIZE_MB: megabytes},
    )
    if result.get("type") not in {"abort", "create_entry"}:
        raise DemoError(f"the site's options were not saved: {result}")


async def until(condition: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
    """Poll a condition; whether it came true within timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


# The output.

HEADER = (
    "  time   sent events   rows  RSS MB use MB files tasks (lpr)  log MB pict MB  rec MB"
    "  hold ms  GC ms load  what happened"
)
MEGABYTE = 1024 * 1024
MEMORY_FIGURES = ("malloc_in_use", "malloc_free", "sqlite_memory", "python_blocks")


def format_sample(sample: Sample, notes: list[str]) -> str:
    """A line of the output."""
    minutes, seconds = divmod(int(sample.at), 60)
    return (
        f"{minutes:4d}:{seconds:02d} {sample.sent:6d} {sample.events:6d} {sample.rows:6d}"
        f" {sample.rss / MEGABYTE:7.1f} {sample.malloc_in_use / MEGABYTE:6.1f} {sample.files:5d}"
        f" {sample.tasks:5d} ({sample.integration_tasks:3d})"
        f" {sample.database / MEGABYTE:7.1f} {sample.pictures / MEGABYTE:7.1f}"
        f" {sample.recorder / MEGABYTE:7.1f} {sample.hold_ms:8.1f} {sample.full_gc_ms:6.0f}"
        f" {sample.load:4.1f}"
        f"  {'; '.join(notes)}"
    ).rstrip()


@dataclass(frozen=True)
class Goal:
    """One of the soak's goals: met or not, and the figures that tell."""

    name: str
    met: bool
    figures: str


def judge(soak: Soak, rows_kept: Counter[ReadKey]) -> list[Goal]:
    """Every goal, from what the soak measured."""
    return [
        judge_reads(soak.ledger, rows_kept),
        judge_memory(soak.samples),
        judge_disk(soak.samples, soak.options.size_limit_mb),
        judge_log(soak.hass),
        judge_loop(soak.loop, soak.heaps),
        Goal(
            "hostile traffic answered as the README says",
            not soak.hostile.failures,
            "; ".join(soak.hostile.failures)
            or ", ".join(f"{what} {n} times" for what, n in soak.hostile.done.items()),
        ),
    ]


def judge_reads(ledger: Ledger, rows_kept: Counter[ReadKey]) -> Goal:
    """Every valid read sent is announced once and logged once; none else."""
    sent = ledger.sent
    missing, extra = sent - ledger.events, ledger.events - sent
    rows_missing, rows_extra = sent - ledger.rows, ledger.rows - sent
    # The size limit prunes the oldest reads: those kept are the newest, each once.
    oldest = min((ledger.filed_ms(key) for key in rows_kept), default=0)
    newer = Counter({key: n for key, n in sent.items() if ledger.filed_ms(key) > oldest + 2000})
    kept_missing = newer - rows_kept
    kept_extra = rows_kept - sent
    met = not (missing or extra or rows_missing or rows_extra or kept_missing or kept_extra)
    return Goal(
        "events = valid reads sent, each once",
        met,
        f"{sent.total()} reads sent, {ledger.events.total()} events ({missing.total()} missing,"
        f" {extra.total()} twice or never sent); {ledger.rows.total()} rows logged"
        f" ({rows_missing.total()} missing, {rows_extra.total()} twice or never sent);"
        f" {rows_kept.total()} rows kept at the end, the newest"
        f" ({kept_missing.total()} missing, {kept_extra.total()} twice or never sent);"
        f" {ledger.not_sent} reads not sent (camera down)"
        + example("missing", missing)
        + example("extra", extra),
    )


def example(what: str, keys: Counter[ReadKey]) -> str:
    """One key of a difference, to look for in the logs."""
    return f"; {what} e.g. {next(iter(keys))}" if keys else ""


def judge_memory(samples: list[Sample]) -> Goal:
    """RSS, open files and tasks do not grow after warm-up, in any life of Home Assistant."""
    lives = []
    met = True
    for life in sorted({sample.life for sample in samples}):
        judged = [sample for sample in samples if sample.life == life and sample.judged]
        if len(judged) < 5:
            lives.append(f"life {life}: too short to judge ({len(judged)} samples after warm-up)")
            continue
        fifth = max(len(judged) // 5, 1)
        first, last = judged[:fifth], judged[-fifth:]
        parts = (first, last)
        rss = [statistics.median(s.rss for s in part) / MEGABYTE for part in parts]
        in_use = [statistics.median(s.malloc_in_use for s in part) / MEGABYTE for part in parts]
        files = [statistics.median(s.files for s in part) for part in (first, last)]
        tasks = [statistics.median(s.tasks for s in part) for part in (first, last)]
        growth = rss[1] / rss[0] - 1
        met = met and growth <= RSS_GROWTH_LIMIT
        lives.append(
            f"life {life}: RSS {rss[0]:.0f} → {rss[1]:.0f} MB ({growth:+.1%}) over"
            f" {(judged[-1].at - judged[0].at) / 60:.0f} min (the C heap in use {in_use[0]:.0f}"
            f" → {in_use[1]:.0f} MB), open files {files[0]:.0f} →"
            f" {files[1]:.0f}, tasks {tasks[0]:.0f} → {tasks[1]:.0f}"
        )
    return Goal(f"RSS flat after warm-up (at most {RSS_GROWTH_LIMIT:.0%})", met, "; ".join(lives))


def judge_disk(samples: list[Sample], limit_mb: int) -> Goal:
    """The plate log (its database and pictures) stays within its size limit."""
    most = max(samples, key=lambda s: s.database + s.pictures)
    use = (most.database + most.pictures) / MEGABYTE
    recorder = max(s.recorder for s in samples) / MEGABYTE
    return Goal(
        f"plate log within its size limit ({limit_mb} MB)",
        use <= limit_mb * (1 + DISK_SLACK),
        f"at most {use:.1f} MB (database {most.database / MEGABYTE:.1f} MB, pictures"
        f" {most.pictures / MEGABYTE:.1f} MB); the recorder's database, not the plate log's:"
        f" {recorder:.1f} MB",
    )


def judge_log(hass: HomeAssistantProcess) -> Goal:
    """No traceback of the integration (or the probe) in Home Assistant's output.

    Home Assistant's own, of what this machine lacks (ffmpeg, libturbojpeg), are counted apart.
    """
    records = [
        record
        for life in range(1, hass.lives + 1)
        for record in log_records(hass.output(life).read_text(errors="replace"))
    ]
    ours = [r for r in records if r.traceback and r.ours]
    theirs = Counter(
        f"[{r.logger}] {r.message[:80]}" for r in records if r.traceback and not r.ours
    )
    errors = sum(1 for r in records if r.level != "WARNING" and r.ours)
    warnings = sum(1 for r in records if r.level == "WARNING" and r.ours)
    return Goal(
        "no traceback",
        not ours,
        f"{len(ours)} tracebacks of the integration"
        + "".join(f"; [{r.logger}] {r.message[:200]}" for r in ours[:3])
        + f"; {errors} errors and {warnings} warnings of the integration logged"
        + (f"; Home Assistant's own tracebacks: {counted(theirs)}" if theirs else ""),
    )


@dataclass(frozen=True)
class LogRecord:
    """A record of Home Assistant's log: its first line and the lines under it."""

    level: str
    logger: str
    message: str
    lines: str

    @property
    def traceback(self) -> bool:
        """Whether it carries a traceback."""
        return TRACEBACK in self.lines

    @property
    def ours(self) -> bool:
        """Whether the integration or the probe logged it, or is in its traceback."""
        return any(name in self.logger or f"/{name}/" in self.lines for name in (DOMAIN, PROBE))


def log_records(output: str) -> Iterator[LogRecord]:
    """The warnings and errors of Home Assistant's output, each with the lines under it."""
    lines = output.splitlines()
    starts = [n for n, line in enumerate(lines) if LOG_LINE.match(line)]
    for start, end in itertools.pairwise([*starts, len(lines)]):
        if (match := LOG_LEVEL.match(lines[start])) is not None:
            level, logger, message = match.groups()
            yield LogRecord(level, logger, message, "\n".join(lines[start + 1 : end]))


def counted(counter: Counter[str]) -> str:
    """The most common of some lines, each with how often it came."""
    return "; ".join(f"{line} ({n} times)" for line, n in counter.most_common(3))


def judge_loop(loop: LoopWatch, heaps: list[dict[str, int]]) -> Goal:
    """The event loop never held longer than the limit while reads came.

    `heaps`: the objects the garbage collector tracked at each life's end, which a full
    collection goes through.
    """
    tracked = ", ".join(
        f"{heap['tracked']:,} ({heap['integration']:,} of the integration's classes)"
        for heap in heaps
    )
    longest = loop.judged
    minutes, seconds = divmod(int(longest.at), 60)
    return Goal(
        f"event loop never held over {HOLD_LIMIT_MS:.0f} ms",
        longest.ms <= HOLD_LIMIT_MS,
        f"longest {longest.ms:.1f} ms at {minutes}:{seconds:02d} (wall {longest.wall_ms:.1f} ms,"
        f" {longest.cpu_ms:.1f} ms of it on the CPU, {longest.gc_ms:.1f} ms in the garbage"
        f" collector): {longest.what}; {loop.over} holds over the limit,"
        f" {loop.over_collecting} of them half or more the garbage collector's;"
        f" {loop.full_collections} full collections of the garbage collector (its whole heap),"
        f" the longest {loop.longest_full_ms:.1f} ms (it freed {loop.longest_full_collected:,}"
        " unreachable objects), through the objects it tracks (at each"
        f" life's end: {tracked or 'not counted'}); the longest wall time of any callback,"
        " waits for a CPU included:"
        f" {longest.any_wall_ms:.1f} ms; the longest CPU time of any callback (its work alone,"
        f" whatever else the machine did): {longest.any_cpu_ms:.1f} ms; while Home Assistant"
        " started (not judged):"
        f" {loop.unjudged.ms:.1f} ms",
    )


def rows_in_database(config: Path) -> Counter[ReadKey]:
    """The plate log's rows at the end (Home Assistant stopped)."""
    path = config / DATABASE_FILE
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as database:
        rows = database.execute("SELECT config_entry_id, plate, time FROM reads").fetchall()
    return Counter(
        key_of({"config_entry_id": entry, "plate": plate, "time": at}) for entry, plate, at in rows
    )


def report(goals: list[Goal]) -> bool:
    """Print each goal; whether all were met."""
    print("\nGoals:")
    for goal in goals:
        print(f"  {'PASS' if goal.met else 'FAIL'}  {goal.name}: {goal.figures}")
    return all(goal.met for goal in goals)


# The command line.


def parse(argv: list[str] | None = None) -> Options:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cameras", type=int, default=10, help="TCP, HTTP and RTSP in turn")
    parser.add_argument("--rate", type=float, default=0.5, help="reads per second per camera")
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--every", type=float, default=30, help="seconds between lines")
    parser.add_argument("--hostile-every", type=float, default=60, help="seconds between attacks")
    parser.add_argument("--size-limit", type=int, default=100, help="the plate log's, in MB")
    parser.add_argument(
        "--warm-up", type=float, help="seconds (default: a round of the hostile actions + 60)"
    )
    parser.add_argument("--dir", type=Path, help="where to keep everything (default: in /tmp)")
    parser.add_argument("--seed", type=int, default=1, help="of the plates' random mix")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="trace Python's allocations (slower): the integration's share, and what grew",
    )
    parser.add_argument("--tmpfs", action="store_true", help=argparse.SUPPRESS)  # scripts/soak
    args = parser.parse_args(argv)
    if args.cameras < 1 or args.rate <= 0 or args.minutes <= 0:
        parser.error("--cameras, --rate and --minutes must be above 0")
    return Options(
        cameras=args.cameras,
        rate=args.rate,
        minutes=args.minutes,
        every=args.every,
        hostile_every=args.hostile_every,
        size_limit_mb=args.size_limit,
        warm_up=args.warm_up,
        folder=args.dir,
        tmpfs=args.tmpfs,
        seed=args.seed,
        trace_allocations=args.tracemalloc,
    )


def main() -> None:
    """Soak; exit 1 when a goal was not met, 3 when the soak could not run."""
    options = parse()
    folder = options.folder or Path(tempfile.mkdtemp(prefix="lpr-soak-"))
    if folder.is_dir() and any(folder.iterdir()):
        print(f"soak: {folder} is not empty: a soak starts from nothing", file=sys.stderr)
        sys.exit(3)
    folder.mkdir(parents=True, exist_ok=True)
    soak = Soak(options, folder.resolve())
    try:
        asyncio.run(soak.run())
    except* (SoakError, DemoError, TimeoutError) as failed:
        for error in failed.exceptions:
            print(f"soak: {error!r} (Home Assistant's output in {folder})", file=sys.stderr)
        sys.exit(3)
    met = report(judge(soak, rows_in_database(soak.config)))
    if soak.allocations:
        print("\nPython's allocations (tracemalloc):", *soak.allocations, sep="\n  ")
    print(f"\nHome Assistant's output: {folder}/hass-*.out")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
