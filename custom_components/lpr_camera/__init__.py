"""The LPR Camera integration: licence-plate-recognition cameras in Home Assistant."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import CONF_CONNECTION_TYPE, CONNECTION_HTTP, DOMAIN
from .coordinator import LprCameraConfigEntry, LprCameraCoordinator
from .data import DATA_KEY, LprCameraData
from .history import PictureHistory
from .known_plates import KnownPlates
from .services import async_setup_services
from .webhook import async_register_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.SENSOR,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Load the known plates every camera shares and register the service actions."""
    known_plates = KnownPlates(hass)
    await known_plates.async_load()
    hass.data[DATA_KEY] = LprCameraData(
        known_plates=known_plates, history=PictureHistory(hass, known_plates)
    )
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: LprCameraConfigEntry) -> bool:
    """Connect to the camera (or open its webhook) and set up its entities."""
    coordinator = LprCameraCoordinator(hass, entry)
    await coordinator.async_start()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP:
        async_register_webhook(hass, coordinator)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: LprCameraConfigEntry) -> bool:
    """Close the camera session and remove the entities."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
