"""The HTTP type: what the camera POSTs (JSON) or GETs (query), as a `PlateRead` or a `CameraEvent`.

Transport free: the caller owns the web server and hands over the body or the query pairs.
Nothing the camera sends raises anything but InvalidReadError, and what comes out is bounded:
it travels on Home Assistant's event bus and into its database. The webhook sources' parsers
(plate_recognizer.py, alpr_database.py) read their JSON, pictures and fields with the same
bounded functions (`json_object`, `base64_picture`, `raw_fields`, `bounded_text`, ...).
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any, Literal, NoReturn

from .exceptions import InvalidReadError
from .models import Direction, PlateBox, PlateRead, checked_plate
from .values import YEARS, as_confidence, as_enum, as_number, as_text
from .vocabulary import COLOURS, DIRECTIONS, LIST_TYPES, VEHICLE_TYPES, word_key

_LOGGER = logging.getLogger(__name__)

# A 4K snapshot is about 3 MB of JPEG, 4 MB as base64; with the plate crop, two evidence
# pictures and the metadata this leaves room to spare while bounding what one request may cost.
MAX_BODY_BYTES = 24 * 1024 * 1024
# The bodies being read and parsed at once, across every camera, are at most four of the largest:
# room for several cameras' reads at the same moment (a camera posts one read at a time), while a
# network that outpaces the disk cannot fill the memory with bodies.
MAX_BODIES_BYTES = 4 * MAX_BODY_BYTES
# A body's JSON values at most, told by its commas before it is parsed: a read has about a hundred,
# a webhook source's request of eight plates a few hundred. Parsing 200,000 members held the GIL
# (so the event loop too) for 87 ms, and the small objects of a parse stay in Python's memory
# arenas as long as one of them lives: 10,000 is a few milliseconds and a few megabytes.
MAX_JSON_VALUES = 10_000

IMAGE_KEYS = ("plate_image", "full_image")
# More pictures of the same vehicle: evidence_image0, evidence_image1, ...
_EVIDENCE_KEY = re.compile(r"evidence_image[0-9]+")
# Firmware sends two (evidence_image0, evidence_image1); eight leaves room for any camera, and
# bounds the files one request writes into the picture history: the first eight by number are
# kept, the others left out and counted.
MAX_EVIDENCE_PICTURES = 8
# The picture of a counting event; left out like the others.
_SNAPSHOT_KEY = "snapshot"
# The camera's other fields are kept in `raw`, bounded: so many fields, keys so long, and text
# values so long; a longer value is replaced by a note of its size, a structure by a note.
MAX_RAW_FIELDS = 100
MAX_RAW_KEY = 64
MAX_RAW_TEXT = 1024
# Listed in `raw` under this key: the pictures that came but did not decode (the read still counts).
# A few names at most, the named pictures' and MAX_EVIDENCE_PICTURES': pictures beyond those are
# never decoded, only counted under LEFT_OUT_PICTURES_KEY.
UNDECODABLE_IMAGES_KEY = "undecodable_images"
# In `raw` under this key: how many fields were left out beyond MAX_RAW_FIELDS or MAX_RAW_KEY.
LEFT_OUT_FIELDS_KEY = "left_out_fields"
# In `raw` under this key: how many evidence pictures were left out beyond MAX_EVIDENCE_PICTURES.
LEFT_OUT_PICTURES_KEY = "left_out_pictures"
# A text field of a read (device, region, brand, a word no table knows) longer than this is
# none: Home Assistant's states are at most 255 characters.
MAX_TEXT = 255
# JSON numbers beyond 64 bits cannot be stored by Home Assistant's database.
_MAX_INTEGER = 2**63 - 1
_MAX_INTEGER_DIGITS = len(str(-_MAX_INTEGER))
_TIME_FORMATS = (("%Y-%m-%d %H:%M:%S.%f", True), ("%Y-%m-%d %H:%M:%S", False))
_PLATE_QUERY_KEYS = ("description", "plate")


class CameraEventKind(StrEnum):
    """What an event of the camera that is no plate read is about."""

    COUNTING = "counting"
    LIST = "list"
    ATTRIBUTES = "attributes"
    VIOLATION = "violation"
    PARKING = "parking"
    OTHER = "other"


# The `event` field of newer firmware, as word_key writes it without a trailing "event"
# ("Vehicle Counting", "List Event", "Attributes", "Violation Event", "Parking Detection").
_RECOGNITION_WORDS = frozenset(
    {"recognition", "lpr", "lprrecognition", "platerecognition", "licenseplaterecognition"}
)
_EVENT_KINDS = {
    "vehiclecounting": CameraEventKind.COUNTING,
    "vehiclecount": CameraEventKind.COUNTING,
    "counting": CameraEventKind.COUNTING,
    "list": CameraEventKind.LIST,
    "attributes": CameraEventKind.ATTRIBUTES,
    "attribute": CameraEventKind.ATTRIBUTES,
    "violation": CameraEventKind.VIOLATION,
    "violationmanagement": CameraEventKind.VIOLATION,
    "parking": CameraEventKind.PARKING,
    "parkingdetection": CameraEventKind.PARKING,
    "lprparking": CameraEventKind.PARKING,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraEvent:
    """An event the camera posts that is no plate read: a count, a list match, a violation, ...

    Its pictures are left out; `raw` holds the camera's other fields as `PlateRead.raw` does.
    """

    kind: CameraEventKind
    time: datetime
    device_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return every field, JSON-serialisable."""
        return {
            "kind": str(self.kind),
            "time": self.time.isoformat(),
            "camera_device_id": self.device_id,
            "raw": self.raw,
        }


