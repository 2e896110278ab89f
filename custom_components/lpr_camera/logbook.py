"""A logbook line per read, under the camera: "Gate: AB123 (Anna's car, authorized) arrived".

The camera is the line's name and the read its message: where the logbook shows one entity (the
camera's Plate, a dashboard card of it) it leaves the name out, and the read still says it all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import LazyEventPartialState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, EVENT_PLATE_RECOGNIZED, EVENT_TYPE_DENIED, EVENT_TYPE_KNOWN
from .lpr import Direction
from .lpr.matching import normalise
from .lpr.passes import PassStatus
from .site.presence import PresenceChange

WHERE: dict[str, str] = {Direction.APPROACHING: "approaching", Direction.DEPARTING: "departing"}
PRESENCE: dict[str, str] = {PresenceChange.ARRIVED: "arrived", PresenceChange.LEFT: "left"}
WHY_NOT_AUTHORIZED: dict[str, str] = {
    PassStatus.NOT_YET_VALID: "pass not yet valid",
    PassStatus.EXPIRED: "pass expired",
    PassStatus.OUTSIDE_HOURS: "outside its pass's hours",
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[
        [str, str, Callable[[LazyEventPartialState], dict[str, Any]]], None
    ],
) -> None:
    """Describe the plate event of every camera."""

    @callback
    def async_describe_read(event: LazyEventPartialState) -> dict[str, Any]:
        data = event.data
        description = {
            LOGBOOK_ENTRY_NAME: _camera_name(hass, data),
            LOGBOOK_ENTRY_MESSAGE: f"{describe_plate(data)} {_where(data)}"
            + (" (repeat)" if data.get("repeat") else ""),
        }
        if entity_id := data.get("entity_id"):  # the camera's Plate event entity
            description[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
        return description

    async_describe_event(DOMAIN, EVENT_PLATE_RECOGNIZED, async_describe_read)


def describe_plate(data: Mapping[str, Any]) -> str:
    """The plate and what the known vehicles say of it: "AB123 (Anna's car, authorized)"."""
    plate = str(data.get("plate"))
    details: list[str] = []
    event_type = data.get("event_type")
    if event_type in (EVENT_TYPE_KNOWN, EVENT_TYPE_DENIED):
        matched = str(data.get("matched_plate"))
        if name := data.get("known_name"):
            details.append(str(name))
        if normalise(matched) != normalise(plate):
            details.append(f"read for {matched}")
        if event_type == EVENT_TYPE_DENIED:
            details.append("deny list")
        elif data.get("authorized"):
            details.append("authorized")
        else:
            status = str(data.get("pass_status"))  # allowed but not authorized: its pass says why
            details.append(f"not authorized: {WHY_NOT_AUTHORIZED.get(status, status)}")
    elif ties := data.get("match_ties"):
        details.append("could be " + " or ".join(str(tie) for tie in ties))
    else:
        details.append("unknown")
    return f"{plate} ({', '.join(details)})"


def _where(data: Mapping[str, Any]) -> str:
    """What the read did on the site, else which way the vehicle went."""
    if presence := PRESENCE.get(str(data.get("presence"))):
        return presence
    return WHERE.get(str(data.get("direction")), "seen")


def _camera_name(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """The camera's device name as the user sees it, else its entry's title."""
    if (device_id := data.get("device_id")) and (device := dr.async_get(hass).async_get(device_id)):
        return device.name_by_user or device.name or "the camera"
    entry = hass.config_entries.async_get_entry(str(data.get("config_entry_id")))
    return entry.title if entry else "the camera"
