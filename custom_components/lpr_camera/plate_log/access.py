"""What the plate log's websocket commands and its CSV download share.

Who may ask, the filters, and how a read goes out (a row with its plate crop as a signed path).

The plate log may be for administrators only (the site's setting): every command and the
download check it first. Pictures go out as signed paths of Home Assistant's media view, valid
for the user's session (its refresh token) and a day at most, never as public URLs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

import voluptuous as vol
from homeassistant.auth.models import User
from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_UNAUTHORIZED
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from ..const import EVENT_TYPE_DENIED, EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN
from ..lpr.models import MAX_PLATE_LENGTH
from ..site import site_of
from .database import MAX_READ_ID, LoggedRead, PlateLogDatabase, ReadFilter

PICTURE_URL_LIFETIME = timedelta(days=1)
MAX_CAMERA_IDS = 100
ERROR_NOT_LOADED = "not_loaded"

EVENT_TYPES = (EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN, EVENT_TYPE_DENIED)
PLATE = vol.All(str, vol.Length(min=1, max=MAX_PLATE_LENGTH))
CAMERAS = vol.All([str], vol.Length(max=MAX_CAMERA_IDS))
# A read's id: SQLite's integers are 64-bit, and a larger one fails in the query (OverflowError)
# rather than finding nothing; the plate log's ids start at 1.
READ_ID = vol.All(int, vol.Range(min=1, max=MAX_READ_ID))
FILTERS: dict[str | vol.Marker, Any] = {
    vol.Optional("config_entry_ids"): CAMERAS,
    vol.Optional("start"): cv.datetime,
    vol.Optional("end"): cv.datetime,
    vol.Optional("plate"): PLATE,
}
READ_FILTERS: dict[str | vol.Marker, Any] = {
    **FILTERS,
    vol.Optional("event_types"): [vol.In(EVENT_TYPES)],
    vol.Optional("exact_plate"): PLATE,
}


@callback
def may_read(hass: HomeAssistant, user: User) -> bool:
    """Whether a user may see the plate log: every user, or administrators (the site says)."""
    return user.is_admin or not site_of(hass).known_vehicles.settings.plate_log_admin_only


@callback
def allowed(hass: HomeAssistant, connection: ActiveConnection, msg: Mapping[str, Any]) -> bool:
    """Whether the user may see the plate log; if not, the error is sent."""
    if may_read(hass, connection.user):
        return True
    connection.send_error(msg["id"], ERR_UNAUTHORIZED, "The plate log is for administrators")
    return False


@callback
def database_for(
    hass: HomeAssistant, connection: ActiveConnection, msg: Mapping[str, Any]
) -> PlateLogDatabase | None:
    """The plate log's database, if the user may see it; else None, and the error sent.

    None too while no entry is loaded.
    """
    if not allowed(hass, connection, msg):
        return None
    database = site_of(hass).plate_log.database
    if database is None:
        connection.send_error(msg["id"], ERROR_NOT_LOADED, "The plate log is not open")
    return database


def searching(hass: HomeAssistant, where: ReadFilter) -> AbstractAsyncContextManager[Any]:
    """A turn among the plate searches that run at once (a query without one runs at once)."""
    if where.plate is None:
        return contextlib.nullcontext()
    return site_of(hass).plate_log.searching


def read_filter(hass: HomeAssistant, msg: Mapping[str, Any]) -> ReadFilter:
    """The filters of reads/list, as a command or the download gives them."""
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


@callback
def read_row(hass: HomeAssistant, connection: ActiveConnection, read: LoggedRead) -> dict[str, Any]:
    """A read as every list shows it: its id, its columns, its plate crop."""
    return {
        "read_id": read.read_id,
        **read.columns(),
        "plate_picture": picture(hass, connection, read, "plate"),
    }


@callback
def picture(
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


@callback
def camera_title(hass: HomeAssistant, camera_id: str, logged: str) -> str:
    """The camera's title now; a camera removed since keeps the title it was logged with."""
    entry = hass.config_entries.async_get_entry(camera_id)
    return entry.title if entry is not None else logged
