"""The site: who is on it, by the cameras' roles; the known vehicles' devices; restarts."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from unittest.mock import ANY

from freezegun import freeze_time
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import (
    EVENT_HOMEASSISTANT_FINAL_WRITE,
    EVENT_LOGBOOK_ENTRY,
)
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_KIND,
    CONF_ROLE,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
    KIND_SITE,
    ROLE_ENTRANCE,
    ROLE_EXIT,
)
from custom_components.lpr_camera.lpr import Direction
from custom_components.lpr_camera.site.store import STORE_KEY
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import (
    add_entry,
    add_http_camera,
    set_site_settings,
    site_entry,
    tcp_camera_entry,
    wait_for,
)

ON_SITE = "sensor.site_vehicles_on_site"
ANNA_ON_SITE = "binary_sensor.anna_s_car_on_site"
ANNA_LAST_SEEN = "sensor.anna_s_car_last_seen"
ANNA_LAST_CAMERA = "sensor.anna_s_car_last_camera"


class Gate:
    """A simulated camera set up in Home Assistant; push() waits for the read's bus event."""

    def __init__(self, hass: HomeAssistant, camera: CameraSimulator, entry: MockConfigEntry):
        self.hass = hass
        self.camera = camera
        self.entry = entry

    async def push(self, plate: str, direction: Direction = Direction.APPROACHING) -> Any:
        events = async_capture_events(self.hass, EVENT_PLATE_RECOGNIZED)
        await self.camera.push(dataclasses.replace(sample_read(plate), direction=direction))
        await wait_for(lambda: events)
        await self.hass.async_block_till_done()
        return events[0].data


async def start_gate(hass: HomeAssistant, camera: CameraSimulator, title: str, **options: Any):
    entry = await add_entry(hass, tcp_camera_entry(camera, title, **options))
    await camera.wait_for_client()
    return Gate(hass, camera, entry)


async def add_vehicle(hass: HomeAssistant, plate: str, name: str = "", **fields: Any) -> None:
    data = {"plate": plate, "name": name, **fields}
    await hass.services.async_call(DOMAIN, "add_known_plate", data, blocking=True)
    await hass.async_block_till_done()


def on_site(hass: HomeAssistant) -> list[tuple[str, str | None, str]]:
    vehicles = hass.states.get(ON_SITE).attributes["vehicles"]
    return [(v["plate"], v["name"], v["camera"]) for v in vehicles]


async def test_entrance_and_exit_cameras(
    hass: HomeAssistant, camera: CameraSimulator, second_camera: CameraSimulator
) -> None:
    """At an entrance every read arrives, at an exit every read leaves, whatever the direction."""
    entrance = await start_gate(hass, camera, "Entrance", **{CONF_ROLE: ROLE_ENTRANCE})
    exit_gate = await start_gate(hass, second_camera, "Exit", **{CONF_ROLE: ROLE_EXIT})
    await add_vehicle(hass, "AB-123", "Anna's car")
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ON_SITE).state == "0"

    read = await entrance.push("AB123", Direction.DEPARTING)
    assert read["presence"] == "arrived"
    assert read["camera_role"] == "entrance"
    await entrance.push("ZZ 999", Direction.UNKNOWN)

    assert hass.states.get(ANNA_ON_SITE).state == "on"
    assert hass.states.get(ANNA_LAST_CAMERA).state == "Entrance"
    assert dt_util.parse_datetime(hass.states.get(ANNA_LAST_SEEN).state) is not None
    assert hass.states.get(ON_SITE).state == "2"
    assert on_site(hass) == [("AB-123", "Anna's car", "Entrance"), ("ZZ 999", None, "Entrance")]

    read = await exit_gate.push("A8123", Direction.APPROACHING)  # OCR's 8 for B: still Anna
    assert read["presence"] == "left"
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ANNA_LAST_CAMERA).state == "Exit"
    assert on_site(hass) == [("ZZ 999", None, "Entrance")]

    # Leaving again changes nothing: it is no departure.
    read = await exit_gate.push("AB123")
    assert read["presence"] is None


async def test_one_camera_both_ways(hass: HomeAssistant, camera: CameraSimulator) -> None:
    """By direction (the default): approaching arrives, departing leaves, unknown is only seen."""
    gate = await start_gate(hass, camera, "Gate")
    await add_vehicle(hass, "AB-123", "Anna's car")

    assert (await gate.push("AB123", Direction.UNKNOWN))["presence"] is None
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ANNA_LAST_CAMERA).state == "Gate"  # seen, though

    assert (await gate.push("AB123", Direction.APPROACHING))["presence"] == "arrived"
    assert hass.states.get(ANNA_ON_SITE).state == "on"
    assert (await gate.push("AB123", Direction.APPROACHING))["presence"] is None  # still here
    assert (await gate.push("AB123", Direction.DEPARTING))["presence"] == "left"
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ON_SITE).state == "0"


