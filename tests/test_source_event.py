"""Sources that listen to another integration's bus event: Dahua, Hikvision, Plate Recognizer, any.

The events are fired on Home Assistant's bus with the data each integration fires; the sources
are added through the config flow as a user does.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.lpr_camera.const import EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.sources.reads import MAX_WAITING_READS
from simulator.reads import sample_read

from .common import logged_reads, wait_for
from .other_integrations import (
    SnapshotImage,
    async_add_integration,
    async_add_source,
    async_added_source,
    other_integration,
)

PICTURE = sample_read("AB123").full_image
CONNECTION = "binary_sensor.gate_connection"


def dahua_read(camera: str, plate: str) -> dict[str, Any]:
    """The dahua integration's dahua_anpr_recognized, as `_handle_anpr_plate` fires it."""
    return {
        "device_name": camera,
        "channel": 0,
        "plate": plate,
        "raw_plate": plate,
        "confidence": 87,
        "vehicle_type": "SUV",
        "vehicle_color": "White",
        "vehicle_brand": "Audi",
        "vehicle_series": None,
        "direction": "Approach",
        "is_authorized": False,
        "raw_event_code": "TrafficJunction",
        "timestamp": 1764860000,
    }


def hikvision_alarm(event_id: str, **data: Any) -> dict[str, Any]:
    """hikvision_next's hikvision_next_event, as `fire_hass_event` fires it."""
    return {"channel_id": 1, "io_port_id": 0, "camera_name": "Gate", "event_id": event_id, **data}


def plate_recognizer_vehicle(plate: str) -> dict[str, Any]:
    """Plate Recognizer's platerecognizer.vehicle_detected, one vehicle of a scan."""
    return {
        "plate": plate,
        "confidence": 0.906,
        "region_code": "gb",
        "vehicle_type": "Sedan",
        "box_y_centre": 412.5,
        "box_x_centre": 690.0,
        "entity_id": "image_processing.platerecognizer_gate",
    }


async def add_source(hass: HomeAssistant, step_id: str, **fields: Any) -> str:
    """The source, named Gate, added through its form; its entry's id."""
    return await async_added_source(hass, step_id, {"name": "Gate", **fields})


async def fire(hass: HomeAssistant, event_type: str, *events: dict[str, Any]) -> list[Any]:
    """Fire the events as the other integration does; the reads they made."""
    reads = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    for data in events:
        hass.bus.async_fire(event_type, data)
    await hass.async_block_till_done()
    return reads


@pytest.fixture
async def snapshot(hass: HomeAssistant) -> AsyncIterator[SnapshotImage]:
    """A camera integration's image entity, image.gate_snapshot."""
    assert PICTURE is not None
    image = SnapshotImage(hass, "Gate snapshot", PICTURE)
    with other_integration("gate_camera"):
        await async_add_integration(hass, "gate_camera", {Platform.IMAGE: [image]})
        yield image


async def test_a_dahua_anpr_event_of_the_camera_is_a_read(hass: HomeAssistant) -> None:
    entry_id = await add_source(hass, "source_dahua", camera="gate")
    assert hass.states.get(CONNECTION).state == "off"

    reads = await fire(
        hass,
        "dahua_anpr_recognized",
        dahua_read("Garden", "XY9"),  # another Dahua camera
        dahua_read("Gate", "AB123CD"),
    )

    [read] = reads
    assert (read.data["plate"], read.data["direction"], read.data["confidence"]) == (
        "AB123CD",
        "approaching",
        0.87,
    )
    assert (read.data["vehicle_type"], read.data["vehicle_colour"]) == ("car", "white")
    assert read.data["vehicle_brand"] == "Audi"
    # An event cannot tell that the camera stopped: a read within the activity window.
    assert hass.states.get(CONNECTION).state == "on"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    assert device.model == "Event of another integration"


async def test_a_hikvision_anpr_alarm_with_a_plate_is_a_read(hass: HomeAssistant) -> None:
    await add_source(hass, "source_hikvision")

    reads = await fire(
        hass,
        "hikvision_next_event",
        hikvision_alarm("motiondetection"),
        hikvision_alarm("fielddetection", detection_target="vehicle", region_id=1),
        hikvision_alarm(
            "anpr", anpr_license_plate="unknown", anpr_direction="forward", anpr_confidence_level=0
        ),
        hikvision_alarm(
            "anpr",
            anpr_license_plate="KH35192",
            anpr_direction="reverse",
            anpr_confidence_level=100,
        ),
    )

    [read] = reads
    assert (read.data["plate"], read.data["direction"], read.data["confidence"]) == (
        "KH35192",
        "departing",
        1.0,
    )


