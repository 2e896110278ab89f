"""Options: a camera's role and windows; the site's settings, shared by every camera."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)

from .const import (
    AUTHORIZED_ANY,
    AUTHORIZED_APPROACHING,
    AUTHORIZED_ARRIVAL,
    CONF_ACTIVITY_WINDOW,
    CONF_AUTHORIZED_HOLD,
    CONF_AUTHORIZED_WHEN,
    CONF_GATE,
    CONF_HISTORY,
    CONF_MAX_SIZE_MB,
    CONF_ON_SITE_LIMIT,
    CONF_PASS_RETENTION_DAYS,
    CONF_PLATE_LOG_ADMIN_ONLY,
    CONF_REPEAT_WINDOW,
    CONF_RETENTION_DAYS,
    CONF_ROLE,
    CONF_TOLERANCE,
    DEFAULT_ACTIVITY_WINDOW_MINUTES,
    DEFAULT_AUTHORIZED_HOLD_SECONDS,
    DEFAULT_REPEAT_WINDOW_SECONDS,
    DEFAULT_ROLE,
    ROLE_DIRECTION,
    ROLE_ENTRANCE,
    ROLE_EXIT,
)
from .coordinator import entry_has_session
from .form import WholeNumber, async_describe_changes, checked_numbers
from .lpr.matching import MAX_TOLERANCE
from .site.known_vehicles import Settings

MAX_RETENTION_DAYS = 10 * 365
MAX_SIZE_MB = 1_000_000  # a terabyte
MAX_ON_SITE_LIMIT_HOURS = 90 * 24
MAX_HOLD_SECONDS = 3600


CAMERA_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_ROLE): SelectSelector(
            SelectSelectorConfig(
                options=[ROLE_DIRECTION, ROLE_ENTRANCE, ROLE_EXIT],
                translation_key="role",
                mode=SelectSelectorMode.LIST,
            )
        ),
        vol.Required(CONF_AUTHORIZED_HOLD): WholeNumber(1, MAX_HOLD_SECONDS, "s"),
        vol.Required(CONF_AUTHORIZED_WHEN): SelectSelector(
            SelectSelectorConfig(
                options=[AUTHORIZED_ANY, AUTHORIZED_APPROACHING, AUTHORIZED_ARRIVAL],
                translation_key="authorized_when",
                mode=SelectSelectorMode.LIST,
            )
        ),
        vol.Required(CONF_REPEAT_WINDOW): WholeNumber(0, MAX_HOLD_SECONDS, "s"),
        vol.Optional(CONF_GATE): TextSelector(),
    }
)
ACTIVITY_WINDOW_SCHEMA = {vol.Required(CONF_ACTIVITY_WINDOW): WholeNumber(1, 7 * 24 * 60, "min")}
SITE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_TOLERANCE): WholeNumber(0, MAX_TOLERANCE, mode=NumberSelectorMode.SLIDER),
        vol.Required(CONF_HISTORY): BooleanSelector(),
        vol.Required(CONF_RETENTION_DAYS): WholeNumber(1, MAX_RETENTION_DAYS, "d"),
        vol.Required(CONF_MAX_SIZE_MB): WholeNumber(1, MAX_SIZE_MB, "MB"),
        vol.Required(CONF_ON_SITE_LIMIT): WholeNumber(1, MAX_ON_SITE_LIMIT_HOURS, "h"),
        vol.Required(CONF_PASS_RETENTION_DAYS): WholeNumber(0, MAX_RETENTION_DAYS, "d"),
        vol.Required(CONF_PLATE_LOG_ADMIN_ONLY): BooleanSelector(),
    }
)


class _OneFormOptionsFlow(OptionsFlow, ABC):
    """Options of one form; saved, the flow ends by naming what changed.

    An options flow that ends in a created entry shows only "Options successfully saved", on
    every version of the frontend: this one saves the options itself and ends with its own
    text, the changes listed ("Role: Both ways → Entrance"), or that nothing changed.
    """

    @abstractmethod
    def _shown(self) -> dict[str, Any]:
        """The values the form shows: the options, a default where there is none."""

    @abstractmethod
    def _options(self, values: dict[str, Any]) -> dict[str, Any]:
        """The options the form's values make."""

    async def _async_form(
        self, step_id: str, schema: vol.Schema, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            values, errors = checked_numbers(schema, user_input)
            if not errors:
                before = self._shown()
                self.hass.config_entries.async_update_entry(
                    self.config_entry, options=self._options(values)
                )
                changes = await async_describe_changes(
                    self.hass, schema, f"options.step.{step_id}", before, self._shown()
                )
                return self.async_abort(
                    reason="saved" if changes else "unchanged",
                    description_placeholders={"changes": changes},
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or self._shown()),
            errors=errors,
        )


class CameraOptionsFlow(_OneFormOptionsFlow):
    """What the camera sees and how long its reads count; an HTTP camera's activity window."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form; the activity window only for an HTTP camera."""
        schema = CAMERA_SCHEMA
        if not entry_has_session(self.config_entry):
            schema = schema.extend(ACTIVITY_WINDOW_SCHEMA)
        return await self._async_form("init", schema, user_input)

    def _shown(self) -> dict[str, Any]:
        return {
            CONF_ROLE: DEFAULT_ROLE,
            CONF_AUTHORIZED_HOLD: DEFAULT_AUTHORIZED_HOLD_SECONDS,
            CONF_AUTHORIZED_WHEN: AUTHORIZED_ANY,
            CONF_REPEAT_WINDOW: DEFAULT_REPEAT_WINDOW_SECONDS,
            CONF_GATE: "",
            CONF_ACTIVITY_WINDOW: DEFAULT_ACTIVITY_WINDOW_MINUTES,
            **self.config_entry.options,
        }

    def _options(self, values: dict[str, Any]) -> dict[str, Any]:
        gate = str(values.get(CONF_GATE) or "").strip()
        return {**self.config_entry.options, **values, CONF_GATE: gate}


class SiteOptionsFlow(_OneFormOptionsFlow):
    """Matching, the picture history, the on-site limit and expired passes, for every camera."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The settings: a step of their own, as the cameras' options have "init"."""
        return await self.async_step_settings()

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form of every setting."""
        return await self._async_form("settings", SITE_SCHEMA, user_input)

    def _shown(self) -> dict[str, Any]:
        return Settings.from_options(self.config_entry.options).as_options()

    def _options(self, values: dict[str, Any]) -> dict[str, Any]:
        return Settings.from_options(values).as_options()
