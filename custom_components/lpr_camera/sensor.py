"""Sensors: the last plate and the attributes of the vehicle that carried it; the site's.

A camera's sensors show the last read's, and show it again after a restart of Home Assistant
until the next read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import PERCENTAGE, UnitOfSpeed
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import LprCameraCoordinator
from .entity import LprReadEntity, SiteEntity, VehicleEntity
from .lpr import Colour, Direction, ListType, PlateRead, VehicleType
from .read import ReadRecord
from .site import VEHICLES_ON_SITE_KEY, Site
from .site.entry import async_add_vehicle_entities
from .site.presence import Sighting

PARALLEL_UPDATES = 0

# An enum sensor shows this for a value the camera sent that no enum knows.
OTHER = "other"
# The vehicles on site that the Vehicles on site sensor lists: the newest arrivals.
VEHICLES_LISTED = 20


@dataclass(frozen=True, kw_only=True)
class LprSensorEntityDescription(SensorEntityDescription):
    """A sensor whose value comes from the last read."""

    value_fn: Callable[[PlateRead], StateType]


def _enum_sensor(
    key: str,
    enum: type[StrEnum],
    value_fn: Callable[[PlateRead], StrEnum | str | None],
    *,
    enabled: bool = True,
) -> LprSensorEntityDescription:
    options = [member.value for member in enum]

    def state(read: PlateRead) -> str | None:
        value = value_fn(read)
        if value is None:
            return None
        return str(value) if str(value) in options else OTHER

    return LprSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.ENUM,
        options=[*options, OTHER],
        entity_registry_enabled_default=enabled,
        value_fn=state,
    )


def _confidence_percent(read: PlateRead) -> float | None:
    return None if read.confidence is None else round(read.confidence * 100, 1)


SENSORS: tuple[LprSensorEntityDescription, ...] = (
    LprSensorEntityDescription(
        key="last_plate", translation_key="last_plate", value_fn=lambda read: read.plate
    ),
    # Off by default: the read's logbook line and the Plate event carry them, and each one on
    # would add a line per read to the activity log (Home Assistant logs every sensor without a
    # unit whose state changes). An install that has Direction on keeps it on.
    _enum_sensor("direction", Direction, lambda read: read.direction, enabled=False),
    _enum_sensor("vehicle_type", VehicleType, lambda read: read.vehicle_type, enabled=False),
    _enum_sensor("list_type", ListType, lambda read: read.list_type, enabled=False),
    _enum_sensor("vehicle_colour", Colour, lambda read: read.vehicle_colour, enabled=False),
    _enum_sensor("plate_colour", Colour, lambda read: read.plate_colour, enabled=False),
    LprSensorEntityDescription(
        key="vehicle_brand",
        translation_key="vehicle_brand",
        entity_registry_enabled_default=False,
        value_fn=lambda read: read.vehicle_brand,
    ),
    LprSensorEntityDescription(
        key="speed",
        translation_key="speed",
        device_class=SensorDeviceClass.SPEED,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfSpeed.KILOMETERS_PER_HOUR,
        suggested_display_precision=0,  # cameras measure whole km/h
        value_fn=lambda read: read.speed,
    ),
    LprSensorEntityDescription(
        key="confidence",
        translation_key="confidence",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=_confidence_percent,
    ),
    LprSensorEntityDescription(
        key="region",
        translation_key="region",
        entity_registry_enabled_default=False,
        value_fn=lambda read: read.region,
    ),
    LprSensorEntityDescription(
        key="detection_region",
        translation_key="detection_region",
        entity_registry_enabled_default=False,
        value_fn=lambda read: read.detection_region,
    ),
)

VEHICLES_ON_SITE = SensorEntityDescription(
    key=VEHICLES_ON_SITE_KEY,
    translation_key=VEHICLES_ON_SITE_KEY,
    state_class=SensorStateClass.MEASUREMENT,
    suggested_display_precision=0,
)
LAST_SEEN = SensorEntityDescription(
    key="last_seen", translation_key="last_seen", device_class=SensorDeviceClass.TIMESTAMP
)
LAST_CAMERA = SensorEntityDescription(key="last_camera", translation_key="last_camera")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera's sensors, or the site's and its known vehicles'."""
    if isinstance(site := entry.runtime_data, Site):
        async_add_entities([VehiclesOnSiteSensor(entry, site, VEHICLES_ON_SITE)])
        async_add_vehicle_entities(
            entry,
            async_add_entities,
            lambda vehicle: [
                LastSeenSensor(entry, site, vehicle, LAST_SEEN),
                LastCameraSensor(entry, site, vehicle, LAST_CAMERA),
            ],
        )
        return
    coordinator: LprCameraCoordinator = entry.runtime_data
    async_add_entities(ReadSensor(coordinator, description) for description in SENSORS)


class ReadSensor(LprReadEntity, RestoreSensor):
    """A field of the last read; the one of before a restart until the next read."""

    entity_description: LprSensorEntityDescription

    async def async_added_to_hass(self) -> None:
        """Show the value from before the restart, unless the camera has read since."""
        await super().async_added_to_hass()
        if self.coordinator.last_record is not None:
            return
        last = await self.async_get_last_sensor_data()
        options = self.entity_description.options
        # An enum's value that this release no longer knows is not shown: none is.
        if last is not None and (options is None or last.native_value in options):
            self._attr_native_value = last.native_value

    def _take(self, record: ReadRecord) -> None:
        self._attr_native_value = self.entity_description.value_fn(record.read)


class VehiclesOnSiteSensor(SiteEntity, SensorEntity):
    """How many vehicles are on site; the newest arrivals, since when, through which camera."""

    # The list changes with every arrival: the count is what history needs.
    _unrecorded_attributes = frozenset({"vehicles"})

    @property
    def native_value(self) -> int:
        """The number of vehicles on site, known or not."""
        return self.site.presence.count

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The newest vehicles on site (at most VEHICLES_LISTED), earliest arrival first.

        Every open frontend gets the attribute at every arrival: it stays small however many
        are on site (the Plates panel lists them all).
        """
        known_vehicles = self.site.known_vehicles
        vehicles = []
        for item in self.site.presence.newest(VEHICLES_LISTED):
            vehicle = known_vehicles.by_id(item.vehicle_id) if item.vehicle_id else None
            vehicles.append(
                {
                    "plate": item.plate,
                    "name": (vehicle.name or None) if vehicle else None,
                    "arrival": item.arrival.time.isoformat(),
                    "camera": _camera_name(self.hass, item.arrival),
                }
            )
        return {"vehicles": vehicles}


class LastSeenSensor(VehicleEntity, SensorEntity):
    """When the vehicle was last read, at any camera."""

    @property
    def native_value(self) -> datetime | None:
        """The time of its last read."""
        sighting = self.site.presence.last_seen(self.vehicle_id)
        return None if sighting is None else sighting.time


class LastCameraSensor(VehicleEntity, SensorEntity):
    """The camera that read the vehicle last."""

    @property
    def native_value(self) -> str | None:
        """The camera's name as it is now (as it was, for a camera since removed)."""
        sighting = self.site.presence.last_seen(self.vehicle_id)
        return None if sighting is None else _camera_name(self.hass, sighting)


def _camera_name(hass: HomeAssistant, sighting: Sighting) -> str:
    entry = hass.config_entries.async_get_entry(sighting.camera_entry_id)
    return entry.title if entry else sighting.camera
