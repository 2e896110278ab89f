"""Whatever an HTTP camera sends, only the library's errors escape and what comes out is bounded.

Property tests: Hypothesis makes the bodies and queries (any bytes, JSON-ish documents of the
camera's keys and values, truncated ones). A read or camera event must be fit for Home
Assistant's bus and database: strict JSON (no NaN, no lone surrogate), 64-bit integers, and
text no longer than the limits say.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.lpr_camera.lpr import LprError, PlateRead
from custom_components.lpr_camera.lpr.http_push import (
    IMAGE_KEYS,
    LEFT_OUT_FIELDS_KEY,
    LEFT_OUT_PICTURES_KEY,
    MAX_EVIDENCE_PICTURES,
    MAX_RAW_FIELDS,
    MAX_RAW_KEY,
    MAX_RAW_TEXT,
    MAX_TEXT,
    UNDECODABLE_IMAGES_KEY,
    CameraEvent,
    parse_post,
    parse_query,
)
from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH

# Modest, so the suite stays fast.
EXAMPLES = settings(max_examples=200, deadline=None)
RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MAX_INTEGER = 2**63 - 1
JPEG = b"\xff\xd8\xff\xe0jpeg\xff\xd9"
CAMERA_KEYS = (
    "plate",
    "time",
    "time_msec",
    "event",
    "device",
    "type",
    "speed",
    "direction",
    "detection_region",
    "region",
    "resolution_width",
    "resolution_height",
    "coordinate_x1",
    "coordinate_y1",
    "coordinate_x2",
    "coordinate_y2",
    "confidence",
    "plate_color",
    "vehicle_type",
    "vehicle_color",
    "Vehicle Brand",
    "vehicle_brand",
    "plate_image",
    "full_image",
    "evidence_image0",
    "evidence_image1",
    "snapshot",
)
CAMERA_VALUES = (
    "-",
    "",
    "2024-02-01 06:00:05",
    "2024-02-01 06:00:05.509",
    "0001-01-01 00:00:00",
    "509",
    "Approach",
    "Away",
    "White",
    "Bus",
    "Grey",
    "Vehicle Counting",
    "Recognition",
    "Violation Event",
    "AB123",
    "X" * (MAX_PLATE_LENGTH + 1),
    "y" * (MAX_RAW_TEXT + 1),
    "\ud800",
    math.nan,
    math.inf,
    2**64,
    base64.b64encode(JPEG).decode(),
    "data:image/jpeg;base64," + base64.b64encode(JPEG).decode(),
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_INTEGER, MAX_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(CAMERA_VALUES)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
# More than a read keeps, now and then.
evidence_keys = st.integers(0, MAX_EVIDENCE_PICTURES + 4).map(lambda n: f"evidence_image{n}")
# Every document carries a plate and many an event, so that reads and camera events come out
# and get checked, not only errors.
plates = st.sampled_from(("AB123", " B 1 ", "부산 02가 1234")) | st.text(max_size=40) | values
events = st.sampled_from(("Vehicle Counting", "Recognition", "List Event", "New")) | values
documents = st.builds(
    lambda plate, others: others | plate,
    st.fixed_dictionaries({"plate": plates}, optional={"event": events}),
    st.dictionaries(
        st.sampled_from(CAMERA_KEYS) | evidence_keys | st.text(max_size=MAX_RAW_KEY + 8),
        values,
        max_size=24,
    ),
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """A document as a camera, or a hostile peer, would write it; cut short once in a while."""
    text = json.dumps(draw(documents), ensure_ascii=draw(st.booleans()))
    body = text.encode("utf-8", "surrogatepass")
    if draw(st.sampled_from((False,) * 7 + (True,))):
        body = body[: draw(st.integers(0, len(body)))]
    return body


def parse(body: bytes) -> PlateRead | CameraEvent | None:
    try:
        return parse_post(body, timezone=UTC, received_at=RECEIVED)
    except LprError:
        return None


@EXAMPLES
@given(st.binary(max_size=4096))
def test_any_bytes(body: bytes) -> None:
    check(parse(body))


@EXAMPLES
@given(bodies())
def test_any_json_ish_document(body: bytes) -> None:
    check(parse(body))


@EXAMPLES
@given(st.lists(st.tuples(st.text(max_size=80), st.text(max_size=80)), max_size=MAX_RAW_FIELDS + 5))
def test_any_query(pairs: list[tuple[str, str]]) -> None:
    try:
        read = parse_query(pairs, received_at=RECEIVED)
    except LprError:
        return
    check(read)


def check(result: PlateRead | CameraEvent | None) -> None:
    """What reaches Home Assistant is strict JSON, 64-bit, and bounded."""
    if result is None:
        return
    data = result.as_dict()
    json.dumps(data, allow_nan=False).encode()  # no NaN or Infinity, no lone surrogate
    check_numbers(data)
    check_raw(result.raw)
    assert result.time.tzinfo is not None
    if isinstance(result, PlateRead):
        check_read(result)


def check_read(read: PlateRead) -> None:
    assert 1 <= len(read.plate) <= MAX_PLATE_LENGTH
    assert read.plate == read.plate.strip()
    texts = (read.device_id, read.region, read.vehicle_brand, read.vehicle_type, read.direction)
    assert all(text is None or len(text) <= MAX_TEXT for text in texts)
    assert read.confidence is None or 0 <= read.confidence <= 1
    assert read.speed is None or math.isfinite(read.speed)
    assert len(read.extra_images) <= MAX_EVIDENCE_PICTURES
    undecodable = read.raw.get(UNDECODABLE_IMAGES_KEY, [])
    assert len(undecodable) + len(read.extra_images) <= len(IMAGE_KEYS) + MAX_EVIDENCE_PICTURES


def check_raw(raw: dict[str, Any]) -> None:
    own = {LEFT_OUT_FIELDS_KEY, LEFT_OUT_PICTURES_KEY, UNDECODABLE_IMAGES_KEY}
    assert len(raw.keys() - own) <= MAX_RAW_FIELDS
    for key, value in raw.items():
        assert key in own or len(key) <= MAX_RAW_KEY
        assert not isinstance(value, dict)
        assert not isinstance(value, str) or len(value) <= MAX_RAW_TEXT
        assert not isinstance(value, list) or key == UNDECODABLE_IMAGES_KEY


def check_numbers(value: Any) -> None:
    """Home Assistant's database stores 64-bit integers and finite floats only."""
    if isinstance(value, dict):
        for item in value.values():
            check_numbers(item)
    elif isinstance(value, list):
        for item in value:
            check_numbers(item)
    elif isinstance(value, int):
        assert abs(value) <= MAX_INTEGER
    elif isinstance(value, float):
        assert math.isfinite(value)
