"""The simulated camera of the TCP type, for the tests, the benchmark and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from custom_components.lpr_camera.lpr.exceptions import ProtocolError
from custom_components.lpr_camera.lpr.models import PlateRead
from custom_components.lpr_camera.lpr.tcp_codec import (
    COMM_LOGIN_REPLY,
    COMM_LOGIN_REQ,
    COMM_RECOG_POST,
    PacketDecoder,
    encode_packet,
    encode_recognition,
)

_LOGGER = logging.getLogger(__name__)


class CameraSimulator:
    """The camera side of the TCP type: accepts logins and pushes recognitions."""

    def __init__(
        self,
        username: str = "admin",
        password: str = "1234",  # noqa: S107 - the vendor's example, for a test double
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Set up the camera; port 0 picks a free port at start()."""
        self.username = username
        self.password = password
        # Answer every login with this status instead of checking the credentials.
        self.reply_status: str | None = None
        self.login_attempts = 0
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._connections: set[asyncio.StreamWriter] = set()
        self._logged_in: set[asyncio.StreamWriter] = set()
        self._client_logged_in = asyncio.Event()

    @property
    def port(self) -> int:
        """The port the camera listens on (the bound one once started)."""
        return self._port

    @property
    def client_count(self) -> int:
        """How many clients are connected, logged in or not."""
        return len(self._connections)

    @property
    def logged_in(self) -> bool:
        """Whether a client is logged in: a read pushed now reaches it."""
        return bool(self._logged_in)

    async def start(self) -> None:
        """Listen for clients."""
        self._server = await asyncio.start_server(self._handle_client, self._host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        if self._server is not None:
            self._server.close()
            await self.drop_clients()
            await self._server.wait_closed()
            self._server = None

    async def wait_for_client(self, timeout: float = 5) -> None:  # noqa: ASYNC109 - a test helper
        """Wait until a client is logged in; TimeoutError after timeout seconds."""
        async with asyncio.timeout(timeout):
            await self._client_logged_in.wait()

    async def drop_clients(self) -> None:
        """Close every connection, as a reboot of the camera does."""
        self._logged_in.clear()
        self._client_logged_in.clear()
        for writer in list(self._connections):
            writer.close()
        if self._handlers:
            await asyncio.wait(self._handlers)

    async def push(self, read: PlateRead, *, firmware: str = "1.6") -> None:
        """Send a recognition to every logged-in client."""
        await self.push_raw(
            encode_packet(COMM_RECOG_POST, encode_recognition(read, firmware=firmware))
        )

    async def push_raw(self, data: bytes) -> None:
        """Send arbitrary bytes to every logged-in client (for fault tests)."""
        for writer in list(self._logged_in):
            writer.write(data)
            with contextlib.suppress(ConnectionError):
                await writer.drain()

    async def _handle_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None  # the server runs each handler in a task
        self._handlers.add(task)
        self._connections.add(writer)
        decoder = PacketDecoder()
        try:
            while chunk := await reader.read(65536):
                for packet in decoder.feed(chunk):
                    if packet.command == COMM_LOGIN_REQ:
                        await self._answer_login(packet.data, writer)
        except (ConnectionError, ProtocolError) as err:
            _LOGGER.debug("Client left: %s", err)
        finally:
            self._forget(writer)
            self._handlers.discard(task)

    async def _answer_login(self, data: bytes, writer: asyncio.StreamWriter) -> None:
        self.login_attempts += 1
        status = self.reply_status or self._check_credentials(data)
        writer.write(encode_packet(COMM_LOGIN_REPLY, json.dumps({"result": status}).encode()))
        await writer.drain()
        if status == "200":
            self._logged_in.add(writer)
            self._client_logged_in.set()

    def _check_credentials(self, data: bytes) -> str:
        try:
            login = json.loads(data)
        except ValueError:
            return "400"
        credentials = (login.get("id"), login.get("password")) if isinstance(login, dict) else None
        return "200" if credentials == (self.username, self.password) else "401"

    def _forget(self, writer: asyncio.StreamWriter) -> None:
        writer.close()
        self._connections.discard(writer)
        self._logged_in.discard(writer)
        if not self._logged_in:
            self._client_logged_in.clear()
