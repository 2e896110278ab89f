"""Plate reads out of ONVIF metadata documents, and hostile documents refused."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from custom_components.lpr_camera.lpr import Direction, InvalidReadError, ProtocolError
from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH
from custom_components.lpr_camera.lpr.onvif import PlateEvent, parse_metadata
from custom_components.lpr_camera.lpr.rtp import MAX_DOCUMENT_BYTES
from simulator.onvif_documents import (
    NAMESPACES,
    SEED_PICTURE,
    SEED_PLATE,
    metadata_stream,
    seed_event,
    standard_event,
)

RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MOTION_EVENT = """
<tt:Event><wsnt:NotificationMessage>
 <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
  >tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic>
 <wsnt:Message><tt:Message UtcTime="2024-03-01T10:00:00Z">
  <tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data>
 </tt:Message></wsnt:Message>
</wsnt:NotificationMessage></tt:Event>"""


def parse(document: bytes) -> list[PlateEvent]:
    return parse_metadata(document, received_at=RECEIVED)


def only(document: bytes) -> PlateEvent:
    (event,) = parse(document)
    return event


def test_seed_example() -> None:
    event = only(metadata_stream(seed_event()))

    assert event.read.plate == SEED_PLATE == "43 거 6510"
    assert event.read.time == datetime(2018, 5, 15, 6, 19, 34, tzinfo=UTC)
    assert event.read.direction is Direction.APPROACHING
    assert event.read.speed == 25.0
    assert event.plate_image_uri == SEED_PICTURE
    assert event.full_image_uri is None
    assert event.read.plate_image is None
    assert event.read.raw == {
        "Topic": "tns1:RuleEngine/LicensePlateDetector/LicensePlate",
        "VideoSourceConfigurationToken": "VideoSourceToken",
        "VideoAnalyticsConfigurationToken": "VideoAnalyticsToken",
        "Rule": "MyLicensePlateDetectorRule",
        "LicensePlateResult": SEED_PLATE,
        "LicensePlatePicturePath": SEED_PICTURE,
        "LicenseCarSpeed": "25km/h",
        "LicenseCarDirection": "1",
    }


def test_standard_topic() -> None:
    event = only(
        metadata_stream(
            standard_event(
                "B AB 1234",
                data="""
                <tt:SimpleItem Name="ImageURI" Value="http://127.0.0.1/plate/7.jpg"/>
                <tt:SimpleItem Name="VehicleImageURI" Value="/vehicle/7.jpg"/>
                <tt:SimpleItem Name="Speed" Value="48.5"/>
                <tt:SimpleItem Name="Direction" Value="Leaving"/>""",
            ),
            root="MetadataStream",
        )
    )

    assert event.read.plate == "B AB 1234"
    assert event.read.time == datetime(2024, 3, 1, 10, 20, 30, 250000, tzinfo=UTC)
    assert event.read.confidence == 0.92
    assert event.read.region == "DE"
    assert event.read.speed == 48.5
    assert event.read.direction is Direction.DEPARTING
    assert (event.plate_image_uri, event.full_image_uri) == (
        "http://127.0.0.1/plate/7.jpg",
        "/vehicle/7.jpg",
    )
    assert event.read.raw["PlateType"] == "Normal"


@pytest.mark.parametrize(
    ("value", "direction"),
    [
        ("0", Direction.UNKNOWN),
        ("1", Direction.APPROACHING),
        ("2", Direction.DEPARTING),
        ("Approaching", Direction.APPROACHING),
        ("in", Direction.APPROACHING),
        ("Departing", Direction.DEPARTING),
        ("LEAVING", Direction.DEPARTING),
        ("Out", Direction.DEPARTING),
        ("Entering", Direction.APPROACHING),
        ("Arrive", Direction.APPROACHING),
        ("Exit", Direction.DEPARTING),
        ("away", Direction.DEPARTING),
        ("-", Direction.UNKNOWN),
        ("Sideways", "Sideways"),
    ],
)
def test_directions(value: str, direction: Direction | str) -> None:
    assert only(metadata_stream(seed_event(direction=value))).read.direction == direction


@pytest.mark.parametrize(
    ("value", "speed"),
    [
        ("25km/h", 25.0),
        ("25 KM/H", 25.0),
        ("12.5", 12.5),
        ("10 mph", 16.09344),
        ("10m/s", 36.0),
        ("-", None),
        ("fast", None),
        ("5 furlongs", None),
        ("nan", None),
    ],
)
def test_speeds(value: str, speed: float | None) -> None:
    assert only(metadata_stream(seed_event(speed=value))).read.speed == pytest.approx(speed)


def test_likelihood_as_a_percentage() -> None:
    document = metadata_stream(standard_event("X1")).replace(b'Value="0.92"', b'Value="87"')

    assert only(document).read.confidence == 0.87


def test_several_events_in_order_other_topics_skipped() -> None:
    document = metadata_stream(
        seed_event("FIRST1"), MOTION_EVENT, standard_event("SECOND2"), seed_event("THIRD3")
    )

    assert [event.read.plate for event in parse(document)] == ["FIRST1", "SECOND2", "THIRD3"]


@pytest.mark.parametrize("operation", ["Initialized", "Deleted"])
def test_repeated_or_withdrawn_state_is_no_new_read(operation: str) -> None:
    document = metadata_stream(
        seed_event("OLD1", operation=operation), standard_event("OLD2", operation=operation)
    )

    assert parse(document) == []


def test_event_without_plate_is_skipped() -> None:
    assert parse(metadata_stream(seed_event(plate=" "))) == []


def test_a_plate_too_long_is_skipped_the_others_kept() -> None:
    """33 characters after trimming is no plate; 32 (and surrounding blanks) are."""
    document = metadata_stream(
        seed_event("FIRST1"),
        seed_event("X" * (MAX_PLATE_LENGTH + 1)),
        standard_event(f"  {'Y' * MAX_PLATE_LENGTH}  "),
    )
    skipped: list[InvalidReadError] = []

    events = parse_metadata(document, received_at=RECEIVED, on_skipped=skipped.append)

    assert [event.read.plate for event in events] == ["FIRST1", "Y" * MAX_PLATE_LENGTH]
    [error] = skipped
    assert str(error) == f"plate longer than {MAX_PLATE_LENGTH} characters"
    assert parse(document) == events  # without a callback too


def test_no_events() -> None:
    assert parse(metadata_stream()) == []


@pytest.mark.parametrize(
    ("utc_time", "expected"),
    [
        ("2024-01-02T03:04:05", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02T04:04:05+01:00", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("yesterday", RECEIVED),
        ("", RECEIVED),
    ],
)
def test_utc_time(utc_time: str, expected: datetime) -> None:
    assert only(metadata_stream(seed_event(time=utc_time))).read.time == expected


def test_prefixes_do_not_matter_namespaces_do() -> None:
    document = (
        metadata_stream(seed_event(), standard_event("STANDARD1"))
        .replace(b"tt:", b"onvif:")
        .replace(b"xmlns:tt=", b"xmlns:onvif=")
        .replace(b"wsnt:", b"b2:")
        .replace(b"xmlns:wsnt=", b"xmlns:b2=")
        .replace(b"tns1:", b"topics:")
        .replace(b"xmlns:tns1=", b"xmlns:topics=")
    )

    assert [event.read.plate for event in parse(document)] == [SEED_PLATE, "STANDARD1"]


def test_default_namespace() -> None:
    document = metadata_stream(seed_event()).replace(b"tt:", b"").replace(b"xmlns:tt=", b"xmlns=")

    assert only(document).read.plate == SEED_PLATE


def test_topic_in_another_namespace_is_not_ours() -> None:
    document = metadata_stream(seed_event()).replace(
        b'xmlns:tns1="http://www.onvif.org/ver10/topics"', b'xmlns:tns1="urn:vendor:topics"'
    )

    assert parse(document) == []


def test_elements_in_another_namespace_are_not_ours() -> None:
    document = metadata_stream(seed_event()).replace(
        b'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"', b'xmlns:wsnt="urn:not-wsn"'
    )

    assert parse(document) == []


@pytest.mark.parametrize(
    "document",
    [
        b"<MetadataStream/>",
        b'<tt:Envelope xmlns:tt="http://www.onvif.org/ver10/schema"/>',
        f"<x:MetadataStream {NAMESPACES} xmlns:x='urn:other'/>".encode(),
    ],
)
def test_not_a_metadata_stream(document: bytes) -> None:
    with pytest.raises(ProtocolError, match="not an ONVIF metadata stream"):
        parse(document)


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"<tt:MetadataStream>",
        # The seed's example as printed: its prefixes are declared nowhere.
        metadata_stream(seed_event()).replace(NAMESPACES.encode(), b""),
        b"\x00\xff not xml",
    ],
)
def test_not_well_formed(document: bytes) -> None:
    with pytest.raises(ProtocolError, match="not well-formed"):
        parse(document)


def test_doctype_is_refused() -> None:
    document = metadata_stream(seed_event()).replace(
        b"?>\n", b"?>\n<!DOCTYPE tt:MetaDataStream [<!ELEMENT a ANY>]>\n", 1
    )

    with pytest.raises(ProtocolError, match="DOCTYPE"):
        parse(document)


def with_doctype(internal_subset: str, reference: str, *, in_attribute: bool) -> bytes:
    """The seed's document with a DTD, and a reference to one of its entities."""
    event = seed_event(plate=reference) if in_attribute else seed_event(picture="")
    document = metadata_stream(event)
    if not in_attribute:
        document = document.replace(b"<tt:Key>", f"<tt:Key>{reference}".encode())
    return document.replace(b"?>\n", f"?>\n<!DOCTYPE d [{internal_subset}]>\n".encode(), 1)


