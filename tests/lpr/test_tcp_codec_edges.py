"""The TCP type's edges: a packet of exactly the size limit, zero-length chunks at a post's end."""

from __future__ import annotations

import dataclasses
import struct
from datetime import UTC, datetime

import pytest

from custom_components.lpr_camera.lpr import ProtocolError
from custom_components.lpr_camera.lpr.tcp_codec import (
    COMM_RECOG_POST,
    IMAGE_CHUNK,
    Packet,
    PacketDecoder,
    decode_recognition,
    encode_chunk,
    encode_packet,
    encode_recognition,
)
from simulator.reads import sample_read

# The largest DATA_SIZE a packet may claim (DATA plus its FF DD end): 16 MiB.
SIZE_LIMIT = 16 * 1024 * 1024
UNKNOWN_CHUNK = b"\x33\xff\x00\x00"
READ = sample_read("AB1234", time=datetime(2026, 11, 26, 8, 30, tzinfo=UTC))


def test_a_packet_of_exactly_the_size_limit_is_read() -> None:
    data = b"x" * (SIZE_LIMIT - 2)
    decoder = PacketDecoder()

    assert decoder.feed(encode_packet(COMM_RECOG_POST, data)) == [Packet(COMM_RECOG_POST, data)]


def test_a_packet_one_byte_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ProtocolError, match=f"claims {SIZE_LIMIT + 1} bytes"):
        PacketDecoder().feed(b"\xcc\xff\x01\x88" + struct.pack("<I", SIZE_LIMIT + 1))


@pytest.mark.parametrize("chunk_id", [UNKNOWN_CHUNK, IMAGE_CHUNK], ids=["unknown", "image"])
def test_a_trailing_zero_length_chunk_changes_nothing(chunk_id: bytes) -> None:
    """An empty chunk at the post's end (8 bytes of header, no body): an empty picture is none."""
    post = encode_recognition(READ)

    decoded = decode_recognition(post + encode_chunk(chunk_id, b""))

    assert decoded == decode_recognition(post)
    assert decoded.plate_image == READ.plate_image
    assert decoded.full_image == READ.full_image


def test_an_empty_picture_alone_is_no_picture() -> None:
    post = encode_recognition(dataclasses.replace(READ, plate_image=None, full_image=None))

    decoded = decode_recognition(post + encode_chunk(IMAGE_CHUNK, b""))

    assert (decoded.plate, decoded.plate_image, decoded.full_image) == ("AB1234", None, None)
