"""After a restart a camera's pictures are those of its last read, from the picture history."""

from __future__ import annotations

import base64

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.image import NO_PICTURE

from .common import add_http_camera

PLATE_IMAGE = "image.gate_plate_picture"
FULL_IMAGE = "image.gate_full_picture"
PLATE_JPEG = b"\xff\xd8\xff\xe0plate-crop\xff\xd9"
FULL_JPEG = b"\xff\xd8\xff\xe0full-snapshot\xff\xd9"


async def picture(client, hass: HomeAssistant, entity_id: str) -> tuple[int, bytes]:
    response = await client.get(f"/api/image_proxy/{entity_id}")
    return response.status, await response.read()


async def test_pictures_come_back_after_a_restart(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    entry = await add_http_camera(hass, "Gate", "gate")
    camera = await hass_client_no_auth()
    first = {"plate": "AB123", "full_image": base64.b64encode(b"\xff\xd8old\xff\xd9").decode()}
    last = {
        "plate": "CD456",
        "plate_image": base64.b64encode(PLATE_JPEG).decode(),
        "full_image": base64.b64encode(FULL_JPEG).decode(),
    }
    for body in (first, last, {"plate": "NO PICTURES"}):
        assert (await camera.post("/api/webhook/gate", json=body)).status == 200
        await hass.async_block_till_done()
    taken = hass.states.get(FULL_IMAGE).state

    # A restart of the camera's entry: no read has come since.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    client = await hass_client()
    assert await picture(client, hass, PLATE_IMAGE) == (200, PLATE_JPEG)
    assert await picture(client, hass, FULL_IMAGE) == (200, FULL_JPEG)
    assert hass.states.get(FULL_IMAGE).state == taken  # when the picture was taken


async def test_without_a_history_the_pictures_stay_empty(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    await add_http_camera(hass, "Gate", "gate")

    # Before any picture the image proxy answers calmly (no server error in the browser's
    # console): a transparent pixel, and the state says there is no picture yet.
    client = await hass_client()
    for entity_id in (PLATE_IMAGE, FULL_IMAGE):
        response = await client.get(f"/api/image_proxy/{entity_id}")
        assert response.status == 200
        assert response.content_type == "image/png"
        assert await response.read() == NO_PICTURE
        assert hass.states.get(entity_id).state == "unknown"
