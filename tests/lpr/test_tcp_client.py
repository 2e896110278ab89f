"""The TCP client against the simulated camera, over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

import pytest

from custom_components.lpr_camera.lpr import (
    CannotConnectError,
    InvalidAuthError,
    LoginRejectedError,
    PlateRead,
    tcp_client,
)
from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH
from custom_components.lpr_camera.lpr.tcp_client import TcpCameraClient, check_login
from custom_components.lpr_camera.lpr.tcp_codec import COMM_RECOG_POST, encode_packet
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator
from tests.common import wait_for

from .session_clients import LIMIT, PASSWORD, USERNAME, Recorder, silent_server, stopped_at_end

pytestmark = pytest.mark.usefixtures("socket_enabled")

HOSTILE_SIZE = b"\xcc\xff\x01\x88\xff\xff\xff\xff"
BAD_END = encode_packet(COMM_RECOG_POST, b"payload")[:-1] + b"\x00"


class Session(Recorder[TcpCameraClient]):
    """A client of the simulated camera and everything its callbacks reported."""

    def __init__(self, port: int, **settings: Any) -> None:
        super().__init__(TcpCameraClient, "127.0.0.1", port, **settings)


@pytest.fixture
async def simulator() -> AsyncIterator[CameraSimulator]:
    camera = CameraSimulator(username=USERNAME, password=PASSWORD)
    await camera.start()
    yield camera
    await camera.stop()


@pytest.fixture
async def make_session(simulator: CameraSimulator) -> AsyncIterator[Callable[..., Session]]:
    """Sessions of the simulator, stopped when the test ends however it ends."""
    async with stopped_at_end(partial(Session, simulator.port)) as make:
        yield make


@pytest.fixture
async def session(simulator: CameraSimulator, make_session: Callable[..., Session]) -> Session:
    """A client logged in to the simulator, with run() delivering its reads."""
    session = make_session()
    await session.start()
    await simulator.wait_for_client()
    return session


async def reconnected(session: Session, simulator: CameraSimulator) -> None:
    """Wait until the client lost its connection and logged in again."""
    await wait_for(lambda: session.connection_changes == [True, False, True], LIMIT)
    await simulator.wait_for_client()


# Logging in once (the config flow)


async def test_check_login(simulator: CameraSimulator) -> None:
    client = Session(simulator.port).client

    await client.check_login()
    await check_login("127.0.0.1", simulator.port, USERNAME, PASSWORD)

    assert simulator.login_attempts == 2
    assert not client.connected
    await wait_for(lambda: simulator.client_count == 0, LIMIT)


async def test_wrong_password(simulator: CameraSimulator) -> None:
    with pytest.raises(InvalidAuthError):
        await Session(simulator.port, password="wrong").client.check_login()


async def test_other_status(simulator: CameraSimulator) -> None:
    simulator.reply_status = "503"
    with pytest.raises(LoginRejectedError) as caught:
        await Session(simulator.port).client.connect()
    assert caught.value.status == "503"


async def test_nothing_listening(refused_port: int) -> None:
    with pytest.raises(CannotConnectError, match="cannot connect"):
        await Session(refused_port).client.check_login()


async def test_no_login_reply() -> None:
    """A server that accepts but never answers the login is not a camera."""
    async with silent_server() as port:
        with pytest.raises(CannotConnectError, match="did not answer"):
            await Session(port, connect_timeout=0.5).client.check_login()


# The running session


async def test_reads_are_delivered(session: Session, simulator: CameraSimulator) -> None:
    sent = sample_read("AB1234")

    await simulator.push(sent)
    await simulator.push(sample_read("부산 02가 1234"), firmware="1.3")
    first, second = await session.next_read(), await session.next_read()

    assert first.as_dict() | {"raw": {}} == sent.as_dict()
    assert (first.plate_image, first.full_image) == (sent.plate_image, sent.full_image)
    assert second.plate == "부산 02가 1234"
    assert session.client.connected
    assert session.connection_changes == [True]


async def test_keepalive_is_on(session: Session) -> None:
    """README: probes after 30 s without a byte, every 10 s, 3 unanswered ones end it."""
    assert session.client._session is not None
    sock = session.client._session._writer.get_extra_info("socket")
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    probes = [socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT]
    assert [sock.getsockopt(socket.IPPROTO_TCP, option) for option in probes] == [30, 10, 3]


async def test_run_connects_by_itself(
    simulator: CameraSimulator, make_session: Callable[..., Session]
) -> None:
    session = make_session()
    session.task = asyncio.create_task(session.client.run())
    await simulator.wait_for_client()

    await simulator.push(sample_read("FIRST1"))

    assert (await session.next_read()).plate == "FIRST1"


async def test_camera_drops_and_comes_back(session: Session, simulator: CameraSimulator) -> None:
    await simulator.drop_clients()
    await reconnected(session, simulator)

    await simulator.push(sample_read("NEXT2"))

    assert (await session.next_read()).plate == "NEXT2"
    assert simulator.login_attempts == 2


async def test_retries_until_the_camera_accepts_again(
    session: Session, simulator: CameraSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Failed retries back off quietly and report the loss only once."""
    simulator.reply_status = "503"
    await simulator.drop_clients()
    await wait_for(lambda: simulator.login_attempts >= 4, LIMIT)
    assert session.connection_changes == [True, False]

    simulator.reply_status = None
    await reconnected(session, simulator)

    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.name == tcp_client.__name__ and record.levelno >= logging.WARNING
    ]
    assert len(warnings) == 1
    assert "Lost the connection" in warnings[0]


