"""The base entities: of a camera's device, of the site's device, of a known vehicle's device."""

from __future__ import annotations

from abc import abstractmethod

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import LprCameraCoordinator
from .read import ReadRecord
from .site import Site, vehicle_identifier
from .site.known_vehicles import KnownVehicle
from .site.presence import SIGNAL_SITE_UPDATED, signal_vehicle_updated


class LprCameraEntity(CoordinatorEntity[LprCameraCoordinator]):
    """An entity of one camera's device; unavailable while its session is down."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: LprCameraCoordinator, description: EntityDescription) -> None:
        """Bind the entity to the camera's device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        # The coordinator registered the device with its details before any entity.
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})

    @property
    def available(self) -> bool:
        """Follow the camera's session, where it has one."""
        coordinator = self.coordinator
        return super().available and (coordinator.data.connected or not coordinator.has_session)


class LprReadEntity(LprCameraEntity):
    """An entity that shows something of each read: the camera's signal brings every one."""

    # Whether it shows the camera's newest read from before it was added (a sensor does; an
    # entity that tells of each new read, once, does not).
    _shows_earlier_read = True

    def __init__(self, coordinator: LprCameraCoordinator, description: EntityDescription) -> None:
        """Start from the camera's newest read, if one came before this entity."""
        super().__init__(coordinator, description)
        if self._shows_earlier_read and coordinator.last_record is not None:
            self._take(coordinator.last_record)

    async def async_added_to_hass(self) -> None:
        """Follow the camera's reads; be named in them."""
        await super().async_added_to_hass()
        coordinator = self.coordinator
        key = self.entity_description.key
        coordinator.entity_ids[key] = self.entity_id

        @callback
        def forget() -> None:
            coordinator.entity_ids.pop(key, None)

        self.async_on_remove(forget)
        self.async_on_remove(
            async_dispatcher_connect(self.hass, coordinator.read_signal, self._async_handle_read)
        )

    @callback
    def _async_handle_read(self, record: ReadRecord) -> None:
        self._take(record)
        self.async_write_ha_state()

    @abstractmethod
    def _take(self, record: ReadRecord) -> None:
        """Take what this entity shows from a read."""


class SiteEntity(Entity):
    """An entity of the site's device, updated whenever the site changes."""

    _signal = SIGNAL_SITE_UPDATED

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: ConfigEntry, site: Site, description: EntityDescription) -> None:
        """Bind the entity to the site's device (registered when the site entry set up)."""
        self.entity_description = description
        self.site = site
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})

    async def async_added_to_hass(self) -> None:
        """Follow the site's changes (a vehicle's entity: that vehicle's only)."""
        self.async_on_remove(
            async_dispatcher_connect(self.hass, self._signal, self.async_write_ha_state)
        )


class VehicleEntity(SiteEntity):
    """An entity of a known vehicle's device ("Anna's car"), updated when that vehicle changes."""

    def __init__(
        self, entry: ConfigEntry, site: Site, vehicle: KnownVehicle, description: EntityDescription
    ) -> None:
        """Bind the entity to the vehicle's device (registered when the site entry set up)."""
        super().__init__(entry, site, description)
        self.vehicle_id = vehicle.vehicle_id
        self._attr_unique_id = f"{vehicle.vehicle_id}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={vehicle_identifier(vehicle.vehicle_id)})
        self._signal = signal_vehicle_updated(vehicle.vehicle_id)
