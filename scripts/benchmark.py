"""Benchmarks: prints figures, asserts nothing.

    .venv/ha-2026.10/bin/python scripts/benchmark.py          (scripts/test builds that venv)

1. The TCP decoder's throughput for a read with a 30 KB and with a 300 KB snapshot, beside the
   time to copy the same bytes once (the floor any decoder that hands out the pictures pays).
2. Latency inside real Home Assistant from the moment a camera sends a read to the moment the
   `lpr_camera_plate_recognized` event is on the bus, median and p99 over 1,000 reads:
   TCP (simulated camera over loopback), HTTP (POST into Home Assistant's web server), RTSP
   (from the RTP packet that closes the metadata document; the picture fetch included) and
   MQTT (a Frigate source: from Frigate's publish to Debian's mosquitto, through Home
   Assistant's mqtt integration; its settle window set to 0 and no snapshot fetched, so that
   neither the window's wait nor Frigate's encoding of its snapshot counts; skipped without
   mosquitto).
3. The plate log's database with 100,000 reads (30 days, 4 cameras, a few thousand plates):
   the time of the first page, of a fuzzy search and of the 30-day statistics, and its size per
   read.
4. With --recorder only: a Home Assistant process of its own (.venv/demo, or --venv
   .venv/demo-2025.4) with its recorder, 20,000 reads posted to a camera of the HTTP type: the
   recorder's database bytes per read (by table, state rows by entity) and the resident set's
   rise, beside a bare integration firing the same event data in the same Home Assistant;
   --integration runs another folder of the integration (an earlier release's).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import dataclasses
import http.client
import io
import itertools
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, redirect_stdout
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp.test_utils import TestServer
from paho.mqtt.client import Client
from paho.mqtt.enums import CallbackAPIVersion
from yarl import URL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant import loader
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
)
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONF_HTTP_PORT,
    CONF_PATH,
    CONNECTION_HTTP,
    CONNECTION_RTSP,
    CONNECTION_TCP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.lpr import frigate as frigate_messages
from custom_components.lpr_camera.lpr.tcp_codec import (
    COMM_RECOG_POST,
    PacketDecoder,
    decode_recognition,
    encode_packet,
    encode_recognition,
)
from custom_components.lpr_camera.plate_log.database import LoggedRead, PlateLogDatabase, ReadFilter
from scripts import demo_api
from simulator import http_post
from simulator.camera_web import CameraWebServer
from simulator.frigate import (
    CAMERA,
    Mosquitto,
    mosquitto_path,
    new_object_id,
    plate_update,
    publish_messages,
)
from simulator.onvif_documents import SEED_PICTURE, metadata_stream, seed_event
from simulator.ports import free_port
from simulator.reads import make_jpeg, sample_read
from simulator.rtsp_server import PATH as RTSP_PATH
from simulator.rtsp_server import RtspTestServer
from simulator.tcp import CameraSimulator

ROOT = Path(__file__).resolve().parent.parent
READ_SIZE = 64 * 1024  # what the client asks of the socket at a time
LATENCY_READS = 1000


def read_with_snapshot(target_bytes: int) -> PlateRead:
    """A read whose full snapshot is a noisy JPEG of about the target size."""
    width, height, quality = (320, 120, 85) if target_bytes < 100_000 else (1280, 720, 40)
    snapshot = make_jpeg(width, height, "AB1234", noise=True, quality=quality)
    return dataclasses.replace(sample_read("AB1234"), full_image=snapshot)


def decoder_throughput(packet: bytes, count: int) -> tuple[float, float]:
    """Packets/s and MB/s through the streaming decoder, fed in socket-sized pieces."""
    stream = packet * count
    pieces = [stream[i : i + READ_SIZE] for i in range(0, len(stream), READ_SIZE)]
    decoder = PacketDecoder()
    started = time.perf_counter()
    decoded = 0
    for piece in pieces:
        for received in decoder.feed(piece):
            decode_recognition(received.data)
            decoded += 1
    elapsed = time.perf_counter() - started
    assert decoded == count  # noqa: S101 - a benchmark of a broken decoder means nothing
    return count / elapsed, len(stream) / elapsed / 1e6


def copy_throughput(packet: bytes, count: int) -> float:
    """MB/s of copying the same bytes once."""
    view = memoryview(packet)
    started = time.perf_counter()
    for _ in range(count):
        bytes(view[8:])
    return len(packet) * count / (time.perf_counter() - started) / 1e6


def print_decoder_figures(count: int) -> None:
    print("TCP decoder (metadata + plate crop + snapshot, fed in 64 KiB reads)")
    for target in (30_000, 300_000):
        read = read_with_snapshot(target)
        packet = encode_packet(COMM_RECOG_POST, encode_recognition(read))
        packets, megabytes = decoder_throughput(packet, count)
        copy = copy_throughput(packet, count)
        print(
            f"  snapshot {len(read.full_image or b'') / 1000:6.1f} KB, packet "
            f"{len(packet) / 1000:6.1f} KB: {packets:9.0f} packets/s, {megabytes:7.0f} MB/s"
            f"  (one copy of the same bytes: {copy:7.0f} MB/s)"
        )


PLATE_MARK = "PLATE-OF-THIS-READ"


def car_plates() -> Iterator[str]:
    """A new car each read, as at a gate: the picture history files each read apart."""
    return (f"AB{number:05d}" for number in itertools.count())


async def measure_latency(
    hass: HomeAssistant, send: Callable[[], Awaitable[float]], count: int
) -> list[float]:
    """Milliseconds from each read's departure to its bus event, one read at a time.

    `send` returns the moment the read left, so it can leave its own preparation out.
    """
    arrived: asyncio.Queue[float] = asyncio.Queue()

    def on_event(_event: Event[Any]) -> None:
        arrived.put_nowait(time.perf_counter())

    unsubscribe = hass.bus.async_listen(EVENT_PLATE_RECOGNIZED, on_event)
    latencies = []
    for _ in range(count):
        sent = await send()
        received = await asyncio.wait_for(arrived.get(), 10)
        latencies.append((received - sent) * 1000)
    unsubscribe()
    return latencies


def print_latency(name: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(len(ordered) * 0.99))]
    print(
        f"  {name:5} {len(latencies)} reads: median {statistics.median(ordered):.3f} ms, "
        f"p99 {p99:.3f} ms"
    )


async def setup_entry(
    hass: HomeAssistant, data: dict[str, Any], domain: str = DOMAIN, **version: int
) -> None:
    entry = MockConfigEntry(domain=domain, title="Benchmark camera", data=data, **version)
    entry.add_to_hass(hass)
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError("the integration did not set up")
    await hass.async_block_till_done()


async def tcp_latency(hass: HomeAssistant, count: int) -> list[float]:
    camera = CameraSimulator(username="admin", password="1234")
    await camera.start()
    try:
        await setup_entry(
            hass,
            {
                CONF_CONNECTION_TYPE: CONNECTION_TCP,
                CONF_HOST: "127.0.0.1",
                CONF_PORT: camera.port,
                CONF_USERNAME: "admin",
                CONF_PASSWORD: "1234",
            },
        )
        await camera.wait_for_client()
        read = sample_read("AB1234")
        plates = car_plates()

        async def push() -> float:
            next_read = dataclasses.replace(read, plate=next(plates))
            sent = time.perf_counter()
            await camera.push(next_read)
            return sent

        return await measure_latency(hass, push, count)
    finally:
        await camera.stop()


@asynccontextmanager
async def http_camera(hass: HomeAssistant) -> AsyncIterator[URL]:
    """A camera of the HTTP type; yields the URL of its webhook on loopback."""
    await async_setup_component(hass, "http", {})
    await setup_entry(
        hass,
        {
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            "webhook_id": "benchmark",
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
        },
    )
    # Serve Home Assistant's web app on loopback, as its test client does (on a port of its own).
    server = TestServer(hass.http.app, host="127.0.0.1")
    await server.start_server()
    try:
        yield server.make_url("/api/webhook/benchmark")
    finally:
        await server.close()


def camera_post(full_image: bytes) -> str:
    """A POST body as the camera sends it, with PLATE_MARK for the plate."""
    return json.dumps(
        {
            "plate": PLATE_MARK,
            "time": "2026-11-26 08:00:00.123",
            "direction": "Approach",
            "plate_image": base64.b64encode(sample_read("AB1234").plate_image or b"").decode(),
            "full_image": base64.b64encode(full_image).decode(),
        }
    )


async def http_latency(hass: HomeAssistant, count: int) -> list[float]:
    body = camera_post(sample_read("AB1234").full_image or b"")
    plates = car_plates()
    async with http_camera(hass) as url, aiohttp.ClientSession() as session:

        async def post() -> float:
            next_body = body.replace(PLATE_MARK, next(plates)).encode()
            sent = time.perf_counter()
            async with session.post(url, data=next_body) as response:
                response.raise_for_status()
            return sent

        return await measure_latency(hass, post, count)


@contextmanager
def timed_callbacks() -> Iterator[list[float]]:
    """Seconds each callback the event loop runs within the block holds it.

    Every callback of an asyncio loop (a task's step, a socket's read, a timer) runs through
    Handle._run; eager tasks run inside the callback that starts them.
    """
    durations: list[float] = []
    run = asyncio.Handle._run  # noqa: SLF001 - the one place every callback goes through

    def timed(handle: asyncio.Handle) -> None:
        started = time.perf_counter()
        try:
            run(handle)
        finally:
            durations.append(time.perf_counter() - started)

    with patch.object(asyncio.Handle, "_run", timed):
        yield durations


def post_from_another_thread(url: URL, body: bytes) -> None:
    """POST with a blocking client, so that nothing of the client runs on the event loop."""
    connection = http.client.HTTPConnection(url.host or "127.0.0.1", url.port, timeout=30)
    try:
        connection.request("POST", url.path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != HTTPStatus.OK:
            raise RuntimeError(f"the webhook answered {response.status}")
    finally:
        connection.close()


async def large_post_loop_holds(hass: HomeAssistant, count: int) -> tuple[int, list[float]]:
    """The body's size, and per post the milliseconds of the longest callback while handled."""
    # Random bytes do not compress: the size of a 4K snapshot, as base64 4 MB of JSON.
    picture = b"\xff\xd8" + random.randbytes(3_000_000) + b"\xff\xd9"
    body = camera_post(picture)
    plates = car_plates()
    arrived: asyncio.Queue[Event[Any]] = asyncio.Queue()
    unsubscribe = hass.bus.async_listen(EVENT_PLATE_RECOGNIZED, arrived.put_nowait)
    longest = []
    async with http_camera(hass) as url:
        for _ in range(count):
            next_body = body.replace(PLATE_MARK, next(plates)).encode()
            with timed_callbacks() as durations:
                await asyncio.to_thread(post_from_another_thread, url, next_body)
                await asyncio.wait_for(arrived.get(), 10)
            longest.append(max(durations) * 1000)
    unsubscribe()
    return len(body), longest


