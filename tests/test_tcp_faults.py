"""The TCP type meeting what nobody planned for: a bug in a session, firmware we have not seen."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any, cast

import pytest
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import PlateRead, tcp_client
from custom_components.lpr_camera.lpr.tcp_codec import (
    COMM_RECOG_POST,
    decode_recognition,
    encode_packet,
    encode_recognition,
)
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import OTHER_TURN, turns_of_a_burst, wait_for

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


async def test_reads_from_firmware_we_have_not_seen(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    caplog: pytest.LogCaptureFixture,
    hass_client: ClientSessionGenerator,
) -> None:
    """Delivered all the same; logged once; the diagnostics keep the last 5, plates masked."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    long_ago = dt_util.utcnow() - timedelta(days=400)
    unusual = [
        sample_read("AB\x0712CD"),
        sample_read("KA01", time=long_ago),
        *(sample_read(f"XY\x01{number}") for number in range(4)),
    ]

    for read in [*unusual, sample_read("OK1")]:
        await camera.push(read)
    await wait_for(lambda: len(events) == len(unusual) + 1)

    assert [event.data["plate"] for event in events] == [read.plate for read in unusual] + ["OK1"]
    logged = [r for r in caplog.records if "metadata layout we may not know" in r.getMessage()]
    assert [r.levelno for r in logged] == [logging.WARNING] + [logging.DEBUG] * 5
    message = logged[0].getMessage()
    assert "the plate has control characters" in message
    assert "07 41 2a 2a 2a 2a 2a 44" in message  # field 12: 7 bytes, AB\x0712CD masked to A*****D
    assert "41 42 07" not in message

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    kept = cast("list[dict[str, Any]]", diagnostics["unusual_metadata"])
    assert len(kept) == 5  # the first one is no longer kept
    [clock] = kept[0]["reasons"]
    assert clock.endswith("is more than a day off the time of receipt")
    assert all(item["reasons"] == ["the plate has control characters"] for item in kept[1:])
    assert all(item["firmware"] == "1.6" for item in kept)
    for number, item in enumerate(kept[1:]):
        metadata = bytes.fromhex(item["metadata_hex"])
        assert len(metadata) == 110 + len("XY\x01n")  # firmware 1.6: no picture in it
        assert metadata[80:84] == f"X**{number}".encode()  # field 12, the plate
        assert b"XY\x01" not in metadata


async def test_a_burst_of_reads_lets_home_assistant_answer_between_them(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """Reads that arrive in one piece of the stream are not all handled in one go.

    A camera flushing its queue after a network outage sends hundreds at once: Home Assistant
    (its frontend, other integrations) gets its turn between them, each read still fires once.
    """
    burst = [
        replace(sample_read(f"BURST{n}"), plate_image=None, full_image=None) for n in range(100)
    ]
    order = turns_of_a_burst(hass)
    await camera.push_raw(
        b"".join(encode_packet(COMM_RECOG_POST, encode_recognition(read)) for read in burst)
    )
    await wait_for(lambda: len(order) == len(burst) + 1)

    assert [plate for plate in order if plate != OTHER_TURN] == [r.plate for r in burst]
    assert order.index(OTHER_TURN) < len(burst)
