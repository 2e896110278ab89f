"""The normalised plate-read model shared by every transport (TCP, HTTP, RTSP)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .exceptions import InvalidReadError

# No plate of this world is longer: beyond it (in characters, after trimming) a camera sent
# garbage, which is no read.
MAX_PLATE_LENGTH = 32


class Direction(StrEnum):
    """Direction of travel relative to the camera."""

    APPROACHING = "approaching"
    DEPARTING = "departing"
    UNKNOWN = "unknown"


class Colour(StrEnum):
    """Colour of a vehicle or a plate (the camera's colour table)."""

    UNKNOWN = "unknown"
    BLACK = "black"
    BLUE = "blue"
    CYAN = "cyan"
    GRAY = "gray"
    GREEN = "green"
    RED = "red"
    WHITE = "white"
    YELLOW = "yellow"
    VIOLET = "violet"
    ORANGE = "orange"


class VehicleType(StrEnum):
    """Kind of vehicle."""

    UNKNOWN = "unknown"
    CAR = "car"
    MOTORBIKE = "motorbike"
    BUS = "bus"
    TRUCK = "truck"
    MINIBUS = "minibus"


class ListType(StrEnum):
    """The camera's own list the plate is on."""

    UNKNOWN = "unknown"
    BLACK = "black"
    WHITE = "white"
    VISITOR = "visitor"


@dataclass(frozen=True, slots=True)
class PlateBox:
    """Plate position in the processing resolution: left, top, right, bottom."""

    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True, slots=True)
class RadarData:
    """Fields a radar-equipped camera adds."""

    distance: int | None = None
    azimuth: float | None = None
    vehicle_count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlateRead:
    """One recognised vehicle, whatever transport delivered it.

    Enum-typed fields hold a plain string when a camera sent a value we do not
    know, so nothing the camera said is lost.
    """

    plate: str
    time: datetime
    device_id: str | None = None
    direction: Direction | str = Direction.UNKNOWN
    speed: float | None = None
    vehicle_type: VehicleType | str | None = None
    vehicle_colour: Colour | str | None = None
    vehicle_brand: str | None = None
    plate_colour: Colour | str | None = None
    list_type: ListType | str | None = None
    region: str | None = None
    detection_region: int | None = None
    confidence: float | None = None
    plate_box: PlateBox | None = None
    resolution: tuple[int, int] | None = None
    radar: RadarData | None = None
    plate_image: bytes | None = field(default=None, repr=False)
    full_image: bytes | None = field(default=None, repr=False)
    # More pictures of the same vehicle (HTTP firmware's evidence pictures), in the camera's order.
    extra_images: tuple[bytes, ...] = field(default=(), repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Return every field but the pictures, JSON-serialisable."""
        return {
            "plate": self.plate,
            "time": self.time.isoformat(),
            "camera_device_id": self.device_id,
            "direction": str(self.direction),
            "speed": self.speed,
            "vehicle_type": _text(self.vehicle_type),
            "vehicle_colour": _text(self.vehicle_colour),
            "vehicle_brand": self.vehicle_brand,
            "plate_colour": _text(self.plate_colour),
            "list_type": _text(self.list_type),
            "region": self.region,
            "detection_region": self.detection_region,
            "confidence": self.confidence,
            "plate_box": _box(self.plate_box),
            "resolution": list(self.resolution) if self.resolution else None,
            "radar": _radar(self.radar),
            "has_plate_image": self.plate_image is not None,
            "has_full_image": self.full_image is not None,
            "raw": self.raw,
        }


def checked_plate(plate: str) -> str:
    """The plate, unless longer than MAX_PLATE_LENGTH: then no read (the error names no plate)."""
    if len(plate) > MAX_PLATE_LENGTH:
        raise InvalidReadError(f"plate longer than {MAX_PLATE_LENGTH} characters")
    return plate


def _text(value: StrEnum | str | None) -> str | None:
    return None if value is None else str(value)


def _box(box: PlateBox | None) -> dict[str, int] | None:
    if box is None:
        return None
    return {"x1": box.x1, "y1": box.y1, "x2": box.x2, "y2": box.y2}


def _radar(radar: RadarData | None) -> dict[str, Any] | None:
    if radar is None:
        return None
    return {
        "distance": radar.distance,
        "azimuth": radar.azimuth,
        "vehicle_count": radar.vehicle_count,
    }
