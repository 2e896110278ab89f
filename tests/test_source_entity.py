"""Sources that follow another integration's entity: UniFi Protect's vehicle event, Frigate's plate.

The entities are real entities of a test integration that behave as those integrations' do;
the sources are added through the config flow as a user does.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.image.const import DATA_COMPONENT as IMAGE_COMPONENT
from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from simulator.reads import sample_read

from .common import logged_reads, wait_for
from .other_integrations import (
    FrigatePlateSensor,
    ProtectVehicleEvent,
    SnapshotImage,
    async_add_integration,
    async_add_source,
    async_added_source,
    other_integration,
)

PICTURE = sample_read("AB123").full_image
LAST_PLATE = "sensor.driveway_last_plate"
CONNECTION = "binary_sensor.driveway_connection"


@pytest.fixture
async def protect(hass: HomeAssistant) -> AsyncIterator[ProtectVehicleEvent]:
    """UniFi Protect with a camera, Driveway: its vehicle event entity and a snapshot image."""
    assert PICTURE is not None
    vehicle = ProtectVehicleEvent("Driveway")
    snapshot = SnapshotImage(hass, "Driveway snapshot", PICTURE)
    with other_integration("unifiprotect"):
        await async_add_integration(
            hass, "unifiprotect", {Platform.EVENT: [vehicle], Platform.IMAGE: [snapshot]}
        )
        yield vehicle


@pytest.fixture
async def frigate(hass: HomeAssistant) -> AsyncIterator[FrigatePlateSensor]:
    """Frigate with a camera, Driveway, that recognises plates."""
    sensor = FrigatePlateSensor("Driveway")
    with other_integration("frigate"):
        await async_add_integration(hass, "frigate", {Platform.SENSOR: [sensor]})
        yield sensor


async def add_source(hass: HomeAssistant, step_id: str, **fields: Any) -> str:
    """The source, named Driveway, added through its form; its entry's id."""
    return await async_added_source(hass, step_id, {"name": "Driveway", **fields})


def plates(events: list[Any]) -> list[str]:
    return [event.data["plate"] for event in events]


async def detected(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, protect: ProtectVehicleEvent, *fires: Any
) -> None:
    """Protect's vehicle events, a second apart: (event id, plate or None[, confidence])."""
    for fire in fires:
        freezer.tick(timedelta(seconds=1))
        protect.detected(*fire)
    await hass.async_block_till_done()


async def test_a_unifi_protect_vehicle_event_with_a_plate_is_a_read(
    hass: HomeAssistant, protect: ProtectVehicleEvent
) -> None:
    entry_id = await add_source(
        hass,
        "source_unifi_protect",
        entity_id="event.driveway_vehicle",
        picture_entity="image.driveway_snapshot",
    )
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    protect.detected("event-1", "AB123", confidence=92)
    await wait_for(lambda: events)  # once its picture is in

    [read] = events
    assert (read.data["plate"], read.data["confidence"]) == ("AB123", 0.92)
    assert (read.data["vehicle_type"], read.data["vehicle_colour"]) == ("car", "white")
    assert (read.data["direction"], read.data["has_full_image"]) == ("unknown", True)
    assert hass.states.get(LAST_PLATE).state == "AB123"
    assert hass.states.get(CONNECTION).state == "on"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    assert device.model == "Entity of another integration"
    [logged] = await logged_reads(hass)
    assert logged.picture("full")
    snapshot = hass.data[IMAGE_COMPONENT].get_entity("image.driveway_snapshot")
    assert isinstance(snapshot, SnapshotImage)
    assert snapshot.taken == 1


async def test_one_vehicle_event_is_one_read_and_one_without_a_plate_none(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, protect: ProtectVehicleEvent
) -> None:
    """Protect fires an event again when a better thumbnail comes; a car it read no plate of."""
    await add_source(hass, "source_unifi_protect", entity_id="event.driveway_vehicle")
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await detected(
        hass,
        freezer,
        protect,
        ("event-1", None),  # the first thumbnail: no plate yet
        ("event-1", "AB123", 80),
        ("event-1", "AB123", 95),  # a better thumbnail of the same car
        ("event-2", None),
        ("event-3", "XY9"),
    )

    assert plates(events) == ["AB123", "XY9"]
    assert events[0].data["confidence"] == 0.8


