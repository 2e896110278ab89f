"""The fields the forms of entity and bus event sources share, and how they are checked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import voluptuous as vol
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    TextSelector,
)

from . import FormAnswer, FormState
from .mapping import is_path

type AnswerFunction = Callable[[HomeAssistant, dict[str, Any], FormState], Awaitable[FormAnswer]]

# Which of its presets a source entry is, or PRESET_OTHER: the user's own mapping.
CONF_PRESET = "preset"
PRESET_OTHER = "other"
CONF_PICTURE_ENTITY = "picture_entity"
INVALID_PATH = "invalid_path"

PICTURE_ENTITY_FIELD: dict[vol.Marker, Any] = {
    vol.Optional(CONF_PICTURE_ENTITY): EntitySelector(
        EntitySelectorConfig(domain=["camera", "image"])
    )
}


def name_field(default: str) -> dict[vol.Marker, Any]:
    """The source's name, as its device and entities are named."""
    return {vol.Required(CONF_NAME, default=default): TextSelector()}


def path_fields(*keys: str) -> dict[vol.Marker, Any]:
    """Optional dotted paths into the other integration's data."""
    return {vol.Optional(key): TextSelector() for key in keys}


def checked_name(user_input: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The name, trimmed; an error when it is empty."""
    name = str(user_input[CONF_NAME]).strip()
    return name, {} if name else {CONF_NAME: "invalid_name"}


def given(user_input: dict[str, Any], keys: Iterable[str]) -> dict[str, str]:
    """The fields filled in, trimmed."""
    return {key: text for key in keys if (text := str(user_input.get(key) or "").strip())}


def path_errors(paths: dict[str, str]) -> dict[str, str]:
    """An error on each path that is none (empty keys, too many, too long)."""
    return {key: INVALID_PATH for key, path in paths.items() if not is_path(path)}
