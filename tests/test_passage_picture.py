"""A passage's pictures by URL, as a notification sent at the read's bus event links them."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import EVENT_PLATE_RECOGNIZED
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import set_site_settings, wait_for


async def test_the_url_of_a_passage_serves_its_pictures(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    read = sample_read("AB123")
    await camera.push(read)
    await wait_for(lambda: events)
    url = f"/api/lpr_camera/passage/{events[0].data['passage_id']}"

    # Asked at once, as a notification is: the picture comes once it is saved.
    client = await hass_client()
    full = await client.get(f"{url}/full")
    assert full.status == 200
    assert full.content_type == "image/jpeg"
    assert await full.read() == read.full_image
    assert await (await client.get(f"{url}/plate")).read() == read.plate_image

    assert (await (await hass_client_no_auth()).get(f"{url}/full")).status == 401
    assert (await client.get(f"{url}/evidence0")).status == 404
    assert (await client.get("/api/lpr_camera/passage/../full")).status == 404
    assert (await client.get(f"/api/lpr_camera/passage/{'0' * 32}/full")).status == 404


async def test_no_pictures_kept_none_served(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    await set_site_settings(hass, history=False)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("AB123"))
    await wait_for(lambda: events)

    client = await hass_client()
    response = await client.get(f"/api/lpr_camera/passage/{events[0].data['passage_id']}/full")
    assert response.status == 404
