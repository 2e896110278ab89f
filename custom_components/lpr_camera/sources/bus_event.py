"""A source that listens to a bus event another integration fires for each plate it reads.

Presets for the Dahua, Hikvision (hikvision_next) and Plate Recognizer integrations; for any
other, the user names the event type and where its data has the plate, and optionally the
direction, the confidence and the camera (a key and the value it must have, to take one camera
of several). An event cannot tell that its integration stopped: Connection means "a read came
within the activity window".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.const import MATCH_ALL
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    TextSelector,
)

from ..const import DOMAIN
from ..lpr import Direction
from ..lpr.values import as_text
from ..lpr.vocabulary import DIRECTIONS
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
from .mapping import MAX_KEY_LENGTH, ReadMapping, value_at
from .reads import ReadLine

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

SOURCE_EVENT = "event"
CONF_EVENT_TYPE = "event_type"
CONF_PLATE_KEY = "plate_key"
CONF_DIRECTION_KEY = "direction_key"
CONF_CONFIDENCE_KEY = "confidence_key"
CONF_CAMERA_KEY = "camera_key"
CONF_CAMERA = "camera"  # the value the camera key must have
KEY_FIELDS = (CONF_PLATE_KEY, CONF_DIRECTION_KEY, CONF_CONFIDENCE_KEY, CONF_CAMERA_KEY)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventPreset:
    """How an integration's bus event carries a read."""

    event_type: str
    plate_key: str
    mapping: ReadMapping  # in the event's data
    camera_key: str | None  # where the data names the camera
    # Keys and the values they must have in an event that is a read.
    requires: Mapping[str, str] = field(default_factory=dict)


# The dahua integration (rroller/dahua, __init__.py `_handle_anpr_plate`) fires
# `dahua_anpr_recognized` for each plate an ANPR or traffic event carries: `plate` (normalised),
# `confidence`, `direction` (the camera's word, such as Approach or Leave), `vehicle_type`,
# `vehicle_color`, `vehicle_brand`, and `device_name`, the camera's name in that integration.
DAHUA = EventPreset(
    event_type="dahua_anpr_recognized",
    plate_key="plate",
    mapping=ReadMapping(
        direction="direction",
        confidence="confidence",
        vehicle_type="vehicle_type",
        vehicle_colour="vehicle_color",
        vehicle_brand="vehicle_brand",
    ),
    camera_key="device_name",
)
# hikvision_next (maciej-or/hikvision_next, notifications.py `fire_hass_event`, its
# tests/test_anpr.py) fires `hikvision_next_event` for every alarm; `event_id: anpr` is a plate:
# `anpr_license_plate` (`unknown` when none was read), `anpr_direction` (forward: towards the
# camera, reverse: away from it), `anpr_confidence_level` 0-100, and `camera_name`.
HIKVISION = EventPreset(
    event_type="hikvision_next_event",
    plate_key="anpr_license_plate",
    mapping=ReadMapping(
        direction="anpr_direction",
        confidence="anpr_confidence_level",
        directions={
            **DIRECTIONS,
            "forward": Direction.APPROACHING,
            "reverse": Direction.DEPARTING,
        },
    ),
    camera_key="camera_name",
    requires={"event_id": "anpr"},
)
# Plate Recognizer's integration (robmarkcole/HASS-plate-recognizer, image_processing.py) fires
# `platerecognizer.vehicle_detected` for each vehicle of a scan: `plate`, `confidence` 0-1,
# `region_code`, `vehicle_type`, and `entity_id`, its image processing entity.
PLATE_RECOGNIZER = EventPreset(
    event_type="platerecognizer.vehicle_detected",
    plate_key="plate",
    mapping=ReadMapping(
        confidence="confidence",
        vehicle_type="vehicle_type",
        region="region_code",
    ),
    camera_key="entity_id",
)
PRESETS = {"dahua": DAHUA, "hikvision": HIKVISION, "plate_recognizer": PLATE_RECOGNIZER}


def event_preset(data: Mapping[str, Any]) -> EventPreset:
    """The preset of an entry, or the user's own mapping."""
    if (preset := PRESETS.get(data[CONF_PRESET])) is not None:
        return preset
    return EventPreset(
        event_type=data[CONF_EVENT_TYPE],
        plate_key=data[CONF_PLATE_KEY],
        mapping=ReadMapping(
            direction=data.get(CONF_DIRECTION_KEY),
            confidence=data.get(CONF_CONFIDENCE_KEY),
        ),
        camera_key=data.get(CONF_CAMERA_KEY),
    )


def _unique_id(data: Mapping[str, Any]) -> str:
    """`event:<event type>`, and `:<camera key>=<camera>` with a camera filter."""
    preset = event_preset(data)
    unique_id = f"{SOURCE_EVENT}:{preset.event_type}"
    if camera := data.get(CONF_CAMERA):
        unique_id += f":{preset.camera_key}={camera.casefold()}"
    return unique_id


