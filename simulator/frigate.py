"""A Frigate for the tests, the benchmark and the demo: its broker, its MQTT messages, its API.

    python -m simulator.frigate --mqtt-port 5883 --api-port 5500 --interval 5

runs Debian's mosquitto on 127.0.0.1:--mqtt-port and plays a Frigate 0.16 whose camera
`driveway` reads one of the demo's plates every --interval seconds: a few `tracked_object_update`
messages whose score rises as the car comes closer (the first a misread), then the object's
`events` message, and its snapshot at `GET /api/events/<id>/snapshot.jpg` on 127.0.0.1:--api-port.
scripts/demo runs it when mosquitto is installed. The messages are those Frigate's documentation
shows (docs/docs/integrations/mqtt.md in blakeblackshear/frigate).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import random
import shutil
import signal
import string
import tempfile
import time
from pathlib import Path
from typing import Any

from paho.mqtt import publish
from paho.mqtt.client import Client
from paho.mqtt.enums import CallbackAPIVersion

from custom_components.lpr_camera.lpr.frigate import snapshot_path

from .camera_web import CameraWebServer
from .reads import DEMO_PLATES, make_snapshot

_LOGGER = logging.getLogger(__name__)
PREFIX = "frigate"
CAMERA = "driveway"
VERSION = b"0.16.4"
# Snapshots of the latest objects the simulated Frigate serves.
SNAPSHOTS_KEPT = 20
# mosquitto starts within a second; nothing else waits this long.
START_LIMIT = 10.0


def mosquitto_path() -> str | None:
    """Debian's mosquitto, which is in /usr/sbin (outside the PATH of a user but root)."""
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


class Mosquitto:
    """mosquitto on a port of 127.0.0.1: anonymous, its own configuration, no persistence."""

    def __init__(self, port: int, directory: Path) -> None:
        """Listen on the port; the configuration and the log go to the directory."""
        self.port = port
        self._directory = directory
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it, and wait until it takes connections."""
        executable = mosquitto_path()
        if executable is None:
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        config = self._directory / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence false\n"
            "log_dest stderr\n"
            "log_type error\n"
            "log_type warning\n"
        )
        log = self._directory / "mosquitto.log"
        with log.open("wb") as stderr:
            self._process = await asyncio.create_subprocess_exec(
                executable, "-c", str(config), stdout=asyncio.subprocess.DEVNULL, stderr=stderr
            )
        deadline = time.monotonic() + START_LIMIT
        while not await self._takes_connections():
            if self._process.returncode is not None or time.monotonic() > deadline:
                await self.stop()
                raise RuntimeError(f"mosquitto did not start: {log.read_text(errors='replace')}")
            await asyncio.sleep(0.05)

    async def _takes_connections(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True

    async def stop(self) -> None:
        """Stop it (it keeps nothing)."""
        if self._process is None or self._process.returncode is not None:
            return
        self._process.terminate()
        try:
            async with asyncio.timeout(START_LIMIT):
                await self._process.wait()
        except TimeoutError:
            self._process.kill()
            await self._process.wait()


def new_object_id() -> str:
    """An id as Frigate gives its tracked objects: its start time and six random letters."""
    letters = random.choices(string.ascii_lowercase + string.digits, k=6)  # noqa: S311
    return f"{time.time():.6f}-{''.join(letters)}"


def plate_update(
    object_id: str,
    plate: str,
    *,
    score: float,
    camera: str = CAMERA,
    name: str | None = None,
    plate_box: list[int] | None = None,
) -> bytes:
    """A `tracked_object_update` of type lpr, as Frigate sends one at each better read."""
    message: dict[str, Any] = {
        "type": "lpr",
        "id": object_id,
        "name": name,
        "plate": plate,
        "score": score,
        "camera": camera,
        "timestamp": time.time(),
    }
    if plate_box is not None:  # since Frigate 0.18
        message["plate_box"] = plate_box
    return json.dumps(message).encode()


def event(
    object_id: str,
    plate: str | None,
    *,
    score: float | None,
    camera: str = CAMERA,
    zones: tuple[str, ...] = (),
) -> bytes:
    """An `events` update of a car, with the plate Frigate recognised (None: not yet)."""
    now = time.time()
    car = {
        "id": object_id,
        "camera": camera,
        "frame_time": now,
        "label": "car",
        "sub_label": None,
        "top_score": 0.9,
        "false_positive": False,
        "start_time": float(object_id.partition("-")[0]),
        "end_time": None,
        "score": 0.85,
        "box": [424, 500, 536, 712],
        "current_zones": list(zones),
        "entered_zones": list(zones),
        "has_snapshot": True,
        "has_clip": False,
        "active": True,
        "stationary": False,
        "recognized_license_plate": plate,
        "recognized_license_plate_score": score,
    }
    return json.dumps({"type": "update", "before": car, "after": car}).encode()


def publish_messages(port: int, *messages: tuple[str, bytes | str, bool]) -> None:
    """Publish (topic, payload, retain) in order, as a plain MQTT client; blocks until sent."""
    publish.multiple(
        [
            {"topic": topic, "payload": payload, "retain": retain}
            for topic, payload, retain in messages
        ],
        hostname="127.0.0.1",
        port=port,
    )


def frigate_api(pictures: dict[str, bytes], port: int = 0) -> CameraWebServer:
    """Frigate's API as far as the source goes: its version, and the snapshots in `pictures`."""
    pictures["/api/version"] = VERSION
    return CameraWebServer(auth=None, pictures=pictures, port=port)


