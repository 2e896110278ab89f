"""Sources: the other systems in Home Assistant that read plates, feeding the site like a camera.

A source is a config entry of its own (kind "source"), with a camera's device and entities; its
read goes the camera's way (`LprCameraCoordinator.async_handle_read`): matching, authorized,
repeat, presence, bus event, entities, plate log, pictures. Each source type is a module here
with its `SourceType` (how it starts, whether it can tell that it stopped sending, its unique
id) and the forms the config flow adds it with (`SourceForm`, a preset each).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..const import CONF_KIND, CONF_SOURCE_TYPE, KIND_SOURCE

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

# A form's own state for one flow (a webhook id made for it, say), and what it answers: the
# entry's title and data, or the form's errors.
type FormState = dict[str, Any]
type FormAnswer = tuple[str, dict[str, Any], dict[str, str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceType:
    """How a type of source feeds its reads."""

    key: str  # its `source_type` in the entry's data
    model: str  # its device's model
    # Whether the source can tell that it stopped sending (its Connection follows it); if not,
    # Connection means "a read came within the activity window", as for the HTTP type.
    has_session: bool
    async_start: Callable[[LprCameraCoordinator], Awaitable[None]]
    unique_id: Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceForm:
    """A choice of the config flow's "Another plate reader" menu: a source type, maybe preset."""

    step_id: str
    schema: Callable[[HomeAssistant], vol.Schema]
    async_answer: Callable[[HomeAssistant, dict[str, Any], FormState], Awaitable[FormAnswer]]
    placeholders: Callable[[HomeAssistant, FormState], dict[str, str]] = field(
        default=lambda _hass, _state: {}
    )


def is_source_entry(entry: ConfigEntry) -> bool:
    """Whether an entry of the integration is a source (else a camera or the site)."""
    return entry.data.get(CONF_KIND) == KIND_SOURCE


def source_data(source_type: str, **data: Any) -> dict[str, Any]:
    """The data of a source entry of a type."""
    return {CONF_KIND: KIND_SOURCE, CONF_SOURCE_TYPE: source_type, **data}
