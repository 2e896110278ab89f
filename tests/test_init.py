"""The integration end to end: a simulated TCP camera pushes reads into real Home Assistant."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PORT, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    mock_restore_cache_with_extra_data,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import (
    ListType,
    PlateBox,
    PlateRead,
    VehicleType,
)
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import wait_for

PLATE = "sensor.lpr_camera_127_0_0_1_last_plate"
DIRECTION = "sensor.lpr_camera_127_0_0_1_direction"
VEHICLE_TYPE = "sensor.lpr_camera_127_0_0_1_vehicle_type"
LIST_TYPE = "sensor.lpr_camera_127_0_0_1_list"
SPEED = "sensor.lpr_camera_127_0_0_1_speed"
CONNECTION = "binary_sensor.lpr_camera_127_0_0_1_connection"
PLATE_IMAGE = "image.lpr_camera_127_0_0_1_plate_picture"
FULL_IMAGE = "image.lpr_camera_127_0_0_1_full_picture"
EVENT = "event.lpr_camera_127_0_0_1_plate"


def full_read(plate: str = "AB1234") -> PlateRead:
    """A read with every field of firmware 1.6: the simulator's sample, made specific."""
    return dataclasses.replace(
        sample_read(plate),
        time=datetime(2026, 11, 26, 8, 30, 15, 250000, tzinfo=UTC),
        speed=30,
        vehicle_type=VehicleType.BUS,
        list_type=ListType.WHITE,
        confidence=0.875,
        plate_box=PlateBox(473, 93, 676, 135),
    )


