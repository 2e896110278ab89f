"""Parsing what an HTTP-type camera sends."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.lpr_camera.lpr import (
    Colour,
    Direction,
    InvalidReadError,
    ListType,
    PlateBox,
    PlateRead,
    VehicleType,
)
from custom_components.lpr_camera.lpr.http_push import (
    LEFT_OUT_FIELDS_KEY,
    LEFT_OUT_PICTURES_KEY,
    MAX_BODIES_BYTES,
    MAX_BODY_BYTES,
    MAX_EVIDENCE_PICTURES,
    MAX_JSON_VALUES,
    MAX_RAW_FIELDS,
    MAX_RAW_KEY,
    MAX_RAW_TEXT,
    MAX_TEXT,
    UNDECODABLE_IMAGES_KEY,
    BodyBudget,
    BodyBudgetSpentError,
    CameraEvent,
    CameraEventKind,
    parse_post,
    parse_query,
)
from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH

BERLIN = ZoneInfo("Europe/Berlin")
RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
JPEG = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
EVIDENCE = base64.b64encode(JPEG * 200).decode()
# Picture keys in one body: thousands, within the values a body may have.
MANY = MAX_JSON_VALUES - 100
ARGS: dict[str, Any] = {"timezone": BERLIN, "received_at": RECEIVED}
SENT = datetime(2024, 2, 1, 6, 0, 5, tzinfo=BERLIN)  # the camera's local time
SENT_MS = SENT.replace(microsecond=509000)


def b64(picture: bytes) -> str:
    return base64.b64encode(picture).decode()


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
    assert read.vehicle_brand == "Volvo"
    assert read.extra_images == (JPEG * 200,)
    assert read.raw["Vehicle Brand"] == "Volvo"
    assert not {"plate_image", "full_image", "evidence_image0"} & read.raw.keys()


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


@pytest.mark.parametrize(
    ("time", "time_msec", "expected"),
    [
        pytest.param("2024-02-01 06:00:05", "120", SENT.replace(microsecond=120000), id="count"),
        pytest.param("2024-02-01 06:00:05", 7, SENT.replace(microsecond=7000), id="number"),
        pytest.param("", "2024-02-01 06:00:05.509", SENT_MS, id="time empty, time_msec whole"),
        pytest.param(None, "2024-02-01 06:00:05.509", SENT_MS, id="only time_msec"),
        pytest.param("2024-02-01 06:00:05", "2024-02-01 06:00:05.509", SENT_MS, id="both whole"),
        pytest.param("2024-02-01 06:00:05.509", "120", SENT_MS, id="time has its own"),
        pytest.param("2024-02-01 06:00:05.509", "-", SENT_MS, id="time_msec not measured"),
        pytest.param("2024-02-01 06:00:05", "1000", SENT, id="count out of range"),
        pytest.param("2024-02-01 06:00:05", "12.5", SENT, id="count not whole"),
        pytest.param("2024-02-01 06:00:05", True, SENT, id="count a boolean"),
        pytest.param("2024-02-01 06:00:05", "2024-13-01 06:00:05.5", SENT, id="bad whole"),
    ],
)
def test_the_most_precise_time_wins(time: object, time_msec: object, expected: datetime) -> None:
    read = parse_post(post(plate="B1", time=time, time_msec=time_msec), **ARGS)
    assert read.time == expected


@pytest.mark.parametrize(
    ("time", "time_msec"),
    [
        ("yesterday", None),
        ("", None),
        ("-", None),
        ("2024-13-45 99:00:00", None),
        (None, None),
        (None, "509"),
        (1706767205, None),
        ("0001-01-01 00:00:00", None),
        ("9999-12-31 23:59:59", None),
        ({"nested": "2024-02-01 06:00:05"}, None),
    ],
)
def test_unparsable_time_falls_back_to_receipt(time: object, time_msec: object) -> None:
    read = parse_post(post(plate="B1", time=time, time_msec=time_msec), **ARGS)
    assert read.time == RECEIVED


def read_from(**fields: object) -> PlateRead:
    """The read a camera posting these fields makes."""
    read = parse_post(post(**fields), **ARGS)
    assert isinstance(read, PlateRead)
    return read


@pytest.mark.parametrize(
    ("key", "sent", "expected"),
    [
        ("direction", "Approach", Direction.APPROACHING),
        ("direction", "APPROACHING", Direction.APPROACHING),
        ("direction", "in", Direction.APPROACHING),
        ("direction", "Entering", Direction.APPROACHING),
        ("direction", "arrive", Direction.APPROACHING),
        ("direction", "away", Direction.DEPARTING),
        ("direction", "Leave", Direction.DEPARTING),
        ("direction", "LEAVING", Direction.DEPARTING),
        ("direction", "Out", Direction.DEPARTING),
        ("direction", "exit", Direction.DEPARTING),
        ("direction", "Departing", Direction.DEPARTING),
        ("direction", 2, Direction.DEPARTING),
        ("direction", "Unknown", Direction.UNKNOWN),
        ("type", "White", ListType.WHITE),
        ("type", "whitelist", ListType.WHITE),
        ("type", "Allow List", ListType.WHITE),
        ("type", "black", ListType.BLACK),
        ("type", "Black_List", ListType.BLACK),
        ("type", "Block", ListType.BLACK),
        ("type", "DENY", ListType.BLACK),
        ("type", "VISITOR", ListType.VISITOR),
        ("type", "Temporary", ListType.VISITOR),
        ("vehicle_type", "Bus", VehicleType.BUS),
        ("vehicle_type", "SUV", VehicleType.CAR),
        ("vehicle_type", "Sedan", VehicleType.CAR),
        ("vehicle_type", "Motorcycle", VehicleType.MOTORBIKE),
        ("vehicle_type", "Motor", VehicleType.MOTORBIKE),
        ("vehicle_type", "Coach", VehicleType.BUS),
        ("vehicle_type", "Lorry", VehicleType.TRUCK),
        ("vehicle_type", "Mini-Bus", VehicleType.MINIBUS),
        ("vehicle_type", 4, VehicleType.TRUCK),
        ("vehicle_color", "Grey", Colour.GRAY),
        ("vehicle_color", "gray", Colour.GRAY),
        ("vehicle_color", "PURPLE", Colour.VIOLET),
        ("plate_color", "Yellow", Colour.YELLOW),
    ],
)
def test_words_of_any_firmware(key: str, sent: object, expected: StrEnum) -> None:
    read = read_from(plate="X", **{key: sent})
    field = {"type": "list_type", "vehicle_color": "vehicle_colour", "plate_color": "plate_colour"}
    assert getattr(read, field.get(key, key)) is expected


def test_unknown_words_are_kept_as_text() -> None:
    read = read_from(
        plate="X",
        type="Other",
        vehicle_type="Fire engine",
        vehicle_color="Brown",
        plate_color="Silver",
        direction="Up",
    )
    assert read.list_type == "Other"
    assert read.vehicle_type == "Fire engine"
    assert read.vehicle_colour == "Brown"
    assert read.plate_colour == "Silver"
    assert read.direction == "Up"


@pytest.mark.parametrize("brand_key", ["Vehicle Brand", "vehicle_brand", "Vehicle_Brand"])
def test_vehicle_brand(brand_key: str) -> None:
    read = read_from(plate="X", **{brand_key: "Toyota"})
    assert read.vehicle_brand == "Toyota"
    assert read.as_dict()["vehicle_brand"] == "Toyota"


def test_any_value_may_be_a_number_a_dash_or_nothing() -> None:
    read = read_from(
        plate=12345,
        device="",
        speed="",
        confidence="-",
        direction=None,
        detection_region=2,
        resolution_width=1920,
        resolution_height="1080",
        coordinate_x1=1,
        coordinate_y1="2",
        coordinate_x2=3.0,
        coordinate_y2="4",
        region=49,
    )
    assert read.plate == "12345"
    assert (read.device_id, read.speed, read.confidence) == (None, None, None)
    assert read.direction is Direction.UNKNOWN
    assert read.detection_region == 2
    assert read.resolution == (1920, 1080)
    assert read.plate_box == PlateBox(1, 2, 3, 4)
    assert read.region == "49"


@pytest.mark.parametrize("misfit", [True, False, {"a": 1}, [1, 2], 1e300, -5, "x" * 1000])
def test_values_of_the_wrong_kind_are_absent(misfit: object) -> None:
    """Where text or a number is expected, anything else is not measured (never a crash)."""
    fields = ("device", "speed", "confidence", "direction", "type", "vehicle_type", "region")
    read = read_from(plate="X", **dict.fromkeys(fields, misfit), time=misfit, time_msec=misfit)
    assert read.device_id is None or len(read.device_id) <= MAX_TEXT
    assert read.confidence is None or 0 <= read.confidence <= 1
    assert read.time == RECEIVED
    assert read.direction in (Direction.UNKNOWN, str(misfit))


@pytest.mark.parametrize("plate", [True, False, None, {"a": 1}, [], "", " ", "-"])
def test_a_plate_that_is_no_text_is_no_plate(plate: object) -> None:
    with pytest.raises(InvalidReadError, match="no plate"):
        parse_post(post(plate=plate), **ARGS)


def test_plate_length() -> None:
    """32 characters after trimming is the longest plate; longer is no read."""
    assert read_from(plate=f"  {'Ö' * MAX_PLATE_LENGTH}\t").plate == "Ö" * MAX_PLATE_LENGTH
    for too_long in ("X" * (MAX_PLATE_LENGTH + 1), "X" * 5_000_000):
        with pytest.raises(InvalidReadError, match=f"longer than {MAX_PLATE_LENGTH} characters"):
            parse_post(post(plate=too_long), **ARGS)
    with pytest.raises(InvalidReadError, match="longer than"):
        parse_query([("description", "X" * (MAX_PLATE_LENGTH + 1))], received_at=RECEIVED)


def test_evidence_pictures_in_their_order() -> None:
    read = read_from(
        plate="X",
        evidence_image10=b64(b"ten"),
        evidence_image2=b64(b"two"),
        evidence_image0="data:image/jpeg;base64," + b64(b"zero"),
        evidence_image1="%%% not base64",
        evidence_image3="",
    )
    assert read.extra_images == (b"zero", b"two", b"ten")
    assert read.raw == {"plate": "X", "undecodable_images": ["evidence_image1"]}
    assert "extra_images" not in read.as_dict()
    assert "zero" not in repr(read)


def test_a_flood_of_evidence_pictures_keeps_the_first_ones() -> None:
    """Each picture kept is a file in the picture history: a body of them is still one read."""
    flood = {f"evidence_image{number}": b64(b"%d" % number) for number in range(MANY - 1, -1, -1)}
    # An Arabic-Indic 3: no picture's key, but a field of the camera's own, kept in raw.
    flood["evidence_image\u0663"] = b64(b"not ascii")
    read = read_from(plate="X", **flood)

    assert read.extra_images == tuple(b"%d" % number for number in range(MAX_EVIDENCE_PICTURES))
    assert read.raw[LEFT_OUT_PICTURES_KEY] == MANY - MAX_EVIDENCE_PICTURES
    assert read.raw["evidence_image\u0663"] == b64(b"not ascii")


def test_a_flood_of_undecodable_pictures_names_a_few() -> None:
    """Their names once filled raw: 936,000 keys took 62 MiB per read."""
    flood = {f"evidence_image{number}": "%%%" for number in range(MANY)}
    read = read_from(plate="X", plate_image="%%%", full_image="%%%", **flood)

    evidence = [f"evidence_image{number}" for number in range(MAX_EVIDENCE_PICTURES)]
    assert read.raw[UNDECODABLE_IMAGES_KEY] == ["plate_image", "full_image", *evidence]
    assert read.raw[LEFT_OUT_PICTURES_KEY] == MANY - MAX_EVIDENCE_PICTURES


def test_raw_is_bounded() -> None:
    """Raw travels on the bus and into the database: so many fields, keys and characters."""
    fields = {f"field{index}": "v" for index in range(MAX_RAW_FIELDS + 10)}
    read = read_from(
        plate="X",
        **{"k" * (MAX_RAW_KEY + 1): "long key"},
        long="y" * (MAX_RAW_TEXT + 1),
        nested={"a": [1, 2]},
        snapshot=b64(JPEG),
        **fields,
    )
    assert len(read.raw) == MAX_RAW_FIELDS + 1
    assert read.raw[LEFT_OUT_FIELDS_KEY] == 14  # the long key, and 13 fields beyond the limit
    assert read.raw["long"] == f"<{MAX_RAW_TEXT + 1} characters left out>"
    assert read.raw["nested"] == "<nested value left out>"
    assert "snapshot" not in read.raw


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
        pytest.param(b" " * (MAX_BODY_BYTES + 1), "larger than", id="too large"),
    ],
)
def test_invalid_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidReadError, match=reason):
        parse_post(body, timezone=UTC, received_at=RECEIVED)


def test_values_are_counted_before_the_body_is_parsed() -> None:
    """Parsing 200,000 members held the event loop; the bound is told from the commas alone."""
    fields = {f"field{index}": 1 for index in range(MAX_JSON_VALUES - 1)}
    read = parse_post(post(plate="X", **fields), timezone=UTC, received_at=RECEIVED)
    assert read.plate == "X"
    with pytest.raises(InvalidReadError, match=f"more than {MAX_JSON_VALUES} values"):
        parse_post(post(plate="X", extra=1, **fields), timezone=UTC, received_at=RECEIVED)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply nested arrays"),
        pytest.param(b'{"plate": "X", "a": ' + b'{"b": ' * 100_000 + b"}", id="deep objects"),
        pytest.param(b'{"plate": "X", "n": ' + b"9" * 5000 + b"}", id="5000 digits"),
        pytest.param(b'{"plate": "X", "n": ' + b"9" * 4000 + b"}", id="4000 digits"),
        pytest.param(b'{"plate": "X", "n": 18446744073709551616}', id="beyond 64 bits"),
        pytest.param(b'{"plate": "X", "n": -9223372036854775809}', id="below 64 bits"),
        pytest.param(b'{"plate": "X", "n": 1e400}', id="float overflow"),
        pytest.param(b'{"plate": "X", "n": NaN}', id="NaN"),
        pytest.param(b'{"plate": "X", "n": [Infinity]}', id="Infinity"),
        pytest.param(b'{"plate": "X", "n": -Infinity}', id="-Infinity"),
        pytest.param(b'{"plate": "\xff\xfe"}', id="invalid UTF-8"),
        pytest.param(b'{"plate": "\xed\xa0\x80"}', id="UTF-8 encoded surrogate"),
        pytest.param(b'{"plate": "\\ud800"}', id="lone surrogate"),
        pytest.param(b'{"\\udfff": 1, "plate": "X"}', id="lone surrogate in a key"),
        pytest.param(b'{"plate": "X", "a": [{"b": "\\ud800"}]}', id="lone surrogate nested"),
        pytest.param(b'{"plate": "A", "plate": "B"}', id="duplicate keys"),
        pytest.param(b'{"plate": "A", "a": {"b": 1, "b": 2}}', id="nested duplicate keys"),
        pytest.param(b"", id="empty"),
        pytest.param(b"null", id="null"),
        pytest.param(b"1", id="number"),
        pytest.param(b"true", id="true"),
        pytest.param(b'"AB123"', id="string"),
        pytest.param(b'{"plate": "X"', id="truncated"),
        pytest.param(b'{"plate": "X"} {}', id="two documents"),
        pytest.param('{"plate": "X"}'.encode("utf-16"), id="UTF-16"),
    ],
)
def test_hostile_json_is_no_read(body: bytes) -> None:
    with pytest.raises(InvalidReadError, match=r"^body"):
        parse_post(body, **ARGS)


def test_a_utf8_byte_order_mark_is_fine() -> None:
    assert parse_post(b"\xef\xbb\xbf" + post(plate="BOM1"), **ARGS).plate == "BOM1"


def test_a_4k_post_with_two_evidence_pictures_passes() -> None:
    """About 11 MB of base64: over the 8 MiB the cap once was, well within 24 MiB."""
    snapshot, evidence = b"\xff\xd8" + bytes(4_000_000), b"\xff\xd8" + bytes(2_000_000)
    body = post(
        plate="BIG1",
        plate_image=b64(JPEG),
        full_image=b64(snapshot),
        evidence_image0=b64(evidence),
        evidence_image1=b64(evidence),
    )
    assert 8 * 1024 * 1024 < len(body) <= MAX_BODY_BYTES

    read = parse_post(body, **ARGS)

    assert read.full_image == snapshot
    assert read.extra_images == (evidence, evidence)


@pytest.mark.parametrize(
    ("event", "kind"),
    [
        ("Vehicle Counting", CameraEventKind.COUNTING),
        ("vehicle_count", CameraEventKind.COUNTING),
        ("List Event", CameraEventKind.LIST),
        ("list", CameraEventKind.LIST),
        ("Attributes", CameraEventKind.ATTRIBUTES),
        ("Attributes Event", CameraEventKind.ATTRIBUTES),
        ("Violation", CameraEventKind.VIOLATION),
        ("violation event", CameraEventKind.VIOLATION),
        ("Parking Detection", CameraEventKind.PARKING),
        ("lprparking", CameraEventKind.PARKING),
        ("Something New", CameraEventKind.OTHER),
        (7, CameraEventKind.OTHER),
    ],
)
def test_other_events_are_camera_events_never_reads(event: object, kind: CameraEventKind) -> None:
    """Even with a plate: a list, attribute or violation event is about a vehicle already read."""
    body = post(
        event=event,
        device="Gate cam",
        time="2024-02-01 06:00:05.509",
        plate="AB123",
        plate_image=b64(JPEG),
        snapshot=b64(JPEG),
        evidence_image0=b64(JPEG),
        **{"All-Car": 3, "region name": "Lane 1", "note": "n" * (MAX_RAW_TEXT + 1)},
    )

    event_read = parse_post(body, **ARGS)

    assert event_read == CameraEvent(
        kind=kind,
        time=SENT_MS,
        device_id="Gate cam",
        raw={
            "event": event,
            "device": "Gate cam",
            "time": "2024-02-01 06:00:05.509",
            "plate": "AB123",
            "All-Car": 3,
            "region name": "Lane 1",
            "note": f"<{MAX_RAW_TEXT + 1} characters left out>",
        },
    )
    assert event_read.as_dict()["kind"] == kind.value


@pytest.mark.parametrize("event", ["Recognition", "LPR Recognition", "recognition event", "", "-"])
def test_a_recognition_event_is_a_read(event: str) -> None:
    assert read_from(event=event, plate="AB123").plate == "AB123"


def test_a_camera_event_without_any_time_takes_the_time_of_receipt() -> None:
    event = parse_post(post(event="Vehicle Counting", Car=2), **ARGS)
    assert isinstance(event, CameraEvent)
    assert event.time == RECEIVED
    assert event.as_dict() == {
        "kind": "counting",
        "time": RECEIVED.isoformat(),
        "camera_device_id": None,
        "raw": {"event": "Vehicle Counting", "Car": 2},
    }


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


def test_the_body_budget_is_shared_and_given_back_however_a_body_ends() -> None:
    budget = BodyBudget()
    with budget.counting() as first, budget.counting() as second:
        first(MAX_BODIES_BYTES - 1)
        with pytest.raises(BodyBudgetSpentError):
            second(2)
        second(1)
        assert budget.size == MAX_BODIES_BYTES
    assert budget.size == 0

    def read_a_body_that_is_no_read() -> None:
        with budget.counting() as count:
            count(MAX_BODY_BYTES)
            parse_post(b"[]", **ARGS)

    with pytest.raises(InvalidReadError):
        read_a_body_that_is_no_read()
    assert budget.size == 0