def _same(value: Any, wanted: str) -> bool:
    return (as_text(value) or "").casefold() == wanted.casefold()


class _EventReads:
    """Takes the events that are reads of the source's camera."""

    def __init__(self, coordinator: LprCameraCoordinator) -> None:
        data = coordinator.config_entry.data
        self.preset = event_preset(data)
        self._camera: str | None = data.get(CONF_CAMERA)
        self._line = ReadLine(coordinator)

    @callback
    def event(self, event: Event) -> None:
        data, preset = event.data, self.preset
        if not all(_same(value_at(data, key), value) for key, value in preset.requires.items()):
            return
        camera_key = preset.camera_key
        if self._camera and camera_key and not _same(value_at(data, camera_key), self._camera):
            return
        plate = value_at(data, preset.plate_key)
        self._line.take(preset.mapping, plate, data, event.time_fired)


async def _async_start(coordinator: LprCameraCoordinator) -> None:
    """Listen to the event for the entry's lifetime."""
    reads = _EventReads(coordinator)
    coordinator.config_entry.async_on_unload(
        coordinator.hass.bus.async_listen(reads.preset.event_type, reads.event)
    )


EVENT_SOURCE = SourceType(
    key=SOURCE_EVENT,
    model="Event of another integration",
    has_session=False,
    async_start=_async_start,
    unique_id=_unique_id,
)


def _preset_schema(name: str, camera: Any) -> vol.Schema:
    return vol.Schema(
        {**name_field(name), vol.Optional(CONF_CAMERA): camera, **PICTURE_ENTITY_FIELD}
    )


def _preset_answer(preset: str) -> AnswerFunction:
    async def async_answer(
        _hass: HomeAssistant, user_input: dict[str, Any], _state: FormState
    ) -> FormAnswer:
        name, errors = checked_name(user_input)
        fields = given(user_input, (CONF_CAMERA, CONF_PICTURE_ENTITY))
        return name, source_data(SOURCE_EVENT, **{CONF_PRESET: preset}, **fields), errors

    return async_answer


def _event_type_error(event_type: str) -> str | None:
    """Why an event type cannot be listened to: none, every event, or this integration's own."""
    if not event_type or len(event_type) > MAX_KEY_LENGTH or event_type == MATCH_ALL:
        return "invalid_event_type"
    return "own_event" if event_type.startswith(DOMAIN) else None


async def _async_other_answer(
    _hass: HomeAssistant, user_input: dict[str, Any], _state: FormState
) -> FormAnswer:
    name, errors = checked_name(user_input)
    event_type = str(user_input[CONF_EVENT_TYPE]).strip()
    if (error := _event_type_error(event_type)) is not None:
        errors[CONF_EVENT_TYPE] = error
    keys = given(user_input, KEY_FIELDS)
    errors.update(path_errors(keys))
    if CONF_PLATE_KEY not in keys:
        errors[CONF_PLATE_KEY] = "invalid_path"
    fields = given(user_input, (CONF_CAMERA, CONF_PICTURE_ENTITY))
    if (CONF_CAMERA_KEY in keys) != (CONF_CAMERA in fields):
        errors["base"] = "camera_filter_incomplete"
    data = source_data(
        SOURCE_EVENT, **{CONF_PRESET: PRESET_OTHER, CONF_EVENT_TYPE: event_type}, **keys, **fields
    )
    return name, data, errors


DAHUA_FORM = SourceForm(
    step_id="source_dahua",
    schema=lambda _hass: _preset_schema("Dahua", TextSelector()),
    async_answer=_preset_answer("dahua"),
)
HIKVISION_FORM = SourceForm(
    step_id="source_hikvision",
    schema=lambda _hass: _preset_schema("Hikvision", TextSelector()),
    async_answer=_preset_answer("hikvision"),
)
PLATE_RECOGNIZER_FORM = SourceForm(
    step_id="source_plate_recognizer",
    schema=lambda _hass: _preset_schema(
        "Plate Recognizer",
        EntitySelector(
            EntitySelectorConfig(domain="image_processing", integration="platerecognizer")
        ),
    ),
    async_answer=_preset_answer("plate_recognizer"),
)
OTHER_EVENT_FORM = SourceForm(
    step_id="source_event",
    schema=lambda _hass: vol.Schema(
        {
            **name_field("Plate event"),
            vol.Required(CONF_EVENT_TYPE): TextSelector(),
            vol.Required(CONF_PLATE_KEY): TextSelector(),
            **path_fields(CONF_DIRECTION_KEY, CONF_CONFIDENCE_KEY, CONF_CAMERA_KEY),
            vol.Optional(CONF_CAMERA): TextSelector(),
            **PICTURE_ENTITY_FIELD,
        }
    ),
    async_answer=_async_other_answer,
)
