"""The site in bounds: vehicles on site, their list, a plate on site once, changes that stay put."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.const import EVENT_LOGBOOK_ENTRY, EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import CONF_ROLE, DOMAIN, ROLE_ENTRANCE
from custom_components.lpr_camera.site import presence

from .common import add_http_camera

ON_SITE = "sensor.site_vehicles_on_site"
ANNA_ON_SITE = "binary_sensor.anna_s_car_on_site"


@pytest.fixture
async def post(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> Any:
    """Reads posted to an HTTP camera at an entrance: every read is an arrival."""
    await add_http_camera(hass, **{CONF_ROLE: ROLE_ENTRANCE})
    client = await hass_client_no_auth()

    async def send(*plates: str) -> None:
        for plate in plates:
            response = await client.post("/api/webhook/gate-hook", json={"plate": plate})
            assert response.status == 200
        await hass.async_block_till_done()

    return send


async def add_vehicle(hass: HomeAssistant, plate: str, name: str) -> None:
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": plate, "name": name}, blocking=True
    )
    await hass.async_block_till_done()


async def test_unknown_vehicles_past_the_bound_leave_the_one_there_longest(
    hass: HomeAssistant, post: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presence, "MAX_UNKNOWN_ON_SITE", 3)
    await add_vehicle(hass, "AB-123", "Anna's car")
    lines = async_capture_events(hass, EVENT_LOGBOOK_ENTRY)

    await post("AB123", "U1", "U2", "U3", "U4")

    assert hass.states.get(ON_SITE).state == "4"  # three unknown, and Anna
    plates = [vehicle["plate"] for vehicle in hass.states.get(ON_SITE).attributes["vehicles"]]
    assert plates == ["AB-123", "U2", "U3", "U4"]
    [line] = [event.data for event in lines if event.data.get("domain") == DOMAIN]
    assert line == {
        "name": "U1",
        "message": "dropped from the site as more than 3 unknown vehicles were",
        "domain": DOMAIN,
        "entity_id": ON_SITE,
    }


async def test_the_sensor_lists_the_newest_arrivals(hass: HomeAssistant, post: Any) -> None:
    plates = [f"P{number}" for number in range(25)]
    await post(*plates)

    state = hass.states.get(ON_SITE)
    assert state.state == "25"
    assert [vehicle["plate"] for vehicle in state.attributes["vehicles"]] == plates[5:]


async def test_a_plate_on_site_that_becomes_known_is_on_site_once(
    hass: HomeAssistant, post: Any
) -> None:
    """KA 01 AB 1234 arrives unknown, then is made a known vehicle: one vehicle on site."""
    await post("KA 01 AB 1234", "XY9")
    arrival = hass.states.get(ON_SITE).attributes["vehicles"][0]["arrival"]

    await add_vehicle(hass, "KA01AB1234", "Delivery bus")

    state = hass.states.get(ON_SITE)
    assert state.state == "2"
    assert state.attributes["vehicles"][0] == {
        "plate": "KA01AB1234",
        "name": "Delivery bus",
        "arrival": arrival,
        "camera": "Gate",
    }
    assert hass.states.get("binary_sensor.delivery_bus_on_site").state == "on"
    await post("KA 01 AB 1234")  # read again: it is on site already
    assert hass.states.get(ON_SITE).state == "2"


async def test_a_change_of_one_vehicle_leaves_the_others_alone(
    hass: HomeAssistant, post: Any
) -> None:
    """Adding, editing or removing a vehicle: no other vehicle's entity goes unavailable."""
    await add_vehicle(hass, "AB-123", "Anna's car")
    await post("AB123")
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)

    await add_vehicle(hass, "CD-456", "Ben's van")
    await add_vehicle(hass, "CD-456", "Ben's truck")
    await hass.services.async_call(DOMAIN, "remove_known_plate", {"plate": "CD-456"}, blocking=True)
    await hass.async_block_till_done()

    touched = {
        event.data["entity_id"]
        for event in changes
        if "anna" in event.data["entity_id"] or event.data["entity_id"] == ON_SITE
    }
    assert touched == set()
    assert hass.states.get(ANNA_ON_SITE).state == "on"
    assert hass.states.get("binary_sensor.ben_s_van_on_site") is None
