"""A source that follows an entity of another integration: an event entity or a plate sensor.

A read is the entity's change to a new plate: an event entity's new event that carries one
(UniFi Protect's vehicle event), a sensor's new state that is one (Frigate's Last Recognized
Plate). The state an entity comes (back) with, at Home Assistant's start or after it was
unavailable, is no read, and neither is a state written again unchanged; the same plate after a
reset is a read again. Connection follows the entity's availability.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

import voluptuous as vol
from homeassistant.components.event import ATTR_EVENT_TYPE
from homeassistant.const import CONF_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig

from ..const import DOMAIN
from . import FormAnswer, FormState, SourceForm, SourceType, source_data
from .fields import (
    CONF_PICTURE_ENTITY,
    CONF_PRESET,
    PICTURE_ENTITY_FIELD,
    PRESET_OTHER,
    AnswerFunction,
    checked_name,
    given,
    name_field,
    path_errors,
    path_fields,
)
from .mapping import ReadMapping, value_at
from .reads import ReadLine

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

SOURCE_ENTITY = "entity"
CONF_PLATE_ATTRIBUTE = "plate_attribute"
CONF_DIRECTION_ATTRIBUTE = "direction_attribute"
CONF_CONFIDENCE_ATTRIBUTE = "confidence_attribute"
ATTRIBUTE_FIELDS = (CONF_PLATE_ATTRIBUTE, CONF_DIRECTION_ATTRIBUTE, CONF_CONFIDENCE_ATTRIBUTE)
# The other integration's events a source remembers having read (one read each).
EVENTS_REMEMBERED = 16


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityPreset:
    """How an integration's entity shows a read."""

    plate_attribute: str | None  # None: the state is the plate
    mapping: ReadMapping  # in the entity's attributes
    event_type: str | None = None  # an event entity's event type that may carry a plate
    # The attribute naming the integration's own event, which it may show more than once.
    event_id: str | None = None


# UniFi Protect's vehicle event entity (Home Assistant core, unifiprotect/event.py,
# ProtectDeviceVehicleEventEntity): event type `detected`; `license_plate` when Protect read one;
# `confidence` 0-100; `attributes` the best thumbnail's (`vehicleType.val`, `color.val`); and
# `event_id`, with which it fires again when a better thumbnail comes.
UNIFI_PROTECT = EntityPreset(
    plate_attribute="license_plate",
    mapping=ReadMapping(
        confidence="confidence",
        vehicle_type="attributes.vehicleType.val",
        vehicle_colour="attributes.color.val",
    ),
    event_type="detected",
    event_id="event_id",
)
# Frigate's Last Recognized Plate sensor (frigate-hass-integration, sensor.py,
# FrigateRecognizedPlateSensor): its state is the plate (or the name Frigate's `known_plates`
# give it) for 60 s; `Unknown` before the first, `None` after each reset; no attributes.
FRIGATE_PLATE = EntityPreset(plate_attribute=None, mapping=ReadMapping())
PRESETS = {"unifi_protect": UNIFI_PROTECT, "frigate_plate": FRIGATE_PLATE}


def entity_preset(data: Mapping[str, Any]) -> EntityPreset:
    """The preset of an entry, or the user's own mapping."""
    if (preset := PRESETS.get(data[CONF_PRESET])) is not None:
        return preset
    return EntityPreset(
        plate_attribute=data.get(CONF_PLATE_ATTRIBUTE),
        mapping=ReadMapping(
            direction=data.get(CONF_DIRECTION_ATTRIBUTE),
            confidence=data.get(CONF_CONFIDENCE_ATTRIBUTE),
        ),
    )


def _available(state: State | None) -> TypeGuard[State]:
    return state is not None and state.state != STATE_UNAVAILABLE


