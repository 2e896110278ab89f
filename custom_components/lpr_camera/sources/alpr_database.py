"""A source for Blue Iris and CodeProject.AI: the body ALPR-Database's `/api/plate-reads` takes.

Blue Iris's alert action posts it to the URL the form shows in place of ALPR-Database's, the
body and the `x-api-key` header unchanged. The key is optional: when set here, a request must
carry it (401 with ALPR-Database's own reasons otherwise). Local network only.
"""

from __future__ import annotations

import hmac
from functools import partial
from http import HTTPStatus
from typing import TYPE_CHECKING

import voluptuous as vol
from aiohttp import web
from homeassistant.const import CONF_API_KEY
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
from homeassistant.util import dt as dt_util

from ..lpr.alpr_database import API_KEY_HEADER, parse_plate_reads
from ..webhook import async_receive_reads
from .webhooks import webhook_form, webhook_source_type

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

SOURCE_ALPR_DATABASE = "alpr_database"


async def _async_handle(coordinator: LprCameraCoordinator, request: web.Request) -> web.Response:
    if (reason := _unauthorized(coordinator, request)) is not None:
        coordinator.warn_once("unauthorized", "A request was refused: %s", reason)
        return web.Response(status=HTTPStatus.UNAUTHORIZED, text=reason)
    parse = partial(
        parse_plate_reads,
        timezone=dt_util.get_default_time_zone(),
        received_at=dt_util.utcnow(),
    )
    return await async_receive_reads(coordinator, request, parse)


def _unauthorized(coordinator: LprCameraCoordinator, request: web.Request) -> str | None:
    """Why the request's key is not the one set (ALPR-Database's words); None when it is."""
    if not (expected := coordinator.config_entry.data.get(CONF_API_KEY)):
        return None
    if not (sent := request.headers.get(API_KEY_HEADER)):
        return "API key is required"
    encoded = sent.encode(errors="surrogateescape")
    return None if hmac.compare_digest(encoded, str(expected).encode()) else "Invalid API key"


SOURCE_TYPE = webhook_source_type(
    SOURCE_ALPR_DATABASE, "Blue Iris (ALPR-Database's webhook)", _async_handle
)
FORM = webhook_form(
    "source_alpr_database",
    SOURCE_ALPR_DATABASE,
    "Blue Iris",
    vol.Schema(
        {
            vol.Optional(CONF_API_KEY): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD)
            )
        }
    ),
)