@pytest.fixture
def host_file(tmp_path: Path) -> Iterator[tuple[Path, threading.Event]]:
    """A file of the host (a named pipe), and an event set once anything opened it to read."""
    pipe = tmp_path / "passwd"
    os.mkfifo(pipe)
    opened = threading.Event()

    def serve() -> None:
        with contextlib.suppress(BrokenPipeError), pipe.open("wb") as writer:  # waits for a reader
            opened.set()
            writer.write(b"root:x:0:0:root:/root:/bin/sh\n")

    thread = threading.Thread(target=serve)
    thread.start()
    yield pipe, opened
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer finish if nobody read
    thread.join()
    os.close(reader)


@pytest.mark.parametrize("in_attribute", [True, False])
def test_external_entity_is_neither_read_nor_accepted(
    in_attribute: bool, host_file: tuple[Path, threading.Event]
) -> None:
    path, opened = host_file
    document = with_doctype(
        f'<!ENTITY xxe SYSTEM "{path.as_uri()}">', "&xxe;", in_attribute=in_attribute
    )

    with pytest.raises(ProtocolError) as caught:
        parse(document)
    assert not opened.is_set()
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize("in_attribute", [True, False])
def test_billion_laughs(in_attribute: bool) -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    document = with_doctype(f'<!ENTITY lol0 "lol">{entities}', "&lol9;", in_attribute=in_attribute)

    with pytest.raises(ProtocolError):
        parse(document)


def test_oversize_document() -> None:
    padding = b"<!--" + b"x" * MAX_DOCUMENT_BYTES + b"-->"
    document = metadata_stream(seed_event()).replace(b"<tt:Event>", padding + b"<tt:Event>")

    with pytest.raises(ProtocolError, match="larger than"):
        parse(document)


def test_deep_nesting_is_refused() -> None:
    """libxml2 caps the depth of a tree unless huge trees are allowed."""
    depth = 5000
    document = metadata_stream(b"<tt:a>".decode() * depth + "</tt:a>" * depth)

    with pytest.raises(ProtocolError, match="not well-formed"):
        parse(document)
