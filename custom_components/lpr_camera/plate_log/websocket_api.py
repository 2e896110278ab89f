"""The websocket API of the plate log, for the panel.

Reads, plates, statistics, known vehicles, corrections and their rules; who is on site and the
visits (on_site_api.py), the reads as CSV (export.py).

Every command needs a logged-in user (as every websocket command does), and an administrator
when the site keeps the plate log for administrators (access.py); those that change something
need an administrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import voluptuous as vol
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import (
    async_response,
    require_admin,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.translation import (
    async_get_exception_message,
    async_get_translations,
)
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..read import ReadKey
from ..site import site_of
from ..site.corrections import CorrectionRule, ReadNotFoundError
from ..site.known_vehicles import (
    ATTR_LIST,
    ATTR_NAME,
    ATTR_PLATE,
    KnownVehicleError,
    PlateList,
    known_vehicle,
    vehicle_data,
)
from .access import (
    CAMERAS,
    FILTERS,
    PLATE,
    READ_FILTERS,
    READ_ID,
    camera_title,
    database_for,
    picture,
    read_filter,
    read_row,
    searching,
)
from .database import LoggedRead
from .export import ws_export_reads
from .log import SIGNAL_READ_LOGGED
from .on_site_api import ws_leave_site, ws_list_on_site, ws_list_visits, ws_subscribe_on_site

STATISTICS_DAYS = (7, 30)
ERROR_ALREADY_KNOWN = "already_known"
ERROR_INVALID = "invalid"


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
        ws_correct_read,
        ws_list_rules,
        ws_remove_rule,
        ws_list_on_site,
        ws_leave_site,
        ws_subscribe_on_site,
        ws_list_visits,
        ws_export_reads,
    ):
        async_register_command(hass, command)


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/reads/list",
        **READ_FILTERS,
        vol.Optional("before"): READ_ID,
        vol.Optional("limit", default=50): vol.All(int, vol.Range(min=1, max=200)),
    }
)
@async_response
async def ws_list_reads(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """A page of reads, newest first; `next` is the cursor of the page after it."""
    if (database := database_for(hass, connection, msg)) is None:
        return
    where = read_filter(hass, msg)
    async with searching(hass, where):
        page = await hass.async_add_executor_job(
            database.reads, where, msg.get("before"), msg["limit"]
        )
    connection.send_result(
        msg["id"],
        {"reads": [read_row(hass, connection, read) for read in page.reads], "next": page.next},
    )


@websocket_command({vol.Required("type"): f"{DOMAIN}/reads/get", vol.Required("read_id"): READ_ID})
@async_response
async def ws_get_read(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """One read with every field and all its pictures."""
    if (database := database_for(hass, connection, msg)) is None:
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
            **read_row(hass, connection, read),
            "full_picture": picture(hass, connection, read, "full"),
            "evidence_pictures": [picture(hass, connection, read, kind) for kind in evidence],
            # The panel shows them as they come: in the read table's order.
            "details": read.details(),
        },
    )


@websocket_command({vol.Required("type"): f"{DOMAIN}/reads/subscribe", **READ_FILTERS})
@callback
def ws_subscribe_reads(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Send each read as it is logged, if the filters (those of reads/list) take it."""
    if database_for(hass, connection, msg) is None:
        return
    where = read_filter(hass, msg)

    @callback
    def forward(read: LoggedRead) -> None:
        if where.admits(read):
            connection.send_message(event_message(msg["id"], read_row(hass, connection, read)))

    connection.subscriptions[msg["id"]] = async_dispatcher_connect(
        hass, SIGNAL_READ_LOGGED, forward
    )
    connection.send_result(msg["id"])


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/plates/list",
        **FILTERS,
        vol.Optional("limit", default=100): vol.All(int, vol.Range(min=1, max=500)),
    }
)
@async_response
async def ws_list_plates(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The distinct plates of the reads, newest last seen first."""
    if (database := database_for(hass, connection, msg)) is None:
        return
    where = read_filter(hass, msg)
    async with searching(hass, where):
        plates = await hass.async_add_executor_job(database.plates, where, msg["limit"])
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
        vol.Optional("config_entry_ids"): CAMERAS,
    }
)
@async_response
async def ws_statistics(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Reads per hour and per day by camera over the last days, the unknown, the busiest hours."""
    if (database := database_for(hass, connection, msg)) is None:
        return
    # Whole local days: today and the days before it.
    since = dt_util.start_of_local_day(dt_util.now().date() - timedelta(days=msg["days"] - 1))
    cameras_asked = msg.get("config_entry_ids")
    figures = await hass.async_add_executor_job(
        database.statistics, since, dt_util.get_default_time_zone(), cameras_asked
    )
    dwell = await hass.async_add_executor_job(database.dwell, since, cameras_asked)
    cameras = {camera for _, camera, _ in figures.daily}
    connection.send_result(
        msg["id"],
        {
            "cameras": {
                camera: camera_title(hass, camera, figures.titles.get(camera, camera))
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
            # The visits that began in the period and ended with a departure, in seconds.
            "dwell": {"visits": dwell.visits, "median": dwell.median, "mean": dwell.mean},
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


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/reads/correct",
        vol.Required("read_id"): READ_ID,
        vol.Required(ATTR_PLATE): PLATE,
        vol.Optional("remember", default=False): bool,
    }
)
@require_admin
@async_response
async def ws_correct_read(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Correct a read's plate; with `remember`, the camera's later reads of it are corrected."""
    if database_for(hass, connection, msg) is None:
        return
    try:
        correction = await site_of(hass).async_correct(
            msg["read_id"], msg[ATTR_PLATE], msg["remember"]
        )
    except ReadNotFoundError:
        connection.send_error(msg["id"], ERR_NOT_FOUND, "No such read")
        return
    except KnownVehicleError as err:
        await _send_invalid(hass, connection, msg, err)
        return
    rule = correction.rule
    connection.send_result(
        msg["id"],
        {
            "read": read_row(hass, connection, correction.read),
            "rule": None if rule is None else _rule(hass, rule),
        },
    )


@websocket_command({vol.Required("type"): f"{DOMAIN}/rules/list"})
@require_admin
@callback
def ws_list_rules(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Every correction rule, newest first."""
    rules = site_of(hass).rules.rules
    connection.send_result(msg["id"], {"rules": [_rule(hass, rule) for rule in rules]})


@websocket_command({vol.Required("type"): f"{DOMAIN}/rules/remove", vol.Required("rule_id"): str})
@require_admin
@callback
def ws_remove_rule(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Remove a correction rule: the camera's later reads of its plate are taken as read."""
    if not site_of(hass).rules.async_remove(msg["rule_id"]):
        connection.send_error(msg["id"], ERR_NOT_FOUND, "No such rule")
        return
    connection.send_result(msg["id"])


def _rule(hass: HomeAssistant, rule: CorrectionRule) -> dict[str, str]:
    """A rule with its camera's title now (the one it had, for a camera removed since)."""
    return {**rule.as_dict(), "camera": camera_title(hass, rule.config_entry_id, rule.camera)}


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
