"""The site's config entry: its device, its entities, and the upkeep of who is on site.

Every minute, vehicles on site for longer than the limit are dropped, and known vehicles whose
pass ended more than the retention ago are removed, each with a logbook line. A change of the
known vehicles or of the settings reloads the entry, so each known vehicle has its device.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_LOGBOOK_ENTRY, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, LOGGER
from ..data import DATA_KEY, vehicle_identifier
from .known_vehicles import KnownVehicle
from .migration import async_remove_legacy_known_plates
from .presence import OnSite

SITE_PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.SENSOR]
UPKEEP_INTERVAL = timedelta(minutes=1)
VEHICLES_ON_SITE_KEY = "vehicles_on_site"


async def async_setup_site_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Register the site's device, set up its entities and start its upkeep."""
    await async_remove_legacy_known_plates(hass)
    site_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        model="LPR site",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    data = hass.data[DATA_KEY]
    for vehicle in data.known_vehicles.vehicles:
        _async_register_vehicle_device(hass, entry, vehicle, site_device.id)
    data.site.async_forget_vehicles_except(v.vehicle_id for v in data.known_vehicles.vehicles)
    await hass.config_entries.async_forward_entry_setups(entry, SITE_PLATFORMS)

    @callback
    def upkeep(now: datetime) -> None:
        _async_drop_overstayed(hass, entry)
        _async_remove_expired_passes(hass, now)

    upkeep(dt_util.utcnow())
    entry.async_on_unload(async_track_time_interval(hass, upkeep, UPKEEP_INTERVAL))
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    return True


@callback
def _async_register_vehicle_device(
    hass: HomeAssistant, entry: ConfigEntry, vehicle: KnownVehicle, site_device_id: str
) -> None:
    """The vehicle's device, named as the vehicle, under the site's device.

    Linked by the site device's id: Home Assistant 2026.10 deprecates linking by identifier
    (`via_device`), which 2025.4 alone has when a device is created.
    """
    registry = dr.async_get(hass)
    device = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        config_subentry_id=vehicle.vehicle_id,
        identifiers={vehicle_identifier(vehicle.vehicle_id)},
        name=vehicle.title,
        model="Known vehicle",
    )
    registry.async_update_device(device.id, via_device_id=site_device_id)


async def _async_reload(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Known vehicles added, changed or removed, or settings changed: set up afresh."""
    hass.config_entries.async_schedule_reload(entry.entry_id)


@callback
def _async_drop_overstayed(hass: HomeAssistant, entry: ConfigEntry) -> None:
    data = hass.data[DATA_KEY]
    hours = data.known_vehicles.settings.on_site_limit_hours
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.SENSOR, DOMAIN, f"{entry.entry_id}_{VEHICLES_ON_SITE_KEY}"
    )
    for item in data.site.async_drop_overstayed(timedelta(hours=hours)):
        async_log(
            hass, _vehicle_name(hass, item), f"dropped from the site after {hours} h", entity_id
        )


@callback
def _async_remove_expired_passes(hass: HomeAssistant, now: datetime) -> None:
    known_vehicles = hass.data[DATA_KEY].known_vehicles
    retention = timedelta(days=known_vehicles.settings.pass_retention_days)
    for vehicle in known_vehicles.vehicles:
        vehicle_pass = vehicle.vehicle_pass
        if vehicle_pass is None or not vehicle_pass.expired(now - retention):
            continue
        LOGGER.info("Removing a known vehicle whose pass expired: %s", vehicle.vehicle_id)
        known_vehicles.async_remove([vehicle.plate])
        until = dt_util.as_local(vehicle_pass.valid_until or now).strftime("%Y-%m-%d %H:%M")
        async_log(hass, vehicle.title, f"removed from the known vehicles: its pass expired {until}")


@callback
def async_log(hass: HomeAssistant, name: str, message: str, entity_id: str | None = None) -> None:
    """A line in the logbook, under the integration (and the entity, when there is one)."""
    line = {"name": name, "message": message, "domain": DOMAIN}
    if entity_id:
        line["entity_id"] = entity_id
    hass.bus.async_fire(EVENT_LOGBOOK_ENTRY, line)


def _vehicle_name(hass: HomeAssistant, item: OnSite) -> str:
    """The plate, with the known vehicle's name when it is one."""
    vehicle = hass.data[DATA_KEY].known_vehicles.by_id(item.vehicle_id or "")
    return f"{item.plate} ({vehicle.name})" if vehicle and vehicle.name else item.plate
