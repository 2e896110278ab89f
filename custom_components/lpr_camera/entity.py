"""The base entity every platform of the integration shares."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import LprCameraCoordinator


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
