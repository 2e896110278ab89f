"""The reads a filter takes, as CSV: a download (HTTP) and a websocket command, page by page.

One column per field of the read table that the plate log keeps (its columns, then its
details, in the table's order), headed by the field's word; times in ISO 8601 with Home
Assistant's time zone; UTF-8. Newest first, at most MAX_EXPORT_ROWS reads: a download is
written in batches, each made in the executor, so no export holds the event loop or the
memory, and few run at once (the plate log's `exporting`).

A spreadsheet takes a cell that begins with = + - @ (or a tab or a carriage return) for a
formula, and a plate is text anyone can paint: such text is written with a ' before it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, tzinfo
from http import HTTPStatus
from typing import Any

import voluptuous as vol
from aiohttp import web
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..read import Goes, ReadKey, keys
from ..site import site_of
from .access import READ_FILTERS, READ_ID, database_for, may_read, read_filter, searching
from .database import PlateLogDatabase, ReadFilter

EXPORT_URL = f"/api/{DOMAIN}/reads.csv"
HEADER = keys(Goes.COLUMN | Goes.DETAIL)
MAX_EXPORT_ROWS = 100_000
EXPORT_BATCH = 1000
MAX_EXPORT_PAGE = 1000
_MOMENTS = frozenset({ReadKey.TIME, ReadKey.FILED_AT})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The filters a download takes in its query: the lists by repeating the parameter.
_LISTS = ("config_entry_ids", "event_types")
_QUERY = vol.Schema(READ_FILTERS)


def csv_page(
    database: PlateLogDatabase,
    where: ReadFilter,
    before: int | None,
    limit: int,
    zone: tzinfo,
) -> tuple[str, int | None]:
    """A page of reads as CSV rows (the header first, without `before`), and the next cursor.

    In the executor.
    """
    page = database.reads(where, before, limit)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if before is None:
        writer.writerow(HEADER)
    for read in page.reads:
        writer.writerow(_cell(key, read.fields.get(key), zone) for key in HEADER)
    return out.getvalue(), page.next


def _cell(key: str, value: Any, zone: tzinfo) -> str:
    """A field as one cell: text as it is (but a formula), times in the zone, lists as JSON."""
    if value is None:
        return ""
    if key in _MOMENTS:
        return datetime.fromisoformat(str(value)).astimezone(zone).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/reads/export",
        **READ_FILTERS,
        vol.Optional("before"): READ_ID,
        vol.Optional("limit", default=500): vol.All(int, vol.Range(min=1, max=MAX_EXPORT_PAGE)),
    }
)
@async_response
async def ws_export_reads(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A page of the CSV the download gives: `csv`, and `next`, the cursor of the page after it.

    The first page (without `before`) begins with the header: the pages one after the other
    are the file.
    """
    if (database := database_for(hass, connection, msg)) is None:
        return
    where = read_filter(hass, msg)
    async with site_of(hass).plate_log.exporting, searching(hass, where):
        text, cursor = await hass.async_add_executor_job(
            csv_page,
            database,
            where,
            msg.get("before"),
            msg["limit"],
            dt_util.get_default_time_zone(),
        )
    connection.send_result(msg["id"], {"csv": text, "next": cursor})


class ReadsCsvView(HomeAssistantView):
    """GET the reads the query's filters take (those of reads/list) as a CSV file."""

    url = EXPORT_URL
    name = f"api:{DOMAIN}:reads_csv"
    requires_auth = True

    async def get(self, request: web.Request) -> web.StreamResponse:
        """Stream the CSV, batch by batch, newest read first."""
        hass: HomeAssistant = request.app[KEY_HASS]
        if not may_read(hass, request[KEY_HASS_USER]):
            return self.json_message("The plate log is for administrators", HTTPStatus.FORBIDDEN)
        try:
            msg = _QUERY(_query(request))
        except vol.Invalid as err:
            return self.json_message(f"Invalid filter: {err}", HTTPStatus.BAD_REQUEST)
        plate_log = site_of(hass).plate_log
        if (database := plate_log.database) is None:
            return self.json_message("The plate log is not open", HTTPStatus.SERVICE_UNAVAILABLE)
        where = read_filter(hass, msg)
        stamp = dt_util.now().strftime("%Y-%m-%d_%H%M%S")
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="lpr_camera_reads_{stamp}.csv"',
            }
        )
        async with plate_log.exporting, searching(hass, where):
            await response.prepare(request)
            await _async_stream(hass, database, where, response)
        await response.write_eof()
        return response


async def _async_stream(
    hass: HomeAssistant, database: PlateLogDatabase, where: ReadFilter, response: web.StreamResponse
) -> None:
    """Write the reads, EXPORT_BATCH at a time, until MAX_EXPORT_ROWS."""
    zone = dt_util.get_default_time_zone()
    before: int | None = None
    written = 0
    while written < MAX_EXPORT_ROWS:
        limit = min(EXPORT_BATCH, MAX_EXPORT_ROWS - written)
        text, cursor = await hass.async_add_executor_job(
            csv_page, database, where, before, limit, zone
        )
        await response.write(text.encode())
        written += limit
        if cursor is None:
            return
        before = cursor


def _query(request: web.Request) -> dict[str, Any]:
    """The query's filters: the lists by repeated parameters, the others once."""
    query = request.query
    found: dict[str, Any] = {key: value for key, value in query.items() if key not in _LISTS}
    for key in _LISTS:
        if key in query:
            found[key] = query.getall(key)
    return found


@callback
def async_register_export(hass: HomeAssistant) -> None:
    """Serve the download."""
    hass.http.register_view(ReadsCsvView())
