"""The coordinator: keeps one camera's connection open and hands its reads to the entities."""

from __future__ import annotations

from dataclasses import dataclass, replace

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN, EVENT_PLATE_RECOGNIZED, LOGGER
from .lpr import CannotConnectError, InvalidAuthError, LprError, PlateRead
from .lpr.tcp_client import TcpCameraClient

type LprCameraConfigEntry = ConfigEntry[LprCameraCoordinator]

PLATE_IMAGE_KEY = "plate_image"
FULL_IMAGE_KEY = "full_image"


@dataclass(frozen=True, slots=True)
class LprCameraState:
    """What the entities show: the connection and the newest read."""

    connected: bool
    last_read: PlateRead | None = None


class LprCameraCoordinator(DataUpdateCoordinator[LprCameraState]):
    """Owns the camera session for the config entry's lifetime.

    Push only: there is no polling; the client calls back on every read and on
    every change of the connection.
    """

    config_entry: LprCameraConfigEntry

    def __init__(self, hass: HomeAssistant, entry: LprCameraConfigEntry) -> None:
        """Create the coordinator and the camera client of the entry."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.data = LprCameraState(connected=False)
        self.client = TcpCameraClient(
            entry.data[CONF_HOST],
            entry.data[CONF_PORT],
            entry.data[CONF_USERNAME],
            entry.data[CONF_PASSWORD],
            on_read=self.async_handle_read,
            on_connection_change=self.async_set_connected,
            on_auth_failed=self._async_auth_failed,
        )

    async def async_start(self) -> None:
        """Log in, then keep the session open in the background until unload."""
        try:
            await self.client.connect()
        except InvalidAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except (CannotConnectError, LprError) as err:
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": str(err)},
            ) from err
        self.async_set_connected(True)
        self.config_entry.async_create_background_task(
            self.hass, self.client.run(), f"{DOMAIN} {self.config_entry.title} session"
        )
        self.config_entry.async_on_unload(self.client.stop)

    @callback
    def async_handle_read(self, read: PlateRead) -> None:
        """Show a read on the entities and fire the bus event for automations."""
        self.async_set_updated_data(replace(self.data, last_read=read))
        self.hass.bus.async_fire(EVENT_PLATE_RECOGNIZED, self._event_data(read))

    @callback
    def async_set_connected(self, connected: bool) -> None:
        """Record a change of the connection."""
        if connected != self.data.connected:
            self.async_set_updated_data(replace(self.data, connected=connected))

    @callback
    def _async_auth_failed(self) -> None:
        self.async_set_connected(False)
        self.config_entry.async_start_reauth(self.hass)

    def _event_data(self, read: PlateRead) -> dict[str, object]:
        entry_id = self.config_entry.entry_id
        device = dr.async_get(self.hass).async_get_device(identifiers={(DOMAIN, entry_id)})
        entities = er.async_get(self.hass)
        return {
            **read.as_dict(),
            "config_entry_id": entry_id,
            "device_id": device.id if device else None,
            "plate_image_entity_id": entities.async_get_entity_id(
                "image", DOMAIN, f"{entry_id}_{PLATE_IMAGE_KEY}"
            ),
            "full_image_entity_id": entities.async_get_entity_id(
                "image", DOMAIN, f"{entry_id}_{FULL_IMAGE_KEY}"
            ),
        }
