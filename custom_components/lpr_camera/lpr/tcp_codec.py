"""Bytes of the TCP type: packets, login, and the recognition post (firmware 1.0 to 1.6).

No I/O here: the client and the simulator move the bytes, this module gives them meaning.
"""

from __future__ import annotations

import codecs
import json
import math
import struct
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from .exceptions import ProtocolError
from .jpeg import jpeg_frame_size
from .models import Direction, PlateBox, PlateRead, RadarData, checked_plate
from .privacy import mask_bytes
from .vocabulary import COLOUR_CODES, DIRECTION_CODES, LIST_TYPE_CODES, VEHICLE_TYPE_CODES

SIG = b"\xcc\xff"
SIG_END = b"\xff\xdd"
COMM_LOGIN_REQ = 0x0001
COMM_LOGIN_REPLY = 0x8001
COMM_RECOG_POST = 0x8801
# Far above any real post (two JPEGs); a larger claim is a broken or hostile peer.
MAX_DATA_SIZE = 16 * 1024 * 1024
METADATA_CHUNK = b"\x11\xff\x00\x00"
IMAGE_CHUNK = b"\x22\xff\x00\x00"

# SIG, COMMAND, DATA_SIZE; DATA_SIZE counts DATA plus SIG END.
_HEADER = struct.Struct("<2sHI")
_MIN_DATA_SIZE = len(SIG_END)
_CHUNK_HEADER = struct.Struct("<4sI")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
# A lone picture at least this wide is the full snapshot, not the plate crop.
_MIN_FULL_IMAGE_WIDTH = 640
# A camera clock this far off the time of receipt is no wrong time zone (at most 14 hours)
# and no drift (minutes): more likely the time was read from bytes that hold something else.
MAX_CLOCK_OFFSET = timedelta(days=1)
# Field 3, the obsolete plate: after the device id (16 bytes) and the time (8 bytes).
_OBSOLETE_PLATE = slice(24, 40)


class _Section(NamedTuple):
    """Metadata fields one firmware version appended to the chunk."""

    firmware: str
    layout: struct.Struct
    names: tuple[str, ...]
    # A byte string that follows the fixed part, as long as the section's last value says.
    counted: str | None = None


_SECTIONS = (
    _Section(
        "1.0",
        struct.Struct("<16sQ16sBBHB"),
        (
            "device_id",
            "time_ms",
            "obsolete_plate",
            "vehicle_colour",
            "plate_colour",
            "speed",
            "image_count",
        ),
    ),
    _Section("1.1", struct.Struct("<B"), ("direction",)),
    _Section("1.2", struct.Struct("<32sB"), ("region", "roi_id")),
    _Section("1.3", struct.Struct("<B"), ("plate_length",), counted="plate"),
    _Section("1.4", struct.Struct("<B"), ("vehicle_type",)),
    _Section(
        "1.5",
        struct.Struct("<fBifi"),
        ("confidence", "plate_type", "distance", "azimuth", "vehicle_count"),
    ),
    _Section("1.6", struct.Struct("<6H"), ("width", "height", "x1", "y1", "x2", "y2")),
)
FIRMWARES = tuple(section.firmware for section in _SECTIONS)
# Numeric codes kept in PlateRead.raw as the camera sent them.
_RAW_CODES = (
    "vehicle_colour",
    "plate_colour",
    "image_count",
    "direction",
    "roi_id",
    "vehicle_type",
    "plate_type",
)


