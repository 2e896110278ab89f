"""Device triggers of a camera and of a known vehicle.

A camera: plate recognised, known, unknown, denied, authorized. A known vehicle: arrived, left,
recognised at any camera. Built on the bus event, filtered by the device (and optionally by the
known plate the read matched, or to leave repeats out), so the trigger data is the event's, as
in an event trigger.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .const import (
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
    EVENT_TYPE_DENIED,
    EVENT_TYPE_KNOWN,
    EVENT_TYPE_UNKNOWN,
)
from .site import DATA_KEY, device_subject, site_of
from .site.known_vehicles import PlateList, is_site_entry
from .site.presence import PresenceChange

CONF_PLATE = "plate"
CONF_IGNORE_REPEATS = "ignore_repeats"

TRIGGER_PLATE_RECOGNIZED = "plate_recognized"
TRIGGER_KNOWN_PLATE = "known_plate"
TRIGGER_UNKNOWN_PLATE = "unknown_plate"
TRIGGER_DENIED_PLATE = "denied_plate"
TRIGGER_AUTHORIZED_PLATE = "authorized_plate"
TRIGGER_VEHICLE_ARRIVED = "vehicle_arrived"
TRIGGER_VEHICLE_LEFT = "vehicle_left"
TRIGGER_VEHICLE_RECOGNIZED = "vehicle_recognized"

# The bus event data each trigger of a camera wants, beyond the camera's device.
CAMERA_TRIGGERS: dict[str, dict[str, Any]] = {
    TRIGGER_PLATE_RECOGNIZED: {},
    TRIGGER_KNOWN_PLATE: {"event_type": EVENT_TYPE_KNOWN},
    TRIGGER_UNKNOWN_PLATE: {"event_type": EVENT_TYPE_UNKNOWN},
    TRIGGER_DENIED_PLATE: {"event_type": EVENT_TYPE_DENIED},
    TRIGGER_AUTHORIZED_PLATE: {"authorized": True},
}
# ... and of a known vehicle, beyond the vehicle's device.
VEHICLE_TRIGGERS: dict[str, dict[str, Any]] = {
    TRIGGER_VEHICLE_ARRIVED: {"presence": str(PresenceChange.ARRIVED)},
    TRIGGER_VEHICLE_LEFT: {"presence": str(PresenceChange.LEFT)},
    TRIGGER_VEHICLE_RECOGNIZED: {},
}
# The known vehicles each trigger's picker offers: those of the lists its reads can match (an
# unknown plate matched none, an authorized one is on the allow list).
PLATE_LISTS: dict[str, tuple[PlateList, ...]] = {
    TRIGGER_PLATE_RECOGNIZED: (PlateList.ALLOW, PlateList.DENY),
    TRIGGER_KNOWN_PLATE: (PlateList.ALLOW,),
    TRIGGER_DENIED_PLATE: (PlateList.DENY,),
    TRIGGER_AUTHORIZED_PLATE: (PlateList.ALLOW,),
}
# Arrivals and departures are changes of the site: a repeat changes nothing there.
TRIGGERS_WITH_REPEATS = (*CAMERA_TRIGGERS, TRIGGER_VEHICLE_RECOGNIZED)

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In([*CAMERA_TRIGGERS, *VEHICLE_TRIGGERS]),
        vol.Optional(CONF_PLATE): vol.All(str, vol.Length(min=1)),
        vol.Optional(CONF_IGNORE_REPEATS, default=False): bool,
    }
)


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """A camera's triggers, or a known vehicle's."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return []
    entry_id, vehicle_id = device_subject(device.identifiers)
    if vehicle_id is not None:
        types = list(VEHICLE_TRIGGERS)
    elif (entry := hass.config_entries.async_get_entry(entry_id or "")) and not is_site_entry(
        entry
    ):
        types = list(CAMERA_TRIGGERS)
    else:
        return []
    return [
        {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id, CONF_TYPE: kind}
        for kind in types
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Optionally one known plate (picked, or typed as written); optionally no repeats."""
    fields: dict[vol.Marker, Any] = {}
    if plate_lists := PLATE_LISTS.get(config[CONF_TYPE]):
        options = [
            SelectOptionDict(value=vehicle.plate, label=_label(vehicle.plate, vehicle.name))
            for vehicle in site_of(hass).known_vehicles.vehicles
            if vehicle.plate_list in plate_lists
        ]
        fields[vol.Optional(CONF_PLATE)] = SelectSelector(
            SelectSelectorConfig(
                options=options, custom_value=True, mode=SelectSelectorMode.DROPDOWN
            )
        )
    if config[CONF_TYPE] in TRIGGERS_WITH_REPEATS:
        fields[vol.Optional(CONF_IGNORE_REPEATS, default=False)] = BooleanSelector()
    return {"extra_fields": vol.Schema(fields)} if fields else {}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the device's reads of the wanted kind."""
    kind = config[CONF_TYPE]
    if kind in VEHICLE_TRIGGERS:
        event_data = {"vehicle_device_id": config[CONF_DEVICE_ID], **VEHICLE_TRIGGERS[kind]}
    else:
        event_data = {CONF_DEVICE_ID: config[CONF_DEVICE_ID], **CAMERA_TRIGGERS[kind]}
    if config.get(CONF_IGNORE_REPEATS):
        event_data["repeat"] = False
    if (plate := config.get(CONF_PLATE)) is not None:
        # Typed another way ("ab 123" for "AB-123"): the known plate as written, which the
        # event carries.
        site = hass.data.get(DATA_KEY)
        known = None if site is None else site.known_vehicles.get(plate)
        event_data["matched_plate"] = plate if known is None else known.plate
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: EVENT_PLATE_RECOGNIZED,
            CONF_EVENT_DATA: event_data,
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )


def _label(plate: str, name: str) -> str:
    return f"{plate} - {name}" if name else plate
