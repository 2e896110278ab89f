"""Fetching the pictures a camera names, from its web server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.lpr_camera.lpr import PictureFetchError, picture
from custom_components.lpr_camera.lpr.picture import fetch_picture, picture_url
from simulator.camera_web import CameraWebServer
from simulator.http_auth import CameraAuth

pytestmark = pytest.mark.usefixtures("socket_enabled")

USERNAME = "admin"
PASSWORD = "1234"
JPEG = b"\xff\xd8\xff\xe0plate\xff\xd9"
PATH = "/LPR/2018051506193401.jpg"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def serve(auth: CameraAuth | None, pictures: dict[str, bytes]) -> CameraWebServer:
    server = CameraWebServer(auth=auth, pictures=pictures)
    await server.start()
    return server


@pytest.fixture
async def camera() -> AsyncIterator[CameraWebServer]:
    server = await serve(CameraAuth(USERNAME, PASSWORD), {PATH: JPEG, "/empty.jpg": b""})
    yield server
    await server.stop()


def url(server: CameraWebServer, path: str = PATH) -> str:
    return picture_url("127.0.0.1", server.port, path)


@pytest.mark.parametrize(
    ("offers", "qop", "used"),
    [
        (("MD5",), True, "MD5"),
        (("MD5",), False, "MD5"),
        (("Basic", "MD5", "SHA-256"), True, "SHA-256"),
        (("Basic",), True, "Basic"),
    ],
)
async def test_fetch_with_the_scheme_offered(
    http: aiohttp.ClientSession, offers: tuple[str, ...], qop: bool, used: str
) -> None:
    auth = CameraAuth(USERNAME, PASSWORD, offers=offers, qop=qop)
    server = await serve(auth, {PATH: JPEG})
    try:
        assert await fetch_picture(http, url(server), USERNAME, PASSWORD) == JPEG
    finally:
        await server.stop()
    assert auth.accepted == [used]
    assert server.requested == [PATH, PATH]


async def test_camera_without_authentication(http: aiohttp.ClientSession) -> None:
    server = await serve(None, {"/LPR/a b.jpg?x=1": JPEG, "/LPR/a b.jpg": JPEG})
    try:
        assert await fetch_picture(http, url(server, "/LPR/a b.jpg"), "", "") == JPEG
    finally:
        await server.stop()
    assert server.requested == ["/LPR/a b.jpg"]


async def test_query_is_part_of_the_digest_uri(
    http: aiohttp.ClientSession, camera: CameraWebServer
) -> None:
    camera.pictures["/snapshot.cgi"] = JPEG

    assert await fetch_picture(http, url(camera, "/snapshot.cgi?id=7"), USERNAME, PASSWORD) == JPEG


async def test_wrong_password(http: aiohttp.ClientSession, camera: CameraWebServer) -> None:
    with pytest.raises(PictureFetchError, match="refused the user name or password"):
        await fetch_picture(http, url(camera), USERNAME, "wrong")


async def test_unsupported_authentication(http: aiohttp.ClientSession) -> None:
    server = await serve(CameraAuth(USERNAME, PASSWORD, offers=("SHA-512-256",)), {PATH: JPEG})
    try:
        with pytest.raises(PictureFetchError, match="authentication we do not speak"):
            await fetch_picture(http, url(server), USERNAME, PASSWORD)
    finally:
        await server.stop()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/LPR/gone.jpg", "404 Not Found"), ("/empty.jpg", "no picture")],
)
async def test_no_picture(
    http: aiohttp.ClientSession, camera: CameraWebServer, path: str, reason: str
) -> None:
    with pytest.raises(PictureFetchError, match=reason):
        await fetch_picture(http, url(camera, path), USERNAME, PASSWORD)


async def test_oversize_picture(
    http: aiohttp.ClientSession, camera: CameraWebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(picture, "MAX_PICTURE_BYTES", len(JPEG) - 1)

    with pytest.raises(PictureFetchError, match="is larger than"):
        await fetch_picture(http, url(camera), USERNAME, PASSWORD)


async def test_timeout(http: aiohttp.ClientSession, camera: CameraWebServer) -> None:
    camera.hang.add(PATH)

    with pytest.raises(PictureFetchError, match=r"no picture within 0\.05 s"):
        await fetch_picture(http, url(camera), USERNAME, PASSWORD, timeout=0.05)


async def test_nothing_listening(http: aiohttp.ClientSession, refused_port: int) -> None:
    address = picture_url("127.0.0.1", refused_port, PATH)

    with pytest.raises(PictureFetchError, match="cannot fetch"):
        await fetch_picture(http, address, USERNAME, PASSWORD)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/LPR/1.jpg", "http://192.0.2.7:8080/LPR/1.jpg"),
        ("LPR/1.jpg", "http://192.0.2.7:8080/LPR/1.jpg"),
        ("http://192.0.2.7/LPR/1.jpg", "http://192.0.2.7/LPR/1.jpg"),
        ("https://192.0.2.7:8443/1.jpg?a=b", "https://192.0.2.7:8443/1.jpg?a=b"),
    ],
)
def test_picture_url(path: str, expected: str) -> None:
    assert picture_url("192.0.2.7", 8080, path) == expected


@pytest.mark.parametrize(
    "path", ["http://203.0.113.5/LPR/1.jpg", "file:///etc/passwd", "//elsewhere/x.jpg", "http://["]
)
def test_picture_elsewhere_is_not_fetched(path: str) -> None:
    """The camera's credentials go to the camera only."""
    with pytest.raises(PictureFetchError):
        picture_url("192.0.2.7", 8080, path)


def test_picture_url_ipv6_host() -> None:
    assert picture_url("::1", 8080, "/a.jpg") == "http://[::1]:8080/a.jpg"