async def test_overstay_is_dropped_with_a_logbook_line(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """A vehicle on site longer than the limit: its departure was missed."""
    # An HTTP camera: it keeps no session whose timeouts the clock's jump would end.
    await add_http_camera(hass, "Gate", "gate")
    await add_vehicle(hass, "AB-123", "Anna's car")
    await set_site_settings(hass, on_site_limit=2)
    client = await hass_client_no_auth()
    for plate in ("AB123", "ZZ999"):
        response = await client.post(
            "/api/webhook/gate", json={"plate": plate, "direction": "Approach"}
        )
        assert response.status == 200
    logbook = async_capture_events(hass, EVENT_LOGBOOK_ENTRY)

    later = dt_util.utcnow() + timedelta(hours=1, minutes=59)
    with freeze_time(later, real_asyncio=True) as frozen:
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert hass.states.get(ON_SITE).state == "2"
        assert not logbook

        frozen.tick(timedelta(minutes=2))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert hass.states.get(ON_SITE).state == "0"
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert [(line.data["name"], line.data["message"]) for line in logbook] == [
        ("AB-123 (Anna's car)", "dropped from the site after 2 h"),
        ("ZZ999", "dropped from the site after 2 h"),
    ]
    assert logbook[0].data["entity_id"] == ON_SITE


async def test_clear_the_vehicles_on_site(hass: HomeAssistant, camera: CameraSimulator) -> None:
    gate = await start_gate(hass, camera, "Gate")
    await add_vehicle(hass, "AB-123", "Anna's car")
    await gate.push("AB123")
    await gate.push("ZZ999")

    await hass.services.async_call(DOMAIN, "clear_vehicles_on_site", blocking=True)

    assert hass.states.get(ON_SITE).state == "0"
    assert hass.states.get(ANNA_ON_SITE).state == "off"


async def test_presence_is_stored(
    hass: HomeAssistant, camera: CameraSimulator, hass_storage: dict[str, Any]
) -> None:
    """What is on site and when each vehicle was last seen is saved, at the latest at stop."""
    gate = await start_gate(hass, camera, "Gate")
    await add_vehicle(hass, "AB-123", "Anna's car")
    await gate.push("AB123")
    await gate.push("ZZ999")

    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()

    stored = hass_storage[STORE_KEY]["data"]
    [anna] = site_entry(hass).subentries
    sighting = {"time": ANY, "camera_entry_id": gate.entry.entry_id, "camera": "Gate"}
    passage = {"passage_id": ANY}  # the arrival's: the plate log finds its read by it
    assert stored == {
        "on_site": [
            {"plate": "AB-123", "vehicle_id": anna, "arrival": sighting, **passage},
            {"plate": "ZZ999", "vehicle_id": None, "arrival": sighting, **passage},
        ],
        "sightings": {anna: sighting},
        "correction_rules": [],
    }


async def test_presence_is_restored_at_start(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A start with a stored site: the vehicles on site and the last sightings are back."""
    seen = "2030-01-07T08:30:15+00:00"
    sighting = {"time": seen, "camera_entry_id": "removed-camera", "camera": "Old gate"}
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {
            "on_site": [
                {"plate": "AB-123", "vehicle_id": "anna", "arrival": sighting},
                {"plate": "ZZ999", "vehicle_id": None, "arrival": sighting},
                {"plate": "BROKEN", "vehicle_id": None, "arrival": {"time": "yesterday"}},
            ],
            "sightings": {"anna": sighting, "gone": sighting},
        },
    }
    MockConfigEntry(
        domain=DOMAIN,
        title="Site",
        data={CONF_KIND: KIND_SITE},
        subentries_data=[
            ConfigSubentryDataWithId(
                data={"plate": "AB-123", "name": "Anna's car", "list": "allow"},
                subentry_id="anna",
                subentry_type="vehicle",
                title="Anna's car",
                unique_id="AB123",
            )
        ],
    ).add_to_hass(hass)

    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    assert hass.states.get(ANNA_ON_SITE).state == "on"
    assert hass.states.get(ANNA_LAST_SEEN).state == seen
    assert hass.states.get(ANNA_LAST_CAMERA).state == "Old gate"
    assert on_site(hass) == [("AB-123", "Anna's car", "Old gate"), ("ZZ999", None, "Old gate")]


async def test_a_removed_vehicle_leaves_the_site(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    gate = await start_gate(hass, camera, "Gate")
    await add_vehicle(hass, "AB-123", "Anna's car")
    await gate.push("AB123")

    await hass.services.async_call(DOMAIN, "remove_known_plate", {"plate": "AB123"}, blocking=True)
    await hass.async_block_till_done()

    assert hass.states.get(ANNA_ON_SITE) is None
    assert hass.states.get(ON_SITE).state == "0"
