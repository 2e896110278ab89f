"""A source's pictures: an image or camera entity's picture at the read, or a picture by URL.

Home Assistant's own entities are asked through their components. A URL must be on this host
(a script or Node-RED beside Home Assistant): Home Assistant fetches nothing elsewhere for a
caller, and never more than MAX_PICTURE_BYTES.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import aiohttp
from homeassistant.components.image.const import DATA_COMPONENT as IMAGE_COMPONENT
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.network import NoURLAvailableError, get_url

# A 4K snapshot is about 3 MB: a picture larger than this is no camera's.
MAX_PICTURE_BYTES = 8 * 1024 * 1024
PICTURE_TIMEOUT = aiohttp.ClientTimeout(total=10)


class PictureError(HomeAssistantError):
    """A picture could not be had; the read comes without it."""


async def async_entity_picture(hass: HomeAssistant, entity_id: str) -> bytes:
    """The picture an image or a camera entity shows now."""
    domain = split_entity_id(entity_id)[0]
    try:
        if domain == "camera":
            # Imported here: the camera component brings its JPEG library, loaded where used.
            from homeassistant.components import camera  # noqa: PLC0415

            return (await camera.async_get_image(hass, entity_id)).content
        entity = hass.data[IMAGE_COMPONENT].get_entity(entity_id) if domain == "image" else None
        if entity is not None and (picture := await entity.async_image()) is not None:
            return picture
    except (HomeAssistantError, KeyError) as err:
        raise PictureError(f"{entity_id} gave no picture: {err}") from err
    raise PictureError(f"{entity_id} is no image or camera entity with a picture")


def on_this_host(hass: HomeAssistant, url: str) -> bool:
    """Whether a URL is on the host Home Assistant runs on (loopback, or its own address)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        if ipaddress.ip_address(host).is_loopback:
            return True
    except ValueError:
        pass
    try:
        return host == urlsplit(get_url(hass, allow_external=False)).hostname
    except NoURLAvailableError:
        return False


async def async_url_picture(hass: HomeAssistant, url: str) -> bytes:
    """A picture by URL on this host, at most MAX_PICTURE_BYTES."""
    try:
        async with async_get_clientsession(hass).get(url, timeout=PICTURE_TIMEOUT) as response:
            response.raise_for_status()
            picture = await response.content.read(MAX_PICTURE_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError) as err:
        raise PictureError(f"{url} gave no picture: {err}") from err
    if len(picture) > MAX_PICTURE_BYTES:
        raise PictureError(f"{url} gave more than {MAX_PICTURE_BYTES} bytes")
    return picture
