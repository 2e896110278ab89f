"""Parsing the body ALPR-Database's `/api/plate-reads` takes, as Blue Iris posts it."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.lpr_camera.lpr import InvalidReadError, PlateBox
from custom_components.lpr_camera.lpr.alpr_database import parse_plate_reads
from custom_components.lpr_camera.lpr.http_push import UNDECODABLE_IMAGES_KEY
from custom_components.lpr_camera.lpr.plate_reads import MAX_READS_PER_REQUEST, PlateReads
from tests.webhook_payloads import JPEG, blue_iris_body

BLUE_IRIS_ZONE = ZoneInfo("America/Chicago")
RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def parse(body: dict[str, Any]) -> PlateReads:
    return parse_plate_reads(
        json.dumps(body).encode(), timezone=BLUE_IRIS_ZONE, received_at=RECEIVED
    )


def test_blue_iris_with_ai_dump() -> None:
    """Each plate CodeProject.AI found is a read; the car the object model found is not."""
    found = parse(blue_iris_body("SGX 7923G", "HF7499"))

    first, second = found.reads
    assert (first.plate, second.plate, found.left_out) == ("SGX 7923G", "HF7499", 0)
    assert first.time == datetime(2025, 7, 15, 13, 59, 4, tzinfo=UTC)
    assert (first.device_id, first.confidence) == ("ALPR2", 0.9400946199893951)
    assert first.plate_box == PlateBox(195, 169, 298, 233)
    assert first.full_image == second.full_image == JPEG
    assert first.raw == {
        "camera": "ALPR2",
        "ALERT_PATH": "ALPR2.20250715_135904.1234.3-1.jpg",
        "ALERT_CLIP": "@123456789",
        "timestamp": "2025-07-15T13:59:04Z",
    }


def test_one_ai_answer_not_in_a_list() -> None:
    body = blue_iris_body("AB123")
    body["ai_dump"] = body["ai_dump"][1]

    [read] = parse(body).reads

    assert read.plate == "AB123"


def test_plate_number() -> None:
    """The older macro: Blue Iris's `&PLATE`, one plate, a time without an offset."""
    body = blue_iris_body(plate_number="XY9", timestamp="2025-07-15 08:59:04")
    del body["ai_dump"]

    [read] = parse(body).reads

    assert (read.plate, read.confidence, read.plate_box) == ("XY9", None, None)
    assert read.time == datetime(2025, 7, 15, 8, 59, 4, tzinfo=BLUE_IRIS_ZONE)
    assert "plate_number" not in read.raw


def test_plate_number_when_ai_dump_has_no_plate() -> None:
    body = blue_iris_body(plate_number="XY9")
    body["ai_dump"] = body["ai_dump"][:1]  # the objects' answer only

    [read] = parse(body).reads

    assert read.plate == "XY9"


def test_a_picture_as_a_data_url_and_one_that_is_not_base64() -> None:
    data_url = "data:image/jpeg;base64," + base64.b64encode(JPEG).decode()
    [read] = parse(blue_iris_body("AB123", Image=data_url)).reads
    assert read.full_image == JPEG

    [read] = parse(blue_iris_body("AB123", Image="%%% not base64")).reads
    assert read.full_image is None
    assert read.raw[UNDECODABLE_IMAGES_KEY] == ["Image"]


def test_no_time_is_the_time_of_receipt() -> None:
    body = blue_iris_body("AB123")
    del body["timestamp"]

    [read] = parse(body).reads

    assert read.time == RECEIVED


def test_plates_past_the_bound_are_left_out() -> None:
    plates = [f"P{n}" for n in range(MAX_READS_PER_REQUEST + 2)]

    found = parse(blue_iris_body(*plates))

    assert (len(found.reads), found.left_out) == (MAX_READS_PER_REQUEST, 2)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"&JSON", "not JSON"),
        (b'["AB123"]', "not a JSON object"),
        (json.dumps(blue_iris_body()).encode(), "no plate in the body"),
        (json.dumps({"plate_number": ["AB123"], "ai_dump": {}}).encode(), "no plate in the body"),
        (json.dumps({"ai_dump": "alpr", "memo": "AB123:87%"}).encode(), "no plate in the body"),
        (json.dumps({"plate_number": "   "}).encode(), "no plate in the body"),
        (json.dumps(blue_iris_body("X" * 33)).encode(), "longer than 32"),
    ],
    ids=["garbage", "a list", "no plate found", "wrong types", "memo", "blank", "long plate"],
)
def test_no_read_is_refused(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidReadError, match=reason):
        parse_plate_reads(body, timezone=BLUE_IRIS_ZONE, received_at=RECEIVED)
