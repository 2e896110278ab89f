"""TCP type: we connect to the camera, log in, and it pushes a packet per recognised vehicle."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from collections import deque
from collections.abc import Callable

from .exceptions import (
    CannotConnectError,
    InvalidAuthError,
    LoginRejectedError,
    LprError,
    ProtocolError,
)
from .models import PlateRead
from .tcp_codec import (
    COMM_LOGIN_REPLY,
    COMM_RECOG_POST,
    Packet,
    PacketDecoder,
    decode_recognition,
    encode_login,
    parse_login_reply,
)

_LOGGER = logging.getLogger(__name__)

READ_SIZE = 65536
# The protocol has no heartbeat: the kernel probes an idle connection instead.
_KEEPALIVE_OPTIONS = (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3))


class TcpCameraClient:
    """One camera's session: log in, deliver its reads, reconnect when the connection is lost."""

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
        connect_timeout: float = 10.0,
        idle_timeout: float = 600.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        """Set up the client; nothing connects before check_login, connect or run."""
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._on_read = on_read
        self._on_connection_change = on_connection_change
        self._on_auth_failed = on_auth_failed
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._connection: _Connection | None = None
        self._run_task: asyncio.Task[None] | None = None
        self._stopped = False

    @property
    def connected(self) -> bool:
        """Whether a logged-in connection is open."""
        return self._connection is not None

    async def check_login(self) -> None:
        """Connect and log in once, then close: proves the address and the credentials.

        Raises CannotConnectError, InvalidAuthError or LoginRejectedError.
        """
        (await self._open_connection()).close()

    async def connect(self) -> None:
        """Connect and log in; run() then uses this connection first. Raises as check_login."""
        await self._start_session()

    async def run(self) -> None:
        """Deliver reads until stop(), reconnecting whenever the connection is lost.

        Returns early only when the camera refuses the credentials on a reconnect,
        after calling on_auth_failed: retrying cannot help until they change.
        """
        if self._stopped:
            return
        self._run_task = asyncio.current_task()
        try:
            while True:
                connection = self._connection or await self._connect_with_backoff()
                if connection is None:
                    return
                await self._serve(connection)
                # Even after a good session: a camera that drops every login must not make us spin.
                await asyncio.sleep(_jitter(self._backoff_initial))
        finally:
            self._close_connection()

    async def stop(self) -> None:
        """Cancel run() and close the connection; safe to call more than once."""
        self._stopped = True
        task, self._run_task = self._run_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait([task])
        self._close_connection()

    async def _start_session(self) -> _Connection:
        self._close_connection()
        connection = self._connection = await self._open_connection()
        self._notify_connection(True)
        return connection

    async def _connect_with_backoff(self) -> _Connection | None:
        """Log in again, waiting longer after each failure; None when the password is refused."""
        delay = self._backoff_initial
        while True:
            try:
                connection = await self._start_session()
            except InvalidAuthError:
                _LOGGER.warning("Camera %s refused the user name or password", self._name)
                if self._on_auth_failed is not None:
                    self._on_auth_failed()
                return None
            except LprError as err:
                _LOGGER.debug("Reconnecting to camera %s failed: %s", self._name, err)
                await asyncio.sleep(_jitter(delay))
                delay = min(delay * 2, self._backoff_max)
            else:
                _LOGGER.info("Logged in to camera %s", self._name)
                return connection

    async def _serve(self, connection: _Connection) -> None:
        """Deliver reads until the connection fails, then close it."""
        try:
            await self._deliver_reads(connection)
        except LprError as err:
            _LOGGER.warning("Lost the connection to camera %s: %s", self._name, err)
        self._close_connection()
        self._notify_connection(False)

    async def _deliver_reads(self, connection: _Connection) -> None:
        while True:
            packet = await connection.read_packet(self._idle_timeout)
            if packet.command == COMM_RECOG_POST:
                self._deliver(packet)
            else:
                _LOGGER.debug("Skipping command 0x%04x from camera %s", packet.command, self._name)

    def _deliver(self, packet: Packet) -> None:
        try:
            read = decode_recognition(packet.data)
        except ProtocolError as err:
            # The framing held, so only this read is lost; the connection is still good.
            _LOGGER.warning("Skipping a corrupt recognition from camera %s: %s", self._name, err)
            return
        try:
            self._on_read(read)
        except Exception:
            # A consumer's bug must not end the session.
            _LOGGER.exception("Error handling a read from camera %s", self._name)

    async def _open_connection(self) -> _Connection:
        connection = await self._dial()
        try:
            await self._login(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    async def _dial(self) -> _Connection:
        try:
            async with asyncio.timeout(self._connect_timeout):
                reader, writer = await asyncio.open_connection(self._host, self._port)
        except OSError as err:  # TimeoutError included
            reason = str(err) or "timed out"
            raise CannotConnectError(f"cannot connect to {self._name}: {reason}") from err
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

    def _close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _notify_connection(self, connected: bool) -> None:
        if self._on_connection_change is not None:
            self._on_connection_change(connected)

    @property
    def _name(self) -> str:
        return f"{self._host}:{self._port}"


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


def _jitter(delay: float) -> float:
    """Spread reconnects so the clients of one rebooted camera do not all arrive at once."""
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - timing, not cryptography


def _enable_keepalive(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in _KEEPALIVE_OPTIONS:
        if (option := getattr(socket, name, None)) is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)
