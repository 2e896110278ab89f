"""The known plates of before the site entry move into it: vehicles, settings, nothing twice."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.site.known_vehicles import is_site_entry
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import NO_PASS, SITE_DEFAULTS, site_entry, wait_for

LEGACY_KEY = "lpr_camera.known_plates"


def legacy_store(plates: list[dict[str, str]], settings: dict[str, Any]) -> dict[str, Any]:
    """The store the known plates and the shared settings lived in until version 0.1."""
    return {
        "version": 1,
        "minor_version": 1,
        "key": LEGACY_KEY,
        "data": {"plates": plates, "settings": settings},
    }


def site_entries(hass: HomeAssistant) -> list[Any]:
    return [entry for entry in hass.config_entries.async_entries(DOMAIN) if is_site_entry(entry)]


def vehicles(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """The site's known vehicles: title -> data."""
    return {s.title: dict(s.data) for s in site_entry(hass).subentries.values()}


async def read(hass: HomeAssistant, camera: CameraSimulator, plate: str) -> dict[str, Any]:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read(plate))
    await wait_for(lambda: events)
    return dict(events[0].data)


async def test_known_plates_become_the_sites_vehicles(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    camera: CameraSimulator,
) -> None:
    """A camera set up as before: the site appears with what the old store held."""
    hass_storage[LEGACY_KEY] = legacy_store(
        [
            {"plate": "AB-123 CD", "name": "Anna's car", "list": "allow"},
            {"plate": "X 99", "name": "", "list": "deny"},
            {"plate": "AB/12", "name": "Not a plate", "list": "allow"},  # edited by hand
            {"plate": "ab123cd", "name": "Anna's car again", "list": "deny"},  # the same plate
        ],
        {"tolerance": 7, "history": False, "retention_days": 10, "max_size_mb": 500},
    )
    config_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await camera.wait_for_client()

    [site] = site_entries(hass)
    assert site.title == "Site"
    assert vehicles(hass) == {
        "Anna's car": {"plate": "AB-123 CD", "name": "Anna's car", "list": "allow", **NO_PASS},
        "X 99": {"plate": "X 99", "name": "", "list": "deny", **NO_PASS},
    }
    # The tolerance 7 was in effect as 2, the most there is; the settings new since: defaults.
    assert site.options == {
        **SITE_DEFAULTS,
        "tolerance": 2,
        "history": False,
        "retention_days": 10,
        "max_size_mb": 500,
    }
    assert LEGACY_KEY not in hass_storage
    assert hass.states.get("binary_sensor.anna_s_car_on_site").state == "off"
    assert hass.states.get("binary_sensor.x_99_on_site").state == "off"

    anna = await read(hass, camera, "AB123CD")
    assert anna["known_name"] == "Anna's car"
    assert anna["authorized"] is True
    denied = await read(hass, camera, "X99")
    assert denied["event_type"] == "denied"
    assert denied["authorized"] is False


async def test_without_known_plates_the_site_starts_empty(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    [site] = site_entries(hass)
    assert site.title == "Site"
    assert site.data == {"kind": "site"}
    assert site.options == SITE_DEFAULTS
    assert vehicles(hass) == {}
    assert hass.states.get("sensor.site_vehicles_on_site").state == "0"


async def test_a_second_start_keeps_the_one_site(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """The site of the first start is the site; an old store left over is not moved again.

    (Left over: Home Assistant stopped between creating the site and setting it up.)
    """
    MockConfigEntry(
        domain=DOMAIN,
        title="Site",
        data={"kind": "site"},
        options={**SITE_DEFAULTS, "tolerance": 0},
        subentries_data=[
            ConfigSubentryDataWithId(
                data={"plate": "AB-123 CD", "name": "Anna's car", "list": "allow", **NO_PASS},
                subentry_id="anna",
                subentry_type="vehicle",
                title="Anna's car",
                unique_id="AB123CD",
            )
        ],
    ).add_to_hass(hass)
    hass_storage[LEGACY_KEY] = legacy_store(
        [{"plate": "B 4567", "name": "Van", "list": "allow"}], {"tolerance": 2}
    )

    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    [site] = site_entries(hass)
    assert list(site.subentries) == ["anna"]
    assert site.options["tolerance"] == 0
    assert LEGACY_KEY not in hass_storage
