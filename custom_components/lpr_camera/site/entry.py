"""The site's config entry: its device, its known vehicles' devices and entities, its upkeep.

Every minute, vehicles on site for longer than the limit are dropped, and known vehicles whose
pass ended more than the retention ago are removed, each with a logbook line. A known vehicle
added, changed or removed touches only that vehicle: its device and entities come, change or go
while the others stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect, async_dispatcher_send
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, LOGGER
from ..plate_log.panel import async_show_panel
from . import Site, SiteConfigEntry, async_log, vehicle_identifier
from .known_vehicles import KnownVehicle, VehicleWords, async_retitle_vehicles
from .migration import async_remove_legacy_known_plates
from .presence import SIGNAL_SITE_UPDATED

SITE_PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.SENSOR]
UPKEEP_INTERVAL = timedelta(minutes=1)
# Sent with a known vehicle just added: each platform adds its entities for it.
SIGNAL_VEHICLE_ADDED = f"{DOMAIN}_vehicle_added"


async def async_setup_site_entry(hass: HomeAssistant, entry: SiteConfigEntry, site: Site) -> bool:
    """Register the site's device and its vehicles', set up its entities, start its upkeep."""
    await async_remove_legacy_known_plates(hass)
    entry.runtime_data = site
    site_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        model="LPR site",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    async_retitle_vehicles(hass, entry)
    words = VehicleWords.of(hass)
    for vehicle in site.known_vehicles.vehicles:
        _async_register_vehicle_device(hass, entry, vehicle, site_device.id, words)
    _async_follow_vehicles(site)
    await hass.config_entries.async_forward_entry_setups(entry, SITE_PLATFORMS)

    @callback
    def upkeep(now: datetime) -> None:
        _async_drop_overstayed(hass, entry)
        _async_remove_expired_passes(hass, site, now)

    async def site_changed(hass: HomeAssistant, entry: SiteConfigEntry) -> None:
        _async_follow_changes(hass, entry, site_device.id)

    upkeep(dt_util.utcnow())
    entry.async_on_unload(async_track_time_interval(hass, upkeep, UPKEEP_INTERVAL))
    entry.async_on_unload(entry.add_update_listener(site_changed))
    entry.async_on_unload(site.vehicle_devices.clear)
    return True


@callback
def async_add_vehicle_entities(
    entry: SiteConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_of: Callable[[KnownVehicle], Iterable[Entity]],
) -> None:
    """Add a platform's entities of each known vehicle, now and as vehicles are added."""

    @callback
    def add(vehicle: KnownVehicle) -> None:
        async_add_entities(entities_of(vehicle), config_subentry_id=vehicle.vehicle_id)

    site = entry.runtime_data
    for vehicle in site.known_vehicles.vehicles:
        add(vehicle)
    entry.async_on_unload(async_dispatcher_connect(site.hass, SIGNAL_VEHICLE_ADDED, add))


@callback
def _async_register_vehicle_device(
    hass: HomeAssistant,
    entry: SiteConfigEntry,
    vehicle: KnownVehicle,
    site_device_id: str,
    words: VehicleWords,
) -> None:
    """The vehicle's device under the site's device: named as the vehicle, its model saying more.

    The model shows the plate, the list and the pass. A name the user gave the device stays
    (Home Assistant keeps it apart, `name_by_user`).
    Linked by the site device's id: Home Assistant 2026.10 deprecates linking by identifier
    (`via_device`), which 2025.4 alone has when a device is created.
    """
    registry = dr.async_get(hass)
    model = words.model(vehicle)
    device = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        config_subentry_id=vehicle.vehicle_id,
        identifiers={vehicle_identifier(vehicle.vehicle_id)},
        name=vehicle.title,
        model=model,
    )
    registry.async_update_device(
        device.id, via_device_id=site_device_id, name=vehicle.title, model=model
    )
    entry.runtime_data.vehicle_devices[vehicle.vehicle_id] = device.id


@callback
def _async_follow_changes(hass: HomeAssistant, entry: SiteConfigEntry, site_device_id: str) -> None:
    """Known vehicles added, changed or removed, or settings changed: follow, touching no more.

    Home Assistant takes a removed vehicle's device and entities away itself.
    """
    site = entry.runtime_data
    vehicles = site.known_vehicles.vehicles
    for gone in set(site.vehicle_devices) - {vehicle.vehicle_id for vehicle in vehicles}:
        del site.vehicle_devices[gone]
    words = VehicleWords.of(hass)
    for vehicle in vehicles:
        added = vehicle.vehicle_id not in site.vehicle_devices
        _async_register_vehicle_device(hass, entry, vehicle, site_device_id, words)
        if added:
            async_dispatcher_send(hass, SIGNAL_VEHICLE_ADDED, vehicle)
    _async_follow_vehicles(site)
    site.plate_log.async_settings_changed()
    hass.async_create_task(
        async_show_panel(hass, site.known_vehicles.settings.plate_log_admin_only),
        f"{DOMAIN} show the Plates panel",
    )
    async_dispatcher_send(hass, SIGNAL_SITE_UPDATED)


@callback
def _async_follow_vehicles(site: Site) -> None:
    """Presence follows the known vehicles: of those gone, and of plates now known."""
    known_vehicles = site.known_vehicles
    now = dt_util.utcnow()
    site.presence.async_follow_vehicles(
        (vehicle.vehicle_id for vehicle in known_vehicles.vehicles),
        lambda plate: known_vehicles.match(plate, now).vehicle,
    )


@callback
def _async_drop_overstayed(hass: HomeAssistant, entry: SiteConfigEntry) -> None:
    site = entry.runtime_data
    hours = site.known_vehicles.settings.on_site_limit_hours
    for item in site.presence.async_drop_overstayed(timedelta(hours=hours)):
        site.async_log_dropped(item, f"after {hours} h")


@callback
def _async_remove_expired_passes(hass: HomeAssistant, site: Site, now: datetime) -> None:
    known_vehicles = site.known_vehicles
    retention = timedelta(days=known_vehicles.settings.pass_retention_days)
    for vehicle in known_vehicles.vehicles:
        vehicle_pass = vehicle.vehicle_pass
        if vehicle_pass is None or not vehicle_pass.expired(now - retention):
            continue
        LOGGER.info("Removing a known vehicle whose pass expired: %s", vehicle.vehicle_id)
        known_vehicles.async_remove([vehicle.plate])
        until = dt_util.as_local(vehicle_pass.valid_until or now).strftime("%Y-%m-%d %H:%M")
        async_log(hass, vehicle.title, f"removed from the known vehicles: its pass expired {until}")
