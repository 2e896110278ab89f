"""Reads that look decoded from a TCP metadata layout we do not know, and their masked chunk."""

from __future__ import annotations

import dataclasses
import struct
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.lpr_camera.lpr.tcp_codec import (
    FIRMWARES,
    MAX_CLOCK_OFFSET,
    UnusualMetadata,
    encode_recognition,
    mask_metadata,
    unusual_metadata,
)
from simulator.reads import sample_read

RECEIVED = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CHUNK_HEADER = 8  # chunk id and size, before the metadata chunk's body
TIME_AT = 16  # field 2, after the device id


def post(plate: str = "AB1234", firmware: str = "1.6", time: datetime = RECEIVED) -> bytes:
    """A firmware's post of a read without pictures, sent at the time of receipt by default."""
    read = dataclasses.replace(sample_read(plate), time=time, plate_image=None, full_image=None)
    return encode_recognition(read, firmware=firmware)


def metadata_body(data: bytes) -> bytes:
    size = struct.unpack_from("<I", data, 4)[0]
    return data[CHUNK_HEADER : CHUNK_HEADER + size]


def with_time(data: bytes, milliseconds: int) -> bytes:
    changed = bytearray(data)
    struct.pack_into("<Q", changed, CHUNK_HEADER + TIME_AT, milliseconds)
    return bytes(changed)


def check(data: bytes) -> UnusualMetadata | None:
    return unusual_metadata(data, received_at=RECEIVED)


@pytest.mark.parametrize("firmware", FIRMWARES)
def test_a_read_as_the_table_says_is_not_unusual(firmware: str) -> None:
    assert check(post("부산 02가 1234", firmware)) is None


@pytest.mark.parametrize(
    "offset",
    [
        timedelta(hours=14),  # a camera set to the wrong time zone
        -timedelta(hours=12),
        MAX_CLOCK_OFFSET,
        -MAX_CLOCK_OFFSET,
    ],
)
def test_a_clock_up_to_a_day_off_is_not_unusual(offset: timedelta) -> None:
    assert check(post(time=RECEIVED + offset)) is None


def test_no_time_at_all_is_not_unusual() -> None:
    """Time 0 is the camera saying it has none: the time of receipt stands in, as documented."""
    assert check(with_time(post(), 0)) is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            post(time=RECEIVED + MAX_CLOCK_OFFSET + timedelta(milliseconds=1)),
            "the time, 2026-11-27T09:00:00.001000+00:00, is more than a day off",
        ),
        (post(time=datetime(2000, 1, 1, tzinfo=UTC)), "the time, 2000-01-01T00:00:00+00:00, is"),
        (with_time(post(), 2**64 - 1), "the time is beyond the year 9999"),
        (post("AB\x0712"), "the plate has control characters"),
        (post("AB\x7f12", firmware="1.0"), "the plate has control characters"),
        (post("AB12").replace(b"AB12", b"AB\xff2"), "the plate has bytes that are no UTF-8"),
    ],
)
def test_unusual_reads(data: bytes, reason: str) -> None:
    unusual = check(data)

    assert unusual is not None
    [found] = unusual.reasons
    assert found.startswith(reason)
    assert unusual.received_at == RECEIVED


def test_every_reason_is_given() -> None:
    unusual = check(post("AB\x0112", time=RECEIVED - timedelta(days=400)))

    assert unusual is not None
    assert len(unusual.reasons) == 2
    assert unusual.firmware == "1.6"


def test_the_chunk_in_hex_has_the_plate_masked_and_nothing_else_changed() -> None:
    data = post("AB\x0712CD")
    unusual = check(data)
    assert unusual is not None

    reported = bytes.fromhex(unusual.metadata_hex)
    sent = metadata_body(data)

    assert len(reported) == len(sent)
    assert b"AB\x0712CD" not in reported
    # Field 3 masked whole (16 bytes, its NUL padding too), field 12 masked (its 7 bytes).
    assert reported[24:40] == b"A" + b"*" * 14 + b"\0"
    assert reported[80:87] == b"A*****D"
    changed = [i for i, (a, b) in enumerate(zip(reported, sent, strict=True)) if a != b]
    assert set(changed) <= set(range(24, 40)) | set(range(80, 87))
    assert unusual.as_dict() == {
        "received_at": "2026-11-26T09:00:00+00:00",
        "firmware": "1.6",
        "reasons": ["the plate has control characters"],
        "metadata_hex": unusual.metadata_hex,
    }


def test_older_firmware_has_only_the_obsolete_field_to_mask() -> None:
    sent = metadata_body(post("XY\x01987", firmware="1.2"))

    masked = mask_metadata(sent)

    assert masked[24:40] == b"X" + b"*" * 14 + b"\0"
    assert masked[:24] == sent[:24]
    assert masked[40:] == sent[40:]


@given(st.binary(min_size=45, max_size=400))
def test_masking_keeps_the_layout_of_any_chunk(metadata: bytes) -> None:
    masked = mask_metadata(metadata)

    assert len(masked) == len(metadata)
    plate_end = 80 + metadata[79] if len(metadata) >= 80 else 0
    for index, (before, after) in enumerate(zip(metadata, masked, strict=True)):
        if before != after:
            assert 24 <= index < 40 or 80 <= index < plate_end
            assert after == ord("*")
