"""The connection to the camera, as a diagnostic binary sensor."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .coordinator import LprCameraConfigEntry
from .entity import LprCameraEntity

PARALLEL_UPDATES = 0

CONNECTION = BinarySensorEntityDescription(
    key="connection",
    translation_key="connection",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LprCameraConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the connection sensor."""
    async_add_entities([ConnectionSensor(entry.runtime_data, CONNECTION)])


class ConnectionSensor(LprCameraEntity, BinarySensorEntity):
    """On while the camera's session is up; available even when it is not."""

    @property
    def available(self) -> bool:
        """Stay available: being disconnected is this entity's news."""
        return True

    @property
    def is_on(self) -> bool:
        """Return whether the camera is connected."""
        return self.coordinator.data.connected
