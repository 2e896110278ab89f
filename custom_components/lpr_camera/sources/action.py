"""A source for scripts, automations and Node-RED: reads reported by an action.

    action: lpr_camera.report_read
    data:
      source: <the device of a source, or of a camera>
      plate: AB 123
      direction: approaching      # optional, and so are time, confidence, picture_entity,
      picture_entity: camera.gate  # picture_url (on this host)

The read goes the camera's way, as if the source had read it. Admins only: a read may open a
gate.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, LOGGER
from ..lpr import Direction, InvalidReadError, PlateRead
from ..lpr.log_once import LogOnce
from ..lpr.models import checked_plate
from ..site import device_subject
from ..site.known_vehicles import is_site_entry
from . import FormAnswer, FormState, SourceForm, SourceType, source_data
from .pictures import PictureError, async_entity_picture, async_url_picture, on_this_host

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

SOURCE_ACTION = "action"
CONF_ACTION_ID = "action_id"
SERVICE_REPORT_READ = "report_read"
ATTR_SOURCE = "source"
ATTR_PLATE = "plate"
ATTR_TIME = "time"
ATTR_DIRECTION = "direction"
ATTR_CONFIDENCE = "confidence"
ATTR_PICTURE_ENTITY = "picture_entity"
ATTR_PICTURE_URL = "picture_url"

REPORT_READ_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_SOURCE): cv.string,
        vol.Required(ATTR_PLATE): cv.string,
        vol.Optional(ATTR_TIME): cv.datetime,
        vol.Optional(ATTR_DIRECTION): vol.In([str(direction) for direction in Direction]),
        vol.Optional(ATTR_CONFIDENCE): vol.All(vol.Coerce(float), vol.Range(min=0, max=1)),
        vol.Optional(ATTR_PICTURE_ENTITY): cv.entity_domain(["camera", "image"]),
        vol.Optional(ATTR_PICTURE_URL): cv.url,
    }
)


async def _async_start(coordinator: LprCameraCoordinator) -> None:
    """Nothing to start: its reads come by the action."""


SOURCE_TYPE = SourceType(
    key=SOURCE_ACTION,
    model="Scripts and automations",
    has_session=False,
    async_start=_async_start,
    unique_id=lambda data: f"{SOURCE_ACTION}:{data[CONF_ACTION_ID]}",
)


async def _async_answer(
    hass: HomeAssistant, user_input: dict[str, Any], state: FormState
) -> FormAnswer:
    if not (name := str(user_input[CONF_NAME]).strip()):
        return "", {}, {CONF_NAME: "invalid_name"}
    return name, source_data(SOURCE_ACTION, **{CONF_ACTION_ID: uuid.uuid4().hex}), {}


FORM = SourceForm(
    step_id="source_action",
    schema=lambda _hass: vol.Schema(
        {vol.Required(CONF_NAME, default="Scripts and automations"): str}
    ),
    async_answer=_async_answer,
)


@callback
def async_setup_report_read(hass: HomeAssistant) -> None:
    """Register lpr_camera.report_read (admins only)."""
    picture_failures = LogOnce(LOGGER)

    async def report_read(call: ServiceCall) -> None:
        coordinator = _coordinator_of(hass, call.data[ATTR_SOURCE])
        read = _read(call.data)
        if (url := call.data.get(ATTR_PICTURE_URL)) and not on_this_host(hass, url):
            raise _invalid("picture_url_elsewhere", url=url)
        try:
            read = await _async_with_picture(hass, read, call.data)
        except PictureError as err:
            picture_failures("A read reported without its picture: %s", err)
        coordinator.async_handle_read(read)

    async_register_admin_service(hass, DOMAIN, SERVICE_REPORT_READ, report_read, REPORT_READ_SCHEMA)


def _coordinator_of(hass: HomeAssistant, source: str) -> LprCameraCoordinator:
    """The coordinator of a source or camera, by its device (or its config entry)."""
    device = dr.async_get(hass).async_get(source)
    entry_id = device_subject(device.identifiers)[0] if device else source
    entry = hass.config_entries.async_get_entry(entry_id or "")
    if entry is None or entry.domain != DOMAIN or is_site_entry(entry):
        raise _invalid("no_such_source", source=source)
    if entry.state is not ConfigEntryState.LOADED:
        raise _invalid("source_not_loaded", source=entry.title)
    coordinator: LprCameraCoordinator = entry.runtime_data
    return coordinator


def _read(data: dict[str, Any]) -> PlateRead:
    """The read an action reports; a plate that is no plate is no read."""
    try:
        plate = checked_plate(str(data[ATTR_PLATE]).strip())
    except InvalidReadError as err:
        raise _invalid("invalid_read", error=str(err)) from err
    if not plate:
        raise _invalid("invalid_read", error="no plate")
    time = data.get(ATTR_TIME) or dt_util.utcnow()
    return PlateRead(
        plate=plate,
        time=time if time.tzinfo else time.replace(tzinfo=dt_util.get_default_time_zone()),
        direction=Direction(data.get(ATTR_DIRECTION, Direction.UNKNOWN)),
        confidence=data.get(ATTR_CONFIDENCE),
    )


async def _async_with_picture(
    hass: HomeAssistant, read: PlateRead, data: dict[str, Any]
) -> PlateRead:
    if entity_id := data.get(ATTR_PICTURE_ENTITY):
        picture = await async_entity_picture(hass, entity_id)
    elif url := data.get(ATTR_PICTURE_URL):
        picture = await async_url_picture(hass, url)
    else:
        return read
    return dataclasses.replace(read, full_image=picture)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )
