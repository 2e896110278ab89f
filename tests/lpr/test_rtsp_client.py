"""The RTSP client against the simulated RTSP camera, over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from custom_components.lpr_camera.lpr import (
    CannotConnectError,
    Direction,
    InvalidAuthError,
    NoMetadataTrackError,
    PlateRead,
    ProtocolError,
    RequestRejectedError,
    rtsp_client,
)
from custom_components.lpr_camera.lpr.onvif import PlateEvent, parse_metadata
from custom_components.lpr_camera.lpr.rtp import MAX_DOCUMENT_BYTES
from custom_components.lpr_camera.lpr.rtsp_client import (
    MAX_WAITING_READS,
    RtspMetadataClient,
    describe_check,
)
from custom_components.lpr_camera.lpr.sdp import MetadataTrack
from simulator.camera_web import CameraWebServer
from simulator.http_auth import CameraAuth
from simulator.onvif_documents import (
    SEED_PICTURE,
    SEED_PLATE,
    metadata_stream,
    seed_event,
    standard_event,
)
from simulator.rtsp_server import (
    METADATA_SDP,
    PAYLOAD_TYPE,
    SESSION_ID,
    TRACK,
    RtspTestServer,
    rtp_packet,
)
from tests.common import task_of, wait_for

from .session_clients import LIMIT, PASSWORD, USERNAME, Recorder, silent_server, stopped_at_end

pytestmark = pytest.mark.usefixtures("socket_enabled")

PLATE_JPEG = b"\xff\xd8plate\xff\xd9"
FULL_JPEG = b"\xff\xd8full\xff\xd9"
VEHICLE_PICTURE = "/vehicle/7.jpg"


def document(plate: str = SEED_PLATE, **kwargs: Any) -> bytes:
    return metadata_stream(seed_event(plate, **kwargs))


class Client(Recorder[RtspMetadataClient]):
    """A client of the test camera and everything its callbacks reported."""

    def __init__(self, url: str, **settings: Any) -> None:
        super().__init__(RtspMetadataClient, url, **settings)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def web() -> AsyncIterator[CameraWebServer]:
    """The camera's web server, holding the pictures its events name."""
    server = CameraWebServer(
        auth=CameraAuth(USERNAME, PASSWORD),
        pictures={SEED_PICTURE: PLATE_JPEG, VEHICLE_PICTURE: FULL_JPEG},
    )
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def make_camera() -> AsyncIterator[Callable[..., RtspTestServer]]:
    """Cameras that demand Digest MD5 with qop unless told otherwise; stopped at the end."""
    cameras: list[RtspTestServer] = []

    def make(**settings: Any) -> RtspTestServer:
        settings.setdefault("auth", CameraAuth(USERNAME, PASSWORD))
        cameras.append(RtspTestServer(**settings))
        return cameras[-1]

    yield make
    for camera in cameras:
        await camera.stop()


@pytest.fixture
async def make_client(
    http: aiohttp.ClientSession, web: CameraWebServer
) -> AsyncIterator[Callable[..., Client]]:
    """Clients that fetch pictures from `web`; stopped when the test ends however it ends."""

    def make(camera: RtspTestServer, **settings: Any) -> Client:
        pictures: dict[str, Any] = {"http_session": http, "http_port": web.port}
        return Client(camera.url, **(pictures | settings))

    async with stopped_at_end(make) as make_stopped:
        yield make_stopped


@pytest.fixture
async def camera(make_camera: Callable[..., RtspTestServer]) -> RtspTestServer:
    camera = make_camera()
    await camera.start()
    return camera


@pytest.fixture
async def client(camera: RtspTestServer, make_client: Callable[..., Client]) -> Client:
    """A client playing the camera's metadata track, with run() delivering its reads."""
    client = make_client(camera)
    await client.start()
    return client