async def until(condition: Callable[[], bool]) -> None:
    """Poll what offers no event to wait on, for up to 10 s."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - nothing to wait on
            await asyncio.sleep(0.01)


async def rtsp_latency(hass: HomeAssistant, count: int) -> list[float]:
    picture = sample_read("AB1234").plate_image or b""
    camera = RtspTestServer()
    web = CameraWebServer(auth=None, pictures={SEED_PICTURE: picture})
    await camera.start()
    await web.start()
    try:
        await setup_entry(
            hass,
            {
                CONF_CONNECTION_TYPE: CONNECTION_RTSP,
                CONF_HOST: "127.0.0.1",
                CONF_PORT: camera.port,
                CONF_PATH: RTSP_PATH,
                CONF_HTTP_PORT: web.port,
                CONF_USERNAME: "",
                CONF_PASSWORD: "",
            },
        )
        plates = car_plates()

        async def send() -> float:
            # Time only the packet that closes the document: the rest is already there.
            document = metadata_stream(seed_event(next(plates)))
            *opening, closing = camera.packets(document, size=400)
            await camera.send(*opening)
            sent = time.perf_counter()
            await camera.send(closing)
            return sent

        await until(lambda: camera.playing)
        return await measure_latency(hass, send, count)
    finally:
        await web.stop()
        await camera.stop()


@asynccontextmanager
async def frigate(hass: HomeAssistant) -> AsyncIterator[Client]:
    """Frigate's client on mosquitto, Home Assistant's MQTT on it, a Frigate source.

    The source has no settle window (0 s) and no Frigate URL: what is measured is the way of a
    read, not the window's wait nor Frigate's encoding of its snapshot.
    """
    with (
        tempfile.TemporaryDirectory() as directory,
        patch.object(frigate_messages, "SETTLE_SECONDS", 0),
    ):
        broker = Mosquitto(free_port(), Path(directory))
        await broker.start()
        # The mqtt integration reads its YAML from configuration.yaml: an empty one.
        hass.config.config_dir = directory
        (Path(directory) / "configuration.yaml").write_text("{}\n")
        mqtt_data = {"broker": "127.0.0.1", "port": broker.port}
        await setup_entry(hass, mqtt_data, "mqtt", version=1, minor_version=2)
        await setup_entry(
            hass,
            {
                "kind": "source",
                "source_type": "frigate",
                "source_form": "source_frigate",
                "camera": CAMERA,
                "url": "",
                "topic_prefix": "frigate",
            },
        )
        available = ("frigate/available", "online", True)
        await asyncio.to_thread(publish_messages, broker.port, available)
        # Subscribed once Frigate's retained word came through.
        await until(lambda: hass.states.is_state("binary_sensor.benchmark_camera_connection", "on"))
        # Frigate's own client: its network thread sends what it publishes.
        client = Client(CallbackAPIVersion.VERSION2)
        client.connect("127.0.0.1", broker.port)
        client.loop_start()
        await until(client.is_connected)
        try:
            yield client
        finally:
            client.disconnect()
            client.loop_stop()
            await broker.stop()


async def frigate_latency(hass: HomeAssistant, count: int) -> list[float]:
    plates = car_plates()
    async with frigate(hass) as client:

        async def publish() -> float:
            payload = plate_update(new_object_id(), next(plates), score=0.9)
            sent = time.perf_counter()
            client.publish("frigate/tracked_object_update", payload)
            return sent

        return await measure_latency(hass, publish, count)


@asynccontextmanager
async def home_assistant() -> AsyncIterator[HomeAssistant]:
    """Real Home Assistant that loads custom_components/, in a temporary configuration folder.

    Not the test plugin's own folder: the plate log's database and the pictures would stay
    there for the next run (of this checkout or another on the same venv) to find.
    """
    # A picture the plate log saves as Home Assistant stops can land while the folder goes.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as config:
        async with async_test_home_assistant(config_dir=config) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # let custom_components/ load
            hass.config.media_dirs = {"local": str(Path(config, "media"))}
            yield hass
            await hass.async_block_till_done()  # the last saves
            await hass.async_stop(force=True)


async def print_latency_figures(count: int) -> None:
    print("Latency from the camera's send to the bus event, inside Home Assistant")
    for name, scenario in (("TCP", tcp_latency), ("HTTP", http_latency), ("RTSP", rtsp_latency)):
        async with home_assistant() as hass:
            print_latency(name, await scenario(hass, count))
    if mosquitto_path() is None:
        print("  MQTT  skipped: mosquitto is not installed (apt-get install mosquitto)")
        return
    async with home_assistant() as hass:
        print_latency("MQTT", await frigate_latency(hass, count))


async def print_loop_hold_figures(count: int) -> None:
    async with home_assistant() as hass:
        size, longest = await large_post_loop_holds(hass, count)
    print(
        f"Event loop held by one HTTP post of {size / 1e6:.1f} MB (a 3 MB full picture as base64),"
        f" longest single callback: median {statistics.median(longest):.1f} ms,"
        f" worst {max(longest):.1f} ms ({count} posts)"
    )


PLATE_LOG_DAYS = 30
PLATE_LOG_CAMERAS = 4
PLATE_LOG_PLATES = 3000


def plate_log_reads(count: int, now: datetime) -> Iterator[LoggedRead]:
    """Reads as a site makes them: a few hundred regulars most of the time, many passers-by."""
    rng = random.Random(10)
    plates = [
        f"{rng.choice('ABCDEFGHKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHKLMNPRSTUVWXYZ')}"
        f"{rng.randint(100, 9999)}{rng.choice('ABCDEFGHKLMNPRSTUVWXYZ')}"
        for _ in range(PLATE_LOG_PLATES)
    ]
    regulars = plates[:300]
    start = now - timedelta(days=PLATE_LOG_DAYS)
    step = timedelta(days=PLATE_LOG_DAYS) / count
    for number in range(count):
        at = start + step * number
        camera = f"camera{number % PLATE_LOG_CAMERAS}"
        plate = rng.choice(regulars if rng.random() < 0.7 else plates)
        stem = f"{at:%H%M%S}_{plate}"
        yield LoggedRead(
            fields={
                "time": at.isoformat(),
                "filed_at": at.isoformat(),
                "config_entry_id": camera,
                "camera": camera.title(),
                "plate": plate,
                "direction": rng.choice(("approaching", "departing")),
                "event_type": "known" if plate in regulars[:50] else "unknown",
                "repeat": rng.random() < 0.2,
                "vehicle_type": "car",
                "vehicle_colour": "white",
                "speed": 24.0,
                "confidence": 0.9,
                "plate_box": {"x1": 540, "y1": 500, "x2": 740, "y2": 550},
                "resolution": [1920, 1080],
            },
            folder=f"{camera}/{at:%Y-%m-%d}",
            pictures={"plate": f"{stem}_plate.jpg", "full": f"{stem}_full.jpg"},
        )


def median_ms(action: Callable[[], object], runs: int = 7) -> float:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def print_plate_log_figures(count: int) -> None:
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "plate_log.db")
        database = PlateLogDatabase(path)
        reads = list(plate_log_reads(count, now))
        started = time.perf_counter()
        for first in range(0, count, 500):
            database.insert(reads[first : first + 500])
        written = time.perf_counter() - started
        database.analyze()  # as the plate log's hourly upkeep does
        slip = reads[-1].plate.replace("B", "8", 1).replace("0", "O", 1)
        figures = {
            "first page (50 reads)": lambda: database.reads(ReadFilter()),
            "first page of one camera's unknown plates": lambda: database.reads(
                ReadFilter(config_entry_ids=["camera1"], event_types=["unknown"])
            ),
            "fuzzy search (one OCR slip, tolerance 1)": lambda: database.reads(
                ReadFilter(plate=slip)
            ),
            "30-day statistics": lambda: database.statistics(
                now - timedelta(days=30), ZoneInfo("Europe/Berlin")
            ),
            "plates of the last 7 days (100)": lambda: database.plates(
                ReadFilter(start=now - timedelta(days=7))
            ),
        }
        print(
            f"Plate log: {count} reads, {PLATE_LOG_PLATES} plates, {PLATE_LOG_CAMERAS} cameras, "
            f"{PLATE_LOG_DAYS} days (written in {written:.1f} s, in batches of 500)"
        )
        for name, action in figures.items():
            print(f"  {name}: {median_ms(action):.1f} ms (median of 7)")
        database.close()  # the write-ahead log is folded into the file
        print(f"  database size: {path.stat().st_size / count:.0f} bytes per read")


# 4. The recorder and memory of a Home Assistant process of its own.

DEMO_VENV = ROOT / ".venv" / "demo"
INTEGRATION = ROOT / "custom_components" / "lpr_camera"
RECORDER_READS = 20_000
WARM_UP_READS = 8_000
# Vehicles come and go, as at a busy gate: each arrives (a plate not read before) and leaves ten
# arrivals later, so every read is news to the site and about ten vehicles are on site.
ON_SITE = 10
# The reads come a thousand times faster than at a busy gate. Those waiting for the recorder (in
# its queue and its open session) count in the resident set, where at a gate there are none: the
# recorder commits every second (its default is 5 s), and the reads are paced so that at most
# MAX_BACKLOG of them wait for it, checked every PACE_CHECK reads.
COMMIT_INTERVAL = 1
MAX_BACKLOG = 100
PACE_CHECK = 10
START_TIMEOUT = 300
BARE_DOMAIN = "lpr_bare"
BARE_WEBHOOK = "lpr-bare"
# A bare integration: it fires the event data it is posted, and has no entities.
BARE_MANIFEST = {
    "domain": BARE_DOMAIN,
    "name": "Bare reads",
    "codeowners": [],
    "dependencies": ["webhook"],
    "documentation": "https://example.invalid",
    "iot_class": "local_push",
    "requirements": [],
    "version": "1.0.0",
}
BARE_INTEGRATION = f"""\
from aiohttp import web
from homeassistant.components import webhook


