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
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .const import (
    AUTHORIZED_ANY,
    AUTHORIZED_APPROACHING,
    AUTHORIZED_ARRIVAL,
    CONF_AUTHORIZED_HOLD,
    CONF_AUTHORIZED_WHEN,
    DEFAULT_AUTHORIZED_HOLD_SECONDS,
)
from .coordinator import LprCameraCoordinator
from .entity import LprCameraEntity, LprReadEntity, VehicleEntity
from .lpr import Direction
from .read import ReadKey, ReadRecord
from .site import Site
from .site.entry import async_add_vehicle_entities
from .site.presence import PresenceChange

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
    if isinstance(site := entry.runtime_data, Site):
        async_add_vehicle_entities(
            entry,
            async_add_entities,
            lambda vehicle: [OnSiteSensor(entry, site, vehicle, ON_SITE)],
        )
        return
    coordinator: LprCameraCoordinator = entry.runtime_data
    async_add_entities(
        [ConnectionSensor(coordinator, CONNECTION), AuthorizedSensor(coordinator, AUTHORIZED)]
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


class AuthorizedSensor(LprReadEntity, BinarySensorEntity):
    """On for the hold time after an authorized read: "when it turns on, open the gate"."""

    # The read's: the plate log keeps them, the recorder need not.
    _unrecorded_attributes = frozenset({ReadKey.PLATE, ReadKey.KNOWN_NAME, ReadKey.DIRECTION})

    def __init__(
        self, coordinator: LprCameraCoordinator, description: BinarySensorEntityDescription
    ) -> None:
        """Off until an authorized read; the reads before setup are not new."""
        self._authorizing: ReadRecord | None = None
        self._cancel_hold: CALLBACK_TYPE | None = None
        # A stop of Home Assistant ends the hold: the sensor starts off.
        self._release = HassJob(self._async_release, "release", cancel_on_shutdown=True)
        super().__init__(coordinator, description)
        self.async_on_remove(self._async_cancel_hold)

    @property
    def is_on(self) -> bool:
        """Whether an authorized read came within the hold time."""
        return self._authorizing is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The plate, known name and direction of the read that authorized."""
        if (record := self._authorizing) is None:
            return None
        vehicle = record.match.vehicle
        return {
            ReadKey.PLATE: record.read.plate,
            ReadKey.KNOWN_NAME: (vehicle.name or None) if vehicle else None,
            ReadKey.DIRECTION: str(record.read.direction),
        }

    _shows_earlier_read = False

    def _take(self, record: ReadRecord) -> None:
        if record.match.authorized and self._opens_for(record):
            self._async_hold(record)

    def _opens_for(self, record: ReadRecord) -> bool:
        """Whether an authorized read is one this sensor turns on for.

        Not for a read of a passage another camera (or source) of the gate read first: that
        one's sensor turned on. And, as the camera's option says, for any read, for a vehicle
        approaching only, or for an arrival only (a car leaving does not open the gate).
        """
        if record.passage.first_camera_entry_id != record.camera.entry_id:
            return False
        when = self.coordinator.config_entry.options.get(CONF_AUTHORIZED_WHEN, AUTHORIZED_ANY)
        if when == AUTHORIZED_APPROACHING:
            return record.read.direction == Direction.APPROACHING
        if when == AUTHORIZED_ARRIVAL:
            return record.presence is PresenceChange.ARRIVED
        return True

    @callback
    def _async_hold(self, record: ReadRecord) -> None:
        """Turn on (or stay on) for a full hold time from this read."""
        self._async_cancel_hold()
        self._authorizing = record
        seconds = self.coordinator.config_entry.options.get(
            CONF_AUTHORIZED_HOLD, DEFAULT_AUTHORIZED_HOLD_SECONDS
        )
        self._cancel_hold = async_call_later(self.hass, timedelta(seconds=seconds), self._release)

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
        return self.site.presence.is_on_site(self.vehicle_id)
