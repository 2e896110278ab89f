"""The HTTP type: the camera POSTs (or GETs) each read to a webhook of Home Assistant.

Newer firmware posts its other events (counts, list matches, violations, ...) to the same URL:
they go on the bus as lpr_camera_camera_event, never as a read.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable
from functools import partial
from http import HTTPStatus

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, EVENT_CAMERA_EVENT
from .coordinator import LprCameraCoordinator
from .lpr import InvalidReadError, PlateRead
from .lpr.http_push import (
    LEFT_OUT_PICTURES_KEY,
    MAX_BODIES_BYTES,
    MAX_BODY_BYTES,
    MAX_EVIDENCE_PICTURES,
    UNDECODABLE_IMAGES_KEY,
    BodyBudget,
    BodyBudgetSpentError,
    CameraEvent,
    CameraEventKind,
    parse_post,
    parse_query,
)

UNAUTHORIZED_HEADERS = {hdrs.WWW_AUTHENTICATE: f'Basic realm="{DOMAIN}"'}
# A camera answered 503 for the bodies being read may send again this soon: a body that has
# arrived is parsed in well under a second.
RETRY_AFTER_SECONDS = 1
BUSY_HEADERS = {hdrs.RETRY_AFTER: str(RETRY_AFTER_SECONDS)}
BODIES_BEING_READ: HassKey[BodyBudget] = HassKey(f"{DOMAIN}_bodies_being_read")


@callback
def async_register_webhook(hass: HomeAssistant, coordinator: LprCameraCoordinator) -> None:
    """Receive the camera's reads until the entry unloads (local network only)."""
    entry = coordinator.config_entry
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    hass.data.setdefault(BODIES_BEING_READ, BodyBudget())

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
        received = await _async_parse(coordinator.hass, request)
    except BodyBudgetSpentError:
        coordinator.shed["requests_answered_busy"] += 1
        coordinator.warn_once(
            "busy",
            "%d MiB of requests are being read already: a request was answered 503, to send again",
            MAX_BODIES_BYTES // 2**20,
        )
        return web.Response(status=HTTPStatus.SERVICE_UNAVAILABLE, headers=BUSY_HEADERS)
    except InvalidReadError as err:
        coordinator.warn_once(str(err), "A request that is not a plate read was refused: %s", err)
        return web.Response(status=HTTPStatus.BAD_REQUEST, text=str(err))
    if isinstance(received, CameraEvent):
        _async_fire_camera_event(coordinator, received)
        return web.Response(status=HTTPStatus.OK)
    if undecodable := received.raw.get(UNDECODABLE_IMAGES_KEY):
        coordinator.warn_once(
            "picture", "Pictures that are not base64 were dropped: %s", undecodable
        )
    if left_out := received.raw.get(LEFT_OUT_PICTURES_KEY):
        coordinator.shed["evidence_pictures_left_out"] += left_out
        coordinator.warn_once(
            "left_out_pictures",
            "Evidence pictures beyond the first %d of a read were left out: %d of them",
            MAX_EVIDENCE_PICTURES,
            left_out,
        )
    coordinator.async_handle_read(received)
    return web.Response(status=HTTPStatus.OK)


async def _async_parse(hass: HomeAssistant, request: web.Request) -> PlateRead | CameraEvent:
    received_at = dt_util.utcnow()
    if request.method == hdrs.METH_GET:
        return parse_query(request.query.items(), received_at=received_at)
    with hass.data[BODIES_BEING_READ].counting() as count:
        body = await _async_bounded_body(request, count)
        # JSON and base64 of megabytes: in the executor, not on the event loop.
        return await hass.async_add_executor_job(
            partial(
                parse_post,
                body,
                timezone=dt_util.get_default_time_zone(),
                received_at=received_at,
            )
        )


async def _async_bounded_body(request: web.Request, count: Callable[[int], None]) -> bytes:
    """Read the body, but never more than a read can be, each chunk counted as it comes."""
    too_large = InvalidReadError(f"body larger than {MAX_BODY_BYTES} bytes")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large
    chunks = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        count(len(chunk))
        chunks.append(chunk)
    return b"".join(chunks)


@callback
def _async_fire_camera_event(coordinator: LprCameraCoordinator, event: CameraEvent) -> None:
    """Put an event of the camera that is no read on the bus, for automations."""
    if event.kind is CameraEventKind.OTHER:
        coordinator.warn_once(
            "camera_event_kind",
            "An event of a kind not known (%.64s) is fired as %s, not taken for a plate read",
            event.raw.get("event"),
            EVENT_CAMERA_EVENT,
        )
    coordinator.hass.bus.async_fire(
        EVENT_CAMERA_EVENT,
        {
            **event.as_dict(),
            "config_entry_id": coordinator.config_entry.entry_id,
            "device_id": coordinator.device_id,
        },
    )


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
