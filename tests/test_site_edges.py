"""The site's edges: forgetting a removed vehicle is saved and announced; odd stored records."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import CONF_KIND, DOMAIN, KIND_SITE
from custom_components.lpr_camera.site import site_of
from custom_components.lpr_camera.site.presence import SIGNAL_SITE_UPDATED
from custom_components.lpr_camera.site.store import STORE_KEY

from .common import add_http_camera

ON_SITE = "sensor.site_vehicles_on_site"
ANNA_ON_SITE = "binary_sensor.anna_s_car_on_site"
ANNA_LAST_SEEN = "sensor.anna_s_car_last_seen"


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
    anna, bob = (vehicle.vehicle_id for vehicle in site_of(hass).known_vehicles.vehicles)
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


async def test_stored_records_that_are_not_objects_are_dropped(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A damaged store costs the damaged records, never the start."""
    sighting = {"time": "2030-01-07T08:30:15+00:00", "camera_entry_id": "gate", "camera": "Gate"}
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {
            "on_site": [
                "AB-123",
                ["AB-123", "anna"],
                None,
                {"plate": "AB-123", "vehicle_id": "anna", "arrival": "2030-01-07T08:30:15+00:00"},
                {"plate": "ZZ999", "vehicle_id": None, "arrival": sighting},
            ],
            "sightings": {"anna": "2030-01-07T08:30:15+00:00", "bob": [sighting]},
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

    assert hass.states.get(ON_SITE).state == "1"
    assert hass.states.get(ON_SITE).attributes["vehicles"][0]["plate"] == "ZZ999"
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ANNA_LAST_SEEN).state == "unknown"