async def started(make_camera: Callable[..., RtspTestServer], **settings: Any) -> RtspTestServer:
    camera = make_camera(**settings)
    await camera.start()
    return camera


# Checking a camera once (the config flow)


async def test_describe_check(camera: RtspTestServer) -> None:
    track = await describe_check(camera.url, USERNAME, PASSWORD)

    assert track == MetadataTrack(
        url=f"{camera.url}/{TRACK}",
        session_url=f"{camera.url}/",
        payload_type=PAYLOAD_TYPE,
        gzip=False,
    )
    assert camera.methods() == ["OPTIONS", "OPTIONS", "DESCRIBE"]
    assert not camera.playing


async def test_describe_check_wrong_password(camera: RtspTestServer) -> None:
    with pytest.raises(InvalidAuthError):
        await describe_check(camera.url, USERNAME, "wrong")


async def test_describe_check_wrong_path(camera: RtspTestServer) -> None:
    with pytest.raises(RequestRejectedError, match="DESCRIBE with 404 Not Found") as caught:
        await describe_check(f"{camera.url}/nothing", USERNAME, PASSWORD)
    assert caught.value.status == 404


async def test_describe_check_no_metadata_track(
    make_camera: Callable[..., RtspTestServer],
) -> None:
    video_only = METADATA_SDP.split("m=audio")[0]
    camera = await started(make_camera, sdp=video_only)

    with pytest.raises(NoMetadataTrackError, match=r"video \(h264\)"):
        await describe_check(camera.url, USERNAME, PASSWORD)


async def test_describe_check_authentication_we_do_not_speak(
    make_camera: Callable[..., RtspTestServer],
) -> None:
    camera = await started(make_camera, auth=CameraAuth(USERNAME, PASSWORD, offers=("MD5-sess",)))

    with pytest.raises(ProtocolError, match=r"do not speak \(digest\)"):
        await describe_check(camera.url, USERNAME, PASSWORD)


async def test_describe_check_nothing_listening(refused_port: int) -> None:
    with pytest.raises(CannotConnectError, match="cannot connect"):
        await describe_check(f"rtsp://127.0.0.1:{refused_port}/", USERNAME, PASSWORD)


async def test_describe_check_silent_server() -> None:
    async with silent_server() as port:
        client = Client(f"rtsp://127.0.0.1:{port}/", connect_timeout=0.05).client
        with pytest.raises(CannotConnectError, match="did not answer OPTIONS"):
            await client.describe_check()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/x", "rtsp:///nohost", "rtsp://admin:1234@127.0.0.1/x"]
)
def test_not_an_rtsp_url(url: str) -> None:
    with pytest.raises(ValueError, match=r"rtsp|credentials"):
        RtspMetadataClient(url, USERNAME, PASSWORD, on_read=lambda _read: None)


# Authentication


@pytest.mark.parametrize(
    ("offers", "qop", "used"),
    [
        (("MD5",), True, "MD5"),
        (("MD5",), False, "MD5"),
        (("MD5", "SHA-256"), True, "SHA-256"),
        (("Basic", "MD5"), False, "MD5"),
        (("Basic",), True, "Basic"),
    ],
)
async def test_authentication_401_then_success(
    make_camera: Callable[..., RtspTestServer],
    make_client: Callable[..., Client],
    offers: tuple[str, ...],
    qop: bool,
    used: str,
) -> None:
    auth = CameraAuth(USERNAME, PASSWORD, offers=offers, qop=qop)
    camera = await started(make_camera, auth=auth)
    client = make_client(camera)

    await client.start()
    await camera.send_document(document())

    assert (await client.next_read()).plate == SEED_PLATE
    assert camera.methods() == ["OPTIONS", "OPTIONS", "DESCRIBE", "SETUP", "PLAY"]
    assert "Authorization" not in camera.requests[0].headers
    assert auth.accepted == [used] * 4
    if qop and used != "Basic":
        assert auth.nonce_counts == [1, 2, 3, 4]


