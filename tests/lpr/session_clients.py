"""What the tests of the two session clients (TCP and RTSP) share."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.lpr.session import SessionKeeper

USERNAME = "admin"
PASSWORD = "1234"
LIMIT = 5  # seconds any awaited event may take before the test fails
# Short enough that the tests of reconnecting do not wait on real backoff.
FAST_BACKOFF = {"backoff_initial": 0.01, "backoff_max": 0.05}


class Recorder[ClientT: SessionKeeper[Any]]:
    """A session client of a test camera, recording everything its callbacks report."""

    def __init__(
        self,
        client_class: Callable[..., ClientT],
        *address: object,
        password: str = PASSWORD,
        **settings: Any,
    ) -> None:
        self.reads: asyncio.Queue[PlateRead] = asyncio.Queue()
        self.connection_changes: list[bool] = []
        self.auth_failed = asyncio.Event()
        self.client = client_class(
            *address,
            USERNAME,
            password,
            on_read=self.reads.put_nowait,
            on_connection_change=self.connection_changes.append,
            on_auth_failed=self.auth_failed.set,
            **(FAST_BACKOFF | settings),
        )
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.client.connect()
        self.task = asyncio.create_task(self.client.run())

    async def next_read(self) -> PlateRead:
        async with asyncio.timeout(LIMIT):
            return await self.reads.get()


@asynccontextmanager
async def stopped_at_end[RecorderT: Recorder[Any]](
    make: Callable[..., RecorderT],
) -> AsyncIterator[Callable[..., RecorderT]]:
    """`make`, keeping each client it makes to stop it when the test ends however it ends."""
    made: list[RecorderT] = []

    def make_and_keep(*args: Any, **kwargs: Any) -> RecorderT:
        made.append(make(*args, **kwargs))
        return made[-1]

    try:
        yield make_and_keep
    finally:
        for recording in made:
            await recording.client.stop()


@asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A server on 127.0.0.1 that accepts connections but never answers; yields its port."""

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    async with server:
        yield port
