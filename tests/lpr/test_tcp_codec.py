"""The TCP type's bytes: framing, login, and recognition posts of firmware 1.0 to 1.6."""

from __future__ import annotations

import dataclasses
import struct
from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.lpr_camera.lpr import (
    Colour,
    Direction,
    InvalidReadError,
    ListType,
    PlateBox,
    PlateRead,
    ProtocolError,
    RadarData,
    VehicleType,
)
from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH
from custom_components.lpr_camera.lpr.tcp_codec import (
    COMM_LOGIN_REPLY,
    COMM_RECOG_POST,
    FIRMWARES,
    IMAGE_CHUNK,
    MAX_DATA_SIZE,
    METADATA_CHUNK,
    Packet,
    PacketDecoder,
    decode_recognition,
    encode_chunk,
    encode_login,
    encode_packet,
    encode_recognition,
    parse_login_reply,
)
from simulator.reads import make_jpeg

TIME = datetime(2026, 11, 26, 8, 30, 15, 250000, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
KOREAN = "부산 02가 1234"  # 17 bytes of UTF-8: one more than the obsolete field holds
PLATE_JPEG = make_jpeg(200, 50, "AB1234")
FULL_JPEG = make_jpeg(1280, 720, "AB1234")


def full_read(plate: str = "AB1234", **changes: Any) -> PlateRead:
    """A read with every field of firmware 1.6 set."""
    read = PlateRead(
        plate=plate,
        time=TIME,
        device_id="04f912bbce94654089afe83cd88f70be",
        direction=Direction.DEPARTING,
        speed=30.0,
        vehicle_type=VehicleType.BUS,
        vehicle_colour=Colour.WHITE,
        plate_colour=Colour.YELLOW,
        list_type=ListType.VISITOR,
        region="WOB/ZK",
        detection_region=1,
        confidence=0.7,
        plate_box=PlateBox(473, 93, 676, 135),
        resolution=(1280, 720),
        radar=RadarData(distance=30, azimuth=3.5, vehicle_count=50),
        plate_image=PLATE_JPEG,
        full_image=FULL_JPEG,
    )
    return dataclasses.replace(read, **changes)


def metadata_only(read: PlateRead, firmware: str) -> bytes:
    return encode_recognition(
        dataclasses.replace(read, plate_image=None, full_image=None), firmware=firmware
    )


# Login


def test_login_matches_the_spec_example() -> None:
    assert encode_login("admin", "1234") == bytes.fromhex(
        "cc ff 01 00 22 00 00 00 7b 22 69 64 22 3a 22 61 64 6d 69 6e 22 2c 22 70 61 73 73 77 6f 72"
        "64 22 3a 22 31 32 33 34 22 7d ff dd"
    )


def test_login_keeps_non_ascii_as_utf8() -> None:
    packet = encode_login("관리자", "pässwörd")
    assert '{"id":"관리자","password":"pässwörd"}'.encode() in packet


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b'{"result": "200"}', "200"),
        (b'{"result": 401}', "401"),
        (b'{"result":"500","extra":1}', "500"),
    ],
)
def test_login_reply(data: bytes, status: str) -> None:
    assert parse_login_reply(data) == status


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        "{“result”: “200”}".encode(),  # the PDF's typographic quotes
        b'{"status": "200"}',
        b'["200"]',
        b'{"result": null}',
        b'{"result": true}',
        b"\xff\xfe",
    ],
)
def test_bad_login_reply(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_login_reply(data)


# Framing


def test_packet_layout() -> None:
    assert encode_packet(0x8801, b"abc") == b"\xcc\xff\x01\x88\x05\x00\x00\x00abc\xff\xdd"


def test_decoder_one_byte_at_a_time() -> None:
    stream = encode_packet(COMM_LOGIN_REPLY, b'{"result":"200"}') + encode_packet(0x1234, b"")
    decoder = PacketDecoder()

    packets = [packet for byte in stream for packet in decoder.feed(bytes([byte]))]

    assert packets == [Packet(COMM_LOGIN_REPLY, b'{"result":"200"}'), Packet(0x1234, b"")]
    assert decoder.discarded_bytes == 0


def test_decoder_coalesced_packets_and_unknown_commands() -> None:
    """Several packets in one read, commands we do not know among them, all come out."""
    sent = [Packet(COMM_LOGIN_REPLY, b"{}"), Packet(0x8802, b"counting"), Packet(0x8801, b"")]
    stream = b"".join(encode_packet(packet.command, packet.data) for packet in sent)

    assert PacketDecoder().feed(stream) == sent


@pytest.mark.parametrize(
    "garbage", [b"junk", b"\xcc", b"\xcc\xcc\xdd", b"\xff\xdd\xcc", b"HTTP/1.1 400\r\n"]
)
def test_decoder_resynchronises_after_garbage(garbage: bytes) -> None:
    packet = encode_packet(COMM_RECOG_POST, b"payload")
    decoder = PacketDecoder()

    packets = decoder.feed(garbage) + decoder.feed(packet) + decoder.feed(garbage + packet)

    assert packets == [Packet(COMM_RECOG_POST, b"payload")] * 2
    assert decoder.discarded_bytes == 2 * len(garbage)


def test_decoder_keeps_a_trailing_half_signature() -> None:
    packet = encode_packet(COMM_RECOG_POST, b"payload")
    decoder = PacketDecoder()

    assert decoder.feed(b"junk" + packet[:1]) == []
    assert decoder.feed(packet[1:]) == [Packet(COMM_RECOG_POST, b"payload")]
    assert decoder.discarded_bytes == 4


@pytest.mark.parametrize("size", [MAX_DATA_SIZE + 1, 0xFFFFFFFF, 0, 1])
def test_decoder_rejects_hostile_size_before_buffering(size: int) -> None:
    decoder = PacketDecoder()

    with pytest.raises(ProtocolError, match="claims"):
        decoder.feed(b"\xcc\xff\x01\x88" + struct.pack("<I", size))

    assert len(decoder._buffer) == 8


def test_decoder_waits_for_a_large_packet_without_preallocating() -> None:
    decoder = PacketDecoder()
    assert decoder.feed(b"\xcc\xff\x01\x88" + struct.pack("<I", MAX_DATA_SIZE) + b"x" * 100) == []
    assert len(decoder._buffer) == 108


def test_decoder_rejects_a_bad_end_signature() -> None:
    packet = bytearray(encode_packet(COMM_RECOG_POST, b"payload"))
    packet[-1] = 0x00

    with pytest.raises(ProtocolError, match="FF DD"):
        PacketDecoder().feed(bytes(packet))


# Recognition posts


def metadata_size(firmware: str, plate_length: int) -> int:
    """The seed's sizes: 1.0 45, 1.1 46, 1.2 79, 1.3 80+n, 1.4 81+n, 1.5 98+n, 1.6 110+n."""
    fixed = {"1.0": 45, "1.1": 46, "1.2": 79}
    if firmware in fixed:
        return fixed[firmware]
    return {"1.3": 80, "1.4": 81, "1.5": 98, "1.6": 110}[firmware] + plate_length


FIELDS_BY_FIRMWARE = {
    "1.0": {"plate", "device_id", "time", "speed", "vehicle_colour", "plate_colour"},
    "1.1": {"direction"},
    "1.2": {"region", "detection_region"},
    "1.3": set(),  # the full plate: tested on its own below
    "1.4": {"vehicle_type"},
    "1.5": {"confidence", "list_type", "radar"},
    "1.6": {"resolution", "plate_box"},
}


@pytest.mark.parametrize("firmware", FIRMWARES)
def test_every_firmware_round_trips_its_fields(firmware: str) -> None:
    read = full_read()
    present = set().union(*(FIELDS_BY_FIRMWARE[v] for v in FIRMWARES if v <= firmware))
    metadata = metadata_only(read, firmware)

    decoded = decode_recognition(encode_recognition(read, firmware=firmware))

    assert metadata[:4] == METADATA_CHUNK
    assert struct.unpack_from("<I", metadata, 4)[0] == metadata_size(firmware, len(read.plate))
    for name in FIELDS_BY_FIRMWARE["1.0"] | FIELDS_BY_FIRMWARE["1.6"] | {"vehicle_type", "radar"}:
        if name in present:
            assert getattr(decoded, name) == getattr(read, name), name
        elif name == "direction":
            assert decoded.direction is Direction.UNKNOWN
        else:
            assert getattr(decoded, name) is None, name
    assert decoded.plate_image == PLATE_JPEG
    assert decoded.full_image == FULL_JPEG
    assert decoded.raw["firmware"] == firmware
    assert decoded.raw["image_count"] == 2


def test_raw_keeps_the_numeric_codes() -> None:
    decoded = decode_recognition(encode_recognition(full_read()))
    assert decoded.raw == {
        "firmware": "1.6",
        "vehicle_colour": 7,
        "plate_colour": 8,
        "image_count": 2,
        "direction": 2,
        "roi_id": 1,
        "vehicle_type": 3,
        "plate_type": 3,
    }


@pytest.mark.parametrize(
    ("plate", "firmware", "expected"),
    [
        (KOREAN, "1.2", "부산 02가 123"),  # cut after 16 bytes
        ("경기 12가나다", "1.0", "경기 12가나"),  # cut inside 다: the valid prefix, no U+FFFD
        (KOREAN, "1.3", KOREAN),  # field 12 carries the whole plate
        (KOREAN, "1.6", KOREAN),
    ],
)
def test_korean_plates(plate: str, firmware: str, expected: str) -> None:
    decoded = decode_recognition(encode_recognition(full_read(plate), firmware=firmware))
    assert decoded.plate == expected


def test_empty_plate_field_falls_back_to_the_obsolete_one() -> None:
    data = bytearray(metadata_only(full_read("AB1234"), "1.2"))
    data += b"\x00"  # firmware 1.3 layout with an empty plate
    data[4:8] = struct.pack("<I", 80)

    assert decode_recognition(bytes(data)).plate == "AB1234"


@pytest.mark.parametrize("firmware", ["1.3", "1.6"])
def test_a_plate_too_long_is_no_read(firmware: str) -> None:
    """Over 32 characters after trimming (in characters, not bytes) is no plate."""
    longest = full_read(f" {'Ü' * MAX_PLATE_LENGTH} ")
    assert decode_recognition(encode_recognition(longest)).plate == "Ü" * MAX_PLATE_LENGTH

    too_long = encode_recognition(full_read("X" * (MAX_PLATE_LENGTH + 1)), firmware=firmware)
    with pytest.raises(InvalidReadError, match=f"longer than {MAX_PLATE_LENGTH} characters"):
        decode_recognition(too_long)


def test_unknown_codes_stay_visible_as_numbers() -> None:
    read = full_read(vehicle_colour="13", vehicle_type="9", list_type="4", direction="7")

    decoded = decode_recognition(encode_recognition(read))

    assert (decoded.vehicle_colour, decoded.vehicle_type) == ("13", "9")
    assert (decoded.list_type, decoded.direction) == ("4", "7")


def test_unmeasured_values_are_absent() -> None:
    """Zero radar, geometry and device id mean the camera did not fill them."""
    read = full_read(radar=None, resolution=None, plate_box=None, device_id=None)

    decoded = decode_recognition(encode_recognition(read))

    assert decoded.radar is None
    assert decoded.resolution is None
    assert decoded.plate_box is None
    assert decoded.device_id is None


@pytest.mark.parametrize(("sent", "expected"), [(87.5, 0.875), (250.0, 1.0), (-1.0, 0.0)])
def test_confidence_is_normalised(sent: float, expected: float) -> None:
    decoded = decode_recognition(encode_recognition(full_read(confidence=sent)))
    assert decoded.confidence == expected


@pytest.mark.parametrize("sent", [0.7, 0.000986, 0.999999, 0.123456])
def test_float32_noise_is_dropped(sent: float) -> None:
    decoded = decode_recognition(encode_recognition(full_read(confidence=sent)))
    assert decoded.confidence == sent


def test_confidence_not_a_number_is_absent() -> None:
    decoded = decode_recognition(encode_recognition(full_read(confidence=float("nan"))))
    assert decoded.confidence is None


@pytest.mark.parametrize("milliseconds", [0, 2**64 - 1])
def test_unusable_camera_clock_gives_the_arrival_time(milliseconds: int) -> None:
    data = bytearray(metadata_only(full_read(), "1.6"))
    struct.pack_into("<Q", data, 8 + 16, milliseconds)

    assert decode_recognition(bytes(data), received_at=RECEIVED).time == RECEIVED


def test_newer_firmware_trailing_bytes_are_ignored() -> None:
    metadata = metadata_only(full_read(), "1.6")
    body = metadata[8:] + b"\x01\x02\x03 future fields"
    data = encode_chunk(METADATA_CHUNK, body) + encode_chunk(IMAGE_CHUNK, FULL_JPEG)

    decoded = decode_recognition(data)

    assert decoded.raw["firmware"] == "1.6"
    assert decoded.plate_box == PlateBox(473, 93, 676, 135)
    assert decoded.full_image == FULL_JPEG


def test_unknown_chunks_are_skipped() -> None:
    data = encode_chunk(b"\x33\xff\x00\x00", b"whatever") + encode_recognition(full_read())
    assert decode_recognition(data).plate == "AB1234"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(encode_chunk(IMAGE_CHUNK, PLATE_JPEG), id="no metadata"),
        pytest.param(encode_chunk(METADATA_CHUNK, b"\x00" * 44), id="metadata too short"),
        pytest.param(encode_recognition(full_read())[:-1], id="truncated image chunk"),
        pytest.param(encode_recognition(full_read()) + b"\x22\xff", id="stray bytes"),
    ],
)
def test_broken_posts(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_recognition(data)


def test_chunk_size_beyond_the_data() -> None:
    metadata = bytearray(metadata_only(full_read(), "1.6"))
    metadata[4:8] = struct.pack("<I", len(metadata))  # 8 bytes more than follow

    with pytest.raises(ProtocolError, match="claims"):
        decode_recognition(bytes(metadata))


def test_plate_length_beyond_the_chunk() -> None:
    data = bytearray(metadata_only(full_read(), "1.3"))
    data[8 + 79] = 200

    with pytest.raises(ProtocolError, match="plate"):
        decode_recognition(bytes(data))


@pytest.mark.parametrize("order", [(PLATE_JPEG, FULL_JPEG), (FULL_JPEG, PLATE_JPEG)])
def test_plate_crop_and_snapshot_told_apart_in_any_order(order: tuple[bytes, bytes]) -> None:
    data = metadata_only(full_read(), "1.6") + b"".join(
        encode_chunk(IMAGE_CHUNK, image) for image in order
    )

    decoded = decode_recognition(data)

    assert decoded.plate_image == PLATE_JPEG
    assert decoded.full_image == FULL_JPEG


@pytest.mark.parametrize(
    ("image", "resolution", "is_full"),
    [
        (FULL_JPEG, (1280, 720), True),
        (PLATE_JPEG, (1280, 720), False),
        (make_jpeg(320, 180, "small"), (320, 180), True),  # as wide as the processing resolution
        (make_jpeg(800, 450, "wide"), None, True),
        (b"not a jpeg", None, False),
    ],
)
def test_a_lone_picture(image: bytes, resolution: tuple[int, int] | None, is_full: bool) -> None:
    data = metadata_only(full_read(resolution=resolution), "1.6") + encode_chunk(IMAGE_CHUNK, image)

    decoded = decode_recognition(data)

    assert (decoded.full_image, decoded.plate_image) == (
        (image, None) if is_full else (None, image)
    )


def test_no_pictures() -> None:
    decoded = decode_recognition(metadata_only(full_read(), "1.6"))
    assert (decoded.plate_image, decoded.full_image) == (None, None)


def test_unknown_firmware_cannot_be_encoded() -> None:
    with pytest.raises(ValueError, match="firmware"):
        encode_recognition(full_read(), firmware="2.0")
