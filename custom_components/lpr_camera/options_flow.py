"""Options: a camera's role and windows; the site's settings, shared by every camera."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .const import (
    CONF_ACTIVITY_WINDOW,
    CONF_AUTHORIZED_HOLD,
    CONF_CONNECTION_TYPE,
    CONF_HISTORY,
    CONF_MAX_SIZE_MB,
    CONF_ON_SITE_LIMIT,
    CONF_PASS_RETENTION_DAYS,
    CONF_REPEAT_WINDOW,
    CONF_RETENTION_DAYS,
    CONF_ROLE,
    CONF_TOLERANCE,
    CONNECTION_HTTP,
    DEFAULT_ACTIVITY_WINDOW_MINUTES,
    DEFAULT_AUTHORIZED_HOLD_SECONDS,
    DEFAULT_REPEAT_WINDOW_SECONDS,
    DEFAULT_ROLE,
    ROLE_DIRECTION,
    ROLE_ENTRANCE,
    ROLE_EXIT,
)
from .known_vehicles import Settings
from .lpr.matching import MAX_TOLERANCE

MAX_RETENTION_DAYS = 10 * 365
MAX_SIZE_MB = 1_000_000  # a terabyte
MAX_ON_SITE_LIMIT_HOURS = 90 * 24
MAX_HOLD_SECONDS = 3600


def number(minimum: int, maximum: int, unit: str) -> vol.All:
    """A whole number typed in a box, with its unit."""
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


CAMERA_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_ROLE): SelectSelector(
            SelectSelectorConfig(
                options=[ROLE_DIRECTION, ROLE_ENTRANCE, ROLE_EXIT],
                translation_key="role",
                mode=SelectSelectorMode.LIST,
            )
        ),
        vol.Required(CONF_AUTHORIZED_HOLD): number(1, MAX_HOLD_SECONDS, "s"),
        vol.Required(CONF_REPEAT_WINDOW): number(0, MAX_HOLD_SECONDS, "s"),
    }
)
ACTIVITY_WINDOW_SCHEMA = {vol.Required(CONF_ACTIVITY_WINDOW): number(1, 7 * 24 * 60, "min")}
SITE_SCHEMA = vol.Schema(
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
        vol.Required(CONF_RETENTION_DAYS): number(1, MAX_RETENTION_DAYS, "d"),
        vol.Required(CONF_MAX_SIZE_MB): number(1, MAX_SIZE_MB, "MB"),
        vol.Required(CONF_ON_SITE_LIMIT): number(1, MAX_ON_SITE_LIMIT_HOURS, "h"),
        vol.Required(CONF_PASS_RETENTION_DAYS): number(0, MAX_RETENTION_DAYS, "d"),
    }
)


class CameraOptionsFlow(OptionsFlow):
    """What the camera sees and how long its reads count; an HTTP camera's activity window."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form; the activity window only for an HTTP camera."""
        if user_input is not None:
            return self.async_create_entry(data={**self.config_entry.options, **user_input})
        schema = CAMERA_SCHEMA
        if self.config_entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP:
            schema = schema.extend(ACTIVITY_WINDOW_SCHEMA)
        current = {
            CONF_ROLE: DEFAULT_ROLE,
            CONF_AUTHORIZED_HOLD: DEFAULT_AUTHORIZED_HOLD_SECONDS,
            CONF_REPEAT_WINDOW: DEFAULT_REPEAT_WINDOW_SECONDS,
            CONF_ACTIVITY_WINDOW: DEFAULT_ACTIVITY_WINDOW_MINUTES,
            **self.config_entry.options,
        }
        return self.async_show_form(
            step_id="init", data_schema=self.add_suggested_values_to_schema(schema, current)
        )


class SiteOptionsFlow(OptionsFlow):
    """Matching, the picture history, the on-site limit and expired passes, for every camera."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The settings: a step of their own, as the cameras' options have "init"."""
        return await self.async_step_settings()

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form of every setting."""
        if user_input is not None:
            return self.async_create_entry(data=Settings.from_options(user_input).as_options())
        current = Settings.from_options(self.config_entry.options).as_options()
        return self.async_show_form(
            step_id="settings",
            data_schema=self.add_suggested_values_to_schema(SITE_SCHEMA, current),
        )
