"""The websocket commands of who is on site and of the visits, for the Plates panel.

Who is on site is the site's presence (site/presence.py); the plate log gives each vehicle on
site the read of its arrival (by the passage it arrived by) and each vehicle its visits.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_INVALID_FORMAT, ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import (
    async_response,
    require_admin,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from ..const import DOMAIN
from ..lpr.matching import normalise
from ..read import ReadKey
from ..site import Site, site_of
from ..site.known_vehicles import ATTR_PLATE
from ..site.presence import SIGNAL_ON_SITE_CHANGED, OnSite
from .access import PLATE, READ_ID, allowed, camera_title, database_for, picture, read_row
from .database import LoggedRead, Visit

MAX_ON_SITE_PAGE = 500
MAX_VISITS_PAGE = 200
# A vehicle: a known one by its id, any other by its plate.
_VEHICLE: dict[str | vol.Marker, Any] = {
    vol.Exclusive("vehicle_id", "vehicle"): str,
    vol.Exclusive(ATTR_PLATE, "vehicle"): PLATE,
}


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/on_site/list",
        vol.Optional("offset", default=0): vol.All(int, vol.Range(min=0)),
        vol.Optional("limit", default=100): vol.All(int, vol.Range(min=1, max=MAX_ON_SITE_PAGE)),
    }
)
@async_response
async def ws_list_on_site(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The vehicles on site, newest arrival first, each with the read of its arrival."""
    if not allowed(hass, connection, msg):
        return
    site = site_of(hass)
    presence = site.presence
    offset, limit = msg["offset"], msg["limit"]
    items = presence.newest(offset + limit)[::-1][offset:]
    arrivals: dict[str, LoggedRead] = {}
    passages = [item.passage_id for item in items if item.passage_id]
    if passages and (database := site.plate_log.database) is not None:
        arrivals = await hass.async_add_executor_job(database.arrivals, passages)
    connection.send_result(
        msg["id"],
        {
            "vehicles": [
                _on_site(hass, connection, site, item, arrivals.get(item.passage_id or ""))
                for item in items
            ],
            "count": presence.count,
        },
    )


def _on_site(
    hass: HomeAssistant,
    connection: ActiveConnection,
    site: Site,
    item: OnSite,
    arrival: LoggedRead | None,
) -> dict[str, Any]:
    vehicle = site.known_vehicles.by_id(item.vehicle_id) if item.vehicle_id else None
    sighting = item.arrival
    return {
        ReadKey.PLATE: item.plate,
        ReadKey.VEHICLE_ID: item.vehicle_id,
        ReadKey.KNOWN_NAME: (vehicle.name or None) if vehicle else None,
        ReadKey.KNOWN_LIST: str(vehicle.plate_list) if vehicle else None,
        "arrival": sighting.time.isoformat(),
        ReadKey.CONFIG_ENTRY_ID: sighting.camera_entry_id,
        ReadKey.CAMERA: camera_title(hass, sighting.camera_entry_id, sighting.camera),
        ReadKey.PASSAGE_ID: item.passage_id,
        "read_id": None if arrival is None else arrival.read_id,
        "plate_picture": None if arrival is None else picture(hass, connection, arrival, "plate"),
    }


@websocket_command({vol.Required("type"): f"{DOMAIN}/on_site/leave", **_VEHICLE})
@require_admin
@callback
def ws_leave_site(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """A vehicle on site leaves it: someone saw it go where no camera did (a logbook line)."""
    if not _vehicle_given(connection, msg):
        return
    by = connection.user.name or "an administrator"
    gone = site_of(hass).async_mark_left(msg.get(ATTR_PLATE, ""), msg.get("vehicle_id"), by)
    if gone is None:
        connection.send_error(msg["id"], ERR_NOT_FOUND, "The vehicle is not on site")
        return
    connection.send_result(
        msg["id"], {ReadKey.PLATE: gone.plate, ReadKey.VEHICLE_ID: gone.vehicle_id}
    )


@websocket_command({vol.Required("type"): f"{DOMAIN}/on_site/subscribe"})
@callback
def ws_subscribe_on_site(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """An event, with how many vehicles are on site, whenever a vehicle arrives or leaves."""
    if not allowed(hass, connection, msg):
        return
    presence = site_of(hass).presence

    @callback
    def forward() -> None:
        connection.send_message(event_message(msg["id"], {"count": presence.count}))

    connection.subscriptions[msg["id"]] = async_dispatcher_connect(
        hass, SIGNAL_ON_SITE_CHANGED, forward
    )
    connection.send_result(msg["id"])


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/visits/list",
        **_VEHICLE,
        vol.Optional("before"): READ_ID,
        vol.Optional("limit", default=50): vol.All(int, vol.Range(min=1, max=MAX_VISITS_PAGE)),
    }
)
@async_response
async def ws_list_visits(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A vehicle's visits, newest first; `next` is the cursor of the page after it."""
    if (database := database_for(hass, connection, msg)) is None:
        return
    if not _vehicle_given(connection, msg):
        return
    vehicle_id, plate = msg.get("vehicle_id"), msg.get(ATTR_PLATE, "")
    page = await hass.async_add_executor_job(
        database.visits, vehicle_id, normalise(plate), msg.get("before"), msg["limit"]
    )
    on_site = site_of(hass).presence.item_of(plate, vehicle_id) is not None
    connection.send_result(
        msg["id"],
        {
            "visits": [_visit(hass, connection, visit, on_site) for visit in page.visits],
            "next": page.next,
        },
    )


def _visit(
    hass: HomeAssistant, connection: ActiveConnection, visit: Visit, on_site: bool
) -> dict[str, Any]:
    departure = visit.departure
    return {
        "arrival": read_row(hass, connection, visit.arrival),
        "departure": None if departure is None else read_row(hass, connection, departure),
        "duration": visit.duration,
        # Still going: nothing ended it, and the vehicle is on site.
        "on_site": not visit.ended and on_site,
    }


def _vehicle_given(connection: ActiveConnection, msg: dict[str, Any]) -> bool:
    """Whether a vehicle is named (by its id or its plate); if not, the error is sent."""
    if "vehicle_id" in msg or ATTR_PLATE in msg:
        return True
    connection.send_error(msg["id"], ERR_INVALID_FORMAT, "Give a vehicle_id or a plate")
    return False