async def test_a_plate_recognizer_vehicle_with_the_picture_at_the_read(
    hass: HomeAssistant, snapshot: SnapshotImage
) -> None:
    await add_source(
        hass,
        "source_plate_recognizer",
        camera="image_processing.platerecognizer_gate",
        picture_entity="image.gate_snapshot",
    )
    reads = await fire(
        hass, "platerecognizer.vehicle_detected", plate_recognizer_vehicle("ab123cd")
    )
    await wait_for(lambda: reads)  # once its picture is in

    [read] = reads
    assert (read.data["plate"], read.data["confidence"]) == ("ab123cd", 0.906)
    assert (read.data["region"], read.data["vehicle_type"]) == ("gb", "car")
    assert (read.data["direction"], read.data["has_full_image"]) == ("unknown", True)
    [logged] = await logged_reads(hass)
    assert logged.picture("full")
    assert snapshot.taken == 1


async def test_reads_keep_their_order_while_their_pictures_come(
    hass: HomeAssistant, snapshot: SnapshotImage
) -> None:
    """A burst: the first reads wait for their pictures, the next come without, all in turn."""
    await add_source(hass, "source_plate_recognizer", picture_entity="image.gate_snapshot")
    shutter = asyncio.Event()
    picture = snapshot.picture

    async def slow_picture() -> bytes | None:
        snapshot.taken += 1
        await shutter.wait()
        return picture

    snapshot.async_image = slow_picture  # type: ignore[method-assign]
    burst = [f"CAR{number}" for number in range(MAX_WAITING_READS + 2)]
    reads = await fire(
        hass,
        "platerecognizer.vehicle_detected",
        *(plate_recognizer_vehicle(plate) for plate in burst),
    )
    assert reads == []
    shutter.set()
    await wait_for(lambda: len(reads) == len(burst))

    assert [read.data["plate"] for read in reads] == burst
    assert [read.data["has_full_image"] for read in reads] == [True] * MAX_WAITING_READS + [
        False,
        False,
    ]
    assert snapshot.taken == MAX_WAITING_READS


async def test_another_event_with_its_keys(hass: HomeAssistant) -> None:
    """A user maps an event of their own: the form says what is wrong; nested keys, lists."""
    form = {"name": "Gate", "event_type": "my_anpr", "plate_key": "data.Objects.0.Text"}
    problems = {
        "*": {"event_type": "invalid_event_type"},
        "lpr_camera_plate_recognized": {"event_type": "own_event"},
    }
    for event_type, errors in problems.items():
        result = await async_add_source(hass, "source_event", {**form, "event_type": event_type})
        assert result["errors"] == errors
    result = await async_add_source(hass, "source_event", {**form, "camera_key": "data.Name"})
    assert result["errors"] == {"base": "camera_filter_incomplete"}
    result = await async_add_source(hass, "source_event", {**form, "plate_key": "a." * 8 + "b"})
    assert result["errors"] == {"plate_key": "invalid_path"}
    await add_source(
        hass,
        "source_event",
        event_type="my_anpr",
        plate_key="data.Objects.0.Text",
        direction_key="data.Direction",
        confidence_key="data.Objects.0.Confidence",
        camera_key="data.Name",
        camera="Gate",
    )

    def my_anpr(camera: str, plate: Any) -> dict[str, Any]:
        objects = [{"Text": plate, "Confidence": 64}] if plate is not None else []
        return {"data": {"Name": camera, "Direction": "Leave", "Objects": objects}}

    reads = await fire(
        hass,
        "my_anpr",
        my_anpr("Garden", "XY9"),
        my_anpr("Gate", None),  # no plate where the key says
        my_anpr("Gate", {"Text": "AB1"}),  # no plate either
        my_anpr("Gate", "AB123"),
    )

    [read] = reads
    assert (read.data["plate"], read.data["direction"], read.data["confidence"]) == (
        "AB123",
        "departing",
        0.64,
    )


async def test_an_event_type_and_camera_is_one_source(hass: HomeAssistant) -> None:
    await add_source(hass, "source_dahua", camera="Gate")

    again = await async_add_source(hass, "source_dahua", {"name": "Again", "camera": "GATE"})
    other = await async_add_source(hass, "source_dahua", {"name": "Garden", "camera": "Garden"})
    every = await async_add_source(hass, "source_dahua", {"name": "Every"})

    assert again["errors"] == {"base": "already_configured"}
    assert other["type"] is FlowResultType.CREATE_ENTRY
    assert every["type"] is FlowResultType.CREATE_ENTRY
