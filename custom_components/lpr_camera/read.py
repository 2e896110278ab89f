"""One read as the site judged it, and the one table of its fields.

A camera's `PlateRead` becomes a `ReadRecord` once, after matching: the read, its camera, and the
site's verdict (match, known vehicle, authorized and why not, repeat, presence change). Every
shape a read takes afterwards is derived from `READ_FIELDS`: the bus event's data, the Plate event
entity's attributes, the plate log's row (its columns and details), the websocket's answer and the
panel's list of details, and how diagnostics mask it. Each field has one word everywhere: the bus
event's key, a public interface automations use.

Imports nothing from Home Assistant at run time: the plate log's database takes its columns from
here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, Flag, StrEnum, auto
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lpr import PlateRead
    from .site.known_vehicles import ReadMatch
    from .site.presence import PresenceChange


@dataclass(frozen=True, slots=True)
class Passage:
    """A vehicle going through a gate once: its id, and the camera that read it first."""

    passage_id: str
    first_camera_entry_id: str


class ReadKey(StrEnum):
    """The word of each field of a read: the bus event's key."""

    PLATE = "plate"
    CORRECTED_PLATE = "corrected_plate"
    TIME = "time"
    FILED_AT = "filed_at"
    CAMERA = "camera"
    CONFIG_ENTRY_ID = "config_entry_id"
    DIRECTION = "direction"
    EVENT_TYPE = "event_type"
    KNOWN = "known"
    KNOWN_NAME = "known_name"
    KNOWN_LIST = "known_list"
    VEHICLE_ID = "vehicle_id"
    AUTHORIZED = "authorized"
    REPEAT = "repeat"
    PRESENCE = "presence"
    GATE = "gate"
    PASSAGE_ID = "passage_id"
    MATCHED_PLATE = "matched_plate"
    MATCH_DISTANCE = "match_distance"
    MATCH_TIES = "match_ties"
    PASS_STATUS = "pass_status"  # noqa: S105 - a vehicle pass
    CAMERA_ROLE = "camera_role"
    SPEED = "speed"
    VEHICLE_TYPE = "vehicle_type"
    VEHICLE_COLOUR = "vehicle_colour"
    VEHICLE_BRAND = "vehicle_brand"
    PLATE_COLOUR = "plate_colour"
    LIST_TYPE = "list_type"
    REGION = "region"
    DETECTION_REGION = "detection_region"
    CONFIDENCE = "confidence"
    PLATE_BOX = "plate_box"
    RESOLUTION = "resolution"
    RADAR = "radar"
    CAMERA_DEVICE_ID = "camera_device_id"
    HAS_PLATE_IMAGE = "has_plate_image"
    HAS_FULL_IMAGE = "has_full_image"
    RAW = "raw"
    VEHICLE_DEVICE_ID = "vehicle_device_id"
    DEVICE_ID = "device_id"
    ENTITY_ID = "entity_id"
    PLATE_IMAGE_ENTITY_ID = "plate_image_entity_id"
    FULL_IMAGE_ENTITY_ID = "full_image_entity_id"


class Goes(Flag):
    """Where a field of a read goes."""

    EVENT = auto()  # the bus event lpr_camera_plate_recognized
    ENTITY = auto()  # the attributes of the camera's Plate event entity
    COLUMN = auto()  # a column of the plate log: filtered on, shown in every list
    DETAIL = auto()  # the plate log's details of a read: the panel's one-read view, in this order


class Private(Enum):
    """What a field holds that diagnostics, which users post publicly, must hide."""

    NOTHING = auto()
    PLATE = auto()  # a plate: masked
    PLATES = auto()  # a list of plates: each masked
    NAME = auto()  # a person's name: redacted