@dataclass(frozen=True, slots=True)
class UnusualMetadata:
    """A read that looks decoded from a metadata layout we do not know: what a bug report needs.

    The metadata chunk is in hex with the plate's bytes masked; the pictures are left out.
    """

    received_at: datetime
    firmware: str  # the version the chunk's size suggests
    reasons: tuple[str, ...]
    metadata_hex: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, for the diagnostics."""
        return {
            "received_at": self.received_at.isoformat(),
            "firmware": self.firmware,
            "reasons": list(self.reasons),
            "metadata_hex": self.metadata_hex,
        }


@dataclass(frozen=True, slots=True)
class Packet:
    """One packet: its command and its DATA (without SIG, sizes and SIG END)."""

    command: int
    data: bytes


def encode_packet(command: int, data: bytes) -> bytes:
    """Frame DATA as a packet of the given command."""
    return _HEADER.pack(SIG, command, len(data) + len(SIG_END)) + data + SIG_END


def encode_login(user: str, password: str) -> bytes:
    """Return the COMM_LOGIN_REQ packet: compact UTF-8 JSON, as the vendor's example."""
    body = json.dumps({"id": user, "password": password}, separators=(",", ":"), ensure_ascii=False)
    return encode_packet(COMM_LOGIN_REQ, body.encode())


def parse_login_reply(data: bytes) -> str:
    """Return the HTTP-like status of a COMM_LOGIN_REPLY ("200" is OK), a number or a string."""
    try:
        reply = json.loads(data)
    except ValueError as err:
        raise ProtocolError(f"login reply is not JSON: {data[:64]!r}") from err
    result = reply.get("result") if isinstance(reply, dict) else None
    if isinstance(result, bool) or not isinstance(result, str | int):
        raise ProtocolError(f"login reply without a result: {data[:64]!r}")
    return str(result).strip()


class PacketDecoder:
    """Turns a byte stream into packets, whatever the reads' boundaries.

    Bytes before a CC FF signature are skipped (and counted in discarded_bytes). A size
    above MAX_DATA_SIZE or a missing FF DD raises ProtocolError: the stream is then out
    of step and the connection should be dropped. The buffer never holds more than one
    incomplete packet besides the chunk being fed.
    """

    def __init__(self) -> None:
        """Start with an empty buffer."""
        self._buffer = bytearray()
        self.discarded_bytes = 0

    def feed(self, chunk: bytes) -> list[Packet]:
        """Add received bytes; return every packet they complete."""
        self._buffer += chunk
        packets = []
        while (packet := self._next_packet()) is not None:
            packets.append(packet)
        return packets

    def _next_packet(self) -> Packet | None:
        if not self._skip_to_signature() or len(self._buffer) < _HEADER.size:
            return None
        _sig, command, size = _HEADER.unpack_from(self._buffer)
        # Checked before waiting for the data, so a hostile size costs no memory.
        if not _MIN_DATA_SIZE <= size <= MAX_DATA_SIZE:
            raise ProtocolError(f"packet 0x{command:04x} claims {size} bytes of data")
        end = _HEADER.size + size
        if len(self._buffer) < end:
            return None
        if self._buffer[end - len(SIG_END) : end] != SIG_END:
            raise ProtocolError(f"packet 0x{command:04x} does not end with FF DD")
        with memoryview(self._buffer) as view:
            data = bytes(view[_HEADER.size : end - len(SIG_END)])
        del self._buffer[:end]
        return Packet(command, data)

    def _skip_to_signature(self) -> bool:
        """Drop the bytes before the next CC FF; True when the buffer starts with one."""
        start = self._buffer.find(SIG)
        if start < 0:
            # A trailing CC may be the first half of the next signature.
            start = len(self._buffer) - self._buffer.endswith(SIG[:1])
        if start:
            self.discarded_bytes += start
            del self._buffer[:start]
        return self._buffer.startswith(SIG)


def encode_chunk(chunk_id: bytes, body: bytes) -> bytes:
    """Return one chunk of a recognition post: id, body size, body."""
    return _CHUNK_HEADER.pack(chunk_id, len(body)) + body


def decode_recognition(data: bytes, *, received_at: datetime | None = None) -> PlateRead:
    """Decode the DATA of a COMM_RECOG_POST sent by a camera on firmware 1.0 to 1.6.

    received_at stands in for the camera's clock when it sent no usable time
    (default: now). Unknown chunks are skipped; ProtocolError when the chunks
    do not add up or the metadata is missing or short, InvalidReadError when the
    plate is longer than MAX_PLATE_LENGTH.
    """
    metadata, images = _split_chunks(memoryview(data))
    firmware, fields = _unpack_metadata(metadata)
    return _plate_read(firmware, fields, images, received_at)