async def test_the_event_an_entity_comes_back_with_is_no_read(hass: HomeAssistant) -> None:
    """Protect reloaded (as at Home Assistant's start): its entity restores its last event."""
    vehicle = ProtectVehicleEvent("Driveway")
    vehicles: list[Entity] = [vehicle]
    with other_integration("unifiprotect"):
        protect = await async_add_integration(hass, "unifiprotect", {Platform.EVENT: vehicles})
        await add_source(hass, "source_unifi_protect", entity_id="event.driveway_vehicle")
        vehicle.detected("event-1", "AB123")
        await hass.async_block_till_done()
        events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

        assert await hass.config_entries.async_unload(protect.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get(CONNECTION).state == "off"
        vehicles[0] = ProtectVehicleEvent("Driveway")  # its entities are made anew
        assert await hass.config_entries.async_setup(protect.entry_id)
        await hass.async_block_till_done()

    assert hass.states.get("event.driveway_vehicle").attributes["license_plate"] == "AB123"
    assert events == []
    assert hass.states.get(CONNECTION).state == "on"


async def test_a_new_plate_on_frigates_sensor_is_a_read_and_after_its_reset_again(
    hass: HomeAssistant, frigate: FrigatePlateSensor
) -> None:
    await add_source(
        hass, "source_frigate_plate", entity_id="sensor.driveway_last_recognized_plate"
    )
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    frigate.recognized("AB123")
    frigate.recognized("AB123")  # the same car's next update: the same state written again
    await hass.async_block_till_done()
    assert plates(events) == ["AB123"]
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await hass.async_block_till_done()
    assert hass.states.get("sensor.driveway_last_recognized_plate").state == "None"
    frigate.recognized("AB123")  # the car back, after the reset
    frigate.recognized("CD456")
    await hass.async_block_till_done()

    assert plates(events) == ["AB123", "AB123", "CD456"]
    assert events[0].data["direction"] == "unknown"
    assert events[0].data["confidence"] is None


async def test_connection_follows_the_sensor_and_its_return_is_no_read(
    hass: HomeAssistant, frigate: FrigatePlateSensor
) -> None:
    await add_source(
        hass, "source_frigate_plate", entity_id="sensor.driveway_last_recognized_plate"
    )
    frigate.recognized("AB123")
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    frigate.set_available(False)
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTION).state == "off"
    frigate.set_available(True)
    await hass.async_block_till_done()

    assert hass.states.get(CONNECTION).state == "on"
    assert events == []


async def test_a_plate_past_32_characters_is_no_read_and_logged_without_it(
    hass: HomeAssistant, frigate: FrigatePlateSensor, caplog: pytest.LogCaptureFixture
) -> None:
    await add_source(
        hass, "source_frigate_plate", entity_id="sensor.driveway_last_recognized_plate"
    )
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    for garbage in ("X" * 33, "Y" * 40):
        frigate.recognized(garbage)
    await hass.async_block_till_done()

    assert events == []
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING and record.name.startswith("custom_components")
    ]
    assert warnings == ["Driveway: plate longer than 32 characters: no read"]


async def test_another_entity_with_the_plate_in_an_attribute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, protect: ProtectVehicleEvent
) -> None:
    """The form says what is wrong first; an event entity needs the attribute with the plate."""
    form = {"name": "Driveway", "entity_id": "event.driveway_vehicle"}
    result = await async_add_source(hass, "source_entity", form)
    assert result["errors"] == {"plate_attribute": "plate_attribute_needed"}
    result = await async_add_source(hass, "source_entity", {**form, "entity_id": "event.nothing"})
    assert result["errors"]["entity_id"] == "entity_not_found"
    result = await async_add_source(
        hass, "source_entity", {**form, "plate_attribute": "a..b", "confidence_attribute": "x"}
    )
    assert result["errors"] == {"plate_attribute": "invalid_path"}
    await add_source(
        hass,
        "source_entity",
        entity_id="event.driveway_vehicle",
        plate_attribute="license_plate",
        confidence_attribute="attributes.vehicleType.confidence",
    )
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await detected(hass, freezer, protect, ("event-1", "AB123"), ("event-1", "AB123"))

    # Another entity's event is a read each time (only UniFi Protect's repeats one).
    assert plates(events) == ["AB123", "AB123"]
    assert events[0].data["confidence"] == 0.95


async def test_an_entity_is_one_source_and_not_one_of_its_own(
    hass: HomeAssistant, protect: ProtectVehicleEvent
) -> None:
    await add_source(hass, "source_unifi_protect", entity_id="event.driveway_vehicle")

    again = await async_add_source(
        hass, "source_unifi_protect", {"name": "Again", "entity_id": "event.driveway_vehicle"}
    )
    own = await async_add_source(hass, "source_entity", {"name": "Loop", "entity_id": LAST_PLATE})

    assert again["errors"] == {"base": "already_configured"}
    assert own["errors"] == {"entity_id": "own_entity"}


async def test_reconfigured_to_another_entity_follows_that_one(
    hass: HomeAssistant, protect: ProtectVehicleEvent, frigate: FrigatePlateSensor
) -> None:
    entry_id = await add_source(
        hass, "source_entity", entity_id="event.driveway_vehicle", plate_attribute="license_plate"
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "Driveway", "entity_id": "sensor.driveway_last_recognized_plate"},
    )
    assert result["reason"] == "saved"
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    protect.detected("event-1", "AB123")
    frigate.recognized("CD456")
    await hass.async_block_till_done()

    assert plates(events) == ["CD456"]
