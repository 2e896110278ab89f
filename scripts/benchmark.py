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
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import dataclasses
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
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
    """Real Home Assistant that loads custom_components/, with its media in a temporary folder."""
    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # let custom_components/ load
        # The picture history (on by default) saves each read: not into the test plugin.
        with tempfile.TemporaryDirectory() as media:
            hass.config.media_dirs = {"local": media}
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


def run_long_property_pass() -> int:
    """Every property-based test, with the long Hypothesis profile of tests/conftest.py."""
    command = [sys.executable, "-m", "pytest", "tests", "-m", "hypothesis", "-q"]
    command += ["-p", "no:cacheprovider", "--timeout=0"]
    environment = os.environ | {"LPR_HYPOTHESIS_PROFILE": "long"}
    return subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packets", type=int, default=2000, help="packets per decoder run")
    parser.add_argument("--reads", type=int, default=1000, help="reads per latency run")
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
    args = parser.parse_args()
    if args.properties:
        sys.exit(run_long_property_pass())
    if args.plate_log:
        print_plate_log_figures(args.plate_log_reads)
        return
    if args.latency:
        asyncio.run(print_latency_figures(args.reads))
        return
    print_decoder_figures(args.packets)
    asyncio.run(print_latency_figures(args.reads))
    asyncio.run(print_loop_hold_figures(args.posts))
    print_plate_log_figures(args.plate_log_reads)


if __name__ == "__main__":
    main()
