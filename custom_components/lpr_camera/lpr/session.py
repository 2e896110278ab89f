"""The life of a camera session, shared by the clients that keep one open (TCP, RTSP).

A client opens a session, serves it until it is lost, then opens it again with backoff,
until stop(). What a session is, and how it is opened and served, is the transport's.
"""

from __future__ import annotations

import asyncio
import logging
import random
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from .exceptions import CannotConnectError, InvalidAuthError, LprError
from .log_once import LogOnce

_LOGGER = logging.getLogger(__name__)


class ClosableSession(Protocol):
    """What the keeper needs of a session: closing it at once, without a word to the camera."""

    def close(self) -> None:
        """Close the session's connection."""


class SessionKeeper[SessionT: ClosableSession](ABC):
    """Keeps one session with a camera open: connect(), run() until stop(), `connected`.

    run() serves the session connect() opened first, then reopens it whenever it is lost,
    waiting longer after each failure. on_connection_change hears of every session opened
    and every session lost (not of one stop() ends); on_auth_failed, of credentials refused
    on a reopen.

    Any failure counts, not only the library's own errors: an unexpected exception (a bug,
    maybe met only with one camera's firmware) loses the session like a broken connection
    does, and its traceback is logged once per client, then at debug level.
    """

    # A transport logs under its own module's name, and words these for its kind of session.
    _logger: logging.Logger = _LOGGER
    _reopened_message = "Reconnected to camera %s"
    _lost_message = "Lost the connection to camera %s: %s"

    def __init__(
        self,
        name: str,
        *,
        on_connection_change: Callable[[bool], None] | None,
        on_auth_failed: Callable[[], None] | None,
        backoff_initial: float,
        backoff_max: float,
    ) -> None:
        """Set up the keeper; `name` says which camera in the log."""
        self._name = name
        self._on_connection_change = on_connection_change
        self._on_auth_failed = on_auth_failed
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._session: SessionT | None = None
        self._run_task: asyncio.Task[None] | None = None
        self._stopped = False
        self._log_unexpected = LogOnce(self._logger, logging.ERROR)

    @property
    def connected(self) -> bool:
        """Whether a session is open."""
        return self._session is not None

    async def connect(self) -> None:
        """Open a session; run() then uses it first. Raises InvalidAuthError or another LprError."""
        await self._start_session()

    async def run(self) -> None:
        """Deliver reads until stop(), reopening the session whenever it is lost.

        Returns early only when the camera refuses the credentials on a reconnect,
        after calling on_auth_failed: retrying cannot help until they change.
        """
        if self._stopped:
            return
        self._run_task = asyncio.current_task()
        try:
            async with self._running():
                await self._keep_session()
        finally:
            await self._end_session()

    async def stop(self) -> None:
        """Cancel run() and end the session; safe to call more than once."""
        self._stopped = True
        task, self._run_task = self._run_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait([task])
        await self._end_session()

    @abstractmethod
    async def _open_session(self) -> SessionT:
        """Open a session with the camera; raise InvalidAuthError or another LprError."""

    @abstractmethod
    async def _serve(self, session: SessionT) -> None:
        """Use the open session until it is lost; raise the LprError that says why."""

    @asynccontextmanager
    async def _running(self) -> AsyncIterator[None]:
        """What the transport needs for as long as run() keeps sessions: nothing by default."""
        yield

    async def _end_session(self) -> None:
        """End the session for good (stop, or run() ending); a transport may say goodbye first."""
        self._close_session()

    async def _keep_session(self) -> None:
        while True:
            session = self._session or await self._reopen_with_backoff()
            if session is None:
                return
            await self._serve_until_lost(session)
            # Even after a good session: a camera that drops every one must not make us spin.
            await asyncio.sleep(jitter(self._backoff_initial))

    async def _start_session(self) -> SessionT:
        """Open a session; an unexpected exception becomes a CannotConnectError, logged once."""
        self._close_session()
        try:
            session = self._session = await self._open_session()
        except LprError:
            raise
        except Exception as err:
            message = "Unexpected error opening a session with camera %s"
            self._log_unexpected(message, self._name, exc_info=True)
            raise CannotConnectError(f"unexpected error: {err!r}") from err
        self._notify_connection(True)
        return session

    async def _reopen_with_backoff(self) -> SessionT | None:
        """Open a session again, waiting longer after each failure; None when auth fails."""
        delay = self._backoff_initial
        while True:
            try:
                session = await self._start_session()
            except InvalidAuthError:
                self._logger.warning("Camera %s refused the user name or password", self._name)
                if self._on_auth_failed is not None:
                    self._on_auth_failed()
                return None
            except LprError as err:
                self._logger.debug("Reconnecting to camera %s failed: %s", self._name, err)
                await asyncio.sleep(jitter(delay))
                delay = min(delay * 2, self._backoff_max)
            else:
                self._logger.info(self._reopened_message, self._name)
                return session

    async def _serve_until_lost(self, session: SessionT) -> None:
        """Serve the session until it is lost, then close it and report the loss."""
        try:
            await self._serve(session)
        except LprError as err:
            self._logger.warning(self._lost_message, self._name, err)
        except Exception:  # noqa: BLE001 - logged with its traceback
            message = "Unexpected error in the session with camera %s; reconnecting"
            self._log_unexpected(message, self._name, exc_info=True)
        self._close_session()
        self._notify_connection(False)

    def _close_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def _notify_connection(self, connected: bool) -> None:
        if self._on_connection_change is not None:
            self._on_connection_change(connected)


async def open_tcp(
    host: str, port: int, connect_timeout: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Open the TCP connection a session runs over; CannotConnectError when it cannot be."""
    try:
        async with asyncio.timeout(connect_timeout):
            return await asyncio.open_connection(host, port)
    except OSError as err:  # TimeoutError included
        reason = str(err) or "timed out"
        raise CannotConnectError(f"cannot connect to {host}:{port}: {reason}") from err


def jitter(delay: float) -> float:
    """Spread reconnects so the clients of one rebooted camera do not all arrive at once."""
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - timing, not cryptography