def unusual_metadata(data: bytes, *, received_at: datetime) -> UnusualMetadata | None:
    """Why the read of a COMM_RECOG_POST looks decoded from a layout we do not know, if it does.

    The signs: a plate with control characters or bytes that are no UTF-8, or a camera time
    more than MAX_CLOCK_OFFSET off received_at (no time at all is the camera's right). None
    when the read looks right. Raises ProtocolError as decode_recognition does.
    """
    metadata, _images = _split_chunks(memoryview(data))
    firmware, fields = _unpack_metadata(metadata)
    reasons = [*_plate_doubts(_plate_text(fields)), *_time_doubts(fields["time_ms"], received_at)]
    if not reasons:
        return None
    masked = mask_metadata(bytes(metadata))
    return UnusualMetadata(received_at, firmware, tuple(reasons), masked.hex(" "))


def mask_metadata(metadata: bytes) -> bytes:
    """The metadata chunk body with the plate masked (fields 3 and 12): same length and layout."""
    masked = bytearray(metadata)
    for span in _plate_spans(metadata):
        masked[span] = mask_bytes(bytes(masked[span]))
    return bytes(masked)


def encode_recognition(read: PlateRead, *, firmware: str = "1.6") -> bytes:
    """Return the COMM_RECOG_POST DATA a camera on that firmware sends for the read.

    The inverse of decode_recognition, for the simulator and the tests.
    """
    if firmware not in FIRMWARES:
        raise ValueError(f"unknown firmware {firmware}, expected one of {FIRMWARES}")
    images = [image for image in (read.plate_image, read.full_image) if image is not None]
    sections = _SECTIONS[: FIRMWARES.index(firmware) + 1]
    metadata = _pack_metadata(sections, _metadata_fields(read, len(images)))
    return encode_chunk(METADATA_CHUNK, metadata) + b"".join(
        encode_chunk(IMAGE_CHUNK, image) for image in images
    )


def _chunks(data: memoryview) -> Iterator[tuple[bytes, memoryview]]:
    offset = 0
    while offset < len(data):
        if len(data) - offset < _CHUNK_HEADER.size:
            raise ProtocolError(f"{len(data) - offset} stray bytes after the last chunk")
        chunk_id, size = _CHUNK_HEADER.unpack_from(data, offset)
        offset += _CHUNK_HEADER.size
        if size > len(data) - offset:
            raise ProtocolError(
                f"chunk {chunk_id.hex()} claims {size} bytes, {len(data) - offset} left"
            )
        yield chunk_id, data[offset : offset + size]
        offset += size


def _split_chunks(data: memoryview) -> tuple[memoryview, list[memoryview]]:
    """The post's (first) metadata chunk and its image chunks.

    Unknown chunks are skipped, and so are empty image chunks: no picture, not one of 0 bytes
    that would pass for the smaller one, the plate crop.
    """
    metadata: memoryview | None = None
    images: list[memoryview] = []
    for chunk_id, body in _chunks(data):
        if chunk_id == METADATA_CHUNK and metadata is None:
            metadata = body
        elif chunk_id == IMAGE_CHUNK and body:
            images.append(body)
    if metadata is None:
        raise ProtocolError("recognition post without a metadata chunk")
    return metadata, images


def _unpack_metadata(body: memoryview) -> tuple[str, dict[str, Any]]:
    """Return the firmware version the chunk's size reveals and every field it covers."""
    fields: dict[str, Any] = {}
    firmware = None
    offset = 0
    for section in _SECTIONS:
        end = offset + section.layout.size
        if end > len(body):
            break
        values = section.layout.unpack_from(body, offset)
        fields.update(zip(section.names, values, strict=True))
        if section.counted is not None:
            start, end = end, end + values[-1]
            if end > len(body):
                raise ProtocolError(f"metadata {section.counted} runs past the chunk")
            fields[section.counted] = bytes(body[start:end])
        offset = end
        firmware = section.firmware
    if firmware is None:
        raise ProtocolError(f"metadata chunk of {len(body)} bytes is too short")
    return firmware, fields


