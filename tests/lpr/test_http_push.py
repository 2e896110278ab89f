"""Parsing what an HTTP-type camera sends."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from custom_components.lpr_camera.lpr import (
    Colour,
    Direction,
    InvalidReadError,
    ListType,
    PlateBox,
    VehicleType,
)
from custom_components.lpr_camera.lpr.http_push import MAX_BODY_BYTES, parse_post, parse_query

BERLIN = ZoneInfo("Europe/Berlin")
RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
JPEG = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
EVIDENCE = base64.b64encode(JPEG * 200).decode()


def post(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def test_full_post_every_value_a_string() -> None:
    body = post(
        device="Network Camera",
        time="2020-11-03 20:29:48",
        plate="AMW212",
        type="Visitor",
        speed="-",
        direction="Away",
        detection_region="1",
        region="BEL",
        resolution_width="1280",
        resolution_height="720",
        coordinate_x1="473",
        coordinate_y1="93",
        coordinate_x2="676",
        coordinate_y2="135",
        confidence="0.70",
        plate_color="White",
        vehicle_type="Bus",
        vehicle_color="White",
        plate_image=base64.b64encode(JPEG).decode(),
        full_image="data:image/jpeg;base64," + base64.b64encode(JPEG * 2).decode(),
        **{"Vehicle Brand": "Volvo", "evidence_image0": EVIDENCE},
    )
    read = parse_post(body, timezone=BERLIN, received_at=RECEIVED)

    assert read.plate == "AMW212"
    assert read.time == datetime(2020, 11, 3, 20, 29, 48, tzinfo=BERLIN)
    assert read.device_id == "Network Camera"
    assert read.list_type is ListType.VISITOR
    assert read.speed is None
    assert read.direction is Direction.DEPARTING
    assert read.detection_region == 1
    assert read.region == "BEL"
    assert read.resolution == (1280, 720)
    assert read.plate_box == PlateBox(473, 93, 676, 135)
    assert read.confidence == pytest.approx(0.70)
    assert read.plate_colour is Colour.WHITE
    assert read.vehicle_type is VehicleType.BUS
    assert read.vehicle_colour is Colour.WHITE
    assert read.plate_image == JPEG
    assert read.full_image == JPEG * 2
    assert read.raw["Vehicle Brand"] == "Volvo"
    assert read.raw["evidence_image0"] == f"<{len(EVIDENCE)} characters left out>"
    assert "plate_image" not in read.raw


def test_numbers_missing_keys_and_milliseconds() -> None:
    read = parse_post(
        post(plate="B123", time="2024-02-01 06:00:05.509", speed=42, confidence=87),
        timezone=BERLIN,
        received_at=RECEIVED,
    )
    assert read.time == datetime(2024, 2, 1, 6, 0, 5, 509000, tzinfo=BERLIN)
    assert read.speed == 42
    assert read.confidence == pytest.approx(0.87)
    assert read.direction is Direction.UNKNOWN
    assert read.vehicle_type is None
    assert read.plate_box is None
    assert read.plate_image is None


def test_time_msec_key() -> None:
    read = parse_post(
        post(plate="B1", time="2024-02-01 06:00:05", time_msec="120"),
        timezone=UTC,
        received_at=RECEIVED,
    )
    assert read.time == datetime(2024, 2, 1, 6, 0, 5, 120000, tzinfo=UTC)


@pytest.mark.parametrize("time", ["yesterday", "", "-", "2024-13-45 99:00:00", None])
def test_unparsable_time_falls_back_to_receipt(time: str | None) -> None:
    read = parse_post(post(plate="B1", time=time), timezone=BERLIN, received_at=RECEIVED)
    assert read.time == RECEIVED


@pytest.mark.parametrize(
    ("sent", "direction", "list_type"),
    [
        ("Approach", Direction.APPROACHING, ListType.WHITE),
        ("APPROACH", Direction.APPROACHING, ListType.WHITE),
        ("away", Direction.DEPARTING, ListType.BLACK),
        ("Leave", Direction.DEPARTING, ListType.VISITOR),
    ],
)
def test_enums_case_insensitive(sent: str, direction: Direction, list_type: ListType) -> None:
    list_text = {ListType.WHITE: "White", ListType.BLACK: "black", ListType.VISITOR: "VISITOR"}
    read = parse_post(
        post(plate="X", direction=sent, type=list_text[list_type]),
        timezone=UTC,
        received_at=RECEIVED,
    )
    assert read.direction is direction
    assert read.list_type is list_type


def test_unknown_enum_values_are_kept_as_text() -> None:
    read = parse_post(
        post(plate="X", type="Other", vehicle_type="Tractor", vehicle_color="Pink", direction="Up"),
        timezone=UTC,
        received_at=RECEIVED,
    )
    assert read.list_type == "Other"
    assert read.vehicle_type == "Tractor"
    assert read.vehicle_colour == "Pink"
    assert read.direction == "Up"


def test_bad_picture_drops_the_picture_not_the_read() -> None:
    read = parse_post(
        post(
            plate="X", plate_image="not base64 at all!", full_image=base64.b64encode(JPEG).decode()
        ),
        timezone=UTC,
        received_at=RECEIVED,
    )
    assert read.plate == "X"
    assert read.plate_image is None
    assert read.full_image == JPEG
    assert read.raw["undecodable_images"] == ["plate_image"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\x00\xffnot json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'"AB123"', "not a JSON object"),
        (post(time="2024-01-01 00:00:00"), "no plate"),
        (post(plate="-"), "no plate"),
        (post(plate=""), "no plate"),
        (post(plate={"nested": 1}), "no plate"),
        (b" " * (MAX_BODY_BYTES + 1), "larger than"),
    ],
)
def test_invalid_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidReadError, match=reason):
        parse_post(body, timezone=UTC, received_at=RECEIVED)


@pytest.mark.parametrize(
    "pairs",
    [
        [("Caption", "LPR"), ("description", "MS12345")],
        [("Caption ", " LPR"), (" description ", " MS12345")],
        [("DESCRIPTION", "MS12345")],
    ],
)
def test_get_query(pairs: list[tuple[str, str]]) -> None:
    read = parse_query(pairs, received_at=RECEIVED)
    assert read.plate == "MS12345"
    assert read.time == RECEIVED


def test_get_query_without_plate() -> None:
    with pytest.raises(InvalidReadError, match="no plate"):
        parse_query([("Caption", "LPR")], received_at=RECEIVED)
