"""The websocket API of the plate log, for the panel: reads, plates, statistics, known vehicles.

Every command needs a logged-in user (as every websocket command does); the one that changes
something needs an admin. Pictures go out as signed paths of Home Assistant's media view, valid
for the user's session (its refresh token) and a day at most, never as public URLs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

import voluptuous as vol
from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND, ERR_UNAUTHORIZED
from homeassistant.components.websocket_api.decorators import (
    async_response,
    require_admin,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.translation import (
    async_get_exception_message,
    async_get_translations,
)
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, EVENT_TYPE_DENIED, EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN
from ..lpr.models import MAX_PLATE_LENGTH
from ..read import ReadKey
from ..site import site_of
from ..site.known_vehicles import (
    ATTR_LIST,
    ATTR_NAME,
    ATTR_PLATE,
    KnownVehicleError,
    PlateList,
    known_vehicle,
    vehicle_data,
)
from .database import LoggedRead, PlateLogDatabase, ReadFilter
from .log import SIGNAL_READ_LOGGED

PICTURE_URL_LIFETIME = timedelta(days=1)
MAX_CAMERA_IDS = 100
STATISTICS_DAYS = (7, 30)
ERROR_NOT_LOADED = "not_loaded"
ERROR_ALREADY_KNOWN = "already_known"
ERROR_INVALID = "invalid"

EVENT_TYPES = (EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN, EVENT_TYPE_DENIED)
_PLATE = vol.All(str, vol.Length(min=1, max=MAX_PLATE_LENGTH))
_CAMERAS = vol.All([str], vol.Length(max=MAX_CAMERA_IDS))
# A read's id: SQLite's integers are 64-bit, and a larger one fails in the query (OverflowError)
# rather than finding nothing; the plate log's ids start at 1.
MAX_READ_ID = 2**63 - 1
_READ_ID = vol.All(int, vol.Range(min=1, max=MAX_READ_ID))
_FILTERS: dict[str | vol.Marker, Any] = {
    vol.Optional("config_entry_ids"): _CAMERAS,
    vol.Optional("start"): cv.datetime,
    vol.Optional("end"): cv.datetime,
    vol.Optional("plate"): _PLATE,
}
_READ_FILTERS: dict[str | vol.Marker, Any] = {
    **_FILTERS,
    vol.Optional("event_types"): [
        vol.In((EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN, EVENT_TYPE_DENIED))
    ],
    vol.Optional("exact_plate"): _PLATE,
}


@callback
def async_setup_websocket_api(hass: HomeAssistant) -> None:
    """Register the plate log's commands."""
    for command in (
        ws_list_reads,
        ws_get_read,
        ws_subscribe_reads,
        ws_list_plates,
        ws_statistics,
        ws_save_known_vehicle,
    ):
        async_register_command(hass, command)


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/reads/list",
        **_READ_FILTERS,
        vol.Optional("before"): _READ_ID,
        vol.Optional("limit", default=50): vol.All(int, vol.Range(min=1, max=200)),
    }
)
@async_response
async def ws_list_reads(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A page of reads, newest first; `next` is the cursor of the page after it."""
    page = await _async_query(
        hass,
        connection,
        msg,
        lambda database, where: database.reads(where, msg.get("before"), msg["limit"]),
    )
    if page is None:
        return
    connection.send_result(
        msg["id"],
        {"reads": [_row(hass, connection, read) for read in page.reads], "next": page.next},
    )


@websocket_command({vol.Required("type"): f"{DOMAIN}/reads/get", vol.Required("read_id"): _READ_ID})
@async_response
async def ws_get_read(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """One read with every field and all its pictures."""
    if (database := _database(hass, connection, msg)) is None:
        return
    read = await hass.async_add_executor_job(database.get, msg["read_id"])
    if read is None:
        connection.send_error(msg["id"], ERR_NOT_FOUND, "No such read")
        return
    evidence = sorted(
        (kind for kind in read.pictures if kind.startswith("evidence")),
        key=lambda kind: int(kind.removeprefix("evidence") or 0),
    )
    connection.send_result(
        msg["id"],
        {
            **_row(hass, connection, read),
            "full_picture": _picture(hass, connection, read, "full"),
            "evidence_pictures": [_picture(hass, connection, read, kind) for kind in evidence],
            # The panel shows them as they come: in the read table's order.
            "details": read.details(),
        },
    )


@websocket_command({vol.Required("type"): f"{DOMAIN}/reads/subscribe", **_READ_FILTERS})
@callback
def ws_subscribe_reads(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Send each read as it is logged, if the filters (those of reads/list) take it."""
    if _database(hass, connection, msg) is None:
        return
    where = _filter(hass, msg)

    @callback
    def forward(read: LoggedRead) -> None:
        if where.admits(read):
            connection.send_message(event_message(msg["id"], _row(hass, connection, read)))

    connection.subscriptions[msg["id"]] = async_dispatcher_connect(
        hass, SIGNAL_READ_LOGGED, forward
    )
    connection.send_result(msg["id"])


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/plates/list",
        **_FILTERS,
        vol.Optional("limit", default=100): vol.All(int, vol.Range(min=1, max=500)),
    }
)
@async_response
async def ws_list_plates(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The distinct plates of the reads, newest last seen first."""
    plates = await _async_query(
        hass, connection, msg, lambda database, where: database.plates(where, msg["limit"])
    )
    if plates is None:
        return
    connection.send_result(
        msg["id"],
        {
            "plates": [
                {
                    ReadKey.PLATE: plate.plate,
                    "reads": plate.reads,
                    "first_seen": plate.first_seen.isoformat(),
                    "last_seen": plate.last_seen.isoformat(),
                    ReadKey.VEHICLE_ID: plate.vehicle_id,
                    ReadKey.KNOWN_NAME: plate.known_name,
                    ReadKey.KNOWN_LIST: plate.known_list,
                }
                for plate in plates
            ]
        },
    )


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/statistics",
        vol.Required("days"): vol.In(STATISTICS_DAYS),
        vol.Optional("config_entry_ids"): _CAMERAS,
    }
)
@async_response
async def ws_statistics(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Reads per hour and per day by camera over the last days, the unknown, the busiest hours."""
    if (database := _database(hass, connection, msg)) is None:
        return
    # Whole local days: today and the days before it.
    since = dt_util.start_of_local_day(dt_util.now().date() - timedelta(days=msg["days"] - 1))
    figures = await hass.async_add_executor_job(
        database.statistics, since, dt_util.get_default_time_zone(), msg.get("config_entry_ids")
    )
    cameras = {camera for _, camera, _ in figures.daily}
    connection.send_result(
        msg["id"],
        {
            "cameras": {
                camera: _camera_title(hass, camera, figures.titles.get(camera, camera))
                for camera in sorted(cameras)
            },
            "hourly": [
                {"hour": hour.isoformat(), ReadKey.CONFIG_ENTRY_ID: camera, "reads": reads}
                for hour, camera, reads in figures.hourly
            ],
            "daily": [
                {"day": day, ReadKey.CONFIG_ENTRY_ID: camera, "reads": reads}
                for day, camera, reads in figures.daily
            ],
            "reads": figures.reads,
            "unknown": figures.unknown,
            "busiest_hours": [
                {"hour": hour, "reads": reads} for hour, reads in enumerate(figures.busiest_hours)
            ],
        },
    )


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/known_vehicles/save",
        vol.Required(ATTR_PLATE): str,
        vol.Required(ATTR_NAME): str,
        vol.Required(ATTR_LIST): vol.In([str(plate_list) for plate_list in PlateList]),
        vol.Optional("vehicle_id"): str,
    }
)
@require_admin
@async_response
async def ws_save_known_vehicle(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Add a known vehicle (no vehicle_id), or change the plate, name and list of one."""
    known_vehicles = site_of(hass).known_vehicles
    changes = {key: msg[key] for key in (ATTR_PLATE, ATTR_NAME, ATTR_LIST)}
    vehicle_id = msg.get("vehicle_id")
    other = known_vehicles.get(msg[ATTR_PLATE])
    if other is not None and other.vehicle_id != vehicle_id:
        connection.send_error(
            msg["id"], ERROR_ALREADY_KNOWN, f"{other.plate} is already a known vehicle"
        )
        return
    try:
        if vehicle_id is None:
            vehicle = known_vehicles.async_save(changes)
        elif (site := known_vehicles.site_entry) is None or vehicle_id not in site.subentries:
            connection.send_error(msg["id"], ERR_NOT_FOUND, "No such vehicle")
            return
        else:
            subentry = site.subentries[vehicle_id]
            known_vehicles.async_update(subentry, vehicle_data({**subentry.data, **changes}))
            vehicle = known_vehicle(site.subentries[vehicle_id])
    except KnownVehicleError as err:
        await _send_invalid(hass, connection, msg, err)
        return
    connection.send_result(
        msg["id"],
        {
            "vehicle_id": vehicle.vehicle_id,
            "plate": vehicle.plate,
            "name": vehicle.name,
            "list": str(vehicle.plate_list),
        },
    )


async def _send_invalid(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: Mapping[str, Any],
    err: KnownVehicleError,
) -> None:
    """The error with the English message of the known vehicles' translated one."""
    await async_get_translations(hass, "en", "exceptions", [DOMAIN])
    connection.send_error(
        msg["id"],
        ERROR_INVALID,
        async_get_exception_message(DOMAIN, err.key, err.placeholders),
        translation_key=err.key,
        translation_domain=DOMAIN,
        translation_placeholders=err.placeholders,
    )


def _database(
    hass: HomeAssistant, connection: ActiveConnection, msg: Mapping[str, Any]
) -> PlateLogDatabase | None:
    """The plate log's database; None (and the error sent) while no entry is loaded.

    The plate log may be for administrators only (the site's setting): then None for others.
    """
    site = site_of(hass)
    if site.known_vehicles.settings.plate_log_admin_only and not connection.user.is_admin:
        connection.send_error(msg["id"], ERR_UNAUTHORIZED, "The plate log is for administrators")
        return None
    database = site.plate_log.database
    if database is None:
        connection.send_error(msg["id"], ERROR_NOT_LOADED, "The plate log is not open")
    return database


async def _async_query[T](
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: Mapping[str, Any],
    query: Callable[[PlateLogDatabase, ReadFilter], T],
) -> T | None:
    """A query of the command's filters, in the executor; None (the error sent) if it cannot."""
    if (database := _database(hass, connection, msg)) is None:
        return None
    where = _filter(hass, msg)
    async with _searching(hass, where):
        return await hass.async_add_executor_job(query, database, where)


def _searching(hass: HomeAssistant, where: ReadFilter) -> AbstractAsyncContextManager[Any]:
    """A turn among the plate searches that run at once (a query without one runs at once)."""
    if where.plate is None:
        return contextlib.nullcontext()
    return site_of(hass).plate_log.searching


def _filter(hass: HomeAssistant, msg: Mapping[str, Any]) -> ReadFilter:
    return ReadFilter(
        config_entry_ids=msg.get("config_entry_ids"),
        start=_moment(msg.get("start")),
        end=_moment(msg.get("end")),
        event_types=msg.get("event_types"),
        plate=msg.get("plate"),
        tolerance=site_of(hass).known_vehicles.settings.tolerance,
        exact_plate=msg.get("exact_plate"),
    )


def _moment(value: datetime | None) -> datetime | None:
    """A time of a command; without a zone, it is Home Assistant's local time."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt_util.get_default_time_zone())


def _row(hass: HomeAssistant, connection: ActiveConnection, read: LoggedRead) -> dict[str, Any]:
    """A read as every list shows it: its id, its columns, its plate crop."""
    return {
        "read_id": read.read_id,
        **read.columns(),
        "plate_picture": _picture(hass, connection, read, "plate"),
    }


def _picture(
    hass: HomeAssistant, connection: ActiveConnection, read: LoggedRead, kind: str
) -> str | None:
    """A signed path of one of the read's pictures, for this connection's user."""
    if (relative := read.picture(kind)) is None:
        return None
    return async_sign_path(
        hass,
        site_of(hass).plate_log.url_of(relative),
        PICTURE_URL_LIFETIME,
        refresh_token_id=connection.refresh_token_id,
    )


def _camera_title(hass: HomeAssistant, camera_id: str, logged: str) -> str:
    """The camera's title now; a camera removed since keeps the title of its last read."""
    entry = hass.config_entries.async_get_entry(camera_id)
    return entry.title if entry is not None else logged