def _pack_metadata(sections: Sequence[_Section], fields: dict[str, Any]) -> bytes:
    parts = []
    for section in sections:
        parts.append(section.layout.pack(*(fields[name] for name in section.names)))
        if section.counted is not None:
            parts.append(fields[section.counted])
    return b"".join(parts)


def _plate_read(
    firmware: str, fields: dict[str, Any], images: list[memoryview], received_at: datetime | None
) -> PlateRead:
    resolution = _measured(fields, "width", "height")
    plate_image, full_image = _sort_images(images, resolution[0] if resolution else None)
    box = _measured(fields, "x1", "y1", "x2", "y2")
    radar = _measured(fields, "distance", "azimuth", "vehicle_count")
    return PlateRead(
        plate=checked_plate(_plate_text(fields)),
        time=_camera_time(fields["time_ms"], received_at),
        device_id=fields["device_id"].hex() if any(fields["device_id"]) else None,
        direction=_lookup(DIRECTION_CODES, fields.get("direction")) or Direction.UNKNOWN,
        speed=float(fields["speed"]),
        vehicle_type=_lookup(VEHICLE_TYPE_CODES, fields.get("vehicle_type")),
        vehicle_colour=_lookup(COLOUR_CODES, fields["vehicle_colour"]),
        plate_colour=_lookup(COLOUR_CODES, fields["plate_colour"]),
        list_type=_lookup(LIST_TYPE_CODES, fields.get("plate_type")),
        region=_nul_padded_text(fields.get("region", b"")) or None,
        detection_region=fields.get("roi_id") or None,
        confidence=_confidence(fields.get("confidence")),
        plate_box=PlateBox(*box) if box else None,
        resolution=(resolution[0], resolution[1]) if resolution else None,
        radar=RadarData(radar[0], _float32(radar[1]), radar[2]) if radar else None,
        plate_image=None if plate_image is None else bytes(plate_image),
        full_image=None if full_image is None else bytes(full_image),
        raw={"firmware": firmware} | {name: fields[name] for name in _RAW_CODES if name in fields},
    )


def _metadata_fields(read: PlateRead, image_count: int) -> dict[str, Any]:
    plate = read.plate.encode()
    radar = read.radar or RadarData()
    width, height = read.resolution or (0, 0)
    box = read.plate_box or PlateBox(0, 0, 0, 0)
    return {
        "device_id": bytes.fromhex(read.device_id or ""),
        "time_ms": (read.time - _EPOCH) // _MILLISECOND,
        # struct's "16s" cuts the plate at 16 bytes, even inside a character, as cameras do.
        "obsolete_plate": plate,
        "vehicle_colour": _code(COLOUR_CODES, read.vehicle_colour),
        "plate_colour": _code(COLOUR_CODES, read.plate_colour),
        "speed": round(read.speed or 0),
        "image_count": image_count,
        "direction": _code(DIRECTION_CODES, read.direction),
        "region": (read.region or "").encode(),
        "roi_id": read.detection_region or 0,
        "plate_length": len(plate),
        "plate": plate,
        "vehicle_type": _code(VEHICLE_TYPE_CODES, read.vehicle_type),
        "confidence": read.confidence or 0.0,
        "plate_type": _code(LIST_TYPE_CODES, read.list_type),
        "distance": radar.distance or 0,
        "azimuth": radar.azimuth or 0.0,
        "vehicle_count": radar.vehicle_count or 0,
        "width": width,
        "height": height,
        "x1": box.x1,
        "y1": box.y1,
        "x2": box.x2,
        "y2": box.y2,
    }


