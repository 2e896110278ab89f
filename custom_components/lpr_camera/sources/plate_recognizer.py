"""A source for Plate Recognizer (Stream, Snapshot SDK): its webhook posts each recognition.

Stream's `webhook_targets` (config.ini) or Snapshot's webhook names the URL the form shows; the
body is JSON, a form with a `json` field, or a form with the picture too ("Webhook with Image").
Local network only, as the HTTP type: Plate Recognizer's cloud cannot reach it (a read may open
a gate). No credentials: Snapshot's webhook sends none (Stream could add a header, the same
secret over the same connection), so the secret is the URL's webhook id, as for Home Assistant's
own webhooks.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from aiohttp import hdrs, web
from homeassistant.util import dt as dt_util

from ..lpr.plate_recognizer import parse_webhook
from ..webhook import async_receive_reads
from .webhooks import webhook_form, webhook_source_type

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

SOURCE_PLATE_RECOGNIZER = "plate_recognizer"


async def _async_handle(coordinator: LprCameraCoordinator, request: web.Request) -> web.Response:
    # The whole Content-Type: a multipart body's boundary is in it.
    parse = partial(
        parse_webhook,
        content_type=request.headers.get(hdrs.CONTENT_TYPE, ""),
        received_at=dt_util.utcnow(),
    )
    return await async_receive_reads(coordinator, request, parse)


SOURCE_TYPE = webhook_source_type(SOURCE_PLATE_RECOGNIZER, "Plate Recognizer", _async_handle)
FORM = webhook_form("source_plate_recognizer_webhook", SOURCE_PLATE_RECOGNIZER, "Plate Recognizer")