@dataclass(frozen=True, slots=True)
class CameraRef:
    """The camera (or source) a read came from, as it was at the read."""

    entry_id: str
    title: str
    device_id: str | None
    role: str
    gate: str | None = None  # the gate it watches, with other cameras and sources
    # The camera's entities a read names: the Plate event entity and the two pictures.
    entity_ids: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadRecord:
    """A read, its camera and what the site made of it; built once per read.

    `filed_at` is the time the plate log files, prunes and counts the read by: the camera's
    time when it is plausible (see `plausible_time`), else the time Home Assistant received it.
    `corrected_plate` is the plate a correction rule of the camera made of the plate as read
    (the read was matched by it); None when no rule applied.
    """

    read: PlateRead
    camera: CameraRef
    match: ReadMatch
    repeat: bool
    presence: PresenceChange | None
    # One vehicle going through the gate once, however many reads (and cameras) saw it.
    passage: Passage
    vehicle_device_id: str | None
    filed_at: datetime
    corrected_plate: str | None = None

    def fields(self, goes: Goes) -> dict[str, Any]:
        """The fields that go to `goes`, in the table's order, JSON-serialisable."""
        read_fields = self.read.as_dict()
        return {
            read_field.key.value: read_field.value(self, read_fields)
            for read_field in READ_FIELDS
            if read_field.goes & goes
        }


# A camera's clock further off than this from Home Assistant's is wrong (a wrong time zone is at
# most 14 hours off): such a read is filed, pruned and counted by the time it arrived.
PLAUSIBLE_CLOCK_SKEW = timedelta(days=1)


def plausible_time(camera_time: datetime, received: datetime) -> datetime:
    """The camera's time of a read, unless it is further than PLAUSIBLE_CLOCK_SKEW off."""
    if abs(camera_time - received) > PLAUSIBLE_CLOCK_SKEW:
        return received
    return camera_time