async def test_camera_without_authentication(
    make_camera: Callable[..., RtspTestServer], make_client: Callable[..., Client]
) -> None:
    camera = await started(make_camera, auth=None)
    client = make_client(camera)

    await client.start()

    assert camera.methods() == ["OPTIONS", "DESCRIBE", "SETUP", "PLAY"]
    assert all("Authorization" not in request.headers for request in camera.requests)


async def test_stale_nonce_during_the_session(make_camera: Callable[..., RtspTestServer]) -> None:
    """The camera expires its nonce: the keepalive answers the new challenge and goes on."""
    auth = CameraAuth(USERNAME, PASSWORD)
    camera = await started(make_camera, auth=auth, session_timeout=1)
    client = Client(camera.url)
    await client.start()
    try:
        auth.new_nonce()
        await wait_for(lambda: not auth.stale, LIMIT)
        assert camera.methods()[-2:] == ["GET_PARAMETER", "GET_PARAMETER"]

        await camera.send_document(document("AFTER1"))
        assert (await client.next_read()).plate == "AFTER1"
    finally:
        await client.client.stop()
    assert client.connection_changes == [True]
    assert camera.connections == 1


# Reads


async def test_document_over_many_packets_with_pictures(
    camera: RtspTestServer, client: Client
) -> None:
    event = standard_event(
        "B AB 1234",
        data=f"""<tt:SimpleItem Name="ImageURI" Value="{SEED_PICTURE}"/>
        <tt:SimpleItem Name="VehicleImageURI" Value="{VEHICLE_PICTURE}"/>""",
    )

    await camera.send_document(metadata_stream(event), size=50)
    read = await client.next_read()

    assert read.plate == "B AB 1234"
    assert (read.plate_image, read.full_image) == (PLATE_JPEG, FULL_JPEG)


async def test_seed_read(camera: RtspTestServer, client: Client) -> None:
    await camera.send_document(document())
    read = await client.next_read()

    assert read.plate == "43 거 6510"
    assert read.direction is Direction.APPROACHING
    assert read.speed == 25.0
    assert read.plate_image == PLATE_JPEG
    assert read.full_image is None
    assert read.raw["LicensePlatePicturePath"] == SEED_PICTURE


async def test_several_documents_and_events_in_order(
    camera: RtspTestServer, client: Client
) -> None:
    await camera.send(
        *camera.packets(metadata_stream(seed_event("ONE1"), standard_event("TWO2")), size=200),
        *camera.packets(document("THREE3")),
        *camera.packets(metadata_stream(standard_event("FOUR4"), seed_event("FIVE5"))),
    )

    plates = [(await client.next_read()).plate for _ in range(5)]
    assert plates == ["ONE1", "TWO2", "THREE3", "FOUR4", "FIVE5"]


async def test_initialized_state_is_not_a_read(camera: RtspTestServer, client: Client) -> None:
    await camera.send_document(document("OLD1", operation="Initialized"))
    await camera.send_document(document("NEW2"))

    assert (await client.next_read()).plate == "NEW2"


async def test_packet_loss_drops_that_document(camera: RtspTestServer, client: Client) -> None:
    damaged = camera.packets(document("LOST1"), size=100)
    del damaged[3]

    await camera.send(*damaged, *camera.packets(document("NEXT2"), size=100))

    assert (await client.next_read()).plate == "NEXT2"


async def test_a_lost_closing_packet_loses_that_document_only(
    camera: RtspTestServer, client: Client
) -> None:
    damaged = camera.packets(document("LOST1"), size=100)
    del damaged[-1]

    await camera.send(
        *damaged, *camera.packets(document("NEXT2"), size=100), *camera.packets(document("NEXT3"))
    )

    assert [(await client.next_read()).plate for _ in range(2)] == ["NEXT2", "NEXT3"]


