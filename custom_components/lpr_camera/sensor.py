"""Sensors: the last plate and the attributes of the vehicle that carried it."""

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
from .data import DATA_KEY
from .entity import LprCameraEntity, SiteEntity, VehicleEntity
from .lpr import Colour, Direction, ListType, PlateRead, VehicleType
from .site.entry import VEHICLES_ON_SITE_KEY
from .site.known_vehicles import is_site_entry
from .site.presence import Sighting

PARALLEL_UPDATES = 0

# An enum sensor shows this for a value the camera sent that no enum knows.
OTHER = "other"


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
    _enum_sensor("direction", Direction, lambda read: read.direction),
    # Off by default: the read's logbook line and the Plate event carry them, and each one on
    # would add a line per read to the activity log.
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

LAST_PLATE = SensorEntityDescription(key="last_plate", translation_key="last_plate")
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
    if is_site_entry(entry):
        async_add_entities([VehiclesOnSiteSensor(entry, VEHICLES_ON_SITE)])
        for vehicle in hass.data[DATA_KEY].known_vehicles.vehicles:
            async_add_entities(
                [
                    LastSeenSensor(entry, vehicle, LAST_SEEN),
                    LastCameraSensor(entry, vehicle, LAST_CAMERA),
                ],
                config_subentry_id=vehicle.vehicle_id,
            )
        return
    coordinator: LprCameraCoordinator = entry.runtime_data
    async_add_entities(
        [
            LastPlateSensor(coordinator, LAST_PLATE),
            *(ReadSensor(coordinator, description) for description in SENSORS),
        ]
    )


class ReadSensor(LprCameraEntity, SensorEntity):
    """A field of the last read."""

    entity_description: LprSensorEntityDescription

    @property
    def native_value(self) -> StateType:
        """Return the field of the newest read."""
        read = self.coordinator.data.last_read
        return None if read is None else self.entity_description.value_fn(read)


class LastPlateSensor(LprCameraEntity, RestoreSensor):
    """The last plate recognised; keeps its value over a restart of Home Assistant."""

    def __init__(
        self, coordinator: LprCameraCoordinator, description: SensorEntityDescription
    ) -> None:
        """Start with no plate until one is read or restored."""
        super().__init__(coordinator, description)
        self._restored_plate: StateType = None

    async def async_added_to_hass(self) -> None:
        """Restore the plate seen before the restart."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is not None and last.native_value is not None:
            self._restored_plate = str(last.native_value)

    @property
    def native_value(self) -> StateType:
        """Return the newest plate, or the restored one before any read."""
        read = self.coordinator.data.last_read
        return self._restored_plate if read is None else read.plate


class VehiclesOnSiteSensor(SiteEntity, SensorEntity):
    """How many vehicles are on site; which, since when and through which camera."""

    # The list can be long and changes with every arrival: the count is what history needs.
    _unrecorded_attributes = frozenset({"vehicles"})

    @property
    def native_value(self) -> int:
        """The number of vehicles on site, known or not."""
        return len(self._data.site.on_site)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The vehicles on site, earliest arrival first."""
        known_vehicles = self._data.known_vehicles
        vehicles = []
        for item in self._data.site.on_site:
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
        sighting = self._data.site.last_seen(self.vehicle_id)
        return None if sighting is None else sighting.time


class LastCameraSensor(VehicleEntity, SensorEntity):
    """The camera that read the vehicle last."""

    @property
    def native_value(self) -> str | None:
        """The camera's name as it is now (as it was, for a camera since removed)."""
        sighting = self._data.site.last_seen(self.vehicle_id)
        return None if sighting is None else _camera_name(self.hass, sighting)


def _camera_name(hass: HomeAssistant, sighting: Sighting) -> str:
    entry = hass.config_entries.async_get_entry(sighting.camera_entry_id)
    return entry.title if entry else sighting.camera
