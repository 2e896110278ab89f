"""The camera side of the RTSP type: a small RTSP server that serves one ONVIF metadata track.

It answers OPTIONS, DESCRIBE, SETUP (RTP over TCP, interleaved), PLAY, GET_PARAMETER and
TEARDOWN, demands Digest or Basic as told, records every request, and sends whatever RTP
packets a test or benchmark hands it on the playing connection. The pictures a read names are
camera_web's.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from dataclasses import dataclass

from multidict import CIMultiDict

from .http_auth import CameraAuth

PATH = "/onvif/metadata"
PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER"
PAYLOAD_TYPE = 107
SESSION_ID = "12345678"
METADATA_SDP = (
    "v=0\r\n"
    "o=- 0 0 IN IP4 127.0.0.1\r\n"
    "s=LPR camera\r\n"
    "t=0 0\r\n"
    "a=control:*\r\n"
    "m=video 0 RTP/AVP 96\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=control:trackID=1\r\n"
    "m=audio 0 RTP/AVP 0\r\n"
    "a=control:trackID=2\r\n"
    "m=application 0 RTP/AVP 107\r\n"
    "a=rtpmap:107 VND.ONVIF.METADATA/90000\r\n"
    "a=control:trackID=3\r\n"
)
TRACK = "trackID=3"


def rtp_packet(
    payload: bytes,
    *,
    sequence: int,
    marker: bool = False,
    payload_type: int = PAYLOAD_TYPE,
    timestamp: int = 0,
    csrcs: int = 0,
    extension: bytes | None = None,
    padding: int = 0,
) -> bytes:
    """One RTP packet; `extension` is the extension's body (a multiple of 4 bytes)."""
    first = 0x80 | (0x20 if padding else 0) | (0x10 if extension is not None else 0) | csrcs
    header = struct.pack(
        "!BBHII", first, payload_type | (0x80 if marker else 0), sequence, timestamp, 1
    )
    header += b"\x00\x00\x00\x02" * csrcs
    if extension is not None:
        header += struct.pack("!HH", 0xABAC, len(extension) // 4) + extension
    tail = bytes(padding - 1) + bytes([padding]) if padding else b""
    return header + payload + tail


def split_document(document: bytes, *, size: int, first_sequence: int) -> list[bytes]:
    """A document as RTP packets of `size` payload bytes, the marker on the last."""
    chunks = [document[start : start + size] for start in range(0, len(document), size)]
    return [
        rtp_packet(chunk, sequence=(first_sequence + i) % 65536, marker=i == len(chunks) - 1)
        for i, chunk in enumerate(chunks)
    ]


def interleaved(channel: int, data: bytes) -> bytes:
    """An RTP packet framed for the RTSP connection."""
    return b"$" + struct.pack("!BH", channel, len(data)) + data


@dataclass(frozen=True)
class Request:
    """A request the server received."""

    method: str
    url: str
    headers: CIMultiDict[str]


class RtspTestServer:
    """An RTSP camera on a free port of 127.0.0.1."""

    def __init__(
        self,
        *,
        auth: CameraAuth | None = None,
        sdp: str = METADATA_SDP,
        public: str = PUBLIC,
        session_timeout: int | None = 60,
        channel: int = 0,
    ) -> None:
        """`channel`: the interleaved channel the server picks, whatever the client asks."""
        self.auth = auth
        self.sdp = sdp
        self.public = public
        self.session_timeout = session_timeout
        self.channel = channel
        # RTP packets to send ahead of the next answer to a method, e.g. {"PLAY": [...]}.
        self.before_answer: dict[str, list[bytes]] = {}
        # An error status to answer DESCRIBE with, as a camera that is starting up.
        self.describe_error: str | None = None
        self.requests: list[Request] = []
        self.client_answers: list[str] = []
        self.connections = 0
        self.sequence = 1000
        self._server: asyncio.Server | None = None
        self._playing: asyncio.StreamWriter | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        """The port it listens on, once started."""
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """The URL of its metadata stream."""
        return f"rtsp://127.0.0.1:{self.port}{PATH}"

    @property
    def playing(self) -> bool:
        """Whether a client has sent PLAY and is still connected."""
        return self._playing is not None

    def methods(self) -> list[str]:
        """The methods of the requests received, in order."""
        return [request.method for request in self.requests]

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1: on a free port, or on `port` (a camera started again)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        assert self._server is not None
        self._server.close()
        for task in self._handlers:
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def send(self, *packets: bytes, channel: int | None = None) -> None:
        """RTP packets to the playing client, each as its own interleaved frame."""
        frames = (interleaved(self.channel if channel is None else channel, p) for p in packets)
        await self.send_raw(b"".join(frames))

    def packets(self, document: bytes, size: int = 1400) -> list[bytes]:
        """A document as the next RTP packets of the stream."""
        packets = split_document(document, size=size, first_sequence=self.sequence)
        self.sequence += len(packets)
        return packets

    async def send_document(self, document: bytes, size: int = 1400) -> None:
        """A metadata document to the playing client, as the next RTP packets."""
        await self.send(*self.packets(document, size))

    async def send_raw(self, data: bytes) -> None:
        """Bytes as they are to the playing client (for fault tests)."""
        assert self._playing is not None, "no client is playing"
        self._playing.write(data)
        await self._playing.drain()

    async def drop(self) -> None:
        """Close the playing client's connection, as a camera that reboots."""
        assert self._playing is not None, "no client is playing"
        writer, self._playing = self._playing, None
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.connections += 1
        try:
            while True:
                start_line, headers = await _read_message(reader)
                if start_line.startswith("RTSP/"):
                    self.client_answers.append(start_line)
                else:
                    await self._answer(_request(start_line, headers), writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._handlers.discard(task)
            if self._playing is writer:
                self._playing = None
            writer.close()

    async def _answer(self, request: Request, writer: asyncio.StreamWriter) -> None:
        self.requests.append(request)
        cseq = request.headers["CSeq"]
        for packet in self.before_answer.pop(request.method, []):
            writer.write(interleaved(self.channel, packet))
        authorization = request.headers.get("Authorization")
        if self.auth and not self.auth.accepts(request.method, request.url, authorization):
            challenges = [("WWW-Authenticate", value) for value in self.auth.challenges()]
            _reply(writer, cseq, "401 Unauthorized", challenges)
            return
        handler = {
            "OPTIONS": self._options,
            "DESCRIBE": self._describe,
            "SETUP": self._setup,
            "PLAY": self._play,
            "GET_PARAMETER": self._in_session,
            "TEARDOWN": self._in_session,
        }.get(request.method)
        if handler is None:
            _reply(writer, cseq, "501 Not Implemented")
        else:
            await handler(request, writer, cseq)
        await writer.drain()

    async def _options(self, _request: Request, writer: asyncio.StreamWriter, cseq: str) -> None:
        _reply(writer, cseq, "200 OK", [("Public", self.public)])

    async def _describe(self, request: Request, writer: asyncio.StreamWriter, cseq: str) -> None:
        if request.url != self.url or self.describe_error:
            _reply(writer, cseq, self.describe_error or "404 Not Found")
            return
        headers = [("Content-Base", f"{self.url}/"), ("Content-Type", "application/sdp")]
        _reply(writer, cseq, "200 OK", headers, self.sdp.encode())

    async def _setup(self, request: Request, writer: asyncio.StreamWriter, cseq: str) -> None:
        transport = request.headers.get("Transport", "")
        if request.url != f"{self.url}/{TRACK}" or "RTP/AVP/TCP" not in transport:
            _reply(writer, cseq, "461 Unsupported Transport")
            return
        timeout = f";timeout={self.session_timeout}" if self.session_timeout else ""
        channels = f"interleaved={self.channel}-{self.channel + 1}"
        headers = [
            ("Session", f"{SESSION_ID}{timeout}"),
            ("Transport", f"RTP/AVP/TCP;unicast;{channels};mode=play"),
        ]
        _reply(writer, cseq, "200 OK", headers)

    async def _play(self, request: Request, writer: asyncio.StreamWriter, cseq: str) -> None:
        if request.headers.get("Session") != SESSION_ID:
            _reply(writer, cseq, "454 Session Not Found")
            return
        self._playing = writer
        _reply(writer, cseq, "200 OK", [("Session", SESSION_ID), ("Range", "npt=0.000-")])

    async def _in_session(self, request: Request, writer: asyncio.StreamWriter, cseq: str) -> None:
        if request.headers.get("Session") != SESSION_ID:
            _reply(writer, cseq, "454 Session Not Found")
            return
        _reply(writer, cseq, "200 OK", [("Session", SESSION_ID)])


async def _read_message(reader: asyncio.StreamReader) -> tuple[str, CIMultiDict[str]]:
    """The start line and headers of the next message (the client sends no body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    start_line, *lines = head.decode().strip().split("\r\n")
    headers: CIMultiDict[str] = CIMultiDict()
    for line in lines:
        name, _, value = line.partition(":")
        headers.add(name.strip(), value.strip())
    return start_line, headers


def _request(start_line: str, headers: CIMultiDict[str]) -> Request:
    method, url, _version = start_line.split(" ")
    return Request(method, url, headers)


def _reply(
    writer: asyncio.StreamWriter,
    cseq: str,
    status: str,
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
) -> None:
    lines = [f"RTSP/1.0 {status}", f"CSeq: {cseq}"]
    lines += [f"{name}: {value}" for name, value in headers or []]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