def _plate_text(fields: dict[str, Any]) -> str:
    """Field 12 when the firmware sends it, else the obsolete fixed-size field."""
    if plate := _nul_padded_text(fields.get("plate", b"")):
        return plate
    # The fixed 16 bytes may end inside a character: the incremental decoder holds
    # back that incomplete tail instead of turning it into a replacement character.
    obsolete = fields["obsolete_plate"].split(b"\0", 1)[0]
    return codecs.getincrementaldecoder("utf-8")("replace").decode(obsolete).strip()


def _plate_spans(metadata: bytes) -> list[slice]:
    """Where the plate lies in a metadata chunk: field 3, and field 12 from firmware 1.3 on."""
    spans = [_OBSOLETE_PLATE]
    offset = 0
    for section in _SECTIONS:
        offset += section.layout.size
        if section.counted is not None:
            # The counted field follows its section, whose last byte is its length.
            if offset <= len(metadata):
                spans.append(slice(offset, offset + metadata[offset - 1]))
            break
    return spans


def _plate_doubts(plate: str) -> list[str]:
    doubts = []
    if any(unicodedata.category(character) == "Cc" for character in plate):
        doubts.append("the plate has control characters")
    if "\ufffd" in plate:
        doubts.append("the plate has bytes that are no UTF-8")
    return doubts


def _time_doubts(milliseconds: int, received_at: datetime) -> list[str]:
    if not milliseconds:
        return []
    try:
        time = _EPOCH + milliseconds * _MILLISECOND
    except OverflowError:
        return ["the time is beyond the year 9999"]
    if abs(time - received_at) <= MAX_CLOCK_OFFSET:
        return []
    return [f"the time, {time.isoformat()}, is more than a day off the time of receipt"]


def _nul_padded_text(value: bytes) -> str:
    return value.split(b"\0", 1)[0].decode(errors="replace").strip()


def _camera_time(milliseconds: int, received_at: datetime | None) -> datetime:
    if milliseconds:
        try:
            return _EPOCH + milliseconds * _MILLISECOND
        except OverflowError:
            pass  # a clock beyond year 9999: use the time of arrival
    return received_at or datetime.now(UTC)


def _confidence(value: float | None) -> float | None:
    """Normalise to 0..1: some firmware sends a percentage."""
    value = _float32(value)
    if value is None:
        return None
    if value > 1:
        value /= 100
    return min(max(value, 0.0), 1.0)


def _float32(value: float | None) -> float | None:
    """Drop the float32 noise (0.7 arrives as 0.699999988...); None when not a number.

    A float32 holds 6 significant decimal digits exactly; a 7th is noise (0.000986 would
    arrive as 0.0009860001).
    """
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.6g}")


def _measured(fields: dict[str, Any], *names: str) -> list[Any] | None:
    """The fields' values; None when the firmware lacks them or all are zero (not measured)."""
    values = [fields.get(name) for name in names]
    return values if None not in values and any(values) else None


def _lookup[E: StrEnum](table: Sequence[E], code: int | None) -> E | str | None:
    """The table's entry for a code; a code beyond the table stays visible as its number."""
    if code is None:
        return None
    return table[code] if code < len(table) else str(code)


def _code(table: Sequence[StrEnum], value: StrEnum | str | None) -> int:
    """The inverse of _lookup."""
    if value is None:
        return 0
    if value in table:
        return table.index(value)
    return int(value)


def _sort_images(
    images: list[memoryview], resolution_width: int | None
) -> tuple[memoryview | None, memoryview | None]:
    """Return (plate crop, full snapshot): the snapshot is the larger picture."""
    if not images:
        return None, None
    sizes = [jpeg_frame_size(image) or (0, 0) for image in images]
    if len(images) == 1:
        width = sizes[0][0]
        is_full = width == resolution_width or width >= _MIN_FULL_IMAGE_WIDTH
        return (None, images[0]) if is_full else (images[0], None)
    by_area = sorted(range(len(images)), key=lambda index: sizes[index][0] * sizes[index][1])
    return images[by_area[0]], images[by_area[-1]]