# Vehicle type and List are off by default: on here, to see what they show.
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_read_sets_entities_and_fires_events(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """A read with two pictures shows on every entity and reaches automations."""
    assert hass.states.get(CONNECTION).state == "on"
    assert hass.states.get(PLATE).state == STATE_UNKNOWN
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    read = full_read()

    await camera.push(read)
    await wait_for(lambda: events)

    assert hass.states.get(PLATE).state == "AB1234"
    assert hass.states.get(DIRECTION).state == "approaching"
    assert hass.states.get(VEHICLE_TYPE).state == "bus"
    assert hass.states.get(LIST_TYPE).state == "white"
    assert float(hass.states.get(SPEED).state) == 30
    event_state = hass.states.get(EVENT)
    assert event_state.attributes["event_type"] == "unknown"
    assert event_state.attributes["plate"] == "AB1234"

    data = events[0].data
    device = dr.async_get(hass).async_get(data["device_id"])
    assert device.identifiers == {(DOMAIN, init_integration.entry_id)}
    assert data["plate"] == "AB1234"
    assert data["config_entry_id"] == init_integration.entry_id
    assert data["camera_device_id"] == "04f912bbce94654089afe83cd88f70be"
    assert data["direction"] == "approaching"
    assert data["vehicle_colour"] == "white"
    assert data["plate_colour"] == "yellow"
    assert data["region"] == "WOB/ZK"
    assert data["confidence"] == pytest.approx(0.875)
    assert data["plate_box"] == {"x1": 473, "y1": 93, "x2": 676, "y2": 135}
    assert data["time"] == "2026-11-26T08:30:15.250000+00:00"
    assert data["plate_image_entity_id"] == PLATE_IMAGE
    assert data["full_image_entity_id"] == FULL_IMAGE
    assert not any(isinstance(value, bytes) for value in data.values())

    client = await hass_client()
    for entity_id, picture in ((PLATE_IMAGE, read.plate_image), (FULL_IMAGE, read.full_image)):
        state = hass.states.get(entity_id)
        assert state.state == "2026-11-26T08:30:15.250000+00:00"
        response = await client.get(state.attributes["entity_picture"])
        assert response.status == 200
        assert response.content_type == "image/jpeg"
        assert await response.read() == picture


async def test_same_plate_twice_fires_twice(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """A car that comes back is a new read, not a repeated state."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    fired: list[State] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            fired.append(event.data["new_state"]) if event.data["entity_id"] == EVENT else None
        ),
    )

    await camera.push(sample_read("XY999"))
    await wait_for(lambda: len(events) == 1)
    await camera.push(sample_read("XY999"))
    await wait_for(lambda: len(events) == 2)
    await hass.async_block_till_done()

    assert [event.data["plate"] for event in events] == ["XY999", "XY999"]
    assert len(fired) == 2


async def test_korean_plate(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """Hangul plates arrive whole."""
    await camera.push(sample_read("부산 02가 1234"))
    await wait_for(lambda: hass.states.get(PLATE).state == "부산 02가 1234")


async def test_wrong_password_starts_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> None:
    """A camera that refuses the password asks the user for a new one."""
    camera.password = "changed"
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_password_changed_while_running_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The camera reboots with a new password: the reconnect fails and reauth starts."""
    camera.password = "changed"
    await camera.drop_clients()
    await wait_for(hass.config_entries.flow.async_progress)

    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["source"] == SOURCE_REAUTH
    assert hass.states.get(CONNECTION).state == "off"


async def test_camera_unreachable_retries_setup(
    hass: HomeAssistant, config_entry: MockConfigEntry, refused_port: int
) -> None:
    """No camera at the address: Home Assistant retries the setup later."""
    entry = MockConfigEntry(domain=DOMAIN, data={**config_entry.data, CONF_PORT: refused_port})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_reconnects_after_camera_drops(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The camera reboots: entities go unavailable, come back, and the next read arrives."""
    await camera.push(sample_read("KEEP1"))
    await wait_for(lambda: hass.states.get(PLATE).state == "KEEP1")
    logins = camera.login_attempts

    await camera.drop_clients()
    await wait_for(lambda: hass.states.get(CONNECTION).state == "off")
    assert hass.states.get(PLATE).state == STATE_UNAVAILABLE

    await wait_for(lambda: hass.states.get(CONNECTION).state == "on")
    assert camera.login_attempts > logins
    assert hass.states.get(PLATE).state == "KEEP1"
    await camera.wait_for_client()
    await camera.push(sample_read("NEXT2"))
    await wait_for(lambda: hass.states.get(PLATE).state == "NEXT2")


async def test_hostile_packet_reconnects(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """A packet claiming 4 GiB closes the connection; the next session works."""
    logins = camera.login_attempts
    await camera.push_raw(b"\xcc\xff\x01\x88\xff\xff\xff\xff")
    await wait_for(lambda: camera.login_attempts > logins)
    await camera.wait_for_client()
    await camera.push(sample_read("AFTER1"))
    await wait_for(lambda: hass.states.get(PLATE).state == "AFTER1")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_read_sensors_restored(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> None:
    """After a restart the sensors show the last read until the next one.

    An enum's value this release does not know (stored by another) shows as none.
    """
    stored = {
        PLATE: ("OLD123", None),
        "sensor.lpr_camera_127_0_0_1_direction": ("departing", None),
        "sensor.lpr_camera_127_0_0_1_speed": (12.0, "km/h"),
        "sensor.lpr_camera_127_0_0_1_plate_colour": ("chartreuse", None),
    }
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, str(value)),
                {"native_value": value, "native_unit_of_measurement": unit},
            )
            for entity_id, (value, unit) in stored.items()
        ],
    )
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    assert {entity_id: hass.states.get(entity_id).state for entity_id in stored} == {
        PLATE: "OLD123",
        "sensor.lpr_camera_127_0_0_1_direction": "departing",
        "sensor.lpr_camera_127_0_0_1_speed": "12.0",
        "sensor.lpr_camera_127_0_0_1_plate_colour": "unknown",
    }

    await camera.wait_for_client()
    await camera.push(sample_read("NEW456"))
    await wait_for(lambda: hass.states.get(PLATE).state == "NEW456")
    assert hass.states.get("sensor.lpr_camera_127_0_0_1_direction").state == "approaching"


async def test_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """Unloading closes the camera session."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.NOT_LOADED
    await wait_for(lambda: camera.client_count == 0)
