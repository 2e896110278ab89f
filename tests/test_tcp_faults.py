"""The TCP type meeting what nobody planned for: a bug inside a session."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.lpr_camera.lpr import PlateRead, tcp_client
from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read
from custom_components.lpr_camera.lpr.tcp_codec import decode_recognition

from .common import wait_for

PLATE = "sensor.lpr_camera_127_0_0_1_last_plate"
CONNECTION = "binary_sensor.lpr_camera_127_0_0_1_connection"


def states_of(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Every state the entity takes from now on."""
    seen: list[str] = []

    def note(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == entity_id and (state := event.data["new_state"]):
            seen.append(state.state)

    hass.bus.async_listen("state_changed", note)
    return seen


async def push_and_wait_for_login(camera: CameraSimulator, read: PlateRead) -> None:
    """Push a read that ends the session, and wait until the client logged in again."""
    logins = camera.login_attempts
    await camera.push(read)
    await wait_for(lambda: camera.login_attempts > logins)
    await camera.wait_for_client()


async def test_a_bug_in_a_session_reconnects(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Connection goes off and on again, the reads go on, the traceback is logged once."""

    def decode_with_a_bug(data: bytes, **kwargs: Any) -> PlateRead:
        # The fault no camera can cause on purpose: an exception none of the library's own.
        read = decode_recognition(data, **kwargs)
        if read.plate.startswith("BUG"):
            raise RuntimeError("a bug met with this read")
        return read

    monkeypatch.setattr(tcp_client, "decode_recognition", decode_with_a_bug)
    connection = states_of(hass, CONNECTION)
    plates = states_of(hass, PLATE)

    for plate in ("BUG1", "BUG2"):
        await push_and_wait_for_login(camera, sample_read(plate))
        await wait_for(lambda: hass.states.get(CONNECTION).state == "on")
    await camera.push(sample_read("GOOD1"))
    await wait_for(lambda: hass.states.get(PLATE).state == "GOOD1")

    assert connection == ["off", "on", "off", "on"]
    assert "BUG1" not in plates
    assert "BUG2" not in plates
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert len(tracebacks) == 1
    assert tracebacks[0].getMessage() == (
        f"Unexpected error in the session with camera 127.0.0.1:{camera.port}; reconnecting"
    )
    assert "a bug met with this read" in caplog.text
