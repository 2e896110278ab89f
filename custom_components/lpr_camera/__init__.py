"""The LPR Camera integration: licence-plate-recognition cameras in Home Assistant.

Two kinds of config entry: one per camera, and one site, whose subentries are the known
vehicles and whose options are the settings every camera shares. The `Site` (known vehicles,
presence, plate log) is made once, here, and handed to the site entry and to every camera.
"""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_IMPORT, ConfigEntry, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import CONF_CONNECTION_TYPE, CONNECTION_HTTP, DOMAIN
from .coordinator import LprCameraConfigEntry, LprCameraCoordinator
from .migration import (
    # Home Assistant calls these two by their names.
    async_migrate_entry,  # noqa: F401
    async_remove_entry,  # noqa: F401
)
from .plate_log.export import async_register_export
from .plate_log.panel import async_hide_panel, async_serve_frontend, async_show_panel
from .plate_log.picture_view import PassagePictureView
from .plate_log.websocket_api import async_setup_websocket_api
from .site import DATA_KEY, Site, SiteConfigEntry
from .site.actions import async_setup_actions
from .site.entry import SITE_PLATFORMS, async_setup_site_entry
from .site.known_vehicles import is_site_entry
from .site.migration import async_load_legacy_known_plates
from .site.notifications import async_setup_notification_answers
from .sources.action import async_setup_report_read
from .webhook import async_register_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.SENSOR,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Make the site every camera shares, register the actions, and make sure its entry exists."""
    site = Site(hass)
    await site.async_load()
    hass.data[DATA_KEY] = site
    async_setup_actions(hass, site)
    async_setup_report_read(hass)
    async_setup_notification_answers(hass, site)
    await async_serve_frontend(hass)
    hass.http.register_view(PassagePictureView())
    async_setup_websocket_api(hass)
    async_register_export(hass)
    if site.known_vehicles.site_entry is None:
        # The known plates of before the site entry move into it, nothing lost.
        legacy = await async_load_legacy_known_plates(hass)
        hass.async_create_task(
            hass.config_entries.flow.async_init(
                DOMAIN, context={"source": SOURCE_IMPORT}, data=legacy
            ),
            f"{DOMAIN} create the site",
        )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up the site, or connect to a camera (or open its webhook) and set up its entities."""
    site = hass.data[DATA_KEY]
    await async_show_panel(hass, site.known_vehicles.settings.plate_log_admin_only)
    await site.plate_log.async_open()
    if is_site_entry(entry):
        return await async_setup_site_entry(hass, entry, site)
    return await _async_setup_camera_entry(hass, entry, site)


async def _async_setup_camera_entry(
    hass: HomeAssistant, entry: LprCameraConfigEntry, site: Site
) -> bool:
    coordinator = LprCameraCoordinator(hass, entry, site)
    await coordinator.async_start()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if entry.data.get(CONF_CONNECTION_TYPE) == CONNECTION_HTTP:
        async_register_webhook(coordinator)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: SiteConfigEntry | LprCameraConfigEntry
) -> bool:
    """Close the camera session (or stop the site's upkeep) and remove the entities.

    The last entry to unload closes the plate log and takes the Plates panel away.
    """
    platforms = SITE_PLATFORMS if is_site_entry(entry) else PLATFORMS
    if not await hass.config_entries.async_unload_platforms(entry, platforms):
        return False
    if not any(
        other.state is ConfigEntryState.LOADED
        for other in hass.config_entries.async_entries(DOMAIN)
        if other.entry_id != entry.entry_id
    ):
        async_hide_panel(hass)
        await hass.data[DATA_KEY].plate_log.async_close()
    return True
