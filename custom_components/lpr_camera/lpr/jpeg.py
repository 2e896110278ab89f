"""Read a JPEG's frame size from its markers, without decoding the picture."""

from __future__ import annotations

import struct

_SEGMENT_LENGTH = struct.Struct(">H")
# Start-of-frame segment after its marker: length, sample precision, height, width.
_FRAME_HEADER = struct.Struct(">HBHH")
# C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) share the SOFn range.
_START_OF_FRAME = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length: TEM and the restart markers RST0..RST7.
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_START_OF_SCAN = 0xDA
_END_OF_IMAGE = 0xD9


def jpeg_frame_size(data: bytes | memoryview) -> tuple[int, int] | None:
    """Return the (width, height) of a JPEG, or None when the bytes are no complete JPEG header.

    Walks the markers from SOI to the first start-of-frame. Every step moves forward,
    so garbage ends the walk after at most len(data) steps; nothing here raises.
    """
    if data[:2] != b"\xff\xd8":
        return None
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # a fill byte before the marker
            offset += 1
        elif marker in _STANDALONE:
            offset += 2
        elif marker in _START_OF_FRAME:
            return _frame_size(data, offset + 2)
        elif marker in {_START_OF_SCAN, _END_OF_IMAGE}:
            return None  # no frame header before the picture data: not a JPEG we understand
        else:
            (length,) = _SEGMENT_LENGTH.unpack_from(data, offset + 2)
            if length < _SEGMENT_LENGTH.size:
                return None
            offset += 2 + length
    return None


def _frame_size(data: bytes | memoryview, offset: int) -> tuple[int, int] | None:
    if offset + _FRAME_HEADER.size > len(data):
        return None
    _length, _precision, height, width = _FRAME_HEADER.unpack_from(data, offset)
    return width, height
