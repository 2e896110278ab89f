"""What the forms of every flow share: whole numbers the step checks, and what a change changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    TextSelector,
    TextSelectorType,
)
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN

# The form error of a number that is not one (only the API can send it: the box takes digits).
NOT_A_NUMBER = "not_a_number"
# Shown in place of a secret that changed.
HIDDEN = "•••"


class WholeNumber(NumberSelector):
    """A whole number with its bounds, which the form shows and the flow's step checks.

    Home Assistant's number selector refuses a number out of its bounds in the schema, before the
    step runs, and the form shows voluptuous's words ("Value 0.0 is too small") on the field,
    untranslated. This one takes any number; `checked_numbers` puts the field's own translated
    error, `<field>_out_of_range`, on the field, and the form is shown again as it was typed.
    """

    def __init__(
        self,
        minimum: int,
        maximum: int,
        unit: str | None = None,
        mode: NumberSelectorMode = NumberSelectorMode.BOX,
    ) -> None:
        """A box (or slider) from minimum to maximum in steps of one, with its unit."""
        config = NumberSelectorConfig(min=minimum, max=maximum, step=1, mode=mode)
        if unit is not None:
            config["unit_of_measurement"] = unit
        super().__init__(config)
        self.minimum = minimum
        self.maximum = maximum

    def __call__(self, data: Any) -> float:
        """Any number: its range is the step's to check."""
        if isinstance(data, bool):
            raise vol.Invalid(NOT_A_NUMBER)
        try:
            return float(data)
        except (TypeError, ValueError):
            raise vol.Invalid(NOT_A_NUMBER) from None

    def fits(self, value: float) -> bool:
        """A whole number within the bounds."""
        return value.is_integer() and self.minimum <= value <= self.maximum


def checked_numbers(
    schema: vol.Schema, user_input: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The input with its whole numbers as int, and the error of each number that does not fit."""
    values = dict(user_input)
    errors: dict[str, str] = {}
    for marker, validator in schema.schema.items():
        key = str(marker.schema)
        if not isinstance(validator, WholeNumber) or key not in values:
            continue
        if validator.fits(value := float(values[key])):
            values[key] = int(value)
        else:
            errors[key] = f"{key}_out_of_range"
    return values, errors


async def async_describe_changes(
    hass: HomeAssistant,
    schema: vol.Schema,
    labels: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> str:
    """What a saved form changed, a line per field ("- Role: Both ways → Entrance"), or "".

    `labels` is where the form's field labels are, such as `options.step.init`. Placeholders
    are not translated by the frontend, so this is written in Home Assistant's language (English
    where a text is missing).
    """
    category = labels.split(".", 1)[0]
    texts = {
        **await async_get_translations(hass, hass.config.language, category, [DOMAIN]),
        **await async_get_translations(hass, hass.config.language, "selector", [DOMAIN]),
    }
    return "\n".join(_changes(texts, schema, f"component.{DOMAIN}.{labels}", before, after))


def _changes(
    texts: Mapping[str, str],
    schema: vol.Schema,
    prefix: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> list[str]:
    lines = []
    for marker, validator in schema.schema.items():
        key = str(marker.schema)
        if isinstance(validator, section):
            lines += _changes(
                texts,
                validator.schema,
                f"{prefix}.sections.{key}",
                before.get(key) or {},
                after.get(key) or {},
            )
            continue
        old, new = before.get(key), after.get(key)
        if (old or None) == (new or None):
            continue
        label = texts.get(f"{prefix}.data.{key}", key)
        if _is_secret(validator):
            lines.append(f"- {label}: {HIDDEN}")
            continue
        lines.append(
            f"- {label}: {_shown(texts, validator, old)} → {_shown(texts, validator, new)}"
        )
    return lines


def _is_secret(validator: Any) -> bool:
    return isinstance(validator, TextSelector) and validator.config.get("type") == (
        TextSelectorType.PASSWORD
    )


def _shown(texts: Mapping[str, str], validator: Any, value: Any) -> str:
    """A value as the form shows it: a choice by its label, a number with its unit."""
    if value is None or value in ("", []):
        return "—"
    if isinstance(validator, BooleanSelector):
        return texts.get(
            f"component.{DOMAIN}.selector.switch.options.{'on' if value else 'off'}", str(value)
        )
    if isinstance(validator, SelectSelector) and (key := validator.config.get("translation_key")):
        choices = value if isinstance(value, list) else [value]
        return ", ".join(
            texts.get(f"component.{DOMAIN}.selector.{key}.options.{choice}", str(choice))
            for choice in choices
        )
    if isinstance(validator, NumberSelector) and (
        unit := validator.config.get("unit_of_measurement")
    ):
        return f"{value} {unit}"
    return str(value)
