"""RTP packets and reassembling metadata documents from them."""

from __future__ import annotations

import gzip
import logging
import struct

import pytest

from custom_components.lpr_camera.lpr import ProtocolError
from custom_components.lpr_camera.lpr.rtp import (
    MAX_DOCUMENT_BYTES,
    MetadataReassembler,
    RtpPacket,
    parse_rtp,
)
from simulator.rtsp_server import rtp_packet, split_document

DOCUMENT = b"<tt:MetadataStream>" + b"x" * 3000 + b"</tt:MetadataStream>"


def packet(payload: bytes, sequence: int, marker: bool = False) -> RtpPacket:
    return RtpPacket(
        payload_type=96, marker=marker, sequence=sequence, timestamp=0, payload=payload
    )


def push_all(reassembler: MetadataReassembler, packets: list[bytes]) -> list[bytes]:
    return [d for data in packets if (d := reassembler.push(parse_rtp(data))) is not None]


# Parsing packets


def test_plain_packet() -> None:
    parsed = parse_rtp(
        rtp_packet(b"<xml/>", sequence=65535, marker=True, payload_type=107, timestamp=90000)
    )

    assert parsed == RtpPacket(
        payload_type=107, marker=True, sequence=65535, timestamp=90000, payload=b"<xml/>"
    )


def test_csrcs_extension_and_padding_are_skipped() -> None:
    data = rtp_packet(b"payload", sequence=1, csrcs=2, extension=b"\x01\x02\x03\x04" * 2, padding=3)

    assert parse_rtp(data).payload == b"payload"