class BodyBudgetSpentError(Exception):
    """The bodies being read take MAX_BODIES_BYTES already."""


class BodyBudget:
    """The bytes of the bodies being read and parsed, across every camera: MAX_BODIES_BYTES."""

    def __init__(self) -> None:
        """Start with no body."""
        self.size = 0

    @contextmanager
    def counting(self) -> Iterator[Callable[[int], None]]:
        """Count one body's bytes, handed to the function given, until the body is parsed.

        The function raises BodyBudgetSpentError when they would take the bodies past
        MAX_BODIES_BYTES.
        """
        counted = 0

        def count(size: int) -> None:
            nonlocal counted
            if self.size + size > MAX_BODIES_BYTES:
                raise BodyBudgetSpentError
            self.size += size
            counted += size

        try:
            yield count
        finally:
            self.size -= counted


def parse_post(body: bytes, *, timezone: tzinfo, received_at: datetime) -> PlateRead | CameraEvent:
    """Parse a POST body; `timezone` is the camera's (its `time` carries no zone).

    A body without an `event` field, or naming a recognition, is a read; any other event is a
    CameraEvent, an unknown kind included (OTHER): those the vendor added so far concern
    vehicles already read, so taking a new kind for a read would double reads. Raises
    InvalidReadError when the body is no JSON object or a read has no plate (or a plate over
    MAX_PLATE_LENGTH). A picture that does not decode drops that picture, not the read.
    """
    fields = json_object(body)
    time = _camera_time(fields, timezone) or received_at
    if (kind := _event_kind(fields.get("event"))) is not None:
        return CameraEvent(
            kind=kind,
            time=time,
            device_id=bounded_text(fields.get("device")),
            raw=raw_fields(fields),
        )
    return _plate_read(fields, time)


def parse_query(pairs: Iterable[tuple[str, str]], *, received_at: datetime) -> PlateRead:
    """Parse the query of a GET (`Caption=LPR&description=AB123`, spaces around `=` allowed)."""
    fields = {key.strip().lower(): value.strip() for key, value in pairs}
    for key in _PLATE_QUERY_KEYS:
        if plate := fields.get(key):
            return PlateRead(plate=checked_plate(plate), time=received_at, raw=raw_fields(fields))
    raise InvalidReadError("no plate in the query (description=...)")


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; hostile JSON refused.

    Refused: too deep, too many values, huge numbers, NaN, a key twice. Also Frigate's MQTT
    messages' (`frigate.py`).
    """
    if len(body) > MAX_BODY_BYTES:
        raise InvalidReadError(f"body larger than {MAX_BODY_BYTES} bytes")
    if body.count(b",") >= MAX_JSON_VALUES:
        raise InvalidReadError(f"body has more than {MAX_JSON_VALUES} values")
    try:
        document = json.loads(
            body.decode("utf-8-sig"),
            object_pairs_hook=_json_members,
            parse_int=_json_integer,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except (ValueError, RecursionError) as err:  # UnicodeDecodeError and JSONDecodeError too
        raise InvalidReadError("body is not JSON") from err
    if not isinstance(document, dict):
        raise InvalidReadError("body is not a JSON object")
    return document


def _json_members(members: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the body; a repeated key or a lone surrogate (an escaped U+D800) is refused."""
    document = dict(members)
    if len(document) < len(members):
        raise InvalidReadError("body repeats a key")
    for key, value in members:
        _check_unicode(key)
        if isinstance(value, str):
            _check_unicode(value)
    return document


