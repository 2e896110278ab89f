"""The site's edges: forgetting a removed vehicle is saved and announced."""

from __future__ import annotations

from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN
from custom_components.lpr_camera.data import DATA_KEY
from custom_components.lpr_camera.site import SIGNAL_SITE_UPDATED, STORE_KEY

from .common import add_http_camera

ON_SITE = "sensor.site_vehicles_on_site"


async def saved_site(hass: HomeAssistant, hass_storage: dict[str, Any]) -> dict[str, Any]:
    """The site as stored once a save it asked for has run (at the latest, at stop)."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    data: dict[str, Any] = hass_storage[STORE_KEY]["data"]
    return data


async def add_vehicle(hass: HomeAssistant, plate: str, name: str) -> None:
    data = {"plate": plate, "name": name}
    await hass.services.async_call(DOMAIN, "add_known_plate", data, blocking=True)
    await hass.async_block_till_done()


async def remove_vehicle(hass: HomeAssistant, plate: str) -> int:
    """Remove a known vehicle; return how often the site announced a change meanwhile."""
    announced: list[None] = []
    unsubscribe = async_dispatcher_connect(
        hass, SIGNAL_SITE_UPDATED, callback(lambda: announced.append(None))
    )
    await hass.services.async_call(DOMAIN, "remove_known_plate", {"plate": plate}, blocking=True)
    await hass.async_block_till_done()
    unsubscribe()
    return len(announced)


async def test_a_removed_vehicle_is_forgotten_in_the_store_and_announced(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    hass_storage: dict[str, Any],
) -> None:
    """Its presence and last sighting go from the store, and the site's listeners are told.

    Anna's car is on site; Bob's van was only seen leaving (a last sighting, no presence).
    """
    assert await async_setup_component(hass, DOMAIN, {})
    await add_http_camera(hass, "Gate", "gate")
    await add_vehicle(hass, "AB-123", "Anna's car")
    await add_vehicle(hass, "CD-456", "Bob's van")
    client = await hass_client_no_auth()
    for plate, direction in (("AB123", "Approach"), ("ZZ999", "Approach"), ("CD456", "Away")):
        response = await client.post(
            "/api/webhook/gate", json={"plate": plate, "direction": direction}
        )
        assert response.status == 200
    await hass.async_block_till_done()
    anna, bob = (vehicle.vehicle_id for vehicle in hass.data[DATA_KEY].known_vehicles.vehicles)
    stored = await saved_site(hass, hass_storage)
    assert [item["vehicle_id"] for item in stored["on_site"]] == [anna, None]
    assert set(stored["sightings"]) == {anna, bob}

    assert await remove_vehicle(hass, "AB123")
    stored = await saved_site(hass, hass_storage)
    assert [item["plate"] for item in stored["on_site"]] == ["ZZ999"]
    assert list(stored["sightings"]) == [bob]
    assert hass.states.get(ON_SITE).state == "1"

    assert await remove_vehicle(hass, "CD456")
    stored = await saved_site(hass, hass_storage)
    assert [item["plate"] for item in stored["on_site"]] == ["ZZ999"]
    assert stored["sightings"] == {}
