"""Properties of the parsers that read what a camera sends, for any input (Hypothesis).

For any bytes or text, only the library's own errors (LprError) escape, and what comes out is
bounded by what went in; where a format can be written as well as read, what is written reads
back the same. The HTTP push parser's properties are in its own tests.

The number of examples is the profile's (tests/conftest.py): modest in CI, a long pass with
`scripts/benchmark.py --properties`.
"""

from __future__ import annotations

import contextlib
import itertools
import struct
from datetime import UTC, datetime
from enum import StrEnum
from xml.sax.saxutils import escape

from hypothesis import example, given
from hypothesis import strategies as st

from custom_components.lpr_camera.lpr import (
    Colour,
    Direction,
    ListType,
    LprError,
    NoMetadataTrackError,
    PlateBox,
    PlateRead,
    ProtocolError,
    RadarData,
    VehicleType,
)
from custom_components.lpr_camera.lpr.digest import Authenticator, parse_challenges, strongest
from custom_components.lpr_camera.lpr.onvif import parse_metadata
from custom_components.lpr_camera.lpr.sdp import find_metadata_track
from custom_components.lpr_camera.lpr.tcp_codec import (
    COMM_RECOG_POST,
    IMAGE_CHUNK,
    MAX_DATA_SIZE,
    METADATA_CHUNK,
    SIG,
    Packet,
    PacketDecoder,
    decode_recognition,
    encode_chunk,
    encode_packet,
    encode_recognition,
)
from simulator.onvif_documents import metadata_stream, seed_event, standard_event

RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
# Hypothesis takes naive bounds and adds the time zone it is given.
AFTER_EPOCH = datetime(1970, 1, 1, 0, 0, 1)  # noqa: DTZ001
UTC_TIMES = st.datetimes(min_value=AFTER_EPOCH, timezones=st.just(UTC))
HEADER_SIZE = 8  # SIG, command, data size


def pieces(data: bytes, cuts: list[int]) -> list[bytes]:
    """The bytes cut where `cuts` say, as a socket may hand them over."""
    points = sorted({cut % (len(data) + 1) for cut in cuts} | {0, len(data)})
    return [data[start:end] for start, end in itertools.pairwise(points)]


cut_points = st.lists(st.integers(min_value=0), max_size=20)
packets = st.lists(st.builds(Packet, st.integers(0, 0xFFFF), st.binary(max_size=300)), max_size=5)


# The TCP type: framing


def assert_at_most_one_packet_buffered(decoder: PacketDecoder) -> None:
    """Between reads, the decoder keeps only the start of one packet it waits for."""
    buffer = bytes(decoder._buffer)
    if buffer in (b"", SIG[:1]):
        return
    assert buffer.startswith(SIG)
    if len(buffer) >= HEADER_SIZE:
        (size,) = struct.unpack_from("<I", buffer, 4)
        assert len(buffer) < HEADER_SIZE + size <= HEADER_SIZE + MAX_DATA_SIZE


@given(sent=packets, cuts=cut_points)
def test_packets_come_out_whole_however_the_stream_is_cut(
    sent: list[Packet], cuts: list[int]
) -> None:
    stream = b"".join(encode_packet(packet.command, packet.data) for packet in sent)
    decoder = PacketDecoder()

    received = [packet for piece in pieces(stream, cuts) for packet in decoder.feed(piece)]

    assert received == sent
    assert decoder.discarded_bytes == 0
    assert decoder._buffer == b""


@given(garbage=st.binary(max_size=200).filter(lambda data: SIG not in data), sent=packets)
def test_bytes_before_a_signature_are_skipped(garbage: bytes, sent: list[Packet]) -> None:
    stream = garbage + b"".join(encode_packet(packet.command, packet.data) for packet in sent)
    decoder = PacketDecoder()

    assert decoder.feed(stream) == sent
    assert decoder.discarded_bytes == len(garbage) - garbage.endswith(SIG[:1]) * (not sent)


@given(
    stream=st.one_of(
        st.binary(max_size=2000),
        # Mostly signatures and plausible headers: the decoder gets past its first check.
        st.lists(
            st.one_of(
                st.just(SIG),
                st.binary(max_size=12),
                st.builds(
                    struct.pack,
                    st.just("<2sHI"),
                    st.just(SIG),
                    st.integers(0, 0xFFFF),
                    st.one_of(st.integers(0, 600), st.integers(0, 0xFFFFFFFF)),
                ),
                st.just(b"\xff\xdd"),
            ),
            max_size=30,
        ).map(b"".join),
    ),
    cuts=cut_points,
)
def test_any_stream_gives_packets_or_a_protocol_error(stream: bytes, cuts: list[int]) -> None:
    """The connection is dropped at the first ProtocolError; until then memory stays bounded."""
    decoder = PacketDecoder()
    received: list[Packet] = []
    try:
        for piece in pieces(stream, cuts):
            received += decoder.feed(piece)
            assert_at_most_one_packet_buffered(decoder)
    except ProtocolError:
        pass
    assert sum(HEADER_SIZE + len(packet.data) + 2 for packet in received) <= len(stream)