class _EntityReads:
    """Tells an entity's reads from its other changes."""

    def __init__(self, coordinator: LprCameraCoordinator) -> None:
        self._coordinator = coordinator
        self._preset = entity_preset(coordinator.config_entry.data)
        self._line = ReadLine(coordinator)
        self._events_read: deque[Any] = deque(maxlen=EVENTS_REMEMBERED)

    @callback
    def state_changed(self, event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        self._coordinator.async_set_connected(_available(new))
        if not _available(old) or not _available(new) or new.state == old.state:
            return
        attributes = new.attributes
        preset = self._preset
        if preset.event_type is not None and attributes.get(ATTR_EVENT_TYPE) != preset.event_type:
            return
        event_id = attributes.get(preset.event_id) if preset.event_id is not None else None
        if event_id is not None and event_id in self._events_read:
            return
        path = preset.plate_attribute
        plate = new.state if path is None else value_at(attributes, path)
        taken = self._line.take(preset.mapping, plate, attributes, new.last_changed)
        if taken and event_id is not None:
            self._events_read.append(event_id)


async def _async_start(coordinator: LprCameraCoordinator) -> None:
    """Follow the entity; until it is there, Connection is off."""
    hass = coordinator.hass
    entity_id = coordinator.config_entry.data[CONF_ENTITY_ID]
    reads = _EntityReads(coordinator)
    coordinator.config_entry.async_on_unload(
        async_track_state_change_event(hass, entity_id, reads.state_changed)
    )
    coordinator.async_set_connected(_available(hass.states.get(entity_id)))


ENTITY_SOURCE = SourceType(
    key=SOURCE_ENTITY,
    model="Entity of another integration",
    has_session=True,
    async_start=_async_start,
    unique_id=lambda data: f"{SOURCE_ENTITY}:{data[CONF_ENTITY_ID]}",
)


def _schema(name: str, entities: EntitySelectorConfig, *paths: str) -> vol.Schema:
    return vol.Schema(
        {
            **name_field(name),
            vol.Required(CONF_ENTITY_ID): EntitySelector(entities),
            **path_fields(*paths),
            **PICTURE_ENTITY_FIELD,
        }
    )


def _entity_error(hass: HomeAssistant, entity_id: str) -> str | None:
    """Why an entity cannot be a source's: not there, or one of this integration's own."""
    if hass.states.get(entity_id) is None:
        return "entity_not_found"
    entry = er.async_get(hass).async_get(entity_id)
    return "own_entity" if entry is not None and entry.platform == DOMAIN else None


def _answer(preset: str) -> AnswerFunction:
    async def async_answer(
        hass: HomeAssistant, user_input: dict[str, Any], _state: FormState
    ) -> FormAnswer:
        name, errors = checked_name(user_input)
        entity_id = str(user_input[CONF_ENTITY_ID])
        attributes = given(user_input, ATTRIBUTE_FIELDS)
        if (error := _entity_error(hass, entity_id)) is not None:
            errors[CONF_ENTITY_ID] = error
        errors.update(path_errors(attributes))
        event_entity = entity_id.startswith("event.") and preset == PRESET_OTHER
        if event_entity and CONF_PLATE_ATTRIBUTE not in attributes:
            errors[CONF_PLATE_ATTRIBUTE] = "plate_attribute_needed"
        picture = given(user_input, (CONF_PICTURE_ENTITY,))
        data = source_data(
            SOURCE_ENTITY,
            **{CONF_PRESET: preset, CONF_ENTITY_ID: entity_id},
            **attributes,
            **picture,
        )
        return name, data, errors

    return async_answer


UNIFI_PROTECT_FORM = SourceForm(
    step_id="source_unifi_protect",
    schema=lambda _hass: _schema(
        "UniFi Protect", EntitySelectorConfig(domain="event", integration="unifiprotect")
    ),
    async_answer=_answer("unifi_protect"),
)
FRIGATE_PLATE_FORM = SourceForm(
    step_id="source_frigate_plate",
    schema=lambda _hass: _schema(
        "Frigate", EntitySelectorConfig(domain="sensor", integration="frigate")
    ),
    async_answer=_answer("frigate_plate"),
)
OTHER_ENTITY_FORM = SourceForm(
    step_id="source_entity",
    schema=lambda _hass: _schema("Plate entity", EntitySelectorConfig(), *ATTRIBUTE_FIELDS),
    async_answer=_answer(PRESET_OTHER),
)
