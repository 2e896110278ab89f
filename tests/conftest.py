"""Fixtures shared by the tests: real Home Assistant, a simulated camera on 127.0.0.1."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.setup import async_setup_component
from hypothesis import HealthCheck, settings
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.lpr_camera.lpr import session
from simulator.tcp import CameraSimulator

from .common import Command, tcp_camera_entry

USERNAME = "admin"
PASSWORD = "1234"

# Property tests (Hypothesis): a modest number of examples in CI, a long pass on demand
# (LPR_HYPOTHESIS_PROFILE=long, as scripts/benchmark.py --properties runs them). No deadline:
# timing is the benchmark's business. The example database stays off: runs leave no files.
# Every test of this suite sets up Home Assistant in function-scoped fixtures; the properties
# use none of it, so that health check does not apply.
_PROPERTIES = settings(
    deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile("ci", _PROPERTIES, max_examples=150)
settings.register_profile("long", _PROPERTIES, max_examples=20_000)
settings.load_profile(os.environ.get("LPR_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


@pytest.fixture
async def hass(hass: HomeAssistant, tmp_path: Path) -> AsyncIterator[HomeAssistant]:
    """Home Assistant whose configuration folder is the test's own.

    Saved pictures (media/) and the blueprints automations install go there, not into the test
    plugin's shared folder. After the test, what it started (the site entry that the integration's
    first setup creates in the background) ends before Home Assistant stops.
    """
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    hass.config.config_dir = str(config_dir)
    hass.config.media_dirs = {"local": str(config_dir / "media")}
    yield hass
    await hass.async_block_till_done()


@pytest.fixture(autouse=True)
def real_sockets(socket_enabled: None) -> None:
    """The camera and Home Assistant talk over real sockets; connections stay on 127.0.0.1."""


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port of 127.0.0.1 that refuses every connection while the test runs.

    Its socket is bound but never listens: the kernel answers a connection with a reset, and no
    other program can take the port meanwhile (as it could a port found free, then let go).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        yield port


@pytest.fixture
def reconnect_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays a session client waits before it reconnects, without their jitter.

    None is really waited: the tests of reconnecting do not wait on real backoff.
    """
    delays: list[float] = []

    def record(delay: float) -> float:
        delays.append(delay)
        return 0

    monkeypatch.setattr(session, "jitter", record)
    return delays


@pytest.fixture(autouse=True)
def fail_on_deprecation_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Home Assistant's "will stop working" warnings mean we use an API on its way out."""
    yield
    # In teardown, caplog.records holds the teardown's records only.
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    detected = [
        r.getMessage() for r in records if "Detected that custom integration" in r.getMessage()
    ]
    assert not detected, detected


async def _running_camera() -> AsyncIterator[CameraSimulator]:
    simulator = CameraSimulator(username=USERNAME, password=PASSWORD)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def camera() -> AsyncIterator[CameraSimulator]:
    """A simulated camera listening on a free port of 127.0.0.1."""
    async for simulator in _running_camera():
        yield simulator


@pytest.fixture
async def second_camera() -> AsyncIterator[CameraSimulator]:
    """Another simulated camera, for a site with two gates."""
    async for simulator in _running_camera():
        yield simulator


@pytest.fixture
def config_entry(camera: CameraSimulator) -> MockConfigEntry:
    """A config entry of the TCP type pointing at the simulated camera."""
    return tcp_camera_entry(camera)


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> MockConfigEntry:
    """The integration set up and logged in to the simulated camera."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await camera.wait_for_client()
    return config_entry


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Every entity starts enabled, those off by default too (Home Assistant core's idiom)."""
    with patch.object(
        Entity, "entity_registry_enabled_default", new_callable=PropertyMock, return_value=True
    ):
        yield


@pytest.fixture
async def media(hass: HomeAssistant) -> None:
    """The media view that serves the pictures, set up before the web server starts."""
    assert await async_setup_component(hass, "media_source", {})


@pytest.fixture
async def command(hass: HomeAssistant, hass_ws_client: WebSocketGenerator) -> Command:
    """Send a command of the plate log; its result, or the error it answered."""
    client = await hass_ws_client(hass)

    async def send(kind: str, **fields: Any) -> Any:
        await client.send_json_auto_id({"type": f"lpr_camera/{kind}", **fields})
        answer = await client.receive_json()
        return answer["result"] if answer["success"] else answer["error"]

    return send
