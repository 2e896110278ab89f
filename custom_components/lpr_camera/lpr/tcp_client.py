"""TCP type: we connect to the camera, log in, and it pushes a packet per recognised vehicle."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

from .exceptions import (
    CannotConnectError,
    InvalidAuthError,
    InvalidReadError,
    LoginRejectedError,
    LprError,
    ProtocolError,
)
from .log_once import LogOnce
from .models import PlateRead
from .session import SessionKeeper, open_tcp
from .tcp_codec import (
    COMM_LOGIN_REPLY,
    COMM_RECOG_POST,
    Packet,
    PacketDecoder,
    UnusualMetadata,
    decode_recognition,
    encode_login,
    parse_login_reply,
    unusual_metadata,
)

_LOGGER = logging.getLogger(__name__)

READ_SIZE = 65536
# The protocol has no heartbeat: the kernel probes an idle connection instead.
_KEEPALIVE_OPTIONS = (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3))


class TcpCameraClient(SessionKeeper["_Connection"]):
    """One camera's session: log in, deliver its reads, reconnect when the connection is lost.

    A read that looks decoded from a metadata layout we do not know (firmware we have not
    seen) is delivered all the same; on_unusual_metadata hears of it, with the chunk for a
    bug report, and the first one is logged.
    """

    _logger = _LOGGER
    _reopened_message = "Logged in to camera %s"

    def __init__(  # noqa: PLR0913 - each setting has its own meaning and default
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        *,
        on_read: Callable[[PlateRead], None],
        on_connection_change: Callable[[bool], None] | None = None,
        on_auth_failed: Callable[[], None] | None = None,
        on_unusual_metadata: Callable[[UnusualMetadata], None] | None = None,
        connect_timeout: float = 10.0,
        idle_timeout: float = 600.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        """Set up the client; nothing connects before check_login, connect or run."""
        super().__init__(
            f"{host}:{port}",
            on_connection_change=on_connection_change,
            on_auth_failed=on_auth_failed,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
        )
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._on_read = on_read
        self._on_unusual_metadata = on_unusual_metadata
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        # Once per client: its firmware, and so its layout, stays the same.
        self._log_unusual = LogOnce(_LOGGER)
        # Once per kind of fault: a camera that sends them all day would flood the log.
        self._log_skipped: dict[type[LprError], LogOnce] = {}

    async def check_login(self) -> None:
        """Connect and log in once, then close: proves the address and the credentials.

        Raises CannotConnectError, InvalidAuthError or LoginRejectedError.
        """
        (await self._open_session()).close()

    async def _serve(self, session: _Connection) -> None:
        """Deliver reads until the connection fails."""
        while True:
            packet = await session.read_packet(self._idle_timeout)
            if packet.command == COMM_RECOG_POST:
                self._deliver(packet)
                # Packets already received are read without a pause: a burst of reads must not
                # hold the event loop for all of them at once.
                await asyncio.sleep(0)
            else:
                _LOGGER.debug("Skipping command 0x%04x from camera %s", packet.command, self._name)

    def _deliver(self, packet: Packet) -> None:
        received_at = datetime.now(UTC)
        try:
            read = decode_recognition(packet.data, received_at=received_at)
        except (ProtocolError, InvalidReadError) as err:
            # The framing held, so only this read is lost; the connection is still good.
            log = self._log_skipped.setdefault(type(err), LogOnce(_LOGGER))
            log("Skipping a corrupt recognition from camera %s: %s", self._name, err)
            return
        if (unusual := unusual_metadata(packet.data, received_at=received_at)) is not None:
            self._report_unusual(unusual)
        try:
            self._on_read(read)
        except Exception:
            # A consumer's bug must not end the session.
            _LOGGER.exception("Error handling a read from camera %s", self._name)

    def _report_unusual(self, unusual: UnusualMetadata) -> None:
        self._log_unusual(
            "Camera %s sent a read in a metadata layout we may not know (%s; firmware %s by its "
            "size), delivered as decoded. Its metadata chunk for a bug report, plate masked: %s",
            self._name,
            "; ".join(unusual.reasons),
            unusual.firmware,
            unusual.metadata_hex,
        )
        if self._on_unusual_metadata is not None:
            self._on_unusual_metadata(unusual)

    async def _open_session(self) -> _Connection:
        connection = await self._dial()
        try:
            await self._login(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    async def _dial(self) -> _Connection:
        reader, writer = await open_tcp(self._host, self._port, self._connect_timeout)
        _enable_keepalive(writer.get_extra_info("socket"))
        return _Connection(reader, writer, self._name)

    async def _login(self, connection: _Connection) -> None:
        await connection.send(encode_login(self._username, self._password))
        try:
            async with asyncio.timeout(self._connect_timeout):
                packet = await connection.read_packet(self._connect_timeout)
                while packet.command != COMM_LOGIN_REPLY:
                    packet = await connection.read_packet(self._connect_timeout)
        except TimeoutError as err:
            raise CannotConnectError(f"camera {self._name} did not answer the login") from err
        status = parse_login_reply(packet.data)
        if status == "401":
            raise InvalidAuthError(f"camera {self._name} refused the user name or password")
        if status != "200":
            raise LoginRejectedError(status)


async def check_login(host: str, port: int, username: str, password: str) -> None:
    """Log in to the camera once (for the config flow); raises as TcpCameraClient.check_login."""
    await TcpCameraClient(host, port, username, password, on_read=lambda _read: None).check_login()


class _Connection:
    """One TCP connection to the camera: packets out, packets in."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, name: str
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._name = name
        self._decoder = PacketDecoder()
        self._pending: deque[Packet] = deque()
        self._garbage_logged = False

    async def send(self, packet: bytes) -> None:
        self._writer.write(packet)
        try:
            await self._writer.drain()
        except OSError as err:
            raise CannotConnectError(f"cannot send to camera {self._name}: {err}") from err

    async def read_packet(self, idle_timeout: float) -> Packet:
        """Return the next packet; CannotConnectError when the connection ends or stays silent."""
        while not self._pending:
            self._pending.extend(self._decoder.feed(await self._read(idle_timeout)))
            self._log_garbage_once()
        return self._pending.popleft()

    def close(self) -> None:
        self._writer.close()

    async def _read(self, idle_timeout: float) -> bytes:
        try:
            async with asyncio.timeout(idle_timeout):
                chunk = await self._reader.read(READ_SIZE)
        except TimeoutError as err:
            raise CannotConnectError(f"nothing received for {idle_timeout:g} s") from err
        except OSError as err:
            raise CannotConnectError(f"connection error: {err}") from err
        if not chunk:
            raise CannotConnectError("the camera closed the connection")
        return chunk

    def _log_garbage_once(self) -> None:
        """Warn once per connection: a camera that sends junk would otherwise flood the log."""
        if self._decoder.discarded_bytes and not self._garbage_logged:
            self._garbage_logged = True
            _LOGGER.warning(
                "Camera %s sent %d bytes outside any packet; skipping such bytes",
                self._name,
                self._decoder.discarded_bytes,
            )


def _enable_keepalive(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in _KEEPALIVE_OPTIONS:
        if (option := getattr(socket, name, None)) is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)
