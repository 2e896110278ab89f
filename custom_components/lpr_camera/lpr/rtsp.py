"""RTSP 1.0 (RFC 2326) over one TCP connection, with RTP interleaved in it (`$` frames).

One task reads everything the camera sends: answers go to the request with their CSeq,
interleaved frames to a handler, so a keepalive can be answered while the stream flows.
The handler is a plain function, so nothing it starts can hold that task up.
"""

from __future__ import annotations

import asyncio
import logging
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from multidict import CIMultiDict, CIMultiDictProxy

from .digest import WWW_AUTHENTICATE, Authenticator
from .exceptions import (
    CannotConnectError,
    InvalidAuthError,
    ProtocolError,
    RequestRejectedError,
)
from .values import as_ascii_integer

_LOGGER = logging.getLogger(__name__)

USER_AGENT = "lpr_camera"
# A session the camera gives no timeout lasts this long (RFC 2326, 12.37).
DEFAULT_SESSION_TIMEOUT = 60
# Bounds on what one message may make us hold; an interleaved frame is at most 65535 bytes.
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 256 * 1024

_FRAME_HEADER = struct.Struct("!BH")
_TIMEOUT = re.compile(r"timeout\s*=\s*([0-9]+)", re.IGNORECASE)
_INTERLEAVED = re.compile(r"interleaved\s*=\s*([0-9]+)", re.IGNORECASE)

type FrameHandler = Callable[[int, bytes], None]


@dataclass(frozen=True, slots=True)
class RtspResponse:
    """The camera's answer to a request."""

    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    body: bytes