# The TCP type: recognition posts


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a JPEG up to its frame header: all the decoder looks at."""
    return b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width) + bytes(12)


def codes(table: type[StrEnum], unknown_from: int) -> st.SearchStrategy[StrEnum | str]:
    """A member of the camera's table, or a code beyond it (kept as its number)."""
    return st.one_of(st.sampled_from(list(table)), st.integers(unknown_from, 255).map(str))


def fits(size: int) -> st.SearchStrategy[str]:
    """Text as a camera writes it in a field of `size` bytes: trimmed, no NUL."""
    return st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\0"),
        min_size=1,
        max_size=size,
    ).filter(lambda text: text == text.strip() != "" and len(text.encode()) <= size)


def milliseconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


nonzero = st.integers(1, 0xFFFF)


@st.composite
def pictures(draw: st.DrawFn, resolution_width: int | None) -> tuple[bytes | None, bytes | None]:
    """The plate crop and the snapshot: none, both, or one the decoder can tell apart.

    The snapshot is the larger picture; alone, it is at least 640 wide (or as wide as the
    resolution), and the crop is not.
    """
    width = draw(st.integers(1, 639).filter(lambda width: width != resolution_width))
    plate = jpeg_header(width, draw(nonzero))
    full = jpeg_header(draw(st.integers(640, 0xFFFF)), 0xFFFF)
    padding = st.binary(max_size=50)
    return (
        draw(st.sampled_from([None, plate + draw(padding)])),
        draw(st.sampled_from([None, full + draw(padding)])),
    )


@st.composite
def firmware_16_reads(draw: st.DrawFn) -> PlateRead:
    """Any read a camera on firmware 1.6 can send: every field within what the protocol carries."""
    resolution = draw(st.one_of(st.none(), st.tuples(nonzero, nonzero)))
    box = st.builds(PlateBox, *[st.integers(0, 0xFFFF)] * 4).filter(
        lambda box: any((box.x1, box.y1, box.x2, box.y2))
    )
    radar = st.builds(
        RadarData,
        st.integers(-(2**31), 2**31 - 1),
        st.integers(-36000, 36000).map(lambda hundredths: hundredths / 100),
        st.integers(-(2**31), 2**31 - 1),
    ).filter(lambda radar: any((radar.distance, radar.azimuth, radar.vehicle_count)))
    plate_image, full_image = draw(pictures(resolution[0] if resolution else None))
    return PlateRead(
        plate=draw(fits(32)),
        time=milliseconds(draw(UTC_TIMES)),
        device_id=draw(
            st.one_of(st.none(), st.binary(min_size=16, max_size=16).filter(any).map(bytes.hex))
        ),
        direction=draw(codes(Direction, 3)),
        speed=float(draw(st.integers(0, 0xFFFF))),
        vehicle_type=draw(codes(VehicleType, 6)),
        vehicle_colour=draw(codes(Colour, 11)),
        plate_colour=draw(codes(Colour, 11)),
        list_type=draw(codes(ListType, 4)),
        region=draw(st.one_of(st.none(), fits(32))),
        detection_region=draw(st.one_of(st.none(), st.integers(1, 255))),
        confidence=draw(st.integers(0, 10**6)) / 10**6,
        plate_box=draw(st.one_of(st.none(), box)),
        resolution=resolution,
        radar=draw(st.one_of(st.none(), radar)),
        plate_image=plate_image,
        full_image=full_image,
    )


@given(read=firmware_16_reads(), cuts=cut_points)
def test_every_read_arrives_as_sent_however_the_stream_is_cut(
    read: PlateRead, cuts: list[int]
) -> None:
    stream = encode_packet(COMM_RECOG_POST, encode_recognition(read))
    decoder = PacketDecoder()

    [packet] = [packet for piece in pieces(stream, cuts) for packet in decoder.feed(piece)]
    decoded = decode_recognition(packet.data)

    assert decoded.as_dict() | {"raw": {}} == read.as_dict()
    assert (decoded.plate_image, decoded.full_image) == (read.plate_image, read.full_image)


chunk_ids = st.sampled_from([METADATA_CHUNK, IMAGE_CHUNK, b"\x33\xff\x00\x00"])
chunks = st.builds(encode_chunk, chunk_ids, st.binary(max_size=300))


