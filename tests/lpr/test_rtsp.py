"""The RTSP connection against a peer that answers with scripted bytes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from custom_components.lpr_camera.lpr import (
    CannotConnectError,
    InvalidAuthError,
    LprError,
    ProtocolError,
    RequestRejectedError,
)
from custom_components.lpr_camera.lpr.digest import Authenticator
from custom_components.lpr_camera.lpr.rtsp import (
    DEFAULT_SESSION_TIMEOUT,
    RtspConnection,
    interleaved_channel,
    session_header,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

URL = "rtsp://127.0.0.1/stream"
LIMIT = 5
OK = b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"
CHALLENGE = b'WWW-Authenticate: Digest realm="cam", nonce="n"\r\n'


@asynccontextmanager
async def camera_answering(
    *answers: bytes,
) -> AsyncIterator[tuple[RtspConnection, list[tuple[int, bytes]]]]:
    """A connection whose peer answers each request with the next bytes, then only listens.

    An empty answer closes the connection instead. Yields the connection and the interleaved
    frames it handed over.
    """

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for answer in answers:
            await reader.readuntil(b"\r\n\r\n")
            if not answer:
                break
            writer.write(answer)
            await writer.drain()
        else:
            await reader.read()
        writer.close()

    frames: list[tuple[int, bytes]] = []

    def on_frame(channel: int, frame: bytes) -> None:
        frames.append((channel, frame))

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
    connection = RtspConnection(
        reader, writer, auth=Authenticator("admin", "1234"), on_frame=on_frame, timeout=LIMIT
    )
    try:
        yield connection, frames
    finally:
        connection.close()
        server.close()
        await server.wait_closed()


async def test_answer_among_frames_and_stray_line_ends() -> None:
    answer = (
        b"$\x00\x00\x03abc\r\n\r\n"
        b"RTSP/1.0 200 OK\r\ncseq: 1\r\nNot a header\r\nContent-Length: 4\r\n\r\nbody"
        b"$\x01\x00\x00"
    )
    async with camera_answering(answer) as (connection, frames):
        response = await connection.request("DESCRIBE", URL)
        await asyncio.sleep(0)

    assert (response.status, response.reason, response.body) == (200, "OK", b"body")
    assert list(response.headers) == ["cseq", "Content-Length"]
    assert frames[0] == (0, b"abc")


async def test_answer_to_no_pending_request_is_dropped() -> None:
    stray = b"RTSP/1.0 451 Stray\r\nCSeq: 99\r\n\r\n"
    async with camera_answering(stray + OK) as (connection, _):
        assert (await connection.request("OPTIONS", URL)).status == 200


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n" + (b"X: " + b"x" * 1000 + b"\r\n") * 70, "larger than"),
        (b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
        (b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 999999999\r\n\r\n", "Content-Length"),
        # str.isdigit() takes these; int() refuses them, or is slow with them.
        ("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: ²\r\n\r\n".encode(), "Content-Length"),
        ("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: ٣\r\n\r\n".encode(), "Content-Length"),
        pytest.param(
            b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n",
            "Content-Length",
            id="Content-Length of 5000 digits",
        ),
        ("RTSP/1.0 ²00 OK\r\nCSeq: 1\r\n\r\n".encode(), "malformed RTSP answer"),
        ("RTSP/1.0 200 OK\r\nCSeq: ²\r\n\r\n".encode(), "malformed RTSP answer"),
        (b"RTSP/1.0 OK\r\nCSeq: 1\r\n\r\n", "malformed RTSP answer"),
        (b"RTSP/1.0 200 OK\r\n\r\n", "malformed RTSP answer"),
    ],
)
async def test_broken_answers(answer: bytes, reason: str) -> None:
    async with camera_answering(answer) as (connection, _):
        with pytest.raises(ProtocolError, match=reason):
            await connection.request("OPTIONS", URL)
        with pytest.raises(ProtocolError, match=reason):
            await connection.request("OPTIONS", URL)


async def test_camera_closes_instead_of_answering() -> None:
    async with camera_answering(b"") as (connection, _):
        with pytest.raises(CannotConnectError, match="closed the connection"):
            await connection.request("OPTIONS", URL)
        with pytest.raises(CannotConnectError, match="closed the connection"):
            await connection.request("OPTIONS", URL)
        assert str(await connection.closed()) == "the camera closed the connection"


async def test_closing_fails_the_waiting_request() -> None:
    async with camera_answering() as (connection, _):
        waiting = asyncio.create_task(connection.request("OPTIONS", URL))
        await asyncio.sleep(0.01)
        connection.close()

        with pytest.raises(CannotConnectError, match="connection closed"):
            await waiting


async def test_error_status() -> None:
    answer = b"RTSP/1.0 454 Session Not Found\r\nCSeq: 1\r\n\r\n"
    async with camera_answering(answer) as (connection, _):
        with pytest.raises(RequestRejectedError) as caught:
            await connection.request("GET_PARAMETER", URL)
    assert (caught.value.method, caught.value.status) == ("GET_PARAMETER", 454)
    assert str(caught.value) == "camera answered GET_PARAMETER with 454 Session Not Found"


async def test_refused_twice() -> None:
    refused = b"RTSP/1.0 401 Unauthorized\r\nCSeq: %d\r\n" + CHALLENGE + b"\r\n"
    async with camera_answering(refused % 1, refused % 2) as (connection, _):
        with pytest.raises(InvalidAuthError):
            await connection.request("OPTIONS", URL)


async def test_401_without_a_challenge() -> None:
    async with camera_answering(b"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n\r\n") as (connection, _):
        with pytest.raises(ProtocolError, match=r"do not speak \(none\)"):
            await connection.request("OPTIONS", URL)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345678;timeout=30", ("12345678", 30)),
        (" abc ; Timeout = 5", ("abc", 5)),
        ("abc", ("abc", DEFAULT_SESSION_TIMEOUT)),
        ("abc;timeout=0", ("abc", DEFAULT_SESSION_TIMEOUT)),
        ("abc;timeout=²", ("abc", DEFAULT_SESSION_TIMEOUT)),
        pytest.param(
            "abc;timeout=" + "9" * 5000, ("abc", DEFAULT_SESSION_TIMEOUT), id="5000 digits"
        ),
    ],
)
def test_session_header(value: str, expected: tuple[str, int]) -> None:
    assert session_header(value) == expected


@pytest.mark.parametrize("value", [None, "", ";timeout=60"])
def test_no_session(value: str | None) -> None:
    with pytest.raises(ProtocolError, match="no session"):
        session_header(value)


def test_interleaved_channel() -> None:
    assert interleaved_channel("RTP/AVP/TCP;unicast;interleaved=4-5;ssrc=1") == 4


@pytest.mark.parametrize(
    "value",
    [
        None,
        "RTP/AVP;unicast;client_port=5000-5001",
        "RTP/AVP/TCP;interleaved=²",
        pytest.param("RTP/AVP/TCP;interleaved=" + "9" * 5000, id="5000 digits"),
    ],
)
def test_not_interleaved(value: str | None) -> None:
    with pytest.raises(LprError, match="did not accept RTP over TCP"):
        interleaved_channel(value)