def test_empty_extension_and_all_padding() -> None:
    assert parse_rtp(rtp_packet(b"", sequence=1, extension=b"", padding=4)).payload == b""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x80\x60\x00", "shorter than its header"),
        (b"\x40" + bytes(11), "RTP version 1"),
        (b"\x83" + bytes(11) + bytes(8), "header runs past"),
        (b"\x90" + bytes(11) + b"\xab\xac", "extension runs past"),
        (b"\x90" + bytes(11) + b"\xab\xac\x00\x02" + bytes(4), "header runs past"),
        (b"\xa0" + bytes(11) + b"data\x00", "padding runs past"),
        (b"\xa0" + bytes(11) + b"data\x06", "padding runs past"),
    ],
)
def test_broken_packets(data: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        parse_rtp(data)


# Reassembling documents


def test_document_in_one_packet() -> None:
    reassembler = MetadataReassembler(gzip=False)

    assert reassembler.push(packet(b"<a/>", 7, marker=True)) == b"<a/>"


def test_document_split_over_many_packets_with_varying_timestamps() -> None:
    packets = split_document(DOCUMENT, size=100, first_sequence=0)
    packets = [data[:4] + struct.pack("!I", i) + data[8:] for i, data in enumerate(packets)]

    assert push_all(MetadataReassembler(gzip=False), packets) == [DOCUMENT]


def test_documents_follow_each_other_across_the_sequence_wrap() -> None:
    first = split_document(b"<first/>", size=3, first_sequence=65533)
    second = split_document(b"<second/>", size=3, first_sequence=(65533 + len(first)) % 65536)

    assert push_all(MetadataReassembler(gzip=False), first + second) == [b"<first/>", b"<second/>"]


def test_a_gap_drops_the_document_in_progress(caplog: pytest.LogCaptureFixture) -> None:
    broken = split_document(b"<first>lost</first>", size=4, first_sequence=10)
    following = split_document(b"<second/>", size=4, first_sequence=10 + len(broken))
    del broken[2]

    with caplog.at_level(logging.DEBUG):
        documents = push_all(MetadataReassembler(gzip=False), broken + following)

    assert documents == [b"<second/>"]
    assert "sequence jumped from 12 to 13" in caplog.text


def metadata_document(
    text: str, start: str = '<?xml version="1.0"?>\n<tt:MetadataStream>'
) -> bytes:
    return f"{start}{text}</tt:MetadataStream>".encode()


@pytest.mark.parametrize(
    "start",
    [
        '<?xml version="1.0" encoding="UTF-8"?><tt:MetaDataStream>',
        "\ufeff<?xml version='1.0'?><tt:MetadataStream>",
        "\r\n<tt:MetaDataStream xmlns:tt='http://www.onvif.org/ver10/schema'>",
        "<MetadataStream>",
    ],
)
def test_a_lost_closing_packet_loses_that_document_only(start: str) -> None:
    """The packet after the gap starts a document: it is collected, not dropped to the marker."""
    first, second, third = (metadata_document(name * 40, start) for name in ("one", "two", "3"))
    broken = split_document(first, size=64, first_sequence=0)
    following = split_document(second, size=64, first_sequence=len(broken))
    following += split_document(third, size=64, first_sequence=len(broken) + len(following))

    documents = push_all(MetadataReassembler(gzip=False), broken[:-1] + following)

    assert documents == [second, third]


def test_a_lost_closing_packet_on_a_gzip_track_loses_that_document_only() -> None:
    first, second = gzip.compress(DOCUMENT), gzip.compress(DOCUMENT.replace(b"x", b"y"))
    broken = split_document(first, size=20, first_sequence=0)
    following = split_document(second, size=20, first_sequence=len(broken))

    assert push_all(MetadataReassembler(gzip=True), broken[:-1] + following) == [
        DOCUMENT.replace(b"x", b"y")
    ]


def test_after_a_gap_a_packet_that_starts_no_document_is_dropped_to_the_marker() -> None:
    """Mid-document text is no start, even when it looks like XML."""
    broken = split_document(metadata_document("<a/>" * 20), size=20, first_sequence=0)
    del broken[1]
    following = split_document(metadata_document("next"), size=20, first_sequence=len(broken) + 1)

    documents = push_all(MetadataReassembler(gzip=False), broken + following)

    assert documents == [metadata_document("next")]


def test_a_gap_between_documents_drops_the_one_it_cuts() -> None:
    first = split_document(b"<first/>", size=4, first_sequence=0)
    after_gap = split_document(b"<tail/>", size=4, first_sequence=len(first) + 1)

    assert push_all(MetadataReassembler(gzip=False), first + after_gap) == [b"<first/>"]


def test_oversize_document_is_dropped_and_the_next_one_kept() -> None:
    reassembler = MetadataReassembler(gzip=False, limit=10)
    packets = [packet(b"123456", 0), packet(b"789012", 1), packet(b"more", 2, marker=True)]

    assert reassembler.push(packets[0]) is None
    with pytest.raises(ProtocolError, match="larger than 10 bytes"):
        reassembler.push(packets[1])
    assert reassembler.push(packets[2]) is None
    assert reassembler.push(packet(b"<next/>", 3, marker=True)) == b"<next/>"


def test_oversize_in_the_closing_packet() -> None:
    reassembler = MetadataReassembler(gzip=False, limit=10)

    with pytest.raises(ProtocolError):
        reassembler.push(packet(b"12345678901", 0, marker=True))
    assert reassembler.push(packet(b"<next/>", 1, marker=True)) == b"<next/>"


def test_default_cap_is_one_mebibyte() -> None:
    reassembler = MetadataReassembler(gzip=False)
    chunk = bytes(64 * 1024)

    for sequence in range(MAX_DOCUMENT_BYTES // len(chunk)):
        assert reassembler.push(packet(chunk, sequence)) is None
    with pytest.raises(ProtocolError):
        reassembler.push(packet(b"!", 16))
    assert MAX_DOCUMENT_BYTES == 1024 * 1024


def test_gzip_document() -> None:
    packets = split_document(gzip.compress(DOCUMENT), size=50, first_sequence=0)

    assert push_all(MetadataReassembler(gzip=True), packets) == [DOCUMENT]


def test_gzip_bomb_is_cut_at_the_cap() -> None:
    packets = split_document(gzip.compress(bytes(20 * 1024 * 1024)), size=1400, first_sequence=0)
    reassembler = MetadataReassembler(gzip=True)

    with pytest.raises(ProtocolError, match="inflating past"):
        push_all(reassembler, packets)
    next_document = packet(gzip.compress(b"<next/>"), len(packets), marker=True)
    assert reassembler.push(next_document) == b"<next/>"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"<not-gzip/>", "not valid gzip"),
        (gzip.compress(DOCUMENT)[:-20], "ends inside its gzip stream"),
    ],
)
def test_broken_gzip(payload: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        MetadataReassembler(gzip=True).push(packet(payload, 0, marker=True))