def misread(plate: str) -> str:
    """The plate as a far first read has it: its last letter or digit lost."""
    return plate[:-1] if len(plate) > 1 else plate


async def _play(client: Client, api: CameraWebServer, interval: float) -> None:
    """A car on the driveway every interval: its plate read better as it comes closer."""
    plates = itertools.cycle(random.sample(DEMO_PLATES, len(DEMO_PLATES)))
    snapshots: list[str] = []
    topic = f"{PREFIX}/tracked_object_update"
    while True:
        await asyncio.sleep(interval)
        plate, object_id = next(plates), new_object_id()
        snapshots.append(path := snapshot_path(object_id))
        api.pictures[path] = await asyncio.to_thread(make_snapshot, plate)
        if len(snapshots) > SNAPSHOTS_KEPT:
            del api.pictures[snapshots.pop(0)]
        for read, score in ((misread(plate), 0.62), (plate, 0.81), (plate, 0.93)):
            client.publish(topic, plate_update(object_id, read, score=score))
            await asyncio.sleep(0.3)
        client.publish(f"{PREFIX}/events", event(object_id, plate, score=0.93, zones=(CAMERA,)))
        _LOGGER.info("Frigate read %s on %s (object %s)", plate, CAMERA, object_id)


async def _serve_demo(args: argparse.Namespace) -> None:
    # scripts/demo stops it with SIGTERM: the broker (a process of its own) stops with it.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    with tempfile.TemporaryDirectory() as directory:
        broker = Mosquitto(args.mqtt_port, Path(directory))
        api = frigate_api({}, args.api_port)
        await broker.start()
        await api.start()
        client = Client(CallbackAPIVersion.VERSION2, client_id="frigate")
        client.will_set(f"{PREFIX}/available", "offline", retain=True)
        client.connect("127.0.0.1", broker.port)
        client.loop_start()
        client.publish(f"{PREFIX}/available", "online", retain=True)
        _LOGGER.info("Frigate on MQTT 127.0.0.1:%d, its API on 127.0.0.1:%d", broker.port, api.port)
        try:
            await _play(client, api, args.interval)
        finally:
            client.publish(f"{PREFIX}/available", "stopped", retain=True).wait_for_publish(1)
            client.disconnect()
            client.loop_stop()
            await api.stop()
            await broker.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the broker and the simulated Frigate until interrupted."""
    parser = argparse.ArgumentParser(description="A simulated Frigate reading plates, over MQTT.")
    parser.add_argument("--mqtt-port", type=int, required=True, help="mosquitto's port")
    parser.add_argument("--api-port", type=int, required=True, help="Frigate's API's port")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between cars")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        asyncio.run(_serve_demo(args))


if __name__ == "__main__":
    main()