async def async_setup(hass, config):
    async def handle(hass, webhook_id, request):
        posted = await request.json()
        hass.bus.async_fire("{EVENT_PLATE_RECOGNIZED}", posted["event_data"])
        return web.Response()

    webhook.async_register(hass, "{BARE_DOMAIN}", "Bare reads", "{BARE_WEBHOOK}", handle)
    return True
"""


@dataclasses.dataclass(frozen=True)
class CameraPost:
    """One read as an HTTP camera of recent firmware posts it, pictures included."""

    plate: str
    time: datetime
    body: dict[str, Any]

    @classmethod
    def make(cls, number: int, pictures: dict[str, str]) -> CameraPost:
        """Read `number`: an even one a vehicle arriving, an odd one a vehicle leaving."""
        vehicle, leaving = divmod(number, 2)
        plate = f"BM{vehicle if leaving else vehicle + ON_SITE:06d}"
        time = datetime.now(UTC)  # Home Assistant's time zone is UTC
        body = http_post.camera_post(
            plate,
            time=f"{time:%Y-%m-%d %H:%M:%S.%f}"[:-3],
            type="Visitor",
            speed=str(10 + number % 21),
            direction="Away" if leaving else "Approach",
            vehicle_color="White",
            **{"Vehicle Brand": "Volvo"},
            **pictures,
        )
        return cls(plate, time, body)


def small_pictures() -> dict[str, str]:
    """A plate crop (1.5 KB) and a small full picture (6 KB), as base64."""
    return {
        "plate_image": base64.b64encode(sample_read("AB1234").plate_image or b"").decode(),
        "full_image": base64.b64encode(make_jpeg(320, 180, "AB1234")).decode(),
    }


@dataclasses.dataclass(frozen=True)
class DatabaseFigures:
    """The bytes the database's pages hold, those of each table, and the state rows per entity."""

    bytes_in_use: int
    table_bytes: dict[str, int]
    state_rows: dict[str, int]


