"""Options: the known plates and the matching and history settings every camera shares.

The options flow of any camera opens the same known plates and settings (they belong to the
integration); an HTTP camera also has its own activity window there.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)

from .const import (
    CONF_ACTIVITY_WINDOW,
    CONF_CONNECTION_TYPE,
    CONF_HISTORY,
    CONF_MAX_SIZE_MB,
    CONF_RETENTION_DAYS,
    CONF_TOLERANCE,
    CONNECTION_HTTP,
    DEFAULT_ACTIVITY_WINDOW_MINUTES,
)
from .data import DATA_KEY
from .known_plates import KnownPlate, KnownPlateError, KnownPlates, PlateList
from .lpr.matching import MAX_TOLERANCE

CONF_PLATE = "plate"
CONF_NAME = "name"
CONF_LIST = "list"
CONF_PLATES = "plates"

MAX_RETENTION_DAYS = 10 * 365
MAX_SIZE_MB = 1_000_000  # a terabyte


def _number(minimum: int, maximum: int, unit: str) -> vol.All:
    return vol.All(
        NumberSelector(
            NumberSelectorConfig(
                min=minimum,
                max=maximum,
                step=1,
                unit_of_measurement=unit,
                mode=NumberSelectorMode.BOX,
            )
        ),
        vol.Coerce(int),
    )


PLATE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_PLATE): TextSelector(),
        vol.Optional(CONF_NAME): TextSelector(),
        vol.Required(CONF_LIST, default=str(PlateList.ALLOW)): SelectSelector(
            SelectSelectorConfig(
                options=[str(plate_list) for plate_list in PlateList],
                translation_key="plate_list",
                mode=SelectSelectorMode.LIST,
            )
        ),
    }
)
SETTINGS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_TOLERANCE): vol.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=0, max=MAX_TOLERANCE, step=1, mode=NumberSelectorMode.SLIDER
                )
            ),
            vol.Coerce(int),
        ),
        vol.Required(CONF_HISTORY): BooleanSelector(),
        vol.Required(CONF_RETENTION_DAYS): _number(1, MAX_RETENTION_DAYS, "d"),
        vol.Required(CONF_MAX_SIZE_MB): _number(1, MAX_SIZE_MB, "MB"),
    }
)
ACTIVITY_WINDOW_SCHEMA = vol.Schema(
    {vol.Required(CONF_ACTIVITY_WINDOW): _number(1, 7 * 24 * 60, "min")}
)

# The form field each refusal of the known plates belongs to.
ERROR_FIELDS = {
    "invalid_plate": CONF_PLATE,
    "already_known": CONF_PLATE,
    "name_too_long": CONF_NAME,
    "invalid_list": CONF_LIST,
}


class LprCameraOptionsFlow(OptionsFlow):
    """A menu: add, edit or remove known plates, the shared settings, the activity window."""

    _editing: str

    @property
    def _known_plates(self) -> KnownPlates:
        return self.hass.data[DATA_KEY].known_plates

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show what can be changed; the activity window only for an HTTP camera."""
        menu = ["add_plate", "edit_plate", "remove_plate", "settings"]
        if self.config_entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP:
            menu.append("activity_window")
        return self.async_show_menu(
            step_id="init",
            menu_options=menu,
            description_placeholders={"count": str(len(self._known_plates.plates))},
        )

    async def async_step_add_plate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a known plate; one already known (written any way) is refused."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                await self._known_plates.async_add(
                    user_input[CONF_PLATE], user_input.get(CONF_NAME, ""), user_input[CONF_LIST]
                )
            except KnownPlateError as err:
                errors = _form_errors(err)
            else:
                return self._async_done()
        return self.async_show_form(
            step_id="add_plate",
            data_schema=self.add_suggested_values_to_schema(PLATE_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_edit_plate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the known plate to edit."""
        if not (plates := self._known_plates.plates):
            return self.async_abort(reason="no_known_plates")
        if user_input is not None:
            self._editing = user_input[CONF_PLATE]
            return await self.async_step_edit_plate_details()
        return self.async_show_form(
            step_id="edit_plate",
            data_schema=vol.Schema(
                {vol.Required(CONF_PLATE): SelectSelector(_plate_choice(plates))}
            ),
        )

    async def async_step_edit_plate_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the plate's text, name or list."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                await self._known_plates.async_edit(
                    self._editing,
                    user_input[CONF_PLATE],
                    user_input.get(CONF_NAME, ""),
                    user_input[CONF_LIST],
                )
            except KnownPlateError as err:
                if err.key == "not_known":  # removed meanwhile, by an action or another flow
                    return self.async_abort(reason="not_known")
                errors = _form_errors(err)
            else:
                return self._async_done()
        known = self._known_plates.get(self._editing)
        if known is None:
            return self.async_abort(reason="not_known")
        current = {CONF_PLATE: known.plate, CONF_NAME: known.name, CONF_LIST: known.plate_list}
        return self.async_show_form(
            step_id="edit_plate_details",
            data_schema=self.add_suggested_values_to_schema(PLATE_SCHEMA, user_input or current),
            description_placeholders={"plate": known.plate},
            errors=errors,
        )

    async def async_step_remove_plate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove one or more known plates."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if not (chosen := user_input.get(CONF_PLATES)):
                errors = {CONF_PLATES: "none_selected"}
            else:
                try:
                    await self._known_plates.async_remove(chosen)
                except KnownPlateError:  # removed meanwhile, by an action or another flow
                    return self.async_abort(reason="not_known")
                return self._async_done()
        if not (plates := self._known_plates.plates):
            return self.async_abort(reason="no_known_plates")
        return self.async_show_form(
            step_id="remove_plate",
            data_schema=vol.Schema(
                {vol.Optional(CONF_PLATES): SelectSelector(_plate_choice(plates, multiple=True))}
            ),
            errors=errors,
        )

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The matching tolerance and the picture history, for every camera."""
        if user_input is not None:
            await self._known_plates.async_set_settings(**user_input)
            return self._async_done()
        settings = self._known_plates.settings
        current = {
            CONF_TOLERANCE: settings.tolerance,
            CONF_HISTORY: settings.history,
            CONF_RETENTION_DAYS: settings.retention_days,
            CONF_MAX_SIZE_MB: settings.max_size_mb,
        }
        return self.async_show_form(
            step_id="settings",
            data_schema=self.add_suggested_values_to_schema(SETTINGS_SCHEMA, current),
        )

    async def async_step_activity_window(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """HTTP type: how long after a read the camera still counts as connected."""
        if user_input is not None:
            return self.async_create_entry(data={**self.config_entry.options, **user_input})
        current = self.config_entry.options.get(
            CONF_ACTIVITY_WINDOW, DEFAULT_ACTIVITY_WINDOW_MINUTES
        )
        return self.async_show_form(
            step_id="activity_window",
            data_schema=self.add_suggested_values_to_schema(
                ACTIVITY_WINDOW_SCHEMA, {CONF_ACTIVITY_WINDOW: current}
            ),
        )

    def _async_done(self) -> ConfigFlowResult:
        """Close the flow; the camera's own options stay as they are."""
        return self.async_create_entry(data=dict(self.config_entry.options))


def _plate_choice(plates: list[KnownPlate], *, multiple: bool = False) -> SelectSelectorConfig:
    options = [SelectOptionDict(value=known.plate, label=_label(known)) for known in plates]
    return SelectSelectorConfig(
        options=options, multiple=multiple, mode=SelectSelectorMode.DROPDOWN
    )


def _label(known: KnownPlate) -> str:
    """The plate, its name, and a no-entry sign for the deny list (a label is not translated)."""
    label = f"{known.plate} - {known.name}" if known.name else known.plate
    return f"{label} ⛔" if known.plate_list is PlateList.DENY else label


def _form_errors(err: KnownPlateError) -> dict[str, str]:
    return {ERROR_FIELDS.get(err.key, "base"): err.key}