@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.lists(chunks, max_size=4).map(b"".join),
        # Well-framed chunks with a claimed size that may not fit.
        st.lists(
            st.builds(
                lambda chunk_id, size, body: chunk_id + struct.pack("<I", size) + body,
                chunk_ids,
                st.integers(0, 400),
                st.binary(max_size=300),
            ),
            max_size=4,
        ).map(b"".join),
    )
)
def test_any_recognition_post_gives_a_read_or_a_protocol_error(data: bytes) -> None:
    try:
        read = decode_recognition(data, received_at=RECEIVED)
    except ProtocolError:
        return
    assert len(read.plate) <= len(data)
    pictures_size = len(read.plate_image or b"") + len(read.full_image or b"")
    assert pictures_size <= len(data)


# ONVIF metadata (RTSP type)

xml_text = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"),
    max_size=40,
)
any_text = st.text(max_size=40)


def attribute(value: str) -> str:
    """A value for the documents' double-quoted attributes."""
    return escape(value, {'"': "&quot;"})


events = st.one_of(
    st.builds(
        lambda plate, picture, speed, direction, time, operation: seed_event(
            attribute(plate),
            picture=attribute(picture),
            speed=attribute(speed),
            direction=attribute(direction),
            time=attribute(time),
            operation=attribute(operation),
        ),
        *[st.one_of(xml_text, any_text)] * 5,
        st.sampled_from(["Changed", "Initialized", "Deleted", ""]),
    ),
    st.builds(
        lambda plate, time: standard_event(escape(plate), time=attribute(time)),
        st.one_of(xml_text, any_text),
        st.one_of(xml_text, any_text),
    ),
)


def mutated(document: bytes, position: int, replacement: bytes, length: int) -> bytes:
    position %= len(document) + 1
    return document[:position] + replacement + document[position + length :]


documents = st.one_of(
    st.binary(max_size=500),
    st.lists(events, max_size=3).map(lambda found: metadata_stream(*found)),
    st.builds(
        mutated,
        st.lists(events, min_size=1, max_size=2).map(lambda found: metadata_stream(*found)),
        st.integers(min_value=0),
        st.binary(max_size=8),
        st.integers(0, 20),
    ),
)


@given(document=documents)
def test_any_metadata_document_gives_reads_or_a_protocol_error(document: bytes) -> None:
    try:
        found = parse_metadata(document, received_at=RECEIVED)
    except ProtocolError:
        return
    assert len(found) <= document.count(b"NotificationMessage")
    for event in found:
        assert 0 < len(event.read.plate) <= len(document)


plates = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\ufffe\uffff"),
    min_size=1,
    max_size=32,
).filter(lambda plate: plate == plate.strip() and plate not in ("", "-"))


@given(
    plate=plates,
    moment=UTC_TIMES,
    speed=st.integers(0, 400),
    standard=st.booleans(),
)
def test_a_plate_event_reads_back_as_written(
    plate: str, moment: datetime, speed: int, standard: bool
) -> None:
    time = moment.isoformat()
    if standard:
        document = metadata_stream(standard_event(escape(plate), time=time))
    else:
        document = metadata_stream(seed_event(attribute(plate), time=time, speed=f"{speed} km/h"))

    [event] = parse_metadata(document, received_at=RECEIVED)

    assert (event.read.plate, event.read.time) == (plate, moment)
    if not standard:
        assert event.read.speed == speed


# SDP (RTSP type)


def description(*lines: str) -> str:
    return "\r\n".join(lines)


METADATA_TRACK = ("m=application 0 RTP/AVP 96", "a=rtpmap:96 vnd.onvif.metadata/90000")
# Brackets in a control URL's host have a test of their own, below.
sdp_values = st.one_of(
    st.text(st.characters(exclude_characters="[]"), max_size=30),
    st.sampled_from(["96", "107", "²", "٣", "-1", "rtsp://cam/x", "//cam/x", "*", ""]),
)
sdp_lines = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda kind, formats: f"m={kind} 0 RTP/AVP {formats}",
        st.sampled_from(["application", "video", "audio", ""]),
        sdp_values,
    ),
    st.builds(
        lambda payload, encoding: f"a=rtpmap:{payload} {encoding}/90000",
        sdp_values,
        st.sampled_from(["vnd.onvif.metadata", "VND.ONVIF.METADATA+GZIP", "H264", ""]),
    ),
    st.builds("a=control:{}".format, sdp_values),
)


