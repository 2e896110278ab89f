"""Add and edit a known vehicle: a subentry of the site ("Add known vehicle" on its page).

Removing one is Home Assistant's own "Delete" on the subentry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import WEEKDAYS
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    DateTimeSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TimeSelector,
)
from homeassistant.util import dt as dt_util

from ..const import SUBENTRY_VEHICLE
from ..form import async_describe_changes
from ..lpr.matching import normalise
from .known_vehicles import (
    ATTR_END,
    ATTR_LIST,
    ATTR_NAME,
    ATTR_PLATE,
    ATTR_START,
    ATTR_VALID_FROM,
    ATTR_VALID_UNTIL,
    ATTR_WEEKDAYS,
    PASS_FIELDS,
    KnownVehicleError,
    PlateList,
    VehicleWords,
    async_update_vehicle,
    vehicle_data,
    vehicle_subentry,
    vehicle_with_plate,
)

# How the date-and-time selector writes a moment: the site's local time.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

SECTION_PASS = "pass"  # noqa: S105 - a vehicle pass
# The form field each refusal belongs to.
ERROR_FIELDS = {
    "invalid_plate": ATTR_PLATE,
    "already_known": ATTR_PLATE,
    "name_too_long": ATTR_NAME,
    "invalid_list": ATTR_LIST,
    "invalid_pass": SECTION_PASS,
}


def _vehicle_schema(pass_collapsed: bool) -> vol.Schema:
    """The form, built for each showing; the pass folded away unless it holds something.

    Home Assistant 2025.4 puts a section's suggested values into the section itself: a
    schema shared by every form would show one vehicle's pass in the next form.
    """
    return vol.Schema(
        {
            vol.Required(ATTR_PLATE): TextSelector(),
            vol.Optional(ATTR_NAME): TextSelector(),
            vol.Required(ATTR_LIST, default=str(PlateList.ALLOW)): SelectSelector(
                SelectSelectorConfig(
                    options=[str(plate_list) for plate_list in PlateList],
                    translation_key="plate_list",
                    mode=SelectSelectorMode.LIST,
                )
            ),
            vol.Required(SECTION_PASS): section(
                vol.Schema(
                    {
                        vol.Optional(ATTR_VALID_FROM): DateTimeSelector(),
                        vol.Optional(ATTR_VALID_UNTIL): DateTimeSelector(),
                        vol.Optional(ATTR_WEEKDAYS): SelectSelector(
                            SelectSelectorConfig(
                                options=list(WEEKDAYS),
                                multiple=True,
                                translation_key="weekdays",
                                mode=SelectSelectorMode.LIST,
                            )
                        ),
                        vol.Optional(ATTR_START): TimeSelector(),
                        vol.Optional(ATTR_END): TimeSelector(),
                    }
                ),
                {"collapsed": pass_collapsed},
            ),
        }
    )


class KnownVehicleFlow(ConfigSubentryFlow):
    """A known vehicle: plate, name, list, and optionally a pass."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a known vehicle; a plate already known (written any way) is refused."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                data = self._validated(user_input)
            except KnownVehicleError as err:
                errors = _form_errors(err)
            else:
                made = vehicle_subentry(data, VehicleWords.of(self.hass))
                return self.async_create_entry(
                    title=made["title"], data=made["data"], unique_id=made["unique_id"]
                )
        return self._async_show("user", user_input, errors)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a known vehicle's plate, name, list or pass."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                data = self._validated(user_input, editing=subentry.unique_id)
            except KnownVehicleError as err:
                errors = _form_errors(err)
            else:
                changes = await async_describe_changes(
                    self.hass,
                    _vehicle_schema(pass_collapsed=False),
                    f"config_subentries.{SUBENTRY_VEHICLE}.step.reconfigure",
                    _form_values(subentry.data),
                    _form_values(data),
                )
                async_update_vehicle(self.hass, self._get_entry(), subentry, data)
                return self.async_abort(
                    reason="saved" if changes else "unchanged",
                    description_placeholders={"changes": changes},
                )
        return self._async_show("reconfigure", user_input or _form_values(subentry.data), errors)

    def _validated(
        self, user_input: Mapping[str, Any], editing: str | None = None
    ) -> dict[str, Any]:
        """The vehicle's data; its plate may not be another known vehicle's."""
        data = vehicle_data({**user_input, **user_input.get(SECTION_PASS, {})})
        key = normalise(data[ATTR_PLATE])
        other = vehicle_with_plate(self._get_entry(), key)
        if other is not None and key != editing:
            raise KnownVehicleError("already_known", plate=other.plate)
        return data

    def _async_show(
        self, step_id: str, values: Mapping[str, Any] | None, errors: dict[str, str]
    ) -> SubentryFlowResult:
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                _vehicle_schema(pass_collapsed=not (values or {}).get(SECTION_PASS)), values
            ),
            errors=errors,
        )


def _form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """A vehicle's data as the form shows it: the pass in its section, empty fields left out."""
    values = {key: data[key] for key in (ATTR_PLATE, ATTR_NAME, ATTR_LIST) if data.get(key)}
    pass_values = {key: data[key] for key in PASS_FIELDS if data.get(key)}
    for key in (ATTR_VALID_FROM, ATTR_VALID_UNTIL):
        if moment := dt_util.parse_datetime(str(pass_values.get(key, ""))):
            pass_values[key] = dt_util.as_local(moment).strftime(DATETIME_FORMAT)
    values[SECTION_PASS] = pass_values
    return values


def _form_errors(err: KnownVehicleError) -> dict[str, str]:
    return {ERROR_FIELDS.get(err.key, "base"): err.key}