def _check_unicode(text: str) -> None:
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError as err:
            raise InvalidReadError("body has text that is not Unicode") from err


def _json_integer(text: str) -> int:
    # The length first: int() of thousands of digits is slow (and refused beyond 4300).
    number = int(text) if len(text) <= _MAX_INTEGER_DIGITS else None
    if number is None or abs(number) > _MAX_INTEGER:
        raise InvalidReadError("body has a number out of range")
    return number


def _json_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise InvalidReadError("body has a number out of range")
    return number


def _json_constant(_text: str) -> NoReturn:
    raise InvalidReadError("body is not JSON (NaN or Infinity)")


def _event_kind(value: Any) -> CameraEventKind | None:
    """The kind of a camera event; None for a recognition (no `event` field, or its word)."""
    text = bounded_text(value)
    if text is None:
        return None
    key = word_key(text).removesuffix("event")
    if key in _RECOGNITION_WORDS:
        return None
    return _EVENT_KINDS.get(key, CameraEventKind.OTHER)


def _plate_read(fields: Mapping[str, Any], time: datetime) -> PlateRead:
    plate = as_text(fields.get("plate"))
    if plate is None:
        raise InvalidReadError("no plate in the body")
    pictures, left_out_pictures = _pictures(fields)
    raw = raw_fields(fields)
    if undecodable := [key for key, picture in pictures.items() if picture is False]:
        raw[UNDECODABLE_IMAGES_KEY] = undecodable
    if left_out_pictures:
        raw[LEFT_OUT_PICTURES_KEY] = left_out_pictures
    return PlateRead(
        plate=checked_plate(plate),
        time=time,
        device_id=bounded_text(fields.get("device")),
        direction=bounded_word(fields.get("direction"), DIRECTIONS) or Direction.UNKNOWN,
        speed=as_number(fields.get("speed")),
        vehicle_type=bounded_word(fields.get("vehicle_type"), VEHICLE_TYPES),
        vehicle_colour=bounded_word(fields.get("vehicle_color"), COLOURS),
        vehicle_brand=bounded_text(_vehicle_brand(fields)),
        plate_colour=bounded_word(fields.get("plate_color"), COLOURS),
        list_type=bounded_word(fields.get("type"), LIST_TYPES),
        region=bounded_text(fields.get("region")),
        detection_region=_integer(fields.get("detection_region")),
        confidence=as_confidence(fields.get("confidence")),
        plate_box=plate_box(
            *(fields.get(f"coordinate_{name}") for name in ("x1", "y1", "x2", "y2"))
        ),
        resolution=_pair(fields.get("resolution_width"), fields.get("resolution_height")),
        plate_image=pictures.pop("plate_image", None) or None,
        full_image=pictures.pop("full_image", None) or None,
        extra_images=tuple(picture for picture in pictures.values() if picture),
        raw=raw,
    )


def bounded_text(value: Any) -> str | None:
    """A text field of a read (device, region, brand), none when longer than MAX_TEXT."""
    text = as_text(value)
    return text if text is None or len(text) <= MAX_TEXT else None


def bounded_word[T: StrEnum](value: Any, table: Mapping[str, T]) -> T | str | None:
    """A word looked up in a vocabulary table; a word it lacks is kept if not too long."""
    return as_enum(bounded_text(value), table)


def _vehicle_brand(fields: Mapping[str, Any]) -> Any:
    """`Vehicle Brand` on most firmware, `vehicle_brand` on some."""
    return next((value for key, value in fields.items() if word_key(key) == "vehiclebrand"), None)


def _integer(value: Any) -> int | None:
    number = as_number(value)
    return None if number is None or abs(number) > _MAX_INTEGER else int(number)


