"""The session lifecycle both clients share, with a transport that only follows a script."""

from __future__ import annotations

import asyncio
import logging
from collections import deque

import pytest

from custom_components.lpr_camera.lpr import CannotConnectError, InvalidAuthError
from custom_components.lpr_camera.lpr.session import SessionKeeper, jitter


class ScriptedSession:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class ScriptedKeeper(SessionKeeper[ScriptedSession]):
    """Opens a session or fails as `opens` says; every session is lost at once, as `lost` says."""

    def __init__(self, *opens: Exception | None, lost: BaseException | None = None) -> None:
        self.connection_changes: list[bool] = []
        self.auth_failures = 0
        super().__init__(
            "scripted",
            on_connection_change=self.connection_changes.append,
            on_auth_failed=self._count_auth_failure,
            backoff_initial=1.0,
            backoff_max=4.0,
        )
        self.opens = deque(opens)
        self.lost = lost or CannotConnectError("lost")
        self.sessions: list[ScriptedSession] = []

    async def _open_session(self) -> ScriptedSession:
        if (error := self.opens.popleft()) is not None:
            raise error
        self.sessions.append(ScriptedSession())
        return self.sessions[-1]

    async def _serve(self, session: ScriptedSession) -> None:
        raise self.lost

    def _count_auth_failure(self) -> None:
        self.auth_failures += 1


async def test_backoff_doubles_to_its_limit_and_resets_after_a_login(
    reconnect_waits: list[float],
) -> None:
    failed = CannotConnectError("refused")
    keeper = ScriptedKeeper(None, failed, failed, failed, failed, None, InvalidAuthError("no"))

    await keeper.connect()
    await keeper.run()

    assert reconnect_waits == [1.0, 1.0, 2.0, 4.0, 4.0, 1.0]
    assert keeper.connection_changes == [True, False, True, False]
    assert keeper.auth_failures == 1
    assert all(session.closed for session in keeper.sessions)
    assert not keeper.connected


async def test_connect_raises_and_stays_disconnected() -> None:
    keeper = ScriptedKeeper(InvalidAuthError("no"))

    with pytest.raises(InvalidAuthError):
        await keeper.connect()

    assert keeper.connection_changes == []
    assert keeper.auth_failures == 0
    assert not keeper.connected


def unexpected_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("Unexpected error")]


async def test_a_bug_in_a_session_reconnects_and_logs_its_traceback_once(
    reconnect_waits: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    """Not the library's own error: the session is lost all the same, and reopened."""
    keeper = ScriptedKeeper(None, None, InvalidAuthError("no"), lost=RuntimeError("bug"))

    await keeper.connect()
    with caplog.at_level(logging.DEBUG):
        await keeper.run()

    assert reconnect_waits == [1.0, 1.0]
    assert keeper.connection_changes == [True, False, True, False]
    assert all(session.closed for session in keeper.sessions)
    logged = unexpected_errors(caplog)
    assert [r.levelno for r in logged] == [logging.ERROR, logging.DEBUG]
    assert all(r.exc_info is not None and r.exc_info[0] is RuntimeError for r in logged)


async def test_a_bug_opening_a_session_is_retried_with_backoff(
    reconnect_waits: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    bug = ValueError("bug")
    keeper = ScriptedKeeper(None, bug, bug, None, InvalidAuthError("no"))

    await keeper.connect()
    with caplog.at_level(logging.DEBUG):
        await keeper.run()

    assert reconnect_waits == [1.0, 1.0, 2.0, 1.0]
    assert keeper.connection_changes == [True, False, True, False]
    assert [r.levelno for r in unexpected_errors(caplog)] == [logging.ERROR, logging.DEBUG]


async def test_a_bug_on_connect_is_a_connection_failure(caplog: pytest.LogCaptureFixture) -> None:
    """The first connect raises the library's error, so its caller retries as for any other."""
    keeper = ScriptedKeeper(KeyError("bug"))

    with pytest.raises(CannotConnectError, match="unexpected error: KeyError"):
        await keeper.connect()

    assert keeper.connection_changes == []
    assert not keeper.connected
    [logged] = unexpected_errors(caplog)
    assert logged.levelno == logging.ERROR


async def test_cancelling_run_is_not_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    keeper = ScriptedKeeper(None)
    keeper.lost = asyncio.CancelledError()
    await keeper.connect()

    with pytest.raises(asyncio.CancelledError):
        await keeper.run()

    assert keeper.connection_changes == [True]
    assert unexpected_errors(caplog) == []


def test_jitter_waits_between_half_and_all_of_the_delay() -> None:
    assert all(1.0 <= jitter(2.0) <= 2.0 for _ in range(100))
