"""The HTTP type: the camera POSTs (or GETs) each read to a webhook of Home Assistant."""

from __future__ import annotations

import base64
import binascii
import hmac
from http import HTTPStatus

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import LprCameraCoordinator
from .lpr import InvalidReadError, PlateRead
from .lpr.http_push import MAX_BODY_BYTES, UNDECODABLE_IMAGES_KEY, parse_post, parse_query

UNAUTHORIZED_HEADERS = {hdrs.WWW_AUTHENTICATE: f'Basic realm="{DOMAIN}"'}


@callback
def async_register_webhook(hass: HomeAssistant, coordinator: LprCameraCoordinator) -> None:
    """Receive the camera's reads until the entry unloads (local network only)."""
    entry = coordinator.config_entry
    webhook_id = entry.data[CONF_WEBHOOK_ID]

    async def handle(hass: HomeAssistant, webhook_id: str, request: web.Request) -> web.Response:
        return await _async_handle_request(coordinator, request)

    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        handle,
        local_only=True,
        allowed_methods=(hdrs.METH_POST, hdrs.METH_GET),
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def _async_handle_request(
    coordinator: LprCameraCoordinator, request: web.Request
) -> web.Response:
    if not _authorized(coordinator, request):
        coordinator.warn_once("unauthorized", "A request without the right credentials was refused")
        return web.Response(status=HTTPStatus.UNAUTHORIZED, headers=UNAUTHORIZED_HEADERS)
    try:
        read = await _async_read_from(request)
    except InvalidReadError as err:
        coordinator.warn_once(str(err), "A request that is not a plate read was refused: %s", err)
        return web.Response(status=HTTPStatus.BAD_REQUEST, text=str(err))
    if undecodable := read.raw.get(UNDECODABLE_IMAGES_KEY):
        coordinator.warn_once(
            "picture", "Pictures that are not base64 were dropped: %s", undecodable
        )
    coordinator.async_handle_read(read)
    return web.Response(status=HTTPStatus.OK)


async def _async_read_from(request: web.Request) -> PlateRead:
    received_at = dt_util.utcnow()
    if request.method == hdrs.METH_GET:
        return parse_query(request.query.items(), received_at=received_at)
    body = await _async_bounded_body(request)
    return parse_post(body, timezone=dt_util.get_default_time_zone(), received_at=received_at)


async def _async_bounded_body(request: web.Request) -> bytes:
    """Read the body, but never more than a read can be."""
    too_large = InvalidReadError(f"body larger than {MAX_BODY_BYTES} bytes")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large
    return bytes(body)


def _authorized(coordinator: LprCameraCoordinator, request: web.Request) -> bool:
    """Check HTTP Basic credentials when the user set them."""
    data = coordinator.config_entry.data
    username, password = data.get(CONF_USERNAME) or "", data.get(CONF_PASSWORD) or ""
    if not username and not password:
        return True
    scheme, _, encoded = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        sent = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = f"{username}:{password}".encode()
    return hmac.compare_digest(sent, expected)
