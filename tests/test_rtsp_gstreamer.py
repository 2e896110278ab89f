"""End to end: the RTSP type against a real RTSP server, GStreamer's gst-rtsp-server.

The camera (tests/gst_rtsp_camera.py) runs under Debian's /usr/bin/python3 with its
python3-gi and gst-rtsp-server: JPEG video plus an ONVIF metadata track, behind Digest. Home
Assistant plays the metadata track through the integration, and the pictures the events name
come from the tests' camera web server. Without those packages the test is skipped, except
in CI (CI=true), where it fails: .ci/run installs them.
"""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant, State
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONF_HTTP_PORT,
    CONF_PATH,
    CONNECTION_RTSP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from simulator.camera_web import CameraWebServer
from simulator.http_auth import CameraAuth
from simulator.onvif_documents import SEED_PICTURE, SEED_PLATE, metadata_stream, seed_event

from .common import wait_for

DEBIAN_PYTHON = Path("/usr/bin/python3")
CAMERA_SCRIPT = Path(__file__).with_name("gst_rtsp_camera.py")
PACKAGES = (
    "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good"
)
USERNAME = "admin"
PASSWORD = "gst-secret"
STREAM_PATH = "/main"
# Starting GStreamer and building its plugin registry on a first run; nothing else waits this long.
START_LIMIT = 30.0

PLATE = "sensor.lpr_camera_127_0_0_1_last_plate"
CONNECTION = "binary_sensor.lpr_camera_127_0_0_1_connection"
PLATE_IMAGE = "image.lpr_camera_127_0_0_1_plate_picture"

# Plate, picture path, speed, direction: the seed's Korean plate comes last, so it stays.
READS = (
    ("B 77", "/LPR/20240301102030.jpg", "40km/h", "2"),
    ("HH LP 2024", "/LPR/20240301102031.jpg", "12km/h", "0"),
    (SEED_PLATE, SEED_PICTURE, "25km/h", "1"),
)
PICTURES = {
    path: b"\xff\xd8" + f"picture of {plate}".encode() + b"\xff\xd9" for plate, path, *_ in READS
}


def gstreamer_missing() -> str | None:
    """Why Debian's GStreamer camera cannot run here, or None when it can."""
    if not DEBIAN_PYTHON.is_file():
        return f"{DEBIAN_PYTHON} does not exist"
    check = subprocess.run(  # noqa: S603 - fixed arguments
        [DEBIAN_PYTHON, "-I", CAMERA_SCRIPT, "--check"],
        capture_output=True,
        text=True,
        timeout=START_LIMIT,
        check=False,
    )
    if check.returncode != 0:
        return (check.stdout + check.stderr).strip() or f"exit status {check.returncode}"
    return None


@pytest.fixture(scope="module")
def gstreamer() -> None:
    """Skip (fail in CI) when Debian's python3-gi and gst-rtsp-server are not installed."""
    reason = gstreamer_missing()
    if reason is None:
        return
    message = f"GStreamer's RTSP server is not usable ({reason}); apt-get install {PACKAGES}"
    if os.environ.get("CI", "").lower() in {"true", "1"}:
        pytest.fail(f"CI must run the GStreamer test: {message}")
    pytest.skip(message)


@dataclass
class GstCamera:
    """The running tests/gst_rtsp_camera.py."""

    process: asyncio.subprocess.Process
    port: int

    async def send(self, document: bytes) -> None:
        """Have the camera send one metadata document on its metadata track."""
        assert self.process.stdin is not None
        self.process.stdin.write(base64.b64encode(document) + b"\n")
        await self.process.stdin.drain()


async def stop_process(process: asyncio.subprocess.Process) -> None:
    """Close its stdin (it exits then); kill it when it does not."""
    if process.stdin is not None:
        process.stdin.close()
    try:
        async with asyncio.timeout(10):
            await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()


@pytest.fixture
async def gst_camera(gstreamer: None) -> AsyncIterator[GstCamera]:
    """GStreamer's RTSP server on a free port of 127.0.0.1, serving STREAM_PATH."""
    process = await asyncio.create_subprocess_exec(
        DEBIAN_PYTHON,
        "-I",
        CAMERA_SCRIPT,
        "--username",
        USERNAME,
        "--password",
        PASSWORD,
        "--path",
        STREAM_PATH,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(START_LIMIT):
            line = await process.stdout.readline()
        if not line.strip().isdigit():
            pytest.fail(f"the GStreamer camera did not start (its output: {line!r}; see stderr)")
        yield GstCamera(process, int(line))
    finally:
        await stop_process(process)


def state(hass: HomeAssistant, entity_id: str) -> State:
    current = hass.states.get(entity_id)
    assert current is not None, f"{entity_id} does not exist"
    return current


@pytest.fixture
async def camera_web() -> AsyncIterator[CameraWebServer]:
    server = CameraWebServer(auth=CameraAuth(USERNAME, PASSWORD), pictures=dict(PICTURES))
    await server.start()
    yield server
    await server.stop()


async def test_reads_from_gstreamer_rtsp_server(
    hass: HomeAssistant,
    gst_camera: GstCamera,
    camera_web: CameraWebServer,
    hass_client: ClientSessionGenerator,
) -> None:
    """Plates in GStreamer's metadata track are reads; their pictures come from the web port."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="LPR camera 127.0.0.1",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_RTSP,
            CONF_HOST: "127.0.0.1",
            CONF_PORT: gst_camera.port,
            CONF_PATH: STREAM_PATH,
            CONF_HTTP_PORT: camera_web.port,
            CONF_USERNAME: USERNAME,
            CONF_PASSWORD: PASSWORD,
        },
    )
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # PLAY was answered: from now on the metadata track reaches Home Assistant.
    await wait_for(lambda: state(hass, CONNECTION).state == "on")

    for plate, picture, speed, direction in READS:
        await gst_camera.send(
            metadata_stream(seed_event(plate, picture=picture, speed=speed, direction=direction))
        )
    await wait_for(lambda: len(events) == len(READS))

    assert [event.data["plate"] for event in events] == [plate for plate, *_ in READS]
    assert [event.data["direction"] for event in events] == [
        "departing",
        "unknown",
        "approaching",
    ]
    assert [event.data["speed"] for event in events] == [40, 12, 25]
    assert {event.data["plate_image_entity_id"] for event in events} == {PLATE_IMAGE}
    assert state(hass, PLATE).state == SEED_PLATE
    assert set(camera_web.requested) == set(PICTURES)

    client = await hass_client()
    response = await client.get(state(hass, PLATE_IMAGE).attributes["entity_picture"])
    assert response.status == 200
    assert await response.read() == PICTURES[SEED_PICTURE]

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
