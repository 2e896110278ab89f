"""The HTTP type: turn what the camera POSTs (JSON) or GETs (query) into a `PlateRead`.

Transport free: the caller owns the web server and hands over the body or the query pairs.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any, Literal

from .exceptions import InvalidReadError
from .models import Colour, Direction, ListType, PlateBox, PlateRead, VehicleType
from .values import as_confidence, as_enum, as_number, as_text

_LOGGER = logging.getLogger(__name__)

# A 4K snapshot is about 3 MB of JPEG, 4 MB as base64; with the plate crop and the metadata this
# leaves room to spare while bounding what one request may make us hold.
MAX_BODY_BYTES = 8 * 1024 * 1024

IMAGE_KEYS = ("plate_image", "full_image")
# Longer values in `raw` (extra pictures such as `evidence_image0`) are replaced by a note of their
# size: raw fields travel on Home Assistant's event bus and into its database.
MAX_RAW_TEXT = 1024
# Listed in `raw` under this key: the pictures that came but did not decode (the read still counts).
UNDECODABLE_IMAGES_KEY = "undecodable_images"
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S")
_DIRECTIONS = {
    "approach": Direction.APPROACHING,
    "away": Direction.DEPARTING,
    "leave": Direction.DEPARTING,
    "unknown": Direction.UNKNOWN,
}
_LIST_TYPES = {
    "white": ListType.WHITE,
    "black": ListType.BLACK,
    "visitor": ListType.VISITOR,
    "unknown": ListType.UNKNOWN,
}
_PLATE_QUERY_KEYS = ("description", "plate")


def parse_post(body: bytes, *, timezone: tzinfo, received_at: datetime) -> PlateRead:
    """Parse a POST body; `timezone` is the camera's (its `time` carries no zone).

    Raises InvalidReadError when the body is not a JSON object with a plate. A picture that
    does not decode drops that picture, not the read.
    """
    if len(body) > MAX_BODY_BYTES:
        raise InvalidReadError(f"body larger than {MAX_BODY_BYTES} bytes")
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InvalidReadError("body is not JSON") from err
    if not isinstance(document, dict):
        raise InvalidReadError("body is not a JSON object")
    fields = {str(key): value for key, value in document.items()}
    plate = as_text(fields.get("plate"))
    if plate is None:
        raise InvalidReadError("no plate in the body")
    pictures = {key: _picture(fields.get(key)) for key in IMAGE_KEYS}
    raw = {key: _raw_value(value) for key, value in fields.items() if key not in IMAGE_KEYS}
    if undecodable := [key for key in IMAGE_KEYS if pictures[key] is False]:
        raw[UNDECODABLE_IMAGES_KEY] = undecodable
    return PlateRead(
        plate=plate,
        time=_camera_time(fields, timezone) or received_at,
        device_id=as_text(fields.get("device")),
        direction=as_enum(fields.get("direction"), _DIRECTIONS) or Direction.UNKNOWN,
        speed=as_number(fields.get("speed")),
        vehicle_type=as_enum(fields.get("vehicle_type"), _lookup(VehicleType)),
        vehicle_colour=as_enum(fields.get("vehicle_color"), _lookup(Colour)),
        plate_colour=as_enum(fields.get("plate_color"), _lookup(Colour)),
        list_type=as_enum(fields.get("type"), _LIST_TYPES),
        region=as_text(fields.get("region")),
        detection_region=_integer(fields.get("detection_region")),
        confidence=as_confidence(fields.get("confidence")),
        plate_box=_plate_box(fields),
        resolution=_pair(fields.get("resolution_width"), fields.get("resolution_height")),
        plate_image=pictures["plate_image"] or None,
        full_image=pictures["full_image"] or None,
        raw=raw,
    )


def parse_query(pairs: Iterable[tuple[str, str]], *, received_at: datetime) -> PlateRead:
    """Parse the query of a GET (`Caption=LPR&description=AB123`, spaces around `=` allowed)."""
    fields = {key.strip().lower(): value.strip() for key, value in pairs}
    for key in _PLATE_QUERY_KEYS:
        if plate := fields.get(key):
            return PlateRead(plate=plate, time=received_at, raw=fields)
    raise InvalidReadError("no plate in the query (description=...)")


def _integer(value: Any) -> int | None:
    number = as_number(value)
    return None if number is None else int(number)


def _pair(first: Any, second: Any) -> tuple[int, int] | None:
    a, b = _integer(first), _integer(second)
    return None if a is None or b is None else (a, b)


def _plate_box(fields: Mapping[str, Any]) -> PlateBox | None:
    corners = [_integer(fields.get(f"coordinate_{name}")) for name in ("x1", "y1", "x2", "y2")]
    if any(corner is None for corner in corners):
        return None
    x1, y1, x2, y2 = (int(corner or 0) for corner in corners)
    return PlateBox(x1, y1, x2, y2)


def _lookup(enum: type[StrEnum]) -> dict[str, StrEnum]:
    return {member.value: member for member in enum}


def _camera_time(fields: Mapping[str, Any], timezone: tzinfo) -> datetime | None:
    text = as_text(fields.get("time"))
    if text is None:
        return None
    for time_format in _TIME_FORMATS:
        try:
            local = datetime.strptime(text, time_format)  # noqa: DTZ007 - the zone is added below
        except ValueError:
            continue
        milliseconds = _integer(fields.get("time_msec"))
        if local.microsecond == 0 and milliseconds is not None and 0 <= milliseconds < 1000:
            local = local.replace(microsecond=milliseconds * 1000)
        return local.replace(tzinfo=timezone)
    _LOGGER.debug("Camera time %r does not parse; using the time of receipt", text)
    return None


def _picture(value: Any) -> bytes | Literal[False] | None:
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


def _raw_value(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_RAW_TEXT:
        return f"<{len(value)} characters left out>"
    if isinstance(value, (dict, list)) and len(json.dumps(value)) > MAX_RAW_TEXT:
        return "<nested value left out>"
    return value
