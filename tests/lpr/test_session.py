"""The session lifecycle both clients share, with a transport that only follows a script."""

from __future__ import annotations

from collections import deque

import pytest

from custom_components.lpr_camera.lpr import CannotConnectError, InvalidAuthError, LprError
from custom_components.lpr_camera.lpr.session import SessionKeeper, jitter


class ScriptedSession:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class ScriptedKeeper(SessionKeeper[ScriptedSession]):
    """Opens a session or fails as `opens` says; every session is lost at once."""

    def __init__(self, *opens: LprError | None) -> None:
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
        self.sessions: list[ScriptedSession] = []

    async def _open_session(self) -> ScriptedSession:
        if (error := self.opens.popleft()) is not None:
            raise error
        self.sessions.append(ScriptedSession())
        return self.sessions[-1]

    async def _serve(self, session: ScriptedSession) -> None:
        raise CannotConnectError("lost")

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


def test_jitter_waits_between_half_and_all_of_the_delay() -> None:
    assert all(1.0 <= jitter(2.0) <= 2.0 for _ in range(100))