class RecorderDatabase:
    """Home Assistant's database, read beside the recorder: it writes ahead, readers see commits."""

    def __init__(self, path: Path) -> None:
        """The database at path, opened read only for each question."""
        self.path = path

    def _query(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    def events(self, event_type: str) -> int:
        """How many events of this type are committed."""
        rows = self._query(
            "SELECT COUNT(*) FROM events JOIN event_types USING (event_type_id)"
            " WHERE event_types.event_type = ?",
            event_type,
        )
        return int(rows[0][0])

    def last_event_data(self, event_type: str) -> dict[str, Any]:
        """The data of the newest event of this type, as the recorder keeps it."""
        rows = self._query(
            "SELECT shared_data FROM events JOIN event_types USING (event_type_id)"
            " JOIN event_data USING (data_id) WHERE event_types.event_type = ?"
            " ORDER BY time_fired_ts DESC LIMIT 1",
            event_type,
        )
        data: dict[str, Any] = json.loads(rows[0][0])
        return data

    def figures(self) -> DatabaseFigures:
        """What the database holds now; a table's bytes include its indexes'."""
        page_size, pages, free = self._query(
            "SELECT page_size, page_count, freelist_count"
            " FROM pragma_page_size, pragma_page_count, pragma_freelist_count"
        )[0]
        tables = self._query(
            "SELECT coalesce(schema.tbl_name, dbstat.name), SUM(dbstat.pgsize) FROM dbstat"
            " LEFT JOIN sqlite_schema AS schema USING (name) GROUP BY 1"
        )
        states = self._query(
            "SELECT states_meta.entity_id, COUNT(*) FROM states"
            " JOIN states_meta USING (metadata_id) GROUP BY metadata_id"
        )
        return DatabaseFigures((pages - free) * page_size, dict(tables), dict(states))


@dataclasses.dataclass
class HomeAssistantProcess:
    """A Home Assistant process on a configuration of its own, logged in as its owner."""

    process: subprocess.Popen[bytes]
    api: demo_api.HomeAssistantApi
    config: Path

    @property
    def database(self) -> RecorderDatabase:
        """The recorder's database."""
        return RecorderDatabase(self.config / "home-assistant_v2.db")

    @property
    def rss(self) -> int:
        """Its resident set, in bytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = next(line.split()[1] for line in status.splitlines() if line[:6] == "VmRSS:")
        return int(kilobytes) * 1024

    def log_tail(self, lines: int = 30) -> str:
        """The end of its log, for a failure."""
        log = self.config / "home-assistant.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def venv_python(venv: Path) -> str:
    # Absolute: Home Assistant runs in its configuration folder.
    return str(venv.absolute() / "bin" / "python")


def write_configuration(config: Path, venv: Path, port: int, integration: Path | None) -> None:
    """The recorder on, the integration linked in (or the bare one), the owner yet to onboard."""
    seed = [
        venv_python(venv),
        str(ROOT / "scripts" / "demo_api.py"),
        "seed",
        str(config),
        str(port),
    ]
    subprocess.run(seed, check=True)  # noqa: S603 - our own script
    # Seed links this checkout's integration in, as the demo's: the benchmark links its own.
    (config / "custom_components" / DOMAIN).unlink()
    if integration is not None:
        (config / "custom_components" / DOMAIN).symlink_to(integration.resolve())
    else:
        bare = config / "custom_components" / BARE_DOMAIN
        bare.mkdir()
        (bare / "manifest.json").write_text(json.dumps(BARE_MANIFEST))
        (bare / "__init__.py").write_text(BARE_INTEGRATION)
    # No default_config: what the demo has, and nothing that reaches the internet.
    yaml = [
        "homeassistant:",
        "  time_zone: UTC",
        "  unit_system: metric",
        f"  internal_url: http://127.0.0.1:{port}",
        "  media_dirs:",
        f"    local: {config / 'media'}",
        "config:",
        "history:",
        "logbook:",
        "recorder:",
        f"  commit_interval: {COMMIT_INTERVAL}",
        "logger:",
        "  default: warning",
    ]
    if not (config / ".storage" / "http").exists():  # before 2026: see demo_api.py seed
        yaml += ["http:", "  server_host: 127.0.0.1", f"  server_port: {port}"]
    if integration is None:
        yaml.append(f"{BARE_DOMAIN}:")
    (config / "configuration.yaml").write_text("\n".join(yaml) + "\n")


@contextmanager
def home_assistant_process(
    venv: Path, config: Path, integration: Path | None
) -> Iterator[HomeAssistantProcess]:
    """Start Home Assistant on a new configuration in `config`, onboarded; stop it after."""
    port = free_port()
    write_configuration(config, venv, port, integration)
    # Not bin/hass: its first line names the folder the venv was built in.
    command = [venv_python(venv), "-m", "homeassistant", "--config", str(config), "--skip-pip"]
    with (config / "hass.out").open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - Home Assistant of our venv
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # Run from this checkout, python -m would find its custom_components first.
            cwd=config,
        )
    # Reaped as soon as it ends, so that demo_api's watch on its pid notices a crash.
    threading.Thread(target=process.wait, daemon=True).start()
    api = demo_api.HomeAssistantApi(f"http://127.0.0.1:{port}")
    running = HomeAssistantProcess(process, api, config)
    try:
        with redirect_stdout(io.StringIO()):  # "created the owner"
            demo_api.onboard_or_login(api, START_TIMEOUT, [process.pid])
        demo_api.wait_for(
            "Home Assistant to finish starting",
            lambda: True if api.request("GET", "/api/config")["state"] == "RUNNING" else None,
            START_TIMEOUT,
            [process.pid],
        )
        yield running
    except (demo_api.DemoError, RuntimeError) as err:
        log = f"--- end of {config}/home-assistant.log:\n{running.log_tail()}"
        raise RuntimeError(f"{err}\n{log}") from err
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def add_http_camera(api: demo_api.HomeAssistantApi) -> str:
    """Add a camera of the HTTP type through the config flow; return its webhook's path."""
    flows = "/api/config/config_entries/flow"
    flow = api.request("POST", flows, {"handler": DOMAIN, "show_advanced_options": False})
    flow = api.request("POST", f"{flows}/{flow['flow_id']}", {"next_step_id": CONNECTION_HTTP})
    path = URL(flow["description_placeholders"]["post_url"]).path
    result = api.request("POST", f"{flows}/{flow['flow_id']}", {"name": "Gate"})
    if result.get("type") != "create_entry":
        raise RuntimeError(f"the config flow did not add the camera: {result}")

    def camera_and_site() -> list[dict[str, Any]] | None:
        entries = api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
        settled = all(entry["state"] in demo_api.SETTLED for entry in entries)
        return entries if len(entries) == 2 and settled else None

    entries = demo_api.wait_for("the camera and the site to set up", camera_and_site, 60)
    if any(entry["state"] != "loaded" for entry in entries):
        raise RuntimeError(f"the camera or the site did not set up: {entries}")
    return path


def wait_for_recorder(database: RecorderDatabase, reads: int, timeout: float = 120) -> None:
    """Until the recorder committed the events of `reads` reads."""
    deadline = time.monotonic() + timeout
    while database.events(EVENT_PLATE_RECOGNIZED) < reads:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the recorder did not commit {reads} reads in {timeout:.0f} s")
        time.sleep(0.05)


@dataclasses.dataclass
class RecorderRun:
    """What the reads cost one Home Assistant process."""

    reads: int
    seconds: float
    before: DatabaseFigures
    after: DatabaseFigures
    rss: dict[int, int]  # resident set by reads posted
    last_event_data: dict[str, Any]
    last_post: CameraPost

    @property
    def bytes_per_read(self) -> float:
        """The database's growth per read."""
        return (self.after.bytes_in_use - self.before.bytes_in_use) / self.reads

    @property
    def rss_growth(self) -> int:
        """The resident set's growth over the reads."""
        return self.rss[self.reads] - self.rss[0]


def push_reads(
    running: HomeAssistantProcess,
    path: str,
    reads: int,
    event_data: Callable[[CameraPost], dict[str, Any]] | None = None,
) -> RecorderRun:
    """Post the reads one after the other, each once the one before was answered.

    With `event_data`, each post also carries the event data the bare integration fires.
    """
    database = running.database
    time.sleep(COMMIT_INTERVAL + 1)  # the setup's states committed
    before = database.figures()
    rss = {0: running.rss}
    pictures = small_pictures()
    url = URL(running.api.url)
    connection = http.client.HTTPConnection(url.host or "127.0.0.1", url.port, timeout=30)
    started = time.perf_counter()
    post = CameraPost.make(0, pictures)
    for number in range(reads):
        if number % PACE_CHECK == 0:
            wait_for_recorder(database, number - MAX_BACKLOG)
        post = CameraPost.make(number, pictures)
        body = post.body if event_data is None else post.body | {"event_data": event_data(post)}
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != HTTPStatus.OK:
            raise RuntimeError(f"read {number}: the webhook answered {response.status}")
        if number + 1 == WARM_UP_READS:
            rss[WARM_UP_READS] = running.rss
    connection.close()
    wait_for_recorder(database, reads)
    seconds = time.perf_counter() - started
    time.sleep(COMMIT_INTERVAL + 1)  # what followed the last read committed too
    rss[reads] = running.rss
    last_event_data = database.last_event_data(EVENT_PLATE_RECOGNIZED)
    return RecorderRun(reads, seconds, before, database.figures(), rss, last_event_data, post)


def bare_event_data(ours: RecorderRun) -> Callable[[CameraPost], dict[str, Any]]:
    """Our last read's event data, with each post's plate and time, for the bare integration."""
    template = json.dumps(ours.last_event_data)
    last = ours.last_post
    last_time = datetime.fromisoformat(ours.last_event_data["time"])

    def event_data(post: CameraPost) -> dict[str, Any]:
        text = template
        for old, new in (
            (last.plate, post.plate),
            (last.body["time"], post.body["time"]),
            (last_time.isoformat(), (last_time + (post.time - last.time)).isoformat()),
        ):
            text = text.replace(json.dumps(old), json.dumps(new))
        data: dict[str, Any] = json.loads(text)
        return data

    return event_data


def recorder_run(
    venv: Path, reads: int, integration: Path | None, bare_of: RecorderRun | None = None
) -> RecorderRun:
    """Post the reads to the integration's camera, or else to the bare integration."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder, "config")
        with home_assistant_process(venv, config, integration) as running:
            if bare_of is None:
                return push_reads(running, add_http_camera(running.api), reads)
            path = f"/api/webhook/{BARE_WEBHOOK}"
            return push_reads(running, path, reads, bare_event_data(bare_of))


def print_recorder_run(name: str, run: RecorderRun) -> None:
    rss = [f"{run.rss[0] / 1e6:.0f} MB"]
    rss += [f"+{(run.rss[n] - run.rss[0]) / 1e6:.0f} MB after {n:,}" for n in sorted(run.rss)[1:]]
    print(
        f"  {name}: {run.bytes_per_read:,.0f} bytes per read in the recorder's database;"
        f" resident set {', '.join(rss)} ({run.reads / run.seconds:.0f} reads/s)"
    )
    tables = {
        table: (size - run.before.table_bytes.get(table, 0)) / run.reads
        for table, size in run.after.table_bytes.items()
    }
    print(
        "    per read, by table with its indexes: "
        + ", ".join(f"{table} {size:.0f}" for table, size in _largest(tables) if size >= 1)
        + " bytes"
    )
    states = {
        entity_id: (rows - run.before.state_rows.get(entity_id, 0)) / run.reads
        for entity_id, rows in run.after.state_rows.items()
    }
    if changing := [
        f"{entity_id} {rows:.2f}" for entity_id, rows in _largest(states) if rows >= 0.01
    ]:
        print("    state rows per read: " + ", ".join(changing))


def _largest(figures: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(figures.items(), key=lambda item: -item[1])


def print_recorder_figures(reads: int, integration: Path, venv: Path) -> None:
    version = subprocess.run(  # noqa: S603 - our venv's Python
        [
            venv_python(venv),
            "-c",
            "from homeassistant.const import __version__; print(__version__)",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"Recorder and memory: {reads:,} reads posted to a camera of the HTTP type in Home"
        f" Assistant {version} ({integration})"
    )
    ours = recorder_run(venv, reads, integration)
    print_recorder_run("this integration", ours)
    bare = recorder_run(venv, reads, None, bare_of=ours)
    print_recorder_run("a bare integration firing the same event data", bare)
    print(
        f"  this integration above the bare one: "
        f"{ours.bytes_per_read - bare.bytes_per_read:,.0f} bytes per read, resident set "
        f"{(ours.rss_growth - bare.rss_growth) / 1e6:+.0f} MB over {reads:,} reads"
        " (the aims: 1 KB and 10 MB at most)"
    )


def run_long_property_pass() -> int:
    """Every property-based test, with the long Hypothesis profile of tests/conftest.py."""
    command = [sys.executable, "-m", "pytest", "tests", "-m", "hypothesis", "-q"]
    command += ["-p", "no:cacheprovider", "--timeout=0"]
    environment = os.environ | {"LPR_HYPOTHESIS_PROFILE": "long"}
    return subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packets", type=int, default=2000, help="packets per decoder run")
    parser.add_argument(
        "--reads", type=int, help="reads per latency run (1,000) or recorder run (20,000)"
    )
    parser.add_argument("--posts", type=int, default=50, help="4 MB posts for the loop hold")
    parser.add_argument(
        "--plate-log-reads", type=int, default=100_000, help="reads in the plate log's database"
    )
    parser.add_argument(
        "--plate-log", action="store_true", help="print the plate log's figures only"
    )
    parser.add_argument("--latency", action="store_true", help="print the latency figures only")
    parser.add_argument(
        "--properties", action="store_true", help="run the long property-based test pass instead"
    )
    parser.add_argument(
        "--recorder",
        action="store_true",
        help="print the recorder's and memory figures of a Home Assistant process only",
    )
    parser.add_argument(
        "--integration", type=Path, default=INTEGRATION, help="the integration's folder to run"
    )
    parser.add_argument(
        "--venv", type=Path, default=DEMO_VENV, help="the venv whose Home Assistant runs"
    )
    args = parser.parse_args()
    if args.properties:
        sys.exit(run_long_property_pass())
    if args.plate_log:
        print_plate_log_figures(args.plate_log_reads)
        return
    if args.recorder:
        print_recorder_figures(args.reads or RECORDER_READS, args.integration, args.venv)
        return
    if args.latency:
        asyncio.run(print_latency_figures(args.reads or LATENCY_READS))
        return
    print_decoder_figures(args.packets)
    asyncio.run(print_latency_figures(args.reads or LATENCY_READS))
    asyncio.run(print_loop_hold_figures(args.posts))
    print_plate_log_figures(args.plate_log_reads)


if __name__ == "__main__":
    main()
