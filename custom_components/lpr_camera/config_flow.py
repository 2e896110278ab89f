"""Config flow: add a camera, re-enter its password, or move it to another address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_NAME,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import (
    CONF_ACTIVITY_WINDOW,
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    CONNECTION_TCP,
    DEFAULT_ACTIVITY_WINDOW_MINUTES,
    DOMAIN,
    LOGGER,
)
from .lpr import CannotConnectError, InvalidAuthError, LprError
from .lpr.tcp_client import check_login

PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): str,
        vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR,
    }
)
TCP_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Required(CONF_PORT): vol.All(
            NumberSelector(
                NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
            ),
            vol.Coerce(int),
        ),
    }
).extend(CREDENTIALS_SCHEMA.schema)

# HTTP type: credentials are optional; when set, the camera must send them (HTTP Basic).
HTTP_CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): PASSWORD_SELECTOR,
    }
)
HTTP_SCHEMA = vol.Schema({vol.Required(CONF_NAME, default="LPR camera"): str}).extend(
    HTTP_CREDENTIALS_SCHEMA.schema
)
ACTIVITY_WINDOW_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_ACTIVITY_WINDOW): vol.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=1,
                    max=7 * 24 * 60,
                    step=1,
                    unit_of_measurement="min",
                    mode=NumberSelectorMode.BOX,
                )
            ),
            vol.Coerce(int),
        )
    }
)


def _webhook_urls(hass: HomeAssistant, webhook_id: str) -> dict[str, str]:
    """The URLs to paste into the camera: POST as is, GET with the `?` the camera appends to."""
    try:
        url = webhook.async_generate_url(hass, webhook_id, allow_ip=True, prefer_external=False)
    except NoURLAvailableError:
        url = f"http://HOME_ASSISTANT_ADDRESS:8123{webhook.async_generate_path(webhook_id)}"
    return {"post_url": url, "get_url": f"{url}?"}


def _http_credentials(user_input: Mapping[str, Any]) -> dict[str, str]:
    return {key: user_input.get(key, "") for key in (CONF_USERNAME, CONF_PASSWORD)}


async def _async_login_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """Log in to the camera once; return the form errors, empty when it worked."""
    try:
        await check_login(
            data[CONF_HOST], data[CONF_PORT], data[CONF_USERNAME], data[CONF_PASSWORD]
        )
    except InvalidAuthError:
        return {"base": "invalid_auth"}
    except CannotConnectError:
        return {"base": "cannot_connect"}
    except LprError as err:
        LOGGER.warning("Camera at %s refused the login: %s", data[CONF_HOST], err)
        return {"base": "unknown"}
    except Exception:  # noqa: BLE001 - a bug of ours must still leave a usable form
        LOGGER.exception("Unexpected error logging in to the camera at %s", data[CONF_HOST])
        return {"base": "unknown"}
    return {}


class LprCameraConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add an LPR camera."""

    VERSION = 1
    _webhook_id: str

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:  # noqa: ARG004
        """Options of the HTTP type."""
        return ActivityWindowOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only the HTTP type has options: the TCP type's connection speaks for itself."""
        return bool(config_entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Let the user pick how the camera talks to Home Assistant."""
        return self.async_show_menu(step_id="user", menu_options=[CONNECTION_TCP, CONNECTION_HTTP])

    async def async_step_http(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Give the camera a webhook; show the URLs to paste into its web UI."""
        if not hasattr(self, "_webhook_id"):
            self._webhook_id = webhook.async_generate_id()
        urls = _webhook_urls(self.hass, self._webhook_id)
        if user_input is not None:
            return self.async_create_entry(
                title=user_input[CONF_NAME],
                data={
                    CONF_CONNECTION_TYPE: CONNECTION_HTTP,
                    CONF_WEBHOOK_ID: self._webhook_id,
                    **_http_credentials(user_input),
                },
                description_placeholders=urls,
            )
        return self.async_show_form(
            step_id=CONNECTION_HTTP, data_schema=HTTP_SCHEMA, description_placeholders=urls
        )

    async def async_step_tcp(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the camera's address and credentials, and log in once."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._abort_if_camera_configured(user_input)
            if not (errors := await _async_login_errors(user_input)):
                return self.async_create_entry(
                    title=f"LPR camera {user_input[CONF_HOST]}",
                    data={CONF_CONNECTION_TYPE: CONNECTION_TCP, **user_input},
                )
        return self.async_show_form(
            step_id=CONNECTION_TCP,
            data_schema=self.add_suggested_values_to_schema(TCP_SCHEMA, user_input),
            errors=errors,
        )

    def _abort_if_camera_configured(
        self, user_input: Mapping[str, Any], except_entry_id: str | None = None
    ) -> None:
        """The same camera (address and port) cannot be added twice."""
        for entry in self._async_current_entries(include_ignore=False):
            if (
                entry.entry_id != except_entry_id
                and entry.data.get(CONF_HOST) == user_input[CONF_HOST]
                and entry.data.get(CONF_PORT) == user_input[CONF_PORT]
            ):
                raise AbortFlow("already_configured")

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start over with the credentials when the camera refuses them."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new user name and password."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None and not (
            errors := await _async_login_errors({**entry.data, **user_input})
        ):
            return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, user_input or {CONF_USERNAME: entry.data[CONF_USERNAME]}
            ),
            description_placeholders={"host": entry.data[CONF_HOST]},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the camera's address or credentials."""
        entry = self._get_reconfigure_entry()
        if entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP:
            return await self.async_step_reconfigure_http(user_input)
        errors: dict[str, str] = {}
        if user_input is not None:
            self._abort_if_camera_configured(user_input, except_entry_id=entry.entry_id)
            if not (errors := await _async_login_errors(user_input)):
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(TCP_SCHEMA, user_input or entry.data),
            errors=errors,
        )

    async def async_step_reconfigure_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials the camera must send; the webhook URL stays."""
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            return self.async_update_reload_and_abort(
                entry, data_updates=_http_credentials(user_input)
            )
        return self.async_show_form(
            step_id="reconfigure_http",
            data_schema=self.add_suggested_values_to_schema(HTTP_CREDENTIALS_SCHEMA, entry.data),
            description_placeholders=_webhook_urls(self.hass, entry.data[CONF_WEBHOOK_ID]),
        )


class ActivityWindowOptionsFlow(OptionsFlow):
    """HTTP type: how long after a read the camera still counts as connected."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the window in minutes."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        current = self.config_entry.options.get(
            CONF_ACTIVITY_WINDOW, DEFAULT_ACTIVITY_WINDOW_MINUTES
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                ACTIVITY_WINDOW_SCHEMA, {CONF_ACTIVITY_WINDOW: current}
            ),
        )
