"""A logbook line per read, as the logbook's web API shows it."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    async_capture_events,
    mock_integration,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import Direction
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import wait_for

EVENT = "event.lpr_camera_127_0_0_1_plate"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: object, enable_custom_integrations: None
) -> None:
    """The recorder (which the logbook reads) must be set up before Home Assistant is."""


@pytest.fixture
async def logbook(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """The logbook, over a camera set up.

    The logbook's own dependency on the web UI's bundle (not installed for the tests) is stood
    in for; the logbook, the recorder and the web API it is read through are real.
    """
    mock_integration(hass, MockModule("frontend"))
    assert await async_setup_component(hass, "logbook", {})


async def test_logbook_line_per_read(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    logbook: None,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    registry = dr.async_get(hass)
    [device] = dr.async_entries_for_config_entry(registry, init_integration.entry_id)
    registry.async_update_device(device.id, name_by_user="Gate")
    for plate, name, plate_list in (
        ("AB-123", "Anna's car", "allow"),
        ("CD 456", "", "allow"),
        ("X99", "Repo man", "deny"),
        ("B 4567", "Van", "allow"),
        ("B 4568", "Trailer", "allow"),
    ):
        await hass.services.async_call(
            DOMAIN,
            "add_known_plate",
            {"plate": plate, "name": name, "list": plate_list},
            blocking=True,
        )
    an_hour_ago = dt_util.now() - timedelta(hours=1)
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "G1", "valid_until": an_hour_ago}, blocking=True
    )
    start = dt_util.utcnow()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    reads = [
        sample_read("AB-123"),
        sample_read("A8123"),
        sample_read("CD456"),
        dataclasses.replace(sample_read("X99"), direction=Direction.DEPARTING),
        dataclasses.replace(sample_read("ZZ111"), direction=Direction.UNKNOWN),
        sample_read("B4569"),
        sample_read("G1"),
        # Seen without a direction, then arriving within the repeat window: news, no repeat.
        dataclasses.replace(sample_read("KA 01"), direction=Direction.UNKNOWN),
        sample_read("KA 01"),
    ]
    for read in reads:
        await camera.push(read)
    await wait_for(lambda: len(events) == len(reads))
    await async_wait_recording_done(hass)

    client = await hass_client()

    async def logbook_lines(query: str = "") -> list[tuple[str, str, str | None]]:
        """The integration's lines, as the logbook's web API gives them."""
        response = await client.get(f"/api/logbook/{start.isoformat()}{query}")
        assert response.status == 200
        return [
            (entry["name"], entry["message"], entry.get("entity_id"))
            for entry in await response.json()
            if entry.get("domain") == DOMAIN
        ]

    lines = await logbook_lines()

    # The camera sees both ways: approaching vehicles arrive; Anna's car, read again within
    # the repeat window, is already on site.
    assert lines == [
        ("Gate", "AB-123 (Anna's car, authorized) arrived", EVENT),
        ("Gate", "A8123 (Anna's car, read for AB-123, authorized) approaching (repeat)", EVENT),
        ("Gate", "CD456 (authorized) arrived", EVENT),
        ("Gate", "X99 (Repo man, deny list) departing", EVENT),
        ("Gate", "ZZ111 (unknown) seen", EVENT),
        ("Gate", "B4569 (could be B 4567 or B 4568) arrived", EVENT),
        ("Gate", "G1 (not authorized: pass expired) arrived", EVENT),
        ("Gate", "KA 01 (unknown) seen", EVENT),
        ("Gate", "KA 01 (unknown) arrived", EVENT),
    ]

    # The camera's Plate entity's own logbook (its page, the device's, a dashboard card) has them.
    assert await logbook_lines(f"?entity={EVENT}") == lines


@pytest.mark.usefixtures("logbook")
async def test_a_plate_read_twice_in_a_row_is_two_lines(
    hass: HomeAssistant, camera: CameraSimulator, hass_client: ClientSessionGenerator
) -> None:
    """The demo's plate list (a logbook card of the Plate entity) shows every read.

    A list of the Last plate sensor's changes showed the second read of the same plate not at
    all: its state did not change.
    """
    start = dt_util.utcnow()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    for _ in range(2):
        await camera.push(sample_read("AB123"))
    await wait_for(lambda: len(events) == 2)
    await async_wait_recording_done(hass)

    client = await hass_client()
    response = await client.get(f"/api/logbook/{start.isoformat()}?entity={EVENT}")
    lines = [entry["message"] for entry in await response.json() if entry.get("domain") == DOMAIN]

    assert lines == ["AB123 (unknown) arrived", "AB123 (unknown) approaching (repeat)"]


async def lines_of_one_read(
    hass: HomeAssistant, camera: CameraSimulator, hass_client: ClientSessionGenerator, plate: str
) -> set[tuple[str | None, str | None, str | None]]:
    """The logbook's lines (domain, entity, message) that one read of the plate adds.

    Home Assistant 2025.4 also logs the pictures changing; newer releases leave images out.
    """
    await async_wait_recording_done(hass)
    start = dt_util.utcnow()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read(plate))
    await wait_for(lambda: events)
    await async_wait_recording_done(hass)

    client = await hass_client()
    response = await client.get(f"/api/logbook/{start.isoformat()}")
    return {
        (entry.get("domain"), entry.get("entity_id"), entry.get("message"))
        for entry in await response.json()
        if not entry.get("entity_id", "").startswith("image.")
    }


@pytest.mark.usefixtures("logbook")
async def test_a_read_keeps_the_activity_log_readable(
    hass: HomeAssistant, camera: CameraSimulator, hass_client: ClientSessionGenerator
) -> None:
    """A read makes one line of the integration's that says it all, and a few of HA's own."""
    lines = await lines_of_one_read(hass, camera, hass_client, "AB123")

    # Home Assistant's own lines: the Plate entity's event, and Last plate as it changed
    # (Direction, Vehicle type and List, off by default, and the sensors with units make none).
    assert lines == {
        (None, "sensor.lpr_camera_127_0_0_1_last_plate", None),
        (None, EVENT, None),
        (DOMAIN, EVENT, "AB123 (unknown) arrived"),
    }


@pytest.mark.usefixtures("logbook")
async def test_a_known_vehicle_arriving_adds_its_own_lines(
    hass: HomeAssistant, camera: CameraSimulator, hass_client: ClientSessionGenerator
) -> None:
    """Its device page's activity: arrived (On site), when and where it was seen last."""
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB123", "name": "Anna's car"}, blocking=True
    )
    lines = await lines_of_one_read(hass, camera, hass_client, "AB123")

    assert lines == {
        (None, "sensor.lpr_camera_127_0_0_1_last_plate", None),
        (None, EVENT, None),
        (DOMAIN, EVENT, "AB123 (Anna's car, authorized) arrived"),
        (None, "binary_sensor.lpr_camera_127_0_0_1_authorized", None),
        (None, "binary_sensor.anna_s_car_on_site", None),
        (None, "sensor.anna_s_car_last_seen", None),
        (None, "sensor.anna_s_car_last_camera", None),
    }
