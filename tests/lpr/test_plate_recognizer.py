"""Parsing what Plate Recognizer's webhook posts (Stream and Snapshot)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from custom_components.lpr_camera.lpr import (
    Colour,
    Direction,
    InvalidReadError,
    PlateBox,
    VehicleType,
)
from custom_components.lpr_camera.lpr.plate_reads import MAX_READS_PER_REQUEST, PlateReads
from custom_components.lpr_camera.lpr.plate_recognizer import parse_webhook
from tests.webhook_payloads import JPEG, snapshot_payload, stream_payload, stream_result

from .test_form_data import MULTIPART, multipart, part

RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
JSON = "application/json"


def parse(payload: dict[str, Any], content_type: str = JSON) -> PlateReads:
    return parse_webhook(json.dumps(payload).encode(), content_type, received_at=RECEIVED)


def test_streams_result_as_a_read() -> None:
    [read] = parse(stream_payload()).reads

    assert read.plate == "pl8rec"
    assert read.time == datetime(2025, 8, 11, 16, 42, 58, 740143, tzinfo=UTC)
    assert read.device_id == "camera-1"
    assert read.direction is Direction.DEPARTING  # its rear seen
    assert (read.vehicle_type, read.vehicle_colour) == (VehicleType.CAR, Colour.RED)
    assert (read.vehicle_brand, read.region, read.confidence) == ("Porsche", "us-ca", 0.902)
    assert read.plate_box == PlateBox(337, 270, 412, 305)
    assert read.full_image is None
    assert read.plate_image is None
    # Stream's angle in the picture, the detection's confidence: as sent.
    assert read.raw["direction"] == 210
    assert (read.raw["dscore"], read.raw["event"]) == (0.757, "recognition")
    assert "plate" not in read.raw
    assert "candidates" not in read.raw


def test_with_the_picture_in_a_form() -> None:
    """ "Webhook with Image": the JSON in the `json` field, the picture in `upload`."""
    body = multipart(
        part("json", json.dumps(stream_payload()).encode()),
        part("upload", JPEG, "Content-Type: image/jpeg"),
    )

    [read] = parse_webhook(body, MULTIPART, received_at=RECEIVED).reads

    assert (read.plate, read.full_image) == ("pl8rec", JPEG)


def test_streams_data_only_form() -> None:
    body = urlencode({"json": json.dumps(stream_payload())}).encode()

    [read] = parse_webhook(body, "application/x-www-form-urlencoded", received_at=RECEIVED).reads

    assert (read.plate, read.full_image) == ("pl8rec", None)


def test_snapshots_time_without_an_offset_is_utc() -> None:
    [read] = parse(snapshot_payload("nhk552")).reads

    assert read.time == datetime(2025, 9, 9, 23, 22, 38, 30345, tzinfo=UTC)
    assert (read.device_id, read.direction) == (None, Direction.UNKNOWN)  # no mmc
    assert read.raw["event"] == "image.done"


@pytest.mark.parametrize(
    ("orientation", "direction"),
    [
        ("Front", Direction.APPROACHING),
        ("Rear", Direction.DEPARTING),
        ("Unknown", Direction.UNKNOWN),
    ],
)
def test_direction_from_the_likeliest_orientation(orientation: str, direction: Direction) -> None:
    result = stream_result(
        orientation=[
            {"orientation": "Side", "score": 0.1},
            {"orientation": orientation, "score": 0.6},
        ]
    )

    [read] = parse(stream_payload(result)).reads

    assert read.direction == direction


def test_a_read_per_plate_in_the_picture() -> None:
    """Two lanes at one gate: two vehicles, two reads; the same plate twice is one vehicle."""
    reads = parse(snapshot_payload("AB123", "CD456", "ab-123")).reads

    assert [read.plate for read in reads] == ["AB123", "CD456"]


def test_plates_past_the_bound_are_left_out() -> None:
    plates = [f"P{n}" for n in range(MAX_READS_PER_REQUEST + 3)]

    found = parse(snapshot_payload(*plates))

    assert [read.plate for read in found.reads] == plates[:MAX_READS_PER_REQUEST]
    assert found.left_out == 3


@pytest.mark.parametrize(
    "payload",
    [
        snapshot_payload(),
        stream_payload(stream_result(plate=""), stream_result(plate=None), stream_result(plate={})),
        {"hook": {"event": "heartbeat"}, "data": {"camera_id": "camera-1"}},
    ],
    ids=["no plate found", "results without a plate", "another event"],
)
def test_no_plate_is_no_read_and_no_error(payload: dict[str, Any]) -> None:
    """Plate Recognizer posts when it found no plate too, and drops a hook that keeps failing."""
    assert parse(payload) == PlateReads()


def test_the_api_answer_unwrapped() -> None:
    """What Plate Recognizer's API answers, forwarded as is (by Node-RED, say)."""
    [read] = parse(snapshot_payload("nhk552")["data"]).reads

    assert read.plate == "nhk552"


def test_odd_values_are_left_out() -> None:
    result = stream_result(
        score="high", region="gb", vehicle=[], color="red", orientation=[1, None], box={"xmin": 1}
    )
    payload = stream_payload(result)
    payload["data"]["timestamp"] = "yesterday"

    [read] = parse(payload).reads

    assert read.time == RECEIVED
    assert (read.confidence, read.region, read.vehicle_type, read.vehicle_colour) == (None,) * 4
    assert (read.direction, read.plate_box) == (Direction.UNKNOWN, None)


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"garbage", JSON, "not JSON"),
        (b"[]", JSON, "not a JSON object"),
        (b'{"data": {"results": {}}}', JSON, "no results"),
        (b'{"plate": "AB123"}', JSON, "no results"),
        (json.dumps(stream_payload(stream_result("X" * 33))).encode(), JSON, "longer than 32"),
        (multipart(part("upload", JPEG)), MULTIPART, "without its json field"),
        (multipart(part("json", b"nope")), MULTIPART, "not JSON"),
    ],
    ids=["garbage", "a list", "results no list", "no results", "long plate", "no json", "bad json"],
)
def test_no_payload_is_refused(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(InvalidReadError, match=reason):
        parse_webhook(body, content_type, received_at=RECEIVED)