def _pair(first: Any, second: Any) -> tuple[int, int] | None:
    a, b = _integer(first), _integer(second)
    return None if a is None or b is None else (a, b)


def plate_box(left: Any, top: Any, right: Any, bottom: Any) -> PlateBox | None:
    """The plate's box from its corners as sent (whole pixels); none unless all four are numbers."""
    corners = [_integer(corner) for corner in (left, top, right, bottom)]
    if any(corner is None for corner in corners):
        return None
    x1, y1, x2, y2 = (int(corner or 0) for corner in corners)
    return PlateBox(x1, y1, x2, y2)


def _camera_time(fields: Mapping[str, Any], timezone: tzinfo) -> datetime | None:
    """The most precise time `time` and `time_msec` give.

    `time_msec` is the milliseconds of `time` (0..999) on some firmware and the whole local
    time with milliseconds on others; `time` may be empty, or carry the milliseconds itself.
    """
    time = _local_time(fields.get("time"))
    if time is not None and not time[1] and (milliseconds := _milliseconds(fields)) is not None:
        time = (time[0].replace(microsecond=milliseconds * 1000), True)
    candidates = [found for found in (time, _local_time(fields.get("time_msec"))) if found]
    if not candidates:
        if (sent := fields.get("time")) is not None:
            _LOGGER.debug("Camera time %.100r does not parse; using the time of receipt", sent)
        return None
    local, _precise = max(candidates, key=lambda candidate: candidate[1])
    return local.replace(tzinfo=timezone)


def _local_time(value: Any) -> tuple[datetime, bool] | None:
    """A local time and whether it has a fraction of a second."""
    text = bounded_text(value)
    if text is None:
        return None
    for time_format, precise in _TIME_FORMATS:
        try:
            local = datetime.strptime(text, time_format)  # noqa: DTZ007 - the zone comes later
        except ValueError:
            continue
        return (local, precise) if local.year in YEARS else None
    return None


def _milliseconds(fields: Mapping[str, Any]) -> int | None:
    number = as_number(fields.get("time_msec"))
    if number is None or not number.is_integer() or not 0 <= number < 1000:
        return None
    return int(number)


def _pictures(fields: Mapping[str, Any]) -> tuple[dict[str, bytes | Literal[False]], int]:
    """The pictures sent, by key, and how many evidence pictures were left out.

    The named ones first, then the first MAX_EVIDENCE_PICTURES evidence pictures by number.
    A picture is False when it is not base64.
    """
    evidence_keys = [key for key in fields if _EVIDENCE_KEY.fullmatch(key)]
    # Same prefix, so ordering by length, then text, orders by number: 2 before 10.
    evidence = heapq.nsmallest(
        MAX_EVIDENCE_PICTURES, evidence_keys, key=lambda key: (len(key), key)
    )
    pictures = {
        key: picture
        for key in (*IMAGE_KEYS, *evidence)
        if (picture := base64_picture(fields.get(key))) is not None
    }
    return pictures, len(evidence_keys) - len(evidence)


def base64_picture(value: Any) -> bytes | Literal[False] | None:
    """The picture's bytes; None when absent, False when it is not base64."""
    text = as_text(value)
    if text is None:
        return None
    if text.startswith("data:"):
        text = text.partition(",")[2]
    try:
        return base64.b64decode(text, validate=True) or None
    except (binascii.Error, ValueError):
        return False


def _is_picture(key: str) -> bool:
    return key in IMAGE_KEYS or key == _SNAPSHOT_KEY or _EVIDENCE_KEY.fullmatch(key) is not None


def raw_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The camera's fields but its pictures, bounded (MAX_RAW_FIELDS, MAX_RAW_KEY, MAX_RAW_TEXT)."""
    raw: dict[str, Any] = {}
    left_out = 0
    for key, value in fields.items():
        if _is_picture(key):
            continue
        if len(key) > MAX_RAW_KEY or len(raw) == MAX_RAW_FIELDS:
            left_out += 1
        else:
            raw[key] = _raw_value(value)
    if left_out:
        raw[LEFT_OUT_FIELDS_KEY] = left_out
    return raw


def _raw_value(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_RAW_TEXT:
        return f"<{len(value)} characters left out>"
    if isinstance(value, (dict, list)):
        return "<nested value left out>"
    return value