async def test_gzip_track(
    make_camera: Callable[..., RtspTestServer], make_client: Callable[..., Client]
) -> None:
    sdp = METADATA_SDP.replace("VND.ONVIF.METADATA/", "vnd.onvif.metadata+gzip/")
    camera = await started(make_camera, sdp=sdp)
    client = make_client(camera)
    await client.start()

    await camera.send_document(gzip.compress(document("GZIP1")), size=100)

    assert (await client.next_read()).plate == "GZIP1"


def with_doctype(internal_subset: str, plate: str) -> bytes:
    return document(plate).replace(b"?>\n", f"?>\n<!DOCTYPE d [{internal_subset}]>\n".encode(), 1)


async def test_hostile_documents_are_skipped(
    camera: RtspTestServer, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    padding = b"<!--" + b"x" * MAX_DOCUMENT_BYTES + b"-->"

    await camera.send_document(with_doctype('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;"))
    await camera.send_document(with_doctype(f'<!ENTITY l0 "lol">{laughs}', "&l9;"))
    await camera.send_document(document().replace(b"<tt:Event>", padding + b"<tt:Event>"), 60000)
    await camera.send_document(gzip.compress(b" " * (MAX_DOCUMENT_BYTES + 1)))
    await camera.send_document(document("GOOD1"))

    assert (await client.next_read()).plate == "GOOD1"
    assert client.connection_changes == [True]
    skipped = [r for r in caplog.records if "Skipping metadata" in r.getMessage()]
    assert [r.levelno for r in skipped] == [logging.WARNING] + [logging.DEBUG] * 3


async def test_broken_rtp_and_other_channels_are_skipped(
    camera: RtspTestServer, client: Client
) -> None:
    await camera.send(b"\x40" + bytes(20))  # RTP version 1
    await camera.send(rtp_packet(b"<x/>", sequence=1, marker=True), channel=1)  # RTCP's channel
    await camera.send(rtp_packet(b"<x/>", sequence=camera.sequence, marker=True, payload_type=96))
    camera.sequence += 1
    await camera.send_document(document("GOOD1"))

    assert (await client.next_read()).plate == "GOOD1"


async def test_channel_the_camera_picks(
    make_camera: Callable[..., RtspTestServer], make_client: Callable[..., Client]
) -> None:
    camera = await started(make_camera, channel=4)
    client = make_client(camera)
    await client.start()

    await camera.send_document(document("CHANNEL4"))

    assert (await client.next_read()).plate == "CHANNEL4"


async def test_rtp_before_the_answer_to_play(
    make_camera: Callable[..., RtspTestServer], make_client: Callable[..., Client]
) -> None:
    camera = await started(make_camera)
    camera.before_answer["PLAY"] = camera.packets(document("EARLY1"), size=300)
    client = make_client(camera)

    await client.start()

    assert (await client.next_read()).plate == "EARLY1"


# Pictures


async def test_failed_picture_delivers_the_read_without_it(
    camera: RtspTestServer, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    await camera.send_document(document("NOPIC1", picture="/LPR/gone.jpg"))
    read = await client.next_read()

    assert read.plate == "NOPIC1"
    assert read.plate_image is None
    assert "without its picture" in caplog.text
    assert "404 Not Found" in caplog.text


async def test_failed_pictures_warn_once(
    camera: RtspTestServer, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """A camera whose pictures are gone would otherwise warn for every read."""
    with caplog.at_level(logging.DEBUG):
        for plate in ("NOPIC1", "NOPIC2", "NOPIC3"):
            await camera.send_document(document(plate, picture="/LPR/gone.jpg"))
            assert (await client.next_read()).plate_image is None

    failed = [r.levelno for r in caplog.records if "without its picture" in r.getMessage()]
    assert failed == [logging.WARNING, logging.DEBUG, logging.DEBUG]


async def test_reads_keep_their_order_while_a_picture_is_slow(
    camera: RtspTestServer,
    make_client: Callable[..., Client],
    web: CameraWebServer,
) -> None:
    web.hang.add("/LPR/slow.jpg")
    client = make_client(camera, picture_timeout=0.2)
    await client.start()

    await camera.send_document(document("SLOW1", picture="/LPR/slow.jpg"))
    await camera.send_document(document("FAST2"))

    first, second = await client.next_read(), await client.next_read()
    assert (first.plate, first.plate_image) == ("SLOW1", None)
    assert (second.plate, second.plate_image) == ("FAST2", PLATE_JPEG)


async def test_keepalives_are_answered_while_pictures_are_slow(
    make_camera: Callable[..., RtspTestServer],
    make_client: Callable[..., Client],
    web: CameraWebServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Reads waiting for their pictures never hold up the reader: the session stays up.

    Past the limit of waiting reads the next ones come without pictures, in their turn.
    """
    web.hang.add("/LPR/slow.jpg")
    web.pictures["/LPR/slow.jpg"] = PLATE_JPEG
    camera = await started(make_camera, session_timeout=1)
    # Keepalives every half second, each answered within a second or the session is lost;
    # the pictures outlast several keepalives.
    client = make_client(camera, connect_timeout=1, picture_timeout=2 * LIMIT)
    await client.start()
    plates = [f"CAR{number}" for number in range(MAX_WAITING_READS + 4)]

    with caplog.at_level(logging.DEBUG):
        await camera.send(*(p for plate in plates for p in camera.packets(slow_document(plate))))
        keepalives = camera.methods().count("GET_PARAMETER")
        await wait_for(lambda: camera.methods().count("GET_PARAMETER") >= keepalives + 3, LIMIT)
        assert client.connection_changes == [True]
        assert camera.connections == 1
        web.release()
        reads = [await client.next_read() for _ in plates]

    assert [read.plate for read in reads] == plates
    with_pictures = [read.plate for read in reads if read.plate_image == PLATE_JPEG]
    assert with_pictures == plates[:MAX_WAITING_READS]
    backlog = [r.levelno for r in caplog.records if "faster than their pictures" in r.getMessage()]
    assert backlog == [logging.WARNING] + [logging.DEBUG] * 3
    assert client.connection_changes == [True]


def slow_document(plate: str) -> bytes:
    return document(plate, picture="/LPR/slow.jpg")


async def test_without_http_session_no_pictures(
    camera: RtspTestServer, make_client: Callable[..., Client], web: CameraWebServer
) -> None:
    client = make_client(camera, http_session=None)
    await client.start()

    await camera.send_document(document())

    assert (await client.next_read()).plate_image is None
    assert web.requested == []


async def test_consumer_error_does_not_stop_the_reads(
    camera: RtspTestServer, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    delivered: list[str] = []

    def fussy(read: PlateRead) -> None:
        delivered.append(read.plate)
        if read.plate == "BAD1":
            raise RuntimeError("consumer bug")

    client.client._on_read = fussy
    await camera.send_document(document("BAD1"))
    await camera.send_document(document("GOOD2"))

    await wait_for(lambda: delivered == ["BAD1", "GOOD2"], LIMIT)
    assert "consumer bug" in caplog.text


# The session's life


async def test_keepalive_get_parameter_within_the_session_timeout(
    make_camera: Callable[..., RtspTestServer], make_client: Callable[..., Client]
) -> None:
    """Its answers come interleaved with RTP; reads and session go on."""
    camera = await started(make_camera, session_timeout=1)
    camera.before_answer["GET_PARAMETER"] = camera.packets(document("BETWEEN1"), size=300)
    client = make_client(camera)
    await client.start()

    assert (await client.next_read()).plate == "BETWEEN1"
    await wait_for(lambda: camera.methods().count("GET_PARAMETER") >= 2, LIMIT)

    keepalive = camera.requests[-1]
    assert keepalive.url == f"{camera.url}/"
    assert keepalive.headers["Session"] == SESSION_ID
    assert client.connection_changes == [True]


async def test_keepalive_options_when_get_parameter_is_not_offered(
    make_camera: Callable[..., RtspTestServer], make_client: Callable[..., Client]
) -> None:
    camera = await started(make_camera, session_timeout=1, public="OPTIONS, DESCRIBE, SETUP, PLAY")
    client = make_client(camera)
    await client.start()

    await wait_for(lambda: camera.methods()[-1] == "OPTIONS", LIMIT)

    assert camera.requests[-1].headers["Session"] == SESSION_ID
    assert "GET_PARAMETER" not in camera.methods()


async def test_stop_tears_the_session_down(camera: RtspTestServer, client: Client) -> None:
    await client.client.stop()

    assert camera.methods()[-1] == "TEARDOWN"
    assert camera.requests[-1].headers["Session"] == SESSION_ID
    assert client.task is not None
    assert client.task.done()
    assert not client.client.connected
    await client.client.stop()
    assert camera.methods().count("TEARDOWN") == 1


async def test_stop_after_connect_without_run(
    camera: RtspTestServer, make_client: Callable[..., Client]
) -> None:
    client = make_client(camera)
    await client.client.connect()

    await client.client.stop()

    assert camera.methods()[-1] == "TEARDOWN"


async def test_run_connects_by_itself(
    camera: RtspTestServer, make_client: Callable[..., Client]
) -> None:
    client = make_client(camera)
    client.task = asyncio.create_task(client.client.run())
    await wait_for(lambda: camera.playing, LIMIT)

    await camera.send_document(document("FIRST1"))

    assert (await client.next_read()).plate == "FIRST1"
    assert client.connection_changes == [True]


async def test_camera_drops_mid_document(camera: RtspTestServer, client: Client) -> None:
    packets = camera.packets(document("CUT1"), size=100)
    await camera.send(*packets[:5])
    await camera.drop()
    await wait_for(lambda: client.connection_changes == [True, False, True], LIMIT)
    await wait_for(lambda: camera.playing, LIMIT)

    await camera.send(*packets[5:])
    await camera.send_document(document("WHOLE2"))

    assert (await client.next_read()).plate == "WHOLE2"
    assert camera.connections == 2


async def test_retries_with_backoff_until_the_camera_is_back(
    camera: RtspTestServer, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    camera.describe_error = "503 Service Unavailable"
    await camera.drop()
    await wait_for(lambda: camera.methods().count("DESCRIBE") >= 4, LIMIT)
    camera.describe_error = None
    await wait_for(lambda: camera.playing, LIMIT)

    await camera.send_document(document("BACK1"))

    assert (await client.next_read()).plate == "BACK1"
    assert client.connection_changes == [True, False, True]
    lost = [r for r in caplog.records if "Lost the metadata stream" in r.getMessage()]
    assert len(lost) == 1


async def test_a_bug_reading_the_stream_reconnects(
    camera: RtspTestServer,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception none of the library's own, met by the connection's reader: a lost session."""

    def parse_with_a_bug(document: bytes, **kwargs: Any) -> list[PlateEvent]:
        if b"BUG1" in document:
            raise RuntimeError("a bug met with this document")
        return parse_metadata(document, **kwargs)

    monkeypatch.setattr(rtsp_client, "parse_metadata", parse_with_a_bug)
    await camera.send_document(document("BUG1"))
    await wait_for(lambda: client.connection_changes == [True, False, True], LIMIT)
    await wait_for(lambda: camera.playing, LIMIT)
    await camera.send_document(document("AFTER2"))

    assert (await client.next_read()).plate == "AFTER2"
    [logged] = [r for r in caplog.records if r.exc_info]
    assert logged.levelno == logging.ERROR
    assert logged.getMessage().startswith("Unexpected error in the session with camera")
    assert "a bug met with this document" in caplog.text


async def test_password_changed_while_away(camera: RtspTestServer, client: Client) -> None:
    assert camera.auth is not None
    camera.auth.password = "changed"
    await camera.drop()

    async with asyncio.timeout(LIMIT):
        await client.auth_failed.wait()
        assert client.task is not None
        await client.task
    assert client.connection_changes == [True, False]


async def test_oversize_header_ends_the_connection(camera: RtspTestServer, client: Client) -> None:
    await camera.send_raw(b"RTSP/1.0 200 OK\r\nX-Junk: " + b"j" * 70000 + b"\r\n\r\n")

    await wait_for(lambda: client.connection_changes == [True, False, True], LIMIT)


@pytest.mark.parametrize("length", ["²", "٣", "9" * 5000], ids=["²", "٣", "5000 digits"])
async def test_a_content_length_of_other_digits_is_the_cameras_fault(
    camera: RtspTestServer, client: Client, caplog: pytest.LogCaptureFixture, length: str
) -> None:
    """`²` passes str.isdigit(), and int() refused it: once an unexpected error, a traceback."""
    await camera.send_raw(
        f"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: {length}\r\n\r\n".encode()
    )

    await wait_for(lambda: client.connection_changes == [True, False, True], LIMIT)
    [lost] = [r for r in caplog.records if "Lost the metadata stream" in r.getMessage()]
    assert lost.levelno == logging.WARNING
    assert "Content-Length" in lost.getMessage()
    assert not [r for r in caplog.records if r.exc_info]
    await camera.send_document(document("AFTER3"))
    assert (await client.next_read()).plate == "AFTER3"


async def test_request_from_the_camera_is_answered_not_implemented(
    camera: RtspTestServer, client: Client
) -> None:
    await camera.send_raw(b"\r\nANNOUNCE rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 9\r\n\r\n")

    await wait_for(lambda: camera.client_answers == ["RTSP/1.0 501 Not Implemented"], LIMIT)
    await camera.send_document(document("STILL1"))
    assert (await client.next_read()).plate == "STILL1"


async def test_run_after_stop_returns_at_once(
    camera: RtspTestServer, make_client: Callable[..., Client]
) -> None:
    client = make_client(camera)
    await client.client.stop()

    await client.client.run()

    assert camera.connections == 0


async def test_teardown_to_a_camera_that_is_gone(
    camera: RtspTestServer, make_client: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(camera)
    await client.client.connect()
    await camera.drop()

    with caplog.at_level(logging.DEBUG):
        await client.client.stop()

    assert "TEARDOWN of camera" in caplog.text
    assert not client.client.connected


async def test_stop_drops_reads_still_waiting_for_pictures(
    camera: RtspTestServer, make_client: Callable[..., Client], web: CameraWebServer
) -> None:
    """Their fetches end with the session (not when they time out); none is delivered."""
    web.hang.add("/LPR/slow.jpg")
    client = make_client(camera, picture_timeout=600)
    await client.start()
    await camera.send_document(document("WAITING1", picture="/LPR/slow.jpg"))
    await camera.send_document(document("WAITING2", picture="/LPR/slow.jpg"))
    await wait_for(lambda: web.requested.count("/LPR/slow.jpg") == 4, LIMIT)

    await client.client.stop()

    await wait_for(lambda: web.abandoned == ["/LPR/slow.jpg"] * 2, LIMIT)
    assert [task for task in asyncio.all_tasks() if task_of(rtsp_client, task)] == []
    assert client.reads.empty()


async def test_callbacks_are_optional(camera: RtspTestServer) -> None:
    client = RtspMetadataClient(
        camera.url, USERNAME, PASSWORD, on_read=lambda _read: None, backoff_initial=0.01
    )
    await client.connect()
    assert camera.auth is not None
    camera.auth.password = "changed"
    await camera.drop()

    async with asyncio.timeout(LIMIT):
        await client.run()

    assert not client.connected