@given(
    sdp=st.one_of(st.text(max_size=300), st.lists(sdp_lines, max_size=12).map("\r\n".join)),
    base=st.text(max_size=60),
)
@example(
    sdp=description("m=application 0 RTP/AVP ²", "a=rtpmap:² vnd.onvif.metadata/90000"), base=""
)
def test_any_description_gives_the_track_or_no_metadata_track(sdp: str, base: str) -> None:
    try:
        track = find_metadata_track(sdp, base)
    except NoMetadataTrackError:
        return
    assert 0 <= track.payload_type <= len(sdp) * 10
    assert len(track.url) <= 2 * (len(sdp) + len(base)) + 2


@given(control=st.from_regex(r"(rtsp:)?//\[[^\]/]*(\]\S*)?", fullmatch=True))
@example(control="rtsp://[::1/x")
def test_any_control_url_gives_the_track_or_no_metadata_track(control: str) -> None:
    with contextlib.suppress(NoMetadataTrackError):
        find_metadata_track(description(*METADATA_TRACK, f"a=control:{control}"), "rtsp://c/")


@given(
    payload_type=st.integers(0, 127),
    control=st.from_regex(r"[A-Za-z0-9=_.-]{1,20}", fullmatch=True),
    gzip=st.booleans(),
    base=st.from_regex(
        r"rtsp://[a-z0-9.]{1,20}(:[0-9]{1,5})?(/[A-Za-z0-9_.-]{0,10}){0,3}", fullmatch=True
    ),
)
def test_a_metadata_track_is_found_as_described(
    payload_type: int, control: str, gzip: bool, base: str
) -> None:
    encoding = "vnd.onvif.metadata+gzip" if gzip else "vnd.onvif.metadata"
    sdp = "\r\n".join(
        [
            "v=0",
            "m=video 0 RTP/AVP 96",
            "a=rtpmap:96 H264/90000",
            f"m=application 0 RTP/AVP {payload_type}",
            f"a=rtpmap:{payload_type} {encoding}/90000",
            f"a=control:{control}",
        ]
    )

    track = find_metadata_track(sdp, base)

    assert (track.payload_type, track.gzip, track.session_url) == (payload_type, gzip, base)
    assert track.url == base + ("" if base.endswith("/") else "/") + control


# Digest and Basic challenges (RTSP requests, picture fetches)

# What a header becomes as text: aiohttp decodes bytes that are no UTF-8 with surrogateescape.
header_text = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda data: data.decode("utf-8", "surrogateescape")),
)
challenge_parts = st.one_of(
    header_text,
    st.sampled_from(["Digest ", "Basic ", "digest", ", ", "=", '"', "\\", "realm=", "nonce="]),
    st.sampled_from(["algorithm=SHA-256", "algorithm=MD5", 'qop="auth"', "qop=auth-int"]),
)
headers = st.lists(st.lists(challenge_parts, max_size=8).map("".join), max_size=4)


@given(headers=headers)
def test_any_challenge_headers_parse_to_bounded_challenges(headers: list[str]) -> None:
    challenges = parse_challenges(headers)

    total = sum(len(header) for header in headers)
    assert len(challenges) <= total
    text = sum(len(c.scheme) + sum(map(len, [*c.params, *c.params.values()])) for c in challenges)
    assert text <= total
    chosen = strongest(challenges)
    assert chosen is None or chosen in challenges
    if chosen is not None:
        assert chosen.scheme == "basic" or chosen.algorithm in ("md5", "sha-256")


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@given(
    realm=st.text(max_size=30),
    nonce=st.text(max_size=30),
    algorithm=st.sampled_from(["MD5", "SHA-256", "md5"]),
    qop=st.booleans(),
)
def test_a_challenge_reads_back_as_written(
    realm: str, nonce: str, algorithm: str, qop: bool
) -> None:
    header = f"Digest realm={quoted(realm)}, nonce={quoted(nonce)}, algorithm={algorithm}"
    if qop:
        header += ', qop="auth"'

    [challenge] = parse_challenges([f"Basic realm={quoted(realm)}", header])[1:]

    assert challenge.params == {"realm": realm, "nonce": nonce, "algorithm": algorithm} | (
        {"qop": "auth"} if qop else {}
    )
    assert strongest(parse_challenges([f"Basic realm={quoted(realm)}", header])) == challenge


@given(headers=headers)
@example(headers=['Digest realm="Einfahrt S\udcfcd", nonce="n"'])
def test_any_challenge_is_answered_or_refused_with_a_protocol_error(headers: list[str]) -> None:
    authenticator = Authenticator("admin", "1234")
    try:
        authenticator.answer(headers)
    except LprError:
        return
    assert authenticator.authorization("GET", "/LPR/1.jpg")