type _Value = Callable[[ReadRecord, Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class ReadField:
    """A field of a read: its word, its value, where it goes, what it hides.

    `of_match` is set for a field the match alone gives: a correction of the read's plate
    matches it again and changes these.
    """

    key: ReadKey
    value: _Value
    goes: Goes
    private: Private = Private.NOTHING
    of_match: Callable[[ReadMatch], Any] | None = None


def _match_field(
    key: ReadKey,
    of_match: Callable[[ReadMatch], Any],
    goes: Goes,
    private: Private = Private.NOTHING,
) -> ReadField:
    """A field of the match: what the known vehicles say of the read's plate."""
    return ReadField(key, lambda r, _: of_match(r.match), goes, private, of_match)


def _of_read(key: ReadKey) -> _Value:
    """A field the library's read carries (`PlateRead.as_dict()`), under the same word."""
    return lambda _record, read_fields: read_fields[key]


def _of_vehicle(attribute: str) -> Callable[[ReadMatch], Any]:
    def value(match: ReadMatch) -> Any:
        vehicle = match.vehicle
        return None if vehicle is None else (getattr(vehicle, attribute) or None)

    return value


def _text(value: object) -> str | None:
    return None if value is None else str(value)


_EVERYWHERE = Goes.EVENT | Goes.ENTITY | Goes.COLUMN
_ABOUT_THE_READ = Goes.EVENT | Goes.ENTITY | Goes.DETAIL

READ_FIELDS: tuple[ReadField, ...] = (
    ReadField(ReadKey.PLATE, _of_read(ReadKey.PLATE), _EVERYWHERE, Private.PLATE),
    ReadField(ReadKey.CORRECTED_PLATE, lambda r, _: r.corrected_plate, _EVERYWHERE, Private.PLATE),
    ReadField(ReadKey.TIME, _of_read(ReadKey.TIME), _EVERYWHERE),
    ReadField(ReadKey.FILED_AT, lambda r, _: r.filed_at.isoformat(), Goes.COLUMN),
    ReadField(ReadKey.CAMERA, lambda r, _: r.camera.title, Goes.COLUMN),
    ReadField(ReadKey.CONFIG_ENTRY_ID, lambda r, _: r.camera.entry_id, Goes.EVENT | Goes.COLUMN),
    ReadField(ReadKey.DIRECTION, _of_read(ReadKey.DIRECTION), _EVERYWHERE),
    # The Plate event entity has its own event_type.
    _match_field(ReadKey.EVENT_TYPE, lambda m: m.event_type, Goes.EVENT | Goes.COLUMN),
    _match_field(ReadKey.KNOWN, lambda m: m.known, Goes.EVENT | Goes.ENTITY),
    _match_field(ReadKey.KNOWN_NAME, _of_vehicle("name"), _EVERYWHERE, Private.NAME),
    _match_field(
        ReadKey.KNOWN_LIST,
        lambda m: _text(m.vehicle and m.vehicle.plate_list),
        _EVERYWHERE,
    ),
    _match_field(ReadKey.VEHICLE_ID, _of_vehicle("vehicle_id"), Goes.COLUMN),
    _match_field(ReadKey.AUTHORIZED, lambda m: m.authorized, _EVERYWHERE),
    ReadField(ReadKey.REPEAT, lambda r, _: r.repeat, _EVERYWHERE),
    ReadField(ReadKey.PRESENCE, lambda r, _: _text(r.presence), _EVERYWHERE),
    ReadField(ReadKey.GATE, lambda r, _: r.camera.gate, Goes.EVENT | Goes.ENTITY | Goes.DETAIL),
    ReadField(ReadKey.PASSAGE_ID, lambda r, _: r.passage.passage_id, Goes.EVENT | Goes.COLUMN),
    _match_field(ReadKey.MATCHED_PLATE, _of_vehicle("plate"), _ABOUT_THE_READ, Private.PLATE),
    _match_field(ReadKey.MATCH_DISTANCE, lambda m: m.distance, _ABOUT_THE_READ),
    _match_field(ReadKey.MATCH_TIES, lambda m: list(m.ties), _ABOUT_THE_READ, Private.PLATES),
    _match_field(ReadKey.PASS_STATUS, lambda m: _text(m.pass_status), _ABOUT_THE_READ),
    ReadField(ReadKey.CAMERA_ROLE, lambda r, _: r.camera.role, Goes.EVENT | Goes.DETAIL),
    *(
        ReadField(key, _of_read(key), _ABOUT_THE_READ)
        for key in (
            ReadKey.VEHICLE_TYPE,
            ReadKey.VEHICLE_COLOUR,
            ReadKey.VEHICLE_BRAND,
            ReadKey.PLATE_COLOUR,
            ReadKey.LIST_TYPE,
            ReadKey.SPEED,
            ReadKey.CONFIDENCE,
            ReadKey.REGION,
            ReadKey.DETECTION_REGION,
            ReadKey.PLATE_BOX,
            ReadKey.RESOLUTION,
            ReadKey.RADAR,
            ReadKey.CAMERA_DEVICE_ID,
        )
    ),
    ReadField(ReadKey.HAS_PLATE_IMAGE, _of_read(ReadKey.HAS_PLATE_IMAGE), Goes.EVENT | Goes.ENTITY),
    ReadField(ReadKey.HAS_FULL_IMAGE, _of_read(ReadKey.HAS_FULL_IMAGE), Goes.EVENT | Goes.ENTITY),
    ReadField(ReadKey.RAW, _of_read(ReadKey.RAW), Goes.EVENT),
    ReadField(ReadKey.VEHICLE_DEVICE_ID, lambda r, _: r.vehicle_device_id, Goes.EVENT),
    ReadField(ReadKey.DEVICE_ID, lambda r, _: r.camera.device_id, Goes.EVENT),
    # The camera's Plate event entity: the logbook files the read's line under it.
    ReadField(ReadKey.ENTITY_ID, lambda r, _: r.camera.entity_ids.get("plate"), Goes.EVENT),
    ReadField(
        ReadKey.PLATE_IMAGE_ENTITY_ID,
        lambda r, _: r.camera.entity_ids.get("plate_image"),
        Goes.EVENT,
    ),
    ReadField(
        ReadKey.FULL_IMAGE_ENTITY_ID,
        lambda r, _: r.camera.entity_ids.get("full_image"),
        Goes.EVENT,
    ),
)


def match_fields(match: ReadMatch, goes: Goes) -> dict[str, Any]:
    """The fields of a match that go to `goes`: what a correction of the plate changes."""
    return {
        read_field.key.value: read_field.of_match(match)
        for read_field in READ_FIELDS
        if read_field.of_match is not None and read_field.goes & goes
    }


def keys(goes: Goes) -> tuple[str, ...]:
    """The words of the fields that go to `goes`, in the table's order."""
    return tuple(read_field.key.value for read_field in READ_FIELDS if read_field.goes & goes)


def private_keys(private: Private) -> tuple[str, ...]:
    """The words of the fields that hold this kind of private data."""
    return tuple(
        read_field.key.value for read_field in READ_FIELDS if read_field.private is private
    )
