"""The HTTP type: the camera POSTs (or GETs) each read to a webhook of Home Assistant.

Newer firmware posts its other events (counts, list matches, violations, ...) to the same URL:
they go on the bus as lpr_camera_camera_event, never as a read. The webhook sources (Plate
Recognizer, ALPR-Database's body) take their requests the same way: `async_register_handler`,
`async_receive_reads` (bounded, parsed off the event loop, 400 with the reason, 503 when busy).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from http import HTTPStatus
from typing import TYPE_CHECKING

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, EVENT_CAMERA_EVENT
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
from .lpr.plate_reads import MAX_READS_PER_REQUEST, PlateReads
from .memory import LARGE_BODY_BYTES, release_freed_memory

if TYPE_CHECKING:
    # Only named: the sources' modules, which the coordinator imports, use this one.
    from .coordinator import LprCameraCoordinator

type RequestHandler = Callable[[LprCameraCoordinator, web.Request], Awaitable[web.Response]]

UNAUTHORIZED_HEADERS = {hdrs.WWW_AUTHENTICATE: f'Basic realm="{DOMAIN}"'}
# A camera answered 503 for the bodies being read may send again this soon: a body that has
# arrived is parsed in well under a second.
RETRY_AFTER_SECONDS = 1
BUSY_HEADERS = {hdrs.RETRY_AFTER: str(RETRY_AFTER_SECONDS)}
BODIES_BEING_READ: HassKey[BodyBudget] = HassKey(f"{DOMAIN}_bodies_being_read")


def webhook_url(hass: HomeAssistant, webhook_id: str) -> str:
    """The URL to paste into the camera (or the other system), on Home Assistant's own address."""
    try:
        return webhook.async_generate_url(hass, webhook_id, allow_ip=True, prefer_external=False)
    except NoURLAvailableError:
        return f"http://HOME_ASSISTANT_ADDRESS:8123{webhook.async_generate_path(webhook_id)}"


@callback
def async_register_webhook(coordinator: LprCameraCoordinator) -> None:
    """Receive the camera's reads until the entry unloads (local network only)."""
    async_register_handler(coordinator, _async_handle_request, (hdrs.METH_POST, hdrs.METH_GET))


@callback
def async_register_handler(
    coordinator: LprCameraCoordinator, handle: RequestHandler, methods: Iterable[str]
) -> None:
    """Answer the requests to the entry's webhook until it unloads (local network only)."""
    hass = coordinator.hass
    entry = coordinator.config_entry
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    hass.data.setdefault(BODIES_BEING_READ, BodyBudget())

    async def handler(hass: HomeAssistant, webhook_id: str, request: web.Request) -> web.Response:
        return await handle(coordinator, request)

    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        handler,
        local_only=True,
        allowed_methods=tuple(methods),
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def _async_handle_request(
    coordinator: LprCameraCoordinator, request: web.Request
) -> web.Response:
    if not _authorized(coordinator, request):
        coordinator.warn_once("unauthorized", "A request without the right credentials was refused")
        return web.Response(status=HTTPStatus.UNAUTHORIZED, headers=UNAUTHORIZED_HEADERS)
    received_at = dt_util.utcnow()
    received: PlateRead | CameraEvent | web.Response
    if request.method == hdrs.METH_GET:
        try:
            received = parse_query(request.query.items(), received_at=received_at)
        except InvalidReadError as err:
            received = refused(coordinator, err)
    else:
        parse = partial(
            parse_post, timezone=dt_util.get_default_time_zone(), received_at=received_at
        )
        received = await async_parse_body(coordinator, request, parse)
    if isinstance(received, web.Response):
        return received
    if isinstance(received, CameraEvent):
        _async_fire_camera_event(coordinator, received)
    else:
        async_take_read(coordinator, received)
    return web.Response(status=HTTPStatus.OK)


async def async_parse_body[T](
    coordinator: LprCameraCoordinator, request: web.Request, parse: Callable[[bytes], T]
) -> T | web.Response:
    """The body, parsed off the event loop; or the answer to a body refused or not read now.

    The bodies being read at once, across every webhook, are at most MAX_BODIES_BYTES: past
    them a request is answered 503, to send again. A body that is no read is answered 400 with
    the reason.
    """
    hass = coordinator.hass
    try:
        return await _async_read_and_parse(hass, request, parse)
    except BodyBudgetSpentError:
        coordinator.shed["requests_answered_busy"] += 1
        coordinator.warn_once(
            "busy",
            "%d MiB of requests are being read already: a request was answered 503, to send again",
            MAX_BODIES_BYTES // 2**20,
        )
        return web.Response(status=HTTPStatus.SERVICE_UNAVAILABLE, headers=BUSY_HEADERS)
    except InvalidReadError as err:
        return refused(coordinator, err)
    finally:
        if request.content.total_bytes >= LARGE_BODY_BYTES:
            await hass.async_add_executor_job(release_freed_memory)


async def _async_read_and_parse[T](
    hass: HomeAssistant, request: web.Request, parse: Callable[[bytes], T]
) -> T:
    """Read the body within the budget, and parse it; the body is freed on return."""
    with hass.data[BODIES_BEING_READ].counting() as count:
        body = await _async_bounded_body(request, count)
        # JSON and base64 of megabytes: in the executor, not on the event loop.
        return await hass.async_add_executor_job(parse, body)


def refused(coordinator: LprCameraCoordinator, err: InvalidReadError) -> web.Response:
    """A request that is no read: 400 with the reason, logged once per reason."""
    coordinator.warn_once(str(err), "A request that is not a plate read was refused: %s", err)
    return web.Response(status=HTTPStatus.BAD_REQUEST, text=str(err))


async def async_receive_reads(
    coordinator: LprCameraCoordinator,
    request: web.Request,
    parse: Callable[[bytes], PlateReads],
) -> web.Response:
    """Parse a request that may carry several plates, and hand over a read for each.

    A body with none (a webhook that found no plate) is answered 200 all the same, saying so:
    the sender did nothing wrong. The plates past the bound are counted and logged.
    """
    if isinstance(reads := await async_parse_body(coordinator, request, parse), web.Response):
        return reads
    for read in reads.reads:
        async_take_read(coordinator, read)
    if reads.left_out:
        coordinator.shed["reads_left_out"] += reads.left_out
        coordinator.warn_once(
            "left_out_reads",
            "Plates beyond the first %d of a request were left out: %d of them",
            MAX_READS_PER_REQUEST,
            reads.left_out,
        )
    return web.Response(status=HTTPStatus.OK, text="" if reads.reads else "no plate")


@callback
def async_take_read(coordinator: LprCameraCoordinator, read: PlateRead) -> None:
    """Hand over a read; the pictures that did not come are logged once."""
    if undecodable := read.raw.get(UNDECODABLE_IMAGES_KEY):
        coordinator.warn_once(
            "picture", "Pictures that are not base64 were dropped: %s", undecodable
        )
    if left_out := read.raw.get(LEFT_OUT_PICTURES_KEY):
        coordinator.shed["evidence_pictures_left_out"] += left_out
        coordinator.warn_once(
            "left_out_pictures",
            "Evidence pictures beyond the first %d of a read were left out: %d of them",
            MAX_EVIDENCE_PICTURES,
            left_out,
        )
    coordinator.async_handle_read(read)


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
