"""Service actions: add and remove known plates from automations and scripts."""

from __future__ import annotations

import voluptuous as vol
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service

from .const import DOMAIN
from .data import DATA_KEY
from .known_plates import KnownPlateError, PlateList

SERVICE_ADD_KNOWN_PLATE = "add_known_plate"
SERVICE_REMOVE_KNOWN_PLATE = "remove_known_plate"
ATTR_PLATE = "plate"
ATTR_NAME = "name"
ATTR_LIST = "list"

# Types only: the values are checked in the handlers, which raise translated errors.
ADD_KNOWN_PLATE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_PLATE): cv.string,
        vol.Optional(ATTR_NAME, default=""): cv.string,
        vol.Optional(ATTR_LIST, default=str(PlateList.ALLOW)): cv.string,
    }
)
REMOVE_KNOWN_PLATE_SCHEMA = vol.Schema({vol.Required(ATTR_PLATE): cv.string})


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions; admin only, since an allowed plate may open a gate."""

    async def add_known_plate(call: ServiceCall) -> None:
        """Add a plate, or change the name and list of a plate already known."""
        known_plates = hass.data[DATA_KEY].known_plates
        try:
            await known_plates.async_add(
                call.data[ATTR_PLATE], call.data[ATTR_NAME], call.data[ATTR_LIST], update=True
            )
        except KnownPlateError as err:
            raise _validation_error(err) from err

    async def remove_known_plate(call: ServiceCall) -> None:
        """Remove a known plate, written any way that normalises to it."""
        try:
            await hass.data[DATA_KEY].known_plates.async_remove([call.data[ATTR_PLATE]])
        except KnownPlateError as err:
            raise _validation_error(err) from err

    async_register_admin_service(
        hass, DOMAIN, SERVICE_ADD_KNOWN_PLATE, add_known_plate, ADD_KNOWN_PLATE_SCHEMA
    )
    async_register_admin_service(
        hass, DOMAIN, SERVICE_REMOVE_KNOWN_PLATE, remove_known_plate, REMOVE_KNOWN_PLATE_SCHEMA
    )


def _validation_error(err: KnownPlateError) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=err.key,
        translation_placeholders=err.placeholders,
    )