class RtspConnection:
    """One RTSP connection to a camera, authenticating its requests as the camera asks."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        auth: Authenticator,
        on_frame: FrameHandler,
        timeout: float,
    ) -> None:
        """Start reading at once; `timeout` bounds the wait for each answer."""
        self._reader = reader
        self._writer = writer
        self._auth = auth
        self._on_frame = on_frame
        self._timeout = timeout
        self._cseq = 0
        self._pending: dict[int, asyncio.Future[RtspResponse]] = {}
        self._reading = asyncio.create_task(self._read_messages())

    async def request(
        self, method: str, url: str, headers: Mapping[str, str] | None = None
    ) -> RtspResponse:
        """Send a request and return its successful answer, answering one 401 challenge.

        Raises InvalidAuthError, RequestRejectedError (any other error status),
        CannotConnectError, or ProtocolError for an authentication we do not speak.
        """
        response = await self._exchange(method, url, headers or {})
        if response.status == 401:
            self._auth.answer(response.headers.getall(WWW_AUTHENTICATE, ()))
            response = await self._exchange(method, url, headers or {})
        if response.status == 401:
            raise InvalidAuthError(f"camera refused the user name or password for {method}")
        if not 200 <= response.status < 300:
            raise RequestRejectedError(method, response.status, response.reason)
        return response

    async def closed(self) -> Exception:
        """Wait until the connection ends; return why (an LprError, or the bug reading met)."""
        await asyncio.wait([self._reading])
        if self._reading.cancelled():
            return CannotConnectError("connection closed")
        return self._reading.result()

    def close(self) -> None:
        """Close the connection; requests waiting for an answer fail."""
        self._reading.cancel()
        self._writer.close()

    async def _exchange(self, method: str, url: str, headers: Mapping[str, str]) -> RtspResponse:
        if self._reading.done():
            raise await self.closed()
        self._cseq += 1
        cseq = self._cseq
        future: asyncio.Future[RtspResponse] = asyncio.get_running_loop().create_future()
        self._pending[cseq] = future
        try:
            async with asyncio.timeout(self._timeout):
                self._writer.write(self._encode(method, url, cseq, headers))
                await self._writer.drain()
                return await future
        except TimeoutError as err:
            raise CannotConnectError(f"camera did not answer {method} in time") from err
        except OSError as err:
            raise CannotConnectError(f"cannot send {method}: {err}") from err
        finally:
            del self._pending[cseq]

    def _encode(self, method: str, url: str, cseq: int, headers: Mapping[str, str]) -> bytes:
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {cseq}", f"User-Agent: {USER_AGENT}"]
        if authorization := self._auth.authorization(method, url):
            lines.append(f"Authorization: {authorization}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def _read_messages(self) -> Exception:
        """Read until the connection ends; pending requests fail with the reason returned.

        An unexpected exception (a bug) is returned too, not raised: the session's owner
        logs it, and this task never ends with an exception nobody retrieves.
        """
        reason: Exception = CannotConnectError("connection closed")
        try:
            while True:
                await self._read_message()
        except asyncio.IncompleteReadError:
            reason = CannotConnectError("the camera closed the connection")
        except OSError as err:
            reason = CannotConnectError(f"connection error: {err}")
        except Exception as err:  # noqa: BLE001 - an LprError, or a bug the owner logs
            reason = err
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(reason)
        return reason

    async def _read_message(self) -> None:
        first = await self._reader.readexactly(1)
        if first == b"$":
            channel, length = _FRAME_HEADER.unpack(await self._reader.readexactly(3))
            self._on_frame(channel, await self._reader.readexactly(length))
        elif first not in b"\r\n":  # stray line ends between messages are skipped
            start_line, headers = await self._read_head(first)
            body = await self._read_body(headers)
            if start_line.startswith("RTSP/"):
                self._answer(_response(start_line, headers, body))
            else:
                await self._refuse(start_line, headers)

    async def _read_head(self, first: bytes) -> tuple[str, CIMultiDict[str]]:
        lines = []
        size = 0
        line = first + await self._read_line()
        while line.strip():
            size += len(line)
            if size > MAX_HEADER_BYTES:
                raise ProtocolError(f"RTSP header larger than {MAX_HEADER_BYTES} bytes")
            lines.append(line.decode("utf-8", "replace").strip())
            line = await self._read_line()
        headers: CIMultiDict[str] = CIMultiDict()
        for header in lines[1:]:
            name, colon, value = header.partition(":")
            if colon:
                headers.add(name.strip(), value.strip())
        return lines[0], headers

    async def _read_line(self) -> bytes:
        try:
            line = await self._reader.readuntil(b"\n")
        except asyncio.LimitOverrunError as err:
            raise ProtocolError("RTSP header line too long") from err
        return line

    async def _read_body(self, headers: CIMultiDict[str]) -> bytes:
        sent = headers.get("Content-Length", "0")
        if (length := as_ascii_integer(sent)) is None or length > MAX_BODY_BYTES:
            raise ProtocolError(f"RTSP Content-Length {sent!r:.40} is not a size we accept")
        return await self._reader.readexactly(length)

    def _answer(self, response: _Response) -> None:
        future = self._pending.get(response.cseq)
        if future is None or future.done():
            _LOGGER.debug("Dropping an RTSP answer to no pending request: %s", response.cseq)
            return
        future.set_result(response.response)

    async def _refuse(self, start_line: str, headers: CIMultiDict[str]) -> None:
        """The camera sent a request (a client need implement none): say so, as RFC 2326 asks."""
        _LOGGER.debug("Camera sent a request we do not serve: %s", start_line)
        cseq = headers.get("CSeq", "0")
        self._writer.write(f"RTSP/1.0 501 Not Implemented\r\nCSeq: {cseq}\r\n\r\n".encode())
        await self._writer.drain()


@dataclass(frozen=True, slots=True)
class _Response:
    cseq: int
    response: RtspResponse


def _response(status_line: str, headers: CIMultiDict[str], body: bytes) -> _Response:
    _version, _, rest = status_line.partition(" ")
    sent_status, _, reason = rest.partition(" ")
    sent_cseq = headers.get("CSeq", "")
    status, cseq = as_ascii_integer(sent_status), as_ascii_integer(sent_cseq)
    if status is None or cseq is None:
        raise ProtocolError(f"malformed RTSP answer: {status_line!r:.80}, CSeq {sent_cseq!r:.40}")
    return _Response(cseq, RtspResponse(status, reason, CIMultiDictProxy(headers), body))


def session_header(value: str | None) -> tuple[str, int]:
    """The session id and its timeout in seconds from a SETUP answer's `Session` header."""
    session_id, _, parameters = (value or "").partition(";")
    if not session_id.strip():
        raise ProtocolError("SETUP answer has no session")
    match = _TIMEOUT.search(parameters)
    timeout = as_ascii_integer(match[1]) if match else None
    return session_id.strip(), timeout or DEFAULT_SESSION_TIMEOUT


def interleaved_channel(transport: str | None) -> int:
    """The RTP channel of a SETUP answer's `Transport` header (RTP over the RTSP connection)."""
    match = _INTERLEAVED.search(transport or "")
    if match is None or (channel := as_ascii_integer(match[1])) is None:
        raise ProtocolError(f"camera did not accept RTP over TCP: Transport {transport!r:.80}")
    return channel
