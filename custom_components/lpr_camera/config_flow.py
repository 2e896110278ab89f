"""Config flow: add a camera (or one discovered), re-enter its password, or move it elsewhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_MAC,
    CONF_NAME,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import (
    CONF_CONNECTION_TYPE,
    CONF_HTTP_PORT,
    CONF_KIND,
    CONF_PATH,
    CONNECTION_HTTP,
    CONNECTION_RTSP,
    CONNECTION_TCP,
    DEFAULT_HTTP_PORT,
    DEFAULT_RTSP_PORT,
    DEFAULT_TCP_PORT,
    DOMAIN,
    KIND_SITE,
    LOGGER,
    RTSP_PATH_CANDIDATES,
    SITE_TITLE,
    SOURCE_MENU,
    SUBENTRY_VEHICLE,
)
from .discovery import DiscoveryFlow
from .form import WholeNumber, async_describe_changes, checked_numbers
from .identity import SITE_UNIQUE_ID, entry_unique_id
from .lpr import CannotConnectError, InvalidAuthError, LprError
from .lpr.exceptions import NoMetadataTrackError, RequestRejectedError
from .lpr.rtsp_client import describe_check, rtsp_url
from .lpr.tcp_client import check_login
from .options_flow import CameraOptionsFlow, SiteOptionsFlow
from .site.known_vehicles import Settings, VehicleWords, is_site_entry, legacy_vehicles
from .site.vehicle_flow import KnownVehicleFlow
from .sources import is_source_entry
from .sources.flow import SourceFlow
from .webhook import webhook_url

PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): str,
        vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR,
    }
)


PORT = WholeNumber(1, 65535)
TCP_SCHEMA = vol.Schema(
    {vol.Required(CONF_HOST): str, vol.Required(CONF_PORT, default=DEFAULT_TCP_PORT): PORT}
).extend(CREDENTIALS_SCHEMA.schema)
RTSP_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Required(CONF_PORT, default=DEFAULT_RTSP_PORT): PORT,
        # Empty: try the paths where cameras commonly serve the metadata track.
        vol.Optional(CONF_PATH, default=""): str,
        vol.Required(CONF_HTTP_PORT, default=DEFAULT_HTTP_PORT): PORT,
    }
).extend(CREDENTIALS_SCHEMA.schema)
SESSION_SCHEMAS = {CONNECTION_TCP: TCP_SCHEMA, CONNECTION_RTSP: RTSP_SCHEMA}

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


def _webhook_urls(hass: HomeAssistant, webhook_id: str) -> dict[str, str]:
    """The URLs to paste into the camera: POST as is, GET with the `?` the camera appends to."""
    url = webhook_url(hass, webhook_id)
    return {"post_url": url, "get_url": f"{url}?"}


def _http_credentials(user_input: Mapping[str, Any]) -> dict[str, str]:
    return {key: user_input.get(key, "") for key in (CONF_USERNAME, CONF_PASSWORD)}


async def _async_check_camera(
    connection_type: str, data: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, Any]]:
    """Try the camera once: the form errors (empty when it worked) and what was found."""
    try:
        found = await _async_probe(connection_type, data)
    except InvalidAuthError:
        return {"base": "invalid_auth"}, {}
    except NoMetadataTrackError:
        return {"base": "no_metadata_track"}, {}
    except CannotConnectError:
        return {"base": "cannot_connect"}, {}
    except LprError as err:
        LOGGER.warning("Camera at %s refused the connection: %s", data[CONF_HOST], err)
        return {"base": "unknown"}, {}
    except Exception:  # noqa: BLE001 - a bug of ours must still leave a usable form
        LOGGER.exception("Unexpected error connecting to the camera at %s", data[CONF_HOST])
        return {"base": "unknown"}, {}
    return {}, found


async def _async_probe(connection_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """TCP: log in once. RTSP: DESCRIBE until a path with the metadata track turns up."""
    credentials = (data[CONF_USERNAME], data[CONF_PASSWORD])
    if connection_type == CONNECTION_TCP:
        await check_login(data[CONF_HOST], data[CONF_PORT], *credentials)
        return {}
    paths = [data[CONF_PATH]] if data.get(CONF_PATH) else RTSP_PATH_CANDIDATES
    error: LprError = NoMetadataTrackError("no stream with a metadata track")
    for path in paths:
        try:
            await describe_check(rtsp_url(data[CONF_HOST], data[CONF_PORT], path), *credentials)
        except (NoMetadataTrackError, RequestRejectedError) as err:
            error = err
            continue
        return {CONF_PATH: path}
    if isinstance(error, RequestRejectedError):
        raise NoMetadataTrackError(str(error)) from error
    raise error


class LprCameraConfigFlow(SourceFlow, DiscoveryFlow, domain=DOMAIN):
    """Add an LPR camera."""

    VERSION = 1
    # 2: every entry has its unique id (migration.py gives the entries of before theirs).
    MINOR_VERSION = 2
    _webhook_id: str

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """The site's settings, or a camera's role and windows."""
        return SiteOptionsFlow() if is_site_entry(config_entry) else CameraOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """The site has known vehicles; a camera has no subentries."""
        return {SUBENTRY_VEHICLE: KnownVehicleFlow} if is_site_entry(config_entry) else {}

    async def async_step_import(self, import_data: dict[str, Any]) -> ConfigFlowResult:
        """Create the site, with the known plates and settings of before it, if any."""
        await self.async_set_unique_id(SITE_UNIQUE_ID)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=SITE_TITLE,
            data={CONF_KIND: KIND_SITE},
            options=Settings.from_options(import_data.get("settings", {})).as_options(),
            subentries=legacy_vehicles(import_data.get("plates", []), VehicleWords.of(self.hass)),
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Let the user pick how the camera talks to Home Assistant."""
        return self.async_show_menu(
            step_id="user",
            menu_options=[CONNECTION_TCP, CONNECTION_HTTP, CONNECTION_RTSP, SOURCE_MENU],
        )

    async def async_step_http(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Give the camera a webhook; show the URLs to paste into its web UI."""
        if not hasattr(self, "_webhook_id"):
            self._webhook_id = webhook.async_generate_id()
        urls = _webhook_urls(self.hass, self._webhook_id)
        errors: dict[str, str] = {}
        if user_input is not None:
            if name := str(user_input[CONF_NAME]).strip():
                await self.async_set_unique_id(self._webhook_id)
                return self.async_create_entry(
                    title=name,
                    data={
                        CONF_CONNECTION_TYPE: CONNECTION_HTTP,
                        CONF_WEBHOOK_ID: self._webhook_id,
                        **_http_credentials(user_input),
                        **self._discovered_mac(None),
                    },
                    # Its own text: the default one shows for every camera type (TCP and RTSP too).
                    description=CONNECTION_HTTP,
                    description_placeholders=urls,
                )
            errors[CONF_NAME] = "invalid_name"
        return self.async_show_form(
            step_id=CONNECTION_HTTP,
            data_schema=self.add_suggested_values_to_schema(HTTP_SCHEMA, user_input),
            description_placeholders=urls,
            errors=errors,
        )

    async def async_step_tcp(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the camera's address and credentials, and log in once."""
        return await self._async_session_step(CONNECTION_TCP, user_input)

    async def async_step_rtsp(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the camera's stream and web ports, and find its metadata track."""
        return await self._async_session_step(CONNECTION_RTSP, user_input)

    async def _async_session_step(
        self, connection_type: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = await self._async_try_camera(connection_type, user_input)
            if not errors:
                await self.async_set_unique_id(entry_unique_id(data))
                data |= self._discovered_mac(data[CONF_HOST])
                return self.async_create_entry(title=f"LPR camera {data[CONF_HOST]}", data=data)
        return self.async_show_form(
            step_id=connection_type,
            data_schema=self.add_suggested_values_to_schema(
                SESSION_SCHEMAS[connection_type], user_input or self._discovered_host()
            ),
            errors=errors,
        )

    async def _async_try_camera(
        self,
        connection_type: str,
        user_input: Mapping[str, Any],
        reconfigured: ConfigEntry | None = None,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The camera's entry data once every field fits, no other entry has it and it answered.

        Else the form's errors; a camera already added is one, so a typo can be fixed.
        """
        data, errors = _session_input(connection_type, user_input)
        if errors or (errors := self._camera_added_errors(data, reconfigured)):
            return data, errors
        errors, found = await _async_check_camera(connection_type, data)
        if errors:
            return data, errors
        # An empty RTSP path is known only now: the path the camera was found on.
        data |= found
        return data, self._camera_added_errors(data, reconfigured)

    def _camera_added_errors(
        self, data: Mapping[str, Any], reconfigured: ConfigEntry | None
    ) -> dict[str, str]:
        """The same camera cannot be added twice: another entry has its unique id.

        An error on the form rather than the abort of `_abort_if_unique_id_configured`: the form
        stays open, so a mistyped port can be fixed. An RTSP path still to be found makes no id.
        """
        if data.get(CONF_PATH) == "":
            return {}
        unique_id = entry_unique_id(data)
        if reconfigured is not None and unique_id == reconfigured.unique_id:
            return {}
        if unique_id in self._async_current_ids(include_ignore=False):
            return {"base": "already_configured"}
        return {}

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start over with the credentials when the camera refuses them."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new user name and password."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            connection_type = entry.data[CONF_CONNECTION_TYPE]
            errors, _ = await _async_check_camera(connection_type, {**entry.data, **user_input})
            if not errors:
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
        if is_site_entry(entry):
            return self.async_abort(reason="site_not_reconfigurable")
        if is_source_entry(entry):
            return await self.async_step_reconfigure_source(user_input)
        if entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP:
            return await self.async_step_reconfigure_http(user_input)
        connection_type = entry.data[CONF_CONNECTION_TYPE]
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = await self._async_try_camera(connection_type, user_input, entry)
            if not errors:
                return await self._async_save_reload_and_describe(
                    entry, SESSION_SCHEMAS[connection_type], "reconfigure", data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                SESSION_SCHEMAS[connection_type], user_input or entry.data
            ),
            errors=errors,
        )

    async def async_step_reconfigure_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials the camera must send; the webhook URL stays."""
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            return await self._async_save_reload_and_describe(
                entry, HTTP_CREDENTIALS_SCHEMA, "reconfigure_http", _http_credentials(user_input)
            )
        return self.async_show_form(
            step_id="reconfigure_http",
            data_schema=self.add_suggested_values_to_schema(HTTP_CREDENTIALS_SCHEMA, entry.data),
            description_placeholders=_webhook_urls(self.hass, entry.data[CONF_WEBHOOK_ID]),
        )

    async def _async_save_reload_and_describe(
        self,
        entry: ConfigEntry,
        schema: vol.Schema,
        step_id: str,
        updates: Mapping[str, Any],
    ) -> ConfigFlowResult:
        """Save and reconnect; the ending names what changed (or that nothing did).

        A camera given another address becomes another camera: its unique id follows, and the
        MAC a discovery gave it goes (the next discovery at its new address tells it again).
        """
        data = {**entry.data, **updates}
        if data.get(CONF_HOST) != entry.data.get(CONF_HOST):
            data.pop(CONF_MAC, None)
        changes = await async_describe_changes(
            self.hass, schema, f"config.step.{step_id}", entry.data, data
        )
        result = self.async_update_reload_and_abort(
            entry,
            unique_id=entry_unique_id(data),
            data=data,
            reason="saved" if changes else "unchanged",
        )
        result["description_placeholders"] = {"changes": changes}
        return result


def _session_input(
    connection_type: str, user_input: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The entry data of the input, its host trimmed and ports whole; the fields that do not fit.

    The RTSP path is as typed (empty: still to be found).
    """
    data, errors = checked_numbers(SESSION_SCHEMAS[connection_type], user_input)
    data[CONF_CONNECTION_TYPE] = connection_type
    data[CONF_HOST] = host = str(data[CONF_HOST]).strip()
    # A URL ("http://...") or an address with a path is no host.
    if not host or "/" in host or any(character.isspace() for character in host):
        errors[CONF_HOST] = "invalid_host"
    return data, errors
