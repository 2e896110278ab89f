"""Binary sensors: a camera's connection and its authorized reads; each known vehicle on site."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .const import CONF_AUTHORIZED_HOLD, DEFAULT_AUTHORIZED_HOLD_SECONDS
from .coordinator import LprCameraCoordinator
from .data import DATA_KEY
from .entity import LprCameraEntity, VehicleEntity
from .lpr import PlateRead
from .site.known_vehicles import ReadMatch, is_site_entry

PARALLEL_UPDATES = 0

CONNECTION = BinarySensorEntityDescription(
    key="connection",
    translation_key="connection",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)
AUTHORIZED = BinarySensorEntityDescription(key="authorized", translation_key="authorized")
ON_SITE = BinarySensorEntityDescription(
    key="on_site", translation_key="on_site", device_class=BinarySensorDeviceClass.PRESENCE
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A camera's connection and authorized sensors; the site's vehicles' on-site sensors."""
    if not is_site_entry(entry):
        coordinator: LprCameraCoordinator = entry.runtime_data
        async_add_entities(
            [ConnectionSensor(coordinator, CONNECTION), AuthorizedSensor(coordinator, AUTHORIZED)]
        )
        return
    for vehicle in hass.data[DATA_KEY].known_vehicles.vehicles:
        async_add_entities(
            [OnSiteSensor(entry, vehicle, ON_SITE)], config_subentry_id=vehicle.vehicle_id
        )


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


class AuthorizedSensor(LprCameraEntity, BinarySensorEntity):
    """On for the hold time after an authorized read: "when it turns on, open the gate"."""

    def __init__(
        self, coordinator: LprCameraCoordinator, description: BinarySensorEntityDescription
    ) -> None:
        """Off until an authorized read; the reads before setup are not new."""
        super().__init__(coordinator, description)
        self._seen: PlateRead | None = coordinator.data.last_read
        self._authorizing: tuple[PlateRead, ReadMatch] | None = None
        self._cancel_hold: CALLBACK_TYPE | None = None
        self.async_on_remove(self._async_cancel_hold)

    @property
    def is_on(self) -> bool:
        """Whether an authorized read came within the hold time."""
        return self._authorizing is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The plate, known name and direction of the read that authorized."""
        if self._authorizing is None:
            return None
        read, match = self._authorizing
        name = match.vehicle.name if match.vehicle else None
        return {"plate": read.plate, "known_name": name or None, "direction": str(read.direction)}

    @callback
    def _handle_coordinator_update(self) -> None:
        data = self.coordinator.data
        if data.last_read is not None and data.last_read is not self._seen:
            self._seen = data.last_read
            if data.last_match is not None and data.last_match.authorized:
                self._async_hold(data.last_read, data.last_match)
        super()._handle_coordinator_update()

    @callback
    def _async_hold(self, read: PlateRead, match: ReadMatch) -> None:
        """Turn on (or stay on) for a full hold time from this read."""
        self._async_cancel_hold()
        self._authorizing = (read, match)
        seconds = self.coordinator.config_entry.options.get(
            CONF_AUTHORIZED_HOLD, DEFAULT_AUTHORIZED_HOLD_SECONDS
        )
        self._cancel_hold = async_call_later(
            self.hass, timedelta(seconds=seconds), self._async_release
        )

    @callback
    def _async_release(self, _now: datetime) -> None:
        self._cancel_hold = None
        self._authorizing = None
        self.async_write_ha_state()

    @callback
    def _async_cancel_hold(self) -> None:
        if self._cancel_hold is not None:
            self._cancel_hold()
            self._cancel_hold = None


class OnSiteSensor(VehicleEntity, BinarySensorEntity):
    """On from the vehicle's arrival until it leaves (or is dropped after the limit)."""

    @property
    def is_on(self) -> bool:
        """Whether the vehicle is on site."""
        return self._data.site.is_on_site(self.vehicle_id)
