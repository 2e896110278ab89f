"""Device triggers: a plate recognised by this camera, known, unknown or denied.

Built on the bus event, filtered by the camera's device (and, optionally, by the known plate
the read matched), so the trigger data is the event's, as in an event trigger.
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
from .data import DATA_KEY

CONF_PLATE = "plate"

TRIGGER_PLATE_RECOGNIZED = "plate_recognized"
TRIGGER_KNOWN_PLATE = "known_plate"
TRIGGER_UNKNOWN_PLATE = "unknown_plate"
TRIGGER_DENIED_PLATE = "denied_plate"
# The event type each trigger wants; None: any read.
TRIGGER_EVENT_TYPES: dict[str, str | None] = {
    TRIGGER_PLATE_RECOGNIZED: None,
    TRIGGER_KNOWN_PLATE: EVENT_TYPE_KNOWN,
    TRIGGER_UNKNOWN_PLATE: EVENT_TYPE_UNKNOWN,
    TRIGGER_DENIED_PLATE: EVENT_TYPE_DENIED,
}
# An unknown plate matched no known plate: there is none to name.
TRIGGERS_WITH_PLATE = (TRIGGER_PLATE_RECOGNIZED, TRIGGER_KNOWN_PLATE, TRIGGER_DENIED_PLATE)

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_EVENT_TYPES),
        vol.Optional(CONF_PLATE): vol.All(str, vol.Length(min=1)),
    }
)


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """The four triggers of a camera's device."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None or not any(domain == DOMAIN for domain, _ in device.identifiers):
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_EVENT_TYPES
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Optionally one known plate: picked from the list, or typed as the known plate is written."""
    if config[CONF_TYPE] not in TRIGGERS_WITH_PLATE:
        return {}
    options = [
        SelectOptionDict(value=known.plate, label=f"{known.plate} - {known.name}")
        if known.name
        else SelectOptionDict(value=known.plate, label=known.plate)
        for known in hass.data[DATA_KEY].known_plates.plates
    ]
    return {
        "extra_fields": vol.Schema(
            {
                vol.Optional(CONF_PLATE): SelectSelector(
                    SelectSelectorConfig(
                        options=options, custom_value=True, mode=SelectSelectorMode.DROPDOWN
                    )
                )
            }
        )
    }


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the camera's reads of the wanted kind."""
    event_data: dict[str, Any] = {CONF_DEVICE_ID: config[CONF_DEVICE_ID]}
    if (event_type := TRIGGER_EVENT_TYPES[config[CONF_TYPE]]) is not None:
        event_data["event_type"] = event_type
    if (plate := config.get(CONF_PLATE)) is not None:
        # Typed another way ("ab 123" for "AB-123"): the known plate as written, which the
        # event carries.
        data = hass.data.get(DATA_KEY)
        known = None if data is None else data.known_plates.get(plate)
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
