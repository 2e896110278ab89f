"""RTSP type: play the camera's ONVIF metadata track and deliver the plate reads in it.

Only the metadata track is set up, RTP interleaved in the RTSP connection. The pictures an
event names are fetched over HTTP at once (the camera keeps only its latest ones), and the
reads are delivered in the order the camera sent them. Reads wait for their pictures in a
line of their own: the task that reads the connection never waits for a fetch, so it keeps
answering the camera (keepalives) however slow the pictures come.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp

from .digest import Authenticator
from .exceptions import LprError, PictureFetchError
from .log_once import LogOnce
from .models import PlateRead
from .onvif import PlateEvent, parse_metadata
from .picture import DEFAULT_TIMEOUT as PICTURE_TIMEOUT
from .picture import fetch_picture, picture_url
from .rtp import MetadataReassembler, parse_rtp
from .rtsp import FrameHandler, RtspConnection, interleaved_channel, session_header
from .sdp import MetadataTrack, find_metadata_track
from .session import SessionKeeper, open_tcp

_LOGGER = logging.getLogger(__name__)

DEFAULT_RTSP_PORT = 554
_TRANSPORT = "RTP/AVP/TCP;unicast;interleaved=0-1"
_TEARDOWN_TIMEOUT = 2.0
# Reads in line for delivery, each holding the pictures fetched so far. Past this, a new read
# joins the line without fetching its pictures: pictures in memory stay bounded, and the
# connection's reader is never held up (the line empties within one picture timeout).
MAX_WAITING_READS = 16


@dataclass(frozen=True, slots=True)
class _Session:
    """A playing RTSP session."""

    connection: RtspConnection
    url: str
    session_id: str
    keepalive_method: str
    keepalive_interval: float

    async def request(self, method: str) -> None:
        await self.connection.request(method, self.url, {"Session": self.session_id})

    def close(self) -> None:
        """Close the connection at once, without TEARDOWN."""
        self.connection.close()


class RtspMetadataClient(SessionKeeper[_Session]):
    """One camera's metadata stream: play it, deliver its reads, reconnect when it is lost."""

    _logger = _LOGGER
    _lost_message = "Lost the metadata stream of camera %s: %s"

    def __init__(  # noqa: PLR0913 - each setting has its own meaning and default
        self,
        url: str,
        username: str,
        password: str,
        *,
        on_read: Callable[[PlateRead], None],
        on_connection_change: Callable[[bool], None] | None = None,
        on_auth_failed: Callable[[], None] | None = None,
        http_session: aiohttp.ClientSession | None = None,
        http_port: int = 80,
        connect_timeout: float = 10.0,
        picture_timeout: float = PICTURE_TIMEOUT,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        """Set up the client; nothing connects before describe_check, connect or run.

        `url` is the camera's `rtsp://host[:port]/path`, without credentials. Pictures are
        fetched from `http_port` of the same host through `http_session`; without one the
        reads come without pictures. Raises ValueError for a URL that is not like that.
        """
        parts = urlsplit(url)
        if parts.scheme.lower() != "rtsp" or not parts.hostname:
            raise ValueError(f"not an rtsp:// URL with a host: {url!r}")
        if parts.username is not None:
            raise ValueError("give the credentials as username and password, not in the URL")
        super().__init__(
            url,
            on_connection_change=on_connection_change,
            on_auth_failed=on_auth_failed,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
        )
        self._url = url
        self._host = parts.hostname
        self._port = parts.port or DEFAULT_RTSP_PORT
        self._username = username
        self._password = password
        self._on_read = on_read
        self._http_session = http_session
        self._http_port = http_port
        self._connect_timeout = connect_timeout
        self._picture_timeout = picture_timeout
        # Each read, in the camera's order, once it has its pictures (or failed to get them).
        self._reads: asyncio.Queue[asyncio.Future[PlateRead]] = asyncio.Queue()
        self._waiting_reads = 0  # queued, or being delivered
        # A camera that sends reads in bursts, or whose pictures fail, would flood the log.
        self._log_backlog = LogOnce(_LOGGER)
        self._log_picture_failed = LogOnce(_LOGGER)

    async def describe_check(self) -> MetadataTrack:
        """Connect, authenticate and DESCRIBE once, then close: proves URL, credentials, track.

        Raises CannotConnectError, InvalidAuthError, NoMetadataTrackError,
        RequestRejectedError (e.g. 404 for a wrong path) or ProtocolError.
        """
        connection = await self._dial(_ignore_frame)
        try:
            _keepalive_method, track = await self._describe(connection)
        finally:
            connection.close()
        return track

    @asynccontextmanager
    async def _running(self) -> AsyncIterator[None]:
        """Deliver the queued reads while run() keeps the stream playing."""
        delivering = asyncio.create_task(self._deliver_reads())
        try:
            yield
        finally:
            delivering.cancel()

    async def _serve(self, session: _Session) -> None:
        """Send a keepalive every half session timeout; raise why the connection ended."""
        while True:
            try:
                async with asyncio.timeout(session.keepalive_interval):
                    reason = await session.connection.closed()
            except TimeoutError:
                await session.request(session.keepalive_method)
                continue
            raise reason

    async def _open_session(self) -> _Session:
        receiver = _MetadataReceiver(self._url, self._queue_read)
        connection = await self._dial(receiver.on_frame)
        try:
            keepalive_method, track = await self._describe(connection)
            setup = await connection.request("SETUP", track.url, {"Transport": _TRANSPORT})
            session_id, timeout = session_header(setup.headers.get("Session"))
            receiver.listen(interleaved_channel(setup.headers.get("Transport")), track)
            headers = {"Session": session_id, "Range": "npt=0.000-"}
            await connection.request("PLAY", track.session_url, headers)
        except BaseException:
            connection.close()
            raise
        return _Session(connection, track.session_url, session_id, keepalive_method, timeout / 2)

    async def _dial(self, on_frame: FrameHandler) -> RtspConnection:
        reader, writer = await open_tcp(self._host, self._port, self._connect_timeout)
        return RtspConnection(
            reader,
            writer,
            auth=Authenticator(self._username, self._password),
            on_frame=on_frame,
            timeout=self._connect_timeout,
        )

    async def _describe(self, connection: RtspConnection) -> tuple[str, MetadataTrack]:
        """The keepalive the camera offers (GET_PARAMETER, else OPTIONS) and its metadata track."""
        options = await connection.request("OPTIONS", self._url)
        public = {method.strip().upper() for method in options.headers.get("Public", "").split(",")}
        keepalive_method = "GET_PARAMETER" if "GET_PARAMETER" in public else "OPTIONS"
        described = await connection.request("DESCRIBE", self._url, {"Accept": "application/sdp"})
        headers = described.headers
        base = headers.get("Content-Base") or headers.get("Content-Location") or self._url
        sdp = described.body.decode("utf-8", "replace")
        return keepalive_method, find_metadata_track(sdp, base)

    async def _end_session(self) -> None:
        """TEARDOWN (briefly: the camera may be gone), close, then drop the reads still waiting."""
        if (session := self._session) is not None:
            try:
                async with asyncio.timeout(_TEARDOWN_TIMEOUT):
                    await session.request("TEARDOWN")
            except (LprError, TimeoutError) as err:
                _LOGGER.debug("TEARDOWN of camera %s failed: %s", self._url, err)
        await super()._end_session()
        # Only now: until the connection closed, frames could still queue reads.
        self._drop_pending_reads()

    def _queue_read(self, event: PlateEvent) -> None:
        """Start fetching the event's pictures now; the read waits in line for delivery.

        Never waits itself: the connection's reader calls it. With too many reads in line
        already, this one is queued as it is, without fetching its pictures.
        """
        waiting: asyncio.Future[PlateRead]
        if self._waiting_reads < MAX_WAITING_READS:
            waiting = asyncio.create_task(self._with_pictures(event))
        else:
            self._log_backlog(
                "Camera %s sends reads faster than their pictures arrive (%d waiting): "
                "delivering the next ones without their pictures",
                self._url,
                self._waiting_reads,
            )
            waiting = asyncio.get_running_loop().create_future()
            waiting.set_result(event.read)
        self._waiting_reads += 1
        self._reads.put_nowait(waiting)

    async def _deliver_reads(self) -> None:
        while True:
            waiting = await self._reads.get()
            try:
                self._on_read(await waiting)
            except Exception:
                # A bug, here or in the consumer, must not stop the reads that follow.
                _LOGGER.exception("Error delivering a read from camera %s", self._url)
            finally:
                self._waiting_reads -= 1

    def _drop_pending_reads(self) -> None:
        while not self._reads.empty():
            self._reads.get_nowait().cancel()
            self._waiting_reads -= 1

    async def _with_pictures(self, event: PlateEvent) -> PlateRead:
        plate_image, full_image = await asyncio.gather(
            self._picture(event.plate_image_uri), self._picture(event.full_image_uri)
        )
        return replace(event.read, plate_image=plate_image, full_image=full_image)

    async def _picture(self, path: str | None) -> bytes | None:
        """The picture's bytes; None, with the reason logged, when there is none."""
        if path is None or self._http_session is None:
            return None
        try:
            url = picture_url(self._host, self._http_port, path)
            return await fetch_picture(
                self._http_session,
                url,
                self._username,
                self._password,
                timeout=self._picture_timeout,
            )
        except PictureFetchError as err:
            self._log_picture_failed(
                "Read from camera %s comes without its picture: %s", self._url, err
            )
            return None


async def describe_check(url: str, username: str, password: str) -> MetadataTrack:
    """Check URL, credentials and metadata track once (for the config flow).

    Raises as RtspMetadataClient.describe_check, and ValueError for a URL that is no rtsp:// URL.
    """
    client = RtspMetadataClient(url, username, password, on_read=lambda _read: None)
    return await client.describe_check()


class _MetadataReceiver:
    """Turns one connection's RTP frames on the metadata channel into plate events."""

    def __init__(self, name: str, on_event: Callable[[PlateEvent], None]) -> None:
        self._name = name
        self._on_event = on_event
        self._channel: int | None = None
        self._payload_type = 0
        self._reassembler = MetadataReassembler(gzip=False)
        # Once per connection: a camera that sends junk would otherwise flood the log.
        self._log_skipped = LogOnce(_LOGGER)

    def listen(self, channel: int, track: MetadataTrack) -> None:
        """Take the track's frames from now on (they may come before PLAY's answer)."""
        self._channel = channel
        self._payload_type = track.payload_type
        self._reassembler = MetadataReassembler(gzip=track.gzip)

    def on_frame(self, channel: int, frame: bytes) -> None:
        """Handle one interleaved frame; RTCP and other channels are ignored."""
        if channel != self._channel:
            return
        try:
            packet = parse_rtp(frame)
            if packet.payload_type != self._payload_type:
                return
            document = self._reassembler.push(packet)
            if not document:
                return
            events = parse_metadata(
                document, received_at=datetime.now(UTC), on_skipped=self._skipped
            )
        except LprError as err:
            self._skipped(err)
            return
        for event in events:
            self._on_event(event)

    def _skipped(self, err: LprError) -> None:
        self._log_skipped("Skipping metadata from camera %s: %s", self._name, err)


def _ignore_frame(_channel: int, _frame: bytes) -> None:
    """No track is played while only checking."""


def rtsp_url(host: str, port: int, path: str) -> str:
    """The camera's stream URL from the parts a user types (an IPv6 address gets its brackets)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"rtsp://{host}:{port}/{path.lstrip('/')}"
