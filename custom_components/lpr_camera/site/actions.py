"""Service actions: the known vehicles and the vehicles on site, for automations and scripts."""

from __future__ import annotations

import voluptuous as vol
from homeassistant.const import WEEKDAYS
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service

from ..const import DOMAIN
from . import Site
from .known_vehicles import (
    ATTR_END,
    ATTR_LIST,
    ATTR_NAME,
    ATTR_PLATE,
    ATTR_START,
    ATTR_VALID_FROM,
    ATTR_VALID_UNTIL,
    ATTR_WEEKDAYS,
    KnownVehicleError,
)

SERVICE_ADD_KNOWN_PLATE = "add_known_plate"
SERVICE_REMOVE_KNOWN_PLATE = "remove_known_plate"
SERVICE_CLEAR_VEHICLES_ON_SITE = "clear_vehicles_on_site"

# Types only: the values are checked by the known vehicles, which raise translated errors.
# No defaults: only the fields given change a vehicle already known; None clears a pass field.
ADD_KNOWN_PLATE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_PLATE): cv.string,
        vol.Optional(ATTR_NAME): vol.Any(None, cv.string),
        vol.Optional(ATTR_LIST): cv.string,
        vol.Optional(ATTR_VALID_FROM): vol.Any(None, cv.datetime),
        vol.Optional(ATTR_VALID_UNTIL): vol.Any(None, cv.datetime),
        vol.Optional(ATTR_WEEKDAYS): vol.Any(None, [vol.In(WEEKDAYS)]),
        vol.Optional(ATTR_START): vol.Any(None, cv.time),
        vol.Optional(ATTR_END): vol.Any(None, cv.time),
    }
)
REMOVE_KNOWN_PLATE_SCHEMA = vol.Schema({vol.Required(ATTR_PLATE): cv.string})


@callback
def async_setup_actions(hass: HomeAssistant, site: Site) -> None:
    """Register the actions; admin only, since an allowed vehicle may open a gate."""

    async def add_known_plate(call: ServiceCall) -> None:
        """Add a known vehicle, or change the given fields of the one with that plate."""
        try:
            site.known_vehicles.async_save(call.data)
        except KnownVehicleError as err:
            raise _validation_error(err) from err

    async def remove_known_plate(call: ServiceCall) -> None:
        """Remove a known vehicle, its plate written any way that normalises to it."""
        try:
            site.known_vehicles.async_remove([call.data[ATTR_PLATE]])
        except KnownVehicleError as err:
            raise _validation_error(err) from err

    async def clear_vehicles_on_site(call: ServiceCall) -> None:
        """Empty the list of vehicles on site, e.g. the morning after a camera outage."""
        site.presence.async_clear()

    async_register_admin_service(
        hass, DOMAIN, SERVICE_ADD_KNOWN_PLATE, add_known_plate, ADD_KNOWN_PLATE_SCHEMA
    )
    async_register_admin_service(
        hass, DOMAIN, SERVICE_REMOVE_KNOWN_PLATE, remove_known_plate, REMOVE_KNOWN_PLATE_SCHEMA
    )
    async_register_admin_service(
        hass, DOMAIN, SERVICE_CLEAR_VEHICLES_ON_SITE, clear_vehicles_on_site, vol.Schema({})
    )


def _validation_error(err: KnownVehicleError) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=err.key,
        translation_placeholders=err.placeholders,
    )