@pytest.mark.parametrize("broken", [HOSTILE_SIZE, BAD_END], ids=["hostile size", "bad end"])
async def test_broken_framing_reconnects(
    session: Session,
    simulator: CameraSimulator,
    caplog: pytest.LogCaptureFixture,
    broken: bytes,
) -> None:
    await simulator.push_raw(broken)
    await reconnected(session, simulator)

    await simulator.push(sample_read("AFTER1"))

    assert (await session.next_read()).plate == "AFTER1"
    assert "Lost the connection" in caplog.text


async def test_corrupt_recognition_is_skipped(
    session: Session, simulator: CameraSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    await simulator.push_raw(encode_packet(COMM_RECOG_POST, b"not chunks"))
    await simulator.push(sample_read("GOOD1"))

    assert (await session.next_read()).plate == "GOOD1"
    assert "corrupt recognition" in caplog.text
    assert simulator.login_attempts == 1


async def test_plates_too_long_are_skipped_with_one_warning(
    session: Session, simulator: CameraSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    too_long = "X" * (MAX_PLATE_LENGTH + 1)
    for _ in range(3):
        await simulator.push(sample_read(too_long))
    await simulator.push(sample_read("GOOD3"))

    assert (await session.next_read()).plate == "GOOD3"
    skipped = [record for record in caplog.records if "longer than" in record.getMessage()]
    assert [record.levelno for record in skipped] == [logging.WARNING] + [logging.DEBUG] * 2
    assert too_long not in caplog.text
    assert session.reads.empty()
    assert simulator.login_attempts == 1


async def test_unknown_command_is_skipped(session: Session, simulator: CameraSimulator) -> None:
    await simulator.push_raw(encode_packet(0x8802, b'{"counting": 1}'))
    await simulator.push(sample_read("GOOD2"))

    assert (await session.next_read()).plate == "GOOD2"
    assert simulator.login_attempts == 1


async def test_garbage_is_logged_once(
    session: Session, simulator: CameraSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    for plate in ("ONE1", "TWO2"):
        await simulator.push_raw(b"garbage")
        await simulator.push(sample_read(plate))
        await session.next_read()

    garbage = [record for record in caplog.records if "outside any packet" in record.getMessage()]
    assert len(garbage) == 1
    assert garbage[0].levelno == logging.WARNING
    assert simulator.login_attempts == 1


async def test_a_failing_consumer_does_not_end_the_session(
    simulator: CameraSimulator,
    make_session: Callable[..., Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = make_session()
    reads = session.reads

    def fail_once(read: PlateRead) -> None:
        if read.plate == "BOOM":
            raise RuntimeError("consumer bug")
        reads.put_nowait(read)

    session.client._on_read = fail_once
    await session.start()
    await simulator.push(sample_read("BOOM"))
    await simulator.push(sample_read("FINE1"))

    assert (await session.next_read()).plate == "FINE1"
    assert "consumer bug" in caplog.text


async def test_auth_failure_on_reconnect_ends_run(
    session: Session, simulator: CameraSimulator
) -> None:
    simulator.password = "changed"
    await simulator.drop_clients()

    async with asyncio.timeout(LIMIT):
        await session.auth_failed.wait()
        assert session.task is not None
        await session.task

    assert session.connection_changes == [True, False]
    assert not session.client.connected


async def test_idle_camera_is_reconnected(
    simulator: CameraSimulator, make_session: Callable[..., Session]
) -> None:
    """A camera silent for longer than the idle limit gets a fresh login."""
    session = make_session(idle_timeout=0.05)
    await session.start()

    await wait_for(lambda: session.connection_changes[:3] == [True, False, True], LIMIT)

    assert simulator.login_attempts >= 2


async def test_stop_is_clean(session: Session, simulator: CameraSimulator) -> None:
    await session.client.stop()
    await session.client.stop()

    assert session.task is not None
    assert session.task.done()
    assert not session.client.connected
    await wait_for(lambda: simulator.client_count == 0, LIMIT)
    assert session.connection_changes == [True]


async def test_run_after_stop_returns_at_once(
    simulator: CameraSimulator, make_session: Callable[..., Session]
) -> None:
    client = make_session().client
    await client.stop()

    await client.run()

    assert simulator.login_attempts == 0
