"""RTP packets (RFC 3550) and the ONVIF metadata documents they carry."""

from __future__ import annotations

import logging
import re
import struct
import zlib
from dataclasses import dataclass

from .exceptions import ProtocolError

_LOGGER = logging.getLogger(__name__)

# A metadata document (after gzip) may not exceed this: an LPR event is a few kilobytes.
MAX_DOCUMENT_BYTES = 1024 * 1024

_HEADER = struct.Struct("!BBHII")
_EXTENSION_HEADER = struct.Struct("!HH")
_VERSION = 2
_SEQUENCE_MODULO = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
# How a metadata document begins: an optional byte order mark, then its XML declaration or
# its root (any prefix; MetadataStream in the schema, MetaDataStream in the vendor's seed).
_XML_DOCUMENT_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*<(?:\?xml\s|(?:[\w.-]+:)?metadatastream[\s/>])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class RtpPacket:
    """The fields of an RTP packet that the metadata stream needs."""

    payload_type: int
    marker: bool
    sequence: int
    timestamp: int
    payload: bytes


def parse_rtp(data: bytes) -> RtpPacket:
    """Parse one RTP packet, skipping CSRCs, a header extension and padding.

    Raises ProtocolError when the bytes are not an RTP version 2 packet.
    """
    if len(data) < _HEADER.size:
        raise ProtocolError(f"RTP packet of {len(data)} bytes is shorter than its header")
    first, second, sequence, timestamp, _ssrc = _HEADER.unpack_from(data)
    if first >> 6 != _VERSION:
        raise ProtocolError(f"RTP version {first >> 6}, expected {_VERSION}")
    start = _HEADER.size + 4 * (first & 0x0F)
    if first & 0x10:
        if start + _EXTENSION_HEADER.size > len(data):
            raise ProtocolError("RTP header extension runs past the packet")
        _profile, words = _EXTENSION_HEADER.unpack_from(data, start)
        start += _EXTENSION_HEADER.size + 4 * words
    if start > len(data):
        raise ProtocolError("RTP header runs past the packet")
    end = len(data)
    if first & 0x20:
        end -= data[-1]
        if data[-1] == 0 or end < start:
            raise ProtocolError("RTP padding runs past the packet")
    return RtpPacket(
        payload_type=second & 0x7F,
        marker=bool(second & 0x80),
        sequence=sequence,
        timestamp=timestamp,
        payload=data[start:end],
    )


class MetadataReassembler:
    """Joins the payloads of RTP packets into documents; the marker bit closes a document.

    A gap in the sequence numbers loses the document in progress: packets are dropped up to
    the next marker, or up to a packet that starts a new document (an XML declaration or the
    metadata root; the gzip magic on a gzip track). So a lost packet costs the document it
    belonged to, never the next one, even when it was the packet that closed its document.
    """

    def __init__(self, *, gzip: bool, limit: int = MAX_DOCUMENT_BYTES) -> None:
        """Documents larger than `limit` bytes (compressed or not) are dropped."""
        self._gzip = gzip
        self._limit = limit
        self._parts: list[bytes] = []
        self._size = 0
        self._next_sequence: int | None = None
        self._dropping = False

    def push(self, packet: RtpPacket) -> bytes | None:
        """Add a packet; return the document it closes, else None.

        Raises ProtocolError when a document is dropped for its size or for broken gzip;
        the reassembler goes on with the next document.
        """
        self._follow_sequence(packet.sequence)
        if self._dropping and not self._starts_document(packet.payload):
            self._dropping = not packet.marker
            return None
        self._dropping = False
        self._parts.append(packet.payload)
        self._size += len(packet.payload)
        if self._size > self._limit:
            self._restart(dropping=not packet.marker)
            raise ProtocolError(f"dropped a metadata document larger than {self._limit} bytes")
        if not packet.marker:
            return None
        document = b"".join(self._parts)
        self._restart(dropping=False)
        return _gunzip(document, self._limit) if self._gzip else document

    def _starts_document(self, payload: bytes) -> bool:
        if self._gzip:
            return payload.startswith(_GZIP_MAGIC)
        return _XML_DOCUMENT_START.match(payload) is not None

    def _follow_sequence(self, sequence: int) -> None:
        expected, self._next_sequence = self._next_sequence, (sequence + 1) % _SEQUENCE_MODULO
        if expected is not None and sequence != expected:
            _LOGGER.debug(
                "RTP sequence jumped from %d to %d: dropping the document in progress",
                expected,
                sequence,
            )
            self._restart(dropping=True)

    def _restart(self, *, dropping: bool) -> None:
        self._parts.clear()
        self._size = 0
        self._dropping = dropping


def _gunzip(document: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        # One byte over the limit is enough to know the document is too large.
        inflated = inflater.decompress(document, limit + 1)
    except zlib.error as err:
        raise ProtocolError(f"metadata document is not valid gzip: {err}") from err
    if len(inflated) > limit:
        raise ProtocolError(f"dropped a metadata document inflating past {limit} bytes")
    if not inflater.eof:
        raise ProtocolError("metadata document ends inside its gzip stream")
    return inflated
